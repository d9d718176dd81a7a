/*
 * test_fakedns.c - the fakedns answer builder without sockets: zone
 * loading, referrals (with DS; unsigned with NSEC and NSEC3 no-DS
 * proofs), NODATA and NXDOMAIN with NSEC and NSEC3, CNAME, wildcards,
 * truncation, every fault, garbage input, the configuration reader and
 * the query-log line; the fast paths against ldns (names, log text, the
 * wire encoder) and the golden answers. Zones:
 * tests/data/fakedns/example.zone (NSEC) and example3.zone (NSEC3), signed
 * with ldns-signzone.
 */
#include "unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "fakedns/dns_answer.h"
#include "fakedns/dns_log.h"
#include "fakedns/dns_name.h"
#include "fakedns/dns_wire.h"
#include "fakedns/dns_world.h"
#include "fakedns/dns_zone.h"

static struct dns_world *tw; /* example. at 192.0.2.1, example3. at .3 */

/* load - a zone from tests/data/fakedns or fail the suite. */
static struct dns_zone *
load(const char *file, const char *apex)
{
	char path[4096], err[512];
	struct dns_zone *z;

	snprintf(path, sizeof(path), "%s", unit_data_path("fakedns"));
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/%s", file);
	z = dns_zone_load(path, apex, err, sizeof(err));
	if (z == NULL)
		fprintf(stderr, "load %s: %s\n", file, err);
	return z;
}

/* suite_init - the world the tests query. */
static int
suite_init(void)
{
	char err[256];
	struct dns_zone *a = load("example.zone", "example."),
	                *b = load("example3.zone", "example3."),
	                *c = load("child.zone", "signed.example."),
	                *d = load("example.zone", "example.");

	if (a == NULL || b == NULL || c == NULL || d == NULL) {
		dns_zone_free(a);
		dns_zone_free(b);
		dns_zone_free(c);
		dns_zone_free(d);
		return 1;
	}
	tw = dns_world_new_empty();
	if (dns_world_add_zone(
	        tw, a, "192.0.2.1", "scn-a", NULL, err, sizeof(err)) ||
	    dns_world_add_zone(
	        tw, b, "192.0.2.3", NULL, NULL, err, sizeof(err)) ||
	    dns_world_add_zone(
	        tw, c, "192.0.2.4", NULL, NULL, err, sizeof(err)) ||
	    dns_world_add_zone(
	        tw, d, "192.0.2.4", NULL, NULL, err, sizeof(err)))
		return 1;
	if (dns_world_add_fault(tw, "sf.example.", "A", "servfail", 0, NULL,
	        err, sizeof(err)) ||
	    dns_world_add_fault(tw, "mx1.example.", "TXT", "refused", 0, NULL,
	        err, sizeof(err)) ||
	    dns_world_add_fault(tw, "mx1.example.", "SSHFP", "drop", 0, NULL,
	        err, sizeof(err)) ||
	    dns_world_add_fault(tw, "mx1.example.", "A", "delay", 1500, "scn-d",
	        err, sizeof(err)) ||
	    dns_world_add_fault(tw, "big.example.", "TXT", "tcp-refuse", 0,
	        NULL, err, sizeof(err)) ||
	    dns_world_add_fault(tw, "_25._tcp.mx1.example.", "ANY",
	        "strip-rrsig", 0, NULL, err, sizeof(err)) ||
	    dns_world_add_fault(tw, "nope.example.", "A", "noproof", 0, NULL,
	        err, sizeof(err)) ||
	    dns_world_add_fault(tw, "www.example.", "A", "nxdomain-noproof", 0,
	        NULL, err, sizeof(err)) ||
	    dns_world_add_fault(tw, "mx1.example", "AAAA", "malformed", 0, NULL,
	        err, sizeof(err))) {
		fprintf(stderr, "fault: %s\n", err);
		return 1;
	}
	return 0;
}

static int
suite_clean(void)
{
	dns_world_free(tw);
	return 0;
}

/* query_wire - a query for name/type (class IN unless cls), EDNS with
 * DO when edns is 2, EDNS without DO when 1, none when 0. */
static uint8_t *
query_wire(const char *name, ldns_rr_type type, int edns, ldns_rr_class cls,
    size_t *len)
{
	ldns_pkt *q = NULL;
	uint8_t *w = NULL;

	if (ldns_pkt_query_new_frm_str(&q, name, type, cls, 0) !=
	    LDNS_STATUS_OK)
		return NULL;
	ldns_pkt_set_id(q, 4242);
	if (edns > 0) {
		ldns_pkt_set_edns_udp_size(q, 4096);
		ldns_pkt_set_edns_do(q, edns == 2);
	}
	if (ldns_pkt2wire(&w, q, len) != LDNS_STATUS_OK)
		w = NULL;
	ldns_pkt_free(q);
	return w;
}

/* ask - answer a query at address index addr; returns the parsed reply
 * (caller frees) or NULL when nothing (or garbage) was sent. */
static ldns_pkt *
ask(size_t addr, int tcp, const char *name, ldns_rr_type type, int edns,
    struct dns_result *res)
{
	uint8_t *w;
	size_t len = 0;
	ldns_pkt *p = NULL;

	w = query_wire(name, type, edns, LDNS_RR_CLASS_IN, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	dns_answer_build(tw, addr, tcp, w, len, res);
	free(w);
	if (res->action != DNS_ACT_REPLY || res->wire == NULL)
		return NULL;
	if (ldns_wire2pkt(&p, res->wire, res->len) != LDNS_STATUS_OK)
		return NULL;
	return p;
}

/* count - records of type in section list (0 = any type). */
static size_t
count(const ldns_rr_list *l, ldns_rr_type type)
{
	size_t i, n = 0;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++)
		if (type == 0 ||
		    ldns_rr_get_type(ldns_rr_list_rr(l, i)) == type)
			n++;
	return n;
}

/* has_owner - some record of type in l is owned by name. */
static int
has_owner(const ldns_rr_list *l, ldns_rr_type type, const char *name)
{
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	size_t i;
	int found = 0;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);

		if (ldns_rr_get_type(rr) == type &&
		    ldns_dname_compare(ldns_rr_owner(rr), d) == 0)
			found = 1;
	}
	ldns_rdf_deep_free(d);
	return found;
}

/* n3_owner - "<hash of name>.<zone>" in zone z as text. */
static void
n3_owner(const struct dns_zone *z, const char *name, char *out, size_t sz)
{
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	char h[128];

	CU_ASSERT_EQUAL(dns_zone_nsec3_hash(z, d, h, sizeof(h)), 0);
	snprintf(out, sz, "%s.%s", h, z->name);
	ldns_rdf_deep_free(d);
}

