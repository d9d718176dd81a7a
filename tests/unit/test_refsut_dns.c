/*
 * test_refsut_dns.c - what refsut makes of a resolver's answer
 * (refsut/rs_dns.c, rs_dns_answer): secure / insecure / NXDOMAIN / NODATA
 * / error for MX, A and TLSA (RFC 7672 §2.1.1), CNAME chains and
 * re-queries (§2.1.3), the null MX (RFC 7505), TLSA fields.
 */
#include "unit.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "refsut/rs_dns.h"
#include "refsut/rs_tlsacache.h"

/* pkt - an answer to qname/type with rcode, AD and answer RRs (NULL-ended). */
static ldns_pkt *
pkt(const char *qname, ldns_rr_type type, ldns_pkt_rcode rcode, int ad,
    const char **rrs)
{
	ldns_rdf *q = ldns_dname_new_frm_str(qname);
	ldns_pkt *p = ldns_pkt_query_new(q, type, LDNS_RR_CLASS_IN, LDNS_RD);
	size_t i;

	ldns_pkt_set_qr(p, 1);
	ldns_pkt_set_ra(p, 1);
	ldns_pkt_set_ad(p, ad);
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	for (i = 0; rrs != NULL && rrs[i] != NULL; i++) {
		ldns_rr *rr = NULL;

		CU_ASSERT_EQUAL_FATAL(
		    ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL),
		    LDNS_STATUS_OK);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr);
	}
	return p;
}

/* The outcome of classifying one answer. */
struct got {
	struct rs_dns_result r;
	int again;
	int secure;
	int hops;
	char name[256];
};

/* classify - run rs_dns_answer on one packet for qname; frees pkt. */
static void
classify(ldns_pkt *p, const char *qname, ldns_rr_type type, struct got *g)
{
	ldns_rdf *cur = ldns_dname_new_frm_str(qname);
	char *s;

	memset(g, 0, sizeof(*g));
	g->secure = 1;
	g->again = rs_dns_answer(p, type, &cur, &g->secure, &g->hops, &g->r);
	s = ldns_rdf2str(cur);
	snprintf(g->name, sizeof(g->name), "%s", s);
	free(s);
	ldns_rdf_deep_free(cur);
	ldns_pkt_free(p);
}

/* test_mx - MX states and contents. */
static void
test_mx(void)
{
	const char *two[] = {
	    "d.test. MX 20 mx2.d.test.", "d.test. MX 10 MX1.d.test.", NULL};
	const char *null_mx[] = {"d.test. MX 0 .", NULL};
	const char *null_and_more[] = {
	    "d.test. MX 0 .", "d.test. MX 10 mx1.d.test.", NULL};
	struct got g;

	classify(pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, 1, two),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_SECURE);
	CU_ASSERT_EQUAL(g.again, 0);
	CU_ASSERT_EQUAL(g.r.nmx, 2);
	CU_ASSERT_EQUAL(g.r.null_mx, 0);
	if (g.r.nmx == 2) {
		CU_ASSERT_EQUAL(g.r.mx[0].pref, 20);
		CU_ASSERT_STRING_EQUAL(g.r.mx[0].name, "mx2.d.test");
		CU_ASSERT_STRING_EQUAL(g.r.mx[1].name, "mx1.d.test");
		CU_ASSERT_EQUAL(g.r.mx[1].order, 1);
	}
	rs_dns_result_clear(&g.r);
	classify(pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, 0, two),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_INSECURE);
	CU_ASSERT_EQUAL(g.secure, 0);
	rs_dns_result_clear(&g.r);
	classify(
	    pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, 1, null_mx),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.null_mx, 1);
	rs_dns_result_clear(&g.r);
	classify(pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, 1,
	             null_and_more),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.null_mx, 0);
	CU_ASSERT_EQUAL(g.r.nmx, 2);
	rs_dns_result_clear(&g.r);
}

