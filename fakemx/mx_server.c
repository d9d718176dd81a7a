/*
 * mx_server.c - sockets, listeners, connections and the poll() loop of
 * fakemx.
 *
 * A connection is a small table of operations (read, write, close):
 * plaintext at first, and STARTTLS (RFC 3207 §4) swaps in the TLS
 * operations on the same socket. Sessions are never freed inside their
 * own callbacks: a closed connection is marked dead and reaped after
 * dispatch (Redis's freeClientAsync). Everything is non-blocking; one
 * slow or hostile client can only hold its own connection, and the idle
 * time-out ends even that.
 */
#include "mx_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "log.h"
#include "mx_evlog.h"
#include "mx_phase.h"
#include "mx_session.h"
#include "mx_tls.h"
#include "xmalloc.h"

#define IO_AGAIN (-2)         /* operation would block */
#define OUT_HIGH (256 * 1024) /* stop reading while this much is unsent */
#define READ_CHUNK 16384
#define ACCEPT_BURST 64
#define HELD_IN_MAX 4096 /* input buffered while a reply is held */
#define LINGER_MS 500    /* reading on after the server closed a session */

struct mx_conn;

/* The operations of a connection; STARTTLS swaps plain for TLS. */
struct conn_ops {
	const char *name;
	/* read - >0 bytes, 0 at end of stream, IO_AGAIN, -1 error */
	ssize_t (*read)(struct mx_conn *c, void *p, size_t n);
	/* write - >0 bytes, IO_AGAIN, -1 error */
	ssize_t (*write)(struct mx_conn *c, const void *p, size_t n);
	/* close - release the transport (not the session) */
	void (*close)(struct mx_conn *c);
};

struct lsock {
	int fd;
	const struct mx_listener *l; /* borrowed from the configuration */
	struct mx_tls_ctx *tls;
	int nconn;  /* connections accepted so far (phases count them) */
	int *count; /* &nconn, or that of the first listener of the same
	               scenario and host (its IPv4 twin): a host's
	               connections are counted over all its addresses */
	/* per phase with its own certificate: a listener like l with the
	 * phase's certificate and behaviour, and its TLS contexts */
	struct mx_listener *pl; /* shallow copies; borrowed pointers */
	struct mx_tls_ctx **ptls;
};

/*
 * PH_LINGER: the server ended the session (421, a drop, a failed
 * handshake) and sent its FIN, but reads on for LINGER_MS or until the
 * client closes, so what the client still sends (MAIL FROM in clear
 * after a 421 to STARTTLS) is logged as the capture sees it.
 */
enum conn_phase { PH_SMTP = 0, PH_HANDSHAKE, PH_LINGER };

struct mx_conn {
	struct mx_server *srv;
	struct lsock *ls;
	int fd;
	SSL *ssl;
	const struct conn_ops *ops;
	struct mx_tls_ctx *tls; /* the listener's, or its phase's */
	struct mx_session *s;
	enum conn_phase phase;
	short hs_want;          /* POLLIN/POLLOUT the handshake waits for */
	long long idle_at;      /* monotonic ms: idle time-out */
	long long hold_at;      /* monotonic ms: end of a delay, 0 = none */
	long long linger_at;    /* monotonic ms: end of PH_LINGER */
	long long linger_start; /* monotonic ms: PH_LINGER began */
	char linger_by[16];     /* the close to log when it ends */
	char linger_reason[256];
	int timed_out;
	int dead;
	int pidx;      /* index in the poll array, -1 if none */
	char err[160]; /* last transport error */
	char client[64];
	char server[64];
	struct mx_tls_info info;
	struct mx_conn *next;
};

struct mx_server {
	const struct mx_conf *conf;
	struct mx_evlog *ev;
	struct lsock *ls;
	size_t nls;
	struct mx_conn *conns;
	size_t nconns;
	unsigned long next_id;
	int phased;                   /* some listener has phases */
	struct scn_attempts attempts; /* the harness's attempt state */
	long idle_ms;
	long long accept_pause; /* monotonic ms: accepting paused (EMFILE) */
	struct pollfd *pfd;
	size_t pfdcap;
};

