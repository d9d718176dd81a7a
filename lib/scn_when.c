/*
 * scn_when.c - phases of a scenario: the "attempts=" / "connections="
 * qualifier of mx behaviour lines and dnsbreak lines, its JSON form in
 * fakemx.json and fakedns.json, and the attempt state file through which
 * the harness tells the fake servers which delivery attempt each
 * scenario is in (docs/scenario-format.md, Phases; docs/internals.md).
 */
#include "scn_when.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "log.h"
#include "xmalloc.h"

static const char *const unit_names[SCN_WHEN__COUNT] = {
    "always", "attempts", "connections"};

const char *
scn_when_unit_str(enum scn_when_unit u)
{
	if ((int)u < 0 || u >= SCN_WHEN__COUNT)
		return "invalid";
	return unit_names[u];
}

/* unit_from_str - the unit called s (not "always"); -1 if none. */
static int
unit_from_str(const char *s, size_t len)
{
	int i;

	for (i = SCN_WHEN_ATTEMPTS; i < SCN_WHEN__COUNT; i++)
		if (strlen(unit_names[i]) == len &&
		    strncmp(unit_names[i], s, len) == 0)
			return i;
	return -1;
}

/* num - a number 1..SCN_WHEN_MAX at *s, advancing; -1 if none. */
static int
num(const char **s)
{
	int v = 0, digits = 0;

	while (**s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		if (++digits > 3)
			return -1;
	}
	if (digits == 0 || v < 1 || v > SCN_WHEN_MAX)
		return -1;
	return v;
}

int
scn_when_parse(const char *word, struct scn_when *w, char *err, size_t errsz)
{
	const char *eq = strchr(word, '='), *p;
	int u, lo, hi;

	if (eq == NULL || (u = unit_from_str(word, (size_t)(eq - word))) < 0)
		return 0;
	p = eq + 1;
	lo = num(&p);
	hi = lo;
	if (lo > 0 && *p == '-') {
		p++;
		hi = *p == '\0' ? 0 : num(&p);
	}
	if (lo < 0 || hi < 0 || *p != '\0' || (hi != 0 && hi < lo)) {
		snprintf(err, errsz,
		    "bad %s '%s' (want N, N-M or N- with 1 <= N <= M <= %d)",
		    unit_names[u], eq + 1, SCN_WHEN_MAX);
		return -1;
	}
	w->unit = (enum scn_when_unit)u;
	w->lo = lo;
	w->hi = hi;
	return 1;
}

const char *
scn_when_format(const struct scn_when *w, char *buf, size_t n)
{
	if (w->unit == SCN_WHEN_ALWAYS)
		snprintf(buf, n, "always");
	else if (w->hi == w->lo)
		snprintf(buf, n, "%s=%d", scn_when_unit_str(w->unit), w->lo);
	else if (w->hi == 0)
		snprintf(buf, n, "%s=%d-", scn_when_unit_str(w->unit), w->lo);
	else
		snprintf(buf, n, "%s=%d-%d", scn_when_unit_str(w->unit), w->lo,
		    w->hi);
	return buf;
}

int
scn_when_same(const struct scn_when *a, const struct scn_when *b)
{
	if (a->unit == SCN_WHEN_ALWAYS || b->unit == SCN_WHEN_ALWAYS)
		return a->unit == b->unit;
	return a->unit == b->unit && a->lo == b->lo && a->hi == b->hi;
}

int
scn_when_holds(const struct scn_when *w, int attempt, int conn)
{
	int v;

	switch (w->unit) {
	case SCN_WHEN_ALWAYS:
		return 1;
	case SCN_WHEN_ATTEMPTS:
		v = attempt;
		break;
	case SCN_WHEN_CONNECTIONS:
		v = conn;
		break;
	default:
		return 0;
	}
	return v >= w->lo && (w->hi == 0 || v <= w->hi);
}

json_t *
scn_when_json(const struct scn_when *w)
{
	json_t *o = json_object();

	json_object_set_new(o, "unit", json_string(scn_when_unit_str(w->unit)));
	json_object_set_new(o, "lo", json_integer(w->lo));
	json_object_set_new(
	    o, "hi", w->hi != 0 ? json_integer(w->hi) : json_null());
	return o;
}

