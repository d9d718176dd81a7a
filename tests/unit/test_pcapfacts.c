/*
 * test_pcapfacts.c - the capture analyser (harness/judge/pcapfacts.c) against
 * golden captures, and the live capture (harness/run/capture.c).
 *
 * Each golden case is written by a generator below (test_pcapgen.c) and
 * committed as tests/data/pcap/<name>.pcap beside its expected facts,
 * tests/data/pcap/<name>.facts (pcapfacts_format output, checked by hand
 * when made). The test analyses both the committed capture and a fresh
 * one from the generator, and compares each with the expected facts; the
 * tests after that assert the facts that matter one by one.
 * DSIM_PCAP_REGEN=1 rewrites the committed files from the generators.
 */
#include "unit.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

#include "buf.h"
#include "harness/run/capture.h"
#include "harness/judge/capcheck.h"
#include "harness/judge/facts.h"
#include "harness/judge/pcapfacts.h"
#include "test_pcapgen.h"
#include "xmalloc.h"

/* The test world: four scenarios, their zones and MX hosts. */
static struct scn scn_alpha = {.id = "alpha"};
static struct scn scn_beta = {.id = "beta"};
static struct scn scn_strip = {.id = "striptls"};
static struct scn scn_ustrip = {.id = "tlsa-unusable-striptls"};
static struct scn *suite_items[] = {
    &scn_alpha, &scn_beta, &scn_strip, &scn_ustrip};
static struct scn_suite suite = {suite_items, 4};
static struct scn_mx mx_alpha = {.name = "mx1"};
static struct scn_mx mx_beta = {.name = "mx1"};
static struct scn_mx mx_trap = {.name = "trap"};
static struct world_mx world_mxs[] = {
    {.scn = &scn_alpha, .mx = &mx_alpha, .addr = "127.25.0.1"},
    {.scn = &scn_beta, .mx = &mx_beta, .addr = "127.25.0.2"},
    {.scn = &scn_beta, .mx = &mx_trap, .addr = "127.25.0.3"},
};
static struct world_zone world_zones[] = {
    {.name = ".", .addr = "127.53.0.1"},
    {.name = "test.", .addr = "127.53.0.2"},
    {.name = "alpha.test.", .addr = "127.53.0.3", .scn = &scn_alpha},
    {.name = "beta.test.", .addr = "127.53.0.4", .scn = &scn_beta},
    {.name = "hosting-beta.test.", .addr = "fd00::53", .scn = &scn_beta},
};
static struct world test_world = {
    .zones = world_zones,
    .nzones = 5,
    .mxs = world_mxs,
    .nmxs = 3,
    .suite = &suite,
};

/*
 * The world of tests/data/pcap/real-refsut.pcap: a real run (danesim run
 * --sut refsut --only dane-ee-valid --only striptls --only tlsa-servfail
 * --only unsigned-domain-no-starttls), with Unbound, fakedns, fakemx and
 * OpenSSL's TLS 1.3 on the wire.
 */
static struct scn real_valid = {.id = "dane-ee-valid"};
static struct scn real_strip = {.id = "striptls"};
static struct scn real_servfail = {.id = "tlsa-servfail"};
static struct scn real_plain = {.id = "unsigned-domain-no-starttls"};
static struct scn *real_items[] = {
    &real_valid, &real_strip, &real_servfail, &real_plain};
static struct scn_suite real_suite = {real_items, 4};
static struct scn_mx real_mx = {.name = "mx1"};
static struct world_mx real_mxs[] = {
    {.scn = &real_valid, .mx = &real_mx, .addr = "127.25.0.1"},
    {.scn = &real_strip, .mx = &real_mx, .addr = "127.25.0.2"},
    {.scn = &real_servfail, .mx = &real_mx, .addr = "127.25.0.3"},
    {.scn = &real_plain, .mx = &real_mx, .addr = "127.25.0.4"},
};
static struct world_zone real_zones[] = {
    {.name = ".", .addr = "127.53.0.1"},
    {.name = "test.", .addr = "127.53.0.2"},
    {.name = "dane-ee-valid.test.", .addr = "127.53.0.3", .scn = &real_valid},
    {.name = "striptls.test.", .addr = "127.53.0.4", .scn = &real_strip},
    {.name = "tlsa-servfail.test.",
        .addr = "127.53.0.5",
        .scn = &real_servfail},
    {.name = "unsigned-domain-no-starttls.test.",
        .addr = "127.53.0.6",
        .scn = &real_plain},
};
static struct world real_world = {
    .zones = real_zones,
    .nzones = 6,
    .mxs = real_mxs,
    .nmxs = 4,
    .suite = &real_suite,
};

/*
 * The world of tests/data/pcap/real-tls12.pcap: a real refsut run of two
 * copies of dane-ee-valid and tlsa-mismatch whose MX says "tls-max 1.2".
 */
static struct scn r12_mismatch = {.id = "tls12-mismatch"};
static struct scn r12_valid = {.id = "tls12-valid"};
static struct scn *r12_items[] = {&r12_mismatch, &r12_valid};
static struct scn_suite r12_suite = {r12_items, 2};
static struct world_mx r12_mxs[] = {
    {.scn = &r12_mismatch, .mx = &real_mx, .addr = "127.25.0.1"},
    {.scn = &r12_valid, .mx = &real_mx, .addr = "127.25.0.2"},
};
static struct world_zone r12_zones[] = {
    {.name = ".", .addr = "127.53.0.1"},
    {.name = "test.", .addr = "127.53.0.2"},
    {.name = "tls12-mismatch.test.",
        .addr = "127.53.0.3",
        .scn = &r12_mismatch},
    {.name = "tls12-valid.test.", .addr = "127.53.0.4", .scn = &r12_valid},
};
static struct world r12_world = {
    .zones = r12_zones,
    .nzones = 4,
    .mxs = r12_mxs,
    .nmxs = 2,
    .suite = &r12_suite,
};

/*
 * The world of tests/data/pcap/real-ipv6.pcap: a real run (danesim run
 * --sut refsut scenarios/ipv6) whose MX hosts have IPv6 addresses on the
 * namespace's lo: v6-only-dane-ee over IPv6 alone, dual-stack-striptls
 * at both addresses of its host, aaaa-bogus-a-secure over IPv4 (the
 * AAAA RRset is bogus, refsut skips the host and goes to mx2).
 */
static struct scn v6_bogus = {.id = "aaaa-bogus-a-secure"};
static struct scn v6_dual = {.id = "dual-stack-striptls"};
static struct scn v6_only = {.id = "v6-only-dane-ee"};
static struct scn *v6_items[] = {&v6_bogus, &v6_dual, &v6_only};
static struct scn_suite v6_suite = {v6_items, 3};
static struct scn_mx v6_mx1bad = {.name = "mx1bad"};
static struct scn_mx v6_mx2 = {.name = "mx2"};
static struct world_mx v6_mxs[] = {
    {.scn = &v6_bogus, .mx = &real_mx, .addr = "127.25.0.1"},
    {.scn = &v6_bogus,
        .mx = &v6_mx1bad,
        .addr = "127.25.0.2",
        .addr6 = "fd00:da5e:25::2"},
    {.scn = &v6_bogus, .mx = &v6_mx2, .addr = "127.25.0.3"},
    {.scn = &v6_dual,
        .mx = &real_mx,
        .addr = "127.25.0.4",
        .addr6 = "fd00:da5e:25::4"},
    {.scn = &v6_only,
        .mx = &real_mx,
        .addr = "127.25.0.5",
        .addr6 = "fd00:da5e:25::5"},
};
static struct world_zone v6_zones[] = {
    {.name = ".", .addr = "127.53.0.1"},
    {.name = "test.", .addr = "127.53.0.2"},
    {.name = "aaaa-bogus-a-secure.test.",
        .addr = "127.53.0.3",
        .scn = &v6_bogus},
    {.name = "dual-stack-striptls.test.",
        .addr = "127.53.0.4",
        .scn = &v6_dual},
    {.name = "v6-only-dane-ee.test.", .addr = "127.53.0.5", .scn = &v6_only},
};
static struct world v6_world = {
    .zones = v6_zones,
    .nzones = 5,
    .mxs = v6_mxs,
    .nmxs = 5,
    .suite = &v6_suite,
};

static char tmpdir[64];

/* ---------------------------------------------------------------- */
/* Generators of the golden captures                                */