/* test_zone_load - the zone's shape after loading. */
static void
test_zone_load(void)
{
	const struct dns_zone *z = tw->zones[0].zone, *z3 = tw->zones[1].zone;
	ldns_rdf *d;
	char err[512];

	CU_ASSERT_STRING_EQUAL(z->name, "example.");
	CU_ASSERT_TRUE(z->has_dnskey);
	CU_ASSERT_TRUE(z->has_nsec);
	CU_ASSERT_FALSE(z->has_nsec3);
	CU_ASSERT_TRUE(z3->has_nsec3);
	CU_ASSERT_EQUAL(z3->n3_iter, 0);
	CU_ASSERT_EQUAL(z3->n3_saltlen, 0);
	CU_ASSERT_TRUE(z3->nn3 > 5);
	d = ldns_dname_new_frm_str("_tcp.mx1.example.");
	CU_ASSERT_PTR_NULL(dns_zone_find(z, d));
	CU_ASSERT_TRUE(dns_zone_exists(z, d)); /* empty non-terminal */
	ldns_rdf_deep_free(d);
	d = ldns_dname_new_frm_str("MX1.Example.");
	CU_ASSERT_PTR_NOT_NULL(
	    dns_node_rrset(dns_zone_find(z, d), LDNS_RR_TYPE_A));
	CU_ASSERT_PTR_NULL(
	    dns_node_rrset(dns_zone_find(z, d), LDNS_RR_TYPE_TXT));
	ldns_rdf_deep_free(d);
	d = ldns_dname_new_frm_str("nothing.example.");
	CU_ASSERT_FALSE(dns_zone_exists(z, d));
	ldns_rdf_deep_free(d);
	/* bad files are refused with a reason naming the file */
	CU_ASSERT_PTR_NULL(
	    dns_zone_load("/nonexistent/x.zone", "x.", err, sizeof(err)));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.zone"));
	CU_ASSERT_PTR_NULL(load("bad-nosoa.zone", "example."));
	CU_ASSERT_PTR_NULL(load("bad-outside.zone", "example."));
	CU_ASSERT_PTR_NULL(load("example.zone", "other."));
	CU_ASSERT_PTR_NULL(load("example.zone", "bad..name"));
	/* the apex may be written without its final dot */
	z3 = load("child.zone", "signed.example");
	CU_ASSERT_PTR_NOT_NULL(z3);
	dns_zone_free((struct dns_zone *)z3);
}

/* test_positive - an answer with and without DO. */
static void
test_positive(void)
{
	struct dns_result res;
	ldns_pkt *p;

	p = ask(0, 0, "_25._tcp.mx1.example.", LDNS_RR_TYPE_MX, 2, &res);
	dns_result_free(&res);
	ldns_pkt_free(p);
	p = ask(0, 0, "example.", LDNS_RR_TYPE_MX, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(ldns_pkt_id(p), 4242);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_MX), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG), 1);
	CU_ASSERT_TRUE(ldns_pkt_edns_do(p));
	CU_ASSERT_EQUAL(ldns_pkt_edns_udp_size(p), DNS_UDP_MAX);
	CU_ASSERT_STRING_EQUAL(res.rcode, "NOERROR");
	CU_ASSERT_STRING_EQUAL(res.zone, "example.");
	CU_ASSERT_STRING_EQUAL(res.scenario, "scn-a");
	CU_ASSERT_EQUAL(res.answers, 2);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* no DO: no RRSIG; no EDNS: no OPT */
	p = ask(0, 0, "example.", LDNS_RR_TYPE_MX, 0, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 1);
	CU_ASSERT_FALSE(ldns_pkt_edns(p));
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* the NS query at the apex carries glue */
	p = ask(0, 0, "example.", LDNS_RR_TYPE_NS, 1, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_NS), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG), 0);
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_additional(p), LDNS_RR_TYPE_A, "ns.example."));
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_referral_ds - delegation to a signed child: NS, DS + RRSIG, glue,
 * AA clear. */
static void
test_referral_ds(void)
{
	struct dns_result res;
	ldns_pkt *p;

	p = ask(0, 0, "host.signed.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_FALSE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 0);
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_authority(p), LDNS_RR_TYPE_NS, "signed.example."));
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_authority(p), LDNS_RR_TYPE_DS, "signed.example."));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 0);
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_additional(p), LDNS_RR_TYPE_A, "ns.signed.example."));
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* the DS query at the cut is the parent's: answered, AA */
	p = ask(0, 0, "signed.example.", LDNS_RR_TYPE_DS, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_DS), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* a server with parent and child: DS from the parent, SOA from the
	 * child */
	p = ask(2, 0, "signed.example.", LDNS_RR_TYPE_DS, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_DS), 1);
	CU_ASSERT_STRING_EQUAL(res.zone, "example.");
	ldns_pkt_free(p);
	dns_result_free(&res);
	p = ask(2, 0, "host.signed.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_A), 1);
	CU_ASSERT_STRING_EQUAL(res.zone, "signed.example.");
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_referral_unsigned - no DS: the NSEC (NSEC3) of the cut proves it. */
static void
test_referral_unsigned(void)
{
	struct dns_result res;
	char owner[256];
	ldns_pkt *p;

	p = ask(0, 0, "www.unsigned.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_DS), 0);
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC, "unsigned.example."));
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG, "unsigned.example."));
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_additional(p), LDNS_RR_TYPE_A, "ns.unsigned.example."));
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* without DO: no proof */
	p = ask(0, 0, "www.unsigned.example.", LDNS_RR_TYPE_A, 1, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 0);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NS), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* NSEC3: the NSEC3 matching the cut */
	p = ask(1, 0, "www.unsigned.example3.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	n3_owner(tw->zones[1].zone, "unsigned.example3.", owner, sizeof(owner));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, owner));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_DS), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_nsec_denial - NODATA and NXDOMAIN with NSEC. */
static void
test_nsec_denial(void)
{
	struct dns_result res;
	ldns_pkt *p;

	p = ask(0, 0, "mx1.example.", LDNS_RR_TYPE_TLSA, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 0);
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_SOA, "example."));
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC, "mx1.example."));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG), 2);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* empty non-terminal: NODATA, the NSEC before it */
	p = ask(0, 0, "_tcp.mx1.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* NXDOMAIN: the NSEC covering the name and the one covering *.example
	 */
	p = ask(0, 0, "nx.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_STRING_EQUAL(res.rcode, "NXDOMAIN");
	/* ns.example. NSEC covers nx.example.; example. NSEC covers
	 * *.example. */
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC, "ns.example."));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC, "example."));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 2);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG), 3);
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_nsec3_denial - NODATA and NXDOMAIN with NSEC3 (RFC 5155 §7.2). */
static void
test_nsec3_denial(void)
{
	const struct dns_zone *z = tw->zones[1].zone;
	struct dns_result res;
	char own[256];
	ldns_pkt *p;

	p = ask(1, 0, "mx1.example3.", LDNS_RR_TYPE_TLSA, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 0);
	n3_owner(z, "mx1.example3.", own, sizeof(own));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, own));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* NXDOMAIN: closest encloser (example3.) matched, next closer
	 * (nx.example3.) and wildcard (*.example3.) covered */
	p = ask(1, 0, "a.nx.example3.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	n3_owner(z, "example3.", own, sizeof(own));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, own));
	CU_ASSERT_TRUE(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3) >= 2);
	CU_ASSERT_TRUE(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3) <= 3);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG),
	    count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3) + 1);
	/* none of them may match the next closer or the name */
	n3_owner(z, "nx.example3.", own, sizeof(own));
	CU_ASSERT_FALSE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, own));
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* wildcard NODATA: closest encloser, next closer, wildcard */
	p = ask(1, 0, "x.wild.example3.", LDNS_RR_TYPE_MX, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	n3_owner(z, "*.wild.example3.", own, sizeof(own));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, own));
	n3_owner(z, "wild.example3.", own, sizeof(own));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3, own));
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_cname - the CNAME and its target from the same zone. */
static void
test_cname(void)
{
	struct dns_result res;
	ldns_pkt *p;

	p = ask(0, 0, "www.example.", LDNS_RR_TYPE_AAAA, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_answer(p), LDNS_RR_TYPE_CNAME, "www.example."));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_answer(p), LDNS_RR_TYPE_AAAA, "mx1.example."));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG), 2);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* the CNAME itself */
	p = ask(0, 0, "www.example.", LDNS_RR_TYPE_CNAME, 0, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* dname_ask - a query to a world of dname.zone alone; NULL on no reply. */
static ldns_pkt *
dname_ask(const struct dns_world *w, const char *name, ldns_rr_type type,
    struct dns_result *res)
{
	uint8_t *q;
	size_t len = 0;
	ldns_pkt *p = NULL;

	q = query_wire(name, type, 2, LDNS_RR_CLASS_IN, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	dns_answer_build(w, 0, 1, q, len, res);
	free(q);
	if (res->action == DNS_ACT_REPLY && res->wire != NULL &&
	    ldns_wire2pkt(&p, res->wire, res->len) != LDNS_STATUS_OK)
		p = NULL;
	return p;
}

/* cname_to - the target of the CNAME owned by name in l, as text (caller
 * frees), or NULL; *ttl its TTL. */
static char *
cname_to(const ldns_rr_list *l, const char *name, uint32_t *ttl)
{
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	char *out = NULL;
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
		    ldns_dname_compare(ldns_rr_owner(rr), d) == 0) {
			out = ldns_rdf2str(ldns_rr_rdf(rr, 0));
			*ttl = ldns_rr_ttl(rr);
		}
	}
	ldns_rdf_deep_free(d);
	return out;
}

