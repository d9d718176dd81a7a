/*
 * mx_session.c - the SMTP server state machine of fakemx.
 *
 * Implements, as a server that observes its client:
 *   RFC 5321 §3.1-§3.3 (session, mail transaction), §4.1.1 (commands),
 *   §4.1.4 (command order, 503), §4.3.2 (reply codes), §4.5.2
 *   (transparency: dot-stuffing), §4.5.3.1 (size limits);
 *   RFC 3207 §4 (STARTTLS; 220 then TLS), §4.2 (state reset after TLS),
 *   §6 (plaintext after STARTTLS discarded);
 *   RFC 2920 (pipelining: every complete line is answered in order;
 *   §3.1: after the greeting, EHLO, HELO and STARTTLS the client waits
 *   for the reply, so a command that arrives while such a reply is
 *   still held is logged as "early": the client acted on bytes that were
 *   not this reply, e.g. ones injected before TLS, CVE-2021-38371; a
 *   command read before the reply to the one before it was written is
 *   logged with "pipelined", so a client that pipelines where the EHLO
 *   reply of this TLS phase offered no PIPELINING is seen, RFC 3207
 *   §4.2).
 * Every reply goes out through mx_enter_state(), which consults the
 * listener's behaviour table (mx_behave.c) and logs what was sent.
 */
#include "mx_session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "log.h"
#include "mx_https.h"
#include "smtp.h"
#include "xmalloc.h"

#define MX_LINE_MAX 1000 /* octets without CRLF (RFC 5321 §4.5.3.1.6) */
#define MX_RCPT_MAX 100  /* RFC 5321 §4.5.3.1.8 minimum */

static const char *const state_names[MX_ST__COUNT] = {
    "new",
    "greet",
    "ready",
    "mail",
    "rcpt",
    "body",
    "tls",
    "closed",
};

const char *
mx_state_str(enum mx_state st)
{
	if ((int)st < 0 || st >= MX_ST__COUNT)
		return "invalid";
	return state_names[st];
}

const char *
mx_action_str(enum mx_action a)
{
	switch (a) {
	case MX_ACT_NONE:
		return "none";
	case MX_ACT_STARTTLS:
		return "starttls";
	case MX_ACT_CLOSE:
		return "close";
	case MX_ACT_DROP:
		return "drop";
	}
	return "invalid";
}

/* log_event - one event of this session. */
static void
log_event(struct mx_session *s, const char *event, json_t *fields)
{
	mx_evlog_write(
	    s->ev, s->id, s->lst->scenario, s->lst->host, event, fields);
}

struct mx_session *
mx_session_new(const struct mx_listener *lst, unsigned long id,
    struct mx_evlog *ev, const char *maildir)
{
	struct mx_session *s = xcalloc(1, sizeof(*s));

	s->lst = lst;
	s->b = &lst->behave;
	s->id = id;
	s->ev = ev;
	s->maildir = maildir;
	s->state = MX_ST_NEW;
	buf_init(&s->in);
	buf_init(&s->out);
	buf_init(&s->msg);
	return s;
}

void
mx_session_free(struct mx_session *s)
{
	if (s == NULL)
		return;
	buf_free(&s->in);
	buf_free(&s->out);
	buf_free(&s->msg);
	free(s->last_file);
	free(s);
}

/* msg_reset - forget the message being received. */
static void
msg_reset(struct mx_session *s)
{
	buf_free(&s->msg);
	s->msg_toobig = 0;
	s->msg_midline = 0;
	s->msg_bare_lf = 0;
}

/* header_value - the unfolded value of header name in the header section
 * of msg, into out (at most outlen); 0 if found, -1 if not. */
