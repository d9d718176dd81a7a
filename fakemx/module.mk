FAKEMX_SRCS += fakemx/main.c
TEST_SRCS += tests/unit/test_smtp.c
