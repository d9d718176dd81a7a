/*
 * rs_policy.c - refsut's decision logic (see rs_policy.h).
 *
 * Implements the client decisions of RFC 7672 §2.1.1 (DNS states), §2.1.2
 * (lookup failures), §2.2 (TLSA usability, mandatory TLS), §2.2.1 (MX
 * order, secure MX), §2.2.2 (secure addresses), §3.1.1 and §3.2.1
 * (DANE-EE: no name or date checks), §3.2.2 (reference identifiers),
 * §2.2.2 and §2.2.3 (the order of the address and TLSA lookups),
 * §8.1 (SNI; no SSL 2.0-compatible hello), RFC 3207 §4.2 (the EHLO
 * reply after TLS is the one that counts), §6 (discard pre-TLS data)
 * and RFC 5321 §5.1 (no
 * implicit MX when MX records exist). Each switch flips one decision.
 */
#include "rs_policy.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "xmalloc.h"

/* Names and help text of the switches, in bit order. */
static const struct {
	const char *name;
	const char *help;
} rs_switches[RS_SW_COUNT] = {
    {"ignore-tlsa", "DANE off: no TLSA lookup, opportunistic TLS only"},
    {"fallback-plaintext",
        "go on in cleartext when STARTTLS is missing or refused although "
        "TLS is required"},
    {"accept-tls-failure", "deliver although TLSA authentication failed"},
    {"tlsa-errors-as-absent",
        "treat a failed (SERVFAIL, bogus, time-out) TLSA lookup as "
        "\"no TLSA\""},
    {"no-sni", "send no SNI (server_name) in the ClientHello"},
    {"check-names-ee", "apply certificate name checks to DANE-EE too"},
    {"pkix-ta", "validate DANE-TA hosts against the system CA store instead of "
                "the TLSA trust anchor"},
    {"no-next-mx", "defer after the first failing host, never try the next"},
    {"implicit-mx-fallback",
        "fall back to the domain's own address when the MX lookup fails "
        "or every MX host failed"},
    {"bounce-on-failure", "bounce at once where a deferral is due"},
    {"keep-pre-tls-buffer",
        "read replies buffered before the TLS handshake as if they came "
        "over TLS (CVE-2021-38371)"},
    {"plaintext-on-retry",
        "on a retry (--attempt 2 or later), reconnect in cleartext after a "
        "failed TLS handshake although TLS is required"},
    {"reconnect-plaintext",
        "reconnect at once in cleartext after a failed TLS handshake "
        "although TLS is required"},
    {"ignore-address-security",
        "look up and use TLSA although the MX host's address is insecure"},
    {"all-tlsa-must-match",
        "require every usable TLSA record to match, not any one"},
    {"tlsa-unexpanded-only",
        "look up TLSA only at the MX host name as written, never at its "
        "CNAME-expanded name"},
    {"tlsa-expanded-only",
        "look up TLSA only at the CNAME-expanded name, never at the MX "
        "host name as written"},
    {"ta-must-follow-leaf",
        "accept a DANE-TA match only at the certificate right after the "
        "leaf"},
    {"insecure-cname-no-dane",
        "no DANE for a host whose address is insecure behind a secure "
        "CNAME: never ask the CNAME, never look TLSA up at the original "
        "name"},
    {"insecure-cname-dane",
        "look TLSA up at a CNAME target whose own address is secure "
        "although the CNAME chain to it is insecure"},
    {"pipeline-starttls",
        "send EHLO right behind STARTTLS, before its 220 reply"},
    {"stale-tlsa-cache",
        "keep secure TLSA answers in the state folder (-s) and use them on "
        "later attempts however old, ignoring their TTL"},
    {"cd-retry",
        "after a SERVFAIL or a time-out, ask again with the CD bit and use the "
        "unvalidated answer as an insecure one"},
    {"mandatory-as-opportunistic",
        "treat a destination configured for mandatory DANE (dane-only) as "
        "opportunistic DANE"},
    {"encrypt-as-may",
        "treat a destination configured to require TLS (encrypt) as "
        "opportunistic TLS"},
    {"route-tlsa-port25",
        "look TLSA up at _25._tcp whatever the port of a configured route "
        "or fallback relay"},
    {"fallback-relay-no-dane",
        "use the fallback relay with opportunistic TLS, no TLSA lookup"},
    {"resume-after-tlsa-change",
        "resume a TLS session kept in the state folder (-s) whatever the "
        "TLSA RRset now says, and skip the DANE check on a resumed "
        "session"},
    {"sslv2-hello",
        "open TLS with an SSL 2.0-compatible ClientHello (no room for SNI), "
        "reconnecting with a TLS ClientHello when it is refused"},
    {"keep-pre-tls-ehlo",
        "use the extensions of the EHLO reply before TLS inside TLS: "
        "PIPELINING and CHUNKING (BDAT) when that reply offered them"},
    {"mta-sts-overrides-dane",
        "with an MTA-STS policy in mode enforce, authenticate a host that "
        "has usable TLSA records by the WebPKI and the policy instead of "
        "DANE"},
    {"aaaa-security-unchecked",
        "validate A answers but not AAAA ones: a failed AAAA lookup is "
        "asked again with the CD bit, and a host's security is its A "
        "answer's alone"},
    {"literal-as-hostname",
        "treat an address-literal recipient domain (user@[192.0.2.1]) as a "
        "host name: look TLSA up at _25._tcp.ADDRESS and send the address "
        "as SNI"},
    {"no-ehlo-after-tls",
        "greet with HELO, not EHLO, as the first command after the TLS "
        "handshake"},
    {"tlsa-before-address",
        "look a host's TLSA records up before its addresses, and skip the "
        "host when that lookup fails"},
    {"unexpanded-tlsa-first",
        "for a host reached through a CNAME, look TLSA up at the MX host "
        "name as written first, at the expanded name only when that has "
        "no secure TLSA RRset"},
};