static int
header_value(
    const char *msg, size_t len, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name), i = 0, o = 0, e;
	int found = 0;

	while (i < len) {
		e = i;
		while (e < len && msg[e] != '\n')
			e++;
		if (e == i || (e == i + 1 && msg[i] == '\r'))
			break; /* empty line: end of the header section */
		if (found) {
			if (msg[i] != ' ' && msg[i] != '\t')
				break;
		} else if (e - i > nl && strncasecmp(msg + i, name, nl) == 0 &&
		           msg[i + nl] == ':') {
			found = 1;
			i += nl + 1;
		} else {
			i = e + 1;
			continue;
		}
		for (; i < e && msg[i] != '\r'; i++) {
			if (o == 0 && (msg[i] == ' ' || msg[i] == '\t'))
				continue;
			if (o + 1 < outlen)
				out[o++] = (msg[i] == '\t') ? ' ' : msg[i];
		}
		i = e + 1;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
		o--;
	if (outlen > 0)
		out[o] = '\0';
	return found ? 0 : -1;
}

/* safe_name - s with every byte outside [A-Za-z0-9._-] made '_'. */
static char *
safe_name(const char *s)
{
	char *r = xstrdup(s != NULL && *s != '\0' ? s : "fakemx"), *p;

	for (p = r; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		        *p == '_'))
			*p = '_';
	if (r[0] == '.')
		r[0] = '_';
	return r;
}

/* store_message - write the message to maildir and log "message";
 * 0 on success, -1 when it could not be stored (logged). */
static int
store_message(struct mx_session *s)
{
	char mid[1000], *name = NULL, *path = NULL, *rel = NULL;
	const char *base, *end;
	json_t *f;
	size_t off = 0;
	ssize_t n;
	int fd = -1, rc = -1, have_mid;

	have_mid = header_value(s->msg.data ? s->msg.data : "", s->msg.len,
	               "Message-ID", mid, sizeof(mid)) == 0;
	if (s->maildir != NULL) {
		char *scen = safe_name(s->lst->scenario);

		if (s->nmsg == 0)
			name = xasprintf("%s-%lu.eml", scen, s->id);
		else
			name = xasprintf(
			    "%s-%lu-%lu.eml", scen, s->id, s->nmsg + 1);
		free(scen);
		path = xasprintf("%s/%s", s->maildir, name);
		/* The event names the file relative to the run folder, the
		 * parent of maildir. */
		end = s->maildir + strlen(s->maildir);
		while (end > s->maildir && end[-1] == '/')
			end--;
		base = end;
		while (base > s->maildir && base[-1] != '/')
			base--;
		rel = xasprintf("%.*s/%s", (int)(end - base), base, name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			log_err("message file %s", path);
			goto out;
		}
		while (off < s->msg.len) {
			n = write(fd, s->msg.data + off, s->msg.len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				log_err("message file %s", path);
				goto out;
			}
			off += (size_t)n;
		}
		if (close(fd) < 0) {
			fd = -1;
			log_err("message file %s", path);
			goto out;
		}
		fd = -1;
	}
	f = json_object();
	json_object_set_new(f, "tls", json_boolean(s->tls));
	json_object_set_new(f, "file", rel ? json_string(rel) : json_null());
	json_object_set_new(f, "bytes", json_integer((json_int_t)s->msg.len));
	json_object_set_new(f, "message_id",
	    have_mid ? mx_evlog_str(mid, strlen(mid)) : json_null());
	if (s->msg_bare_lf > 0)
		json_object_set_new(f, "bare_lf", json_integer(s->msg_bare_lf));
	log_event(s, "message", f);
	free(s->last_file);
	s->last_file = rel;
	rel = NULL;
	s->nmsg++;
	rc = 0;
out:
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	free(name);
	free(path);
	free(rel);
	return rc;
}

/* put_line - queue one reply line "code-text" or "code text". */
static void
put_line(struct mx_session *s, struct buf *logtext, int code, int last,
    const char *text)
{
	buf_printf(&s->out, "%03d%c%s\r\n", code, last ? ' ' : '-', text);
	if (logtext->len > 0)
		buf_putc(logtext, '\n');
	buf_puts(logtext, text);
}

/*
 * mx_enter_state - answer with reply r and, if the answer is positive,
 * move to state next. The only place that writes SMTP replies: it asks
 * the behaviour table for the answer (code, text, drop, delay), waits
 * the delay (by asking the server to hold), applies side effects that
 * belong to the reply (store the message, start TLS, close), and logs.
 */
