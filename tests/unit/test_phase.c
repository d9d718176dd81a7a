/*
 * test_phase.c - phases: the attempts=/connections= qualifier
 * (lib/scn_when.c), its parsing on mx and dnsbreak lines (lib/scn_*.c),
 * the attempt state file, and the filter of each fake server
 * (fakemx/mx_phase.c, fakedns/dns_fault.c), and zone lines per attempt:
 * one signed version of the zone per attempt range, served by fakedns
 * in its attempts.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fakedns/dns_answer.h"
#include "fakedns/dns_fault.h"
#include "fakedns/dns_world.h"
#include "fakemx/mx_conf.h"
#include "fakemx/mx_phase.h"
#include "harness/run/phase.h"
#include "harness/world/world.h"
#include "harness/world/model.h"
#include "scn.h"
#include "scn_when.h"
#include "xmalloc.h"

/* test_when_parse - good and bad qualifiers, and their text form. */
static void
test_when_parse(void)
{
	static const struct {
		const char *word;
		int rc;
		enum scn_when_unit unit;
		int lo, hi;
		const char *text;
	} cases[] = {
	    {"attempts=1", 1, SCN_WHEN_ATTEMPTS, 1, 1, "attempts=1"},
	    {"attempts=2-", 1, SCN_WHEN_ATTEMPTS, 2, 0, "attempts=2-"},
	    {"attempts=2-3", 1, SCN_WHEN_ATTEMPTS, 2, 3, "attempts=2-3"},
	    {"connections=1", 1, SCN_WHEN_CONNECTIONS, 1, 1, "connections=1"},
	    {"connections=100", 1, SCN_WHEN_CONNECTIONS, 100, 100,
	        "connections=100"},
	    {"ms=5", 0, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempt=1", 0, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempts=0", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempts=", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempts=3-2", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempts=101", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempts=1x", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"attempts=-2", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	    {"connections=1-2-", -1, SCN_WHEN_ALWAYS, 0, 0, NULL},
	};
	struct scn_when w, back;
	char err[160], text[64];
	json_t *j;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&w, 0, sizeof(w));
		err[0] = '\0';
		CU_ASSERT_EQUAL(
		    scn_when_parse(cases[i].word, &w, err, sizeof(err)),
		    cases[i].rc);
		if (cases[i].rc < 0)
			CU_ASSERT(strstr(err, "want N, N-M or N-") != NULL);
		if (cases[i].rc != 1)
			continue;
		CU_ASSERT_EQUAL(w.unit, cases[i].unit);
		CU_ASSERT_EQUAL(w.lo, cases[i].lo);
		CU_ASSERT_EQUAL(w.hi, cases[i].hi);
		CU_ASSERT_STRING_EQUAL(
		    scn_when_format(&w, text, sizeof(text)), cases[i].text);
		/* the JSON hop keeps it */
		j = scn_when_json(&w);
		CU_ASSERT_EQUAL(
		    scn_when_from_json(j, &back, err, sizeof(err)), 0);
		CU_ASSERT(scn_when_same(&w, &back));
		json_decref(j);
	}
}

/* test_when_holds - the filter over attempts and connections. */
static void
test_when_holds(void)
{
	struct scn_when always = {SCN_WHEN_ALWAYS, 0, 0},
	                first = {SCN_WHEN_ATTEMPTS, 1, 1},
	                later = {SCN_WHEN_ATTEMPTS, 2, 0},
	                mid = {SCN_WHEN_ATTEMPTS, 2, 3},
	                conn1 = {SCN_WHEN_CONNECTIONS, 1, 1};
	char err[160];
	json_t *j;

	CU_ASSERT(scn_when_holds(&always, 1, 0));
	CU_ASSERT(scn_when_holds(&first, 1, 5));
	CU_ASSERT(!scn_when_holds(&first, 2, 1));
	CU_ASSERT(!scn_when_holds(&later, 1, 1));
	CU_ASSERT(scn_when_holds(&later, 2, 1));
	CU_ASSERT(scn_when_holds(&later, 10, 1));
	CU_ASSERT(!scn_when_holds(&mid, 1, 1));
	CU_ASSERT(scn_when_holds(&mid, 3, 1));
	CU_ASSERT(!scn_when_holds(&mid, 4, 1));
	CU_ASSERT(scn_when_holds(&conn1, 2, 1));
	CU_ASSERT(!scn_when_holds(&conn1, 1, 2));
	/* a connection number not known (DNS) never matches */
	CU_ASSERT(!scn_when_holds(&conn1, 1, 0));
	/* bad JSON is refused, null is "always" */
	j = json_pack("{s:s,s:i}", "unit", "attempts", "lo", 0);
	CU_ASSERT_EQUAL(scn_when_from_json(j, &first, err, sizeof(err)), -1);
	json_decref(j);
	j = json_pack("{s:s,s:i,s:i}", "unit", "attempts", "lo", 3, "hi", 2);
	CU_ASSERT_EQUAL(scn_when_from_json(j, &first, err, sizeof(err)), -1);
	json_decref(j);
	j = json_pack("{s:s,s:i}", "unit", "sometimes", "lo", 1);
	CU_ASSERT_EQUAL(scn_when_from_json(j, &first, err, sizeof(err)), -1);
	json_decref(j);
	CU_ASSERT_EQUAL(scn_when_from_json(NULL, &first, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(first.unit, SCN_WHEN_ALWAYS);
}

#define HDR "id t\ntitle x\nrequirements R-2.2-a\nseverity security\n"

/* parse - the scenario t.scn from text. */
static struct scn *
parse(const char *text, struct scn_errors *errs)
{
	return scn_parse_buf("t.scn", text, strlen(text), errs);
}

/* has_msg - whether some error contains part. */
static int
has_msg(const struct scn_errors *e, const char *part)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strstr(e->msg[i], part) != NULL)
			return 1;
	return 0;
}

