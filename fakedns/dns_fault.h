/*
 * dns_fault.h - the serving-time faults of fakedns, as one table of
 * behaviours (struct dns_fault_ops) that the answer builder consults at
 * three fixed points: before the lookup (may decide the whole reply),
 * after it (may edit the sections) and after wire encoding (may garble the
 * bytes). The faults are the serving-time breaks of lib/dnsbreak.h: their
 * names, and whether they take "ms", come from that table.
 */
#ifndef DSIM_DNS_FAULT_H
#define DSIM_DNS_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "dnsbreak.h"
#include "scn_when.h"

struct dns_reply;
struct dns_fault;

struct dns_fault_ops {
	enum scn_break what; /* the break it does (name, takes ms) */
	/*
	 * before - called before the lookup; returns 1 when it decided the
	 * reply (no lookup follows), 0 to go on. NULL = nothing to do.
	 */
	int (*before)(struct dns_reply *r, const struct dns_fault *f);
	/* after - edit the looked-up reply's sections. NULL = nothing. */
	void (*after)(struct dns_reply *r, const struct dns_fault *f);
	/*
	 * wire - edit the encoded reply in place; *len may shrink or grow up
	 * to cap bytes. NULL = nothing.
	 */
	void (*wire)(uint8_t *buf, size_t *len, size_t cap);
};

/* A fault from the configuration: what breaks for which owner and type. */
struct dns_fault {
	ldns_rdf *owner;   /* owned, absolute */
	ldns_rr_type type; /* LDNS_RR_TYPE_ANY matches every type */
	const struct dns_fault_ops *ops; /* borrowed from the static table */
	long ms;                         /* delay for "delay" */
	char *scenario;                  /* owned, may be NULL */
	struct scn_when when;            /* attempts=: when it holds */
	int off; /* not in the scenario's attempt now (dns_fault_phase) */
};

/*
 * dns_fault_by_name - the table entry of the serving-time break named
 * name, or NULL if unknown or applied at signing time.
 */
const struct dns_fault_ops *dns_fault_by_name(const char *name);

/* dns_fault_of - the entry of break b, or NULL if fakedns has none. */
const struct dns_fault_ops *dns_fault_of(enum scn_break b);

/*
 * dns_fault_phase - the filter of phases: turn every fault of
 * faults[0..n) on or off for the attempt its scenario is in (a).
 */
void dns_fault_phase(
    struct dns_fault *faults, size_t n, const struct scn_attempts *a);

/*
 * dns_fault_find - the first fault (not off) in faults[0..n) for this owner and
 * type (exact owner, case-insensitive; type equal or ANY), or NULL.
 */
const struct dns_fault *dns_fault_find(const struct dns_fault *faults, size_t n,
    const ldns_rdf *qname, ldns_rr_type qtype);

#endif /* DSIM_DNS_FAULT_H */
