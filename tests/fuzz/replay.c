/*
 * replay.c - a main() for a fuzz target without a fuzzing engine: feeds
 * every file named on the command line (a folder: every file in it, in
 * name order) to LLVMFuzzerTestOneInput once, after LLVMFuzzerInitialize
 * when the target has one. Built with the target under ASan + UBSan by
 * "make check-fuzz", so the checked-in corpora (tests/fuzz/corpus/NAME/)
 * and every crash found so far are replayed by "make check" with gcc
 * alone. Prints "replay NAME: N inputs" and exits 0 (2 when a file
 * cannot be read); a crash dies through the sanitizers or the signal,
 * with "replay: crashed on FILE" on stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static const char *current; /* the input being fed */

/* say_current - name the input that crashed (sanitizer death, abort). */
static void
say_current(void)
{
	if (current == NULL)
		return;
	(void)!write(2, "replay: crashed on ", 19);
	(void)!write(2, current, strlen(current));
	(void)!write(2, "\n", 1);
}

/* on_crash - a signal that kills the target: name the input, die. */
static void
on_crash(int sig)
{
	say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* replay_file - feed one file; 0, or -1 when it cannot be read. */
static int
replay_file(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			if ((data = realloc(data, cap)) == NULL)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	current = path;
	LLVMFuzzerTestOneInput(data, len);
	current = NULL;
	free(data);
	return 0;
}

/* by_name - qsort order for file names. */
static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* replay_dir - every regular file of dir in name order; count in *n. */
static int
replay_dir(const char *dir, size_t *n)
{
	struct dirent *d;
	char **names = NULL, *p;
	size_t k = 0, i;
	struct stat st;
	DIR *dp;
	int rc = 0;

	if ((dp = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if ((names = realloc(names, (k + 1) * sizeof(*names))) ==
		        NULL ||
		    asprintf(&p, "%s/%s", dir, d->d_name) < 0)
			abort();
		names[k++] = p;
	}
	closedir(dp);
	if (k > 0)
		qsort(names, k, sizeof(*names), by_name);
	for (i = 0; i < k; i++) {
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(names[i]) < 0)
				rc = -1;
			else
				(*n)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	struct stat st;
	size_t n = 0;
	int i, rc = 0;

	name = name ? name + 1 : argv[0];
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-FOLDER...\n", name);
		return 2;
	}
	__sanitizer_set_death_callback(say_current);
	signal(SIGABRT, on_crash);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &n) < 0)
				rc = 2;
		} else if (replay_file(argv[i]) < 0)
			rc = 2;
		else
			n++;
	}
	printf("replay %s: %zu inputs\n", name, n);
	return rc;
}
