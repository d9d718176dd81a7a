/*
 * expect.c - expected-results files (see expect.h, docs/comparing.md).
 *
 *   # comment
 *   striptls                     pass
 *   starttls-response-injection  xfail Exim 4.96 defers (synch error)
 *   tlsa-rollover:31             xfail the second TLSA is not tried
 *   tlsa-*                       pass
 *
 * One entry per line: a scenario id or fnmatch(3) glob, or ID:LINE for
 * the one expectation on line LINE of scenario ID, then "pass" or
 * "xfail" with a reason. An ID:LINE entry decides its expectation; for
 * the others the first matching scenario line wins; an expectation no
 * line matches is expected to pass.
 */
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/report/expect.h"
#include "xmalloc.h"

#define EXPECT_SCN_LINE_MAX 1000000

#define EXPECT_LINE_MAX 1024
#define EXPECT_ENTRIES_MAX 100000
#define EXPECT_FILE_MAX (4 << 20)

struct expect_entry {
	char *pattern; /* scenario id or glob */
	int exp_line;  /* ID:LINE: the expect line; 0 for a scenario line */
	enum expect_want want;
	char *reason; /* xfail only */
	int line;
};

struct expect_set {
	struct expect_entry *e;
	size_t n;
};

static const char *const result_names[EXPECT_R__COUNT] = {
    "as-expected",
    "regression",
    "expected-failure",
    "unexpected-pass",
    "undecided",
};

const char *
expect_result_str(enum expect_result r)
{
	if ((unsigned)r >= EXPECT_R__COUNT)
		return "?";
	return result_names[r];
}

/* is_pattern_char - characters of ids (lib/scn: [a-z0-9-]) and globs. */
static int
is_pattern_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-_.*?[]!", c) != NULL;
}

void
expect_free(struct expect_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		free(set->e[i].pattern);
		free(set->e[i].reason);
	}
	free(set->e);
	free(set);
}

struct expect_set *
expect_parse(
    const char *path, const char *text, size_t len, char *err, size_t errsz)
{
	struct expect_set *set = xcalloc(1, sizeof(*set));
	const char *p = text, *end = text + len, *nl, *q, *w;
	char line[EXPECT_LINE_MAX + 1];
	size_t ll, i, cap = 0;
	int lineno = 0;
	struct expect_entry ent;
	const char *colon, *glob, *pat;
	char *end_num;
	size_t plen;
	long num;

	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll > EXPECT_LINE_MAX) {
			snprintf(err, errsz, "%s:%d: line longer than %d bytes",
			    path, lineno, EXPECT_LINE_MAX);
			goto fail;
		}
		memcpy(line, p, ll);
		line[ll] = '\0';
		p = nl ? nl + 1 : end;
		if (memchr(line, '\0', ll) != NULL) {
			snprintf(err, errsz, "%s:%d: NUL byte", path, lineno);
			goto fail;
		}
		if (ll > 0 && line[ll - 1] == '\r')
			line[--ll] = '\0';
		q = line + strspn(line, " \t");
		if (*q == '\0' || *q == '#')
			continue;
		/* the pattern: GLOB, or ID:LINE */
		w = q;
		colon = NULL;
		while (*q != '\0' && *q != ' ' && *q != '\t') {
			if (*q == ':' && colon == NULL) {
				colon = q++;
				continue;
			}
			if (!is_pattern_char((unsigned char)*q) ||
			    (colon != NULL && (*q < '0' || *q > '9'))) {
				snprintf(err, errsz,
				    "%s:%d: want a scenario id or glob "
				    "(letters, digits and -_.*?[]!) or "
				    "ID:LINE",
				    path, lineno);
				goto fail;
			}
			q++;
		}
		memset(&ent, 0, sizeof(ent));
		pat = w;
		plen = (size_t)(q - w);
		glob = strpbrk(w, "*?[]!");
		if (colon != NULL) {
			num = strtol(colon + 1, &end_num, 10);
			if (colon == w || end_num != q || colon + 1 == q ||
			    num < 1 || num > EXPECT_SCN_LINE_MAX ||
			    (glob != NULL && glob < colon)) {
				snprintf(err, errsz,
				    "%s:%d: ID:LINE wants a scenario id (no "
				    "glob) and the line number of an expect "
				    "line",
				    path, lineno);
				goto fail;
			}
			ent.exp_line = (int)num;
			ent.pattern = xstrndup(w, (size_t)(colon - w));
		} else
			ent.pattern = xstrndup(w, (size_t)(q - w));
		ent.line = lineno;
		q += strspn(q, " \t");
		w = q;
		q += strcspn(q, " \t");
		if ((size_t)(q - w) == 4 && strncmp(w, "pass", 4) == 0) {
			ent.want = EXPECT_PASS;
			if (q[strspn(q, " \t")] != '\0') {
				snprintf(err, errsz,
				    "%s:%d: 'pass' takes no reason", path,
				    lineno);
				free(ent.pattern);
				goto fail;
			}
		} else if ((size_t)(q - w) == 5 &&
		           strncmp(w, "xfail", 5) == 0) {
			ent.want = EXPECT_XFAIL;
			q += strspn(q, " \t");
			if (*q == '\0') {
				snprintf(err, errsz,
				    "%s:%d: 'xfail' wants a reason (why the "
				    "failure is expected)",
				    path, lineno);
				free(ent.pattern);
				goto fail;
			}
			ent.reason = xstrdup(q);
		} else {
			snprintf(err, errsz,
			    "%s:%d: want 'ID pass' or 'ID xfail REASON'", path,
			    lineno);
			free(ent.pattern);
			goto fail;
		}
		for (i = 0; i < set->n; i++)
			if (strcmp(set->e[i].pattern, ent.pattern) == 0 &&
			    set->e[i].exp_line == ent.exp_line) {
				snprintf(err, errsz,
				    "%s:%d: '%.*s' already given on line %d",
				    path, lineno, (int)plen, pat,
				    set->e[i].line);
				free(ent.pattern);
				free(ent.reason);
				goto fail;
			}
		if (set->n >= EXPECT_ENTRIES_MAX) {
			snprintf(err, errsz, "%s:%d: more than %d entries",
			    path, lineno, EXPECT_ENTRIES_MAX);
			free(ent.pattern);
			free(ent.reason);
			goto fail;
		}
		if (set->n == cap) {
			cap = cap ? cap * 2 : 16;
			set->e = xreallocarray(set->e, cap, sizeof(*set->e));
		}
		set->e[set->n++] = ent;
	}
	return set;