/* test_dname - RFC 6672 section 3.2: the DNAME, the synthesised CNAME
 * (the DNAME's TTL, section 3.1) and the target's answer from the same
 * zone; YXDOMAIN when the new name is too long (section 2.2). */
static void
test_dname(void)
{
	char err[256], *t;
	struct dns_zone *z = load("dname.zone", "dn.");
	struct dns_world *w;
	struct dns_result res;
	ldns_pkt *p;
	uint32_t ttl = 0;
	char longq[300];

	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	w = dns_world_new_empty();
	CU_ASSERT_EQUAL_FATAL(
	    dns_world_add_zone(w, z, "192.0.2.9", NULL, NULL, err, sizeof(err)),
	    0);

	p = dname_ask(w, "mx1.old.dn.", LDNS_RR_TYPE_A, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_answer(p), LDNS_RR_TYPE_DNAME, "old.dn."));
	t = cname_to(ldns_pkt_answer(p), "mx1.old.dn.", &ttl);
	CU_ASSERT_STRING_EQUAL(t != NULL ? t : "", "mx1.new.dn.");
	CU_ASSERT_EQUAL(ttl, 600);
	free(t);
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_answer(p), LDNS_RR_TYPE_A, "mx1.new.dn."));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 3);
	ldns_pkt_free(p);
	dns_result_free(&res);

	p = dname_ask(w, "_25._tcp.MX1.old.dn.", LDNS_RR_TYPE_TLSA, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_answer(p), LDNS_RR_TYPE_TLSA, "_25._tcp.mx1.new.dn."));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_CNAME), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);

	/* the DNAME's own name is not redirected */
	p = dname_ask(w, "old.dn.", LDNS_RR_TYPE_DNAME, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);

	/* a name missing at the target: NXDOMAIN after DNAME and CNAME */
	p = dname_ask(w, "nope.old.dn.", LDNS_RR_TYPE_A, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 2);
	ldns_pkt_free(p);
	dns_result_free(&res);

	/* a target outside the zone: DNAME and CNAME only */
	p = dname_ask(w, "x.out.dn.", LDNS_RR_TYPE_A, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	t = cname_to(ldns_pkt_answer(p), "x.out.dn.", &ttl);
	CU_ASSERT_STRING_EQUAL(t != NULL ? t : "", "x.elsewhere.test.");
	free(t);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 2);
	ldns_pkt_free(p);
	dns_result_free(&res);

	/* 64 octets kept + a 248-octet target > 255: YXDOMAIN, DNAME only */
	memset(longq, 'q', 63);
	snprintf(longq + 63, sizeof(longq) - 63, ".s.dn.");
	p = dname_ask(w, longq, LDNS_RR_TYPE_A, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_YXDOMAIN);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_DNAME), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_CNAME), 0);
	CU_ASSERT_STRING_EQUAL(res.rcode, "YXDOMAIN");
	ldns_pkt_free(p);
	dns_result_free(&res);
	dns_world_free(w);
}

