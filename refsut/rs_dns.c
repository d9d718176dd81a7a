/*
 * rs_dns.c - refsut's DNS lookups through ldns (see rs_dns.h).
 *
 * RFC 7672 §2.1.1: every RRset is classified secure / insecure /
 * non-existent / error; the AD bit of the resolver in resolv.conf is
 * trusted (the resolver is a validating one on loopback, RFC 4035
 * §3.2.3, R-2.1.1-d). §2.1.3: CNAME chains in the answer are followed;
 * a chain the resolver did not complete is re-queried at its target, and
 * the result is secure only if every answer on the way carried AD=1.
 */
#include "rs_dns.h"

#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

/* How many CNAME hops (inside answers and across re-queries) we follow. */
#define RS_DNS_MAX_HOPS 12

/* how often a query without an answer is sent (the -t budget is shared),
   unless resolv.conf says (options timeout:N attempts:M) */
#define RS_DNS_TRIES 3

struct rs_dns {
	ldns_resolver *res;
	uint64_t flags; /* refsut switches (RS_SW_*) */
	int tries;      /* sends of a query without an answer */
};

/*
 * stub_options - a stub resolver's "options timeout:N attempts:M" of
 * resolv.conf (resolv.conf(5); ldns reads no options): *timeout_s and
 * *tries set from what the file gives, left alone otherwise.
 */
