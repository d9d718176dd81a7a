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
	int client_hello; /* a ClientHello message was read (not merely
	                     expected: the client may close first) */
	int refused;      /* handshake_fail behaviour fired */
	int fail_hello;   /* set by the caller after mx_tls_ssl_new (which
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

/* Why a handshake on the server side failed, as the event log says it. */
struct mx_tls_fail {
	char error[200];        /* the "tls" event's error */
	char reason[256];       /* the "disconnect" event's reason */
	const char *by;         /* "client", "server" or "error" (static) */
	unsigned long bytes_in; /* bytes read from the client since STARTTLS */
};

/*
 * mx_tls_fail_explain - fill f for ssl, whose SSL_accept just returned r
 * (not 1, and no SSL_ERROR_WANT_*), with info its observer; call it
 * before anything else touches errno or the OpenSSL error queue (it
 * clears the queue). A client that closed after the STARTTLS reply (on
 * the MTA-STS policy host: after connecting) without sending a byte is
 * told apart from a handshake that began (a ClientHello read) and from
 * bytes that were no TLS.
 */
void mx_tls_fail_explain(
    SSL *ssl, int r, const struct mx_tls_info *info, struct mx_tls_fail *f);

#endif /* DSIM_MX_TLS_H */
