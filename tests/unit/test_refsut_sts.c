/*
 * test_refsut_sts.c - refsut's reading of an MTA-STS policy response
 * (refsut/rs_sts.c, RFC 8461 §3.3): status 200 only, text/plain, the
 * body handed to the policy parser.
 */
#include "unit.h"

#include <string.h>

#include "refsut/rs_sts.h"

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

static CU_TestInfo tests[] = {
    {"http_body", test_http_body},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("refsut_sts", NULL, NULL, tests);
