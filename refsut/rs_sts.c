/*
 * rs_sts.c - MTA-STS policy discovery and fetch for refsut (RFC 8461
 * §3.1, §3.3, §5.1) and the policy cache of the state folder; see
 * rs_sts.h.
 */
#include "rs_sts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "afile.h"
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

SSL_CTX *
rs_sts_ctx(SSL_CTX **ctxp)
{
	if (*ctxp == NULL)
		*ctxp = rs_sts_ctx_new();
	return *ctxp;
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

/* fetch_policy - the policy of domain (TXT id id) from mta-sts.DOMAIN
 * over HTTPS into pol: 1, or 0 (logged). */
static int
fetch_policy(struct rs_dns *dns, SSL_CTX **ctxp, const char *domain,
    const char *id, int timeout_s, struct mtasts_policy *pol)
{
	SSL_CTX *ctx;
	struct rs_dns_result ar;
	char err[256], *host;
	const char *body;
	struct buf resp;
	size_t blen, i;
	int rc = 0;

	memset(&ar, 0, sizeof(ar));
	buf_init(&resp);
	host = xasprintf("mta-sts.%s", domain);
	rs_dns_lookup_a(dns, host, &ar);
	if (ar.naddrs == 0) {
		log_info("%s: MTA-STS policy host %s: address %s", domain, host,
		    ar.why);
		goto out;
	}
	if ((ctx = rs_sts_ctx(ctxp)) == NULL) {
		log_info("%s: MTA-STS policy (id %s) not fetched: no TLS "
		         "context",
		    domain, id);
		goto out;
	}
	for (i = 0; i < ar.naddrs && i < 4; i++) {
		buf_reset(&resp);
		if (https_get(ctx, host, ar.addrs[i], timeout_s, &resp) == 0)
			break;
	}
	if (i == ar.naddrs || i == 4) {
		log_info("%s: MTA-STS policy (id %s) not fetched", domain, id);
		goto out;
	}
	if (rs_sts_http_body(resp.data != NULL ? resp.data : "", resp.len,
	        &body, &blen, err, sizeof(err)) != 0 ||
	    mtasts_policy_parse(body, blen, pol, err, sizeof(err)) != 0) {
		log_info("%s: MTA-STS policy (id %s) unusable: %s "
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
	rs_dns_result_clear(&ar);
	buf_free(&resp);
	free(host);
	return rc;
}

/* use_cached - hand the cached policy of c to pol, saying why. */
static void
use_cached(const char *domain, struct rs_sts_cached *c, long long now,
    const char *why, struct mtasts_policy *pol)
{
	log_info("%s: MTA-STS policy id %s: mode %s, %zu mx pattern%s, "
	         "max_age %ld, from the cache (fetched %lld s ago): %s",
	    domain, c->id, mtasts_mode_str(c->pol.mode), c->pol.nmx,
	    c->pol.nmx == 1 ? "" : "s", c->pol.max_age, now - c->fetched, why);
	*pol = c->pol;
	memset(&c->pol, 0, sizeof(c->pol));
}

int
rs_sts_fetch(struct rs_dns *dns, SSL_CTX **ctxp, const char *domain,
    int timeout_s, const char *state_dir, struct mtasts_policy *pol)
{
	struct rs_dns_result tr;
	struct rs_sts_cached c;
	char id[40], why[200], *name;
	long long now = (long long)time(NULL);
	int nsts, have = 0, live = 0, rc = 0;

	memset(pol, 0, sizeof(*pol));
	memset(&c, 0, sizeof(c));
	if (state_dir != NULL && rs_sts_cache_get(state_dir, domain, &c) == 1) {
		have = 1;
		if (!rs_sts_cache_fresh(&c, now))
			log_info("%s: cached MTA-STS policy id %s expired "
			         "(fetched %lld s ago, max_age %ld) "
			         "[RFC 8461 §5.1]",
			    domain, c.id, now - c.fetched, c.pol.max_age);
	}
	name = xasprintf("_mta-sts.%s", domain);
	rs_dns_lookup_txt(dns, name, &tr);
	if (tr.state != RS_DNS_SECURE && tr.state != RS_DNS_INSECURE)
		snprintf(why, sizeof(why), "TXT %s", tr.why);
	else if (txt_record(&tr, id, sizeof(id), &nsts) != 0)
		snprintf(why, sizeof(why), "TXT: %s",
		    nsts == 0   ? "no v=STSv1 record"
		    : nsts == 1 ? "malformed record"
		                : "several v=STSv1 records");
	else
		live = 1;
	switch (rs_sts_plan(have ? &c : NULL, live ? id : NULL, now)) {
	case RS_STS_NO_POLICY:
		log_info(
		    "%s: MTA-STS %s: no policy [RFC 8461 §3.1]", domain, why);
		break;
	case RS_STS_USE_CACHE:
		if (!live)
			log_info("%s: MTA-STS %s: no live policy [RFC 8461 "
			         "§3.3]",
			    domain, why);
		use_cached(domain, &c, now,
		    live ? "same id, not fetched again [RFC 8461 §3.1, §5.1]"
		         : "applied [RFC 8461 §3.3]",
		    pol);
		rc = 1;
		break;
	case RS_STS_FETCH:
		if (fetch_policy(dns, ctxp, domain, id, timeout_s, pol) == 1) {
			rc = 1;
			if (state_dir != NULL) {
				mtasts_policy_free(&c.pol);
				snprintf(c.id, sizeof(c.id), "%s", id);
				c.fetched = now;
				c.pol = *pol;
				rs_sts_cache_put(state_dir, domain, &c);
				memset(&c.pol, 0, sizeof(c.pol));
			}
		} else if (have && rs_sts_cache_fresh(&c, now)) {
			use_cached(domain, &c, now,
			    "the new policy was not fetched: applied [RFC 8461 "
			    "§3.3]",
			    pol);
			rc = 1;
		} else
			log_info("%s: MTA-STS: no policy [RFC 8461 §3.3, "
			         "§5.1]",
			    domain);
		break;
	}
	mtasts_policy_free(&c.pol);
	rs_dns_result_clear(&tr);
	free(name);
	return rc;
}

int
rs_sts_cache_fresh(const struct rs_sts_cached *c, long long now)
{
	return now >= c->fetched && now - c->fetched < c->pol.max_age;
}

enum rs_sts_step
rs_sts_plan(const struct rs_sts_cached *c, const char *live_id, long long now)
{
	int fresh = c != NULL && rs_sts_cache_fresh(c, now);

	if (live_id == NULL)
		return fresh ? RS_STS_USE_CACHE : RS_STS_NO_POLICY;
	if (fresh && strcmp(c->id, live_id) == 0)
		return RS_STS_USE_CACHE;
	return RS_STS_FETCH;
}

/* cache_path - the cache file of domain in dir: DIR/mta-sts-DOMAIN,
 * any '/' of the name made '_'. A new string. */
static char *
cache_path(const char *dir, const char *domain)
{
	char *p = xasprintf("%s/mta-sts-%s", dir, domain), *c;

	for (c = p + strlen(dir) + 1; *c != '\0'; c++)
		if (*c == '/')
			*c = '_';
	return p;
}

int
rs_sts_cache_get(const char *dir, const char *domain, struct rs_sts_cached *c)
{
	char *path = cache_path(dir, domain), line[128], err[200];
	struct buf rest;
	FILE *fp;
	size_t n;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	fp = fopen(path, "re");
	if (fp == NULL) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc < 0)
			log_warn("%s", path);
		free(path);
		return rc;
	}
	buf_init(&rest);
	if (fgets(line, sizeof(line), fp) == NULL ||
	    sscanf(line, "id %39s", c->id) != 1 ||
	    fgets(line, sizeof(line), fp) == NULL ||
	    sscanf(line, "fetched %lld", &c->fetched) != 1) {
		snprintf(err, sizeof(err), "no id and fetched lines");
		goto out;
	}
	while ((n = fread(line, 1, sizeof(line), fp)) > 0 &&
	       rest.len <= MTASTS_BODY_MAX)
		buf_append(&rest, line, n);
	if (mtasts_policy_parse(rest.data != NULL ? rest.data : "", rest.len,
	        &c->pol, err, sizeof(err)) == 0)
		rc = 1;
out:
	if (rc < 0) {
		log_warnx("%s: not a cached MTA-STS policy: %s", path, err);
		memset(c, 0, sizeof(*c));
	}
	fclose(fp);
	buf_free(&rest);
	free(path);
	return rc;
}

int
rs_sts_cache_put(
    const char *dir, const char *domain, const struct rs_sts_cached *c)
{
	char *path = cache_path(dir, domain), *text;
	struct afile a;
	int rc = -1;

	if (afile_open(&a, path) == 0) {
		text = mtasts_policy_text(&c->pol);
		fprintf(
		    a.f, "id %s\nfetched %lld\n%s", c->id, c->fetched, text);
		free(text);
		rc = afile_commit(&a);
	}
	if (rc != 0)
		log_warnx("%s: cannot write the MTA-STS policy cache", path);
	free(path);
	return rc;
}
