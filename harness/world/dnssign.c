/*
 * dnssign.c - zone keys, signing and signing-time breakage for the
 * per-run DNS tree.
 *
 * Implements: RFC 4034 sections 2 (DNSKEY), 3 (RRSIG), 4 (NSEC) and 5
 * (DS) through ldns; RFC 5155 (NSEC3) with the parameters of RFC 9276
 * section 3.1; RFC 6605 (ECDSA P-256, algorithm 13); RFC 4509 (SHA-256
 * DS). The breaks make RRSIGs that RFC 4035 section 5.3.1 tells a
 * validator to reject (validity window) or that fail the cryptographic
 * check (section 5.3.3).
 *
 * Ownership between ldns objects is kept simple: the records are signed
 * in an ldns_dnssec_zone built from copies, the result is printed and read
 * back as a flat ldns_zone, so the caller gets one structure it owns
 * outright and that is exactly what the zone file will say.
 */
#include "harness/world/dnssign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "log.h"
#include "xmalloc.h"

#define DNSSIGN_TTL 300

/* key_make - one ECDSA P-256 key with flags for apex; NULL (logged). */
static ldns_key *
key_make(const char *apex, uint16_t flags, ldns_rr **rr_out)
{
	ldns_key *key;
	ldns_rdf *owner;
	ldns_rr *rr;

	owner = ldns_dname_new_frm_str(apex);
	if (owner == NULL) {
		log_warnx("dnssign: bad zone name '%s'", apex);
		return NULL;
	}
	key = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	if (key == NULL) {
		log_warnx("dnssign: key generation failed for %s", apex);
		ldns_rdf_deep_free(owner);
		return NULL;
	}
	ldns_key_set_pubkey_owner(key, owner);
	ldns_key_set_flags(key, flags);
	ldns_key_set_use(key, true);
	rr = ldns_key2rr(key);
	if (rr == NULL) {
		log_warnx("dnssign: cannot make the DNSKEY of %s", apex);
		ldns_key_deep_free(key);
		return NULL;
	}
	ldns_rr_set_ttl(rr, DNSSIGN_TTL);
	ldns_key_set_keytag(key, ldns_calc_keytag(rr));
	*rr_out = rr;
	return key;
}

int
dnssign_keys_new(struct dnssign_keys *k, const char *apex)
{
	memset(k, 0, sizeof(*k));
	k->ksk =
	    key_make(apex, LDNS_KEY_ZONE_KEY | LDNS_KEY_SEP_KEY, &k->ksk_rr);
	if (k->ksk == NULL)
		goto fail;
	k->zsk = key_make(apex, LDNS_KEY_ZONE_KEY, &k->zsk_rr);
	if (k->zsk == NULL)
		goto fail;
	/* a KSK and ZSK with equal tags would confuse the break code */
	if (ldns_key_keytag(k->ksk) == ldns_key_keytag(k->zsk)) {
		ldns_key_deep_free(k->zsk);
		ldns_rr_free(k->zsk_rr);
		k->zsk = key_make(apex, LDNS_KEY_ZONE_KEY, &k->zsk_rr);
		if (k->zsk == NULL)
			goto fail;
	}
	k->list = ldns_key_list_new();
	ldns_key_list_push_key(k->list, k->ksk);
	ldns_key_list_push_key(k->list, k->zsk);
	return 0;
fail:
	dnssign_keys_free(k);
	return -1;
}

void
dnssign_keys_free(struct dnssign_keys *k)
{
	/* ldns_key_list_free releases the keys in the list too */
	if (k->list != NULL) {
		ldns_key_list_free(k->list);
	} else {
		if (k->ksk != NULL)
			ldns_key_deep_free(k->ksk);
		if (k->zsk != NULL)
			ldns_key_deep_free(k->zsk);
	}
	if (k->ksk_rr != NULL)
		ldns_rr_free(k->ksk_rr);
	if (k->zsk_rr != NULL)
		ldns_rr_free(k->zsk_rr);
	memset(k, 0, sizeof(*k));
}

ldns_rr *
dnssign_ds(const struct dnssign_keys *k)
{
	ldns_rr *ds;

	ds = ldns_key_rr2ds(k->ksk_rr, LDNS_SHA256);
	if (ds == NULL) {
		log_warnx("dnssign: cannot make a DS record");
		return NULL;
	}
	ldns_rr_set_ttl(ds, DNSSIGN_TTL);
	return ds;
}

ldns_rr *
dnssign_wrong_ds(const char *apex)
{
	struct dnssign_keys other;
	ldns_rr *ds;

	if (dnssign_keys_new(&other, apex) != 0)
		return NULL;
	ds = dnssign_ds(&other);
	dnssign_keys_free(&other);
	return ds;
}

