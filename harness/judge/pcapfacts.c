/*
 * pcapfacts.c - the offline capture analyser: packets of a run -> struct
 * facts (see pcapfacts.h for what is and is not observed).
 *
 * Layers, bottom up:
 *   link     EN10MB (with 802.1Q/802.1ad tags), NULL, LOOP, LINUX_SLL,
 *            LINUX_SLL2, RAW, IPV4, IPV6
 *   network  IPv4 (RFC 791; fragments are counted, not reassembled) and
 *            IPv6 (RFC 8200 §4: extension headers walked)
 *   TCP      RFC 9293 §3.4 sequence numbers: per-direction reassembly that
 *            drops retransmitted and overlapping bytes, holds out-of-order
 *            segments, and marks a gap (never guessing) when bytes are
 *            missing; a SYN on a finished flow starts a new connection
 *   DNS      RFC 1035 §4.2.1 (UDP) and §4.2.2 (TCP, two-byte length),
 *            decoded with ldns; RFC 6840 §5.7/RFC 4035 §3.2.3 AD bit,
 *            RFC 3225 DO bit
 *   SMTP     RFC 5321 commands and replies via lib/smtp.h, DATA body and
 *            BDAT (RFC 3030) chunks skipped, RFC 3207 STARTTLS boundary
 *   TLS      RFC 8446 §5.1 records, §4.1.2 ClientHello, §4.1.3 ServerHello
 *            and HelloRetryRequest, §4.2.1 supported_versions, §6 alerts;
 *            RFC 5246 §7.1 ChangeCipherSpec; RFC 6066 §3 server_name
 *
 * This file is the dispatcher (link, network, UDP), DNS, SMTP and the
 * facts; TCP is pf_tcp.c, TLS pf_tls.c, each with its header. The layers
 * call up only through the callbacks this file registers: TCP hands it
 * each direction's contiguous bytes, its gaps and the flow's end
 * (struct pf_tcp_ops), TLS what its records say (struct pf_tls_ops).
 * Includes point down only: this file -> pf_tcp.h, pf_tls.h -> pf_wire.h.
 */
#include "harness/judge/pcapfacts.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "buf.h"
#include "harness/judge/pf_tcp.h"
#include "harness/judge/pf_tls.h"
#include "smtp.h"
#include "xmalloc.h"

/* Pseudo-commands queued for replies besides the real verbs. */
#define PF_QUEUE 128
#define PF_Q_BANNER (SMTP_CMD__COUNT + 1)
#define PF_Q_DOT (SMTP_CMD__COUNT + 2)
#define PF_Q_BDAT_LAST (SMTP_CMD__COUNT + 3)

enum pf_kind { PF_FLOW_SMTP = 0, PF_FLOW_DNS };

enum pf_cstate {
	PF_CL_CMD = 0,  /* command lines */
	PF_CL_WAIT_354, /* DATA sent: hold bytes until the reply */
	PF_CL_BODY,     /* message body until "." */
	PF_CL_BDAT,     /* BDAT chunk bytes */
	PF_CL_TLS,      /* TLS records */
	PF_CL_DEAD      /* gap or garbage: stop */
};

enum pf_sstate { PF_SV_REPLY = 0, PF_SV_TLS, PF_SV_DEAD };

struct pf;

/* SMTP + TLS state of a connection to an MX. */
struct pf_smtp {
	struct buf in[2]; /* unconsumed bytes per direction */
	enum pf_cstate cl;
	enum pf_sstate sv;
	int body_midline; /* body: inside a line longer than a chunk */
	unsigned long long bdat_left;
	int queue[PF_QUEUE]; /* commands waiting for replies */
	size_t qhead, qlen;
	struct pf_tls tls;
};

/* What this file follows of a TCP flow (its pf_flow.up). */
struct pf_stream {
	struct pf *pf;
	struct pf_flow *fl;
	enum pf_kind kind;
	size_t si, ci; /* SMTP: scenario index, connection index */
	int has_conn;
	struct pf_smtp *smtp;
	struct buf dns[2]; /* DNS over TCP */
	int dns_dead[2];
};

/* A DNS query waiting for its answer. */
struct pf_pdns {
	struct pf_pdns *next;
	uint16_t id, cport;
	struct pf_addr client, server;
	int tcp;
	size_t si, qi;
};

/* A known address of the world: MX host or zone name server. */
struct pf_known {
	struct pf_addr addr;
	size_t si;         /* scenario index, or (size_t)-1 */
	const char *label; /* MX label */
};

/* The analyser. */
struct pf {
	const struct world *w;
	struct facts *f;
	struct pcapfacts_stats st;
	struct pf_tcp tcp;
	struct pf_known *mx;
	size_t nmx;
	struct pf_known *zones;
	size_t nzones;
	char **domains; /* "<id>.test." per scenario, lower case */
	char **ids;
	size_t *ccap, *qcap;       /* allocated conns / queries per scenario */
	struct pf_pdns **dbuckets; /* grows with the pending queries */
	size_t ndbuckets;
	size_t npdns;
	double t; /* time of the packet being analysed */
};

/* stream_of - what this file follows of flow fl. */
static inline struct pf_stream *
stream_of(const struct pf_flow *fl)
{
	return fl->up;
}

/* addr_str - "ip:port" text of an endpoint (new string). */
static char *
addr_str(const struct pf_addr *a, uint16_t port)
{
	char ip[INET6_ADDRSTRLEN];

	if (inet_ntop(a->af, a->b, ip, sizeof(ip)) == NULL)
		snprintf(ip, sizeof(ip), "?");
	if (a->af == AF_INET6)
		return xasprintf("[%s]:%u", ip, port);
	return xasprintf("%s:%u", ip, port);
}

/* parse_addr - text address into a pf_addr; 0 or -1. */
static int
parse_addr(const char *s, struct pf_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (s == NULL)
		return -1;
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	return -1;
}

/* known_find - the known entry for address a in list k, or NULL. */
static const struct pf_known *
known_find(const struct pf_known *k, size_t n, const struct pf_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pf_addr_eq(&k[i].addr, a))
			return &k[i];
	return NULL;
}

