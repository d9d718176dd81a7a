LIB_SRCS += lib/log.c lib/xmalloc.c lib/buf.c lib/share.c
LIB_SRCS += lib/smtp.c
LIB_SRCS += lib/certgen.c
LIB_SRCS += lib/scn.c lib/scn_expand.c lib/scn_lint.c
LIB_SRCS += lib/scn_when.c
TEST_SRCS += tests/unit/test_certgen.c
TEST_SRCS += tests/unit/test_scn.c tests/unit/test_share.c
TEST_SRCS += tests/unit/test_phase.c
