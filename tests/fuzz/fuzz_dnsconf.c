/*
 * fuzz_dnsconf.c - libFuzzer target for fakedns's configuration reader
 * (fakedns/dns_world.c, the fakedns.json of docs/internals.md): the input
 * is the file's text, handed to dns_world_load() through a memory file;
 * any byte string must give a world or a "PATH: what is wrong" message,
 * never a crash, a hang or a leak. Every address of a world that loads
 * serves at least one zone.
 *
 * Zone files named in the input are read for real, so seeds name the
 * test zones as tests/data/fakedns/NAME.zone (relative to $DANESIM_SRCDIR,
 * default the current directory). An input naming anything but a small
 * regular file (/dev/zero, a FIFO) is skipped: waiting on such a "zone"
 * is the operator's mistake, not a parser bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "dns_world.h"
#include "log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *top = getenv("DANESIM_SRCDIR");

	log_init("fuzz_dnsconf", LOG_LVL_ERROR);
	if (top != NULL && chdir(top) < 0) {
		perror(top);
		abort();
	}
	if ((memfd = memfd_create("fakedns.json", 0)) < 0) {
		perror("memfd_create");
		abort();
	}
	return 0;
}

/* files_ok - 1 unless a zone "file" names something not a small file. */
static int
files_ok(const uint8_t *data, size_t size)
{
	json_t *root, *zones, *z, *f;
	struct stat st;
	size_t i;
	int ok = 1;

	root = json_loadb((const char *)data, size, 0, NULL);
	if (root == NULL)
		return 1; /* the reader must refuse it itself */
	zones = json_object_get(root, "zones");
	json_array_foreach(zones, i, z)
	{
		f = json_object_get(z, "file");
		if (!json_is_string(f))
			continue;
		if (stat(json_string_value(f), &st) == 0 &&
		    (!S_ISREG(st.st_mode) || st.st_size > (1 << 20)))
			ok = 0;
	}
	json_decref(root);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_world *w;
	char path[64], err[1400];
	size_t i;

	if (memfd < 0)
		LLVMFuzzerInitialize(NULL, NULL);
	if (!files_ok(data, size))
		return 0;
	if (ftruncate(memfd, 0) < 0 ||
	    (size > 0 && pwrite(memfd, data, size, 0) != (ssize_t)size))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	err[0] = '\0';
	w = dns_world_load(path, err, sizeof(err));
	if (w == NULL && err[0] == '\0')
		abort(); /* a refusal must say why */
	for (i = 0; w != NULL && i < w->naddrs; i++)
		if (w->addrs[i].nzones == 0)
			abort(); /* an address serves something */
	dns_world_free(w);
	return 0;
}
