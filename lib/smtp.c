/*
 * smtp.c - SMTP command and reply line parsing, shared by fakemx (reading
 * the SUT's commands) and the capture analyser (reading them off the wire).
 *
 * Implements the syntax parts danesim observes:
 *   RFC 5321 §2.3.8 (lines end in CRLF; bare LF tolerated and reported),
 *   §4.1.1 (command verbs, case-insensitive), §4.1.1.2/§4.1.1.3
 *   (MAIL FROM:<reverse-path>, RCPT TO:<forward-path>, quoted local parts),
 *   §4.2 (reply lines "ddd-text" / "ddd text"), §4.5.3.1.4-6 (line
 *   length: 1000 octets), §4.1.3 (address literals), RFC 3207 §4
 *   (STARTTLS), RFC 3030 (BDAT).
 * Pure functions: no sockets, no clock, no allocation.
 */
#include "smtp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest line accepted, in octets, terminator excluded (RFC 5321 §4.5.3.1). */
#define SMTP_MAX_LINE 1000

static const char *const verb_names[SMTP_CMD__COUNT] = {
    [SMTP_CMD_UNKNOWN] = "UNKNOWN",
    [SMTP_CMD_HELO] = "HELO",
    [SMTP_CMD_EHLO] = "EHLO",
    [SMTP_CMD_STARTTLS] = "STARTTLS",
    [SMTP_CMD_MAIL] = "MAIL",
    [SMTP_CMD_RCPT] = "RCPT",
    [SMTP_CMD_DATA] = "DATA",
    [SMTP_CMD_RSET] = "RSET",
    [SMTP_CMD_NOOP] = "NOOP",
    [SMTP_CMD_QUIT] = "QUIT",
    [SMTP_CMD_VRFY] = "VRFY",
    [SMTP_CMD_BDAT] = "BDAT",
    [SMTP_CMD_AUTH] = "AUTH",
};

const char *
smtp_verb_str(enum smtp_verb v)
{
	if ((int)v < 0 || v >= SMTP_CMD__COUNT)
		return "UNKNOWN";
	return verb_names[v];
}

/* is_ctl - a byte that may not appear in a verb (NUL, controls, DEL, 8-bit). */
static int
is_ctl(unsigned char c)
{
	return c < 0x20 || c >= 0x7f;
}

/*
 * path_extract - find the <path> in text (after "FROM:" or "TO:"): sets
 * *addr and *addrlen to its inside, honouring quoted strings and backslash
 * escapes so a '>' inside a quoted local part does not end the path
 * (RFC 5321 §4.1.2). A path without angle brackets (a common client
 * mistake) runs to the next space. Leaves *addr NULL when malformed.
 */
static void
path_extract(const char *p, size_t n, const char **addr, size_t *addrlen)
{
	size_t i = 0, start;
	int quoted = 0;

	*addr = NULL;
	*addrlen = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n)
		return;
	if (p[i] != '<') {
		start = i;
		while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '>')
			i++;
		if (i < n && p[i] == '>')
			return;
		*addr = p + start;
		*addrlen = i - start;
		return;
	}
	start = ++i;
	for (; i < n; i++) {
		if (quoted && p[i] == '\\') {
			i++;
			continue;
		}
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && p[i] == '>')
			break;
		else if (!quoted && p[i] == '<')
			return;
	}
	if (i >= n)
		return;
	*addr = p + start;
	*addrlen = i - start;
}

int
smtp_parse_command(const char *line, size_t len, struct smtp_cmd *out)
{
	static const char *const empty = "";
	size_t i, wl;
	int v;

	memset(out, 0, sizeof(*out));
	out->verb = SMTP_CMD_UNKNOWN;
	out->arg = empty;
	if (line == NULL || len == 0 || len > SMTP_MAX_LINE)
		return -1;

	for (i = 0; i < len && line[i] != ' '; i++)
		if (is_ctl((unsigned char)line[i]))
			return -1;
	if (i == 0)
		return -1;
	wl = i < sizeof(out->word) - 1 ? i : sizeof(out->word) - 1;
	for (i = 0; i < wl; i++) {
		char c = line[i];
		out->word[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
	out->word[wl] = '\0';
	for (i = 0; i < len && line[i] != ' '; i++)
		;
	wl = i;
	if (wl < len) {
		out->arg = line + wl + 1;
		out->arglen = len - wl - 1;
	}

	for (v = SMTP_CMD_UNKNOWN + 1; v < SMTP_CMD__COUNT; v++)
		if (strlen(verb_names[v]) == wl &&
		    strncasecmp(line, verb_names[v], wl) == 0) {
			out->verb = (enum smtp_verb)v;
			break;
		}

	if (out->verb == SMTP_CMD_MAIL && out->arglen >= 5 &&
	    strncasecmp(out->arg, "FROM:", 5) == 0)
		path_extract(
		    out->arg + 5, out->arglen - 5, &out->addr, &out->addrlen);
	else if (out->verb == SMTP_CMD_RCPT && out->arglen >= 3 &&
	         strncasecmp(out->arg, "TO:", 3) == 0)
		path_extract(
		    out->arg + 3, out->arglen - 3, &out->addr, &out->addrlen);
	return 0;
}

int
smtp_parse_reply(
    const char *line, size_t len, int *code, int *last, const char **text)
{
	static const char *const empty = "";

	*code = 0;
	*last = 0;
	*text = empty;
	if (line == NULL || len < 3 || len > SMTP_MAX_LINE)
		return -1;
	/* RFC 5321 §4.2: first digit 2-5 (1yz is allowed by the grammar). */
	if (line[0] < '1' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
	    line[2] < '0' || line[2] > '9')
		return -1;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	*code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	*last = (len == 3 || line[3] == ' ');
	if (len > 4)
		*text = line + 4;
	return 0;
}

long
smtp_line_end(const char *buf, size_t len, size_t *consumed)
{
	const char *nl;
	size_t i;

	*consumed = 0;
	if (buf == NULL || len == 0)
		return -1;
	nl = memchr(buf, '\n', len);
	if (nl == NULL)
		return -1;
	i = (size_t)(nl - buf);
	*consumed = i + 1;
	if (i > 0 && buf[i - 1] == '\r')
		return (long)(i - 1);
	return (long)i;
}

int
smtp_addr_literal(const char *domain, char *addr, size_t addrsz)
{
	unsigned char bin[16];
	char in[64];
	size_t n;
	int af = AF_INET;

	if (domain == NULL || domain[0] != '[')
		return 0;
	n = strlen(domain);
	if (n < 3 || domain[n - 1] != ']' || n - 2 >= sizeof(in))
		return 0;
	memcpy(in, domain + 1, n - 2);
	in[n - 2] = '\0';
	if (strncasecmp(in, "IPv6:", 5) == 0) {
		af = AF_INET6;
		memmove(in, in + 5, strlen(in + 5) + 1);
	}
	if (inet_pton(af, in, bin) != 1)
		return 0;
	if (addr != NULL && addrsz > 0)
		snprintf(addr, addrsz, "%s", in);
	return 1;
}
