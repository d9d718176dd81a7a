/*
 * test_score.c - the verdict engine: every expectation kind passing and
 * failing, a forbidden event failing whichever source saw it (the 421
 * case: only the capture saw MAIL FROM in clear), inconclusive when
 * undecided or when the sources disagree on a pass claim, error when a
 * log is missing, and the outcome derivation.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "harness/judge/facts.h"
#include "scn.h"
#include "harness/judge/score.h"
#include "harness/world/model.h"
#include "xmalloc.h"

static const char kinds_scn[] =
    "format 1\n"
    "id kinds\n"
    "title Every expectation kind\n"
    "requirements R-2.2-a\n"
    "severity security\n"
    "zone ${DOMAIN}\n"
    "@   MX 10 mx1\n"
    "@   A  ${ADDR(trap)}\n"
    "mx1 A  ${ADDR(mx1)}\n"
    "end\n"
    "mx mx1\n"
    "end\n"
    "mx trap\n"
    "end\n"
    "expect outcome delivered-tls\n"
    "expect never connect trap\n"
    "expect never mail trap\n"
    "expect never mail-plaintext\n"
    "expect never data-plaintext mx1\n"
    "expect mail-tls mx1\n"
    "expect sni mx1 mx1.${DOMAIN}\n"
    "expect query _25._tcp.mx1.${DOMAIN} TLSA req=R-2.1.2-c\n"
    "expect never query ${DOMAIN} AAAA severity=interop\n"
    "expect never early-command mx1 req=R3207-6-d\n"
    "expect never pipelined-after-tls mx1 req=R3207-4.2-a\n"
    "expect never bdat-after-tls req=R3207-4.2-a\n"
    "expect never sslv2-hello mx1 req=R-8.1-b\n"
    "expect never bad-sni mx1 req=R6066-3-b\n"
    "expect first-after-tls mx1 EHLO req=R3207-4.2-b\n"
    "expect never literal-tlsa mx1 req=R-2.2-f\n"
    "expect never stub-cd req=R4035-4.9.2-a\n";

enum {
	X_OUTCOME = 0,
	X_NEVER_CONNECT,
	X_NEVER_MAIL,
	X_NEVER_PLAIN_MAIL,
	X_NEVER_PLAIN_DATA,
	X_MAIL_TLS,
	X_SNI,
	X_QUERY,
	X_NEVER_QUERY,
	X_NEVER_EARLY,
	X_NEVER_PIPE,
	X_NEVER_BDAT,
	X_NEVER_SSLV2,
	X_NEVER_BAD_SNI,
	X_FIRST_TLS,
	X_NEVER_LITERAL,
	X_NEVER_STUB_CD,
	X__N
};

static struct scn *ks;
static struct scn_suite ksuite;
static struct world kworld;
static struct world_mx kmxs[2];

/* suite_init - parse the fixture scenario and make a small world. */
static int
suite_init(void)
{
	struct scn_errors errs = {NULL, 0};
	size_t i;

	ks = scn_parse_buf("kinds.scn", kinds_scn, strlen(kinds_scn), &errs);
	if (ks == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		scn_errors_free(&errs);
		return -1;
	}
	ksuite.items = &ks;
	ksuite.n = 1;
	memset(&kworld, 0, sizeof(kworld));
	kworld.suite = &ksuite;
	kworld.now = 1764370000;
	kmxs[0].scn = ks;
	kmxs[0].mx = &ks->mxs[0];
	kmxs[0].addr = (char *)"127.25.0.1";
	kmxs[1].scn = ks;
	kmxs[1].mx = &ks->mxs[1];
	kmxs[1].addr = (char *)"127.25.0.2";
	kworld.mxs = kmxs;
	kworld.nmxs = 2;
	return 0;
}

/* suite_clean - free the fixture scenario. */
static int
suite_clean(void)
{
	scn_free(ks);
	return 0;
}

/* good_conn - what a compliant sender's delivery to mx1 looks like. */
static struct facts_conn
good_conn(long id)
{
	struct facts_conn c;

	memset(&c, 0, sizeof(c));
	c.id = id;
	c.host = (char *)"mx1";
	c.client = (char *)"127.0.0.1:40000";
	c.t_start = 10;
	c.t_end = 12;
	c.starttls_sent = 1;
	c.starttls_code = 220;
	c.client_hello = 1;
	c.sni = (char *)"mx1.kinds.test";
	c.tls_ok = 1;
	c.tls_version = (char *)"TLSv1.3";
	c.mail_tls = c.rcpt_tls = c.data_tls = c.msg_tls = 1;
	c.mail_from = (char *)"danesim@sender.test";
	c.msg_file = (char *)"mail/kinds-7.eml";
	snprintf(c.first_tls_verb, sizeof(c.first_tls_verb), "EHLO");
	return c;
}

static struct facts_query tlsa_q = {5.0, (char *)"_25._tcp.mx1.kinds.test.",
    (char *)"TLSA", (char *)"NOERROR", 1, 0, -1, NULL, 0, 0};

/* The SUT asking its resolver for the MX RRset (capture), CD clear. */
static struct facts_query stub_q = {4.0, (char *)"kinds.test.", (char *)"MX",
    (char *)"NOERROR", 1, 0, 1, NULL, 1, 0};

/* A test case: log facts, capture facts and the run's word. */
struct tcase {
	struct facts_conn conns[4];
	size_t nconns;
	struct facts_query queries[4];
	size_t nqueries;
	struct facts_conn cconns[4];
	size_t ncconns;
	struct facts_query cqueries[4];
	size_t ncqueries;
	int with_cap;
	struct facts_scn logs, cap;
	struct score_input in;
};

/* tcase_good - a compliant run, decided, SUT says delivered. */
static void
tcase_good(struct tcase *t)
{
	memset(t, 0, sizeof(*t));
	t->conns[0] = good_conn(7);
	t->nconns = 1;
	t->queries[0] = tlsa_q;
	t->nqueries = 1;
	t->in.sut = SCN_SUT_DELIVERED;
	t->in.decided = 1;
	t->in.have_smtp = 1;
	t->in.have_dns = 1;
}

/* with_capture - a complete capture that saw what good_conn and the
   TLSA query look like on the wire (fakemx's numbers unknown). */
static void
with_capture(struct tcase *t)
{
	t->with_cap = 1;
	t->in.cap_complete = 1;
	t->cconns[0] = good_conn(0);
	t->cconns[0].hello_fmt = FACTS_HELLO_TLS;
	t->ncconns = 1;
	t->cqueries[0] = tlsa_q;
	t->cqueries[1] = stub_q;
	t->ncqueries = 2;
}

/* run_scn - score the case as scenario sc; caller frees the result. */
static struct score_result *
run_scn(struct tcase *t, struct scn *sc)
{
	t->logs.scn = sc;
	t->logs.conns = t->conns;
	t->logs.nconns = t->nconns;
	t->logs.queries = t->queries;
	t->logs.nqueries = t->nqueries;
	t->cap.scn = sc;
	t->cap.conns = t->cconns;
	t->cap.nconns = t->ncconns;
	t->cap.queries = t->cqueries;
	t->cap.nqueries = t->ncqueries;
	t->in.w = &kworld;
	t->in.s = sc;
	t->in.logs = &t->logs;
	t->in.cap = t->with_cap ? &t->cap : NULL;
	return score_scenario(&t->in);
}

/* run - score the case as the fixture scenario; caller frees. */
static struct score_result *
run(struct tcase *t)
{
	return run_scn(t, ks);
}

/* verdict_of - verdict of expectation i. */
static enum score_verdict
verdict_of(struct score_result *r, int i)
{
	return r->exps[i].verdict;
}

/* has - whether the evidence (or reason) of expectation i contains s. */
static int
has(struct score_result *r, int i, const char *s)
{
	const char *e = r->exps[i].evidence, *why = r->exps[i].reason;

	return (e != NULL && strstr(e, s) != NULL) ||
	       (why != NULL && strstr(why, s) != NULL);
}

