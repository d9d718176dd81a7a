/*
 * rs_policy.h - refsut's decision logic, as pure functions: what a DNS
 * answer means (RFC 7672 §2.1.1, §2.1.2), which TLSA records are usable
 * (§2.2, RFC 7671 §4), what TLS a host gets (§2.2, §2.2.1, §2.2.2,
 * §2.2.3), which names are reference identifiers (§3.2.2), host order
 * (§2.2.1, RFC 5321 §5.1) and the final outcome (§2.1.2, §9 of our
 * requirement catalogue) - and how each wrong-on-purpose switch changes
 * exactly one of these decisions.
 *
 * Nothing here touches a socket, the clock or the resolver, so the unit
 * tests drive every decision directly.
 */
#ifndef DSIM_RS_POLICY_H
#define DSIM_RS_POLICY_H

#include <stdint.h>
#include <stddef.h>

#include "destpolicy.h"

/* What one DNS lookup (after CNAME expansion) produced. */
enum rs_dns_state {
	RS_DNS_SECURE = 0, /* NOERROR, data, AD=1 */
	RS_DNS_INSECURE,   /* NOERROR, data, AD=0 */
	RS_DNS_NXDOMAIN,   /* name does not exist (secure or not) */
	RS_DNS_NODATA,     /* name exists, no data of the type */
	RS_DNS_ERROR,      /* SERVFAIL, time-out, malformed, other rcode */
	RS_DNS_NOT_LOOKED  /* no lookup was made (e.g. TLSA not needed) */
};

/*
 * The wrong-on-purpose switches: each makes refsut wrong in exactly one
 * way (docs/refsut.md names the real-world bug class of each).
 */
#define RS_SW_IGNORE_TLSA (UINT64_C(1) << 0)
#define RS_SW_FALLBACK_PLAINTEXT (UINT64_C(1) << 1)
#define RS_SW_ACCEPT_TLS_FAILURE (UINT64_C(1) << 2)
#define RS_SW_TLSA_ERRORS_AS_ABSENT (UINT64_C(1) << 3)
#define RS_SW_NO_SNI (UINT64_C(1) << 4)
#define RS_SW_CHECK_NAMES_EE (UINT64_C(1) << 5)
#define RS_SW_PKIX_TA (UINT64_C(1) << 6)
#define RS_SW_NO_NEXT_MX (UINT64_C(1) << 7)
#define RS_SW_IMPLICIT_MX_FALLBACK (UINT64_C(1) << 8)
#define RS_SW_BOUNCE_ON_FAILURE (UINT64_C(1) << 9)
#define RS_SW_KEEP_PRE_TLS_BUFFER (UINT64_C(1) << 10)
#define RS_SW_PLAINTEXT_ON_RETRY (UINT64_C(1) << 11)
#define RS_SW_RECONNECT_PLAINTEXT (UINT64_C(1) << 12)
#define RS_SW_IGNORE_ADDRESS_SECURITY (UINT64_C(1) << 13)
#define RS_SW_ALL_TLSA_MUST_MATCH (UINT64_C(1) << 14)
#define RS_SW_TLSA_UNEXPANDED_ONLY (UINT64_C(1) << 15)
#define RS_SW_TLSA_EXPANDED_ONLY (UINT64_C(1) << 16)
#define RS_SW_TA_MUST_FOLLOW_LEAF (UINT64_C(1) << 17)
#define RS_SW_INSECURE_CNAME_NO_DANE (UINT64_C(1) << 18)
#define RS_SW_INSECURE_CNAME_DANE (UINT64_C(1) << 19)
#define RS_SW_PIPELINE_STARTTLS (UINT64_C(1) << 20)
#define RS_SW_STALE_TLSA_CACHE (UINT64_C(1) << 21)
#define RS_SW_CD_RETRY (UINT64_C(1) << 22)
#define RS_SW_MANDATORY_AS_OPPORTUNISTIC (UINT64_C(1) << 23)
#define RS_SW_ENCRYPT_AS_MAY (UINT64_C(1) << 24)
#define RS_SW_ROUTE_TLSA_PORT25 (UINT64_C(1) << 25)
#define RS_SW_FALLBACK_RELAY_NO_DANE (UINT64_C(1) << 26)
#define RS_SW_RESUME_AFTER_TLSA_CHANGE (UINT64_C(1) << 27)
#define RS_SW_SSLV2_HELLO (UINT64_C(1) << 28)
#define RS_SW_KEEP_PRE_TLS_EHLO (UINT64_C(1) << 29)
#define RS_SW_MTA_STS_OVERRIDES_DANE (UINT64_C(1) << 30)
#define RS_SW_AAAA_SECURITY_UNCHECKED (UINT64_C(1) << 31)
#define RS_SW_LITERAL_AS_HOSTNAME (UINT64_C(1) << 32)
#define RS_SW_NO_EHLO_AFTER_TLS (UINT64_C(1) << 33)
#define RS_SW_TLSA_BEFORE_ADDRESS (UINT64_C(1) << 34)
#define RS_SW_UNEXPANDED_TLSA_FIRST (UINT64_C(1) << 35)

