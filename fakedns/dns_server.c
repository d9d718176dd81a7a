/*
 * dns_server.c - the network side of fakedns: DNS over UDP (RFC 1035
 * §4.2.1) and over TCP with two-byte length framing, several queries per
 * connection and an idle time-out (RFC 7766 §6.2, §8), on every address
 * of the world in one poll() loop. Answers come from dns_answer_build();
 * this file only moves bytes, keeps time and writes the query log.
 */
#include "dns_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "dns_answer.h"
#include "dns_log.h"
#include "log.h"
#include "xmalloc.h"

/* Bytes a TCP client may leave unread before we give up on it. */
#define DNS_TCP_OUT_MAX (1024 * 1024)
/* Datagrams read from one UDP socket per poll round (fairness). */
#define DNS_UDP_BURST 64
/* Datagrams taken (and answered) per recvmmsg()/sendmmsg() call. */
#define DNS_UDP_BATCH 32

struct listener {
	int udp;       /* bound UDP socket */
	int tcp;       /* listening TCP socket */
	size_t addr;   /* index into world->addrs */
	char name[80]; /* "ip:port" for the log */
};

struct conn {
	int fd;
	unsigned long id; /* unique, so late answers find their conn */
	size_t lis;       /* listener index */
	struct buf in, out;
	long long last_ms; /* last activity (monotonic) */
	int dead;          /* close after this round */
	char client[80];
};

struct pending {
	long long due_ms;
	int tcp;
	size_t lis;
	unsigned long conn_id;        /* TCP */
	struct sockaddr_storage peer; /* UDP */
	socklen_t peerlen;
	uint8_t *wire;
	size_t len;
};

struct dns_server {
	struct dns_world *w; /* borrowed; its phases change with the attempts */
	FILE *qlog;
	int echo;
	struct listener *lis;
	size_t nlis;
	struct conn *conns;
	size_t nconns;
	unsigned long next_id;
	struct pending *pend;
	size_t npend;
	struct pollfd *pfd;
	size_t pfdcap;
	int qlog_unflushed;     /* lines written since the last flush */
	long long accept_pause; /* no accept() before this time (ms) */
};

/* now_ms - monotonic milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* wall_time - seconds since the epoch, for the log. */
static double
wall_time(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* sa_text - "ip:port" of a socket address. */
static void
sa_text(const struct sockaddr_storage *ss, char *out, size_t outsz)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		port = ntohs(s->sin_port);
		snprintf(out, outsz, "%s:%d", ip, port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		port = ntohs(s->sin6_port);
		snprintf(out, outsz, "[%s]:%d", ip, port);
	} else
		snprintf(out, outsz, "?");
}

/* open_socket - a non-blocking socket of type bound to a's address. */
static int
open_socket(const struct dns_addr *a, int port, int type)
{
	struct sockaddr_storage ss = a->sa;
	int fd, on = 1;

	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)port);
	fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_err("socket for %s", a->text);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, a->salen) == -1) {
		log_err("bind %s port %d/%s", a->text, port,
		    type == SOCK_STREAM ? "tcp" : "udp");
		close(fd);
		return -1;
	}
	if (type == SOCK_STREAM && listen(fd, 64) == -1) {
		log_err("listen %s port %d", a->text, port);
		close(fd);
		return -1;
	}
	return fd;
}

struct dns_server *
dns_server_new(struct dns_world *w, int port, FILE *qlog, int echo)
{
	struct dns_server *s = xcalloc(1, sizeof(*s));
	size_t i;

	s->w = w;
	s->qlog = qlog;
	s->echo = echo;
	s->next_id = 1;
	s->lis = xcalloc(w->naddrs ? w->naddrs : 1, sizeof(*s->lis));
	for (i = 0; i < w->naddrs; i++) {
		struct listener *l = &s->lis[i];
		struct sockaddr_storage ss = w->addrs[i].sa;

		l->udp = l->tcp = -1;
		l->addr = i;
		s->nlis++;
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&ss)->sin_port =
			    htons((uint16_t)port);
		else
			((struct sockaddr_in6 *)&ss)->sin6_port =
			    htons((uint16_t)port);
		sa_text(&ss, l->name, sizeof(l->name));
		if ((l->udp = open_socket(&w->addrs[i], port, SOCK_DGRAM)) ==
		        -1 ||
		    (l->tcp = open_socket(&w->addrs[i], port, SOCK_STREAM)) ==
		        -1) {
			dns_server_free(s);
			return NULL;
		}
	}
	return s;
}

/* conn_close - close connection i now and drop it from the array. */
static void
conn_close(struct dns_server *s, size_t i)
{
	struct conn *c = &s->conns[i];

	log_debug("tcp %s: closed", c->client);
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	s->conns[i] = s->conns[s->nconns - 1];
	s->nconns--;
}

