/*
 * fuzz_scn.c - libFuzzer target for the scenario parser, expansion and
 * lint: any byte string must give a scenario or errors, never a crash,
 * a hang or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_expand.h"
#include "scn_lint.h"

/* fuzz_addr6 - a fixed IPv6 address for every label. */
static const char *
fuzz_addr6(void *ctx, const char *host)
{
	(void)ctx;
	(void)host;
	return "fd00:da5e:25::1";
}

/* fuzz_addr - a fixed address for every label. */
static const char *
fuzz_addr(void *ctx, const char *host)
{
	return strcmp(host, "none") == 0 ? NULL : "127.25.0.1";
}

/* fuzz_tlsa - a fixed digest for every cert. */
static int
fuzz_tlsa(
    void *ctx, const char *cert, int u, int s, int m, char *out, size_t outsz)
{
	return snprintf(out, outsz, "%d %d %d ABCD", u, s, m) > 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scn_errors errs = {NULL, 0};
	struct scn_vars v = {"fz", "fz.test", 1700000000, fuzz_addr, fuzz_tlsa,
	    NULL, fuzz_addr6};
	struct scn *s;
	char err[256], *text, *e;

	s = scn_parse_buf("fuzz/fz.scn", (const char *)data, size, &errs);
	if (s != NULL)
		scn_lint(s, &errs);
	scn_free(s);
	scn_errors_free(&errs);
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	e = scn_expand(text, &v, err, sizeof(err));
	free(e);
	free(text);
	return 0;
}
