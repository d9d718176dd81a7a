/*
 * mx_evlog.h - fakemx's event log, smtp.jsonl: one JSON object per line
 * (format in docs/internals.md "smtp.jsonl"), each line written with one
 * write() so the file is always whole lines, even if fakemx is killed.
 */
#ifndef DSIM_MX_EVLOG_H
#define DSIM_MX_EVLOG_H

#include <jansson.h>

struct mx_evlog;

/*
 * mx_evlog_open - append to the log at path (created if missing).
 * NULL on failure (logged).
 */
struct mx_evlog *mx_evlog_open(const char *path);

/* mx_evlog_close - close the log; NULL is fine. */
void mx_evlog_close(struct mx_evlog *ev);

/*
 * mx_evlog_write - write one event: "t", "event", "conn", "scenario",
 * "host", then the members of fields (a JSON object, stolen; NULL for
 * none). ev may be NULL (the event is dropped; used by unit tests and
 * the fuzzer). A failed write is logged once and otherwise ignored.
 */
void mx_evlog_write(struct mx_evlog *ev, unsigned long conn,
    const char *scenario, const char *host, const char *event, json_t *fields);

/* mx_evlog_str - a JSON string of n bytes that may hold any byte (bytes
 * that are not valid UTF-8 become U+FFFD); new reference. */
json_t *mx_evlog_str(const char *s, size_t n);

#endif /* DSIM_MX_EVLOG_H */
