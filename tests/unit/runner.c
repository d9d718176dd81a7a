/*
 * runner.c - the one CUnit runner: every suite registered by UNIT_SUITE.
 *
 * Usage: unittest [SUITE...]   (default: all suites)
 * Exit status 0 when every assertion passed, 1 otherwise.
 */
#include "unit.h"

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

#define UNIT_MAX_SUITES 128

struct unit_suite {
	const char *name;
	CU_InitializeFunc init;
	CU_CleanupFunc clean;
	CU_TestInfo *tests;
};

static struct unit_suite unit_suites[UNIT_MAX_SUITES];
static int unit_nsuites;

void
unit_register(const char *name, CU_InitializeFunc init, CU_CleanupFunc clean,
    CU_TestInfo *tests)
{
	if (unit_nsuites == UNIT_MAX_SUITES) {
		fprintf(stderr, "unittest: too many suites\n");
		exit(2);
	}
	unit_suites[unit_nsuites].name = name;
	unit_suites[unit_nsuites].init = init;
	unit_suites[unit_nsuites].clean = clean;
	unit_suites[unit_nsuites].tests = tests;
	unit_nsuites++;
}

int
unit_need_root(const char *what)
{
	const char *ci = getenv("CI");

	if (geteuid() == 0)
		return 1;
	fprintf(stderr, "\n  %s: needs root; skipped\n", what);
	if (ci != NULL && strcmp(ci, "true") == 0)
		CU_FAIL("needs root, and in CI (CI=true) a skip is a failure");
	return 0;
}

const char *
unit_data_path(const char *name)
{
	static char path[4096];
	const char *top = getenv("DANESIM_SRCDIR");

	snprintf(path, sizeof(path), "%s/tests/data/%s", top ? top : ".", name);
	return path;
}

/* cmp_suite - order suites by name so runs are reproducible. */
static int
cmp_suite(const void *a, const void *b)
{
	return strcmp(((const struct unit_suite *)a)->name,
	    ((const struct unit_suite *)b)->name);
}

/* wanted - whether suite name is selected on the command line. */
static int
wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return 1;
	return 0;
}

char *
unit_file_text(const char *path)
{
	struct buf b;
	char chunk[4096], *text;
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	text = buf_steal(&b);
	return text != NULL ? text : xstrdup("");
}

int
main(int argc, char **argv)
{
	unsigned failed;
	int i;

	log_init("unittest", LOG_LVL_ERROR);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	qsort(unit_suites, (size_t)unit_nsuites, sizeof(unit_suites[0]),
	    cmp_suite);
	for (i = 0; i < unit_nsuites; i++) {
		struct unit_suite *u = &unit_suites[i];
		CU_pSuite s;
		CU_TestInfo *t;

		if (!wanted(u->name, argc, argv))
			continue;
		s = CU_add_suite(u->name, u->init, u->clean);
		if (s == NULL)
			return 2;
		for (t = u->tests; t->pName != NULL; t++)
			if (CU_add_test(s, t->pName, t->pTestFunc) == NULL)
				return 2;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() +
	         CU_get_number_of_suites_failed() +
	         CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
