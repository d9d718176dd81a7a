# Fuzz targets (tests/fuzz/fuzz_NAME.c), each built two ways:
#   build/fuzz/fuzz_NAME          libFuzzer + ASan + UBSan (clang; make fuzz)
#   $(BUILD)/replay/replay_NAME   the same code with tests/fuzz/replay.c as
#                                 main(), no engine (make check-fuzz, any CC)
# FUZZ_NAME_SRCS lists what a target links, FUZZ_NAME_FLAGS extra flags.
# The corpora live in tests/fuzz/corpus/NAME/, crash reproducers in
# tests/fuzz/regress/NAME/ (tests/fuzz/README.md).

FUZZ_NAMES := dns smtp scn pcap facts mxconf dnsconf
FUZZ_LIB   := lib/log.c lib/xmalloc.c lib/buf.c \
	lib/vocab.c lib/mxspec.c lib/dnsbreak.c lib/expkind.c lib/scn_when.c \
	lib/afile.c lib/destpolicy.c lib/mtasts.c

# fakedns: the query handler, the configuration reader.
FUZZ_dns_SRCS      := tests/fuzz/fuzz_dns.c $(FAKEDNS_CORE) $(FUZZ_LIB)
FUZZ_dns_FLAGS     := -Ifakedns
FUZZ_dnsconf_SRCS  := tests/fuzz/fuzz_dnsconf.c $(FAKEDNS_CORE) $(FUZZ_LIB)
FUZZ_dnsconf_FLAGS := -Ifakedns
# fakemx: the SMTP parser and session, the configuration reader.
FUZZ_smtp_SRCS     := tests/fuzz/fuzz_smtp.c lib/smtp.c $(FUZZ_LIB) \
	fakemx/mx_session.c fakemx/mx_behave.c fakemx/mx_evlog.c \
	fakemx/mx_https.c
FUZZ_mxconf_SRCS   := tests/fuzz/fuzz_mxconf.c fakemx/mx_conf.c \
	fakemx/mx_behave.c $(FUZZ_LIB)
# harness: the scenario parser, the capture analyser, logs + verdicts.
FUZZ_scn_SRCS      := tests/fuzz/fuzz_scn.c $(SCN_SRCS) lib/scn_expand.c \
	lib/scn_lint.c lib/share.c lib/smtp.c $(FUZZ_LIB)
FUZZ_pcap_SRCS     := tests/fuzz/fuzz_pcap.c harness/judge/pcapfacts.c harness/judge/pf_tcp.c harness/judge/pf_tls.c \
	harness/judge/facts.c harness/judge/evlog.c lib/smtp.c $(FUZZ_LIB)
FUZZ_facts_SRCS    := tests/fuzz/fuzz_facts.c harness/judge/facts.c harness/judge/evlog.c harness/judge/score.c \
	harness/world/model.c lib/certgen.c $(SCN_SRCS) \
	lib/scn_expand.c lib/scn_lint.c lib/share.c lib/smtp.c $(FUZZ_LIB)

REPLAY_CFLAGS = $(filter-out -MMD -MP,$(ALL_CFLAGS))

define FUZZ_template
FUZZ_TARGETS += build/fuzz/fuzz_$(1)
build/fuzz/fuzz_$(1): $$(FUZZ_$(1)_SRCS)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  FUZZ    $$@")
	$$(Q)clang $$(FUZZ_CFLAGS) $$(FUZZ_$(1)_FLAGS) -o $$@ $$^ $$(PKG_LIBS) -lm
REPLAY_TARGETS += $$(BUILD)/replay/replay_$(1)
$$(BUILD)/replay/replay_$(1): tests/fuzz/replay.c $$(FUZZ_$(1)_SRCS)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  REPLAY  $$@")
	$$(Q)$$(CC) $$(REPLAY_CFLAGS) $$(FUZZ_$(1)_FLAGS) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(FUZZ_NAMES),$(eval $(call FUZZ_template,$(t))))

replay: $(REPLAY_TARGETS)