/* smtp_to_starttls - banner, EHLO, STARTTLS, 220 on connection c. */
static void
smtp_to_starttls(struct pg *g, struct pg_tcp *c)
{
	pg_tcp_open(g, c);
	pg_tcp_sends(g, c, 1, "220 mx1.test ESMTP\r\n");
	pg_tcp_sends(g, c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(
	    g, c, 1, "250-mx1.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
	pg_tcp_sends(g, c, 0, "STARTTLS\r\n");
	pg_tcp_sends(g, c, 1, "220 2.0.0 Ready to start TLS\r\n");
}

/* tls12_rest - a TLS 1.2 handshake after the ClientHello, then data. */
static void
tls12_rest(struct pg *g, struct pg_tcp *c)
{
	uint8_t b[4096];
	size_t n;

	n = pg_server_hello(b, sizeof(b), 0, 0);
	n += pg_record(b + n, sizeof(b) - n, 22, 800);
	n += pg_record(b + n, sizeof(b) - n, 22, 300);
	n += pg_record(b + n, sizeof(b) - n, 22, 4);
	pg_tcp_send(g, c, 1, b, n);
	n = pg_record(b, sizeof(b), 22, 70);
	n += pg_record(b + n, sizeof(b) - n, 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 22, 40);
	pg_tcp_send(g, c, 0, b, n);
	n = pg_record(b, sizeof(b), 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 22, 40);
	pg_tcp_send(g, c, 1, b, n);
	n = pg_record(b, sizeof(b), 23, 30);
	pg_tcp_send(g, c, 0, b, n);
	n = pg_record(b, sizeof(b), 23, 60);
	pg_tcp_send(g, c, 1, b, n);
}

/* gen_starttls_tls12 - STARTTLS, ClientHello with SNI, TLS 1.2. */
static void
gen_starttls_tls12(struct pg *g)
{
	struct pg_tcp c;
	uint8_t b[2048];
	size_t n;

	pg_tcp_init(&c, "127.0.0.1", 40001, "127.25.0.1", 25, 1000, 5000);
	smtp_to_starttls(g, &c);
	n = pg_client_hello(b, sizeof(b), "mx1.alpha.test", 0);
	pg_tcp_send(g, &c, 0, b, n);
	tls12_rest(g, &c);
	pg_tcp_close(g, &c);
}

/* tls13_server_flight - ServerHello, CCS and the encrypted flight. */
static void
tls13_server_flight(struct pg *g, struct pg_tcp *c)
{
	uint8_t b[4096];
	size_t n;

	n = pg_server_hello(b, sizeof(b), 1, 0);
	n += pg_record(b + n, sizeof(b) - n, 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 23, 1000);
	n += pg_record(b + n, sizeof(b) - n, 23, 300);
	n += pg_record(b + n, sizeof(b) - n, 23, 50);
	pg_tcp_send(g, c, 1, b, n);
}

/* gen_tls13 - a TLS 1.3 session that completes and one the client
 * refuses (an encrypted alert instead of its Finished). */
static void
gen_tls13(struct pg *g)
{
	struct pg_tcp c;
	uint8_t b[2048];
	size_t n;

	pg_tcp_init(&c, "127.0.0.1", 40002, "127.25.0.1", 25, 7000, 9000);
	smtp_to_starttls(g, &c);
	n = pg_client_hello(b, sizeof(b), "mx1.alpha.test", 1);
	pg_tcp_send(g, &c, 0, b, n);
	tls13_server_flight(g, &c);
	n = pg_record(b, sizeof(b), 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 23, 50);
	pg_tcp_send(g, &c, 0, b, n);
	n = pg_record(b, sizeof(b), 23, 200); /* NewSessionTicket */
	pg_tcp_send(g, &c, 1, b, n);
	n = pg_record(b, sizeof(b), 23, 30); /* EHLO */
	pg_tcp_send(g, &c, 0, b, n);
	pg_tcp_close(g, &c);

	pg_tcp_init(&c, "127.0.0.1", 40003, "127.25.0.1", 25, 17000, 19000);
	smtp_to_starttls(g, &c);
	n = pg_client_hello(b, sizeof(b), "mx1.alpha.test", 1);
	pg_tcp_send(g, &c, 0, b, n);
	tls13_server_flight(g, &c);
	n = pg_record(b, sizeof(b), 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 23, 19); /* encrypted alert */
	pg_tcp_send(g, &c, 0, b, n);
	pg_tcp_close(g, &c);
}

/* gen_plain - mail in clear (pipelined), and after a 454 to STARTTLS. */
static void
gen_plain(struct pg *g)
{
	struct pg_tcp c;

	pg_tcp_init(&c, "127.0.0.1", 40010, "127.25.0.2", 25, 100, 200);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1.beta.test ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250-mx1.beta.test\r\n250 PIPELINING\r\n");
	pg_tcp_sends(g, &c, 0,
	    "MAIL FROM:<sender@sut.test>\r\nRCPT TO:<rcpt@beta.test>\r\n"
	    "DATA\r\n");
	pg_tcp_sends(g, &c, 1, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n");
	pg_tcp_sends(g, &c, 0, "Subject: test\r\n\r\n..leading dot\r\nQUIT");
	pg_tcp_sends(g, &c, 0, " is not a command here\r\n.");
	pg_tcp_sends(g, &c, 0, "\r\n");
	pg_tcp_sends(g, &c, 1, "250 2.0.0 queued as X\r\n");
	pg_tcp_sends(g, &c, 0, "QUIT\r\n");
	pg_tcp_sends(g, &c, 1, "221 2.0.0 Bye\r\n");
	pg_tcp_close(g, &c);

	pg_tcp_init(&c, "127.0.0.1", 40011, "127.25.0.2", 25, 300, 400);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1.beta.test ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250-mx1.beta.test\r\n250 STARTTLS\r\n");
	pg_tcp_sends(g, &c, 0, "STARTTLS\r\n");
	pg_tcp_sends(g, &c, 1, "454 4.7.0 TLS not available\r\n");
	pg_tcp_sends(g, &c, 0, "MAIL FROM:<sender@sut.test>\r\n");
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_sends(g, &c, 0, "RCPT TO:<rcpt@beta.test>\r\n");
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_sends(g, &c, 0, "DATA\r\n");
	pg_tcp_sends(g, &c, 1, "554 5.5.1 no\r\n");
	pg_tcp_sends(g, &c, 0, "QUIT\r\n");
	pg_tcp_sends(g, &c, 1, "221 Bye\r\n");
	pg_tcp_close(g, &c);
}

/* gen_retransmit - duplicated and overlapping segments both ways. */
static void
gen_retransmit(struct pg *g)
{
	const char *mail = "MAIL FROM:<a@sut.test>\r\n";
	const char *rcpt = "RCPT TO:<r@alpha.test>\r\n";
	const char *rd = "RCPT TO:<r@alpha.test>\r\nDATA\r\n";
	const char *banner = "220 mx1 ESMTP\r\n";
	struct pg_tcp c;
	uint32_t seq;

	pg_tcp_init(
	    &c, "127.0.0.1", 40020, "127.25.0.1", 25, 4000000000u, 6000);
	pg_tcp_open(g, &c);
	seq = c.sseq;
	pg_tcp_sends(g, &c, 1, banner);
	pg_tcp_raw(g, &c, 1, seq, PG_ACK | PG_PSH, banner, strlen(banner));
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	seq = c.cseq;
	pg_tcp_sends(g, &c, 0, mail);
	pg_tcp_raw(g, &c, 0, seq, PG_ACK | PG_PSH, mail, strlen(mail));
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	/* RCPT sent; then a retransmission that also carries DATA. The
	 * sequence numbers wrap past 2^32 here. */
	seq = c.cseq;
	pg_tcp_sends(g, &c, 0, rcpt);
	pg_tcp_raw(g, &c, 0, seq, PG_ACK | PG_PSH, rd, strlen(rd));
	c.cseq = seq + (uint32_t)strlen(rd);
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n354 go\r\n");
	pg_tcp_sends(g, &c, 0, "hello\r\n.\r\n");
	pg_tcp_sends(g, &c, 1, "250 queued\r\n");
	pg_tcp_close(g, &c);
}

/* gen_reorder - segments captured out of order. */
static void
gen_reorder(struct pg *g)
{
	struct pg_tcp c;
	uint8_t b[2048];
	size_t n, a1, a2;
	uint32_t seq;

	pg_tcp_init(&c, "127.0.0.1", 40030, "127.25.0.1", 25, 50, 60);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	seq = c.cseq;
	pg_tcp_raw(g, &c, 0, seq + 2, PG_ACK, "LO sut.test\r\n", 13);
	pg_tcp_raw(g, &c, 0, seq, PG_ACK, "EH", 2);
	c.cseq = seq + 15;
	pg_tcp_sends(g, &c, 1, "250-mx1\r\n250 STARTTLS\r\n");
	pg_tcp_sends(g, &c, 0, "STARTTLS\r\n");
	pg_tcp_sends(g, &c, 1, "220 Ready\r\n");
	/* The ClientHello in three pieces, captured 3, 1, 2. */
	n = pg_client_hello(b, sizeof(b), "mx1.alpha.test", 0);
	a1 = 3;
	a2 = 40;
	seq = c.cseq;
	pg_tcp_raw(g, &c, 0, seq + (uint32_t)a2, PG_ACK, b + a2, n - a2);
	pg_tcp_raw(g, &c, 0, seq, PG_ACK, b, a1);
	pg_tcp_raw(g, &c, 0, seq + (uint32_t)a1, PG_ACK, b + a1, a2 - a1);
	c.cseq = seq + (uint32_t)n;
	tls12_rest(g, &c);
	pg_tcp_close(g, &c);
}

/* gen_gap - a client segment never captured; a snaplen-cut segment. */
static void
gen_gap(struct pg *g)
{
	const char *mail = "MAIL FROM:<a@sut.test>\r\n";
	struct pg_tcp c;

	pg_tcp_init(&c, "127.0.0.1", 40040, "127.25.0.1", 25, 1, 2);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	c.cseq += (uint32_t)strlen(mail); /* lost */
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_sends(g, &c, 0, "RCPT TO:<r@alpha.test>\r\n");
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_close(g, &c);

	pg_tcp_init(&c, "127.0.0.1", 40041, "127.25.0.1", 25, 11, 12);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	g->snaplen = 14 + 20 + 20 + 10; /* 10 bytes of MAIL FROM */
	pg_tcp_sends(g, &c, 0, mail);
	g->snaplen = 0;
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_close(g, &c);
}

/* gen_truncated - a plain session; the file is cut afterwards. */
static void
gen_truncated(struct pg *g)
{
	struct pg_tcp c;

	pg_tcp_init(&c, "127.0.0.1", 40050, "127.25.0.2", 25, 1, 2);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	pg_tcp_sends(g, &c, 0, "MAIL FROM:<a@sut.test>\r\n");
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_sends(g, &c, 0, "RCPT TO:<r@beta.test>\r\n");
}

/* dns_pair - a query and (if rcode >= 0) its answer over UDP; bits:
   PG_DNS_DO, PG_DNS_CD, on both. */
static void
dns_pair(struct pg *g, const char *cli, uint16_t cport, const char *srv,
    uint16_t id, const char *qname, const char *qtype, int rcode, int ad,
    int bits)
{
	uint8_t b[1024];
	size_t n;

	n = pg_dns(b, sizeof(b), id, qname, qtype, 0, 0, 0, bits);
	if (n > 0)
		pg_udp(g, cli, cport, srv, 53, b, n);
	if (rcode < 0)
		return;
	n = pg_dns(b, sizeof(b), id, qname, qtype, 1, rcode, ad, bits);
	if (n > 0)
		pg_udp(g, srv, 53, cli, cport, b, n);
}

/* gen_dns_ipv6 - DNS over UDP, IPv6 and IPv4, every attribution rule. */
static void
gen_dns_ipv6(struct pg *g)
{
	uint8_t b[512];
	size_t n;

	/* Resolver to the hosting zone's server (IPv6): by zone address. */
	dns_pair(g, "fd00::1", 5353, "fd00::53", 11, "MX1.Hosting-Beta.test.",
	    "A", 0, 0, 1);
	/* The SUT asks the resolver; the answer carries AD. */
	dns_pair(g, "::1", 40000, "::1", 12, "_25._tcp.mx1.beta.test.", "TLSA",
	    0, 1, 0);
	/* The SUT asks the resolver with CD set (it should not: RFC 4035
	 * §4.9.2); then an answer with CD whose query was not captured. */
	dns_pair(g, "::1", 40001, "::1", 19, "mx1.beta.test.", "A", 0, 0,
	    PG_DNS_DO | PG_DNS_CD);
	n = pg_dns(
	    b, sizeof(b), 20, "mx1.beta.test.", "AAAA", 1, 0, 0, PG_DNS_CD);
	pg_udp(g, "::1", 53, "::1", 40002, b, n);
	/* To the root server: attributed by name. */
	dns_pair(g, "127.0.0.1", 5300, "127.53.0.1", 13, "beta.test.", "DS", 0,
	    0, 1);
	/* Longest matching id wins. */
	dns_pair(g, "127.0.0.1", 5301, "127.53.0.2", 14,
	    "_25._tcp.mx1.tlsa-unusable-striptls.test.", "TLSA", 2, 0, 1);
	dns_pair(g, "127.0.0.1", 5302, "127.53.0.2", 15, "mx1.striptls.test.",
	    "AAAA", 3, 0, 1);
	/* Of no scenario: stray. */
	dns_pair(g, "127.0.0.1", 5303, "127.53.0.1", 16, "example.org.", "NS",
	    0, 0, 1);
	/* Unanswered query. */
	dns_pair(g, "127.0.0.1", 5304, "127.53.0.3", 17, "alpha.test.",
	    "DNSKEY", -1, 0, 1);
	/* An answer whose query was not captured. */
	n = pg_dns(b, sizeof(b), 18, "alpha.test.", "MX", 1, 2, 0, 0);
	pg_udp(g, "127.53.0.3", 53, "127.0.0.1", 5305, b, n);
}

/* gen_dns_tcp - two queries in one segment, an answer split in two. */
static void
gen_dns_tcp(struct pg *g)
{
	uint8_t b[1024], m[512];
	struct pg_tcp c;
	size_t n = 0, k, a1;

	pg_tcp_init(&c, "127.0.0.1", 45000, "127.53.0.3", 53, 1000, 2000);
	pg_tcp_open(g, &c);
	k = pg_dns(
	    m, sizeof(m), 21, "_25._tcp.mx1.alpha.test.", "TLSA", 0, 0, 0, 1);
	b[n] = (uint8_t)(k >> 8);
	b[n + 1] = (uint8_t)k;
	memcpy(b + n + 2, m, k);
	n += 2 + k;
	k = pg_dns(m, sizeof(m), 22, "nope.alpha.test.", "A", 0, 0, 0, 1);
	b[n] = (uint8_t)(k >> 8);
	b[n + 1] = (uint8_t)k;
	memcpy(b + n + 2, m, k);
	n += 2 + k;
	pg_tcp_send(g, &c, 0, b, n);
	n = 0;
	k = pg_dns(
	    m, sizeof(m), 21, "_25._tcp.mx1.alpha.test.", "TLSA", 1, 0, 0, 1);
	b[n] = (uint8_t)(k >> 8);
	b[n + 1] = (uint8_t)k;
	memcpy(b + n + 2, m, k);
	n += 2 + k;
	a1 = 7;
	pg_tcp_send(g, &c, 1, b, a1);
	pg_tcp_send(g, &c, 1, b + a1, n - a1);
	k = pg_dns(m, sizeof(m), 22, "nope.alpha.test.", "A", 1, 3, 0, 1);
	b[0] = (uint8_t)(k >> 8);
	b[1] = (uint8_t)k;
	memcpy(b + 2, m, k);
	pg_tcp_send(g, &c, 1, b, k + 2);
	pg_tcp_close(g, &c);
}

/* gen_edge - refused connection, port reuse, injection, clear text after
 * 220, HelloRetryRequest, a handshake_failure alert, a trap, BDAT. */
static void
gen_edge(struct pg *g)
{
	static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
	struct pg_tcp c;
	uint8_t b[4096];
	size_t n;

	/* 1: SYN answered by RST. 2: the same ports again, a full session. */
	pg_tcp_init(&c, "127.0.0.1", 40060, "127.25.0.1", 25, 500, 0);
	pg_tcp_raw(g, &c, 0, 500, PG_SYN, NULL, 0);
	pg_tcp_raw(g, &c, 1, 0, PG_RST | PG_ACK, NULL, 0);
	pg_tcp_init(&c, "127.0.0.1", 40060, "127.25.0.1", 25, 90000, 91000);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "HELO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	pg_tcp_sends(g, &c, 0, "MAIL FROM:<>\r\n");
	pg_tcp_sends(g, &c, 1, "250 Ok\r\n");
	pg_tcp_close(g, &c);

	/* 3: replies injected after the 220 to STARTTLS. */
	pg_tcp_init(&c, "127.0.0.1", 40061, "127.25.0.1", 25, 1, 2);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 STARTTLS\r\n");
	pg_tcp_sends(g, &c, 0, "STARTTLS\r\n");
	pg_tcp_sends(g, &c, 1, "220 Ready\r\n250-INJECTED\r\n550 marker\r\n");
	n = pg_client_hello(b, sizeof(b), "mx1.alpha.test", 0);
	pg_tcp_send(g, &c, 0, b, n);
	tls12_rest(g, &c);
	pg_tcp_close(g, &c);

	/* 4: the client goes on in clear after the 220. */
	pg_tcp_init(&c, "127.0.0.1", 40062, "127.25.0.1", 25, 1, 2);
	smtp_to_starttls(g, &c);
	pg_tcp_sends(g, &c, 0, "MAIL FROM:<x@sut.test>\r\n");
	pg_tcp_close(g, &c);

	/* 5: TLS 1.3 with a HelloRetryRequest. */
	pg_tcp_init(&c, "127.0.0.1", 40063, "127.25.0.1", 25, 1, 2);
	smtp_to_starttls(g, &c);
	n = pg_client_hello(b, sizeof(b), "mx1.alpha.test", 1);
	pg_tcp_send(g, &c, 0, b, n);
	n = pg_server_hello(b, sizeof(b), 1, 1);
	n += pg_record(b + n, sizeof(b) - n, 20, 1);
	pg_tcp_send(g, &c, 1, b, n);
	n = pg_record(b, sizeof(b), 20, 1);
	n += pg_client_hello(b + n, sizeof(b) - n, "mx1.alpha.test", 1);
	pg_tcp_send(g, &c, 0, b, n);
	n = pg_server_hello(b, sizeof(b), 1, 0);
	n += pg_record(b + n, sizeof(b) - n, 23, 900);
	pg_tcp_send(g, &c, 1, b, n);
	n = pg_record(b, sizeof(b), 23, 50);
	pg_tcp_send(g, &c, 0, b, n);
	n = pg_record(b, sizeof(b), 23, 30);
	pg_tcp_send(g, &c, 0, b, n);
	pg_tcp_close(g, &c);

	/* 6: the server answers the ClientHello with handshake_failure. */
	pg_tcp_init(&c, "127.0.0.1", 40064, "127.25.0.1", 25, 1, 2);
	smtp_to_starttls(g, &c);
	n = pg_client_hello(b, sizeof(b), NULL, 0);
	pg_tcp_send(g, &c, 0, b, n);
	pg_tcp_send(g, &c, 1, alert, sizeof(alert));
	pg_tcp_close(g, &c);

	/* 7: a SYN to beta's trap. */
	pg_tcp_init(&c, "127.0.0.1", 40065, "127.25.0.3", 25, 1, 2);
	pg_tcp_raw(g, &c, 0, 1, PG_SYN, NULL, 0);

	/* 9: the SYN was not captured; the SYN-ACK says where the client's
	 * stream starts. */
	pg_tcp_init(&c, "127.0.0.1", 40067, "127.25.0.1", 25, 70, 80);
	c.cseq++;
	pg_tcp_raw(g, &c, 1, c.sseq, PG_SYN | PG_ACK, NULL, 0);
	c.sseq++;
	pg_tcp_raw(g, &c, 0, c.cseq, PG_ACK, NULL, 0);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "HELO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	pg_tcp_sends(g, &c, 0, "MAIL FROM:<late@sut.test>\r\n");
	pg_tcp_close(g, &c);

	/* 8: BDAT, whose chunk holds text that is not commands. */
	pg_tcp_init(&c, "127.0.0.1", 40066, "127.25.0.2", 25, 1, 2);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 CHUNKING\r\n");
	pg_tcp_sends(g, &c, 0, "BDAT 12 LAST\r\nQUIT\r\nQUIT\r\n");
	pg_tcp_sends(g, &c, 1, "250 2.0.0 queued\r\n");
	pg_tcp_close(g, &c);
}

/*
 * gen_sslv2 - after STARTTLS's 220: an SSL 2.0-compatible ClientHello
 * answered by an alert; the same hello split across two segments; only
 * the first two bytes of one, then FIN (not enough to tell); clear text
 * where the hello should be.
 */
static void
gen_sslv2(struct pg *g)
{
	static const uint8_t alert[7] = {21, 3, 3, 0, 2, 2, 40};
	struct pg_tcp c;
	uint8_t b[256];
	size_t n;

	pg_tcp_init(&c, "127.0.0.1", 40060, "127.25.0.1", 25, 100, 200);
	smtp_to_starttls(g, &c);
	n = pg_sslv2_hello(b, sizeof(b), 0x0303);
	pg_tcp_send(g, &c, 0, b, n);
	pg_tcp_send(g, &c, 1, alert, sizeof(alert));
	pg_tcp_close(g, &c);

	pg_tcp_init(&c, "127.0.0.1", 40061, "127.25.0.1", 25, 300, 400);
	smtp_to_starttls(g, &c);
	n = pg_sslv2_hello(b, sizeof(b), 0x0301);
	pg_tcp_send(g, &c, 0, b, 4);
	pg_tcp_send(g, &c, 0, b + 4, n - 4);
	pg_tcp_send(g, &c, 1, alert, sizeof(alert));
	pg_tcp_close(g, &c);

	pg_tcp_init(&c, "127.0.0.1", 40062, "127.25.0.1", 25, 500, 600);
	smtp_to_starttls(g, &c);
	pg_tcp_send(g, &c, 0, b, 2);
	pg_tcp_close(g, &c);

	pg_tcp_init(&c, "127.0.0.1", 40063, "127.25.0.1", 25, 700, 800);
	smtp_to_starttls(g, &c);
	pg_tcp_sends(g, &c, 0, "\x01garbage\r\nQUIT\r\n");
	pg_tcp_close(g, &c);
}

struct golden {
	const char *name;
	int dlt;
	void (*gen)(struct pg *g);
	long cut; /* bytes cut off the end of the file */
};

static const struct golden goldens[] = {
    {"smtp-starttls-tls12", DLT_EN10MB, gen_starttls_tls12, 0},
    {"smtp-tls13", DLT_EN10MB, gen_tls13, 0},
    {"smtp-plain", DLT_LINUX_SLL, gen_plain, 0},
    {"tcp-retransmit", DLT_EN10MB, gen_retransmit, 0},
    {"tcp-reorder", DLT_EN10MB, gen_reorder, 0},
    {"tcp-gap", DLT_EN10MB, gen_gap, 0},
    {"truncated", DLT_EN10MB, gen_truncated, 20},
    {"dns-ipv6", DLT_RAW, gen_dns_ipv6, 0},
    {"dns-tcp", DLT_EN10MB, gen_dns_tcp, 0},
    {"smtp-edge", DLT_EN10MB, gen_edge, 0},
    {"smtp-sslv2", DLT_EN10MB, gen_sslv2, 0},
};

/* write_capture - run a generator into path; 0 or -1. */
static int
write_capture(const struct golden *gd, int dlt, const char *path)
{
	struct pg *g = pg_open(path, dlt);
	struct stat st;

	if (g == NULL)
		return -1;
	gd->gen(g);
	pg_close(g);
	if (gd->cut > 0) {
		if (stat(path, &st) < 0 || truncate(path, st.st_size - gd->cut))
			return -1;
	}
	return 0;
}

/* read_file - whole file as a string (caller frees), or NULL. */
static char *
read_file(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b);
}

/* analyse_text - facts of a capture, formatted; NULL if unreadable. */
static char *
analyse_text(const char *path)
{
	char err[256];
	struct facts *f;
	struct buf b;

	f = facts_from_pcap(&test_world, path, err, sizeof(err));
	if (f == NULL)
		return NULL;
	buf_init(&b);
	pcapfacts_format(f, 0, &b);
	facts_free(f);
	return buf_steal(&b);
}

/* tmp_path - a path in the test's temporary folder (static buffer). */
static const char *
tmp_path(const char *name, const char *ext)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s%s", tmpdir, name, ext);
	return p;
}

/* fresh - generate the golden case name into the temporary folder and
 * analyse it. Caller frees with facts_free. */
static struct facts *
fresh(const char *name)
{
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		if (strcmp(goldens[i].name, name) != 0)
			continue;
		if (write_capture(&goldens[i], goldens[i].dlt,
		        tmp_path(name, ".pcap")) < 0)
			return NULL;
		return facts_from_pcap(
		    &test_world, tmp_path(name, ".pcap"), err, sizeof(err));
	}
	return NULL;
}

