/*
 * pf_tcp.c - the TCP layer of the capture analyser (see pf.h): RFC 9293
 * §3.4 sequence numbers, per-direction reassembly that drops
 * retransmitted and overlapping bytes, holds out-of-order segments and
 * marks a gap (never guessing) when bytes are missing; a SYN on a
 * finished flow starts a new connection. The flows of a capture live in
 * one hash table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/judge/pf.h"
#include "xmalloc.h"

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
		    pf_addr_eq(&fl->a, &k->src) &&
		    pf_addr_eq(&fl->b, &k->dst)) {
			*d = 0;
			return fl;
		}
		if (fl->pb == k->sport && fl->pa == k->dport &&
		    pf_addr_eq(&fl->b, &k->src) &&
		    pf_addr_eq(&fl->a, &k->dst)) {
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
		pf_dns_tcp_feed(pf, fl, d);
		if (fl->dns[d].len > 70000)
			fl->dns_dead[d] = 1;
		return;
	}
	if (fl->smtp == NULL)
		return;
	buf_append(&fl->smtp->in[d], p, n);
	if (d == 0)
		pf_smtp_client_feed(pf, fl);
	else
		pf_smtp_server_feed(pf, fl);
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
	struct facts_conn *c = pf_conn_of(pf, fl);

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
 * pf_flow_finish - the flow is over (or the capture ended): holes are gaps,
 * and so are bytes the peer acknowledged that the capture never had (the
 * tail of a stream lost, which no later segment would reveal; a FIN
 * counts one), and so is the rest of a direction of an established
 * connection whose end the capture never saw (no FIN, no RST): a run
 * stops its fake servers, which closes every connection, before it stops
 * the capture, so a stream that just stops in the capture lost its tail.
 */
void
pf_flow_finish(struct pf *pf, struct pf_flow *fl)
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

/* pf_flow_free - release a flow (already unlinked). */
void
pf_flow_free(struct pf_flow *fl)
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
		mx = pf_known_find(pf->mx, pf->nmx, srv);
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
		pf_queue_push(fl->smtp, PF_Q_BANNER);
		fl->si = mx->si;
		fl->ci = pf_conn_new(pf, mx->si, mx->label, fl);
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

/* pf_tcp_packet - one TCP segment. */
void
pf_tcp_packet(struct pf *pf, struct pf_pkt *k)
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
		pf_flow_finish(pf, fl);
		flow_unlink(pf, fl);
		pf_flow_free(fl);
		fl = NULL;
	}
	if (fl == NULL) {
		if (syn && !ack)
			fl = flow_new(pf, k, 0);
		else if (k->sport == 53 ||
		         pf_known_find(pf->mx, pf->nmx, &k->src) != NULL)
			fl = flow_new(pf, k, 1);
		else
			fl = flow_new(pf, k, 0);
		if (fl == NULL)
			return;
		d = fl->pa == k->sport && pf_addr_eq(&fl->a, &k->src) ? 0 : 1;
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
		c = pf_conn_of(pf, fl);
		if (c != NULL)
			c->t_end = pf->t;
	}
}
