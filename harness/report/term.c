/*
 * term.c - whether the terminal output is coloured (see term.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/report/term.h"

int
term_colour(int force, int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (force == 1)
		return 1;
	if (force == 2)
		return 0;
	if (no != NULL && no[0] != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}
