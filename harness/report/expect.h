/*
 * expect.h - expected-results files for "danesim run --expect FILE" and
 * "danesim analyse --expect FILE" (format in docs/comparing.md): per
 * scenario (an id or a glob) or per expectation ("ID:LINE", LINE the
 * line of the expect line in the scenario file), "pass" or "xfail
 * REASON". With such a file the reports mark every expectation with what
 * was wanted of it, and the exit status reflects only regressions
 * (wanted pass, got fail) and unexpected passes (xfail, got pass): a
 * known failure no longer fails a CI job, and a fixed one is noticed.
 *
 * Ownership: expect_parse/expect_load return a set owned by the caller
 * (expect_free).
 */
#ifndef DSIM_EXPECT_H
#define DSIM_EXPECT_H

#include <stddef.h>
#include <stdio.h>

#include "harness/judge/score.h"

enum expect_want { EXPECT_PASS = 0, EXPECT_XFAIL };

/* What a set makes of one judged expectation. */
enum expect_result {
	EXPECT_R_PASS = 0,   /* wanted pass, passed: "as-expected" */
	EXPECT_R_REGRESSION, /* wanted pass, failed */
	EXPECT_R_XFAIL,      /* wanted to fail, failed: "expected-failure" */
	EXPECT_R_XPASS,      /* wanted to fail, passed: "unexpected-pass" */
	EXPECT_R_UNDECIDED,  /* inconclusive or error, whatever was wanted */
	EXPECT_R__COUNT
};

/* expect_result_str - "as-expected", "regression", "expected-failure",
   "unexpected-pass", "undecided" (static). */
const char *expect_result_str(enum expect_result r);

struct expect_set;

/*
 * expect_parse - parse expected-results text (path names it in
 * messages). Returns a new set, or NULL with "path:line: problem" in err.
 */
struct expect_set *expect_parse(
    const char *path, const char *text, size_t len, char *err, size_t errsz);

/* expect_load - read and parse file path; NULL with the reason in err. */
struct expect_set *expect_load(const char *path, char *err, size_t errsz);

/* expect_free - release; NULL is fine. */
void expect_free(struct expect_set *set);

/*
 * expect_lookup - what the set wants of scenario id as a whole: the first
 * scenario line (id or glob, not ID:LINE) whose pattern (fnmatch glob)
 * matches; EXPECT_PASS when none does. *reason (may be NULL) gets the
 * xfail reason (borrowed) or NULL.
 */
enum expect_want expect_lookup(
    const struct expect_set *set, const char *id, const char **reason);

/*
 * expect_lookup_exp - what the set wants of the expectation on line
 * `line` of scenario id: an "ID:LINE" entry naming exactly it wins
 * wherever it stands; else the scenario lines as expect_lookup. *reason
 * (may be NULL) gets the xfail reason (borrowed) or NULL; *entry (may be
 * NULL) the deciding line of the file, 0 when none matched; *by_line
 * (may be NULL) 1 when that was an ID:LINE entry.
 */
enum expect_want expect_lookup_exp(const struct expect_set *set, const char *id,
    int line, const char **reason, int *entry, int *by_line);

/*
 * expect_judge - the result for an expectation with verdict v, wanted as
 * want (by_line: by an ID:LINE entry). A scenario-wide xfail is met by
 * any failure of the scenario (scn_failed): its passing expectations are
 * then as expected; only when none of them failed is each one an
 * unexpected pass. An ID:LINE xfail wants exactly that expectation to
 * fail.
 */
enum expect_result expect_judge(
    enum expect_want want, int by_line, enum score_verdict v, int scn_failed);

/*
 * expect_print_report - read report.json at path (written with the set)
 * and say on out, one line each, which expectations regressed, passed
 * unexpectedly, failed as expected or stayed undecided, which entries of
 * the set name nothing in the report, and the counts. 0, or -1 when the
 * report cannot be read (said on stderr).
 */
int expect_print_report(
    const struct expect_set *set, const char *path, FILE *out);

/*
 * expect_check_file - load path only to see that it parses (before a
 * long run). 0, or -1 after "danesim: path:line: problem" on stderr.
 */
int expect_check_file(const char *path);

#endif /* DSIM_EXPECT_H */
