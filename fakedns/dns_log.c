/*
 * dns_log.c - one dns.jsonl line per query (docs/internals.md), built
 * with jansson.
 */
#include "dns_log.h"

#include <stdlib.h>

#include <jansson.h>

#include "log.h"
#include "xmalloc.h"

/* str_or_null - a JSON string, or null for NULL. */
static json_t *
str_or_null(const char *s)
{
	json_t *j = s != NULL ? json_string(s) : NULL;

	return j != NULL ? j : json_null();
}

char *
dns_log_format(double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	json_t *o = json_object();
	char *line;

	json_object_set_new(o, "t", json_real(t));
	json_object_set_new(o, "client", str_or_null(client));
	if (res->has_query) {
		json_object_set_new(o, "server", str_or_null(server));
		json_object_set_new(o, "transport", str_or_null(transport));
		json_object_set_new(o, "id", json_integer(res->id));
		/* ldns escapes odd bytes as \DDD, so this is ASCII */
		json_object_set_new(o, "qname", str_or_null(res->qname));
		json_object_set_new(o, "qtype", str_or_null(res->qtype));
		json_object_set_new(o, "do", json_boolean(res->dnssec_ok));
		json_object_set_new(o, "cd", json_boolean(res->cd));
		json_object_set_new(o, "rcode", str_or_null(res->rcode));
		json_object_set_new(o, "fault", str_or_null(res->fault));
		json_object_set_new(o, "zone", str_or_null(res->zone));
		json_object_set_new(o, "scenario", str_or_null(res->scenario));
		json_object_set_new(o, "answers", json_integer(res->answers));
		json_object_set_new(o, "tc", json_boolean(res->tc));
	} else {
		json_object_set_new(o, "transport", str_or_null(transport));
		json_object_set_new(o, "error", str_or_null(res->error));
		json_object_set_new(o, "rcode", str_or_null(res->rcode));
	}
	line = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(16));
	json_decref(o);
	if (line == NULL)
		line = xstrdup("{\"error\":\"log line could not be encoded\"}");
	return line;
}

int
dns_log_write(FILE *fp, double t, const char *client, const char *server,
    const char *transport, const struct dns_result *res)
{
	char *line;
	int rc = 0;

	if (fp == NULL)
		return 0;
	line = dns_log_format(t, client, server, transport, res);
	if (fprintf(fp, "%s\n", line) < 0 || fflush(fp) != 0) {
		log_warn("query log");
		rc = -1;
	}
	free(line);
	return rc;
}
