/*
 * scn_expand.c - variables of scenario files and relative times (see
 * docs/scenario-format.md, "Variables" and "Certificates"/TIME).
 *
 * ${TLSA(cert,u,s,m)} produces the RDATA of an RFC 6698 section 2.1 TLSA
 * record (certificate usage, selector, matching type, association data);
 * the hex itself comes from the caller, who holds the certificates. The
 * ranges accepted here are the ones RFC 7671 section 5 and RFC 7672
 * section 3 give meaning to: usage 0-3, selector 0-1, matching type 0-2.
 */
#include "scn_expand.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "xmalloc.h"

/* A variable's text longer than this is refused (names are short). */
#define VAR_MAX 512
/* Offsets beyond 100 years are refused: no scenario needs them. */
#define OFFSET_MAX (100LL * 366 * 86400)

/* How expand_core treats ${ADDR} and ${TLSA}. */
struct expand_mode {
	const struct scn_vars *vars; /* NULL: placeholders (syntax check) */
	void (*scan)(void *ctx, int kind, const char *label);
	void *scan_ctx;
};

/* seterr - format a message into err (if any). */
static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* parse_amount - "N", "Ns", "Nm", "Nh", "Nd" into seconds; 0 or -1. */
static int
parse_amount(const char *s, long long *out)
{
	long long v = 0, mul = 1;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > OFFSET_MAX)
			return -1;
	}
	switch (*p) {
	case '\0':
		break;
	case 's':
		p++;
		break;
	case 'm':
		mul = 60;
		p++;
		break;
	case 'h':
		mul = 3600;
		p++;
		break;
	case 'd':
		mul = 86400;
		p++;
		break;
	default:
		return -1;
	}
	if (*p != '\0')
		return -1;
	v *= mul;
	if (v > OFFSET_MAX)
		return -1;
	*out = v;
	return 0;
}

int
scn_parse_reltime(const char *s, long long *out)
{
	long long v;

	if (s == NULL)
		return -1;
	if (strcmp(s, "now") == 0) {
		*out = 0;
		return 0;
	}
	if (*s == '+' || *s == '-') {
		if (parse_amount(s + 1, &v) == -1)
			return -1;
		*out = *s == '-' ? -v : v;
		return 0;
	}
	if (parse_amount(s, &v) == -1)
		return -1;
	*out = v;
	return 0;
}

/* parse_int_arg - a small decimal integer in [lo, hi] (blanks trimmed). */
static int
parse_int_arg(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* trim - strip blanks at both ends of s in place; returns s. */
static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* valid_label - [A-Za-z0-9_-], starting with a letter or digit. */
static int
valid_label(const char *s)
{
	const char *p;

	if (!isalnum((unsigned char)*s))
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return 0;
	return p - s <= 63;
}

/*
 * call_args - split "NAME(a,b,...)" into its argument strings (in place,
 * in body). Returns the number of arguments, or -1 if the parentheses
 * are wrong.
 */
static int
call_args(char *body, size_t namelen, char **args, int maxargs)
{
	size_t n = strlen(body);
	char *p;
	int na = 0;

	if (body[namelen] != '(' || n < namelen + 2 || body[n - 1] != ')')
		return -1;
	body[n - 1] = '\0';
	p = body + namelen + 1;
	if (strchr(p, '(') != NULL || strchr(p, ')') != NULL)
		return -1;
	for (;;) {
		char *c = strchr(p, ',');

		if (na == maxargs)
			return -1;
		if (c != NULL)
			*c = '\0';
		args[na++] = trim(p);
		if (c == NULL)
			break;
		p = c + 1;
	}
	return na;
}

/* expand_time - ${NOW...} / ${UNIXNOW...}; rest is "", "+N" or "-N". */
static int
expand_time(struct buf *out, const char *rest, int unix_fmt, time_t now,
    const char *var, char *err, size_t errsz)
{
	long long off = 0;
	time_t t;
	struct tm tm;
	char tmp[32];

	if (*rest != '\0') {
		if ((*rest != '+' && *rest != '-') ||
		    parse_amount(rest + 1, &off) == -1) {
			seterr(err, errsz,
			    "bad time offset in ${%s} (want +N or -N, N in "
			    "seconds or with s/m/h/d, at most 100 years)",
			    var);
			return -1;
		}
		if (*rest == '-')
			off = -off;
	}
	t = now + (time_t)off;
	if (unix_fmt) {
		buf_printf(out, "%lld", (long long)t);
		return 0;
	}
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 1000 ||
	    tm.tm_year + 1900 > 9999 ||
	    strftime(tmp, sizeof(tmp), "%Y%m%d%H%M%S", &tm) != 14) {
		seterr(err, errsz, "${%s} is out of range", var);
		return -1;
	}
	buf_puts(out, tmp);
	return 0;
}

/*
 * expand_addr - ${ADDR(label)} (v6 0) or ${ADDR6(label)} (v6 1): the MX
 * host's IPv4 or IPv6 address.
 */
