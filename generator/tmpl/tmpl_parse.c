/* tmpl_parse: the set of templates, and parsing a template into the
 * tree that tmpl_render walks (see tmpl.h for the engine, tmpl_tree.h
 * for the tree).
 *
 * A template is parsed once, when added, in three passes over its own
 * copy of the source:
 *
 *   1. tmpl_lex cuts the source into tokens: text (split after every
 *      newline, so that a text token never spans two lines) and tags,
 *      following {{=...=}} delimiter changes as it goes.
 *   2. tmpl_mark_lines applies the standalone rule line by line: a line
 *      holding only whitespace and tags that print nothing (sections,
 *      comments, partials, parents, blocks, delimiter changes) is removed
 *      from the output, its indentation kept on the tags for partials and
 *      blocks. Every other line marks its first token as a line start,
 *      where a partial's indentation goes.
 *   3. tmpl_build turns the tokens into the tree of tmpl_tree.h, a flat
 *      array of nodes in document order. */
#include "tmpl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "tmpl_tree.h"
#include "xalloc.h"

#define TMPL_TOK_TEXT 0

/* Token flags. */
#define TMPL_TOK_STANDALONE 1u
#define TMPL_TOK_DROP 2u /* text: part of a removed standalone line */
#define TMPL_TOK_BOL 4u  /* first token of a line that is kept */

struct tmpl_tok {
	int kind; /* TMPL_TOK_TEXT, 'v' for {{x}}, else the sigil */
	unsigned flags;
	size_t start, end;     /* the token's bytes, delimiters included */
	size_t name, name_len; /* tags: the trimmed content */
	size_t ws, ws_len;     /* standalone tags: the line's indentation */
	size_t line_start, line_end;
	int line, col;
};

struct tmpl_parser {
	const char *src;
	size_t len;
	const char *file;
	struct diag *d;
	struct tmpl_tok *toks;
	size_t ntoks, cap;
	size_t cur; /* position cursor for line and column */
	int line, col;
};

uint32_t tmpl_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static int tmpl_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static int tmpl_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The 1-based line and column (in characters) of byte `off`. Offsets
 * usually come in increasing order, so a cursor makes this linear. */
static void tmpl_position(struct tmpl_parser *p, size_t off, int *line,
			  int *col)
{
	if (off < p->cur) {
		diag_position(p->src, off, line, col);
		return;
	}
	while (p->cur < off) {
		unsigned char c = (unsigned char)p->src[p->cur++];

		if (c == '\n') {
			p->line++;
			p->col = 1;
		} else if ((c & 0xC0) != 0x80) {
			p->col++;
		}
	}
	*line = p->line;
	*col = p->col;
}

static int tmpl_error_at(struct tmpl_parser *p, int line, int col,
			 const char *fmt, ...) COMPAT_PRINTF(4, 5);

static int tmpl_error_at(struct tmpl_parser *p, int line, int col,
			 const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(p->d, p->file, line, col, "%s", msg.ptr);
	diag_attach_source(p->d, p->src, p->len, line);
	buf_release(&msg);
	return -1;
}

/* The offset of `pat` in s[from, len), or TMPL_NONE. */
static size_t tmpl_find(const char *s, size_t from, size_t len, const char *pat,
			size_t plen)
{
	while (from < len && len - from >= plen) {
		const char *c = memchr(s + from, pat[0], len - from - plen + 1);

		if (!c)
			return TMPL_NONE;
		from = (size_t)(c - s);
		if (!memcmp(c, pat, plen))
			return from;
		from++;
	}
	return TMPL_NONE;
}

/* The offset of byte `lead` directly followed by `pat`, searching from
 * `from`, or TMPL_NONE. */
static size_t tmpl_find_led(const char *s, size_t from, size_t len, char lead,
			    const char *pat, size_t plen)
{
	size_t at = from;

	for (;;) {
		at = tmpl_find(s, at, len, pat, plen);
		if (at == TMPL_NONE)
			return TMPL_NONE;
		if (at > from && s[at - 1] == lead)
			return at - 1;
		at++;
	}
}

