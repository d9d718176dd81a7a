/*
 * score.c - the verdict engine (see score.h for the rules).
 *
 * Each expectation kind of docs/scenario-format.md has one function here
 * that reads the facts of the logs and, when there is one, of the capture,
 * and writes a verdict with its evidence. The RFC behind the kinds:
 * RFC 7672 §2.2 (no MAIL FROM before TLS when usable TLSA records exist:
 * never mail-plaintext / data-plaintext, mail-tls), §2.1.1-§2.2.2 (no
 * connection to a host whose TLSA or MX lookup failed: never connect,
 * never mail), §8.1 (SNI; no SSL 2.0-compatible hello: never sslv2-hello),
 * §2.2 and §2.1.2 (TLSA queries), §2.2.2 and §2.2.3 (the order of the
 * address and TLSA queries: query-order), RFC 3207 §4.2 (what the server
 * said before TLS forgotten: never pipelined-after-tls, never
 * bdat-after-tls), and the message's fate (outcome).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness/judge/score.h"
#include "buf.h"
#include "xmalloc.h"

/* A predicate on one connection. */
typedef int (*conn_pred)(const struct facts_conn *c);

/* pred_any - a TCP connection was made. */
static int
pred_any(const struct facts_conn *c)
{
	(void)c;
	return 1;
}

/* pred_starttls - the client sent STARTTLS. */
static int
pred_starttls(const struct facts_conn *c)
{
	return c->starttls_sent;
}

/* pred_mail_plain - MAIL FROM in clear. */
static int
pred_mail_plain(const struct facts_conn *c)
{
	return c->mail_plain;
}

/* pred_mail_any - MAIL FROM, in clear or inside TLS. */
static int
pred_mail_any(const struct facts_conn *c)
{
	return c->mail_plain || c->mail_tls;
}

/* pred_mail_tls - MAIL FROM inside TLS. */
static int
pred_mail_tls(const struct facts_conn *c)
{
	return c->mail_tls;
}

/* pred_data_plain - DATA (or BDAT) in clear. */
static int
pred_data_plain(const struct facts_conn *c)
{
	return c->data_plain;
}

/* pred_msg_plain - a message accepted in clear. */
static int
pred_msg_plain(const struct facts_conn *c)
{
	return c->msg_plain;
}

/* pred_hello - a TLS ClientHello was seen. */
static int
pred_hello(const struct facts_conn *c)
{
	return c->client_hello;
}

/* pred_gap - the capture lost part of this connection's stream. */
static int
pred_gap(const struct facts_conn *c)
{
	return c->gap;
}

/* How many connections to a host satisfy a predicate, and the first. */
struct tally {
	size_t n;
	size_t total; /* connections to the host */
	const struct facts_conn *first;
};

/* host_ok - whether connection c is to MX label host (NULL: any). */
static int
host_ok(const struct facts_conn *c, const char *host)
{
	if (host == NULL)
		return 1;
	return c->host != NULL && strcmp(c->host, host) == 0;
}

/* count - tally the connections of fs to host that satisfy pred. */
static struct tally
count(const struct facts_scn *fs, const char *host, conn_pred pred)
{
	struct tally t = {0, 0, NULL};
	size_t i;

	if (fs == NULL)
		return t;
	for (i = 0; i < fs->nconns; i++) {
		const struct facts_conn *c = &fs->conns[i];

		if (!host_ok(c, host))
			continue;
		t.total++;
		if (pred(c)) {
			if (t.first == NULL)
				t.first = c;
			t.n++;
		}
	}
	return t;
}

/* put_host - "mx1 (127.25.0.4)", or "any MX host" when label is NULL. */
static void
put_host(struct buf *b, const struct score_input *in, const char *label)
{
	const char *addr = NULL;

	if (label == NULL) {
		buf_puts(b, "any MX host of the scenario");
		return;
	}
	if (in->w != NULL)
		addr = world_mx_addr(in->w, in->s, label);
	if (addr != NULL)
		buf_printf(b, "%s (%s)", label, addr);
	else
		buf_puts(b, label);
}

/* put_conn - "connection 7", or "the connection from 127.0.0.1:4000". */
static void
put_conn(struct buf *b, const struct facts_conn *c)
{
	if (c->id > 0)
		buf_printf(b, "connection %ld", c->id);
	else if (c->client != NULL)
		buf_printf(b, "the connection from %s", c->client);
	else
		buf_puts(b, "a connection");
}

/* put_times - " (on N connections)" when more than one. */
static void
put_times(struct buf *b, size_t n)
{
	if (n > 1)
		buf_printf(b, " (on %zu connections)", n);
}

/* undecided_reason - why a not-yet-seen fact cannot be judged. */
static char *
undecided_reason(const struct score_input *in)
{
	struct tally t = count(in->logs, NULL, pred_any);

	if (t.total == 0 && in->undecided_reason == NULL)
		return xstrdup(
		    "not decided: the SUT never tried (no connection "
		    "to any MX of the scenario)");
	if (t.total == 0)
		return xasprintf("not decided: %s; the SUT made no connection "
		                 "to any MX of the scenario",
		    in->undecided_reason);
	return xasprintf("not decided: %s",
	    in->undecided_reason ? in->undecided_reason
	                         : "the window ended before the SUT settled");
}

/* set - fill an expectation's verdict, taking the strings. */
static void
set(struct score_exp *x, enum score_verdict v, char *evidence, char *reason)
{
	x->verdict = v;
	free(x->evidence);
	free(x->reason);
	x->evidence = evidence;
	x->reason = reason;
}

/*
 * set_decided - verdict v on evidence when the run decided the scenario;
 * else INCONCLUSIVE on it, with why it was not decided: a fact not seen
 * yet may still come.
 */
static void
set_decided(const struct score_input *in, struct score_exp *x,
    enum score_verdict v, char *evidence)
{
	if (in->decided)
		set(x, v, evidence, NULL);
	else
		set(x, SCORE_INCONCLUSIVE, evidence, undecided_reason(in));
}

/* set_no_capture - INCONCLUSIVE: the line needs the capture (why), and
   there is none. */
static void
set_no_capture(struct score_exp *x, const char *why)
{
	set(x, SCORE_INCONCLUSIVE, xstrdup("no capture"), xstrdup(why));
}

/* set_no_log - ERROR: our own fakemx (smtp) or fakedns log is missing. */
static void
set_no_log(struct score_exp *x, int smtp)
{
	if (smtp)
		set(x, SCORE_ERROR, xstrdup("no fakemx event log"),
		    xstrdup("smtp.jsonl missing: fakemx's observations are "
		            "not available"));
	else
		set(x, SCORE_ERROR, xstrdup("no fakedns query log"),
		    xstrdup("dns.jsonl missing: fakedns's observations are "
		            "not available"));
}

/* describe_side - "MAIL FROM in clear on connection 7 (and 1 more)". */
static void
describe_side(struct buf *b, const char *src, const char *what, struct tally t,
    int complete)
{
	buf_printf(b, "%s: ", src);
	if (t.n == 0) {
		buf_printf(b, "no %s", what);
		if (!complete)
			buf_puts(b, " (source incomplete)");
		return;
	}
	buf_printf(b, "%s on ", what);
	put_conn(b, t.first);
	if (t.n > 1)
		buf_printf(b, " and %zu more", t.n - 1);
}

/*
 * conflict - whether the logs and the capture disagree on pred for host.
 * A capture that is incomplete does not contradict by missing a thing.
 * On disagreement returns a new string naming both sides.
 */
static char *
conflict(const struct score_input *in, const char *host, conn_pred pred,
    const char *what)
{
	struct tally l, c;
	struct buf b;

	if (in->cap == NULL || in->logs == NULL || !in->have_smtp)
		return NULL;
	l = count(in->logs, host, pred);
	c = count(in->cap, host, pred);
	if ((l.n > 0) == (c.n > 0))
		return NULL;
	/*
	 * A capture that missed packets (incomplete, or a gap in a stream to
	 * this host) cannot contradict a sighting by missing it.
	 */
	if (c.n == 0 &&
	    (!in->cap_complete || count(in->cap, host, pred_gap).n > 0))
		return NULL;
	buf_init(&b);
	buf_puts(&b, "conflicting evidence at ");
	buf_printf(&b, "%s", host ? host : "the scenario's MX hosts");
	buf_puts(&b, ": ");
	describe_side(&b, "logs", what, l, 1);
	buf_puts(&b, "; ");
	describe_side(&b, "capture", what, c, in->cap_complete);
	return buf_steal(&b);
}

