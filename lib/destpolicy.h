/*
 * destpolicy.h - the per-destination policy a scenario asks of the SUT
 * (RFC 7672 §6 mandatory DANE, RFC 3207 §6 TLS required, §2.2.3 an
 * administrator's route to host:port, §1.1 a fallback relay): the table
 * of policy levels ("policy dane-only" in a scenario), the HOST[:PORT]
 * next-hop syntax, and the run-wide policy file the world builder
 * writes (world/sut-policy.tsv, one line per destination domain) and
 * the SUT profiles and refsut read:
 *
 *     DOMAIN <TAB> LEVEL <TAB> ROUTE <TAB> FALLBACK
 *
 * DOMAIN without a final dot, lower case; LEVEL a word of the table or
 * "-" (the SUT's default); ROUTE and FALLBACK "host" or "host:port", or
 * "-" for none. Lines starting with '#' are comments.
 */
#ifndef DSIM_DESTPOLICY_H
#define DSIM_DESTPOLICY_H

#include <stddef.h>

/* A destination's TLS security level. No meaning in the order. */
enum dp_level {
	DP_LEVEL_DEFAULT = 0, /* no policy line: the SUT's own default */
	DP_LEVEL_DANE_ONLY,   /* mandatory DANE (RFC 7672 §6) */
	DP_LEVEL_DANE,        /* opportunistic DANE (RFC 7672 §2) */
	DP_LEVEL_ENCRYPT,     /* TLS required, not authenticated (RFC 3207) */
	DP_LEVEL_MAY,         /* opportunistic TLS, no DANE */
	DP_LEVEL__COUNT
};

struct dp_level_spec {
	const char *name; /* scenario word == policy file word */
	const char *doc;  /* one line for usage texts and docs */
};

/* dp_level_spec - the row of level l (l < DP_LEVEL__COUNT). */
const struct dp_level_spec *dp_level_spec(enum dp_level l);
/* dp_level_str - the word of l: "dane-only", ...; "-" for the default. */
const char *dp_level_str(enum dp_level l);
/* dp_level_from_str - the level of word s ("-" is the default), or -1. */
int dp_level_from_str(const char *s);
/* dp_level_list - "dane-only, dane, encrypt or may" into buf; buf. */
const char *dp_level_list(char *buf, size_t size);

/* A next hop: a host name (no final dot) and a port (0: the default). */
struct dp_hop {
	char *host; /* owned; NULL: none */
	int port;   /* 1..65535, or 0 when not given */
};

/*
 * dp_hop_parse - "host" or "host:port" into h (h->host a new string,
 * lower case, final dot dropped). Returns 0, or -1 with a reason in err
 * (errsz bytes) when the host is no domain name or the port is not
 * 1..65535. h is left empty on failure.
 */
int dp_hop_parse(const char *text, struct dp_hop *h, char *err, size_t errsz);

/* One line of the policy file. Owns its strings. */
struct dp_entry {
	char *domain; /* lower case, no final dot */
	enum dp_level level;
	struct dp_hop route;    /* route HOST[:PORT]; host NULL: none */
	struct dp_hop fallback; /* fallback-relay HOST[:PORT]; or none */
};

/* dp_entry_clear - free what e holds and zero it. */
void dp_entry_clear(struct dp_entry *e);

/*
 * dp_entry_format - e as one line of the policy file (with its '\n')
 * into buf (size bytes). Returns the length, or -1 if it did not fit.
 */
int dp_entry_format(const struct dp_entry *e, char *buf, size_t size);

/*
 * dp_entry_parse - one line of the policy file (without or with its
 * '\n') into e. Returns 1 for an entry, 0 for a comment or blank line,
 * -1 with a reason in err for a malformed line (e left empty).
 */
int dp_entry_parse(
    const char *line, struct dp_entry *e, char *err, size_t errsz);

/*
 * dp_file_lookup - the entry of domain (case and final dot ignored) in
 * the policy file at path. Returns 1 found (e filled), 0 not there (e
 * empty), -1 when the file cannot be read or a line is malformed (err
 * says "path:line: what"; e empty).
 */
int dp_file_lookup(const char *path, const char *domain, struct dp_entry *e,
    char *err, size_t errsz);

#endif /* DSIM_DESTPOLICY_H */
