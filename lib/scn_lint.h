/*
 * scn_lint.h - the requirement catalogue (docs/rfc7672-requirements.md)
 * and scenario lint against it. scn_lint() itself is declared in scn.h.
 *
 * A catalogue row starts a line with its bold id and a header:
 *   **R-2.2-a** · §2.2 · MUST (×3) · **SEC**
 * The id, section, keyword and severity fields are taken from that line
 * (or from the next lines when the header wraps). A row that cannot be
 * tested black-box says so on a line of its body:
 *   - Untestable: the reason.
 */
#ifndef DSIM_SCN_LINT_H
#define DSIM_SCN_LINT_H

#include <stddef.h>

#include "scn.h"

/* One catalogue row. All strings owned by the catalogue. */
struct scn_catalogue_entry {
	char *id;         /* "R-2.2-a", "R7671-5.1-a" */
	char *section;    /* "§2.2" (the section field, parentheses cut) */
	char *keyword;    /* "MUST (×3)", "descriptive", ... */
	char *severity;   /* "SEC", "INT", "SEC/INT", "—", ... */
	char *part;       /* the "## " heading the row is under, or "" */
	char *untestable; /* why no black-box test can judge the row, or
	                     NULL when it is testable */
	int line;         /* line in the catalogue file */
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
 * scn_catalogue_label - a row's severity label: the first of SEC, INT,
 * OPS or C that its severity field starts with, i.e. the label before
 * any "/", "+", "(" or blank ("INT/SEC" is INT, "SEC + INT" and
 * "SEC(low)" are SEC, "C/SEC(low)" is C). NULL when the row has none
 * ("—", "harness note"). Static string.
 */
const char *scn_catalogue_label(const struct scn_catalogue_entry *e);

/*
 * scn_expect_catalogue_severity - the highest severity of the catalogue
 * rows expectation e of s cites (its req=, else the header's): SEC is
 * security; INT, OPS and C are interoperability. Returns 0 with *sev and
 * *req (the id that gave it, borrowed) set, or -1 when no cited row has
 * a label.
 */
int scn_expect_catalogue_severity(const struct scn_catalogue *cat,
    const struct scn *s, const struct scn_expect *e, enum scn_severity *sev,
    const char **req);

/*
 * scn_suite_apply_catalogue - give every expectation of the suite the
 * severity of the rows it cites (scn_expect_severity() then judges by
 * it). A severity= that lowers it without because="..." is an error
 * "file:line: ..." added to errs. Returns 0, or -1 with errs filled.
 */
int scn_suite_apply_catalogue(struct scn_suite *suite,
    const struct scn_catalogue *cat, struct scn_errors *errs);

/*
 * scn_suite_judge_catalogue - what "danesim run", "danesim analyse" and
 * "compare --merge" do before judging: find the default catalogue
 * (scn_catalogue_default), load it and apply it to
 * the suite. Without a catalogue nothing can be judged: returns -1 with
 * a message in errs (and the same for an override without a reason);
 * 0 on success. *path (may be NULL) gets the catalogue used (new
 * string, caller frees).
 */
int scn_suite_judge_catalogue(
    struct scn_suite *suite, char **path, struct scn_errors *errs);

/*
 * scn_severity_override - when expectation e of s sets a severity other
 * than its catalogue rows give, a new line describing it for "danesim
 * lint" and "danesim coverage" ("lowered to interop (catalogue: security,
 * R-2.2-a) because ..."); NULL when there is none or no catalogue.
 */
char *scn_severity_override(const struct scn_catalogue *cat,
    const struct scn *s, const struct scn_expect *e);

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