static struct tmpl_tok *tmpl_push_tok(struct tmpl_parser *p, int kind,
				      size_t start, size_t end)
{
	struct tmpl_tok *t;

	p->toks = xgrow(p->toks, sizeof(*p->toks), p->ntoks + 1, &p->cap);
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = start;
	t->end = end;
	return t;
}

static void tmpl_add_text(struct tmpl_parser *p, size_t a, size_t b)
{
	while (a < b) {
		const char *nl = memchr(p->src + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - p->src) + 1 : b;

		tmpl_push_tok(p, TMPL_TOK_TEXT, a, e);
		a = e;
	}
}

/* Checks the name of a tag that needs one: not empty, no whitespace, and
 * for names looked up in the data no empty part between dots. */
static int tmpl_check_name(struct tmpl_parser *p, const struct tmpl_tok *t)
{
	const char *s = p->src + t->name;
	size_t i, n = t->name_len;
	int dotted = t->kind == 'v' || t->kind == '&' || t->kind == '{' ||
		     t->kind == '#' || t->kind == '^';

	if (!n)
		return tmpl_error_at(p, t->line, t->col,
				     "missing name in tag '%.*s'",
				     (int)(t->end - t->start),
				     p->src + t->start);
	for (i = 0; i < n; i++)
		if (tmpl_is_space(s[i]))
			break;
	if (i < n)
		return tmpl_error_at(p, t->line, t->col,
				     "invalid tag name '%.*s'", (int)n, s);
	if (!dotted || (n == 1 && s[0] == '.'))
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '.' && (i == 0 || i + 1 == n || s[i + 1] == '.'))
			return tmpl_error_at(p, t->line, t->col,
					     "invalid tag name '%.*s'", (int)n,
					     s);
	return 0;
}

/* Reads the new delimiters of {{=open close=}} from c[0, n). */
static int tmpl_set_delims(struct tmpl_parser *p, const struct tmpl_tok *t,
			   const char *c, size_t n, const char **open,
			   size_t *olen, const char **close, size_t *clen)
{
	size_t i = 0, a, alen, b, blen;

	while (i < n && tmpl_is_space(c[i]))
		i++;
	a = i;
	while (i < n && !tmpl_is_space(c[i]) && c[i] != '=')
		i++;
	alen = i - a;
	while (i < n && tmpl_is_space(c[i]))
		i++;
	b = i;
	while (i < n && !tmpl_is_space(c[i]) && c[i] != '=')
		i++;
	blen = i - b;
	while (i < n && tmpl_is_space(c[i]))
		i++;
	if (!alen || !blen || i < n)
		return tmpl_error_at(p, t->line, t->col,
				     "invalid delimiter change '%.*s'",
				     (int)(t->end - t->start),
				     p->src + t->start);
	*open = c + a;
	*olen = alen;
	*close = c + b;
	*clen = blen;
	return 0;
}

