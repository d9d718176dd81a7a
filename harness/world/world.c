/*
 * world.c - build the per-run world from a suite of scenarios: MX
 * addresses, certificates, the DNS tree from the root down (signed with
 * per-run keys, broken on purpose where a scenario says so), and the
 * configuration of fakedns and fakemx (docs/internals.md).
 *
 * Implements: the delegation chain of RFC 4035 section 2.4 (NS, glue, DS
 * in the parent; RFC 1034 section 4.2.1 glue), zone apex data (SOA, NS,
 * DNSKEY; RFC 4035 section 2.1), the root trust anchor as a DS RR (RFC
 * 4034 section 5, read by Unbound's trust-anchor-file), and the TLSA data
 * of RFC 6698 section 2 / RFC 7672 section 3 through lib/certgen.
 *
 * Zone lines of a scenario are expanded (scn_expand) and parsed by ldns
 * (ldns_rr_new_frm_str); nothing here parses DNS text by hand.
 */
#include "harness/world/world.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <ldns/ldns.h>

#include "buf.h"
#include "certgen.h"
#include "harness/world/dnssign.h"
#include "log.h"
#include "mtasts.h"
#include "xmalloc.h"

#define WORLD_TTL 300
#define WORLD_ROOT_ADDR "127.53.0.1"
#define WORLD_MAX_INDEX (200 * 256) /* 127.X.(i/200).(i%200+1), X < 256 */

/* One zone while the world is being built. */
struct wzone {
	char *name;     /* absolute, lower case, final dot */
	ldns_rdf *apex; /* owned */
	char *addr;     /* name server address */
	char *fname;    /* "zones/<name>.zone" */
	int is_signed;
	int nsec3;
	struct dnssign_nsec3 n3; /* with nsec3: its parameters */
	enum scn_ds ds;
	uint32_t inception, expiration;
	const struct scn *scn;     /* NULL for "." and "test." */
	const struct scn_zone *sz; /* NULL: made by the builder */
	int parent;                /* index of the parent zone, -1 = root */
	struct dnssign_keys keys;  /* when signed */
	ldns_rr_list *rrs;         /* owned; records besides the SOA */
	ldns_rr_list *qrrs;        /* owned; records with attempts= */
	struct scn_when *qwhen;    /* when each of qrrs holds */
	int *vstart; /* first attempt of each version of the zone */
	size_t nv;   /* versions: 1 without qualified records */
};

/* One dnsbreak line, expanded. */
struct wbreak {
	const struct scn *scn;
	const struct scn_dnsbreak *b;
	char *owner;       /* absolute text */
	ldns_rdf *rdf;     /* owned */
	ldns_rr_type type; /* LDNS_RR_TYPE_ANY for "ANY" */
	int hits;          /* RRSIGs changed (signing-time breaks) */
};

/* Everything the builder holds while it works. */
struct builder {
	const struct scn_suite *suite;
	struct world *w;
	struct scn_errors *errs;
	struct wzone *zones;
	size_t nzones;
	struct wbreak *breaks;
	size_t nbreaks;
	struct certgen_set *certs; /* one per scenario of the suite */
};

/* expand_at - expand text of scenario s; error "file:line: ..." to errs. */
static char *
expand_at(struct builder *b, const struct scn *s, int line, const char *text)
{
	struct world_xctx x = {b->w, s, NULL};
	struct scn_vars v;
	char dom[300], err[256];
	char *r;
	size_t i;

	for (i = 0; i < b->suite->n; i++)
		if (b->suite->items[i] == s)
			x.certs = &b->certs[i];
	world_vars_init(&v, &x, dom, sizeof(dom));
	err[0] = '\0';
	r = scn_expand(text, &v, err, sizeof(err));
	if (r == NULL)
		scn_errors_add(b->errs, "%s:%d: %s", s->file, line, err);
	return r;
}

/* index_addr - the address of zone or host number i in 127.X.0.0/16. */
static char *
index_addr(int x, size_t i)
{
	return xasprintf("127.%d.%zu.%zu", x, i / 200, i % 200 + 1);
}

/* index_addr6 - the IPv6 address of MX host number i (WORLD_MX6_PREFIX). */
static char *
index_addr6(size_t i)
{
	return xasprintf(WORLD_MX6_PREFIX "%zx", i + 1);
}

int
world_mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0, saved;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = -1;
	saved = errno;
	free(p);
	errno = saved;
	return rc;
}

/* mkdir_p - world_mkdir_p, the failure logged. */
static int
mkdir_p(const char *path)
{
	if (world_mkdir_p(path) != 0) {
		log_warn("world: cannot create %s", path);
		return -1;
	}
	return 0;
}

/* dname - absolute, lower-case name rdf of text (final dot added). */
static ldns_rdf *
dname(const char *text)
{
	char *abs;
	ldns_rdf *r;
	size_t n = strlen(text);

	if (n == 0)
		return NULL;
	abs = text[n - 1] == '.' ? xstrdup(text) : xasprintf("%s.", text);
	r = ldns_dname_new_frm_str(abs);
	free(abs);
	if (r != NULL)
		ldns_dname2canonical(r);
	return r;
}

/* rdf_text - an rdf as a new string (malloc'ed, caller frees). */
static char *
rdf_text(const ldns_rdf *r)
{
	char *t = ldns_rdf2str(r), *c;

	if (t == NULL)
		panic("world: ldns_rdf2str failed");
	c = xstrdup(t);
	LDNS_FREE(t);
	return c;
}

/* ns_name - the name server of a zone: "ns.<zone>", root's in test. */
static char *
ns_name(const struct wzone *z)
{
	if (strcmp(z->name, ".") == 0)
		return xstrdup("ns.root-servers.test.");
	return xasprintf("ns.%s", z->name);
}

/* file_name - "zones/<name>.zone" with a file-safe name ("root" for "."). */
static char *
file_name(const char *name)
{
	struct buf b;
	size_t i, n = strlen(name);

	buf_init(&b);
	buf_puts(&b, "zones/");
	if (strcmp(name, ".") == 0)
		buf_puts(&b, "root");
	for (i = 0; i < n && !(i == n - 1 && name[i] == '.' && n > 1); i++) {
		char c = name[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || (c == '.' && i > 0 && n > 1))
			buf_putc(&b, c);
		else if (strcmp(name, ".") != 0)
			buf_printf(&b, "%%%02x", (unsigned char)c);
	}
	buf_puts(&b, ".zone");
	return buf_steal(&b);
}

