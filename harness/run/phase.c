/*
 * phase.c - attempts and the world: the attempt state file the fake
 * servers read, and the resolver cache flush between attempts (phase.h).
 */
#include "harness/run/phase.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proc.h"
#include "harness/run/resolver.h"
#include "xmalloc.h"

#define PHASE_CONTROL_MS 5000 /* one unbound-control call */

int
phase_scn_has(const struct scn *s)
{
	size_t i;

	for (i = 0; i < s->nmxs; i++)
		if (s->mxs[i].nphases > 0)
			return 1;
	return phase_scn_has_dns(s);
}

int
phase_scn_has_dns(const struct scn *s)
{
	size_t i, j;

	for (i = 0; i < s->nbreaks; i++)
		if (s->breaks[i].when.unit != SCN_WHEN_ALWAYS)
			return 1;
	for (i = 0; i < s->nzones; i++)
		for (j = 0; j < s->zones[i].nrr; j++)
			if (s->zones[i].rr_when[j].unit != SCN_WHEN_ALWAYS)
				return 1;
	return 0;
}

int
phase_carry(const struct facts_scn *fs, double started, double status_at)
{
	size_t i;

	for (i = 0; fs != NULL && i < fs->nconns; i++) {
		const struct facts_conn *c = &fs->conns[i];

		if (c->t_start < started &&
		    (c->t_end == 0 || c->t_end > status_at))
			return 1;
	}
	return 0;
}

/* conn_since - whether a connection of fs began at or after t (and,
   when closed_by > 0, closed at or before closed_by). */
static int
conn_since(const struct facts_scn *fs, double t, double closed_by)
{
	size_t i;

	for (i = 0; fs != NULL && i < fs->nconns; i++)
		if (fs->conns[i].t_start >= t &&
		    (closed_by <= 0 || (fs->conns[i].t_end != 0 &&
		                           fs->conns[i].t_end <= closed_by)))
			return 1;
	return 0;
}

int
phase_attempt_seen(const struct facts_scn *fs, int attempt, double started,
    int sut_attempts, int base, int carry, double status_at, long long since_ms,
    long long quiet_ms)
{
	if (attempt <= 1)
		return 1;
	if (sut_attempts > 0)
		return sut_attempts > base + carry ||
		       (sut_attempts > base &&
		           conn_since(fs, started, status_at));
	return conn_since(fs, started, 0) || since_ms >= quiet_ms;
}

int
phase_write(const char *run_dir, const char *const *ids, const int *n,
    size_t count, char *why, size_t whysz)
{
	char *path = xasprintf("%s/" WORLD_ATTEMPTS_FILE, run_dir);
	int rc = scn_attempts_write(path, ids, n, count);

	if (rc != 0)
		snprintf(why, whysz,
		    "the attempt state file %s could not be written (%s)", path,
		    strerror(errno));
	free(path);
	return rc;
}

/* control - run "unbound-control CMD ARG" against the run's resolver;
   what failed into why. */
static int
control(const char *netns, const char *conf, const char *cmd, const char *arg,
    char *why, size_t whysz)
{
	char server[32];
	char *argv[] = {"unbound-control", "-c", (char *)conf, "-s", server,
	    (char *)cmd, (char *)arg, NULL};
	int rc;

	snprintf(server, sizeof(server), "127.0.0.1@%d", RESOLVER_CONTROL_PORT);
	rc = proc_run(
	    "unbound-control", netns, argv, NULL, PHASE_CONTROL_MS, NULL);
	if (rc != 0) {
		log_warnx("unbound-control %s %s: exit %d", cmd, arg, rc);
		snprintf(why, whysz,
		    "the resolver's cache could not be flushed "
		    "(unbound-control "
		    "%s %s: %s %d)",
		    cmd, arg, rc < 0 ? "did not run, status" : "exit", rc);
		return -1;
	}
	return 0;
}

int
phase_resolver_flush(const char *netns, const char *conf, const struct world *w,
    const struct scn *s, char *why, size_t whysz)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < w->nzones; i++) {
		if (w->zones[i].scn != s)
			continue;
		if (control(netns, conf, "flush_zone", w->zones[i].name, why,
		        whysz) < 0 ||
		    control(netns, conf, "flush_infra", w->zones[i].addr, why,
		        whysz) < 0)
			rc = -1;
	}
	return rc;
}