static int
expand_addr(struct buf *out, char *body, const struct expand_mode *m,
    const char *var, int v6, char *err, size_t errsz)
{
	const char *(*fn)(void *, const char *);
	const char *name = v6 ? "ADDR6" : "ADDR";
	char *args[2];
	const char *a;

	if (call_args(body, v6 ? 5 : 4, args, 1) != 1 ||
	    !valid_label(args[0])) {
		seterr(err, errsz,
		    "bad ${%s}: want ${%s(label)} with an MX label", var, name);
		return -1;
	}
	if (m->scan != NULL)
		m->scan(m->scan_ctx, v6 ? '6' : 'A', args[0]);
	if (m->vars == NULL) {
		buf_puts(out, v6 ? SCN_PLACEHOLDER_ADDR6 : "127.0.0.1");
		return 0;
	}
	fn = v6 ? m->vars->addr6 : m->vars->addr;
	if (fn == NULL) {
		seterr(err, errsz, "${%s}: MX %saddresses are not known here",
		    var, v6 ? "IPv6 " : "");
		return -1;
	}
	a = fn(m->vars->ctx, args[0]);
	if (a == NULL) {
		seterr(err, errsz, "${%s}: no MX host '%s' in this scenario",
		    var, args[0]);
		return -1;
	}
	buf_puts(out, a);
	return 0;
}

/* expand_tlsa - ${TLSA(cert,usage,selector,mtype)}. */
static int
expand_tlsa(struct buf *out, char *body, const struct expand_mode *m,
    const char *var, char *err, size_t errsz)
{
	char *args[4];
	int u, s, mt;
	char rdata[8192];

	if (call_args(body, 4, args, 4) != 4 || !valid_label(args[0])) {
		seterr(err, errsz,
		    "bad ${%s}: want ${TLSA(cert,usage,selector,mtype)}", var);
		return -1;
	}
	if (parse_int_arg(args[1], 0, 3, &u) == -1) {
		seterr(err, errsz, "${%s}: usage must be 0-3", var);
		return -1;
	}
	if (parse_int_arg(args[2], 0, 1, &s) == -1) {
		seterr(err, errsz, "${%s}: selector must be 0 or 1", var);
		return -1;
	}
	if (parse_int_arg(args[3], 0, 2, &mt) == -1) {
		seterr(err, errsz, "${%s}: matching type must be 0-2", var);
		return -1;
	}
	if (m->scan != NULL)
		m->scan(m->scan_ctx, 'T', args[0]);
	if (m->vars == NULL) {
		buf_printf(out, "%d %d %d 00", u, s, mt);
		return 0;
	}
	if (m->vars->tlsa == NULL) {
		seterr(
		    err, errsz, "${%s}: certificates are not known here", var);
		return -1;
	}
	rdata[0] = '\0';
	if (m->vars->tlsa(
	        m->vars->ctx, args[0], u, s, mt, rdata, sizeof(rdata)) == -1) {
		rdata[sizeof(rdata) - 1] = '\0';
		seterr(err, errsz, "${%s}: %s", var,
		    rdata[0] != '\0' ? rdata : "cannot compute");
		return -1;
	}
	rdata[sizeof(rdata) - 1] = '\0';
	buf_puts(out, rdata);
	return 0;
}

/* expand_one - append the value of variable var (text between ${ and }). */
static int
expand_one(struct buf *out, const char *var, const struct expand_mode *m,
    char *err, size_t errsz)
{
	char body[VAR_MAX + 1];
	char *b;
	const char *id = m->vars != NULL ? m->vars->id : "id";
	const char *domain = m->vars != NULL ? m->vars->domain : "id.test";
	time_t now = m->vars != NULL ? m->vars->now : (time_t)1700000000;

	snprintf(body, sizeof(body), "%s", var);
	b = trim(body);
	if (strcmp(b, "ID") == 0 || strcmp(b, "DOMAIN") == 0) {
		const char *v = b[0] == 'I' ? id : domain;

		if (v == NULL) {
			seterr(err, errsz, "${%s} is not known here", b);
			return -1;
		}
		buf_puts(out, v);
		return 0;
	}
	if (strncmp(b, "UNIXNOW", 7) == 0 &&
	    (b[7] == '\0' || b[7] == '+' || b[7] == '-'))
		return expand_time(out, b + 7, 1, now, var, err, errsz);
	if (strncmp(b, "NOW", 3) == 0 &&
	    (b[3] == '\0' || b[3] == '+' || b[3] == '-'))
		return expand_time(out, b + 3, 0, now, var, err, errsz);
	if (strncmp(b, "ADDR", 4) == 0 && b[4] == '(')
		return expand_addr(out, b, m, var, 0, err, errsz);
	if (strncmp(b, "ADDR6", 5) == 0 && b[5] == '(')
		return expand_addr(out, b, m, var, 1, err, errsz);
	if (strncmp(b, "TLSA", 4) == 0 && b[4] == '(')
		return expand_tlsa(out, b, m, var, err, errsz);
	seterr(err, errsz,
	    "unknown variable ${%s} (known: ID DOMAIN NOW[+-N] UNIXNOW[+-N] "
	    "ADDR(host) ADDR6(host) TLSA(cert,u,s,m))",
	    var);
	return -1;
}