/* scn_index_of - index of scenario s in the suite, or (size_t)-1. */
static size_t
scn_index_of(const struct pf *pf, const struct scn *s)
{
	size_t i;

	if (s == NULL)
		return (size_t)-1;
	for (i = 0; i < pf->f->n; i++)
		if (pf->f->scns[i].scn == s)
			return i;
	return (size_t)-1;
}

/*
 * scn_by_name - the scenario a DNS name belongs to: the longest id whose
 * domain "<id>.test." is the name or a suffix of it, else the longest id
 * the name contains (zones like "hosting-<id>.test."). (size_t)-1: none.
 */
static size_t
scn_by_name(const struct pf *pf, const char *qname)
{
	size_t i, best = (size_t)-1, bestlen = 0, qlen, dlen, ilen;
	int suffix = 0;
	long lit;

	qlen = strlen(qname);
	for (i = 0; i < pf->f->n; i++) {
		if (pf->domains[i] == NULL)
			continue;
		dlen = strlen(pf->domains[i]);
		if (qlen >= dlen &&
		    strcmp(qname + qlen - dlen, pf->domains[i]) == 0 &&
		    (qlen == dlen || qname[qlen - dlen - 1] == '.')) {
			if (!suffix || dlen > bestlen) {
				best = i;
				bestlen = dlen;
				suffix = 1;
			}
		}
	}
	if (suffix)
		return best;
	/* A name made of an MX host's address (DANE applied to an address
	 * literal, facts_literal_scn). */
	if ((lit = facts_literal_scn(pf->w, qname)) >= 0)
		return (size_t)lit;
	for (i = 0; i < pf->f->n; i++) {
		if (pf->ids[i] == NULL)
			continue;
		ilen = strlen(pf->ids[i]);
		if (ilen > bestlen && strstr(qname, pf->ids[i]) != NULL) {
			best = i;
			bestlen = ilen;
		}
	}
	return best;
}

/* ---------------------------------------------------------------- */
/* Facts helpers                                                    */

/* conn_of - the facts_conn of an SMTP stream, or NULL. */
static struct facts_conn *
conn_of(const struct pf_stream *st)
{
	if (!st->has_conn)
		return NULL;
	return &st->pf->f->scns[st->si].conns[st->ci];
}

/* conn_new - a new facts_conn in scenario si; returns its index. */
static size_t
conn_new(struct pf *pf, size_t si, const char *label, struct pf_flow *fl)
{
	struct facts_scn *fs = &pf->f->scns[si];
	struct facts_conn *c;

	if (fs->nconns == pf->ccap[si]) {
		pf->ccap[si] = pf->ccap[si] ? 2 * pf->ccap[si] : 4;
		fs->conns = xreallocarray(fs->conns, pf->ccap[si], sizeof(*c));
	}
	c = &fs->conns[fs->nconns];
	memset(c, 0, sizeof(*c));
	c->host = xstrdup(label);
	c->client = addr_str(&fl->a, fl->pa);
	c->t_start = pf->t;
	return fs->nconns++;
}

/* query_new - a new facts_query in scenario si; returns its index. */
static size_t
query_new(struct pf *pf, size_t si, const char *qname, const char *qtype,
    int do_bit, int cd, int to_sut)
{
	struct facts_scn *fs = &pf->f->scns[si];
	struct facts_query *q;

	if (fs->nqueries == pf->qcap[si]) {
		pf->qcap[si] = pf->qcap[si] ? 2 * pf->qcap[si] : 8;
		fs->queries =
		    xreallocarray(fs->queries, pf->qcap[si], sizeof(*q));
	}
	q = &fs->queries[fs->nqueries];
	memset(q, 0, sizeof(*q));
	q->t = pf->t;
	q->qname = xstrdup(qname);
	q->qtype = xstrdup(qtype);
	q->do_bit = do_bit;
	q->cd = cd;
	q->ad = -1;
	q->to_sut = to_sut;
	return fs->nqueries++;
}

/* ---------------------------------------------------------------- */
/* DNS                                                              */

/* dns_hash - bucket of a pending query. */
static size_t
dns_hash(uint16_t id, uint16_t cport)
{
	return (size_t)id * 31u + cport;
}

/* dns_grow - double the pending-query table. */
static void
dns_grow(struct pf *pf)
{
	struct pf_pdns **nb, *pd, *next;
	size_t i, n = pf->ndbuckets * 2, h;

	if (pf->ndbuckets >= PF_BUCKETS_MAX)
		return;
	nb = xcalloc(n, sizeof(*nb));
	for (i = 0; i < pf->ndbuckets; i++) {
		for (pd = pf->dbuckets[i]; pd != NULL; pd = next) {
			next = pd->next;
			h = dns_hash(pd->id, pd->cport) % n;
			pd->next = nb[h];
			nb[h] = pd;
		}
	}
	free(pf->dbuckets);
	pf->dbuckets = nb;
	pf->ndbuckets = n;
}

/*
 * dns_message - one DNS message from src to dst (either direction; the
 * QR bit decides). Queries to port 53 are recorded; answers complete the
 * matching query, or are recorded on their own when it was not captured.
 */
