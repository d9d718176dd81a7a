/*
 * vocab.c - look-up and listing of the scenario language's word tables.
 */
#include "vocab.h"

#include <stdio.h>
#include <string.h>

int
vocab_lookup(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (names[i] != NULL && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
vocab_list(char *buf, size_t size, const char *const *names, int n)
{
	size_t off = 0;
	int i, last = -1, k = 0;

	for (i = 0; i < n; i++)
		if (names[i] != NULL)
			last = i;
	if (size > 0)
		buf[0] = '\0';
	for (i = 0; i < n && off < size; i++) {
		int r;

		if (names[i] == NULL)
			continue;
		r = snprintf(buf + off, size - off, "%s%s",
		    k == 0 ? "" : (i == last ? " or " : ", "), names[i]);
		if (r < 0)
			break;
		off += (size_t)r;
		k++;
	}
	return buf;
}