static void
mx_enter_state(struct mx_session *s, enum mx_state next, enum mx_reply r)
{
	const struct mx_behave *b = s->b;
	struct mx_answer a;
	struct buf logtext;
	json_t *f;
	int positive, injected = 0;

	mx_behave_answer(b, r, s->tls, &a);
	if (a.delay_ms > 0 && !s->delay_done) {
		s->hold_ms = a.delay_ms;
		s->held = 1;
		s->pend_state = next;
		s->pend_reply = r;
		s->early_off = 0;
		return;
	}
	s->delay_done = 0;

	if (a.drop) {
		if (r == MX_R_STARTTLS) {
			f = json_object();
			json_object_set_new(f, "code", json_null());
			json_object_set_new(f, "injected", json_false());
			log_event(s, "starttls", f);
		}
		s->action = MX_ACT_DROP;
		s->reason = "dropped by behaviour";
		s->state = MX_ST_CLOSED;
		return;
	}

	/* A message is accepted only once it is safely stored. */
	if (r == MX_R_DOT && a.code < 400 && store_message(s) < 0)
		mx_behave_answer(b, MX_R_STOREFAIL, s->tls, &a);

	buf_init(&logtext);
	if ((r == MX_R_EHLO) && a.code / 100 == 2) {
		const char *kw[16];
		char sizebuf[48];
		size_t i, n;

		n = mx_behave_ehlo_keywords(
		    b, s->tls, kw, 16, sizebuf, sizeof(sizebuf));
		put_line(s, &logtext, a.code, n == 0, a.text);
		for (i = 0; i < n; i++)
			put_line(s, &logtext, a.code, i + 1 == n, kw[i]);
	} else {
		put_line(s, &logtext, a.code, 1, a.text);
	}
	f = json_object();
	json_object_set_new(f, "tls", json_boolean(s->tls));
	json_object_set_new(f, "code", json_integer(a.code));
	json_object_set_new(f, "text",
	    mx_evlog_str(logtext.data ? logtext.data : "", logtext.len));
	log_event(s, "reply", f);
	buf_free(&logtext);

	positive = a.code < 400;
	if (r == MX_R_BANNER && !positive)
		s->refused = 1;
	if (r == MX_R_STARTTLS) {
		if (a.code == 220 && b->inject != NULL && !s->tls) {
			/* Same buffer as the 220, so one write() and, on
			 * loopback, one TCP segment (CVE-2021-38371). */
			buf_append(&s->out, b->inject, b->injectlen);
			injected = 1;
		}
		f = json_object();
		json_object_set_new(f, "code", json_integer(a.code));
		json_object_set_new(f, "injected", json_boolean(injected));
		log_event(s, "starttls", f);
		if (a.code != 220)
			positive = 0;
	}

	if (positive) {
		s->state = next;
	} else if (s->state == MX_ST_BODY) {
		s->state = MX_ST_READY;
	}
	if (r == MX_R_RCPT && positive)
		s->nrcpt++;
	if (s->state == MX_ST_READY || s->state == MX_ST_GREET) {
		s->nrcpt = 0;
		if (r == MX_R_DOT || r == MX_R_TOOBIG)
			msg_reset(s);
	}
	if (s->state == MX_ST_TLS && r == MX_R_STARTTLS) {
		s->action = MX_ACT_STARTTLS;
		s->reason = "starttls";
	}
	if (r == MX_R_QUIT || a.code == 421) {
		s->state = MX_ST_CLOSED;
		s->action = MX_ACT_CLOSE;
		s->reason = r == MX_R_QUIT      ? "quit"
		            : r == MX_R_TIMEOUT ? "timeout"
		                                : "421";
	}
	if (s->state == MX_ST_BODY && r == MX_R_DATA)
		msg_reset(s);
}

/* log_command - a "command" event for one received line. */
static void
log_command(struct mx_session *s, const char *verb, const char *line, size_t n,
    int bare_lf, const char *flag)
{
	json_t *f = json_object();

	json_object_set_new(f, "tls", json_boolean(s->tls));
	json_object_set_new(f, "verb", json_string(verb));
	json_object_set_new(
	    f, "line", mx_evlog_str(line, n > MX_LINE_MAX ? MX_LINE_MAX : n));
	if (bare_lf)
		json_object_set_new(f, "bare_lf", json_true());
	if (flag != NULL)
		json_object_set_new(f, flag, json_true());
	if (flag == NULL && s->unsent[0] != '\0')
		json_object_set_new(f, "pipelined", json_string(s->unsent));
	log_event(s, "command", f);
}

