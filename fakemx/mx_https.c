/*
 * mx_https.c - the MTA-STS policy host of fakemx (RFC 8461 §3.3, one
 * HTTP/1.1 request per connection, RFC 9112 §3 request line); see
 * mx_https.h.
 */
#include "mx_https.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mtasts.h"

size_t
mx_https_head_len(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (data[i] != '\n')
			continue;
		if (data[i + 1] == '\n')
			return i + 2;
		if (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* next_line - the line at *pos of req[0..len) without its end (start
 * and length); moves *pos past it. 0, or -1 at the end. */
static int
next_line(
    const char *req, size_t len, size_t *pos, const char **line, size_t *n)
{
	const char *nl;

	if (*pos >= len)
		return -1;
	*line = req + *pos;
	nl = memchr(*line, '\n', len - *pos);
	*n = nl != NULL ? (size_t)(nl - *line) : len - *pos;
	*pos += *n + (nl != NULL);
	if (*n > 0 && (*line)[*n - 1] == '\r')
		(*n)--;
	return 0;
}

/* printable - every byte of s[0..n) is printable ASCII. */
static int
printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* request_line - "METHOD SP PATH SP HTTP/1.x" into r. 0 or -1. */
static int
request_line(const char *line, size_t n, struct mx_https_req *r)
{
	const char *sp1, *sp2;
	size_t ml, pl;

	if (!printable(line, n))
		return -1;
	sp1 = memchr(line, ' ', n);
	if (sp1 == NULL)
		return -1;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - line));
	if (sp2 == NULL)
		return -1;
	ml = (size_t)(sp1 - line);
	pl = (size_t)(sp2 - sp1 - 1);
	if (ml == 0 || ml >= sizeof(r->method) || pl == 0 ||
	    pl >= sizeof(r->path))
		return -1;
	memcpy(r->method, line, ml);
	r->method[ml] = '\0';
	memcpy(r->path, sp1 + 1, pl);
	r->path[pl] = '\0';
	if (n - (size_t)(sp2 + 1 - line) != 8 ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return -1;
	return 0;
}

/* respond - status line, headers and body into out. */
static int
respond(struct buf *out, int code, const char *reason, const char *body)
{
	buf_printf(out,
	    "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
	    code, reason, strlen(body), body);
	return code;
}

int
mx_https_answer(const char *req, size_t len, const char *policy,
    struct buf *out, struct mx_https_req *r)
{
	const char *line;
	size_t pos = 0, n, hv;

	memset(r, 0, sizeof(*r));
	if (next_line(req, len, &pos, &line, &n) != 0 ||
	    request_line(line, n, r) != 0) {
		r->error = "malformed request line";
		return respond(out, 400, "Bad Request", "bad request\r\n");
	}
	/* header fields up to the empty line; only Host is kept */
	while (next_line(req, len, &pos, &line, &n) == 0 && n > 0) {
		const char *colon = memchr(line, ':', n);

		if (colon == NULL || colon == line || !printable(line, n)) {
			r->error = "malformed header field";
			return respond(
			    out, 400, "Bad Request", "bad request\r\n");
		}
		if ((size_t)(colon - line) == 4 &&
		    strncasecmp(line, "host", 4) == 0) {
			colon++;
			hv = n - (size_t)(colon - line);
			while (hv > 0 && (*colon == ' ' || *colon == '\t')) {
				colon++;
				hv--;
			}
			snprintf(r->host, sizeof(r->host), "%.*s",
			    (int)(hv < sizeof(r->host) - 1
			              ? hv
			              : sizeof(r->host) - 1),
			    colon);
		}
	}
	if (strcmp(r->method, "GET") != 0) {
		r->error = "method not allowed";
		return respond(
		    out, 405, "Method Not Allowed", "method not allowed\r\n");
	}
	if (strcmp(r->path, MTASTS_PATH) != 0) {
		r->error = "no such path";
		return respond(out, 404, "Not Found", "not found\r\n");
	}
	return respond(out, 200, "OK", policy);
}

int
mx_https_too_long(struct buf *out, struct mx_https_req *r)
{
	memset(r, 0, sizeof(*r));
	r->error = "request head too long";
	return respond(out, 400, "Bad Request", "bad request\r\n");
}
