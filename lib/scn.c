/*
 * scn.c - the scenario file parser (format v1, docs/scenario-format.md),
 * suite loading, and the names of the scenario enums.
 *
 * The parser reads one line at a time and never stops at the first
 * problem: every error of a file is collected as "file:line: message" so
 * an author fixes them in one go. Hostile input (NUL bytes, huge lines,
 * unclosed quotes, blocks without "end", millions of lines) gives errors,
 * never a crash: lines, words, errors and items per scenario are bounded.
 *
 * DNS lines inside "zone ... end" are kept as text for the world builder,
 * which hands them to ldns after expansion; only their variables are
 * checked here. RR type mnemonics (dnsbreak, expect query) are checked
 * with ldns's own table (RFC 3597 TYPEnnn included).
 */
#include "scn.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "buf.h"
#include "scn_expand.h"
#include "vocab.h"
#include "xmalloc.h"

#define SCN_LINE_MAX 4096          /* bytes per line, without newline */
#define SCN_FILE_MAX (1024 * 1024) /* bytes per scenario file */
#define SCN_WORDS_MAX 128          /* words per line */
#define SCN_ERRORS_MAX 100         /* errors kept per file */
#define SCN_ITEMS_MAX 256          /* certs, zones, mx, breaks per file */
#define SCN_EXPECTS_MAX 1024       /* expectations per file */
#define SCN_RRS_MAX 20000          /* zone lines per file */
#define SCN_ID_MAX 40
#define SCN_DIR_DEPTH_MAX 32

/* One word of a line, unescaped; eq is the offset of "=" or -1. */
struct word {
	char *s;    /* points into the line's word buffer */
	size_t off; /* offset of the word in the raw line */
	int quoted; /* some part of the word was quoted */
	int eq;     /* attribute: offset of the first unquoted '=' */
};

enum block { BLK_NONE = 0, BLK_ZONE, BLK_MX };

/* Parser state for one file. */
struct parser {
	const char *path;
	struct scn_errors *errs;
	struct scn *s;
	int nerr;        /* errors of this file */
	int line;        /* current line number */
	const char *raw; /* current line, trimmed */
	struct word w[SCN_WORDS_MAX];
	int nw;
	char wbuf[SCN_LINE_MAX + 1];
	enum block blk;
	size_t blk_idx;
	int blk_line;
	char blk_name[72]; /* the block's name as written, for messages */
	int ndirectives;
	int nrr;
	/* header lines seen (0 = not yet) */
	int l_format, l_id, l_title, l_req, l_sev, l_tags, l_recip, l_window;
	int l_attempts;
	int l_outcome;
	/* directives seen in the current mx block (see mx_line) */
	unsigned mx_seen;
	unsigned delay_seen;
	size_t raw_cut; /* > 0: the line's text ends here (a phase
	                   qualifier follows, see take_when) */
};

/*
 * grow - make room for element n of array p (n elements in use): the
 * array doubles whenever n reaches a power of two, so appending stays
 * linear (one element at a time would copy quadratically).
 */
static void *
grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		return xreallocarray(p, n ? 2 * n : 1, size);
	return p;
}

/* ---- enum names ---------------------------------------------------- */

static const char *const sev_names[] = {"security", "interop"};
static const char *const outcome_names[SCN_OUT__COUNT] = {"delivered-tls",
    "delivered-plaintext", "deferred", "bounced", "not-attempted", "unknown"};

const char *
scn_severity_str(enum scn_severity s)
{
	return (unsigned)s < 2 ? sev_names[s] : "?";
}

enum scn_severity
scn_expect_severity(const struct scn *s, const struct scn_expect *e)
{
	if (e->severity_set)
		return e->severity;
	if (e->sev_cat_known)
		return e->sev_catalogue;
	return s->severity;
}

const char *
scn_outcome_str(enum scn_outcome o)
{
	return (unsigned)o < SCN_OUT__COUNT ? outcome_names[o] : "?";
}

static const char *const sut_names[SCN_SUT__COUNT] = {
    "unknown", "delivered", "deferred", "bounced"};

const char *
scn_sut_str(enum scn_sut st)
{
	return (unsigned)st < SCN_SUT__COUNT ? sut_names[st] : "unknown";
}

enum scn_sut
scn_sut_from_str(const char *s)
{
	int i = vocab_lookup(sut_names, SCN_SUT__COUNT, s);

	return i < 0 ? SCN_SUT_UNKNOWN : (enum scn_sut)i;
}

int
scn_outcome_from_str(const char *s)
{
	return vocab_lookup(outcome_names, SCN_OUT__COUNT, s);
}

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
static void __attribute__((format(printf, 3, 4)))
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

/* ---- freeing ------------------------------------------------------- */

/* free_strv - free n strings and the array. */
static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* mx_release - free what one mx host holds (not the struct). */
static void
mx_release(struct scn_mx *m)
{
	size_t j;
	int st;

	free(m->name);
	free(m->cert);
	free_strv(m->chain, m->nchain);
	for (j = 0; j < m->nsni; j++) {
		free(m->sni[j].name);
		free(m->sni[j].cert);
	}
	free(m->sni);
	free(m->inject);
	free(m->tls_min);
	free(m->tls_max);
	free(m->ciphers);
	free(m->ciphersuites);
	for (st = 0; st < MXS_STAGE__COUNT; st++)
		free(m->reply[st].text);
	for (st = 0; st < MXS_PHASE__COUNT; st++)
		free_strv(m->ehlo_kw[st], m->nehlo_kw[st]);
	for (j = 0; j < m->nphases; j++) {
		mx_release(m->phases[j].over);
		free(m->phases[j].over);
	}
	free(m->phases);
}

void
scn_free(struct scn *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->file);
	free(s->id);
	free(s->title);
	free_strv(s->req, s->nreq);
	free_strv(s->tags, s->ntags);
	free(s->recipient);
	for (i = 0; i < s->ncerts; i++) {
		struct scn_cert *c = &s->certs[i];

		free(c->name);
		free(c->issuer);
		free(c->share_key);
		free(c->cn);
		free_strv(c->san, c->nsan);
		free(c->eku);
		free(c->permit);
		free(c->exclude);
	}
	free(s->certs);
	for (i = 0; i < s->nzones; i++) {
		free(s->zones[i].name);
		free(s->zones[i].nsec3_salt);
		free_strv(s->zones[i].rr_lines, s->zones[i].nrr);
		free(s->zones[i].rr_line_no);
		free(s->zones[i].rr_when);
	}
	free(s->zones);
	for (i = 0; i < s->nbreaks; i++) {
		free(s->breaks[i].owner);
		free(s->breaks[i].type);
	}
	free(s->breaks);
	for (i = 0; i < s->nmxs; i++)
		mx_release(&s->mxs[i]);
	free(s->mxs);
	for (i = 0; i < s->nexpects; i++) {
		free(s->expects[i].host);
		free(s->expects[i].name);
		free(s->expects[i].qtype);
		free_strv(s->expects[i].req, s->expects[i].nreq);
		free(s->expects[i].because);
		free(s->expects[i].text);
	}
	free(s->expects);
	free(s);
}

/* ---- lexical ------------------------------------------------------- */

/*
 * tokenize - split p->raw into words. Quotes may appear anywhere in a
 * word; "${...}" is kept whole even if it holds blanks. Returns 0 or -1
 * (error reported).
 */
static int
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
static char *
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
static int
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
static int
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
static int
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
static char *
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

static int
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
static int
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
static char *
upper_dup(const char *s)
{
	char *r = xstrdup(s), *q;

	for (q = r; *q != '\0'; q++)
		*q = (char)toupper((unsigned char)*q);
	return r;
}

/* check_rrtype - an RR type mnemonic ldns knows, or ANY. */
static int
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
static int
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
static const char *
attr_key(const struct word *w, char *k, size_t ksz)
{
	snprintf(k, ksz, "%.*s", w->eq, w->s);
	return k;
}

/* reltime_attr - parse a TIME attribute value into rt. */
static int
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

/* ---- header -------------------------------------------------------- */

/* expected_id - the file's base name without ".scn" (new string). */
static char *
expected_id(const char *path)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b != NULL ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".scn") == 0)
		n -= 4;
	return xstrndup(b, n);
}

/* header_once - note a header directive; error if it was seen before. */
static int
header_once(struct parser *p, int *seen, const char *name)
{
	if (*seen) {
		perr(p, 0, "duplicate '%s' (first on line %d)", name, *seen);
		return -1;
	}
	*seen = p->line;
	return 0;
}

/* hdr_format - format 1: the first directive. */
static void
hdr_format(struct parser *p)
{
	if (header_once(p, &p->l_format, "format") == -1)
		return;
	if (p->ndirectives != 1)
		perr(p, 0, "'format' must be the first directive");
	if (p->nw != 2)
		perr(p, 0, "'format' takes one number");
	else if (strcmp(p->w[1].s, "1") != 0)
		perr(p, 0, "unsupported format '%s' (only 1 is known)",
		    p->w[1].s);
}

/* hdr_id - id ID: the file's base name. */
static void
hdr_id(struct parser *p)
{
	char *want;

	if (header_once(p, &p->l_id, "id") == -1)
		return;
	if (p->nw != 2) {
		perr(p, 0, "'id' takes one word");
		return;
	}
	if (!valid_id(p->w[1].s)) {
		perr(p, 0,
		    "bad id '%s' (want [a-z0-9][a-z0-9-]*, at most %d "
		    "characters)",
		    p->w[1].s, SCN_ID_MAX);
		return;
	}
	if (strcmp(p->w[1].s, "root-servers") == 0) {
		perr(p, 0,
		    "id 'root-servers' is reserved "
		    "(root-servers.test names the root's name "
		    "server)");
		return;
	}
	want = expected_id(p->path);
	if (strcmp(want, p->w[1].s) != 0)
		perr(p, 0, "id '%s' does not match the file name ('%s')",
		    p->w[1].s, want);
	free(want);
	p->s->id = xstrdup(p->w[1].s);
	p->s->id_line = p->line;
}

/* hdr_title - title TEXT. */
static void
hdr_title(struct parser *p)
{
	if (header_once(p, &p->l_title, "title") == -1)
		return;
	if (p->nw < 2) {
		perr(p, 0, "'title' needs a text");
		return;
	}
	p->s->title = rest_text(p, 1);
}

/* hdr_requirements - requirements R-ID... */
static void
hdr_requirements(struct parser *p)
{
	struct scn *s = p->s;
	int i;

	if (header_once(p, &p->l_req, "requirements") == -1)
		return;
	s->req_line = p->line;
	if (p->nw < 2) {
		perr(p, 0,
		    "'requirements' needs at least one "
		    "requirement id");
		return;
	}
	for (i = 1; i < p->nw; i++) {
		if (!valid_req_id(p->w[i].s)) {
			perr(p, 0,
			    "bad requirement id '%s' (want R-2.2-a or "
			    "R7671-5.1-a style)",
			    p->w[i].s);
			continue;
		}
		s->req = grow(s->req, s->nreq, sizeof(*s->req));
		s->req[s->nreq++] = xstrdup(p->w[i].s);
	}
}

