/*
 * dns_wire.h - the reply encoder of fakedns: a DNS message in wire format
 * (RFC 1035 §4.1) with name compression (§4.1.4), written straight into
 * the caller's buffer without allocating per record.
 *
 * It writes the very bytes ldns_pkt2wire() of ldns 1.8 writes for the
 * same message, so answers did not change when it replaced that call
 * (tests/data/fakedns/answers.golden): every suffix of a name written in
 * full at an offset below 16384 is remembered; a name equal to a
 * remembered one (ASCII case ignored) becomes a pointer to it; names in
 * rdata are compressed only for the types whose ldns descriptor allows it
 * (the RFC 1035 types, RFC 3597 §4); the root name is never a pointer.
 *
 * Ownership: the encoder borrows the buffer and every record it is given;
 * a record must stay valid until dns_wire_finish(), since remembered
 * names point into it.
 */
#ifndef DSIM_DNS_WIRE_H
#define DSIM_DNS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/* A name suffix written in full, for later pointers. */
struct dns_wire_name {
	const uint8_t *name; /* borrowed: the suffix's uncompressed bytes */
	uint16_t len;        /* bytes of the suffix, final zero included */
	uint16_t pos;        /* where it was written */
};

struct dns_wire {
	uint8_t *buf; /* borrowed */
	size_t cap;
	size_t len;
	int overflow; /* something did not fit in cap */
	struct dns_wire_name *names;
	size_t nnames, capnames;
	struct dns_wire_name inline_names[48];
};

/* dns_wire_init - start a message in buf (cap bytes). */
void dns_wire_init(struct dns_wire *w, uint8_t *buf, size_t cap);

/*
 * dns_wire_header - the 12-byte header: id, the two flag bytes (QR,
 * opcode, AA, TC, RD; RA, AD, CD, RCODE) and the four section counts.
 */
void dns_wire_header(struct dns_wire *w, uint16_t id, uint8_t flags1,
    uint8_t flags2, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar);

/* dns_wire_question - the question entry: name, type, class. */
void dns_wire_question(struct dns_wire *w, const ldns_rdf *name,
    ldns_rr_type type, ldns_rr_class cls);

/* dns_wire_rr - one record; a question entry (name, type, class) when
 * question is 1. */
void dns_wire_rr(struct dns_wire *w, const ldns_rr *rr, int question);

/* dns_wire_opt - the EDNS0 OPT record of RFC 6891 §6.1.2 without
 * options: UDP size, extended RCODE (upper 8 bits), version 0, DO. */
void dns_wire_opt(
    struct dns_wire *w, uint16_t udp_size, uint8_t ext_rcode, int dnssec_ok);

/*
 * dns_wire_finish - end the message and release the name table. Returns
 * its length, or -1 when it did not fit in the buffer (the bytes are then
 * not a message).
 */
long dns_wire_finish(struct dns_wire *w);

#endif /* DSIM_DNS_WIRE_H */
