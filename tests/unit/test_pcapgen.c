/*
 * test_pcapgen.c - the capture writer behind the analyser's golden tests
 * and benchmark (see test_pcapgen.h). Frames follow IEEE 802.3 (EN10MB),
 * the Linux cooked header (LINUX_SLL), BSD loopback (NULL) or bare IP
 * (RAW); IPv4 (RFC 791), IPv6 (RFC 8200), TCP (RFC 9293), UDP (RFC 768);
 * TLS records per RFC 8446 §5.1.
 */
#include "test_pcapgen.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "xmalloc.h"

/* put16 - big-endian 16 bits. */
static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* put32 - big-endian 32 bits. */
static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

struct pg *
pg_open(const char *path, int dlt)
{
	struct pg *g = xcalloc(1, sizeof(*g));

	g->dlt = dlt;
	g->t = 1764370000.0;
	g->step = 0.001;
	g->dead = pcap_open_dead(dlt, 65535);
	if (g->dead == NULL)
		goto fail;
	g->d = pcap_dump_open(g->dead, path);
	if (g->d == NULL)
		goto fail;
	return g;
fail:
	if (g->dead != NULL)
		pcap_close(g->dead);
	free(g);
	return NULL;
}

void
pg_close(struct pg *g)
{
	if (g == NULL)
		return;
	pcap_dump_close(g->d);
	pcap_close(g->dead);
	free(g);
}

/* emit - frame an IP packet for the link type and write it. */
static void
emit(struct pg *g, int af, const uint8_t *ip, size_t len)
{
	uint8_t frame[70000];
	struct pcap_pkthdr h;
	size_t off = 0;
	unsigned et = af == AF_INET ? 0x0800 : 0x86dd;
	long long us;

	if (len > 65535)
		return;
	switch (g->dlt) {
	case DLT_EN10MB:
		memset(frame, 0, 12);
		put16(frame + 12, et);
		off = 14;
		break;
	case DLT_LINUX_SLL:
		memset(frame, 0, 14);
		put16(frame + 2, 772); /* ARPHRD_LOOPBACK */
		put16(frame + 14, et);
		off = 16;
		break;
	case DLT_NULL:
		frame[0] = af == AF_INET ? 2 : 24; /* little-endian host */
		frame[1] = frame[2] = frame[3] = 0;
		off = 4;
		break;
	default: /* DLT_RAW */
		off = 0;
		break;
	}
	memcpy(frame + off, ip, len);
	memset(&h, 0, sizeof(h));
	us = (long long)(g->t * 1e6 + 0.5);
	h.ts.tv_sec = (time_t)(us / 1000000);
	h.ts.tv_usec = (suseconds_t)(us % 1000000);
	h.len = (bpf_u_int32)(off + len);
	h.caplen = h.len;
	if (g->snaplen > 0 && h.caplen > g->snaplen)
		h.caplen = (bpf_u_int32)g->snaplen;
	pcap_dump((u_char *)g->d, &h, frame);
	g->t += g->step;
	g->n++;
	g->bytes += 16 + h.caplen;
}

/* ip_wrap - IPv4/IPv6 header around an L4 payload, then emit. */
static void
ip_wrap(struct pg *g, int af, const uint8_t *src, const uint8_t *dst, int proto,
    const uint8_t *l4, size_t len)
{
	uint8_t pkt[70000];

	if (len + 40 > sizeof(pkt))
		return;
	if (af == AF_INET) {
		memset(pkt, 0, 20);
		pkt[0] = 0x45;
		put16(pkt + 2, (unsigned)(20 + len));
		pkt[6] = 0x40; /* DF */
		pkt[8] = 64;
		pkt[9] = (uint8_t)proto;
		memcpy(pkt + 12, src, 4);
		memcpy(pkt + 16, dst, 4);
		memcpy(pkt + 20, l4, len);
		emit(g, af, pkt, 20 + len);
	} else {
		memset(pkt, 0, 40);
		pkt[0] = 0x60;
		put16(pkt + 4, (unsigned)len);
		pkt[6] = (uint8_t)proto;
		pkt[7] = 64;
		memcpy(pkt + 8, src, 16);
		memcpy(pkt + 24, dst, 16);
		memcpy(pkt + 40, l4, len);
		emit(g, af, pkt, 40 + len);
	}
}

/* parse - address text into family and bytes. */
static int
parse(const char *s, uint8_t *b)
{
	memset(b, 0, 16);
	if (inet_pton(AF_INET, s, b) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, b) == 1)
		return AF_INET6;
	abort();
}

