/*
 * provenance.c - the provenance record of a run (see provenance.h). The
 * library versions are those of the shared objects actually loaded:
 * OpenSSL_version(), ldns_version(), pcap_lib_version().
 */
#include <jansson.h>
#include <ldns/ldns.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "buf.h"
#include "proc.h"
#include "harness/report/provenance.h"
#include "version.h"
#include "xmalloc.h"

/* Written by the build (harness/module.mk) into BUILD/gen/commit.h. */
#include "commit.h"

#define PROVENANCE_CMDLINE_MAX 65536
#define PROVENANCE_UNBOUND_MS 5000

const char *
provenance_commit(void)
{
	return DANESIM_COMMIT;
}

void
provenance_shell_quote(struct buf *b, const char *word)
{
	const char *p;

	if (word[0] != '\0' &&
	    strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "0123456789_-+=./:,@%") == strlen(word)) {
		buf_puts(b, word);
		return;
	}
	buf_putc(b, '\'');
	for (p = word; *p; p++) {
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '\'');
}

/* jtext - a JSON string of s, or null when s is not UTF-8 / NULL. */
static json_t *
jtext(const char *s)
{
	json_t *j = s != NULL ? json_string(s) : NULL;

	return j != NULL ? j : json_null();
}

/* command_line - this process's argv from /proc/self/cmdline, quoted. */
static json_t *
command_line(void)
{
	char chunk[4096];
	struct buf raw, out;
	size_t n, i, start = 0;
	FILE *f;
	json_t *j;

	buf_init(&raw);
	buf_init(&out);
	if ((f = fopen("/proc/self/cmdline", "rb")) != NULL) {
		while (raw.len < PROVENANCE_CMDLINE_MAX &&
		       (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&raw, chunk, n);
		fclose(f);
	}
	for (i = 0; i < raw.len; i++) {
		if (raw.data[i] != '\0')
			continue;
		if (out.len > 0)
			buf_putc(&out, ' ');
		provenance_shell_quote(&out, raw.data + start);
		start = i + 1;
	}
	j = out.len > 0 ? jtext(buf_cstr(&out)) : json_null();
	buf_free(&raw);
	buf_free(&out);
	return j;
}

/* unbound_version - first line of `unbound -V` that names the version. */
static json_t *
unbound_version(void)
{
	char *argv[] = {"unbound", "-V", NULL};
	struct buf out;
	const char *p;
	json_t *j = NULL;
	size_t n;

	buf_init(&out);
	if (proc_run("unbound", NULL, argv, NULL, PROVENANCE_UNBOUND_MS,
	        &out) >= 0 &&
	    out.len > 0) {
		p = buf_cstr(&out);
		/* "Version 1.17.1" */
		if (strncmp(p, "Version ", 8) == 0)
			p += 8;
		n = strcspn(p, "\r\n");
		out.data[p - out.data + n] = '\0';
		j = jtext(p);
	}
	buf_free(&out);
	return j != NULL ? j : json_null();
}

json_t *
provenance_collect(void)
{
	json_t *o = json_object();
	struct utsname u;
	struct buf b;

	json_object_set_new(o, "danesim_version", json_string(DANESIM_VERSION));
	json_object_set_new(o, "danesim_commit",
	    DANESIM_COMMIT[0] ? json_string(DANESIM_COMMIT) : json_null());
	json_object_set_new(o, "command_line", command_line());
	buf_init(&b);
	if (uname(&u) == 0) {
		json_object_set_new(o, "host", jtext(u.nodename));
		buf_printf(&b, "%s %s %s %s", u.sysname, u.release, u.version,
		    u.machine);
		json_object_set_new(o, "kernel", jtext(buf_cstr(&b)));
	} else {
		json_object_set_new(o, "host", json_null());
		json_object_set_new(o, "kernel", json_null());
	}
	buf_free(&b);
	json_object_set_new(
	    o, "openssl", jtext(OpenSSL_version(OPENSSL_VERSION)));
	json_object_set_new(o, "ldns", jtext(ldns_version()));
	json_object_set_new(o, "libpcap", jtext(pcap_lib_version()));
	json_object_set_new(o, "unbound", unbound_version());
	return o;
}