/* addr_event - a "mail" or "rcpt" event with the address. */
static void
addr_event(struct mx_session *s, const char *event, const char *key,
    const struct smtp_cmd *c)
{
	json_t *f = json_object();

	json_object_set_new(f, "tls", json_boolean(s->tls));
	json_object_set_new(f, key, mx_evlog_str(c->addr, c->addrlen));
	log_event(s, event, f);
}

/* tls_event - an event with only the tls flag. */
static void
tls_event(struct mx_session *s, const char *event)
{
	json_t *f = json_object();

	json_object_set_new(f, "tls", json_boolean(s->tls));
	log_event(s, event, f);
}

/* greeted - HELO/EHLO done in this (TLS or plain) session. */
static int
greeted(const struct mx_session *s)
{
	return s->state == MX_ST_READY || s->state == MX_ST_MAIL ||
	       s->state == MX_ST_RCPT;
}

/* handle_command - one complete command line. */
static void
handle_command(struct mx_session *s, const char *line, size_t n, int bare_lf)
{
	struct smtp_cmd c;

	if (bare_lf)
		log_debug("conn %lu: command line ended by a bare LF", s->id);
	if (smtp_parse_command(line, n, &c) < 0) {
		log_command(s, c.word, line, n, bare_lf, NULL);
		snprintf(s->unsent, sizeof(s->unsent), "%s", c.word);
		mx_enter_state(s, s->state, MX_R_UNKNOWN);
		return;
	}
	log_command(s, c.word, line, n, bare_lf, NULL);
	/* From here until the reply is written, a command that comes is
	 * pipelined behind this one (RFC 2920 §3). */
	snprintf(s->unsent, sizeof(s->unsent), "%s", c.word);
	if (s->refused && c.verb != SMTP_CMD_QUIT) {
		mx_enter_state(s, s->state, MX_R_BADSEQ);
		return;
	}
	switch (c.verb) {
	case SMTP_CMD_HELO:
	case SMTP_CMD_EHLO:
		if (c.arglen == 0)
			mx_enter_state(s, s->state, MX_R_SYNTAX);
		else
			mx_enter_state(s, MX_ST_READY,
			    c.verb == SMTP_CMD_EHLO ? MX_R_EHLO : MX_R_HELO);
		break;
	case SMTP_CMD_STARTTLS:
		if (c.arglen != 0)
			mx_enter_state(s, s->state, MX_R_SYNTAX);
		else if (s->tls)
			mx_enter_state(s, s->state, MX_R_TLSACTIVE);
		else if (s->state == MX_ST_MAIL || s->state == MX_ST_RCPT)
			mx_enter_state(s, s->state, MX_R_BADSEQ);
		else
			mx_enter_state(s, MX_ST_TLS, MX_R_STARTTLS);
		break;
	case SMTP_CMD_MAIL:
		if (c.addr != NULL)
			addr_event(s, "mail", "from", &c);
		if (s->state != MX_ST_READY)
			mx_enter_state(s, s->state, MX_R_BADSEQ);
		else if (c.addr == NULL)
			mx_enter_state(s, s->state, MX_R_SYNTAX);
		else
			mx_enter_state(s, MX_ST_MAIL, MX_R_MAIL);
		break;
	case SMTP_CMD_RCPT:
		if (c.addr != NULL)
			addr_event(s, "rcpt", "to", &c);
		if (s->state != MX_ST_MAIL && s->state != MX_ST_RCPT)
			mx_enter_state(s, s->state, MX_R_BADSEQ);
		else if (c.addr == NULL)
			mx_enter_state(s, s->state, MX_R_SYNTAX);
		else if (s->nrcpt >= MX_RCPT_MAX)
			mx_enter_state(s, s->state, MX_R_TOOMANY);
		else
			mx_enter_state(s, MX_ST_RCPT, MX_R_RCPT);
		break;
	case SMTP_CMD_DATA:
		tls_event(s, "data");
		if (c.arglen != 0)
			mx_enter_state(s, s->state, MX_R_SYNTAX);
		else if (s->state != MX_ST_RCPT)
			mx_enter_state(s, s->state, MX_R_BADSEQ);
		else
			mx_enter_state(s, MX_ST_BODY, MX_R_DATA);
		break;
	case SMTP_CMD_RSET:
		mx_enter_state(
		    s, greeted(s) ? MX_ST_READY : s->state, MX_R_RSET);
		break;
	case SMTP_CMD_NOOP:
		mx_enter_state(s, s->state, MX_R_NOOP);
		break;
	case SMTP_CMD_VRFY:
		mx_enter_state(s, s->state, MX_R_VRFY);
		break;
	case SMTP_CMD_QUIT:
		tls_event(s, "quit");
		mx_enter_state(s, MX_ST_CLOSED, MX_R_QUIT);
		break;
	case SMTP_CMD_BDAT:
	case SMTP_CMD_AUTH:
		mx_enter_state(s, s->state, MX_R_NOTIMPL);
		break;
	case SMTP_CMD_UNKNOWN:
	case SMTP_CMD__COUNT:
		mx_enter_state(s, s->state, MX_R_UNKNOWN);
		break;
	}
}

