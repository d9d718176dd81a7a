/*
 * dns_answer.c - authoritative answers from the loaded world, as one pure
 * function of (query packet, world): the lookup algorithm of RFC 1034
 * §4.3.2 (referrals, CNAME, wildcards of RFC 4592), DNSSEC additions of
 * RFC 4035 §3.1 (RRSIGs with DO, NSEC denial §3.1.3, DS from the parent
 * side §3.1.4.1, no-DS proof in referrals §3.1.4), NSEC3 proofs of
 * RFC 5155 §7.2 (closest encloser, NXDOMAIN, NODATA, wildcard, referral),
 * EDNS0 of RFC 6891 (OPT echo, DO, BADVERS, UDP size), truncation of
 * RFC 1035 §4.2.1 / RFC 2181 §9, and the fault hooks of dns_fault.h.
 */
#include "dns_answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_dname.h"
#include "dns_name.h"
#include "dns_wire.h"
#include "xmalloc.h"

/* How many CNAMEs in a row we follow inside one zone. */
#define DNS_CNAME_MAX 8

/* rcode_str - mnemonic of an (extended) RCODE we send. */
static const char *
rcode_str(int rcode)
{
	static const char *names[] = {"NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN"};

	if (rcode >= 0 && rcode < (int)(sizeof(names) / sizeof(names[0])))
		return names[rcode];
	if (rcode == 16)
		return "BADVERS";
	return "RCODE?";
}

/* add_synth - put copies of an RRset owned by name (wildcard expansion,
 * RFC 4592 §3.3.1; RRSIGs keep their labels field, RFC 4035 §5.3.4). */
static void
add_synth(struct dns_reply *r, ldns_rr_list *sec, const struct dns_rrset *s,
    const ldns_rdf *name)
{
	const ldns_rr_list *lists[2] = {s->rrs, s->sigs};
	size_t i, k;

	for (k = 0; k < (r->dnssec_ok ? 2u : 1u); k++)
		for (i = 0; i < ldns_rr_list_rr_count(lists[k]); i++) {
			ldns_rr *c =
			    ldns_rr_clone(ldns_rr_list_rr(lists[k], i));

			ldns_rdf_deep_free(ldns_rr_owner(c));
			ldns_rr_set_owner(c, ldns_rdf_clone(name));
			ldns_rr_list_push_rr(r->owned, c);
			ldns_rr_list_push_rr(sec, c);
		}
}

/* Names below are views (dns_name.h) into the query name, a zone's
 * names or a wildcard buffer on the stack: nothing is allocated for them. */

/* signed_zone - whether denial proofs exist to be given with DO. */
static int
proofs_wanted(const struct dns_reply *r)
{
	return r->dnssec_ok && (r->zone->has_nsec || r->zone->has_nsec3);
}

/* nsec_add_cover - the NSEC at or before name, with its RRSIGs. */
static void
nsec_add_cover(struct dns_reply *r, const ldns_rdf *name)
{
	const struct dns_node *n = dns_zone_nsec_cover(r->zone, name);

	if (n != NULL)
		dns_reply_add_set(
		    r, r->authority, dns_node_rrset(n, LDNS_RR_TYPE_NSEC), 1);
}

/* n3_add - an NSEC3 record and its RRSIGs into the authority section. */
static void
n3_add(struct dns_reply *r, const struct dns_nsec3 *n3)
{
	if (n3 == NULL || dns_list_has(r->authority, n3->rr))
		return;
	ldns_rr_list_push_rr(r->authority, n3->rr);
	dns_list_push(r->authority, n3->sigs);
}

/* n3_match - the NSEC3 matching name, or NULL. */
static const struct dns_nsec3 *
n3_match(const struct dns_zone *z, const ldns_rdf *name)
{
	char h[128];

	if (dns_zone_nsec3_hash(z, name, h, sizeof(h)) == -1)
		return NULL;
	return dns_zone_nsec3_match(z, h);
}

