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

#include "smtp.h"
#include "xmalloc.h"

/* Bounds that keep hostile captures from eating memory or time. */
#define PF_MAX_FLOWS 100000
#define PF_MAX_PENDING_SEGS 2048
#define PF_MAX_PENDING_BYTES (4u * 1024 * 1024)
#define PF_MAX_LINE_BUF (64 * 1024)
#define PF_MAX_HS_BUF (256 * 1024)
#define PF_MAX_TLS_RECORD (16384 + 2048)
#define PF_MAX_PENDING_DNS 65536
#define PF_BUCKETS_MIN 64
#define PF_BUCKETS_MAX (1u << 20)
#define PF_QUEUE 128

/* Pseudo-commands queued for replies besides the real verbs. */
#define PF_Q_BANNER (SMTP_CMD__COUNT + 1)
#define PF_Q_DOT (SMTP_CMD__COUNT + 2)
#define PF_Q_BDAT_LAST (SMTP_CMD__COUNT + 3)

/* An address: family and 16 bytes (IPv4 in the first four). */
struct pf_addr {
	int af;
	uint8_t b[16];
};

/* An out-of-order TCP segment waiting for the bytes before it. */
struct pf_seg {
	uint32_t seq;
	uint8_t *data;
	size_t len;
	struct pf_seg *next;
};

/* One direction of a TCP flow. */
struct pf_dir {
	int have_isn;           /* stream start known */
	uint32_t next;          /* next expected sequence number */
	struct pf_seg *pending; /* sorted by sequence number */
	size_t npending;
	size_t pending_bytes;
	int gap; /* bytes missing: no more parsing */
	int fin;
	int acked_seen; /* the peer acknowledged some of these bytes */
	uint32_t acked; /* highest acknowledgment number from the peer */
};

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

/* TLS record-layer state of one direction. */
struct pf_tls {
	struct buf hs;           /* handshake bytes in clear */
	int records;             /* TLS records seen */
	int ccs;                 /* ChangeCipherSpec seen */
	unsigned long enc;       /* encrypted records */
	unsigned long enc_after; /* server: encrypted after client's first */
	int hs_dead;             /* handshake stream unparseable */
};

/* SMTP + TLS state of a connection to an MX. */
struct pf_smtp {
	struct buf in[2]; /* unconsumed bytes per direction */
	enum pf_cstate cl;
	enum pf_sstate sv;
	int body_midline; /* body: inside a line longer than a chunk */
	unsigned long long bdat_left;
	int queue[PF_QUEUE]; /* commands waiting for replies */
	size_t qhead, qlen;
	struct pf_tls tls[2];
	int tls13;   /* ServerHello selected TLS 1.3 */
	int hrr;     /* HelloRetryRequest seen */
	int sh_seen; /* a real ServerHello seen */
};

struct pf_flow {
	struct pf_flow *hnext;
	struct pf_addr a, b; /* a = client (initiator), b = server */
	uint16_t pa, pb;
	enum pf_kind kind;
	struct pf_dir dir[2]; /* 0: a -> b, 1: b -> a */
	int closed;
	int syn_seen;
	uint32_t isn;
	/* SMTP */
	size_t si, ci; /* scenario index, connection index */
	int has_conn;
	struct pf_smtp *smtp;
	/* DNS over TCP */
	struct buf dns[2];
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
	struct pf_known *mx;
	size_t nmx;
	struct pf_known *zones;
	size_t nzones;
	char **domains; /* "<id>.test." per scenario, lower case */
	char **ids;
	size_t *ccap, *qcap; /* allocated conns / queries per scenario */
	size_t nflows;
	struct pf_flow **buckets; /* grows with the flows */
	size_t nbuckets;
	struct pf_pdns **dbuckets; /* grows with the pending queries */
	size_t ndbuckets;
	size_t npdns;
	double t; /* time of the packet being analysed */
	int flows_full;
};

/* Packet facts handed from the network layer to TCP/UDP. */
struct pf_pkt {
	struct pf_addr src, dst;
	uint16_t sport, dport;
	const uint8_t *l4; /* transport payload */
	size_t len;        /* captured payload bytes */
	size_t missing;    /* payload bytes not captured (snaplen) */
};

static void smtp_client_feed(struct pf *pf, struct pf_flow *fl);
static void smtp_server_feed(struct pf *pf, struct pf_flow *fl);

