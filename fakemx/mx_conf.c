/*
 * mx_conf.c - read fakemx.json (docs/internals.md) with jansson and check
 * every field, so a bad configuration stops fakemx at start-up with one
 * clear message instead of misbehaving during a run.
 */
#include "mx_conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "mtasts.h"
#include "xmalloc.h"

/* Where a message goes while parsing. */
struct pctx {
	const char *name;
	char *err;
	size_t errlen;
	int failed;
};

/* perr - record the first error as "name: where: what". */
static void __attribute__((format(printf, 3, 4)))
perr(struct pctx *p, const char *where, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (p->failed)
		return;
	p->failed = 1;
	n = (size_t)snprintf(p->err, p->errlen, "%s: %s: ", p->name, where);
	if (n >= p->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
}

int
mx_tls_version_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "1.0") == 0)
		return 10;
	if (strcmp(s, "1.1") == 0)
		return 11;
	if (strcmp(s, "1.2") == 0)
		return 12;
	if (strcmp(s, "1.3") == 0)
		return 13;
	return -1;
}

/* get_str - optional string member key of o into *dst (NULL if absent or
 * null); -1 on a wrong type. */
static int
get_str(
    struct pctx *p, const char *where, json_t *o, const char *key, char **dst)
{
	json_t *v = json_object_get(o, key);

	*dst = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		perr(p, where, "\"%s\" must be a string", key);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		perr(p, where, "\"%s\" contains a NUL byte", key);
		return -1;
	}
	*dst = xstrdup(json_string_value(v));
	return 0;
}

/* get_bool - optional boolean member (default def). */
static int
get_bool(struct pctx *p, const char *where, json_t *o, const char *key, int def,
    int *dst)
{
	json_t *v = json_object_get(o, key);

	*dst = def;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		perr(p, where, "\"%s\" must be true or false", key);
		return -1;
	}
	*dst = json_is_true(v);
	return 0;
}

/* get_strlist - optional array of strings. */
static int
get_strlist(struct pctx *p, const char *where, json_t *o, const char *key,
    char ***dst, size_t *n)
{
	json_t *v = json_object_get(o, key), *e;
	size_t i;

	*dst = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		perr(p, where, "\"%s\" must be an array of file names", key);
		return -1;
	}
	*dst = xcalloc(json_array_size(v) + 1, sizeof(char *));
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e)) {
			perr(p, where, "\"%s\"[%zu] must be a string", key, i);
			return -1;
		}
		(*dst)[(*n)++] = xstrdup(json_string_value(e));
	}
	return 0;
}

/*
 * ehlo_keywords_parse - "ehlo_keywords": {"before_tls": [...],
 * "after_tls": [...]}: the EHLO lines of each half of the session
 * (lib/mxspec.h), each checked as the scenario parser checks it.
 */
static int
ehlo_keywords_parse(
    struct pctx *p, const char *where, json_t *o, struct mx_behave *b)
{
	json_t *v = json_object_get(o, "ehlo_keywords"), *a, *e;
	const char *key, *why;
	size_t i;
	int ph;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		perr(p, where, "\"ehlo_keywords\" must be an object");
		return -1;
	}
	json_object_foreach(v, key, a)
	{
		for (ph = 0; ph < MXS_PHASE__COUNT; ph++)
			if (strcmp(key, mxs_tls_phase_json(ph)) == 0)
				break;
		if (ph == MXS_PHASE__COUNT) {
			perr(p, where,
			    "\"ehlo_keywords\" has \"%s\"; want \"%s\" or "
			    "\"%s\"",
			    key, mxs_tls_phase_json(MXS_PHASE_BEFORE_TLS),
			    mxs_tls_phase_json(MXS_PHASE_AFTER_TLS));
			return -1;
		}
		if (!json_is_array(a) || json_array_size(a) > MXS_EHLO_KW_MAX) {
			perr(p, where,
			    "\"ehlo_keywords\".\"%s\" must be an array of at "
			    "most %d strings",
			    key, MXS_EHLO_KW_MAX);
			return -1;
		}
		b->kw_set[ph] = 1;
		b->kw[ph] = xcalloc(json_array_size(a) + 1, sizeof(char *));
		json_array_foreach(a, i, e)
		{
			if (!json_is_string(e) ||
			    !mxs_ehlo_keyword_ok(json_string_value(e), &why)) {
				perr(p, where,
				    "\"ehlo_keywords\".\"%s\"[%zu]: %s", key, i,
				    json_is_string(e) ? why : "not a string");
				return -1;
			}
			b->kw[ph][b->nkw[ph]++] = xstrdup(json_string_value(e));
		}
	}
	return 0;
}

