/*
 * scn_lint.c - scenario checks beyond syntax (docs/scenario-format.md,
 * "Lint"), in the spirit of Deckard's rplint: reject expectations that
 * could never fail or name nothing, labels used but never declared,
 * zones outside the scenario's own names, and requirement ids that are
 * not rows of the RFC 7672 requirement catalogue.
 */
#include "scn_lint.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "buf.h"
#include "log.h"
#include "scn_expand.h"
#include "share.h"
#include "xmalloc.h"

#define CATALOGUE_REL "docs/rfc7672-requirements.md"
#define CATALOGUE_MAX 10000        /* rows read from a catalogue */
#define UNTESTABLE "- Untestable:" /* a row body line: not testable */

/*
 * grow - make room for element n of array p (n elements in use): the
 * array doubles whenever n reaches a power of two, so appending stays
 * linear (one element at a time would copy quadratically).
 */
static void *
grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		return xreallocarray(p, n ? 2 * n : 1, size);
	return p;
}

/* ---- catalogue ----------------------------------------------------- */

/* trim_dup - copy of s[0..n) without blanks at either end. */
static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* strip_bold - copy of the first **...** span of s, or of s trimmed. */
static char *
strip_bold(const char *s)
{
	const char *a = strstr(s, "**"), *b;

	if (a != NULL && (b = strstr(a + 2, "**")) != NULL)
		return trim_dup(a + 2, (size_t)(b - a - 2));
	return trim_dup(s, strlen(s));
}

/* count_sep - occurrences of " · " in s. */
static int
count_sep(const char *s)
{
	int n = 0;

	while ((s = strstr(s, " \xc2\xb7 ")) != NULL) {
		n++;
		s += 4;
	}
	return n;
}

/* add_row - parse one row header (id already known) into cat. */
static void
add_row(struct scn_catalogue *cat, char *id, const char *hdr, const char *part,
    int line)
{
	const char *f[4] = {NULL, NULL, NULL, NULL};
	size_t flen[4] = {0, 0, 0, 0};
	const char *q = hdr, *sep;
	struct scn_catalogue_entry *e;
	int i;
	char *sec;

	/* fields after the id: section · keyword · severity */
	for (i = 0; i < 3; i++) {
		sep = strstr(q, " \xc2\xb7 ");
		if (sep == NULL)
			break;
		q = sep + 4;
		f[i] = q;
		sep = strstr(q, " \xc2\xb7 ");
		flen[i] = sep != NULL && i < 2 ? (size_t)(sep - q) : strlen(q);
	}
	cat->e = grow(cat->e, cat->n, sizeof(*cat->e));
	e = &cat->e[cat->n++];
	e->id = id;
	e->line = line;
	e->part = xstrdup(part);
	e->untestable = NULL;
	sec = f[0] != NULL ? trim_dup(f[0], flen[0]) : xstrdup("");
	if (strchr(sec, '(') != NULL)
		*strchr(sec, '(') = '\0';
	e->section = trim_dup(sec, strlen(sec));
	free(sec);
	e->keyword = f[1] != NULL ? trim_dup(f[1], flen[1]) : xstrdup("");
	if (f[2] != NULL) {
		char *t = trim_dup(f[2], flen[2]);

		e->severity = strip_bold(t);
		free(t);
	} else
		e->severity = xstrdup("");
}

int
scn_catalogue_load(const char *path, struct scn_catalogue *cat)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	char *part = xstrdup("");
	char *pending_id = NULL;
	struct buf hdr;
	int lno = 0, pending_line = 0, pending_wraps = 0;
	int in_body = 0; /* lines since the last row header, no heading */

	memset(cat, 0, sizeof(*cat));
	buf_init(&hdr);
	if ((fp = fopen(path, "r")) == NULL) {
		log_warn("catalogue %s", path);
		free(part);
		return -1;
	}
	cat->path = xstrdup(path);
	while ((len = getline(&line, &cap, fp)) != -1) {
		lno++;
		while (
		    len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (pending_id != NULL) {
			/* a row header that wraps onto the next lines */
			if (len > 0 && strncmp(line, "- ", 2) != 0 &&
			    count_sep(buf_cstr(&hdr)) < 3 &&
			    pending_wraps++ < 3) {
				buf_printf(&hdr, " %s", line);
				if (count_sep(buf_cstr(&hdr)) < 3)
					continue;
			}
			add_row(cat, pending_id, buf_cstr(&hdr), part,
			    pending_line);
			pending_id = NULL;
			in_body = 1;
		}
		if (strncmp(line, UNTESTABLE, strlen(UNTESTABLE)) == 0 &&
		    in_body && cat->e[cat->n - 1].untestable == NULL) {
			const char *r = line + strlen(UNTESTABLE);

			cat->e[cat->n - 1].untestable = trim_dup(r, strlen(r));
			continue;
		}
		if (strncmp(line, "## ", 3) == 0 ||
		    strncmp(line, "### ", 4) == 0)
			in_body = 0;
		if (strncmp(line, "## ", 3) == 0) {
			free(part);
			part = trim_dup(line + 3, strlen(line + 3));
			continue;
		}
		if (strncmp(line, "**R", 3) == 0 && cat->n >= CATALOGUE_MAX) {
			log_warnx("catalogue %s: more than %d rows; the rest "
			          "is ignored",
			    path, CATALOGUE_MAX);
			break;
		}
		if (strncmp(line, "**R", 3) == 0) {
			const char *end = strstr(line + 2, "**");
			char *id;
			size_t i;

			if (end == NULL)
				continue;
			id = xstrndup(line + 2, (size_t)(end - line - 2));
			if (strspn(id,
			        "R0123456789.-abcdefghijklmnopqrstuvwxyz") !=
			        strlen(id) ||
			    strchr(id, '-') == NULL) {
				free(id); /* bold text, not a row id */
				continue;
			}
			for (i = 0; i < cat->n; i++)
				if (strcmp(cat->e[i].id, id) == 0)
					break;
			if (i < cat->n) {
				free(id);
				in_body = 0;
				continue;
			}
			buf_reset(&hdr);
			buf_puts(&hdr, end + 2);
			pending_id = id;
			pending_line = lno;
			pending_wraps = 0;
			if (count_sep(buf_cstr(&hdr)) >= 3) {
				add_row(cat, pending_id, buf_cstr(&hdr), part,
				    pending_line);
				pending_id = NULL;
				in_body = 1;
			}
		}
	}
	if (pending_id != NULL)
		add_row(cat, pending_id, buf_cstr(&hdr), part, pending_line);
	if (ferror(fp))
		log_warn("catalogue %s: read", path);
	fclose(fp);
	free(line);
	free(part);
	buf_free(&hdr);
	if (cat->n == 0) {
		log_warnx(
		    "catalogue %s: no requirement rows (**R-...**)", path);
		scn_catalogue_free(cat);
		return -1;
	}
	return 0;
}