/* test_scn_phases - qualified mx lines make phases, dnsbreak a when. */
static void
test_scn_phases(void)
{
	struct scn_errors errs = {NULL, 0};
	struct scn *s;
	const struct scn_mx *m;
	const struct scn_mx_phase *ph;

	s = parse(HDR "attempts 3\n"
	              "dnsbreak _25._tcp.mx1.${DOMAIN} TLSA servfail "
	              "attempts=1\n"
	              "dnsbreak mx1.${DOMAIN} A delay ms=5 attempts=2-\n"
	              "mx mx1\n"
	              "  starttls offer\n"
	              "  starttls strip attempts=1\n"
	              "  reply rcpt 451 4.7.1 try later connections=1\n"
	              "  starttls strip connections=1\n"
	              "  reply mail 452 \"a b attempts=1\" attempts=2\n"
	              "  reply banner 554 go away attempts=1\n"
	              "end\n",
	    &errs);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->attempts, 3);
	CU_ASSERT_EQUAL(s->nbreaks, 2);
	CU_ASSERT_EQUAL(s->breaks[0].when.unit, SCN_WHEN_ATTEMPTS);
	CU_ASSERT_EQUAL(s->breaks[0].when.hi, 1);
	CU_ASSERT_EQUAL(s->breaks[1].when.lo, 2);
	CU_ASSERT_EQUAL(s->breaks[1].when.hi, 0);
	CU_ASSERT_EQUAL(s->breaks[1].arg, 5);
	m = &s->mxs[0];
	CU_ASSERT_EQUAL(m->starttls, MXS_STLS_OFFER);
	CU_ASSERT_FALSE(m->reply[MXS_STAGE_RCPT].set);
	CU_ASSERT_EQUAL_FATAL(m->nphases, 3);
	ph = &m->phases[0];
	CU_ASSERT_EQUAL(ph->when.unit, SCN_WHEN_ATTEMPTS);
	CU_ASSERT(ph->set & SCN_PHASE_STARTTLS);
	CU_ASSERT_EQUAL(ph->over->starttls, MXS_STLS_STRIP);
	/* the reply text ends before the qualifier */
	CU_ASSERT_STRING_EQUAL(
	    ph->over->reply[MXS_STAGE_BANNER].text, "go away");
	ph = &m->phases[1];
	CU_ASSERT_EQUAL(ph->when.unit, SCN_WHEN_CONNECTIONS);
	CU_ASSERT_EQUAL(ph->over->reply[MXS_STAGE_RCPT].code, 451);
	CU_ASSERT_STRING_EQUAL(
	    ph->over->reply[MXS_STAGE_RCPT].text, "4.7.1 try later");
	CU_ASSERT_EQUAL(ph->over->starttls, MXS_STLS_STRIP);
	ph = &m->phases[2];
	/* a quoted text may hold what looks like a qualifier */
	CU_ASSERT_STRING_EQUAL(
	    ph->over->reply[MXS_STAGE_MAIL].text, "a b attempts=1");
	CU_ASSERT_FALSE(ph->set & SCN_PHASE_STARTTLS);
	scn_free(s);
	scn_errors_free(&errs);

	s = parse(HDR "dnsbreak a.${DOMAIN} TLSA servfail connections=1\n"
	              "dnsbreak a.${DOMAIN} TLSA rrsig-expired attempts=1\n"
	              "dnsbreak a.${DOMAIN} TLSA servfail attempts=0\n"
	              "attempts 11\n"
	              "mx mx1\n"
	              "  sni a.test c attempts=1\n"
	              "  tls-min 1.2 attempts=2-\n"
	              "  starttls strip attempts=1\n"
	              "  starttls mangle attempts=1\n"
	              "end\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(has_msg(&errs, "t.scn:5: dnsbreak takes attempts=, not "
	                         "connections="));
	CU_ASSERT(has_msg(&errs, "t.scn:6: 'rrsig-expired' is applied at "
	                         "signing time"));
	CU_ASSERT(has_msg(&errs, "t.scn:7: bad attempts '0'"));
	CU_ASSERT(has_msg(&errs, "t.scn:8: bad attempts '11'"));
	CU_ASSERT(has_msg(&errs, "t.scn:10: 'sni' cannot be qualified"));
	CU_ASSERT(has_msg(&errs, "t.scn:11: 'tls-min' cannot be qualified"));
	CU_ASSERT(has_msg(&errs, "t.scn:13: duplicate 'starttls' with the "
	                         "same qualifier"));
	scn_errors_free(&errs);
}

