/*
 * analyse.c - judge a finished run from its folder (docs/internals.md):
 * load the scenario copies, the world, run.json, the facts of the event
 * logs and of the capture, score every scenario (score.h) and write the
 * reports (report.h).
 *
 * Implements no RFC itself; the verdicts carry the RFC 7672 requirement
 * ids of the scenarios.
 */
#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/run/analyse.h"
#include "buf.h"
#include "harness/report/term.h"
#include "harness/report/expect.h"
#include "harness/report/html.h"
#include "log.h"
#include "harness/judge/capcheck.h"
#include "harness/judge/evlog.h"
#include "harness/judge/pcapfacts.h"
#include "harness/report/pcapng.h"
#include "harness/report/provenance.h"
#include "harness/report/report.h"
#include "harness/report/reports.h"
#include "harness/report/suite.h"
#include "scn.h"
#include "scn_lint.h"
#include "harness/judge/score.h"
#include "harness/report/verify.h"
#include "version.h"
#include "xmalloc.h"

/* One delivery attempt as run.json records it. */
struct run_att {
	int n;
	double started;
	double ended; /* 0: null */
	char *sut_status;
};

/* One message of a scenario as run.json records it (messages[]). */
struct run_msg {
	char *message_id;
	char *sut_status;
	int attempt;
	int attempts; /* watched: from its own attempt to the one it
	                 ended in; 0 when run.json does not say */
	double injected_at;
};

/* What run.json says about one scenario. */
struct run_scn {
	char *id;
	char *message_id;
	char *sut_status;
	struct run_msg *msgs; /* run.json's messages that were injected, in
	                         order (none in an older run.json) */
	size_t nmsgs;
	int decided;
	int error; /* our infrastructure failed before it was judged */
	char *reason;
	struct run_att *att; /* run.json's attempts */
	size_t natt;
};

/* run.json, as far as the analysis needs it. */
struct run_info {
	char *sut_name;
	char *sut_version;
	char **sut_options;
	size_t nsut_options;
	double started;
	double finished;
	int interrupted;
	int capture_ok;
	char *capture_file;
	char *capture_note;
	int capture_have_stats; /* run.json has capture.stats */
	unsigned long capture_packets, capture_ps_recv, capture_ps_drop,
	    capture_ps_ifdrop;
	char *error;         /* the infrastructure failure, or NULL */
	char *sut_note;      /* an observation about the SUT, or NULL */
	char *attempts_note; /* why fewer attempts than asked, or NULL */
	struct run_scn *scns;
	size_t n;
	json_t *provenance; /* run.json's, or NULL */
};

struct facts *
analyse_capture_facts(
    const struct world *w, const char *pcap_path, char *why, size_t whysz)
{
	struct facts *f;

	why[0] = '\0';
	f = facts_from_pcap(w, pcap_path, why, whysz);
	if (f == NULL && why[0] == '\0')
		snprintf(
		    why, whysz, "the capture analyser failed on %s", pcap_path);
	return f;
}

/* dup_str - copy of the string member key of o, or NULL. */
static char *
dup_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

/* attempts_load - run.json's "attempts" of one scenario into rs; entries
   without a numeric "started" are skipped (older run.json: none). */
static void
attempts_load(struct run_scn *rs, json_t *a)
{
	json_t *o, *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return;
	rs->att = xcalloc(json_array_size(a), sizeof(*rs->att));
	for (i = 0; i < json_array_size(a); i++) {
		struct run_att *t = &rs->att[rs->natt];

		o = json_array_get(a, i);
		v = json_object_get(o, "started");
		if (!json_is_object(o) || !json_is_number(v))
			continue;
		t->started = json_number_value(v);
		v = json_object_get(o, "ended");
		t->ended = json_is_number(v) ? json_number_value(v) : 0;
		v = json_object_get(o, "n");
		t->n = json_is_integer(v) ? (int)json_integer_value(v)
		                          : (int)rs->natt + 1;
		t->sut_status = dup_str(o, "sut_status");
		rs->natt++;
	}
}

/* messages_load - run.json's "messages" of one scenario into rs: the
   ones injected, in order, up to the first that was not. */
static void
messages_load(struct run_scn *rs, json_t *a)
{
	json_t *o, *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return;
	rs->msgs = xcalloc(json_array_size(a), sizeof(*rs->msgs));
	for (i = 0; i < json_array_size(a); i++) {
		struct run_msg *m = &rs->msgs[rs->nmsgs];

		o = json_array_get(a, i);
		v = json_object_get(o, "attempt");
		if (!json_is_object(o) || !json_is_integer(v) ||
		    !json_is_string(json_object_get(o, "message_id")))
			break;
		m->attempt = (int)json_integer_value(v);
		v = json_object_get(o, "attempts");
		m->attempts =
		    json_is_integer(v) ? (int)json_integer_value(v) : 0;
		v = json_object_get(o, "injected_at");
		m->injected_at = json_is_number(v) ? json_number_value(v) : 0;
		m->message_id = dup_str(o, "message_id");
		m->sut_status = dup_str(o, "sut_status");
		rs->nmsgs++;
	}
}

