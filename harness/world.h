/*
 * world.h - the per-run world: keys, certificates, the signed DNS tree and
 * the configuration of the fake servers, built from a suite of scenarios.
 *
 * world_build() makes everything fresh for one run under DIR (see
 * docs/internals.md for the layout) and returns what later stages need:
 * addresses, the trust anchor, and how to expand a scenario's variables.
 */
#ifndef DSIM_WORLD_H
#define DSIM_WORLD_H

#include <time.h>

#include "scn.h"

/*
 * The attempt state file in the run folder (scn_when.h): "ID N" per
 * scenario in a later attempt, written by the run loop, read by the
 * fake servers for phases.
 */
#define WORLD_ATTEMPTS_FILE "attempts.txt"

/* One zone of the world and where it is served. */
struct world_zone {
	char *name; /* absolute, with final dot */
	char *addr; /* name-server address */
	char *file; /* path of the master file served */
	int is_signed;
	const struct scn *scn; /* owning scenario; NULL for "." and "test." */
};

/* One fake MX listener. */
struct world_mx {
	const struct scn *scn;   /* borrowed from the suite */
	const struct scn_mx *mx; /* borrowed */
	char *addr;              /* IPv4 address text */
};

struct world {
	char *dir;          /* the world folder (RUN/world) */
	time_t now;         /* the run's NOW */
	char *trust_anchor; /* path: root DS, one RR line */
	char *root_key;     /* path: root DNSKEY line */
	char *root_hints;   /* path: hints file for the resolver */
	char *fakedns_conf; /* path: fakedns.json */
	char *fakemx_conf;  /* path: fakemx.json */
	char *run_dir;      /* the run folder (parent of dir) */
	struct world_zone *zones;
	size_t nzones;
	struct world_mx *mxs;
	size_t nmxs;
	const struct scn_suite *suite; /* borrowed */
};

/*
 * world_build - build the world of suite into run_dir/world at time now.
 * Returns a new world (free with world_free) or NULL with every problem
 * added to errs as "file:line: message" (bad variables, zone lines ldns
 * rejects) or "world: message" (our own failure, e.g. a file not written).
 */
struct world *world_build(const struct scn_suite *suite, const char *run_dir,
    time_t now, struct scn_errors *errs);

/*
 * world_load - re-read world.json of an earlier run (for danesim analyse)
 * against the same suite. NULL on failure (logged).
 */
struct world *world_load(const struct scn_suite *suite, const char *run_dir);

/* world_free - release the world (not the suite); NULL is fine. */
void world_free(struct world *w);

/*
 * world_expand - expand the variables of text for scenario s in this world
 * (a scenario's names, SNI, query names). New string (caller frees), or
 * NULL if a variable cannot be expanded (logged).
 */
char *world_expand(
    const struct world *w, const struct scn *s, const char *text);

/* world_mx_addr - address of MX label in scenario s, or NULL. Borrowed. */
const char *world_mx_addr(
    const struct world *w, const struct scn *s, const char *label);

/* world_domain - "<id>.test." for scenario s, in a static buffer. */
const char *world_domain(const struct scn *s);

/*
 * world_mkdir_p - create path and its parents (mode 0755); existing
 * folders are fine. 0, or -1 with errno as the last mkdir left it; not
 * logged (the caller names what it was making).
 */
int world_mkdir_p(const char *path);

#endif /* DSIM_WORLD_H */
