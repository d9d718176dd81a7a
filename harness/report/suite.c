/*
 * suite.c - what a suite is as a whole: the hash of its scenario files,
 * and its shards (see suite.h).
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/suite.h"
#include "harness/report/verify.h"
#include "log.h"
#include "xmalloc.h"

/* cmp_base - order scenario files bytewise by their file name, as
   `LC_ALL=C sort` orders the names in RUN/scenarios. */
static int
cmp_base(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	const char *bx = strrchr(x, '/'), *by = strrchr(y, '/');

	return strcmp(bx ? bx + 1 : x, by ? by + 1 : y);
}

int
suite_sha256(const struct scn_suite *suite, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char **files = xcalloc(suite->n + 1, sizeof(char *));
	size_t i;
	int rc = -1;

	out[0] = '\0';
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		log_warnx("analyse: SHA-256 unavailable");
		goto out;
	}
	for (i = 0; i < suite->n; i++)
		files[i] = suite->items[i]->file;
	qsort(files, suite->n, sizeof(char *), cmp_base);
	for (i = 0; i < suite->n; i++)
		if (verify_digest_file(ctx, files[i]) < 0) {
			log_warn("analyse: %s", files[i]);
			goto out;
		}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		goto out;
	verify_hex(md, mdlen, out);
	rc = 0;
out:
	free(files);
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
suite_shard_parse(const char *spec, unsigned *i, unsigned *n)
{
	unsigned long a, b;
	char *end;

	if (spec == NULL || *spec < '0' || *spec > '9')
		return -1;
	errno = 0;
	a = strtoul(spec, &end, 10);
	if (errno != 0 || *end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || a < 1 || b < 1 || a > b || b > 10000)
		return -1;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

size_t
suite_shard_filter(struct scn_suite *suite, unsigned i, unsigned n)
{
	size_t k, kept = 0;

	for (k = 0; k < suite->n; k++) {
		if (n > 0 && k % n == (size_t)(i - 1))
			suite->items[kept++] = suite->items[k];
		else
			scn_free(suite->items[k]);
	}
	suite->n = kept;
	return kept;
}
