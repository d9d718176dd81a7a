/*
 * conform.c - conformance profiles: find, parse, and judge a scored run
 * against one (see conform.h, docs/profiles.md). The requirement ids are
 * those of docs/rfc7672-requirements.md; a clause is met only by
 * evidence: a requirement nothing in the run tests is "not tested",
 * never met.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness/report/conform.h"
#include "share.h"
#include "scn_lint.h"
#include "xmalloc.h"

#define CONFORM_FILE_MAX (1 << 20)

static const char *const state_names[CONFORM__COUNT] = {
    "met", "failed", "inconclusive", "not tested"};

const char *
conform_state_str(enum conform_state st)
{
	return (unsigned)st < CONFORM__COUNT ? state_names[st] : "?";
}

/* exists - a readable regular file. */
static int
exists(const char *path)
{
	return access(path, R_OK) == 0;
}

char *
conform_find(const char *spec)
{
	char *dir, *cand;

	if (strchr(spec, '/') != NULL || exists(spec))
		return exists(spec) ? xstrdup(spec) : NULL;
	/* A name: the share folder's profiles/, as for the suite. */
	dir = share_path("profiles");
	cand = xasprintf("%s/%s.profile", dir, spec);
	free(dir);
	if (exists(cand))
		return cand;
	free(cand);
	return NULL;
}

/* set_err - "path:line: message" into err. */
static void __attribute__((format(printf, 5, 6))) set_err(
    char *err, size_t errsz, const char *path, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, errsz, "%s:%d: %s", path, line, msg);
}

/* valid_id - a name or id: printable, no space, not empty. */
static int
valid_id(const char *s, const char *extra)
{
	const char *p;

	if (*s == '\0')
		return 0;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(extra, *p) == NULL)
			return 0;
	return 1;
}

void
conform_free(struct conform_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->c[i].id);
		free(p->c[i].text);
	}
	free(p->c);
	free(p->path);
	free(p->name);
	free(p->title);
	free(p->statement);
	free(p);
}

struct conform_profile *
conform_parse(
    const char *path, const char *text, size_t len, char *err, size_t errsz)
{
	struct conform_profile *p = xcalloc(1, sizeof(*p));
	struct buf st;
	const char *line = text, *end = text + len, *nl;
	int lineno = 0;
	char *l, *key, *val, *rest;

	buf_init(&st);
	p->path = xstrdup(path);
	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		lineno++;
		l = xstrndup(line, (size_t)(nl - line));
		if (strlen(l) != (size_t)(nl - line)) {
			set_err(err, errsz, path, lineno, "NUL byte");
			free(l);
			goto bad;
		}
		l[strcspn(l, "\r")] = '\0';
		key = l + strspn(l, " \t");
		if (*key == '\0' || *key == '#') {
			free(l);
			continue;
		}
		val = key + strcspn(key, " \t");
		if (*val != '\0')
			*val++ = '\0';
		val += strspn(val, " \t");
		rest = val + strlen(val);
		while (rest > val && (rest[-1] == ' ' || rest[-1] == '\t'))
			*--rest = '\0';
		if (*val == '\0') {
			set_err(err, errsz, path, lineno, "'%s' needs a value",
			    key);
			free(l);
			goto bad;
		}
		if (strcmp(key, "name") == 0) {
			if (p->name != NULL || !valid_id(val, "._-")) {
				set_err(err, errsz, path, lineno,
				    p->name ? "second 'name'"
				            : "name wants [a-z0-9._-]");
				free(l);
				goto bad;
			}
			p->name = xstrdup(val);
		} else if (strcmp(key, "title") == 0) {
			if (p->title != NULL) {
				set_err(
				    err, errsz, path, lineno, "second 'title'");
				free(l);
				goto bad;
			}
			p->title = xstrdup(val);
		} else if (strcmp(key, "statement") == 0) {
			buf_printf(&st, "%s%s", st.len ? " " : "", val);
		} else if (strcmp(key, "require") == 0 ||
		           strcmp(key, "scenario") == 0) {
			struct conform_clause *c;
			char *t = val + strcspn(val, " \t");

			if (*t != '\0') {
				*t++ = '\0';
				t += strspn(t, " \t");
			}
			if (!valid_id(val, ".-_")) {
				set_err(err, errsz, path, lineno,
				    "'%s' is not a %s id", val,
				    key[0] == 'r' ? "requirement" : "scenario");
				free(l);
				goto bad;
			}
			p->c = xreallocarray(p->c, p->n + 1, sizeof(*p->c));
			c = &p->c[p->n++];
			c->kind =
			    key[0] == 'r' ? CONFORM_REQUIRE : CONFORM_SCENARIO;
			c->id = xstrdup(val);
			c->text = *t ? xstrdup(t) : NULL;
			c->line = lineno;
		} else {
			set_err(err, errsz, path, lineno,
			    "unknown key '%s' (name, title, statement, "
			    "require, scenario)",
			    key);
			free(l);
			goto bad;
		}
		free(l);
		if (nl == end)
			break;
	}
	if (p->name == NULL) {
		set_err(err, errsz, path, lineno, "no 'name' line");
		goto bad;
	}
	if (p->n == 0) {
		set_err(err, errsz, path, lineno,
		    "no clause ('require' or 'scenario' line)");
		goto bad;
	}
	p->statement = st.len ? buf_steal(&st) : NULL;
	buf_free(&st);
	return p;
