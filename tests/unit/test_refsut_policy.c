/*
 * test_refsut_policy.c - refsut's decision logic (refsut/rs_policy.c):
 * TLSA usability, what each DNS state means for MX, address and TLSA
 * lookups (RFC 7672 §2.1.1, §2.1.2, §2.2), reference identifiers
 * (§3.2.2), host order (§2.2.1), outcomes and exit codes, and for every
 * switch that it changes exactly the decisions it is about.
 */
#include "unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refsut/rs_policy.h"

/* test_tlsa_usable - every usage, selector and matching type, lengths. */
static void
test_tlsa_usable(void)
{
	int u, s, m;

	for (u = 0; u <= 4; u++)
		for (s = 0; s <= 2; s++)
			for (m = 0; m <= 3; m++) {
				int want = (u == 2 || u == 3) &&
				           (s == 0 || s == 1) && m <= 2;
				size_t len = m == 0 ? 300 : m == 1 ? 32 : 64;

				CU_ASSERT_EQUAL(
				    rs_policy_tlsa_usable(u, s, m, len), want);
			}
	/* Wrong digest lengths make a record unusable. */
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 1, 1, 31));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 1, 1, 33));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 1, 1, 64));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 1, 2, 32));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(2, 0, 2, 63));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 1, 1, 0));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 0, 0, 0));
	CU_ASSERT_TRUE(rs_policy_tlsa_usable(3, 0, 0, 1));
	CU_ASSERT_TRUE(rs_policy_tlsa_usable(2, 1, 2, 64));
	/* Private-use and out-of-range values. */
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(255, 1, 1, 32));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 255, 1, 32));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(3, 1, 255, 32));
	CU_ASSERT_FALSE(rs_policy_tlsa_usable(-1, 1, 1, 32));
}

/* test_mx_states - what each MX lookup state means (§2.1.1, §2.1.2). */
static void
test_mx_states(void)
{
	const char *rule = NULL;

	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_SECURE, 0, 0, &rule), RS_MX_USE);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2.1-l");
	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_INSECURE, 0, 0, &rule), RS_MX_USE);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2.1-h");
	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_NXDOMAIN, 0, 0, &rule), RS_MX_BOUNCE);
	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_NODATA, 0, 0, &rule), RS_MX_IMPLICIT);
	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_ERROR, 0, 0, &rule), RS_MX_DEFER);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.1.2-a");
	/* Null MX (RFC 7505) bounces, secure or not. */
	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_SECURE, 1, 0, &rule), RS_MX_BOUNCE);
	CU_ASSERT_EQUAL(
	    rs_policy_mx_action(RS_DNS_INSECURE, 1, 0, &rule), RS_MX_BOUNCE);
	/* The implicit MX only ever for NODATA by default. */
	CU_ASSERT_FALSE(rs_policy_implicit_after_failure(RS_MX_USE, 0));
	CU_ASSERT_TRUE(rs_policy_next_host_after_failure(0));
}

/* test_tlsa_wanted - TLSA only for secure MX and secure address. */
static void
test_tlsa_wanted(void)
{
	const char *rule;
	int st;

	for (st = RS_DNS_SECURE; st <= RS_DNS_NOT_LOOKED; st++) {
		CU_ASSERT_EQUAL(
		    rs_policy_tlsa_wanted(1, (enum rs_dns_state)st, 0, &rule),
		    st == RS_DNS_SECURE);
		CU_ASSERT_FALSE(
		    rs_policy_tlsa_wanted(0, (enum rs_dns_state)st, 0, &rule));
	}
	rs_policy_tlsa_wanted(1, RS_DNS_INSECURE, 0, &rule);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2.2-e");
	rs_policy_tlsa_wanted(0, RS_DNS_SECURE, 0, &rule);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2.1-h");
}

/* test_tls_mode - what each TLSA state means (§2.1.2, §2.2). */
static void
test_tls_mode(void)
{
	const char *rule;

	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_SECURE, 2, 1, 0, &rule), RS_TLS_DANE);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2-a");
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_SECURE, 2, 0, 0, &rule), RS_TLS_ENCRYPT);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2-b");
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_SECURE, 0, 0, 0, &rule), RS_TLS_MAY);
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_INSECURE, 1, 1, 0, &rule), RS_TLS_MAY);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2-c");
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_NXDOMAIN, 0, 0, 0, &rule), RS_TLS_MAY);
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_NODATA, 0, 0, 0, &rule), RS_TLS_MAY);
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_NOT_LOOKED, 0, 0, 0, &rule), RS_TLS_MAY);
	CU_ASSERT_EQUAL(
	    rs_policy_tls_mode(RS_DNS_ERROR, 0, 0, 0, &rule), RS_TLS_SKIP);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.1.2-d");
}