#define RS_SW_COUNT 36

/* rs_dns_state_str - "secure", "insecure", "NXDOMAIN", ... for logs. */
const char *rs_dns_state_str(enum rs_dns_state s);

/*
 * rs_switch_by_name - the switch bit for name ("ignore-tlsa"; leading
 * "--" allowed), or 0 if the name is unknown.
 */
uint64_t rs_switch_by_name(const char *name);

/* rs_switch_name - name of switch number i (0..RS_SW_COUNT-1), or NULL. */
const char *rs_switch_name(int i);

/* rs_switch_help - one-line description of switch number i, or NULL. */
const char *rs_switch_help(int i);

/*
 * rs_switches_parse - parse a space-separated list of switch names
 * (REFSUT_SWITCHES) into *flags (OR-ed in). Returns 0, or -1 naming the
 * first unknown word in bad (bad may be NULL; truncated to badlen).
 */
int rs_switches_parse(
    const char *list, uint64_t *flags, char *bad, size_t badlen);

/* What to do with the next-hop domain after the MX lookup. */
enum rs_mx_action {
	RS_MX_USE = 0,  /* use the MX hosts */
	RS_MX_IMPLICIT, /* no MX RRset: the domain is its own host */
	RS_MX_BOUNCE,   /* domain does not exist or null MX */
	RS_MX_DEFER     /* lookup failed: the hosts are unknown */
};

/* rs_mx_action_str - "use", "implicit", "bounce", "defer". */
const char *rs_mx_action_str(enum rs_mx_action a);

/*
 * rs_policy_mx_action - decide from the MX lookup state (null_mx: the
 * RRset is a single "0 ." record, RFC 7505). Sets *rule to the rule
 * behind the decision (static string).
 */
enum rs_mx_action rs_policy_mx_action(
    enum rs_dns_state mx, int null_mx, uint64_t flags, const char **rule);

/*
 * rs_policy_implicit_after_failure - whether, after every host of a
 * usable MX RRset failed, the domain's own address is tried (only the
 * --implicit-mx-fallback mistake does this; R-2.1.2-a, RFC 5321 §5.1).
 */
int rs_policy_implicit_after_failure(enum rs_mx_action a, uint64_t flags);

/*
 * rs_policy_next_host_after_failure - whether a failed host is followed
 * by the next one (RFC 7672 §2.1.2 "remaining MX hosts"); 0 under
 * --no-next-mx.
 */
int rs_policy_next_host_after_failure(uint64_t flags);

/* Candidate TLSA base domains of a host reached through a CNAME. */
enum rs_tlsa_candidates {
	RS_CAND_EXPANDED = 1,      /* the fully CNAME-expanded name */
	RS_CAND_ORIGINAL = 2,      /* the host name as the MX record gave it */
	RS_CAND_ORIGINAL_FIRST = 4 /* both, the original name searched first */
};

/*
 * rs_policy_tlsa_candidates - which candidate base domains of an aliased
 * host are searched, in the order expanded then original (RFC 7672
 * §2.2.3: both; --tlsa-unexpanded-only / --tlsa-expanded-only drop one;
 * --unexpanded-tlsa-first adds RS_CAND_ORIGINAL_FIRST: the original
 * name first, the expanded one only when the original has no secure
 * TLSA RRset). Returns RS_CAND_* bits; *rule is the rule behind the
 * choice.
 */