/* now_ms - monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* plain_read - recv() on the socket. */
static ssize_t
plain_read(struct mx_conn *c, void *p, size_t n)
{
	ssize_t r = recv(c->fd, p, n, 0);

	if (r < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return IO_AGAIN;
	if (r < 0)
		snprintf(c->err, sizeof(c->err), "%s", strerror(errno));
	return r;
}

/* plain_write - send() on the socket, never raising SIGPIPE. */
static ssize_t
plain_write(struct mx_conn *c, const void *p, size_t n)
{
	ssize_t r = send(c->fd, p, n, MSG_NOSIGNAL);

	if (r < 0 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return IO_AGAIN;
	if (r < 0)
		snprintf(c->err, sizeof(c->err), "%s", strerror(errno));
	return r;
}

/* plain_close - close the socket. */
static void
plain_close(struct mx_conn *c)
{
	close(c->fd);
	c->fd = -1;
}

/* tls_result - map an SSL_read/SSL_write result to the ops convention. */
static ssize_t
tls_result(struct mx_conn *c, int r)
{
	int e;

	if (r > 0)
		return r;
	e = SSL_get_error(c->ssl, r);
	switch (e) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		return IO_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			if (errno == 0 || r == 0)
				return 0;
			snprintf(c->err, sizeof(c->err), "%s", strerror(errno));
			return -1;
		}
		/* FALLTHROUGH */
	default:
		mx_tls_error_str(c->err, sizeof(c->err));
		return -1;
	}
}

/* tls_read - SSL_read. */
static ssize_t
tls_read(struct mx_conn *c, void *p, size_t n)
{
	ERR_clear_error();
	errno = 0;
	return tls_result(
	    c, SSL_read(c->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n));
}

/* tls_write - SSL_write (partial writes enabled). */
static ssize_t
tls_write(struct mx_conn *c, const void *p, size_t n)
{
	ERR_clear_error();
	errno = 0;
	return tls_result(
	    c, SSL_write(c->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n));
}

/* tls_close - close_notify (best effort, non-blocking), then the socket. */
static void
tls_close(struct mx_conn *c)
{
	ERR_clear_error();
	if (SSL_is_init_finished(c->ssl))
		SSL_shutdown(c->ssl);
	ERR_clear_error();
	SSL_free(c->ssl);
	c->ssl = NULL;
	plain_close(c);
}

static const struct conn_ops plain_ops = {
    "plain",
    plain_read,
    plain_write,
    plain_close,
};
static const struct conn_ops tls_ops = {
    "tls",
    tls_read,
    tls_write,
    tls_close,
};

/* addr_str - "ip:port" or "[ip6]:port". */
static void
addr_str(const struct sockaddr_storage *ss, char *dst, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
		snprintf(dst, n, "%s:%u", ip, ntohs(sin->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
		snprintf(dst, n, "[%s]:%u", ip, ntohs(sin6->sin6_port));
	} else {
		snprintf(dst, n, "?");
	}
}

/* conn_event - log an event of connection c. */
static void
conn_event(struct mx_conn *c, const char *event, json_t *fields)
{
	/* the MTA-STS policy host's events are no SMTP (mx_https.h) */
	if (c->ls->l->https_policy != NULL && fields != NULL)
		json_object_set_new(fields, "proto", json_string("https"));
	mx_evlog_write(c->srv->ev, c->s->id, c->ls->l->scenario, c->ls->l->host,
	    event, fields);
}

/* conn_close - log who closed and why, release the transport, mark the
 * connection dead (reaped after dispatch). */
static void
conn_close(struct mx_conn *c, const char *by, const char *reason)
{
	json_t *f;

	if (c->dead)
		return;
	f = json_object();
	json_object_set_new(f, "by", json_string(by));
	json_object_set_new(f, "reason", mx_evlog_str(reason, strlen(reason)));
	if (c->phase == PH_LINGER) {
		json_object_set_new(
		    f, "linger_ms", json_integer(now_ms() - c->linger_start));
		if (c->s->linger_binary > 0)
			json_object_set_new(f, "after_close_bytes",
			    json_integer((json_int_t)c->s->linger_binary));
	}
	conn_event(c, "disconnect", f);
	log_debug("conn %lu: closed by %s: %s", c->s->id, by, reason);
	c->ops->close(c);
	c->dead = 1;
}

/*
 * conn_linger - the server ends the session: send FIN (after TLS's
 * close_notify when TLS is up), then read on for LINGER_MS or until
 * the client closes; conn_close() with by and reason comes at the end.
 * A failed handshake leaves no usable TLS: what follows is read raw.
 */
static void
conn_linger(struct mx_conn *c, const char *by, const char *reason)
{
	if (c->dead || c->phase == PH_LINGER)
		return;
	if (c->ssl != NULL && c->phase == PH_SMTP) {
		ERR_clear_error();
		SSL_shutdown(c->ssl);
		ERR_clear_error();
	} else if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
		c->ops = &plain_ops;
	}
	shutdown(c->fd, SHUT_WR);
	snprintf(c->linger_by, sizeof(c->linger_by), "%s", by);
	snprintf(c->linger_reason, sizeof(c->linger_reason), "%s", reason);
	c->phase = PH_LINGER;
	c->hold_at = 0;
	c->linger_start = now_ms();
	c->linger_at = c->linger_start + LINGER_MS;
}