/* put_summary - a summary of connections to host for evidence. */
static void
put_summary(struct buf *b, const struct facts_scn *fs, const char *host)
{
	struct tally all = count(fs, host, pred_any);
	struct tally st = count(fs, host, pred_starttls);
	struct tally hs = count(fs, host, pred_hello);
	struct tally mp = count(fs, host, pred_mail_plain);
	size_t ok = 0, i;

	if (all.total == 0) {
		buf_puts(b, "no TCP connection");
		return;
	}
	for (i = 0; fs != NULL && i < fs->nconns; i++)
		if (host_ok(&fs->conns[i], host) && fs->conns[i].tls_ok)
			ok++;
	buf_printf(b,
	    "%zu connection%s, STARTTLS on %zu, ClientHello on "
	    "%zu, TLS completed on %zu, MAIL in clear on %zu",
	    all.total, all.total == 1 ? "" : "s", st.n, hs.n, ok, mp.n);
}

/* pred_early - a command sent before the reply it had to wait for. */
static int
pred_early(const struct facts_conn *c)
{
	return c->early > 0;
}

/* pred_pipelined - a command inside TLS sent before the previous reply. */
static int
pred_pipelined(const struct facts_conn *c)
{
	return c->pipelined_tls > 0;
}

/* pred_bdat_tls - BDAT inside TLS. */
static int
pred_bdat_tls(const struct facts_conn *c)
{
	return c->bdat_tls;
}

/* pred_bad_sni - a ClientHello whose server_name RFC 6066 §3 forbids. */
static int
pred_bad_sni(const struct facts_conn *c)
{
	return c->client_hello && facts_sni_flaw(c) != NULL;
}

/*
 * A "never" kind: what violates it in the logs, and what of it the
 * capture can see too (NULL: nothing; the order of the client's data
 * and the server's replies inside TLS is encrypted, so only fakemx's log
 * knows about early commands).
 */
struct never_kind {
	conn_pred violates;   /* from the logs */
	conn_pred comparable; /* what the capture can also see, or NULL */
	const char *what;     /* "MAIL FROM in clear" */
};

/* put_violation - what the logs saw on connection c, for evidence. */
static void
put_violation(struct buf *b, const struct score_input *in,
    const struct never_kind *k, const struct facts_conn *c)
{
	if (k->violates == pred_mail_any || k->violates == pred_mail_plain) {
		/* "MAIL FROM:<a@b> received in clear at mx1 ..." */
		buf_puts(b, "MAIL FROM");
		if (c->mail_from != NULL)
			buf_printf(b, ":<%s>", c->mail_from);
		buf_puts(b, c->mail_plain ? " received in clear"
		                          : " received inside TLS");
	} else if (k->violates == pred_early) {
		buf_printf(b,
		    "%s sent before fakemx had written its reply to %s",
		    c->early_verb[0] ? c->early_verb : "a command",
		    c->early_wait[0] ? c->early_wait : "the previous command");
		if (c->early > 1)
			buf_printf(b, " (%d such commands)", c->early);
	} else if (k->violates == pred_pipelined) {
		buf_printf(b,
		    "%s sent inside TLS before fakemx had written its reply "
		    "to %s",
		    c->pipe_verb[0] ? c->pipe_verb : "a command",
		    c->pipe_after[0] ? c->pipe_after : "the command before");
		if (c->pipelined_tls > 1)
			buf_printf(b, " (%d such commands)", c->pipelined_tls);
	} else if (k->violates == pred_bad_sni) {
		buf_puts(b, "ClientHello with SNI ");
		if (c->sni != NULL)
			buf_printf(b, "\"%s\"", c->sni);
		else
			buf_puts(b, "(unreadable)");
		buf_printf(b, ": %s", facts_sni_flaw(c));
	} else
		buf_puts(b, k->what);
	buf_puts(b, k->violates == pred_any ? " to " : " at ");
	put_host(b, in, c->host);
	buf_puts(b, " on ");
	put_conn(b, c);
	if (k->violates == pred_any && c->client != NULL)
		buf_printf(b, " from %s", c->client);
}

/*
 * score_never_conn - expect never connect / mail / mail-plaintext /
 * data-plaintext / early-command.
 *
 * The order of the checks is the rule (docs/report-schema.md): a
 * forbidden event FAILS as soon as any evidence source saw it once.
 *   1. fakemx's log saw it: FAIL (whatever the capture says).
 *   2. the capture saw it: FAIL, even when the log did not - fakemx may
 *      have closed already (a 421 to STARTTLS) while the sender went on
 *      and sent MAIL FROM in clear; both sides are named.
 *   3. only a PASS claim is left; conflicting evidence could only make
 *      it inconclusive, but here neither source saw the forbidden event,
 *      so they agree on it. A missing log is an ERROR, an undecided
 *      scenario INCONCLUSIVE.
 */
static void
score_never_conn(const struct score_input *in, struct score_exp *x,
    const struct never_kind *k)
{
	const char *host = x->e->host;
	int have_logs = in->have_smtp && in->logs != NULL;
	struct tally v = count(have_logs ? in->logs : NULL, host, k->violates);
	struct tally cv = {0, 0, NULL};
	struct buf b;

	if (k->comparable != NULL)
		cv = count(in->cap, host, k->comparable);
	buf_init(&b);
	if (v.n > 0) {
		put_violation(&b, in, k, v.first);
		put_times(&b, v.n);
		if (k->comparable != NULL && in->cap != NULL)
			buf_printf(&b, "; capture: %s",
			    cv.n > 0 ? "saw it too" : "did not see it");
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		return;
	}
	if (cv.n > 0) {
		buf_puts(&b, "capture: ");
		if (k->violates == pred_bad_sni)
			put_violation(&b, in, k, cv.first);
		else {
			buf_printf(&b, "%s %s ", k->what,
			    k->violates == pred_any ? "to" : "at");
			put_host(&b, in, cv.first->host);
			buf_puts(&b, " on ");
			put_conn(&b, cv.first);
		}
		if (cv.first->client != NULL && cv.first->id <= 0)
			buf_printf(&b, " (client %s)", cv.first->client);
		put_times(&b, cv.n);
		buf_puts(&b, have_logs ? "; fakemx's log: none (a forbidden "
		                         "event fails whichever source saw it)"
		                       : "; no fakemx log");
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		return;
	}
	if (!have_logs) {
		buf_free(&b);
		set_no_log(x, 1);
		return;
	}
	buf_printf(
	    &b, "no %s %s ", k->what, k->violates == pred_any ? "to" : "at");
	put_host(&b, in, host);
	buf_puts(&b, ": ");
	put_summary(&b, in->logs, host);
	set_decided(in, x, SCORE_PASS, buf_steal(&b));
}

/* score_mail_tls - expect mail-tls HOST. */
static void
score_mail_tls(const struct score_input *in, struct score_exp *x)
{
	const char *host = x->e->host;
	struct tally v = count(in->logs, host, pred_mail_tls);
	struct buf b;
	char *why;

	buf_init(&b);
	if ((why = conflict(in, host, pred_any, "TCP connection")) != NULL ||
	    (why = conflict(in, host, pred_starttls, "STARTTLS")) != NULL ||
	    (why = conflict(in, host, pred_mail_plain, "MAIL FROM in clear")) !=
	        NULL) {
		put_summary(&b, in->logs, host);
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b), why);
		return;
	}
	if (!in->have_smtp || in->logs == NULL) {
		buf_free(&b);
		set_no_log(x, 1);
		return;
	}
	if (v.n > 0) {
		buf_puts(&b, "MAIL FROM");
		if (v.first->mail_from != NULL)
			buf_printf(&b, ":<%s>", v.first->mail_from);
		buf_puts(&b, " received inside TLS");
		if (v.first->tls_version != NULL)
			buf_printf(&b, " (%s)", v.first->tls_version);
		buf_puts(&b, " at ");
		put_host(&b, in, v.first->host);
		buf_puts(&b, " on ");
		put_conn(&b, v.first);
		put_times(&b, v.n);
		set(x, SCORE_PASS, buf_steal(&b), NULL);
		return;
	}
	buf_puts(&b, "no MAIL FROM inside TLS at ");
	put_host(&b, in, host);
	buf_puts(&b, ": ");
	put_summary(&b, in->logs, host);
	set_decided(in, x, SCORE_FAIL, buf_steal(&b));
}

