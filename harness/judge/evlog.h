/*
 * evlog.h - the one reader of the fake servers' event logs (dns.jsonl of
 * fakedns, smtp.jsonl of fakemx; formats in docs/internals.md). It hands
 * every line to a callback, so the judge (facts.h) and whoever else
 * wants the events (the HTML report's excerpts) read a log in one pass,
 * the same lines the same way.
 */
#ifndef DSIM_EVLOG_H
#define DSIM_EVLOG_H

#include <jansson.h>
#include <stdio.h>

/* Which log a line came from. */
enum evlog_log { EVLOG_DNS = 0, EVLOG_SMTP };

/* What is wrong with a line that is still a JSON object. */
enum evlog_flaw {
	EVLOG_SOUND = 0, /* one JSON object, nothing else */
	EVLOG_FLAWED     /* an object with a duplicated key (the last value
	                    kept) or with text after it: the judge counts it
	                    malformed, the report's excerpts show it */
};

/*
 * evlog_fn - one line of log: ev is the line's JSON object (borrowed:
 * the reader releases it after the call), or NULL for a line that is not
 * a JSON object (garbage, a last line truncated by a writer killed
 * mid-line); flaw says whether the object came whole. Blank lines are
 * not handed on.
 */
typedef void evlog_fn(
    void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw);

/* evlog_name - the log's file name in a run folder ("dns.jsonl"). */
const char *evlog_name(enum evlog_log log);

/*
 * evlog_read - hand every line of fp (log log) to fn, in file order, up
 * to the end of the stream. The stream stays the caller's.
 */
void evlog_read(FILE *fp, enum evlog_log log, evlog_fn *fn, void *arg);

/*
 * evlog_tail - as evlog_read, but from byte *off of fp on and only whole
 * lines (ending in a newline): *off moves past each line handed on, so
 * the next call reads only what the log gained since; a last line
 * without its newline (still being written) is left for the next call.
 * The run loop reads the growing logs this way. 0, or -1 when fp cannot
 * be positioned at *off (logged).
 */
int evlog_tail(
    FILE *fp, enum evlog_log log, long *off, evlog_fn *fn, void *arg);

/*
 * evlog_read_run - read run_dir/dns.jsonl, then run_dir/smtp.jsonl, with
 * evlog_read. *have_dns and *have_smtp say whether each log could be
 * opened (a missing log is logged at info level: the caller decides what
 * it means).
 */
void evlog_read_run(const char *run_dir, evlog_fn *fn, void *arg, int *have_dns,
    int *have_smtp);

#endif /* DSIM_EVLOG_H */