/* lint_says - HEAD and body parse, lint finds n problems, one of them
   containing msg. */
static void
lint_says(const char *head, const char *body, int n, const char *msg)
{
	struct scn_errors errs = {NULL, 0};
	struct scn *s;
	char *text = xasprintf(HDR "%s%s", head, body);

	s = parse(text, &errs);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(scn_lint(s, &errs), n);
	CU_ASSERT(has_msg(&errs, msg));
	if (!has_msg(&errs, msg))
		fprintf(stderr, "\n  want '%s'\n", msg);
	scn_free(s);
	scn_errors_free(&errs);
}

/* test_lint_phases - a qualifier no attempt reaches is a lint problem. */
static void
test_lint_phases(void)
{
	static const char body[] =
	    "cert mx1 cn=mx1.${DOMAIN}\n"
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\nend\n"
	    "dnsbreak mx1.${DOMAIN} A servfail attempts=3-\n"
	    "mx mx1\n  starttls strip attempts=2\n"
	    "  reply rcpt 451 x attempts=3\n  reply mail 451 x "
	    "connections=5\nend\n"
	    "expect outcome delivered-tls\nexpect never mail-plaintext\n";

	lint_says("attempts 2\n", body, 2,
	    "t.scn:11: dnsbreak with attempts=3- can never hold: the "
	    "scenario has 2 attempts (line 5)");
	lint_says("attempts 2\n", body, 2,
	    "t.scn:14: mx line with attempts=3 can never hold");
	lint_says("", body, 1,
	    "t.scn:10: dnsbreak holds only in some attempts, but the "
	    "scenario has no 'attempts N' header");
}

/* test_messages - "messages N" and message=K: parsed, and linted
   against the attempts header (message k is sent when attempt k
   opens). */
static void
test_messages(void)
{
	static const char body[] =
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\nend\n"
	    "mx mx1\nend\n"
	    "expect outcome delivered-tls\n"
	    "expect outcome deferred message=3\n"
	    "expect never mail mx1 attempts=2\n";
	struct scn_errors errs = {NULL, 0};
	struct scn *s;
	char *text;

	text = xasprintf(HDR "attempts 3\nmessages 3\n%s", body);
	s = parse(text, &errs);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_EQUAL(s->messages, 3);
	CU_ASSERT_EQUAL(s->messages_line, 6);
	CU_ASSERT_EQUAL(scn_messages(s), 3);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 3);
	CU_ASSERT_EQUAL(s->expects[0].message, 0);
	CU_ASSERT_EQUAL(scn_expect_message(&s->expects[0]), 1);
	CU_ASSERT_EQUAL(s->expects[1].message, 3);
	CU_ASSERT_EQUAL(scn_expect_message(&s->expects[1]), 3);
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 0);
	scn_free(s);
	scn_errors_free(&errs);

	/* no header: one message */
	text = xasprintf(HDR "%s", "expect outcome deferred\n");
	s = parse(text, &errs);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(scn_messages(s), 1);
	scn_free(s);
	scn_errors_free(&errs);

	lint_says("attempts 2\nmessages 3\n", body, 1,
	    "t.scn:6: 'messages 3' is more than the scenario's 2 attempts "
	    "(line 5): message k is sent when attempt k opens");
	lint_says("messages 3\n", body, 2,
	    "t.scn:5: 'messages 3' needs an 'attempts N' header (message k "
	    "is sent when attempt k opens)");
	lint_says("attempts 3\nmessages 2\n", body, 1,
	    "t.scn:14: message=3 can never hold: the scenario sends 2 "
	    "messages");
	lint_says("attempts 3\n", body, 1,
	    "t.scn:13: message=3 can never hold: the scenario sends 1 "
	    "message");
}

/* test_expect_when - attempts= on expect lines: parsed, refused where it
   means nothing, linted against the header's attempts. */
