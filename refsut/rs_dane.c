/*
 * rs_dane.c - TLS and TLSA rules on OpenSSL's DANE API (see rs_dane.h).
 *
 * RFC 7672 §2.2 (usable records), §3.1.1/§3.2.1 (DANE-EE: leaf key or
 * certificate only, no name or date checks - OpenSSL skips both for a
 * depth-0 DANE-EE match when DANE_FLAG_NO_DANE_EE_NAMECHECKS is set),
 * §3.1.2/§3.2.2 (DANE-TA: chain to the TLSA anchor plus name checks
 * against the TLSA base domain and, for a secure MX RRset, the next-hop
 * domain), §3.2.3 (wildcards only as the whole left-most label), §8.1
 * (SNI = TLSA base domain).
 */
#include "rs_dane.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

SSL_CTX *
rs_dane_ctx_new(uint64_t flags)
{
	SSL_CTX *ctx;
	char e[256];

	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL) {
		log_errx("SSL_CTX_new: %s", rs_dane_ssl_error(e, sizeof(e)));
		return NULL;
	}
	if (SSL_CTX_dane_enable(ctx) <= 0) {
		log_errx(
		    "SSL_CTX_dane_enable: %s", rs_dane_ssl_error(e, sizeof(e)));
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* The verdict is taken after the handshake (rs_dane_verdict), so a
	 * failed authentication ends with our QUIT over TLS rather than an
	 * alert, and --accept-tls-failure can carry on. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if ((flags & RS_SW_PKIX_TA) &&
	    SSL_CTX_set_default_verify_paths(ctx) != 1)
		log_warnx("cannot load the system CA store: %s",
		    rs_dane_ssl_error(e, sizeof(e)));
	return ctx;
}

const char *
rs_dane_ssl_error(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, len, "no OpenSSL error");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* add_tlsa - hand the usable records to OpenSSL; returns how many it took. */
static size_t
add_tlsa(SSL *ssl, const struct rs_tls_plan *p)
{
	size_t i, n = 0;
	char e[256];

	for (i = 0; i < p->ntlsa; i++) {
		const struct rs_tlsa *t = &p->tlsa[i];
		int r;

		if (!rs_policy_tlsa_usable(
		        t->usage, t->selector, t->mtype, t->len))
			continue;
		r = SSL_dane_tlsa_add(
		    ssl, t->usage, t->selector, t->mtype, t->data, t->len);
		if (r > 0)
			n++;
		else
			log_info("%s: TLSA %u %u %u refused by OpenSSL: %s",
			    p->base, t->usage, t->selector, t->mtype,
			    rs_dane_ssl_error(e, sizeof(e)));
	}
	return n;
}

/* count_ta - usable DANE-TA(2) records in the plan. */
static size_t
count_ta(const struct rs_tls_plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->ntlsa; i++)
		if (p->tlsa[i].usage == 2 &&
		    rs_policy_tlsa_usable(p->tlsa[i].usage, p->tlsa[i].selector,
		        p->tlsa[i].mtype, p->tlsa[i].len))
			n++;
	return n;
}

