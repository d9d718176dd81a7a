/*
 * expect.c - expected-results files (see expect.h, docs/comparing.md).
 *
 *   # comment
 *   striptls                     pass
 *   starttls-response-injection  xfail Exim 4.96 defers (synch error)
 *   tlsa-*                       pass
 *
 * One entry per line: a scenario id or fnmatch(3) glob, then "pass" or
 * "xfail" with a reason. The first matching line wins; a scenario no
 * line matches is expected to pass.
 */
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expect.h"
#include "xmalloc.h"

#define EXPECT_LINE_MAX 1024
#define EXPECT_ENTRIES_MAX 100000
#define EXPECT_FILE_MAX (4 << 20)

struct expect_entry {
	char *pattern;
	enum expect_want want;
	char *reason; /* xfail only */
	int line;
};

struct expect_set {
	struct expect_entry *e;
	size_t n;
};

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
		/* the pattern */
		w = q;
		while (*q != '\0' && *q != ' ' && *q != '\t') {
			if (!is_pattern_char((unsigned char)*q)) {
				snprintf(err, errsz,
				    "%s:%d: a scenario id or glob may hold "
				    "letters, digits and -_.*?[]! only",
				    path, lineno);
				goto fail;
			}
			q++;
		}
		memset(&ent, 0, sizeof(ent));
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
			if (strcmp(set->e[i].pattern, ent.pattern) == 0) {
				snprintf(err, errsz,
				    "%s:%d: '%s' already given on line %d",
				    path, lineno, ent.pattern, set->e[i].line);
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
	size_t i;

	if (reason != NULL)
		*reason = NULL;
	for (i = 0; set != NULL && id != NULL && i < set->n; i++)
		if (fnmatch(set->e[i].pattern, id, 0) == 0) {
			if (reason != NULL)
				*reason = set->e[i].reason;
			return set->e[i].want;
		}
	return EXPECT_PASS;
}

/* has_glob - 1 if the pattern is a glob rather than an id. */
static int
has_glob(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

int
expect_judge_report(const struct expect_set *set, const char *path, FILE *out)
{
	json_error_t jerr;
	json_t *rep, *scns, *s;
	size_t i, j, xfails = 0;
	int regress = 0, unexpected = 0, unsure = 0, found;
	const char *id, *v, *reason;
	enum expect_want want;

	rep = json_load_file(path, 0, &jerr);
	scns = json_object_get(rep, "scenarios");
	if (!json_is_array(scns)) {
		fprintf(stderr, "danesim: %s: %s\n", path,
		    rep == NULL ? jerr.text : "not a danesim report");
		json_decref(rep);
		return 2;
	}
	json_array_foreach(scns, i, s)
	{
		id = json_string_value(json_object_get(s, "id"));
		v = json_string_value(json_object_get(s, "verdict"));
		if (id == NULL || v == NULL) {
			fprintf(stderr,
			    "danesim: %s: scenario %zu has no id or verdict\n",
			    path, i);
			json_decref(rep);
			return 2;
		}
		want = expect_lookup(set, id, &reason);
		if (want == EXPECT_PASS && strcmp(v, "fail") == 0) {
			regress++;
			if (out)
				fprintf(out,
				    "expect: REGRESSION %s: expected "
				    "pass, got fail\n",
				    id);
		} else if (want == EXPECT_XFAIL && strcmp(v, "pass") == 0) {
			unexpected++;
			if (out)
				fprintf(out,
				    "expect: UNEXPECTED PASS %s: "
				    "expected to fail (%s); update "
				    "the expect file\n",
				    id, reason);
		} else if (want == EXPECT_XFAIL && strcmp(v, "fail") == 0) {
			xfails++;
			if (out)
				fprintf(out,
				    "expect: expected failure %s (%s)\n", id,
				    reason);
		} else if (strcmp(v, "pass") != 0) {
			unsure++;
			if (out)
				fprintf(out, "expect: %s %s (expected %s)\n", v,
				    id, want == EXPECT_PASS ? "pass" : "xfail");
		}
	}
	for (j = 0; set != NULL && j < set->n; j++) {
		if (has_glob(set->e[j].pattern))
			continue;
		found = 0;
		json_array_foreach(scns, i, s)
		{
			id = json_string_value(json_object_get(s, "id"));
			if (id != NULL && strcmp(id, set->e[j].pattern) == 0)
				found = 1;
		}
		if (!found && out)
			fprintf(out,
			    "expect: note: line %d names %s, which this "
			    "report does not have\n",
			    set->e[j].line, set->e[j].pattern);
	}
	if (out)
		fprintf(out,
		    "expect: %d regression%s, %d unexpected pass%s, %zu "
		    "expected failure%s\n",
		    regress, regress == 1 ? "" : "s", unexpected,
		    unexpected == 1 ? "" : "es", xfails,
		    xfails == 1 ? "" : "s");
	json_decref(rep);
	if (regress + unexpected > 0)
		return 1;
	return unsure > 0 ? 3 : 0;
}

int
expect_apply(const char *expect_path, const char *run_dir, FILE *out)
{
	struct expect_set *set;
	char err[512], *path;
	int rc;

	set = expect_load(expect_path, err, sizeof(err));
	if (set == NULL) {
		fprintf(stderr, "danesim: %s\n", err);
		return 2;
	}
	path = xasprintf("%s/report.json", run_dir);
	rc = expect_judge_report(set, path, out);
	free(path);
	expect_free(set);
	return rc;
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
