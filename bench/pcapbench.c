/*
 * pcapbench.c - helper of bench/analyser: synthesise a large capture of a
 * run and time the capture analyser (harness/judge/pcapfacts.c) on it.
 *
 *   pcapbench gen FILE MB     write about MB megabytes of a run's traffic:
 *                             per scenario the resolver's DNS queries and
 *                             answers, the SUT's own lookups, and SMTP
 *                             connections (STARTTLS + TLS 1.3 with a
 *                             message of encrypted records, or plain SMTP
 *                             with retransmissions), all on loopback
 *   pcapbench run FILE [N]    analyse FILE N times (default 3) against the
 *                             matching world; print the best time as
 *                             "analyser: BYTES bytes PACKETS packets W s wall
 *                             C s cpu (...)"
 *
 * The world has BENCH_SCENARIOS scenarios "bench-NNN" with the addresses
 * docs/internals.md gives (zone z at 127.53.(z/200).(z%200+1), MX h at
 * 127.25.(h/200).(h%200+1)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/judge/facts.h"
#include "harness/judge/pcapfacts.h"
#include "tests/unit/test_pcapgen.h"
#include "xmalloc.h"

#define BENCH_SCENARIOS 200

struct bench_world {
	struct scn scns[BENCH_SCENARIOS];
	struct scn *items[BENCH_SCENARIOS];
	struct scn_suite suite;
	struct scn_mx mx;
	struct world_mx mxs[BENCH_SCENARIOS];
	struct world_zone zones[BENCH_SCENARIOS + 2];
	char ids[BENCH_SCENARIOS][16];
	char maddr[BENCH_SCENARIOS][20];
	char zaddr[BENCH_SCENARIOS + 2][20];
	char zname[BENCH_SCENARIOS + 2][32];
	struct world w;
};

/* addr_of - "127.B.x.y" for number n (docs/internals.md). */
static void
addr_of(char *out, size_t sz, int b, int n)
{
	snprintf(out, sz, "127.%d.%d.%d", b, n / 200, n % 200 + 1);
}

/* world_init - the benchmark's world. */
static void
world_init(struct bench_world *bw)
{
	int i;

	memset(bw, 0, sizeof(*bw));
	bw->mx.name = "mx1";
	for (i = 0; i < BENCH_SCENARIOS + 2; i++) {
		addr_of(bw->zaddr[i], sizeof(bw->zaddr[i]), 53, i);
		bw->zones[i].addr = bw->zaddr[i];
		bw->zones[i].name = bw->zname[i];
	}
	snprintf(bw->zname[0], sizeof(bw->zname[0]), ".");
	snprintf(bw->zname[1], sizeof(bw->zname[1]), "test.");
	for (i = 0; i < BENCH_SCENARIOS; i++) {
		snprintf(bw->ids[i], sizeof(bw->ids[i]), "bench-%03d", i);
		bw->scns[i].id = bw->ids[i];
		bw->items[i] = &bw->scns[i];
		addr_of(bw->maddr[i], sizeof(bw->maddr[i]), 25, i);
		bw->mxs[i].scn = &bw->scns[i];
		bw->mxs[i].mx = &bw->mx;
		bw->mxs[i].addr = bw->maddr[i];
		snprintf(bw->zname[i + 2], sizeof(bw->zname[i + 2]), "%s.test.",
		    bw->ids[i]);
		bw->zones[i + 2].scn = &bw->scns[i];
	}
	bw->suite.items = bw->items;
	bw->suite.n = BENCH_SCENARIOS;
	bw->w.suite = &bw->suite;
	bw->w.mxs = bw->mxs;
	bw->w.nmxs = BENCH_SCENARIOS;
	bw->w.zones = bw->zones;
	bw->w.nzones = BENCH_SCENARIOS + 2;
}

/* dns - a query from the resolver to server and its answer. */
static void
dns(struct pg *g, const char *cli, int cport, const char *srv, int id,
    const char *qname, const char *qtype, int ad)
{
	uint8_t b[1024];
	size_t n;

	n = pg_dns(b, sizeof(b), (uint16_t)id, qname, qtype, 0, 0, 0, 1);
	pg_udp(g, cli, (uint16_t)cport, srv, 53, b, n);
	n = pg_dns(b, sizeof(b), (uint16_t)id, qname, qtype, 1, 0, ad, 1);
	pg_udp(g, srv, 53, cli, (uint16_t)cport, b, n);
}

