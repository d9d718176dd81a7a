/*
 * cmd_analyse.c - `danesim analyse`: judge a finished run again from its
 * folder, optionally with another packet capture, and rewrite its
 * reports (report.json, junit.xml, summary.md).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/run/analyse.h"
#include "harness/cmd/cli.h"
#include "harness/cmd/cmd.h"
#include "harness/report/conform.h"
#include "harness/report/expect.h"
#include "harness/report/verify.h"
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
	    "  --expect FILE     expected results per scenario (ID, glob) or "
	    "expectation\n"
	    "                    (ID:LINE), docs/comparing.md: marked in the "
	    "reports; the\n"
	    "                    exit status then reflects only regressions "
	    "and\n"
	    "                    unexpected passes (1), or undecided lines "
	    "(3)\n"
	    "  --check-capture   exit 1 when the event logs and the capture "
	    "disagree\n"
	    "                    on any connection (they are always compared,\n"
	    "                    capture-check.txt, and a disagreement always"
	    "\n"
	    "                    makes the pass claims it touches "
	    "inconclusive);\n"
	    "                    2 when there is no analysable capture\n"
	    "  --profile NAME|FILE\n"
	    "                    judge the run against a conformance profile\n"
	    "                    (rfc7672, nl-gov, or a file; "
	    "docs/profiles.md):"
	    "\n"
	    "                    the reports open with \"meets NAME: yes/no\"\n"
	    "                    (default: the profile the run was made with)\n"
	    "  --write-expect FILE\n"
	    "                    write an expected-results file from this run's"
	    "\n"
	    "                    verdicts (a baseline for --expect)\n"
	    "  --sign KEYFILE    sign the run folder's new SHA256SUMS with this"
	    "\n"
	    "                    SSH private key (danesim verify --signer)\n"
	    "  -h, --help        this text\n"
	    "\n"
	    "Verdicts: pass, fail, inconclusive (the SUT never tried, the"
	    " window\n"
	    "ended, or the logs and the capture disagree), error (danesim's"
	    " own\n"
	    "infrastructure failed). The report format is described in\n"
	    "docs/report-schema.md. Analysing a run folder in place rewrites "
	    "its"
	    "\n"
	    "SHA256SUMS when the folder verified before (else it is left as it"
	    "\n"
	    "was, and danesim verify keeps failing).\n"
	    "\n"
	    "exit status: 0 every expectation passed, 1 at least one failed,"
	    " 2 the\n"
	    "run folder could not be analysed, 3 only inconclusive or error"
	    "\n"
	    "verdicts kept the run from passing.\n");
}

/* write_expect - an expected-results file from report.json in dir:
   "pass" for what passed, "xfail" with the failed requirement ids for
   what failed; inconclusive and error scenarios are expected to pass
   (noted in a comment). 0, or -1 after a message. */
