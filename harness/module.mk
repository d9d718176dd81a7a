HARNESS_SRCS += harness/cmd/main.c harness/cmd/cli.c harness/report/term.c harness/cmd/cmd_profiles.c
TEST_SRCS += tests/unit/test_cli.c
HARNESS_SRCS += harness/run/capture.c
HARNESS_SRCS += harness/run/netns.c harness/run/resolver.c harness/run/sut.c harness/run/run.c harness/cmd/cmd_run.c
HARNESS_SRCS += harness/world/model.c harness/world/world.c harness/world/dnssign.c harness/cmd/cmd_world.c
HARNESS_SRCS += harness/run/phase.c
TEST_SRCS += tests/unit/test_sut.c tests/unit/test_netns.c
HARNESS_SRCS += harness/judge/pcapfacts.c harness/judge/pf_tcp.c harness/judge/pf_tls.c
HARNESS_SRCS += harness/judge/evlog.c harness/judge/facts.c harness/judge/capcheck.c harness/judge/score.c harness/report/report.c harness/run/analyse.c harness/cmd/cmd_analyse.c
TEST_SRCS += tests/unit/test_evlog.c tests/unit/test_facts.c tests/unit/test_score.c tests/unit/test_report.c
HARNESS_SRCS += harness/cmd/cmd_lint.c
TEST_SRCS += tests/unit/test_pcapgen.c tests/unit/test_pcapfacts.c
TEST_SRCS += tests/unit/test_world.c
# bench/analyser's helper: synthesise a capture, time the analyser.
PCAPBENCH_SRCS := bench/pcapbench.c tests/unit/test_pcapgen.c harness/judge/pcapfacts.c harness/judge/pf_tcp.c harness/judge/pf_tls.c harness/judge/facts.c harness/judge/evlog.c
# (obj and LIBA are defined after this file is read: spell them out.)
$(BUILD)/pcapbench: $(patsubst %.c,$(BUILD)/obj/%.o,$(PCAPBENCH_SRCS)) $(BUILD)/libdsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
# bench/suite's helper: wall time and peak RSS of every process of a run.
$(BUILD)/runstat: $(BUILD)/obj/bench/runstat.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^
HARNESS_SRCS += harness/report/html.c harness/report/htmlw.c harness/report/reports.c
TEST_SRCS += tests/unit/test_html.c
HARNESS_SRCS += harness/report/expect.c harness/report/compare.c harness/cmd/cmd_compare.c harness/report/suite.c
TEST_SRCS += tests/unit/test_expect.c tests/unit/test_compare.c
# Evidence: provenance, SHA256SUMS and signatures, conformance profiles.
HARNESS_SRCS += harness/report/provenance.c harness/report/verify.c harness/cmd/cmd_verify.c harness/report/conform.c harness/report/pcapng.c
TEST_SRCS += tests/unit/test_conform.c tests/unit/test_verify.c
# The git commit of the build, for report.json's provenance; rewritten
# only when it changes, so an unchanged tree rebuilds nothing.
DANESIM_COMMIT := $(shell git describe --always --dirty 2>/dev/null)
$(BUILD)/gen/commit.h: FORCE
	@mkdir -p $(dir $@)
	@echo '#define DANESIM_COMMIT "$(DANESIM_COMMIT)"' >$@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(BUILD)/obj/harness/report/provenance.o: $(BUILD)/gen/commit.h
$(BUILD)/obj/harness/report/provenance.o: DSIM_CPPFLAGS += -I$(BUILD)/gen
FORCE:
.PHONY: FORCE
