FAKEMX_SRCS += fakemx/main.c fakemx/mx_server.c fakemx/mx_session.c \
	fakemx/mx_behave.c fakemx/mx_tls.c fakemx/mx_conf.c fakemx/mx_evlog.c \
	fakemx/mx_phase.c fakemx/mx_https.c
TEST_SRCS += tests/unit/test_smtp.c tests/unit/test_fakemx_session.c \
	tests/unit/test_fakemx_conf.c tests/unit/test_fakemx_https.c \
	tests/unit/test_fakemx_tls.c
