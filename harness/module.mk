HARNESS_SRCS += harness/main.c harness/cli.c harness/cmd_profiles.c
TEST_SRCS += tests/unit/test_cli.c
HARNESS_SRCS += harness/capture.c
HARNESS_SRCS += harness/proc.c harness/netns.c harness/resolver.c harness/sut.c harness/run.c
HARNESS_SRCS += harness/phase.c
HARNESS_SRCS += harness/world.c harness/dnssign.c harness/cmd_world.c
TEST_SRCS += tests/unit/test_sut.c tests/unit/test_netns.c
HARNESS_SRCS += harness/pcapfacts.c
HARNESS_SRCS += harness/facts.c harness/score.c harness/report.c harness/analyse.c harness/cmd_analyse.c
TEST_SRCS += tests/unit/test_facts.c tests/unit/test_score.c tests/unit/test_report.c
HARNESS_SRCS += harness/cmd_lint.c
TEST_SRCS += tests/unit/test_pcapgen.c tests/unit/test_pcapfacts.c
TEST_SRCS += tests/unit/test_world.c
# bench/analyser's helper: synthesise a capture, time the analyser.
PCAPBENCH_SRCS := bench/pcapbench.c tests/unit/test_pcapgen.c harness/pcapfacts.c harness/facts.c
# (obj and LIBA are defined after this file is read: spell them out.)
$(BUILD)/pcapbench: $(patsubst %.c,$(BUILD)/obj/%.o,$(PCAPBENCH_SRCS)) $(BUILD)/libdsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
# bench/suite's helper: wall time and peak RSS of every process of a run.
$(BUILD)/runstat: $(BUILD)/obj/bench/runstat.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^
HARNESS_SRCS += harness/html.c harness/htmlw.c
TEST_SRCS += tests/unit/test_html.c
HARNESS_SRCS += harness/expect.c harness/compare.c harness/cmd_compare.c
TEST_SRCS += tests/unit/test_expect.c tests/unit/test_compare.c
# Evidence: provenance, SHA256SUMS and signatures, conformance profiles.
HARNESS_SRCS += harness/provenance.c harness/verify.c harness/cmd_verify.c harness/conform.c harness/pcapng.c
TEST_SRCS += tests/unit/test_conform.c tests/unit/test_verify.c
# The git commit of the build, for report.json's provenance; rewritten
# only when it changes, so an unchanged tree rebuilds nothing.
DANESIM_COMMIT := $(shell git describe --always --dirty 2>/dev/null)
$(BUILD)/gen/commit.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define DANESIM_COMMIT "$(DANESIM_COMMIT)"' >$@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(BUILD)/obj/harness/provenance.o: $(BUILD)/gen/commit.h
$(BUILD)/obj/harness/provenance.o: DSIM_CPPFLAGS += -I$(BUILD)/gen
FORCE:
.PHONY: FORCE
