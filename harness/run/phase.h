/*
 * phase.h - the run loop's side of phases (lib/scn_when.h): telling the
 * fake servers which delivery attempt each scenario is in, and making
 * the validating resolver forget what it cached of a scenario whose DNS
 * changes between attempts, so the SUT sees the change (RFC 2308 §7
 * lets a resolver keep a SERVFAIL for up to five minutes; Unbound keeps
 * bogus answers for val-bogus-ttl).
 */
#ifndef DSIM_PHASE_H
#define DSIM_PHASE_H

#include <stddef.h>

#include "scn.h"
#include "harness/world/model.h"

/* phase_scn_has - whether s has a qualified mx line, dnsbreak or zone
 * line. */
int phase_scn_has(const struct scn *s);
/* phase_scn_has_dns - whether a dnsbreak or zone line of s holds only in
 * some attempts. */
int phase_scn_has_dns(const struct scn *s);

/*
 * phase_write - write the attempt state file of run_dir
 * (WORLD_ATTEMPTS_FILE): scenario ids[i] is in attempt n[i]. Returns 0
 * or -1 (logged) with what failed in why (whysz bytes).
 */
int phase_write(const char *run_dir, const char *const *ids, const int *n,
    size_t count, char *why, size_t whysz);

/*
 * phase_resolver_flush - from inside netns, make the resolver configured
 * by conf (its control port RESOLVER_CONTROL_PORT) forget every zone of
 * s in world w: cached records, keys and server timings. Returns 0, or
 * -1 (logged) with the command that failed in why (whysz bytes).
 */
int phase_resolver_flush(const char *netns, const char *conf,
    const struct world *w, const struct scn *s, char *why, size_t whysz);

#endif /* DSIM_PHASE_H */
