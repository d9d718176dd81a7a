/*
 * report.h - the reports of a judged run: report.json (schema in
 * docs/report-schema.md and docs/report-schema.json), junit.xml (for CI
 * systems), summary.md (for people) and the terminal summary.
 *
 * Every text that came from the SUT or from a scenario file (evidence,
 * MAIL FROM addresses, SNI names, titles) is treated as hostile: it is
 * made valid UTF-8 with control characters shown as \xNN before it goes
 * into any report, and each format escapes it with its own library
 * (jansson, libxml2's xmlTextWriter) or its own rules (Markdown).
 */
#ifndef DSIM_REPORT_H
#define DSIM_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "scn.h"
#include "score.h"

#define REPORT_SCHEMA_VERSION 1

/*
 * One delivery attempt of a scenario (run.json's attempts, with the
 * connections that began in its time; docs/report-schema.md).
 */
struct report_attempt {
	int n;                  /* 1-based */
	double started;         /* seconds since the epoch */
	double ended;           /* 0: not seen ending */
	const char *sut_status; /* the SUT's word at its end, or NULL */
	char *hosts;            /* owned: "mx1, mx2", "" when none */
	size_t nconns;          /* connections that began in it */
	char *what;             /* owned: what happened, one line */
};

/* One scenario of the report (everything borrowed). */
struct report_scn {
	const struct scn *s;
	const struct score_result *res;
	const char *sut_status; /* "deferred"...; NULL = unknown */
	const char *reason;     /* why not decided (run.json) or NULL */
	const char *message_id; /* or NULL */
	const struct report_attempt *attempts; /* run.json's, or NULL */
	size_t nattempts;
};

/* A whole report (everything borrowed from the caller). */
struct report {
	const char *sut_name; /* NULL = unknown */
	const char *sut_version;
	char *const *sut_options;
	size_t nsut_options;
	int suite_version;        /* scenario format version */
	const char *suite_sha256; /* 64 hex digits, or NULL */
	double started;           /* seconds since the epoch; 0 unknown */
	double finished;
	int interrupted;
	int capture_ok;               /* the run captured packets */
	const char *capture_file;     /* relative to the run folder, or NULL */
	const char *capture_note;     /* run.json's note, or NULL */
	int capture_analysed;         /* facts from the capture were used */
	const char *capture_analysis; /* "not analysed: ..." etc. */
	int logs_complete;
	const char *logs_note; /* facts->note, or NULL */
	const char *run_dir;   /* where the reports go */
	struct report_scn *scns;
	size_t n;
};

/* Counts of expectation verdicts. */
struct report_counts {
	size_t total;                /* expectations */
	size_t v[SCORE__COUNT];      /* per verdict */
	size_t sev[2][SCORE__COUNT]; /* per enum scn_severity, per verdict */
	size_t security_failures;    /* failed security expectations */
	size_t scn_v[SCORE__COUNT];  /* scenarios per (worst) verdict */
};

/* report_count - fill c from the report. */
void report_count(const struct report *r, struct report_counts *c);

/*
 * report_exit_status - 1 if an expectation failed, else 3 if any was
 * inconclusive or an error, else 0.
 */
int report_exit_status(const struct report_counts *c);

/* report_exp_severity - severity of an expectation (its own or the
   scenario's). */
enum scn_severity report_exp_severity(
    const struct scn *s, const struct scn_expect *e);

/*
 * report_write_json / report_write_junit / report_write_summary - write
 * the file at path (through a temporary file renamed into place).
 * 0, or -1 on failure (logged).
 */
int report_write_json(const struct report *r, const char *path);
int report_write_junit(const struct report *r, const char *path);
int report_write_summary(const struct report *r, const char *path);

/*
 * report_print_terminal - the table, counts per severity and the report
 * folder on out; ANSI colour only when colour is non-zero.
 */
void report_print_terminal(const struct report *r, FILE *out, int colour);

/*
 * report_clean_text - a copy of s (NULL: NULL) that is valid UTF-8 and
 * valid XML 1.0 character data: invalid bytes, C0 and C1 control
 * characters (tab and newline too), DEL and U+FFFE/U+FFFF are written as
 * "\xNN" (or "\u{FFFE}") text.
 * Caller frees.
 */
char *report_clean_text(const char *s);

/*
 * report_md_cell - append text (NULL: nothing) to b, cleaned as
 * report_clean_text does and escaped for one Markdown table cell: | \ *
 * _ ` [ ] get a backslash, < > & become entities. Used by summary.md and
 * the comparison table.
 */
void report_md_cell(struct buf *b, const char *text);

#endif /* DSIM_REPORT_H */