/* test_tls_actions - what happens when STARTTLS, handshake, auth fail. */
static void
test_tls_actions(void)
{
	const char *rule;

	CU_ASSERT_EQUAL(
	    rs_policy_no_starttls(RS_TLS_DANE, 0, &rule), RS_ACT_QUIT);
	CU_ASSERT_EQUAL(
	    rs_policy_no_starttls(RS_TLS_ENCRYPT, 0, &rule), RS_ACT_QUIT);
	CU_ASSERT_STRING_EQUAL(rule, "R-2.2-b");
	CU_ASSERT_EQUAL(
	    rs_policy_no_starttls(RS_TLS_MAY, 0, &rule), RS_ACT_CLEARTEXT);
	CU_ASSERT_EQUAL(
	    rs_policy_handshake_failed(RS_TLS_DANE, 0, 1, &rule), RS_ACT_QUIT);
	CU_ASSERT_EQUAL(rs_policy_handshake_failed(RS_TLS_ENCRYPT, 0, 1, &rule),
	    RS_ACT_QUIT);
	CU_ASSERT_EQUAL(rs_policy_handshake_failed(RS_TLS_MAY, 0, 1, &rule),
	    RS_ACT_RETRY_CLEARTEXT);
	CU_ASSERT_EQUAL(rs_policy_auth_failed(0, &rule), RS_ACT_QUIT);
	CU_ASSERT_STRING_EQUAL(rule, "R-3.2-b");
	CU_ASSERT_TRUE(rs_policy_discard_pre_tls(0));
	CU_ASSERT_EQUAL(rs_policy_auth_method(1, 0), RS_AUTH_DANE);
	CU_ASSERT_FALSE(rs_policy_ee_namechecks(0));
	CU_ASSERT_TRUE(rs_policy_send_sni(0));
}

/* test_ref_ids - TLSA base domain first, next-hop for a secure MX only. */
static void
test_ref_ids(void)
{
	char *ids[3];
	size_t n;

	n = rs_policy_ref_ids("mx1.Dest.test.", "dest.test", NULL, 1, ids);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_STRING_EQUAL(ids[0], "mx1.dest.test");
	CU_ASSERT_STRING_EQUAL(ids[1], "dest.test");
	free(ids[0]);
	free(ids[1]);
	/* Insecure MX: the MX host is the only reference identifier. */
	n = rs_policy_ref_ids("mx1.dest.test", "dest.test", "x.test", 0, ids);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_STRING_EQUAL(ids[0], "mx1.dest.test");
	CU_ASSERT_PTR_NULL(ids[1]);
	free(ids[0]);
	/* Implicit MX: base and next-hop are the same name, listed once. */
	n = rs_policy_ref_ids("dest.test", "DEST.test.", "dest.test", 1, ids);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_PTR_NULL(ids[1]);
	free(ids[0]);
	n = rs_policy_ref_ids("", "dest.test", NULL, 1, ids);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NULL(ids[0]);
	/* the CNAME-expanded next hop is a third one (R-3.2.2-d) */
	n = rs_policy_ref_ids(
	    "mx1.dest.test", "exchange.dest.test", "Dest.test.", 1, ids);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_STRING_EQUAL(ids[1], "exchange.dest.test");
	CU_ASSERT_STRING_EQUAL(ids[2], "dest.test");
	free(ids[0]);
	free(ids[1]);
	free(ids[2]);
}

/* test_sort_hosts - preference order, ties in the order received. */
static void
test_sort_hosts(void)
{
	struct rs_mx_host h[5] = {
	    {"c", 20, 0},
	    {"a", 10, 1},
	    {"d", 20, 2},
	    {"b", 10, 3},
	    {"e", 0, 4},
	};
	const char *want[5] = {"e", "a", "b", "c", "d"};
	size_t i;

	rs_policy_sort_hosts(h, 5);
	for (i = 0; i < 5; i++)
		CU_ASSERT_STRING_EQUAL(h[i].name, want[i]);
	rs_policy_sort_hosts(h, 0);
}

/* test_outcome - domain outcome and the exit status over domains. */
static void
test_outcome(void)
{
	enum rs_outcome o[3];

	CU_ASSERT_EQUAL(rs_policy_domain_outcome(2, 0, 0, 0), RS_OUT_DELIVERED);
	CU_ASSERT_EQUAL(rs_policy_domain_outcome(1, 0, 1, 0), RS_OUT_DEFERRED);
	CU_ASSERT_EQUAL(rs_policy_domain_outcome(0, 0, 1, 0), RS_OUT_DEFERRED);
	CU_ASSERT_EQUAL(rs_policy_domain_outcome(1, 1, 1, 0), RS_OUT_BOUNCED);
	CU_ASSERT_EQUAL(rs_policy_exit_code(o, 0), 0);
	o[0] = RS_OUT_DELIVERED;
	o[1] = RS_OUT_DELIVERED;
	CU_ASSERT_EQUAL(rs_policy_exit_code(o, 2), 0);
	o[1] = RS_OUT_DEFERRED;
	CU_ASSERT_EQUAL(rs_policy_exit_code(o, 2), 75);
	o[2] = RS_OUT_BOUNCED;
	CU_ASSERT_EQUAL(rs_policy_exit_code(o, 3), 69);
	o[0] = RS_OUT_BOUNCED;
	o[1] = RS_OUT_DELIVERED;
	CU_ASSERT_EQUAL(rs_policy_exit_code(o, 2), 69);
	CU_ASSERT_EQUAL(rs_policy_reply_class(250, 2), RS_REPLY_OK);
	CU_ASSERT_EQUAL(rs_policy_reply_class(354, 3), RS_REPLY_OK);
	CU_ASSERT_EQUAL(rs_policy_reply_class(250, 3), RS_REPLY_TEMP);
	CU_ASSERT_EQUAL(rs_policy_reply_class(451, 2), RS_REPLY_TEMP);
	CU_ASSERT_EQUAL(rs_policy_reply_class(550, 2), RS_REPLY_PERM);
	CU_ASSERT_EQUAL(rs_policy_reply_class(554, 3), RS_REPLY_PERM);
}