unsigned rs_policy_tlsa_candidates(uint64_t flags, const char **rule);

/* What a host whose address is insecure behind a CNAME gets (§2.2.2). */
enum rs_insecure_cname {
	RS_ICN_CHECK,   /* ask the initial CNAME: secure -> TLSA at the
	                   original name, insecure -> no DANE (correct) */
	RS_ICN_NO_DANE, /* no DANE, the CNAME is never asked */
	RS_ICN_TARGET   /* DANE at the target when the target's own address
	                   is secure, the chain to it not considered */
};

/*
 * rs_policy_insecure_cname - how a host whose address RRset is insecure
 * and was reached through a CNAME is handled: RFC 7672 §2.2.2 ("Insecure
 * CNAME") and §2.1.3 ask the initial CNAME separately and, when it is
 * secure, look TLSA up with the original name as the base domain;
 * --insecure-cname-no-dane and --insecure-cname-dane get it wrong. Sets
 * *rule.
 */
enum rs_insecure_cname rs_policy_insecure_cname(
    uint64_t flags, const char **rule);

/*
 * rs_policy_pipeline_starttls - whether STARTTLS is sent in one write
 * with the EHLO that should follow the handshake (only
 * --pipeline-starttls; RFC 3207 §4 and RFC 2920 §3.1: STARTTLS ends a
 * pipelined group and nothing follows it before the 220).
 */
int rs_policy_pipeline_starttls(uint64_t flags);

/*
 * rs_policy_resume_any_tlsa - whether a kept TLS session is offered
 * whatever the current TLSA RRset, and a resumed one trusted without a
 * DANE check (--resume-after-tlsa-change; catalogue A18). Otherwise a
 * session is offered only under the RRset it was authenticated with.
 */
int rs_policy_resume_any_tlsa(uint64_t flags);

/*
 * rs_policy_cd_retry - whether a query that failed (failed 1: answered
 * with SERVFAIL, or never answered after every try) is sent again with
 * the CD (checking disabled) bit and the unvalidated answer used as an
 * insecure one (only --cd-retry, and for an AAAA query, aaaa 1,
 * --aaaa-security-unchecked; RFC 7672 §2.1.1 and RFC 4035 §4.3: a
 * bogus or indeterminate answer is a lookup error, and RFC 4035 §3.2.2
 * leaves CD to a client that validates itself). A validating resolver
 * that cannot finish a validation in time answers late or not at all,
 * so a time-out is the same lookup error as a SERVFAIL.
 */
int rs_policy_cd_retry(int failed, int aaaa, uint64_t flags);

/*
 * rs_policy_addr_state - what a host's address lookups together say,
 * from the states of its A and AAAA lookups: an error in either is an
 * error (RFC 7672 §2.2.2: "an error ... for any query in this process";
 * §2.1.2), neither with data is "no address" (the A lookup's state,
 * §2.2.2 "Not found"), and addresses are secure only when every RRset
 * that holds some is (§2.2.2: the TLSA lookup needs a secure address
 * RRset; an insecure one may be forged, and with it the host's
 * address). Under --aaaa-security-unchecked the A answer alone decides
 * when it has data. Sets *rule.
 */
enum rs_dns_state rs_policy_addr_state(enum rs_dns_state a,
    enum rs_dns_state aaaa, uint64_t flags, const char **rule);

/*
 * rs_policy_all_tlsa_must_match - whether every usable TLSA record must
 * match the server's chain (only --all-tlsa-must-match; RFC 7671 §8:
 * any one usable record that matches authenticates).
 */
int rs_policy_all_tlsa_must_match(uint64_t flags);

/*
 * rs_policy_ta_depth_ok - whether a DANE-TA match at chain depth depth
 * (1 = the certificate right after the leaf) authenticates: always,
 * except under --ta-must-follow-leaf (RFC 7671 §5.2: any depth).
 */
int rs_policy_ta_depth_ok(int depth, uint64_t flags);

