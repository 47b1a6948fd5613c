#include "toml_lex.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "utf8.h"

int toml_lex_error(struct tp *p, size_t at, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	int line, col;

	if (at > p->len)
		at = p->len;
	diag_position(p->s, at, &line, &col);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(p->d, p->file, line, col, "%s", msg.ptr);
	diag_attach_source(p->d, p->s, p->len, line);
	buf_release(&msg);
	return -1;
}

int toml_lex_peek(const struct tp *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead]
				       : -1;
}

void toml_lex_skip_ws(struct tp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

/* A character that may not appear raw in a comment or a string: the
 * control characters other than tab. */
static int tp_is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

/* Skips a comment that starts at p->pos, up to (not over) its newline. */
static int tp_skip_comment(struct tp *p)
{
	if (toml_lex_peek(p, 0) != '#')
		return 0;
	while (p->pos < p->len && p->s[p->pos] != '\n') {
		int c = (unsigned char)p->s[p->pos];

		if (c == '\r' && toml_lex_peek(p, 1) == '\n')
			break;
		if (tp_is_control(c))
			return toml_lex_error(p, p->pos,
					      "control character U+%04X in a "
					      "comment",
					      (unsigned)c);
		p->pos++;
	}
	return 0;
}

/* Consumes a newline (LF or CRLF) at p->pos; returns 1 when there was
 * one. */
static int tp_newline(struct tp *p)
{
	if (toml_lex_peek(p, 0) == '\n') {
		p->pos++;
		return 1;
	}
	if (toml_lex_peek(p, 0) == '\r' && toml_lex_peek(p, 1) == '\n') {
		p->pos += 2;
		return 1;
	}
	return 0;
}

/* After a value or header: spaces, a comment, then the end of the line or
 * of the document. */
int toml_lex_end_of_line(struct tp *p)
{
	toml_lex_skip_ws(p);
	if (tp_skip_comment(p) < 0)
		return -1;
	if (p->pos >= p->len || tp_newline(p))
		return 0;
	if (toml_lex_peek(p, 0) == '\r')
		return toml_lex_error(p, p->pos,
				      "carriage return not followed "
				      "by a line feed");
	return toml_lex_error(p, p->pos,
			      "expected the end of the line, found "
			      "'%c'",
			      p->s[p->pos]);
}

/* Skips spaces, newlines and comments, as allowed inside an array. */
int toml_lex_skip_blank(struct tp *p)
{
	for (;;) {
		toml_lex_skip_ws(p);
		if (tp_skip_comment(p) < 0)
			return -1;
		if (!tp_newline(p))
			return 0;
	}
}

static int tp_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the escape sequence at p->pos (just after the backslash). */
static int tp_escape(struct tp *p, struct buf *out)
{
	size_t at = p->pos - 1;
	int c = toml_lex_peek(p, 0), digits = 0, i;
	unsigned long cp = 0;

	switch (c) {
	case 'b':
		buf_addch(out, '\b');
		break;
	case 't':
		buf_addch(out, '\t');
		break;
	case 'n':
		buf_addch(out, '\n');
		break;
	case 'f':
		buf_addch(out, '\f');
		break;
	case 'r':
		buf_addch(out, '\r');
		break;
	case '"':
		buf_addch(out, '"');
		break;
	case '\\':
		buf_addch(out, '\\');
		break;
	case 'u':
		digits = 4;
		break;
	case 'U':
		digits = 8;
		break;
	default:
		if (c < 0x20 || c >= 0x7f)
			return toml_lex_error(p, at,
					      "invalid escape in string");
		return toml_lex_error(p, at, "invalid escape '\\%c' in string",
				      c);
	}
	p->pos++;
	for (i = 0; i < digits; i++) {
		int h = tp_hex(toml_lex_peek(p, 0));

		if (h < 0)
			return toml_lex_error(
				p, at, "'\\%c' needs %d hexadecimal digits", c,
				digits);
		cp = cp * 16 + (unsigned long)h;
		p->pos++;
	}
	if (!digits)
		return 0;
	if (cp > UTF8_MAX || (cp >= 0xD800 && cp <= 0xDFFF))
		return toml_lex_error(p, at,
				      "'\\%c' names no Unicode scalar value",
				      c);
	if (cp == 0)
		buf_addch(out, '\0');
	else
		utf8_add(out, cp);
	return 0;
}

/* Reads a string starting at its opening quote. `multi` strings may span
 * lines; `literal` ones ('...') have no escapes. */
int toml_lex_string(struct tp *p, struct buf *out)
{
	size_t start = p->pos;
	char q = p->s[p->pos];
	int literal = q == '\'';
	int multi = toml_lex_peek(p, 1) == q && toml_lex_peek(p, 2) == q;

	p->pos += multi ? 3 : 1;
	/* a newline right after the opening delimiter is not part of it */
	if (multi)
		tp_newline(p);
	for (;;) {
		int c = toml_lex_peek(p, 0);

		if (c < 0)
			return toml_lex_error(p, start, "unterminated string");
		if (c == q) {
			if (!multi) {
				p->pos++;
				return 0;
			}
			if (toml_lex_peek(p, 1) == q &&
			    toml_lex_peek(p, 2) == q) {
				/* up to two quotes may end the content */
				int extra = 0;

				while (extra < 2 &&
				       toml_lex_peek(p, 3 + extra) == q)
					extra++;
				buf_add(out, p->s + p->pos, (size_t)extra);
				p->pos += 3 + (size_t)extra;
				return 0;
			}
			buf_addch(out, q);
			p->pos++;
			continue;
		}
		if (c == '\\' && !literal) {
			p->pos++;
			if (multi) {
				/* a backslash ending a line trims the
				 * newline and all blank space after it */
				size_t save = p->pos;

				toml_lex_skip_ws(p);
				if (tp_newline(p)) {
					for (;;) {
						toml_lex_skip_ws(p);
						if (!tp_newline(p))
							break;
					}
					continue;
				}
				p->pos = save;
			}
			if (tp_escape(p, out) < 0)
				return -1;
			continue;
		}
		if (multi && tp_newline(p)) {
			buf_addch(out, '\n');
			continue;
		}
		if (c == '\n' || (c == '\r' && toml_lex_peek(p, 1) == '\n'))
			return toml_lex_error(p, start,
					      "unterminated string (a newline "
					      "needs a \"\"\" or ''' string)");
		if (tp_is_control(c))
			return toml_lex_error(p, p->pos,
					      "control character U+%04X in a "
					      "string",
					      (unsigned)c);
		buf_addch(out, (char)c);
		p->pos++;
	}
}

int toml_lex_is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

void toml_lex_free_parts(char **parts, size_t n)
{
	while (n)
		free(parts[--n]);
}

/* Reads a (possibly dotted) key into parts[]; *n gets their count and
 * at[] where each starts. The caller frees the parts. */
int toml_lex_key(struct tp *p, char **parts, size_t *at, size_t *n)
{
	*n = 0;
	for (;;) {
		struct buf k = BUF_INIT;
		int c = toml_lex_peek(p, 0);

		if (*n == TOML_MAX_KEY_PARTS) {
			toml_lex_free_parts(parts, *n);
			return toml_lex_error(p, p->pos,
					      "key has too many parts");
		}
		at[*n] = p->pos;
		if (c == '"' || c == '\'') {
			if (toml_lex_peek(p, 1) == c &&
			    toml_lex_peek(p, 2) == c) {
				toml_lex_free_parts(parts, *n);
				return toml_lex_error(p, p->pos,
						      "a key cannot be a "
						      "multi-line string");
			}
			if (toml_lex_string(p, &k) < 0) {
				buf_release(&k);
				toml_lex_free_parts(parts, *n);
				return -1;
			}
			if (strlen(k.ptr) != k.len) {
				buf_release(&k);
				toml_lex_free_parts(parts, *n);
				return toml_lex_error(
					p, at[*n], "key holds a NUL character");
			}
		} else if (toml_lex_is_bare(c)) {
			while (toml_lex_is_bare(toml_lex_peek(p, 0)))
				buf_addch(&k, p->s[p->pos++]);
		} else {
			toml_lex_free_parts(parts, *n);
			if (c < 0 || c == '\n' || c == '\r')
				return toml_lex_error(p, p->pos,
						      "expected a key");
			return toml_lex_error(p, p->pos,
					      "expected a key, found '%c' (keys "
					      "are letters, digits, '_', '-' or "
					      "quoted)",
					      c);
		}
		parts[(*n)++] = buf_detach(&k, NULL);
		toml_lex_skip_ws(p);
		if (toml_lex_peek(p, 0) != '.')
			return 0;
		p->pos++;
		toml_lex_skip_ws(p);
	}
}

/* Whether the bytes [from, to) parse as a TOML integer, storing it. */
int toml_lex_parse_int(const char *s, size_t len, long long *out)
{
	int base = 10, neg = 0, any = 0, last_us = 0;
	size_t i = 0;
	unsigned long long v = 0, lim;

	if (len > 2 && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		i = 2;
	} else {
		if (s[0] == '+' || s[0] == '-') {
			neg = s[0] == '-';
			i = 1;
		}
		/* no leading zeros in decimal */
		if (i + 1 < len && s[i] == '0')
			return 0;
	}
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < len; i++) {
		int h = tp_hex((unsigned char)s[i]);

		if (s[i] == '_') {
			/* only between two digits */
			if (!any || last_us)
				return 0;
			last_us = 1;
			continue;
		}
		if (h < 0 || h >= base)
			return 0;
		if (v > (lim - (unsigned long long)h) / (unsigned)base)
			return -1;
		v = v * (unsigned)base + (unsigned long long)h;
		any = 1;
		last_us = 0;
	}
	if (!any || last_us)
		return 0;
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 1;
}
