/*
 * compare.c - "danesim compare": several runs side by side, and the
 * merge of a suite's shards (see compare.h, docs/comparing.md).
 *
 * Everything comes from the runs' report.json (docs/report-schema.md);
 * strings in them are treated as hostile: made valid UTF-8 and XML text
 * (report_clean_text), escaped by xmlTextWriter for HTML and by the
 * Markdown rules of summary.md for Markdown.
 */
#include <errno.h>
#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/report/reports.h"
#include "buf.h"
#include "harness/report/compare.h"
#include "harness/report/htmlw.h"
#include "log.h"
#include "harness/report/report.h"
#include "harness/report/suite.h"
#include "scn_lint.h"
#include "harness/judge/score.h"
#include "xmalloc.h"

#define COMPARE_RUNS_MAX 64

/* One run's report. */
struct crun {
	char *path;   /* report.json */
	char *dir;    /* its folder */
	json_t *rep;  /* owned */
	json_t *byid; /* owned: scenario id -> its object in rep */
	char *label;  /* column heading: "postfix 3.7.11" */
};

/* The page being written (HTML). */
static const char compare_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "margin:0 auto;max-width:1400px;padding:1em 2em;color:#1d232a;"
    "line-height:1.45}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.5em}"
    "table{border-collapse:collapse;width:100%;font-size:.93em}"
    "th,td{border:1px solid #d5d9de;padding:.3em .55em;text-align:left;"
    "vertical-align:top}"
    "th{background:#f1f3f5}"
    "tr.diff td{background:#fff4d6}"
    "tr.diff td.mark{font-weight:700;color:#8a6100}"
    ".v-pass{color:#2e8540;font-weight:600}"
    ".v-fail{color:#c0262d;font-weight:700}"
    ".v-inconclusive,.v-error{color:#8a6100;font-weight:700}"
    ".bad{background:#fbe4e4;color:#6d0f13;font-weight:700}"
    ".ok{background:#e3f4e6;color:#17451f;font-weight:700}"
    ".meta{color:#555;font-size:.9em}"
    ".warn{background:#fff4d6;border:2px solid #b07d00;color:#5a4000;"
    "padding:.2em 1em;margin:1em 0}";

/* jstr - string member or NULL. */
static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* jint - integer member or 0. */
static long long
jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* jnum - number member or 0. */
static double
jnum(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : 0;
}

/* crun_free - release the runs. */
static void
crun_free(struct crun *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(runs[i].path);
		free(runs[i].dir);
		json_decref(runs[i].rep);
		json_decref(runs[i].byid);
		free(runs[i].label);
	}
	free(runs);
}

/* opts_text - the options array of sut as "a, b" (new string). */
static char *
opts_text(const json_t *sut)
{
	const json_t *o;
	struct buf b;
	size_t i;

	buf_init(&b);
	json_array_foreach(json_object_get(sut, "options"), i, o) buf_printf(
	    &b, "%s%s", i > 0 ? ", " : "", json_string_value(o) ?: "?");
	return buf_steal(&b);
}

/* crun_load - the reports of dirs; NULL after a message on stderr. */
static struct crun *
crun_load(char *const *dirs, size_t n)
{
	struct crun *runs = xcalloc(n, sizeof(*runs));
	json_error_t jerr;
	struct stat st;
	size_t i, j;
	const json_t *sut;
	char *o;
	int *dup;
	json_t *o_scn;

	for (i = 0; i < n; i++) {
		if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			runs[i].dir = xstrdup(dirs[i]);
			runs[i].path = xasprintf("%s/report.json", dirs[i]);
		} else {
			runs[i].path = xstrdup(dirs[i]);
			o = strrchr(dirs[i], '/');
			runs[i].dir =
			    o ? xstrndup(dirs[i], (size_t)(o - dirs[i]))
			      : xstrdup(".");
		}
		runs[i].rep = json_load_file(runs[i].path, 0, &jerr);
		if (runs[i].rep == NULL) {
			fprintf(stderr, "danesim compare: %s: %s\n",
			    runs[i].path, jerr.text);
			goto fail;
		}
		if (!json_is_array(json_object_get(runs[i].rep, "scenarios")) ||
		    !json_is_object(json_object_get(runs[i].rep, "sut"))) {
			fprintf(stderr,
			    "danesim compare: %s: not a danesim report "
			    "(no sut or scenarios)\n",
			    runs[i].path);
			goto fail;
		}
		runs[i].byid = json_object();
		json_array_foreach(
		    json_object_get(runs[i].rep, "scenarios"), j, o_scn)
		{
			const char *sid = jstr(o_scn, "id");

			if (sid != NULL &&
			    json_object_get(runs[i].byid, sid) == NULL)
				json_object_set(runs[i].byid, sid, o_scn);
		}
		sut = json_object_get(runs[i].rep, "sut");
		runs[i].label = xasprintf("%s %s", jstr(sut, "name") ?: "?",
		    jstr(sut, "version") ?: "");
	}
	/* Same name and version twice: tell them apart by options, then
	   by position. */
	dup = xcalloc(n, sizeof(*dup));
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (j != i && strcmp(runs[i].label, runs[j].label) == 0)
				dup[i] = 1;
	for (i = 0; i < n; i++) {
		if (!dup[i])
			continue;
		sut = json_object_get(runs[i].rep, "sut");
		o = opts_text(sut);
		free(runs[i].label);
		runs[i].label =
		    xasprintf("%s %s (%s)", jstr(sut, "name") ?: "?",
		        jstr(sut, "version") ?: "", o[0] ? o : "no options");
		free(o);
	}
	for (i = 0; i < n; i++)
		dup[i] = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (j != i && strcmp(runs[i].label, runs[j].label) == 0)
				dup[i] = 1;
	for (i = 0; i < n; i++) {
		if (!dup[i])
			continue;
		o = runs[i].label;
		runs[i].label = xasprintf("%s #%zu", o, i + 1);
		free(o);
	}
	free(dup);
	return runs;