static void
dns_message(struct pf *pf, const struct pf_addr *src, uint16_t sport,
    const struct pf_addr *dst, uint16_t dport, int tcp, const uint8_t *data,
    size_t len)
{
	ldns_pkt *pkt = NULL;
	ldns_rr *q;
	char *qname = NULL, *qtype = NULL, *rcode = NULL;
	const struct pf_known *z;
	struct pf_pdns *pd, **pp;
	struct facts_query *fq;
	size_t si, qi, i;
	int to_sut, qr;

	if (ldns_wire2pkt(&pkt, data, len) != LDNS_STATUS_OK) {
		pf->st.dns_bad++;
		return;
	}
	pf->st.dns_msgs++;
	if (ldns_pkt_qdcount(pkt) < 1 || ldns_pkt_question(pkt) == NULL ||
	    ldns_rr_list_rr_count(ldns_pkt_question(pkt)) < 1)
		goto out;
	q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	qname = ldns_rdf2str(ldns_rr_owner(q));
	qtype = ldns_rr_type2str(ldns_rr_get_type(q));
	if (qname == NULL || qtype == NULL)
		goto out;
	for (i = 0; qname[i] != '\0'; i++)
		qname[i] = (char)tolower((unsigned char)qname[i]);
	qr = ldns_pkt_qr(pkt);

	if (!qr) {
		if (dport != 53)
			goto out;
		/* To a fake name server: the resolver asking; else the SUT
		 * asking its resolver. */
		z = known_find(pf->zones, pf->nzones, dst);
		to_sut = z == NULL;
		si = z != NULL && z->si != (size_t)-1 ? z->si
		                                      : scn_by_name(pf, qname);
		if (si == (size_t)-1) {
			pf->st.stray++;
			goto out;
		}
		qi = query_new(pf, si, qname, qtype, ldns_pkt_edns_do(pkt),
		    ldns_pkt_cd(pkt) ? 1 : 0, to_sut);
		if (pf->npdns >= PF_MAX_PENDING_DNS)
			goto out;
		pd = xcalloc(1, sizeof(*pd));
		pd->id = ldns_pkt_id(pkt);
		pd->cport = sport;
		pd->client = *src;
		pd->server = *dst;
		pd->tcp = tcp;
		pd->si = si;
		pd->qi = qi;
		if (pf->npdns >= 2 * pf->ndbuckets)
			dns_grow(pf);
		i = dns_hash(pd->id, pd->cport) % pf->ndbuckets;
		pd->next = pf->dbuckets[i];
		pf->dbuckets[i] = pd;
		pf->npdns++;
		goto out;
	}

	if (sport != 53)
		goto out;
	rcode = ldns_pkt_rcode2str(ldns_pkt_get_rcode(pkt));
	for (pp = &pf->dbuckets[dns_hash(ldns_pkt_id(pkt), dport) %
	                        pf->ndbuckets];
	     *pp != NULL; pp = &(*pp)->next) {
		pd = *pp;
		if (pd->id != ldns_pkt_id(pkt) || pd->cport != dport ||
		    pd->tcp != tcp || !pf_addr_eq(&pd->client, dst) ||
		    !pf_addr_eq(&pd->server, src))
			continue;
		fq = &pf->f->scns[pd->si].queries[pd->qi];
		if (strcmp(fq->qname, qname) != 0 ||
		    strcmp(fq->qtype, qtype) != 0)
			continue;
		*pp = pd->next;
		free(pd);
		pf->npdns--;
		free(fq->rcode);
		fq->rcode = rcode != NULL ? xstrdup(rcode) : NULL;
		fq->ad = ldns_pkt_ad(pkt) ? 1 : 0;
		goto out;
	}
	/* An answer whose query was not captured. */
	z = known_find(pf->zones, pf->nzones, src);
	to_sut = z == NULL;
	si = z != NULL && z->si != (size_t)-1 ? z->si : scn_by_name(pf, qname);
	if (si == (size_t)-1) {
		pf->st.stray++;
		goto out;
	}
	/* The answer copies the query's CD bit (RFC 4035 §3.2.2). */
	qi = query_new(
	    pf, si, qname, qtype, 0, ldns_pkt_cd(pkt) ? 1 : 0, to_sut);
	fq = &pf->f->scns[si].queries[qi];
	fq->rcode = rcode != NULL ? xstrdup(rcode) : NULL;
	fq->ad = ldns_pkt_ad(pkt) ? 1 : 0;
out:
	free(qname);
	free(qtype);
	free(rcode);
	ldns_pkt_free(pkt);
}

/* dns_tcp_feed - DNS over TCP: split the stream into messages. */
static void
dns_tcp_feed(struct pf *pf, struct pf_flow *fl, int d)
{
	struct buf *b = &stream_of(fl)->dns[d];
	const uint8_t *p;
	size_t pos = 0, mlen;

	while (b->len - pos >= 2) {
		p = (const uint8_t *)b->data + pos;
		mlen = get16(p);
		if (b->len - pos - 2 < mlen)
			break;
		if (d == 0)
			dns_message(
			    pf, &fl->a, fl->pa, &fl->b, fl->pb, 1, p + 2, mlen);
		else
			dns_message(
			    pf, &fl->b, fl->pb, &fl->a, fl->pa, 1, p + 2, mlen);
		pos += 2 + mlen;
	}
	if (pos > 0)
		buf_consume(b, pos);
}

/* ---------------------------------------------------------------- */
/* SMTP                                                             */

/* queue_push - remember a command that awaits a reply. */
static void
queue_push(struct pf_smtp *sm, int what)
{
	if (sm->qlen == PF_QUEUE) {
		/* A client that pipelines this much: forget the oldest. */
		sm->qhead = (sm->qhead + 1) % PF_QUEUE;
		sm->qlen--;
	}
	sm->queue[(sm->qhead + sm->qlen) % PF_QUEUE] = what;
	sm->qlen++;
}

/* queue_pop - the oldest command awaiting a reply, or -1. */
static int
queue_pop(struct pf_smtp *sm)
{
	int what;

	if (sm->qlen == 0)
		return -1;
	what = sm->queue[sm->qhead];
	sm->qhead = (sm->qhead + 1) % PF_QUEUE;
	sm->qlen--;
	return what;
}

/* client_command - one command line in clear. */
static void
client_command(
    struct pf_smtp *sm, struct facts_conn *c, const char *line, size_t len)
{
	struct smtp_cmd cmd;
	unsigned long long size;
	const char *a;
	char *end;

