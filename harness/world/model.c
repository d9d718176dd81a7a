/*
 * model.c - the world of a run as the later stages see it (see model.h):
 * read back from world.json, a scenario's addresses and variables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "certgen.h"
#include "harness/world/model.h"
#include "log.h"
#include "xmalloc.h"

const char *
world_domain(const struct scn *s)
{
	static char buf[300];

	snprintf(buf, sizeof(buf), "%s.test.", s->id != NULL ? s->id : "");
	return buf;
}

int
world_safe_label(const char *label)
{
	size_t i;

	if (label == NULL || label[0] == '\0' || strlen(label) > 64)
		return 0;
	for (i = 0; label[i] != '\0'; i++)
		if (!((label[i] >= 'a' && label[i] <= 'z') ||
		        (label[i] >= 'A' && label[i] <= 'Z') ||
		        (label[i] >= '0' && label[i] <= '9') ||
		        label[i] == '-' || label[i] == '_'))
			return 0;
	return 1;
}

/* find_mx - the world's MX label of scenario s, or NULL. */
static const struct world_mx *
find_mx(const struct world *w, const struct scn *s, const char *label)
{
	size_t i;

	if (w == NULL || s == NULL || label == NULL)
		return NULL;
	for (i = 0; i < w->nmxs; i++)
		if ((w->mxs[i].scn == s ||
		        strcmp(w->mxs[i].scn->id, s->id) == 0) &&
		    strcmp(w->mxs[i].mx->name, label) == 0)
			return &w->mxs[i];
	return NULL;
}

const char *
world_mx_addr(const struct world *w, const struct scn *s, const char *label)
{
	const struct world_mx *m = find_mx(w, s, label);

	return m != NULL ? m->addr : NULL;
}

const char *
world_mx_addr6(const struct world *w, const struct scn *s, const char *label)
{
	const struct world_mx *m = find_mx(w, s, label);

	return m != NULL ? m->addr6 : NULL;
}

/* cb_addr6 - scn_vars.addr6: the world IPv6 address of an MX label. */
static const char *
cb_addr6(void *ctx, const char *host)
{
	struct world_xctx *x = ctx;

	return world_mx_addr6(x->w, x->s, host);
}

/* cb_addr - scn_vars.addr: the world address of an MX label. */
static const char *
cb_addr(void *ctx, const char *host)
{
	struct world_xctx *x = ctx;

	return world_mx_addr(x->w, x->s, host);
}

/* cb_tlsa - scn_vars.tlsa: TLSA data of a certificate of the scenario. */
static int
cb_tlsa(void *ctx, const char *cert, int usage, int selector, int mtype,
    char *out, size_t outsz)
{
	struct world_xctx *x = ctx;
	struct certgen_item *it;
	char *path;
	X509 *c;
	int rc;

	if (x->certs != NULL) {
		it = certgen_set_find(x->certs, cert);
		if (it == NULL || it->cert == NULL) {
			snprintf(out, outsz, "no certificate '%s'", cert);
			return -1;
		}
		return certgen_tlsa(
		    it->cert, usage, selector, mtype, out, outsz);
	}
	if (!world_safe_label(cert) || !world_safe_label(x->s->id)) {
		snprintf(out, outsz, "bad certificate label '%s'", cert);
		return -1;
	}
	path = xasprintf("%s/certs/%s/%s.crt.pem", x->w->dir, x->s->id, cert);
	c = certgen_read_cert(path);
	free(path);
	if (c == NULL) {
		snprintf(out, outsz, "no certificate '%s'", cert);
		return -1;
	}
	rc = certgen_tlsa(c, usage, selector, mtype, out, outsz);
	X509_free(c);
	return rc;
}

void
world_vars_init(
    struct scn_vars *v, struct world_xctx *x, char *dom, size_t domsz)
{
	snprintf(dom, domsz, "%s.test", x->s->id);
	memset(v, 0, sizeof(*v));
	v->id = x->s->id;
	v->domain = dom;
	v->now = x->w->now;
	v->addr = cb_addr;
	v->addr6 = cb_addr6;
	v->tlsa = cb_tlsa;
	v->ctx = x;
}

char *
world_expand(const struct world *w, const struct scn *s, const char *text)
{
	struct world_xctx x = {w, s, NULL};
	struct scn_vars v;
	char dom[300], err[256];
	char *r;

	world_vars_init(&v, &x, dom, sizeof(dom));
	err[0] = '\0';
	r = scn_expand(text, &v, err, sizeof(err));
	if (r == NULL)
		log_warnx("%s: %s", s->file != NULL ? s->file : s->id, err);
	return r;
}

struct world *
world_new_paths(const struct scn_suite *suite, const char *run_dir, time_t now)
{
	struct world *w = xcalloc(1, sizeof(*w));

	w->suite = suite;
	w->now = now;
	w->run_dir = xstrdup(run_dir);
	w->dir = xasprintf("%s/world", run_dir);
	w->trust_anchor = xasprintf("%s/trust-anchor.ds", w->dir);
	w->root_key = xasprintf("%s/root.key", w->dir);
	w->root_hints = xasprintf("%s/root.hints", w->dir);
	w->trusted_cas = xasprintf("%s/" WORLD_TRUSTED_CAS, w->dir);
	w->fakedns_conf = xasprintf("%s/fakedns.json", w->dir);
	w->fakemx_conf = xasprintf("%s/fakemx.json", w->dir);
	w->sut_policy = xasprintf("%s/sut-policy.tsv", w->dir);
	return w;
}

