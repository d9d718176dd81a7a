/*
 * dns_fault.c - the table of serving-time faults (docs/scenario-format.md,
 * "DNS breakage"). Each entry says what it does at the three points the
 * answer builder offers: before the lookup, after it, on the wire.
 *
 * The bogus answers these produce are the ones RFC 4035 §5 and §4.3 make
 * a validator reject: missing RRSIGs, missing NSEC/NSEC3 proofs
 * (RFC 5155 §8), an NXDOMAIN without any denial; plus plain failures a
 * resolver must survive (RFC 1035 §4.1.1 RCODEs, silence, slowness).
 */
#include "dns_fault.h"

#include <string.h>

#include "dns_reply.h"
#include "dns_name.h"

/* fault_servfail - the whole answer is SERVFAIL. */
static int
fault_servfail(struct dns_reply *r, const struct dns_fault *f)
{
	r->rcode = LDNS_RCODE_SERVFAIL;
	r->aa = 0;
	return 1;
}

/* fault_refused - the whole answer is REFUSED. */
static int
fault_refused(struct dns_reply *r, const struct dns_fault *f)
{
	r->rcode = LDNS_RCODE_REFUSED;
	r->aa = 0;
	return 1;
}

/* fault_drop - no answer at all. */
static int
fault_drop(struct dns_reply *r, const struct dns_fault *f)
{
	r->action = DNS_ACT_DROP;
	return 1;
}

/* fault_delay - the normal answer, f->ms late. */
static int
fault_delay(struct dns_reply *r, const struct dns_fault *f)
{
	r->delay_ms = f->ms;
	return 0;
}

/* fault_tcp_refuse - UDP: empty truncated answer; TCP: close at once. */
static int
fault_tcp_refuse(struct dns_reply *r, const struct dns_fault *f)
{
	if (r->tcp)
		r->action = DNS_ACT_CLOSE;
	else
		r->tc = 1;
	return 1;
}

/* fault_nxdomain_noproof - NXDOMAIN with the SOA but no NSEC/NSEC3. */
static int
fault_nxdomain_noproof(struct dns_reply *r, const struct dns_fault *f)
{
	r->rcode = LDNS_RCODE_NXDOMAIN;
	r->aa = 1;
	dns_reply_add_soa(r);
	return 1;
}

/* is_rrsig - record is an RRSIG. */
static int
is_rrsig(const ldns_rr *rr)
{
	return ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG;
}

/* is_denial - record is NSEC/NSEC3 or an RRSIG over one of them. */
static int
is_denial(const ldns_rr *rr)
{
	ldns_rr_type t = ldns_rr_get_type(rr);
	const ldns_rdf *tc;

	if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3)
		return 1;
	if (t != LDNS_RR_TYPE_RRSIG ||
	    (tc = ldns_rr_rrsig_typecovered(rr)) == NULL)
		return 0;
	t = ldns_rdf2rr_type(tc);
	return t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3;
}

/* filter - drop from list every record for which drop() says 1. */
static void
filter(ldns_rr_list *list, int (*drop)(const ldns_rr *))
{
	size_t i, j, n = ldns_rr_list_rr_count(list);

	for (i = j = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i);

		if (!drop(rr))
			ldns_rr_list_set_rr(list, rr, j++);
	}
	ldns_rr_list_set_rr_count(list, j);
}

/* fault_strip_rrsig - no RRSIG anywhere in the reply. */
static void
fault_strip_rrsig(struct dns_reply *r, const struct dns_fault *f)
{
	filter(r->answer, is_rrsig);
	filter(r->authority, is_rrsig);
	filter(r->additional, is_rrsig);
}

/* fault_noproof - no NSEC/NSEC3 records (nor their RRSIGs). */
static void
fault_noproof(struct dns_reply *r, const struct dns_fault *f)
{
	filter(r->answer, is_denial);
	filter(r->authority, is_denial);
	filter(r->additional, is_denial);
}

