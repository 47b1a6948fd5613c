#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "xalloc.h"

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_release(struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
		free(d->v[i].source);
	}
	free(d->v);
	diag_init(d);
}

static void diag_add(struct diag *d, enum diag_level level, const char *file,
		     int line, int col, const char *fmt, va_list ap)
	COMPAT_PRINTF(6, 0);

static void diag_add(struct diag *d, enum diag_level level, const char *file,
		     int line, int col, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	struct diag_entry *e;

	buf_vaddf(&b, fmt, ap);
	d->v = xgrow(d->v, sizeof(*d->v), d->n + 1, &d->cap);
	e = &d->v[d->n++];
	e->level = level;
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->col = col;
	e->msg = buf_detach(&b, NULL);
	e->source = NULL;
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
}

int diag_error(struct diag *d, const char *file, int line, int col,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_ERROR, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warning(struct diag *d, const char *file, int line, int col,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, DIAG_WARNING, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_promote(struct diag *d, size_t from)
{
	size_t i;

	for (i = from; i < d->n; i++) {
		struct diag_entry *e = &d->v[i];
		struct buf b = BUF_INIT;

		if (e->level != DIAG_WARNING)
			continue;
		buf_addf(&b, "%s [--strict]", e->msg);
		free(e->msg);
		e->msg = buf_detach(&b, NULL);
		e->level = DIAG_ERROR;
		d->warnings--;
		d->errors++;
	}
}

void diag_attach_source(struct diag *d, const char *text, size_t len, int line)
{
	size_t i = 0, end;
	int l = 1;
	struct diag_entry *e;

	if (!d->n || line < 1 || !text)
		return;
	e = &d->v[d->n - 1];
	if (text == d->seen_text && len == d->seen_len &&
	    line >= d->seen_line && d->seen_offset <= len &&
	    (!d->seen_offset || text[d->seen_offset - 1] == '\n')) {
		i = d->seen_offset;
		l = d->seen_line;
	}
	while (i < len && l < line) {
		if (text[i] == '\n')
			l++;
		i++;
	}
	d->seen_text = text;
	d->seen_len = len;
	d->seen_offset = i;
	d->seen_line = l;
	if (l != line)
		return;
	end = i;
	while (end < len && text[end] != '\n' && text[end] != '\r')
		end++;
	free(e->source);
	e->source = xstrndup(text + i, end - i);
}

void diag_position(const char *text, size_t offset, int *line, int *col)
{
	size_t i;
	int l = 1, c = 1;

	for (i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static const char *diag_level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	default:
		return "note";
	}
}

void diag_print(const struct diag *d, FILE *out)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct diag_entry *e = &d->v[i];

		if (e->file) {
			fputs(e->file, out);
			if (e->line > 0) {
				fprintf(out, ":%d", e->line);
				if (e->col > 0)
					fprintf(out, ":%d", e->col);
			}
			fputs(": ", out);
		} else {
			fputs("stepbook: ", out);
		}
		fprintf(out, "%s: %s\n", diag_level_name(e->level), e->msg);
		if (e->source) {
			const char *s;
			int c = 1;

			fprintf(out, "  %s\n  ", e->source);
			for (s = e->source; *s && c < e->col; s++) {
				if (((unsigned char)*s & 0xC0) == 0x80)
					continue;
				fputc(*s == '\t' ? '\t' : ' ', out);
				c++;
			}
			fputs("^\n", out);
		}
	}
}

void diag_append(struct diag *d, const struct diag *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		const struct diag_entry *e = &src->v[i];
		struct diag_entry *n;
		d->v = xgrow(d->v, sizeof(*d->v), d->n + 1, &d->cap);
		n = &d->v[d->n++];
		n->level = e->level;
		n->file = e->file ? xstrdup(e->file) : NULL;
		n->line = e->line;
		n->col = e->col;
		n->msg = xstrdup(e->msg);
		n->source = e->source ? xstrdup(e->source) : NULL;
		if (e->level == DIAG_ERROR)
			d->errors++;
		else if (e->level == DIAG_WARNING)
			d->warnings++;
	}
}