/* conn_n - connection j of scenario i. */
static struct facts_conn *
conn_n(struct facts *f, size_t i, size_t j)
{
	if (f == NULL || i >= f->n || j >= f->scns[i].nconns)
		return NULL;
	return &f->scns[i].conns[j];
}

static int
suite_init(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/dsim-pcap-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
suite_clean(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- */
/* Tests                                                            */

/* test_golden - committed and fresh captures give the expected facts. */
static void
test_golden(void)
{
	char path[512], fpath[512];
	char *want, *got;
	size_t i;
	int regen = getenv("DSIM_PCAP_REGEN") != NULL;
	FILE *fp;

	for (i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden *gd = &goldens[i];

		snprintf(path, sizeof(path), "%s/%s.pcap",
		    unit_data_path("pcap"), gd->name);
		snprintf(fpath, sizeof(fpath), "%s/%s.facts",
		    unit_data_path("pcap"), gd->name);
		if (regen) {
			CU_ASSERT_EQUAL_FATAL(
			    write_capture(gd, gd->dlt, path), 0);
			got = analyse_text(path);
			CU_ASSERT_PTR_NOT_NULL_FATAL(got);
			fp = fopen(fpath, "w");
			CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
			fputs(got, fp);
			fclose(fp);
			free(got);
		}
		want = read_file(fpath);
		CU_ASSERT_PTR_NOT_NULL_FATAL(want);
		got = analyse_text(path);
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		if (strcmp(want, got) != 0)
			fprintf(stderr, "\n%s: committed capture gives:\n%s\n",
			    gd->name, got);
		CU_ASSERT_STRING_EQUAL(got, want);
		free(got);
		CU_ASSERT_EQUAL_FATAL(
		    write_capture(gd, gd->dlt, tmp_path(gd->name, ".pcap")), 0);
		got = analyse_text(tmp_path(gd->name, ".pcap"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		if (strcmp(want, got) != 0)
			fprintf(stderr, "\n%s: generated capture gives:\n%s\n",
			    gd->name, got);
		CU_ASSERT_STRING_EQUAL(got, want);
		free(got);
		free(want);
	}
}

/* real_facts - facts of tests/data/pcap/<name>.pcap in world w, checked
 * against <name>.facts (rewritten with DSIM_PCAP_REGEN). */
static struct facts *
real_facts(const struct world *w, const char *name)
{
	char path[512], fpath[512], err[256];
	struct facts *f;
	struct buf b;
	char *want;
	FILE *fp;

	snprintf(
	    path, sizeof(path), "%s/%s.pcap", unit_data_path("pcap"), name);
	snprintf(
	    fpath, sizeof(fpath), "%s/%s.facts", unit_data_path("pcap"), name);
	f = facts_from_pcap(w, path, err, sizeof(err));
	if (f == NULL)
		return NULL;
	buf_init(&b);
	pcapfacts_format(f, 0, &b);
	if (getenv("DSIM_PCAP_REGEN") != NULL &&
	    (fp = fopen(fpath, "w")) != NULL) {
		fputs(buf_cstr(&b), fp);
		fclose(fp);
	}
	want = read_file(fpath);
	CU_ASSERT_PTR_NOT_NULL(want);
	if (want != NULL)
		CU_ASSERT_STRING_EQUAL(buf_cstr(&b), want);
	free(want);
	buf_free(&b);
	return f;
}

/* test_real - a capture of a real run gives the expected facts. */
static void
test_real(void)
{
	struct facts *f = real_facts(&real_world, "real-refsut");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->complete, 1);
	/* dane-ee-valid: STARTTLS, SNI, TLS 1.3 completed, nothing clear. */
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nconns, 1);
	CU_ASSERT_STRING_EQUAL(
	    f->scns[0].conns[0].sni, "mx1.dane-ee-valid.test");
	CU_ASSERT_EQUAL(f->scns[0].conns[0].tls_ok, 1);
	CU_ASSERT_STRING_EQUAL(f->scns[0].conns[0].tls_version, "TLSv1.3");
	CU_ASSERT_EQUAL(f->scns[0].conns[0].mail_plain, 0);
	CU_ASSERT_EQUAL(f->scns[0].conns[0].gap, 0);
	/* striptls: connected, no STARTTLS offered, no MAIL. */
	CU_ASSERT_EQUAL_FATAL(f->scns[1].nconns, 1);
	CU_ASSERT_EQUAL(f->scns[1].conns[0].starttls_sent, 0);
	CU_ASSERT_EQUAL(f->scns[1].conns[0].mail_plain, 0);
	/* tlsa-servfail: never connected; the SUT got SERVFAIL for TLSA. */
	CU_ASSERT_EQUAL(f->scns[2].nconns, 0);
	CU_ASSERT(f->scns[2].nqueries >= 2);
	/* unsigned-domain-no-starttls: the message went in clear. */
	CU_ASSERT_EQUAL_FATAL(f->scns[3].nconns, 1);
	CU_ASSERT_EQUAL(f->scns[3].conns[0].msg_plain, 1);
	CU_ASSERT_STRING_EQUAL(
	    f->scns[3].conns[0].mail_from, "danesim@sender.test");
	facts_free(f);
}

/* test_real_tls12 - real TLS 1.2 handshakes (OpenSSL on both sides). */
static void
test_real_tls12(void)
{
	struct facts *f = real_facts(&r12_world, "real-tls12");
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->complete, 1);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(f->scns[i].nconns, 1);
		CU_ASSERT_STRING_EQUAL(
		    f->scns[i].conns[0].tls_version, "TLSv1.2");
		CU_ASSERT_EQUAL(f->scns[i].conns[0].tls_ok, 1);
		CU_ASSERT_EQUAL(f->scns[i].conns[0].gap, 0);
		CU_ASSERT_STRING_EQUAL(f->scns[i].conns[0].tls_offered,
		    "TLSv1.3,TLSv1.2,TLSv1.1,TLSv1");
	}
	CU_ASSERT_STRING_EQUAL(f->scns[1].conns[0].sni, "mx1.tls12-valid.test");
	facts_free(f);
}

