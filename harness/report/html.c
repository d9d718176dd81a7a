/*
 * html.c - report.html, the run's report for people (see html.h and
 * docs/report-schema.md). Made from the report.json tree in memory, so
 * "danesim analyse" rewrites it with the other reports; evidence
 * excerpts (the SMTP dialogue, the DNS questions and answers, the TLS
 * SNI) are gathered from the run's event logs, smtp.jsonl and dns.jsonl,
 * in the same pass of the event-log reader (evlog.h) that gives the judge
 * its facts.
 *
 * The requirement ids name sections of RFC 7672 (SMTP security via
 * opportunistic DANE TLS) and RFC 7671 (DANE updates); the page turns
 * them into "RFC 7672 section 2.2.3" next to a plain sentence.
 *
 * Output is XHTML-compatible HTML5 written with libxml2's xmlTextWriter
 * (which escapes text and attribute values); every element is closed
 * with a full end tag so HTML parsers read it the same way.
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

#include "buf.h"
#include "expkind.h"
#include "harness/judge/evlog.h"
#include "harness/report/html.h"
#include "harness/report/htmlw.h"
#include "log.h"
#include "harness/report/report.h"
#include "xmalloc.h"

#define HTML_EXCERPT_SMTP 40 /* SMTP events shown per scenario */
#define HTML_EXCERPT_DNS 12  /* DNS queries shown per scenario */

/* Excerpts of the event logs for one scenario. */
struct excerpt {
	const char *id;  /* borrowed from the suite */
	struct buf smtp; /* one event per line, raw (cleaned when written) */
	size_t nsmtp;
	size_t smtp_more; /* events left out */
	struct buf dns;
	size_t ndns;
	size_t dns_more;
	struct buf sni; /* SNI names seen, one per line */
};

/* The excerpts of every scenario of a suite (html.h). */
struct html_evidence {
	struct excerpt *ex;
	size_t n;
	json_t *map; /* id -> index in ex */
};

/* The page being written. */
struct page {
	struct htmlw h; /* first, the writer and its error flag */
	const char *run_dir;
};

static const char html_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "margin:0 auto;max-width:1200px;padding:1em 2em;color:#1d232a;"
    "background:#fff;line-height:1.45}"
    "h1{font-size:1.6em;margin:.3em 0}"
    "h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccd;"
    "padding-bottom:.2em}"
    "h3{font-size:1.05em;margin:1.2em 0 .3em}"
    ".meta{color:#555;font-size:.92em;margin:.2em 0}"
    ".banner{border-radius:6px;padding:.8em 1.2em;margin:1em 0;"
    "font-size:1.35em;font-weight:600}"
    ".banner .sub{display:block;font-size:.68em;font-weight:400;"
    "margin-top:.3em}"
    ".banner.ok{background:#e3f4e6;border:2px solid #2e8540;color:#17451f}"
    ".banner.bad{background:#fbe4e4;border:2px solid #c0262d;color:#6d0f13}"
    ".banner.warn{background:#fff4d6;border:2px solid #b07d00;"
    "color:#5a4000}"
    "table{border-collapse:collapse;width:100%;font-size:.93em}"
    "th,td{border:1px solid #d5d9de;padding:.3em .55em;text-align:left;"
    "vertical-align:top}"
    "th{background:#f1f3f5}"
    "tr.v-fail td{background:#fdf0f0}"
    "tr.v-inconclusive td,tr.v-error td{background:#fff9e6}"
    ".verdict{font-weight:700;white-space:nowrap}"
    ".v-pass .verdict{color:#2e8540}"
    ".v-fail .verdict{color:#c0262d}"
    ".v-inconclusive .verdict,.v-error .verdict{color:#8a6100}"
    ".sev-security{font-weight:600}"
    ".title{color:#444;font-size:.9em}"
    "code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
    "font-size:.88em}"
    "pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:.6em;"
    "overflow-x:auto;white-space:pre-wrap;word-break:break-all}"
    ".exp{border-left:4px solid #c0262d;padding:.1em .8em;"
    "margin:.6em 0}"
    ".exp.inconclusive,.exp.error{border-left-color:#b07d00}"
    ".exp p{margin:.25em 0}"
    ".label{font-weight:600}"
    "ul.files li{margin:.15em 0}"
    "footer{margin-top:2em;color:#777;font-size:.85em}"
    ".scope{font-weight:600;margin:.4em 0}"
    ".profile ul{font-size:.7em;font-weight:400;margin:.4em 0 0 1em}"
    "dl.glossary dt{font-weight:600;margin-top:.4em}"
    "dl.glossary dd{margin-left:1.5em}"
    ".prov td:first-child{white-space:nowrap;width:12em}";

/* text_lines - like htmlw_text, but newlines stay real line breaks (for pre;
   report_clean_text would show them as \x0A). */
static void
text_lines(struct page *pg, const char *s)
{
	const char *nl;
	char *line;

	while (s != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		htmlw_text(&pg->h, line);
		free(line);
		if (nl == NULL)
			break;
		htmlw_check(
		    &pg->h, xmlTextWriterWriteString(pg->h.w, BAD_CAST "\n"));
		s = nl + 1;
	}
}

/* textf - formatted text. */
static void __attribute__((format(printf, 2, 3)))
textf(struct page *pg, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	htmlw_text(&pg->h, buf_cstr(&b));
	buf_free(&b);
}

/* jstr - the string member key of o, or NULL. */
static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* jint - the integer member key of o, or 0. */
static long long
jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (long long)json_real_value(v);
	return 0;
}

