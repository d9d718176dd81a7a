/*
 * pf.h - inside the capture analyser (pcapfacts.c): its bounds, the state
 * of a capture being read (struct pf), its flows and their directions,
 * and the functions its parts share. The parts, bottom up as the packets
 * go: pf_tcp.c (TCP flows and reassembly), pcapfacts.c (the dispatcher:
 * link and IP layers, DNS, SMTP, the facts) and pf_tls.c (TLS records and
 * hellos). Nothing outside harness/judge/pcapfacts*.c and pf_*.c includes
 * this; the analyser's contract is pcapfacts.h.
 */
#ifndef DSIM_PF_H
#define DSIM_PF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "harness/judge/pcapfacts.h"
#include "smtp.h"

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

/* get16 - big-endian 16 bits. */
static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* get32 - big-endian 32 bits. */
static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* get24 - big-endian 24 bits. */
static inline uint32_t
get24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Shared by the parts of the analyser (each defined where it says). */

/* pf_addr_eq (pcapfacts.c) - same family and bytes. */
int pf_addr_eq(const struct pf_addr *x, const struct pf_addr *y);

/* pf_conn_new (pcapfacts.c) - a new facts_conn in scenario si; returns its
 * index. */
size_t pf_conn_new(
    struct pf *pf, size_t si, const char *label, struct pf_flow *fl);

/* pf_conn_of (pcapfacts.c) - the facts_conn of an SMTP flow, or NULL. */
struct facts_conn *pf_conn_of(struct pf *pf, struct pf_flow *fl);

/* pf_dns_tcp_feed (pcapfacts.c) - DNS over TCP: split the stream into
 * messages. */
void pf_dns_tcp_feed(struct pf *pf, struct pf_flow *fl, int d);

/* pf_known_find (pcapfacts.c) - the known entry for address a in list k, or
 * NULL. */
const struct pf_known *pf_known_find(
    const struct pf_known *k, size_t n, const struct pf_addr *a);

/* pf_queue_push (pcapfacts.c) - remember a command that awaits a reply. */
void pf_queue_push(struct pf_smtp *sm, int what);

/* pf_smtp_client_feed (pcapfacts.c) - parse what the client sent so far. */
void pf_smtp_client_feed(struct pf *pf, struct pf_flow *fl);

/* pf_smtp_server_feed (pcapfacts.c) - parse what the server sent so far. */
void pf_smtp_server_feed(struct pf *pf, struct pf_flow *fl);

/* pf_flow_finish (pf_tcp.c) - the flow is over (or the capture ended):
 * what is missing of it becomes gaps. */
void pf_flow_finish(struct pf *pf, struct pf_flow *fl);

/* pf_flow_free (pf_tcp.c) - release a flow (already unlinked). */
void pf_flow_free(struct pf_flow *fl);

/* pf_tcp_packet (pf_tcp.c) - one TCP segment. */
void pf_tcp_packet(struct pf *pf, struct pf_pkt *k);

/* pf_tls_feed (pf_tls.c) - parse TLS records of direction d from the
 * buffered stream; returns the bytes consumed. */
size_t pf_tls_feed(struct pf *pf, struct pf_flow *fl, int d, const uint8_t *p,
    size_t n, int *dead);

#endif /* DSIM_PF_H */
