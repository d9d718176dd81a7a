/*
 * certgen.c - per-run keys, X.509 certificates and TLSA data.
 *
 * Certificates follow RFC 5280 (version 3, basicConstraints section
 * 4.2.1.9, keyUsage 4.2.1.3, subjectAltName 4.2.1.6); TLSA data follows
 * RFC 6698 sections 2.1.1-2.1.3 and 2.2, as RFC 7672 section 3.1 uses it
 * for SMTP. Built on the OpenSSL 3 EVP and X509 interfaces.
 */
#include "certgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

/* Deepest issuer chain followed; scenarios use two or three levels. */
#define CERTGEN_MAX_DEPTH 16

/* ssl_error - the last OpenSSL error as text (static buffer), queue cleared. */
static const char *
ssl_error(void)
{
	static char msg[256];
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(msg, sizeof(msg), "unknown OpenSSL error");
	else
		ERR_error_string_n(e, msg, sizeof(msg));
	ERR_clear_error();
	return msg;
}

EVP_PKEY *
certgen_key_new(enum scn_keytype type)
{
	EVP_PKEY *key;

	if (type == SCN_KEY_RSA2048)
		key = EVP_RSA_gen(2048);
	else
		key = EVP_EC_gen("P-256");
	if (key == NULL)
		log_warnx("certgen: key generation failed: %s", ssl_error());
	return key;
}

/* add_ext - add one extension given in OpenSSL's config syntax (constant text
 * only). */
static int
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext;
	int ok;

	ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	if (ext == NULL) {
		log_warnx(
		    "certgen: extension %s: %s", OBJ_nid2sn(nid), ssl_error());
		return -1;
	}
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (!ok) {
		log_warnx(
		    "certgen: adding %s: %s", OBJ_nid2sn(nid), ssl_error());
		return -1;
	}
	return 0;
}

/*
 * add_san - subjectAltName with DNS names, built as GENERAL_NAMEs rather
 * than config text so that a name holding commas or colons stays one name.
 */
static int
add_san(X509 *x, char *const *names, size_t n)
{
	GENERAL_NAMES *gens;
	GENERAL_NAME *gen;
	ASN1_IA5STRING *ia5;
	size_t i;
	int rc = -1;

	gens = sk_GENERAL_NAME_new_null();
	if (gens == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		ia5 = ASN1_IA5STRING_new();
		if (ia5 == NULL ||
		    !ASN1_STRING_set(ia5, names[i], (int)strlen(names[i]))) {
			ASN1_IA5STRING_free(ia5);
			goto out;
		}
		gen = GENERAL_NAME_new();
		if (gen == NULL) {
			ASN1_IA5STRING_free(ia5);
			goto out;
		}
		GENERAL_NAME_set0_value(gen, GEN_DNS, ia5);
		if (!sk_GENERAL_NAME_push(gens, gen)) {
			GENERAL_NAME_free(gen);
			goto out;
		}
	}
	if (!X509_add1_ext_i2d(
	        x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT))
		goto out;
	rc = 0;
out:
	if (rc != 0)
		log_warnx("certgen: subjectAltName: %s", ssl_error());
	sk_GENERAL_NAME_pop_free(gens, GENERAL_NAME_free);
	return rc;
}

/* set_subject - CN=cn, or O=danesim, OU=label when there is no cn. */
static int
set_subject(X509 *x, const struct certgen_spec *spec)
{
	X509_NAME *name = X509_get_subject_name(x);
	const char *label = spec->label != NULL ? spec->label : "cert";

	if (spec->cn != NULL) {
		if (!X509_NAME_add_entry_by_NID(name, NID_commonName,
		        MBSTRING_UTF8, (const unsigned char *)spec->cn, -1, -1,
		        0)) {
			log_warnx("certgen: common name '%s': %s", spec->cn,
			    ssl_error());
			return -1;
		}
		return 0;
	}
	if (!X509_NAME_add_entry_by_NID(name, NID_organizationName,
	        MBSTRING_UTF8, (const unsigned char *)"danesim", -1, -1, 0) ||
	    !X509_NAME_add_entry_by_NID(name, NID_organizationalUnitName,
	        MBSTRING_UTF8, (const unsigned char *)label, -1, -1, 0)) {
		log_warnx("certgen: subject for '%s': %s", label, ssl_error());
		return -1;
	}
	return 0;
}

