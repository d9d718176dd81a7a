/*
 * dns_dname.h - DNAME redirection for the answer builder (RFC 6672):
 * finding the DNAME that applies to a query name inside one zone and
 * synthesising the CNAME that goes with it (section 3.2 steps 3c and
 * section 2.2's substitution of the owner by the target).
 *
 * Ownership: dns_dname_find() returns records of the zone (borrowed);
 * dns_dname_synth() returns a new CNAME RR the caller frees.
 */
#ifndef DSIM_DNS_DNAME_H
#define DSIM_DNS_DNAME_H

#include <ldns/ldns.h>

#include "dns_zone.h"

/*
 * dns_dname_find - the node of z owning a DNAME RRset at a proper
 * ancestor of qname (at or below the apex; the highest one wins, as a
 * server meets it walking down, RFC 6672 section 3.2), or NULL.
 */
const struct dns_node *dns_dname_find(
    const struct dns_zone *z, const ldns_rdf *qname);

/*
 * dns_dname_synth - the CNAME qname -> (qname with the DNAME's owner
 * replaced by its target), with the DNAME's TTL and class (RFC 6672
 * section 3.1). Returns a new RR (caller frees), or NULL when the new
 * name would be longer than 255 octets (the server answers YXDOMAIN,
 * section 2.2) or the DNAME has no target.
 */
ldns_rr *dns_dname_synth(const ldns_rr *dname, const ldns_rdf *qname);

#endif /* DSIM_DNS_DNAME_H */
