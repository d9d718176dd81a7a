/*
 * dns_name.c - domain names compared and cut without allocating: the
 * canonical name order of RFC 4034 §6.1 (labels from the right, each as
 * a lower-cased octet string), ancestors and wildcards (RFC 4592 §2.1.1).
 * Every function gives what its ldns counterpart gives (dname.c of ldns
 * 1.8), which tests/unit/test_fakedns.c checks name by name.
 */
#include "dns_name.h"

#include <string.h>

/* Labels a name of DNS_NAME_WILD_MAX bytes can have, plus one. */
#define DNS_NAME_LABELS_MAX 130

/* lower - ASCII lower case, as tolower() in the C locale. */
static inline uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

int
dns_name_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	/* label lengths are below 'A', so they compare exactly */
	for (i = 0; i < len; i++)
		if (a[i] != b[i] && lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

uint32_t
dns_name_hash(const uint8_t *name, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= lower(name[i]);
		h *= 16777619u;
	}
	return h;
}

/* label_offsets - where each label of name starts (left to right) into
 * off; returns how many (the walk of ldns_dname_label_count()). */
static size_t
label_offsets(const ldns_rdf *name, uint16_t *off)
{
	const uint8_t *d = ldns_rdf_data(name);
	size_t size = ldns_rdf_size(name), pos = 0, n = 0;

	if (size <= 1)
		return 0;
	while (pos < size && d[pos] > 0 && n < DNS_NAME_LABELS_MAX) {
		off[n++] = (uint16_t)pos;
		pos += (size_t)d[pos] + 1;
	}
	return n;
}

size_t
dns_name_labels(const ldns_rdf *name)
{
	uint16_t off[DNS_NAME_LABELS_MAX];

	return label_offsets(name, off);
}

/* label_cmp - compare two labels (length byte first) as lower-cased
 * octet strings, a shorter prefix first. */
static int
label_cmp(const uint8_t *a, const uint8_t *b)
{
	size_t i, n = a[0] < b[0] ? a[0] : b[0];

	for (i = 1; i <= n; i++)
		if (lower(a[i]) != lower(b[i]))
			return lower(a[i]) < lower(b[i]) ? -1 : 1;
	return a[0] == b[0] ? 0 : a[0] < b[0] ? -1 : 1;
}

int
dns_name_cmp(const ldns_rdf *a, const ldns_rdf *b)
{
	uint16_t oa[DNS_NAME_LABELS_MAX], ob[DNS_NAME_LABELS_MAX];
	const uint8_t *da = ldns_rdf_data(a), *db = ldns_rdf_data(b);
	size_t na = label_offsets(a, oa), nb = label_offsets(b, ob);
	int c;

	while (na > 0 && nb > 0) {
		na--;
		nb--;
		if ((c = label_cmp(da + oa[na], db + ob[nb])) != 0)
			return c;
	}
	return na == nb ? 0 : na < nb ? -1 : 1;
}

int
dns_name_under(const ldns_rdf *name, const ldns_rdf *top)
{
	uint16_t on[DNS_NAME_LABELS_MAX], ot[DNS_NAME_LABELS_MAX];
	const uint8_t *dn = ldns_rdf_data(name), *dt = ldns_rdf_data(top);
	size_t nn = label_offsets(name, on), nt = label_offsets(top, ot);

	if (nn < nt)
		return 0;
	while (nt > 0) {
		nn--;
		nt--;
		if (label_cmp(dn + on[nn], dt + ot[nt]) != 0)
			return 0;
	}
	return 1;
}

void
dns_name_ancestor(const ldns_rdf *name, size_t nlabels, ldns_rdf *view)
{
	uint16_t off[DNS_NAME_LABELS_MAX];
	size_t n = label_offsets(name, off), skip = 0;

	if (n > nlabels)
		skip = nlabels > 0 ? off[n - nlabels]
		                   : ldns_rdf_size(name) - 1; /* the root */
	view->_type = LDNS_RDF_TYPE_DNAME;
	view->_size = ldns_rdf_size(name) - skip;
	view->_data = (uint8_t *)ldns_rdf_data(name) + skip;
}

void
dns_name_wildcard(const ldns_rdf *name, uint8_t *buf, ldns_rdf *view)
{
	size_t size = ldns_rdf_size(name);

	buf[0] = 1;
	buf[1] = '*';
	memcpy(buf + 2, ldns_rdf_data(name), size);
	view->_type = LDNS_RDF_TYPE_DNAME;
	view->_size = size + 2;
	view->_data = buf;
}