/* smtp_tls - a STARTTLS session with a message of msg bytes in TLS. */
static void
smtp_tls(struct pg *g, const char *mx, int cport, const char *sni, size_t msg)
{
	static uint8_t b[70000];
	struct pg_tcp c;
	size_t n, left, k;

	pg_tcp_init(&c, "127.0.0.1", (uint16_t)cport, mx, 25,
	    (uint32_t)cport * 7919u, (uint32_t)cport * 104729u);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP danesim\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1,
	    "250-mx1\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-8BITMIME\r\n250 STARTTLS\r\n");
	pg_tcp_sends(g, &c, 0, "STARTTLS\r\n");
	pg_tcp_sends(g, &c, 1, "220 2.0.0 Ready to start TLS\r\n");
	n = pg_client_hello(b, sizeof(b), sni, 1);
	pg_tcp_send(g, &c, 0, b, n);
	n = pg_server_hello(b, sizeof(b), 1, 0);
	n += pg_record(b + n, sizeof(b) - n, 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 23, 1200);
	n += pg_record(b + n, sizeof(b) - n, 23, 300);
	n += pg_record(b + n, sizeof(b) - n, 23, 60);
	pg_tcp_send(g, &c, 1, b, n);
	n = pg_record(b, sizeof(b), 20, 1);
	n += pg_record(b + n, sizeof(b) - n, 23, 60);
	pg_tcp_send(g, &c, 0, b, n);
	n = pg_record(b, sizeof(b), 23, 250);
	pg_tcp_send(g, &c, 1, b, n);
	/* The message: one full record per loopback segment, each ACKed
	 * by the server every other segment. */
	for (left = msg, k = 0; left > 0; k++) {
		size_t chunk = left > 16384 ? 16384 : left;

		n = pg_record(b, sizeof(b), 23, chunk);
		pg_tcp_send(g, &c, 0, b, n);
		left -= chunk;
		if (k % 2 == 1)
			pg_tcp_raw(g, &c, 1, c.sseq, PG_ACK, NULL, 0);
	}
	n = pg_record(b, sizeof(b), 23, 40);
	pg_tcp_send(g, &c, 1, b, n);
	pg_tcp_close(g, &c);
}

/* smtp_plain - a session in clear with one retransmitted segment. */
static void
smtp_plain(struct pg *g, const char *mx, int cport, size_t msg)
{
	static char body[70000];
	const char *mail = "MAIL FROM:<sender@sut.test>\r\n";
	struct pg_tcp c;
	uint32_t seq;
	size_t i, k;

	pg_tcp_init(&c, "127.0.0.1", (uint16_t)cport, mx, 25,
	    (uint32_t)cport * 31u, (uint32_t)cport * 37u);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx1 ESMTP danesim\r\n");
	pg_tcp_sends(g, &c, 0, "EHLO sut.test\r\n");
	pg_tcp_sends(g, &c, 1, "250-mx1\r\n250 PIPELINING\r\n");
	seq = c.cseq;
	pg_tcp_sends(g, &c, 0, mail);
	pg_tcp_raw(g, &c, 0, seq, PG_ACK | PG_PSH, mail, strlen(mail));
	pg_tcp_sends(g, &c, 1, "250 2.1.0 Ok\r\n");
	pg_tcp_sends(g, &c, 0, "RCPT TO:<rcpt@bench.test>\r\nDATA\r\n");
	pg_tcp_sends(g, &c, 1, "250 2.1.5 Ok\r\n354 go ahead\r\n");
	for (k = 0; k + 80 < sizeof(body) && k < msg; k += 78) {
		for (i = 0; i < 76; i++)
			body[k + i] = (char)('a' + (k + i) % 26);
		body[k + 76] = '\r';
		body[k + 77] = '\n';
	}
	pg_tcp_send(g, &c, 0, body, k);
	pg_tcp_sends(g, &c, 0, ".\r\n");
	pg_tcp_sends(g, &c, 1, "250 2.0.0 queued\r\n");
	pg_tcp_sends(g, &c, 0, "QUIT\r\n");
	pg_tcp_sends(g, &c, 1, "221 2.0.0 Bye\r\n");
	pg_tcp_close(g, &c);
}

