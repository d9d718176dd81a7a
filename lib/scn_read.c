/*
 * scn_read.c - the scenario parser's reader (see scn.c): the error list
 * and perr(), a line into words (quotes, escapes, KEY=VALUE), the checks
 * of values (ids, labels, requirement ids, domain names, RR types,
 * numbers, times, variables), and a line's phase qualifier.
 */
#include "scn_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "buf.h"
#include "scn_expand.h"
#include "xmalloc.h"

/* ---- errors -------------------------------------------------------- */

void
scn_errors_add(struct scn_errors *e, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	e->msg = grow(e->msg, e->n, sizeof(*e->msg));
	e->msg[e->n++] = buf_steal(&b);
}

void
scn_errors_free(struct scn_errors *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	e->msg = NULL;
	e->n = 0;
}

/* perr - add "path:line: message" for line (0 = the current line). */
void __attribute__((format(printf, 3, 4)))
perr(struct parser *p, int line, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	p->nerr++;
	if (p->nerr > SCN_ERRORS_MAX)
		return;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (p->nerr == SCN_ERRORS_MAX)
		scn_errors_add(p->errs, "%s:%d: too many errors, giving up",
		    p->path, line ? line : p->line);
	else
		scn_errors_add(p->errs, "%s:%d: %s", p->path,
		    line ? line : p->line, buf_cstr(&b));
	buf_free(&b);
}

/*
 * grow - make room for element n of array p (n elements in use): the
 * array doubles whenever n reaches a power of two, so appending stays
 * linear (one element at a time would copy quadratically).
 */
void *
grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		return xreallocarray(p, n ? 2 * n : 1, size);
	return p;
}

/* ---- lexical ------------------------------------------------------- */

/*
 * tokenize - split p->raw into words. Quotes may appear anywhere in a
 * word; "${...}" is kept whole even if it holds blanks. Returns 0 or -1
 * (error reported).
 */
int
tokenize(struct parser *p)
{
	const char *r = p->raw;
	char *o = p->wbuf;
	size_t i = 0;

	p->nw = 0;
	p->raw_cut = 0;
	for (;;) {
		struct word *w;
		int inq = 0;

		while (r[i] == ' ' || r[i] == '\t')
			i++;
		if (r[i] == '\0')
			break;
		if (p->nw == SCN_WORDS_MAX) {
			perr(p, 0, "more than %d words on a line",
			    SCN_WORDS_MAX);
			return -1;
		}
		w = &p->w[p->nw++];
		w->s = o;
		w->off = i;
		w->quoted = 0;
		w->eq = -1;
		while (r[i] != '\0' && (inq || (r[i] != ' ' && r[i] != '\t'))) {
			char c = r[i];

			if (c == '"') {
				inq = !inq;
				w->quoted = 1;
				i++;
				continue;
			}
			if (inq && c == '\\') {
				switch (r[i + 1]) {
				case '"':
				case '\\':
					c = r[i + 1];
					break;
				case 'r':
					c = '\r';
					break;
				case 'n':
					c = '\n';
					break;
				case 't':
					c = '\t';
					break;
				case '\0':
					perr(p, 0, "unterminated quote");
					return -1;
				default:
					perr(p, 0,
					    "unknown escape '\\%c' in quotes",
					    r[i + 1]);
					return -1;
				}
				*o++ = c;
				i += 2;
				continue;
			}
			if (!inq && c == '$' && r[i + 1] == '{') {
				/* a variable stays one word, blanks and all */
				while (r[i] != '\0' && r[i] != '}')
					*o++ = r[i++];
				if (r[i] == '}')
					*o++ = r[i++];
				continue;
			}
			if (!inq && c == '=' && w->eq < 0 && !w->quoted)
				w->eq = (int)(o - w->s);
			*o++ = c;
			i++;
		}
		if (inq) {
			perr(p, 0, "unterminated quote");
			return -1;
		}
		*o++ = '\0';
	}
	return 0;
}

