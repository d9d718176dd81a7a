/*
 * test_refsut_sts.c - refsut's reading of an MTA-STS policy response
 * (refsut/rs_sts.c, RFC 8461 §3.3): status 200 only, text/plain, the
 * body handed to the policy parser; and its policy cache (§3.3, §5.1):
 * one fetch per TXT id while the policy is younger than its max_age, the
 * fresh cached policy when there is no live one, the cache file.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refsut/rs_sts.h"
#include "xmalloc.h"

/* body - rs_sts_http_body on resp; the body copied into out. */
static int
body(const char *resp, char *out, size_t outsz, char *err, size_t errsz)
{
	const char *b;
	size_t n;

	out[0] = '\0';
	if (rs_sts_http_body(resp, strlen(resp), &b, &n, err, errsz) != 0)
		return -1;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, b, n);
	out[n] = '\0';
	return 0;
}

static void
test_http_body(void)
{
	char out[256], err[128];

	CU_ASSERT_EQUAL(body("HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
	                     "charset=utf-8\r\nContent-Length: 5\r\n\r\nhello",
	                    out, sizeof(out), err, sizeof(err)),
	    0);
	CU_ASSERT_STRING_EQUAL(out, "hello");
	CU_ASSERT_EQUAL(body("HTTP/1.0 200 OK\r\n\r\nx", out, sizeof(out), err,
	                    sizeof(err)),
	    0);
	CU_ASSERT_STRING_EQUAL(out, "x");
	/* redirects are not followed (§3.3) */
	CU_ASSERT_EQUAL(body("HTTP/1.1 301 Moved\r\nLocation: https://x/\r\n"
	                     "\r\n",
	                    out, sizeof(out), err, sizeof(err)),
	    -1);
	CU_ASSERT_STRING_EQUAL(err, "HTTP status 301");
	CU_ASSERT_EQUAL(body("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
	                     "\r\n<html>",
	                    out, sizeof(out), err, sizeof(err)),
	    -1);
	CU_ASSERT_STRING_EQUAL(err, "Content-Type is not text/plain");
	CU_ASSERT_EQUAL(
	    body("HTTP/1.1 200 OK\r\n", out, sizeof(out), err, sizeof(err)),
	    -1);
	CU_ASSERT_EQUAL(
	    body("SMTP 220 hi\r\n\r\n", out, sizeof(out), err, sizeof(err)),
	    -1);
	CU_ASSERT_STRING_EQUAL(err, "not an HTTP/1.x response");
}

/* cached - a cached enforce policy of id fetched at fetched, max_age. */
static struct rs_sts_cached
cached(const char *id, long long fetched, long max_age)
{
	struct rs_sts_cached c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.fetched = fetched;
	c.pol.mode = MTASTS_ENFORCE;
	c.pol.max_age = max_age;
	return c;
}

/* test_cache_plan - fetch once per id while fresh (§3.1 id, §5.1
   max_age); a fresh cache stands in for a missing live record (§3.3). */
static void
test_cache_plan(void)
{
	struct rs_sts_cached c = cached("20261202", 1000, 86400);

	/* nothing cached: fetch a live id, else no policy */
	CU_ASSERT_EQUAL(rs_sts_plan(NULL, "20261202", 1000), RS_STS_FETCH);
	CU_ASSERT_EQUAL(rs_sts_plan(NULL, NULL, 1000), RS_STS_NO_POLICY);
	/* the same id while fresh: the cache, no fetch */
	CU_ASSERT_EQUAL(rs_sts_plan(&c, "20261202", 1000), RS_STS_USE_CACHE);
	CU_ASSERT_EQUAL(
	    rs_sts_plan(&c, "20261202", 1000 + 86399), RS_STS_USE_CACHE);
	/* a new id: fetch at once, fresh or not */
	CU_ASSERT_EQUAL(rs_sts_plan(&c, "20261203", 1001), RS_STS_FETCH);
	/* expired (max_age seconds after the fetch): fetch again */
	CU_ASSERT_EQUAL(
	    rs_sts_plan(&c, "20261202", 1000 + 86400), RS_STS_FETCH);
	CU_ASSERT_EQUAL(rs_sts_cache_fresh(&c, 1000 + 86400), 0);
	CU_ASSERT_EQUAL(rs_sts_cache_fresh(&c, 1000 + 86399), 1);
	/* a clock before the fetch does not make it fresh */
	CU_ASSERT_EQUAL(rs_sts_cache_fresh(&c, 999), 0);
	CU_ASSERT_EQUAL(rs_sts_plan(&c, "20261202", 999), RS_STS_FETCH);
	/* no live TXT record: a fresh cache applies, an expired one not */
	CU_ASSERT_EQUAL(rs_sts_plan(&c, NULL, 2000), RS_STS_USE_CACHE);
	CU_ASSERT_EQUAL(rs_sts_plan(&c, NULL, 1000 + 86400), RS_STS_NO_POLICY);
	/* max_age 0: never cached */
	c.pol.max_age = 0;
	CU_ASSERT_EQUAL(rs_sts_plan(&c, "20261202", 1000), RS_STS_FETCH);
}

/* test_cache_file - a policy kept in the state folder reads back the
   same; no file is "none", a damaged one an error. */
static void
test_cache_file(void)
{
	char dir[] = "/tmp/dsim-unit-sts-XXXXXX", *path;
	struct rs_sts_cached c = cached("abc123", 1796224900, 86400), r;
	static char mx1[] = "mx1.a.test", mx2[] = "*.b.test";
	char *mx[2] = {mx1, mx2};
	FILE *fp;

	c.pol.mx = mx;
	c.pol.nmx = 2;
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(rs_sts_cache_get(dir, "a.test", &r), 0);
	CU_ASSERT_EQUAL(rs_sts_cache_put(dir, "a.test", &c), 0);
	CU_ASSERT_EQUAL_FATAL(rs_sts_cache_get(dir, "a.test", &r), 1);
	CU_ASSERT_STRING_EQUAL(r.id, "abc123");
	CU_ASSERT_EQUAL(r.fetched, 1796224900LL);
	CU_ASSERT_EQUAL(r.pol.mode, MTASTS_ENFORCE);
	CU_ASSERT_EQUAL(r.pol.max_age, 86400);
	CU_ASSERT_EQUAL_FATAL(r.pol.nmx, 2);
	CU_ASSERT_STRING_EQUAL(r.pol.mx[0], "mx1.a.test");
	CU_ASSERT_STRING_EQUAL(r.pol.mx[1], "*.b.test");
	mtasts_policy_free(&r.pol);
	/* another domain has its own file */
	CU_ASSERT_EQUAL(rs_sts_cache_get(dir, "b.test", &r), 0);
	/* damaged: no fetched line, then a policy that does not parse */
	path = xasprintf("%s/mta-sts-b.test", dir);
	fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("id x\nversion: STSv1\n", fp);
	fclose(fp);
	CU_ASSERT_EQUAL(rs_sts_cache_get(dir, "b.test", &r), -1);
	fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("id x\nfetched 5\nversion: STSv2\n", fp);
	fclose(fp);
	CU_ASSERT_EQUAL(rs_sts_cache_get(dir, "b.test", &r), -1);
	CU_ASSERT_EQUAL(r.pol.nmx, 0);
	CU_ASSERT_EQUAL(unlink(path), 0);
	free(path);
	path = xasprintf("%s/mta-sts-a.test", dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	free(path);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

static CU_TestInfo tests[] = {
    {"http_body", test_http_body},
    {"cache_plan", test_cache_plan},
    {"cache_file", test_cache_file},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("refsut_sts", NULL, NULL, tests);