/* add_rr - parse text as an RR and add it to zone z; 0/-1 (logged). */
static int add_rr(struct wzone *z, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int
add_rr(struct wzone *z, const char *fmt, ...)
{
	ldns_rr *rr = NULL;
	ldns_status st;
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		panic("world: out of memory");
	va_end(ap);
	st = ldns_rr_new_frm_str(&rr, text, WORLD_TTL, NULL, NULL);
	if (st != LDNS_STATUS_OK) {
		log_warnx("world: record '%s': %s", text,
		    ldns_get_errorstr_by_id(st));
		free(text);
		return -1;
	}
	free(text);
	ldns_rr_list_push_rr(z->rrs, rr);
	return 0;
}

/* zone_add - a new zone; name is absolute lower-case text (copied). */
static struct wzone *
zone_add(struct builder *b, const char *name, ldns_rdf *apex,
    const struct scn *s, const struct scn_zone *sz)
{
	struct wzone *z;
	time_t now = b->w->now;

	b->zones = xreallocarray(b->zones, b->nzones + 1, sizeof(*b->zones));
	z = &b->zones[b->nzones];
	memset(z, 0, sizeof(*z));
	z->name = xstrdup(name);
	z->apex = apex;
	z->addr = index_addr(53, b->nzones);
	z->fname = file_name(name);
	z->scn = s;
	z->sz = sz;
	z->parent = -1;
	z->is_signed = sz != NULL ? sz->is_signed : 1;
	z->nsec3 = sz != NULL && sz->nsec == SCN_NSEC3;
	if (z->nsec3 && dnssign_nsec3_params(&z->n3, sz->nsec3_optout,
	                    sz->nsec3_iter, sz->nsec3_salt) != 0)
		scn_errors_add(
		    b->errs, "world: bad NSEC3 parameters of %s", name);
	z->ds = sz != NULL ? sz->ds : SCN_DS_GOOD;
	z->inception = (uint32_t)(now + (sz != NULL && sz->inception.set
	                                        ? sz->inception.secs
	                                        : -3600));
	z->expiration = (uint32_t)(now + (sz != NULL && sz->expiration.set
	                                         ? sz->expiration.secs
	                                         : 7 * 86400));
	z->rrs = ldns_rr_list_new();
	z->qrrs = ldns_rr_list_new();
	b->nzones++;
	return z;
}

/* find_zone - index of the zone with apex r, or -1. */
static int
find_zone(const struct builder *b, const ldns_rdf *r)
{
	size_t i;

	for (i = 0; i < b->nzones; i++)
		if (ldns_dname_compare(b->zones[i].apex, r) == 0)
			return (int)i;
	return -1;
}

/* add_mxs - give every MX host of the suite its address. */
static int
add_mxs(struct builder *b)
{
	const struct scn *s;
	size_t i, j, h = 0;

	for (i = 0; i < b->suite->n; i++) {
		s = b->suite->items[i];
		for (j = 0; j < s->nmxs; j++, h++) {
			struct world_mx *m;

			if (h >= WORLD_MAX_INDEX) {
				scn_errors_add(b->errs,
				    "world: more than %d "
				    "MX hosts",
				    WORLD_MAX_INDEX);
				return -1;
			}
			if (!world_safe_label(s->mxs[j].name)) {
				scn_errors_add(b->errs,
				    "%s:%d: mx label '%s' "
				    "may only hold letters, digits, - and _",
				    s->file, s->mxs[j].line, s->mxs[j].name);
				return -1;
			}
			b->w->mxs = xreallocarray(
			    b->w->mxs, b->w->nmxs + 1, sizeof(*b->w->mxs));
			m = &b->w->mxs[b->w->nmxs++];
			m->scn = s;
			m->mx = &s->mxs[j];
			m->addr = index_addr(25, h);
			m->addr6 = scn_mx_has_addr6(s, s->mxs[j].name)
			               ? index_addr6(h)
			               : NULL;
		}
	}
	return 0;
}

/*
 * write_trusted_cas - the world's CA bundle (WORLD_TRUSTED_CAS): the
 * certificate of every "cert LABEL ca trusted" line of every scenario
 * whose certificates were made, in suite order; an empty file when there
 * is none. 0, or -1 (reported).
 */
static int
write_trusted_cas(struct builder *b)
{
	const struct scn *s;
	const struct certgen_item *it;
	X509 **certs = NULL;
	size_t i, j, n = 0;
	int rc;

	for (i = 0; i < b->suite->n; i++) {
		s = b->suite->items[i];
		for (j = 0; j < s->ncerts; j++) {
			if (!s->certs[j].trusted)
				continue;
			it = certgen_set_find(&b->certs[i], s->certs[j].name);
			if (it == NULL || it->cert == NULL)
				continue; /* its scenario failed: reported */
			certs = xreallocarray(certs, n + 1, sizeof(*certs));
			certs[n++] = it->cert;
		}
	}
	rc = certgen_write_certs(b->w->trusted_cas, certs, n);
	free(certs);
	if (rc != 0)
		scn_errors_add(
		    b->errs, "world: cannot write %s", b->w->trusted_cas);
	return rc;
}

/* add_certs - make and write every scenario's certificates. */
static int
add_certs(struct builder *b)
{
	const struct scn *s;
	struct world_xctx x;
	struct scn_vars v;
	char dom[300], *dir;
	size_t i, j;
	int rc = 0, bad;

	b->certs = xcalloc(b->suite->n ? b->suite->n : 1, sizeof(*b->certs));
	for (i = 0; i < b->suite->n; i++) {
		s = b->suite->items[i];
		if (!world_safe_label(s->id)) {
			scn_errors_add(b->errs, "%s:1: bad scenario id '%s'",
			    s->file, s->id != NULL ? s->id : "");
			rc = -1;
			continue;
		}
		bad = 0;
		for (j = 0; j < s->ncerts; j++)
			if (!world_safe_label(s->certs[j].name)) {
				scn_errors_add(b->errs,
				    "%s:%d: cert label "
				    "'%s' may only hold letters, digits, - "
				    "and _",
				    s->file, s->certs[j].line,
				    s->certs[j].name);
				bad = 1;
			}
		if (bad) {
			rc = -1;
			continue;
		}
		x.w = b->w;
		x.s = s;
		x.certs = NULL; /* no ${TLSA} inside certificates */
		world_vars_init(&v, &x, dom, sizeof(dom));
		v.tlsa = NULL;
		if (certgen_set_build(&b->certs[i], s, &v, b->errs) != 0) {
			rc = -1;
			continue;
		}
		dir = xasprintf("%s/certs/%s", b->w->dir, s->id);
		if (mkdir_p(dir) != 0 ||
		    certgen_set_write(&b->certs[i], dir) != 0) {
			scn_errors_add(b->errs,
			    "world: cannot write the "
			    "certificates of %s to %s",
			    s->id, dir);
			rc = -1;
		}
		free(dir);
	}
	if (write_trusted_cas(b) != 0)
		rc = -1;
	return rc;
}

/* reserved_name - 1 for root-servers.test. and names below it. */
static int
reserved_name(const ldns_rdf *r)
{
	ldns_rdf *rs = ldns_dname_new_frm_str("root-servers.test.");
	int res;

	res = rs != NULL && (ldns_dname_compare(r, rs) == 0 ||
	                        ldns_dname_is_subdomain(r, rs));
	ldns_rdf_deep_free(rs);
	return res;
}

/* add_zones - the root, test. and every scenario zone, with addresses. */
static int
add_zones(struct builder *b)
{
	const struct scn *s;
	const struct scn_zone *sz;
	ldns_rdf *test, *dom, *r;
	char *text, *name;
	size_t i, j;
	int rc = 0, have_dom;

	zone_add(b, ".", ldns_dname_new_frm_str("."), NULL, NULL);
	test = ldns_dname_new_frm_str("test.");
	zone_add(b, "test.", ldns_rdf_clone(test), NULL, NULL);
	for (i = 0; i < b->suite->n; i++) {
		s = b->suite->items[i];
		dom = dname(world_domain(s));
		if (dom == NULL) {
			scn_errors_add(b->errs,
			    "%s:1: bad scenario domain "
			    "%s",
			    s->file, world_domain(s));
			rc = -1;
			continue;
		}
		if (reserved_name(dom)) {
			scn_errors_add(b->errs,
			    "%s:1: scenario id %s is reserved: "
			    "root-servers.test. names the root's server",
			    s->file, s->id);
			ldns_rdf_deep_free(dom);
			rc = -1;
			continue;
		}
		have_dom = 0;
		for (j = 0; j < s->nzones; j++) {
			r = NULL;
			text =
			    expand_at(b, s, s->zones[j].line, s->zones[j].name);
			if (text != NULL)
				r = dname(text);
			free(text);
			if (r != NULL && ldns_dname_compare(r, dom) == 0)
				have_dom = 1;
			ldns_rdf_deep_free(r);
		}
		if (!have_dom) {
			/* the scenario's own domain always exists, signed */
			name = rdf_text(dom);
			zone_add(b, name, ldns_rdf_clone(dom), s, NULL);
			free(name);
		}
		for (j = 0; j < s->nzones; j++) {
			sz = &s->zones[j];
			text = expand_at(b, s, sz->line, sz->name);
			if (text == NULL) {
				rc = -1;
				continue;
			}
			r = dname(text);
			if (r == NULL) {
				scn_errors_add(b->errs,
				    "%s:%d: bad zone name "
				    "'%s'",
				    s->file, sz->line, text);
				free(text);
				rc = -1;
				continue;
			}
			free(text);
			name = rdf_text(r);
			if (!ldns_dname_is_subdomain(r, test)) {
				scn_errors_add(b->errs,
				    "%s:%d: zone %s is not "
				    "below test.",
				    s->file, sz->line, name);
				rc = -1;
			} else if (reserved_name(r)) {
				scn_errors_add(b->errs,
				    "%s:%d: zone %s is reserved for the "
				    "root's name server",
				    s->file, sz->line, name);
				rc = -1;
			} else if (find_zone(b, r) >= 0) {
				scn_errors_add(b->errs,
				    "%s:%d: zone %s is "
				    "defined twice",
				    s->file, sz->line, name);
				rc = -1;
			} else {
				zone_add(b, name, r, s, sz);
				r = NULL;
			}
			ldns_rdf_deep_free(r);
			free(name);
		}
		ldns_rdf_deep_free(dom);
	}
	ldns_rdf_deep_free(test);
	if (b->nzones > WORLD_MAX_INDEX) {
		scn_errors_add(
		    b->errs, "world: more than %d zones", WORLD_MAX_INDEX);
		rc = -1;
	}
	return rc;
}

/* find_parents - each zone's closest enclosing zone. */
static void
find_parents(struct builder *b)
{
	size_t i, j;
	int best;

	for (i = 1; i < b->nzones; i++) {
		best = 0;
		for (j = 1; j < b->nzones; j++)
			if (j != i &&
			    ldns_dname_is_subdomain(
			        b->zones[i].apex, b->zones[j].apex) &&
			    ldns_dname_label_count(b->zones[j].apex) >
			        ldns_dname_label_count(b->zones[best].apex))
				best = (int)j;
		b->zones[i].parent = best;
	}
}

/* apex_records - NS and name-server address records of every zone. */
static int
apex_records(struct builder *b)
{
	struct wzone *z;
	char *ns;
	size_t i;
	int rc = 0;

	for (i = 0; i < b->nzones; i++) {
		z = &b->zones[i];
		ns = ns_name(z);
		if (add_rr(z, "%s %d IN NS %s", z->name, WORLD_TTL, ns) != 0)
			rc = -1;
		if (i == 0) {
			/* root's server lives in test.: glue here */
			if (add_rr(z, "%s %d IN A %s", ns, WORLD_TTL,
			        z->addr) != 0)
				rc = -1;
		} else if (add_rr(z, "%s %d IN A %s", ns, WORLD_TTL, z->addr) !=
		           0) {
			rc = -1;
		}
		if (i == 1 && add_rr(z, "ns.root-servers.test. %d IN A %s",
		                  WORLD_TTL, WORLD_ROOT_ADDR) != 0)
			rc = -1;
		free(ns);
		if (z->is_signed && dnssign_keys_new(&z->keys, z->name) != 0) {
			scn_errors_add(b->errs,
			    "world: cannot make the keys "
			    "of %s",
			    z->name);
			rc = -1;
		}
	}
	return rc;
}

/* delegations - NS, glue and DS of every zone in its parent. */
static int
delegations(struct builder *b)
{
	struct wzone *z, *p;
	ldns_rr *ds;
	char *ns;
	size_t i;
	int rc = 0;

	for (i = 1; i < b->nzones; i++) {
		z = &b->zones[i];
		p = &b->zones[z->parent];
		ns = ns_name(z);
		if (add_rr(p, "%s %d IN NS %s", z->name, WORLD_TTL, ns) != 0 ||
		    add_rr(p, "%s %d IN A %s", ns, WORLD_TTL, z->addr) != 0)
			rc = -1;
		free(ns);
		if (!z->is_signed || z->ds == SCN_DS_NONE)
			continue;
		ds = z->ds == SCN_DS_WRONG ? dnssign_wrong_ds(z->name)
		                           : dnssign_ds(&z->keys);
		if (ds == NULL) {
			scn_errors_add(b->errs,
			    "world: cannot make the DS of "
			    "%s",
			    z->name);
			rc = -1;
			continue;
		}
		ldns_rr_list_push_rr(p->rrs, ds);
	}
	return rc;
}

/* apex_only_type - 1 for types the builder makes at a zone apex. */
static int
apex_only_type(ldns_rr_type t)
{
	return t == LDNS_RR_TYPE_SOA || t == LDNS_RR_TYPE_NS ||
	       t == LDNS_RR_TYPE_DNSKEY || t == LDNS_RR_TYPE_NSEC3PARAM;
}

/* is_ns_addr - 1 if rr is an address record of the zone's name server. */
static int
is_ns_addr(const struct wzone *z, const ldns_rr *rr)
{
	ldns_rdf *ns;
	char *name;
	int r;

	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_A &&
	    ldns_rr_get_type(rr) != LDNS_RR_TYPE_AAAA)
		return 0;
	name = ns_name(z);
	ns = dname(name);
	free(name);
	r = ns != NULL && ldns_dname_compare(ns, ldns_rr_owner(rr)) == 0;
	ldns_rdf_deep_free(ns);
	return r;
}