/* test_all_pass - a compliant SUT passes every kind. */
static void
test_all_pass(void)
{
	struct tcase t;
	struct score_result *r;
	int i;

	tcase_good(&t);
	with_capture(&t);
	r = run(&t);
	CU_ASSERT_EQUAL_FATAL(r->nexps, X__N);
	for (i = 0; i < X__N; i++) {
		CU_ASSERT_EQUAL(verdict_of(r, i), SCORE_PASS);
		CU_ASSERT_PTR_NOT_NULL(r->exps[i].evidence);
		CU_ASSERT_PTR_NULL(r->exps[i].reason);
	}
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_DELIVERED_TLS);
	CU_ASSERT_EQUAL(r->verdict, SCORE_PASS);
	CU_ASSERT(has(r, X_SNI, "SNI mx1.kinds.test seen on 1 connection"));
	CU_ASSERT(has(r, X_MAIL_TLS,
	    "inside TLS (TLSv1.3) at mx1 "
	    "(127.25.0.1) on connection 7"));
	CU_ASSERT(has(r, X_NEVER_CONNECT,
	    "no TCP connection to trap "
	    "(127.25.0.2)"));
	score_result_free(r);
}

/* test_mail_plaintext - MAIL in clear fails never mail-plaintext. */
static void
test_mail_plaintext(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].mail_tls = 0;
	t.conns[0].mail_plain = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL,
	    "MAIL FROM:<danesim@sender.test> received in clear at mx1 "
	    "(127.25.0.1) on connection 7"));
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_FAIL);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_DATA), SCORE_PASS);
	CU_ASSERT_EQUAL(r->verdict, SCORE_FAIL);
	score_result_free(r);
}

/* test_data_plaintext - DATA in clear fails never data-plaintext. */
static void
test_data_plaintext(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].data_plain = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_DATA), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_PLAIN_DATA, "DATA in clear at mx1"));
	score_result_free(r);
}

/* test_trap - a connection to the trap fails never connect and a MAIL
   there fails never mail, even inside TLS. */
static void
test_trap(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[1] = good_conn(8);
	t.conns[1].host = (char *)"trap";
	t.conns[1].client = (char *)"127.0.0.1:40008";
	t.conns[1].msg_tls = 0;
	t.nconns = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_CONNECT), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_CONNECT,
	    "TCP connection to trap "
	    "(127.25.0.2) on connection 8 from 127.0.0.1:40008"));
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_MAIL), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_MAIL, "received inside TLS at trap"));
	/* mx1 was fine, so mail-tls still passes. */
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_PASS);
	score_result_free(r);
}

/* test_sni - a wrong SNI and a missing SNI fail; no hello at all fails. */
static void
test_sni(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].sni = (char *)"other.test";
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_FAIL);
	CU_ASSERT(has(r, X_SNI, "SNI other.test instead of mx1.kinds.test"));
	score_result_free(r);

	tcase_good(&t);
	t.conns[0].sni = NULL;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_FAIL);
	CU_ASSERT(has(r, X_SNI, "ClientHello without SNI"));
	score_result_free(r);

	/* Upper case and a final dot are the same DNS name. */
	tcase_good(&t);
	t.conns[0].sni = (char *)"MX1.Kinds.Test.";
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_PASS);
	score_result_free(r);

	tcase_good(&t);
	t.conns[0].client_hello = 0;
	t.conns[0].tls_ok = 0;
	t.conns[0].sni = NULL;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_FAIL);
	CU_ASSERT(has(r, X_SNI, "no ClientHello to mx1"));
	score_result_free(r);
}

/* test_query - a missing TLSA query fails; a forbidden one fails. */
static void
test_query(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.nqueries = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_FAIL);
	CU_ASSERT(has(r, X_QUERY,
	    "no query for _25._tcp.mx1.kinds.test/TLSA"
	    " among 0 queries"));
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_QUERY), SCORE_PASS);
	score_result_free(r);

	tcase_good(&t);
	t.queries[1] = tlsa_q;
	t.queries[1].qname = (char *)"kinds.test.";
	t.queries[1].qtype = (char *)"aaaa";
	t.queries[1].rcode = (char *)"SERVFAIL";
	t.nqueries = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_QUERY), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_QUERY,
	    "asked kinds.test/aaaa 1 time, first "
	    "answer SERVFAIL"));
	/* an interop failure is a failure, but not a security one */
	CU_ASSERT_EQUAL(r->verdict, SCORE_FAIL);
	score_result_free(r);
}

/* test_outcome - outcome mismatches fail; a stored message is final. */
static void
test_outcome(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.conns[0].msg_plain = 1;
	t.conns[0].mail_tls = 0;
	t.conns[0].mail_plain = 1;
	t.in.decided = 0;
	t.in.undecided_reason = "the run was interrupted";
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_DELIVERED_PLAIN);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_FAIL);
	CU_ASSERT(has(r, X_OUTCOME, "outcome delivered-plaintext"));
	CU_ASSERT(has(r, X_OUTCOME, "expected delivered-tls"));
	/* a seen violation is final even in an interrupted run */
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	score_result_free(r);

	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.in.sut = SCN_SUT_DEFERRED;
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_DEFERRED);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_FAIL);
	CU_ASSERT(has(r, X_OUTCOME, "outcome deferred"));
	score_result_free(r);

	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.in.sut = SCN_SUT_BOUNCED;
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_BOUNCED);
	score_result_free(r);
}

/* test_sut_says_delivered - the SUT's word alone is never delivery. */
static void
test_sut_says_delivered(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_UNKNOWN);
	CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(r->outcome_note,
	    "SUT reports delivered but no fake MX stored the message"));
	/* a finding, not an unknown: it fails, decided or not */
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_FAIL);
	CU_ASSERT(has(r, X_OUTCOME, "SUT reports delivered"));
	score_result_free(r);
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_FAIL);
	score_result_free(r);

	/* no connection and no status: not attempted */
	tcase_good(&t);
	t.nconns = 0;
	t.in.sut = SCN_SUT_UNKNOWN;
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_NOT_ATTEMPTED);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_FAIL);
	score_result_free(r);

	/* connections but no message and no status: unknown */
	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.in.sut = SCN_SUT_UNKNOWN;
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_UNKNOWN);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_INCONCLUSIVE);
	score_result_free(r);
}

/* test_undecided - positive expectations not yet met are inconclusive;
   never-expectations without a violation too. */
static void
test_undecided(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.nconns = 0;
	t.nqueries = 0;
	t.in.sut = SCN_SUT_UNKNOWN;
	t.in.decided = 0;
	t.in.undecided_reason = "window of 60 s ended";
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_NOT_ATTEMPTED);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_CONNECT), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_MAIL_TLS,
	    "not decided: window of 60 s ended; the "
	    "SUT made no connection to any MX"));
	CU_ASSERT(has(r, X_MAIL_TLS, "window of 60 s ended"));
	CU_ASSERT_EQUAL(r->verdict, SCORE_INCONCLUSIVE);
	score_result_free(r);
	t.in.undecided_reason = NULL;
	r = run(&t);
	CU_ASSERT(has(r, X_MAIL_TLS, "not decided: the SUT never tried"));
	score_result_free(r);

	/* deferred but undecided: outcome inconclusive, a sighting final */
	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.conns[0].t_end = 0;
	t.in.sut = SCN_SUT_DEFERRED;
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_PASS);
	score_result_free(r);
}

/* test_conflict - a sighting by either source fails a "never"; sources
   disagreeing on a pass claim make it inconclusive. */