/* body_add - add n bytes of message text, within the size limit. */
static void
body_add(struct mx_session *s, const char *p, size_t n)
{
	if (s->msg_toobig)
		return;
	if (s->msg.len + n > mx_behave_max_size(s->b, s->tls)) {
		s->msg_toobig = 1;
		buf_free(&s->msg);
		return;
	}
	buf_append(&s->msg, p, n);
}

/* body_step - consume one line (or a long line's chunk) of the message;
 * -1 when more input is needed. */
static int
body_step(struct mx_session *s)
{
	const char *line = s->in.data;
	size_t used;
	long n;

	n = smtp_line_end(s->in.data, s->in.len, &used);
	if (n < 0) {
		/* An overlong line: keep it (minus a possible CR of a CRLF
		 * split across reads) and go on mid-line. */
		if (s->in.len > MX_LINE_MAX) {
			size_t take = s->in.len - 1;

			if (!s->msg_midline && line[0] == '.')
				body_add(s, line + 1, take - 1);
			else
				body_add(s, line, take);
			s->msg_midline = 1;
			buf_consume(&s->in, take);
		}
		return -1;
	}
	if (used - (size_t)n == 1)
		s->msg_bare_lf++;
	if (!s->msg_midline && n == 1 && line[0] == '.') {
		buf_consume(&s->in, used);
		snprintf(s->unsent, sizeof(s->unsent), "end of data");
		mx_enter_state(
		    s, MX_ST_READY, s->msg_toobig ? MX_R_TOOBIG : MX_R_DOT);
		return 0;
	}
	if (!s->msg_midline && n > 0 && line[0] == '.')
		body_add(s, line + 1, (size_t)n - 1);
	else
		body_add(s, line, (size_t)n);
	body_add(s, "\r\n", 2);
	s->msg_midline = 0;
	buf_consume(&s->in, used);
	return 0;
}

/*
 * waits_for - what the client must wait for before it sends more, when
 * the held reply answers r (RFC 5321 §4.3.1 greeting; RFC 2920 §3.1:
 * EHLO, HELO and STARTTLS end a pipelined group); NULL otherwise.
 */
static const char *
waits_for(enum mx_reply r)
{
	switch (r) {
	case MX_R_BANNER:
		return "greeting";
	case MX_R_EHLO:
		return "EHLO";
	case MX_R_HELO:
		return "HELO";
	case MX_R_STARTTLS:
		return "STARTTLS";
	default:
		return NULL;
	}
}

/* note_early - log each complete line that arrived while a reply the
 * client must wait for is held (RFC 2920 §3.1). */