static void
test_expect_when(void)
{
	static const char body[] =
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\nend\n"
	    "mx mx1\nend\n"
	    "expect outcome deferred\n"
	    "expect never mail mx1 attempts=2\n"
	    "expect mail-tls mx1 req=R-2.2-a attempts=1\n"
	    "expect never query ${DOMAIN} AAAA attempts=2-\n"
	    "expect never mail-plaintext attempts=3\n";
	struct scn_errors errs = {NULL, 0};
	struct scn *s;
	char *text;

	text = xasprintf(HDR "attempts 2\n%s", body);
	s = parse(text, &errs);
	free(text);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 5);
	CU_ASSERT_EQUAL(s->expects[0].when.unit, SCN_WHEN_ALWAYS);
	CU_ASSERT_EQUAL(s->expects[1].when.unit, SCN_WHEN_ATTEMPTS);
	CU_ASSERT_EQUAL(s->expects[1].when.lo, 2);
	CU_ASSERT_EQUAL(s->expects[1].when.hi, 2);
	CU_ASSERT_STRING_EQUAL(s->expects[1].host, "mx1");
	CU_ASSERT_EQUAL(s->expects[2].when.hi, 1);
	CU_ASSERT_EQUAL(s->expects[2].nreq, 1);
	CU_ASSERT_EQUAL(s->expects[3].when.lo, 2);
	CU_ASSERT_EQUAL(s->expects[3].when.hi, 0);
	scn_free(s);
	/* attempt 3 of a two-attempt scenario never comes */
	lint_says("attempts 2\n", body, 1,
	    "t.scn:16: expectation with attempts=3 can never hold: the "
	    "scenario has 2 attempts (line 5)");
	/* without an attempts header: one lint problem for the file */
	lint_says("", body, 1,
	    "t.scn:12: expectation holds only in some attempts, but the "
	    "scenario has no 'attempts N' header");

	s = parse(HDR "attempts 2\n"
	              "expect outcome deferred attempts=2\n"
	              "expect never mail mx1 connections=1\n"
	              "expect never mail mx1 attempts=0\n"
	              "expect never mail mx1 attempts=1 attempts=2\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(has_msg(&errs, "t.scn:6: 'expect outcome' cannot be "
	                         "qualified with attempts="));
	CU_ASSERT(has_msg(&errs, "t.scn:7: an expectation takes attempts=, "
	                         "not connections="));
	CU_ASSERT(has_msg(&errs, "t.scn:8: bad attempts '0'"));
	CU_ASSERT(has_msg(&errs, "t.scn:9: duplicate attribute 'attempts'"));
	scn_errors_free(&errs);
}

/* test_attempts_file - the state file: written, noticed, read. */
static void
test_attempts_file(void)
{
	char dir[] = "/tmp/dsim-phase-XXXXXX", *path;
	const char *ids[] = {"a", "b-c"};
	int n[] = {2, 3};
	struct scn_attempts a;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	path = xasprintf("%s/attempts.txt", dir);
	scn_attempts_init(&a, path);
	/* no file yet: attempt 1 everywhere */
	CU_ASSERT_EQUAL(scn_attempts_refresh(&a), 0);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "a"), 1);
	CU_ASSERT_EQUAL(scn_attempts_write(path, ids, n, 2), 0);
	CU_ASSERT_EQUAL(scn_attempts_refresh(&a), 1);
	CU_ASSERT_EQUAL(scn_attempts_refresh(&a), 0);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "a"), 2);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "b-c"), 3);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "other"), 1);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, NULL), 1);
	n[0] = 4;
	CU_ASSERT_EQUAL(scn_attempts_write(path, ids, n, 1), 0);
	CU_ASSERT_EQUAL(scn_attempts_refresh(&a), 1);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "a"), 4);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "b-c"), 1);
	unlink(path);
	CU_ASSERT_EQUAL(scn_attempts_refresh(&a), 1);
	CU_ASSERT_EQUAL(scn_attempts_get(&a, "a"), 1);
	scn_attempts_free(&a);
	rmdir(dir);
	free(path);
}