/* gen - write about mb megabytes. */
static int
gen(const char *path, long mb)
{
	struct bench_world bw;
	char name[128], sni[64];
	struct pg *g;
	int i, port = 10000, id = 1;

	world_init(&bw);
	g = pg_open(path, DLT_EN10MB);
	if (g == NULL) {
		fprintf(stderr, "pcapbench: cannot write %s\n", path);
		return 1;
	}
	g->step = 0.00001;
	while (g->bytes < (unsigned long long)mb * 1024 * 1024) {
		for (i = 0; i < BENCH_SCENARIOS; i++) {
			const char *z = bw.zaddr[i + 2];

			snprintf(name, sizeof(name), "%s.test.", bw.ids[i]);
			dns(g, "127.0.0.1", 20000 + id % 30000, bw.zaddr[1], id,
			    name, "DS", 0);
			id++;
			dns(g, "127.0.0.1", 20000 + id % 30000, z, id, name,
			    "DNSKEY", 0);
			id++;
			dns(g, "127.0.0.1", 20000 + id % 30000, z, id, name,
			    "MX", 0);
			id++;
			snprintf(name, sizeof(name), "mx1.%s.test.", bw.ids[i]);
			dns(g, "127.0.0.1", 20000 + id % 30000, z, id, name,
			    "A", 0);
			id++;
			snprintf(name, sizeof(name), "_25._tcp.mx1.%s.test.",
			    bw.ids[i]);
			dns(g, "127.0.0.1", 20000 + id % 30000, z, id, name,
			    "TLSA", 0);
			id++;
			dns(g, "127.0.0.1", 20000 + id % 30000, "127.0.0.1", id,
			    name, "TLSA", 1);
			id++;
			snprintf(sni, sizeof(sni), "mx1.%s.test", bw.ids[i]);
			if (i % 4 == 3)
				smtp_plain(g, bw.maddr[i], port, 8000);
			else
				smtp_tls(g, bw.maddr[i], port, sni, 40000);
			port = port >= 60000 ? 10000 : port + 1;
		}
	}
	pg_close(g);
	return 0;
}

/* now_s - seconds on clock id. */
static double
now_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* run - analyse path n times; print the best. */
static int
run(const char *path, int n)
{
	struct bench_world bw;
	struct pcapfacts_stats st;
	char ebuf[PCAP_ERRBUF_SIZE], err[256];
	struct facts *f;
	double best = 1e30, bestcpu = 1e30, t0, c0, t, cpu;
	size_t conns = 0, queries = 0, i, gaps = 0, tls = 0;
	pcap_t *p;
	int k;

	world_init(&bw);
	for (k = 0; k < n; k++) {
		p = pcap_open_offline(path, ebuf);
		if (p == NULL) {
			fprintf(stderr, "pcapbench: %s\n", ebuf);
			return 1;
		}
		t0 = now_s(CLOCK_MONOTONIC);
		c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
		f = facts_from_pcap_handle(&bw.w, p, &st, err, sizeof(err));
		t = now_s(CLOCK_MONOTONIC) - t0;
		cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		pcap_close(p);
		if (f == NULL) {
			fprintf(stderr, "pcapbench: %s\n", err);
			return 1;
		}
		if (t < best)
			best = t;
		if (cpu < bestcpu)
			bestcpu = cpu;
		conns = queries = gaps = tls = 0;
		for (i = 0; i < f->n; i++) {
			size_t j;

			conns += f->scns[i].nconns;
			queries += f->scns[i].nqueries;
			for (j = 0; j < f->scns[i].nconns; j++) {
				gaps += f->scns[i].conns[j].gap != 0;
				tls += f->scns[i].conns[j].tls_ok != 0;
			}
		}
		facts_free(f);
	}
	printf("analyser: %llu bytes %lu packets %.4f s wall %.4f s cpu "
	       "(%zu connections, %zu with TLS, %zu gaps, %zu queries)\n",
	    st.bytes, st.packets, best, bestcpu, conns, tls, gaps, queries);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "run") == 0)
		return run(argv[2], argc == 4 ? atoi(argv[3]) : 3);
	fprintf(stderr, "usage: pcapbench gen FILE MB | run FILE [N]\n");
	return 2;
}
