/*
 * verify.c - SHA256SUMS of a run folder and its SSH signature (see
 * verify.h). The list is what `cd RUN && find . -type f ! -name
 * 'SHA256SUMS*' | sort | xargs sha256sum` would give, so a reader can
 * check it with coreutils alone (`sha256sum -c SHA256SUMS`); the
 * signature is an SSHSIG (ssh-keygen -Y, OpenSSH's PROTOCOL.sshsig) so
 * `ssh-keygen -Y verify` checks it without danesim.
 */
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "proc.h"
#include "harness/report/verify.h"
#include "xmalloc.h"

#define VERIFY_SSH_MS 30000

/* A list of relative paths. */
struct paths {
	char **v;
	size_t n;
};

/* paths_add - append a copy of p. */
static void
paths_add(struct paths *ps, const char *p)
{
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof(char *));
	ps->v[ps->n++] = xstrdup(p);
}

/* paths_free - release the list. */
static void
paths_free(struct paths *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

/* cmp_str - qsort order: bytewise, as `LC_ALL=C sort`. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* is_own - SHA256SUMS and its signature at the top are not listed. */
static int
is_own(const char *rel)
{
	return strcmp(rel, VERIFY_SUMS) == 0 || strcmp(rel, VERIFY_SIG) == 0 ||
	       strcmp(rel, VERIFY_SUMS ".tmp") == 0;
}

/* walk - collect the regular files below root/rel (rel "" = root). */
static int
walk(const char *root, const char *rel, struct paths *ps)
{
	char *dir = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		log_warn("verify: %s", dir);
		free(dir);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *r, *full;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		r = rel[0] ? xasprintf("%s/%s", rel, de->d_name)
		           : xstrdup(de->d_name);
		full = xasprintf("%s/%s", root, r);
		if (lstat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = walk(root, r, ps);
			else if (S_ISREG(st.st_mode) && !is_own(r))
				paths_add(ps, r);
		}
		free(full);
		free(r);
	}
	closedir(d);
	free(dir);
	return rc;
}

int
verify_digest_file(EVP_MD_CTX *ctx, const char *path)
{
	unsigned char chunk[16384];
	FILE *fp;
	size_t n;
	int rc = 0;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (EVP_DigestUpdate(ctx, chunk, n) != 1)
			rc = -1;
	if (ferror(fp))
		rc = -1;
	fclose(fp);
	return rc;
}

void
verify_hex(const unsigned char *md, unsigned int mdlen, char out[65])
{
	unsigned int k;

	out[0] = '\0';
	for (k = 0; k < mdlen && k < 32; k++)
		snprintf(out + 2 * k, 3, "%02x", md[k]);
}

