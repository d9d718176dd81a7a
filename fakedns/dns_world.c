/*
 * dns_world.c - reading fakedns.json (docs/internals.md) with jansson and
 * loading the zones it names; grouping zones by listening address.
 */
#include "dns_world.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "xmalloc.h"

struct dns_world *
dns_world_new_empty(void)
{
	return xcalloc(1, sizeof(struct dns_world));
}

/* parse_addr - IPv4 or IPv6 text into a sockaddr (port 0); 0 or -1. */
static int
parse_addr(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

/* same_addr - whether two parsed addresses are equal. */
static int
same_addr(
    const struct dns_addr *a, const struct sockaddr_storage *ss, socklen_t len)
{
	if (a->salen != len || a->sa.ss_family != ss->ss_family)
		return 0;
	if (ss->ss_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)&a->sa)->sin_addr,
		           &((const struct sockaddr_in *)ss)->sin_addr,
		           sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)&a->sa)->sin6_addr,
	           &((const struct sockaddr_in6 *)ss)->sin6_addr,
	           sizeof(struct in6_addr)) == 0;
}

/* overlap - whether attempt ranges a and b (always: every attempt) meet. */
static int
overlap(const struct scn_when *a, const struct scn_when *b)
{
	if (a->unit == SCN_WHEN_ALWAYS || b->unit == SCN_WHEN_ALWAYS)
		return 1;
	return (a->hi == 0 || b->lo <= a->hi) && (b->hi == 0 || a->lo <= b->hi);
}

int
dns_world_add_zone(struct dns_world *w, struct dns_zone *zone,
    const char *address, const char *scenario, const struct scn_when *when,
    char *err, size_t errsz)
{
	struct scn_when always = {SCN_WHEN_ALWAYS, 0, 0};
	struct sockaddr_storage ss;
	struct dns_wzone *wz;
	struct dns_addr *a = NULL;
	socklen_t len;
	size_t i;

	if (parse_addr(address, &ss, &len) == -1) {
		snprintf(err, errsz,
		    "zone %s: address \"%s\" is not an IP "
		    "address",
		    zone->name, address);
		return -1;
	}
	for (i = 0; i < w->naddrs; i++)
		if (same_addr(&w->addrs[i], &ss, len))
			a = &w->addrs[i];
	if (a == NULL) {
		w->addrs =
		    xreallocarray(w->addrs, w->naddrs + 1, sizeof(*w->addrs));
		a = &w->addrs[w->naddrs++];
		memset(a, 0, sizeof(*a));
		a->text = xstrdup(address);
		a->sa = ss;
		a->salen = len;
	}
	if (when == NULL)
		when = &always;
	if (when->unit == SCN_WHEN_CONNECTIONS) {
		snprintf(err, errsz, "zone %s: \"when\" must count attempts",
		    zone->name);
		return -1;
	}
	for (i = 0; i < a->nzones; i++)
		if (ldns_dname_compare(
		        w->zones[a->zones[i]].zone->apex, zone->apex) == 0 &&
		    overlap(&w->zones[a->zones[i]].when, when)) {
			snprintf(err, errsz, "zone %s: served twice at %s",
			    zone->name, address);
			return -1;
		}
	a->zones = xreallocarray(a->zones, a->nzones + 1, sizeof(*a->zones));
	a->zones[a->nzones++] = w->nzones;
	w->zones = xreallocarray(w->zones, w->nzones + 1, sizeof(*w->zones));
	wz = &w->zones[w->nzones++];
	memset(wz, 0, sizeof(*wz));
	wz->zone = zone;
	wz->scenario = scenario ? xstrdup(scenario) : NULL;
	wz->address = xstrdup(address);
	wz->cfg_signed = zone->has_dnskey;
	wz->cfg_nsec3 = zone->has_nsec3;
	wz->when = *when;
	if (when->unit != SCN_WHEN_ALWAYS) {
		w->phased = 1;
		wz->off = !scn_when_holds(when, 1, 0);
	}
	return 0;
}

