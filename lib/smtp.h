/*
 * smtp.h - SMTP command and reply parsing (RFC 5321), shared by fakemx
 * (reading the SUT's commands) and the capture analyser (reading them off
 * the wire). Pure functions: no sockets, no clock.
 */
#ifndef DSIM_SMTP_H
#define DSIM_SMTP_H

#include <stddef.h>

/* Commands danesim tells apart; everything else is SMTP_CMD_UNKNOWN. */
enum smtp_verb {
	SMTP_CMD_UNKNOWN = 0,
	SMTP_CMD_HELO,
	SMTP_CMD_EHLO,
	SMTP_CMD_STARTTLS,
	SMTP_CMD_MAIL,
	SMTP_CMD_RCPT,
	SMTP_CMD_DATA,
	SMTP_CMD_RSET,
	SMTP_CMD_NOOP,
	SMTP_CMD_QUIT,
	SMTP_CMD_VRFY,
	SMTP_CMD_BDAT,
	SMTP_CMD_AUTH,
	SMTP_CMD__COUNT
};

/* A parsed command line. arg points into the caller's line (borrowed). */
struct smtp_cmd {
	enum smtp_verb verb;
	char word[16];   /* the verb as sent, upper-cased, truncated */
	const char *arg; /* text after the verb and one space; "" if none */
	size_t arglen;
	const char *addr; /* MAIL FROM:<x> / RCPT TO:<x>: x (borrowed) */
	size_t addrlen;   /* 0 with addr NULL when absent or malformed */
};

/*
 * smtp_parse_command - parse one command line of len bytes (CRLF or LF
 * already removed). Returns 0, or -1 for an empty line, a line with NUL
 * or control bytes in the verb, or one longer than 1000 octets; out is
 * always filled (verb UNKNOWN on failure).
 */
int smtp_parse_command(const char *line, size_t len, struct smtp_cmd *out);

/*
 * smtp_parse_reply - parse one reply line "ddd-text" or "ddd text".
 * Sets *code, *last (1 for the final line of a reply) and *text
 * (borrowed). Returns 0, or -1 if the line is not a reply line.
 */
int smtp_parse_reply(
    const char *line, size_t len, int *code, int *last, const char **text);

/* smtp_verb_str - upper-case name of a verb ("UNKNOWN" for unknown). */
const char *smtp_verb_str(enum smtp_verb v);

/*
 * smtp_line_end - find the end of the next line in buf: returns the length
 * of the line without its terminator and sets *consumed to the bytes to
 * drop (line + CRLF or bare LF); -1 if no complete line yet.
 */
long smtp_line_end(const char *buf, size_t len, size_t *consumed);

/*
 * smtp_addr_literal - whether the domain part of an address is an
 * address literal (RFC 5321 §4.1.3), "[192.0.2.1]" or
 * "[IPv6:2001:db8::1]": 1 with the address (without brackets or tag)
 * copied to addr when addr is not NULL (truncated to addrsz), else 0. A
 * bracketed text that holds no address is 0.
 */
int smtp_addr_literal(const char *domain, char *addr, size_t addrsz);

#endif /* DSIM_SMTP_H */
