HARNESS_SRCS += harness/main.c
HARNESS_SRCS += harness/capture.c
HARNESS_SRCS += harness/proc.c harness/netns.c harness/resolver.c harness/sut.c
HARNESS_SRCS += harness/world.c harness/dnssign.c harness/cmd_world.c
