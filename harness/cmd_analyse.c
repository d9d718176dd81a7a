/*
 * cmd_analyse.c - `danesim analyse`: judge a finished run again from its
 * folder, optionally with another packet capture, and rewrite its
 * reports (report.json, junit.xml, summary.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyse.h"
#include "cli.h"
#include "expect.h"
#include "cmd.h"
#include "xmalloc.h"

/* analyse_usage - the --help text. */
static void
analyse_usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim analyse [--out DIR] [--quiet] [--color|--no-color]"
	    " RESULTS-DIR\n"
	    "       danesim analyse --pcap FILE --world RESULTS-DIR [--out DIR]"
	    "\n"
	    "\n"
	    "Judge a finished run again from its folder "
	    "(results/<time>-<sut>/,\n"
	    "results/latest, or results/ for its latest run): read the "
	    "scenario\n"
	    "copies, the world, run.json, the fake servers' event logs "
	    "(dns.jsonl,\n"
	    "smtp.jsonl) and, when this build has a capture analyser, the "
	    "run's\n"
	    "capture.pcap; score every expectation, write report.json, "
	    "junit.xml\n"
	    "and summary.md, and print the summary table.\n"
	    "\n"
	    "options:\n"
	    "  --pcap FILE       take the capture facts from FILE instead of "
	    "the\n"
	    "                    run's capture (needs --world); exits 2 when "
	    "FILE\n"
	    "                    cannot be analysed or no capture analyser is\n"
	    "                    built in\n"
	    "  --world DIR       the run folder whose world and logs go with"
	    " --pcap\n"
	    "  --out DIR         write the reports into DIR (default: the run"
	    " folder)\n"
	    "  --quiet           no summary table on stdout\n"
	    "  --color, --no-color\n"
	    "                    colour the table always / never (default:"
	    " when\n"
	    "                    stdout is a terminal, NO_COLOR is unset or"
	    " empty\n"
	    "                    and TERM is not dumb)\n"
	    "  --expect FILE     expected results (docs/comparing.md): the "
	    "exit status\n"
	    "                    then reflects only regressions and "
	    "unexpected passes\n"
	    "  --check-capture   compare every connection of the event logs "
	    "with the\n"
	    "                    capture (capture-check.txt); exit 1 when they"
	    "\n"
	    "                    disagree, 2 when there is no analysable "
	    "capture\n"
	    "  -h, --help        this text\n"
	    "\n"
	    "Verdicts: pass, fail, inconclusive (the SUT never tried, the"
	    " window\n"
	    "ended, or the logs and the capture disagree), error (danesim's"
	    " own\n"
	    "infrastructure failed). The report format is described in\n"
	    "docs/report-schema.md.\n"
	    "\n"
	    "exit status: 0 every expectation passed, 1 at least one failed,"
	    " 2 the\n"
	    "run folder could not be analysed, 3 only inconclusive or error"
	    "\n"
	    "verdicts kept the run from passing.\n");
}

int
cmd_analyse(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"pcap", required_argument, NULL, 'p'},
	    {"world", required_argument, NULL, 'w'},
	    {"out", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"color", no_argument, NULL, 'C'},
	    {"colour", no_argument, NULL, 'C'},
	    {"no-color", no_argument, NULL, 'N'},
	    {"no-colour", no_argument, NULL, 'N'},
	    {"help", no_argument, NULL, 'h'},
	    {"expect", required_argument, NULL, 'E'},
	    {"check-capture", no_argument, NULL, 'K'},
	    {NULL, 0, NULL, 0},
	};
	struct analyse_opts opts;
	const char *world = NULL, *dir = NULL, *expect = NULL;
	char *latest, *runjson;
	int ch, status = 2;

	memset(&opts, 0, sizeof(opts));
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:hqo:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			opts.pcap = optarg;
			break;
		case 'w':
			world = optarg;
			break;
		case 'o':
			opts.out_dir = optarg;
			break;
		case 'q':
			opts.quiet = 1;
			break;
		case 'C':
			opts.colour = 1;
			break;
		case 'N':
			opts.colour = 2;
			break;
		case 'K':
			opts.check_capture = 1;
			break;
		case 'E':
			if (expect_check_file(optarg) < 0)
				return 2;
			expect = optarg;
			break;
		case 'h':
			analyse_usage(stdout);
			return 0;
		default:
			cli_bad_option("analyse", ch, argv, longopts);
			return 2;
		}
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "danesim analyse: one RESULTS-DIR only\n");
		return 2;
	}
	if (world != NULL && dir != NULL && strcmp(world, dir) != 0) {
		fprintf(stderr,
		    "danesim analyse: --world %s and %s name "
		    "different run folders\n",
		    world, dir);
		return 2;
	}
	if (dir == NULL)
		dir = world;
	if (opts.pcap != NULL && world == NULL) {
		fprintf(stderr, "danesim analyse: --pcap needs --world "
		                "RESULTS-DIR\n");
		return 2;
	}
	if (dir == NULL) {
		analyse_usage(stderr);
		return 2;
	}
	/* "results/" means its latest run, as "results/latest" does. */
	latest = xasprintf("%s/latest/run.json", dir);
	runjson = xasprintf("%s/run.json", dir);
	if (access(runjson, F_OK) == -1 && access(latest, F_OK) == 0) {
		free(latest);
		latest = xasprintf("%s/latest", dir);
		dir = latest;
	}
	analyse_run_dir(dir, &opts, &status);
	if (expect != NULL && status != 2)
		status = expect_apply(
		    expect, opts.out_dir ? opts.out_dir : dir, stdout);
	free(latest);
	free(runjson);
	return status;
}