/* test_switch_names - names, "--" prefix, the REFSUT_SWITCHES list. */
static void
test_switch_names(void)
{
	uint64_t f = 0;
	char bad[16];
	int i;

	for (i = 0; i < RS_SW_COUNT; i++) {
		char dashed[64];

		CU_ASSERT_EQUAL(
		    rs_switch_by_name(rs_switch_name(i)), UINT64_C(1) << i);
		snprintf(dashed, sizeof(dashed), "--%s", rs_switch_name(i));
		CU_ASSERT_EQUAL(rs_switch_by_name(dashed), UINT64_C(1) << i);
		CU_ASSERT_PTR_NOT_NULL(rs_switch_help(i));
	}
	CU_ASSERT_PTR_NULL(rs_switch_name(RS_SW_COUNT));
	CU_ASSERT_PTR_NULL(rs_switch_name(-1));
	CU_ASSERT_EQUAL(rs_switch_by_name("ignore"), 0);
	CU_ASSERT_EQUAL(rs_switch_by_name(""), 0);
	CU_ASSERT_EQUAL(rs_switch_by_name(NULL), 0);
	CU_ASSERT_EQUAL(
	    rs_switches_parse("  ignore-tlsa   no-sni ", &f, bad, sizeof(bad)),
	    0);
	CU_ASSERT_EQUAL(f, RS_SW_IGNORE_TLSA | RS_SW_NO_SNI);
	CU_ASSERT_EQUAL(rs_switches_parse("", &f, bad, sizeof(bad)), 0);
	CU_ASSERT_EQUAL(rs_switches_parse(NULL, &f, bad, sizeof(bad)), 0);
	CU_ASSERT_EQUAL(f, RS_SW_IGNORE_TLSA | RS_SW_NO_SNI);
	CU_ASSERT_EQUAL(rs_switches_parse("no-sni bogus-switch-name-here", &f,
	                    bad, sizeof(bad)),
	    -1);
	CU_ASSERT_STRING_EQUAL(bad, "bogus-switch-na");
	CU_ASSERT_EQUAL(rs_switches_parse("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                                  "xxxxxxxxxx",
	                    &f, NULL, 0),
	    -1);
}

/*
 * The decision points of refsut, evaluated under a set of switches into
 * one string of codes, so a test can see which decisions a switch moved.
 */
#define NPOINTS 53

