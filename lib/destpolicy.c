/*
 * destpolicy.c - per-destination SUT policy: level words, HOST[:PORT],
 * and the lines of the run's policy file (destpolicy.h).
 */
#include "destpolicy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vocab.h"
#include "xmalloc.h"

/* The levels, in enum order; the default is "-" (no scenario word). */
static const struct dp_level_spec levels[DP_LEVEL__COUNT] = {
    {"-", "the SUT's own default"},
    {"dane-only", "mandatory DANE: deliver only over TLS authenticated "
                  "by secure, usable TLSA records (RFC 7672 section 6)"},
    {"dane", "opportunistic DANE TLS (RFC 7672 section 2)"},
    {"encrypt", "TLS required, no authentication (RFC 3207 section 6)"},
    {"may", "opportunistic TLS without DANE"},
};

const struct dp_level_spec *
dp_level_spec(enum dp_level l)
{
	return (unsigned)l < DP_LEVEL__COUNT ? &levels[l] : &levels[0];
}

const char *
dp_level_str(enum dp_level l)
{
	return dp_level_spec(l)->name;
}

int
dp_level_from_str(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < DP_LEVEL__COUNT; i++)
		if (strcmp(levels[i].name, s) == 0)
			return i;
	return -1;
}

const char *
dp_level_list(char *buf, size_t size)
{
	/* the default's "-" is no word a scenario writes */
	return vocab_list_rows(
	    buf, size, &levels[1], DP_LEVEL__COUNT - 1, sizeof(levels[0]));
}

/* valid_host - a domain name: labels of letters, digits, '-', '_'. */
static int
valid_host(const char *s, size_t n)
{
	size_t i, lab = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (lab == 0)
				return 0;
			lab = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
		if (++lab > 63)
			return 0;
	}
	return lab > 0;
}

int
dp_hop_parse(const char *text, struct dp_hop *h, char *err, size_t errsz)
{
	const char *colon = strchr(text, ':');
	size_t n = colon != NULL ? (size_t)(colon - text) : strlen(text);
	size_t i;
	char *end;
	long v = 0;

	memset(h, 0, sizeof(*h));
	if (n > 1 && text[n - 1] == '.' && text[n - 2] != '.')
		n--;
	if (!valid_host(text, n)) {
		snprintf(err, errsz, "bad host '%.*s' (want a domain name)",
		    (int)(colon != NULL ? (size_t)(colon - text)
		                        : strlen(text)),
		    text);
		return -1;
	}
	if (colon != NULL) {
		errno = 0;
		v = strtol(colon + 1, &end, 10);
		if (errno != 0 || end == colon + 1 || *end != '\0' ||
		    !isdigit((unsigned char)colon[1]) || v < 1 || v > 65535) {
			snprintf(err, errsz, "bad port '%s' (want 1..65535)",
			    colon + 1);
			return -1;
		}
	}
	h->host = xstrndup(text, n);
	for (i = 0; i < n; i++)
		h->host[i] = (char)tolower((unsigned char)h->host[i]);
	h->port = (int)v;
	return 0;
}

void
dp_entry_clear(struct dp_entry *e)
{
	free(e->domain);
	free(e->route.host);
	free(e->fallback.host);
	memset(e, 0, sizeof(*e));
}

/* hop_text - "host", "host:port" or "-" for h into buf. */
static const char *
hop_text(const struct dp_hop *h, char *buf, size_t size)
{
	if (h->host == NULL)
		snprintf(buf, size, "-");
	else if (h->port == 0)
		snprintf(buf, size, "%s", h->host);
	else
		snprintf(buf, size, "%s:%d", h->host, h->port);
	return buf;
}

int
dp_entry_format(const struct dp_entry *e, char *buf, size_t size)
{
	char r[272], f[272];
	int n;

	n = snprintf(buf, size, "%s\t%s\t%s\t%s\n", e->domain,
	    dp_level_str(e->level), hop_text(&e->route, r, sizeof(r)),
	    hop_text(&e->fallback, f, sizeof(f)));
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* field_hop - a ROUTE/FALLBACK field: "-" or HOST[:PORT]. */
static int
field_hop(
    const char *what, const char *f, struct dp_hop *h, char *err, size_t errsz)
{
	char why[300];

	if (strcmp(f, "-") == 0)
		return 0;
	if (dp_hop_parse(f, h, why, sizeof(why)) == -1) {
		snprintf(err, errsz, "%s: %s", what, why);
		return -1;
	}
	return 0;
}

int
dp_entry_parse(const char *line, struct dp_entry *e, char *err, size_t errsz)
{
	char buf[1024], *f[5], *p, *tab;
	struct dp_hop d;
	size_t n = strlen(line), nf = 0;
	int lv;

	memset(e, 0, sizeof(*e));
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (n == 0 || line[0] == '#')
		return 0;
	if (n >= sizeof(buf)) {
		snprintf(err, errsz, "line too long");
		return -1;
	}
	memcpy(buf, line, n);
	buf[n] = '\0';
	for (p = buf; nf < 5; p = tab + 1) {
		f[nf++] = p;
		if ((tab = strchr(p, '\t')) == NULL)
			break;
		*tab = '\0';
	}
	if (nf != 4) {
		snprintf(err, errsz,
		    "want 4 tab-separated fields (DOMAIN LEVEL ROUTE "
		    "FALLBACK), got %zu",
		    nf);
		return -1;
	}
	if (dp_hop_parse(f[0], &d, err, errsz) == -1 || d.port != 0) {
		if (d.host != NULL)
			snprintf(err, errsz, "domain '%s' has a port", f[0]);
		free(d.host);
		return -1;
	}
	e->domain = d.host;
	if ((lv = dp_level_from_str(f[1])) < 0) {
		char l[128];

		snprintf(err, errsz, "bad level '%s' (want %s or -)", f[1],
		    dp_level_list(l, sizeof(l)));
		dp_entry_clear(e);
		return -1;
	}
	e->level = (enum dp_level)lv;
	if (field_hop("route", f[2], &e->route, err, errsz) == -1 ||
	    field_hop("fallback", f[3], &e->fallback, err, errsz) == -1) {
		dp_entry_clear(e);
		return -1;
	}
	return 1;
}

int
dp_file_lookup(const char *path, const char *domain, struct dp_entry *e,
    char *err, size_t errsz)
{
	struct dp_hop want;
	char line[1100], why[300];
	FILE *fp;
	int lno = 0, rc = 0, r;

	memset(e, 0, sizeof(*e));
	if (dp_hop_parse(domain, &want, why, sizeof(why)) == -1) {
		snprintf(err, errsz, "%s: domain '%s': %s", path, domain, why);
		return -1;
	}
	if ((fp = fopen(path, "re")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		free(want.host);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errsz, "%s:%d: line too long", path, lno);
			rc = -1;
			break;
		}
		r = dp_entry_parse(line, e, why, sizeof(why));
		if (r == -1) {
			snprintf(err, errsz, "%s:%d: %s", path, lno, why);
			rc = -1;
			break;
		}
		if (r == 1 && strcmp(e->domain, want.host) == 0) {
			rc = 1;
			break;
		}
		dp_entry_clear(e);
	}
	if (rc != 1)
		dp_entry_clear(e);
	fclose(fp);
	free(want.host);
	return rc;
}
