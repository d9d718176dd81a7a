/*
 * pf_tcp.c - the TCP layer of the capture analyser (see pf_tcp.h): RFC
 * 9293 §3.4 sequence numbers, per-direction reassembly that drops
 * retransmitted and overlapping bytes, holds out-of-order segments and
 * marks a gap (never guessing) when bytes are missing; a SYN on a
 * finished flow starts a new connection. The flows of a capture live in
 * one hash table. What the streams carry is the layer above's business:
 * it is called only through the struct pf_tcp_ops it registered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/judge/pf_tcp.h"
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
flows_grow(struct pf_tcp *t)
{
	struct pf_flow **nb, *fl, *next;
	size_t i, n = t->nbuckets * 2, h;

	if (t->nbuckets >= PF_BUCKETS_MAX)
		return;
	nb = xcalloc(n, sizeof(*nb));
	for (i = 0; i < t->nbuckets; i++) {
		for (fl = t->buckets[i]; fl != NULL; fl = next) {
			next = fl->hnext;
			h = flow_hash(&fl->a, fl->pa, &fl->b, fl->pb) % n;
			fl->hnext = nb[h];
			nb[h] = fl;
		}
	}
	free(t->buckets);
	t->buckets = nb;
	t->nbuckets = n;
}

/* flow_find - the flow of a packet; *d set to its direction. */
static struct pf_flow *
flow_find(struct pf_tcp *t, const struct pf_pkt *k, int *d)
{
	struct pf_flow *fl;

	for (fl = t->buckets[flow_hash(&k->src, k->sport, &k->dst, k->dport) %
	                     t->nbuckets];
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
deliver(struct pf_tcp *t, struct pf_flow *fl, int d, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	t->ops->data(t->ctx, fl, d, p, n);
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
mark_gap(struct pf_tcp *t, struct pf_flow *fl, int d)
{
	if (!fl->dir[d].gap)
		t->gaps++;
	fl->dir[d].gap = 1;
	seg_free_all(&fl->dir[d]);
	t->ops->gap(t->ctx, fl, d);
}

/* drain - deliver queued segments that became contiguous. */
static void
drain(struct pf_tcp *t, struct pf_flow *fl, int d)
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
			deliver(t, fl, d, s->data + skip, s->len - skip);
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
tcp_data(struct pf_tcp *t, struct pf_flow *fl, int d, uint32_t seq,
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
		mark_gap(t, fl, d);
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
			deliver(t, fl, d, p + skip, n - skip);
		}
		if (missing > 0) {
			mark_gap(t, fl, d);
			return;
		}
		drain(t, fl, d);
		return;
	}
	if (missing > 0 || queue_segment(dd, seq, p, n) < 0)
		mark_gap(t, fl, d);
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
flow_finish(struct pf_tcp *t, struct pf_flow *fl)
{
	struct pf_dir *dd;
	uint32_t end;
	int d;

	for (d = 0; d < 2; d++) {
		dd = &fl->dir[d];
		if (dd->pending != NULL) {
			mark_gap(t, fl, d);
			continue;
		}
		end = dd->next + (dd->fin ? 1 : 0);
		if (!dd->have_isn || dd->gap)
			continue;
		if ((dd->acked_seen && (int32_t)(dd->acked - end) > 0) ||
		    (!fl->closed && !dd->fin && fl->dir[1 - d].have_isn))
			mark_gap(t, fl, d);
	}
}

/* flow_free - release a flow (already unlinked) and its upper state. */
static void
flow_free(struct pf_tcp *t, struct pf_flow *fl)
{
	int d;

	for (d = 0; d < 2; d++)
		seg_free_all(&fl->dir[d]);
	t->ops->release(t->ctx, fl);
	free(fl);
}

/* flow_unlink - take a flow out of the table. */
static void
flow_unlink(struct pf_tcp *t, struct pf_flow *fl)
{
	struct pf_flow **pp;

	for (pp = &t->buckets[flow_hash(&fl->a, fl->pa, &fl->b, fl->pb) %
	                      t->nbuckets];
	     *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == fl) {
			*pp = fl->hnext;
			t->nflows--;
			return;
		}
	}
}

/*
 * flow_new - start following a flow whose client is k->src (or k->dst
 * when from_server). Returns NULL for flows the layer above does not
 * want, or when the table is full.
 */
static struct pf_flow *
flow_new(struct pf_tcp *t, const struct pf_pkt *k, int from_server)
{
	const struct pf_addr *cli = from_server ? &k->dst : &k->src;
	const struct pf_addr *srv = from_server ? &k->src : &k->dst;
	uint16_t cport = from_server ? k->dport : k->sport;
	uint16_t sport = from_server ? k->sport : k->dport;
	struct pf_flow *fl;
	size_t h;

	if (!t->ops->want(t->ctx, srv, sport))
		return NULL;
	if (t->nflows >= PF_MAX_FLOWS) {
		t->flows_full = 1;
		return NULL;
	}
	fl = xcalloc(1, sizeof(*fl));
	fl->a = *cli;
	fl->b = *srv;
	fl->pa = cport;
	fl->pb = sport;
	t->ops->open(t->ctx, fl);
	if (t->nflows >= 2 * t->nbuckets)
		flows_grow(t);
	h = flow_hash(&fl->a, fl->pa, &fl->b, fl->pb) % t->nbuckets;
	fl->hnext = t->buckets[h];
	t->buckets[h] = fl;
	t->nflows++;
	t->nfollowed++;
	return fl;
}

void
pf_tcp_init(struct pf_tcp *t, const struct pf_tcp_ops *ops, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->ctx = ctx;
	t->nbuckets = PF_BUCKETS_MIN;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
}

void
pf_tcp_done(struct pf_tcp *t)
{
	struct pf_flow *fl, *next;
	size_t i;

	for (i = 0; i < t->nbuckets; i++) {
		for (fl = t->buckets[i]; fl != NULL; fl = next) {
			next = fl->hnext;
			flow_finish(t, fl);
			flow_free(t, fl);
		}
	}
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = 0;
	t->nflows = 0;
}

/* pf_tcp_packet - one TCP segment. */
void
pf_tcp_packet(struct pf_tcp *t, struct pf_pkt *k)
{
	const uint8_t *h = k->l4;
	struct pf_flow *fl;
	size_t hl, n, missing;
	uint32_t seq;
	int syn, ack, fin, rst, d = 0;

	if (k->len < 20) {
		t->skipped++;
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
		t->skipped++;
		return;
	}
	n = k->len - hl;
	missing = k->missing;

	fl = flow_find(t, k, &d);
	if (fl != NULL && syn && !ack && d == 0 &&
	    (fl->closed || (fl->syn_seen && seq != fl->isn))) {
		/* Port reuse: a new connection on the same four-tuple. */
		flow_finish(t, fl);
		flow_unlink(t, fl);
		flow_free(t, fl);
		fl = NULL;
	}
	if (fl == NULL) {
		if (syn && !ack)
			fl = flow_new(t, k, 0);
		else if (t->ops->is_server(t->ctx, &k->src, k->sport))
			fl = flow_new(t, k, 1);
		else
			fl = flow_new(t, k, 0);
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
		tcp_data(t, fl, d, seq, h + hl, n, missing);
	if (fin || rst) {
		if (fin)
			fl->dir[d].fin = 1;
		if (rst || (fl->dir[0].fin && fl->dir[1].fin)) {
			if (!fl->closed) {
				drain(t, fl, 0);
				drain(t, fl, 1);
			}
			fl->closed = 1;
		}
		t->ops->end(t->ctx, fl);
	}
}
