/*
 * test_world.c - the world builder (harness/world/world.c,
 * harness/world/dnssign.c).
 *
 * The signed zones are checked with ldns's own verification
 * (ldns_verify_rrsig_time with the zone's DNSKEYs): valid RRSIGs verify;
 * rrsig-expired, rrsig-future and rrsig-corrupt fail with the matching
 * status; rrsig-missing leaves none; DS records in the parent match the
 * child's KSK (ldns_rr_compare_ds) except with ds=wrong (RFC 4035
 * section 5). The scenarios are the .scn files of tests/data/world.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <ldns/ldns.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "certgen.h"
#include "scn.h"
#include "harness/world/world.h"
#include "xmalloc.h"

static char tmpdir[] = "/tmp/dsim-world-XXXXXX";
static struct scn_suite suite;
static struct world *built;
static time_t now;

/* suite_init - build the world of tests/data/world once for all tests. */
static int
suite_init(void)
{
	struct scn_errors errs = {0};
	char *paths[1];
	size_t i;

	if (mkdtemp(tmpdir) == NULL)
		return -1;
	paths[0] = xstrdup(unit_data_path("world"));
	now = time(NULL);
	if (scn_suite_load(&suite, paths, 1, &errs) == 0)
		built = world_build(&suite, tmpdir, now, &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	scn_errors_free(&errs);
	free(paths[0]);
	return built != NULL ? 0 : -1;
}

/* suite_clean - free the world, remove its folder. */
static int
suite_clean(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc;

	world_free(built);
	built = NULL;
	scn_suite_free(&suite);
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* find_scn - the scenario of the suite with id. */
static const struct scn *
find_scn(const char *id)
{
	size_t i;

	for (i = 0; i < suite.n; i++)
		if (strcmp(suite.items[i]->id, id) == 0)
			return suite.items[i];
	return NULL;
}

/* load_zone_in - read zones/<file> of the world built in dir; NULL on
 * failure. */
static ldns_zone *
load_zone_in(const char *dir, const char *name)
{
	ldns_zone *z = NULL;
	char *path = xasprintf("%s/world/zones/%s.zone", dir, name);
	FILE *fp = fopen(path, "r");
	ldns_status st;

	free(path);
	if (fp == NULL)
		return NULL;
	st = ldns_zone_new_frm_fp(&z, fp, NULL, 300, LDNS_RR_CLASS_IN);
	fclose(fp);
	return st == LDNS_STATUS_OK ? z : NULL;
}

/* load_zone - read zones/<file> of the suite's world; NULL on failure. */
static ldns_zone *
load_zone(const char *name)
{
	return load_zone_in(tmpdir, name);
}

/* select_rrs - clones of the records of z at owner with type t (SOA too). */
static ldns_rr_list *
select_rrs(const ldns_zone *z, const char *owner, ldns_rr_type t)
{
	ldns_rdf *o = ldns_dname_new_frm_str(owner);
	ldns_rr_list *out = ldns_rr_list_new();
	ldns_rr_list *rrs = ldns_zone_rrs(z);
	ldns_rr *rr;
	size_t i;

	if (t == LDNS_RR_TYPE_SOA) {
		ldns_rr_list_push_rr(out, ldns_rr_clone(ldns_zone_soa(z)));
		ldns_rdf_deep_free(o);
		return out;
	}
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) == t &&
		    ldns_dname_compare(ldns_rr_owner(rr), o) == 0)
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	ldns_rdf_deep_free(o);
	return out;
}

/* covers - 1 if RRSIG sig covers type t. */
static int
covers(const ldns_rr *sig, ldns_rr_type t)
{
	return ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(sig)) == t;
}

/*
 * sig_status - verify every RRSIG over owner/t in z with z's DNSKEYs at
 * time at. Sets *nsig; returns LDNS_STATUS_OK if all verify, else the
 * status of the first that does not.
 */
static ldns_status
sig_status(
    const ldns_zone *z, const char *owner, ldns_rr_type t, time_t at, int *nsig)
{
	ldns_rr_list *set = select_rrs(z, owner, t);
	ldns_rr_list *sigs = select_rrs(z, owner, LDNS_RR_TYPE_RRSIG);
	ldns_rr_list *keys = ldns_rr_list_new();
	ldns_status res = LDNS_STATUS_OK, st;
	ldns_rr *sig, *key;
	size_t i, j;
	int found;

	/* the DNSKEYs live at the apex: collect them by type alone */
	for (i = 0; i < ldns_rr_list_rr_count(ldns_zone_rrs(z)); i++) {
		key = ldns_rr_list_rr(ldns_zone_rrs(z), i);
		if (ldns_rr_get_type(key) == LDNS_RR_TYPE_DNSKEY)
			ldns_rr_list_push_rr(keys, ldns_rr_clone(key));
	}
	*nsig = 0;
	for (i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		sig = ldns_rr_list_rr(sigs, i);
		if (!covers(sig, t))
			continue;
		(*nsig)++;
		found = 0;
		for (j = 0; j < ldns_rr_list_rr_count(keys); j++) {
			key = ldns_rr_list_rr(keys, j);
			if (ldns_calc_keytag(key) !=
			    ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig)))
				continue;
			found = 1;
			st = ldns_verify_rrsig_time(set, sig, key, at);
			if (st != LDNS_STATUS_OK && res == LDNS_STATUS_OK)
				res = st;
		}
		if (!found && res == LDNS_STATUS_OK)
			res = LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY;
	}
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(keys);
	return res;
}

/* count_type - records of type t in z. */
static int
count_type(const ldns_zone *z, ldns_rr_type t)
{
	ldns_rr_list *rrs = ldns_zone_rrs(z);
	size_t i;
	int n = 0;

	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(rrs, i)) == t)
			n++;
	return n;
}