void
scn_catalogue_free(struct scn_catalogue *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->n; i++) {
		free(cat->e[i].id);
		free(cat->e[i].section);
		free(cat->e[i].keyword);
		free(cat->e[i].severity);
		free(cat->e[i].part);
		free(cat->e[i].untestable);
	}
	free(cat->e);
	free(cat->path);
	memset(cat, 0, sizeof(*cat));
}

const struct scn_catalogue_entry *
scn_catalogue_find(const struct scn_catalogue *cat, const char *id)
{
	size_t i;

	if (cat == NULL || id == NULL)
		return NULL;
	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->e[i].id, id) == 0)
			return &cat->e[i];
	return NULL;
}

char *
scn_catalogue_default(void)
{
	char *p = share_path(CATALOGUE_REL);

	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

/* ---- severity from the catalogue ------------------------------------ */

const char *
scn_catalogue_label(const struct scn_catalogue_entry *e)
{
	static const char *const labels[] = {"SEC", "INT", "OPS", "C"};
	const char *v = e->severity;
	size_t i, n;

	while (*v == ' ' || *v == '*')
		v++;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		n = strlen(labels[i]);
		if (strncmp(v, labels[i], n) == 0 &&
		    !isalpha((unsigned char)v[n]))
			return labels[i];
	}
	return NULL;
}

int
scn_expect_catalogue_severity(const struct scn_catalogue *cat,
    const struct scn *s, const struct scn_expect *e, enum scn_severity *sev,
    const char **req)
{
	const struct scn_catalogue_entry *row;
	char *const *r;
	const char *label;
	size_t n, i;
	int found = 0;

	r = scn_expect_reqs(s, e, &n);
	for (i = 0; i < n; i++) {
		if ((row = scn_catalogue_find(cat, r[i])) == NULL ||
		    (label = scn_catalogue_label(row)) == NULL)
			continue;
		if (strcmp(label, "SEC") == 0) {
			*sev = SCN_SEV_SECURITY;
			*req = r[i];
			return 0;
		}
		if (!found) {
			*sev = SCN_SEV_INTEROP;
			*req = r[i];
			found = 1;
		}
	}
	return found ? 0 : -1;
}

/*
 * info_rows - every cited row of e that has a label is a capability-
 * dependent one (C), and one has: severity=info needs no reason there.
 */
static int
info_rows(const struct scn_catalogue *cat, const struct scn *s,
    const struct scn_expect *e)
{
	const struct scn_catalogue_entry *row;
	char *const *r;
	const char *label;
	size_t n, i;
	int c = 0;

	r = scn_expect_reqs(s, e, &n);
	for (i = 0; i < n; i++) {
		if ((row = scn_catalogue_find(cat, r[i])) == NULL ||
		    (label = scn_catalogue_label(row)) == NULL)
			continue;
		if (strcmp(label, "C") != 0)
			return 0;
		c = 1;
	}
	return c;
}

/*
 * lowers_sev - severity sev given on a line is below cat_sev, what its
 * catalogue rows give (severity=info on rows that are all C is not).
 */
static int
lowers_sev(const struct scn_catalogue *cat, const struct scn *s,
    const struct scn_expect *e, enum scn_severity sev,
    enum scn_severity cat_sev)
{
	if (sev <= cat_sev)
		return 0;
	return !(sev == SCN_SEV_INFO && info_rows(cat, s, e));
}

/* lowers - e's severity= is below what its catalogue rows give. */
static int
lowers(const struct scn_catalogue *cat, const struct scn *s,
    const struct scn_expect *e)
{
	return e->severity_set && e->sev_cat_known &&
	       lowers_sev(cat, s, e, e->severity, e->sev_catalogue);
}

