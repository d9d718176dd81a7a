/*
 * report.c - report.json (jansson), junit.xml (libxml2 xmlTextWriter),
 * summary.md and the terminal summary of a judged run.
 *
 * The formats are documented in docs/report-schema.md. No RFC is
 * implemented here; the requirement ids of docs/rfc7672-requirements.md
 * are carried through to every report line.
 */
#include <errno.h>
#include <jansson.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/report/report.h"
#include "buf.h"
#include "log.h"
#include "harness/report/provenance.h"
#include "version.h"
#include "xmalloc.h"

/* utf8_next - decode one UTF-8 sequence at s (n bytes left); returns its
   length and the code point, or 0 if invalid. */
static size_t
utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

char *
report_clean_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, len;
	unsigned long cp;
	struct buf b;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	buf_init(&b);
	buf_puts(&b, "");
	while (n > 0) {
		len = utf8_next(p, n, &cp);
		if (len == 0) {
			buf_printf(&b, "\\x%02X", p[0]);
			p++;
			n--;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			buf_printf(&b, "\\x%02lX", cp);
		else if (cp == 0xfffe || cp == 0xffff)
			buf_printf(&b, "\\u{%04lX}", cp);
		else
			buf_append(&b, p, len);
		p += len;
		n -= len;
	}
	return buf_steal(&b);
}

enum scn_severity
report_exp_severity(const struct scn *s, const struct scn_expect *e)
{
	return scn_expect_severity(s, e);
}

/* is_info - x is an observation (severity info): reported, never
   counted. */
static int
is_info(const struct report_scn *rs, const struct score_exp *x)
{
	return report_exp_severity(rs->s, x->e) == SCN_SEV_INFO;
}

/* info_total - how many observations c counted. */
static size_t
info_total(const struct report_counts *c)
{
	size_t i, n = 0;

	for (i = 0; i < SCORE__COUNT; i++)
		n += c->sev[SCN_SEV_INFO][i];
	return n;
}

/* exp_reqs - the requirement ids of an expectation (its own or the
   scenario's); *n gets their number. */
static char *const *
exp_reqs(const struct scn *s, const struct scn_expect *e, size_t *n)
{
	if (e->nreq > 0) {
		*n = e->nreq;
		return e->req;
	}
	*n = s->nreq;
	return s->req;
}

/* exp_expect - what r's expect set makes of expectation x of rs; *want,
 *reason, *entry as expect_lookup_exp gives them (any may be NULL). */
static enum expect_result
exp_expect(const struct report *r, const struct report_scn *rs,
    const struct score_exp *x, enum expect_want *want, const char **reason,
    int *entry)
{
	enum expect_want w;
	int by_line;

	w = expect_lookup_exp(
	    r->expect, rs->s->id, x->e->line, reason, entry, &by_line);
	if (want != NULL)
		*want = w;
	return expect_judge(
	    w, by_line, x->verdict, rs->res->verdict == SCORE_FAIL);
}

void
report_count(const struct report *r, struct report_counts *c)
{
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->have_expect = r->expect != NULL;
	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];

		c->scn_v[rs->res->verdict]++;
		for (j = 0; j < rs->res->nexps; j++) {
			const struct score_exp *x = &rs->res->exps[j];
			enum scn_severity sev =
			    report_exp_severity(rs->s, x->e);

			c->total++;
			c->sev[sev][x->verdict]++;
			/* An observation (severity info) is reported, never
			 * counted: no failure, no exit status. */
			if (sev == SCN_SEV_INFO)
				continue;
			c->v[x->verdict]++;
			if (x->verdict == SCORE_FAIL && sev == SCN_SEV_SECURITY)
				c->security_failures++;
			if (c->have_expect)
				c->xr[exp_expect(r, rs, x, NULL, NULL, NULL)]++;
		}
	}
}

int
report_exit_status(const struct report_counts *c)
{
	if (c->have_expect) {
		if (c->xr[EXPECT_R_REGRESSION] + c->xr[EXPECT_R_XPASS] > 0)
			return 1;
	} else if (c->v[SCORE_FAIL] > 0)
		return 1;
	if (c->v[SCORE_INCONCLUSIVE] > 0 || c->v[SCORE_ERROR] > 0)
		return 3;
	return 0;
}

const struct report_term report_glossary[] = {
    {"DANE", "DNS-Based Authentication of Named Entities: the receiving "
             "domain publishes, in DNSSEC-signed DNS, which certificate or "
             "key its mail servers use, so a sender can insist on "
             "encryption and check it is talking to the right server "
             "(RFC 7672 for SMTP)."},
    {"TLSA", "the DNS record type that carries this: at "
             "_25._tcp.<mail server name>, a usage, selector, matching "
             "type and the hash of a certificate or key."},
    {"DANE-EE (TLSA 3 x x)", "the record names the mail server's own "
                             "key or certificate; names and expiry dates "
                             "in the certificate do not matter."},
    {"DANE-TA (TLSA 2 x x)", "the record names a certificate authority "
                             "of the domain's own; the server's "
                             "certificate must chain to it and carry the "
                             "right name."},
    {"DNSSEC, RRSIG", "DNS signatures: an RRSIG record signs a set of "
                      "records; a resolver that validates them can tell "
                      "a genuine answer from a forged, expired or "
                      "stripped one."},
    {"STARTTLS", "the SMTP command that turns a plaintext connection "
                 "into an encrypted one; an attacker can strip the "
                 "offer, which DANE defeats."},
    {"security (severity)", "a failure lets an active attacker read or "
                            "change mail that a compliant sender would "
                            "have protected."},
    {"interop (severity)", "interoperability: a failure delays or loses "
                           "mail needlessly, but gives an attacker "
                           "nothing."},
    {"catalogue row", "one requirement of RFC 7672 (or an RFC it relies "
                      "on) in docs/rfc7672-requirements.md, with the "
                      "section it comes from; scenarios cite these ids."},
    {NULL, NULL},
};

/* row_cited - whether a scenario of the report cites id, in its header
   or in an expectation (as `danesim coverage` counts). */
static int
row_cited(const struct report *r, const char *id)
{
	size_t i, j, k;
	const struct scn *s;

	for (i = 0; i < r->n; i++) {
		s = r->scns[i].s;
		for (k = 0; k < s->nreq; k++)
			if (strcmp(s->req[k], id) == 0)
				return 1;
		for (j = 0; j < s->nexpects; j++)
			for (k = 0; k < s->expects[j].nreq; k++)
				if (strcmp(s->expects[j].req[k], id) == 0)
					return 1;
	}
	return 0;
}

