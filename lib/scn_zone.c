/*
 * scn_zone.c - the scenario parser's DNS: zone blocks (their options
 * tables, their lines kept as text for the world builder) and dnsbreak
 * lines with their attribute table (see scn.c).
 */
#include "scn_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vocab.h"
#include "xmalloc.h"

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
void
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
void
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
void
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
