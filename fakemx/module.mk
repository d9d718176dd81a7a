FAKEMX_SRCS += fakemx/main.c