/* n3_cover - the NSEC3 covering (or matching) name's hash, or NULL. */
static const struct dns_nsec3 *
n3_cover(const struct dns_zone *z, const ldns_rdf *name)
{
	char h[128];

	if (dns_zone_nsec3_hash(z, name, h, sizeof(h)) == -1)
		return NULL;
	return dns_zone_nsec3_cover(z, h);
}

/*
 * n3_ce_proof - closest (provable) encloser proof for name (RFC 5155
 * §7.2.1): the NSEC3 matching the closest encloser and the one covering
 * the next closer name. Returns 0 with the closest encloser viewed into
 * *ce, or -1 when none could be proven.
 */
static int
n3_ce_proof(struct dns_reply *r, const ldns_rdf *name, ldns_rdf *ce)
{
	const struct dns_zone *z = r->zone;
	const struct dns_nsec3 *m;
	size_t na = dns_name_labels(z->apex), k = dns_name_labels(name);
	ldns_rdf cur, up;

	dns_name_ancestor(name, k, &cur);
	while (k > na) {
		dns_name_ancestor(name, --k, &up);
		if (dns_zone_exists(z, &up) && (m = n3_match(z, &up)) != NULL) {
			n3_add(r, m);
			n3_add(r, n3_cover(z, &cur));
			*ce = up;
			return 0;
		}
		cur = up;
	}
	return -1;
}

/* nodata_proof - denial of the type at an existing name (RFC 4035
 * §3.1.3.1, RFC 5155 §7.2.3 and §7.2.4 when no NSEC3 matches). */
static void
nodata_proof(struct dns_reply *r, const ldns_rdf *name)
{
	const struct dns_nsec3 *m;
	ldns_rdf ce;

	if (!proofs_wanted(r))
		return;
	if (!r->zone->has_nsec3) {
		nsec_add_cover(r, name);
		return;
	}
	if ((m = n3_match(r->zone, name)) != NULL)
		n3_add(r, m);
	else
		(void)n3_ce_proof(r, name, &ce);
}

/* closest_encloser - view the longest existing ancestor-or-self of name
 * (not above the apex) into *ce. */
static void
closest_encloser(const struct dns_zone *z, const ldns_rdf *name, ldns_rdf *ce)
{
	size_t na = dns_name_labels(z->apex), k = dns_name_labels(name);

	dns_name_ancestor(name, k, ce);
	while (!dns_zone_exists(z, ce) && k > na)
		dns_name_ancestor(name, --k, ce);
}

/* wildcard_answer_proof - qname itself does not exist (RFC 4035
 * §3.1.3.3, RFC 5155 §7.2.6: cover of the next closer name). */
static void
wildcard_answer_proof(
    struct dns_reply *r, const ldns_rdf *qname, const ldns_rdf *ce)
{
	ldns_rdf nc;

	if (!proofs_wanted(r))
		return;
	if (!r->zone->has_nsec3) {
		nsec_add_cover(r, qname);
		return;
	}
	dns_name_ancestor(qname, dns_name_labels(ce) + 1, &nc);
	n3_add(r, n3_cover(r->zone, &nc));
}

/* wildcard_nodata_proof - RFC 4035 §3.1.3.4, RFC 5155 §7.2.5. */
static void
wildcard_nodata_proof(struct dns_reply *r, const ldns_rdf *qname,
    const ldns_rdf *ce, const ldns_rdf *wild)
{
	ldns_rdf nc;

	if (!proofs_wanted(r))
		return;
	if (!r->zone->has_nsec3) {
		nsec_add_cover(r, qname);
		nsec_add_cover(r, wild);
		return;
	}
	n3_add(r, n3_match(r->zone, ce));
	dns_name_ancestor(qname, dns_name_labels(ce) + 1, &nc);
	n3_add(r, n3_cover(r->zone, &nc));
	n3_add(r, n3_match(r->zone, wild));
}

/* nxdomain - name error with its denial (RFC 4035 §3.1.3.2, RFC 5155
 * §7.2.2). */