static void
stub_options(const char *resolv_conf, int *timeout_s, int *tries)
{
	char line[512], *w, *save, *end;
	FILE *fp = fopen(resolv_conf, "r");
	long v;

	if (fp == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		w = strtok_r(line, " \t\r\n", &save);
		if (w == NULL || strcmp(w, "options") != 0)
			continue;
		while ((w = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
			if (strncmp(w, "timeout:", 8) == 0) {
				v = strtol(w + 8, &end, 10);
				if (*end == '\0' && v >= 1 && v <= 30)
					*timeout_s = (int)v;
			} else if (strncmp(w, "attempts:", 9) == 0) {
				v = strtol(w + 9, &end, 10);
				if (*end == '\0' && v >= 1 && v <= 5)
					*tries = (int)v;
			}
		}
	}
	fclose(fp);
}

struct rs_dns *
rs_dns_new(const char *resolv_conf, int timeout_s)
{
	struct rs_dns *d;
	ldns_resolver *res = NULL;
	ldns_status s;
	struct timeval tv;
	int tries, try_s;

	s = ldns_resolver_new_frm_file(&res, resolv_conf);
	if (s != LDNS_STATUS_OK || res == NULL) {
		log_errx("%s: cannot set up the resolver: %s", resolv_conf,
		    ldns_get_errorstr_by_id(s));
		return NULL;
	}
	if (ldns_resolver_nameserver_count(res) == 0) {
		log_errx("%s: no nameserver", resolv_conf);
		ldns_resolver_deep_free(res);
		return NULL;
	}
	ldns_resolver_set_dnssec(res, true);
	ldns_resolver_set_dnssec_cd(res, false);
	ldns_resolver_set_defnames(res, false);
	ldns_resolver_set_dnsrch(res, false);
	ldns_resolver_set_fallback(res, true);
	ldns_resolver_set_random(res, false);
	/* one send per try: lookup() retries itself (RS_DNS_TRIES) */
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_edns_udp_size(res, 1232);
	tries = RS_DNS_TRIES;
	try_s = (timeout_s > 0 ? timeout_s : 10) / RS_DNS_TRIES;
	stub_options(resolv_conf, &try_s, &tries);
	tv.tv_sec = try_s < 1 ? 1 : try_s;
	tv.tv_usec = 0;
	ldns_resolver_set_timeout(res, tv);
	d = xcalloc(1, sizeof(*d));
	d->res = res;
	d->tries = tries;
	return d;
}

void
rs_dns_set_flags(struct rs_dns *d, uint64_t flags)
{
	if (d != NULL)
		d->flags = flags;
}

void
rs_dns_patience(const struct rs_dns *d, int *try_s, int *tries)
{
	*try_s = (int)ldns_resolver_timeout(d->res).tv_sec;
	*tries = d->tries;
}

void
rs_dns_free(struct rs_dns *d)
{
	if (d == NULL)
		return;
	ldns_resolver_deep_free(d->res);
	free(d);
}

char *
rs_tlsa_text(const struct rs_tlsa *t)
{
	char *s = xmalloc(16 + 2 * t->len);
	size_t i, off;

	off = (size_t)snprintf(
	    s, 16, "%u %u %u ", t->usage, t->selector, t->mtype);
	for (i = 0; i < t->len; i++)
		off += (size_t)snprintf(s + off, 3, "%02x", t->data[i]);
	return s;
}

void
rs_dns_result_clear(struct rs_dns_result *r)
{
	size_t i;

	free(r->final_name);
	for (i = 0; i < r->nmx; i++)
		free(r->mx[i].name);
	free(r->mx);
	free(r->addrs);
	for (i = 0; i < r->ntlsa; i++)
		free(r->tlsa[i].data);
	free(r->tlsa);
	for (i = 0; i < r->ntxt; i++)
		free(r->txt[i]);
	free(r->txt);
	memset(r, 0, sizeof(*r));
}

/* dname_text - a dname as text without the final dot, lower case. */
static char *
dname_text(const ldns_rdf *rdf)
{
	char *s = ldns_rdf2str(rdf), *out;
	size_t n, i;

	if (s == NULL)
		return xstrdup("?");
	n = strlen(s);
	if (n > 1 && s[n - 1] == '.')
		n--;
	out = xstrndup(s, n);
	free(s);
	for (i = 0; i < n; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return out;
}

/*
 * follow_answer - walk the answer section from *cur along CNAMEs; returns
 * the records of type at the end of the chain (new list, caller frees
 * with ldns_rr_list_free, RRs borrowed from pkt) and moves *cur to the
 * last name reached. Sets *followed when a CNAME was crossed; *hops
 * counts them and stops loops.
 */
static ldns_rr_list *
follow_answer(
    ldns_pkt *pkt, ldns_rdf **cur, ldns_rr_type type, int *followed, int *hops)
{
	ldns_rr_list *ans = ldns_pkt_answer(pkt);
	ldns_rr_list *out = ldns_rr_list_new();
	size_t i, n = ans ? ldns_rr_list_rr_count(ans) : 0;

	for (;;) {
		ldns_rdf *next = NULL;

		for (i = 0; i < n; i++) {
			ldns_rr *rr = ldns_rr_list_rr(ans, i);

			if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
			    ldns_dname_compare(ldns_rr_owner(rr), *cur) != 0)
				continue;
			if (ldns_rr_get_type(rr) == type)
				ldns_rr_list_push_rr(out, rr);
			else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
			         ldns_rr_rd_count(rr) == 1 && next == NULL)
				next = ldns_rr_rdf(rr, 0);
		}
		if (ldns_rr_list_rr_count(out) > 0 || next == NULL ||
		    type == LDNS_RR_TYPE_CNAME)
			break;
		if (++*hops > RS_DNS_MAX_HOPS)
			break;
		ldns_rdf_deep_free(*cur);
		*cur = ldns_rdf_clone(next);
		*followed = 1;
	}
	return out;
}

/* has_cname_at - whether the answer holds a CNAME owned by name. */
static int
has_cname_at(ldns_pkt *pkt, const ldns_rdf *name)
{
	ldns_rr_list *ans = ldns_pkt_answer(pkt);
	size_t i, n = ans ? ldns_rr_list_rr_count(ans) : 0;

	for (i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(ans, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
		    ldns_dname_compare(ldns_rr_owner(rr), name) == 0)
			return 1;
	}
	return 0;
}

