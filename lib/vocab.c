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

/* word_at - the word of row i of a table of stride-byte rows. */
static const char *
word_at(const void *rows, size_t stride, size_t i)
{
	const char *const *w =
	    (const void *)((const unsigned char *)rows + i * stride);

	return *w;
}

/* list_words - "a, b or c" of rows[0..n) into buf (vocab_list). */
static const char *
list_words(char *buf, size_t size, const void *rows, size_t n, size_t stride)
{
	size_t i, off = 0, last = 0, k = 0;
	int any = 0;

	for (i = 0; i < n; i++)
		if (word_at(rows, stride, i) != NULL) {
			last = i;
			any = 1;
		}
	if (size > 0)
		buf[0] = '\0';
	for (i = 0; any && i < n && off < size; i++) {
		const char *w = word_at(rows, stride, i);
		int r;

		if (w == NULL)
			continue;
		r = snprintf(buf + off, size - off, "%s%s",
		    k == 0 ? "" : (i == last ? " or " : ", "), w);
		if (r < 0)
			break;
		off += (size_t)r;
		k++;
	}
	return buf;
}

const char *
vocab_list(char *buf, size_t size, const char *const *names, int n)
{
	return list_words(
	    buf, size, names, n < 0 ? 0 : (size_t)n, sizeof(names[0]));
}

const char *
vocab_list_rows(
    char *buf, size_t size, const void *rows, size_t n, size_t stride)
{
	return list_words(buf, size, rows, n, stride);
}
