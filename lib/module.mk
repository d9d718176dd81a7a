LIB_SRCS += lib/log.c lib/xmalloc.c lib/buf.c
