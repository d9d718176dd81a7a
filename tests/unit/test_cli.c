/*
 * test_cli.c - the option-error messages and the colour decision every
 * danesim subcommand shares (harness/cmd/cli.c).
 */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cmd/cli.h"
#include "harness/report/term.h"

static const struct option lopts[] = {
    {"out", required_argument, NULL, 'o'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/*
 * bad - parse argv (argc words) like a subcommand does and return what
 * cli_bad_option printed for the first rejected option ("" if none).
 */
static const char *
bad(int argc, char **argv)
{
	static char got[512];
	FILE *f = tmpfile();
	int saved, ch;
	size_t n;

	got[0] = '\0';
	if (f == NULL)
		return got;
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(f), 2);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", lopts, NULL)) != -1)
		if (ch == ':' || ch == '?') {
			cli_bad_option("sub", ch, argv, lopts);
			break;
		}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	return got;
}

/* test_messages - needs a value, takes no value, unknown; --opt=value. */
static void
test_messages(void)
{
	char *a1[] = {"sub", "--out", NULL};
	char *a2[] = {"sub", "--json=1", NULL};
	char *a3[] = {"sub", "--bogus", NULL};
	char *a4[] = {"sub", "-x", NULL};
	char *a5[] = {"sub", "--out=dir", "--json", "file", NULL};

	CU_ASSERT_STRING_EQUAL(bad(2, a1),
	    "danesim sub: --out needs a value\nsee 'danesim sub --help'\n");
	CU_ASSERT_STRING_EQUAL(bad(2, a2),
	    "danesim sub: --json takes no value\nsee 'danesim sub --help'\n");
	CU_ASSERT_STRING_EQUAL(bad(2, a3),
	    "danesim sub: unknown option '--bogus'\nsee 'danesim sub "
	    "--help'\n");
	CU_ASSERT_STRING_EQUAL(bad(2, a4),
	    "danesim sub: unknown option '-x'\nsee 'danesim sub --help'\n");
	CU_ASSERT_STRING_EQUAL(bad(4, a5), "");
}

/* test_colour - forced either way; NO_COLOR only when not empty; dumb. */
static void
test_colour(void)
{
	int fds[2], pty, tty;

	CU_ASSERT_FATAL(pipe(fds) == 0);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	CU_ASSERT_EQUAL(term_colour(0, fds[1]), 0); /* not a terminal */
	CU_ASSERT_EQUAL(term_colour(1, fds[1]), 1);
	CU_ASSERT_EQUAL(term_colour(2, fds[1]), 0);
	close(fds[0]);
	close(fds[1]);

	pty = posix_openpt(O_RDWR | O_NOCTTY);
	CU_ASSERT_FATAL(pty >= 0);
	CU_ASSERT_FATAL(grantpt(pty) == 0 && unlockpt(pty) == 0);
	tty = open(ptsname(pty), O_RDWR | O_NOCTTY);
	CU_ASSERT_FATAL(tty >= 0);
	CU_ASSERT_EQUAL(term_colour(0, tty), 1);
	setenv("NO_COLOR", "", 1);
	CU_ASSERT_EQUAL(term_colour(0, tty), 1);
	setenv("NO_COLOR", "1", 1);
	CU_ASSERT_EQUAL(term_colour(0, tty), 0);
	CU_ASSERT_EQUAL(term_colour(1, tty), 1);
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	CU_ASSERT_EQUAL(term_colour(0, tty), 0);
	unsetenv("TERM");
	CU_ASSERT_EQUAL(term_colour(0, tty), 1);
	close(tty);
	close(pty);
}

static CU_TestInfo tests[] = {
    {"messages", test_messages},
    {"colour", test_colour},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("cli", NULL, NULL, tests);