/* signature - the decisions under flags, one character each. */
static void
signature(uint64_t f, char out[NPOINTS + 1])
{
	const char *r;
	int v[NPOINTS], i = 0;

	v[i++] = rs_policy_mx_action(RS_DNS_ERROR, 0, f, &r);       /* 0 */
	v[i++] = rs_policy_mx_action(RS_DNS_NXDOMAIN, 0, f, &r);    /* 1 */
	v[i++] = rs_policy_mx_action(RS_DNS_NODATA, 0, f, &r);      /* 2 */
	v[i++] = rs_policy_mx_action(RS_DNS_SECURE, 0, f, &r);      /* 3 */
	v[i++] = rs_policy_implicit_after_failure(RS_MX_USE, f);    /* 4 */
	v[i++] = rs_policy_next_host_after_failure(f);              /* 5 */
	v[i++] = rs_policy_tlsa_wanted(1, RS_DNS_SECURE, f, &r);    /* 6 */
	v[i++] = rs_policy_tlsa_wanted(0, RS_DNS_SECURE, f, &r);    /* 7 */
	v[i++] = rs_policy_tls_mode(RS_DNS_ERROR, 0, 0, f, &r);     /* 8 */
	v[i++] = rs_policy_tls_mode(RS_DNS_SECURE, 1, 1, f, &r);    /* 9 */
	v[i++] = rs_policy_tls_mode(RS_DNS_SECURE, 1, 0, f, &r);    /* 10 */
	v[i++] = rs_policy_tls_mode(RS_DNS_NXDOMAIN, 0, 0, f, &r);  /* 11 */
	v[i++] = rs_policy_no_starttls(RS_TLS_DANE, f, &r);         /* 12 */
	v[i++] = rs_policy_no_starttls(RS_TLS_ENCRYPT, f, &r);      /* 13 */
	v[i++] = rs_policy_no_starttls(RS_TLS_MAY, f, &r);          /* 14 */
	v[i++] = rs_policy_handshake_failed(RS_TLS_DANE, f, 1, &r); /* 15 */
	v[i++] = rs_policy_handshake_failed(RS_TLS_MAY, f, 1, &r);  /* 16 */
	v[i++] = rs_policy_auth_failed(f, &r);                      /* 17 */
	v[i++] = rs_policy_discard_pre_tls(f);                      /* 18 */
	v[i++] = rs_policy_auth_method(1, f);                       /* 19 */
	v[i++] = rs_policy_auth_method(0, f);                       /* 20 */
	v[i++] = rs_policy_ee_namechecks(f);                        /* 21 */
	v[i++] = rs_policy_send_sni(f);                             /* 22 */
	v[i++] = rs_policy_domain_outcome(0, 0, 1, f);              /* 23 */
	v[i++] = rs_policy_domain_outcome(1, 0, 0, f);              /* 24 */
	v[i++] = rs_policy_domain_outcome(0, 1, 0, f);              /* 25 */
	v[i++] = rs_policy_handshake_failed(RS_TLS_DANE, f, 2, &r); /* 26 */
	v[i++] = rs_policy_handshake_failed(RS_TLS_MAY, f, 2, &r);  /* 27 */
	v[i++] = rs_policy_tlsa_wanted(1, RS_DNS_INSECURE, f, &r);  /* 28 */
	v[i++] = rs_policy_tlsa_candidates(f, &r);                  /* 29 */
	v[i++] = rs_policy_all_tlsa_must_match(f);                  /* 30 */
	v[i++] = rs_policy_ta_depth_ok(2, f);                       /* 31 */
	v[i++] = rs_policy_ta_depth_ok(1, f);                       /* 32 */
	v[i++] = (int)rs_policy_insecure_cname(f, &r);              /* 33 */
	v[i++] = rs_policy_pipeline_starttls(f);                    /* 34 */
	v[i++] = rs_policy_cd_retry(1, 0, f);                       /* 35 */
	v[i++] = rs_policy_cd_retry(0, 0, f);                       /* 36 */
	v[i++] = rs_policy_level(DP_LEVEL_DANE_ONLY, 0, f, &r);     /* 37 */
	v[i++] = rs_policy_level(DP_LEVEL_ENCRYPT, 0, f, &r);       /* 38 */
	v[i++] = rs_policy_tlsa_port(2525, f) == 2525;              /* 39 */
	v[i++] = rs_policy_level(DP_LEVEL_DANE, 1, f, &r);          /* 40 */
	v[i++] = rs_policy_resume_any_tlsa(f);                      /* 41 */
	v[i++] = rs_policy_sslv2_hello(f);                          /* 42 */
	v[i++] = rs_policy_ehlo_after_tls(f);                       /* 43 */
	v[i++] = rs_policy_sts(1, 1, RS_TLS_DANE, f, &r);           /* 44 */
	v[i++] = rs_policy_sts(1, 0, RS_TLS_MAY, f, &r);            /* 45 */
	v[i++] = rs_policy_cd_retry(1, 1, f);                       /* 46 */
	v[i++] = (int)rs_policy_addr_state(
	    RS_DNS_SECURE, RS_DNS_INSECURE, f, &r); /* 47 */
	v[i++] = (int)rs_policy_addr_state(
	    RS_DNS_SECURE, RS_DNS_ERROR, f, &r); /* 48 */
	v[i++] = (int)rs_policy_addr_state(
	    RS_DNS_NODATA, RS_DNS_SECURE, f, &r);  /* 49 */
	v[i++] = rs_policy_ehlo_resent(f);         /* 50 */
	v[i++] = rs_policy_literal_as_name(f);     /* 51 */
	v[i++] = rs_policy_tlsa_before_address(f); /* 52 */
	for (i = 0; i < NPOINTS; i++)
		out[i] = (char)('0' + v[i]);
	out[NPOINTS] = '\0';
}