/* certspec_parse - cert, key, chain of object o. */
static int
certspec_parse(
    struct pctx *p, const char *where, json_t *o, struct mx_certspec *cs)
{
	if (get_str(p, where, o, "cert", &cs->cert) < 0 ||
	    get_str(p, where, o, "key", &cs->key) < 0 ||
	    get_strlist(p, where, o, "chain", &cs->chain, &cs->nchain) < 0)
		return -1;
	if (cs->cert == NULL && (cs->key != NULL || cs->nchain > 0)) {
		perr(p, where, "\"key\" or \"chain\" given without \"cert\"");
		return -1;
	}
	return 0;
}

/* certspec_free - release a certspec's strings. */
static void
certspec_free(struct mx_certspec *cs)
{
	size_t i;

	free(cs->cert);
	free(cs->key);
	for (i = 0; i < cs->nchain; i++)
		free(cs->chain[i]);
	free(cs->chain);
}

/* replies_parse - "replies": { stage: {code,text} | {drop:true} }. */
static int
replies_parse(struct pctx *p, const char *where, json_t *o, struct mx_behave *b)
{
	json_t *v = json_object_get(o, "replies"), *r, *c, *t, *d;
	const char *key;
	enum mxs_stage st;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		perr(p, where, "\"replies\" must be an object");
		return -1;
	}
	json_object_foreach(v, key, r)
	{
		st = mxs_stage_from_str(key);
		if (st == MXS_STAGE_NONE) {
			perr(p, where, "\"replies\": unknown stage \"%s\" (%s)",
			    key, mxs_stage_list());
			return -1;
		}
		if (!json_is_object(r)) {
			perr(p, where, "\"replies\".%s must be an object", key);
			return -1;
		}
		d = json_object_get(r, "drop");
		c = json_object_get(r, "code");
		t = json_object_get(r, "text");
		b->reply[st].set = 1;
		if (d != NULL && json_is_true(d)) {
			b->reply[st].drop = 1;
			continue;
		}
		if (d != NULL && !json_is_boolean(d)) {
			perr(p, where, "\"replies\".%s.drop must be a boolean",
			    key);
			return -1;
		}
		if (!json_is_integer(c) || json_integer_value(c) < 200 ||
		    json_integer_value(c) > 599) {
			perr(p, where,
			    "\"replies\".%s needs \"code\" 200..599 "
			    "or \"drop\": true",
			    key);
			return -1;
		}
		b->reply[st].code = (int)json_integer_value(c);
		if (t != NULL && !json_is_null(t)) {
			const char *s = json_string_value(t);
			size_t i;

			if (s == NULL || strlen(s) > 500) {
				perr(p, where,
				    "\"replies\".%s.text must be a "
				    "string of at most 500 characters",
				    key);
				return -1;
			}
			for (i = 0; s[i] != '\0'; i++)
				if ((unsigned char)s[i] < 0x20) {
					perr(p, where,
					    "\"replies\".%s.text "
					    "contains a control character",
					    key);
					return -1;
				}
			b->reply[st].text = xstrdup(s);
		}
	}
	return 0;
}

/* delays_parse - "delays": { stage: ms }. */
static int
delays_parse(struct pctx *p, const char *where, json_t *o, struct mx_behave *b)
{
	json_t *v = json_object_get(o, "delays"), *d;
	const char *key;
	enum mxs_stage st;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		perr(p, where, "\"delays\" must be an object");
		return -1;
	}
	json_object_foreach(v, key, d)
	{
		st = mxs_stage_from_str(key);
		if (st == MXS_STAGE_NONE) {
			perr(p, where, "\"delays\": unknown stage \"%s\" (%s)",
			    key, mxs_stage_list());
			return -1;
		}
		if (!json_is_integer(d) || json_integer_value(d) < 0 ||
		    json_integer_value(d) > 3600 * 1000) {
			perr(p, where, "\"delays\".%s must be 0..3600000 ms",
			    key);
			return -1;
		}
		b->delay_ms[st] = (long)json_integer_value(d);
	}
	return 0;
}

/* flags_parse - the yes/no behaviours of lib/mxspec.h, by JSON key. */
static int
flags_parse(struct pctx *p, const char *where, json_t *o, struct mx_behave *b)
{
	int f;

	for (f = 0; f < MXS_FLAG__COUNT; f++)
		if (get_bool(p, where, o, mxs_flag_json(f), 0, &b->flag[f]) < 0)
			return -1;
	return 0;
}

