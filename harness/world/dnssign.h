/*
 * dnssign.h - DNSSEC keys and zone signing for the per-run world, with
 * breakage applied on purpose at signing time.
 *
 * Keys are ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605), one KSK
 * (flags 257) and one ZSK (flags 256) per zone (RFC 4034 section 2.1.1).
 * Zones are signed by ldns with NSEC (RFC 4034 section 4) or NSEC3
 * (RFC 5155; SHA-1, no extra iterations and no salt, as RFC 9276 section
 * 3.1 asks). DS records use SHA-256 (RFC 4509).
 *
 * Ownership: a struct dnssign_keys owns its ldns keys (through its list;
 * ldns_key_list_free frees the keys too) and its DNSKEY RRs;
 * dnssign_keys_free() releases them. Zones and RRs returned are the
 * caller's (ldns_zone_deep_free, ldns_rr_free).
 */
#ifndef DSIM_DNSSIGN_H
#define DSIM_DNSSIGN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ldns/ldns.h>

#include "scn.h"

/* The two keys of one zone. */
struct dnssign_keys {
	ldns_key_list *list; /* both keys, for ldns's signer */
	ldns_key *ksk;       /* owned (through list) */
	ldns_key *zsk;
	ldns_rr *ksk_rr; /* owned DNSKEY RRs, TTL 300 */
	ldns_rr *zsk_rr;
};

/*
 * dnssign_keys_new - make a KSK and a ZSK for the zone apex (absolute
 * name text). Returns 0, or -1 (logged); on failure k holds nothing.
 */
int dnssign_keys_new(struct dnssign_keys *k, const char *apex);

/* dnssign_keys_free - release the keys; k is empty afterwards. */
void dnssign_keys_free(struct dnssign_keys *k);

/* dnssign_ds - the SHA-256 DS RR of the KSK (TTL 300); NULL (logged). */
ldns_rr *dnssign_ds(const struct dnssign_keys *k);

/*
 * dnssign_wrong_ds - a SHA-256 DS for owner apex made from a fresh key
 * that signs nothing, so it matches no DNSKEY of the zone. NULL (logged).
 */
ldns_rr *dnssign_wrong_ds(const char *apex);

/*
 * dnssign_write_keys - write the KSK and ZSK private keys as PEM to
 * ksk_path and zsk_path (mode 0600). Returns 0 or -1 (logged).
 */
int dnssign_write_keys(
    const struct dnssign_keys *k, const char *ksk_path, const char *zsk_path);

/*
 * dnssign_zone - sign the records of zone (its SOA and RRs, which must
 * not hold DNSKEYs; the keys' DNSKEY RRs are added) with NSEC, or with
 * NSEC3 when nsec3 is set, every signature valid from inception to
 * expiration. Returns a new flat zone (caller frees with
 * ldns_zone_deep_free), or NULL (logged).
 */
ldns_zone *dnssign_zone(const ldns_zone *zone, struct dnssign_keys *k,
    int nsec3, uint32_t inception, uint32_t expiration);

/*
 * dnssign_break - apply one signing-time break to the signed zone z:
 * every RRSIG owned by owner covering type (LDNS_RR_TYPE_ANY: any type)
 * is removed (SCN_BRK_RRSIG_MISSING), has bytes of its signature flipped
 * (SCN_BRK_RRSIG_CORRUPT), or is replaced by a signature made by the same
 * key with a validity that ended before now (SCN_BRK_RRSIG_EXPIRED) or
 * starts after now (SCN_BRK_RRSIG_FUTURE). Returns the number of RRSIGs
 * changed (0 if none matched), or -1 (logged).
 */
int dnssign_break(ldns_zone *z, struct dnssign_keys *k, const ldns_rdf *owner,
    ldns_rr_type type, enum scn_break what, time_t now);

#endif /* DSIM_DNSSIGN_H */