static int tmpl_lex(struct tmpl_parser *p)
{
	const char *src = p->src, *open = "{{", *close = "}}";
	size_t len = p->len, olen = 2, clen = 2, pos = 0;

	while (pos < len) {
		size_t at = tmpl_find(src, pos, len, open, olen);
		size_t q, ns, ne, e;
		struct tmpl_tok *t;
		int kind = 'v';

		if (at == TMPL_NONE) {
			tmpl_add_text(p, pos, len);
			break;
		}
		tmpl_add_text(p, pos, at);
		q = at + olen;
		if (q < len && src[q] && strchr("{&#^/!><$=", src[q]))
			kind = src[q];
		ns = kind == 'v' ? q : q + 1;
		if (kind == '{' || kind == '=')
			ne = tmpl_find_led(src, ns, len,
					   kind == '{' ? '}' : '=', close,
					   clen);
		else
			ne = tmpl_find(src, ns, len, close, clen);
		t = tmpl_push_tok(p, kind, at, 0);
		tmpl_position(p, at, &t->line, &t->col);
		if (ne == TMPL_NONE)
			return tmpl_error_at(p, t->line, t->col,
					     "unclosed tag, missing '%.*s'",
					     (int)clen, close);
		e = ne + clen + (kind == '{' || kind == '=');
		t->end = e;
		if (kind == '=' && tmpl_set_delims(p, t, src + ns, ne - ns,
						   &open, &olen, &close, &clen))
			return -1;
		while (ns < ne && tmpl_is_space(src[ns]))
			ns++;
		while (ne > ns && tmpl_is_space(src[ne - 1]))
			ne--;
		t->name = ns;
		t->name_len = ne - ns;
		if (kind != '!' && kind != '=' && tmpl_check_name(p, t))
			return -1;
		pos = e;
	}
	return 0;
}

/* Whether text token t is only spaces and tabs, before an optional final
 * newline. */
static int tmpl_tok_blank(const struct tmpl_parser *p, const struct tmpl_tok *t)
{
	size_t i, end = t->end;

	if (p->src[end - 1] == '\n') {
		end--;
		if (end > t->start && p->src[end - 1] == '\r')
			end--;
	}
	for (i = t->start; i < end; i++)
		if (!tmpl_is_blank(p->src[i]))
			return 0;
	return 1;
}

static int tmpl_prints(int kind)
{
	return kind == 'v' || kind == '&' || kind == '{';
}

/* Applies the standalone rule to the line made of tokens i..j. */
static void tmpl_mark_line(struct tmpl_parser *p, size_t i, size_t j)
{
	struct tmpl_tok *toks = p->toks;
	size_t k, ws = toks[i].start, ws_len = 0, tag1 = 0, tag2 = 0;
	int tags = 0, standalone = 1;

	for (k = i; k <= j; k++) {
		toks[k].line_start = toks[i].start;
		toks[k].line_end = toks[j].end;
		if (toks[k].kind == TMPL_TOK_TEXT) {
			if (!tmpl_tok_blank(p, &toks[k]))
				standalone = 0;
			continue;
		}
		if (tmpl_prints(toks[k].kind))
			standalone = 0;
		if (!tags)
			tag1 = k;
		else
			tag2 = k;
		tags++;
	}
	if (!tags || !standalone) {
		const struct tmpl_tok *t = &toks[i];

		toks[i].flags |= TMPL_TOK_BOL;
		if (t->kind == TMPL_TOK_TEXT) {
			size_t e = t->start;

			while (e < t->end && tmpl_is_blank(p->src[e]))
				e++;
			toks[i].ws_len = e - t->start;
		}
		return;
	}
	/* Standalone: the tags take the line's indentation, the
	 * whitespace and the newline go. */
	if (toks[i].kind == TMPL_TOK_TEXT)
		ws_len = toks[i].end - toks[i].start;
	for (k = i; k <= j; k++) {
		if (toks[k].kind == TMPL_TOK_TEXT) {
			toks[k].flags |= TMPL_TOK_DROP;
		} else {
			toks[k].flags |= TMPL_TOK_STANDALONE;
			toks[k].ws = ws;
			toks[k].ws_len = ws_len;
		}
	}
	/* A block opened and closed on its own line ({{$b}}{{/b}}) is
	 * standalone for its indentation, but keeps the newline: the
	 * content that replaces it usually does not end with one. */
	if (tags == 2 && tag2 == tag1 + 1 && toks[tag1].kind == '$' &&
	    toks[tag2].kind == '/' &&
	    toks[tag1].name_len == toks[tag2].name_len &&
	    !memcmp(p->src + toks[tag1].name, p->src + toks[tag2].name,
		    toks[tag1].name_len) &&
	    toks[j].kind == TMPL_TOK_TEXT && p->src[toks[j].end - 1] == '\n') {
		struct tmpl_tok *t = &toks[j];

		t->flags &= ~TMPL_TOK_DROP;
		t->start = t->end - 1;
		if (t->start > toks[tag2].end && p->src[t->start - 1] == '\r')
			t->start--;
	}
}

