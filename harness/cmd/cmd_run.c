/*
 * cmd_run.c - "danesim run": the command line (docs/danesim.1) into
 * struct run_opts, then the run itself (harness/run/run.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cmd/cli.h"
#include "harness/cmd/cmd.h"
#include "harness/report/conform.h"
#include "harness/report/expect.h"
#include "harness/report/suite.h"
#include "harness/run/run.h"
#include "xmalloc.h"

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim run [--sut NAME|FILE] [--sut-opt KEY=VALUE]...\n"
	    "                   [--out DIR] [--only GLOB]... [--window "
	    "SECONDS]\n"
	    "                   [--jobs N] [--attempts N] [--keep] [--quiet]\n"
	    "                   [SCENARIO-FILE-OR-DIR...]\n"
	    "\n"
	    "Run scenarios against a sending mail server (the SUT) in a "
	    "sealed\n"
	    "network namespace and judge what it did (RFC 7672, DANE for "
	    "SMTP).\n"
	    "\n"
	    "A run builds a fresh world (keys, certificates, a signed DNS "
	    "tree),\n"
	    "starts fakedns, fakemx, a packet capture and a validating "
	    "Unbound in\n"
	    "namespace danesim-<pid>, starts the SUT through its profile, "
	    "sends one\n"
	    "message per scenario (message k of a scenario with 'messages N' "
	    "when its\n"
	    "attempt k opens), observes until each is decided or its "
	    "window\n"
	    "ends, tears everything down and writes the reports to the run "
	    "folder\n"
	    "OUT/<UTC-time>-<sut>/ (OUT/latest points to it).\n"
	    "\n"
	    "options:\n"
	    "  --sut NAME|FILE     SUT profile: postfix (default), refsut, "
	    "command,\n"
	    "                      or the path of a profile file "
	    "(docs/sut-profiles.md)\n"
	    "  --sut-opt KEY=VALUE passed to the profile (postfix: a main.cf "
	    "parameter\n"
	    "                      or mta-sts=1;\n"
	    "                      refsut: SWITCH=1; command: inject=..., "
	    "start=...);\n"
	    "                      may be repeated; checked by the "
	    "profile's validate\n"
	    "                      step before the run (exit 2 if "
	    "refused)\n"
	    "  --out DIR           where run folders go (default results)\n"
	    "  --only GLOB         run only scenarios whose id matches GLOB; "
	    "repeatable\n"
	    "  --window SECONDS    how long to wait for a scenario to be "
	    "decided\n"
	    "                      (default 60; a scenario's own 'window' "
	    "wins)\n"
	    "  --jobs N            scenarios in flight at once (default: all)\n"
	    "  --attempts N        delivery attempts watched per scenario "
	    "(default 2,\n"
	    "                      1..10): after a deferral danesim makes "
	    "the SUT\n"
	    "                      retry at once and observes again (a "
	    "scenario's\n"
	    "                      'attempts M' header may ask for more)\n"
	    "  --keep              keep the SUT's whole private instance (its "
	    "queue)\n"
	    "                      in the run folder instead of only its logs\n"
	    "  -q, --quiet         no progress lines and no summary table "
	    "(errors\n"
	    "                      still go to stderr; the exit status and "
	    "the\n"
	    "                      reports tell the result)\n"
	    "  --shard I/N         run only shard I of N: the scenarios whose "
	    "index in\n"
	    "                      id order is I-1 modulo N (CI jobs; join "
	    "them with\n"
	    "                      danesim compare --merge)\n"
	    "  --expect FILE       expected results per scenario (ID, glob) or "
	    "expectation\n"
	    "                      (ID:LINE), docs/comparing.md: marked in "
	    "the reports;\n"
	    "                      the exit status then reflects only "
	    "regressions and\n"
	    "                      unexpected passes (1), or undecided lines "
	    "(3)\n"
	    "  --profile NAME|FILE judge against a conformance profile "
	    "(rfc7672,\n"
	    "                      nl-gov, or a file; docs/profiles.md): the "
	    "reports\n"
	    "                      open with \"meets NAME: yes/no\"\n"
	    "  --sign KEYFILE      sign the run folder's SHA256SUMS with this "
	    "SSH\n"
	    "                      private key (check: danesim verify "
	    "--signer PUB)\n"
	    "  -h, --help          this text\n"
	    "\n"
	    "Scenario files or folders default to the suite (see 'danesim\n"
	    "--help'). Needs root: it creates a network namespace, writes\n"
	    "/etc/netns and runs the SUT under its own users.\n"
	    "\n"
	    "exit status: 0 every expectation passed, 1 at least one failed, "
	    "2 usage\n"
	    "or setup error (nothing judged), 3 only inconclusive or error "
	    "results\n"
	    "kept the run from passing (also after an interruption).\n");
}

/* parse_opts - the command line into o; 0, or -1 after a message. */
static int
parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option lopts[] = {
	    {"sut", required_argument, NULL, 's'},
	    {"sut-opt", required_argument, NULL, 'o'},
	    {"out", required_argument, NULL, 'O'},
	    {"only", required_argument, NULL, 'y'},
	    {"window", required_argument, NULL, 'w'},
	    {"jobs", required_argument, NULL, 'j'},
	    {"attempts", required_argument, NULL, 'a'},
	    {"keep", no_argument, NULL, 'k'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"shard", required_argument, NULL, 'S'},
	    {"expect", required_argument, NULL, 'E'},
	    {"profile", required_argument, NULL, 'P'},
	    {"sign", required_argument, NULL, 'G'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	o->sut = "postfix";
	o->out = "results";
	o->window = RUN_DEFAULT_WINDOW;
	o->attempts = RUN_DEFAULT_ATTEMPTS;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hq", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->sut = optarg;
			break;
		case 'o':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=' ||
			    strchr(optarg, '\n') != NULL) {
				fprintf(stderr,
				    "danesim run: --sut-opt wants KEY=VALUE "
				    "on one line, not '%s'\n",
				    optarg);
				return -1;
			}
			o->sut_opts = xreallocarray(
			    o->sut_opts, o->nsut_opts + 1, sizeof(char *));
			o->sut_opts[o->nsut_opts++] = optarg;
			break;
		case 'O':
			o->out = optarg;
			break;
		case 'y':
			o->only = xreallocarray(
			    o->only, o->nonly + 1, sizeof(char *));
			o->only[o->nonly++] = optarg;
			break;
		case 'w':
			errno = 0;
			o->window = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || o->window < 1 ||
			    o->window > 3600) {
				fprintf(stderr,
				    "danesim run: --window wants 1..3600 "
				    "seconds\n");
				return -1;
			}
			break;
		case 'j':
			errno = 0;
			o->jobs = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || o->jobs < 1 ||
			    o->jobs > 100000) {
				fprintf(stderr,
				    "danesim run: --jobs wants a number >= "
				    "1\n");
				return -1;
			}
			break;
		case 'a':
			errno = 0;
			o->attempts = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || o->attempts < 1 ||
			    o->attempts > RUN_MAX_ATTEMPTS) {
				fprintf(stderr,
				    "danesim run: --attempts wants 1..%d\n",
				    RUN_MAX_ATTEMPTS);
				return -1;
			}
			break;
		case 'k':
			o->keep = 1;
			break;
		case 'S':
			if (suite_shard_parse(
			        optarg, &o->shard_i, &o->shard_n) < 0) {
				fprintf(stderr,
				    "danesim run: --shard wants I/N with 1 <= "
				    "I <= N, not '%s'\n",
				    optarg);
				return -1;
			}
			break;
		case 'E':
			if (expect_check_file(optarg) < 0)
				return -1;
			o->expect = optarg;
			break;
		case 'P': {
			struct conform_profile *p;
			char err[512];

			/* Read now: a typo must not cost a whole run. */
			if ((p = conform_load(optarg, err, sizeof(err))) ==
			    NULL) {
				fprintf(stderr, "danesim run: %s\n", err);
				return -1;
			}
			free(o->profile);
			o->profile = xstrdup(p->path);
			conform_free(p);
			break;
		}
		case 'G':
			if (access(optarg, R_OK) != 0) {
				fprintf(stderr,
				    "danesim run: --sign %s: cannot read it\n",
				    optarg);
				return -1;
			}
			o->sign = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'q':
			o->quiet = 1;
			break;
		default:
			cli_bad_option("run", c, argv, lopts);
			return -1;
		}
	}
	o->paths = argv + optind;
	o->npaths = (size_t)(argc - optind);
	return 0;
}

int
cmd_run(int argc, char **argv)
{
	struct run_opts o;
	int prc;

	memset(&o, 0, sizeof(o));
	prc = parse_opts(argc, argv, &o);
	if (prc != 0) {
		free(o.sut_opts);
		free(o.only);
		free(o.profile);
		return prc > 0 ? RUN_EXIT_PASS : RUN_EXIT_SETUP;
	}
	return run_suite(&o);
}
