/*
 * score.h - the verdict engine: one scenario's expectations against what
 * was observed. Pure: no sockets, no clock, no files; the facts come in,
 * an outcome and one verdict per expectation come out.
 *
 * Verdicts: PASS, FAIL, INCONCLUSIVE (the evidence does not allow a
 * judgement: the SUT never tried, the window ended, the logs and the
 * capture disagree) and ERROR (our own infrastructure failed, e.g. a log
 * of a fake server is missing). What the SUT does is never an ERROR.
 *
 * Rules (docs/report-schema.md explains them for readers of reports):
 * - The outcome is delivered-tls / delivered-plaintext only when fakemx
 *   stored the message; the SUT's own "delivered" is never enough. A
 *   SUT that reports "delivered" while no fake MX stored the message
 *   fails its outcome expectation (a finding, not an unknown).
 * - A forbidden event ("expect never ...", a wrong SNI) FAILS as soon
 *   as any evidence source saw it once - fakemx's or fakedns's log, or
 *   the capture alone - whether or not the scenario was decided.
 * - Anything not yet seen when the scenario was not decided is
 *   inconclusive: it might still have happened.
 * - Conflicting evidence only turns a PASS claim inconclusive: where
 *   the logs and the capture disagree on what a pass rests on (a
 *   connection, STARTTLS, MAIL in clear, SNI, a query), both sides are
 *   named.
 * - A connection the capture check marked (facts_conn.cap_disagree: the
 *   event log and the capture show it otherwise) makes every pass claim
 *   about its host's SMTP inconclusive, both sides named; it never turns
 *   a failure into anything else.
 */
#ifndef DSIM_SCORE_H
#define DSIM_SCORE_H

#include <stddef.h>

#include "harness/judge/facts.h"
#include "scn.h"
#include "harness/world/model.h"

/* Ordered from best to worst: the scenario's verdict is the maximum. */
enum score_verdict {
	SCORE_PASS = 0,
	SCORE_INCONCLUSIVE,
	SCORE_ERROR,
	SCORE_FAIL,
	SCORE__COUNT
};

/*
 * One message of a scenario that sends several ("messages N"): its
 * Message-ID (which fakemx's "message" events carry) and the SUT's last
 * word on it (borrowed).
 */
struct score_msg {
	const char *message_id;
	enum scn_sut sut;
};

/* Everything the engine looks at for one scenario (all borrowed). */
struct score_input {
	const struct world *w; /* to expand names; may be NULL */
	const struct scn *s;
	const struct facts_scn *logs; /* NULL: no log facts at all */
	int have_smtp;                /* smtp.jsonl was read */
	int have_dns;                 /* dns.jsonl was read */
	const struct facts_scn *cap;  /* NULL: capture not analysed */
	int cap_complete;             /* the capture covers the whole run */
	enum scn_sut sut; /* the SUT profile's status step, on the message */
	int decided;      /* run loop decided it in time */
	const char *undecided_reason; /* why not decided; may be NULL */
	/*
	 * The scenario's messages when it sent more than one (nmsgs > 1):
	 * message k's outcome then rests only on the stored messages with
	 * its Message-ID and on msgs[k - 1].sut. With nmsgs <= 1 the
	 * scenario's one message is everything stored and sut.
	 */
	const struct score_msg *msgs;
	size_t nmsgs;
};

/* The outcome of one message. */
struct score_outcome_msg {
	enum scn_outcome outcome;
	char *note; /* owned; how it was derived */
};

/* The verdict on one expectation. */
struct score_exp {
	const struct scn_expect *e; /* borrowed */
	enum score_verdict verdict;
	char *evidence; /* owned; what was (not) seen */
	char *reason;   /* owned; why inconclusive / error,
	                   NULL for pass and fail */
};

struct score_result {
	enum scn_outcome outcome;       /* of message 1 */
	char *outcome_note;             /* owned; how the outcome was
	                                   derived, or why it is unknown */
	struct score_outcome_msg *msgs; /* one per input message when the
	                                   input has nmsgs > 1; else NULL */
	size_t nmsgs;
	enum score_verdict verdict; /* worst of the expectations (those of
	                               severity info left out) */
	int decided;
	struct score_exp *exps; /* one per s->expects, same order */
	size_t nexps;
};

/*
 * score_scenario - judge every expectation of in->s. Returns a new result
 * (free with score_result_free); never NULL.
 */
struct score_result *score_scenario(const struct score_input *in);

/* score_result_free - release a result; NULL is fine. */
void score_result_free(struct score_result *r);

/*
 * score_outcome - the outcome from the log facts and the SUT status;
 * *note (may be NULL) gets a new string saying why (caller frees).
 */
enum scn_outcome score_outcome(
    const struct facts_scn *logs, enum scn_sut sut, char **note);

/*
 * score_outcome_of - the outcome of message m (1-based) of in: as
 * score_outcome over everything when in->nmsgs <= 1 and m is 1, else
 * over the message's own stored copies and SUT word. SCN_OUT_UNKNOWN
 * with a note when the input has no message m.
 */
enum scn_outcome score_outcome_of(
    const struct score_input *in, int m, char **note);

/*
 * score_decided - whether the run loop may stop waiting for a scenario:
 * fakemx stored its message, or the SUT reports delivered / deferred /
 * bounced and every connection of the scenario is closed. 1 or 0. A
 * frozen message with nothing stored is never decided: the run loop ends
 * such a scenario undecided at once (the SUT will not retry it).
 */
int score_decided(const struct facts_scn *logs, enum scn_sut sut);

/*
 * score_frozen - whether the SUT froze the message (it will never retry
 * it) and no fake MX stored it: the scenario can never be decided, so
 * the run loop ends it at once, undecided, with the SUT's reason. 1 or 0.
 */
int score_frozen(const struct facts_scn *logs, enum scn_sut sut);

/* score_judges - 1 if a scoring function judges kind k (a unit test
 * checks every kind of lib/expkind.h has one). */
int score_judges(enum scn_expect_kind k);

/* score_verdict_str - "pass", "fail", "inconclusive", "error". */
const char *score_verdict_str(enum score_verdict v);

#endif /* DSIM_SCORE_H */
