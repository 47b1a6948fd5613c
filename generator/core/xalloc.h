/* xalloc: allocation that cannot fail.
 *
 * Running out of memory is fatal: these print a message and exit(3), so
 * callers never check for NULL. Everything they return is the caller's, to
 * release with free(). */
#ifndef STEPBOOK_XALLOC_H
#define STEPBOOK_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of n elements of `size` bytes to at least `want` elements;
 * *cap holds the current capacity and is updated. */
void *xgrow(void *ptr, size_t size, size_t want, size_t *cap);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
