/*
 * cmd_compare.c - "danesim compare": runs side by side (HTML, Markdown),
 * and "danesim compare --merge": shards of one suite joined into one
 * report (compare.h, docs/comparing.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "compare.h"

/* compare_usage - the --help text. */
static void
compare_usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim compare [--out FILE.html] [--markdown FILE.md] "
	    "RUN...\n"
	    "       danesim compare --merge --out DIR SHARD-RUN...\n"
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
	    "  -h, --help          this text\n"
	    "\n"
	    "exit status: 0 written, 2 usage error or a report that cannot "
	    "be read;\n"
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
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL, *md = NULL;
	int c, merge = 0, rc;

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
		rc = compare_merge(argv + optind, (size_t)(argc - optind), out);
		if (rc < 0)
			return 2;
		printf("danesim compare: merged %d runs into %s/{report.json,"
		       "junit.xml,summary.md,report.html}\n",
		    argc - optind, out);
		return rc;
	}
	if (out == NULL && md == NULL)
		md = "-";
	if (compare_write(argv + optind, (size_t)(argc - optind), out, md) < 0)
		return 2;
	return 0;
}
