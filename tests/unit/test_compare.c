/*
 * test_compare.c - "danesim compare" (harness/report/compare.c): --shard specs,
 * the shard split, the side-by-side page and table from hostile reports,
 * and the merge's refusals.
 */
#include "unit.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/report/compare.h"
#include "harness/report/suite.h"
#include "scn.h"
#include "xmalloc.h"

/* test_shard_parse - I/N with 1 <= I <= N. */
static void
test_shard_parse(void)
{
	unsigned i = 0, n = 0;

	CU_ASSERT_EQUAL(suite_shard_parse("1/2", &i, &n), 0);
	CU_ASSERT_EQUAL(i, 1);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(suite_shard_parse("3/3", &i, &n), 0);
	CU_ASSERT_EQUAL(suite_shard_parse("0/2", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("3/2", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("1/0", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("1/", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("/2", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("1/2x", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("-1/2", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("1/-2", &i, &n), -1);
	CU_ASSERT_EQUAL(
	    suite_shard_parse("1/99999999999999999999", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("1/10001", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse("", &i, &n), -1);
	CU_ASSERT_EQUAL(suite_shard_parse(NULL, &i, &n), -1);
}

/* suite_of - a suite of n bare scenarios "s00", "s01", ... */
static void
suite_of(struct scn_suite *su, size_t n)
{
	size_t k;

	su->n = n;
	su->items = xcalloc(n, sizeof(*su->items));
	for (k = 0; k < n; k++) {
		su->items[k] = xcalloc(1, sizeof(**su->items));
		su->items[k]->id = xasprintf("s%02zu", k);
	}
}

/* test_shard_filter - the shards of N cover the suite exactly once. */
static void
test_shard_filter(void)
{
	static const size_t sizes[] = {1, 2, 5, 19, 20};
	int seen[32];
	size_t s, k, total;
	unsigned i, n;
	struct scn_suite su;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		for (n = 1; n <= 4; n++) {
			memset(seen, 0, sizeof(seen));
			total = 0;
			for (i = 1; i <= n; i++) {
				suite_of(&su, sizes[s]);
				total += suite_shard_filter(&su, i, n);
				for (k = 0; k < su.n; k++)
					seen[atoi(su.items[k]->id + 1)]++;
				scn_suite_free(&su);
			}
			CU_ASSERT_EQUAL(total, sizes[s]);
			for (k = 0; k < sizes[s]; k++)
				CU_ASSERT_EQUAL(seen[k], 1);
		}
	}
	/* shard 2/3 of 7: indexes 1 and 4 */
	suite_of(&su, 7);
	CU_ASSERT_EQUAL(suite_shard_filter(&su, 2, 3), 2);
	CU_ASSERT_STRING_EQUAL(su.items[0]->id, "s01");
	CU_ASSERT_STRING_EQUAL(su.items[1]->id, "s04");
	scn_suite_free(&su);
}

/* put - write text to dir/name. */
static void
put(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* slurp - whole file or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = xmalloc((size_t)n + 1);
	n = (long)fread(s, 1, (size_t)n, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

static const char rep_a[] =
    "{\"sut\":{\"name\":\"postfix\",\"version\":\"3.7\",\"options\":[]},"
    "\"run\":{\"started\":\"2026-11-29T00:00:00Z\"},"
    "\"summary\":{\"security_failures\":0,\"scenarios\":{\"pass\":2}},"
    "\"scenarios\":[{\"id\":\"striptls\",\"severity\":\"security\","
    "\"outcome\":\"deferred\",\"verdict\":\"pass\"},"
    "{\"id\":\"same\",\"severity\":\"interop\",\"outcome\":\"delivered-tls\","
    "\"verdict\":\"pass\"}]}";
static const char rep_b[] =
    "{\"sut\":{\"name\":\"ev|l<script>\",\"version\":\"*1*\","
    "\"options\":[\"a=[x](y)\"]},"
    "\"summary\":{\"security_failures\":1,\"scenarios\":{\"fail\":1}},"
    "\"scenarios\":[{\"id\":\"striptls\",\"severity\":\"security\","
    "\"outcome\":\"delivered-plaintext\",\"verdict\":\"fail\"},"
    "{\"id\":\"same\",\"severity\":\"interop\",\"outcome\":\"delivered-tls\","
    "\"verdict\":\"pass\"},"
    "{\"id\":\"only-b\\u0007</td>\",\"verdict\":\"pass\"},"
    "{\"id\":5},{\"verdict\":\"pass\"},\"junk\"]}";

/* test_write - the table marks differences and escapes hostile text. */
static void
test_write(void)
{
	char dir[] = "/tmp/dsim-cmp-XXXXXX", *runs[2], *md, *html, *p;
	char head[64];
	struct stat st;
	xmlDocPtr doc;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	runs[0] = xasprintf("%s/a.json", dir);
	runs[1] = xasprintf("%s/b.json", dir);
	put(dir, "a.json", rep_a);
	put(dir, "b.json", rep_b);
	p = xasprintf("%s/c.md", dir);
	md = xasprintf("%s/c.html", dir);
	CU_ASSERT_EQUAL_FATAL(compare_write(runs, 2, md, p, NULL), 0);
	free(md);
	md = slurp(p);
	free(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(md);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "| postfix 3.7 | ev\\|l&lt;script&gt; \\*1\\* |"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "| striptls | security | deferred, pass | "
	               "delivered-plaintext, **FAIL** | **yes** |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "| same | interop | delivered-tls, "
	                                  "pass | delivered-tls, pass | |"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "| **Security-critical failures** | 0 | **1** |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(md, "a=\\[x\\](y)"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "only-b\\\\x07&lt;/td&gt; | ? | - |"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "3 scenarios, 2 with different results"));
	p = xasprintf("%s/c.html", dir);
	html = slurp(p);
	free(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NULL(strstr(html, "</td>\x07"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(html, "<tr class=\"diff\" data-scenario=\"striptls\">"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<td class=\"bad\">1</td>"));
	doc = xmlReadMemory(html, (int)strlen(html), "c.html", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	CU_ASSERT_PTR_NOT_NULL(doc);
	xmlFreeDoc(doc);
	free(html);
	free(md);
	/* the same SUT twice: options tell them apart, then positions */
	free(runs[1]);
	runs[1] = xasprintf("%s/a.json", dir);
	p = xasprintf("%s/d.md", dir);
	CU_ASSERT_EQUAL_FATAL(compare_write(runs, 2, NULL, p, NULL), 0);
	md = slurp(p);
	free(p);
	CU_ASSERT_PTR_NOT_NULL(strstr(md,
	    "| postfix 3.7 (no options) #1 | postfix 3.7 (no options) #2 |"));
	free(md);
	put(dir, "e.json",
	    "{\"sut\":{\"name\":\"postfix\",\"version\":\"3.7\",\"options\":["
	    "\"x=1\"]},\"scenarios\":[]}");
	free(runs[1]);
	runs[1] = xasprintf("%s/e.json", dir);
	p = xasprintf("%s/e.md", dir);
	CU_ASSERT_EQUAL_FATAL(compare_write(runs, 2, NULL, p, NULL), 0);
	md = slurp(p);
	free(p);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(md, "| postfix 3.7 (no options) | postfix 3.7 (x=1) |"));
	free(md);
	/* A path that is not a regular file (here a FIFO, as /dev/null is
	   a device) is written in place, never renamed over. */
	p = xasprintf("%s/fifo", dir);
	CU_ASSERT_EQUAL_FATAL(mkfifo(p, 0600), 0);
	fd = open(p, O_RDWR | O_NONBLOCK);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(compare_write(runs, 2, NULL, p, NULL), 0);
	CU_ASSERT_EQUAL(stat(p, &st), 0);
	CU_ASSERT(S_ISFIFO(st.st_mode));
	memset(head, 0, sizeof(head));
	CU_ASSERT(read(fd, head, sizeof(head) - 1) > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(head, "# DANE sender comparison"));
	close(fd);
	free(p);
	/* refusals */
	put(dir, "bad.json", "[1]");
	free(runs[1]);
	runs[1] = xasprintf("%s/bad.json", dir);
	p = xasprintf("%s/never.md", dir);
	CU_ASSERT_EQUAL(compare_write(runs, 2, NULL, p, NULL), -1);
	free(runs[1]);
	runs[1] = xasprintf("%s/missing.json", dir);
	CU_ASSERT_EQUAL(compare_write(runs, 2, NULL, p, NULL), -1);
	CU_ASSERT_EQUAL(compare_write(runs, 0, NULL, p, NULL), -1);
	CU_ASSERT_EQUAL(access(p, F_OK), -1);
	free(p);
	/* merge: not run folders, or different SUTs */
	free(runs[1]);
	runs[1] = xasprintf("%s/b.json", dir);
	p = xasprintf("%s/merged", dir);
	CU_ASSERT_EQUAL(compare_merge(runs, 2, p, NULL), -1);
	CU_ASSERT_EQUAL(compare_merge(runs, 1, p, NULL), -1);
	CU_ASSERT_EQUAL(access(p, F_OK), -1);
	free(p);
	free(runs[0]);
	free(runs[1]);
	p = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(p), 0);
	free(p);
}

/* test_scale - two runs of 10000 scenarios compare in linear time. */
static void
test_scale(void)
{
	char dir[] = "/tmp/dsim-cmp-XXXXXX", *runs[2], *p, *md;
	FILE *f;
	int i, r;
	time_t t0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (r = 0; r < 2; r++) {
		runs[r] = xasprintf("%s/r%d.json", dir, r);
		f = fopen(runs[r], "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fprintf(f, "{\"sut\":{\"name\":\"s%d\"},\"scenarios\":[", r);
		for (i = 0; i < 10000; i++)
			fprintf(f, "%s{\"id\":\"s%d\",\"verdict\":\"%s\"}",
			    i ? "," : "", r ? i : 9999 - i,
			    i % 7 ? "pass" : "fail");
		fputs("]}", f);
		fclose(f);
	}
	t0 = time(NULL);
	p = xasprintf("%s/out.html", dir);
	md = xasprintf("%s/out.md", dir);
	CU_ASSERT_EQUAL(compare_write(runs, 2, p, md, NULL), 0);
	CU_ASSERT(time(NULL) - t0 < 60);
	free(p);
	free(md);
	free(runs[0]);
	free(runs[1]);
	p = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(p), 0);
	free(p);
}

static CU_TestInfo tests[] = {
    {"shard_parse", test_shard_parse},
    {"shard_filter", test_shard_filter},
    {"write", test_write},
    {"scale", test_scale},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("compare", NULL, NULL, tests);
