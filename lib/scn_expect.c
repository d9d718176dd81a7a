/*
 * scn_expect.c - the scenario parser's expect lines: the kind's words
 * and argument shape from lib/expkind.c's table, the attributes, the
 * requirement list (see scn.c).
 */
#include "scn_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vocab.h"
#include "xmalloc.h"

/* ---- expect -------------------------------------------------------- */

/* req_list - parse "R-a,R-b" into e->req; -1 on a bad id (reported). */
static int
req_list(struct parser *p, struct scn_expect *e, const char *v)
{
	char *dup = xstrdup(v), *tok, *save = NULL;
	int rc = 0;

	if (*v == '\0' || *v == ',' || v[strlen(v) - 1] == ',' ||
	    strstr(v, ",,") != NULL) {
		perr(p, 0, "empty requirement id in req=");
		free(dup);
		return -1;
	}
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!valid_req_id(tok)) {
			perr(p, 0,
			    "bad requirement id '%s' (want R-2.2-a or "
			    "R7671-5.1-a style)",
			    tok);
			rc = -1;
			continue;
		}
		e->req = grow(e->req, e->nreq, sizeof(*e->req));
		e->req[e->nreq++] = xstrdup(tok);
	}
	free(dup);
	return rc;
}

/* free_expect - release what one expectation holds. */
static void
free_expect(struct scn_expect *e)
{
	free(e->host);
	free(e->name);
	free(e->qtype);
	free(e->name2);
	free(e->qtype2);
	free_strv(e->req, e->nreq);
	free(e->because);
	free(e->text);
}

/* host_arg - check and copy an MX label argument. */
static int
host_arg(struct parser *p, struct scn_expect *e, const char *h)
{
	if (!valid_label(h)) {
		perr(p, 0, "bad mx label '%s'", h);
		return -1;
	}
	e->host = xstrdup(h);
	return 0;
}

/*
 * expect_when - the attempts= qualifier of an expect line (the events of
 * those delivery attempts only); connections= is refused: an expectation
 * speaks of the scenario's message, not of one MX host's connections.
 */
static int
expect_when(struct parser *p, struct scn_expect *e, const char *word, int *seen)
{
	struct scn_when w;
	char err[160];

	if (scn_when_parse(word, &w, err, sizeof(err)) < 0) {
		perr(p, 0, "%s", err);
		return -1;
	}
	if (w.unit != SCN_WHEN_ATTEMPTS) {
		perr(p, 0,
		    "an expectation takes attempts=, not %s= (it judges the "
		    "scenario's delivery attempts, not one host's "
		    "connections)",
		    scn_when_unit_str(w.unit));
		return -1;
	}
	if ((*seen)++) {
		perr(p, 0, "duplicate attribute 'attempts'");
		return -1;
	}
	e->when = w;
	return 0;
}

/* expect_message - message=K: the scenario's message an outcome line
   speaks of (1..SCN_MESSAGES_MAX); 0/-1. */
static int
expect_message(struct parser *p, struct scn_expect *e, const char *v, int *seen)
{
	long k;
	char *end;

	if ((*seen)++) {
		perr(p, 0, "duplicate attribute 'message'");
		return -1;
	}
	errno = 0;
	k = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || k < 1 ||
	    k > SCN_MESSAGES_MAX) {
		perr(
		    p, 0, "bad message '%s' (want 1..%d)", v, SCN_MESSAGES_MAX);
		return -1;
	}
	e->message = (int)k;
	return 0;
}

/* expect_attrs - req=, severity=, because=, attempts=, message= of an
   expect line; 0/-1. */
static int
expect_attrs(
    struct parser *p, struct scn_expect *e, const char **pos, int *npos)
{
	int j, bad = 0, seen_req = 0, seen_sev = 0, seen_because = 0;
	int seen_when = 0, seen_msg = 0;
	char k[64];

