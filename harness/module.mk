HARNESS_SRCS += harness/main.c
HARNESS_SRCS += harness/capture.c
