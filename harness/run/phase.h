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
#include "harness/judge/facts.h"
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

/*
 * phase_carry - of the delivery tries the attempt that ends at started
 * (wall time) made, how many the SUT's status step had not yet counted
 * when it last read the SUT's log (status_at, wall time the reading
 * ended): 1 when a connection of fs began before started and closed
 * after status_at, or was still open (its result is logged after that
 * reading, yet belongs to the attempt it began in), else 0. A SUT that
 * retries on its own (Exim's queue runner) may close such a connection
 * just before the next attempt opens.
 */
int phase_carry(const struct facts_scn *fs, double started, double status_at);

/*
 * phase_attempt_seen - whether attempt (1-based) of fs, opened at
 * started (wall time), has shown itself: the first always. A retry,
 * when the status step counts attempts (sut_attempts > 0): when it
 * counts more than base (its count when the retry was opened) plus
 * carry (phase_carry then: a try begun in an earlier attempt is never
 * counted for this one), or more than base once a connection that began
 * at or after started closed before the status step's last reading
 * ended (status_at; carry is a guess from the times). For a profile
 * that prints no count: when a connection began at or after started, or
 * quiet_ms passed since the retry (since_ms) without one (a retry that
 * makes no contact, a DNS failure, leaves no trace in the fake servers'
 * logs).
 */
int phase_attempt_seen(const struct facts_scn *fs, int attempt, double started,
    int sut_attempts, int base, int carry, double status_at, long long since_ms,
    long long quiet_ms);

#endif /* DSIM_PHASE_H */
