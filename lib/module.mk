LIB_SRCS += lib/log.c lib/xmalloc.c lib/buf.c lib/share.c lib/proc.c lib/nsenter.c
LIB_SRCS += lib/smtp.c
LIB_SRCS += lib/certgen.c
# The scenario parser: scn.c and its parts (lib/scn_int.h).
SCN_SRCS := lib/scn.c lib/scn_top.c lib/scn_zone.c lib/scn_mx.c lib/scn_expect.c \
	lib/scn_read.c lib/scn_suite.c lib/scn_model.c
LIB_SRCS += $(SCN_SRCS) lib/scn_expand.c lib/scn_lint.c
LIB_SRCS += lib/vocab.c lib/mxspec.c lib/dnsbreak.c lib/expkind.c
LIB_SRCS += lib/scn_when.c lib/destpolicy.c lib/afile.c
LIB_SRCS += lib/mtasts.c
TEST_SRCS += tests/unit/test_certgen.c
TEST_SRCS += tests/unit/test_scn.c tests/unit/test_share.c
TEST_SRCS += tests/unit/test_vocab.c
TEST_SRCS += tests/unit/test_phase.c tests/unit/test_destpolicy.c
TEST_SRCS += tests/unit/test_mtasts.c