/* test_fakemx_phases - fakemx.json phases and the filter. */
static void
test_fakemx_phases(void)
{
	static const char conf[] =
	    "{\"listeners\":[{\"address\":\"127.25.0.1\",\"scenario\":\"s\","
	    "\"host\":\"mx1\",\"hostname\":\"mx1.s.test\","
	    "\"replies\":{\"mail\":{\"drop\":true},"
	    "\"rcpt\":{\"code\":550,\"text\":\"no\"}},"
	    "\"phases\":["
	    "{\"when\":{\"unit\":\"attempts\",\"lo\":1,\"hi\":1},"
	    "\"starttls\":\"strip\",\"handshake_fail\":true,"
	    "\"cert\":\"/x/decoy.crt.pem\",\"key\":\"/x/decoy.key.pem\"},"
	    "{\"when\":{\"unit\":\"connections\",\"lo\":2,\"hi\":null},"
	    "\"replies\":{\"mail\":{\"code\":451,\"text\":\"later\"}},"
	    "\"delays\":{\"ehlo\":7}}]}]}";
	char err[512] = "";
	struct mx_conf *c = mx_conf_parse(conf, "t.json", err, sizeof(err));
	const struct mx_listener *l;
	const struct mx_behave *b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	l = &c->listeners[0];
	CU_ASSERT_EQUAL_FATAL(l->nphases, 2);
	/* a phase may bring its own certificate */
	CU_ASSERT_STRING_EQUAL(l->phases[0].cs.cert, "/x/decoy.crt.pem");
	CU_ASSERT_PTR_NULL(l->phases[1].cs.cert);
	CU_ASSERT_EQUAL(mx_phase_find(l, 1, 1), 0);
	CU_ASSERT_EQUAL(mx_phase_find(l, 2, 1), -1);
	CU_ASSERT_EQUAL(mx_phase_find(l, 2, 2), 1);
	/* attempt 1: the first phase, over the listener's own */
	b = mx_phase_behave(l, 1, 2);
	CU_ASSERT_PTR_EQUAL(b, &l->phases[0].behave);
	CU_ASSERT_EQUAL(b->starttls, MXS_STLS_STRIP);
	CU_ASSERT(b->flag[MXS_FLAG_HANDSHAKE_FAIL]);
	CU_ASSERT(b->reply[MXS_STAGE_MAIL].drop);
	CU_ASSERT_STRING_EQUAL(b->reply[MXS_STAGE_RCPT].text, "no");
	/* attempt 2, connection 1: the listener's own */
	b = mx_phase_behave(l, 2, 1);
	CU_ASSERT_PTR_EQUAL(b, &l->behave);
	CU_ASSERT_EQUAL(b->starttls, MXS_STLS_OFFER);
	CU_ASSERT_FALSE(b->flag[MXS_FLAG_HANDSHAKE_FAIL]);
	/* attempt 2, connection 3: the second phase replaces the drop */
	b = mx_phase_behave(l, 2, 3);
	CU_ASSERT_PTR_EQUAL(b, &l->phases[1].behave);
	CU_ASSERT_FALSE(b->reply[MXS_STAGE_MAIL].drop);
	CU_ASSERT_EQUAL(b->reply[MXS_STAGE_MAIL].code, 451);
	CU_ASSERT_EQUAL(b->delay_ms[MXS_STAGE_EHLO], 7);
	CU_ASSERT_EQUAL(b->starttls, MXS_STLS_OFFER);
	mx_conf_free(c);

	c = mx_conf_parse("{\"listeners\":[{\"address\":\"127.25.0.1\","
	                  "\"phases\":[{\"starttls\":\"strip\"}]}]}",
	    "t.json", err, sizeof(err));
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT(strstr(err, "phases[0]: needs a \"when\"") != NULL);
	c = mx_conf_parse("{\"listeners\":[{\"address\":\"127.25.0.1\","
	                  "\"phases\":[{\"when\":{\"unit\":\"attempts\","
	                  "\"lo\":1},\"starttls\":\"maybe\"}]}]}",
	    "t.json", err, sizeof(err));
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT(strstr(err, "\"starttls\" must be") != NULL);
}

/* test_fakedns_phases - a fault on for attempt 1 only. */
static void
test_fakedns_phases(void)
{
	struct dns_world *w = dns_world_new_empty();
	struct scn_attempts a;
	char err[200], dir[] = "/tmp/dsim-phase-XXXXXX", *path;
	const char *ids[] = {"s"};
	int n[] = {2};
	ldns_rdf *q = ldns_dname_new_frm_str("_25._tcp.mx1.s.test.");

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	path = xasprintf("%s/attempts.txt", dir);
	CU_ASSERT_EQUAL_FATAL(dns_world_add_fault(w, "_25._tcp.mx1.s.test.",
	                          "TLSA", "servfail", 0, "s", err, sizeof(err)),
	    0);
	w->faults[0].when = (struct scn_when){SCN_WHEN_ATTEMPTS, 1, 1};
	scn_attempts_init(&a, path);
	dns_fault_phase(w->faults, w->nfaults, &a);
	CU_ASSERT_PTR_NOT_NULL(
	    dns_fault_find(w->faults, w->nfaults, q, LDNS_RR_TYPE_TLSA));
	CU_ASSERT_EQUAL(scn_attempts_write(path, ids, n, 1), 0);
	CU_ASSERT_EQUAL(scn_attempts_refresh(&a), 1);
	dns_fault_phase(w->faults, w->nfaults, &a);
	CU_ASSERT_PTR_NULL(
	    dns_fault_find(w->faults, w->nfaults, q, LDNS_RR_TYPE_TLSA));
	scn_attempts_free(&a);
	unlink(path);
	rmdir(dir);
	free(path);
	ldns_rdf_deep_free(q);
	dns_world_free(w);
}

/* set_attempt - scenario id is in attempt n: the run folder's state. */
static void
set_attempt(const char *dir, const char *id, int n)
{
	const char *ids[] = {id};
	char *path = xasprintf("%s/" WORLD_ATTEMPTS_FILE, dir);

	CU_ASSERT_EQUAL(scn_attempts_write(path, ids, &n, 1), 0);
	free(path);
}