/* test_breaks - valid RRSIGs verify, each break fails as it should. */
static void
test_breaks(void)
{
	ldns_zone *z = load_zone("world-all.test");
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	CU_ASSERT_EQUAL(
	    sig_status(z, "world-all.test.", LDNS_RR_TYPE_TXT, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(
	    sig_status(z, "world-all.test.", LDNS_RR_TYPE_SOA, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(
	    sig_status(z, "world-all.test.", LDNS_RR_TYPE_DNSKEY, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT(n >= 1);
	CU_ASSERT_EQUAL(
	    sig_status(z, "mx2.world-all.test.", LDNS_RR_TYPE_A, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);

	CU_ASSERT_EQUAL(sig_status(z, "_25._tcp.mx1.world-all.test.",
	                    LDNS_RR_TYPE_TLSA, now, &n),
	    LDNS_STATUS_CRYPTO_SIG_EXPIRED);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(sig_status(z, "_25._tcp.mx1.world-all.test.",
	                    LDNS_RR_TYPE_TLSA, now - 36 * 3600, &n),
	    LDNS_STATUS_CRYPTO_SIG_EXPIRED);
	/* the NSEC at the same owner was left alone */
	CU_ASSERT_EQUAL(sig_status(z, "_25._tcp.mx1.world-all.test.",
	                    LDNS_RR_TYPE_NSEC, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(
	    sig_status(z, "mx1.world-all.test.", LDNS_RR_TYPE_A, now, &n),
	    LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED);
	CU_ASSERT_EQUAL(n, 1);
	/* still not valid a day and a half later (beyond a validator's
	 * clock skew, Unbound: at most a day), valid four days later: only
	 * the window moved */
	CU_ASSERT_EQUAL(sig_status(z, "mx1.world-all.test.", LDNS_RR_TYPE_A,
	                    now + 36 * 3600, &n),
	    LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED);
	CU_ASSERT_EQUAL(sig_status(z, "mx1.world-all.test.", LDNS_RR_TYPE_A,
	                    now + 4 * 86400, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(
	    sig_status(z, "world-all.test.", LDNS_RR_TYPE_MX, now, &n),
	    LDNS_STATUS_CRYPTO_BOGUS);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(
	    sig_status(z, "missing.world-all.test.", LDNS_RR_TYPE_TXT, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_EQUAL(sig_status(z, "missing.world-all.test.",
	                    LDNS_RR_TYPE_NSEC, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT(count_type(z, LDNS_RR_TYPE_NSEC) > 0);
	CU_ASSERT_EQUAL(count_type(z, LDNS_RR_TYPE_NSEC3), 0);
	ldns_zone_deep_free(z);

	/* a zone whose window ended: every signature has expired */
	z = load_zone("old.world-all.test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	CU_ASSERT_EQUAL(
	    sig_status(z, "www.old.world-all.test.", LDNS_RR_TYPE_A, now, &n),
	    LDNS_STATUS_CRYPTO_SIG_EXPIRED);
	CU_ASSERT_EQUAL(sig_status(z, "www.old.world-all.test.", LDNS_RR_TYPE_A,
	                    now - 10 * 86400, &n),
	    LDNS_STATUS_OK);
	ldns_zone_deep_free(z);
}

/* test_all_verify - every RRSIG of the secure zones verifies. */
static void
test_all_verify(void)
{
	static const char *names[] = {"root", "test", "world-secure.test",
	    "hosts.world-secure.test", "n3.world-all.test",
	    "wrong.world-all.test"};
	ldns_zone *z;
	ldns_rr_list *rrs;
	ldns_rr *rr;
	char *owner;
	size_t i, j;
	int n, checked;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		z = load_zone(names[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(z);
		rrs = ldns_zone_rrs(z);
		checked = 0;
		for (j = 0; j < ldns_rr_list_rr_count(rrs); j++) {
			rr = ldns_rr_list_rr(rrs, j);
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)
				continue;
			owner = ldns_rdf2str(ldns_rr_owner(rr));
			CU_ASSERT_EQUAL(
			    sig_status(z, owner,
			        ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)),
			        now, &n),
			    LDNS_STATUS_OK);
			CU_ASSERT(n >= 1);
			LDNS_FREE(owner);
			checked++;
		}
		CU_ASSERT(checked >= 4);
		ldns_zone_deep_free(z);
	}
}

/* test_duplicate - a record written twice is published (and signed) once. */
static void
test_duplicate(void)
{
	ldns_zone *z = load_zone("world-secure.test");
	ldns_rr_list *l;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	l = select_rrs(z, "world-secure.test.", LDNS_RR_TYPE_TXT);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
	ldns_rr_list_deep_free(l);
	CU_ASSERT_EQUAL(
	    sig_status(z, "world-secure.test.", LDNS_RR_TYPE_TXT, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);
	ldns_zone_deep_free(z);
}

/* test_nsec3 - an nsec3 zone has NSEC3PARAM and NSEC3, no NSEC. */
static void
test_nsec3(void)
{
	ldns_zone *z = load_zone("n3.world-all.test");
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	CU_ASSERT_EQUAL(count_type(z, LDNS_RR_TYPE_NSEC3PARAM), 1);
	CU_ASSERT(count_type(z, LDNS_RR_TYPE_NSEC3) >= 2);
	CU_ASSERT_EQUAL(count_type(z, LDNS_RR_TYPE_NSEC), 0);
	CU_ASSERT_EQUAL(
	    sig_status(z, "mx3.n3.world-all.test.", LDNS_RR_TYPE_A, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);
	ldns_zone_deep_free(z);
}

/* ds_matches - 1 if some DS at owner in parent matches a DNSKEY of child. */
static int
ds_matches(const ldns_zone *parent, const ldns_zone *child, const char *owner,
    int *nds)
{
	ldns_rr_list *ds = select_rrs(parent, owner, LDNS_RR_TYPE_DS);
	ldns_rr_list *keys = select_rrs(child, owner, LDNS_RR_TYPE_DNSKEY);
	size_t i, j;
	int m = 0;

	*nds = (int)ldns_rr_list_rr_count(ds);
	for (i = 0; i < ldns_rr_list_rr_count(ds); i++)
		for (j = 0; j < ldns_rr_list_rr_count(keys); j++)
			if (ldns_rr_compare_ds(ldns_rr_list_rr(ds, i),
			        ldns_rr_list_rr(keys, j)))
				m = 1;
	ldns_rr_list_deep_free(ds);
	ldns_rr_list_deep_free(keys);
	return m;
}

/* test_delegation - DS, NS and glue in the parents; the trust anchor. */
static void
test_delegation(void)
{
	ldns_zone *root = load_zone("root"), *test = load_zone("test");
	ldns_zone *dom = load_zone("world-all.test");
	ldns_zone *n3 = load_zone("n3.world-all.test");
	ldns_zone *wrong = load_zone("wrong.world-all.test");
	ldns_zone *plain = load_zone("plain.world-all.test");
	ldns_zone *ta = NULL;
	ldns_rr_list *l;
	char *path;
	FILE *fp;
	int n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_PTR_NOT_NULL_FATAL(test);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dom);
	CU_ASSERT_PTR_NOT_NULL_FATAL(n3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wrong);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);

	CU_ASSERT_EQUAL(ds_matches(root, test, "test.", &n), 1);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(ds_matches(test, dom, "world-all.test.", &n), 1);
	CU_ASSERT_EQUAL(ds_matches(dom, n3, "n3.world-all.test.", &n), 1);
	CU_ASSERT_EQUAL(ds_matches(dom, wrong, "wrong.world-all.test.", &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(ds_matches(dom, plain, "plain.world-all.test.", &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	/* the DS RRsets are signed by the parent */
	CU_ASSERT_EQUAL(
	    sig_status(dom, "n3.world-all.test.", LDNS_RR_TYPE_DS, now, &n),
	    LDNS_STATUS_OK);
	CU_ASSERT_EQUAL(n, 1);

	/* delegation NS and glue for the unsigned child */
	l = select_rrs(dom, "plain.world-all.test.", LDNS_RR_TYPE_NS);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
	ldns_rr_list_deep_free(l);
	l = select_rrs(dom, "ns.plain.world-all.test.", LDNS_RR_TYPE_A);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
	ldns_rr_list_deep_free(l);
	CU_ASSERT_EQUAL(count_type(plain, LDNS_RR_TYPE_RRSIG), 0);
	CU_ASSERT_EQUAL(count_type(plain, LDNS_RR_TYPE_DNSKEY), 0);
	/* root hints: the root server's address in test. and as glue */
	l = select_rrs(test, "ns.root-servers.test.", LDNS_RR_TYPE_A);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
	ldns_rr_list_deep_free(l);
	l = select_rrs(root, "ns.root-servers.test.", LDNS_RR_TYPE_A);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
	ldns_rr_list_deep_free(l);

	/* trust-anchor.ds is the root KSK's DS */
	path = xasprintf("%s/world/trust-anchor.ds", tmpdir);
	fp = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(
	    ldns_zone_new_frm_fp(&ta, fp, NULL, 300, LDNS_RR_CLASS_IN),
	    LDNS_STATUS_OK);
	fclose(fp);
	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(ldns_zone_rrs(ta)), 1);
	l = select_rrs(root, ".", LDNS_RR_TYPE_DNSKEY);
	n = 0;
	{
		size_t j;
		for (j = 0; j < ldns_rr_list_rr_count(l); j++)
			if (ldns_rr_compare_ds(
			        ldns_rr_list_rr(ldns_zone_rrs(ta), 0),
			        ldns_rr_list_rr(l, j)))
				n++;
	}
	CU_ASSERT_EQUAL(n, 1);
	ldns_rr_list_deep_free(l);

	ldns_zone_deep_free(ta);
	ldns_zone_deep_free(root);
	ldns_zone_deep_free(test);
	ldns_zone_deep_free(dom);
	ldns_zone_deep_free(n3);
	ldns_zone_deep_free(wrong);
	ldns_zone_deep_free(plain);
}

/* ends_with - 1 if s ends with suffix. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t a = s != NULL ? strlen(s) : 0, b = strlen(suffix);

	return s != NULL && a >= b && strcmp(s + a - b, suffix) == 0;
}

/* test_fakedns_json - zones with addresses, serving-time faults only. */
static void
test_fakedns_json(void)
{
	json_t *root, *zones, *faults, *f;
	json_error_t jerr;

	root = json_load_file(built->fakedns_conf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	zones = json_object_get(root, "zones");
	CU_ASSERT_EQUAL(json_array_size(zones), 9);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	                           json_array_get(zones, 0), "address")),
	    "127.53.0.1");
	CU_ASSERT(json_is_null(
	    json_object_get(json_array_get(zones, 0), "scenario")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	                           json_array_get(zones, 3), "name")),
	    "n3.world-all.test.");
	CU_ASSERT(
	    json_is_true(json_object_get(json_array_get(zones, 3), "nsec3")));
	CU_ASSERT(
	    json_is_false(json_object_get(json_array_get(zones, 5), "signed")));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	                           json_array_get(zones, 8), "address")),
	    "127.53.0.9");
	CU_ASSERT(ends_with(json_string_value(json_object_get(
	                        json_array_get(zones, 2), "file")),
	    "/world/zones/world-all.test.zone"));
	CU_ASSERT(ends_with(
	    json_string_value(json_object_get(root, "log")), "/dns.jsonl"));
	faults = json_object_get(root, "faults");
	CU_ASSERT_EQUAL_FATAL(json_array_size(faults), 2);
	f = json_array_get(faults, 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(f, "owner")),
	    "mx2.world-all.test.");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(f, "fault")), "servfail");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(f, "type")), "A");
	f = json_array_get(faults, 1);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(f, "type")), "ANY");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(f, "ms")), 200);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(f, "scenario")), "world-all");
	json_decref(root);
}