/* test_wildcard - expansion to the query name with its NSEC proof. */
static void
test_wildcard(void)
{
	struct dns_result res;
	const ldns_rr *sig = NULL;
	ldns_pkt *p;
	size_t i;

	p = ask(0, 0, "a.b.wild.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NOERROR);
	CU_ASSERT_TRUE(
	    has_owner(ldns_pkt_answer(p), LDNS_RR_TYPE_A, "a.b.wild.example."));
	for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_answer(p)); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_answer(p), i)) ==
		    LDNS_RR_TYPE_RRSIG)
			sig = ldns_rr_list_rr(ldns_pkt_answer(p), i);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sig);
	/* the RRSIG labels field still counts the wildcard's labels (2) */
	CU_ASSERT_EQUAL(ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig)), 2);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* NSEC3: one NSEC3 covering the next closer (b.wild.example3.) */
	p = ask(1, 0, "a.b.wild.example3.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(has_owner(
	    ldns_pkt_answer(p), LDNS_RR_TYPE_A, "a.b.wild.example3."));
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_truncation - over 1232 bytes (512 without EDNS) UDP is cut. */
static void
test_truncation(void)
{
	struct dns_result res;
	ldns_pkt *p;

	p = ask(0, 0, "big.example.", LDNS_RR_TYPE_A, 2, &res);
	ldns_pkt_free(p);
	dns_result_free(&res);
	p = ask(0, 0, "big.example.", LDNS_RR_TYPE_ANY, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(ldns_pkt_tc(p));
	CU_ASSERT_TRUE(res.tc);
	CU_ASSERT_TRUE(res.len <= DNS_UDP_MAX);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 0);
	CU_ASSERT_TRUE(ldns_pkt_edns(p));
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* over TCP it all comes */
	p = ask(0, 1, "big.example.", LDNS_RR_TYPE_ANY, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(ldns_pkt_tc(p));
	CU_ASSERT_TRUE(res.len > DNS_UDP_MAX);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_TXT), 12);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* no EDNS: 512 bytes; the DNSKEY RRset with no DO still fits */
	p = ask(0, 0, "example.", LDNS_RR_TYPE_ANY, 0, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(res.len <= DNS_UDP_PLAIN);
	ldns_pkt_free(p);
	dns_result_free(&res);
	p = ask(0, 0, "example.", LDNS_RR_TYPE_ANY, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(res.len <= DNS_UDP_MAX);
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* test_faults - each fault of the table does what it says. */
static void
test_faults(void)
{
	struct dns_result res;
	ldns_pkt *p;

	p = ask(0, 0, "sf.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	CU_ASSERT_STRING_EQUAL(res.fault, "servfail");
	ldns_pkt_free(p);
	dns_result_free(&res);

	p = ask(0, 0, "mx1.example.", LDNS_RR_TYPE_TXT, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), 0), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);

	p = ask(0, 0, "mx1.example.", LDNS_RR_TYPE_SSHFP, 2, &res);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(res.action, DNS_ACT_DROP);
	CU_ASSERT_PTR_NULL(res.wire);
	CU_ASSERT_STRING_EQUAL(res.fault, "drop");
	dns_result_free(&res);

	p = ask(0, 0, "mx1.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(res.delay_ms, 1500);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_A), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);

	p = ask(0, 0, "big.example.", LDNS_RR_TYPE_TXT, 0, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(ldns_pkt_tc(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);
	p = ask(0, 1, "big.example.", LDNS_RR_TYPE_TXT, 0, &res);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(res.action, DNS_ACT_CLOSE);
	dns_result_free(&res);

	p = ask(0, 0, "_25._tcp.mx1.example.", LDNS_RR_TYPE_TLSA, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_TLSA), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), LDNS_RR_TYPE_RRSIG), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* strip-rrsig on ANY type also strips from a NODATA */
	p = ask(0, 0, "_25._tcp.mx1.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);

	p = ask(0, 0, "nope.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_SOA), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 0);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_RRSIG), 1);
	ldns_pkt_free(p);
	dns_result_free(&res);

	p = ask(0, 0, "www.example.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	CU_ASSERT_TRUE(ldns_pkt_aa(p));
	CU_ASSERT_EQUAL(count(ldns_pkt_answer(p), 0), 0);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_SOA), 1);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC), 0);
	CU_ASSERT_EQUAL(count(ldns_pkt_authority(p), LDNS_RR_TYPE_NSEC3), 0);
	ldns_pkt_free(p);
	dns_result_free(&res);

	/* malformed: bytes come, with our id, but do not parse */
	p = ask(0, 0, "mx1.example.", LDNS_RR_TYPE_AAAA, 2, &res);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(res.action, DNS_ACT_REPLY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(res.wire);
	CU_ASSERT_TRUE(res.len >= 12);
	CU_ASSERT_EQUAL(res.wire[0], 4242 >> 8);
	CU_ASSERT_EQUAL(res.wire[1], 4242 & 0xff);
	CU_ASSERT_TRUE(res.wire[2] & 0x80);
	CU_ASSERT_STRING_EQUAL(res.fault, "malformed");
	dns_result_free(&res);

	/* faults match owner case-insensitively, only the named type */
	p = ask(0, 0, "SF.EXAMPLE.", LDNS_RR_TYPE_A, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_SERVFAIL);
	ldns_pkt_free(p);
	dns_result_free(&res);
	p = ask(0, 0, "sf.example.", LDNS_RR_TYPE_AAAA, 2, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_NXDOMAIN);
	CU_ASSERT_PTR_NULL(res.fault);
	ldns_pkt_free(p);
	dns_result_free(&res);
}

/* build_raw - answer raw bytes at address 0 over UDP. */
static void
build_raw(const uint8_t *b, size_t n, struct dns_result *res)
{
	dns_answer_build(tw, 0, 0, b, n, res);
}

/* test_garbage - hostile input gets FORMERR/NOTIMP/REFUSED or nothing. */
static void
test_garbage(void)
{
	struct dns_result res;
	uint8_t b[600], *w;
	size_t len, i, k;
	ldns_pkt *p;

	build_raw((const uint8_t *)"", 0, &res);
	CU_ASSERT_EQUAL(res.action, DNS_ACT_DROP);
	CU_ASSERT_FALSE(res.has_query);
	CU_ASSERT_PTR_NOT_NULL(strstr(res.error, "FORMERR"));
	dns_result_free(&res);

	w = query_wire("example.", LDNS_RR_TYPE_A, 1, LDNS_RR_CLASS_IN, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	/* a response: dropped */
	memcpy(b, w, len);
	b[2] |= 0x80;
	build_raw(b, len, &res);
	CU_ASSERT_EQUAL(res.action, DNS_ACT_DROP);
	dns_result_free(&res);
	/* opcode 5 (UPDATE): NOTIMP */
	memcpy(b, w, len);
	b[2] = (uint8_t)((b[2] & 0x87) | (5 << 3));
	build_raw(b, len, &res);
	CU_ASSERT_EQUAL(res.action, DNS_ACT_REPLY);
	CU_ASSERT_STRING_EQUAL(res.rcode, "NOTIMP");
	CU_ASSERT_EQUAL(res.len, 12);
	CU_ASSERT_EQUAL(res.wire[3] & 0x0f, LDNS_RCODE_NOTIMPL);
	dns_result_free(&res);
	/* two questions announced, one present: FORMERR */
	memcpy(b, w, len);
	b[5] = 2;
	build_raw(b, len, &res);
	CU_ASSERT_STRING_EQUAL(res.rcode, "FORMERR");
	CU_ASSERT_FALSE(res.has_query);
	dns_result_free(&res);
	/* no question: FORMERR */
	memset(b, 0, 12);
	b[0] = 1;
	build_raw(b, 12, &res);
	CU_ASSERT_STRING_EQUAL(res.rcode, "FORMERR");
	dns_result_free(&res);
	/* cut in the middle of the question */
	build_raw(w, 16, &res);
	CU_ASSERT_STRING_EQUAL(res.rcode, "FORMERR");
	dns_result_free(&res);
	/* EDNS version 1: BADVERS */
	memcpy(b, w, len);
	for (i = 12; i + 11 <= len; i++)
		if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 41) {
			b[i + 6] = 1; /* OPT TTL: ext-rcode, VERSION, flags */
			break;
		}
	build_raw(b, len, &res);
	CU_ASSERT_PTR_NOT_NULL(res.rcode);
	if (res.rcode != NULL)
		CU_ASSERT_STRING_EQUAL(res.rcode, "BADVERS");
	dns_result_free(&res);
	free(w);
	/* class CH: REFUSED */
	w = query_wire(
	    "version.bind.", LDNS_RR_TYPE_TXT, 0, LDNS_RR_CLASS_CH, &len);
	build_raw(w, len, &res);
	CU_ASSERT_STRING_EQUAL(res.rcode, "REFUSED");
	CU_ASSERT_TRUE(res.has_query);
	dns_result_free(&res);
	free(w);
	/* a name of no zone here: REFUSED, not authoritative */
	p = ask(0, 0, "www.example3.", LDNS_RR_TYPE_A, 0, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
	CU_ASSERT_FALSE(ldns_pkt_aa(p));
	CU_ASSERT_PTR_NULL(res.zone);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* AXFR: REFUSED */
	p = ask(0, 1, "example.", LDNS_RR_TYPE_AXFR, 0, &res);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(ldns_pkt_get_rcode(p), LDNS_RCODE_REFUSED);
	ldns_pkt_free(p);
	dns_result_free(&res);
	/* an address index the world does not have: REFUSED */
	w = query_wire("example.", LDNS_RR_TYPE_A, 0, LDNS_RR_CLASS_IN, &len);
	dns_answer_build(tw, 99, 0, w, len, &res);
	CU_ASSERT_STRING_EQUAL(res.rcode, "REFUSED");
	dns_result_free(&res);
	free(w);
	/* pseudo-random bytes never crash, and a reply is never a query */
	srand(7);
	for (k = 0; k < 2000; k++) {
		len = (size_t)(rand() % (int)sizeof(b));
		for (i = 0; i < len; i++)
			b[i] = (uint8_t)rand();
		if (len > 2 && k % 2)
			b[2] &= 0x07; /* a plain query header, more often */
		build_raw(b, len, &res);
		if (res.wire != NULL)
			CU_ASSERT_TRUE(res.len >= 12 && (res.wire[2] & 0x80));
		dns_result_free(&res);
	}
}

/* test_log_line - the dns.jsonl line carries the documented fields. */
static void
test_log_line(void)
{
	struct dns_result res;
	json_error_t jerr;
	json_t *o;
	char *line;
	ldns_pkt *p;

	p = ask(0, 0, "sf.example.", LDNS_RR_TYPE_A, 2, &res);
	ldns_pkt_free(p);
	line = dns_log_format(
	    1764370000.5, "127.0.0.1:4000", "127.53.0.3:53", "udp", &res);
	o = json_loads(line, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_DOUBLE_EQUAL(
	    json_real_value(json_object_get(o, "t")), 1764370000.5, 0.001);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "qname")), "sf.example.");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "qtype")), "A");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "rcode")), "SERVFAIL");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "fault")), "servfail");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "zone")), "example.");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "scenario")), "scn-a");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(o, "transport")), "udp");
	CU_ASSERT_TRUE(json_is_true(json_object_get(o, "do")));
	CU_ASSERT_TRUE(json_is_false(json_object_get(o, "cd")));
	CU_ASSERT_TRUE(json_is_false(json_object_get(o, "tc")));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "id")), 4242);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "answers")), 0);
	json_decref(o);
	free(line);
	dns_result_free(&res);
	/* an unusable packet: error and rcode */
	build_raw((const uint8_t *)"\x01\x02\x00", 3, &res);
	line = dns_log_format(1.0, "127.0.0.1:1", "127.53.0.3:53", "tcp", &res);
	o = json_loads(line, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_TRUE(json_is_string(json_object_get(o, "error")));
	CU_ASSERT_TRUE(json_is_null(json_object_get(o, "rcode")));
	CU_ASSERT_PTR_NULL(json_object_get(o, "qname"));
	json_decref(o);
	free(line);
	dns_result_free(&res);
}

