/*
 * fuzz_facts.c - libFuzzer target for the event-log reader and the
 * verdict engine: the input, split at its first NUL byte, is read as
 * smtp.jsonl and dns.jsonl (fmemopen, facts_from_streams); the facts are
 * scored against a fixed scenario with every expectation kind.
 * Nothing may crash, hang or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/judge/facts.h"
#include "harness/judge/score.h"
#include "scn.h"
#include "log.h"

static const char fuzz_scn_text[] =
    "format 1\n"
    "id kinds\n"
    "title Every expectation kind\n"
    "requirements R-2.2-a\n"
    "severity security\n"
    "zone ${DOMAIN}\n"
    "@   MX 10 mx1\n"
    "@   A  ${ADDR(trap)}\n"
    "mx1 A  ${ADDR(mx1)}\n"
    "end\n"
    "mx mx1\n"
    "end\n"
    "mx trap\n"
    "end\n"
    "expect outcome delivered-tls\n"
    "expect never connect trap\n"
    "expect never mail trap\n"
    "expect never mail-plaintext\n"
    "expect never data-plaintext mx1\n"
    "expect mail-tls mx1\n"
    "expect sni mx1 mx1.kinds.test\n"
    "expect query _25._tcp.mx1.kinds.test TLSA\n"
    "expect never query kinds.test AAAA\n"
    "expect never early-command mx1\n"
    "expect never pipelined-after-tls mx1\n"
    "expect never bdat-after-tls\n"
    "expect never sslv2-hello mx1\n";

static struct scn *fz_scn;
static struct scn_suite fz_suite;
static struct world fz_world;

/* fz_init - parse the scenario once. */
static void
fz_init(void)
{
	struct scn_errors errs = {NULL, 0};

	log_init("fuzz_facts", LOG_LVL_ERROR);
	fz_scn = scn_parse_buf(
	    "kinds.scn", fuzz_scn_text, strlen(fuzz_scn_text), &errs);
	if (fz_scn == NULL)
		abort();
	fz_suite.items = &fz_scn;
	fz_suite.n = 1;
	fz_world.suite = &fz_suite;
}

/* fz_open - a read stream over n bytes (an empty one for n = 0). */
static FILE *
fz_open(const uint8_t *p, size_t n)
{
	static char empty[1];
	FILE *fp = n ? fmemopen((void *)p, n, "r") : fmemopen(empty, 1, "r");

	if (fp == NULL)
		abort();
	if (n == 0)
		fgetc(fp); /* position at the end: an empty log */
	return fp;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul;
	FILE *smtp, *dns;
	struct facts *f;
	struct score_input in;
	struct score_result *r;
	size_t cut;
	int sut;

	if (fz_scn == NULL)
		fz_init();
	nul = memchr(data, 0, size);
	cut = nul ? (size_t)(nul - data) : size;
	smtp = fz_open(data, cut);
	dns = fz_open(nul ? nul + 1 : data, nul ? size - cut - 1 : 0);
	f = facts_from_streams(&fz_world, dns, smtp);
	fclose(smtp);
	fclose(dns);
	for (sut = SCN_SUT_UNKNOWN; sut < SCN_SUT__COUNT; sut++) {
		memset(&in, 0, sizeof(in));
		in.w = NULL; /* names are literal: no world needed */
		in.s = fz_scn;
		in.logs = facts_for(f, fz_scn);
		in.have_smtp = f->have_smtp;
		in.have_dns = f->have_dns;
		/* the same facts as capture, to drive the comparisons */
		in.cap = in.logs;
		in.cap_complete = sut & 1;
		in.sut = (enum scn_sut)sut;
		in.decided = score_decided(in.logs, in.sut);
		r = score_scenario(&in);
		if (r->nexps != fz_scn->nexpects)
			abort();
		score_result_free(r);
	}
	facts_free(f);
	return 0;
}