/* scenario_records - the zone lines of every scenario zone. */
static int
scenario_records(struct builder *b)
{
	const struct scn_zone *sz;
	struct wzone *z;
	ldns_rdf *prev;
	ldns_rr *rr;
	ldns_status st;
	char *text;
	const char *p;
	size_t i, j;
	int rc = 0, line;

	for (i = 0; i < b->nzones; i++) {
		z = &b->zones[i];
		sz = z->sz;
		if (sz == NULL)
			continue;
		prev = NULL;
		for (j = 0; j < sz->nrr; j++) {
			line = sz->rr_line_no != NULL ? sz->rr_line_no[j]
			                              : sz->line;
			text = expand_at(b, z->scn, line, sz->rr_lines[j]);
			if (text == NULL) {
				rc = -1;
				continue;
			}
			for (p = text; *p == ' ' || *p == '\t'; p++)
				;
			if (*p == '\0' || *p == ';') {
				free(text);
				continue;
			}
			rr = NULL;
			st = ldns_rr_new_frm_str(
			    &rr, text, WORLD_TTL, z->apex, &prev);
			free(text);
			if (st != LDNS_STATUS_OK) {
				scn_errors_add(b->errs, "%s:%d: %s",
				    z->scn->file, line,
				    ldns_get_errorstr_by_id(st));
				rc = -1;
				continue;
			}
			ldns_dname2canonical(ldns_rr_owner(rr));
			if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) {
				scn_errors_add(b->errs,
				    "%s:%d: only class IN "
				    "is served",
				    z->scn->file, line);
				rc = -1;
			} else if (ldns_dname_compare(
			               ldns_rr_owner(rr), z->apex) != 0 &&
			           !ldns_dname_is_subdomain(
			               ldns_rr_owner(rr), z->apex)) {
				scn_errors_add(b->errs,
				    "%s:%d: owner is "
				    "outside zone %s",
				    z->scn->file, line, z->name);
				rc = -1;
			} else if (apex_only_type(ldns_rr_get_type(rr)) &&
			           (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS ||
			               ldns_dname_compare(
			                   ldns_rr_owner(rr), z->apex) == 0)) {
				scn_errors_add(b->errs,
				    "%s:%d: the world "
				    "builder makes the apex SOA, NS and "
				    "DNSKEY records; do not write them",
				    z->scn->file, line);
				rc = -1;
			} else if (is_ns_addr(z, rr)) {
				scn_errors_add(b->errs,
				    "%s:%d: ns.%s is the "
				    "zone's name server; the world builder "
				    "gives it its address",
				    z->scn->file, line, z->name);
				rc = -1;
			} else if (sz->rr_when[j].unit != SCN_WHEN_ALWAYS) {
				z->qwhen = xreallocarray(z->qwhen,
				    ldns_rr_list_rr_count(z->qrrs) + 1,
				    sizeof(*z->qwhen));
				z->qwhen[ldns_rr_list_rr_count(z->qrrs)] =
				    sz->rr_when[j];
				ldns_rr_list_push_rr(z->qrrs, rr);
				rr = NULL;
			} else {
				ldns_rr_list_push_rr(z->rrs, rr);
				rr = NULL;
			}
			ldns_rr_free(rr);
		}
		ldns_rdf_deep_free(prev);
	}
	return rc;
}

