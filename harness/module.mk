HARNESS_SRCS += harness/main.c
