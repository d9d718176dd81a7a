/*
 * test_refsut_dane.c - refsut's TLS rules on OpenSSL's DANE API
 * (refsut/rs_dane.c), by real handshakes over a socketpair with fresh
 * certificates: DANE-EE ignores names and dates (RFC 7672 §3.1.1,
 * §3.2.1), DANE-TA checks the chain and the reference identifiers
 * (§3.2.2, §3.2.3), SNI is the TLSA base domain (§8.1); and the switches
 * --check-names-ee, --no-sni, --pkix-ta, --all-tlsa-must-match and
 * --ta-must-follow-leaf change exactly that. Kept TLS sessions
 * (refsut/rs_session.c) are keyed on the TLSA RRset.
 */
#include "unit.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "certgen.h"
#include "refsut/rs_dane.h"
#include "refsut/rs_session.h"
#include "refsut/rs_sts.h"
#include "xmalloc.h"

/* A certificate with its key. */
struct pair {
	EVP_PKEY *key;
	X509 *cert;
};

/* The fixture: a private CA, leaves, and a stranger key. */
static struct pair ca, leaf_mx1, leaf_nexthop, leaf_other, leaf_wild,
    leaf_partial, self_other, self_expired, stranger, sub_ca, leaf_deep;

/* make - a certificate for name (NULL: none), issued by iss or self. */
static int
make(struct pair *p, const char *name, int is_ca, struct pair *iss, time_t nb,
    time_t na)
{
	char *san[1];
	struct certgen_spec spec;

	memset(&spec, 0, sizeof(spec));
	san[0] = (char *)name;
	spec.label = "t";
	spec.cn = name;
	spec.san = san;
	spec.nsan = name ? 1 : 0;
	spec.is_ca = is_ca;
	spec.pathlen = -1;
	spec.not_before = nb;
	spec.not_after = na;
	p->key = certgen_key_new(SCN_KEY_EC256);
	if (p->key == NULL)
		return -1;
	p->cert = certgen_cert_new(
	    &spec, p->key, iss ? iss->cert : NULL, iss ? iss->key : NULL);
	return p->cert ? 0 : -1;
}

/* suite_init - build the fixture certificates once. */
static int
suite_init(void)
{
	time_t now = time(NULL);
	time_t nb = now - 86400, na = now + 86400 * 30;

	if (make(&ca, "Test TA", 1, NULL, nb, na) < 0 ||
	    make(&leaf_mx1, "mx1.dest.test", 0, &ca, nb, na) < 0 ||
	    make(&leaf_nexthop, "dest.test", 0, &ca, nb, na) < 0 ||
	    make(&leaf_other, "other.invalid", 0, &ca, nb, na) < 0 ||
	    make(&leaf_wild, "*.dest.test", 0, &ca, nb, na) < 0 ||
	    make(&leaf_partial, "m*.dest.test", 0, &ca, nb, na) < 0 ||
	    make(&self_other, "unrelated.invalid", 0, NULL, nb, na) < 0 ||
	    make(&self_expired, "mx1.dest.test", 0, NULL, now - 86400 * 60,
	        now - 86400 * 30) < 0 ||
	    make(&stranger, "mx1.dest.test", 0, NULL, nb, na) < 0 ||
	    make(&sub_ca, "Test sub-CA", 1, &ca, nb, na) < 0 ||
	    make(&leaf_deep, "mx1.dest.test", 0, &sub_ca, nb, na) < 0)
		return -1;
	return 0;
}

/* pair_free - release one fixture pair. */
static void
pair_free(struct pair *p)
{
	X509_free(p->cert);
	EVP_PKEY_free(p->key);
	p->cert = NULL;
	p->key = NULL;
}

/* suite_clean - release the fixture. */
static int
suite_clean(void)
{
	pair_free(&ca);
	pair_free(&leaf_mx1);
	pair_free(&leaf_nexthop);
	pair_free(&leaf_other);
	pair_free(&leaf_wild);
	pair_free(&leaf_partial);
	pair_free(&self_other);
	pair_free(&self_expired);
	pair_free(&stranger);
	pair_free(&sub_ca);
	pair_free(&leaf_deep);
	return 0;
}