/* get16 - big-endian 16 bits. */
static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* get32 - big-endian 32 bits. */
static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* get24 - big-endian 24 bits. */
static uint32_t
get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* addr_eq - same family and bytes. */
static int
addr_eq(const struct pf_addr *x, const struct pf_addr *y)
{
	size_t n = x->af == AF_INET ? 4 : 16;

	return x->af == y->af && memcmp(x->b, y->b, n) == 0;
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
		if (addr_eq(&k[i].addr, a))
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

/* conn_of - the facts_conn of an SMTP flow, or NULL. */
static struct facts_conn *
conn_of(struct pf *pf, struct pf_flow *fl)
{
	if (!fl->has_conn)
		return NULL;
	return &pf->f->scns[fl->si].conns[fl->ci];
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
    int do_bit, int to_sut)
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
		qi = query_new(
		    pf, si, qname, qtype, ldns_pkt_edns_do(pkt), to_sut);
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
		    pd->tcp != tcp || !addr_eq(&pd->client, dst) ||
		    !addr_eq(&pd->server, src))
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
	qi = query_new(pf, si, qname, qtype, 0, to_sut);
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
	struct buf *b = &fl->dns[d];
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
/* TLS                                                              */

/* tls_version_str - OpenSSL-style name of a protocol version. */
static const char *
tls_version_str(unsigned v)
{
	switch (v) {
	case 0x0002:
		return "SSLv2";
	case 0x0300:
		return "SSLv3";
	case 0x0301:
		return "TLSv1";
	case 0x0302:
		return "TLSv1.1";
	case 0x0303:
		return "TLSv1.2";
	case 0x0304:
		return "TLSv1.3";
	default:
		return NULL;
	}
}

