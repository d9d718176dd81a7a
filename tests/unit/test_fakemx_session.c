/*
 * test_fakemx_session.c - the fakemx session state machine driven without
 * sockets: lines in, replies, states and actions out (fakemx/mx_session.c,
 * fakemx/mx_behave.c).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakemx/mx_evlog.h"
#include "fakemx/mx_session.h"
#include "xmalloc.h"

static struct mx_listener lst;
static char maildir[64];

/* setup - an honest listener and a fresh mail folder. */
static void
setup(void)
{
	memset(&lst, 0, sizeof(lst));
	lst.address = "127.0.0.1";
	lst.port = 25;
	lst.scenario = "unit";
	lst.host = "mx1";
	mx_behave_init(&lst.behave, "mx1.unit.test");
	snprintf(maildir, sizeof(maildir), "/tmp/dsim-unit-mx-%d/mail",
	    (int)getpid());
}

/* teardown - release the listener's behaviour. */
static void
teardown(void)
{
	char parent[64];

	mx_behave_free(&lst.behave);
	snprintf(parent, sizeof(parent), "/tmp/dsim-unit-mx-%d", (int)getpid());
	rmdir(maildir);
	rmdir(parent);
}

/* make_dirs - create the mail folder (and its parent). */
static void
make_dirs(void)
{
	char parent[64];

	snprintf(parent, sizeof(parent), "/tmp/dsim-unit-mx-%d", (int)getpid());
	mkdir(parent, 0755);
	mkdir(maildir, 0755);
}

/* feed - send a C string to the session. */
static void
feed(struct mx_session *s, const char *text)
{
	mx_session_feed(s, text, strlen(text));
}

/* take - the queued output as a new string; the output is emptied. */
static char *
take(struct mx_session *s)
{
	char *r = xstrndup(s->out.data ? s->out.data : "", s->out.len);

	buf_reset(&s->out);
	return r;
}

/* expect_out - the queued output equals want exactly (then emptied). */
static int
expect_out(struct mx_session *s, const char *want)
{
	char *got = take(s);
	int ok = strcmp(got, want) == 0;

	if (!ok)
		fprintf(stderr, "\n  want: %s\n  got:  %s\n", want, got);
	free(got);
	return ok;
}

/* greeted_session - a session past banner and EHLO. */
static struct mx_session *
greeted_session(void)
{
	struct mx_session *s = mx_session_new(&lst, 7, NULL, maildir);

	mx_session_start(s);
	feed(s, "EHLO client.test\r\n");
	buf_reset(&s->out);
	return s;
}