/* set_serial - a random positive serial of up to 127 bits (RFC 5280 4.1.2.2).
 */
static int
set_serial(X509 *x)
{
	BIGNUM *bn = BN_new();
	int rc = -1;

	if (bn == NULL ||
	    !BN_rand(bn, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ODD))
		goto out;
	if (BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		log_warnx("certgen: serial: %s", ssl_error());
	BN_free(bn);
	return rc;
}

/* corrupt_signature - flip the bits of the signature's last byte: the
 * encoding stays valid, the signature no longer verifies. */
static void
corrupt_signature(X509 *x)
{
	const ASN1_BIT_STRING *sig = NULL;
	unsigned char *d;
	int len;

	X509_get0_signature(&sig, NULL, x);
	if (sig == NULL || (len = ASN1_STRING_length(sig)) < 1)
		return;
	d = (unsigned char *)ASN1_STRING_get0_data(sig);
	d[len - 1] ^= 0xff;
}

X509 *
certgen_cert_new(const struct certgen_spec *spec, EVP_PKEY *key, X509 *issuer,
    EVP_PKEY *issuer_key)
{
	X509 *x;
	X509V3_CTX ctx;
	char bc[64];
	int leaf_rsa;

	if (issuer == NULL)
		issuer_key = key;
	if (issuer_key == NULL) {
		log_warnx("certgen: issuer without a key");
		return NULL;
	}
	x = X509_new();
	if (x == NULL)
		goto fail_ssl;
	if (!X509_set_version(x, 2) || set_serial(x) != 0 ||
	    set_subject(x, spec) != 0)
		goto fail;
	if (!X509_set_issuer_name(x, issuer != NULL
	                                 ? X509_get_subject_name(issuer)
	                                 : X509_get_subject_name(x)))
		goto fail_ssl;
	if (ASN1_TIME_set(X509_getm_notBefore(x), spec->not_before) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), spec->not_after) == NULL)
		goto fail_ssl;
	if (!X509_set_pubkey(x, key))
		goto fail_ssl;

	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	if (spec->is_ca && spec->bc_false) {
		/* an issuer that is no CA (RFC 5280 4.2.1.9): it signs all
		 * the same, a verifier must refuse what it signed */
		if (add_ext(x, &ctx, NID_basic_constraints,
		        "critical,CA:FALSE") != 0 ||
		    add_ext(x, &ctx, NID_key_usage,
		        "critical,digitalSignature") != 0)
			goto fail;
	} else if (spec->is_ca) {
		if (spec->pathlen >= 0)
			snprintf(bc, sizeof(bc), "critical,CA:TRUE,pathlen:%d",
			    spec->pathlen);
		else
			snprintf(bc, sizeof(bc), "critical,CA:TRUE");
		if (add_ext(x, &ctx, NID_basic_constraints, bc) != 0 ||
		    add_ext(x, &ctx, NID_key_usage,
		        "critical,keyCertSign,cRLSign,digitalSignature") != 0)
			goto fail;
	} else {
		leaf_rsa = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
		if (add_ext(x, &ctx, NID_basic_constraints,
		        "critical,CA:FALSE") != 0 ||
		    add_ext(x, &ctx, NID_key_usage,
		        leaf_rsa ? "critical,digitalSignature,keyEncipherment"
		                 : "critical,digitalSignature") != 0 ||
		    (spec->eku == NULL && add_ext(x, &ctx, NID_ext_key_usage,
		                              "serverAuth,clientAuth") != 0))
			goto fail;
	}
	if (spec->eku != NULL && spec->eku[0] != '\0' &&
	    add_ext(x, &ctx, NID_ext_key_usage, spec->eku) != 0)
		goto fail;
	if (spec->nc != NULL &&
	    add_ext(x, &ctx, NID_name_constraints, spec->nc) != 0)
		goto fail;
	if (add_ext(x, &ctx, NID_subject_key_identifier, "hash") != 0)
		goto fail;
	if (issuer != NULL &&
	    add_ext(x, &ctx, NID_authority_key_identifier, "keyid") != 0)
		goto fail;
	if (spec->nsan > 0 && add_san(x, spec->san, spec->nsan) != 0)
		goto fail;
	if (X509_sign(x, issuer_key, EVP_sha256()) == 0)
		goto fail_ssl;
	if (spec->sig_corrupt)
		corrupt_signature(x);
	return x;
