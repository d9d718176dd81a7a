/*
 * scn_when.h - phases: the qualifier "attempts=N[-[M]]" or
 * "connections=N[-[M]]" that makes an mx behaviour line or a dnsbreak
 * hold only for some delivery attempts of the scenario's message, or for
 * some connections to that MX host (docs/scenario-format.md, Phases).
 *
 * The harness tells the fake servers which attempt each scenario is in
 * through a small state file in the run folder (one "ID N" line per
 * scenario, replaced atomically by rename); the fakes look at it before
 * each connection (fakemx) or query (fakedns) and count the connections
 * per MX host themselves.
 */
#ifndef DSIM_SCN_WHEN_H
#define DSIM_SCN_WHEN_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include <jansson.h>

#define SCN_WHEN_MAX 100 /* highest attempt or connection number */

enum scn_when_unit {
	SCN_WHEN_ALWAYS = 0,  /* no qualifier */
	SCN_WHEN_ATTEMPTS,    /* delivery attempts of the scenario */
	SCN_WHEN_CONNECTIONS, /* connections to the MX host */
	SCN_WHEN__COUNT
};

/* When a qualified line holds: attempts (or connections) lo..hi. */
struct scn_when {
	enum scn_when_unit unit;
	int lo; /* 1.. */
	int hi; /* lo.., or 0: no upper end ("attempts=2-") */
};

/* scn_when_unit_str - "always", "attempts", "connections". */
const char *scn_when_unit_str(enum scn_when_unit u);

/*
 * scn_when_parse - parse the attribute word "attempts=..." or
 * "connections=..." into *w. Returns 1 when word is such an attribute
 * and well formed, 0 when its key is neither (w untouched), -1 when it
 * is one but malformed (why in err).
 */
int scn_when_parse(
    const char *word, struct scn_when *w, char *err, size_t errsz);

/* scn_when_format - "attempts=2-" etc. into buf (size n); returns buf. */
const char *scn_when_format(const struct scn_when *w, char *buf, size_t n);

/* scn_when_same - whether a and b are the same qualifier. */
int scn_when_same(const struct scn_when *a, const struct scn_when *b);

/*
 * scn_when_holds - whether w holds in attempt (1-based) on connection
 * conn (1-based, per MX host; 0 when not known: only attempts and
 * always can hold then).
 */
int scn_when_holds(const struct scn_when *w, int attempt, int conn);

/* scn_when_json - {"unit":..,"lo":..,"hi":..|null}; a new reference. */
json_t *scn_when_json(const struct scn_when *w);

/*
 * scn_when_from_json - read what scn_when_json wrote (NULL or a missing
 * object: always). Returns 0, or -1 with why in err.
 */
int scn_when_from_json(
    const json_t *o, struct scn_when *w, char *err, size_t errsz);

/* The attempt in progress of every scenario, as the fakes read it. */
struct scn_attempts {
	char *path; /* owned */
	int have;   /* the file was read at least once */
	ino_t ino;
	struct timespec mtime;
	off_t size;
	char **ids; /* owned */
	int *n;
	size_t count;
};

/* scn_attempts_init - watch path (copied); nothing is read yet. */
void scn_attempts_init(struct scn_attempts *a, const char *path);
/* scn_attempts_free - release what a holds. */
void scn_attempts_free(struct scn_attempts *a);

/*
 * scn_attempts_refresh - read the file again if it changed (another
 * inode, size or time). A missing file means attempt 1 everywhere.
 * Returns 1 when the table changed, 0 when not.
 */
int scn_attempts_refresh(struct scn_attempts *a);

/* scn_attempts_get - the attempt scenario id is in (1 if not listed). */
int scn_attempts_get(const struct scn_attempts *a, const char *id);

/*
 * scn_attempts_write - write "ID N" lines for ids[i], n[i] to path,
 * atomically (a temporary file renamed over it). Returns 0, or -1
 * (logged, errno kept).
 */
int scn_attempts_write(
    const char *path, const char *const *ids, const int *n, size_t count);

#endif /* DSIM_SCN_WHEN_H */
