/*
 * mx_tls.c - TLS for fakemx on OpenSSL 3.
 *
 * Implements the server side of: RFC 3207 §4 (TLS negotiation after
 * STARTTLS), RFC 6066 §3 (server_name: a certificate chosen by SNI),
 * RFC 8446 §6.2 / RFC 5246 §7.2.2 (handshake_failure alert on purpose),
 * and the NSS key-log format (SSLKEYLOGFILE) so captures can be
 * decrypted. Behaviours from the listener: tls_min/tls_max, ciphers,
 * ciphersuites, handshake_fail, sni[].
 */
#include "mx_tls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "xmalloc.h"

struct mx_tls_ctx {
	const struct mx_listener *l; /* borrowed */
	SSL_CTX *ctx;                /* default certificate */
	SSL_CTX **sni_ctx;           /* one per l->sni[i] */
};

static FILE *keylog_fp;
static int info_idx = -1;

int
mx_tls_init(const char *keylog_path)
{
	info_idx = SSL_get_ex_new_index(0, "mx_tls_info", NULL, NULL, NULL);
	if (info_idx < 0) {
		log_errx("SSL_get_ex_new_index failed");
		return -1;
	}
	if (keylog_path != NULL) {
		keylog_fp = fopen(keylog_path, "ae");
		if (keylog_fp == NULL) {
			log_err("key log %s", keylog_path);
			return -1;
		}
	}
	return 0;
}

void
mx_tls_shutdown(void)
{
	if (keylog_fp != NULL)
		fclose(keylog_fp);
	keylog_fp = NULL;
}

const char *
mx_tls_error_str(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, len, "unknown TLS error");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* keylog_cb - one NSS key-log line per secret. */
static void
keylog_cb(const SSL *ssl, const char *line)
{
	(void)ssl;
	if (keylog_fp == NULL)
		return;
	fprintf(keylog_fp, "%s\n", line);
	fflush(keylog_fp);
}

/* info_cb - remember the first alert sent or received. */
static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct mx_tls_info *info = SSL_get_ex_data(ssl, info_idx);

	if (info == NULL || !(where & SSL_CB_ALERT) || info->have_alert)
		return;
	info->have_alert = 1;
	info->alert_received = (where & SSL_CB_READ) != 0;
	snprintf(info->alert, sizeof(info->alert), "%s",
	    SSL_alert_desc_string_long(ret));
}

/*
 * msg_cb - note that a ClientHello message was read. OpenSSL calls it
 * with every whole handshake message, before processing it, so a
 * ClientHello the server then refuses (or cannot parse) still counts,
 * as it does for the capture analyser; a client that closes after the
 * STARTTLS reply never gets here. An SSL 2.0-compatible ClientHello
 * (RFC 5246 Appendix E.2) comes with version SSL2_VERSION and content
 * type 0; its first byte is CLIENT-HELLO (1) as well.
 */
static void
msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
    SSL *ssl, void *arg)
{
	struct mx_tls_info *info = SSL_get_ex_data(ssl, info_idx);

	(void)arg;
	if (info != NULL && !write_p &&
	    (content_type == SSL3_RT_HANDSHAKE ||
	        (content_type == 0 && version == SSL2_VERSION)) &&
	    len > 0 && *(const unsigned char *)buf == SSL3_MT_CLIENT_HELLO)
		info->client_hello = 1;
}

