/*
 * test_fakemx_https.c - fakemx's MTA-STS policy host (fakemx/mx_https.c):
 * the answer to each kind of request, and the session step on a
 * listener with "https" (TLS first, one request, close).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fakemx/mx_https.h"
#include "fakemx/mx_session.h"

#define POLICY                                                                 \
	"version: STSv1\r\nmode: enforce\r\nmx: mx1.t.test\r\n"                \
	"max_age: 86400\r\n"

/* answer - the status of request req, its response into out. */
static int
answer(const char *req, struct buf *out, struct mx_https_req *r)
{
	buf_reset(out);
	return mx_https_answer(req, strlen(req), POLICY, out, r);
}

/* test_answer - 200 with the policy, 404, 405 and 400. */
static void
test_answer(void)
{
	struct mx_https_req r;
	struct buf out;
	char clen[64];

	buf_init(&out);
	CU_ASSERT_EQUAL(answer("GET /.well-known/mta-sts.txt HTTP/1.1\r\n"
	                       "Host: mta-sts.t.test\r\n\r\n",
	                    &out, &r),
	    200);
	CU_ASSERT_STRING_EQUAL(r.host, "mta-sts.t.test");
	CU_ASSERT_PTR_NULL(r.error);
	buf_putc(&out, '\0');
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "HTTP/1.1 200 OK\r\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out.data, "Content-Type: text/plain\r\n"));
	snprintf(clen, sizeof(clen), "Content-Length: %zu\r\n", strlen(POLICY));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, clen));
	CU_ASSERT_PTR_NOT_NULL(strstr(out.data, "\r\n\r\n" POLICY));
	/* HTTP/1.0, LF only, no Host */
	CU_ASSERT_EQUAL(
	    answer("GET /.well-known/mta-sts.txt HTTP/1.0\n\n", &out, &r), 200);
	CU_ASSERT_STRING_EQUAL(r.host, "");
	CU_ASSERT_EQUAL(answer("GET /x HTTP/1.1\r\n\r\n", &out, &r), 404);
	CU_ASSERT_STRING_EQUAL(r.path, "/x");
	CU_ASSERT_EQUAL(
	    answer("POST /.well-known/mta-sts.txt HTTP/1.1\r\n\r\n", &out, &r),
	    405);
	CU_ASSERT_EQUAL(answer("garbage\r\n\r\n", &out, &r), 400);
	CU_ASSERT_STRING_EQUAL(r.error, "malformed request line");
	CU_ASSERT_EQUAL(answer("GET / HTTP/2\r\n\r\n", &out, &r), 400);
	CU_ASSERT_EQUAL(answer("GET  HTTP/1.1\r\n\r\n", &out, &r), 400);
	CU_ASSERT_EQUAL(answer("GET /\x01 HTTP/1.1\r\n\r\n", &out, &r), 400);
	CU_ASSERT_EQUAL(
	    answer("GET / HTTP/1.1\r\nno colon here\r\n\r\n", &out, &r), 400);
	CU_ASSERT_STRING_EQUAL(r.error, "malformed header field");
	CU_ASSERT_EQUAL(answer("", &out, &r), 400);
	buf_free(&out);
}

/* test_head_len - the request head ends at the first empty line. */
static void
test_head_len(void)
{
	CU_ASSERT_EQUAL(mx_https_head_len("GET / HTTP/1.1\r\n", 16), 0);
	CU_ASSERT_EQUAL(mx_https_head_len("GET / HTTP/1.1\r\n\r\nxx", 20), 18);
	CU_ASSERT_EQUAL(mx_https_head_len("a\n\nb", 4), 3);
	CU_ASSERT_EQUAL(mx_https_head_len("", 0), 0);
}

/* test_session - TLS first, no banner; the answer, then close. */
static void
test_session(void)
{
	static const char req[] = "GET /.well-known/mta-sts.txt HTTP/1.1\r\n"
	                          "Host: mta-sts.t.test\r\n\r\n";
	struct mx_listener l;
	struct mx_session *s;
	char *big;

	memset(&l, 0, sizeof(l));
	l.address = "127.0.0.1";
	l.port = 443;
	l.scenario = "t";
	l.host = "mta-sts";
	l.https_policy = POLICY;
	mx_behave_init(&l.behave, "mta-sts.t.test");
	s = mx_session_new(&l, 1, NULL, NULL);
	mx_session_start(s);
	CU_ASSERT_EQUAL(s->action, MX_ACT_STARTTLS);
	CU_ASSERT_EQUAL(s->out.len, 0);
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	CU_ASSERT_EQUAL(s->out.len, 0); /* no SMTP banner */
	mx_session_feed(s, req, 20);
	CU_ASSERT_EQUAL(s->out.len, 0); /* head not complete yet */
	mx_session_feed(s, req + 20, strlen(req) - 20);
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	CU_ASSERT_EQUAL(s->state, MX_ST_CLOSED);
	CU_ASSERT(s->out.len > strlen(POLICY));
	/* whatever follows is counted, never parsed as SMTP */
	CU_ASSERT_EQUAL(mx_session_linger(s, "MAIL FROM:<a>\r\n", 15, 1), 15);
	mx_session_free(s);
	/* a head that never ends: 400 once MX_HTTPS_HEAD_MAX bytes are in */
	s = mx_session_new(&l, 2, NULL, NULL);
	mx_session_start(s);
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	big = malloc(MX_HTTPS_HEAD_MAX);
	memset(big, 'a', MX_HTTPS_HEAD_MAX);
	mx_session_feed(s, big, MX_HTTPS_HEAD_MAX);
	free(big);
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	CU_ASSERT(
	    s->out.len > 12 && memcmp(s->out.data, "HTTP/1.1 400", 12) == 0);
	mx_session_free(s);
	mx_behave_free(&l.behave);
}

static CU_TestInfo tests[] = {
    {"answer", test_answer},
    {"head_len", test_head_len},
    {"session", test_session},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("fakemx_https", NULL, NULL, tests);