/* linger_end - the linger is over: log what is left and close. */
static void
linger_end(struct mx_conn *c)
{
	mx_session_linger(c->s, NULL, 0, 1);
	conn_close(c, c->linger_by, c->linger_reason);
}

/* linger_read - read what the client sends after the server closed. */
static void
linger_read(struct mx_conn *c)
{
	char buf[READ_CHUNK];
	ssize_t n;
	int i;

	for (i = 0; i < 16 && !c->dead; i++) {
		n = c->ops->read(c, buf, sizeof(buf));
		if (n == IO_AGAIN)
			return;
		if (n <= 0) {
			linger_end(c);
			return;
		}
		mx_session_linger(c->s, buf, (size_t)n, 0);
	}
}

/*
 * conn_can_read - the session takes input now. While a reply is held
 * (a delay) input is still read, up to HELD_IN_MAX bytes, and buffered
 * unprocessed: what arrives then is what the client sent before the
 * reply it waits for (the session logs it as "early").
 */
static int
conn_can_read(const struct mx_conn *c)
{
	const struct mx_session *s = c->s;

	return !c->dead && c->phase == PH_SMTP && s->action == MX_ACT_NONE &&
	       s->state != MX_ST_CLOSED && s->out.len < OUT_HIGH &&
	       ((c->hold_at == 0 && !s->held) || s->in.len < HELD_IN_MAX);
}

/* conn_flush - send as much of the session's output as the socket takes. */
static void
conn_flush(struct mx_conn *c)
{
	struct buf *out = &c->s->out;
	ssize_t n;

	while (!c->dead && out->len > 0) {
		n = c->ops->write(c, out->data, out->len);
		if (n == IO_AGAIN)
			return;
		if (n <= 0) {
			conn_close(c, "client",
			    c->err[0] ? c->err
			              : "connection lost while writing");
			return;
		}
		buf_consume(out, (size_t)n);
		c->idle_at = now_ms() + c->srv->idle_ms;
	}
}

static void conn_handshake(struct mx_conn *c);
static void conn_read(struct mx_conn *c);

/* conn_starttls - swap in the TLS operations and begin the handshake. */
static void
conn_starttls(struct mx_conn *c)
{
	mx_session_tls_start(c->s);
	c->ssl = mx_tls_ssl_new(c->tls, c->fd, &c->info);
	if (c->ssl == NULL) {
		conn_close(c, "error", "cannot create the TLS session");
		return;
	}
	/* after mx_tls_ssl_new, which clears info; read in the handshake */
	c->info.fail_hello = c->s->b->flag[MXS_FLAG_HANDSHAKE_FAIL];
	c->ops = &tls_ops;
	c->phase = PH_HANDSHAKE;
	c->hs_want = POLLIN;
	conn_handshake(c);
}

/* conn_after - carry out what the session asked for after it ran. */
static void
conn_after(struct mx_conn *c)
{
	struct mx_session *s = c->s;

	if (c->dead)
		return;
	if (s->hold_ms > 0) {
		c->hold_at = now_ms() + s->hold_ms;
		s->hold_ms = 0;
	}
	conn_flush(c);
	if (c->dead)
		return;
	if (s->action == MX_ACT_DROP) {
		conn_linger(c, "server", s->reason ? s->reason : "drop");
		return;
	}
	if (s->out.len > 0)
		return;
	if (s->action == MX_ACT_STARTTLS)
		conn_starttls(c);
	else if (s->action == MX_ACT_CLOSE && s->reason != NULL &&
	         (strcmp(s->reason, "quit") == 0 ||
	             strcmp(s->reason, "timeout") == 0))
		conn_close(
		    c, s->reason[0] == 't' ? "timeout" : "server", s->reason);
	else if (s->action == MX_ACT_CLOSE)
		conn_linger(c, "server", s->reason ? s->reason : "close");
}