/* test_honest - a whole delivery through STARTTLS, message stored. */
static void
test_honest(void)
{
	struct mx_session *s;
	char path[128], data[256];
	char *out;
	FILE *fp;
	size_t n;

	setup();
	make_dirs();
	s = mx_session_new(&lst, 7, NULL, maildir);
	CU_ASSERT_EQUAL(s->state, MX_ST_NEW);
	mx_session_start(s);
	CU_ASSERT(expect_out(s, "220 mx1.unit.test ESMTP danesim fakemx\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_GREET);
	feed(s, "EHLO client.test\r\n");
	CU_ASSERT(expect_out(s,
	    "250-mx1.unit.test\r\n250-PIPELINING\r\n"
	    "250-SIZE 10485760\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n"
	    "250 STARTTLS\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	feed(s, "STARTTLS\r\n");
	CU_ASSERT(expect_out(s, "220 2.0.0 Ready to start TLS\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_TLS);
	CU_ASSERT_EQUAL(s->action, MX_ACT_STARTTLS);
	/* Nothing is processed until the handshake is done. */
	feed(s, "NOOP\r\n");
	CU_ASSERT_EQUAL(s->out.len, 0);
	mx_session_tls_start(s);
	CU_ASSERT_EQUAL(s->in.len, 0);
	CU_ASSERT_EQUAL(s->action, MX_ACT_NONE);
	mx_session_tls_done(s);
	CU_ASSERT_EQUAL(s->tls, 1);
	CU_ASSERT_EQUAL(s->state, MX_ST_GREET);
	/* RFC 3207 §4.2: EHLO again; MAIL before it is out of sequence. */
	feed(s, "MAIL FROM:<a@b.test>\r\n");
	CU_ASSERT(
	    expect_out(s, "503 5.5.1 Error: bad sequence of commands\r\n"));
	feed(s, "EHLO client.test\r\n");
	out = take(s);
	CU_ASSERT_PTR_NULL(strstr(out, "STARTTLS"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "250 ENHANCEDSTATUSCODES\r\n"));
	free(out);
	feed(s, "MAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n");
	CU_ASSERT(expect_out(s, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
	                        "354 End data with <CR><LF>.<CR><LF>\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_BODY);
	feed(
	    s, "Message-ID:\r\n <m1@unit.test>\r\nSubject: x\r\n\r\n..dot\r\n");
	feed(s, "line\r\n.\r\n");
	CU_ASSERT(expect_out(s, "250 2.0.0 Ok: queued\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->last_file);
	CU_ASSERT_STRING_EQUAL(s->last_file, "mail/unit-7.eml");
	snprintf(path, sizeof(path), "%s/unit-7.eml", maildir);
	fp = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	n = fread(data, 1, sizeof(data) - 1, fp);
	data[n] = '\0';
	fclose(fp);
	unlink(path);
	CU_ASSERT_STRING_EQUAL(data, "Message-ID:\r\n <m1@unit.test>\r\n"
	                             "Subject: x\r\n\r\n.dot\r\nline\r\n");
	feed(s, "QUIT\r\n");
	CU_ASSERT(expect_out(s, "221 2.0.0 Bye\r\n"));
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	CU_ASSERT_EQUAL(s->state, MX_ST_CLOSED);
	mx_session_free(s);
	teardown();
}

/* test_starttls_variants - strip, mangle, HELO-only, refused, dropped,
 * injected. */
static void
test_starttls_variants(void)
{
	struct mx_session *s;
	char *out;

	setup();
	lst.behave.starttls = MXS_STLS_STRIP;
	s = greeted_session();
	buf_reset(&s->out);
	feed(s, "EHLO again\r\n");
	out = take(s);
	CU_ASSERT_PTR_NULL(strstr(out, "STARTTLS"));
	CU_ASSERT_PTR_NULL(strstr(out, "STARTTLX"));
	free(out);
	feed(s, "STARTTLS\r\n");
	CU_ASSERT(
	    expect_out(s, "502 5.5.1 Error: command not implemented\r\n"));
	CU_ASSERT_EQUAL(s->action, MX_ACT_NONE);
	mx_session_free(s);

	lst.behave.starttls = MXS_STLS_MANGLE;
	s = greeted_session();
	feed(s, "EHLO again\r\n");
	out = take(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "250 STARTTLX\r\n"));
	free(out);
	mx_session_free(s);

	lst.behave.starttls = MXS_STLS_OFFER;
	lst.behave.esmtp = 0;
	s = mx_session_new(&lst, 1, NULL, NULL);
	mx_session_start(s);
	buf_reset(&s->out);
	feed(s, "EHLO c\r\n");
	CU_ASSERT(
	    expect_out(s, "502 5.5.1 Error: command not implemented\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_GREET);
	feed(s, "HELO c\r\n");
	CU_ASSERT(expect_out(s, "250 mx1.unit.test\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	mx_session_free(s);
	lst.behave.esmtp = 1;

	lst.behave.reply[MXS_STAGE_STARTTLS].set = 1;
	lst.behave.reply[MXS_STAGE_STARTTLS].code = 454;
	lst.behave.reply[MXS_STAGE_STARTTLS].text =
	    xstrdup("4.7.0 TLS not available");
	s = greeted_session();
	feed(s, "STARTTLS\r\n");
	CU_ASSERT(expect_out(s, "454 4.7.0 TLS not available\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	CU_ASSERT_EQUAL(s->action, MX_ACT_NONE);
	feed(s, "MAIL FROM:<x@y>\r\n");
	CU_ASSERT(expect_out(s, "250 2.1.0 Ok\r\n"));
	mx_session_free(s);

	lst.behave.reply[MXS_STAGE_STARTTLS].drop = 1;
	s = greeted_session();
	feed(s, "STARTTLS\r\n");
	CU_ASSERT_EQUAL(s->out.len, 0);
	CU_ASSERT_EQUAL(s->action, MX_ACT_DROP);
	CU_ASSERT_EQUAL(s->state, MX_ST_CLOSED);
	mx_session_free(s);
	free(lst.behave.reply[MXS_STAGE_STARTTLS].text);
	memset(&lst.behave.reply[MXS_STAGE_STARTTLS], 0,
	    sizeof(lst.behave.reply[0]));

	lst.behave.inject =
	    xstrdup("250-INJECTED\r\n550 5.7.1 injected-marker\r\n");
	lst.behave.injectlen = strlen(lst.behave.inject);
	s = greeted_session();
	feed(s, "STARTTLS\r\n");
	CU_ASSERT(
	    expect_out(s, "220 2.0.0 Ready to start TLS\r\n"
	                  "250-INJECTED\r\n550 5.7.1 injected-marker\r\n"));
	CU_ASSERT_EQUAL(s->action, MX_ACT_STARTTLS);
	mx_session_free(s);
	teardown();
}

/* test_after_tls - second STARTTLS, re-advertised STARTTLS, plaintext
 * pipelined after STARTTLS, close after the handshake. */
static void
test_after_tls(void)
{
	struct mx_session *s;
	char *out;

	setup();
	s = greeted_session();
	feed(s, "STARTTLS\r\nEHLO pipelined\r\nMAIL FROM:<a@b>\r\n");
	CU_ASSERT(expect_out(s, "220 2.0.0 Ready to start TLS\r\n"));
	CU_ASSERT(s->in.len > 0);
	mx_session_tls_start(s);
	CU_ASSERT_EQUAL(s->in.len, 0);
	mx_session_tls_done(s);
	CU_ASSERT_EQUAL(s->out.len, 0); /* nothing answered from cleartext */
	feed(s, "EHLO c\r\nSTARTTLS\r\n");
	out = take(s);
	CU_ASSERT_PTR_NULL(strstr(out, "250 STARTTLS"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "503 5.5.1 Error: TLS already active\r\n"));
	free(out);
	mx_session_free(s);

	lst.behave.flag[MXS_FLAG_EHLO_AFTER_TLS_STARTTLS] = 1;
	s = greeted_session();
	feed(s, "STARTTLS\r\n");
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	buf_reset(&s->out);
	feed(s, "EHLO c\r\n");
	out = take(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "250 STARTTLS\r\n"));
	free(out);
	mx_session_free(s);

	lst.behave.flag[MXS_FLAG_CLOSE_AFTER_HANDSHAKE] = 1;
	s = greeted_session();
	feed(s, "STARTTLS\r\n");
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	CU_ASSERT_EQUAL(s->state, MX_ST_CLOSED);
	mx_session_free(s);
	teardown();
}

/* test_sequence - out-of-order commands, syntax, unknown, empty lines. */
static void
test_sequence(void)
{
	struct mx_session *s;

	setup();
	s = mx_session_new(&lst, 2, NULL, NULL);
	mx_session_start(s);
	buf_reset(&s->out);
	feed(s, "MAIL FROM:<a@b>\r\n");
	CU_ASSERT(
	    expect_out(s, "503 5.5.1 Error: bad sequence of commands\r\n"));
	feed(s, "EHLO\r\n");
	CU_ASSERT(expect_out(
	    s, "501 5.5.4 Syntax error in parameters or arguments\r\n"));
	feed(s, "HELO c\r\nRCPT TO:<a@b>\r\nDATA\r\nMAIL FROM:a b\r\n");
	CU_ASSERT(expect_out(s, "250 mx1.unit.test\r\n"
	                        "503 5.5.1 Error: bad sequence of commands\r\n"
	                        "503 5.5.1 Error: bad sequence of commands\r\n"
	                        "250 2.1.0 Ok\r\n"));
	feed(s, "MAIL FROM:<a@b>\r\n");
	CU_ASSERT(
	    expect_out(s, "503 5.5.1 Error: bad sequence of commands\r\n"));
	feed(s, "RCPT TO:<broken\r\nRCPT TO:<ok@d>\r\nSTARTTLS\r\n");
	CU_ASSERT(expect_out(s,
	    "501 5.5.4 Syntax error in parameters or arguments\r\n"
	    "250 2.1.5 Ok\r\n503 5.5.1 Error: bad sequence of commands\r\n"));
	feed(s, "RSET\r\nDATA\r\n");
	CU_ASSERT(
	    expect_out(s, "250 2.0.0 Ok\r\n"
	                  "503 5.5.1 Error: bad sequence of commands\r\n"));
	feed(s, "FOO bar\r\n\r\n\x01\x02\r\nVRFY x\r\nNOOP\nBDAT 10 LAST\r\n");
	CU_ASSERT(
	    expect_out(s, "500 5.5.2 Error: command not recognized\r\n"
	                  "500 5.5.2 Error: command not recognized\r\n"
	                  "500 5.5.2 Error: command not recognized\r\n"
	                  "252 2.0.0 Cannot VRFY user\r\n250 2.0.0 Ok\r\n"
	                  "502 5.5.1 Error: command not implemented\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	mx_session_free(s);
	teardown();
}

/* test_long_lines - a line over 1000 octets gets one 500 and the session
 * resynchronises at the next line end, however the bytes arrive. */
static void
test_long_lines(void)
{
	struct mx_session *s;
	char big[3000];
	size_t i;

	setup();
	s = greeted_session();
	memset(big, 'A', sizeof(big));
	for (i = 0; i < sizeof(big); i += 700)
		mx_session_feed(
		    s, big + i, sizeof(big) - i < 700 ? sizeof(big) - i : 700);
	feed(s, "BBB\r\nNOOP\r\n");
	CU_ASSERT(expect_out(s, "500 5.5.2 Error: line too long\r\n"
	                        "250 2.0.0 Ok\r\n"));
	/* Complete overlong line in one piece. */
	memcpy(big, "NOOP ", 5);
	big[1200] = '\r';
	big[1201] = '\n';
	mx_session_feed(s, big, 1202);
	CU_ASSERT(expect_out(s, "500 5.5.2 Error: line too long\r\n"));
	CU_ASSERT(s->in.len < 1100);
	mx_session_free(s);
	teardown();
}

/* test_size_limit - a message over max_size gets 552 and is not stored. */
static void
test_size_limit(void)
{
	struct mx_session *s;
	char line[2100];
	int i;

	setup();
	make_dirs();
	lst.behave.max_size = 4000;
	s = greeted_session();
	feed(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
	buf_reset(&s->out);
	memset(line, 'x', sizeof(line));
	for (i = 0; i < 5; i++)
		mx_session_feed(s, line, sizeof(line)); /* no line end */
	feed(s, "\r\n.\r\n");
	CU_ASSERT(
	    expect_out(s, "552 5.3.4 Message size exceeds fixed limit\r\n"));
	CU_ASSERT_PTR_NULL(s->last_file);
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	CU_ASSERT_EQUAL(s->msg.len, 0);
	/* The next message on the same session fits. */
	feed(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nsmall\n.\n");
	CU_ASSERT(expect_out(s,
	    "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
	    "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued\r\n"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->last_file);
	CU_ASSERT_STRING_EQUAL(s->last_file, "mail/unit-7.eml");
	CU_ASSERT_EQUAL(s->msg_bare_lf, 0); /* reset after the message */
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/unit-7.eml", maildir);
		CU_ASSERT_EQUAL(unlink(path), 0);
	}
	mx_session_free(s);
	teardown();
}

/* test_overrides - replies, drops and a refused message (not stored). */
static void
test_overrides(void)
{
	struct mx_session *s;

	setup();
	make_dirs();
	lst.behave.reply[MXS_STAGE_DOT].set = 1;
	lst.behave.reply[MXS_STAGE_DOT].code = 554;
	lst.behave.reply[MXS_STAGE_RCPT].set = 1;
	lst.behave.reply[MXS_STAGE_RCPT].code = 450;
	s = greeted_session();
	feed(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
	CU_ASSERT(
	    expect_out(s, "250 2.1.0 Ok\r\n450 danesim rcpt reply\r\n"
	                  "503 5.5.1 Error: bad sequence of commands\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_MAIL);
	lst.behave.reply[MXS_STAGE_RCPT].set = 0;
	feed(s, "RCPT TO:<c@d>\r\nDATA\r\nhello\r\n.\r\n");
	CU_ASSERT(expect_out(s, "250 2.1.5 Ok\r\n"
	                        "354 End data with <CR><LF>.<CR><LF>\r\n554 "
	                        "danesim dot reply\r\n"));
	CU_ASSERT_PTR_NULL(s->last_file);
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	mx_session_free(s);

	memset(lst.behave.reply, 0, sizeof(lst.behave.reply));
	lst.behave.reply[MXS_STAGE_BANNER].set = 1;
	lst.behave.reply[MXS_STAGE_BANNER].code = 421;
	s = mx_session_new(&lst, 3, NULL, NULL);
	mx_session_start(s);
	CU_ASSERT(expect_out(s, "421 danesim banner reply\r\n"));
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	mx_session_free(s);

	lst.behave.reply[MXS_STAGE_BANNER].code = 554;
	s = mx_session_new(&lst, 3, NULL, NULL);
	mx_session_start(s);
	CU_ASSERT(expect_out(s, "554 danesim banner reply\r\n"));
	CU_ASSERT_EQUAL(s->action, MX_ACT_NONE);
	feed(s, "EHLO c\r\nQUIT\r\n");
	CU_ASSERT(expect_out(s, "503 5.5.1 Error: bad sequence of commands\r\n"
	                        "221 2.0.0 Bye\r\n"));
	mx_session_free(s);

	lst.behave.reply[MXS_STAGE_BANNER].drop = 1;
	s = mx_session_new(&lst, 3, NULL, NULL);
	mx_session_start(s);
	CU_ASSERT_EQUAL(s->out.len, 0);
	CU_ASSERT_EQUAL(s->action, MX_ACT_DROP);
	mx_session_free(s);
	teardown();
}

/* test_delays - a delayed reply waits for resume; input stays queued. */
static void
test_delays(void)
{
	struct mx_session *s;

	setup();
	lst.behave.delay_ms[MXS_STAGE_MAIL] = 1500;
	lst.behave.delay_ms[MXS_STAGE_BANNER] = 200;
	s = mx_session_new(&lst, 4, NULL, NULL);
	mx_session_start(s);
	CU_ASSERT_EQUAL(s->out.len, 0);
	CU_ASSERT_EQUAL(s->hold_ms, 200);
	CU_ASSERT_EQUAL(s->held, 1);
	feed(s, "EHLO early\r\n");
	CU_ASSERT_EQUAL(s->out.len, 0);
	mx_session_resume(s);
	CU_ASSERT_EQUAL(s->held, 0);
	CU_ASSERT(expect_out(s,
	    "220 mx1.unit.test ESMTP danesim fakemx\r\n"
	    "250-mx1.unit.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n"
	    "250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 STARTTLS\r\n"));
	feed(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
	CU_ASSERT_EQUAL(s->out.len, 0);
	CU_ASSERT_EQUAL(s->hold_ms, 1500);
	CU_ASSERT_EQUAL(s->state, MX_ST_READY);
	mx_session_resume(s);
	CU_ASSERT(expect_out(s, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"));
	CU_ASSERT_EQUAL(s->state, MX_ST_RCPT);
	mx_session_timeout(s);
	CU_ASSERT(expect_out(
	    s, "421 4.4.2 mx1.unit.test Error: timeout exceeded\r\n"));
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	CU_ASSERT_STRING_EQUAL(s->reason, "timeout");
	mx_session_free(s);
	teardown();
}

/* count_in - occurrences of needle in the file at path. */
static int
count_in(const char *path, const char *needle)
{
	char line[2048];
	FILE *fp = fopen(path, "r");
	int n = 0;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		n += strstr(line, needle) != NULL;
	fclose(fp);
	return n;
}

/*
 * test_early_linger - with hold-tls-replies, a command that arrives while
 * the post-TLS EHLO reply is held is logged "early" (a DATA pipelined
 * after MAIL is not: only the greeting, EHLO, HELO and STARTTLS end a
 * group); what
 * the client sends after a close is logged "after_close", TLS records
 * only counted.
 */
static void
test_early_linger(void)
{
	char path[64];
	struct mx_evlog *ev;
	struct mx_session *s;
	static const char rec[] = "\x16\x03\x01\x00\x05hello";

	setup();
	snprintf(
	    path, sizeof(path), "/tmp/dsim-unit-ev-%d.jsonl", (int)getpid());
	ev = mx_evlog_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	lst.behave.hold_tls_ms = 300;
	s = mx_session_new(&lst, 9, ev, NULL);
	mx_session_start(s);
	feed(s, "EHLO c.test\r\nSTARTTLS\r\n");
	CU_ASSERT_EQUAL(s->held, 0); /* no hold in clear */
	CU_ASSERT_EQUAL(s->action, MX_ACT_STARTTLS);
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	buf_reset(&s->out);
	feed(s, "EHLO c.test\r\nMAIL FROM:<a@b>\r\n");
	CU_ASSERT_EQUAL(s->held, 1);
	CU_ASSERT_EQUAL(s->hold_ms, 300);
	CU_ASSERT_EQUAL(s->out.len, 0);
	feed(s, "RCPT TO:<c@d>\r\n");
	mx_session_resume(s); /* EHLO reply; MAIL now held, not early */
	CU_ASSERT_EQUAL(s->held, 1);
	feed(s, "DATA\r\n");
	mx_session_resume(s);
	mx_session_resume(s);
	mx_session_resume(s);
	CU_ASSERT_EQUAL(s->state, MX_ST_BODY);
	mx_session_free(s);

	/* linger: a 421 to STARTTLS, then MAIL FROM in clear and a record */
	lst.behave.hold_tls_ms = 0;
	lst.behave.reply[MXS_STAGE_STARTTLS].set = 1;
	lst.behave.reply[MXS_STAGE_STARTTLS].code = 421;
	s = mx_session_new(&lst, 10, ev, NULL);
	mx_session_start(s);
	feed(s, "EHLO c.test\r\nSTARTTLS\r\nNOOP\r\n");
	CU_ASSERT_EQUAL(s->action, MX_ACT_CLOSE);
	CU_ASSERT_EQUAL(
	    mx_session_linger(s, "MAIL FROM:<late@b>\r\nRC", 22, 0), 22);
	mx_session_linger(s, NULL, 0, 1);
	mx_session_free(s);
	s = mx_session_new(&lst, 11, ev, NULL);
	mx_session_linger(s, rec, sizeof(rec) - 1, 0);
	mx_session_linger(s, NULL, 0, 1);
	CU_ASSERT_EQUAL(s->linger_binary, sizeof(rec) - 1);
	mx_session_free(s);
	mx_evlog_close(ev);

	/* MAIL and RCPT came before the EHLO reply; DATA only before the
	   (held) MAIL reply, which pipelining allows */
	CU_ASSERT_EQUAL(count_in(path, "\"event\":\"early\""), 2);
	CU_ASSERT_EQUAL(count_in(path, "\"waiting\":\"EHLO\""), 2);
	CU_ASSERT_EQUAL(count_in(path, "\"tls\":true,\"verb\":\"DATA\","
	                               "\"line\":\"DATA\",\"waiting\""),
	    0);
	CU_ASSERT_EQUAL(
	    count_in(path, "\"event\":\"early\",\"conn\":9,\"scenario\":"
	                   "\"unit\",\"host\":\"mx1\",\"tls\":true,\"verb\":"
	                   "\"MAIL\",\"line\":\"MAIL FROM:<a@b>\",\"waiting\":"
	                   "\"EHLO\""),
	    1);
	/* NOOP (pipelined before the 421 was read), MAIL, then "RC" */
	CU_ASSERT_EQUAL(count_in(path, "\"after_close\":true"), 3);
	CU_ASSERT_EQUAL(count_in(path, "\"verb\":\"MAIL\",\"line\":\"MAIL "
	                               "FROM:<late@b>\",\"after_close\":true"),
	    1);
	CU_ASSERT_EQUAL(count_in(path, "\"conn\":11"), 0);
	if (getenv("DSIM_KEEP_EV") == NULL)
		unlink(path);
	free(lst.behave.reply[MXS_STAGE_STARTTLS].text);
	lst.behave.reply[MXS_STAGE_STARTTLS].text = NULL;
	teardown();
}

/*
 * test_ehlo_phases - each half of the session advertises its own EHLO
 * list (RFC 3207 §4.2) and enforces its SIZE; a command read before the
 * reply to the one before was written is logged "pipelined" (after a
 * held reply too), one sent after it is not.
 */
static void
test_ehlo_phases(void)
{
	static const char *const before[] = {
	    "PIPELINING", "CHUNKING", "SIZE 200", "AUTH PLAIN"};
	static const char *const after[] = {"SIZE 100000000"};
	char path[64], *out;
	struct mx_evlog *ev;
	struct mx_session *s;
	size_t i;

	setup();
	snprintf(
	    path, sizeof(path), "/tmp/dsim-unit-ev2-%d.jsonl", (int)getpid());
	ev = mx_evlog_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ev);
	lst.behave.kw_set[MXS_PHASE_BEFORE_TLS] = 1;
	lst.behave.kw[MXS_PHASE_BEFORE_TLS] = xcalloc(4, sizeof(char *));
	for (i = 0; i < 4; i++)
		lst.behave.kw[MXS_PHASE_BEFORE_TLS][i] = xstrdup(before[i]);
	lst.behave.nkw[MXS_PHASE_BEFORE_TLS] = 4;
	lst.behave.kw_set[MXS_PHASE_AFTER_TLS] = 1;
	lst.behave.kw[MXS_PHASE_AFTER_TLS] = xcalloc(1, sizeof(char *));
	lst.behave.kw[MXS_PHASE_AFTER_TLS][0] = xstrdup(after[0]);
	lst.behave.nkw[MXS_PHASE_AFTER_TLS] = 1;
	s = mx_session_new(&lst, 12, ev, NULL);
	mx_session_start(s);
	buf_reset(&s->out);
	feed(s, "EHLO c.test\r\n");
	CU_ASSERT(expect_out(s, "250-mx1.unit.test\r\n250-PIPELINING\r\n"
	                        "250-CHUNKING\r\n250-SIZE 200\r\n"
	                        "250-AUTH PLAIN\r\n250 STARTTLS\r\n"));
	feed(s, "STARTTLS\r\n");
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	buf_reset(&s->out);
	feed(s, "EHLO c.test\r\n");
	CU_ASSERT(expect_out(s, "250-mx1.unit.test\r\n250 SIZE 100000000\r\n"));
	/* MAIL and RCPT in one read: RCPT is pipelined behind MAIL */
	feed(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
	out = take(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "250 2.1.5 Ok\r\n"));
	free(out);
	/* DATA after the replies were written: not pipelined; BDAT is
	   answered 502 (not offered) and logged */
	feed(s, "BDAT 5 LAST\r\n");
	CU_ASSERT(
	    expect_out(s, "502 5.5.1 Error: command not implemented\r\n"));
	feed(s, "DATA\r\n");
	CU_ASSERT(expect_out(s, "354 End data with <CR><LF>.<CR><LF>\r\n"));
	/* inside TLS the limit is the list's SIZE, not the 200 before it */
	for (i = 0; i < 10; i++)
		feed(s, "0123456789012345678901234567890123456789\r\n");
	feed(s, ".\r\n");
	CU_ASSERT(expect_out(s, "250 2.0.0 Ok: queued\r\n"));
	mx_session_free(s);

	/* a held reply: RCPT arrives while the MAIL reply waits */
	lst.behave.hold_tls_ms = 100;
	s = mx_session_new(&lst, 13, ev, NULL);
	mx_session_start(s);
	feed(s, "EHLO c.test\r\nSTARTTLS\r\n");
	mx_session_tls_start(s);
	mx_session_tls_done(s);
	feed(s, "EHLO c.test\r\n");
	mx_session_resume(s);
	buf_reset(&s->out);
	feed(s, "MAIL FROM:<a@b>\r\n");
	CU_ASSERT_EQUAL(s->held, 1);
	feed(s, "RCPT TO:<c@d>\r\n");
	mx_session_resume(s); /* MAIL answered; RCPT read before that */
	mx_session_resume(s);
	buf_reset(&s->out);
	feed(s, "QUIT\r\n"); /* after the replies: not pipelined */
	mx_session_free(s);
	mx_evlog_close(ev);

	/* the two RCPTs, and conn 13's STARTTLS sent with its EHLO */
	CU_ASSERT_EQUAL(count_in(path, "\"pipelined\""), 3);
	CU_ASSERT_EQUAL(count_in(path, "\"tls\":true,\"verb\":\"QUIT\","
	                               "\"line\":\"QUIT\"}"),
	    1);
	CU_ASSERT_EQUAL(count_in(path, "\"conn\":12,\"scenario\":\"unit\","
	                               "\"host\":\"mx1\",\"tls\":true,"
	                               "\"verb\":\"RCPT\",\"line\":\"RCPT "
	                               "TO:<c@d>\",\"pipelined\":\"MAIL\""),
	    1);
	CU_ASSERT_EQUAL(count_in(path, "\"conn\":13,\"scenario\":\"unit\","
	                               "\"host\":\"mx1\",\"tls\":true,"
	                               "\"verb\":\"RCPT\",\"line\":\"RCPT "
	                               "TO:<c@d>\",\"pipelined\":\"MAIL\""),
	    1);
	CU_ASSERT_EQUAL(count_in(path, "\"verb\":\"BDAT\",\"line\":\"BDAT "
	                               "5 LAST\"}"),
	    1);
	if (getenv("DSIM_KEEP_EV") == NULL)
		unlink(path);
	lst.behave.hold_tls_ms = 0;
	teardown();
}

/* test_byte_by_byte - a client sending one byte at a time gets exactly
 * the replies of one that sends everything at once. */
static void
test_byte_by_byte(void)
{
	static const char dialogue[] =
	    "EHLO slow.test\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n"
	    "DATA\r\nSubject: s\r\n\r\n.x\r\n..\r\n.\r\nNOOP\nQUIT\r\n";
	struct mx_session *a, *b;
	char *ra, *rb;
	size_t i;

	setup();
	a = mx_session_new(&lst, 1, NULL, NULL);
	b = mx_session_new(&lst, 1, NULL, NULL);
	mx_session_start(a);
	mx_session_start(b);
	feed(a, dialogue);
	for (i = 0; i < sizeof(dialogue) - 1; i++)
		mx_session_feed(b, dialogue + i, 1);
	ra = take(a);
	rb = take(b);
	CU_ASSERT_STRING_EQUAL(ra, rb);
	CU_ASSERT_PTR_NOT_NULL(strstr(rb, "250 2.0.0 Ok: queued\r\n"
	                                  "250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n"));
	CU_ASSERT_EQUAL(b->action, MX_ACT_CLOSE);
	free(ra);
	free(rb);
	mx_session_free(a);
	mx_session_free(b);
	teardown();
}

/* test_names - state and stage names for logs. */
static void
test_names(void)
{
	CU_ASSERT_STRING_EQUAL(mx_state_str(MX_ST_BODY), "body");
	CU_ASSERT_STRING_EQUAL(mx_state_str(MX_ST__COUNT), "invalid");
	CU_ASSERT_STRING_EQUAL(mx_action_str(MX_ACT_STARTTLS), "starttls");
	CU_ASSERT_STRING_EQUAL(mxs_stage_str(MXS_STAGE_DOT), "dot");
	CU_ASSERT_EQUAL(mxs_stage_from_str("rcpt"), MXS_STAGE_RCPT);
	CU_ASSERT_EQUAL(mxs_stage_from_str("RCPT"), MXS_STAGE_NONE);
	CU_ASSERT_EQUAL(mxs_starttls_from_str("mangle"), MXS_STLS_MANGLE);
	CU_ASSERT_EQUAL(mxs_starttls_from_str("maybe"), -1);
	CU_ASSERT_STRING_EQUAL(mx_reply_str(MX_R_TOOBIG), "toobig");
}

static CU_TestInfo tests[] = {
    {"honest", test_honest},
    {"starttls_variants", test_starttls_variants},
    {"after_tls", test_after_tls},
    {"sequence", test_sequence},
    {"long_lines", test_long_lines},
    {"size_limit", test_size_limit},
    {"overrides", test_overrides},
    {"delays", test_delays},
    {"early_linger", test_early_linger},
    {"ehlo_phases", test_ehlo_phases},
    {"byte_by_byte", test_byte_by_byte},
    {"names", test_names},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("fakemx_session", NULL, NULL, tests);