	smtp_parse_command(line, len, &cmd);
	switch (cmd.verb) {
	case SMTP_CMD_STARTTLS:
		c->starttls_sent = 1;
		break;
	case SMTP_CMD_MAIL:
		c->mail_plain = 1;
		if (c->mail_from == NULL && cmd.addr != NULL)
			c->mail_from = xstrndup(cmd.addr, cmd.addrlen);
		break;
	case SMTP_CMD_RCPT:
		c->rcpt_plain = 1;
		break;
	case SMTP_CMD_DATA:
		c->data_plain = 1;
		sm->cl = PF_CL_WAIT_354;
		break;
	case SMTP_CMD_BDAT:
		c->data_plain = 1;
		a = cmd.arg;
		if (a == NULL || !isdigit((unsigned char)*a)) {
			sm->cl = PF_CL_DEAD;
			break;
		}
		size = strtoull(a, &end, 10);
		sm->bdat_left = size;
		sm->cl = size > 0 ? PF_CL_BDAT : PF_CL_CMD;
		while (*end == ' ')
			end++;
		if (strncasecmp(end, "LAST", 4) == 0) {
			queue_push(sm, PF_Q_BDAT_LAST);
			return;
		}
		break;
	default:
		break;
	}
	queue_push(sm, (int)cmd.verb);
}

/* smtp_client_feed - parse what the client sent so far. */
static void
smtp_client_feed(struct pf_stream *st)
{
	struct pf_smtp *sm = st->smtp;
	struct facts_conn *c = conn_of(st);
	struct buf *b = &sm->in[0];
	const char *p;
	size_t pos = 0, consumed, take;
	long ll;
	int dead = 0;

	while (pos < b->len) {
		p = b->data + pos;
		switch (sm->cl) {
		case PF_CL_CMD:
			ll = smtp_line_end(p, b->len - pos, &consumed);
			if (ll < 0) {
				if (b->len - pos > PF_MAX_LINE_BUF)
					sm->cl = PF_CL_DEAD;
				goto done;
			}
			client_command(sm, c, p, (size_t)ll);
			pos += consumed;
			break;
		case PF_CL_WAIT_354:
			goto done;
		case PF_CL_BODY:
			ll = smtp_line_end(p, b->len - pos, &consumed);
			if (ll < 0) {
				/* A partial line: only a "." line matters, so
				 * any other fragment can be dropped now. */
				take = b->len - pos;
				if (sm->body_midline ||
				    !((take == 1 && p[0] == '.') ||
				        (take == 2 && p[0] == '.' &&
				            p[1] == '\r'))) {
					sm->body_midline = 1;
					pos = b->len;
				}
				goto done;
			}
			if (!sm->body_midline && ll == 1 && p[0] == '.') {
				queue_push(sm, PF_Q_DOT);
				sm->cl = PF_CL_CMD;
			}
			sm->body_midline = 0;
			pos += consumed;
			break;
		case PF_CL_BDAT:
			take = b->len - pos;
			if (take > sm->bdat_left)
				take = (size_t)sm->bdat_left;
			sm->bdat_left -= take;
			pos += take;
			if (sm->bdat_left == 0)
				sm->cl = PF_CL_CMD;
			break;
		case PF_CL_TLS:
			pos += pf_tls_feed(&sm->tls, 0, (const uint8_t *)p,
			    b->len - pos, &dead);
			if (dead)
				sm->cl = PF_CL_DEAD;
			goto done;
		case PF_CL_DEAD:
			pos = b->len;
			goto done;
		}
	}
done:
	if (pos > 0)
		buf_consume(b, pos);
}

/* server_reply - a complete reply (its last line's code). */
static void
server_reply(struct pf_stream *st, int code)
{
	struct pf_smtp *sm = st->smtp;
	struct facts_conn *c = conn_of(st);
	int what = queue_pop(sm);

	if (what == SMTP_CMD_STARTTLS) {
		c->starttls_code = code;
		if (code == 220) {
			/* RFC 3207 §4: TLS starts right after the 220. Any
			 * client bytes still buffered came before it. */
			buf_reset(&sm->in[0]);
			sm->qlen = 0;
			if (sm->cl != PF_CL_DEAD)
				sm->cl = PF_CL_TLS;
			sm->sv = PF_SV_TLS;
		}
	} else if (what == SMTP_CMD_DATA) {
		if (sm->cl == PF_CL_WAIT_354)
			sm->cl = code == 354 ? PF_CL_BODY : PF_CL_CMD;
		smtp_client_feed(st);
	} else if (what == PF_Q_DOT || what == PF_Q_BDAT_LAST) {
		if (code >= 200 && code < 300)
			c->msg_plain = 1;
	}
}

/* smtp_server_feed - parse what the server sent so far. */
static void
smtp_server_feed(struct pf_stream *st)
{
	struct pf_smtp *sm = st->smtp;
	struct buf *b = &sm->in[1];
	const char *p, *text;
	size_t pos = 0, consumed;
	long ll;
	int code, last, dead = 0;

	while (pos < b->len) {
		p = b->data + pos;
		if (sm->sv == PF_SV_DEAD) {
			pos = b->len;
			break;
		}
		if (sm->sv == PF_SV_TLS) {
			pos += pf_tls_feed(&sm->tls, 1, (const uint8_t *)p,
			    b->len - pos, &dead);
			if (dead)
				sm->sv = PF_SV_DEAD;
			break;
		}
		ll = smtp_line_end(p, b->len - pos, &consumed);
		if (ll < 0) {
			if (b->len - pos > PF_MAX_LINE_BUF)
				sm->sv = PF_SV_DEAD;
			break;
		}
		pos += consumed;
		if (smtp_parse_reply(p, (size_t)ll, &code, &last, &text) < 0)
			continue;
		if (last) {
			/* The reply may switch this stream to TLS: consume
			 * first so the rest is read in the new state. */
			buf_consume(b, pos);
			pos = 0;
			server_reply(st, code);
		}
	}
	if (pos > 0)
		buf_consume(b, pos);
}

/* ---------------------------------------------------------------- */
/* What the TLS layer reports (struct pf_tls_ops; ctx is the stream)  */

/* tls_hello - the first ClientHello: SNI (printable bytes only),
   offered versions and suites. */