/* run_info_free - release what run_info owns. */
static void
run_info_free(struct run_info *ri)
{
	size_t i, j;

	free(ri->sut_name);
	free(ri->sut_version);
	for (i = 0; i < ri->nsut_options; i++)
		free(ri->sut_options[i]);
	free(ri->sut_options);
	free(ri->capture_file);
	free(ri->capture_note);
	free(ri->error);
	free(ri->sut_note);
	free(ri->attempts_note);
	for (i = 0; i < ri->n; i++) {
		free(ri->scns[i].id);
		free(ri->scns[i].message_id);
		free(ri->scns[i].sut_status);
		free(ri->scns[i].reason);
		for (j = 0; j < ri->scns[i].natt; j++)
			free(ri->scns[i].att[j].sut_status);
		free(ri->scns[i].att);
		for (j = 0; j < ri->scns[i].nmsgs; j++) {
			free(ri->scns[i].msgs[j].message_id);
			free(ri->scns[i].msgs[j].sut_status);
		}
		free(ri->scns[i].msgs);
	}
	free(ri->scns);
	json_decref(ri->provenance);
	memset(ri, 0, sizeof(*ri));
}

/* stat_of - a counter of run.json's capture.stats; *ok = 0 if absent. */
static unsigned long
stat_of(json_t *o, const char *key, int *ok)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*ok = 0;
		return 0;
	}
	return (unsigned long)json_integer_value(v);
}

/* capture_stats_load - run.json's capture.stats (null: unknown). */
static void
capture_stats_load(struct run_info *ri, json_t *o)
{
	int ok = 1;

	if (!json_is_object(o))
		return;
	ri->capture_packets = stat_of(o, "packets", &ok);
	ri->capture_ps_recv = stat_of(o, "ps_recv", &ok);
	ri->capture_ps_drop = stat_of(o, "ps_drop", &ok);
	ri->capture_ps_ifdrop = stat_of(o, "ps_ifdrop", &ok);
	ri->capture_have_stats = ok;
}

/*
 * run_info_load - read RUN/run.json into ri. 0, or -1 with a message on
 * stderr (missing, not JSON, wrong version, wrong types).
 */
static int
run_info_load(const char *run_dir, struct run_info *ri)
{
	json_t *root, *v, *o, *a;
	json_error_t jerr;
	char *path = xasprintf("%s/run.json", run_dir);
	size_t i;
	int rc = -1;

	memset(ri, 0, sizeof(*ri));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		if (access(path, F_OK) == -1)
			fprintf(stderr,
			    "danesim: %s: not a run folder (%s "
			    "missing)\n",
			    run_dir, path);
		else
			fprintf(stderr, "danesim: %s:%d: %s\n", path, jerr.line,
			    jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		fprintf(stderr, "danesim: %s: not a JSON object\n", path);
		goto out;
	}
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		fprintf(stderr,
		    "danesim: %s: unsupported or missing "
		    "\"version\" (want 1)\n",
		    path);
		goto out;
	}
	o = json_object_get(root, "sut");
	if (json_is_object(o)) {
		ri->sut_name = dup_str(o, "name");
		ri->sut_version = dup_str(o, "version");
		a = json_object_get(o, "options");
		if (json_is_array(a) && json_array_size(a) > 0) {
			ri->sut_options =
			    xcalloc(json_array_size(a), sizeof(char *));
			for (i = 0; i < json_array_size(a); i++) {
				v = json_array_get(a, i);
				if (json_is_string(v))
					ri->sut_options[ri->nsut_options++] =
					    xstrdup(json_string_value(v));
			}
		}
	}
	o = json_object_get(root, "provenance");
	if (json_is_object(o))
		ri->provenance = json_incref(o);
	v = json_object_get(root, "started");
	ri->started = json_is_number(v) ? json_number_value(v) : 0;
	v = json_object_get(root, "finished");
	ri->finished = json_is_number(v) ? json_number_value(v) : 0;
	ri->interrupted = json_is_true(json_object_get(root, "interrupted"));
	ri->error = dup_str(root, "error");
	ri->sut_note = dup_str(root, "sut_note");
	ri->attempts_note = dup_str(root, "attempts_note");
	o = json_object_get(root, "capture");
	if (json_is_object(o)) {
		ri->capture_ok = json_is_true(json_object_get(o, "ok"));
		ri->capture_file = dup_str(o, "file");
		ri->capture_note = dup_str(o, "note");
		capture_stats_load(ri, json_object_get(o, "stats"));
	}
	a = json_object_get(root, "scenarios");
	if (a != NULL && !json_is_array(a)) {
		fprintf(stderr, "danesim: %s: \"scenarios\" is not an array\n",
		    path);
		goto out;
	}
	if (json_array_size(a) > 0)
		ri->scns = xcalloc(json_array_size(a), sizeof(*ri->scns));
	for (i = 0; i < json_array_size(a); i++) {
		struct run_scn *rs;

		o = json_array_get(a, i);
		if (!json_is_object(o) ||
		    !json_is_string(json_object_get(o, "id"))) {
			fprintf(stderr,
			    "danesim: %s: scenarios[%zu] has no "
			    "\"id\"\n",
			    path, i);
			goto out;
		}
		rs = &ri->scns[ri->n++];
		rs->id = dup_str(o, "id");
		rs->message_id = dup_str(o, "message_id");
		rs->sut_status = dup_str(o, "sut_status");
		rs->decided = json_is_true(json_object_get(o, "decided"));
		rs->error = json_is_true(json_object_get(o, "error"));
		rs->reason = dup_str(o, "reason");
		attempts_load(rs, json_object_get(o, "attempts"));
		messages_load(rs, json_object_get(o, "messages"));
	}
	rc = 0;
