/*
 * model.h - the world of a run as the later stages see it: its zones and
 * their name servers, its MX addresses, where its files are, and the
 * variables of a scenario in it. world_load() reads it back from
 * RUN/world/world.json (danesim analyse, the judge); the builder
 * (world.h, world.c) makes it. Judging needs only this.
 */
#ifndef DSIM_WORLD_MODEL_H
#define DSIM_WORLD_MODEL_H

#include <stddef.h>
#include <time.h>

#include "certgen.h"
#include "scn.h"

/*
 * The attempt state file in the run folder (scn_when.h): "ID N" per
 * scenario in a later attempt, written by the run loop, read by the
 * fake servers for phases.
 */
#define WORLD_ATTEMPTS_FILE "attempts.txt"

/*
 * The CA bundle in the world folder: every certificate a scenario
 * declares "ca trusted" (a public-CA stand-in), PEM, possibly empty.
 * SUT profiles get its path as DANESIM_TRUSTED_CAS and install it as
 * the SUT's PKIX trust anchors (docs/sut-profiles.md).
 */
#define WORLD_TRUSTED_CAS "trusted-cas.pem"

/*
 * The IPv6 addresses of MX hosts: MX host number h (in suite order, as
 * for 127.25.0.0/16) is WORLD_MX6_PREFIX followed by h + 1 in hex, a
 * unique local address (RFC 4193) put on the namespace's lo.
 */
#define WORLD_MX6_PREFIX "fd00:da5e:25::"

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
	char *addr6; /* IPv6 address text (a ULA on the namespace's lo), or
	                NULL: only a host some ${ADDR6(label)} names has one */
};

struct world {
	char *dir;          /* the world folder (RUN/world) */
	time_t now;         /* the run's NOW */
	char *trust_anchor; /* path: root DS, one RR line */
	char *root_key;     /* path: root DNSKEY line */
	char *root_hints;   /* path: hints file for the resolver */
	char *trusted_cas;  /* path: PEM bundle of the "trusted" CA certs */
	char *fakedns_conf; /* path: fakedns.json */
	char *fakemx_conf;  /* path: fakemx.json */
	char *sut_policy;   /* path: sut-policy.tsv, the per-destination
	                       SUT policy (destpolicy.h) */
	char *run_dir;      /* the run folder (parent of dir) */
	struct world_zone *zones;
	size_t nzones;
	struct world_mx *mxs;
	size_t nmxs;
	const struct scn_suite *suite; /* borrowed */
};

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

/*
 * world_mx_addr6 - IPv6 address of MX label in scenario s, or NULL (no
 * such host, or it has no IPv6 address). Borrowed.
 */
const char *world_mx_addr6(
    const struct world *w, const struct scn *s, const char *label);

/* world_domain - "<id>.test." for scenario s, in a static buffer. */
const char *world_domain(const struct scn *s);

/*
 * What the builder (world.c) shares with the model: a world with its
 * folder and file paths under run_dir and no zones or MX hosts yet
 * (world_new_paths), a certificate or scenario label that can name a file
 * ([A-Za-z0-9_-], 1..64 chars: world_safe_label), and the variables of
 * scenario s for scn_expand (world_vars_init; x->certs NULL reads the
 * certificates from the world folder).
 */
struct world_xctx {
	const struct world *w;
	const struct scn *s;
	const struct certgen_set *certs; /* NULL: read certificates from disk */
};
struct world *world_new_paths(
    const struct scn_suite *suite, const char *run_dir, time_t now);
int world_safe_label(const char *label);
void world_vars_init(
    struct scn_vars *v, struct world_xctx *x, char *dom, size_t domsz);

#endif /* DSIM_WORLD_MODEL_H */
