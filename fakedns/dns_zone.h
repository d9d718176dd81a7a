/*
 * dns_zone.h - one authoritative zone as fakedns serves it: loaded from a
 * (signed or unsigned) master file with ldns, held as owner names in
 * canonical order (RFC 4034 §6.1) with their RRsets and covering RRSIGs,
 * plus the NSEC3 chain sorted by hash (RFC 5155 §3, §7.2).
 *
 * Ownership: a struct dns_zone owns every ldns object it points to;
 * dns_zone_free() releases all of it. Lookups return borrowed pointers
 * valid until the zone is freed. Lookups never allocate anything the
 * caller must free unless they say so.
 */
#ifndef DSIM_DNS_ZONE_H
#define DSIM_DNS_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/* All records of one owner and type, with the RRSIGs that cover them. */
struct dns_rrset {
	ldns_rr_type type;
	ldns_rr_list *rrs;  /* owned; may be empty when only RRSIGs exist */
	ldns_rr_list *sigs; /* owned; RRSIGs with this type covered */
};

/* One owner name of the zone (NSEC3 owners are kept apart). */
struct dns_node {
	ldns_rdf *name;         /* owned, as in the file */
	struct dns_rrset *sets; /* owned array */
	size_t nsets;
};

/* One NSEC3 record with its signatures, keyed by its hash label. */
struct dns_nsec3 {
	char *hash;         /* owned: first owner label, lower-case base32hex */
	ldns_rr *rr;        /* owned */
	ldns_rr_list *sigs; /* owned */
};

/* A name that exists in a zone: borrowed bytes of an owner name. */
struct dns_zone_ent {
	const uint8_t *name; /* NULL: a free slot */
	size_t len;
};

struct dns_zone {
	char *name;     /* owned: apex text with final dot, lower case */
	ldns_rdf *apex; /* owned */
	char *file;     /* owned: the master file it came from */
	int has_dnskey; /* DNSKEY at the apex */
	int has_nsec;   /* NSEC records present */
	int has_nsec3;  /* NSEC3PARAM at the apex and NSEC3 records */
	uint8_t n3_alg; /* NSEC3 hash parameters (from NSEC3PARAM) */
	uint16_t n3_iter;
	uint8_t n3_saltlen;
	uint8_t n3_salt[255];
	struct dns_node *nodes; /* owned, canonical order */
	size_t nnodes;
	/* owned: open-addressing table of node numbers + 1 (0 = free slot)
	 * by dns_name_hash() of the owner, for dns_zone_find() */
	size_t *index;
	size_t index_mask;
	/* owned: open-addressing table of every name with an owner at or
	 * below it (each a suffix of an owner's bytes; NULL = free slot), for
	 * dns_zone_exists() */
	struct dns_zone_ent *exist;
	size_t exist_mask;
	struct dns_nsec3 *n3; /* owned, sorted by hash */
	size_t nn3;
};

/*
 * dns_zone_load - read the master file `file` for the zone `apex` (text,
 * final dot optional). Every record must be class IN and at or below the
 * apex, and there must be exactly one SOA, at the apex. Returns a new zone
 * (caller frees with dns_zone_free) or NULL with the reason ("FILE:LINE:
 * what") in err (errsz bytes); not logged.
 */
struct dns_zone *dns_zone_load(
    const char *file, const char *apex, char *err, size_t errsz);

/*
 * dns_zone_dname - the absolute domain name written in text (final dot
 * optional). Returns a new rdf (caller frees with ldns_rdf_deep_free) or
 * NULL when text is not a domain name.
 */
ldns_rdf *dns_zone_dname(const char *text);

/* dns_zone_free - release the zone and all it owns; NULL is fine. */
void dns_zone_free(struct dns_zone *z);

/* dns_zone_contains - 1 if name is the apex or below it, else 0. */
int dns_zone_contains(const struct dns_zone *z, const ldns_rdf *name);

/* dns_zone_find - the node whose owner equals name, or NULL. */
const struct dns_node *dns_zone_find(
    const struct dns_zone *z, const ldns_rdf *name);

/*
 * dns_zone_exists - 1 if name owns records or is an empty non-terminal
 * (some owner lies below it), else 0. NSEC3 owners do not count.
 */
int dns_zone_exists(const struct dns_zone *z, const ldns_rdf *name);

/* dns_node_rrset - the RRset of type at node (non-empty), or NULL. */
const struct dns_rrset *dns_node_rrset(
    const struct dns_node *n, ldns_rr_type type);

/*
 * dns_zone_nsec_cover - the node holding the NSEC record that precedes
 * name in canonical order (the one covering name when name does not exist;
 * the node itself when name owns an NSEC). NULL when the zone has no NSEC.
 */
const struct dns_node *dns_zone_nsec_cover(
    const struct dns_zone *z, const ldns_rdf *name);

/*
 * dns_zone_nsec3_hash - the NSEC3 hash of name with the zone's parameters
 * as lower-case base32hex text into out (at least 64 bytes). Returns 0, or
 * -1 when the zone has no NSEC3 parameters or hashing failed.
 */
int dns_zone_nsec3_hash(
    const struct dns_zone *z, const ldns_rdf *name, char *out, size_t outsz);

/* dns_zone_nsec3_match - the NSEC3 whose owner hash equals hash, or NULL. */
const struct dns_nsec3 *dns_zone_nsec3_match(
    const struct dns_zone *z, const char *hash);

/*
 * dns_zone_nsec3_cover - the NSEC3 whose owner hash is the greatest one
 * below hash (wrapping around to the last), i.e. the one covering hash
 * when no NSEC3 matches. NULL when the zone has none.
 */
const struct dns_nsec3 *dns_zone_nsec3_cover(
    const struct dns_zone *z, const char *hash);

#endif /* DSIM_DNS_ZONE_H */
