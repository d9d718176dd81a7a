# fakedns: the authoritative DNS server (sockets apart from answer logic).
FAKEDNS_CORE := fakedns/dns_zone.c fakedns/dns_world.c fakedns/dns_fault.c \
	fakedns/dns_name.c fakedns/dns_wire.c \
	fakedns/dns_reply.c fakedns/dns_answer.c fakedns/dns_log.c \
	fakedns/dns_dname.c
FAKEDNS_SRCS += fakedns/main.c fakedns/dns_server.c $(FAKEDNS_CORE)
TEST_SRCS += tests/unit/test_fakedns.c
