/*
 * dns_answer.h - the answer builder of fakedns: one pure function from a
 * query packet and the loaded world to a reply packet, or to the decision
 * to drop the query, close the TCP connection or answer late. It touches
 * no socket and no clock, so unit tests and the fuzzer drive it directly.
 *
 * Ownership: dns_answer_build fills a caller-provided struct dns_result;
 * the wire bytes in it are owned by the result and released with
 * dns_result_free().
 */
#ifndef DSIM_DNS_ANSWER_H
#define DSIM_DNS_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "dns_reply.h"
#include "dns_world.h"

/* Largest UDP reply we send with EDNS0 (DNS flag day 2020). */
#define DNS_UDP_MAX 1232
/* Largest UDP reply without EDNS0 (RFC 1035 §4.2.1). */
#define DNS_UDP_PLAIN 512

/* What happened to one query: the reply and everything the log needs. */
struct dns_result {
	enum dns_action action;
	long delay_ms;
	uint8_t *wire; /* owned; the reply (NULL unless REPLY) */
	size_t len;
	/* log fields; has_query = 0 means the packet was not a usable query */
	int has_query;
	uint16_t id;
	char qname[4 * LDNS_MAX_DOMAINLEN + 8]; /* presentation, \DDD escapes */
	char qtype[32];
	int dnssec_ok, cd;
	const char *rcode;    /* static text, NULL when nothing was sent */
	const char *fault;    /* static fault name or NULL */
	const char *zone;     /* borrowed from the world, or NULL */
	const char *scenario; /* borrowed from the world, or NULL */
	int answers;          /* ANCOUNT sent */
	int tc;
	int attempt;     /* the scenario's delivery attempt when the world has
	                    phases (dns_world_phase_refresh), else 0 */
	char error[160]; /* for has_query = 0: what was wrong */
};

/*
 * dns_answer_build - answer the packet pkt (len bytes) that arrived at
 * world address number addr (index into w->addrs) over TCP when tcp is 1.
 * Fills res (caller frees res->wire with dns_result_free). Never fails:
 * garbage yields FORMERR/NOTIMP/REFUSED or DROP, with res->error set.
 */
void dns_answer_build(const struct dns_world *w, size_t addr, int tcp,
    const uint8_t *pkt, size_t len, struct dns_result *res);

/* dns_result_free - release the wire bytes of a result. */
void dns_result_free(struct dns_result *res);

#endif /* DSIM_DNS_ANSWER_H */
