/*
 * vocab.h - helpers for the word tables of the scenario language
 * (mxspec.h, dnsbreak.h, expkind.h, scn.c): look a word up, and list a
 * table's words for an error message or a usage text.
 */
#ifndef DSIM_VOCAB_H
#define DSIM_VOCAB_H

#include <stddef.h>

/* vocab_lookup - index of s in names[0..n), or -1 (also for NULL s). */
int vocab_lookup(const char *const *names, int n, const char *s);

/*
 * vocab_list - write "a, b or c" for names[0..n) into buf (size bytes;
 * cut short if too small) and return buf. NULL names are skipped.
 */
const char *vocab_list(char *buf, size_t size, const char *const *names, int n);

/*
 * vocab_list_rows - vocab_list for a table of n structures of stride
 * bytes each whose first member is the word (const char *), such as
 * the parser's directive tables. Returns buf.
 */
const char *vocab_list_rows(
    char *buf, size_t size, const void *rows, size_t n, size_t stride);

#endif /* DSIM_VOCAB_H */