static void
test_conflict(void)
{
	struct tcase t;
	struct score_result *r;

	/* The capture saw MAIL FROM in clear that fakemx did not log. */
	tcase_good(&t);
	with_capture(&t);
	t.cconns[0].mail_tls = 0;
	t.cconns[0].msg_tls = 0;
	t.cconns[0].mail_plain = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	CU_ASSERT_PTR_NULL(r->exps[X_NEVER_PLAIN_MAIL].reason);
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL,
	    "capture: MAIL FROM in clear at mx1 (127.25.0.1) on "
	    "the connection from 127.0.0.1:40000"));
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL, "fakemx's log: none"));
	/* what both agree on stays judged */
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_CONNECT), SCORE_PASS);
	score_result_free(r);

	/* SNI: logs say mx1..., the capture says another name */
	tcase_good(&t);
	with_capture(&t);
	t.cconns[0].sni = (char *)"evil.test";
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_FAIL);
	CU_ASSERT(has(r, X_SNI, "capture: 1 ClientHello, 0 with SNI"));
	CU_ASSERT(has(r, X_SNI, "SNI evil.test"));
	score_result_free(r);

	/* the capture saw a (right) ClientHello the log did not: the
	   sources disagree, inconclusive with both named */
	tcase_good(&t);
	t.conns[0].client_hello = 0;
	t.conns[0].tls_ok = 0;
	t.conns[0].sni = NULL;
	with_capture(&t);
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_SNI, "logs: 0 ClientHellos"));
	score_result_free(r);

	/* A complete capture without the TLSA query fakedns logged. */
	tcase_good(&t);
	t.with_cap = 1;
	t.in.cap_complete = 1;
	t.cconns[0] = good_conn(0);
	t.ncconns = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_QUERY, "logs: 1 query; capture: none"));
	score_result_free(r);

	/* An incomplete capture missing it is no contradiction. */
	t.in.cap_complete = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_PASS);
	score_result_free(r);

	/* A capture with a gap in the stream cannot contradict the logs. */
	tcase_good(&t);
	t.conns[0].mail_plain = 1;
	with_capture(&t);
	t.cconns[0].gap = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	score_result_free(r);
	/* ... and without the gap a capture that missed it cannot turn a
	   sighting into an unknown either. */
	t.cconns[0].gap = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL,
	    "received in clear at mx1 (127.25.0.1) on connection 7; "
	    "capture: did not see it"));
	score_result_free(r);

	/* The capture saw a connection to the trap that fakemx did not. */
	tcase_good(&t);
	t.with_cap = 1;
	t.cconns[0] = good_conn(0);
	t.cconns[1] = good_conn(0);
	t.cconns[1].host = (char *)"trap";
	t.ncconns = 2;
	t.cqueries[0] = tlsa_q;
	t.ncqueries = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_CONNECT), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_CONNECT, "capture: TCP connection to trap"));
	score_result_free(r);
}

/*
 * test_421 - Postfix at smtp_tls_security_level=may on a DANE MX that
 * answers STARTTLS with 421: fakemx logged the 421 and closed, and
 * nothing after; the capture has the MAIL FROM the sender still sent in
 * clear. A forbidden event seen by one source fails: FAIL, not
 * inconclusive. The same for never query and never connect.
 */
static void
test_421(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	memset(&t.conns[0], 0, sizeof(t.conns[0]));
	t.conns[0].id = 7;
	t.conns[0].host = (char *)"mx1";
	t.conns[0].client = (char *)"127.0.0.1:40000";
	t.conns[0].t_start = 10;
	t.conns[0].t_end = 10.5;
	t.conns[0].starttls_sent = 1;
	t.conns[0].starttls_code = 421;
	t.in.sut = SCN_SUT_DEFERRED;
	with_capture(&t);
	t.cconns[0] = t.conns[0];
	t.cconns[0].id = 0;
	t.cconns[0].mail_plain = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	CU_ASSERT_PTR_NULL(r->exps[X_NEVER_PLAIN_MAIL].reason);
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL, "capture: MAIL FROM in clear"));
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL, "fakemx's log: none"));
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_DATA), SCORE_PASS);
	CU_ASSERT_EQUAL(r->verdict, SCORE_FAIL);
	score_result_free(r);

	/* a query only the capture saw fails never query */
	t.cqueries[1] = tlsa_q;
	t.cqueries[1].qname = (char *)"kinds.test.";
	t.cqueries[1].qtype = (char *)"AAAA";
	t.ncqueries = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_QUERY), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_QUERY, "capture: the resolver asked"));
	CU_ASSERT(has(r, X_NEVER_QUERY, "fakedns's log: none"));
	score_result_free(r);

	/* an incomplete capture's sighting is a sighting all the same */
	t.in.cap_complete = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_QUERY), SCORE_FAIL);
	score_result_free(r);
}

/* test_early - a command before the reply it waits for fails never
   early-command; only fakemx's log can see it. */
static void
test_early(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].early = 2;
	snprintf(t.conns[0].early_verb, sizeof(t.conns[0].early_verb), "MAIL");
	snprintf(t.conns[0].early_wait, sizeof(t.conns[0].early_wait), "EHLO");
	with_capture(&t);
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_EARLY), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_EARLY,
	    "MAIL sent before fakemx had written its reply to EHLO "
	    "(2 such commands) at mx1 (127.25.0.1) on connection 7"));
	score_result_free(r);

	tcase_good(&t);
	t.in.have_smtp = 0;
	t.nconns = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_EARLY), SCORE_ERROR);
	score_result_free(r);
}

/* test_after_tls - pipelining or BDAT inside TLS fails the kinds that
   judge what the sender kept from before TLS; only the log sees them. */
static void
test_after_tls(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.conns[0].pipelined_tls = 2;
	snprintf(t.conns[0].pipe_verb, sizeof(t.conns[0].pipe_verb), "RCPT");
	snprintf(t.conns[0].pipe_after, sizeof(t.conns[0].pipe_after), "MAIL");
	t.conns[0].bdat_tls = 1;
	with_capture(&t);
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PIPE), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_PIPE,
	    "RCPT sent inside TLS before fakemx had written its reply to "
	    "MAIL (2 such commands) at mx1 (127.25.0.1) on connection 7"));
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BDAT), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_BDAT,
	    "BDAT inside TLS at mx1 (127.25.0.1) on connection 7"));
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_EARLY), SCORE_PASS);
	score_result_free(r);

	/* a connection to another host is not this host's */
	tcase_good(&t);
	t.conns[0].host = (char *)"trap";
	t.conns[0].pipelined_tls = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PIPE), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BDAT), SCORE_PASS);
	score_result_free(r);
}

/* test_stub_cd - a query of the SUT to its resolver with CD=1 in the
   capture fails never stub-cd, whatever else the capture holds; the
   resolver's own queries with CD=1 do not count, nor does CD=1 from a
   SUT that asks for DNSKEY records (it validates); without a capture,
   with an incomplete one, without any query of the SUT or with a query
   whose CD bit is unknown it is inconclusive, never a pass. */
