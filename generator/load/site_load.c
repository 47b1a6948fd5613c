#include "site_load.h"

#include <cmark-gfm.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "directives.h"
#include "fsutil.h"
#include "hash.h"
#include "jobj.h"
#include "langtag.h"
#include "markdown.h"
#include "mdbook.h"
#include "path.h"
#include "pool.h"
#include "site_chapters.h"
#include "site_redirects.h"
#include "slug.h"
#include "summary.h"
#include "utf8.h"
#include "xalloc.h"
#include "xform_callouts.h"
#include "xform_headings.h"
#include "xform_links.h"
#include "xform_lint.h"
#include "xform_mdbook.h"
#include "xform_quiz.h"
#include "xform_tasks.h"
#include "yamljson.h"

/* Whether the file `rel` (normalised, within content/) may be read:
 * SITE_FILE when it is a file the walk found, or a hidden one inside
 * content/; SITE_NO_FILE when there is none; SITE_REFUSED when it, or a
 * folder holding it, was refused (*why is then set). */
enum { SITE_NO_FILE, SITE_FILE, SITE_REFUSED };

/* Pages stepbook makes beside the chapters': no chapter may take their
 * names. */
static const char *const site_reserved[] = {
	"index", "checklist", "print",  "404",     "search-index",
	"nav",   "cover",     "title",  "answers", "toc",
	"main",  "sidebar",   "search",
};

int site_load(struct site *s, const char *content_dir, const char *shown_dir,
	      struct diag *d)
{
	return site_load_with(s, content_dir, shown_dir, NULL, d);
}

static int site_lookup(const struct site *s, const struct strset *present,
		       const char *rel, const struct fs_refused **why)
{
	char *full, *real;
	int r;

	*why = fs_refused_find(s->refused, s->n_refused, rel);
	if (*why)
		return SITE_REFUSED;
	if (strset_has(present, rel))
		return SITE_FILE;
	/* hidden (".draft.md"): not walked, looked up on its own */
	full = path_join(s->content_dir, rel);
	real = fs_resolve(full);
	r = real && s->content_real && path_within(real, s->content_real) &&
	    fs_is_file(real);
	free(real);
	free(full);
	return r ? SITE_FILE : SITE_NO_FILE;
}

/* Reports each entry of content/ the walk refused that is a mistake in
 * itself: a symlink leading out of the book, a loop, a second name for a
 * folder (not a FIFO or the like, which is only an error where it is
 * used). */
static void site_report_refused(const struct site *s, struct diag *d)
{
	struct buf shown = BUF_INIT, why = BUF_INIT;
	size_t i;

	for (i = 0; i < s->n_refused; i++) {
		const struct fs_refused *r = &s->refused[i];
		if (r->why == FS_SPECIAL)
			continue;
		buf_reset(&shown);
		buf_reset(&why);
		buf_addf(&shown, "%s/%s", s->shown_dir, r->path);
		fs_refusal_text(r, s->shown_dir, &why);
		diag_error(d, shown.ptr, 0, 0, "'%s' %s", r->path, why.ptr);
	}
	buf_release(&shown);
	buf_release(&why);
}

/* Shows line `line` of book.yml under the last diagnostic, as a
 * chapter's line is shown under its own: book.yml is read again, since
 * its text is not kept once loaded. */
static void site_attach_config_line(const struct site *s, int line,
				    struct diag *d)
{
	struct buf text = BUF_INIT;
	struct diag quiet;
	char *full = path_join(s->content_dir, "book.yml");

	diag_init(&quiet);
	if (line > 0 && fs_read_file(full, s->cfg.path, &text, &quiet) == 0)
		diag_attach_source(d, text.ptr, text.len, line);
	diag_release(&quiet);
	buf_release(&text);
	free(full);
}