/*
 * fault_malformed - keep the header (so the resolver matches the reply to
 * its query) and the question, then one answer record whose owner is a
 * compression pointer to itself and whose fixed fields are cut short: no
 * parser can read it (RFC 1035 §4.1.4 pointers must point backwards).
 */
static void
fault_malformed(uint8_t *buf, size_t *len, size_t cap)
{
	size_t off = 12, qd;
	uint16_t an;

	if (*len < 12)
		return;
	qd = ((size_t)buf[4] << 8) | buf[5];
	/* skip the question name (uncompressed in our replies) and 4 bytes */
	if (qd > 0) {
		while (off < *len && buf[off] != 0 && (buf[off] & 0xc0) == 0)
			off += (size_t)buf[off] + 1;
		off += 1 + 4;
	}
	if (off > *len || off + 5 > cap)
		off = 12, qd = 0;
	buf[4] = 0;
	buf[5] = (uint8_t)qd;
	an = 1;
	buf[6] = (uint8_t)(an >> 8);
	buf[7] = (uint8_t)an;
	memset(buf + 8, 0, 4);
	buf[off] = (uint8_t)(0xc0 | ((off >> 8) & 0x3f));
	buf[off + 1] = (uint8_t)(off & 0xff);
	buf[off + 2] = 0x00;
	buf[off + 3] = 0x01;
	buf[off + 4] = 0x00;
	*len = off + 5;
}

/* One row per serving-time break of lib/dnsbreak.h, indexed by it. */
static const struct dns_fault_ops fault_table[SCN_BRK__COUNT] = {
    [SCN_BRK_SERVFAIL] = {SCN_BRK_SERVFAIL, fault_servfail, NULL, NULL},
    [SCN_BRK_REFUSED] = {SCN_BRK_REFUSED, fault_refused, NULL, NULL},
    [SCN_BRK_DROP] = {SCN_BRK_DROP, fault_drop, NULL, NULL},
    [SCN_BRK_DELAY] = {SCN_BRK_DELAY, fault_delay, NULL, NULL},
    [SCN_BRK_TCP_REFUSE] = {SCN_BRK_TCP_REFUSE, fault_tcp_refuse, NULL, NULL},
    [SCN_BRK_STRIP_RRSIG] = {SCN_BRK_STRIP_RRSIG, NULL, fault_strip_rrsig,
        NULL},
    [SCN_BRK_NOPROOF] = {SCN_BRK_NOPROOF, NULL, fault_noproof, NULL},
    [SCN_BRK_NXDOMAIN_NOPROOF] = {SCN_BRK_NXDOMAIN_NOPROOF,
        fault_nxdomain_noproof, NULL, NULL},
    [SCN_BRK_MALFORMED] = {SCN_BRK_MALFORMED, NULL, NULL, fault_malformed},
};

const struct dns_fault_ops *
dns_fault_of(enum scn_break b)
{
	const struct dns_fault_ops *ops;

	if ((unsigned)b >= SCN_BRK__COUNT || scn_break_at_signing(b))
		return NULL;
	ops = &fault_table[b];
	if (ops->before == NULL && ops->after == NULL && ops->wire == NULL)
		return NULL;
	return ops;
}

const struct dns_fault_ops *
dns_fault_by_name(const char *name)
{
	int b = scn_break_from_str(name);

	return b < 0 ? NULL : dns_fault_of((enum scn_break)b);
}

const struct dns_fault *
dns_fault_find(const struct dns_fault *faults, size_t n, const ldns_rdf *qname,
    ldns_rr_type qtype)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!faults[i].off &&
		    (faults[i].type == LDNS_RR_TYPE_ANY ||
		        faults[i].type == qtype) &&
		    dns_name_cmp(faults[i].owner, qname) == 0)
			return &faults[i];
	return NULL;
}

void
dns_fault_phase(
    struct dns_fault *faults, size_t n, const struct scn_attempts *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		faults[i].off = !scn_when_holds(&faults[i].when,
		    scn_attempts_get(a, faults[i].scenario), 0);
}