SSL *
rs_dane_ssl_new(SSL_CTX *ctx, const struct rs_tls_plan *p, enum rs_auth *auth,
    size_t *nadded)
{
	SSL *ssl;
	char *ids[3] = {NULL, NULL, NULL};
	size_t nids, i;
	char e[256];

	*auth = RS_AUTH_DANE;
	*nadded = 0;
	ssl = SSL_new(ctx);
	if (ssl == NULL) {
		log_errx("SSL_new: %s", rs_dane_ssl_error(e, sizeof(e)));
		return NULL;
	}
	nids = rs_policy_ref_ids(
	    p->base, p->nexthop, p->nexthop_x, p->mx_secure, ids);
	if (nids == 0) {
		log_errx("no TLSA base domain");
		goto fail;
	}
	if (p->mode == RS_TLS_DANE && p->sts) {
		/* MTA-STS: the WebPKI chain and the MX host name decide. */
		*auth = RS_AUTH_PKIX;
		if (SSL_set1_host(ssl, p->base) != 1)
			goto ssl_fail;
		SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	} else if (p->mode == RS_TLS_DANE) {
		*auth = rs_policy_auth_method(count_ta(p), p->flags);
		if (*auth == RS_AUTH_PKIX) {
			/* --pkix-ta: the WebPKI chain and the names decide. */
			if (SSL_set1_host(ssl, ids[0]) != 1)
				goto ssl_fail;
		} else if (SSL_dane_enable(ssl, ids[0]) <= 0) {
			goto ssl_fail;
		}
		for (i = 1; i < nids; i++)
			if (SSL_add1_host(ssl, ids[i]) != 1)
				goto ssl_fail;
		SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (*auth == RS_AUTH_DANE) {
			/* rs_dane_verdict reads the plan back for the
			 * switches that judge the records themselves. */
			SSL_set_app_data(ssl, (void *)p);
			if (!rs_policy_ee_namechecks(p->flags))
				SSL_dane_set_flags(
				    ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
			*nadded = add_tlsa(ssl, p);
		}
	}
	/* SSL_dane_enable already set SNI to the base domain; set it in the
	 * other modes too (RFC 6066 §3), or clear it for --no-sni and for an
	 * address literal (§3: "Literal IPv4 and IPv6 addresses are not
	 * permitted in HostName"). */
	if (rs_policy_send_sni(p->flags) && !p->literal) {
		if (SSL_set_tlsext_host_name(ssl, ids[0]) != 1)
			goto ssl_fail;
	} else {
		SSL_set_tlsext_host_name(ssl, NULL);
	}
	free(ids[0]);
	free(ids[1]);
	free(ids[2]);
	return ssl;
ssl_fail:
	log_errx(
	    "%s: TLS set-up: %s", p->base, rs_dane_ssl_error(e, sizeof(e)));
fail:
	free(ids[0]);
	free(ids[1]);
	free(ids[2]);
	SSL_free(ssl);
	return NULL;
}

/*
 * record_matches - whether TLSA record t matches certificate x: its
 * selector's bytes (Cert(0) or SPKI(1)), raw or hashed as mtype says.
 */
static int
record_matches(const struct rs_tlsa *t, X509 *x)
{
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int len, ok = 0;

	if (t->selector == 0)
		len = i2d_X509(x, &der);
	else
		len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	if (len <= 0)
		return 0;
	if (t->mtype == 0)
		ok = (size_t)len == t->len && memcmp(der, t->data, t->len) == 0;
	else if (EVP_Digest(der, (size_t)len, md, &mdlen,
	             t->mtype == 1 ? EVP_sha256() : EVP_sha512(), NULL) == 1)
		ok = mdlen == t->len && memcmp(md, t->data, t->len) == 0;
	OPENSSL_free(der);
	return ok;
}

/*
 * all_records_match - --all-tlsa-must-match: 0 when every usable record
 * of the plan is the one OpenSSL matched or matches the chain the server
 * sent (DANE-EE: the leaf; DANE-TA: any certificate of the chain), else
 * -1 naming the first that does not in desc.
 */
static int
all_records_match(
    SSL *ssl, const struct rs_tls_plan *p, char *desc, size_t desclen)
{
	STACK_OF(X509) *chain = SSL_get_peer_cert_chain(ssl);
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	uint8_t mu = 0, ms = 0, mm = 0;
	const unsigned char *md = NULL;
	size_t i, mdlen = 0;
	int j, hit;

	/* The record OpenSSL matched counts, even when its anchor came
	 * from DNS rather than from the chain (2 0 0, 2 1 0). */
	SSL_get0_dane_tlsa(ssl, &mu, &ms, &mm, &md, &mdlen);
	for (i = 0; i < p->ntlsa; i++) {
		const struct rs_tlsa *t = &p->tlsa[i];

		if (!rs_policy_tlsa_usable(
		        t->usage, t->selector, t->mtype, t->len))
			continue;
		if (md != NULL && t->usage == mu && t->selector == ms &&
		    t->mtype == mm && t->len == mdlen &&
		    memcmp(t->data, md, mdlen) == 0)
			continue;
		hit = t->usage == 3 ? record_matches(t, leaf) : 0;
		for (j = 0; t->usage == 2 && !hit && chain != NULL &&
		            j < sk_X509_num(chain);
		     j++)
			hit = record_matches(t, sk_X509_value(chain, j));
		if (!hit) {
			snprintf(desc, desclen,
			    "TLSA %u %u %u does not match (every record must "
			    "match) [R7671-8-a violated: "
			    "--all-tlsa-must-match]",
			    t->usage, t->selector, t->mtype);
			return -1;
		}
	}
	return 0;
}

int
rs_dane_verdict(SSL *ssl, enum rs_auth auth, char *desc, size_t desclen)
{
	const struct rs_tls_plan *p = SSL_get_app_data(ssl);
	long v = SSL_get_verify_result(ssl);
	X509 *peer = SSL_get0_peer_certificate(ssl);
	uint8_t usage = 0, sel = 0, mtype = 0;
	int depth;

	if (peer == NULL) {
		snprintf(desc, desclen, "no server certificate");
		return -1;
	}
	if (v != X509_V_OK) {
		snprintf(desc, desclen, "%s", X509_verify_cert_error_string(v));
		return -1;
	}
	if (auth == RS_AUTH_PKIX) {
		snprintf(desc, desclen, "PKIX-valid (system CA store)");
		return 0;
	}
	depth = SSL_get0_dane_tlsa(ssl, &usage, &sel, &mtype, NULL, NULL);
	if (depth < 0) {
		snprintf(desc, desclen, "no TLSA record matched");
		return -1;
	}
	if (usage == 2 && p != NULL &&
	    !rs_policy_ta_depth_ok(depth, p->flags)) {
		snprintf(desc, desclen,
		    "DANE-TA match (%u %u %u) at depth %d, not right after the "
		    "leaf [R6698-2.1.1-a violated: --ta-must-follow-leaf]",
		    usage, sel, mtype, depth);
		return -1;
	}
	if (p != NULL && rs_policy_all_tlsa_must_match(p->flags) &&
	    all_records_match(ssl, p, desc, desclen) != 0)
		return -1;
	if (usage == 3)
		snprintf(desc, desclen, "DANE-EE match (%u %u %u)", usage, sel,
		    mtype);
	else
		snprintf(desc, desclen, "DANE-TA match (%u %u %u) at depth %d",
		    usage, sel, mtype, depth);
	return 0;
}
