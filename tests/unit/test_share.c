/*
 * test_share.c - where the suite, profiles, catalogue and helpers are
 * found (lib/share.c): $DANESIM_SHARE in the installed layout, else the
 * source tree the (unit-test) binary was built in.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "share.h"
#include "xmalloc.h"

/* ends_with - whether s ends with tail. */
static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* is_dir - 1 if path is a folder. */
static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* test_env - DANESIM_SHARE wins and uses the installed names. */
static void
test_env(void)
{
	char *p;

	setenv("DANESIM_SHARE", "/opt/x/share/danesim", 1);
	p = share_path("sut");
	CU_ASSERT_STRING_EQUAL(p, "/opt/x/share/danesim/sut");
	free(p);
	p = share_path("docs/rfc7672-requirements.md");
	CU_ASSERT_STRING_EQUAL(
	    p, "/opt/x/share/danesim/docs/rfc7672-requirements.md");
	free(p);
	p = share_dir();
	CU_ASSERT_STRING_EQUAL(p, "/opt/x/share/danesim");
	free(p);
	/* Empty is unset. */
	setenv("DANESIM_SHARE", "", 1);
	p = share_path("scenarios");
	CU_ASSERT_STRING_NOT_EQUAL(p, "/scenarios");
	free(p);
	unsetenv("DANESIM_SHARE");
}

/* test_source_tree - from build/.../unittest: the source tree's names. */
static void
test_source_tree(void)
{
	char *p;

	unsetenv("DANESIM_SHARE");
	p = share_path("sut");
	CU_ASSERT(ends_with(p, "harness/sut"));
	CU_ASSERT(is_dir(p));
	free(p);
	p = share_path("sut/refsut.conf");
	CU_ASSERT(ends_with(p, "harness/sut/refsut.conf"));
	CU_ASSERT(access(p, R_OK) == 0);
	free(p);
	p = share_path("suture");
	CU_ASSERT(!ends_with(p, "harness/sut/ure"));
	free(p);
	p = share_path("scenarios");
	CU_ASSERT(is_dir(p));
	free(p);
	p = share_path("docs/rfc7672-requirements.md");
	CU_ASSERT(access(p, R_OK) == 0);
	free(p);
}

/*
 * test_helpers - the helpers' folder: the runner's own build folder when
 * fakedns was built there, else the compiled-in libexec folder.
 */
static void
test_helpers(void)
{
	char exe[4096], *slash, *p, *q;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	CU_ASSERT_FATAL(n > 0);
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	CU_ASSERT_FATAL(slash != NULL);
	*slash = '\0';
	q = xasprintf("%s/fakedns", exe);
	p = share_helper_dir();
	if (access(q, X_OK) == 0) {
		CU_ASSERT_STRING_EQUAL(p, exe);
	} else {
		CU_ASSERT(ends_with(p, "/libexec/danesim"));
	}
	free(q);
	free(p);
}

static CU_TestInfo tests[] = {
    {"env", test_env},
    {"source_tree", test_source_tree},
    {"helpers", test_helpers},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("share", NULL, NULL, tests);