/* same_name - DNS names equal, case-insensitive, final dot optional. */
static int
same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* SNI tally of one source for one host. */
struct sni_tally {
	size_t hellos;
	size_t good;
	size_t bad;
	const struct facts_conn *first_bad;
};

/* sni_count - ClientHellos to host, with SNI name or not. */
static struct sni_tally
sni_count(const struct facts_scn *fs, const char *host, const char *name)
{
	struct sni_tally t = {0, 0, 0, NULL};
	size_t i;

	for (i = 0; fs != NULL && i < fs->nconns; i++) {
		const struct facts_conn *c = &fs->conns[i];

		if (!host_ok(c, host) || !c->client_hello)
			continue;
		t.hellos++;
		if (c->sni != NULL && same_name(c->sni, name)) {
			t.good++;
		} else {
			t.bad++;
			if (t.first_bad == NULL)
				t.first_bad = c;
		}
	}
	return t;
}

/* put_sni_side - one source's SNI tally, for conflicts. */
static void
put_sni_side(
    struct buf *b, const char *src, struct sni_tally t, const char *name)
{
	buf_printf(b, "%s: %zu ClientHello%s, %zu with SNI %s", src, t.hellos,
	    t.hellos == 1 ? "" : "s", t.good, name);
	if (t.first_bad != NULL) {
		buf_puts(b, ", ");
		if (t.first_bad->sni != NULL)
			buf_printf(b, "SNI %s", t.first_bad->sni);
		else
			buf_puts(b, "no SNI");
		buf_puts(b, " on ");
		put_conn(b, t.first_bad);
	}
}

/* expand - a scenario name with its variables expanded (new string). */
static char *
expand(const struct score_input *in, const char *text)
{
	if (text == NULL)
		return NULL;
	if (in->w != NULL)
		return world_expand(in->w, in->s, text);
	if (strstr(text, "${") != NULL)
		return NULL;
	return xstrdup(text);
}

/* score_sni - expect sni HOST NAME: every ClientHello carried NAME. */
static void
score_sni(const struct score_input *in, struct score_exp *x)
{
	const char *host = x->e->host;
	struct sni_tally l, c;
	struct buf b;
	char *name;

	if ((name = expand(in, x->e->name)) == NULL) {
		set(x, SCORE_ERROR,
		    xasprintf(
		        "cannot expand \"%s\"", x->e->name ? x->e->name : ""),
		    xstrdup("variable expansion failed"));
		return;
	}
	buf_init(&b);
	l = sni_count(in->logs, host, name);
	c = sni_count(in->cap, host, name);
	/* A ClientHello without the right SNI fails whichever source saw
	 * it (the capture alone too); conflicts only stop a pass claim. */
	if (in->have_smtp && in->logs != NULL && l.bad > 0) {
		if (l.first_bad->sni != NULL)
			buf_printf(
			    &b, "SNI %s instead of %s", l.first_bad->sni, name);
		else
			buf_printf(
			    &b, "ClientHello without SNI (expected %s)", name);
		buf_puts(&b, " at ");
		put_host(&b, in, l.first_bad->host);
		buf_puts(&b, " on ");
		put_conn(&b, l.first_bad);
		if (l.bad > 1)
			buf_printf(&b, " (%zu of %zu ClientHellos wrong)",
			    l.bad, l.hellos);
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		goto out;
	}
	if (in->cap != NULL && c.bad > 0) {
		put_sni_side(&b, "capture", c, name);
		buf_puts(&b, " at ");
		put_host(&b, in, c.first_bad->host);
		if (in->have_smtp && in->logs != NULL) {
			buf_puts(&b, "; fakemx's log: ");
			put_sni_side(&b, "logs", l, name);
		}
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		goto out;
	}
	/* A capture that lost packets (incomplete, or a gap in a stream to
	 * this host) cannot contradict the logs by missing a hello. */
	if (in->cap != NULL && in->logs != NULL && in->have_smtp &&
	    (l.hellos > 0) != (c.hellos > 0) &&
	    (c.hellos > 0 ||
	        (in->cap_complete && count(in->cap, host, pred_gap).n == 0))) {
		buf_puts(&b, "conflicting evidence at ");
		buf_puts(&b, host ? host : "the scenario's MX hosts");
		buf_puts(&b, ": ");
		put_sni_side(&b, "logs", l, name);
		buf_puts(&b, "; ");
		put_sni_side(&b, "capture", c, name);
		set(x, SCORE_INCONCLUSIVE, xstrdup(buf_cstr(&b)),
		    buf_steal(&b));
		goto out;
	}
	if (!in->have_smtp || in->logs == NULL) {
		set_no_log(x, 1);
		goto out;
	}
	if (l.good > 0) {
		buf_printf(&b, "SNI %s seen on %zu connection%s to ", name,
		    l.good, l.good == 1 ? "" : "s");
		put_host(&b, in, host);
		set_decided(in, x, SCORE_PASS, buf_steal(&b));
		goto out;
	}
	buf_puts(&b, "no ClientHello to ");
	put_host(&b, in, host);
	buf_puts(&b, ": ");
	put_summary(&b, in->logs, host);
	set_decided(in, x, SCORE_FAIL, buf_steal(&b));
out:
	buf_free(&b);
	free(name);
}

/* Queries of one source matching a name and type. */
struct query_tally {
	size_t n;
	size_t total;
	const struct facts_query *first;
};

/* query_count - queries of fs to fakedns for name/type (type ANY: any). */
static struct query_tally
query_count(const struct facts_scn *fs, const char *name, const char *type)
{
	struct query_tally t = {0, 0, NULL};
	size_t i;

	for (i = 0; fs != NULL && i < fs->nqueries; i++) {
		const struct facts_query *q = &fs->queries[i];

		if (q->to_sut)
			continue;
		t.total++;
		if (q->qname == NULL || q->qtype == NULL ||
		    !same_name(q->qname, name))
			continue;
		if (strcasecmp(type, "ANY") != 0 &&
		    strcasecmp(q->qtype, type) != 0)
			continue;
		if (t.first == NULL)
			t.first = q;
		t.n++;
	}
	return t;
}

