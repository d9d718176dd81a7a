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
#include "harness/world/model.h"

/*
 * world_build - build the world of suite into run_dir/world at time now.
 * Returns a new world (free with world_free) or NULL with every problem
 * added to errs as "file:line: message" (bad variables, zone lines ldns
 * rejects) or "world: message" (our own failure, e.g. a file not written).
 */
struct world *world_build(const struct scn_suite *suite, const char *run_dir,
    time_t now, struct scn_errors *errs);

/*
 * world_mkdir_p - create path and its parents (mode 0755); existing
 * folders are fine. 0, or -1 with errno as the last mkdir left it; not
 * logged (the caller names what it was making).
 */
int world_mkdir_p(const char *path);

#endif /* DSIM_WORLD_H */
