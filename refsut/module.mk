REFSUT_SRCS += refsut/main.c