/* score_query - expect [never] query NAME TYPE. */
static void
score_query(const struct score_input *in, struct score_exp *x, int never)
{
	const char *type = x->e->qtype ? x->e->qtype : "ANY";
	struct query_tally l, c;
	struct buf b;
	char *name;

	if ((name = expand(in, x->e->name)) == NULL) {
		set(x, SCORE_ERROR,
		    xasprintf(
		        "cannot expand \"%s\"", x->e->name ? x->e->name : ""),
		    xstrdup("variable expansion failed"));
		return;
	}
	buf_init(&b);
	l = query_count(in->logs, name, type);
	c = query_count(in->cap, name, type);
	/*
	 * "never query": a query seen by either source fails (the capture
	 * alone too). "query": the logs' sighting passes it. Conflicting
	 * evidence only stops a pass claim.
	 */
	if (in->have_dns && in->logs != NULL && l.n > 0) {
		buf_printf(&b, "the resolver asked %s/%s %zu time%s", name,
		    l.first->qtype, l.n, l.n == 1 ? "" : "s");
		if (l.first->rcode != NULL)
			buf_printf(&b, ", first answer %s", l.first->rcode);
		if (l.first->fault != NULL)
			buf_printf(&b, " (fault %s)", l.first->fault);
		if (!never && in->cap != NULL && c.n == 0 && in->cap_complete) {
			buf_printf(&b, "; capture: no such query");
			set(x, SCORE_INCONCLUSIVE, xstrdup(buf_cstr(&b)),
			    xasprintf("conflicting evidence for %s/%s: logs: "
			              "%zu quer%s; capture: none",
			        name, type, l.n, l.n == 1 ? "y" : "ies"));
			goto out;
		}
		set(x, never ? SCORE_FAIL : SCORE_PASS, buf_steal(&b), NULL);
		goto out;
	}
	if (never && c.n > 0) {
		buf_printf(&b, "capture: the resolver asked %s/%s (%zu time%s)",
		    name, type, c.n, c.n == 1 ? "" : "s");
		if (in->have_dns && in->logs != NULL)
			buf_puts(&b, "; fakedns's log: none");
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		goto out;
	}
	if (!in->have_dns || in->logs == NULL) {
		set_no_log(x, 0);
		goto out;
	}
	if (c.n > 0) {
		/* "query" not in the log but in the capture: a pass claim
		 * on one source only. */
		buf_printf(&b,
		    "conflicting evidence for %s/%s: logs: none; capture: "
		    "%zu quer%s",
		    name, type, c.n, c.n == 1 ? "y" : "ies");
		set(x, SCORE_INCONCLUSIVE, xstrdup(buf_cstr(&b)),
		    buf_steal(&b));
		goto out;
	}
	buf_printf(&b, "no query for %s/%s among %zu quer%s of the scenario",
	    name, type, l.total, l.total == 1 ? "y" : "ies");
	if (!in->decided)
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b), undecided_reason(in));
	else
		set(x, never ? SCORE_PASS : SCORE_FAIL, buf_steal(&b), NULL);
out:
	buf_free(&b);
	free(name);
}

/* put_outcomes - the expected outcomes "deferred|bounced". */
static void
put_outcomes(struct buf *b, unsigned set)
{
	int o, first = 1;

	for (o = 0; o < SCN_OUT__COUNT; o++) {
		if (!(set & (1u << o)))
			continue;
		buf_printf(b, "%s%s", first ? "" : "|",
		    scn_outcome_str((enum scn_outcome)o));
		first = 0;
	}
}

/* score_expect_outcome - expect outcome O... */
static void
score_expect_outcome(const struct score_input *in, struct score_exp *x,
    enum scn_outcome out, const char *note)
{
	int delivered =
	    out == SCN_OUT_DELIVERED_TLS || out == SCN_OUT_DELIVERED_PLAIN;
	int match = (x->e->outcomes & (1u << out)) != 0;
	struct buf b;
	char *why;

	if ((why = conflict(in, NULL, pred_msg_plain,
	         "message accepted in clear")) != NULL) {
		set(x, SCORE_INCONCLUSIVE,
		    xasprintf("outcome %s (%s)", scn_outcome_str(out), note),
		    why);
		return;
	}
	if (!in->have_smtp || in->logs == NULL) {
		set(x, SCORE_ERROR, xstrdup("no fakemx event log"),
		    xstrdup("smtp.jsonl missing: whether fakemx stored the "
		            "message is not known"));
		return;
	}
	buf_init(&b);
	buf_printf(&b, "outcome %s: %s; expected ", scn_outcome_str(out), note);
	put_outcomes(&b, x->e->outcomes);
	if (out == SCN_OUT_UNKNOWN && in->sut == SCN_SUT_DELIVERED)
		/*
		 * The SUT believes it delivered, yet no fake MX stored the
		 * message: a finding, not an unknown (a sender fooled by
		 * injected replies looks exactly like this). Its claim is
		 * final, decided or not.
		 */
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
	else if (out == SCN_OUT_UNKNOWN)
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    xasprintf("outcome "
		              "unknown: %s",
		        note));
	else if (match && (delivered || in->decided))
		set(x, SCORE_PASS, buf_steal(&b), NULL);
	else if (!match && delivered)
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
	else if (!in->decided)
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b), undecided_reason(in));
	else
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
}

enum scn_outcome
score_outcome(const struct facts_scn *logs, enum scn_sut sut, char **note)
{
	struct tally plain = count(logs, NULL, pred_msg_plain);
	struct tally all = count(logs, NULL, pred_any);
	const struct facts_conn *tls = NULL;
	enum scn_outcome o;
	struct buf b;
	size_t i, ntls = 0;

	for (i = 0; logs != NULL && i < logs->nconns; i++)
		if (logs->conns[i].msg_tls) {
			if (tls == NULL)
				tls = &logs->conns[i];
			ntls++;
		}
	buf_init(&b);
	/*
	 * A message stored in clear exposes it even if another copy went
	 * inside TLS, so the plaintext outcome wins.
	 */
	if (plain.n > 0 || tls != NULL) {
		const struct facts_conn *c = plain.n > 0 ? plain.first : tls;

		o = plain.n > 0 ? SCN_OUT_DELIVERED_PLAIN
		                : SCN_OUT_DELIVERED_TLS;
		buf_printf(&b, "fakemx stored the message %s at %s on ",
		    plain.n > 0 ? "in clear" : "inside TLS",
		    c->host ? c->host : "?");
		put_conn(&b, c);
		if (c->msg_file != NULL)
			buf_printf(&b, " (%s)", c->msg_file);
		if (plain.n > 0 && ntls > 0)
			buf_printf(&b,
			    "; also stored inside TLS on %zu "
			    "connection%s",
			    ntls, ntls == 1 ? "" : "s");
	} else if (sut == SCN_SUT_DEFERRED || sut == SCN_SUT_BOUNCED ||
	           sut == SCN_SUT_FROZEN) {
		/* a frozen message is kept in the SUT's queue, as a deferred
		 * one is, but never retried (score_decided: never decided) */
		o = sut == SCN_SUT_BOUNCED ? SCN_OUT_BOUNCED : SCN_OUT_DEFERRED;
		buf_printf(&b,
		    "the SUT reports %s; fakemx stored nothing, "
		    "%zu connection%s",
		    scn_sut_str(sut), all.total, all.total == 1 ? "" : "s");
	} else if (sut == SCN_SUT_DELIVERED) {
		o = SCN_OUT_UNKNOWN;
		buf_printf(&b,
		    "the SUT reports delivered but no fake MX stored the "
		    "message (%zu connection%s)",
		    all.total, all.total == 1 ? "" : "s");
	} else if (all.total == 0) {
		o = SCN_OUT_NOT_ATTEMPTED;
		buf_puts(&b, "no connection to any MX of the scenario and no "
		             "status from the SUT");
	} else {
		o = SCN_OUT_UNKNOWN;
		buf_printf(&b,
		    "%zu connection%s, no message stored and no "
		    "status from the SUT",
		    all.total, all.total == 1 ? "" : "s");
	}
	if (note != NULL)
		*note = buf_steal(&b);
	buf_free(&b);
	return o;
}

enum scn_outcome
score_outcome_of(const struct score_input *in, int m, char **note)
{
	struct facts_scn *v;
	enum scn_outcome o;

	if (in->nmsgs <= 1 && m == 1)
		return score_outcome(in->logs, in->sut, note);
	if (m < 1 || (size_t)m > in->nmsgs) {
		if (note != NULL)
			*note = xasprintf("the run sent no message %d", m);
		return SCN_OUT_UNKNOWN;
	}
	v = facts_of_message(in->logs, in->msgs[m - 1].message_id);
	o = score_outcome(v, in->msgs[m - 1].sut, note);
	facts_view_free(v);
	return o;
}

int
score_frozen(const struct facts_scn *logs, enum scn_sut sut)
{
	size_t i;

	if (sut != SCN_SUT_FROZEN)
		return 0;
	for (i = 0; logs != NULL && i < logs->nconns; i++)
		if (logs->conns[i].msg_plain || logs->conns[i].msg_tls)
			return 0;
	return 1;
}