/* add_breaks - expand every dnsbreak of the suite. */
static int
add_breaks(struct builder *b)
{
	const struct scn *s;
	const struct scn_dnsbreak *d;
	struct wbreak *w;
	char *text;
	ldns_rdf *r;
	ldns_rr_type t;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < b->suite->n; i++) {
		s = b->suite->items[i];
		for (j = 0; j < s->nbreaks; j++) {
			d = &s->breaks[j];
			text = expand_at(b, s, d->line, d->owner);
			if (text == NULL) {
				rc = -1;
				continue;
			}
			r = dname(text);
			free(text);
			if (r == NULL) {
				scn_errors_add(b->errs,
				    "%s:%d: bad dnsbreak "
				    "owner",
				    s->file, d->line);
				rc = -1;
				continue;
			}
			if (d->type != NULL && strcasecmp(d->type, "ANY") == 0)
				t = LDNS_RR_TYPE_ANY;
			else
				t = d->type != NULL
				        ? ldns_get_rr_type_by_name(d->type)
				        : 0;
			if (t == 0) {
				scn_errors_add(b->errs,
				    "%s:%d: unknown RR "
				    "type '%s'",
				    s->file, d->line,
				    d->type != NULL ? d->type : "");
				ldns_rdf_deep_free(r);
				rc = -1;
				continue;
			}
			b->breaks = xreallocarray(
			    b->breaks, b->nbreaks + 1, sizeof(*b->breaks));
			w = &b->breaks[b->nbreaks++];
			memset(w, 0, sizeof(*w));
			w->scn = s;
			w->b = d;
			w->rdf = r;
			w->owner = rdf_text(r);
			w->type = t;
		}
	}
	return rc;
}

/* owner_in_zone - 1 if r is the apex of z or below it. */
static int
owner_in_zone(const struct wzone *z, const ldns_rdf *r)
{
	return ldns_dname_compare(r, z->apex) == 0 ||
	       ldns_dname_is_subdomain(r, z->apex);
}

/*
 * zone_versions - the attempts at which z's records change: 1, and the
 * first attempt of each qualifier and the one after its last. Version k
 * holds from vstart[k] to vstart[k + 1] - 1 (the last one: onwards).
 */
static void
zone_versions(struct wzone *z)
{
	size_t i, j, n = ldns_rr_list_rr_count(z->qrrs);
	int c[2], k, t;

	z->vstart = xcalloc(2 * n + 1, sizeof(*z->vstart));
	z->vstart[0] = 1;
	z->nv = 1;
	for (i = 0; i < n; i++) {
		c[0] = z->qwhen[i].lo;
		c[1] = z->qwhen[i].hi > 0 ? z->qwhen[i].hi + 1 : 0;
		for (k = 0; k < 2; k++) {
			if (c[k] <= 1)
				continue;
			for (j = 0; j < z->nv && z->vstart[j] != c[k]; j++)
				;
			if (j == z->nv)
				z->vstart[z->nv++] = c[k];
		}
	}
	for (i = 1; i < z->nv; i++)
		for (j = i; j > 0 && z->vstart[j - 1] > z->vstart[j]; j--) {
			t = z->vstart[j];
			z->vstart[j] = z->vstart[j - 1];
			z->vstart[j - 1] = t;
		}
}

/* version_when - the attempts version k of z holds in. */
static struct scn_when
version_when(const struct wzone *z, size_t k)
{
	struct scn_when w;

	w.unit = SCN_WHEN_ATTEMPTS;
	w.lo = z->vstart[k];
	w.hi = k + 1 < z->nv ? z->vstart[k + 1] - 1 : 0;
	return w;
}

/*
 * version_file - "zones/<name>.zone" for version 0 (attempt 1, also what
 * the zone is without phases), "zones/<name>.aN.zone" for the version
 * from attempt N. New string.
 */
static char *
version_file(const struct wzone *z, size_t k)
{
	if (k == 0)
		return xstrdup(z->fname);
	return xasprintf("%.*s.a%d.zone",
	    (int)(strlen(z->fname) - strlen(".zone")), z->fname, z->vstart[k]);
}

/* write_zone - print version k of a zone to its zones/ file; 0/-1. */
static int
write_zone(
    struct builder *b, const struct wzone *z, size_t k, const ldns_zone *lz)
{
	char *f = version_file(z, k);
	char *path = xasprintf("%s/%s", b->w->dir, f);
	FILE *fp;
	int rc = 0;

