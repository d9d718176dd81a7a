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

#endif /* DSIM_VOCAB_H */
