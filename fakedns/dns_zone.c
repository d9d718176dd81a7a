/*
 * dns_zone.c - loading one master file with ldns and looking names up in
 * it: canonical name order (RFC 4034 §6.1), RRSIGs grouped with the RRset
 * they cover (RFC 4035 §3.1.1), NSEC predecessors (RFC 4034 §4.1.1,
 * RFC 4035 §3.1.3), NSEC3 hashing and the hash-ordered chain (RFC 5155
 * §5, §7.2).
 */
#include "dns_zone.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_name.h"
#include "xmalloc.h"

/* rr_type_of_sig - the type an RRSIG covers. */
static ldns_rr_type
rr_type_of_sig(const ldns_rr *sig)
{
	const ldns_rdf *tc = ldns_rr_rrsig_typecovered(sig);

	return tc != NULL ? ldns_rdf2rr_type(tc) : 0;
}

/* cmp_rr - order records by owner (canonical) then type. */
static int
cmp_rr(const void *a, const void *b)
{
	const ldns_rr *x = *(const ldns_rr *const *)a;
	const ldns_rr *y = *(const ldns_rr *const *)b;
	int c = ldns_dname_compare(ldns_rr_owner(x), ldns_rr_owner(y));

	if (c != 0)
		return c;
	if (ldns_rr_get_type(x) != ldns_rr_get_type(y))
		return ldns_rr_get_type(x) < ldns_rr_get_type(y) ? -1 : 1;
	return 0;
}

/* cmp_n3 - order NSEC3 entries by hash text. */
static int
cmp_n3(const void *a, const void *b)
{
	return strcmp(((const struct dns_nsec3 *)a)->hash,
	    ((const struct dns_nsec3 *)b)->hash);
}

/* label_text - first label of a name as lower-case text (caller frees). */
static char *
label_text(const ldns_rdf *name)
{
	const uint8_t *d = ldns_rdf_data(name);
	size_t n = ldns_rdf_size(name), len, i;
	char *s;

	if (n < 1 || d[0] == 0 || (size_t)d[0] + 1 > n)
		return xstrdup("");
	len = d[0];
	s = xmalloc(len + 1);
	for (i = 0; i < len; i++)
		s[i] = (char)tolower(d[1 + i]);
	s[len] = '\0';
	return s;
}

/* node_add_rr - add rr (ownership passes) to node's RRset of its type. */
static void
node_add(struct dns_node *n, ldns_rr *rr, int is_sig)
{
	ldns_rr_type t = is_sig ? rr_type_of_sig(rr) : ldns_rr_get_type(rr);
	size_t i;

	for (i = 0; i < n->nsets; i++)
		if (n->sets[i].type == t)
			break;
	if (i == n->nsets) {
		n->sets =
		    xreallocarray(n->sets, n->nsets + 1, sizeof(n->sets[0]));
		n->sets[i].type = t;
		n->sets[i].rrs = ldns_rr_list_new();
		n->sets[i].sigs = ldns_rr_list_new();
		n->nsets++;
	}
	ldns_rr_list_push_rr(is_sig ? n->sets[i].sigs : n->sets[i].rrs, rr);
}

/* nsec3_params - take the NSEC3 hash parameters from NSEC3PARAM or NSEC3. */
static int
nsec3_params(struct dns_zone *z, const ldns_rr *param, const ldns_rr *n3)
{
	const ldns_rdf *salt;

	if (param != NULL && ldns_rr_rd_count(param) == 4) {
		salt = ldns_rr_rdf(param, 3);
		z->n3_alg = ldns_rdf2native_int8(ldns_rr_rdf(param, 0));
		z->n3_iter = ldns_rdf2native_int16(ldns_rr_rdf(param, 2));
	} else if (n3 != NULL && ldns_rr_rd_count(n3) >= 4) {
		salt = ldns_rr_rdf(n3, 3);
		z->n3_alg = ldns_nsec3_algorithm(n3);
		z->n3_iter = ldns_nsec3_iterations(n3);
	} else
		return -1;
	if (salt == NULL || ldns_rdf_size(salt) < 1 ||
	    ldns_rdf_size(salt) != (size_t)ldns_rdf_data(salt)[0] + 1)
		return -1;
	z->n3_saltlen = ldns_rdf_data(salt)[0];
	memcpy(z->n3_salt, ldns_rdf_data(salt) + 1, z->n3_saltlen);
	return 0;
}