const char *
rs_dns_state_str(enum rs_dns_state s)
{
	switch (s) {
	case RS_DNS_SECURE:
		return "secure";
	case RS_DNS_INSECURE:
		return "insecure";
	case RS_DNS_NXDOMAIN:
		return "NXDOMAIN";
	case RS_DNS_NODATA:
		return "NODATA";
	case RS_DNS_ERROR:
		return "error";
	case RS_DNS_NOT_LOOKED:
		return "not looked up";
	}
	return "?";
}

uint64_t
rs_switch_by_name(const char *name)
{
	int i;

	if (name == NULL)
		return 0;
	if (strncmp(name, "--", 2) == 0)
		name += 2;
	for (i = 0; i < RS_SW_COUNT; i++)
		if (strcmp(name, rs_switches[i].name) == 0)
			return UINT64_C(1) << i;
	return 0;
}

const char *
rs_switch_name(int i)
{
	if (i < 0 || i >= RS_SW_COUNT)
		return NULL;
	return rs_switches[i].name;
}

const char *
rs_switch_help(int i)
{
	if (i < 0 || i >= RS_SW_COUNT)
		return NULL;
	return rs_switches[i].help;
}

int
rs_switches_parse(const char *list, uint64_t *flags, char *bad, size_t badlen)
{
	const char *p = list, *end;
	char word[64];
	size_t n;
	uint64_t bit;

	if (list == NULL)
		return 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, " \t,\n");
		n = (size_t)(end - p);
		bit = 0;
		if (n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			bit = rs_switch_by_name(word);
		}
		if (bit == 0) {
			if (bad != NULL && badlen > 0) {
				if (n >= badlen)
					n = badlen - 1;
				memcpy(bad, p, n);
				bad[n] = '\0';
			}
			return -1;
		}
		*flags |= bit;
		p = end;
	}
	return 0;
}

const char *
rs_mx_action_str(enum rs_mx_action a)
{
	switch (a) {
	case RS_MX_USE:
		return "use";
	case RS_MX_IMPLICIT:
		return "implicit";
	case RS_MX_BOUNCE:
		return "bounce";
	case RS_MX_DEFER:
		return "defer";
	}
	return "?";
}

enum rs_mx_action
rs_policy_mx_action(
    enum rs_dns_state mx, int null_mx, uint64_t flags, const char **rule)
{
	switch (mx) {
	case RS_DNS_SECURE:
	case RS_DNS_INSECURE:
		if (null_mx) {
			*rule = "RFC7505-3";
			return RS_MX_BOUNCE;
		}
		*rule = mx == RS_DNS_SECURE ? "R-2.2.1-l" : "R-2.2.1-h";
		return RS_MX_USE;
	case RS_DNS_NXDOMAIN:
		*rule = "R-2.1.1-g";
		return RS_MX_BOUNCE;
	case RS_DNS_NODATA:
		*rule = "R-2.2.2-b";
		return RS_MX_IMPLICIT;
	case RS_DNS_ERROR:
	case RS_DNS_NOT_LOOKED:
		break;
	}
	if (flags & RS_SW_IMPLICIT_MX_FALLBACK) {
		*rule = "R-2.1.2-a violated: --implicit-mx-fallback";
		return RS_MX_IMPLICIT;
	}
	*rule = "R-2.1.2-a";
	return RS_MX_DEFER;
}