/* write_file - text into a new temporary file; returns its path. */
static char *
write_file(const char *text)
{
	char *path = strdup("/tmp/test_fakedns.XXXXXX");
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	fputs(text, fp);
	fclose(fp);
	return path;
}

/* config_error - load a configuration that must fail; return whether the
 * message names the file and contains want. */
static int
config_error(const char *text, const char *want)
{
	char *path = write_file(text), err[2048];
	struct dns_world *w = dns_world_load(path, err, sizeof(err));
	int ok =
	    w == NULL && strstr(err, path) != NULL && strstr(err, want) != NULL;

	if (!ok)
		fprintf(
		    stderr, "config_error: got \"%s\"\n", w ? "(loaded)" : err);
	dns_world_free(w);
	unlink(path);
	free(path);
	return ok;
}

/* test_config - fakedns.json: good and bad. */
static void
test_config(void)
{
	char text[8192], err[2048], *path;
	const char *dir = unit_data_path("fakedns");
	struct dns_world *w;

	snprintf(text, sizeof(text),
	    "{\"log\": \"/tmp/x.jsonl\", \"zones\": ["
	    "{\"name\": \"example.\", \"file\": \"%s/example.zone\","
	    " \"address\": \"127.53.0.3\", \"signed\": true, \"nsec3\": false,"
	    " \"scenario\": \"s1\"},"
	    "{\"name\": \"example3.\", \"file\": \"%s/example3.zone\","
	    " \"address\": \"127.53.0.3\", \"signed\": true, \"nsec3\": true,"
	    " \"scenario\": null}],"
	    " \"faults\": [{\"owner\": \"_25._tcp.mx1.example.\","
	    " \"type\": \"TLSA\", \"fault\": \"delay\", \"ms\": 250,"
	    " \"scenario\": \"s1\"}]}",
	    dir, dir);
	path = write_file(text);
	w = dns_world_load(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(w->nzones, 2);
	CU_ASSERT_EQUAL(w->naddrs, 1);
	CU_ASSERT_EQUAL(w->addrs[0].nzones, 2);
	CU_ASSERT_EQUAL(w->nfaults, 1);
	CU_ASSERT_EQUAL(w->faults[0].ms, 250);
	CU_ASSERT_STRING_EQUAL(scn_break_str(w->faults[0].ops->what), "delay");
	CU_ASSERT_STRING_EQUAL(w->log, "/tmp/x.jsonl");
	CU_ASSERT_PTR_NULL(w->zones[1].scenario);
	dns_world_free(w);
	unlink(path);
	free(path);

	CU_ASSERT_TRUE(config_error("{\"zones\": [", "")); /* not JSON */
	CU_ASSERT_TRUE(config_error("[]", "not an object"));
	CU_ASSERT_TRUE(config_error("{\"zones\": []}", "non-empty"));
	CU_ASSERT_TRUE(
	    config_error("{\"zones\": [{\"name\": \"x.\"}]}", "zones[0]"));
	snprintf(text, sizeof(text),
	    "{\"zones\": [{\"name\": \"example.\","
	    " \"file\": \"%s/example.zone\", \"address\": \"nowhere\"}]}",
	    dir);
	CU_ASSERT_TRUE(config_error(text, "not an IP address"));
	snprintf(text, sizeof(text),
	    "{\"zones\": [{\"name\": \"example.\","
	    " \"file\": \"%s/example.zone\", \"address\": \"127.0.0.2\"}],"
	    " \"faults\": [{\"owner\": \"a.example.\", \"type\": \"A\","
	    " \"fault\": \"explode\"}]}",
	    dir);
	CU_ASSERT_TRUE(config_error(text, "unknown fault"));
	snprintf(text, sizeof(text),
	    "{\"zones\": [{\"name\": \"example.\","
	    " \"file\": \"%s/example.zone\", \"address\": \"127.0.0.2\"}],"
	    " \"faults\": [{\"owner\": \"a.example.\", \"type\": \"NOPE\","
	    " \"fault\": \"drop\"}]}",
	    dir);
	CU_ASSERT_TRUE(config_error(text, "unknown RR type"));
	snprintf(text, sizeof(text),
	    "{\"zones\": [{\"name\": \"example.\","
	    " \"file\": \"%s/example.zone\", \"address\": \"127.0.0.2\","
	    " \"nsec3\": true}]}",
	    dir);
	CU_ASSERT_TRUE(config_error(text, "no NSEC3 chain"));
	snprintf(text, sizeof(text),
	    "{\"zones\": [{\"name\": \"example.\","
	    " \"file\": \"%s/bad-nosoa.zone\", \"address\": \"127.0.0.2\"}]}",
	    dir);
	CU_ASSERT_TRUE(config_error(text, "no SOA"));
	snprintf(text, sizeof(text),
	    "{\"zones\": [{\"name\": \"example.\","
	    " \"file\": \"%s/example.zone\", \"address\": \"127.0.0.2\"},"
	    " {\"name\": \"example.\", \"file\": \"%s/example.zone\","
	    " \"address\": \"127.0.0.2\"}]}",
	    dir, dir);
	CU_ASSERT_TRUE(config_error(text, "served twice"));
}

/* sign - -1, 0 or 1. */
static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* test_names - dns_name gives what ldns gives, for pairs of names with
 * case, prefix, escape and length differences. */
static void
test_names(void)
{
	static const char *names[] = {".", "example.", "EXAMPLE.", "Example.",
	    "a.example.", "A.example.", "b.example.", "ab.example.",
	    "a.b.example.", "z.a.example.", "*.example.", "*.a.example.",
	    "\\000.example.", "\\255.example.", "a\\000.example.", "[.example.",
	    "_.example.", "example3.", "xexample.", "com.", "a.com.",
	    "www.example.com.", "WWW.EXAMPLE.COM.", "example.com.", "-.",
	    "\\@.example.", "0.1.2.3.4.5.6.7.8.9.a.b.c.d.e.f.example."};
	size_t n = sizeof(names) / sizeof(names[0]), i, j, k;
	ldns_rdf *a, *b, *c, view, *w, *up;
	uint8_t buf[DNS_NAME_WILD_MAX];

	for (i = 0; i < n; i++) {
		a = ldns_dname_new_frm_str(names[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(a);
		CU_ASSERT_EQUAL(
		    dns_name_labels(a), (size_t)ldns_dname_label_count(a));
		/* ancestors: ldns_dname_left_chop until k labels remain */
		for (k = 0; k <= dns_name_labels(a) + 1; k++) {
			c = ldns_rdf_clone(a);
			while (ldns_dname_label_count(c) > k &&
			       (up = ldns_dname_left_chop(c)) != NULL) {
				ldns_rdf_deep_free(c);
				c = up;
			}
			dns_name_ancestor(a, k, &view);
			CU_ASSERT_EQUAL(ldns_rdf_size(&view), ldns_rdf_size(c));
			CU_ASSERT_EQUAL(memcmp(ldns_rdf_data(&view),
			                    ldns_rdf_data(c), ldns_rdf_size(c)),
			    0);
			ldns_rdf_deep_free(c);
		}
		w = ldns_dname_new_frm_str("*");
		CU_ASSERT_EQUAL(ldns_dname_cat(w, a), LDNS_STATUS_OK);
		dns_name_wildcard(a, buf, &view);
		CU_ASSERT_EQUAL(ldns_rdf_size(&view), ldns_rdf_size(w));
		CU_ASSERT_EQUAL(
		    memcmp(buf, ldns_rdf_data(w), ldns_rdf_size(w)), 0);
		ldns_rdf_deep_free(w);
		for (j = 0; j < n; j++) {
			b = ldns_dname_new_frm_str(names[j]);
			CU_ASSERT_EQUAL(sign(dns_name_cmp(a, b)),
			    sign(ldns_dname_compare(a, b)));
			CU_ASSERT_EQUAL(dns_name_under(a, b),
			    ldns_dname_compare(a, b) == 0 ||
			        ldns_dname_is_subdomain(a, b));
			CU_ASSERT_EQUAL(
			    ldns_rdf_size(a) == ldns_rdf_size(b) &&
			        dns_name_equal(ldns_rdf_data(a),
			            ldns_rdf_data(b), ldns_rdf_size(a)),
			    ldns_dname_compare(a, b) == 0);
			if (ldns_dname_compare(a, b) == 0)
				CU_ASSERT_EQUAL(dns_name_hash(ldns_rdf_data(a),
				                    ldns_rdf_size(a)),
				    dns_name_hash(
				        ldns_rdf_data(b), ldns_rdf_size(b)));
			ldns_rdf_deep_free(b);
		}
		ldns_rdf_deep_free(a);
	}
}

/* test_log_text - qname and qtype in the log as ldns writes them, for
 * every byte value in a label and many type numbers. */
static void
test_log_text(void)
{
	static const unsigned extra[] = {32768, 32769, 65280, 65534, 65535};
	struct dns_result res;
	uint8_t pkt[64];
	ldns_rdf *d;
	char *want;
	unsigned c, t;

	/* header, one question: label of three bytes "a?b", type, class */
	for (c = 0; c < 256 + 300 + 5; c++) {
		static const uint8_t head[12] = {
		    0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};

		t = c < 256   ? LDNS_RR_TYPE_A
		    : c < 556 ? c - 256
		              : extra[c - 556];
		memcpy(pkt, head, 12);
		memcpy(pkt + 12, "\003a?b\007example\000", 13);
		pkt[14] = (uint8_t)(c < 256 ? c : 'x');
		pkt[25] = (uint8_t)(t >> 8);
		pkt[26] = (uint8_t)t;
		pkt[27] = 0;
		pkt[28] = 1;
		build_raw(pkt, 29, &res);
		CU_ASSERT_TRUE_FATAL(res.has_query);
		d = ldns_dname_new_frm_data(13, pkt + 12);
		want = ldns_rdf2str(d);
		CU_ASSERT_STRING_EQUAL(res.qname, want);
		free(want);
		ldns_rdf_deep_free(d);
		want = ldns_rr_type2str((ldns_rr_type)t);
		CU_ASSERT_STRING_EQUAL(res.qtype, want);
		free(want);
		dns_result_free(&res);
	}
}

/* test_log_vs_jansson - the hand-written log line is the one jansson
 * writes, for answers, garbage, odd names, times and client strings. */
static void
test_log_vs_jansson(void)
{
	static const double ts[] = {1764370000.123, 1764370000.0, 0.0, -2.5,
	    1e300, 1e-7, 123456789012345678.0, 0.1};
	static const char *clients[] = {"127.0.0.1:40001", "", "a\"b\\c",
	    "tab\there\nnl\x01\x1f\x7f", "caf\xc3\xa9", "bad\xff", NULL};
	static const char *names[] = {"sf.example.", "a\\.b.example.",
	    "\\000\\\"\\\\.example.", "big.example3.", "nope.example3.",
	    "x.wild.example."};
	struct dns_result res;
	uint8_t pkt[600], *w;
	char *fast, *ref;
	size_t i, k, n;
	int same = 1;

	srand(99);
	for (i = 0; i < 1200; i++) {
		w = query_wire(names[i % 6], i % 2 ? LDNS_RR_TYPE_A : 65280,
		    (int)(i % 3), LDNS_RR_CLASS_IN, &n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(w);
		memcpy(pkt, w, n);
		free(w);
		if (i % 4 == 3) /* garbage now and then */
			for (k = 0; k < 3; k++)
				pkt[(size_t)rand() % n] = (uint8_t)rand();
		dns_answer_build(
		    tw, i % tw->naddrs, (int)(i % 2), pkt, n, &res);
		fast = dns_log_format(ts[i % 8], clients[i % 7],
		    "127.53.0.3:53", i % 2 ? "tcp" : "udp", &res);
		ref = dns_log_format_jansson(ts[i % 8], clients[i % 7],
		    "127.53.0.3:53", i % 2 ? "tcp" : "udp", &res);
		if (strcmp(fast, ref) != 0 && same) {
			fprintf(stderr, "\nfast %s\nref  %s\n", fast, ref);
			same = 0;
		}
		free(fast);
		free(ref);
		dns_result_free(&res);
	}
	CU_ASSERT_TRUE(same);
}

/* test_wire_vs_ldns - the encoder writes what ldns_pkt2wire writes, for a
 * message past the 16 KiB pointer limit with names in many cases. */
static void
test_wire_vs_ldns(void)
{
	static const char *shapes[] = {"%s 300 IN MX 10 mx%d.%s",
	    "%s 300 IN NS ns%d.%s", "%s 300 IN CNAME c%d.%s",
	    "%s 300 IN SRV 0 0 25 s%d.%s", "%s 300 IN TXT \"t%d %s\"",
	    "%s 300 IN NSEC n%d.%s A RRSIG",
	    "%s 300 IN SOA ns%d.%s h.example. 1 2 3 4 5",
	    "%s 300 IN PTR p%d.%s"};
	static const char *zones[] = {"example.", "EXample.", "a.example.",
	    "b.A.Example.", "other.", "x.y.z.other."};
	ldns_pkt *p = NULL;
	ldns_rr *rr = NULL;
	struct dns_wire dw;
	uint8_t *want = NULL, buf[65535];
	size_t wantlen = 0, i;
	char line[512], owner[128];
	long len;

	CU_ASSERT_EQUAL_FATAL(ldns_pkt_query_new_frm_str(&p, "Q.Example.",
	                          LDNS_RR_TYPE_ANY, LDNS_RR_CLASS_IN, 0),
	    LDNS_STATUS_OK);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_id(p, 77);
	for (i = 0; i < 1500; i++) {
		const char *z = zones[(i * 7) % 6];

		snprintf(owner, sizeof(owner), "h%zu.%s", i % 37, zones[i % 6]);
		snprintf(
		    line, sizeof(line), shapes[i % 8], owner, (int)(i % 11), z);
		CU_ASSERT_EQUAL_FATAL(
		    ldns_rr_new_frm_str(&rr, line, 300, NULL, NULL),
		    LDNS_STATUS_OK);
		ldns_pkt_push_rr(p,
		    i % 3 == 0   ? LDNS_SECTION_ANSWER
		    : i % 3 == 1 ? LDNS_SECTION_AUTHORITY
		                 : LDNS_SECTION_ADDITIONAL,
		    rr);
	}
	ldns_pkt_set_edns_udp_size(p, DNS_UDP_MAX);
	ldns_pkt_set_edns_do(p, true);
	CU_ASSERT_EQUAL_FATAL(
	    ldns_pkt2wire(&want, p, &wantlen), LDNS_STATUS_OK);
	CU_ASSERT_TRUE(wantlen > 16384);

	dns_wire_init(&dw, buf, sizeof(buf));
	dns_wire_header(&dw, 77, 0x80, 0, 1,
	    (uint16_t)ldns_rr_list_rr_count(ldns_pkt_answer(p)),
	    (uint16_t)ldns_rr_list_rr_count(ldns_pkt_authority(p)),
	    (uint16_t)(ldns_rr_list_rr_count(ldns_pkt_additional(p)) + 1));
	dns_wire_rr(&dw, ldns_rr_list_rr(ldns_pkt_question(p), 0), 1);
	for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_answer(p)); i++)
		dns_wire_rr(&dw, ldns_rr_list_rr(ldns_pkt_answer(p), i), 0);
	for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_authority(p)); i++)
		dns_wire_rr(&dw, ldns_rr_list_rr(ldns_pkt_authority(p), i), 0);
	for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_additional(p)); i++)
		dns_wire_rr(&dw, ldns_rr_list_rr(ldns_pkt_additional(p), i), 0);
	dns_wire_opt(&dw, DNS_UDP_MAX, 0, 1);
	len = dns_wire_finish(&dw);
	CU_ASSERT_EQUAL(len, (long)wantlen);
	CU_ASSERT_TRUE(len > 0 && memcmp(buf, want, wantlen) == 0);
	/* too small a buffer: -1, not a short message */
	dns_wire_init(&dw, buf, 100);
	for (i = 0; i < ldns_rr_list_rr_count(ldns_pkt_answer(p)); i++)
		dns_wire_rr(&dw, ldns_rr_list_rr(ldns_pkt_answer(p), i), 0);
	CU_ASSERT_EQUAL(dns_wire_finish(&dw), -1);
	free(want);
	ldns_pkt_free(p);
}