/* file_sha256 - hex SHA-256 of path into out; 0 or -1 (errno set). */
static int
file_sha256(const char *path, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;

	if (ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    verify_digest_file(ctx, path) == 0 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1) {
		verify_hex(md, mdlen, out);
		rc = 0;
	}
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* put_line - one sha256sum line for rel (escaped as sha256sum does). */
static void
put_line(struct buf *b, const char *hex, const char *rel)
{
	const char *p;

	if (strpbrk(rel, "\\\n") == NULL) {
		buf_printf(b, "%s  %s\n", hex, rel);
		return;
	}
	buf_printf(b, "\\%s  ", hex);
	for (p = rel; *p; p++) {
		if (*p == '\\')
			buf_puts(b, "\\\\");
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '\n');
}

int
verify_write_sums(const char *run_dir)
{
	struct paths ps = {NULL, 0};
	char hex[65], *full, *tmp, *path, *sig;
	struct buf b;
	size_t i;
	FILE *f;
	int rc = -1;

	buf_init(&b);
	if (walk(run_dir, "", &ps) < 0)
		goto out;
	qsort(ps.v, ps.n, sizeof(char *), cmp_str);
	for (i = 0; i < ps.n; i++) {
		full = xasprintf("%s/%s", run_dir, ps.v[i]);
		if (file_sha256(full, hex) < 0) {
			log_warn("verify: cannot hash %s", full);
			free(full);
			goto out;
		}
		free(full);
		put_line(&b, hex, ps.v[i]);
	}
	tmp = xasprintf("%s/%s.tmp", run_dir, VERIFY_SUMS);
	path = xasprintf("%s/%s", run_dir, VERIFY_SUMS);
	if ((f = fopen(tmp, "w")) == NULL ||
	    fwrite(b.data ? (void *)b.data : (void *)"", 1, b.len, f) !=
	        b.len ||
	    fclose(f) != 0 || rename(tmp, path) < 0) {
		log_warn("verify: cannot write %s", path);
		unlink(tmp);
	} else
		rc = 0;
	free(tmp);
	free(path);
	/* A signature over another list is worse than none. */
	sig = xasprintf("%s/%s", run_dir, VERIFY_SIG);
	if (rc == 0 && unlink(sig) == 0)
		log_info("verify: removed %s (the list changed)", sig);
	free(sig);
out:
	buf_free(&b);
	paths_free(&ps);
	return rc;
}

/* unescape - undo sha256sum's escaping of a name in place; -1 if bad. */
static int
unescape(char *s)
{
	char *r = s, *w = s;

	for (; *r; r++) {
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		r++;
		if (*r == '\\')
			*w++ = '\\';
		else if (*r == 'n')
			*w++ = '\n';
		else
			return -1;
	}
	*w = '\0';
	return 0;
}

/* safe_rel - a relative path that stays inside the folder. */
static int
safe_rel(const char *p)
{
	const char *c;

	if (p[0] == '\0' || p[0] == '/')
		return 0;
	for (c = p; c != NULL; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (strncmp(c, "..", 2) == 0 && (c[2] == '/' || c[2] == '\0'))
			return 0;
	}
	return 1;
}

int
verify_check(const char *run_dir, FILE *out)
{
	char *path = xasprintf("%s/%s", run_dir, VERIFY_SUMS), *line = NULL;
	struct paths listed = {NULL, 0}, present = {NULL, 0};
	size_t cap = 0, i, j, nok = 0, nbad = 0, lineno = 0;
	char hex[65], *full;
	ssize_t len;
	FILE *f;
	int rc = 2;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(
		    stderr, "danesim verify: %s: %s\n", path, strerror(errno));
		free(path);
		return 2;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		char *p = line, *name;
		int esc = 0;

		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (*p == '\\') {
			esc = 1;
			p++;
		}
		if (strlen(p) < 67 || strspn(p, "0123456789abcdef") != 64 ||
		    p[64] != ' ' || (p[65] != ' ' && p[65] != '*')) {
			fprintf(stderr,
			    "danesim verify: %s:%zu: not a sha256sum line\n",
			    path, lineno);
			goto out;
		}
		name = p + 66;
		if ((esc && unescape(name) < 0) || !safe_rel(name)) {
			fprintf(stderr,
			    "danesim verify: %s:%zu: bad file name\n", path,
			    lineno);
			goto out;
		}
		paths_add(&listed, name);
		full = xasprintf("%s/%s", run_dir, name);
		if (file_sha256(full, hex) < 0) {
			fprintf(out, "missing: %s\n", name);
			nbad++;
		} else if (strncmp(hex, p, 64) != 0) {
			fprintf(out, "changed: %s\n", name);
			nbad++;
		} else
			nok++;
		free(full);
	}
	if (walk(run_dir, "", &present) < 0)
		goto out;
	qsort(listed.v, listed.n, sizeof(char *), cmp_str);
	qsort(present.v, present.n, sizeof(char *), cmp_str);
	for (i = 0, j = 0; i < present.n; i++) {
		while (j < listed.n && strcmp(listed.v[j], present.v[i]) < 0)
			j++;
		if (j < listed.n && strcmp(listed.v[j], present.v[i]) == 0)
			continue;
		fprintf(out, "extra: %s\n", present.v[i]);
		nbad++;
	}
	fprintf(out, "%s: %zu file%s as listed, %zu problem%s\n", path, nok,
	    nok == 1 ? "" : "s", nbad, nbad == 1 ? "" : "s");
	rc = nbad > 0 ? 1 : 0;
out:
	fclose(f);
	free(line);
	free(path);
	paths_free(&listed);
	paths_free(&present);
	return rc;
}

