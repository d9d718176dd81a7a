/*
 * test_verify.c - tamper evidence (harness/report/verify.c) and the pcapng with
 * embedded TLS secrets (harness/report/pcapng.c): SHA256SUMS in sha256sum's
 * format (bytewise order, escaped names, own files left out), every kind
 * of change found, and capture.pcapng block by block (SHB, IDB, DSB of
 * type TLSK holding the key log, one EPB per packet) and readable by
 * libpcap.
 */
#include "unit.h"

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/report/pcapng.h"
#include "harness/report/verify.h"
#include "test_pcapgen.h"
#include "xmalloc.h"

/* put - write text to dir/name (folders made). */
static void
put(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name), *slash;
	FILE *f;

	for (slash = strchr(p + strlen(dir) + 1, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p, 0755);
		*slash = '/';
	}
	f = fopen(p, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* slurp - the file's bytes (NUL-terminated), *n its length. */
static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long len;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = xmalloc((size_t)len + 1);
	*n = fread(b, 1, (size_t)len, f);
	b[*n] = '\0';
	fclose(f);
	return b;
}

/* check - verify_check into a string; returns the status. */
static int
check(const char *dir, char *out, size_t outsz)
{
	FILE *f = fmemopen(out, outsz, "w");
	int rc;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	rc = verify_check(dir, f);
	fclose(f);
	return rc;
}

