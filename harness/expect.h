/*
 * expect.h - expected-results files for "danesim run --expect FILE" and
 * "danesim analyse --expect FILE" (format in docs/comparing.md): per
 * scenario (an id or a glob), "pass" or "xfail REASON". With such a
 * file the exit status reflects only regressions (expected pass, got
 * fail) and unexpected passes (xfail, got pass): a known failure no
 * longer fails a CI job, and a fixed one is noticed.
 *
 * Ownership: expect_parse/expect_load return a set owned by the caller
 * (expect_free).
 */
#ifndef DSIM_EXPECT_H
#define DSIM_EXPECT_H

#include <stddef.h>
#include <stdio.h>

enum expect_want { EXPECT_PASS = 0, EXPECT_XFAIL };

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
 * expect_lookup - what the set wants of scenario id: the first line
 * whose pattern (fnmatch glob) matches; EXPECT_PASS when none does.
 * *reason (may be NULL) gets the xfail reason (borrowed) or NULL.
 */
enum expect_want expect_lookup(
    const struct expect_set *set, const char *id, const char **reason);

/*
 * expect_judge_report - compare the scenario verdicts of report.json at
 * path with the set; say on out (may be NULL) which scenarios regressed,
 * passed unexpectedly or failed as expected, and which exact ids of the
 * set the report lacks. Returns the exit status: 1 a regression or an
 * unexpected pass, else 3 an inconclusive or error verdict, else 0; 2
 * when the report cannot be read (said on stderr).
 */
int expect_judge_report(
    const struct expect_set *set, const char *path, FILE *out);

/*
 * expect_apply - load expect_path and judge run_dir/report.json; the
 * exit status as expect_judge_report, 2 when the file does not load
 * (said on stderr).
 */
int expect_apply(const char *expect_path, const char *run_dir, FILE *out);

/*
 * expect_check_file - load path only to see that it parses (before a
 * long run). 0, or -1 after "danesim: path:line: problem" on stderr.
 */
int expect_check_file(const char *path);

#endif /* DSIM_EXPECT_H */
