/*
 * dns_log.h - the fakedns query log: one JSON object per line in the
 * dns.jsonl format of docs/internals.md, written with jansson and flushed
 * line by line so a reader sees every query as soon as it is answered.
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
 * dns_log_write - format and append one line to fp and flush it. fp may
 * be NULL (no log). Returns 0, or -1 when writing failed (logged).
 */
int dns_log_write(FILE *fp, double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res);

#endif /* DSIM_DNS_LOG_H */