static void
tls_hello(void *ctx, const struct pf_tls_hello *h)
{
	struct facts_conn *c = conn_of(ctx);
	size_t i;

	c->client_hello = 1;
	if (h->sni != NULL && c->sni == NULL) {
		c->sni = xmalloc(h->sni_len + 1);
		for (i = 0; i < h->sni_len; i++)
			c->sni[i] = h->sni[i] >= 0x21 && h->sni[i] < 0x7f
			                ? (char)h->sni[i]
			                : '?';
		c->sni[h->sni_len] = '\0';
	}
	c->sni_names = h->sni_names;
	memcpy(c->tls_offered, h->offered, sizeof(c->tls_offered));
	memcpy(c->tls_suites, h->suites, sizeof(c->tls_suites));
}

/* tls_version - the version a ServerHello selected (the last one wins). */
static void
tls_version(void *ctx, const char *version)
{
	struct facts_conn *c = conn_of(ctx);

	free(c->tls_version);
	c->tls_version = xstrdup(version);
}

/* tls_alert - the first alert in clear. */
static void
tls_alert(void *ctx, const char *text)
{
	struct facts_conn *c = conn_of(ctx);

	if (c->tls_alert == NULL)
		c->tls_alert = xstrdup(text);
}

/* tls_established - the handshake completed. */
static void
tls_established(void *ctx)
{
	conn_of(ctx)->tls_ok = 1;
}

/* tls_clear - a clear line where TLS should be: a client command sent
   in clear counts as one (RFC 3207 §4: after 220 the client must start
   TLS). */
static void
tls_clear(void *ctx, int d, const char *line, size_t len)
{
	struct facts_conn *c = conn_of(ctx);
	struct smtp_cmd cmd;

	if (d != 0 || smtp_parse_command(line, len, &cmd) != 0)
		return;
	if (cmd.verb == SMTP_CMD_MAIL) {
		c->mail_plain = 1;
		if (c->mail_from == NULL && cmd.addr != NULL)
			c->mail_from = xstrndup(cmd.addr, cmd.addrlen);
	} else if (cmd.verb == SMTP_CMD_RCPT)
		c->rcpt_plain = 1;
	else if (cmd.verb == SMTP_CMD_DATA || cmd.verb == SMTP_CMD_BDAT)
		c->data_plain = 1;
}

/* tls_first - the format of the client's first record after STARTTLS. */
static void
tls_first(void *ctx, enum pf_tls_first fmt)
{
	static const enum facts_hello_fmt to_facts[] = {
	    [PF_TLS_FIRST_NONE] = FACTS_HELLO_NONE,
	    [PF_TLS_FIRST_TLS] = FACTS_HELLO_TLS,
	    [PF_TLS_FIRST_SSLV2] = FACTS_HELLO_SSLV2,
	    [PF_TLS_FIRST_OTHER] = FACTS_HELLO_OTHER,
	};

	conn_of(ctx)->hello_fmt = to_facts[fmt];
}

static const struct pf_tls_ops tls_ops = {
    tls_hello, tls_version, tls_alert, tls_established, tls_clear, tls_first};

_Static_assert(
    sizeof(((struct facts_conn *)0)->tls_offered) == PF_TLS_OFFERED_MAX,
    "pf_tls_hello.offered fits facts_conn.tls_offered");
_Static_assert(
    sizeof(((struct facts_conn *)0)->tls_suites) == PF_TLS_SUITES_MAX,
    "pf_tls_hello.suites fits facts_conn.tls_suites");

/* ---------------------------------------------------------------- */
/* What the TCP layer reports (struct pf_tcp_ops; ctx is the pf)      */

/* tcp_want - follow DNS over TCP and connections to an MX of a
   scenario; an MX of no scenario is stray. */
static int
tcp_want(void *ctx, const struct pf_addr *srv, uint16_t sport)
{
	struct pf *pf = ctx;
	const struct pf_known *mx;

	if (sport == 53)
		return 1;
	mx = known_find(pf->mx, pf->nmx, srv);
	if (mx == NULL)
		return 0;
	if (mx->si == (size_t)-1) {
		pf->st.stray++;
		return 0;
	}
	return 1;
}

/* tcp_is_server - a DNS server's port or an MX address. */
static int
tcp_is_server(void *ctx, const struct pf_addr *a, uint16_t port)
{
	struct pf *pf = ctx;

	return port == 53 || known_find(pf->mx, pf->nmx, a) != NULL;
}

/* tcp_open - a followed flow: DNS, or SMTP with its facts_conn. */
static void
tcp_open(void *ctx, struct pf_flow *fl)
{
	struct pf *pf = ctx;
	struct pf_stream *st = xcalloc(1, sizeof(*st));
	const struct pf_known *mx = NULL;

	st->pf = pf;
	st->fl = fl;
	buf_init(&st->dns[0]);
	buf_init(&st->dns[1]);
	fl->up = st;
	if (fl->pb != 53)
		mx = known_find(pf->mx, pf->nmx, &fl->b);
	if (mx == NULL) {
		st->kind = PF_FLOW_DNS;
		return;
	}
	st->kind = PF_FLOW_SMTP;
	st->smtp = xcalloc(1, sizeof(*st->smtp));
	buf_init(&st->smtp->in[0]);
	buf_init(&st->smtp->in[1]);
	pf_tls_init(&st->smtp->tls, &tls_ops, st);
	queue_push(st->smtp, PF_Q_BANNER);
	st->si = mx->si;
	st->ci = conn_new(pf, mx->si, mx->label, fl);
	st->has_conn = 1;
}

/* tcp_data - contiguous bytes of direction d to the flow's parser. */
static void
tcp_data(void *ctx, struct pf_flow *fl, int d, const uint8_t *p, size_t n)
{
	struct pf_stream *st = stream_of(fl);

	if (st->kind == PF_FLOW_DNS) {
		if (st->dns_dead[d])
			return;
		buf_append(&st->dns[d], p, n);
		dns_tcp_feed(ctx, fl, d);
		if (st->dns[d].len > 70000)
			st->dns_dead[d] = 1;
		return;
	}
	if (st->smtp == NULL)
		return;
	buf_append(&st->smtp->in[d], p, n);
	if (d == 0)
		smtp_client_feed(st);
	else
		smtp_server_feed(st);
}

