/*
 * rs_smtp.h - refsut's SMTP client dialogue (RFC 5321) with STARTTLS
 * (RFC 3207) for one connection to one MX address: banner, EHLO (HELO
 * fallback), STARTTLS as the host's TLS mode demands (RFC 7672 §2.2),
 * discarding bytes buffered before the handshake (RFC 3207 §6,
 * CVE-2021-38371), EHLO again, then MAIL, RCPT, DATA, QUIT.
 *
 * The reply parser, the EHLO keyword test and the message encoder are
 * pure functions for the unit tests.
 */
#ifndef DSIM_RS_SMTP_H
#define DSIM_RS_SMTP_H

#include <stddef.h>

#include <openssl/ssl.h>

#include "buf.h"
#include "rs_dane.h"

/* State of one recipient across hosts. */
enum rs_rcpt_state { RS_RCPT_PENDING = 0, RS_RCPT_DELIVERED, RS_RCPT_BOUNCED };

/* rs_rcpt_state_str - "pending", "delivered", "bounced". */
const char *rs_rcpt_state_str(enum rs_rcpt_state s);

struct rs_rcpt {
	char *addr; /* owned */
	enum rs_rcpt_state state;
};

/* Everything one delivery attempt needs. All pointers borrowed. */
struct rs_attempt {
	const char *domain; /* next-hop domain, for logs */
	const char *host;   /* MX host name */
	const char *addr;   /* IPv4 or IPv6 address text */
	int port;
	const char *ehlo;
	int timeout_s;
	const char *sender;
	const struct buf *body; /* message, already CRLF + dot-stuffed */
	SSL_CTX *ctx;
	const char *state_dir; /* -s: TLS sessions kept here; or NULL */
	struct rs_tls_plan plan;
	int no_tls;    /* retry without STARTTLS (mode MAY) */
	int tls_hello; /* retry after an SSL 2.0-compatible hello
	                  (--sslv2-hello): a TLS ClientHello this time */
};

/* What became of one attempt. */
enum rs_attempt_result {
	RS_ATT_DONE = 0,        /* transaction finished (recipients updated) */
	RS_ATT_FAILED,          /* host failed: try the next one */
	RS_ATT_RETRY_CLEARTEXT, /* opportunistic TLS broke: reconnect clear */
	RS_ATT_RETRY_TLS        /* --sslv2-hello refused: reconnect and
	                           send a TLS ClientHello */
};

/* rs_attempt_result_str - "done", "failed", "retry-cleartext",
 * "retry-tls". */
const char *rs_attempt_result_str(enum rs_attempt_result r);

/*
 * rs_smtp_connect - a TCP connection to IPv4 addr:port within timeout_s,
 * made blocking with send and receive time-outs of timeout_s. The
 * socket, or -1 with the reason in err (errlen bytes); not logged.
 */
int rs_smtp_connect(
    const char *addr, int port, int timeout_s, char *err, size_t errlen);

/*
 * rs_smtp_attempt - one connection to a->addr; updates the state of the
 * pending recipients in rcpts (delivered, bounced, or left pending).
 * Logs each decision. Never fails other than by its result.
 */
enum rs_attempt_result rs_smtp_attempt(
    const struct rs_attempt *a, struct rs_rcpt *rcpts, size_t nrcpts);

/*
 * rs_smtp_parse_reply_line - parse "ddd", "ddd text" or "ddd-text" (first
 * digit 2..5). Sets *code, *more (1 for a continuation line) and *text
 * (borrowed, may be empty). Returns 0, or -1 if not a reply line.
 */
int rs_smtp_parse_reply_line(
    const char *line, size_t len, int *code, int *more, const char **text);

/*
 * rs_smtp_has_keyword - whether an EHLO reply (lines joined with '\n',
 * the first being the greeting) lists keyword (case-insensitive, as the
 * first word of a line after the first).
 */
int rs_smtp_has_keyword(const char *ehlo_text, const char *keyword);

/*
 * rs_smtp_encode_body - append msg (len bytes, any line endings) to out
 * as SMTP DATA: CRLF line endings, leading dots doubled, a final CRLF if
 * missing, and the terminating ".\r\n" (RFC 5321 §4.5.2).
 */
void rs_smtp_encode_body(const char *msg, size_t len, struct buf *out);

/*
 * rs_smtp_valid_address - whether addr may go into MAIL FROM/RCPT TO:
 * printable ASCII without spaces, '<', '>' and at most 254 bytes. The
 * empty address (null sender) is valid.
 */
int rs_smtp_valid_address(const char *addr);

#endif /* DSIM_RS_SMTP_H */
