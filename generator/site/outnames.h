/* outnames: the names of the files a build writes, checked before anything
 * is written (and by `stepbook check`).
 *
 * The site's own files (the chapters' pages, index.html, checklist.html,
 * print.html, 404.html, the search index, manifest.webmanifest,
 * robots.txt, sitemap.xml, sw.js, the theme's assets/ and the EPUB's copy
 * in the site) share site/ with the book's files from content/: a book
 * file with the name of one of them, or a folder of the book with the
 * name of one of them (or the other way round), is an error at that file,
 * in a first build and in a rebuild alike.
 *
 * Every name must also fit the file system, with room for the temporary
 * names the writers use: each part of a path at most OUTNAMES_NAME_MAX
 * bytes, and the whole path from the current folder at most
 * OUTNAMES_PATH_MAX; and so must the EPUB's name, made from the book's
 * title. */
#ifndef STEPBOOK_OUTNAMES_H
#define STEPBOOK_OUTNAMES_H

#include <limits.h>

struct diag;
struct site;
struct theme;

/* NAME_MAX, less room for a temporary suffix (".tmp-PID-N") */
#define OUTNAMES_NAME_MAX (NAME_MAX - 40)
/* PATH_MAX, less room for that suffix and for a staging folder's name */
#define OUTNAMES_PATH_MAX (PATH_MAX - 80)

/* Checks the names of everything a build of `s` with theme `t` writes
 * into the output folder `out` (the site unless `no_site`, the EPUB
 * unless `no_epub`). Returns 0, or -1 after recording every problem. */
int outnames_check(const struct site *s, const struct theme *t, const char *out,
		   int no_site, int no_epub, struct diag *d);

#endif