/* tcp_gap - bytes of direction d are missing: stop parsing it. */
static void
tcp_gap(void *ctx, struct pf_flow *fl, int d)
{
	struct pf_stream *st = stream_of(fl);
	struct facts_conn *c = conn_of(st);

	(void)ctx;
	if (c != NULL)
		c->gap = 1;
	if (st->kind == PF_FLOW_DNS)
		st->dns_dead[d] = 1;
	else if (st->smtp != NULL) {
		if (d == 0)
			st->smtp->cl = PF_CL_DEAD;
		else
			st->smtp->sv = PF_SV_DEAD;
	}
}

/* tcp_end - a FIN or RST: the connection's end time. */
static void
tcp_end(void *ctx, struct pf_flow *fl)
{
	struct pf *pf = ctx;
	struct facts_conn *c = conn_of(stream_of(fl));

	if (c != NULL)
		c->t_end = pf->t;
}

/* tcp_release - free what this file kept of a flow. */
static void
tcp_release(void *ctx, struct pf_flow *fl)
{
	struct pf_stream *st = stream_of(fl);
	int d;

	(void)ctx;
	for (d = 0; d < 2; d++)
		buf_free(&st->dns[d]);
	if (st->smtp != NULL) {
		for (d = 0; d < 2; d++)
			buf_free(&st->smtp->in[d]);
		pf_tls_free(&st->smtp->tls);
		free(st->smtp);
	}
	free(st);
}

static const struct pf_tcp_ops tcp_ops = {
    tcp_want, tcp_is_server, tcp_open, tcp_data, tcp_gap, tcp_end, tcp_release};

/* ---------------------------------------------------------------- */
/* UDP (TCP is pf_tcp.c, TLS pf_tls.c)                             */

/* udp_packet - one UDP datagram: DNS when a port is 53. */
static void
udp_packet(struct pf *pf, struct pf_pkt *k)
{
	size_t ulen;

	if (k->len < 8) {
		pf->st.skipped++;
		return;
	}
	k->sport = get16(k->l4);
	k->dport = get16(k->l4 + 2);
	if (k->sport != 53 && k->dport != 53)
		return;
	if (k->missing > 0) {
		pf->st.skipped++;
		return;
	}
	ulen = get16(k->l4 + 4);
	if (ulen < 8 || ulen > k->len)
		ulen = k->len;
	dns_message(
	    pf, &k->src, k->sport, &k->dst, k->dport, 0, k->l4 + 8, ulen - 8);
}

/* ---------------------------------------------------------------- */
/* IP and link layers                                               */

/* ip_packet - an IPv4 or IPv6 packet of caplen bytes (wirelen on the wire). */
static void
ip_packet(struct pf *pf, const uint8_t *p, size_t caplen, size_t wirelen)
{
	struct pf_pkt k;
	size_t hl, total, off;
	unsigned proto, fo;

	memset(&k, 0, sizeof(k));
	if (caplen < 1) {
		pf->st.skipped++;
		return;
	}
	if ((p[0] >> 4) == 4) {
		if (caplen < 20) {
			pf->st.skipped++;
			return;
		}
		hl = (size_t)(p[0] & 0x0f) * 4;
		total = get16(p + 2);
		if (hl < 20 || total < hl || hl > caplen) {
			pf->st.skipped++;
			return;
		}
		fo = get16(p + 6);
		if ((fo & 0x1fff) != 0 || (fo & 0x2000) != 0) {
			pf->st.fragments++;
			return;
		}
		proto = p[9];
		k.src.af = k.dst.af = AF_INET;
		memcpy(k.src.b, p + 12, 4);
		memcpy(k.dst.b, p + 16, 4);
		off = hl;
	} else if ((p[0] >> 4) == 6) {
		if (caplen < 40) {
			pf->st.skipped++;
			return;
		}
		total = 40 + (size_t)get16(p + 4);
		proto = p[6];
		k.src.af = k.dst.af = AF_INET6;
		memcpy(k.src.b, p + 8, 16);
		memcpy(k.dst.b, p + 24, 16);
		off = 40;
		/* RFC 8200 §4: walk the extension headers. */
		for (;;) {
			if (proto == 0 || proto == 43 || proto == 60) {
				if (off + 8 > caplen)
					goto short_pkt;
				hl = ((size_t)p[off + 1] + 1) * 8;
				proto = p[off];
				off += hl;
			} else if (proto == 51) {
				if (off + 8 > caplen)
					goto short_pkt;
				hl = ((size_t)p[off + 1] + 2) * 4;
				proto = p[off];
				off += hl;
			} else if (proto == 44) {
				if (off + 8 > caplen)
					goto short_pkt;
				fo = get16(p + off + 2);
				if ((fo & 0xfff8) != 0 || (fo & 1) != 0) {
					pf->st.fragments++;
					return;
				}
				proto = p[off];
				off += 8;
			} else {
				break;
			}
			if (off > caplen)
				goto short_pkt;
		}
	} else {
		pf->st.skipped++;
		return;
	}
	if (proto != 6 && proto != 17)
		return;
	/* Bytes the packet had: the IP length (the link may pad), bounded by
	 * what was on the wire; bytes we have: bounded by the capture. */
	if (total > wirelen)
		total = wirelen;
	if (total < off) {
		pf->st.skipped++;
		return;
	}
	k.l4 = p + off;
	if (caplen >= total) {
		k.len = total - off;
	} else {
		k.len = caplen > off ? caplen - off : 0;
		k.missing = total - off - k.len;
	}
	if (proto == 6) {
		/* The TCP header itself must be complete. */
		if (k.len < 20 || (size_t)(k.l4[12] >> 4) * 4 > k.len) {
			pf->st.skipped++;
			return;
		}
		pf_tcp_packet(&pf->tcp, &k);
	} else {
		udp_packet(pf, &k);
	}
	return;
short_pkt:
	pf->st.skipped++;
}

