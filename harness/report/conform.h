/*
 * conform.h - conformance profiles (docs/profiles.md): a named set of
 * catalogue requirements and scenarios that must pass, with a statement
 * of what meeting it means; "--profile NAME|FILE" on run and analyse
 * turns a judged run into "meets PROFILE: yes/no" and the failed
 * clauses. Shipped profiles live in profiles/NAME.profile.
 *
 * File format: one "key value" per line, # comments, blank lines:
 *   name NAME             (once; [a-z0-9._-]+)
 *   title TEXT            (once)
 *   statement TEXT        (repeatable; the lines form one paragraph)
 *   require ID [TEXT]     a catalogue row: every expectation citing it
 *                         must pass, and at least one must exist
 *   scenario ID [TEXT]    a scenario that must be run and pass
 *
 * Ownership: conform_load returns a profile and conform_eval a result,
 * each freed by its own _free; a result borrows its profile.
 */
#ifndef DSIM_CONFORM_H
#define DSIM_CONFORM_H

#include <stddef.h>

#include "scn.h"
#include "harness/judge/score.h"

enum conform_kind { CONFORM_REQUIRE = 0, CONFORM_SCENARIO };

/* What became of one clause in a run. */
enum conform_state {
	CONFORM_MET = 0,
	CONFORM_FAILED,       /* an expectation or the scenario failed */
	CONFORM_INCONCLUSIVE, /* none failed, but not all could be judged */
	CONFORM_NOT_TESTED,   /* nothing in the run tests it */
	CONFORM__COUNT
};

struct conform_clause {
	enum conform_kind kind;
	char *id;   /* requirement id or scenario id */
	char *text; /* what it means, or NULL */
	int line;   /* in the profile file */
};

struct conform_profile {
	char *path;      /* the file it was read from */
	char *name;      /* "nl-gov" */
	char *title;     /* or NULL */
	char *statement; /* one paragraph, or NULL */
	struct conform_clause *c;
	size_t n;
};

struct conform_result {
	const struct conform_profile *p; /* borrowed */
	enum conform_state *state;       /* per clause */
	char **why;                      /* per clause: evidence, owned */
	size_t nfailed;                  /* clauses not met */
	int meets;                       /* every clause met */
};

/* conform_state_str - "met", "failed", "inconclusive", "not tested". */
const char *conform_state_str(enum conform_state st);

/*
 * conform_find - the file of profile spec: spec itself when it names a
 * file (has a '/' or exists), else NAME.profile in the share folder's
 * profiles/ (share.h: $DANESIM_SHARE, the source tree, or the installed
 * PREFIX/share/danesim). New string, or NULL when none exists.
 */
char *conform_find(const char *spec);

/*
 * conform_parse - parse profile text (path names it in messages). A new
 * profile, or NULL with "path:line: problem" in err.
 */
struct conform_profile *conform_parse(
    const char *path, const char *text, size_t len, char *err, size_t errsz);

/*
 * conform_load - find (conform_find) and parse profile spec. NULL with
 * the reason in err ("path:line: problem", or "no profile NAME").
 */
struct conform_profile *conform_load(const char *spec, char *err, size_t errsz);

/* conform_free - release; NULL is fine. */
void conform_free(struct conform_profile *p);

/*
 * conform_eval - judge profile p against the n scored scenarios (scns[i]
 * scored as res[i]). Never fails.
 */
struct conform_result *conform_eval(const struct conform_profile *p,
    const struct scn *const *scns, const struct score_result *const *res,
    size_t n);

/* conform_result_free - release; NULL is fine. */
void conform_result_free(struct conform_result *r);

#endif /* DSIM_CONFORM_H */