/* tlsa_of - a TLSA record for x (data owned by the caller via *t). */
static void
tlsa_of(X509 *x, int u, int s, int m, struct rs_tlsa *t)
{
	char text[2048], *hex;
	size_t i, n;

	CU_ASSERT_EQUAL_FATAL(certgen_tlsa(x, u, s, m, text, sizeof(text)), 0);
	hex = strrchr(text, ' ') + 1;
	n = strlen(hex) / 2;
	t->usage = (uint8_t)u;
	t->selector = (uint8_t)s;
	t->mtype = (uint8_t)m;
	t->len = n;
	t->data = malloc(n ? n : 1);
	for (i = 0; i < n; i++) {
		unsigned v;

		sscanf(hex + 2 * i, "%2x", &v);
		t->data[i] = (unsigned char)v;
	}
}

/* The result of one handshake. */
struct hs {
	int ok;            /* handshake completed */
	int verdict;       /* rs_dane_verdict */
	char desc[256];    /* its description */
	char sni[256];     /* what the server saw ("" = none) */
	enum rs_auth auth; /* method in force */
	size_t nadded;     /* records OpenSSL took */
};

/*
 * handshake - server presents srv (with chain extra, may be NULL) and
 * the client follows plan; both driven in this thread over a
 * non-blocking socketpair.
 */
static void
handshake(
    const struct rs_tls_plan *plan, struct pair *srv, X509 *extra, struct hs *h)
{
	SSL_CTX *sctx, *cctx;
	SSL *s, *c;
	int sv[2], i, cdone = 0, sdone = 0;
	const char *name;

	memset(h, 0, sizeof(*h));
	CU_ASSERT_EQUAL_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	sctx = SSL_CTX_new(TLS_server_method());
	CU_ASSERT_PTR_NOT_NULL_FATAL(sctx);
	SSL_CTX_use_certificate(sctx, srv->cert);
	SSL_CTX_use_PrivateKey(sctx, srv->key);
	if (extra != NULL) {
		X509_up_ref(extra);
		SSL_CTX_add_extra_chain_cert(sctx, extra);
	}
	if (plan->sts) {
		/* MTA-STS: the WebPKI context, the fixture CA as its store */
		cctx = rs_sts_ctx_new();
		CU_ASSERT_PTR_NOT_NULL_FATAL(cctx);
		X509_STORE_add_cert(SSL_CTX_get_cert_store(cctx), ca.cert);
	} else {
		cctx = rs_dane_ctx_new(plan->flags);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(cctx);
	c = rs_dane_ssl_new(cctx, plan, &h->auth, &h->nadded);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	s = SSL_new(sctx);
	SSL_set_fd(c, sv[0]);
	SSL_set_fd(s, sv[1]);
	for (i = 0; i < 200 && !(cdone && sdone); i++) {
		int r;

		if (!cdone) {
			r = SSL_connect(c);
			if (r == 1)
				cdone = 1;
			else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ &&
			         SSL_get_error(c, r) != SSL_ERROR_WANT_WRITE)
				break;
		}
		if (!sdone) {
			r = SSL_accept(s);
			if (r == 1)
				sdone = 1;
			else if (SSL_get_error(s, r) != SSL_ERROR_WANT_READ &&
			         SSL_get_error(s, r) != SSL_ERROR_WANT_WRITE)
				break;
		}
	}
	ERR_clear_error();
	h->ok = cdone;
	if (cdone)
		h->verdict =
		    rs_dane_verdict(c, h->auth, h->desc, sizeof(h->desc));
	name = SSL_get_servername(s, TLSEXT_NAMETYPE_host_name);
	snprintf(h->sni, sizeof(h->sni), "%s", name ? name : "");
	SSL_free(c);
	SSL_free(s);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	close(sv[0]);
	close(sv[1]);
}