/* write_key - one private key as PEM, mode 0600; 0/-1 (logged). */
static int
write_key(ldns_key *key, const char *path)
{
	EVP_PKEY *pk = ldns_key_evp_key(key);
	FILE *fp;
	int fd, ok;

	if (pk == NULL) {
		log_warnx("dnssign: no private key to write to %s", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_warn("dnssign: %s", path);
		return -1;
	}
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		log_warn("dnssign: %s", path);
		close(fd);
		return -1;
	}
	ok = PEM_write_PrivateKey(fp, pk, NULL, NULL, 0, NULL, NULL);
	if (ferror(fp))
		ok = 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok) {
		ERR_clear_error();
		log_warnx("dnssign: writing %s failed", path);
		return -1;
	}
	return 0;
}

int
dnssign_write_keys(
    const struct dnssign_keys *k, const char *ksk_path, const char *zsk_path)
{
	if (write_key(k->ksk, ksk_path) != 0 ||
	    write_key(k->zsk, zsk_path) != 0)
		return -1;
	return 0;
}

/* add_copy - add a copy of rr to the dnssec zone; 0/-1 (logged). */
static int
add_copy(ldns_dnssec_zone *dz, const ldns_rr *rr)
{
	ldns_rr *c = ldns_rr_clone(rr);
	ldns_status st;

	st = ldns_dnssec_zone_add_rr(dz, c);
	if (st != LDNS_STATUS_OK) {
		log_warnx("dnssign: adding a record: %s",
		    ldns_get_errorstr_by_id(st));
		ldns_rr_free(c);
		return -1;
	}
	return 0;
}

/* reread - print the dnssec zone and read it back as a flat zone. */
static ldns_zone *
reread(const ldns_dnssec_zone *dz, const ldns_rdf *apex)
{
	ldns_zone *z = NULL;
	ldns_status st;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&text, &len);
	if (fp == NULL) {
		log_warn("dnssign: open_memstream");
		return NULL;
	}
	ldns_dnssec_zone_print(fp, dz);
	if (fclose(fp) != 0) {
		log_warn("dnssign: printing the signed zone");
		free(text);
		return NULL;
	}
	fp = fmemopen(text, len, "r");
	if (fp == NULL) {
		log_warn("dnssign: fmemopen");
		free(text);
		return NULL;
	}
	st = ldns_zone_new_frm_fp(
	    &z, fp, (ldns_rdf *)apex, DNSSIGN_TTL, LDNS_RR_CLASS_IN);
	fclose(fp);
	free(text);
	if (st != LDNS_STATUS_OK) {
		log_warnx("dnssign: reading the signed zone back: %s",
		    ldns_get_errorstr_by_id(st));
		return NULL;
	}
	return z;
}

int
dnssign_nsec3_params(
    struct dnssign_nsec3 *n3, int optout, int iterations, const char *salt_hex)
{
	size_t i, len = salt_hex != NULL ? strlen(salt_hex) : 0;
	unsigned int byte;

	memset(n3, 0, sizeof(*n3));
	n3->optout = optout;
	if (iterations < 0 || iterations > 65535 || len % 2 != 0 ||
	    len / 2 > sizeof(n3->salt))
		return -1;
	n3->iterations = (uint16_t)iterations;
	for (i = 0; i < len / 2; i++) {
		if (sscanf(salt_hex + 2 * i, "%2x", &byte) != 1)
			return -1;
		n3->salt[i] = (uint8_t)byte;
	}
	n3->salt_len = (uint8_t)(len / 2);
	return 0;
}

/* insecure_cuts - owners of NS RRsets below apex with no DS beside them:
 * the delegations an opt-out span may leave without an NSEC3. */
static ldns_rr_list *
insecure_cuts(const ldns_rr_list *rrs, const ldns_rdf *apex)
{
	ldns_rr_list *cuts = ldns_rr_list_new();
	size_t i, j;

	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *ns = ldns_rr_list_rr(rrs, i);
		int has_ds = 0;

		if (ldns_rr_get_type(ns) != LDNS_RR_TYPE_NS ||
		    ldns_dname_compare(ldns_rr_owner(ns), apex) == 0)
			continue;
		for (j = 0; j < ldns_rr_list_rr_count(rrs); j++) {
			const ldns_rr *d = ldns_rr_list_rr(rrs, j);

			if (ldns_rr_get_type(d) == LDNS_RR_TYPE_DS &&
			    ldns_dname_compare(
			        ldns_rr_owner(d), ldns_rr_owner(ns)) == 0)
				has_ds = 1;
		}
		if (!has_ds)
			ldns_rr_list_push_rr(cuts, (ldns_rr *)ns);
	}
	return cuts;
}