static void
note_early(struct mx_session *s)
{
	const char *wait;
	size_t used;
	long n;

	if (!s->held || (wait = waits_for(s->pend_reply)) == NULL)
		return;
	while (s->early_off < s->in.len) {
		const char *line = s->in.data + s->early_off;
		struct smtp_cmd c;
		json_t *f;

		n = smtp_line_end(line, s->in.len - s->early_off, &used);
		if (n < 0)
			break;
		smtp_parse_command(line, (size_t)n, &c);
		f = json_object();
		json_object_set_new(f, "tls", json_boolean(s->tls));
		json_object_set_new(f, "verb", json_string(c.word));
		json_object_set_new(f, "line",
		    mx_evlog_str(line, n > MX_LINE_MAX ? MX_LINE_MAX : n));
		json_object_set_new(f, "waiting", json_string(wait));
		log_event(s, "early", f);
		s->early_off += used;
	}
}

/* can_process - the session may consume more input now. */
static int
can_process(const struct mx_session *s)
{
	return !s->held && s->action == MX_ACT_NONE && s->state != MX_ST_NEW &&
	       s->state != MX_ST_TLS && s->state != MX_ST_CLOSED;
}

/* process - answer every complete line buffered, in order. */
static void
process(struct mx_session *s)
{
	size_t used;
	long n;

	while (can_process(s) && s->in.len > 0) {
		if (s->state == MX_ST_BODY) {
			if (body_step(s) < 0)
				break;
			continue;
		}
		n = smtp_line_end(s->in.data, s->in.len, &used);
		if (n < 0) {
			if (s->in.len > MX_LINE_MAX) {
				/* Answer once, then drop bytes up to the
				 * next line end (resynchronise). */
				if (!s->skipping) {
					log_command(s, "", s->in.data,
					    s->in.len, 0, "too_long");
					mx_enter_state(
					    s, s->state, MX_R_TOOLONG);
				}
				s->skipping = 1;
				buf_reset(&s->in);
			}
			break;
		}
		if (s->skipping) {
			s->skipping = 0;
			buf_consume(&s->in, used);
			continue;
		}
		if ((size_t)n > MX_LINE_MAX) {
			log_command(s, "", s->in.data, (size_t)n,
			    used - (size_t)n == 1, "too_long");
			mx_enter_state(s, s->state, MX_R_TOOLONG);
		} else {
			handle_command(
			    s, s->in.data, (size_t)n, used - (size_t)n == 1);
		}
		buf_consume(&s->in, used);
	}
	note_early(s);
}

/*
 * https_process - a listener with "https" (mx_https.h): once the request
 * head (or MX_HTTPS_HEAD_MAX bytes) is in, answer it, log the "https"
 * event (with "proto": "https", like every event of the listener) and
 * ask to close.
 */
static void
https_process(struct mx_session *s)
{
	struct mx_https_req r;
	size_t n;
	json_t *f;
	int code;

	if (s->state == MX_ST_CLOSED || s->action != MX_ACT_NONE)
		return;
	n = mx_https_head_len(s->in.data, s->in.len);
	if (n == 0 && s->in.len < MX_HTTPS_HEAD_MAX)
		return;
	if (n == 0)
		code = mx_https_too_long(&s->out, &r);
	else
		code = mx_https_answer(
		    s->in.data, n, s->lst->https_policy, &s->out, &r);
	f = json_object();
	json_object_set_new(f, "proto", json_string("https"));
	json_object_set_new(
	    f, "method", mx_evlog_str(r.method, strlen(r.method)));
	json_object_set_new(f, "path", mx_evlog_str(r.path, strlen(r.path)));
	json_object_set_new(
	    f, "http_host", mx_evlog_str(r.host, strlen(r.host)));
	json_object_set_new(f, "sni",
	    s->sni != NULL ? mx_evlog_str(s->sni, strlen(s->sni))
	                   : json_null());
	json_object_set_new(f, "status", json_integer(code));
	if (r.error != NULL)
		json_object_set_new(f, "error", json_string(r.error));
	mx_evlog_write(
	    s->ev, s->id, s->lst->scenario, s->lst->host, "https", f);
	buf_reset(&s->in);
	s->state = MX_ST_CLOSED;
	s->action = MX_ACT_CLOSE;
	s->reason = "https answered";
}