int
report_scope(const struct report *r, struct report_scope *sc)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	if (r->cat == NULL)
		return -1;
	for (i = 0; i < r->cat->n; i++) {
		const struct scn_catalogue_entry *e = &r->cat->e[i];
		int sec = strstr(e->severity, "SEC") != NULL;
		int cov = e->untestable == NULL && row_cited(r, e->id);

		sc->rows++;
		sc->sec_rows += sec;
		sc->covered += cov;
		sc->sec_covered += sec && cov;
	}
	return 0;
}

void
report_scope_line(const struct report *r, struct buf *b)
{
	struct report_scope sc;

	if (report_scope(r, &sc) < 0) {
		buf_puts(b, "the scope of this run is unknown: no requirement "
		            "catalogue was found");
		return;
	}
	buf_printf(b,
	    "this run covered %zu of %zu catalogue rows, %zu of %zu "
	    "security rows",
	    sc.covered, sc.rows, sc.sec_covered, sc.sec_rows);
}

/* jstr - a cleaned JSON string, or null. */
static json_t *
jstr(const char *s)
{
	char *c;
	json_t *j;

	if (s == NULL)
		return json_null();
	c = report_clean_text(s);
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

/* jstrs - a JSON array of cleaned strings. */
static json_t *
jstrs(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

/* sane_time - t when it is a plausible time (epoch .. year 9999), else 0;
   the times come from run.json, which may be garbled. */
static double
sane_time(double t)
{
	return t > 0 && t < 253402300800.0 ? t : 0;
}

/* run_secs - the run's duration in seconds, 0 when unknown. */
static double
run_secs(const struct report *r)
{
	double a = sane_time(r->started), b = sane_time(r->finished);

	return a > 0 && b > a ? b - a : 0;
}

/* iso_time - "2026-11-29T00:00:00Z" for t into out, or "" if unknown. */
static void
iso_time(double t, char *out, size_t outsz)
{
	struct tm tm;
	time_t tt;

	out[0] = '\0';
	if (sane_time(t) == 0)
		return;
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* jtime - the time as an ISO string, or null. */
static json_t *
jtime(double t)
{
	char s[32];

	iso_time(t, s, sizeof(s));
	return s[0] ? json_string(s) : json_null();
}

/* counts_json - {"pass":..,"fail":..,"inconclusive":..,"error":..}. */
static json_t *
counts_json(const size_t *v)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < SCORE__COUNT; i++)
		json_object_set_new(o, score_verdict_str((enum score_verdict)i),
		    json_integer((json_int_t)v[i]));
	return o;
}

/* expected_json - {"want", "reason", "entry", "result"}: what the expect
   set wanted of x and what came of it. */
static json_t *
expected_json(const struct report *r, const struct report_scn *rs,
    const struct score_exp *x)
{
	json_t *o = json_object();
	enum expect_want want;
	enum expect_result res;
	const char *reason;
	int entry;

	res = exp_expect(r, rs, x, &want, &reason, &entry);
	json_object_set_new(
	    o, "want", json_string(want == EXPECT_XFAIL ? "fail" : "pass"));
	json_object_set_new(o, "reason", jstr(reason));
	json_object_set_new(
	    o, "entry", entry > 0 ? json_integer(entry) : json_null());
	json_object_set_new(o, "result", json_string(expect_result_str(res)));
	return o;
}

/* exp_json - one expectation of the report. */
static json_t *
exp_json(const struct report *r, const struct report_scn *rs,
    const struct score_exp *x)
{
	json_t *o = json_object();
	const struct scn *s = rs->s;
	size_t nreq;
	char *const *req = exp_reqs(s, x->e, &nreq);

	json_object_set_new(
	    o, "kind", json_string(scn_expect_kind_str(x->e->kind)));
	json_object_set_new(o, "requirements", jstrs(req, nreq));
	json_object_set_new(o, "severity",
	    json_string(scn_severity_str(report_exp_severity(s, x->e))));
	json_object_set_new(o, "text", jstr(x->e->text));
	json_object_set_new(o, "line", json_integer(x->e->line));
	if (x->e->when.unit == SCN_WHEN_ATTEMPTS)
		json_object_set_new(o, "attempts", scn_when_json(&x->e->when));
	json_object_set_new(
	    o, "verdict", json_string(score_verdict_str(x->verdict)));
	json_object_set_new(o, "evidence", jstr(x->evidence));
	json_object_set_new(o, "reason", jstr(x->reason));
	if (r->expect != NULL)
		json_object_set_new(o, "expected", expected_json(r, rs, x));
	return o;
}

/* scn_json - one scenario of the report. */
/* hosts_json - "mx1, mx2" as ["mx1", "mx2"]. */
static json_t *
hosts_json(const char *hosts)
{
	json_t *a = json_array();
	const char *p = hosts ? hosts : "";
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, ",");
		json_array_append_new(a, json_stringn(p, n));
		p += n;
		p += strspn(p, ", ");
	}
	return a;
}

/* attempts_json - the scenario's delivery attempts (report-schema.md). */
static json_t *
attempts_json(const struct report_scn *rs)
{
	json_t *a = json_array(), *o;
	size_t i;

	for (i = 0; i < rs->nattempts; i++) {
		const struct report_attempt *t = &rs->attempts[i];

		o = json_object();
		json_object_set_new(o, "n", json_integer(t->n));
		json_object_set_new(o, "started", json_real(t->started));
		json_object_set_new(o, "ended",
		    t->ended > 0 ? json_real(t->ended) : json_null());
		json_object_set_new(o, "sut_status",
		    json_string(scn_sut_str(scn_sut_from_str(t->sut_status))));
		json_object_set_new(o, "hosts", hosts_json(t->hosts));
		json_object_set_new(
		    o, "connections", json_integer((json_int_t)t->nconns));
		json_object_set_new(o, "what", jstr(t->what));
		json_array_append_new(a, o);
	}
	return a;
}

void
report_outcome_text(const struct report_scn *rs, struct buf *b, int compact)
{
	size_t k;

	if (rs->res->nmsgs == 0) {
		buf_puts(b, scn_outcome_str(rs->res->outcome));
		return;
	}
	for (k = 0; compact && k < rs->res->nmsgs; k++)
		buf_printf(b, "%s%zu:%s", k > 0 ? "," : "", k + 1,
		    scn_outcome_str(rs->res->msgs[k].outcome));
	for (k = 0; !compact && k < rs->res->nmsgs; k++) {
		buf_printf(b, "%smessage %zu: %s", k > 0 ? "; " : "", k + 1,
		    scn_outcome_str(rs->res->msgs[k].outcome));
		if (k < rs->nmessages && rs->messages[k].attempts > 1)
			buf_printf(
			    b, " (%d attempts)", rs->messages[k].attempts);
	}
}