static void tmpl_mark_lines(struct tmpl_parser *p)
{
	size_t i = 0, j;

	while (i < p->ntoks) {
		for (j = i; j + 1 < p->ntoks; j++)
			if (p->toks[j].kind == TMPL_TOK_TEXT &&
			    p->src[p->toks[j].end - 1] == '\n')
				break;
		tmpl_mark_line(p, i, j);
		i = j + 1;
	}
}

static struct tmpl_node *tmpl_add_node(struct tmpl *t, int kind)
{
	struct tmpl_node *n;

	t->nodes = xgrow(t->nodes, sizeof(*t->nodes), t->n + 1, &t->cap);
	n = &t->nodes[t->n];
	memset(n, 0, sizeof(*n));
	n->kind = (unsigned char)kind;
	n->next = ++t->n;
	return n;
}

static struct tmpl_node *tmpl_add_tag(struct tmpl_parser *p, struct tmpl *t,
				      int kind, const struct tmpl_tok *k)
{
	struct tmpl_node *n = tmpl_add_node(t, kind);

	n->name = xstrndup(p->src + k->name, k->name_len);
	n->line = k->line;
	n->col = k->col;
	if (kind == TMPL_PARTIAL || kind == TMPL_PARENT || kind == TMPL_BLOCK) {
		n->hash = tmpl_hash(n->name);
		if (k->flags & TMPL_TOK_STANDALONE) {
			n->flags |= TMPL_STANDALONE;
			n->text = p->src + k->ws;
			n->len = k->ws_len;
		}
	} else if (strcmp(n->name, ".") != 0) {
		char *s;

		n->path = xstrdup(n->name);
		n->nparts = 1;
		for (s = n->path; *s; s++) {
			if (*s == '.') {
				*s = '\0';
				n->nparts++;
			}
		}
	}
	return n;
}

/* Sets the indentation of block n, opened by token `open` and closed by
 * `close`, from the lines between them: when the opening tag is
 * standalone, `ws` is the whitespace common to the lines that are not
 * blank, and `text` is that whitespace or, without such lines, the
 * whitespace before the opening tag. */
static void tmpl_block_indent(struct tmpl_parser *p, struct tmpl_node *n,
			      const struct tmpl_tok *open,
			      const struct tmpl_tok *close)
{
	const char *s = p->src;
	size_t pos, end, first = 0, common = 0;
	int have = 0;

	if (!(open->flags & TMPL_TOK_STANDALONE))
		return;
	pos = open->line_end;
	end = close->flags & TMPL_TOK_STANDALONE ? close->line_start
						 : close->start;
	while (pos < end) {
		size_t eol = pos, w = pos, k;

		while (eol < end && s[eol] != '\n')
			eol++;
		while (w < eol && tmpl_is_blank(s[w]))
			w++;
		if (w < eol && !(s[w] == '\r' && w + 1 == eol)) {
			if (!have) {
				first = pos;
				common = w - pos;
				have = 1;
			} else {
				for (k = 0; k < common && k < w - pos; k++)
					if (s[pos + k] != s[first + k])
						break;
				common = k;
			}
		}
		pos = eol + 1;
	}
	if (have) {
		n->ws = common;
		n->text = s + first;
		n->len = common;
	}
}

static const char *tmpl_kind_word(int kind)
{
	switch (kind) {
	case '<':
		return "parent";
	case '$':
		return "block";
	default:
		return "section";
	}
}

struct tmpl_open {
	size_t tok, node;
};

