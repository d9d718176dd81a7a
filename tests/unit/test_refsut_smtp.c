/*
 * test_refsut_smtp.c - refsut's pure SMTP helpers (refsut/rs_smtp.c):
 * reply lines (RFC 5321 §4.2), EHLO keywords (RFC 3207 §4), DATA
 * encoding with dot stuffing (RFC 5321 §4.5.2), address checks.
 */
#include "unit.h"

#include <string.h>

#include "buf.h"
#include "refsut/rs_smtp.h"

/* test_reply_line - good and bad reply lines. */
static void
test_reply_line(void)
{
	int code = 0, more = -1;
	const char *text = NULL;
	const char *l;

	l = "250-STARTTLS";
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line(l, strlen(l), &code, &more, &text), 0);
	CU_ASSERT_EQUAL(code, 250);
	CU_ASSERT_EQUAL(more, 1);
	CU_ASSERT_STRING_EQUAL(text, "STARTTLS");
	l = "220 ready";
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line(l, strlen(l), &code, &more, &text), 0);
	CU_ASSERT_EQUAL(code, 220);
	CU_ASSERT_EQUAL(more, 0);
	CU_ASSERT_STRING_EQUAL(text, "ready");
	l = "354";
	CU_ASSERT_EQUAL(rs_smtp_parse_reply_line(l, 3, &code, &more, &text), 0);
	CU_ASSERT_EQUAL(code, 354);
	CU_ASSERT_EQUAL(more, 0);
	CU_ASSERT_STRING_EQUAL(text, "");
	/* Not reply lines. */
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("25", 2, &code, &more, &text), -1);
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("", 0, &code, &more, &text), -1);
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("2500 x", 6, &code, &more, &text), -1);
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("150 x", 5, &code, &more, &text), -1);
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("650 x", 5, &code, &more, &text), -1);
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("2a0 x", 5, &code, &more, &text), -1);
	CU_ASSERT_EQUAL(
	    rs_smtp_parse_reply_line("EHLO x", 6, &code, &more, &text), -1);
}

/* test_keyword - STARTTLS as a keyword, not in the greeting or a word. */
static void
test_keyword(void)
{
	CU_ASSERT_TRUE(rs_smtp_has_keyword("mx greets you\nPIPELINING\n"
	                                   "STARTTLS\n8BITMIME",
	    "STARTTLS"));
	CU_ASSERT_TRUE(rs_smtp_has_keyword("mx\nstarttls", "STARTTLS"));
	CU_ASSERT_TRUE(rs_smtp_has_keyword("mx\nSIZE 1000", "SIZE"));
	/* In the greeting line only: not an extension. */
	CU_ASSERT_FALSE(rs_smtp_has_keyword("STARTTLS\n8BITMIME", "STARTTLS"));
	CU_ASSERT_FALSE(rs_smtp_has_keyword("mx\nXSTARTTLS", "STARTTLS"));
	CU_ASSERT_FALSE(rs_smtp_has_keyword("mx\nSTARTTLSX", "STARTTLS"));
	CU_ASSERT_FALSE(rs_smtp_has_keyword("mx\nSTART TLS", "STARTTLS"));
	CU_ASSERT_FALSE(rs_smtp_has_keyword("mx", "STARTTLS"));
	CU_ASSERT_FALSE(rs_smtp_has_keyword("", "STARTTLS"));
	CU_ASSERT_FALSE(rs_smtp_has_keyword(NULL, "STARTTLS"));
}

/* test_encode - CRLF endings, dot stuffing, terminator. */
static void
test_encode(void)
{
	struct buf b;
	const char *m;

	buf_init(&b);
	m = "Subject: x\n\n.hidden\nbody\r\n..two\rlast";
	rs_smtp_encode_body(m, strlen(m), &b);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "Subject: x\r\n\r\n..hidden\r\n"
	                                     "body\r\n...two\r\nlast\r\n.\r\n");
	buf_reset(&b);
	rs_smtp_encode_body("", 0, &b);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), ".\r\n");
	buf_reset(&b);
	rs_smtp_encode_body(".\r\n", 3, &b);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "..\r\n.\r\n");
	buf_reset(&b);
	/* A NUL byte does not end the message. */
	rs_smtp_encode_body("a\0b\n", 4, &b);
	CU_ASSERT_EQUAL(b.len, 8);
	CU_ASSERT_EQUAL(memcmp(b.data, "a\0b\r\n.\r\n", 8), 0);
	buf_free(&b);
}

/* test_address - what may go between < and >. */
static void
test_address(void)
{
	char longaddr[300];

	CU_ASSERT_TRUE(rs_smtp_valid_address("a@b.test"));
	CU_ASSERT_TRUE(rs_smtp_valid_address(""));
	CU_ASSERT_FALSE(rs_smtp_valid_address("a b@c.test"));
	CU_ASSERT_FALSE(rs_smtp_valid_address("a@c.test>\r\nRCPT TO:<x"));
	CU_ASSERT_FALSE(rs_smtp_valid_address("<a@b.test>"));
	CU_ASSERT_FALSE(rs_smtp_valid_address("a\xc3\xa9@b.test"));
	memset(longaddr, 'a', sizeof(longaddr) - 1);
	longaddr[sizeof(longaddr) - 1] = '\0';
	CU_ASSERT_FALSE(rs_smtp_valid_address(longaddr));
}

/* test_strings - log names of the states. */
static void
test_strings(void)
{
	CU_ASSERT_STRING_EQUAL(rs_rcpt_state_str(RS_RCPT_PENDING), "pending");
	CU_ASSERT_STRING_EQUAL(rs_rcpt_state_str(RS_RCPT_BOUNCED), "bounced");
	CU_ASSERT_STRING_EQUAL(rs_attempt_result_str(RS_ATT_FAILED), "failed");
}

static CU_TestInfo tests[] = {
    {"strings", test_strings},
    {"reply_line", test_reply_line},
    {"keyword", test_keyword},
    {"encode", test_encode},
    {"address", test_address},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("refsut_smtp", NULL, NULL, tests);
