/*
 * rs_session.h - TLS sessions kept across delivery attempts in refsut's
 * state folder (-s DIR), one file per TLSA base domain and port, so a
 * later process - the next attempt - can offer the server an abbreviated
 * handshake (RFC 8446 §2.2, RFC 5077).
 *
 * A resumed handshake sends no certificate, so nothing is checked
 * against the TLSA RRset of the new attempt. refsut keeps a session under
 * a key made of the TLSA base domain, the port and the usable TLSA
 * records it was authenticated with (as Postfix keys its TLS session
 * cache on the TLSA RRset) and offers it only when the current RRset
 * gives the same key: a changed RRset means a full handshake and a fresh
 * DANE check. The resume-after-tlsa-change switch offers it whatever the
 * RRset and trusts the resumed session without a check (catalogue A18).
 */
#ifndef DSIM_RS_SESSION_H
#define DSIM_RS_SESSION_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "rs_dns.h"

#define RS_SESSION_KEYLEN 65 /* hex SHA-256 and NUL */

/*
 * rs_session_key - the key of base, port and the usable records of
 * tlsa[0..n) (their order does not matter) into key.
 */
void rs_session_key(const char *base, int port, const struct rs_tlsa *tlsa,
    size_t n, char key[RS_SESSION_KEYLEN]);

/*
 * rs_session_load - the session kept in dir for base and port when it
 * was kept under key (any_key: whatever its key). A new SSL_SESSION
 * (caller frees with SSL_SESSION_free), or NULL when there is none, its
 * key differs (*other set to 1) or the file is unreadable (logged).
 */
SSL_SESSION *rs_session_load(const char *dir, const char *base, int port,
    const char *key, int any_key, int *other);

/*
 * rs_session_save - keep sess for base and port under key in dir
 * (replaced atomically). Returns 0, or -1 (logged).
 */
int rs_session_save(const char *dir, const char *base, int port,
    const char *key, SSL_SESSION *sess);

#endif /* DSIM_RS_SESSION_H */