/*
 * rs_policy_tlsa_usable - whether a TLSA record with these fields and a
 * data part of datalen bytes is usable by an SMTP client: usage DANE-TA(2)
 * or DANE-EE(3) (RFC 7672 §3.1.3 makes 0/1 unusable), selector Cert(0) or
 * SPKI(1), matching Full(0) with non-empty data, SHA2-256(1) with 32 bytes
 * or SHA2-512(2) with 64 bytes (RFC 6698 §2.1, RFC 7671 §4).
 */
int rs_policy_tlsa_usable(int usage, int selector, int mtype, size_t datalen);

/* How refsut treats one host's TLS. */
enum rs_tls_mode {
	RS_TLS_SKIP = 0, /* host unreachable (TLSA lookup failed) */
	RS_TLS_MAY,      /* pre-DANE opportunistic TLS, cleartext allowed */
	RS_TLS_ENCRYPT,  /* TLS mandatory, no authentication possible */
	RS_TLS_DANE      /* TLS mandatory, server must authenticate */
};

/* rs_tls_mode_str - "skip", "may", "encrypt", "dane". */
const char *rs_tls_mode_str(enum rs_tls_mode m);

/*
 * rs_policy_tlsa_wanted - whether a TLSA lookup is made for a host: only
 * when the MX RRset (or the secure denial of it, for the implicit MX) and
 * the host's address RRset are both secure (§2.2.1, §2.2.2), and not
 * under --ignore-tlsa. Sets *rule.
 */
int rs_policy_tlsa_wanted(
    int mx_secure, enum rs_dns_state addr, uint64_t flags, const char **rule);

/*
 * rs_policy_tls_mode - the TLS mode of a host from its TLSA lookup state
 * (RS_DNS_NOT_LOOKED when no lookup was wanted), the number of records
 * in a secure RRset and how many of them are usable. Sets *rule.
 */
enum rs_tls_mode rs_policy_tls_mode(enum rs_dns_state tlsa, size_t nrecords,
    size_t nusable, uint64_t flags, const char **rule);

/*
 * rs_policy_level - the level refsut applies to a next hop whose
 * destination is configured with level (the policy file, -P; the
 * default is opportunistic DANE); fallback is 1 for the fallback relay,
 * which gets the destination's level (RFC 7672 §1.1: DANE applies to a
 * fallback relay as to any destination). Wrong on purpose:
 * --mandatory-as-opportunistic makes dane-only dane, --encrypt-as-may
 * makes encrypt may, --fallback-relay-no-dane makes the fallback relay
 * may. Sets *rule.
 */
enum dp_level rs_policy_level(
    enum dp_level level, int fallback, uint64_t flags, const char **rule);

/*
 * rs_policy_level_wants_tlsa - whether DANE applies at all at this
 * (effective) level: dane-only and dane look TLSA up; encrypt and may
 * never do.
 */
int rs_policy_level_wants_tlsa(enum dp_level level);

/*
 * rs_policy_level_mode - a host's TLS mode at level, from the mode its
 * DNS gave (rs_policy_tls_mode; RS_TLS_MAY when DANE did not apply):
 * dane-only keeps only RS_TLS_DANE and makes every other mode
 * RS_TLS_SKIP - no connection without usable, secure TLSA records
 * (RFC 7672 §6, §2.2.1; RFC 7671 §10.3); encrypt makes RS_TLS_MAY
 * RS_TLS_ENCRYPT (RFC 3207 §6); dane and may keep the mode. Sets *rule
 * when it changes the mode.
 */
enum rs_tls_mode rs_policy_level_mode(
    enum dp_level level, enum rs_tls_mode dns_mode, const char **rule);

/*
 * rs_policy_tlsa_port - the port of the TLSA query name (_PORT._tcp)
 * for a next hop reached on port (RFC 7672 §2.2.3, RFC 6698 §4: the
 * port the TLS session is for); 25 whatever the port under
 * --route-tlsa-port25.
 */
int rs_policy_tlsa_port(int port, uint64_t flags);

/* What the client does at a point where TLS went wrong. */
enum rs_tls_action {
	RS_ACT_QUIT = 0,        /* give up this host: QUIT, next host */
	RS_ACT_CLEARTEXT,       /* continue in cleartext on this connection */
	RS_ACT_RETRY_CLEARTEXT, /* reconnect to the same address without TLS */
	RS_ACT_CONTINUE         /* carry on over the unauthenticated TLS */
};