/* Keys a listener may have besides the behaviours of mxspec.h; others
 * are warned about (forward compatibility with newer harnesses), not
 * refused. */
static const char *const listener_keys[] = {
    "address",
    "port",
    "scenario",
    "host",
    "hostname",
    "cert",
    "key",
    "chain",
    "sni",
    "esmtp",
    "starttls",
    "replies",
    "delays",
    "hold_tls_replies",
    "inject",
    "ehlo_keywords",
    "tls_min",
    "tls_max",
    "ciphers",
    "ciphersuites",
    "implicit_tls",
    "max_size",
    "phases",
    "https",
    NULL,
};

/*
 * phase_parse - one element of "phases": its "when", and over a copy of
 * the listener's behaviour only the keys it has.
 */
static int
phase_parse(struct pctx *p, const char *where, json_t *o,
    const struct mx_listener *l, struct mx_phase *ph)
{
	struct mx_behave *b = &ph->behave;
	const char *key;
	char err[200];
	json_t *v, *r;
	enum mxs_stage st;
	int k, f;

	mx_behave_copy(b, &l->behave);
	if (!json_is_object(o)) {
		perr(p, where, "must be an object");
		return -1;
	}
	/* a stage the phase replies at forgets the listener's override */
	v = json_object_get(o, "replies");
	if (json_is_object(v))
		json_object_foreach(v, key, r)
		{
			st = mxs_stage_from_str(key);
			if (st == MXS_STAGE_NONE)
				continue;
			free(b->reply[st].text);
			memset(&b->reply[st], 0, sizeof(b->reply[st]));
		}
	if (scn_when_from_json(
	        json_object_get(o, "when"), &ph->when, err, sizeof(err)) < 0) {
		perr(p, where, "%s", err);
		return -1;
	}
	if (certspec_parse(p, where, o, &ph->cs) < 0)
		return -1;
	if (ph->when.unit == SCN_WHEN_ALWAYS) {
		perr(p, where,
		    "needs a \"when\" counting attempts or "
		    "connections");
		return -1;
	}
	for (f = 0; f < MXS_FLAG__COUNT; f++)
		if (get_bool(p, where, o, mxs_flag_json(f), b->flag[f],
		        &b->flag[f]) < 0)
			return -1;
	if (get_bool(p, where, o, "esmtp", b->esmtp, &b->esmtp) < 0 ||
	    replies_parse(p, where, o, b) < 0 ||
	    delays_parse(p, where, o, b) < 0)
		return -1;
	v = json_object_get(o, "starttls");
	if (v != NULL) {
		if (!json_is_string(v) ||
		    (k = mxs_starttls_from_str(json_string_value(v))) < 0) {
			perr(p, where,
			    "\"starttls\" must be \"offer\", \"strip\" or "
			    "\"mangle\"");
			return -1;
		}
		b->starttls = (enum mxs_starttls)k;
	}
	v = json_object_get(o, "hold_tls_replies");
	if (v != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 3600 * 1000) {
			perr(p, where,
			    "\"hold_tls_replies\" must be 0..3600000 ms");
			return -1;
		}
		b->hold_tls_ms = (long)json_integer_value(v);
	}
	v = json_object_get(o, "inject");
	if (v != NULL) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 65536) {
			perr(p, where,
			    "\"inject\" must be a string of 1..65536 bytes");
			return -1;
		}
		free(b->inject);
		b->inject = xmalloc(json_string_length(v) + 1);
		memcpy(
		    b->inject, json_string_value(v), json_string_length(v) + 1);
		b->injectlen = json_string_length(v);
	}
	return 0;
}

/* phases_parse - the listener's optional "phases" array. */
static int
phases_parse(
    struct pctx *p, const char *where, json_t *a, struct mx_listener *l)
{
	char w2[96];
	size_t i;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		perr(p, where, "\"phases\" must be an array");
		return -1;
	}
	l->phases = xcalloc(json_array_size(a) + 1, sizeof(*l->phases));
	for (i = 0; i < json_array_size(a); i++) {
		snprintf(w2, sizeof(w2), "%s.phases[%zu]", where, i);
		l->nphases++;
		if (phase_parse(p, w2, json_array_get(a, i), l, &l->phases[i]) <
		    0)
			return -1;
	}
	return 0;
}

