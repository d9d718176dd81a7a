/*
 * rs_tlsacache.h - the TLSA cache of the stale-tlsa-cache switch: secure
 * TLSA answers kept in files of refsut's state folder (one per query
 * name, "USAGE SELECTOR MTYPE HEX" a line) and used again by later
 * processes - later delivery attempts - however old they are: the TTL
 * is ignored (what RFC 6698 §8.2 forbids: "if you cache, you must honour
 * the TTL").
 */
#ifndef DSIM_RS_TLSACACHE_H
#define DSIM_RS_TLSACACHE_H

#include "rs_dns.h"

/*
 * rs_state_path - the file of the state folder dir for what ("tlsa",
 * "session") of name and port: DIR/WHAT-_PORT._tcp.NAME, any '/' in
 * name made '_'. A new string.
 */
char *rs_state_path(
    const char *dir, const char *what, const char *name, int port);

/*
 * rs_tlsacache_get - the cached answer for the TLSA query of name and
 * port in dir into r (zeroed first; state SECURE, final_name the query
 * name). Returns 1 when there was one, 0 when not (r untouched), -1
 * when the file is unreadable or malformed (logged; r untouched).
 */
int rs_tlsacache_get(
    const char *dir, const char *name, int port, struct rs_dns_result *r);

/*
 * rs_tlsacache_put - keep the secure TLSA answer r for name and port in
 * dir (replaced atomically). Returns 0, or -1 (logged).
 */
int rs_tlsacache_put(
    const char *dir, const char *name, int port, const struct rs_dns_result *r);

#endif /* DSIM_RS_TLSACACHE_H */
