/*
 * rs_dns.h - refsut's DNS lookups through ldns: MX, A, AAAA and TLSA queries to
 * the resolver named in resolv.conf, with the DO bit set, trusting that
 * resolver's AD bit (as Postfix does; RFC 7672 §2.1.1, RFC 4035 §3.2.3),
 * following the CNAMEs it returns (RFC 7672 §2.1.3).
 */
#ifndef DSIM_RS_DNS_H
#define DSIM_RS_DNS_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "rs_policy.h"

struct rs_dns;

/* Room for an address's text: INET6_ADDRSTRLEN. */
#define RS_DNS_ADDR_MAX 46

/* One TLSA record. */
struct rs_tlsa {
	uint8_t usage, selector, mtype;
	unsigned char *data; /* owned */
	size_t len;
};

/* The result of one lookup. */
struct rs_dns_result {
	enum rs_dns_state state;
	char why[160];    /* what went wrong, or the rcode, for logs */
	char *final_name; /* owner after CNAMEs, no final dot (owned) */
	int cname;        /* 1 if a CNAME was followed */
	int ad;           /* every answer on the way had AD=1 */
	/* MX: hosts as received (unsorted); null_mx when "0 ." */
	struct rs_mx_host *mx;
	size_t nmx;
	int null_mx;
	/* A / AAAA: addresses as text (RS_DNS_ADDR_MAX bytes with the NUL) */
	char (*addrs)[RS_DNS_ADDR_MAX];
	size_t naddrs;
	/* TLSA */
	struct rs_tlsa *tlsa;
	size_t ntlsa;
	/* TXT: each record's character-strings joined (new strings) */
	char **txt;
	size_t ntxt;
};

/*
 * rs_dns_new - a resolver from resolv_conf with per-query time-out
 * timeout_s: three sends, each waiting a third of it, or what the
 * file's "options timeout:N attempts:M" say, as a stub resolver reads
 * them. NULL on failure (logged).
 */
struct rs_dns *rs_dns_new(const char *resolv_conf, int timeout_s);

/*
 * rs_dns_set_flags - the refsut switches lookups obey (only --cd-retry
 * and --aaaa-security-unchecked change what rs_dns does; see
 * rs_policy_cd_retry).
 */
void rs_dns_set_flags(struct rs_dns *d, uint64_t flags);

/* rs_dns_patience - how long a query without an answer is waited for:
 *try_s seconds per send, *tries sends. */
void rs_dns_patience(const struct rs_dns *d, int *try_s, int *tries);

/* rs_dns_free - release the resolver; NULL is fine. */
void rs_dns_free(struct rs_dns *d);

/*
 * rs_dns_lookup_mx / _a / _aaaa / _tlsa - look name up (absolute or not; a
 * final dot is added). The result is filled in every case (state ERROR with why
 * set on failure) and must be released with rs_dns_result_clear.
 * rs_dns_lookup_tlsa queries _<port>._tcp.<name>.
 */
void rs_dns_lookup_mx(
    struct rs_dns *d, const char *name, struct rs_dns_result *r);
void rs_dns_lookup_a(
    struct rs_dns *d, const char *name, struct rs_dns_result *r);
void rs_dns_lookup_aaaa(
    struct rs_dns *d, const char *name, struct rs_dns_result *r);
void rs_dns_lookup_tlsa(
    struct rs_dns *d, const char *name, int port, struct rs_dns_result *r);

/* rs_dns_lookup_txt - the TXT records of name (RFC 8461 §3.1, the
 * "_mta-sts" record); filled as rs_dns_lookup_a. */
void rs_dns_lookup_txt(
    struct rs_dns *d, const char *name, struct rs_dns_result *r);

/*
 * rs_dns_lookup_cname - the CNAME record of name alone (RFC 7672 §2.1.3:
 * whether the zone of an alias is signed); filled as rs_dns_lookup_a.
 */
void rs_dns_lookup_cname(
    struct rs_dns *d, const char *name, struct rs_dns_result *r);

/*
 * rs_dns_answer - classify one answer pkt to the query *cur/type into r
 * (state, why, cname, records; r must be zeroed before the first answer
 * of a lookup). *secure is cleared when AD=0; CNAMEs in the answer move
 * *cur (replaced, owned by the caller) and count in *hops. Returns 1 when
 * the chain ends at a target the answer holds no data for and the caller
 * should ask again for *cur (R-2.1.3-b), 0 when r is final. Pure: no
 * I/O, nothing logged.
 */
int rs_dns_answer(ldns_pkt *pkt, ldns_rr_type type, ldns_rdf **cur, int *secure,
    int *hops, struct rs_dns_result *r);

/* rs_dns_result_clear - free what r holds and zero it. */
void rs_dns_result_clear(struct rs_dns_result *r);

/* rs_tlsa_text - "USAGE SELECTOR MTYPE HEX" (hex in lower case) of t; a
   new string. */
char *rs_tlsa_text(const struct rs_tlsa *t);

#endif /* DSIM_RS_DNS_H */
