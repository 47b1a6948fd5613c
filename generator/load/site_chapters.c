/* site_chapters: the loader's work on each chapter (see site_load.h):
 * reading, checking and parsing it with the passes in order, on a pool
 * of threads, and the list of chapters it fills. */
#include "site_chapters.h"

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
#include "highlight_ahead.h"
#include "jobj.h"
#include "langtag.h"
#include "markdown.h"
#include "path.h"
#include "pool.h"
#include "slug.h"
#include "utf8.h"
#include "xalloc.h"
#include "xform_callouts.h"
#include "xform_code.h"
#include "xform_headings.h"
#include "xform_links.h"
#include "xform_lint.h"
#include "xform_mdbook.h"
#include "xform_quiz.h"
#include "xform_tasks.h"

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

/* Checks that the chapter's text is UTF-8 without NUL bytes. */
static int site_check_text(const struct chapter *c, struct diag *d)
{
	const char *nul;
	size_t bad;
	int line, col;

	if (!utf8_valid(c->source.ptr, c->source.len, &bad)) {
		diag_position(c->source.ptr, bad, &line, &col);
		return diag_error(d, c->path, line, col,
				  "invalid UTF-8 (byte 0x%02X): save the file "
				  "as UTF-8",
				  (unsigned char)c->source.ptr[bad]);
	}
	nul = memchr(c->source.ptr, '\0', c->source.len);
	if (nul) {
		diag_position(c->source.ptr, (size_t)(nul - c->source.ptr),
			      &line, &col);
		return diag_error(d, c->path, line, col, "NUL byte in chapter");
	}
	return 0;
}

/* Checks the front matter's slug, then sets the chapter's slug and the
 * names of its outputs (chapter_set_names()). */
static int site_name_chapter(struct chapter *c, struct diag *d)
{
	if (c->fm.slug) {
		char *clean = slug_make(c->fm.slug);
		int bad = !*clean || strcmp(clean, c->fm.slug);
		free(clean);
		if (bad)
			return diag_error(d, c->path, 1, 1,
					  "invalid slug '%s': use lowercase "
					  "letters, digits, '-' and '_'",
					  c->fm.slug);
	}
	chapter_set_names(c);
	return 0;
}

/* A chapter whose front matter gives no title (or that has none) takes
 * the chapter list's, else its first heading's when the text opens with
 * a `# ` heading; that heading then leaves the body, since pages show
 * the title above it. */
static int site_title_chapter(struct chapter *c, struct diag *d)
{
	cmark_node *first = cmark_node_first_child(c->doc);
	int h1 = first && !c->fm.title &&
		 cmark_node_get_type(first) == CMARK_NODE_HEADING &&
		 cmark_node_get_heading_level(first) == 1;

	if (c->fm.title)
		return 0;
	if (c->list_title && *c->list_title) {
		c->fm.title = xstrdup(c->list_title);
		/* the cache does not see the list change */
		c->reparse = 1;
	} else if (h1) {
		struct buf t = BUF_INIT;

		markdown_plain_text(first, &t);
		c->fm.title = buf_detach(&t, NULL);
	}
	if (!c->fm.title || !*c->fm.title) {
		free(c->fm.title);
		c->fm.title = NULL;
		/* as a chapter that did not parse */
		cmark_node_free(c->doc);
		c->doc = NULL;
		return diag_error(d, c->path, 1, 1,
				  "missing title: no 'title:' in front "
				  "matter, no title in the chapter list and "
				  "no '# ' heading on the first line");
	}
	if (h1) {
		cmark_node_unlink(first);
		cmark_node_free(first);
	}
	return 0;
}

int site_load_parse(const struct site *s, struct chapter *c, struct diag *d)
{
	struct buf expanded = BUF_INIT;
	const char *body;
	size_t body_len;

	if (site_check_text(c, d) < 0 ||
	    frontmatter_parse(&c->fm, c->source.ptr, c->source.len, c->path,
			      d) < 0 ||
	    site_name_chapter(c, d) < 0)
		return -1;
	body = c->source.ptr + c->fm.body_offset;
	body_len = c->source.len - c->fm.body_offset;
	if (directives_present(body, body_len)) {
		struct directives res;
		int r = directives_expand(body, body_len, s->content_dir,
					  c->file, c->path, c->fm.body_line,
					  &expanded, &res, d);

		c->reparse = res.n_files > 0 || res.title;
		c->head_title = res.title;
		res.title = NULL;
		c->line_map = res.lines;
		c->n_line_map = res.n_lines;
		res.lines = NULL;
		directives_release(&res);
		if (r < 0) {
			buf_release(&expanded);
			return -1;
		}
		body = expanded.ptr;
		body_len = expanded.len;
	}
	c->words = site_count_words(body, body_len);
	c->minutes = (int)((c->words + SITE_WORDS_PER_MINUTE - 1) /
			   SITE_WORDS_PER_MINUTE);
	if (c->minutes < 1)
		c->minutes = 1;
	c->doc = markdown_parse(body, body_len, s->cfg.unsafe_html);
	buf_release(&expanded);
	return site_title_chapter(c, d);
}