int
rs_policy_implicit_after_failure(enum rs_mx_action a, uint64_t flags)
{
	return a == RS_MX_USE && (flags & RS_SW_IMPLICIT_MX_FALLBACK) != 0;
}

int
rs_policy_next_host_after_failure(uint64_t flags)
{
	return (flags & RS_SW_NO_NEXT_MX) == 0;
}

int
rs_policy_tlsa_usable(int usage, int selector, int mtype, size_t datalen)
{
	if (usage != 2 && usage != 3)
		return 0;
	if (selector != 0 && selector != 1)
		return 0;
	switch (mtype) {
	case 0:
		return datalen > 0;
	case 1:
		return datalen == 32;
	case 2:
		return datalen == 64;
	default:
		return 0;
	}
}

const char *
rs_tls_mode_str(enum rs_tls_mode m)
{
	switch (m) {
	case RS_TLS_SKIP:
		return "skip";
	case RS_TLS_MAY:
		return "may";
	case RS_TLS_ENCRYPT:
		return "encrypt";
	case RS_TLS_DANE:
		return "dane";
	}
	return "?";
}

int
rs_policy_tlsa_wanted(
    int mx_secure, enum rs_dns_state addr, uint64_t flags, const char **rule)
{
	if (flags & RS_SW_IGNORE_TLSA) {
		*rule = "R-2.2.1-l violated: --ignore-tlsa";
		return 0;
	}
	if (!mx_secure) {
		*rule = "R-2.2.1-h";
		return 0;
	}
	if (addr != RS_DNS_SECURE) {
		if (addr == RS_DNS_INSECURE &&
		    (flags & RS_SW_IGNORE_ADDRESS_SECURITY)) {
			*rule = "R-2.2.2-e violated: --ignore-address-security";
			return 1;
		}
		*rule = "R-2.2.2-e";
		return 0;
	}
	*rule = "R-2.2.2-h";
	return 1;
}

unsigned
rs_policy_tlsa_candidates(uint64_t flags, const char **rule)
{
	if (flags & RS_SW_TLSA_UNEXPANDED_ONLY) {
		*rule = "R-2.2.2-j violated: --tlsa-unexpanded-only";
		return RS_CAND_ORIGINAL;
	}
	if (flags & RS_SW_TLSA_EXPANDED_ONLY) {
		*rule = "R-2.2.3-h violated: --tlsa-expanded-only";
		return RS_CAND_EXPANDED;
	}
	if (flags & RS_SW_UNEXPANDED_TLSA_FIRST) {
		*rule = "R-2.2.3-b violated: --unexpanded-tlsa-first";
		return RS_CAND_EXPANDED | RS_CAND_ORIGINAL |
		       RS_CAND_ORIGINAL_FIRST;
	}
	*rule = "R-2.2.3-b";
	return RS_CAND_EXPANDED | RS_CAND_ORIGINAL;
}

enum rs_insecure_cname
rs_policy_insecure_cname(uint64_t flags, const char **rule)
{
	if (flags & RS_SW_INSECURE_CNAME_NO_DANE) {
		*rule = "R-2.2.2-i violated: --insecure-cname-no-dane";
		return RS_ICN_NO_DANE;
	}
	if (flags & RS_SW_INSECURE_CNAME_DANE) {
		*rule = "R-2.1.3-d violated: --insecure-cname-dane";
		return RS_ICN_TARGET;
	}
	*rule = "R-2.2.2-i";
	return RS_ICN_CHECK;
}

int
rs_policy_pipeline_starttls(uint64_t flags)
{
	return (flags & RS_SW_PIPELINE_STARTTLS) != 0;
}

int
rs_policy_resume_any_tlsa(uint64_t flags)
{
	return (flags & RS_SW_RESUME_AFTER_TLSA_CHANGE) != 0;
}