/* take_mx - copy MX records into r; detect the null MX (RFC 7505). */
static void
take_mx(ldns_rr_list *rrs, struct rs_dns_result *r)
{
	size_t i, n = ldns_rr_list_rr_count(rrs);

	r->mx = xcalloc(n, sizeof(*r->mx));
	for (i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		struct rs_mx_host *h = &r->mx[r->nmx];

		if (ldns_rr_rd_count(rr) != 2)
			continue;
		h->pref = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
		h->name = dname_text(ldns_rr_rdf(rr, 1));
		h->order = r->nmx++;
	}
	/* RFC 7505: a null MX is the only record of its RRset. */
	r->null_mx = r->nmx == 1 && strcmp(r->mx[0].name, ".") == 0;
}

/* take_a - copy A or AAAA records into r as address text. */
static void
take_a(ldns_rr_list *rrs, struct rs_dns_result *r)
{
	size_t i, n = ldns_rr_list_rr_count(rrs);

	r->addrs = xcalloc(n, sizeof(*r->addrs));
	for (i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		char *s;

		if (ldns_rr_rd_count(rr) != 1)
			continue;
		s = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		if (s != NULL && strlen(s) < sizeof(r->addrs[0]))
			snprintf(r->addrs[r->naddrs++], sizeof(r->addrs[0]),
			    "%s", s);
		free(s);
	}
}

/* take_tlsa - copy TLSA records into r; short records get len 0. */
static void
take_tlsa(ldns_rr_list *rrs, struct rs_dns_result *r)
{
	size_t i, n = ldns_rr_list_rr_count(rrs);

	r->tlsa = xcalloc(n, sizeof(*r->tlsa));
	for (i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		struct rs_tlsa *t = &r->tlsa[r->ntlsa++];
		ldns_rdf *f;

		t->usage = t->selector = t->mtype = 255;
		if (ldns_rr_rd_count(rr) >= 1 &&
		    ldns_rdf_size(f = ldns_rr_rdf(rr, 0)) == 1)
			t->usage = ldns_rdf_data(f)[0];
		if (ldns_rr_rd_count(rr) >= 2 &&
		    ldns_rdf_size(f = ldns_rr_rdf(rr, 1)) == 1)
			t->selector = ldns_rdf_data(f)[0];
		if (ldns_rr_rd_count(rr) >= 3 &&
		    ldns_rdf_size(f = ldns_rr_rdf(rr, 2)) == 1)
			t->mtype = ldns_rdf_data(f)[0];
		if (ldns_rr_rd_count(rr) >= 4) {
			f = ldns_rr_rdf(rr, 3);
			t->len = ldns_rdf_size(f);
			t->data = xmalloc(t->len ? t->len : 1);
			memcpy(t->data, ldns_rdf_data(f), t->len);
		}
	}
}

/* take_txt - copy TXT records into r, each record's strings joined
 * (RFC 8461 §3.1: a record may be split into several strings). */
static void
take_txt(ldns_rr_list *rrs, struct rs_dns_result *r)
{
	size_t i, j, n = ldns_rr_list_rr_count(rrs), len;
	struct buf b;

	r->txt = xcalloc(n ? n : 1, sizeof(*r->txt));
	for (i = 0; i < n; i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);

		buf_init(&b);
		for (j = 0; j < ldns_rr_rd_count(rr); j++) {
			const uint8_t *d = ldns_rdf_data(ldns_rr_rdf(rr, j));

			len = ldns_rdf_size(ldns_rr_rdf(rr, j));
			if (len == 0 || d[0] > len - 1)
				continue;
			buf_append(&b, d + 1, d[0]);
		}
		r->txt[r->ntxt++] = buf_steal(&b);
	}
}

