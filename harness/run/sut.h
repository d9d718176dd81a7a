/*
 * sut.h - SUT profiles: how danesim drives a system under test. A
 * profile is data, harness/sut/<name>.conf, "key = value" lines whose
 * values are short shell commands run with "sh -c" inside the run's
 * namespace, with DANESIM_* environment variables (docs/sut-profiles.md).
 *
 * Steps: prepare, start, inject (one message), flush, status (prints
 * delivered|deferred|bounced|unknown), stop, version, check (exit 0 when
 * the SUT's setup is sound, e.g. it really validates DNSSEC), validate
 * (exit 0 when every --sut-opt is one the SUT knows, with a value it
 * takes; run on the host before anything of the run exists); optional
 * batch forms of two of them: inject-smtp (one SMTP session on stdio
 * for a batch of messages) and status-batch (the status of a batch).
 *
 * Ownership: sut_profile_load returns a profile owned by the caller
 * (sut_profile_free); a struct sut owns its copies of everything given to
 * sut_new and borrows the profile.
 */
#ifndef DSIM_SUT_H
#define DSIM_SUT_H

#include <stddef.h>

#include "buf.h"
#include "scn.h"

enum sut_step {
	SUT_STEP_PREPARE = 0,
	SUT_STEP_START,
	SUT_STEP_INJECT,
	SUT_STEP_FLUSH,
	SUT_STEP_STATUS,
	SUT_STEP_STOP,
	SUT_STEP_VERSION,
	SUT_STEP_CHECK,
	SUT_STEP_CONFIG, /* print the effective configuration (provenance) */
	SUT_STEP_VALIDATE,
	/* optional: one SMTP session on stdio for a batch of messages
	   instead of inject steps */
	SUT_STEP_INJECT_SMTP,
	/* optional: the status of a batch of messages from one process */
	SUT_STEP_STATUS_BATCH,
	SUT_STEP__COUNT
};

struct sut_profile {
	char *name;        /* "postfix", or the file's base name */
	char *file;        /* path of the .conf */
	char *dir;         /* DANESIM_PROFILE_DIR: <file without .conf>/ */
	char *description; /* may be NULL */
	char *steps[SUT_STEP__COUNT]; /* NULL = step not given */
	/* "opt-steps = STEP...": given only when --sut-opt STEP=... is (the
	   command profile's flush: without it there is nothing to run) */
	int by_opt[SUT_STEP__COUNT];
};

/* One message handed to the SUT. All strings borrowed. */
struct sut_msg {
	const char *scenario;
	const char *sender;
	const char *recipient;
	const char *file;       /* the message, RFC 5322 text */
	const char *message_id; /* with angle brackets */
	int number;             /* the scenario's message it is, from 1
	                           (DANESIM_MESSAGE_KEY: the scenario id for
	                           message 1, "ID.K" for message K > 1) */
	int tries; /* sut_flush: the tries the status step had counted when
	              danesim opened the attempt to retry it in (0: none
	              counted); a SUT that has made more since retried it
	              already and is not to try again */
};

struct sut;

/* sut_step_str - "prepare", "start", ... (static). */
const char *sut_step_str(enum sut_step st);
/* sut_status_parse - first word of text; SCN_SUT_UNKNOWN if none fits. */
enum scn_sut sut_status_parse(const char *text);
/*
 * sut_status_attempts - the optional second word of a status line: how
 * many delivery attempts the SUT has made for the message ("deferred 2").
 * 0 when absent or not a number from 1 to 1000.
 */
int sut_status_attempts(const char *text);
/*
 * sut_status_text - what follows the word and the optional count on the
 * status line's first line ("frozen 1 the log line"), blanks trimmed and
 * cut at SUT_STATUS_TEXT_MAX bytes; newly allocated, NULL when empty.
 */
#define SUT_STATUS_TEXT_MAX 400
char *sut_status_text(const char *text);

/*
 * sut_profile_parse - parse profile text (path names it in messages).
 * Returns a new profile, or NULL with "path:line: problem" in err.
 * A profile must give inject.
 */
struct sut_profile *sut_profile_parse(
    const char *path, const char *text, char *err, size_t errsz);

/*
 * sut_profile_load - load NAME (looked up as NAME.conf in
 * $DANESIM_SUT_PATH, then in the share folder's sut/: $DANESIM_SHARE/sut,
 * the source tree's harness/sut, PREFIX/share/danesim/sut; see share.h) or
 * FILE (anything with a '/' or ending in ".conf"). NULL with the reason in
 * err.
 */
struct sut_profile *sut_profile_load(
    const char *name_or_file, char *err, size_t errsz);

/* sut_profile_free - release; NULL is fine. */
void sut_profile_free(struct sut_profile *p);

/*
 * sut_new - bind profile prof to a run: namespace netns (NULL: run steps
 * here), run folder, the SUT's folder (made if missing), danesim's
 * binary folder, resolver address, trust-anchor and root-key paths, and
 * the --sut-opt pairs (nopts strings "KEY=VALUE"). Never NULL.
 */
