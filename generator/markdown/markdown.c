#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* cmark-gfm's node, for the label of a footnote definition, which its
 * API neither reads nor sets (see markdown_footnote_ids()). */
#include <cmark-gfm/node.h>

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

/* Whether cmark-gfm writes byte `ch` of a footnote label as it is into
 * the ids and hrefs it makes of the label. It percent-encodes the others
 * (and in an href a '%' is read as such an escape, a '#' ends it): the id is then
 * "fn-%C3%A9" while the href "#fn-%C3%A9" names "fn-\u00e9", a link to
 * nothing, and XML cannot hold the id. */
static int markdown_label_byte_ok(unsigned char ch)
{
	return ch > ' ' && ch < 0x7F && !strchr("\"#%<>[\\]^`{|}", ch);
}

static int markdown_label_ok(const unsigned char *s, bufsize_t len)
{
	bufsize_t i;

	for (i = 0; i < len; i++)
		if (!markdown_label_byte_ok(s[i]))
			return 0;
	return 1;
}

/* Whether a footnote definition of `defs` other than `self` has `label`. */
static int markdown_label_taken(cmark_node **defs, size_t n, size_t self,
				const char *label)
{
	size_t i;
	size_t len = strlen(label);

	for (i = 0; i < n; i++)
		if (i != self && (size_t)defs[i]->as.literal.len == len &&
		    !memcmp(defs[i]->as.literal.data, label, len))
			return 1;
	return 0;
}

/* Gives each footnote whose label cmark-gfm would percent-encode a label
 * it writes as it is, so that its ids and the links to them agree in
 * both outputs: each such byte becomes '_' and two hex digits ("\u00e9"
 * gives "_C3_A9"), then "-2", "-3"... while another footnote of the
 * chapter has that label. Labels it writes as they are stay. */
static void markdown_footnote_ids(cmark_node *doc)
{
	cmark_node **defs = NULL, *n;
	size_t n_defs = 0, cap = 0, i;
	struct buf b = BUF_INIT, base = BUF_INIT;

	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) {
			defs = xgrow(defs, sizeof(*defs), n_defs + 1, &cap);
			defs[n_defs++] = n;
		}
	for (i = 0; i < n_defs; i++) {
		const cmark_chunk *lit = &defs[i]->as.literal;
		bufsize_t k;
		int dup = 1;

		if (markdown_label_ok(lit->data, lit->len))
			continue;
		buf_reset(&base);
		for (k = 0; k < lit->len; k++) {
			unsigned char ch = lit->data[k];
			if (markdown_label_byte_ok(ch) && ch != '_')
				buf_addch(&base, (char)ch);
			else
				buf_addf(&base, "_%02X", ch);
		}
		buf_reset(&b);
		buf_adds(&b, base.ptr);
		while (markdown_label_taken(defs, n_defs, i, b.ptr)) {
			buf_reset(&b);
			buf_addf(&b, "%s-%d", base.ptr, ++dup);
		}
		cmark_chunk_set_cstr(cmark_node_mem(defs[i]),
				     &defs[i]->as.literal, b.ptr);
	}
	free(defs);
	buf_release(&b);
	buf_release(&base);
}

cmark_node *markdown_parse(const char *text, size_t len, int unsafe_html)
{
	cmark_parser *p;
	cmark_node *doc;
	size_t i;

	p = cmark_parser_new(CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES);
	for (i = 0;
	     i < sizeof(markdown_extensions) / sizeof(*markdown_extensions);
	     i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(
			markdown_extensions[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	/* the blocks, on every thread at once; the inlines one at a time
	 * (see markdown.h) */
	cmark_parser_feed(p, text, len);
	markdown_lock();
	doc = cmark_parser_finish(p);
	markdown_unlock();
	cmark_parser_free(p);
	markdown_footnote_ids(doc);
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