static void
nxdomain(struct dns_reply *r, const ldns_rdf *qname, const ldns_rdf *ce)
{
	uint8_t buf[DNS_NAME_WILD_MAX];
	ldns_rdf wild, pce;

	r->rcode = LDNS_RCODE_NXDOMAIN;
	r->aa = 1;
	dns_reply_add_soa(r);
	if (!proofs_wanted(r))
		return;
	if (!r->zone->has_nsec3) {
		nsec_add_cover(r, qname);
		dns_name_wildcard(ce, buf, &wild);
		nsec_add_cover(r, &wild);
		return;
	}
	if (n3_ce_proof(r, qname, &pce) == -1)
		return;
	dns_name_wildcard(&pce, buf, &wild);
	n3_add(r, n3_cover(r->zone, &wild));
}

/* add_glue - A and AAAA of the name servers in ns, from the zone. */
static void
add_glue(struct dns_reply *r, const struct dns_rrset *ns)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(ns->rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ns->rrs, i);
		const struct dns_node *n;

		if (ldns_rr_rd_count(rr) < 1)
			continue;
		n = dns_zone_find(r->zone, ldns_rr_rdf(rr, 0));
		dns_reply_add_set(
		    r, r->additional, dns_node_rrset(n, LDNS_RR_TYPE_A), 0);
		dns_reply_add_set(
		    r, r->additional, dns_node_rrset(n, LDNS_RR_TYPE_AAAA), 0);
	}
}

/* referral - delegation at cut: NS, DS or its absence proven, glue
 * (RFC 1034 §4.3.2 step 3b, RFC 4035 §3.1.4, RFC 5155 §7.2.7). */
static void
referral(struct dns_reply *r, const struct dns_node *cut)
{
	const struct dns_rrset *ns = dns_node_rrset(cut, LDNS_RR_TYPE_NS);
	const struct dns_rrset *ds = dns_node_rrset(cut, LDNS_RR_TYPE_DS);

	r->aa = 0;
	dns_reply_add_set(r, r->authority, ns, 0);
	if (ds != NULL && r->dnssec_ok)
		dns_reply_add_set(r, r->authority, ds, 1);
	else if (ds == NULL)
		nodata_proof(r, cut->name);
	add_glue(r, ns);
}

/* find_cut - the topmost delegation (NS below the apex) on the way from
 * the apex to qname; a DS query at the cut itself is the parent's. */
static const struct dns_node *
find_cut(const struct dns_zone *z, const ldns_rdf *qname, ldns_rr_type qtype)
{
	size_t na = dns_name_labels(z->apex), nq = dns_name_labels(qname), k;
	const struct dns_node *n;
	ldns_rdf a;

	for (k = na + 1; k <= nq; k++) {
		dns_name_ancestor(qname, k, &a);
		n = dns_zone_find(z, &a);
		if (n == NULL || dns_node_rrset(n, LDNS_RR_TYPE_NS) == NULL)
			continue;
		if (k == nq && qtype == LDNS_RR_TYPE_DS)
			return NULL;
		return n;
	}
	return NULL;
}

static void lookup(struct dns_reply *r, const ldns_rdf *qname, int depth);

/* answer_node - answer from node for qname (ce non-NULL: node is the
 * wildcard *.ce expanded for qname). */
