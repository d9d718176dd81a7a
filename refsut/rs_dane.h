/*
 * rs_dane.h - refsut's TLS and TLSA rules on OpenSSL's DANE API: the
 * client context, one SSL object per connection configured for the
 * host's TLS mode (RFC 7672 §2.2), SNI (§8.1), reference identifiers for
 * DANE-TA (§3.2.2, RFC 7671 §5.2) and none for DANE-EE (§3.1.1, §3.2.1),
 * and the verdict after the handshake (§3.2).
 */
#ifndef DSIM_RS_DANE_H
#define DSIM_RS_DANE_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "rs_dns.h"
#include "rs_policy.h"

/* What one connection's TLS has to achieve. All pointers borrowed. */
struct rs_tls_plan {
	enum rs_tls_mode mode;
	const char *base;      /* TLSA base domain (the MX host name) */
	const char *nexthop;   /* the next-hop (recipient) domain */
	const char *nexthop_x; /* its CNAME-expanded name (the MX lookup
	                          followed a CNAME), or NULL */
	int mx_secure;         /* the MX RRset was secure */
	const struct rs_tlsa *tlsa;
	size_t ntlsa;
	uint64_t flags; /* RS_SW_* */
	int attempt;    /* delivery attempt number, 1 = first (--attempt) */
	int sts;        /* an MTA-STS enforce policy applies (mode is
	                   RS_TLS_DANE): WebPKI validation for the MX host
	                   name base alone (RFC 8461 §4.2), no TLSA */
	const char *sts_rule; /* the rule behind sts, for the log */
	int literal;          /* the next hop is an address literal: base is the
	                         address, no SNI (RFC 6066 §3) */
};

/*
 * rs_dane_ctx_new - the client SSL_CTX (DANE enabled; the system CA
 * store loaded only under --pkix-ta). NULL on failure (logged).
 */
SSL_CTX *rs_dane_ctx_new(uint64_t flags);

/*
 * rs_dane_ssl_new - an SSL for one connection following plan: SNI, DANE
 * records, reference identifiers, flags. *auth is set to the method in
 * force (RS_AUTH_DANE/PKIX) and *nadded to the TLSA records OpenSSL
 * accepted (0 in DANE mode means no authentication is possible). Caller
 * owns the SSL. NULL on failure (logged).
 */
SSL *rs_dane_ssl_new(SSL_CTX *ctx, const struct rs_tls_plan *plan,
    enum rs_auth *auth, size_t *nadded);

/*
 * rs_dane_verdict - after a completed handshake: 0 if the server is
 * authenticated as plan requires, -1 if not. desc receives a line for the
 * log ("DANE-EE match", "DANE-TA match at depth 1", or why it failed).
 */
int rs_dane_verdict(SSL *ssl, enum rs_auth auth, char *desc, size_t desclen);

/* rs_dane_ssl_error - the last OpenSSL error as text into buf. */
const char *rs_dane_ssl_error(char *buf, size_t len);

#endif /* DSIM_RS_DANE_H */