/* test_switch_effects - each switch moves exactly its own decisions. */
static void
test_switch_effects(void)
{
	static const struct {
		uint64_t sw;
		const char *moves; /* decision points that change, as "a,b" */
	} want[] = {
	    {RS_SW_IGNORE_TLSA, "6"},
	    {RS_SW_FALLBACK_PLAINTEXT, "12,13"},
	    {RS_SW_ACCEPT_TLS_FAILURE, "17"},
	    {RS_SW_TLSA_ERRORS_AS_ABSENT, "8"},
	    {RS_SW_NO_SNI, "22"},
	    {RS_SW_CHECK_NAMES_EE, "21"},
	    {RS_SW_PKIX_TA, "19"},
	    {RS_SW_NO_NEXT_MX, "5"},
	    {RS_SW_IMPLICIT_MX_FALLBACK, "0,4"},
	    {RS_SW_BOUNCE_ON_FAILURE, "23"},
	    {RS_SW_KEEP_PRE_TLS_BUFFER, "18"},
	    {RS_SW_PLAINTEXT_ON_RETRY, "26"},
	    {RS_SW_RECONNECT_PLAINTEXT, "15,26"},
	    {RS_SW_IGNORE_ADDRESS_SECURITY, "28"},
	    {RS_SW_ALL_TLSA_MUST_MATCH, "30"},
	    {RS_SW_TLSA_UNEXPANDED_ONLY, "29"},
	    {RS_SW_TLSA_EXPANDED_ONLY, "29"},
	    {RS_SW_TA_MUST_FOLLOW_LEAF, "31"},
	    {RS_SW_INSECURE_CNAME_NO_DANE, "33"},
	    {RS_SW_INSECURE_CNAME_DANE, "33"},
	    {RS_SW_PIPELINE_STARTTLS, "34"},
	    {RS_SW_STALE_TLSA_CACHE, ""},
	    {RS_SW_CD_RETRY, "35,46"},
	    {RS_SW_MANDATORY_AS_OPPORTUNISTIC, "37"},
	    {RS_SW_ENCRYPT_AS_MAY, "38"},
	    {RS_SW_ROUTE_TLSA_PORT25, "39"},
	    {RS_SW_FALLBACK_RELAY_NO_DANE, "40"},
	    {RS_SW_RESUME_AFTER_TLSA_CHANGE, "41"},
	    {RS_SW_SSLV2_HELLO, "42"},
	    {RS_SW_KEEP_PRE_TLS_EHLO, "43"},
	    {RS_SW_MTA_STS_OVERRIDES_DANE, "44"},
	    {RS_SW_AAAA_SECURITY_UNCHECKED, "46,47"},
	    {RS_SW_LITERAL_AS_HOSTNAME, "51"},
	    {RS_SW_NO_EHLO_AFTER_TLS, "50"},
	    {RS_SW_TLSA_BEFORE_ADDRESS, "52"},
	    {RS_SW_UNEXPANDED_TLSA_FIRST, "29"},
	};
	char base[NPOINTS + 1], got[NPOINTS + 1], moved[128];
	size_t k;
	int i;

	CU_ASSERT_EQUAL(sizeof(want) / sizeof(want[0]), RS_SW_COUNT);
	signature(0, base);
	/* The defaults themselves, spelled out. */
	CU_ASSERT_STRING_EQUAL(
	    base, "32100110032100102010001102020301100001312001020140100");
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		signature(want[k].sw, got);
		moved[0] = '\0';
		for (i = 0; i < NPOINTS; i++)
			if (got[i] != base[i])
				snprintf(moved + strlen(moved),
				    sizeof(moved) - strlen(moved), "%s%d",
				    moved[0] ? "," : "", i);
		if (strcmp(moved, want[k].moves) != 0)
			fprintf(stderr,
			    "switch %#" PRIx64 " moved %s, want %s\n",
			    want[k].sw, moved, want[k].moves);
		CU_ASSERT_STRING_EQUAL(moved, want[k].moves);
	}
}