static void
answer_node(struct dns_reply *r, const struct dns_node *node,
    const ldns_rdf *qname, const ldns_rdf *ce, int depth)
{
	const struct dns_rrset *s, *cn;
	uint8_t buf[DNS_NAME_WILD_MAX];
	ldns_rdf wild;
	size_t i, added = 0;

	r->aa = 1;
	if (r->qtype == LDNS_RR_TYPE_ANY || r->qtype == LDNS_RR_TYPE_RRSIG) {
		for (i = 0; i < node->nsets; i++) {
			s = &node->sets[i];
			if (ldns_rr_list_rr_count(s->rrs) == 0)
				continue;
			if (r->qtype == LDNS_RR_TYPE_RRSIG) {
				added += ldns_rr_list_rr_count(s->sigs);
				dns_list_push(r->answer, s->sigs);
			} else if (ce != NULL) {
				add_synth(r, r->answer, s, qname);
				added++;
			} else {
				dns_reply_add_set(r, r->answer, s, 1);
				added++;
			}
		}
		if (added > 0) {
			if (ce != NULL)
				wildcard_answer_proof(r, qname, ce);
			return;
		}
	} else if ((s = dns_node_rrset(node, r->qtype)) != NULL) {
		if (ce != NULL) {
			add_synth(r, r->answer, s, qname);
			wildcard_answer_proof(r, qname, ce);
		} else
			dns_reply_add_set(r, r->answer, s, 1);
		if (r->qtype == LDNS_RR_TYPE_NS)
			add_glue(r, s);
		return;
	} else if ((cn = dns_node_rrset(node, LDNS_RR_TYPE_CNAME)) != NULL) {
		const ldns_rr *c = ldns_rr_list_rr(cn->rrs, 0);

		if (ce != NULL) {
			add_synth(r, r->answer, cn, qname);
			wildcard_answer_proof(r, qname, ce);
		} else
			dns_reply_add_set(r, r->answer, cn, 1);
		/* RFC 1034 §4.3.2 step 3a: restart with the canonical name. */
		if (ldns_rr_rd_count(c) >= 1 && depth < DNS_CNAME_MAX &&
		    dns_zone_contains(r->zone, ldns_rr_rdf(c, 0)))
			lookup(r, ldns_rr_rdf(c, 0), depth + 1);
		return;
	}
	/* NODATA */
	dns_reply_add_soa(r);
	if (ce == NULL) {
		nodata_proof(r, node->name);
		return;
	}
	dns_name_wildcard(ce, buf, &wild);
	wildcard_nodata_proof(r, qname, ce, &wild);
}

/*
 * dname_answer - qname lies below the DNAME at node (RFC 6672 section 3.2
 * step 3c): the DNAME with its RRSIGs, the synthesised CNAME without any
 * (section 5.3.1), then the lookup goes on with the new name where this
 * zone holds it; YXDOMAIN when the new name would be too long.
 */
static void
dname_answer(struct dns_reply *r, const struct dns_node *node,
    const ldns_rdf *qname, int depth)
{
	const struct dns_rrset *s = dns_node_rrset(node, LDNS_RR_TYPE_DNAME);
	ldns_rr *cn = dns_dname_synth(ldns_rr_list_rr(s->rrs, 0), qname);

	r->aa = 1;
	dns_reply_add_set(r, r->answer, s, 1);
	if (cn == NULL) {
		r->rcode = LDNS_RCODE_YXDOMAIN;
		return;
	}
	ldns_rr_list_push_rr(r->owned, cn);
	ldns_rr_list_push_rr(r->answer, cn);
	if (depth < DNS_CNAME_MAX &&
	    dns_zone_contains(r->zone, ldns_rr_rdf(cn, 0)))
		lookup(r, ldns_rr_rdf(cn, 0), depth + 1);
}

/* lookup - RFC 1034 §4.3.2 step 3 for qname in r->zone. */
static void
lookup(struct dns_reply *r, const ldns_rdf *qname, int depth)
{
	const struct dns_zone *z = r->zone;
	const struct dns_node *cut, *node;
	uint8_t buf[DNS_NAME_WILD_MAX];
	ldns_rdf ce, wild;

	cut = find_cut(z, qname, r->qtype);
	/* a DNAME above qname, not below a delegation (RFC 6672 3.2) */
	if ((node = dns_dname_find(z, qname)) != NULL &&
	    (cut == NULL ||
	        dns_name_labels(node->name) < dns_name_labels(cut->name))) {
		dname_answer(r, node, qname, depth);
		return;
	}
	if (cut != NULL) {
		referral(r, cut);
		return;
	}
	if ((node = dns_zone_find(z, qname)) != NULL) {
		answer_node(r, node, qname, NULL, depth);
		return;
	}
	r->aa = 1;
	if (dns_zone_exists(z, qname)) {
		/* an empty non-terminal: NODATA */
		dns_reply_add_soa(r);
		nodata_proof(r, qname);
		return;
	}
	closest_encloser(z, qname, &ce);
	dns_name_wildcard(&ce, buf, &wild);
	if ((node = dns_zone_find(z, &wild)) != NULL)
		answer_node(r, node, qname, &ce, depth);
	else
		nxdomain(r, qname, &ce);
}

