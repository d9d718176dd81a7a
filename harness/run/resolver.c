/*
 * resolver.c - Unbound configuration for a run and the probe proving it
 * validates (see resolver.h). RFC 4035 section 3.2.3 (AD bit), RFC 6761
 * section 6.2 ("test." is ours to serve: Unbound's default local zone for
 * it must be switched off).
 */
#include "harness/run/resolver.h"

#include <errno.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "harness/run/netns.h"
#include "nsenter.h"
#include "proc.h"
#include "xmalloc.h"

/* The probe child reports through its exit status and a pipe. */
#define PROBE_TIMEOUT_MS 3000

/* conf_quote - refuse paths Unbound's quoted strings cannot hold. */
static int
conf_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\"\n\r") == NULL;
}

/*
 * knows_discard_timeout - whether this Unbound accepts "discard-timeout".
 * Debian's 1.17 with the CVE-2024-33655 fix drops the answer to a query
 * older than discard-timeout (1900 ms), expecting the client to ask
 * again; a SUT that asks once then sees a time-out on a busy machine, so
 * the run turns it off where the option exists (unbound-checkconf says).
 */
static int
knows_discard_timeout(void)
{
	static int known = -1;
	static const char probe[] = "server:\n\tdiscard-timeout: 0\n";
	char path[] = "/tmp/danesim-ubcheck-XXXXXX";
	int fd, status;
	pid_t pid;

	if (known >= 0)
		return known;
	known = 0;
	fd = mkstemp(path);
	if (fd < 0)
		return known;
	if (write(fd, probe, strlen(probe)) != (ssize_t)strlen(probe)) {
		close(fd);
		unlink(path);
		return known;
	}
	close(fd);
	pid = fork();
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);

		if (nul >= 0) {
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execlp("unbound-checkconf", "unbound-checkconf", path,
		    (char *)NULL);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		known = 1;
	unlink(path);
	return known;
}

/* The first question a silent name server gets stays a time-out for the
 * SUT: the resolver gives up only after every stub has. */
_Static_assert(
    RESOLVER_GIVE_UP_MS > NETNS_STUB_TIMEOUT_S * NETNS_STUB_ATTEMPTS * 1000,
    "the resolver must wait longer than the namespace's stub resolvers");

char *
resolver_write_conf(const char *dir, const char *addr, const char *root_hints,
    const char *trust_anchor)
{
	char *path = NULL;
	FILE *f;

	if (!conf_ok(dir) || !conf_ok(addr) || !conf_ok(root_hints) ||
	    !conf_ok(trust_anchor)) {
		log_errx("resolver: unusable path in configuration");
		return NULL;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		log_err("mkdir %s", dir);
		return NULL;
	}
	path = xasprintf("%s/unbound.conf", dir);
	f = fopen(path, "w");
	if (f == NULL) {
		log_err("%s", path);
		free(path);
		return NULL;
	}
	/* infra-cache-min-rtt, max-sent-count and val-max-restart bound how
	 * long Unbound keeps asking a name server that never answers (see
	 * RESOLVER_GIVE_UP_MS); Unbound's defaults (50 ms, 32 sends, 5
	 * validator restarts, each send's time-out doubling) keep it asking
	 * for minutes while the same server answers the zone's other
	 * questions. The fake name servers answer the same way every time,
	 * so a validator restart (asking again elsewhere after bogus data)
	 * would only fetch the same data. do-ip6 stays off: it governs
	 * Unbound's own transport to the name servers, all on IPv4 addresses;
	 * AAAA records (IPv6 MX hosts) are resolved and validated whatever it
	 * says. */
	fprintf(f,
	    "# unbound.conf - the validating resolver of one danesim run.\n"
	    "# Trusts only this run's root key; asks only fakedns.\n"
	    "server:\n"
	    "\tinterface: %s\n"
	    "\tport: 53\n"
	    "\tdo-ip4: yes\n"
	    "\tdo-ip6: no\n"
	    "\tdo-udp: yes\n"
	    "\tdo-tcp: yes\n"
	    "\taccess-control: 127.0.0.0/8 allow\n"
	    "\tdo-not-query-localhost: no\n"
	    "\troot-hints: \"%s\"\n"
	    "\ttrust-anchor-file: \"%s\"\n"
	    "\tlocal-zone: \"test.\" nodefault\n"
	    "\tusername: \"\"\n"
	    "\tchroot: \"\"\n"
	    "\tdirectory: \"%s\"\n"
	    "\tpidfile: \"\"\n"
	    "\tuse-syslog: no\n"
	    "\tlogfile: \"%s/unbound.log\"\n"
	    "\tlog-time-ascii: yes\n"
	    "\tverbosity: 1\n"
	    "\tval-log-level: 2\n"
	    "\tlog-servfail: yes\n"
	    "\tnum-threads: 1\n"
	    "\tmsg-cache-size: 4m\n"
	    "\trrset-cache-size: 8m\n"
	    "\tkey-cache-size: 4m\n"
	    "\tneg-cache-size: 1m\n"
	    "\tinfra-cache-numhosts: 10000\n"
	    "\tinfra-host-ttl: 30\n"
	    "\tinfra-keep-probing: yes\n"
	    "\tinfra-cache-min-rtt: %d\n"
	    "\tmax-sent-count: %d\n"
	    "\tval-max-restart: 0\n"
	    "\tharden-dnssec-stripped: yes\n"
	    "\tharden-glue: yes\n"
	    "\tqname-minimisation: no\n"
	    "\tprefetch: no\n"
	    "\tserve-expired: no\n"
	    "\taggressive-nsec: no\n"
	    "%s"
	    "\tval-permissive-mode: no\n"
	    "\tmodule-config: \"validator iterator\"\n"
	    "\tunblock-lan-zones: no\n"
	    "remote-control:\n"
	    "\tcontrol-enable: yes\n"
	    "\tcontrol-interface: 127.0.0.1\n"
	    "\tcontrol-port: %d\n"
	    "\tcontrol-use-cert: no\n",
	    addr, root_hints, trust_anchor, dir, dir, RESOLVER_MIN_RTO_MS,
	    RESOLVER_MAX_SENDS - 1,
	    knows_discard_timeout() ? "\tdiscard-timeout: 0\n" : "",
	    RESOLVER_CONTROL_PORT);
	if (fclose(f) != 0) {
		log_err("%s: write", path);
		free(path);
		return NULL;
	}
	return path;
}