int
dns_world_add_fault(struct dns_world *w, const char *owner, const char *type,
    const char *fault, long ms, const char *scenario, char *err, size_t errsz)
{
	const struct dns_fault_ops *ops = dns_fault_by_name(fault);
	struct dns_fault *f;
	ldns_rdf *name = NULL;
	ldns_rr_type t;

	if (ops == NULL) {
		snprintf(err, errsz, "unknown fault \"%s\"", fault);
		return -1;
	}
	if (strcasecmp(type, "ANY") == 0)
		t = LDNS_RR_TYPE_ANY;
	else if ((t = ldns_get_rr_type_by_name(type)) == 0) {
		snprintf(err, errsz, "unknown RR type \"%s\"", type);
		return -1;
	}
	if ((name = dns_zone_dname(owner)) == NULL) {
		snprintf(err, errsz, "bad owner name \"%s\"", owner);
		return -1;
	}
	if (dnsbreak_spec(ops->what)->takes_ms && (ms < 0 || ms > 600000)) {
		ldns_rdf_deep_free(name);
		snprintf(err, errsz, "fault %s: ms %ld out of range 0..600000",
		    fault, ms);
		return -1;
	}
	w->faults =
	    xreallocarray(w->faults, w->nfaults + 1, sizeof(*w->faults));
	f = &w->faults[w->nfaults++];
	memset(f, 0, sizeof(*f));
	f->owner = name;
	f->type = t;
	f->ops = ops;
	f->ms = ms;
	f->scenario = scenario ? xstrdup(scenario) : NULL;
	return 0;
}