/* Checks the cover book.yml names, before anything is written. */
static void site_check_cover(const struct site *s, const struct fs_tree *tree,
			     const struct strset *present, struct diag *d)
{
	const struct fs_refused *why;
	char *norm;
	struct buf text = BUF_INIT;

	if (!s->cfg.cover || !*s->cfg.cover)
		return;
	norm = path_normalize(s->cfg.cover);
	if (!norm) {
		diag_error(d, s->cfg.path, s->cfg.cover_at.line,
			   s->cfg.cover_at.col, "cover '%s' points outside %s/",
			   s->cfg.cover, s->shown_dir);
		return;
	}
	switch (site_lookup(s, present, norm, &why)) {
	case SITE_REFUSED:
		site_refusal_message(s, "cover", norm, why, &text);
		diag_error(d, s->cfg.path, s->cfg.cover_at.line,
			   s->cfg.cover_at.col, "%s", text.ptr);
		break;
	case SITE_NO_FILE: {
		const char *near =
			slug_closest(norm, (const char *const *)tree->files,
				     tree->n_files, strlen(norm) / 2 + 2);
		diag_error(d, s->cfg.path, s->cfg.cover_at.line,
			   s->cfg.cover_at.col, "missing cover '%s'%s%s%s",
			   s->cfg.cover, near ? "; did you mean '" : "",
			   near ? near : "", near ? "'?" : "");
		site_attach_config_line(s, s->cfg.cover_at.line, d);
		break;
	}
	default:
		break;
	}
	buf_release(&text);
	free(norm);
}

/* The settings of a book whose book.yml cannot be read: the defaults,
 * with no diagnostic (the caller has reported why). */
static void site_default_config(struct site *s, const char *shown)
{
	struct diag quiet;

	diag_init(&quiet);
	config_load(&s->cfg, "/nonexistent", shown, &quiet);
	diag_release(&quiet);
}

/* An mdBook book: the content folder is its source folder and book.toml
 * is in the folder above. Reads both (see mdbook.h) and returns 0, or -1
 * when there is no book.toml there. `shown` becomes book.toml's name. */
static int site_load_mdbook(struct site *s, struct buf *shown, struct diag *d)
{
	char *toml = path_join(s->content_dir, "../book.toml");
	char *top = xstrdup(s->shown_dir), *slash = strrchr(top, '/');
	struct summary sum;

	if (!fs_is_file(toml)) {
		free(toml);
		free(top);
		return -1;
	}
	if (slash)
		slash[1] = '\0';
	else
		*top = '\0';
	buf_reset(shown);
	buf_addf(shown, "%sbook.toml", top);
	mdbook_config_load(&s->cfg, toml, shown->ptr, s->content_dir,
			   s->shown_dir, &sum, d);
	summary_release(&sum);
	s->newest = (long long)fs_mtime(toml);
	free(toml);
	free(top);
	return 0;
}

/* Reads book.yml (the defaults when it is refused, as reported) and sets
 * the book's slug. */
/* The interface strings (i18n.h): the pack of the book's language, its
 * i18n/<tag>.yml (or i18n/<language>.yml) and book.yml's `strings:`. */
static void site_load_strings(struct site *s, const struct strset *present,
			      struct diag *d)
{
	struct json_object *file = NULL;
	struct buf name = BUF_INIT, shown = BUF_INIT, text = BUF_INIT;
	char lang[16];

	buf_addf(&name, "i18n/%s.yml", s->cfg.language);
	if (!strset_has(present, name.ptr)) {
		langtag_language(s->cfg.language, lang, sizeof(lang));
		buf_reset(&name);
		buf_addf(&name, "i18n/%s.yml", lang);
	}
	if (strset_has(present, name.ptr)) {
		char *path = path_join(s->content_dir, name.ptr);
		buf_addf(&shown, "%s/%s", s->shown_dir, name.ptr);
		if (fs_read_file(path, shown.ptr, &text, d) == 0)
			yamljson_parse(text.ptr, text.len, shown.ptr, 0, &file,
				       d);
		free(path);
	}
	i18n_load(&s->i18n, s->cfg.language, file, shown.ptr,
		  jobj_get(s->cfg.params, "strings"), s->cfg.path, d);
	json_object_put(file);
	buf_release(&name);
	buf_release(&shown);
	buf_release(&text);
}

static void site_load_config(struct site *s, const struct strset *present,
			     struct diag *d)
{
	char *yml = path_join(s->content_dir, "book.yml");
	struct buf shown = BUF_INIT;
	const struct fs_refused *why;
	char *t;

	buf_addf(&shown, "%s/book.yml", s->shown_dir);
	if (!strset_has(present, "book.yml") &&
	    site_load_mdbook(s, &shown, d) == 0) {
		/* an mdBook book: its book.toml and SUMMARY.md */
	} else if (site_lookup(s, present, "book.yml", &why) == SITE_REFUSED) {
		site_default_config(s, shown.ptr);
	} else {
		config_load(&s->cfg, yml, shown.ptr, d);
	}
	if (fs_mtime(yml) > (time_t)s->newest)
		s->newest = (long long)fs_mtime(yml);
	free(yml);
	buf_release(&shown);
	t = slug_make(s->cfg.title);
	s->slug = *t ? t : xstrdup("book");
	if (!*t)
		free(t);
	site_load_strings(s, present, d);
}

