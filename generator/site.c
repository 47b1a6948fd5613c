#include "site.h"

#include <cmark-gfm.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "markdown.h"
#include "pool.h"
#include "slug.h"
#include "xalloc.h"
#include "xform_callouts.h"
#include "xform_headings.h"
#include "xform_links.h"
#include "xform_lint.h"
#include "xform_quiz.h"
#include "xform_tasks.h"

void chapter_detach(struct chapter *c, struct cmark_node *node)
{
	c->detached = xgrow(c->detached, sizeof(*c->detached),
			    c->n_detached + 1, &c->cap_detached);
	c->detached[c->n_detached++] = node;
}

size_t site_find_chapter(const struct site *s, const char *file)
{
	size_t i;

	if (s->chapter_files.n)
		return strset_get(&s->chapter_files, file, &i) ? i : SITE_NONE;
	for (i = 0; i < s->n_chapters; i++)
		if (!strcmp(s->chapters[i].file, file))
			return i;
	return SITE_NONE;
}

static int site_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int site_is_unlisted(const struct site *s, const char *path)
{
	return s->n_unlisted &&
	       bsearch(&path, s->unlisted, s->n_unlisted, sizeof(*s->unlisted),
		       site_str_cmp) != NULL;
}

int chapter_load_source(const struct site *s, struct chapter *c)
{
	struct diag quiet;
	char *full;
	int r;

	if (c->source.len)
		return 0;
	full = path_join(s->content_dir, c->file);
	diag_init(&quiet);
	r = fs_read_file(full, c->path, &c->source, &quiet);
	diag_release(&quiet);
	free(full);
	return r;
}

int site_has_file(const struct site *s, const char *path)
{
	return s->n_files && bsearch(&path, s->files, s->n_files,
				     sizeof(*s->files), site_str_cmp) != NULL;
}

size_t chapter_find_heading(const struct chapter *c, const char *id)
{
	size_t i;

	/* the index is kept by xform_headings_run(); a chapter built
	 * without it (by hand, in a test) is searched in order */
	if (c->heading_ids.n)
		return strset_get(&c->heading_ids, id, &i) ? i : SITE_NONE;
	for (i = 0; i < c->n_headings; i++)
		if (!strcmp(c->headings[i].id, id))
			return i;
	return SITE_NONE;
}

int chapter_step_label(const struct chapter *c)
{
	return c->fm.step && strncmp(c->fm.title, "Step ", 5) != 0;
}

