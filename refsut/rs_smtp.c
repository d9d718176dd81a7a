/*
 * rs_smtp.c - refsut's SMTP client dialogue for one connection (see
 * rs_smtp.h).
 *
 * RFC 5321 §3.3, §4.1, §4.2 (commands, multi-line replies), §4.5.2 (dot
 * stuffing); RFC 3207 §4 (STARTTLS; nothing sent between STARTTLS and the
 * handshake), §4.2 (EHLO again after TLS, pre-TLS capabilities
 * forgotten; --keep-pre-tls-ehlo uses them: RFC 2920 pipelining, RFC 3030
 * BDAT), §6 (discard plaintext buffered before the handshake:
 * CVE-2021-38371); RFC 7672 §2.2 (TLS mandatory when a secure TLSA RRset
 * exists; no cleartext then), §3.2 (no mail after failed authentication),
 * §8.1 (SNI, so no SSL 2.0-compatible hello; --sslv2-hello sends one).
 */
#include "rs_smtp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rs_session.h"
#include "xmalloc.h"

/* Limits against hostile servers. */
#define RS_MAX_LINE 4096 /* bytes of one reply line */
#define RS_MAX_LINES 200 /* lines of one reply */

/* One client connection: plain, then TLS on the same socket. */
struct conn {
	int fd;
	SSL *ssl;
	struct buf in; /* received, not yet consumed */
	int timeout_s;
	char err[200]; /* why the last operation failed */
	int keep;      /* DANE with a state folder: sessions are kept */
	int authed;    /* the server was authenticated (or trusted) */
	char key[RS_SESSION_KEYLEN]; /* the session key (rs_session.h) */
};

/* now_s - monotonic seconds. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* sanitize - printable copy of s (at most n bytes) into out for logs. */
static const char *
sanitize(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i, j = 0;

	for (i = 0; i < n && j + 1 < outlen; i++)
		out[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	out[j] = '\0';
	return out;
}

int
rs_smtp_connect(
    const char *addr, int port, int timeout_s, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t slen;
	struct pollfd pfd;
	struct timeval tv;
	int fd, fl, r, soerr = 0;
	socklen_t sl = sizeof(soerr);

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)port);
		slen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)port);
		slen = sizeof(*sin6);
	} else {
		snprintf(err, errlen, "bad address %s", addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	r = connect(fd, (struct sockaddr *)&ss, slen);
	if (r < 0 && errno != EINPROGRESS) {
		snprintf(err, errlen, "%s", strerror(errno));
		goto fail;
	}
	if (r < 0) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		r = poll(&pfd, 1, timeout_s * 1000);
		if (r == 0) {
			snprintf(err, errlen, "connect timed out");
			goto fail;
		}
		if (r < 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 ||
		    soerr != 0) {
			snprintf(
			    err, errlen, "%s", strerror(soerr ? soerr : errno));
			goto fail;
		}
	}
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	/* Blocking I/O from here on, bounded by socket time-outs, so
	 * SSL_connect/SSL_read cannot hang on a silent server. */
	tv.tv_sec = timeout_s;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
fail:
	close(fd);
	return -1;
}

/*
 * conn_open - connect to addr:port (an IPv4 or IPv6 address) within the
 * time-out. 0 or -1 (err).
 */
static int
conn_open(struct conn *c, const char *addr, int port, int timeout_s)
{
	memset(c, 0, sizeof(*c));
	buf_init(&c->in);
	c->timeout_s = timeout_s;
	c->fd = rs_smtp_connect(addr, port, timeout_s, c->err, sizeof(c->err));
	return c->fd < 0 ? -1 : 0;
}