	fp = fopen(path, "we");
	if (fp == NULL) {
		scn_errors_add(b->errs, "world: %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	ldns_zone_print(fp, lz);
	if (ferror(fp))
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0)
		scn_errors_add(b->errs, "world: writing %s failed", path);
	free(path);
	free(f);
	return rc;
}

/*
 * sign_version - make version k of zone z (its records that hold from
 * attempt vstart[k]), sign it, apply the signing-time breaks and write
 * it. Each version is signed on its own with the zone's keys, so every
 * attempt's RRsets carry their own RRSIGs. 0/-1 (errs).
 */
static int
sign_version(struct builder *b, struct wzone *z, size_t k)
{
	ldns_zone *lz, *sz;
	ldns_rr *soa;
	ldns_status st;
	char *ns, *text;
	size_t j;
	int rc = 0, n;

	ns = ns_name(z);
	text = xasprintf("%s %d IN SOA %s hostmaster.%s %u 3600 600 "
	                 "86400 %d",
	    z->name, WORLD_TTL, ns,
	    strcmp(z->name, ".") == 0 ? "root-servers.test." : z->name,
	    (unsigned)b->w->now + (unsigned)z->vstart[k] - 1, WORLD_TTL);
	free(ns);
	soa = NULL;
	st = ldns_rr_new_frm_str(&soa, text, WORLD_TTL, NULL, NULL);
	free(text);
	if (st != LDNS_STATUS_OK) {
		scn_errors_add(b->errs, "world: SOA of %s: %s", z->name,
		    ldns_get_errorstr_by_id(st));
		return -1;
	}
	lz = ldns_zone_new();
	ldns_zone_set_soa(lz, soa);
	for (j = 0; j < ldns_rr_list_rr_count(z->rrs); j++)
		ldns_zone_push_rr(
		    lz, ldns_rr_clone(ldns_rr_list_rr(z->rrs, j)));
	for (j = 0; j < ldns_rr_list_rr_count(z->qrrs); j++)
		if (scn_when_holds(&z->qwhen[j], z->vstart[k], 0))
			ldns_zone_push_rr(
			    lz, ldns_rr_clone(ldns_rr_list_rr(z->qrrs, j)));
	if (!z->is_signed) {
		rc = write_zone(b, z, k, lz);
		ldns_zone_deep_free(lz);
		return rc;
	}
	sz = dnssign_zone(lz, &z->keys, z->nsec3 ? &z->n3 : NULL, z->inception,
	    z->expiration);
	ldns_zone_deep_free(lz);
	if (sz == NULL) {
		scn_errors_add(b->errs, "world: cannot sign %s", z->name);
		return -1;
	}
	for (j = 0; j < b->nbreaks; j++) {
		struct wbreak *w = &b->breaks[j];

		if (!scn_break_at_signing(w->b->what) ||
		    (z->scn != NULL && z->scn != w->scn) ||
		    !owner_in_zone(z, w->rdf))
			continue;
		n = dnssign_break(
		    sz, &z->keys, w->rdf, w->type, w->b->what, b->w->now);
		if (n < 0) {
			scn_errors_add(b->errs, "world: cannot apply %s to %s",
			    scn_break_str(w->b->what), w->owner);
			rc = -1;
		} else {
			w->hits += n;
		}
	}
	if (write_zone(b, z, k, sz) != 0)
		rc = -1;
	ldns_zone_deep_free(sz);
	return rc;
}

/* sign_and_write - make, sign, break and write every zone. */
static int
sign_and_write(struct builder *b)
{
	struct wzone *z;
	char *text, *kp, *zp;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < b->nzones; i++) {
		z = &b->zones[i];
		zone_versions(z);
		for (k = 0; k < z->nv; k++)
			if (sign_version(b, z, k) != 0)
				rc = -1;
		if (!z->is_signed)
			continue;
		/* keys/<name>.{ksk,zsk}.key beside zones/<name>.zone */
		text = xstrndup(z->fname + strlen("zones/"),
		    strlen(z->fname) - strlen("zones/") - strlen(".zone"));
		kp = xasprintf("%s/keys/%s.ksk.key", b->w->dir, text);
		zp = xasprintf("%s/keys/%s.zsk.key", b->w->dir, text);
		free(text);
		if (dnssign_write_keys(&z->keys, kp, zp) != 0) {
			scn_errors_add(b->errs,
			    "world: cannot write the keys "
			    "of %s",
			    z->name);
			rc = -1;
		}
		free(kp);
		free(zp);
	}
	for (k = 0; k < b->nbreaks; k++) {
		struct wbreak *w = &b->breaks[k];

		if (scn_break_at_signing(w->b->what) && w->hits == 0) {
			scn_errors_add(b->errs,
			    "%s:%d: dnsbreak %s: no signed "
			    "%s RRset at %s",
			    w->scn->file, w->b->line, scn_break_str(w->b->what),
			    w->b->type, w->owner);
			rc = -1;
		}
	}
	return rc;
}

/* write_text - write a small text file; 0/-1 (errs). */
static int
write_text(struct builder *b, const char *path, const char *text)
{
	FILE *fp = fopen(path, "we");
	int rc = 0;

	if (fp == NULL) {
		scn_errors_add(b->errs, "world: %s: %s", path, strerror(errno));
		return -1;
	}
	if (fputs(text, fp) == EOF)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0)
		scn_errors_add(b->errs, "world: writing %s failed", path);
	return rc;
}

/* rr_line - an RR in presentation format, one line (malloc'ed). */
static char *
rr_line(const ldns_rr *rr)
{
	char *t = ldns_rr2str(rr), *c;

	if (t == NULL)
		panic("world: ldns_rr2str failed");
	c = xstrdup(t);
	LDNS_FREE(t);
	return c;
}

/* write_anchors - trust-anchor.ds, root.key and root.hints. */
static int
write_anchors(struct builder *b)
{
	struct world *w = b->w;
	ldns_rr *ds;
	char *line, *hints;
	int rc = 0;

	ds = dnssign_ds(&b->zones[0].keys);
	if (ds == NULL) {
		scn_errors_add(b->errs, "world: cannot make the root DS");
		return -1;
	}
	line = rr_line(ds);
	ldns_rr_free(ds);
	if (write_text(b, w->trust_anchor, line) != 0)
		rc = -1;
	free(line);
	line = rr_line(b->zones[0].keys.ksk_rr);
	if (write_text(b, w->root_key, line) != 0)
		rc = -1;
	free(line);
	hints = xasprintf(".\t3600000\tIN\tNS\tns.root-servers.test.\n"
	                  "ns.root-servers.test.\t3600000\tIN\tA\t%s\n",
	    WORLD_ROOT_ADDR);
	if (write_text(b, w->root_hints, hints) != 0)
		rc = -1;
	free(hints);
	return rc;
}

/* jstr_or_null - a JSON string, or null for NULL. */
static json_t *
jstr_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

/* dump_json - write root to path, indented; takes root. 0/-1 (errs). */
static int
dump_json(struct builder *b, json_t *root, const char *path)
{
	int rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS);

	json_decref(root);
	if (rc != 0)
		scn_errors_add(b->errs, "world: writing %s failed", path);
	return rc != 0 ? -1 : 0;
}

/* write_fakedns - fakedns.json: zones, addresses, serving-time faults. */
static int
write_fakedns(struct builder *b)
{
	json_t *root = json_object(), *zones = json_array(),
	       *faults = json_array(), *o;
	char *path;
	size_t i, k;

	path = xasprintf("%s/dns.jsonl", b->w->run_dir);
	json_object_set_new(root, "log", json_string(path));
	free(path);
	path = xasprintf("%s/" WORLD_ATTEMPTS_FILE, b->w->run_dir);
	json_object_set_new(root, "attempts", json_string(path));
	free(path);
	for (i = 0; i < b->nzones; i++) {
		const struct wzone *z = &b->zones[i];

		for (k = 0; k < z->nv; k++) {
			struct scn_when vw = version_when(z, k);
			char *f = version_file(z, k);

			o = json_object();
			json_object_set_new(o, "name", json_string(z->name));
			path = xasprintf("%s/%s", b->w->dir, f);
			json_object_set_new(o, "file", json_string(path));
			free(path);
			free(f);
			json_object_set_new(o, "address", json_string(z->addr));
			json_object_set_new(
			    o, "signed", json_boolean(z->is_signed));
			json_object_set_new(o, "nsec3", json_boolean(z->nsec3));
			json_object_set_new(o, "scenario",
			    jstr_or_null(z->scn != NULL ? z->scn->id : NULL));
			if (z->nv > 1)
				json_object_set_new(
				    o, "when", scn_when_json(&vw));
			json_array_append_new(zones, o);
		}
	}
	for (i = 0; i < b->nbreaks; i++) {
		const struct wbreak *w = &b->breaks[i];

		if (scn_break_at_signing(w->b->what))
			continue;
		o = json_object();
		json_object_set_new(o, "owner", json_string(w->owner));
		if (w->type == LDNS_RR_TYPE_ANY) {
			json_object_set_new(o, "type", json_string("ANY"));
		} else {
			/* the mnemonic as ldns spells it: "tlsa" -> "TLSA" */
			char *t = ldns_rr_type2str(w->type);

			json_object_set_new(
			    o, "type", json_string(t != NULL ? t : w->b->type));
			LDNS_FREE(t);
		}
		json_object_set_new(
		    o, "fault", json_string(scn_break_str(w->b->what)));
		json_object_set_new(o, "ms", json_integer(w->b->arg));
		json_object_set_new(o, "scenario", json_string(w->scn->id));
		if (w->b->when.unit != SCN_WHEN_ALWAYS)
			json_object_set_new(
			    o, "when", scn_when_json(&w->b->when));
		json_array_append_new(faults, o);
	}
	json_object_set_new(root, "zones", zones);
	json_object_set_new(root, "faults", faults);
	return dump_json(b, root, b->w->fakedns_conf);
}