bad:
	buf_free(&st);
	conform_free(p);
	return NULL;
}

struct conform_profile *
conform_load(const char *spec, char *err, size_t errsz)
{
	struct conform_profile *p;
	char *path = conform_find(spec), chunk[8192];
	struct buf b;
	size_t n;
	FILE *f;

	if (path == NULL) {
		snprintf(err, errsz,
		    "no profile '%s' (a file, or NAME of "
		    "profiles/NAME.profile)",
		    spec);
		return NULL;
	}
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	buf_init(&b);
	while (b.len <= CONFORM_FILE_MAX &&
	       (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (b.len > CONFORM_FILE_MAX) {
		snprintf(err, errsz, "%s: larger than %d bytes", path,
		    CONFORM_FILE_MAX);
		p = NULL;
	} else
		p = conform_parse(
		    path, b.data ? b.data : "", b.len, err, errsz);
	buf_free(&b);
	free(path);
	return p;
}

/* cites - whether the expectation e of s stands for requirement id. */
static int
cites(const struct scn *s, const struct scn_expect *e, const char *id)
{
	size_t n, i;
	char *const *r = scn_expect_reqs(s, e, &n);

	for (i = 0; i < n; i++)
		if (strcmp(r[i], id) == 0)
			return 1;
	return 0;
}

/* worse - the state of a clause after one more verdict v. */
static enum conform_state
worse(enum conform_state st, enum score_verdict v)
{
	if (v == SCORE_FAIL)
		return CONFORM_FAILED;
	if (st == CONFORM_FAILED)
		return st;
	if (v == SCORE_INCONCLUSIVE || v == SCORE_ERROR)
		return CONFORM_INCONCLUSIVE;
	return st == CONFORM_NOT_TESTED ? CONFORM_MET : st;
}

/* put_squeezed - text with every run of blanks as one space. */
static void
put_squeezed(struct buf *b, const char *text)
{
	const char *p;
	int blank = 0;

	for (p = text ? text : "?"; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			blank = 1;
			continue;
		}
		if (blank)
			buf_putc(b, ' ');
		blank = 0;
		buf_putc(b, *p);
	}
}

/* eval_require - one requirement clause over every expectation; the
   evidence names the failures first, then what could not be judged. */
static enum conform_state
eval_require(const struct conform_clause *c, const struct scn *const *scns,
    const struct score_result *const *res, size_t n, struct buf *why)
{
	enum conform_state st = CONFORM_NOT_TESTED;
	size_t i, j, nexp = 0, nbad = 0;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			for (j = 0; j < res[i]->nexps; j++) {
				const struct score_exp *x = &res[i]->exps[j];

				if (!cites(scns[i], x->e, c->id))
					continue;
				if (pass == 0) {
					nexp++;
					st = worse(st, x->verdict);
				}
				if (x->verdict == SCORE_PASS ||
				    (x->verdict == SCORE_FAIL) != (pass == 0))
					continue;
				if (nbad++ < 3) {
					buf_printf(why,
					    "%s%s: ", nbad > 1 ? "; " : "",
					    scns[i]->id);
					put_squeezed(why, x->e->text);
					buf_printf(why, " (%s)",
					    score_verdict_str(x->verdict));
				}
			}
	if (nbad > 3)
		buf_printf(why, "; and %zu more", nbad - 3);
	if (nexp == 0)
		buf_puts(why, "no expectation of this run cites it");
	else if (nbad == 0)
		buf_printf(why, "%zu expectation%s passed", nexp,
		    nexp == 1 ? "" : "s");
	return st;
}

/* eval_scenario - one scenario clause. */
static enum conform_state
eval_scenario(const struct conform_clause *c, const struct scn *const *scns,
    const struct score_result *const *res, size_t n, struct buf *why)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(scns[i]->id, c->id) != 0)
			continue;
		buf_printf(why, "scenario %s: %s, outcome %s", c->id,
		    score_verdict_str(res[i]->verdict),
		    scn_outcome_str(res[i]->outcome));
		return worse(CONFORM_NOT_TESTED, res[i]->verdict);
	}
	buf_printf(why, "scenario %s was not part of this run", c->id);
	return CONFORM_NOT_TESTED;
}

struct conform_result *
conform_eval(const struct conform_profile *p, const struct scn *const *scns,
    const struct score_result *const *res, size_t n)
{
	struct conform_result *r = xcalloc(1, sizeof(*r));
	struct buf why;
	size_t i;

	r->p = p;
	r->state = xcalloc(p->n + 1, sizeof(*r->state));
	r->why = xcalloc(p->n + 1, sizeof(*r->why));
	for (i = 0; i < p->n; i++) {
		buf_init(&why);
		r->state[i] = p->c[i].kind == CONFORM_REQUIRE
		                  ? eval_require(&p->c[i], scns, res, n, &why)
		                  : eval_scenario(&p->c[i], scns, res, n, &why);
		r->why[i] = buf_steal(&why);
		if (r->state[i] != CONFORM_MET)
			r->nfailed++;
	}
	r->meets = r->nfailed == 0;
	return r;
}

void
conform_result_free(struct conform_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; r->p != NULL && i < r->p->n; i++)
		free(r->why[i]);
	free(r->why);
	free(r->state);
	free(r);
}
