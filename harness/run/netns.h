/*
 * netns.h - the run's sealed network: one Linux network namespace per
 * run, named "danesim-<pid>", with only a loopback interface (all of
 * 127.0.0.0/8 is local on it; the MX hosts' IPv6 addresses are added
 * one by one), and its /etc/netns/<name>/ files
 * (resolv.conf, optional passwd/group) mounted over /etc for the
 * processes run inside (netns_switch, as "ip netns exec" does).
 *
 * Teardown kills every process whose network namespace is the run's,
 * whatever process group it made for itself (an MTA's daemons), removes
 * the namespace (its /run/netns mount) and /etc/netns/<name>.
 */
#ifndef DSIM_NETNS_H
#define DSIM_NETNS_H

#include <stddef.h>
#include <sys/types.h>

#define NETNS_PREFIX "danesim-"

/*
 * The stub resolver's patience in the namespace (resolv.conf "options
 * timeout:2 attempts:2", read by glibc: Postfix; Exim's profile sets the
 * same as dns_retrans and dns_retry, refsut takes it from resolv.conf):
 * a question the resolver never answers is a time-out after 4 s instead
 * of glibc's 5 x 2. The resolver waits longer than that before it gives
 * up (RESOLVER_GIVE_UP_MS, resolver.h).
 */
#define NETNS_STUB_TIMEOUT_S 2
#define NETNS_STUB_ATTEMPTS 2

/*
 * netns_create - add namespace name, bring lo up, write
 * /etc/netns/<name>/resolv.conf pointing at resolver (an IPv4 address).
 * Returns 0, or -1 (logged; whatever was made is removed again).
 */
int netns_create(const char *name, const char *resolver);

/*
 * netns_addr6_add - put the IPv6 address addr (/128, without duplicate
 * address detection, so it is usable at once) on the namespace's lo,
 * after switching IPv6 on there (disable_ipv6 0, the namespace's own
 * setting; the host's are not touched).
 * Returns 0, or -1 (logged: IPv6 disabled in the namespace, a bad
 * address).
 */
int netns_addr6_add(const char *name, const char *addr);

/*
 * netns_destroy - kill every process inside name (SIGTERM, then SIGKILL
 * after grace_ms), delete the namespace and /etc/netns/<name>. Tolerates
 * parts already gone. Returns 0, or -1 if something is left (logged).
 */
int netns_destroy(const char *name, int grace_ms);

/*
 * netns_pids - the pids of processes whose network namespace is name
 * (scans /proc). *pids is a new array (caller frees), *n its length.
 * Returns 0, or -1 if the namespace does not exist (not logged).
 */
int netns_pids(const char *name, pid_t **pids, size_t *n);

/*
 * netns_kill_all - SIGTERM every process inside name, wait up to
 * grace_ms, SIGKILL the rest. Returns the number still alive after the
 * SIGKILL round settles (0 on success).
 */
int netns_kill_all(const char *name, int grace_ms);

/*
 * netns_etc_write - write /etc/netns/<name>/<file> with content (mode
 * 0644). Returns 0 or -1 (logged).
 */
int netns_etc_write(const char *name, const char *file, const char *content);

/*
 * netns_reap_stale - remove namespaces "danesim-<pid>" (and their
 * /etc/netns folders) whose pid is no longer alive: leftovers of runs
 * killed hard. Returns how many were removed.
 */
int netns_reap_stale(void);

/* netns_exists - 1 if /run/netns/<name> exists. */
int netns_exists(const char *name);

#endif /* DSIM_NETNS_H */