/* select_zone - the zone at addr whose apex most closely encloses qname;
 * for DS at a zone's apex, the parent zone when also served here. */
static const struct dns_wzone *
select_zone(const struct dns_world *w, size_t addr, const ldns_rdf *qname,
    ldns_rr_type qtype)
{
	const struct dns_addr *a = &w->addrs[addr];
	const struct dns_wzone *best = NULL, *parent = NULL;
	size_t i;

	for (i = 0; i < a->nzones; i++) {
		const struct dns_wzone *wz = &w->zones[a->zones[i]];

		if (wz->off || !dns_zone_contains(wz->zone, qname))
			continue;
		if (best == NULL || dns_name_labels(wz->zone->apex) >
		                        dns_name_labels(best->zone->apex))
			best = wz;
	}
	if (best == NULL || qtype != LDNS_RR_TYPE_DS ||
	    dns_name_cmp(best->zone->apex, qname) != 0)
		return best;
	for (i = 0; i < a->nzones; i++) {
		const struct dns_wzone *wz = &w->zones[a->zones[i]];

		if (wz == best || wz->off ||
		    !dns_zone_contains(wz->zone, qname))
			continue;
		if (parent == NULL || dns_name_labels(wz->zone->apex) >
		                          dns_name_labels(parent->zone->apex))
			parent = wz;
	}
	return parent != NULL ? parent : best;
}

/* header_only - a 12-byte reply echoing id, opcode and RD with rcode. */
static void
header_only(struct dns_result *res, const uint8_t *pkt, int rcode)
{
	res->wire = xcalloc(1, 12);
	res->len = 12;
	res->wire[0] = pkt[0];
	res->wire[1] = pkt[1];
	res->wire[2] = (uint8_t)(0x80 | (pkt[2] & 0x79)); /* QR, opcode, RD */
	res->wire[3] = (uint8_t)(rcode & 0x0f);
	res->action = DNS_ACT_REPLY;
	res->rcode = rcode_str(rcode);
}

/* What the answer needs of a query, parsed by parse_fast() or by ldns. */
struct query {
	uint16_t id;
	int rd, cd;
	int edns; /* an OPT record came */
	uint16_t udp_size;
	uint8_t version;
	int dnssec_ok;
	ldns_rdf qname; /* view into the packet or into lq */
	ldns_rr_type qtype;
	ldns_rr_class qclass;
	ldns_pkt *lq; /* owned when ldns parsed the query */
};

/*
 * parse_fast - the usual query: one question with an uncompressed name,
 * nothing else but an OPT record without options. Fills q as
 * ldns_wire2pkt() would (it ignores trailing bytes too) and returns 1;
 * returns 0 for anything else, which ldns then parses.
 */
static int
parse_fast(const uint8_t *pkt, size_t len, struct query *q)
{
	size_t pos = 12, start = 12;
	unsigned ar = (unsigned)pkt[10] << 8 | pkt[11];

	if (pkt[4] != 0 || pkt[5] != 1 || pkt[6] != 0 || pkt[7] != 0 ||
	    pkt[8] != 0 || pkt[9] != 0 || ar > 1)
		return 0;
	while (pos < len && pkt[pos] != 0) {
		if (pkt[pos] > LDNS_MAX_LABELLEN)
			return 0; /* a pointer or a bad length */
		pos += (size_t)pkt[pos] + 1;
	}
	if (pos >= len)
		return 0;
	pos++;
	if (pos - start > LDNS_MAX_DOMAINLEN || pos + 4 > len)
		return 0;
	q->qname._type = LDNS_RDF_TYPE_DNAME;
	q->qname._size = pos - start;
	q->qname._data = (uint8_t *)pkt + start;
	q->qtype = (ldns_rr_type)((unsigned)pkt[pos] << 8 | pkt[pos + 1]);
	q->qclass = (ldns_rr_class)((unsigned)pkt[pos + 2] << 8 | pkt[pos + 3]);
	pos += 4;
	if (ar == 1) {
		/* owner ".", type OPT, class, TTL, RDLENGTH 0 (RFC 6891 §6.1.2)
		 */
		if (pos + 11 > len || pkt[pos] != 0 || pkt[pos + 1] != 0 ||
		    pkt[pos + 2] != LDNS_RR_TYPE_OPT || pkt[pos + 9] != 0 ||
		    pkt[pos + 10] != 0)
			return 0;
		q->edns = 1;
		q->udp_size = (uint16_t)(pkt[pos + 3] << 8 | pkt[pos + 4]);
		q->version = pkt[pos + 6];
		q->dnssec_ok = (pkt[pos + 7] & 0x80) != 0;
	}
	q->id = (uint16_t)(pkt[0] << 8 | pkt[1]);
	q->rd = pkt[2] & 0x01;
	q->cd = (pkt[3] & 0x10) != 0;
	return 1;
}

