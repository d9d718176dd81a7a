/*
 * main.c - refsut, the reference DANE sender: delivers one message to its
 * recipients, grouped by domain, following RFC 7672 (opportunistic DANE
 * TLS for SMTP) by default, and wrong in exactly one way per switch so
 * danesim can prove that each scenario catches its mistake
 * (docs/refsut.md).
 *
 * Per domain: MX lookup (§2.1.2, §2.2.1, RFC 5321 §5.1), the MTA-STS
 * policy (RFC 8461, rs_sts.c), per host address and TLSA lookups
 * (§2.2.2, §2.2.3), the SMTP dialogue (rs_smtp.c), and the outcome:
 * delivered, deferred (exit 75) or bounced (exit 69).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <ldns/ldns.h>
#include <openssl/crypto.h>

#include "buf.h"
#include "log.h"
#include "rs_dane.h"
#include "rs_dns.h"
#include "rs_policy.h"
#include "rs_serve.h"
#include "rs_smtp.h"
#include "rs_sts.h"
#include "rs_tlsacache.h"
#include "smtp.h"
#include "xmalloc.h"

/* refsut's own version, for --version and the SUT profile. */
#define RS_VERSION "1.0"

/* How many MX hosts, and addresses per host, refsut tries at most (a
 * hostile RRset must not keep it busy for hours; Postfix has
 * smtp_mx_address_limit for the same reason). */
#define RS_MAX_HOSTS 16
#define RS_MAX_ADDRS 8

/* The largest message refsut reads. */
#define RS_MAX_MESSAGE (64u * 1024 * 1024)

/* Settings from the command line. */
struct opts {
	const char *resolv_conf;
	int port;
	const char *ehlo;
	int timeout_s;
	const char *logfile;
	const char *sender;
	const char *message;
	uint64_t flags;
	int attempt; /* --attempt N: the delivery attempt, 1 = first */
	const char *state_dir;   /* -s DIR: kept across attempts */
	const char *policy_file; /* -P FILE: per-destination policy */
};

/* One next-hop domain and its recipients. */
struct domain {
	char *name;            /* lower case, no final dot (owned) */
	struct rs_rcpt *rcpts; /* owned, with owned addresses */
	size_t nrcpts;
	struct dp_entry pol; /* its line of the policy file (-P); empty:
	                        opportunistic DANE through its MX hosts */
};

/*
 * How one next hop is reached: the TCP port, the port of its TLSA query
 * names, and the level in force (rs_policy_level).
 */
struct hop {
	int port;
	int tlsa_port;
	enum dp_level level;
	const char *nexthop_x; /* the next hop's CNAME-expanded name, when
	                          its MX lookup followed one (§3.2.2) */
};

/* Shared state of one run. */
struct run {
	const struct opts *o;
	struct rs_dns *dns;
	SSL_CTX *ctx;
	SSL_CTX *sts_ctx; /* WebPKI: the MTA-STS fetch and its MX hosts */
	struct buf body;
};

/* usage - the full usage text to f. */
static void
usage(FILE *f)
{
	int i;

	fputs(
	    "usage: refsut [SWITCH...] [-r RESOLV_CONF] [-p PORT]\n"
	    "              [-e EHLO_NAME] [-t TIMEOUT_S] [-l LOGFILE] [-s "
	    "DIR]\n"
	    "              [-P POLICY_FILE] [--attempt N] -f SENDER\n"
	    "              [-m MESSAGE_FILE] RCPT...\n"
	    "       refsut --serve DIR [SWITCH...] [-r RESOLV_CONF] [-p PORT]\n"
	    "              [-e EHLO_NAME] [-t TIMEOUT_S] [-l LOGFILE] [-s "
	    "DIR]\n"
	    "              [-P POLICY_FILE]\n"
	    "\n"
	    "Deliver a message to RCPT... over SMTP with opportunistic\n"
	    "DANE TLS (RFC 7672). Correct by default; each SWITCH makes\n"
	    "it wrong in one way, for testing DANE test suites.\n"
	    "A RCPT at an address literal, user@[192.0.2.1], goes to\n"
	    "that address with opportunistic TLS, no DANE and no SNI.\n"
	    "\n"
	    "  -r FILE   resolv.conf naming a validating resolver\n"
	    "            (default /etc/resolv.conf); its AD bit is trusted\n"
	    "  -p PORT   SMTP port (default 25)\n"
	    "  -e NAME   EHLO name (default refsut.invalid)\n"
	    "  -t SECS   time-out per DNS query and per SMTP step\n"
	    "            (default 10)\n"
	    "  -l FILE   append the decision log to FILE, not stderr\n"
	    "  -s DIR    state folder kept across attempts: TLS sessions\n"
	    "            of DANE-authenticated hosts (resumed only under\n"
	    "            the same TLSA RRset), MTA-STS policies (one fetch\n"
	    "            per policy id while younger than max_age); needed\n"
	    "            by --stale-tlsa-cache and --resume-after-tlsa-change\n"
	    "  -P FILE   per-destination policy, one \"DOMAIN LEVEL ROUTE\n"
	    "            FALLBACK\" line per domain (tab-separated; LEVEL\n"
	    "            dane-only, dane, encrypt, may or -; ROUTE and\n"
	    "            FALLBACK host[:port] or -): danesim's\n"
	    "            world/sut-policy.tsv\n"
	    "  -f ADDR   envelope sender (\"\" for the null sender)\n"
	    "  -m FILE   the message (default, or \"-\": standard input)\n"
	    "  --attempt N  this is delivery attempt N of the message\n"
	    "            (default 1; a queue run's retry passes 2, 3...)\n"
	    "  --help    this text;  --version  version\n"
	    "  --list-switches  the switch names, one a line\n"
	    "\n"
	    "With --serve (first), refsut makes DIR/status, DIR/pids and the\n"
	    "FIFO DIR/jobs, goes to the background (its pid in\n"
	    "DIR/serve.pid) and delivers each job line written to the FIFO,\n"
	    "\"KEY<TAB>ATTEMPT<TAB>SENDER<TAB>MESSAGE_FILE<TAB>RCPT\", in a\n"
	    "child process of its own, as the options given and\n"
	    "\"--attempt ATTEMPT -f SENDER -m MESSAGE_FILE RCPT\" would; the\n"
	    "child keeps its pid in DIR/pids/KEY while it runs and writes\n"
	    "\"STATUS EXIT ATTEMPT\" to DIR/status/KEY (STATUS delivered,\n"
	    "deferred, bounced or unknown). A delivery then costs a fork,\n"
	    "not a new program and OpenSSL's set-up.\n"
	    "\n"
	    "Switches (also from REFSUT_SWITCHES=\"name name...\"):\n",
	    f);
	for (i = 0; i < RS_SW_COUNT; i++)
		fprintf(
		    f, "  --%-27s %s\n", rs_switch_name(i), rs_switch_help(i));
	fprintf(f,
	    "\n"
	    "MTA-STS (RFC 8461) is applied where DANE does not decide: the\n"
	    "policy is fetched over HTTPS, validated against OpenSSL's "
	    "default\n"
	    "trust store (SSL_CERT_FILE), and cached in the state folder.\n"
	    "\n"
	    "Exit status: 0 all delivered, 75 some deferred and none bounced,\n"
	    "69 some bounced, 2 usage error.\n");
}

