/*
 * mx_server.h - fakemx's network side: the listening sockets (one per
 * listener of fakemx.json, hundreds in one process), the connections and
 * the single-threaded poll() loop that drives every session.
 */
#ifndef DSIM_MX_SERVER_H
#define DSIM_MX_SERVER_H

#include <signal.h>

#include "mx_conf.h"

struct mx_server;

/*
 * mx_server_new - open the event log and key log, make every listener's
 * TLS context and bind every listener (conf is borrowed and must outlive
 * the server). idle_ms is the idle time-out of a connection. NULL on
 * failure (logged, naming the listener or file at fault).
 */
struct mx_server *mx_server_new(const struct mx_conf *conf, long idle_ms);

/*
 * mx_server_run - serve until *stop becomes non-zero. The signals that
 * set *stop must be blocked by the caller; they are let through only
 * while waiting in ppoll() with runmask, so none is lost. 0 when
 * stopped, -1 on a failure of the loop itself (logged).
 */
int mx_server_run(struct mx_server *srv, volatile sig_atomic_t *stop,
    const sigset_t *runmask);

/* mx_server_free - close every connection (logged as closed by the
 * server at shutdown) and listener; NULL is fine. */
void mx_server_free(struct mx_server *srv);

#endif /* DSIM_MX_SERVER_H */
