/*
 * facts.c - facts from the fake servers' event logs: dns.jsonl (fakedns)
 * and smtp.jsonl (fakemx), formats in docs/internals.md.
 *
 * Each log is read by the one event-log reader (evlog.h), line by line
 * with jansson. A line that is not a JSON object, or lacks the fields its
 * event needs, is skipped and counted; a truncated last line (a writer
 * killed mid-line) is just such a line.
 * SMTP events are grouped by their "conn" number into one struct
 * facts_conn, and every record goes to the scenario its "scenario" field
 * names. The SMTP facts are those RFC 3207 §4 and RFC 7672 §2.2 make
 * matter: STARTTLS sent and answered, the TLS handshake (§8.1 of RFC 7672
 * for SNI), and whether MAIL/RCPT/DATA and the message travelled in clear
 * or inside TLS.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness/judge/evlog.h"
#include "harness/judge/facts.h"
#include "buf.h"
#include "log.h"
#include "xmalloc.h"

/* Where a connection number lives: scenario index and connection index. */
struct conn_slot {
	long conn;
	size_t scn;
	size_t idx;
	int used;
};

/* Open-addressing map conn number -> slot; grows at half load. */
struct conn_map {
	struct conn_slot *slots;
	size_t cap;
	size_t n;
};

/* hash_conn - spread a connection number over the table. */
static size_t
hash_conn(long conn, size_t cap)
{
	unsigned long long x = (unsigned long long)conn;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)(x & (cap - 1));
}

/* map_find - the slot of conn, or NULL. */
static struct conn_slot *
map_find(struct conn_map *m, long conn)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = hash_conn(conn, m->cap); m->slots[i].used;
	     i = (i + 1) & (m->cap - 1))
		if (m->slots[i].conn == conn)
			return &m->slots[i];
	return NULL;
}

/* map_add - insert conn (not present yet) and return its slot. */
static struct conn_slot *
map_add(struct conn_map *m, long conn)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct conn_slot *old = m->slots;
		size_t oldcap = m->cap, j;

		m->cap = m->cap ? m->cap * 2 : 64;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		m->n = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j].used)
				*map_add(m, old[j].conn) = old[j];
		free(old);
	}
	for (i = hash_conn(conn, m->cap); m->slots[i].used;
	     i = (i + 1) & (m->cap - 1))
		;
	m->slots[i].used = 1;
	m->slots[i].conn = conn;
	m->n++;
	return &m->slots[i];
}

/* scn_index - index of scenario id in the suite, or -1. */
static long
scn_index(const struct facts *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->scns[i].scn->id, id) == 0)
			return (long)i;
	return -1;
}

/* get_str - the string member key of o, or NULL. */
static const char *
get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* get_bool - member key as a boolean: 1, 0, or -1 absent / wrong type. */
static int
get_bool(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_boolean(v))
		return -1;
	return json_is_true(v) ? 1 : 0;
}