/* tls_event - the "tls" event of a finished (or failed, f) handshake. */
static void
tls_event(struct mx_conn *c, int ok, const struct mx_tls_fail *f)
{
	const char *sni = NULL;
	json_t *o = json_object();

	if (ok)
		sni = SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
	if (sni == NULL && c->info.have_sni)
		sni = c->info.sni;
	json_object_set_new(o, "ok", json_boolean(ok));
	json_object_set_new(
	    o, "client_hello", json_boolean(ok || c->info.client_hello));
	json_object_set_new(o, "version",
	    ok ? json_string(SSL_get_version(c->ssl)) : json_null());
	json_object_set_new(o, "cipher",
	    ok ? json_string(SSL_get_cipher_name(c->ssl)) : json_null());
	json_object_set_new(
	    o, "sni", sni ? mx_evlog_str(sni, strlen(sni)) : json_null());
	json_object_set_new(o, "alert",
	    c->info.have_alert ? json_string(c->info.alert) : json_null());
	if (c->info.have_alert)
		json_object_set_new(o, "alert_by",
		    json_string(c->info.alert_received ? "client" : "server"));
	json_object_set_new(o, "error",
	    f ? mx_evlog_str(f->error, strlen(f->error)) : json_null());
	if (f != NULL)
		json_object_set_new(
		    o, "bytes_in", json_integer((json_int_t)f->bytes_in));
	if (ok)
		json_object_set_new(
		    o, "resumed", json_boolean(SSL_session_reused(c->ssl)));
	conn_event(c, "tls", o);
}

/* conn_handshake - drive SSL_accept one step. */
static void
conn_handshake(struct mx_conn *c)
{
	struct mx_tls_fail f;
	int r, e;

	ERR_clear_error();
	errno = 0;
	r = SSL_accept(c->ssl);
	if (r == 1) {
		tls_event(c, 1, NULL);
		c->phase = PH_SMTP;
		c->idle_at = now_ms() + c->srv->idle_ms;
		c->s->sni =
		    SSL_get_servername(c->ssl, TLSEXT_NAMETYPE_host_name);
		mx_session_tls_done(c->s);
		conn_after(c);
		if (!c->dead && conn_can_read(c))
			conn_read(c);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ) {
		c->hs_want = POLLIN;
		return;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		c->hs_want = POLLOUT;
		return;
	}
	mx_tls_fail_explain(c->ssl, r, &c->info, &f);
	tls_event(c, 0, &f);
	if (strcmp(f.by, "client") == 0)
		conn_close(c, f.by, f.reason);
	else
		conn_linger(c, f.by, f.reason);
}

/* conn_read - read what the client sent and let the session answer. */
static void
conn_read(struct mx_conn *c)
{
	char buf[READ_CHUNK];
	ssize_t n;
	int i;

	for (i = 0; i < 16 && conn_can_read(c); i++) {
		n = c->ops->read(c, buf, sizeof(buf));
		if (n == IO_AGAIN)
			break;
		if (n == 0) {
			conn_close(c, "client", "end of stream");
			return;
		}
		if (n < 0) {
			conn_close(
			    c, "client", c->err[0] ? c->err : "read error");
			return;
		}
		c->idle_at = now_ms() + c->srv->idle_ms;
		mx_session_feed(c->s, buf, (size_t)n);
		conn_after(c);
	}
	conn_after(c);
}

/* conn_timeout - the idle time-out passed. */
static void
conn_timeout(struct mx_conn *c)
{
	if (c->phase == PH_HANDSHAKE || c->timed_out ||
	    c->s->state == MX_ST_CLOSED) {
		conn_close(c, "timeout",
		    c->phase == PH_HANDSHAKE ? "idle during the TLS handshake"
		                             : "idle");
		return;
	}
	c->timed_out = 1;
	c->idle_at = now_ms() + c->srv->idle_ms;
	mx_session_timeout(c->s);
	conn_after(c);
}

