HARNESS_SRCS += harness/main.c harness/cli.c harness/cmd_profiles.c
TEST_SRCS += tests/unit/test_cli.c
HARNESS_SRCS += harness/capture.c
HARNESS_SRCS += harness/proc.c harness/netns.c harness/resolver.c harness/sut.c harness/run.c
HARNESS_SRCS += harness/world.c harness/dnssign.c harness/cmd_world.c
TEST_SRCS += tests/unit/test_sut.c tests/unit/test_netns.c
HARNESS_SRCS += harness/pcapfacts.c
HARNESS_SRCS += harness/facts.c harness/score.c harness/report.c harness/analyse.c harness/cmd_analyse.c
TEST_SRCS += tests/unit/test_facts.c tests/unit/test_score.c tests/unit/test_report.c
HARNESS_SRCS += harness/cmd_lint.c
# libFuzzer target for the scenario parser (make fuzz; clang).
FUZZ_TARGETS += build/fuzz/fuzz_scn
build/fuzz/fuzz_scn: tests/fuzz/fuzz_scn.c lib/scn.c lib/scn_expand.c lib/scn_lint.c lib/share.c lib/log.c lib/xmalloc.c lib/buf.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
TEST_SRCS += tests/unit/test_pcapgen.c tests/unit/test_pcapfacts.c
TEST_SRCS += tests/unit/test_world.c
# libFuzzer target for the capture analyser (make fuzz; clang).
FUZZ_TARGETS += build/fuzz/fuzz_pcap
build/fuzz/fuzz_pcap: tests/fuzz/fuzz_pcap.c harness/pcapfacts.c harness/facts.c lib/smtp.c lib/log.c lib/xmalloc.c lib/buf.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
# bench/analyser's helper: synthesise a capture, time the analyser.
PCAPBENCH_SRCS := bench/pcapbench.c tests/unit/test_pcapgen.c harness/pcapfacts.c harness/facts.c
# (obj and LIBA are defined after this file is read: spell them out.)
$(BUILD)/pcapbench: $(patsubst %.c,$(BUILD)/obj/%.o,$(PCAPBENCH_SRCS)) $(BUILD)/libdsim.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)
# libFuzzer target for the event-log reader and the verdict engine.
FUZZ_TARGETS += build/fuzz/fuzz_facts
build/fuzz/fuzz_facts: tests/fuzz/fuzz_facts.c harness/facts.c harness/score.c harness/world.c harness/dnssign.c lib/certgen.c lib/scn.c lib/scn_expand.c lib/scn_lint.c lib/share.c lib/log.c lib/xmalloc.c lib/buf.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm
HARNESS_SRCS += harness/html.c harness/htmlw.c
TEST_SRCS += tests/unit/test_html.c
HARNESS_SRCS += harness/expect.c harness/compare.c harness/cmd_compare.c
TEST_SRCS += tests/unit/test_expect.c tests/unit/test_compare.c
