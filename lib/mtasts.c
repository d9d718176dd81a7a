/*
 * mtasts.c - MTA-STS policies (RFC 8461 §3.1 TXT record, §3.2 policy
 * file, §4.1 MX host matching, §5 modes); see mtasts.h.
 */
#include "mtasts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "vocab.h"
#include "xmalloc.h"

static const char *const mode_names[MTASTS__COUNT] = {
    [MTASTS_ENFORCE] = "enforce",
    [MTASTS_TESTING] = "testing",
    [MTASTS_NONE] = "none",
};

const char *
mtasts_mode_str(enum mtasts_mode m)
{
	return (unsigned)m < MTASTS__COUNT ? mode_names[m] : "?";
}

int
mtasts_mode_from_str(const char *s)
{
	return vocab_lookup(mode_names, MTASTS__COUNT, s);
}

const char *
mtasts_mode_list(char *buf, size_t size)
{
	return vocab_list(buf, size, mode_names, MTASTS__COUNT);
}

void
mtasts_policy_free(struct mtasts_policy *p)
{
	size_t i;

	for (i = 0; i < p->nmx; i++)
		free(p->mx[i]);
	free(p->mx);
	memset(p, 0, sizeof(*p));
}

char *
mtasts_policy_text(const struct mtasts_policy *p)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_printf(
	    &b, "version: STSv1\r\nmode: %s\r\n", mtasts_mode_str(p->mode));
	for (i = 0; i < p->nmx; i++)
		buf_printf(&b, "mx: %s\r\n", p->mx[i]);
	buf_printf(&b, "max_age: %ld\r\n", p->max_age);
	return buf_steal(&b);
}