/* verdict_word - a known verdict word, else "error" (for class names). */
static const char *
verdict_word(const char *v)
{
	static const char *const known[] = {
	    "pass", "fail", "inconclusive", "error"};
	size_t i;

	for (i = 0; v != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(v, known[i]) == 0)
			return known[i];
	return "error";
}

/* outcome_text - a scenario's outcome (report.json), one per message
   when it sent several: "message 1: delivered-tls; message 2: ...". */
static void
outcome_text(struct page *pg, const json_t *s)
{
	const json_t *a = json_object_get(s, "messages"), *t;
	long long n;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) < 2) {
		htmlw_text(&pg->h, jstr(s, "outcome") ?: "unknown");
		return;
	}
	json_array_foreach(a, i, t)
	{
		n = json_integer_value(json_object_get(t, "attempts"));
		textf(pg, "%smessage %zu: %s", i > 0 ? "; " : "", i + 1,
		    jstr(t, "outcome") ?: "unknown");
		if (n > 1)
			textf(pg, " (%lld attempts)", n);
	}
}

/* outcome_of - the outcome an expectation of scenario s speaks of: its
   message's (an outcome line with message=K), else the scenario's. */
static const char *
outcome_of(const json_t *s, const json_t *e)
{
	const json_t *a = json_object_get(s, "messages");
	const char *t = jstr(e, "text"), *p;
	long k;

	if (t != NULL && json_is_array(a) &&
	    (p = strstr(t, " message=")) != NULL) {
		k = strtol(p + 9, NULL, 10);
		if (k >= 1 && (size_t)k <= json_array_size(a))
			return jstr(
			    json_array_get(a, (size_t)k - 1), "outcome");
	}
	return jstr(s, "outcome");
}

int
html_rfc_section(const char *id, char *out, size_t outsz)
{
	const char *p, *sec, *dash;
	size_t rfc_len, sec_len, i;
	char rfc[16];

	snprintf(out, outsz, "%s", id != NULL ? id : "");
	if (id == NULL || id[0] != 'R')
		return -1;
	p = id + 1;
	rfc_len = strspn(p, "0123456789");
	if (rfc_len == 0)
		snprintf(rfc, sizeof(rfc), "7672");
	else if (rfc_len < 6)
		snprintf(rfc, sizeof(rfc), "%.*s", (int)rfc_len, p);
	else
		return -1;
	if (p[rfc_len] != '-')
		return -1;
	sec = p + rfc_len + 1;
	dash = strrchr(sec, '-');
	sec_len = dash != NULL ? (size_t)(dash - sec) : strlen(sec);
	if (sec_len == 0 || sec_len > 20)
		return -1;
	for (i = 0; i < sec_len; i++)
		if (strchr("0123456789.", sec[i]) == NULL)
			return -1;
	snprintf(out, outsz, "RFC %s section %.*s", rfc, (int)sec_len, sec);
	return 0;
}

/* expect_args - the words of an expect line after its kind, up to the
   first key=value word ("expect outcome a b req=..." -> "a b"). */
static char *
expect_args(const char *line, const char *kind)
{
	struct buf b;
	const char *p, *q;
	size_t n = 0;

	buf_init(&b);
	if (line == NULL || kind == NULL)
		return buf_steal(&b);
	p = strstr(line, kind);
	p = p != NULL ? p + strlen(kind) : line + strlen(line);
	for (;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		q = p + strcspn(p, " \t");
		if (memchr(p, '=', (size_t)(q - p)) != NULL)
			break;
		if (n++ > 0)
			buf_putc(&b, ' ');
		buf_append(&b, p, (size_t)(q - p));
		p = q;
	}
	return buf_steal(&b);
}

char *
html_explain(const char *kind, const char *line, const char *outcome)
{
	char *args = expect_args(line, kind), *s;
	const char *a = args[0] != '\0' ? args : NULL;
	int k;

	if (kind == NULL)
		kind = "";
	if (outcome == NULL)
		outcome = "unknown";
	if (strcmp(kind, "outcome") == 0 && a != NULL && strchr(a, ' ')) {
		/* "deferred bounced" -> "deferred\" or \"bounced" */
		struct buf alt;
		const char *p;

		buf_init(&alt);
		for (p = a; *p != '\0'; p++)
			if (*p == ' ')
				buf_puts(&alt, "\" or \"");
			else
				buf_putc(&alt, *p);
		free(args);
		args = buf_steal(&alt);
		a = args;
	}
	if ((k = expk_from_str(kind)) >= 0) {
		const struct expk_spec *ks = expk_spec((enum scn_expect_kind)k);
		struct buf b;
		const char *t = ks->explain;

		buf_init(&b);
		while (*t != '\0') {
			if (strncmp(t, "{args}", 6) == 0) {
				buf_puts(&b, a ? ks->arg_pre : "");
				buf_puts(&b, a ? a : ks->arg_none);
				t += 6;
			} else if (strncmp(t, "{outcome}", 9) == 0) {
				buf_puts(&b, outcome);
				t += 9;
			} else
				buf_putc(&b, *t++);
		}
		s = buf_steal(&b);
	} else
		s = xasprintf("The expectation \"%s\" was not met.", kind);
	free(args);
	return s;
}

/* exists_in - 1 if run_dir/rel exists. */
static int
exists_in(const char *run_dir, const char *rel)
{
	char *p = xasprintf("%s/%s", run_dir, rel);
	struct stat st;
	int rc = stat(p, &st) == 0;

	free(p);
	return rc;
}