struct sut *sut_new(const struct sut_profile *prof, const char *netns,
    const char *run_dir, const char *sut_dir, const char *bin_dir,
    const char *resolver, const char *trust_anchor, const char *root_key,
    char *const *opts, size_t nopts);

/*
 * sut_validate - run prof's validate step on this host (no namespace, no
 * run folder: it comes before the world is built) with the host's
 * environment plus DANESIM_PROFILE_DIR, DANESIM_BIN (bin_dir), DANESIM_SUT
 * and DANESIM_SUT_OPTS (the nopts "KEY=VALUE" strings of opts), within
 * timeout_ms. Its output (stdout and stderr) goes to out. Returns the
 * step's exit status, 0 when the profile gives no validate step, or -1
 * when it could not run, timed out or was interrupted (logged).
 */
int sut_validate(const struct sut_profile *prof, const char *bin_dir,
    char *const *opts, size_t nopts, int timeout_ms, struct buf *out);

/*
 * sut_setenv - add or replace KEY=VALUE in the environment of every
 * later step (e.g. DANESIM_KEEP).
 */
void sut_setenv(struct sut *s, const char *key, const char *value);

/* sut_free - release; NULL is fine. */
void sut_free(struct sut *s);

/* sut_has - 1 if the profile gives step st (an opt-steps step only
   when the run's --sut-opt gives it). */
int sut_has(const struct sut *s, enum sut_step st);

/*
 * sut_run_step - run step st (with m's DANESIM_* variables when m is not
 * NULL) with a time limit; its output goes to out (NULL: discarded) and
 * to the run's sut-steps.log. Returns the exit status, 0 when the
 * profile does not give the step, or -1 when it could not run, timed out
 * or was interrupted (logged).
 */
int sut_run_step(struct sut *s, enum sut_step st, const struct sut_msg *m,
    int timeout_ms, struct buf *out);

/*
 * sut_flush - run the flush step (make the SUT retry now) with the n
 * messages of msgs to retry on its stdin, one "KEY MESSAGE-ID TRIES"
 * line each (KEY and MESSAGE-ID as status-batch reads them, TRIES the
 * message's tries field, left out when 0: no count, no limit): a profile
 * that can retry one message retries only those, and only while it has
 * made no more than TRIES tries, so no
 * message is retried before danesim has put the world of its next
 * attempt in place, nor twice for one flush asked again. Returns what
 * sut_run_step would (0 when the profile has no flush step).
 */
int sut_flush(
    struct sut *s, const struct sut_msg *msgs, size_t n, int timeout_ms);

/*
 * sut_run_batch - run step st once per message of msgs (n of them), up
 * to SUT_BATCH_MAX at a time, each with the time limit; rcs[i] gets what
 * sut_run_step would return, outs[i] (when outs is not NULL) a new
 * string with the output (caller frees), done_ms[i] (when done_ms is not
 * NULL) the monotonic time (proc_now_ms) its step ended, 0 if it never
 * ran. Returns 0, or -1 when interrupted (the steps not run get rc -1).
 */
#define SUT_BATCH_MAX 16
int sut_run_batch(struct sut *s, enum sut_step st, const struct sut_msg *msgs,
    size_t n, int timeout_ms, int *rcs, char **outs, long long *done_ms);

/*
 * sut_inject_smtp - hand the n messages of msgs to the SUT over one SMTP
 * session (RFC 5321) with the profile's inject-smtp command, which reads
 * SMTP commands on its stdin and answers on its stdout (sendmail -bs,
 * exim -bs): one MAIL, RCPT and DATA transaction per message, each reply
 * within timeout_ms. rcs[i] gets 0 when the SUT took message i (a 2xx
 * reply to its content), 1 when it refused it, -1 when it was not handed
 * over (the session broke first); done_ms[i] (when not NULL) when its
 * transaction ended, 0 if it never began. Every transaction goes to
 * sut-steps.log. Returns 0 when every message was taken, else -1.
 */
int sut_inject_smtp(struct sut *s, const struct sut_msg *msgs, size_t n,
    int timeout_ms, int *rcs, long long *done_ms);

/*
 * sut_status_batch - the profile's status-batch step for the n messages
 * of msgs at once: it reads "KEY MESSAGE-ID" lines on stdin (KEY as
 * DANESIM_MESSAGE_KEY) and prints "KEY " and what the status step would
 * print for that message, a line each. outs[i] gets that status line (a
 * new string, caller frees) and rcs[i] 0, or NULL and -1 when the step
 * printed none for message i. Returns 0, or -1 when the step failed, timed
 * out or is not given (every rcs[i] -1; logged in sut-steps.log).
 */
int sut_status_batch(struct sut *s, const struct sut_msg *msgs, size_t n,
    int timeout_ms, int *rcs, char **outs);

/*
 * sut_status - run the status step for m. Returns the status; unknown
 * when the step is missing, fails or says something else.
 */
enum scn_sut sut_status(struct sut *s, const struct sut_msg *m, int timeout_ms);

#endif /* DSIM_SUT_H */
