/*
 * run.h - one run of a scenario suite against one SUT in a sealed network
 * namespace (run.c), started by "danesim run" (harness/cmd/cmd_run.c),
 * which reads its command line into struct run_opts.
 */
#ifndef DSIM_RUN_H
#define DSIM_RUN_H

#include <stddef.h>

#include "scn.h"

#define RUN_EXIT_PASS 0
#define RUN_EXIT_FAIL 1
#define RUN_EXIT_SETUP 2
#define RUN_EXIT_INCONCLUSIVE 3

#define RUN_DEFAULT_WINDOW 60
#define RUN_DEFAULT_ATTEMPTS SCN_ATTEMPTS_DEFAULT
#define RUN_MAX_ATTEMPTS SCN_ATTEMPTS_MAX

struct run_opts {
	const char *sut;
	char **sut_opts;
	size_t nsut_opts;
	const char *out;
	char **only;
	size_t nonly;
	long window;
	long jobs;     /* 0 = all */
	long attempts; /* delivery attempts watched per scenario */
	int keep;
	char **paths;
	size_t npaths;
	unsigned shard_i; /* --shard I/N; shard_n 0 = whole suite */
	unsigned shard_n;
	const char *expect; /* --expect FILE, or NULL */
	int quiet;          /* --quiet: no progress lines, no summary */
	char *profile;      /* --profile: the profile's file, or NULL */
	const char *sign;   /* --sign KEYFILE, or NULL */
};

/*
 * run_suite - the whole run the options o ask for: checks, run folder,
 * world, namespace, fakes, SUT, observation, teardown, run.json and the
 * judgement (analyse_run_dir). Takes over o's sut_opts, only and profile
 * (freed here). Returns the exit status: RUN_EXIT_PASS, _FAIL, _SETUP or
 * _INCONCLUSIVE (docs/danesim.1).
 */
int run_suite(struct run_opts *o);

#endif /* DSIM_RUN_H */