/* is_grease - RFC 8701 reserved values (0x?a?a). */
static int
is_grease(unsigned v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* alert_str - RFC 8446 §6 / RFC 5246 §7.2 alert description name. */
static const char *
alert_str(unsigned d)
{
	switch (d) {
	case 0:
		return "close_notify";
	case 10:
		return "unexpected_message";
	case 20:
		return "bad_record_mac";
	case 22:
		return "record_overflow";
	case 40:
		return "handshake_failure";
	case 42:
		return "bad_certificate";
	case 43:
		return "unsupported_certificate";
	case 44:
		return "certificate_revoked";
	case 45:
		return "certificate_expired";
	case 46:
		return "certificate_unknown";
	case 47:
		return "illegal_parameter";
	case 48:
		return "unknown_ca";
	case 49:
		return "access_denied";
	case 50:
		return "decode_error";
	case 51:
		return "decrypt_error";
	case 70:
		return "protocol_version";
	case 71:
		return "insufficient_security";
	case 80:
		return "internal_error";
	case 86:
		return "inappropriate_fallback";
	case 90:
		return "user_canceled";
	case 109:
		return "missing_extension";
	case 110:
		return "unsupported_extension";
	case 112:
		return "unrecognized_name";
	case 113:
		return "bad_certificate_status_response";
	case 115:
		return "unknown_psk_identity";
	case 116:
		return "certificate_required";
	case 120:
		return "no_application_protocol";
	default:
		return NULL;
	}
}

/* list_add - append ",item" (or "item") to a fixed-size list. */
static void
list_add(char *list, size_t size, const char *item)
{
	size_t n = strlen(list), m = strlen(item);

	if (n + m + 2 > size) {
		if (n + 4 <= size && (n < 3 || strcmp(list + n - 3, "...")))
			strcpy(list + n, n > 0 ? ",.." : "..");
		return;
	}
	if (n > 0)
		list[n++] = ',';
	memcpy(list + n, item, m + 1);
}

/* set_sni - store a server_name, printable bytes only. */
static void
set_sni(struct facts_conn *c, const uint8_t *p, size_t n)
{
	char *s;
	size_t i;

	if (c->sni != NULL)
		return;
	s = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		s[i] = p[i] >= 0x21 && p[i] < 0x7f ? (char)p[i] : '?';
	s[n] = '\0';
	c->sni = s;
}

/* parse_client_hello - SNI, versions and suites from a ClientHello body. */
static void
parse_client_hello(struct facts_conn *c, const uint8_t *p, size_t n)
{
	size_t pos, cs_len, ext_end, el, i, nl;
	unsigned et, v, legacy;
	char item[16];
	int first = c->client_hello == 0;

	c->client_hello = 1;
	if (!first || n < 35)
		return;
	legacy = get16(p);
	pos = 34;
	pos += 1 + p[pos]; /* session id */
	if (pos + 2 > n)
		return;
	cs_len = get16(p + pos);
	pos += 2;
	if (pos + cs_len > n)
		return;
	for (i = 0; i + 1 < cs_len; i += 2) {
		v = get16(p + pos + i);
		if (is_grease(v))
			continue;
		snprintf(item, sizeof(item), "%04x", v);
		list_add(c->tls_suites, sizeof(c->tls_suites), item);
	}
	pos += cs_len;
	if (pos + 1 > n)
		return;
	pos += 1 + p[pos]; /* compression methods */
	if (pos + 2 > n) {
		/* No extensions: the legacy version is the offer. */
		if (tls_version_str(legacy) != NULL)
			list_add(c->tls_offered, sizeof(c->tls_offered),
			    tls_version_str(legacy));
		return;
	}
	ext_end = pos + 2 + get16(p + pos);
	if (ext_end > n)
		ext_end = n;
	pos += 2;
	while (pos + 4 <= ext_end) {
		et = get16(p + pos);
		el = get16(p + pos + 2);
		pos += 4;
		if (pos + el > ext_end)
			break;
		if (et == 0 && el >= 5) {
			/* server_name_list: type 0 = host_name */
			size_t lpos = pos + 2, lend = pos + 2 + get16(p + pos);

			if (lend > pos + el)
				lend = pos + el;
			while (lpos + 3 <= lend) {
				nl = get16(p + lpos + 1);
				if (lpos + 3 + nl > lend)
					break;
				if (p[lpos] == 0) {
					set_sni(c, p + lpos + 3, nl);
					break;
				}
				lpos += 3 + nl;
			}
		} else if (et == 43 && el >= 1) {
			size_t vl = p[pos];

			for (i = 1; i + 1 <= vl && i + 1 < el; i += 2) {
				v = get16(p + pos + i);
				if (is_grease(v) || tls_version_str(v) == NULL)
					continue;
				list_add(c->tls_offered, sizeof(c->tls_offered),
				    tls_version_str(v));
			}
		}
		pos += el;
	}
	if (c->tls_offered[0] == '\0' && tls_version_str(legacy) != NULL)
		list_add(c->tls_offered, sizeof(c->tls_offered),
		    tls_version_str(legacy));
}

/* The special ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
static const uint8_t hrr_random[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61,
    0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
    0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33,
    0x9c};

/* parse_server_hello - negotiated version; TLS 1.3 and HRR flags. */
static void
parse_server_hello(
    struct pf_smtp *sm, struct facts_conn *c, const uint8_t *p, size_t n)
{
	size_t pos, ext_end, el;
	unsigned v, et;
	int is_hrr;

	if (n < 38)
		return;
	v = get16(p);
	is_hrr = memcmp(p + 2, hrr_random, 32) == 0;
	pos = 34;
	pos += 1 + p[pos];
	pos += 3; /* cipher suite, compression */
	if (pos + 2 <= n) {
		ext_end = pos + 2 + get16(p + pos);
		if (ext_end > n)
			ext_end = n;
		pos += 2;
		while (pos + 4 <= ext_end) {
			et = get16(p + pos);
			el = get16(p + pos + 2);
			pos += 4;
			if (pos + el > ext_end)
				break;
			if (et == 43 && el == 2)
				v = get16(p + pos);
			pos += el;
		}
	}
	if (is_hrr) {
		sm->hrr = 1;
		return;
	}
	sm->sh_seen = 1;
	sm->tls13 = v == 0x0304;
	free(c->tls_version);
	c->tls_version =
	    tls_version_str(v) != NULL ? xstrdup(tls_version_str(v)) : NULL;
	if (c->tls_version == NULL)
		c->tls_version = xasprintf("0x%04x", v);
}

/* tls_handshake - parse the clear handshake messages of direction d. */
static void
tls_handshake(struct pf_smtp *sm, struct facts_conn *c, int d)
{
	struct pf_tls *t = &sm->tls[d];
	const uint8_t *p;
	size_t pos = 0;
	uint32_t mlen;
	unsigned type;

	while (!t->hs_dead && t->hs.len - pos >= 4) {
		p = (const uint8_t *)t->hs.data + pos;
		type = p[0];
		mlen = get24(p + 1);
		if (mlen > PF_MAX_HS_BUF) {
			t->hs_dead = 1;
			break;
		}
		if (t->hs.len - pos - 4 < mlen)
			break;
		if (d == 0 && type == 1)
			parse_client_hello(c, p + 4, mlen);
		else if (d == 1 && type == 2)
			parse_server_hello(sm, c, p + 4, mlen);
		pos += 4 + mlen;
	}
	if (pos > 0)
		buf_consume(&t->hs, pos);
	if (t->hs.len > PF_MAX_HS_BUF)
		t->hs_dead = 1;
}

/* tls_update_ok - decide whether the handshake completed. */
static void
tls_update_ok(struct pf_smtp *sm, struct facts_conn *c)
{
	struct pf_tls *cl = &sm->tls[0], *sv = &sm->tls[1];

	if (!sm->sh_seen)
		return;
	if (sm->tls13) {
		/* Client Finished plus one more client record, or server
		 * records (tickets, replies) after the client's Finished. */
		if (cl->enc >= 2 || (cl->enc >= 1 && sv->enc_after >= 1))
			c->tls_ok = 1;
	} else {
		/* Both ChangeCipherSpec and a Finished after each. */
		if (cl->ccs && cl->enc >= 1 && sv->ccs && sv->enc >= 1)
			c->tls_ok = 1;
	}
}

/* tls_record - one complete record of direction d. */
static void
tls_record(struct pf_smtp *sm, struct facts_conn *c, int d, unsigned type,
    const uint8_t *body, size_t len)
{
	struct pf_tls *t = &sm->tls[d];
	/* TLS 1.2 encrypts after ChangeCipherSpec, which follows the
	 * ServerHello; in TLS 1.3 a CCS is only a compatibility no-op (it may
	 * even precede a second ClientHello after a HelloRetryRequest). */
	int encrypted = t->ccs && sm->sh_seen && !sm->tls13, counted = 0;
	const char *name;
	char buf[64];

	t->records++;
	switch (type) {
	case 20: /* change_cipher_spec */
		t->ccs = 1;
		break;
	case 21: /* alert */
		if (encrypted) {
			t->enc++;
			counted = 1;
			break;
		}
		if (len >= 2 && c->tls_alert == NULL) {
			name = alert_str(body[1]);
			if (name == NULL) {
				snprintf(buf, sizeof(buf), "alert%u", body[1]);
				name = buf;
			}
			c->tls_alert =
			    xasprintf("%s %s %s", d == 0 ? "client" : "server",
			        body[0] == 2 ? "fatal" : "warning", name);
		}
		break;
	case 22: /* handshake */
		if (encrypted) {
			t->enc++;
			counted = 1;
			break;
		}
		if (t->hs_dead)
			break;
		buf_append(&t->hs, body, len);
		tls_handshake(sm, c, d);
		break;
	case 23: /* application_data (and every TLS 1.3 encrypted record) */
		t->enc++;
		counted = 1;
		break;
	default:
		break;
	}
	if (d == 1 && counted && sm->tls[0].enc >= 1)
		t->enc_after++;
	tls_update_ok(sm, c);
}

/* looks_like_record - a plausible TLS record header at p (5 bytes). */
static int
looks_like_record(const uint8_t *p)
{
	return p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4 &&
	       get16(p + 3) <= PF_MAX_TLS_RECORD;
}

/*
 * tls_feed - parse TLS records of direction d from the buffered stream.
 * Before the first record, bytes that are not TLS are taken as clear SMTP
 * lines (a client talking in clear after "220", or injected replies).
 * Returns the bytes consumed.
 */
static size_t
tls_feed(struct pf *pf, struct pf_flow *fl, int d, const uint8_t *p, size_t n,
    int *dead)
{
	struct pf_smtp *sm = fl->smtp;
	struct facts_conn *c = conn_of(pf, fl);
	struct pf_tls *t = &sm->tls[d];
	struct smtp_cmd cmd;
	size_t pos = 0, consumed, rlen;
	long ll;

	while (n - pos >= 5 || (t->records == 0 && n - pos > 0)) {
		if (n - pos >= 5 && looks_like_record(p + pos)) {
			rlen = get16(p + pos + 3);
			if (n - pos < 5 + rlen)
				break;
			tls_record(sm, c, d, p[pos], p + pos + 5, rlen);
			pos += 5 + rlen;
			continue;
		}
		if (t->records > 0) {
			*dead = 1;
			return pos;
		}
		if (n - pos < 5 && p[pos] >= 20 && p[pos] <= 24)
			break; /* maybe a record header still arriving */
		/* Clear text where TLS should be. */
		ll = smtp_line_end((const char *)p + pos, n - pos, &consumed);
		if (ll < 0) {
			if (n - pos > PF_MAX_LINE_BUF)
				*dead = 1;
			break;
		}
		if (d == 0 && smtp_parse_command((const char *)p + pos,
		                  (size_t)ll, &cmd) == 0) {
			if (cmd.verb == SMTP_CMD_MAIL) {
				c->mail_plain = 1;
				if (c->mail_from == NULL && cmd.addr != NULL)
					c->mail_from =
					    xstrndup(cmd.addr, cmd.addrlen);
			} else if (cmd.verb == SMTP_CMD_RCPT)
				c->rcpt_plain = 1;
			else if (cmd.verb == SMTP_CMD_DATA ||
			         cmd.verb == SMTP_CMD_BDAT)
				c->data_plain = 1;
		}
		pos += consumed;
	}
	return pos;
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
smtp_client_feed(struct pf *pf, struct pf_flow *fl)
{
	struct pf_smtp *sm = fl->smtp;
	struct facts_conn *c = conn_of(pf, fl);
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
			pos += tls_feed(
			    pf, fl, 0, (const uint8_t *)p, b->len - pos, &dead);
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
server_reply(struct pf *pf, struct pf_flow *fl, int code)
{
	struct pf_smtp *sm = fl->smtp;
	struct facts_conn *c = conn_of(pf, fl);
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
		smtp_client_feed(pf, fl);
	} else if (what == PF_Q_DOT || what == PF_Q_BDAT_LAST) {
		if (code >= 200 && code < 300)
			c->msg_plain = 1;
	}
}

/* smtp_server_feed - parse what the server sent so far. */
static void
smtp_server_feed(struct pf *pf, struct pf_flow *fl)
{
	struct pf_smtp *sm = fl->smtp;
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
			pos += tls_feed(
			    pf, fl, 1, (const uint8_t *)p, b->len - pos, &dead);
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
			server_reply(pf, fl, code);
		}
	}
	if (pos > 0)
		buf_consume(b, pos);
}