/* Points what the passes reported from entry `from` of `d` on at the
 * source lines, when the text they read had files included: a line of
 * an included file counts as its directive's. */
static void site_map_lines(const struct chapter *c, struct diag *d, size_t from)
{
	size_t i;

	for (i = from; c->line_map && i < d->n; i++) {
		struct diag_entry *e = &d->v[i];
		size_t k;
		const char *p, *end;
		int line;

		if (!e->file || strcmp(e->file, c->path) ||
		    e->line <= c->fm.body_line)
			continue;
		k = (size_t)(e->line - c->fm.body_line - 1);
		if (k >= c->n_line_map ||
		    (line = c->line_map[k] + c->fm.body_line) == e->line)
			continue;
		e->line = line;
		/* the source line shown under it */
		p = c->source.ptr;
		end = p + c->source.len;
		while (--line > 0 && p < end) {
			p = memchr(p, '\n', (size_t)(end - p));
			p = p ? p + 1 : end;
		}
		free(e->source);
		e->source = xstrndup(p, strcspn(p, "\r\n"));
	}
}

/* Reads one chapter, or fills it through the hooks (from the cache).
 * Returns 1 when filled, 0 when read (to parse), -1 on errors. */
static int site_read_chapter(struct site *s, struct chapter *c,
			     const struct site_hooks *hooks, struct diag *d)
{
	char *full = path_join(s->content_dir, c->file);
	struct stat st;

	if (hooks && hooks->take) {
		int r = hooks->take(hooks->ctx, s, c, full);
		if (r == 1) {
			free(full);
			return 1;
		}
		if (r < 0) {
			/* filled half-way from a damaged cache: start over */
			char *file = xstrdup(c->file);
			size_t part = c->part;
			chapter_release(c);
			chapter_init(c, file, s->shown_dir);
			c->part = part;
			free(file);
		}
	}
	/* the times before the bytes: an edit made while the file is read
	 * then shows as a change next time */
	if (stat(full, &st) == 0) {
		c->src_size = (long long)st.st_size;
		fs_times(&st, &c->src_mtime_ns, &c->src_ctime_ns);
	}
	if (fs_read_file(full, c->path, &c->source, d) < 0) {
		free(full);
		return -1;
	}
	c->src_hash = hash_mix(HASH_SEED, c->source.ptr, c->source.len);
	free(full);
	return 0;
}

/* Parses a chapter read by site_read_chapter(); the AST passes that need
 * the whole book run later. `ahead` holds its code, highlighted; code[0]
 * gets the number of its blocks in a known language, code[1] of those
 * highlighted ahead. */
static int site_parse_chapter(struct site *s, struct chapter *c,
			      const struct highlight_ahead *ahead,
			      size_t code[2], struct diag *d)
{
	size_t errors = d->errors, warnings = d->warnings, from;

	if (site_load_parse(s, c, d) < 0)
		return -1;
	from = d->n;
	/* the passes, in the order each needs the one before: tasks and
	 * links sit under headings, links are also in quizzes */
	xform_headings_run(c, d);
	xform_mdbook_run(c, d);
	xform_callouts_run(c, d);
	xform_tasks_run(c, d);
	xform_quiz_run(c->doc, c->path, c->fm.body_line, c->slug, &c->quizzes,
		       d);
	xform_links_run(s, c, d);
	xform_lint_run(c, d);
	/* last: the passes above read code blocks as cmark made them */
	code[0] = xform_code_run(c, langtag_is_rtl(s->cfg.language), ahead,
				 &code[1], d);
	site_map_lines(c, d, from);
	c->warned = d->warnings > warnings;
	c->parsed = 1;
	return d->errors > errors ? -1 : 0;
}

/* Whether chapter `c` is a draft the book leaves out. */
static int site_left_out(const struct site_hooks *hooks,
			 const struct chapter *c)
{
	return c->fm.draft && !(hooks && hooks->drafts);
}

/* Chapters are read, parsed and handed to the hooks on every core (see
 * pool.h), in three steps: every chapter read (or filled by the hooks),
 * and parsed at once when it holds no code; the code of the others
 * highlighted (highlight_ahead.h); then those parsed. Each records its
 * problems in that chapter's own diagnostics, which are then added in
 * book order, so the report does not depend on the threads. */