/* opt_string - member key of o as a string, NULL if absent or null. */
static int
opt_string(json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* load_zones - the "zones" array; 0 or -1 with err set. */
static int
load_zones(struct dns_world *w, json_t *zones, char *err, size_t errsz)
{
	char zerr[1024];
	size_t i;

	if (!json_is_array(zones) || json_array_size(zones) == 0) {
		snprintf(err, errsz, "\"zones\" must be a non-empty array");
		return -1;
	}
	for (i = 0; i < json_array_size(zones); i++) {
		json_t *z = json_array_get(zones, i);
		const char *name, *file, *addr, *scn;
		struct dns_zone *zone;
		struct scn_when when;
		json_t *sg, *n3;

		if (!json_is_object(z)) {
			snprintf(err, errsz, "zones[%zu] is not an object", i);
			return -1;
		}
		if (opt_string(z, "name", &name) || name == NULL ||
		    opt_string(z, "file", &file) || file == NULL ||
		    opt_string(z, "address", &addr) || addr == NULL) {
			snprintf(err, errsz,
			    "zones[%zu]: \"name\", \"file\" "
			    "and \"address\" must be strings",
			    i);
			return -1;
		}
		if (opt_string(z, "scenario", &scn)) {
			snprintf(err, errsz,
			    "zones[%zu]: \"scenario\" must be "
			    "a string or null",
			    i);
			return -1;
		}
		sg = json_object_get(z, "signed");
		n3 = json_object_get(z, "nsec3");
		if ((sg != NULL && !json_is_boolean(sg)) ||
		    (n3 != NULL && !json_is_boolean(n3))) {
			snprintf(err, errsz,
			    "zones[%zu]: \"signed\" and "
			    "\"nsec3\" must be booleans",
			    i);
			return -1;
		}
		if (scn_when_from_json(json_object_get(z, "when"), &when, zerr,
		        sizeof(zerr)) == -1) {
			snprintf(err, errsz, "zones[%zu]: %s", i, zerr);
			return -1;
		}
		if ((zone = dns_zone_load(file, name, zerr, sizeof(zerr))) ==
		    NULL) {
			snprintf(err, errsz, "zones[%zu]: %s", i, zerr);
			return -1;
		}
		if (dns_world_add_zone(
		        w, zone, addr, scn, &when, zerr, sizeof(zerr)) == -1) {
			dns_zone_free(zone);
			snprintf(err, errsz, "zones[%zu]: %s", i, zerr);
			return -1;
		}
		if (sg != NULL)
			w->zones[w->nzones - 1].cfg_signed = json_is_true(sg);
		if (n3 != NULL)
			w->zones[w->nzones - 1].cfg_nsec3 = json_is_true(n3);
		if (w->zones[w->nzones - 1].cfg_signed && !zone->has_dnskey) {
			snprintf(err, errsz,
			    "zones[%zu]: %s: \"signed\" is "
			    "true but the zone has no DNSKEY",
			    i, file);
			return -1;
		}
		if (w->zones[w->nzones - 1].cfg_nsec3 && zone->has_dnskey &&
		    !zone->has_nsec3) {
			snprintf(err, errsz,
			    "zones[%zu]: %s: \"nsec3\" is "
			    "true but the zone has no NSEC3 chain",
			    i, file);
			return -1;
		}
	}
	return 0;
}

/* load_faults - the optional "faults" array; 0 or -1 with err set. */
static int
load_faults(struct dns_world *w, json_t *faults, char *err, size_t errsz)
{
	char ferr[512];
	size_t i;

	if (faults == NULL || json_is_null(faults))
		return 0;
	if (!json_is_array(faults)) {
		snprintf(err, errsz, "\"faults\" must be an array");
		return -1;
	}
	for (i = 0; i < json_array_size(faults); i++) {
		json_t *f = json_array_get(faults, i), *ms;
		const char *owner, *type, *fault, *scn;
		long msv = 0;

		if (!json_is_object(f) || opt_string(f, "owner", &owner) ||
		    owner == NULL || opt_string(f, "type", &type) ||
		    type == NULL || opt_string(f, "fault", &fault) ||
		    fault == NULL) {
			snprintf(err, errsz,
			    "faults[%zu]: \"owner\", \"type\" "
			    "and \"fault\" must be strings",
			    i);
			return -1;
		}
		if (opt_string(f, "scenario", &scn)) {
			snprintf(err, errsz,
			    "faults[%zu]: \"scenario\" must "
			    "be a string or null",
			    i);
			return -1;
		}
		ms = json_object_get(f, "ms");
		if (ms != NULL && !json_is_null(ms)) {
			if (!json_is_integer(ms)) {
				snprintf(err, errsz,
				    "faults[%zu]: \"ms\" must "
				    "be an integer",
				    i);
				return -1;
			}
			msv = (long)json_integer_value(ms);
		}
		if (dns_world_add_fault(w, owner, type, fault, msv, scn, ferr,
		        sizeof(ferr)) == -1 ||
		    scn_when_from_json(json_object_get(f, "when"),
		        &w->faults[w->nfaults - 1].when, ferr,
		        sizeof(ferr)) == -1) {
			snprintf(err, errsz, "faults[%zu]: %s", i, ferr);
			return -1;
		}
		if (w->faults[w->nfaults - 1].when.unit ==
		    SCN_WHEN_CONNECTIONS) {
			snprintf(err, errsz,
			    "faults[%zu]: \"when\" must count attempts", i);
			return -1;
		}
		if (w->faults[w->nfaults - 1].when.unit != SCN_WHEN_ALWAYS)
			w->phased = 1;
	}
	return 0;
}

struct dns_world *
dns_world_load(const char *path, char *err, size_t errsz)
{
	struct dns_world *w = dns_world_new_empty();
	json_error_t jerr;
	json_t *root;
	const char *log, *att;
	char msg[1200];

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(err, errsz, "%s:%d: %s", path, jerr.line, jerr.text);
		dns_world_free(w);
		return NULL;
	}
	msg[0] = '\0';
	if (!json_is_object(root))
		snprintf(msg, sizeof(msg), "top level is not an object");
	else if (opt_string(root, "log", &log) ||
	         opt_string(root, "attempts", &att))
		snprintf(msg, sizeof(msg),
		    "\"log\" and \"attempts\" must be strings or null");
	else {
		w->log = log ? xstrdup(log) : NULL;
		scn_attempts_init(&w->attempts, att);
		if (load_zones(w, json_object_get(root, "zones"), msg,
		        sizeof(msg)) == 0)
			load_faults(w, json_object_get(root, "faults"), msg,
			    sizeof(msg));
	}
	json_decref(root);
	if (msg[0] != '\0') {
		snprintf(err, errsz, "%s: %s", path, msg);
		dns_world_free(w);
		return NULL;
	}
	return w;
}

void
dns_world_free(struct dns_world *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->nzones; i++) {
		dns_zone_free(w->zones[i].zone);
		free(w->zones[i].scenario);
		free(w->zones[i].address);
	}
	free(w->zones);
	for (i = 0; i < w->naddrs; i++) {
		free(w->addrs[i].text);
		free(w->addrs[i].zones);
	}
	free(w->addrs);
	for (i = 0; i < w->nfaults; i++) {
		ldns_rdf_deep_free(w->faults[i].owner);
		free(w->faults[i].scenario);
	}
	free(w->faults);
	scn_attempts_free(&w->attempts);
	free(w->log);
	free(w);
}

void
dns_world_phase_refresh(struct dns_world *w)
{
	size_t i;

	if (!w->phased || !scn_attempts_refresh(&w->attempts))
		return;
	dns_fault_phase(w->faults, w->nfaults, &w->attempts);
	for (i = 0; i < w->nzones; i++)
		if (w->zones[i].when.unit != SCN_WHEN_ALWAYS)
			w->zones[i].off = !scn_when_holds(&w->zones[i].when,
			    w->zones[i].scenario != NULL
			        ? scn_attempts_get(
			              &w->attempts, w->zones[i].scenario)
			        : 1,
			    0);
}