/*
 * rest_text - the text of the line from word i on: the unescaped word if
 * it is the only one and was quoted, else the raw text. New string.
 */
char *
rest_text(struct parser *p, int i)
{
	size_t n;

	if (i == p->nw - 1 && p->w[i].quoted)
		return xstrdup(p->w[i].s);
	if (p->raw_cut == 0)
		return xstrdup(p->raw + p->w[i].off);
	n = p->raw_cut - p->w[i].off;
	while (n > 0 && (p->raw[p->w[i].off + n - 1] == ' ' ||
	                    p->raw[p->w[i].off + n - 1] == '\t'))
		n--;
	return xstrndup(p->raw + p->w[i].off, n);
}

/* ---- value checks -------------------------------------------------- */

/* valid_id - [a-z0-9][a-z0-9-]*, at most SCN_ID_MAX characters. */
int
valid_id(const char *s)
{
	const char *q;

	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return 0;
	for (q = s; *q != '\0'; q++)
		if (!islower((unsigned char)*q) &&
		    !isdigit((unsigned char)*q) && *q != '-')
			return 0;
	return q - s <= SCN_ID_MAX;
}

/* valid_label - a cert or MX label: [A-Za-z0-9][A-Za-z0-9_-]{0,62}. */
int
valid_label(const char *s)
{
	const char *q;

	if (!isalnum((unsigned char)*s))
		return 0;
	for (q = s; *q != '\0'; q++)
		if (!isalnum((unsigned char)*q) && *q != '-' && *q != '_')
			return 0;
	return q - s <= 63;
}

/*
 * valid_req_id - "R-" or "R<digits>-", section digits and dots, "-",
 * lower-case letters (R-2.2-a, R7671-5.1-a).
 */
int
valid_req_id(const char *s)
{
	const char *q = s;

	if (*q++ != 'R')
		return 0;
	while (isdigit((unsigned char)*q))
		q++;
	if (*q++ != '-')
		return 0;
	if (!isdigit((unsigned char)*q))
		return 0;
	while (isdigit((unsigned char)*q) || *q == '.') {
		if (*q == '.' && !isdigit((unsigned char)q[1]))
			return 0;
		q++;
	}
	if (*q++ != '-')
		return 0;
	if (!islower((unsigned char)*q))
		return 0;
	while (islower((unsigned char)*q))
		q++;
	return *q == '\0' && q - s <= 64;
}

/*
 * expand_ph - expand text with placeholders (for checking); reports a bad
 * variable at line and returns NULL. New string otherwise.
 */
char *
expand_ph(struct parser *p, const char *text, int line)
{
	struct scn_vars v;
	char err[512];
	char *r;

	memset(&v, 0, sizeof(v));
	v.id = p->s->id != NULL ? p->s->id : "id";
	v.domain = "id.test";
	v.now = 1700000000;
	v.addr = scn_expand_placeholder_addr;
	v.addr6 = scn_expand_placeholder_addr6;
	v.tlsa = scn_expand_placeholder_tlsa;
	r = scn_expand(text, &v, err, sizeof(err));
	if (r == NULL)
		perr(p, line, "%s", err);
	return r;
}

/*
 * valid_dname - a domain name after expansion: labels of letters, digits,
 * '-' and '_', at most 63 bytes each and 253 in all, optional final dot;
 * wild: a leading "*." label is allowed.
 */
static int valid_partial_wild(const char *s);

int
valid_dname(const char *s, int wild)
{
	size_t len = strlen(s), lab = 0;
	const char *q = s;

	if (len == 0 || len > 254 || (len == 254 && s[253] != '.'))
		return 0;
	if (strcmp(s, ".") == 0)
		return 1;
	if (wild && strncmp(s, "*.", 2) == 0)
		q += 2;
	else if (wild == 2 && strchr(s, '*') != NULL &&
	         strchr(s, '*') < strchr(s, '.') &&
	         strchr(strchr(s, '*') + 1, '*') == NULL)
		return valid_partial_wild(s);
	for (; *q != '\0'; q++) {
		if (*q == '.') {
			if (lab == 0)
				return 0;
			lab = 0;
			continue;
		}
		if (!isalnum((unsigned char)*q) && *q != '-' && *q != '_')
			return 0;
		if (++lab > 63)
			return 0;
	}
	return 1;
}

