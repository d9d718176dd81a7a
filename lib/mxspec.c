/*
 * mxspec.c - the tables of STARTTLS modes, SMTP stages and yes/no MX
 * behaviours (mxspec.h). A new behaviour is one row here; the parser,
 * the world builder and fakemx pick it up from the table.
 */
#include "mxspec.h"

#include <string.h>
#include <strings.h>

#include "vocab.h"

static const char *const starttls_names[MXS_STLS__COUNT] = {
    [MXS_STLS_OFFER] = "offer",
    [MXS_STLS_STRIP] = "strip",
    [MXS_STLS_MANGLE] = "mangle",
};

static const char *const stage_names[MXS_STAGE__COUNT] = {
    [MXS_STAGE_BANNER] = "banner",
    [MXS_STAGE_EHLO] = "ehlo",
    [MXS_STAGE_STARTTLS] = "starttls",
    [MXS_STAGE_MAIL] = "mail",
    [MXS_STAGE_RCPT] = "rcpt",
    [MXS_STAGE_DATA] = "data",
    [MXS_STAGE_DOT] = "dot",
};

static const char *const phase_names[MXS_PHASE__COUNT] = {
    [MXS_PHASE_BEFORE_TLS] = "before-tls",
    [MXS_PHASE_AFTER_TLS] = "after-tls",
};

static const char *const phase_json[MXS_PHASE__COUNT] = {
    [MXS_PHASE_BEFORE_TLS] = "before_tls",
    [MXS_PHASE_AFTER_TLS] = "after_tls",
};

/*
 * The JSON key of a row is not written here: mxs_flag_json derives it
 * from the directive and the value (flag_json_key), so the scenario
 * line "after-handshake close" is "after_handshake_close" in
 * fakemx.json and in fakemx's events, with no second spelling to drift.
 */
static const struct mxs_flag_spec flag_table[MXS_FLAG__COUNT] = {
    [MXS_FLAG_HANDSHAKE_FAIL] = {"handshake", "fail",
        "answer the ClientHello with a handshake_failure alert"},
    [MXS_FLAG_CLOSE_AFTER_HANDSHAKE] = {"after-handshake", "close",
        "close the connection right after the TLS handshake"},
    [MXS_FLAG_EHLO_AFTER_TLS_STARTTLS] = {"ehlo-after-tls", "starttls",
        "advertise STARTTLS again in the EHLO reply inside TLS"},
};

/* The derived keys, filled on first use by flag_json_keys. */
static char flag_json[MXS_FLAG__COUNT][64];

const char *
mxs_starttls_str(enum mxs_starttls m)
{
	return (unsigned)m < MXS_STLS__COUNT ? starttls_names[m] : "?";
}

const char *
mxs_stage_str(enum mxs_stage st)
{
	return (unsigned)st < MXS_STAGE__COUNT ? stage_names[st] : "none";
}

const char *
mxs_tls_phase_str(enum mxs_tls_phase ph)
{
	return (unsigned)ph < MXS_PHASE__COUNT ? phase_names[ph] : "?";
}

const char *
mxs_tls_phase_json(enum mxs_tls_phase ph)
{
	return (unsigned)ph < MXS_PHASE__COUNT ? phase_json[ph] : "?";
}

int
mxs_tls_phase_from_str(const char *s)
{
	return vocab_lookup(phase_names, MXS_PHASE__COUNT, s);
}

/* alnum - an ASCII letter or digit. */
static int
alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

int
mxs_ehlo_keyword_ok(const char *line, const char **why)
{
	const char *p = line;
	size_t kl;

	*why = NULL;
	if (line == NULL || !alnum(*p)) {
		*why = "an EHLO keyword starts with a letter or digit";
		return 0;
	}
	while (alnum(*p) || *p == '-')
		p++;
	kl = (size_t)(p - line);
	if (kl == 8 && strncasecmp(line, "STARTTLS", 8) == 0) {
		*why = "STARTTLS is advertised by the 'starttls' mode, not "
		       "listed";
		return 0;
	}
	while (*p == ' ') {
		p++;
		if (*p <= ' ' || *p > '~') {
			*why = "EHLO parameters are printable words after "
			       "single blanks";
			return 0;
		}
		while (*p > ' ' && *p <= '~')
			p++;
	}
	if (*p != '\0') {
		*why = "an EHLO keyword holds only letters, digits and '-', "
		       "then parameters";
		return 0;
	}
	if (strlen(line) > 500) {
		*why = "an EHLO keyword line is at most 500 characters";
		return 0;
	}
	return 1;
}

int
mxs_starttls_from_str(const char *name)
{
	return vocab_lookup(starttls_names, MXS_STLS__COUNT, name);
}

enum mxs_stage
mxs_stage_from_str(const char *name)
{
	int i = vocab_lookup(stage_names, MXS_STAGE__COUNT, name);

	return i < 0 ? MXS_STAGE_NONE : (enum mxs_stage)i;
}

const struct mxs_flag_spec *
mxs_flag(enum mxs_flag f)
{
	return &flag_table[f];
}

int
mxs_flag_json_key(
    char *buf, size_t size, const char *directive, const char *value)
{
	size_t n = 0;
	const char *w;
	int part;

	if (size == 0)
		return -1;
	for (part = 0; part < 2; part++) {
		if (part == 1) {
			if (n + 1 >= size)
				goto toolong;
			buf[n++] = '_';
		}
		for (w = part == 0 ? directive : value; *w != '\0'; w++) {
			if (n + 1 >= size)
				goto toolong;
			buf[n++] = *w == '-' ? '_' : *w;
		}
	}
	buf[n] = '\0';
	return 0;
toolong:
	buf[0] = '\0';
	return -1;
}

/* flag_json_keys - derive every row's JSON key once. */
static void
flag_json_keys(void)
{
	int i;

	if (flag_json[0][0] != '\0')
		return;
	for (i = 0; i < MXS_FLAG__COUNT; i++)
		(void)mxs_flag_json_key(flag_json[i], sizeof(flag_json[i]),
		    flag_table[i].directive, flag_table[i].value);
}

const char *
mxs_flag_json(enum mxs_flag f)
{
	flag_json_keys();
	return flag_json[f];
}

int
mxs_flag_by_directive(const char *d)
{
	int i;

	for (i = 0; d != NULL && i < MXS_FLAG__COUNT; i++)
		if (strcmp(flag_table[i].directive, d) == 0)
			return i;
	return -1;
}

int
mxs_flag_by_json(const char *key)
{
	int i;

	flag_json_keys();
	for (i = 0; key != NULL && i < MXS_FLAG__COUNT; i++)
		if (strcmp(flag_json[i], key) == 0)
			return i;
	return -1;
}

const char *
mxs_starttls_list(void)
{
	static char buf[128];

	return vocab_list(buf, sizeof(buf), starttls_names, MXS_STLS__COUNT);
}

const char *
mxs_stage_list(void)
{
	static char buf[128];

	return vocab_list(buf, sizeof(buf), stage_names, MXS_STAGE__COUNT);
}
