/* epub_fast: cmark-gfm's own markup made XHTML as it is read. */
#include "epub.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "xalloc.h"
#include "path.h"
#include "utf8.h"

/* ---- the fast way: cmark-gfm's own markup, rewritten as it is read ----
 *
 * A chapter without raw HTML is cmark-gfm's markup and stepbook's, which
 * is well-formed XML of a known shape. conv_fast() reads it as tokens and
 * writes the XHTML that the tree above would serialise to, with the same
 * rules (conv_attrs(), conv_img(), the links, the task items and the
 * footnotes), without building a tree. Anything outside that shape (an
 * entity it does not know, a name outside ASCII, SVG, a character XML
 * cannot hold) makes it give up, and the tree does the work.
 * test_parsers_agree in tests/unit/test_write_epub.c holds the two to
 * the same bytes. */

enum { FT_TEXT, FT_OPEN, FT_EMPTY, FT_CLOSE, FT_COMMENT };

/* Elements nested deeper than this are left to the tree (conv_fast()
 * recurses once per level; libxml2's parsers have limits of their own). */
#define FAST_MAX_DEPTH 256

struct ftok {
	int kind;
	const char *p; /* text, or the element's name */
	size_t len;
	const char *attrs; /* an element's attributes, as written */
	size_t attrs_len;
	size_t end; /* FT_OPEN: the index of its FT_CLOSE */
};

/* One attribute: `value` is NULL for one written without a value. */
struct fattr {
	char *name;
	char *value;
};

struct fattrs {
	struct fattr *v;
	size_t n, cap;
};

struct fast {
	struct conv *cv;
	struct ftok *t;
	size_t n, cap;
	struct buf images; /* what it finds, taken only if it succeeds */
	int flags;
	struct diag d;
};

static int fast_name_char(char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == ':' ||
	       (!first && ((ch >= '0' && ch <= '9') || ch == '-' || ch == '.'));
}

/* Decodes the character reference at *p ("&#39;", "&#x2014;") into
 * `out` as UTF-8 and moves past it; -1 unless it is one XML allows. */
static int fast_char_ref(const char **p, const char *end, struct buf *out)
{
	const char *q = *p + 2;
	unsigned long cp = 0;
	int hex = 0, digits = 0;

	if (end - *p < 4 || (*p)[1] != '#')
		return -1;
	if (*q == 'x') {
		hex = 1;
		q++;
	}
	for (; q < end && digits < 8; q++, digits++) {
		int v;
		if (*q >= '0' && *q <= '9')
			v = *q - '0';
		else if (hex && *q >= 'a' && *q <= 'f')
			v = *q - 'a' + 10;
		else if (hex && *q >= 'A' && *q <= 'F')
			v = *q - 'A' + 10;
		else
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
	}
	if (!digits || q >= end || *q != ';' ||
	    !(cp == 0x9 || cp == 0xA || cp == 0xD ||
	      (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	      (cp >= 0x10000 && cp <= 0x10FFFF)))
		return -1;
	utf8_add(out, cp);
	*p = q + 1;
	return 0;
}

/* Decodes the entities of text or an attribute value into `out`; -1 for
 * one that is not XML's five or a character reference. White space in
 * attributes is kept, as the HTML parser keeps it (an XML parser would
 * make it spaces). */
static int fast_decode(const char *p, size_t len, struct buf *out)
{
	const char *end = p + len;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *q = amp ? amp : end;
		buf_add(out, p, (size_t)(q - p));
		p = q;
		if (p == end)
			break;
		if (!strncmp(p, "&amp;", 5))
			buf_addch(out, '&'), p += 5;
		else if (!strncmp(p, "&lt;", 4))
			buf_addch(out, '<'), p += 4;
		else if (!strncmp(p, "&gt;", 4))
			buf_addch(out, '>'), p += 4;
		else if (!strncmp(p, "&quot;", 6))
			buf_addch(out, '"'), p += 6;
		else if (!strncmp(p, "&apos;", 6))
			buf_addch(out, '\''), p += 6;
		else if (fast_char_ref(&p, end, out) < 0)
			return -1;
	}
	return 0;
}

