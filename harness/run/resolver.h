/*
 * resolver.h - the run's validating resolver (Unbound, RFC 4033-4035):
 * its configuration, trusting only the run's root key and asking only
 * fakedns's root, and a readiness probe that proves it validates (AD=1 on
 * signed answers) before any SUT is started (RFC 7672 section 2.1 needs a
 * validating resolver; a SUT behind one that does not validate would be
 * judged on nothing).
 */
#ifndef DSIM_RESOLVER_H
#define DSIM_RESOLVER_H

#include <stddef.h>

#define RESOLVER_ADDR "127.0.0.1"
/* The control port (plain text, on the namespace's loopback only): the
 * run loop flushes the cache between attempts with unbound-control. */
#define RESOLVER_CONTROL_PORT 8953

/*
 * Unbound's patience with a name server that never answers a question:
 * each send of a question waits RESOLVER_MIN_RTO_MS at least and is
 * tried twice over UDP; the time-out doubles after each send, and after
 * RESOLVER_MAX_SENDS sends (per delegation step) the question fails and
 * the client gets SERVFAIL, with no validator restart. 750 ms and 2
 * sends give up after 750 + 750 + 1500 + 1500 ms = 4.5 s: longer than
 * any stub in the namespace waits (NETNS_STUB_TIMEOUT_S x
 * NETNS_STUB_ATTEMPTS, netns.h: 4 s), so the
 * first lookup that meets a silent server is still a time-out for the
 * SUT, and later lookups get a quick SERVFAIL instead of a second wait.
 */
#define RESOLVER_MIN_RTO_MS 750
#define RESOLVER_MAX_SENDS 2
#define RESOLVER_GIVE_UP_MS                                                    \
	(2 * RESOLVER_MIN_RTO_MS * ((1 << RESOLVER_MAX_SENDS) - 1))

/*
 * resolver_write_conf - write dir/unbound.conf (dir is made if missing):
 * listen on addr port 53, root hints and trust-anchor file as given, log
 * to dir/unbound.log. Returns the config path (caller frees), or NULL on
 * failure (logged).
 */
char *resolver_write_conf(const char *dir, const char *addr,
    const char *root_hints, const char *trust_anchor);

/*
 * resolver_argv - the command line starting Unbound in the foreground on
 * conf: a NULL-terminated array of borrowed/static strings valid while
 * conf is, to pass to proc_spawn. The array is static.
 */
char *const *resolver_argv(const char *conf);

/*
 * resolver_probe_once - from inside namespace netns (NULL: here), ask
 * addr for ". SOA" and "test. SOA" with DO set. Returns 0 when both come
 * back NOERROR with AD=1, 1 when answered but not validated (why in
 * err), 2 when there is no usable answer yet, -1 when the probe itself
 * failed (logged).
 */
int resolver_probe_once(
    const char *netns, const char *addr, char *err, size_t errsz);

/*
 * resolver_probe - repeat resolver_probe_once until it returns 0 or
 * timeout_ms passes (or the run is interrupted). Returns 0 when the
 * resolver validates, else -1 with the last reason in err.
 */
int resolver_probe(const char *netns, const char *addr, int timeout_ms,
    char *err, size_t errsz);

#endif /* DSIM_RESOLVER_H */