fail:
	crun_free(runs, n);
	return NULL;
}

/* find_scn - the scenario id in run r (its first, if listed twice), or
   NULL. */
static const json_t *
find_scn(const struct crun *r, const char *id)
{
	return json_object_get(r->byid, id);
}

/* cmp_str - qsort on strings. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* all_ids - the sorted union of scenario ids (borrowed strings). */
static const char **
all_ids(const struct crun *runs, size_t n, size_t *nids)
{
	const char **ids;
	const json_t *s;
	size_t i, k, j, cnt = 0;
	const char *id;

	for (i = 0, k = 0; i < n; i++)
		k += json_array_size(json_object_get(runs[i].rep, "scenarios"));
	ids = xcalloc(k + 1, sizeof(*ids));
	for (i = 0; i < n; i++) {
		json_array_foreach(
		    json_object_get(runs[i].rep, "scenarios"), k, s)
		{
			id = jstr(s, "id");
			if (id != NULL)
				ids[cnt++] = id;
		}
	}
	if (cnt > 0)
		qsort(ids, cnt, sizeof(*ids), cmp_str);
	for (i = 0, j = 0; i < cnt; i++)
		if (j == 0 || strcmp(ids[j - 1], ids[i]) != 0)
			ids[j++] = ids[i];
	*nids = j;
	return ids;
}

/* row_differs - 1 if the runs that have the scenario disagree on its
   outcome or verdict, or some run lacks it. */
static int
row_differs(const struct crun *runs, size_t n, const char *id)
{
	const json_t *s, *first = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		s = find_scn(&runs[i], id);
		if (s == NULL)
			return n > 1;
		if (first == NULL) {
			first = s;
			continue;
		}
		if (!json_equal(json_object_get(s, "verdict"),
		        json_object_get(first, "verdict")) ||
		    !json_equal(json_object_get(s, "outcome"),
		        json_object_get(first, "outcome")))
			return 1;
	}
	return 0;
}

/* verdict_differs - 1 if the scenario's verdict is not the same in
   every run (a run that lacks it differs). */
static int
verdict_differs(const struct crun *runs, size_t n, const char *id)
{
	const json_t *s, *first = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((s = find_scn(&runs[i], id)) == NULL)
			return n > 1;
		if (first == NULL)
			first = s;
		else if (!json_equal(json_object_get(s, "verdict"),
		             json_object_get(first, "verdict")))
			return 1;
	}
	return 0;
}

/* differ_text - if the string at path (object keys, then a member) is
   not the same in every run, append "what: label value; ..." and a
   newline to w. */
static void
differ_text(struct buf *w, const struct crun *runs, size_t n, const char *what,
    const char *obj, const char *key)
{
	const char *v, *first = NULL;
	size_t i;
	int same = 1;

	for (i = 0; i < n; i++) {
		v = jstr(json_object_get(runs[i].rep, obj), key) ?: "unknown";
		if (first == NULL)
			first = v;
		else if (strcmp(first, v) != 0)
			same = 0;
	}
	if (same)
		return;
	buf_printf(w, "the runs used different %s:", what);
	for (i = 0; i < n; i++)
		buf_printf(w, "%s %s: %s", i ? ";" : "", runs[i].label,
		    jstr(json_object_get(runs[i].rep, obj), key) ?: "unknown");
	buf_putc(w, '\n');
}

/*
 * compare_warnings - what makes the runs not comparable one to one: a
 * different scenario suite (hash), danesim version, or SUT options. One
 * warning per line into w.
 */
