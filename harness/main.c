/*
 * main.c - the danesim command: dispatch to subcommands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
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

	fprintf(out,
	    "usage: danesim [-v] COMMAND [ARGS...]\n"
	    "       danesim COMMAND --help\n"
	    "\n"
	    "Certify RFC 7672 (DANE for SMTP) in a sending mail server.\n"
	    "\n"
	    "commands:\n");
	for (c = subcmds; c->name != NULL; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out,
	    "\n"
	    "exit status: 0 all passed, 1 a check failed, 2 usage or setup\n"
	    "error, 3 only inconclusive results kept the run from passing.\n"
	    "See danesim(1).\n");
}

int
main(int argc, char **argv)
{
	const struct subcmd *c;
	enum log_level lvl = LOG_LVL_WARN;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0)
			lvl = LOG_LVL_INFO;
		else if (strcmp(argv[i], "-vv") == 0)
			lvl = LOG_LVL_DEBUG;
		else if (strcmp(argv[i], "-h") == 0 ||
		         strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("danesim %s\n", DANESIM_VERSION);
			return 0;
		} else {
			fprintf(
			    stderr, "danesim: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	log_init("danesim", lvl);
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (c = subcmds; c->name != NULL; c++)
		if (strcmp(c->name, argv[i]) == 0)
			return c->fn(argc - i, argv + i);
	fprintf(stderr, "danesim: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