/* index_nodes - the hash table of owner names (at most half full). */
static void
index_nodes(struct dns_zone *z)
{
	size_t cap = 8, i, k;

	while (cap < 2 * z->nnodes)
		cap *= 2;
	z->index = xcalloc(cap, sizeof(*z->index));
	z->index_mask = cap - 1;
	for (i = 0; i < z->nnodes; i++) {
		const ldns_rdf *d = z->nodes[i].name;

		k = dns_name_hash(ldns_rdf_data(d), ldns_rdf_size(d)) &
		    z->index_mask;
		while (z->index[k] != 0)
			k = (k + 1) & z->index_mask;
		z->index[k] = i + 1;
	}
}

/* exist_add - note that name (len bytes) exists, once. */
static void
exist_add(struct dns_zone *z, const uint8_t *name, size_t len)
{
	size_t k = dns_name_hash(name, len) & z->exist_mask;

	for (; z->exist[k].name != NULL; k = (k + 1) & z->exist_mask)
		if (z->exist[k].len == len &&
		    dns_name_equal(z->exist[k].name, name, len))
			return;
	z->exist[k].name = name;
	z->exist[k].len = len;
}

/* index_exist - the table of existing names: every owner and each of its
 * ancestors up to the root (RFC 4592 §2.2.2: empty non-terminals exist). */
static void
index_exist(struct dns_zone *z)
{
	size_t cap = 8, total = 0, i, off, size;

	for (i = 0; i < z->nnodes; i++)
		total += dns_name_labels(z->nodes[i].name) + 1;
	while (cap < 2 * total)
		cap *= 2;
	z->exist = xcalloc(cap, sizeof(*z->exist));
	z->exist_mask = cap - 1;
	for (i = 0; i < z->nnodes; i++) {
		const uint8_t *d = ldns_rdf_data(z->nodes[i].name);

		size = ldns_rdf_size(z->nodes[i].name);
		for (off = 0; off < size; off += (size_t)d[off] + 1) {
			exist_add(z, d + off, size - off);
			if (d[off] == 0)
				break;
		}
	}
}

ldns_rdf *
dns_zone_dname(const char *text)
{
	ldns_rdf *d = NULL;
	size_t n = strlen(text);
	char *abs;

	if (n == 0 || n > LDNS_MAX_DOMAINLEN * 4)
		return NULL;
	abs = text[n - 1] == '.' ? xstrdup(text) : xasprintf("%s.", text);
	if (ldns_str2rdf_dname(&d, abs) != LDNS_STATUS_OK)
		d = NULL;
	free(abs);
	return d;
}

