/*
 * analyse.h - judge a finished run from its folder: the scenario copies,
 * the world, run.json, the fake servers' event logs and (when an analyser
 * is linked) the packet capture; write report.json, junit.xml and
 * summary.md and print the terminal summary.
 *
 * Both `danesim run` (at its end) and `danesim analyse` call
 * analyse_run_dir(). The run folder layout is in docs/internals.md.
 */
#ifndef DSIM_ANALYSE_H
#define DSIM_ANALYSE_H

#include <stddef.h>

#include "harness/report/conform.h"
#include "harness/judge/facts.h"
#include "harness/report/report.h"
#include "harness/world/model.h"

/* Options of one analysis; a zeroed struct gives the defaults. */
struct analyse_opts {
	const char *pcap;    /* capture to use instead of the run's; NULL */
	const char *out_dir; /* where the reports go; NULL = the run folder */
	int quiet;           /* 1: no terminal summary */
	int colour;          /* -1 / 0: colour when stdout is a terminal;
	                        1: always; 2: never */
	int check_capture;   /* 1: a capture/log disagreement on any
	                        connection makes the exit status 1 */
	const struct conform_profile *profile; /* --profile, else the run's
	                        own RUN/conformance.profile; NULL */
	const char *expect; /* --expect FILE (harness/report/expect.h): marks
	                       every expectation in the reports and the
	                       exit status follows it; NULL: none */
};

/*
 * analyse_run_dir - analyse the run in run_dir. The scope line counts
 * against run_dir/rfc7672-requirements.md (else the default catalogue);
 * when the run has a capture, capture.pcapng (the capture with the TLS
 * key log embedded) is written beside the reports. Sets *exit_status to the
 * process exit status: 0 every expectation passed, 1 at least one failed,
 * 3 only inconclusive or error verdicts kept the run from passing, 2 the
 * run could not be analysed (missing or garbled run folder, a requested
 * capture that cannot be analysed, reports not written). Returns 0 when
 * the reports were written, -1 otherwise (the reason printed on stderr,
 * once).
 */
int analyse_run_dir(
    const char *run_dir, const struct analyse_opts *opts, int *exit_status);

/*
 * analyse_capture_facts - facts from the capture at pcap_path
 * (harness/judge/pcapfacts.h, facts_from_pcap). When the capture cannot be read
 * or analysed, returns NULL with the reason in why (whysz bytes); it never
 * makes facts up. The result is freed with facts_free().
 */
struct facts *analyse_capture_facts(
    const struct world *w, const char *pcap_path, char *why, size_t whysz);

#endif /* DSIM_ANALYSE_H */