/* has_query - 1 if scenario x of f asked name/type with rcode. */
static int
has_query(const struct facts_scn *x, const char *name, const char *type,
    const char *rcode)
{
	size_t i;

	for (i = 0; i < x->nqueries; i++)
		if (strcmp(x->queries[i].qname, name) == 0 &&
		    strcmp(x->queries[i].qtype, type) == 0 &&
		    x->queries[i].rcode != NULL &&
		    strcmp(x->queries[i].rcode, rcode) == 0)
			return 1;
	return 0;
}

/* test_real_ipv6 - a real run over IPv6: TCP, TLS, SMTP and AAAA. */
static void
test_real_ipv6(void)
{
	struct facts *f = real_facts(&v6_world, "real-ipv6");
	size_t i, n6 = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->complete, 1);
	/* aaaa-bogus-a-secure: only mx2, over IPv4; the AAAA SERVFAIL */
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nconns, 1);
	CU_ASSERT_STRING_EQUAL(f->scns[0].conns[0].host, "mx2");
	CU_ASSERT(has_query(
	    &f->scns[0], "mx1.aaaa-bogus-a-secure.test.", "AAAA", "SERVFAIL"));
	/* dual-stack-striptls: both addresses, twice; nothing in clear */
	CU_ASSERT_EQUAL_FATAL(f->scns[1].nconns, 4);
	for (i = 0; i < 4; i++) {
		const struct facts_conn *c = &f->scns[1].conns[i];

		CU_ASSERT_STRING_EQUAL(c->host, "mx1");
		CU_ASSERT_EQUAL(c->starttls_sent, 0);
		CU_ASSERT_EQUAL(c->mail_plain, 0);
		CU_ASSERT_EQUAL(c->gap, 0);
		n6 += strncmp(c->client, "[fd00:da5e:25::4]:", 18) == 0;
	}
	CU_ASSERT_EQUAL(n6, 2);
	/* v6-only-dane-ee: TLS 1.3 with SNI over IPv6 */
	CU_ASSERT_EQUAL_FATAL(f->scns[2].nconns, 1);
	CU_ASSERT_STRING_EQUAL(
	    f->scns[2].conns[0].sni, "mx1.v6-only-dane-ee.test");
	CU_ASSERT_EQUAL(f->scns[2].conns[0].tls_ok, 1);
	CU_ASSERT_STRING_EQUAL(f->scns[2].conns[0].tls_version, "TLSv1.3");
	CU_ASSERT_EQUAL(
	    strncmp(f->scns[2].conns[0].client, "[fd00:da5e:25::5]:", 18), 0);
	CU_ASSERT(has_query(
	    &f->scns[2], "mx1.v6-only-dane-ee.test.", "AAAA", "NOERROR"));
	facts_free(f);
}

