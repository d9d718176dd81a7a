/*
 * rs_session.c - TLS sessions kept across delivery attempts
 * (rs_session.h). A file holds "key HEX" on its first line, then the
 * session in PEM.
 */
#include "rs_session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "afile.h"
#include "log.h"
#include "rs_policy.h"
#include "rs_tlsacache.h"
#include "xmalloc.h"

/* cmp_str - qsort order of two strings. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
rs_session_key(const char *base, int port, const struct rs_tlsa *tlsa, size_t n,
    char key[RS_SESSION_KEYLEN])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dlen = 0, i;
	char **recs = xcalloc(n ? n : 1, sizeof(*recs)), head[300];
	size_t k, nr = 0;

	for (k = 0; k < n; k++)
		if (rs_policy_tlsa_usable(tlsa[k].usage, tlsa[k].selector,
		        tlsa[k].mtype, tlsa[k].len))
			recs[nr++] = rs_tlsa_text(&tlsa[k]);
	qsort(recs, nr, sizeof(*recs), cmp_str);
	snprintf(head, sizeof(head), "_%d._tcp.%s\n", port, base);
	if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		panic("EVP_DigestInit_ex(SHA-256) failed");
	EVP_DigestUpdate(md, head, strlen(head));
	for (k = 0; k < nr; k++) {
		EVP_DigestUpdate(md, recs[k], strlen(recs[k]));
		EVP_DigestUpdate(md, "\n", 1);
		free(recs[k]);
	}
	EVP_DigestFinal_ex(md, d, &dlen);
	EVP_MD_CTX_free(md);
	free(recs);
	for (i = 0; i < dlen && 2 * i + 2 < RS_SESSION_KEYLEN; i++)
		snprintf(key + 2 * i, 3, "%02x", d[i]);
}

SSL_SESSION *
rs_session_load(const char *dir, const char *base, int port, const char *key,
    int any_key, int *other)
{
	char *path = rs_state_path(dir, "session", base, port), line[128];
	SSL_SESSION *sess = NULL;
	FILE *f;

	*other = 0;
	if ((f = fopen(path, "r")) == NULL)
		goto out; /* none kept */
	if (fgets(line, sizeof(line), f) == NULL ||
	    strncmp(line, "key ", 4) != 0 ||
	    strlen(line) != 4 + RS_SESSION_KEYLEN) {
		log_warnx("%s: not a kept session", path);
		goto out;
	}
	line[4 + RS_SESSION_KEYLEN - 1] = '\0';
	if (!any_key && strcmp(line + 4, key) != 0) {
		*other = 1;
		goto out;
	}
	if ((sess = PEM_read_SSL_SESSION(f, NULL, NULL, NULL)) == NULL)
		log_warnx("%s: unreadable session", path);
out:
	if (f != NULL)
		fclose(f);
	free(path);
	return sess;
}

int
rs_session_save(const char *dir, const char *base, int port, const char *key,
    SSL_SESSION *sess)
{
	char *path = rs_state_path(dir, "session", base, port);
	struct afile a;
	int rc = -1;

	if (afile_open(&a, path) == 0) {
		if (fprintf(a.f, "key %s\n", key) < 0 ||
		    PEM_write_SSL_SESSION(a.f, sess) != 1)
			log_warnx("%s: cannot write the session", a.tmp);
		rc = afile_commit(&a);
	}
	free(path);
	return rc;
}