/*
 * test_trusted_cas - the world's CA bundle holds exactly the "ca
 * trusted" certificate of world-all (its "ca"), not the leaf or the
 * other self-signed certificate.
 */
static void
test_trusted_cas(void)
{
	char *ca_path;
	X509 *want, *got;
	FILE *fp;
	int n = 0;

	CU_ASSERT(ends_with(built->trusted_cas, "/world/trusted-cas.pem"));
	ca_path = xasprintf("%s/certs/world-all/ca.crt.pem", built->dir);
	want = certgen_read_cert(ca_path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	fp = fopen(built->trusted_cas, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	while ((got = PEM_read_X509(fp, NULL, NULL, NULL)) != NULL) {
		CU_ASSERT_EQUAL(X509_cmp(got, want), 0);
		X509_free(got);
		n++;
	}
	ERR_clear_error();
	fclose(fp);
	CU_ASSERT_EQUAL(n, 1);
	X509_free(want);
	free(ca_path);
}

/* test_fakemx_json - listeners with certs, chain, SNI, behaviours. */
static void
test_fakemx_json(void)
{
	json_t *root, *ls, *m, *r;
	json_error_t jerr;

	root = json_load_file(built->fakemx_conf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	ls = json_object_get(root, "listeners");
	CU_ASSERT_EQUAL_FATAL(json_array_size(ls), 3);
	m = json_array_get(ls, 0);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(m, "address")), "127.25.0.1");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(m, "hostname")),
	    "mx1.world-all.test");
	CU_ASSERT(ends_with(json_string_value(json_object_get(m, "cert")),
	    "/certs/world-all/leaf.crt.pem"));
	CU_ASSERT(ends_with(json_string_value(json_object_get(m, "key")),
	    "/certs/world-all/leaf.key.pem"));
	/* the leaf's only issuer is the self-signed root: not sent */
	CU_ASSERT_EQUAL(json_array_size(json_object_get(m, "chain")), 0);
	r = json_array_get(json_object_get(m, "sni"), 0);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(r, "name")),
	    "other.world-all.test");
	CU_ASSERT(ends_with(json_string_value(json_object_get(r, "cert")),
	    "/certs/world-all/other.crt.pem"));
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(m, "starttls")), "offer");
	CU_ASSERT(json_is_true(json_object_get(m, "esmtp")));

	m = json_array_get(ls, 1);
	CU_ASSERT(ends_with(json_string_value(json_object_get(m, "cert")),
	    "/certs/world-all/mx2.crt.pem"));
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(m, "starttls")), "strip");
	r = json_object_get(json_object_get(m, "replies"), "starttls");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(r, "code")), 454);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(r, "text")), "TLS not available");
	r = json_object_get(json_object_get(m, "replies"), "mail");
	CU_ASSERT(json_is_true(json_object_get(r, "drop")));
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(
	                    json_object_get(m, "delays"), "ehlo")),
	    100);
	CU_ASSERT(json_is_null(json_object_get(m, "inject")));

	m = json_array_get(ls, 2);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(m, "scenario")), "world-secure");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(m, "address")), "127.25.0.3");
	json_decref(root);
}

