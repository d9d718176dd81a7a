/*
 * scn_model.c - the scenario model's enum names (severity, outcome, SUT
 * status) and freeing a parsed scenario (see scn.h).
 */
#include "scn_int.h"

#include <stdlib.h>

#include "vocab.h"
#include "xmalloc.h"

/* ---- enum names ---------------------------------------------------- */

const char *const sev_names[SCN_SEV__COUNT] = {"security", "interop", "info"};
static const char *const outcome_names[SCN_OUT__COUNT] = {"delivered-tls",
    "delivered-plaintext", "deferred", "bounced", "not-attempted", "unknown"};

const char *
scn_severity_str(enum scn_severity s)
{
	return (unsigned)s < SCN_SEV__COUNT ? sev_names[s] : "?";
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
    "unknown", "delivered", "deferred", "bounced", "frozen"};

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

int
scn_messages(const struct scn *s)
{
	return s->messages > 0 ? s->messages : 1;
}

int
scn_expect_message(const struct scn_expect *e)
{
	return e->message > 0 ? e->message : 1;
}

/* ---- freeing ------------------------------------------------------- */

/* free_strv - free n strings and the array. */
void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* mx_release - free what one mx host holds (not the struct). */
void
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
	free(s->route);
	free(s->fallback_relay);
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
	free(s->sts.cert);
	free_strv(s->sts.mx, s->sts.nmx);
	free(s->mxs);
	for (i = 0; i < s->nexpects; i++) {
		free(s->expects[i].host);
		free(s->expects[i].name);
		free(s->expects[i].qtype);
		free(s->expects[i].name2);
		free(s->expects[i].qtype2);
		free_strv(s->expects[i].req, s->expects[i].nreq);
		free(s->expects[i].because);
		free(s->expects[i].text);
	}
	free(s->expects);
	free(s);
}
