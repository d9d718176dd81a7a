/*
 * mx_behave.h - the per-listener behaviour table of fakemx: what each MX
 * host answers at each SMTP stage, how it advertises STARTTLS and how it
 * sabotages it (RFC 3207 §4, §6; requirement catalogue §11 A1-A6).
 *
 * The session state machine (mx_session.c) consults this table in
 * mx_enter_state(), the one place that writes replies: behaviours are
 * data here, not conditions scattered through the session (Postfix's
 * smtp-sink command table).
 */
#ifndef DSIM_MX_BEHAVE_H
#define DSIM_MX_BEHAVE_H

#include <stddef.h>

#include "mxspec.h"

/* Every reply the session can send; the table maps each to a stage and
 * a default code and text. */
enum mx_reply {
	MX_R_BANNER = 0,
	MX_R_EHLO,
	MX_R_HELO,
	MX_R_STARTTLS,
	MX_R_MAIL,
	MX_R_RCPT,
	MX_R_DATA,
	MX_R_DOT,
	MX_R_RSET,
	MX_R_NOOP,
	MX_R_VRFY,
	MX_R_QUIT,
	MX_R_UNKNOWN,    /* 500 command not recognised */
	MX_R_TOOLONG,    /* 500 line too long */
	MX_R_SYNTAX,     /* 501 */
	MX_R_NOTIMPL,    /* 502 */
	MX_R_BADSEQ,     /* 503 */
	MX_R_TLSACTIVE,  /* 503 STARTTLS inside TLS */
	MX_R_NOSTARTTLS, /* 502 STARTTLS not offered */
	MX_R_TOOMANY,    /* 452 too many recipients */
	MX_R_TOOBIG,     /* 552 message too big */
	MX_R_STOREFAIL,  /* 451 message could not be stored */
	MX_R_TIMEOUT,    /* 421 idle time-out */
	MX_R__COUNT
};

/* A configured reply: a code and text, or dropping the connection. */
struct mx_override {
	int set;    /* 0: the default reply */
	int drop;   /* close the connection instead of replying */
	int code;   /* 200..599 when !drop */
	char *text; /* owned; NULL = the default text of the stage */
};

struct mx_behave {
	char *hostname; /* owned; greeting name */
	int esmtp;      /* 0: EHLO answered 502, HELO only */
	enum mxs_starttls starttls;
	struct mx_override reply[MXS_STAGE__COUNT];
	long delay_ms[MXS_STAGE__COUNT];
	long hold_tls_ms; /* every reply inside TLS waits this long, so
	                     a command sent before the reply it must wait
	                     for is seen (mx_session.c, "early") */
	char *inject;     /* owned; bytes sent with the 220 to STARTTLS */
	size_t injectlen;
	int flag[MXS_FLAG__COUNT]; /* yes/no behaviours (lib/mxspec.h) */
	int implicit_tls;          /* TLS from the first byte (bench mode) */
	size_t max_size;           /* message size limit in octets */
	/* EHLO lines of each half of the session (enum mxs_tls_phase)
	 * instead of the defaults, when kw_set; owned */
	char **kw[MXS_PHASE__COUNT];
	size_t nkw[MXS_PHASE__COUNT];
	int kw_set[MXS_PHASE__COUNT];
};

/* What mx_behave_answer decided for one reply. */
struct mx_answer {
	enum mxs_stage stage; /* stage of the reply, MXS_STAGE_NONE if none */
	int drop;             /* close instead of replying */
	int code;
	int overridden; /* from the listener's "replies" */
	long delay_ms;  /* wait this long before replying */
	char text[600];
};

/* mx_behave_init - an honest ESMTP server called hostname (copied). */
void mx_behave_init(struct mx_behave *b, const char *hostname);
/* mx_behave_copy - dst becomes a deep copy of src. */
void mx_behave_copy(struct mx_behave *dst, const struct mx_behave *src);
/* mx_behave_free - release what b owns. */
void mx_behave_free(struct mx_behave *b);

/*
 * mx_behave_answer - fill a with what b answers for reply r, inside TLS
 * or not. Never fails.
 */
void mx_behave_answer(
    const struct mx_behave *b, enum mx_reply r, int tls, struct mx_answer *a);

/*
 * mx_behave_ehlo_keywords - the EHLO extension keywords b advertises
 * (inside TLS or not) into kw (at most max, borrowed strings and the
 * size line in sizebuf); returns how many. A listed half of the session
 * advertises its list (and STARTTLS as the mode says), nothing else.
 */
size_t mx_behave_ehlo_keywords(const struct mx_behave *b, int tls,
    const char **kw, size_t max, char *sizebuf, size_t sizelen);

/*
 * mx_behave_max_size - the message size limit inside TLS or not: the SIZE
 * of that half's EHLO list when it names one, else b->max_size.
 */
size_t mx_behave_max_size(const struct mx_behave *b, int tls);

/* mx_reply_str - the reply kind's name, for logs. */
const char *mx_reply_str(enum mx_reply r);

#endif /* DSIM_MX_BEHAVE_H */