static size_t site_count_words(const char *s, size_t len)
{
	size_t i, words = 0;
	int in = 0;

	for (i = 0; i < len; i++) {
		int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
			    s[i] == '\r';
		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

static void chapter_release(struct chapter *c);
static void chapter_init(struct chapter *c, const char *file,
			 const char *shown_dir);

/* Sets c->toc_hash and c->tasks_hash from its title, headings and tasks. */
static void site_hash_facts(struct chapter *c)
{
	uint64_t toc = hash_str(HASH_SEED, c->fm.title), tasks = toc;
	size_t j;

	toc = hash_u64(toc, c->n_headings);
	for (j = 0; j < c->n_headings; j++) {
		toc = hash_u64(toc, (uint64_t)c->headings[j].level);
		toc = hash_str(toc, c->headings[j].id);
		toc = hash_str(toc, c->headings[j].text);
	}
	tasks = hash_u64(tasks, c->n_tasks);
	for (j = 0; j < c->n_tasks; j++) {
		const struct task *t = &c->tasks[j];
		tasks = hash_str(tasks, t->text);
		tasks = hash_u64(tasks, (uint64_t)t->checked);
		tasks = hash_str(tasks, t->heading != SITE_NONE ?
					c->headings[t->heading].id : "");
	}
	c->toc_hash = toc;
	c->tasks_hash = tasks;
}

/* Reads and parses one chapter; the AST passes that need the whole book
 * run later. A chapter the hooks can fill (from the cache) is neither
 * read nor parsed. */
static int site_load_chapter(struct site *s, struct chapter *c,
			     const struct site_hooks *hooks, struct diag *d)
{
	char *full = path_join(s->content_dir, c->file);
	size_t bad, errors = d->errors, warnings = d->warnings;
	const char *body;
	size_t body_len;
	struct stat st;

	if (hooks && hooks->take) {
		int r = hooks->take(hooks->ctx, s, c, full);
		if (r == 1) {
			free(full);
			return 0;
		}
		if (r < 0) {
			/* filled half-way from a damaged cache: start over */
			char *file = xstrdup(c->file);
			chapter_release(c);
			chapter_init(c, file, s->shown_dir);
			free(file);
		}
	}
	/* the times before the bytes: an edit made while the file is read
	 * then shows as a change next time */
	if (stat(full, &st) == 0) {
		c->src_size = (long long)st.st_size;
		c->src_mtime_ns = (long long)st.st_mtim.tv_sec * 1000000000LL +
				  st.st_mtim.tv_nsec;
		c->src_ctime_ns = (long long)st.st_ctim.tv_sec * 1000000000LL +
				  st.st_ctim.tv_nsec;
	}
	if (fs_read_file(full, c->path, &c->source, d) < 0) {
		free(full);
		return -1;
	}
	c->src_hash = hash_mix(HASH_SEED, c->source.ptr, c->source.len);
	free(full);
	if (!utf8_valid(c->source.ptr, c->source.len, &bad)) {
		int line, col;
		diag_position(c->source.ptr, bad, &line, &col);
		return diag_error(d, c->path, line, col,
				  "invalid UTF-8 (byte 0x%02X): save the file "
				  "as UTF-8",
				  (unsigned char)c->source.ptr[bad]);
	}
	if (memchr(c->source.ptr, '\0', c->source.len)) {
		int line, col;
		diag_position(c->source.ptr,
			      (size_t)((char *)memchr(c->source.ptr, '\0',
						      c->source.len) -
				       c->source.ptr),
			      &line, &col);
		return diag_error(d, c->path, line, col, "NUL byte in chapter");
	}
	if (frontmatter_parse(&c->fm, c->source.ptr, c->source.len, c->path,
			      d) < 0)
		return -1;
	if (c->fm.slug) {
		char *clean = slug_make(c->fm.slug);
		if (!*clean || strcmp(clean, c->fm.slug)) {
			diag_error(d, c->path, 1, 1,
				   "invalid slug '%s': use lowercase letters, "
				   "digits, '-' and '_'", c->fm.slug);
			free(clean);
			return -1;
		}
		c->slug = clean;
	} else {
		const char *name = strrchr(c->file, '/');
		struct buf b = BUF_INIT;
		name = name ? name + 1 : c->file;
		buf_add(&b, name, strlen(name) - 3);
		c->slug = slug_make(b.ptr);
		buf_release(&b);
		if (!*c->slug) {
			free(c->slug);
			c->slug = xstrdup("chapter");
		}
	}
	{
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s.html", c->slug);
		c->html_name = buf_detach(&b, NULL);
		buf_addf(&b, "%s.xhtml", c->slug);
		c->xhtml_name = buf_detach(&b, NULL);
	}
	body = c->source.ptr + c->fm.body_offset;
	body_len = c->source.len - c->fm.body_offset;
	c->words = site_count_words(body, body_len);
	c->minutes = (int)((c->words + 199) / 200);
	if (c->minutes < 1)
		c->minutes = 1;
	c->doc = markdown_parse(body, body_len, s->cfg.unsafe_html);
	xform_headings_run(c, d);
	xform_callouts_run(c, d);
	xform_tasks_run(c, d);
	xform_quiz_run(c->doc, c->path, c->fm.body_line, c->slug, &c->quizzes,
		       d);
	xform_links_run(s, c, d);
	xform_lint_run(c, d);
	c->warned = d->warnings > warnings;
	site_hash_facts(c);
	c->parsed = 1;
	return d->errors > errors ? -1 : 0;
}

/* Chapters are read, parsed and handed to the hooks on every core (see
 * pool.h); each records its problems in that chapter's own diagnostics,
 * which are then added in book order, so the report does not depend on
 * the threads. */
struct site_loader {
	struct site *s;
	const struct site_hooks *hooks;
	struct diag *diags;
};

static void site_loader_job(void *arg, size_t i, size_t worker)
{
	struct site_loader *l = arg;
	struct chapter *c = &l->s->chapters[i];

	(void)worker;
	if (site_load_chapter(l->s, c, l->hooks, &l->diags[i]) == 0 &&
	    l->hooks && l->hooks->parsed && !c->from_cache)
		l->hooks->parsed(l->hooks->ctx, l->s, c);
}

static void site_load_chapters(struct site *s, const struct site_hooks *hooks,
			       struct diag *d)
{
	struct site_loader l;
	size_t i;

	l.s = s;
	l.hooks = hooks;
	l.diags = xcalloc(s->n_chapters + 1, sizeof(*l.diags));
	pool_run(s->n_chapters, SITE_MAX_THREADS, site_loader_job, &l);
	for (i = 0; i < s->n_chapters; i++) {
		diag_append(d, &l.diags[i]);
		diag_release(&l.diags[i]);
	}
	free(l.diags);
}

static void chapter_init(struct chapter *c, const char *file,
			 const char *shown_dir)
{
	struct buf b = BUF_INIT;

	memset(c, 0, sizeof(*c));
	buf_init(&c->source);
	c->file = xstrdup(file);
	buf_addf(&b, "%s/%s", shown_dir, file);
	c->path = buf_detach(&b, NULL);
}

static void site_add_chapter(struct site *s, const char *file, size_t *cap)
{
	s->chapters = xgrow(s->chapters, sizeof(*s->chapters),
			    s->n_chapters + 1, cap);
	chapter_init(&s->chapters[s->n_chapters++], file, s->shown_dir);
	strset_add(&s->chapter_files, file, s->n_chapters - 1);
}

int site_load(struct site *s, const char *content_dir, const char *shown_dir,
	      struct diag *d)
{
	return site_load_with(s, content_dir, shown_dir, NULL, d);
}

/* Whether the file `rel` (normalised, within content/) may be read:
 * SITE_FILE when it is a file the walk found, or a hidden one inside
 * content/; SITE_NO_FILE when there is none; SITE_REFUSED when it, or a
 * folder holding it, was refused (*why is then set). */
enum { SITE_NO_FILE, SITE_FILE, SITE_REFUSED };

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

/* Checks the cover book.yml names, before anything is written. */
static void site_check_cover(const struct site *s, const struct strset *present,
			     struct diag *d)
{
	const struct fs_refused *why;
	char *norm;
	struct buf text = BUF_INIT;

	if (!s->cfg.cover || !*s->cfg.cover)
		return;
	norm = path_normalize(s->cfg.cover);
	if (!norm) {
		diag_error(d, s->cfg.path, s->cfg.cover_at.line,
			   s->cfg.cover_at.col,
			   "cover '%s' points outside %s/", s->cfg.cover,
			   s->shown_dir);
		return;
	}
	switch (site_lookup(s, present, norm, &why)) {
	case SITE_REFUSED:
		site_refusal_message(s, "cover", norm, why, &text);
		diag_error(d, s->cfg.path, s->cfg.cover_at.line,
			   s->cfg.cover_at.col, "%s", text.ptr);
		break;
	case SITE_NO_FILE:
		diag_error(d, s->cfg.path, s->cfg.cover_at.line,
			   s->cfg.cover_at.col, "missing cover '%s'",
			   s->cfg.cover);
		break;
	default:
		break;
	}
	buf_release(&text);
	free(norm);
}

void site_refusal_message(const struct site *s, const char *what,
			  const char *path, const struct fs_refused *why,
			  struct buf *out)
{
	buf_addf(out, "%s '%s' ", what, path);
	if (strcmp(why->path, path))
		buf_addf(out, "is in '%s', which ", why->path);
	fs_refusal_text(why, s->shown_dir, out);
}

/* Takes the chapters book.yml lists, in its order. A listed file that is
 * missing is an error that suggests the .md files not listed; those left
 * out are s->unlisted, each (but one so suggested) a warning. */
static void site_list_chapters(struct site *s, const struct fs_tree *tree,
			       const struct strset *present, struct diag *d)
{
	struct strset listed = STRSET_INIT, suggested = STRSET_INIT;
	const struct fs_refused *why;
	const char *shown_dir = s->shown_dir;
	size_t i, cap = 0, errors = d->errors;

	for (i = 0; i < s->cfg.n_chapters; i++) {
		char *norm = path_normalize(s->cfg.chapters[i].file);
		if (norm)
			strset_add(&listed, norm, i);
		free(norm);
	}
	/* in the walk's order, which is bytewise: sorted for bsearch */
	for (i = 0; i < tree->n_files; i++)
		if (!strcmp(path_ext(tree->files[i]), "md") &&
		    !strset_has(&listed, tree->files[i])) {
			s->unlisted = xrealloc(s->unlisted, (s->n_unlisted + 1) *
					       sizeof(*s->unlisted));
			s->unlisted[s->n_unlisted++] = xstrdup(tree->files[i]);
		}
	for (i = 0; i < s->cfg.n_chapters; i++) {
		const struct config_chapter *cc = &s->cfg.chapters[i];
		char *norm = path_normalize(cc->file);
		int found;
		if (!norm || strcmp(path_ext(norm), "md")) {
			diag_error(d, s->cfg.path, cc->line, cc->col,
				   "chapter '%s' must be a .md file "
				   "inside %s/", cc->file, shown_dir);
			free(norm);
			continue;
		}
		found = site_lookup(s, present, norm, &why);
		if (found == SITE_REFUSED) {
			struct buf text = BUF_INIT;
			site_refusal_message(s, "chapter", norm, why,
					     &text);
			diag_error(d, s->cfg.path, cc->line, cc->col,
				   "%s", text.ptr);
			buf_release(&text);
		} else if (found == SITE_NO_FILE) {
			const char *near = slug_closest(
				norm, (const char *const *)s->unlisted,
				s->n_unlisted, strlen(norm) / 2 + 2);
			diag_error(d, s->cfg.path, cc->line, cc->col,
				   "no chapter file '%s' in %s/%s%s%s",
				   cc->file, shown_dir,
				   near ? "; did you mean '" : "",
				   near ? near : "",
				   near ? "'?" : "");
			if (near)
				strset_add(&suggested, near, 0);
		} else if (site_find_chapter(s, norm) != SITE_NONE) {
			diag_error(d, s->cfg.path, cc->line, cc->col,
				   "chapter '%s' listed twice", norm);
		} else {
			site_add_chapter(s, norm, &cap);
		}
		free(norm);
	}
	s->list_errors = d->errors > errors || s->cfg.chapter_errors;
	/* a list with mistakes leaves files out by mistake: those are
	 * the errors to fix, not each file left out */
	for (i = 0; i < s->n_unlisted && !s->list_errors; i++)
		if (!strset_has(&suggested, s->unlisted[i]))
			diag_warning(d, s->cfg.path, s->cfg.chapters_at.line,
				     s->cfg.chapters_at.col,
				     "'%s' is not listed in 'chapters:', so it "
				     "is left out of the book", s->unlisted[i]);
	strset_release(&listed);
	strset_release(&suggested);
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
		near = slug_closest((const char *)f->v[i],
				    (const char *const *)s->files, s->n_files,
				    strlen(f->v[i]) / 2 + 2);
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
		diag_warning(d, c->path, line, 1, "duplicate step %d: '%s' "
			     "is step %d too", c->fm.step, s->chapters[j].path,
			     c->fm.step);
		diag_attach_source(d, c->source.ptr, c->source.len, line);
	}
	strset_release(&steps);
}

int site_load_with(struct site *s, const char *content_dir,
		   const char *shown_dir, const struct site_hooks *hooks,
		   struct diag *d)
{
	char *yml = path_join(content_dir, "book.yml");
	struct buf shown = BUF_INIT;
	size_t i, j, cap = 0, errors = d->errors;
	struct strset slugs = STRSET_INIT, present = STRSET_INIT;
	struct fs_tree tree;
	const struct fs_refused *why;

	memset(s, 0, sizeof(*s));
	s->content_dir = xstrdup(content_dir);
	s->shown_dir = xstrdup(shown_dir);
	/* every file in content/, listed once, and what is not to be
	 * read: a listed chapter is looked for there before it is looked
	 * up on its own (it may be hidden) */
	if (fs_walk(content_dir, &tree) < 0) {
		struct diag quiet;
		free(yml);
		diag_init(&quiet);
		config_load(&s->cfg, "/nonexistent", shown_dir, &quiet);
		diag_release(&quiet);
		s->slug = xstrdup("book");
		return diag_error(d, shown_dir, 0, 0,
				  "no book here: missing folder '%s'", shown_dir);
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
	buf_addf(&shown, "%s/book.yml", shown_dir);
	if (site_lookup(s, &present, "book.yml", &why) == SITE_REFUSED) {
		/* reported above; the settings are the defaults */
		struct diag quiet;
		diag_init(&quiet);
		config_load(&s->cfg, "/nonexistent", shown.ptr, &quiet);
		diag_release(&quiet);
	} else {
		config_load(&s->cfg, yml, shown.ptr, d);
	}
	s->newest = (long long)fs_mtime(yml);
	free(yml);
	buf_release(&shown);
	{
		char *t = slug_make(s->cfg.title);
		s->slug = *t ? t : xstrdup("book");
		if (!*t)
			free(t);
	}

	if (s->cfg.unread) {
		/* book.yml could not be read: which chapters the book has
		 * is not known, and guessing would only add false errors */
	} else if (s->cfg.chapters) {
		site_list_chapters(s, &tree, &present, d);
	} else {
		/* the .md files at the top of content/, in name order */
		for (i = 0; i < tree.n_files; i++)
			if (!strchr(tree.files[i], '/') &&
			    !strcmp(path_ext(tree.files[i]), "md"))
				site_add_chapter(s, tree.files[i], &cap);
	}
	if (!s->n_chapters && d->errors == errors)
		diag_error(d, s->cfg.path, 0, 0, "the book has no chapters");
	if (s->n_chapters > SITE_MAX_CHAPTERS)
		diag_error(d, s->cfg.path, 0, 0,
			   "too many chapters: %zu, limit %d", s->n_chapters,
			   SITE_MAX_CHAPTERS);
	site_check_cover(s, &present, d);

	strset_release(&present);
	for (i = 0; i < tree.n_files; i++) {
		long long mt;
		char *full;
		if (!strcmp(tree.files[i], "book.yml") ||
		    !strcmp(path_ext(tree.files[i]), "md")) {
			free(tree.files[i]);
			continue;
		}
		full = path_join(content_dir, tree.files[i]);
		mt = (long long)fs_mtime(full);
		free(full);
		if (mt > s->newest)
			s->newest = mt;
		s->files = xrealloc(s->files, (s->n_files + 1) * sizeof(*s->files));
		s->files[s->n_files++] = tree.files[i];
	}
	tree.n_files = 0;
	fs_tree_release(&tree);
	site_check_extras(s, "extra_css", &s->cfg.extra_css, d);
	site_check_extras(s, "extra_js", &s->cfg.extra_js, d);

	if (s->n_chapters <= SITE_MAX_CHAPTERS)
		site_load_chapters(s, hooks, d);
	for (i = 0; i < s->n_chapters; i++) {
		long long mt = s->chapters[i].src_mtime_ns / 1000000000LL;
		if (mt > s->newest)
			s->newest = mt;
	}
	for (i = 0; i < s->n_chapters; i++) {
		static const char *const reserved[] = {
			"index", "checklist", "print", "404", "search-index",
			"nav", "cover", "title", "answers", "toc", "main",
			"sidebar", "search",
		};
		size_t k;
		if (!s->chapters[i].slug)
			continue;
		for (k = 0; k < sizeof(reserved) / sizeof(*reserved); k++)
			if (!strcmp(s->chapters[i].slug, reserved[k]))
				diag_error(d, s->chapters[i].path, 1, 1,
					   "slug '%s' is taken by a page stepbook "
					   "makes: set another with 'slug:' in "
					   "the front matter", reserved[k]);
		if (!strset_add(&slugs, s->chapters[i].slug, i) &&
		    strset_get(&slugs, s->chapters[i].slug, &j))
			diag_error(d, s->chapters[i].path, 1, 1,
				   "duplicate slug '%s': '%s' has it too",
				   s->chapters[i].slug, s->chapters[j].path);
		s->n_tasks += s->chapters[i].n_tasks;
	}
	strset_release(&slugs);
	site_check_steps(s, d);
	xform_links_resolve(s, d);
	return d->errors > errors ? -1 : 0;
}

static void chapter_release(struct chapter *c)
{
	size_t i;

	free(c->file);
	free(c->path);
	free(c->slug);
	free(c->html_name);
	free(c->xhtml_name);
	frontmatter_release(&c->fm);
	buf_release(&c->source);
	if (c->doc)
		cmark_node_free(c->doc);
	for (i = 0; i < c->n_detached; i++)
		cmark_node_free(c->detached[i]);
	free(c->detached);
	for (i = 0; i < c->n_headings; i++) {
		free(c->headings[i].id);
		free(c->headings[i].text);
	}
	free(c->headings);
	strset_release(&c->heading_ids);
	for (i = 0; i < c->n_tasks; i++) {
		free(c->tasks[i].id);
		free(c->tasks[i].text);
		free(c->tasks[i].html);
	}
	free(c->tasks);
	quiz_list_release(&c->quizzes);
	for (i = 0; i < c->n_links; i++) {
		free(c->links[i].fragment);
		free(c->links[i].file);
	}
	free(c->links);
	free(c->backlinks);
	for (i = 0; i < c->n_callouts; i++)
		free(c->callouts[i].kind);
	free(c->callouts);
	for (i = 0; i < c->n_images; i++)
		free(c->images[i]);
	free(c->images);
	if (!c->borrowed) {
		for (i = 0; i < 3; i++)
			free(c->body[i]);
		free(c->answers);
		free(c->search);
	}
	free(c->epub.answers);
	free(c->epub.images);
}

void site_release(struct site *s)
{
	size_t i;

	for (i = 0; i < s->n_chapters; i++)
		chapter_release(&s->chapters[i]);
	free(s->chapters);
	strset_release(&s->chapter_files);
	for (i = 0; i < s->n_unlisted; i++)
		free(s->unlisted[i]);
	free(s->unlisted);
	for (i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	fs_refused_free(s->refused, s->n_refused);
	free(s->content_real);
	config_release(&s->cfg);
	free(s->content_dir);
	free(s->shown_dir);
	free(s->slug);
	memset(s, 0, sizeof(*s));
}

const char *chapter_text(struct chapter *c, int t)
{
	const char *text = t < 3 ? c->body[t] : t == CHAPTER_TEXT_ANSWERS ?
					       c->answers : c->search;
	int state;

	if (!c->borrowed || !text)
		return text;
	state = __atomic_load_n(&c->checked[t], __ATOMIC_ACQUIRE);
	if (!state) {
		/* (the cache made sure the text and its NUL are mapped) */
		const struct chapter_kept *k = &c->kept[t];
		state = !text[k->len] &&
				hash_mix(HASH_SEED, text, (size_t)k->len + 1) ==
					k->hash ? 1 : -1;
		__atomic_store_n(&c->checked[t], state, __ATOMIC_RELEASE);
	}
	return state > 0 ? text : "";
}

int chapter_damaged(const struct chapter *c)
{
	int t;

	for (t = 0; t < 5; t++)
		if (__atomic_load_n(&c->checked[t], __ATOMIC_ACQUIRE) < 0)
			return 1;
	return 0;
}