int
scn_suite_apply_catalogue(struct scn_suite *suite,
    const struct scn_catalogue *cat, struct scn_errors *errs)
{
	const char *req;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < suite->n; i++) {
		struct scn *s = suite->items[i];

		for (j = 0; j < s->nexpects; j++) {
			struct scn_expect *e = &s->expects[j];
			enum scn_severity sev;

			e->sev_cat_known = scn_expect_catalogue_severity(
			                       cat, s, e, &sev, &req) == 0;
			e->sev_catalogue =
			    e->sev_cat_known ? sev : SCN_SEV_INTEROP;
			e->sev_cat_req = e->sev_cat_known ? (char *)req : NULL;
			if (lowers(cat, s, e) && e->because == NULL) {
				scn_errors_add(errs,
				    "%s:%d: severity=%s lowers what the "
				    "catalogue gives (%s, %s) without "
				    "because=\"...\"",
				    s->file, e->line,
				    scn_severity_str(e->severity),
				    scn_severity_str(e->sev_catalogue),
				    e->sev_cat_req);
				rc = -1;
			}
		}
	}
	return rc;
}

int
scn_suite_judge_catalogue(
    struct scn_suite *suite, char **path, struct scn_errors *errs)
{
	struct scn_catalogue cat;
	char *p = scn_catalogue_default();
	int rc;

	if (path != NULL)
		*path = NULL;
	if (p == NULL) {
		p = share_path(CATALOGUE_REL);
		scn_errors_add(errs,
		    "no requirement catalogue (%s, in the share folder: "
		    "$DANESIM_SHARE, the source tree or the install): "
		    "every expectation's severity comes from it",
		    p);
		free(p);
		return -1;
	}
	if (scn_catalogue_load(p, &cat) == -1) {
		scn_errors_add(
		    errs, "%s: cannot use the requirement catalogue", p);
		free(p);
		return -1;
	}
	rc = scn_suite_apply_catalogue(suite, &cat, errs);
	scn_catalogue_free(&cat);
	if (path != NULL)
		*path = p;
	else
		free(p);
	return rc;
}

char *
scn_severity_override(const struct scn_catalogue *cat, const struct scn *s,
    const struct scn_expect *e)
{
	enum scn_severity sev;
	const char *req;

	if (cat == NULL || !e->severity_set ||
	    scn_expect_catalogue_severity(cat, s, e, &sev, &req) == -1 ||
	    sev == e->severity)
		return NULL;
	if (e->severity > sev && !lowers_sev(cat, s, e, e->severity, sev))
		return xasprintf("%s:%d informational (catalogue: %s, %s, "
		                 "a capability-dependent row)",
		    s->file, e->line, scn_severity_str(sev), req);
	if (e->severity > sev && e->because == NULL)
		return xasprintf("%s:%d lowered to %s (catalogue: %s, %s) "
		                 "without a reason",
		    s->file, e->line, scn_severity_str(e->severity),
		    scn_severity_str(sev), req);
	if (e->severity > sev)
		return xasprintf("%s:%d lowered to %s (catalogue: %s, %s) "
		                 "because \"%s\"",
		    s->file, e->line, scn_severity_str(e->severity),
		    scn_severity_str(sev), req, e->because);
	return xasprintf("%s:%d raised to %s (catalogue: %s, %s)", s->file,
	    e->line, scn_severity_str(e->severity), scn_severity_str(sev), req);
}

char *const *
scn_expect_reqs(const struct scn *s, const struct scn_expect *e, size_t *n)
{
	if (e->nreq > 0) {
		*n = e->nreq;
		return e->req;
	}
	*n = s->nreq;
	return s->req;
}

/* ---- lint ---------------------------------------------------------- */

/* One ${ADDR(x)}, ${ADDR6(x)} or ${TLSA(x,...)} seen in the scenario. */
struct ref {
	int kind; /* 'A', '6' (ADDR6) or 'T' */
	char *label;
	int line;
	int in_zone; /* seen in a zone line */
};

/* One problem found, kept until they are sorted by line. */
struct problem {
	int line;
	size_t seq;
	char *msg;
};

/* Lint state for one scenario. */
struct lint {
	const struct scn *s;
	struct scn_errors *errs;
	int problems;
	struct problem *pv;
	struct ref *refs;
	size_t nrefs;
	char **zn; /* the scenario's zones, normalised (zone_names) */
	size_t nzn;
	int cur_line; /* for the scan callback */
	int cur_zone;
};

/* lerr - one problem at line. */
static void __attribute__((format(printf, 3, 4)))
lerr(struct lint *l, int line, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	l->pv = grow(l->pv, (size_t)l->problems, sizeof(*l->pv));
	l->pv[l->problems].line = line;
	l->pv[l->problems].seq = (size_t)l->problems;
	l->pv[l->problems].msg = buf_steal(&b);
	l->problems++;
}

/* cmp_problem - by line, then in the order found. */
static int
cmp_problem(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* on_ref - scan callback: remember a label reference. */
static void
on_ref(void *ctx, int kind, const char *label)
{
	struct lint *l = ctx;
	struct ref *r;

	l->refs = grow(l->refs, l->nrefs, sizeof(*l->refs));
	r = &l->refs[l->nrefs++];
	r->kind = kind;
	r->label = xstrdup(label);
	r->line = l->cur_line;
	r->in_zone = l->cur_zone;
}

/* scan - collect the references of text at line. */
static void
scan(struct lint *l, const char *text, int line, int in_zone)
{
	char err[256];

	if (text == NULL)
		return;
	l->cur_line = line;
	l->cur_zone = in_zone;
	if (scn_expand_scan(text, on_ref, l, err, sizeof(err)) == -1)
		lerr(l, line, "%s", err);
}

/* find_cert - the cert labelled name, or NULL. */
static const struct scn_cert *
find_cert(const struct scn *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncerts; i++)
		if (strcmp(s->certs[i].name, name) == 0)
			return &s->certs[i];
	return NULL;
}