out:
	if (rc < 0)
		run_info_free(ri);
	json_decref(root);
	free(path);
	return rc;
}

/*
 * infra_error - our infrastructure failed before scenario r could be
 * judged (run.json): what could not be judged is an error, not an
 * inconclusive result; a failure or pass already seen stands.
 */
static void
infra_error(struct score_result *r, const char *why)
{
	char *old;
	size_t i;

	if (why == NULL)
		why = "infrastructure failed";
	r->verdict = SCORE_PASS;
	for (i = 0; i < r->nexps; i++) {
		struct score_exp *x = &r->exps[i];

		if (x->verdict == SCORE_INCONCLUSIVE) {
			x->verdict = SCORE_ERROR;
			free(x->reason);
			x->reason = xstrdup(why);
		} else if (x->verdict == SCORE_ERROR) {
			/* e.g. "smtp.jsonl missing": say why it is. */
			old = x->reason;
			x->reason = xasprintf("%s (%s)", why, old ? old : "");
			free(old);
		}
		if (x->verdict > r->verdict)
			r->verdict = x->verdict;
	}
}

/*
 * attempts_describe - the report's view of rs's attempts: the connections
 * of the log facts fs that began in each attempt's time (from its start
 * to the next one's; the last one takes every later connection), their
 * MX hosts and what happened on them. Returns a new array (*n entries;
 * attempts_free), NULL when run.json has none.
 */
static struct report_attempt *
attempts_describe(
    const struct run_scn *rs, const struct facts_scn *fs, size_t *n)
{
	struct report_attempt *a;
	struct buf hosts, what;
	size_t k, i;

	*n = 0;
	if (rs == NULL || rs->natt == 0)
		return NULL;
	a = xcalloc(rs->natt, sizeof(*a));
	buf_init(&hosts);
	buf_init(&what);
	for (k = 0; k < rs->natt; k++) {
		double from = rs->att[k].started;
		double to = k + 1 < rs->natt ? rs->att[k + 1].started : 0;

		buf_reset(&hosts);
		buf_reset(&what);
		a[k].n = rs->att[k].n;
		a[k].started = from;
		a[k].ended = rs->att[k].ended;
		a[k].sut_status = rs->att[k].sut_status;
		for (i = 0; fs != NULL && i < fs->nconns; i++) {
			const struct facts_conn *c = &fs->conns[i];

			if ((k > 0 && c->t_start < from) ||
			    (to > 0 && c->t_start >= to))
				continue;
			a[k].nconns++;
			if (strstr(buf_cstr(&hosts), c->host) == NULL) {
				if (hosts.len > 0)
					buf_puts(&hosts, ", ");
				buf_puts(&hosts, c->host);
			}
			buf_printf(
			    &what, "%s%s:", what.len ? "; " : "", c->host);
			if (c->starttls_sent)
				buf_printf(
				    &what, " STARTTLS %d,", c->starttls_code);
			if (c->tls_ok)
				buf_printf(&what, " TLS %s%s,",
				    c->tls_version ? c->tls_version : "up",
				    c->tls_resumed ? " (resumed session)" : "");
			else if (c->client_hello)
				buf_printf(&what, " TLS failed%s%s%s,",
				    c->tls_alert ? " (" : "",
				    c->tls_alert ? c->tls_alert : "",
				    c->tls_alert ? ")" : "");
			else if (c->starttls_code == 220)
				buf_puts(&what, " no ClientHello,");
			if (c->mail_plain)
				buf_puts(&what, " MAIL FROM in clear,");
			else if (c->mail_tls)
				buf_puts(&what, " MAIL FROM over TLS,");
			if (c->msg_plain)
				buf_puts(&what, " message stored in clear,");
			else if (c->msg_tls)
				buf_puts(&what, " message stored over TLS,");
			if (what.data[what.len - 1] == ',')
				what.data[--what.len] = '\0';
			if (what.data[what.len - 1] == ':')
				buf_puts(&what, " connected");
		}
		if (a[k].nconns == 0)
			buf_puts(&what, "no connection to an MX host");
		a[k].hosts = xstrdup(buf_cstr(&hosts));
		a[k].what = xstrdup(buf_cstr(&what));
	}
	buf_free(&hosts);
	buf_free(&what);
	*n = rs->natt;
	return a;
}

