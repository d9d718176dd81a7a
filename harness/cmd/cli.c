/*
 * cli.c - option errors and the colour decision shared by the danesim
 * subcommands (cli.h). NO_COLOR follows https://no-color.org: set and not
 * empty means no colour.
 */
#include "harness/cmd/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* find_long - the long option named by text (up to '=' or the end). */
static const struct option *
find_long(const struct option *lopts, const char *text)
{
	size_t n = strcspn(text, "=");

	for (; lopts != NULL && lopts->name != NULL; lopts++)
		if (strlen(lopts->name) == n &&
		    strncmp(lopts->name, text, n) == 0)
			return lopts;
	return NULL;
}

void
cli_bad_option(const char *cmd, int ch, char **argv, const struct option *lopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	const struct option *o = NULL;
	char who[64];

	snprintf(who, sizeof(who), "danesim%s%s", cmd != NULL ? " " : "",
	    cmd != NULL ? cmd : "");
	if (arg != NULL && strncmp(arg, "--", 2) == 0)
		o = find_long(lopts, arg + 2);
	if (ch == ':' && o != NULL)
		fprintf(stderr, "%s: --%s needs a value\n", who, o->name);
	else if (ch == ':' && arg != NULL && strncmp(arg, "--", 2) == 0)
		fprintf(stderr, "%s: %s needs a value\n", who, arg);
	else if (ch == ':')
		fprintf(stderr, "%s: -%c needs a value\n", who, optopt);
	else if (o != NULL && o->has_arg == no_argument &&
	         strchr(arg, '=') != NULL)
		fprintf(stderr, "%s: --%s takes no value\n", who, o->name);
	else if (optopt != 0 && (arg == NULL || strncmp(arg, "--", 2) != 0))
		fprintf(stderr, "%s: unknown option '-%c'\n", who, optopt);
	else
		fprintf(stderr, "%s: unknown option '%s'\n", who, arg);
	fprintf(stderr, "see '%s --help'\n", who);
}
