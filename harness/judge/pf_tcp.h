/*
 * pf_tcp.h - the TCP layer of the capture analyser: RFC 9293 §3.4
 * sequence numbers, per-direction reassembly. It knows nothing of what
 * the streams carry: the layer above (the dispatcher, pcapfacts.c)
 * registers a table of callbacks (struct pf_tcp_ops) that decide which
 * flows to follow and receive each direction's contiguous bytes, its
 * gaps and the flow's end. Includes only pf_wire.h.
 */
#ifndef DSIM_PF_TCP_H
#define DSIM_PF_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "harness/judge/pf_wire.h"

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

/* A TCP flow; up is the upper layer's, set by its open callback. */
struct pf_flow {
	struct pf_flow *hnext;
	struct pf_addr a, b; /* a = client (initiator), b = server */
	uint16_t pa, pb;
	struct pf_dir dir[2]; /* 0: a -> b, 1: b -> a */
	int closed;
	int syn_seen;
	uint32_t isn;
	void *up; /* the upper layer's state of this flow */
};

/* Packet facts handed from the network layer to TCP/UDP. */
struct pf_pkt {
	struct pf_addr src, dst;
	uint16_t sport, dport;
	const uint8_t *l4; /* transport payload */
	size_t len;        /* captured payload bytes */
	size_t missing;    /* payload bytes not captured (snaplen) */
};

/* What the layer above is told; ctx is the one given to pf_tcp_init. */
struct pf_tcp_ops {
	/* want - 1 to follow a new flow to server srv:sport, else 0 */
	int (*want)(void *ctx, const struct pf_addr *srv, uint16_t sport);
	/* is_server - 1 when a:port (the sender of a packet of a flow first
	   seen without its SYN) is a server, so that it is the flow's b */
	int (*is_server)(void *ctx, const struct pf_addr *a, uint16_t port);
	/* open - a followed flow starts: set fl->up */
	void (*open)(void *ctx, struct pf_flow *fl);
	/* data - n contiguous bytes of direction d, in stream order */
	void (*data)(
	    void *ctx, struct pf_flow *fl, int d, const uint8_t *p, size_t n);
	/* gap - bytes of direction d are missing: no more data of it */
	void (*gap)(void *ctx, struct pf_flow *fl, int d);
	/* end - a FIN or RST of the flow was seen */
	void (*end)(void *ctx, struct pf_flow *fl);
	/* release - the flow is freed: release fl->up */
	void (*release)(void *ctx, struct pf_flow *fl);
};

/* The TCP layer of one capture. */
struct pf_tcp {
	const struct pf_tcp_ops *ops;
	void *ctx;
	struct pf_flow **buckets; /* grows with the flows */
	size_t nbuckets;
	size_t nflows;
	int flows_full;          /* PF_MAX_FLOWS reached: later flows ignored */
	unsigned long skipped;   /* segments too short or malformed */
	unsigned long gaps;      /* stream directions with a gap */
	unsigned long nfollowed; /* flows followed */
};

/* pf_tcp_init - an empty flow table reporting to ops with ctx. */
void pf_tcp_init(struct pf_tcp *t, const struct pf_tcp_ops *ops, void *ctx);

/* pf_tcp_packet - one TCP segment at the time the caller is at. */
void pf_tcp_packet(struct pf_tcp *t, struct pf_pkt *k);

/*
 * pf_tcp_done - the capture ended: finish every flow (what is missing of
 * it becomes gaps), release it, free the table.
 */
void pf_tcp_done(struct pf_tcp *t);

#endif /* DSIM_PF_TCP_H */