fail:
	expect_free(set);
	return NULL;
}

struct expect_set *
expect_load(const char *path, char *err, size_t errsz)
{
	struct expect_set *set = NULL;
	char *text = NULL;
	size_t len = 0, got;
	struct stat st;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* It is read twice (checked before a run, applied after): a pipe
	   would be empty the second time. */
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		fclose(f);
		return NULL;
	}
	text = xmalloc(EXPECT_FILE_MAX + 1);
	while ((got = fread(text + len, 1, EXPECT_FILE_MAX + 1 - len, f)) > 0)
		len += got;
	if (ferror(f))
		snprintf(err, errsz, "%s: read error", path);
	else if (len > EXPECT_FILE_MAX)
		snprintf(err, errsz, "%s: larger than %d bytes", path,
		    EXPECT_FILE_MAX);
	else
		set = expect_parse(path, text, len, err, errsz);
	fclose(f);
	free(text);
	return set;
}

enum expect_want
expect_lookup(const struct expect_set *set, const char *id, const char **reason)
{
	return expect_lookup_exp(set, id, 0, reason, NULL, NULL);
}

enum expect_want
expect_lookup_exp(const struct expect_set *set, const char *id, int line,
    const char **reason, int *entry, int *by_line)
{
	const struct expect_entry *hit = NULL;
	size_t i;

	for (i = 0; set != NULL && id != NULL && line > 0 && i < set->n; i++)
		if (set->e[i].exp_line == line &&
		    strcmp(set->e[i].pattern, id) == 0) {
			hit = &set->e[i];
			break;
		}
	for (i = 0; hit == NULL && set != NULL && id != NULL && i < set->n; i++)
		if (set->e[i].exp_line == 0 &&
		    fnmatch(set->e[i].pattern, id, 0) == 0)
			hit = &set->e[i];
	if (reason != NULL)
		*reason = hit != NULL ? hit->reason : NULL;
	if (entry != NULL)
		*entry = hit != NULL ? hit->line : 0;
	if (by_line != NULL)
		*by_line = hit != NULL && hit->exp_line > 0;
	return hit != NULL ? hit->want : EXPECT_PASS;
}

enum expect_result
expect_judge(
    enum expect_want want, int by_line, enum score_verdict v, int scn_failed)
{
	if (v == SCORE_INCONCLUSIVE || v == SCORE_ERROR)
		return EXPECT_R_UNDECIDED;
	if (want == EXPECT_PASS)
		return v == SCORE_FAIL ? EXPECT_R_REGRESSION : EXPECT_R_PASS;
	if (v == SCORE_FAIL)
		return EXPECT_R_XFAIL;
	return by_line || !scn_failed ? EXPECT_R_XPASS : EXPECT_R_PASS;
}

