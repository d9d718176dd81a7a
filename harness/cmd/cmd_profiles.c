/*
 * cmd_profiles.c - "danesim profiles": list the SUT profiles that
 * "danesim run --sut NAME" can name, the way it looks them up
 * ($DANESIM_SUT_PATH, then the share folder's sut/; share.h).
 *
 *   danesim profiles
 */
#include "harness/cmd/cmd.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cmd/cli.h"
#include "share.h"
#include "harness/run/sut.h"
#include "xmalloc.h"

/* usage - the subcommand's help. */
static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: danesim profiles\n"
	    "\n"
	    "List the SUT profiles 'danesim run --sut NAME' finds, one per\n"
	    "line: name, file, one-line description. Looked up in\n"
	    "$DANESIM_SUT_PATH, then in the share folder's sut/ (see\n"
	    "'danesim --help'); a name found twice is listed once, as --sut\n"
	    "resolves it. --sut FILE takes any profile file as well\n"
	    "(docs/sut-profiles.md).\n"
	    "\n"
	    "options:\n"
	    "  -h, --help  this text\n"
	    "\n"
	    "exit status: 0 listed, 2 usage error or a profile that does not\n"
	    "parse (named on stderr).\n");
}

/* is_conf - scandir filter: NAME.conf with a usable name. */
static int
is_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && d->d_name[0] != '.' &&
	       strcmp(d->d_name + n - 5, ".conf") == 0;
}

/* One profile found: its name, file and description (owned). */
struct row {
	char *name;
	char *file;
	char *desc;
};

/* seen - whether name is among rows[0..n). */
static int
seen(const struct row *rows, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return 1;
	return 0;
}

/*
 * scan - add every profile of dir not shadowed by an earlier one to rows;
 * 0, or -1 after a message (a profile that does not parse, or no folder).
 */
static int
scan(const char *dir, struct row **rows, size_t *n)
{
	struct sut_profile *p;
	struct dirent **ents;
	char *path, err[512];
	int i, nents, rc = 0;

	nents = scandir(dir, &ents, is_conf, alphasort);
	if (nents < 0) {
		fprintf(stderr, "danesim profiles: cannot read %s\n", dir);
		return -1;
	}
	for (i = 0; i < nents; i++) {
		path = xasprintf("%s/%s", dir, ents[i]->d_name);
		p = sut_profile_load(path, err, sizeof(err));
		if (p == NULL) {
			fprintf(stderr, "danesim profiles: %s\n", err);
			rc = -1;
		} else if (!seen(*rows, *n, p->name)) {
			*rows = xreallocarray(*rows, *n + 1, sizeof(**rows));
			(*rows)[*n].name = xstrdup(p->name);
			(*rows)[*n].file = xstrdup(p->file);
			(*rows)[*n].desc = xstrdup(
			    p->description != NULL ? p->description : "-");
			(*n)++;
		}
		sut_profile_free(p);
		free(path);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
cmd_profiles(int argc, char **argv)
{
	static const struct option lopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *env = getenv("DANESIM_SUT_PATH");
	struct row *rows = NULL;
	size_t nrows = 0, i, wname = 4, wfile = 4;
	char *dir;
	int ch, rc = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", lopts, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			return 0;
		}
		cli_bad_option("profiles", ch, argv, lopts);
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "danesim profiles: unexpected argument '%s'\n",
		    argv[optind]);
		return 2;
	}
	if (env != NULL && env[0] != '\0' && scan(env, &rows, &nrows) < 0)
		rc = 2;
	dir = share_path("sut");
	if (scan(dir, &rows, &nrows) < 0)
		rc = 2;
	free(dir);
	for (i = 0; i < nrows; i++) {
		if (strlen(rows[i].name) > wname)
			wname = strlen(rows[i].name);
		if (strlen(rows[i].file) > wfile)
			wfile = strlen(rows[i].file);
	}
	if (nrows > 0)
		printf("%-*s  %-*s  %s\n", (int)wname, "NAME", (int)wfile,
		    "FILE", "DESCRIPTION");
	for (i = 0; i < nrows; i++) {
		printf("%-*s  %-*s  %s\n", (int)wname, rows[i].name, (int)wfile,
		    rows[i].file, rows[i].desc);
		free(rows[i].name);
		free(rows[i].file);
		free(rows[i].desc);
	}
	free(rows);
	return rc;
}
