/*
 * test_report.c - report.json valid against docs/report-schema.json
 * (checked with Python's jsonschema), junit.xml well-formed (xmllint) and
 * escaping hostile evidence, summary.md and the terminal summary.
 */
#include "unit.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/report/expect.h"
#include "harness/report/report.h"
#include "harness/judge/score.h"
#include "scn.h"
#include "xmalloc.h"

static const char rep_scn[] =
    "format 1\n"
    "id hostile\n"
    "title Evidence with <tags> & ]]> and | pipes\n"
    "requirements R-2.2-a\n"
    "severity security\n"
    "zone ${DOMAIN}\n"
    "@   MX 10 mx1\n"
    "mx1 A  ${ADDR(mx1)}\n"
    "end\n"
    "mx mx1\n"
    "end\n"
    "expect outcome deferred\n"
    "expect never mail-plaintext req=R-2.2.3-g\n"
    "expect sni mx1 mx1.${DOMAIN} severity=interop req=R-8.1-a\n"
    "expect query _25._tcp.mx1.${DOMAIN} TLSA req=R-2.1.2-c\n";

/* The hostile evidence: markup, CDATA end, controls, invalid UTF-8. */
static const char hostile[] =
    "MAIL FROM:<a&b@x]]>\"'> in clear\x01\x1b[31m"
    "\x7f \xff\xfe \xc0\xaf \xed\xa0\x80 \xef\xbf\xbe ok \xc3\xa9 \xe2\x82";

static struct scn *rs_scn;
static struct score_exp rs_exps[4];
static struct score_result rs_res;
static struct report_scn rs_rscn;
static struct report rs_rep;
static char rs_dir[] = "/tmp/dsim-report-XXXXXX";
static char *rs_opts[] = {(char *)"smtp_tls_loglevel=1", (char *)"x\xff"};

/* suite_init - a report of one scenario, judged by hand. */
static int
suite_init(void)
{
	struct scn_errors errs = {NULL, 0};
	size_t i;

	rs_scn = scn_parse_buf("hostile.scn", rep_scn, strlen(rep_scn), &errs);
	if (rs_scn == NULL || rs_scn->nexpects != 4) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		scn_errors_free(&errs);
		return -1;
	}
	if (mkdtemp(rs_dir) == NULL)
		return -1;
	for (i = 0; i < 4; i++)
		rs_exps[i].e = &rs_scn->expects[i];
	rs_exps[0].verdict = SCORE_PASS;
	rs_exps[0].evidence = (char *)"outcome deferred (the SUT reports "
	                              "deferred)";
	rs_exps[1].verdict = SCORE_FAIL;
	rs_exps[1].evidence = (char *)hostile;
	rs_exps[2].verdict = SCORE_INCONCLUSIVE;
	rs_exps[2].evidence = (char *)"conflicting";
	rs_exps[2].reason = (char *)"conflicting evidence: logs: SNI "
	                            "<x>; capture: \x02";
	rs_exps[3].verdict = SCORE_ERROR;
	rs_exps[3].evidence = (char *)"no fakedns query log";
	rs_exps[3].reason = (char *)"dns.jsonl missing & <gone>";
	rs_res.outcome = SCN_OUT_DEFERRED;
	rs_res.outcome_note = (char *)hostile;
	rs_res.verdict = SCORE_FAIL;
	rs_res.decided = 0;
	rs_res.exps = rs_exps;
	rs_res.nexps = 4;
	rs_rscn.s = rs_scn;
	rs_rscn.res = &rs_res;
	rs_rscn.sut_status = "deferred";
	rs_rscn.reason = "the run was interrupted";
	rs_rscn.message_id = "<danesim.hostile.x@danesim.test>";
	memset(&rs_rep, 0, sizeof(rs_rep));
	rs_rep.sut_name = "post|fix <b>";
	rs_rep.sut_version = "3.7.11";
	rs_rep.sut_options = rs_opts;
	rs_rep.nsut_options = 2;
	rs_rep.suite_version = 1;
	rs_rep.suite_sha256 = "0123456789abcdef0123456789abcdef"
	                      "0123456789abcdef0123456789abcdef";
	rs_rep.started = 1764370000.5;
	rs_rep.finished = 1764370031.9;
	rs_rep.interrupted = 1;
	rs_rep.capture_analysis = "not analysed: no capture analyser";
	rs_rep.logs_complete = 1;
	rs_rep.infra_error = "infrastructure failed: fakemx exited | <b>";
	rs_rep.sut_note = "the SUT's check step failed: fatal: *x*";
	rs_rep.run_dir = rs_dir;
	rs_rep.scns = &rs_rscn;
	rs_rep.n = 1;
	return 0;
}

