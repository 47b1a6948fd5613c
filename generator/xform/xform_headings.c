#include "xform_headings.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "site.h"
#include "slug.h"
#include "strset.h"
#include "xalloc.h"
#include "xform.h"

/* The start of a file line of the chapter: headings come in document
 * order, so each search for a heading's line resumes from the last one
 * (from the file's start, a chapter of many explicit ids was quadratic).
 * Starts zeroed. */
struct xform_headings_pos {
	const char *at; /* start of file line `line`, or NULL */
	int line;
};

/* The explicit id at the end of the heading's last source line, as
 * written: smart punctuation has turned "--" and quotes into other
 * characters in the node's text. Returns it (the caller's) or NULL. */
static char *xform_headings_raw_id(const struct chapter *c, cmark_node *h,
				   struct xform_headings_pos *pos)
{
	int line = cmark_node_get_end_line(h) > cmark_node_get_start_line(h)
			   ? cmark_node_get_end_line(h) - 1 /* setext */
			   : cmark_node_get_start_line(h);
	const char *p, *end = c->source.ptr + c->source.len;
	size_t n, i;
	int l;

	line += c->fm.body_line;
	if (!pos->at || line < pos->line) {
		pos->at = c->source.ptr;
		pos->line = 1;
	}
	p = pos->at;
	l = pos->line;
	while (p < end && l < line)
		if (*p++ == '\n')
			l++;
	pos->at = p;
	pos->line = l;
	for (n = 0; p + n < end && p[n] != '\n' && p[n] != '\r'; n++)
		;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n && p[n - 1] == '#') { /* an ATX closing sequence */
		size_t k = n;
		while (k && p[k - 1] == '#')
			k--;
		if (k && (p[k - 1] == ' ' || p[k - 1] == '\t')) {
			n = k;
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
		}
	}
	if (n < 3 || p[n - 1] != '}')
		return NULL;
	for (i = n - 1; i > 0; i--)
		if (p[i - 1] == '{' && p[i] == '#')
			return xstrndup(p + i + 1, n - 1 - (i + 1));
	return NULL;
}

/* Takes a trailing "{#id}" off the heading's last text node. Returns the
 * id (the caller's) or NULL; sets *bad when the braces hold no valid id. */
static char *xform_headings_explicit(const struct chapter *c, cmark_node *h,
				     int *bad, struct xform_headings_pos *pos)
{
	char *raw;
	cmark_node *last = cmark_node_last_child(h);
	const char *lit, *open;
	size_t len, i;
	struct buf rest = BUF_INIT;
	char *id;

	*bad = 0;
	if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT)
		return NULL;
	lit = cmark_node_get_literal(last);
	len = strlen(lit);
	while (len && lit[len - 1] == ' ')
		len--;
	if (len < 4 || lit[len - 1] != '}')
		return NULL;
	open = NULL;
	for (i = len - 1; i > 0; i--) {
		if (lit[i - 1] == '{' && lit[i] == '#') {
			open = lit + i - 1;
			break;
		}
	}
	if (!open)
		return NULL;
	raw = xform_headings_raw_id(c, h, pos);
	id = raw ? raw
		 : xstrndup(open + 2, (size_t)(lit + len - 1 - (open + 2)));
	for (i = 0; id[i]; i++) {
		unsigned char ch = (unsigned char)id[i];
		if (ch <= ' ' || ch == '"' || ch == '\'' || ch == '<' ||
		    ch == '>' || ch == '&' || ch == '#' || ch == '{' ||
		    ch == '}')
			*bad = 1;
	}
	if (!*id)
		*bad = 1;
	buf_add(&rest, lit, (size_t)(open - lit));
	while (rest.len && rest.ptr[rest.len - 1] == ' ')
		buf_truncate(&rest, rest.len - 1);
	cmark_node_set_literal(last, rest.ptr);
	buf_release(&rest);
	return id;
}

int xform_headings_run(struct chapter *c, struct diag *d)
{
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;
	cmark_node **found = NULL;
	size_t n = 0, cap = 0, i, errors = d->errors;
	/* for each generated id's base, the last suffix tried: suffixes
	 * below it are taken, so the search for a free one resumes there
	 * (the same ids as trying from 1, in linear time) */
	struct strset last = STRSET_INIT;
	struct xform_headings_pos pos = { NULL, 0 };

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_HEADING) {
			found = xgrow(found, sizeof(*found), n + 1, &cap);
			found[n++] = node;
		}
	}
	cmark_iter_free(it);

	for (i = 0; i < n; i++) {
		cmark_node *h = found[i], *cb, *wrap, *child;
		struct heading *hd;
		struct buf text = BUF_INIT;
		int bad, line = cmark_node_get_start_line(h) + c->fm.body_line;
		char *id = xform_headings_explicit(c, h, &bad, &pos);

		markdown_plain_text(h, &text);
		if (bad) {
			diag_error(d, c->path, line,
				   cmark_node_get_start_column(h),
				   "invalid heading id '{#%s}': use letters, "
				   "digits, '-' and '_'",
				   id);
			free(id);
			id = NULL;
		}
		if (id) {
			if (chapter_find_heading(c, id) != SITE_NONE)
				diag_error(d, c->path, line,
					   cmark_node_get_start_column(h),
					   "duplicate heading id '%s'", id);
		} else {
			struct buf b = BUF_INIT;
			size_t base, k = 0;
			slug_add(&b, text.ptr, XFORM_HEADINGS_ID_MAX);
			if (!b.len)
				buf_adds(&b, "section");
			base = b.len;
			if (chapter_find_heading(c, b.ptr) != SITE_NONE) {
				char *stem = xstrdup(b.ptr);
				strset_get(&last, stem, &k);
				do {
					buf_truncate(&b, base);
					buf_addf(&b, "-%zu", ++k);
				} while (chapter_find_heading(c, b.ptr) !=
					 SITE_NONE);
				strset_put(&last, stem, k);
				free(stem);
			}
			id = buf_detach(&b, NULL);
		}
		c->headings = xgrow(c->headings, sizeof(*c->headings),
				    c->n_headings + 1, &c->cap_headings);
		hd = &c->headings[c->n_headings];
		hd->level = cmark_node_get_heading_level(h);
		hd->id = id;
		hd->text = buf_detach(&text, NULL);
		hd->line = line;
		strset_add(&c->heading_ids, id, c->n_headings);

		/* the block places the heading among blocks; the inline
		 * inside it carries the <hN> tags, so that the text is not
		 * put on lines of its own */
		cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		wrap = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
		cmark_node_append_child(cb, wrap);
		while ((child = cmark_node_first_child(h))) {
			cmark_node_unlink(child);
			cmark_node_append_child(wrap, child);
		}
		cmark_node_set_user_data(cb, XFORM_TAG(XFORM_HEADING,
						       c->n_headings));
		c->n_headings++;
		cmark_node_replace(h, cb);
		chapter_detach(c, h);
	}
	free(found);
	strset_release(&last);
	return d->errors > errors ? -1 : 0;
}