/* test_capcheck_ipv6 - fakemx's log of that run and its capture pair
 * every connection, those over IPv6 ("[addr]:port" both sides) too. */
static void
test_capcheck_ipv6(void)
{
	char path[512], err[256];
	struct facts *logs, *cap;
	struct buf out;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/real-ipv6.smtp.jsonl",
	    unit_data_path("pcap"));
	fp = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	logs = facts_from_streams(&v6_world, NULL, fp);
	fclose(fp);
	snprintf(
	    path, sizeof(path), "%s/real-ipv6.pcap", unit_data_path("pcap"));
	cap = facts_from_pcap(&v6_world, path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(logs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cap);
	CU_ASSERT_EQUAL_FATAL(logs->scns[1].nconns, 4);
	buf_init(&out);
	CU_ASSERT_EQUAL(capture_check(&v6_suite, logs, cap, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(buf_cstr(&out), "[fd00:da5e:25::5]:44118 -> mx1: agree"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out),
	    "dual-stack-striptls: 4 connection(s) in the logs, 4 in the "
	    "capture"));
	/* a v6 connection the capture saw otherwise disagrees */
	cap->scns[2].conns[0].tls_ok = 0;
	buf_reset(&out);
	CU_ASSERT_EQUAL(capture_check(&v6_suite, logs, cap, &out), 1);
	CU_ASSERT_EQUAL(logs->scns[2].conns[0].cap_disagree, 1);
	buf_free(&out);
	facts_free(logs);
	facts_free(cap);
}

/* raw_packet - one DLT_RAW record of n bytes (caplen = len = n). */
static void
raw_packet(FILE *fp, const uint8_t *p, size_t n)
{
	uint32_t h[4] = {1, 0, (uint32_t)n, (uint32_t)n};

	fwrite(h, sizeof(h), 1, fp);
	fwrite(p, 1, n, fp);
}

/* v6_header - an IPv6 header: next header nh, payload length plen,
 * fd00:da5e:25::5 to itself (an MX address of v6_world). */
static void
v6_header(uint8_t *p, unsigned nh, unsigned plen)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = (uint8_t)nh;
	p[7] = 64;
	inet_pton(AF_INET6, "fd00:da5e:25::5", p + 8);
	inet_pton(AF_INET6, "fd00:da5e:25::5", p + 24);
}

/* test_ipv6_garbage - cut and malformed IPv6 packets: skipped, no crash,
 * no connection made up. */
