#include "xform_code.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "highlight.h"
#include "markdown_xhtml.h"
#include "site.h"
#include "xalloc.h"
#include "xform.h"

/* Writes the markup of code block `node` in `lang` to `out`: the <pre>
 * and <code> of cmark-gfm's, the code highlighted within. */
static void code_markup(struct highlighter *h, cmark_node *node,
			const char *lang, struct buf *out)
{
	const char *info = cmark_node_get_fence_info(node);
	const char *code = cmark_node_get_literal(node);
	size_t n = 0;

	while (info[n] && !strchr(" \t\r\n\f\v", info[n]))
		n++;
	buf_adds(out, "<pre><code class=\"language-");
	markdown_xhtml_escape(out, info, n, 1);
	buf_adds(out, "\">");
	highlight_code(h, lang, code ? code : "", code ? strlen(code) : 0, out);
	buf_adds(out, "</code></pre>\n");
}

static int code_fenced(cmark_node *node)
{
	int len, off;
	char ch;

	return cmark_node_get_fenced(node, &len, &off, &ch);
}

void xform_code_run(struct chapter *c)
{
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;
	cmark_node **found = NULL;
	size_t n = 0, cap = 0, i;
	struct highlighter *h = NULL;
	struct buf b = BUF_INIT;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK &&
		    code_fenced(node) &&
		    highlight_language(cmark_node_get_fence_info(node))) {
			found = xgrow(found, sizeof(*found), n + 1, &cap);
			found[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		cmark_node *node = found[i], *cb;
		const char *lang = highlight_language(
			cmark_node_get_fence_info(node));

		if (!h)
			h = highlighter_new();
		buf_reset(&b);
		code_markup(h, node, lang, &b);
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
	free(found);
}
