/* write_site: the website, from the site model and a theme.
 *
 * Pages: index.html, one page per chapter, checklist.html, print.html
 * (when the theme has print.mustache), 404.html; the theme's assets/ and
 * the book's own files (images...) are copied; then the files of
 * write_extras.h (manifest, robots.txt, sitemap.xml, sw.js). Every file
 * goes into the output's staged site (output.h), which then holds exactly
 * the files of this build: a page whose key did not change is kept (a
 * hard link to the published one), print.html and the search index are
 * patched where only some chapters changed, and anything else is written.
 * Each page's context comes from pages.h, its key from that context.
 * The published site is not touched: output_commit() publishes it. */
#ifndef STEPBOOK_WRITE_SITE_H
#define STEPBOOK_WRITE_SITE_H

#include <stddef.h>

struct diag;
struct incr;
struct incr_made;
struct output;
struct site;
struct theme;

struct write_stats {
	size_t written, unchanged;
};

/* Stages the site for `s` with theme `t` in `o`, begun by the caller
 * (output_site_begin(); a translation's under its folder, see
 * output_site_prefix()), through the output_site_*() calls, keeping or patching what `inc` says
 * the last build made from the same key (see incremental.h), and noting
 * each output's key in `made`. `epub` is the file name of the EPUB the
 * pages offer for download (`book.epub` in the templates; the caller
 * puts the file in the site), or NULL for none. `flags`: WRITE_SITE_*.
 * Returns 0, or -1 after recording errors. */
int write_site(const struct site *s, const struct theme *t, struct output *o,
	       const struct incr *inc, const char *epub, unsigned flags,
	       struct incr_made *made, struct write_stats *stats,
	       struct diag *d);
/* List each file written on stderr. */
#define WRITE_SITE_VERBOSE 1u
/* The process ends after this build: the values the pages share are
 * left to its end (reachable from write_site_left, so that leak checkers
 * see no leak), not freed one by one. Freeing the many small blocks of a
 * large book's list of chapters cost as much, in a one-chapter rebuild,
 * as some of the rebuild's own steps, mostly in the allocator's work
 * that the blocks made for the allocations after them. */
#define WRITE_SITE_EXITING 2u

#endif