/* suite_clean - remove the report folder. */
static int
suite_clean(void)
{
	static const char *const files[] = {
	    "report.json", "junit.xml", "summary.md", NULL};
	size_t i;
	char *p;

	for (i = 0; files[i] != NULL; i++) {
		p = xasprintf("%s/%s", rs_dir, files[i]);
		unlink(p);
		free(p);
	}
	rmdir(rs_dir);
	scn_free(rs_scn);
	return 0;
}

/* read_all - the whole file (caller frees) or NULL. */
static char *
read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	long len;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		data = xmalloc((size_t)len + 1);
		*n = fread(data, 1, (size_t)len, fp);
		data[*n] = '\0';
	}
	fclose(fp);
	return data;
}

/* test_clean_text - invalid UTF-8 and controls become visible text. */
static void
test_clean_text(void)
{
	char *c;

	c = report_clean_text("a<b&c \xc3\xa9 \xf0\x9f\x98\x80");
	CU_ASSERT_STRING_EQUAL(c, "a<b&c \xc3\xa9 \xf0\x9f\x98\x80");
	free(c);
	c = report_clean_text("\x01\t\n\x7f\xc2\x85");
	CU_ASSERT_STRING_EQUAL(c, "\\x01\\x09\\x0A\\x7F\\x85");
	free(c);
	/* lone byte, overlong, surrogate, non-character, truncated */
	c = report_clean_text("\xff\xc0\xaf\xed\xa0\x80\xef\xbf\xbe\xe2\x82");
	CU_ASSERT_STRING_EQUAL(c, "\\xFF\\xC0\\xAF\\xED\\xA0\\x80\\u{FFFE}"
	                          "\\xE2\\x82");
	free(c);
	CU_ASSERT_PTR_NULL(report_clean_text(NULL));
}

/* test_counts - counts per verdict and severity, and the exit status. */
static void
test_counts(void)
{
	struct report_counts c;

	report_count(&rs_rep, &c);
	CU_ASSERT_EQUAL(c.total, 4);
	CU_ASSERT_EQUAL(c.v[SCORE_PASS], 1);
	CU_ASSERT_EQUAL(c.v[SCORE_FAIL], 1);
	CU_ASSERT_EQUAL(c.v[SCORE_INCONCLUSIVE], 1);
	CU_ASSERT_EQUAL(c.v[SCORE_ERROR], 1);
	CU_ASSERT_EQUAL(c.security_failures, 1);
	CU_ASSERT_EQUAL(c.sev[SCN_SEV_INTEROP][SCORE_INCONCLUSIVE], 1);
	CU_ASSERT_EQUAL(c.sev[SCN_SEV_SECURITY][SCORE_FAIL], 1);
	CU_ASSERT_EQUAL(c.scn_v[SCORE_FAIL], 1);
	CU_ASSERT_EQUAL(report_exit_status(&c), 1);
	c.v[SCORE_FAIL] = 0;
	CU_ASSERT_EQUAL(report_exit_status(&c), 3);
	c.v[SCORE_INCONCLUSIVE] = c.v[SCORE_ERROR] = 0;
	CU_ASSERT_EQUAL(report_exit_status(&c), 0);
}

/* schema_valid - 1 if the report.json at path is valid against
   docs/report-schema.json (Python's jsonschema). */
static int
schema_valid(const char *path)
{
	const char *top = getenv("DANESIM_SRCDIR");
	char *cmd;
	int rc;

	cmd = xasprintf(
	    "python3 -c 'import json, sys, jsonschema; "
	    "jsonschema.validate(json.load(open(sys.argv[1])), "
	    "json.load(open(sys.argv[2])))' '%s' '%s/docs/report-schema.json'",
	    path, top ? top : ".");
	rc = system(cmd);
	free(cmd);
	return rc == 0;
}

/* test_json - report.json is valid against the schema, hostile text is
   cleaned, and the fields say what was judged. */