/* Adds the chapters book.yml lists, each checked: a .md file inside
 * content/, there, not refused, listed once. A missing one suggests the
 * .md files not listed; those left out are s->unlisted, each (unless the
 * list has mistakes) a warning. */
static void site_list_chapters(struct site *s, const struct fs_tree *tree,
			       const struct strset *present, size_t *cap,
			       struct diag *d)
{
	struct strset listed = STRSET_INIT;
	const struct fs_refused *why;
	size_t i, errors = d->errors;
	const char *list = s->cfg.list_path ? s->cfg.list_path : s->cfg.path;

	for (i = 0; i < s->cfg.n_chapters; i++) {
		char *norm = path_normalize(s->cfg.chapters[i].file);
		if (norm)
			strset_add(&listed, norm, i);
		free(norm);
	}
	/* in the walk's order, which is bytewise: sorted for bsearch */
	for (i = 0; i < tree->n_files; i++)
		if (!strcmp(path_ext(tree->files[i]), "md") &&
		    !strset_has(&listed, tree->files[i]) &&
		    /* an mdBook book's list of chapters is no chapter */
		    !(s->cfg.list_path &&
		      !strcmp(tree->files[i], "SUMMARY.md"))) {
			s->unlisted = xrealloc(s->unlisted,
					       (s->n_unlisted + 1) *
						       sizeof(*s->unlisted));
			s->unlisted[s->n_unlisted++] = xstrdup(tree->files[i]);
		}
	strset_release(&listed);
	for (i = 0; i < s->cfg.n_chapters; i++) {
		const struct config_chapter *cc = &s->cfg.chapters[i];
		char *norm = path_normalize(cc->file);
		int found;
		if (!norm || strcmp(path_ext(norm), "md")) {
			diag_error(d, list, cc->line, cc->col,
				   "chapter '%s' must be a .md file inside "
				   "%s/",
				   cc->file, s->shown_dir);
			free(norm);
			continue;
		}
		found = site_lookup(s, present, norm, &why);
		if (found == SITE_REFUSED) {
			struct buf text = BUF_INIT;
			site_refusal_message(s, "chapter", norm, why, &text);
			diag_error(d, list, cc->line, cc->col, "%s", text.ptr);
			buf_release(&text);
		} else if (found == SITE_NO_FILE) {
			const char *near =
				slug_closest(norm,
					     (const char *const *)s->unlisted,
					     s->n_unlisted,
					     strlen(norm) / 2 + 2);
			diag_error(d, list, cc->line, cc->col,
				   "no chapter file '%s' in %s/%s%s%s",
				   cc->file, s->shown_dir,
				   near ? "; did you mean '" : "",
				   near ? near : "", near ? "'?" : "");
		} else if (site_find_chapter(s, norm) != SITE_NONE) {
			diag_error(d, list, cc->line, cc->col,
				   "chapter '%s' listed twice", norm);
		} else {
			site_add_chapter(s, norm, cc->title, cap);
			s->chapters[s->n_chapters - 1].part = cc->part;
			s->chapters[s->n_chapters - 1].depth = cc->depth;
			s->chapters[s->n_chapters - 1].separator = cc->separator;
		}
		free(norm);
	}
	s->list_errors = d->errors > errors || s->cfg.chapter_errors;
	/* a list with mistakes leaves files out by mistake: those are the
	 * errors to fix, not each file left out */
	for (i = 0; i < s->n_unlisted && !s->list_errors; i++) {
		const char *f = s->unlisted[i];

		if (!s->cfg.list_path)
			diag_warning(d, s->cfg.path, s->cfg.chapters_at.line,
				     s->cfg.chapters_at.col,
				     "'%s' is not listed in 'chapters:', so it "
				     "is left out of the book",
				     f);
		else if (s->cfg.mdbook && !strcmp(f, "404.md"))
			diag_warning(d, list, 1, 1,
				     "'404.md' is mdBook's page for a missing "
				     "page: stepbook makes its own 404.html, "
				     "so it is left out");
		else
			diag_warning(d, list, 1, 1,
				     "'%s' is not listed in %s, so it is left "
				     "out of the book",
				     f,
				     strrchr(list, '/') ? strrchr(list, '/') + 1
							: list);
	}
}

/* Checks that each file `extra_css:` or `extra_js:` names is one the site
 * publishes (s->files). */
