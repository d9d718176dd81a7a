/*
 * fuzz_pcap.c - libFuzzer target for the capture analyser
 * (harness/judge/pcapfacts.c): the input is a whole capture file, read through
 * libpcap's offline reader from memory (pcap_fopen_offline on fmemopen),
 * analysed against a small world with MX and name-server addresses, so
 * the TCP, SMTP, TLS and DNS decoders all see fuzzed bytes.
 * Corpus: tests/fuzz/corpus/pcap/ (from the golden captures).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "harness/judge/facts.h"
#include "harness/judge/pcapfacts.h"

static struct scn scn_alpha = {.id = "alpha"};
static struct scn scn_beta = {.id = "beta"};
static struct scn scn_strip = {.id = "striptls"};
static struct scn scn_ustrip = {.id = "tlsa-unusable-striptls"};
static struct scn *items[] = {&scn_alpha, &scn_beta, &scn_strip, &scn_ustrip};
static struct scn_suite suite = {items, 4};
static struct scn_mx mx_alpha = {.name = "mx1"};
static struct scn_mx mx_beta = {.name = "mx1"};
static struct scn_mx mx_trap = {.name = "trap"};
static struct world_mx mxs[] = {
    {.scn = &scn_alpha, .mx = &mx_alpha, .addr = "127.25.0.1"},
    {.scn = &scn_beta, .mx = &mx_beta, .addr = "127.25.0.2"},
    {.scn = &scn_beta, .mx = &mx_trap, .addr = "127.25.0.3"},
};
static struct world_zone zones[] = {
    {.name = ".", .addr = "127.53.0.1"},
    {.name = "test.", .addr = "127.53.0.2"},
    {.name = "alpha.test.", .addr = "127.53.0.3", .scn = &scn_alpha},
    {.name = "beta.test.", .addr = "127.53.0.4", .scn = &scn_beta},
    {.name = "hosting-beta.test.", .addr = "fd00::53", .scn = &scn_beta},
};
static struct world world = {
    .zones = zones,
    .nzones = 5,
    .mxs = mxs,
    .nmxs = 3,
    .suite = &suite,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char ebuf[PCAP_ERRBUF_SIZE], err[256];
	struct pcapfacts_stats st;
	struct facts *f;
	struct buf out;
	pcap_t *p;
	FILE *fp;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "rb");
	if (fp == NULL)
		return 0;
	p = pcap_fopen_offline(fp, ebuf);
	if (p == NULL) {
		fclose(fp);
		return 0;
	}
	f = facts_from_pcap_handle(&world, p, &st, err, sizeof(err));
	if (f != NULL) {
		/* Render too: every string the analyser made must be sane. */
		buf_init(&out);
		pcapfacts_format(f, 1, &out);
		buf_free(&out);
		facts_free(f);
	}
	pcap_close(p); /* closes fp */
	return 0;
}
