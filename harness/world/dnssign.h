/*
 * dnssign.h - DNSSEC keys and zone signing for the per-run world, with
 * breakage applied on purpose at signing time.
 *
 * Keys are ECDSA P-256 with SHA-256 (algorithm 13, RFC 6605), one KSK
 * (flags 257) and one ZSK (flags 256) per zone (RFC 4034 section 2.1.1).
 * Zones are signed by ldns with NSEC (RFC 4034 section 4) or NSEC3
 * (RFC 5155; SHA-1, by default no extra iterations and no salt, as RFC
 * 9276 section 3.1 asks; a scenario may ask for others and for opt-out,
 * RFC 5155 section 6). DS records use SHA-256 (RFC 4509).
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

/* NSEC3 parameters of one zone (RFC 5155 section 3.1). */
struct dnssign_nsec3 {
	int optout;          /* Opt-Out flag; insecure delegations left out */
	uint16_t iterations; /* additional hash iterations */
	uint8_t salt_len;
	uint8_t salt[255];
};

/*
 * dnssign_nsec3_params - fill n3 from a scenario zone's NSEC3 options
 * (salt as hex text, NULL for none). Returns 0, or -1 on a bad salt.
 */
int dnssign_nsec3_params(
    struct dnssign_nsec3 *n3, int optout, int iterations, const char *salt_hex);

/*
 * dnssign_zone - sign the records of zone (its SOA and RRs, which must
 * not hold DNSKEYs; the keys' DNSKEY RRs are added) with NSEC, or with
 * NSEC3 when n3 is not NULL, every signature valid from inception to
 * expiration. With n3->optout every NSEC3 has the Opt-Out flag and the
 * insecure delegations (an NS below the apex without a DS) and the names
 * below them get no NSEC3 of their own (RFC 5155 section 7.1): an opt-out
 * span covers them. Returns a new flat zone (caller frees with
 * ldns_zone_deep_free), or NULL (logged).
 */
ldns_zone *dnssign_zone(const ldns_zone *zone, struct dnssign_keys *k,
    const struct dnssign_nsec3 *n3, uint32_t inception, uint32_t expiration);

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