/* ---------------------------------------------------------------- */
/* TCP                                                              */

/* flow_hash - bucket of a flow, the same for both directions. */
static size_t
flow_hash(
    const struct pf_addr *x, uint16_t px, const struct pf_addr *y, uint16_t py)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ (uint32_t)(x->b[i] ^ y->b[i])) * 16777619u;
	h = (h ^ (uint32_t)(px ^ py)) * 16777619u;
	return h;
}

/* flows_grow - double the flow table. */
static void
flows_grow(struct pf *pf)
{
	struct pf_flow **nb, *fl, *next;
	size_t i, n = pf->nbuckets * 2, h;

	if (pf->nbuckets >= PF_BUCKETS_MAX)
		return;
	nb = xcalloc(n, sizeof(*nb));
	for (i = 0; i < pf->nbuckets; i++) {
		for (fl = pf->buckets[i]; fl != NULL; fl = next) {
			next = fl->hnext;
			h = flow_hash(&fl->a, fl->pa, &fl->b, fl->pb) % n;
			fl->hnext = nb[h];
			nb[h] = fl;
		}
	}
	free(pf->buckets);
	pf->buckets = nb;
	pf->nbuckets = n;
}

/* flow_find - the flow of a packet; *d set to its direction. */
static struct pf_flow *
flow_find(struct pf *pf, const struct pf_pkt *k, int *d)
{
	struct pf_flow *fl;

	for (fl = pf->buckets[flow_hash(&k->src, k->sport, &k->dst, k->dport) %
	                      pf->nbuckets];
	     fl != NULL; fl = fl->hnext) {
		if (fl->pa == k->sport && fl->pb == k->dport &&
		    addr_eq(&fl->a, &k->src) && addr_eq(&fl->b, &k->dst)) {
			*d = 0;
			return fl;
		}
		if (fl->pb == k->sport && fl->pa == k->dport &&
		    addr_eq(&fl->b, &k->src) && addr_eq(&fl->a, &k->dst)) {
			*d = 1;
			return fl;
		}
	}
	return NULL;
}