static void
test_json(void)
{
	char *path = xasprintf("%s/report.json", rs_dir);
	json_t *root, *x;
	json_error_t err;

	CU_ASSERT_EQUAL_FATAL(report_write_json(&rs_rep, path), 0);
	root = json_load_file(path, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(
	    json_integer_value(json_object_get(root, "schema_version")), 1);
	x = json_object_get(
	    json_object_get(root, "summary"), "security_failures");
	CU_ASSERT_EQUAL(json_integer_value(x), 1);
	x = json_array_get(json_object_get(root, "scenarios"), 0);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(x, "verdict")), "fail");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(x, "undecided_reason")),
	    "the run was interrupted");
	x = json_array_get(json_object_get(x, "expectations"), 1);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(x, "kind")),
	    "never mail-plaintext");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(
	                           json_object_get(x, "requirements"), 0)),
	    "R-2.2.3-g");
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(json_string_value(json_object_get(x, "evidence")),
	        "clear\\x01\\x1B[31m\\x7F \\xFF\\xFE"));
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	                           json_object_get(root, "run"), "started")),
	    "2025-11-28T22:46:40Z");
	x = json_object_get(root, "run");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(x, "error")),
	    "infrastructure failed: fakemx exited | <b>");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(x, "sut_note")),
	    "the SUT's check step failed: fatal: *x*");
	json_decref(root);
	CU_ASSERT(schema_valid(path));
	free(path);
}

/* test_junit - well-formed, one testcase per expectation, escaped. */
static void
test_junit(void)
{
	char *path = xasprintf("%s/junit.xml", rs_dir), *cmd, *data;
	xmlDocPtr doc;
	xmlNodePtr suite, n;
	size_t len = 0, i, cases = 0;
	int bad = 0;

	CU_ASSERT_EQUAL_FATAL(report_write_junit(&rs_rep, path), 0);
	cmd = xasprintf("xmllint --noout '%s'", path);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	data = read_all(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	for (i = 0; i < len; i++)
		if ((unsigned char)data[i] < 0x20 && data[i] != '\n')
			bad++;
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "a&amp;b@x]]&gt;"));
	CU_ASSERT_PTR_NULL(strstr(data, "<a&b"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "\\xFF"));
	free(data);

	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	suite = xmlDocGetRootElement(doc)->children;
	while (suite != NULL && suite->type != XML_ELEMENT_NODE)
		suite = suite->next;
	CU_ASSERT_PTR_NOT_NULL_FATAL(suite);
	for (n = suite->children; n != NULL; n = n->next) {
		xmlChar *cls, *name;

		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "testcase") != 0)
			continue;
		cls = xmlGetProp(n, BAD_CAST "classname");
		name = xmlGetProp(n, BAD_CAST "name");
		CU_ASSERT_STRING_EQUAL((const char *)cls, "hostile");
		if (cases == 1)
			CU_ASSERT_STRING_EQUAL((const char *)name,
			    "never mail-plaintext R-2.2.3-g");
		xmlFree(cls);
		xmlFree(name);
		cases++;
	}
	CU_ASSERT_EQUAL(cases, 4);
	xmlFreeDoc(doc);
	free(path);
}

/* junit_outcome - write junit.xml of rs_rep and return the name of the
   child element of testcase i ("failure", "error", "skipped" or "" for
   none) with its message in msg (msgsz bytes), and the testsuite's
   failures/errors/skipped counts in counts[3]. */
static const char *
junit_outcome(size_t want, char *msg, size_t msgsz, long counts[3])
{
	static char kind[32];
	static const char *const attrs[] = {"failures", "errors", "skipped"};
	char *path = xasprintf("%s/junit.xml", rs_dir);
	xmlDocPtr doc;
	xmlNodePtr suite, n, c;
	xmlChar *v;
	size_t i = 0, k;

	kind[0] = msg[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(report_write_junit(&rs_rep, path), 0);
	doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	suite = xmlDocGetRootElement(doc)->children;
	while (suite != NULL && suite->type != XML_ELEMENT_NODE)
		suite = suite->next;
	CU_ASSERT_PTR_NOT_NULL_FATAL(suite);
	for (k = 0; k < 3; k++) {
		v = xmlGetProp(suite, BAD_CAST attrs[k]);
		counts[k] = v != NULL ? atol((const char *)v) : -1;
		xmlFree(v);
	}
	for (n = suite->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "testcase") != 0)
			continue;
		if (i++ != want)
			continue;
		for (c = n->children; c != NULL; c = c->next) {
			if (c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, "system-out") == 0)
				continue;
			snprintf(kind, sizeof(kind), "%s", c->name);
			v = xmlGetProp(c, BAD_CAST "message");
			snprintf(msg, msgsz, "%s", v ? (const char *)v : "");
			xmlFree(v);
		}
	}
	xmlFreeDoc(doc);
	free(path);
	return kind;
}