/* conn_close - shut TLS down (without waiting) and close. */
static void
conn_close(struct conn *c)
{
	if (c->ssl != NULL) {
		SSL_set_quiet_shutdown(c->ssl, 1);
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	buf_free(&c->in);
}

/* conn_fill - read more bytes into c->in before deadline. >0, 0 EOF, -1. */
static int
conn_fill(struct conn *c, double deadline)
{
	char tmp[4096];
	ssize_t n;

	if (c->ssl == NULL || SSL_pending(c->ssl) == 0) {
		struct pollfd pfd;
		double left = deadline - now_s();
		int r;

		if (left <= 0) {
			snprintf(c->err, sizeof(c->err), "time-out");
			return -1;
		}
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		r = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (r == 0) {
			snprintf(c->err, sizeof(c->err), "time-out");
			return -1;
		}
		if (r < 0) {
			snprintf(c->err, sizeof(c->err), "poll: %s",
			    strerror(errno));
			return -1;
		}
	}
	if (c->ssl != NULL) {
		int r = SSL_read(c->ssl, tmp, sizeof(tmp));

		if (r <= 0) {
			int e = SSL_get_error(c->ssl, r);

			if (e == SSL_ERROR_ZERO_RETURN) {
				snprintf(c->err, sizeof(c->err),
				    "connection closed");
				return 0;
			}
			snprintf(c->err, sizeof(c->err), "TLS read failed");
			return -1;
		}
		n = r;
	} else {
		n = read(c->fd, tmp, sizeof(tmp));
		if (n == 0) {
			snprintf(c->err, sizeof(c->err), "connection closed");
			return 0;
		}
		if (n < 0) {
			snprintf(c->err, sizeof(c->err), "read: %s",
			    strerror(errno));
			return -1;
		}
	}
	buf_append(&c->in, tmp, (size_t)n);
	return 1;
}

/*
 * conn_reply - read one whole reply; *code and the text lines joined by
 * '\n' into text. 0, or -1 (c->err) on EOF, time-out or garbage.
 */
static int
conn_reply(struct conn *c, int *code, struct buf *text)
{
	double deadline = now_s() + c->timeout_s;
	int first = -1, lines = 0;
	char san[80];

	buf_reset(text);
	for (;;) {
		char *nl =
		    memchr(c->in.data ? c->in.data : "", '\n', c->in.len);
		size_t len;
		int cd, more, r;
		const char *t;

		if (nl == NULL) {
			if (c->in.len > RS_MAX_LINE) {
				snprintf(c->err, sizeof(c->err),
				    "reply line too long");
				return -1;
			}
			r = conn_fill(c, deadline);
			if (r <= 0)
				return -1;
			continue;
		}
		len = (size_t)(nl - c->in.data);
		if (len > 0 && c->in.data[len - 1] == '\r')
			len--;
		if (len > RS_MAX_LINE || rs_smtp_parse_reply_line(c->in.data,
		                             len, &cd, &more, &t) < 0) {
			snprintf(c->err, sizeof(c->err),
			    "not an SMTP reply: \"%s\"",
			    sanitize(c->in.data, len, san, sizeof(san)));
			return -1;
		}
		if (first >= 0 && cd != first) {
			snprintf(c->err, sizeof(c->err),
			    "reply code changed within a reply (%d, %d)", first,
			    cd);
			return -1;
		}
		first = cd;
		if (text->len > 0)
			buf_putc(text, '\n');
		buf_append(text, t, len - (size_t)(t - c->in.data));
		buf_consume(&c->in, (size_t)(nl - c->in.data) + 1);
		if (!more)
			break;
		if (++lines > RS_MAX_LINES) {
			snprintf(c->err, sizeof(c->err), "reply too long");
			return -1;
		}
	}
	*code = first;
	return 0;
}

/* conn_write - write all of p; 0 or -1 (c->err). */
static int
conn_write(struct conn *c, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n;

		if (c->ssl != NULL) {
			int r = SSL_write(
			    c->ssl, p, len > 65536 ? 65536 : (int)len);

			if (r <= 0) {
				snprintf(
				    c->err, sizeof(c->err), "TLS write failed");
				return -1;
			}
			n = r;
		} else {
			n = send(c->fd, p, len, MSG_NOSIGNAL);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				snprintf(c->err, sizeof(c->err), "write: %s",
				    n < 0 ? strerror(errno) : "closed");
				return -1;
			}
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* conn_cmd - send one command line (CRLF added); 0 or -1. */
static int
conn_cmd(struct conn *c, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int r;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_puts(&b, "\r\n");
	r = conn_write(c, b.data, b.len);
	buf_free(&b);
	return r;
}

/* exchange - send a command, read its reply; -1 on I/O failure. */
static int
exchange(struct conn *c, int *code, struct buf *text, const char *fmt, ...)
{
	struct buf b;
	va_list ap;
	int r;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_puts(&b, "\r\n");
	r = conn_write(c, b.data, b.len);
	buf_free(&b);
	if (r < 0)
		return -1;
	return conn_reply(c, code, text);
}

/* quit - polite QUIT; its reply is read but does not matter. */
static void
quit(struct conn *c)
{
	struct buf t;
	int code;

	buf_init(&t);
	if (conn_cmd(c, "QUIT") == 0) {
		c->timeout_s = c->timeout_s > 2 ? 2 : c->timeout_s;
		conn_reply(c, &code, &t);
	}
	buf_free(&t);
}

/* first_line - the first line of a reply text, sanitized, for logs. */
static const char *
first_line(const struct buf *t, char *out, size_t outlen)
{
	const char *s = t->data ? t->data : "";
	size_t n = strcspn(s, "\n");

	return sanitize(s, n, out, outlen);
}

/* hello - EHLO, or HELO if EHLO is refused; *esmtp says which. */
static int
hello(struct conn *c, const struct rs_attempt *a, const char *tag,
    struct buf *text, int *esmtp)
{
	int code;
	char l[160];

	if (exchange(c, &code, text, "EHLO %s", a->ehlo) < 0) {
		log_info("%s: EHLO: %s", tag, c->err);
		return -1;
	}
	if (code / 100 == 2) {
		*esmtp = 1;
		return 0;
	}
	if (exchange(c, &code, text, "HELO %s", a->ehlo) < 0) {
		log_info("%s: HELO: %s", tag, c->err);
		return -1;
	}
	if (code / 100 != 2) {
		log_info("%s: HELO refused: %d %s", tag, code,
		    first_line(text, l, sizeof(l)));
		return -1;
	}
	*esmtp = 0;
	return 0;
}

/* pending_count - recipients still pending. */
static size_t
pending_count(const struct rs_rcpt *r, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (r[i].state == RS_RCPT_PENDING)
			k++;
	return k;
}

/*
 * offer_session - a DANE connection with a state folder: the key of its
 * TLSA RRset, and the session an earlier attempt kept for the host
 * offered to the server when it was kept under that key (or, wrong on
 * purpose, under any key).
 */
static void
offer_session(struct conn *c, const struct rs_attempt *a, const char *tag)
{
	const struct rs_tls_plan *p = &a->plan;
	SSL_SESSION *sess;
	int other;

	c->keep = 1;
	rs_session_key(p->base, a->port, p->tlsa, p->ntlsa, c->key);
	sess = rs_session_load(a->state_dir, p->base, a->port, c->key,
	    rs_policy_resume_any_tlsa(p->flags), &other);
	if (other)
		log_info("%s: the kept TLS session was authenticated under "
		         "another TLSA RRset: not offered, full handshake "
		         "[A18]",
		    tag);
	if (sess == NULL)
		return;
	if (SSL_set_session(c->ssl, sess) == 1)
		log_info("%s: offering the TLS session kept by an earlier "
		         "attempt",
		    tag);
	SSL_SESSION_free(sess);
}

/* keep_session - after the transaction: keep the connection's session
   for a later attempt when the server was authenticated. */
static void
keep_session(struct conn *c, const struct rs_attempt *a, const char *tag)
{
	SSL_SESSION *sess;

	if (c->ssl == NULL || !c->keep || !c->authed)
		return;
	sess = SSL_get1_session(c->ssl);
	if (sess == NULL)
		return;
	if (SSL_SESSION_is_resumable(sess) &&
	    rs_session_save(
	        a->state_dir, a->plan.base, a->port, c->key, sess) == 0)
		log_info("%s: TLS session kept for a later attempt", tag);
	SSL_SESSION_free(sess);
}

/*
 * sslv2_hello - wrong on purpose (--sslv2-hello): open TLS with an SSL
 * 2.0-compatible ClientHello (RFC 5246 Appendix E.2) offering TLS 1.2,
 * written as raw bytes: it has no extensions, so no SNI (R-8.1-b). The
 * server's answer is read and logged; no handshake can follow it here.
 * Returns -2: reconnect and send a TLS ClientHello, as clients that
 * start with such a hello and fall back from it do.
 */
static int
sslv2_hello(struct conn *c, const char *tag)
{
	/* TLS 1.2 suites as three-byte SSL 2.0 cipher specs */
	static const uint8_t specs[] = {0x00, 0xc0, 0x2b, 0x00, 0xc0, 0x2f,
	    0x00, 0xc0, 0x2c, 0x00, 0xc0, 0x30, 0x00, 0x00, 0x9c, 0x00, 0x00,
	    0x2f};
	uint8_t h[2 + 9 + sizeof(specs) + 32];
	size_t len = sizeof(h) - 2, i;
	char e[256];

	h[0] = (uint8_t)(0x80 | len >> 8);
	h[1] = (uint8_t)len;
	h[2] = 1; /* CLIENT-HELLO */
	h[3] = 3; /* version 3.3: TLS 1.2 */
	h[4] = 3;
	h[5] = 0; /* cipher spec length */
	h[6] = sizeof(specs);
	h[7] = h[8] = 0; /* no session id */
	h[9] = 0;        /* challenge length */
	h[10] = 32;
	memcpy(h + 11, specs, sizeof(specs));
	if (RAND_bytes(h + 11 + sizeof(specs), 32) != 1)
		for (i = 0; i < 32; i++)
			h[11 + sizeof(specs) + i] = (uint8_t)(i * 7 + 1);
	log_info("%s: SSL 2.0-compatible ClientHello sent, no SNI [R-8.1-b "
	         "violated: --sslv2-hello]",
	    tag);
	buf_reset(&c->in);
	if (conn_write(c, (const char *)h, sizeof(h)) < 0 ||
	    conn_fill(c, now_s() + (c->timeout_s < 5 ? c->timeout_s : 5)) <= 0)
		snprintf(e, sizeof(e), "%s", c->err);
	else if (c->in.len >= 7 && (uint8_t)c->in.data[0] == 21)
		snprintf(e, sizeof(e), "server alert %u",
		    (unsigned)(uint8_t)c->in.data[6]);
	else
		snprintf(e, sizeof(e),
		    "server answered %zu bytes (record "
		    "type %u)",
		    c->in.len, (unsigned)(uint8_t)c->in.data[0]);
	log_info("%s: SSL 2.0-compatible hello refused: %s: reconnecting with "
	         "a TLS ClientHello",
	    tag, e);
	return -2;
}

/*
 * start_tls - STARTTLS has been answered 220: set up TLS per plan, deal
 * with bytes already buffered, handshake and authenticate. Writes what
 * the connection achieved into desc. Returns 0 (TLS up, authenticated or
 * not needed, or accepted by a switch), -1 (give up the host; *act says
 * whether to retry in cleartext), -2 (--sslv2-hello: reconnect with a TLS
 * ClientHello).
 */
static int
start_tls(struct conn *c, const struct rs_attempt *a, const char *tag,
    char *desc, size_t desclen, enum rs_tls_action *act)
{
	const struct rs_tls_plan *p = &a->plan;
	enum rs_auth auth;
	size_t nadded;
	const char *rule;
	char why[256], e[256];
	int r;

	*act = RS_ACT_QUIT;
	if (rs_policy_sslv2_hello(p->flags) && !a->tls_hello)
		return sslv2_hello(c, tag);
	c->ssl = rs_dane_ssl_new(a->ctx, p, &auth, &nadded);
	if (c->ssl == NULL)
		return -1;
	if (c->in.len > 0) {
		if (rs_policy_discard_pre_tls(p->flags)) {
			log_info("%s: discarded %zu bytes received before the "
			         "TLS handshake [R3207-6-d]",
			    tag, c->in.len);
			buf_reset(&c->in);
		} else {
			log_info("%s: kept %zu bytes received before the TLS "
			         "handshake as replies [R3207-6-d violated: "
			         "--keep-pre-tls-buffer]",
			    tag, c->in.len);
		}
	}
	if (a->state_dir != NULL && p->mode == RS_TLS_DANE &&
	    auth == RS_AUTH_DANE && nadded > 0)
		offer_session(c, a, tag);
	if (SSL_set_fd(c->ssl, c->fd) != 1) {
		log_errx(
		    "%s: SSL_set_fd: %s", tag, rs_dane_ssl_error(e, sizeof(e)));
		SSL_free(c->ssl);
		c->ssl = NULL;
		return -1;
	}
	ERR_clear_error();
	errno = 0;
	r = SSL_connect(c->ssl);
	if (r != 1) {
		int se = SSL_get_error(c->ssl, r);

		if (ERR_peek_error() != 0)
			rs_dane_ssl_error(e, sizeof(e));
		else if (se == SSL_ERROR_SYSCALL && errno != 0)
			snprintf(e, sizeof(e), "%s", strerror(errno));
		else
			snprintf(e, sizeof(e), "connection closed");
		*act = rs_policy_handshake_failed(
		    p->mode, p->flags, p->attempt, &rule);
		log_info("%s: TLS handshake failed: %s: %s [%s]", tag, e,
		    *act == RS_ACT_RETRY_CLEARTEXT ? "retrying in cleartext"
		                                   : "host unusable",
		    rule);
		SSL_free(c->ssl);
		c->ssl = NULL;
		return -1;
	}
	snprintf(desc, desclen, "over TLS (%s, %s)", SSL_get_version(c->ssl),
	    SSL_get_cipher_name(c->ssl));
	if (c->keep && SSL_session_reused(c->ssl)) {
		/*
		 * A resumed handshake shows no certificate: the session is
		 * trusted because it was authenticated under this very TLSA
		 * RRset (its key), or - wrong on purpose - whatever the
		 * RRset now says.
		 */
		c->authed = 1;
		if (rs_policy_resume_any_tlsa(p->flags)) {
			log_info("%s: TLS session resumed: DANE check skipped "
			         "[A18 violated: --resume-after-tlsa-change]",
			    tag);
			snprintf(desc + strlen(desc), desclen - strlen(desc),
			    ", resumed, not checked against the TLSA RRset");
		} else {
			log_info("%s: TLS session resumed under the TLSA "
			         "RRset it was authenticated with [A18]",
			    tag);
			snprintf(desc + strlen(desc), desclen - strlen(desc),
			    ", resumed (same TLSA RRset)");
		}
	} else if (p->mode == RS_TLS_DANE &&
	           (auth == RS_AUTH_PKIX || nadded > 0)) {
		if (rs_dane_verdict(c->ssl, auth, why, sizeof(why)) == 0) {
			c->authed = 1;
			log_info("%s: server authenticated: %s [%s]", tag, why,
			    p->sts ? p->sts_rule
			    : auth == RS_AUTH_PKIX
			        ? "R-3.2-a violated: --pkix-ta"
			        : "R-3.2-a");
			snprintf(desc + strlen(desc), desclen - strlen(desc),
			    ", %s", why);
		} else {
			*act = rs_policy_auth_failed(p->flags, &rule);
			log_info("%s: authentication failed: %s: %s [%s]", tag,
			    why,
			    *act == RS_ACT_CONTINUE ? "continuing anyway"
			                            : "QUIT",
			    rule);
			if (*act != RS_ACT_CONTINUE)
				return -1;
			snprintf(desc + strlen(desc), desclen - strlen(desc),
			    ", NOT authenticated (%s)", why);
		}
	} else if (p->mode == RS_TLS_DANE || p->mode == RS_TLS_ENCRYPT) {
		log_info("%s: no usable TLSA record: TLS without "
		         "authentication [R-2.2-b]",
		    tag);
		snprintf(desc + strlen(desc), desclen - strlen(desc),
		    ", unauthenticated (no usable TLSA)");
	} else {
		snprintf(desc + strlen(desc), desclen - strlen(desc),
		    ", unauthenticated (opportunistic)");
	}
	if (rs_policy_send_sni(p->flags))
		snprintf(desc + strlen(desc), desclen - strlen(desc),
		    ", SNI %s",
		    SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name)
		        ? SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name)
		        : "?");
	else
		snprintf(desc + strlen(desc), desclen - strlen(desc),
		    ", no SNI [R-8.1-a violated: --no-sni]");
	return 0;
}

