/*
 * scn_suite.c - a suite: the scenario files of paths (files and folders,
 * searched recursively, each file once), parsed, sorted by id, ids and
 * domains checked for clashes (see scn.h).
 */
#include "scn_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scn_expand.h"
#include "xmalloc.h"

/* ---- suites -------------------------------------------------------- */

/* A file or directory identity. */
struct fid {
	dev_t dev;
	ino_t ino;
};

/*
 * A list of paths being collected, and the identities already taken: a
 * file named twice (or reached through a symlink) is read once, and a
 * directory reached again through a symlink loop is not searched again.
 */
struct pathv {
	char **v;
	size_t n;
	struct fid *seen;
	size_t nseen;
};

/* pathv_add - take ownership of path. */
static void
pathv_add(struct pathv *pv, char *path)
{
	pv->v = grow(pv->v, pv->n, sizeof(*pv->v));
	pv->v[pv->n++] = path;
}

/* pathv_seen - 1 if st's file was taken before; else remember it. */
static int
pathv_seen(struct pathv *pv, const struct stat *st)
{
	size_t i;

	for (i = 0; i < pv->nseen; i++)
		if (pv->seen[i].dev == st->st_dev &&
		    pv->seen[i].ino == st->st_ino)
			return 1;
	pv->seen = grow(pv->seen, pv->nseen, sizeof(*pv->seen));
	pv->seen[pv->nseen].dev = st->st_dev;
	pv->seen[pv->nseen++].ino = st->st_ino;
	return 0;
}

/* cmp_str - qsort comparator for char *. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* has_scn_suffix - name ends in ".scn" and has something before it. */
static int
has_scn_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".scn") == 0;
}

/* collect_dir - every *.scn below dir, sorted per directory. */
static int
collect_dir(
    const char *dir, int depth, struct pathv *pv, struct scn_errors *errs)
{
	DIR *d;
	struct dirent *de;
	struct pathv here = {NULL, 0, NULL, 0};
	struct stat st;
	size_t i;
	int rc = 0;

	if (stat(dir, &st) == 0 && pathv_seen(pv, &st))
		return 0;
	if (depth > SCN_DIR_DEPTH_MAX) {
		scn_errors_add(errs, "%s:0: directories nested too deep", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		scn_errors_add(errs, "%s:0: cannot open directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		pathv_add(&here,
		    xasprintf("%s%s%s", dir,
		        dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name));
	}
	closedir(d);
	if (here.n > 0)
		qsort(here.v, here.n, sizeof(*here.v), cmp_str);
	for (i = 0; i < here.n; i++) {
		if (stat(here.v[i], &st) == -1) {
			free(here.v[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (collect_dir(here.v[i], depth + 1, pv, errs) == -1)
				rc = -1;
			free(here.v[i]);
		} else if (S_ISREG(st.st_mode) && has_scn_suffix(here.v[i]) &&
		           !pathv_seen(pv, &st))
			pathv_add(pv, here.v[i]);
		else
			free(here.v[i]);
	}
	free(here.v);
	return rc;
}

/* cmp_scn_id - qsort comparator for struct scn * by id. */
static int
cmp_scn_id(const void *a, const void *b)
{
	return strcmp(
	    (*(struct scn *const *)a)->id, (*(struct scn *const *)b)->id);
}

/* check_zone_clash - no two scenarios of a suite may declare one zone. */
static int
check_zone_clash(struct scn_suite *suite, struct scn_errors *errs)
{
	struct pz {
		char *name;
		const struct scn *s;
		const struct scn_zone *z;
	} *all = NULL;
	size_t n = 0, i, j, k;
	int rc = 0;

	for (i = 0; i < suite->n; i++)
		for (j = 0; j < suite->items[i]->nzones; j++) {
			char *key = scn_expand_norm_name(
			    suite->items[i], suite->items[i]->zones[j].name);

			if (key == NULL)
				continue;
			for (k = 0; k < n; k++)
				if (all[k].s != suite->items[i] &&
				    strcmp(all[k].name, key) == 0) {
					scn_errors_add(errs,
					    "%s:%d: zone '%s' is also declared "
					    "by %s:%d",
					    suite->items[i]->file,
					    suite->items[i]->zones[j].line, key,
					    all[k].s->file, all[k].z->line);
					rc = -1;
					break;
				}
			all = grow(all, n, sizeof(*all));
			all[n].name = key;
			all[n].s = suite->items[i];
			all[n++].z = &suite->items[i]->zones[j];
		}
	for (k = 0; k < n; k++)
		free(all[k].name);
	free(all);
	return rc;
}

int
scn_suite_load(struct scn_suite *suite, char *const *paths, size_t npaths,
    struct scn_errors *errs)
{
	struct pathv pv = {NULL, 0, NULL, 0};
	size_t i, j;
	int rc = 0;

	suite->items = NULL;
	suite->n = 0;
	for (i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st) == -1) {
			scn_errors_add(
			    errs, "%s:0: %s", paths[i], strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (collect_dir(paths[i], 0, &pv, errs) == -1)
				rc = -1;
		} else if (!has_scn_suffix(paths[i])) {
			scn_errors_add(errs,
			    "%s:0: not a scenario file (name must end in "
			    "'.scn')",
			    paths[i]);
			rc = -1;
		} else if (!pathv_seen(&pv, &st))
			pathv_add(&pv, xstrdup(paths[i]));
	}
	for (i = 0; i < pv.n; i++) {
		struct scn *s = scn_parse_file(pv.v[i], errs);

		if (s == NULL) {
			rc = -1;
			continue;
		}
		for (j = 0; j < suite->n; j++)
			if (strcmp(suite->items[j]->id, s->id) == 0)
				break;
		if (j < suite->n) {
			scn_errors_add(errs,
			    "%s:%d: duplicate id '%s' (also in %s:%d)", s->file,
			    s->id_line, s->id, suite->items[j]->file,
			    suite->items[j]->id_line);
			scn_free(s);
			rc = -1;
			continue;
		}
		suite->items =
		    grow(suite->items, suite->n, sizeof(*suite->items));
		suite->items[suite->n++] = s;
	}
	for (i = 0; i < pv.n; i++)
		free(pv.v[i]);
	free(pv.v);
	free(pv.seen);
	if (suite->n > 1)
		qsort(
		    suite->items, suite->n, sizeof(*suite->items), cmp_scn_id);
	if (check_zone_clash(suite, errs) == -1)
		rc = -1;
	return rc;
}

void
scn_suite_free(struct scn_suite *suite)
{
	size_t i;

	if (suite == NULL)
		return;
	for (i = 0; i < suite->n; i++)
		scn_free(suite->items[i]);
	free(suite->items);
	suite->items = NULL;
	suite->n = 0;
}