/* test_tlsa_and_load - world_load rebuilds the world; TLSA data agrees. */
static void
test_tlsa_and_load(void)
{
	const struct scn *all = find_scn("world-all");
	const struct scn *sec = find_scn("world-secure");
	struct world *w;
	ldns_zone *z;
	ldns_rr_list *l;
	char *data, *rdata, *want;

	CU_ASSERT_PTR_NOT_NULL_FATAL(all);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	CU_ASSERT_STRING_EQUAL(world_domain(all), "world-all.test.");
	CU_ASSERT_STRING_EQUAL(world_mx_addr(built, all, "mx2"), "127.25.0.2");
	CU_ASSERT_PTR_NULL(world_mx_addr(built, all, "nosuch"));

	w = world_load(&suite, tmpdir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL(w->now, now);
	CU_ASSERT_EQUAL(w->nzones, 9);
	CU_ASSERT_EQUAL(w->nmxs, 3);
	CU_ASSERT_STRING_EQUAL(world_mx_addr(w, all, "mx1"), "127.25.0.1");
	CU_ASSERT_STRING_EQUAL(world_mx_addr(w, sec, "mx1"), "127.25.0.3");
	CU_ASSERT_STRING_EQUAL(w->zones[3].name, "n3.world-all.test.");
	CU_ASSERT_PTR_EQUAL(w->zones[3].scn, all);
	CU_ASSERT_PTR_NULL(w->zones[1].scn);
	CU_ASSERT_STRING_EQUAL(w->fakemx_conf, built->fakemx_conf);

	data = world_expand(w, sec, "${ADDR(mx1)} mx1.${DOMAIN}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_STRING_EQUAL(data, "127.25.0.3 mx1.world-secure.test");
	free(data);
	CU_ASSERT_PTR_NULL(world_expand(w, sec, "${ADDR(nosuch)}"));
	CU_ASSERT_PTR_NULL(world_expand(w, sec, "${TLSA(nosuch,3,1,1)}"));

	/* ${TLSA} from the certificate on disk equals the published record */
	want = world_expand(w, sec, "${TLSA(mx1,3,1,1)}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	z = load_zone("hosts.world-secure.test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	l = select_rrs(
	    z, "_25._tcp.mx1.hosts.world-secure.test.", LDNS_RR_TYPE_TLSA);
	CU_ASSERT_EQUAL_FATAL(ldns_rr_list_rr_count(l), 1);
	{
		ldns_rr *rr = ldns_rr_list_rr(l, 0);
		char *u = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		char *s = ldns_rdf2str(ldns_rr_rdf(rr, 1));
		char *m = ldns_rdf2str(ldns_rr_rdf(rr, 2));
		char *h = ldns_rdf2str(ldns_rr_rdf(rr, 3));
		size_t i;

		for (i = 0; h[i] != '\0'; i++)
			h[i] =
			    (char)(h[i] >= 'A' && h[i] <= 'F' ? h[i] - 'A' + 'a'
			                                      : h[i]);
		rdata = xasprintf("%s %s %s %s", u, s, m, h);
		LDNS_FREE(u);
		LDNS_FREE(s);
		LDNS_FREE(m);
		LDNS_FREE(h);
	}
	CU_ASSERT_STRING_EQUAL(rdata, want);
	free(rdata);
	free(want);
	ldns_rr_list_deep_free(l);
	ldns_zone_deep_free(z);
	world_free(w);

	CU_ASSERT_PTR_NULL(world_load(&suite, "/nonexistent/dsim-run"));
}

/* test_load_hostile - broken world.json files are refused, never a crash. */
static void
test_load_hostile(void)
{
	static const char *bad[] = {
	    "garbage",
	    "[]",
	    "{\"version\":2,\"now\":1,\"zones\":[],\"scenarios\":[]}",
	    "{\"version\":1,\"now\":\"x\",\"zones\":[],\"scenarios\":[]}",
	    "{\"version\":1,\"now\":1,\"zones\":[1,\"x\",{\"name\":3}],"
	    "\"scenarios\":[]}",
	    "{\"version\":1,\"now\":1,\"zones\":[{\"name\":\"a.\","
	    "\"address\":\"127.0.0.1\",\"file\":\"../../etc/passwd\"}],"
	    "\"scenarios\":[]}",
	    "{\"version\":1,\"now\":1,\"zones\":[],\"scenarios\":[{\"id\":5},"
	    "{\"id\":\"world-all\",\"mx\":7}]}",
	};
	char *dir = xasprintf("%s/hostile", tmpdir);
	char *wdir = xasprintf("%s/world", dir);
	char *path = xasprintf("%s/world.json", wdir);
	size_t i;
	FILE *fp;

	CU_ASSERT_EQUAL_FATAL(mkdir(dir, 0755), 0);
	CU_ASSERT_EQUAL_FATAL(mkdir(wdir, 0755), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fp = fopen(path, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		fputs(bad[i], fp);
		fclose(fp);
		CU_ASSERT_PTR_NULL(world_load(&suite, dir));
	}
	free(path);
	free(wdir);
	free(dir);
}

/* build_text - build a world from one scenario text; errors into errs. */
static struct world *
build_text(const char *name, const char *text, struct scn_errors *errs,
    struct scn **out)
{
	struct scn_suite one;
	struct scn *s;
	struct world *w;
	char *dir, *path;

	path = xasprintf("t/%s.scn", name);
	s = scn_parse_buf(path, text, strlen(text), errs);
	free(path);
	*out = s;
	if (s == NULL)
		return NULL;
	one.items = &s;
	one.n = 1;
	dir = xasprintf("%s/%s", tmpdir, name);
	w = world_build(&one, dir, now, errs);
	free(dir);
	if (w != NULL)
		w->suite = NULL; /* "one" is on the stack */
	return w;
}

#define HEADER(id)                                                             \
	"id " id "\ntitle t\nrequirements R-2.2-a\nseverity security\n"

/* has_msg - 1 if some message of errs starts with prefix and holds part. */
static int
has_msg(const struct scn_errors *e, const char *prefix, const char *part)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strncmp(e->msg[i], prefix, strlen(prefix)) == 0 &&
		    strstr(e->msg[i], part) != NULL)
			return 1;
	return 0;
}

/* test_errors - scenario problems give file:line messages and no world. */
static void
test_errors(void)
{
	struct scn_errors errs = {0};
	struct scn *s = NULL;
	struct world *w;
	size_t i;

	w = build_text("bad1",
	    HEADER("bad1") "zone ${DOMAIN}\n"               /* 5 */
	                   "@ MX notanumber mx1\n"          /* 6 */
	                   "www.example.org. A 127.0.0.1\n" /* 7 */
	                   "@ SOA a. b. 1 2 3 4 5\n"        /* 8 */
	                   "ok A 127.0.0.1\n"               /* 9 */
	                   "ns A 127.0.0.2\n"               /* 10 */
	                   "end\n"
	                   "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NULL(w);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "  (expected) %s\n", errs.msg[i]);
	CU_ASSERT(has_msg(&errs, "t/bad1.scn:6: ", ""));
	CU_ASSERT(has_msg(&errs, "t/bad1.scn:7: ", "outside zone"));
	CU_ASSERT(has_msg(&errs, "t/bad1.scn:8: ", "SOA"));
	CU_ASSERT(!has_msg(&errs, "t/bad1.scn:9: ", ""));
	CU_ASSERT(has_msg(&errs, "t/bad1.scn:10: ", "name server"));
	CU_ASSERT_EQUAL(errs.n, 4);
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);

	w = build_text("bad2",
	    HEADER("bad2") "zone ${DOMAIN}\n"
	                   "www A 127.0.0.1\n"
	                   "end\n"
	                   "dnsbreak nosuch.${DOMAIN} A rrsig-expired\n" /* 8 */
	                   "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT(has_msg(&errs, "t/bad2.scn:8: ", "no signed"));
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);

	/* root-servers.test. names the root's server: no scenario gets it */
	w = build_text("root-servers",
	    HEADER("root-servers") "expect outcome deferred\n", &errs, &s);
	CU_ASSERT_PTR_NULL(w);
	CU_ASSERT(has_msg(&errs, "t/root-servers.scn:1: ", "reserved"));
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);

	/* a scenario without a zone for its domain still gets one */
	w = build_text(
	    "nozone", HEADER("nozone") "expect outcome deferred\n", &errs, &s);
	CU_ASSERT_PTR_NOT_NULL(w);
	if (w != NULL) {
		CU_ASSERT_EQUAL(w->nzones, 3);
		CU_ASSERT_STRING_EQUAL(w->zones[2].name, "nozone.test.");
		CU_ASSERT(w->zones[2].is_signed);
	}
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);
}

