/*
 * unit.h - registration of CUnit suites from each test file.
 *
 * A test file declares its tests in a table and registers the suite from a
 * constructor, so adding a test file needs no edit of the runner:
 *
 *   static CU_TestInfo tests[] = { {"name", fn}, CU_TEST_INFO_NULL };
 *   UNIT_SUITE("buf", NULL, NULL, tests);
 */
#ifndef DSIM_UNIT_H
#define DSIM_UNIT_H

#include <CUnit/CUnit.h>

/* unit_register - remember a suite for the runner (called from constructors).
 */
void unit_register(const char *name, CU_InitializeFunc init,
    CU_CleanupFunc clean, CU_TestInfo *tests);

/* unit_data_path - "tests/data/<name>" relative to the source tree (static
 * buffer). */
const char *unit_data_path(const char *name);

/*
 * unit_need_root - 1 when running as root. Otherwise 0, after saying that
 * the test was skipped; in CI (CI=true) a skip is a failure, so then it
 * also fails the current test.
 */
int unit_need_root(const char *what);

/* unit_file_text - a whole file as a new string (caller frees), NULL
 * when it cannot be read. */
char *unit_file_text(const char *path);

#define UNIT_SUITE(name, init, clean, tests)                                   \
	static void unit_reg_suite(void) __attribute__((constructor));         \
	static void unit_reg_suite(void)                                       \
	{                                                                      \
		unit_register((name), (init), (clean), (tests));               \
	}

#endif /* DSIM_UNIT_H */