int
rs_dns_answer(ldns_pkt *pkt, ldns_rr_type type, ldns_rdf **cur, int *secure,
    int *hops, struct rs_dns_result *r)
{
	ldns_rr_list *rrs;
	ldns_pkt_rcode rc;
	int followed = 0;

	r->state = RS_DNS_ERROR;
	if (!ldns_pkt_ad(pkt))
		*secure = 0;
	rc = ldns_pkt_get_rcode(pkt);
	if (rc == LDNS_RCODE_NXDOMAIN) {
		/* NXDOMAIN also when a chain ends at a missing name. */
		r->state = RS_DNS_NXDOMAIN;
		snprintf(r->why, sizeof(r->why), "NXDOMAIN (AD=%d)", *secure);
		return 0;
	}
	if (rc != LDNS_RCODE_NOERROR) {
		ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rc);

		snprintf(r->why, sizeof(r->why), "%s",
		    lt ? lt->name : "unknown rcode");
		return 0;
	}
	if (ldns_pkt_tc(pkt)) {
		snprintf(r->why, sizeof(r->why), "truncated answer");
		return 0;
	}
	rrs = follow_answer(pkt, cur, type, &followed, hops);
	r->cname |= followed;
	if (ldns_rr_list_rr_count(rrs) == 0) {
		ldns_rr_list_free(rrs);
		if (*hops > RS_DNS_MAX_HOPS) {
			snprintf(
			    r->why, sizeof(r->why), "CNAME chain too long");
			return 0;
		}
		if (followed && !has_cname_at(pkt, *cur) &&
		    ++*hops <= RS_DNS_MAX_HOPS)
			/* The chain stops at a target without data: ask for
			 * the target itself (R-2.1.3-b). */
			return 1;
		if (*hops > RS_DNS_MAX_HOPS) {
			snprintf(
			    r->why, sizeof(r->why), "CNAME chain too long");
			return 0;
		}
		r->state = RS_DNS_NODATA;
		snprintf(r->why, sizeof(r->why), "NODATA (AD=%d)", *secure);
		return 0;
	}
	r->state = *secure ? RS_DNS_SECURE : RS_DNS_INSECURE;
	snprintf(r->why, sizeof(r->why), "%s (AD=%d)",
	    *secure ? "secure" : "insecure", *secure);
	if (type == LDNS_RR_TYPE_MX)
		take_mx(rrs, r);
	else if (type == LDNS_RR_TYPE_A || type == LDNS_RR_TYPE_AAAA)
		take_a(rrs, r);
	else if (type == LDNS_RR_TYPE_TLSA)
		take_tlsa(rrs, r);
	else if (type == LDNS_RR_TYPE_TXT)
		take_txt(rrs, r);
	ldns_rr_list_free(rrs);
	return 0;
}

/*
 * query - ask cur/type like a stub resolver with its "attempts": a query
 * that got no answer is sent again (a validating resolver may drop the
 * answer to a query that took it long, expecting a retry). ldns marks a
 * server that timed out as unreachable and then fails every later query
 * at once, so each try starts fresh. The status of the last try.
 */
static ldns_status
query(struct rs_dns *d, const ldns_rdf *cur, ldns_rr_type type, ldns_pkt **pkt)
{
	ldns_status s = LDNS_STATUS_NETWORK_ERR;
	size_t i;
	int try;

	for (try = 0; try < d->tries; try++) {
		for (i = 0; i < ldns_resolver_nameserver_count(d->res); i++)
			ldns_resolver_set_nameserver_rtt(
			    d->res, i, LDNS_RESOLV_RTT_MIN);
		s = ldns_resolver_query_status(
		    pkt, d->res, cur, type, LDNS_RR_CLASS_IN, LDNS_RD);
		if (s != LDNS_STATUS_NETWORK_ERR || *pkt != NULL)
			break;
	}
	return s;
}

/* lookup - one lookup with CNAME following; fills r (see rs_dns.h). */
static void
lookup(struct rs_dns *d, const char *name, ldns_rr_type type,
    struct rs_dns_result *r)
{
	ldns_rdf *cur = NULL;
	ldns_pkt *pkt = NULL;
	char *qname;
	int secure = 1, hops = 0;

