#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void xalloc_die(size_t size)
{
	fprintf(stderr, "stepbook: fatal: out of memory (%zu bytes)\n", size);
	exit(3);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		xalloc_die(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		xalloc_die(n * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		xalloc_die(size);
	return p;
}

void *xgrow(void *ptr, size_t size, size_t want, size_t *cap)
{
	size_t n;

	if (want <= *cap)
		return ptr;
	n = *cap ? *cap : 8;
	while (n < want) {
		if (n > SIZE_MAX / 2 / size)
			xalloc_die(SIZE_MAX);
		n *= 2;
	}
	*cap = n;
	return xrealloc(ptr, n * size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
