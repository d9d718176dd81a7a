/*
 * dns_fault.h - the serving-time faults of fakedns, as one table of
 * behaviours (struct dns_fault_ops) that the answer builder consults at
 * three fixed points: before the lookup (may decide the whole reply),
 * after it (may edit the sections) and after wire encoding (may garble the
 * bytes). Names are the scn_break_str() names of docs/scenario-format.md.
 */
#ifndef DSIM_DNS_FAULT_H
#define DSIM_DNS_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "scn_when.h"

struct dns_reply;
struct dns_fault;

struct dns_fault_ops {
	const char *name; /* "servfail", "delay", ... */
	int takes_ms;     /* 1 if the fault uses its "ms" value */
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

/* dns_fault_by_name - the table entry named name, or NULL if unknown. */
const struct dns_fault_ops *dns_fault_by_name(const char *name);

/* dns_fault_table - the whole table (for listing); *n gets its size. */
const struct dns_fault_ops *dns_fault_table(size_t *n);

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
