/*
 * verify.h - tamper evidence for a run folder: SHA256SUMS over every
 * file of the folder (the format of coreutils' sha256sum, paths relative
 * to the folder), written last by "danesim run" and "danesim analyse";
 * "danesim verify" checks it again. Optionally an SSH signature over
 * SHA256SUMS (ssh-keygen -Y sign, namespace "danesim") in
 * SHA256SUMS.sig, checked against a public key given by the reader.
 * Format and use: docs/report-schema.md, "Tamper evidence".
 */
#ifndef DSIM_VERIFY_H
#define DSIM_VERIFY_H

#include <openssl/evp.h>
#include <stdio.h>

#define VERIFY_SUMS "SHA256SUMS"
#define VERIFY_SIG "SHA256SUMS.sig"
#define VERIFY_NAMESPACE "danesim"

/*
 * verify_digest_file - feed the bytes of the file at path into ctx.
 * 0, or -1 when it cannot be read (errno set; not logged).
 */
int verify_digest_file(EVP_MD_CTX *ctx, const char *path);

/* verify_hex - the first 32 bytes of md as lower-case hex into out. */
void verify_hex(const unsigned char *md, unsigned int mdlen, char out[65]);

/*
 * verify_write_sums - hash every regular file under run_dir (symbolic
 * links, sockets and the like are left out, as are SHA256SUMS and
 * SHA256SUMS.sig themselves), sorted bytewise by relative path, and write
 * run_dir/SHA256SUMS ("HEX  PATH" lines; a name with a backslash or a
 * newline is escaped the way sha256sum does). A stale SHA256SUMS.sig is
 * removed. 0, or -1 (logged).
 */
int verify_write_sums(const char *run_dir);

/*
 * verify_check - recheck run_dir/SHA256SUMS: every listed file must exist
 * and have its hash, and no file may be there that the list lacks. Says
 * on out one line per problem ("changed: PATH", "missing: PATH",
 * "extra: PATH") and a last line with the counts. Returns 0 all agree,
 * 1 a problem was found, 2 SHA256SUMS is missing or unreadable (said on
 * stderr).
 */
int verify_check(const char *run_dir, FILE *out);

/*
 * verify_sign - sign run_dir/SHA256SUMS with the SSH private key keyfile
 * (ssh-keygen -Y sign -n danesim), giving run_dir/SHA256SUMS.sig.
 * 0, or -1 with ssh-keygen's message on stderr.
 */
int verify_sign(const char *run_dir, const char *keyfile);

/*
 * verify_signature - check run_dir/SHA256SUMS.sig against the public key
 * in pubkey_file (an OpenSSH public key line) through an allowed-signers
 * file made from it. Returns 0 good signature, 1 bad or missing
 * signature (said on out), 2 the key or ssh-keygen cannot be used (said
 * on stderr).
 */
int verify_signature(const char *run_dir, const char *pubkey_file, FILE *out);

#endif /* DSIM_VERIFY_H */