/* excerpt_find - the excerpt of scenario id, or NULL. */
static struct excerpt *
excerpt_find(const struct html_evidence *hx, const char *id)
{
	json_t *k;

	if (hx == NULL || id == NULL ||
	    (k = json_object_get(hx->map, id)) == NULL)
		return NULL;
	return &hx->ex[json_integer_value(k)];
}

/* smtp_line - one transcript line for an smtp.jsonl event into b. */
static void
smtp_line(struct buf *b, const json_t *ev)
{
	const char *e = jstr(ev, "event"), *t, *p, *nl;
	long long conn = jint(ev, "conn");
	int tls = json_is_true(json_object_get(ev, "tls"));
	const char *host = jstr(ev, "host");

	if (e == NULL)
		return;
	if (strcmp(e, "connect") == 0) {
		buf_printf(b, "[conn %lld] connection to %s (%s) from %s\n",
		    conn, host ? host : "?", jstr(ev, "server") ?: "?",
		    jstr(ev, "client") ?: "?");
	} else if (strcmp(e, "command") == 0) {
		buf_printf(b, "[conn %lld] C%s: %s\n", conn,
		    tls ? " (TLS)" : "", jstr(ev, "line") ?: "");
	} else if (strcmp(e, "reply") == 0) {
		t = jstr(ev, "text") ?: "";
		p = t;
		do {
			nl = strchr(p, '\n');
			buf_printf(b, "[conn %lld] S%s: %lld%c%.*s\n", conn,
			    tls ? " (TLS)" : "", jint(ev, "code"),
			    nl ? '-' : ' ',
			    (int)(nl ? (size_t)(nl - p) : strlen(p)), p);
			p = nl ? nl + 1 : NULL;
		} while (p != NULL);
	} else if (strcmp(e, "tls") == 0) {
		if (json_is_true(json_object_get(ev, "ok")))
			buf_printf(b,
			    "[conn %lld] TLS established: %s %s, SNI %s\n",
			    conn, jstr(ev, "version") ?: "?",
			    jstr(ev, "cipher") ?: "?",
			    jstr(ev, "sni") ?: "(none)");
		else if (json_is_false(json_object_get(ev, "client_hello")))
			buf_printf(b, "[conn %lld] no ClientHello: %s%s%s\n",
			    conn, jstr(ev, "error") ?: "error",
			    jstr(ev, "alert") ? ", alert " : "",
			    jstr(ev, "alert") ?: "");
		else
			buf_printf(b,
			    "[conn %lld] TLS handshake failed: %s%s%s, "
			    "SNI %s\n",
			    conn, jstr(ev, "error") ?: "error",
			    jstr(ev, "alert") ? ", alert " : "",
			    jstr(ev, "alert") ?: "",
			    jstr(ev, "sni") ?: "(none)");
	} else if (strcmp(e, "message") == 0) {
		buf_printf(b, "[conn %lld] message stored %s (%s)\n", conn,
		    tls ? "inside TLS" : "IN CLEAR", jstr(ev, "file") ?: "?");
	} else if (strcmp(e, "disconnect") == 0) {
		buf_printf(b, "[conn %lld] closed by %s (%s)\n", conn,
		    jstr(ev, "by") ?: "?", jstr(ev, "reason") ?: "?");
	} else if (strcmp(e, "https") == 0) {
		buf_printf(b,
		    "[conn %lld] MTA-STS policy host: %s %s, answered %lld\n",
		    conn, jstr(ev, "method") ?: "?", jstr(ev, "path") ?: "?",
		    jint(ev, "status"));
	}
	/* mail, rcpt, data, starttls, quit repeat a command: left out. */
}

/* excerpt_add_sni - remember an SNI name once. */
static void
excerpt_add_sni(struct excerpt *x, const char *sni)
{
	const char *p = buf_cstr(&x->sni);
	size_t n = strlen(sni);

	while (*p != '\0') {
		if (strncmp(p, sni, n) == 0 && p[n] == '\n')
			return;
		p = strchr(p, '\n');
		p = p ? p + 1 : "";
	}
	if (x->sni.len < 4096)
		buf_printf(&x->sni, "%s\n", sni);
}

/* on_smtp - add an smtp.jsonl event to its scenario's excerpt. */
static void
on_smtp(struct excerpt *x, const json_t *ev)
{
	const char *e = jstr(ev, "event"), *sni;
	size_t before = x->smtp.len;

	/* the SNI names of SMTP sessions, not of the MTA-STS policy fetch */
	if (e != NULL && strcmp(e, "tls") == 0 &&
	    (sni = jstr(ev, "sni")) != NULL &&
	    json_object_get(ev, "proto") == NULL)
		excerpt_add_sni(x, sni);
	if (x->nsmtp >= HTML_EXCERPT_SMTP) {
		x->smtp_more++;
		return;
	}
	smtp_line(&x->smtp, ev);
	if (x->smtp.len != before)
		x->nsmtp++;
}

/* on_dns - add a dns.jsonl query to its scenario's excerpt. */
static void
on_dns(struct excerpt *x, const json_t *ev)
{
	const char *fault = jstr(ev, "fault");

	if (x->ndns >= HTML_EXCERPT_DNS) {
		x->dns_more++;
		return;
	}
	buf_printf(&x->dns, "%s %s -> %s, %lld answer record%s%s%s\n",
	    jstr(ev, "qname") ?: "?", jstr(ev, "qtype") ?: "?",
	    jstr(ev, "rcode") ?: "?", jint(ev, "answers"),
	    jint(ev, "answers") == 1 ? "" : "s",
	    fault ? " (served broken on purpose: " : "", fault ? fault : "");
	if (fault)
		buf_puts(&x->dns, ")");
	x->ndns++;
}