void
pg_tcp_init(struct pg_tcp *c, const char *cli, uint16_t cport, const char *srv,
    uint16_t sport, uint32_t cisn, uint32_t sisn)
{
	memset(c, 0, sizeof(*c));
	c->af = parse(cli, c->cli);
	parse(srv, c->srv);
	c->cport = cport;
	c->sport = sport;
	c->cseq = cisn;
	c->sseq = sisn;
}

void
pg_tcp_raw(struct pg *g, const struct pg_tcp *c, int from_server, uint32_t seq,
    int flags, const void *data, size_t len)
{
	uint8_t seg[70000];

	if (len + 20 > sizeof(seg))
		return;
	memset(seg, 0, 20);
	put16(seg, from_server ? c->sport : c->cport);
	put16(seg + 2, from_server ? c->cport : c->sport);
	put32(seg + 4, seq);
	put32(seg + 8, from_server ? c->cseq : c->sseq);
	seg[12] = 5 << 4;
	seg[13] = (uint8_t)flags;
	put16(seg + 14, 65535);
	if (len > 0)
		memcpy(seg + 20, data, len);
	ip_wrap(g, c->af, from_server ? c->srv : c->cli,
	    from_server ? c->cli : c->srv, 6, seg, 20 + len);
}

void
pg_tcp_open(struct pg *g, struct pg_tcp *c)
{
	pg_tcp_raw(g, c, 0, c->cseq, PG_SYN, NULL, 0);
	c->cseq++;
	pg_tcp_raw(g, c, 1, c->sseq, PG_SYN | PG_ACK, NULL, 0);
	c->sseq++;
	pg_tcp_raw(g, c, 0, c->cseq, PG_ACK, NULL, 0);
}

void
pg_tcp_send(struct pg *g, struct pg_tcp *c, int from_server, const void *data,
    size_t len)
{
	uint32_t *seq = from_server ? &c->sseq : &c->cseq;

	pg_tcp_raw(g, c, from_server, *seq, PG_ACK | PG_PSH, data, len);
	*seq += (uint32_t)len;
}

void
pg_tcp_sends(struct pg *g, struct pg_tcp *c, int from_server, const char *s)
{
	pg_tcp_send(g, c, from_server, s, strlen(s));
}

void
pg_tcp_close(struct pg *g, struct pg_tcp *c)
{
	pg_tcp_raw(g, c, 0, c->cseq, PG_FIN | PG_ACK, NULL, 0);
	c->cseq++;
	pg_tcp_raw(g, c, 1, c->sseq, PG_FIN | PG_ACK, NULL, 0);
	c->sseq++;
	pg_tcp_raw(g, c, 0, c->cseq, PG_ACK, NULL, 0);
}

void
pg_udp(struct pg *g, const char *src, uint16_t sport, const char *dst,
    uint16_t dport, const void *data, size_t len)
{
	uint8_t s[16], d[16], dg[70000];
	int af;

	if (len + 8 > sizeof(dg))
		return;
	af = parse(src, s);
	parse(dst, d);
	put16(dg, sport);
	put16(dg + 2, dport);
	put16(dg + 4, (unsigned)(8 + len));
	put16(dg + 6, 0);
	memcpy(dg + 8, data, len);
	ip_wrap(g, af, s, d, 17, dg, 8 + len);
}

size_t
pg_dns(uint8_t *out, size_t outsz, uint16_t id, const char *qname,
    const char *qtype, int qr, int rcode, int ad, int bits)
{
	ldns_pkt *p;
	ldns_rdf *name;
	uint8_t *wire = NULL;
	size_t n = 0;

	name = ldns_dname_new_frm_str(qname);
	if (name == NULL)
		return 0;
	p = ldns_pkt_query_new(
	    name, ldns_get_rr_type_by_name(qtype), LDNS_RR_CLASS_IN, LDNS_RD);
	if (p == NULL)
		return 0;
	ldns_pkt_set_id(p, id);
	ldns_pkt_set_qr(p, qr);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	ldns_pkt_set_ad(p, ad);
	ldns_pkt_set_cd(p, (bits & PG_DNS_CD) != 0);
	if (bits & PG_DNS_DO) {
		ldns_pkt_set_edns_udp_size(p, 1232);
		ldns_pkt_set_edns_do(p, 1);
	}
	if (ldns_pkt2wire(&wire, p, &n) != LDNS_STATUS_OK || n > outsz)
		n = 0;
	else
		memcpy(out, wire, n);
	free(wire);
	ldns_pkt_free(p);
	return n;
}