static void
test_stub_cd(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	with_capture(&t);
	t.cqueries[2] = stub_q;
	t.cqueries[2].qname = (char *)"_25._tcp.mx1.kinds.test.";
	t.cqueries[2].qtype = (char *)"TLSA";
	t.cqueries[2].rcode = (char *)"SERVFAIL";
	t.cqueries[2].cd = 1;
	t.ncqueries = 3;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_STUB_CD,
	    "capture: the SUT asked its resolver "
	    "_25._tcp.mx1.kinds.test./TLSA with CD=1, answer SERVFAIL; 1 of "
	    "its 2 queries had CD=1"));
	score_result_free(r);

	/* a sighting in an incomplete capture is a sighting all the same */
	t.in.cap_complete = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_FAIL);
	score_result_free(r);

	/* the resolver's queries to the name servers carry CD=1: not the
	   SUT's */
	tcase_good(&t);
	with_capture(&t);
	t.cqueries[0].cd = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_PASS);
	CU_ASSERT(has(r, X_NEVER_STUB_CD,
	    "capture: 1 query of the SUT to its resolver, none with CD=1"));
	score_result_free(r);

	/* a SUT that asks for DNSKEY records validates itself: CD=1 is
	   what RFC 4035 §4.9.2 asks of it */
	tcase_good(&t);
	with_capture(&t);
	t.cqueries[1].cd = 1;
	t.cqueries[2] = stub_q;
	t.cqueries[2].qtype = (char *)"DNSKEY";
	t.cqueries[2].cd = 1;
	t.ncqueries = 3;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_PASS);
	CU_ASSERT(has(r, X_NEVER_STUB_CD,
	    "the SUT asked its resolver kinds.test./DNSKEY: it validates "
	    "itself"));
	score_result_free(r);

	/* no capture: only the capture can tell */
	tcase_good(&t);
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_NEVER_STUB_CD, "only the capture"));
	score_result_free(r);

	/* an incomplete capture without one */
	tcase_good(&t);
	with_capture(&t);
	t.in.cap_complete = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_NEVER_STUB_CD, "incomplete"));
	score_result_free(r);

	/* no query of the SUT at all: nothing to judge */
	tcase_good(&t);
	with_capture(&t);
	t.ncqueries = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_NEVER_STUB_CD, "no query of the SUT"));
	score_result_free(r);

	/* a query whose CD bit is not known */
	tcase_good(&t);
	with_capture(&t);
	t.cqueries[1].cd = -1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_NEVER_STUB_CD, "CD bit of some query"));
	score_result_free(r);

	/* not decided in time */
	tcase_good(&t);
	with_capture(&t);
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_STUB_CD), SCORE_INCONCLUSIVE);
	score_result_free(r);
}

/* test_sslv2 - an SSL 2.0-compatible hello in the capture fails never
   sslv2-hello; without a capture, with an incomplete one or a lost first
   record it is inconclusive, never a pass. */
static void
test_sslv2(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	with_capture(&t);
	t.cconns[0].hello_fmt = FACTS_HELLO_SSLV2;
	t.cconns[0].client = (char *)"127.0.0.1:40000";
	snprintf(t.cconns[0].tls_offered, sizeof(t.cconns[0].tls_offered),
	    "TLSv1.2");
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_SSLV2,
	    "capture: SSL 2.0-compatible ClientHello (offering TLSv1.2, no "
	    "SNI) to mx1 (127.25.0.1) on the connection from "
	    "127.0.0.1:40000"));
	score_result_free(r);

	/* an incomplete capture's sighting is a sighting all the same */
	t.in.cap_complete = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_FAIL);
	score_result_free(r);

	/* no capture: only the capture can tell */
	tcase_good(&t);
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_NEVER_SSLV2, "only the capture"));
	score_result_free(r);

	/* an incomplete capture without one */
	tcase_good(&t);
	with_capture(&t);
	t.in.cap_complete = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_INCONCLUSIVE);
	score_result_free(r);

	/* a gap where the first record should be */
	tcase_good(&t);
	with_capture(&t);
	t.cconns[0].hello_fmt = FACTS_HELLO_NONE;
	t.cconns[0].gap = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_NEVER_SSLV2, "lost the client's first record"));
	score_result_free(r);

	/* neither TLS nor SSL 2.0 (clear text after the 220) passes it */
	tcase_good(&t);
	with_capture(&t);
	t.cconns[0].hello_fmt = FACTS_HELLO_OTHER;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_PASS);
	CU_ASSERT(has(r, X_NEVER_SSLV2, "neither TLS nor SSL 2.0 on 1"));
	score_result_free(r);

	/* undecided: no pass yet */
	tcase_good(&t);
	with_capture(&t);
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_SSLV2), SCORE_INCONCLUSIVE);
	score_result_free(r);
}

/* test_missing_log - our own log missing is an error, not a verdict on
   the SUT; a violation the capture saw still fails. */
static void
test_missing_log(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.in.have_smtp = 0;
	t.nconns = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_ERROR);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_ERROR);
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL, "smtp.jsonl missing"));
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_PASS);
	CU_ASSERT_EQUAL(r->verdict, SCORE_ERROR);
	score_result_free(r);

	tcase_good(&t);
	t.in.have_smtp = 0;
	t.nconns = 0;
	t.with_cap = 1;
	t.cconns[0] = good_conn(0);
	t.cconns[0].mail_plain = 1;
	t.ncconns = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_PLAIN_MAIL, "capture: MAIL FROM in clear"));
	score_result_free(r);

	tcase_good(&t);
	t.in.have_dns = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_ERROR);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_QUERY), SCORE_ERROR);
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_PASS);
	score_result_free(r);
}

/* test_decided - when the run loop may stop waiting. */
static void
test_decided(void)
{
	struct facts_conn c[2];
	struct facts_scn fs;

	memset(&fs, 0, sizeof(fs));
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_UNKNOWN), 0);
	/* "delivered" with nothing stored is final too (and a failure) */
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_DELIVERED), 1);
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_DEFERRED), 1);
	c[0] = good_conn(1);
	c[1] = good_conn(2);
	c[0].msg_tls = 0;
	c[1].msg_tls = 0;
	c[1].t_end = 0;
	fs.conns = c;
	fs.nconns = 2;
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_DEFERRED), 0);
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_DELIVERED), 0);
	c[1].t_end = 20;
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_BOUNCED), 1);
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_UNKNOWN), 0);
	c[1].msg_plain = 1;
	c[1].t_end = 0;
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_UNKNOWN), 1);
	CU_ASSERT_EQUAL(scn_sut_from_str("deferred"), SCN_SUT_DEFERRED);
	CU_ASSERT_EQUAL(scn_sut_from_str("garbage"), SCN_SUT_UNKNOWN);
	CU_ASSERT_EQUAL(scn_sut_from_str(NULL), SCN_SUT_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(
	    score_verdict_str(SCORE_INCONCLUSIVE), "inconclusive");
}

/*
 * test_frozen - a message the SUT froze (never retried) with nothing
 * stored is never decided; the run loop ends the scenario at once and
 * its positive lines are inconclusive with the SUT's reason, a seen
 * violation still fails.
 */
static void
test_frozen(void)
{
	struct facts_conn c;
	struct facts_scn fs;
	struct score_result *r;
	struct tcase t;
	char *note = NULL;

	memset(&fs, 0, sizeof(fs));
	CU_ASSERT_EQUAL(score_frozen(&fs, SCN_SUT_FROZEN), 1);
	CU_ASSERT_EQUAL(score_frozen(&fs, SCN_SUT_DEFERRED), 0);
	CU_ASSERT_EQUAL(score_frozen(NULL, SCN_SUT_FROZEN), 1);
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_FROZEN), 0);
	c = good_conn(1);
	c.msg_tls = 0;
	fs.conns = &c;
	fs.nconns = 1;
	CU_ASSERT_EQUAL(score_frozen(&fs, SCN_SUT_FROZEN), 1);
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_FROZEN), 0);
	CU_ASSERT_EQUAL(
	    score_outcome(&fs, SCN_SUT_FROZEN, &note), SCN_OUT_DEFERRED);
	CU_ASSERT_PTR_NOT_NULL(strstr(note, "the SUT reports frozen"));
	free(note);
	/* a stored copy decides it whatever the SUT says */
	c.msg_tls = 1;
	CU_ASSERT_EQUAL(score_frozen(&fs, SCN_SUT_FROZEN), 0);
	CU_ASSERT_EQUAL(score_decided(&fs, SCN_SUT_FROZEN), 1);
	CU_ASSERT_EQUAL(scn_sut_from_str("frozen"), SCN_SUT_FROZEN);

	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.conns[0].mail_tls = 0;
	t.in.sut = SCN_SUT_FROZEN;
	t.in.decided = 0;
	t.in.undecided_reason = "the SUT froze the message (it is never "
	                        "retried): its delivery process died";
	r = run(&t);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_DEFERRED);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_OUTCOME, "froze the message"));
	CU_ASSERT(has(r, X_OUTCOME, "delivery process died"));
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_MAIL_TLS, "froze the message"));
	score_result_free(r);
	/* ... but MAIL in clear before it froze still fails */
	tcase_good(&t);
	t.conns[0].msg_tls = 0;
	t.conns[0].mail_tls = 0;
	t.conns[0].mail_plain = 1;
	t.in.sut = SCN_SUT_FROZEN;
	t.in.decided = 0;
	t.in.undecided_reason = "the SUT froze the message";
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	score_result_free(r);
}

