/*
 * fuzz_smtp.c - libFuzzer target for the SMTP line parser (lib/smtp.c)
 * and the fakemx session state machine (fakemx/mx_session.c) fed bytes.
 *
 * The first two input bytes choose the listener's behaviour (STARTTLS
 * mode, ESMTP, injection, overrides, delays, a tiny size limit) and the
 * split of the rest into reads, so one corpus covers every table row.
 * The session runs as the server would drive it: TLS handshakes succeed
 * at once, delays pass at once, messages are accepted but not stored.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakemx/mx_session.h"
#include "log.h"
#include "smtp.h"
#include "xmalloc.h"

/* parse_all - run every parser of lib/smtp.c over each line of data. */
static void
parse_all(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct smtp_cmd c;
	const char *text;
	size_t used;
	long n;
	int code, last;

	while (size > 0) {
		n = smtp_line_end(p, size, &used);
		if (n < 0) {
			n = (long)size;
			used = size;
		}
		if (smtp_parse_command(p, (size_t)n, &c) == 0) {
			if (c.addr != NULL && c.addr + c.addrlen > p + n)
				abort();
			if (c.arg + c.arglen > p + n && c.arglen != 0)
				abort();
			(void)smtp_verb_str(c.verb);
		}
		if (smtp_parse_reply(p, (size_t)n, &code, &last, &text) == 0 &&
		    (code < 100 || code > 599))
			abort();
		p += used;
		size -= used;
	}
}

/* drive - step the session as the server does after each feed. */
static int
drive(struct mx_session *s)
{
	int guard = 0;

	while (guard++ < 64) {
		if (s->held) {
			mx_session_resume(s);
			continue;
		}
		if (s->action == MX_ACT_STARTTLS) {
			mx_session_tls_start(s);
			mx_session_tls_done(s);
			continue;
		}
		break;
	}
	buf_reset(&s->out);
	return s->action == MX_ACT_CLOSE || s->action == MX_ACT_DROP;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct mx_listener l;
	struct mx_session *s;
	uint8_t sel, split;
	size_t off, chunk;

	if (!init) {
		log_init("fuzz_smtp", LOG_LVL_ERROR);
		init = 1;
	}
	parse_all(data, size);
	if (size < 2)
		return 0;
	sel = data[0];
	split = data[1];
	data += 2;
	size -= 2;

	memset(&l, 0, sizeof(l));
	l.address = "127.0.0.1";
	l.scenario = "fuzz";
	l.host = "mx1";
	mx_behave_init(&l.behave, "mx1.fuzz.test");
	l.behave.starttls = (enum mxs_starttls)(sel % 3);
	l.behave.esmtp = !(sel & 0x04);
	l.behave.flag[MXS_FLAG_EHLO_AFTER_TLS_STARTTLS] = !!(sel & 0x08);
	l.behave.flag[MXS_FLAG_CLOSE_AFTER_HANDSHAKE] = !!(sel & 0x10);
	l.behave.implicit_tls = (sel & 0xe0) == 0xe0;
	if (sel & 0x20) {
		l.behave.inject = xstrdup("250 injected\r\n");
		l.behave.injectlen = 14;
	}
	if (sel & 0x40) {
		enum mxs_stage st = (enum mxs_stage)(split % MXS_STAGE__COUNT);

		l.behave.reply[st].set = 1;
		l.behave.reply[st].drop = (split & 0x80) != 0;
		l.behave.reply[st].code = 400 + (split % 200);
		l.behave.delay_ms[(st + 1) % MXS_STAGE__COUNT] = 10;
	}
	if (sel & 0x80)
		l.behave.max_size = 64;

	s = mx_session_new(&l, 1, NULL, NULL);
	mx_session_start(s);
	chunk = 1 + (split & 0x3f);
	for (off = 0; off < size && !drive(s); off += chunk)
		mx_session_feed(
		    s, data + off, size - off < chunk ? size - off : chunk);
	if (s->state == MX_ST_BODY || s->state == MX_ST_READY)
		mx_session_timeout(s);
	mx_session_free(s);
	mx_behave_free(&l.behave);
	return 0;
}
