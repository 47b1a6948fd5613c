#include "outnames.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "search_index.h"
#include "site.h"
#include "strset.h"
#include "theme.h"
#include "write_extras.h"
#include "xalloc.h"

/* The site's files stepbook makes, each with what it is, for the
 * messages. */
struct outnames {
	struct strset made; /* path in site/ -> index in `what` */
	char **what;
	size_t n, cap;
};

static void outnames_add(struct outnames *on, const char *path, char *what)
{
	if (!strset_add(&on->made, path, on->n)) {
		free(what);
		return;
	}
	on->what = xgrow(on->what, sizeof(*on->what), on->n + 1, &on->cap);
	on->what[on->n++] = what;
}

/* Fills `on` with every file the site writes beside the book's files
 * (see write_site.c, write_extras.c, search_index.c). */
static void outnames_gather(struct outnames *on, const struct site *s,
			    const struct theme *t)
{
	static const char *const pages[] = {
		"index.html",         "checklist.html",       "404.html",
		WRITE_EXTRAS_PRINT,   "manifest.webmanifest", "robots.txt",
		WRITE_EXTRAS_STRINGS,
	};
	struct buf b = BUF_INIT;
	size_t i, parts = search_index_parts(s);

	for (i = 0; i < sizeof(pages) / sizeof(*pages); i++)
		outnames_add(on, pages[i], xstrdup("a page stepbook writes"));
	if (s->cfg.base_url && *s->cfg.base_url)
		outnames_add(on, "sitemap.xml",
			     xstrdup("the sitemap stepbook writes"));
	if (theme_get(t, WRITE_EXTRAS_SW_SOURCE))
		outnames_add(on, WRITE_EXTRAS_SW,
			     xstrdup("the service worker stepbook writes"));
	for (i = 0; i < parts; i++) {
		buf_reset(&b);
		search_index_part_name(i, &b);
		outnames_add(on, b.ptr, xstrdup("the search index"));
	}
	buf_reset(&b);
	buf_addf(&b, "%s.epub", s->slug);
	outnames_add(on, b.ptr, xstrdup("the book's EPUB"));
	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		if (!c->html_name)
			continue;
		buf_reset(&b);
		buf_addf(&b, "the page of chapter '%s'", c->path);
		outnames_add(on, c->html_name, buf_detach(&b, NULL));
	}
	for (i = 0; i < t->n_files; i++) {
		const char *p = t->files[i].path;
		if (strncmp(p, "assets/", 7) ||
		    !strcmp(p, WRITE_EXTRAS_SW_SOURCE))
			continue;
		buf_reset(&b);
		buf_addf(&b, "the theme's '%s'", t->files[i].shown);
		outnames_add(on, p, buf_detach(&b, NULL));
	}
	buf_release(&b);
}

/* Whether `path` or a folder holding it is in `set`: its index there in
 * *at, and in *len the length of the part found. */
static int outnames_find(const struct strset *set, const char *path, size_t *at,
			 size_t *len)
{
	struct buf part = BUF_INIT;
	const char *p;
	int found = 0;

	for (p = path;; p++) {
		if (*p != '/' && *p)
			continue;
		buf_reset(&part);
		buf_add(&part, path, (size_t)(p - path));
		if (strset_get(set, part.ptr, at)) {
			*len = part.len;
			found = 1;
			break;
		}
		if (!*p)
			break;
	}
	buf_release(&part);
	return found;
}

/* The longest part of `path` between slashes, in bytes. */
static size_t outnames_longest(const char *path)
{
	size_t best = 0;

	while (*path) {
		size_t l = strcspn(path, "/");
		if (l > best)
			best = l;
		path += l;
		if (*path)
			path++;
	}
	return best;
}

/* Checks that the book's files do not take the names of the site's own
 * files, nor the other way round. */
static void outnames_collisions(const struct outnames *on, const struct site *s,
				struct diag *d)
{
	struct strset files = STRSET_INIT, reported = STRSET_INIT;
	struct buf shown = BUF_INIT;
	size_t i, at, len;

	for (i = 0; i < s->n_files; i++) {
		const char *f = s->files[i];
		strset_add(&files, f, i);
		if (!outnames_find(&on->made, f, &at, &len))
			continue;
		buf_reset(&shown);
		buf_addf(&shown, "%s/%s", s->shown_dir, f);
		if (!f[len])
			diag_error(d, shown.ptr, 0, 0,
				   "file '%s' has the name "
				   "of %s: rename it",
				   f, on->what[at]);
		else
			diag_error(d, shown.ptr, 0, 0,
				   "folder '%.*s' has the "
				   "name of %s: rename it",
				   (int)len, f, on->what[at]);
	}
	/* a book file named like a folder the site writes into (said once
	 * for each) */
	for (i = 0; i < on->made.cap; i++) {
		const char *g = on->made.v[i].key;
		if (!g || !outnames_find(&files, g, &at, &len) || !g[len] ||
		    !strset_add(&reported, s->files[at], 0))
			continue;
		buf_reset(&shown);
		buf_addf(&shown, "%s/%s", s->shown_dir, s->files[at]);
		diag_error(d, shown.ptr, 0, 0,
			   "file '%s' has the name of a "
			   "folder of the site, which holds %s: rename it",
			   s->files[at], on->what[on->made.v[i].val]);
	}
	strset_release(&files);
	strset_release(&reported);
	buf_release(&shown);
}

