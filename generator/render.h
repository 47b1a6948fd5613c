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

/* Makes what the writers read of chapter `c` (its body for each target,
 * its EPUB quiz answers, its search-index entry) from its tree, then frees
 * the tree. Nothing is done for a chapter that has no tree (already
 * prepared, or loaded from the cache). Chapters are independent: several
 * threads may prepare different chapters at once. */
void render_prepare(const struct site *s, struct chapter *c);

/* Appends chapter `c`'s body to `out` (preparing it first if needed),
 * with every link pointing where it should for `target`. For RENDER_EPUB, quiz answer notes
 * go to `answers` (may be NULL for the site), linking to `answers_href`. */
void render_chapter(const struct site *s, struct chapter *c,
		    enum render_target target, const char *answers_href,
		    struct buf *out, struct buf *answers);

/* A key of what render_chapter() gives for `target` (body and, for the
 * EPUB, answers), without rendering: the stored body's hash and where
 * each of its links points. */
uint64_t render_chapter_key(const struct site *s, struct chapter *c,
			    enum render_target target);

#endif