/* find_mx - the mx labelled name, or NULL. */
static const struct scn_mx *
find_mx(const struct scn *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nmxs; i++)
		if (strcmp(s->mxs[i].name, name) == 0)
			return &s->mxs[i];
	return NULL;
}

/*
 * addr_in_zone - for each mx of s, 1 if ${ADDR(its label)} or
 * ${ADDR6(its label)} appears in some zone line. New array of s->nmxs bytes
 * (caller frees).
 */
static char *
addr_in_zone(const struct lint *l)
{
	const struct scn *s = l->s;
	char *in = xcalloc(s->nmxs ? s->nmxs : 1, 1);
	size_t i, j;

	for (i = 0; i < l->nrefs; i++) {
		if ((l->refs[i].kind != 'A' && l->refs[i].kind != '6') ||
		    !l->refs[i].in_zone)
			continue;
		for (j = 0; j < s->nmxs; j++)
			if (strcmp(s->mxs[j].name, l->refs[i].label) == 0)
				in[j] = 1;
	}
	return in;
}

/* name_under - name equals zone or lies below it (both normalised). */
static int
name_under(const char *name, const char *zone)
{
	size_t ln = strlen(name), lz = strlen(zone);

	if (strcmp(zone, ".") == 0)
		return 1;
	if (ln == lz)
		return strcmp(name, zone) == 0;
	return ln > lz && name[ln - lz - 1] == '.' &&
	       strcmp(name + ln - lz, zone) == 0;
}

/*
 * label_has_id - the label holds id as a whole '-'-separated part
 * ("hosting-<id>", "<id>-alt", "<id>").
 */
static int
label_has_id(const char *lab, size_t lablen, const char *id)
{
	size_t idl = strlen(id), i;

	if (idl == 0 || idl > lablen)
		return 0;
	for (i = 0; i + idl <= lablen; i++)
		if (strncmp(lab + i, id, idl) == 0 &&
		    (i == 0 || lab[i - 1] == '-') &&
		    (i + idl == lablen || lab[i + idl] == '-'))
			return 1;
	return 0;
}

/* zone_is_ours - the zone name (normalised) belongs to scenario s. */
static int
zone_is_ours(const struct scn *s, const char *z)
{
	char *dom = xasprintf("%s.test", s->id);
	size_t n = strlen(z);
	const char *p, *dot;
	int ok;

	ok = name_under(z, dom);
	free(dom);
	if (ok)
		return 1;
	if (name_under(z, "root-servers.test"))
		return 0; /* the root's name server lives there */
	if (n <= 5 || strcmp(z + n - 5, ".test") != 0)
		return 0;
	for (p = z; p < z + n - 5; p = dot + 1) {
		dot = strchr(p, '.');
		if (label_has_id(p, (size_t)(dot - p), s->id))
			return 1;
	}
	return 0;
}

/* all_in_catalogue - every requirement e cites is a catalogue row (an
 * unknown one is reported on its own). */
static int
all_in_catalogue(const struct scn_catalogue *cat, const struct scn *s,
    const struct scn_expect *e)
{
	char *const *r;
	size_t n, i;

	r = scn_expect_reqs(s, e, &n);
	for (i = 0; i < n; i++)
		if (scn_catalogue_find(cat, r[i]) == NULL)
			return 0;
	return 1;
}

/*
 * check_severity - an expectation's severity against its catalogue rows:
 * a lower severity= needs because=, a because= must explain a lower one,
 * and without severity= some cited row must have a label.
 */
static void
check_severity(
    struct lint *l, const struct scn_catalogue *cat, const struct scn_expect *e)
{
	enum scn_severity sev;
	const char *req;
	int known;

	known = scn_expect_catalogue_severity(cat, l->s, e, &sev, &req) == 0;
	if (!known && !e->severity_set && all_in_catalogue(cat, l->s, e))
		lerr(l, e->line,
		    "no requirement cited has a severity (SEC, INT, OPS, C) "
		    "in the catalogue; give severity=");
	if (!known || !e->severity_set)
		return;
	if (lowers_sev(cat, l->s, e, e->severity, sev) && e->because == NULL)
		lerr(l, e->line,
		    "severity=%s lowers what the catalogue gives "
		    "(%s, %s) without because=\"...\"",
		    scn_severity_str(e->severity), scn_severity_str(sev), req);
	if (e->because != NULL && !lowers_sev(cat, l->s, e, e->severity, sev))
		lerr(l, e->line,
		    "because= explains a lower severity, but severity=%s "
		    "is not below the catalogue's (%s, %s)",
		    scn_severity_str(e->severity), scn_severity_str(sev), req);
}

/* check_reqs - requirement ids of the header and of every expectation. */
static void
check_reqs(struct lint *l, const struct scn_catalogue *cat)
{
	const struct scn *s = l->s;
	size_t i, j;

	if (cat != NULL)
		for (i = 0; i < s->nreq; i++)
			if (scn_catalogue_find(cat, s->req[i]) == NULL)
				lerr(l, s->req_line,
				    "requirement '%s' is not in the catalogue "
				    "%s",
				    s->req[i], cat->path);
	for (i = 0; i < s->nexpects; i++) {
		const struct scn_expect *e = &s->expects[i];

		if (e->nreq == 0 && s->nreq == 0)
			lerr(l, e->line,
			    "expectation has no requirement id (no req= and "
			    "no 'requirements' header)");
		if (cat == NULL)
			continue;
		for (j = 0; j < e->nreq; j++)
			if (scn_catalogue_find(cat, e->req[j]) == NULL)
				lerr(l, e->line,
				    "requirement '%s' is not in the catalogue "
				    "%s",
				    e->req[j], cat->path);
		check_severity(l, cat, e);
	}
}

