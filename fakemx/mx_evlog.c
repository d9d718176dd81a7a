/*
 * mx_evlog.c - fakemx's JSON-lines event log (docs/internals.md,
 * smtp.jsonl), written through jansson.
 */
#include "mx_evlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "xmalloc.h"

struct mx_evlog {
	int fd;
	int failed; /* a write failed already (logged once) */
};

struct mx_evlog *
mx_evlog_open(const char *path)
{
	struct mx_evlog *ev;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("event log %s", path);
		return NULL;
	}
	ev = xcalloc(1, sizeof(*ev));
	ev->fd = fd;
	return ev;
}

void
mx_evlog_close(struct mx_evlog *ev)
{
	if (ev == NULL)
		return;
	close(ev->fd);
	free(ev);
}

/* utf8_len - length of the valid UTF-8 sequence at s (at most n), 0 if
 * invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t need, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (need > n)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

json_t *
mx_evlog_str(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	struct buf b;
	size_t i = 0, l;
	json_t *j;

	buf_init(&b);
	while (i < n) {
		l = utf8_len(u + i, n - i);
		if (l == 0 || (l == 1 && u[i] == 0)) {
			buf_puts(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		buf_append(&b, s + i, l);
		i += l;
	}
	j = json_stringn(b.len ? b.data : "", b.len);
	buf_free(&b);
	if (j == NULL)
		j = json_string("");
	return j;
}

void
mx_evlog_write(struct mx_evlog *ev, unsigned long conn, const char *scenario,
    const char *host, const char *event, json_t *fields)
{
	struct timeval tv;
	json_t *o;
	char *line;
	size_t len, off = 0;
	ssize_t n;

	if (ev == NULL) {
		json_decref(fields);
		return;
	}
	gettimeofday(&tv, NULL);
	o = json_object();
	json_object_set_new(
	    o, "t", json_real((double)tv.tv_sec + (double)tv.tv_usec / 1e6));
	json_object_set_new(o, "event", json_string(event));
	json_object_set_new(o, "conn", json_integer((json_int_t)conn));
	json_object_set_new(
	    o, "scenario", scenario ? json_string(scenario) : json_null());
	json_object_set_new(o, "host", host ? json_string(host) : json_null());
	if (fields != NULL) {
		json_object_update(o, fields);
		json_decref(fields);
	}
	line = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(16));
	json_decref(o);
	if (line == NULL)
		panic("mx_evlog_write: json_dumps failed");
	len = strlen(line);
	line[len] = '\n';
	/* One write() per line: with O_APPEND the line lands whole. */
	while (off < len + 1) {
		n = write(ev->fd, line + off, len + 1 - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!ev->failed)
				log_err("event log write");
			ev->failed = 1;
			break;
		}
		off += (size_t)n;
	}
	free(line);
}