int
scn_when_from_json(const json_t *o, struct scn_when *w, char *err, size_t errsz)
{
	const json_t *u, *lo, *hi;
	int k;

	memset(w, 0, sizeof(*w));
	if (o == NULL || json_is_null(o))
		return 0;
	u = json_object_get(o, "unit");
	lo = json_object_get(o, "lo");
	hi = json_object_get(o, "hi");
	if (!json_is_object(o) || !json_is_string(u)) {
		snprintf(
		    err, errsz, "\"when\" must be an object with \"unit\"");
		return -1;
	}
	if (strcmp(json_string_value(u), "always") == 0)
		return 0;
	k = unit_from_str(json_string_value(u), json_string_length(u));
	if (k < 0 || !json_is_integer(lo) || json_integer_value(lo) < 1 ||
	    json_integer_value(lo) > SCN_WHEN_MAX ||
	    (hi != NULL && !json_is_null(hi) &&
	        (!json_is_integer(hi) ||
	            json_integer_value(hi) < json_integer_value(lo) ||
	            json_integer_value(hi) > SCN_WHEN_MAX))) {
		snprintf(err, errsz,
		    "\"when\" wants unit \"attempts\" or \"connections\", "
		    "lo 1..%d and hi lo..%d or null",
		    SCN_WHEN_MAX, SCN_WHEN_MAX);
		return -1;
	}
	w->unit = (enum scn_when_unit)k;
	w->lo = (int)json_integer_value(lo);
	w->hi = json_is_integer(hi) ? (int)json_integer_value(hi) : 0;
	return 0;
}

void
scn_attempts_init(struct scn_attempts *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->path = path != NULL ? xstrdup(path) : NULL;
}

/* table_clear - forget every entry. */
static void
table_clear(struct scn_attempts *a)
{
	size_t i;

	for (i = 0; i < a->count; i++)
		free(a->ids[i]);
	free(a->ids);
	free(a->n);
	a->ids = NULL;
	a->n = NULL;
	a->count = 0;
}

void
scn_attempts_free(struct scn_attempts *a)
{
	table_clear(a);
	free(a->path);
	memset(a, 0, sizeof(*a));
}

int
scn_attempts_refresh(struct scn_attempts *a)
{
	struct stat st;
	char line[256], id[200];
	FILE *f;
	int n;

	if (a->path == NULL)
		return 0;
	if (stat(a->path, &st) != 0) {
		if (!a->have || a->count == 0)
			return 0;
		table_clear(a);
		a->have = 0;
		return 1;
	}
	if (a->have && st.st_ino == a->ino && st.st_size == a->size &&
	    st.st_mtim.tv_sec == a->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == a->mtime.tv_nsec)
		return 0;
	if ((f = fopen(a->path, "r")) == NULL)
		return 0; /* replaced between stat and open: next time */
	table_clear(a);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%199s %d", id, &n) != 2 || n < 1)
			continue;
		a->ids = xreallocarray(a->ids, a->count + 1, sizeof(*a->ids));
		a->n = xreallocarray(a->n, a->count + 1, sizeof(*a->n));
		a->ids[a->count] = xstrdup(id);
		a->n[a->count++] = n;
	}
	fclose(f);
	a->have = 1;
	a->ino = st.st_ino;
	a->size = st.st_size;
	a->mtime = st.st_mtim;
	return 1;
}

int
scn_attempts_get(const struct scn_attempts *a, const char *id)
{
	size_t i;

	if (id == NULL)
		return 1;
	for (i = 0; i < a->count; i++)
		if (strcmp(a->ids[i], id) == 0)
			return a->n[i];
	return 1;
}

int
scn_attempts_write(
    const char *path, const char *const *ids, const int *n, size_t count)
{
	struct afile a;
	size_t i;

	if (afile_open(&a, path) < 0)
		return -1;
	for (i = 0; i < count; i++)
		fprintf(a.f, "%s %d\n", ids[i], n[i]);
	return afile_commit(&a);
}