int
verify_sign(const char *run_dir, const char *keyfile)
{
	char *sums = xasprintf("%s/%s", run_dir, VERIFY_SUMS);
	char *sig = xasprintf("%s/%s", run_dir, VERIFY_SIG);
	char *argv[] = {"ssh-keygen", "-q", "-Y", "sign", "-f", (char *)keyfile,
	    "-n", VERIFY_NAMESPACE, sums, NULL};
	struct buf out;
	int rc;

	buf_init(&out);
	unlink(sig);
	rc = proc_run("ssh-keygen", NULL, argv, NULL, VERIFY_SSH_MS, &out);
	if (rc != 0 || access(sig, F_OK) != 0) {
		fprintf(stderr,
		    "danesim: cannot sign %s with %s (ssh-keygen -Y sign "
		    "exit %d)%s%s",
		    sums, keyfile, rc, out.len ? ":\n" : "\n", buf_cstr(&out));
		rc = -1;
	}
	buf_free(&out);
	free(sums);
	free(sig);
	return rc == 0 ? 0 : -1;
}

int
verify_signature(const char *run_dir, const char *pubkey_file, FILE *out)
{
	char *sums = xasprintf("%s/%s", run_dir, VERIFY_SUMS);
	char *sig = xasprintf("%s/%s", run_dir, VERIFY_SIG);
	char tmpl[] = "/tmp/danesim-signers-XXXXXX", *line = NULL;
	char *argv[] = {"sh", "-c",
	    "exec ssh-keygen -Y verify -f \"$1\" -I danesim -n danesim "
	    "-s \"$2\" < \"$3\"",
	    "sh", tmpl, sig, sums, NULL};
	size_t cap = 0;
	struct buf res;
	FILE *pk = NULL, *as = NULL;
	int fd = -1, rc = 2, st;

	buf_init(&res);
	if ((pk = fopen(pubkey_file, "r")) == NULL) {
		fprintf(stderr, "danesim verify: %s: %s\n", pubkey_file,
		    strerror(errno));
		goto out;
	}
	if (getline(&line, &cap, pk) <= 0 ||
	    (strncmp(line, "ssh-", 4) != 0 && strncmp(line, "ecdsa-", 6) != 0 &&
	        strncmp(line, "sk-", 3) != 0)) {
		fprintf(stderr,
		    "danesim verify: %s:1: not an OpenSSH public key line\n",
		    pubkey_file);
		goto out;
	}
	if (access(sig, F_OK) != 0) {
		fprintf(out, "unsigned: %s is missing\n", sig);
		rc = 1;
		goto out;
	}
	if ((fd = mkstemp(tmpl)) < 0 || (as = fdopen(fd, "w")) == NULL) {
		fprintf(
		    stderr, "danesim verify: %s: %s\n", tmpl, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
		goto out;
	}
	fprintf(as, "danesim namespaces=\"%s\" %s", VERIFY_NAMESPACE, line);
	if (fclose(as) != 0) {
		fprintf(stderr, "danesim verify: %s: write failed\n", tmpl);
		goto out;
	}
	st = proc_run("ssh-keygen", NULL, argv, NULL, VERIFY_SSH_MS, &res);
	if (st == 0) {
		fprintf(out, "good signature: %s by %s\n", sig, pubkey_file);
		rc = 0;
	} else if (st == 255 || st == 1) {
		fprintf(out, "BAD signature: %s does not verify with %s%s%s",
		    sig, pubkey_file, res.len ? ":\n" : "\n", buf_cstr(&res));
		rc = 1;
	} else
		fprintf(stderr,
		    "danesim verify: ssh-keygen -Y verify failed "
		    "(exit %d)\n",
		    st);
out:
	if (fd >= 0)
		unlink(tmpl);
	if (pk != NULL)
		fclose(pk);
	free(line);
	buf_free(&res);
	free(sums);
	free(sig);
	return rc;
}