/* deliver - contiguous stream bytes of direction d to the flow's parser. */
static void
deliver(struct pf *pf, struct pf_flow *fl, int d, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	if (fl->kind == PF_FLOW_DNS) {
		if (fl->dns_dead[d])
			return;
		buf_append(&fl->dns[d], p, n);
		dns_tcp_feed(pf, fl, d);
		if (fl->dns[d].len > 70000)
			fl->dns_dead[d] = 1;
		return;
	}
	if (fl->smtp == NULL)
		return;
	buf_append(&fl->smtp->in[d], p, n);
	if (d == 0)
		smtp_client_feed(pf, fl);
	else
		smtp_server_feed(pf, fl);
}

/* seg_free_all - drop the out-of-order queue of a direction. */
static void
seg_free_all(struct pf_dir *dd)
{
	struct pf_seg *s, *n;

	for (s = dd->pending; s != NULL; s = n) {
		n = s->next;
		free(s->data);
		free(s);
	}
	dd->pending = NULL;
	dd->npending = 0;
	dd->pending_bytes = 0;
}

/* mark_gap - bytes of direction d are missing: stop parsing it. */
static void
mark_gap(struct pf *pf, struct pf_flow *fl, int d)
{
	struct facts_conn *c = conn_of(pf, fl);

	if (!fl->dir[d].gap)
		pf->st.gaps++;
	fl->dir[d].gap = 1;
	seg_free_all(&fl->dir[d]);
	if (c != NULL)
		c->gap = 1;
	if (fl->kind == PF_FLOW_DNS)
		fl->dns_dead[d] = 1;
	else if (fl->smtp != NULL) {
		if (d == 0)
			fl->smtp->cl = PF_CL_DEAD;
		else
			fl->smtp->sv = PF_SV_DEAD;
	}
}

