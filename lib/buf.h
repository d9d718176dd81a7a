/*
 * buf.h - growable byte buffers.
 *
 * A struct buf owns its data. Appends never fail (allocation aborts).
 * data is always NUL-terminated one byte past len, so a buffer holding
 * text can be used as a C string.
 */
#ifndef DSIM_BUF_H
#define DSIM_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NUL at data[len] once anything was added */
	size_t len; /* bytes in use */
	size_t cap; /* bytes allocated */
};

/* buf_init - make an empty buffer (no allocation yet). */
void buf_init(struct buf *b);
/* buf_free - release the data; the buffer is empty and reusable. */
void buf_free(struct buf *b);
/* buf_reset - forget the contents, keep the allocation. */
void buf_reset(struct buf *b);
/* buf_append - add n bytes. */
void buf_append(struct buf *b, const void *p, size_t n);
/* buf_puts - add a C string. */
void buf_puts(struct buf *b, const char *s);
/* buf_putc - add one byte. */
void buf_putc(struct buf *b, int c);
/* buf_printf - add formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* buf_vprintf - add formatted text from a va_list. */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* buf_consume - drop the first n bytes (n <= len). */
void buf_consume(struct buf *b, size_t n);
/* buf_steal - hand the data (NUL-terminated, caller frees) over; empty. */
char *buf_steal(struct buf *b);
/* buf_cstr - the contents as a C string ("" when empty); borrowed. */
const char *buf_cstr(struct buf *b);

#endif /* DSIM_BUF_H */