/* test_junit_verdicts - a failure is <failure>; inconclusive and error
   are <error> (CI must show them), never <skipped>. */
static void
test_junit_verdicts(void)
{
	char msg[512];
	long n[3];

	CU_ASSERT_STRING_EQUAL(junit_outcome(0, msg, sizeof(msg), n), "");
	CU_ASSERT_EQUAL(n[0], 1); /* failures */
	CU_ASSERT_EQUAL(n[1], 2); /* errors: inconclusive + error */
	CU_ASSERT_EQUAL(n[2], 0); /* skipped */
	CU_ASSERT_STRING_EQUAL(
	    junit_outcome(1, msg, sizeof(msg), n), "failure");
	CU_ASSERT_STRING_EQUAL(junit_outcome(2, msg, sizeof(msg), n), "error");
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "inconclusive: conflicting"));
	CU_ASSERT_STRING_EQUAL(junit_outcome(3, msg, sizeof(msg), n), "error");
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "dns.jsonl missing"));
}

/* with_expect - rs_rep with the expect set of text (NULL: none). */
static struct expect_set *
with_expect(const char *text)
{
	char err[256];
	struct expect_set *set = NULL;

	if (text != NULL) {
		set = expect_parse(
		    "t.expect", text, strlen(text), err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL_FATAL(set);
	}
	rs_rep.expect = set;
	rs_rep.expect_file = set != NULL ? "t.expect" : NULL;
	return set;
}

/* exp_field - report.json's expectations[i].expected.KEY of rs_rep as a
   string ("" when absent; integers printed), and *exit the summary's
   exit_status. */
static const char *
exp_field(size_t i, const char *key, int *exit)
{
	static char out[256];
	char *path = xasprintf("%s/report.json", rs_dir);
	json_t *root, *x;
	json_error_t err;

	out[0] = '\0';
	CU_ASSERT_EQUAL_FATAL(report_write_json(&rs_rep, path), 0);
	root = json_load_file(path, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	*exit = (int)json_integer_value(
	    json_object_get(json_object_get(root, "summary"), "exit_status"));
	x = json_array_get(json_object_get(root, "scenarios"), 0);
	x = json_array_get(json_object_get(x, "expectations"), i);
	x = json_object_get(json_object_get(x, "expected"), key);
	if (json_is_string(x))
		snprintf(out, sizeof(out), "%s", json_string_value(x));
	else if (json_is_integer(x))
		snprintf(
		    out, sizeof(out), "%lld", (long long)json_integer_value(x));
	json_decref(root);
	free(path);
	return out;
}

/* test_expect - --expect per expectation: report.json's "expected", the
   JUnit element and the exit status agree (expectation 1, line 13 of
   the scenario, fails; expectation 0, line 12, passes). */
static void
test_expect(void)
{
	struct expect_set *set;
	struct report_counts c;
	char msg[512], *path;
	long n[3];
	int rc;

	CU_ASSERT_EQUAL_FATAL(rs_rscn.res->exps[1].e->line, 13);
	/* an expected failure: <skipped>, exit 3 (still undecided ones) */
	set = with_expect("# known\nhostile:13 xfail known leak\n");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "result", &rc), "expected-failure");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "want", &rc), "fail");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "reason", &rc), "known leak");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "entry", &rc), "2");
	CU_ASSERT_STRING_EQUAL(exp_field(0, "result", &rc), "as-expected");
	CU_ASSERT_STRING_EQUAL(exp_field(0, "entry", &rc), "");
	CU_ASSERT_STRING_EQUAL(exp_field(2, "result", &rc), "undecided");
	CU_ASSERT_EQUAL(rc, 3);
	report_count(&rs_rep, &c);
	CU_ASSERT_EQUAL(report_exit_status(&c), 3);
	CU_ASSERT_STRING_EQUAL(
	    junit_outcome(1, msg, sizeof(msg), n), "skipped");
	CU_ASSERT_STRING_EQUAL(msg, "expected failure: known leak");
	CU_ASSERT(n[0] == 0 && n[1] == 2 && n[2] == 1);
	CU_ASSERT_STRING_EQUAL(junit_outcome(2, msg, sizeof(msg), n), "error");
	/* the report with "expected" is valid against the schema */
	path = xasprintf("%s/report.json", rs_dir);
	CU_ASSERT(schema_valid(path));
	free(path);
	expect_free(set);

	/* an expected failure that passes, and a regression: exit 1 */
	set = with_expect("hostile:12 xfail thought broken\n");
	CU_ASSERT_STRING_EQUAL(exp_field(0, "result", &rc), "unexpected-pass");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "result", &rc), "regression");
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_STRING_EQUAL(
	    junit_outcome(0, msg, sizeof(msg), n), "failure");
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "unexpected pass"));
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, "thought broken"));
	CU_ASSERT(n[0] == 2 && n[1] == 2 && n[2] == 0);
	expect_free(set);

	/* a scenario-wide xfail is met by the failure: the passing
	   expectation is as expected; ID:LINE wins over an earlier line */
	set = with_expect("hostile xfail all\n");
	CU_ASSERT_STRING_EQUAL(exp_field(0, "result", &rc), "as-expected");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "result", &rc), "expected-failure");
	CU_ASSERT_EQUAL(rc, 3);
	expect_free(set);
	set = with_expect("hostile pass\nhostile:13 xfail by line\n");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "result", &rc), "expected-failure");
	CU_ASSERT_STRING_EQUAL(exp_field(1, "entry", &rc), "2");
	expect_free(set);

	/* without a set: no "expected", a failure fails */
	with_expect(NULL);
	CU_ASSERT_STRING_EQUAL(exp_field(1, "result", &rc), "");
	CU_ASSERT_EQUAL(rc, 1);
}