/* Checks the length of every name the site writes into `site` ("OUT/site"). */
static void outnames_lengths(const struct outnames *on, const struct site *s,
			     const char *site, struct diag *d)
{
	struct buf shown = BUF_INIT;
	size_t i, base = strlen(site) + 1, k;
	int deep_reported = 0;

	for (i = 0; i < s->n_files; i++) {
		const char *f = s->files[i];
		size_t longest = outnames_longest(f);
		buf_reset(&shown);
		buf_addf(&shown, "%s/%s", s->shown_dir, f);
		if (longest > OUTNAMES_NAME_MAX)
			diag_error(d, shown.ptr, 0, 0,
				   "file name too long for "
				   "the site: a part of '%s' has %zu bytes, at "
				   "most %d",
				   f, longest, OUTNAMES_NAME_MAX);
		else if (base + strlen(f) > OUTNAMES_PATH_MAX)
			diag_error(d, shown.ptr, 0, 0,
				   "path too long in the "
				   "site: '%s/%s' has %zu bytes, at most %d",
				   site, f, base + strlen(f),
				   OUTNAMES_PATH_MAX);
	}
	/* the site's own files: only the output folder's own path can make
	 * them too long */
	for (k = 0; k < on->made.cap && !deep_reported; k++) {
		const char *g = on->made.v[k].key;
		if (g && base + strlen(g) > OUTNAMES_PATH_MAX &&
		    outnames_longest(g) <= OUTNAMES_NAME_MAX) {
			diag_error(d, NULL, 0, 0,
				   "output folder too deep: "
				   "'%s/%s' has %zu bytes, at most %d",
				   site, g, base + strlen(g),
				   OUTNAMES_PATH_MAX);
			deep_reported = 1;
		}
	}
	buf_release(&shown);
}

/* How many leading bytes of the long name `s` a message shows: about
 * 40, cut between characters. */
static int outnames_shown(const char *s)
{
	size_t n = 40;

	if (strlen(s) <= n)
		return (int)strlen(s);
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* Checks the names of the chapters' pages, of which the EPUB's
 * ("<slug>.xhtml") are the longer. */
static void outnames_pages(const struct site *s, struct diag *d)
{
	size_t i;

	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		size_t l = c->xhtml_name ? strlen(c->xhtml_name) : 0;
		if (l > OUTNAMES_NAME_MAX)
			diag_error(d, c->path, 1, 1,
				   "page name '%.*s...' too "
				   "long: %zu bytes, at most %d; set a shorter "
				   "'slug:' in the front matter",
				   outnames_shown(c->xhtml_name), c->xhtml_name,
				   l, OUTNAMES_NAME_MAX);
	}
}

/* Checks the EPUB's name, "<slug of the title>.epub", in `out`. */
static void outnames_epub(const struct site *s, const char *out, struct diag *d)
{
	size_t name = strlen(s->slug) + strlen(".epub");
	size_t path = strlen(out) + 1 + name;

	if (name > OUTNAMES_NAME_MAX)
		diag_error(d, s->cfg.path, s->cfg.title_at.line,
			   s->cfg.title_at.col,
			   "title too long for the "
			   "EPUB's file name: '%.*s...epub' would have %zu "
			   "bytes, at most %d; shorten the title",
			   outnames_shown(s->slug), s->slug, name,
			   OUTNAMES_NAME_MAX);
	else if (path > OUTNAMES_PATH_MAX)
		diag_error(d, NULL, 0, 0,
			   "output folder too deep: '%s/%s.epub' "
			   "has %zu bytes, at most %d",
			   out, s->slug, path, OUTNAMES_PATH_MAX);
}

int outnames_check(const struct site *s, const struct theme *t, const char *out,
		   int no_site, int no_epub, struct diag *d)
{
	struct outnames on;
	size_t errors = d->errors, i;

	memset(&on, 0, sizeof(on));
	if (!no_epub || !no_site)
		outnames_epub(s, out, d);
	outnames_pages(s, d);
	if (!no_site) {
		char *site = path_join(out, "site");
		outnames_gather(&on, s, t);
		outnames_collisions(&on, s, d);
		outnames_lengths(&on, s, site, d);
		free(site);
	}
	strset_release(&on.made);
	for (i = 0; i < on.n; i++)
		free(on.what[i]);
	free(on.what);
	return d->errors > errors ? -1 : 0;
}