/* held_out - whether rr's owner is at or below one of the cuts. */
static int
held_out(const ldns_rr_list *cuts, const ldns_rr *rr)
{
	size_t i;

	for (i = 0; cuts != NULL && i < ldns_rr_list_rr_count(cuts); i++) {
		const ldns_rdf *c = ldns_rr_owner(ldns_rr_list_rr(cuts, i));

		if (ldns_dname_compare(ldns_rr_owner(rr), c) == 0 ||
		    ldns_dname_is_subdomain(ldns_rr_owner(rr), c))
			return 1;
	}
	return 0;
}

ldns_zone *
dnssign_zone(const ldns_zone *zone, struct dnssign_keys *k,
    const struct dnssign_nsec3 *n3, uint32_t inception, uint32_t expiration)
{
	ldns_dnssec_zone *dz;
	ldns_rr_list *added, *rrs, *cuts = NULL, *held;
	ldns_zone *out = NULL;
	ldns_status st;
	size_t i;

	if (ldns_zone_soa(zone) == NULL) {
		log_warnx("dnssign: zone without SOA");
		return NULL;
	}
	dz = ldns_dnssec_zone_new();
	added = ldns_rr_list_new();
	held = ldns_rr_list_new();
	if (add_copy(dz, ldns_zone_soa(zone)) != 0)
		goto out;
	/*
	 * ldns drops (and leaks) an RR equal to one already in the zone:
	 * add each distinct record once, from a sorted copy.
	 */
	rrs = ldns_rr_list_clone(ldns_zone_rrs(zone));
	ldns_rr_list_sort(rrs);
	/*
	 * ldns makes an NSEC3 for every authoritative name and every
	 * delegation even with the Opt-Out flag; an opt-out zone is signed
	 * without its insecure delegations (and their glue), which are put
	 * back unsigned afterwards, so the hash chain skips them.
	 */
	if (n3 != NULL && n3->optout)
		cuts = insecure_cuts(rrs, ldns_rr_owner(ldns_zone_soa(zone)));
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		if (i > 0 && ldns_rr_compare(ldns_rr_list_rr(rrs, i - 1),
		                 ldns_rr_list_rr(rrs, i)) == 0)
			continue;
		if (held_out(cuts, ldns_rr_list_rr(rrs, i))) {
			ldns_rr_list_push_rr(
			    held, ldns_rr_clone(ldns_rr_list_rr(rrs, i)));
			continue;
		}
		if (add_copy(dz, ldns_rr_list_rr(rrs, i)) != 0) {
			ldns_rr_list_deep_free(rrs);
			goto out;
		}
	}
	ldns_rr_list_deep_free(rrs);
	if (add_copy(dz, k->ksk_rr) != 0 || add_copy(dz, k->zsk_rr) != 0)
		goto out;
	ldns_key_set_inception(k->ksk, inception);
	ldns_key_set_expiration(k->ksk, expiration);
	ldns_key_set_inception(k->zsk, inception);
	ldns_key_set_expiration(k->zsk, expiration);
	if (n3 != NULL)
		st = ldns_dnssec_zone_sign_nsec3(dz, added, k->list,
		    ldns_dnssec_default_replace_signatures, NULL, LDNS_SHA1,
		    n3->optout ? LDNS_NSEC3_VARS_OPTOUT_MASK : 0,
		    n3->iterations, n3->salt_len, (uint8_t *)n3->salt);
	else
		st = ldns_dnssec_zone_sign(dz, added, k->list,
		    ldns_dnssec_default_replace_signatures, NULL);
	if (st != LDNS_STATUS_OK) {
		log_warnx(
		    "dnssign: signing failed: %s", ldns_get_errorstr_by_id(st));
		goto out;
	}
	out = reread(dz, ldns_rr_owner(ldns_zone_soa(zone)));
	if (out != NULL) {
		for (i = 0; i < ldns_rr_list_rr_count(held); i++)
			ldns_zone_push_rr(
			    out, ldns_rr_clone(ldns_rr_list_rr(held, i)));
	}
out:
	if (cuts != NULL)
		ldns_rr_list_free(cuts);
	ldns_rr_list_deep_free(held);
	/* the zone owns what the signer added; the list only points */
	ldns_rr_list_free(added);
	ldns_dnssec_zone_deep_free(dz);
	return out;
}

/* covered - the type an RRSIG covers. */
static ldns_rr_type
covered(const ldns_rr *sig)
{
	ldns_rdf *t = ldns_rr_rrsig_typecovered(sig);

	return t != NULL ? ldns_rdf2rr_type(t) : 0;
}