/* tcase_captured - tcase_good with a complete capture that agrees. */
static void
tcase_captured(struct tcase *t)
{
	tcase_good(t);
	t->with_cap = 1;
	t->in.cap_complete = 1;
	t->cconns[0] = good_conn(0);
	t->cconns[0].hello_fmt = FACTS_HELLO_TLS;
	t->ncconns = 1;
	t->cqueries[0] = tlsa_q;
	t->cqueries[1] = stub_q;
	t->ncqueries = 2;
}

/* test_capture_disagree - a connection the capture check marked makes
   pass claims about its host inconclusive, never a failure, never a DNS
   claim. */
static void
test_capture_disagree(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_captured(&t);
	t.cconns[0].tls_ok = 0;
	t.conns[0].cap_disagree = 1;
	snprintf(t.conns[0].cap_diff, sizeof(t.conns[0].cap_diff),
	    "tls_ok: logs 1, capture 0");
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_MAIL_TLS), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_MAIL_TLS,
	    "the event log and the capture disagree on connection 7 to "
	    "mx1 (127.25.0.1) from 127.0.0.1:40000: tls_ok: logs 1, "
	    "capture 0"));
	/* the evidence of the claim is kept beside the reason */
	CU_ASSERT(has(r, X_MAIL_TLS, "received inside TLS"));
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_OUTCOME), SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_INCONCLUSIVE);
	/* another host and the DNS are not concerned */
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_CONNECT), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_MAIL), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_QUERY), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_QUERY), SCORE_PASS);
	score_result_free(r);

	/* A failure stays a failure: MAIL FROM in clear was logged. */
	t.conns[0].mail_plain = 1;
	t.cconns[0].mail_plain = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_PLAIN_MAIL), SCORE_FAIL);
	score_result_free(r);

	/* A connection only the capture has (marked there) counts too. */
	tcase_captured(&t);
	t.cconns[1] = good_conn(0);
	t.cconns[1].client = (char *)"127.0.0.1:40002";
	t.cconns[1].cap_disagree = 1;
	snprintf(t.cconns[1].cap_diff, sizeof(t.cconns[1].cap_diff),
	    "fakemx logged no such connection");
	t.ncconns = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, X_SNI,
	    "the connection from 127.0.0.1:40002 to mx1 (127.25.0.1): "
	    "fakemx logged no such connection"));
	score_result_free(r);
}

/* test_sni_gap - a capture with a gap to the host, which lost the
   ClientHello, does not contradict the SNI fakemx logged. */
static void
test_sni_gap(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_captured(&t);
	t.cconns[0].client_hello = 0;
	t.cconns[0].sni = NULL;
	t.cconns[0].gap = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_PASS);
	score_result_free(r);
	/* without the gap, the missing hello is a contradiction */
	t.cconns[0].gap = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_SNI), SCORE_INCONCLUSIVE);
	score_result_free(r);
}

/*
 * test_messages - a scenario of two messages: each outcome line judges
 * the message its message=K names (none: message 1) on the stored
 * copies with that Message-ID and on the SUT's word about it.
 */
static void
test_messages(void)
{
	static const char text[] =
	    "format 1\nid msg\ntitle Messages\nrequirements R-2.2-a\n"
	    "severity security\nattempts 2\nmessages 2\n"
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\nend\n"
	    "mx mx1\nend\n"
	    "expect outcome delivered-tls\n"
	    "expect outcome deferred message=2\n"
	    "expect never mail mx1 attempts=2\n";
	struct scn_errors errs = {NULL, 0};
	struct facts_stored st1 = {(char *)"<m1@x>", (char *)"mail/m-7.eml", 1};
	struct facts_stored st2 = {(char *)"<m2@x>", (char *)"mail/m-8.eml", 1};
	struct facts_conn conns[2];
	struct facts_scn logs, *v;
	struct score_msg msgs[2] = {
	    {"<m1@x>", SCN_SUT_DELIVERED}, {"<m2@x>", SCN_SUT_DEFERRED}};
	struct score_input in;
	struct score_result *r;
	struct scn *s;
	const double started[] = {9.0, 20.0};
	const int n[] = {1, 2};

	s = scn_parse_buf("msg.scn", text, strlen(text), &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(errs.n, 0);
	/* attempt 1 stored message 1; attempt 2 made MAIL, stored nothing */
	conns[0] = good_conn(7);
	conns[0].stored = &st1;
	conns[0].nstored = 1;
	conns[1] = good_conn(8);
	conns[1].t_start = 21;
	conns[1].t_end = 22;
	conns[1].msg_tls = 0;
	conns[1].msg_file = NULL;
	memset(&logs, 0, sizeof(logs));
	logs.scn = s;
	logs.conns = conns;
	logs.nconns = 2;
	facts_set_attempts(&logs, started, n, 2);

	/* the view of one message keeps the connections, not the others'
	 * stored copies */
	v = facts_of_message(&logs, "<m2@x>");
	CU_ASSERT_EQUAL_FATAL(v->nconns, 2);
	CU_ASSERT_EQUAL(v->conns[0].msg_tls, 0);
	CU_ASSERT_PTR_NULL(v->conns[0].msg_file);
	CU_ASSERT_EQUAL(v->conns[1].mail_tls, 1);
	facts_view_free(v);
	v = facts_of_message(&logs, "<m1@x>");
	CU_ASSERT_EQUAL(v->conns[0].msg_tls, 1);
	CU_ASSERT_STRING_EQUAL(v->conns[0].msg_file, "mail/m-7.eml");
	facts_view_free(v);

	memset(&in, 0, sizeof(in));
	in.s = s;
	in.logs = &logs;
	in.have_smtp = in.have_dns = 1;
	in.sut = SCN_SUT_DELIVERED;
	in.decided = 1;
	in.msgs = msgs;
	in.nmsgs = 2;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL_FATAL(r->nexps, 3);
	CU_ASSERT_EQUAL_FATAL(r->nmsgs, 2);
	CU_ASSERT_EQUAL(r->outcome, SCN_OUT_DELIVERED_TLS);
	CU_ASSERT_EQUAL(r->msgs[0].outcome, SCN_OUT_DELIVERED_TLS);
	CU_ASSERT_EQUAL(r->msgs[1].outcome, SCN_OUT_DEFERRED);
	CU_ASSERT_EQUAL(verdict_of(r, 0), SCORE_PASS);
	CU_ASSERT(has(r, 0, "message 1: outcome delivered-tls"));
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_PASS);
	CU_ASSERT(has(r, 1, "message 2: outcome deferred"));
	/* MAIL FROM at mx1 in attempt 2, though nothing was stored */
	CU_ASSERT_EQUAL(verdict_of(r, 2), SCORE_FAIL);
	score_result_free(r);

	/* message 2 stored too (on the second connection): delivered */
	conns[1].stored = &st2;
	conns[1].nstored = 1;
	conns[1].msg_tls = 1;
	msgs[1].sut = SCN_SUT_DELIVERED;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL(r->msgs[1].outcome, SCN_OUT_DELIVERED_TLS);
	CU_ASSERT(has(r, 1, "mail/m-8.eml"));
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_FAIL);
	score_result_free(r);

	/* message 2 stored on message 1's connection only counts for 2 */
	conns[0].stored = (struct facts_stored[]){st1, st2};
	conns[0].nstored = 2;
	conns[1].stored = NULL;
	conns[1].nstored = 0;
	conns[1].msg_tls = 0;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL(r->msgs[0].outcome, SCN_OUT_DELIVERED_TLS);
	CU_ASSERT_EQUAL(r->msgs[1].outcome, SCN_OUT_DELIVERED_TLS);
	score_result_free(r);

	/* a run.json without messages: message 2 is not known */
	in.msgs = NULL;
	in.nmsgs = 0;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL(r->nmsgs, 0);
	CU_ASSERT_EQUAL(verdict_of(r, 0), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, 1, "run.json lists no message 2"));
	score_result_free(r);
	scn_free(s);
	scn_errors_free(&errs);
}

