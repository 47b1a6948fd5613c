/* buf: a growable byte string.
 *
 * Invariants: `ptr` is never NULL and always NUL-terminated at ptr[len], so
 * a buf can be passed wherever a C string is read. A buf starts with
 * BUF_INIT or buf_init() and ends with buf_release() (or buf_detach(),
 * which hands the string to the caller). Growth is fatal on out of memory
 * (see xalloc.h), so the append functions cannot fail.
 *
 * Each buf has a maximum size (BUF_MAX by default); appending past it is a
 * fatal error rather than silent truncation: inputs are checked against
 * smaller limits long before a buf could reach it. */
#ifndef STEPBOOK_BUF_H
#define STEPBOOK_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "compat.h"

#define BUF_MAX ((size_t)1 << 31)

struct buf {
	char *ptr;
	size_t len, cap;
};

extern char buf_empty[];
#define BUF_INIT                \
	{                       \
		buf_empty, 0, 0 \
	}

void buf_init(struct buf *b);
/* Frees the storage and leaves b empty and reusable. */
void buf_release(struct buf *b);
/* Returns the string (the caller's, to free) and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Makes room for `extra` more bytes. */
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_truncate(struct buf *b, size_t len);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) COMPAT_PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) COMPAT_PRINTF(2, 0);
/* Appends `s` with &, <, >, " and ' escaped for HTML and XML text and
 * attribute values. */
void buf_add_html(struct buf *b, const char *s, size_t len);
void buf_adds_html(struct buf *b, const char *s);

#endif
