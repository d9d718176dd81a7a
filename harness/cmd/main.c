/*
 * main.c - the danesim command: dispatch to subcommands.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cmd/cli.h"
#include "harness/cmd/cmd.h"
#include "log.h"
#include "share.h"
#include "version.h"

struct subcmd {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
};

static const struct subcmd subcmds[] = {
    {"run", cmd_run,
        "run scenarios against a sending MTA in a sealed network namespace"},
    {"world", cmd_world,
        "build a run's world (keys, certs, signed zones) and say where"},
    {"analyse", cmd_analyse,
        "judge a finished run again from its folder and rewrite its reports"},
    {"lint", cmd_lint, "check scenario files; FILE:LINE: problems"},
    {"list", cmd_list, "list the scenarios of a suite"},
    {"profiles", cmd_profiles, "list the SUT profiles --sut can name"},
    {"coverage", cmd_coverage,
        "map scenarios onto the requirement catalogue (Markdown)"},
    {"compare", cmd_compare,
        "runs side by side (HTML, Markdown); --merge joins --shard runs"},
    {"verify", cmd_verify,
        "check a run folder's SHA256SUMS (and its SSH signature)"},
    {NULL, NULL, NULL},
};

/* usage - the top-level help text. */
static void
usage(FILE *out)
{
	const struct subcmd *c;
	char *share = share_dir(), *helpers = share_helper_dir();

	fprintf(out,
	    "usage: danesim [-v] COMMAND [ARGS...]\n"
	    "       danesim COMMAND --help\n"
	    "       danesim --version\n"
	    "\n"
	    "Certify RFC 7672 (DANE for SMTP) in a sending mail server.\n"
	    "\n"
	    "commands:\n");
	for (c = subcmds; c->name != NULL; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out,
	    "\n"
	    "options:\n"
	    "  -v, --verbose  more messages on stderr (twice: debugging)\n"
	    "  -h, --help     this text\n"
	    "  --version      print danesim's version and exit\n"
	    "\n"
	    "Suite, SUT profiles and catalogue: %s\n"
	    "(DANESIM_SHARE overrides); fakedns, fakemx, refsut: %s.\n"
	    "\n"
	    "exit status: 0 all passed, 1 a check failed, 2 usage or setup\n"
	    "error, 3 only inconclusive results kept the run from passing.\n"
	    "See danesim(1).\n",
	    share, helpers);
	free(share);
	free(helpers);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const struct subcmd *c;
	enum log_level lvl = LOG_LVL_WARN;
	int ch, verbose = 0;

	/*
	 * The world build and the analysis allocate and free many blocks of
	 * every size. glibc's defaults hand memory back to the kernel as
	 * soon as 128 KiB are free at the heap's top and grow it again on
	 * the next allocation: a quarter to a third of a world build's CPU
	 * time went to brk, page faults and TLB flushes. Keep what was had
	 * (the process is short-lived; its peak is what counts) and grow in
	 * 16 MiB steps.
	 */
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_TOP_PAD, 16 * 1024 * 1024);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:hv", lopts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			verbose++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("danesim %s\n", DANESIM_VERSION);
			return 0;
		default:
			cli_bad_option(NULL, ch, argv, lopts);
			return 2;
		}
	}
	if (verbose == 1)
		lvl = LOG_LVL_INFO;
	else if (verbose > 1)
		lvl = LOG_LVL_DEBUG;
	log_init("danesim", lvl);
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (c = subcmds; c->name != NULL; c++)
		if (strcmp(c->name, argv[optind]) == 0)
			return c->fn(argc - optind, argv + optind);
	fprintf(stderr, "danesim: unknown command '%s'\n", argv[optind]);
	usage(stderr);
	return 2;
}