int
rs_policy_cd_retry(int failed, int aaaa, uint64_t flags)
{
	return failed &&
	       ((flags & RS_SW_CD_RETRY) != 0 ||
	           (aaaa && (flags & RS_SW_AAAA_SECURITY_UNCHECKED) != 0));
}

/* has_data - a lookup state that carries records. */
static int
has_data(enum rs_dns_state st)
{
	return st == RS_DNS_SECURE || st == RS_DNS_INSECURE;
}

enum rs_dns_state
rs_policy_addr_state(enum rs_dns_state a, enum rs_dns_state aaaa,
    uint64_t flags, const char **rule)
{
	if (a == RS_DNS_ERROR || aaaa == RS_DNS_ERROR) {
		*rule = "R-2.2.2-k";
		return RS_DNS_ERROR;
	}
	if (!has_data(a) && !has_data(aaaa)) {
		*rule = "R-2.2.2-d";
		return a == RS_DNS_NOT_LOOKED ? aaaa : a;
	}
	if (has_data(a) && (flags & RS_SW_AAAA_SECURITY_UNCHECKED) &&
	    aaaa == RS_DNS_INSECURE) {
		*rule = "R-2.2.2-h violated: --aaaa-security-unchecked";
		return a;
	}
	*rule = "R-2.2.2-h";
	if (a == RS_DNS_INSECURE || aaaa == RS_DNS_INSECURE)
		return RS_DNS_INSECURE;
	return RS_DNS_SECURE;
}

int
rs_policy_all_tlsa_must_match(uint64_t flags)
{
	return (flags & RS_SW_ALL_TLSA_MUST_MATCH) != 0;
}

int
rs_policy_ta_depth_ok(int depth, uint64_t flags)
{
	if (flags & RS_SW_TA_MUST_FOLLOW_LEAF)
		return depth == 1;
	return depth >= 1;
}

enum rs_tls_mode
rs_policy_tls_mode(enum rs_dns_state tlsa, size_t nrecords, size_t nusable,
    uint64_t flags, const char **rule)
{
	switch (tlsa) {
	case RS_DNS_NOT_LOOKED:
		*rule = "R-2.2-c";
		return RS_TLS_MAY;
	case RS_DNS_INSECURE:
	case RS_DNS_NXDOMAIN:
	case RS_DNS_NODATA:
		*rule = "R-2.2-c";
		return RS_TLS_MAY;
	case RS_DNS_ERROR:
		if (flags & RS_SW_TLSA_ERRORS_AS_ABSENT) {
			*rule = "R-2.1.2-d violated: --tlsa-errors-as-absent";
			return RS_TLS_MAY;
		}
		*rule = "R-2.1.2-d";
		return RS_TLS_SKIP;
	case RS_DNS_SECURE:
		break;
	}
	if (nrecords == 0) {
		/* A secure answer without records is a denial, not a set. */
		*rule = "R-2.2-c";
		return RS_TLS_MAY;
	}
	if (nusable == 0) {
		*rule = "R-2.2-b";
		return RS_TLS_ENCRYPT;
	}
	*rule = "R-2.2-a";
	return RS_TLS_DANE;
}

enum dp_level
rs_policy_level(
    enum dp_level level, int fallback, uint64_t flags, const char **rule)
{
	*rule = fallback ? "R-1.1-c" : "R-2.2-e";
	if (level == DP_LEVEL_DEFAULT)
		level = DP_LEVEL_DANE;
	if (fallback && (flags & RS_SW_FALLBACK_RELAY_NO_DANE)) {
		*rule = "R-1.1-c violated: --fallback-relay-no-dane";
		return DP_LEVEL_MAY;
	}
	if (level == DP_LEVEL_DANE_ONLY &&
	    (flags & RS_SW_MANDATORY_AS_OPPORTUNISTIC)) {
		*rule = "R-2.2-e violated: --mandatory-as-opportunistic";
		return DP_LEVEL_DANE;
	}
	if (level == DP_LEVEL_ENCRYPT && (flags & RS_SW_ENCRYPT_AS_MAY)) {
		*rule = "R3207-6-a violated: --encrypt-as-may";
		return DP_LEVEL_MAY;
	}
	if (level == DP_LEVEL_ENCRYPT)
		*rule = "R3207-6-a";
	return level;
}

int
rs_policy_level_wants_tlsa(enum dp_level level)
{
	return level == DP_LEVEL_DANE_ONLY || level == DP_LEVEL_DANE ||
	       level == DP_LEVEL_DEFAULT;
}