/* resign - a new RRSIG for the RRset old covers, window [inc, exp]. */
static ldns_rr *
resign(ldns_zone *z, struct dnssign_keys *k, const ldns_rr *old, uint32_t inc,
    uint32_t exp)
{
	ldns_rr_list *set, *sigs;
	ldns_key_list *kl;
	ldns_rr_list *rrs = ldns_zone_rrs(z);
	ldns_rr_type t = covered(old);
	ldns_rdf *tag_rdf = ldns_rr_rrsig_keytag(old);
	ldns_key *key;
	ldns_rr *rr, *sig = NULL;
	uint32_t save_inc, save_exp;
	size_t i;

	if (tag_rdf == NULL)
		return NULL;
	key = ldns_rdf2native_int16(tag_rdf) == ldns_key_keytag(k->ksk)
	          ? k->ksk
	          : k->zsk;
	set = ldns_rr_list_new();
	if (t == LDNS_RR_TYPE_SOA && ldns_zone_soa(z) != NULL)
		ldns_rr_list_push_rr(set, ldns_zone_soa(z));
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) == t &&
		    ldns_dname_compare(ldns_rr_owner(rr), ldns_rr_owner(old)) ==
		        0)
			ldns_rr_list_push_rr(set, rr);
	}
	if (ldns_rr_list_rr_count(set) == 0) {
		ldns_rr_list_free(set);
		return NULL;
	}
	save_inc = ldns_key_inception(key);
	save_exp = ldns_key_expiration(key);
	ldns_key_set_inception(key, inc);
	ldns_key_set_expiration(key, exp);
	kl = ldns_key_list_new();
	ldns_key_list_push_key(kl, key);
	sigs = ldns_sign_public(set, kl);
	/* the key stays ours: take it out before freeing the list */
	ldns_key_list_set_key_count(kl, 0);
	ldns_key_list_free(kl);
	ldns_key_set_inception(key, save_inc);
	ldns_key_set_expiration(key, save_exp);
	if (sigs != NULL && ldns_rr_list_rr_count(sigs) == 1)
		sig = ldns_rr_clone(ldns_rr_list_rr(sigs, 0));
	if (sigs != NULL)
		ldns_rr_list_deep_free(sigs);
	ldns_rr_list_free(set);
	return sig;
}

/* corrupt - flip bytes of the signature field, keeping its length. */
static void
corrupt(ldns_rr *sig)
{
	ldns_rdf *f = ldns_rr_rdf(sig, 8);
	uint8_t *d;
	size_t n;

	if (f == NULL || ldns_rdf_size(f) == 0)
		return;
	d = ldns_rdf_data(f);
	n = ldns_rdf_size(f);
	d[0] ^= 0xff;
	d[n / 2] ^= 0x5a;
	d[n - 1] ^= 0xa5;
}

int
dnssign_break(ldns_zone *z, struct dnssign_keys *k, const ldns_rdf *owner,
    ldns_rr_type type, enum scn_break what, time_t now)
{
	ldns_rr_list *old = ldns_zone_rrs(z), *keep;
	ldns_rr *rr, *nsig;
	uint32_t inc, exp;
	size_t i, n;
	int count = 0, rc = 0;

	/* Three days beyond either end: a validator allows some clock skew
	 * (Unbound: 10% of the validity, at most a day), and a signature one
	 * day out would still validate a few seconds later. */
	if (what == SCN_BRK_RRSIG_EXPIRED) {
		inc = (uint32_t)(now - 30 * 86400);
		exp = (uint32_t)(now - 3 * 86400);
	} else {
		inc = (uint32_t)(now + 3 * 86400);
		exp = (uint32_t)(now + 30 * 86400);
	}
	n = ldns_rr_list_rr_count(old);
	keep = ldns_rr_list_new();
	for (i = 0; i < n; i++) {
		rr = ldns_rr_list_rr(old, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0 ||
		    (type != LDNS_RR_TYPE_ANY && covered(rr) != type)) {
			ldns_rr_list_push_rr(keep, rr);
			continue;
		}
		count++;
		switch (what) {
		case SCN_BRK_RRSIG_MISSING:
			ldns_rr_free(rr);
			break;
		case SCN_BRK_RRSIG_CORRUPT:
			corrupt(rr);
			ldns_rr_list_push_rr(keep, rr);
			break;
		case SCN_BRK_RRSIG_EXPIRED:
		case SCN_BRK_RRSIG_FUTURE:
			nsig = resign(z, k, rr, inc, exp);
			if (nsig == NULL) {
				log_warnx("dnssign: cannot re-sign an RRset");
				rc = -1;
				ldns_rr_list_push_rr(keep, rr);
				break;
			}
			ldns_rr_list_push_rr(keep, nsig);
			ldns_rr_free(rr);
			break;
		default:
			log_warnx("dnssign: %s is not a signing-time break",
			    scn_break_str(what));
			ldns_rr_list_push_rr(keep, rr);
			rc = -1;
			break;
		}
	}
	/* the RRsets being re-signed were read from old: replace it last */
	ldns_zone_set_rrs(z, keep);
	ldns_rr_list_free(old);
	return rc != 0 ? -1 : count;
}
