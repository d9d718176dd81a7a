/*
 * scn_expand.h - variable expansion in scenario text (${ID}, ${DOMAIN},
 * ${NOW...}, ${UNIXNOW...}, ${ADDR(host)}, ${ADDR6(host)},
 * ${TLSA(cert,u,s,m)}), and
 * relative times. scn_expand() and scn_parse_reltime() are declared in
 * scn.h (the contract); this header adds what the parser and the linter
 * need besides.
 */
#ifndef DSIM_SCN_EXPAND_H
#define DSIM_SCN_EXPAND_H

#include <stddef.h>

#include "scn.h"

/*
 * scn_expand_check - check the variable syntax of text without values:
 * ${ADDR(..)} and ${TLSA(..)} get placeholder values. Returns 0, or -1
 * with a message in err. Not logged.
 */
int scn_expand_check(const char *text, char *err, size_t errsz);

/* What ${ADDR6(..)} expands to where only the syntax matters. */
#define SCN_PLACEHOLDER_ADDR6 "fd00:da5e:25::1"

/*
 * scn_expand_scan - call fn(ctx, kind, label) for every ${ADDR(label)}
 * (kind 'A'), ${ADDR6(label)} (kind '6') and ${TLSA(label,...)} (kind
 * 'T') of text. Returns 0, or -1
 * with a message in err if text has a bad variable.
 */
int scn_expand_scan(const char *text,
    void (*fn)(void *ctx, int kind, const char *label), void *ctx, char *err,
    size_t errsz);

/*
 * scn_expand_placeholder_addr / _addr6 / _tlsa - scn_vars callbacks that
 * give placeholder values ("127.0.0.1", SCN_PLACEHOLDER_ADDR6, "u s m 00")
 * where only the syntax or the shape of the expanded text matters (the parser's
 * checks, the linter's name normalisation). ctx is not used.
 */
const char *scn_expand_placeholder_addr(void *ctx, const char *host);
const char *scn_expand_placeholder_addr6(void *ctx, const char *host);
int scn_expand_placeholder_tlsa(
    void *ctx, const char *cert, int u, int s, int m, char *out, size_t outsz);

/*
 * scn_expand_norm_name - name with the variables of scenario s expanded
 * (placeholder ADDR and TLSA values), lower case, no final dot: the form
 * in which zone and owner names are compared. New string (caller frees),
 * or NULL if name cannot be expanded (not logged).
 */
char *scn_expand_norm_name(const struct scn *s, const char *name);

#endif /* DSIM_SCN_EXPAND_H */