static void
test_ipv6_garbage(void)
{
	static const uint32_t fh[6] = {
	    0xa1b2c3d4, 0x00040002, 0, 0, 65535, 101 /* LINKTYPE_RAW */};
	char err[256];
	struct facts *f;
	uint8_t p[128];
	FILE *fp;

	fp = fopen(tmp_path("v6junk", ".pcap"), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fwrite(fh, sizeof(fh), 1, fp);
	/* shorter than an IPv6 header */
	v6_header(p, 6, 0);
	raw_packet(fp, p, 20);
	/* a hop-by-hop header whose length runs past the packet */
	v6_header(p, 0, 100);
	p[40] = 6;
	p[41] = 200;
	raw_packet(fp, p, 48);
	/* an extension header cut off */
	v6_header(p, 60, 100);
	raw_packet(fp, p, 44);
	/* a TCP header cut off, to the MX's port */
	v6_header(p, 6, 20);
	p[40] = 0x9c;
	p[42] = 0;
	p[43] = 25;
	raw_packet(fp, p, 50);
	/* a later fragment */
	v6_header(p, 44, 16);
	p[40] = 6;
	p[43] = 0x08;
	raw_packet(fp, p, 56);
	/* a SYN whose data offset points past the segment */
	v6_header(p, 6, 20);
	p[43] = 25;
	p[52] = 0xf0;
	p[53] = 0x02;
	raw_packet(fp, p, 60);
	/* DNS garbage over UDP to port 53 */
	v6_header(p, 17, 13);
	p[43] = 53;
	p[45] = 13;
	memset(p + 48, 0xff, 5);
	raw_packet(fp, p, 53);
	fclose(fp);
	f = facts_from_pcap(
	    &v6_world, tmp_path("v6junk", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->scns[2].nconns, 0);
	CU_ASSERT_EQUAL(f->scns[2].nqueries, 0);
	facts_free(f);
}

/* test_starttls - STARTTLS, SNI, TLS 1.2 handshake completed. */
static void
test_starttls(void)
{
	struct facts *f = fresh("smtp-starttls-tls12");
	struct facts_conn *c = conn_n(f, 0, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(f->src, FACTS_SRC_CAPTURE);
	CU_ASSERT_EQUAL(f->complete, 1);
	CU_ASSERT_EQUAL(f->scns[0].nconns, 1);
	CU_ASSERT_STRING_EQUAL(c->host, "mx1");
	CU_ASSERT_STRING_EQUAL(c->client, "127.0.0.1:40001");
	CU_ASSERT_EQUAL(c->starttls_sent, 1);
	CU_ASSERT_EQUAL(c->starttls_code, 220);
	CU_ASSERT_EQUAL(c->client_hello, 1);
	CU_ASSERT_STRING_EQUAL(c->sni, "mx1.alpha.test");
	CU_ASSERT_EQUAL(c->sni_names, 1); /* host_name entries (RFC 6066) */
	CU_ASSERT_EQUAL(c->tls_ok, 1);
	CU_ASSERT_STRING_EQUAL(c->tls_version, "TLSv1.2");
	CU_ASSERT_STRING_EQUAL(c->tls_offered, "TLSv1.2");
	CU_ASSERT_STRING_EQUAL(c->tls_suites, "c02c,c02b");
	CU_ASSERT_EQUAL(c->mail_plain, 0);
	CU_ASSERT_EQUAL(c->gap, 0);
	CU_ASSERT(c->t_end > c->t_start);
	CU_ASSERT_EQUAL(f->scns[1].nconns, 0);
	facts_free(f);
}

/* test_tls13 - completed vs refused TLS 1.3 handshakes. */
static void
test_tls13(void)
{
	struct facts *f = fresh("smtp-tls13");
	struct facts_conn *ok = conn_n(f, 0, 0), *bad = conn_n(f, 0, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
	CU_ASSERT_EQUAL(ok->tls_ok, 1);
	CU_ASSERT_STRING_EQUAL(ok->tls_version, "TLSv1.3");
	CU_ASSERT_STRING_EQUAL(ok->tls_offered, "TLSv1.3,TLSv1.2");
	CU_ASSERT_STRING_EQUAL(ok->tls_suites, "1302,1301,c02c,c02b");
	CU_ASSERT_EQUAL(bad->client_hello, 1);
	CU_ASSERT_STRING_EQUAL(bad->tls_version, "TLSv1.3");
	CU_ASSERT_EQUAL(bad->tls_ok, 0);
	facts_free(f);
}

/* test_sslv2 - the client's first record after the 220 to STARTTLS:
 * an SSL 2.0-compatible hello, whole or split; too little to tell; not
 * TLS at all. A TLS ClientHello is "tls". */
static void
test_sslv2(void)
{
	struct facts *f = fresh("smtp-sslv2");
	struct facts *t = fresh("smtp-starttls-tls12");
	struct facts_conn *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nconns, 4);
	c = conn_n(f, 0, 0);
	CU_ASSERT_EQUAL(c->hello_fmt, FACTS_HELLO_SSLV2);
	CU_ASSERT_EQUAL(c->client_hello, 1);
	CU_ASSERT_PTR_NULL(c->sni);
	CU_ASSERT_EQUAL(c->sni_names, 0);
	CU_ASSERT_STRING_EQUAL(c->tls_offered, "TLSv1.2");
	CU_ASSERT_STRING_EQUAL(c->tls_alert, "server fatal handshake_failure");
	CU_ASSERT_EQUAL(c->tls_ok, 0);
	c = conn_n(f, 0, 1);
	CU_ASSERT_EQUAL(c->hello_fmt, FACTS_HELLO_SSLV2);
	CU_ASSERT_STRING_EQUAL(c->tls_offered, "TLSv1");
	CU_ASSERT_STRING_EQUAL(c->tls_alert, "server fatal handshake_failure");
	c = conn_n(f, 0, 2);
	CU_ASSERT_EQUAL(c->hello_fmt, FACTS_HELLO_NONE);
	CU_ASSERT_EQUAL(c->client_hello, 0);
	c = conn_n(f, 0, 3);
	CU_ASSERT_EQUAL(c->hello_fmt, FACTS_HELLO_OTHER);
	CU_ASSERT_EQUAL(c->client_hello, 0);
	CU_ASSERT_EQUAL(conn_n(t, 0, 0)->hello_fmt, FACTS_HELLO_TLS);
	facts_free(f);
	facts_free(t);
}

/* test_plain - MAIL FROM, RCPT, DATA and the message in clear. */
static void
test_plain(void)
{
	struct facts *f = fresh("smtp-plain");
	struct facts_conn *c = conn_n(f, 1, 0), *d = conn_n(f, 1, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(c->mail_plain, 1);
	CU_ASSERT_EQUAL(c->rcpt_plain, 1);
	CU_ASSERT_EQUAL(c->data_plain, 1);
	CU_ASSERT_EQUAL(c->msg_plain, 1);
	CU_ASSERT_STRING_EQUAL(c->mail_from, "sender@sut.test");
	CU_ASSERT_EQUAL(c->starttls_sent, 0);
	CU_ASSERT_EQUAL(d->starttls_sent, 1);
	CU_ASSERT_EQUAL(d->starttls_code, 454);
	CU_ASSERT_EQUAL(d->mail_plain, 1);
	CU_ASSERT_EQUAL(d->data_plain, 1);
	CU_ASSERT_EQUAL(d->msg_plain, 0);
	CU_ASSERT_EQUAL(d->client_hello, 0);
	facts_free(f);
}

/* test_retransmit - duplicates and overlaps are read once. */
static void
test_retransmit(void)
{
	struct facts *f = fresh("tcp-retransmit");
	struct facts_conn *c = conn_n(f, 0, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(f->scns[0].nconns, 1);
	CU_ASSERT_EQUAL(c->gap, 0);
	/* A duplicated banner or MAIL would shift every reply after it,
	 * and the 354 would never meet its DATA. */
	CU_ASSERT_EQUAL(c->data_plain, 1);
	CU_ASSERT_EQUAL(c->msg_plain, 1);
	CU_ASSERT_STRING_EQUAL(c->mail_from, "a@sut.test");
	facts_free(f);
}

/* test_reorder - out-of-order segments are put back in order. */
static void
test_reorder(void)
{
	struct facts *f = fresh("tcp-reorder");
	struct facts_conn *c = conn_n(f, 0, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(c->gap, 0);
	CU_ASSERT_EQUAL(c->starttls_code, 220);
	CU_ASSERT_STRING_EQUAL(c->sni, "mx1.alpha.test");
	CU_ASSERT_EQUAL(c->tls_ok, 1);
	facts_free(f);
}

/* test_gap - missing bytes are marked, and nothing after them guessed. */
static void
test_gap(void)
{
	struct facts *f = fresh("tcp-gap");
	struct facts_conn *c = conn_n(f, 0, 0), *d = conn_n(f, 0, 1);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(c->gap, 1);
	CU_ASSERT_EQUAL(c->mail_plain, 0);
	CU_ASSERT_EQUAL(c->rcpt_plain, 0);
	CU_ASSERT_EQUAL(d->gap, 1);
	CU_ASSERT_EQUAL(d->mail_plain, 0);
	CU_ASSERT_EQUAL(f->complete, 1);
	facts_free(f);
}

/*
 * test_tail_lost - a lost tail, which no later segment reveals, is a gap
 * too: bytes the peer acknowledged but the capture lacks, or a stream of
 * an established connection that stops without FIN or RST. A cleanly
 * closed connection and a SYN nobody answered are no gap.
 */
static void
test_tail_lost(void)
{
	const char *mail = "MAIL FROM:<a@sut.test>\r\n";
	struct pg *g = pg_open(tmp_path("tail", ".pcap"), DLT_EN10MB);
	struct facts *f;
	struct pg_tcp c;
	char err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	/* 0: MAIL FROM lost, then only the server's ACK of it and FINs. */
	pg_tcp_init(&c, "127.0.0.1", 40050, "127.25.0.1", 25, 1, 2);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	c.cseq += (uint32_t)strlen(mail); /* lost */
	pg_tcp_raw(g, &c, 1, c.sseq, PG_ACK, NULL, 0);
	pg_tcp_close(g, &c);
	/* 1: a clean session. */
	pg_tcp_init(&c, "127.0.0.1", 40051, "127.25.0.1", 25, 11, 12);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250 mx1\r\n");
	pg_tcp_sends(g, &c, 0, "QUIT\r\n");
	pg_tcp_sends(g, &c, 1, "221 bye\r\n");
	pg_tcp_close(g, &c);
	/* 2: a SYN nobody answered. */
	pg_tcp_init(&c, "127.0.0.1", 40052, "127.25.0.1", 25, 21, 22);
	pg_tcp_raw(g, &c, 0, c.cseq, PG_SYN, NULL, 0);
	/* 3: the capture stops seeing a session half-way (last). */
	pg_tcp_init(&c, "127.0.0.1", 40053, "127.25.0.1", 25, 31, 32);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_close(g);

	f = facts_from_pcap(
	    &test_world, tmp_path("tail", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(conn_n(f, 0, 3));
	CU_ASSERT_EQUAL(conn_n(f, 0, 0)->gap, 1);
	CU_ASSERT_EQUAL(conn_n(f, 0, 0)->mail_plain, 0);
	CU_ASSERT_EQUAL(conn_n(f, 0, 1)->gap, 0);
	CU_ASSERT_EQUAL(conn_n(f, 0, 2)->gap, 0);
	CU_ASSERT_EQUAL(conn_n(f, 0, 3)->gap, 1);
	facts_free(f);
}

/* test_truncated - a file cut mid-record: partial facts, complete 0. */
static void
test_truncated(void)
{
	struct facts *f = fresh("truncated");
	struct facts_conn *c = conn_n(f, 1, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(f->complete, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->note);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->note, "truncated"));
	CU_ASSERT_EQUAL(c->mail_plain, 1);
	CU_ASSERT_EQUAL(c->rcpt_plain, 0);
	facts_free(f);
}

/* test_dns - attribution, AD, DO, CD, rcodes, unanswered and stray. */
static void
test_dns(void)
{
	struct facts *f = fresh("dns-ipv6");
	struct facts_query *q;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->scns[1].nqueries, 5);
	CU_ASSERT_EQUAL_FATAL(f->scns[1].nqueries >= 5, 1);
	q = &f->scns[1].queries[0];
	CU_ASSERT_STRING_EQUAL(q->qname, "mx1.hosting-beta.test.");
	CU_ASSERT_STRING_EQUAL(q->qtype, "A");
	CU_ASSERT_STRING_EQUAL(q->rcode, "NOERROR");
	CU_ASSERT_EQUAL(q->do_bit, 1);
	CU_ASSERT_EQUAL(q->to_sut, 0);
	CU_ASSERT_EQUAL(q->cd, 0);
	q = &f->scns[1].queries[1];
	CU_ASSERT_STRING_EQUAL(q->qtype, "TLSA");
	CU_ASSERT_EQUAL(q->to_sut, 1);
	CU_ASSERT_EQUAL(q->ad, 1);
	CU_ASSERT_EQUAL(q->cd, 0);
	/* the SUT's query with CD=1, and an answer that copies it */
	q = &f->scns[1].queries[2];
	CU_ASSERT_STRING_EQUAL(q->qname, "mx1.beta.test.");
	CU_ASSERT_STRING_EQUAL(q->qtype, "A");
	CU_ASSERT_EQUAL(q->to_sut, 1);
	CU_ASSERT_EQUAL(q->do_bit, 1);
	CU_ASSERT_EQUAL(q->cd, 1);
	q = &f->scns[1].queries[3];
	CU_ASSERT_STRING_EQUAL(q->qtype, "AAAA");
	CU_ASSERT_EQUAL(q->to_sut, 1);
	CU_ASSERT_EQUAL(q->cd, 1);
	CU_ASSERT_EQUAL(f->scns[2].nqueries, 1);
	CU_ASSERT_EQUAL(f->scns[3].nqueries, 1);
	CU_ASSERT_EQUAL_FATAL(f->scns[3].nqueries, 1);
	CU_ASSERT_STRING_EQUAL(f->scns[3].queries[0].rcode, "SERVFAIL");
	CU_ASSERT_EQUAL(f->scns[0].nqueries, 2);
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nqueries, 2);
	CU_ASSERT_PTR_NULL(f->scns[0].queries[0].rcode);
	CU_ASSERT_EQUAL(f->scns[0].queries[0].ad, -1);
	CU_ASSERT_STRING_EQUAL(f->scns[0].queries[1].qtype, "MX");
	CU_ASSERT_EQUAL(f->nstray, 2); /* the query and its answer */
	facts_free(f);
}

/* test_dns_tcp - DNS messages framed over a TCP stream. */
static void
test_dns_tcp(void)
{
	struct facts *f = fresh("dns-tcp");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nqueries, 2);
	CU_ASSERT_STRING_EQUAL(f->scns[0].queries[0].qtype, "TLSA");
	CU_ASSERT_STRING_EQUAL(f->scns[0].queries[0].rcode, "NOERROR");
	CU_ASSERT_STRING_EQUAL(f->scns[0].queries[1].rcode, "NXDOMAIN");
	CU_ASSERT_EQUAL(f->scns[0].nconns, 0);
	facts_free(f);
}

/* test_edge - the less common dialogues. */
static void
test_edge(void)
{
	struct facts *f = fresh("smtp-edge");
	struct facts_conn *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nconns, 7);
	c = conn_n(f, 0, 0); /* refused */
	CU_ASSERT_EQUAL(c->mail_plain, 0);
	CU_ASSERT(c->t_end > 0);
	c = conn_n(f, 0, 1); /* port reused */
	CU_ASSERT_STRING_EQUAL(c->client, "127.0.0.1:40060");
	CU_ASSERT_EQUAL(c->mail_plain, 1);
	CU_ASSERT_STRING_EQUAL(c->mail_from, "");
	c = conn_n(f, 0, 2); /* injection */
	CU_ASSERT_EQUAL(c->starttls_code, 220);
	CU_ASSERT_STRING_EQUAL(c->sni, "mx1.alpha.test");
	CU_ASSERT_EQUAL(c->tls_ok, 1);
	c = conn_n(f, 0, 3); /* clear after 220 */
	CU_ASSERT_EQUAL(c->client_hello, 0);
	CU_ASSERT_EQUAL(c->mail_plain, 1);
	CU_ASSERT_STRING_EQUAL(c->mail_from, "x@sut.test");
	c = conn_n(f, 0, 4); /* HelloRetryRequest */
	CU_ASSERT_STRING_EQUAL(c->tls_version, "TLSv1.3");
	CU_ASSERT_EQUAL(c->tls_ok, 1);
	c = conn_n(f, 0, 5); /* handshake_failure */
	CU_ASSERT_PTR_NULL(c->sni);
	CU_ASSERT_STRING_EQUAL(c->tls_alert, "server fatal handshake_failure");
	CU_ASSERT_EQUAL(c->tls_ok, 0);
	c = conn_n(f, 0, 6); /* SYN not captured */
	CU_ASSERT_EQUAL(c->gap, 0);
	CU_ASSERT_EQUAL(c->mail_plain, 1);
	CU_ASSERT_STRING_EQUAL(c->mail_from, "late@sut.test");
	CU_ASSERT_EQUAL_FATAL(f->scns[1].nconns, 2);
	CU_ASSERT_STRING_EQUAL(f->scns[1].conns[0].host, "trap");
	c = conn_n(f, 1, 1); /* BDAT */
	CU_ASSERT_STRING_EQUAL(c->host, "mx1");
	CU_ASSERT_EQUAL(c->data_plain, 1);
	CU_ASSERT_EQUAL(c->msg_plain, 1);
	facts_free(f);
}

/* test_linktypes - the same packets under every link type agree. */
static void
test_linktypes(void)
{
	static const int dlts[] = {
	    DLT_EN10MB, DLT_LINUX_SLL, DLT_RAW, DLT_NULL};
	const struct golden *gd = &goldens[2]; /* smtp-plain */
	char *want = NULL, *got;
	size_t i;

	for (i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(
		    write_capture(gd, dlts[i], tmp_path("dlt", ".pcap")), 0);
		got = analyse_text(tmp_path("dlt", ".pcap"));
		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		CU_ASSERT_PTR_NOT_NULL(strstr(got, "msg_plain=1"));
		if (want == NULL)
			want = got;
		else {
			CU_ASSERT_STRING_EQUAL(got, want);
			free(got);
		}
	}
	free(want);
}

/* test_errors - unreadable files, foreign link types, no world. */
static void
test_errors(void)
{
	char err[256];
	struct facts *f;
	struct pg *g;
	FILE *fp;
	/* A DNS header announcing 65535 questions that are not there. */
	static const uint8_t junk[64] = {0x45, 0, 0x81, 0, 0xff, 0xff};

	f = facts_from_pcap(
	    &test_world, tmp_path("missing", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "capture:"));

	fp = fopen(tmp_path("text", ".pcap"), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("this is not a capture\n", fp);
	fclose(fp);
	f = facts_from_pcap(
	    &test_world, tmp_path("text", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT(strlen(err) > 10);

	g = pg_open(tmp_path("wifi", ".pcap"), DLT_IEEE802_11);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	pg_close(g);
	f = facts_from_pcap(
	    &test_world, tmp_path("wifi", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unsupported link type"));

	/* An empty capture and a capture of garbage: complete, no facts. */
	g = pg_open(tmp_path("junk", ".pcap"), DLT_RAW);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	pg_udp(g, "127.0.0.1", 53, "127.0.0.1", 9999, junk, sizeof(junk));
	pg_udp(g, "127.0.0.1", 9999, "127.53.0.3", 53, junk, 3);
	pg_close(g);
	f = facts_from_pcap(
	    &test_world, tmp_path("junk", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->complete, 1);
	CU_ASSERT_EQUAL(f->nbad, 2);
	CU_ASSERT_EQUAL(f->scns[0].nqueries, 0);
	facts_free(f);

	/* No world: nothing can be attributed, nothing crashes. */
	CU_ASSERT_EQUAL_FATAL(write_capture(&goldens[0], DLT_EN10MB,
	                          tmp_path("noworld", ".pcap")),
	    0);
	f = facts_from_pcap(
	    NULL, tmp_path("noworld", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->n, 0);
	facts_free(f);
}

/* run_cmd - system() returning 0 only on a clean exit 0. */
static int
run_cmd(const char *cmd)
{
	int st = system(cmd);

	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* io_full - read (rd) or write all n bytes of p; 0 or -1. */
static int
io_full(int fd, int rd, char *p, size_t n)
{
	ssize_t r;

	while (n > 0) {
		r = rd ? read(fd, p, n) : write(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Size of the message body of the live test: many full-sized frames. */
#define LIVE_BODY (13000 * 78)

/* ns_server - the fake MX of the live test: read what the client is
 * known to send, reply to it. Runs in its own process; never returns. */
static void
ns_server(int ls)
{
	static const size_t want[] = {8, 27, 6, LIVE_BODY + 3};
	static const char *const reply[] = {
	    "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 queued\r\n"};
	static char buf[LIVE_BODY + 16];
	size_t i;
	int as = accept(ls, NULL, NULL);

	if (as < 0 || io_full(as, 0, "220 live\r\n", 10) < 0)
		_exit(5);
	for (i = 0; i < 4; i++) {
		if (io_full(as, 1, buf, want[i]) < 0 ||
		    io_full(as, 0, (char *)reply[i], strlen(reply[i])) < 0)
			_exit(6);
	}
	close(as);
	_exit(0);
}

/* ns_traffic - inside namespace ns: an SMTP exchange with 127.25.0.1:25
 * over real sockets, with a message body large enough for full-sized
 * loopback frames. Runs in a child; exits 0 on success. */
static void
ns_traffic(const char *ns)
{
	static char body[LIVE_BODY + 3];
	struct sockaddr_in sa;
	char path[128], buf[64];
	int nsfd, ls, cs, one = 1, st = -1;
	size_t i;
	pid_t srv;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
		_exit(2);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(25);
	inet_pton(AF_INET, "127.25.0.1", &sa.sin_addr);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ls, 1) < 0)
		_exit(3);
	srv = fork();
	if (srv == 0)
		ns_server(ls);
	cs = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || cs < 0 ||
	    connect(cs, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		_exit(4);
	for (i = 0; i < LIVE_BODY; i++)
		body[i] = i % 78 == 76 ? '\r' : i % 78 == 77 ? '\n' : 'x';
	memcpy(body + LIVE_BODY, ".\r\n", 3);
	if (io_full(cs, 1, buf, 10) < 0 ||
	    io_full(cs, 0, "EHLO x\r\n", 8) < 0 || io_full(cs, 1, buf, 8) < 0 ||
	    io_full(cs, 0, "MAIL FROM:<live@sut.test>\r\n", 27) < 0 ||
	    io_full(cs, 1, buf, 8) < 0 || io_full(cs, 0, "DATA\r\n", 6) < 0 ||
	    io_full(cs, 1, buf, 8) < 0 ||
	    io_full(cs, 0, body, sizeof(body)) < 0 ||
	    io_full(cs, 1, buf, 12) < 0)
		_exit(6);
	close(cs);
	waitpid(srv, &st, 0);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 7);
}

/*
 * live_ns - a fresh namespace dsimt-TAG-PID with lo up, named in ns.
 * 0, or -1 when this cannot run here (not root, no ip netns): the test
 * named test says it skipped.
 */
static int
live_ns(const char *test, const char *tag, char *ns, size_t nssz)
{
	char cmd[256];

	if (!unit_need_root(test))
		return -1;
	snprintf(ns, nssz, "dsimt-%s-%ld", tag, (long)getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s && ip -n %s link set lo up",
	    ns, ns);
	if (run_cmd(cmd) < 0) {
		/* root that cannot make a namespace: a broken host */
		CU_FAIL("ip netns add failed as root");
		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", ns);
		run_cmd(cmd);
		return -1;
	}
	return 0;
}

/* in_ns - run fn(ns) in a child and wait: whether it exited 0. */
static int
in_ns(void (*fn)(const char *), const char *ns)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		fn(ns);
		_exit(127); /* fn exits itself */
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

#define BURST_PACKETS 4000

/* ns_burst - in namespace ns, send BURST_PACKETS small UDP datagrams to
 * a closed port (each also draws an ICMP reply); exits 0. */
static void
ns_burst(const char *ns)
{
	struct sockaddr_in sa;
	char path[128], msg[200];
	int nsfd, s, i;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	nsfd = open(path, O_RDONLY);
	if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
		_exit(2);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(9);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	memset(msg, 'x', sizeof(msg));
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
		_exit(3);
	for (i = 0; i < BURST_PACKETS; i++)
		sendto(
		    s, msg, sizeof(msg), 0, (struct sockaddr *)&sa, sizeof(sa));
	_exit(0);
}

/*
 * test_live_burst - a burst while the capture process cannot run (it is
 * stopped) is kept whole: the ring holds far more than the 256 packets of
 * libpcap's immediate mode, which dropped packets of busy runs.
 */
static void
test_live_burst(void)
{
	char ns[64], cmd[256], err[256];
	struct capture_stats cs;
	struct capture *cap;

	if (live_ns("capture_burst", "burst", ns, sizeof(ns)) < 0)
		return;
	cap = capture_start(ns, tmp_path("burst", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(cap);
	if (cap != NULL) {
		CU_ASSERT_EQUAL(kill(cap->pid, SIGSTOP), 0);
		CU_ASSERT(in_ns(ns_burst, ns));
		kill(cap->pid, SIGCONT);
		CU_ASSERT_EQUAL(capture_stop_stats(cap, &cs), 0);
		CU_ASSERT_EQUAL(cs.known, 1);
		CU_ASSERT_EQUAL(cs.ps_drop, 0);
		CU_ASSERT_EQUAL(cs.ps_ifdrop, 0);
		CU_ASSERT(cs.written >= 2 * BURST_PACKETS);
		CU_ASSERT(cs.ps_recv >= cs.written);
	} else
		fprintf(stderr, "\n  capture_burst: %s\n", err);
	snprintf(cmd, sizeof(cmd), "ip netns del %s", ns);
	CU_ASSERT_EQUAL(run_cmd(cmd), 0);
}

/* test_live - capture_start/stop in a fresh namespace, then analyse. */
static void
test_live(void)
{
	char ns[64], cmd[256], err[256];
	struct capture *cap;
	struct facts *f;
	unsigned long rcv = 0, drop = 0;

	if (live_ns("capture_live", "pcap", ns, sizeof(ns)) < 0)
		return;
	cap = capture_start(ns, tmp_path("live", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(cap);
	if (cap != NULL) {
		CU_ASSERT(in_ns(ns_traffic, ns));
		CU_ASSERT_EQUAL(capture_stop_counts(cap, &rcv, &drop), 0);
		CU_ASSERT(rcv >= 8);
		CU_ASSERT_EQUAL(drop, 0);
	}
	snprintf(cmd, sizeof(cmd), "ip netns del %s", ns);
	CU_ASSERT_EQUAL(run_cmd(cmd), 0);
	if (cap == NULL) {
		fprintf(stderr, "\n  capture_live: %s\n", err);
		return;
	}
	f = facts_from_pcap(
	    &test_world, tmp_path("live", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->complete, 1);
	CU_ASSERT_EQUAL_FATAL(f->scns[0].nconns, 1);
	CU_ASSERT_EQUAL(f->scns[0].conns[0].mail_plain, 1);
	CU_ASSERT_STRING_EQUAL(f->scns[0].conns[0].mail_from, "live@sut.test");
	CU_ASSERT_EQUAL(f->scns[0].conns[0].gap, 0);
	CU_ASSERT_EQUAL(f->scns[0].conns[0].data_plain, 1);
	CU_ASSERT_EQUAL(f->scns[0].conns[0].msg_plain, 1);
	facts_free(f);

	/* A namespace that does not exist: a clear refusal. */
	cap = capture_start(
	    "dsimt-pcap-none", tmp_path("x", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NULL(cap);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "dsimt-pcap-none"));
	cap = capture_start("../etc", tmp_path("x", ".pcap"), err, sizeof(err));
	CU_ASSERT_PTR_NULL(cap);
	CU_ASSERT_EQUAL(capture_stop(NULL), 0);
}

static CU_TestInfo tests[] = {
    {"golden", test_golden},
    {"real", test_real},
    {"real_tls12", test_real_tls12},
    {"real_ipv6", test_real_ipv6},
    {"ipv6_garbage", test_ipv6_garbage},
    {"capcheck_ipv6", test_capcheck_ipv6},
    {"starttls", test_starttls},
    {"tls13", test_tls13},
    {"sslv2", test_sslv2},
    {"plain", test_plain},
    {"retransmit", test_retransmit},
    {"reorder", test_reorder},
    {"gap", test_gap},
    {"tail_lost", test_tail_lost},
    {"truncated", test_truncated},
    {"dns", test_dns},
    {"dns_tcp", test_dns_tcp},
    {"edge", test_edge},
    {"linktypes", test_linktypes},
    {"errors", test_errors},
    {"capture_live", test_live},
    {"capture_burst", test_live_burst},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("pcap", suite_init, suite_clean, tests);
