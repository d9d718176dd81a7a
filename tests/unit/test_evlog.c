/*
 * test_evlog.c - the one reader of the event logs (harness/judge/evlog.c)
 * on crafted logs: every line handed on in order, as a sound object, a
 * flawed one (duplicated key, text after it) or none (garbage, an array,
 * a truncated last line); blank lines and trailing white space dropped;
 * an unknown event handed on like any other (its reader decides).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness/judge/evlog.h"
#include "xmalloc.h"

/* record - one line per event: "LOG FLAW event|-" into the buf arg. */
static void
record(void *arg, enum evlog_log log, json_t *ev, enum evlog_flaw flaw)
{
	struct buf *b = arg;
	const char *e = json_string_value(json_object_get(ev, "event"));

	buf_printf(b, "%s %s %s\n", log == EVLOG_SMTP ? "smtp" : "dns",
	    flaw == EVLOG_SOUND ? "sound" : "flawed",
	    ev == NULL ? "-" : (e != NULL ? e : "?"));
}

/* read_text - what the reader hands on for text as log log. */
static char *
read_text(const char *text, enum evlog_log log)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct buf b;
	char *out;

	buf_init(&b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	evlog_read(fp, log, record, &b);
	fclose(fp);
	out = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return out;
}

static const struct {
	const char *name, *log, *want;
} cases[] = {
    {"sound", "{\"event\":\"connect\",\"conn\":1}\n", "smtp sound connect\n"},
    {"no final newline", "{\"event\":\"quit\"}", "smtp sound quit\n"},
    {"trailing space", "{\"event\":\"quit\"}  \r\n", "smtp sound quit\n"},
    {"blank lines", "\n   \n\r\n", ""},
    {"garbage", "not json at all\n", "smtp flawed -\n"},
    {"array", "[1,2,3]\n", "smtp flawed -\n"},
    {"string", "\"connect\"\n", "smtp flawed -\n"},
    {"truncated last line", "{\"event\":\"connect\"}\n{\"event\":\"com",
        "smtp sound connect\n"
        "smtp flawed -\n"},
    {"duplicated key", "{\"event\":\"connect\",\"event\":\"quit\"}\n",
        "smtp flawed quit\n"},
    {"text after the object", "{\"event\":\"data\"} trailing\n",
        "smtp flawed data\n"},
    {"unknown event", "{\"event\":\"teleport\"}\n", "smtp sound teleport\n"},
    {"no event", "{\"t\":1}\n", "smtp sound ?\n"},
    {"in order",
        "{\"event\":\"a\"}\nx\n{\"event\":\"b\"}\n\n{\"event\":\"c\"}\n",
        "smtp sound a\nsmtp flawed -\nsmtp sound b\nsmtp sound c\n"},
};

/* test_lines - every case of the table. */
static void
test_lines(void)
{
	size_t i;
	char *got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = read_text(cases[i].log, EVLOG_SMTP);
		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "\nevlog case %s: got \"%s\"\n",
			    cases[i].name, got);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
		free(got);
	}
}

/* test_dns_log - the log's kind is handed through. */
static void
test_dns_log(void)
{
	char *got = read_text("{\"qname\":\"a.test.\"}\n", EVLOG_DNS);

	CU_ASSERT_STRING_EQUAL(got, "dns sound ?\n");
	free(got);
	CU_ASSERT_STRING_EQUAL(evlog_name(EVLOG_DNS), "dns.jsonl");
	CU_ASSERT_STRING_EQUAL(evlog_name(EVLOG_SMTP), "smtp.jsonl");
}

/* put - write text to dir/name, or remove it when text is NULL. */
static void
put(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f;

	if (text == NULL) {
		unlink(p);
	} else {
		f = fopen(p, "w");
		CU_ASSERT_PTR_NOT_NULL(f);
		if (f != NULL) {
			fputs(text, f);
			fclose(f);
		}
	}
	free(p);
}

/* test_run_dir - dns.jsonl before smtp.jsonl; a missing log is said. */
static void
test_run_dir(void)
{
	char dir[] = "/tmp/dsim-evlog-XXXXXX";
	int have_dns = -1, have_smtp = -1;
	struct buf b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	buf_init(&b);
	evlog_read_run(dir, record, &b, &have_dns, &have_smtp);
	CU_ASSERT_EQUAL(have_dns, 0);
	CU_ASSERT_EQUAL(have_smtp, 0);
	CU_ASSERT_EQUAL(b.len, 0);
	put(dir, "smtp.jsonl", "{\"event\":\"connect\"}\n");
	put(dir, "dns.jsonl", "{\"qname\":\"x.\"}\n");
	evlog_read_run(dir, record, &b, &have_dns, &have_smtp);
	CU_ASSERT_EQUAL(have_dns, 1);
	CU_ASSERT_EQUAL(have_smtp, 1);
	CU_ASSERT_STRING_EQUAL(
	    buf_cstr(&b), "dns sound ?\nsmtp sound connect\n");
	buf_free(&b);
	put(dir, "smtp.jsonl", NULL);
	put(dir, "dns.jsonl", NULL);
	rmdir(dir);
}

static CU_TestInfo tests[] = {
    {"lines", test_lines},
    {"dns_log", test_dns_log},
    {"run_dir", test_run_dir},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("evlog", NULL, NULL, tests);
