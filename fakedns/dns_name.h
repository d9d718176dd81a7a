/*
 * dns_name.h - domain names (ldns dname rdfs in uncompressed wire form)
 * compared and cut without allocating: the canonical order of RFC 4034
 * §6.1, "at or below", label counts, ancestors as views into the name's
 * own bytes and the wildcard "*.<name>" in a caller's buffer. The answer
 * builder calls these several times per query; ldns's equivalents clone
 * names and rescan them label by label.
 *
 * Ownership: a view (struct ldns_struct_rdf filled here) borrows the
 * bytes of the name it was cut from and must not be freed; it is valid
 * while that name is.
 */
#ifndef DSIM_DNS_NAME_H
#define DSIM_DNS_NAME_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

/* Longest wildcard name we build: "*." and a name of 255 bytes, as
 * ldns_dname_cat() would build it (it does not check the length). */
#define DNS_NAME_WILD_MAX (2 + LDNS_MAX_DOMAINLEN)

/* dns_name_cmp - <0, 0, >0 in canonical order, ASCII case ignored:
 * the order and equality of ldns_dname_compare(). */
int dns_name_cmp(const ldns_rdf *a, const ldns_rdf *b);

/* dns_name_under - 1 if name equals top or lies below it (ASCII case
 * ignored), else 0. */
int dns_name_under(const ldns_rdf *name, const ldns_rdf *top);

/*
 * dns_name_equal - 1 if the uncompressed names a and b, both len bytes,
 * are equal ignoring ASCII case (what dns_name_cmp() == 0 says of names
 * of the same length), else 0.
 */
int dns_name_equal(const uint8_t *a, const uint8_t *b, size_t len);

/* dns_name_hash - a hash of the uncompressed name (len bytes) that equal
 * names (dns_name_equal) share. */
uint32_t dns_name_hash(const uint8_t *name, size_t len);

/* dns_name_labels - the number of labels, the root not counted (as
 * ldns_dname_label_count()). */
size_t dns_name_labels(const ldns_rdf *name);

/*
 * dns_name_ancestor - view the ancestor of name with nlabels labels (name
 * itself when it has no more) into *view. The view borrows name's bytes.
 */
void dns_name_ancestor(const ldns_rdf *name, size_t nlabels, ldns_rdf *view);

/*
 * dns_name_wildcard - "*." + name into buf (DNS_NAME_WILD_MAX bytes) and
 * a view of it into *view.
 */
void dns_name_wildcard(const ldns_rdf *name, uint8_t *buf, ldns_rdf *view);

#endif /* DSIM_DNS_NAME_H */