/*
 * retry_unseen - the run loop opened another attempt of rs and never saw
 * it end (its flush failed, the window or the run ended first): the
 * SUT's "deferred" may be the word of the attempt before, so only a
 * stored message may still decide the scenario here.
 */
static int
retry_unseen(const struct run_scn *rs)
{
	return rs != NULL && !rs->decided && rs->natt > 1 &&
	       rs->att[rs->natt - 1].ended == 0;
}

/*
 * attempts_short - the run loop left rs undecided before the attempts
 * its scenario s asks for ("attempts N": its phases need them) were
 * made (no flush step, the window or the run ended first): a deferral
 * of an earlier attempt is not the outcome the scenario judges, so only
 * a stored message may still decide it here.
 */
static int
attempts_short(const struct run_scn *rs, const struct scn *s)
{
	return rs != NULL && !rs->decided && rs->natt < (size_t)s->attempts;
}

/* stored - whether fakemx stored the scenario's message. */
static int
stored(const struct facts_scn *fs)
{
	size_t i;

	for (i = 0; fs != NULL && i < fs->nconns; i++)
		if (fs->conns[i].msg_plain || fs->conns[i].msg_tls)
			return 1;
	return 0;
}

/*
 * late_decided - whether what the logs show decides the scenario now
 * although the run loop had not seen it (as score_decided, after a
 * retry it never saw end only with a stored message): with several
 * messages, every message of the scenario was sent and each is decided
 * on its own stored copies and SUT word.
 */
static int
late_decided(const struct run_scn *rs, const struct score_input *in)
{
	struct facts_scn *v;
	size_t k;
	/* after a retry it never saw end, or short of the attempts the
	   scenario's phases need, only a stored message decides */
	int only_stored = retry_unseen(rs) || attempts_short(rs, in->s);
	int ok = 1;

	if (scn_messages(in->s) > 1 && in->nmsgs < (size_t)scn_messages(in->s))
		return 0; /* a message was never sent */
	if (in->nmsgs <= 1)
		return score_decided(in->logs, in->sut) &&
		       (!only_stored || stored(in->logs));
	for (k = 0; k < in->nmsgs && ok; k++) {
		v = facts_of_message(in->logs, in->msgs[k].message_id);
		ok = score_decided(v, in->msgs[k].sut) &&
		     (!only_stored || stored(v));
		facts_view_free(v);
	}
	return ok;
}

/* set_attempts - the attempt of each connection and query of fs, from
   run.json's attempts of the scenario (none known without them). */
static void
set_attempts(const struct run_scn *rs, struct facts_scn *fs)
{
	double *started;
	int *n;
	size_t k, count = rs != NULL ? rs->natt : 0;

	started = xcalloc(count ? count : 1, sizeof(*started));
	n = xcalloc(count ? count : 1, sizeof(*n));
	for (k = 0; k < count; k++) {
		started[k] = rs->att[k].started;
		n[k] = rs->att[k].n;
	}
	facts_set_attempts(fs, started, n, count);
	free(started);
	free(n);
}

/*
 * messages_describe - the messages of rs for the report (new array,
 * free()), when the scenario was judged per message; NULL otherwise.
 */
static struct report_message *
messages_describe(
    const struct run_scn *rs, const struct score_result *res, size_t *n)
{
	struct report_message *m;
	size_t k;

	*n = 0;
	if (rs == NULL || res->nmsgs < 2 || rs->nmsgs < res->nmsgs)
		return NULL;
	m = xcalloc(res->nmsgs, sizeof(*m));
	for (k = 0; k < res->nmsgs; k++) {
		m[k].n = (int)k + 1;
		m[k].message_id = rs->msgs[k].message_id;
		m[k].sut_status = rs->msgs[k].sut_status;
		m[k].attempt = rs->msgs[k].attempt;
		m[k].injected_at = rs->msgs[k].injected_at;
		m[k].attempts = rs->msgs[k].attempts;
	}
	*n = res->nmsgs;
	return m;
}

/* attempts_free - release what attempts_describe made. */
static void
attempts_free(struct report_attempt *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].hosts);
		free(a[i].what);
	}
	free(a);
}