/* nsec3_of - the NSEC3 of z whose owner's first label is name's hash, or
 * NULL; *n counts the NSEC3s with flags, iterations and salt as wanted. */
static const ldns_rr *
nsec3_of(const ldns_zone *z, const char *name, int *n)
{
	uint8_t salt[2] = {0xab, 0xcd};
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	ldns_rdf *h = ldns_nsec3_hash_name(d, 1, 2, 2, salt);
	ldns_rr_list *rrs = ldns_zone_rrs(z);
	const ldns_rr *found = NULL;
	size_t i;

	*n = 0;
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rdf *label;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		if (ldns_nsec3_optout(rr) && ldns_nsec3_iterations(rr) == 2 &&
		    ldns_rdf_size(ldns_nsec3_salt(rr)) == 3)
			(*n)++;
		label = ldns_dname_label(ldns_rr_owner(rr), 0);
		if (label != NULL && ldns_dname_compare(label, h) == 0)
			found = rr;
		ldns_rdf_deep_free(label);
	}
	ldns_rdf_deep_free(d);
	ldns_rdf_deep_free(h);
	return found;
}

/* test_nsec3_optout - opt-out: the unsigned delegation has no NSEC3 and
 * is covered by an opt-out span, the signed one keeps its NSEC3 (RFC
 * 5155 sections 6 and 7.1), parameters as the zone line asks. */