/* conn_io - poll reported events for c. */
static void
conn_io(struct mx_conn *c, short revents)
{
	if (c->phase == PH_HANDSHAKE) {
		conn_handshake(c);
		return;
	}
	if (c->phase == PH_LINGER) {
		linger_read(c);
		return;
	}
	if (c->s->out.len > 0)
		conn_after(c);
	if (c->dead)
		return;
	if (conn_can_read(c)) {
		conn_read(c);
		return;
	}
	/* Not reading (a delay or a pending action): only an end of the
	 * connection matters now. */
	if (revents & (POLLRDHUP | POLLHUP | POLLERR))
		conn_close(c, "client",
		    revents & POLLERR ? "connection reset" : "end of stream");
}

/* conn_new - accept fd on listener ls: log, greet. */
static void
conn_new(struct mx_server *srv, struct lsock *ls, int fd,
    const struct sockaddr_storage *peer)
{
	struct sockaddr_storage me;
	socklen_t mlen = sizeof(me);
	struct mx_conn *c = xcalloc(1, sizeof(*c));
	json_t *f;
	int one = 1, attempt, k;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->srv = srv;
	c->ls = ls;
	c->fd = fd;
	c->ops = &plain_ops;
	c->tls = ls->tls;
	c->pidx = -1;
	c->idle_at = now_ms() + srv->idle_ms;
	addr_str(peer, c->client, sizeof(c->client));
	if (getsockname(fd, (struct sockaddr *)&me, &mlen) == 0)
		addr_str(&me, c->server, sizeof(c->server));
	else
		snprintf(c->server, sizeof(c->server), "%s:%d", ls->l->address,
		    ls->l->port);
	c->s =
	    mx_session_new(ls->l, ++srv->next_id, srv->ev, srv->conf->maildir);
	c->next = srv->conns;
	srv->conns = c;
	srv->nconns++;
	++*ls->count;

	f = json_object();
	json_object_set_new(f, "client", json_string(c->client));
	json_object_set_new(f, "server", json_string(c->server));
	if (srv->phased && ls->l->nphases > 0) {
		scn_attempts_refresh(&srv->attempts);
		attempt = scn_attempts_get(&srv->attempts, ls->l->scenario);
		k = mx_phase_find(ls->l, attempt, *ls->count);
		c->s->b = mx_phase_behave(ls->l, attempt, *ls->count);
		if (k >= 0 && ls->ptls[k] != NULL)
			c->tls = ls->ptls[k];
		json_object_set_new(f, "attempt", json_integer(attempt));
		json_object_set_new(f, "connection", json_integer(*ls->count));
	}
	conn_event(c, "connect", f);
	log_debug("conn %lu: %s -> %s", c->s->id, c->client, c->server);
	mx_session_start(c->s);
	conn_after(c);
}

/* do_accept - accept the waiting connections of ls. */
static void
do_accept(struct mx_server *srv, struct lsock *ls)
{
	struct sockaddr_storage peer;
	socklen_t plen;
	int i, fd;

	for (i = 0; i < ACCEPT_BURST; i++) {
		plen = sizeof(peer);
		fd = accept4(ls->fd, (struct sockaddr *)&peer, &plen,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_warn("accept on %s:%d", ls->l->address,
				    ls->l->port);
				srv->accept_pause = now_ms() + 100;
			}
			return;
		}
		conn_new(srv, ls, fd, &peer);
	}
}

/* reap - free the connections closed during this round. */
static void
reap(struct mx_server *srv)
{
	struct mx_conn **pp = &srv->conns, *c;

	while ((c = *pp) != NULL) {
		if (!c->dead) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		mx_session_free(c->s);
		free(c);
		srv->nconns--;
	}
}

/* listen_on - bind and listen for listener l. -1 on failure (logged). */
static int
listen_on(const struct mx_listener *l)
{
	struct addrinfo hints, *ai = NULL;
	char port[16];
	int fd = -1, one = 1, r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", l->port);
	r = getaddrinfo(l->address, port, &hints, &ai);
	if (r != 0) {
		log_errx("listener %s:%d: not an IP address: %s", l->address,
		    l->port, gai_strerror(r));
		return -1;
	}
	fd = socket(
	    ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_err("listener %s:%d: socket", l->address, l->port);
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/* Addresses of a namespace's lo may be configured after we start. */
	setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		log_err("listener %s:%d: bind", l->address, l->port);
		goto fail;
	}
	if (listen(fd, 256) < 0) {
		log_err("listener %s:%d: listen", l->address, l->port);
		goto fail;
	}
	freeaddrinfo(ai);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return -1;
}