struct html_evidence *
html_evidence_new(const struct scn_suite *suite)
{
	struct html_evidence *hx = xcalloc(1, sizeof(*hx));
	const char *id;
	size_t i;

	hx->map = json_object();
	hx->ex = xcalloc(suite->n + 1, sizeof(*hx->ex));
	for (i = 0; i < suite->n; i++) {
		id = suite->items[i]->id;
		if (id == NULL || json_object_get(hx->map, id) != NULL)
			continue;
		json_object_set_new(
		    hx->map, id, json_integer((json_int_t)hx->n));
		hx->ex[hx->n].id = id;
		buf_init(&hx->ex[hx->n].smtp);
		buf_init(&hx->ex[hx->n].dns);
		buf_init(&hx->ex[hx->n].sni);
		hx->n++;
	}
	return hx;
}

void
html_evidence_event(
    void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw)
{
	struct html_evidence *hx = arg;
	struct excerpt *x;

	(void)flaw; /* a flawed object is still evidence to show */
	if (ev == NULL || (x = excerpt_find(hx, jstr(ev, "scenario"))) == NULL)
		return;
	if (log == EVLOG_SMTP)
		on_smtp(x, ev);
	else
		on_dns(x, ev);
}

void
html_evidence_free(struct html_evidence *hx)
{
	size_t i;

	if (hx == NULL)
		return;
	for (i = 0; i < hx->n; i++) {
		buf_free(&hx->ex[i].smtp);
		buf_free(&hx->ex[i].dns);
		buf_free(&hx->ex[i].sni);
	}
	free(hx->ex);
	json_decref(hx->map);
	free(hx);
}

/* write_head - doctype, head with the inline style, h1 and run facts. */
static void
write_head(struct page *pg, const json_t *rep)
{
	const json_t *sut = json_object_get(rep, "sut");
	const json_t *run = json_object_get(rep, "run");
	const json_t *opts = json_object_get(sut, "options"), *o;
	const char *name = jstr(sut, "name"), *ver = jstr(sut, "version");
	struct buf b;
	size_t i;

	htmlw_check(&pg->h,
	    xmlTextWriterWriteDTD(pg->h.w, BAD_CAST "html", NULL, NULL, NULL));
	htmlw_check(&pg->h, xmlTextWriterWriteString(pg->h.w, BAD_CAST "\n"));
	htmlw_start(&pg->h, "html", NULL);
	htmlw_attr(&pg->h, "lang", "en");
	htmlw_start(&pg->h, "head", NULL);
	htmlw_start(&pg->h, "meta", NULL);
	htmlw_attr(&pg->h, "charset", "utf-8");
	htmlw_check(
	    &pg->h, xmlTextWriterEndElement(pg->h.w)); /* void element */
	htmlw_start(&pg->h, "meta", NULL);
	htmlw_attr(&pg->h, "name", "viewport");
	htmlw_attr(&pg->h, "content", "width=device-width, initial-scale=1");
	htmlw_check(&pg->h, xmlTextWriterEndElement(pg->h.w));
	htmlw_start(&pg->h, "title", NULL);
	textf(pg, "danesim report: %s %s", name ? name : "unknown SUT",
	    ver ? ver : "");
	htmlw_end(&pg->h);
	htmlw_start(&pg->h, "style", NULL);
	htmlw_check(&pg->h, xmlTextWriterWriteRaw(pg->h.w, BAD_CAST html_css));
	htmlw_end(&pg->h);
	htmlw_end(&pg->h); /* head */
	htmlw_start(&pg->h, "body", NULL);
	htmlw_start(&pg->h, "h1", NULL);
	textf(pg, "DANE test report: %s%s%s", name ? name : "unknown SUT",
	    ver ? " " : "", ver ? ver : "");
	htmlw_end(&pg->h);
	htmlw_start(&pg->h, "p", "meta");
	textf(pg, "How this mail server sends mail to domains that publish "
	          "DANE records (RFC 7672): does it insist on authenticated "
	          "encryption where the receiving domain asks for it?");
	htmlw_end(&pg->h);
	buf_init(&b);
	buf_printf(&b, "Run started %s, finished %s",
	    jstr(run, "started") ?: "?", jstr(run, "finished") ?: "?");
	if (json_is_true(json_object_get(run, "interrupted")))
		buf_puts(
		    &b, " (interrupted before every scenario was decided)");
	buf_puts(&b, ". SUT options: ");
	if (json_array_size(opts) == 0)
		buf_puts(&b, "none");
	json_array_foreach(opts, i, o) buf_printf(
	    &b, "%s%s", i > 0 ? ", " : "", json_string_value(o) ?: "?");
	buf_puts(&b, ".");
	htmlw_el(&pg->h, "p", "meta", buf_cstr(&b));
	buf_reset(&b);
	buf_printf(&b, "Scenario suite SHA-256 %s",
	    jstr(json_object_get(rep, "suite"), "sha256") ?: "unknown");
	htmlw_el(&pg->h, "p", "meta", buf_cstr(&b));
	buf_free(&b);
}

/* exposures - failed security expectations that forbid an event ("never
   mail-plaintext", ...): the sender did something an attacker gains
   from, rather than failing to deliver. */
static long long
exposures(const json_t *rep)
{
	const json_t *s, *e;
	size_t i, j;
	long long n = 0;
	const char *kind, *sev;
	int k;

	json_array_foreach(json_object_get(rep, "scenarios"), i, s)
	{
		json_array_foreach(json_object_get(s, "expectations"), j, e)
		{
			kind = jstr(e, "kind");
			sev = jstr(e, "severity");
			if ((k = expk_from_str(kind)) >= 0 &&
			    expk_spec((enum scn_expect_kind)k)->never &&
			    sev != NULL && strcmp(sev, "security") == 0 &&
			    strcmp(verdict_word(jstr(e, "verdict")), "fail") ==
			        0)
				n++;
		}
	}
	return n;
}

