/*
 * fuzz_dns.c - libFuzzer target for the fakedns query handler: every
 * input is handed to dns_answer_build() as a packet arriving over UDP or
 * TCP at one of the addresses of a small world (an NSEC zone, an NSEC3
 * zone, faults of every kind), and the reply must be a well-formed
 * response of at most 65535 bytes (1232 over UDP) or no reply at all;
 * a reply without a fault must be byte for byte what ldns_pkt2wire()
 * writes for it, and the query-log line what jansson writes.
 *
 * The zones come from tests/data/fakedns/ under $DANESIM_SRCDIR (default:
 * the current directory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"
#include "dns_log.h"
#include "dns_world.h"
#include "log.h"

static struct dns_world *fw;

/* fuzz_zone - load one test zone or abort the fuzzer. */
static struct dns_zone *
fuzz_zone(const char *file, const char *apex)
{
	const char *top = getenv("DANESIM_SRCDIR");
	char path[4096], err[512];
	struct dns_zone *z;

	snprintf(path, sizeof(path), "%s/tests/data/fakedns/%s",
	    top ? top : ".", file);
	if ((z = dns_zone_load(path, apex, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fuzz_dns: %s\n", err);
		abort();
	}
	return z;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *faults[][3] = {
	    {"sf.example.", "A", "servfail"},
	    {"mx1.example.", "TXT", "refused"},
	    {"mx1.example.", "SSHFP", "drop"},
	    {"mx1.example.", "A", "delay"},
	    {"big.example.", "TXT", "tcp-refuse"},
	    {"_25._tcp.mx1.example.", "ANY", "strip-rrsig"},
	    {"nope.example.", "ANY", "noproof"},
	    {"www.example.", "A", "nxdomain-noproof"},
	    {"mx1.example.", "AAAA", "malformed"},
	    {"nope.example3.", "ANY", "noproof"},
	    {"mx1.example3.", "ANY", "malformed"},
	};
	char err[256];
	size_t i;

	log_init("fuzz_dns", LOG_LVL_ERROR);
	fw = dns_world_new_empty();
	if (dns_world_add_zone(fw, fuzz_zone("example.zone", "example."),
	        "127.53.0.1", "a", NULL, err, sizeof(err)) ||
	    dns_world_add_zone(fw, fuzz_zone("example3.zone", "example3."),
	        "127.53.0.1", "b", NULL, err, sizeof(err)) ||
	    dns_world_add_zone(fw, fuzz_zone("child.zone", "signed.example."),
	        "127.53.0.2", NULL, NULL, err, sizeof(err))) {
		fprintf(stderr, "fuzz_dns: %s\n", err);
		abort();
	}
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		if (dns_world_add_fault(fw, faults[i][0], faults[i][1],
		        faults[i][2], 10, NULL, err, sizeof(err))) {
			fprintf(stderr, "fuzz_dns: %s\n", err);
			abort();
		}
	return 0;
}

/*
 * LLVMFuzzerTestOneInput - byte 0 picks the address (bit 0) and the
 * transport (bit 1); the rest is the packet.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_result res;
	ldns_pkt *p = NULL;
	uint8_t *again = NULL;
	size_t alen = 0;
	char *line, *ref;
	int tcp;

	if (size < 1)
		return 0;
	tcp = (data[0] >> 1) & 1;
	dns_answer_build(fw, data[0] & 1, tcp, data + 1, size - 1, &res);
	if (res.wire != NULL) {
		if (res.action != DNS_ACT_REPLY || res.len < 12 ||
		    res.len > 65535 || !(res.wire[2] & 0x80))
			abort();
		/* only the malformed fault may exceed the UDP limit */
		if (!tcp && res.len > DNS_UDP_MAX &&
		    (res.fault == NULL || strcmp(res.fault, "malformed") != 0))
			abort();
	}
	/* the reply bytes are those ldns itself would write for them */
	if (res.wire != NULL && res.fault == NULL &&
	    ldns_wire2pkt(&p, res.wire, res.len) == LDNS_STATUS_OK) {
		if (ldns_pkt2wire(&again, p, &alen) != LDNS_STATUS_OK ||
		    alen != res.len || memcmp(again, res.wire, alen) != 0)
			abort();
		free(again);
		ldns_pkt_free(p);
	}
	/* the hand-written log line is jansson's */
	line = dns_log_format(
	    1.0, "127.0.0.1:1", "127.53.0.1:53", tcp ? "tcp" : "udp", &res);
	ref = dns_log_format_jansson(
	    1.0, "127.0.0.1:1", "127.53.0.1:53", tcp ? "tcp" : "udp", &res);
	if (strcmp(line, ref) != 0)
		abort();
	free(line);
	free(ref);
	dns_result_free(&res);
	return 0;
}