	for (j = 1; j < p->nw; j++) {
		const struct word *w = &p->w[j];
		const char *v = w->s + w->eq + 1;

		if (w->eq < 0) {
			pos[(*npos)++] = w->s;
			continue;
		}
		attr_key(w, k, sizeof(k));
		if (strcmp(k, "req") == 0) {
			if (seen_req++) {
				perr(p, 0, "duplicate attribute 'req'");
				bad = 1;
			} else if (req_list(p, e, v) == -1)
				bad = 1;
		} else if (strcmp(k, "severity") == 0) {
			int sv = vocab_lookup(sev_names, SCN_SEV__COUNT, v);

			if (seen_sev++) {
				perr(p, 0, "duplicate attribute 'severity'");
				bad = 1;
			} else if (sv < 0) {
				perr(p, 0,
				    "bad severity '%s' (want security, "
				    "interop or info)",
				    v);
				bad = 1;
			} else {
				e->severity_set = 1;
				e->severity = (enum scn_severity)sv;
			}
		} else if (strcmp(k, "because") == 0) {
			if (seen_because++) {
				perr(p, 0, "duplicate attribute 'because'");
				bad = 1;
			} else if (*v == '\0') {
				perr(p, 0, "empty 'because' (say why)");
				bad = 1;
			} else
				e->because = xstrdup(v);
		} else if (strcmp(k, "attempts") == 0 ||
		           strcmp(k, "connections") == 0) {
			if (expect_when(p, e, w->s, &seen_when) == -1)
				bad = 1;
		} else if (strcmp(k, "message") == 0) {
			if (expect_message(p, e, v, &seen_msg) == -1)
				bad = 1;
		} else {
			perr(p, 0,
			    "bad expect attribute '%s' (want req=, "
			    "severity=, because=, attempts= or message=)",
			    k);
			bad = 1;
		}
	}
	if (seen_because && !seen_sev) {
		perr(p, 0, "'because' explains a severity=; there is none");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * The argument shapes of expkind.h: each checks the words after the
 * kind (arg[0..n)) into e. They return 0; -1 on an error that makes the
 * line useless; 1 on a bad value (reported, the line is dropped).
 */

/* args_outcomes - OUTCOME... */
static int
args_outcomes(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	int j, bad = 0;

	if (n < 1) {
		perr(p, 0, "'expect %s' needs one or more outcomes",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	for (j = 0; j < n; j++) {
		int o = scn_outcome_from_str(arg[j]);

		if (strcmp(arg[j], "delivered") == 0)
			e->outcomes |= 1u << SCN_OUT_DELIVERED_TLS |
			               1u << SCN_OUT_DELIVERED_PLAIN;
		else if (o < 0 || o == SCN_OUT_UNKNOWN) {
			perr(p, 0,
			    "bad outcome '%s' (want delivered-tls, "
			    "delivered-plaintext, delivered, deferred, "
			    "bounced or not-attempted)",
			    arg[j]);
			bad = 1;
		} else
			e->outcomes |= 1u << o;
	}
	if (p->l_outcome[e->message]) {
		perr(p, 0, "duplicate 'expect outcome' (first on line %d)",
		    p->l_outcome[e->message]);
		bad = 1;
	} else if (p->l_outcome[e->message ^ 1] && e->message <= 1) {
		/* message=1 and no message= speak of the same message */
		perr(p, 0,
		    "duplicate 'expect outcome' of message 1 (first on line "
		    "%d)",
		    p->l_outcome[e->message ^ 1]);
		bad = 1;
	} else
		p->l_outcome[e->message] = p->line;
	return bad;
}

/* args_host - HOST */
static int
args_host(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 1) {
		perr(p, 0, "'expect %s' takes one mx label",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	return host_arg(p, e, arg[0]) == -1;
}

/* args_opt_host - [HOST] */
static int
args_opt_host(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n > 1) {
		perr(p, 0, "'expect %s' takes at most one mx label",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	return n == 1 && host_arg(p, e, arg[0]) == -1;
}

/* args_host_name - HOST NAME (an SNI name) */
static int
args_host_name(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 2) {
		perr(p, 0, "'expect %s' takes HOST NAME",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	if (host_arg(p, e, arg[0]) == -1 ||
	    check_name(p, arg[1], "SNI name", 0) == -1)
		return 1;
	e->name = xstrdup(arg[1]);
	return 0;
}

/* args_name_type - NAME TYPE (a real RR type, not ANY) */
static int
args_name_type(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 2) {
		perr(p, 0, "'expect %s' takes NAME TYPE",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	if (check_name(p, arg[0], "query name", 0) == -1 ||
	    check_rrtype(p, arg[1]) == -1)
		return 1;
	if (strcasecmp(arg[1], "ANY") == 0) {
		perr(p, 0, "'expect %s' needs a real RR type, not ANY",
		    scn_expect_kind_str(e->kind));
		return 1;
	}
	e->name = xstrdup(arg[0]);
	e->qtype = upper_dup(arg[1]);
	return 0;
}

/* args_host_verb - HOST VERB (an SMTP verb: 1..15 letters, kept upper
   case) */
static int
args_host_verb(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	size_t i, len;

	if (n != 2) {
		perr(p, 0, "'expect %s' takes HOST VERB",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	if (host_arg(p, e, arg[0]) == -1)
		return 1;
	len = strlen(arg[1]);
	for (i = 0; i < len; i++)
		if (!((arg[1][i] >= 'A' && arg[1][i] <= 'Z') ||
		        (arg[1][i] >= 'a' && arg[1][i] <= 'z')))
			break;
	if (len == 0 || len > 15 || i < len) {
		perr(p, 0, "bad SMTP verb '%s' (want letters, e.g. EHLO)",
		    arg[1]);
		return 1;
	}
	e->name = upper_dup(arg[1]);
	return 0;
}

/*
 * type_list - TYPES of a query-order line: one or more real RR types
 * (not ANY), comma-separated; the list upper case in *out.
 * 0, or 1 on a bad value (reported).
 */
static int
type_list(struct parser *p, const char *v, char **out)
{
	char *dup = upper_dup(v), *tok, *save = NULL;
	int bad = 0;

	if (*v == '\0' || *v == ',' || v[strlen(v) - 1] == ',' ||
	    strstr(v, ",,") != NULL) {
		perr(p, 0, "empty RR type in '%s' (want TYPE or TYPE,TYPE)", v);
		free(dup);
		return 1;
	}
	for (tok = strtok_r(dup, ",", &save); tok != NULL && !bad;
	     tok = strtok_r(NULL, ",", &save)) {
		if (check_rrtype(p, tok) == -1)
			bad = 1;
		else if (strcmp(tok, "ANY") == 0) {
			perr(p, 0,
			    "'expect query-order' needs real RR types, not "
			    "ANY");
			bad = 1;
		}
	}
	free(dup);
	if (bad)
		return 1;
	*out = upper_dup(v);
	return 0;
}

/* types_overlap - whether the type lists a and b ("A,AAAA") share one. */
static int
types_overlap(const char *a, const char *b)
{
	char *dup = xstrdup(a), *tok, *save = NULL;
	int hit = 0;
	size_t n;

	for (tok = strtok_r(dup, ",", &save); tok != NULL && !hit;
	     tok = strtok_r(NULL, ",", &save)) {
		const char *q = b;

		n = strlen(tok);
		while (!hit && (q = strstr(q, tok)) != NULL) {
			hit = (q == b || q[-1] == ',') &&
			      (q[n] == '\0' || q[n] == ',');
			q += n;
		}
	}
	free(dup);
	return hit;
}

/* same_dname - names equal, case-insensitive, final dot optional. */
static int
same_dname(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	la -= la > 0 && a[la - 1] == '.';
	lb -= lb > 0 && b[lb - 1] == '.';
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* args_query_pair - NAME1 TYPES1 NAME2 TYPES2: two different queries
   whose order is judged */
static int
args_query_pair(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 4) {
		perr(p, 0,
		    "'expect %s' takes NAME1 TYPES1 NAME2 TYPES2 (TYPES: "
		    "A or A,AAAA)",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	if (check_name(p, arg[0], "query name", 0) == -1 ||
	    check_name(p, arg[2], "query name", 0) == -1)
		return 1;
	if (type_list(p, arg[1], &e->qtype) || type_list(p, arg[3], &e->qtype2))
		return 1;
	e->name = xstrdup(arg[0]);
	e->name2 = xstrdup(arg[2]);
	if (same_dname(arg[0], arg[2]) && types_overlap(e->qtype, e->qtype2)) {
		perr(p, 0,
		    "'expect %s' names the same query twice: it can never "
		    "fail",
		    scn_expect_kind_str(e->kind));
		return 1;
	}
	return 0;
}

/* args_none - no argument */
static int
args_none(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	(void)arg;
	if (n != 0) {
		perr(p, 0, "'expect %s' takes no argument",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	return 0;
}

static int (*const expect_args[])(
    struct parser *, struct scn_expect *, const char **, int) = {
    [EXPK_ARGS_OUTCOMES] = args_outcomes,
    [EXPK_ARGS_HOST] = args_host,
    [EXPK_ARGS_OPT_HOST] = args_opt_host,
    [EXPK_ARGS_HOST_NAME] = args_host_name,
    [EXPK_ARGS_NAME_TYPE] = args_name_type,
    [EXPK_ARGS_HOST_VERB] = args_host_verb,
    [EXPK_ARGS_QUERY_PAIR] = args_query_pair,
    [EXPK_ARGS_NONE] = args_none,
};

/* do_expect - expect [never] KIND ARGS [req=...] [severity=...] ... */
void
do_expect(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_expect e;
	const char *pos[SCN_WORDS_MAX];
	int npos = 0, never = 0, kind, bad;

	memset(&e, 0, sizeof(e));
	e.line = p->line;
	bad = expect_attrs(p, &e, pos, &npos) == -1;
	if (npos == 0) {
		perr(p, 0, "'expect' needs a kind (%s)", expk_words_list(0));
		goto out;
	}
	if (strcmp(pos[0], "never") == 0) {
		never = 1;
		if (npos == 1) {
			perr(p, 0, "'expect never' needs a kind (%s)",
			    expk_words_list(1));
			goto out;
		}
	}
	if ((kind = expk_find(never, pos[never])) < 0) {
		perr(p, 0, "unknown expectation 'expect %s%s' (want %s)",
		    never ? "never " : "", pos[never], expk_words_list(never));
		goto out;
	}
	e.kind = (enum scn_expect_kind)kind;
	switch (expect_args[expk_spec(e.kind)->args](
	    p, &e, pos + never + 1, npos - never - 1)) {
	case -1:
		goto out;
	case 1:
		bad = 1;
		break;
	}
	if (!bad && e.when.unit != SCN_WHEN_ALWAYS &&
	    e.kind == SCN_EXP_OUTCOME) {
		perr(p, 0,
		    "'expect outcome' cannot be qualified with attempts= "
		    "(the outcome is the message's state after its last "
		    "attempt)");
		bad = 1;
	}
	if (!bad && e.message > 0 && e.kind != SCN_EXP_OUTCOME) {
		perr(p, 0,
		    "only 'expect outcome' takes message= (the other kinds "
		    "speak of delivery attempts: attempts=K judges the "
		    "attempt that message K opened)");
		bad = 1;
	}
	if (bad)
		goto out;
	if (s->nexpects == SCN_EXPECTS_MAX) {
		perr(p, 0, "too many expectations (at most %d)",
		    SCN_EXPECTS_MAX);
		goto out;
	}
	e.text = xstrdup(p->raw);
	s->expects = grow(s->expects, s->nexpects, sizeof(*s->expects));
	s->expects[s->nexpects++] = e;
	return;
out:
	free_expect(&e);
}
