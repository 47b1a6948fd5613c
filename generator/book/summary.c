#include "summary.h"

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "path.h"
#include "strset.h"
#include "xalloc.h"

/* Nesting of numbered chapters beyond which SUMMARY.md is refused: the
 * walk below recurses once a level. */
#define SUMMARY_MAX_DEPTH 32

struct sp {
	const char *text;
	size_t len;
	const char *file;
	struct diag *d;
	struct summary *s;
	struct strset files; /* chapter paths seen, to catch one listed twice */
	enum summary_section section;
	int root; /* top-level numbered chapters so far, across parts */
};

static int sp_error(struct sp *p, cmark_node *at, const char *fmt, ...)
	COMPAT_PRINTF(3, 4);

static int sp_error(struct sp *p, cmark_node *at, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	int line = cmark_node_get_start_line(at);

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(p->d, p->file, line, cmark_node_get_start_column(at), "%s",
		   msg.ptr);
	diag_attach_source(p->d, p->text, p->len, line);
	buf_release(&msg);
	return -1;
}

static struct summary_item *sp_add(struct sp *p, enum summary_kind kind,
				   cmark_node *at)
{
	struct summary *s = p->s;
	struct summary_item *it;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	it = &s->v[s->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->section = p->section;
	it->line = cmark_node_get_start_line(at);
	it->col = cmark_node_get_start_column(at);
	return it;
}

static char *sp_plain(cmark_node *n)
{
	struct buf b = BUF_INIT;

	markdown_plain_text(n, &b);
	return buf_detach(&b, NULL);
}

/* Adds the chapter that link `a` names (its number set by the caller),
 * placed at node `at`: cmark places a link that spans lines on its last
 * line, so a list item's chapter is placed at its paragraph. */
static struct summary_item *sp_chapter(struct sp *p, cmark_node *a,
				       cmark_node *at, int depth)
{
	const char *url = cmark_node_get_url(a);
	struct summary_item *it;
	char *path = NULL;

	if (url && *url) {
		char *raw;

		if (path_is_external(url)) {
			sp_error(p, at,
				 "chapter '%s' is a web address, not a file of "
				 "the book",
				 url);
			return NULL;
		}
		raw = path_unescape(url, strlen(url));
		path = path_normalize(raw);
		free(raw);
		if (!path || strchr(url, '#') || strchr(url, '?')) {
			sp_error(p, at,
				 "chapter '%s' is not a file within the book's "
				 "source folder",
				 url);
			free(path);
			return NULL;
		}
		if (!strset_add(&p->files, path, 0)) {
			sp_error(p, at, "chapter '%s' is listed twice", path);
			free(path);
			return NULL;
		}
	}
	it = sp_add(p, SUMMARY_CHAPTER, at);
	it->title = sp_plain(a);
	it->path = path;
	it->depth = depth;
	return it;
}

static int sp_is_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* Prefix or suffix chapters: every link of a paragraph is one. */
static int sp_affix(struct sp *p, cmark_node *para)
{
	cmark_node *n;
	int r = 0, warned = 0;

	for (n = cmark_node_first_child(para); n; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);

		if (t == CMARK_NODE_LINK) {
			if (!sp_chapter(p, n, n, 0))
				r = -1;
		} else if (t == CMARK_NODE_SOFTBREAK ||
			   t == CMARK_NODE_LINEBREAK ||
			   t == CMARK_NODE_HTML_INLINE ||
			   (t == CMARK_NODE_TEXT &&
			    sp_is_blank(cmark_node_get_literal(n)))) {
			continue;
		} else if (!warned) {
			/* mdBook skips it too, but it is probably a
			 * chapter written wrong */
			diag_warning(p->d, p->file,
				     cmark_node_get_start_line(n),
				     cmark_node_get_start_column(n),
				     "text outside a link is ignored in the "
				     "chapter list");
			diag_attach_source(p->d, p->text, p->len,
					   cmark_node_get_start_line(n));
			warned = 1;
		}
	}
	return r;
}

/* The one link a list item's paragraph must hold, or NULL. */
static cmark_node *sp_item_link(cmark_node *para)
{
	cmark_node *n, *link = NULL;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return NULL;
	for (n = cmark_node_first_child(para); n; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);

		if (t == CMARK_NODE_LINK && !link)
			link = n;
		else if (t == CMARK_NODE_HTML_INLINE ||
			 (t == CMARK_NODE_TEXT &&
			  sp_is_blank(cmark_node_get_literal(n))))
			continue;
		else
			return NULL;
	}
	return link;
}