struct dns_zone *
dns_zone_load(const char *file, const char *apex, char *err, size_t errsz)
{
	struct dns_zone *z = xcalloc(1, sizeof(*z));
	ldns_zone *lz = NULL;
	ldns_rr **all = NULL, **n3sigs = NULL;
	ldns_rr *param = NULL;
	size_t nall = 0, nn3sigs = 0, i, j, count;
	ldns_status st;
	ldns_rr_list *rrs;
	int line = 0, ok = 0;
	FILE *fp = NULL;
	char *s;

	z->file = xstrdup(file);
	if ((z->apex = dns_zone_dname(apex)) == NULL) {
		snprintf(err, errsz, "%s: bad zone name \"%s\"", file, apex);
		goto out;
	}
	ldns_dname2canonical(z->apex);
	z->name = ldns_rdf2str(z->apex);
	if ((fp = fopen(file, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		goto out;
	}
	st = ldns_zone_new_frm_fp_l(
	    &lz, fp, z->apex, 300, LDNS_RR_CLASS_IN, &line);
	if (st != LDNS_STATUS_OK) {
		snprintf(err, errsz, "%s:%d: %s", file, line,
		    ldns_get_errorstr_by_id(st));
		lz = NULL;
		goto out;
	}
	if (ldns_zone_soa(lz) == NULL) {
		snprintf(err, errsz, "%s: no SOA record", file);
		goto out;
	}
	/* Take every record out of the ldns zone so we own them. */
	rrs = ldns_zone_rrs(lz);
	count = ldns_rr_list_rr_count(rrs) + 1;
	all = xcalloc(count, sizeof(*all));
	all[nall++] = ldns_zone_soa(lz);
	ldns_zone_set_soa(lz, NULL);
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		all[nall++] = ldns_rr_list_rr(rrs, i);
	ldns_rr_list_set_rr_count(rrs, 0);

	for (i = 0; i < nall; i++) {
		ldns_rr *rr = all[i];
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
			s = ldns_rdf2str(ldns_rr_owner(rr));
			snprintf(err, errsz, "%s: %s: class is not IN", file,
			    s ? s : "?");
			free(s);
			goto out;
		}
		if (!dns_zone_contains(z, ldns_rr_owner(rr))) {
			s = ldns_rdf2str(ldns_rr_owner(rr));
			snprintf(err, errsz, "%s: %s is outside zone %s", file,
			    s ? s : "?", z->name);
			free(s);
			goto out;
		}
		if (t == LDNS_RR_TYPE_SOA &&
		    (i != 0 ||
		        ldns_dname_compare(ldns_rr_owner(rr), z->apex) != 0)) {
			snprintf(err, errsz, "%s: SOA %s", file,
			    i != 0 ? "appears twice" : "is not at the apex");
			goto out;
		}
		if (t == LDNS_RR_TYPE_NSEC3PARAM && param == NULL &&
		    ldns_dname_compare(ldns_rr_owner(rr), z->apex) == 0)
			param = rr;
		if (t == LDNS_RR_TYPE_DNSKEY &&
		    ldns_dname_compare(ldns_rr_owner(rr), z->apex) == 0)
			z->has_dnskey = 1;
		if (t == LDNS_RR_TYPE_NSEC)
			z->has_nsec = 1;
	}

	/* NSEC3 records and their signatures live in their own chain. */
	n3sigs = xcalloc(nall, sizeof(*n3sigs));
	for (i = j = 0; i < nall; i++) {
		ldns_rr *rr = all[i];
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (t == LDNS_RR_TYPE_NSEC3) {
			z->n3 =
			    xreallocarray(z->n3, z->nn3 + 1, sizeof(*z->n3));
			z->n3[z->nn3].hash = label_text(ldns_rr_owner(rr));
			z->n3[z->nn3].rr = rr;
			z->n3[z->nn3].sigs = ldns_rr_list_new();
			z->nn3++;
		} else if (t == LDNS_RR_TYPE_RRSIG &&
		           rr_type_of_sig(rr) == LDNS_RR_TYPE_NSEC3)
			n3sigs[nn3sigs++] = rr;
		else
			all[j++] = rr;
	}
	nall = j;
	if (z->nn3 > 0) {
		qsort(z->n3, z->nn3, sizeof(*z->n3), cmp_n3);
		if (nsec3_params(z, param, z->n3[0].rr) == -1) {
			snprintf(err, errsz, "%s: bad NSEC3 parameters", file);
			goto out;
		}
		z->has_nsec3 = 1;
	}
	for (i = 0; i < nn3sigs; i++) {
		char *h = label_text(ldns_rr_owner(n3sigs[i]));
		struct dns_nsec3 key = {.hash = h};
		struct dns_nsec3 *m = z->nn3 ? bsearch(&key, z->n3, z->nn3,
		                                   sizeof(*z->n3), cmp_n3)
		                             : NULL;

		free(h);
		if (m != NULL)
			ldns_rr_list_push_rr(m->sigs, n3sigs[i]);
		else
			ldns_rr_free(n3sigs[i]);
		n3sigs[i] = NULL;
	}
	nn3sigs = 0;

	/* Everything else: group by owner in canonical order. */
	qsort(all, nall, sizeof(*all), cmp_rr);
	z->nodes = xcalloc(nall ? nall : 1, sizeof(*z->nodes));
	for (i = 0; i < nall; i++) {
		ldns_rr *rr = all[i];
		struct dns_node *n;

		if (z->nnodes == 0 || ldns_dname_compare(ldns_rr_owner(rr),
		                          z->nodes[z->nnodes - 1].name) != 0) {
			n = &z->nodes[z->nnodes++];
			n->name = ldns_rdf_clone(ldns_rr_owner(rr));
		}
		n = &z->nodes[z->nnodes - 1];
		node_add(n, rr, ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG);
		all[i] = NULL;
	}
	nall = 0;
	index_nodes(z);
	index_exist(z);
	ok = 1;
out:
	if (fp != NULL)
		fclose(fp);
	for (i = 0; i < nall; i++)
		ldns_rr_free(all[i]);
	for (i = 0; i < nn3sigs; i++)
		ldns_rr_free(n3sigs[i]);
	free(all);
	free(n3sigs);
	if (lz != NULL)
		ldns_zone_deep_free(lz);
	if (!ok) {
		dns_zone_free(z);
		return NULL;
	}
	return z;
}

void
dns_zone_free(struct dns_zone *z)
{
	size_t i, j;

	if (z == NULL)
		return;
	for (i = 0; i < z->nnodes; i++) {
		for (j = 0; j < z->nodes[i].nsets; j++) {
			ldns_rr_list_deep_free(z->nodes[i].sets[j].rrs);
			ldns_rr_list_deep_free(z->nodes[i].sets[j].sigs);
		}
		free(z->nodes[i].sets);
		ldns_rdf_deep_free(z->nodes[i].name);
	}
	free(z->nodes);
	free(z->index);
	free(z->exist);
	for (i = 0; i < z->nn3; i++) {
		free(z->n3[i].hash);
		ldns_rr_free(z->n3[i].rr);
		ldns_rr_list_deep_free(z->n3[i].sigs);
	}
	free(z->n3);
	ldns_rdf_deep_free(z->apex);
	free(z->name);
	free(z->file);
	free(z);
}

int
dns_zone_contains(const struct dns_zone *z, const ldns_rdf *name)
{
	return dns_name_under(name, z->apex);
}

/* lower_bound - index of the first node whose name is >= name. */
static size_t
lower_bound(const struct dns_zone *z, const ldns_rdf *name)
{
	size_t lo = 0, hi = z->nnodes, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dns_name_cmp(z->nodes[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct dns_node *
dns_zone_find(const struct dns_zone *z, const ldns_rdf *name)
{
	const uint8_t *d = ldns_rdf_data(name);
	size_t size = ldns_rdf_size(name), k;

	if (z->index == NULL)
		return NULL;
	for (k = dns_name_hash(d, size) & z->index_mask; z->index[k] != 0;
	     k = (k + 1) & z->index_mask) {
		const struct dns_node *n = &z->nodes[z->index[k] - 1];

		if (ldns_rdf_size(n->name) == size &&
		    dns_name_equal(ldns_rdf_data(n->name), d, size))
			return n;
	}
	return NULL;
}

int
dns_zone_exists(const struct dns_zone *z, const ldns_rdf *name)
{
	const uint8_t *d = ldns_rdf_data(name);
	size_t size = ldns_rdf_size(name), k;

	if (z->exist == NULL)
		return 0;
	for (k = dns_name_hash(d, size) & z->exist_mask;
	     z->exist[k].name != NULL; k = (k + 1) & z->exist_mask)
		if (z->exist[k].len == size &&
		    dns_name_equal(z->exist[k].name, d, size))
			return 1;
	return 0;
}

const struct dns_rrset *
dns_node_rrset(const struct dns_node *n, ldns_rr_type type)
{
	size_t i;

	if (n == NULL)
		return NULL;
	for (i = 0; i < n->nsets; i++)
		if (n->sets[i].type == type &&
		    ldns_rr_list_rr_count(n->sets[i].rrs) > 0)
			return &n->sets[i];
	return NULL;
}

const struct dns_node *
dns_zone_nsec_cover(const struct dns_zone *z, const ldns_rdf *name)
{
	size_t i = lower_bound(z, name);

	if (i < z->nnodes && dns_name_cmp(z->nodes[i].name, name) == 0 &&
	    dns_node_rrset(&z->nodes[i], LDNS_RR_TYPE_NSEC) != NULL)
		return &z->nodes[i];
	while (i > 0) {
		i--;
		if (dns_node_rrset(&z->nodes[i], LDNS_RR_TYPE_NSEC) != NULL)
			return &z->nodes[i];
	}
	/* Before the apex cannot happen inside the zone; wrap to the last. */
	for (i = z->nnodes; i > 0; i--)
		if (dns_node_rrset(&z->nodes[i - 1], LDNS_RR_TYPE_NSEC) != NULL)
			return &z->nodes[i - 1];
	return NULL;
}

int
dns_zone_nsec3_hash(
    const struct dns_zone *z, const ldns_rdf *name, char *out, size_t outsz)
{
	ldns_rdf *canon, *h;
	char *s;

	if (!z->has_nsec3 || outsz < 64)
		return -1;
	canon = ldns_rdf_clone(name);
	ldns_dname2canonical(canon);
	h = ldns_nsec3_hash_name(
	    canon, z->n3_alg, z->n3_iter, z->n3_saltlen, z->n3_salt);
	ldns_rdf_deep_free(canon);
	if (h == NULL)
		return -1;
	s = label_text(h);
	ldns_rdf_deep_free(h);
	snprintf(out, outsz, "%s", s);
	free(s);
	return 0;
}

const struct dns_nsec3 *
dns_zone_nsec3_match(const struct dns_zone *z, const char *hash)
{
	struct dns_nsec3 key = {.hash = (char *)hash};

	if (z->nn3 == 0)
		return NULL;
	return bsearch(&key, z->n3, z->nn3, sizeof(*z->n3), cmp_n3);
}

const struct dns_nsec3 *
dns_zone_nsec3_cover(const struct dns_zone *z, const char *hash)
{
	size_t lo = 0, hi = z->nn3, mid;

	if (z->nn3 == 0)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(z->n3[mid].hash, hash) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lo is the first hash >= hash; the cover is the one before it. */
	return lo == 0 ? &z->n3[z->nn3 - 1] : &z->n3[lo - 1];
}
