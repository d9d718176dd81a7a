FAKEMX_SRCS += fakemx/main.c fakemx/mx_server.c fakemx/mx_session.c \
	fakemx/mx_behave.c fakemx/mx_tls.c fakemx/mx_conf.c fakemx/mx_evlog.c
TEST_SRCS += tests/unit/test_smtp.c tests/unit/test_fakemx_session.c \
	tests/unit/test_fakemx_conf.c

# libFuzzer target: SMTP parser and session state machine (make fuzz).
FUZZ_TARGETS += build/fuzz/fuzz_smtp
build/fuzz/fuzz_smtp: tests/fuzz/fuzz_smtp.c lib/smtp.c lib/log.c lib/xmalloc.c \
	lib/buf.c fakemx/mx_session.c fakemx/mx_behave.c fakemx/mx_evlog.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
