/*
 * xmalloc.h - allocation that never returns NULL: out of memory aborts
 * (as OpenSMTPD's xmalloc and Postfix's mymalloc do).
 */
#ifndef DSIM_XMALLOC_H
#define DSIM_XMALLOC_H

#include <stddef.h>

/* xmalloc - malloc or abort; caller owns and frees the result. */
void *xmalloc(size_t size);
/* xcalloc - zeroed nmemb*size bytes (overflow checked) or abort. */
void *xcalloc(size_t nmemb, size_t size);
/* xrealloc - resize ptr or abort. */
void *xrealloc(void *ptr, size_t size);
/* xreallocarray - resize ptr to nmemb*size bytes (overflow checked). */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/* xstrdup - copy of a NUL-terminated string or abort. */
char *xstrdup(const char *s);
/* xstrndup - copy of at most n bytes of s, NUL-terminated, or abort. */
char *xstrndup(const char *s, size_t n);
/* xasprintf - formatted string in a new allocation, or abort. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* DSIM_XMALLOC_H */