/* rs_tls_action_str - "quit", "cleartext", "retry-cleartext", "continue". */
const char *rs_tls_action_str(enum rs_tls_action a);

/*
 * rs_policy_no_starttls - STARTTLS not offered, or refused (any reply
 * but 220). Mandatory TLS quits (R-2.2-a/-b, R-2.2.3-g); opportunistic
 * TLS goes on in cleartext; --fallback-plaintext goes on in cleartext
 * always.
 */
enum rs_tls_action rs_policy_no_starttls(
    enum rs_tls_mode m, uint64_t flags, const char **rule);

/*
 * rs_policy_handshake_failed - the TLS handshake failed on delivery
 * attempt number attempt (1 = first): mandatory TLS quits (R-2.2-a, A9),
 * opportunistic TLS may retry in cleartext (R-2.2-c). Wrong on purpose:
 * --reconnect-plaintext reconnects in cleartext at once,
 * --plaintext-on-retry does so from the second attempt on (R-2.2.3-g).
 */
enum rs_tls_action rs_policy_handshake_failed(
    enum rs_tls_mode m, uint64_t flags, int attempt, const char **rule);

/*
 * rs_policy_auth_failed - DANE authentication failed: quit (R-3.2-b), or
 * continue under --accept-tls-failure.
 */
enum rs_tls_action rs_policy_auth_failed(uint64_t flags, const char **rule);

/*
 * rs_policy_discard_pre_tls - whether bytes received before the TLS
 * handshake (after the 220 to STARTTLS) are discarded (1, RFC 3207 §6,
 * CVE-2021-38371) or kept as replies (0, --keep-pre-tls-buffer).
 */
int rs_policy_discard_pre_tls(uint64_t flags);

/* How a DANE host is authenticated. */
enum rs_auth {
	RS_AUTH_DANE = 0, /* TLSA records (OpenSSL DANE) */
	RS_AUTH_PKIX      /* system CA store + name checks (--pkix-ta) */
};

/*
 * rs_policy_auth_method - RS_AUTH_DANE normally (R-3.2-a); RS_AUTH_PKIX
 * under --pkix-ta when at least one usable DANE-TA record exists.
 */
enum rs_auth rs_policy_auth_method(size_t nusable_ta, uint64_t flags);

/*
 * rs_policy_ee_namechecks - whether a DANE-EE match is name-checked: no
 * (R-3.2.1-a), yes under --check-names-ee.
 */
int rs_policy_ee_namechecks(uint64_t flags);

/* rs_policy_send_sni - whether SNI is sent (R-8.1-a); 0 under --no-sni. */
int rs_policy_send_sni(uint64_t flags);

/*
 * rs_policy_sslv2_hello - whether the handshake opens with an SSL
 * 2.0-compatible ClientHello, which cannot carry SNI (only
 * --sslv2-hello; R-8.1-b).
 */
int rs_policy_sslv2_hello(uint64_t flags);

/*
 * rs_policy_ehlo_after_tls - whether the extensions used inside TLS
 * come from the EHLO reply after the handshake (R3207-4.2-a), or, under
 * --keep-pre-tls-ehlo, from the one before it.
 */
int rs_policy_ehlo_after_tls(uint64_t flags);

/*
 * rs_policy_ehlo_resent - whether EHLO is the first command after the
 * TLS handshake (R3207-4.2-b); 0 under --no-ehlo-after-tls, which
 * greets with HELO there (and so uses no extension).
 */
int rs_policy_ehlo_resent(uint64_t flags);

/*
 * rs_policy_literal_as_name - whether an address-literal next hop
 * ("user@[192.0.2.1]") is treated as a host name: TLSA looked up at
 * _25._tcp.ADDRESS and the address sent as SNI (only
 * --literal-as-hostname; RFC 7672 §2.2: DANE does not apply to it,
 * R-2.2-f; RFC 6066 §3: no address in SNI, R6066-3-b).
 */
int rs_policy_literal_as_name(uint64_t flags);

