/*
 * cmd_verify.c - "danesim verify": recheck a run folder's SHA256SUMS and,
 * with --signer, its SSH signature (verify.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmd/cmd.h"
#include "harness/report/verify.h"

/* verify_usage - the --help text. */
static void
verify_usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim verify [--signer PUBKEY] RUN-DIR\n"
	    "\n"
	    "Check that a run folder is as danesim left it: every file "
	    "listed in\n"
	    "RUN-DIR/SHA256SUMS has its hash, none is missing and none was "
	    "added.\n"
	    "With --signer, also check RUN-DIR/SHA256SUMS.sig (made by "
	    "'danesim run\n"
	    "--sign KEYFILE') against the OpenSSH public key in PUBKEY\n"
	    "(ssh-keygen -Y verify, namespace danesim).\n"
	    "\n"
	    "options:\n"
	    "  --signer PUBKEY   the signer's public key (e.g. "
	    "id_ed25519.pub)\n"
	    "  -h, --help        this text\n"
	    "\n"
	    "exit status: 0 the folder verifies, 1 a file changed, is missing "
	    "or\n"
	    "was added, or the signature is bad or missing, 2 usage error or\n"
	    "no SHA256SUMS.\n");
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"signer", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *signer = NULL;
	int c, rc, src;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			signer = optarg;
			break;
		case 'h':
			verify_usage(stdout);
			return 0;
		default:
			if (optopt == 's')
				fprintf(stderr,
				    "danesim verify: --signer needs a value\n");
			else
				fprintf(stderr,
				    "danesim verify: bad option %s\n",
				    argv[optind - 1]);
			verify_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "danesim verify: name one RUN-DIR\n");
		verify_usage(stderr);
		return 2;
	}
	rc = verify_check(argv[optind], stdout);
	if (rc == 2 || signer == NULL)
		return rc;
	src = verify_signature(argv[optind], signer, stdout);
	if (src == 2)
		return 2;
	return rc > src ? rc : src;
}