/* get_num - member key as a number into *out; 0, or -1 if not a number. */
static int
get_num(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* set_str - replace *dst by a copy of src (NULL allowed). */
static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

/* conn_for - the connection record conn of scenario si; made on first use. */
static struct facts_conn *
conn_for(struct facts *f, struct conn_map *m, long conn, size_t si, double t,
    int *mismatch)
{
	struct conn_slot *slot = map_find(m, conn);
	struct facts_scn *fs;
	struct facts_conn *c;

	*mismatch = 0;
	if (slot != NULL) {
		if (slot->scn != si) {
			*mismatch = 1;
			return NULL;
		}
		return &f->scns[si].conns[slot->idx];
	}
	fs = &f->scns[si];
	fs->conns =
	    xreallocarray(fs->conns, fs->nconns + 1, sizeof(*fs->conns));
	c = &fs->conns[fs->nconns];
	memset(c, 0, sizeof(*c));
	c->id = conn;
	c->t_start = t;
	slot = map_add(m, conn);
	slot->scn = si;
	slot->idx = fs->nconns++;
	return c;
}

/* mark_tls - set the clear or TLS flag of a per-phase pair. */
static void
mark_tls(int tls, int *plain, int *intls)
{
	if (tls == 1)
		*intls = 1;
	else
		*plain = 1;
}

/* line_addr - the address between < and > of a command line (new
 * string), or NULL. */
static char *
line_addr(const char *line)
{
	const char *a, *b;

	if (line == NULL || (a = strchr(line, '<')) == NULL ||
	    (b = strchr(a + 1, '>')) == NULL)
		return NULL;
	return xstrndup(a + 1, (size_t)(b - a - 1));
}

/*
 * smtp_record - apply one smtp.jsonl record. Returns 0, -1 when the
 * record is malformed, 1 when it belongs to no scenario of the suite.
 */
static int
smtp_record(struct facts *f, struct conn_map *m, json_t *o)
{
	const char *event, *scenario, *host, *s, *p;
	struct facts_conn *c;
	json_t *jc;
	double t, num;
	long conn, si;
	int tls, mismatch, b, hello;

	event = get_str(o, "event");
	jc = json_object_get(o, "conn");
	if (event == NULL || !json_is_integer(jc) || get_num(o, "t", &t) < 0)
		return -1;
	conn = (long)json_integer_value(jc);
	/* Check what an event needs before it may create a connection. */
	if ((strcmp(event, "tls") == 0 && get_bool(o, "ok") < 0) ||
	    (strcmp(event, "command") == 0 && get_str(o, "verb") == NULL))
		return -1;
	/* Whether a phase was in clear must be said, never guessed. */
	if ((strcmp(event, "command") == 0 || strcmp(event, "mail") == 0 ||
	        strcmp(event, "rcpt") == 0 || strcmp(event, "data") == 0 ||
	        strcmp(event, "message") == 0) &&
	    get_bool(o, "tls") < 0)
		return -1;
	scenario = get_str(o, "scenario");
	if (scenario == NULL || (si = scn_index(f, scenario)) < 0)
		return 1;
	/* The MTA-STS policy host's HTTPS connections (every event of
	 * them says "proto": "https") are no SMTP sessions. */
	if ((s = get_str(o, "proto")) != NULL && strcmp(s, "https") == 0)
		return 0;
	c = conn_for(f, m, conn, (size_t)si, t, &mismatch);
	if (mismatch)
		return -1;
	host = get_str(o, "host");
	if (c->host == NULL && host != NULL)
		c->host = xstrdup(host);
	if (t < c->t_start)
		c->t_start = t;
	tls = get_bool(o, "tls");

	if (strcmp(event, "connect") == 0) {
		if ((s = get_str(o, "client")) != NULL)
			set_str(&c->client, s);
		c->t_start = t;
	} else if (strcmp(event, "command") == 0) {
		s = get_str(o, "verb");
		if (s == NULL)
			return -1;
		if (tls == 1 && (p = get_str(o, "pipelined")) != NULL &&
		    c->pipelined_tls++ == 0) {
			snprintf(c->pipe_verb, sizeof(c->pipe_verb), "%s", s);
			snprintf(c->pipe_after, sizeof(c->pipe_after), "%s", p);
		}
		if (tls == 1 && strcasecmp(s, "BDAT") == 0)
			c->bdat_tls = 1;
		if (tls == 1 && c->first_tls_verb[0] == '\0')
			snprintf(c->first_tls_verb, sizeof(c->first_tls_verb),
			    "%s", s);
		if (strcasecmp(s, "STARTTLS") == 0 && tls != 1)
			c->starttls_sent = 1;
		else if (strcasecmp(s, "MAIL") == 0) {
			mark_tls(tls, &c->mail_plain, &c->mail_tls);
			/* A MAIL read after fakemx closed has no "mail"
			 * event: the address comes from the line. */
			if (c->mail_from == NULL)
				c->mail_from = line_addr(get_str(o, "line"));
		} else if (strcasecmp(s, "RCPT") == 0)
			mark_tls(tls, &c->rcpt_plain, &c->rcpt_tls);
		else if (strcasecmp(s, "DATA") == 0 ||
		         strcasecmp(s, "BDAT") == 0)
			mark_tls(tls, &c->data_plain, &c->data_tls);
	} else if (strcmp(event, "starttls") == 0) {
		c->starttls_sent = 1;
		if (get_num(o, "code", &num) == 0 && num >= 0 && num < 1000)
			c->starttls_code = (int)num;
	} else if (strcmp(event, "tls") == 0) {
		b = get_bool(o, "ok");
		if (b < 0)
			return -1;
		c->tls_ok = c->tls_ok || b;
		if (b && get_bool(o, "resumed") == 1)
			c->tls_resumed = 1;
		if ((s = get_str(o, "version")) != NULL)
			set_str(&c->tls_version, s);
		if ((s = get_str(o, "sni")) != NULL)
			set_str(&c->sni, s);
		if ((s = get_str(o, "alert")) != NULL)
			set_str(&c->tls_alert, s);
		/*
		 * fakemx says whether it read a ClientHello; an alert alone
		 * does not tell (OpenSSL sends one when the client closes
		 * before any TLS record). Logs without the field predate it:
		 * there the SNI, an alert or success stands for the hello.
		 */
		hello = get_bool(o, "client_hello");
		if (hello == 1 || b ||
		    (hello < 0 && (c->sni != NULL || c->tls_alert != NULL)))
			c->client_hello = 1;
	} else if (strcmp(event, "mail") == 0) {
		mark_tls(tls, &c->mail_plain, &c->mail_tls);
		if (c->mail_from == NULL && (s = get_str(o, "from")) != NULL)
			c->mail_from = xstrdup(s);
	} else if (strcmp(event, "rcpt") == 0) {
		mark_tls(tls, &c->rcpt_plain, &c->rcpt_tls);
	} else if (strcmp(event, "data") == 0) {
		mark_tls(tls, &c->data_plain, &c->data_tls);
	} else if (strcmp(event, "message") == 0) {
		struct facts_stored *st;

		mark_tls(tls, &c->msg_plain, &c->msg_tls);
		if ((s = get_str(o, "file")) != NULL)
			set_str(&c->msg_file, s);
		c->stored = xreallocarray(
		    c->stored, c->nstored + 1, sizeof(*c->stored));
		st = &c->stored[c->nstored++];
		st->tls = tls == 1;
		st->file = s != NULL ? xstrdup(s) : NULL;
		s = get_str(o, "message_id");
		st->message_id = s != NULL ? xstrdup(s) : NULL;
	} else if (strcmp(event, "early") == 0) {
		if (c->early++ == 0) {
			snprintf(c->early_verb, sizeof(c->early_verb), "%s",
			    (s = get_str(o, "verb")) != NULL ? s : "");
			snprintf(c->early_wait, sizeof(c->early_wait), "%s",
			    (s = get_str(o, "waiting")) != NULL ? s : "");
		}
	} else if (strcmp(event, "disconnect") == 0) {
		c->t_end = t;
	}
	/*
	 * "reply", "quit" and unknown events carry nothing scored. A
	 * "command" with "after_close" (read while fakemx lingered after
	 * closing) counts like any other: the client did send it.
	 */
	return 0;
}

/* lower_abs - qname lower-cased with a final dot (new string). */
static char *
lower_abs(const char *name)
{
	size_t n = strlen(name), i;
	char *out = xmalloc(n + 2);

	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	if (n == 0 || out[n - 1] != '.')
		out[n++] = '.';
	out[n] = '\0';
	return out;
}

/*
 * scn_by_qname - the scenario whose domain "<id>.test." is qname or an
 * ancestor of it, or -1. Queries answered by a zone of no scenario (the
 * DS of "<id>.test." asked of "test.") are attributed this way, as the
 * capture analyser does, so the two sources stay comparable.
 */
static long
scn_by_qname(const struct facts *f, const char *qname)
{
	size_t i, nq = strlen(qname), nd;
	char dom[64];

	if (nq > 0 && qname[nq - 1] == '.')
		nq--;
	for (i = 0; i < f->n; i++) {
		snprintf(dom, sizeof(dom), "%s.test", f->scns[i].scn->id);
		nd = strlen(dom);
		if (nq < nd || strncasecmp(qname + nq - nd, dom, nd) != 0)
			continue;
		if (nq == nd || qname[nq - nd - 1] == '.')
			return (long)i;
	}
	return -1;
}

const char *
facts_sni_flaw(const struct facts_conn *c)
{
	unsigned char bin[16];
	char a[64];
	const char *n = c->sni;
	size_t i, len;

	if (c->sni_names > 1)
		return "more than one host_name in the server_name list";
	if (n == NULL)
		return NULL;
	len = strlen(n);
	/* "192.0.2.1", "[192.0.2.1]", "2001:db8::1" */
	if (len > 2 && len - 2 < sizeof(a) && n[0] == '[' &&
	    n[len - 1] == ']') {
		memcpy(a, n + 1, len - 2);
		a[len - 2] = '\0';
	} else
		snprintf(a, sizeof(a), "%s", n);
	if (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1)
		return "an IP address, not a host name";
	if (len > 0 && n[len - 1] == '.')
		return "a host name with a final dot";
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)n[i]) && n[i] != '-' &&
		    n[i] != '_' && n[i] != '.')
			return "bytes outside an ASCII host name (a U-label or "
			       "garbage, not an A-label)";
	if (len == 0)
		return "an empty host name";
	return NULL;
}

