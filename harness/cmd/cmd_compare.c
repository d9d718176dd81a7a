/*
 * cmd_compare.c - "danesim compare": runs side by side (HTML, Markdown),
 * and "danesim compare --merge": shards of one suite joined into one
 * report (compare.h, docs/comparing.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmd/cli.h"
#include "harness/cmd/cmd.h"
#include "harness/report/compare.h"
#include "harness/report/conform.h"

/* compare_usage - the --help text. */
static void
compare_usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim compare [--out FILE.html] [--markdown FILE.md] "
	    "[--fail-on-diff] RUN...\n"
	    "       danesim compare --merge --out DIR [--profile NAME|FILE] "
	    "SHARD-RUN...\n"
	    "\n"
	    "Put the reports of several runs side by side: a column per SUT "
	    "(name,\n"
	    "version, options), a row per scenario (outcome and verdict), "
	    "the rows\n"
	    "whose results differ marked, the totals on top. RUN is a run "
	    "folder\n"
	    "(results/latest) or its report.json.\n"
	    "\n"
	    "With --merge, join the run folders of one SUT made with "
	    "'danesim run\n"
	    "--shard I/N' (in different CI jobs) into DIR: report.json, "
	    "junit.xml,\n"
	    "summary.md and report.html as a single run of all their "
	    "scenarios\n"
	    "would have written them (apart from times).\n"
	    "\n"
	    "options:\n"
	    "  --out FILE          the comparison page as HTML (with "
	    "--merge: the\n"
	    "                      folder of the merged reports)\n"
	    "  --markdown FILE     the comparison as a Markdown table ('-': "
	    "standard\n"
	    "                      output); the default when --out is not "
	    "given\n"
	    "  --merge             merge shards instead of comparing\n"
	    "  --profile NAME|FILE with --merge: judge the merged report "
	    "against this\n"
	    "                      conformance profile (default: the one the "
	    "shards ran\n"
	    "                      with; docs/profiles.md)\n"
	    "  --fail-on-diff      exit 1 when a scenario's verdict is not the "
	    "same in\n"
	    "                      every run (release-to-release regression)\n"
	    "  -h, --help          this text\n"
	    "\n"
	    "Both outputs warn when the runs used different scenario suites, "
	    "danesim\n"
	    "versions or SUT options.\n"
	    "\n"
	    "exit status: 0 written, 1 verdicts differ (with --fail-on-diff), "
	    "2 usage\n"
	    "error or a report that cannot be read;\n"
	    "with --merge the merged report's status (0 passed, 1 a "
	    "failure, 3 only\n"
	    "inconclusive results) or 2.\n");
}

int
cmd_compare(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"out", required_argument, NULL, 'o'},
	    {"markdown", required_argument, NULL, 'm'},
	    {"merge", no_argument, NULL, 'M'},
	    {"fail-on-diff", no_argument, NULL, 'F'},
	    {"profile", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL, *md = NULL;
	struct conform_profile *prof = NULL;
	const char *profile = NULL;
	char err[512];
	int c, merge = 0, rc, fail_on_diff = 0;
	size_t ndiff = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", lopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'm':
			md = optarg;
			break;
		case 'M':
			merge = 1;
			break;
		case 'F':
			fail_on_diff = 1;
			break;
		case 'P':
			profile = optarg;
			break;
		case 'h':
			compare_usage(stdout);
			return 0;
		default:
			cli_bad_option("compare", c, argv, lopts);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "danesim compare: name at least one run\n");
		compare_usage(stderr);
		return 2;
	}
	if (merge) {
		if (out == NULL || md != NULL) {
			fprintf(stderr, "danesim compare --merge: wants --out "
			                "DIR (and no --markdown)\n");
			return 2;
		}
		if (profile != NULL &&
		    (prof = conform_load(profile, err, sizeof(err))) == NULL) {
			fprintf(stderr, "danesim compare: %s\n", err);
			return 2;
		}
		rc = compare_merge(
		    argv + optind, (size_t)(argc - optind), out, prof);
		conform_free(prof);
		if (rc < 0)
			return 2;
		printf("danesim compare: merged %d runs into %s/{report.json,"
		       "junit.xml,summary.md,report.html}\n",
		    argc - optind, out);
		return rc;
	}
	if (profile != NULL) {
		fprintf(
		    stderr, "danesim compare: --profile goes with --merge\n");
		return 2;
	}
	if (out == NULL && md == NULL)
		md = "-";
	if (compare_write(
	        argv + optind, (size_t)(argc - optind), out, md, &ndiff) < 0)
		return 2;
	if (fail_on_diff && ndiff > 0) {
		fprintf(stderr,
		    "danesim compare: %zu scenario%s with different "
		    "verdicts\n",
		    ndiff, ndiff == 1 ? "" : "s");
		return 1;
	}
	return 0;
}
