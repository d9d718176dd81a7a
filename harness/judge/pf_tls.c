/*
 * pf_tls.c - the TLS layer of the capture analyser (see pf_tls.h): RFC 8446
 * §5.1 records, §4.1.2 ClientHello, §4.1.3 ServerHello and
 * HelloRetryRequest, §4.2.1 supported_versions, §6 alerts; RFC 5246 §7.1
 * ChangeCipherSpec, Appendix E.2 SSL 2.0-compatible ClientHello (whose
 * use RFC 7672 §8.1 rules out); RFC 6066 §3 server_name. What it reads goes to
 * the layer above through the callbacks it registered, never by a call into it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/judge/pf_tls.h"
#include "smtp.h"

/* The special ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
static const uint8_t hrr_random[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61,
    0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11,
    0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33,
    0x9c};

/* tls_version_str - OpenSSL-style name of a protocol version. */
static const char *
tls_version_str(unsigned v)
{
	switch (v) {
	case 0x0002:
		return "SSLv2";
	case 0x0300:
		return "SSLv3";
	case 0x0301:
		return "TLSv1";
	case 0x0302:
		return "TLSv1.1";
	case 0x0303:
		return "TLSv1.2";
	case 0x0304:
		return "TLSv1.3";
	default:
		return NULL;
	}
}