fail_ssl:
	log_warnx("certgen: certificate '%s': %s",
	    spec->label != NULL ? spec->label : "?", ssl_error());
fail:
	X509_free(x);
	return NULL;
}

/* set_reason - write a failure reason into out if there is room. */
static int
set_reason(char *out, size_t outsz, const char *reason)
{
	if (outsz > 0)
		snprintf(out, outsz, "%s", reason);
	return -1;
}

int
certgen_tlsa(
    X509 *x, int usage, int selector, int mtype, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char *der = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	const unsigned char *data;
	unsigned int mdlen = 0;
	int derlen, head;
	size_t len, i;
	EVP_PKEY *pub;
	int rc = -1;

	if (x == NULL)
		return set_reason(out, outsz, "no certificate");
	if (usage < 0 || usage > 3)
		return set_reason(out, outsz, "TLSA usage must be 0..3");
	if (selector < 0 || selector > 1)
		return set_reason(out, outsz, "TLSA selector must be 0 or 1");
	if (mtype < 0 || mtype > 2)
		return set_reason(
		    out, outsz, "TLSA matching type must be 0..2");
	if (selector == 0) {
		derlen = i2d_X509(x, &der);
	} else {
		pub = X509_get0_pubkey(x);
		derlen = pub != NULL ? i2d_PUBKEY(pub, &der) : -1;
	}
	if (derlen <= 0 || der == NULL) {
		ERR_clear_error();
		return set_reason(out, outsz, "cannot encode certificate");
	}
	if (mtype == 0) {
		data = der;
		len = (size_t)derlen;
	} else {
		if (!EVP_Digest(der, (size_t)derlen, md, &mdlen,
		        mtype == 1 ? EVP_sha256() : EVP_sha512(), NULL)) {
			ERR_clear_error();
			set_reason(out, outsz, "digest failed");
			goto out;
		}
		data = md;
		len = mdlen;
	}
	head = snprintf(out, outsz, "%d %d %d ", usage, selector, mtype);
	if (head < 0 || outsz < (size_t)head + 2 * len + 1) {
		set_reason(out, outsz, "TLSA data does not fit");
		goto out;
	}
	for (i = 0; i < len; i++) {
		out[head + 2 * i] = hex[data[i] >> 4];
		out[head + 2 * i + 1] = hex[data[i] & 0x0f];
	}
	out[head + 2 * len] = '\0';
	rc = 0;
out:
	OPENSSL_free(der);
	return rc;
}

/* open_out - fopen for writing with the given mode bits; NULL (logged). */
static FILE *
open_out(const char *path, mode_t mode)
{
	FILE *fp;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		log_warn("certgen: %s", path);
		return NULL;
	}
	(void)fchmod(fd, mode);
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		log_warn("certgen: %s", path);
		close(fd);
	}
	return fp;
}

/* close_out - fclose, reporting write errors; 0/-1 (logged). */
static int
close_out(FILE *fp, const char *path, int ok)
{
	if (ferror(fp))
		ok = 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok) {
		log_warnx("certgen: writing %s failed", path);
		ERR_clear_error();
		return -1;
	}
	return 0;
}

int
certgen_write_certs(const char *path, X509 *const *certs, size_t n)
{
	FILE *fp;
	size_t i;
	int ok = 1;

	fp = open_out(path, 0644);
	if (fp == NULL)
		return -1;
	for (i = 0; i < n && ok; i++)
		ok = PEM_write_X509(fp, certs[i]);
	return close_out(fp, path, ok);
}

int
certgen_write_key(const char *path, EVP_PKEY *key)
{
	FILE *fp;
	int ok;

	fp = open_out(path, 0600);
	if (fp == NULL)
		return -1;
	ok = PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL);
	return close_out(fp, path, ok);
}