/* write_banner - the verdict banner and the counts under it. */
static void
write_banner(struct page *pg, const json_t *rep)
{
	const json_t *sum = json_object_get(rep, "summary");
	const json_t *sc = json_object_get(sum, "scenarios");
	long long secf = jint(sum, "security_failures");
	long long fail = jint(sum, "fail"), inc = jint(sum, "inconclusive"),
	          err = jint(sum, "error");
	const char *cls = secf > 0                 ? "banner bad"
	                  : (fail + inc + err) > 0 ? "banner warn"
	                                           : "banner ok";

	htmlw_start(&pg->h, "div", cls);
	htmlw_attr(&pg->h, "id", "verdict");
	textf(pg, "Security-critical failures: %lld", secf);
	htmlw_start(&pg->h, "span", "sub");
	if (secf > 0 && exposures(rep) > 0)
		textf(pg,
		    "This sender can be made to send mail without the "
		    "protection DANE promises: %lld security "
		    "expectation%s failed.",
		    secf, secf == 1 ? "" : "s");
	else if (secf > 0)
		textf(pg,
		    "%lld security expectation%s failed: the sender did not "
		    "do what DANE requires under attack, although it never "
		    "exposed mail in clear or to a forbidden server.",
		    secf, secf == 1 ? "" : "s");
	else if (fail > 0)
		textf(pg,
		    "No security failure, but %lld interoperability "
		    "expectation%s failed: some mail would be delayed or "
		    "lost needlessly.",
		    fail, fail == 1 ? "" : "s");
	else if (inc + err > 0)
		textf(pg,
		    "No failure seen, but %lld expectation%s could not "
		    "be judged (see below).",
		    inc + err, inc + err == 1 ? "" : "s");
	else
		htmlw_text(&pg->h,
		    "Every expectation of this run passed. This says "
		    "nothing about requirements the run did not test "
		    "(see the scope below).");
	htmlw_end(&pg->h);
	htmlw_end(&pg->h);
	htmlw_start(&pg->h, "p", "scope");
	htmlw_attr(&pg->h, "id", "scope");
	textf(pg, "Scope: %s.",
	    jstr(json_object_get(rep, "scope"), "statement") ?: "unknown");
	htmlw_end(&pg->h);
	htmlw_start(&pg->h, "p", "counts");
	textf(pg,
	    "%zu scenarios: %lld pass, %lld fail, %lld inconclusive, "
	    "%lld error. %lld expectations: %lld pass, %lld fail, %lld "
	    "inconclusive, %lld error.",
	    json_array_size(json_object_get(rep, "scenarios")),
	    jint(sc, "pass"), jint(sc, "fail"), jint(sc, "inconclusive"),
	    jint(sc, "error"), jint(sum, "expectations"), jint(sum, "pass"),
	    fail, inc, err);
	htmlw_end(&pg->h);
}

/* write_profile - "meets NAME: yes/no", the statement and the clauses
   not met, when the run was judged against a conformance profile. */
static void
write_profile(struct page *pg, const json_t *rep)
{
	const json_t *p = json_object_get(rep, "profile"), *c;
	int meets = json_is_true(json_object_get(p, "meets"));
	size_t i;

	if (!json_is_object(p))
		return;
	htmlw_start(
	    &pg->h, "div", meets ? "banner ok profile" : "banner bad profile");
	htmlw_attr(&pg->h, "id", "profile");
	textf(pg, "meets %s: %s (%lld of %zu clauses met)",
	    jstr(p, "name") ?: "?", meets ? "yes" : "no",
	    (long long)json_array_size(json_object_get(p, "clauses")) -
	        jint(p, "failed_clauses"),
	    json_array_size(json_object_get(p, "clauses")));
	htmlw_start(&pg->h, "span", "sub");
	if (jstr(p, "title") != NULL)
		textf(pg, "%s. ", jstr(p, "title"));
	htmlw_text(&pg->h, jstr(p, "statement"));
	htmlw_end(&pg->h);
	if (!meets) {
		htmlw_start(&pg->h, "ul", NULL);
		json_array_foreach(json_object_get(p, "clauses"), i, c)
		{
			if (strcmp(jstr(c, "state") ?: "", "met") == 0)
				continue;
			htmlw_start(&pg->h, "li", NULL);
			htmlw_el(&pg->h, "code", NULL, jstr(c, "id") ?: "?");
			textf(pg, " %s: %s (%s)", jstr(c, "state") ?: "?",
			    jstr(c, "text") ?: "", jstr(c, "evidence") ?: "");
			htmlw_end(&pg->h);
		}
		htmlw_end(&pg->h);
	}
	htmlw_end(&pg->h);
}

/* write_glossary - the terms a reader without the RFCs meets. */
static void
write_glossary(struct page *pg)
{
	size_t i;

	htmlw_el(&pg->h, "h2", NULL, "Glossary");
	htmlw_start(&pg->h, "dl", "glossary");
	for (i = 0; report_glossary[i].term != NULL; i++) {
		htmlw_el(&pg->h, "dt", NULL, report_glossary[i].term);
		htmlw_el(&pg->h, "dd", NULL, report_glossary[i].meaning);
	}
	htmlw_end(&pg->h);
}