/* Splits `html` into tokens; -1 when it is not of the known shape. */
static int fast_tokens(struct fast *f, const char *html, size_t len)
{
	const char *p = html, *end = html + len;
	size_t *open = NULL, n_open = 0, cap_open = 0;
	int r = 0;

	/* characters XML cannot hold, and CR, which it would rewrite */
	for (p = html; p < end; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch < 0x20 && ch != '\t' && ch != '\n') ||
		    (ch == 0xEF && end - p >= 3 &&
		     (unsigned char)p[1] == 0xBF &&
		     ((unsigned char)p[2] == 0xBE ||
		      (unsigned char)p[2] == 0xBF)))
			return -1;
	}
	for (p = html; p < end && r == 0;) {
		struct ftok tk;
		memset(&tk, 0, sizeof(tk));
		if (*p != '<') {
			const char *q = memchr(p, '<', (size_t)(end - p));
			if (!q)
				q = end;
			tk.kind = FT_TEXT;
			tk.p = p;
			tk.len = (size_t)(q - p);
			p = q;
		} else if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *q = compat_memmem(p + 4,
						      (size_t)(end - p - 4),
						      "-->", 3);
			if (!q)
				r = -1;
			tk.kind = FT_COMMENT;
			p = q ? q + 3 : end;
		} else if (end - p >= 2 && p[1] == '/') {
			const char *q = p + 2;
			while (q < end && fast_name_char(*q, q == p + 2))
				q++;
			tk.kind = FT_CLOSE;
			tk.p = p + 2;
			tk.len = (size_t)(q - p - 2);
			if (!tk.len || q >= end || *q != '>')
				r = -1;
			p = q + 1;
		} else {
			const char *q = p + 1, *a;
			int quote = 0;
			while (q < end && fast_name_char(*q, q == p + 1) &&
			       *q != ':')
				q++;
			tk.p = p + 1;
			tk.len = (size_t)(q - p - 1);
			a = q;
			for (; q < end; q++) {
				if (*q == '"')
					quote = !quote;
				else if (!quote && (*q == '>' || *q == '<'))
					break;
			}
			if (!tk.len || q >= end || *q != '>') {
				r = -1;
				break;
			}
			tk.kind = q[-1] == '/' && q - 1 >= a ? FT_EMPTY
							     : FT_OPEN;
			tk.attrs = a;
			tk.attrs_len = (size_t)(q - a) - (tk.kind == FT_EMPTY);
			p = q + 1;
		}
		if (r)
			break;
		if (tk.kind == FT_OPEN) {
			if (n_open >= FAST_MAX_DEPTH) {
				r = -1;
				break;
			}
			open = xgrow(open, sizeof(*open), n_open + 1,
				     &cap_open);
			open[n_open++] = f->n;
		} else if (tk.kind == FT_CLOSE) {
			struct ftok *o;
			if (!n_open) {
				r = -1;
				break;
			}
			o = &f->t[open[--n_open]];
			if (o->len != tk.len || memcmp(o->p, tk.p, tk.len)) {
				r = -1;
				break;
			}
			o->end = f->n;
		}
		f->t = xgrow(f->t, sizeof(*f->t), f->n + 1, &f->cap);
		f->t[f->n++] = tk;
	}
	if (n_open)
		r = -1;
	free(open);
	return r;
}

static void fattrs_release(struct fattrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].value);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static struct fattr *fattrs_find(const struct fattrs *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].name, name))
			return &a->v[i];
	return NULL;
}

/* Sets `name` to `value`: in place when it is there (as xmlSetProp()
 * does), else last. */
static void fattrs_set(struct fattrs *a, const char *name, const char *value)
{
	struct fattr *at = fattrs_find(a, name);

	if (at) {
		free(at->value);
		at->value = xstrdup(value);
		return;
	}
	a->v = xgrow(a->v, sizeof(*a->v), a->n + 1, &a->cap);
	a->v[a->n].name = xstrdup(name);
	a->v[a->n++].value = xstrdup(value);
}