/* parse_int - a decimal in [lo, hi] or -1. */
static int
parse_int(const char *s, int lo, int hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	return (int)v;
}

/* valid_domain - whether d looks like a host name we can look up. */
static int
valid_domain(const char *d)
{
	size_t i, n = strlen(d);

	if (n == 0 || n > 253 || d[0] == '.' || d[0] == '[')
		return 0;
	for (i = 0; i < n; i++) {
		char ch = d[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		        (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		        ch == '_'))
			return 0;
		if (ch == '.' && i + 1 < n && d[i + 1] == '.')
			return 0;
	}
	return 1;
}

/* add_rcpt - put addr under its domain; -1 if addr is unusable. */
static int
add_rcpt(struct domain **doms, size_t *ndoms, const char *addr)
{
	const char *at = strrchr(addr, '@');
	char *name;
	size_t i;
	struct domain *d = NULL;

	if (at == NULL || at == addr || !rs_smtp_valid_address(addr) ||
	    !(valid_domain(at + 1) || smtp_addr_literal(at + 1, NULL, 0)))
		return -1;
	name = xstrdup(at + 1);
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] = (char)(name[i] - 'A' + 'a');
	if (i > 0 && name[i - 1] == '.')
		name[i - 1] = '\0';
	for (i = 0; i < *ndoms; i++)
		if (strcmp((*doms)[i].name, name) == 0)
			d = &(*doms)[i];
	if (d == NULL) {
		*doms = xreallocarray(*doms, *ndoms + 1, sizeof(**doms));
		d = &(*doms)[(*ndoms)++];
		memset(d, 0, sizeof(*d));
		d->name = name;
	} else {
		free(name);
	}
	d->rcpts = xreallocarray(d->rcpts, d->nrcpts + 1, sizeof(*d->rcpts));
	d->rcpts[d->nrcpts].addr = xstrdup(addr);
	d->rcpts[d->nrcpts].state = RS_RCPT_PENDING;
	d->nrcpts++;
	return 0;
}