/* from_ldns - fill q from the packet ldns parsed (q->lq). */
static void
from_ldns(struct query *q)
{
	const ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(q->lq), 0);

	q->id = ldns_pkt_id(q->lq);
	q->rd = ldns_pkt_rd(q->lq);
	q->cd = ldns_pkt_cd(q->lq);
	q->edns = ldns_pkt_edns(q->lq);
	q->udp_size = ldns_pkt_edns_udp_size(q->lq);
	q->version = ldns_pkt_edns_version(q->lq);
	q->dnssec_ok = ldns_pkt_edns_do(q->lq);
	q->qname = *ldns_rr_owner(qrr);
	q->qtype = ldns_rr_get_type(qrr);
	q->qclass = ldns_rr_get_class(qrr);
}

/* put_list - every record of a section. */
static void
put_list(struct dns_wire *dw, const ldns_rr_list *l)
{
	size_t i, n = ldns_rr_list_rr_count(l);

	for (i = 0; i < n; i++)
		dns_wire_rr(dw, ldns_rr_list_rr(l, i), 0);
}

/*
 * encode - the reply r to query q as wire bytes into buf (at most cap);
 * with empty = 1 the three sections are left out. Returns the length, or
 * -1 when it does not fit.
 */
static long
encode(const struct dns_reply *r, const struct query *q, int empty, int tc,
    uint8_t *buf, size_t cap)
{
	struct dns_wire dw;
	int edns = q->edns;
	size_t an = empty ? 0 : ldns_rr_list_rr_count(r->answer);
	size_t ns = empty ? 0 : ldns_rr_list_rr_count(r->authority);
	size_t ar = empty ? 0 : ldns_rr_list_rr_count(r->additional);

	dns_wire_init(&dw, buf, cap);
	/* QR, opcode QUERY, AA, TC, RD; RA and AD clear, CD echoed */
	dns_wire_header(&dw, q->id,
	    (uint8_t)(0x80 | (r->aa ? 0x04 : 0) | (tc ? 0x02 : 0) |
	              (q->rd ? 0x01 : 0)),
	    (uint8_t)((q->cd ? 0x10 : 0) | (r->rcode & 0x0f)), 1, (uint16_t)an,
	    (uint16_t)ns, (uint16_t)(ar + (edns ? 1 : 0)));
	dns_wire_question(&dw, &q->qname, q->qtype, q->qclass);
	if (!empty) {
		put_list(&dw, r->answer);
		put_list(&dw, r->authority);
		put_list(&dw, r->additional);
	}
	if (edns)
		dns_wire_opt(
		    &dw, DNS_UDP_MAX, (uint8_t)(r->rcode >> 4), q->dnssec_ok);
	return dns_wire_finish(&dw);
}

/* udp_limit - the reply size the client can take over UDP. */
static size_t
udp_limit(const struct query *q)
{
	size_t n;

	if (!q->edns)
		return DNS_UDP_PLAIN;
	n = q->udp_size;
	if (n < DNS_UDP_PLAIN)
		n = DNS_UDP_PLAIN;
	return n > DNS_UDP_MAX ? DNS_UDP_MAX : n;
}

/* finish - encode r into res, truncating when it does not fit, then let
 * the fault garble the bytes. */