/* conv_add_class() */
static void fattrs_add_class(struct fattrs *a, const char *cls)
{
	struct fattr *at = fattrs_find(a, "class");

	if (at && *at->value) {
		struct buf b = BUF_INIT;
		buf_adds(&b, at->value);
		buf_addch(&b, ' ');
		buf_adds(&b, cls);
		free(at->value);
		at->value = buf_detach(&b, NULL);
	} else {
		fattrs_set(a, "class", cls);
	}
}

/* The attributes of token `tk` as written, values decoded. */
static int fast_attrs(const struct ftok *tk, struct fattrs *out)
{
	const char *p = tk->attrs, *end = tk->attrs + tk->attrs_len;
	struct buf b = BUF_INIT;

	while (p < end) {
		const char *name;
		size_t nlen;
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			p++;
			continue;
		}
		name = p;
		while (p < end && fast_name_char(*p, p == name))
			p++;
		nlen = (size_t)(p - name);
		if (!nlen)
			goto bad;
		out->v = xgrow(out->v, sizeof(*out->v), out->n + 1, &out->cap);
		out->v[out->n].name = xstrndup(name, nlen);
		out->v[out->n].value = NULL;
		out->n++;
		if (p < end && *p == '=') {
			const char *q;
			if (++p >= end || *p != '"')
				goto bad;
			q = memchr(p + 1, '"', (size_t)(end - p - 1));
			if (!q || memchr(p + 1, '<', (size_t)(q - p - 1)))
				goto bad;
			buf_reset(&b);
			if (fast_decode(p + 1, (size_t)(q - p - 1), &b) < 0)
				goto bad;
			out->v[out->n - 1].value = xstrdup(b.ptr);
			p = q + 1;
			if (p < end && *p != ' ' && *p != '\n' && *p != '\t')
				goto bad;
		} else if (strncmp(out->v[out->n - 1].name, "data-", 5)) {
			/* only cmark-gfm's footnote marks go without a
			 * value (data-footnote-ref and the like) */
			goto bad;
		}
	}
	buf_release(&b);
	return 0;
bad:
	buf_release(&b);
	return -1;
}

/* The value of source attribute `name`: "" when written without one,
 * NULL when absent (conv_get()). */
static const char *fast_get(const struct fattrs *src, const char *name)
{
	const struct fattr *a = fattrs_find(src, name);

	return !a ? NULL : a->value ? a->value : "";
}

/* conv_attrs(): the attributes of the XHTML element made from `src`,
 * named `el`. -1 for a prefix the tree would not know either. */
static int fast_conv_attrs(struct fast *f, const char *el,
			   const struct fattrs *src, struct fattrs *out)
{
	struct buf cls = BUF_INIT;
	size_t i;

	for (i = 0; i < src->n; i++) {
		const char *name = src->v[i].name;
		const char *colon = strchr(name, ':');
		char *value = epub_clean(src->v[i].value ? src->v[i].value
							 : "");

		if (!strncmp(name, "data-", 5) || !strncasecmp(name, "on", 2) ||
		    !strncmp(name, "xmlns", 5)) {
			free(value);
			continue;
		}
		if (colon) {
			if (!strncmp(name, "epub:", 5) ||
			    !strcmp(name, "xml:lang") ||
			    !strcmp(name, "xml:space")) {
				fattrs_set(out, name, value);
				free(value);
				continue;
			}
			free(value);
			buf_release(&cls);
			return -1;
		}
		if (conv_align(el, name, value, &cls)) {
			/* a class instead (see conv_align) */
		} else if (!strcmp(name, "class")) {
			if (*value)
				fattrs_add_class(out, value);
		} else {
			fattrs_set(out, name, value);
		}
		if (!strcmp(name, "id"))
			conv_note_id(f->cv, value);
		free(value);
	}
	if (cls.len)
		fattrs_add_class(out, cls.ptr);
	buf_release(&cls);
	return 0;
}