/*
 * phase_tls - ls has phases: the server watches the attempt state file,
 * and each phase with its own certificate gets its TLS contexts. 0, or
 * -1 (logged).
 */
static int
phase_tls(struct mx_server *srv, struct lsock *ls)
{
	const struct mx_listener *l = ls->l;
	size_t k;

	srv->phased = 1;
	ls->pl = xcalloc(l->nphases, sizeof(*ls->pl));
	ls->ptls = xcalloc(l->nphases, sizeof(*ls->ptls));
	for (k = 0; k < l->nphases; k++) {
		if (l->phases[k].cs.cert == NULL)
			continue;
		ls->pl[k] = *l;
		ls->pl[k].cs = l->phases[k].cs;
		ls->pl[k].behave = l->phases[k].behave;
		ls->ptls[k] = mx_tls_ctx_new(&ls->pl[k]);
		if (ls->ptls[k] == NULL)
			return -1;
	}
	return 0;
}

/* same_host - a and b serve the same MX host of the same scenario. */
static int
same_host(const struct mx_listener *a, const struct mx_listener *b)
{
	return a->scenario != NULL && b->scenario != NULL && a->host != NULL &&
	       b->host != NULL && strcmp(a->scenario, b->scenario) == 0 &&
	       strcmp(a->host, b->host) == 0;
}

struct mx_server *
mx_server_new(const struct mx_conf *conf, long idle_ms)
{
	struct mx_server *srv = xcalloc(1, sizeof(*srv));
	size_t i, j;

	srv->conf = conf;
	srv->idle_ms = idle_ms;
	for (i = 0; i < conf->nlisteners; i++)
		for (j = 0; j < i; j++)
			if (conf->listeners[i].port ==
			        conf->listeners[j].port &&
			    strcmp(conf->listeners[i].address,
			        conf->listeners[j].address) == 0) {
				log_errx("listeners[%zu] and listeners[%zu] "
				         "both use %s:%d",
				    j, i, conf->listeners[i].address,
				    conf->listeners[i].port);
				goto fail;
			}
	if (mx_tls_init(conf->keylog) < 0)
		goto fail;
	if (conf->log != NULL) {
		srv->ev = mx_evlog_open(conf->log);
		if (srv->ev == NULL)
			goto fail;
	}
	srv->ls = xcalloc(conf->nlisteners, sizeof(*srv->ls));
	for (i = 0; i < conf->nlisteners; i++) {
		struct lsock *ls = &srv->ls[i];

		ls->fd = -1;
		ls->l = &conf->listeners[i];
		ls->count = &ls->nconn;
		for (j = 0; j < i; j++)
			if (same_host(srv->ls[j].l, ls->l)) {
				ls->count = srv->ls[j].count;
				break;
			}
		srv->nls++;
		ls->tls = mx_tls_ctx_new(ls->l);
		if (ls->tls == NULL)
			goto fail;
		ls->fd = listen_on(ls->l);
		if (ls->fd < 0)
			goto fail;
		if (ls->l->nphases > 0 && phase_tls(srv, ls) < 0)
			goto fail;
	}
	scn_attempts_init(&srv->attempts, conf->attempts);
	log_info("%zu listener(s) ready", srv->nls);
	return srv;
fail:
	mx_server_free(srv);
	return NULL;
}

/* build_pollfds - the poll array for this round; returns its length. */
static size_t
build_pollfds(struct mx_server *srv, long long now)
{
	struct mx_conn *c;
	size_t n = 0, i;
	short ev;

	if (srv->pfdcap < srv->nls + srv->nconns) {
		srv->pfdcap = (srv->nls + srv->nconns) * 2 + 16;
		srv->pfd =
		    xreallocarray(srv->pfd, srv->pfdcap, sizeof(*srv->pfd));
	}
	for (i = 0; i < srv->nls; i++) {
		srv->pfd[n].fd = now < srv->accept_pause ? -1 : srv->ls[i].fd;
		srv->pfd[n].events = POLLIN;
		srv->pfd[n].revents = 0;
		n++;
	}
	for (c = srv->conns; c != NULL; c = c->next) {
		if (c->phase == PH_HANDSHAKE)
			ev = c->hs_want;
		else if (c->phase == PH_LINGER)
			ev = POLLIN;
		else if (conn_can_read(c))
			ev = POLLIN;
		else
			ev = POLLRDHUP;
		if (c->phase == PH_SMTP && c->s->out.len > 0)
			ev |= POLLOUT;
		/* TLS may need the other direction to make progress. */
		if (c->ssl != NULL && c->phase == PH_SMTP &&
		    SSL_want_write(c->ssl))
			ev |= POLLOUT;
		c->pidx = (int)n;
		srv->pfd[n].fd = c->fd;
		srv->pfd[n].events = ev;
		srv->pfd[n].revents = 0;
		n++;
	}
	return n;
}

