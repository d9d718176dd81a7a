/*
 * rs_sts.h - refsut's MTA-STS (RFC 8461): policy discovery through the
 * "_mta-sts" TXT record (§3.1) and the policy fetched over HTTPS from
 * the host "mta-sts" of the domain (§3.3), the server's certificate
 * validated against the WebPKI trust store (OpenSSL's default paths;
 * SSL_CERT_FILE, which the SUT profile points at the world's trusted
 * CAs) for that host name. With a state folder (-s DIR, one per run)
 * the policy fetched is cached there with its TXT id and the time of the
 * fetch (§3.3, §5.1): while it is younger than its max_age, a later
 * attempt whose TXT record gives the same id uses it without fetching
 * again; a new id is fetched; with no live TXT record or a failed fetch
 * the fresh cached policy applies (§3.3: "the sender MUST apply that
 * cached policy"). Without a cached policy a failed fetch is "no policy"
 * (§3.3: "as though the domain has not implemented MTA-STS").
 */
#ifndef DSIM_RS_STS_H
#define DSIM_RS_STS_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "mtasts.h"
#include "rs_dns.h"

/*
 * rs_sts_ctx_new - the client context for WebPKI-validated TLS (the
 * policy fetch, and MX hosts an enforce policy applies to): the default
 * trust store loaded, verification left to the caller after the
 * handshake. NULL on failure (logged).
 */
SSL_CTX *rs_sts_ctx_new(void);

/*
 * rs_sts_ctx - *ctxp, made with rs_sts_ctx_new the first time a delivery
 * needs WebPKI (a policy fetch, an MX host an enforce policy applies
 * to): loading a trust store costs more than the rest of a delivery's
 * set-up (the system store: about 40 ms), and most deliveries need
 * none. NULL when it cannot be made (logged).
 */
SSL_CTX *rs_sts_ctx(SSL_CTX **ctxp);

/*
 * rs_sts_fetch - the MTA-STS policy of domain: TXT lookup, then the
 * policy cached in state_dir (NULL: no cache) for that id while fresh,
 * or the address of mta-sts.DOMAIN and an HTTPS GET of MTASTS_PATH
 * within timeout_s per step over rs_sts_ctx(ctxp) (the policy fetched
 * is cached). Returns 1
 * with *pol filled (release with mtasts_policy_free), or 0 when the
 * domain has no usable policy (each reason logged).
 */
int rs_sts_fetch(struct rs_dns *dns, SSL_CTX **ctxp, const char *domain,
    int timeout_s, const char *state_dir, struct mtasts_policy *pol);

/* A policy as cached in the state folder. Owns pol. */
struct rs_sts_cached {
	char id[40];       /* the TXT record's id when it was fetched */
	long long fetched; /* when, in seconds since the epoch */
	struct mtasts_policy pol;
};

/* What to do about a domain's policy (rs_sts_plan). */
enum rs_sts_step {
	RS_STS_NO_POLICY = 0, /* no live TXT record and no fresh cache */
	RS_STS_USE_CACHE,     /* the cached policy, no fetch */
	RS_STS_FETCH,         /* fetch (a new id, or nothing cached) */
};

/*
 * rs_sts_cache_fresh - whether c (fetched at c->fetched) is still valid
 * at now: younger than its max_age (RFC 8461 §3.2, §5.1). 1 or 0. Pure.
 */
int rs_sts_cache_fresh(const struct rs_sts_cached *c, long long now);

/*
 * rs_sts_plan - the step for a domain with cached policy c (NULL: none)
 * whose TXT record now gives live_id (NULL: no usable TXT record) at
 * now: the cache while fresh and its id is live_id or there is no live
 * record; a fetch for a live id not cached fresh; else no policy. Pure.
 */
enum rs_sts_step rs_sts_plan(
    const struct rs_sts_cached *c, const char *live_id, long long now);

/*
 * rs_sts_cache_get - the policy cached for domain in dir into c (zeroed
 * first). 1 when there is one, 0 when not, -1 when the file cannot be
 * read or is malformed (logged). Release c->pol with mtasts_policy_free.
 */
int rs_sts_cache_get(
    const char *dir, const char *domain, struct rs_sts_cached *c);

/*
 * rs_sts_cache_put - keep c for domain in dir (replaced atomically).
 * 0, or -1 (logged).
 */
int rs_sts_cache_put(
    const char *dir, const char *domain, const struct rs_sts_cached *c);

/*
 * rs_sts_http_body - the body of an HTTP/1.x response resp (len bytes)
 * into body and blen (borrowed from resp): the status must be 200 (RFC
 * 8461 §3.3: redirects are not followed) and a Content-Type, if given,
 * text/plain. 0, or -1 with a reason in err (errlen bytes). Pure.
 */
int rs_sts_http_body(const char *resp, size_t len, const char **body,
    size_t *blen, char *err, size_t errlen);

#endif /* DSIM_RS_STS_H */