/* listener_parse - one element of "listeners". */
static int
listener_parse(struct pctx *p, size_t idx, json_t *o, struct mx_listener *l)
{
	char where[64], *hostname = NULL, *stls = NULL, *inject = NULL;
	json_t *v, *e;
	const char *key;
	size_t i;
	int k, rc = -1;

	snprintf(where, sizeof(where), "listeners[%zu]", idx);
	if (!json_is_object(o)) {
		perr(p, where, "must be an object");
		return -1;
	}
	json_object_foreach(o, key, v)
	{
		for (k = 0; listener_keys[k] != NULL; k++)
			if (strcmp(listener_keys[k], key) == 0)
				break;
		if (listener_keys[k] == NULL && mxs_flag_by_json(key) < 0)
			log_warnx("%s: %s: unknown key \"%s\" ignored", p->name,
			    where, key);
	}
	if (get_str(p, where, o, "hostname", &hostname) < 0)
		return -1;
	mx_behave_init(&l->behave, hostname);
	free(hostname);

	if (get_str(p, where, o, "address", &l->address) < 0 ||
	    get_str(p, where, o, "scenario", &l->scenario) < 0 ||
	    get_str(p, where, o, "host", &l->host) < 0 ||
	    certspec_parse(p, where, o, &l->cs) < 0 ||
	    get_str(p, where, o, "tls_min", &l->tls_min) < 0 ||
	    get_str(p, where, o, "tls_max", &l->tls_max) < 0 ||
	    get_str(p, where, o, "ciphers", &l->ciphers) < 0 ||
	    get_str(p, where, o, "ciphersuites", &l->ciphersuites) < 0 ||
	    get_str(p, where, o, "starttls", &stls) < 0 ||
	    get_bool(p, where, o, "esmtp", 1, &l->behave.esmtp) < 0 ||
	    flags_parse(p, where, o, &l->behave) < 0 ||
	    get_bool(p, where, o, "implicit_tls", 0, &l->behave.implicit_tls) <
	        0 ||
	    replies_parse(p, where, o, &l->behave) < 0 ||
	    delays_parse(p, where, o, &l->behave) < 0 ||
	    ehlo_keywords_parse(p, where, o, &l->behave) < 0)
		goto out;
	if (l->address == NULL) {
		perr(p, where, "\"address\" is required");
		goto out;
	}
	v = json_object_get(o, "port");
	l->port = 25;
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 65535) {
			perr(p, where, "\"port\" must be 1..65535");
			goto out;
		}
		l->port = (int)json_integer_value(v);
	}
	v = json_object_get(o, "hold_tls_replies");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 3600 * 1000) {
			perr(p, where,
			    "\"hold_tls_replies\" must be 0..3600000 ms");
			goto out;
		}
		l->behave.hold_tls_ms = (long)json_integer_value(v);
	}
	v = json_object_get(o, "max_size");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 1024LL * 1024 * 1024) {
			perr(p, where, "\"max_size\" must be 1..1073741824");
			goto out;
		}
		l->behave.max_size = (size_t)json_integer_value(v);
	}
	if (stls != NULL) {
		k = mxs_starttls_from_str(stls);
		if (k < 0) {
			perr(p, where,
			    "\"starttls\" must be one of %s, not \"%s\"",
			    mxs_starttls_list(), stls);
			goto out;
		}
		l->behave.starttls = (enum mxs_starttls)k;
	}
	v = json_object_get(o, "inject");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > 65536) {
			perr(p, where,
			    "\"inject\" must be a string of 1..65536 "
			    "bytes");
			goto out;
		}
		inject = xmalloc(json_string_length(v) + 1);
		memcpy(inject, json_string_value(v), json_string_length(v) + 1);
		l->behave.inject = inject;
		l->behave.injectlen = json_string_length(v);
	}
	v = json_object_get(o, "https");
	if (v != NULL && !json_is_null(v)) {
		json_t *pv = json_object_get(v, "policy");

		if (!json_is_object(v) || !json_is_string(pv) ||
		    json_string_length(pv) == 0 ||
		    json_string_length(pv) > MTASTS_BODY_MAX ||
		    strlen(json_string_value(pv)) != json_string_length(pv)) {
			perr(p, where,
			    "\"https\" must be {\"policy\": TEXT} with 1..%d "
			    "bytes of text",
			    MTASTS_BODY_MAX);
			goto out;
		}
		l->https_policy = xstrdup(json_string_value(pv));
	}
	if ((l->tls_min != NULL && mx_tls_version_parse(l->tls_min) < 0) ||
	    (l->tls_max != NULL && mx_tls_version_parse(l->tls_max) < 0)) {
		perr(p, where,
		    "\"tls_min\"/\"tls_max\" must be \"1.0\", "
		    "\"1.1\", \"1.2\" or \"1.3\"");
		goto out;
	}
	if (l->tls_min != NULL && l->tls_max != NULL &&
	    mx_tls_version_parse(l->tls_min) >
	        mx_tls_version_parse(l->tls_max)) {
		perr(p, where, "\"tls_min\" is above \"tls_max\"");
		goto out;
	}
	v = json_object_get(o, "sni");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v)) {
			perr(p, where, "\"sni\" must be an array");
			goto out;
		}
		l->sni = xcalloc(json_array_size(v) + 1, sizeof(*l->sni));
		json_array_foreach(v, i, e)
		{
			char w2[96];

			snprintf(w2, sizeof(w2), "%s.sni[%zu]", where, i);
			if (!json_is_object(e)) {
				perr(p, w2, "must be an object");
				goto out;
			}
			l->nsni++;
			if (get_str(p, w2, e, "name", &l->sni[i].name) < 0 ||
			    certspec_parse(p, w2, e, &l->sni[i].cs) < 0)
				goto out;
			if (l->sni[i].name == NULL ||
			    l->sni[i].cs.cert == NULL) {
				perr(p, w2, "needs \"name\" and \"cert\"");
				goto out;
			}
		}
	}
	if (phases_parse(p, where, json_object_get(o, "phases"), l) < 0)
		goto out;
	rc = 0;