char *const *
resolver_argv(const char *conf)
{
	static char *argv[5];

	argv[0] = "unbound";
	argv[1] = "-d";
	argv[2] = "-c";
	argv[3] = (char *)conf;
	argv[4] = NULL;
	return argv;
}

/* ask - query name SOA at res; 0 AD, 1 answered no AD, 2 no answer. */
static int
ask(ldns_resolver *res, const char *name, char *err, size_t errsz)
{
	ldns_rdf *dname;
	ldns_pkt *pkt = NULL;
	ldns_status st;
	int rc;

	dname = ldns_dname_new_frm_str(name);
	if (dname == NULL) {
		snprintf(err, errsz, "bad name %s", name);
		return 2;
	}
	st = ldns_resolver_query_status(
	    &pkt, res, dname, LDNS_RR_TYPE_SOA, LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_rdf_deep_free(dname);
	if (st != LDNS_STATUS_OK || pkt == NULL) {
		snprintf(err, errsz, "%s SOA: no answer (%s)", name,
		    ldns_get_errorstr_by_id(st));
		ldns_pkt_free(pkt);
		return 2;
	}
	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR ||
	    ldns_pkt_ancount(pkt) == 0) {
		snprintf(err, errsz, "%s SOA: rcode %d, %u answers", name,
		    (int)ldns_pkt_get_rcode(pkt), ldns_pkt_ancount(pkt));
		rc = ldns_pkt_get_rcode(pkt) == LDNS_RCODE_SERVFAIL ? 2 : 1;
	} else if (!ldns_pkt_ad(pkt)) {
		snprintf(err, errsz, "%s SOA answered without AD", name);
		rc = 1;
	} else
		rc = 0;
	ldns_pkt_free(pkt);
	return rc;
}

/* probe_child - the forked prober: enter netns, ask, exit with result. */
static void __attribute__((noreturn))
probe_child(const char *netns, const char *addr, int wfd)
{
	ldns_resolver *res;
	ldns_rdf *ns;
	char err[256] = "";
	int rc;

	if (netns != NULL && nsenter_net(netns) < 0)
		_exit(9);
	res = ldns_resolver_new();
	ns = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, addr);
	if (res == NULL || ns == NULL ||
	    ldns_resolver_push_nameserver(res, ns) != LDNS_STATUS_OK)
		_exit(9);
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_dnssec(res, true);
	ldns_resolver_set_edns_udp_size(res, 1232);
	ldns_resolver_set_retry(res, 1);
	ldns_resolver_set_timeout(res, (struct timeval){1, 0});
	ldns_resolver_set_recursive(res, true);
	rc = ask(res, ".", err, sizeof(err));
	if (rc == 0)
		rc = ask(res, "test.", err, sizeof(err));
	if (write(wfd, err, strlen(err)) < 0)
		rc = 9;
	ldns_resolver_deep_free(res);
	_exit(rc);
}

int
resolver_probe_once(
    const char *netns, const char *addr, char *err, size_t errsz)
{
	long long end;
	ssize_t r;
	int fds[2], st, rc = -1;
	pid_t pid, w;

	if (errsz > 0)
		err[0] = '\0';
	if (pipe(fds) < 0) {
		log_err("resolver probe: pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		log_err("resolver probe: fork");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		probe_child(netns, addr, fds[1]);
	}
	close(fds[1]);
	end = proc_now_ms() + PROBE_TIMEOUT_MS;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && proc_now_ms() < end)
		usleep(10000);
	if (w != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		snprintf(err, errsz, "probe timed out");
		close(fds[0]);
		return 2;
	}
	r = read(fds[0], err, errsz > 0 ? errsz - 1 : 0);
	if (r >= 0 && errsz > 0)
		err[r] = '\0';
	close(fds[0]);
	if (WIFEXITED(st) && WEXITSTATUS(st) <= 2)
		rc = WEXITSTATUS(st);
	else
		log_warnx("resolver probe failed (status %d)", st);
	return rc;
}

int
resolver_probe(const char *netns, const char *addr, int timeout_ms, char *err,
    size_t errsz)
{
	sig_atomic_t seen = proc_interrupts;
	long long end = proc_now_ms() + timeout_ms;
	int rc;

	for (;;) {
		rc = resolver_probe_once(netns, addr, err, errsz);
		if (rc == 0)
			return 0;
		if (rc < 0 || proc_now_ms() >= end || proc_interrupts != seen)
			return -1;
		proc_sleep_ms(200);
	}
}
