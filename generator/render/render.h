/* render: a chapter's body as HTML for one output.
 *
 * Sets the markup of every custom node the AST passes left (headings,
 * callouts, task items, quizzes) and the URL of every checked link for the
 * chosen output, then renders the tree with cmark-gfm. Only the chapter's
 * own tree is touched, so chapters can render in parallel. */
#ifndef STEPBOOK_RENDER_H
#define STEPBOOK_RENDER_H

#include <stdint.h>

struct buf;
struct chapter;
struct site;

enum render_target {
	RENDER_SITE, /* HTML5 for the website */
	RENDER_EPUB, /* XHTML fragments for the EPUB */
	RENDER_PRINT /* HTML5 for the one-page print.html: the ids of
			* headings and footnotes get the prefix
			* "<chapter slug>--", headings go one level down
			* (the chapter title is an h2 there), chapter links
			* become same-document anchors (xform_links_href) */
};
#define RENDER_TARGETS 3

/* The name of the EPUB's document of quiz answers, which the EPUB bodies
 * link to (the EPUB writer names it so). */
#define RENDER_EPUB_ANSWERS "answers.xhtml"

/* The texts render_prepare() makes of a chapter: its body for each
 * target, then these. */
#define RENDER_TEXT_ANSWERS 3 /* its EPUB quiz answer notes */
#define RENDER_TEXT_SEARCH 4  /* its search-index entry */
#define RENDER_TEXT_CODE 5    /* its code blocks' markup (xform_code.h) */
#define RENDER_TEXTS 6

/* Makes what the writers read of chapter `c` from its tree, into
 * texts[] (each the caller's): its body for each target, with a
 * placeholder for the URL of each link (where a link points depends on
 * the other chapters, the rest only on this one) and for the markup of
 * each code block (xform_code.h), its EPUB quiz answer notes (linking to
 * RENDER_EPUB_ANSWERS), its search-index entry, and its code blocks'
 * markup. Then frees the tree. Chapters are independent: several threads
 * may prepare different chapters at once. */
void render_prepare(const struct site *s, struct chapter *c,
		    char *texts[RENDER_TEXTS]);

/* Appends `text`, a text render_prepare() made of chapter `c` for
 * `target` (its body, or for RENDER_EPUB its answers too), to `out` with
 * every link pointing where it should for `target`, and each code block's
 * markup, taken from `code` (its RENDER_TEXT_CODE), in its place. */
void render_links(const struct site *s, const struct chapter *c,
		  enum render_target target, const char *text, const char *code,
		  struct buf *out);
/* Folds into `h` where each link of `c` points for `target`: with the
 * hashes of the text and of the code, the key of what render_links()
 * gives. */
uint64_t render_links_key(const struct site *s, const struct chapter *c,
			  enum render_target target, uint64_t h);

/* Appends chapter `c`'s body for `target` to `out` made from its tree
 * (a chapter site_load() loaded without hooks keeps it), as
 * render_prepare() and render_links() make it. For RENDER_EPUB, quiz
 * answer notes go to `answers` (may be NULL). */
void render_chapter(const struct site *s, struct chapter *c,
		    enum render_target target, const char *answers_href,
		    struct buf *out, struct buf *answers);

#endif