static int
write_expect(const char *dir, const char *path)
{
	char *rp = xasprintf("%s/report.json", dir), *tmp;
	json_t *rep, *s, *e, *r, *sut;
	json_error_t jerr;
	size_t i, j, k;
	FILE *f;
	int rc = -1;

	if ((rep = json_load_file(rp, 0, &jerr)) == NULL) {
		fprintf(stderr, "danesim analyse: %s:%d: %s\n", rp, jerr.line,
		    jerr.text);
		free(rp);
		return -1;
	}
	tmp = xasprintf("%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		fprintf(stderr, "danesim analyse: %s: cannot write\n", tmp);
		goto out;
	}
	sut = json_object_get(rep, "sut");
	fprintf(f,
	    "# expected results (danesim analyse --write-expect) from %s\n"
	    "# SUT %s %s, suite sha256 %s\n",
	    rp, json_string_value(json_object_get(sut, "name")) ?: "?",
	    json_string_value(json_object_get(sut, "version")) ?: "?",
	    json_string_value(
	        json_object_get(json_object_get(rep, "suite"), "sha256"))
	        ?: "?");
	json_array_foreach(json_object_get(rep, "scenarios"), i, s)
	{
		const char *id = json_string_value(json_object_get(s, "id"));
		const char *v =
		    json_string_value(json_object_get(s, "verdict"));
		json_t *seen = json_object();
		int n = 0;

		if (id == NULL || v == NULL)
			continue;
		if (strcmp(v, "fail") != 0) {
			if (strcmp(v, "pass") != 0)
				fprintf(
				    f, "# %s was %s in the baseline\n", id, v);
			fprintf(f, "%s pass\n", id);
			json_decref(seen);
			continue;
		}
		fprintf(f, "%s xfail baseline failed", id);
		json_array_foreach(json_object_get(s, "expectations"), j, e)
		{
			if (strcmp(
			        json_string_value(json_object_get(e, "verdict"))
			            ?: "",
			        "fail") != 0)
				continue;
			json_array_foreach(
			    json_object_get(e, "requirements"), k, r)
			{
				const char *id2 = json_string_value(r);

				/* reasons are one line of plain words */
				if (id2 == NULL ||
				    strspn(id2, "R0123456789.-abcdefghijklmnop"
				                "qrstuvwxyz") != strlen(id2) ||
				    json_object_get(seen, id2) != NULL)
					continue;
				json_object_set_new(seen, id2, json_true());
				fprintf(f, "%s%s", n++ ? ", " : " ", id2);
			}
		}
		fputc('\n', f);
		json_decref(seen);
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "danesim analyse: %s: cannot write\n", path);
		unlink(tmp);
		goto out;
	}
	if (expect_check_file(path) < 0)
		goto out;
	printf("danesim analyse: expected results written to %s\n", path);
	rc = 0;
out:
	json_decref(rep);
	free(rp);
	free(tmp);
	return rc;
}

/* quiet_check - verify_check without its lines; 0, 1 or 2. */
static int
quiet_check(const char *dir)
{
	FILE *null = fopen("/dev/null", "w");
	int rc;

	if (null == NULL)
		return 2;
	rc = verify_check(dir, null);
	fclose(null);
	return rc;
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
	    {"profile", required_argument, NULL, 'P'},
	    {"write-expect", required_argument, NULL, 'W'},
	    {"sign", required_argument, NULL, 'S'},
	    {NULL, 0, NULL, 0},
	};
	struct analyse_opts opts;
	const char *world = NULL, *dir = NULL;
	const char *profile = NULL, *write_exp = NULL, *sign = NULL;
	struct conform_profile *prof = NULL;
	char *latest, *runjson, *sums, err[512];
	int ch, status = 2, before = 2;

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
			opts.expect = optarg;
			break;
		case 'P':
			profile = optarg;
			break;
		case 'W':
			write_exp = optarg;
			break;
		case 'S':
			sign = optarg;
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
	if (profile != NULL) {
		if ((prof = conform_load(profile, err, sizeof(err))) == NULL) {
			fprintf(stderr, "danesim analyse: %s\n", err);
			goto out;
		}
		opts.profile = prof;
	}
	if (sign != NULL && access(sign, R_OK) != 0) {
		fprintf(stderr, "danesim analyse: --sign %s: cannot read it\n",
		    sign);
		goto out;
	}
	/* In place, SHA256SUMS is renewed only over a folder that was
	   intact: re-analysis must not bless a changed file. */
	sums = xasprintf("%s/%s", dir, VERIFY_SUMS);
	if (opts.out_dir == NULL && access(sums, F_OK) == 0)
		before = quiet_check(dir);
	else if (opts.out_dir == NULL)
		before = 0;
	free(sums);
	analyse_run_dir(dir, &opts, &status);
	if (status != 2 && write_exp != NULL &&
	    write_expect(opts.out_dir ? opts.out_dir : dir, write_exp) < 0)
		status = 2;
	if (status != 2 && opts.out_dir == NULL) {
		if (before == 0) {
			if (verify_write_sums(dir) < 0 ||
			    (sign != NULL && verify_sign(dir, sign) < 0))
				status = 2;
		} else
			fprintf(stderr,
			    "danesim analyse: %s did not verify before this "
			    "analysis (danesim verify %s); its SHA256SUMS "
			    "is left as it was\n",
			    dir, dir);
	}
out:
	conform_free(prof);
	free(latest);
	free(runjson);
	return status;
}
