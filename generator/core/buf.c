#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->ptr = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (len)
		*len = b->len;
	if (!b->cap)
		s = xstrdup("");
	else
		s = b->ptr;
	buf_init(b);
	return s;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t want;

	if (extra >= BUF_MAX || b->len >= BUF_MAX - extra) {
		fprintf(stderr, "stepbook: fatal: buffer over %zu bytes\n",
			(size_t)BUF_MAX);
		exit(3);
	}
	want = b->len + extra + 1;
	if (want <= b->cap)
		return;
	if (!b->cap) {
		size_t cap = 0;
		b->ptr = xgrow(NULL, 1, want < 64 ? 64 : want, &cap);
		b->cap = cap;
		b->ptr[0] = '\0';
	} else {
		b->ptr = xgrow(b->ptr, 1, want, &b->cap);
	}
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->ptr + b->len, b->cap ? b->cap - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if (!b->cap || (size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_add_html(struct buf *b, const char *s, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, s + start, i - start);
		buf_adds(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, len - start);
}

void buf_adds_html(struct buf *b, const char *s)
{
	buf_add_html(b, s, strlen(s));
}