/* run_scn_for - what run.json says about scenario id, or NULL. */
static const struct run_scn *
run_scn_for(const struct run_info *ri, const char *id)
{
	size_t i;

	for (i = 0; i < ri->n; i++)
		if (strcmp(ri->scns[i].id, id) == 0)
			return &ri->scns[i];
	return NULL;
}

/* is_dir - whether path is a directory. */
static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* want_colour - whether to colour the terminal summary. */
static int
want_colour(const struct analyse_opts *o)
{
	return term_colour(o->colour, fileno(stdout));
}

/* rerun_cmd - the command that runs scenario s alone against the same
   SUT with the same options (new string). */
static char *
rerun_cmd(const struct run_info *ri, const struct scn *s)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_puts(&b, "danesim run --sut ");
	provenance_shell_quote(&b, ri->sut_name ? ri->sut_name : "SUT");
	for (i = 0; i < ri->nsut_options; i++) {
		buf_puts(&b, " --sut-opt ");
		provenance_shell_quote(&b, ri->sut_options[i]);
	}
	buf_puts(&b, " --only ");
	provenance_shell_quote(&b, s->id);
	return buf_steal(&b);
}

/* put_name_re - name (final dot cut) as a regular expression for a
   Wireshark string literal: dots escaped twice (regex, then string). */
static void
put_name_re(struct buf *b, const char *name)
{
	size_t n = strlen(name);

	if (n > 0 && name[n - 1] == '.')
		n--;
	for (; n > 0; name++, n--) {
		if (*name == '.')
			buf_puts(b, "\\\\.");
		else if (strchr("\\\"()[]{}|*+?^$", *name) == NULL)
			buf_putc(b, *name);
	}
}

/*
 * wireshark_filter - a display filter for scenario s: its MX addresses,
 * IPv4 and IPv6 (every SMTP connection to it) and the DNS questions about its
 * zones (new string).
 */
static char *
wireshark_filter(const struct world *w, const struct scn *s)
{
	struct buf b, names;
	size_t i;

	buf_init(&b);
	buf_init(&names);
	for (i = 0; i < w->nmxs; i++) {
		if (w->mxs[i].scn != s)
			continue;
		buf_printf(
		    &b, "%sip.addr == %s", b.len ? " || " : "", w->mxs[i].addr);
		if (w->mxs[i].addr6 != NULL)
			buf_printf(&b, " || ipv6.addr == %s", w->mxs[i].addr6);
	}
	put_name_re(&names, world_domain(s));
	for (i = 0; i < w->nzones; i++)
		if (w->zones[i].scn == s &&
		    strcasecmp(w->zones[i].name, world_domain(s)) != 0) {
			buf_putc(&names, '|');
			put_name_re(&names, w->zones[i].name);
		}
	buf_printf(&b, "%sdns.qry.name matches \"(^|\\\\.)(%s)$\"",
	    b.len ? " || " : "", buf_cstr(&names));
	buf_free(&names);
	return buf_steal(&b);
}

/* load_catalogue - the run's own copy of the catalogue, else the
   default one; 0, or -1 when none loads (cat zeroed). */
static int
load_catalogue(const char *run_dir, struct scn_catalogue *cat)
{
	char *p = xasprintf("%s/%s", run_dir, REPORTS_CATALOGUE);
	int rc;

	memset(cat, 0, sizeof(*cat));
	if (access(p, R_OK) != 0) {
		free(p);
		p = scn_catalogue_default();
	}
	rc = p != NULL ? scn_catalogue_load(p, cat) : -1;
	if (rc < 0)
		memset(cat, 0, sizeof(*cat));
	free(p);
	return rc;
}

/* analysis_provenance - run.json's provenance, else what this process
   knows, with who analysed it (new reference). */
static json_t *
analysis_provenance(const struct run_info *ri)
{
	json_t *o = ri->provenance ? json_deep_copy(ri->provenance)
	                           : provenance_collect();

	json_object_set_new(
	    o, "recorded_by", json_string(ri->provenance ? "run" : "analyse"));
	json_object_set_new(
	    o, "analysed_with", json_string("danesim " DANESIM_VERSION));
	json_object_set_new(o, "analysed_with_commit",
	    provenance_commit()[0] ? json_string(provenance_commit())
	                           : json_null());
	return o;
}

/*
 * mark_capture_loss - a capture whose process counted dropped packets
 * (run.json capture.stats) is incomplete, whatever the file looks like.
 */
static void
mark_capture_loss(const struct run_info *ri, struct facts *cap)
{
	unsigned long lost = ri->capture_ps_drop + ri->capture_ps_ifdrop;
	char *p;

	if (!ri->capture_have_stats || lost == 0)
		return;
	p = xasprintf("%s%sthe capture process lost %lu packet%s "
	              "(pcap_stats ps_drop %lu, ps_ifdrop %lu)",
	    cap->note ? cap->note : "", cap->note ? "; " : "", lost,
	    lost == 1 ? "" : "s", ri->capture_ps_drop, ri->capture_ps_ifdrop);
	free(cap->note);
	cap->note = p;
	cap->complete = 0;
}

