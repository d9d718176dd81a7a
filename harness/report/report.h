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

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "harness/report/conform.h"
#include "harness/report/expect.h"
#include "scn.h"
#include "scn_lint.h"
#include "harness/judge/score.h"

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

/*
 * One message of a scenario that sent several (run.json's messages;
 * its outcome is the score result's msgs[n - 1]).
 */
struct report_message {
	int n;                  /* 1-based */
	const char *message_id; /* or NULL */
	const char *sut_status; /* the SUT's last word on it, or NULL */
	int attempt;            /* the attempt it was injected in */
	double injected_at;     /* seconds since the epoch; 0 unknown */
	int attempts;           /* the attempts it was watched: from its
	                           own to the scenario's last */
};

/* One scenario of the report (everything borrowed). */
struct report_scn {
	const struct scn *s;
	const struct score_result *res;
	const char *sut_status; /* "deferred"...; NULL = unknown */
	const char *reason;     /* why not decided (run.json) or NULL */
	const char *message_id; /* or NULL */
	const char *rerun;      /* command that reruns exactly it, or NULL */
	const char *wireshark;  /* display filter of its traffic, or NULL */
	const struct report_attempt *attempts; /* run.json's, or NULL */
	size_t nattempts;
	const struct report_message *messages; /* when res->nmsgs > 1 */
	size_t nmessages;
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
	int capture_ok;                /* the run captured packets */
	const char *capture_file;      /* relative to the run folder, or NULL */
	const char *capture_note;      /* run.json's note, or NULL */
	int capture_analysed;          /* facts from the capture were used */
	const char *capture_analysis;  /* "not analysed: ..." etc. */
	int capture_have_stats;        /* run.json had capture.stats */
	unsigned long capture_packets; /* written to the file */
	unsigned long capture_ps_recv; /* pcap_stats counters */
	unsigned long capture_ps_drop;
	unsigned long capture_ps_ifdrop;
	int capture_compared; /* the capture check ran */
	size_t
	    capture_disagreements; /* its disagreements (capture-check.txt) */
	int logs_complete;
	const char *logs_note;           /* facts->note, or NULL */
	const char *infra_error;         /* run.json "error": our
	                                    infrastructure failed; or NULL */
	const char *sut_note;            /* run.json "sut_note": an
	                                    observation about the SUT; or NULL */
	const char *attempts_note;       /* run.json "attempts_note": why
	                                    fewer attempts than asked; or NULL */
	const char *run_dir;             /* where the reports go */
	const struct expect_set *expect; /* --expect, or NULL */
	const char *expect_file;         /* its path, or NULL */
	struct report_scn *scns;
	size_t n;
	json_t *provenance;              /* docs/report-schema.md; or NULL */
	const struct scn_catalogue *cat; /* for the scope line; or NULL */
	const struct conform_result *conform; /* --profile; or NULL */
};

/* What a run covered of the requirement catalogue (report_scope). */
struct report_scope {
	size_t rows;        /* catalogue rows */
	size_t covered;     /* rows a scenario of the run cites (header or
	                       expectation), as danesim coverage counts */
	size_t sec_rows;    /* rows whose severity names SEC */
	size_t sec_covered; /* of those, cited */
};

/* Counts of expectation verdicts. */
struct report_counts {
	size_t total;           /* expectations */
	size_t v[SCORE__COUNT]; /* per verdict, observations (severity
	                           info) left out */
	size_t sev[SCN_SEV__COUNT][SCORE__COUNT]; /* per enum scn_severity,
	                                             per verdict */
	size_t security_failures;   /* failed security expectations */
	size_t scn_v[SCORE__COUNT]; /* scenarios per (worst) verdict */
	int have_expect;            /* the report has an expect set */
	size_t xr[EXPECT_R__COUNT]; /* with it: expectations per result */
};

/*
 * report_scope - fill sc from the report and its catalogue; 0, or -1
 * when the report has no catalogue (sc zeroed).
 */
int report_scope(const struct report *r, struct report_scope *sc);

/*
 * report_scope_line - "this run covered N of M catalogue rows, S of T
 * security rows" (or why it cannot say) appended to b.
 */
void report_scope_line(const struct report *r, struct buf *b);

/* One term of the glossary in summary.md and report.html. */
struct report_term {
	const char *term;
	const char *meaning;
};

/* The glossary, ended by a {NULL, NULL} entry. */
extern const struct report_term report_glossary[];

/* report_count - fill c from the report (and its expect set). */
void report_count(const struct report *r, struct report_counts *c);

/*
 * report_exit_status - 1 if an expectation failed, else 3 if any was
 * inconclusive or an error, else 0. With an expect set, "failed" means a
 * regression or an unexpected pass (an expected failure does not count).
 */
int report_exit_status(const struct report_counts *c);

/* report_exp_severity - severity of an expectation (its own or the
   scenario's). */
enum scn_severity report_exp_severity(
    const struct scn *s, const struct scn_expect *e);

/*
 * report_json - the report.json tree of r (docs/report-schema.md), new;
 * the caller releases it with json_decref. Written by
 * report_write_json_tree, it is report.json byte for byte; report.html
 * is made from the same tree (reports.c).
 */
json_t *report_json(const struct report *r);

/* report_write_json_tree - write root as report.json at path (through a
   temporary file renamed into place). 0, or -1 on failure (logged). */
int report_write_json_tree(const json_t *root, const char *path);

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
 * report_outcome_text - the scenario's outcome into b: "deferred", or
 * with several messages one per message, "message 1: delivered-tls;
 * message 2: deferred (2 attempts)"; compact, without blanks (a table
 * column): "1:delivered-tls,2:deferred".
 */
void report_outcome_text(
    const struct report_scn *rs, struct buf *b, int compact);

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
