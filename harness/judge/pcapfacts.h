/*
 * pcapfacts.h - the offline capture analyser: a pcap file of a run turned
 * into the same struct facts (facts.h) that the fake servers' event logs
 * give, so the verdict engine can compare the two sources.
 *
 * What it sees: TCP connections to the world's MX addresses (SYN = a
 * connection attempt), the SMTP dialogue in clear up to STARTTLS (via
 * lib/smtp.h), the TLS records after it (ClientHello SNI, offered
 * versions and suites, ServerHello version, alerts in clear, whether the
 * handshake completed), and DNS over UDP and TCP (via ldns): the
 * resolver's queries to the fake name servers and the resolver's answers
 * to the SUT (AD bit). It never decrypts: MAIL FROM inside TLS is not
 * visible (facts_conn.mail_tls stays 0).
 *
 * A gap in a TCP stream (a segment that never appears in the capture) is
 * marked in facts_conn.gap and parsing of that direction stops there:
 * nothing after a gap is guessed. A lost tail is a gap too: bytes the
 * peer acknowledged that the capture lacks, or a direction of an
 * established connection that ends without FIN or RST.
 */
#ifndef DSIM_PCAPFACTS_H
#define DSIM_PCAPFACTS_H

#include <stddef.h>

#include <pcap/pcap.h>

#include "buf.h"
#include "harness/judge/facts.h"
#include "harness/world/model.h"

/* Counters of one analysis (for benchmarks and diagnostics). */
struct pcapfacts_stats {
	unsigned long packets;    /* records read from the file */
	unsigned long long bytes; /* captured bytes of those records */
	unsigned long skipped;    /* not IP/TCP/UDP, too short, malformed */
	unsigned long fragments;  /* IP fragments (not reassembled) */
	unsigned long tcp_flows;  /* SMTP and DNS-over-TCP flows followed */
	unsigned long dns_msgs;   /* DNS messages decoded */
	unsigned long dns_bad;    /* DNS payloads ldns rejected */
	unsigned long gaps;       /* stream directions with a gap */
	unsigned long stray;      /* DNS/SMTP of no scenario of the world */
};

/*
 * facts_from_pcap - analyse the capture file at pcap_path (pcap or pcapng;
 * link types EN10MB, NULL, LOOP, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6)
 * against world w (addresses and scenarios; w may be NULL: then nothing
 * is attributed). Returns a new struct facts (src FACTS_SRC_CAPTURE, one
 * facts_scn per suite scenario; free with facts_free), with complete = 0
 * and a note when the file is damaged or truncated part-way. Returns NULL
 * with the reason in err (errsz bytes) when the file cannot be read as a
 * capture at all or has an unsupported link type. Not logged.
 */
struct facts *facts_from_pcap(
    const struct world *w, const char *pcap_path, char *err, size_t errsz);

/*
 * facts_from_pcap_handle - as facts_from_pcap, from an offline handle the
 * caller opened (e.g. pcap_fopen_offline on fmemopen) and still owns.
 * stats, if not NULL, receives the counters.
 */
struct facts *facts_from_pcap_handle(const struct world *w, pcap_t *p,
    struct pcapfacts_stats *stats, char *err, size_t errsz);

/*
 * pcapfacts_format - append a stable, line-oriented text rendering of f
 * to out (one line per connection and per query, per scenario), as used
 * by the golden files in tests/data/pcap/. Times are left out unless
 * with_times is set.
 */
void pcapfacts_format(const struct facts *f, int with_times, struct buf *out);

#endif /* DSIM_PCAPFACTS_H */