/*
 * lap - log (-v) the time since *t as what, and restart the clock: where
 * the analysis of a run spends its time.
 */
static void
lap(struct timespec *t, const char *what)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (what != NULL)
		log_info("time: analysis: %s %.2f s", what,
		    (double)(now.tv_sec - t->tv_sec) +
		        (now.tv_nsec - t->tv_nsec) / 1e9);
	*t = now;
}

/* The two readers of the event logs' one pass (read_logs). */
struct log_readers {
	struct facts_builder *facts;
	struct html_evidence *html;
};

/* log_event - an evlog_fn: one event to the judge's facts and to the
   HTML report's excerpts. */
static void
log_event(void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw)
{
	struct log_readers *r = arg;

	facts_builder_event(r->facts, log, ev, flaw);
	html_evidence_event(r->html, log, ev, flaw);
}

/*
 * read_logs - read run_dir's event logs once: the facts of the suite of
 * w (returned, never NULL) and the excerpts of report.html (*hx, new).
 */
static struct facts *
read_logs(const struct world *w, const char *run_dir,
    const struct scn_suite *suite, struct html_evidence **hx)
{
	struct log_readers r;
	int have_dns, have_smtp;

	r.facts = facts_builder_new(w);
	r.html = html_evidence_new(suite);
	evlog_read_run(run_dir, log_event, &r, &have_dns, &have_smtp);
	*hx = r.html;
	return facts_builder_end(r.facts, have_dns, have_smtp);
}

