/* markdown_xhtml: cmark-gfm's tree written as the XHTML of the EPUB.
 *
 * One renderer over the tree, beside cmark-gfm's own HTML one, as cmark
 * has one per output: it writes what the EPUB's documents hold, in the
 * form libxml2 serialises it (void elements as <br/>, text escaping only
 * &, < and >), with the EPUB's rules: footnotes as endnotes with their
 * roles, table alignment as a class of epub.css, task lists marked for
 * epub.css, no data- attributes, no characters XML cannot hold.
 *
 * Raw HTML is not its business: a book with `unsafe_html: true` has its
 * chapters rendered by cmark-gfm and parsed by libxml2 (epub_conv.c). A
 * tree without raw HTML holds text nodes where raw HTML was (see
 * markdown_parse()).
 *
 * What depends on the rest of the book is left marked for the EPUB
 * writer (epub_xhtml.c) to finish: each link to something that is not
 * external or in the document ("other.xhtml", a file, a link
 * placeholder) and each image. Such an element is written with
 * MARKDOWN_XHTML_MARK just before its start tag, in exactly the form
 * <a href="..."[ title="..."]> or <img src="..." alt="..."[ title="..."]/>
 * (the href and src as cmark-gfm writes them, entities aside), and a
 * marked link's end tag with MARKDOWN_XHTML_END just before it. The two
 * marks in the chapter's own text are written as character references
 * (&#xE010; and &#xE011;), which the writer turns back into characters.
 *
 * Custom nodes (headings, callouts, tasks, quizzes) write their on_enter
 * and on_exit markup as it is: their makers write it as XHTML for the
 * EPUB (render.c, render_quiz.c, render_markup.c). */
#ifndef STEPBOOK_MARKDOWN_XHTML_H
#define STEPBOOK_MARKDOWN_XHTML_H

#include <stddef.h>

struct buf;
struct cmark_node;

#define MARKDOWN_XHTML_MARK "\xEE\x80\x90" /* U+E010 */
#define MARKDOWN_XHTML_END "\xEE\x80\x91"  /* U+E011 */
#define MARKDOWN_XHTML_MARK_REF "&#xE010;"
#define MARKDOWN_XHTML_END_REF "&#xE011;"
#define MARKDOWN_XHTML_MARK_LEN 3

/* Appends `node` (a document, or any block or inline) and what it holds
 * as XHTML to `out`; its footnotes, if any, in a section labelled
 * `notes_label`, each with back links labelled `backlink_label` (both in
 * the book's language). In a right-to-left book (`rtl`), code blocks are
 * marked dir="ltr". */
void markdown_xhtml(struct cmark_node *node, const char *notes_label,
		    const char *backlink_label, int rtl, struct buf *out);

/* Appends the inline children of `node` (a paragraph) as XHTML, without
 * the paragraph's own tags. */
void markdown_xhtml_inlines(struct cmark_node *node, struct buf *out);

/* Appends `s` (len bytes) escaped as libxml2 writes text (attr 0) or an
 * attribute value (attr 1), without the control characters XML cannot
 * hold, the two marks written as character references. */
void markdown_xhtml_escape(struct buf *out, const char *s, size_t len,
			   int attr);

/* Appends `url` as cmark-gfm writes a link's destination, read back by an
 * HTML parser: percent-encoded where URLs need it, with an empty one for
 * a URL of a scheme cmark-gfm deems dangerous (javascript: and the
 * like). */
void markdown_xhtml_href(struct buf *out, const char *url);

#endif