/* has_glob - 1 if the pattern is a glob rather than an id. */
static int
has_glob(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

/* report_has - whether the report's scenarios name entry e: its id, and
   for ID:LINE an expectation on that line. */
static int
report_has(json_t *scns, const struct expect_entry *e)
{
	json_t *s, *x;
	size_t i, j;
	const char *id;

	json_array_foreach(scns, i, s)
	{
		id = json_string_value(json_object_get(s, "id"));
		if (id == NULL || strcmp(id, e->pattern) != 0)
			continue;
		if (e->exp_line == 0)
			return 1;
		json_array_foreach(json_object_get(s, "expectations"), j, x)
		{
			if (json_integer_value(json_object_get(x, "line")) ==
			    e->exp_line)
				return 1;
		}
	}
	return 0;
}

int
expect_print_report(const struct expect_set *set, const char *path, FILE *out)
{
	json_error_t jerr;
	json_t *rep, *scns, *s, *x, *xp;
	size_t i, j, k, n[EXPECT_R__COUNT];
	const char *id, *res, *v, *reason;
	long long line;

	rep = json_load_file(path, 0, &jerr);
	scns = json_object_get(rep, "scenarios");
	if (!json_is_array(scns)) {
		fprintf(stderr, "danesim: %s: %s\n", path,
		    rep == NULL ? jerr.text : "not a danesim report");
		json_decref(rep);
		return -1;
	}
	memset(n, 0, sizeof(n));
	json_array_foreach(scns, i, s)
	{
		id = json_string_value(json_object_get(s, "id"));
		json_array_foreach(json_object_get(s, "expectations"), j, x)
		{
			xp = json_object_get(x, "expected");
			res = json_string_value(json_object_get(xp, "result"));
			v = json_string_value(json_object_get(x, "verdict"));
			line = json_integer_value(json_object_get(x, "line"));
			reason =
			    json_string_value(json_object_get(xp, "reason"));
			for (k = 0; res != NULL && k < EXPECT_R__COUNT; k++)
				if (strcmp(res, result_names[k]) == 0)
					break;
			if (id == NULL || res == NULL || k == EXPECT_R__COUNT)
				continue;
			n[k]++;
			if (out == NULL || k == EXPECT_R_PASS)
				continue;
			if (k == EXPECT_R_REGRESSION)
				fprintf(out,
				    "expect: REGRESSION %s:%lld: expected "
				    "pass, got fail\n",
				    id, line);
			else if (k == EXPECT_R_XPASS)
				fprintf(out,
				    "expect: UNEXPECTED PASS %s:%lld: "
				    "expected to fail (%s); update the "
				    "expect file\n",
				    id, line, reason ? reason : "");
			else if (k == EXPECT_R_XFAIL)
				fprintf(out,
				    "expect: expected failure %s:%lld (%s)\n",
				    id, line, reason ? reason : "");
			else
				fprintf(out, "expect: %s %s:%lld\n",
				    v ? v : "undecided", id, line);
		}
	}
	for (j = 0; out != NULL && set != NULL && j < set->n; j++) {
		if (has_glob(set->e[j].pattern) || report_has(scns, &set->e[j]))
			continue;
		if (set->e[j].exp_line > 0)
			fprintf(out,
			    "expect: note: line %d names %s:%d, which is no "
			    "expectation of this report\n",
			    set->e[j].line, set->e[j].pattern,
			    set->e[j].exp_line);
		else
			fprintf(out,
			    "expect: note: line %d names %s, which this "
			    "report does not have\n",
			    set->e[j].line, set->e[j].pattern);
	}
	if (out != NULL)
		fprintf(out,
		    "expect: %zu regression%s, %zu unexpected pass%s, %zu "
		    "expected failure%s, %zu undecided (expectations)\n",
		    n[EXPECT_R_REGRESSION],
		    n[EXPECT_R_REGRESSION] == 1 ? "" : "s", n[EXPECT_R_XPASS],
		    n[EXPECT_R_XPASS] == 1 ? "" : "es", n[EXPECT_R_XFAIL],
		    n[EXPECT_R_XFAIL] == 1 ? "" : "s", n[EXPECT_R_UNDECIDED]);
	json_decref(rep);
	return 0;
}

int
expect_check_file(const char *path)
{
	struct expect_set *set;
	char err[512];

	set = expect_load(path, err, sizeof(err));
	if (set == NULL) {
		fprintf(stderr, "danesim: %s\n", err);
		return -1;
	}
	expect_free(set);
	return 0;
}
