/*
 * scn.h - danesim scenario files, format v1: data model, parser, variable
 * expansion and lint.
 *
 * The format is specified in docs/scenario-format.md. A scenario file is
 * line oriented; DNS lines inside "zone ... end" blocks are kept as text
 * here and handed to ldns (ldns_rr_new_frm_str) by the world builder after
 * variable expansion, never parsed by hand.
 *
 * Ownership: a struct scn and everything it points to is owned by the
 * scenario; scn_free() releases all of it. A struct scn_suite owns its
 * scenarios.
 *
 * Errors: parse and lint errors are reported as "file:line: message" into
 * a caller-supplied struct scn_errors (never printed by the parser itself),
 * so the caller decides whether to print them and exit 2.
 */
#ifndef DSIM_SCN_H
#define DSIM_SCN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "destpolicy.h"
#include "dnsbreak.h"
#include "expkind.h"
#include "mtasts.h"
#include "mxspec.h"
#include "scn_when.h"

#define SCN_FORMAT_VERSION 1
/* Delivery attempts a run watches at most (danesim run --attempts). */
#define SCN_ATTEMPTS_MAX 10
/* What danesim run watches when neither it nor the scenario says. */
#define SCN_ATTEMPTS_DEFAULT 2
/* Messages a scenario sends at most ("messages N", one per attempt). */
#define SCN_MESSAGES_MAX SCN_ATTEMPTS_MAX

enum scn_severity {
	SCN_SEV_SECURITY = 0, /* an attacker gains if the SUT gets it wrong */
	SCN_SEV_INTEROP,      /* mail lost or delayed; no attacker gain */
	SCN_SEV_INFO          /* an observation (a capability-dependent row):
	                         reported, never counted as a failure or in
	                         the exit status (expect lines only) */
};
/* The severities in order, most severe first; a larger value is lower. */
#define SCN_SEV__COUNT 3

/* A time as written in the file: relative to the run's NOW, in seconds. */
struct scn_reltime {
	int set;        /* 0: not given in the file, use the default */
	long long secs; /* offset from NOW (negative = past) */
};

enum scn_keytype { SCN_KEY_EC256 = 0, SCN_KEY_RSA2048 };

/* cert NAME [attributes] - a certificate (and its key) made per run. */
struct scn_cert {
	char *name;   /* label, unique in the scenario */
	int line;     /* line number in the file */
	int is_ca;    /* "ca": basicConstraints CA:TRUE, keyCertSign */
	int trusted;  /* "trusted" (with ca): in the SUT's CA bundle */
	int pathlen;  /* pathlen=N for a CA; -1 = unlimited */
	char *issuer; /* issuer=CERT label; NULL = self-signed */
	enum scn_keytype keytype; /* key=ec256|rsa2048 */
	char *share_key; /* key-of=CERT: reuse that cert's key; or NULL */
	char *cn;        /* cn=NAME (expanded at build time); may be NULL */
	char **san;      /* san=A,B DNS names; NULL with nsan 0 */
	size_t nsan;
	int no_san; /* san=none: no subjectAltName extension */
	struct scn_reltime not_before; /* default NOW-1d */
	struct scn_reltime not_after;  /* default NOW+365d */
	/* variants (RFC 5280 4.2.1.9, 4.2.1.10, 4.2.1.12) */
	int bc_false;    /* bc=false with ca: CA:FALSE, yet it signs */
	int sig_corrupt; /* sig=corrupt: signature bytes altered */
	char *eku;     /* eku=A,B (OpenSSL names); "" = none; NULL = default */
	char *permit;  /* permit=A,B: permitted DNS subtrees (ca); or NULL */
	char *exclude; /* exclude=A,B: excluded DNS subtrees (ca); or NULL */
};

enum scn_nsec { SCN_NSEC = 0, SCN_NSEC3 };
enum scn_ds { SCN_DS_GOOD = 0, SCN_DS_NONE, SCN_DS_WRONG };

/* zone NAME [signed|unsigned] [nsec|nsec3 [opt-out] [iterations=N]
 *      [salt=HEX]] [ds=...] ... end */
struct scn_zone {
	char *name; /* apex, as written (variables unexpanded) */
	int line;
	int is_signed; /* default 1 */
	enum scn_nsec nsec;
	int nsec3_optout;   /* opt-out: insecure delegations get no NSEC3 */
	int nsec3_iter;     /* iterations=N, default 0 (RFC 9276 3.1) */
	char *nsec3_salt;   /* salt=HEX, lower case; NULL: no salt */
	int nsec3_set_line; /* nonzero when one of the three was given */
	enum scn_ds ds; /* what the parent publishes; unsigned implies none */
	struct scn_reltime inception;  /* default NOW-1h */
	struct scn_reltime expiration; /* default NOW+7d */
	char **rr_lines;               /* zone-file lines, unexpanded */
	int *rr_line_no;               /* file line number of each */
	struct scn_when *rr_when;      /* each line's attempts= qualifier */
	size_t nrr;
};