/* Escapes as libxml2 writes text (attr 0) or attribute values. */
static void fast_escape(struct buf *out, const char *s, size_t len, int attr)
{
	const char *end = s + len, *run = s;

	for (; s < end; s++) {
		const char *rep;
		switch (*s) {
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
			rep = attr ? "&quot;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		case '\r':
			rep = "&#13;";
			break;
		default:
			rep = NULL;
			break;
		}
		if (rep) {
			buf_add(out, run, (size_t)(s - run));
			buf_adds(out, rep);
			run = s + 1;
		}
	}
	buf_add(out, run, (size_t)(end - run));
}

static void fast_open_tag(struct buf *out, const char *name,
			  const struct fattrs *a)
{
	size_t i;

	buf_addch(out, '<');
	buf_adds(out, name);
	for (i = 0; i < a->n; i++) {
		buf_addch(out, ' ');
		buf_adds(out, a->v[i].name);
		buf_adds(out, "=\"");
		fast_escape(out, a->v[i].value, strlen(a->v[i].value), 1);
		buf_addch(out, '"');
	}
}

/* Writes element token `i` named `name` with attributes `a` and its
 * children converted: a void element (without children, as cmark-gfm
 * writes them) as <name/>. `backref`: cmark-gfm's footnote back link,
 * whose arrow gets U+FE0E (text, not emoji). */
static int fast_children(struct fast *f, size_t from, size_t to,
			 struct buf *out);

static int fast_element_out(struct fast *f, size_t i, const char *name,
			    const struct fattrs *a, int backref,
			    struct buf *out)
{
	const struct ftok *tk = &f->t[i];
	size_t start, k;
	int r = 0;

	fast_open_tag(out, name, a);
	if (epub_is_void(X(name))) {
		if (tk->kind != FT_EMPTY)
			return -1; /* left to the tree */
		buf_adds(out, "/>");
		return 0;
	}
	buf_addch(out, '>');
	start = out->len;
	if (tk->kind == FT_OPEN)
		r = fast_children(f, i + 1, tk->end, out);
	if (backref && out->len - start == 3 &&
	    !memcmp(out->ptr + start, "\xE2\x86\xA9", 3)) {
		int only_text = 1;
		for (k = i + 1; tk->kind == FT_OPEN && k < tk->end; k++)
			if (f->t[k].kind != FT_TEXT &&
			    f->t[k].kind != FT_COMMENT)
				only_text = 0;
		if (only_text)
			buf_adds(out, "\xEF\xB8\x8E");
	}
	buf_adds(out, "</");
	buf_adds(out, name);
	buf_addch(out, '>');
	return r;
}

/* The index just past token `i` and what it holds. */
static size_t fast_skip(const struct fast *f, size_t i)
{
	return f->t[i].kind == FT_OPEN ? f->t[i].end + 1 : i + 1;
}

/* The first element among the children of token `i` (text and comments
 * skipped), or 0 when there is none. */
static size_t fast_first_element(const struct fast *f, size_t i)
{
	size_t k;

	if (f->t[i].kind != FT_OPEN)
		return 0;
	for (k = i + 1; k < f->t[i].end; k = fast_skip(f, k))
		if (f->t[k].kind == FT_OPEN || f->t[k].kind == FT_EMPTY)
			return k;
	return 0;
}

static int fast_is(const struct ftok *tk, const char *name)
{
	return tk->len == strlen(name) && !memcmp(tk->p, name, tk->len);
}

/* conv_is_task_item() */
static int fast_is_task_item(const struct fast *f, size_t li)
{
	size_t first = fast_first_element(f, li);
	struct fattrs a = { 0 };
	const char *cls;
	int yes;

	if (first && fast_is(&f->t[first], "p"))
		first = fast_first_element(f, first);
	if (!first || !fast_is(&f->t[first], "span"))
		return 0;
	if (fast_attrs(&f->t[first], &a) < 0) {
		fattrs_release(&a);
		return 0;
	}
	cls = fast_get(&a, "class");
	yes = cls && !strcmp(cls, "task-box");
	fattrs_release(&a);
	return yes;
}

