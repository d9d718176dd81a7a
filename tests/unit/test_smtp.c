/*
 * test_smtp.c - SMTP command and reply line parser (lib/smtp.c).
 */
#include "unit.h"

#include <string.h>

#include "smtp.h"

/* parse - smtp_parse_command on a C string. */
static int
parse(const char *s, struct smtp_cmd *c)
{
	return smtp_parse_command(s, strlen(s), c);
}

/* test_verbs - verbs are case-insensitive, unknown ones are kept. */
static void
test_verbs(void)
{
	struct smtp_cmd c;

	CU_ASSERT_EQUAL(parse("ehlo client.test", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_EHLO);
	CU_ASSERT_STRING_EQUAL(c.word, "EHLO");
	CU_ASSERT_EQUAL(c.arglen, 11);
	CU_ASSERT_EQUAL(strncmp(c.arg, "client.test", c.arglen), 0);

	CU_ASSERT_EQUAL(parse("StartTLS", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_STARTTLS);
	CU_ASSERT_STRING_EQUAL(c.arg, "");
	CU_ASSERT_EQUAL(c.arglen, 0);

	CU_ASSERT_EQUAL(parse("STARTTLX", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(c.word, "STARTTLX");

	CU_ASSERT_EQUAL(parse("QUITE", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_UNKNOWN);
	CU_ASSERT_EQUAL(parse("QUIT", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_QUIT);
	CU_ASSERT_EQUAL(parse("bdat 100 LAST", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_BDAT);

	/* A long verb is truncated in word and never matches. */
	CU_ASSERT_EQUAL(parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ x", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_UNKNOWN);
	CU_ASSERT_EQUAL(strlen(c.word), sizeof(c.word) - 1);
	CU_ASSERT_STRING_EQUAL(smtp_verb_str(SMTP_CMD_RCPT), "RCPT");
	CU_ASSERT_STRING_EQUAL(smtp_verb_str(SMTP_CMD__COUNT), "UNKNOWN");
}

/* test_bad_lines - empty, control bytes, NUL, overlong lines fail. */
static void
test_bad_lines(void)
{
	struct smtp_cmd c;
	char big[1200];

	CU_ASSERT_EQUAL(parse("", &c), -1);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_UNKNOWN);
	CU_ASSERT_EQUAL(parse(" MAIL", &c), -1);
	CU_ASSERT_EQUAL(parse("MA\tIL FROM:<a@b>", &c), -1);
	CU_ASSERT_EQUAL(smtp_parse_command("QU\0IT", 5, &c), -1);
	CU_ASSERT_EQUAL(parse("\x16\x03\x01", &c), -1);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_UNKNOWN);
	CU_ASSERT_PTR_NULL(c.addr);

	memset(big, 'A', sizeof(big));
	memcpy(big, "NOOP ", 5);
	CU_ASSERT_EQUAL(smtp_parse_command(big, 1000, &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_NOOP);
	CU_ASSERT_EQUAL(smtp_parse_command(big, 1001, &c), -1);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_UNKNOWN);
	/* Arguments may carry any byte; only the verb is checked. */
	CU_ASSERT_EQUAL(smtp_parse_command("NOOP \x01\0x", 8, &c), 0);
	CU_ASSERT_EQUAL(c.arglen, 3);
}

/* addr_is - the command's address equals s. */
static int
addr_is(const struct smtp_cmd *c, const char *s)
{
	return c->addr != NULL && c->addrlen == strlen(s) &&
	       memcmp(c->addr, s, c->addrlen) == 0;
}

/* test_paths - MAIL FROM and RCPT TO addresses. */
static void
test_paths(void)
{
	struct smtp_cmd c;

	CU_ASSERT_EQUAL(parse("MAIL FROM:<a@b.test> SIZE=100", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_MAIL);
	CU_ASSERT(addr_is(&c, "a@b.test"));

	CU_ASSERT_EQUAL(parse("mail from:<>", &c), 0);
	CU_ASSERT_PTR_NOT_NULL(c.addr);
	CU_ASSERT_EQUAL(c.addrlen, 0);

	CU_ASSERT_EQUAL(parse("MAIL FROM: <sp@b.test>", &c), 0);
	CU_ASSERT(addr_is(&c, "sp@b.test"));
	CU_ASSERT_EQUAL(parse("MAIL FROM:bare@b.test BODY=8BITMIME", &c), 0);
	CU_ASSERT(addr_is(&c, "bare@b.test"));

	CU_ASSERT_EQUAL(parse("RCPT TO:<\"x>y\"@d.test>", &c), 0);
	CU_ASSERT_EQUAL(c.verb, SMTP_CMD_RCPT);
	CU_ASSERT(addr_is(&c, "\"x>y\"@d.test"));
	CU_ASSERT_EQUAL(parse("RCPT TO:<\"a\\\"b\"@d.test>", &c), 0);
	CU_ASSERT(addr_is(&c, "\"a\\\"b\"@d.test"));

	/* Malformed: no closing bracket, nested bracket, wrong keyword. */
	CU_ASSERT_EQUAL(parse("RCPT TO:<u@d.test", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
	CU_ASSERT_EQUAL(c.addrlen, 0);
	CU_ASSERT_EQUAL(parse("RCPT TO:<u<@d.test>", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
	CU_ASSERT_EQUAL(parse("RCPT FROM:<u@d.test>", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
	CU_ASSERT_EQUAL(parse("MAIL TO:<u@d.test>", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
	CU_ASSERT_EQUAL(parse("MAIL FROM:", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
	CU_ASSERT_EQUAL(parse("RCPT TO:x>", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
	CU_ASSERT_EQUAL(parse("MAIL", &c), 0);
	CU_ASSERT_PTR_NULL(c.addr);
}

/* test_replies - reply lines, continuation and bad forms. */
static void
test_replies(void)
{
	int code, last;
	const char *text;

	CU_ASSERT_EQUAL(
	    smtp_parse_reply("250-PIPELINING", 14, &code, &last, &text), 0);
	CU_ASSERT_EQUAL(code, 250);
	CU_ASSERT_EQUAL(last, 0);
	CU_ASSERT_EQUAL(strncmp(text, "PIPELINING", 10), 0);

	CU_ASSERT_EQUAL(
	    smtp_parse_reply("220 2.0.0 Ready", 15, &code, &last, &text), 0);
	CU_ASSERT_EQUAL(code, 220);
	CU_ASSERT_EQUAL(last, 1);
	CU_ASSERT_STRING_EQUAL(text, "2.0.0 Ready");

	CU_ASSERT_EQUAL(smtp_parse_reply("354", 3, &code, &last, &text), 0);
	CU_ASSERT_EQUAL(code, 354);
	CU_ASSERT_EQUAL(last, 1);
	CU_ASSERT_STRING_EQUAL(text, "");

	CU_ASSERT_EQUAL(smtp_parse_reply("25", 2, &code, &last, &text), -1);
	CU_ASSERT_EQUAL(smtp_parse_reply("250x", 4, &code, &last, &text), -1);
	CU_ASSERT_EQUAL(smtp_parse_reply("650 no", 6, &code, &last, &text), -1);
	CU_ASSERT_EQUAL(smtp_parse_reply("2a0 no", 6, &code, &last, &text), -1);
	CU_ASSERT_EQUAL(code, 0);
	CU_ASSERT_EQUAL(smtp_parse_reply("EHLO x", 6, &code, &last, &text), -1);
}

/* test_line_end - CRLF, bare LF, bare CR and incomplete lines. */
static void
test_line_end(void)
{
	size_t used;

	CU_ASSERT_EQUAL(smtp_line_end("QUIT\r\nNOOP", 10, &used), 4);
	CU_ASSERT_EQUAL(used, 6);
	CU_ASSERT_EQUAL(smtp_line_end("QUIT\nNOOP", 9, &used), 4);
	CU_ASSERT_EQUAL(used, 5);
	CU_ASSERT_EQUAL(smtp_line_end("\r\n", 2, &used), 0);
	CU_ASSERT_EQUAL(used, 2);
	CU_ASSERT_EQUAL(smtp_line_end("\n", 1, &used), 0);
	CU_ASSERT_EQUAL(used, 1);
	CU_ASSERT_EQUAL(smtp_line_end("QU\rIT", 5, &used), -1);
	CU_ASSERT_EQUAL(smtp_line_end("QUIT\r", 5, &used), -1);
	CU_ASSERT_EQUAL(used, 0);
	CU_ASSERT_EQUAL(smtp_line_end("", 0, &used), -1);
	CU_ASSERT_EQUAL(smtp_line_end("A\r\rB\r\n", 6, &used), 4);
}

/* test_addr_literal - RFC 5321 §4.1.3 address literals. */
static void
test_addr_literal(void)
{
	char a[64];

	CU_ASSERT_TRUE(smtp_addr_literal("[192.0.2.1]", a, sizeof(a)));
	CU_ASSERT_STRING_EQUAL(a, "192.0.2.1");
	CU_ASSERT_TRUE(smtp_addr_literal("[IPv6:2001:db8::1]", a, sizeof(a)));
	CU_ASSERT_STRING_EQUAL(a, "2001:db8::1");
	CU_ASSERT_TRUE(smtp_addr_literal("[ipv6:::1]", NULL, 0));
	CU_ASSERT_FALSE(smtp_addr_literal("192.0.2.1", a, sizeof(a)));
	CU_ASSERT_FALSE(smtp_addr_literal("[192.0.2.300]", a, sizeof(a)));
	CU_ASSERT_FALSE(smtp_addr_literal("[2001:db8::1]", a, sizeof(a)));
	CU_ASSERT_FALSE(smtp_addr_literal("[mx.example]", a, sizeof(a)));
	CU_ASSERT_FALSE(smtp_addr_literal("[]", a, sizeof(a)));
	CU_ASSERT_FALSE(smtp_addr_literal("[192.0.2.1", a, sizeof(a)));
	CU_ASSERT_FALSE(smtp_addr_literal(NULL, a, sizeof(a)));
}

static CU_TestInfo tests[] = {
    {"verbs", test_verbs},
    {"bad_lines", test_bad_lines},
    {"paths", test_paths},
    {"replies", test_replies},
    {"line_end", test_line_end},
    {"addr_literal", test_addr_literal},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("smtp", NULL, NULL, tests);