enum rs_tls_mode
rs_policy_level_mode(
    enum dp_level level, enum rs_tls_mode dns_mode, const char **rule)
{
	switch (level) {
	case DP_LEVEL_DANE_ONLY:
		if (dns_mode == RS_TLS_DANE)
			return dns_mode;
		*rule = dns_mode == RS_TLS_ENCRYPT ? "R7671-10.3-a" : "R-6-a";
		return RS_TLS_SKIP;
	case DP_LEVEL_ENCRYPT:
		if (dns_mode == RS_TLS_MAY) {
			*rule = "R3207-6-a";
			return RS_TLS_ENCRYPT;
		}
		return dns_mode;
	case DP_LEVEL_DEFAULT:
	case DP_LEVEL_DANE:
	case DP_LEVEL_MAY:
	case DP_LEVEL__COUNT:
		break;
	}
	return dns_mode;
}

int
rs_policy_tlsa_port(int port, uint64_t flags)
{
	return (flags & RS_SW_ROUTE_TLSA_PORT25) ? 25 : port;
}

const char *
rs_tls_action_str(enum rs_tls_action a)
{
	switch (a) {
	case RS_ACT_QUIT:
		return "quit";
	case RS_ACT_CLEARTEXT:
		return "cleartext";
	case RS_ACT_RETRY_CLEARTEXT:
		return "retry-cleartext";
	case RS_ACT_CONTINUE:
		return "continue";
	}
	return "?";
}

enum rs_tls_action
rs_policy_no_starttls(enum rs_tls_mode m, uint64_t flags, const char **rule)
{
	if (m == RS_TLS_MAY) {
		*rule = "R-2.2-c";
		return RS_ACT_CLEARTEXT;
	}
	if (flags & RS_SW_FALLBACK_PLAINTEXT) {
		*rule = "R-2.2.3-g violated: --fallback-plaintext";
		return RS_ACT_CLEARTEXT;
	}
	*rule = m == RS_TLS_DANE ? "R-2.2-a" : "R-2.2-b";
	return RS_ACT_QUIT;
}

enum rs_tls_action
rs_policy_handshake_failed(
    enum rs_tls_mode m, uint64_t flags, int attempt, const char **rule)
{
	if (m == RS_TLS_MAY) {
		*rule = "R-2.2-c";
		return RS_ACT_RETRY_CLEARTEXT;
	}
	if (flags & RS_SW_RECONNECT_PLAINTEXT) {
		*rule = "R-2.2.3-g violated: --reconnect-plaintext";
		return RS_ACT_RETRY_CLEARTEXT;
	}
	if ((flags & RS_SW_PLAINTEXT_ON_RETRY) && attempt > 1) {
		*rule = "R-2.2.3-g violated: --plaintext-on-retry";
		return RS_ACT_RETRY_CLEARTEXT;
	}
	*rule = m == RS_TLS_DANE ? "R-2.2-a" : "R-2.2-b";
	return RS_ACT_QUIT;
}

enum rs_tls_action
rs_policy_auth_failed(uint64_t flags, const char **rule)
{
	if (flags & RS_SW_ACCEPT_TLS_FAILURE) {
		*rule = "R-3.2-b violated: --accept-tls-failure";
		return RS_ACT_CONTINUE;
	}
	*rule = "R-3.2-b";
	return RS_ACT_QUIT;
}

int
rs_policy_discard_pre_tls(uint64_t flags)
{
	return (flags & RS_SW_KEEP_PRE_TLS_BUFFER) == 0;
}

enum rs_auth
rs_policy_auth_method(size_t nusable_ta, uint64_t flags)
{
	if ((flags & RS_SW_PKIX_TA) && nusable_ta > 0)
		return RS_AUTH_PKIX;
	return RS_AUTH_DANE;
}

int
rs_policy_ee_namechecks(uint64_t flags)
{
	return (flags & RS_SW_CHECK_NAMES_EE) != 0;
}

int
rs_policy_send_sni(uint64_t flags)
{
	return (flags & RS_SW_NO_SNI) == 0;
}

int
rs_policy_sslv2_hello(uint64_t flags)
{
	return (flags & RS_SW_SSLV2_HELLO) != 0;
}

int
rs_policy_ehlo_after_tls(uint64_t flags)
{
	return (flags & RS_SW_KEEP_PRE_TLS_EHLO) == 0;
}

