/*
 * dns_wire.c - DNS messages in wire format (RFC 1035 §4.1.1 header,
 * §4.1.2 question, §4.1.3 records) with name compression (§4.1.4) as
 * ldns 1.8 does it (host2wire.c), and the EDNS0 OPT record (RFC 6891
 * §6.1.2). See dns_wire.h for why the bytes must be those of ldns.
 */
#include "dns_wire.h"

#include <string.h>

#include "dns_name.h"
#include "xmalloc.h"

/* Pointers reach only the first 16 KiB (two bits of a pointer are 11). */
#define DNS_WIRE_PTR_MAX 16384

/* put - append n bytes, or note the overflow. */
static void
put(struct dns_wire *w, const void *p, size_t n)
{
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = 1;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* put16 - append a 16-bit number in network order. */
static void
put16(struct dns_wire *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 2);
}

/* put32 - append a 32-bit number in network order. */
static void
put32(struct dns_wire *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 4);
}

/* remember - note that the suffix name (len bytes) starts at pos. */
static void
remember(struct dns_wire *w, const uint8_t *name, size_t len, size_t pos)
{
	if (w->nnames == w->capnames) {
		size_t cap = w->capnames * 2;

		if (w->names == w->inline_names) {
			w->names = xreallocarray(NULL, cap, sizeof(*w->names));
			memcpy(
			    w->names, w->inline_names, sizeof(w->inline_names));
		} else
			w->names =
			    xreallocarray(w->names, cap, sizeof(*w->names));
		w->capnames = cap;
	}
	w->names[w->nnames].name = name;
	w->names[w->nnames].len = (uint16_t)len;
	w->names[w->nnames].pos = (uint16_t)pos;
	w->nnames++;
}

/* find - where a name equal to name (len bytes) was written, or -1. */
static long
find(const struct dns_wire *w, const uint8_t *name, size_t len)
{
	size_t i;

	for (i = 0; i < w->nnames; i++)
		if (w->names[i].len == len &&
		    dns_name_equal(w->names[i].name, name, len))
			return w->names[i].pos;
	return -1;
}

/* put_name - a domain name (size bytes, uncompressed), compressed: the
 * longest remembered suffix becomes a pointer (ldns's
 * ldns_dname2buffer_wire_compress, label by label). */
static void
put_name(struct dns_wire *w, const uint8_t *name, size_t size)
{
	size_t off = 0;
	long at;

	while (off < size && name[off] != 0 && !w->overflow) {
		if ((at = find(w, name + off, size - off)) != -1) {
			put16(w, (uint16_t)(0xc000 | at));
			return;
		}
		if (w->len < DNS_WIRE_PTR_MAX)
			remember(w, name + off, size - off, w->len);
		if ((size_t)name[off] + 1 > size - off) {
			/* not a name ldns would have made: write it as is */
			put(w, name + off, size - off);
			return;
		}
		put(w, name + off, (size_t)name[off] + 1);
		off += (size_t)name[off] + 1;
	}
	put(w, "", 1);
}

void
dns_wire_init(struct dns_wire *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->overflow = 0;
	w->names = w->inline_names;
	w->nnames = 0;
	w->capnames = sizeof(w->inline_names) / sizeof(w->inline_names[0]);
}

void
dns_wire_header(struct dns_wire *w, uint16_t id, uint8_t flags1, uint8_t flags2,
    uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	put16(w, id);
	put(w, &flags1, 1);
	put(w, &flags2, 1);
	put16(w, qd);
	put16(w, an);
	put16(w, ns);
	put16(w, ar);
}

void
dns_wire_question(struct dns_wire *w, const ldns_rdf *name, ldns_rr_type type,
    ldns_rr_class cls)
{
	put_name(w, ldns_rdf_data(name), ldns_rdf_size(name));
	put16(w, (uint16_t)type);
	put16(w, (uint16_t)cls);
}

void
dns_wire_rr(struct dns_wire *w, const ldns_rr *rr, int question)
{
	const ldns_rdf *owner = ldns_rr_owner(rr);
	ldns_rr_type type = ldns_rr_get_type(rr);
	size_t i, n, rdlen_at;
	int compress;

	if (owner != NULL)
		put_name(w, ldns_rdf_data(owner), ldns_rdf_size(owner));
	put16(w, (uint16_t)type);
	put16(w, (uint16_t)ldns_rr_get_class(rr));
	if (question)
		return;
	put32(w, ldns_rr_ttl(rr));
	rdlen_at = w->len;
	put16(w, 0);
	compress =
	    ldns_rr_descript((uint16_t)type)->_compress == LDNS_RR_COMPRESS;
	n = ldns_rr_rd_count(rr);
	for (i = 0; i < n; i++) {
		const ldns_rdf *d = ldns_rr_rdf(rr, i);

		if (compress && ldns_rdf_get_type(d) == LDNS_RDF_TYPE_DNAME)
			put_name(w, ldns_rdf_data(d), ldns_rdf_size(d));
		else
			put(w, ldns_rdf_data(d), ldns_rdf_size(d));
	}
	if (!w->overflow) {
		size_t rdlen = w->len - rdlen_at - 2;

		w->buf[rdlen_at] = (uint8_t)(rdlen >> 8);
		w->buf[rdlen_at + 1] = (uint8_t)rdlen;
	}
}

void
dns_wire_opt(
    struct dns_wire *w, uint16_t udp_size, uint8_t ext_rcode, int dnssec_ok)
{
	put(w, "", 1); /* owner: the root */
	put16(w, LDNS_RR_TYPE_OPT);
	put16(w, udp_size);
	put32(w, (uint32_t)ext_rcode << 24 | (dnssec_ok ? 0x8000u : 0));
	put16(w, 0); /* no options */
}

long
dns_wire_finish(struct dns_wire *w)
{
	if (w->names != w->inline_names)
		free(w->names);
	w->names = w->inline_names;
	w->nnames = 0;
	return w->overflow ? -1 : (long)w->len;
}