static void
compare_warnings(struct buf *w, const struct crun *runs, size_t n)
{
	char *first = NULL, *t;
	size_t i;
	int same = 1;

	differ_text(w, runs, n, "scenario suites (SHA-256)", "suite", "sha256");
	differ_text(
	    w, runs, n, "danesim versions", "provenance", "danesim_version");
	for (i = 0; i < n; i++) {
		t = opts_text(json_object_get(runs[i].rep, "sut"));
		if (first == NULL)
			first = t;
		else {
			if (strcmp(first, t) != 0)
				same = 0;
			free(t);
		}
	}
	free(first);
	if (same)
		return;
	buf_puts(w, "the runs used different SUT options:");
	for (i = 0; i < n; i++) {
		t = opts_text(json_object_get(runs[i].rep, "sut"));
		buf_printf(w, "%s %s: %s", i ? ";" : "", runs[i].label,
		    t[0] ? t : "none");
		free(t);
	}
	buf_putc(w, '\n');
}

/* severity_of - the scenario's severity in the first run that has it. */
static const char *
severity_of(const struct crun *runs, size_t n, const char *id)
{
	const json_t *s;
	size_t i;

	for (i = 0; i < n; i++)
		if ((s = find_scn(&runs[i], id)) != NULL && jstr(s, "severity"))
			return jstr(s, "severity");
	return "?";
}

/* verdict_class - "v-pass" ... for a known verdict, else "v-error". */
static const char *
verdict_class(const char *v)
{
	if (v != NULL && strcmp(v, "pass") == 0)
		return "v-pass";
	if (v != NULL && strcmp(v, "fail") == 0)
		return "v-fail";
	if (v != NULL && strcmp(v, "inconclusive") == 0)
		return "v-inconclusive";
	return "v-error";
}

/* totals_scn - "20 pass, 0 fail, ..." for a run's scenarios. */
static char *
totals_scn(const json_t *rep)
{
	const json_t *sc =
	    json_object_get(json_object_get(rep, "summary"), "scenarios");

	return xasprintf("%lld pass, %lld fail, %lld inconclusive, %lld error",
	    jint(sc, "pass"), jint(sc, "fail"), jint(sc, "inconclusive"),
	    jint(sc, "error"));
}

/* md_labels - one Markdown table cell per run, with its label. */
static void
md_labels(struct buf *b, const struct crun *runs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_putc(b, ' ');
		report_md_cell(b, runs[i].label);
		buf_puts(b, " |");
	}
}

/* write_md - the Markdown comparison into b. */
static void
write_md(struct buf *b, const struct crun *runs, size_t n, const char **ids,
    size_t nids)
{
	const json_t *s, *sum;
	size_t i, k, ndiff = 0;
	char *t, *line;
	const char *p, *nl;
	struct buf w;

	for (k = 0; k < nids; k++)
		ndiff += (size_t)row_differs(runs, n, ids[k]);
	buf_puts(b, "# DANE sender comparison (RFC 7672)\n\n");
	buf_printf(
	    b, "%zu scenarios, %zu with different results.\n\n", nids, ndiff);
	buf_init(&w);
	compare_warnings(&w, runs, n);
	for (p = buf_cstr(&w); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		line = xstrndup(p, (size_t)(nl - p));
		buf_puts(b, "> **Warning:** ");
		report_md_cell(b, line);
		buf_puts(b, ". Differences below may come from this, not from "
		            "the senders.\n>\n");
		free(line);
	}
	if (w.len > 0)
		buf_puts(b, "\n");
	buf_free(&w);
	buf_puts(b, "| |");
	md_labels(b, runs, n);
	buf_puts(b, "\n|---|");
	for (i = 0; i < n; i++)
		buf_puts(b, "---|");
	buf_puts(b, "\n| Options |");
	for (i = 0; i < n; i++) {
		t = opts_text(json_object_get(runs[i].rep, "sut"));
		buf_putc(b, ' ');
		report_md_cell(b, t[0] ? t : "-");
		buf_puts(b, " |");
		free(t);
	}
	buf_puts(b, "\n| **Security-critical failures** |");
	for (i = 0; i < n; i++) {
		sum = json_object_get(runs[i].rep, "summary");
		buf_printf(b, " %s%lld%s |",
		    jint(sum, "security_failures") > 0 ? "**" : "",
		    jint(sum, "security_failures"),
		    jint(sum, "security_failures") > 0 ? "**" : "");
	}
	buf_puts(b, "\n| Scenarios |");
	for (i = 0; i < n; i++) {
		t = totals_scn(runs[i].rep);
		buf_printf(b, " %s |", t);
		free(t);
	}
	buf_puts(b, "\n| Run started |");
	for (i = 0; i < n; i++) {
		buf_putc(b, ' ');
		report_md_cell(
		    b, jstr(json_object_get(runs[i].rep, "run"), "started")
		           ?: "?");
		buf_puts(b, " |");
	}
	buf_puts(b, "\n\n| Scenario | Severity |");
	md_labels(b, runs, n);
	buf_puts(b, " Differs |\n|---|---|");
	for (i = 0; i < n; i++)
		buf_puts(b, "---|");
	buf_puts(b, "---|\n");
	for (k = 0; k < nids; k++) {
		buf_puts(b, "| ");
		report_md_cell(b, ids[k]);
		buf_puts(b, " | ");
		report_md_cell(b, severity_of(runs, n, ids[k]));
		buf_puts(b, " |");
		for (i = 0; i < n; i++) {
			s = find_scn(&runs[i], ids[k]);
			buf_putc(b, ' ');
			if (s == NULL) {
				buf_puts(b, "-");
			} else {
				const char *v = jstr(s, "verdict") ?: "?";
				int bad = strcmp(v, "pass") != 0;

				report_md_cell(
				    b, jstr(s, "outcome") ?: "unknown");
				buf_puts(b, ", ");
				if (bad)
					buf_puts(b, "**");
				if (strcmp(v, "fail") == 0)
					buf_puts(b, "FAIL");
				else
					report_md_cell(b, v);
				if (bad)
					buf_puts(b, "**");
			}
			buf_puts(b, " |");
		}
		buf_puts(
		    b, row_differs(runs, n, ids[k]) ? " **yes** |\n" : " |\n");
	}
}