/* cert_paths - set "cert", "key", "chain" of o for item it. */
static void
cert_paths(struct builder *b, json_t *o, const struct scn *s,
    const struct certgen_set *set, const struct certgen_item *it,
    const struct scn_mx *mx)
{
	const struct certgen_item *iss[16];
	json_t *chain = json_array();
	struct certgen_item *c;
	char *p;
	size_t i, n;

	p = xasprintf("%s/certs/%s/%s.crt.pem", b->w->dir, s->id, it->label);
	json_object_set_new(o, "cert", json_string(p));
	free(p);
	p = xasprintf("%s/certs/%s/%s.key.pem", b->w->dir, s->id, it->label);
	json_object_set_new(o, "key", json_string(p));
	free(p);
	if (mx != NULL && mx->chain_set) {
		for (i = 0; i < mx->nchain; i++) {
			c = certgen_set_find(set, mx->chain[i]);
			if (c == NULL) {
				scn_errors_add(b->errs,
				    "%s:%d: chain names "
				    "undeclared cert %s",
				    s->file, mx->line, mx->chain[i]);
				continue;
			}
			p = xasprintf("%s/certs/%s/%s.crt.pem", b->w->dir,
			    s->id, c->label);
			json_array_append_new(chain, json_string(p));
			free(p);
		}
	} else {
		n = certgen_set_issuers(set, it, iss, 16);
		for (i = 0; i < n; i++) {
			p = xasprintf("%s/certs/%s/%s.crt.pem", b->w->dir,
			    s->id, iss[i]->label);
			json_array_append_new(chain, json_string(p));
			free(p);
		}
	}
	json_object_set_new(o, "chain", chain);
}

/* stages_json - the "replies" and "delays" of mx into listener o. */
static void
stages_json(json_t *o, const struct scn_mx *mx)
{
	json_t *rep = json_object(), *del = json_object(), *r;
	int st;

	for (st = 0; st < MXS_STAGE__COUNT; st++) {
		if (mx->reply[st].set) {
			r = json_object();
			if (mx->reply[st].code == 0) {
				json_object_set_new(r, "drop", json_true());
			} else {
				json_object_set_new(r, "code",
				    json_integer(mx->reply[st].code));
				json_object_set_new(r, "text",
				    jstr_or_null(mx->reply[st].text));
			}
			json_object_set_new(rep, mxs_stage_str(st), r);
		}
		if (mx->delay_ms[st] > 0)
			json_object_set_new(del, mxs_stage_str(st),
			    json_integer(mx->delay_ms[st]));
	}
	json_object_set_new(o, "replies", rep);
	json_object_set_new(o, "delays", del);
}

/*
 * phases_json - the listener's "phases": per qualifier, its "when" and
 * only the behaviours its lines set (fakemx lays them over the
 * listener's own for the connections the qualifier holds for).
 */
static json_t *
phases_json(struct builder *b, const struct scn *s,
    const struct certgen_set *set, const struct scn_mx *mx)
{
	const struct certgen_item *it;
	json_t *a = json_array(), *o;
	const struct scn_mx *v;
	size_t i;
	int f;

	for (i = 0; i < mx->nphases; i++) {
		v = mx->phases[i].over;
		o = json_object();
		json_object_set_new(
		    o, "when", scn_when_json(&mx->phases[i].when));
		if (mx->phases[i].set & SCN_PHASE_ESMTP)
			json_object_set_new(o, "esmtp", json_boolean(v->esmtp));
		if (mx->phases[i].set & SCN_PHASE_STARTTLS)
			json_object_set_new(o, "starttls",
			    json_string(mxs_starttls_str(v->starttls)));
		stages_json(o, v);
		if (v->cert != NULL || v->chain_set) {
			it = v->cert != NULL ? certgen_set_find(set, v->cert)
			                     : certgen_set_leaf(set, mx);
			if (it == NULL || it->cert == NULL)
				scn_errors_add(b->errs,
				    "%s:%d: cert names undeclared cert %s",
				    s->file, mx->phases[i].line,
				    v->cert != NULL ? v->cert : mx->name);
			else
				cert_paths(
				    b, o, s, set, it, v->chain_set ? v : mx);
		}
		if (v->hold_tls_ms > 0)
			json_object_set_new(o, "hold_tls_replies",
			    json_integer(v->hold_tls_ms));
		if (v->inject != NULL)
			json_object_set_new(
			    o, "inject", json_string(v->inject));
		for (f = 0; f < MXS_FLAG__COUNT; f++)
			if (v->flag[f])
				json_object_set_new(
				    o, mxs_flag_json(f), json_true());
		json_array_append_new(a, o);
	}
	return a;
}

/* ehlo_keywords_json - "ehlo_keywords": {"before_tls": [...], ...} for
 * the halves of the session whose EHLO lines the mx block lists. */
static void
ehlo_keywords_json(json_t *o, const struct scn_mx *mx)
{
	json_t *kw = NULL, *a;
	size_t i;
	int ph;

	for (ph = 0; ph < MXS_PHASE__COUNT; ph++) {
		if (!mx->ehlo_kw_set[ph])
			continue;
		if (kw == NULL)
			kw = json_object();
		a = json_array();
		for (i = 0; i < mx->nehlo_kw[ph]; i++)
			json_array_append_new(
			    a, json_string(mx->ehlo_kw[ph][i]));
		json_object_set_new(kw, mxs_tls_phase_json(ph), a);
	}
	if (kw != NULL)
		json_object_set_new(o, "ehlo_keywords", kw);
}

/*
 * sts_json - the MTA-STS policy host's "https": {"policy": TEXT} in
 * listener o: the policy file of the scenario's mta-sts header (RFC
 * 8461 §3.2), an mx label standing for LABEL.${DOMAIN}. 0, or -1 (a
 * pattern that does not expand, reported).
 */
static int
sts_json(struct builder *b, const struct scn *s, json_t *o)
{
	struct mtasts_policy pol;
	json_t *h;
	char *text, *e;
	size_t i;
	int rc = 0;

	memset(&pol, 0, sizeof(pol));
	pol.mode = s->sts.mode;
	pol.max_age = s->sts.max_age;
	pol.mx = xcalloc(s->sts.nmx ? s->sts.nmx : 1, sizeof(*pol.mx));
	for (i = 0; i < s->sts.nmx; i++) {
		/* a label: LABEL.<id>.test, as mx_json's "hostname" */
		if (strchr(s->sts.mx[i], '.') == NULL)
			e = xasprintf("%s.%s.test", s->sts.mx[i], s->id);
		else
			e = expand_at(b, s, s->sts.line, s->sts.mx[i]);
		if (e == NULL) {
			rc = -1;
			continue;
		}
		pol.mx[pol.nmx++] = e;
	}
	text = mtasts_policy_text(&pol);
	h = json_object();
	json_object_set_new(h, "policy", json_string(text));
	json_object_set_new(o, "https", h);
	free(text);
	mtasts_policy_free(&pol);
	return rc;
}

/* mx_json - one fakemx listener. NULL on a scenario error (errs). */
static json_t *
mx_json(
    struct builder *b, const struct world_mx *m, const struct certgen_set *set)
{
	const struct scn *s = m->scn;
	const struct scn_mx *mx = m->mx;
	const struct certgen_item *it;
	json_t *o = json_object(), *sni, *so;
	char *p;
	size_t i;
	int st;