/* A list of numbered chapters under the chapter numbered `parent` ("" at
 * the top); `count` counts the chapters already at this level. */
static int sp_list(struct sp *p, cmark_node *list, const char *parent,
		   int depth, int *count)
{
	cmark_node *item;
	int r = 0;

	if (depth >= SUMMARY_MAX_DEPTH)
		return sp_error(p, list, "chapters nested too deeply");
	for (item = cmark_node_first_child(list); item;
	     item = cmark_node_next(item)) {
		cmark_node *first = cmark_node_first_child(item), *n;
		cmark_node *link = sp_item_link(first);
		struct summary_item *it;
		struct buf num = BUF_INIT;
		int kids = 0;

		if (!link) {
			r = sp_error(p, first ? first : item,
				     "a numbered chapter must be a link and "
				     "nothing else, as in '- [Title](file.md)'");
			continue;
		}
		buf_addf(&num, "%s%d.", parent, ++*count);
		if (!(it = sp_chapter(p, link, first, depth))) {
			buf_release(&num);
			r = -1;
			continue;
		}
		it->number = xstrdup(num.ptr);
		for (n = cmark_node_next(first); n; n = cmark_node_next(n)) {
			cmark_node_type t = cmark_node_get_type(n);

			if (t == CMARK_NODE_LIST) {
				if (sp_list(p, n, num.ptr, depth + 1, &kids) <
				    0)
					r = -1;
			} else if (t == CMARK_NODE_THEMATIC_BREAK) {
				sp_add(p, SUMMARY_SEPARATOR, n)->depth = depth +
									 1;
			} else if (t != CMARK_NODE_HTML_BLOCK) {
				r = sp_error(p, n,
					     "only a list of chapters may follow "
					     "a chapter's link in its item");
			}
		}
		buf_release(&num);
	}
	return r;
}

int summary_parse(const char *text, size_t len, const char *file,
		  struct summary *s, struct diag *d)
{
	struct sp p = { text, len, file, d, s, STRSET_INIT, SUMMARY_PREFIX, 0 };
	cmark_node *doc, *n;
	int r = 0, first = 1;

	memset(s, 0, sizeof(*s));
	doc = markdown_parse(text, len, 1);
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		int h1 = t == CMARK_NODE_HEADING &&
			 cmark_node_get_heading_level(n) == 1;

		if (t == CMARK_NODE_HTML_BLOCK)
			continue;
		if (first && h1) {
			s->title = sp_plain(n);
			first = 0;
			continue;
		}
		first = 0;
		if (t == CMARK_NODE_THEMATIC_BREAK) {
			sp_add(&p, SUMMARY_SEPARATOR, n);
			continue;
		}
		if (h1 || t == CMARK_NODE_LIST) {
			if (p.section == SUMMARY_SUFFIX) {
				r = sp_error(&p, n,
					     "%s after the suffix chapters (a "
					     "paragraph of links ends the "
					     "numbered chapters)",
					     h1 ? "part title" : "list");
				continue;
			}
			p.section = SUMMARY_NUMBERED;
			if (h1) {
				sp_add(&p, SUMMARY_PART, n)->title = sp_plain(
					n);
			} else if (sp_list(&p, n, "", 0, &p.root) < 0) {
				r = -1;
			}
			continue;
		}
		if (t == CMARK_NODE_PARAGRAPH) {
			if (p.section == SUMMARY_NUMBERED)
				p.section = SUMMARY_SUFFIX;
			if (sp_affix(&p, n) < 0)
				r = -1;
			continue;
		}
		if (t == CMARK_NODE_HEADING)
			continue; /* mdBook ignores the other headings */
		diag_warning(d, file, cmark_node_get_start_line(n),
			     cmark_node_get_start_column(n),
			     "'%s' is ignored in the chapter list",
			     cmark_node_get_type_string(n));
		diag_attach_source(d, text, len, cmark_node_get_start_line(n));
	}
	cmark_node_free(doc);
	strset_release(&p.files);
	return r;
}

void summary_release(struct summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].title);
		free(s->v[i].path);
		free(s->v[i].number);
	}
	free(s->v);
	free(s->title);
	memset(s, 0, sizeof(*s));
}
