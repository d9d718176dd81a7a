/*
 * scn_top.c - the scenario parser's header lines (format, id, title,
 * requirements, severity, tags, recipient, window, attempts, messages,
 * policy, route, fallback-relay, mta-sts) and cert lines with their
 * attribute table (see scn.c).
 */
#include "scn_int.h"

#include <stdlib.h>
#include <string.h>

#include "smtp.h"
#include "vocab.h"
#include "xmalloc.h"

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
void
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
void
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
void
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
void
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
void
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
void
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

/*
 * hdr_recipient - recipient LOCAL@DOMAIN (variables allowed); DOMAIN may
 * be an address literal, "[${ADDR(mx1)}]" (RFC 5321 §4.1.3), so the
 * message goes to that address with no DNS lookup (RFC 7672 §2.2: DANE
 * does not apply).
 */
void
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
	    !(valid_dname(at + 1, 0) || smtp_addr_literal(at + 1, NULL, 0)) ||
	    strpbrk(e, "<> \t\"") != NULL) {
		perr(p, 0,
		    "bad recipient '%s' (want local@domain or "
		    "local@[address])",
		    p->w[1].s);
		free(e);
		return;
	}
	free(e);
	p->s->recipient = xstrdup(p->w[1].s);
}

/* hdr_window - window SECONDS. */
void
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
void
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

/*
 * hdr_messages - messages N: the messages the scenario sends, message k
 * when delivery attempt k opens (at most SCN_MESSAGES_MAX; lint checks
 * N against the attempts header).
 */
void
hdr_messages(struct parser *p)
{
	long v;

	if (header_once(p, &p->l_messages, "messages") == -1)
		return;
	if (p->nw != 2 ||
	    parse_long(p->w[1].s, 1, SCN_MESSAGES_MAX, &v) == -1) {
		perr(p, 0, "bad messages '%s' (want 1..%d)",
		    p->nw > 1 ? p->raw + p->w[1].off : "", SCN_MESSAGES_MAX);
		return;
	}
	p->s->messages = (int)v;
	p->s->messages_line = p->line;
}

/* hdr_policy - policy LEVEL: the SUT's TLS policy for the destination. */
void
hdr_policy(struct parser *p)
{
	char lbuf[128];
	int v;

	if (header_once(p, &p->l_policy, "policy") == -1)
		return;
	if (p->nw != 2 || (v = dp_level_from_str(p->w[1].s)) <= 0) {
		perr(p, 0, "bad policy '%s' (want %s)",
		    p->nw > 1 ? p->raw + p->w[1].off : "",
		    dp_level_list(lbuf, sizeof(lbuf)));
		return;
	}
	p->s->policy = (enum dp_level)v;
	p->s->policy_line = p->line;
}

/*
 * hop_line - route / fallback-relay HOST[:PORT]: one word whose host,
 * once expanded, is a domain name (lint checks that a zone of the
 * scenario serves it). Returns the word (new string) or NULL (reported).
 */
static char *
hop_line(struct parser *p, const char *what)
{
	struct dp_hop h;
	char err[320], *e;

	if (p->nw != 2) {
		perr(p, 0, "'%s' takes one HOST[:PORT]", what);
		return NULL;
	}
	if ((e = expand_ph(p, p->w[1].s, 0)) == NULL)
		return NULL;
	if (dp_hop_parse(e, &h, err, sizeof(err)) == -1) {
		perr(p, 0, "%s '%s': %s", what, p->w[1].s, err);
		free(e);
		return NULL;
	}
	free(e);
	free(h.host);
	return xstrdup(p->w[1].s);
}

/* hdr_route - route HOST[:PORT]: the SUT's next hop for the domain. */
void
hdr_route(struct parser *p)
{
	if (header_once(p, &p->l_route, "route") == -1)
		return;
	if ((p->s->route = hop_line(p, "route")) != NULL)
		p->s->route_line = p->line;
}

/* hdr_fallback - fallback-relay HOST[:PORT]: used when every host fails. */
void
hdr_fallback(struct parser *p)
{
	if (header_once(p, &p->l_fallback, "fallback-relay") == -1)
		return;
	if ((p->s->fallback_relay = hop_line(p, "fallback-relay")) != NULL)
		p->s->fallback_line = p->line;
}

/* ---- mta-sts ------------------------------------------------------- */

/* sts_mx_list - the mx= value: names split at commas, each a label or a
 * domain name pattern ("*." allowed). 0, or -1 (reported). */
static int
sts_mx_list(struct parser *p, struct scn_mtasts *t, const char *v)
{
	char *copy = xstrdup(v), *save = NULL, *n;
	int rc = 0;

	for (n = strtok_r(copy, ",", &save); n != NULL && rc == 0;
	     n = strtok_r(NULL, ",", &save)) {
		if (strchr(n, '.') == NULL ? !valid_label(n)
		                           : check_name(p, n, "mx pattern", 1))
			rc = -1;
		else {
			t->mx = grow(t->mx, t->nmx, sizeof(*t->mx));
			t->mx[t->nmx++] = xstrdup(n);
		}
	}
	if (rc == 0 && t->nmx == 0)
		rc = -1;
	if (rc != 0)
		perr(p, 0,
		    "bad mx= '%s' (want labels or names, comma-separated)", v);
	free(copy);
	return rc;
}