/* write_provenance - who judged, with what (report.json "provenance"). */
static void
write_provenance(struct page *pg, const json_t *rep)
{
	const json_t *pv = json_object_get(rep, "provenance"), *v;
	const char *k;

	if (!json_is_object(pv))
		return;
	htmlw_el(&pg->h, "h2", NULL, "Provenance");
	htmlw_start(&pg->h, "table", "prov");
	htmlw_attr(&pg->h, "id", "provenance");
	json_object_foreach((json_t *)pv, k, v)
	{
		if (!json_is_string(v))
			continue;
		htmlw_start(&pg->h, "tr", NULL);
		htmlw_el(&pg->h, "td", NULL, k);
		htmlw_start(&pg->h, "td", NULL);
		if (strchr(json_string_value(v), '\n') != NULL) {
			htmlw_start(&pg->h, "pre", NULL);
			text_lines(pg, json_string_value(v));
			htmlw_end(&pg->h);
		} else
			htmlw_text(&pg->h, json_string_value(v));
		htmlw_end(&pg->h);
		htmlw_end(&pg->h);
	}
	htmlw_end(&pg->h);
}

/* failed_reqs - the requirement ids of the non-passing expectations. */
static void
failed_reqs(struct buf *b, const json_t *scn)
{
	const json_t *e, *r;
	size_t i, j;
	int n = 0;

	json_array_foreach(json_object_get(scn, "expectations"), i, e)
	{
		if (strcmp(verdict_word(jstr(e, "verdict")), "pass") == 0)
			continue;
		json_array_foreach(json_object_get(e, "requirements"), j, r)
		{
			const char *id = json_string_value(r);

			if (id == NULL || strstr(buf_cstr(b), id) != NULL)
				continue;
			buf_printf(b, "%s%s", n++ > 0 ? ", " : "", id);
		}
	}
}

/* write_table - one row per scenario. */
static void
write_table(struct page *pg, const json_t *scns)
{
	static const char *const cols[] = {"Scenario", "What is tested",
	    "Severity", "Outcome", "Verdict", "Failed requirements"};
	const json_t *s;
	struct buf b;
	size_t i, c;
	char *cls, *anchor;

	htmlw_el(&pg->h, "h2", NULL, "Scenarios");
	htmlw_start(&pg->h, "table", "scenarios");
	htmlw_attr(&pg->h, "id", "scenarios");
	htmlw_start(&pg->h, "thead", NULL);
	htmlw_start(&pg->h, "tr", NULL);
	for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		htmlw_el(&pg->h, "th", NULL, cols[c]);
	htmlw_end(&pg->h);
	htmlw_end(&pg->h);
	htmlw_start(&pg->h, "tbody", NULL);
	buf_init(&b);
	json_array_foreach(scns, i, s)
	{
		const char *v = verdict_word(jstr(s, "verdict"));
		const char *sev = jstr(s, "severity") ?: "?";

		cls = xasprintf("v-%s", v);
		htmlw_start(&pg->h, "tr", cls);
		free(cls);
		htmlw_attr(&pg->h, "data-scenario", jstr(s, "id") ?: "");
		htmlw_start(&pg->h, "td", NULL);
		if (strcmp(v, "pass") != 0) {
			htmlw_start(&pg->h, "a", NULL);
			anchor = xasprintf("#detail-%zu", i);
			htmlw_attr(&pg->h, "href", anchor);
			free(anchor);
			htmlw_text(&pg->h, jstr(s, "id") ?: "?");
			htmlw_end(&pg->h);
		} else {
			htmlw_el(&pg->h, "code", NULL, jstr(s, "id") ?: "?");
		}
		htmlw_end(&pg->h);
		htmlw_el(&pg->h, "td", "title", jstr(s, "title") ?: "");
		cls = xasprintf("sev-%s",
		    strcmp(sev, "security") == 0 ? "security" : "interop");
		htmlw_el(&pg->h, "td", cls, sev);
		free(cls);
		htmlw_start(&pg->h, "td", NULL);
		outcome_text(pg, s);
		if (!json_is_true(json_object_get(s, "decided")))
			htmlw_text(&pg->h, " (undecided)");
		htmlw_end(&pg->h);
		htmlw_start(&pg->h, "td", "verdict");
		htmlw_text(&pg->h, strcmp(v, "pass") == 0 ? "pass" : v);
		htmlw_end(&pg->h);
		buf_reset(&b);
		failed_reqs(&b, s);
		htmlw_el(&pg->h, "td", NULL, b.len > 0 ? buf_cstr(&b) : "-");
		htmlw_end(&pg->h);
	}
	buf_free(&b);
	htmlw_end(&pg->h);
	htmlw_end(&pg->h);
}

/* write_pre - a labelled preformatted excerpt. */
static void
write_pre(struct page *pg, const char *label, const char *body, size_t more)
{
	htmlw_start(&pg->h, "p", "label");
	htmlw_text(&pg->h, label);
	htmlw_end(&pg->h);
	htmlw_start(&pg->h, "pre", NULL);
	text_lines(pg, body);
	if (more > 0)
		textf(pg, "... %zu more event%s in the log\n", more,
		    more == 1 ? "" : "s");
	htmlw_end(&pg->h);
}

/* messages_html - the outcome of each message of a scenario that sent
   several (report.json's "messages"). */
static void
messages_html(struct page *pg, json_t *a)
{
	json_t *t;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) < 2)
		return;
	htmlw_start(&pg->h, "ul", "messages");
	json_array_foreach(a, i, t)
	{
		htmlw_start(&pg->h, "li", NULL);
		textf(pg,
		    "Message %lld (sent in attempt %lld): %s (%s; the "
		    "SUT said %s).",
		    (long long)json_integer_value(json_object_get(t, "n")),
		    (long long)json_integer_value(
		        json_object_get(t, "attempt")),
		    jstr(t, "outcome") ?: "unknown",
		    jstr(t, "outcome_note") ?: "no note",
		    jstr(t, "sut_status") ?: "unknown");
		htmlw_end(&pg->h);
	}
	htmlw_end(&pg->h);
}

