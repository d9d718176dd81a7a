/*
 * rs_tlsacache.c - the stale-tlsa-cache switch's on-disk TLSA cache
 * (rs_tlsacache.h).
 */
#include "rs_tlsacache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "log.h"
#include "xmalloc.h"

char *
rs_state_path(const char *dir, const char *what, const char *name, int port)
{
	char *p = xasprintf("%s/%s-_%d._tcp.%s", dir, what, port, name), *c;

	for (c = p + strlen(dir) + 1; *c != '\0'; c++)
		if (*c == '/')
			*c = '_';
	return p;
}

/* hexval - value of hex digit c, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* parse_line - "U S M HEX" into t; 0, or -1 when malformed. */
static int
parse_line(const char *line, struct rs_tlsa *t)
{
	unsigned u, s, m;
	char hex[1025];
	size_t i, n;
	int hi, lo;

	if (sscanf(line, "%u %u %u %1024s", &u, &s, &m, hex) != 4 || u > 255 ||
	    s > 255 || m > 255)
		return -1;
	n = strlen(hex);
	if (n == 0 || n % 2 != 0)
		return -1;
	t->usage = (uint8_t)u;
	t->selector = (uint8_t)s;
	t->mtype = (uint8_t)m;
	t->len = n / 2;
	t->data = xmalloc(t->len);
	for (i = 0; i < t->len; i++) {
		hi = hexval((unsigned char)hex[2 * i]);
		lo = hexval((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(t->data);
			t->data = NULL;
			return -1;
		}
		t->data[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int
rs_tlsacache_get(
    const char *dir, const char *name, int port, struct rs_dns_result *r)
{
	char *path = rs_state_path(dir, "tlsa", name, port);
	struct rs_dns_result c;
	char line[1100];
	FILE *fp;
	int no = 0;

	fp = fopen(path, "re");
	if (fp == NULL) {
		if (errno != ENOENT)
			log_warn("%s", path);
		free(path);
		return errno == ENOENT ? 0 : -1;
	}
	memset(&c, 0, sizeof(c));
	while (fgets(line, sizeof(line), fp) != NULL) {
		no++;
		c.tlsa = xreallocarray(c.tlsa, c.ntlsa + 1, sizeof(*c.tlsa));
		memset(&c.tlsa[c.ntlsa], 0, sizeof(*c.tlsa));
		if (parse_line(line, &c.tlsa[c.ntlsa]) != 0) {
			log_warnx("%s:%d: not a TLSA record", path, no);
			fclose(fp);
			free(path);
			rs_dns_result_clear(&c);
			return -1;
		}
		c.ntlsa++;
	}
	fclose(fp);
	free(path);
	if (c.ntlsa == 0) {
		rs_dns_result_clear(&c);
		return 0;
	}
	c.state = RS_DNS_SECURE;
	c.ad = 1;
	c.final_name = xasprintf("_%d._tcp.%s", port, name);
	snprintf(c.why, sizeof(c.why), "from the cache of an earlier attempt");
	*r = c;
	return 1;
}

int
rs_tlsacache_put(
    const char *dir, const char *name, int port, const struct rs_dns_result *r)
{
	char *path = rs_state_path(dir, "tlsa", name, port), *t;
	struct afile a;
	size_t i;
	int rc = -1;

	if (afile_open(&a, path) == 0) {
		for (i = 0; i < r->ntlsa; i++) {
			t = rs_tlsa_text(&r->tlsa[i]);
			fprintf(a.f, "%s\n", t);
			free(t);
		}
		rc = afile_commit(&a);
	}
	if (rc != 0)
		log_warnx("%s: cannot write the TLSA cache", path);
	free(path);
	return rc;
}