	memset(r, 0, sizeof(*r));
	r->state = RS_DNS_ERROR;
	qname = xasprintf("%s%s", name,
	    name[0] != '\0' && name[strlen(name) - 1] == '.' ? "" : ".");
	cur = ldns_dname_new_frm_str(qname);
	if (cur == NULL) {
		snprintf(r->why, sizeof(r->why), "not a domain name");
		goto out;
	}
	for (;;) {
		ldns_status s;
		int timeout;

		s = query(d, cur, type, &pkt);
		timeout =
		    s == LDNS_STATUS_NETWORK_ERR || s == LDNS_STATUS_RES_NO_NS;
		if ((s != LDNS_STATUS_OK || pkt == NULL) &&
		    !(timeout && rs_policy_cd_retry(
		                     1, type == LDNS_RR_TYPE_AAAA, d->flags))) {
			r->state = RS_DNS_ERROR;
			if (timeout)
				snprintf(r->why, sizeof(r->why),
				    "no answer (time-out)");
			else
				snprintf(r->why, sizeof(r->why), "%s",
				    ldns_get_errorstr_by_id(s));
			goto out;
		}
		if (timeout || rs_policy_cd_retry(ldns_pkt_get_rcode(pkt) ==
		                                      LDNS_RCODE_SERVFAIL,
		                   type == LDNS_RR_TYPE_AAAA, d->flags)) {
			/* --cd-retry (for AAAA also --aaaa-security-
			 * unchecked): the same question without validation;
			 * its answer carries AD=0 and so counts as insecure. */
			ldns_pkt_free(pkt);
			pkt = NULL;
			ldns_resolver_set_dnssec_cd(d->res, true);
			s = query(d, cur, type, &pkt);
			ldns_resolver_set_dnssec_cd(d->res, false);
			if (s != LDNS_STATUS_OK || pkt == NULL) {
				r->state = RS_DNS_ERROR;
				snprintf(r->why, sizeof(r->why),
				    "%s, and no answer with CD=1",
				    timeout ? "no answer (time-out)"
				            : "SERVFAIL");
				goto out;
			}
			secure = 0;
		}
		if (rs_dns_answer(pkt, type, &cur, &secure, &hops, r) == 0)
			break;
		ldns_pkt_free(pkt);
		pkt = NULL;
	}
out:
	r->ad = r->state != RS_DNS_ERROR && secure;
	if (cur != NULL)
		r->final_name = dname_text(cur);
	else
		r->final_name = xstrdup(name);
	ldns_pkt_free(pkt);
	ldns_rdf_deep_free(cur);
	free(qname);
}

void
rs_dns_lookup_mx(struct rs_dns *d, const char *name, struct rs_dns_result *r)
{
	lookup(d, name, LDNS_RR_TYPE_MX, r);
}

void
rs_dns_lookup_a(struct rs_dns *d, const char *name, struct rs_dns_result *r)
{
	lookup(d, name, LDNS_RR_TYPE_A, r);
}

void
rs_dns_lookup_txt(struct rs_dns *d, const char *name, struct rs_dns_result *r)
{
	lookup(d, name, LDNS_RR_TYPE_TXT, r);
}

void
rs_dns_lookup_aaaa(struct rs_dns *d, const char *name, struct rs_dns_result *r)
{
	lookup(d, name, LDNS_RR_TYPE_AAAA, r);
}

void
rs_dns_lookup_cname(struct rs_dns *d, const char *name, struct rs_dns_result *r)
{
	lookup(d, name, LDNS_RR_TYPE_CNAME, r);
}

void
rs_dns_lookup_tlsa(
    struct rs_dns *d, const char *name, int port, struct rs_dns_result *r)
{
	char *q = xasprintf("_%d._tcp.%s", port, name);

	lookup(d, q, LDNS_RR_TYPE_TLSA, r);
	free(q);
}
