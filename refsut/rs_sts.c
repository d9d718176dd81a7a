/*
 * rs_sts.c - MTA-STS policy discovery and fetch for refsut (RFC 8461
 * §3.1, §3.3, §5.1); see rs_sts.h.
 */
#include "rs_sts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "log.h"
#include "rs_dane.h"
#include "rs_smtp.h"
#include "xmalloc.h"

SSL_CTX *
rs_sts_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char e[256];

	if (ctx == NULL) {
		log_errx("SSL_CTX_new: %s", rs_dane_ssl_error(e, sizeof(e)));
		return NULL;
	}
	/* The verdict is taken after the handshake, as for DANE. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		log_warnx("cannot load the WebPKI trust store: %s",
		    rs_dane_ssl_error(e, sizeof(e)));
	return ctx;
}

int
rs_sts_http_body(const char *resp, size_t len, const char **body, size_t *blen,
    char *err, size_t errlen)
{
	const char *end = NULL, *p, *nl, *q;
	size_t i, hl;
	int code;

	for (i = 0; i + 3 < len; i++)
		if (memcmp(resp + i, "\r\n\r\n", 4) == 0) {
			end = resp + i + 2;
			*body = resp + i + 4;
			break;
		}
	if (end == NULL) {
		snprintf(err, errlen, "no complete HTTP response head");
		return -1;
	}
	if (len < 12 || strncmp(resp, "HTTP/1.", 7) != 0 || resp[8] != ' ' ||
	    sscanf(resp + 9, "%3d", &code) != 1) {
		snprintf(err, errlen, "not an HTTP/1.x response");
		return -1;
	}
	if (code != 200) {
		snprintf(err, errlen, "HTTP status %d", code);
		return -1;
	}
	/* header fields: only Content-Type matters (§3.3 text/plain) */
	for (p = memchr(resp, '\n', (size_t)(end - resp)); p != NULL && p < end;
	     p = nl) {
		p++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		hl = (size_t)(nl - p);
		if (hl > 13 && strncasecmp(p, "content-type:", 13) == 0) {
			q = p + 13;
			while (*q == ' ' || *q == '\t')
				q++;
			if (strncasecmp(q, "text/plain", 10) != 0) {
				snprintf(err, errlen,
				    "Content-Type is not text/plain");
				return -1;
			}
		}
	}
	*blen = len - (size_t)(*body - resp);
	return 0;
}

/* txt_record - the one "v=STSv1" record of r into id, or -1 (none, or
 * several: §3.1 "no policy"). */
static int
txt_record(const struct rs_dns_result *r, char *id, size_t idsz, int *nsts)
{
	size_t i;

	*nsts = 0;
	for (i = 0; i < r->ntxt; i++)
		if (strncmp(r->txt[i], "v=STSv1", 7) == 0)
			if ((*nsts)++ == 0 &&
			    mtasts_txt_parse(r->txt[i], id, idsz) != 0)
				return -1;
	return *nsts == 1 ? 0 : -1;
}

/* https_get - GET MTASTS_PATH from host at addr:443 into out (the whole
 * response). 0, or -1 (logged). */
static int
https_get(SSL_CTX *ctx, const char *host, const char *addr, int timeout_s,
    struct buf *out)
{
	char err[256], chunk[4096];
	SSL *ssl = NULL;
	long v;
	int fd, n, rc = -1;
	char *req;

