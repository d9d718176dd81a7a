/*
 * mx_session.h - one SMTP server session of fakemx: the state machine that
 * reads the client's command lines and message, and answers according to
 * the listener's behaviour table (RFC 5321 §3, §4.1, §4.3.2; RFC 3207 §4;
 * RFC 2920 pipelining).
 *
 * The session is pure protocol: it never touches a socket or the clock.
 * The server (mx_server.c) feeds it bytes, sends what it queues in out,
 * and carries out the action it asks for (start TLS, close, drop, wait).
 * mx_enter_state() in mx_session.c is the only place that writes replies.
 */
#ifndef DSIM_MX_SESSION_H
#define DSIM_MX_SESSION_H

#include <stddef.h>

#include "buf.h"
#include "mx_behave.h"
#include "mx_conf.h"
#include "mx_evlog.h"

enum mx_state {
	MX_ST_NEW = 0, /* nothing sent yet (or TLS first, implicit TLS) */
	MX_ST_GREET,   /* banner sent (or TLS up): waiting for HELO/EHLO */
	MX_ST_READY,   /* greeted, no transaction */
	MX_ST_MAIL,    /* MAIL accepted */
	MX_ST_RCPT,    /* at least one RCPT accepted */
	MX_ST_BODY,    /* 354 sent: reading the message */
	MX_ST_TLS,     /* 220 to STARTTLS sent: handshake next */
	MX_ST_CLOSED,  /* nothing more to read */
	MX_ST__COUNT
};

/* What the session asks the server to do once out has been sent. */
enum mx_action {
	MX_ACT_NONE = 0,
	MX_ACT_STARTTLS, /* start the TLS handshake on this connection */
	MX_ACT_CLOSE,    /* close after sending out */
	MX_ACT_DROP      /* close now */
};

struct mx_session {
	unsigned long id;              /* conn number of the event log */
	const struct mx_listener *lst; /* borrowed */
	const struct mx_behave *b;     /* borrowed; the listener's, or the
	                                  phase's (mx_phase_behave) */
	struct mx_evlog *ev;           /* borrowed; may be NULL */
	const char *maildir;           /* borrowed; NULL: messages not stored */
	enum mx_state state;
	int tls; /* TLS active */
	enum mx_action action;
	const char *reason;       /* why the action (static string) */
	struct buf in;            /* received, not yet processed */
	struct buf out;           /* replies to send */
	long hold_ms;             /* request: wait before going on (the
	                             server reads and zeroes it) */
	int held;                 /* waiting for mx_session_resume() */
	enum mx_state pend_state; /* the delayed mx_enter_state() call */
	enum mx_reply pend_reply;
	size_t early_off; /* bytes of in already checked for early
	                     commands during the current hold */
	int delay_done;   /* the pending delay has passed */
	int skipping;     /* overlong line: drop to its end */
	struct buf msg;   /* the message being received */
	int msg_toobig;
	int msg_midline;      /* last body chunk ended mid-line */
	unsigned msg_bare_lf; /* body lines ended by a bare LF */
	size_t nrcpt;         /* accepted recipients */
	unsigned long nmsg;   /* messages accepted on this session */
	char *last_file;      /* owned; last stored message (relative) */
	size_t linger_binary; /* bytes read after close that were no
	                         text (TLS records), not logged */
	int refused;          /* negative banner: only QUIT is served
	                         (RFC 5321 §3.1, 554 greeting) */
	char unsent[16];      /* the verb whose reply is queued or held but
	                         not yet written ("" none): a command read
	                         now was pipelined behind it */
	const char *sni;      /* borrowed; the SNI of the handshake (set by
	                         the server before mx_session_tls_done), or
	                         NULL */
};

/*
 * mx_session_new - a session for connection id on listener lst, logging
 * to ev (may be NULL) and storing messages under maildir (may be NULL:
 * accepted but not stored). Free with mx_session_free.
 */
struct mx_session *mx_session_new(const struct mx_listener *lst,
    unsigned long id, struct mx_evlog *ev, const char *maildir);

/* mx_session_free - release s; NULL is fine. */
void mx_session_free(struct mx_session *s);

/* mx_session_start - begin: queue the banner (or ask for TLS first). */
void mx_session_start(struct mx_session *s);

/* mx_session_feed - take len bytes from the client and process them. */
void mx_session_feed(struct mx_session *s, const void *data, size_t len);

/* mx_session_resume - the delay asked for by hold_ms has passed. */
void mx_session_resume(struct mx_session *s);

/*
 * mx_session_tls_start - the server starts TLS now: plaintext the client
 * sent after STARTTLS is logged (as commands with "discarded") and
 * discarded (RFC 3207 §6; CVE-2011-0411 class). Clears the action.
 */
void mx_session_tls_start(struct mx_session *s);

/* mx_session_tls_done - the handshake succeeded: the session starts over
 * (RFC 3207 §4.2), or closes if the listener says so. */
void mx_session_tls_done(struct mx_session *s);

/*
 * mx_session_linger - the server closed the session (421, a drop, a
 * failed handshake) but still reads what the client sends for a moment:
 * every complete line is logged as a "command" with "after_close", so
 * the log sees what the capture sees. Input that is not text (TLS
 * records) is counted, not logged. final: the linger ended, log a line
 * left without its end too. Returns the bytes taken.
 */
size_t mx_session_linger(
    struct mx_session *s, const void *data, size_t len, int final);

/* mx_session_timeout - idle time-out: queue 421 and ask to close. */
void mx_session_timeout(struct mx_session *s);

/* mx_state_str - name of a state, for logs. */
const char *mx_state_str(enum mx_state st);
/* mx_action_str - name of an action, for logs. */
const char *mx_action_str(enum mx_action a);

#endif /* DSIM_MX_SESSION_H */