static void
finish(struct dns_result *res, const struct dns_reply *r, const struct query *q,
    const struct dns_fault *f)
{
	size_t limit = r->tcp ? 65535 : udp_limit(q), cap;
	uint8_t buf[65535];
	int tc = r->tc;
	long len;

	if ((len = encode(r, q, tc, tc, buf, limit)) == -1) {
		tc = 1;
		if ((len = encode(r, q, 1, 1, buf, limit)) == -1) {
			res->action = DNS_ACT_DROP;
			snprintf(res->error, sizeof(res->error),
			    "cannot encode the reply");
			return;
		}
	}
	cap = (size_t)len + 300;
	res->wire = xmalloc(cap);
	memcpy(res->wire, buf, (size_t)len);
	res->len = (size_t)len;
	res->tc = tc;
	res->answers = tc ? 0 : (int)ldns_rr_list_rr_count(r->answer);
	res->rcode = rcode_str(r->rcode);
	if (f != NULL && f->ops->wire != NULL)
		f->ops->wire(res->wire, &res->len, cap);
}

/* name_text - a name in presentation format as ldns_rdf2str() writes it
 * (special characters escaped with a backslash, others as \DDD). */
static void
name_text(const ldns_rdf *name, char *out, size_t outsz)
{
	const uint8_t *d = ldns_rdf_data(name);
	size_t size = ldns_rdf_size(name), pos = 0, o = 0, i;
	uint8_t len = d[0], c;

	if (size > LDNS_MAX_DOMAINLEN || outsz < 4 * LDNS_MAX_DOMAINLEN + 2) {
		snprintf(out, outsz, "?");
		return;
	}
	if (size == 1)
		out[o++] = '.';
	while (len > 0 && pos < size) {
		pos++;
		for (i = 0; i < len; i++, pos++) {
			c = d[pos];
			if (c == '.' || c == ';' || c == '(' || c == ')' ||
			    c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c < 0x21 || c > 0x7e) {
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + c / 10 % 10);
				out[o++] = (char)('0' + c % 10);
			} else
				out[o++] = (char)c;
		}
		if (pos < size)
			out[o++] = '.';
		len = d[pos];
	}
	out[o] = '\0';
}

/* type_text - the mnemonic of a type as ldns_rr_type2str() writes it:
 * the query-only types by name, others from the ldns descriptor. */
static void
type_text(ldns_rr_type t, char *out, size_t outsz)
{
	static const struct {
		ldns_rr_type type;
		const char *name;
	} qtypes[] = {{LDNS_RR_TYPE_IXFR, "IXFR"}, {LDNS_RR_TYPE_AXFR, "AXFR"},
	    {LDNS_RR_TYPE_MAILA, "MAILA"}, {LDNS_RR_TYPE_MAILB, "MAILB"},
	    {LDNS_RR_TYPE_ANY, "ANY"}};
	const ldns_rr_descriptor *d = ldns_rr_descript((uint16_t)t);
	size_t i;

	for (i = 0; i < sizeof(qtypes) / sizeof(qtypes[0]); i++)
		if (qtypes[i].type == t) {
			snprintf(out, outsz, "%s", qtypes[i].name);
			return;
		}
	if (d != NULL && d->_name != NULL)
		snprintf(out, outsz, "%s", d->_name);
	else
		snprintf(out, outsz, "TYPE%u", (unsigned)t);
}

/* describe_query - fill the log fields of res from the question. */
static void
describe_query(struct dns_result *res, const struct query *q)
{
	res->has_query = 1;
	name_text(&q->qname, res->qname, sizeof(res->qname));
	type_text(q->qtype, res->qtype, sizeof(res->qtype));
	res->dnssec_ok = q->dnssec_ok;
	res->cd = q->cd;
}