/* test_states - non-existence and errors. */
static void
test_states(void)
{
	const char *other[] = {"x.d.test. A 127.0.0.1", NULL};
	struct got g;
	ldns_pkt *p;

	classify(pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NXDOMAIN, 1, NULL),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_NXDOMAIN);
	CU_ASSERT_EQUAL(g.secure, 1);
	rs_dns_result_clear(&g.r);
	classify(pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NXDOMAIN, 0, NULL),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_NXDOMAIN);
	CU_ASSERT_EQUAL(g.secure, 0);
	rs_dns_result_clear(&g.r);
	classify(pkt("d.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, 1, NULL),
	    "d.test.", LDNS_RR_TYPE_MX, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_NODATA);
	rs_dns_result_clear(&g.r);
	/* Data for another owner is no answer to this question. */
	classify(pkt("d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, other),
	    "d.test.", LDNS_RR_TYPE_A, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_NODATA);
	CU_ASSERT_EQUAL(g.r.naddrs, 0);
	rs_dns_result_clear(&g.r);
	classify(
	    pkt("d.test.", LDNS_RR_TYPE_TLSA, LDNS_RCODE_SERVFAIL, 0, NULL),
	    "d.test.", LDNS_RR_TYPE_TLSA, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_ERROR);
	CU_ASSERT_STRING_EQUAL(g.r.why, "SERVFAIL");
	rs_dns_result_clear(&g.r);
	classify(pkt("d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_REFUSED, 1, NULL),
	    "d.test.", LDNS_RR_TYPE_A, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_ERROR);
	rs_dns_result_clear(&g.r);
	/* An AD bit on SERVFAIL changes nothing. */
	classify(pkt("d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, 1, NULL),
	    "d.test.", LDNS_RR_TYPE_A, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_ERROR);
	rs_dns_result_clear(&g.r);
	p = pkt("d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, other);
	ldns_pkt_set_tc(p, 1);
	classify(p, "d.test.", LDNS_RR_TYPE_A, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_ERROR);
	rs_dns_result_clear(&g.r);
}

/* test_cname - chains in one answer, re-query, loops, mixed security. */
static void
test_cname(void)
{
	const char *chain[] = {"mx.d.test. CNAME b.d.test.",
	    "b.d.test. CNAME c.e.test.", "c.e.test. A 127.25.0.9", NULL};
	const char *open_end[] = {"mx.d.test. CNAME c.e.test.", NULL};
	const char *target[] = {"c.e.test. A 127.25.0.9", NULL};
	const char *loop[] = {
	    "a.d.test. CNAME b.d.test.", "b.d.test. CNAME a.d.test.", NULL};
	ldns_rdf *cur;
	struct rs_dns_result r;
	int secure = 1, hops = 0, again;
	ldns_pkt *p;
	struct got g;

	classify(
	    pkt("mx.d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, chain),
	    "mx.d.test.", LDNS_RR_TYPE_A, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_SECURE);
	CU_ASSERT_EQUAL(g.r.cname, 1);
	CU_ASSERT_EQUAL(g.hops, 2);
	CU_ASSERT_STRING_EQUAL(g.name, "c.e.test.");
	CU_ASSERT_EQUAL(g.r.naddrs, 1);
	if (g.r.naddrs == 1)
		CU_ASSERT_STRING_EQUAL(g.r.addrs[0], "127.25.0.9");
	rs_dns_result_clear(&g.r);

	/* The resolver stopped at the CNAME: ask again for its target; an
	 * insecure second answer makes the whole result insecure. */
	memset(&r, 0, sizeof(r));
	cur = ldns_dname_new_frm_str("mx.d.test.");
	p = pkt("mx.d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, open_end);
	again = rs_dns_answer(p, LDNS_RR_TYPE_A, &cur, &secure, &hops, &r);
	ldns_pkt_free(p);
	CU_ASSERT_EQUAL(again, 1);
	CU_ASSERT_EQUAL(secure, 1);
	p = pkt("c.e.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 0, target);
	again = rs_dns_answer(p, LDNS_RR_TYPE_A, &cur, &secure, &hops, &r);
	ldns_pkt_free(p);
	CU_ASSERT_EQUAL(again, 0);
	CU_ASSERT_EQUAL(r.state, RS_DNS_INSECURE);
	CU_ASSERT_EQUAL(r.cname, 1);
	ldns_rdf_deep_free(cur);
	rs_dns_result_clear(&r);

	classify(pkt("a.d.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, 1, loop),
	    "a.d.test.", LDNS_RR_TYPE_A, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_ERROR);
	CU_ASSERT_EQUAL(g.again, 0);
	rs_dns_result_clear(&g.r);
}

/* test_tlsa - fields and data of TLSA records. */
static void
test_tlsa(void)
{
	const char *recs[] = {"_25._tcp.mx.d.test. TLSA 3 1 1 "
	                      "0102030405060708090a0b0c0d0e0f10"
	                      "1112131415161718191a1b1c1d1e1f20",
	    "_25._tcp.mx.d.test. TLSA 2 0 2 abcd", NULL};
	struct got g;

	classify(pkt("_25._tcp.mx.d.test.", LDNS_RR_TYPE_TLSA,
	             LDNS_RCODE_NOERROR, 1, recs),
	    "_25._tcp.mx.d.test.", LDNS_RR_TYPE_TLSA, &g);
	CU_ASSERT_EQUAL(g.r.state, RS_DNS_SECURE);
	CU_ASSERT_EQUAL_FATAL(g.r.ntlsa, 2);
	CU_ASSERT_EQUAL(g.r.tlsa[0].usage, 3);
	CU_ASSERT_EQUAL(g.r.tlsa[0].selector, 1);
	CU_ASSERT_EQUAL(g.r.tlsa[0].mtype, 1);
	CU_ASSERT_EQUAL(g.r.tlsa[0].len, 32);
	CU_ASSERT_EQUAL(g.r.tlsa[0].data[31], 0x20);
	CU_ASSERT_EQUAL(g.r.tlsa[1].usage, 2);
	CU_ASSERT_EQUAL(g.r.tlsa[1].len, 2);
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(g.r.tlsa[1].usage,
	    g.r.tlsa[1].selector, g.r.tlsa[1].mtype, g.r.tlsa[1].len));
	CU_ASSERT_TRUE(rs_policy_tlsa_usable(g.r.tlsa[0].usage,
	    g.r.tlsa[0].selector, g.r.tlsa[0].mtype, g.r.tlsa[0].len));
	rs_dns_result_clear(&g.r);
}

/*
 * test_tlsacache - the stale-tlsa-cache files: nothing before a put, the
 * records back after it (secure, whatever their age), a malformed file
 * refused.
 */
static void
test_tlsacache(void)
{
	char dir[] = "/tmp/dsim-rscache-XXXXXX", *path;
	unsigned char d1[] = {0xab, 0x01}, d2[] = {0x00, 0xff, 0x10};
	struct rs_tlsa t[2] = {{3, 1, 1, d1, sizeof(d1)}, {2, 0, 1, d2, 3}};
	struct rs_dns_result put, got;
	FILE *fp;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	memset(&put, 0, sizeof(put));
	put.state = RS_DNS_SECURE;
	put.tlsa = t;
	put.ntlsa = 2;
	memset(&got, 0, sizeof(got));
	CU_ASSERT_EQUAL(rs_tlsacache_get(dir, "mx1.a.test", 25, &got), 0);
	CU_ASSERT_EQUAL(rs_tlsacache_put(dir, "mx1.a.test", 25, &put), 0);
	CU_ASSERT_EQUAL(rs_tlsacache_get(dir, "mx1.a.test", 2525, &got), 0);
	CU_ASSERT_EQUAL_FATAL(rs_tlsacache_get(dir, "mx1.a.test", 25, &got), 1);
	CU_ASSERT_EQUAL(got.state, RS_DNS_SECURE);
	CU_ASSERT_STRING_EQUAL(got.final_name, "_25._tcp.mx1.a.test");
	CU_ASSERT_EQUAL_FATAL(got.ntlsa, 2);
	CU_ASSERT_EQUAL(got.tlsa[0].usage, 3);
	CU_ASSERT_EQUAL(got.tlsa[1].selector, 0);
	CU_ASSERT_EQUAL_FATAL(got.tlsa[1].len, 3);
	CU_ASSERT_EQUAL(memcmp(got.tlsa[1].data, d2, 3), 0);
	rs_dns_result_clear(&got);
	path = malloc(strlen(dir) + 40);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	sprintf(path, "%s/tlsa-_25._tcp.bad.test", dir);
	fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("3 1 1 abc\n", fp);
	fclose(fp);
	CU_ASSERT_EQUAL(rs_tlsacache_get(dir, "bad.test", 25, &got), -1);
	CU_ASSERT_EQUAL(got.ntlsa, 0);
	unlink(path);
	sprintf(path, "%s/tlsa-_25._tcp.mx1.a.test", dir);
	unlink(path);
	free(path);
	CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* patience_of - the patience of a resolver made from a resolv.conf with
   text and -t timeout_s; -1 each when it cannot be made. */
static void
patience_of(const char *text, int timeout_s, int *try_s, int *tries)
{
	char path[] = "/tmp/dsim-resolv-XXXXXX";
	int fd = mkstemp(path);
	struct rs_dns *d;

	*try_s = *tries = -1;
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	d = rs_dns_new(path, timeout_s);
	unlink(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	rs_dns_patience(d, try_s, tries);
	rs_dns_free(d);
}

/* test_patience - three sends sharing -t, unless resolv.conf's options
   say timeout:N attempts:M (as a stub resolver reads them); values out
   of range are ignored. */
static void
test_patience(void)
{
	int try_s, tries;

	patience_of("nameserver 127.0.0.1\n", 10, &try_s, &tries);
	CU_ASSERT_EQUAL(try_s, 3);
	CU_ASSERT_EQUAL(tries, 3);
	patience_of("nameserver 127.0.0.1\noptions trust-ad edns0\n", 6, &try_s,
	    &tries);
	CU_ASSERT_EQUAL(try_s, 2);
	CU_ASSERT_EQUAL(tries, 3);
	patience_of("nameserver 127.0.0.1\n"
	            "options trust-ad edns0 timeout:2 attempts:2\n",
	    10, &try_s, &tries);
	CU_ASSERT_EQUAL(try_s, 2);
	CU_ASSERT_EQUAL(tries, 2);
	patience_of("options attempts:4\nnameserver 127.0.0.1\n"
	            "options timeout:0 attempts:9 timeout:x\n",
	    10, &try_s, &tries);
	CU_ASSERT_EQUAL(try_s, 3);
	CU_ASSERT_EQUAL(tries, 4);
}

static CU_TestInfo tests[] = {
    {"mx", test_mx},
    {"states", test_states},
    {"cname", test_cname},
    {"tlsa", test_tlsa},
    {"tlsacache", test_tlsacache},
    {"patience", test_patience},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("refsut_dns", NULL, NULL, tests);