/* client_hello_cb - note the SNI; refuse when the listener says so. */
static int
client_hello_cb(SSL *ssl, int *al, void *arg)
{
	struct mx_tls_ctx *t = arg;
	struct mx_tls_info *info = SSL_get_ex_data(ssl, info_idx);
	const unsigned char *p;
	size_t len, i, n;

	if (info != NULL &&
	    SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) &&
	    len > 2) {
		/* server_name_list: u16 length, then (type u8, u16 len,
		 * name) entries; the first host_name (type 0) counts. */
		size_t list = ((size_t)p[0] << 8) | p[1];

		if (list + 2 <= len) {
			i = 2;
			while (i + 3 <= list + 2) {
				n = ((size_t)p[i + 1] << 8) | p[i + 2];
				if (i + 3 + n > list + 2)
					break;
				if (p[i] == 0) {
					if (n >= sizeof(info->sni))
						n = sizeof(info->sni) - 1;
					memcpy(info->sni, p + i + 3, n);
					info->sni[n] = '\0';
					info->have_sni = 1;
					break;
				}
				i += 3 + n;
			}
		}
	}
	if (info != NULL ? info->fail_hello
	                 : t->l->behave.flag[MXS_FLAG_HANDSHAKE_FAIL]) {
		if (info != NULL)
			info->refused = 1;
		*al = SSL_AD_HANDSHAKE_FAILURE;
		return SSL_CLIENT_HELLO_ERROR;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

/* servername_cb - switch to the certificate of the SNI name sent. */
static int
servername_cb(SSL *ssl, int *al, void *arg)
{
	struct mx_tls_ctx *t = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	size_t i;

	(void)al;
	if (name == NULL)
		return SSL_TLSEXT_ERR_OK;
	for (i = 0; i < t->l->nsni; i++)
		if (strcasecmp(name, t->l->sni[i].name) == 0) {
			SSL_set_SSL_CTX(ssl, t->sni_ctx[i]);
			break;
		}
	return SSL_TLSEXT_ERR_OK;
}

/* version_const - 10..13 to the OpenSSL protocol constant. */
static int
version_const(int v)
{
	switch (v) {
	case 10:
		return TLS1_VERSION;
	case 11:
		return TLS1_1_VERSION;
	case 12:
		return TLS1_2_VERSION;
	default:
		return TLS1_3_VERSION;
	}
}

/* self_signed - a fresh P-256 key and certificate for hostname. */
static int
self_signed(SSL_CTX *ctx, const char *hostname)
{
	EVP_PKEY *pk = NULL;
	X509 *x = NULL;
	X509_EXTENSION *ext;
	X509_NAME *name;
	char *san;
	int rc = -1;
	unsigned char serial[8];

	pk = EVP_EC_gen("P-256");
	x = X509_new();
	if (pk == NULL || x == NULL)
		goto out;
	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	X509_set_version(x, 2);
	ASN1_INTEGER_set_uint64(X509_get_serialNumber(x),
	    ((uint64_t)serial[0] << 56) | ((uint64_t)serial[1] << 48) |
	        ((uint64_t)serial[2] << 40) | ((uint64_t)serial[3] << 32) |
	        ((uint64_t)serial[4] << 24) | ((uint64_t)serial[5] << 16) |
	        ((uint64_t)serial[6] << 8) | serial[7]);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_set_pubkey(x, pk);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)hostname, -1, -1, 0);
	X509_set_issuer_name(x, name);
	san = xasprintf("DNS:%s", hostname);
	ext = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);
	free(san);
	if (ext != NULL) {
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	ERR_clear_error();
	if (X509_sign(x, pk, EVP_sha256()) == 0 ||
	    SSL_CTX_use_certificate(ctx, x) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, pk) != 1)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		char e[256];

		log_errx("self-signed certificate for %s: %s", hostname,
		    mx_tls_error_str(e, sizeof(e)));
	}
	X509_free(x);
	EVP_PKEY_free(pk);
	return rc;
}

/* load_chain_file - add every certificate of a PEM file to the chain. */
static int
load_chain_file(SSL_CTX *ctx, const char *path)
{
	FILE *fp = fopen(path, "re");
	X509 *x;
	int n = 0;

	if (fp == NULL) {
		log_err("chain file %s", path);
		return -1;
	}
	while ((x = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
			X509_free(x);
			fclose(fp);
			log_errx("chain file %s: cannot add certificate", path);
			return -1;
		}
		n++;
	}
	fclose(fp);
	ERR_clear_error();
	if (n == 0) {
		log_errx("chain file %s: no PEM certificate", path);
		return -1;
	}
	return 0;
}