/* messages_json - the outcome of each message of a scenario that sent
 * several (report-schema.md). */
static json_t *
messages_json(const struct report_scn *rs)
{
	json_t *a = json_array(), *o;
	size_t k;

	for (k = 0; k < rs->res->nmsgs; k++) {
		const struct report_message *m =
		    k < rs->nmessages ? &rs->messages[k] : NULL;

		o = json_object();
		json_object_set_new(o, "n", json_integer((json_int_t)k + 1));
		json_object_set_new(
		    o, "message_id", jstr(m ? m->message_id : NULL));
		json_object_set_new(o, "attempt",
		    m && m->attempt > 0 ? json_integer(m->attempt)
		                        : json_null());
		json_object_set_new(o, "injected_at",
		    m && m->injected_at > 0 ? json_real(m->injected_at)
		                            : json_null());
		json_object_set_new(o, "attempts",
		    m && m->attempts > 0 ? json_integer(m->attempts)
		                         : json_null());
		json_object_set_new(o, "sut_status",
		    json_string(scn_sut_str(
		        scn_sut_from_str(m ? m->sut_status : NULL))));
		json_object_set_new(o, "outcome",
		    json_string(scn_outcome_str(rs->res->msgs[k].outcome)));
		json_object_set_new(
		    o, "outcome_note", jstr(rs->res->msgs[k].note));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
scn_json(const struct report *r, const struct report_scn *rs)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;

	json_object_set_new(o, "id", jstr(rs->s->id));
	json_object_set_new(o, "title", jstr(rs->s->title));
	json_object_set_new(
	    o, "severity", json_string(scn_severity_str(rs->s->severity)));
	json_object_set_new(o, "requirements", jstrs(rs->s->req, rs->s->nreq));
	json_object_set_new(o, "tags", jstrs(rs->s->tags, rs->s->ntags));
	json_object_set_new(
	    o, "outcome", json_string(scn_outcome_str(rs->res->outcome)));
	json_object_set_new(o, "outcome_note", jstr(rs->res->outcome_note));
	json_object_set_new(
	    o, "verdict", json_string(score_verdict_str(rs->res->verdict)));
	json_object_set_new(o, "decided", json_boolean(rs->res->decided));
	json_object_set_new(o, "undecided_reason",
	    rs->res->decided ? json_null() : jstr(rs->reason));
	json_object_set_new(o, "sut_status",
	    json_string(scn_sut_str(scn_sut_from_str(rs->sut_status))));
	json_object_set_new(o, "message_id", jstr(rs->message_id));
	json_object_set_new(o, "rerun", jstr(rs->rerun));
	json_object_set_new(o, "wireshark_filter", jstr(rs->wireshark));
	json_object_set_new(o, "attempts", attempts_json(rs));
	if (rs->res->nmsgs > 1)
		json_object_set_new(o, "messages", messages_json(rs));
	for (i = 0; i < rs->res->nexps; i++)
		json_array_append_new(a, exp_json(r, rs, &rs->res->exps[i]));
	json_object_set_new(o, "expectations", a);
	return o;
}

/* profile_json - the conformance profile's verdict. */
static json_t *
profile_json(const struct conform_result *cr)
{
	json_t *o = json_object(), *a = json_array(), *c;
	const struct conform_profile *p = cr->p;
	size_t i;

	json_object_set_new(o, "name", jstr(p->name));
	json_object_set_new(o, "title", jstr(p->title));
	json_object_set_new(o, "statement", jstr(p->statement));
	json_object_set_new(o, "file", jstr(p->path));
	json_object_set_new(o, "meets", json_boolean(cr->meets));
	json_object_set_new(
	    o, "failed_clauses", json_integer((json_int_t)cr->nfailed));
	for (i = 0; i < p->n; i++) {
		c = json_object();
		json_object_set_new(c, "kind",
		    json_string(p->c[i].kind == CONFORM_REQUIRE ? "require"
		                                                : "scenario"));
		json_object_set_new(c, "id", jstr(p->c[i].id));
		json_object_set_new(c, "text", jstr(p->c[i].text));
		json_object_set_new(
		    c, "state", json_string(conform_state_str(cr->state[i])));
		json_object_set_new(c, "evidence", jstr(cr->why[i]));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "clauses", a);
	return o;
}

/* scope_json - what the run covered of the catalogue. */
static json_t *
scope_json(const struct report *r)
{
	json_t *o = json_object();
	struct report_scope sc;
	struct buf b;

	buf_init(&b);
	report_scope_line(r, &b);
	if (report_scope(r, &sc) == 0) {
		json_object_set_new(o, "catalogue", jstr(r->cat->path));
		json_object_set_new(
		    o, "catalogue_rows", json_integer((json_int_t)sc.rows));
		json_object_set_new(
		    o, "rows_covered", json_integer((json_int_t)sc.covered));
		json_object_set_new(
		    o, "security_rows", json_integer((json_int_t)sc.sec_rows));
		json_object_set_new(o, "security_rows_covered",
		    json_integer((json_int_t)sc.sec_covered));
	} else
		json_object_set_new(o, "catalogue", json_null());
	json_object_set_new(o, "statement", jstr(buf_cstr(&b)));
	buf_free(&b);
	return o;
}

/* tmp_path - "<path>.tmp" (new string). */
static char *
tmp_path(const char *path)
{
	return xasprintf("%s.tmp", path);
}

/* commit_file - rename tmp into path; 0 or -1 (logged). */
static int
commit_file(const char *tmp, const char *path)
{
	if (rename(tmp, path) == -1) {
		log_warn("report: rename %s to %s", tmp, path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* capture_json - run.capture's stats and disagreements into a. */
static void
capture_json(const struct report *r, json_t *a)
{
	json_object_set_new(a, "stats",
	    r->capture_have_stats
	        ? json_pack("{s:I,s:I,s:I,s:I}", "packets",
	              (json_int_t)r->capture_packets, "ps_recv",
	              (json_int_t)r->capture_ps_recv, "ps_drop",
	              (json_int_t)r->capture_ps_drop, "ps_ifdrop",
	              (json_int_t)r->capture_ps_ifdrop)
	        : json_null());
	json_object_set_new(a, "disagreements",
	    r->capture_compared
	        ? json_integer((json_int_t)r->capture_disagreements)
	        : json_null());
}

json_t *
report_json(const struct report *r)
{
	json_t *root = json_object(), *o, *a;
	struct report_counts c;
	size_t i;

	report_count(r, &c);
	json_object_set_new(
	    root, "schema_version", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(root, "generator", json_string("danesim"));
	if (r->conform != NULL)
		json_object_set_new(root, "profile", profile_json(r->conform));
	if (r->provenance != NULL)
		json_object_set_new(
		    root, "provenance", json_deep_copy(r->provenance));
	else {
		o = provenance_collect();
		json_object_set_new(o, "recorded_by", json_string("analyse"));
		json_object_set_new(o, "analysed_with",
		    json_string("danesim " DANESIM_VERSION));
		json_object_set_new(root, "provenance", o);
	}
	json_object_set_new(root, "scope", scope_json(r));

	o = json_object();
	json_object_set_new(o, "name", jstr(r->sut_name));
	json_object_set_new(o, "version", jstr(r->sut_version));
	json_object_set_new(
	    o, "options", jstrs(r->sut_options, r->nsut_options));
	json_object_set_new(root, "sut", o);

	o = json_object();
	json_object_set_new(o, "version", json_integer(r->suite_version));
	json_object_set_new(o, "sha256", jstr(r->suite_sha256));
	json_object_set_new(o, "scenarios", json_integer((json_int_t)r->n));
	json_object_set_new(root, "suite", o);

	o = json_object();
	json_object_set_new(o, "started", jtime(r->started));
	json_object_set_new(o, "finished", jtime(r->finished));
	json_object_set_new(
	    o, "started_epoch", json_real(sane_time(r->started)));
	json_object_set_new(
	    o, "finished_epoch", json_real(sane_time(r->finished)));
	json_object_set_new(o, "interrupted", json_boolean(r->interrupted));
	a = json_object();
	json_object_set_new(a, "ok", json_boolean(r->capture_ok));
	json_object_set_new(a, "file", jstr(r->capture_file));
	json_object_set_new(a, "note", jstr(r->capture_note));
	json_object_set_new(a, "analysed", json_boolean(r->capture_analysed));
	json_object_set_new(a, "analysis", jstr(r->capture_analysis));
	capture_json(r, a);
	json_object_set_new(o, "capture", a);
	a = json_object();
	json_object_set_new(a, "complete", json_boolean(r->logs_complete));
	json_object_set_new(a, "note", jstr(r->logs_note));
	json_object_set_new(o, "logs", a);
	json_object_set_new(o, "error", jstr(r->infra_error));
	json_object_set_new(o, "sut_note", jstr(r->sut_note));
	if (r->attempts_note != NULL)
		json_object_set_new(
		    o, "attempts_note", json_string(r->attempts_note));
	json_object_set_new(root, "run", o);

	a = json_array();
	for (i = 0; i < r->n; i++)
		json_array_append_new(a, scn_json(r, &r->scns[i]));
	json_object_set_new(root, "scenarios", a);

	o = counts_json(c.v);
	json_object_set_new(
	    o, "expectations", json_integer((json_int_t)c.total));
	json_object_set_new(o, "security_failures",
	    json_integer((json_int_t)c.security_failures));
	a = json_object();
	json_object_set_new(a, "security", counts_json(c.sev[0]));
	json_object_set_new(a, "interop", counts_json(c.sev[1]));
	/* only when there are observations: older reports stay as they
	 * were */
	if (info_total(&c) > 0)
		json_object_set_new(
		    a, "info", counts_json(c.sev[SCN_SEV_INFO]));
	json_object_set_new(o, "by_severity", a);
	json_object_set_new(o, "scenarios", counts_json(c.scn_v));
	if (c.have_expect) {
		a = json_object();
		json_object_set_new(a, "file", jstr(r->expect_file));
		json_object_set_new(a, "regressions",
		    json_integer((json_int_t)c.xr[EXPECT_R_REGRESSION]));
		json_object_set_new(a, "unexpected_passes",
		    json_integer((json_int_t)c.xr[EXPECT_R_XPASS]));
		json_object_set_new(a, "expected_failures",
		    json_integer((json_int_t)c.xr[EXPECT_R_XFAIL]));
		json_object_set_new(a, "undecided",
		    json_integer((json_int_t)c.xr[EXPECT_R_UNDECIDED]));
		json_object_set_new(o, "expect", a);
	}
	json_object_set_new(
	    o, "exit_status", json_integer(report_exit_status(&c)));
	json_object_set_new(root, "summary", o);
	return root;
}

int
report_write_json_tree(const json_t *root, const char *path)
{
	char *tmp = tmp_path(path);
	int rc = -1;

	if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ==
	    -1) {
		log_warnx("report: cannot write %s", tmp);
		unlink(tmp);
		goto out;
	}
	rc = commit_file(tmp, path);
out:
	free(tmp);
	return rc;
}

int
report_write_json(const struct report *r, const char *path)
{
	json_t *root = report_json(r);
	int rc = report_write_json_tree(root, path);

	json_decref(root);
	return rc;
}

/* xw_attr - write a cleaned attribute; -1 on writer failure. */
static int
xw_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *c = report_clean_text(value ? value : "");
	int rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST c);

	free(c);
	return rc < 0 ? -1 : 0;
}

/* xw_attr_num - write a numeric attribute. */
static int
xw_attr_num(xmlTextWriterPtr w, const char *name, size_t v)
{
	return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%zu", v) < 0
	           ? -1
	           : 0;
}

/* xw_text - write cleaned character data. */
static int
xw_text(xmlTextWriterPtr w, const char *text)
{
	char *c = report_clean_text(text ? text : "");
	int rc = xmlTextWriterWriteString(w, BAD_CAST c);

	free(c);
	return rc < 0 ? -1 : 0;
}

/* xw_newline - a real line break between cleaned texts. */
static int
xw_newline(xmlTextWriterPtr w)
{
	return xmlTextWriterWriteString(w, BAD_CAST "\n") < 0 ? -1 : 0;
}

/* xw_property - <property name=.. value=../>. */
static int
xw_property(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (xmlTextWriterStartElement(w, BAD_CAST "property") < 0 ||
	    xw_attr(w, "name", name) < 0 || xw_attr(w, "value", value) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* junit_case - one <testcase> for one expectation: a failure, an
   unexpected pass or a regression is <failure>; an inconclusive or error
   verdict is <error> (CI must show it); an expected failure is
   <skipped>. */
static int
junit_case(xmlTextWriterPtr w, const struct report *r,
    const struct report_scn *rs, const struct score_exp *x)
{
	size_t nreq, i;
	char *const *req = exp_reqs(rs->s, x->e, &nreq);
	struct buf name, msg;
	enum expect_result res = EXPECT_R_PASS;
	const char *reason = NULL;
	int rc = -1;

	buf_init(&name);
	buf_init(&msg);
	if (r->expect != NULL && !is_info(rs, x))
		res = exp_expect(r, rs, x, NULL, &reason, NULL);
	/* kind, the host (two "never mail" of one scenario differ by it),
	   then the requirement ids */
	buf_puts(&name, scn_expect_kind_str(x->e->kind));
	if (x->e->host != NULL)
		buf_printf(&name, " %s", x->e->host);
	for (i = 0; i < nreq; i++)
		buf_printf(&name, "%s%s", i ? "," : " ", req[i]);
	if (xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 ||
	    xw_attr(w, "classname", rs->s->id) < 0 ||
	    xw_attr(w, "name", buf_cstr(&name)) < 0 ||
	    xw_attr(w, "time", "0") < 0)
		goto out;
	if (is_info(rs, x)) {
		/* an observation: a passing testcase that says what it saw */
		if (xmlTextWriterStartElement(w, BAD_CAST "system-out") < 0 ||
		    xw_text(w, "observation (severity info, not counted): ") <
		        0 ||
		    xw_text(w, score_verdict_str(x->verdict)) < 0 ||
		    xw_newline(w) < 0 || xw_text(w, x->e->text) < 0 ||
		    xw_newline(w) < 0 || xw_text(w, x->evidence) < 0 ||
		    xmlTextWriterEndElement(w) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			goto out;
		rc = 0;
		goto out;
	} else if (res == EXPECT_R_XFAIL) {
		buf_printf(&msg, "expected failure: %s", reason ? reason : "");
		if (xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0 ||
		    xw_attr(w, "message", buf_cstr(&msg)) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			goto out;
	} else if (res == EXPECT_R_XPASS) {
		buf_printf(&msg,
		    "unexpected pass: expected to fail (%s); update the "
		    "expect file",
		    reason ? reason : "");
		if (xmlTextWriterStartElement(w, BAD_CAST "failure") < 0 ||
		    xw_attr(w, "type", "unexpected-pass") < 0 ||
		    xw_attr(w, "message", buf_cstr(&msg)) < 0 ||
		    xw_text(w, x->e->text) < 0 || xw_newline(w) < 0 ||
		    xw_text(w, x->evidence) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			goto out;
	} else if (x->verdict == SCORE_FAIL) {
		if (xmlTextWriterStartElement(w, BAD_CAST "failure") < 0 ||
		    xw_attr(w, "type",
		        scn_severity_str(report_exp_severity(rs->s, x->e))) <
		        0 ||
		    xw_attr(w, "message", x->evidence) < 0 ||
		    xw_text(w, x->e->text) < 0 || xw_newline(w) < 0 ||
		    xw_text(w, x->evidence) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			goto out;
	} else if (x->verdict == SCORE_INCONCLUSIVE ||
	           x->verdict == SCORE_ERROR) {
		buf_printf(&msg, "%s: %s", score_verdict_str(x->verdict),
		    x->reason ? x->reason : "");
		if (xmlTextWriterStartElement(w, BAD_CAST "error") < 0 ||
		    xw_attr(w, "type", score_verdict_str(x->verdict)) < 0 ||
		    xw_attr(w, "message", buf_cstr(&msg)) < 0 ||
		    xw_text(w, x->evidence) < 0 ||
		    xmlTextWriterEndElement(w) < 0)
			goto out;
	}
	if (xmlTextWriterStartElement(w, BAD_CAST "system-out") < 0 ||
	    xw_text(w, x->e->text) < 0 || xw_newline(w) < 0 ||
	    xw_text(w, x->evidence) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&name);
	buf_free(&msg);
	return rc;
}

int
report_write_junit(const struct report *r, const char *path)
{
	struct report_counts c;
	xmlTextWriterPtr w;
	char *tmp = tmp_path(path), when[32];
	struct buf suite;
	size_t i, j, failures, errors, skipped;
	int rc = -1;

	report_count(r, &c);
	/* CI counts: a failure is what fails the run (with --expect:
	   regressions and unexpected passes), an error every inconclusive
	   or error verdict, a skip an expected failure. */
	if (c.have_expect) {
		failures = c.xr[EXPECT_R_REGRESSION] + c.xr[EXPECT_R_XPASS];
		skipped = c.xr[EXPECT_R_XFAIL];
	} else {
		failures = c.v[SCORE_FAIL];
		skipped = 0;
	}
	errors = c.v[SCORE_INCONCLUSIVE] + c.v[SCORE_ERROR];
	buf_init(&suite);
	buf_printf(&suite, "danesim %s %s",
	    r->sut_name ? r->sut_name : "unknown-sut",
	    r->sut_version ? r->sut_version : "");
	if ((w = xmlNewTextWriterFilename(tmp, 0)) == NULL) {
		log_warnx("report: cannot write %s", tmp);
		goto out;
	}
	iso_time(r->started, when, sizeof(when));
	xmlTextWriterSetIndent(w, 1);
	if (xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0 ||
	    xw_attr(w, "name", "danesim") < 0 ||
	    xw_attr_num(w, "tests", c.total) < 0 ||
	    xw_attr_num(w, "failures", failures) < 0 ||
	    xw_attr_num(w, "errors", errors) < 0 ||
	    xw_attr_num(w, "skipped", skipped) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0 ||
	    xw_attr(w, "name", buf_cstr(&suite)) < 0 ||
	    xw_attr_num(w, "tests", c.total) < 0 ||
	    xw_attr_num(w, "failures", failures) < 0 ||
	    xw_attr_num(w, "errors", errors) < 0 ||
	    xw_attr_num(w, "skipped", skipped) < 0 ||
	    (when[0] && xw_attr(w, "timestamp", when) < 0) ||
	    xmlTextWriterWriteFormatAttribute(
	        w, BAD_CAST "time", "%.3f", run_secs(r)) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST "properties") < 0 ||
	    xw_property(w, "sut", r->sut_name) < 0 ||
	    xw_property(w, "sut_version", r->sut_version) < 0 ||
	    xw_property(w, "suite_sha256", r->suite_sha256) < 0 ||
	    xw_property(w, "capture", r->capture_analysis) < 0 ||
	    (r->expect_file != NULL &&
	        xw_property(w, "expect", r->expect_file) < 0) ||
	    xmlTextWriterEndElement(w) < 0)
		goto fail;
	for (i = 0; i < r->n; i++)
		for (j = 0; j < r->scns[i].res->nexps; j++)
			if (junit_case(w, r, &r->scns[i],
			        &r->scns[i].res->exps[j]) < 0)
				goto fail;
	if (xmlTextWriterEndDocument(w) < 0)
		goto fail;
	xmlFreeTextWriter(w);
	w = NULL;
	rc = commit_file(tmp, path);
	goto out;
fail:
	log_warnx("report: cannot write %s", tmp);
	xmlFreeTextWriter(w);
	unlink(tmp);
out:
	buf_free(&suite);
	free(tmp);
	return rc;
}

void
report_md_cell(struct buf *b, const char *text)
{
	char *c = report_clean_text(text ? text : "");
	const char *p;

	for (p = c; *p != '\0'; p++) {
		switch (*p) {
		case '|':
			buf_puts(b, "\\|");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '\\':
			buf_putc(b, '\\');
			buf_putc(b, *p);
			break;
		default:
			buf_putc(b, *p);
		}
	}
	free(c);
}

/* md_code - text for inside a `code span`: cleaned, backticks and line
   breaks replaced (nothing else is special there). */
static void
md_code(struct buf *b, const char *text)
{
	char *c = report_clean_text(text ? text : "");
	const char *p;

	for (p = c; *p != '\0'; p++)
		buf_putc(b, *p == '`' ? '\'' : *p);
	free(c);
}

/* failed_reqs - the requirement ids of the failed expectations, unique,
   "R-2.2-a, R-3.2-b" (appended to b); "-" when none. */
static void
failed_reqs(struct buf *b, const struct report_scn *rs, int markdown)
{
	size_t i, j, k, nreq, n = 0;
	char *const *req;

	for (i = 0; i < rs->res->nexps; i++) {
		const struct score_exp *x = &rs->res->exps[i];

		if (x->verdict != SCORE_FAIL || is_info(rs, x))
			continue;
		req = exp_reqs(rs->s, x->e, &nreq);
		for (j = 0; j < nreq; j++) {
			int dup = 0;

			/* Skip ids already listed by an earlier failure. */
			for (k = 0; k < i && !dup; k++) {
				size_t nk, m;
				char *const *rk;

				if (rs->res->exps[k].verdict != SCORE_FAIL ||
				    is_info(rs, &rs->res->exps[k]))
					continue;
				rk = exp_reqs(rs->s, rs->res->exps[k].e, &nk);
				for (m = 0; m < nk; m++)
					if (strcmp(rk[m], req[j]) == 0)
						dup = 1;
			}
			for (k = 0; k < j && !dup; k++)
				if (strcmp(req[k], req[j]) == 0)
					dup = 1;
			if (dup)
				continue;
			if (n++ > 0)
				buf_puts(b, ", ");
			if (markdown)
				report_md_cell(b, req[j]);
			else
				buf_puts(b, req[j]);
		}
	}
	if (n == 0)
		buf_puts(b, "-");
}

/* put_counts - "12 pass, 1 fail, 0 inconclusive, 0 error". */
static void
put_counts(struct buf *b, const size_t *v)
{
	buf_printf(b, "%zu pass, %zu fail, %zu inconclusive, %zu error",
	    v[SCORE_PASS], v[SCORE_FAIL], v[SCORE_INCONCLUSIVE],
	    v[SCORE_ERROR]);
}

/* md_attempts - a section listing every attempt of the scenarios that
   were made to retry. */
static void
md_attempts(struct buf *b, const struct report *r)
{
	char when[32];
	size_t i, k, n = 0;

	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];

		if (rs->nattempts < 2)
			continue;
		if (n++ == 0)
			buf_puts(b, "\n## Attempts\n\n| scenario | attempt | "
			            "started | MX hosts | what happened | SUT "
			            "said |\n|---|---|---|---|---|---|\n");
		for (k = 0; k < rs->nattempts; k++) {
			const struct report_attempt *t = &rs->attempts[k];

			iso_time(t->started, when, sizeof(when));
			buf_puts(b, "| ");
			report_md_cell(b, rs->s->id);
			buf_printf(b, " | %d | %s | ", t->n, when);
			report_md_cell(
			    b, t->hosts && *t->hosts ? t->hosts : "-");
			buf_puts(b, " | ");
			report_md_cell(b, t->what ? t->what : "");
			buf_printf(b, " | %s |\n",
			    scn_sut_str(scn_sut_from_str(t->sut_status)));
		}
	}
}

/* md_messages - a section listing every message of the scenarios that
   sent several, with its outcome. */
static void
md_messages(struct buf *b, const struct report *r)
{
	size_t i, k, n = 0;

	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];

		if (rs->res->nmsgs < 2)
			continue;
		if (n++ == 0)
			buf_puts(b,
			    "\n## Messages\n\n| scenario | message | "
			    "sent in attempt | attempts | outcome | SUT "
			    "said | how |\n|---|---|---|---|---|---|---|\n");
		for (k = 0; k < rs->res->nmsgs; k++) {
			const struct report_message *m =
			    k < rs->nmessages ? &rs->messages[k] : NULL;

			buf_puts(b, "| ");
			report_md_cell(b, rs->s->id);
			buf_printf(b, " | %zu | ", k + 1);
			if (m != NULL && m->attempt > 0)
				buf_printf(b, "%d", m->attempt);
			else
				buf_puts(b, "-");
			buf_puts(b, " | ");
			if (m != NULL && m->attempts > 0)
				buf_printf(b, "%d", m->attempts);
			else
				buf_puts(b, "-");
			buf_printf(b, " | %s | %s | ",
			    scn_outcome_str(rs->res->msgs[k].outcome),
			    scn_sut_str(scn_sut_from_str(
			        m != NULL ? m->sut_status : NULL)));
			report_md_cell(b,
			    rs->res->msgs[k].note ? rs->res->msgs[k].note : "");
			buf_puts(b, " |\n");
		}
	}
}

/* md_details - a section listing the expectations with verdict v: the
   scenario, the expect line, the evidence and the reason. */
static void
md_details(struct buf *b, const struct report *r, int v, const char *title)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];

		for (j = 0; j < rs->res->nexps; j++) {
			const struct score_exp *x = &rs->res->exps[j];

			/* v < 0: the observations (severity info), whatever
			 * their verdict; else the others with verdict v */
			if (v < 0 ? !is_info(rs, x)
			          : x->verdict != (enum score_verdict)v ||
			                is_info(rs, x))
				continue;
			if (n++ == 0)
				buf_printf(b, "\n## %s\n\n", title);
			if (v < 0)
				buf_printf(
				    b, "- %s: ", score_verdict_str(x->verdict));
			buf_puts(b, v < 0 ? "**" : "- **");
			report_md_cell(b, rs->s->id);
			buf_puts(b, "** `");
			md_code(b, x->e->text);
			buf_puts(b, "`: ");
			report_md_cell(b, x->evidence);
			if (x->reason != NULL && v != (int)SCORE_FAIL) {
				buf_puts(b, " (");
				report_md_cell(b, x->reason);
				buf_puts(b, ")");
			}
			buf_puts(b, "\n");
		}
	}
}

