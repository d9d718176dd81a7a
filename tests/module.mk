TEST_SRCS += tests/unit/runner.c tests/unit/test_buf.c
