/*
 * test_expect.c - expected-results files (harness/report/expect.c): parsing,
 * refusals with file:line, lookup order (ID:LINE before scenario lines),
 * the result per expectation, and the lines said about a report.json.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/report/expect.h"
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
	    {"a<b> pass\n", "t.expect:1: want a scenario id or glob"},
	    {"x\n", "t.expect:1: want"},
	    {"a:0 pass\n", "t.expect:1: ID:LINE wants"},
	    {"a: pass\n", "t.expect:1: ID:LINE wants"},
	    {":12 pass\n", "t.expect:1: ID:LINE wants"},
	    {"a*:12 pass\n", "t.expect:1: ID:LINE wants"},
	    {"a:1x pass\n", "t.expect:1: want a scenario id"},
	    {"a:1:2 pass\n", "t.expect:1: want a scenario id"},
	    {"a:12 pass\na:12 xfail y\n",
	        "t.expect:2: 'a:12' already given on line 1"},
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

/* test_lookup_exp - ID:LINE decides its expectation wherever it stands;
   other expectations of the scenario follow the scenario lines. */
static void
test_lookup_exp(void)
{
	char err[256];
	const char *reason;
	struct expect_set *set;
	int entry, by_line;

	set = parse("a pass\n"
	            "t* xfail all t\n"
	            "a:12 xfail one line\n"
	            "a:13 pass\n",
	    err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	CU_ASSERT_EQUAL(
	    expect_lookup_exp(set, "a", 12, &reason, &entry, &by_line),
	    EXPECT_XFAIL);
	CU_ASSERT_STRING_EQUAL(reason, "one line");
	CU_ASSERT_EQUAL(entry, 3);
	CU_ASSERT_EQUAL(by_line, 1);
	CU_ASSERT_EQUAL(
	    expect_lookup_exp(set, "a", 14, &reason, &entry, &by_line),
	    EXPECT_PASS);
	CU_ASSERT_EQUAL(entry, 1);
	CU_ASSERT_EQUAL(by_line, 0);
	CU_ASSERT_EQUAL(expect_lookup_exp(set, "tx", 12, &reason, &entry, NULL),
	    EXPECT_XFAIL);
	CU_ASSERT_STRING_EQUAL(reason, "all t");
	CU_ASSERT_EQUAL(entry, 2);
	CU_ASSERT_EQUAL(
	    expect_lookup_exp(set, "zz", 12, &reason, &entry, &by_line),
	    EXPECT_PASS);
	CU_ASSERT_EQUAL(entry, 0);
	CU_ASSERT_PTR_NULL(reason);
	/* a scenario lookup never takes an ID:LINE entry */
	CU_ASSERT_EQUAL(expect_lookup(set, "a", &reason), EXPECT_PASS);
	expect_free(set);
}

/* test_judge - the result per expectation. */
static void
test_judge(void)
{
	static const struct {
		enum expect_want want;
		int by_line;
		enum score_verdict v;
		int scn_failed;
		enum expect_result r;
	} t[] = {
	    {EXPECT_PASS, 0, SCORE_PASS, 0, EXPECT_R_PASS},
	    {EXPECT_PASS, 0, SCORE_FAIL, 1, EXPECT_R_REGRESSION},
	    {EXPECT_PASS, 1, SCORE_INCONCLUSIVE, 0, EXPECT_R_UNDECIDED},
	    {EXPECT_XFAIL, 0, SCORE_ERROR, 1, EXPECT_R_UNDECIDED},
	    {EXPECT_XFAIL, 0, SCORE_FAIL, 1, EXPECT_R_XFAIL},
	    {EXPECT_XFAIL, 1, SCORE_FAIL, 1, EXPECT_R_XFAIL},
	    /* scenario-wide xfail: met by another expectation's failure */
	    {EXPECT_XFAIL, 0, SCORE_PASS, 1, EXPECT_R_PASS},
	    {EXPECT_XFAIL, 0, SCORE_PASS, 0, EXPECT_R_XPASS},
	    /* ID:LINE xfail: exactly this one must fail */
	    {EXPECT_XFAIL, 1, SCORE_PASS, 1, EXPECT_R_XPASS},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CU_ASSERT_EQUAL(expect_judge(t[i].want, t[i].by_line, t[i].v,
		                    t[i].scn_failed),
		    t[i].r);
	CU_ASSERT_STRING_EQUAL(
	    expect_result_str(EXPECT_R_XPASS), "unexpected-pass");
	CU_ASSERT_STRING_EQUAL(
	    expect_result_str(EXPECT_R_XFAIL), "expected-failure");
}

/* said - what expect_print_report says of report text (caller frees),
   and its return value in *rc. */
static char *
said(const char *expect_text, const char *report_text, int *rc)
{
	char path[] = "/tmp/dsim-expect-XXXXXX", err[256], *out = NULL;
	struct expect_set *set = parse(expect_text, err, sizeof(err));
	size_t len = 0;
	FILE *f, *mem;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(report_text, f);
	fclose(f);
	mem = open_memstream(&out, &len);
	*rc = expect_print_report(set, path, mem);
	fclose(mem);
	unlink(path);
	expect_free(set);
	return out;
}

#define XP(line, verdict, result)                                              \
	"{\"line\":" #line ",\"verdict\":\"" verdict                           \
	"\",\"expected\":{\"want\":\"fail\",\"reason\":\"why\","               \
	"\"entry\":1,\"result\":\"" result "\"}}"

/* test_print_report - one line per notable expectation, notes for
   entries the report lacks, the counts; -1 for an unreadable report. */
static void
test_print_report(void)
{
	char *out;
	int rc;

	out = said("a:12 xfail why\nb:9 pass\nzz pass\n",
	    "{\"scenarios\":[{\"id\":\"a\",\"expectations\":[" XP(
	        12, "fail", "expected-failure") "," XP(13, "pass",
	        "unexpected-pass") "," XP(14, "fail", "regression") "," XP(15,
	        "inconclusive", "undecided") "," XP(16, "pass",
	        "as-expected") "]},"
	                       "{\"id\":\"b\",\"expectations\":[]}]}",
	    &rc);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "expected failure a:12 (why)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "UNEXPECTED PASS a:13: expected to "
	                                   "fail (why)"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "REGRESSION a:14: expected pass, got fail"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "expect: inconclusive a:15"));
	CU_ASSERT_PTR_NULL(strstr(out, "a:16"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "line 2 names b:9, which is no "
	                                   "expectation"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "line 3 names zz, which this "
	                                   "report does not have"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "expect: 1 regression, 1 unexpected "
	                                   "pass, 1 expected failure, 1 "
	                                   "undecided (expectations)"));
	free(out);
	out = said("", "{\"scenarios\":7}", &rc);
	CU_ASSERT_EQUAL(rc, -1);
	free(out);
	out = said("", "not json", &rc);
	CU_ASSERT_EQUAL(rc, -1);
	free(out);
}

static CU_TestInfo tests[] = {
    {"parse", test_parse},
    {"refusals", test_refusals},
    {"lookup_exp", test_lookup_exp},
    {"judge", test_judge},
    {"print_report", test_print_report},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("expect", NULL, NULL, tests);
