/*
 * mx_behave.c - the behaviour table of fakemx: default replies of an
 * honest ESMTP server (RFC 5321 §4.2, §4.3.2; enhanced status codes of
 * RFC 3463) and the listener's overrides, delays and STARTTLS
 * advertisement (RFC 3207 §4, §5; RFC 1870 SIZE; RFC 6152 8BITMIME;
 * RFC 2920 PIPELINING; RFC 3207 §4.2, EHLO lines per half of the
 * session).
 */
#include "mx_behave.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

/* One row: the reply, its stage (for overrides and delays), defaults. */
struct reply_row {
	const char *name;
	enum mxs_stage stage;
	int code;
	const char *text; /* "%s" (at most one) is the hostname */
};

static const struct reply_row reply_table[MX_R__COUNT] = {
    [MX_R_BANNER] = {"banner", MXS_STAGE_BANNER, 220,
        "%s ESMTP danesim fakemx"},
    [MX_R_EHLO] = {"ehlo", MXS_STAGE_EHLO, 250, "%s"},
    [MX_R_HELO] = {"helo", MXS_STAGE_EHLO, 250, "%s"},
    [MX_R_STARTTLS] = {"starttls", MXS_STAGE_STARTTLS, 220,
        "2.0.0 Ready to start TLS"},
    [MX_R_MAIL] = {"mail", MXS_STAGE_MAIL, 250, "2.1.0 Ok"},
    [MX_R_RCPT] = {"rcpt", MXS_STAGE_RCPT, 250, "2.1.5 Ok"},
    [MX_R_DATA] = {"data", MXS_STAGE_DATA, 354,
        "End data with <CR><LF>.<CR><LF>"},
    [MX_R_DOT] = {"dot", MXS_STAGE_DOT, 250, "2.0.0 Ok: queued"},
    [MX_R_RSET] = {"rset", MXS_STAGE_NONE, 250, "2.0.0 Ok"},
    [MX_R_NOOP] = {"noop", MXS_STAGE_NONE, 250, "2.0.0 Ok"},
    [MX_R_VRFY] = {"vrfy", MXS_STAGE_NONE, 252, "2.0.0 Cannot VRFY user"},
    [MX_R_QUIT] = {"quit", MXS_STAGE_NONE, 221, "2.0.0 Bye"},
    [MX_R_UNKNOWN] = {"unknown", MXS_STAGE_NONE, 500,
        "5.5.2 Error: command not recognized"},
    [MX_R_TOOLONG] = {"toolong", MXS_STAGE_NONE, 500,
        "5.5.2 Error: line too long"},
    [MX_R_SYNTAX] = {"syntax", MXS_STAGE_NONE, 501,
        "5.5.4 Syntax error in parameters or arguments"},
    [MX_R_NOTIMPL] = {"notimpl", MXS_STAGE_NONE, 502,
        "5.5.1 Error: command not implemented"},
    [MX_R_BADSEQ] = {"badseq", MXS_STAGE_NONE, 503,
        "5.5.1 Error: bad sequence of commands"},
    [MX_R_TLSACTIVE] = {"tlsactive", MXS_STAGE_NONE, 503,
        "5.5.1 Error: TLS already active"},
    [MX_R_NOSTARTTLS] = {"nostarttls", MXS_STAGE_STARTTLS, 502,
        "5.5.1 Error: command not implemented"},
    [MX_R_TOOMANY] = {"toomany", MXS_STAGE_NONE, 452,
        "4.5.3 Error: too many recipients"},
    [MX_R_TOOBIG] = {"toobig", MXS_STAGE_NONE, 552,
        "5.3.4 Message size exceeds fixed limit"},
    [MX_R_STOREFAIL] = {"storefail", MXS_STAGE_NONE, 451,
        "4.3.0 Error: local error storing the message"},
    [MX_R_TIMEOUT] = {"timeout", MXS_STAGE_NONE, 421,
        "4.4.2 %s Error: timeout exceeded"},
};

const char *
mx_reply_str(enum mx_reply r)
{
	if ((int)r < 0 || r >= MX_R__COUNT)
		return "invalid";
	return reply_table[r].name;
}

void
mx_behave_init(struct mx_behave *b, const char *hostname)
{
	memset(b, 0, sizeof(*b));
	b->hostname = xstrdup(hostname != NULL ? hostname : "fakemx.test");
	b->esmtp = 1;
	b->starttls = MXS_STLS_OFFER;
	b->max_size = 10 * 1024 * 1024;
}

void
mx_behave_copy(struct mx_behave *dst, const struct mx_behave *src)
{
	int i;

	*dst = *src;
	dst->hostname = xstrdup(src->hostname);
	if (src->inject != NULL) {
		dst->inject = xmalloc(src->injectlen + 1);
		memcpy(dst->inject, src->inject, src->injectlen + 1);
	}
	for (i = 0; i < MXS_STAGE__COUNT; i++)
		if (src->reply[i].text != NULL)
			dst->reply[i].text = xstrdup(src->reply[i].text);
	for (i = 0; i < MXS_PHASE__COUNT; i++) {
		size_t k;

		dst->kw[i] = NULL;
		if (src->nkw[i] == 0)
			continue;
		dst->kw[i] = xcalloc(src->nkw[i], sizeof(char *));
		for (k = 0; k < src->nkw[i]; k++)
			dst->kw[i][k] = xstrdup(src->kw[i][k]);
	}
}