/* link_packet - strip the link header of one captured frame. */
static void
link_packet(
    struct pf *pf, int dlt, const uint8_t *p, size_t caplen, size_t wirelen)
{
	size_t off = 0;
	unsigned et = 0, af;
	int tags;

	switch (dlt) {
	case DLT_EN10MB:
		if (caplen < 14)
			goto skip;
		et = get16(p + 12);
		off = 14;
		for (tags = 0; tags < 2 && (et == 0x8100 || et == 0x88a8);
		     tags++) {
			if (caplen < off + 4)
				goto skip;
			et = get16(p + off + 2);
			off += 4;
		}
		if (et != 0x0800 && et != 0x86dd)
			goto skip;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		if (caplen < 4)
			goto skip;
		/* DLT_NULL is in the capturing host's byte order. */
		af = dlt == DLT_LOOP
		         ? get32(p)
		         : ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		               (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		if (dlt == DLT_NULL && af > 0xffff)
			af = get32(p);
		if (af != 2 && af != 10 && af != 24 && af != 28 && af != 30)
			goto skip;
		off = 4;
		break;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			goto skip;
		et = get16(p + 14);
		off = 16;
		if (et != 0x0800 && et != 0x86dd)
			goto skip;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			goto skip;
		et = get16(p);
		off = 20;
		if (et != 0x0800 && et != 0x86dd)
			goto skip;
		break;
#endif
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		off = 0;
		break;
	default:
		goto skip;
	}
	if (wirelen < off)
		goto skip;
	ip_packet(pf, p + off, caplen - off, wirelen - off);
	return;
skip:
	pf->st.skipped++;
}

/* supported_dlt - link types the analyser reads. */
static int
supported_dlt(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_RAW:
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
#endif
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		return 1;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- */
/* Set-up, sorting, results                                         */

/* pf_init - index the world's addresses and names. */
static void
pf_init(struct pf *pf, const struct world *w, struct facts *f)
{
	const struct scn *s;
	size_t i, j;

	memset(pf, 0, sizeof(*pf));
	pf->w = w;
	pf->f = f;
	pf_tcp_init(&pf->tcp, &tcp_ops, pf);
	pf->ndbuckets = PF_BUCKETS_MIN;
	pf->dbuckets = xcalloc(pf->ndbuckets, sizeof(*pf->dbuckets));
	pf->domains = xcalloc(f->n + 1, sizeof(char *));
	pf->ids = xcalloc(f->n + 1, sizeof(char *));
	pf->ccap = xcalloc(f->n + 1, sizeof(size_t));
	pf->qcap = xcalloc(f->n + 1, sizeof(size_t));
	for (i = 0; i < f->n; i++) {
		s = f->scns[i].scn;
		if (s == NULL || s->id == NULL || s->id[0] == '\0')
			continue;
		pf->ids[i] = xstrdup(s->id);
		for (j = 0; pf->ids[i][j] != '\0'; j++)
			pf->ids[i][j] =
			    (char)tolower((unsigned char)pf->ids[i][j]);
		pf->domains[i] = xasprintf("%s.test.", pf->ids[i]);
	}
	if (w == NULL)
		return;
	/* Each host's IPv4 address, and its IPv6 address when it has one;
	 * the MTA-STS policy host speaks HTTPS, no SMTP: not followed. */
	pf->mx = xcalloc(2 * w->nmxs + 1, sizeof(*pf->mx));
	for (i = 0; i < 2 * w->nmxs; i++) {
		const struct world_mx *m = &w->mxs[i / 2];

		if (m->mx != NULL && m->mx->https)
			continue;
		if (parse_addr(
		        i % 2 ? m->addr6 : m->addr, &pf->mx[pf->nmx].addr) < 0)
			continue;
		pf->mx[pf->nmx].si = scn_index_of(pf, m->scn);
		pf->mx[pf->nmx].label =
		    m->mx != NULL && m->mx->name != NULL ? m->mx->name : "?";
		pf->nmx++;
	}
	pf->zones = xcalloc(w->nzones + 1, sizeof(*pf->zones));
	for (i = 0; i < w->nzones; i++) {
		if (parse_addr(w->zones[i].addr, &pf->zones[pf->nzones].addr) <
		    0)
			continue;
		pf->zones[pf->nzones].si = scn_index_of(pf, w->zones[i].scn);
		pf->nzones++;
	}
}

/* pf_done - finish every flow and release the analyser's state. */
static void
pf_done(struct pf *pf)
{
	struct pf_pdns *pd, *pn;
	size_t i;

	pf_tcp_done(&pf->tcp);
	pf->st.skipped += pf->tcp.skipped;
	pf->st.gaps += pf->tcp.gaps;
	pf->st.tcp_flows += pf->tcp.nfollowed;
	for (i = 0; i < pf->ndbuckets; i++) {
		for (pd = pf->dbuckets[i]; pd != NULL; pd = pn) {
			pn = pd->next;
			free(pd);
		}
	}
	for (i = 0; i < pf->f->n; i++) {
		free(pf->domains[i]);
		free(pf->ids[i]);
	}
	free(pf->domains);
	free(pf->ids);
	free(pf->ccap);
	free(pf->qcap);
	free(pf->dbuckets);
	free(pf->mx);
	free(pf->zones);
}

/* msort - stable merge sort of n elements of size sz by time. */
static void
msort(void *base, size_t n, size_t sz, double (*key)(const void *))
{
	char *a = base, *tmp;
	size_t width, i, l, m, r, x, y, k;

	if (n < 2)
		return;
	tmp = xmalloc(n * sz);
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			l = i;
			m = i + width < n ? i + width : n;
			r = i + 2 * width < n ? i + 2 * width : n;
			x = l;
			y = m;
			k = l;
			while (x < m && y < r) {
				if (key(a + y * sz) < key(a + x * sz))
					memcpy(
					    tmp + k++ * sz, a + y++ * sz, sz);
				else
					memcpy(
					    tmp + k++ * sz, a + x++ * sz, sz);
			}
			while (x < m)
				memcpy(tmp + k++ * sz, a + x++ * sz, sz);
			while (y < r)
				memcpy(tmp + k++ * sz, a + y++ * sz, sz);
		}
		memcpy(a, tmp, n * sz);
	}
	free(tmp);
}

