/*
 * compare.h - the procurement view across runs (docs/comparing.md):
 * "danesim compare" puts the report.json of several runs side by side
 * (one HTML page, one Markdown table for tickets: a column per SUT, a
 * row per scenario, differences marked, totals on top), and "danesim
 * compare --merge" joins the shards of one SUT's suite, made by
 * "danesim run --shard I/N" in different CI jobs, into one set of
 * reports equal to a full run's apart from times and log details.
 */
#ifndef DSIM_COMPARE_H
#define DSIM_COMPARE_H

#include <stddef.h>

#include "harness/report/conform.h"
#include "scn.h"

/*
 * compare_write - the comparison of the runs in dirs (run folders or
 * report.json files, n >= 1) as HTML into html_path and/or Markdown into
 * md_path (either may be NULL; "-" is standard output). Both, and
 * stderr, warn when the runs used different suites (hash), danesim
 * versions or SUT options. *nverdict_diff (may be NULL) gets the number
 * of scenarios whose verdict is not the same in every run. 0, or -1
 * after a message on stderr (a report that does not load, a file not
 * written).
 */
int compare_write(char *const *dirs, size_t n, const char *html_path,
    const char *md_path, size_t *nverdict_diff);

/*
 * compare_merge - join the shard run folders dirs (n >= 1, the same SUT,
 * no scenario twice) into out_dir (made if missing): report.json,
 * junit.xml, summary.md and report.html as one run of the union of
 * their scenarios would have written them, judged against prof (NULL:
 * the profile the first shard kept, if any). Returns the merged report's
 * exit status (0 all passed, 1 a failure, 3 only inconclusive or error
 * verdicts kept it from passing), or -1 after a message on stderr.
 */
int compare_merge(char *const *dirs, size_t n, const char *out_dir,
    const struct conform_profile *prof);

#endif /* DSIM_COMPARE_H */