/* built_free - release a one-scenario world, the scenario and folder dir. */
static void
built_free(
    const char *dir, struct world *w, struct scn *s, struct scn_errors *errs)
{
	char *rm;

	w->suite = NULL;
	world_free(w);
	scn_free(s);
	scn_errors_free(errs);
	rm = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(rm), 0);
	free(rm);
}

/*
 * test_round_trip - a phased scenario through every hop: parsed, written
 * by the world builder into fakemx.json and fakedns.json, read back by
 * each fake server and filtered per attempt and connection.
 */
static void
test_round_trip(void)
{
	static const char text[] =
	    "id rt\ntitle t\nrequirements R-2.2-a\nseverity security\n"
	    "attempts 2\n"
	    "cert mx1 cn=mx1.${DOMAIN}\ncert decoy cn=mx1.${DOMAIN}\n"
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\n"
	    "_25._tcp.mx1 TLSA ${TLSA(mx1,3,1,1)}\nend\n"
	    "dnsbreak _25._tcp.mx1.${DOMAIN} TLSA servfail attempts=1\n"
	    "mx mx1\n  cert mx1\n  starttls strip attempts=1\n"
	    "  cert decoy attempts=1\n"
	    "  reply rcpt 451 4.7.1 later connections=1\nend\n"
	    "expect outcome delivered-tls\nexpect never mail-plaintext\n";
	char dir[] = "/tmp/dsim-phase-XXXXXX", err[600];
	struct scn_errors errs = {NULL, 0};
	struct scn_suite one;
	struct scn *s;
	struct world *w;
	struct mx_conf *mc;
	struct dns_world *dw;
	const struct mx_listener *l;
	const struct mx_behave *b;
	ldns_rdf *q;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	s = scn_parse_buf("t/rt.scn", text, strlen(text), &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	one.items = &s;
	one.n = 1;
	w = world_build(&one, dir, time(NULL), &errs);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);

	mc = mx_conf_load(w->fakemx_conf, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(mc);
	CU_ASSERT(strstr(mc->attempts, "/" WORLD_ATTEMPTS_FILE) != NULL);
	l = &mc->listeners[0];
	CU_ASSERT_EQUAL_FATAL(l->nphases, 2);
	b = mx_phase_behave(l, 1, 1);
	CU_ASSERT_EQUAL(b->starttls, MXS_STLS_STRIP);
	CU_ASSERT(strstr(l->phases[0].cs.cert, "/decoy.crt.pem") != NULL);
	b = mx_phase_behave(l, 2, 1);
	CU_ASSERT_EQUAL(b->starttls, MXS_STLS_OFFER);
	CU_ASSERT_EQUAL(b->reply[MXS_STAGE_RCPT].code, 451);
	CU_ASSERT_STRING_EQUAL(b->reply[MXS_STAGE_RCPT].text, "4.7.1 later");
	b = mx_phase_behave(l, 2, 2);
	CU_ASSERT_PTR_EQUAL(b, &l->behave);
	CU_ASSERT_FALSE(b->reply[MXS_STAGE_RCPT].set);
	mx_conf_free(mc);

	dw = dns_world_load(w->fakedns_conf, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(dw);
	CU_ASSERT(dw->phased);
	q = ldns_dname_new_frm_str("_25._tcp.mx1.rt.test.");
	CU_ASSERT_PTR_NOT_NULL(
	    dns_fault_find(dw->faults, dw->nfaults, q, LDNS_RR_TYPE_TLSA));
	set_attempt(dir, "rt", 2);
	dns_world_phase_refresh(dw);
	CU_ASSERT_PTR_NULL(
	    dns_fault_find(dw->faults, dw->nfaults, q, LDNS_RR_TYPE_TLSA));
	ldns_rdf_deep_free(q);
	dns_world_free(dw);

	built_free(dir, w, s, &errs);
}

/* zq_ask - ask dw at address addr for name/type with DO; parsed reply. */
static ldns_pkt *
zq_ask(const struct dns_world *dw, size_t addr, const char *name,
    ldns_rr_type type)
{
	ldns_pkt *q = NULL, *p = NULL;
	struct dns_result res;
	uint8_t *wire = NULL;
	size_t len = 0;

	if (ldns_pkt_query_new_frm_str(&q, name, type, LDNS_RR_CLASS_IN, 0) !=
	    LDNS_STATUS_OK)
		return NULL;
	ldns_pkt_set_edns_udp_size(q, 4096);
	ldns_pkt_set_edns_do(q, 1);
	if (ldns_pkt2wire(&wire, q, &len) != LDNS_STATUS_OK) {
		ldns_pkt_free(q);
		return NULL;
	}
	ldns_pkt_free(q);
	memset(&res, 0, sizeof(res));
	dns_answer_build(dw, addr, 0, wire, len, &res);
	free(wire);
	if (res.wire != NULL &&
	    ldns_wire2pkt(&p, res.wire, res.len) != LDNS_STATUS_OK)
		p = NULL;
	dns_result_free(&res);
	return p;
}

/*
 * zq_tlsa - the TLSA RRset of _25._tcp.mx1.zp.test. served now: its
 * one record's data as text (caller frees), after checking that its
 * RRSIG verifies under the zone's DNSKEYs. NULL when not.
 */
static char *
zq_tlsa(const struct dns_world *dw, size_t addr)
{
	ldns_pkt *p = zq_ask(
	             dw, addr, "_25._tcp.mx1.zp.test.", LDNS_RR_TYPE_TLSA),
	         *k = zq_ask(dw, addr, "zp.test.", LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *set = NULL, *sigs = NULL, *keys = NULL;
	char *text = NULL;

	if (p != NULL && k != NULL) {
		set = ldns_pkt_rr_list_by_type(
		    p, LDNS_RR_TYPE_TLSA, LDNS_SECTION_ANSWER);
		sigs = ldns_pkt_rr_list_by_type(
		    p, LDNS_RR_TYPE_RRSIG, LDNS_SECTION_ANSWER);
		keys = ldns_pkt_rr_list_by_type(
		    k, LDNS_RR_TYPE_DNSKEY, LDNS_SECTION_ANSWER);
	}
	if (set != NULL && sigs != NULL && keys != NULL &&
	    ldns_rr_list_rr_count(set) == 1 &&
	    ldns_verify(set, sigs, keys, NULL) == LDNS_STATUS_OK)
		text = ldns_rdf2str(ldns_rr_rdf(ldns_rr_list_rr(set, 0), 3));
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(keys);
	ldns_pkt_free(p);
	ldns_pkt_free(k);
	return text;
}

/*
 * test_zone_phases - zone lines with attempts=: parsed and taken off the
 * line, checked by lint, built into one signed version of the zone per
 * attempt range, and served by fakedns in the attempt that holds.
 */
static void
test_zone_phases(void)
{
	static const char text[] =
	    "id zp\ntitle t\nrequirements R-2.2-a\nseverity security\n"
	    "attempts 2\n"
	    "cert k1 cn=mx1.${DOMAIN}\ncert k2 cn=mx1.${DOMAIN}\n"
	    "zone ${DOMAIN}\n@ MX 10 mx1\nmx1 A ${ADDR(mx1)}\n"
	    "_25._tcp.mx1 TLSA ${TLSA(k1,3,1,1)}   attempts=1\n"
	    "_25._tcp.mx1 TLSA ${TLSA(k2,3,1,1)} attempts=2-\nend\n"
	    "mx mx1\n  cert k2\nend\n"
	    "expect outcome delivered-tls\n";
	char dir[] = "/tmp/dsim-phase-XXXXXX", err[600], *t1, *t2;
	struct scn_errors errs = {NULL, 0};
	struct scn_suite one;
	struct scn *s;
	struct world *w;
	struct dns_world *dw;
	size_t i, j, addr = 0, versions = 0;

	/* connections= is no zone-line qualifier; attempts= needs a header */
	s = parse(
	    HDR "zone ${DOMAIN}\nwww A 127.0.0.1 connections=1\nend\n", &errs);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT(has_msg(&errs, "a zone line takes only attempts="));
	scn_errors_free(&errs);
	s = parse(
	    HDR "zone ${DOMAIN}\nwww A 127.0.0.1 attempts=2\nend\n", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT(scn_lint(s, &errs) >= 1);
	CU_ASSERT(has_msg(&errs, "zone line holds only in some attempts"));
	scn_free(s);
	scn_errors_free(&errs);

	s = scn_parse_buf("t/zp.scn", text, strlen(text), &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(s->zones[0].nrr, 4);
	CU_ASSERT_EQUAL(s->zones[0].rr_when[1].unit, SCN_WHEN_ALWAYS);
	CU_ASSERT_EQUAL(s->zones[0].rr_when[2].unit, SCN_WHEN_ATTEMPTS);
	CU_ASSERT_EQUAL(s->zones[0].rr_when[2].hi, 1);
	CU_ASSERT_EQUAL(s->zones[0].rr_when[3].lo, 2);
	CU_ASSERT_EQUAL(s->zones[0].rr_when[3].hi, 0);
	CU_ASSERT_PTR_NULL(strstr(s->zones[0].rr_lines[2], "attempts"));
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	one.items = &s;
	one.n = 1;
	w = world_build(&one, dir, time(NULL), &errs);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);

	dw = dns_world_load(w->fakedns_conf, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(dw);
	CU_ASSERT(dw->phased);
	for (i = 0; i < dw->nzones; i++)
		if (strcmp(dw->zones[i].zone->name, "zp.test.") == 0) {
			versions++;
			for (j = 0; j < dw->naddrs; j++)
				if (strcmp(dw->addrs[j].text,
				        dw->zones[i].address) == 0)
					addr = j;
		}
	CU_ASSERT_EQUAL(versions, 2);
	t1 = zq_tlsa(dw, addr);
	CU_ASSERT_PTR_NOT_NULL(t1);
	set_attempt(dir, "zp", 2);
	dns_world_phase_refresh(dw);
	t2 = zq_tlsa(dw, addr);
	CU_ASSERT_PTR_NOT_NULL(t2);
	if (t1 != NULL && t2 != NULL)
		CU_ASSERT_STRING_NOT_EQUAL(t1, t2);
	LDNS_FREE(t1);
	LDNS_FREE(t2);
	dns_world_free(dw);

	built_free(dir, w, s, &errs);
}

/*
 * test_attempt_seen - a retry is counted only for the attempt its try
 * began in: a connection of attempt 1 that closes after the status
 * step's last reading is carried, and its deferral, logged once the
 * retry is open, does not end attempt 2 (Exim's own queue runner).
 */
static void
test_attempt_seen(void)
{
	struct facts_conn c[3];
	struct facts_scn fs;
	int carry;

	memset(c, 0, sizeof(c));
	memset(&fs, 0, sizeof(fs));
	fs.conns = c;
	/* attempt 1: two tries; the second closed at 31.12, after the last
	   status reading (31.05); attempt 2 opens at 31.13 */
	c[0].t_start = 21.05;
	c[0].t_end = 26.05;
	c[1].t_start = 26.12;
	c[1].t_end = 31.12;
	fs.nconns = 2;
	carry = phase_carry(&fs, 31.13, 31.05);
	CU_ASSERT_EQUAL(carry, 1);
	/* the carried try's deferral (count 5 -> 6) is attempt 1's */
	CU_ASSERT_FALSE(
	    phase_attempt_seen(&fs, 2, 31.13, 6, 5, carry, 31.20, 100, 3000));
	/* attempt 2's own try: one more */
	CU_ASSERT_TRUE(
	    phase_attempt_seen(&fs, 2, 31.13, 7, 5, carry, 36.30, 5000, 3000));
	/* no count yet above the base: never seen, however long */
	CU_ASSERT_FALSE(
	    phase_attempt_seen(&fs, 2, 31.13, 5, 5, carry, 40.0, 9000, 3000));
	/* a connection of attempt 2 closed before a later reading: a
	   count above the base is its, whatever the carry guessed */
	c[2].t_start = 31.20;
	c[2].t_end = 31.40;
	fs.nconns = 3;
	CU_ASSERT_TRUE(
	    phase_attempt_seen(&fs, 2, 31.13, 6, 5, carry, 31.50, 400, 3000));
	/* ... but not while the reading is older than its close */
	CU_ASSERT_FALSE(
	    phase_attempt_seen(&fs, 2, 31.13, 6, 5, carry, 31.30, 400, 3000));
	fs.nconns = 2;

	/* every try closed before the reading: nothing carried */
	CU_ASSERT_EQUAL(phase_carry(&fs, 31.13, 31.12), 0);
	CU_ASSERT_TRUE(
	    phase_attempt_seen(&fs, 2, 31.13, 6, 5, 0, 31.50, 400, 3000));
	/* a connection still open when the next attempt opens is carried */
	c[1].t_end = 0;
	CU_ASSERT_EQUAL(phase_carry(&fs, 31.13, 31.12), 1);
	/* a connection begun after the attempt opened is not */
	CU_ASSERT_EQUAL(phase_carry(&fs, 21.0, 20.0), 0);
	CU_ASSERT_EQUAL(phase_carry(NULL, 31.13, 31.12), 0);

	/* the first attempt is always seen */
	CU_ASSERT_TRUE(phase_attempt_seen(NULL, 1, 0, 0, 0, 0, 0, 0, 3000));
	/* no count: a connection since the retry, or quiet_ms without */
	c[1].t_end = 31.12;
	CU_ASSERT_FALSE(
	    phase_attempt_seen(&fs, 2, 31.13, 0, 0, 0, 0, 1000, 3000));
	CU_ASSERT_TRUE(
	    phase_attempt_seen(&fs, 2, 31.13, 0, 0, 0, 0, 3000, 3000));
	CU_ASSERT_TRUE(
	    phase_attempt_seen(&fs, 2, 26.0, 0, 0, 0, 0, 1000, 3000));
}

static CU_TestInfo tests[] = {
    {"when_parse", test_when_parse},
    {"when_holds", test_when_holds},
    {"scn_phases", test_scn_phases},
    {"lint_phases", test_lint_phases},
    {"messages", test_messages},
    {"expect_when", test_expect_when},
    {"attempts_file", test_attempts_file},
    {"fakemx_phases", test_fakemx_phases},
    {"fakedns_phases", test_fakedns_phases},
    {"round_trip", test_round_trip},
    {"zone_phases", test_zone_phases},
    {"attempt_seen", test_attempt_seen},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("phase", NULL, NULL, tests);