/* write_html - the HTML comparison page into pg. */
static void
write_html(struct htmlw *pg, const struct crun *runs, size_t n,
    const char **ids, size_t nids)
{
	const json_t *s, *sum;
	size_t i, k, ndiff = 0;
	long long secf;
	char *t, *line;
	const char *p, *nl;
	struct buf w;
	int diff;

	for (k = 0; k < nids; k++)
		ndiff += (size_t)row_differs(runs, n, ids[k]);
	htmlw_check(pg,
	    xmlTextWriterWriteDTD(pg->w, BAD_CAST "html", NULL, NULL, NULL));
	htmlw_check(pg, xmlTextWriterWriteString(pg->w, BAD_CAST "\n"));
	htmlw_start(pg, "html", NULL);
	htmlw_check(pg,
	    xmlTextWriterWriteAttribute(pg->w, BAD_CAST "lang", BAD_CAST "en"));
	htmlw_start(pg, "head", NULL);
	htmlw_start(pg, "meta", NULL);
	htmlw_check(pg, xmlTextWriterWriteAttribute(
	                    pg->w, BAD_CAST "charset", BAD_CAST "utf-8"));
	htmlw_check(pg, xmlTextWriterEndElement(pg->w));
	htmlw_el(pg, "title", NULL, "danesim comparison");
	htmlw_start(pg, "style", NULL);
	htmlw_check(pg, xmlTextWriterWriteRaw(pg->w, BAD_CAST compare_css));
	htmlw_end(pg);
	htmlw_end(pg);
	htmlw_start(pg, "body", NULL);
	htmlw_el(pg, "h1", NULL, "DANE sender comparison (RFC 7672)");
	t = xasprintf("%zu scenarios, %zu with different results. A sender "
	              "with security-critical failures can be made to send "
	              "mail without the protection DANE promises.",
	    nids, ndiff);
	htmlw_el(pg, "p", "meta", t);
	free(t);
	buf_init(&w);
	compare_warnings(&w, runs, n);
	if (w.len > 0) {
		htmlw_start(pg, "div", "warn");
		htmlw_check(pg, xmlTextWriterWriteAttribute(
		                    pg->w, BAD_CAST "id", BAD_CAST "warnings"));
		for (p = buf_cstr(&w); *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			line = xstrndup(p, (size_t)(nl - p));
			t = xasprintf("Warning: %s. Differences below may come "
			              "from this, not from the senders.",
			    line);
			htmlw_el(pg, "p", NULL, t);
			free(t);
			free(line);
		}
		htmlw_end(pg);
	}
	buf_free(&w);

	/* Totals. */
	htmlw_start(pg, "table", "totals");
	htmlw_check(pg, xmlTextWriterWriteAttribute(
	                    pg->w, BAD_CAST "id", BAD_CAST "totals"));
	htmlw_start(pg, "tr", NULL);
	htmlw_el(pg, "th", NULL, "");
	for (i = 0; i < n; i++)
		htmlw_el(pg, "th", NULL, runs[i].label);
	htmlw_end(pg);
	htmlw_start(pg, "tr", NULL);
	htmlw_el(pg, "th", NULL, "Options");
	for (i = 0; i < n; i++) {
		t = opts_text(json_object_get(runs[i].rep, "sut"));
		htmlw_el(pg, "td", NULL, t[0] ? t : "-");
		free(t);
	}
	htmlw_end(pg);
	htmlw_start(pg, "tr", NULL);
	htmlw_el(pg, "th", NULL, "Security-critical failures");
	for (i = 0; i < n; i++) {
		sum = json_object_get(runs[i].rep, "summary");
		secf = jint(sum, "security_failures");
		t = xasprintf("%lld", secf);
		htmlw_el(pg, "td", secf > 0 ? "bad" : "ok", t);
		free(t);
	}
	htmlw_end(pg);
	htmlw_start(pg, "tr", NULL);
	htmlw_el(pg, "th", NULL, "Scenarios");
	for (i = 0; i < n; i++) {
		t = totals_scn(runs[i].rep);
		htmlw_el(pg, "td", NULL, t);
		free(t);
	}
	htmlw_end(pg);
	htmlw_start(pg, "tr", NULL);
	htmlw_el(pg, "th", NULL, "Run");
	for (i = 0; i < n; i++) {
		t = xasprintf("%s, %s",
		    jstr(json_object_get(runs[i].rep, "run"), "started") ?: "?",
		    runs[i].dir);
		htmlw_el(pg, "td", "meta", t);
		free(t);
	}
	htmlw_end(pg);
	htmlw_end(pg);

	/* One row per scenario. */
	htmlw_el(pg, "h2", NULL, "Scenarios");
	htmlw_start(pg, "table", "scenarios");
	htmlw_check(pg, xmlTextWriterWriteAttribute(
	                    pg->w, BAD_CAST "id", BAD_CAST "scenarios"));
	htmlw_start(pg, "tr", NULL);
	htmlw_el(pg, "th", NULL, "Scenario");
	htmlw_el(pg, "th", NULL, "Severity");
	for (i = 0; i < n; i++)
		htmlw_el(pg, "th", NULL, runs[i].label);
	htmlw_el(pg, "th", NULL, "Differs");
	htmlw_end(pg);
	for (k = 0; k < nids; k++) {
		diff = row_differs(runs, n, ids[k]);
		htmlw_start(pg, "tr", diff ? "diff" : NULL);
		t = report_clean_text(ids[k]);
		htmlw_check(pg, xmlTextWriterWriteAttribute(pg->w,
		                    BAD_CAST "data-scenario", BAD_CAST t));
		free(t);
		htmlw_start(pg, "td", NULL);
		htmlw_start(pg, "code", NULL);
		htmlw_text(pg, ids[k]);
		htmlw_end(pg);
		htmlw_end(pg);
		htmlw_el(pg, "td", NULL, severity_of(runs, n, ids[k]));
		for (i = 0; i < n; i++) {
			s = find_scn(&runs[i], ids[k]);
			htmlw_start(pg, "td", NULL);
			if (s == NULL) {
				htmlw_text(pg, "not run");
			} else {
				htmlw_text(pg, jstr(s, "outcome") ?: "unknown");
				htmlw_text(pg, " ");
				htmlw_el(pg, "span",
				    verdict_class(jstr(s, "verdict")),
				    jstr(s, "verdict") ?: "?");
			}
			htmlw_end(pg);
		}
		htmlw_el(pg, "td", "mark", diff ? "yes" : "");
		htmlw_end(pg);
	}
	htmlw_end(pg);
	htmlw_start(pg, "p", "meta");
	htmlw_text(pg, "Suites (SHA-256 of the scenario files): ");
	for (i = 0; i < n; i++) {
		t = xasprintf("%s%s: %s", i > 0 ? "; " : "", runs[i].label,
		    jstr(json_object_get(runs[i].rep, "suite"), "sha256")
		        ?: "?");
		htmlw_text(pg, t);
		free(t);
	}
	htmlw_end(pg);
	htmlw_end(pg); /* body */
	htmlw_end(pg); /* html */
	htmlw_check(pg, xmlTextWriterWriteString(pg->w, BAD_CAST "\n"));
	htmlw_check(pg, xmlTextWriterFlush(pg->w));
}