/* hs_record - wrap a handshake message body into header + record. */
static size_t
hs_record(
    uint8_t *out, size_t outsz, int hstype, const uint8_t *body, size_t len)
{
	if (len + 9 > outsz)
		return 0;
	out[0] = 22;
	put16(out + 1, 0x0301);
	put16(out + 3, (unsigned)(len + 4));
	out[5] = (uint8_t)hstype;
	out[6] = (uint8_t)(len >> 16);
	put16(out + 7, (unsigned)len);
	memcpy(out + 9, body, len);
	return len + 9;
}

size_t
pg_client_hello(uint8_t *out, size_t outsz, const char *sni, int tls13)
{
	uint8_t b[1024];
	size_t p = 0, ext, nl;

	put16(b + p, 0x0303);
	p += 2;
	memset(b + p, 0x11, 32); /* random */
	p += 32;
	b[p++] = 32;
	memset(b + p, 0x22, 32); /* session id */
	p += 32;
	if (tls13) {
		put16(b + p, 10);
		put16(b + p + 2, 0x2a2a); /* GREASE, skipped */
		put16(b + p + 4, 0x1302);
		put16(b + p + 6, 0x1301);
		put16(b + p + 8, 0xc02c);
		put16(b + p + 10, 0xc02b);
		p += 12;
	} else {
		put16(b + p, 4);
		put16(b + p + 2, 0xc02c);
		put16(b + p + 4, 0xc02b);
		p += 6;
	}
	b[p++] = 1;
	b[p++] = 0; /* null compression */
	ext = p;
	p += 2;
	if (sni != NULL) {
		nl = strlen(sni);
		put16(b + p, 0);
		put16(b + p + 2, (unsigned)(nl + 5));
		put16(b + p + 4, (unsigned)(nl + 3));
		b[p + 6] = 0;
		put16(b + p + 7, (unsigned)nl);
		memcpy(b + p + 9, sni, nl);
		p += 9 + nl;
	}
	if (tls13) {
		put16(b + p, 43);
		put16(b + p + 2, 7);
		b[p + 4] = 6;
		put16(b + p + 5, 0x3a3a); /* GREASE */
		put16(b + p + 7, 0x0304);
		put16(b + p + 9, 0x0303);
		p += 11;
	}
	put16(b + ext, (unsigned)(p - ext - 2));
	return hs_record(out, outsz, 1, b, p);
}

size_t
pg_server_hello(uint8_t *out, size_t outsz, int tls13, int hrr)
{
	static const uint8_t hrr_random[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5,
	    0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09,
	    0xe2, 0xc8, 0xa8, 0x33, 0x9c};
	uint8_t b[256];
	size_t p = 0;

	put16(b + p, 0x0303);
	p += 2;
	if (hrr)
		memcpy(b + p, hrr_random, 32);
	else
		memset(b + p, 0x33, 32);
	p += 32;
	b[p++] = 32;
	memset(b + p, 0x22, 32);
	p += 32;
	put16(b + p, tls13 ? 0x1302 : 0xc02c);
	p += 2;
	b[p++] = 0;
	if (tls13) {
		put16(b + p, 6);
		put16(b + p + 2, 43);
		put16(b + p + 4, 2);
		put16(b + p + 6, 0x0304);
		p += 8;
	} else {
		put16(b + p, 0);
		p += 2;
	}
	return hs_record(out, outsz, 2, b, p);
}

size_t
pg_sslv2_hello(uint8_t *out, size_t outsz, unsigned version)
{
	/* cipher specs: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and
	 * TLS_RSA_WITH_AES_128_CBC_SHA as three-byte SSLv2 specs */
	static const uint8_t specs[6] = {0x00, 0xc0, 0x2f, 0x00, 0x00, 0x2f};
	size_t i, len = 9 + sizeof(specs) + 16;

	if (len + 2 > outsz)
		return 0;
	out[0] = (uint8_t)(0x80 | len >> 8);
	out[1] = (uint8_t)len;
	out[2] = 1; /* CLIENT-HELLO */
	put16(out + 3, version);
	put16(out + 5, sizeof(specs));
	put16(out + 7, 0);  /* session id */
	put16(out + 9, 16); /* challenge */
	memcpy(out + 11, specs, sizeof(specs));
	for (i = 0; i < 16; i++)
		out[11 + sizeof(specs) + i] = (uint8_t)(0xa5 ^ i);
	return len + 2;
}

size_t
pg_record(uint8_t *out, size_t outsz, int type, size_t len)
{
	size_t i;

	if (len + 5 > outsz)
		return 0;
	out[0] = (uint8_t)type;
	put16(out + 1, 0x0303);
	put16(out + 3, (unsigned)len);
	for (i = 0; i < len; i++)
		out[5 + i] = (uint8_t)(0x5a ^ i);
	return len + 5;
}