X509 *
certgen_read_cert(const char *path)
{
	FILE *fp;
	X509 *x;

	fp = fopen(path, "re");
	if (fp == NULL) {
		log_warn("certgen: %s", path);
		return NULL;
	}
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	if (x == NULL)
		log_warnx("certgen: %s: %s", path, ssl_error());
	return x;
}

struct certgen_item *
certgen_set_find(const struct certgen_set *set, const char *label)
{
	size_t i;

	if (label == NULL)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (strcmp(set->items[i].label, label) == 0)
			return &set->items[i];
	return NULL;
}

struct certgen_item *
certgen_set_leaf(const struct certgen_set *set, const struct scn_mx *mx)
{
	size_t i;

	if (mx->cert != NULL)
		return certgen_set_find(set, mx->cert);
	for (i = 0; i < set->n; i++)
		if (set->items[i].for_mx == mx)
			return &set->items[i];
	return NULL;
}

size_t
certgen_set_issuers(const struct certgen_set *set,
    const struct certgen_item *it, const struct certgen_item **out, size_t max)
{
	const struct certgen_item *cur = it;
	size_t n = 0, depth;

	for (depth = 0; depth < CERTGEN_MAX_DEPTH; depth++) {
		if (cur->issuer < 0 || (size_t)cur->issuer >= set->n)
			break;
		cur = &set->items[cur->issuer];
		if (cur->issuer < 0) /* self-signed root: not sent */
			break;
		if (n < max)
			out[n++] = cur;
	}
	return n;
}

/* expand_or_err - scn_expand with a "file:line: " error; NULL on error. */
static char *
expand_or_err(const struct scn *s, int line, const char *text,
    const struct scn_vars *vars, struct scn_errors *errs)
{
	char err[256];
	char *r;

	err[0] = '\0';
	r = scn_expand(text, vars, err, sizeof(err));
	if (r == NULL)
		scn_errors_add(errs, "%s:%d: %s", s->file, line, err);
	return r;
}

/* set_add - append an empty item labelled label; returns it. */
static struct certgen_item *
set_add(struct certgen_set *set, const char *label)
{
	struct certgen_item *it;

	set->items = xreallocarray(set->items, set->n + 1, sizeof(*set->items));
	it = &set->items[set->n++];
	memset(it, 0, sizeof(*it));
	it->label = xstrdup(label);
	it->issuer = -1;
	return it;
}

/* declared_ca - whether the scenario declares cert label as "ca" (an
 * issuer with bc=false is one, though its certificate says CA:FALSE). */
static int
declared_ca(const struct scn *s, const char *label)
{
	size_t i;

	for (i = 0; i < s->ncerts; i++)
		if (strcmp(s->certs[i].name, label) == 0)
			return s->certs[i].is_ca;
	return 0;
}

/* nc_append - "permitted;DNS:a,permitted;DNS:b" from the list v into b. */
static void
nc_append(struct buf *b, const char *kind, const char *v)
{
	char *dup = xstrdup(v), *tok, *save = NULL;

	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		buf_printf(b, "%s%s;DNS:%s", b->len > 9 ? "," : "", kind, tok);
	free(dup);
}

/* name_constraints - nameConstraints of c in OpenSSL's configuration
 * syntax, variables expanded (caller frees); NULL (errs). */
static char *
name_constraints(const struct scn *s, const struct scn_cert *c,
    const struct scn_vars *vars, struct scn_errors *errs)
{
	struct buf b;
	char *p = NULL, *e = NULL;

	if (c->permit != NULL &&
	    (p = expand_or_err(s, c->line, c->permit, vars, errs)) == NULL)
		return NULL;
	if (c->exclude != NULL &&
	    (e = expand_or_err(s, c->line, c->exclude, vars, errs)) == NULL) {
		free(p);
		return NULL;
	}
	buf_init(&b);
	buf_printf(&b, "critical,");
	if (p != NULL)
		nc_append(&b, "permitted", p);
	if (e != NULL)
		nc_append(&b, "excluded", e);
	free(p);
	free(e);
	return buf_steal(&b);
}

