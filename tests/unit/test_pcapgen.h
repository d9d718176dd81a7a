/*
 * test_pcapgen.h - a tiny packet-capture writer for the analyser's golden
 * tests and benchmark: frames (EN10MB, LINUX_SLL, RAW, NULL), IPv4/IPv6,
 * TCP segments with real sequence numbers, UDP, DNS messages (via ldns)
 * and TLS records (ClientHello with SNI, ServerHello, opaque records).
 * Checksums are left zero: the analyser does not verify them.
 */
#ifndef DSIM_TEST_PCAPGEN_H
#define DSIM_TEST_PCAPGEN_H

#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

/* A capture file being written. */
struct pg {
	pcap_t *dead;
	pcap_dumper_t *d;
	int dlt;
	double t;                 /* time of the next packet */
	double step;              /* added after each packet */
	size_t snaplen;           /* captured bytes per packet (0 = all) */
	unsigned long n;          /* packets written */
	unsigned long long bytes; /* bytes of packet records written */
};

/* One TCP connection's endpoints and sequence numbers. */
struct pg_tcp {
	int af;
	uint8_t cli[16], srv[16];
	uint16_t cport, sport;
	uint32_t cseq, sseq; /* next sequence number of each side */
};

#define PG_FIN 0x01
#define PG_SYN 0x02
#define PG_RST 0x04
#define PG_PSH 0x08
#define PG_ACK 0x10

/* pg_open - start a capture file with link type dlt; NULL on failure. */
struct pg *pg_open(const char *path, int dlt);
/* pg_close - flush and close; NULL is fine. */
void pg_close(struct pg *g);

/* pg_tcp_init - endpoints from address text ("127.0.0.1", "::1"). */
void pg_tcp_init(struct pg_tcp *c, const char *cli, uint16_t cport,
    const char *srv, uint16_t sport, uint32_t cisn, uint32_t sisn);
/* pg_tcp_raw - one segment with explicit sequence number and flags. */
void pg_tcp_raw(struct pg *g, const struct pg_tcp *c, int from_server,
    uint32_t seq, int flags, const void *data, size_t len);
/* pg_tcp_open - SYN, SYN-ACK, ACK. */
void pg_tcp_open(struct pg *g, struct pg_tcp *c);
/* pg_tcp_send - one data segment in order; advances the sender's seq. */
void pg_tcp_send(struct pg *g, struct pg_tcp *c, int from_server,
    const void *data, size_t len);
/* pg_tcp_sends - as pg_tcp_send for a C string. */
void pg_tcp_sends(
    struct pg *g, struct pg_tcp *c, int from_server, const char *s);
/* pg_tcp_close - FIN from both sides. */
void pg_tcp_close(struct pg *g, struct pg_tcp *c);

/* pg_udp - one UDP datagram. */
void pg_udp(struct pg *g, const char *src, uint16_t sport, const char *dst,
    uint16_t dport, const void *data, size_t len);

/* pg_dns's bits: EDNS DO, and the header's CD. */
#define PG_DNS_DO 1
#define PG_DNS_CD 2

/*
 * pg_dns - a DNS message for qname/qtype (ldns mnemonic) into out; flags:
 * qr, rcode, ad, and bits (PG_DNS_DO, PG_DNS_CD). Returns its length, 0
 * on failure.
 */
size_t pg_dns(uint8_t *out, size_t outsz, uint16_t id, const char *qname,
    const char *qtype, int qr, int rcode, int ad, int bits);

/*
 * pg_client_hello - a TLS record holding a ClientHello with SNI sni (NULL:
 * none), offering TLS 1.3 and 1.2 (tls13) or only 1.2. Returns its length.
 */
size_t pg_client_hello(uint8_t *out, size_t outsz, const char *sni, int tls13);
/* pg_server_hello - a ServerHello record (TLS 1.3 via supported_versions,
 * or 1.2; hrr: a HelloRetryRequest). Returns its length. */
size_t pg_server_hello(uint8_t *out, size_t outsz, int tls13, int hrr);
/*
 * pg_sslv2_hello - an SSL 2.0-compatible ClientHello (two-byte header with
 * the high bit, msg_type 1) offering version (0x0303: TLS 1.2) and two
 * cipher specs. Returns its length.
 */
size_t pg_sslv2_hello(uint8_t *out, size_t outsz, unsigned version);
/* pg_record - a record of content type with len opaque bytes. */
size_t pg_record(uint8_t *out, size_t outsz, int type, size_t len);

#endif /* DSIM_TEST_PCAPGEN_H */