/* expand_core - expand text according to m; new string or NULL. */
static char *
expand_core(
    const char *text, const struct expand_mode *m, char *err, size_t errsz)
{
	struct buf out;
	const char *p = text, *open, *close;
	char var[VAR_MAX + 1];

	buf_init(&out);
	buf_puts(&out, "");
	while ((open = strstr(p, "${")) != NULL) {
		buf_append(&out, p, (size_t)(open - p));
		close = strchr(open + 2, '}');
		if (close == NULL) {
			seterr(err, errsz, "unterminated ${ (no closing '}')");
			goto fail;
		}
		if ((size_t)(close - open - 2) > VAR_MAX) {
			seterr(err, errsz, "variable longer than %d bytes",
			    VAR_MAX);
			goto fail;
		}
		memcpy(var, open + 2, (size_t)(close - open - 2));
		var[close - open - 2] = '\0';
		if (strstr(var, "${") != NULL) {
			seterr(err, errsz, "nested ${ in ${%s}", var);
			goto fail;
		}
		if (expand_one(&out, var, m, err, errsz) == -1)
			goto fail;
		p = close + 1;
	}
	buf_puts(&out, p);
	return buf_steal(&out);
fail:
	buf_free(&out);
	return NULL;
}

char *
scn_expand(
    const char *text, const struct scn_vars *vars, char *err, size_t errsz)
{
	struct expand_mode m = {vars, NULL, NULL};

	if (text == NULL || vars == NULL) {
		seterr(err, errsz, "nothing to expand");
		return NULL;
	}
	return expand_core(text, &m, err, errsz);
}

const char *
scn_expand_placeholder_addr(void *ctx, const char *host)
{
	return "127.0.0.1";
}

const char *
scn_expand_placeholder_addr6(void *ctx, const char *host)
{
	return SCN_PLACEHOLDER_ADDR6;
}

int
scn_expand_placeholder_tlsa(
    void *ctx, const char *cert, int u, int s, int m, char *out, size_t outsz)
{
	snprintf(out, outsz, "%d %d %d 00", u, s, m);
	return 0;
}

char *
scn_expand_norm_name(const struct scn *s, const char *name)
{
	struct scn_vars v;
	char err[256], *dom, *r, *q;
	size_t n;

	memset(&v, 0, sizeof(v));
	dom = xasprintf("%s.test", s->id);
	v.id = s->id;
	v.domain = dom;
	v.now = 0;
	v.addr = scn_expand_placeholder_addr;
	v.addr6 = scn_expand_placeholder_addr6;
	v.tlsa = scn_expand_placeholder_tlsa;
	r = scn_expand(name, &v, err, sizeof(err));
	free(dom);
	if (r == NULL)
		return NULL;
	for (q = r; *q != '\0'; q++)
		*q = (char)tolower((unsigned char)*q);
	n = strlen(r);
	if (n > 1 && r[n - 1] == '.')
		r[n - 1] = '\0';
	return r;
}

int
scn_expand_check(const char *text, char *err, size_t errsz)
{
	struct expand_mode m = {NULL, NULL, NULL};
	char *s = expand_core(text, &m, err, errsz);

	if (s == NULL)
		return -1;
	free(s);
	return 0;
}

int
scn_expand_scan(const char *text,
    void (*fn)(void *ctx, int kind, const char *label), void *ctx, char *err,
    size_t errsz)
{
	struct expand_mode m = {NULL, fn, ctx};
	char *s = expand_core(text, &m, err, errsz);

	if (s == NULL)
		return -1;
	free(s);
	return 0;
}

/* Which label scn_mx_has_addr6 looks for, and whether it was seen. */
struct addr6_find {
	const char *label;
	int seen;
};

/* on_addr6 - scan callback: note a ${ADDR6(label)} of the label sought. */
static void
on_addr6(void *ctx, int kind, const char *label)
{
	struct addr6_find *f = ctx;

	if (kind == '6' && strcmp(label, f->label) == 0)
		f->seen = 1;
}

int
scn_mx_has_addr6(const struct scn *s, const char *label)
{
	struct addr6_find f = {label, 0};
	char err[256];
	size_t i, j;

	for (i = 0; i < s->nzones && !f.seen; i++)
		for (j = 0; j < s->zones[i].nrr && !f.seen; j++)
			(void)scn_expand_scan(s->zones[i].rr_lines[j], on_addr6,
			    &f, err, sizeof(err));
	return f.seen;
}