/* build_one - make the certificate of one "cert" line; 0 or -1 (errs). */
static int
build_one(struct certgen_set *set, const struct scn *s,
    const struct scn_cert *c, const struct scn_vars *vars,
    struct scn_errors *errs)
{
	struct certgen_spec spec;
	struct certgen_item *it, *iss = NULL, *keysrc = NULL;
	char *cn = NULL, **san = NULL, *nc = NULL;
	size_t nsan = 0, i;
	int iss_i, key_i, rc = -1;

	if (certgen_set_find(set, c->name) != NULL) {
		scn_errors_add(errs, "%s:%d: cert %s declared twice", s->file,
		    c->line, c->name);
		return -1;
	}
	if (c->issuer != NULL) {
		iss = certgen_set_find(set, c->issuer);
		if (iss == NULL) {
			scn_errors_add(errs,
			    "%s:%d: issuer %s is not a cert "
			    "declared earlier",
			    s->file, c->line, c->issuer);
			return -1;
		}
		if (iss->cert == NULL)
			return -1; /* its own failure is reported already */
		if (iss->for_mx != NULL || !declared_ca(s, c->issuer)) {
			scn_errors_add(errs,
			    "%s:%d: issuer %s is not a ca "
			    "cert",
			    s->file, c->line, c->issuer);
			return -1;
		}
	}
	if (c->share_key != NULL) {
		keysrc = certgen_set_find(set, c->share_key);
		if (keysrc == NULL) {
			scn_errors_add(errs,
			    "%s:%d: key-of %s is not a cert "
			    "declared earlier",
			    s->file, c->line, c->share_key);
			return -1;
		}
		if (keysrc->key == NULL)
			return -1;
	}
	if (c->cn != NULL &&
	    (cn = expand_or_err(s, c->line, c->cn, vars, errs)) == NULL)
		goto out;
	if (!c->no_san && c->nsan > 0) {
		san = xcalloc(c->nsan, sizeof(*san));
		for (i = 0; i < c->nsan; i++) {
			san[i] =
			    expand_or_err(s, c->line, c->san[i], vars, errs);
			if (san[i] == NULL)
				goto out;
			nsan++;
		}
	} else if (!c->no_san && !c->is_ca && cn != NULL) {
		/* san defaults to the cn for a server certificate */
		san = xcalloc(1, sizeof(*san));
		san[0] = xstrdup(cn);
		nsan = 1;
	}
	if ((c->permit != NULL || c->exclude != NULL) &&
	    (nc = name_constraints(s, c, vars, errs)) == NULL)
		goto out;
	memset(&spec, 0, sizeof(spec));
	spec.bc_false = c->bc_false;
	spec.sig_corrupt = c->sig_corrupt;
	spec.eku = c->eku;
	spec.nc = nc;
	spec.label = c->name;
	spec.cn = cn;
	spec.san = san;
	spec.nsan = nsan;
	spec.is_ca = c->is_ca;
	spec.pathlen = c->pathlen;
	spec.not_before =
	    vars->now + (c->not_before.set ? c->not_before.secs : -86400);
	spec.not_after =
	    vars->now + (c->not_after.set ? c->not_after.secs : 365LL * 86400);

	/* set_add moves the items: keep indexes, not pointers, across it */
	iss_i = iss != NULL ? (int)(iss - set->items) : -1;
	key_i = keysrc != NULL ? (int)(keysrc - set->items) : -1;
	it = set_add(set, c->name);
	if (key_i >= 0) {
		it->key = set->items[key_i].key;
		EVP_PKEY_up_ref(it->key);
	} else {
		it->key = certgen_key_new(c->keytype);
	}
	it->issuer = iss_i;
	if (it->key != NULL)
		it->cert = certgen_cert_new(&spec, it->key,
		    iss_i >= 0 ? set->items[iss_i].cert : NULL,
		    iss_i >= 0 ? set->items[iss_i].key : NULL);
	if (it->cert == NULL) {
		scn_errors_add(errs, "%s:%d: cannot make certificate %s",
		    s->file, c->line, c->name);
		goto out;
	}
	rc = 0;
out:
	free(cn);
	free(nc);
	for (i = 0; i < nsan; i++)
		free(san[i]);
	free(san);
	return rc;
}