/*
 * pipeline_envelope - wrong on purpose (--keep-pre-tls-ehlo, where the EHLO
 * reply before TLS offered PIPELINING): MAIL and every pending RCPT in
 * one write (RFC 2920 §3), then the MAIL reply; the RCPT replies are read
 * where they are due. 0, or -1 (c->err).
 */
static int
pipeline_envelope(struct conn *c, const struct rs_attempt *a,
    const struct rs_rcpt *rcpts, size_t n, int *code, struct buf *t)
{
	struct buf b;
	size_t i;
	int r;

	buf_init(&b);
	buf_printf(&b, "MAIL FROM:<%s>\r\n", a->sender);
	for (i = 0; i < n; i++)
		if (rcpts[i].state == RS_RCPT_PENDING)
			buf_printf(&b, "RCPT TO:<%s>\r\n", rcpts[i].addr);
	r = conn_write(c, b.data, b.len);
	buf_free(&b);
	return r < 0 ? -1 : conn_reply(c, code, t);
}

/*
 * bdat_message - wrong on purpose (--keep-pre-tls-ehlo, where the EHLO
 * reply before TLS offered CHUNKING): the message as one "BDAT n LAST"
 * chunk (RFC 3030 §2), the dot-stuffing of the DATA form undone. Reads
 * the reply. 0, or -1 (c->err).
 */