/* dnsbreak OWNER TYPE BREAK [ms] */
struct scn_dnsbreak {
	char *owner; /* unexpanded owner name (absolute after expansion) */
	char *type;  /* RR type mnemonic ("TLSA", "MX") or "ANY" */
	enum scn_break what;
	long arg; /* delay in ms for SCN_BRK_DELAY */
	int line;
	struct scn_when when; /* attempts=...: only in these attempts */
};

struct scn_reply {
	int set;    /* 0: default behaviour */
	int code;   /* 0 with set=1 means "drop the connection" */
	char *text; /* reply text; NULL = a default text */
};

/* sni NAME CERT - present CERT's chain when the client sends SNI NAME */
struct scn_sni {
	char *name; /* unexpanded */
	char *cert; /* cert label */
};

/* mx HOST ... end - one fake receiving MX listener. */
struct scn_mx {
	char *name; /* label, unique in the scenario: ${ADDR(name)} */
	int line;
	char *cert;   /* leaf cert label; NULL = a self-signed default */
	char **chain; /* extra certs sent after the leaf, in order */
	size_t nchain;
	int chain_set; /* "chain" given (else: leaf's issuers, no root) */
	struct scn_sni *sni;
	size_t nsni;
	int esmtp; /* default 1; 0 = EHLO refused, HELO only */
	enum mxs_starttls starttls;
	char *inject;  /* bytes sent right after the 220 to STARTTLS */
	char *tls_min; /* "1.0".."1.3" or NULL */
	char *tls_max;
	char *ciphers;             /* TLS <= 1.2 cipher list or NULL */
	char *ciphersuites;        /* TLS 1.3 suites or NULL */
	int flag[MXS_FLAG__COUNT]; /* yes/no behaviours (mxspec.h) */
	struct scn_reply reply[MXS_STAGE__COUNT];
	long delay_ms[MXS_STAGE__COUNT];
	long hold_tls_ms; /* hold-tls-replies MS: every reply inside TLS
	                     waits MS, so early commands are seen */
	int port;         /* port N: where it listens; 0 = 25 */
	/* ehlo-keywords before-tls|after-tls KEYWORD...: the EHLO lines
	 * of that half of the session (STARTTLS aside), instead of the
	 * defaults; indexed by enum mxs_tls_phase */
	char **ehlo_kw[MXS_PHASE__COUNT];
	size_t nehlo_kw[MXS_PHASE__COUNT];
	int ehlo_kw_set[MXS_PHASE__COUNT];
	struct scn_mx_phase *phases; /* lines qualified with attempts= or
	                                connections=, one per qualifier */
	size_t nphases;
	int https; /* 1: the MTA-STS policy host the "mta-sts" header
	              adds (port 443, HTTPS, no SMTP); never an MX */
};

/*
 * mta-sts MODE cert=LABEL mx=NAME[,NAME...] [max-age=SECONDS]: the
 * scenario domain publishes an MTA-STS policy (RFC 8461). The parser
 * adds the policy host as an mx labelled SCN_MTASTS_HOST (https set,
 * port 443, certificate LABEL) and, to the zone ${DOMAIN}, the records
 * "_mta-sts TXT" and "mta-sts A ${ADDR(mta-sts)}". An mx NAME without a
 * dot is an mx label and stands for LABEL.${DOMAIN}; any other is a
 * pattern as written (unexpanded). line is 0 when not given.
 */
#define SCN_MTASTS_HOST "mta-sts"
struct scn_mtasts {
	int line;
	enum mtasts_mode mode;
	char *cert;
	char **mx;
	size_t nmx;
	long max_age; /* default 86400 */
};

/*
 * The lines of an mx block that carry one qualifier. over holds only what
 * those lines set (fields left as in a fresh block: NULL, 0, reply[].set
 * 0); esmtp and starttls count only when set says so.
 */
#define SCN_PHASE_ESMTP 0x1u
#define SCN_PHASE_STARTTLS 0x2u
struct scn_mx_phase {
	struct scn_when when;
	int line;            /* first line with this qualifier */
	unsigned set;        /* SCN_PHASE_* given in over */
	struct scn_mx *over; /* owned */
};

/* Outcome of one scenario's message, as danesim judges it. */
enum scn_outcome {
	SCN_OUT_DELIVERED_TLS = 0,
	SCN_OUT_DELIVERED_PLAIN,
	SCN_OUT_DEFERRED,
	SCN_OUT_BOUNCED,
	SCN_OUT_NOT_ATTEMPTED,
	SCN_OUT_UNKNOWN, /* not decided (window ended, no evidence) */
	SCN_OUT__COUNT
};

