/* write_extras: the website's files beside the chapter pages.
 *
 *   print.html            every chapter in one page, for print (the
 *                         theme's print.mustache, over the context made
 *                         with write_extras_print_context())
 *   manifest.webmanifest  the web app manifest: the book's name and
 *                         language, the theme's colours and icon
 *   robots.txt            allows everything; names sitemap.xml when the
 *                         book has a base_url
 *   sitemap.xml           every page but 404.html, print.html and the
 *                         redirects, only
 *                         when the book has a base_url (libxml2)
 *   sw.js                 the service worker: the theme's assets/sw.js
 *                         preceded by one line that sets
 *                         `self.STEPBOOK_BUILD = {book, version, core,
 *                         files}`: the cache version (a hash of every
 *                         other file of the site, sw.js's own code
 *                         included), the files to cache when it installs
 *                         and the list of every file of the site (as
 *                         URLs relative to the site, percent-encoded)
 *
 * and the template values for sharing and discovery: `book.url` (the
 * base_url, ending in '/'), `book.image` (the cover's absolute URL),
 * `theme.color`, `theme.color_dark`, and per page `url` (the canonical
 * URL) and `og_type`. Everything written depends only on the input, so
 * two builds of the same book are byte-identical.
 *
 * A theme's optional `manifest.json` gives its part of the manifest:
 * "background_color", "theme_color", "icons" and any other member are
 * copied; "theme_color_dark" only reaches the templates. */
#ifndef STEPBOOK_WRITE_EXTRAS_H
#define STEPBOOK_WRITE_EXTRAS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct ctx;
struct diag;
struct site;
struct theme;

#define WRITE_EXTRAS_PRINT "print.html"
#define WRITE_EXTRAS_SW "sw.js"
/* The theme file sw.js is made from (not copied to the site as is). */
#define WRITE_EXTRAS_SW_SOURCE "assets/sw.js"
/* the interface strings the scripts show, for the pages to load */
#define WRITE_EXTRAS_STRINGS "strings.js"

/* The book's base_url ending in '/', or NULL when it has none; the
 * caller's. */
char *write_extras_base(const struct site *s);

/* The template values this module adds, built through `x` (context.h):
 * write_extras_book(), inside the "book" object: url (`base`, from
 * write_extras_base()) and image when the book has a base_url;
 * write_extras_theme(), inside the "theme" object: name, color,
 * color_dark;
 * write_extras_page(), for the page at `path` (relative to the site):
 * `url`, its canonical URL (only with a `base`; the folder's URL for
 * index.html), `root` ("../" for each folder `path` is in, which the
 * templates put before every URL within the site), and `og_type` ("article" for a chapter's page, else
 * "website"). */
void write_extras_book(struct ctx *x, const struct site *s, const char *base);
void write_extras_theme(struct ctx *x, const struct theme *t);
void write_extras_page(struct ctx *x, const char *base, const char *path,
		       int chapter);

/* Adds `print` for print.mustache: print.chapters[], each with
 * title, summary, step, number, slug (also the id of the chapter's
 * section: links to a chapter's top point at "#<slug>"), minutes, body
 * and, when the chapter has h2 headings, has_sections and sections[]
 * (title, href "#<slug>--<id>") for a table of contents; and sets
 * `is_print`.
 *
 * `body` is a marker (WRITE_EXTRAS_BODY_OPEN, the chapter's index,
 * WRITE_EXTRAS_BODY_CLOSE) that write_extras_print_fill() replaces in
 * the rendered page with the chapter's HTML (RENDER_PRINT: heading ids
 * "<slug>--<id>", headings one level down), so that 10 MB of chapters
 * are not copied through the template engine. The HTML goes in as it is,
 * whether the template writes {{{body}}} or {{body}}. */
void write_extras_print_context(struct ctx *x, const struct site *s);
#define WRITE_EXTRAS_BODY_OPEN "\xEE\x80\x82"  /* U+E002 */
#define WRITE_EXTRAS_BODY_CLOSE "\xEE\x80\x83" /* U+E003 */
/* Appends the rendered print page `page` (`len` bytes) to `out` with
 * each body marker replaced by what body(arg, i, out) appends for
 * chapter i (`total`: about how many bytes the bodies take). Returns 1
 * when the page shows every chapter once, in book order, and then (when
 * `at` is not NULL) sets at[2i] and at[2i+1] to where chapter i's HTML
 * starts and ends in `out`; else 0. */
int write_extras_print_fill(const struct site *s, const char *page, size_t len,
			    size_t total,
			    void (*body)(void *arg, size_t i, struct buf *out),
			    void *arg, struct buf *out, uint64_t *at);

/* Collects the site's files, then makes the extra ones from them. */
struct write_extras {
	char **paths; /* every file added, in order (owned) */
	size_t n, cap;
	uint64_t hash; /* of every path and its bytes so far */
};

void write_extras_init(struct write_extras *x);
/* Notes a file of the site (path relative to the site, its bytes), for
 * the version hash, the service worker's list and the sitemap. The
 * bytes are read at once, not kept. */
void write_extras_add(struct write_extras *x, const char *path,
		      const char *data, size_t len);
/* The same for a file whose bytes are not at hand (a page an incremental
 * build did not render again): `content` is hash_mix(HASH_SEED, bytes). */
void write_extras_add_hashed(struct write_extras *x, const char *path,
			     uint64_t content);
/* Makes manifest.webmanifest, robots.txt, sitemap.xml (with a base_url)
 * and last sw.js (when the theme has assets/sw.js), in that order, and
 * passes each to emit(arg, path, data, len): `data` (NUL-terminated, len
 * bytes) becomes the callee's. Returns 0, or -1 after recording a problem
 * (the theme's manifest.json is not a JSON object; libxml2 failed); the
 * files made before the problem were emitted. */
int write_extras_finish(struct write_extras *x, const struct site *s,
			const struct theme *t,
			void (*emit)(void *arg, const char *path, char *data,
				     size_t len),
			void *arg, struct diag *d);
void write_extras_release(struct write_extras *x);

/* The short name for the manifest: book.yml's `short_title` when set,
 * else the title's leading words that fit in 12 characters (at least
 * the first word, cut at 12 characters). The caller's. */
char *write_extras_short_name(const struct site *s);

#endif