void
mx_session_start(struct mx_session *s)
{
	if (s->b->implicit_tls || s->lst->https_policy != NULL) {
		s->state = MX_ST_TLS;
		s->action = MX_ACT_STARTTLS;
		s->reason =
		    s->lst->https_policy != NULL ? "https" : "implicit tls";
		return;
	}
	s->state = MX_ST_GREET;
	mx_enter_state(s, MX_ST_GREET, MX_R_BANNER);
}

void
mx_session_feed(struct mx_session *s, const void *data, size_t len)
{
	if (s->state == MX_ST_CLOSED)
		return;
	/* The server writes out before it reads again: with nothing left
	 * in out and no reply held, every reply so far was written before
	 * these bytes were read. */
	if (s->out.len == 0 && !s->held)
		s->unsent[0] = '\0';
	buf_append(&s->in, data, len);
	if (s->lst->https_policy != NULL)
		https_process(s);
	else
		process(s);
}

void
mx_session_resume(struct mx_session *s)
{
	if (!s->held)
		return;
	s->held = 0;
	s->hold_ms = 0;
	s->delay_done = 1;
	s->early_off = 0;
	mx_enter_state(s, s->pend_state, s->pend_reply);
	process(s);
}

void
mx_session_tls_start(struct mx_session *s)
{
	size_t used;
	long n;

	while (s->in.len > 0) {
		n = smtp_line_end(s->in.data, s->in.len, &used);
		if (n < 0) {
			log_command(
			    s, "", s->in.data, s->in.len, 0, "discarded");
			break;
		}
		{
			struct smtp_cmd c;

			smtp_parse_command(s->in.data, (size_t)n, &c);
			log_command(s, c.word, s->in.data, (size_t)n,
			    used - (size_t)n == 1, "discarded");
		}
		buf_consume(&s->in, used);
	}
	buf_reset(&s->in);
	s->skipping = 0;
	s->unsent[0] = '\0';
	s->action = MX_ACT_NONE;
	s->reason = NULL;
}

void
mx_session_tls_done(struct mx_session *s)
{
	s->tls = 1;
	s->nrcpt = 0;
	msg_reset(s);
	if (s->b->flag[MXS_FLAG_CLOSE_AFTER_HANDSHAKE]) {
		s->state = MX_ST_CLOSED;
		s->action = MX_ACT_CLOSE;
		s->reason = mxs_flag_json(MXS_FLAG_CLOSE_AFTER_HANDSHAKE);
		return;
	}
	s->state = MX_ST_GREET;
	if (s->lst->https_policy != NULL) {
		https_process(s);
		return;
	}
	if (s->b->implicit_tls)
		mx_enter_state(s, MX_ST_GREET, MX_R_BANNER);
	process(s);
}

/* is_text - the bytes look like SMTP text, not a TLS record. */
static int
is_text(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n')
			return 0;
	}
	return 1;
}

size_t
mx_session_linger(struct mx_session *s, const void *data, size_t len, int final)
{
	size_t used;
	long n;

	/* after an HTTPS answer nothing is SMTP: only counted */
	if (len > 0 &&
	    (s->lst->https_policy != NULL ||
	        (s->in.len == 0 && !is_text(data, len < 5 ? len : 5)))) {
		s->linger_binary += len;
		return len;
	}
	buf_append(&s->in, data, len);
	while (s->in.len > 0) {
		struct smtp_cmd c;

		n = smtp_line_end(s->in.data, s->in.len, &used);
		if (n < 0) {
			if (!final && s->in.len <= MX_LINE_MAX)
				break;
			n = (long)s->in.len;
			used = s->in.len;
		}
		if (!is_text(s->in.data, (size_t)n)) {
			s->linger_binary += used;
		} else {
			smtp_parse_command(s->in.data, (size_t)n, &c);
			log_command(s, c.word, s->in.data, (size_t)n,
			    used - (size_t)n == 1, "after_close");
		}
		buf_consume(&s->in, used);
	}
	return len;
}

void
mx_session_timeout(struct mx_session *s)
{
	s->held = 0;
	s->delay_done = 0;
	mx_enter_state(s, MX_ST_CLOSED, MX_R_TIMEOUT);
}