/* Adds the node of text token `k`, unless its line is left out. */
static void tmpl_build_text(struct tmpl_parser *p, struct tmpl *t,
			    const struct tmpl_tok *k)
{
	struct tmpl_node *n;

	if (k->flags & TMPL_TOK_DROP)
		return;
	n = tmpl_add_node(t, TMPL_TEXT);
	n->text = p->src + k->start;
	n->len = k->end - k->start;
	if (k->flags & TMPL_TOK_BOL) {
		n->flags |= TMPL_BOL;
		n->ws = k->ws_len;
		if (n->text[0] == '\n' || (n->text[0] == '\r' && n->len == 2))
			n->flags |= TMPL_EMPTY_LINE;
	}
}

/* Closes the section, parent or block open on top of `stack` (*depth
 * entries) with the closing tag `k`. Returns 0, or -1 after reporting a
 * closing tag that closes nothing or does not match. */
static int tmpl_build_close(struct tmpl_parser *p, struct tmpl *t,
			    const struct tmpl_open *stack, size_t *depth,
			    const struct tmpl_tok *k)
{
	const struct tmpl_tok *o;
	struct tmpl_node *n;

	if (!*depth)
		return tmpl_error_at(p, k->line, k->col,
				     "closing tag '%.*s' without open section",
				     (int)k->name_len, p->src + k->name);
	o = &p->toks[stack[*depth - 1].tok];
	if (o->name_len != k->name_len ||
	    memcmp(p->src + o->name, p->src + k->name, k->name_len) != 0)
		return tmpl_error_at(p, k->line, k->col,
				     "closing tag '%.*s' does not match open "
				     "%s '%.*s'",
				     (int)k->name_len, p->src + k->name,
				     tmpl_kind_word(o->kind), (int)o->name_len,
				     p->src + o->name);
	(*depth)--;
	n = &t->nodes[stack[*depth].node];
	n->next = t->n;
	if (o->kind == '$')
		tmpl_block_indent(p, n, o, k);
	return 0;
}

static int tmpl_build(struct tmpl_parser *p, struct tmpl *t)
{
	struct tmpl_open *stack = NULL;
	size_t depth = 0, cap = 0, i;
	int rc = -1;

	for (i = 0; i < p->ntoks; i++) {
		const struct tmpl_tok *k = &p->toks[i];
		struct tmpl_node *n;

		if (k->kind == TMPL_TOK_TEXT) {
			tmpl_build_text(p, t, k);
			continue;
		}
		if (k->flags & TMPL_TOK_BOL) {
			/* A line starting with a tag: an empty text node
			 * holds the place of its indentation. */
			n = tmpl_add_node(t, TMPL_TEXT);
			n->text = p->src + k->start;
			n->flags |= TMPL_BOL;
		}
		switch (k->kind) {
		case '!':
		case '=':
			break;
		case 'v':
			tmpl_add_tag(p, t, TMPL_VAR, k);
			break;
		case '&':
		case '{':
			tmpl_add_tag(p, t, TMPL_RAW, k);
			break;
		case '>':
			tmpl_add_tag(p, t, TMPL_PARTIAL, k);
			break;
		case '#':
		case '^':
		case '<':
		case '$':
			if (depth >= TMPL_MAX_NESTING) {
				tmpl_error_at(p, k->line, k->col,
					      "%s '%.*s' nested deeper than %d "
					      "levels",
					      tmpl_kind_word(k->kind),
					      (int)k->name_len,
					      p->src + k->name,
					      TMPL_MAX_NESTING);
				goto out;
			}
			tmpl_add_tag(p, t,
				     k->kind == '#'   ? TMPL_SECTION
				     : k->kind == '^' ? TMPL_INVERTED
				     : k->kind == '<' ? TMPL_PARENT
						      : TMPL_BLOCK,
				     k);
			stack = xgrow(stack, sizeof(*stack), depth + 1, &cap);
			stack[depth].tok = i;
			stack[depth].node = t->n - 1;
			depth++;
			break;
		case '/':
			if (tmpl_build_close(p, t, stack, &depth, k) < 0)
				goto out;
			break;
		}
	}
	if (depth) {
		const struct tmpl_tok *o = &p->toks[stack[depth - 1].tok];

		tmpl_error_at(p, o->line, o->col, "unclosed %s '%.*s'",
			      tmpl_kind_word(o->kind), (int)o->name_len,
			      p->src + o->name);
		goto out;
	}
	rc = 0;
out:
	free(stack);
	return rc;
}