/* The SUT's own final word on a message (its profile's status step). */
enum scn_sut {
	SCN_SUT_UNKNOWN = 0,
	SCN_SUT_DELIVERED,
	SCN_SUT_DEFERRED,
	SCN_SUT_BOUNCED,
	SCN_SUT_FROZEN, /* kept, never to be retried (Exim's frozen message) */
	SCN_SUT__COUNT
};

struct scn_expect {
	enum scn_expect_kind kind;
	int line;
	unsigned outcomes; /* SCN_EXP_OUTCOME: bit (1u << enum scn_outcome) */
	char *host;        /* MX label, or NULL ("any host of the scenario") */
	char *name;        /* SNI name / query name, unexpanded; the VERB of
	                      first-after-tls */
	char *qtype;       /* query type mnemonic; query-order: a list of
	                      them, "A,AAAA" (NAME1's types) */
	char *name2;       /* query-order: the query that must not come
	                      first, unexpanded */
	char *qtype2;      /* query-order: its types, as qtype */
	char **req;        /* requirement ids (req=...); else header's */
	size_t nreq;
	int severity_set;           /* severity= given on the line */
	enum scn_severity severity; /* severity= as written */
	char *because; /* because="...": why severity= is lower than the
	                  catalogue's; NULL if not given */
	/* Filled by scn_suite_apply_catalogue() (scn_lint.h): */
	int sev_cat_known;               /* a cited row has a severity */
	enum scn_severity sev_catalogue; /* highest of the cited rows */
	char *sev_cat_req;               /* a row that gave it; borrowed */
	char *text;                      /* the line as written (reports) */
	struct scn_when when; /* attempts=...: judged only on the events of
	                         these delivery attempts (always: all) */
	int message; /* message=K (outcome only): the scenario's message
	                it speaks of, 1-based; 0 when not given (message 1) */
};

struct scn {
	char *file;  /* path as given */
	char *id;    /* "id" line; equals the file's base name */
	char *title; /* one-line description */
	char **req;  /* "requirements" */
	size_t nreq;
	enum scn_severity severity;
	char **tags;
	size_t ntags;
	char *recipient;   /* "recipient"; default "rcpt@${DOMAIN}"; its
	                      domain may be an address literal
	                      "[${ADDR(mx1)}]" (smtp_addr_literal) */
	long window;       /* "window SECONDS"; 0 = the run's default */
	int attempts;      /* "attempts N": delivery attempts the scenario
	                      needs at least (its phases); 0 = the run's */
	int attempts_line; /* its line, 0 if not given */
	int messages;      /* "messages N": messages the scenario sends,
	                      message k when attempt k opens; 0 = 1 */
	int messages_line; /* its line, 0 if not given */
	/*
	 * The SUT's policy for the scenario's destination (the recipient's
	 * domain), written by the world builder into the run's policy file
	 * (destpolicy.h): "policy LEVEL", "route HOST[:PORT]" and
	 * "fallback-relay HOST[:PORT]" (host names unexpanded). Lines 0
	 * when not given.
	 */
	enum dp_level policy;
	char *route;
	char *fallback_relay;
	int policy_line, route_line, fallback_line;

	struct scn_mtasts sts; /* the "mta-sts" header */

	struct scn_cert *certs;
	size_t ncerts;
	struct scn_zone *zones;
	size_t nzones;
	struct scn_dnsbreak *breaks;
	size_t nbreaks;
	struct scn_mx *mxs;
	size_t nmxs;
	struct scn_expect *expects;
	size_t nexpects;
	int id_line;  /* line of the "id" directive (for messages) */
	int req_line; /* line of the "requirements" directive */
};

struct scn_suite {
	struct scn **items; /* owned, sorted by id */
	size_t n;
};

/* Collected "file:line: message" strings. */
struct scn_errors {
	char **msg;
	size_t n;
};