static void site_check_extras(const struct site *s, const char *key,
			      const struct config_files *f, struct diag *d)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const char *near;
		if (site_has_file(s, f->v[i]))
			continue;
		near = slug_closest(f->v[i], (const char *const *)s->files,
				    s->n_files, strlen(f->v[i]) / 2 + 2);
		diag_error(d, s->cfg.path, f->line, f->col,
			   "no file '%s' in %s/ for '%s'%s%s%s", f->v[i],
			   s->shown_dir, key, near ? "; did you mean '" : "",
			   near ? near : "", near ? "'?" : "");
	}
}

/* The line of `step:` in chapter `c`'s front matter (1 when not found). */
static int site_step_line(const struct chapter *c)
{
	const char *p = c->source.ptr;
	int line = 1;

	while (p && *p && line <= c->fm.body_line) {
		if (!strncmp(p, "step", 4) && (p[4] == ':' || p[4] == ' '))
			return line;
		p = strchr(p, '\n');
		if (p)
			p++;
		line++;
	}
	return 1;
}

/* Warns of each chapter whose `step:` another chapter has already. */
static void site_check_steps(struct site *s, struct diag *d)
{
	struct strset steps = STRSET_INIT;
	size_t i, j;
	char key[24];

	for (i = 0; i < s->n_chapters; i++) {
		struct chapter *c = &s->chapters[i];
		int line;
		if (!c->fm.step || !c->fm.title)
			continue;
		snprintf(key, sizeof(key), "%d", c->fm.step);
		if (strset_add(&steps, key, i) || !strset_get(&steps, key, &j))
			continue;
		chapter_load_source(s, c);
		line = site_step_line(c);
		diag_warning(d, c->path, line, 1,
			     "duplicate step %d: '%s' is step %d too",
			     c->fm.step, s->chapters[j].path, c->fm.step);
		diag_attach_source(d, c->source.ptr, c->source.len, line);
	}
	strset_release(&steps);
}

/* Takes the files of `tree` that are neither chapters nor book.yml into
 * s->files (what the site publishes), noting the newest. */
static void site_take_files(struct site *s, struct fs_tree *tree)
{
	size_t i;

	for (i = 0; i < tree->n_files; i++) {
		long long mt;
		char *full;
		if (!strcmp(tree->files[i], "book.yml") ||
		    !strcmp(path_ext(tree->files[i]), "md")) {
			free(tree->files[i]);
			continue;
		}
		full = path_join(s->content_dir, tree->files[i]);
		mt = (long long)fs_mtime(full);
		free(full);
		if (mt > s->newest)
			s->newest = mt;
		s->files = xrealloc(s->files,
				    (s->n_files + 1) * sizeof(*s->files));
		s->files[s->n_files++] = tree->files[i];
	}
	tree->n_files = 0;
}

/* The checks that need every chapter: slugs taken by stepbook's pages
 * or by two chapters. Counts the book's tasks on the way. */
static void site_check_slugs(struct site *s, struct diag *d)
{
	struct strset slugs = STRSET_INIT;
	size_t i, j, k;

	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		if (!c->slug)
			continue;
		for (k = 0; k < sizeof(site_reserved) / sizeof(*site_reserved);
		     k++)
			if (!strcmp(c->slug, site_reserved[k]))
				diag_error(
					d, c->path, 1, 1,
					"slug '%s' is taken by a page stepbook "
					"makes: set another with 'slug:' in "
					"the front matter",
					site_reserved[k]);
		if (!strset_add(&slugs, c->slug, i) &&
		    strset_get(&slugs, c->slug, &j))
			diag_error(d, c->path, 1, 1,
				   "duplicate slug '%s': '%s' has it too",
				   c->slug, s->chapters[j].path);
		s->n_tasks += c->n_tasks;
	}
	strset_release(&slugs);
}

/* Leaves the folder of each translation (book.yml's `translations:`) out
 * of this book: content/<tag>/ is a book of its own (see build.h), whose
 * files this one neither lists nor publishes. Each must hold its
 * book.yml. */
static void site_leave_translations(struct site *s, struct fs_tree *tree,
				    struct strset *present, struct diag *d)
{
	struct buf dir = BUF_INIT;
	size_t i, j, kept = 0;

