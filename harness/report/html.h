/*
 * html.h - report.html: the run's report for people who do not know the
 * RFC numbers. One self-contained page (inline CSS, no script, no
 * network, no external file) made from the run folder's report.json, the
 * event logs (smtp.jsonl, dns.jsonl) for evidence excerpts, and relative
 * links to the capture and logs in the same folder.
 *
 * Everything read is treated as hostile: each string is made valid UTF-8
 * and XML character data (report_clean_text) and written through
 * libxml2's xmlTextWriter, which escapes it.
 */
#ifndef DSIM_HTML_H
#define DSIM_HTML_H

#include <stddef.h>

/*
 * html_write_report - read RUN_DIR/report.json (and the event logs
 * beside it) and write RUN_DIR/report.html through a temporary file
 * renamed into place. 0, or -1 (logged) when report.json cannot be read
 * or is not a report, or the file cannot be written.
 */
int html_write_report(const char *run_dir);

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