/* test_switch_details - the direction each switch moves its decision. */
static void
test_switch_details(void)
{
	const char *rule;

	CU_ASSERT_FALSE(
	    rs_policy_tlsa_wanted(1, RS_DNS_SECURE, RS_SW_IGNORE_TLSA, &rule));
	/* the TLSA lookup before the addresses; the original name's first */
	CU_ASSERT_TRUE(
	    rs_policy_tlsa_before_address(RS_SW_TLSA_BEFORE_ADDRESS));
	CU_ASSERT_FALSE(rs_policy_tlsa_before_address(0));
	CU_ASSERT_EQUAL(
	    rs_policy_tlsa_candidates(RS_SW_UNEXPANDED_TLSA_FIRST, &rule),
	    RS_CAND_EXPANDED | RS_CAND_ORIGINAL | RS_CAND_ORIGINAL_FIRST);
	CU_ASSERT_STRING_EQUAL(
	    rule, "R-2.2.3-b violated: --unexpanded-tlsa-first");
	CU_ASSERT_EQUAL(rs_policy_tlsa_candidates(0, &rule),
	    RS_CAND_EXPANDED | RS_CAND_ORIGINAL);
	CU_ASSERT_EQUAL(
	    rs_policy_no_starttls(RS_TLS_DANE, RS_SW_FALLBACK_PLAINTEXT, &rule),
	    RS_ACT_CLEARTEXT);
	/* A failed handshake is no STARTTLS refusal: still quits. */
	CU_ASSERT_EQUAL(rs_policy_handshake_failed(
	                    RS_TLS_DANE, RS_SW_FALLBACK_PLAINTEXT, 1, &rule),
	    RS_ACT_QUIT);
	/* A retry in clear: at once, or only from the second attempt. */
	CU_ASSERT_EQUAL(rs_policy_handshake_failed(
	                    RS_TLS_DANE, RS_SW_RECONNECT_PLAINTEXT, 1, &rule),
	    RS_ACT_RETRY_CLEARTEXT);
	CU_ASSERT_STRING_EQUAL(
	    rule, "R-2.2.3-g violated: --reconnect-plaintext");
	CU_ASSERT_EQUAL(rs_policy_handshake_failed(
	                    RS_TLS_DANE, RS_SW_PLAINTEXT_ON_RETRY, 1, &rule),
	    RS_ACT_QUIT);
	CU_ASSERT_EQUAL(rs_policy_handshake_failed(
	                    RS_TLS_DANE, RS_SW_PLAINTEXT_ON_RETRY, 2, &rule),
	    RS_ACT_RETRY_CLEARTEXT);
	CU_ASSERT_STRING_EQUAL(
	    rule, "R-2.2.3-g violated: --plaintext-on-retry");
	CU_ASSERT_EQUAL(rs_policy_auth_failed(RS_SW_ACCEPT_TLS_FAILURE, &rule),
	    RS_ACT_CONTINUE);
	CU_ASSERT_EQUAL(rs_policy_tls_mode(RS_DNS_ERROR, 0, 0,
	                    RS_SW_TLSA_ERRORS_AS_ABSENT, &rule),
	    RS_TLS_MAY);
	CU_ASSERT_FALSE(rs_policy_send_sni(RS_SW_NO_SNI));
	CU_ASSERT_TRUE(rs_policy_ee_namechecks(RS_SW_CHECK_NAMES_EE));
	CU_ASSERT_EQUAL(rs_policy_auth_method(1, RS_SW_PKIX_TA), RS_AUTH_PKIX);
	CU_ASSERT_EQUAL(rs_policy_auth_method(0, RS_SW_PKIX_TA), RS_AUTH_DANE);
	CU_ASSERT_FALSE(rs_policy_next_host_after_failure(RS_SW_NO_NEXT_MX));
	CU_ASSERT_EQUAL(rs_policy_mx_action(
	                    RS_DNS_ERROR, 0, RS_SW_IMPLICIT_MX_FALLBACK, &rule),
	    RS_MX_IMPLICIT);
	/* NXDOMAIN still bounces and existing MX records still win. */
	CU_ASSERT_EQUAL(rs_policy_mx_action(RS_DNS_NXDOMAIN, 0,
	                    RS_SW_IMPLICIT_MX_FALLBACK, &rule),
	    RS_MX_BOUNCE);
	CU_ASSERT_TRUE(rs_policy_implicit_after_failure(
	    RS_MX_USE, RS_SW_IMPLICIT_MX_FALLBACK));
	CU_ASSERT_FALSE(rs_policy_implicit_after_failure(
	    RS_MX_IMPLICIT, RS_SW_IMPLICIT_MX_FALLBACK));
	CU_ASSERT_EQUAL(
	    rs_policy_domain_outcome(0, 0, 1, RS_SW_BOUNCE_ON_FAILURE),
	    RS_OUT_BOUNCED);
	CU_ASSERT_EQUAL(
	    rs_policy_domain_outcome(1, 0, 0, RS_SW_BOUNCE_ON_FAILURE),
	    RS_OUT_DELIVERED);
	CU_ASSERT_FALSE(rs_policy_discard_pre_tls(RS_SW_KEEP_PRE_TLS_BUFFER));
}

/* test_levels - what each configured level does to a host's TLS mode,
 * and how the policy switches change the level. */