static void
test_nsec3_optout(void)
{
	struct scn_errors errs = {0};
	struct scn *s;
	struct world *w;
	ldns_zone *z = NULL;
	ldns_rr_list *l;
	char *path;
	int n, total;

	w = build_text("optout",
	    HEADER("optout") "zone ${DOMAIN} nsec3 opt-out iterations=2 "
	                     "salt=ABcd\n"
	                     "@ MX 10 mx.child\n"
	                     "www A 192.0.2.1\n"
	                     "end\n"
	                     "zone child.${DOMAIN} unsigned\n"
	                     "mx A 192.0.2.2\n"
	                     "end\n"
	                     "zone sec.${DOMAIN}\n"
	                     "end\n"
	                     "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_STRING_EQUAL(s->zones[0].nsec3_salt, "abcd");
	path = xasprintf("%s/optout", tmpdir);
	z = load_zone_in(path, "optout.test");
	free(path);
	CU_ASSERT_PTR_NOT_NULL(z);
	if (z != NULL) {
		total = count_type(z, LDNS_RR_TYPE_NSEC3);
		CU_ASSERT(total >= 3);
		CU_ASSERT_PTR_NULL(nsec3_of(z, "child.optout.test.", &n));
		CU_ASSERT_EQUAL(n, total);
		CU_ASSERT_PTR_NOT_NULL(nsec3_of(z, "sec.optout.test.", &n));
		CU_ASSERT_PTR_NOT_NULL(nsec3_of(z, "optout.test.", &n));
		/* the delegation is there, unsigned */
		l = select_rrs(z, "child.optout.test.", LDNS_RR_TYPE_NS);
		CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
		ldns_rr_list_deep_free(l);
		l = select_rrs(z, "child.optout.test.", LDNS_RR_TYPE_RRSIG);
		CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 0);
		ldns_rr_list_deep_free(l);
		CU_ASSERT_EQUAL(
		    sig_status(z, "www.optout.test.", LDNS_RR_TYPE_A, now, &n),
		    LDNS_STATUS_OK);
		l = select_rrs(z, "optout.test.", LDNS_RR_TYPE_NSEC3PARAM);
		CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 1);
		/* NSEC3PARAM flags are 0 even with opt-out (RFC 5155 4.1.2) */
		if (ldns_rr_list_rr_count(l) == 1)
			CU_ASSERT_EQUAL(ldns_rdf2native_int8(ldns_rr_rdf(
			                    ldns_rr_list_rr(l, 0), 1)),
			    0);
		ldns_rr_list_deep_free(l);
		ldns_zone_deep_free(z);
	}
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);
}

/* count_in_zone - records of type at owner in the zone "<name>.test"
 * of the world built by build_text(name, ...); -1 if it cannot load. */
static int
count_in_zone(const char *name, const char *owner, ldns_rr_type type)
{
	ldns_rr_list *l;
	ldns_zone *z;
	char *dir, *apex;
	int n;

	dir = xasprintf("%s/%s", tmpdir, name);
	apex = xasprintf("%s.test", name);
	z = load_zone_in(dir, apex);
	free(apex);
	free(dir);
	if (z == NULL)
		return -1;
	l = select_rrs(z, owner, type);
	n = (int)ldns_rr_list_rr_count(l);
	ldns_rr_list_deep_free(l);
	ldns_zone_deep_free(z);
	return n;
}

/* test_mx_port - "port N" reaches fakemx.json; other hosts stay on 25;
 * the zone line's _2525._tcp TLSA name is kept as written. */
static void
test_mx_port(void)
{
	struct scn_errors errs = {0};
	struct scn *s;
	struct world *w;
	json_t *root, *ls;
	json_error_t jerr;

	w = build_text("port",
	    HEADER("port") "cert c cn=mx1.${DOMAIN}\n"
	                   "zone ${DOMAIN}\n"
	                   "@ MX 10 mx1\n"
	                   "@ MX 20 mx2\n"
	                   "mx1 A ${ADDR(mx1)}\n"
	                   "mx2 A ${ADDR(mx2)}\n"
	                   "_2525._tcp.mx1 TLSA ${TLSA(c,3,1,1)}\n"
	                   "end\n"
	                   "mx mx1\n  cert c\n  port 2525\nend\n"
	                   "mx mx2\nend\n"
	                   "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	root = json_load_file(w->fakemx_conf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	ls = json_object_get(root, "listeners");
	CU_ASSERT_EQUAL_FATAL(json_array_size(ls), 2);
	CU_ASSERT_EQUAL(
	    json_integer_value(json_object_get(json_array_get(ls, 0), "port")),
	    2525);
	CU_ASSERT_EQUAL(
	    json_integer_value(json_object_get(json_array_get(ls, 1), "port")),
	    25);
	json_decref(root);
	CU_ASSERT_EQUAL(count_in_zone("port", "_2525._tcp.mx1.port.test.",
	                    LDNS_RR_TYPE_TLSA),
	    1);
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);
}

