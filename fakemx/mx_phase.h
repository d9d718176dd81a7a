/*
 * mx_phase.h - the filter of phases in fakemx: which behaviour a new
 * connection to a listener gets, from the delivery attempt its scenario
 * is in (the harness's attempt state file, scn_when.h) and the number of
 * the connection to that MX host (docs/scenario-format.md, Phases).
 */
#ifndef DSIM_MX_PHASE_H
#define DSIM_MX_PHASE_H

#include "mx_conf.h"

/*
 * mx_phase_find - the index in l->phases of the first phase that holds
 * for connection number conn (1-based, per listener) in attempt, or -1.
 */
int mx_phase_find(const struct mx_listener *l, int attempt, int conn);

/*
 * mx_phase_behave - the behaviour of l's connection number conn
 * (1-based, per listener) in attempt: the first phase that holds, else
 * the listener's own. Borrowed from l.
 */
const struct mx_behave *mx_phase_behave(
    const struct mx_listener *l, int attempt, int conn);

#endif /* DSIM_MX_PHASE_H */