int
score_decided(const struct facts_scn *logs, enum scn_sut sut)
{
	size_t i;

	for (i = 0; logs != NULL && i < logs->nconns; i++)
		if (logs->conns[i].msg_plain || logs->conns[i].msg_tls)
			return 1;
	/* The SUT's final word, "delivered" included: with nothing stored
	 * that is a failure to report, not a reason to wait on. */
	if (sut != SCN_SUT_DEFERRED && sut != SCN_SUT_BOUNCED &&
	    sut != SCN_SUT_DELIVERED)
		return 0;
	for (i = 0; logs != NULL && i < logs->nconns; i++)
		if (logs->conns[i].t_end == 0)
			return 0;
	return 1;
}

/* The "never" kinds of the event logs, by expectation kind. */
static const struct never_kind never_rules[SCN_EXP__COUNT] = {
    [SCN_EXP_NEVER_CONNECT] = {pred_any, pred_any, "TCP connection"},
    [SCN_EXP_NEVER_MAIL] = {pred_mail_any, pred_mail_plain, "MAIL FROM"},
    [SCN_EXP_NEVER_PLAIN_MAIL] = {pred_mail_plain, pred_mail_plain,
        "MAIL FROM in clear"},
    [SCN_EXP_NEVER_PLAIN_DATA] = {pred_data_plain, pred_data_plain,
        "DATA in clear"},
    [SCN_EXP_NEVER_EARLY_CMD] = {pred_early, NULL,
        "command before the reply it waits for"},
    [SCN_EXP_NEVER_PIPE_TLS] = {pred_pipelined, NULL,
        "command inside TLS before the reply to the one before"},
    [SCN_EXP_NEVER_BDAT_TLS] = {pred_bdat_tls, NULL, "BDAT inside TLS"},
    [SCN_EXP_NEVER_BAD_SNI] = {pred_bad_sni, pred_bad_sni,
        "ClientHello with a server_name RFC 6066 §3 forbids"},
};

/* pred_sslv2 - the client's first record was an SSL 2.0 hello. */
static int
pred_sslv2(const struct facts_conn *c)
{
	return c->hello_fmt == FACTS_HELLO_SSLV2;
}

/* pred_tls_started - the server answered STARTTLS with 220. */
static int
pred_tls_started(const struct facts_conn *c)
{
	return c->starttls_code == 220;
}

/*
 * score_sslv2 - expect never sslv2-hello [HOST] (RFC 7672 §8.1: SNI is
 * required, and an SSL 2.0-compatible ClientHello cannot carry it). Only
 * the capture sees the format of the client's first record after the 220
 * to STARTTLS, so it is the only source: one such hello fails; a pass
 * needs a complete capture with no gap where a hello was still unknown.
 */
static void
score_sslv2(const struct score_input *in, struct score_exp *x)
{
	const char *host = x->e->host;
	struct tally v = count(in->cap, host, pred_sslv2);
	struct tally st = count(in->cap, host, pred_tls_started);
	size_t i, tls = 0, other = 0, unknown = 0;
	struct buf b;

	buf_init(&b);
	if (v.n > 0) {
		buf_puts(&b, "capture: SSL 2.0-compatible ClientHello");
		if (v.first->tls_offered[0] != '\0')
			buf_printf(
			    &b, " (offering %s, no SNI)", v.first->tls_offered);
		buf_puts(&b, " to ");
		put_host(&b, in, v.first->host);
		buf_puts(&b, " on ");
		put_conn(&b, v.first);
		put_times(&b, v.n);
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		return;
	}
	if (in->cap == NULL) {
		buf_free(&b);
		set_no_capture(x, "only the capture shows the format of the "
		                  "client's first TLS record");
		return;
	}
	for (i = 0; i < in->cap->nconns; i++) {
		const struct facts_conn *c = &in->cap->conns[i];

		if (!host_ok(c, host) || c->starttls_code != 220)
			continue;
		if (c->hello_fmt == FACTS_HELLO_TLS)
			tls++;
		else if (c->hello_fmt == FACTS_HELLO_OTHER)
			other++;
		else if (c->gap)
			unknown++;
	}
	buf_puts(&b, "capture: no SSL 2.0-compatible ClientHello to ");
	put_host(&b, in, host);
	buf_printf(&b,
	    ": TLS started on %zu connection%s, the client's first record a "
	    "TLS record on %zu",
	    st.n, st.n == 1 ? "" : "s", tls);
	if (other > 0)
		buf_printf(&b, ", neither TLS nor SSL 2.0 on %zu", other);
	if (!in->cap_complete || unknown > 0) {
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    unknown > 0
		        ? xasprintf("the capture lost the client's first "
		                    "record on %zu connection%s",
		              unknown, unknown == 1 ? "" : "s")
		        : xstrdup("the capture is incomplete: a hello it "
		                  "missed cannot be ruled out"));
		return;
	}
	set_decided(in, x, SCORE_PASS, buf_steal(&b));
}

/*
 * score_first_after_tls - expect first-after-tls HOST VERB (RFC 3207
 * §4.2: EHLO first after the handshake; §4.1: QUIT at once when the TLS
 * is not good enough). fakemx's log is the only source (inside TLS the
 * capture sees records, not commands): a session whose first command
 * inside TLS was another verb fails; a session that sent none inside
 * TLS (it closed, or aborted the handshake) is no violation.
 */
static void
score_first_after_tls(const struct score_input *in, struct score_exp *x)
{
	const char *host = x->e->host, *verb = x->e->name ? x->e->name : "";
	size_t i, ok = 0, none = 0, bad = 0;
	const struct facts_conn *first_bad = NULL;
	struct buf b;

	if (!in->have_smtp || in->logs == NULL) {
		set_no_log(x, 1);
		return;
	}
	for (i = 0; i < in->logs->nconns; i++) {
		const struct facts_conn *c = &in->logs->conns[i];

		if (!host_ok(c, host) || !c->tls_ok)
			continue;
		if (c->first_tls_verb[0] == '\0')
			none++;
		else if (strcasecmp(c->first_tls_verb, verb) == 0)
			ok++;
		else if (bad++ == 0)
			first_bad = c;
	}
	buf_init(&b);
	if (first_bad != NULL) {
		buf_printf(&b, "first command inside TLS %s instead of %s at ",
		    first_bad->first_tls_verb, verb);
		put_host(&b, in, first_bad->host);
		buf_puts(&b, " on ");
		put_conn(&b, first_bad);
		if (bad > 1)
			buf_printf(&b, " (%zu TLS sessions so)", bad);
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		return;
	}
	buf_printf(
	    &b, "%zu TLS session%s at ", ok + none, ok + none == 1 ? "" : "s");
	put_host(&b, in, host);
	buf_printf(&b, ": the first command inside TLS %s on %zu, none on %zu",
	    verb, ok, none);
	set_decided(in, x, SCORE_PASS, buf_steal(&b));
}

/* literal_hit - a TLSA query of fs for a name made of the address of
 * host (NULL: of any MX host of the scenario), or NULL. */
static const struct facts_query *
literal_hit(const struct score_input *in, const struct facts_scn *fs,
    const char *host, size_t *n)
{
	const struct facts_query *first = NULL;
	size_t i, j;

	*n = 0;
	for (i = 0; fs != NULL && i < fs->nqueries; i++) {
		const struct facts_query *q = &fs->queries[i];

		if (q->qname == NULL || q->qtype == NULL ||
		    strcasecmp(q->qtype, "TLSA") != 0)
			continue;
		for (j = 0; j < in->s->nmxs; j++) {
			const char *label = in->s->mxs[j].name, *addr;

			if (host != NULL && strcmp(label, host) != 0)
				continue;
			addr = world_mx_addr(in->w, in->s, label);
			if (addr != NULL && facts_name_spells(q->qname, addr))
				break;
		}
		if (j == in->s->nmxs)
			continue;
		if (first == NULL)
			first = q;
		(*n)++;
	}
	return first;
}

/*
 * score_literal_tlsa - expect never literal-tlsa [HOST] (RFC 7672 §2.2:
 * DANE does not apply to an address literal). The SUT's own queries to
 * its resolver (capture) and the resolver's to the fake root (query
 * log) are both evidence: one TLSA query for a name made of the
 * address fails.
 */