/* plan_for - a DANE plan for mx1.dest.test with records t[0..n-1]. */
static void
plan_for(struct rs_tls_plan *p, const struct rs_tlsa *t, size_t n,
    uint64_t flags, int mx_secure)
{
	memset(p, 0, sizeof(*p));
	p->mode = RS_TLS_DANE;
	p->base = "mx1.dest.test";
	p->nexthop = "dest.test";
	p->mx_secure = mx_secure;
	p->tlsa = t;
	p->ntlsa = n;
	p->flags = flags;
}

/* test_dane_ee - leaf key match: no name or date checks by default. */
static void
test_dane_ee(void)
{
	struct rs_tls_plan p;
	struct rs_tlsa t;
	struct hs h;

	tlsa_of(self_other.cert, 3, 1, 1, &t);
	plan_for(&p, &t, 1, 0, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.verdict, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.desc, "DANE-EE"));
	CU_ASSERT_EQUAL(h.nadded, 1);
	CU_ASSERT_STRING_EQUAL(h.sni, "mx1.dest.test");
	/* --check-names-ee: the same server now fails. */
	plan_for(&p, &t, 1, RS_SW_CHECK_NAMES_EE, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.verdict, -1);
	free(t.data);

	/* Expired certificate: dates do not matter for DANE-EE. */
	tlsa_of(self_expired.cert, 3, 1, 1, &t);
	plan_for(&p, &t, 1, 0, 1);
	handshake(&p, &self_expired, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	free(t.data);
	/* Full certificate and SHA2-512 work the same way. */
	tlsa_of(self_expired.cert, 3, 0, 2, &t);
	plan_for(&p, &t, 1, 0, 1);
	handshake(&p, &self_expired, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	free(t.data);

	/* A key the record does not name fails. */
	tlsa_of(stranger.cert, 3, 1, 1, &t);
	plan_for(&p, &t, 1, 0, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.verdict, -1);
	free(t.data);
}

/* test_dane_ta - chain to the TLSA anchor plus reference identifiers. */
static void
test_dane_ta(void)
{
	struct rs_tls_plan p;
	struct rs_tlsa t;
	struct hs h;

	tlsa_of(ca.cert, 2, 0, 1, &t);
	plan_for(&p, &t, 1, 0, 1);
	handshake(&p, &leaf_mx1, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.desc, "DANE-TA"));
	/* The next-hop domain is a reference identifier for a secure MX. */
	handshake(&p, &leaf_nexthop, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	/* ... and not for an insecure one. */
	plan_for(&p, &t, 1, 0, 0);
	handshake(&p, &leaf_nexthop, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	plan_for(&p, &t, 1, 0, 1);
	/* A name that is no reference identifier fails. */
	handshake(&p, &leaf_other, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	/* A whole-label wildcard matches; a partial one does not. */
	handshake(&p, &leaf_wild, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	handshake(&p, &leaf_partial, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	/* --check-names-ee changes nothing for DANE-TA. */
	plan_for(&p, &t, 1, RS_SW_CHECK_NAMES_EE, 1);
	handshake(&p, &leaf_mx1, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	/* --pkix-ta: the TLSA anchor is ignored, the system store decides,
	 * so the private anchor no longer authenticates. */
	plan_for(&p, &t, 1, RS_SW_PKIX_TA, 1);
	handshake(&p, &leaf_mx1, ca.cert, &h);
	CU_ASSERT_EQUAL(h.auth, RS_AUTH_PKIX);
	CU_ASSERT_EQUAL(h.verdict, -1);
	free(t.data);
	/* A leaf signed by another anchor fails. */
	tlsa_of(stranger.cert, 2, 1, 1, &t);
	plan_for(&p, &t, 1, 0, 1);
	handshake(&p, &leaf_mx1, ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	free(t.data);
}

/* test_sts - an MTA-STS enforce host (RFC 8461 §4.2): the chain from the
 * WebPKI store and the MX host name decide; TLSA records do not. */
static void
test_sts(void)
{
	struct rs_tls_plan p;
	struct rs_tlsa t;
	struct hs h;

	tlsa_of(stranger.cert, 3, 1, 1, &t);
	plan_for(&p, &t, 1, RS_SW_MTA_STS_OVERRIDES_DANE, 1);
	p.sts = 1;
	p.sts_rule = "R8461-2-a violated: --mta-sts-overrides-dane";
	handshake(&p, &leaf_mx1, NULL, &h);
	CU_ASSERT_EQUAL(h.auth, RS_AUTH_PKIX);
	CU_ASSERT_EQUAL(h.nadded, 0);
	CU_ASSERT_EQUAL(h.verdict, 0); /* the TLSA record was not asked */
	CU_ASSERT_STRING_EQUAL(h.sni, "mx1.dest.test");
	/* only the MX host name: not the next-hop domain */
	handshake(&p, &leaf_nexthop, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	/* a certificate from no trusted CA */
	handshake(&p, &stranger, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	/* a whole-label wildcard is a valid name; a partial one is not */
	handshake(&p, &leaf_wild, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	handshake(&p, &leaf_partial, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, -1);
	free(t.data);
}

/* test_sni_and_modes - SNI per switch; records OpenSSL refuses. */
static void
test_sni_and_modes(void)
{
	struct rs_tls_plan p;
	struct rs_tlsa t[2];
	struct hs h;

	tlsa_of(self_other.cert, 3, 1, 1, &t[0]);
	plan_for(&p, t, 1, RS_SW_NO_SNI, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	CU_ASSERT_STRING_EQUAL(h.sni, "");
	/* Opportunistic TLS: SNI is still the host name, nothing added. */
	plan_for(&p, t, 1, 0, 0);
	p.mode = RS_TLS_MAY;
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.nadded, 0);
	CU_ASSERT_STRING_EQUAL(h.sni, "mx1.dest.test");
	free(t[0].data);
	/* "2 0 0" whose data is no certificate: OpenSSL refuses it. */
	t[0].usage = 2;
	t[0].selector = 0;
	t[0].mtype = 0;
	t[0].len = 5;
	t[0].data = (unsigned char *)strdup("junk!");
	/* PKIX-EE(1) is unusable for SMTP and never handed over. */
	tlsa_of(self_other.cert, 1, 1, 1, &t[1]);
	plan_for(&p, t, 2, 0, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.nadded, 0);
	free(t[0].data);
	free(t[1].data);
}

/* test_record_switches - --all-tlsa-must-match, --ta-must-follow-leaf. */
static void
test_record_switches(void)
{
	struct rs_tls_plan p;
	struct rs_tlsa t[2];
	struct hs h;

	/* A rollover RRset: the server has one of the two keys. */
	tlsa_of(self_other.cert, 3, 1, 1, &t[0]);
	tlsa_of(stranger.cert, 3, 1, 1, &t[1]);
	plan_for(&p, t, 2, 0, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	plan_for(&p, t, 2, RS_SW_ALL_TLSA_MUST_MATCH, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.verdict, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.desc, "every record must match"));
	/* ... and passes when the one record matches. */
	plan_for(&p, t, 1, RS_SW_ALL_TLSA_MUST_MATCH, 1);
	handshake(&p, &self_other, NULL, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	free(t[0].data);
	free(t[1].data);

	/* The anchor two levels above the leaf (root from the record). */
	tlsa_of(ca.cert, 2, 0, 0, &t[0]);
	plan_for(&p, t, 1, 0, 1);
	handshake(&p, &leaf_deep, sub_ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.desc, "depth 2"));
	plan_for(&p, t, 1, RS_SW_TA_MUST_FOLLOW_LEAF, 1);
	handshake(&p, &leaf_deep, sub_ca.cert, &h);
	CU_ASSERT_TRUE(h.ok);
	CU_ASSERT_EQUAL(h.verdict, -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(h.desc, "--ta-must-follow-leaf"));
	free(t[0].data);
	/* The anchor right after the leaf still passes under the switch. */
	tlsa_of(sub_ca.cert, 2, 0, 1, &t[0]);
	plan_for(&p, t, 1, RS_SW_TA_MUST_FOLLOW_LEAF, 1);
	handshake(&p, &leaf_deep, sub_ca.cert, &h);
	CU_ASSERT_EQUAL(h.verdict, 0);
	free(t[0].data);
}

/*
 * test_session_key - a kept session's key: the base, the port and the
 * usable records, in any order; a session is loaded back only under its
 * key, or under any key when asked (--resume-after-tlsa-change).
 */
static void
test_session_key(void)
{
	struct rs_tlsa r[3], swapped[2];
	char k1[RS_SESSION_KEYLEN], k2[RS_SESSION_KEYLEN];
	char k3[RS_SESSION_KEYLEN], dir[] = "/tmp/dsim-sess-XXXXXX", *path;
	SSL_SESSION *sess, *back;
	SSL_CTX *ctx;
	SSL *ssl;
	int other, i;

	tlsa_of(leaf_mx1.cert, 3, 1, 1, &r[0]);
	tlsa_of(stranger.cert, 3, 1, 1, &r[1]);
	tlsa_of(leaf_other.cert, 3, 1, 1, &r[2]);
	r[2].usage = 1; /* PKIX-EE: unusable (R-2.2-b), not in the key */
	swapped[0] = r[1];
	swapped[1] = r[0];
	rs_session_key("mx1.dest.test", 25, r, 2, k1);
	rs_session_key("mx1.dest.test", 25, swapped, 2, k2);
	CU_ASSERT_EQUAL(strlen(k1), RS_SESSION_KEYLEN - 1);
	CU_ASSERT_STRING_EQUAL(k1, k2);
	rs_session_key("mx1.dest.test", 25, r, 3, k2);
	CU_ASSERT_STRING_EQUAL(k1, k2);
	rs_session_key("mx1.dest.test", 25, r, 1, k2);
	CU_ASSERT_STRING_NOT_EQUAL(k1, k2);
	rs_session_key("mx1.dest.test", 26, r, 2, k3);
	CU_ASSERT_STRING_NOT_EQUAL(k1, k3);
	rs_session_key("mx2.dest.test", 25, r, 2, k3);
	CU_ASSERT_STRING_NOT_EQUAL(k1, k3);

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	back = rs_session_load(dir, "mx1.dest.test", 25, k1, 0, &other);
	CU_ASSERT_PTR_NULL(back);
	CU_ASSERT_EQUAL(other, 0);
	/* a session as a TLS 1.3 handshake leaves it, made by hand */
	ctx = SSL_CTX_new(TLS_client_method());
	ssl = SSL_new(ctx);
	sess = SSL_SESSION_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(sess);
	SSL_SESSION_set_protocol_version(sess, TLS1_3_VERSION);
	SSL_SESSION_set_cipher(
	    sess, SSL_CIPHER_find(ssl, (const unsigned char *)"\x13\x01"));
	SSL_SESSION_set1_master_key(sess, (const unsigned char *)"k", 1);
	SSL_SESSION_set1_id(sess, (const unsigned char *)"0123456789", 10);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	CU_ASSERT_EQUAL(rs_session_save(dir, "mx1.dest.test", 25, k1, sess), 0);
	back = rs_session_load(dir, "mx1.dest.test", 25, k1, 0, &other);
	CU_ASSERT_PTR_NOT_NULL(back);
	CU_ASSERT_EQUAL(other, 0);
	SSL_SESSION_free(back);
	/* another RRset: not offered, unless any key will do */
	back = rs_session_load(dir, "mx1.dest.test", 25, k2, 0, &other);
	CU_ASSERT_PTR_NULL(back);
	CU_ASSERT_EQUAL(other, 1);
	back = rs_session_load(dir, "mx1.dest.test", 25, k2, 1, &other);
	CU_ASSERT_PTR_NOT_NULL(back);
	SSL_SESSION_free(back);
	SSL_SESSION_free(sess);
	path = xasprintf("%s/session-_25._tcp.mx1.dest.test", dir);
	CU_ASSERT_EQUAL(unlink(path), 0);
	free(path);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
	for (i = 0; i < 3; i++)
		free(r[i].data);
}

static CU_TestInfo tests[] = {
    {"sts", test_sts},
    {"dane_ee", test_dane_ee},
    {"dane_ta", test_dane_ta},
    {"sni_and_modes", test_sni_and_modes},
    {"record_switches", test_record_switches},
    {"session_key", test_session_key},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("refsut_dane", suite_init, suite_clean, tests);
