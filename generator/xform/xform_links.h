/* xform_links: links and images, checked at build time.
 *
 * xform_links_run() collects a chapter's links and images. Links to
 * another chapter's .md file (with or without #id) and to #ids of the
 * same chapter are resolved by xform_links_resolve() once every chapter is
 * loaded; a missing chapter or heading is an error at the link's
 * file:line:col with the closest existing name suggested. Links and images
 * to other files must stay inside content/ and exist. */
#ifndef STEPBOOK_XFORM_LINKS_H
#define STEPBOOK_XFORM_LINKS_H

#include <stddef.h>

struct buf;
struct chapter;
struct diag;
struct link;
struct site;

/* Collects c->links and c->images (after xform_headings_run). Returns 0,
 * or -1 after recording each bad file link or image. */
int xform_links_run(const struct site *s, struct chapter *c, struct diag *d);

/* Resolves every chapter link of the book and fills the backlinks.
 * Returns 0, or -1 after recording every broken link. */
int xform_links_resolve(struct site *s, struct diag *d);

/* Where a link is written. */
enum xform_links_mode {
	XFORM_LINKS_SITE = 0, /* a page per chapter: "other.html#id" */
	XFORM_LINKS_EPUB = 1, /* a file per chapter: "other.xhtml#id" */
	XFORM_LINKS_PRINT = 2 /* every chapter in one page: "#other--id",
				* or "#other" for a chapter's top */
};

/* Appends the URL of link `l` for the output `mode`, as written in the
 * document `page` (its path within the output; NULL for one at the top,
 * as the EPUB's all are). A link to a file (an image, a download) is its
 * path within content/ in every mode, percent-encoded, made relative to
 * `page` (site_add_relative_url()); so is a link to a chapter's page. */
void xform_links_href(const struct site *s, const struct link *l,
		      enum xform_links_mode mode, const char *page,
		      struct buf *out);

#endif