/* hdr_severity - severity security|interop. */
static void
hdr_severity(struct parser *p)
{
	int v;

	if (header_once(p, &p->l_sev, "severity") == -1)
		return;
	if (p->nw != 2 || (v = vocab_lookup(sev_names, 2, p->w[1].s)) < 0) {
		perr(p, 0, "bad severity '%s' (want security or interop)",
		    p->nw > 1 ? p->raw + p->w[1].off : "");
		return;
	}
	p->s->severity = (enum scn_severity)v;
}

/* hdr_tags - tags WORD... */
static void
hdr_tags(struct parser *p)
{
	struct scn *s = p->s;
	int i;

	if (header_once(p, &p->l_tags, "tags") == -1)
		return;
	for (i = 1; i < p->nw; i++) {
		s->tags = grow(s->tags, s->ntags, sizeof(*s->tags));
		s->tags[s->ntags++] = xstrdup(p->w[i].s);
	}
}

/* hdr_recipient - recipient LOCAL@DOMAIN (variables allowed). */
static void
hdr_recipient(struct parser *p)
{
	char *e;
	const char *at;

	if (header_once(p, &p->l_recip, "recipient") == -1)
		return;
	if (p->nw != 2) {
		perr(p, 0, "'recipient' takes one address");
		return;
	}
	if ((e = expand_ph(p, p->w[1].s, 0)) == NULL)
		return;
	at = strchr(e, '@');
	if (at == NULL || at == e || strchr(at + 1, '@') != NULL ||
	    !valid_dname(at + 1, 0) || strpbrk(e, "<> \t\"") != NULL) {
		perr(p, 0, "bad recipient '%s' (want local@domain)", p->w[1].s);
		free(e);
		return;
	}
	free(e);
	p->s->recipient = xstrdup(p->w[1].s);
}

/* hdr_window - window SECONDS. */
static void
hdr_window(struct parser *p)
{
	long v;

	if (header_once(p, &p->l_window, "window") == -1)
		return;
	if (p->nw != 2 || parse_long(p->w[1].s, 1, 3600, &v) == -1) {
		perr(p, 0, "bad window '%s' (want 1..3600 seconds)",
		    p->nw > 1 ? p->raw + p->w[1].off : "");
		return;
	}
	p->s->window = v;
}

/* hdr_attempts - attempts N: delivery attempts the scenario needs. */
static void
hdr_attempts(struct parser *p)
{
	long v;

	if (header_once(p, &p->l_attempts, "attempts") == -1)
		return;
	if (p->nw != 2 ||
	    parse_long(p->w[1].s, 1, SCN_ATTEMPTS_MAX, &v) == -1) {
		perr(p, 0, "bad attempts '%s' (want 1..%d)",
		    p->nw > 1 ? p->raw + p->w[1].off : "", SCN_ATTEMPTS_MAX);
		return;
	}
	p->s->attempts = (int)v;
	p->s->attempts_line = p->line;
}

/* ---- cert ---------------------------------------------------------- */

/* A cert line being read: the certificate and what was seen. */
struct cert_ctx {
	struct scn_cert c;
	int seen_issuer, seen_key, seen_pathlen;
};

/* cert_label_attr - issuer=CERT / key-of=CERT into *dst; 0/-1. */
static int
cert_label_attr(
    struct parser *p, const char *k, const char *v, int *seen, char **dst)
{
	int dup = *seen || *dst != NULL;

	*seen = 1;
	if (dup) {
		perr(p, 0, "duplicate attribute '%s'", k);
		return -1;
	}
	if (!valid_label(v)) {
		perr(p, 0, "bad cert label '%s' in %s=", v, k);
		return -1;
	}
	*dst = xstrdup(v);
	return 0;
}

/* cert_issuer - issuer=CERT: signed by CERT (default self-signed). */
static int
cert_issuer(struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	return cert_label_attr(p, k, v, &cx->seen_issuer, &cx->c.issuer);
}

/* cert_key_of - key-of=CERT: CERT's key, not a new one. */
static int
cert_key_of(struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	return cert_label_attr(p, k, v, &cx->seen_key, &cx->c.share_key);
}

/* cert_key - key=ec256|rsa2048. */
static int
cert_key(struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	if (strcmp(v, "ec256") == 0)
		cx->c.keytype = SCN_KEY_EC256;
	else if (strcmp(v, "rsa2048") == 0)
		cx->c.keytype = SCN_KEY_RSA2048;
	else {
		perr(p, 0, "bad key type '%s' (want ec256 or rsa2048)", v);
		return -1;
	}
	return 0;
}

/* cert_cn - cn=NAME (variables allowed). */
static int
cert_cn(struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	char *e;

	if (cx->c.cn != NULL) {
		perr(p, 0, "duplicate attribute 'cn'");
		return -1;
	}
	if (*v == '\0') {
		perr(p, 0, "empty cn=");
		return -1;
	}
	if ((e = expand_ph(p, v, 0)) == NULL)
		return -1;
	free(e);
	cx->c.cn = xstrdup(v);
	return 0;
}

/* cert_san - san=A,B,... or san=none. */
static int
cert_san(struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	struct scn_cert *c = &cx->c;
	char *dup, *tok, *save = NULL;
	int rc = 0;

	if (c->nsan > 0 || c->no_san) {
		perr(p, 0, "duplicate attribute 'san'");
		return -1;
	}
	if (strcmp(v, "none") == 0) {
		c->no_san = 1;
		return 0;
	}
	if (*v == '\0' || v[strlen(v) - 1] == ',' || strstr(v, ",,") != NULL ||
	    *v == ',') {
		perr(p, 0, "empty name in san=");
		return -1;
	}
	dup = xstrdup(v);
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (check_name(p, tok, "san name", 2) == -1) {
			rc = -1;
			continue;
		}
		c->san = grow(c->san, c->nsan, sizeof(*c->san));
		c->san[c->nsan++] = xstrdup(tok);
	}
	free(dup);
	return rc;
}

/* cert_pathlen - pathlen=N (a CA's). */
static int
cert_pathlen(
    struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	long n;

	if (cx->seen_pathlen++) {
		perr(p, 0, "duplicate attribute 'pathlen'");
		return -1;
	}
	if (parse_long(v, 0, 16, &n) == -1) {
		perr(p, 0, "bad pathlen '%s' (want 0..16)", v);
		return -1;
	}
	cx->c.pathlen = (int)n;
	return 0;
}

/* cert_not_before, cert_not_after - the validity, relative to NOW. */
static int
cert_not_before(
    struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	return reltime_attr(p, k, v, &cx->c.not_before);
}

static int
cert_not_after(
    struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	return reltime_attr(p, k, v, &cx->c.not_after);
}

/* dname_list - every comma-separated name of v passes check_name (wild
 * as there); 0, or -1 (reported). */