/* drain - deliver queued segments that became contiguous. */
static void
drain(struct pf *pf, struct pf_flow *fl, int d)
{
	struct pf_dir *dd = &fl->dir[d];
	struct pf_seg *s;
	uint32_t skip;

	while ((s = dd->pending) != NULL && !dd->gap &&
	       (int32_t)(s->seq - dd->next) <= 0) {
		dd->pending = s->next;
		dd->npending--;
		dd->pending_bytes -= s->len;
		skip = dd->next - s->seq;
		if (skip < s->len) {
			dd->next += (uint32_t)(s->len - skip);
			deliver(pf, fl, d, s->data + skip, s->len - skip);
		}
		free(s->data);
		free(s);
	}
}

/* queue_segment - keep an out-of-order segment; 0, or -1 if too many. */
static int
queue_segment(struct pf_dir *dd, uint32_t seq, const uint8_t *p, size_t n)
{
	struct pf_seg *s, **pp;

	if (dd->npending >= PF_MAX_PENDING_SEGS ||
	    dd->pending_bytes + n > PF_MAX_PENDING_BYTES)
		return -1;
	for (pp = &dd->pending; *pp != NULL; pp = &(*pp)->next) {
		if ((*pp)->seq == seq && (*pp)->len >= n)
			return 0; /* a retransmission of a queued one */
		if ((int32_t)((*pp)->seq - seq) > 0)
			break;
	}
	s = xcalloc(1, sizeof(*s));
	s->seq = seq;
	s->data = xmalloc(n);
	memcpy(s->data, p, n);
	s->len = n;
	s->next = *pp;
	*pp = s;
	dd->npending++;
	dd->pending_bytes += n;
	return 0;
}

/*
 * tcp_data - payload of one segment in direction d starting at seq; the
 * last `missing` bytes of it were not captured.
 */
static void
tcp_data(struct pf *pf, struct pf_flow *fl, int d, uint32_t seq,
    const uint8_t *p, size_t n, size_t missing)
{
	struct pf_dir *dd = &fl->dir[d];
	int32_t rel;
	uint32_t skip;

	if (dd->gap)
		return;
	if (!dd->have_isn) {
		/* The stream's start was not captured: everything before
		 * this segment is missing. */
		dd->have_isn = 1;
		dd->next = seq;
		mark_gap(pf, fl, d);
		return;
	}
	if (n + missing == 0)
		return;
	rel = (int32_t)(seq - dd->next);
	if (rel <= 0) {
		skip = dd->next - seq; /* -rel, without overflow at INT32_MIN */
		if ((size_t)skip >= n + missing)
			return; /* retransmission of delivered bytes */
		if (skip < n) {
			dd->next += (uint32_t)(n - skip);
			deliver(pf, fl, d, p + skip, n - skip);
		}
		if (missing > 0) {
			mark_gap(pf, fl, d);
			return;
		}
		drain(pf, fl, d);
		return;
	}
	if (missing > 0 || queue_segment(dd, seq, p, n) < 0)
		mark_gap(pf, fl, d);
}

/*
 * flow_finish - the flow is over (or the capture ended): holes are gaps,
 * and so are bytes the peer acknowledged that the capture never had (the
 * tail of a stream lost, which no later segment would reveal; a FIN
 * counts one), and so is the rest of a direction of an established
 * connection whose end the capture never saw (no FIN, no RST): a run
 * stops its fake servers, which closes every connection, before it stops
 * the capture, so a stream that just stops in the capture lost its tail.
 */