/* md_profile - "**meets NAME: yes/no**" and the clauses not met. */
static void
md_profile(struct buf *b, const struct conform_result *cr)
{
	size_t i;

	buf_puts(b, "**meets ");
	report_md_cell(b, cr->p->name);
	buf_printf(b, ": %s**, %zu of %zu clauses met.",
	    cr->meets ? "yes" : "no", cr->p->n - cr->nfailed, cr->p->n);
	if (cr->p->title != NULL) {
		buf_puts(b, " ");
		report_md_cell(b, cr->p->title);
		buf_puts(b, ".");
	}
	buf_puts(b, "\n\n");
	if (cr->p->statement != NULL) {
		buf_puts(b, "> ");
		report_md_cell(b, cr->p->statement);
		buf_puts(b, "\n\n");
	}
	if (cr->nfailed == 0)
		return;
	buf_puts(b, "Clauses not met:\n\n");
	for (i = 0; i < cr->p->n; i++) {
		if (cr->state[i] == CONFORM_MET)
			continue;
		buf_puts(b, "- **");
		report_md_cell(b, cr->p->c[i].id);
		buf_printf(b, "** %s", conform_state_str(cr->state[i]));
		if (cr->p->c[i].text != NULL) {
			buf_puts(b, ": ");
			report_md_cell(b, cr->p->c[i].text);
		}
		buf_puts(b, " (");
		report_md_cell(b, cr->why[i]);
		buf_puts(b, ")\n");
	}
	buf_puts(b, "\n");
}