static void
score_literal_tlsa(const struct score_input *in, struct score_exp *x)
{
	const struct facts_query *l, *c;
	size_t nl, nc;
	struct buf b;

	if (in->w == NULL) {
		set(x, SCORE_INCONCLUSIVE, xstrdup("no world model"),
		    xstrdup("the MX addresses are not known"));
		return;
	}
	l = literal_hit(in, in->have_dns ? in->logs : NULL, x->e->host, &nl);
	c = literal_hit(in, in->cap, x->e->host, &nc);
	buf_init(&b);
	if (l != NULL || c != NULL) {
		const struct facts_query *q = l != NULL ? l : c;

		buf_printf(&b, "%s asked %s/TLSA",
		    l != NULL   ? "the resolver (query log)"
		    : q->to_sut ? "the SUT (capture)"
		                : "the resolver (capture)",
		    q->qname);
		if (q->rcode != NULL)
			buf_printf(&b, ", answer %s", q->rcode);
		buf_printf(&b, "; query log: %zu such quer%s, capture: %zu", nl,
		    nl == 1 ? "y" : "ies", nc);
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		return;
	}
	if (!in->have_dns || in->logs == NULL) {
		buf_free(&b);
		set_no_log(x, 0);
		return;
	}
	buf_puts(&b, "no TLSA query for a name made of the address of ");
	put_host(&b, in, x->e->host);
	buf_printf(&b, " (query log%s)", in->cap != NULL ? " and capture" : "");
	set_decided(in, x, SCORE_PASS, buf_steal(&b));
}

/*
 * score_stub_cd - expect never stub-cd (RFC 4035 §4.9.2: a stub that
 * does not validate itself should not set CD, which asks its resolver
 * for answers it has not validated; RFC 7672 §2.1.1 makes the sender
 * rely on its resolver's validation). Only the capture sees the SUT's
 * own queries: one with CD=1 fails; a pass needs a complete capture
 * holding at least one of the SUT's queries for the scenario. A SUT that
 * asks its resolver for DNSKEY or DS records validates itself, and for
 * such a stub §4.9.2 asks the opposite (CD set): the line passes.
 */
static void
score_stub_cd(const struct score_input *in, struct score_exp *x)
{
	const struct facts_query *first = NULL, *keys = NULL;
	size_t i, n = 0, own = 0, unknown = 0;
	struct buf b;

	if (in->cap == NULL) {
		set_no_capture(x, "only the capture sees the SUT's own queries "
		                  "to its resolver");
		return;
	}
	for (i = 0; i < in->cap->nqueries; i++) {
		const struct facts_query *q = &in->cap->queries[i];

		if (!q->to_sut)
			continue;
		own++;
		if (keys == NULL && q->qtype != NULL &&
		    (strcasecmp(q->qtype, "DNSKEY") == 0 ||
		        strcasecmp(q->qtype, "DS") == 0))
			keys = q;
		if (q->cd < 0)
			unknown++;
		else if (q->cd == 1 && n++ == 0)
			first = q;
	}
	buf_init(&b);
	if (keys != NULL) {
		buf_printf(&b,
		    "capture: the SUT asked its resolver %s/%s: it "
		    "validates itself, and a validating stub sets CD "
		    "(RFC 4035 §4.9.2); %zu of its %zu quer%s had "
		    "CD=1",
		    keys->qname, keys->qtype, n, own, own == 1 ? "y" : "ies");
		set_decided(in, x, SCORE_PASS, buf_steal(&b));
		return;
	}
	if (first != NULL) {
		buf_printf(&b,
		    "capture: the SUT asked its resolver %s/%s with "
		    "CD=1",
		    first->qname, first->qtype);
		if (first->rcode != NULL)
			buf_printf(&b, ", answer %s", first->rcode);
		buf_printf(&b, "; %zu of its %zu quer%s had CD=1", n, own,
		    own == 1 ? "y" : "ies");
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		return;
	}
	buf_printf(&b,
	    "capture: %zu quer%s of the SUT to its resolver, none "
	    "with CD=1",
	    own, own == 1 ? "y" : "ies");
	if (own == 0 || unknown > 0 || !in->cap_complete) {
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    own == 0 ? xstrdup("the capture holds no query of the SUT "
		                       "for this scenario")
		    : unknown > 0
		        ? xstrdup("the CD bit of some query is not known")
		        : xstrdup("the capture is incomplete: a query it "
		                  "missed cannot be ruled out"));
		return;
	}
	set_decided(in, x, SCORE_PASS, buf_steal(&b));
}