/*
 * The golden answers: every field of the result (reply bytes and log
 * fields) of a fixed set of queries, hashed, compared with
 * tests/data/fakedns/answers.golden, which was written by the answer
 * builder before its fast paths (own encoder, name index) replaced the
 * ldns ones. One line per address and query name: the hash over every
 * type and every transport/EDNS mode; then one line per raw packet (the
 * fuzz corpus and hand-made odd ones). To record the file anew after an
 * intended change of answers: FAKEDNS_GOLDEN_WRITE=PATH build/unittest.
 */
#define GOLDEN_FNV_INIT 0xcbf29ce484222325ULL

/* fnv - fold n bytes into the FNV-1a hash h. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* fnv_str - fold a string and its end (or a NULL marker) into h. */
static uint64_t
fnv_str(uint64_t h, const char *s)
{
	return s != NULL ? fnv(h, s, strlen(s) + 1) : fnv(h, "\xff", 1);
}

/* result_hash - fold every field of res into h. */
static uint64_t
result_hash(uint64_t h, const struct dns_result *res)
{
	long v[10] = {res->action, res->delay_ms, (long)res->len,
	    res->has_query, res->id, res->dnssec_ok, res->cd, res->answers,
	    res->tc, res->wire != NULL};

	h = fnv(h, v, sizeof(v));
	if (res->wire != NULL)
		h = fnv(h, res->wire, res->len);
	h = fnv_str(h, res->has_query ? res->qname : NULL);
	h = fnv_str(h, res->has_query ? res->qtype : NULL);
	h = fnv_str(h, res->rcode);
	h = fnv_str(h, res->fault);
	h = fnv_str(h, res->zone);
	h = fnv_str(h, res->scenario);
	return fnv_str(h, res->has_query ? NULL : res->error);
}