	json_object_set_new(o, "address", json_string(m->addr));
	json_object_set_new(
	    o, "port", json_integer(mx->port != 0 ? mx->port : 25));
	json_object_set_new(o, "scenario", json_string(s->id));
	json_object_set_new(o, "host", json_string(mx->name));
	p = xasprintf("%s.%s.test", mx->name, s->id);
	json_object_set_new(o, "hostname", json_string(p));
	free(p);
	it = certgen_set_leaf(set, mx);
	if (it == NULL || it->cert == NULL) {
		json_decref(o);
		return NULL; /* reported by certgen_set_build */
	}
	cert_paths(b, o, s, set, it, mx);
	sni = json_array();
	for (i = 0; i < mx->nsni; i++) {
		it = certgen_set_find(set, mx->sni[i].cert);
		p = expand_at(b, s, mx->line, mx->sni[i].name);
		if (it == NULL || p == NULL) {
			if (it == NULL)
				scn_errors_add(b->errs,
				    "%s:%d: sni names "
				    "undeclared cert %s",
				    s->file, mx->line, mx->sni[i].cert);
			free(p);
			continue;
		}
		so = json_object();
		json_object_set_new(so, "name", json_string(p));
		free(p);
		cert_paths(b, so, s, set, it, NULL);
		json_array_append_new(sni, so);
	}
	json_object_set_new(o, "sni", sni);
	json_object_set_new(o, "esmtp", json_boolean(mx->esmtp));
	if (mx->starttls < 0 || mx->starttls >= MXS_STLS__COUNT) {
		scn_errors_add(b->errs, "%s:%d: mx %s: no STARTTLS mode %d",
		    s->file, mx->line, mx->name, (int)mx->starttls);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(
	    o, "starttls", json_string(mxs_starttls_str(mx->starttls)));
	stages_json(o, mx);
	if (mx->hold_tls_ms > 0)
		json_object_set_new(
		    o, "hold_tls_replies", json_integer(mx->hold_tls_ms));
	json_object_set_new(o, "inject", jstr_or_null(mx->inject));
	ehlo_keywords_json(o, mx);
	json_object_set_new(o, "tls_min", jstr_or_null(mx->tls_min));
	json_object_set_new(o, "tls_max", jstr_or_null(mx->tls_max));
	json_object_set_new(o, "ciphers", jstr_or_null(mx->ciphers));
	json_object_set_new(o, "ciphersuites", jstr_or_null(mx->ciphersuites));
	for (st = 0; st < MXS_FLAG__COUNT; st++)
		json_object_set_new(
		    o, mxs_flag_json(st), json_boolean(mx->flag[st]));
	if (mx->nphases > 0)
		json_object_set_new(o, "phases", phases_json(b, s, set, mx));
	if (mx->https && sts_json(b, s, o) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* scn_index - position of s in the suite. */
static size_t
scn_index(const struct builder *b, const struct scn *s)
{
	size_t i;

	for (i = 0; i < b->suite->n; i++)
		if (b->suite->items[i] == s)
			return i;
	panic("world: scenario not in the suite");
}

/* write_fakemx - fakemx.json: one listener per MX host. */
static int
write_fakemx(struct builder *b)
{
	json_t *root = json_object(), *ls = json_array(), *o;
	char *p;
	size_t i;
	int rc = 0;

	p = xasprintf("%s/smtp.jsonl", b->w->run_dir);
	json_object_set_new(root, "log", json_string(p));
	free(p);
	p = xasprintf("%s/tls-keys.log", b->w->run_dir);
	json_object_set_new(root, "keylog", json_string(p));
	free(p);
	p = xasprintf("%s/mail", b->w->run_dir);
	json_object_set_new(root, "maildir", json_string(p));
	free(p);
	p = xasprintf("%s/" WORLD_ATTEMPTS_FILE, b->w->run_dir);
	json_object_set_new(root, "attempts", json_string(p));
	free(p);
	for (i = 0; i < b->w->nmxs; i++) {
		const struct world_mx *m = &b->w->mxs[i];

		o = mx_json(b, m, &b->certs[scn_index(b, m->scn)]);
		if (o == NULL) {
			rc = -1;
			continue;
		}
		if (m->addr6 != NULL) {
			/* The host's IPv6 address: the same listener there. */
			json_t *o6 = json_deep_copy(o);

			json_object_set_new(
			    o6, "address", json_string(m->addr6));
			json_array_append_new(ls, o);
			json_array_append_new(ls, o6);
			continue;
		}
		json_array_append_new(ls, o);
	}
	json_object_set_new(root, "listeners", ls);
	if (dump_json(b, root, b->w->fakemx_conf) != 0)
		rc = -1;
	return rc;
}

/* write_world_json - world.json, what world_load reads back. */
static int
write_world_json(struct builder *b)
{
	json_t *root = json_object(), *zs = json_array(), *ss = json_array();
	json_t *o, *mxs, *names, *m;
	const struct scn *s;
	char *p;
	size_t i, j;

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "now", json_integer(b->w->now));
	json_object_set_new(
	    root, "trust_anchor", json_string("trust-anchor.ds"));
	json_object_set_new(root, "root_key", json_string("root.key"));
	json_object_set_new(root, "root_hints", json_string("root.hints"));
	json_object_set_new(
	    root, "trusted_cas", json_string(WORLD_TRUSTED_CAS));
	json_object_set_new(root, "fakedns", json_string("fakedns.json"));
	json_object_set_new(root, "fakemx", json_string("fakemx.json"));
	json_object_set_new(root, "sut_policy", json_string("sut-policy.tsv"));
	for (i = 0; i < b->nzones; i++) {
		const struct wzone *z = &b->zones[i];

		o = json_object();
		json_object_set_new(o, "name", json_string(z->name));
		json_object_set_new(o, "address", json_string(z->addr));
		json_object_set_new(o, "file", json_string(z->fname));
		json_object_set_new(o, "signed", json_boolean(z->is_signed));
		json_object_set_new(o, "nsec3", json_boolean(z->nsec3));
		json_object_set_new(o, "scenario",
		    jstr_or_null(z->scn != NULL ? z->scn->id : NULL));
		json_array_append_new(zs, o);
	}
	for (i = 0; i < b->suite->n; i++) {
		s = b->suite->items[i];
		o = json_object();
		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "domain", json_string(world_domain(s)));
		mxs = json_array();
		for (j = 0; j < b->w->nmxs; j++) {
			const struct world_mx *wm = &b->w->mxs[j];
			const struct certgen_item *it;

			if (wm->scn != s)
				continue;
			m = json_object();
			json_object_set_new(
			    m, "label", json_string(wm->mx->name));
			json_object_set_new(
			    m, "address", json_string(wm->addr));
			if (wm->addr6 != NULL)
				json_object_set_new(
				    m, "address6", json_string(wm->addr6));
			p = xasprintf("%s.%s.test", wm->mx->name, s->id);
			json_object_set_new(m, "hostname", json_string(p));
			free(p);
			it = certgen_set_leaf(&b->certs[i], wm->mx);
			if (it != NULL) {
				p = xasprintf(
				    "certs/%s/%s.crt.pem", s->id, it->label);
				json_object_set_new(m, "cert", json_string(p));
				free(p);
			}
			json_array_append_new(mxs, m);
		}
		json_object_set_new(o, "mx", mxs);
		names = json_array();
		for (j = 0; j < b->nzones; j++)
			if (b->zones[j].scn == s) {
				m = json_object();
				json_object_set_new(
				    m, "name", json_string(b->zones[j].name));
				json_object_set_new(m, "address",
				    json_string(b->zones[j].addr));
				json_array_append_new(names, m);
			}
		json_object_set_new(o, "zones", names);
		json_array_append_new(ss, o);
	}
	json_object_set_new(root, "zones", zs);
	json_object_set_new(root, "scenarios", ss);
	p = xasprintf("%s/world.json", b->w->dir);
	i = dump_json(b, root, p) != 0;
	free(p);
	return i ? -1 : 0;
}

/*
 * policy_entry - the policy file's entry of scenario s: its destination
 * (the recipient's domain, expanded) and its policy, route and fallback
 * relay. Returns 1 filled, 0 when s sets no policy, -1 on an error
 * (added to errs).
 */
static int
policy_entry(struct builder *b, const struct scn *s, struct dp_entry *e)
{
	const struct {
		const char *text, *what;
		int line;
		struct dp_hop *hop;
	} hops[] = {
	    {s->route, "route", s->route_line, &e->route},
	    {s->fallback_relay, "fallback-relay", s->fallback_line,
	        &e->fallback},
	};
	struct dp_hop d;
	char err[320], *x;
	const char *at;
	size_t i;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	if (s->policy == DP_LEVEL_DEFAULT && s->route == NULL &&
	    s->fallback_relay == NULL)
		return 0;
	x = s->recipient != NULL ? expand_at(b, s, s->id_line, s->recipient)
	                         : xasprintf("rcpt@%s.test", s->id);
	if (x == NULL)
		return -1;
	at = strrchr(x, '@');
	if (at == NULL || dp_hop_parse(at + 1, &d, err, sizeof(err)) == -1) {
		scn_errors_add(b->errs, "%s:%d: recipient '%s': no domain",
		    s->file, s->id_line, x);
		free(x);
		return -1;
	}
	free(x);
	e->domain = d.host;
	e->level = s->policy;
	for (i = 0; i < sizeof(hops) / sizeof(hops[0]) && rc == 0; i++) {
		if (hops[i].text == NULL)
			continue;
		if ((x = expand_at(b, s, hops[i].line, hops[i].text)) == NULL)
			rc = -1;
		else if (dp_hop_parse(x, hops[i].hop, err, sizeof(err)) == -1) {
			scn_errors_add(b->errs, "%s:%d: %s '%s': %s", s->file,
			    hops[i].line, hops[i].what, x, err);
			rc = -1;
		}
		free(x);
	}
	if (rc != 0)
		dp_entry_clear(e);
	return rc == 0 ? 1 : -1;
}

/*
 * write_policy - sut-policy.tsv: one line per destination with a policy
 * (destpolicy.h), in suite order; two scenarios may not give one
 * destination two policies. Written even when empty, so every profile
 * finds the file.
 */
static int
write_policy(struct builder *b)
{
	struct buf out;
	struct dp_entry e;
	char line[1100];
	char **seen = NULL;
	size_t i, j, nseen = 0;
	int rc = 0, r;

	buf_init(&out);
	buf_puts(&out, "# danesim per-destination SUT policy: DOMAIN LEVEL "
	               "ROUTE FALLBACK (tab-separated, - for none)\n");
	for (i = 0; i < b->suite->n && rc == 0; i++) {
		const struct scn *s = b->suite->items[i];

		if ((r = policy_entry(b, s, &e)) <= 0) {
			rc = r;
			continue;
		}
		for (j = 0; j < nseen; j++)
			if (strcmp(seen[j], e.domain) == 0) {
				scn_errors_add(b->errs,
				    "%s:%d: destination '%s' has a policy "
				    "in another scenario already",
				    s->file, s->id_line, e.domain);
				rc = -1;
			}
		if (rc == 0 && dp_entry_format(&e, line, sizeof(line)) < 0) {
			scn_errors_add(b->errs, "%s:%d: policy line too long",
			    s->file, s->id_line);
			rc = -1;
		}
		if (rc == 0) {
			buf_puts(&out, line);
			seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
			seen[nseen++] = xstrdup(e.domain);
		}
		dp_entry_clear(&e);
	}
	if (rc == 0)
		rc = write_text(b, b->w->sut_policy, buf_cstr(&out));
	for (j = 0; j < nseen; j++)
		free(seen[j]);
	free(seen);
	buf_free(&out);
	return rc == 0 ? 0 : -1;
}

/* publish_zones - hand the built zones over to the world. */
static void
publish_zones(struct builder *b)
{
	struct world *w = b->w;
	size_t i;

	w->zones = xcalloc(b->nzones ? b->nzones : 1, sizeof(*w->zones));
	for (i = 0; i < b->nzones; i++) {
		w->zones[i].name = xstrdup(b->zones[i].name);
		w->zones[i].addr = xstrdup(b->zones[i].addr);
		w->zones[i].file =
		    xasprintf("%s/%s", w->dir, b->zones[i].fname);
		w->zones[i].is_signed = b->zones[i].is_signed;
		w->zones[i].scn = b->zones[i].scn;
	}
	w->nzones = b->nzones;
}

/* builder_free - release the builder's own data (not the world). */
static void
builder_free(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nzones; i++) {
		struct wzone *z = &b->zones[i];

		free(z->name);
		free(z->addr);
		free(z->fname);
		ldns_rdf_deep_free(z->apex);
		dnssign_keys_free(&z->keys);
		ldns_rr_list_deep_free(z->rrs);
		ldns_rr_list_deep_free(z->qrrs);
		free(z->qwhen);
		free(z->vstart);
	}
	free(b->zones);
	for (i = 0; i < b->nbreaks; i++) {
		free(b->breaks[i].owner);
		ldns_rdf_deep_free(b->breaks[i].rdf);
	}
	free(b->breaks);
	if (b->certs != NULL)
		for (i = 0; i < b->suite->n; i++)
			certgen_set_free(&b->certs[i]);
	free(b->certs);
}

