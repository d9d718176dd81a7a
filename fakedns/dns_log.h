/*
 * dns_log.h - the fakedns query log: one JSON object per line in the
 * dns.jsonl format of docs/internals.md. The server flushes the lines of
 * a batch of queries before it sends their replies, so a reader sees
 * every query as soon as it is answered.
 */
#ifndef DSIM_DNS_LOG_H
#define DSIM_DNS_LOG_H

#include <stdio.h>

#include "dns_answer.h"

/*
 * dns_log_format - the log line (no newline) for one query: t (seconds
 * since the epoch), client and server ("ip:port"), transport ("udp" or
 * "tcp") and the result. Returns a new string (caller frees); never NULL.
 */
char *dns_log_format(double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res);

/*
 * dns_log_format_jansson - the same line built with jansson: what
 * dns_log_format() falls back to for a string outside ASCII, and the
 * reference its own writer is tested against. Returns a new string
 * (caller frees); never NULL.
 */
char *dns_log_format_jansson(double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res);

/*
 * dns_log_write - format and append one line to fp (stdio-buffered; the
 * caller flushes). fp may be NULL (no log). Returns 0, or -1 when writing
 * failed (logged).
 */
int dns_log_write(FILE *fp, double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res);

#endif /* DSIM_DNS_LOG_H */