int
facts_name_spells(const char *qname, const char *addr)
{
	char *n = xmalloc(strlen(qname) + 3), *a;
	size_t i, j = 0;
	int hit;

	/* ".<labels>." with the brackets left out, against ".<addr>." */
	n[j++] = '.';
	for (i = 0; qname[i] != '\0'; i++)
		if (qname[i] != '[' && qname[i] != ']')
			n[j++] = qname[i];
	if (j == 1 || n[j - 1] != '.')
		n[j++] = '.';
	n[j] = '\0';
	a = xasprintf(".%s.", addr);
	hit = strstr(n, a) != NULL;
	free(a);
	free(n);
	return hit;
}

long
facts_literal_scn(const struct world *w, const char *qname)
{
	size_t i, k;

	if (w == NULL || w->suite == NULL || qname == NULL)
		return -1;
	for (i = 0; i < w->nmxs; i++) {
		if (w->mxs[i].addr == NULL ||
		    !facts_name_spells(qname, w->mxs[i].addr))
			continue;
		for (k = 0; k < w->suite->n; k++)
			if (w->suite->items[k] == w->mxs[i].scn)
				return (long)k;
	}
	return -1;
}

/* dns_record - apply one dns.jsonl record; returns as smtp_record. */
static int
dns_record(struct facts *f, const struct world *w, json_t *o)
{
	const char *scenario, *qname, *qtype, *s;
	struct facts_scn *fs;
	struct facts_query *q;
	double t;
	long si;
	int b;

	if (get_num(o, "t", &t) < 0)
		return -1;
	scenario = get_str(o, "scenario");
	qname = get_str(o, "qname");
	qtype = get_str(o, "qtype");
	if (scenario != NULL)
		si = scn_index(f, scenario);
	else if (qname != NULL && (si = scn_by_qname(f, qname)) < 0)
		si = facts_literal_scn(w, qname);
	else if (qname == NULL)
		si = -1;
	if (si < 0 || (size_t)si >= f->n)
		return 1;
	if (qname == NULL || qtype == NULL)
		return -1;
	fs = &f->scns[si];
	fs->queries =
	    xreallocarray(fs->queries, fs->nqueries + 1, sizeof(*fs->queries));
	q = &fs->queries[fs->nqueries++];
	memset(q, 0, sizeof(*q));
	q->t = t;
	q->qname = lower_abs(qname);
	q->qtype = xstrdup(qtype);
	if ((s = get_str(o, "rcode")) != NULL)
		q->rcode = xstrdup(s);
	b = get_bool(o, "do");
	q->do_bit = b == 1;
	q->cd = -1;
	q->ad = -1;
	if ((s = get_str(o, "fault")) != NULL)
		q->fault = xstrdup(s);
	q->to_sut = 0;
	return 0;
}

