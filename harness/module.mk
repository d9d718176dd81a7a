HARNESS_SRCS += harness/main.c
HARNESS_SRCS += harness/capture.c
HARNESS_SRCS += harness/proc.c harness/netns.c harness/resolver.c harness/sut.c harness/run.c
HARNESS_SRCS += harness/world.c harness/dnssign.c harness/cmd_world.c
TEST_SRCS += tests/unit/test_sut.c tests/unit/test_netns.c
HARNESS_SRCS += harness/pcapfacts.c
HARNESS_SRCS += harness/facts.c harness/score.c harness/report.c harness/analyse.c harness/cmd_analyse.c
TEST_SRCS += tests/unit/test_facts.c tests/unit/test_score.c
