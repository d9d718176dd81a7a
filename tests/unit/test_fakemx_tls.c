/*
 * test_fakemx_tls.c - fakemx's TLS side (fakemx/mx_tls.c) by real
 * handshakes over a non-blocking socketpair: what fakemx observes of a
 * handshake (a ClientHello read or not, SNI, alerts) and how it explains
 * one that failed (mx_tls_fail_explain: the "tls" event's error and the
 * "disconnect" event's reason and side). A client that closes after the
 * STARTTLS reply sends no ClientHello, whatever alert OpenSSL answers
 * the end of stream with.
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "fakemx/mx_tls.h"

static struct mx_listener lst;

/* suite_init - the ex_data index of the observers; no key log. */
static int
suite_init(void)
{
	return mx_tls_init(NULL) == 0 ? 0 : -1;
}

/* suite_clean - nothing was opened. */
static int
suite_clean(void)
{
	mx_tls_shutdown();
	return 0;
}

/* setup - an honest listener of mx1.unit.test (self-signed). */
static void
setup(int handshake_fail)
{
	memset(&lst, 0, sizeof(lst));
	lst.address = "127.0.0.1";
	lst.port = 25;
	lst.scenario = "unit";
	lst.host = "mx1";
	mx_behave_init(&lst.behave, "mx1.unit.test");
	lst.behave.flag[MXS_FLAG_HANDSHAKE_FAIL] = handshake_fail;
}

/* What the client does after the STARTTLS reply. */
enum client_act {
	ACT_CLOSE = 0, /* FIN, not a byte sent */
	ACT_PLAIN,     /* a command in clear, then FIN */
	ACT_SSLV2,     /* an SSL 2.0-compatible ClientHello, then FIN */
	ACT_HELLO,     /* a real handshake with SNI */
};

/* One server handshake as fakemx runs it. */
struct hs {
	int ok;                  /* SSL_accept completed */
	struct mx_tls_info info; /* the observer */
	struct mx_tls_fail fail; /* filled when !ok */
	int client_ok;           /* the client's SSL_connect completed */
};

/*
 * run_hs - fakemx's server SSL on one end of a socketpair, the client
 * acting as act on the other; both driven in this thread.
 */
static void
run_hs(enum client_act act, struct hs *h)
{
	static const char plain[] = "MAIL FROM:<a@sender.test>\r\n";
	/* RFC 5246 E.2: CLIENT-HELLO for TLS 1.2, two cipher specs, no
	   session id, a 16-byte challenge */
	static const unsigned char v2[] = {0x80, 0x1f, 0x01, 0x03, 0x03, 0x00,
	    0x06, 0x00, 0x00, 0x00, 0x10, 0x00, 0xc0, 0x2f, 0x00, 0x00, 0x2f,
	    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	    0x0c, 0x0d, 0x0e, 0x0f, 0x10};
	struct mx_tls_ctx *t;
	SSL_CTX *cctx = NULL;
	SSL *s, *c = NULL;
	int sv[2], i, r, e, sdone = 0, cdone = 0;

	memset(h, 0, sizeof(*h));
	CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	t = mx_tls_ctx_new(&lst);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	s = mx_tls_ssl_new(t, sv[1], &h->info);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	h->info.fail_hello = lst.behave.flag[MXS_FLAG_HANDSHAKE_FAIL];
	if (act == ACT_HELLO) {
		cctx = SSL_CTX_new(TLS_client_method());
		CU_ASSERT_PTR_NOT_NULL_FATAL(cctx);
		c = SSL_new(cctx);
		SSL_set_fd(c, sv[0]);
		SSL_set_tlsext_host_name(c, "mx1.unit.test");
		SSL_set_connect_state(c);
	} else {
		if (act == ACT_PLAIN)
			CU_ASSERT_EQUAL(write(sv[0], plain, sizeof(plain) - 1),
			    (ssize_t)(sizeof(plain) - 1));
		if (act == ACT_SSLV2)
			CU_ASSERT_EQUAL(
			    write(sv[0], v2, sizeof(v2)), (ssize_t)sizeof(v2));
		/* half-close: the alert fakemx may send still has a reader */
		shutdown(sv[0], SHUT_WR);
	}
	for (i = 0; i < 200 && !sdone; i++) {
		if (c != NULL && !cdone) {
			r = SSL_connect(c);
			if (r == 1)
				cdone = 1;
		}
		ERR_clear_error();
		errno = 0;
		r = SSL_accept(s);
		if (r == 1) {
			h->ok = 1;
			sdone = 1;
			break;
		}
		e = SSL_get_error(s, r);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			continue;
		mx_tls_fail_explain(s, r, &h->info, &h->fail);
		sdone = 1;
	}
	CU_ASSERT_EQUAL(sdone, 1);
	for (i = 0; c != NULL && !cdone && h->ok && i < 20; i++)
		if (SSL_connect(c) == 1)
			cdone = 1;
	h->client_ok = cdone;
	ERR_clear_error();
	SSL_free(c);
	SSL_CTX_free(cctx);
	SSL_free(s);
	mx_tls_ctx_free(t);
	close(sv[0]);
	close(sv[1]);
	mx_behave_free(&lst.behave);
}

