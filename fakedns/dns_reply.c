/*
 * dns_reply.c - a reply while it is built, shared by the answer builder
 * and the fault behaviours (see dns_reply.h).
 */
#include "dns_reply.h"

const char *
dns_action_str(enum dns_action a)
{
	switch (a) {
	case DNS_ACT_REPLY:
		return "reply";
	case DNS_ACT_DROP:
		return "drop";
	case DNS_ACT_CLOSE:
		return "close";
	}
	return "?";
}

int
dns_list_has(const ldns_rr_list *list, const ldns_rr *rr)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(list); i++)
		if (ldns_rr_list_rr(list, i) == rr)
			return 1;
	return 0;
}

void
dns_list_push(ldns_rr_list *sec, const ldns_rr_list *src)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(src); i++)
		if (!dns_list_has(sec, ldns_rr_list_rr(src, i)))
			ldns_rr_list_push_rr(sec, ldns_rr_list_rr(src, i));
}

void
dns_reply_add_set(
    struct dns_reply *r, ldns_rr_list *sec, const struct dns_rrset *s, int sigs)
{
	if (s == NULL)
		return;
	dns_list_push(sec, s->rrs);
	if (sigs && r->dnssec_ok)
		dns_list_push(sec, s->sigs);
}

void
dns_reply_add_soa(struct dns_reply *r)
{
	if (r->zone == NULL || r->zone->nnodes == 0)
		return;
	dns_reply_add_set(r, r->authority,
	    dns_node_rrset(&r->zone->nodes[0], LDNS_RR_TYPE_SOA), 1);
}

void
dns_reply_clear(struct dns_reply *r)
{
	ldns_rr_list_set_rr_count(r->answer, 0);
	ldns_rr_list_set_rr_count(r->authority, 0);
	ldns_rr_list_set_rr_count(r->additional, 0);
}