/* check_certs - issuer, key-of, and the mx blocks' cert labels. */
static void
check_certs(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i, j;

	for (i = 0; i < s->ncerts; i++) {
		const struct scn_cert *c = &s->certs[i], *o;

		if (c->issuer != NULL) {
			o = find_cert(s, c->issuer);
			if (o == NULL)
				lerr(l, c->line, "issuer '%s' is not declared",
				    c->issuer);
			else if (o->line > c->line)
				lerr(l, c->line,
				    "issuer '%s' is declared after this "
				    "certificate (line %d)",
				    c->issuer, o->line);
			else if (!o->is_ca)
				lerr(l, c->line,
				    "issuer '%s' is not a CA (declare it with "
				    "'ca')",
				    c->issuer);
		}
		if (c->share_key != NULL) {
			o = find_cert(s, c->share_key);
			if (o == NULL)
				lerr(l, c->line, "key-of '%s' is not declared",
				    c->share_key);
			else if (o == c)
				lerr(l, c->line,
				    "key-of names the certificate "
				    "itself");
			else if (o->line > c->line)
				lerr(l, c->line,
				    "key-of '%s' is declared after this "
				    "certificate (line %d)",
				    c->share_key, o->line);
		}
	}
	for (i = 0; i < s->nmxs; i++) {
		const struct scn_mx *m = &s->mxs[i];

		if (m->cert != NULL && find_cert(s, m->cert) == NULL)
			lerr(l, m->line, "mx '%s': cert '%s' is not declared",
			    m->name, m->cert);
		for (j = 0; j < m->nchain; j++)
			if (find_cert(s, m->chain[j]) == NULL)
				lerr(l, m->line,
				    "mx '%s': chain cert '%s' is not declared",
				    m->name, m->chain[j]);
		for (j = 0; j < m->nsni; j++)
			if (find_cert(s, m->sni[j].cert) == NULL)
				lerr(l, m->line,
				    "mx '%s': sni cert '%s' is not declared",
				    m->name, m->sni[j].cert);
	}
}

/* recipient_literal - the recipient's domain is an address literal. */
static int
recipient_literal(const struct scn *s)
{
	const char *at;

	if (s->recipient == NULL || (at = strrchr(s->recipient, '@')) == NULL)
		return 0;
	/* "[${ADDR(mx1)}]": its expansion is the literal. */
	return at[1] == '[' && at[strlen(at) - 1] == ']';
}

/* collect_refs - every ${ADDR} / ${TLSA} of the scenario. */
static void
collect_refs(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i, j;

	/* A recipient "rcpt@[${ADDR(mx1)}]" reaches mx1 as a DNS record
	 * would (RFC 5321 §4.1.3 address literal). */
	scan(l, s->recipient, s->id_line, recipient_literal(s));
	for (i = 0; i < s->ncerts; i++) {
		scan(l, s->certs[i].cn, s->certs[i].line, 0);
		for (j = 0; j < s->certs[i].nsan; j++)
			scan(l, s->certs[i].san[j], s->certs[i].line, 0);
	}
	for (i = 0; i < s->nzones; i++) {
		const struct scn_zone *z = &s->zones[i];

		scan(l, z->name, z->line, 0);
		for (j = 0; j < z->nrr; j++)
			scan(l, z->rr_lines[j], z->rr_line_no[j], 1);
	}
	for (i = 0; i < s->nbreaks; i++)
		scan(l, s->breaks[i].owner, s->breaks[i].line, 0);
	for (i = 0; i < s->nmxs; i++)
		for (j = 0; j < s->mxs[i].nsni; j++)
			scan(l, s->mxs[i].sni[j].name, s->mxs[i].line, 0);
	for (i = 0; i < s->nexpects; i++)
		scan(l, s->expects[i].name, s->expects[i].line, 0);
}

/* check_refs - every ${ADDR(x)} names an mx, every ${TLSA(x)} a cert. */
static void
check_refs(struct lint *l)
{
	size_t i;

	for (i = 0; i < l->nrefs; i++) {
		const struct ref *r = &l->refs[i];

		if (r->kind != 'T' && find_mx(l->s, r->label) == NULL)
			lerr(l, r->line, "${%s(%s)} names no declared mx",
			    r->kind == '6' ? "ADDR6" : "ADDR", r->label);
		else if (r->kind == 'T' && find_cert(l->s, r->label) == NULL)
			lerr(l, r->line,
			    "${TLSA(%s,...)} names no declared cert", r->label);
	}
}

/* check_zones - each zone within the scenario's names. */
static void
check_zones(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i;

	for (i = 0; i < s->nzones; i++) {
		char *z = scn_expand_norm_name(s, s->zones[i].name);

		if (z != NULL && !zone_is_ours(s, z))
			lerr(l, s->zones[i].line,
			    "zone '%s' is outside this scenario's names (want "
			    "${DOMAIN}, a name below it, or a name under test. "
			    "with ${ID} in a label)",
			    s->zones[i].name);
		free(z);
	}
}

/*
 * zone_names - the scenario's zones, normalised: ${DOMAIN} first (the
 * world builder always makes it), then every declared zone.
 */