/* read_message - the whole message from path ("-" or NULL: stdin). */
static int
read_message(const char *path, struct buf *out)
{
	FILE *f = stdin;
	char tmp[65536];
	size_t n;
	int rc = 0;

	if (path != NULL && strcmp(path, "-") != 0) {
		f = fopen(path, "rb");
		if (f == NULL) {
			log_err("%s", path);
			return -1;
		}
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (out->len + n > RS_MAX_MESSAGE) {
			log_errx(
			    "message larger than %u bytes", RS_MAX_MESSAGE);
			rc = -1;
			break;
		}
		buf_append(out, tmp, n);
	}
	if (rc == 0 && ferror(f)) {
		log_err("reading the message");
		rc = -1;
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

/* pending - recipients of d still pending. */
static size_t
count_state(const struct domain *d, enum rs_rcpt_state st)
{
	size_t i, k = 0;

	for (i = 0; i < d->nrcpts; i++)
		if (d->rcpts[i].state == st)
			k++;
	return k;
}

/* usable_counts - records in t, how many usable, how many DANE-TA. */
static size_t
usable_count(const struct rs_dns_result *t)
{
	size_t i, k = 0;

	for (i = 0; i < t->ntlsa; i++)
		if (rs_policy_tlsa_usable(t->tlsa[i].usage, t->tlsa[i].selector,
		        t->tlsa[i].mtype, t->tlsa[i].len))
			k++;
	return k;
}

/*
 * lookup_tlsa - the TLSA lookup of name: through the resolver, or with
 * stale-tlsa-cache from the state folder when an earlier attempt kept an
 * answer there (its TTL ignored); a fresh secure answer is kept.
 */
static void
lookup_tlsa(
    struct run *run, const char *name, int port, struct rs_dns_result *t)
{
	const struct opts *o = run->o;

	if (!(o->flags & RS_SW_STALE_TLSA_CACHE)) {
		rs_dns_lookup_tlsa(run->dns, name, port, t);
		return;
	}
	if (rs_tlsacache_get(o->state_dir, name, port, t) == 1) {
		log_info("%s: TLSA: %zu record(s) from the cache of an "
		         "earlier attempt, TTL ignored [stale-tlsa-cache]",
		    name, t->ntlsa);
		return;
	}
	rs_dns_lookup_tlsa(run->dns, name, port, t);
	if (t->state == RS_DNS_SECURE && t->ntlsa > 0)
		rs_tlsacache_put(o->state_dir, name, port, t);
}

/*
 * tlsa_for_host - TLSA lookup for host (address lookup ar): with a
 * secure CNAME the expanded name is the first candidate base domain and
 * the host name the second (§2.2.3); an error at any candidate ends the
 * search (R-2.2.2-k); --unexpanded-tlsa-first searches the host name
 * first. Fills t and *base (points into ar or host). TLSA names are
 * _port._tcp.
 */
static void
tlsa_for_host(struct run *run, const char *host, const struct rs_dns_result *ar,
    int port, struct rs_dns_result *t, const char **base)
{
	const char *rule;
	unsigned cand;

	*base = host;
	if (ar->cname && strcmp(ar->final_name, host) != 0) {
		cand = rs_policy_tlsa_candidates(run->o->flags, &rule);
		if (cand & RS_CAND_ORIGINAL_FIRST) {
			log_info("%s: CNAME to %s: TLSA at the original name "
			         "first [%s]",
			    host, ar->final_name, rule);
			lookup_tlsa(run, host, port, t);
			if (t->state == RS_DNS_SECURE ||
			    t->state == RS_DNS_ERROR)
				return;
			rs_dns_result_clear(t);
			lookup_tlsa(run, ar->final_name, port, t);
			if (t->state == RS_DNS_SECURE ||
			    t->state == RS_DNS_ERROR)
				*base = ar->final_name;
			return;
		}
		if (cand != (RS_CAND_EXPANDED | RS_CAND_ORIGINAL))
			log_info(
			    "%s: CNAME to %s: TLSA only at the %s name [%s]",
			    host, ar->final_name,
			    cand == RS_CAND_EXPANDED ? "expanded" : "original",
			    rule);
		if (cand & RS_CAND_EXPANDED) {
			lookup_tlsa(run, ar->final_name, port, t);
			if (t->state == RS_DNS_SECURE ||
			    t->state == RS_DNS_ERROR ||
			    !(cand & RS_CAND_ORIGINAL)) {
				*base = ar->final_name;
				return;
			}
			rs_dns_result_clear(t);
		}
	}
	lookup_tlsa(run, host, port, t);
}

/*
 * insecure_cname - RFC 7672 §2.2.2 "Insecure CNAME": host's address is
 * insecure and was reached through a CNAME. A separate CNAME query of
 * host tells whether the alias itself is signed (§2.1.3): if it is, TLSA
 * is looked up with host, the original name, as the base domain; if not,
 * DANE does not apply. Fills t (left alone for no DANE) and *base.
 * Returns -1 when the CNAME lookup failed (the host is unreachable,
 * §2.1.3), else 0.
 */
static int
insecure_cname(struct run *run, const char *host,
    const struct rs_dns_result *ar, int port, struct rs_dns_result *t,
    const char **base)
{
	struct rs_dns_result cr;
	const char *rule;
	int rc = 0;

	switch (rs_policy_insecure_cname(run->o->flags, &rule)) {
	case RS_ICN_NO_DANE:
		log_info(
		    "%s: address insecure via CNAME: no DANE [%s]", host, rule);
		return 0;
	case RS_ICN_TARGET:
		rs_dns_lookup_a(run->dns, ar->final_name, &cr);
		if (cr.state == RS_DNS_SECURE) {
			log_info("%s: CNAME target %s has a secure address: "
			         "TLSA there [%s]",
			    host, ar->final_name, rule);
			rs_dns_result_clear(&cr);
			rs_dns_lookup_tlsa(run->dns, ar->final_name, port, t);
			*base = ar->final_name;
			return 0;
		}
		rs_dns_result_clear(&cr);
		break;
	case RS_ICN_CHECK:
		break;
	}
	rs_dns_lookup_cname(run->dns, host, &cr);
	if (cr.state == RS_DNS_ERROR) {
		log_info("%s: CNAME lookup %s: host skipped [R-2.1.3-c]", host,
		    cr.why);
		rc = -1;
	} else if (cr.state == RS_DNS_SECURE) {
		log_info("%s: address insecure via a secure CNAME: TLSA at the "
		         "original name [R-2.2.2-i]",
		    host);
		rs_dns_lookup_tlsa(run->dns, host, port, t);
		*base = host;
	} else
		log_info("%s: initial CNAME %s: no DANE [R-2.2.2-i]", host,
		    rs_dns_state_str(cr.state));
	rs_dns_result_clear(&cr);
	return rc;
}

/* attempt_init - the parts of an attempt at host for d that come from
 * the run and the hop (the plan's DNS parts are the caller's). */
static void
attempt_init(struct run *run, struct domain *d, const char *host,
    const struct hop *hp, struct rs_attempt *a)
{
	const struct opts *o = run->o;

	memset(a, 0, sizeof(*a));
	a->domain = d->name;
	a->host = host;
	a->port = hp->port;
	a->ehlo = o->ehlo;
	a->timeout_s = o->timeout_s;
	a->sender = o->sender;
	a->body = &run->body;
	a->ctx = run->ctx;
	a->state_dir = o->state_dir;
	a->plan.nexthop = d->name;
	a->plan.nexthop_x = hp->nexthop_x;
	a->plan.flags = o->flags;
	a->plan.attempt = o->attempt;
}

/* attempt_address - the SMTP attempt at a->addr, and the reconnection
 * it may ask for (a TLS hello after --sslv2-hello, clear text where
 * allowed); what became of the last one. */
static enum rs_attempt_result
attempt_address(struct rs_attempt *a, struct domain *d)
{
	enum rs_attempt_result r;

	a->no_tls = 0;
	a->tls_hello = 0;
	r = rs_smtp_attempt(a, d->rcpts, d->nrcpts);
	if (r == RS_ATT_RETRY_TLS) {
		a->tls_hello = 1;
		r = rs_smtp_attempt(a, d->rcpts, d->nrcpts);
	}
	if (r == RS_ATT_RETRY_CLEARTEXT) {
		a->no_tls = 1;
		r = rs_smtp_attempt(a, d->rcpts, d->nrcpts);
	}
	return r;
}

/*
 * lookup_addresses - host's A and AAAA RRsets as one result in *ar
 * (release with rs_dns_result_clear): the IPv6 addresses first (RFC 6724
 * §10.3 prefers IPv6 by default), then the IPv4 ones; its state from
 * rs_policy_addr_state. After a failed A lookup the host is skipped
 * whatever AAAA says, so AAAA is not asked (a time-out costs time).
 */
static void
lookup_addresses(struct run *run, const char *host, struct rs_dns_result *ar)
{
	struct rs_dns_result a6;
	char(*all)[RS_DNS_ADDR_MAX];
	enum rs_dns_state st;
	const char *rule;
	size_t n;

	rs_dns_lookup_a(run->dns, host, ar);
	if (ar->state == RS_DNS_ERROR)
		return;
	rs_dns_lookup_aaaa(run->dns, host, &a6);
	st = rs_policy_addr_state(ar->state, a6.state, run->o->flags, &rule);
	if (a6.state != RS_DNS_NODATA && a6.state != RS_DNS_NXDOMAIN)
		log_info("%s: A %s, AAAA %s: addresses %s [%s]", host, ar->why,
		    a6.why, rs_dns_state_str(st), rule);
	if (st == RS_DNS_ERROR && a6.state == RS_DNS_ERROR)
		snprintf(ar->why, sizeof(ar->why), "AAAA: %.150s", a6.why);
	n = ar->naddrs + a6.naddrs;
	all = xcalloc(n ? n : 1, sizeof(*all));
	if (a6.naddrs > 0)
		memcpy(all, a6.addrs, a6.naddrs * sizeof(*all));
	if (ar->naddrs > 0)
		memcpy(all + a6.naddrs, ar->addrs, ar->naddrs * sizeof(*all));
	free(ar->addrs);
	ar->addrs = all;
	ar->naddrs = n;
	ar->cname |= a6.cname;
	if (ar->naddrs == a6.naddrs && a6.final_name != NULL) {
		free(ar->final_name);
		ar->final_name = xstrdup(a6.final_name);
	}
	ar->state = st;
	ar->ad = st == RS_DNS_SECURE;
	rs_dns_result_clear(&a6);
}

/*
 * try_host - deliver the pending recipients of d through host, reached
 * as hp says, under the domain's MTA-STS policy sts (NULL: none in mode
 * enforce). Returns 0 when no recipient is pending any more, -1 when
 * the host failed.
 */
static int
try_host(struct run *run, struct domain *d, const char *host, int mx_secure,
    const struct hop *hp, const struct mtasts_policy *sts)
{
	const struct opts *o = run->o;
	struct rs_dns_result ar, tr;
	struct rs_attempt a;
	const char *rule, *base = host;
	enum rs_tls_mode mode, dns_mode;
	enum rs_sts use = RS_STS_OFF;
	const char *sts_rule = NULL;
	size_t i, nusable = 0;
	int rc = -1;

	memset(&tr, 0, sizeof(tr));
	tr.state = RS_DNS_NOT_LOOKED;
	memset(&ar, 0, sizeof(ar));
	if (rs_policy_tlsa_before_address(o->flags) &&
	    rs_policy_level_wants_tlsa(hp->level)) {
		lookup_tlsa(run, host, hp->tlsa_port, &tr);
		if (tr.state == RS_DNS_ERROR) {
			log_info("%s: TLSA lookup before the address %s: host "
			         "skipped [R-2.2.2-c violated: "
			         "--tlsa-before-address]",
			    host, tr.why);
			goto out;
		}
		log_info("%s: TLSA looked up before the address: %s "
		         "[R-2.2.2-c violated: --tlsa-before-address]",
		    host, rs_dns_state_str(tr.state));
		rs_dns_result_clear(&tr);
		memset(&tr, 0, sizeof(tr));
		tr.state = RS_DNS_NOT_LOOKED;
	}
	lookup_addresses(run, host, &ar);
	if (ar.state != RS_DNS_SECURE && ar.state != RS_DNS_INSECURE) {
		log_info("%s: address lookup %s: host skipped [%s]", host,
		    ar.why,
		    ar.state == RS_DNS_ERROR ? "R-2.1.2-b" : "R-2.2.2-d");
		goto out;
	}
	if (ar.naddrs == 0) {
		log_info(
		    "%s: no usable address: host skipped [R-2.2.2-d]", host);
		goto out;
	}
	if (!rs_policy_level_wants_tlsa(hp->level)) {
		log_info("%s: no TLSA lookup: level %s", host,
		    dp_level_str(hp->level));
	} else if (rs_policy_tlsa_wanted(
	               mx_secure, ar.state, o->flags, &rule)) {
		tlsa_for_host(run, host, &ar, hp->tlsa_port, &tr, &base);
		nusable = usable_count(&tr);
	} else if (mx_secure && ar.state == RS_DNS_INSECURE && ar.cname &&
	           !(o->flags & RS_SW_IGNORE_TLSA)) {
		if (insecure_cname(run, host, &ar, hp->tlsa_port, &tr, &base) ==
		    -1)
			goto out;
		nusable = usable_count(&tr);
	} else {
		log_info("%s: no TLSA lookup: MX %s, address %s%s: no DANE "
		         "[%s]",
		    host, mx_secure ? "secure" : "not secure",
		    rs_dns_state_str(ar.state), ar.cname ? " (via CNAME)" : "",
		    rule);
	}
	dns_mode =
	    rs_policy_tls_mode(tr.state, tr.ntlsa, nusable, o->flags, &rule);
	mode = dns_mode;
	if (tr.state == RS_DNS_ERROR)
		log_info("%s: TLSA lookup %s: %s [%s]", base, tr.why,
		    mode == RS_TLS_SKIP ? "host unreachable"
		                        : "treated as no TLSA",
		    rule);
	else if (tr.state != RS_DNS_NOT_LOOKED)
		log_info("%s: TLSA %s: %zu record(s), %zu usable: TLS %s [%s]",
		    base, tr.state == RS_DNS_SECURE ? "secure" : tr.why,
		    tr.ntlsa, nusable, rs_tls_mode_str(mode), rule);
	if (mode != RS_TLS_SKIP)
		mode = rs_policy_level_mode(hp->level, dns_mode, &rule);
	if (mode != dns_mode) {
		/* an insecure MX RRset or CNAME on the way: §2.2.1 */
		if (mode == RS_TLS_SKIP && !mx_secure)
			rule = "R-2.2.1-g";
		log_info("%s: level %s: TLS %s%s [%s]", host,
		    dp_level_str(hp->level), rs_tls_mode_str(mode),
		    mode == RS_TLS_SKIP ? ": no connection" : "", rule);
	}
	if (sts != NULL) {
		use = rs_policy_sts(1, mtasts_policy_mx_match(sts, host), mode,
		    o->flags, &sts_rule);
		log_info(
		    "%s: MTA-STS enforce: host %s the policy's mx: %s [%s]",
		    host,
		    mtasts_policy_mx_match(sts, host) ? "matches"
		                                      : "matches none of",
		    use == RS_STS_PKIX     ? "TLS with WebPKI validation"
		    : use == RS_STS_REFUSE ? "host not used"
		                           : "not applied, DANE decides",
		    sts_rule);
		if (use == RS_STS_REFUSE)
			goto out;
		if (use == RS_STS_PKIX)
			mode = RS_TLS_DANE;
	}
	if (mode == RS_TLS_SKIP)
		goto out;
	attempt_init(run, d, host, hp, &a);
	a.plan.mode = mode;
	a.plan.base = base;
	a.plan.mx_secure = mx_secure;
	a.plan.tlsa = tr.tlsa;
	a.plan.ntlsa = tr.ntlsa;
	if (use == RS_STS_PKIX) {
		if ((a.ctx = rs_sts_ctx(&run->sts_ctx)) == NULL) {
			log_info("%s: no TLS context for WebPKI: host not used",
			    host);
			goto out;
		}
		a.plan.base = host;
		a.plan.sts = 1;
		a.plan.sts_rule = sts_rule;
	}
	if (ar.naddrs > RS_MAX_ADDRS)
		log_info("%s: %zu addresses, trying the first %d", host,
		    ar.naddrs, RS_MAX_ADDRS);
	for (i = 0; i < ar.naddrs && i < RS_MAX_ADDRS; i++) {
		a.addr = ar.addrs[i];
		if (attempt_address(&a, d) == RS_ATT_DONE) {
			rc = 0;
			break;
		}
	}
out:
	rs_dns_result_clear(&ar);
	rs_dns_result_clear(&tr);
	return rc;
}

/*
 * try_literal - deliver the pending recipients of d, whose domain is the
 * address literal addr (RFC 5321 §4.1.3), to that address: no MX and no
 * TLSA lookup, opportunistic TLS without SNI (RFC 7672 §2.2: "DANE TLS
 * does not apply"; RFC 6066 §3: no address in SNI) - unless
 * --literal-as-hostname treats the address as a host name. Returns as
 * try_host.
 */
static int
try_literal(
    struct run *run, struct domain *d, const char *addr, const struct hop *hp)
{
	const struct opts *o = run->o;
	struct rs_dns_result tr;
	struct rs_attempt a;
	enum rs_tls_mode mode = RS_TLS_MAY;
	const char *rule = "R-2.2-f";
	struct in_addr in;
	int rc = -1;

	memset(&tr, 0, sizeof(tr));
	tr.state = RS_DNS_NOT_LOOKED;
	if (inet_pton(AF_INET, addr, &in) != 1) {
		log_info("%s: only IPv4 address literals are supported: "
		         "deferred",
		    d->name);
		return -1;
	}
	if (rs_policy_literal_as_name(o->flags)) {
		lookup_tlsa(run, addr, hp->tlsa_port, &tr);
		mode = rs_policy_tls_mode(
		    tr.state, tr.ntlsa, usable_count(&tr), o->flags, &rule);
		log_info("%s: address literal treated as a host name: TLSA "
		         "_%d._tcp.%s %s, %zu record(s): TLS %s [R-2.2-f "
		         "violated: --literal-as-hostname; %s]",
		    d->name, hp->tlsa_port, addr,
		    tr.state == RS_DNS_SECURE ? "secure" : tr.why, tr.ntlsa,
		    rs_tls_mode_str(mode), rule);
		if (mode == RS_TLS_SKIP)
			goto out;
	} else {
		log_info("%s: address literal: no MX or TLSA lookup, "
		         "opportunistic TLS without SNI [R-2.2-f, R6066-3-b]",
		    d->name);
	}
	attempt_init(run, d, addr, hp, &a);
	a.addr = addr;
	a.plan.mode = mode;
	a.plan.base = addr;
	a.plan.tlsa = tr.tlsa;
	a.plan.ntlsa = tr.ntlsa;
	a.plan.literal = !rs_policy_literal_as_name(o->flags);
	if (attempt_address(&a, d) == RS_ATT_DONE)
		rc = 0;
out:
	rs_dns_result_clear(&tr);
	return rc;
}

/* deliver_domain - the whole delivery to one domain; its outcome. */
static enum rs_outcome
deliver_domain(struct run *run, struct domain *d)
{
	const struct opts *o = run->o;
	struct rs_dns_result mr;
	enum rs_mx_action act;
	enum rs_outcome out;
	const char *rule;
	size_t i, nhosts;
	int mx_secure = 0, done = 0;
	struct hop hp;
	struct mtasts_policy stspol;
	const struct mtasts_policy *sts = NULL;
	char lit[64];

	memset(&mr, 0, sizeof(mr));
	memset(&stspol, 0, sizeof(stspol));
	hp.port = o->port;
	hp.nexthop_x = NULL;
	hp.tlsa_port = o->port;
	hp.level = rs_policy_level(d->pol.level, 0, o->flags, &rule);
	if (d->pol.level != DP_LEVEL_DEFAULT)
		log_info("%s: policy level %s: applying %s [%s]", d->name,
		    dp_level_str(d->pol.level), dp_level_str(hp.level), rule);
	if (smtp_addr_literal(d->name, lit, sizeof(lit))) {
		done = try_literal(run, d, lit, &hp) == 0;
		act = RS_MX_USE;
		goto fallback;
	}
	if (d->pol.route.host != NULL) {
		/* A configured next hop (§2.2.3): no MX lookup; the name
		 * comes from configuration, not DNS, so it is secure. */
		if (d->pol.route.port != 0)
			hp.port = d->pol.route.port;
		hp.tlsa_port = rs_policy_tlsa_port(hp.port, o->flags);
		log_info("%s: route to %s port %d: no MX lookup, TLSA at "
		         "_%d._tcp [%s]",
		    d->name, d->pol.route.host, hp.port, hp.tlsa_port,
		    hp.tlsa_port == hp.port
		        ? "R-2.2.3-c"
		        : "R-2.2.3-c violated: --route-tlsa-port25");
		done = try_host(run, d, d->pol.route.host, 1, &hp, NULL) == 0;
		act = RS_MX_USE;
		goto fallback;
	}
	rs_dns_lookup_mx(run->dns, d->name, &mr);
	act = rs_policy_mx_action(mr.state, mr.null_mx, o->flags, &rule);
	/* MTA-STS (RFC 8461 §3, §5): for a destination whose MX hosts (or
	 * own address) are used, at refsut's default level */
	if ((act == RS_MX_USE || act == RS_MX_IMPLICIT) &&
	    d->pol.level == DP_LEVEL_DEFAULT &&
	    rs_sts_fetch(run->dns, &run->sts_ctx, d->name, o->timeout_s,
	        o->state_dir, &stspol) == 1) {
		if (stspol.mode == MTASTS_ENFORCE)
			sts = &stspol;
		else
			log_info("%s: MTA-STS mode %s: delivering as without "
			         "a policy [RFC 8461 §5]",
			    d->name, mtasts_mode_str(stspol.mode));
	}
	switch (act) {
	case RS_MX_USE:
		mx_secure = mr.state == RS_DNS_SECURE;
		if (mr.cname && mr.final_name != NULL)
			hp.nexthop_x = mr.final_name;
		rs_policy_sort_hosts(mr.mx, mr.nmx);
		log_info("%s: MX %s (AD=%d): %zu host%s [%s]", d->name,
		    rs_dns_state_str(mr.state), mx_secure, mr.nmx,
		    mr.nmx == 1 ? "" : "s", rule);
		nhosts = mr.nmx;
		if (nhosts > RS_MAX_HOSTS) {
			log_info("%s: trying the first %d MX hosts only",
			    d->name, RS_MAX_HOSTS);
			nhosts = RS_MAX_HOSTS;
		}
		for (i = 0; i < nhosts && !done; i++) {
			if (try_host(run, d, mr.mx[i].name, mx_secure, &hp,
			        sts) == 0) {
				done = 1;
				break;
			}
			if (i + 1 < nhosts &&
			    !rs_policy_next_host_after_failure(o->flags)) {
				log_info("%s: not trying the next MX host "
				         "[R-2.1.2-b violated: --no-next-mx]",
				    d->name);
				break;
			}
		}
		if (!done && rs_policy_implicit_after_failure(act, o->flags)) {
			log_info("%s: every MX host failed: trying the "
			         "domain's own address [R5321-5.1-a violated: "
			         "--implicit-mx-fallback]",
			    d->name);
			done = try_host(run, d, d->name, 0, &hp, sts) == 0;
		}
		break;
	case RS_MX_IMPLICIT:
		if (mr.state == RS_DNS_NODATA) {
			mx_secure = mr.ad;
			log_info(
			    "%s: no MX records (NODATA, AD=%d): the domain "
			    "is its own host [%s]",
			    d->name, mr.ad, rule);
		} else {
			log_info("%s: MX lookup %s: using the domain's own "
			         "address [%s]",
			    d->name, mr.why, rule);
		}
		done = try_host(run, d, d->name, mx_secure, &hp, sts) == 0;
		break;
	case RS_MX_BOUNCE:
		log_info("%s: %s: the domain accepts no mail [%s]", d->name,
		    mr.null_mx ? "null MX" : mr.why, rule);
		for (i = 0; i < d->nrcpts; i++)
			if (d->rcpts[i].state == RS_RCPT_PENDING)
				d->rcpts[i].state = RS_RCPT_BOUNCED;
		break;
	case RS_MX_DEFER:
		log_info("%s: MX lookup %s: hosts unknown, delivery deferred "
		         "[%s]",
		    d->name, mr.why, rule);
		break;
	}
fallback:
	if (!done && act != RS_MX_BOUNCE && d->pol.fallback.host != NULL) {
		/* §1.1: the fallback relay is a destination of its own,
		 * DANE applies to it at the destination's level. */
		hp.port =
		    d->pol.fallback.port != 0 ? d->pol.fallback.port : o->port;
		hp.tlsa_port = rs_policy_tlsa_port(hp.port, o->flags);
		hp.level = rs_policy_level(d->pol.level, 1, o->flags, &rule);
		log_info("%s: no host took the mail: fallback relay %s port "
		         "%d, level %s [%s]",
		    d->name, d->pol.fallback.host, hp.port,
		    dp_level_str(hp.level), rule);
		done =
		    try_host(run, d, d->pol.fallback.host, 1, &hp, NULL) == 0;
	}
	out = rs_policy_domain_outcome(count_state(d, RS_RCPT_DELIVERED),
	    count_state(d, RS_RCPT_BOUNCED), count_state(d, RS_RCPT_PENDING),
	    o->flags);
	if (out == RS_OUT_BOUNCED && count_state(d, RS_RCPT_BOUNCED) == 0)
		log_info("%s: bouncing instead of deferring [R-2.1.2-e "
		         "violated: --bounce-on-failure]",
		    d->name);
	else if (out == RS_OUT_DEFERRED)
		log_info("%s: %zu recipient%s not delivered: deferred "
		         "[R-2.1.2-e]",
		    d->name, count_state(d, RS_RCPT_PENDING),
		    count_state(d, RS_RCPT_PENDING) == 1 ? "" : "s");
	if (d->nrcpts > 1)
		for (i = 0; i < d->nrcpts; i++)
			log_info("%s: <%s>: %s", d->name, d->rcpts[i].addr,
			    rs_rcpt_state_str(d->rcpts[i].state));
	log_info("%s: %s", d->name, rs_outcome_str(out));
	rs_dns_result_clear(&mr);
	mtasts_policy_free(&stspol);
	return out;
}

/* refsut_main - one delivery as the command line asks (argv[0] is the
 * program's name, optind 0 or 1): its exit status. */
static int
refsut_main(int argc, char **argv)
{
	static struct option longopts[RS_SW_COUNT + 5];
	struct opts o;
	struct run run;
	struct domain *doms = NULL;
	size_t ndoms = 0, i, j;
	enum rs_outcome *outs = NULL;
	const char *env;
	char bad[64];
	int ch, li, rc = 2;
	struct buf msg;

	memset(&o, 0, sizeof(o));
	memset(&run, 0, sizeof(run));
	buf_init(&run.body);
	buf_init(&msg);
	o.resolv_conf = "/etc/resolv.conf";
	o.port = 25;
	o.ehlo = "refsut.invalid";
	o.timeout_s = 10;
	o.attempt = 1;
	log_init("refsut", LOG_LVL_INFO);
	for (i = 0; i < RS_SW_COUNT; i++) {
		longopts[i].name = rs_switch_name((int)i);
		longopts[i].has_arg = no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = 0x100 + (int)i;
	}
	longopts[RS_SW_COUNT].name = "help";
	longopts[RS_SW_COUNT].val = 'h';
	longopts[RS_SW_COUNT + 1].name = "version";
	longopts[RS_SW_COUNT + 1].val = 'V';
	longopts[RS_SW_COUNT + 2].name = "list-switches";
	longopts[RS_SW_COUNT + 2].val = 'L';
	longopts[RS_SW_COUNT + 3].name = "attempt";
	longopts[RS_SW_COUNT + 3].has_arg = required_argument;
	longopts[RS_SW_COUNT + 3].val = 'A';
	env = getenv("REFSUT_SWITCHES");
	if (env != NULL &&
	    rs_switches_parse(env, &o.flags, bad, sizeof(bad)) < 0) {
		log_errx("REFSUT_SWITCHES: unknown switch \"%s\"", bad);
		return 2;
	}
	while ((ch = getopt_long(
	            argc, argv, "r:p:e:t:l:s:P:f:m:h", longopts, &li)) != -1) {
		switch (ch) {
		case 'r':
			o.resolv_conf = optarg;
			break;
		case 'p':
			if ((o.port = parse_int(optarg, 1, 65535)) < 0) {
				log_errx("-p: not a port: %s", optarg);
				return 2;
			}
			break;
		case 'e':
			o.ehlo = optarg;
			if (!valid_domain(o.ehlo)) {
				log_errx("-e: not a host name: %s", optarg);
				return 2;
			}
			break;
		case 't':
			if ((o.timeout_s = parse_int(optarg, 1, 3600)) < 0) {
				log_errx("-t: not a time-out: %s", optarg);
				return 2;
			}
			break;
		case 'l':
			o.logfile = optarg;
			break;
		case 's':
			o.state_dir = optarg;
			break;
		case 'P':
			o.policy_file = optarg;
			break;
		case 'A':
			if ((o.attempt = parse_int(optarg, 1, 1000)) < 0) {
				log_errx("--attempt: not a number 1..1000: %s",
				    optarg);
				return 2;
			}
			break;
		case 'f':
			o.sender = optarg;
			break;
		case 'm':
			o.message = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'L':
			for (i = 0; i < RS_SW_COUNT; i++)
				printf("%s\n", rs_switch_name((int)i));
			return 0;
		case 'V':
			printf("refsut %s (%s, ldns %s)\n", RS_VERSION,
			    OpenSSL_version(OPENSSL_VERSION), ldns_version());
			return 0;
		default:
			if (ch >= 0x100 && ch < 0x100 + RS_SW_COUNT) {
				o.flags |= UINT64_C(1) << (ch - 0x100);
				break;
			}
			usage(stderr);
			return 2;
		}
	}
	if (o.sender == NULL || optind >= argc) {
		log_errx("need -f SENDER and at least one RCPT (--help)");
		return 2;
	}
	if (!rs_smtp_valid_address(o.sender)) {
		log_errx("-f: unusable sender address");
		return 2;
	}
	if ((o.flags & RS_SW_RESUME_AFTER_TLSA_CHANGE) && o.state_dir == NULL) {
		log_errx("--resume-after-tlsa-change needs a state folder "
		         "(-s DIR)");
		return 2;
	}
	if ((o.flags & RS_SW_STALE_TLSA_CACHE) && o.state_dir == NULL) {
		log_errx("--stale-tlsa-cache needs a state folder (-s DIR)");
		return 2;
	}
	for (; optind < argc; optind++)
		if (add_rcpt(&doms, &ndoms, argv[optind]) < 0) {
			log_errx(
			    "unusable recipient address: %s", argv[optind]);
			goto out;
		}
	for (i = 0; o.policy_file != NULL && i < ndoms; i++) {
		char err[512];

		/* The policy is keyed by domain name; an address literal has
		 * none (and danesim's lint refuses a policy for it). */
		if (smtp_addr_literal(doms[i].name, NULL, 0))
			continue;

		if (dp_file_lookup(o.policy_file, doms[i].name, &doms[i].pol,
		        err, sizeof(err)) < 0) {
			log_errx("-P: %s", err);
			goto out;
		}
	}
	if (o.logfile != NULL && freopen(o.logfile, "a", stderr) == NULL) {
		/* stderr is gone now; say it on stdout. */
		printf("refsut: cannot open log %s: %s\n", o.logfile,
		    strerror(errno));
		goto out;
	}
	if (o.logfile != NULL)
		setvbuf(stderr, NULL, _IOLBF, 0);
	if (read_message(o.message, &msg) < 0)
		goto out;
	rs_smtp_encode_body(msg.data ? msg.data : "", msg.len, &run.body);
	signal(SIGPIPE, SIG_IGN);
	run.o = &o;
	for (i = 0; i < RS_SW_COUNT; i++)
		if (o.flags & (UINT64_C(1) << i))
			log_info("switch --%s: %s", rs_switch_name((int)i),
			    rs_switch_help((int)i));
	outs = xcalloc(ndoms, sizeof(*outs));
	/* One delivery is one short process: the kernel frees what
	 * OpenSSL holds, so its clean-up at exit (a twentieth of a
	 * delivery's instructions) is not registered. OpenSSL's first
	 * call, before any other. */
	OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT, NULL);
	run.ctx = rs_dane_ctx_new(o.flags);
	run.sts_ctx = NULL; /* made when first needed (rs_sts_ctx) */
	run.dns = rs_dns_new(o.resolv_conf, o.timeout_s);
	rs_dns_set_flags(run.dns, o.flags);
	for (i = 0; i < ndoms; i++) {
		if (run.ctx == NULL || run.dns == NULL) {
			/* Our own set-up failed: keep the mail queued. */
			outs[i] = RS_OUT_DEFERRED;
			log_info(
			    "%s: %s", doms[i].name, rs_outcome_str(outs[i]));
			continue;
		}
		outs[i] = deliver_domain(&run, &doms[i]);
	}
	rc = rs_policy_exit_code(outs, ndoms);
out:
	for (i = 0; i < ndoms; i++) {
		for (j = 0; j < doms[i].nrcpts; j++)
			free(doms[i].rcpts[j].addr);
		free(doms[i].rcpts);
		free(doms[i].name);
		dp_entry_clear(&doms[i].pol);
	}
	free(doms);
	free(outs);
	rs_dns_free(run.dns);
	SSL_CTX_free(run.ctx);
	SSL_CTX_free(run.sts_ctx);
	buf_free(&run.body);
	buf_free(&msg);
	return rc;
}

/*
 * serve_main - refsut --serve DIR [OPTION|SWITCH...]: make DIR's files
 * and OpenSSL ready, go to the background (the pid in DIR/serve.pid,
 * written before the command returns; its output and its deliveries' to
 * DIR/refsut.out) and start a delivery per job line (rs_serve.h), each
 * as "refsut OPTION|SWITCH... --attempt N -f SENDER -m MESSAGE -- RCPT"
 * would.
 */
static int
serve_main(int argc, char **argv)
{
	const char *dir = argv[2];
	FILE *f;
	int fd, rc;

	log_init("refsut", LOG_LVL_INFO);
	if ((fd = rs_serve_open(dir)) < 0)
		return 2;
	/* What every delivery would do first, done once: OpenSSL's set-up
	 * and a first context, which fetches the algorithms that every
	 * later context then finds cached. */
	OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT, NULL);
	SSL_CTX_free(SSL_CTX_new(TLS_client_method()));
	if ((rc = rs_serve_detach(dir)) != 0)
		return rc > 0 ? 0 : 2;
	if ((f = fdopen(fd, "r")) == NULL) {
		log_err("serve: fdopen");
		_exit(2);
	}
	rs_serve_loop(dir, f, argc - 3, argv + 3, refsut_main);
	_exit(0);
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--serve") == 0) {
		if (argc < 3 || argv[2][0] == '\0') {
			fprintf(stderr,
			    "refsut: --serve needs a folder (--help)\n");
			return 2;
		}
		return serve_main(argc, argv);
	}
	return refsut_main(argc, argv);
}
