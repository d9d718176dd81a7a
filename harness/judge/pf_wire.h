/*
 * pf_wire.h - the bottom of the capture analyser (pcapfacts.c, pf_tcp.c,
 * pf_tls.c): the bounds that keep hostile captures from eating memory or
 * time, an address, and big-endian reads. Includes nothing of the
 * analyser; the layers above it are pf_tcp.h and pf_tls.h, and pf.h
 * (the dispatcher's own) over both.
 */
#ifndef DSIM_PF_WIRE_H
#define DSIM_PF_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

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

/* An address: family and 16 bytes (IPv4 in the first four). */
struct pf_addr {
	int af;
	uint8_t b[16];
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

/* pf_addr_eq - same family and bytes. */
static inline int
pf_addr_eq(const struct pf_addr *x, const struct pf_addr *y)
{
	size_t n = x->af == AF_INET ? 4 : 16;

	return x->af == y->af && memcmp(x->b, y->b, n) == 0;
}

#endif /* DSIM_PF_WIRE_H */