/* type_in - whether qtype is one of the list types ("A,AAAA"). */
static int
type_in(const char *qtype, const char *types)
{
	size_t n = strlen(qtype);
	const char *p = types;

	while (*p != '\0') {
		size_t k = strcspn(p, ",");

		if (k == n && strncasecmp(p, qtype, n) == 0)
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

/* The order of two queries as one source saw it. */
enum order_state {
	ORD_NONE = 0, /* neither asked */
	ORD_OK,       /* the first asked first, or only the first */
	ORD_BAD,      /* the second asked first, or only the second */
	ORD_TIE       /* both first asked at the same instant */
};

/* One source's first sighting of each query of an order pair. */
struct order_side {
	const struct facts_query *q1, *q2; /* first of each; NULL: none */
	size_t total;                      /* queries of the side */
	enum order_state st;
};

/*
 * order_scan - the first query of fs (the SUT's own when to_sut, else
 * the resolver's) for name1/types1 and for name2/types2, and what they
 * say of the order. Equal times are not ordered: the two were asked
 * together (one batch, one packet time), and danesim does not invent an
 * order for them.
 */
static struct order_side
order_scan(const struct facts_scn *fs, int to_sut, const char *name1,
    const char *types1, const char *name2, const char *types2)
{
	struct order_side o = {NULL, NULL, 0, ORD_NONE};
	size_t i;

	for (i = 0; fs != NULL && i < fs->nqueries; i++) {
		const struct facts_query *q = &fs->queries[i];

		if (q->to_sut != to_sut)
			continue;
		o.total++;
		if (q->qname == NULL || q->qtype == NULL)
			continue;
		if (same_name(q->qname, name1) && type_in(q->qtype, types1) &&
		    (o.q1 == NULL || q->t < o.q1->t))
			o.q1 = q;
		if (same_name(q->qname, name2) && type_in(q->qtype, types2) &&
		    (o.q2 == NULL || q->t < o.q2->t))
			o.q2 = q;
	}
	if (o.q1 == NULL && o.q2 == NULL)
		o.st = ORD_NONE;
	else if (o.q2 == NULL)
		o.st = ORD_OK;
	else if (o.q1 == NULL)
		o.st = ORD_BAD;
	else if (o.q1->t < o.q2->t)
		o.st = ORD_OK;
	else if (o.q2->t < o.q1->t)
		o.st = ORD_BAD;
	else
		o.st = ORD_TIE;
	return o;
}

/* put_gap - a time between two queries: "0.012 s", "under 1 ms". */
static void
put_gap(struct buf *b, double d)
{
	if (d < 0.001)
		buf_puts(b, "under 1 ms");
	else
		buf_printf(b, "%.3f s", d);
}

/* put_order - one side's sighting for the evidence: "the SUT (capture):
   A/mx1.x.test. asked first, TLSA ... 0.012 s later". */
static void
put_order(struct buf *b, const char *src, const struct order_side *o,
    const char *name1, const char *types1, const char *name2,
    const char *types2)
{
	buf_printf(b, "%s: ", src);
	switch (o->st) {
	case ORD_NONE:
		buf_printf(b, "neither %s/%s nor %s/%s asked (%zu quer%s)",
		    name1, types1, name2, types2, o->total,
		    o->total == 1 ? "y" : "ies");
		break;
	case ORD_OK:
		if (o->q2 == NULL)
			buf_printf(b, "%s/%s asked, %s/%s never", name1,
			    o->q1->qtype, name2, types2);
		else {
			buf_printf(b, "%s/%s asked first, %s/%s ", name1,
			    o->q1->qtype, name2, o->q2->qtype);
			put_gap(b, o->q2->t - o->q1->t);
			buf_puts(b, " later");
		}
		break;
	case ORD_BAD:
		if (o->q1 == NULL)
			buf_printf(b, "%s/%s asked, %s/%s never", name2,
			    o->q2->qtype, name1, types1);
		else {
			buf_printf(b, "%s/%s asked ", name2, o->q2->qtype);
			put_gap(b, o->q1->t - o->q2->t);
			buf_printf(b, " before %s/%s", name1, o->q1->qtype);
		}
		break;
	case ORD_TIE:
		buf_printf(b,
		    "%s/%s and %s/%s first asked at the same "
		    "instant",
		    name1, o->q1->qtype, name2, o->q2->qtype);
		break;
	}
}

/*
 * score_query_order - expect query-order NAME1 TYPES1 NAME2 TYPES2: the
 * second query is never asked before the first (RFC 7672 §2.2.2: the
 * address records before the TLSA records; §2.2.3: with a secure CNAME,
 * the expanded name's TLSA before the original name's).
 *
 * The SUT's own queries to its resolver, in the capture, are the direct
 * evidence: the SUT's order with the capture's times. The resolver's
 * queries to the fake name servers (the query log) follow the SUT's
 * order only because the resolver fetches on demand (no prefetch, no
 * aggressive NSEC); a cached answer takes a query out of it. So:
 * the SUT seen asking the second first fails; seen asking in order
 * passes unless the query log shows the other order (conflicting
 * evidence: inconclusive). Without the SUT's own queries (no capture,
 * or none of these names in it) the query log judges: the second first
 * fails, in order passes - inconclusive when a complete capture shows
 * no such query of the SUT. Two first queries at the same instant, in
 * the source that judges, are inconclusive. Neither asked: inconclusive
 * until the scenario is decided, or when no query of the scenario was
 * seen at all (the SUT never tried); otherwise nothing was asked out of
 * order, a pass (whether the queries must be asked at all is what
 * "expect query" says).
 */
static void
score_query_order(const struct score_input *in, struct score_exp *x)
{
	char *n1 = expand(in, x->e->name), *n2 = expand(in, x->e->name2);
	const char *t1 = x->e->qtype, *t2 = x->e->qtype2;
	int have_log = in->have_dns && in->logs != NULL;
	struct order_side s = {NULL, NULL, 0, ORD_NONE};
	struct order_side r = {NULL, NULL, 0, ORD_NONE};
	struct buf b;

	if (n1 == NULL || n2 == NULL || t1 == NULL || t2 == NULL) {
		set(x, SCORE_ERROR,
		    xasprintf("cannot expand \"%s\" or \"%s\"",
		        x->e->name ? x->e->name : "",
		        x->e->name2 ? x->e->name2 : ""),
		    xstrdup("variable expansion failed"));
		free(n1);
		free(n2);
		return;
	}
	buf_init(&b);
	if (in->cap != NULL)
		s = order_scan(in->cap, 1, n1, t1, n2, t2);
	if (have_log)
		r = order_scan(in->logs, 0, n1, t1, n2, t2);
	if (in->cap != NULL)
		put_order(&b, "the SUT (capture)", &s, n1, t1, n2, t2);
	if (have_log) {
		if (in->cap != NULL)
			buf_puts(&b, "; ");
		put_order(&b, "the resolver (query log)", &r, n1, t1, n2, t2);
	}
	if (s.st == ORD_BAD) {
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		goto out;
	}
	if (s.st == ORD_TIE) {
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    xstrdup("the SUT asked both at the same instant: no order "
		            "to judge"));
		goto out;
	}
	if (s.st == ORD_OK) {
		if (r.st == ORD_BAD)
			set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
			    xstrdup("conflicting evidence: the SUT asked in "
			            "order, the resolver's queries to the name "
			            "servers came in the other"));
		else
			set(x, SCORE_PASS, buf_steal(&b), NULL);
		goto out;
	}
	/* No query of the SUT for either name: the query log judges. */
	if (r.st == ORD_BAD) {
		set(x, SCORE_FAIL, buf_steal(&b), NULL);
		goto out;
	}
	if (!have_log) {
		set_no_log(x, 0);
		goto out;
	}
	if (r.st == ORD_TIE) {
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    xstrdup("the resolver asked both at the same instant: no "
		            "order to judge"));
		goto out;
	}
	if (r.st == ORD_OK) {
		if (in->cap != NULL && in->cap_complete)
			set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
			    xstrdup("conflicting evidence: the resolver asked, "
			            "the capture shows no such query of the "
			            "SUT"));
		else
			set(x, SCORE_PASS, buf_steal(&b), NULL);
		goto out;
	}
	if (!in->decided)
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b), undecided_reason(in));
	else if (r.total == 0 && s.total == 0)
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    xstrdup("not judged: the SUT never tried (no DNS query of "
		            "the scenario)"));
	else
		set(x, SCORE_PASS, buf_steal(&b), NULL);
out:
	buf_free(&b);
	free(n1);
	free(n2);
}

/* One function per expectation kind of lib/expkind.h, given the
 * scenario's judged outcome in r. */
typedef void (*scorer)(const struct score_input *in, struct score_exp *x,
    const struct score_result *r);

/*
 * by_outcome - expect outcome, of the message its message=K names
 * (message 1 without one). The capture cross-check stays on the whole
 * scenario: the capture cannot tell the messages apart.
 */
static void
by_outcome(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	struct score_input sub = *in;
	int m = scn_expect_message(x->e);
	struct buf b;

	if (r->nmsgs == 0 && m == 1) {
		score_expect_outcome(in, x, r->outcome, r->outcome_note);
		return;
	}
	if ((size_t)m > r->nmsgs) {
		set(x, SCORE_INCONCLUSIVE,
		    xasprintf("message %d: not among the %zu message%s the "
		              "run sent",
		        m, r->nmsgs ? r->nmsgs : 1, r->nmsgs > 1 ? "s" : ""),
		    xasprintf(
		        "run.json lists no message %d of the scenario", m));
		return;
	}
	sub.sut = in->msgs[m - 1].sut;
	score_expect_outcome(
	    &sub, x, r->msgs[m - 1].outcome, r->msgs[m - 1].note);
	buf_init(&b);
	buf_printf(&b, "message %d: %s", m, x->evidence ? x->evidence : "");
	free(x->evidence);
	x->evidence = buf_steal(&b);
	buf_free(&b);
}

/* never_k - the "never" kinds of the logs, by their never_rules row. */
static void
never_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_never_conn(in, x, &never_rules[x->e->kind]);
}

/* mail_tls_k, sni_k - expect mail-tls, expect sni. */
static void
mail_tls_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_mail_tls(in, x);
}

static void
sni_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_sni(in, x);
}

/* sslv2_k - expect never sslv2-hello. */
static void
sslv2_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_sslv2(in, x);
}

/* first_tls_k, literal_tlsa_k - expect first-after-tls, never
 * literal-tlsa. */
static void
first_tls_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_first_after_tls(in, x);
}

static void
literal_tlsa_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_literal_tlsa(in, x);
}

/* query_k, never_query_k - expect [never] query. */
static void
query_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_query(in, x, 0);
}

static void
never_query_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_query(in, x, 1);
}

/* stub_cd_k - expect never stub-cd. */
static void
stub_cd_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_stub_cd(in, x);
}

/* query_order_k - expect query-order. */
static void
query_order_k(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	score_query_order(in, x);
}

static const scorer scorers[SCN_EXP__COUNT] = {
    [SCN_EXP_OUTCOME] = by_outcome,
    [SCN_EXP_NEVER_CONNECT] = never_k,
    [SCN_EXP_NEVER_MAIL] = never_k,
    [SCN_EXP_NEVER_PLAIN_MAIL] = never_k,
    [SCN_EXP_NEVER_PLAIN_DATA] = never_k,
    [SCN_EXP_NEVER_EARLY_CMD] = never_k,
    [SCN_EXP_NEVER_PIPE_TLS] = never_k,
    [SCN_EXP_NEVER_BDAT_TLS] = never_k,
    [SCN_EXP_NEVER_SSLV2] = sslv2_k,
    [SCN_EXP_NEVER_BAD_SNI] = never_k,
    [SCN_EXP_FIRST_AFTER_TLS] = first_tls_k,
    [SCN_EXP_NEVER_LITERAL_TLSA] = literal_tlsa_k,
    [SCN_EXP_MAIL_TLS] = mail_tls_k,
    [SCN_EXP_SNI] = sni_k,
    [SCN_EXP_QUERY] = query_k,
    [SCN_EXP_NEVER_QUERY] = never_query_k,
    [SCN_EXP_QUERY_ORDER] = query_order_k,
    [SCN_EXP_NEVER_STUB_CD] = stub_cd_k,
};