/* conv_img() */
static int fast_img(struct fast *f, const struct fattrs *src, struct buf *out)
{
	struct conv *cv = f->cv;
	const char *srcattr = fast_get(src, "src"), *alt = fast_get(src, "alt");
	const char *url = srcattr ? srcattr : "";
	char *path = NULL;
	int r = 0;

	if (*url && !path_is_external(url) && url[0] != '#' && url[0] != '/')
		path = epub_resolve(url);
	if (path && epub_is_content_file(cv->e->s, path) &&
	    epub_media_type(path)) {
		struct fattrs a = { 0 };
		char *name = epub_file_name(path), *href = epub_href(name);
		free(name);
		r = fast_conv_attrs(f, "img", src, &a);
		fattrs_set(&a, "src", href);
		if (!alt)
			fattrs_set(&a, "alt", "");
		fast_open_tag(out, "img", &a);
		buf_adds(out, "/>");
		fattrs_release(&a);
		buf_adds(&f->images, path);
		buf_addch(&f->images, '\n');
		f->flags |= CHAPTER_EPUB_IMAGES;
		if (!alt || !*alt)
			f->flags |= CHAPTER_EPUB_NO_ALT;
		free(href);
	} else {
		const char *text = alt && *alt ? alt : url;
		char *clean = epub_clean(text);
		if (*url && path_is_external(url) &&
		    strncasecmp(url, "data:", 5)) {
			struct fattrs a = { 0 };
			char *u = epub_clean(url);
			fattrs_set(&a, "href", u);
			fast_open_tag(out, "a", &a);
			buf_addch(out, '>');
			fast_escape(out, clean, strlen(clean), 0);
			buf_adds(out, "</a>");
			fattrs_release(&a);
			free(u);
		} else {
			const char *where = cv->c ? cv->c->path : NULL;
			if (*url && !conv_image_of_chapter(cv, path))
				diag_warning(&f->d, where, 0, 0,
					     "image '%s' left out of the "
					     "EPUB: not a PNG, JPEG, GIF, SVG "
					     "or WebP file in content/",
					     url);
			if (alt && *alt)
				fast_escape(out, clean, strlen(clean), 0);
		}
		free(clean);
	}
	free(path);
	return r;
}