int
analyse_run_dir(
    const char *run_dir, const struct analyse_opts *opts, int *exit_status)
{
	static const struct analyse_opts defaults = {
	    NULL, NULL, 0, 0, 0, NULL, NULL};
	struct conform_profile *own_prof = NULL;
	const struct conform_profile *prof;
	struct conform_result *cr = NULL;
	struct scn_catalogue cat;
	int have_cat = 0;
	struct scn_suite suite = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	struct run_info ri;
	struct world *w = NULL;
	struct facts *logs = NULL, *cap = NULL;
	struct html_evidence *hx = NULL;
	struct score_result **res = NULL;
	struct report rep;
	struct report_counts counts;
	struct expect_set *xs = NULL;
	char *scn_dir = NULL, *pcap = NULL, *p, why[512], sha[65];
	char *analysis = NULL;
	const char *out_dir;
	struct buf cmp;
	struct timespec t;
	struct score_msg *msgs = NULL;
	size_t i, k;
	int rc = -1, have_ri = 0, bad = 0;

	lap(&t, NULL);
	if (opts == NULL)
		opts = &defaults;
	*exit_status = 2;
	out_dir = opts->out_dir ? opts->out_dir : run_dir;
	if (!is_dir(run_dir)) {
		fprintf(stderr, "danesim: %s: no such run folder\n", run_dir);
		goto out;
	}
	if (opts->out_dir != NULL && !is_dir(out_dir) &&
	    mkdir(out_dir, 0755) == -1) {
		fprintf(stderr, "danesim: %s: %s\n", out_dir, strerror(errno));
		goto out;
	}
	if (opts->expect != NULL &&
	    (xs = expect_load(opts->expect, why, sizeof(why))) == NULL) {
		fprintf(stderr, "danesim: %s\n", why);
		goto out;
	}
	if (run_info_load(run_dir, &ri) < 0)
		goto out;
	have_ri = 1;
	scn_dir = xasprintf("%s/scenarios", run_dir);
	if (!is_dir(scn_dir)) {
		fprintf(stderr, "danesim: %s: not a run folder (%s missing)\n",
		    run_dir, scn_dir);
		goto out;
	}
	if (scn_suite_load(&suite, &scn_dir, 1, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		fprintf(stderr,
		    "danesim: %s: the run's scenario copies do not "
		    "load\n",
		    run_dir);
		goto out;
	}
	if (suite.n == 0) {
		fprintf(stderr, "danesim: %s: no scenario in %s\n", run_dir,
		    scn_dir);
		goto out;
	}
	/*
	 * Severities (and later the scope line) come from one catalogue:
	 * the copy the run kept, else the share folder's.
	 */
	if (load_catalogue(run_dir, &cat) < 0) {
		fprintf(stderr,
		    "danesim: no requirement catalogue (%s/%s, or the share "
		    "folder's): every expectation's severity comes from it\n",
		    run_dir, REPORTS_CATALOGUE);
		goto out;
	}
	have_cat = 1;
	if (scn_suite_apply_catalogue(&suite, &cat, &errs) < 0) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "danesim: %s\n", errs.msg[i]);
		goto out;
	}
	if ((w = world_load(&suite, run_dir)) == NULL) {
		fprintf(stderr,
		    "danesim: %s: cannot load the run's world "
		    "(world/world.json)\n",
		    run_dir);
		goto out;
	}
	if (suite_sha256(&suite, sha) < 0) {
		fprintf(stderr,
		    "danesim: %s: cannot hash the scenario "
		    "copies\n",
		    run_dir);
		goto out;
	}
	lap(&t, "suite, catalogue, world");
	logs = read_logs(w, run_dir, &suite, &hx);
	lap(&t, "event logs");

	/* The capture: the one asked for, else the run's own. */
	if (opts->pcap != NULL) {
		pcap = xstrdup(opts->pcap);
	} else if (ri.capture_file != NULL) {
		pcap = ri.capture_file[0] == '/'
		           ? xstrdup(ri.capture_file)
		           : xasprintf("%s/%s", run_dir, ri.capture_file);
	}
	if (pcap == NULL) {
		analysis = xasprintf("not analysed: %s",
		    ri.capture_note ? ri.capture_note
		                    : "the run made no capture");
	} else if (access(pcap, R_OK) == -1) {
		analysis =
		    xasprintf("not analysed: %s: %s", pcap, strerror(errno));
	} else if ((cap = analyse_capture_facts(w, pcap, why, sizeof(why))) ==
	           NULL) {
		analysis = xasprintf("not analysed: %s", why);
	} else {
		if (opts->pcap == NULL)
			mark_capture_loss(&ri, cap);
		analysis = xasprintf("analysed: %s%s%s", pcap,
		    cap->complete ? "" : " (incomplete: ",
		    cap->complete ? "" : (cap->note ? cap->note : "partial"));
		if (!cap->complete) {
			p = analysis;
			analysis = xasprintf("%s)", p);
			free(p);
		}
	}
	lap(&t, "capture");
	if (opts->pcap != NULL && cap == NULL) {
		fprintf(
		    stderr, "danesim: capture %s: %s\n", opts->pcap, analysis);
		goto out;
	}

	/* A profile given now wins over the one the run kept. */
	prof = opts->profile;
	if (prof == NULL) {
		p = xasprintf("%s/%s", run_dir, REPORTS_PROFILE);
		if (access(p, F_OK) == 0 &&
		    (own_prof = conform_load(p, why, sizeof(why))) == NULL) {
			fprintf(stderr, "danesim: %s\n", why);
			free(p);
			goto out;
		}
		free(p);
		prof = own_prof;
	}

	/* Before scoring: a disagreeing connection weakens pass claims. */
	buf_init(&cmp);
	if (cap != NULL)
		bad = capture_check(&suite, logs, cap, &cmp);

	res = xcalloc(suite.n, sizeof(*res));
	memset(&rep, 0, sizeof(rep));
	rep.scns = xcalloc(suite.n, sizeof(*rep.scns));
	for (i = 0; i < suite.n; i++) {
		const struct scn *s = suite.items[i];
		const struct run_scn *rs = run_scn_for(&ri, s->id);
		struct score_input in;

		memset(&in, 0, sizeof(in));
		in.w = w;
		in.s = s;
		set_attempts(rs, facts_for(logs, s));
		if (cap != NULL)
			set_attempts(rs, facts_for(cap, s));
		in.logs = facts_for(logs, s);
		in.have_smtp = logs->have_smtp;
		in.have_dns = logs->have_dns;
		in.cap = cap ? facts_for(cap, s) : NULL;
		in.cap_complete = cap ? cap->complete : 0;
		in.sut = scn_sut_from_str(rs ? rs->sut_status : NULL);
		if (rs != NULL && scn_messages(s) > 1 && rs->nmsgs > 1) {
			msgs = xcalloc(rs->nmsgs, sizeof(*msgs));
			for (k = 0; k < rs->nmsgs; k++) {
				msgs[k].message_id = rs->msgs[k].message_id;
				msgs[k].sut =
				    scn_sut_from_str(rs->msgs[k].sut_status);
			}
			in.msgs = msgs;
			in.nmsgs = rs->nmsgs;
		}
		/*
		 * What the logs show now may decide a scenario the run loop
		 * had not polled again (a message stored just before the end).
		 */
		in.decided = (rs != NULL && rs->decided) ||
		             (logs->have_smtp && late_decided(rs, &in));
		in.undecided_reason =
		    rs ? (rs->reason
		                 ? rs->reason
		                 : (ri.interrupted ? "the run was interrupted"
		                                   : NULL))
		       : "the scenario is missing from run.json";
		res[i] = score_scenario(&in);
		if (rs != NULL && rs->error)
			infra_error(res[i], in.undecided_reason);
		rep.scns[i].s = s;
		rep.scns[i].res = res[i];
		rep.scns[i].sut_status = rs ? rs->sut_status : NULL;
		rep.scns[i].reason = in.undecided_reason;
		rep.scns[i].message_id = rs ? rs->message_id : NULL;
		rep.scns[i].rerun = rerun_cmd(&ri, s);
		rep.scns[i].wireshark = wireshark_filter(w, s);
		rep.scns[i].attempts =
		    attempts_describe(rs, in.logs, &rep.scns[i].nattempts);
		rep.scns[i].messages =
		    messages_describe(rs, res[i], &rep.scns[i].nmessages);
		free(msgs);
		msgs = NULL;
	}
	if (prof != NULL)
		cr = conform_eval(prof, (const struct scn *const *)suite.items,
		    (const struct score_result *const *)res, suite.n);
	rep.conform = cr;
	rep.cat = have_cat ? &cat : NULL;
	rep.provenance = analysis_provenance(&ri);
	rep.n = suite.n;
	rep.sut_name = ri.sut_name;
	rep.sut_version = ri.sut_version;
	rep.sut_options = ri.sut_options;
	rep.nsut_options = ri.nsut_options;
	rep.suite_version = SCN_FORMAT_VERSION;
	rep.suite_sha256 = sha;
	rep.started = ri.started;
	rep.finished = ri.finished;
	rep.interrupted = ri.interrupted;
	rep.capture_ok = ri.capture_ok;
	rep.capture_file = ri.capture_file;
	rep.capture_note = ri.capture_note;
	rep.infra_error = ri.error;
	rep.sut_note = ri.sut_note;
	rep.attempts_note = ri.attempts_note;
	rep.capture_analysed = cap != NULL;
	rep.capture_analysis = analysis;
	rep.capture_have_stats = ri.capture_have_stats;
	rep.capture_packets = ri.capture_packets;
	rep.capture_ps_recv = ri.capture_ps_recv;
	rep.capture_ps_drop = ri.capture_ps_drop;
	rep.capture_ps_ifdrop = ri.capture_ps_ifdrop;
	rep.capture_compared = cap != NULL;
	rep.capture_disagreements = (size_t)bad;
	rep.logs_complete = logs->complete;
	rep.logs_note = logs->note;
	rep.run_dir = out_dir;
	rep.expect = xs;
	rep.expect_file = opts->expect;
	lap(&t, "capture check and scoring");

	rc = reports_write(&rep, out_dir, hx);
	lap(&t, "reports");
	if (rc == 0 && pcap != NULL && opts->pcap == NULL &&
	    access(pcap, R_OK) == 0) {
		char *keys = xasprintf("%s/tls-keys.log", run_dir);

		p = xasprintf("%s/capture.pcapng", out_dir);
		if (pcapng_write_with_keys(pcap, keys, p, why, sizeof(why)) < 0)
			fprintf(stderr,
			    "danesim: capture.pcapng not written: "
			    "%s\n",
			    why);
		free(keys);
		free(p);
		lap(&t, "capture.pcapng");
	}
	if (rc < 0) {
		fprintf(stderr, "danesim: cannot write the reports in %s\n",
		    out_dir);
	} else {
		report_count(&rep, &counts);
		*exit_status = report_exit_status(&counts);
		if (cap != NULL) {
			FILE *f;

			p = xasprintf("%s/capture-check.txt", out_dir);
			if ((f = fopen(p, "w")) != NULL) {
				fputs(buf_cstr(&cmp), f);
				fclose(f);
			}
			if (opts->check_capture && bad > 0) {
				fprintf(stderr,
				    "danesim: the capture and the event logs "
				    "disagree %d time(s); see %s\n",
				    bad, p);
				*exit_status = 1;
			}
			free(p);
		} else if (opts->check_capture) {
			fprintf(
			    stderr, "danesim: --check-capture: %s\n", analysis);
			*exit_status = 2;
		}
		if (!opts->quiet)
			report_print_terminal(&rep, stdout, want_colour(opts));
		if (xs != NULL) {
			p = xasprintf("%s/report.json", out_dir);
			expect_print_report(xs, p, stdout);
			free(p);
		}
	}
	for (i = 0; i < suite.n; i++) {
		score_result_free(res[i]);
		free((char *)rep.scns[i].rerun);
		free((char *)rep.scns[i].wireshark);
		free((struct report_message *)rep.scns[i].messages);
		attempts_free((struct report_attempt *)rep.scns[i].attempts,
		    rep.scns[i].nattempts);
	}
	free(res);
	free(rep.scns);
	json_decref(rep.provenance);
	buf_free(&cmp);
out:
	conform_result_free(cr);
	conform_free(own_prof);
	if (have_cat)
		scn_catalogue_free(&cat);
	expect_free(xs);
	if (have_ri)
		run_info_free(&ri);
	facts_free(cap);
	facts_free(logs);
	html_evidence_free(hx);
	world_free(w);
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	free(analysis);
	free(scn_dir);
	free(pcap);
	return rc;
}
