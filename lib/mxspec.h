/*
 * mxspec.h - the one model of a fake MX's behaviour: STARTTLS modes,
 * SMTP stages and the yes/no behaviours of an "mx" block, each as a
 * table row with its scenario word, its fakemx.json name and a line of
 * explanation (RFC 3207 §4, §6; requirement catalogue §11 A1-A6).
 *
 * The scenario parser (lib/scn_mx.c), the world builder's fakemx.json
 * writer (harness/world.c) and fakemx's reader (fakemx/mx_conf.c) all
 * read these tables, so a word has one spelling at every hop: the
 * scenario word, the JSON string and the name fakemx logs are the same.
 * Error messages and usage texts list the valid words from the tables.
 */
#ifndef DSIM_MXSPEC_H
#define DSIM_MXSPEC_H

#include <stddef.h>

/* How EHLO advertises STARTTLS ("starttls MODE" in an mx block). */
enum mxs_starttls {
	MXS_STLS_OFFER = 0, /* "250-STARTTLS" */
	MXS_STLS_STRIP,     /* keyword absent (STRIPTLS) */
	MXS_STLS_MANGLE,    /* "250-STARTTLX" */
	MXS_STLS__COUNT
};

/* SMTP stages whose reply or delay an MX can override. */
enum mxs_stage {
	MXS_STAGE_NONE = -1, /* a reply of no configurable stage */
	MXS_STAGE_BANNER = 0,
	MXS_STAGE_EHLO,
	MXS_STAGE_STARTTLS,
	MXS_STAGE_MAIL,
	MXS_STAGE_RCPT,
	MXS_STAGE_DATA,
	MXS_STAGE_DOT, /* the reply after the message's final "." */
	MXS_STAGE__COUNT
};

/*
 * Yes/no behaviours: a line "DIRECTIVE VALUE" in an mx block switches
 * one on; fakemx.json carries it as a boolean whose key is the two
 * words joined by "_" with every "-" made "_" (mxs_flag_json):
 * "after-handshake close" is "after_handshake_close".
 */
enum mxs_flag {
	MXS_FLAG_HANDSHAKE_FAIL = 0,      /* handshake fail */
	MXS_FLAG_CLOSE_AFTER_HANDSHAKE,   /* after-handshake close */
	MXS_FLAG_EHLO_AFTER_TLS_STARTTLS, /* ehlo-after-tls starttls */
	MXS_FLAG__COUNT
};

/*
 * The two halves of an SMTP session as far as EHLO is concerned (RFC 3207
 * §4.2: after the handshake the client must forget what the server said
 * before it and ask again): "ehlo-keywords before-tls|after-tls ...".
 */
enum mxs_tls_phase {
	MXS_PHASE_BEFORE_TLS = 0,
	MXS_PHASE_AFTER_TLS,
	MXS_PHASE__COUNT
};

/* At most this many keywords per EHLO list. */
#define MXS_EHLO_KW_MAX 16

struct mxs_flag_spec {
	const char *directive; /* scenario directive ("handshake") */
	const char *value;     /* its only value ("fail") */
	const char *doc;       /* one line for usage texts */
};

/* Names (static strings); "?" for a value out of range. */
const char *mxs_starttls_str(enum mxs_starttls m);
/* mxs_stage_str - the stage's name; "none" for MXS_STAGE_NONE. */
const char *mxs_stage_str(enum mxs_stage st);

/*
 * mxs_tls_phase_str - "before-tls" / "after-tls", the scenario word;
 * mxs_tls_phase_json - "before_tls" / "after_tls", the fakemx.json key.
 */
const char *mxs_tls_phase_str(enum mxs_tls_phase ph);
const char *mxs_tls_phase_json(enum mxs_tls_phase ph);
/* mxs_tls_phase_from_str - the phase whose scenario word is s, or -1. */
int mxs_tls_phase_from_str(const char *s);
/*
 * mxs_ehlo_keyword_ok - whether line is an EHLO keyword line a fake MX
 * may advertise: an ehlo-keyword and its parameters (RFC 5321 §4.1.1.1:
 * a letter or digit, then letters, digits and "-"; parameters of
 * printable characters after single blanks), not STARTTLS (the
 * "starttls" mode governs it). On refusal *why says why (static).
 */
int mxs_ehlo_keyword_ok(const char *line, const char **why);

/* Inverses: the value named name, or -1 (MXS_STAGE_NONE) if unknown. */
int mxs_starttls_from_str(const char *name);
enum mxs_stage mxs_stage_from_str(const char *name);

/* mxs_flag_spec - the row of flag f (f must be in range). */
const struct mxs_flag_spec *mxs_flag(enum mxs_flag f);
/* mxs_flag_by_directive - the flag whose directive is d, or -1. */
int mxs_flag_by_directive(const char *d);
/*
 * mxs_flag_json - flag f's fakemx.json key and fakemx's log name, derived
 * from its directive and value (static string; f must be in range).
 */
const char *mxs_flag_json(enum mxs_flag f);
/*
 * mxs_flag_json_key - the rule behind mxs_flag_json: directive "_" value
 * with "-" made "_", into buf (size bytes). 0, or -1 (buf emptied) when
 * it does not fit.
 */
int mxs_flag_json_key(
    char *buf, size_t size, const char *directive, const char *value);
/* mxs_flag_by_json - the flag whose JSON key is key, or -1. */
int mxs_flag_by_json(const char *key);

/*
 * Word lists for messages, built from the tables: "offer, strip or
 * mangle" and "banner, ehlo, ..., data or dot" (static strings).
 */
const char *mxs_starttls_list(void);
const char *mxs_stage_list(void);

#endif /* DSIM_MXSPEC_H */
