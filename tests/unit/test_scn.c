/*
 * test_scn.c - the scenario parser (good files, malformed files with
 * exact messages and line numbers), variable expansion, lint, the
 * requirement catalogue and suite loading.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scn.h"
#include "scn_expand.h"
#include "scn_lint.h"
#include "xmalloc.h"

/* data - "tests/data/scn/<rel>" as a new string. */
static char *
data(const char *rel)
{
	char *r = xasprintf("scn/%s", rel);
	char *p = xstrdup(unit_data_path(r));

	free(r);
	return p;
}

/* catalogue_path - the repository's requirement catalogue. */
static char *
catalogue_path(void)
{
	const char *top = getenv("DANESIM_SRCDIR");

	return xasprintf("%s/docs/rfc7672-requirements.md", top ? top : ".");
}

/* errs_dump - print the messages (shown when an assertion fails). */
static void
errs_dump(const char *what, const struct scn_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(stderr, "  [%s] %s\n", what, e->msg[i]);
}

/*
 * expect_msgs - errs holds exactly the messages want[] (NULL-terminated),
 * each "path:" + want[i].
 */
static void
expect_msgs(
    const char *path, const struct scn_errors *errs, const char *const *want)
{
	size_t n = 0, i;
	int ok = 1;

	while (want[n] != NULL)
		n++;
	if (errs->n != n)
		ok = 0;
	for (i = 0; ok && i < n; i++) {
		char *w = xasprintf("%s:%s", path, want[i]);

		if (strcmp(errs->msg[i], w) != 0)
			ok = 0;
		free(w);
	}
	if (!ok) {
		fprintf(stderr, "\n  %s: want:\n", path);
		for (i = 0; i < n; i++)
			fprintf(stderr, "  [want] %s:%s\n", path, want[i]);
		errs_dump("got", errs);
	}
	CU_ASSERT_TRUE(ok);
}

/* test_example - the annotated example of docs/scenario-format.md. */
static void
test_example(void)
{
	struct scn_errors errs = {NULL, 0};
	char *path = data("good/tlsa-mismatch.scn"), *cp = catalogue_path();
	struct scn_catalogue cat;
	struct scn *s;

	s = scn_parse_file(path, &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(errs.n, 0);
	CU_ASSERT_STRING_EQUAL(s->id, "tlsa-mismatch");
	CU_ASSERT_EQUAL(s->id_line, 2);
	CU_ASSERT_STRING_EQUAL(s->title,
	    "Secure TLSA 3 1 1 names another key: the sender must not "
	    "deliver");
	CU_ASSERT_EQUAL_FATAL(s->nreq, 2);
	CU_ASSERT_STRING_EQUAL(s->req[1], "R-3.2-b");
	CU_ASSERT_EQUAL(s->severity, SCN_SEV_SECURITY);
	CU_ASSERT_EQUAL_FATAL(s->ntags, 3);
	CU_ASSERT_STRING_EQUAL(s->tags[2], "attack");
	CU_ASSERT_PTR_NULL(s->recipient);
	CU_ASSERT_EQUAL_FATAL(s->ncerts, 2);
	CU_ASSERT_STRING_EQUAL(s->certs[1].name, "decoy");
	CU_ASSERT_STRING_EQUAL(s->certs[1].cn, "mx1.${DOMAIN}");
	CU_ASSERT_FALSE(s->certs[1].is_ca);
	CU_ASSERT_EQUAL(s->certs[0].keytype, SCN_KEY_EC256);
	CU_ASSERT_FALSE(s->certs[0].not_after.set);
	CU_ASSERT_EQUAL_FATAL(s->nzones, 1);
	CU_ASSERT_STRING_EQUAL(s->zones[0].name, "${DOMAIN}");
	CU_ASSERT_TRUE(s->zones[0].is_signed);
	CU_ASSERT_EQUAL(s->zones[0].ds, SCN_DS_GOOD);
	CU_ASSERT_EQUAL_FATAL(s->zones[0].nrr, 3);
	CU_ASSERT_STRING_EQUAL(
	    s->zones[0].rr_lines[2], "_25._tcp.mx1  TLSA ${TLSA(decoy,3,1,1)}");
	CU_ASSERT_EQUAL(s->zones[0].rr_line_no[2], 15);
	CU_ASSERT_EQUAL_FATAL(s->nmxs, 1);
	CU_ASSERT_STRING_EQUAL(s->mxs[0].cert, "mx1");
	CU_ASSERT_EQUAL(s->mxs[0].starttls, MXS_STLS_OFFER);
	CU_ASSERT_TRUE(s->mxs[0].esmtp);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 4);
	CU_ASSERT_EQUAL(s->expects[0].kind, SCN_EXP_OUTCOME);
	CU_ASSERT_EQUAL(s->expects[0].outcomes, 1u << SCN_OUT_DEFERRED);
	CU_ASSERT_EQUAL_FATAL(s->expects[0].nreq, 1);
	CU_ASSERT_STRING_EQUAL(s->expects[0].req[0], "R-2.2-a");
	CU_ASSERT_EQUAL(s->expects[1].kind, SCN_EXP_NEVER_MAIL);
	CU_ASSERT_STRING_EQUAL(s->expects[1].host, "mx1");
	CU_ASSERT_EQUAL(s->expects[2].kind, SCN_EXP_NEVER_PLAIN_MAIL);
	CU_ASSERT_PTR_NULL(s->expects[2].host);
	CU_ASSERT_EQUAL(s->expects[2].nreq, 0);
	CU_ASSERT_EQUAL(s->expects[3].kind, SCN_EXP_QUERY);
	CU_ASSERT_STRING_EQUAL(s->expects[3].name, "_25._tcp.mx1.${DOMAIN}");
	CU_ASSERT_STRING_EQUAL(s->expects[3].qtype, "TLSA");
	CU_ASSERT_EQUAL(s->expects[3].line, 26);
	CU_ASSERT_STRING_EQUAL(s->expects[1].text,
	    "expect never mail mx1                           req=R-3.2-b");
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 0);
	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(cp, &cat), 0);
	CU_ASSERT_EQUAL(scn_lint_with_catalogue(s, &cat, &errs), 0);
	errs_dump("example", &errs);
	scn_catalogue_free(&cat);
	scn_free(s);
	scn_errors_free(&errs);
	free(path);
	free(cp);
}

