/*
 * fuzz_mxconf.c - libFuzzer target for fakemx's configuration reader
 * (fakemx/mx_conf.c, the fakemx.json of docs/internals.md): any byte
 * string must give a configuration or a "name: what is wrong" message,
 * never a crash, a hang or a leak; every listener of a configuration
 * that loads names an address.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fakemx/mx_conf.h"
#include "log.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mx_conf *conf;
	char *text, err[512];

	log_init("fuzz_mxconf", LOG_LVL_ERROR);
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	conf = mx_conf_parse(text, "fuzz.json", err, sizeof(err));
	if (conf == NULL && err[0] == '\0')
		abort(); /* a refusal must say why */
	for (size_t i = 0; conf != NULL && i < conf->nlisteners; i++)
		if (conf->listeners[i].address == NULL)
			abort(); /* every listener has an address */
	mx_conf_free(conf);
	free(text);
	return 0;
}
