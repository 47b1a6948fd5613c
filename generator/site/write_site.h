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
 * puts the file in the site), or NULL for none. `verbose` lists each file
 * written on stderr. Returns 0, or -1 after recording errors. */
int write_site(const struct site *s, const struct theme *t, struct output *o,
	       const struct incr *inc, const char *epub, int verbose,
	       struct incr_made *made, struct write_stats *stats,
	       struct diag *d);

#endif