static void
zone_names(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i;

	l->zn = xcalloc(s->nzones + 1, sizeof(*l->zn));
	l->zn[l->nzn++] = xasprintf("%s.test", s->id);
	for (i = 0; i < s->nzones; i++) {
		char *z = scn_expand_norm_name(s, s->zones[i].name);

		if (z == NULL || strcmp(z, l->zn[0]) == 0)
			free(z);
		else
			l->zn[l->nzn++] = z;
	}
}

/* in_zones - name (normalised) lies in a zone of the scenario. */
static int
in_zones(const struct lint *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nzn; i++)
		if (name_under(name, l->zn[i]))
			return 1;
	return 0;
}

/*
 * parent_outside - name is the apex of a scenario zone that has no
 * scenario zone above it: its DS is served by test., which belongs to no
 * scenario.
 */
static int
parent_outside(const struct lint *l, const char *name)
{
	size_t i;
	int apex = 0;

	for (i = 0; i < l->nzn; i++) {
		if (strcmp(name, l->zn[i]) == 0)
			apex = 1;
		else if (name_under(name, l->zn[i]))
			return 0;
	}
	return apex;
}

/* expand_rr - a zone line with placeholder values; new string or NULL. */
static char *
expand_rr(const struct scn *s, const char *line)
{
	struct scn_vars v;
	char err[256], *dom, *r;

	memset(&v, 0, sizeof(v));
	dom = xasprintf("%s.test", s->id);
	v.id = s->id;
	v.domain = dom;
	v.now = 1700000000;
	v.addr = scn_expand_placeholder_addr;
	v.addr6 = scn_expand_placeholder_addr6;
	v.tlsa = scn_expand_placeholder_tlsa;
	r = scn_expand(line, &v, err, sizeof(err));
	free(dom);
	return r;
}

/*
 * check_rr_lines - every zone line, with placeholder values for its
 * variables, must be a record ldns accepts, of class IN, owned inside
 * its zone, and not one the world builder makes itself (apex SOA, NS,
 * DNSKEY). The world builder checks the same with the real values; lint
 * finds the mistake without building anything.
 */
static void
check_rr_lines(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i, j;

	for (i = 0; i < s->nzones; i++) {
		const struct scn_zone *z = &s->zones[i];
		char *zn = scn_expand_norm_name(s, z->name), *apex_txt;
		ldns_rdf *apex, *prev = NULL;

		if (zn == NULL)
			continue;
		apex_txt = xasprintf("%s.", zn);
		apex = ldns_dname_new_frm_str(apex_txt);
		free(apex_txt);
		free(zn);
		if (apex == NULL)
			continue;
		for (j = 0; j < z->nrr; j++) {
			char *text = expand_rr(s, z->rr_lines[j]);
			ldns_rr *rr = NULL;
			ldns_status st;
			ldns_rr_type t;

			if (text == NULL)
				continue;
			st = ldns_rr_new_frm_str(&rr, text, 300, apex, &prev);
			free(text);
			if (st != LDNS_STATUS_OK) {
				lerr(l, z->rr_line_no[j],
				    "zone line rejected by ldns: %s",
				    ldns_get_errorstr_by_id(st));
				continue;
			}
			t = ldns_rr_get_type(rr);
			if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
				lerr(l, z->rr_line_no[j],
				    "only class IN is served");
			else if (ldns_dname_compare(ldns_rr_owner(rr), apex) !=
			             0 &&
			         !ldns_dname_is_subdomain(
			             ldns_rr_owner(rr), apex))
				lerr(l, z->rr_line_no[j],
				    "owner is outside zone '%s'", z->name);
			else if ((t == LDNS_RR_TYPE_SOA ||
			             t == LDNS_RR_TYPE_DNSKEY ||
			             t == LDNS_RR_TYPE_NS) &&
			         ldns_dname_compare(ldns_rr_owner(rr), apex) ==
			             0)
				lerr(l, z->rr_line_no[j],
				    "the world builder makes the apex SOA, NS "
				    "and DNSKEY records; do not write them");
			ldns_rr_free(rr);
		}
		ldns_rdf_deep_free(prev);
		ldns_rdf_deep_free(apex);
	}
}

/* check_breaks - each dnsbreak owner inside a zone of the scenario. */
static void
check_breaks(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i;

	for (i = 0; i < s->nbreaks; i++) {
		char *o = scn_expand_norm_name(s, s->breaks[i].owner);

		if (o != NULL && !in_zones(l, o))
			lerr(l, s->breaks[i].line,
			    "dnsbreak owner '%s' is in no zone of this "
			    "scenario",
			    s->breaks[i].owner);
		free(o);
	}
}

/*
 * check_query_name - one query name of a DNS expectation (types: its
 * type or list of types) must be something the scenario's own name
 * servers answer: the query log attributes a query to a scenario by
 * the zone that answered it.
 */
static void
check_query_name(struct lint *l, const struct scn_expect *e, const char *name,
    const char *types)
{
	const char *never = expk_spec(e->kind)->never ? "fail" : "pass";
	char *q;

	if (name == NULL || (q = scn_expand_norm_name(l->s, name)) == NULL)
		return;
	if (!in_zones(l, q))
		lerr(l, e->line,
		    "query name '%s' is in no zone of this scenario: "
		    "the expectation can never %s",
		    name, never);
	else if (types != NULL && strcmp(types, "DS") == 0 &&
	         parent_outside(l, q))
		lerr(l, e->line,
		    "the DS of '%s' is served by test., outside this "
		    "scenario: the expectation can never %s",
		    name, never);
	free(q);
}

/* check_queries - every query name of the DNS expectations (both of a
   query-order line) in a zone of the scenario. */