/* put_file - write text to path ("-": stdout) via a temporary file. */
static int
put_file(const char *path, const char *text, size_t len)
{
	char *tmp;
	FILE *f;
	int rc = -1;

	struct stat st;

	if (strcmp(path, "-") == 0)
		return fwrite(text, 1, len, stdout) == len ? 0 : -1;
	/*
	 * Only a regular file (or a new one) is replaced through a
	 * temporary file and rename: renaming over /dev/null or a FIFO
	 * would replace the device itself. Anything else is written in
	 * place.
	 */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		f = fopen(path, "w");
		if (f == NULL) {
			fprintf(stderr, "danesim compare: %s: %s\n", path,
			    strerror(errno));
			return -1;
		}
		if (fwrite(text, 1, len, f) == len)
			rc = 0;
		if (fclose(f) != 0)
			rc = -1;
		if (rc < 0)
			fprintf(
			    stderr, "danesim compare: cannot write %s\n", path);
		return rc;
	}
	tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (f == NULL) {
		fprintf(
		    stderr, "danesim compare: %s: %s\n", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fwrite(text, 1, len, f) == len)
		rc = 0;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "danesim compare: cannot write %s\n", path);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

int
compare_write(char *const *dirs, size_t n, const char *html_path,
    const char *md_path, size_t *nverdict_diff)
{
	struct crun *runs;
	const char **ids;
	size_t nids, k;
	struct buf b;
	struct htmlw pg = {NULL, 0};
	xmlBufferPtr xb;
	int rc = 0;

	if (n == 0 || n > COMPARE_RUNS_MAX) {
		fprintf(stderr, "danesim compare: between 1 and %d runs\n",
		    COMPARE_RUNS_MAX);
		return -1;
	}
	if ((runs = crun_load(dirs, n)) == NULL)
		return -1;
	ids = all_ids(runs, n, &nids);
	if (nverdict_diff != NULL) {
		*nverdict_diff = 0;
		for (k = 0; k < nids; k++)
			*nverdict_diff +=
			    (size_t)verdict_differs(runs, n, ids[k]);
	}
	buf_init(&b);
	compare_warnings(&b, runs, n);
	if (b.len > 0)
		fprintf(stderr, "danesim compare: warning: %s", buf_cstr(&b));
	buf_free(&b);
	if (md_path != NULL) {
		buf_init(&b);
		write_md(&b, runs, n, ids, nids);
		if (put_file(md_path, b.data ? b.data : "", b.len) < 0)
			rc = -1;
		buf_free(&b);
	}
	if (html_path != NULL && rc == 0) {
		xb = xmlBufferCreate();
		pg.w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
		if (pg.w == NULL) {
			fprintf(stderr, "danesim compare: out of memory\n");
			rc = -1;
		} else {
			write_html(&pg, runs, n, ids, nids);
			xmlFreeTextWriter(pg.w);
			if (pg.err || put_file(html_path,
			                  (const char *)xmlBufferContent(xb),
			                  (size_t)xmlBufferLength(xb)) < 0)
				rc = -1;
		}
		if (xb)
			xmlBufferFree(xb);
	}
	free(ids);
	crun_free(runs, n);
	return rc;
}