/* valid_partial_wild - "m*.rest", "*x.rest": one '*' in a first label of
 * letters, digits and '-' (RFC 6125 section 7.2 calls it a partial
 * wildcard; certificates may hold one, matchers should refuse it). */
static int
valid_partial_wild(const char *s)
{
	const char *dot = strchr(s, '.'), *q;

	if (dot == NULL || dot - s > 63 || dot[1] == '\0')
		return 0;
	for (q = s; q < dot; q++)
		if (*q != '*' && !isalnum((unsigned char)*q) && *q != '-')
			return 0;
	return valid_dname(dot + 1, 0);
}

/* check_name - variables and domain-name syntax of name (what: for errors). */
int
check_name(struct parser *p, const char *name, const char *what, int wild)
{
	char *e = expand_ph(p, name, 0);
	int ok;

	if (e == NULL)
		return -1;
	ok = valid_dname(e, wild);
	free(e);
	if (!ok) {
		perr(p, 0, "bad %s '%s' (not a domain name)", what, name);
		return -1;
	}
	return 0;
}

/* upper_dup - an upper-case copy (RR type mnemonics are kept so). */
char *
upper_dup(const char *s)
{
	char *r = xstrdup(s), *q;

	for (q = r; *q != '\0'; q++)
		*q = (char)toupper((unsigned char)*q);
	return r;
}

/* check_rrtype - an RR type mnemonic ldns knows, or ANY. */
int
check_rrtype(struct parser *p, const char *t)
{
	if (strcasecmp(t, "ANY") == 0)
		return 0;
	if (ldns_get_rr_type_by_name(t) == 0) {
		perr(p, 0, "unknown RR type '%s'", t);
		return -1;
	}
	return 0;
}

/* parse_long - decimal in [lo, hi]; 0 or -1. */
int
parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* attr_key - copy the key of attribute word w into k (size ksz). */
const char *
attr_key(const struct word *w, char *k, size_t ksz)
{
	snprintf(k, ksz, "%.*s", w->eq, w->s);
	return k;
}

/* reltime_attr - parse a TIME attribute value into rt. */
int
reltime_attr(
    struct parser *p, const char *key, const char *val, struct scn_reltime *rt)
{
	long long v;

	if (rt->set) {
		perr(p, 0, "duplicate attribute '%s'", key);
		return -1;
	}
	if (scn_parse_reltime(val, &v) == -1) {
		perr(p, 0,
		    "bad TIME '%s' in %s= (want now, +N, -N or N; N in "
		    "seconds or with s/m/h/d)",
		    val, key);
		return -1;
	}
	rt->set = 1;
	rt->secs = v;
	return 0;
}

/* ---- phases ------------------------------------------------------- */

/*
 * take_when - a phase qualifier (attempts=... or connections=...) as the
 * line's last word: parsed into *w and taken off the line (a TEXT
 * argument ends before it). Returns 1 if there was one, 0 if not, -1 if
 * it was malformed (reported).
 */
int
take_when(struct parser *p, struct scn_when *w)
{
	const struct word *last;
	char err[160];
	int rc;

	memset(w, 0, sizeof(*w));
	if (p->nw < 2)
		return 0;
	last = &p->w[p->nw - 1];
	if (last->eq < 0 || last->quoted)
		return 0;
	rc = scn_when_parse(last->s, w, err, sizeof(err));
	if (rc == 0)
		return 0;
	p->raw_cut = last->off;
	p->nw--;
	if (rc < 0) {
		perr(p, 0, "%s", err);
		return -1;
	}
	return 1;
}