static int
dname_list(struct parser *p, const char *v, const char *what, int wild)
{
	char *dup = xstrdup(v), *tok, *save = NULL;
	int rc = 0;

	if (*v == '\0' || *v == ',' || v[strlen(v) - 1] == ',' ||
	    strstr(v, ",,") != NULL) {
		perr(p, 0, "empty name in %s", what);
		rc = -1;
	}
	for (tok = strtok_r(dup, ",", &save); rc == 0 && tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		if (check_name(p, tok[0] == '.' ? tok + 1 : tok, what, wild) ==
		    -1)
			rc = -1;
	free(dup);
	return rc;
}

/*
 * cert_variant - the certificate variants of a cert line: bc=false,
 * sig=corrupt, eku=LIST|none, permit=NAMES, exclude=NAMES. Returns 1
 * when k was one of them and is good, -1 when it was one and is bad
 * (reported), 0 when it was none of them.
 */
static int
cert_variant(struct parser *p, struct scn_cert *c, const char *k, const char *v)
{
	static const char *const ekus[] = {
	    "serverAuth", "clientAuth", "emailProtection", "codeSigning"};
	char **dst = NULL;

	if (strcmp(k, "bc") == 0) {
		if (strcmp(v, "false") != 0 || c->bc_false) {
			perr(p, 0, "bad or duplicate bc='%s' (want false)", v);
			return -1;
		}
		c->bc_false = 1;
		return 1;
	}
	if (strcmp(k, "sig") == 0) {
		if (strcmp(v, "corrupt") != 0 || c->sig_corrupt) {
			perr(p, 0, "bad or duplicate sig='%s' (want corrupt)",
			    v);
			return -1;
		}
		c->sig_corrupt = 1;
		return 1;
	}
	if (strcmp(k, "eku") == 0) {
		char *dup, *tok, *save = NULL;
		int rc = 1;

		if (c->eku != NULL) {
			perr(p, 0, "duplicate attribute 'eku'");
			return -1;
		}
		if (strcmp(v, "none") == 0) {
			c->eku = xstrdup("");
			return 1;
		}
		dup = xstrdup(v);
		for (tok = strtok_r(dup, ",", &save); tok != NULL;
		     tok = strtok_r(NULL, ",", &save))
			if (vocab_lookup(ekus,
			        (int)(sizeof(ekus) / sizeof(ekus[0])),
			        tok) < 0) {
				perr(p, 0,
				    "bad eku '%s' (want serverAuth, "
				    "clientAuth, emailProtection, codeSigning "
				    "or none)",
				    tok);
				rc = -1;
			}
		free(dup);
		if (rc == 1 && (*v == '\0' || strstr(v, ",,") != NULL ||
		                   v[strlen(v) - 1] == ',')) {
			perr(p, 0, "empty name in eku=");
			rc = -1;
		}
		if (rc == 1)
			c->eku = xstrdup(v);
		return rc;
	}
	if (strcmp(k, "permit") == 0)
		dst = &c->permit;
	else if (strcmp(k, "exclude") == 0)
		dst = &c->exclude;
	else
		return 0;
	if (*dst != NULL) {
		perr(p, 0, "duplicate attribute '%s'", k);
		return -1;
	}
	if (dname_list(p, v, k[0] == 'p' ? "permit=" : "exclude=", 0) == -1)
		return -1;
	*dst = xstrdup(v);
	return 1;
}

/* cert_variant_attr - bc=, sig=, eku=, permit=, exclude= (cert_variant). */
static int
cert_variant_attr(
    struct parser *p, struct cert_ctx *cx, const char *k, const char *v)
{
	return cert_variant(p, &cx->c, k, v) == 1 ? 0 : -1;
}

/* The KEY=VALUE attributes of a cert line. */
static const struct cert_attr {
	const char *key;
	int (*fn)(struct parser *p, struct cert_ctx *cx, const char *k,
	    const char *v);
} cert_attrs[] = {
    {"issuer", cert_issuer},
    {"key-of", cert_key_of},
    {"key", cert_key},
    {"cn", cert_cn},
    {"san", cert_san},
    {"pathlen", cert_pathlen},
    {"not-before", cert_not_before},
    {"not-after", cert_not_after},
    {"bc", cert_variant_attr},
    {"sig", cert_variant_attr},
    {"eku", cert_variant_attr},
    {"permit", cert_variant_attr},
    {"exclude", cert_variant_attr},
};

/* cert_attr - one KEY=VALUE word of a cert line; 0/-1 (reported). */
static int
cert_attr(struct parser *p, struct cert_ctx *cx, const struct word *w)
{
	char k[64], lbuf[512];
	size_t i;

	attr_key(w, k, sizeof(k));
	for (i = 0; i < sizeof(cert_attrs) / sizeof(cert_attrs[0]); i++)
		if (strcmp(cert_attrs[i].key, k) == 0)
			return cert_attrs[i].fn(p, cx, k, w->s + w->eq + 1);
	perr(p, 0, "unknown cert attribute '%s' (want %s)", k,
	    vocab_list_rows(lbuf, sizeof(lbuf), cert_attrs,
	        sizeof(cert_attrs) / sizeof(cert_attrs[0]),
	        sizeof(cert_attrs[0])));
	return -1;
}

/* do_cert - cert LABEL [ca] [issuer=] [key=] [key-of=] [cn=] [san=] ... */
static void
do_cert(struct parser *p)
{
	struct scn *s = p->s;
	struct cert_ctx cx;
	struct scn_cert c;
	size_t i;
	int j, bad = 0, seen_pathlen;

	memset(&cx, 0, sizeof(cx));
	cx.c.pathlen = -1;
	cx.c.line = p->line;
	if (p->nw < 2 || p->w[1].eq >= 0) {
		perr(p, 0, "'cert' needs a label");
		return;
	}
	if (!valid_label(p->w[1].s)) {
		perr(p, 0, "bad cert label '%s'", p->w[1].s);
		return;
	}
	for (i = 0; i < s->ncerts; i++)
		if (strcmp(s->certs[i].name, p->w[1].s) == 0) {
			perr(p, 0, "duplicate cert '%s' (first on line %d)",
			    p->w[1].s, s->certs[i].line);
			return;
		}
	if (s->ncerts == SCN_ITEMS_MAX) {
		perr(p, 0, "too many certificates (at most %d)", SCN_ITEMS_MAX);
		return;
	}
	for (j = 2; j < p->nw; j++) {
		const struct word *w = &p->w[j];

		if (w->eq >= 0) {
			if (cert_attr(p, &cx, w) == -1)
				bad = 1;
		} else if (strcmp(w->s, "ca") == 0 && !cx.c.is_ca)
			cx.c.is_ca = 1;
		else {
			perr(p, 0, "bad cert attribute '%s'", w->s);
			bad = 1;
		}
	}
	c = cx.c;
	seen_pathlen = cx.seen_pathlen;
	if (!bad && !c.is_ca &&
	    (c.bc_false || c.permit != NULL || c.exclude != NULL)) {
		perr(p, 0, "bc=, permit= and exclude= need a 'ca' certificate");
		bad = 1;
	}
	if (!bad && seen_pathlen && !c.is_ca) {
		perr(p, 0, "pathlen= needs a 'ca' certificate");
		bad = 1;
	}
	if (!bad && !c.is_ca && c.cn == NULL && c.nsan == 0) {
		perr(p, 0, "a non-CA certificate needs cn= or san=");
		bad = 1;
	}
	if (!bad && c.issuer != NULL && strcmp(c.issuer, p->w[1].s) == 0) {
		perr(p, 0,
		    "cert '%s' names itself as issuer (leave issuer= "
		    "out for a self-signed certificate)",
		    p->w[1].s);
		bad = 1;
	}
	if (!bad && c.not_before.set && c.not_after.set &&
	    c.not_after.secs < c.not_before.secs) {
		perr(p, 0, "not-after is before not-before");
		bad = 1;
	}
	c.name = xstrdup(p->w[1].s);
	s->certs = grow(s->certs, s->ncerts, sizeof(*s->certs));
	s->certs[s->ncerts++] = c;
}

/* ---- zone ---------------------------------------------------------- */

/* same_dname - names equal ignoring case and a final dot. */
static int
same_dname(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* A zone line being read: the zone and what was seen. */
struct zone_ctx {
	struct scn_zone z;
	int seen_sign, seen_nsec, seen_ds;
};

/* zone_signing - "signed" or "unsigned". */
static void
zone_signing(struct parser *p, struct zone_ctx *zx, const char *w)
{
	if (zx->seen_sign++)
		perr(p, 0, "'signed'/'unsigned' given twice");
	zx->z.is_signed = strcmp(w, "signed") == 0;
}

/* zone_denial - "nsec" or "nsec3": how absence is proven. */
static void
zone_denial(struct parser *p, struct zone_ctx *zx, const char *w)
{
	if (zx->seen_nsec++)
		perr(p, 0, "'nsec'/'nsec3' given twice");
	zx->z.nsec = strcmp(w, "nsec3") == 0 ? SCN_NSEC3 : SCN_NSEC;
}

/*
 * zone_nsec3_opt - the NSEC3 parameters of a zone line (RFC 5155 section
 * 3.1): the word "opt-out" (v NULL), "iterations=N" or "salt=HEX|-".
 * Returns 1 when k was one of them (errors reported), 0 when it was not.
 */
static int
zone_nsec3_opt(
    struct parser *p, struct scn_zone *z, const char *k, const char *v)
{
	char *e;
	long n;
	size_t i, len;

	if (v == NULL) {
		if (strcmp(k, "opt-out") != 0)
			return 0;
		if (z->nsec3_optout)
			perr(p, 0, "'opt-out' given twice");
		z->nsec3_optout = 1;
	} else if (strcmp(k, "iterations") == 0) {
		n = strtol(v, &e, 10);
		if (*v == '\0' || *e != '\0' || n < 0 || n > 2500)
			perr(p, 0, "bad iterations '%s' (want 0..2500)", v);
		else
			z->nsec3_iter = (int)n;
	} else if (strcmp(k, "salt") == 0) {
		len = strlen(v);
		if (z->nsec3_salt != NULL) {
			perr(p, 0, "duplicate attribute 'salt'");
			return 1;
		}
		if (strcmp(v, "-") == 0)
			len = 0;
		else if (len == 0 || len % 2 != 0 || len > 510) {
			perr(p, 0,
			    "bad salt '%s' (want hex, 1..255 bytes, or -)", v);
			return 1;
		}
		for (i = 0; i < len; i++)
			if (!isxdigit((unsigned char)v[i])) {
				perr(
				    p, 0, "bad salt '%s' (want hex digits)", v);
				return 1;
			}
		z->nsec3_salt = xstrdup(len == 0 ? "" : v);
		for (i = 0; i < len; i++)
			z->nsec3_salt[i] = (char)tolower((unsigned char)v[i]);
	} else
		return 0;
	z->nsec3_set_line = p->line;
	return 1;
}

/* zone_nsec3_word - "opt-out" (zone_nsec3_opt). */
static void
zone_nsec3_word(struct parser *p, struct zone_ctx *zx, const char *w)
{
	zone_nsec3_opt(p, &zx->z, w, NULL);
}

/* zone_nsec3_attr - iterations=N, salt=HEX|- (zone_nsec3_opt). */
static void
zone_nsec3_attr(
    struct parser *p, struct zone_ctx *zx, const char *k, const char *v)
{
	zone_nsec3_opt(p, &zx->z, k, v);
}

/* The bare words of a zone line. */
static const struct zone_word {
	const char *word;
	void (*fn)(struct parser *p, struct zone_ctx *zx, const char *w);
} zone_words[] = {
    {"signed", zone_signing},
    {"unsigned", zone_signing},
    {"nsec", zone_denial},
    {"nsec3", zone_denial},
    {"opt-out", zone_nsec3_word},
};

/* zone_ds - ds=good|none|wrong: what the parent publishes. */
static void
zone_ds(struct parser *p, struct zone_ctx *zx, const char *k, const char *v)
{
	static const char *const ds_names[] = {[SCN_DS_GOOD] = "good",
	    [SCN_DS_NONE] = "none",
	    [SCN_DS_WRONG] = "wrong"};
	int d;

	if (zx->seen_ds++)
		perr(p, 0, "duplicate attribute 'ds'");
	else if ((d = vocab_lookup(ds_names, 3, v)) < 0)
		perr(p, 0, "bad ds '%s' (want good, none or wrong)", v);
	else
		zx->z.ds = (enum scn_ds)d;
}

/* zone_inception, zone_expiration - the RRSIG validity, relative. */
static void
zone_inception(
    struct parser *p, struct zone_ctx *zx, const char *k, const char *v)
{
	reltime_attr(p, k, v, &zx->z.inception);
}

static void
zone_expiration(
    struct parser *p, struct zone_ctx *zx, const char *k, const char *v)
{
	reltime_attr(p, k, v, &zx->z.expiration);
}

/* The KEY=VALUE attributes of a zone line. */
static const struct zone_attr {
	const char *key;
	void (*fn)(struct parser *p, struct zone_ctx *zx, const char *k,
	    const char *v);
} zone_attrs[] = {
    {"ds", zone_ds},
    {"inception", zone_inception},
    {"expiration", zone_expiration},
    {"iterations", zone_nsec3_attr},
    {"salt", zone_nsec3_attr},
};

/* zone_option - one word after the zone's name. */
static void
zone_option(struct parser *p, struct zone_ctx *zx, const struct word *w)
{
	char k[64], lbuf[512];
	size_t i;

	if (w->eq < 0) {
		for (i = 0; i < sizeof(zone_words) / sizeof(zone_words[0]); i++)
			if (strcmp(zone_words[i].word, w->s) == 0) {
				zone_words[i].fn(p, zx, w->s);
				return;
			}
		perr(p, 0, "bad zone attribute '%s'", w->s);
		return;
	}
	attr_key(w, k, sizeof(k));
	for (i = 0; i < sizeof(zone_attrs) / sizeof(zone_attrs[0]); i++)
		if (strcmp(zone_attrs[i].key, k) == 0) {
			zone_attrs[i].fn(p, zx, k, w->s + w->eq + 1);
			return;
		}
	perr(p, 0, "unknown zone attribute '%s' (want %s)", k,
	    vocab_list_rows(lbuf, sizeof(lbuf), zone_attrs,
	        sizeof(zone_attrs) / sizeof(zone_attrs[0]),
	        sizeof(zone_attrs[0])));
}

/* do_zone - zone NAME [signed|unsigned] [nsec|nsec3] [ds=] [inception=] ... */
static void
do_zone(struct parser *p)
{
	struct scn *s = p->s;
	struct zone_ctx zx;
	struct scn_zone z;
	size_t i;
	int j, seen_nsec, seen_ds;

	memset(&zx, 0, sizeof(zx));
	zx.z.line = p->line;
	zx.z.is_signed = 1;
	/* the block opens even if the line is bad, so "end" still matches */
	p->blk = BLK_ZONE;
	p->blk_line = p->line;
	p->blk_idx = (size_t)-1;
	snprintf(
	    p->blk_name, sizeof(p->blk_name), "%s", p->nw > 1 ? p->w[1].s : "");
	if (p->nw < 2 || p->w[1].eq >= 0) {
		perr(p, 0, "'zone' needs a name");
		return;
	}
	if (check_name(p, p->w[1].s, "zone name", 0) == -1)
		return;
	for (i = 0; i < s->nzones; i++)
		if (same_dname(s->zones[i].name, p->w[1].s)) {
			perr(p, 0, "duplicate zone '%s' (first on line %d)",
			    p->w[1].s, s->zones[i].line);
			return;
		}
	if (s->nzones == SCN_ITEMS_MAX) {
		perr(p, 0, "too many zones (at most %d)", SCN_ITEMS_MAX);
		return;
	}
	for (j = 2; j < p->nw; j++)
		zone_option(p, &zx, &p->w[j]);
	z = zx.z;
	seen_nsec = zx.seen_nsec;
	seen_ds = zx.seen_ds;
	if (!z.is_signed) {
		if (seen_ds && z.ds != SCN_DS_NONE)
			perr(p, 0, "an unsigned zone can only have ds=none");
		if (seen_nsec || z.inception.set || z.expiration.set)
			perr(p, 0,
			    "nsec/nsec3/inception/expiration make no "
			    "sense for an unsigned zone");
		z.ds = SCN_DS_NONE;
	}
	if (z.inception.set && z.expiration.set &&
	    z.expiration.secs <= z.inception.secs)
		perr(p, 0, "expiration is not after inception");
	if (z.nsec3_set_line && z.nsec != SCN_NSEC3)
		perr(p, 0, "opt-out/iterations/salt need 'nsec3'");
	z.name = xstrdup(p->w[1].s);
	s->zones = grow(s->zones, s->nzones, sizeof(*s->zones));
	s->zones[s->nzones] = z;
	p->blk_idx = s->nzones++;
}

/*
 * zone_line_when - a zone line's phase qualifier: its last word when
 * that is "attempts=..." (docs/scenario-format.md, Phases), parsed into
 * *w; *len is the length of the line's text without it. Returns 1 with
 * a qualifier, 0 without, -1 when it is malformed or counts connections
 * (reported).
 */
static int
zone_line_when(struct parser *p, struct scn_when *w, size_t *len)
{
	size_t n = strlen(p->raw), end, start;
	char err[160];
	char *word;
	int rc;

	memset(w, 0, sizeof(*w));
	*len = n;
	end = n;
	while (end > 0 && (p->raw[end - 1] == ' ' || p->raw[end - 1] == '\t'))
		end--;
	start = end;
	while (
	    start > 0 && p->raw[start - 1] != ' ' && p->raw[start - 1] != '\t')
		start--;
	if (start == 0)
		return 0;
	word = xstrndup(p->raw + start, end - start);
	rc = scn_when_parse(word, w, err, sizeof(err));
	free(word);
	if (rc == 0)
		return 0;
	if (rc < 0) {
		perr(p, 0, "%s", err);
		return -1;
	}
	if (w->unit != SCN_WHEN_ATTEMPTS) {
		perr(p, 0,
		    "a zone line takes only attempts= (a DNS query "
		    "belongs to no connection of an MX host)");
		return -1;
	}
	*len = start;
	return 1;
}

/* zone_line - a line inside a zone block (kept as text). */
static void
zone_line(struct parser *p)
{
	struct scn_zone *z;
	struct scn_when when;
	size_t len;
	char *e;

	if (p->raw[0] == ';')
		return;
	if (p->nrr == SCN_RRS_MAX) {
		perr(p, 0, "too many zone lines (at most %d)", SCN_RRS_MAX);
		p->nrr++;
		return;
	}
	if (p->nrr > SCN_RRS_MAX)
		return;
	p->nrr++;
	if (p->raw[0] == '$' && p->raw[1] != '{') {
		perr(p, 0,
		    "master-file directive '%.16s' not allowed "
		    "($ORIGIN is the zone, the TTL is 300)",
		    p->raw);
		return;
	}
	if ((e = expand_ph(p, p->raw, 0)) == NULL)
		return;
	free(e);
	if (zone_line_when(p, &when, &len) < 0)
		return;
	if (p->blk_idx == (size_t)-1)
		return;
	z = &p->s->zones[p->blk_idx];
	z->rr_lines = grow(z->rr_lines, z->nrr, sizeof(*z->rr_lines));
	z->rr_line_no = grow(z->rr_line_no, z->nrr, sizeof(*z->rr_line_no));
	z->rr_when = grow(z->rr_when, z->nrr, sizeof(*z->rr_when));
	z->rr_lines[z->nrr] = xstrndup(p->raw, len);
	z->rr_when[z->nrr] = when;
	z->rr_line_no[z->nrr++] = p->line;
}

/* ---- phases ------------------------------------------------------- */

/*
 * take_when - a phase qualifier (attempts=... or connections=...) as the
 * line's last word: parsed into *w and taken off the line (a TEXT
 * argument ends before it). Returns 1 if there was one, 0 if not, -1 if
 * it was malformed (reported).
 */
static int
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

/*
 * mx_phase_for - the phase of m for qualifier w, made on first use: the
 * overlay its lines write to.
 */
static struct scn_mx_phase *
mx_phase_for(struct parser *p, struct scn_mx *m, const struct scn_when *w)
{
	struct scn_mx_phase *ph;
	size_t i;

	for (i = 0; i < m->nphases; i++)
		if (scn_when_same(&m->phases[i].when, w))
			return &m->phases[i];
	m->phases = grow(m->phases, m->nphases, sizeof(*m->phases));
	ph = &m->phases[m->nphases++];
	memset(ph, 0, sizeof(*ph));
	ph->when = *w;
	ph->line = p->line;
	ph->over = xcalloc(1, sizeof(*ph->over));
	ph->over->line = p->line;
	return ph;
}

/* ---- dnsbreak ------------------------------------------------------ */

/* ms_breaks - the names of the breaks that take ms=, "a' or 'b". */
static const char *
ms_breaks(void)
{
	static char buf[256];
	const char *names[SCN_BRK__COUNT];
	int i;

	for (i = 0; i < SCN_BRK__COUNT; i++)
		names[i] = dnsbreak_spec(i)->takes_ms ? scn_break_str(i) : NULL;
	return vocab_list(buf, sizeof(buf), names, SCN_BRK__COUNT);
}

/* A dnsbreak line being read: its attributes. */
struct break_ctx {
	int have_ms;
	long ms;
};

/* break_ms - ms=N: the delay of a break that takes one; 0/-1. */
static int
break_ms(struct parser *p, struct break_ctx *bx, const char *v)
{
	if (bx->have_ms++) {
		perr(p, 0, "duplicate attribute 'ms'");
		return -1;
	}
	if (parse_long(v, 1, 600000, &bx->ms) == -1) {
		perr(p, 0, "bad ms '%s' (want 1..600000)", v);
		return -1;
	}
	return 0;
}

/* The KEY=VALUE attributes of a dnsbreak line. */
static const struct break_attr {
	const char *key;
	int (*fn)(struct parser *p, struct break_ctx *bx, const char *v);
} break_attrs[] = {
    {"ms", break_ms},
};

/* break_attr - one KEY=VALUE word of a dnsbreak line; 0/-1 (reported). */
static int
break_attr(struct parser *p, struct break_ctx *bx, const struct word *w)
{
	char k[64], lbuf[512];
	size_t i;

	attr_key(w, k, sizeof(k));
	for (i = 0; i < sizeof(break_attrs) / sizeof(break_attrs[0]); i++)
		if (strcmp(break_attrs[i].key, k) == 0)
			return break_attrs[i].fn(p, bx, w->s + w->eq + 1);
	perr(p, 0, "unknown dnsbreak attribute '%s' (want %s)", k,
	    vocab_list_rows(lbuf, sizeof(lbuf), break_attrs,
	        sizeof(break_attrs) / sizeof(break_attrs[0]),
	        sizeof(break_attrs[0])));
	return -1;
}

/* do_dnsbreak - dnsbreak OWNER TYPE BREAK [ms=N] */
static void
do_dnsbreak(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_dnsbreak b;
	struct break_ctx bx = {0, 0};
	int what, j, npos = 0, bad = 0, have_ms;
	const char *pos[3] = {NULL, NULL, NULL};
	struct scn_when when;
	long ms;

	if ((j = take_when(p, &when)) < 0)
		bad = 1;
	else if (j > 0 && when.unit != SCN_WHEN_ATTEMPTS) {
		perr(p, 0,
		    "dnsbreak takes attempts=, not %s= (a DNS query "
		    "belongs to no connection of an MX host)",
		    scn_when_unit_str(when.unit));
		bad = 1;
	}
	for (j = 1; j < p->nw; j++) {
		const struct word *w = &p->w[j];

		if (w->eq >= 0) {
			if (break_attr(p, &bx, w) == -1)
				bad = 1;
			continue;
		}
		if (npos < 3)
			pos[npos] = w->s;
		npos++;
	}
	have_ms = bx.have_ms;
	ms = bx.ms;
	if (npos != 3) {
		perr(p, 0, "'dnsbreak' takes OWNER TYPE BREAK [ms=N]");
		return;
	}
	if (check_name(p, pos[0], "owner", 1) == -1)
		bad = 1;
	if (check_rrtype(p, pos[1]) == -1)
		bad = 1;
	if ((what = scn_break_from_str(pos[2])) < 0) {
		perr(p, 0, "unknown break '%s' (want %s)", pos[2],
		    dnsbreak_list(0));
		return;
	}
	if (dnsbreak_spec(what)->takes_ms && !have_ms) {
		perr(p, 0, "'%s' needs ms=N", pos[2]);
		return;
	}
	if (!dnsbreak_spec(what)->takes_ms && have_ms) {
		perr(p, 0, "ms= only goes with '%s'", ms_breaks());
		return;
	}
	if (when.unit != SCN_WHEN_ALWAYS && dnsbreak_spec(what)->at_signing) {
		perr(p, 0,
		    "'%s' is applied at signing time, once per run: it "
		    "cannot be qualified with attempts=",
		    pos[2]);
		return;
	}
	if (bad)
		return;
	if (s->nbreaks == SCN_ITEMS_MAX) {
		perr(p, 0, "too many dnsbreak lines (at most %d)",
		    SCN_ITEMS_MAX);
		return;
	}
	memset(&b, 0, sizeof(b));
	b.owner = xstrdup(pos[0]);
	b.type = upper_dup(pos[1]);
	b.what = (enum scn_break)what;
	b.arg = ms;
	b.line = p->line;
	b.when = when;
	s->breaks = grow(s->breaks, s->nbreaks, sizeof(*s->breaks));
	s->breaks[s->nbreaks++] = b;
}

/* ---- mx ------------------------------------------------------------ */

/* do_mx - mx LABEL: open an mx block. */
static void
do_mx(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_mx m;
	size_t i;

	p->blk = BLK_MX;
	p->blk_line = p->line;
	p->blk_idx = (size_t)-1;
	snprintf(
	    p->blk_name, sizeof(p->blk_name), "%s", p->nw > 1 ? p->w[1].s : "");
	p->mx_seen = 0;
	p->delay_seen = 0;
	if (p->nw != 2 || p->w[1].eq >= 0) {
		perr(p, 0, "'mx' takes one label");
		return;
	}
	if (!valid_label(p->w[1].s)) {
		perr(p, 0, "bad mx label '%s'", p->w[1].s);
		return;
	}
	for (i = 0; i < s->nmxs; i++)
		if (strcmp(s->mxs[i].name, p->w[1].s) == 0) {
			perr(p, 0, "duplicate mx '%s' (first on line %d)",
			    p->w[1].s, s->mxs[i].line);
			return;
		}
	if (s->nmxs == SCN_ITEMS_MAX) {
		perr(p, 0, "too many mx hosts (at most %d)", SCN_ITEMS_MAX);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.name = xstrdup(p->w[1].s);
	m.line = p->line;
	m.esmtp = 1;
	m.starttls = MXS_STLS_OFFER;
	s->mxs = grow(s->mxs, s->nmxs, sizeof(*s->mxs));
	s->mxs[s->nmxs] = m;
	p->blk_idx = s->nmxs++;
}

/* mx_nargs - check the word count of an mx directive. */
static int
mx_nargs(struct parser *p, int lo, int hi, const char *usage)
{
	if (p->nw - 1 < lo || p->nw - 1 > hi) {
		perr(p, 0, "'%s' takes %s", p->w[0].s, usage);
		return -1;
	}
	return 0;
}

/* set_once - store a copy of v in *dst unless already set. */
static int
set_once(struct parser *p, char **dst, const char *v)
{
	if (*dst != NULL) {
		perr(p, 0, "duplicate '%s' in mx block", p->w[0].s);
		return -1;
	}
	*dst = xstrdup(v);
	return 0;
}

/* stage_arg - the STAGE word at index i; -1 if bad (reported). */
static int
stage_arg(struct parser *p, int i)
{
	int st = mxs_stage_from_str(p->w[i].s);

	if (st < 0)
		perr(p, 0, "bad stage '%s' (want %s)", p->w[i].s,
		    mxs_stage_list());
	return st;
}

/* tls_version_ok - "1.0" .. "1.3". */
static int
tls_version_ok(const char *v)
{
	return strcmp(v, "1.0") == 0 || strcmp(v, "1.1") == 0 ||
	       strcmp(v, "1.2") == 0 || strcmp(v, "1.3") == 0;
}

/* flag_once - set a yes/no flag from "DIRECTIVE VALUE" with one value. */
static void
flag_once(struct parser *p, int *flag, const char *value)
{
	if (mx_nargs(p, 1, 1, value) == -1)
		return;
	if (strcmp(p->w[1].s, value) != 0) {
		perr(p, 0, "'%s' takes only '%s'", p->w[0].s, value);
		return;
	}
	if (*flag) {
		perr(p, 0, "duplicate '%s' in mx block", p->w[0].s);
		return;
	}
	*flag = 1;
}

/* mx_cert - cert LABEL: the leaf certificate. */
static void
mx_cert(struct parser *p, struct scn_mx *m)
{
	if (mx_nargs(p, 1, 1, "one cert label") == -1)
		return;
	if (!valid_label(p->w[1].s))
		perr(p, 0, "bad cert label '%s'", p->w[1].s);
	else
		set_once(p, &m->cert, p->w[1].s);
}

/* mx_chain - chain LABEL...: the certificates sent after the leaf. */
static void
mx_chain(struct parser *p, struct scn_mx *m)
{
	int i;

	if (mx_nargs(p, 1, SCN_WORDS_MAX, "one or more cert labels") == -1)
		return;
	if (m->chain_set) {
		perr(p, 0, "duplicate 'chain' in mx block");
		return;
	}
	m->chain_set = 1;
	for (i = 1; i < p->nw; i++) {
		if (!valid_label(p->w[i].s)) {
			perr(p, 0, "bad cert label '%s'", p->w[i].s);
			continue;
		}
		m->chain = grow(m->chain, m->nchain, sizeof(*m->chain));
		m->chain[m->nchain++] = xstrdup(p->w[i].s);
	}
}

/* mx_sni - sni NAME CERT: CERT's chain for a ClientHello naming NAME. */
static void
mx_sni(struct parser *p, struct scn_mx *m)
{
	if (mx_nargs(p, 2, 2, "NAME CERT") == -1)
		return;
	if (check_name(p, p->w[1].s, "SNI name", 0) == -1)
		return;
	if (!valid_label(p->w[2].s)) {
		perr(p, 0, "bad cert label '%s'", p->w[2].s);
		return;
	}
	if (m->nsni == SCN_ITEMS_MAX) {
		perr(p, 0, "too many sni lines");
		return;
	}
	m->sni = grow(m->sni, m->nsni, sizeof(*m->sni));
	m->sni[m->nsni].name = xstrdup(p->w[1].s);
	m->sni[m->nsni++].cert = xstrdup(p->w[2].s);
}

/* mx_esmtp - esmtp yes|no. */
static void
mx_esmtp(struct parser *p, struct scn_mx *m)
{
	if (mx_nargs(p, 1, 1, "yes or no") == -1)
		return;
	if (strcmp(p->w[1].s, "yes") == 0)
		m->esmtp = 1;
	else if (strcmp(p->w[1].s, "no") == 0)
		m->esmtp = 0;
	else
		perr(p, 0, "bad esmtp '%s' (want yes or no)", p->w[1].s);
}

/* mx_starttls - starttls MODE (mxspec.h). */
static void
mx_starttls(struct parser *p, struct scn_mx *m)
{
	int k;

	if (mx_nargs(p, 1, 1, mxs_starttls_list()) == -1)
		return;
	if ((k = mxs_starttls_from_str(p->w[1].s)) < 0)
		perr(p, 0, "bad starttls '%s' (want %s)", p->w[1].s,
		    mxs_starttls_list());
	else
		m->starttls = (enum mxs_starttls)k;
}

/* mx_reply - reply STAGE CODE [TEXT] | reply STAGE drop. */
static void
mx_reply(struct parser *p, struct scn_mx *m)
{
	long v;
	int st;

	if (p->nw < 3) {
		perr(p, 0, "'reply' takes STAGE CODE [TEXT] or STAGE drop");
		return;
	}
	if ((st = stage_arg(p, 1)) < 0)
		return;
	if (m->reply[st].set) {
		perr(p, 0, "duplicate 'reply %s' in mx block", p->w[1].s);
		return;
	}
	if (strcmp(p->w[2].s, "drop") == 0) {
		if (p->nw != 3) {
			perr(p, 0, "'reply %s drop' takes no text", p->w[1].s);
			return;
		}
		m->reply[st].set = 1;
		m->reply[st].code = 0;
		return;
	}
	if (strlen(p->w[2].s) != 3 ||
	    parse_long(p->w[2].s, 200, 599, &v) == -1) {
		perr(p, 0, "bad reply code '%s' (want 200..599 or drop)",
		    p->w[2].s);
		return;
	}
	m->reply[st].set = 1;
	m->reply[st].code = (int)v;
	if (p->nw > 3) {
		m->reply[st].text = rest_text(p, 3);
		if (strpbrk(m->reply[st].text, "\r\n") != NULL)
			perr(p, 0, "reply text must not contain CR or LF");
	}
}

/* mx_delay - delay STAGE MS. */
static void
mx_delay(struct parser *p, struct scn_mx *m)
{
	long v;
	int st;

	if (mx_nargs(p, 2, 2, "STAGE MS") == -1)
		return;
	if ((st = stage_arg(p, 1)) < 0)
		return;
	if (parse_long(p->w[2].s, 0, 600000, &v) == -1) {
		perr(p, 0, "bad delay '%s' (want 0..600000 ms)", p->w[2].s);
		return;
	}
	if (p->delay_seen & 1u << st) {
		perr(p, 0, "duplicate 'delay %s' in mx block", p->w[1].s);
		return;
	}
	p->delay_seen |= 1u << st;
	m->delay_ms[st] = v;
}

/* mx_hold - hold-tls-replies MS. */
static void
mx_hold(struct parser *p, struct scn_mx *m)
{
	long v;

	if (mx_nargs(p, 1, 1, "MS") == -1)
		return;
	if (parse_long(p->w[1].s, 1, 600000, &v) == -1) {
		perr(p, 0, "bad hold-tls-replies '%s' (want 1..600000 ms)",
		    p->w[1].s);
		return;
	}
	if (m->hold_tls_ms > 0) {
		perr(p, 0, "duplicate 'hold-tls-replies' in mx block");
		return;
	}
	m->hold_tls_ms = v;
}

/* mx_inject - inject TEXT: bytes sent right after the 220 to STARTTLS. */
static void
mx_inject(struct parser *p, struct scn_mx *m)
{
	char *t;

	if (p->nw < 2) {
		perr(p, 0, "'inject' takes TEXT");
		return;
	}
	t = rest_text(p, 1);
	if (*t == '\0')
		perr(p, 0, "'inject' takes TEXT");
	else
		set_once(p, &m->inject, t);
	free(t);
}

/* tls_bound - tls-min / tls-max VERSION into *dst. */
static void
tls_bound(struct parser *p, struct scn_mx *m, char **dst)
{
	if (mx_nargs(p, 1, 1, "1.0, 1.1, 1.2 or 1.3") == -1)
		return;
	if (!tls_version_ok(p->w[1].s)) {
		perr(p, 0, "bad TLS version '%s' (want 1.0, 1.1, 1.2 or 1.3)",
		    p->w[1].s);
		return;
	}
	if (set_once(p, dst, p->w[1].s) == -1)
		return;
	if (m->tls_min != NULL && m->tls_max != NULL &&
	    strcmp(m->tls_min, m->tls_max) > 0)
		perr(p, 0, "tls-min %s is above tls-max %s", m->tls_min,
		    m->tls_max);
}

/* mx_tls_min - tls-min VERSION. */
static void
mx_tls_min(struct parser *p, struct scn_mx *m)
{
	tls_bound(p, m, &m->tls_min);
}

/* mx_tls_max - tls-max VERSION. */
static void
mx_tls_max(struct parser *p, struct scn_mx *m)
{
	tls_bound(p, m, &m->tls_max);
}

/* mx_ciphers - ciphers LIST (TLS <= 1.2). */
static void
mx_ciphers(struct parser *p, struct scn_mx *m)
{
	if (mx_nargs(p, 1, 1, "one list (no blanks)") == 0)
		set_once(p, &m->ciphers, p->w[1].s);
}

/* mx_ciphersuites - ciphersuites LIST (TLS 1.3). */
static void
mx_ciphersuites(struct parser *p, struct scn_mx *m)
{
	if (mx_nargs(p, 1, 1, "one list (no blanks)") == 0)
		set_once(p, &m->ciphersuites, p->w[1].s);
}

/* mx_port - port N (1..65535): the TCP port the MX host listens on. */
static void
mx_port(struct parser *p, struct scn_mx *m)
{
	long v;

	if (mx_nargs(p, 1, 1, "PORT") == -1)
		return;
	if (parse_long(p->w[1].s, 1, 65535, &v) == -1)
		perr(p, 0, "bad port '%s' (want 1..65535)", p->w[1].s);
	else
		m->port = (int)v;
}

/*
 * mx_ehlo_keywords - ehlo-keywords before-tls|after-tls [KEYWORD...]: the
 * EHLO lines that half of the session advertises (RFC 3207 §4.2), each
 * word one line ("SIZE 1000" quoted); none at all is allowed.
 */
static void
mx_ehlo_keywords(struct parser *p, struct scn_mx *m)
{
	const char *why;
	int ph, i;

	if (mx_nargs(p, 1, 1 + MXS_EHLO_KW_MAX,
	        "before-tls or after-tls, then the keywords") == -1)
		return;
	if ((ph = mxs_tls_phase_from_str(p->w[1].s)) < 0) {
		perr(p, 0,
		    "bad ehlo-keywords phase '%s' (want before-tls or "
		    "after-tls)",
		    p->w[1].s);
		return;
	}
	if (m->ehlo_kw_set[ph]) {
		perr(p, 0, "duplicate 'ehlo-keywords %s' in mx block",
		    p->w[1].s);
		return;
	}
	m->ehlo_kw_set[ph] = 1;
	for (i = 2; i < p->nw; i++) {
		if (!mxs_ehlo_keyword_ok(p->w[i].s, &why)) {
			perr(p, 0, "bad EHLO keyword '%s': %s", p->w[i].s, why);
			continue;
		}
		m->ehlo_kw[ph] =
		    grow(m->ehlo_kw[ph], m->nehlo_kw[ph], sizeof(char *));
		m->ehlo_kw[ph][m->nehlo_kw[ph]++] = xstrdup(p->w[i].s);
	}
}

/*
 * The directives of an mx block. attrs: its arguments may hold '='
 * (texts, cipher lists); once: a second line is an error even when the
 * values agree. The yes/no behaviours come from mxspec.h's table.
 */
static const struct mx_directive {
	const char *name;
	void (*fn)(struct parser *p, struct scn_mx *m);
	int attrs;
	int once;
} mx_directives[] = {
    {"cert", mx_cert, 0, 0},
    {"chain", mx_chain, 0, 0},
    {"sni", mx_sni, 0, 0},
    {"esmtp", mx_esmtp, 0, 1},
    {"starttls", mx_starttls, 0, 1},
    {"reply", mx_reply, 1, 0},
    {"delay", mx_delay, 0, 0},
    {"hold-tls-replies", mx_hold, 0, 0},
    {"inject", mx_inject, 1, 0},
    {"tls-min", mx_tls_min, 0, 0},
    {"tls-max", mx_tls_max, 0, 0},
    {"ciphers", mx_ciphers, 1, 0},
    {"ciphersuites", mx_ciphersuites, 1, 0},
    {"port", mx_port, 0, 1},
    {"ehlo-keywords", mx_ehlo_keywords, 1, 0},
};

#define MX_NDIRECTIVES (sizeof(mx_directives) / sizeof(mx_directives[0]))

/* mx_directive_find - the table row of d, or NULL. */
static const struct mx_directive *
mx_directive_find(const char *d)
{
	size_t i;

	for (i = 0; i < MX_NDIRECTIVES; i++)
		if (strcmp(mx_directives[i].name, d) == 0)
			return &mx_directives[i];
	return NULL;
}

/* mx_directive_list - the words of an mx block, for messages. */
static const char *
mx_directive_list(char *buf, size_t size)
{
	const char *w[MX_NDIRECTIVES + MXS_FLAG__COUNT];
	size_t i;

	for (i = 0; i < MX_NDIRECTIVES; i++)
		w[i] = mx_directives[i].name;
	for (i = 0; i < MXS_FLAG__COUNT; i++)
		w[MX_NDIRECTIVES + i] = mxs_flag((enum mxs_flag)i)->directive;
	return vocab_list(buf, size, w, (int)(sizeof(w) / sizeof(w[0])));
}

/* mx_directive - one directive inside an mx block, into m. */
static void
mx_directive(struct parser *p, struct scn_mx *m)
{
	char lbuf[512];
	const char *d = p->w[0].s;
	const struct mx_directive *row = mx_directive_find(d);
	int i, f = row == NULL ? mxs_flag_by_directive(d) : -1;

	for (i = 1; i < p->nw; i++)
		if (p->w[i].eq >= 0 && (row == NULL || !row->attrs)) {
			perr(p, 0, "'%s' takes no attributes ('%s')", d,
			    p->w[i].s);
			return;
		}
	if (row == NULL && f < 0) {
		perr(p, 0, "unknown mx directive '%s' (want %s)", d,
		    mx_directive_list(lbuf, sizeof(lbuf)));
		return;
	}
	if (row != NULL)
		row->fn(p, m);
	else
		flag_once(p, &m->flag[f], mxs_flag(f)->value);
}

/*
 * mx_phase_line - an mx directive qualified with w: into the overlay of
 * w's phase. Behaviours and the certificate (cert, chain) take a
 * qualifier; SNI certificates and TLS parameters are set up once per
 * listener. once is the index of esmtp/starttls (-1 for others).
 */
static void
mx_phase_line(struct parser *p, const struct scn_when *w, int once)
{
	static const char *const fixed[] = {"sni", "tls-min", "tls-max",
	    "ciphers", "ciphersuites", "port", "ehlo-keywords"};
	struct scn_mx_phase *ph;
	struct scn_mx dummy;
	unsigned saved;
	int st;

	if (vocab_lookup(fixed, (int)(sizeof(fixed) / sizeof(fixed[0])),
	        p->w[0].s) >= 0) {
		perr(p, 0,
		    "'%s' cannot be qualified with attempts= or "
		    "connections= (only behaviours, cert and chain can)",
		    p->w[0].s);
		return;
	}
	if (p->blk_idx == (size_t)-1) {
		memset(&dummy, 0, sizeof(dummy));
		mx_directive(p, &dummy);
		mx_release(&dummy);
		return;
	}
	ph = mx_phase_for(p, &p->s->mxs[p->blk_idx], w);
	if (once >= 0) {
		if (ph->set & 1u << once) {
			perr(p, 0, "duplicate '%s' with the same qualifier",
			    p->w[0].s);
			return;
		}
		ph->set |= 1u << once;
	}
	/* delay duplicates are per phase here, not per block */
	saved = p->delay_seen;
	p->delay_seen = 0;
	for (st = 0; st < MXS_STAGE__COUNT; st++)
		if (ph->over->delay_ms[st] != 0)
			p->delay_seen |= 1u << st;
	mx_directive(p, ph->over);
	p->delay_seen = saved;
}

/* mx_line - a directive inside an mx block. */
static void
mx_line(struct parser *p)
{
	const struct mx_directive *row = mx_directive_find(p->w[0].s);
	struct scn_mx dummy;
	struct scn_when when;
	int q = take_when(p, &when);

	if (q < 0)
		return;
	if (q > 0) {
		/* esmtp and starttls once per phase: SCN_PHASE_ESMTP, _STARTTLS
		 */
		mx_phase_line(p, &when,
		    strcmp(p->w[0].s, "esmtp") == 0      ? 0
		    : strcmp(p->w[0].s, "starttls") == 0 ? 1
		                                         : -1);
		return;
	}
	if (row != NULL && row->once) {
		unsigned bit = 1u << (row - mx_directives);

		if (p->mx_seen & bit) {
			perr(p, 0, "duplicate '%s' in mx block", p->w[0].s);
			return;
		}
		p->mx_seen |= bit;
	}
	if (p->blk_idx != (size_t)-1) {
		mx_directive(p, &p->s->mxs[p->blk_idx]);
		return;
	}
	/*
	 * A bad "mx" line still opens a block; its directives are checked
	 * against a scratch host that is thrown away.
	 */
	memset(&dummy, 0, sizeof(dummy));
	mx_directive(p, &dummy);
	mx_release(&dummy);
}

/* ---- expect -------------------------------------------------------- */

/* req_list - parse "R-a,R-b" into e->req; -1 on a bad id (reported). */
static int
req_list(struct parser *p, struct scn_expect *e, const char *v)
{
	char *dup = xstrdup(v), *tok, *save = NULL;
	int rc = 0;

	if (*v == '\0' || *v == ',' || v[strlen(v) - 1] == ',' ||
	    strstr(v, ",,") != NULL) {
		perr(p, 0, "empty requirement id in req=");
		free(dup);
		return -1;
	}
	for (tok = strtok_r(dup, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!valid_req_id(tok)) {
			perr(p, 0,
			    "bad requirement id '%s' (want R-2.2-a or "
			    "R7671-5.1-a style)",
			    tok);
			rc = -1;
			continue;
		}
		e->req = grow(e->req, e->nreq, sizeof(*e->req));
		e->req[e->nreq++] = xstrdup(tok);
	}
	free(dup);
	return rc;
}

/* free_expect - release what one expectation holds. */
static void
free_expect(struct scn_expect *e)
{
	free(e->host);
	free(e->name);
	free(e->qtype);
	free_strv(e->req, e->nreq);
	free(e->because);
	free(e->text);
}

/* host_arg - check and copy an MX label argument. */
static int
host_arg(struct parser *p, struct scn_expect *e, const char *h)
{
	if (!valid_label(h)) {
		perr(p, 0, "bad mx label '%s'", h);
		return -1;
	}
	e->host = xstrdup(h);
	return 0;
}

/* expect_attrs - req=, severity=, because= of an expect line; 0/-1. */
static int
expect_attrs(
    struct parser *p, struct scn_expect *e, const char **pos, int *npos)
{
	int j, bad = 0, seen_req = 0, seen_sev = 0, seen_because = 0;
	char k[64];

	for (j = 1; j < p->nw; j++) {
		const struct word *w = &p->w[j];
		const char *v = w->s + w->eq + 1;

		if (w->eq < 0) {
			pos[(*npos)++] = w->s;
			continue;
		}
		attr_key(w, k, sizeof(k));
		if (strcmp(k, "req") == 0) {
			if (seen_req++) {
				perr(p, 0, "duplicate attribute 'req'");
				bad = 1;
			} else if (req_list(p, e, v) == -1)
				bad = 1;
		} else if (strcmp(k, "severity") == 0) {
			int sv = vocab_lookup(sev_names, 2, v);

			if (seen_sev++) {
				perr(p, 0, "duplicate attribute 'severity'");
				bad = 1;
			} else if (sv < 0) {
				perr(p, 0,
				    "bad severity '%s' (want security or "
				    "interop)",
				    v);
				bad = 1;
			} else {
				e->severity_set = 1;
				e->severity = (enum scn_severity)sv;
			}
		} else if (strcmp(k, "because") == 0) {
			if (seen_because++) {
				perr(p, 0, "duplicate attribute 'because'");
				bad = 1;
			} else if (*v == '\0') {
				perr(p, 0, "empty 'because' (say why)");
				bad = 1;
			} else
				e->because = xstrdup(v);
		} else {
			perr(p, 0,
			    "bad expect attribute '%s' (want req=, "
			    "severity= or because=)",
			    k);
			bad = 1;
		}
	}
	if (seen_because && !seen_sev) {
		perr(p, 0, "'because' explains a severity=; there is none");
		bad = 1;
	}
	return bad ? -1 : 0;
}

/*
 * The argument shapes of expkind.h: each checks the words after the
 * kind (arg[0..n)) into e. They return 0; -1 on an error that makes the
 * line useless; 1 on a bad value (reported, the line is dropped).
 */

/* args_outcomes - OUTCOME... */
static int
args_outcomes(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	int j, bad = 0;

	if (n < 1) {
		perr(p, 0, "'expect %s' needs one or more outcomes",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	for (j = 0; j < n; j++) {
		int o = scn_outcome_from_str(arg[j]);

		if (strcmp(arg[j], "delivered") == 0)
			e->outcomes |= 1u << SCN_OUT_DELIVERED_TLS |
			               1u << SCN_OUT_DELIVERED_PLAIN;
		else if (o < 0 || o == SCN_OUT_UNKNOWN) {
			perr(p, 0,
			    "bad outcome '%s' (want delivered-tls, "
			    "delivered-plaintext, delivered, deferred, "
			    "bounced or not-attempted)",
			    arg[j]);
			bad = 1;
		} else
			e->outcomes |= 1u << o;
	}
	if (p->l_outcome) {
		perr(p, 0, "duplicate 'expect outcome' (first on line %d)",
		    p->l_outcome);
		bad = 1;
	} else
		p->l_outcome = p->line;
	return bad;
}

/* args_host - HOST */
static int
args_host(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 1) {
		perr(p, 0, "'expect %s' takes one mx label",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	return host_arg(p, e, arg[0]) == -1;
}

/* args_opt_host - [HOST] */
static int
args_opt_host(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n > 1) {
		perr(p, 0, "'expect %s' takes at most one mx label",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	return n == 1 && host_arg(p, e, arg[0]) == -1;
}

/* args_host_name - HOST NAME (an SNI name) */
static int
args_host_name(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 2) {
		perr(p, 0, "'expect %s' takes HOST NAME",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	if (host_arg(p, e, arg[0]) == -1 ||
	    check_name(p, arg[1], "SNI name", 0) == -1)
		return 1;
	e->name = xstrdup(arg[1]);
	return 0;
}

/* args_name_type - NAME TYPE (a real RR type, not ANY) */
static int
args_name_type(struct parser *p, struct scn_expect *e, const char **arg, int n)
{
	if (n != 2) {
		perr(p, 0, "'expect %s' takes NAME TYPE",
		    scn_expect_kind_str(e->kind));
		return -1;
	}
	if (check_name(p, arg[0], "query name", 0) == -1 ||
	    check_rrtype(p, arg[1]) == -1)
		return 1;
	if (strcasecmp(arg[1], "ANY") == 0) {
		perr(p, 0, "'expect %s' needs a real RR type, not ANY",
		    scn_expect_kind_str(e->kind));
		return 1;
	}
	e->name = xstrdup(arg[0]);
	e->qtype = upper_dup(arg[1]);
	return 0;
}

static int (*const expect_args[])(
    struct parser *, struct scn_expect *, const char **, int) = {
    [EXPK_ARGS_OUTCOMES] = args_outcomes,
    [EXPK_ARGS_HOST] = args_host,
    [EXPK_ARGS_OPT_HOST] = args_opt_host,
    [EXPK_ARGS_HOST_NAME] = args_host_name,
    [EXPK_ARGS_NAME_TYPE] = args_name_type,
};

/* do_expect - expect [never] KIND ARGS [req=...] [severity=...] ... */
static void
do_expect(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_expect e;
	const char *pos[SCN_WORDS_MAX];
	int npos = 0, never = 0, kind, bad;

	memset(&e, 0, sizeof(e));
	e.line = p->line;
	bad = expect_attrs(p, &e, pos, &npos) == -1;
	if (npos == 0) {
		perr(p, 0, "'expect' needs a kind (%s)", expk_words_list(0));
		goto out;
	}
	if (strcmp(pos[0], "never") == 0) {
		never = 1;
		if (npos == 1) {
			perr(p, 0, "'expect never' needs a kind (%s)",
			    expk_words_list(1));
			goto out;
		}
	}
	if ((kind = expk_find(never, pos[never])) < 0) {
		perr(p, 0, "unknown expectation 'expect %s%s' (want %s)",
		    never ? "never " : "", pos[never], expk_words_list(never));
		goto out;
	}
	e.kind = (enum scn_expect_kind)kind;
	switch (expect_args[expk_spec(e.kind)->args](
	    p, &e, pos + never + 1, npos - never - 1)) {
	case -1:
		goto out;
	case 1:
		bad = 1;
		break;
	}
	if (bad)
		goto out;
	if (s->nexpects == SCN_EXPECTS_MAX) {
		perr(p, 0, "too many expectations (at most %d)",
		    SCN_EXPECTS_MAX);
		goto out;
	}
	e.text = xstrdup(p->raw);
	s->expects = grow(s->expects, s->nexpects, sizeof(*s->expects));
	s->expects[s->nexpects++] = e;
	return;
out:
	free_expect(&e);
}

/* ---- the line loop ------------------------------------------------- */

/*
 * The top-level directives: the header's, then the world's blocks and
 * lines, then the expectations. A new directive is a row here and its
 * function.
 */
static const struct top_directive {
	const char *name;
	void (*fn)(struct parser *p);
} top_directives[] = {
    {"format", hdr_format},
    {"id", hdr_id},
    {"title", hdr_title},
    {"requirements", hdr_requirements},
    {"severity", hdr_severity},
    {"tags", hdr_tags},
    {"recipient", hdr_recipient},
    {"window", hdr_window},
    {"attempts", hdr_attempts},
    {"cert", do_cert},
    {"zone", do_zone},
    {"mx", do_mx},
    {"dnsbreak", do_dnsbreak},
    {"expect", do_expect},
};

/* top_directive_find - the row of d, or NULL. */
static const struct top_directive *
top_directive_find(const char *d)
{
	size_t i;

	for (i = 0; i < sizeof(top_directives) / sizeof(top_directives[0]); i++)
		if (strcmp(top_directives[i].name, d) == 0)
			return &top_directives[i];
	return NULL;
}

/* ends_mx_block - a top-level word that is no mx directive ("cert" is
 * both: inside a block it is the MX's). */
static int
ends_mx_block(const char *d)
{
	return top_directive_find(d) != NULL && mx_directive_find(d) == NULL;
}

/* close_unterminated - report the open block at end of file. */
static void
close_unterminated(struct parser *p)
{
	const char *what = p->blk == BLK_ZONE ? "zone" : "mx";
	perr(p, p->blk_line, "%s '%s' has no 'end' (file ends at line %d)",
	    what, p->blk_name, p->line);
	p->blk = BLK_NONE;
}

/* ttl_or_class - a master-file TTL ("300", "1h") or class word. */
static int
ttl_or_class(const char *w)
{
	long long v;

	if (strcasecmp(w, "IN") == 0 || strcasecmp(w, "CH") == 0 ||
	    strcasecmp(w, "HS") == 0 || strcasecmp(w, "CS") == 0)
		return 1;
	return isdigit((unsigned char)*w) && scn_parse_reltime(w, &v) == 0;
}

/*
 * zone_line_is_directive - inside a zone, a line that starts with a
 * scenario directive and is not shaped like an RR ("owner [ttl] [class]
 * type ...") means the zone's "end" is missing. "mx A 127.0.0.1" is an
 * RR of owner "mx"; "mx mx1" is the start of an mx block.
 */
static int
zone_line_is_directive(const char *raw)
{
	char w[4][64];
	int n, i;

	n = sscanf(raw, "%63s %63s %63s %63s", w[0], w[1], w[2], w[3]);
	if (n < 1 || top_directive_find(w[0]) == NULL)
		return 0;
	for (i = 1; i < n; i++) {
		if (ldns_get_rr_type_by_name(w[i]) != 0)
			return 0;
		if (!ttl_or_class(w[i]))
			break;
	}
	return 1;
}

/* do_line - one non-empty, non-comment line (p->raw). */
static void
do_line(struct parser *p)
{
	const struct top_directive *row;
	char lbuf[512];
	const char *d;

	if (p->blk == BLK_ZONE) {
		if (strcmp(p->raw, "end") == 0) {
			p->blk = BLK_NONE;
			return;
		}
		if (!zone_line_is_directive(p->raw)) {
			zone_line(p);
			return;
		}
		perr(p, p->blk_line, "zone '%s' has no 'end' before line %d",
		    p->blk_name, p->line);
		p->blk = BLK_NONE;
	}
	if (tokenize(p) == -1 || p->nw == 0)
		return;
	d = p->w[0].s;
	if (p->blk == BLK_MX) {
		if (strcmp(d, "end") == 0) {
			if (p->nw != 1)
				perr(p, 0, "'end' takes nothing");
			p->blk = BLK_NONE;
			return;
		}
		if (!ends_mx_block(d)) {
			mx_line(p);
			return;
		}
		/*
		 * A top-level directive inside an mx block means an "end"
		 * is missing: say so, close the block and carry on.
		 */
		perr(p, p->blk_line, "mx '%s' has no 'end' before line %d",
		    p->blk_name, p->line);
		p->blk = BLK_NONE;
	}
	p->ndirectives++;
	if ((row = top_directive_find(d)) != NULL)
		row->fn(p);
	else if (strcmp(d, "end") == 0)
		perr(p, 0, "'end' without an open zone or mx block");
	else
		perr(p, 0, "unknown directive '%s' (want %s)", d,
		    vocab_list_rows(lbuf, sizeof(lbuf), top_directives,
		        sizeof(top_directives) / sizeof(top_directives[0]),
		        sizeof(top_directives[0])));
}

/* check_required - the header directives that must be present. */
static void
check_required(struct parser *p)
{
	if (!p->l_id)
		perr(p, 1, "missing required 'id'");
	if (!p->l_title)
		perr(p, 1, "missing required 'title'");
	if (!p->l_req)
		perr(p, 1, "missing required 'requirements'");
	if (!p->l_sev)
		perr(p, 1, "missing required 'severity'");
}

struct scn *
scn_parse_buf(
    const char *path, const char *text, size_t len, struct scn_errors *errs)
{
	struct parser *p;
	struct scn *s;
	size_t pos = 0;
	char line[SCN_LINE_MAX + 1];

	p = xcalloc(1, sizeof(*p));
	p->path = path != NULL ? path : "(buffer)";
	p->errs = errs;
	p->s = s = xcalloc(1, sizeof(*s));
	s->file = xstrdup(p->path);
	if (text == NULL)
		len = 0;
	/* a UTF-8 byte order mark some editors write is not a directive */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		size_t a = 0, i;
		int badc = 0;

		p->line++;
		if (p->nerr >= SCN_ERRORS_MAX)
			break;
		if (n > SCN_LINE_MAX) {
			perr(p, 0, "line longer than %d bytes", SCN_LINE_MAX);
			pos += n + 1;
			continue;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)line[i];

			if (c == 0) {
				perr(p, 0, "NUL byte in line");
				badc = 1;
				break;
			}
			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
				perr(p, 0, "control character 0x%02x in line",
				    c);
				badc = 1;
				break;
			}
		}
		if (badc)
			continue;
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
		                    line[n - 1] == '\r'))
			line[--n] = '\0';
		while (line[a] == ' ' || line[a] == '\t' || line[a] == '\r')
			a++;
		if (line[a] == '\0' || line[a] == '#')
			continue;
		if (strchr(line + a, '\r') != NULL) {
			perr(p, 0, "carriage return inside a line");
			continue;
		}
		p->raw = line + a;
		do_line(p);
	}
	if (p->blk != BLK_NONE)
		close_unterminated(p);
	if (p->nerr < SCN_ERRORS_MAX)
		check_required(p);
	if (p->nerr > 0) {
		scn_free(s);
		s = NULL;
	}
	free(p);
	return s;
}

struct scn *
scn_parse_file(const char *path, struct scn_errors *errs)
{
	struct buf b;
	char chunk[8192];
	struct scn *s = NULL;
	struct stat st;
	ssize_t r;
	int fd;

	buf_init(&b);
	/* O_NONBLOCK: a FIFO named .scn must not hang the open */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		scn_errors_add(
		    errs, "%s:0: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		scn_errors_add(errs, "%s:0: not a regular file", path);
		goto out;
	}
	for (;;) {
		r = read(fd, chunk, sizeof(chunk));
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			scn_errors_add(
			    errs, "%s:0: read: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > SCN_FILE_MAX) {
			scn_errors_add(errs, "%s:0: file larger than %d bytes",
			    path, SCN_FILE_MAX);
			goto out;
		}
		buf_append(&b, chunk, (size_t)r);
	}
	s = scn_parse_buf(path, b.data != NULL ? b.data : "", b.len, errs);
out:
	close(fd);
	buf_free(&b);
	return s;
}

/* ---- suites -------------------------------------------------------- */

/* A file or directory identity. */
struct fid {
	dev_t dev;
	ino_t ino;
};

/*
 * A list of paths being collected, and the identities already taken: a
 * file named twice (or reached through a symlink) is read once, and a
 * directory reached again through a symlink loop is not searched again.
 */
struct pathv {
	char **v;
	size_t n;
	struct fid *seen;
	size_t nseen;
};

/* pathv_add - take ownership of path. */
static void
pathv_add(struct pathv *pv, char *path)
{
	pv->v = grow(pv->v, pv->n, sizeof(*pv->v));
	pv->v[pv->n++] = path;
}

/* pathv_seen - 1 if st's file was taken before; else remember it. */
static int
pathv_seen(struct pathv *pv, const struct stat *st)
{
	size_t i;

	for (i = 0; i < pv->nseen; i++)
		if (pv->seen[i].dev == st->st_dev &&
		    pv->seen[i].ino == st->st_ino)
			return 1;
	pv->seen = grow(pv->seen, pv->nseen, sizeof(*pv->seen));
	pv->seen[pv->nseen].dev = st->st_dev;
	pv->seen[pv->nseen++].ino = st->st_ino;
	return 0;
}

/* cmp_str - qsort comparator for char *. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* has_scn_suffix - name ends in ".scn" and has something before it. */
static int
has_scn_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".scn") == 0;
}

/* collect_dir - every *.scn below dir, sorted per directory. */
static int
collect_dir(
    const char *dir, int depth, struct pathv *pv, struct scn_errors *errs)
{
	DIR *d;
	struct dirent *de;
	struct pathv here = {NULL, 0, NULL, 0};
	struct stat st;
	size_t i;
	int rc = 0;

	if (stat(dir, &st) == 0 && pathv_seen(pv, &st))
		return 0;
	if (depth > SCN_DIR_DEPTH_MAX) {
		scn_errors_add(errs, "%s:0: directories nested too deep", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		scn_errors_add(errs, "%s:0: cannot open directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		pathv_add(&here,
		    xasprintf("%s%s%s", dir,
		        dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name));
	}
	closedir(d);
	if (here.n > 0)
		qsort(here.v, here.n, sizeof(*here.v), cmp_str);
	for (i = 0; i < here.n; i++) {
		if (stat(here.v[i], &st) == -1) {
			free(here.v[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (collect_dir(here.v[i], depth + 1, pv, errs) == -1)
				rc = -1;
			free(here.v[i]);
		} else if (S_ISREG(st.st_mode) && has_scn_suffix(here.v[i]) &&
		           !pathv_seen(pv, &st))
			pathv_add(pv, here.v[i]);
		else
			free(here.v[i]);
	}
	free(here.v);
	return rc;
}

/* cmp_scn_id - qsort comparator for struct scn * by id. */
static int
cmp_scn_id(const void *a, const void *b)
{
	return strcmp(
	    (*(struct scn *const *)a)->id, (*(struct scn *const *)b)->id);
}

/* check_zone_clash - no two scenarios of a suite may declare one zone. */
static int
check_zone_clash(struct scn_suite *suite, struct scn_errors *errs)
{
	struct pz {
		char *name;
		const struct scn *s;
		const struct scn_zone *z;
	} *all = NULL;
	size_t n = 0, i, j, k;
	int rc = 0;

	for (i = 0; i < suite->n; i++)
		for (j = 0; j < suite->items[i]->nzones; j++) {
			char *key = scn_expand_norm_name(
			    suite->items[i], suite->items[i]->zones[j].name);

			if (key == NULL)
				continue;
			for (k = 0; k < n; k++)
				if (all[k].s != suite->items[i] &&
				    strcmp(all[k].name, key) == 0) {
					scn_errors_add(errs,
					    "%s:%d: zone '%s' is also declared "
					    "by %s:%d",
					    suite->items[i]->file,
					    suite->items[i]->zones[j].line, key,
					    all[k].s->file, all[k].z->line);
					rc = -1;
					break;
				}
			all = grow(all, n, sizeof(*all));
			all[n].name = key;
			all[n].s = suite->items[i];
			all[n++].z = &suite->items[i]->zones[j];
		}
	for (k = 0; k < n; k++)
		free(all[k].name);
	free(all);
	return rc;
}

int
scn_suite_load(struct scn_suite *suite, char *const *paths, size_t npaths,
    struct scn_errors *errs)
{
	struct pathv pv = {NULL, 0, NULL, 0};
	size_t i, j;
	int rc = 0;

	suite->items = NULL;
	suite->n = 0;
	for (i = 0; i < npaths; i++) {
		struct stat st;

		if (stat(paths[i], &st) == -1) {
			scn_errors_add(
			    errs, "%s:0: %s", paths[i], strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (collect_dir(paths[i], 0, &pv, errs) == -1)
				rc = -1;
		} else if (!has_scn_suffix(paths[i])) {
			scn_errors_add(errs,
			    "%s:0: not a scenario file (name must end in "
			    "'.scn')",
			    paths[i]);
			rc = -1;
		} else if (!pathv_seen(&pv, &st))
			pathv_add(&pv, xstrdup(paths[i]));
	}
	for (i = 0; i < pv.n; i++) {
		struct scn *s = scn_parse_file(pv.v[i], errs);

		if (s == NULL) {
			rc = -1;
			continue;
		}
		for (j = 0; j < suite->n; j++)
			if (strcmp(suite->items[j]->id, s->id) == 0)
				break;
		if (j < suite->n) {
			scn_errors_add(errs,
			    "%s:%d: duplicate id '%s' (also in %s:%d)", s->file,
			    s->id_line, s->id, suite->items[j]->file,
			    suite->items[j]->id_line);
			scn_free(s);
			rc = -1;
			continue;
		}
		suite->items =
		    grow(suite->items, suite->n, sizeof(*suite->items));
		suite->items[suite->n++] = s;
	}
	for (i = 0; i < pv.n; i++)
		free(pv.v[i]);
	free(pv.v);
	free(pv.seen);
	if (suite->n > 1)
		qsort(
		    suite->items, suite->n, sizeof(*suite->items), cmp_scn_id);
	if (check_zone_clash(suite, errs) == -1)
		rc = -1;
	return rc;
}

void
scn_suite_free(struct scn_suite *suite)
{
	size_t i;

	if (suite == NULL)
		return;
	for (i = 0; i < suite->n; i++)
		scn_free(suite->items[i]);
	free(suite->items);
	suite->items = NULL;
	suite->n = 0;
}
