/*
 * certgen.h - per-run keys and X.509 certificates for the fake MX hosts,
 * and the TLSA record data that matches them.
 *
 * A scenario's "cert" lines (docs/scenario-format.md) become fresh keys
 * and certificates for every run, so nothing stale is ever committed.
 * TLSA data follows RFC 6698 section 2.1 (usage, selector, matching type)
 * as used for SMTP by RFC 7672 section 3.1: selector 0 hashes the whole
 * DER certificate, selector 1 the DER SubjectPublicKeyInfo; matching type
 * 0 is the data itself, 1 SHA-256, 2 SHA-512. Hex is written lower case.
 *
 * Ownership: OpenSSL objects returned are the caller's (X509_free,
 * EVP_PKEY_free); a struct certgen_set owns every key and certificate in
 * it and certgen_set_free() releases them.
 */
#ifndef DSIM_CERTGEN_H
#define DSIM_CERTGEN_H

#include <stddef.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "scn.h"

/* What one certificate says, with every name already expanded. */
struct certgen_spec {
	const char *label; /* scenario label; names the subject if no cn */
	const char *cn;    /* subject common name or NULL */
	char *const *san;  /* subjectAltName DNS names (nsan of them) */
	size_t nsan;       /* 0: no subjectAltName extension */
	int is_ca;         /* basicConstraints CA:TRUE, keyCertSign */
	int pathlen;       /* for a CA: path length limit, -1 = none */
	time_t not_before; /* absolute validity */
	time_t not_after;
	int bc_false;    /* with is_ca: CA:FALSE, keyUsage of a leaf */
	int sig_corrupt; /* a byte of the signature flipped */
	const char *eku; /* extendedKeyUsage list; "" none; NULL default */
	const char *nc;  /* nameConstraints in OpenSSL's syntax or NULL */
};

/*
 * certgen_key_new - a fresh EC P-256 or RSA-2048 key. Caller frees with
 * EVP_PKEY_free. NULL on failure (logged).
 */
EVP_PKEY *certgen_key_new(enum scn_keytype type);

/*
 * certgen_cert_new - a version 3 certificate for key, with a random
 * positive serial, signed with SHA-256 by issuer_key and named after
 * issuer; self-signed (by key) when issuer is NULL. Caller frees with
 * X509_free. NULL on failure (logged).
 */
X509 *certgen_cert_new(const struct certgen_spec *spec, EVP_PKEY *key,
    X509 *issuer, EVP_PKEY *issuer_key);

/*
 * certgen_tlsa - write the TLSA RDATA "U S M hex" (RFC 6698 section 2.2
 * presentation format) for certificate x into out (outsz bytes). usage
 * 0..3, selector 0..1, mtype 0..2. Returns 0, or -1 with a reason in out
 * (when outsz > 0). Not logged.
 */
int certgen_tlsa(
    X509 *x, int usage, int selector, int mtype, char *out, size_t outsz);

/*
 * certgen_write_certs - write certs[0..n-1] as PEM to path (mode 0644).
 * Returns 0, or -1 (logged).
 */
int certgen_write_certs(const char *path, X509 *const *certs, size_t n);

/* certgen_write_key - write key as PKCS#8 PEM to path (mode 0600); 0/-1
 * (logged). */
int certgen_write_key(const char *path, EVP_PKEY *key);

/* certgen_read_cert - the first certificate of PEM file path; NULL (logged). */
X509 *certgen_read_cert(const char *path);

/* One certificate of a scenario, with its key. */
struct certgen_item {
	char *label;                 /* file and variable name */
	EVP_PKEY *key;               /* owned (a reference when key-of) */
	X509 *cert;                  /* owned */
	int issuer;                  /* index of the issuer item, -1 = self */
	const struct scn_mx *for_mx; /* default cert made for this mx block */
};

/* All certificates of one scenario. */
struct certgen_set {
	struct certgen_item *items;
	size_t n;
};

/*
 * certgen_set_build - make the certificate of every "cert" line of s
 * (in file order; an issuer or key-of must be declared earlier), then a
 * default self-signed EC certificate for "<label>.<domain>" for every mx
 * block that names no cert. Names are expanded with vars (vars->now is
 * NOW). Returns 0, or -1 with "file:line: message" added to errs; the set
 * then holds what was made so far and must still be freed.
 */
int certgen_set_build(struct certgen_set *set, const struct scn *s,
    const struct scn_vars *vars, struct scn_errors *errs);

/* certgen_set_find - the item labelled label, or NULL. Borrowed. */
struct certgen_item *certgen_set_find(
    const struct certgen_set *set, const char *label);

/* certgen_set_leaf - the leaf certificate item of mx block mx, or NULL. */
struct certgen_item *certgen_set_leaf(
    const struct certgen_set *set, const struct scn_mx *mx);

/*
 * certgen_set_issuers - the issuers of it, nearest first, stopping before
 * a self-signed certificate: what a server sends after its leaf by
 * default. Fills out (at most max entries) and returns how many.
 */
size_t certgen_set_issuers(const struct certgen_set *set,
    const struct certgen_item *it, const struct certgen_item **out, size_t max);

/*
 * certgen_set_write - write dir/<label>.crt.pem, <label>.key.pem and
 * <label>.chain.pem (the leaf then its issuers without the self-signed
 * root) for every item; dir must exist. Returns 0 or -1 (logged).
 */
int certgen_set_write(const struct certgen_set *set, const char *dir);

/* certgen_set_free - release every key and certificate; the set is empty. */
void certgen_set_free(struct certgen_set *set);

#endif /* DSIM_CERTGEN_H */
