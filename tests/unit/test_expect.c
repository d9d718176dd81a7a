/*
 * test_expect.c - expected-results files (harness/expect.c): parsing,
 * refusals with file:line, lookup order, and the exit status against a
 * report.json.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/expect.h"
#include "xmalloc.h"

/* parse - expect_parse of a C string. */
static struct expect_set *
parse(const char *text, char *err, size_t errsz)
{
	return expect_parse("t.expect", text, strlen(text), err, errsz);
}

/* test_parse - entries, comments, first match wins, default pass. */
static void
test_parse(void)
{
	char err[256];
	const char *reason;
	struct expect_set *set;

	set = parse("# known results\n"
	            "\n"
	            "striptls   pass\r\n"
	            "starttls-response-injection xfail Exim: synch error\n"
	            "  tlsa-*  xfail  all TLSA broken here\n"
	            "tlsa-mismatch pass\n",
	    err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	CU_ASSERT_EQUAL(expect_lookup(set, "striptls", &reason), EXPECT_PASS);
	CU_ASSERT_PTR_NULL(reason);
	CU_ASSERT_EQUAL(
	    expect_lookup(set, "starttls-response-injection", &reason),
	    EXPECT_XFAIL);
	CU_ASSERT_STRING_EQUAL(reason, "Exim: synch error");
	/* the glob comes first */
	CU_ASSERT_EQUAL(
	    expect_lookup(set, "tlsa-mismatch", &reason), EXPECT_XFAIL);
	CU_ASSERT_STRING_EQUAL(reason, "all TLSA broken here");
	CU_ASSERT_EQUAL(expect_lookup(set, "unlisted", NULL), EXPECT_PASS);
	expect_free(set);
	expect_free(NULL);
	CU_ASSERT_EQUAL(expect_lookup(NULL, "x", &reason), EXPECT_PASS);
}

/* test_refusals - every broken line is refused with its line number. */
static void
test_refusals(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"a pass\nb maybe\n", "t.expect:2: want 'ID pass'"},
	    {"a xfail\n", "t.expect:1: 'xfail' wants a reason"},
	    {"a xfail   \n", "t.expect:1: 'xfail' wants a reason"},
	    {"a pass because\n", "t.expect:1: 'pass' takes no reason"},
	    {"a pass\n\na xfail x\n",
	        "t.expect:3: 'a' already given on line 1"},
	    {"a<b> pass\n", "t.expect:1: a scenario id or glob"},
	    {"x\n", "t.expect:1: want"},
	};
	char err[256], *big;
	size_t i;
	struct expect_set *set;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		set = parse(bad[i].text, err, sizeof(err));
		CU_ASSERT_PTR_NULL(set);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].want));
		expect_free(set);
	}
	set = expect_parse(
	    "t.expect", "a pass\n\0b pass\n", 15, err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.expect:2: NUL byte"));
	big = xmalloc(5000);
	memset(big, 'a', 4999);
	big[4999] = '\0';
	set = parse(big, err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "longer than"));
	free(big);
	set = expect_load("/nonexistent/x.expect", err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.expect: "));
	set = expect_load("/dev/null", err, sizeof(err));
	CU_ASSERT_PTR_NULL(set);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a regular file"));
	set = parse("", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(set);
	expect_free(set);
}

/* judge - expect_judge_report of text against a written report. */
static int
judge(const char *expect_text, const char *report_text)
{
	char path[] = "/tmp/dsim-expect-XXXXXX", err[256];
	struct expect_set *set = parse(expect_text, err, sizeof(err));
	FILE *f;
	int fd, rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(report_text, f);
	fclose(f);
	rc = expect_judge_report(set, path, NULL);
	unlink(path);
	expect_free(set);
	return rc;
}

#define REP(v1, v2)                                                            \
	"{\"scenarios\":[{\"id\":\"a\",\"verdict\":\"" v1 "\"},"               \
	"{\"id\":\"b\",\"verdict\":\"" v2 "\"}]}"

/* test_judge - the exit status reflects regressions and unexpected
   passes only. */
static void
test_judge(void)
{
	CU_ASSERT_EQUAL(judge("", REP("pass", "pass")), 0);
	CU_ASSERT_EQUAL(judge("", REP("pass", "fail")), 1);
	CU_ASSERT_EQUAL(judge("b xfail known\n", REP("pass", "fail")), 0);
	CU_ASSERT_EQUAL(judge("b xfail known\n", REP("pass", "pass")), 1);
	CU_ASSERT_EQUAL(judge("b xfail known\n", REP("fail", "fail")), 1);
	CU_ASSERT_EQUAL(
	    judge("b xfail known\n", REP("inconclusive", "fail")), 3);
	CU_ASSERT_EQUAL(judge("* xfail all\n", REP("fail", "fail")), 0);
	CU_ASSERT_EQUAL(judge("zzz pass\n", REP("pass", "pass")), 0);
	CU_ASSERT_EQUAL(judge("", "{\"scenarios\":7}"), 2);
	CU_ASSERT_EQUAL(judge("", "not json"), 2);
	CU_ASSERT_EQUAL(judge("", "{\"scenarios\":[{\"id\":\"a\"}]}"), 2);
	CU_ASSERT_EQUAL(expect_apply("/nonexistent", "/tmp", NULL), 2);
}

static CU_TestInfo tests[] = {
    {"parse", test_parse},
    {"refusals", test_refusals},
    {"judge", test_judge},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("expect", NULL, NULL, tests);
