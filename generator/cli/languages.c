#include "languages.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "jobj.h"
#include "langtag.h"
#include "path.h"
#include "theme_vars.h"
#include "write_extras.h"
#include "xalloc.h"

/* What a translation takes from the book: the theme and the base URL,
 * unless its book.yml sets them. */
static void languages_inherit(struct site *ts, const struct site *root,
			      const char *tag)
{
	char *base = write_extras_base(root);

	if (base && !jobj_get(ts->cfg.params, "base_url")) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s%s/", base, tag);
		free(ts->cfg.base_url);
		ts->cfg.base_url = buf_detach(&b, NULL);
	}
	free(base);
	if (!jobj_get(ts->cfg.params, "theme")) {
		free(ts->cfg.theme);
		ts->cfg.theme = xstrdup(root->cfg.theme);
	}
}

/* A translation's book.yml is in the language of its folder, and has no
 * translations of its own. */
static void languages_check_book(const struct site *ts, const char *tag,
				 struct diag *d)
{
	if (strcasecmp(ts->cfg.language, tag))
		diag_error(d, ts->cfg.path, ts->cfg.language_at.line,
			   ts->cfg.language_at.col,
			   "this translation is in content/%s/, so its "
			   "language must be '%s', not '%s'",
			   tag, tag, ts->cfg.language);
	if (ts->cfg.n_translations)
		diag_error(d, ts->cfg.path, ts->cfg.translations_at.line,
			   ts->cfg.translations_at.col,
			   "a translation cannot list translations: list them "
			   "all in the book's own book.yml");
}

/* Warns of each chapter one of `a` and `b` has and the other does not:
 * its switcher leads to the other's index. */
static void languages_check_chapters(const struct site *a, const struct site *b,
				     struct diag *d)
{
	size_t i;

	for (i = 0; i < a->n_chapters; i++)
		if (site_find_chapter(b, a->chapters[i].file) == SITE_NONE)
			diag_warning(d, b->cfg.path, b->cfg.chapters_at.line,
				     b->cfg.chapters_at.col,
				     "chapter '%s' of %s/ is missing in "
				     "'%s' (%s/): its language switcher "
				     "leads to that language's index",
				     a->chapters[i].file, a->shown_dir,
				     b->cfg.language, b->shown_dir);
}

/* The root's own site must leave each language's folder to it. */
static void languages_check_folders(const struct site *root, const char *tag,
				    struct diag *d)
{
	size_t n = strlen(tag), i;

	for (i = 0; i < root->n_chapters; i++)
		if (!strncmp(root->chapters[i].html_name, tag, n) &&
		    root->chapters[i].html_name[n] == '/')
			diag_error(d, root->cfg.path, 0, 0,
				   "chapter '%s' would be published in "
				   "site/%s/, the folder of the '%s' "
				   "translation",
				   root->chapters[i].file, tag, tag);
}

int languages_load(struct languages *l, struct site *root, const char *theme,
		   const char *content, const char *out, int use_cache,
		   int drafts, struct diag *d)
{
	size_t n = root->cfg.n_translations, i, errors = d->errors;
	struct buf name = BUF_INIT;

	memset(l, 0, sizeof(*l));
	if (!n)
		return 0;
	l->n = n + 1;
	l->v = xcalloc(l->n, sizeof(*l->v));
	l->books = xcalloc(n, sizeof(*l->books));
	l->v[0].tag = root->cfg.language;
	l->v[0].name = langtag_endonym(root->cfg.language);
	l->v[0].dir = "";
	l->v[0].site = root;
	for (i = 0; i < n; i++) {
		struct language_book *b = &l->books[i];
		const char *tag = root->cfg.translations[i];
		char *dir = path_join(content, tag);
		size_t c;

		char *cache;

		languages_check_folders(root, tag, d);
		buf_reset(&name);
		buf_addf(&name, "%s-%s", CACHE_FILE, tag);
		b->cache = buf_detach(&name, NULL);
		b->packed.idx_fd = -1;
		cache = path_join(out, b->cache);
		incr_open(&b->inc, cache, use_cache);
		free(cache);
		incr_load(&b->inc, &b->s, dir, dir, drafts, d);
		free(dir);
		languages_check_book(&b->s, tag, d);
		languages_inherit(&b->s, root, tag);
		if (theme_load(&b->t, theme ? theme : b->s.cfg.theme, ".", d) ==
		    0)
			theme_vars_check(&b->t, d);
		languages_check_chapters(root, &b->s, d);
		languages_check_chapters(&b->s, root, d);
		buf_reset(&name);
		if (!strcmp(b->s.slug, root->slug))
			buf_addf(&name, "%s-%s.epub", b->s.slug, tag);
		else
			buf_addf(&name, "%s.epub", b->s.slug);
		b->epub = xstrdup(name.ptr);
		/* the writers read what was made of the sources */
		for (c = 0; c < b->s.n_chapters; c++)
			buf_release(&b->s.chapters[c].source);
		l->v[i + 1].tag = tag;
		l->v[i + 1].name = langtag_endonym(tag);
		l->v[i + 1].dir = NULL;
		l->v[i + 1].site = &b->s;
	}
	for (i = 1; i < l->n; i++) {
		buf_reset(&name);
		buf_addf(&name, "%s/", l->v[i].tag);
		l->v[i].dir = buf_detach(&name, NULL);
	}
	for (i = 0; i < l->n; i++) {
		struct site *s = i ? &l->books[i - 1].s : root;
		s->languages = l->v;
		s->n_languages = l->n;
		s->language = i;
	}
	buf_release(&name);
	return d->errors > errors ? -1 : 0;
}

void languages_release(struct languages *l)
{
	size_t i;

	for (i = 0; l->books && i + 1 < l->n; i++) {
		struct language_book *b = &l->books[i];
		incr_release(&b->inc);
		site_release(&b->s);
		theme_release(&b->t);
		free(b->epub);
		free(b->cache);
	}
	for (i = 1; l->v && i < l->n; i++)
		free((char *)l->v[i].dir);
	free(l->books);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