/* attempts_html - the delivery attempts of a scenario (report.json's
   "attempts"), when there was more than one. */
static void
attempts_html(struct page *pg, json_t *a)
{
	json_t *t;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) < 2)
		return;
	htmlw_start(&pg->h, "ol", "attempts");
	json_array_foreach(a, i, t)
	{
		htmlw_start(&pg->h, "li", NULL);
		textf(pg, "Attempt %lld: %s (the SUT said %s).",
		    (long long)json_integer_value(json_object_get(t, "n")),
		    jstr(t, "what") ?: "?", jstr(t, "sut_status") ?: "unknown");
		htmlw_end(&pg->h);
	}
	htmlw_end(&pg->h);
}

/* write_details - for each scenario not passed: why, in words, with
   the RFC section, the evidence and the log excerpts. */
static void
write_details(
    struct page *pg, const json_t *scns, const struct html_evidence *hx)
{
	const json_t *s, *e, *r;
	size_t i, j, k, shown = 0;
	char sec[96], *sentence, *anchor;
	struct excerpt *x;
	struct buf b;

	htmlw_el(&pg->h, "h2", NULL, "What went wrong");
	buf_init(&b);
	json_array_foreach(scns, i, s)
	{
		const char *v = verdict_word(jstr(s, "verdict"));

		if (strcmp(v, "pass") == 0)
			continue;
		shown++;
		htmlw_start(&pg->h, "section", "detail");
		anchor = xasprintf("detail-%zu", i);
		htmlw_attr(&pg->h, "id", anchor);
		free(anchor);
		htmlw_start(&pg->h, "h3", NULL);
		textf(pg, "%s: %s", jstr(s, "id") ?: "?", v);
		htmlw_end(&pg->h);
		htmlw_el(&pg->h, "p", "title", jstr(s, "title"));
		htmlw_start(&pg->h, "p", NULL);
		textf(pg, "Outcome: %s%s%s%s", jstr(s, "outcome") ?: "unknown",
		    jstr(s, "outcome_note") ? " (" : "",
		    jstr(s, "outcome_note") ?: "",
		    jstr(s, "outcome_note") ? ")." : ".");
		htmlw_end(&pg->h);
		messages_html(pg, json_object_get(s, "messages"));
		attempts_html(pg, json_object_get(s, "attempts"));
		if (jstr(s, "undecided_reason") != NULL) {
			htmlw_start(&pg->h, "p", NULL);
			textf(pg, "Not decided: %s.",
			    jstr(s, "undecided_reason"));
			htmlw_end(&pg->h);
		}
		json_array_foreach(json_object_get(s, "expectations"), j, e)
		{
			const char *ev = verdict_word(jstr(e, "verdict"));
			/* an observation (severity info): shown, not
			 * counted */
			int obs = jstr(e, "severity") != NULL &&
			          strcmp(jstr(e, "severity"), "info") == 0;

			if (strcmp(ev, "pass") == 0)
				continue;
			htmlw_start(&pg->h, "div",
			    obs                       ? "exp info inconclusive"
			    : strcmp(ev, "fail") == 0 ? "exp fail"
			                              : "exp inconclusive");
			htmlw_start(&pg->h, "p", NULL);
			if (obs)
				htmlw_text(&pg->h, "Observation (severity "
				                   "info, not counted): ");
			sentence = html_explain(
			    jstr(e, "kind"), jstr(e, "text"), outcome_of(s, e));
			if (strcmp(ev, "fail") == 0)
				htmlw_text(&pg->h, sentence);
			else
				textf(pg, "Could not be judged (%s): %s", ev,
				    jstr(e, "reason") ?: "no reason given");
			free(sentence);
			htmlw_end(&pg->h);
			buf_reset(&b);
			json_array_foreach(
			    json_object_get(e, "requirements"), k, r)
			{
				html_rfc_section(
				    json_string_value(r), sec, sizeof(sec));
				buf_printf(&b, "%s%s (%s)", k > 0 ? "; " : "",
				    sec, json_string_value(r) ?: "?");
			}
			htmlw_start(&pg->h, "p", NULL);
			htmlw_el(&pg->h, "span", "label", "Requirement: ");
			textf(pg, "%s, severity %s.",
			    b.len > 0 ? buf_cstr(&b) : "none given",
			    jstr(e, "severity") ?: "?");
			htmlw_end(&pg->h);
			htmlw_start(&pg->h, "p", NULL);
			htmlw_el(&pg->h, "span", "label", "Evidence: ");
			htmlw_text(
			    &pg->h, jstr(e, "evidence") ?: "none recorded");
			htmlw_end(&pg->h);
			htmlw_start(&pg->h, "p", NULL);
			htmlw_el(&pg->h, "span", "label", "Scenario line: ");
			htmlw_start(&pg->h, "code", NULL);
			textf(pg, "%lld: %s", jint(e, "line"),
			    jstr(e, "text") ?: "");
			htmlw_end(&pg->h);
			htmlw_end(&pg->h);
			htmlw_end(&pg->h); /* div.exp */
		}
		if (jstr(s, "rerun") != NULL) {
			htmlw_start(&pg->h, "p", "rerun");
			htmlw_el(&pg->h, "span", "label", "Rerun just this: ");
			htmlw_el(&pg->h, "code", NULL, jstr(s, "rerun"));
			htmlw_end(&pg->h);
		}
		if (jstr(s, "wireshark_filter") != NULL) {
			htmlw_start(&pg->h, "p", "wireshark");
			htmlw_el(&pg->h, "span", "label",
			    "Wireshark display filter (capture.pcapng): ");
			htmlw_el(
			    &pg->h, "code", NULL, jstr(s, "wireshark_filter"));
			htmlw_end(&pg->h);
		}
		x = excerpt_find(hx, jstr(s, "id"));
		if (x != NULL && x->sni.len > 0)
			write_pre(pg, "TLS server names (SNI) the sender sent:",
			    buf_cstr(&x->sni), 0);
		if (x != NULL && x->smtp.len > 0)
			write_pre(pg,
			    "SMTP dialogue seen by the fake MX servers "
			    "(C: sender, S: server):",
			    buf_cstr(&x->smtp), x->smtp_more);
		else
			htmlw_el(&pg->h, "p", NULL,
			    "The fake MX servers saw no SMTP connection for "
			    "this scenario.");
		if (x != NULL && x->dns.len > 0)
			write_pre(pg,
			    "DNS questions the sender's resolver asked "
			    "for this scenario:",
			    buf_cstr(&x->dns), x->dns_more);
		htmlw_end(&pg->h); /* section */
	}
	if (shown == 0)
		htmlw_el(&pg->h, "p", NULL, "Nothing: every scenario passed.");
	buf_free(&b);
}

