/* theme: a theme's files, from the binary and from the book's folder.
 *
 * The shipped themes (themes/NAME/ in the source tree) are compiled into
 * the binary. A book's own `themes/NAME/` folder adds a theme or overrides
 * single files of a shipped one. Layout of a theme:
 *
 *     templates/NAME.mustache  page templates and partials, named by file
 *                            name without extension ("base", "chapter")
 *     assets/...             copied to the site's assets/ folder
 *     epub.css               the EPUB's style sheet
 *     cover.svg.mustache     the EPUB's cover when book.yml names none
 *                            (see cover.h); a theme without one, nor a
 *                            parent with one, gets the default theme's
 *     parent                 optional: the name of another theme (one
 *                            line, e.g. "default"); every file this theme
 *                            lacks comes from that theme, which may name
 *                            a parent of its own (at most
 *                            THEME_MAX_PARENTS deep, no loops). A book's
 *                            themes/NAME/ overlays each theme of the chain
 *                            before the files are merged. */
#ifndef STEPBOOK_THEME_H
#define STEPBOOK_THEME_H

#include <stddef.h>

/* The cover template's path in a theme. */
#define THEME_COVER "cover.svg.mustache"

/* Longest chain of `parent` files followed. */
#define THEME_MAX_PARENTS 8

struct buf;
struct diag;
struct tmpl_set;

struct theme_file {
	char *path; /* relative to the theme folder: "assets/site.css" */
	char *data; /* the file's bytes (NUL-terminated copy) */
	size_t len;
	char *shown; /* where it came from, for diagnostics */
};

struct theme {
	char *name;
	struct theme_file *files; /* sorted by path */
	size_t n_files;
	struct tmpl_set *templates;
	long long newest; /* newest mtime of the book's own files */
};

/* Loads theme `name`, overlaying `book_root`/themes/`name`/ when it
 * exists (book_root "." for the current folder), then the files it lacks
 * from its parents. Parses every template. Returns 0, or -1 after
 * recording the problem (unknown theme, with the list of those available;
 * an unknown parent or a loop of parents; a template syntax error at its
 * file:line:col).
 * Release with theme_release() either way. */
int theme_load(struct theme *t, const char *name, const char *book_root,
	       struct diag *d);
void theme_release(struct theme *t);

/* The file at `path` in the theme, or NULL. Borrowed. */
const struct theme_file *theme_get(const struct theme *t, const char *path);

/* Lists the names of the shipped themes, comma-separated, into `out`. */
void theme_list_shipped(struct buf *out);

#endif