static int
bdat_message(struct conn *c, const struct buf *body, int *code, struct buf *t)
{
	struct buf raw, b;
	size_t i;
	int bol = 1, r;

	buf_init(&raw);
	/* body ends in ".\r\n"; leading dots were doubled */
	for (i = 0; body->len >= 3 && i < body->len - 3; i++) {
		if (bol && body->data[i] == '.') {
			bol = 0;
			continue;
		}
		buf_putc(&raw, body->data[i]);
		bol = body->data[i] == '\n';
	}
	buf_init(&b);
	buf_printf(&b, "BDAT %zu LAST\r\n", raw.len);
	buf_append(&b, raw.data ? raw.data : "", raw.len);
	r = conn_write(c, b.data, b.len);
	buf_free(&b);
	buf_free(&raw);
	return r < 0 ? -1 : conn_reply(c, code, t);
}

/*
 * transaction - MAIL, RCPT, DATA; updates rcpts. RS_ATT_DONE/FAILED.
 * caps is the EHLO reply whose extensions the client uses: PIPELINING
 * and CHUNKING only under --keep-pre-tls-ehlo (NULL: none).
 */
static enum rs_attempt_result
transaction(struct conn *c, const struct rs_attempt *a, const char *tag,
    const char *desc, struct rs_rcpt *rcpts, size_t n, const char *caps)
{
	struct buf t;
	int code, *accepted, pipelined, chunking;
	size_t i, nacc = 0;
	char l[160];
	enum rs_attempt_result res = RS_ATT_FAILED;
	enum rs_reply_class cl;

	pipelined = caps != NULL && rs_smtp_has_keyword(caps, "PIPELINING");
	chunking = caps != NULL && rs_smtp_has_keyword(caps, "CHUNKING");
	if (pipelined || chunking)
		log_info("%s: using %s%s%s from the EHLO reply before TLS "
		         "[R3207-4.2-a violated: --keep-pre-tls-ehlo]",
		    tag, pipelined ? "PIPELINING" : "",
		    pipelined && chunking ? " and " : "",
		    chunking ? "CHUNKING" : "");
	buf_init(&t);
	accepted = xcalloc(n ? n : 1, sizeof(*accepted));
	if ((pipelined ? pipeline_envelope(c, a, rcpts, n, &code, &t)
	               : exchange(c, &code, &t, "MAIL FROM:<%s>", a->sender)) <
	    0) {
		log_info("%s: MAIL: %s", tag, c->err);
		goto out;
	}
	cl = rs_policy_reply_class(code, 2);
	if (cl != RS_REPLY_OK) {
		log_info("%s: MAIL FROM refused: %d %s%s", tag, code,
		    first_line(&t, l, sizeof(l)),
		    cl == RS_REPLY_PERM ? ": bouncing" : ": trying later");
		if (cl == RS_REPLY_PERM)
			for (i = 0; i < n; i++)
				if (rcpts[i].state == RS_RCPT_PENDING)
					rcpts[i].state = RS_RCPT_BOUNCED;
		quit(c);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (rcpts[i].state != RS_RCPT_PENDING)
			continue;
		if ((pipelined ? conn_reply(c, &code, &t)
		               : exchange(c, &code, &t, "RCPT TO:<%s>",
		                     rcpts[i].addr)) < 0) {
			log_info("%s: RCPT: %s", tag, c->err);
			goto out;
		}
		cl = rs_policy_reply_class(code, 2);
		if (cl == RS_REPLY_OK) {
			accepted[i] = 1;
			nacc++;
		} else {
			log_info("%s: RCPT TO:<%s> refused: %d %s%s", tag,
			    rcpts[i].addr, code, first_line(&t, l, sizeof(l)),
			    cl == RS_REPLY_PERM ? ": bouncing"
			                        : ": trying later");
			if (cl == RS_REPLY_PERM)
				rcpts[i].state = RS_RCPT_BOUNCED;
		}
	}
	if (nacc == 0) {
		quit(c);
		goto out;
	}
	if (chunking) {
		if (bdat_message(c, a->body, &code, &t) < 0) {
			log_info("%s: BDAT: %s", tag, c->err);
			goto out;
		}
		goto replied;
	}
	if (exchange(c, &code, &t, "DATA") < 0) {
		log_info("%s: DATA: %s", tag, c->err);
		goto out;
	}
	cl = rs_policy_reply_class(code, 3);
	if (cl != RS_REPLY_OK) {
		log_info("%s: DATA refused: %d %s", tag, code,
		    first_line(&t, l, sizeof(l)));
		if (cl == RS_REPLY_PERM)
			for (i = 0; i < n; i++)
				if (accepted[i])
					rcpts[i].state = RS_RCPT_BOUNCED;
		quit(c);
		goto out;
	}
	if (conn_write(c, a->body->data, a->body->len) < 0 ||
	    conn_reply(c, &code, &t) < 0) {
		log_info("%s: message: %s", tag, c->err);
		goto out;
	}
replied:
	cl = rs_policy_reply_class(code, 2);
	for (i = 0; i < n; i++) {
		if (!accepted[i])
			continue;
		if (cl == RS_REPLY_OK)
			rcpts[i].state = RS_RCPT_DELIVERED;
		else if (cl == RS_REPLY_PERM)
			rcpts[i].state = RS_RCPT_BOUNCED;
	}
	if (cl == RS_REPLY_OK)
		log_info("%s: delivered %s", a->host, desc);
	else
		log_info("%s: message refused: %d %s", tag, code,
		    first_line(&t, l, sizeof(l)));
	quit(c);
out:
	if (pending_count(rcpts, n) == 0)
		res = RS_ATT_DONE;
	free(accepted);
	buf_free(&t);
	return res;
}