/* write_files - relative links to what the run folder holds. */
static void
write_files(struct page *pg, const char *run_dir)
{
	static const struct {
		const char *file, *what;
	} files[] = {
	    {"report.json", "the complete record, for programs"},
	    {"junit.xml", "for CI systems"},
	    {"summary.md", "the table in Markdown"},
	    {"capture.pcapng", "packet capture with the TLS keys inside: "
	                       "Wireshark decrypts it as it opens"},
	    {"capture.pcap", "packet capture of the whole run (Wireshark)"},
	    {"tls-keys.log", "TLS keys to decrypt the capture"},
	    {"smtp.jsonl", "every SMTP event at the fake MX servers"},
	    {"dns.jsonl", "every DNS query the fake DNS servers answered"},
	    {"sut-steps.log", "what the SUT's profile steps printed"},
	    {"sut/", "the SUT's own files and logs"},
	    {"mail/", "messages the fake MX servers stored"},
	    {"scenarios/", "the scenario files of this run"},
	    {"run.json", "how the run went"},
	    {"sut-config.txt", "the SUT's effective configuration"},
	    {"SHA256SUMS", "hashes of every file (danesim verify)"},
	    {"SHA256SUMS.sig", "SSH signature over SHA256SUMS"},
	};
	size_t i;

	htmlw_el(&pg->h, "h2", NULL, "Files of this run");
	htmlw_start(&pg->h, "ul", "files");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!exists_in(run_dir, files[i].file))
			continue;
		htmlw_start(&pg->h, "li", NULL);
		htmlw_start(&pg->h, "a", NULL);
		htmlw_attr(&pg->h, "href", files[i].file);
		htmlw_text(&pg->h, files[i].file);
		htmlw_end(&pg->h);
		textf(pg, " - %s", files[i].what);
		htmlw_end(&pg->h);
	}
	htmlw_end(&pg->h);
}

/* write_page - the whole document from rep and the excerpts into pg. */
static void
write_page(struct page *pg, const json_t *rep, const struct html_evidence *hx)
{
	const json_t *scns = json_object_get(rep, "scenarios");
	const json_t *run = json_object_get(rep, "run");

	write_head(pg, rep);
	write_profile(pg, rep);
	write_banner(pg, rep);
	write_table(pg, scns);
	write_details(pg, scns, hx);
	write_files(pg, pg->run_dir);
	write_provenance(pg, rep);
	write_glossary(pg);
	htmlw_start(&pg->h, "footer", NULL);
	textf(pg, "Capture: %s. Event logs: %s. Written by danesim.",
	    jstr(json_object_get(run, "capture"), "analysis") ?: "unknown",
	    json_is_false(
	        json_object_get(json_object_get(run, "logs"), "complete"))
	        ? "incomplete"
	        : "complete");
	htmlw_end(&pg->h);
	htmlw_end(&pg->h); /* body */
	htmlw_end(&pg->h); /* html */
	htmlw_check(&pg->h, xmlTextWriterWriteString(pg->h.w, BAD_CAST "\n"));
	htmlw_check(&pg->h, xmlTextWriterFlush(pg->h.w));
}

int
html_write_report(
    const char *run_dir, const json_t *rep, const struct html_evidence *hx)
{
	char *dst = xasprintf("%s/report.html", run_dir);
	char *tmp = xasprintf("%s/.report.html.tmp", run_dir);
	struct page pg = {{NULL, 0}, run_dir};
	int rc = -1;

	if (!json_is_object(rep) ||
	    !json_is_array(json_object_get(rep, "scenarios"))) {
		log_errx(
		    "%s: not written: the report has no scenarios array", dst);
		goto out;
	}
	pg.h.w = xmlNewTextWriterFilename(tmp, 0);
	if (pg.h.w == NULL) {
		log_errx("%s: cannot write", tmp);
		goto out;
	}
	write_page(&pg, rep, hx);
	xmlFreeTextWriter(pg.h.w);
	if (pg.h.err) {
		log_errx("%s: write failed", tmp);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, dst) < 0) {
		log_err("rename %s", dst);
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(dst);
	free(tmp);
	return rc;
}
