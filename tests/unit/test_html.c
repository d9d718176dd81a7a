/*
 * test_html.c - report.html (harness/report/html.c): requirement ids to RFC
 * sections, the plain-language sentences, and a page written from a
 * hostile report.json and event logs that must stay well-formed, with
 * every hostile string escaped.
 */
#include "unit.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/judge/evlog.h"
#include "harness/report/html.h"
#include "xmalloc.h"

/* slurp - the whole file (caller frees), or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	s[n] = '\0';
	fclose(f);
	return s;
}

/* spill - write text to dir/name. */
static void
spill(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/*
 * write_dir - report.html of the flat folder dir as analyse makes it:
 * the report tree (here read from dir/report.json), the excerpts of a
 * suite of its scenario ids gathered by the event-log reader from
 * dir/smtp.jsonl and dir/dns.jsonl. As html_write_report, 0 or -1.
 */
static int
write_dir(const char *dir)
{
	char *p = xasprintf("%s/report.json", dir);
	json_t *rep = json_load_file(p, 0, NULL), *s;
	struct scn_suite suite = {NULL, 0};
	struct html_evidence *hx;
	size_t i;
	int rc, have_dns, have_smtp;

	free(p);
	suite.items =
	    xcalloc(json_array_size(json_object_get(rep, "scenarios")) + 1,
	        sizeof(*suite.items));
	json_array_foreach(json_object_get(rep, "scenarios"), i, s)
	{
		if (!json_is_string(json_object_get(s, "id")))
			continue;
		suite.items[suite.n] = xcalloc(1, sizeof(struct scn));
		suite.items[suite.n++]->id =
		    (char *)json_string_value(json_object_get(s, "id"));
	}
	hx = html_evidence_new(&suite);
	evlog_read_run(dir, html_evidence_event, hx, &have_dns, &have_smtp);
	rc = html_write_report(dir, rep, hx);
	html_evidence_free(hx);
	for (i = 0; i < suite.n; i++)
		free(suite.items[i]);
	free(suite.items);
	json_decref(rep);
	return rc;
}

/* rm_dir - remove the flat test folder. */
static void
rm_dir(const char *dir)
{
	static const char *const names[] = {"report.json", "report.html",
	    "smtp.jsonl", "dns.jsonl", "capture.pcap"};
	size_t i;
	char *p;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = xasprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
	rmdir(dir);
}

/* test_rfc_section - ids of the catalogue map to RFC sections. */
static void
test_rfc_section(void)
{
	char out[64];

	CU_ASSERT_EQUAL(html_rfc_section("R-2.2.3-g", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "RFC 7672 section 2.2.3");
	CU_ASSERT_EQUAL(html_rfc_section("R7671-5.1-b", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "RFC 7671 section 5.1");
	CU_ASSERT_EQUAL(html_rfc_section("R-8.1-a", out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "RFC 7672 section 8.1");
	CU_ASSERT_EQUAL(html_rfc_section("X-1-a", out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, "X-1-a");
	CU_ASSERT_EQUAL(html_rfc_section("R-<b>-a", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(html_rfc_section("R1234567-1-a", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(html_rfc_section("R-", out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(html_rfc_section(NULL, out, sizeof(out)), -1);
	CU_ASSERT_STRING_EQUAL(out, "");
}

/* test_explain - sentences name what the expect line names. */
static void
test_explain(void)
{
	char *s;

	s = html_explain("outcome",
	    "expect outcome deferred bounced  req=R-2.2-a",
	    "delivered-plaintext");
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "was \"delivered-plaintext\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "is \"deferred\" or \"bounced\"."));
	CU_ASSERT_PTR_NULL(strstr(s, "req="));
	free(s);
	s = html_explain("never mail-plaintext",
	    "expect never mail-plaintext req=R-2.2-a severity=security", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "without encryption:"));
	free(s);
	s = html_explain("never connect", "expect never connect mx2", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "connected to mx2,"));
	free(s);
	s = html_explain(
	    "sni", "expect sni mx1 mx1.${DOMAIN} req=R-8.1-a", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "SNI: mx1 mx1.${DOMAIN}"));
	free(s);
	s = html_explain(NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL(s);
	free(s);
	s = html_explain("strange", "", "x");
	CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"strange\""));
	free(s);
}

static const char hostile_report[] =
    "{\"schema_version\":1,\"sut\":{\"name\":\"evil<script>alert(1)</script>\","
    "\"version\":\"1 & \\\"2\\\"\",\"options\":[\"a=<b>\",7]},"
    "\"suite\":{\"sha256\":\"00\"},"
    "\"run\":{\"started\":\"2026\",\"finished\":null,\"interrupted\":true,"
    "\"capture\":{\"analysis\":\"</pre><x>\"},\"logs\":{\"complete\":false}},"
    "\"scenarios\":["
    "{\"id\":\"s1\\\" onmouseover=\\\"x\",\"title\":\"<img src=x "
    "onerror=alert(1)>\","
    "\"severity\":\"security\",\"outcome\":\"delivered-plaintext\","
    "\"verdict\":\"fail\",\"decided\":true,"
    "\"expectations\":[{\"kind\":\"never mail-plaintext\","
    "\"requirements\":[\"R-2.2-a\",\"<R>\",5],\"severity\":\"security\","
    "\"text\":\"expect never mail-plaintext ]]> -->\",\"line\":\"x\","
    "\"verdict\":\"fail\",\"evidence\":\"MAIL FROM:<a@b> \\u0001\\u001b[31m "
    "\\u007f\\uffff\"}]},"
    "{\"id\":\"s2\",\"verdict\":\"pass\",\"expectations\":7},"
    "{\"id\":\"s3\",\"verdict\":\"weird\",\"expectations\":[{\"verdict\":"
    "\"inconclusive\","
    "\"reason\":\"<why>\"}]},"
    "17, null],"
    "\"summary\":{\"security_failures\":1,\"fail\":1,\"scenarios\":{\"fail\":1}"
    "}}";

/* test_hostile_page - hostile strings come out escaped; the page parses. */
static void
test_hostile_page(void)
{
	char dir[] = "/tmp/dsim-html-XXXXXX", *html, *p;
	htmlDocPtr doc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	spill(dir, "report.json", hostile_report);
	spill(dir, "capture.pcap", "");
	spill(dir, "smtp.jsonl",
	    "{\"event\":\"connect\",\"conn\":1,\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"host\":\"mx1\"}\n"
	    "{\"event\":\"command\",\"conn\":1,\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"line\":\"MAIL FROM:<x@y></pre><script>\"}\n"
	    "{\"event\":\"reply\",\"conn\":1,\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"code\":250,\"text\":\"a\\nb&c\"}\n"
	    "{\"event\":\"tls\",\"conn\":1,\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"ok\":true,\"sni\":\"<sni>\"}\n"
	    /* a client that closed after the STARTTLS reply: no hello */
	    "{\"event\":\"tls\",\"conn\":3,\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"ok\":false,\"client_hello\":false,"
	    "\"sni\":null,\"alert\":\"decode error\",\"error\":\"no TLS "
	    "record: the client closed the connection before sending one\"}\n"
	    "not json at all\n"
	    "[1,2]\n"
	    /* flawed (a duplicated key): the judge counts it malformed,
	       the excerpt still shows it, the last value kept */
	    "{\"event\":\"command\",\"conn\":2,\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"line\":\"first\",\"line\":\"RSET dup\"}\n"
	    "{\"event\":\"reply\",\"scenario\":42}\n");
	spill(dir, "dns.jsonl",
	    "{\"scenario\":\"s1\\\" "
	    "onmouseover=\\\"x\",\"qname\":\"<q>.test.\",\"qtype\":\"TLSA\","
	    "\"rcode\":\"SERVFAIL\",\"answers\":0,\"fault\":\"bogus&\"}\n");
	CU_ASSERT_EQUAL_FATAL(write_dir(dir), 0);
	p = xasprintf("%s/report.html", dir);
	html = slurp(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(html);
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NULL(strstr(html, "<img"));
	CU_ASSERT_PTR_NULL(strstr(html, "<sni>"));
	CU_ASSERT_PTR_NULL(strstr(html, "</pre><x>"));
	CU_ASSERT_PTR_NULL(strstr(html, "\" onmouseover"));
	CU_ASSERT_PTR_NULL(strchr(html, '\x1b'));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;script&gt;alert(1)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "Security-critical failures: 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "banner bad"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "can be made to send mail"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "RFC 7672 section 2.2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "C: MAIL FROM:&lt;x@y&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "S: 250-a\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "S: 250 b&amp;c"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "[conn 2] C: RSET dup"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html,
	    "[conn 3] no ClientHello: no TLS record: the client closed the "
	    "connection before sending one, alert decode error\n"));
	CU_ASSERT_PTR_NULL(strstr(html, "C: first"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(html, "&lt;q&gt;.test. TLSA -&gt; SERVFAIL"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "\\x01"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "href=\"capture.pcap\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "href=\"smtp.jsonl\""));
	CU_ASSERT_PTR_NULL(strstr(html, "href=\"junit.xml\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "&lt;why&gt;"));
	/* No network: nothing refers to another origin. */
	CU_ASSERT_PTR_NULL(strstr(html, "http://"));
	CU_ASSERT_PTR_NULL(strstr(html, "https://"));
	CU_ASSERT_PTR_NULL(strstr(html, " src=\""));
	CU_ASSERT_PTR_NULL(strstr(html, "<link"));
	/* A strict XML parser accepts it: the escaping held. */
	doc = xmlReadMemory(html, (int)strlen(html), "report.html", NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	CU_ASSERT_PTR_NOT_NULL(doc);
	xmlFreeDoc(doc);
	free(html);
	free(p);
	rm_dir(dir);
}

/* test_refusals - no report, garbage, a non-report: -1, no page. */
static void
test_refusals(void)
{
	char dir[] = "/tmp/dsim-html-XXXXXX", *p, *html;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL(write_dir(dir), -1);
	spill(dir, "report.json", "{\"scenarios\": [ ");
	CU_ASSERT_EQUAL(write_dir(dir), -1);
	spill(dir, "report.json", "[1,2,3]");
	CU_ASSERT_EQUAL(write_dir(dir), -1);
	spill(dir, "report.json", "{\"scenarios\":{}}");
	CU_ASSERT_EQUAL(write_dir(dir), -1);
	p = xasprintf("%s/report.html", dir);
	CU_ASSERT_EQUAL(access(p, F_OK), -1);
	free(p);
	spill(dir, "report.json", "{\"scenarios\":[]}");
	CU_ASSERT_EQUAL(write_dir(dir), 0);
	/* A security failure that exposed nothing is not called one. */
	spill(dir, "report.json",
	    "{\"summary\":{\"security_failures\":1},\"scenarios\":[{\"id\":"
	    "\"x\",\"verdict\":\"fail\",\"expectations\":[{\"kind\":"
	    "\"outcome\",\"severity\":\"security\",\"verdict\":\"fail\"},"
	    "{\"kind\":\"never mail-plaintext\",\"severity\":\"security\","
	    "\"verdict\":\"pass\"}]}]}");
	CU_ASSERT_EQUAL(write_dir(dir), 0);
	p = xasprintf("%s/report.html", dir);
	html = slurp(p);
	free(p);
	CU_ASSERT_PTR_NOT_NULL(html);
	if (html != NULL) {
		CU_ASSERT_PTR_NOT_NULL(strstr(html, "never exposed mail"));
		CU_ASSERT_PTR_NULL(strstr(html, "can be made to send"));
		CU_ASSERT_PTR_NOT_NULL(strstr(html, "banner bad"));
	}
	free(html);
	rm_dir(dir);
	CU_ASSERT_EQUAL(write_dir("/nonexistent/dir"), -1);
}

/* test_scale - 20000 failed scenarios and as many log lines: the page
   is written in linear time (a quadratic lookup would take minutes). */
static void
test_scale(void)
{
	char dir[] = "/tmp/dsim-html-XXXXXX", *p;
	FILE *f;
	int i;
	time_t t0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	p = xasprintf("%s/report.json", dir);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"scenarios\":[", f);
	for (i = 0; i < 20000; i++)
		fprintf(f, "%s{\"id\":\"s%d\",\"verdict\":\"fail\"}",
		    i ? "," : "", i);
	fputs("]}", f);
	fclose(f);
	free(p);
	p = xasprintf("%s/smtp.jsonl", dir);
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (i = 0; i < 20000; i++)
		fprintf(f,
		    "{\"event\":\"command\",\"conn\":%d,"
		    "\"scenario\":\"s%d\",\"line\":\"EHLO x\"}\n",
		    i, 19999 - i);
	fclose(f);
	free(p);
	t0 = time(NULL);
	CU_ASSERT_EQUAL(write_dir(dir), 0);
	CU_ASSERT(time(NULL) - t0 < 60);
	rm_dir(dir);
}

static CU_TestInfo tests[] = {
    {"rfc_section", test_rfc_section},
    {"explain", test_explain},
    {"hostile_page", test_hostile_page},
    {"refusals", test_refusals},
    {"scale", test_scale},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("html", NULL, NULL, tests);