/* test_mtasts - the mta-sts header: a policy host listener on port 443
 * with the policy file, its certificate, and the _mta-sts TXT and
 * mta-sts A records in the zone ${DOMAIN}; parse errors name the line. */
static void
test_mtasts(void)
{
	static const struct {
		const char *text, *at, *want;
	} bad[] = {
	    {HEADER("stsbad") "mta-sts enforce cert=c mx=mx1\n"
	                      "zone other.test\nend\n",
	        "t/stsbad.scn:5:", "needs a 'zone ${DOMAIN}'"},
	    {HEADER("stsbad") "mta-sts enforce cert=c mx=mx1\n"
	                      "zone ${DOMAIN}\nend\nmx mta-sts\nend\n",
	        "t/stsbad.scn:8:", "mta-sts policy host"},
	    {HEADER("stsbad") "mta-sts strict cert=c mx=mx1\n",
	        "t/stsbad.scn:5:", "bad mta-sts mode 'strict'"},
	    {HEADER("stsbad") "mta-sts enforce mx=mx1\n",
	        "t/stsbad.scn:5:", "needs cert=LABEL"},
	    {HEADER("stsbad") "mta-sts enforce cert=c mx=a..b\n",
	        "t/stsbad.scn:5:", "bad mx"},
	    {HEADER("stsbad") "mta-sts enforce cert=c mx=m max-age=x\n",
	        "t/stsbad.scn:5:", "bad mta-sts attribute 'max-age=x'"},
	};
	size_t i;
	struct scn_errors errs = {0};
	struct scn *s;
	struct world *w;
	json_t *root, *ls, *o;
	json_error_t jerr;
	const char *pol;

	w = build_text("sts",
	    HEADER("sts") "mta-sts enforce cert=sts mx=mx1,*.${DOMAIN} "
	                  "max-age=3600\n"
	                  "cert ca ca trusted cn=root.test\n"
	                  "cert sts issuer=ca cn=mta-sts.${DOMAIN}\n"
	                  "zone ${DOMAIN}\n"
	                  "@ MX 10 mx1\n"
	                  "mx1 A ${ADDR(mx1)}\n"
	                  "end\n"
	                  "mx mx1\nend\n"
	                  "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL_FATAL(s->nmxs, 2);
	CU_ASSERT_TRUE(s->mxs[1].https);
	CU_ASSERT_STRING_EQUAL(s->mxs[1].name, SCN_MTASTS_HOST);
	root = json_load_file(w->fakemx_conf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	ls = json_object_get(root, "listeners");
	CU_ASSERT_EQUAL_FATAL(json_array_size(ls), 2);
	o = json_array_get(ls, 1);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "port")), 443);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(json_string_value(json_object_get(o, "cert")), "sts.crt"));
	pol = json_string_value(
	    json_object_get(json_object_get(o, "https"), "policy"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(pol);
	CU_ASSERT_STRING_EQUAL(pol, "version: STSv1\r\nmode: enforce\r\n"
	                            "mx: mx1.sts.test\r\nmx: *.sts.test\r\n"
	                            "max_age: 3600\r\n");
	CU_ASSERT_PTR_NULL(json_object_get(json_array_get(ls, 0), "https"));
	json_decref(root);
	CU_ASSERT_EQUAL(
	    count_in_zone("sts", "_mta-sts.sts.test.", LDNS_RR_TYPE_TXT), 1);
	CU_ASSERT_EQUAL(
	    count_in_zone("sts", "mta-sts.sts.test.", LDNS_RR_TYPE_A), 1);
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);

	/* parse errors: no zone ${DOMAIN}, the label taken, bad words */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_PTR_NULL(
		    build_text("stsbad", bad[i].text, &errs, &s));
		CU_ASSERT(has_msg(&errs, bad[i].at, bad[i].want));
		scn_errors_free(&errs);
	}
}

/*
 * test_ipv6 - a host named by ${ADDR6(label)} in a zone line gets an
 * IPv6 address of the plan (fd00:da5e:25::<host number + 1>, in hex),
 * the AAAA record holds it, fakemx gets the same listener at it, and
 * world.json gives it back to world_load; a host without ${ADDR6} gets
 * none.
 */