static void
check_queries(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i;

	for (i = 0; i < s->nexpects; i++) {
		const struct scn_expect *e = &s->expects[i];

		if (expk_spec(e->kind)->fact != EXPK_FACT_DNS)
			continue;
		check_query_name(l, e, e->name, e->qtype);
		check_query_name(l, e, e->name2, e->qtype2);
	}
}

/* check_expects - outcome line, and every named mx reachable. */
static void
check_expects(struct lint *l)
{
	const struct scn *s = l->s;
	const unsigned all = 1u << SCN_OUT_DELIVERED_TLS |
	                     1u << SCN_OUT_DELIVERED_PLAIN |
	                     1u << SCN_OUT_DEFERRED | 1u << SCN_OUT_BOUNCED |
	                     1u << SCN_OUT_NOT_ATTEMPTED;
	char *in_zone = addr_in_zone(l);
	size_t i, j;
	int have_outcome = 0;

	for (i = 0; i < s->nexpects; i++) {
		const struct scn_expect *e = &s->expects[i];
		const struct scn_mx *m;

		if (e->kind == SCN_EXP_OUTCOME) {
			have_outcome = 1;
			if ((e->outcomes & all) == all)
				lerr(l, e->line,
				    "'expect outcome' lists every outcome: it "
				    "can never fail");
		}
		if (e->host == NULL)
			continue;
		if ((m = find_mx(s, e->host)) == NULL)
			lerr(l, e->line,
			    "expectation names mx '%s', which is "
			    "not declared",
			    e->host);
		else if (m->https)
			lerr(l, e->line,
			    "expectation names '%s', the mta-sts policy host: "
			    "it serves HTTPS, no SMTP, so the expectation can "
			    "never fail",
			    e->host);
		else if (!in_zone[m - s->mxs])
			lerr(l, e->line,
			    "no DNS record points at mx '%s' (${ADDR(%s)} "
			    "or ${ADDR6(%s)} appears in no zone): the "
			    "expectation can never "
			    "fail",
			    e->host, e->host, e->host);
	}
	if (!have_outcome)
		lerr(l, s->id_line, "no 'expect outcome' line");
	for (i = 0; i < s->nmxs; i++) {
		const struct scn_mx *m = &s->mxs[i];
		int used = in_zone[i];

		for (j = 0; j < s->nexpects && !used; j++)
			used = s->expects[j].host != NULL &&
			       strcmp(s->expects[j].host, m->name) == 0;
		if (!used)
			lerr(l, m->line,
			    "mx '%s' is mentioned by no expectation and no "
			    "DNS record",
			    m->name);
	}
	free(in_zone);
}

/* offers_after_tls - whether mx m's EHLO reply inside TLS offers the
 * keyword kw (fakemx's default list offers PIPELINING, not CHUNKING). */
static int
offers_after_tls(const struct scn_mx *m, const char *kw)
{
	size_t i, n = strlen(kw);

	if (!m->ehlo_kw_set[MXS_PHASE_AFTER_TLS])
		return strcmp(kw, "PIPELINING") == 0;
	for (i = 0; i < m->nehlo_kw[MXS_PHASE_AFTER_TLS]; i++) {
		const char *k = m->ehlo_kw[MXS_PHASE_AFTER_TLS][i];

		if (strncasecmp(k, kw, n) == 0 && (k[n] == '\0' || k[n] == ' '))
			return 1;
	}
	return 0;
}

/*
 * check_after_tls - never pipelined-after-tls and never bdat-after-tls
 * judge the use of an extension the EHLO reply inside TLS does not
 * offer; on a host whose reply there offers it, a compliant sender may
 * use it and would fail.
 */
static void
check_after_tls(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i, j;

	for (i = 0; i < s->nexpects; i++) {
		const struct scn_expect *e = &s->expects[i];
		const char *kw =
		    e->kind == SCN_EXP_NEVER_PIPE_TLS   ? "PIPELINING"
		    : e->kind == SCN_EXP_NEVER_BDAT_TLS ? "CHUNKING"
		                                        : NULL;

		if (kw == NULL)
			continue;
		for (j = 0; j < s->nmxs; j++) {
			const struct scn_mx *m = &s->mxs[j];

			if ((e->host == NULL ||
			        strcmp(e->host, m->name) == 0) &&
			    offers_after_tls(m, kw))
				lerr(l, e->line,
				    "mx '%s' offers %s inside TLS (set "
				    "'ehlo-keywords after-tls' without it): a "
				    "compliant sender may use it there",
				    m->name, kw);
		}
	}
}

/*
 * check_when - a qualifier that no attempt of the scenario reaches, or
 * an attempts= qualifier without an "attempts N" header (the scenario's
 * phases would then depend on --attempts).
 */
static void
check_when(struct lint *l, const struct scn_when *w, int line, const char *what,
    int *said)
{
	const struct scn *s = l->s;
	char q[48];

	if (w->unit != SCN_WHEN_ATTEMPTS)
		return;
	if (s->attempts == 0) {
		if (!*said)
			lerr(l, line,
			    "%s holds only in some attempts, but the "
			    "scenario has no 'attempts N' header (its "
			    "phases would depend on --attempts)",
			    what);
		*said = 1;
		return;
	}
	if (w->lo > s->attempts)
		lerr(l, line,
		    "%s with %s can never hold: the scenario has %d "
		    "attempts (line %d)",
		    what, scn_when_format(w, q, sizeof(q)), s->attempts,
		    s->attempts_line);
}