/* test_sums - format, order, escaping, and the changes found. */
static void
test_sums(void)
{
	char dir[] = "/tmp/dsim-verify-XXXXXX", out[4096], *p, *text;
	size_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	put(dir, "report.json", "{}\n");
	put(dir, "a.scn", "x");
	put(dir, "a-b.scn", "");
	put(dir, "world/zones/test.zone", "abc");
	put(dir, "odd\\name", "y");
	put(dir, "SHA256SUMS.sig", "stale");
	p = xasprintf("%s/link", dir);
	CU_ASSERT_EQUAL(symlink("report.json", p), 0);
	free(p);
	CU_ASSERT_EQUAL_FATAL(verify_write_sums(dir), 0);
	p = xasprintf("%s/SHA256SUMS", dir);
	text = slurp(p, &n);
	free(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	/* sha256sum's lines, bytewise order ('-' < '.' < 'r' < 'w'), the
	   backslash escaped, the link and our own files left out */
	CU_ASSERT_STRING_EQUAL(text,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	    "  a-b.scn\n"
	    "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
	    "  a.scn\n"
	    "\\a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa"
	    "  odd\\\\name\n"
	    "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356"
	    "  report.json\n"
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	    "  world/zones/test.zone\n");
	free(text);
	p = xasprintf("%s/SHA256SUMS.sig", dir);
	CU_ASSERT_NOT_EQUAL(access(p, F_OK), 0); /* stale signature gone */
	free(p);
	CU_ASSERT_EQUAL(check(dir, out, sizeof(out)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "5 files as listed, 0 problems"));

	put(dir, "world/zones/test.zone", "abd");
	put(dir, "new.txt", "n");
	p = xasprintf("%s/a.scn", dir);
	unlink(p);
	free(p);
	CU_ASSERT_EQUAL(check(dir, out, sizeof(out)), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "changed: world/zones/test.zone\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "missing: a.scn\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "extra: new.txt\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "3 problems"));

	/* a list naming a file outside the folder is refused */
	put(dir, "SHA256SUMS",
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	    "  ../etc/passwd\n");
	CU_ASSERT_EQUAL(check(dir, out, sizeof(out)), 2);
	p = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(p), 0);
	free(p);
	CU_ASSERT_EQUAL(check("/nonexistent-dsim", out, sizeof(out)), 2);
}

/* get32 - a host-order 32-bit value at p. */
static uint32_t
get32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* test_pcapng - blocks in order, the key log inside, libpcap reads it. */
static void
test_pcapng(void)
{
	static const char keylog[] =
	    "CLIENT_RANDOM 0011 2233\n" /* 24 bytes: no padding needed */
	    "SERVER_HANDSHAKE_TRAFFIC_SECRET aa bb\n";
	char dir[] = "/tmp/dsim-pcapng-XXXXXX", why[256], *in, *keys, *outp;
	char *buf, *p;
	struct pg *g;
	struct pg_tcp c;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	size_t n, k;
	int npk = 0, r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	in = xasprintf("%s/capture.pcap", dir);
	keys = xasprintf("%s/tls-keys.log", dir);
	outp = xasprintf("%s/capture.pcapng", dir);
	g = pg_open(in, DLT_EN10MB);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	pg_tcp_init(&c, "127.0.0.1", 40000, "127.25.0.1", 25, 1000, 5000);
	pg_tcp_open(g, &c);
	pg_tcp_sends(g, &c, 1, "220 mx ESMTP\r\n");
	pg_close(g);
	put(dir, "tls-keys.log", keylog);

	CU_ASSERT_EQUAL_FATAL(
	    pcapng_write_with_keys(in, keys, outp, why, sizeof(why)), 0);
	buf = slurp(outp, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	/* SHB: type, length 28, byte-order magic, version 1.0 */
	CU_ASSERT_EQUAL(get32(buf), 0x0A0D0D0Au);
	CU_ASSERT_EQUAL(get32(buf + 4), 28);
	CU_ASSERT_EQUAL(get32(buf + 8), 0x1A2B3C4Du);
	CU_ASSERT_EQUAL(get32(buf + 24), 28);
	p = buf + 28;
	/* IDB: Ethernet */
	CU_ASSERT_EQUAL(get32(p), 1);
	CU_ASSERT_EQUAL(get32(p + 4), 20);
	CU_ASSERT_EQUAL(*(uint16_t *)(void *)(p + 8), DLT_EN10MB);
	p += 20;
	/* DSB: TLSK, the key log, padded to 4 */
	k = sizeof(keylog) - 1;
	CU_ASSERT_EQUAL(get32(p), 0x0000000Au);
	CU_ASSERT_EQUAL(get32(p + 4), 12 + 8 + ((k + 3) & ~(size_t)3));
	CU_ASSERT_EQUAL(get32(p + 8), 0x544c534bu);
	CU_ASSERT_EQUAL(get32(p + 12), k);
	CU_ASSERT_EQUAL(memcmp(p + 16, keylog, k), 0);
	p += get32(p + 4);
	/* then the packets */
	CU_ASSERT_EQUAL(get32(p), 6);
	free(buf);

	pc = pcap_open_offline(outp, why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
	CU_ASSERT_EQUAL(pcap_datalink(pc), DLT_EN10MB);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1)
		npk++;
	CU_ASSERT_EQUAL(r, PCAP_ERROR_BREAK);
	CU_ASSERT_EQUAL(npk, 4); /* SYN, SYN-ACK, ACK, banner */
	pcap_close(pc);

	/* no key log: no secrets block, still a capture */
	unlink(keys);
	CU_ASSERT_EQUAL(
	    pcapng_write_with_keys(in, keys, outp, why, sizeof(why)), 0);
	buf = slurp(outp, &n);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(get32(buf + 28 + 20), 6);
	free(buf);
	/* not a capture: a reason, no file */
	unlink(outp);
	CU_ASSERT_EQUAL(
	    pcapng_write_with_keys(keys, keys, outp, why, sizeof(why)), -1);
	CU_ASSERT(why[0] != '\0');
	CU_ASSERT_NOT_EQUAL(access(outp, F_OK), 0);
	p = xasprintf("rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(p), 0);
	free(p);
	free(in);
	free(keys);
	free(outp);
}

static CU_TestInfo tests[] = {
    {"sums", test_sums},
    {"pcapng", test_pcapng},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("verify", NULL, NULL, tests);