enum rs_attempt_result
rs_smtp_attempt(const struct rs_attempt *a, struct rs_rcpt *rcpts, size_t n)
{
	struct conn c;
	struct buf text, pre;
	const char *caps = NULL;
	enum rs_attempt_result res = RS_ATT_FAILED;
	enum rs_tls_action act;
	const char *rule;
	char tag[300], l[160], desc[400];
	int code, esmtp = 0, offered, r;
	enum rs_tls_mode mode = a->plan.mode;

	buf_init(&text);
	buf_init(&pre);
	snprintf(tag, sizeof(tag), "%s[%s]:%d", a->host, a->addr, a->port);
	snprintf(desc, sizeof(desc), "in cleartext");
	if (conn_open(&c, a->addr, a->port, a->timeout_s) < 0) {
		log_info("%s: connect failed: %s", tag, c.err);
		goto out;
	}
	if (conn_reply(&c, &code, &text) < 0) {
		log_info("%s: banner: %s", tag, c.err);
		goto out;
	}
	if (code / 100 != 2) {
		log_info("%s: banner refused: %d %s", tag, code,
		    first_line(&text, l, sizeof(l)));
		quit(&c);
		goto out;
	}
	if (hello(&c, a, tag, &text, &esmtp) < 0)
		goto out;
	offered = esmtp && rs_smtp_has_keyword(text.data, "STARTTLS");
	buf_append(&pre, text.data ? text.data : "", text.len);
	if (a->no_tls) {
		log_info("%s: reconnected without STARTTLS [%s]", tag,
		    mode == RS_TLS_MAY ? "R-2.2-c" : "R-2.2.3-g violated");
	} else if (!offered && mode != RS_TLS_MAY) {
		act = rs_policy_no_starttls(mode, a->plan.flags, &rule);
		log_info(
		    "%s: STARTTLS not offered although TLS is required: %s "
		    "[%s]",
		    tag,
		    act == RS_ACT_QUIT ? "QUIT" : "continuing in cleartext",
		    rule);
		if (act == RS_ACT_QUIT) {
			quit(&c);
			goto out;
		}
	} else if (!offered) {
		log_info("%s: STARTTLS not offered: cleartext allowed "
		         "[R-2.2-c]",
		    tag);
	} else {
		if (rs_policy_pipeline_starttls(a->plan.flags)) {
			/* wrong on purpose: EHLO in the same write */
			log_info("%s: STARTTLS pipelined with EHLO [R3207-4-d "
			         "violated: --pipeline-starttls]",
			    tag);
			r = exchange(
			    &c, &code, &text, "STARTTLS\r\nEHLO %s", a->ehlo);
		} else
			r = exchange(&c, &code, &text, "STARTTLS");
		if (r < 0) {
			log_info("%s: STARTTLS: %s", tag, c.err);
			goto out;
		}
		if (code != 220) {
			act = rs_policy_no_starttls(mode, a->plan.flags, &rule);
			log_info("%s: STARTTLS refused: %d %s: %s [%s]", tag,
			    code, first_line(&text, l, sizeof(l)),
			    act == RS_ACT_QUIT ? "QUIT"
			                       : "continuing in cleartext",
			    rule);
			if (act == RS_ACT_QUIT) {
				quit(&c);
				goto out;
			}
		} else {
			r = start_tls(&c, a, tag, desc, sizeof(desc), &act);
			if (r < 0) {
				if (c.ssl != NULL)
					quit(&c);
				if (r == -2)
					res = RS_ATT_RETRY_TLS;
				else if (act == RS_ACT_RETRY_CLEARTEXT)
					res = RS_ATT_RETRY_CLEARTEXT;
				goto out;
			}
			/* RFC 3207 §4.2: forget the pre-TLS EHLO reply. */
			if (!rs_policy_ehlo_resent(a->plan.flags)) {
				/* wrong on purpose: HELO, no extensions */
				log_info("%s: HELO, not EHLO, after the TLS "
				         "handshake [R3207-4.2-b violated: "
				         "--no-ehlo-after-tls]",
				    tag);
				if (exchange(&c, &code, &text, "HELO %s",
				        a->ehlo) < 0 ||
				    code / 100 != 2) {
					log_info("%s: HELO: %s", tag,
					    code / 100 != 2 ? "refused"
					                    : c.err);
					quit(&c);
					goto out;
				}
			} else if (hello(&c, a, tag, &text, &esmtp) < 0) {
				quit(&c);
				goto out;
			} else if (!rs_policy_ehlo_after_tls(a->plan.flags))
				caps = buf_cstr(&pre);
		}
	}
	res = transaction(&c, a, tag, desc, rcpts, n, caps);
	keep_session(&c, a, tag);
out:
	conn_close(&c);
	buf_free(&text);
	buf_free(&pre);
	return res;
}

