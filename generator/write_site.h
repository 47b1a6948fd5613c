/* write_site: the website, from the site model and a theme.
 *
 * Pages: index.html, one page per chapter, checklist.html, print.html
 * (when the theme has print.mustache), 404.html; the theme's assets/ and
 * the book's own files (images...) are copied; then the files of
 * write_extras.h (manifest, robots.txt, sitemap.xml, sw.js). Every
 * page is rendered in memory first; only when all rendered does anything
 * get written, each file atomically, and a file whose bytes did not change
 * is left alone. Files an earlier build wrote that this one does not
 * (a deleted chapter's page) are removed, using the list kept in
 * `.stepbook-files`. */
#ifndef STEPBOOK_WRITE_SITE_H
#define STEPBOOK_WRITE_SITE_H

#include <stddef.h>

struct cache;
struct diag;
struct site;
struct theme;

struct write_stats {
	size_t written, unchanged, removed;
};

/* Writes the site for `s` with theme `t` into `dir`. `verbose` lists each
 * file written on stderr. Returns 0, or -1 after recording errors (a
 * template error leaves `dir` as it was). */
int write_site(struct site *s, const struct theme *t, const char *dir,
	       int verbose, struct write_stats *stats, struct diag *d);

/* The same, skipping the chapter pages whose key (their body, their page
 * values, the sidebar, the book's settings, the theme) is the one `cache`
 * recorded, and noting this build's keys in it. `cache` may be NULL. */
int write_site_cached(struct site *s, const struct theme *t, const char *dir,
		      struct cache *cache, int verbose,
		      struct write_stats *stats, struct diag *d);

#endif