/* default_label - a label for mx's default cert that no cert line uses. */
static char *
default_label(const struct certgen_set *set, const struct scn_mx *mx)
{
	char *label;
	int n;

	if (certgen_set_find(set, mx->name) == NULL)
		return xstrdup(mx->name);
	label = xasprintf("%s-default", mx->name);
	for (n = 2; certgen_set_find(set, label) != NULL; n++) {
		free(label);
		label = xasprintf("%s-default%d", mx->name, n);
	}
	return label;
}

/* build_default - the self-signed EC cert of an mx block without one. */
static int
build_default(struct certgen_set *set, const struct scn *s,
    const struct scn_mx *mx, const struct scn_vars *vars,
    struct scn_errors *errs)
{
	struct certgen_spec spec;
	struct certgen_item *it;
	char *label, *host;
	int rc = -1;

	label = default_label(set, mx);
	host = xasprintf("%s.%s", mx->name, vars->domain);
	memset(&spec, 0, sizeof(spec));
	spec.label = label;
	spec.cn = host;
	spec.san = &host;
	spec.nsan = 1;
	spec.pathlen = -1;
	spec.not_before = vars->now - 86400;
	spec.not_after = vars->now + 365LL * 86400;
	it = set_add(set, label);
	it->for_mx = mx;
	it->key = certgen_key_new(SCN_KEY_EC256);
	if (it->key != NULL)
		it->cert = certgen_cert_new(&spec, it->key, NULL, NULL);
	if (it->cert == NULL)
		scn_errors_add(errs,
		    "%s:%d: cannot make the default "
		    "certificate of mx %s",
		    s->file, mx->line, mx->name);
	else
		rc = 0;
	free(label);
	free(host);
	return rc;
}

int
certgen_set_build(struct certgen_set *set, const struct scn *s,
    const struct scn_vars *vars, struct scn_errors *errs)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < s->ncerts; i++)
		if (build_one(set, s, &s->certs[i], vars, errs) != 0)
			rc = -1;
	for (i = 0; i < s->nmxs; i++) {
		if (s->mxs[i].cert != NULL) {
			if (certgen_set_find(set, s->mxs[i].cert) == NULL) {
				scn_errors_add(errs,
				    "%s:%d: mx %s: cert %s "
				    "is not declared",
				    s->file, s->mxs[i].line, s->mxs[i].name,
				    s->mxs[i].cert);
				rc = -1;
			}
			continue;
		}
		if (build_default(set, s, &s->mxs[i], vars, errs) != 0)
			rc = -1;
	}
	return rc;
}

int
certgen_set_write(const struct certgen_set *set, const char *dir)
{
	const struct certgen_item *iss[CERTGEN_MAX_DEPTH];
	X509 *chain[CERTGEN_MAX_DEPTH + 1];
	size_t i, j, n;
	char *path;
	int rc;

	for (i = 0; i < set->n; i++) {
		const struct certgen_item *it = &set->items[i];

		path = xasprintf("%s/%s.crt.pem", dir, it->label);
		rc = certgen_write_certs(path, &it->cert, 1);
		free(path);
		if (rc != 0)
			return -1;
		path = xasprintf("%s/%s.key.pem", dir, it->label);
		rc = certgen_write_key(path, it->key);
		free(path);
		if (rc != 0)
			return -1;
		n = certgen_set_issuers(set, it, iss, CERTGEN_MAX_DEPTH);
		chain[0] = it->cert;
		for (j = 0; j < n; j++)
			chain[j + 1] = iss[j]->cert;
		path = xasprintf("%s/%s.chain.pem", dir, it->label);
		rc = certgen_write_certs(path, chain, n + 1);
		free(path);
		if (rc != 0)
			return -1;
	}
	return 0;
}

void
certgen_set_free(struct certgen_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		free(set->items[i].label);
		EVP_PKEY_free(set->items[i].key);
		X509_free(set->items[i].cert);
	}
	free(set->items);
	set->items = NULL;
	set->n = 0;
}
