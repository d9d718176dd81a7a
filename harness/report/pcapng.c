/*
 * pcapng.c - write capture.pcapng with embedded TLS secrets (pcapng.h).
 * Block layouts from the pcapng specification
 * (draft-ietf-opsawg-pcapng, sections 4.1 SHB, 4.2 IDB, 4.3 EPB and 4.7
 * DSB). Every block is written in host byte order, which the byte-order
 * magic of the section header announces.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "harness/report/pcapng.h"
#include "xmalloc.h"

#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_DSB 0x0000000Au
#define PCAPNG_TLSK 0x544c534bu /* "TLSK": NSS key log */
#define PCAPNG_MAGIC 0x1A2B3C4Du
#define PCAPNG_KEYLOG_MAX (16 << 20)

/* put32 / put16 - append host-order integers. */
static void
put32(struct buf *b, uint32_t v)
{
	buf_append(b, &v, 4);
}

static void
put16(struct buf *b, uint16_t v)
{
	buf_append(b, &v, 2);
}

/* pad4 - zero bytes up to a multiple of four. */
static void
pad4(struct buf *b, size_t n)
{
	static const char zero[4];

	if (n % 4)
		buf_append(b, zero, 4 - n % 4);
}

/* block - wrap body as one block of type into b: type, total length,
   body (padded), total length again. */
static void
block(struct buf *b, uint32_t type, const struct buf *body)
{
	uint32_t total = 12 + (uint32_t)((body->len + 3) & ~(size_t)3);

	put32(b, type);
	put32(b, total);
	if (body->len)
		buf_append(b, body->data, body->len);
	pad4(b, body->len);
	put32(b, total);
}

/* flush - write b to f and empty it; -1 on a write error. */
static int
flush(FILE *f, struct buf *b)
{
	int rc = 0;

	if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
		rc = -1;
	buf_reset(b);
	return rc;
}

/* read_all - the file at path into b (missing file: empty); -1 on error. */
static int
read_all(const char *path, struct buf *b)
{
	char chunk[8192];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (b->len <= PCAPNG_KEYLOG_MAX &&
	       (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return b->len > PCAPNG_KEYLOG_MAX ? -1 : 0;
}

int
pcapng_write_with_keys(const char *pcap_path, const char *keylog_path,
    const char *out_path, char *why, size_t whysz)
{
	char errbuf[PCAP_ERRBUF_SIZE], *tmp = NULL;
	struct buf out, body, keys;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = NULL;
	FILE *f = NULL;
	uint64_t ts;
	int rc = -1, r;

	buf_init(&out);
	buf_init(&body);
	buf_init(&keys);
	why[0] = '\0';
	if ((p = pcap_open_offline(pcap_path, errbuf)) == NULL) {
		snprintf(why, whysz, "%s: %s", pcap_path, errbuf);
		goto out;
	}
	if (read_all(keylog_path, &keys) < 0) {
		snprintf(why, whysz,
		    "%s: cannot read (or larger than %d bytes)", keylog_path,
		    PCAPNG_KEYLOG_MAX);
		goto out;
	}
	tmp = xasprintf("%s.tmp", out_path);
	if ((f = fopen(tmp, "wb")) == NULL) {
		snprintf(why, whysz, "%s: %s", tmp, strerror(errno));
		goto out;
	}

	/* Section header: magic, version 1.0, section length unknown. */
	put32(&body, PCAPNG_MAGIC);
	put16(&body, 1);
	put16(&body, 0);
	put32(&body, 0xffffffffu);
	put32(&body, 0xffffffffu);
	block(&out, PCAPNG_SHB, &body);
	buf_reset(&body);

	/* One interface: the link type and snap length of the capture;
	   timestamps in microseconds (the default if_tsresol). */
	put16(&body, (uint16_t)pcap_datalink(p));
	put16(&body, 0);
	put32(&body, (uint32_t)pcap_snapshot(p));
	block(&out, PCAPNG_IDB, &body);
	buf_reset(&body);

	/* The secrets come before any packet that needs them. */
	if (keys.len > 0) {
		put32(&body, PCAPNG_TLSK);
		put32(&body, (uint32_t)keys.len);
		buf_append(&body, keys.data, keys.len);
		block(&out, PCAPNG_DSB, &body);
		buf_reset(&body);
	}
	if (flush(f, &out) < 0)
		goto werr;

	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		ts =
		    (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		put32(&body, 0); /* interface 0 */
		put32(&body, (uint32_t)(ts >> 32));
		put32(&body, (uint32_t)ts);
		put32(&body, h->caplen);
		put32(&body, h->len);
		buf_append(&body, data, h->caplen);
		block(&out, PCAPNG_EPB, &body);
		buf_reset(&body);
		if (out.len > 65536 && flush(f, &out) < 0)
			goto werr;
	}
	if (r == PCAP_ERROR)
		/* A capture cut short (the run was killed) still gives
		 * every whole packet before the cut. */
		snprintf(why, whysz, "%s: %s (packets before it kept)",
		    pcap_path, pcap_geterr(p));
	if (flush(f, &out) < 0)
		goto werr;
	if (fclose(f) != 0) {
		f = NULL;
		goto werr;
	}
	f = NULL;
	if (rename(tmp, out_path) < 0) {
		snprintf(
		    why, whysz, "rename %s: %s", out_path, strerror(errno));
		goto out;
	}
	rc = 0;
	goto out;
werr:
	snprintf(why, whysz, "%s: write failed", tmp);
out:
	if (f != NULL)
		fclose(f);
	if (rc < 0 && tmp != NULL)
		unlink(tmp);
	if (p != NULL)
		pcap_close(p);
	free(tmp);
	buf_free(&out);
	buf_free(&body);
	buf_free(&keys);
	return rc;
}