/* conn_key - sort key of a connection. */
static double
conn_key(const void *p)
{
	return ((const struct facts_conn *)p)->t_start;
}

/* query_key - sort key of a query. */
static double
query_key(const void *p)
{
	return ((const struct facts_query *)p)->t;
}

struct facts *
facts_from_pcap_handle(const struct world *w, pcap_t *p,
    struct pcapfacts_stats *stats, char *err, size_t errsz)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct facts *f;
	struct pf pf;
	struct buf note;
	size_t i;
	int dlt, rc;

	if (errsz > 0)
		err[0] = '\0';
	dlt = pcap_datalink(p);
	if (!supported_dlt(dlt)) {
		snprintf(err, errsz,
		    "capture: unsupported link type %d (%s); "
		    "supported: EN10MB, NULL, LOOP, LINUX_SLL, RAW",
		    dlt,
		    pcap_datalink_val_to_name(dlt) != NULL
		        ? pcap_datalink_val_to_name(dlt)
		        : "unknown");
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->src = FACTS_SRC_CAPTURE;
	f->complete = 1;
	if (w != NULL && w->suite != NULL && w->suite->n > 0) {
		f->n = w->suite->n;
		f->scns = xcalloc(f->n, sizeof(*f->scns));
		for (i = 0; i < f->n; i++)
			f->scns[i].scn = w->suite->items[i];
	}
	pf_init(&pf, w, f);
	buf_init(&note);
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		pf.st.packets++;
		pf.st.bytes += hdr->caplen;
		pf.t = (double)hdr->ts.tv_sec + (double)hdr->ts.tv_usec / 1e6;
		link_packet(&pf, dlt, data, hdr->caplen,
		    hdr->len > hdr->caplen ? hdr->len : hdr->caplen);
	}
	if (rc == -1) {
		f->complete = 0;
		buf_printf(&note,
		    "capture damaged or truncated after %lu "
		    "packets: %s",
		    pf.st.packets, pcap_geterr(p));
	}
	if (pf.tcp.flows_full) {
		f->complete = 0;
		buf_printf(&note,
		    "%stoo many TCP flows (over %d); later "
		    "ones ignored",
		    note.len > 0 ? "; " : "", PF_MAX_FLOWS);
	}
	pf_done(&pf);
	for (i = 0; i < f->n; i++) {
		msort(f->scns[i].conns, f->scns[i].nconns,
		    sizeof(struct facts_conn), conn_key);
		msort(f->scns[i].queries, f->scns[i].nqueries,
		    sizeof(struct facts_query), query_key);
	}
	f->nbad = pf.st.dns_bad;
	f->nstray = pf.st.stray;
	f->note = note.len > 0 ? buf_steal(&note) : NULL;
	buf_free(&note);
	if (stats != NULL)
		*stats = pf.st;
	return f;
}

struct facts *
facts_from_pcap(
    const struct world *w, const char *pcap_path, char *err, size_t errsz)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct facts *f;
	pcap_t *p;

	if (errsz > 0)
		err[0] = '\0';
	ebuf[0] = '\0';
	p = pcap_open_offline(pcap_path, ebuf);
	if (p == NULL) {
		snprintf(err, errsz, "capture: %s: %s", pcap_path, ebuf);
		return NULL;
	}
	f = facts_from_pcap_handle(w, p, NULL, err, errsz);
	pcap_close(p);
	return f;
}

/* fmt_str - a string or "-". */
static const char *
fmt_str(const char *s)
{
	return s != NULL ? s : "-";
}

void
pcapfacts_format(const struct facts *f, int with_times, struct buf *out)
{
	const struct facts_conn *c;
	const struct facts_query *q;
	size_t i, j;

	buf_printf(out, "complete %d\n", f->complete);
	if (f->note != NULL)
		buf_printf(out, "note %s\n", f->note);
	for (i = 0; i < f->n; i++) {
		buf_printf(out, "scenario %s\n",
		    f->scns[i].scn != NULL ? fmt_str(f->scns[i].scn->id) : "-");
		for (j = 0; j < f->scns[i].nconns; j++) {
			c = &f->scns[i].conns[j];
			buf_printf(out, "  conn %s", fmt_str(c->host));
			if (with_times)
				buf_printf(
				    out, " t=%.6f-%.6f", c->t_start, c->t_end);
			buf_printf(out,
			    " starttls=%d code=%d hello=%d sni=%s "
			    "tls_ok=%d version=%s alert=%s mail_plain=%d "
			    "rcpt_plain=%d data_plain=%d msg_plain=%d "
			    "from=%s gap=%d offered=%s suites=%s first=%s\n",
			    c->starttls_sent, c->starttls_code, c->client_hello,
			    fmt_str(c->sni), c->tls_ok, fmt_str(c->tls_version),
			    fmt_str(c->tls_alert), c->mail_plain, c->rcpt_plain,
			    c->data_plain, c->msg_plain, fmt_str(c->mail_from),
			    c->gap, c->tls_offered[0] ? c->tls_offered : "-",
			    c->tls_suites[0] ? c->tls_suites : "-",
			    facts_hello_fmt_str(c->hello_fmt));
		}
		for (j = 0; j < f->scns[i].nqueries; j++) {
			q = &f->scns[i].queries[j];
			buf_printf(out, "  query");
			if (with_times)
				buf_printf(out, " t=%.6f", q->t);
			buf_printf(out,
			    " %s %s rcode=%s do=%d cd=%d ad=%d to_sut=%d\n",
			    fmt_str(q->qname), fmt_str(q->qtype),
			    fmt_str(q->rcode), q->do_bit, q->cd, q->ad,
			    q->to_sut);
		}
	}
}
