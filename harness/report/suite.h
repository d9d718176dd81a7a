/*
 * suite.h - what a suite is as a whole: the hash of its scenario files
 * (report.json's suite_sha256, which runs compare and merge by) and its
 * shards ("danesim run --shard I/N", merged by "danesim compare
 * --merge"). Below run, analyse and compare, which all use it.
 */
#ifndef DSIM_SUITE_H
#define DSIM_SUITE_H

#include <stddef.h>

#include "scn.h"

/*
 * suite_sha256 - SHA-256 (64 lower-case hex digits and a NUL into
 * out) of the scenario files of the suite concatenated in the bytewise
 * order of their file names, the same as
 * `cd RUN/scenarios && printf '%s\n' *.scn | LC_ALL=C sort | xargs cat |
 * sha256sum` (docs/report-schema.md). 0, or -1 if a file cannot be read
 * (logged).
 */
int suite_sha256(const struct scn_suite *suite, char out[65]);

/*
 * suite_shard_parse - "I/N" (1 <= I <= N <= 10000) into *i and *n.
 * 0, or -1 (not logged) for anything else.
 */
int suite_shard_parse(const char *spec, unsigned *i, unsigned *n);

/*
 * suite_shard_filter - keep the scenarios of shard i of n: those whose
 * index k in id order (suite->items is sorted by id) has k % n == i - 1;
 * the others are freed. Returns how many were kept.
 */
size_t suite_shard_filter(struct scn_suite *suite, unsigned i, unsigned n);

#endif /* DSIM_SUITE_H */