/* golden_name_hash - hash of the answers at addr to name for every type
 * and mode; 0 when a query could not be made. */
static uint64_t
golden_name_hash(size_t addr, const char *name, uint16_t *id)
{
	static const ldns_rr_type types[] = {LDNS_RR_TYPE_A, LDNS_RR_TYPE_AAAA,
	    LDNS_RR_TYPE_MX, LDNS_RR_TYPE_TXT, LDNS_RR_TYPE_TLSA,
	    LDNS_RR_TYPE_NS, LDNS_RR_TYPE_DS, LDNS_RR_TYPE_SOA,
	    LDNS_RR_TYPE_DNSKEY, LDNS_RR_TYPE_CNAME, LDNS_RR_TYPE_NSEC,
	    LDNS_RR_TYPE_NSEC3, LDNS_RR_TYPE_NSEC3PARAM, LDNS_RR_TYPE_RRSIG,
	    LDNS_RR_TYPE_ANY, LDNS_RR_TYPE_SSHFP, LDNS_RR_TYPE_PTR,
	    LDNS_RR_TYPE_AXFR};
	/* edns (0 none, 1 without DO, 2 with DO), tcp */
	static const int modes[][2] = {{0, 0}, {1, 0}, {2, 0}, {2, 1}};
	uint64_t h = GOLDEN_FNV_INIT;
	struct dns_result res;
	size_t t, m, len;
	uint8_t *w;

	for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
		for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			w = query_wire(name, types[t], modes[m][0],
			    LDNS_RR_CLASS_IN, &len);
			if (w == NULL)
				return 0;
			w[0] = (uint8_t)(*id >> 8);
			w[1] = (uint8_t)*id;
			(*id)++;
			dns_answer_build(tw, addr, modes[m][1], w, len, &res);
			h = result_hash(h, &res);
			dns_result_free(&res);
			free(w);
		}
	return h;
}

