/* markdown: cmark-gfm set up the way stepbook reads chapters.
 *
 * GFM tables, strikethrough, autolinks and task lists, footnotes and smart
 * punctuation. Raw HTML is turned into text (so it renders escaped) unless
 * the book allows it. */
#ifndef STEPBOOK_MARKDOWN_H
#define STEPBOOK_MARKDOWN_H

#include <stddef.h>

struct buf;
struct cmark_node;

/* Registers cmark-gfm's extensions. Call once before any thread parses. */
void markdown_init(void);

/* cmark-gfm keeps the inline extensions' special characters (':' for
 * autolinks, '~' for strikethrough...) in one table for the whole
 * process: a parser adds them when it starts on the inlines and removes
 * them when it is done, so two parsers on their inlines at once lose
 * each other's autolinks. That happens in cmark_parser_finish() alone:
 * every call of it runs between markdown_lock() and markdown_unlock()
 * (markdown_parse() does it itself). Reading the blocks
 * (cmark_parser_feed()) and rendering need no lock. */
void markdown_lock(void);
void markdown_unlock(void);

/* Parses `len` bytes of Markdown. With `unsafe_html` zero, raw HTML
 * blocks and inlines become literal text. Returns the document (the
 * caller's, free with cmark_node_free()). */
struct cmark_node *markdown_parse(const char *text, size_t len,
				  int unsafe_html);

/* Appends the plain text of `node`'s inline content (text, code, and the
 * text inside emphasis, links and so on; breaks become spaces). */
void markdown_plain_text(struct cmark_node *node, struct buf *out);

/* Renders `node` (any node) to HTML and appends it. `unsafe` allows raw
 * HTML and every URL scheme. */
void markdown_render(struct cmark_node *node, int unsafe, struct buf *out);

/* Renders the inline children of `node` (a paragraph, heading or custom
 * node) to HTML, without the block's own tags, and appends it. */
void markdown_render_inlines(struct cmark_node *node, int unsafe,
			     struct buf *out);

#endif
