/*
 * mx_conf.h - fakemx.json, the configuration of fakemx (format in
 * docs/internals.md "fakemx.json"): where to log, where to store
 * messages, and one listener per fake MX host with its certificates and
 * behaviour.
 */
#ifndef DSIM_MX_CONF_H
#define DSIM_MX_CONF_H

#include <stddef.h>

#include "mx_behave.h"
#include "scn_when.h"

/* A certificate to present: leaf (+ key) and extra chain files. */
struct mx_certspec {
	char *cert;   /* owned; PEM leaf (more certs after it = chain); NULL:
	                 a self-signed certificate made at start-up */
	char *key;    /* owned; PEM private key (NULL: key in cert file) */
	char **chain; /* owned; PEM files sent after the leaf, in order */
	size_t nchain;
};

/* phases[] entry: the listener's behaviour with the phase's own laid
 * over it, for the connections when holds for (mx_phase.h). */
struct mx_phase {
	struct scn_when when;
	struct mx_behave behave;
	struct mx_certspec cs; /* cs.cert NULL: the listener's certificate */
};

/* sni[] entry: present cs when the client's SNI equals name. */
struct mx_sni {
	char *name; /* owned */
	struct mx_certspec cs;
};

struct mx_listener {
	char *address; /* owned; IPv4 or IPv6 literal */
	int port;
	char *scenario;        /* owned; may be NULL */
	char *host;            /* owned; MX label; may be NULL */
	struct mx_certspec cs; /* default certificate */
	struct mx_sni *sni;    /* owned array */
	size_t nsni;
	char *tls_min; /* owned; "1.0".."1.3" or NULL */
	char *tls_max;
	char *ciphers;      /* owned; OpenSSL cipher list or NULL */
	char *ciphersuites; /* owned; TLS 1.3 suites or NULL */
	struct mx_behave behave;
	struct mx_phase *phases; /* owned array; the first that holds wins */
	size_t nphases;
	char *https_policy; /* owned; "https": {"policy": TEXT}: an MTA-STS
	                       policy host (mx_https.h), TLS from the first
	                       byte, one HTTP request; NULL: SMTP */
};

struct mx_conf {
	char *log;      /* owned; smtp.jsonl path or NULL */
	char *keylog;   /* owned; NSS key log path or NULL */
	char *maildir;  /* owned; where messages go, or NULL */
	char *attempts; /* owned; the harness's attempt state file or NULL */
	struct mx_listener *listeners; /* owned array */
	size_t nlisteners;
};

/*
 * mx_conf_load - read and check fakemx.json at path. Returns a new
 * configuration (free with mx_conf_free) or NULL with a message
 * "path: what is wrong" in err (not logged).
 */
struct mx_conf *mx_conf_load(const char *path, char *err, size_t errlen);

/*
 * mx_conf_parse - the same from JSON text (name is used in messages).
 */
struct mx_conf *mx_conf_parse(
    const char *text, const char *name, char *err, size_t errlen);

/* mx_conf_free - release conf and everything it owns; NULL is fine. */
void mx_conf_free(struct mx_conf *conf);

/* mx_tls_version_parse - "1.0".."1.3" to 10..13; -1 if unknown. */
int mx_tls_version_parse(const char *s);

#endif /* DSIM_MX_CONF_H */