void
dns_server_free(struct dns_server *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nlis; i++) {
		if (s->lis[i].udp != -1)
			close(s->lis[i].udp);
		if (s->lis[i].tcp != -1)
			close(s->lis[i].tcp);
	}
	while (s->nconns > 0)
		conn_close(s, s->nconns - 1);
	for (i = 0; i < s->npend; i++)
		free(s->pend[i].wire);
	free(s->pend);
	free(s->conns);
	free(s->lis);
	free(s->pfd);
	free(s);
}

/* qlog - write the log line of one query (and echo it). */
static void
qlog(struct dns_server *s, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	char *line;

	if (s->qlog != NULL) {
		dns_log_write(
		    s->qlog, wall_time(), client, server, transport, res);
		s->qlog_unflushed = 1;
	}
	if (s->echo) {
		line =
		    dns_log_format(wall_time(), client, server, transport, res);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
}

/* qlog_flush - push the lines written so far to the file; called before
 * replies go out, so whoever has a reply finds its line. */
static void
qlog_flush(struct dns_server *s)
{
	if (!s->qlog_unflushed)
		return;
	s->qlog_unflushed = 0;
	if (fflush(s->qlog) != 0)
		log_warn("query log");
}

/* conn_find - the open connection with id, or NULL. */
static struct conn *
conn_find(struct dns_server *s, unsigned long id)
{
	size_t i;

	for (i = 0; i < s->nconns; i++)
		if (s->conns[i].id == id && !s->conns[i].dead)
			return &s->conns[i];
	return NULL;
}

/* conn_flush - write what we can of c's output; mark it dead on error. */
static void
conn_flush(struct conn *c)
{
	ssize_t n;

	while (c->out.len > 0) {
		n = write(c->fd, c->out.data, c->out.len);
		if (n > 0) {
			buf_consume(&c->out, (size_t)n);
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n == -1 && errno == EINTR)
			continue;
		c->dead = 1;
		return;
	}
}

/* conn_send - queue one framed message on c. */
static void
conn_send(struct conn *c, const uint8_t *wire, size_t len)
{
	uint8_t hdr[2] = {(uint8_t)(len >> 8), (uint8_t)len};

	if (c->out.len + len + 2 > DNS_TCP_OUT_MAX) {
		log_warnx("tcp %s: client does not read, closing", c->client);
		c->dead = 1;
		return;
	}
	buf_append(&c->out, hdr, 2);
	buf_append(&c->out, wire, len);
	conn_flush(c);
}

/* udp_send - one datagram to peer from listener l. */
static void
udp_send(struct listener *l, const struct sockaddr_storage *peer,
    socklen_t peerlen, const uint8_t *wire, size_t len)
{
	if (sendto(l->udp, wire, len, 0, (const struct sockaddr *)peer,
	        peerlen) == -1 &&
	    errno != EAGAIN)
		log_warn("udp send from %s", l->name);
}

/* defer - keep a reply to send at due time. */
static void
defer(struct dns_server *s, struct pending *p)
{
	s->pend = xreallocarray(s->pend, s->npend + 1, sizeof(*s->pend));
	s->pend[s->npend++] = *p;
}

/*
 * answer - answer one query from listener li (TCP: on connection c) and
 * log it. Returns 1 when res holds a reply to send now (the caller sends
 * and frees it); 0 when there is none (dropped, closed, or deferred).
 */
static int
answer(struct dns_server *s, size_t li, struct conn *c,
    const struct sockaddr_storage *peer, socklen_t peerlen, const uint8_t *pkt,
    size_t len, struct dns_result *res)
{
	struct listener *l = &s->lis[li];
	char client[80];

	dns_world_phase_refresh(s->w);
	dns_answer_build(s->w, l->addr, c != NULL, pkt, len, res);
	if (s->w->phased && res->has_query && res->scenario != NULL)
		res->attempt = scn_attempts_get(&s->w->attempts, res->scenario);
	if (s->qlog != NULL || s->echo) {
		if (c != NULL)
			snprintf(client, sizeof(client), "%s", c->client);
		else
			sa_text(peer, client, sizeof(client));
		qlog(s, client, l->name, c != NULL ? "tcp" : "udp", res);
	}
	if (res->action == DNS_ACT_CLOSE && c != NULL)
		c->dead = 1;
	if (res->action != DNS_ACT_REPLY || res->wire == NULL) {
		dns_result_free(res);
		return 0;
	}
	if (res->delay_ms > 0) {
		struct pending p;

		memset(&p, 0, sizeof(p));
		p.due_ms = now_ms() + res->delay_ms;
		p.tcp = c != NULL;
		p.lis = li;
		p.conn_id = c != NULL ? c->id : 0;
		if (peer != NULL)
			p.peer = *peer;
		p.peerlen = peerlen;
		p.wire = res->wire;
		p.len = res->len;
		res->wire = NULL;
		defer(s, &p);
		return 0;
	}
	return 1;
}

/* udp_send_batch - send the n replies of out from listener l; a reply
 * the kernel refuses is dropped (as a lost datagram), the rest still go. */
static void
udp_send_batch(struct listener *l, struct mmsghdr *out, unsigned n)
{
	unsigned i = 0;
	int r;

	while (i < n) {
		r = sendmmsg(l->udp, out + i, n - i, 0);
		if (r > 0) {
			i += (unsigned)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
			log_warn("udp send from %s", l->name);
		i++;
	}
}

/*
 * udp_read - read and answer the datagrams waiting on listener li, a
 * batch per system call each way: recvmmsg() takes up to DNS_UDP_BATCH
 * queries, sendmmsg() returns their replies.
 */
static void
udp_read(struct dns_server *s, size_t li)
{
	/* each buffer takes the largest datagram, as one recvfrom() did */
	static uint8_t pkt[DNS_UDP_BATCH][65536];
	struct sockaddr_storage peer[DNS_UDP_BATCH];
	struct mmsghdr in[DNS_UDP_BATCH], out[DNS_UDP_BATCH];
	struct iovec iin[DNS_UDP_BATCH], iout[DNS_UDP_BATCH];
	struct dns_result res[DNS_UDP_BATCH];
	unsigned n, i, nout, total = 0;
	int r;

	while (total < DNS_UDP_BURST) {
		for (i = 0; i < DNS_UDP_BATCH; i++) {
			iin[i].iov_base = pkt[i];
			iin[i].iov_len = sizeof(pkt[i]);
			memset(&in[i], 0, sizeof(in[i]));
			in[i].msg_hdr.msg_name = &peer[i];
			in[i].msg_hdr.msg_namelen = sizeof(peer[i]);
			in[i].msg_hdr.msg_iov = &iin[i];
			in[i].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(s->lis[li].udp, in, DNS_UDP_BATCH, 0, NULL);
		if (r == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_warn("udp receive on %s", s->lis[li].name);
			return;
		}
		n = (unsigned)r;
		nout = 0;
		for (i = 0; i < n; i++) {
			if (!answer(s, li, NULL, &peer[i],
			        in[i].msg_hdr.msg_namelen, pkt[i],
			        in[i].msg_len, &res[nout]))
				continue;
			iout[nout].iov_base = res[nout].wire;
			iout[nout].iov_len = res[nout].len;
			memset(&out[nout], 0, sizeof(out[nout]));
			out[nout].msg_hdr.msg_name = &peer[i];
			out[nout].msg_hdr.msg_namelen =
			    in[i].msg_hdr.msg_namelen;
			out[nout].msg_hdr.msg_iov = &iout[nout];
			out[nout].msg_hdr.msg_iovlen = 1;
			nout++;
		}
		qlog_flush(s);
		udp_send_batch(&s->lis[li], out, nout);
		for (i = 0; i < nout; i++)
			dns_result_free(&res[i]);
		total += n;
		if (n < DNS_UDP_BATCH)
			return;
	}
}

/* tcp_accept - take new connections on listener li. */
static void
tcp_accept(struct dns_server *s, size_t li)
{
	struct sockaddr_storage peer;
	socklen_t peerlen = sizeof(peer);
	struct conn *c;
	int fd;

	fd = accept4(s->lis[li].tcp, (struct sockaddr *)&peer, &peerlen,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			/* the backlog stays readable: pause instead of spinning
			 */
			log_warn("accept on %s, pausing TCP for 1s",
			    s->lis[li].name);
			s->accept_pause = now_ms() + 1000;
		} else if (errno != EAGAIN && errno != EWOULDBLOCK &&
		           errno != EINTR && errno != ECONNABORTED)
			log_warn("accept on %s", s->lis[li].name);
		return;
	}
	if (s->nconns >= DNS_TCP_MAX_CONNS) {
		log_warnx("tcp: %d connections open, refusing one",
		    DNS_TCP_MAX_CONNS);
		close(fd);
		return;
	}
	s->conns = xreallocarray(s->conns, s->nconns + 1, sizeof(*s->conns));
	c = &s->conns[s->nconns++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->id = s->next_id++;
	c->lis = li;
	c->last_ms = now_ms();
	buf_init(&c->in);
	buf_init(&c->out);
	sa_text(&peer, c->client, sizeof(c->client));
	log_debug("tcp %s: connected to %s", c->client, s->lis[li].name);
}

/* tcp_read - read from connection i and answer each complete message. */
static void
tcp_read(struct dns_server *s, size_t i)
{
	struct conn *c = &s->conns[i];
	struct dns_result res;
	uint8_t tmp[16384];
	ssize_t n;
	size_t mlen;

	n = read(c->fd, tmp, sizeof(tmp));
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	                  errno != EINTR)) {
		c->dead = 1;
		return;
	}
	if (n < 0)
		return;
	c->last_ms = now_ms();
	buf_append(&c->in, tmp, (size_t)n);
	while (!c->dead && c->in.len >= 2) {
		mlen = ((size_t)(uint8_t)c->in.data[0] << 8) |
		       (uint8_t)c->in.data[1];
		if (c->in.len < mlen + 2)
			break;
		/* c stays valid: only tcp_accept() moves s->conns */
		if (answer(s, c->lis, c, NULL, 0,
		        (const uint8_t *)c->in.data + 2, mlen, &res)) {
			qlog_flush(s);
			conn_send(c, res.wire, res.len);
			dns_result_free(&res);
		}
		buf_consume(&c->in, mlen + 2);
	}
}

/* run_pending - send the delayed replies that are due; return the time
 * until the next one (ms), or -1 when none is left. */
static long long
run_pending(struct dns_server *s, long long now)
{
	long long next = -1;
	size_t i = 0;

	while (i < s->npend) {
		struct pending *p = &s->pend[i];

		if (p->due_ms > now) {
			if (next == -1 || p->due_ms - now < next)
				next = p->due_ms - now;
			i++;
			continue;
		}
		if (p->tcp) {
			struct conn *c = conn_find(s, p->conn_id);

			if (c != NULL)
				conn_send(c, p->wire, p->len);
		} else
			udp_send(&s->lis[p->lis], &p->peer, p->peerlen, p->wire,
			    p->len);
		free(p->wire);
		s->pend[i] = s->pend[s->npend - 1];
		s->npend--;
	}
	return next;
}

int
dns_server_run(struct dns_server *s, volatile sig_atomic_t *stop)
{
	sigset_t block, old, waitmask;
	long long now, next, idle;
	struct timespec ts;
	size_t i, n, nl;
	int rc = 0, r;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	/* in the wait, accept the two even if our parent blocked them */
	waitmask = old;
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	while (!*stop) {
		now = now_ms();
		next = run_pending(s, now);
		/* idle time-out and dead connections */
		for (i = 0; i < s->nconns;) {
			struct conn *c = &s->conns[i];

			if (c->dead ||
			    now - c->last_ms >= DNS_TCP_IDLE_SECS * 1000LL) {
				conn_close(s, i);
				continue;
			}
			idle = c->last_ms + DNS_TCP_IDLE_SECS * 1000LL - now;
			if (next == -1 || idle < next)
				next = idle;
			i++;
		}
		nl = s->nlis * 2;
		n = nl + s->nconns;
		if (n > s->pfdcap) {
			s->pfdcap = n + 16;
			s->pfd =
			    xreallocarray(s->pfd, s->pfdcap, sizeof(*s->pfd));
		}
		for (i = 0; i < s->nlis; i++) {
			s->pfd[2 * i].fd = s->lis[i].udp;
			s->pfd[2 * i].events = POLLIN;
			s->pfd[2 * i + 1].fd = s->lis[i].tcp;
			s->pfd[2 * i + 1].events =
			    now >= s->accept_pause ? POLLIN : 0;
		}
		for (i = 0; i < s->nconns; i++) {
			s->pfd[nl + i].fd = s->conns[i].fd;
			s->pfd[nl + i].events =
			    POLLIN | (s->conns[i].out.len > 0 ? POLLOUT : 0);
		}
		for (i = 0; i < n; i++)
			s->pfd[i].revents = 0;
		if (now < s->accept_pause &&
		    (next == -1 || s->accept_pause - now < next))
			next = s->accept_pause - now;
		if (next == -1 || next > 1000)
			next = 1000;
		ts.tv_sec = next / 1000;
		ts.tv_nsec = (next % 1000) * 1000000;
		r = ppoll(s->pfd, n, &ts, &waitmask);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			log_err("poll");
			rc = -1;
			break;
		}
		/* connections first: accept may move the conns array */
		for (i = 0; i < s->nconns && nl + i < n; i++) {
			short re = s->pfd[nl + i].revents;

			if (re & POLLOUT)
				conn_flush(&s->conns[i]);
			if (re & (POLLIN | POLLHUP | POLLERR))
				tcp_read(s, i);
		}
		for (i = 0; i < s->nlis; i++) {
			if (s->pfd[2 * i].revents & POLLIN)
				udp_read(s, i);
			if (s->pfd[2 * i + 1].revents & POLLIN)
				tcp_accept(s, i);
		}
		/* dropped queries too: nothing waits unflushed in a sleep */
		qlog_flush(s);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
