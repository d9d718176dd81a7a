/*
 * html.h - report.html: the run's report for people who do not know the
 * RFC numbers. One self-contained page (inline CSS, no script, no
 * network, no external file) made from the report.json tree in memory
 * (report_json), evidence excerpts of the event logs (smtp.jsonl,
 * dns.jsonl) gathered while the judge reads them, and relative links to
 * the capture and logs in the same folder.
 *
 * Everything read is treated as hostile: each string is made valid UTF-8
 * and XML character data (report_clean_text) and written through
 * libxml2's xmlTextWriter, which escapes it.
 */
#ifndef DSIM_HTML_H
#define DSIM_HTML_H

#include <jansson.h>
#include <stddef.h>

#include "harness/judge/evlog.h"
#include "scn.h"

/*
 * The evidence excerpts of a suite's scenarios: the first SMTP events,
 * DNS queries and every SNI of each, as the event-log reader hands them
 * over (html_evidence_event is an evlog_fn). Events are kept by their
 * "scenario" field; a line that is no JSON object is skipped, a flawed
 * object (a duplicated key: the last value) shown.
 */
struct html_evidence;

/* html_evidence_new - empty excerpts for every scenario of suite (the
   ids are borrowed from it). Never NULL. */
struct html_evidence *html_evidence_new(const struct scn_suite *suite);

/* html_evidence_event - an evlog_fn (arg is the evidence): one event. */
void html_evidence_event(
    void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw);

/* html_evidence_free - release; NULL is fine. */
void html_evidence_free(struct html_evidence *hx);

/*
 * html_write_report - write RUN_DIR/report.html for the report tree rep
 * (report_json) through a temporary file renamed into place; excerpts
 * from hx (NULL: none, as for merged shards). The file list links what
 * is in RUN_DIR. 0, or -1 (logged) when rep is not a report or the file
 * cannot be written.
 */
int html_write_report(
    const char *run_dir, const json_t *rep, const struct html_evidence *hx);

/*
 * html_rfc_section - "RFC 7672 section 2.2.3" for a requirement id of
 * docs/rfc7672-requirements.md ("R-2.2.3-g"; "R7671-5.1-b" names RFC
 * 7671) into out (size outsz). 0, or -1 when id has another form (out
 * then holds id itself).
 */
int html_rfc_section(const char *id, char *out, size_t outsz);

/*
 * html_explain - one plain sentence (new string, caller frees) saying
 * what a failed expectation of kind kind ("never mail-plaintext",
 * "outcome", ...) means; text is its expect line (for hosts, names and
 * the accepted outcomes), outcome the scenario's outcome. Never NULL.
 */
char *html_explain(const char *kind, const char *text, const char *outcome);

#endif /* DSIM_HTML_H */