int
score_judges(enum scn_expect_kind k)
{
	return (unsigned)k < SCN_EXP__COUNT && scorers[k] != NULL;
}

/* first_disagreeing - a connection of fs to host (NULL: any) that the
 * capture check marked, or NULL. */
static const struct facts_conn *
first_disagreeing(const struct facts_scn *fs, const char *host)
{
	size_t i;

	for (i = 0; fs != NULL && i < fs->nconns; i++)
		if (fs->conns[i].cap_disagree && host_ok(&fs->conns[i], host))
			return &fs->conns[i];
	return NULL;
}

/*
 * capture_disagrees - a pass claim about the SMTP connections stands only
 * when the capture check (analyse.c) found no connection to the hosts it
 * speaks of that the event log and the capture show otherwise; else it
 * becomes inconclusive, both sides named. A fail is never touched: a
 * forbidden event seen by one source stays seen.
 */
static void
capture_disagrees(const struct score_input *in, struct score_exp *x)
{
	const char *host = x->e->host;
	const struct facts_conn *c;
	struct buf b;
	char *ev;

	if (x->verdict != SCORE_PASS ||
	    expk_spec(x->e->kind)->fact == EXPK_FACT_DNS)
		return;
	if ((c = first_disagreeing(in->logs, host)) == NULL &&
	    (c = first_disagreeing(in->cap, host)) == NULL)
		return;
	buf_init(&b);
	buf_puts(&b, "the event log and the capture disagree on ");
	put_conn(&b, c);
	buf_puts(&b, " to ");
	put_host(&b, in, c->host);
	if (c->id > 0 && c->client != NULL)
		buf_printf(&b, " from %s", c->client);
	buf_printf(&b, ": %s", c->cap_diff);
	ev = x->evidence;
	x->evidence = NULL;
	set(x, SCORE_INCONCLUSIVE, ev, buf_steal(&b));
}

/*
 * in_attempts - fs cut down to the connections and queries that began in
 * attempts w (a new facts_scn whose arrays are owned, their elements'
 * strings borrowed: facts_view_free). *unknown is set when one of them has
 * no known attempt.
 */
static struct facts_scn *
in_attempts(const struct facts_scn *fs, const struct scn_when *w, int *unknown)
{
	struct facts_scn *o;
	size_t i;

	if (fs == NULL)
		return NULL;
	o = xcalloc(1, sizeof(*o));
	o->scn = fs->scn;
	o->conns = xcalloc(fs->nconns ? fs->nconns : 1, sizeof(*o->conns));
	o->queries =
	    xcalloc(fs->nqueries ? fs->nqueries : 1, sizeof(*o->queries));
	for (i = 0; i < fs->nconns; i++) {
		if (fs->conns[i].attempt == 0)
			*unknown = 1;
		else if (scn_when_holds(w, fs->conns[i].attempt, 0))
			o->conns[o->nconns++] = fs->conns[i];
	}
	for (i = 0; i < fs->nqueries; i++) {
		if (fs->queries[i].attempt == 0)
			*unknown = 1;
		else if (scn_when_holds(w, fs->queries[i].attempt, 0))
			o->queries[o->nqueries++] = fs->queries[i];
	}
	return o;
}

/* put_when - "in attempt 2", "in attempts 2-3", "in attempts 2 and later". */
static void
put_when(struct buf *b, const struct scn_when *w)
{
	if (w->hi == w->lo)
		buf_printf(b, "in attempt %d", w->lo);
	else if (w->hi == 0)
		buf_printf(b, "in attempts %d and later", w->lo);
	else
		buf_printf(b, "in attempts %d-%d", w->lo, w->hi);
}

/*
 * judge_one - one expectation: an attempts= qualifier judges it on the
 * connections and queries of those attempts only (both sources cut the
 * same way), its evidence saying so; when the attempt of some event is
 * not known (a run.json without attempts) it is inconclusive.
 */
static void
judge_one(const struct score_input *in, struct score_exp *x,
    const struct score_result *r)
{
	struct score_input sub = *in;
	struct facts_scn *l = NULL, *c = NULL;
	int unknown = 0;
	struct buf b;

	if (x->e->when.unit != SCN_WHEN_ATTEMPTS) {
		scorers[x->e->kind](in, x, r);
		capture_disagrees(in, x);
		return;
	}
	sub.logs = l = in_attempts(in->logs, &x->e->when, &unknown);
	sub.cap = c = in_attempts(in->cap, &x->e->when, &unknown);
	buf_init(&b);
	if (unknown) {
		put_when(&b, &x->e->when);
		buf_puts(&b, ": the attempt of some connection or query is "
		             "not known");
		set(x, SCORE_INCONCLUSIVE, buf_steal(&b),
		    xstrdup("run.json lists no delivery attempts for the "
		            "scenario, so its events cannot be given to "
		            "attempts"));
		goto out;
	}
	scorers[x->e->kind](&sub, x, r);
	capture_disagrees(&sub, x);
	put_when(&b, &x->e->when);
	buf_printf(&b, ": %s", x->evidence ? x->evidence : "");
	free(x->evidence);
	x->evidence = buf_steal(&b);
out:
	buf_free(&b);
	facts_view_free(l);
	facts_view_free(c);
}

struct score_result *
score_scenario(const struct score_input *in)
{
	struct score_result *r = xcalloc(1, sizeof(*r));
	const struct scn *s = in->s;
	size_t i;

	r->decided = in->decided;
	if (in->nmsgs > 1) {
		r->nmsgs = in->nmsgs;
		r->msgs = xcalloc(r->nmsgs, sizeof(*r->msgs));
		for (i = 0; i < r->nmsgs; i++)
			r->msgs[i].outcome =
			    score_outcome_of(in, (int)i + 1, &r->msgs[i].note);
		r->outcome = r->msgs[0].outcome;
		r->outcome_note = xstrdup(r->msgs[0].note);
	} else
		r->outcome = score_outcome(in->logs, in->sut, &r->outcome_note);
	r->nexps = s->nexpects;
	r->exps = xcalloc(r->nexps ? r->nexps : 1, sizeof(*r->exps));
	r->verdict = SCORE_PASS;
	for (i = 0; i < r->nexps; i++) {
		struct score_exp *x = &r->exps[i];

		x->e = &s->expects[i];
		if ((unsigned)x->e->kind < SCN_EXP__COUNT &&
		    scorers[x->e->kind] != NULL)
			judge_one(in, x, r);
		else
			set(x, SCORE_ERROR, xstrdup("unknown expectation kind"),
			    xstrdup("this danesim cannot judge this "
			            "expectation"));
		/* An observation (severity=info) is reported, never the
		 * scenario's verdict. */
		if (x->verdict > r->verdict &&
		    scn_expect_severity(s, x->e) != SCN_SEV_INFO)
			r->verdict = x->verdict;
	}
	return r;
}

void
score_result_free(struct score_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nexps; i++) {
		free(r->exps[i].evidence);
		free(r->exps[i].reason);
	}
	free(r->exps);
	free(r->outcome_note);
	for (i = 0; i < r->nmsgs; i++)
		free(r->msgs[i].note);
	free(r->msgs);
	free(r);
}

const char *
score_verdict_str(enum score_verdict v)
{
	switch (v) {
	case SCORE_PASS:
		return "pass";
	case SCORE_INCONCLUSIVE:
		return "inconclusive";
	case SCORE_ERROR:
		return "error";
	case SCORE_FAIL:
		return "fail";
	default:
		return "unknown";
	}
}