/* hdr_mtasts - mta-sts MODE cert=LABEL mx=NAME[,...] [max-age=SECONDS] */
void
hdr_mtasts(struct parser *p)
{
	struct scn_mtasts *t = &p->s->sts;
	char lbuf[64], k[32];
	const char *v;
	int j, m;

	if (header_once(p, &p->l_mtasts, "mta-sts") == -1)
		return;
	if (p->nw < 2 || p->w[1].eq >= 0 ||
	    (m = mtasts_mode_from_str(p->w[1].s)) < 0) {
		perr(p, 0, "bad mta-sts mode '%s' (want %s)",
		    p->nw > 1 ? p->w[1].s : "",
		    mtasts_mode_list(lbuf, sizeof(lbuf)));
		return;
	}
	t->mode = (enum mtasts_mode)m;
	t->max_age = 86400;
	for (j = 2; j < p->nw; j++) {
		const struct word *w = &p->w[j];

		if (w->eq < 0) {
			perr(p, 0, "bad mta-sts attribute '%s'", w->s);
			return;
		}
		attr_key(w, k, sizeof(k));
		v = w->s + w->eq + 1;
		if (strcmp(k, "cert") == 0 && t->cert == NULL && valid_label(v))
			t->cert = xstrdup(v);
		else if (strcmp(k, "mx") == 0 && t->nmx == 0) {
			if (sts_mx_list(p, t, v) != 0)
				return;
		} else if (strcmp(k, "max-age") == 0 &&
		           parse_long(v, 0, MTASTS_MAX_AGE_MAX, &t->max_age) ==
		               0)
			continue;
		else {
			perr(p, 0,
			    "bad mta-sts attribute '%s' (want cert=LABEL, "
			    "mx=NAME[,NAME...], max-age=SECONDS, each once)",
			    w->s);
			return;
		}
	}
	if (t->cert == NULL || (t->nmx == 0 && t->mode != MTASTS_NONE)) {
		perr(p, 0, "mta-sts needs cert=LABEL and mx=NAME[,NAME...]");
		return;
	}
	t->line = p->line;
}

/* sts_zone_add - append zone line text to z as if written on line. */
static void
sts_zone_add(struct scn_zone *z, const char *text, int line)
{
	z->rr_lines = grow(z->rr_lines, z->nrr, sizeof(*z->rr_lines));
	z->rr_line_no = grow(z->rr_line_no, z->nrr, sizeof(*z->rr_line_no));
	z->rr_when = grow(z->rr_when, z->nrr, sizeof(*z->rr_when));
	z->rr_lines[z->nrr] = xstrdup(text);
	memset(&z->rr_when[z->nrr], 0, sizeof(z->rr_when[z->nrr]));
	z->rr_line_no[z->nrr++] = line;
}

/*
 * mtasts_finish - at the end of the file: the mta-sts header's policy
 * host (an mx with https set) and its records in the zone ${DOMAIN}
 * (RFC 8461 §3.1: "_mta-sts" TXT; §3.3: the host "mta-sts").
 */
void
mtasts_finish(struct parser *p)
{
	struct scn *s = p->s;
	struct scn_zone *z = NULL;
	struct scn_mx m;
	size_t i;
	char *e;

	if (s->sts.line == 0)
		return;
	for (i = 0; i < s->nzones && z == NULL; i++) {
		e = expand_ph(p, s->zones[i].name, s->zones[i].line);
		if (e != NULL &&
		    (strcmp(e, "id.test") == 0 || strcmp(e, "id.test.") == 0))
			z = &s->zones[i];
		free(e);
	}
	if (z == NULL) {
		perr(p, s->sts.line,
		    "mta-sts needs a 'zone ${DOMAIN}' block for its records");
		return;
	}
	for (i = 0; i < s->nmxs; i++)
		if (strcmp(s->mxs[i].name, SCN_MTASTS_HOST) == 0) {
			perr(p, s->mxs[i].line,
			    "mx label '" SCN_MTASTS_HOST "' is the mta-sts "
			    "policy host's (line %d)",
			    s->sts.line);
			return;
		}
	if (s->nmxs == SCN_ITEMS_MAX) {
		perr(p, s->sts.line, "too many mx hosts (at most %d)",
		    SCN_ITEMS_MAX);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.name = xstrdup(SCN_MTASTS_HOST);
	m.line = s->sts.line;
	m.esmtp = 1;
	m.starttls = MXS_STLS_OFFER;
	m.port = 443;
	m.cert = xstrdup(s->sts.cert);
	m.https = 1;
	s->mxs = grow(s->mxs, s->nmxs, sizeof(*s->mxs));
	s->mxs[s->nmxs++] = m;
	sts_zone_add(z, "_mta-sts TXT \"v=STSv1; id=${UNIXNOW}\"", s->sts.line);
	sts_zone_add(
	    z, SCN_MTASTS_HOST " A ${ADDR(" SCN_MTASTS_HOST ")}", s->sts.line);
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

/* do_cert - cert LABEL [ca [trusted]] [issuer=] [key=] [key-of=] [cn=] ... */
void
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
		else if (strcmp(w->s, "trusted") == 0 && !cx.c.trusted)
			cx.c.trusted = 1;
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
	if (!bad && c.trusted && (!c.is_ca || c.issuer != NULL)) {
		perr(p, 0,
		    "'trusted' needs a self-signed 'ca' certificate (a root "
		    "the SUT is given as a trust anchor)");
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
