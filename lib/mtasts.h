/*
 * mtasts.h - SMTP MTA Strict Transport Security (RFC 8461): the policy
 * modes, the policy file (§3.2) as the world writes it and senders read
 * it, the "_mta-sts" TXT record (§3.1) and MX host pattern matching
 * (§4.1). The world builder writes what fakemx serves; refsut parses and
 * applies it. Pure: no I/O, nothing logged.
 */
#ifndef DSIM_MTASTS_H
#define DSIM_MTASTS_H

#include <stddef.h>

/* The largest policy body a sender reads (RFC 8461 §3.3: 64 KiB). */
#define MTASTS_BODY_MAX 65536
/* The largest max_age a policy may give (RFC 8461 §3.2: 31557600). */
#define MTASTS_MAX_AGE_MAX 31557600L
/* The well-known path of the policy (RFC 8461 §3.2). */
#define MTASTS_PATH "/.well-known/mta-sts.txt"

/* A policy's mode (RFC 8461 §5). No meaning in the order. */
enum mtasts_mode {
	MTASTS_ENFORCE = 0, /* MUST NOT deliver unless MX and TLS validate */
	MTASTS_TESTING,     /* deliver as without a policy, report */
	MTASTS_NONE,        /* no active policy */
	MTASTS__COUNT
};

/* mtasts_mode_str - "enforce", "testing", "none". */
const char *mtasts_mode_str(enum mtasts_mode m);
/* mtasts_mode_from_str - the mode named s, or -1. */
int mtasts_mode_from_str(const char *s);
/* mtasts_mode_list - "enforce, testing or none" into buf; returns buf. */
const char *mtasts_mode_list(char *buf, size_t size);

/* A policy. Owns its strings. */
struct mtasts_policy {
	enum mtasts_mode mode;
	char **mx; /* mx patterns: "host.example" or "*.example" */
	size_t nmx;
	long max_age; /* seconds */
};

/* mtasts_policy_free - release what p holds and zero it. */
void mtasts_policy_free(struct mtasts_policy *p);

/*
 * mtasts_policy_text - the policy file of p (RFC 8461 §3.2): "version:
 * STSv1", "mode:", one "mx:" per pattern and "max_age:", each line
 * ended by CRLF. New string (caller frees).
 */
char *mtasts_policy_text(const struct mtasts_policy *p);

/*
 * mtasts_policy_parse - read a policy file of len bytes into p (lines
 * ended by CRLF or LF, "key: value", RFC 8461 §3.2): "version" must be
 * the first line and "STSv1"; "mode" and "max_age" once each; "mx" at
 * least once unless the mode is none; unknown keys are ignored. Returns
 * 0, or -1 with a reason in err (errsz bytes) and p left empty.
 */
int mtasts_policy_parse(const char *text, size_t len, struct mtasts_policy *p,
    char *err, size_t errsz);

/*
 * mtasts_txt_parse - whether txt is an MTA-STS TXT record (RFC 8461
 * §3.1): "v=STSv1" first, then "id=" 1-32 letters and digits, fields
 * separated by ";" with optional blanks, other fields ignored. Copies the
 * id into id (idsz bytes, at least 33). Returns 0 or -1 (not one).
 */
int mtasts_txt_parse(const char *txt, char *id, size_t idsz);

/*
 * mtasts_mx_match - whether MX host name host matches pattern (RFC 8461
 * §4.1): equal, ignoring case and a final dot, or "*.rest" and host is
 * exactly one label followed by rest. 1 or 0.
 */
int mtasts_mx_match(const char *pattern, const char *host);

/* mtasts_policy_mx_match - whether host matches any mx of p; 1 or 0. */
int mtasts_policy_mx_match(const struct mtasts_policy *p, const char *host);

#endif /* DSIM_MTASTS_H */