/* The state of facts being read from the event logs. */
struct facts_builder {
	struct facts *f;
	const struct world *w; /* borrowed */
	struct conn_map m;
	size_t bad[2]; /* malformed lines, per enum evlog_log */
};

struct facts_builder *
facts_builder_new(const struct world *w)
{
	struct facts_builder *b = xcalloc(1, sizeof(*b));
	struct facts *f = xcalloc(1, sizeof(*f));
	size_t i;

	f->src = FACTS_SRC_LOGS;
	if (w != NULL && w->suite != NULL && w->suite->n > 0) {
		f->n = w->suite->n;
		f->scns = xcalloc(f->n, sizeof(*f->scns));
		for (i = 0; i < f->n; i++)
			f->scns[i].scn = w->suite->items[i];
	}
	b->f = f;
	b->w = w;
	return b;
}

void
facts_builder_event(
    void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw)
{
	struct facts_builder *b = arg;
	int rc;

	if (ev == NULL || flaw != EVLOG_SOUND) {
		b->bad[log]++;
		return;
	}
	rc = log == EVLOG_SMTP ? smtp_record(b->f, &b->m, ev)
	                       : dns_record(b->f, b->w, ev);
	if (rc < 0)
		b->bad[log]++;
	else if (rc > 0)
		b->f->nstray++;
}

