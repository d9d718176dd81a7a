/*
 * dns_reply.h - a reply of fakedns while it is built: what the answer
 * builder (dns_answer.c) puts in it and the fault behaviours
 * (dns_fault.c) change, and the helpers both use. Below both, so neither
 * includes the other.
 */
#ifndef DSIM_DNS_REPLY_H
#define DSIM_DNS_REPLY_H

#include <ldns/ldns.h>

#include "dns_zone.h"

enum dns_action {
	DNS_ACT_REPLY = 0, /* send wire (after delay_ms) */
	DNS_ACT_DROP,      /* send nothing */
	DNS_ACT_CLOSE      /* TCP: close the connection, send nothing */
};

/* dns_action_str - "reply", "drop", "close". */
const char *dns_action_str(enum dns_action a);

/*
 * A reply while it is built: header bits and three sections of borrowed
 * records (from the zone) plus records synthesised for this reply (owned
 * in `owned`). Fault behaviours (dns_fault.c) work on this.
 */
struct dns_reply {
	const struct dns_zone *zone; /* zone answering, or NULL */
	const ldns_rdf *qname;       /* borrowed from the query */
	ldns_rr_type qtype;
	int tcp;       /* arrived over TCP */
	int dnssec_ok; /* DO bit of the query */
	enum dns_action action;
	long delay_ms;
	int rcode;            /* LDNS_RCODE_* */
	int aa;               /* AA bit */
	int tc;               /* TC bit (set by a fault) */
	ldns_rr_list *answer; /* shallow lists */
	ldns_rr_list *authority;
	ldns_rr_list *additional;
	ldns_rr_list *owned; /* deep: synthesised records */
};

/* dns_reply_add_soa - put the zone's SOA (and its RRSIGs if DO) in the
 * authority section, as a negative answer needs. */
void dns_reply_add_soa(struct dns_reply *r);

/* dns_reply_clear - empty all three sections. */
void dns_reply_clear(struct dns_reply *r);

/* dns_list_has - whether rr (by identity) is already in list. */
int dns_list_has(const ldns_rr_list *list, const ldns_rr *rr);

/* dns_list_push - append each record of src (borrowed) not yet in sec. */
void dns_list_push(ldns_rr_list *sec, const ldns_rr_list *src);

/* dns_reply_add_set - put an RRset (and, with DO and sigs, its RRSIGs)
 * in sec, a section of r. */
void dns_reply_add_set(struct dns_reply *r, ldns_rr_list *sec,
    const struct dns_rrset *s, int sigs);

#endif /* DSIM_DNS_REPLY_H */