static void
test_ipv6(void)
{
	static const char *const addrs[] = {"127.25.0.1", "fd00:da5e:25::1",
	    "127.25.0.2", "127.25.0.3", "fd00:da5e:25::3"};
	static const char *const hosts[] = {"mx1", "mx1", "mx2", "mx3", "mx3"};
	struct scn_errors errs = {0};
	size_t i;
	struct scn_suite one;
	struct scn *s;
	struct world *w, *back;
	json_t *root, *ls;
	json_error_t jerr;
	ldns_zone *z;
	ldns_rr_list *l;
	char *dir, *txt;

	w = build_text("six",
	    HEADER("six") "zone ${DOMAIN}\n"
	                  "@ MX 10 mx1\n"
	                  "@ MX 20 mx2\n"
	                  "@ MX 30 mx3\n"
	                  "mx1 A ${ADDR(mx1)}\n"
	                  "mx1 AAAA ${ADDR6(mx1)}\n"
	                  "mx2 A ${ADDR(mx2)}\n"
	                  "mx3 AAAA ${ADDR6(mx3)}\n"
	                  "end\n"
	                  "mx mx1\nend\n"
	                  "mx mx2\nend\n"
	                  "mx mx3\n  port 2525\nend\n"
	                  "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_EQUAL_FATAL(w->nmxs, 3);
	CU_ASSERT_STRING_EQUAL(w->mxs[0].addr6, "fd00:da5e:25::1");
	CU_ASSERT_PTR_NULL(w->mxs[1].addr6);
	CU_ASSERT_STRING_EQUAL(w->mxs[2].addr6, "fd00:da5e:25::3");
	CU_ASSERT_STRING_EQUAL(world_mx_addr6(w, s, "mx3"), "fd00:da5e:25::3");
	CU_ASSERT_PTR_NULL(world_mx_addr6(w, s, "mx2"));
	CU_ASSERT_PTR_NULL(world_mx_addr6(w, s, "nope"));
	txt = world_expand(w, s, "${ADDR6(mx1)} ${ADDR(mx1)}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(txt);
	CU_ASSERT_STRING_EQUAL(txt, "fd00:da5e:25::1 127.25.0.1");
	free(txt);

	/* fakemx: the v4 listener of each host, then its v6 twin */
	root = json_load_file(w->fakemx_conf, 0, &jerr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	ls = json_object_get(root, "listeners");
	CU_ASSERT_EQUAL_FATAL(json_array_size(ls), 5);
	for (i = 0; i < 5; i++) {
		json_t *o = json_array_get(ls, i);

		CU_ASSERT_STRING_EQUAL(
		    json_string_value(json_object_get(o, "address")), addrs[i]);
		CU_ASSERT_STRING_EQUAL(
		    json_string_value(json_object_get(o, "host")), hosts[i]);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(o, "port")),
		    i < 3 ? 25 : 2525);
	}
	json_decref(root);

	/* the zone's AAAA records hold the plan's addresses */
	dir = xasprintf("%s/six", tmpdir);
	z = load_zone_in(dir, "six.test");
	CU_ASSERT_PTR_NOT_NULL_FATAL(z);
	l = select_rrs(z, "mx1.six.test.", LDNS_RR_TYPE_AAAA);
	CU_ASSERT_EQUAL_FATAL(ldns_rr_list_rr_count(l), 1);
	txt = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(l, 0), 0));
	CU_ASSERT_STRING_EQUAL(txt, "fd00:da5e:25::1");
	free(txt);
	ldns_rr_list_deep_free(l);
	l = select_rrs(z, "mx2.six.test.", LDNS_RR_TYPE_AAAA);
	CU_ASSERT_EQUAL(ldns_rr_list_rr_count(l), 0);
	ldns_rr_list_deep_free(l);
	ldns_zone_deep_free(z);

	/* world.json gives the addresses back */
	one.items = &s;
	one.n = 1;
	back = world_load(&one, dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_EQUAL_FATAL(back->nmxs, 3);
	CU_ASSERT_STRING_EQUAL(back->mxs[0].addr6, "fd00:da5e:25::1");
	CU_ASSERT_PTR_NULL(back->mxs[1].addr6);
	CU_ASSERT_STRING_EQUAL(back->mxs[2].addr6, "fd00:da5e:25::3");
	back->suite = NULL;
	world_free(back);
	free(dir);
	world_free(w);
	scn_free(s);
	scn_errors_free(&errs);
}

/* read_all - a small file's text (new string) or NULL. */
static char *
read_all(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *t;
	size_t n;

	if (fp == NULL)
		return NULL;
	t = xcalloc(1, 65536);
	n = fread(t, 1, 65535, fp);
	t[n] = '\0';
	fclose(fp);
	return t;
}

/* test_policy - sut-policy.tsv holds the destination's policy line with
 * the names expanded; a scenario without a policy gives the header only;
 * world.json names the file. */
static void
test_policy(void)
{
	struct scn_errors errs = {0};
	struct scn *s;
	struct world *w;
	char *t, *p;

	w = build_text("pol",
	    HEADER("pol") "recipient user@Sub.${DOMAIN}\n"
	                  "policy dane-only\n"
	                  "route relay.${DOMAIN}:2525\n"
	                  "fallback-relay fb-${ID}.test.\n"
	                  "zone ${DOMAIN}\nsub MX 10 mx1\n"
	                  "mx1 A ${ADDR(mx1)}\nrelay A ${ADDR(mx1)}\nend\n"
	                  "mx mx1\nend\n"
	                  "expect outcome deferred\n",
	    &errs, &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	t = read_all(w->sut_policy);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NOT_NULL(strstr(t,
	    "\nsub.pol.test\tdane-only\trelay.pol.test:2525\tfb-pol.test\n"));
	CU_ASSERT_EQUAL(t[0], '#');
	free(t);
	p = xasprintf("%s/world.json", w->dir);
	t = read_all(p);
	free(p);
	CU_ASSERT_PTR_NOT_NULL(
	    t != NULL ? strstr(t, "\"sut_policy\": \"sut-policy.tsv\"") : NULL);
	free(t);
	world_free(w);
	scn_free(s);

	w = build_text("nopol",
	    HEADER("nopol") "mx mx1\nend\nexpect outcome deferred\n", &errs,
	    &s);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	t = read_all(w->sut_policy);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_PTR_NULL(strchr(t, '\t'));
	free(t);
	world_free(w);
	scn_free(s);
	CU_ASSERT_EQUAL(errs.n, 0);
	scn_errors_free(&errs);
}

static CU_TestInfo tests[] = {
    {"mtasts", test_mtasts},
    {"breaks", test_breaks},
    {"all_verify", test_all_verify},
    {"nsec3", test_nsec3},
    {"duplicate", test_duplicate},
    {"delegation", test_delegation},
    {"fakedns_json", test_fakedns_json},
    {"fakemx_json", test_fakemx_json},
    {"trusted_cas", test_trusted_cas},
    {"tlsa_and_load", test_tlsa_and_load},
    {"load_hostile", test_load_hostile},
    {"errors", test_errors},
    {"nsec3_optout", test_nsec3_optout},
    {"mx_port", test_mx_port},
    {"policy", test_policy},
    {"ipv6", test_ipv6},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("world", suite_init, suite_clean, tests);