void
dns_answer_build(const struct dns_world *w, size_t addr, int tcp,
    const uint8_t *pkt, size_t len, struct dns_result *res)
{
	struct dns_reply r;
	const struct dns_wzone *wz;
	const struct dns_fault *f = NULL;
	struct query q;
	ldns_status st;
	int opcode;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	memset(&q, 0, sizeof(q));
	res->action = DNS_ACT_DROP;
	if (len < 12) {
		snprintf(res->error, sizeof(res->error),
		    "FORMERR: %zu bytes, shorter than a header", len);
		return;
	}
	res->id = (uint16_t)((pkt[0] << 8) | pkt[1]);
	if (pkt[2] & 0x80) {
		/* never answer a response: two servers could loop */
		snprintf(res->error, sizeof(res->error),
		    "FORMERR: a response packet (QR=1), dropped");
		return;
	}
	opcode = (pkt[2] >> 3) & 0x0f;
	if (opcode != LDNS_PACKET_QUERY) {
		header_only(res, pkt, LDNS_RCODE_NOTIMPL);
		snprintf(res->error, sizeof(res->error), "NOTIMP: opcode %d",
		    opcode);
		return;
	}
	if (!parse_fast(pkt, len, &q)) {
		if ((st = ldns_wire2pkt(&q.lq, pkt, len)) != LDNS_STATUS_OK) {
			header_only(res, pkt, LDNS_RCODE_FORMERR);
			snprintf(res->error, sizeof(res->error), "FORMERR: %s",
			    ldns_get_errorstr_by_id(st));
			return;
		}
		if (ldns_pkt_qdcount(q.lq) != 1 ||
		    ldns_rr_list_rr_count(ldns_pkt_question(q.lq)) != 1) {
			header_only(res, pkt, LDNS_RCODE_FORMERR);
			snprintf(res->error, sizeof(res->error),
			    "FORMERR: %u questions",
			    (unsigned)ldns_pkt_qdcount(q.lq));
			goto out;
		}
		from_ldns(&q);
	}
	describe_query(res, &q);
	res->action = DNS_ACT_REPLY;

	r.qname = &q.qname;
	r.qtype = q.qtype;
	r.tcp = tcp;
	r.dnssec_ok = q.dnssec_ok;
	r.action = DNS_ACT_REPLY;
	r.rcode = LDNS_RCODE_NOERROR;
	r.answer = ldns_rr_list_new();
	r.authority = ldns_rr_list_new();
	r.additional = ldns_rr_list_new();
	r.owned = ldns_rr_list_new();

	if (q.edns && q.version != 0) {
		r.rcode = 16; /* BADVERS, RFC 6891 §6.1.3 */
		finish(res, &r, &q, NULL);
		goto out;
	}
	if (q.qclass != LDNS_RR_CLASS_IN || r.qtype == LDNS_RR_TYPE_AXFR ||
	    r.qtype == LDNS_RR_TYPE_IXFR || r.qtype == LDNS_RR_TYPE_MAILA ||
	    r.qtype == LDNS_RR_TYPE_MAILB || r.qtype == LDNS_RR_TYPE_OPT ||
	    addr >= w->naddrs ||
	    (wz = select_zone(w, addr, r.qname, r.qtype)) == NULL) {
		r.rcode = LDNS_RCODE_REFUSED;
		finish(res, &r, &q, NULL);
		goto out;
	}
	r.zone = wz->zone;
	res->zone = wz->zone->name;
	res->scenario = wz->scenario;

	f = dns_fault_find(w->faults, w->nfaults, r.qname, r.qtype);
	if (f != NULL)
		res->fault = scn_break_str(f->ops->what);
	if (f == NULL || f->ops->before == NULL || !f->ops->before(&r, f))
		lookup(&r, r.qname, 0);
	if (f != NULL && f->ops->after != NULL)
		f->ops->after(&r, f);
	res->delay_ms = r.delay_ms;
	res->action = r.action;
	if (r.action == DNS_ACT_REPLY)
		finish(res, &r, &q, f);
	else
		res->rcode = NULL;
out:
	if (r.answer != NULL) {
		ldns_rr_list_free(r.answer);
		ldns_rr_list_free(r.authority);
		ldns_rr_list_free(r.additional);
		ldns_rr_list_deep_free(r.owned);
	}
	ldns_pkt_free(q.lq);
}

void
dns_result_free(struct dns_result *res)
{
	free(res->wire);
	res->wire = NULL;
	res->len = 0;
}