/* md_rerun - for every scenario that did not pass: the command that
   reruns it and a Wireshark display filter for its traffic. */
static void
md_rerun(struct buf *b, const struct report *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];

		if (rs->res->verdict == SCORE_PASS ||
		    (rs->rerun == NULL && rs->wireshark == NULL))
			continue;
		if (n++ == 0)
			buf_puts(b, "\n## Looking closer\n\nRerun one "
			            "scenario, or look at its packets in "
			            "capture.pcapng (TLS decrypted by the keys "
			            "inside):\n\n");
		buf_puts(b, "- **");
		report_md_cell(b, rs->s->id);
		buf_puts(b, "**");
		if (rs->rerun != NULL) {
			buf_puts(b, " rerun: `");
			md_code(b, rs->rerun);
			buf_puts(b, "`");
		}
		if (rs->wireshark != NULL) {
			buf_puts(b, " Wireshark filter: `");
			md_code(b, rs->wireshark);
			buf_puts(b, "`");
		}
		buf_puts(b, "\n");
	}
}

int
report_write_summary(const struct report *r, const char *path)
{
	struct report_counts c;
	char *tmp = tmp_path(path), when[32];
	struct buf b, oc;
	size_t i;
	FILE *fp;
	int rc = -1;

	report_count(r, &c);
	iso_time(r->started, when, sizeof(when));
	buf_init(&b);
	buf_init(&oc);
	buf_puts(&b, "# danesim report: ");
	report_md_cell(&b, r->sut_name ? r->sut_name : "unknown SUT");
	buf_puts(&b, " ");
	report_md_cell(
	    &b, r->sut_version ? r->sut_version : "(version unknown)");
	buf_printf(&b, ", %s\n\n", when[0] ? when : "(start unknown)");
	if (r->conform != NULL)
		md_profile(&b, r->conform);
	buf_printf(&b, "%zu scenarios, %zu expectations: ", r->n, c.total);
	put_counts(&b, c.v);
	buf_puts(&b, ".");
	if (r->interrupted)
		buf_puts(&b, " The run was interrupted.");
	buf_puts(&b, "\n\n");
	if (r->infra_error != NULL) {
		buf_puts(&b, "**danesim's own infrastructure failed:** ");
		report_md_cell(&b, r->infra_error);
		buf_puts(&b, " (the scenarios it kept from being judged are "
		             "`error`)\n\n");
	}
	if (r->sut_note != NULL) {
		buf_puts(&b, "**Observation about the SUT:** ");
		report_md_cell(&b, r->sut_note);
		buf_puts(&b, "\n\n");
	}
	if (r->attempts_note != NULL) {
		buf_puts(&b, "**Attempts:** ");
		report_md_cell(&b, r->attempts_note);
		buf_puts(&b, "\n\n");
	}
	buf_printf(
	    &b, "Security-critical failures: %zu\n\n", c.security_failures);
	buf_puts(&b, "Scope: ");
	report_scope_line(r, &b);
	buf_puts(&b, ". A pass certifies only the requirements this run "
	             "tested; see the glossary at the end.\n\n");
	buf_puts(&b, "| scenario | severity | outcome | verdict | failed "
	             "requirements |\n|---|---|---|---|---|\n");
	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];

		buf_puts(&b, "| ");
		report_md_cell(&b, rs->s->id);
		buf_printf(&b, " | %s | ", scn_severity_str(rs->s->severity));
		buf_reset(&oc);
		report_outcome_text(rs, &oc, 0);
		report_md_cell(&b, buf_cstr(&oc));
		buf_printf(&b, " | %s%s | ",
		    rs->res->verdict == SCORE_FAIL
		        ? "**FAIL**"
		        : score_verdict_str(rs->res->verdict),
		    rs->res->decided ? "" : " (undecided)");
		failed_reqs(&b, rs, 1);
		buf_puts(&b, " |\n");
	}
	md_attempts(&b, r);
	md_messages(&b, r);
	md_details(&b, r, SCORE_FAIL, "Failures");
	md_details(&b, r, SCORE_ERROR, "Errors (danesim's own infrastructure)");
	md_details(&b, r, SCORE_INCONCLUSIVE, "Inconclusive");
	md_details(
	    &b, r, -1, "Observations (severity info: reported, never counted)");
	md_rerun(&b, r);
	buf_puts(&b, "\nBy severity: security ");
	put_counts(&b, c.sev[SCN_SEV_SECURITY]);
	buf_puts(&b, "; interop ");
	put_counts(&b, c.sev[SCN_SEV_INTEROP]);
	if (info_total(&c) > 0) {
		buf_puts(&b, "; observations (info, not counted) ");
		put_counts(&b, c.sev[SCN_SEV_INFO]);
	}
	buf_puts(&b, ".\n\nCapture: ");
	report_md_cell(
	    &b, r->capture_analysis ? r->capture_analysis : "not analysed");
	buf_puts(&b, ".\n");
	if (r->logs_note != NULL) {
		buf_puts(&b, "Event logs: ");
		report_md_cell(&b, r->logs_note);
		buf_puts(&b, ".\n");
	}
	buf_puts(&b, "\nDetails per expectation: report.json, junit.xml.\n");
	buf_puts(&b, "\n## Glossary\n\n");
	for (i = 0; report_glossary[i].term != NULL; i++)
		buf_printf(&b, "- **%s**: %s\n", report_glossary[i].term,
		    report_glossary[i].meaning);

	if ((fp = fopen(tmp, "w")) == NULL) {
		log_warn("report: cannot write %s", tmp);
		goto out;
	}
	if (fwrite(b.data, 1, b.len, fp) != b.len) {
		log_warn("report: cannot write %s", tmp);
		fclose(fp);
		unlink(tmp);
		goto out;
	}
	if (fclose(fp) == EOF) {
		log_warn("report: cannot write %s", tmp);
		unlink(tmp);
		goto out;
	}
	rc = commit_file(tmp, path);
