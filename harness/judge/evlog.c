/*
 * evlog.c - the one reader of the event logs (see evlog.h). Each log is
 * read line by line with jansson; trailing white space is not part of
 * the line. A sound line is one JSON object without duplicated keys; an
 * object with a duplicated key or text after it is handed on as flawed,
 * so every reader sees the same lines and decides what a flaw means.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness/judge/evlog.h"
#include "log.h"
#include "xmalloc.h"

const char *
evlog_name(enum evlog_log log)
{
	return log == EVLOG_SMTP ? "smtp.jsonl" : "dns.jsonl";
}

/* hand_on - give one line (len bytes, its end of line included or not)
   to fn as evlog_read describes. */
static void
hand_on(char *line, ssize_t len, enum evlog_log log, evlog_fn *fn, void *arg)
{
	json_error_t jerr;
	json_t *o;

	while (len > 0 && isspace((unsigned char)line[len - 1]))
		len--;
	if (len == 0)
		return;
	o = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
	if (json_is_object(o)) {
		fn(arg, log, o, EVLOG_SOUND);
		json_decref(o);
		return;
	}
	json_decref(o);
	o = json_loadb(line, (size_t)len, JSON_DISABLE_EOF_CHECK, &jerr);
	fn(arg, log, json_is_object(o) ? o : NULL, EVLOG_FLAWED);
	json_decref(o);
}

void
evlog_read(FILE *fp, enum evlog_log log, evlog_fn *fn, void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, fp)) != -1)
		hand_on(line, len, log, fn, arg);
	free(line);
}

int
evlog_tail(FILE *fp, enum evlog_log log, long *off, evlog_fn *fn, void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (fseek(fp, *off, SEEK_SET) < 0) {
		log_warn("event log: seek to %ld", *off);
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		/* A line still being written: read it whole next time. */
		if (line[len - 1] != '\n')
			break;
		*off += (long)len;
		hand_on(line, len, log, fn, arg);
	}
	free(line);
	return 0;
}

/* open_log - run_dir's log for reading, or NULL (logged at info level). */
static FILE *
open_log(const char *run_dir, enum evlog_log log)
{
	char *path = xasprintf("%s/%s", run_dir, evlog_name(log));
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		log_info("facts: cannot open %s: %s", path, strerror(errno));
	free(path);
	return fp;
}

void
evlog_read_run(
    const char *run_dir, evlog_fn *fn, void *arg, int *have_dns, int *have_smtp)
{
	FILE *dns = open_log(run_dir, EVLOG_DNS);
	FILE *smtp = open_log(run_dir, EVLOG_SMTP);

	*have_dns = dns != NULL;
	*have_smtp = smtp != NULL;
	if (dns != NULL) {
		evlog_read(dns, EVLOG_DNS, fn, arg);
		fclose(dns);
	}
	if (smtp != NULL) {
		evlog_read(smtp, EVLOG_SMTP, fn, arg);
		fclose(smtp);
	}
}