/* ctx_make - one SSL_CTX with the listener's limits and certificate cs. */
static SSL_CTX *
ctx_make(struct mx_tls_ctx *t, const struct mx_certspec *cs)
{
	const struct mx_listener *l = t->l;
	SSL_CTX *ctx;
	char e[256];
	int vmin = mx_tls_version_parse(l->tls_min);
	int vmax = mx_tls_version_parse(l->tls_max);
	size_t i;

	ctx = SSL_CTX_new(TLS_server_method());
	if (ctx == NULL) {
		log_errx("SSL_CTX_new: %s", mx_tls_error_str(e, sizeof(e)));
		return NULL;
	}
	SSL_CTX_set_options(
	    ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	                          SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
	                          SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"fakemx", 6);
	SSL_CTX_set_keylog_callback(ctx, keylog_cb);
	/* Legacy versions and weak suites are behaviours under test, so
	 * the security level must not hide them (catalogue §11 A7, A8). */
	if ((vmin > 0 && vmin < 12) || (vmax > 0 && vmax < 12) ||
	    l->ciphers != NULL) {
		if (SSL_CTX_set_cipher_list(ctx,
		        l->ciphers ? l->ciphers : "DEFAULT:@SECLEVEL=0") != 1) {
			log_errx("%s:%d: ciphers \"%s\": %s", l->address,
			    l->port, l->ciphers ? l->ciphers : "DEFAULT",
			    mx_tls_error_str(e, sizeof(e)));
			goto fail;
		}
		SSL_CTX_set_security_level(ctx, 0);
	}
	if (vmin > 0 &&
	    SSL_CTX_set_min_proto_version(ctx, version_const(vmin)) != 1)
		goto fail_v;
	if (vmax > 0 &&
	    SSL_CTX_set_max_proto_version(ctx, version_const(vmax)) != 1)
		goto fail_v;
	if (l->ciphersuites != NULL &&
	    SSL_CTX_set_ciphersuites(ctx, l->ciphersuites) != 1) {
		log_errx("%s:%d: ciphersuites \"%s\": %s", l->address, l->port,
		    l->ciphersuites, mx_tls_error_str(e, sizeof(e)));
		goto fail;
	}
	if (cs->cert == NULL) {
		if (self_signed(ctx, l->behave.hostname) < 0)
			goto fail;
		return ctx;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, cs->cert) != 1) {
		log_errx("certificate %s: %s", cs->cert,
		    mx_tls_error_str(e, sizeof(e)));
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(
	        ctx, cs->key ? cs->key : cs->cert, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		log_errx("private key %s: %s", cs->key ? cs->key : cs->cert,
		    mx_tls_error_str(e, sizeof(e)));
		goto fail;
	}
	for (i = 0; i < cs->nchain; i++)
		if (load_chain_file(ctx, cs->chain[i]) < 0)
			goto fail;
	return ctx;
fail_v:
	log_errx("%s:%d: TLS version range: %s", l->address, l->port,
	    mx_tls_error_str(e, sizeof(e)));
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

struct mx_tls_ctx *
mx_tls_ctx_new(const struct mx_listener *l)
{
	struct mx_tls_ctx *t = xcalloc(1, sizeof(*t));
	size_t i;

	t->l = l;
	t->sni_ctx = xcalloc(l->nsni + 1, sizeof(SSL_CTX *));
	t->ctx = ctx_make(t, &l->cs);
	if (t->ctx == NULL)
		goto fail;
	for (i = 0; i < l->nsni; i++) {
		t->sni_ctx[i] = ctx_make(t, &l->sni[i].cs);
		if (t->sni_ctx[i] == NULL)
			goto fail;
	}
	SSL_CTX_set_client_hello_cb(t->ctx, client_hello_cb, t);
	SSL_CTX_set_tlsext_servername_callback(t->ctx, servername_cb);
	SSL_CTX_set_tlsext_servername_arg(t->ctx, t);
	return t;
fail:
	mx_tls_ctx_free(t);
	return NULL;
}

void
mx_tls_ctx_free(struct mx_tls_ctx *t)
{
	size_t i;

	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	for (i = 0; i < t->l->nsni; i++)
		SSL_CTX_free(t->sni_ctx[i]);
	free(t->sni_ctx);
	free(t);
}

SSL *
mx_tls_ssl_new(struct mx_tls_ctx *t, int fd, struct mx_tls_info *info)
{
	SSL *ssl;
	char e[256];

	memset(info, 0, sizeof(*info));
	ssl = SSL_new(t->ctx);
	if (ssl == NULL || SSL_set_fd(ssl, fd) != 1) {
		log_errx("SSL_new: %s", mx_tls_error_str(e, sizeof(e)));
		SSL_free(ssl);
		return NULL;
	}
	SSL_set_ex_data(ssl, info_idx, info);
	SSL_set_info_callback(ssl, info_cb);
	SSL_set_msg_callback(ssl, msg_cb);
	SSL_set_accept_state(ssl);
	return ssl;
}

void
mx_tls_fail_explain(
    SSL *ssl, int r, const struct mx_tls_info *info, struct mx_tls_fail *f)
{
	int err = errno, e = SSL_get_error(ssl, r), eof, quiet;
	unsigned long q = ERR_peek_error();

	memset(f, 0, sizeof(*f));
	f->bytes_in = (unsigned long)BIO_number_read(SSL_get_rbio(ssl));
	/* quiet: the socket ended (FIN or reset) with no TLS error queued */
	quiet = e == SSL_ERROR_SYSCALL && q == 0;
	eof = quiet || e == SSL_ERROR_ZERO_RETURN ||
	      ERR_GET_REASON(q) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
	if (quiet)
		snprintf(f->error, sizeof(f->error), "%s",
		    err ? strerror(err)
		        : "connection closed during the handshake");
	else
		mx_tls_error_str(f->error, sizeof(f->error));
	ERR_clear_error();
	if (info->refused)
		f->by = "server";
	else if ((info->have_alert && info->alert_received) || eof)
		f->by = "client";
	else
		f->by = "error";
	if (eof && !info->client_hello && f->bytes_in == 0) {
		/* No handshake began: whatever alert OpenSSL sent on
		 * seeing the end of stream answered no ClientHello. */
		snprintf(f->error, sizeof(f->error),
		    "no TLS record: the client %s the connection before "
		    "sending one",
		    quiet && err == ECONNRESET ? "reset" : "closed");
		snprintf(f->reason, sizeof(f->reason),
		    "no TLS handshake: the client %s the connection "
		    "without sending a TLS record",
		    quiet && err == ECONNRESET ? "reset" : "closed");
		return;
	}
	snprintf(
	    f->reason, sizeof(f->reason), "TLS handshake failed: %s", f->error);
}
