/*
 * pf_tls.h - the TLS layer of the capture analyser: RFC 8446 §5.1
 * records, §4.1.2 ClientHello, §4.1.3 ServerHello and HelloRetryRequest,
 * §4.2.1 supported_versions, §6 alerts; RFC 5246 §7.1 ChangeCipherSpec,
 * Appendix E.2 SSL 2.0-compatible ClientHello (whose use RFC 7672 §8.1
 * rules out); RFC 6066 §3 server_name. It is given the bytes of both directions
 * of one connection after STARTTLS and reports what it read through a table of
 * callbacks (struct pf_tls_ops) registered by the layer above (the dispatcher,
 * pcapfacts.c). Includes only pf_wire.h and lib/.
 */
#ifndef DSIM_PF_TLS_H
#define DSIM_PF_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "harness/judge/pf_wire.h"

/* Sizes of the lists of a ClientHello (those of struct facts_conn). */
#define PF_TLS_OFFERED_MAX 40
#define PF_TLS_SUITES_MAX 400

/* What the first ClientHello of a connection says, as far as it could
   be read. */
struct pf_tls_hello {
	const uint8_t *sni; /* host_name bytes (raw), NULL if none */
	size_t sni_len;
	int sni_names; /* host_name entries in the server_name list */
	char offered[PF_TLS_OFFERED_MAX]; /* versions, "TLSv1.3,TLSv1.2" */
	char suites[PF_TLS_SUITES_MAX];   /* cipher suites, hex "1302,c02c" */
};

/* The format of the client's first record after STARTTLS. */
enum pf_tls_first {
	PF_TLS_FIRST_NONE = 0, /* no client byte seen there (or too few) */
	PF_TLS_FIRST_TLS,      /* a TLS record: 0x16 0x03 ... */
	PF_TLS_FIRST_SSLV2,    /* SSL 2.0-compatible: high bit, type 1 */
	PF_TLS_FIRST_OTHER     /* neither (clear text, garbage) */
};

/* What the layer above is told; ctx is the one given to pf_tls_init. */
struct pf_tls_ops {
	/* hello - the connection's first ClientHello */
	void (*hello)(void *ctx, const struct pf_tls_hello *h);
	/* version - a ServerHello (not a HelloRetryRequest) selected
	   version, "TLSv1.3" or "0x0305" */
	void (*version)(void *ctx, const char *version);
	/* alert - an alert in clear: "client fatal handshake_failure" */
	void (*alert)(void *ctx, const char *text);
	/* established - the handshake completed (said again per record) */
	void (*established)(void *ctx);
	/* clear - a line of clear text of direction d where records should
	   be, before the first record; line without its end, len bytes */
	void (*clear)(void *ctx, int d, const char *line, size_t len);
	/* first - what the client's first record is, as far as it is known
	   (said again when more bytes tell more) */
	void (*first)(void *ctx, enum pf_tls_first fmt);
};

/* Record-layer state of one direction. */
struct pf_tls_dir {
	struct buf hs;           /* handshake bytes in clear */
	int records;             /* TLS records seen */
	int ccs;                 /* ChangeCipherSpec seen */
	unsigned long enc;       /* encrypted records */
	unsigned long enc_after; /* server: encrypted after client's first */
	int hs_dead;             /* handshake stream unparseable */
};

/* The TLS layer of one connection. */
struct pf_tls {
	const struct pf_tls_ops *ops;
	void *ctx;
	struct pf_tls_dir dir[2]; /* 0: client, 1: server */
	int hellos;               /* ClientHellos seen */
	int tls13;                /* ServerHello selected TLS 1.3 */
	int hrr;                  /* HelloRetryRequest seen */
	int sh_seen;              /* a real ServerHello seen */
	enum pf_tls_first first;  /* the client's first record */
};

/* pf_tls_init - a connection's TLS state reporting to ops with ctx. */
void pf_tls_init(struct pf_tls *t, const struct pf_tls_ops *ops, void *ctx);

/*
 * pf_tls_feed - parse TLS records of direction d from the n buffered
 * bytes at p. Before the first record, bytes that are not TLS are taken
 * as clear lines (ops->clear). Returns the bytes consumed; sets *dead
 * when the stream cannot be parsed further.
 */
size_t pf_tls_feed(
    struct pf_tls *t, int d, const uint8_t *p, size_t n, int *dead);

/* pf_tls_free - release what t holds (not t). */
void pf_tls_free(struct pf_tls *t);

#endif /* DSIM_PF_TLS_H */
