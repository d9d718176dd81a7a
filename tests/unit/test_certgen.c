/*
 * test_certgen.c - keys, certificates and TLSA data (lib/certgen.c).
 *
 * TLSA data is checked against an independent computation by the openssl
 * command line tool (RFC 6698 section 2.1: selector 0 = DER certificate,
 * 1 = DER SubjectPublicKeyInfo; matching 0 = full, 1 = SHA-256,
 * 2 = SHA-512), for EC and RSA keys.
 */
#include "unit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/x509v3.h>

#include "certgen.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/dsim-certgen-XXXXXX";

/* suite_init - a scratch folder for PEM files. */
static int
suite_init(void)
{
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

/* suite_clean - remove the scratch folder. */
static int
suite_clean(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* leaf_spec - a server certificate spec valid around now. */
static void
leaf_spec(struct certgen_spec *sp, char **san, size_t nsan, time_t now)
{
	memset(sp, 0, sizeof(*sp));
	sp->label = "leaf";
	sp->cn = "mx1.example.test";
	sp->san = san;
	sp->nsan = nsan;
	sp->pathlen = -1;
	sp->not_before = now - 3600;
	sp->not_after = now + 86400;
}

/* run_hex - run a shell pipeline printing hex; keep only hex digits, lower
 * case. */
static char *
run_hex(const char *cmd)
{
	char line[8192], *out;
	size_t n = 0, i;
	FILE *p;

	out = xcalloc(1, 65536);
	p = popen(cmd, "r");
	if (p == NULL)
		return out;
	while (fgets(line, sizeof(line), p) != NULL) {
		/* "openssl dgst -r" prints "HEX *stdin": keep the first word */
		for (i = 0; line[i] != '\0' && !isspace((unsigned char)line[i]);
		     i++)
			if (isxdigit((unsigned char)line[i]) && n < 65535)
				out[n++] =
				    (char)tolower((unsigned char)line[i]);
	}
	pclose(p);
	return out;
}

/* check_tlsa_all - certgen_tlsa agrees with openssl(1) for all s, m. */
static void
check_tlsa_all(X509 *x, const char *name)
{
	static const char *dig[] = {NULL, "-sha256", "-sha512"};
	char *path, *cmd, *want;
	char out[8192], head[32];
	int s, m;

	path = xasprintf("%s/%s.pem", tmpdir, name);
	CU_ASSERT_EQUAL_FATAL(certgen_write_certs(path, &x, 1), 0);
	for (s = 0; s <= 1; s++) {
		for (m = 0; m <= 2; m++) {
			const char *der =
			    s == 0 ? "openssl x509 -in '%s' -outform DER"
			           : "openssl x509 -in '%s' -pubkey -noout | "
			             "openssl pkey -pubin -outform DER";
			char *base = xasprintf(der, path);

			if (m == 0)
				cmd = xasprintf("%s | od -An -v -tx1 | "
				                "tr -d ' \\n'",
				    base);
			else
				cmd = xasprintf(
				    "%s | openssl dgst %s -r", base, dig[m]);
			want = run_hex(cmd);
			CU_ASSERT(strlen(want) >= 64);
			CU_ASSERT_EQUAL(
			    certgen_tlsa(x, 3, s, m, out, sizeof(out)), 0);
			snprintf(head, sizeof(head), "3 %d %d ", s, m);
			CU_ASSERT_NSTRING_EQUAL(out, head, strlen(head));
			CU_ASSERT_STRING_EQUAL(out + strlen(head), want);
			free(want);
			free(cmd);
			free(base);
		}
	}
	/* usage is copied, and the other usages give the same data */
	CU_ASSERT_EQUAL(certgen_tlsa(x, 2, 0, 1, out, sizeof(out)), 0);
	CU_ASSERT_NSTRING_EQUAL(out, "2 0 1 ", 6);
	free(path);
}

/* test_tlsa_ec - EC P-256 key: TLSA data for selectors 0/1, matching 0/1/2. */
static void
test_tlsa_ec(void)
{
	struct certgen_spec sp;
	char *san[] = {"mx1.example.test"};
	EVP_PKEY *k = certgen_key_new(SCN_KEY_EC256);
	X509 *x;

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(k), EVP_PKEY_EC);
	leaf_spec(&sp, san, 1, time(NULL));
	x = certgen_cert_new(&sp, k, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	check_tlsa_all(x, "ec");
	X509_free(x);
	EVP_PKEY_free(k);
}

/* test_tlsa_rsa - RSA-2048 key: the same checks. */
static void
test_tlsa_rsa(void)
{
	struct certgen_spec sp;
	char *san[] = {"mx1.example.test"};
	EVP_PKEY *k = certgen_key_new(SCN_KEY_RSA2048);
	X509 *x;

	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(k), EVP_PKEY_RSA);
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(k), 2048);
	leaf_spec(&sp, san, 1, time(NULL));
	x = certgen_cert_new(&sp, k, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	check_tlsa_all(x, "rsa");
	X509_free(x);
	EVP_PKEY_free(k);
}

/* test_tlsa_refuse - bad parameters and a small buffer are refused. */
static void
test_tlsa_refuse(void)
{
	struct certgen_spec sp;
	EVP_PKEY *k = certgen_key_new(SCN_KEY_EC256);
	char out[200];
	X509 *x;

	leaf_spec(&sp, NULL, 0, time(NULL));
	x = certgen_cert_new(&sp, k, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(certgen_tlsa(x, 4, 1, 1, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(certgen_tlsa(x, 3, 2, 1, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(certgen_tlsa(x, 3, 1, 3, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(certgen_tlsa(x, -1, 1, 1, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(certgen_tlsa(NULL, 3, 1, 1, out, sizeof(out)), -1);
	/* 3 1 1 needs 6 + 64 + 1 bytes */
	CU_ASSERT_EQUAL(certgen_tlsa(x, 3, 1, 1, out, 70), -1);
	CU_ASSERT_EQUAL(certgen_tlsa(x, 3, 1, 1, out, 71), 0);
	CU_ASSERT_EQUAL(strlen(out), 70);
	/* the full certificate does not fit in 200 bytes */
	CU_ASSERT_EQUAL(certgen_tlsa(x, 3, 0, 0, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(certgen_tlsa(x, 3, 1, 1, out, 0), -1);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* has_san - 1 if x has a subjectAltName DNS entry equal to name. */
static int
has_san(X509 *x, const char *name, int *present)
{
	GENERAL_NAMES *gens;
	int i, found = 0;

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	*present = gens != NULL;
	for (i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS &&
		    strcmp((const char *)ASN1_STRING_get0_data(g->d.dNSName),
		        name) == 0)
			found = 1;
	}
	GENERAL_NAMES_free(gens);
	return found;
}

/* test_chain - CA, intermediate, leaf: signatures, CA flags, path length. */
static void
test_chain(void)
{
	struct certgen_spec ca_sp, int_sp, leaf_sp;
	char *san[] = {"mx1.example.test", "a,b:c.example.test"};
	EVP_PKEY *kca, *kint, *kleaf;
	X509 *ca, *in, *leaf;
	time_t now = time(NULL);
	int present;

	kca = certgen_key_new(SCN_KEY_EC256);
	kint = certgen_key_new(SCN_KEY_RSA2048);
	kleaf = certgen_key_new(SCN_KEY_EC256);
	memset(&ca_sp, 0, sizeof(ca_sp));
	ca_sp.label = "ca";
	ca_sp.is_ca = 1;
	ca_sp.pathlen = 1;
	ca_sp.not_before = now - 86400;
	ca_sp.not_after = now + 86400;
	int_sp = ca_sp;
	int_sp.label = "int";
	int_sp.cn = "Intermediate";
	int_sp.pathlen = -1;
	leaf_spec(&leaf_sp, san, 2, now);
	ca = certgen_cert_new(&ca_sp, kca, NULL, NULL);
	in = certgen_cert_new(&int_sp, kint, ca, kca);
	leaf = certgen_cert_new(&leaf_sp, kleaf, in, kint);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ca);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);

	CU_ASSERT_EQUAL(X509_verify(ca, kca), 1);
	CU_ASSERT_EQUAL(X509_verify(in, kca), 1);
	CU_ASSERT_EQUAL(X509_verify(leaf, kint), 1);
	CU_ASSERT_NOT_EQUAL(X509_verify(leaf, kca), 1);
	CU_ASSERT_NOT_EQUAL(X509_verify(in, kint), 1);
	CU_ASSERT_EQUAL(X509_check_issued(in, leaf), X509_V_OK);
	CU_ASSERT_EQUAL(X509_check_issued(ca, in), X509_V_OK);
	CU_ASSERT_EQUAL(X509_check_issued(ca, ca), X509_V_OK);
	CU_ASSERT_NOT_EQUAL(X509_check_issued(ca, leaf), X509_V_OK);

	CU_ASSERT_EQUAL(X509_check_ca(ca), 1);
	CU_ASSERT_EQUAL(X509_check_ca(in), 1);
	CU_ASSERT_EQUAL(X509_check_ca(leaf), 0);
	CU_ASSERT_EQUAL(X509_get_pathlen(ca), 1);
	CU_ASSERT_EQUAL(X509_get_pathlen(in), -1);

	CU_ASSERT_EQUAL(has_san(leaf, "mx1.example.test", &present), 1);
	CU_ASSERT_EQUAL(present, 1);
	CU_ASSERT_EQUAL(has_san(leaf, "a,b:c.example.test", &present), 1);
	CU_ASSERT_EQUAL(has_san(ca, "mx1.example.test", &present), 0);
	CU_ASSERT_EQUAL(present, 0);
	CU_ASSERT_EQUAL(
	    X509_check_host(leaf, "mx1.example.test", 0, 0, NULL), 1);
	CU_ASSERT_EQUAL(
	    X509_check_host(leaf, "mx2.example.test", 0, 0, NULL), 0);
	/* two certificates never share a serial */
	CU_ASSERT_NOT_EQUAL(ASN1_INTEGER_cmp(X509_get0_serialNumber(ca),
	                        X509_get0_serialNumber(in)),
	    0);

	X509_free(ca);
	X509_free(in);
	X509_free(leaf);
	EVP_PKEY_free(kca);
	EVP_PKEY_free(kint);
	EVP_PKEY_free(kleaf);
}

/* test_validity - expired and not-yet-valid certificates. */
static void
test_validity(void)
{
	struct certgen_spec sp;
	EVP_PKEY *k = certgen_key_new(SCN_KEY_EC256);
	time_t now = time(NULL);
	X509 *old, *future;

	leaf_spec(&sp, NULL, 0, now);
	sp.not_before = now - 10 * 86400;
	sp.not_after = now - 86400;
	old = certgen_cert_new(&sp, k, NULL, NULL);
	sp.not_before = now + 86400;
	sp.not_after = now + 10 * 86400;
	future = certgen_cert_new(&sp, k, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(old);
	CU_ASSERT_PTR_NOT_NULL_FATAL(future);
	CU_ASSERT(X509_cmp_time(X509_get0_notAfter(old), &now) < 0);
	CU_ASSERT(X509_cmp_time(X509_get0_notBefore(old), &now) < 0);
	CU_ASSERT(X509_cmp_time(X509_get0_notBefore(future), &now) > 0);
	CU_ASSERT(X509_cmp_time(X509_get0_notAfter(future), &now) > 0);
	/* same key, different certificates: equal SPKI TLSA data */
	{
		char a[200], b[200];
		CU_ASSERT_EQUAL(certgen_tlsa(old, 3, 1, 1, a, sizeof(a)), 0);
		CU_ASSERT_EQUAL(certgen_tlsa(future, 3, 1, 1, b, sizeof(b)), 0);
		CU_ASSERT_STRING_EQUAL(a, b);
		CU_ASSERT_EQUAL(certgen_tlsa(old, 3, 0, 1, a, sizeof(a)), 0);
		CU_ASSERT_EQUAL(certgen_tlsa(future, 3, 0, 1, b, sizeof(b)), 0);
		CU_ASSERT_STRING_NOT_EQUAL(a, b);
	}
	X509_free(old);
	X509_free(future);
	EVP_PKEY_free(k);
}

/* count_pem - number of certificates in a PEM file. */
static int
count_pem(const char *path)
{
	char line[256];
	int n = 0;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "-----BEGIN CERTIFICATE-----", 27) == 0)
			n++;
	fclose(fp);
	return n;
}

/* test_set - a scenario's certs: issuers, key-of, default mx cert, files. */
static void
test_set(void)
{
	struct scn s;
	struct scn_cert certs[4];
	struct scn_mx mxs[2];
	struct scn_vars vars;
	struct scn_errors errs = {0};
	struct certgen_set set = {0};
	const struct certgen_item *iss[4];
	struct certgen_item *leaf, *twin, *def;
	char a[200], b[200];
	char *dir, *path;
	struct stat st;
	int present;

	memset(&s, 0, sizeof(s));
	memset(certs, 0, sizeof(certs));
	memset(mxs, 0, sizeof(mxs));
	s.file = "t/set.scn";
	s.id = "set";
	certs[0].name = "ca";
	certs[0].is_ca = 1;
	certs[0].pathlen = -1;
	certs[0].line = 3;
	certs[1] = certs[0];
	certs[1].name = "int";
	certs[1].issuer = "ca";
	certs[1].line = 4;
	certs[2].name = "leaf";
	certs[2].issuer = "int";
	certs[2].cn = "mx1.${DOMAIN}";
	certs[2].pathlen = -1;
	certs[2].not_after.set = 1;
	certs[2].not_after.secs = -60;
	certs[2].line = 5;
	certs[3].name = "twin";
	certs[3].share_key = "leaf";
	certs[3].cn = "other.${DOMAIN}";
	certs[3].no_san = 1;
	certs[3].pathlen = -1;
	certs[3].line = 6;
	s.certs = certs;
	s.ncerts = 4;
	mxs[0].name = "mx1";
	mxs[0].cert = "leaf";
	mxs[1].name = "leaf"; /* default cert: label taken, so renamed */
	s.mxs = mxs;
	s.nmxs = 2;
	memset(&vars, 0, sizeof(vars));
	vars.id = "set";
	vars.domain = "set.test";
	vars.now = time(NULL);

	CU_ASSERT_EQUAL_FATAL(certgen_set_build(&set, &s, &vars, &errs), 0);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_EQUAL(set.n, 5);
	leaf = certgen_set_find(&set, "leaf");
	twin = certgen_set_find(&set, "twin");
	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(twin);
	CU_ASSERT_PTR_EQUAL(certgen_set_leaf(&set, &mxs[0]), leaf);
	def = certgen_set_leaf(&set, &mxs[1]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(def);
	CU_ASSERT_STRING_EQUAL(def->label, "leaf-default");
	CU_ASSERT_EQUAL(has_san(def->cert, "leaf.set.test", &present), 1);
	CU_ASSERT_EQUAL(X509_verify(def->cert, def->key), 1);
	CU_ASSERT_EQUAL(X509_NAME_cmp(X509_get_subject_name(def->cert),
	                    X509_get_issuer_name(def->cert)),
	    0);
	CU_ASSERT_EQUAL(has_san(leaf->cert, "mx1.set.test", &present), 1);
	CU_ASSERT_EQUAL(has_san(twin->cert, "other.set.test", &present), 0);
	CU_ASSERT_EQUAL(present, 0);
	CU_ASSERT(X509_cmp_time(X509_get0_notAfter(leaf->cert), &vars.now) < 0);
	/* key-of: same SPKI, other certificate */
	CU_ASSERT_EQUAL(certgen_tlsa(leaf->cert, 3, 1, 1, a, sizeof(a)), 0);
	CU_ASSERT_EQUAL(certgen_tlsa(twin->cert, 3, 1, 1, b, sizeof(b)), 0);
	CU_ASSERT_STRING_EQUAL(a, b);
	/* default chain: the intermediate, not the self-signed root */
	CU_ASSERT_EQUAL(certgen_set_issuers(&set, leaf, iss, 4), 1);
	CU_ASSERT_STRING_EQUAL(iss[0]->label, "int");
	CU_ASSERT_EQUAL(certgen_set_issuers(&set, def, iss, 4), 0);

	dir = xasprintf("%s/set", tmpdir);
	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
	CU_ASSERT_EQUAL(certgen_set_write(&set, dir), 0);
	path = xasprintf("%s/leaf.chain.pem", dir);
	CU_ASSERT_EQUAL(count_pem(path), 2);
	free(path);
	path = xasprintf("%s/ca.chain.pem", dir);
	CU_ASSERT_EQUAL(count_pem(path), 1);
	free(path);
	path = xasprintf("%s/leaf.key.pem", dir);
	CU_ASSERT_EQUAL(stat(path, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	free(path);
	path = xasprintf("%s/leaf-default.crt.pem", dir);
	{
		X509 *x = certgen_read_cert(path);
		CU_ASSERT_PTR_NOT_NULL(x);
		CU_ASSERT_EQUAL(X509_cmp(x, def->cert), 0);
		X509_free(x);
	}
	free(path);
	free(dir);
	certgen_set_free(&set);
	CU_ASSERT_EQUAL(set.n, 0);
	scn_errors_free(&errs);
}

/* test_set_errors - undeclared issuer, non-CA issuer, bad variables. */
static void
test_set_errors(void)
{
	struct scn s;
	struct scn_cert certs[3];
	struct scn_mx mx;
	struct scn_vars vars;
	struct scn_errors errs = {0};
	struct certgen_set set = {0};

	memset(&s, 0, sizeof(s));
	memset(certs, 0, sizeof(certs));
	memset(&mx, 0, sizeof(mx));
	s.file = "t/bad.scn";
	s.id = "bad";
	certs[0].name = "leaf";
	certs[0].cn = "a.test";
	certs[0].issuer = "nosuch";
	certs[0].line = 7;
	certs[1].name = "leaf2";
	certs[1].cn = "a.test";
	certs[1].issuer = "leaf3";
	certs[1].line = 8;
	certs[2].name = "leaf3";
	certs[2].cn = "${NOSUCHVAR}";
	certs[2].line = 9;
	s.certs = certs;
	s.ncerts = 3;
	mx.name = "mx1";
	mx.cert = "missing";
	mx.line = 11;
	s.mxs = &mx;
	s.nmxs = 1;
	memset(&vars, 0, sizeof(vars));
	vars.id = "bad";
	vars.domain = "bad.test";
	vars.now = time(NULL);

	CU_ASSERT_EQUAL(certgen_set_build(&set, &s, &vars, &errs), -1);
	CU_ASSERT_EQUAL_FATAL(errs.n, 4);
	CU_ASSERT_NSTRING_EQUAL(errs.msg[0], "t/bad.scn:7: ", 13);
	CU_ASSERT_NSTRING_EQUAL(errs.msg[1], "t/bad.scn:8: ", 13);
	CU_ASSERT_NSTRING_EQUAL(errs.msg[2], "t/bad.scn:9: ", 13);
	CU_ASSERT_NSTRING_EQUAL(errs.msg[3], "t/bad.scn:11: ", 14);
	certgen_set_free(&set);
	scn_errors_free(&errs);
}

/* verify_err - X509_verify_cert of leaf (untrusted: mid) up to root with
 * flags for the host name; the error code (X509_V_OK when it verifies). */
static int
verify_err(
    X509 *root, X509 *mid, X509 *leaf, const char *host, unsigned int hflags)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_VERIFY_PARAM *vp;
	int err;

	X509_STORE_add_cert(st, root);
	if (mid != NULL)
		sk_X509_push(untrusted, mid);
	X509_STORE_CTX_init(ctx, st, leaf, untrusted);
	vp = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_purpose(vp, X509_PURPOSE_SSL_SERVER);
	if (host != NULL) {
		X509_VERIFY_PARAM_set1_host(vp, host, 0);
		X509_VERIFY_PARAM_set_hostflags(vp, hflags);
	}
	err = X509_verify_cert(ctx) == 1 ? X509_V_OK
	                                 : X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	X509_STORE_free(st);
	return err;
}

/* test_variants - bc=false, sig=corrupt, eku=, permit=/exclude= and a
 * partial-wildcard san, from a parsed scenario, as OpenSSL's verifier
 * sees them (RFC 5280 4.2.1.9, 4.2.1.10, 4.2.1.12; RFC 6125 7.2). */
static void
test_variants(void)
{
	static const char text[] =
	    "id v\ntitle t\nrequirements R-2.2-a\nseverity security\n"
	    "cert root ca\n"
	    "cert noca ca bc=false issuer=root\n"
	    "cert nc ca issuer=root permit=ok.${DOMAIN} "
	    "exclude=bad.ok.${DOMAIN}\n"
	    "cert l1 issuer=noca cn=mx1.${DOMAIN}\n"
	    "cert l2 issuer=root cn=mx1.${DOMAIN} sig=corrupt\n"
	    "cert l3 issuer=root cn=mx1.${DOMAIN} eku=clientAuth\n"
	    "cert l4 issuer=root cn=mx1.${DOMAIN} eku=none\n"
	    "cert l5 issuer=nc cn=mx1.${DOMAIN}\n"
	    "cert l6 issuer=nc cn=mx1.ok.${DOMAIN}\n"
	    "cert l7 issuer=nc cn=mx1.bad.ok.${DOMAIN}\n"
	    "cert l8 issuer=root cn=mx1.${DOMAIN} san=m*.${DOMAIN}\n"
	    "cert l9 issuer=root cn=mx1.${DOMAIN} san=other.${DOMAIN}\n"
	    "expect outcome deferred\n";
	struct scn_errors errs = {0};
	struct scn *s = scn_parse_buf("t/v.scn", text, strlen(text), &errs);
	struct certgen_set set = {0};
	struct scn_vars vars;
	X509 *root, *noca, *nc;
	int present;

	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	memset(&vars, 0, sizeof(vars));
	vars.id = "v";
	vars.domain = "v.test";
	vars.now = time(NULL);
	CU_ASSERT_EQUAL_FATAL(certgen_set_build(&set, s, &vars, &errs), 0);
	root = certgen_set_find(&set, "root")->cert;
	noca = certgen_set_find(&set, "noca")->cert;
	nc = certgen_set_find(&set, "nc")->cert;
	/* a control: the same leaf name under the root verifies */
	CU_ASSERT_EQUAL(
	    verify_err(root, NULL, certgen_set_find(&set, "l9")->cert, NULL, 0),
	    X509_V_OK);
	CU_ASSERT_EQUAL(X509_check_ca(noca), 0);
	CU_ASSERT_EQUAL(X509_verify(certgen_set_find(&set, "l1")->cert,
	                    certgen_set_find(&set, "noca")->key),
	    1);
	CU_ASSERT_EQUAL(
	    verify_err(root, noca, certgen_set_find(&set, "l1")->cert, NULL, 0),
	    X509_V_ERR_INVALID_CA);
	CU_ASSERT_NOT_EQUAL(X509_verify(certgen_set_find(&set, "l2")->cert,
	                        certgen_set_find(&set, "root")->key),
	    1);
	CU_ASSERT_EQUAL(
	    verify_err(root, NULL, certgen_set_find(&set, "l2")->cert, NULL, 0),
	    X509_V_ERR_CERT_SIGNATURE_FAILURE);
	CU_ASSERT_EQUAL(
	    verify_err(root, NULL, certgen_set_find(&set, "l3")->cert, NULL, 0),
	    X509_V_ERR_INVALID_PURPOSE);
	CU_ASSERT_EQUAL(
	    X509_get_extension_flags(certgen_set_find(&set, "l4")->cert) &
	        EXFLAG_XKUSAGE,
	    0);
	CU_ASSERT_EQUAL(
	    verify_err(root, nc, certgen_set_find(&set, "l5")->cert, NULL, 0),
	    X509_V_ERR_PERMITTED_VIOLATION);
	CU_ASSERT_EQUAL(
	    verify_err(root, nc, certgen_set_find(&set, "l6")->cert, NULL, 0),
	    X509_V_OK);
	CU_ASSERT_EQUAL(
	    verify_err(root, nc, certgen_set_find(&set, "l7")->cert, NULL, 0),
	    X509_V_ERR_EXCLUDED_VIOLATION);
	/* m*.v.test is in the SAN, the CN is not copied there */
	CU_ASSERT_EQUAL(
	    has_san(certgen_set_find(&set, "l8")->cert, "m*.v.test", &present),
	    1);
	CU_ASSERT_EQUAL(
	    has_san(certgen_set_find(&set, "l8")->cert, "mx1.v.test", &present),
	    0);
	CU_ASSERT_EQUAL(
	    verify_err(root, NULL, certgen_set_find(&set, "l8")->cert,
	        "mx1.v.test", X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS),
	    X509_V_ERR_HOSTNAME_MISMATCH);
	/* SAN present and wrong, CN right: no match (RFC 6125 6.4.4) */
	CU_ASSERT_EQUAL(
	    verify_err(root, NULL, certgen_set_find(&set, "l9")->cert,
	        "mx1.v.test", 0),
	    X509_V_ERR_HOSTNAME_MISMATCH);
	certgen_set_free(&set);
	scn_free(s);
	scn_errors_free(&errs);
}

static CU_TestInfo tests[] = {
    {"tlsa_ec", test_tlsa_ec},
    {"tlsa_rsa", test_tlsa_rsa},
    {"tlsa_refuse", test_tlsa_refuse},
    {"chain", test_chain},
    {"validity", test_validity},
    {"set", test_set},
    {"set_errors", test_set_errors},
    {"variants", test_variants},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("certgen", suite_init, suite_clean, tests);