const char *
rs_sts_str(enum rs_sts u)
{
	switch (u) {
	case RS_STS_OFF:
		return "off";
	case RS_STS_PKIX:
		return "pkix";
	case RS_STS_REFUSE:
		return "refuse";
	}
	return "?";
}

enum rs_sts
rs_policy_sts(int enforce, int host_matches, enum rs_tls_mode dns_mode,
    uint64_t flags, const char **rule)
{
	int dane = dns_mode == RS_TLS_DANE || dns_mode == RS_TLS_SKIP;

	if (!enforce) {
		*rule = "RFC 8461 §5";
		return RS_STS_OFF;
	}
	if (dane && !(dns_mode == RS_TLS_DANE &&
	                (flags & RS_SW_MTA_STS_OVERRIDES_DANE))) {
		*rule = "R8461-2-a";
		return RS_STS_OFF;
	}
	*rule = dane ? "R8461-2-a violated: --mta-sts-overrides-dane"
	             : "RFC 8461 §4";
	return host_matches ? RS_STS_PKIX : RS_STS_REFUSE;
}

int
rs_policy_ehlo_resent(uint64_t flags)
{
	return (flags & RS_SW_NO_EHLO_AFTER_TLS) == 0;
}

int
rs_policy_literal_as_name(uint64_t flags)
{
	return (flags & RS_SW_LITERAL_AS_HOSTNAME) != 0;
}

int
rs_policy_tlsa_before_address(uint64_t flags)
{
	return (flags & RS_SW_TLSA_BEFORE_ADDRESS) != 0;
}

/* name_dup - copy of name without a final dot, lower-cased. */
static char *
name_dup(const char *name)
{
	size_t n = strlen(name), i;
	char *s;

	if (n > 1 && name[n - 1] == '.')
		n--;
	s = xstrndup(name, n);
	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	return s;
}

size_t
rs_policy_ref_ids(const char *base, const char *nexthop, const char *nexthop_x,
    int mx_secure, char *ids[3])
{
	const char *more[2] = {nexthop, nexthop_x};
	size_t n = 0, i, k;

	ids[0] = ids[1] = ids[2] = NULL;
	if (base == NULL || *base == '\0')
		return 0;
	ids[n++] = name_dup(base);
	for (i = 0; mx_secure && i < 2; i++) {
		char *nh;

		if (more[i] == NULL || *more[i] == '\0')
			continue;
		nh = name_dup(more[i]);
		for (k = 0; k < n && strcmp(nh, ids[k]) != 0; k++)
			;
		if (k < n)
			free(nh);
		else
			ids[n++] = nh;
	}
	return n;
}

/* cmp_host - preference first, then the order in the RRset. */
static int
cmp_host(const void *a, const void *b)
{
	const struct rs_mx_host *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return 0;
}

void
rs_policy_sort_hosts(struct rs_mx_host *hosts, size_t n)
{
	if (n > 1)
		qsort(hosts, n, sizeof(*hosts), cmp_host);
}

const char *
rs_outcome_str(enum rs_outcome o)
{
	switch (o) {
	case RS_OUT_DELIVERED:
		return "delivered";
	case RS_OUT_DEFERRED:
		return "deferred";
	case RS_OUT_BOUNCED:
		return "bounced";
	}
	return "?";
}

enum rs_outcome
rs_policy_domain_outcome(
    size_t ndelivered, size_t nbounced, size_t npending, uint64_t flags)
{
	(void)ndelivered;
	if (nbounced > 0)
		return RS_OUT_BOUNCED;
	if (npending > 0)
		return (flags & RS_SW_BOUNCE_ON_FAILURE) ? RS_OUT_BOUNCED
		                                         : RS_OUT_DEFERRED;
	return RS_OUT_DELIVERED;
}

int
rs_policy_exit_code(const enum rs_outcome *o, size_t n)
{
	int deferred = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (o[i] == RS_OUT_BOUNCED)
			return EX_UNAVAILABLE;
		if (o[i] == RS_OUT_DEFERRED)
			deferred = 1;
	}
	return deferred ? EX_TEMPFAIL : 0;
}

enum rs_reply_class
rs_policy_reply_class(int code, int want)
{
	if (code / 100 == want)
		return RS_REPLY_OK;
	if (code >= 500 && code <= 599)
		return RS_REPLY_PERM;
	return RS_REPLY_TEMP;
}