/*
 * test_attempts - lines with attempts= are judged on the events of those
 * attempts only: MAIL FROM inside TLS in attempt 1 (answered 451) and
 * again in attempt 2 (stored), the TLSA query only in attempt 1.
 */
static void
test_attempts(void)
{
	static const char text[] =
	    "format 1\nid att\ntitle Attempts\nrequirements R-2.2-a\n"
	    "severity security\nattempts 2\n"
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\nend\n"
	    "mx mx1\nend\n"
	    "expect outcome deferred\n"
	    "expect never mail mx1 attempts=2\n"
	    "expect never mail mx1 attempts=1\n"
	    "expect mail-tls mx1 attempts=1\n"
	    "expect mail-tls mx1 attempts=2-\n"
	    "expect query _25._tcp.mx1.att.test TLSA attempts=2\n"
	    "expect never mail mx1\n";
	struct scn_errors errs = {NULL, 0};
	struct facts_conn conns[2], cconns[2];
	struct facts_query q = tlsa_q;
	struct facts_scn logs, cap;
	struct score_input in;
	struct score_result *r;
	struct scn *s;
	const double started[] = {9.0, 20.0};
	const int n[] = {1, 2};

	s = scn_parse_buf("att.scn", text, strlen(text), &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	conns[0] = good_conn(7);
	conns[0].msg_tls = 0;
	conns[0].msg_file = NULL;
	conns[1] = good_conn(8);
	conns[1].t_start = 21;
	conns[1].t_end = 22;
	q.qname = (char *)"_25._tcp.mx1.att.test.";
	memset(&logs, 0, sizeof(logs));
	logs.scn = s;
	logs.conns = conns;
	logs.nconns = 2;
	logs.queries = &q;
	logs.nqueries = 1;
	cap = logs;
	memcpy(cconns, conns, sizeof(cconns));
	cconns[0].id = cconns[1].id = 0;
	cap.conns = cconns;
	cap.queries = NULL;
	cap.nqueries = 0;
	facts_set_attempts(&logs, started, n, 2);
	facts_set_attempts(&cap, started, n, 2);
	CU_ASSERT_EQUAL(conns[0].attempt, 1);
	CU_ASSERT_EQUAL(conns[1].attempt, 2);
	CU_ASSERT_EQUAL(q.attempt, 1); /* at 5.0: before attempt 1's start */
	memset(&in, 0, sizeof(in));
	in.s = s;
	in.logs = &logs;
	in.have_smtp = in.have_dns = 1;
	in.sut = SCN_SUT_DELIVERED;
	in.decided = 1;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL_FATAL(r->nexps, 7);
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_FAIL);
	CU_ASSERT(has(r, 1, "in attempt 2: MAIL FROM"));
	CU_ASSERT(has(r, 1, "on connection 8"));
	CU_ASSERT_EQUAL(verdict_of(r, 2), SCORE_FAIL);
	CU_ASSERT(has(r, 2, "in attempt 1: MAIL FROM"));
	CU_ASSERT(has(r, 2, "on connection 7"));
	CU_ASSERT_EQUAL(verdict_of(r, 3), SCORE_PASS);
	CU_ASSERT(has(r, 3, "connection 7"));
	CU_ASSERT_EQUAL(verdict_of(r, 4), SCORE_PASS);
	CU_ASSERT(has(r, 4, "in attempts 2 and later: "));
	CU_ASSERT(has(r, 4, "connection 8"));
	/* the query came in attempt 1 only */
	CU_ASSERT_EQUAL(verdict_of(r, 5), SCORE_FAIL);
	CU_ASSERT(has(r, 5, "in attempt 2: no query"));
	score_result_free(r);

	/* only attempt 1 had MAIL: the retry's line passes */
	conns[1].mail_tls = conns[1].msg_tls = 0;
	cconns[1].mail_tls = cconns[1].msg_tls = 0;
	in.sut = SCN_SUT_DEFERRED;
	in.cap = &cap;
	in.cap_complete = 1;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL(verdict_of(r, 0), SCORE_PASS);
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_PASS);
	CU_ASSERT(has(r, 1, "in attempt 2: no MAIL FROM at mx1"));
	CU_ASSERT_EQUAL(verdict_of(r, 2), SCORE_FAIL);
	CU_ASSERT_EQUAL(verdict_of(r, 4), SCORE_FAIL);
	CU_ASSERT_EQUAL(verdict_of(r, 6), SCORE_FAIL);
	score_result_free(r);

	/* the capture alone saw MAIL FROM in clear on the retry */
	cconns[1].mail_plain = 1;
	r = score_scenario(&in);
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_FAIL);
	CU_ASSERT(has(r, 1, "in attempt 2: capture: MAIL FROM"));
	score_result_free(r);
	cconns[1].mail_plain = 0;

	/* no attempts known (an old run.json): inconclusive, not judged */
	facts_set_attempts(&logs, NULL, NULL, 0);
	facts_set_attempts(&cap, NULL, NULL, 0);
	r = score_scenario(&in);
	CU_ASSERT_EQUAL(verdict_of(r, 1), SCORE_INCONCLUSIVE);
	CU_ASSERT(has(r, 1, "cannot be given to attempts"));
	CU_ASSERT_EQUAL(verdict_of(r, 6), SCORE_FAIL);
	score_result_free(r);
	scn_free(s);
}

/* test_bad_sni - an address, a final dot, a U-label or two host_names
   in the server_name extension fail never bad-sni, whichever source saw
   it; no SNI is no violation. */
static void
test_bad_sni(void)
{
	static const struct {
		const char *sni;
		const char *why;
	} bad[] = {
	    {"127.25.0.1", "an IP address"},
	    {"[127.25.0.1]", "an IP address"},
	    {"2001:db8::1", "an IP address"},
	    {"mx1.kinds.test.", "a final dot"},
	    {"b\xc3\xbc"
	     "cher.kinds.test",
	        "bytes outside an ASCII host name"},
	    {"", "an empty host name"},
	};
	struct tcase t;
	struct score_result *r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tcase_good(&t);
		t.conns[0].sni = (char *)bad[i].sni;
		r = run(&t);
		CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BAD_SNI), SCORE_FAIL);
		CU_ASSERT(has(r, X_NEVER_BAD_SNI, bad[i].why));
		CU_ASSERT(has(r, X_NEVER_BAD_SNI, "on connection 7"));
		score_result_free(r);
	}

	/* only the capture counts the host_names of the list */
	tcase_good(&t);
	with_capture(&t);
	t.cconns[0].sni_names = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BAD_SNI), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_BAD_SNI,
	    "capture: ClientHello with SNI \"mx1.kinds.test\": more than one "
	    "host_name"));
	score_result_free(r);

	/* an A-label, and no SNI at all, break nothing */
	tcase_good(&t);
	with_capture(&t);
	t.conns[0].sni = t.cconns[0].sni = (char *)"xn--bcher-kva.kinds.test";
	t.cconns[0].sni_names = 1;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BAD_SNI), SCORE_PASS);
	score_result_free(r);
	tcase_good(&t);
	t.conns[0].sni = NULL;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BAD_SNI), SCORE_PASS);
	score_result_free(r);

	/* undecided, no log */
	tcase_good(&t);
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BAD_SNI), SCORE_INCONCLUSIVE);
	score_result_free(r);
	tcase_good(&t);
	t.in.have_smtp = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_BAD_SNI), SCORE_ERROR);
	score_result_free(r);
}

