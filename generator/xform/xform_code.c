#include "xform_code.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "code_lines.h"
#include "diag.h"
#include "highlight.h"
#include "highlight_ahead.h"
#include "markdown_xhtml.h"
#include "site.h"
#include "xalloc.h"
#include "xform.h"

/* Warns of `msg` about byte `at` of the attributes of code block
 * `node`: at their place on the fence's line when it is found there. */
static void code_warn(const struct chapter *c, cmark_node *node, size_t at,
		      const char *msg, struct diag *d)
{
	int line = cmark_node_get_start_line(node) + c->fm.body_line;
	int col = cmark_node_get_start_column(node), l = 1;
	const char *p = c->source.ptr, *end = p + c->source.len, *eol, *brace;

	while (l < line && p < end) {
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : end;
		l++;
	}
	eol = memchr(p, '\n', (size_t)(end - p));
	brace = memchr(p, '{', (size_t)((eol ? eol : end) - p));
	if (brace)
		col = (int)(brace - p) + 1 + (int)at;
	diag_warning(d, c->path, line, col, "%s", msg);
	diag_attach_source(d, c->source.ptr, c->source.len, line);
}

/* The number of lines of `code`. */
static size_t code_count_lines(const char *code)
{
	size_t n = 0;

	for (; *code; code++)
		if (*code == '\n' || !code[1])
			n++; /* a newline ends a line, or the text does */
	return n;
}

/* Reads the info string's attributes into `cl`; on a mistake, warns
 * and leaves the lines unmarked. Returns 1 when there are lines to
 * number or mark. */
static int code_attrs(const struct chapter *c, cmark_node *node,
		      const char *attrs, const char *code,
		      struct code_lines *cl, struct diag *d)
{
	struct buf err = BUF_INIT;
	size_t at = 0, lines;

	if (code_lines_parse(attrs, cl, &err, &at)) {
		buf_adds(&err, "; the block's lines are shown unmarked");
		code_warn(c, node, at, err.ptr, d);
		code_lines_release(cl);
		buf_release(&err);
		return 0;
	}
	lines = code_count_lines(code);
	if (cl->n_marked > lines) {
		buf_addf(&err,
			 "hl_lines marks line %zu, but the block has %zu "
			 "line%s",
			 cl->n_marked, lines, lines == 1 ? "" : "s");
		code_warn(c, node, 0, err.ptr, d);
	}
	buf_release(&err);
	return cl->numbers || cl->n_marked;
}

/* Appends `code` highlighted in `lang` to `out`: as made ahead, or made
 * now with `*h` (made on first use). Returns 1 when made ahead. */
static int code_highlight(struct highlighter **h,
			  const struct highlight_ahead *ahead, const char *lang,
			  const char *code, struct buf *out)
{
	size_t len = strlen(code), n;
	const char *made = highlight_ahead_find(ahead, lang, code, len, &n);

	if (made) {
		buf_add(out, made, n);
		return 1;
	}
	if (!*h)
		*h = highlighter_new();
	highlight_code(*h, lang, code, len, out);
	return 0;
}

/* Writes the markup of code block `node` in `lang` (NULL: plain text) to
 * `out`: the <pre> and <code> of cmark-gfm's, the code highlighted
 * within, its lines numbered or marked as `cl` says (NULL: not).
 * Returns 1 when the code was highlighted ahead. */
static int code_markup(struct highlighter **h,
		       const struct highlight_ahead *ahead, cmark_node *node,
		       const char *lang, const struct code_lines *cl, int rtl,
		       struct buf *out, struct buf *tmp)
{
	const char *info = cmark_node_get_fence_info(node);
	const char *code = cmark_node_get_literal(node);
	size_t n = 0, len = code ? strlen(code) : 0;
	int ahead_made = 0;

	while (info[n] && !strchr(" \t\r\n\f\v{", info[n]))
		n++;
	buf_adds(out, "<pre");
	if (cl)
		buf_adds(out, " class=\"code-lines\"");
	buf_adds(out, rtl ? " dir=\"ltr\">" : ">");
	if (n) {
		buf_adds(out, "<code class=\"language-");
		markdown_xhtml_escape(out, info, n, 1);
		buf_adds(out, "\">");
	} else {
		buf_adds(out, "<code>");
	}
	if (!cl) {
		ahead_made = code_highlight(h, ahead, lang, code ? code : "",
					    out);
	} else {
		buf_reset(tmp);
		if (lang)
			ahead_made = code_highlight(h, ahead, lang,
						    code ? code : "", tmp);
		else
			markdown_xhtml_escape(tmp, code ? code : "", len, 0);
		code_lines_wrap(tmp->ptr, tmp->len, cl, out);
	}
	buf_adds(out, "</code></pre>\n");
	return ahead_made;
}

static int code_fenced(cmark_node *node)
{
	int len, off;
	char ch;

	return cmark_node_get_fenced(node, &len, &off, &ch);
}

size_t xform_code_run(struct chapter *c, int rtl,
		      const struct highlight_ahead *ahead, size_t *from_ahead,
		      struct diag *d)
{
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;
	cmark_node **found = NULL;
	size_t n = 0, cap = 0, i, known = 0;
	struct highlighter *h = NULL;
	struct buf b = BUF_INIT, tmp = BUF_INIT;

	buf_reset(&c->code);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK &&
		    code_fenced(node) &&
		    (highlight_language(cmark_node_get_fence_info(node)) ||
		     code_lines_attrs(cmark_node_get_fence_info(node)))) {
			found = xgrow(found, sizeof(*found), n + 1, &cap);
			found[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		cmark_node *node = found[i], *cb;
		const char *info = cmark_node_get_fence_info(node);
		const char *lang = highlight_language(info);
		const char *attrs = code_lines_attrs(info);
		const char *code = cmark_node_get_literal(node);
		struct code_lines cl = { 0, 1, NULL, 0 };
		size_t at;
		int lines = attrs && code_attrs(c, node, attrs,
						code ? code : "", &cl, d);

		if (!lang && !lines) {
			code_lines_release(&cl);
			continue;
		}
		/* the markup, but for the newline it ends with, to c->code;
		 * to the tree, a placeholder of it and the newline */
		at = c->code.len;
		*from_ahead += (size_t)code_markup(&h, ahead, node, lang,
						   lines ? &cl : NULL, rtl,
						   &c->code, &tmp);
		buf_truncate(&c->code, c->code.len - 1);
		known += lang != NULL;
		code_lines_release(&cl);
		buf_reset(&b);
		buf_addf(&b, XFORM_CODE_OPEN "%zu.%zu" XFORM_CODE_CLOSE "\n",
			 at, c->code.len - at);
		cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		cmark_node_set_on_enter(cb, b.ptr);
		cmark_node_set_on_exit(cb, "");
		cmark_node_set_user_data(cb,
					 XFORM_TAG(XFORM_CODE, c->n_detached));
		cmark_node_replace(node, cb);
		chapter_detach(c, node);
	}
	highlighter_free(h);
	buf_release(&b);
	buf_release(&tmp);
	free(found);
	return known;
}