/* Converts element token `i` into `out`. */
static int fast_element(struct fast *f, size_t i, struct buf *out)
{
	const struct ftok *tk = &f->t[i];
	size_t from = i + 1, to = tk->kind == FT_OPEN ? tk->end : i + 1;
	struct fattrs src = { 0 }, a = { 0 };
	char name[16];
	int footnotes = 0, r = 0;

	if (tk->len >= sizeof(name))
		return -1;
	memcpy(name, tk->p, tk->len);
	name[tk->len] = '\0';
	/* the names of both lists are four letters or more */
	if (tk->len >= 4 && conv_name_in(name, conv_dropped))
		goto out;
	if (fast_attrs(tk, &src) < 0 || !strcmp(name, "svg") ||
	    !strcmp(name, "math") || strchr(name, ':')) {
		r = -1;
		goto out;
	}
	if (tk->len >= 4 && conv_name_in(name, conv_unwrapped)) {
		r = fast_children(f, from, to, out);
		goto out;
	}
	if (!strcmp(name, "img")) {
		r = fast_img(f, &src, out);
		goto out;
	}
	if (!strcmp(name, "a") && fast_get(&src, "href")) {
		char *fixed, *clean;
		if (!conv_link_ok(f->cv, fast_get(&src, "href"), &fixed)) {
			/* a file the EPUB does not carry: keep the text */
			r = fast_children(f, from, to, out);
			goto out;
		}
		if (fast_conv_attrs(f, "a", &src, &a) < 0) {
			free(fixed);
			r = -1;
			goto out;
		}
		clean = epub_clean(fixed);
		fattrs_set(&a, "href", clean);
		free(clean);
		free(fixed);
		if (fast_get(&src, "data-footnote-ref")) {
			fattrs_set(&a, "epub:type", "noteref");
			fattrs_set(&a, "role", "doc-noteref");
		}
		/* set after its children by the tree, but attributes come
		 * first all the same */
		if (fast_get(&src, "data-footnote-backref"))
			fattrs_set(&a, "role", "doc-backlink");
		r = fast_element_out(f, i, "a", &a,
				     fast_get(&src, "data-footnote-backref") !=
					     NULL,
				     out);
		goto out;
	}
	if (fast_conv_attrs(f, name, &src, &a) < 0) {
		r = -1;
		goto out;
	}
	if (!strcmp(name, "li") && fast_is_task_item(f, i)) {
		/* so that epub.css can drop the bullets */
		fattrs_add_class(&a, "task-item");
	} else if ((!strcmp(name, "ul") || !strcmp(name, "ol")) &&
		   tk->kind == FT_OPEN) {
		size_t k;
		for (k = from; k < to; k = fast_skip(f, k))
			if ((f->t[k].kind == FT_OPEN ||
			     f->t[k].kind == FT_EMPTY) &&
			    fast_is(&f->t[k], "li") && fast_is_task_item(f, k))
				break;
		if (k < to)
			fattrs_add_class(&a, "task-list");
	}
	if (!strcmp(name, "section") && fast_get(&src, "data-footnotes")) {
		/* cmark-gfm's footnotes: EPUB endnotes */
		fattrs_set(&a, "epub:type", "endnotes");
		fattrs_set(&a, "role", "doc-endnotes");
		fattrs_set(&a, "aria-label", "Notes");
		footnotes = 1;
		f->cv->in_footnotes++;
	} else if (f->cv->in_footnotes && !strcmp(name, "li") &&
		   fast_get(&src, "id")) {
		fattrs_set(&a, "epub:type", "endnote");
	}
	r = fast_element_out(f, i, name, &a, 0, out);
	if (footnotes)
		f->cv->in_footnotes--;
out:
	fattrs_release(&src);
	fattrs_release(&a);
	return r;
}

static int fast_children(struct fast *f, size_t from, size_t to,
			 struct buf *out)
{
	struct buf text = BUF_INIT;
	size_t k;
	int r = 0;

	for (k = from; k < to && r == 0; k = fast_skip(f, k)) {
		const struct ftok *tk = &f->t[k];
		switch (tk->kind) {
		case FT_TEXT:
			buf_reset(&text);
			if (fast_decode(tk->p, tk->len, &text) < 0)
				r = -1;
			else
				fast_escape(out, text.ptr, text.len, 0);
			break;
		case FT_OPEN:
		case FT_EMPTY:
			r = fast_element(f, k, out);
			break;
		default:
			break;
		}
	}
	buf_release(&text);
	return r;
}

/* Converts `html` into `out` the fast way; -1 (nothing noted) when it
 * must go the way of the tree. */
int conv_fast(struct conv *cv, const char *html, size_t len, struct buf *out)
{
	struct fast f;
	size_t ids = cv->n_ids, at = out->len;
	int r;

	memset(&f, 0, sizeof(f));
	f.cv = cv;
	buf_init(&f.images);
	diag_init(&f.d);
	r = fast_tokens(&f, html, len);
	if (r == 0)
		r = fast_children(&f, 0, f.n, out);
	if (r == 0) {
		buf_add(&cv->part->images, f.images.ptr, f.images.len);
		cv->part->flags |= f.flags;
		diag_append(&cv->part->d, &f.d);
	} else {
		while (cv->n_ids > ids)
			free(cv->ids[--cv->n_ids]);
		out->len = at;
		out->ptr[at] = '\0';
	}
	free(f.t);
	buf_release(&f.images);
	diag_release(&f.d);
	return r;
}