/* verdict_from - the score verdict of a report word; -1 if none. */
static int
verdict_from(const char *v)
{
	int k;

	for (k = 0; v != NULL && k < SCORE__COUNT; k++)
		if (strcmp(v, score_verdict_str((enum score_verdict)k)) == 0)
			return k;
	return -1;
}

/* cmp_scn - qsort on scenario ids. */
static int
cmp_scn(const void *a, const void *b)
{
	return strcmp(
	    (*(struct scn *const *)a)->id, (*(struct scn *const *)b)->id);
}

/* result_from_json - a score_result for scenario s from its report.json
   object; NULL after a message when they do not fit together. */
static struct score_result *
result_from_json(const struct scn *s, const json_t *js, const char *path)
{
	const json_t *exps = json_object_get(js, "expectations"), *e;
	struct score_result *r;
	size_t k;
	int v, o;

	if (json_array_size(exps) != s->nexpects) {
		fprintf(stderr,
		    "danesim compare: %s: scenario %s has %zu expectations "
		    "in the report but %zu in its scenario file\n",
		    path, s->id, json_array_size(exps), s->nexpects);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	o = scn_outcome_from_str(jstr(js, "outcome") ?: "");
	r->outcome = o < 0 ? SCN_OUT_UNKNOWN : (enum scn_outcome)o;
	r->outcome_note =
	    jstr(js, "outcome_note") ? xstrdup(jstr(js, "outcome_note")) : NULL;
	v = verdict_from(jstr(js, "verdict"));
	r->decided = json_is_true(json_object_get(js, "decided"));
	r->exps = xcalloc(s->nexpects + 1, sizeof(*r->exps));
	r->nexps = s->nexpects;
	json_array_foreach(exps, k, e)
	{
		int ev = verdict_from(jstr(e, "verdict"));

		r->exps[k].e = &s->expects[k];
		r->exps[k].verdict =
		    ev < 0 ? SCORE_ERROR : (enum score_verdict)ev;
		r->exps[k].evidence =
		    xstrdup(jstr(e, "evidence") ? jstr(e, "evidence") : "");
		r->exps[k].reason =
		    jstr(e, "reason") ? xstrdup(jstr(e, "reason")) : NULL;
	}
	if (v < 0) {
		fprintf(stderr,
		    "danesim compare: %s: scenario %s has no "
		    "verdict\n",
		    path, s->id);
		score_result_free(r);
		return NULL;
	}
	r->verdict = (enum score_verdict)v;
	return r;
}

/* same_sut - 1 if both reports name the same SUT, version and options. */
static int
same_sut(const json_t *a, const json_t *b)
{
	return json_equal(json_object_get(a, "sut"), json_object_get(b, "sut"));
}

int
compare_merge(char *const *dirs, size_t n, const char *out_dir,
    const struct conform_profile *prof)
{
	struct conform_profile *own_prof = NULL;
	struct conform_result *cr = NULL;
	struct scn_catalogue cat;
	char why[512];
	int have_cat = 0;
	struct crun *runs = NULL;
	struct scn_suite *suites = NULL, all = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	struct score_result **res = NULL;
	struct report rep;
	struct report_counts counts;
	const json_t *sut, *run, *o, *js;
	char **opts = NULL, *sdir, sha[65];
	struct buf capnote, lognote;
	size_t i, k, nopts = 0;
	double started = 0, finished = 0, t;
	int rc = -1, interrupted = 0, cap_ok = 1, cap_an = 1, logs_ok = 1;
	int loaded;

	memset(&rep, 0, sizeof(rep));
	buf_init(&capnote);
	buf_init(&lognote);
	if (n == 0 || n > COMPARE_RUNS_MAX) {
		fprintf(stderr,
		    "danesim compare --merge: between 1 and %d "
		    "run folders\n",
		    COMPARE_RUNS_MAX);
		goto out;
	}
	if ((runs = crun_load(dirs, n)) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (!same_sut(runs[0].rep, runs[i].rep)) {
			fprintf(stderr,
			    "danesim compare --merge: %s and %s are runs of "
			    "different SUTs (or versions, or options): only "
			    "shards of one SUT's suite merge\n",
			    runs[0].path, runs[i].path);
			goto out;
		}
	suites = xcalloc(n, sizeof(*suites));
	for (i = 0; i < n; i++) {
		sdir = xasprintf("%s/scenarios", runs[i].dir);
		loaded = scn_suite_load(&suites[i], &sdir, 1, &errs);
		free(sdir);
		if (loaded < 0) {
			for (k = 0; k < errs.n; k++)
				fprintf(stderr, "%s\n", errs.msg[k]);
			fprintf(stderr,
			    "danesim compare --merge: %s: the run's scenario "
			    "copies do not load\n",
			    runs[i].dir);
			goto out;
		}
		all.items = xreallocarray(
		    all.items, all.n + suites[i].n, sizeof(*all.items));
		for (k = 0; k < suites[i].n; k++)
			all.items[all.n++] = suites[i].items[k];
	}
	if (all.n == 0) {
		fprintf(stderr, "danesim compare --merge: no scenario\n");
		goto out;
	}
	qsort(all.items, all.n, sizeof(*all.items), cmp_scn);
	for (k = 1; k < all.n; k++)
		if (strcmp(all.items[k - 1]->id, all.items[k]->id) == 0) {
			fprintf(stderr,
			    "danesim compare --merge: scenario %s is in two "
			    "of the runs: shards must not overlap\n",
			    all.items[k]->id);
			goto out;
		}
	/* The merged report counts severities as the runs did: from the
	 * requirement catalogue. */
	if (scn_suite_judge_catalogue(&all, NULL, &errs) < 0) {
		for (k = 0; k < errs.n; k++)
			fprintf(stderr, "danesim compare --merge: %s\n",
			    errs.msg[k]);
		goto out;
	}
	res = xcalloc(all.n, sizeof(*res));
	rep.scns = xcalloc(all.n, sizeof(*rep.scns));
	for (k = 0; k < all.n; k++) {
		const struct scn *s = all.items[k];

		js = NULL;
		for (i = 0; i < n && js == NULL; i++)
			js = find_scn(&runs[i], s->id);
		if (js == NULL) {
			fprintf(stderr,
			    "danesim compare --merge: scenario %s has a "
			    "scenario file but no result in any report\n",
			    s->id);
			goto out;
		}
		res[k] = result_from_json(s, js, runs[i - 1].path);
		if (res[k] == NULL)
			goto out;
		rep.scns[k].s = s;
		rep.scns[k].res = res[k];
		rep.scns[k].sut_status = jstr(js, "sut_status");
		rep.scns[k].reason = jstr(js, "undecided_reason");
		rep.scns[k].message_id = jstr(js, "message_id");
		rep.scns[k].rerun = jstr(js, "rerun");
		rep.scns[k].wireshark = jstr(js, "wireshark_filter");
	}
	rep.n = all.n;
	for (i = 0; i < n; i++) {
		if (json_array_size(json_object_get(
		        runs[i].rep, "scenarios")) != suites[i].n) {
			fprintf(stderr,
			    "danesim compare --merge: %s: the report and the "
			    "scenario copies list different scenarios\n",
			    runs[i].dir);
			goto out;
		}
		run = json_object_get(runs[i].rep, "run");
		t = jnum(run, "started_epoch");
		if (t > 0 && (started == 0 || t < started))
			started = t;
		t = jnum(run, "finished_epoch");
		if (t > finished)
			finished = t;
		interrupted |=
		    json_is_true(json_object_get(run, "interrupted"));
		o = json_object_get(run, "capture");
		cap_ok &= json_is_true(json_object_get(o, "ok"));
		cap_an &= json_is_true(json_object_get(o, "analysed"));
		buf_printf(&capnote, "%sshard %zu: %s", i > 0 ? "; " : "",
		    i + 1, jstr(o, "analysis") ?: "?");
		o = json_object_get(run, "logs");
		logs_ok &= !json_is_false(json_object_get(o, "complete"));
		if (jstr(o, "note") != NULL)
			buf_printf(&lognote, "%sshard %zu: %s",
			    lognote.len > 0 ? "; " : "", i + 1,
			    jstr(o, "note"));
	}
	sut = json_object_get(runs[0].rep, "sut");
	opts = xcalloc(json_array_size(json_object_get(sut, "options")) + 1,
	    sizeof(*opts));
	json_array_foreach(json_object_get(sut, "options"), k, o)
	{
		if (json_string_value(o) != NULL)
			opts[nopts++] = (char *)json_string_value(o);
	}
	if (suite_sha256(&all, sha) < 0) {
		fprintf(stderr, "danesim compare --merge: cannot hash the "
		                "scenario copies\n");
		goto out;
	}
	if (mkdir(out_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "danesim compare --merge: %s: %s\n", out_dir,
		    strerror(errno));
		goto out;
	}
	rep.sut_name = jstr(sut, "name");
	rep.sut_version = jstr(sut, "version");
	rep.sut_options = opts;
	rep.nsut_options = nopts;
	rep.suite_version =
	    (int)jint(json_object_get(runs[0].rep, "suite"), "version");
	if (rep.suite_version == 0)
		rep.suite_version = SCN_FORMAT_VERSION;
	rep.suite_sha256 = sha;
	rep.started = started;
	rep.finished = finished;
	rep.interrupted = interrupted;
	rep.capture_ok = cap_ok;
	rep.capture_file = NULL;
	rep.capture_note = NULL;
	rep.capture_analysed = cap_an;
	rep.capture_analysis = buf_cstr(&capnote);
	rep.logs_complete = logs_ok;
	rep.logs_note = lognote.len > 0 ? buf_cstr(&lognote) : NULL;
	rep.run_dir = out_dir;
	/* The profile and catalogue the shards kept (they are the same
	   run of one suite), unless a profile is given now. */
	if (prof == NULL) {
		sdir = xasprintf("%s/%s", runs[0].dir, REPORTS_PROFILE);
		if (access(sdir, F_OK) == 0 &&
		    (own_prof = conform_load(sdir, why, sizeof(why))) == NULL) {
			fprintf(stderr, "danesim compare --merge: %s\n", why);
			free(sdir);
			goto out;
		}
		free(sdir);
		prof = own_prof;
	}
	sdir = xasprintf("%s/%s", runs[0].dir, REPORTS_CATALOGUE);
	if (access(sdir, R_OK) != 0) {
		free(sdir);
		sdir = scn_catalogue_default();
	}
	have_cat = sdir != NULL && scn_catalogue_load(sdir, &cat) == 0;
	free(sdir);
	rep.cat = have_cat ? &cat : NULL;
	if (prof != NULL)
		cr = conform_eval(prof, (const struct scn *const *)all.items,
		    (const struct score_result *const *)res, all.n);
	rep.conform = cr;
	rep.provenance = json_object_get(runs[0].rep, "provenance");
	rc = reports_write(&rep, out_dir, NULL);
	if (rc < 0) {
		fprintf(stderr,
		    "danesim compare --merge: cannot write the "
		    "reports in %s\n",
		    out_dir);
	} else {
		report_count(&rep, &counts);
		rc = report_exit_status(&counts);
	}
out:
	conform_result_free(cr);
	conform_free(own_prof);
	if (have_cat)
		scn_catalogue_free(&cat);
	for (k = 0; res != NULL && k < all.n; k++)
		score_result_free(res[k]);
	free(res);
	free(rep.scns);
	free(opts);
	free(all.items);
	for (i = 0; suites != NULL && i < n; i++)
		scn_suite_free(&suites[i]);
	free(suites);
	scn_errors_free(&errs);
	if (runs != NULL)
		crun_free(runs, n);
	buf_free(&capnote);
	buf_free(&lognote);
	return rc;
}
