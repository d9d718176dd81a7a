/*
 * dns_world.h - everything fakedns serves, read from fakedns.json
 * (docs/internals.md): the zones with their addresses and scenarios, the
 * listening addresses with the zones each serves, and the faults.
 *
 * Ownership: a struct dns_world owns everything it points to;
 * dns_world_free() releases it.
 */
#ifndef DSIM_DNS_WORLD_H
#define DSIM_DNS_WORLD_H

#include <stddef.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include "dns_fault.h"
#include "dns_zone.h"

/* One zone entry of the configuration. */
struct dns_wzone {
	struct dns_zone *zone; /* owned */
	char *scenario;        /* owned; NULL for the root and test. */
	char *address;         /* owned; the address text as configured */
	int cfg_signed;        /* "signed" as configured */
	int cfg_nsec3;         /* "nsec3" as configured */
	struct scn_when when;  /* the attempts this version is served in */
	int off;               /* not served in the current attempt */
};

/* One listening address and the zones served there. */
struct dns_addr {
	char *text;                 /* owned, as configured */
	struct sockaddr_storage sa; /* port left 0 */
	socklen_t salen;
	size_t *zones; /* owned: indices into world->zones */
	size_t nzones;
};

struct dns_world {
	char *log;               /* owned; query log path or NULL */
	struct dns_wzone *zones; /* owned array */
	size_t nzones;
	struct dns_addr *addrs; /* owned array, in first-seen order */
	size_t naddrs;
	struct dns_fault *faults; /* owned array */
	size_t nfaults;
	int phased; /* some fault or zone holds only in some attempts */
	struct scn_attempts attempts; /* the harness's attempt state */
};

/*
 * dns_world_phase_refresh - when the world has phases, read the attempt
 * state file again if it changed and turn the faults and the versions
 * of zones on or off for it.
 */
void dns_world_phase_refresh(struct dns_world *w);

/*
 * dns_world_load - read fakedns.json at path and load every zone file it
 * names. Returns a new world (caller frees with dns_world_free) or NULL
 * with "PATH: what is wrong" in err (errsz bytes); not logged.
 */
struct dns_world *dns_world_load(const char *path, char *err, size_t errsz);

/*
 * dns_world_new_empty - an empty world to be filled by hand (unit tests,
 * fuzzing). Caller frees with dns_world_free.
 */
struct dns_world *dns_world_new_empty(void);

/*
 * dns_world_add_zone - add an already loaded zone (ownership passes) served
 * at address (IPv4 or IPv6 text) for scenario (may be NULL), in the
 * attempts when says (NULL: always; a zone may be added once per
 * attempt range, the ranges disjoint). Returns 0, or -1 with a reason in
 * err when the address is not an IP address or the zone is served twice.
 */
int dns_world_add_zone(struct dns_world *w, struct dns_zone *zone,
    const char *address, const char *scenario, const struct scn_when *when,
    char *err, size_t errsz);

/*
 * dns_world_add_fault - add a fault on owner/type ("ANY" allowed) by fault
 * name. Returns 0, or -1 with a reason in err.
 */
int dns_world_add_fault(struct dns_world *w, const char *owner,
    const char *type, const char *fault, long ms, const char *scenario,
    char *err, size_t errsz);

/* dns_world_free - release the world; NULL is fine. */
void dns_world_free(struct dns_world *w);

#endif /* DSIM_DNS_WORLD_H */