/* test_rich - every directive and attribute of the format. */
static void
test_rich(void)
{
	struct scn_errors errs = {NULL, 0};
	char *path = data("good/rich.scn");
	const struct scn_mx *m;
	struct scn *s;

	s = scn_parse_file(path, &errs);
	errs_dump("rich", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->title, "A \"rich\" scenario");
	CU_ASSERT_EQUAL(s->severity, SCN_SEV_INTEROP);
	CU_ASSERT_STRING_EQUAL(s->recipient, "postmaster@${DOMAIN}");
	CU_ASSERT_EQUAL(s->window, 120);
	CU_ASSERT_EQUAL_FATAL(s->ncerts, 4);
	CU_ASSERT_TRUE(s->certs[0].is_ca);
	CU_ASSERT_TRUE(s->certs[0].trusted);
	CU_ASSERT_FALSE(s->certs[1].trusted);
	CU_ASSERT_EQUAL(s->certs[0].pathlen, 1);
	CU_ASSERT_EQUAL(s->certs[0].keytype, SCN_KEY_RSA2048);
	CU_ASSERT_STRING_EQUAL(s->certs[0].cn, "Root CA");
	CU_ASSERT_TRUE(s->certs[0].not_before.set);
	CU_ASSERT_EQUAL(s->certs[0].not_before.secs, -2 * 86400);
	CU_ASSERT_EQUAL(s->certs[0].not_after.secs, 10 * 86400);
	CU_ASSERT_EQUAL(s->certs[1].pathlen, -1);
	CU_ASSERT_STRING_EQUAL(s->certs[1].issuer, "root");
	CU_ASSERT_EQUAL_FATAL(s->certs[1].nsan, 2);
	CU_ASSERT_STRING_EQUAL(s->certs[1].san[1], "*.alt.${DOMAIN}");
	CU_ASSERT_EQUAL(s->certs[1].not_after.secs, 90 * 60);
	CU_ASSERT_STRING_EQUAL(s->certs[2].share_key, "leaf");
	CU_ASSERT_TRUE(s->certs[2].no_san);
	CU_ASSERT_EQUAL(s->certs[2].not_before.secs, 0);
	CU_ASSERT_TRUE(s->certs[2].not_before.set);
	CU_ASSERT_EQUAL(s->certs[3].not_after.secs, 3600);
	CU_ASSERT_EQUAL_FATAL(s->nzones, 2);
	CU_ASSERT_EQUAL(s->zones[0].nsec, SCN_NSEC3);
	CU_ASSERT_EQUAL(s->zones[0].ds, SCN_DS_WRONG);
	CU_ASSERT_EQUAL(s->zones[0].inception.secs, -3600);
	CU_ASSERT_EQUAL(s->zones[0].expiration.secs, 2 * 86400);
	/* the ';' comment line is not kept; "mx 300 IN A" is an RR */
	CU_ASSERT_EQUAL_FATAL(s->zones[0].nrr, 4);
	CU_ASSERT_STRING_EQUAL(
	    s->zones[0].rr_lines[2], "mx 300 IN A 127.0.0.9");
	CU_ASSERT_FALSE(s->zones[1].is_signed);
	CU_ASSERT_EQUAL(s->zones[1].ds, SCN_DS_NONE);
	CU_ASSERT_EQUAL_FATAL(s->nbreaks, 2);
	CU_ASSERT_EQUAL(s->breaks[0].what, SCN_BRK_DELAY);
	CU_ASSERT_EQUAL(s->breaks[0].arg, 1500);
	CU_ASSERT_STRING_EQUAL(s->breaks[0].owner, "_25._tcp.mx1.${DOMAIN}.");
	CU_ASSERT_STRING_EQUAL(s->breaks[1].type, "ANY");
	CU_ASSERT_EQUAL(s->breaks[1].what, SCN_BRK_SERVFAIL);
	CU_ASSERT_EQUAL_FATAL(s->nmxs, 2);
	m = &s->mxs[0];
	CU_ASSERT_STRING_EQUAL(m->cert, "leaf");
	CU_ASSERT_TRUE(m->chain_set);
	CU_ASSERT_EQUAL_FATAL(m->nchain, 1);
	CU_ASSERT_STRING_EQUAL(m->chain[0], "root");
	CU_ASSERT_EQUAL_FATAL(m->nsni, 1);
	CU_ASSERT_STRING_EQUAL(m->sni[0].cert, "twin");
	CU_ASSERT_FALSE(m->esmtp);
	CU_ASSERT_EQUAL(m->starttls, MXS_STLS_MANGLE);
	CU_ASSERT_TRUE(m->reply[MXS_STAGE_BANNER].set);
	CU_ASSERT_EQUAL(m->reply[MXS_STAGE_BANNER].code, 421);
	CU_ASSERT_STRING_EQUAL(
	    m->reply[MXS_STAGE_BANNER].text, "4.3.2 \"busy\" now");
	CU_ASSERT_TRUE(m->reply[MXS_STAGE_MAIL].set);
	CU_ASSERT_EQUAL(m->reply[MXS_STAGE_MAIL].code, 0);
	CU_ASSERT_FALSE(m->reply[MXS_STAGE_RCPT].set);
	CU_ASSERT_EQUAL(m->delay_ms[MXS_STAGE_EHLO], 250);
	CU_ASSERT_STRING_EQUAL(m->inject, "250 injected\r\n");
	CU_ASSERT_STRING_EQUAL(m->tls_min, "1.2");
	CU_ASSERT_STRING_EQUAL(m->tls_max, "1.3");
	CU_ASSERT_STRING_EQUAL(m->ciphers, "ECDHE+AESGCM");
	CU_ASSERT_STRING_EQUAL(m->ciphersuites, "TLS_AES_128_GCM_SHA256");
	CU_ASSERT_TRUE(m->flag[MXS_FLAG_HANDSHAKE_FAIL]);
	CU_ASSERT_TRUE(m->flag[MXS_FLAG_CLOSE_AFTER_HANDSHAKE]);
	CU_ASSERT_TRUE(m->flag[MXS_FLAG_EHLO_AFTER_TLS_STARTTLS]);
	CU_ASSERT_EQUAL(s->mxs[1].starttls, MXS_STLS_STRIP);
	CU_ASSERT_PTR_NULL(s->mxs[1].cert);
	CU_ASSERT_EQUAL_FATAL(s->nexpects, 9);
	CU_ASSERT_EQUAL(s->expects[0].outcomes,
	    1u << SCN_OUT_DELIVERED_TLS | 1u << SCN_OUT_DELIVERED_PLAIN |
	        1u << SCN_OUT_DEFERRED);
	CU_ASSERT_EQUAL_FATAL(s->expects[0].nreq, 2);
	CU_ASSERT_STRING_EQUAL(s->expects[0].req[1], "R7671-5.1-a");
	CU_ASSERT_EQUAL(s->expects[1].kind, SCN_EXP_NEVER_CONNECT);
	CU_ASSERT_TRUE(s->expects[1].severity_set);
	CU_ASSERT_EQUAL(s->expects[1].severity, SCN_SEV_SECURITY);
	CU_ASSERT_FALSE(s->expects[2].severity_set);
	CU_ASSERT_EQUAL(s->expects[4].kind, SCN_EXP_NEVER_PLAIN_DATA);
	CU_ASSERT_STRING_EQUAL(s->expects[4].host, "mx1");
	CU_ASSERT_EQUAL(s->expects[5].kind, SCN_EXP_MAIL_TLS);
	CU_ASSERT_EQUAL(s->expects[6].kind, SCN_EXP_SNI);
	CU_ASSERT_STRING_EQUAL(s->expects[6].name, "mx1.${DOMAIN}");
	CU_ASSERT_EQUAL(s->expects[8].kind, SCN_EXP_NEVER_QUERY);
	CU_ASSERT_STRING_EQUAL(s->expects[8].qtype, "AAAA");
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 0);
	errs_dump("rich lint", &errs);
	scn_free(s);
	scn_errors_free(&errs);
	free(path);
}

/* One malformed file and the exact messages it must give. */
struct bad_case {
	const char *file;
	const char *msgs[4];
};

static const struct bad_case bad_cases[] = {
    {"unknown-directive",
        {"6: unknown directive 'frobnicate' (want format, id, title, "
         "requirements, severity, tags, recipient, window, attempts, "
         "messages, policy, route, fallback-relay, mta-sts, cert, zone, "
         "mx, dnsbreak or expect)"}},
    {"missing-title", {"1: missing required 'title'"}},
    {"dup-cert", {"8: duplicate cert 'mx1' (first on line 7)"}},
    {"bad-id", {"2: bad id 'Bad_Id' (want [a-z0-9][a-z0-9-]*, at most 40 "
                "characters)"}},
    {"id-mismatch", {"2: id 'other-name' does not match the file name "
                     "('id-mismatch')"}},
    {"bad-attr",
        {"7: unknown cert attribute 'colour' (want issuer, key-of, key, "
         "cn, san, pathlen, not-before, not-after, bc, sig, eku, "
         "permit or exclude)"}},
    {"bad-time",
        {"7: bad TIME '+3y' in not-after= (want now, +N, -N or N; N in "
         "seconds or with s/m/h/d)"}},
    {"unterminated-zone", {"9: zone '${DOMAIN}' has no 'end' before line 14"}},
    {"mx-no-end", {"15: mx 'mx1' has no 'end' before line 18"}},
    {"end-without-block", {"19: 'end' without an open zone or mx block"}},
    {"bad-severity", {"5: bad severity 'critical' (want security or "
                      "interop)"}},
    {"bad-outcome", {"19: bad outcome 'lost' (want delivered-tls, "
                     "delivered-plaintext, delivered, deferred, bounced or "
                     "not-attempted)"}},
    {"unknown-break",
        {"15: unknown break 'explode' (want rrsig-expired, rrsig-future, "
         "rrsig-corrupt, rrsig-missing, servfail, refused, drop, delay, "
         "tcp-refuse, strip-rrsig, noproof, nxdomain-noproof or "
         "malformed)"}},
    {"bad-stage",
        {"17: bad stage 'helo' (want banner, ehlo, starttls, mail, rcpt, "
         "data or dot)"}},
    {"bad-req", {"4: bad requirement id '2.2-b' (want R-2.2-a or R7671-5.1-a "
                 "style)"}},
    {"format2", {"1: unsupported format '2' (only 1 is known)"}},
    {"format-late", {"2: 'format' must be the first directive"}},
    {"dup-header", {"6: duplicate 'severity' (first on line 5)"}},
    {"arity", {"20: 'expect never connect' takes one mx label"}},
    {"unclosed-quote",
        {"3: unterminated quote", "1: missing required 'title'"}},
    {"long-line",
        {"3: line longer than 4096 bytes", "1: missing required 'title'"}},
    {"nul-byte", {"3: NUL byte in line", "1: missing required 'title'"}},
    {"bad-variable",
        {"11: unknown variable ${ADR(mx1)} (known: ID DOMAIN NOW[+-N] "
         "UNIXNOW[+-N] ADDR(host) ADDR6(host) TLSA(cert,u,s,m))"}},
    {"unterminated-var", {"11: unterminated ${ (no closing '}')"}},
    {"bad-tlsa-args", {"12: ${TLSA(mx1,4,1,1)}: usage must be 0-3"}},
    {"several", {"5: bad severity 'bad' (want security or interop)",
                    "17: bad starttls 'maybe' (want offer, strip or mangle)",
                    "21: bad requirement id 'R-x' (want R-2.2-a or R7671-5.1-a "
                    "style)"}},
};

/* test_bad_files - every malformed file: NULL and the exact messages. */
static void
test_bad_files(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct scn_errors errs = {NULL, 0};
		char *rel = xasprintf("bad/%s.scn", bad_cases[i].file);
		char *path = data(rel);
		struct scn *s = scn_parse_file(path, &errs);

		CU_ASSERT_PTR_NULL(s);
		expect_msgs(path, &errs, bad_cases[i].msgs);
		scn_free(s);
		scn_errors_free(&errs);
		free(rel);
		free(path);
	}
}