static void
flow_finish(struct pf *pf, struct pf_flow *fl)
{
	struct pf_dir *dd;
	uint32_t end;
	int d;

	for (d = 0; d < 2; d++) {
		dd = &fl->dir[d];
		if (dd->pending != NULL) {
			mark_gap(pf, fl, d);
			continue;
		}
		end = dd->next + (dd->fin ? 1 : 0);
		if (!dd->have_isn || dd->gap)
			continue;
		if ((dd->acked_seen && (int32_t)(dd->acked - end) > 0) ||
		    (!fl->closed && !dd->fin && fl->dir[1 - d].have_isn))
			mark_gap(pf, fl, d);
	}
}

/* flow_free - release a flow (already unlinked). */
static void
flow_free(struct pf_flow *fl)
{
	int d;

	for (d = 0; d < 2; d++) {
		seg_free_all(&fl->dir[d]);
		buf_free(&fl->dns[d]);
	}
	if (fl->smtp != NULL) {
		for (d = 0; d < 2; d++) {
			buf_free(&fl->smtp->in[d]);
			buf_free(&fl->smtp->tls[d].hs);
		}
		free(fl->smtp);
	}
	free(fl);
}

/* flow_unlink - take a flow out of the table. */
static void
flow_unlink(struct pf *pf, struct pf_flow *fl)
{
	struct pf_flow **pp;

	for (pp = &pf->buckets[flow_hash(&fl->a, fl->pa, &fl->b, fl->pb) %
	                       pf->nbuckets];
	     *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == fl) {
			*pp = fl->hnext;
			pf->nflows--;
			return;
		}
	}
}

/*
 * flow_new - start following a flow whose client is k->src (or k->dst
 * when from_server). Returns NULL for flows that are neither DNS nor to
 * an MX of the world.
 */
static struct pf_flow *
flow_new(struct pf *pf, const struct pf_pkt *k, int from_server)
{
	const struct pf_addr *cli = from_server ? &k->dst : &k->src;
	const struct pf_addr *srv = from_server ? &k->src : &k->dst;
	uint16_t cport = from_server ? k->dport : k->sport;
	uint16_t sport = from_server ? k->sport : k->dport;
	const struct pf_known *mx = NULL;
	struct pf_flow *fl;
	size_t h;

	if (sport != 53) {
		mx = known_find(pf->mx, pf->nmx, srv);
		if (mx == NULL)
			return NULL;
		if (mx->si == (size_t)-1) {
			pf->st.stray++;
			return NULL;
		}
	}
	if (pf->nflows >= PF_MAX_FLOWS) {
		pf->flows_full = 1;
		return NULL;
	}
	fl = xcalloc(1, sizeof(*fl));
	fl->a = *cli;
	fl->b = *srv;
	fl->pa = cport;
	fl->pb = sport;
	if (mx == NULL) {
		fl->kind = PF_FLOW_DNS;
	} else {
		fl->kind = PF_FLOW_SMTP;
		fl->smtp = xcalloc(1, sizeof(*fl->smtp));
		buf_init(&fl->smtp->in[0]);
		buf_init(&fl->smtp->in[1]);
		queue_push(fl->smtp, PF_Q_BANNER);
		fl->si = mx->si;
		fl->ci = conn_new(pf, mx->si, mx->label, fl);
		fl->has_conn = 1;
	}
	if (pf->nflows >= 2 * pf->nbuckets)
		flows_grow(pf);
	h = flow_hash(&fl->a, fl->pa, &fl->b, fl->pb) % pf->nbuckets;
	fl->hnext = pf->buckets[h];
	pf->buckets[h] = fl;
	pf->nflows++;
	pf->st.tcp_flows++;
	return fl;
}

