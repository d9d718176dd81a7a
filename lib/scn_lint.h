/*
 * scn_lint.h - the requirement catalogue (docs/rfc7672-requirements.md)
 * and scenario lint against it. scn_lint() itself is declared in scn.h.
 *
 * A catalogue row starts a line with its bold id and a header:
 *   **R-2.2-a** · §2.2 · MUST (×3) · **SEC**
 * The id, section, keyword and severity fields are taken from that line
 * (or from the next lines when the header wraps).
 */
#ifndef DSIM_SCN_LINT_H
#define DSIM_SCN_LINT_H

#include <stddef.h>

#include "scn.h"

/* One catalogue row. All strings owned by the catalogue. */
struct scn_catalogue_entry {
	char *id;       /* "R-2.2-a", "R7671-5.1-a" */
	char *section;  /* "§2.2" (the section field, parentheses cut) */
	char *keyword;  /* "MUST (×3)", "descriptive", ... */
	char *severity; /* "SEC", "INT", "SEC/INT", "—", ... */
	char *part;     /* the "## " heading the row is under, or "" */
	int line;       /* line in the catalogue file */
};

struct scn_catalogue {
	char *path;                    /* file it was read from */
	struct scn_catalogue_entry *e; /* in file order */
	size_t n;
};

/*
 * scn_catalogue_load - read the catalogue at path into cat (which is
 * overwritten). Returns 0, or -1 if the file cannot be read or holds no
 * row (logged). Free with scn_catalogue_free.
 */
int scn_catalogue_load(const char *path, struct scn_catalogue *cat);

/* scn_catalogue_free - release the rows; cat is empty afterwards. */
void scn_catalogue_free(struct scn_catalogue *cat);

/* scn_catalogue_find - the row with this id, or NULL. Borrowed. */
const struct scn_catalogue_entry *scn_catalogue_find(
    const struct scn_catalogue *cat, const char *id);

/*
 * scn_catalogue_default - the catalogue path to use when none is given:
 * docs/rfc7672-requirements.md in the share folder (share.h) if it is
 * readable, else NULL. New string (caller frees) or NULL.
 */
char *scn_catalogue_default(void);

/*
 * scn_lint_with_catalogue - scn_lint(), and with cat (may be NULL) also
 * every requirement id cited must be a row of the catalogue. Adds
 * "file:line: message" to errs; returns the number of problems.
 */
int scn_lint_with_catalogue(const struct scn *s,
    const struct scn_catalogue *cat, struct scn_errors *errs);

/*
 * scn_expect_reqs - the requirement ids an expectation stands for: its
 * own req= list, else the scenario's header list. Borrowed; *n set.
 */
char *const *scn_expect_reqs(
    const struct scn *s, const struct scn_expect *e, size_t *n);

#endif /* DSIM_SCN_LINT_H */
