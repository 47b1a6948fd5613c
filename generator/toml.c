#include "toml.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "strset.h"
#include "utf8.h"
#include "xalloc.h"

/* The tree is built in nodes of our own before it becomes json-c values:
 * TOML's rules on redefinition need to know how each table came to be
 * (a [header], a dotted key, an inline table), which a JSON object cannot
 * carry. */
enum tnode_kind { TN_TABLE, TN_ARRAY, TN_TABLES, TN_STRING, TN_INT, TN_BOOL };

/* how a table came to be */
#define TN_DEFINED 1u /* by its own [header] or [[header]] */
#define TN_DOTTED 2u  /* by a dotted key (a.b = 1 makes table a) */
#define TN_FROZEN 4u  /* written inline: nothing may be added later */

struct tnode {
	enum tnode_kind kind;
	unsigned flags;
	size_t at; /* byte offset of its key (or of the value) */
	char *str; /* TN_STRING: may hold NUL bytes */
	size_t slen;
	long long num; /* TN_INT, TN_BOOL */
	/* TN_TABLE: keys[i] names kids[i]; arrays: kids only */
	char **keys;
	struct tnode **kids;
	size_t n, cap;
	struct strset index; /* TN_TABLE: key -> position in kids */
};

struct tp {
	const char *s;
	size_t len, pos;
	const char *file;
	struct diag *d;
	int depth;
	/* tnode_where(): the line and offset reached so far, so that
	 * positions of keys in order cost one pass over the text */
	size_t seen;
	int seen_line, seen_col;
};

#define TOML_MAX_KEY_PARTS 64

static struct tnode *tnode_new(enum tnode_kind kind, size_t at)
{
	struct tnode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->at = at;
	return n;
}

static void tnode_free(struct tnode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		tnode_free(n->kids[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->kids);
	free(n->keys);
	free(n->str);
	strset_release(&n->index);
	free(n);
}

static void tnode_push(struct tnode *t, const char *key, struct tnode *kid)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 4;
		t->kids = xrealloc(t->kids, t->cap * sizeof(*t->kids));
		if (t->kind == TN_TABLE)
			t->keys = xrealloc(t->keys, t->cap * sizeof(*t->keys));
	}
	if (t->kind == TN_TABLE) {
		t->keys[t->n] = xstrdup(key);
		strset_add(&t->index, key, t->n);
	}
	t->kids[t->n++] = kid;
}

static struct tnode *tnode_get(struct tnode *t, const char *key)
{
	size_t i;

	return strset_get(&t->index, key, &i) ? t->kids[i] : NULL;
}

/* Marks an inline value and everything inside it as closed. */
static void tnode_freeze(struct tnode *n)
{
	size_t i;

	n->flags |= TN_FROZEN;
	for (i = 0; i < n->n; i++)
		tnode_freeze(n->kids[i]);
}

static int tp_error_at(struct tp *p, size_t at, const char *fmt, ...)
	COMPAT_PRINTF(3, 4);

static int tp_error_at(struct tp *p, size_t at, const char *fmt, ...)
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

static int tp_peek(const struct tp *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead]
				       : -1;
}