/* test_summary - summary.md: header, counts, table, escaped cells. */
static void
test_summary(void)
{
	char *path = xasprintf("%s/summary.md", rs_dir), *data;
	size_t len = 0;

	CU_ASSERT_EQUAL_FATAL(report_write_summary(&rs_rep, path), 0);
	data = read_all(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "# danesim report: post\\|fix "
	                 "&lt;b&gt; 3.7.11, 2025-11-28T22:46:40Z"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "Security-critical failures: 1"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "| hostile | security | deferred "
	                 "| **FAIL** (undecided) | R-2.2.3-g |"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "## Failures\n\n- **hostile** "
	                 "`expect never mail-plaintext "
	                 "req=R-2.2.3-g`: MAIL FROM:&lt;a&amp;b"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "## Inconclusive\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "(dns.jsonl missing &amp; &lt;gone&gt;)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "1 pass, 1 fail, 1 inconclusive, "
	                                    "1 error"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "**danesim's own infrastructure failed:** "
	                 "infrastructure failed: fakemx exited \\| &lt;b&gt;"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "**Observation about the SUT:** the SUT's check "
	                 "step failed: fatal: \\*x\\*"));
	free(data);
	free(path);
}

/* test_terminal - the table, colour only when asked. */
static void
test_terminal(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&out, &len);
	report_print_terminal(&rs_rep, fp, 0);
	fclose(fp);
	CU_ASSERT_PTR_NULL(strchr(out, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "hostile"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Security-critical failures: 1"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "security: 1 pass, 1 fail, 0 inconclusive, 1 error"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Reports: /tmp/dsim-report-"));
	free(out);
	out = NULL;
	fp = open_memstream(&out, &len);
	report_print_terminal(&rs_rep, fp, 1);
	fclose(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\033[1;31mfail"));
	free(out);
}

/* test_messages - a scenario of two messages: report.json lists each
 * message's outcome (schema-valid), summary.md a Messages section, the
 * terminal table one blank-free word; the outcome line says each. */
static void
test_messages(void)
{
	struct score_outcome_msg om[2] = {
	    {SCN_OUT_DELIVERED_TLS, (char *)"stored inside TLS"},
	    {SCN_OUT_DEFERRED, (char *)"the SUT reports deferred"}};
	struct report_message rm[2] = {
	    {1, "<danesim.hostile.x@danesim.test>", "delivered", 1, 1.5, 1},
	    {2, "<danesim.hostile.2.x@danesim.test>", "deferred", 2, 7.5, 2}};
	char *path = xasprintf("%s/report.json", rs_dir), *data, *out = NULL;
	json_t *root, *m;
	json_error_t err;
	struct buf b;
	size_t len = 0;
	FILE *fp;

	rs_res.msgs = om;
	rs_res.nmsgs = 2;
	rs_rscn.messages = rm;
	rs_rscn.nmessages = 2;
	buf_init(&b);
	report_outcome_text(&rs_rscn, &b, 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b),
	    "message 1: delivered-tls; message 2: deferred (2 attempts)");
	buf_reset(&b);
	report_outcome_text(&rs_rscn, &b, 1);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "1:delivered-tls,2:deferred");
	buf_free(&b);

	CU_ASSERT_EQUAL_FATAL(report_write_json(&rs_rep, path), 0);
	CU_ASSERT(schema_valid(path));
	root = json_load_file(path, 0, &err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	m = json_object_get(
	    json_array_get(json_object_get(root, "scenarios"), 0), "messages");
	CU_ASSERT_EQUAL(json_array_size(m), 2);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(json_array_get(m, 1), "outcome")),
	    "deferred");
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(
	                           json_array_get(m, 1), "message_id")),
	    "<danesim.hostile.2.x@danesim.test>");
	CU_ASSERT_EQUAL(json_integer_value(
	                    json_object_get(json_array_get(m, 1), "attempt")),
	    2);
	json_decref(root);
	free(path);

	path = xasprintf("%s/summary.md", rs_dir);
	CU_ASSERT_EQUAL_FATAL(report_write_summary(&rs_rep, path), 0);
	data = read_all(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NOT_NULL(strstr(data,
	    "| hostile | security | message 1: delivered-tls; message 2: "
	    "deferred (2 attempts) |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data,
	    "| hostile | 2 | 2 | 2 | deferred | deferred | the SUT reports "
	    "deferred |"));
	free(data);
	free(path);

	fp = open_memstream(&out, &len);
	report_print_terminal(&rs_rep, fp, 0);
	fclose(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "1:delivered-tls,2:deferred"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "Messages: 1 scenario(s) sent several messages"));
	free(out);

	rs_res.msgs = NULL;
	rs_res.nmsgs = 0;
	rs_rscn.messages = NULL;
	rs_rscn.nmessages = 0;
}

