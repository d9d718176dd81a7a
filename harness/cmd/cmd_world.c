/*
 * cmd_world.c - "danesim world": build a run's world (keys, certificates,
 * the signed DNS tree, fakedns.json, fakemx.json) without running
 * anything, and say where it is. For people inspecting what a scenario
 * produces, and for the end-to-end tests of the fake servers.
 *
 *   danesim world [--out DIR] [--now UNIXTIME] [SCENARIOS...]
 */
#include "harness/cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/cmd/cli.h"
#include "log.h"
#include "scn.h"
#include "share.h"
#include "harness/world/world.h"
#include "xmalloc.h"

/* usage - the subcommand's help. */
static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim world [--out DIR] [--now UNIXTIME] "
	    "[SCENARIOS...]\n"
	    "\n"
	    "Build the world of the scenarios (files or folders; default\n"
	    "the suite, see 'danesim --help') into DIR/world (default: a\n"
	    "new folder under /tmp) and print where it is, then one line\n"
	    "per zone and MX host. NOW defaults to the current time.\n"
	    "\n"
	    "options:\n"
	    "  --out DIR       where the world folder goes\n"
	    "  --now UNIXTIME  the run's NOW (certificate and signature "
	    "dates)\n"
	    "  -h, --help      this text\n"
	    "\n"
	    "exit status: 0 built, 2 usage, scenario or build error.\n");
}

/* parse_now - a non-negative decimal UNIX time; 0/-1. */
static int
parse_now(const char *s, time_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 4000000000LL)
		return -1;
	*out = (time_t)v;
	return 0;
}

int
cmd_world(int argc, char **argv)
{
	struct scn_suite suite = {0};
	struct scn_errors errs = {0};
	struct world *w = NULL;
	static const struct option lopts[] = {
	    {"out", required_argument, NULL, 'o'},
	    {"now", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char *defpath[1];
	char tmpl[] = "/tmp/danesim-world-XXXXXX";
	const char *out = NULL;
	time_t now = time(NULL);
	size_t i;
	int ch, loaded, rc = 2;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			if (parse_now(optarg, &now) != 0) {
				fprintf(stderr,
				    "danesim world: --now wants a UNIX time, "
				    "not '%s'\n",
				    optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			cli_bad_option("world", ch, argv, lopts);
			return 2;
		}
	}
	defpath[0] = share_path("scenarios");
	loaded = scn_suite_load(&suite, optind < argc ? argv + optind : defpath,
	             optind < argc ? (size_t)(argc - optind) : 1, &errs) == 0;
	free(defpath[0]);
	if (!loaded)
		goto out;
	if (suite.n == 0) {
		fprintf(stderr, "danesim world: no scenarios found\n");
		goto out;
	}
	if (out == NULL) {
		out = mkdtemp(tmpl);
		if (out == NULL) {
			log_err("world: mkdtemp");
			goto out;
		}
	}
	w = world_build(&suite, out, now, &errs);
	if (w == NULL)
		goto out;
	printf("world: %s\n", w->dir);
	printf("now: %lld\n", (long long)w->now);
	printf("trust-anchor: %s\n", w->trust_anchor);
	printf("fakedns: %s\n", w->fakedns_conf);
	printf("fakemx: %s\n", w->fakemx_conf);
	for (i = 0; i < w->nzones; i++)
		printf("zone %s %s %s %s %s\n", w->zones[i].name,
		    w->zones[i].addr,
		    w->zones[i].is_signed ? "signed" : "unsigned",
		    w->zones[i].scn != NULL ? w->zones[i].scn->id : "-",
		    w->zones[i].file);
	for (i = 0; i < w->nmxs; i++)
		printf("mx %s %s %s%s%s\n", w->mxs[i].scn->id,
		    w->mxs[i].mx->name, w->mxs[i].addr,
		    w->mxs[i].addr6 != NULL ? " " : "",
		    w->mxs[i].addr6 != NULL ? w->mxs[i].addr6 : "");
	rc = 0;
out:
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	world_free(w);
	scn_errors_free(&errs);
	scn_suite_free(&suite);
	return rc;
}