static void
test_levels(void)
{
	const char *rule = "";

	/* mandatory DANE: only usable secure TLSA lets a connection
	 * happen (R-6-a, R7671-10.3-a) */
	CU_ASSERT_EQUAL(
	    rs_policy_level_mode(DP_LEVEL_DANE_ONLY, RS_TLS_DANE, &rule),
	    RS_TLS_DANE);
	CU_ASSERT_EQUAL(
	    rs_policy_level_mode(DP_LEVEL_DANE_ONLY, RS_TLS_MAY, &rule),
	    RS_TLS_SKIP);
	CU_ASSERT_STRING_EQUAL(rule, "R-6-a");
	CU_ASSERT_EQUAL(
	    rs_policy_level_mode(DP_LEVEL_DANE_ONLY, RS_TLS_ENCRYPT, &rule),
	    RS_TLS_SKIP);
	CU_ASSERT_STRING_EQUAL(rule, "R7671-10.3-a");
	/* TLS required: opportunistic becomes mandatory (R3207-6-a) */
	CU_ASSERT_EQUAL(
	    rs_policy_level_mode(DP_LEVEL_ENCRYPT, RS_TLS_MAY, &rule),
	    RS_TLS_ENCRYPT);
	CU_ASSERT_EQUAL(
	    rs_policy_level_mode(DP_LEVEL_MAY, RS_TLS_MAY, &rule), RS_TLS_MAY);
	CU_ASSERT_EQUAL(rs_policy_level_mode(DP_LEVEL_DANE, RS_TLS_DANE, &rule),
	    RS_TLS_DANE);
	CU_ASSERT_TRUE(rs_policy_level_wants_tlsa(DP_LEVEL_DANE_ONLY));
	CU_ASSERT_TRUE(rs_policy_level_wants_tlsa(DP_LEVEL_DEFAULT));
	CU_ASSERT_FALSE(rs_policy_level_wants_tlsa(DP_LEVEL_ENCRYPT));
	CU_ASSERT_FALSE(rs_policy_level_wants_tlsa(DP_LEVEL_MAY));
	/* the default is opportunistic DANE; a fallback relay keeps the
	 * destination's level */
	CU_ASSERT_EQUAL(
	    rs_policy_level(DP_LEVEL_DEFAULT, 0, 0, &rule), DP_LEVEL_DANE);
	CU_ASSERT_EQUAL(rs_policy_level(DP_LEVEL_DANE_ONLY, 1, 0, &rule),
	    DP_LEVEL_DANE_ONLY);
	CU_ASSERT_EQUAL(rs_policy_level(DP_LEVEL_DANE_ONLY, 0,
	                    RS_SW_MANDATORY_AS_OPPORTUNISTIC, &rule),
	    DP_LEVEL_DANE);
	CU_ASSERT_STRING_EQUAL(
	    rule, "R-2.2-e violated: --mandatory-as-opportunistic");
	CU_ASSERT_EQUAL(
	    rs_policy_level(DP_LEVEL_ENCRYPT, 0, RS_SW_ENCRYPT_AS_MAY, &rule),
	    DP_LEVEL_MAY);
	CU_ASSERT_EQUAL(rs_policy_level(DP_LEVEL_DEFAULT, 1,
	                    RS_SW_FALLBACK_RELAY_NO_DANE, &rule),
	    DP_LEVEL_MAY);
	/* the switch leaves the destination itself alone */
	CU_ASSERT_EQUAL(rs_policy_level(DP_LEVEL_DEFAULT, 0,
	                    RS_SW_FALLBACK_RELAY_NO_DANE, &rule),
	    DP_LEVEL_DANE);
	CU_ASSERT_EQUAL(rs_policy_tlsa_port(2525, 0), 2525);
	CU_ASSERT_EQUAL(rs_policy_tlsa_port(2525, RS_SW_ROUTE_TLSA_PORT25), 25);
}

/* test_sts - what an MTA-STS policy makes of a host (RFC 8461 §2, §4,
 * §5): DANE hosts are DANE's to decide, unless the switch says so. */
static void
test_sts(void)
{
	const char *rule = "";

	/* testing, none or no policy: nothing changes */
	CU_ASSERT_EQUAL(rs_policy_sts(0, 1, RS_TLS_MAY, 0, &rule), RS_STS_OFF);
	CU_ASSERT_STRING_EQUAL(rule, "RFC 8461 §5");
	/* no DANE: WebPKI for a listed host, an unlisted one not used */
	CU_ASSERT_EQUAL(rs_policy_sts(1, 1, RS_TLS_MAY, 0, &rule), RS_STS_PKIX);
	CU_ASSERT_STRING_EQUAL(rule, "RFC 8461 §4");
	CU_ASSERT_EQUAL(
	    rs_policy_sts(1, 0, RS_TLS_ENCRYPT, 0, &rule), RS_STS_REFUSE);
	/* DANE decides: usable TLSA, or a TLSA lookup that failed */
	CU_ASSERT_EQUAL(rs_policy_sts(1, 1, RS_TLS_DANE, 0, &rule), RS_STS_OFF);
	CU_ASSERT_STRING_EQUAL(rule, "R8461-2-a");
	CU_ASSERT_EQUAL(rs_policy_sts(1, 0, RS_TLS_DANE, 0, &rule), RS_STS_OFF);
	CU_ASSERT_EQUAL(rs_policy_sts(1, 1, RS_TLS_SKIP, 0, &rule), RS_STS_OFF);
	/* the switch: the policy replaces DANE where TLSA records exist,
	 * but never revives a host whose TLSA lookup failed */
	CU_ASSERT_EQUAL(rs_policy_sts(1, 1, RS_TLS_DANE,
	                    RS_SW_MTA_STS_OVERRIDES_DANE, &rule),
	    RS_STS_PKIX);
	CU_ASSERT_STRING_EQUAL(
	    rule, "R8461-2-a violated: --mta-sts-overrides-dane");
	CU_ASSERT_EQUAL(rs_policy_sts(1, 1, RS_TLS_SKIP,
	                    RS_SW_MTA_STS_OVERRIDES_DANE, &rule),
	    RS_STS_OFF);
	CU_ASSERT_STRING_EQUAL(rs_sts_str(RS_STS_REFUSE), "refuse");
}

