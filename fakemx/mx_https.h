/*
 * mx_https.h - fakemx's MTA-STS policy host (RFC 8461 §3.3): on a
 * listener with "https", TLS from the first byte (the session starts as
 * with implicit TLS), then one HTTP/1.x request (RFC 9112 §3), answered
 * with the policy file for GET of MTASTS_PATH and closed. Every request
 * is logged as an "https" event; a malformed one gets 400, never a
 * crash.
 *
 * Pure: the session (mx_session.c) feeds it the request head instead
 * of the SMTP state machine, writes what it answers and logs the event.
 */
#ifndef DSIM_MX_HTTPS_H
#define DSIM_MX_HTTPS_H

#include <stddef.h>

#include "buf.h"

/* The largest request head fakemx reads: more is answered 400. */
#define MX_HTTPS_HEAD_MAX 8192

/* What a request said, for the log. */
struct mx_https_req {
	char method[16];
	char path[256];
	char host[256];    /* the Host header, "" when none */
	const char *error; /* why 400/404/405 (static), or NULL */
};

/*
 * mx_https_answer - answer the request head req (len bytes, up to and
 * with the empty line) with policy: 200 and the policy (text/plain) for
 * "GET /.well-known/mta-sts.txt HTTP/1.x"; 404 for another path, 405
 * for another method, 400 for a malformed head. Appends the whole
 * response to out and fills r. Returns the status code.
 */
int mx_https_answer(const char *req, size_t len, const char *policy,
    struct buf *out, struct mx_https_req *r);

/*
 * mx_https_head_len - the length of the request head in data (through
 * the first empty line, CRLF or LF), or 0 when it is not complete yet.
 */
size_t mx_https_head_len(const char *data, size_t len);

/* mx_https_too_long - the 400 answer to a request head longer than
 * MX_HTTPS_HEAD_MAX, appended to out; fills r. Returns 400. */
int mx_https_too_long(struct buf *out, struct mx_https_req *r);

#endif /* DSIM_MX_HTTPS_H */