static void tmpl_free(struct tmpl *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->nodes[i].name);
		free(t->nodes[i].path);
	}
	free(t->nodes);
	free(t->src);
	free(t->name);
	free(t->file);
	free(t);
}

/* The set. */

struct tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

void tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->cap; i++)
		tmpl_free(set->slots[i]);
	free(set->slots);
	free(set);
}

static size_t tmpl_slot(const struct tmpl_set *set, const char *name,
			uint32_t hash)
{
	size_t mask = set->cap - 1, i = hash & mask;

	while (set->slots[i] && (set->slots[i]->hash != hash ||
				 strcmp(set->slots[i]->name, name) != 0))
		i = (i + 1) & mask;
	return i;
}

const struct tmpl *tmpl_set_find(const struct tmpl_set *set, const char *name,
				 uint32_t hash)
{
	if (!set->cap)
		return NULL;
	return set->slots[tmpl_slot(set, name, hash)];
}

static void tmpl_set_put(struct tmpl_set *set, struct tmpl *t)
{
	size_t i;

	if ((set->n + 1) * 2 > set->cap) {
		struct tmpl **old = set->slots;
		size_t oldcap = set->cap;

		set->cap = oldcap ? oldcap * 2 : 16;
		set->slots = xcalloc(set->cap, sizeof(*set->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i])
				set->slots[tmpl_slot(set, old[i]->name,
						     old[i]->hash)] = old[i];
		free(old);
	}
	i = tmpl_slot(set, t->name, t->hash);
	if (set->slots[i])
		tmpl_free(set->slots[i]);
	else
		set->n++;
	set->slots[i] = t;
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *file,
		 const char *src, size_t len, struct diag *d)
{
	struct tmpl *t = xcalloc(1, sizeof(*t));
	struct tmpl_parser p;
	int rc;

	t->name = xstrdup(name);
	t->file = xstrdup(file ? file : name);
	t->hash = tmpl_hash(name);
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;

	memset(&p, 0, sizeof(p));
	p.src = t->src;
	p.len = len;
	p.file = t->file;
	p.d = d;
	p.line = 1;
	p.col = 1;
	rc = tmpl_lex(&p);
	if (!rc) {
		tmpl_mark_lines(&p);
		rc = tmpl_build(&p, t);
	}
	free(p.toks);
	if (rc) {
		tmpl_free(t);
		return -1;
	}
	tmpl_set_put(set, t);
	return 0;
}

int tmpl_set_has(const struct tmpl_set *set, const char *name)
{
	return tmpl_set_find(set, name, tmpl_hash(name)) != NULL;
}

void tmpl_each_name(const struct tmpl_set *set, const char *name,
		    void (*fn)(void *arg, const char *file, const char *tag,
			       int depth, int line, int col),
		    void *arg)
{
	const struct tmpl *t = tmpl_set_find(set, name, tmpl_hash(name));
	/* the ends of the sections the walk is inside */
	size_t ends[TMPL_MAX_NESTING + 1], i;
	int depth = 0;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		const struct tmpl_node *n = &t->nodes[i];
		while (depth && ends[depth - 1] <= i)
			depth--;
		if (n->kind != TMPL_VAR && n->kind != TMPL_RAW &&
		    n->kind != TMPL_SECTION && n->kind != TMPL_INVERTED)
			continue;
		fn(arg, t->file, n->name, depth, n->line, n->col);
		if (n->kind == TMPL_SECTION && depth < TMPL_MAX_NESTING)
			ends[depth++] = n->next;
	}
}
