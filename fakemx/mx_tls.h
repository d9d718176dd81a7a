/*
 * mx_tls.h - fakemx's TLS side on OpenSSL 3: one server context per
 * listener (plus one per SNI name, chosen by the servername callback,
 * RFC 6066 §3), version and cipher limits, a deliberate handshake
 * failure, observation of alerts and SNI, and the NSS key log.
 */
#ifndef DSIM_MX_TLS_H
#define DSIM_MX_TLS_H

#include <openssl/ssl.h>

#include "mx_conf.h"

/* What one connection's handshake showed; filled by the callbacks. */
struct mx_tls_info {
	char sni[256]; /* server_name the client sent */
	int have_sni;
	char alert[96];     /* first alert seen, long description */
	int alert_received; /* 1: the client sent it; 0: we did */
	int have_alert;
	int refused;    /* handshake_fail behaviour fired */
	int fail_hello; /* set by the caller after mx_tls_ssl_new (which
	                   clears info): refuse the ClientHello (the
	                   session's handshake_fail, which a phase may set) */
};

struct mx_tls_ctx;

/*
 * mx_tls_init - once at start-up: key log to keylog_path (appended; NULL
 * for none). -1 on failure (logged).
 */
int mx_tls_init(const char *keylog_path);
/* mx_tls_shutdown - close the key log. */
void mx_tls_shutdown(void);

/*
 * mx_tls_ctx_new - the TLS contexts of listener l (certificates loaded,
 * or a self-signed one made for its hostname when it names none).
 * NULL on failure (logged with the file at fault).
 */
struct mx_tls_ctx *mx_tls_ctx_new(const struct mx_listener *l);
/* mx_tls_ctx_free - release; NULL is fine. */
void mx_tls_ctx_free(struct mx_tls_ctx *t);

/*
 * mx_tls_ssl_new - a server SSL on socket fd with info as its observer
 * (borrowed; must outlive the SSL). NULL on failure (logged).
 */
SSL *mx_tls_ssl_new(struct mx_tls_ctx *t, int fd, struct mx_tls_info *info);

/* mx_tls_error_str - the first queued OpenSSL error as text into buf
 * (clears the queue); returns buf. */
const char *mx_tls_error_str(char *buf, size_t len);

#endif /* DSIM_MX_TLS_H */