/* tcp_packet - one TCP segment. */
static void
tcp_packet(struct pf *pf, struct pf_pkt *k)
{
	const uint8_t *h = k->l4;
	struct pf_flow *fl;
	struct facts_conn *c;
	size_t hl, n, missing;
	uint32_t seq;
	int syn, ack, fin, rst, d = 0;

	if (k->len < 20) {
		pf->st.skipped++;
		return;
	}
	k->sport = get16(h);
	k->dport = get16(h + 2);
	seq = get32(h + 4);
	hl = (size_t)(h[12] >> 4) * 4;
	syn = h[13] & 0x02;
	ack = h[13] & 0x10;
	fin = h[13] & 0x01;
	rst = h[13] & 0x04;
	if (hl < 20 || hl > k->len) {
		pf->st.skipped++;
		return;
	}
	n = k->len - hl;
	missing = k->missing;

	fl = flow_find(pf, k, &d);
	if (fl != NULL && syn && !ack && d == 0 &&
	    (fl->closed || (fl->syn_seen && seq != fl->isn))) {
		/* Port reuse: a new connection on the same four-tuple. */
		flow_finish(pf, fl);
		flow_unlink(pf, fl);
		flow_free(fl);
		fl = NULL;
	}
	if (fl == NULL) {
		if (syn && !ack)
			fl = flow_new(pf, k, 0);
		else if (k->sport == 53 ||
		         known_find(pf->mx, pf->nmx, &k->src) != NULL)
			fl = flow_new(pf, k, 1);
		else
			fl = flow_new(pf, k, 0);
		if (fl == NULL)
			return;
		d = fl->pa == k->sport && addr_eq(&fl->a, &k->src) ? 0 : 1;
	}
	if (syn) {
		if (!fl->dir[d].have_isn) {
			fl->dir[d].have_isn = 1;
			fl->dir[d].next = seq + 1;
			if (d == 0) {
				fl->syn_seen = 1;
				fl->isn = seq;
			}
		}
		/* A SYN-ACK whose SYN was not captured still says exactly
		 * where the client's stream starts: its acknowledgment. */
		if (ack && d == 1 && !fl->dir[0].have_isn) {
			fl->dir[0].have_isn = 1;
			fl->dir[0].next = get32(h + 8);
		}
		seq++;
	}
	if (ack && !rst) {
		/* What this segment acknowledges of the other direction. */
		struct pf_dir *od = &fl->dir[1 - d];
		uint32_t an = get32(h + 8);

		if (!od->acked_seen || (int32_t)(an - od->acked) > 0)
			od->acked = an;
		od->acked_seen = 1;
	}
	if (n > 0 || missing > 0)
		tcp_data(pf, fl, d, seq, h + hl, n, missing);
	if (fin || rst) {
		if (fin)
			fl->dir[d].fin = 1;
		if (rst || (fl->dir[0].fin && fl->dir[1].fin)) {
			if (!fl->closed) {
				drain(pf, fl, 0);
				drain(pf, fl, 1);
			}
			fl->closed = 1;
		}
		c = conn_of(pf, fl);
		if (c != NULL)
			c->t_end = pf->t;
	}
}

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
		tcp_packet(pf, &k);
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
	pf->nbuckets = PF_BUCKETS_MIN;
	pf->buckets = xcalloc(pf->nbuckets, sizeof(*pf->buckets));
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
	pf->mx = xcalloc(w->nmxs + 1, sizeof(*pf->mx));
	for (i = 0; i < w->nmxs; i++) {
		if (parse_addr(w->mxs[i].addr, &pf->mx[pf->nmx].addr) < 0)
			continue;
		pf->mx[pf->nmx].si = scn_index_of(pf, w->mxs[i].scn);
		pf->mx[pf->nmx].label =
		    w->mxs[i].mx != NULL && w->mxs[i].mx->name != NULL
		        ? w->mxs[i].mx->name
		        : "?";
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
	struct pf_flow *fl, *next;
	struct pf_pdns *pd, *pn;
	size_t i;

	for (i = 0; i < pf->nbuckets; i++) {
		for (fl = pf->buckets[i]; fl != NULL; fl = next) {
			next = fl->hnext;
			flow_finish(pf, fl);
			flow_free(fl);
		}
	}
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
	free(pf->buckets);
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
	if (pf.flows_full) {
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
			    "from=%s gap=%d offered=%s suites=%s\n",
			    c->starttls_sent, c->starttls_code, c->client_hello,
			    fmt_str(c->sni), c->tls_ok, fmt_str(c->tls_version),
			    fmt_str(c->tls_alert), c->mail_plain, c->rcpt_plain,
			    c->data_plain, c->msg_plain, fmt_str(c->mail_from),
			    c->gap, c->tls_offered[0] ? c->tls_offered : "-",
			    c->tls_suites[0] ? c->tls_suites : "-");
		}
		for (j = 0; j < f->scns[i].nqueries; j++) {
			q = &f->scns[i].queries[j];
			buf_printf(out, "  query");
			if (with_times)
				buf_printf(out, " t=%.6f", q->t);
			buf_printf(out,
			    " %s %s rcode=%s do=%d ad=%d to_sut=%d\n",
			    fmt_str(q->qname), fmt_str(q->qtype),
			    fmt_str(q->rcode), q->do_bit, q->ad, q->to_sut);
		}
	}
}
