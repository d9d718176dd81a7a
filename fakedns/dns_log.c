/*
 * dns_log.c - one dns.jsonl line per query (docs/internals.md). The
 * usual line is written by hand into a buffer on the stack, the very
 * bytes jansson's json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(16))
 * gives for the same object (RFC 8259 escapes, keys in insertion order);
 * a line with a byte outside ASCII (a scenario name in UTF-8, say) goes
 * through jansson itself, which also checks the UTF-8.
 */
#include "dns_log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "xmalloc.h"

/* Longest line written by hand; a longer one goes through jansson. */
#define DNS_LOG_LINE_MAX 8192
/* jansson's buffer for a real (MAX_REAL_STR_LENGTH): a longer one fails. */
#define DNS_LOG_REAL_MAX 24

/* A line being written by hand. */
struct line {
	char buf[DNS_LOG_LINE_MAX];
	size_t len;
	int bad; /* too long, or a byte jansson must judge */
};

/* put - append n bytes. */
static void
put(struct line *l, const char *s, size_t n)
{
	if (l->bad || n >= sizeof(l->buf) - l->len) {
		l->bad = 1;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* put_str - a JSON string (jansson's dump_string for ASCII), or null. */
static void
put_str(struct line *l, const char *s)
{
	/* the escapes with a name; other control characters as \u00XX */
	static const char named[][3] = {['"'] = "\\\"",
	    ['\\'] = "\\\\",
	    ['\b'] = "\\b",
	    ['\f'] = "\\f",
	    ['\n'] = "\\n",
	    ['\r'] = "\\r",
	    ['\t'] = "\\t"};
	char esc[8];
	const char *p;

	if (s == NULL) {
		put(l, "null", 4);
		return;
	}
	put(l, "\"", 1);
	for (p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x80) {
			l->bad = 1;
			return;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
			put(l, p, 1);
		else if (c < sizeof(named) / sizeof(named[0]) &&
		         named[c][0] != '\0')
			put(l, named[c], 2);
		else {
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			put(l, esc, 6);
		}
	}
	put(l, "\"", 1);
}

/* put_key - "key": */
static void
put_key(struct line *l, const char *key)
{
	put(l, l->len > 1 ? ",\"" : "\"", l->len > 1 ? 2 : 1);
	put(l, key, strlen(key));
	put(l, "\":", 2);
}

/* put_int - an integer value ("%lld"). */
static void
put_int(struct line *l, long long v)
{
	char num[24];
	size_t i = sizeof(num);
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		num[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		num[--i] = '-';
	put(l, num + i, sizeof(num) - i);
}

/* put_bool - true or false. */
static void
put_bool(struct line *l, int v)
{
	put(l, v ? "true" : "false", v ? 4 : 5);
}

/* put_real - a real as jansson writes it at precision 16 (jsonp_dtostr):
 * "%.16g", ".0" when it would read as an integer, exponent without "+"
 * or leading zeros. */
static void
put_real(struct line *l, double v)
{
	char num[64], *e, *end;
	int n = snprintf(num, sizeof(num), "%.16g", v);
	size_t len;

	if (!isfinite(v) || n < 0 || (size_t)n >= DNS_LOG_REAL_MAX) {
		l->bad = 1; /* jansson refuses it: let it say so */
		return;
	}
	len = (size_t)n;
	if (strchr(num, '.') == NULL && strchr(num, 'e') == NULL) {
		if (len + 3 >= DNS_LOG_REAL_MAX) {
			l->bad = 1;
			return;
		}
		memcpy(num + len, ".0", 3);
		len += 2;
	}
	if ((e = strchr(num, 'e')) != NULL) {
		e++;
		end = e + 1;
		if (*e == '-')
			e++;
		while (*end == '0')
			end++;
		if (end != e) {
			memmove(e, end, len - (size_t)(end - num) + 1);
			len -= (size_t)(end - e);
		}
	}
	put(l, num, len);
}

/* One field of a line: key and value. */
struct field {
	const char *key;
	enum { F_REAL, F_STR, F_INT, F_BOOL } kind;
	const char *str; /* F_STR; NULL writes null */
	long long num;   /* F_INT, F_BOOL */
	double real;     /* F_REAL */
};

/* Fields of the longest line (a usable query). */
#define DNS_LOG_FIELDS 16

/*
 * fields - the fields of the line of one query, in their order: the one
 * list both writers (by hand and jansson) follow. Returns how many.
 */
static size_t
fields(struct field *f, double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	size_t n = 0;

#define STR(k, v) f[n++] = (struct field){.key = k, .kind = F_STR, .str = v}
#define NUM(k, kd, v)                                                          \
	f[n++] = (struct field)                                                \
	{                                                                      \
		.key = k, .kind = kd, .num = v                                 \
	}
	f[n++] = (struct field){.key = "t", .kind = F_REAL, .real = t};
	STR("client", client);
	if (res->has_query) {
		STR("server", server);
		STR("transport", transport);
		NUM("id", F_INT, res->id);
		/* odd bytes of a qname are \DDD escapes: ASCII */
		STR("qname", res->qname);
		STR("qtype", res->qtype);
		NUM("do", F_BOOL, res->dnssec_ok);
		NUM("cd", F_BOOL, res->cd);
		STR("rcode", res->rcode);
		STR("fault", res->fault);
		STR("zone", res->zone);
		STR("scenario", res->scenario);
		NUM("answers", F_INT, res->answers);
		NUM("tc", F_BOOL, res->tc);
		if (res->attempt > 0)
			NUM("attempt", F_INT, res->attempt);
	} else {
		STR("transport", transport);
		STR("error", res->error);
		STR("rcode", res->rcode);
	}
#undef STR
#undef NUM
	return n;
}

/* format_fast - the line by hand into l; l->bad when jansson must. */
static void
format_fast(struct line *l, double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	struct field f[DNS_LOG_FIELDS];
	size_t n = fields(f, t, client, server, transport, res), i;

	l->len = 0;
	l->bad = 0;
	put(l, "{", 1);
	for (i = 0; i < n; i++) {
		put_key(l, f[i].key);
		switch (f[i].kind) {
		case F_REAL:
			put_real(l, f[i].real);
			break;
		case F_STR:
			put_str(l, f[i].str);
			break;
		case F_INT:
			put_int(l, f[i].num);
			break;
		case F_BOOL:
			put_bool(l, (int)f[i].num);
			break;
		}
	}
	put(l, "}", 1);
	if (!l->bad)
		l->buf[l->len] = '\0';
}

/* str_or_null - a JSON string, or null for NULL. */
static json_t *
str_or_null(const char *s)
{
	json_t *j = s != NULL ? json_string(s) : NULL;

	return j != NULL ? j : json_null();
}

char *
dns_log_format_jansson(double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	struct field f[DNS_LOG_FIELDS];
	size_t n = fields(f, t, client, server, transport, res), i;
	json_t *o = json_object(), *v = NULL;
	char *line;

	for (i = 0; i < n; i++) {
		switch (f[i].kind) {
		case F_REAL:
			v = json_real(f[i].real);
			break;
		case F_STR:
			v = str_or_null(f[i].str);
			break;
		case F_INT:
			v = json_integer(f[i].num);
			break;
		case F_BOOL:
			v = json_boolean(f[i].num);
			break;
		}
		json_object_set_new(o, f[i].key, v);
	}
	line = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(16));
	json_decref(o);
	if (line == NULL)
		line = xstrdup("{\"error\":\"log line could not be encoded\"}");
	return line;
}

char *
dns_log_format(double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	struct line l;

	format_fast(&l, t, client, server, transport, res);
	if (l.bad)
		return dns_log_format_jansson(
		    t, client, server, transport, res);
	return xstrdup(l.buf);
}

int
dns_log_write(FILE *fp, double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	struct line l;
	char *line;
	int rc = 0;

	if (fp == NULL)
		return 0;
	format_fast(&l, t, client, server, transport, res);
	if (!l.bad) {
		l.buf[l.len] = '\n';
		if (fwrite(l.buf, 1, l.len + 1, fp) != l.len + 1)
			rc = -1;
	} else {
		line =
		    dns_log_format_jansson(t, client, server, transport, res);
		if (fprintf(fp, "%s\n", line) < 0)
			rc = -1;
		free(line);
	}
	if (rc == -1)
		log_warn("query log");
	return rc;
}