/* trim - s[0..*n) without leading and trailing blanks; new start. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

/* valid_pattern - an mx value: a domain name, "*." allowed in front. */
static int
valid_pattern(const char *v, size_t n)
{
	size_t i, lab = 0;

	if (n >= 2 && v[0] == '*' && v[1] == '.') {
		v += 2;
		n -= 2;
	}
	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '.') {
			if (lab == 0)
				return 0;
			lab = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++lab > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

int
mtasts_policy_parse(const char *text, size_t len, struct mtasts_policy *p,
    char *err, size_t errsz)
{
	size_t pos = 0, n, kn, vn;
	const char *line, *colon, *k, *v;
	int lineno = 0, have_mode = 0, have_age = 0;
	long age;
	char *end, num[32];

	memset(p, 0, sizeof(*p));
	if (len > MTASTS_BODY_MAX) {
		snprintf(
		    err, errsz, "policy longer than %d bytes", MTASTS_BODY_MAX);
		return -1;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		line = text + pos;
		n = nl != NULL ? (size_t)(nl - line) : len - pos;
		pos += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		lineno++;
		if (n == 0 && pos >= len)
			break;
		colon = memchr(line, ':', n);
		if (colon == NULL) {
			snprintf(
			    err, errsz, "line %d: no 'key: value'", lineno);
			goto fail;
		}
		kn = (size_t)(colon - line);
		k = trim(line, &kn);
		vn = n - (size_t)(colon + 1 - line);
		v = trim(colon + 1, &vn);
		if (memchr(v, '\0', vn) != NULL) {
			snprintf(err, errsz, "line %d: NUL byte", lineno);
			goto fail;
		}
		if (lineno == 1) {
			if (kn != 7 || strncmp(k, "version", 7) != 0 ||
			    vn != 5 || strncmp(v, "STSv1", 5) != 0) {
				snprintf(err, errsz,
				    "first line is not 'version: STSv1'");
				goto fail;
			}
		} else if (kn == 4 && strncmp(k, "mode", 4) == 0) {
			char mode[16];
			int m;

			snprintf(mode, sizeof(mode), "%.*s",
			    (int)(vn < 15 ? vn : 15), v);
			if (have_mode++ || vn >= sizeof(mode) ||
			    (m = mtasts_mode_from_str(mode)) < 0) {
				snprintf(
				    err, errsz, "line %d: bad mode", lineno);
				goto fail;
			}
			p->mode = (enum mtasts_mode)m;
		} else if (kn == 2 && strncmp(k, "mx", 2) == 0) {
			if (!valid_pattern(v, vn)) {
				snprintf(err, errsz, "line %d: bad mx pattern",
				    lineno);
				goto fail;
			}
			p->mx =
			    xreallocarray(p->mx, p->nmx + 1, sizeof(*p->mx));
			p->mx[p->nmx++] = xstrndup(v, vn);
		} else if (kn == 7 && strncmp(k, "max_age", 7) == 0) {
			snprintf(num, sizeof(num), "%.*s",
			    (int)(vn < 31 ? vn : 31), v);
			age = strtol(num, &end, 10);
			if (have_age++ || vn == 0 || vn > 10 || *end != '\0' ||
			    !isdigit((unsigned char)num[0]) || age < 0 ||
			    age > MTASTS_MAX_AGE_MAX) {
				snprintf(
				    err, errsz, "line %d: bad max_age", lineno);
				goto fail;
			}
			p->max_age = age;
		}
		/* other keys: ignored (RFC 8461 §3.2 extensions) */
	}
	if (lineno == 0) {
		snprintf(err, errsz, "empty policy");
		goto fail;
	}
	if (!have_mode || !have_age) {
		snprintf(err, errsz, "no %s", !have_mode ? "mode" : "max_age");
		goto fail;
	}
	if (p->nmx == 0 && p->mode != MTASTS_NONE) {
		snprintf(err, errsz, "no mx in a policy in mode %s",
		    mtasts_mode_str(p->mode));
		goto fail;
	}
	return 0;
fail:
	mtasts_policy_free(p);
	return -1;
}

int
mtasts_txt_parse(const char *txt, char *id, size_t idsz)
{
	const char *s = txt, *f, *e;
	size_t n, i;
	int first = 1, have_id = 0;

	if (idsz < 33)
		return -1;
	id[0] = '\0';
	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		e = strchr(s, ';');
		if (e == NULL)
			e = s + strlen(s);
		n = (size_t)(e - s);
		f = trim(s, &n);
		if (first) {
			if (n != 7 || strncmp(f, "v=STSv1", 7) != 0)
				return -1;
			first = 0;
		} else if (n > 3 && strncmp(f, "id=", 3) == 0) {
			if (have_id++ || n - 3 > 32)
				return -1;
			for (i = 3; i < n; i++)
				if (!isalnum((unsigned char)f[i]))
					return -1;
			memcpy(id, f + 3, n - 3);
			id[n - 3] = '\0';
		}
		s = *e == ';' ? e + 1 : e;
	}
	return have_id ? 0 : -1;
}

/* name_len - length of name without a final dot. */
static size_t
name_len(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && name[n - 1] == '.' ? n - 1 : n;
}

int
mtasts_mx_match(const char *pattern, const char *host)
{
	size_t pn = name_len(pattern), hn = name_len(host);
	const char *dot;

	if (pn >= 2 && pattern[0] == '*' && pattern[1] == '.') {
		/* one label exactly: "*.example" matches "mx.example", not
		 * "a.mx.example" nor "example" */
		dot = memchr(host, '.', hn);
		if (dot == NULL || dot == host)
			return 0;
		return hn - (size_t)(dot - host) == pn - 1 &&
		       strncasecmp(dot, pattern + 1, pn - 1) == 0;
	}
	return pn == hn && pn > 0 && strncasecmp(pattern, host, pn) == 0;
}

int
mtasts_policy_mx_match(const struct mtasts_policy *p, const char *host)
{
	size_t i;

	for (i = 0; i < p->nmx; i++)
		if (mtasts_mx_match(p->mx[i], host))
			return 1;
	return 0;
}
