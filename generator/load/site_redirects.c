#include "site_redirects.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "path.h"
#include "site.h"
#include "xalloc.h"

/* The pages the site makes besides the chapters' (see write_site.c). */
static const char *const site_redirects_pages[] = {
	"index.html",
	"print.html",
	"checklist.html",
};

/* The chapter whose page is `page` (within the site), SITE_NONE when
 * none, or n_chapters for one of the site's other pages. */
static size_t site_redirects_page_of(const struct site *s, const char *page)
{
	size_t i;

	for (i = 0; i < s->n_chapters; i++)
		if (!strcmp(s->chapters[i].html_name, page))
			return i;
	for (i = 0;
	     i < sizeof(site_redirects_pages) / sizeof(*site_redirects_pages);
	     i++)
		if (!strcmp(site_redirects_pages[i], page))
			return s->n_chapters;
	return SITE_NONE;
}

/* `path` made a path within the site: a leading '/' is its top, else
 * `dir` (the folder of the old page, "" at the top) is. NULL when it
 * leaves the site. */
static char *site_redirects_resolve(const char *dir, const char *path)
{
	char *joined, *norm;

	if (*path == '/')
		return path_normalize(path + strspn(path, "/"));
	joined = path_join(dir, path);
	norm = path_normalize(joined);
	free(joined);
	return norm;
}

static int site_redirects_cmp(const void *a, const void *b)
{
	return strcmp(((const struct site_redirect *)a)->path,
		      ((const struct site_redirect *)b)->path);
}

/* Checks one redirect; fills `r` and returns 0, or records why not and
 * returns -1. */
static int site_redirects_one(const struct site *s,
			      const struct config_redirect *cr,
			      struct site_redirect *r, struct diag *d)
{
	const struct config *cfg = &s->cfg;
	int line = cfg->redirects_at.line, col = cfg->redirects_at.col;
	char *from, *dir, *page, *frag = NULL;
	const char *slash, *hash;
	size_t at;

	from = site_redirects_resolve("", cr->from);
	if (!from || strcmp(path_ext(from), "html")) {
		diag_error(d, cfg->path, line, col,
			   "redirect '%s': the old page must be a path inside "
			   "the site ending in '.html'",
			   cr->from);
		free(from);
		return -1;
	}
	if (site_redirects_page_of(s, from) != SITE_NONE ||
	    !strcmp(from, "404.html") || site_has_file(s, from)) {
		diag_error(d, cfg->path, line, col,
			   "redirect '%s': '%s' is a page of the book, which "
			   "the redirect would replace",
			   cr->from, from);
		free(from);
		return -1;
	}
	r->path = from;
	if (path_is_external(cr->to)) {
		r->target = xstrdup(cr->to);
		r->external = 1;
		return 0;
	}
	slash = strrchr(from, '/');
	dir = slash ? xstrndup(from, (size_t)(slash - from)) : xstrdup("");
	hash = strchr(cr->to, '#');
	{
		char *p = path_unescape(cr->to, hash ? (size_t)(hash - cr->to)
						     : strlen(cr->to));
		page = *p ? site_redirects_resolve(dir, p) : NULL;
		free(p);
	}
	free(dir);
	if (hash && hash[1])
		frag = path_unescape(hash + 1, strlen(hash + 1));
	at = page ? site_redirects_page_of(s, page) : SITE_NONE;
	if (at == SITE_NONE) {
		diag_error(d, cfg->path, line, col,
			   "redirect '%s' leads to '%s', which is no page of "
			   "the book",
			   cr->from, page ? page : cr->to);
	} else if (frag && at < s->n_chapters &&
		   chapter_find_heading(&s->chapters[at], frag) == SITE_NONE) {
		diag_error(d, cfg->path, line, col,
			   "redirect '%s' leads to '#%s', which is no heading "
			   "of '%s'",
			   cr->from, frag, s->chapters[at].path);
		at = SITE_NONE;
	}
	if (at == SITE_NONE) {
		free(page);
		free(frag);
		free(r->path);
		r->path = NULL;
		return -1;
	}
	{
		struct buf t = BUF_INIT;
		buf_adds(&t, page);
		if (frag)
			buf_addf(&t, "#%s", frag);
		r->target = buf_detach(&t, NULL);
	}
	free(page);
	free(frag);
	return 0;
}

int site_redirects_load(struct site *s, struct diag *d)
{
	const struct config *cfg = &s->cfg;
	size_t i, errors = d->errors;

	if (!cfg->n_redirects)
		return 0;
	s->redirects = xcalloc(cfg->n_redirects, sizeof(*s->redirects));
	for (i = 0; i < cfg->n_redirects; i++) {
		struct site_redirect *r = &s->redirects[s->n_redirects];
		if (site_redirects_one(s, &cfg->redirects[i], r, d) == 0)
			s->n_redirects++;
	}
	qsort(s->redirects, s->n_redirects, sizeof(*s->redirects),
	      site_redirects_cmp);
	for (i = 1; i < s->n_redirects; i++)
		if (!strcmp(s->redirects[i].path, s->redirects[i - 1].path))
			diag_error(d, cfg->path, cfg->redirects_at.line,
				   cfg->redirects_at.col,
				   "two redirects from '%s'",
				   s->redirects[i].path);
	return d->errors > errors ? -1 : 0;
}

int site_redirects_has(const struct site *s, const char *path)
{
	struct site_redirect key;

	key.path = (char *)path;
	return s->n_redirects &&
	       bsearch(&key, s->redirects, s->n_redirects,
		       sizeof(*s->redirects), site_redirects_cmp) != NULL;
}

void site_redirects_page(const struct site *s, const struct site_redirect *r,
			 struct buf *out)
{
	struct buf url = BUF_INIT, abs = BUF_INIT;
	const char *hash;

	if (r->external) {
		buf_adds(&url, r->target);
	} else {
		hash = strchr(r->target, '#');
		{
			char *page = hash ? xstrndup(r->target,
						     (size_t)(hash - r->target))
					  : xstrdup(r->target);
			site_add_relative_url(&url, r->path, page);
			if (*s->cfg.base_url) {
				size_t l = strlen(s->cfg.base_url);
				buf_adds(&abs, s->cfg.base_url);
				if (l && s->cfg.base_url[l - 1] != '/')
					buf_addch(&abs, '/');
				path_add_url(&abs, page, 0);
			}
			free(page);
		}
		if (hash) {
			buf_addch(&url, '#');
			path_add_url(&url, hash + 1, 0);
			if (abs.len) {
				buf_addch(&abs, '#');
				path_add_url(&abs, hash + 1, 0);
			}
		}
	}
	if (!abs.len)
		buf_add(&abs, url.ptr, url.len);
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
	buf_adds_html(out, s->cfg.language);
	buf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, "
		      "initial-scale=1\">\n<title>");
	buf_adds_html(out, s->cfg.title);
	buf_adds(out, "</title>\n<meta http-equiv=\"refresh\" content=\"0; "
		      "url=");
	buf_adds_html(out, url.ptr);
	buf_adds(out, "\">\n<link rel=\"canonical\" href=\"");
	buf_adds_html(out, abs.ptr);
	buf_adds(out, "\">\n<meta name=\"robots\" content=\"noindex\">\n"
		      "</head>\n<body>\n<p>This page has moved: <a href=\"");
	buf_adds_html(out, url.ptr);
	buf_adds(out, "\">");
	buf_adds_html(out, abs.ptr);
	buf_adds(out, "</a></p>\n</body>\n</html>\n");
	buf_release(&url);
	buf_release(&abs);
}