/* test_strings - every state has a log name. */
static void
test_strings(void)
{
	CU_ASSERT_STRING_EQUAL(rs_dns_state_str(RS_DNS_SECURE), "secure");
	CU_ASSERT_STRING_EQUAL(rs_dns_state_str(RS_DNS_ERROR), "error");
	CU_ASSERT_STRING_EQUAL(rs_mx_action_str(RS_MX_DEFER), "defer");
	CU_ASSERT_STRING_EQUAL(rs_tls_mode_str(RS_TLS_DANE), "dane");
	CU_ASSERT_STRING_EQUAL(
	    rs_tls_action_str(RS_ACT_RETRY_CLEARTEXT), "retry-cleartext");
	CU_ASSERT_STRING_EQUAL(rs_outcome_str(RS_OUT_BOUNCED), "bounced");
}

/* test_addr_state - A and AAAA lookups together (RFC 7672 §2.2.2). */
static void
test_addr_state(void)
{
	static const struct {
		enum rs_dns_state a, aaaa;
		uint64_t flags;
		enum rs_dns_state want;
		const char *rule;
	} cases[] = {
	    /* an error in either lookup makes the host unreachable */
	    {RS_DNS_SECURE, RS_DNS_ERROR, 0, RS_DNS_ERROR, "R-2.2.2-k"},
	    {RS_DNS_ERROR, RS_DNS_SECURE, 0, RS_DNS_ERROR, "R-2.2.2-k"},
	    /* no data in either: no address, as the A lookup says */
	    {RS_DNS_NXDOMAIN, RS_DNS_NXDOMAIN, 0, RS_DNS_NXDOMAIN, "R-2.2.2-d"},
	    {RS_DNS_NODATA, RS_DNS_NODATA, 0, RS_DNS_NODATA, "R-2.2.2-d"},
	    /* one family alone decides when the other has no data */
	    {RS_DNS_NODATA, RS_DNS_SECURE, 0, RS_DNS_SECURE, "R-2.2.2-h"},
	    {RS_DNS_NODATA, RS_DNS_INSECURE, 0, RS_DNS_INSECURE, "R-2.2.2-h"},
	    /* secure only when every RRset with data is */
	    {RS_DNS_SECURE, RS_DNS_SECURE, 0, RS_DNS_SECURE, "R-2.2.2-h"},
	    {RS_DNS_INSECURE, RS_DNS_SECURE, 0, RS_DNS_INSECURE, "R-2.2.2-h"},
	    {RS_DNS_SECURE, RS_DNS_INSECURE, 0, RS_DNS_INSECURE, "R-2.2.2-h"},
	    /* the switch: the A answer's security alone */
	    {RS_DNS_SECURE, RS_DNS_INSECURE, RS_SW_AAAA_SECURITY_UNCHECKED,
	        RS_DNS_SECURE, "R-2.2.2-h violated: --aaaa-security-unchecked"},
	    {RS_DNS_SECURE, RS_DNS_ERROR, RS_SW_AAAA_SECURITY_UNCHECKED,
	        RS_DNS_ERROR, "R-2.2.2-k"},
	};
	const char *rule;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rule = NULL;
		CU_ASSERT_EQUAL(rs_policy_addr_state(cases[i].a, cases[i].aaaa,
		                    cases[i].flags, &rule),
		    cases[i].want);
		CU_ASSERT_PTR_NOT_NULL_FATAL(rule);
		CU_ASSERT_STRING_EQUAL(rule, cases[i].rule);
	}
	/* a SERVFAIL is asked again with CD only for AAAA under it */
	CU_ASSERT_TRUE(rs_policy_cd_retry(1, 1, RS_SW_AAAA_SECURITY_UNCHECKED));
	CU_ASSERT_FALSE(
	    rs_policy_cd_retry(1, 0, RS_SW_AAAA_SECURITY_UNCHECKED));
	CU_ASSERT_FALSE(rs_policy_cd_retry(1, 1, 0));
	CU_ASSERT_TRUE(rs_policy_cd_retry(1, 0, RS_SW_CD_RETRY));
}

static CU_TestInfo tests[] = {
    {"tlsa_usable", test_tlsa_usable},
    {"addr_state", test_addr_state},
    {"mx_states", test_mx_states},
    {"tlsa_wanted", test_tlsa_wanted},
    {"tls_mode", test_tls_mode},
    {"tls_actions", test_tls_actions},
    {"ref_ids", test_ref_ids},
    {"sort_hosts", test_sort_hosts},
    {"outcome", test_outcome},
    {"switch_names", test_switch_names},
    {"switch_effects", test_switch_effects},
    {"switch_details", test_switch_details},
    {"strings", test_strings},
    {"levels", test_levels},
    {"sts", test_sts},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("refsut_policy", NULL, NULL, tests);