/*
 * rs_policy_tlsa_before_address - whether a host's TLSA records are
 * looked up before its address records, a failed TLSA lookup then
 * skipping the host whatever the addresses would have said (only
 * --tlsa-before-address; RFC 7672 §2.2.2: the A/AAAA queries first,
 * and no TLSA query for a host whose addresses are insecure, R-2.2.2-c,
 * R-2.2.2-e).
 */
int rs_policy_tlsa_before_address(uint64_t flags);

/*
 * rs_policy_ref_ids - the reference identifiers for DANE-TA name checks
 * (§3.2.2): the TLSA base domain, then, if the MX RRset was secure, the
 * next-hop domain and its CNAME-expanded name (nexthop_x, NULL when the
 * MX lookup followed no CNAME), each when it differs from those before.
 * Trailing dots are dropped, case is folded. Fills ids[0..2] with new
 * strings (caller frees each, unused ones NULL); returns how many.
 */
size_t rs_policy_ref_ids(const char *base, const char *nexthop,
    const char *nexthop_x, int mx_secure, char *ids[3]);

/* What an MTA-STS policy makes of one MX host (RFC 8461 §4, §5). */
enum rs_sts {
	RS_STS_OFF = 0, /* the policy does not decide: DANE or opportunistic
	                   TLS as without it */
	RS_STS_PKIX,    /* TLS required, the certificate WebPKI-valid for
	                   the MX host name (§4.2) */
	RS_STS_REFUSE   /* the host matches no "mx" of the policy (§4.1):
	                   not used */
};

/* rs_sts_str - "off", "pkix", "refuse". */
const char *rs_sts_str(enum rs_sts u);

/*
 * rs_policy_sts - what the domain's MTA-STS policy makes of a host whose
 * DNS gave TLS mode dns_mode (rs_policy_tls_mode), when the policy is in
 * mode enforce (enforce 0: testing, none or no policy - RS_STS_OFF, RFC
 * 8461 §5) and the host does or does not match its "mx" lines. Where
 * DANE applies (RS_TLS_DANE, or RS_TLS_SKIP: a TLSA lookup that failed)
 * DANE decides and the policy is not applied (RFC 8461 §2, R8461-2-a);
 * --mta-sts-overrides-dane applies it to a DANE host instead. Sets
 * *rule.
 */
enum rs_sts rs_policy_sts(int enforce, int host_matches,
    enum rs_tls_mode dns_mode, uint64_t flags, const char **rule);

/* One MX host candidate. */
struct rs_mx_host {
	char *name;    /* exchange, absolute without final dot (owned) */
	unsigned pref; /* MX preference */
	size_t order;  /* position in the RRset as received */
};

/*
 * rs_policy_sort_hosts - order hosts by preference, ties in RRset order
 * (R-2.2.1-b/-d); stable whatever qsort does.
 */
void rs_policy_sort_hosts(struct rs_mx_host *hosts, size_t n);

/* Result of one domain. */
enum rs_outcome { RS_OUT_DELIVERED = 0, RS_OUT_DEFERRED, RS_OUT_BOUNCED };

/* rs_outcome_str - "delivered", "deferred", "bounced". */
const char *rs_outcome_str(enum rs_outcome o);

/*
 * rs_policy_domain_outcome - the domain's result from its recipients'
 * states: any bounced → bounced; else any still pending → deferred
 * (bounced under --bounce-on-failure); else delivered.
 */
enum rs_outcome rs_policy_domain_outcome(
    size_t ndelivered, size_t nbounced, size_t npending, uint64_t flags);

/*
 * rs_policy_exit_code - exit status over all domains: 69 if any bounced,
 * else 75 if any deferred, else 0.
 */
int rs_policy_exit_code(const enum rs_outcome *o, size_t n);

/* How a reply code to MAIL, RCPT or DATA is handled. */
enum rs_reply_class {
	RS_REPLY_OK = 0, /* 2xx (3xx where expected) */
	RS_REPLY_TEMP,   /* 4xx, or no valid reply: try later */
	RS_REPLY_PERM    /* 5xx: bounce */
};

/*
 * rs_policy_reply_class - classify code against the expected success
 * class (2 or 3). Anything unexpected but not 5xx is temporary.
 */
enum rs_reply_class rs_policy_reply_class(int code, int want);

#endif /* DSIM_RS_POLICY_H */
