/*
 * rs_sts.h - refsut's MTA-STS (RFC 8461): policy discovery through the
 * "_mta-sts" TXT record (§3.1) and the policy fetched over HTTPS from
 * the host "mta-sts" of the domain (§3.3), the server's certificate
 * validated against the WebPKI trust store (OpenSSL's default paths;
 * SSL_CERT_FILE, which the SUT profile points at the world's trusted
 * CAs) for that host name. refsut fetches the policy on every delivery
 * attempt; it keeps no policy cache (§5.1), so a failed fetch is
 * "no policy" (§5.1: "as though the domain has not implemented
 * MTA-STS").
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
 * rs_sts_fetch - the MTA-STS policy of domain: TXT lookup, address of
 * mta-sts.DOMAIN, HTTPS GET of MTASTS_PATH within timeout_s per step.
 * Returns 1 with *pol filled (release with mtasts_policy_free), or 0
 * when the domain has no usable policy (each reason logged).
 */
int rs_sts_fetch(struct rs_dns *dns, SSL_CTX *ctx, const char *domain,
    int timeout_s, struct mtasts_policy *pol);

/*
 * rs_sts_http_body - the body of an HTTP/1.x response resp (len bytes)
 * into body and blen (borrowed from resp): the status must be 200 (RFC
 * 8461 §3.3: redirects are not followed) and a Content-Type, if given,
 * text/plain. 0, or -1 with a reason in err (errlen bytes). Pure.
 */
int rs_sts_http_body(const char *resp, size_t len, const char **body,
    size_t *blen, char *err, size_t errlen);

#endif /* DSIM_RS_STS_H */