/* test_first_after_tls - another first command inside TLS fails; a
   session without one, or a handshake that did not complete, does not. */
static void
test_first_after_tls(void)
{
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	snprintf(t.conns[0].first_tls_verb, sizeof(t.conns[0].first_tls_verb),
	    "MAIL");
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_FIRST_TLS), SCORE_FAIL);
	CU_ASSERT(has(r, X_FIRST_TLS,
	    "first command inside TLS MAIL instead of EHLO at mx1 "
	    "(127.25.0.1) on connection 7"));
	score_result_free(r);

	/* closed without a command inside TLS; an aborted handshake */
	tcase_good(&t);
	t.conns[0].first_tls_verb[0] = '\0';
	t.conns[1] = good_conn(8);
	t.conns[1].tls_ok = 0;
	snprintf(t.conns[1].first_tls_verb, sizeof(t.conns[1].first_tls_verb),
	    "MAIL");
	t.nconns = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_FIRST_TLS), SCORE_PASS);
	CU_ASSERT(has(r, X_FIRST_TLS,
	    "the first command inside TLS EHLO on 0, none on 1"));
	score_result_free(r);

	/* another host's session is not judged here */
	tcase_good(&t);
	t.conns[0].host = (char *)"trap";
	snprintf(t.conns[0].first_tls_verb, sizeof(t.conns[0].first_tls_verb),
	    "QUIT");
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_FIRST_TLS), SCORE_PASS);
	score_result_free(r);

	tcase_good(&t);
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_FIRST_TLS), SCORE_INCONCLUSIVE);
	score_result_free(r);
	tcase_good(&t);
	t.in.have_smtp = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_FIRST_TLS), SCORE_ERROR);
	score_result_free(r);
}

/* test_literal_tlsa - a TLSA query for a name made of mx1's address,
   seen by the query log or the capture (the SUT asking its resolver),
   fails; other types and other addresses do not. */
static void
test_literal_tlsa(void)
{
	struct facts_query lit = {6.0, (char *)"_25._tcp.127.25.0.1.",
	    (char *)"TLSA", (char *)"NXDOMAIN", 1, 0, -1, NULL, 0, 0};
	struct tcase t;
	struct score_result *r;

	tcase_good(&t);
	t.queries[1] = lit;
	t.nqueries = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_LITERAL), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_LITERAL,
	    "the resolver (query log) asked _25._tcp.127.25.0.1./TLSA, "
	    "answer NXDOMAIN"));
	score_result_free(r);

	/* the SUT asking its resolver, bracketed, in the capture only */
	tcase_good(&t);
	with_capture(&t);
	t.cqueries[1] = lit;
	t.cqueries[1].qname = (char *)"_25._tcp.[127.25.0.1].";
	t.cqueries[1].to_sut = 1;
	t.ncqueries = 2;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_LITERAL), SCORE_FAIL);
	CU_ASSERT(has(r, X_NEVER_LITERAL, "the SUT (capture) asked"));
	score_result_free(r);

	/* an A query, or the trap's address, is not mx1's literal TLSA */
	tcase_good(&t);
	t.queries[1] = lit;
	t.queries[1].qtype = (char *)"A";
	t.queries[2] = lit;
	t.queries[2].qname = (char *)"_25._tcp.127.25.0.2.";
	t.nqueries = 3;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_LITERAL), SCORE_PASS);
	score_result_free(r);

	tcase_good(&t);
	t.in.decided = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_LITERAL), SCORE_INCONCLUSIVE);
	score_result_free(r);
	tcase_good(&t);
	t.in.have_dns = 0;
	r = run(&t);
	CU_ASSERT_EQUAL(verdict_of(r, X_NEVER_LITERAL), SCORE_ERROR);
	score_result_free(r);

	/* the names are given to the scenario by the address they spell */
	CU_ASSERT_TRUE(facts_name_spells("_25._tcp.127.25.0.1.", "127.25.0.1"));
	CU_ASSERT_TRUE(
	    facts_name_spells("_25._tcp.[127.25.0.1]", "127.25.0.1"));
	CU_ASSERT_TRUE(facts_name_spells("127.25.0.1", "127.25.0.1"));
	CU_ASSERT_FALSE(
	    facts_name_spells("_25._tcp.127.25.0.10.", "127.25.0.1"));
	CU_ASSERT_FALSE(facts_name_spells("x127.25.0.1.", "127.25.0.1"));
	CU_ASSERT_EQUAL(facts_literal_scn(&kworld, "_25._tcp.127.25.0.2."), 0);
	CU_ASSERT_EQUAL(facts_literal_scn(&kworld, "_25._tcp.127.25.0.9."), -1);
	CU_ASSERT_EQUAL(facts_literal_scn(NULL, "_25._tcp.127.25.0.1."), -1);
}

/* The order fixture: a host's address before its TLSA (types A,AAAA),
   and a secure CNAME's expanded TLSA before the original name's. */
static const char order_scn[] =
    "format 1\n"
    "id kinds\n"
    "title Query order\n"
    "requirements R-2.2.2-c\n"
    "severity interop\n"
    "zone ${DOMAIN}\n"
    "@   MX 10 mx1\n"
    "mx1 A  ${ADDR(mx1)}\n"
    "end\n"
    "mx mx1\n"
    "end\n"
    "expect outcome delivered-tls\n"
    "expect query-order mx1.${DOMAIN} A,AAAA _25._tcp.mx1.${DOMAIN} TLSA\n"
    "expect query-order _25._tcp.x.${DOMAIN} TLSA _25._tcp.mx1.${DOMAIN} "
    "TLSA attempts=2\n";

/* oq - a query at time t (to_sut: the SUT asking its resolver). */
static struct facts_query
oq(double t, const char *name, const char *type, int to_sut)
{
	struct facts_query q = tlsa_q;

	q.t = t;
	q.qname = (char *)name;
	q.qtype = (char *)type;
	q.to_sut = to_sut;
	q.attempt = 1;
	return q;
}

/* order_run - score the order fixture with these log and capture
   queries (cap NULL: no capture); the first order line's verdict, its
   evidence or reason checked to hold want (NULL: not checked). */
static enum score_verdict
order_run(struct scn *os, const struct facts_query *lq, size_t nl,
    const struct facts_query *cq, size_t nc, int with_cap, int decided,
    const char *want)
{
	struct tcase t;
	struct score_result *r;
	enum score_verdict v;

	tcase_good(&t);
	memcpy(t.queries, lq, nl * sizeof(*lq));
	t.nqueries = nl;
	if (with_cap) {
		with_capture(&t);
		memcpy(t.cqueries, cq, nc * sizeof(*cq));
		t.ncqueries = nc;
	}
	t.in.decided = decided;
	r = run_scn(&t, os);
	v = r->exps[1].verdict;
	if (want != NULL && !has(r, 1, want)) {
		fprintf(stderr, "order: want \"%s\" in \"%s\" / \"%s\"\n", want,
		    r->exps[1].evidence ? r->exps[1].evidence : "",
		    r->exps[1].reason ? r->exps[1].reason : "");
		CU_FAIL("evidence");
	}
	score_result_free(r);
	return v;
}

/*
 * test_query_order - expect query-order: in order, only the first, the
 * second first or alone, either of a type list, equal times, the SUT's
 * own queries (capture) deciding over the resolver's (query log), the
 * two disagreeing, neither asked, and the parser's checks.
 */