struct world *
world_build(const struct scn_suite *suite, const char *run_dir, time_t now,
    struct scn_errors *errs)
{
	struct builder b;
	char *abs = NULL, *sub;
	const char *subs[] = {"zones", "keys", "certs"};
	size_t i;
	int rc = -1;

	memset(&b, 0, sizeof(b));
	b.suite = suite;
	b.errs = errs;
	if (mkdir_p(run_dir) != 0 || (abs = realpath(run_dir, NULL)) == NULL) {
		scn_errors_add(errs, "world: cannot create %s: %s", run_dir,
		    strerror(errno));
		return NULL;
	}
	b.w = world_new_paths(suite, abs, now);
	free(abs);
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		sub = xasprintf("%s/%s", b.w->dir, subs[i]);
		if (mkdir_p(sub) != 0) {
			scn_errors_add(errs, "world: cannot create %s", sub);
			free(sub);
			goto out;
		}
		free(sub);
	}
	/* addresses first: zone lines and names may use ${ADDR(..)} */
	if (add_mxs(&b) != 0 || add_certs(&b) != 0 || add_zones(&b) != 0)
		goto out;
	find_parents(&b);
	if (apex_records(&b) != 0 || delegations(&b) != 0 ||
	    scenario_records(&b) != 0 || add_breaks(&b) != 0)
		goto out;
	if (sign_and_write(&b) != 0 || write_anchors(&b) != 0 ||
	    write_fakedns(&b) != 0 || write_fakemx(&b) != 0 ||
	    write_policy(&b) != 0 || write_world_json(&b) != 0)
		goto out;
	publish_zones(&b);
	rc = 0;
out:
	builder_free(&b);
	if (rc != 0) {
		world_free(b.w);
		return NULL;
	}
	return b.w;
}
