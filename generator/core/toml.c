#include "toml.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "strset.h"
#include "toml_lex.h"
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

static struct tnode *tp_value(struct tp *p);

static int tp_insert(struct tp *p, struct tnode *t, char **parts, size_t *at,
		     size_t n, struct tnode *v);

static struct tnode *tp_array(struct tp *p)
{
	struct tnode *a = tnode_new(TN_ARRAY, p->pos);

	p->pos++;
	for (;;) {
		struct tnode *v;

		if (toml_lex_skip_blank(p) < 0)
			goto fail;
		if (toml_lex_peek(p, 0) == ']') {
			p->pos++;
			return a;
		}
		if (!(v = tp_value(p)))
			goto fail;
		tnode_push(a, NULL, v);
		if (toml_lex_skip_blank(p) < 0)
			goto fail;
		if (toml_lex_peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (toml_lex_peek(p, 0) == ']') {
			p->pos++;
			return a;
		}
		toml_lex_error(p, p->pos,
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
	toml_lex_skip_ws(p);
	if (toml_lex_peek(p, 0) == '}') {
		p->pos++;
		tnode_freeze(t);
		return t;
	}
	for (;;) {
		struct tnode *v;

		toml_lex_skip_ws(p);
		if (toml_lex_key(p, parts, at, &n) < 0)
			goto fail;
		if (toml_lex_peek(p, 0) != '=') {
			toml_lex_free_parts(parts, n);
			toml_lex_error(p, p->pos, "expected '=' after key");
			goto fail;
		}
		p->pos++;
		toml_lex_skip_ws(p);
		if (!(v = tp_value(p))) {
			toml_lex_free_parts(parts, n);
			goto fail;
		}
		if (tp_insert(p, t, parts, at, n, v) < 0)
			goto fail;
		toml_lex_skip_ws(p);
		if (toml_lex_peek(p, 0) == ',') {
			p->pos++;
			toml_lex_skip_ws(p);
			if (toml_lex_peek(p, 0) == '}') {
				toml_lex_error(p, p->pos,
					       "trailing ',' in inline table");
				goto fail;
			}
			continue;
		}
		if (toml_lex_peek(p, 0) == '}') {
			p->pos++;
			tnode_freeze(t);
			return t;
		}
		toml_lex_error(p, p->pos,
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
	       (toml_lex_is_bare((unsigned char)p->s[end]) ||
		p->s[end] == '+' || p->s[end] == '.' || p->s[end] == ':'))
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
			toml_lex_error(p, start, "expected a value");
		else
			toml_lex_error(p, start, "expected a value, found '%c'",
				       p->s[start]);
		return NULL;
	}
	r = toml_lex_parse_int(p->s + start, end - start, &v);
	if (r > 0) {
		n = tnode_new(TN_INT, start);
		n->num = v;
		p->pos = end;
		return n;
	}
	if (r < 0) {
		toml_lex_error(p, start, "integer out of range");
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
		toml_lex_error(p, start,
			       "floating-point numbers and dates are not "
			       "supported here");
		return NULL;
	}
	if ((end - start == 3 && (!memcmp(p->s + start, "inf", 3) ||
				  !memcmp(p->s + start, "nan", 3))) ||
	    (end - start == 4 && (p->s[start] == '+' || p->s[start] == '-') &&
	     (!memcmp(p->s + start + 1, "inf", 3) ||
	      !memcmp(p->s + start + 1, "nan", 3)))) {
		toml_lex_error(p, start,
			       "floating-point numbers are not supported here");
		return NULL;
	}
	if ((p->s[start] >= '0' && p->s[start] <= '9') || p->s[start] == '+' ||
	    p->s[start] == '-')
		toml_lex_error(p, start, "invalid number '%.*s'",
			       (int)(end - start), p->s + start);
	else
		toml_lex_error(p, start,
			       "invalid value '%.*s' (strings need quotes)",
			       (int)(end - start), p->s + start);
	return NULL;
}

static struct tnode *tp_value(struct tp *p)
{
	int c = toml_lex_peek(p, 0);
	struct tnode *n;

	if (c == '"' || c == '\'') {
		struct buf s = BUF_INIT;

		n = tnode_new(TN_STRING, p->pos);
		if (toml_lex_string(p, &s) < 0) {
			buf_release(&s);
			tnode_free(n);
			return NULL;
		}
		n->str = buf_detach(&s, &n->slen);
		return n;
	}
	if (c == '[' || c == '{') {
		if (p->depth >= TOML_MAX_DEPTH) {
			toml_lex_error(p, p->pos, "values nested too deeply");
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
	toml_lex_error(p, at, "%s'%s'%s", before, name.ptr, after);
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
	toml_lex_free_parts(parts, n);
	return r;
}

/* A [header] or [[header]] at p->pos: makes *cur the table it opens. */
static int tp_header(struct tp *p, struct tnode *root, struct tnode **cur)
{
	char *parts[TOML_MAX_KEY_PARTS];
	size_t at[TOML_MAX_KEY_PARTS], n, i, start = p->pos;
	int array = toml_lex_peek(p, 1) == '[';
	struct tnode *t = root, *k;
	int r = 0;

	p->pos += array ? 2 : 1;
	toml_lex_skip_ws(p);
	if (toml_lex_key(p, parts, at, &n) < 0)
		return -1;
	if (toml_lex_peek(p, 0) != ']' ||
	    (array && toml_lex_peek(p, 1) != ']')) {
		toml_lex_free_parts(parts, n);
		return toml_lex_error(p, p->pos,
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
	toml_lex_free_parts(parts, n);
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
		return toml_lex_error(&p, bad, "invalid UTF-8");
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	root = cur = tnode_new(TN_TABLE, 0);
	root->flags = TN_DEFINED;
	while (p.pos < p.len) {
		int c;

		toml_lex_skip_ws(&p);
		c = toml_lex_peek(&p, 0);
		if (c == '#' || c == '\n' || c == '\r' || c < 0) {
			if (toml_lex_end_of_line(&p) < 0)
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

			if (toml_lex_key(&p, parts, at, &n) < 0)
				goto fail;
			if (toml_lex_peek(&p, 0) != '=') {
				toml_lex_free_parts(parts, n);
				toml_lex_error(&p, p.pos,
					       "expected '=' after key");
				goto fail;
			}
			p.pos++;
			toml_lex_skip_ws(&p);
			if (!(v = tp_value(&p))) {
				toml_lex_free_parts(parts, n);
				goto fail;
			}
			if (tp_insert(&p, cur, parts, at, n, v) < 0)
				goto fail;
		}
		if (toml_lex_end_of_line(&p) < 0)
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