	for (i = 0; i < tree->n_files; i++) {
		const char *f = tree->files[i];
		for (j = 0; j < s->cfg.n_translations; j++) {
			size_t n = strlen(s->cfg.translations[j]);
			if (!strncmp(f, s->cfg.translations[j], n) &&
			    f[n] == '/')
				break;
		}
		if (j < s->cfg.n_translations)
			free(tree->files[i]);
		else
			tree->files[kept++] = tree->files[i];
	}
	tree->n_files = kept;
	for (j = 0; j < s->cfg.n_translations; j++) {
		buf_reset(&dir);
		buf_addf(&dir, "%s/book.yml", s->cfg.translations[j]);
		if (!strset_has(present, dir.ptr))
			diag_error(d, s->cfg.path, s->cfg.translations_at.line,
				   s->cfg.translations_at.col,
				   "translation '%s' has no book: %s/%s/ needs "
				   "a book.yml of its own, with its title and "
				   "chapters",
				   s->cfg.translations[j], s->shown_dir,
				   s->cfg.translations[j]);
	}
	strset_release(present);
	strset_init(present);
	for (i = 0; i < tree->n_files; i++)
		strset_add(present, tree->files[i], i);
	buf_release(&dir);
}

int site_load_with(struct site *s, const char *content_dir,
		   const char *shown_dir, const struct site_hooks *hooks,
		   struct diag *d)
{
	size_t i, cap = 0, errors = d->errors;
	struct strset present = STRSET_INIT;
	struct fs_tree tree;

	memset(s, 0, sizeof(*s));
	s->content_dir = xstrdup(content_dir);
	s->shown_dir = xstrdup(shown_dir);
	/* every file in content/, listed once, and what is not to be
	 * read: a listed chapter is looked for there before it is looked
	 * up on its own (it may be hidden) */
	if (fs_walk(content_dir, &tree) < 0) {
		site_default_config(s, shown_dir);
		s->slug = xstrdup("book");
		return diag_error(d, shown_dir, 0, 0,
				  "no book here: missing folder '%s'",
				  shown_dir);
	}
	s->content_real = tree.root;
	s->refused = tree.refused;
	s->n_refused = tree.n_refused;
	tree.root = NULL;
	tree.refused = NULL;
	tree.n_refused = 0;
	for (i = 0; i < tree.n_files; i++)
		strset_add(&present, tree.files[i], i);
	site_report_refused(s, d);
	site_load_config(s, &present, d);
	if (s->cfg.n_translations)
		site_leave_translations(s, &tree, &present, d);
	if (hooks && hooks->configured && !s->cfg.unread && d->errors == errors)
		hooks->configured(hooks->ctx, s);

	if (s->cfg.unread) {
		/* book.yml could not be read: which chapters the book has
		 * is not known, and guessing would only add false errors */
	} else if (s->cfg.chapters) {
		site_list_chapters(s, &tree, &present, &cap, d);
	} else {
		/* the .md files at the top of content/, in name order */
		for (i = 0; i < tree.n_files; i++)
			if (!strchr(tree.files[i], '/') &&
			    !strcmp(path_ext(tree.files[i]), "md"))
				site_add_chapter(s, tree.files[i], NULL, &cap);
	}
	if (!s->n_chapters && d->errors == errors)
		diag_error(d, s->cfg.path, 0, 0, "the book has no chapters");
	if (s->n_chapters > SITE_MAX_CHAPTERS)
		diag_error(d, s->cfg.path, 0, 0,
			   "too many chapters: %zu, limit %d", s->n_chapters,
			   SITE_MAX_CHAPTERS);
	site_check_cover(s, &tree, &present, d);
	strset_release(&present);
	site_take_files(s, &tree);
	fs_tree_release(&tree);
	site_check_extras(s, "extra_css", &s->cfg.extra_css, d);
	site_check_extras(s, "extra_js", &s->cfg.extra_js, d);

	if (s->n_chapters <= SITE_MAX_CHAPTERS) {
		size_t listed = s->n_chapters;
		site_load_chapters(s, hooks, d);
		site_drop_drafts(s, hooks);
		if (listed && !s->n_chapters)
			diag_error(d, s->cfg.path, 0, 0,
				   "every chapter is a draft (draft: true): "
				   "build with --drafts to see them");
	}
	for (i = 0; i < s->n_chapters; i++) {
		long long mt = s->chapters[i].src_mtime_ns / 1000000000LL;
		if (mt > s->newest)
			s->newest = mt;
	}
	site_check_slugs(s, d);
	site_check_steps(s, d);
	xform_links_resolve(s, d);
	site_redirects_load(s, d);
	return d->errors > errors ? -1 : 0;
}
