/*
 * capcheck.h - the per-connection capture check: the facts of the event
 * logs against the facts of the capture, before scoring, so that the
 * verdict engine turns pass claims about a connection the two sources
 * show otherwise inconclusive (score.c, docs/internals.md).
 */
#ifndef DSIM_CAPCHECK_H
#define DSIM_CAPCHECK_H

#include "buf.h"
#include "harness/judge/facts.h"
#include "scn.h"

/*
 * capture_check - compare, connection by connection, what fakemx logged
 * with what the capture shows (the facts both can see: host, STARTTLS and
 * its reply, ClientHello and SNI, handshake, MAIL/RCPT/DATA in clear).
 * Writes the comparison into out and marks every disagreeing connection
 * (facts_conn.cap_disagree: in logs, or in cap for a connection only the
 * capture has) for the verdict engine. A connection with a gap in the
 * capture is not compared; neither is one missing from a capture that
 * lost packets. Returns the number of disagreements.
 */
int capture_check(const struct scn_suite *suite, struct facts *logs,
    struct facts *cap, struct buf *out);

#endif /* DSIM_CAPCHECK_H */
