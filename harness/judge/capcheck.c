/*
 * capcheck.c - the per-connection capture check: the event logs against
 * the capture (see capcheck.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness/judge/capcheck.h"
#include "xmalloc.h"

/* str_same - two optional strings are equal (NULL only equals NULL). */
static int
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * conn_match - the connection of fs that is w seen from the other source:
 * the same client ("ip:port"), or NULL. A long run reuses client ports,
 * so of several with that client the one to the same MX host, then the
 * one that began closest in time, is it.
 */
static const struct facts_conn *
conn_match(const struct facts_scn *fs, const struct facts_conn *w)
{
	const struct facts_conn *best = NULL, *c;
	double d, bestd = 0;
	int same, bestsame = 0;
	size_t i;

	for (i = 0; fs != NULL && w->client != NULL && i < fs->nconns; i++) {
		c = &fs->conns[i];
		if (!str_same(c->client, w->client))
			continue;
		same = str_same(c->host, w->host);
		d = c->t_start > w->t_start ? c->t_start - w->t_start
		                            : w->t_start - c->t_start;
		if (best == NULL || same > bestsame ||
		    (same == bestsame && d < bestd)) {
			best = c;
			bestd = d;
			bestsame = same;
		}
	}
	return best;
}

/* put_diff - one differing fact for capture-check.txt and cap_diff. */
static void
put_diff(struct buf *out, struct buf *brief, const char *field,
    const char *logs, const char *cap)
{
	buf_printf(out, "    %s: logs %s, capture %s\n", field, logs, cap);
	buf_printf(brief, "%s%s: logs %s, capture %s", brief->len ? "; " : "",
	    field, logs, cap);
}

/*
 * conn_diff - say in out (and briefly in brief) how the logged and
 * captured views of one connection differ; returns the number of
 * differing facts. When lossy (the capture lost packets somewhere), a
 * fact the capture lacks is no contradiction: only what the capture saw
 * and the logs did not, or saw otherwise, counts.
 */
static int
conn_diff(const struct facts_conn *l, const struct facts_conn *c, int lossy,
    struct buf *out, struct buf *brief)
{
	char lv[16], cv[16];
	int n = 0;

#define CMP_INT(field)                                                         \
	do {                                                                   \
		if (l->field != c->field && !(lossy && c->field == 0)) {       \
			snprintf(lv, sizeof(lv), "%d", l->field);              \
			snprintf(cv, sizeof(cv), "%d", c->field);              \
			put_diff(out, brief, #field, lv, cv);                  \
			n++;                                                   \
		}                                                              \
	} while (0)
	if (!str_same(l->host, c->host)) {
		put_diff(out, brief, "host", l->host ? l->host : "-",
		    c->host ? c->host : "-");
		n++;
	}
	CMP_INT(starttls_sent);
	CMP_INT(starttls_code);
	CMP_INT(client_hello);
	CMP_INT(tls_ok);
	CMP_INT(mail_plain);
	CMP_INT(rcpt_plain);
	CMP_INT(data_plain);
#undef CMP_INT
	if (l->client_hello && c->client_hello && !str_same(l->sni, c->sni)) {
		put_diff(out, brief, "sni", l->sni ? l->sni : "(none)",
		    c->sni ? c->sni : "(none)");
		n++;
	}
	return n;
}

/* flag - mark connection x as disagreeing, with brief as its cap_diff. */
static void
flag(struct facts_conn *x, const char *brief)
{
	x->cap_disagree = 1;
	snprintf(x->cap_diff, sizeof(x->cap_diff), "%s", brief);
}

int
capture_check(const struct scn_suite *suite, struct facts *logs,
    struct facts *cap, struct buf *out)
{
	int lossy = !cap->complete, bad = 0, d;
	struct buf brief;
	size_t i, j;

	buf_init(&brief);
	if (lossy)
		buf_printf(out,
		    "the capture is incomplete (%s): what it lacks is not "
		    "counted as a disagreement\n",
		    cap->note ? cap->note : "partial");
	for (i = 0; i < suite->n; i++) {
		const struct scn *s = suite->items[i];
		struct facts_scn *fl = facts_for(logs, s);
		struct facts_scn *fc = facts_for(cap, s);
		size_t nl = fl ? fl->nconns : 0, nc = fc ? fc->nconns : 0;

		buf_printf(out,
		    "%s: %zu connection(s) in the logs, %zu in the "
		    "capture\n",
		    s->id, nl, nc);
		for (j = 0; j < nl; j++) {
			struct facts_conn *l = &fl->conns[j];
			const struct facts_conn *c = conn_match(fc, l);

			if (c == NULL) {
				buf_printf(out,
				    "  %s -> %s: not in the capture%s\n",
				    l->client ? l->client : "?",
				    l->host ? l->host : "?",
				    lossy ? " (incomplete); not compared" : "");
				if (!lossy) {
					flag(l, "the capture has no such "
					        "connection");
					bad++;
				}
				continue;
			}
			if (c->gap) {
				buf_printf(out,
				    "  %s -> %s: the capture has a "
				    "gap; not compared\n",
				    l->client, l->host);
				continue;
			}
			buf_reset(&brief);
			d = conn_diff(l, c, lossy, out, &brief);
			buf_printf(out, "  %s -> %s: %s\n", l->client,
			    l->host ? l->host : "?", d ? "DISAGREE" : "agree");
			if (d > 0)
				flag(l, buf_cstr(&brief));
			bad += d;
		}
		for (j = 0; j < nc; j++)
			if (conn_match(fl, &fc->conns[j]) == NULL) {
				buf_printf(out,
				    "  %s -> %s: in the capture only\n",
				    fc->conns[j].client ? fc->conns[j].client
				                        : "?",
				    fc->conns[j].host ? fc->conns[j].host
				                      : "?");
				flag(&fc->conns[j],
				    "fakemx logged no such connection");
				bad++;
			}
	}
	buf_printf(out, "%d disagreement(s)\n", bad);
	buf_free(&brief);
	return bad;
}
