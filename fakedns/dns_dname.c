/*
 * dns_dname.c - DNAME redirection (RFC 6672 sections 2.2, 3.1 and 3.2):
 * which DNAME applies to a name and the CNAME a server synthesises from
 * it. Pure functions of the zone and the name: the answer builder puts
 * the DNAME (signed), the CNAME (never signed, section 5.3.1) and the
 * answer for the new name together.
 */
#include "dns_dname.h"

#include <string.h>

#include "dns_name.h"

const struct dns_node *
dns_dname_find(const struct dns_zone *z, const ldns_rdf *qname)
{
	size_t na = dns_name_labels(z->apex), nq = dns_name_labels(qname), k;
	const struct dns_node *n;
	ldns_rdf a;

	if (nq <= na || !dns_name_under(qname, z->apex))
		return NULL;
	for (k = na; k < nq; k++) {
		dns_name_ancestor(qname, k, &a);
		n = dns_zone_find(z, &a);
		if (n != NULL && dns_node_rrset(n, LDNS_RR_TYPE_DNAME) != NULL)
			return n;
	}
	return NULL;
}

ldns_rr *
dns_dname_synth(const ldns_rr *dname, const ldns_rdf *qname)
{
	const ldns_rdf *owner = ldns_rr_owner(dname);
	const ldns_rdf *target;
	size_t keep, tlen;
	uint8_t buf[LDNS_MAX_DOMAINLEN + 1];
	ldns_rdf *nname;
	ldns_rr *cn;

	if (ldns_rr_rd_count(dname) < 1)
		return NULL;
	target = ldns_rr_rdf(dname, 0);
	/* qname = prefix + owner: keep the prefix's bytes (wire form, the
	 * owner's bytes are a suffix of qname's) and append the target */
	if (ldns_rdf_size(qname) < ldns_rdf_size(owner))
		return NULL;
	keep = ldns_rdf_size(qname) - ldns_rdf_size(owner);
	tlen = ldns_rdf_size(target);
	if (keep + tlen > LDNS_MAX_DOMAINLEN)
		return NULL;
	memcpy(buf, ldns_rdf_data(qname), keep);
	memcpy(buf + keep, ldns_rdf_data(target), tlen);
	nname = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, keep + tlen, buf);
	if (nname == NULL)
		return NULL;
	cn = ldns_rr_new();
	ldns_rr_set_owner(cn, ldns_rdf_clone(qname));
	ldns_rr_set_type(cn, LDNS_RR_TYPE_CNAME);
	ldns_rr_set_class(cn, ldns_rr_get_class(dname));
	ldns_rr_set_ttl(cn, ldns_rr_ttl(dname));
	ldns_rr_push_rdf(cn, nname);
	return cn;
}