out:
	buf_free(&b);
	buf_free(&oc);
	free(tmp);
	return rc;
}

/* colour_of - ANSI colour of a verdict. */
static const char *
colour_of(enum score_verdict v)
{
	switch (v) {
	case SCORE_PASS:
		return "\033[32m";
	case SCORE_FAIL:
		return "\033[1;31m";
	case SCORE_INCONCLUSIVE:
		return "\033[33m";
	default:
		return "\033[35m";
	}
}

void
report_print_terminal(const struct report *r, FILE *out, int colour)
{
	struct report_counts c;
	struct buf line, oc;
	size_t i, w = 8;
	size_t nretried = 0, maxatt = 0, nmulti = 0;
	char *id;

	report_count(r, &c);
	buf_init(&line);
	buf_init(&oc);
	if (r->conform != NULL) {
		const struct conform_result *cr = r->conform;

		fprintf(out, "%smeets %s: %s%s (%zu of %zu clauses met)\n",
		    colour ? (cr->meets ? "\033[32m" : "\033[1;31m") : "",
		    cr->p->name, cr->meets ? "yes" : "no",
		    colour ? "\033[0m" : "", cr->p->n - cr->nfailed, cr->p->n);
		for (i = 0; i < cr->p->n; i++)
			if (cr->state[i] != CONFORM_MET)
				fprintf(out, "  %s %s: %s\n", cr->p->c[i].id,
				    conform_state_str(cr->state[i]),
				    cr->why[i]);
		fputs("\n", out);
	}
	for (i = 0; i < r->n; i++)
		if (strlen(r->scns[i].s->id) > w)
			w = strlen(r->scns[i].s->id);
	if (w > 40)
		w = 40;
	fprintf(out, "%-*s  %-8s  %-19s  %-12s  %s\n", (int)w, "SCENARIO",
	    "SEVERITY", "OUTCOME", "VERDICT", "FAILED REQUIREMENTS");
	for (i = 0; i < r->n; i++) {
		const struct report_scn *rs = &r->scns[i];
		enum score_verdict v = rs->res->verdict;

		buf_reset(&line);
		failed_reqs(&line, rs, 0);
		id = report_clean_text(rs->s->id);
		buf_reset(&oc);
		report_outcome_text(rs, &oc, 1);
		fprintf(out, "%-*s  %-8s  %-19s  %s%-12s%s  %s\n", (int)w, id,
		    scn_severity_str(rs->s->severity), buf_cstr(&oc),
		    colour ? colour_of(v) : "", score_verdict_str(v),
		    colour ? "\033[0m" : "", buf_cstr(&line));
		free(id);
	}
	buf_reset(&line);
	put_counts(&line, c.v);
	fprintf(out, "\n%zu scenarios, %zu expectations: %s\n", r->n, c.total,
	    buf_cstr(&line));
	buf_reset(&line);
	put_counts(&line, c.sev[SCN_SEV_SECURITY]);
	fprintf(out, "  security: %s\n", buf_cstr(&line));
	buf_reset(&line);
	put_counts(&line, c.sev[SCN_SEV_INTEROP]);
	fprintf(out, "  interop:  %s\n", buf_cstr(&line));
	if (info_total(&c) > 0) {
		buf_reset(&line);
		put_counts(&line, c.sev[SCN_SEV_INFO]);
		fprintf(out, "  info:     %s (observations, not counted)\n",
		    buf_cstr(&line));
	}
	fprintf(out, "%sSecurity-critical failures: %zu%s\n",
	    colour && c.security_failures ? "\033[1;31m" : "",
	    c.security_failures,
	    colour && c.security_failures ? "\033[0m" : "");
	buf_reset(&line);
	report_scope_line(r, &line);
	fprintf(out, "Scope: %s\n", buf_cstr(&line));
	/* Kept out of the table, whose columns scripts split on blanks. */
	for (i = 0; i < r->n; i++)
		if (r->scns[i].res->nmsgs > 1)
			nmulti++;
		else if (r->scns[i].nattempts > 1) {
			nretried++;
			if (r->scns[i].nattempts > maxatt)
				maxatt = r->scns[i].nattempts;
		}
	if (nretried > 0)
		fprintf(out,
		    "Attempts: %zu scenario(s) retried after a deferral (up "
		    "to %zu attempts); summary.md lists each attempt\n",
		    nretried, maxatt);
	if (nmulti > 0)
		fprintf(out,
		    "Messages: %zu scenario(s) sent several messages, one "
		    "per attempt; summary.md lists each message's outcome\n",
		    nmulti);
	if (r->attempts_note != NULL)
		fprintf(out, "Attempts: %s\n", r->attempts_note);
	if (r->capture_analysis != NULL)
		fprintf(out, "Capture: %s\n", r->capture_analysis);
	if (r->interrupted)
		fprintf(out, "The run was interrupted.\n");
	if (r->run_dir != NULL)
		fprintf(out,
		    "Reports: "
		    "%s/{report.json,junit.xml,summary.md,report.html}\n",
		    r->run_dir);
	buf_free(&line);
	buf_free(&oc);
}