/* test_close_after_starttls - the client closes after the STARTTLS reply
   without a byte: no ClientHello, closed by the client, and the error
   says so instead of a failed handshake. */
static void
test_close_after_starttls(void)
{
	struct hs h;

	setup(0);
	run_hs(ACT_CLOSE, &h);
	CU_ASSERT_EQUAL(h.ok, 0);
	CU_ASSERT_EQUAL(h.info.client_hello, 0);
	CU_ASSERT_EQUAL(h.info.have_sni, 0);
	CU_ASSERT_EQUAL(h.fail.bytes_in, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h.fail.by);
	CU_ASSERT_STRING_EQUAL(h.fail.by, "client");
	CU_ASSERT_STRING_EQUAL(h.fail.error,
	    "no TLS record: the client closed the connection before "
	    "sending one");
	CU_ASSERT_EQUAL(strncmp(h.fail.reason, "no TLS handshake: ", 18), 0);
	/* OpenSSL answers the end of stream with an alert of its own: it
	   is the server's, and no sign that a handshake began */
	if (h.info.have_alert)
		CU_ASSERT_EQUAL(h.info.alert_received, 0);
}

/* test_plaintext_after_starttls - bytes that are no TLS record: no
   ClientHello, but bytes were read, and OpenSSL's error stays. */
static void
test_plaintext_after_starttls(void)
{
	struct hs h;

	setup(0);
	run_hs(ACT_PLAIN, &h);
	CU_ASSERT_EQUAL(h.ok, 0);
	CU_ASSERT_EQUAL(h.info.client_hello, 0);
	CU_ASSERT(h.fail.bytes_in > 0);
	CU_ASSERT_EQUAL(
	    strncmp(h.fail.reason, "TLS handshake failed: ", 22), 0);
	CU_ASSERT_PTR_NULL(strstr(h.fail.error, "no TLS record"));
}

/* test_sslv2_hello - an SSL 2.0-compatible ClientHello is a ClientHello
   (the capture analyser reads it as one), whatever OpenSSL makes of it. */
static void
test_sslv2_hello(void)
{
	struct hs h;

	setup(0);
	run_hs(ACT_SSLV2, &h);
	CU_ASSERT_EQUAL(h.ok, 0);
	CU_ASSERT_EQUAL(h.info.client_hello, 1);
	CU_ASSERT_EQUAL(h.info.have_sni, 0);
	CU_ASSERT(h.fail.bytes_in > 0);
	CU_ASSERT_EQUAL(
	    strncmp(h.fail.reason, "TLS handshake failed: ", 22), 0);
}

/* test_hello_refused - handshake_fail refuses a ClientHello that was
   read: the hello and its SNI are observed, the server ended it. */
static void
test_hello_refused(void)
{
	struct hs h;

	setup(1);
	run_hs(ACT_HELLO, &h);
	CU_ASSERT_EQUAL(h.ok, 0);
	CU_ASSERT_EQUAL(h.info.client_hello, 1);
	CU_ASSERT_EQUAL(h.info.refused, 1);
	CU_ASSERT_EQUAL(h.info.have_sni, 1);
	CU_ASSERT_STRING_EQUAL(h.info.sni, "mx1.unit.test");
	CU_ASSERT(h.fail.bytes_in > 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(h.fail.by);
	CU_ASSERT_STRING_EQUAL(h.fail.by, "server");
	CU_ASSERT_EQUAL(h.info.have_alert, 1);
	CU_ASSERT_STRING_EQUAL(h.info.alert, "handshake failure");
	CU_ASSERT_EQUAL(
	    strncmp(h.fail.reason, "TLS handshake failed: ", 22), 0);
}

/* test_hello_ok - an honest handshake: the ClientHello is observed. */
static void
test_hello_ok(void)
{
	struct hs h;

	setup(0);
	run_hs(ACT_HELLO, &h);
	CU_ASSERT_EQUAL(h.ok, 1);
	CU_ASSERT_EQUAL(h.client_ok, 1);
	CU_ASSERT_EQUAL(h.info.client_hello, 1);
	CU_ASSERT_EQUAL(h.info.have_sni, 1);
	CU_ASSERT_EQUAL(h.info.refused, 0);
}

static CU_TestInfo tests[] = {
    {"close_after_starttls", test_close_after_starttls},
    {"plaintext_after_starttls", test_plaintext_after_starttls},
    {"sslv2_hello", test_sslv2_hello},
    {"hello_refused", test_hello_refused},
    {"hello_ok", test_hello_ok},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("fakemx_tls", suite_init, suite_clean, tests);