/* jget_str - string member of o, or NULL. */
static const char *
jget_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* rel_ok - 1 if p is a relative path that stays inside its folder. */
static int
rel_ok(const char *p)
{
	return p != NULL && p[0] != '/' && strstr(p, "..") == NULL;
}

/* load_zones - the "zones" array of world.json into w. 0/-1 (logged). */
static int
load_zones(struct world *w, json_t *arr, const char *path)
{
	const struct scn *s;
	json_t *o;
	const char *name, *addr, *file, *sid;
	size_t i, k;

	w->zones = xcalloc(json_array_size(arr) + 1, sizeof(*w->zones));
	json_array_foreach(arr, i, o)
	{
		name = jget_str(o, "name");
		addr = jget_str(o, "address");
		file = jget_str(o, "file");
		sid = jget_str(o, "scenario");
		if (name == NULL || addr == NULL || !rel_ok(file)) {
			log_warnx(
			    "%s: zone %zu: bad name, address or file", path, i);
			return -1;
		}
		s = NULL;
		if (sid != NULL) {
			for (k = 0; k < w->suite->n; k++)
				if (strcmp(w->suite->items[k]->id, sid) == 0)
					s = w->suite->items[k];
			if (s == NULL)
				continue; /* a scenario not analysed now */
		}
		w->zones[w->nzones].name = xstrdup(name);
		w->zones[w->nzones].addr = xstrdup(addr);
		w->zones[w->nzones].file = xasprintf("%s/%s", w->dir, file);
		w->zones[w->nzones].is_signed =
		    json_is_true(json_object_get(o, "signed"));
		w->zones[w->nzones].scn = s;
		w->nzones++;
	}
	return 0;
}

/* load_mxs - every MX of the suite's scenarios from "scenarios". */
static int
load_mxs(struct world *w, json_t *arr, const char *path)
{
	const struct scn *s;
	json_t *o, *so, *mo;
	const char *addr, *addr6, *sid, *label;
	size_t i, j, k;

	for (i = 0; i < w->suite->n; i++) {
		s = w->suite->items[i];
		so = NULL;
		json_array_foreach(arr, k, o)
		{
			sid = jget_str(o, "id");
			if (sid != NULL && strcmp(sid, s->id) == 0)
				so = o;
		}
		if (so == NULL) {
			log_warnx("%s: no scenario %s", path, s->id);
			return -1;
		}
		for (j = 0; j < s->nmxs; j++) {
			addr = addr6 = NULL;
			json_array_foreach(json_object_get(so, "mx"), k, mo)
			{
				label = jget_str(mo, "label");
				if (label != NULL &&
				    strcmp(label, s->mxs[j].name) == 0) {
					addr = jget_str(mo, "address");
					addr6 = jget_str(mo, "address6");
				}
			}
			if (addr == NULL) {
				log_warnx("%s: scenario %s: no address for mx "
				          "%s",
				    path, s->id, s->mxs[j].name);
				return -1;
			}
			w->mxs =
			    xreallocarray(w->mxs, w->nmxs + 1, sizeof(*w->mxs));
			w->mxs[w->nmxs].scn = s;
			w->mxs[w->nmxs].mx = &s->mxs[j];
			w->mxs[w->nmxs].addr = xstrdup(addr);
			w->mxs[w->nmxs].addr6 =
			    addr6 != NULL ? xstrdup(addr6) : NULL;
			w->nmxs++;
		}
	}
	return 0;
}

struct world *
world_load(const struct scn_suite *suite, const char *run_dir)
{
	struct world *w = NULL;
	json_error_t jerr;
	json_t *root;
	json_int_t now;
	char *path;

	path = xasprintf("%s/world/world.json", run_dir);
	root = json_load_file(path, 0, &jerr);
	if (root == NULL) {
		log_warnx("%s:%d: %s", path, jerr.line, jerr.text);
		goto out;
	}
	if (!json_is_object(root) ||
	    json_integer_value(json_object_get(root, "version")) != 1 ||
	    !json_is_integer(json_object_get(root, "now")) ||
	    !json_is_array(json_object_get(root, "zones")) ||
	    !json_is_array(json_object_get(root, "scenarios"))) {
		log_warnx("%s: not a version 1 world description", path);
		goto out;
	}
	now = json_integer_value(json_object_get(root, "now"));
	w = world_new_paths(suite, run_dir, (time_t)now);
	if (load_zones(w, json_object_get(root, "zones"), path) != 0 ||
	    load_mxs(w, json_object_get(root, "scenarios"), path) != 0) {
		world_free(w);
		w = NULL;
	}
out:
	json_decref(root);
	free(path);
	return w;
}

void
world_free(struct world *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nzones; i++) {
		free(w->zones[i].name);
		free(w->zones[i].addr);
		free(w->zones[i].file);
	}
	free(w->zones);
	for (i = 0; i < w->nmxs; i++) {
		free(w->mxs[i].addr);
		free(w->mxs[i].addr6);
	}
	free(w->mxs);
	free(w->dir);
	free(w->trust_anchor);
	free(w->root_key);
	free(w->root_hints);
	free(w->trusted_cas);
	free(w->fakedns_conf);
	free(w->fakemx_conf);
	free(w->sut_policy);
	free(w->run_dir);
	free(w);
}
