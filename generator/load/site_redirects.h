/* site_redirects: pages kept at the addresses a book's pages used to have.
 *
 * book.yml's `redirects:` (book.toml's [output.html.redirect], as mdBook
 * reads it) maps an old page of the site to where it moved:
 *
 *   redirects:
 *     vec.html: vec/vec.html             # from the old page's folder
 *     /format/config.html: ../guide.html # a leading '/' is the site's top
 *     old.html: https://example.org/new  # or anywhere on the web
 *
 * Each old page becomes a small HTML page that sends the reader on (a
 * meta refresh, a canonical link and a plain link for when neither is
 * followed). Both sides are checked when the book loads, so that a
 * redirect never leads nowhere: the old page must lie inside the site,
 * end in ".html" and be no page the site makes; a target within the site
 * must be one of its pages (a chapter's, index.html, print.html or
 * checklist.html), its #fragment an id of that chapter. Each mistake is
 * an error at the `redirects` key. */
#ifndef STEPBOOK_SITE_REDIRECTS_H
#define STEPBOOK_SITE_REDIRECTS_H

#include <stddef.h>

struct buf;
struct diag;
struct site;
struct site_redirect;

/* Checks s->cfg.redirects against the loaded book and fills
 * s->redirects, sorted by path. Returns 0, or -1 after recording each
 * mistake. */
int site_redirects_load(struct site *s, struct diag *d);

/* Whether `path` (within the site) is one of s->redirects. */
int site_redirects_has(const struct site *s, const char *path);

/* Appends to `out` the page that stands at r->path. */
void site_redirects_page(const struct site *s, const struct site_redirect *r,
			 struct buf *out);

#endif