/* test_observations - an expectation of severity info is reported
   (its verdict, a passing junit testcase with the evidence, a summary
   section) but never counted: no failure, no exit status. */
static void
test_observations(void)
{
	struct scn_expect *e = &rs_scn->expects[1];
	struct report_counts c;
	char *path = xasprintf("%s/summary.md", rs_dir), *data;
	char *jpath = xasprintf("%s/report.json", rs_dir);
	char *xpath = xasprintf("%s/junit.xml", rs_dir);
	size_t len = 0;

	e->severity_set = 1;
	e->severity = SCN_SEV_INFO;
	report_count(&rs_rep, &c);
	CU_ASSERT_EQUAL(c.total, 4);
	CU_ASSERT_EQUAL(c.v[SCORE_FAIL], 0);
	CU_ASSERT_EQUAL(c.security_failures, 0);
	CU_ASSERT_EQUAL(c.sev[SCN_SEV_INFO][SCORE_FAIL], 1);
	/* the inconclusive and error lines still count: exit 3, not 1 */
	CU_ASSERT_EQUAL(report_exit_status(&c), 3);
	CU_ASSERT_EQUAL_FATAL(report_write_summary(&rs_rep, path), 0);
	data = read_all(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NULL(strstr(data, "## Failures"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data,
	    "## Observations (severity info: reported, never counted)\n\n"
	    "- fail: **hostile** `expect never mail-plaintext"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "; observations (info, not "
	                                    "counted) 0 pass, 1 fail"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "Security-critical failures: 0"));
	free(data);
	CU_ASSERT_EQUAL(report_write_json(&rs_rep, jpath), 0);
	CU_ASSERT_TRUE(schema_valid(jpath));
	data = read_all(jpath, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "\"severity\": \"info\""));
	free(data);
	CU_ASSERT_EQUAL(report_write_junit(&rs_rep, xpath), 0);
	data = read_all(xpath, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(data, "observation (severity info, not counted): fail"));
	CU_ASSERT_PTR_NOT_NULL(strstr(data, "failures=\"0\""));
	free(data);
	e->severity_set = 0;
	free(path);
	free(jpath);
	free(xpath);
}

static CU_TestInfo tests[] = {
    {"clean_text", test_clean_text},
    {"counts", test_counts},
    {"json", test_json},
    {"messages", test_messages},
    {"junit", test_junit},
    {"junit_verdicts", test_junit_verdicts},
    {"expect", test_expect},
    {"summary", test_summary},
    {"terminal", test_terminal},
    {"observations", test_observations},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("report", suite_init, suite_clean, tests);