/* run_timers - delays that ended and idle time-outs; returns the ms until
 * the next timer (or -1 for none). */
static long long
run_timers(struct mx_server *srv, long long now)
{
	struct mx_conn *c;
	long long next = -1, at;

	for (c = srv->conns; c != NULL; c = c->next) {
		if (c->dead)
			continue;
		if (c->phase == PH_LINGER) {
			if (now >= c->linger_at)
				linger_end(c);
			else if (next < 0 || c->linger_at < next)
				next = c->linger_at;
			continue;
		}
		if (c->hold_at != 0 && now >= c->hold_at) {
			c->hold_at = 0;
			c->idle_at = now + srv->idle_ms;
			mx_session_resume(c->s);
			conn_after(c);
			/* TLS may hold decrypted bytes poll cannot see. */
			if (conn_can_read(c))
				conn_read(c);
		} else if (c->hold_at == 0 && now >= c->idle_at) {
			conn_timeout(c);
		} else if (c->ssl != NULL && conn_can_read(c) &&
		           SSL_has_pending(c->ssl)) {
			/* Decrypted bytes wait inside OpenSSL, where poll()
			 * cannot see them (read stopped for back-pressure). */
			conn_read(c);
		}
		if (c->dead)
			continue;
		at = c->hold_at != 0 ? c->hold_at : c->idle_at;
		if (next < 0 || at < next)
			next = at;
	}
	if (srv->accept_pause > now && (next < 0 || srv->accept_pause < next))
		next = srv->accept_pause;
	return next < 0 ? -1 : (next > now ? next - now : 0);
}

int
mx_server_run(
    struct mx_server *srv, volatile sig_atomic_t *stop, const sigset_t *runmask)
{
	struct mx_conn *c;
	struct timespec ts;
	long long now, wait;
	size_t n, i;
	int r;

	while (!*stop) {
		now = now_ms();
		wait = run_timers(srv, now);
		reap(srv);
		n = build_pollfds(srv, now);
		if (wait >= 0) {
			ts.tv_sec = wait / 1000;
			ts.tv_nsec = (wait % 1000) * 1000000;
		}
		r = ppoll(srv->pfd, n, wait >= 0 ? &ts : NULL, runmask);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			log_err("ppoll");
			return -1;
		}
		for (i = 0; i < srv->nls; i++)
			if (srv->pfd[i].revents & POLLIN)
				do_accept(srv, &srv->ls[i]);
		for (c = srv->conns; c != NULL; c = c->next) {
			if (c->dead || c->pidx < 0 || (size_t)c->pidx >= n ||
			    srv->pfd[c->pidx].fd != c->fd)
				continue;
			if (srv->pfd[c->pidx].revents != 0)
				conn_io(c, srv->pfd[c->pidx].revents);
			c->pidx = -1;
		}
		reap(srv);
	}
	log_info("stopping");
	return 0;
}

void
mx_server_free(struct mx_server *srv)
{
	struct mx_conn *c;
	size_t i, j;

	if (srv == NULL)
		return;
	for (c = srv->conns; c != NULL; c = c->next)
		conn_close(c, "server", "fakemx shutting down");
	reap(srv);
	for (i = 0; i < srv->nls; i++) {
		if (srv->ls[i].fd >= 0)
			close(srv->ls[i].fd);
		mx_tls_ctx_free(srv->ls[i].tls);
		for (j = 0; j < srv->ls[i].l->nphases && srv->ls[i].ptls; j++)
			mx_tls_ctx_free(srv->ls[i].ptls[j]);
		free(srv->ls[i].ptls);
		free(srv->ls[i].pl);
	}
	free(srv->ls);
	free(srv->pfd);
	scn_attempts_free(&srv->attempts);
	mx_evlog_close(srv->ev);
	mx_tls_shutdown();
	free(srv);
}
