/*
 * scn_mx.c - the scenario parser's mx blocks: the directive table of an
 * mx block, one function a line, and the phases (attempts=,
 * connections=) its lines write to (see scn.c).
 */
#include "scn_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vocab.h"
#include "xmalloc.h"

/* ---- phases of an mx block ------------------------------------- */

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

/* ---- mx ------------------------------------------------------------ */

/* do_mx - mx LABEL: open an mx block. */
void
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
const struct mx_directive *
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
void
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