/* parse_text - parse a buffer named t.scn; returns the scenario. */
static struct scn *
parse_text(const char *text, struct scn_errors *errs)
{
	return scn_parse_buf("t.scn", text, strlen(text), errs);
}

#define HDR "id t\ntitle x\nrequirements R-2.2-a\nseverity security\n"

/* test_bad_buffers - malformed input given from memory. */
static void
test_bad_buffers(void)
{
	struct scn_errors errs = {NULL, 0};
	static const char nul[] = HDR "tags a\0b\n";
	static const char *const empty_msgs[] = {"1: missing required 'id'",
	    "1: missing required 'title'", "1: missing required 'requirements'",
	    "1: missing required 'severity'", NULL};
	struct scn *s;

	s = scn_parse_buf("t.scn", "", 0, &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("t.scn", &errs, empty_msgs);
	scn_errors_free(&errs);

	s = scn_parse_buf("t.scn", nul, sizeof(nul) - 1, &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs(
	    "t.scn", &errs, (const char *const[]){"5: NUL byte in line", NULL});
	scn_errors_free(&errs);

	s = parse_text(HDR "zone ${DOMAIN}\n@ A 127.0.0.1\n", &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("t.scn", &errs,
	    (const char *const[]){
	        "5: zone '${DOMAIN}' has no 'end' (file ends at line 6)",
	        NULL});
	scn_errors_free(&errs);

	s = parse_text(HDR "mx a\n  reply mail 99 x\n  delay rcpt -1\n"
	                   "  tls-min 1.3\n  tls-max 1.2\n  handshake ok\n"
	                   "  colour red\nend\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("t.scn", &errs,
	    (const char *const[]){
	        "6: bad reply code '99' (want 200..599 or drop)",
	        "7: bad delay '-1' (want 0..600000 ms)",
	        "9: tls-min 1.3 is above tls-max 1.2",
	        "10: 'handshake' takes only 'fail'",
	        "11: unknown mx directive 'colour' (want cert, chain, sni, "
	        "esmtp, "
	        "starttls, reply, delay, hold-tls-replies, inject, tls-min, "
	        "tls-max, ciphers, ciphersuites, port, ehlo-keywords, "
	        "handshake, after-handshake or ehlo-after-tls)",
	        NULL});
	scn_errors_free(&errs);

	s = parse_text(HDR "expect sni mx1\nexpect query x.test\n"
	                   "expect never\nexpect outcome\nexpect maybe x\n"
	                   "expect mail-tls mx1 colour=red\n"
	                   "expect query x.test BOGUSTYPE\n"
	                   "expect never mail-plaintext a b\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("t.scn", &errs,
	    (const char *const[]){"5: 'expect sni' takes HOST NAME",
	        "6: 'expect query' takes NAME TYPE",
	        "7: 'expect never' needs a kind (connect, mail, "
	        "mail-plaintext, data-plaintext, early-command, "
	        "pipelined-after-tls, bdat-after-tls, sslv2-hello, bad-sni, "
	        "query, "
	        "literal-tlsa, stub-cd)",
	        "8: 'expect outcome' needs one or more outcomes",
	        "9: unknown expectation 'expect maybe' (want outcome, never, "
	        "mail-tls, sni, first-after-tls, query, query-order)",
	        "10: bad expect attribute 'colour' (want req=, severity=, "
	        "because=, attempts= or message=)",
	        "11: unknown RR type 'BOGUSTYPE'",
	        "12: 'expect never mail-plaintext' takes at most one mx label",
	        NULL});
	scn_errors_free(&errs);

	s = parse_text(HDR "cert a\ncert b ca pathlen=x\ncert c pathlen=1 "
	                   "cn=c\ncert d cn=d not-before=+2d not-after=+1d\n"
	                   "cert e cn=e issuer=e\ncert f san=a,,b\n"
	                   "dnsbreak x.test A delay\ndnsbreak x.test A drop "
	                   "ms=5\ndnsbreak x.test\n"
	                   "zone x.test unsigned ds=good\nend\n"
	                   "window 0\nrecipient nobody\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("t.scn", &errs,
	    (const char *const[]){"5: a non-CA certificate needs cn= or san=",
	        "6: bad pathlen 'x' (want 0..16)",
	        "7: pathlen= needs a 'ca' certificate",
	        "8: not-after is before not-before",
	        "9: cert 'e' names itself as issuer (leave issuer= out for a "
	        "self-signed certificate)",
	        "10: empty name in san=", "11: 'delay' needs ms=N",
	        "12: ms= only goes with 'delay'",
	        "13: 'dnsbreak' takes OWNER TYPE BREAK [ms=N]",
	        "14: an unsigned zone can only have ds=none",
	        "16: bad window '0' (want 1..3600 seconds)",
	        "17: bad recipient 'nobody' (want local@domain or "
	        "local@[address])",
	        NULL});
	scn_errors_free(&errs);

	s = parse_text(HDR
	    "mx a\n  esmtp no\n  esmtp yes\n  delay ehlo 5\n"
	    "  delay ehlo 6\n  reply ehlo 250\n  reply ehlo drop\n"
	    "  cert x\n  cert y\nend\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("t.scn", &errs,
	    (const char *const[]){"7: duplicate 'esmtp' in mx block",
	        "9: duplicate 'delay ehlo' in mx block",
	        "11: duplicate 'reply ehlo' in mx block",
	        "13: duplicate 'cert' in mx block", NULL});
	scn_errors_free(&errs);

	s = scn_parse_buf("root-servers.scn",
	    "id root-servers\ntitle x\nrequirements R-2.2-a\nseverity "
	    "interop\n",
	    62, &errs);
	CU_ASSERT_PTR_NULL(s);
	expect_msgs("root-servers.scn", &errs,
	    (const char *const[]){"1: id 'root-servers' is reserved "
	                          "(root-servers.test names the root's name "
	                          "server)",
	        NULL});
	scn_errors_free(&errs);

	/* a UTF-8 byte order mark is skipped */
	s = parse_text("\xef\xbb\xbf" HDR "expect outcome deferred\n", &errs);
	CU_ASSERT_PTR_NOT_NULL(s);
	CU_ASSERT_EQUAL(errs.n, 0);
	scn_free(s);
	scn_errors_free(&errs);

	/* a buffer of garbage bytes: errors, no crash, bounded count */
	{
		char junk[3000];
		size_t i;

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (char)((i * 7919u) % 251u);
		s = scn_parse_buf("t.scn", junk, sizeof(junk), &errs);
		CU_ASSERT_PTR_NULL(s);
		CU_ASSERT_TRUE(errs.n > 0 && errs.n <= 100);
		scn_errors_free(&errs);
	}
}

/* One snippet after the header and the exact messages it gives. */
struct line_case {
	const char *text;
	const char *msgs[8];
};

static const struct line_case line_cases[] = {
    {"format", {"5: 'format' must be the first directive",
                   "5: 'format' takes one number"}},
    {"id a b", {"5: duplicate 'id' (first on line 1)"}},
    {"recipient a b", {"5: 'recipient' takes one address"}},
    {"recipient a@[127.0.0.300]",
        {"5: bad recipient 'a@[127.0.0.300]' (want local@domain or "
         "local@[address])"}},
    {"recipient a@[mx1.example]",
        {"5: bad recipient 'a@[mx1.example]' (want local@domain or "
         "local@[address])"}},
    {"expect first-after-tls mx1",
        {"5: 'expect first-after-tls' takes HOST VERB"}},
    {"expect first-after-tls mx1 EH-LO",
        {"5: bad SMTP verb 'EH-LO' (want letters, e.g. EHLO)"}},
    {"cert", {"5: 'cert' needs a label"}},
    {"cert -bad", {"5: bad cert label '-bad'"}},
    {"cert a cn=a bogus", {"5: bad cert attribute 'bogus'"}},
    {"cert a cn=a issuer=x issuer=y", {"5: duplicate attribute 'issuer'"}},
    {"cert a cn=a key-of=-x", {"5: bad cert label '-x' in key-of="}},
    {"cert a cn=a key=dsa", {"5: bad key type 'dsa' (want ec256 or rsa2048)"}},
    {"cert a cn=a cn=b", {"5: duplicate attribute 'cn'"}},
    {"cert a cn=", {"5: empty cn="}},
    {"cert a cn=a san=a san=b", {"5: duplicate attribute 'san'"}},
    {"cert a ca pathlen=1 pathlen=2", {"5: duplicate attribute 'pathlen'"}},
    {"cert a cn=a not-after=+1d not-after=+2d",
        {"5: duplicate attribute 'not-after'"}},
    {"cert a cn=a san=bad..name",
        {"5: bad san name 'bad..name' (not a domain name)"}},
    {"zone\nend", {"5: 'zone' needs a name"}},
    {"zone x.test signed unsigned\nend",
        {"5: 'signed'/'unsigned' given twice"}},
    {"zone x.test nsec nsec3\nend", {"5: 'nsec'/'nsec3' given twice"}},
    {"zone x.test bogus\nend", {"5: bad zone attribute 'bogus'"}},
    {"zone x.test ds=good ds=none\nend", {"5: duplicate attribute 'ds'"}},
    {"zone x.test ds=maybe\nend",
        {"5: bad ds 'maybe' (want good, none or wrong)"}},
    {"zone x.test colour=red\nend",
        {"5: unknown zone attribute 'colour' (want ds, inception, "
         "expiration, iterations or salt)"}},
    {"zone x.test unsigned nsec3\nend", {"5: nsec/nsec3/inception/expiration "
                                         "make no sense for an unsigned zone"}},
    {"zone x.test inception=+2d expiration=+1d\nend",
        {"5: expiration is not after inception"}},
    {"zone x.test opt-out\nend", {"5: opt-out/iterations/salt need 'nsec3'"}},
    {"zone x.test nsec3 opt-out opt-out\nend", {"5: 'opt-out' given twice"}},
    {"zone x.test nsec3 iterations=2501\nend",
        {"5: bad iterations '2501' (want 0..2500)"}},
    {"zone x.test nsec3 salt=abc\nend",
        {"5: bad salt 'abc' (want hex, 1..255 bytes, or -)"}},
    {"zone x.test nsec3 salt=zz\nend", {"5: bad salt 'zz' (want hex digits)"}},
    {"mx m\nport 0\nend", {"6: bad port '0' (want 1..65535)"}},
    {"cert a cn=a bc=false", {"5: bc=, permit= and exclude= need a 'ca' "
                              "certificate"}},
    {"cert a trusted cn=a", {"5: 'trusted' needs a self-signed 'ca' "
                             "certificate (a root the SUT is given as a "
                             "trust anchor)"}},
    {"cert r ca\ncert a ca trusted issuer=r",
        {"6: 'trusted' needs a self-signed 'ca' certificate (a root the SUT "
         "is given as a trust anchor)"}},
    {"cert a ca trusted trusted", {"5: bad cert attribute 'trusted'"}},
    {"cert a cn=a sig=broken", {"5: bad or duplicate sig='broken' (want "
                                "corrupt)"}},
    {"cert a cn=a eku=webAuth", {"5: bad eku 'webAuth' (want serverAuth, "
                                 "clientAuth, emailProtection, codeSigning "
                                 "or none)"}},
    {"cert a ca permit=x..y", {"5: bad permit= 'x..y' (not a domain name)"}},
    {"cert a cn=a san=m**.x.test",
        {"5: bad san name 'm**.x.test' (not a domain name)"}},
    {"mx m\nport 25 26\nend", {"6: 'port' takes PORT"}},
    {"mx m\nport 2525\nport 2526\nend", {"7: duplicate 'port' in mx block"}},
    {"zone x..test\nend", {"5: bad zone name 'x..test' (not a domain name)"}},
    {"zone x.test\n$TTL 60\nend",
        {"6: master-file directive '$TTL 60' not allowed ($ORIGIN is the zone, "
         "the TTL is 300)"}},
    {"zone x.test\nend\nzone X.test.\nend",
        {"7: duplicate zone 'X.test.' (first on line 5)"}},
    {"zone x.test", {"5: zone 'x.test' has no 'end' (file ends at line 5)"}},
    {"dnsbreak x.test A delay ms=5 ms=6", {"5: duplicate attribute 'ms'"}},
    {"dnsbreak x.test A delay ms=0", {"5: bad ms '0' (want 1..600000)"}},
    {"dnsbreak x.test A drop colour=1",
        {"5: unknown dnsbreak attribute 'colour' (want ms)"}},
    {"dnsbreak x..test A drop", {"5: bad owner 'x..test' (not a domain name)"}},
    {"dnsbreak x.test NOPE drop", {"5: unknown RR type 'NOPE'"}},
    {"mx\nend", {"5: 'mx' takes one label"}},
    {"mx -a\nend", {"5: bad mx label '-a'"}},
    {"mx a\nend\nmx a\nend", {"7: duplicate mx 'a' (first on line 5)"}},
    {"mx a b", {"5: 'mx' takes one label",
                   "5: mx 'a' has no 'end' (file ends at line 5)"}},
    {"mx a\n  cert -x\n  chain a\n  chain b\n  sni x.test -c\n  sni "
     "x.test\nend",
        {"6: bad cert label '-x'", "8: duplicate 'chain' in mx block",
            "9: bad cert label '-c'", "10: 'sni' takes NAME CERT"}},
    {"mx a\n  reply mail drop now\n  reply rcpt 2500\n  reply data\n  inject\n "
     " starttls x=y\n  ciphers\nend extra",
        {"6: 'reply mail drop' takes no text",
            "7: bad reply code '2500' (want 200..599 or drop)",
            "8: 'reply' takes STAGE CODE [TEXT] or STAGE drop",
            "9: 'inject' takes TEXT",
            "10: 'starttls' takes no attributes ('x=y')",
            "11: 'ciphers' takes one list (no blanks)",
            "12: 'end' takes nothing"}},
    {"mx a\n  ehlo-keywords during-tls X\n  ehlo-keywords after-tls "
     "STARTTLS -X \"SIZE  9\" OK\n  ehlo-keywords after-tls\n  "
     "ehlo-keywords before-tls A attempts=2\n  ehlo-keywords\nend",
        {"6: bad ehlo-keywords phase 'during-tls' (want before-tls or "
         "after-tls)",
            "7: bad EHLO keyword 'STARTTLS': STARTTLS is advertised by "
            "the 'starttls' mode, not listed",
            "7: bad EHLO keyword '-X': an EHLO keyword starts with a "
            "letter or digit",
            "7: bad EHLO keyword 'SIZE  9': EHLO parameters are printable "
            "words after single blanks",
            "8: duplicate 'ehlo-keywords after-tls' in mx block",
            "9: 'ehlo-keywords' cannot be qualified with attempts= or "
            "connections= (only behaviours, cert and chain can)",
            "10: 'ehlo-keywords' takes before-tls or after-tls, then the "
            "keywords"}},
    {"mx a\n  reply mail 550 \"a\\r\\nb\"\n  tls-min 1.4\n  esmtp maybe\n  "
     "inject \"\"\nend",
        {"6: reply text must not contain CR or LF",
            "7: bad TLS version '1.4' (want 1.0, 1.1, 1.2 or 1.3)",
            "8: bad esmtp 'maybe' (want yes or no)", "9: 'inject' takes TEXT"}},
    {"expect mail-tls -x", {"5: bad mx label '-x'"}},
    {"expect mail-tls a req=R-2.2-a req=R-2.2-b",
        {"5: duplicate attribute 'req'"}},
    {"expect mail-tls a severity=security severity=interop",
        {"5: duplicate attribute 'severity'"}},
    {"expect mail-tls a severity=high",
        {"5: bad severity 'high' (want security, interop or info)"}},
    {"expect mail-tls a req=R-2.2-a,", {"5: empty requirement id in req="}},
    {"expect mail-tls", {"5: 'expect mail-tls' takes one mx label"}},
    {"expect never mail", {"5: 'expect never mail' takes one mx label"}},
    {"expect never stub-cd mx1",
        {"5: 'expect never stub-cd' takes no argument"}},
    {"expect never nothing",
        {"5: unknown expectation 'expect never nothing' (want connect, "
         "mail, mail-plaintext, data-plaintext, early-command, "
         "pipelined-after-tls, bdat-after-tls, sslv2-hello, bad-sni, query, "
         "literal-tlsa, stub-cd)"}},
    {"expect query x.test ANY",
        {"5: 'expect query' needs a real RR type, not ANY"}},
    {"expect sni a bad..name",
        {"5: bad SNI name 'bad..name' (not a domain name)"}},
    {"expect outcome unknown",
        {"5: bad outcome 'unknown' (want delivered-tls, delivered-plaintext, "
         "delivered, deferred, bounced or not-attempted)"}},
    {"expect outcome deferred\nexpect outcome bounced",
        {"6: duplicate 'expect outcome' (first on line 5)"}},
    {"messages 0", {"5: bad messages '0' (want 1..10)"}},
    {"messages 11", {"5: bad messages '11' (want 1..10)"}},
    {"messages 2\nmessages 2", {"6: duplicate 'messages' (first on line 5)"}},
    {"expect outcome deferred message=0", {"5: bad message '0' (want 1..10)"}},
    {"expect outcome deferred message=2x",
        {"5: bad message '2x' (want 1..10)"}},
    {"expect outcome deferred message=2 message=2",
        {"5: duplicate attribute 'message'"}},
    {"expect never mail a message=2",
        {"5: only 'expect outcome' takes message= (the other kinds speak "
         "of delivery attempts: attempts=K judges the attempt that "
         "message K opened)"}},
    {"expect outcome deferred message=2\nexpect outcome bounced message=2",
        {"6: duplicate 'expect outcome' (first on line 5)"}},
    {"expect outcome deferred\nexpect outcome bounced message=1",
        {"6: duplicate 'expect outcome' of message 1 (first on line 5)"}},
    {"expect outcome deferred message=1\nexpect outcome bounced",
        {"6: duplicate 'expect outcome' of message 1 (first on line 5)"}},
    {"policy mandatory",
        {"5: bad policy 'mandatory' (want dane-only, dane, encrypt or "
         "may)"}},
    {"policy -", {"5: bad policy '-' (want dane-only, dane, encrypt or may)"}},
    {"policy dane-only\npolicy encrypt",
        {"6: duplicate 'policy' (first on line 5)"}},
    {"route relay.${DOMAIN}:0",
        {"5: route 'relay.${DOMAIN}:0': bad port '0' (want 1..65535)"}},
    {"route relay.${DOMAIN}:25x",
        {"5: route 'relay.${DOMAIN}:25x': bad port '25x' (want "
         "1..65535)"}},
    {"route a b", {"5: 'route' takes one HOST[:PORT]"}},
    {"fallback-relay bad..${DOMAIN}",
        {"5: fallback-relay 'bad..${DOMAIN}': bad host "
         "'bad..id.test' (want a domain name)"}},
    {"fallback-relay fb.${DOMAIN}\nfallback-relay fb.${DOMAIN}",
        {"6: duplicate 'fallback-relay' (first on line 5)"}},
    {"\"unterminated", {"5: unterminated quote"}},
    {"\"bad \\q escape\"", {"5: unknown escape '\\q' in quotes"}},
    {"tags a\rb", {"5: carriage return inside a line"}},
    {"tags a\001b", {"5: control character 0x01 in line"}},
};

/* test_line_errors - one malformed snippet at a time, exact messages. */
static void
test_line_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		struct scn_errors errs = {NULL, 0};
		char *text = xasprintf(HDR "%s\n", line_cases[i].text);
		struct scn *s = parse_text(text, &errs);

		CU_ASSERT_PTR_NULL(s);
		expect_msgs("t.scn", &errs, line_cases[i].msgs);
		scn_free(s);
		scn_errors_free(&errs);
		free(text);
	}
}

/* test_policy - policy, route and fallback-relay reach the scenario. */
static void
test_policy(void)
{
	struct scn_errors errs = {NULL, 0};
	struct scn *s;

	s = parse_text(HDR "policy dane-only\nroute relay.${DOMAIN}:2525\n"
	                   "fallback-relay fb-${ID}.test\n",
	    &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->policy, DP_LEVEL_DANE_ONLY);
	CU_ASSERT_EQUAL(s->policy_line, 5);
	CU_ASSERT_STRING_EQUAL(s->route, "relay.${DOMAIN}:2525");
	CU_ASSERT_EQUAL(s->route_line, 6);
	CU_ASSERT_STRING_EQUAL(s->fallback_relay, "fb-${ID}.test");
	CU_ASSERT_EQUAL(s->fallback_line, 7);
	scn_free(s);
	s = parse_text(HDR "policy encrypt\n", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->policy, DP_LEVEL_ENCRYPT);
	CU_ASSERT_PTR_NULL(s->route);
	CU_ASSERT_PTR_NULL(s->fallback_relay);
	scn_free(s);
	/* a recipient at an address literal (RFC 5321 §4.1.3) */
	s = parse_text(HDR "recipient rcpt@[${ADDR(mx1)}]\n", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->recipient, "rcpt@[${ADDR(mx1)}]");
	scn_free(s);
	s = parse_text(HDR "recipient rcpt@[IPv6:2001:db8::1]\n", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	scn_free(s);
	s = parse_text(HDR, &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->policy, DP_LEVEL_DEFAULT);
	CU_ASSERT_EQUAL(s->policy_line, 0);
	scn_free(s);
	CU_ASSERT_EQUAL(errs.n, 0);
	scn_errors_free(&errs);

	/* lint: the hosts must be served by a zone of the scenario */
	s = parse_text(HDR "zone hosting-${ID}.test\nend\n"
	                   "route relay.other.test.:2525\n"
	                   "fallback-relay fb.hosting-${ID}.test\n"
	                   "expect outcome deferred\n",
	    &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 1);
	expect_msgs("t.scn", &errs,
	    (const char *const[]){"7: route host 'relay.other.test' is in no "
	                          "zone of this scenario",
	        NULL});
	scn_free(s);
	scn_errors_free(&errs);
}

/* t_addr - test address lookup: only "mx1" is known. */
static const char *
t_addr(void *ctx, const char *host)
{
	return strcmp(host, "mx1") == 0 ? "127.25.0.1" : NULL;
}

/* t_addr6 - test IPv6 address lookup: only "mx1" has one. */
static const char *
t_addr6(void *ctx, const char *host)
{
	return strcmp(host, "mx1") == 0 ? "fd00:da5e:25::1" : NULL;
}

/* t_tlsa - test TLSA: "c" is known, others fail with a reason. */
static int
t_tlsa(
    void *ctx, const char *cert, int u, int s, int m, char *out, size_t outsz)
{
	if (strcmp(cert, "c") != 0) {
		snprintf(out, outsz, "no certificate '%s'", cert);
		return -1;
	}
	snprintf(out, outsz, "%d %d %d ABCDEF", u, s, m);
	return 0;
}

/* expand_ok - text expands to want. */
static void
expand_ok(const struct scn_vars *v, const char *text, const char *want)
{
	char err[256] = "";
	char *r = scn_expand(text, v, err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL(r);
	if (r != NULL) {
		CU_ASSERT_STRING_EQUAL(r, want);
		if (strcmp(r, want) != 0)
			fprintf(
			    stderr, "\n  %s -> %s (want %s)\n", text, r, want);
	} else
		fprintf(stderr, "\n  %s: %s\n", text, err);
	free(r);
}

/* expand_bad - text does not expand, and err is msg. */
static void
expand_bad(const struct scn_vars *v, const char *text, const char *msg)
{
	char err[256] = "";
	char *r = scn_expand(text, v, err, sizeof(err));

	CU_ASSERT_PTR_NULL(r);
	CU_ASSERT_STRING_EQUAL(err, msg);
	if (strcmp(err, msg) != 0)
		fprintf(stderr, "\n  %s: got '%s' want '%s'\n", text, err, msg);
	free(r);
}

/* test_expand - every variable and every error. */
static void
test_expand(void)
{
	/* 2026-11-29 00:00:00 UTC */
	struct scn_vars v = {
	    "sc", "sc.test", 1795910400, t_addr, t_tlsa, NULL, t_addr6};
	struct scn_vars nocb = {
	    "sc", "sc.test", 1795910400, NULL, NULL, NULL, NULL};

	expand_ok(&v, "plain text", "plain text");
	expand_ok(&v, "", "");
	expand_ok(&v, "$ and $x and {}", "$ and $x and {}");
	expand_ok(&v, "${ID}", "sc");
	expand_ok(&v, "mx1.${DOMAIN}.", "mx1.sc.test.");
	expand_ok(&v, "${NOW}", "20261129000000");
	expand_ok(&v, "${NOW+3600}", "20261129010000");
	expand_ok(&v, "${NOW-1d}", "20261128000000");
	expand_ok(&v, "${NOW+90m}", "20261129013000");
	expand_ok(&v, "${NOW+2h}", "20261129020000");
	expand_ok(&v, "${NOW+30s}", "20261129000030");
	expand_ok(&v, "${UNIXNOW}", "1795910400");
	expand_ok(&v, "${UNIXNOW+10}", "1795910410");
	expand_ok(&v, "${UNIXNOW-1m}", "1795910340");
	expand_ok(&v, "a ${ADDR(mx1)} b", "a 127.25.0.1 b");
	expand_ok(&v, "a ${ADDR6(mx1)} b", "a fd00:da5e:25::1 b");
	expand_ok(
	    &v, "${ADDR6( mx1 )}/${ADDR(mx1)}", "fd00:da5e:25::1/127.25.0.1");
	expand_ok(&v, "${TLSA(c,3,1,1)}", "3 1 1 ABCDEF");
	expand_ok(&v, "${TLSA( c , 2 , 0 , 2 )}", "2 0 2 ABCDEF");
	expand_ok(&v, "${ID}${ID}-${DOMAIN}", "scsc-sc.test");

	expand_bad(&v, "${FOO}",
	    "unknown variable ${FOO} (known: ID DOMAIN NOW[+-N] UNIXNOW[+-N] "
	    "ADDR(host) ADDR6(host) TLSA(cert,u,s,m))");
	expand_bad(&v, "${NOWHERE}",
	    "unknown variable ${NOWHERE} (known: ID DOMAIN NOW[+-N] "
	    "UNIXNOW[+-N] ADDR(host) ADDR6(host) TLSA(cert,u,s,m))");
	expand_bad(&v, "${ADDR6}",
	    "unknown variable ${ADDR6} (known: ID DOMAIN NOW[+-N] "
	    "UNIXNOW[+-N] ADDR(host) ADDR6(host) TLSA(cert,u,s,m))");
	expand_bad(&v, "${ADDR6(mx2)}",
	    "${ADDR6(mx2)}: no MX host 'mx2' in this scenario");
	expand_bad(&v, "${ADDR6()}",
	    "bad ${ADDR6()}: want ${ADDR6(label)} with an MX label");
	expand_bad(&v, "${ADDR6(a,b)}",
	    "bad ${ADDR6(a,b)}: want ${ADDR6(label)} with an MX label");
	expand_bad(&nocb, "${ADDR6(mx1)}",
	    "${ADDR6(mx1)}: MX IPv6 addresses are not known here");
	expand_bad(&v, "x ${ID", "unterminated ${ (no closing '}')");
	expand_bad(&v, "${NOW+}",
	    "bad time offset in ${NOW+} (want +N or -N, N in seconds or with "
	    "s/m/h/d, at most 100 years)");
	expand_bad(&v, "${NOW+3y}",
	    "bad time offset in ${NOW+3y} (want +N or -N, N in seconds or "
	    "with s/m/h/d, at most 100 years)");
	expand_bad(&v, "${UNIXNOW+99999999999999999999}",
	    "bad time offset in ${UNIXNOW+99999999999999999999} (want +N or "
	    "-N, N in seconds or with s/m/h/d, at most 100 years)");
	expand_bad(&v, "${ADDR(mx2)}",
	    "${ADDR(mx2)}: no MX host 'mx2' in this scenario");
	expand_bad(&v, "${ADDR()}",
	    "bad ${ADDR()}: want ${ADDR(label)} with an MX label");
	expand_bad(&v, "${ADDR(a,b)}",
	    "bad ${ADDR(a,b)}: want ${ADDR(label)} with an MX label");
	expand_bad(&v, "${ADDR(mx1}",
	    "bad ${ADDR(mx1}: want ${ADDR(label)} with an MX label");
	expand_bad(&v, "${TLSA(c,3,1)}",
	    "bad ${TLSA(c,3,1)}: want ${TLSA(cert,usage,selector,mtype)}");
	expand_bad(
	    &v, "${TLSA(c,4,1,1)}", "${TLSA(c,4,1,1)}: usage must be 0-3");
	expand_bad(&v, "${TLSA(c,3,2,1)}",
	    "${TLSA(c,3,2,1)}: selector must be 0 or 1");
	expand_bad(&v, "${TLSA(c,3,1,3)}",
	    "${TLSA(c,3,1,3)}: matching type must be 0-2");
	expand_bad(&v, "${TLSA(c,3,1,x)}",
	    "${TLSA(c,3,1,x)}: matching type must be 0-2");
	expand_bad(
	    &v, "${TLSA(d,3,1,1)}", "${TLSA(d,3,1,1)}: no certificate 'd'");
	expand_bad(&nocb, "${ADDR(mx1)}",
	    "${ADDR(mx1)}: MX addresses are not known here");
	expand_bad(&nocb, "${TLSA(c,3,1,1)}",
	    "${TLSA(c,3,1,1)}: certificates are not known here");
	expand_bad(&v, "${a${ID}}", "nested ${ in ${a${ID}");
}

/* test_reltime - TIME values. */
static void
test_reltime(void)
{
	long long v = 42;

	CU_ASSERT_EQUAL(scn_parse_reltime("now", &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(scn_parse_reltime("+30d", &v), 0);
	CU_ASSERT_EQUAL(v, 30LL * 86400);
	CU_ASSERT_EQUAL(scn_parse_reltime("-2h", &v), 0);
	CU_ASSERT_EQUAL(v, -7200);
	CU_ASSERT_EQUAL(scn_parse_reltime("+90m", &v), 0);
	CU_ASSERT_EQUAL(v, 5400);
	CU_ASSERT_EQUAL(scn_parse_reltime("3600", &v), 0);
	CU_ASSERT_EQUAL(v, 3600);
	CU_ASSERT_EQUAL(scn_parse_reltime("", &v), -1);
	CU_ASSERT_EQUAL(scn_parse_reltime("+", &v), -1);
	CU_ASSERT_EQUAL(scn_parse_reltime("+1w", &v), -1);
	CU_ASSERT_EQUAL(scn_parse_reltime("1dd", &v), -1);
	CU_ASSERT_EQUAL(scn_parse_reltime("--1", &v), -1);
	CU_ASSERT_EQUAL(scn_parse_reltime("+99999999999999d", &v), -1);
	CU_ASSERT_EQUAL(scn_parse_reltime(NULL, &v), -1);
}

/* One lint file and the exact problems it must give. */
struct lint_case {
	const char *file;
	const char *msgs[5];
};

static const struct lint_case lint_cases[] = {
    {"after-tls-offered",
        {"27: mx 'mx2' offers PIPELINING inside TLS (set 'ehlo-keywords "
         "after-tls' without it): a compliant sender may use it there",
            "28: mx 'mx1' offers CHUNKING inside TLS (set 'ehlo-keywords "
            "after-tls' without it): a compliant sender may use it there"}},
    {"host-undeclared",
        {"20: expectation names mx 'mx9', which is not declared"}},
    {"mtasts-host",
        {"23: expectation names 'mta-sts', the mta-sts policy host: it "
         "serves HTTPS, no SMTP, so the expectation can never fail"}},
    {"host-no-a",
        {"19: no DNS record points at mx 'mx1' (${ADDR(mx1)} or "
         "${ADDR6(mx1)} appears in no zone): the expectation can never "
         "fail"}},
    {"cert-undeclared", {"15: mx 'mx1': cert 'mx2' is not declared",
                            "15: mx 'mx1': chain cert 'ca1' is not declared",
                            "15: mx 'mx1': sni cert 'ca2' is not declared"}},
    {"issuer", {"8: issuer 'notca' is not a CA (declare it with 'ca')",
                   "9: issuer 'nosuch' is not declared",
                   "9: key-of 'ghost' is not declared",
                   "10: issuer 'late' is declared after this certificate (line "
                   "11)"}},
    {"var-undeclared", {"12: ${TLSA(nocert,...)} names no declared cert",
                           "13: ${ADDR(nomx)} names no declared mx"}},
    /* an mx reached through AAAA alone is pointed at; ${ADDR6} checked */
    {"var6-undeclared", {"14: ${ADDR6(nomx)} names no declared mx"}},
    {"break-outside",
        {"16: dnsbreak owner 'mx1.elsewhere.test' is in no zone of this "
         "scenario"}},
    {"zone-outside",
        {"14: zone 'other.test' is outside this scenario's names (want "
         "${DOMAIN}, a name below it, or a name under test. with ${ID} "
         "in a label)",
            "18: zone '${ID}x.test' is outside this scenario's names "
            "(want ${DOMAIN}, a name below it, or a name under test. with "
            "${ID} in a label)"}},
    {"no-outcome", {"2: no 'expect outcome' line"}},
    {"all-outcomes",
        {"19: 'expect outcome' lists every outcome: it can never fail"}},
    {"rr-bad",
        {"13: zone line rejected by ldns: Syntax error, could not parse the "
         "RR's rdata",
            "14: only class IN is served",
            "15: owner is outside zone '${DOMAIN}'",
            "16: the world builder makes the apex SOA, NS and DNSKEY "
            "records; do not write them"}},
    {"query-outside",
        {"24: query name 'mx1.elsewhere.test' is in no zone of this scenario: "
         "the expectation can never fail",
            "25: the DS of '${DOMAIN}' is served by test., outside this "
            "scenario: the expectation can never pass"}},
    {"mx-unused", {"18: mx 'spare' is mentioned by no expectation and no DNS "
                   "record"}},
    /* the literal reaches mx1 (no "no DNS record" problem), not mx2 */
    {"recipient-literal",
        {"2: a policy, route or fallback-relay is keyed by the recipient's "
         "domain, and an address literal has none",
            "17: no DNS record points at mx 'mx2' (${ADDR(mx2)} or "
            "${ADDR6(mx2)} appears in no zone): the expectation can never "
            "fail"}},
};

/* test_lint - each rule caught by a crafted file; clean files pass. */
static void
test_lint(void)
{
	struct scn_errors errs = {NULL, 0};
	struct scn_catalogue cat;
	char *cp = catalogue_path(), *path, *want;
	struct scn *s;
	size_t i;

	for (i = 0; i < sizeof(lint_cases) / sizeof(lint_cases[0]); i++) {
		char *rel = xasprintf("lint/%s.scn", lint_cases[i].file);
		size_t n = 0;

		path = data(rel);
		s = scn_parse_file(path, &errs);
		CU_ASSERT_PTR_NOT_NULL(s);
		while (lint_cases[i].msgs[n] != NULL)
			n++;
		CU_ASSERT_EQUAL(scn_lint(s, &errs), (int)n);
		expect_msgs(path, &errs, lint_cases[i].msgs);
		scn_errors_free(&errs);
		scn_free(s);
		free(rel);
		free(path);
	}

	/* a clean file passes */
	path = data("good/minimal.scn");
	s = scn_parse_file(path, &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 0);
	CU_ASSERT_EQUAL(errs.n, 0);

	/* no requirement id at all (not reachable from a file) */
	free(s->req[0]);
	free(s->req);
	s->req = NULL;
	s->nreq = 0;
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 2);
	want = xasprintf("%s:19: expectation has no requirement id (no req= "
	                 "and no 'requirements' header)",
	    path);
	CU_ASSERT_EQUAL_FATAL(errs.n, 2);
	CU_ASSERT_STRING_EQUAL(errs.msg[0], want);
	free(want);
	scn_errors_free(&errs);
	scn_free(s);
	free(path);

	/* requirement ids must be rows of the catalogue */
	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(cp, &cat), 0);
	path = data("lint/req-unknown.scn");
	s = scn_parse_file(path, &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(scn_lint(s, &errs), 0);
	CU_ASSERT_EQUAL(scn_lint_with_catalogue(s, &cat, &errs), 1);
	want = xasprintf("%s:20: requirement 'R-99.9-z' is not in the "
	                 "catalogue %s",
	    path, cp);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	CU_ASSERT_STRING_EQUAL(errs.msg[0], want);
	free(want);
	scn_errors_free(&errs);
	scn_free(s);
	free(path);
	scn_catalogue_free(&cat);
	free(cp);
}

/* test_catalogue - rows, fields, wrapped headers. */
static void
test_catalogue(void)
{
	struct scn_catalogue cat;
	const struct scn_catalogue_entry *e;
	char *cp = catalogue_path();

	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(cp, &cat), 0);
	CU_ASSERT_TRUE(cat.n > 150);
	CU_ASSERT_STRING_EQUAL(cat.e[0].id, "R-1.1-a");
	e = scn_catalogue_find(&cat, "R-2.2-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->section, "\xc2\xa7"
	                                   "2.2");
	CU_ASSERT_STRING_EQUAL(e->keyword, "MUST (\xc3\x97"
	                                   "3)");
	CU_ASSERT_STRING_EQUAL(e->severity, "SEC");
	CU_ASSERT_PTR_NOT_NULL(strstr(e->part, "RFC 7672"));
	/* the header of R-4-a wraps onto a second line */
	e = scn_catalogue_find(&cat, "R-4-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->keyword, "descriptive");
	CU_ASSERT_STRING_EQUAL(e->severity, "INT");
	e = scn_catalogue_find(&cat, "R7671-5.1-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->severity, "INT");
	CU_ASSERT_PTR_NULL(scn_catalogue_find(&cat, "R-99-z"));
	scn_catalogue_free(&cat);
	CU_ASSERT_EQUAL(scn_catalogue_load("/nonexistent/cat.md", &cat), -1);
	free(cp);
}

/* test_catalogue_untestable - "- Untestable: reason" marks the row above
   it; a heading ends a row's body; the shipped catalogue marks meta and
   log-only rows and leaves testable ones unmarked. */
static void
test_catalogue_untestable(void)
{
	static const char text[] = "## 1. Part\n"
	                           "\n"
	                           "**R-1-a** \xc2\xb7 \xc2\xa7"
	                           "1 \xc2\xb7 MUST \xc2\xb7 **SEC**\n"
	                           "- Req: something.\n"
	                           "- Untestable:  never on the wire.  \n"
	                           "- Untestable: a second mark is ignored\n"
	                           "\n"
	                           "**R-1-b** \xc2\xb7 \xc2\xa7"
	                           "1 \xc2\xb7 MUST \xc2\xb7 **INT**\n"
	                           "- Req: testable.\n"
	                           "### 1.1 Sub\n"
	                           "- Untestable: under a heading, of no row\n";
	char path[] = "/tmp/danesim-cat-XXXXXX";
	struct scn_catalogue cat;
	const struct scn_catalogue_entry *e;
	char *cp = catalogue_path();
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_EQUAL_FATAL(
	    write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(path, &cat), 0);
	unlink(path);
	CU_ASSERT_EQUAL(cat.n, 2);
	e = scn_catalogue_find(&cat, "R-1-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e->untestable);
	CU_ASSERT_STRING_EQUAL(e->untestable, "never on the wire.");
	e = scn_catalogue_find(&cat, "R-1-b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NULL(e->untestable);
	scn_catalogue_free(&cat);

	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(cp, &cat), 0);
	e = scn_catalogue_find(&cat, "R-10-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL(e->untestable);
	e = scn_catalogue_find(&cat, "R-2.1.1-f");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL(e->untestable);
	e = scn_catalogue_find(&cat, "R-2.2-a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NULL(e->untestable);
	scn_catalogue_free(&cat);
	free(cp);
}

/* label_of - the severity label of catalogue row id, or "none". */
static const char *
label_of(const struct scn_catalogue *cat, const char *id)
{
	const struct scn_catalogue_entry *e = scn_catalogue_find(cat, id);
	const char *l;

	if (e == NULL)
		return "missing";
	l = scn_catalogue_label(e);
	return l != NULL ? l : "none";
}

/*
 * test_severity - a row's label is the first before any "/" (mixed
 * labels); an expectation is as severe as its most severe row; lowering
 * needs because=, raising does not; lint lists overrides.
 */
static void
test_severity(void)
{
	struct scn_catalogue cat;
	struct scn_suite suite = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	struct scn *s;
	char *cp = catalogue_path(), *o;

	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(cp, &cat), 0);
	CU_ASSERT_STRING_EQUAL(label_of(&cat, "R-2.2-a"), "SEC");
	CU_ASSERT_STRING_EQUAL(label_of(&cat, "R-2.1.2-e"), "INT");
	CU_ASSERT_STRING_EQUAL(
	    label_of(&cat, "R-2.1.2-a"), "SEC"); /* SEC + INT */
	CU_ASSERT_STRING_EQUAL(
	    label_of(&cat, "R-2.2.1-f"), "INT"); /* INT/SEC */
	CU_ASSERT_STRING_EQUAL(
	    label_of(&cat, "R-2.2.2-j"), "SEC"); /* SEC/INT */
	CU_ASSERT_STRING_EQUAL(
	    label_of(&cat, "R-2.2.1-k"), "OPS"); /* OPS/SEC */
	CU_ASSERT_STRING_EQUAL(
	    label_of(&cat, "R-3.2.3-a"), "C"); /* C/SEC(low) */
	CU_ASSERT_STRING_EQUAL(
	    label_of(&cat, "R-2.1.1-a"), "SEC"); /* (Mode V) */
	CU_ASSERT_STRING_EQUAL(label_of(&cat, "R-2.1.1-d"), "none"); /* — */

	s = parse_text(
	    "id t\ntitle x\nrequirements R-2.1.2-e\nseverity security\n"
	    "expect outcome deferred\n"
	    "expect never mail-plaintext req=R-2.1.2-e,R-2.2-a\n"
	    "expect never mail mx1 req=R-2.2-a severity=interop "
	    "because=\"bounce is interop\"\n"
	    "expect never connect mx1 req=R-2.1.2-e severity=security\n"
	    "expect query x.test MX req=R-2.2-a severity=interop\n",
	    &errs);
	errs_dump("severity", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_STRING_EQUAL(s->expects[2].because, "bounce is interop");
	suite.items = &s;
	suite.n = 1;
	/* before the catalogue: the line's own, else the header's */
	CU_ASSERT_EQUAL(
	    scn_expect_severity(s, &s->expects[0]), SCN_SEV_SECURITY);
	CU_ASSERT_EQUAL(scn_suite_apply_catalogue(&suite, &cat, &errs), -1);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	CU_ASSERT_STRING_EQUAL(errs.msg[0],
	    "t.scn:9: severity=interop lowers what the catalogue gives "
	    "(security, R-2.2-a) without because=\"...\"");
	scn_errors_free(&errs);
	/* the header's severity no longer counts: R-2.1.2-e is INT */
	CU_ASSERT_EQUAL(
	    scn_expect_severity(s, &s->expects[0]), SCN_SEV_INTEROP);
	/* the highest row wins */
	CU_ASSERT_EQUAL(
	    scn_expect_severity(s, &s->expects[1]), SCN_SEV_SECURITY);
	CU_ASSERT_STRING_EQUAL(s->expects[1].sev_cat_req, "R-2.2-a");
	/* lowered with a reason; raised without one */
	CU_ASSERT_EQUAL(
	    scn_expect_severity(s, &s->expects[2]), SCN_SEV_INTEROP);
	CU_ASSERT_EQUAL(
	    scn_expect_severity(s, &s->expects[3]), SCN_SEV_SECURITY);
	o = scn_severity_override(&cat, s, &s->expects[2]);
	CU_ASSERT_STRING_EQUAL(o, "t.scn:7 lowered to interop (catalogue: "
	                          "security, R-2.2-a) because \"bounce is "
	                          "interop\"");
	free(o);
	o = scn_severity_override(&cat, s, &s->expects[3]);
	CU_ASSERT_STRING_EQUAL(
	    o, "t.scn:8 raised to security (catalogue: interop, R-2.1.2-e)");
	free(o);
	CU_ASSERT_PTR_NULL(scn_severity_override(&cat, s, &s->expects[0]));
	/* lint: the missing reason is a problem */
	CU_ASSERT_TRUE(scn_lint_with_catalogue(s, &cat, &errs) >= 1);
	{
		size_t i;
		int seen = 0;

		for (i = 0; i < errs.n; i++)
			seen += strstr(errs.msg[i], "t.scn:9: severity=interop "
			                            "lowers") != NULL;
		CU_ASSERT_EQUAL(seen, 1);
	}
	scn_errors_free(&errs);
	scn_free(s);

	/* severity=info: free on capability-dependent rows (C), a reason
	   needed on the others */
	s = parse_text("id t\ntitle x\nrequirements R-2.2-g\n"
	               "severity interop\n"
	               "expect outcome deferred severity=info\n"
	               "expect never mail mx1 req=R-2.1.2-e severity=info\n"
	               "expect never connect mx1 req=R-2.2-a severity=info "
	               "because=\"RFC 8996 is informational here\"\n"
	               "expect query x.test MX severity=info because=\"x\"\n",
	    &errs);
	errs_dump("info", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	suite.items = &s;
	CU_ASSERT_EQUAL(scn_suite_apply_catalogue(&suite, &cat, &errs), -1);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	CU_ASSERT_STRING_EQUAL(errs.msg[0],
	    "t.scn:6: severity=info lowers what the catalogue gives "
	    "(interop, R-2.1.2-e) without because=\"...\"");
	scn_errors_free(&errs);
	CU_ASSERT_EQUAL(scn_expect_severity(s, &s->expects[0]), SCN_SEV_INFO);
	o = scn_severity_override(&cat, s, &s->expects[0]);
	CU_ASSERT_STRING_EQUAL(o, "t.scn:5 informational (catalogue: "
	                          "interop, R-2.2-g, a capability-dependent "
	                          "row)");
	free(o);
	o = scn_severity_override(&cat, s, &s->expects[2]);
	CU_ASSERT_STRING_EQUAL(o, "t.scn:7 lowered to info (catalogue: "
	                          "security, R-2.2-a) because \"RFC 8996 is "
	                          "informational here\"");
	free(o);
	CU_ASSERT_TRUE(scn_lint_with_catalogue(s, &cat, &errs) >= 2);
	{
		size_t i;
		int seen = 0;

		for (i = 0; i < errs.n; i++)
			seen +=
			    strstr(errs.msg[i],
			        "t.scn:6: severity=info lowers") != NULL ||
			    strstr(errs.msg[i], "t.scn:8: because= explains "
			                        "a lower severity") != NULL;
		CU_ASSERT_EQUAL(seen, 2);
	}
	scn_errors_free(&errs);
	scn_free(s);

	/* hold-tls-replies and never early-command */
	s = parse_text(HDR "mx mx1\n  hold-tls-replies 500\nend\n"
	                   "expect outcome deferred\n"
	                   "expect never early-command mx1\n"
	                   "expect never early-command\n",
	    &errs);
	errs_dump("hold", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(s->mxs[0].hold_tls_ms, 500);
	CU_ASSERT_EQUAL(s->expects[1].kind, SCN_EXP_NEVER_EARLY_CMD);
	CU_ASSERT_STRING_EQUAL(s->expects[1].host, "mx1");
	CU_ASSERT_PTR_NULL(s->expects[2].host);
	CU_ASSERT_STRING_EQUAL(scn_expect_kind_str(SCN_EXP_NEVER_EARLY_CMD),
	    "never early-command");
	scn_free(s);
	s = parse_text(HDR "mx mx1\n  hold-tls-replies 0\n"
	                   "  hold-tls-replies 5\n  hold-tls-replies 6\nend\n"
	                   "expect never early-command a b\n",
	    &errs);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL_FATAL(errs.n, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], "bad hold-tls-replies '0'"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(errs.msg[1], "duplicate 'hold-tls-replies'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[2], "takes at most one mx"));
	scn_errors_free(&errs);

	/* because= without severity= is a parse error */
	s = parse_text(HDR "expect outcome deferred because=\"x\"\n", &errs);
	CU_ASSERT_PTR_NULL(s);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], "'because' explains"));
	scn_errors_free(&errs);
	scn_catalogue_free(&cat);
	free(cp);
}

/* test_suite - directories, sorting, duplicate ids, bad paths. */
static void
test_suite(void)
{
	struct scn_suite suite;
	struct scn_errors errs = {NULL, 0};
	char *paths[2];
	char *want;

	paths[0] = data("good");
	CU_ASSERT_EQUAL(scn_suite_load(&suite, paths, 1, &errs), 0);
	errs_dump("suite", &errs);
	CU_ASSERT_EQUAL_FATAL(suite.n, 3);
	CU_ASSERT_STRING_EQUAL(suite.items[0]->id, "minimal");
	CU_ASSERT_STRING_EQUAL(suite.items[1]->id, "rich");
	CU_ASSERT_STRING_EQUAL(suite.items[2]->id, "tlsa-mismatch");
	scn_suite_free(&suite);
	free(paths[0]);

	paths[0] = data("suite-dup");
	CU_ASSERT_EQUAL(scn_suite_load(&suite, paths, 1, &errs), -1);
	CU_ASSERT_EQUAL(suite.n, 1);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	want = xasprintf("%s/b/twice.scn:2: duplicate id 'twice' (also in "
	                 "%s/a/twice.scn:2)",
	    paths[0], paths[0]);
	CU_ASSERT_STRING_EQUAL(errs.msg[0], want);
	free(want);
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	free(paths[0]);

	paths[0] = data("good/minimal.scn");
	paths[1] = data("nonexistent.scn");
	CU_ASSERT_EQUAL(scn_suite_load(&suite, paths, 2, &errs), -1);
	CU_ASSERT_EQUAL(suite.n, 1);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	want = xasprintf("%s:0: No such file or directory", paths[1]);
	CU_ASSERT_STRING_EQUAL(errs.msg[0], want);
	free(want);
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	free(paths[0]);
	free(paths[1]);
}

/* test_suite_links - symlink loops and files named twice. */
static void
test_suite_links(void)
{
	struct scn_suite suite;
	struct scn_errors errs = {NULL, 0};
	char tmpl[] = "/tmp/dsimt-scn-XXXXXX";
	char *src = data("good/minimal.scn"), *dst, *loop, *fifo, *paths[3];
	char *cmd, *abs;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	dst = xasprintf("%s/minimal.scn", tmpl);
	loop = xasprintf("%s/loop", tmpl);
	fifo = xasprintf("%s/fifo.scn", tmpl);
	abs = realpath(src, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(abs);
	CU_ASSERT_EQUAL(symlink(abs, dst), 0);
	free(abs);
	CU_ASSERT_EQUAL(symlink(".", loop), 0);
	paths[0] = tmpl;
	paths[1] = dst;
	paths[2] = src;
	CU_ASSERT_EQUAL(scn_suite_load(&suite, paths, 3, &errs), 0);
	errs_dump("links", &errs);
	CU_ASSERT_EQUAL(suite.n, 1);
	scn_suite_free(&suite);
	scn_errors_free(&errs);

	/* a FIFO named *.scn is refused, not waited on */
	CU_ASSERT_EQUAL(mkfifo(fifo, 0600), 0);
	paths[0] = fifo;
	CU_ASSERT_EQUAL(scn_suite_load(&suite, paths, 1, &errs), -1);
	CU_ASSERT_EQUAL(suite.n, 0);
	CU_ASSERT_EQUAL_FATAL(errs.n, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], ":0: not a regular file"));
	scn_suite_free(&suite);
	scn_errors_free(&errs);

	cmd = xasprintf("rm -rf '%s'", tmpl);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
	free(src);
	free(dst);
	free(loop);
	free(fifo);
}

/* test_names - enum names and their inverses. */
static void
test_names(void)
{
	int i;

	for (i = 0; i < SCN_BRK__COUNT; i++)
		CU_ASSERT_EQUAL(
		    scn_break_from_str(scn_break_str((enum scn_break)i)), i);
	for (i = 0; i < SCN_OUT__COUNT; i++)
		CU_ASSERT_EQUAL(
		    scn_outcome_from_str(scn_outcome_str((enum scn_outcome)i)),
		    i);
	CU_ASSERT_EQUAL(scn_outcome_from_str("delivered"), -1);
	CU_ASSERT_EQUAL(scn_break_from_str("nope"), -1);
	CU_ASSERT_STRING_EQUAL(mxs_stage_str(MXS_STAGE_DOT), "dot");
	CU_ASSERT_STRING_EQUAL(scn_severity_str(SCN_SEV_INTEROP), "interop");
	CU_ASSERT_STRING_EQUAL(scn_expect_kind_str(SCN_EXP_NEVER_PLAIN_MAIL),
	    "never mail-plaintext");
	CU_ASSERT_TRUE(scn_break_at_signing(SCN_BRK_RRSIG_MISSING));
	CU_ASSERT_FALSE(scn_break_at_signing(SCN_BRK_STRIP_RRSIG));
}

static CU_TestInfo tests[] = {
    {"example", test_example},
    {"rich", test_rich},
    {"bad_files", test_bad_files},
    {"bad_buffers", test_bad_buffers},
    {"line_errors", test_line_errors},
    {"policy", test_policy},
    {"expand", test_expand},
    {"reltime", test_reltime},
    {"lint", test_lint},
    {"catalogue", test_catalogue},
    {"catalogue untestable", test_catalogue_untestable},
    {"severity", test_severity},
    {"suite", test_suite},
    {"suite_links", test_suite_links},
    {"names", test_names},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("scn", NULL, NULL, tests);