/* upper - name in upper case (static buffer). */
static const char *
upper(const char *name)
{
	static char buf[1100];
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(buf); i++)
		buf[i] = (char)toupper((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

/* golden_lines - every line of the golden file, as the builder answers
 * now, into fp. */
static void
golden_lines(FILE *fp)
{
	static const char *extra[] = {".", "com.", "other.", "example.com.",
	    "a.b.wild.example.", "x.wild.example3.", "a.b.wild.example3.",
	    "deep.host.signed.example.", "x.ns.signed.example.",
	    "x.y.unsigned.example3.", "_tcp.mx1.example.", "MX1.example3.",
	    "*.example.", "a\\.b.example.", "\\000.example.",
	    "sp\\032ce.example.", "\\(x\\).wild.example.",
	    "\\200\\255.example3.", "nope.example.", "www.example3.",
	    "www.example."};
	static const char *odd[] = {"big.example.", "example.", "mx1.example3.",
	    "nope.example3.", "host.signed.example."};
	char dir[4096], path[8192], *s, name[1100];
	struct dirent **ents = NULL;
	int f, nf;
	uint16_t id = 1;
	uint64_t h = GOLDEN_FNV_INIT;
	size_t a, z, i, k, n;
	uint8_t pkt[65536];
	struct dns_result res;
	FILE *in;

	snprintf(dir, sizeof(dir), "%s", unit_data_path("fakedns/fuzz-dns"));
	for (z = 0; z < tw->nzones; z++) {
		const struct dns_zone *zn = tw->zones[z].zone;

		for (i = 0; i < zn->nnodes + zn->nn3; i++) {
			if (i < zn->nnodes)
				s = ldns_rdf2str(zn->nodes[i].name);
			else
				s = ldns_rdf2str(
				    ldns_rr_owner(zn->n3[i - zn->nnodes].rr));
			for (k = 0; k < 3; k++) {
				if (k == 0)
					snprintf(name, sizeof(name), "%s", s);
				else if (k == 1)
					snprintf(
					    name, sizeof(name), "%s", upper(s));
				else
					snprintf(
					    name, sizeof(name), "zz.%s", s);
				for (a = 0; a < tw->naddrs; a++)
					fprintf(fp, "%zu %s %016llx\n", a, name,
					    (unsigned long long)
					        golden_name_hash(a, name, &id));
			}
			free(s);
		}
	}
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		for (a = 0; a < tw->naddrs; a++)
			fprintf(fp, "%zu %s %016llx\n", a, extra[i],
			    (unsigned long long)golden_name_hash(
			        a, extra[i], &id));
	/* raw packets: the fuzz corpus, at every address, UDP and TCP */
	nf = scandir(dir, &ents, NULL, alphasort);
	for (f = 0; f < nf; f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[f]->d_name);
		if (ents[f]->d_name[0] == '.' ||
		    (in = fopen(path, "rb")) == NULL)
			continue;
		n = fread(pkt, 1, sizeof(pkt), in);
		fclose(in);
		for (a = 0; a < tw->naddrs; a++)
			for (k = 0; k < 2; k++) {
				dns_answer_build(tw, a, (int)k, pkt, n, &res);
				fprintf(fp, "raw %s %zu %zu %016llx\n",
				    ents[f]->d_name, a, k,
				    (unsigned long long)result_hash(
				        GOLDEN_FNV_INIT, &res));
				dns_result_free(&res);
			}
	}
	for (f = 0; f < nf; f++)
		free(ents[f]);
	free(ents);
	/* hand-made variants of a few queries with EDNS and DO */
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		for (k = 0; k < 7; k++) {
			uint8_t *w = query_wire(
			    odd[i], LDNS_RR_TYPE_TXT, 2, LDNS_RR_CLASS_IN, &n);

			CU_ASSERT_PTR_NOT_NULL_FATAL(w);
			memcpy(pkt, w, n);
			free(w);
			/* the OPT record is last: 11 bytes, no options */
			if (k == 0)
				pkt[3] |= 0x10; /* CD */
			else if (k == 1)
				pkt[2] &= (uint8_t)~0x01; /* no RD */
			else if (k == 2) {
				pkt[n - 8] = 0x02; /* UDP size 512 */
				pkt[n - 7] = 0x00;
			} else if (k == 3)
				pkt[n - 5] = 1; /* EDNS version 1 */
			else if (k == 4)
				pkt[n - 12] = LDNS_RR_CLASS_CH;
			else if (k == 5)
				pkt[n++] = 0; /* a byte too many */
			else
				pkt[n - 4] = 0; /* DO clear */
			for (a = 0; a < tw->naddrs; a++) {
				dns_answer_build(tw, a, 0, pkt, n, &res);
				fprintf(fp, "odd %s %zu %zu %016llx\n", odd[i],
				    k, a,
				    (unsigned long long)result_hash(
				        GOLDEN_FNV_INIT, &res));
				dns_result_free(&res);
			}
		}
	/* pseudo-random damage to queries, 50 to a line: both query parsers
	 * (the fast one and ldns) must give what ldns alone gave */
	srand(1717);
	for (i = 0; i < 3000; i++) {
		static const ldns_rr_type mt[] = {LDNS_RR_TYPE_A,
		    LDNS_RR_TYPE_TXT, LDNS_RR_TYPE_DS, LDNS_RR_TYPE_NSEC};
		uint8_t *w = query_wire(odd[i % 5], mt[i / 5 % 4],
		    (int)(i / 20 % 3), LDNS_RR_CLASS_IN, &n);
		size_t m, nb;

		CU_ASSERT_PTR_NOT_NULL_FATAL(w);
		memcpy(pkt, w, n);
		free(w);
		switch (rand() % 5) {
		case 0: /* a few bytes anywhere */
			for (nb = 1 + (size_t)(rand() % 3); nb > 0; nb--)
				pkt[(size_t)rand() % n] = (uint8_t)rand();
			break;
		case 1: /* a section count */
			pkt[4 + rand() % 8] = (uint8_t)(rand() % 3);
			break;
		case 2: /* cut short */
			n = (size_t)rand() % (n + 1);
			break;
		case 3: /* bytes after the end, maybe counted as a record */
			for (m = 1 + (size_t)(rand() % 16); m > 0; m--)
				pkt[n++] = (uint8_t)(rand() % 4 ? rand() : 0);
			if (rand() % 2)
				pkt[11]++;
			break;
		default: /* a byte of the name or of the OPT record */
			pkt[12 + (size_t)rand() % (n - 12)] =
			    (uint8_t)(rand() % 2 ? 0xc0 : rand() % 70);
			break;
		}
		if (i % 50 == 0)
			h = GOLDEN_FNV_INIT;
		dns_answer_build(tw, i % tw->naddrs, 0, pkt, n, &res);
		h = result_hash(h, &res);
		dns_result_free(&res);
		if (i % 50 == 49)
			fprintf(fp, "damaged %zu %016llx\n", i / 50,
			    (unsigned long long)h);
	}
}

/* test_golden_answers - the answers are those of the golden file. */
static void
test_golden_answers(void)
{
	const char *out = getenv("FAKEDNS_GOLDEN_WRITE");
	char path[4096], want[1400], got[1400];
	FILE *fp, *gf;
	size_t line = 0, bad = 0;

	if (out != NULL && *out != '\0') {
		fp = fopen(out, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		golden_lines(fp);
		fclose(fp);
		return;
	}
	snprintf(
	    path, sizeof(path), "%s", unit_data_path("fakedns/answers.golden"));
	gf = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(gf);
	fp = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	golden_lines(fp);
	rewind(fp);
	for (;;) {
		char *a = fgets(want, sizeof(want), gf);
		char *b = fgets(got, sizeof(got), fp);

		if (a == NULL && b == NULL)
			break;
		line++;
		if (a == NULL || b == NULL || strcmp(want, got) != 0) {
			if (bad++ < 10)
				fprintf(stderr, "%s:%zu: want %s got %s", path,
				    line, a ? want : "(end)\n",
				    b ? got : "(end)\n");
		}
	}
	fclose(gf);
	fclose(fp);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_TRUE(line > 500);
}

static CU_TestInfo tests[] = {
    {"zone_load", test_zone_load},
    {"positive", test_positive},
    {"referral_ds", test_referral_ds},
    {"referral_unsigned", test_referral_unsigned},
    {"nsec_denial", test_nsec_denial},
    {"nsec3_denial", test_nsec3_denial},
    {"cname", test_cname},
    {"dname", test_dname},
    {"wildcard", test_wildcard},
    {"truncation", test_truncation},
    {"faults", test_faults},
    {"garbage", test_garbage},
    {"log_line", test_log_line},
    {"config", test_config},
    {"names", test_names},
    {"log_text", test_log_text},
    {"log_vs_jansson", test_log_vs_jansson},
    {"golden_answers", test_golden_answers},
    {"wire_vs_ldns", test_wire_vs_ldns},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("fakedns", suite_init, suite_clean, tests);
