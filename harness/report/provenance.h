/*
 * provenance.h - who judged a run and with what: danesim's version and
 * the git commit it was built from, the command line, the host and its
 * kernel, the versions of OpenSSL, ldns and libpcap in use (asked of the
 * libraries at run time, not the headers) and of Unbound (`unbound -V`).
 * "danesim run" records it in run.json; analyse copies it into
 * report.json's "provenance" (docs/report-schema.md).
 *
 * Ownership: the json_t results belong to the caller (json_decref).
 */
#ifndef DSIM_PROVENANCE_H
#define DSIM_PROVENANCE_H

#include <jansson.h>

/* provenance_commit - `git describe --always --dirty` at build time, or
   "" when danesim was not built from a git checkout. Static. */
const char *provenance_commit(void);

/*
 * provenance_collect - a new object with danesim_version,
 * danesim_commit (null when unknown), command_line (this process's
 * argv, shell-quoted), host, kernel, openssl, ldns, libpcap and unbound
 * (null when `unbound -V` cannot be run). Never fails.
 */
json_t *provenance_collect(void);

/*
 * provenance_shell_quote - append word to b quoted for a POSIX shell
 * (bare when it is made of safe characters only, else in '...').
 */
struct buf;
void provenance_shell_quote(struct buf *b, const char *word);

#endif /* DSIM_PROVENANCE_H */