/* cmp_conn - order connections by start time, then number. */
static int
cmp_conn(const void *a, const void *b)
{
	const struct facts_conn *x = a, *y = b;

	if (x->t_start != y->t_start)
		return x->t_start < y->t_start ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* cmp_query - order queries by time. */
static int
cmp_query(const void *a, const void *b)
{
	const struct facts_query *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

struct facts *
facts_from_logs(const struct world *w, const char *run_dir)
{
	struct facts_builder *b = facts_builder_new(w);
	int have_dns, have_smtp;

	evlog_read_run(run_dir, facts_builder_event, b, &have_dns, &have_smtp);
	return facts_builder_end(b, have_dns, have_smtp);
}

struct facts *
facts_from_streams(const struct world *w, FILE *dns, FILE *smtp)
{
	struct facts_builder *b = facts_builder_new(w);

	if (dns != NULL)
		evlog_read(dns, EVLOG_DNS, facts_builder_event, b);
	if (smtp != NULL)
		evlog_read(smtp, EVLOG_SMTP, facts_builder_event, b);
	return facts_builder_end(b, dns != NULL, smtp != NULL);
}

/*
 * settle - put the connections and queries of every scenario in time
 * order and set the counts, completeness and note of f from b. The
 * connection map follows the connections it points at, so b can go on.
 */
static void
settle(struct facts_builder *b, int have_dns, int have_smtp)
{
	struct facts *f = b->f;
	size_t bad_dns = b->bad[EVLOG_DNS], bad_smtp = b->bad[EVLOG_SMTP], i, j;
	struct conn_slot *slot;
	struct buf note;

	f->have_dns = have_dns;
	f->have_smtp = have_smtp;
	for (i = 0; i < f->n; i++) {
		struct facts_scn *fs = &f->scns[i];

		if (fs->nconns > 1) {
			qsort(fs->conns, fs->nconns, sizeof(*fs->conns),
			    cmp_conn);
			for (j = 0; j < fs->nconns; j++)
				if ((slot = map_find(&b->m, fs->conns[j].id)) !=
				    NULL)
					slot->idx = j;
		}
		if (fs->nqueries > 1)
			qsort(fs->queries, fs->nqueries, sizeof(*fs->queries),
			    cmp_query);
	}
	f->nbad = bad_dns + bad_smtp;
	f->complete = f->have_dns && f->have_smtp;

	free(f->note);
	f->note = NULL;
	buf_init(&note);
	if (!f->have_dns)
		buf_puts(&note, "dns.jsonl missing; ");
	if (!f->have_smtp)
		buf_puts(&note, "smtp.jsonl missing; ");
	if (bad_dns)
		buf_printf(&note, "dns.jsonl: %zu malformed line%s skipped; ",
		    bad_dns, bad_dns == 1 ? "" : "s");
	if (bad_smtp)
		buf_printf(&note, "smtp.jsonl: %zu malformed line%s skipped; ",
		    bad_smtp, bad_smtp == 1 ? "" : "s");
	if (f->nstray)
		buf_printf(&note, "%zu record%s of no scenario of the suite; ",
		    f->nstray, f->nstray == 1 ? "" : "s");
	if (note.len >= 2) {
		note.len -= 2;
		note.data[note.len] = '\0';
		f->note = buf_steal(&note);
	}
	buf_free(&note);
}

struct facts *
facts_builder_end(struct facts_builder *b, int have_dns, int have_smtp)
{
	struct facts *f = b->f;

	settle(b, have_dns, have_smtp);
	free(b->m.slots);
	free(b);
	return f;
}

struct facts_tail {
	struct facts_builder *b;
	long off[2]; /* per enum evlog_log: bytes read of the log */
	int have[2]; /* the log could be opened at the last read */
	char *path[2];
};

struct facts_tail *
facts_tail_new(const struct world *w, const char *run_dir)
{
	struct facts_tail *t = xcalloc(1, sizeof(*t));
	int i;

	t->b = facts_builder_new(w);
	for (i = EVLOG_DNS; i <= EVLOG_SMTP; i++)
		t->path[i] = xasprintf("%s/%s", run_dir, evlog_name(i));
	return t;
}

struct facts *
facts_tail_read(struct facts_tail *t)
{
	FILE *fp;
	int i;

	for (i = EVLOG_DNS; i <= EVLOG_SMTP; i++) {
		fp = fopen(t->path[i], "r");
		t->have[i] = fp != NULL;
		if (fp == NULL)
			continue;
		evlog_tail(fp, i, &t->off[i], facts_builder_event, t->b);
		fclose(fp);
	}
	settle(t->b, t->have[EVLOG_DNS], t->have[EVLOG_SMTP]);
	return t->b->f;
}

void
facts_tail_free(struct facts_tail *t)
{
	if (t == NULL)
		return;
	facts_free(t->b->f);
	free(t->b->m.slots);
	free(t->b);
	free(t->path[EVLOG_DNS]);
	free(t->path[EVLOG_SMTP]);
	free(t);
}

/* conn_free - release what one connection record owns. */
static void
conn_free(struct facts_conn *c)
{
	free(c->host);
	free(c->client);
	free(c->sni);
	free(c->tls_version);
	free(c->tls_alert);
	free(c->mail_from);
	free(c->msg_file);
	for (size_t i = 0; i < c->nstored; i++) {
		free(c->stored[i].message_id);
		free(c->stored[i].file);
	}
	free(c->stored);
}

struct facts_scn *
facts_of_message(const struct facts_scn *fs, const char *message_id)
{
	struct facts_scn *v;
	size_t i, j;

	if (fs == NULL)
		return NULL;
	v = xcalloc(1, sizeof(*v));
	*v = *fs;
	v->conns = xcalloc(fs->nconns ? fs->nconns : 1, sizeof(*v->conns));
	v->queries =
	    xcalloc(fs->nqueries ? fs->nqueries : 1, sizeof(*v->queries));
	if (fs->nqueries > 0)
		memcpy(v->queries, fs->queries,
		    fs->nqueries * sizeof(*v->queries));
	for (i = 0; i < fs->nconns; i++) {
		struct facts_conn *c = &v->conns[i];

		*c = fs->conns[i];
		c->msg_plain = c->msg_tls = 0;
		c->msg_file = NULL;
		for (j = 0; j < c->nstored; j++) {
			const struct facts_stored *st = &c->stored[j];

			if (st->message_id == NULL || message_id == NULL ||
			    strcmp(st->message_id, message_id) != 0)
				continue;
			mark_tls(st->tls, &c->msg_plain, &c->msg_tls);
			if (c->msg_file == NULL)
				c->msg_file = st->file;
		}
	}
	return v;
}

void
facts_view_free(struct facts_scn *v)
{
	if (v == NULL)
		return;
	free(v->conns);
	free(v->queries);
	free(v);
}

const char *
facts_hello_fmt_str(enum facts_hello_fmt f)
{
	switch (f) {
	case FACTS_HELLO_NONE:
		return "-";
	case FACTS_HELLO_TLS:
		return "tls";
	case FACTS_HELLO_SSLV2:
		return "sslv2";
	case FACTS_HELLO_OTHER:
		return "other";
	}
	return "?";
}

void
facts_free(struct facts *f)
{
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		struct facts_scn *fs = &f->scns[i];

		for (j = 0; j < fs->nconns; j++)
			conn_free(&fs->conns[j]);
		free(fs->conns);
		for (j = 0; j < fs->nqueries; j++) {
			free(fs->queries[j].qname);
			free(fs->queries[j].qtype);
			free(fs->queries[j].rcode);
			free(fs->queries[j].fault);
		}
		free(fs->queries);
	}
	free(f->scns);
	free(f->note);
	free(f);
}

struct facts_scn *
facts_for(struct facts *f, const struct scn *s)
{
	size_t i;

	if (f == NULL || s == NULL)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (f->scns[i].scn == s)
			return &f->scns[i];
	for (i = 0; i < f->n; i++)
		if (f->scns[i].scn != NULL && s->id != NULL &&
		    strcmp(f->scns[i].scn->id, s->id) == 0)
			return &f->scns[i];
	return NULL;
}

/* attempt_at - the attempt in progress at time t (see facts_set_attempts). */
static int
attempt_at(double t, const double *started, const int *n, size_t count)
{
	size_t k = 0;

	while (k + 1 < count && t >= started[k + 1])
		k++;
	return n[k];
}

void
facts_set_attempts(
    struct facts_scn *fs, const double *started, const int *n, size_t count)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->nconns; i++)
		fs->conns[i].attempt =
		    count > 0
		        ? attempt_at(fs->conns[i].t_start, started, n, count)
		        : 0;
	for (i = 0; i < fs->nqueries; i++)
		fs->queries[i].attempt =
		    count > 0 ? attempt_at(fs->queries[i].t, started, n, count)
		              : 0;
}
