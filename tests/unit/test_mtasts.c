/*
 * test_mtasts.c - MTA-STS policies (lib/mtasts.c): the policy file the
 * world writes and refsut reads back, the TXT record and MX patterns
 * (RFC 8461 §3.1, §3.2, §4.1).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "mtasts.h"

/* test_roundtrip - the written policy parses back to the same. */
static void
test_roundtrip(void)
{
	char *mx[] = {"mx1.a.test", "*.b.test"};
	struct mtasts_policy p = {MTASTS_ENFORCE, mx, 2, 604800}, q;
	char err[128], *t;

	t = mtasts_policy_text(&p);
	CU_ASSERT_STRING_EQUAL(t, "version: STSv1\r\nmode: enforce\r\n"
	                          "mx: mx1.a.test\r\nmx: *.b.test\r\n"
	                          "max_age: 604800\r\n");
	CU_ASSERT_EQUAL_FATAL(
	    mtasts_policy_parse(t, strlen(t), &q, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(q.mode, MTASTS_ENFORCE);
	CU_ASSERT_EQUAL_FATAL(q.nmx, 2);
	CU_ASSERT_STRING_EQUAL(q.mx[1], "*.b.test");
	CU_ASSERT_EQUAL(q.max_age, 604800);
	mtasts_policy_free(&q);
	CU_ASSERT_EQUAL(q.nmx, 0);
	free(t);
	/* LF line ends, blanks, an unknown key and mode none without mx */
	t = "version: STSv1\nmode:  none \nfoo: bar\nmax_age: 0\n";
	CU_ASSERT_EQUAL(
	    mtasts_policy_parse(t, strlen(t), &q, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(q.mode, MTASTS_NONE);
	mtasts_policy_free(&q);
}

/* test_bad - malformed policies are refused with a reason. */
static void
test_bad(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
	    {"", "empty"},
	    {"mode: enforce\r\nversion: STSv1\r\n", "first line"},
	    {"version: STSv2\r\nmode: enforce\r\n", "first line"},
	    {"version: STSv1\r\nmode: force\r\nmx: a.test\r\nmax_age: 1\r\n",
	        "bad mode"},
	    {"version: STSv1\r\nmode: enforce\r\nmode: testing\r\nmx: "
	     "a.test\r\n"
	     "max_age: 1\r\n",
	        "bad mode"},
	    {"version: STSv1\r\nmode: enforce\r\nmax_age: 1\r\n", "no mx"},
	    {"version: STSv1\r\nmode: enforce\r\nmx: a..test\r\nmax_age: 1\r\n",
	        "bad mx"},
	    {"version: STSv1\r\nmode: enforce\r\nmx: a.test\r\nmax_age: -1\r\n",
	        "bad max_age"},
	    {"version: STSv1\r\nmode: enforce\r\nmx: a.test\r\n"
	     "max_age: 31557601\r\n",
	        "bad max_age"},
	    {"version: STSv1\r\nmode: enforce\r\nmx: a.test\r\n", "no max_age"},
	    {"version: STSv1\r\nmode enforce\r\n", "no 'key: value'"},
	};
	struct mtasts_policy q;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(mtasts_policy_parse(bad[i].text,
		                    strlen(bad[i].text), &q, err, sizeof(err)),
		    -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
		CU_ASSERT_EQUAL(q.nmx, 0);
	}
	/* a NUL inside a value */
	CU_ASSERT_EQUAL(mtasts_policy_parse("version: STSv1\r\nmode: en\0f\r\n",
	                    27, &q, err, sizeof(err)),
	    -1);
}

/* test_txt - the _mta-sts TXT record (§3.1). */
static void
test_txt(void)
{
	char id[40];

	CU_ASSERT_EQUAL(
	    mtasts_txt_parse("v=STSv1; id=20160831085700Z;", id, sizeof(id)),
	    0);
	CU_ASSERT_STRING_EQUAL(id, "20160831085700Z");
	CU_ASSERT_EQUAL(
	    mtasts_txt_parse("v=STSv1;id=1; ext=x", id, sizeof(id)), 0);
	CU_ASSERT_STRING_EQUAL(id, "1");
	CU_ASSERT_EQUAL(mtasts_txt_parse("v=STSv1", id, sizeof(id)), -1);
	CU_ASSERT_EQUAL(mtasts_txt_parse("id=1; v=STSv1", id, sizeof(id)), -1);
	CU_ASSERT_EQUAL(
	    mtasts_txt_parse("v=STSv1; id=a-b", id, sizeof(id)), -1);
	CU_ASSERT_EQUAL(
	    mtasts_txt_parse("v=STSv1; id=1; id=2", id, sizeof(id)), -1);
	CU_ASSERT_EQUAL(mtasts_txt_parse("v=STSv1; id="
	                                 "123456789012345678901234567890123",
	                    id, sizeof(id)),
	    -1);
	CU_ASSERT_EQUAL(mtasts_txt_parse("v=STSv1; id=1", id, 8), -1);
}

/* test_match - MX host patterns (§4.1). */
static void
test_match(void)
{
	char *mx[] = {"mx1.a.test", "*.b.test"};
	struct mtasts_policy p = {MTASTS_ENFORCE, mx, 2, 1};

	CU_ASSERT_TRUE(mtasts_mx_match("mx1.a.test", "MX1.A.test."));
	CU_ASSERT_FALSE(mtasts_mx_match("mx1.a.test", "mx2.a.test"));
	CU_ASSERT_FALSE(mtasts_mx_match("mx1.a.test", "x.mx1.a.test"));
	CU_ASSERT_TRUE(mtasts_mx_match("*.b.test", "mx.b.test"));
	CU_ASSERT_FALSE(mtasts_mx_match("*.b.test", "a.mx.b.test"));
	CU_ASSERT_FALSE(mtasts_mx_match("*.b.test", "b.test"));
	CU_ASSERT_FALSE(mtasts_mx_match("*.b.test", ".b.test"));
	CU_ASSERT_FALSE(mtasts_mx_match("", ""));
	CU_ASSERT_TRUE(mtasts_policy_mx_match(&p, "mx9.b.test"));
	CU_ASSERT_FALSE(mtasts_policy_mx_match(&p, "mx9.a.test"));
	CU_ASSERT_EQUAL(mtasts_mode_from_str("testing"), MTASTS_TESTING);
	CU_ASSERT_EQUAL(mtasts_mode_from_str("off"), -1);
	CU_ASSERT_STRING_EQUAL(mtasts_mode_str(MTASTS_NONE), "none");
}

static CU_TestInfo tests[] = {
    {"roundtrip", test_roundtrip},
    {"bad", test_bad},
    {"txt", test_txt},
    {"match", test_match},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("mtasts", NULL, NULL, tests);