/* scn_errors_add - append a formatted message (already "file:line: ..."). */
void scn_errors_add(struct scn_errors *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* scn_errors_free - release all messages. */
void scn_errors_free(struct scn_errors *e);

/*
 * scn_parse_file - read one scenario file. Returns a new scenario (caller
 * frees with scn_free) or NULL when the file has errors; every error is
 * added to errs as "file:line: message". Not logged.
 */
struct scn *scn_parse_file(const char *path, struct scn_errors *errs);

/*
 * scn_parse_buf - as scn_parse_file, from memory; path names the source in
 * messages and gives the expected id (its base name without ".scn").
 */
struct scn *scn_parse_buf(
    const char *path, const char *text, size_t len, struct scn_errors *errs);

/* scn_free - release a scenario and everything it owns; NULL is fine. */
void scn_free(struct scn *s);

/*
 * scn_suite_load - load every *.scn file named in paths (files or
 * directories, searched recursively, in sorted order). Duplicate ids are an
 * error. Returns 0, or -1 with errs filled.
 */
int scn_suite_load(struct scn_suite *suite, char *const *paths, size_t npaths,
    struct scn_errors *errs);
/* scn_suite_free - release every scenario of the suite. */
void scn_suite_free(struct scn_suite *suite);

/*
 * scn_lint - checks beyond syntax: expectations that could never fail or
 * that name nothing (an MX label no A record of the world points at, an
 * expectation without a requirement id, a cert label used but never
 * declared, ...). Adds "file:line: message" to errs; returns the number
 * of problems found (0 = clean).
 */
int scn_lint(const struct scn *s, struct scn_errors *errs);

/*
 * Variable expansion. ${ID}, ${DOMAIN} and ${NOW...} are expanded by the
 * parser's context; ${ADDR(host)}, ${ADDR6(host)} and ${TLSA(cert,u,s,m)}
 * ask the caller.
 */
struct scn_vars {
	const char *id;     /* scenario id */
	const char *domain; /* scenario domain, "<id>.test" (no final dot) */
	time_t now;         /* the run's NOW */
	/*
	 * addr - the IPv4 address text of MX label host; NULL if unknown.
	 * The returned string is borrowed.
	 */
	const char *(*addr)(void *ctx, const char *host);
	/*
	 * tlsa - write "u s m HEX" for cert label into out (size outsz);
	 * return 0, or -1 with a reason in out.
	 */
	int (*tlsa)(void *ctx, const char *cert, int usage, int selector,
	    int mtype, char *out, size_t outsz);
	void *ctx;
	/*
	 * addr6 - the IPv6 address text of MX label host (${ADDR6(host)});
	 * NULL if unknown or the host has none. Borrowed. NULL callback:
	 * ${ADDR6} cannot be expanded here.
	 */
	const char *(*addr6)(void *ctx, const char *host);
};

/*
 * scn_expand - expand every ${...} in text. Returns a new string (caller
 * frees), or NULL with a message in err (errsz bytes) naming the bad
 * variable. Known variables: ${ID} ${DOMAIN} ${NOW} ${NOW+N} ${NOW-N}
 * (N with optional s/m/h/d suffix; expands to YYYYMMDDHHMMSS UTC)
 * ${UNIXNOW[+-]N} (seconds since the epoch) ${ADDR(host)} ${ADDR6(host)}
 * ${TLSA(cert,usage,selector,mtype)}.
 */
char *scn_expand(
    const char *text, const struct scn_vars *vars, char *err, size_t errsz);

/*
 * scn_mx_has_addr6 - 1 if a zone line of s holds ${ADDR6(label)}: the
 * world gives that MX host an IPv6 address too. 0 otherwise (and for a
 * line with a bad variable, which the parser has refused already).
 */
int scn_mx_has_addr6(const struct scn *s, const char *label);

/*
 * scn_parse_reltime - parse "now", "+30d", "-1h", "3600" (seconds) into
 * *out. Returns 0 or -1.
 */
int scn_parse_reltime(const char *s, long long *out);

/*
 * scn_expect_severity - the severity an expectation is judged with: its
 * own severity= if given (a lower one than the catalogue's carries a
 * because=, checked by scn_suite_apply_catalogue), else the highest
 * severity of the catalogue rows it cites once the catalogue was
 * applied, else the header's (which otherwise only describes the
 * scenario for "danesim list").
 */
enum scn_severity scn_expect_severity(
    const struct scn *s, const struct scn_expect *e);

/* Names for enums, for logs and reports (static strings). */
const char *scn_severity_str(enum scn_severity s);
const char *scn_outcome_str(enum scn_outcome o);
/* scn_sut_str - "unknown", "delivered", "deferred", "bounced". */
const char *scn_sut_str(enum scn_sut st);
/* scn_sut_from_str - inverse of scn_sut_str; SCN_SUT_UNKNOWN for others
 * (NULL included). */
enum scn_sut scn_sut_from_str(const char *s);
/* scn_outcome_from_str - inverse of scn_outcome_str; -1 if unknown. */
int scn_outcome_from_str(const char *s);
/* scn_messages - the messages s sends: its "messages N", else 1. */
int scn_messages(const struct scn *s);
/* scn_expect_message - the message e speaks of: its message=K, else 1. */
int scn_expect_message(const struct scn_expect *e);

#endif /* DSIM_SCN_H */
