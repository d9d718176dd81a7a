/*
 * dns_server.h - the sockets of fakedns: UDP and TCP on every address of
 * the world at once, one poll() loop, delayed answers, TCP framing.
 *
 * Ownership: the server borrows the world and the query log stream; the
 * caller keeps both alive until dns_server_free().
 */
#ifndef DSIM_DNS_SERVER_H
#define DSIM_DNS_SERVER_H

#include <signal.h>
#include <stdio.h>

#include "dns_world.h"

/* Seconds a TCP connection may stay silent before we close it. */
#define DNS_TCP_IDLE_SECS 10
/* Most TCP connections open at once; more are closed at accept. */
#define DNS_TCP_MAX_CONNS 512

struct dns_server;

/*
 * dns_server_new - bind UDP and TCP port `port` on every address of w.
 * qlog (may be NULL) receives the query log; echo = 1 also copies each
 * log line to stderr. Returns the server or NULL on failure (logged,
 * naming the address).
 */
struct dns_server *dns_server_new(
    struct dns_world *w, int port, FILE *qlog, int echo);

/*
 * dns_server_run - serve until *stop becomes non-zero (set it from a
 * SIGTERM/SIGINT handler; those two signals are blocked outside the wait
 * so none is missed). Returns 0 when stopped, -1 on a fatal poll error
 * (logged).
 */
int dns_server_run(struct dns_server *s, volatile sig_atomic_t *stop);

/* dns_server_free - close every socket and free the server; NULL is fine. */
void dns_server_free(struct dns_server *s);

#endif /* DSIM_DNS_SERVER_H */
