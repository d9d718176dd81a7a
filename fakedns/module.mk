FAKEDNS_SRCS += fakedns/main.c
