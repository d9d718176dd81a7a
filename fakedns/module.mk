# fakedns: the authoritative DNS server (sockets apart from answer logic).
FAKEDNS_CORE := fakedns/dns_zone.c fakedns/dns_world.c fakedns/dns_fault.c \
	fakedns/dns_name.c fakedns/dns_wire.c \
	fakedns/dns_answer.c fakedns/dns_log.c
FAKEDNS_SRCS += fakedns/main.c fakedns/dns_server.c $(FAKEDNS_CORE)
TEST_SRCS += tests/unit/test_fakedns.c

# libFuzzer target for the query handler (make fuzz; clang).
FUZZ_TARGETS += build/fuzz/fuzz_dns
build/fuzz/fuzz_dns: tests/fuzz/fuzz_dns.c $(FAKEDNS_CORE) lib/log.c lib/xmalloc.c lib/buf.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -Ifakedns -o $@ $^ $(PKG_LIBS) -lm