static void
test_query_order(void)
{
	static const char *const a = "mx1.kinds.test.",
	                         *t = "_25._tcp.mx1.kinds.test.";
	struct scn_errors errs = {NULL, 0};
	struct facts_query l[4], c[4];
	struct scn *os;

	os = scn_parse_buf("kinds.scn", order_scn, strlen(order_scn), &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(os);

	/* the query log alone: A then TLSA passes, TLSA first fails */
	l[0] = oq(5.0, a, "A", 0);
	l[1] = oq(5.2, t, "TLSA", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 2, NULL, 0, 0, 1,
	                    "asked first, _25._tcp.mx1.kinds.test/TLSA "
	                    "0.200 s later"),
	    SCORE_PASS);
	l[0] = oq(5.0, t, "TLSA", 0);
	l[1] = oq(5.2, a, "A", 0);
	CU_ASSERT_EQUAL(
	    order_run(os, l, 2, NULL, 0, 0, 1, "0.200 s before"), SCORE_FAIL);
	/* the TLSA alone, never the address: fails; the address alone
	   (an insecure host: no TLSA) passes */
	CU_ASSERT_EQUAL(order_run(os, l, 1, NULL, 0, 0, 1,
	                    "TLSA asked, mx1.kinds.test/A,AAAA never"),
	    SCORE_FAIL);
	CU_ASSERT_EQUAL(
	    order_run(os, l + 1, 1, NULL, 0, 0, 1, "TLSA never"), SCORE_PASS);
	/* either type of the list counts: AAAA first, then TLSA, then A */
	l[0] = oq(5.0, a, "AAAA", 0);
	l[1] = oq(5.1, t, "TLSA", 0);
	l[2] = oq(5.2, a, "A", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 3, NULL, 0, 0, 1, "/AAAA asked first"),
	    SCORE_PASS);
	/* a type outside the list does not: MX of the name, then TLSA */
	l[0] = oq(5.0, a, "MX", 0);
	CU_ASSERT_EQUAL(
	    order_run(os, l, 2, NULL, 0, 0, 1, "A,AAAA never"), SCORE_FAIL);
	/* a gap under a millisecond is said so */
	l[0] = oq(5.0, a, "A", 0);
	l[1] = oq(5.0004, t, "TLSA", 0);
	CU_ASSERT_EQUAL(
	    order_run(os, l, 2, NULL, 0, 0, 1, "TLSA under 1 ms later"),
	    SCORE_PASS);
	/* equal times: no order invented */
	l[0] = oq(5.0, a, "A", 0);
	l[1] = oq(5.0, t, "TLSA", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 2, NULL, 0, 0, 1, "same instant"),
	    SCORE_INCONCLUSIVE);

	/* the capture: the SUT's own order decides */
	l[0] = oq(5.0, a, "A", 0);
	l[1] = oq(5.2, t, "TLSA", 0);
	c[0] = oq(4.9, t, "TLSA", 1);
	c[1] = oq(4.95, a, "A", 1);
	CU_ASSERT_EQUAL(order_run(os, l, 2, c, 2, 1, 1,
	                    "the SUT (capture): _25._tcp.mx1.kinds.test/TLSA "
	                    "asked 0.050 s before"),
	    SCORE_FAIL);
	/* the SUT in order, the resolver's queries in the other: a cached
	   answer or a concurrent fetch, conflicting evidence */
	c[0] = oq(4.9, a, "A", 1);
	c[1] = oq(4.95, t, "TLSA", 1);
	l[0] = oq(5.0, t, "TLSA", 0);
	l[1] = oq(5.2, a, "A", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 2, c, 2, 1, 1, "conflicting evidence"),
	    SCORE_INCONCLUSIVE);
	/* both in order: pass */
	l[0] = oq(5.0, a, "A", 0);
	l[1] = oq(5.2, t, "TLSA", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 2, c, 2, 1, 1,
	                    "the resolver (query "
	                    "log): mx1.kinds.test/A "
	                    "asked first"),
	    SCORE_PASS);
	/* the SUT asked both in one instant: inconclusive whatever the log */
	c[1].t = c[0].t;
	CU_ASSERT_EQUAL(order_run(os, l, 2, c, 2, 1, 1, "the SUT asked both"),
	    SCORE_INCONCLUSIVE);
	/* the capture only: a forbidden order with no query log fails,
	   a pass claim without it is an error (the log is missing) */
	c[0] = oq(4.9, t, "TLSA", 1);
	c[1] = oq(4.95, a, "A", 1);
	CU_ASSERT_EQUAL(order_run(os, l, 0, c, 2, 1, 1, NULL), SCORE_FAIL);
	/* a complete capture without the SUT's queries, the log in order:
	   inconclusive; the log out of order: fails */
	c[0] = oq(4.9, "kinds.test.", "MX", 1);
	CU_ASSERT_EQUAL(
	    order_run(os, l, 2, c, 1, 1, 1, "the capture shows no such query"),
	    SCORE_INCONCLUSIVE);
	l[0] = oq(5.0, t, "TLSA", 0);
	l[1] = oq(5.2, a, "A", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 2, c, 1, 1, 1, NULL), SCORE_FAIL);

	/* neither asked: undecided, never tried, or nothing out of order */
	l[0] = oq(5.0, "kinds.test.", "MX", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 1, NULL, 0, 0, 0, "not decided"),
	    SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(order_run(os, l, 0, NULL, 0, 0, 1, "never tried"),
	    SCORE_INCONCLUSIVE);
	CU_ASSERT_EQUAL(
	    order_run(os, l, 1, NULL, 0, 0, 1, "neither"), SCORE_PASS);
	/* in order is final before the scenario is decided */
	l[0] = oq(5.0, a, "A", 0);
	CU_ASSERT_EQUAL(order_run(os, l, 1, NULL, 0, 0, 0, NULL), SCORE_PASS);

	scn_free(os);
	scn_errors_free(&errs);
}

/* test_query_order_parse - the arguments of query-order. */
static void
test_query_order_parse(void)
{
	static const char *const bad[][2] = {
	    {"expect query-order a.test A", "takes NAME1 TYPES1 NAME2 TYPES2"},
	    {"expect query-order a.test A,ANY b.test TLSA", "not ANY"},
	    {"expect query-order a.test A,,AAAA b.test TLSA", "empty RR type"},
	    {"expect query-order a.test A b.test BOGUS", "unknown RR type"},
	    {"expect query-order a.test A,AAAA A.test. AAAA",
	        "same query twice"},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct scn_errors errs = {NULL, 0};
		char *text =
		    xasprintf("format 1\nid kinds\ntitle t\n"
		              "requirements R-2.2.2-c\nseverity interop\n"
		              "%s\n",
		        bad[i][0]);
		struct scn *s =
		    scn_parse_buf("kinds.scn", text, strlen(text), &errs);

		CU_ASSERT_PTR_NULL(s);
		CU_ASSERT(
		    errs.n >= 1 && strstr(errs.msg[0], bad[i][1]) != NULL);
		if (errs.n >= 1 && strstr(errs.msg[0], bad[i][1]) == NULL)
			fprintf(stderr, "%s: %s\n", bad[i][0], errs.msg[0]);
		scn_free(s);
		scn_errors_free(&errs);
		free(text);
	}
}

static CU_TestInfo tests[] = {
    {"all_pass", test_all_pass},
    {"mail_plaintext", test_mail_plaintext},
    {"data_plaintext", test_data_plaintext},
    {"trap", test_trap},
    {"sni", test_sni},
    {"query", test_query},
    {"outcome", test_outcome},
    {"sut_says_delivered", test_sut_says_delivered},
    {"undecided", test_undecided},
    {"conflict", test_conflict},
    {"missing_log", test_missing_log},
    {"forbidden_seen_by_capture_421", test_421},
    {"early_command", test_early},
    {"after_tls", test_after_tls},
    {"sslv2", test_sslv2},
    {"stub-cd", test_stub_cd},
    {"decided", test_decided},
    {"frozen", test_frozen},
    {"capture_disagree", test_capture_disagree},
    {"sni_gap", test_sni_gap},
    {"attempts", test_attempts},
    {"messages", test_messages},
    {"bad_sni", test_bad_sni},
    {"first_after_tls", test_first_after_tls},
    {"literal_tlsa", test_literal_tlsa},
    {"query_order", test_query_order},
    {"query_order_parse", test_query_order_parse},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("score", suite_init, suite_clean, tests);