const char *
rs_rcpt_state_str(enum rs_rcpt_state s)
{
	switch (s) {
	case RS_RCPT_PENDING:
		return "pending";
	case RS_RCPT_DELIVERED:
		return "delivered";
	case RS_RCPT_BOUNCED:
		return "bounced";
	}
	return "?";
}

const char *
rs_attempt_result_str(enum rs_attempt_result r)
{
	switch (r) {
	case RS_ATT_DONE:
		return "done";
	case RS_ATT_FAILED:
		return "failed";
	case RS_ATT_RETRY_CLEARTEXT:
		return "retry-cleartext";
	case RS_ATT_RETRY_TLS:
		return "retry-tls";
	}
	return "?";
}

int
rs_smtp_parse_reply_line(
    const char *line, size_t len, int *code, int *more, const char **text)
{
	if (len < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' ||
	    line[1] > '9' || line[2] < '0' || line[2] > '9')
		return -1;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	*code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	*more = len > 3 && line[3] == '-';
	*text = line + (len > 3 ? 4 : 3);
	return 0;
}

int
rs_smtp_has_keyword(const char *ehlo_text, const char *keyword)
{
	const char *p, *nl;
	size_t kl = strlen(keyword);

	if (ehlo_text == NULL)
		return 0;
	p = strchr(ehlo_text, '\n');
	while (p != NULL) {
		p++;
		nl = strchr(p, '\n');
		if (strncasecmp(p, keyword, kl) == 0 &&
		    (p[kl] == '\0' || p[kl] == '\n' || p[kl] == ' ' ||
		        p[kl] == '\r'))
			return 1;
		p = nl;
	}
	return 0;
}

void
rs_smtp_encode_body(const char *msg, size_t len, struct buf *out)
{
	size_t i;
	int bol = 1;

	for (i = 0; i < len; i++) {
		char ch = msg[i];

		if (bol && ch == '.')
			buf_putc(out, '.');
		bol = 0;
		if (ch == '\r' && i + 1 < len && msg[i + 1] == '\n')
			continue;
		if (ch == '\n' || ch == '\r') {
			buf_puts(out, "\r\n");
			bol = 1;
			continue;
		}
		buf_putc(out, ch);
	}
	if (!bol)
		buf_puts(out, "\r\n");
	buf_puts(out, ".\r\n");
}

int
rs_smtp_valid_address(const char *addr)
{
	size_t i, n = strlen(addr);

	if (n > 254)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)addr[i];

		if (ch <= 0x20 || ch >= 0x7f || ch == '<' || ch == '>')
			return 0;
	}
	return 1;
}
