#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

static const char *const markdown_extensions[] = {
	"table",
	"strikethrough",
	"autolink",
	"tasklist",
};

static pthread_mutex_t markdown_mutex = PTHREAD_MUTEX_INITIALIZER;

void markdown_init(void)
{
	markdown_lock();
	cmark_gfm_core_extensions_ensure_registered();
	markdown_unlock();
}

void markdown_lock(void)
{
	pthread_mutex_lock(&markdown_mutex);
}

void markdown_unlock(void)
{
	pthread_mutex_unlock(&markdown_mutex);
}

/* Turns raw HTML into text nodes, so it is shown, escaped, as written. */
static void markdown_escape_html(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node **raw = NULL;
	size_t n = 0, cap = 0, i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(node);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_HTML_BLOCK ||
						t == CMARK_NODE_HTML_INLINE)) {
			raw = xgrow(raw, sizeof(*raw), n + 1, &cap);
			raw[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		cmark_node *node = raw[i], *text;
		const char *lit = cmark_node_get_literal(node);
		text = cmark_node_new(CMARK_NODE_TEXT);
		if (cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK) {
			struct buf b = BUF_INIT;
			cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			buf_adds(&b, lit ? lit : "");
			while (b.len && b.ptr[b.len - 1] == '\n')
				buf_truncate(&b, b.len - 1);
			cmark_node_set_literal(text, b.ptr);
			buf_release(&b);
			cmark_node_append_child(para, text);
			cmark_node_replace(node, para);
		} else {
			cmark_node_set_literal(text, lit ? lit : "");
			cmark_node_replace(node, text);
		}
		cmark_node_free(node);
	}
	free(raw);
}

cmark_node *markdown_parse(const char *text, size_t len, int unsafe_html)
{
	cmark_parser *p;
	cmark_node *doc;
	size_t i;

	markdown_lock();
	p = cmark_parser_new(CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES);
	for (i = 0;
	     i < sizeof(markdown_extensions) / sizeof(*markdown_extensions);
	     i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(
			markdown_extensions[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, text, len);
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	markdown_unlock();
	if (!unsafe_html)
		markdown_escape_html(doc);
	return doc;
}

void markdown_plain_text(cmark_node *node, struct buf *out)
{
	cmark_node *c;

	for (c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE: {
			const char *lit = cmark_node_get_literal(c);
			buf_adds(out, lit ? lit : "");
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_addch(out, ' ');
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			break;
		default:
			markdown_plain_text(c, out);
		}
	}
}

void markdown_render(cmark_node *node, int unsafe, struct buf *out)
{
	char *html = cmark_render_html(node, unsafe ? CMARK_OPT_UNSAFE : 0,
				       NULL);
	buf_adds(out, html);
	free(html);
}

void markdown_render_inlines(cmark_node *node, int unsafe, struct buf *out)
{
	cmark_node *c;

	for (c = cmark_node_first_child(node); c; c = cmark_node_next(c))
		markdown_render(c, unsafe, out);
}