void
mx_behave_free(struct mx_behave *b)
{
	int i;

	free(b->hostname);
	free(b->inject);
	for (i = 0; i < MXS_STAGE__COUNT; i++)
		free(b->reply[i].text);
	for (i = 0; i < MXS_PHASE__COUNT; i++) {
		size_t k;

		for (k = 0; k < b->nkw[i]; k++)
			free(b->kw[i][k]);
		free(b->kw[i]);
	}
	memset(b, 0, sizeof(*b));
}

/* fill_text - expand a default text (one optional %s = hostname). */
static void
fill_text(char *dst, size_t n, const char *tmpl, const char *hostname)
{
	const char *p = strstr(tmpl, "%s");

	if (p == NULL)
		snprintf(dst, n, "%s", tmpl);
	else
		snprintf(
		    dst, n, "%.*s%s%s", (int)(p - tmpl), tmpl, hostname, p + 2);
}

void
mx_behave_answer(
    const struct mx_behave *b, enum mx_reply r, int tls, struct mx_answer *a)
{
	const struct reply_row *row;
	const struct mx_override *o = NULL;

	memset(a, 0, sizeof(*a));
	if ((int)r < 0 || r >= MX_R__COUNT)
		r = MX_R_UNKNOWN;
	/* The stage comes from what the client asked for; the listener's
	 * switches may then change the default answer. */
	a->stage = reply_table[r].stage;
	if (r == MX_R_EHLO && !b->esmtp)
		r = MX_R_NOTIMPL;
	else if (r == MX_R_STARTTLS && b->starttls != MXS_STLS_OFFER)
		r = MX_R_NOSTARTTLS;
	row = &reply_table[r];
	a->code = row->code;
	fill_text(a->text, sizeof(a->text), row->text, b->hostname);

	if (a->stage != MXS_STAGE_NONE) {
		o = &b->reply[a->stage];
		a->delay_ms = b->delay_ms[a->stage];
	}
	if (tls && b->hold_tls_ms > a->delay_ms)
		a->delay_ms = b->hold_tls_ms;
	if (o != NULL && o->set) {
		a->overridden = 1;
		if (o->drop) {
			a->drop = 1;
			a->code = 0;
			a->text[0] = '\0';
			return;
		}
		a->code = o->code;
		if (o->text != NULL)
			snprintf(a->text, sizeof(a->text), "%s", o->text);
		else if (a->code / 100 != row->code / 100)
			snprintf(a->text, sizeof(a->text), "danesim %s reply",
			    mxs_stage_str(a->stage));
	}
}

size_t
mx_behave_ehlo_keywords(const struct mx_behave *b, int tls, const char **kw,
    size_t max, char *sizebuf, size_t sizelen)
{
	int ph = tls ? MXS_PHASE_AFTER_TLS : MXS_PHASE_BEFORE_TLS;
	size_t n = 0, i;

	if (b->kw_set[ph]) {
		for (i = 0; i < b->nkw[ph] && n < max; i++)
			kw[n++] = b->kw[ph][i];
	} else {
		snprintf(sizebuf, sizelen, "SIZE %zu", b->max_size);
		if (n < max)
			kw[n++] = "PIPELINING";
		if (n < max)
			kw[n++] = sizebuf;
		if (n < max)
			kw[n++] = "8BITMIME";
		if (n < max)
			kw[n++] = "ENHANCEDSTATUSCODES";
	}
	if (!tls || b->flag[MXS_FLAG_EHLO_AFTER_TLS_STARTTLS]) {
		if (b->starttls == MXS_STLS_OFFER && n < max)
			kw[n++] = "STARTTLS";
		else if (b->starttls == MXS_STLS_MANGLE && n < max)
			kw[n++] = "STARTTLX";
	}
	return n;
}

size_t
mx_behave_max_size(const struct mx_behave *b, int tls)
{
	int ph = tls ? MXS_PHASE_AFTER_TLS : MXS_PHASE_BEFORE_TLS;
	unsigned long long v;
	size_t i;
	char *end;

	for (i = 0; b->kw_set[ph] && i < b->nkw[ph]; i++) {
		const char *k = b->kw[ph][i];

		if (strncasecmp(k, "SIZE ", 5) != 0)
			continue;
		v = strtoull(k + 5, &end, 10);
		/* SIZE 0 (RFC 1870 §4) or a bad number: no fixed limit */
		if (*end == '\0' && v > 0 && v < (1ULL << 40))
			return (size_t)v;
	}
	return b->max_size;
}
