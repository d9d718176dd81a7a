/*
 * test_destpolicy.c - the per-destination policy vocabulary: level
 * words, HOST[:PORT], the policy file's lines (format and parse round
 * trip, malformed lines) and the look-up by domain.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "destpolicy.h"

/* test_levels - every level's word maps back to the level. */
static void
test_levels(void)
{
	char buf[128];
	int i;

	for (i = 0; i < DP_LEVEL__COUNT; i++)
		CU_ASSERT_EQUAL(dp_level_from_str(dp_level_str(i)), i);
	CU_ASSERT_STRING_EQUAL(dp_level_str(DP_LEVEL_DEFAULT), "-");
	CU_ASSERT_EQUAL(dp_level_from_str("dane-only"), DP_LEVEL_DANE_ONLY);
	CU_ASSERT_EQUAL(dp_level_from_str("mandatory"), -1);
	CU_ASSERT_EQUAL(dp_level_from_str(NULL), -1);
	CU_ASSERT_STRING_EQUAL(
	    dp_level_list(buf, sizeof(buf)), "dane-only, dane, encrypt or may");
}

/* test_hop - host, host:port, final dot, case; bad hosts and ports. */
static void
test_hop(void)
{
	struct dp_hop h;
	char err[320];

	CU_ASSERT_EQUAL(
	    dp_hop_parse("Relay.X.test.:2525", &h, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(h.host, "relay.x.test");
	CU_ASSERT_EQUAL(h.port, 2525);
	free(h.host);
	CU_ASSERT_EQUAL(dp_hop_parse("mx.x.test", &h, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(h.host, "mx.x.test");
	CU_ASSERT_EQUAL(h.port, 0);
	free(h.host);
	CU_ASSERT_EQUAL(dp_hop_parse("a..b:25", &h, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "bad host 'a..b' (want a domain name)");
	CU_ASSERT_PTR_NULL(h.host);
	CU_ASSERT_EQUAL(dp_hop_parse("a.b:65536", &h, err, sizeof(err)), -1);
	CU_ASSERT_STRING_EQUAL(err, "bad port '65536' (want 1..65535)");
	CU_ASSERT_EQUAL(dp_hop_parse("a.b:", &h, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(dp_hop_parse("a.b:-1", &h, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(dp_hop_parse("a.b:+25", &h, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(dp_hop_parse("", &h, err, sizeof(err)), -1);
	CU_ASSERT_EQUAL(dp_hop_parse("[127.0.0.1]", &h, err, sizeof(err)), -1);
}

/* test_roundtrip - format then parse gives the entry back. */
static void
test_roundtrip(void)
{
	struct dp_entry e, back;
	char line[1100], err[320];

	memset(&e, 0, sizeof(e));
	e.domain = "x.test";
	e.level = DP_LEVEL_DANE_ONLY;
	e.route.host = "relay.x.test";
	e.route.port = 2525;
	e.fallback.host = "fb.x.test";
	CU_ASSERT_EQUAL(dp_entry_format(&e, line, sizeof(line)),
	    (int)strlen("x.test\tdane-only\trelay.x.test:2525\tfb.x.test\n"));
	CU_ASSERT_STRING_EQUAL(
	    line, "x.test\tdane-only\trelay.x.test:2525\tfb.x.test\n");
	CU_ASSERT_EQUAL(dp_entry_parse(line, &back, err, sizeof(err)), 1);
	CU_ASSERT_STRING_EQUAL(back.domain, "x.test");
	CU_ASSERT_EQUAL(back.level, DP_LEVEL_DANE_ONLY);
	CU_ASSERT_STRING_EQUAL(back.route.host, "relay.x.test");
	CU_ASSERT_EQUAL(back.route.port, 2525);
	CU_ASSERT_STRING_EQUAL(back.fallback.host, "fb.x.test");
	CU_ASSERT_EQUAL(back.fallback.port, 0);
	dp_entry_clear(&back);
	CU_ASSERT_PTR_NULL(back.domain);

	memset(&e, 0, sizeof(e));
	e.domain = "y.test";
	CU_ASSERT(dp_entry_format(&e, line, sizeof(line)) > 0);
	CU_ASSERT_STRING_EQUAL(line, "y.test\t-\t-\t-\n");
	CU_ASSERT_EQUAL(dp_entry_parse(line, &back, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(back.level, DP_LEVEL_DEFAULT);
	CU_ASSERT_PTR_NULL(back.route.host);
	CU_ASSERT_PTR_NULL(back.fallback.host);
	dp_entry_clear(&back);
	CU_ASSERT_EQUAL(dp_entry_format(&e, line, 5), -1);
}

/* test_bad_lines - each malformed line is refused with its reason. */
static void
test_bad_lines(void)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
	    {"x.test\tdane-only\t-\n",
	        "want 4 tab-separated fields (DOMAIN LEVEL ROUTE FALLBACK), "
	        "got 3"},
	    {"x.test\tdane-only\t-\t-\t-\n",
	        "want 4 tab-separated fields (DOMAIN LEVEL ROUTE FALLBACK), "
	        "got 5"},
	    {"x.test\tstrict\t-\t-",
	        "bad level 'strict' (want dane-only, dane, encrypt or may or "
	        "-)"},
	    {"x.test:25\t-\t-\t-", "domain 'x.test:25' has a port"},
	    {"x..test\t-\t-\t-", "bad host 'x..test' (want a domain name)"},
	    {"x.test\t-\ta.b:0\t-", "route: bad port '0' (want 1..65535)"},
	    {"x.test\t-\t-\t_:", "fallback: bad port '' (want 1..65535)"},
	};
	struct dp_entry e;
	char err[320];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_EQUAL(
		    dp_entry_parse(cases[i].line, &e, err, sizeof(err)), -1);
		CU_ASSERT_STRING_EQUAL(err, cases[i].err);
		CU_ASSERT_PTR_NULL(e.domain);
		CU_ASSERT_PTR_NULL(e.route.host);
	}
	CU_ASSERT_EQUAL(dp_entry_parse("# comment\n", &e, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(dp_entry_parse("\n", &e, err, sizeof(err)), 0);
}

/* test_lookup - the file look-up by domain, case and final dot aside. */
static void
test_lookup(void)
{
	char path[] = "/tmp/dsim-policy-XXXXXX", err[400];
	struct dp_entry e;
	FILE *fp;
	int fd;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	fp = fdopen(fd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("# header\na.test\tencrypt\t-\t-\n"
	      "b.test\tdane-only\trelay.b.test:2525\t-\n",
	    fp);
	fclose(fp);
	CU_ASSERT_EQUAL(
	    dp_file_lookup(path, "B.test.", &e, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(e.level, DP_LEVEL_DANE_ONLY);
	CU_ASSERT_EQUAL(e.route.port, 2525);
	dp_entry_clear(&e);
	CU_ASSERT_EQUAL(
	    dp_file_lookup(path, "a.test", &e, err, sizeof(err)), 1);
	CU_ASSERT_EQUAL(e.level, DP_LEVEL_ENCRYPT);
	dp_entry_clear(&e);
	CU_ASSERT_EQUAL(
	    dp_file_lookup(path, "c.test", &e, err, sizeof(err)), 0);
	CU_ASSERT_PTR_NULL(e.domain);

	fp = fopen(path, "a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("c.test\tsometimes\t-\t-\n", fp);
	fclose(fp);
	CU_ASSERT_EQUAL(
	    dp_file_lookup(path, "c.test", &e, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":4: bad level 'sometimes'"));
	CU_ASSERT_PTR_NULL(e.domain);
	unlink(path);
	CU_ASSERT_EQUAL(
	    dp_file_lookup(path, "c.test", &e, err, sizeof(err)), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file"));
}

static CU_TestInfo tests[] = {
    {"levels", test_levels},
    {"hop", test_hop},
    {"roundtrip", test_roundtrip},
    {"bad_lines", test_bad_lines},
    {"lookup", test_lookup},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("destpolicy", NULL, NULL, tests);