static void tp_skip_ws(struct tp *p)
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
	if (tp_peek(p, 0) != '#')
		return 0;
	while (p->pos < p->len && p->s[p->pos] != '\n') {
		int c = (unsigned char)p->s[p->pos];

		if (c == '\r' && tp_peek(p, 1) == '\n')
			break;
		if (tp_is_control(c))
			return tp_error_at(p, p->pos,
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
	if (tp_peek(p, 0) == '\n') {
		p->pos++;
		return 1;
	}
	if (tp_peek(p, 0) == '\r' && tp_peek(p, 1) == '\n') {
		p->pos += 2;
		return 1;
	}
	return 0;
}

/* After a value or header: spaces, a comment, then the end of the line or
 * of the document. */
static int tp_end_of_line(struct tp *p)
{
	tp_skip_ws(p);
	if (tp_skip_comment(p) < 0)
		return -1;
	if (p->pos >= p->len || tp_newline(p))
		return 0;
	if (tp_peek(p, 0) == '\r')
		return tp_error_at(p, p->pos,
				   "carriage return not followed "
				   "by a line feed");
	return tp_error_at(p, p->pos,
			   "expected the end of the line, found "
			   "'%c'",
			   p->s[p->pos]);
}

/* Skips spaces, newlines and comments, as allowed inside an array. */
static int tp_skip_blank(struct tp *p)
{
	for (;;) {
		tp_skip_ws(p);
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
	int c = tp_peek(p, 0), digits = 0, i;
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
			return tp_error_at(p, at, "invalid escape in string");
		return tp_error_at(p, at, "invalid escape '\\%c' in string", c);
	}
	p->pos++;
	for (i = 0; i < digits; i++) {
		int h = tp_hex(tp_peek(p, 0));

		if (h < 0)
			return tp_error_at(p, at,
					   "'\\%c' needs %d hexadecimal digits",
					   c, digits);
		cp = cp * 16 + (unsigned long)h;
		p->pos++;
	}
	if (!digits)
		return 0;
	if (cp > UTF8_MAX || (cp >= 0xD800 && cp <= 0xDFFF))
		return tp_error_at(p, at,
				   "'\\%c' names no Unicode scalar value", c);
	if (cp == 0)
		buf_addch(out, '\0');
	else
		utf8_add(out, cp);
	return 0;
}

/* Reads a string starting at its opening quote. `multi` strings may span
 * lines; `literal` ones ('...') have no escapes. */
static int tp_string(struct tp *p, struct buf *out)
{
	size_t start = p->pos;
	char q = p->s[p->pos];
	int literal = q == '\'';
	int multi = tp_peek(p, 1) == q && tp_peek(p, 2) == q;

	p->pos += multi ? 3 : 1;
	/* a newline right after the opening delimiter is not part of it */
	if (multi)
		tp_newline(p);
	for (;;) {
		int c = tp_peek(p, 0);

		if (c < 0)
			return tp_error_at(p, start, "unterminated string");
		if (c == q) {
			if (!multi) {
				p->pos++;
				return 0;
			}
			if (tp_peek(p, 1) == q && tp_peek(p, 2) == q) {
				/* up to two quotes may end the content */
				int extra = 0;

				while (extra < 2 && tp_peek(p, 3 + extra) == q)
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

				tp_skip_ws(p);
				if (tp_newline(p)) {
					for (;;) {
						tp_skip_ws(p);
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
		if (c == '\n' || (c == '\r' && tp_peek(p, 1) == '\n'))
			return tp_error_at(p, start,
					   "unterminated string (a newline "
					   "needs a \"\"\" or ''' string)");
		if (tp_is_control(c))
			return tp_error_at(p, p->pos,
					   "control character U+%04X in a "
					   "string",
					   (unsigned)c);
		buf_addch(out, (char)c);
		p->pos++;
	}
}

static int tp_is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void tp_free_parts(char **parts, size_t n)
{
	while (n)
		free(parts[--n]);
}

/* Reads a (possibly dotted) key into parts[]; *n gets their count and
 * at[] where each starts. The caller frees the parts. */
static int tp_key(struct tp *p, char **parts, size_t *at, size_t *n)
{
	*n = 0;
	for (;;) {
		struct buf k = BUF_INIT;
		int c = tp_peek(p, 0);

		if (*n == TOML_MAX_KEY_PARTS) {
			tp_free_parts(parts, *n);
			return tp_error_at(p, p->pos, "key has too many parts");
		}
		at[*n] = p->pos;
		if (c == '"' || c == '\'') {
			if (tp_peek(p, 1) == c && tp_peek(p, 2) == c) {
				tp_free_parts(parts, *n);
				return tp_error_at(p, p->pos,
						   "a key cannot be a "
						   "multi-line string");
			}
			if (tp_string(p, &k) < 0) {
				buf_release(&k);
				tp_free_parts(parts, *n);
				return -1;
			}
			if (strlen(k.ptr) != k.len) {
				buf_release(&k);
				tp_free_parts(parts, *n);
				return tp_error_at(p, at[*n],
						   "key holds a NUL character");
			}
		} else if (tp_is_bare(c)) {
			while (tp_is_bare(tp_peek(p, 0)))
				buf_addch(&k, p->s[p->pos++]);
		} else {
			tp_free_parts(parts, *n);
			if (c < 0 || c == '\n' || c == '\r')
				return tp_error_at(p, p->pos, "expected a key");
			return tp_error_at(p, p->pos,
					   "expected a key, found '%c' (keys "
					   "are letters, digits, '_', '-' or "
					   "quoted)",
					   c);
		}
		parts[(*n)++] = buf_detach(&k, NULL);
		tp_skip_ws(p);
		if (tp_peek(p, 0) != '.')
			return 0;
		p->pos++;
		tp_skip_ws(p);
	}
}

/* Whether the bytes [from, to) parse as a TOML integer, storing it. */
static int tp_parse_int(const char *s, size_t len, long long *out)
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

static struct tnode *tp_value(struct tp *p);

static int tp_insert(struct tp *p, struct tnode *t, char **parts, size_t *at,
		     size_t n, struct tnode *v);

static struct tnode *tp_array(struct tp *p)
{
	struct tnode *a = tnode_new(TN_ARRAY, p->pos);

	p->pos++;
	for (;;) {
		struct tnode *v;

		if (tp_skip_blank(p) < 0)
			goto fail;
		if (tp_peek(p, 0) == ']') {
			p->pos++;
			return a;
		}
		if (!(v = tp_value(p)))
			goto fail;
		tnode_push(a, NULL, v);
		if (tp_skip_blank(p) < 0)
			goto fail;
		if (tp_peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (tp_peek(p, 0) == ']') {
			p->pos++;
			return a;
		}
		tp_error_at(p, p->pos,
			    p->pos < p->len ? "expected ',' or ']' in array"
					    : "unterminated array");
		goto fail;
	}
fail:
	tnode_free(a);
	return NULL;
}

static struct tnode *tp_inline_table(struct tp *p)
{
	struct tnode *t = tnode_new(TN_TABLE, p->pos);
	char *parts[TOML_MAX_KEY_PARTS];
	size_t at[TOML_MAX_KEY_PARTS], n;

	p->pos++;
	tp_skip_ws(p);
	if (tp_peek(p, 0) == '}') {
		p->pos++;
		tnode_freeze(t);
		return t;
	}
	for (;;) {
		struct tnode *v;

		tp_skip_ws(p);
		if (tp_key(p, parts, at, &n) < 0)
			goto fail;
		if (tp_peek(p, 0) != '=') {
			tp_free_parts(parts, n);
			tp_error_at(p, p->pos, "expected '=' after key");
			goto fail;
		}
		p->pos++;
		tp_skip_ws(p);
		if (!(v = tp_value(p))) {
			tp_free_parts(parts, n);
			goto fail;
		}
		if (tp_insert(p, t, parts, at, n, v) < 0)
			goto fail;
		tp_skip_ws(p);
		if (tp_peek(p, 0) == ',') {
			p->pos++;
			tp_skip_ws(p);
			if (tp_peek(p, 0) == '}') {
				tp_error_at(p, p->pos,
					    "trailing ',' in inline table");
				goto fail;
			}
			continue;
		}
		if (tp_peek(p, 0) == '}') {
			p->pos++;
			tnode_freeze(t);
			return t;
		}
		tp_error_at(p, p->pos,
			    "expected ',' or '}' in inline table (it must "
			    "stay on one line)");
		goto fail;
	}
fail:
	tnode_free(t);
	return NULL;
}

static struct tnode *tp_scalar(struct tp *p)
{
	size_t start = p->pos, end = p->pos, i;
	long long v;
	int r, odd = 0;
	struct tnode *n;

	while (end < p->len &&
	       (tp_is_bare((unsigned char)p->s[end]) || p->s[end] == '+' ||
		p->s[end] == '.' || p->s[end] == ':'))
		end++;
	if (end - start == 4 && !memcmp(p->s + start, "true", 4)) {
		n = tnode_new(TN_BOOL, start);
		n->num = 1;
		p->pos = end;
		return n;
	}
	if (end - start == 5 && !memcmp(p->s + start, "false", 5)) {
		n = tnode_new(TN_BOOL, start);
		p->pos = end;
		return n;
	}
	if (end == start) {
		if (start >= p->len || p->s[start] == '\n' ||
		    p->s[start] == '\r' || p->s[start] == '#')
			tp_error_at(p, start, "expected a value");
		else
			tp_error_at(p, start, "expected a value, found '%c'",
				    p->s[start]);
		return NULL;
	}
	r = tp_parse_int(p->s + start, end - start, &v);
	if (r > 0) {
		n = tnode_new(TN_INT, start);
		n->num = v;
		p->pos = end;
		return n;
	}
	if (r < 0) {
		tp_error_at(p, start, "integer out of range");
		return NULL;
	}
	/* what a float or a date would look like: tell that apart from a
	 * word written without quotes */
	for (i = start; i < end; i++)
		if (p->s[i] == '.' || p->s[i] == ':' ||
		    (i > start &&
		     (p->s[i] == '-' || p->s[i] == 'e' || p->s[i] == 'E')))
			odd = 1;
	if (((p->s[start] >= '0' && p->s[start] <= '9') || p->s[start] == '+' ||
	     p->s[start] == '-') &&
	    odd) {
		tp_error_at(p, start,
			    "floating-point numbers and dates are not "
			    "supported here");
		return NULL;
	}
	if ((end - start == 3 && (!memcmp(p->s + start, "inf", 3) ||
				  !memcmp(p->s + start, "nan", 3))) ||
	    (end - start == 4 && (p->s[start] == '+' || p->s[start] == '-') &&
	     (!memcmp(p->s + start + 1, "inf", 3) ||
	      !memcmp(p->s + start + 1, "nan", 3)))) {
		tp_error_at(p, start,
			    "floating-point numbers are not supported here");
		return NULL;
	}
	if ((p->s[start] >= '0' && p->s[start] <= '9') || p->s[start] == '+' ||
	    p->s[start] == '-')
		tp_error_at(p, start, "invalid number '%.*s'",
			    (int)(end - start), p->s + start);
	else
		tp_error_at(p, start,
			    "invalid value '%.*s' (strings need quotes)",
			    (int)(end - start), p->s + start);
	return NULL;
}

static struct tnode *tp_value(struct tp *p)
{
	int c = tp_peek(p, 0);
	struct tnode *n;

	if (c == '"' || c == '\'') {
		struct buf s = BUF_INIT;

		n = tnode_new(TN_STRING, p->pos);
		if (tp_string(p, &s) < 0) {
			buf_release(&s);
			tnode_free(n);
			return NULL;
		}
		n->str = buf_detach(&s, &n->slen);
		return n;
	}
	if (c == '[' || c == '{') {
		if (p->depth >= TOML_MAX_DEPTH) {
			tp_error_at(p, p->pos, "values nested too deeply");
			return NULL;
		}
		p->depth++;
		n = c == '[' ? tp_array(p) : tp_inline_table(p);
		p->depth--;
		return n;
	}
	return tp_scalar(p);
}

/* Writes the first `n` parts of a key as "a.b.c" for messages. */
static void tp_key_name(struct buf *out, char **parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addch(out, '.');
		buf_adds(out, parts[i]);
	}
}

/* Reports "<before>'a.b'<after>" for the first n parts of a key. */
static int tp_key_error(struct tp *p, size_t at, const char *before,
			char **parts, size_t n, const char *after)
{
	struct buf name = BUF_INIT;

	tp_key_name(&name, parts, n);
	tp_error_at(p, at, "%s'%s'%s", before, name.ptr, after);
	buf_release(&name);
	return -1;
}

/* Sets key `parts` (dotted, relative to table t) to v, creating the
 * tables its dots name. Takes ownership of v and of the parts. */
static int tp_insert(struct tp *p, struct tnode *t, char **parts, size_t *at,
		     size_t n, struct tnode *v)
{
	size_t i;
	int r = 0;

	for (i = 0; i + 1 < n; i++) {
		struct tnode *k = tnode_get(t, parts[i]);

		if (!k) {
			k = tnode_new(TN_TABLE, at[i]);
			k->flags = TN_DOTTED;
			tnode_push(t, parts[i], k);
		} else if (k->kind != TN_TABLE || !(k->flags & TN_DOTTED) ||
			   (k->flags & TN_FROZEN)) {
			r = tp_key_error(p, at[i],
					 k->kind == TN_TABLE ? "table "
							     : "key ",
					 parts, i + 1,
					 k->kind == TN_TABLE
						 ? " is already defined; dotted "
						   "keys cannot add to it"
						 : " is already a value");
			goto out;
		}
		t = k;
	}
	if (tnode_get(t, parts[n - 1])) {
		r = tp_key_error(p, at[n - 1], "duplicate key ", parts, n, "");
		goto out;
	}
	v->at = at[n - 1];
	tnode_push(t, parts[n - 1], v);
	v = NULL;
out:
	tnode_free(v);
	tp_free_parts(parts, n);
	return r;
}

/* A [header] or [[header]] at p->pos: makes *cur the table it opens. */
static int tp_header(struct tp *p, struct tnode *root, struct tnode **cur)
{
	char *parts[TOML_MAX_KEY_PARTS];
	size_t at[TOML_MAX_KEY_PARTS], n, i, start = p->pos;
	int array = tp_peek(p, 1) == '[';
	struct tnode *t = root, *k;
	int r = 0;

	p->pos += array ? 2 : 1;
	tp_skip_ws(p);
	if (tp_key(p, parts, at, &n) < 0)
		return -1;
	if (tp_peek(p, 0) != ']' || (array && tp_peek(p, 1) != ']')) {
		tp_free_parts(parts, n);
		return tp_error_at(p, p->pos,
				   array ? "expected ']]'" : "expected ']'");
	}
	p->pos += array ? 2 : 1;
	for (i = 0; i + 1 < n; i++) {
		k = tnode_get(t, parts[i]);
		if (!k) {
			k = tnode_new(TN_TABLE, at[i]);
			tnode_push(t, parts[i], k);
		} else if (k->kind == TN_TABLES) {
			k = k->kids[k->n - 1];
		} else if (k->kind != TN_TABLE || (k->flags & TN_FROZEN)) {
			r = tp_key_error(p, at[i], "key ", parts, i + 1,
					 " is already a value");
			goto out;
		}
		t = k;
	}
	k = tnode_get(t, parts[n - 1]);
	if (array) {
		if (!k) {
			k = tnode_new(TN_TABLES, at[n - 1]);
			tnode_push(t, parts[n - 1], k);
		} else if (k->kind != TN_TABLES) {
			r = tp_key_error(p, at[n - 1], "", parts, n,
					 " is not an array of tables");
			goto out;
		}
		*cur = tnode_new(TN_TABLE, start);
		(*cur)->flags = TN_DEFINED;
		tnode_push(k, NULL, *cur);
	} else {
		if (!k) {
			k = tnode_new(TN_TABLE, at[n - 1]);
			tnode_push(t, parts[n - 1], k);
		} else if (k->kind != TN_TABLE ||
			   (k->flags & (TN_DEFINED | TN_DOTTED | TN_FROZEN))) {
			r = tp_key_error(p, at[n - 1],
					 k->kind == TN_TABLE ? "table "
							     : "key ",
					 parts, n,
					 k->kind == TN_TABLE
						 ? " is defined twice"
						 : " is already a value");
			goto out;
		}
		k->flags |= TN_DEFINED;
		k->at = at[n - 1];
		*cur = k;
	}
out:
	tp_free_parts(parts, n);
	return r;
}

static struct json_object *tnode_json(const struct tnode *n)
{
	struct json_object *o;
	size_t i;

	switch (n->kind) {
	case TN_STRING:
		return json_object_new_string_len(n->str, (int)n->slen);
	case TN_INT:
		return json_object_new_int64(n->num);
	case TN_BOOL:
		return json_object_new_boolean(n->num != 0);
	case TN_TABLE:
		o = json_object_new_object();
		for (i = 0; i < n->n; i++)
			json_object_object_add(o, n->keys[i],
					       tnode_json(n->kids[i]));
		return o;
	case TN_ARRAY:
	case TN_TABLES:
		o = json_object_new_array();
		for (i = 0; i < n->n; i++)
			json_object_array_add(o, tnode_json(n->kids[i]));
		return o;
	}
	return NULL;
}

/* The line and column of byte `at`, counting on from the last position
 * asked for when `at` lies after it. */
static void tp_position(struct tp *p, size_t at, int *line, int *col)
{
	if (at < p->seen || !p->seen_line) {
		p->seen = 0;
		p->seen_line = p->seen_col = 1;
	}
	for (; p->seen < at; p->seen++) {
		if (p->s[p->seen] == '\n') {
			p->seen_line++;
			p->seen_col = 1;
		} else if (!UTF8_IS_CONT(p->s[p->seen])) {
			p->seen_col++;
		}
	}
	*line = p->seen_line;
	*col = p->seen_col;
}

/* Records where each key of table n (whose path is `path`) is written. */
static void tnode_where(struct tp *p, const struct tnode *n, struct buf *path,
			struct json_object *where)
{
	size_t i, keep = path->len;

	for (i = 0; i < n->n; i++) {
		const struct tnode *k = n->kids[i];
		struct json_object *pos;
		int line, col;

		buf_truncate(path, keep);
		if (n->kind == TN_TABLE) {
			if (keep)
				buf_addch(path, '.');
			buf_adds(path, n->keys[i]);
			tp_position(p, k->at, &line, &col);
			pos = json_object_new_array();
			json_object_array_add(pos, json_object_new_int(line));
			json_object_array_add(pos, json_object_new_int(col));
			json_object_object_add(where, path->ptr, pos);
		}
		if (k->kind == TN_TABLE ||
		    (k->kind == TN_TABLES && n->kind == TN_TABLE))
			tnode_where(p, k, path, where);
	}
	buf_truncate(path, keep);
}

int toml_parse(const char *text, size_t len, const char *file,
	       struct json_object **out, struct json_object **where,
	       struct diag *d)
{
	struct tp p = { text, len, 0, file, d, 0, 0, 0, 0 };
	struct tnode *root, *cur;
	size_t bad;

	*out = NULL;
	if (where)
		*where = NULL;
	if (len > TOML_MAX_SIZE)
		return diag_error(d, file, 0, 0,
				  "file is larger than %zu bytes",
				  (size_t)TOML_MAX_SIZE);
	if (!utf8_valid(text, len, &bad))
		return tp_error_at(&p, bad, "invalid UTF-8");
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	root = cur = tnode_new(TN_TABLE, 0);
	root->flags = TN_DEFINED;
	while (p.pos < p.len) {
		int c;

		tp_skip_ws(&p);
		c = tp_peek(&p, 0);
		if (c == '#' || c == '\n' || c == '\r' || c < 0) {
			if (tp_end_of_line(&p) < 0)
				goto fail;
			continue;
		}
		if (c == '[') {
			if (tp_header(&p, root, &cur) < 0)
				goto fail;
		} else {
			char *parts[TOML_MAX_KEY_PARTS];
			size_t at[TOML_MAX_KEY_PARTS], n;
			struct tnode *v;

			if (tp_key(&p, parts, at, &n) < 0)
				goto fail;
			if (tp_peek(&p, 0) != '=') {
				tp_free_parts(parts, n);
				tp_error_at(&p, p.pos,
					    "expected '=' after key");
				goto fail;
			}
			p.pos++;
			tp_skip_ws(&p);
			if (!(v = tp_value(&p))) {
				tp_free_parts(parts, n);
				goto fail;
			}
			if (tp_insert(&p, cur, parts, at, n, v) < 0)
				goto fail;
		}
		if (tp_end_of_line(&p) < 0)
			goto fail;
	}
	*out = tnode_json(root);
	if (where) {
		struct buf path = BUF_INIT;

		*where = json_object_new_object();
		tnode_where(&p, root, &path, *where);
		buf_release(&path);
	}
	tnode_free(root);
	return 0;
fail:
	tnode_free(root);
	return -1;
}