out:
	free(stls);
	return rc;
}

/* listener_free - release one listener. */
static void
listener_free(struct mx_listener *l)
{
	size_t i;

	free(l->address);
	free(l->scenario);
	free(l->host);
	free(l->https_policy);
	certspec_free(&l->cs);
	for (i = 0; i < l->nsni; i++) {
		free(l->sni[i].name);
		certspec_free(&l->sni[i].cs);
	}
	free(l->sni);
	free(l->tls_min);
	free(l->tls_max);
	free(l->ciphers);
	free(l->ciphersuites);
	mx_behave_free(&l->behave);
	for (i = 0; i < l->nphases; i++) {
		mx_behave_free(&l->phases[i].behave);
		certspec_free(&l->phases[i].cs);
	}
	free(l->phases);
}

/* conf_from_json - build the configuration from the parsed document. */
static struct mx_conf *
conf_from_json(struct pctx *p, json_t *root)
{
	struct mx_conf *conf;
	json_t *ls, *e;
	size_t i;

	if (!json_is_object(root)) {
		perr(p, "top level", "must be an object");
		return NULL;
	}
	conf = xcalloc(1, sizeof(*conf));
	if (get_str(p, "top level", root, "log", &conf->log) < 0 ||
	    get_str(p, "top level", root, "keylog", &conf->keylog) < 0 ||
	    get_str(p, "top level", root, "maildir", &conf->maildir) < 0 ||
	    get_str(p, "top level", root, "attempts", &conf->attempts) < 0)
		goto fail;
	ls = json_object_get(root, "listeners");
	if (!json_is_array(ls) || json_array_size(ls) == 0) {
		perr(p, "top level", "\"listeners\" must be a non-empty array");
		goto fail;
	}
	conf->listeners =
	    xcalloc(json_array_size(ls), sizeof(*conf->listeners));
	json_array_foreach(ls, i, e)
	{
		conf->nlisteners++;
		if (listener_parse(p, i, e, &conf->listeners[i]) < 0)
			goto fail;
	}
	return conf;
fail:
	mx_conf_free(conf);
	return NULL;
}

struct mx_conf *
mx_conf_parse(const char *text, const char *name, char *err, size_t errlen)
{
	struct pctx p = {name, err, errlen, 0};
	struct mx_conf *conf;
	json_error_t je;
	json_t *root;

	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, errlen, "%s:%d: %s", name, je.line, je.text);
		return NULL;
	}
	conf = conf_from_json(&p, root);
	json_decref(root);
	return conf;
}

struct mx_conf *
mx_conf_load(const char *path, char *err, size_t errlen)
{
	struct pctx p = {path, err, errlen, 0};
	struct mx_conf *conf;
	json_error_t je;
	json_t *root;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		if (je.line > 0)
			snprintf(
			    err, errlen, "%s:%d: %s", path, je.line, je.text);
		else
			snprintf(err, errlen, "%s", je.text);
		return NULL;
	}
	conf = conf_from_json(&p, root);
	json_decref(root);
	return conf;
}

void
mx_conf_free(struct mx_conf *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	free(conf->log);
	free(conf->keylog);
	free(conf->maildir);
	free(conf->attempts);
	for (i = 0; i < conf->nlisteners; i++)
		listener_free(&conf->listeners[i]);
	free(conf->listeners);
	free(conf);
}