	fd = rs_smtp_connect(addr, 443, timeout_s, err, sizeof(err));
	if (fd < 0) {
		log_info("%s: MTA-STS policy host %s:443: %s", host, addr, err);
		return -1;
	}
	ssl = SSL_new(ctx);
	if (ssl == NULL || SSL_set_fd(ssl, fd) != 1 ||
	    SSL_set_tlsext_host_name(ssl, host) != 1 ||
	    SSL_set1_host(ssl, host) != 1) {
		log_errx("%s: TLS set-up: %s", host,
		    rs_dane_ssl_error(err, sizeof(err)));
		goto out;
	}
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	ERR_clear_error();
	if (SSL_connect(ssl) != 1) {
		log_info("%s: MTA-STS policy host: TLS handshake failed: %s",
		    host, rs_dane_ssl_error(err, sizeof(err)));
		goto out;
	}
	if ((v = SSL_get_verify_result(ssl)) != X509_V_OK ||
	    SSL_get0_peer_certificate(ssl) == NULL) {
		log_info("%s: MTA-STS policy host: certificate not valid: %s "
		         "[RFC 8461 §3.3]",
		    host,
		    SSL_get0_peer_certificate(ssl) == NULL
		        ? "no certificate"
		        : X509_verify_cert_error_string(v));
		goto out;
	}
	req = xasprintf("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
	                "User-Agent: refsut\r\n\r\n",
	    MTASTS_PATH, host);
	n = SSL_write(ssl, req, (int)strlen(req));
	free(req);
	if (n <= 0) {
		log_info("%s: MTA-STS policy host: cannot send the request: %s",
		    host, rs_dane_ssl_error(err, sizeof(err)));
		goto out;
	}
	while ((n = SSL_read(ssl, chunk, sizeof(chunk))) > 0) {
		if (out->len + (size_t)n > MTASTS_BODY_MAX + 8192) {
			log_info("%s: MTA-STS policy longer than %d bytes "
			         "[RFC 8461 §3.3]",
			    host, MTASTS_BODY_MAX);
			goto out;
		}
		buf_append(out, chunk, (size_t)n);
	}
	rc = 0;
out:
	if (ssl != NULL) {
		SSL_set_quiet_shutdown(ssl, 1);
		SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	close(fd);
	return rc;
}

int
rs_sts_fetch(struct rs_dns *dns, SSL_CTX *ctx, const char *domain,
    int timeout_s, struct mtasts_policy *pol)
{
	struct rs_dns_result tr, ar;
	char id[40], err[256], *name, *host;
	const char *body;
	struct buf resp;
	size_t blen, i;
	int nsts, rc = 0;

	memset(pol, 0, sizeof(*pol));
	memset(&ar, 0, sizeof(ar));
	buf_init(&resp);
	name = xasprintf("_mta-sts.%s", domain);
	host = xasprintf("mta-sts.%s", domain);
	rs_dns_lookup_txt(dns, name, &tr);
	if (tr.state != RS_DNS_SECURE && tr.state != RS_DNS_INSECURE) {
		log_info("%s: MTA-STS TXT %s: no policy [RFC 8461 §3.1]",
		    domain, tr.why);
		goto out;
	}
	if (txt_record(&tr, id, sizeof(id), &nsts) != 0) {
		log_info("%s: MTA-STS TXT: %s: no policy [RFC 8461 §3.1]",
		    domain,
		    nsts == 0   ? "no v=STSv1 record"
		    : nsts == 1 ? "malformed record"
		                : "several v=STSv1 records");
		goto out;
	}
	rs_dns_lookup_a(dns, host, &ar);
	if (ar.naddrs == 0) {
		log_info("%s: MTA-STS policy host %s: address %s: no policy "
		         "[RFC 8461 §5.1]",
		    domain, host, ar.why);
		goto out;
	}
	for (i = 0; i < ar.naddrs && i < 4; i++) {
		buf_reset(&resp);
		if (https_get(ctx, host, ar.addrs[i], timeout_s, &resp) == 0)
			break;
	}
	if (i == ar.naddrs || i == 4) {
		log_info("%s: MTA-STS policy (id %s) not fetched: no policy "
		         "[RFC 8461 §5.1]",
		    domain, id);
		goto out;
	}
	if (rs_sts_http_body(resp.data != NULL ? resp.data : "", resp.len,
	        &body, &blen, err, sizeof(err)) != 0 ||
	    mtasts_policy_parse(body, blen, pol, err, sizeof(err)) != 0) {
		log_info("%s: MTA-STS policy (id %s) unusable: %s: no policy "
		         "[RFC 8461 §3.3]",
		    domain, id, err);
		goto out;
	}
	log_info("%s: MTA-STS policy id %s: mode %s, %zu mx pattern%s, "
	         "max_age %ld [RFC 8461 §3]",
	    domain, id, mtasts_mode_str(pol->mode), pol->nmx,
	    pol->nmx == 1 ? "" : "s", pol->max_age);
	rc = 1;
out:
	rs_dns_result_clear(&tr);
	rs_dns_result_clear(&ar);
	buf_free(&resp);
	free(name);
	free(host);
	return rc;
}