struct site_loader {
	struct site *s;
	const struct site_hooks *hooks;
	struct diag *diags;
	/* by chapter: site_read_chapter()'s result, or LOADER_DONE */
	signed char *read;
	struct highlight_ahead *ahead;
	size_t (*code)[2]; /* by chapter: site_parse_chapter()'s counts */
};

#define LOADER_DONE 2 /* parsed (or failed) and handed to the hooks */

/* Parses chapter i when it was read (with the code made ahead, or NULL
 * while it is still being made), and hands it to the hooks. */
static void site_loader_finish(struct site_loader *l, size_t i,
			       const struct highlight_ahead *ahead)
{
	struct chapter *c = &l->s->chapters[i];
	int r = l->read[i];

	l->read[i] = LOADER_DONE;
	if (r < 0 || (r == 0 && site_parse_chapter(l->s, c, ahead, l->code[i],
						   &l->diags[i]) < 0))
		return;
	if (l->hooks && l->hooks->parsed)
		l->hooks->parsed(l->hooks->ctx, l->s, c);
}

static void site_reader_job(void *arg, size_t i, size_t worker)
{
	struct site_loader *l = arg;
	struct chapter *c = &l->s->chapters[i];

	(void)worker;
	l->read[i] = (signed char)site_read_chapter(l->s, c, l->hooks,
						    &l->diags[i]);
	/* a chapter without code waits for nothing */
	if (l->read[i] != 0 ||
	    !highlight_ahead_scan(l->ahead, c->source.ptr, c->source.len))
		site_loader_finish(l, i, NULL);
}

static void site_loader_job(void *arg, size_t i, size_t worker)
{
	struct site_loader *l = arg;

	(void)worker;
	if (l->read[i] != LOADER_DONE)
		site_loader_finish(l, i, l->ahead);
}

void site_load_chapters(struct site *s, const struct site_hooks *hooks,
			struct diag *d)
{
	struct site_loader l;
	size_t i;

	l.s = s;
	l.hooks = hooks;
	l.diags = xcalloc(s->n_chapters + 1, sizeof(*l.diags));
	l.read = xcalloc(s->n_chapters + 1, sizeof(*l.read));
	l.ahead = highlight_ahead_new();
	l.code = xcalloc(s->n_chapters + 1, sizeof(*l.code));
	pool_run(s->n_chapters, SITE_MAX_THREADS, site_reader_job, &l);
	highlight_ahead_run(l.ahead);
	pool_run(s->n_chapters, SITE_MAX_THREADS, site_loader_job, &l);
	highlight_ahead_free(l.ahead);
	for (i = 0; i < s->n_chapters; i++) {
		/* a draft left out is not checked: its problems wait until
		 * it is published */
		if (!site_left_out(hooks, &s->chapters[i]))
			diag_append(d, &l.diags[i]);
		diag_release(&l.diags[i]);
		s->code_blocks += l.code[i][0];
		s->code_ahead += l.code[i][1];
	}
	free(l.code);
	free(l.read);
	free(l.diags);
}

/* Takes the drafts out of the model, unless the hooks keep them; their
 * files go to s->drafts. The chapters' indexes change: the links that
 * already know their chapter (to a heading of their own) and the hooks'
 * tables follow. */
void site_drop_drafts(struct site *s, const struct site_hooks *hooks)
{
	size_t i, n = 0, before = s->n_chapters;
	size_t *from = xcalloc(before + 1, sizeof(*from));
	size_t *to = xcalloc(before + 1, sizeof(*to));

	for (i = 0; i < before; i++) {
		struct chapter *c = &s->chapters[i];
		if (site_left_out(hooks, c)) {
			strset_add(&s->drafts, c->file, i);
			chapter_release(c);
			to[i] = SITE_NONE;
			continue;
		}
		to[i] = n;
		from[n] = i;
		if (n != i)
			s->chapters[n] = *c;
		n++;
	}
	if (n < before) {
		s->n_chapters = n;
		strset_release(&s->chapter_files);
		for (i = 0; i < n; i++) {
			struct chapter *c = &s->chapters[i];
			size_t k;
			strset_add(&s->chapter_files, c->file, i);
			for (k = 0; k < c->n_links; k++)
				if (c->links[k].chapter != SITE_NONE)
					c->links[k].chapter =
						to[c->links[k].chapter];
		}
		if (hooks && hooks->kept)
			hooks->kept(hooks->ctx, from, n, before);
	}
	free(from);
	free(to);
}

void site_add_chapter(struct site *s, const char *file, const char *title,
		      size_t *cap)
{
	s->chapters = xgrow(s->chapters, sizeof(*s->chapters),
			    s->n_chapters + 1, cap);
	chapter_init(&s->chapters[s->n_chapters++], file, s->shown_dir);
	if (title)
		s->chapters[s->n_chapters - 1].list_title = xstrdup(title);
	strset_add(&s->chapter_files, file, s->n_chapters - 1);
}