/* is_grease - RFC 8701 reserved values (0x?a?a). */
static int
is_grease(unsigned v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* alert_str - RFC 8446 §6 / RFC 5246 §7.2 alert description name. */
static const char *
alert_str(unsigned d)
{
	switch (d) {
	case 0:
		return "close_notify";
	case 10:
		return "unexpected_message";
	case 20:
		return "bad_record_mac";
	case 22:
		return "record_overflow";
	case 40:
		return "handshake_failure";
	case 42:
		return "bad_certificate";
	case 43:
		return "unsupported_certificate";
	case 44:
		return "certificate_revoked";
	case 45:
		return "certificate_expired";
	case 46:
		return "certificate_unknown";
	case 47:
		return "illegal_parameter";
	case 48:
		return "unknown_ca";
	case 49:
		return "access_denied";
	case 50:
		return "decode_error";
	case 51:
		return "decrypt_error";
	case 70:
		return "protocol_version";
	case 71:
		return "insufficient_security";
	case 80:
		return "internal_error";
	case 86:
		return "inappropriate_fallback";
	case 90:
		return "user_canceled";
	case 109:
		return "missing_extension";
	case 110:
		return "unsupported_extension";
	case 112:
		return "unrecognized_name";
	case 113:
		return "bad_certificate_status_response";
	case 115:
		return "unknown_psk_identity";
	case 116:
		return "certificate_required";
	case 120:
		return "no_application_protocol";
	default:
		return NULL;
	}
}

/* list_add - append ",item" (or "item") to a fixed-size list. */
static void
list_add(char *list, size_t size, const char *item)
{
	size_t n = strlen(list), m = strlen(item);

	if (n + m + 2 > size) {
		if (n + 4 <= size && (n < 3 || strcmp(list + n - 3, "...")))
			strcpy(list + n, n > 0 ? ",.." : "..");
		return;
	}
	if (n > 0)
		list[n++] = ',';
	memcpy(list + n, item, m + 1);
}

/* set_sni - keep the first server_name. */
static void
set_sni(struct pf_tls_hello *c, const uint8_t *p, size_t n)
{
	if (c->sni != NULL)
		return;
	c->sni = p;
	c->sni_len = n;
}

/* parse_client_hello - SNI, versions and suites from a ClientHello body
   into c (zeroed by the caller). */
static void
parse_client_hello(struct pf_tls_hello *c, const uint8_t *p, size_t n)
{
	size_t pos, cs_len, ext_end, el, i, nl;
	unsigned et, v, legacy;
	char item[16];

	if (n < 35)
		return;
	legacy = get16(p);
	pos = 34;
	pos += 1 + p[pos]; /* session id */
	if (pos + 2 > n)
		return;
	cs_len = get16(p + pos);
	pos += 2;
	if (pos + cs_len > n)
		return;
	for (i = 0; i + 1 < cs_len; i += 2) {
		v = get16(p + pos + i);
		if (is_grease(v))
			continue;
		snprintf(item, sizeof(item), "%04x", v);
		list_add(c->suites, sizeof(c->suites), item);
	}
	pos += cs_len;
	if (pos + 1 > n)
		return;
	pos += 1 + p[pos]; /* compression methods */
	if (pos + 2 > n) {
		/* No extensions: the legacy version is the offer. */
		if (tls_version_str(legacy) != NULL)
			list_add(c->offered, sizeof(c->offered),
			    tls_version_str(legacy));
		return;
	}
	ext_end = pos + 2 + get16(p + pos);
	if (ext_end > n)
		ext_end = n;
	pos += 2;
	while (pos + 4 <= ext_end) {
		et = get16(p + pos);
		el = get16(p + pos + 2);
		pos += 4;
		if (pos + el > ext_end)
			break;
		if (et == 0 && el >= 5) {
			/* server_name_list: type 0 = host_name */
			size_t lpos = pos + 2, lend = pos + 2 + get16(p + pos);

			if (lend > pos + el)
				lend = pos + el;
			while (lpos + 3 <= lend) {
				nl = get16(p + lpos + 1);
				if (lpos + 3 + nl > lend)
					break;
				if (p[lpos] == 0) {
					/* RFC 6066 §3: one name per type;
					 * count them all */
					set_sni(c, p + lpos + 3, nl);
					c->sni_names++;
				}
				lpos += 3 + nl;
			}
		} else if (et == 43 && el >= 1) {
			size_t vl = p[pos];

			for (i = 1; i + 1 <= vl && i + 1 < el; i += 2) {
				v = get16(p + pos + i);
				if (is_grease(v) || tls_version_str(v) == NULL)
					continue;
				list_add(c->offered, sizeof(c->offered),
				    tls_version_str(v));
			}
		}
		pos += el;
	}
	if (c->offered[0] == '\0' && tls_version_str(legacy) != NULL)
		list_add(
		    c->offered, sizeof(c->offered), tls_version_str(legacy));
}

/* parse_server_hello - negotiated version; TLS 1.3 and HRR flags. */
static void
parse_server_hello(struct pf_tls *sm, const uint8_t *p, size_t n)
{
	char name[16];
	size_t pos, ext_end, el;
	unsigned v, et;
	int is_hrr;

	if (n < 38)
		return;
	v = get16(p);
	is_hrr = memcmp(p + 2, hrr_random, 32) == 0;
	pos = 34;
	pos += 1 + p[pos];
	pos += 3; /* cipher suite, compression */
	if (pos + 2 <= n) {
		ext_end = pos + 2 + get16(p + pos);
		if (ext_end > n)
			ext_end = n;
		pos += 2;
		while (pos + 4 <= ext_end) {
			et = get16(p + pos);
			el = get16(p + pos + 2);
			pos += 4;
			if (pos + el > ext_end)
				break;
			if (et == 43 && el == 2)
				v = get16(p + pos);
			pos += el;
		}
	}
	if (is_hrr) {
		sm->hrr = 1;
		return;
	}
	sm->sh_seen = 1;
	sm->tls13 = v == 0x0304;
	if (tls_version_str(v) != NULL)
		snprintf(name, sizeof(name), "%s", tls_version_str(v));
	else
		snprintf(name, sizeof(name), "0x%04x", v);
	sm->ops->version(sm->ctx, name);
}

/* tls_handshake - parse the clear handshake messages of direction d. */
static void
tls_handshake(struct pf_tls *sm, int d)
{
	struct pf_tls_dir *t = &sm->dir[d];
	struct pf_tls_hello hello;
	const uint8_t *p;
	size_t pos = 0;
	uint32_t mlen;
	unsigned type;

	while (!t->hs_dead && t->hs.len - pos >= 4) {
		p = (const uint8_t *)t->hs.data + pos;
		type = p[0];
		mlen = get24(p + 1);
		if (mlen > PF_MAX_HS_BUF) {
			t->hs_dead = 1;
			break;
		}
		if (t->hs.len - pos - 4 < mlen)
			break;
		if (d == 0 && type == 1 && sm->hellos++ == 0) {
			memset(&hello, 0, sizeof(hello));
			parse_client_hello(&hello, p + 4, mlen);
			sm->ops->hello(sm->ctx, &hello);
		} else if (d == 1 && type == 2)
			parse_server_hello(sm, p + 4, mlen);
		pos += 4 + mlen;
	}
	if (pos > 0)
		buf_consume(&t->hs, pos);
	if (t->hs.len > PF_MAX_HS_BUF)
		t->hs_dead = 1;
}

/* tls_update_ok - decide whether the handshake completed. */
static void
tls_update_ok(struct pf_tls *sm)
{
	struct pf_tls_dir *cl = &sm->dir[0], *sv = &sm->dir[1];

	if (!sm->sh_seen)
		return;
	if (sm->tls13) {
		/* Client Finished plus one more client record, or server
		 * records (tickets, replies) after the client's Finished. */
		if (cl->enc >= 2 || (cl->enc >= 1 && sv->enc_after >= 1))
			sm->ops->established(sm->ctx);
	} else {
		/* Both ChangeCipherSpec and a Finished after each. */
		if (cl->ccs && cl->enc >= 1 && sv->ccs && sv->enc >= 1)
			sm->ops->established(sm->ctx);
	}
}

/* tls_record - one complete record of direction d. */
static void
tls_record(
    struct pf_tls *sm, int d, unsigned type, const uint8_t *body, size_t len)
{
	struct pf_tls_dir *t = &sm->dir[d];
	/* TLS 1.2 encrypts after ChangeCipherSpec, which follows the
	 * ServerHello; in TLS 1.3 a CCS is only a compatibility no-op (it may
	 * even precede a second ClientHello after a HelloRetryRequest). */
	int encrypted = t->ccs && sm->sh_seen && !sm->tls13, counted = 0;
	const char *name;
	char buf[64], text[128];

	t->records++;
	switch (type) {
	case 20: /* change_cipher_spec */
		t->ccs = 1;
		break;
	case 21: /* alert */
		if (encrypted) {
			t->enc++;
			counted = 1;
			break;
		}
		if (len >= 2) {
			name = alert_str(body[1]);
			if (name == NULL) {
				snprintf(buf, sizeof(buf), "alert%u", body[1]);
				name = buf;
			}
			snprintf(text, sizeof(text), "%s %s %s",
			    d == 0 ? "client" : "server",
			    body[0] == 2 ? "fatal" : "warning", name);
			sm->ops->alert(sm->ctx, text);
		}
		break;
	case 22: /* handshake */
		if (encrypted) {
			t->enc++;
			counted = 1;
			break;
		}
		if (t->hs_dead)
			break;
		buf_append(&t->hs, body, len);
		tls_handshake(sm, d);
		break;
	case 23: /* application_data (and every TLS 1.3 encrypted record) */
		t->enc++;
		counted = 1;
		break;
	default:
		break;
	}
	if (d == 1 && counted && sm->dir[0].enc >= 1)
		t->enc_after++;
	tls_update_ok(sm);
}

/* looks_like_record - a plausible TLS record header at p (5 bytes). */
static int
looks_like_record(const uint8_t *p)
{
	return p[0] >= 20 && p[0] <= 24 && p[1] == 3 && p[2] <= 4 &&
	       get16(p + 3) <= PF_MAX_TLS_RECORD;
}

/* set_first - the client's first record is fmt: note it, tell above. */
static void
set_first(struct pf_tls *sm, enum pf_tls_first fmt)
{
	sm->first = fmt;
	sm->ops->first(sm->ctx, fmt);
}

/*
 * sslv2_hello - an SSL 2.0-compatible ClientHello at p (RFC 6101 Appendix
 * E.2, RFC 5246 Appendix E.2): a two-byte record header with the high bit
 * set, then msg_type 1. It has no room for extensions, so no SNI (RFC 7672
 * §8.1). Returns the record's length (header included) when the n bytes
 * hold a whole one, 0 when more bytes are needed, -1 when p is no such
 * hello. A whole one is the connection's first ClientHello (ops->hello,
 * with its version and without SNI or suites).
 */
static long
sslv2_hello(struct pf_tls *sm, const uint8_t *p, size_t n)
{
	struct pf_tls_hello hello;
	size_t len;
	unsigned v;

	if (n < 1 || !(p[0] & 0x80))
		return -1;
	if (n < 3)
		return 0;
	if (p[2] != 1)
		return -1;
	set_first(sm, PF_TLS_FIRST_SSLV2);
	len = (size_t)(p[0] & 0x7f) << 8 | p[1];
	if (len < 9 || len > PF_MAX_TLS_RECORD)
		return -1;
	if (n < 2 + len)
		return 0;
	if (sm->hellos++ == 0) {
		memset(&hello, 0, sizeof(hello));
		v = get16(p + 3);
		if (tls_version_str(v) != NULL)
			list_add(hello.offered, sizeof(hello.offered),
			    tls_version_str(v));
		sm->ops->hello(sm->ctx, &hello);
	}
	return (long)(2 + len);
}

void
pf_tls_init(struct pf_tls *t, const struct pf_tls_ops *ops, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->ctx = ctx;
	buf_init(&t->dir[0].hs);
	buf_init(&t->dir[1].hs);
}

void
pf_tls_free(struct pf_tls *t)
{
	buf_free(&t->dir[0].hs);
	buf_free(&t->dir[1].hs);
}

size_t
pf_tls_feed(struct pf_tls *sm, int d, const uint8_t *p, size_t n, int *dead)
{
	struct pf_tls_dir *t = &sm->dir[d];
	size_t pos = 0, consumed, rlen;
	long ll, v2;

	while (n - pos >= 5 || (t->records == 0 && n - pos > 0)) {
		if (d == 0 && t->records == 0 &&
		    sm->first != PF_TLS_FIRST_OTHER &&
		    (v2 = sslv2_hello(sm, p + pos, n - pos)) >= 0) {
			if (v2 == 0)
				break; /* the rest of the hello still to come */
			t->records++;
			pos += (size_t)v2;
			continue;
		}
		if (n - pos >= 5 && looks_like_record(p + pos)) {
			rlen = get16(p + pos + 3);
			if (d == 0 && t->records == 0)
				set_first(sm, PF_TLS_FIRST_TLS);
			if (n - pos < 5 + rlen)
				break;
			tls_record(sm, d, p[pos], p + pos + 5, rlen);
			pos += 5 + rlen;
			continue;
		}
		if (t->records > 0) {
			*dead = 1;
			return pos;
		}
		if (n - pos < 5 && p[pos] >= 20 && p[pos] <= 24)
			break; /* maybe a record header still arriving */
		if (d == 0 && sm->first == PF_TLS_FIRST_NONE)
			set_first(sm, PF_TLS_FIRST_OTHER);
		/* Clear text where TLS should be. */
		ll = smtp_line_end((const char *)p + pos, n - pos, &consumed);
		if (ll < 0) {
			if (n - pos > PF_MAX_LINE_BUF)
				*dead = 1;
			break;
		}
		sm->ops->clear(sm->ctx, d, (const char *)p + pos, (size_t)ll);
		pos += consumed;
	}
	return pos;
}