/* check_phases - every qualifier of the mx blocks, dnsbreak, zone and
   expect lines. */
static void
check_phases(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i, j;
	int said = 0;

	for (i = 0; i < s->nbreaks; i++)
		check_when(l, &s->breaks[i].when, s->breaks[i].line, "dnsbreak",
		    &said);
	for (i = 0; i < s->nzones; i++)
		for (j = 0; j < s->zones[i].nrr; j++)
			check_when(l, &s->zones[i].rr_when[j],
			    s->zones[i].rr_line_no[j], "zone line", &said);
	for (i = 0; i < s->nexpects; i++)
		check_when(l, &s->expects[i].when, s->expects[i].line,
		    "expectation", &said);
	for (i = 0; i < s->nmxs; i++)
		for (j = 0; j < s->mxs[i].nphases; j++) {
			const struct scn_mx_phase *ph = &s->mxs[i].phases[j];
			size_t k;

			check_when(l, &ph->when, ph->line, "mx line", &said);
			if (ph->over->cert != NULL &&
			    find_cert(s, ph->over->cert) == NULL)
				lerr(l, ph->line,
				    "mx '%s': cert '%s' is not declared",
				    s->mxs[i].name, ph->over->cert);
			for (k = 0; k < ph->over->nchain; k++)
				if (find_cert(s, ph->over->chain[k]) == NULL)
					lerr(l, ph->line,
					    "mx '%s': chain cert '%s' is not "
					    "declared",
					    s->mxs[i].name, ph->over->chain[k]);
		}
}

/*
 * check_messages - "messages N" needs an "attempts N" header at least as
 * large (message k is sent when attempt k opens, so a message beyond
 * the attempts would never be sent), and an outcome line's message=K
 * names a message the scenario sends.
 */
static void
check_messages(struct lint *l)
{
	const struct scn *s = l->s;
	size_t i;

	if (s->messages > 1 && s->attempts == 0)
		lerr(l, s->messages_line,
		    "'messages %d' needs an 'attempts N' header (message k "
		    "is sent when attempt k opens)",
		    s->messages);
	else if (s->messages > s->attempts && s->attempts > 0)
		lerr(l, s->messages_line,
		    "'messages %d' is more than the scenario's %d attempts "
		    "(line %d): message k is sent when attempt k opens",
		    s->messages, s->attempts, s->attempts_line);
	for (i = 0; i < s->nexpects; i++)
		if (s->expects[i].message > scn_messages(s))
			lerr(l, s->expects[i].line,
			    "message=%d can never hold: the scenario sends "
			    "%d message%s",
			    s->expects[i].message, scn_messages(s),
			    scn_messages(s) == 1 ? "" : "s");
}

/*
 * check_policy - a route or fallback relay names a host some zone of the
 * scenario serves (else the SUT would look up a name of nobody's, and
 * the scenario would judge nothing of the policy).
 */
static void
check_policy(struct lint *l)
{
	const struct scn *s = l->s;
	const struct {
		const char *text, *what;
		int line;
	} hops[] = {
	    {s->route, "route", s->route_line},
	    {s->fallback_relay, "fallback-relay", s->fallback_line},
	};
	size_t i;

	if (recipient_literal(s) &&
	    (s->policy != DP_LEVEL_DEFAULT || s->route != NULL ||
	        s->fallback_relay != NULL))
		lerr(l, s->id_line,
		    "a policy, route or fallback-relay is keyed by the "
		    "recipient's domain, and an address literal has none");
	for (i = 0; i < sizeof(hops) / sizeof(hops[0]); i++) {
		char *n, *colon;

		if (hops[i].text == NULL ||
		    (n = scn_expand_norm_name(s, hops[i].text)) == NULL)
			continue;
		if ((colon = strchr(n, ':')) != NULL) {
			*colon = '\0';
			if (colon > n + 1 && colon[-1] == '.')
				colon[-1] = '\0';
		}
		if (!in_zones(l, n))
			lerr(l, hops[i].line,
			    "%s host '%s' is in no zone of this scenario",
			    hops[i].what, n);
		free(n);
	}
}

int
scn_lint_with_catalogue(const struct scn *s, const struct scn_catalogue *cat,
    struct scn_errors *errs)
{
	struct lint l;
	size_t i;

	if (s == NULL)
		return 0;
	memset(&l, 0, sizeof(l));
	l.s = s;
	l.errs = errs;
	check_reqs(&l, cat);
	check_certs(&l);
	collect_refs(&l);
	check_refs(&l);
	check_zones(&l);
	zone_names(&l);
	check_rr_lines(&l);
	check_breaks(&l);
	check_queries(&l);
	check_expects(&l);
	check_after_tls(&l);
	check_phases(&l);
	check_messages(&l);
	check_policy(&l);
	if (l.problems > 0)
		qsort(l.pv, (size_t)l.problems, sizeof(*l.pv), cmp_problem);
	for (i = 0; i < (size_t)l.problems; i++) {
		scn_errors_add(
		    errs, "%s:%d: %s", s->file, l.pv[i].line, l.pv[i].msg);
		free(l.pv[i].msg);
	}
	free(l.pv);
	for (i = 0; i < l.nzn; i++)
		free(l.zn[i]);
	free(l.zn);
	for (i = 0; i < l.nrefs; i++)
		free(l.refs[i].label);
	free(l.refs);
	return l.problems;
}

int
scn_lint(const struct scn *s, struct scn_errors *errs)
{
	return scn_lint_with_catalogue(s, NULL, errs);
}
