#include "xform_links.h"

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "quiz.h"
#include "site.h"
#include "slug.h"
#include "strset.h"
#include "xalloc.h"
#include "xform.h"

/* Where xform_links_column() got to: links come in document order, so
 * each search resumes from the last one instead of from the file's start
 * (which made a chapter of many links quadratic). Starts zeroed. */
struct xform_links_pos {
	const char *line_start; /* start of file line `line`, or NULL */
	int line;
	int bcol, chars; /* byte column reached there, its column */
};

/* cmark counts columns in bytes, diagnostics in characters: the column
 * of byte column `col` on file line `line` of the chapter's source. */
static int xform_links_column(const struct chapter *c,
			      struct xform_links_pos *pos, int line, int col)
{
	const char *p, *end = c->source.ptr + c->source.len;
	int l;

	if (!pos->line_start || line < pos->line) {
		pos->line_start = c->source.ptr;
		pos->line = 1;
		pos->bcol = pos->chars = 1;
	}
	p = pos->line_start;
	l = pos->line;
	while (p < end && l < line)
		if (*p++ == '\n')
			l++;
	if (l != pos->line || col < pos->bcol) {
		pos->line_start = p;
		pos->line = l;
		pos->bcol = pos->chars = 1;
	}
	p = pos->line_start + (pos->bcol - 1);
	for (; pos->bcol < col && p < end && *p != '\n'; pos->bcol++, p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			pos->chars++;
	return pos->chars;
}

static void xform_links_add(struct chapter *c, cmark_node *node, size_t chapter,
			    char *fragment, char *file, size_t heading,
			    int line, int col)
{
	struct link *l;

	c->links = xgrow(c->links, sizeof(*c->links), c->n_links + 1,
			 &c->cap_links);
	l = &c->links[c->n_links++];
	l->node = node;
	l->chapter = chapter;
	l->fragment = fragment;
	l->file = file;
	l->from_heading = heading;
	l->line = line;
	l->col = col;
}

/* A folder's page, as mdBook links to it: a link to a folder ("guides/",
 * "../", "guides"), or to its "index.html" or "index.md" that is no
 * chapter, is to the folder's README.md, else its index.md, when that is
 * a chapter (see chapter_set_names()). `joined` is the link's path from
 * the top of content/, not yet normalized. Returns the chapter's file, or
 * NULL. */
static char *xform_links_folder_page(const struct site *s, const char *joined)
{
	static const char *const pages[] = { "README.md", "readme.md",
					     "index.md" };
	const char *leaf = strrchr(joined, '/');
	size_t keep = strlen(joined), k;

	leaf = leaf ? leaf + 1 : joined;
	if (!strcmp(leaf, "index.html") || !strcmp(leaf, "index.md"))
		keep = (size_t)(leaf - joined);
	else if (*leaf && strcmp(leaf, ".") && strcmp(leaf, "..") &&
		 *path_ext(leaf))
		return NULL;
	for (k = 0; k < sizeof(pages) / sizeof(*pages); k++) {
		struct buf b = BUF_INIT;
		char *norm;

		buf_add(&b, joined, keep);
		buf_addf(&b, "/%s", pages[k]);
		norm = path_normalize(b.ptr);
		buf_release(&b);
		if (norm && strset_has(&s->chapter_files, norm))
			return norm;
		free(norm);
	}
	return NULL;
}

/* The file in content/ that `url`, written in chapter `c`, leads to,
 * normalized (the caller's), or NULL when it leads out of content/. A
 * link's path may also be a folder's page (xform_links_folder_page()). */
static char *xform_links_path(const struct site *s, const struct chapter *c,
			      const char *url, int image)
{
	/* the path ends at a query string or a fragment, as written: an
	 * escaped '?' or '#' (%3F, %23) is part of a file's name */
	char *path = path_unescape(url, strcspn(url, "?#"));
	const char *slash = strrchr(c->file, '/');
	char *dir = slash ? xstrndup(c->file, (size_t)(slash - c->file))
			  : xstrdup("");
	char *joined = path_join(dir, path), *norm;

	free(dir);
	free(path);
	norm = path_normalize(joined);
	if (!image && !(norm && strset_has(&s->chapter_files, norm))) {
		char *page = xform_links_folder_page(s, joined);
		if (page) {
			free(norm);
			norm = page;
		}
	}
	free(joined);
	return norm;
}

/* Reports that `norm`, which link or image (`image`) of chapter `c` at
 * line:col leads to, is not published: hidden, or missing. */
static void xform_links_missing(const struct site *s, const struct chapter *c,
				const char *norm, int image, int line, int col,
				struct diag *d)
{
	char *full = path_join(s->content_dir, norm);
	int hidden = fs_is_file(full);

	free(full);
	if (hidden) {
		diag_error(d, c->path, line, col,
			   "%s '%s' is not published (hidden files and "
			   "book.yml are left out)",
			   image ? "image" : "file", norm);
	} else {
		const char *near = slug_closest(norm,
						(const char *const *)s->files,
						s->n_files,
						strlen(norm) / 2 + 2);
		diag_error(d, c->path, line, col, "missing %s '%s'%s%s%s",
			   image ? "image" : "file", norm,
			   near ? "; did you mean '" : "", near ? near : "",
			   near ? "'?" : "");
	}
	diag_attach_source(d, c->source.ptr, c->source.len, line);
}

/* Checks the local link or image `url` of chapter `c`, written at
 * line:col under heading `heading`, and adds it to c->links (and an image
 * to c->images). `node` is its node, or NULL for a link in quiz text.
 * Returns the index of the link added, or SITE_NONE (an error was
 * recorded, or it is an image of an #id, which is left as it is). */
static size_t xform_links_take(const struct site *s, struct chapter *c,
			       cmark_node *node, const char *url, int image,
			       size_t heading, int line, int col,
			       struct diag *d)
{
	const char *what = image ? "image" : "link", *hash;
	const struct fs_refused *why;
	char *norm, *frag = NULL;
	size_t self = (size_t)(c - s->chapters);

	if (url[0] == '#') {
		if (image)
			return SITE_NONE;
		xform_links_add(c, node, self,
				path_unescape(url + 1, strlen(url + 1)), NULL,
				heading, line, col);
		return c->n_links - 1;
	}
	if (url[0] == '/') {
		diag_error(d, c->path, line, col,
			   "absolute path '%s' in a link: link to files "
			   "in content/ with relative paths",
			   url);
		return SITE_NONE;
	}
	hash = strchr(url, '#');
	if (hash)
		frag = path_unescape(hash + 1, strlen(hash + 1));
	norm = xform_links_path(s, c, url, image);
	if (!norm && s->cfg.mdbook && !image) {
		/* mdBook leaves such links as they are: a book served
		 * beside other documentation links to it ("../std/") */
		diag_warning(d, c->path, line, col,
			     "link '%s' leaves the book: it cannot be checked",
			     url);
		diag_attach_source(d, c->source.ptr, c->source.len, line);
		free(frag);
		return SITE_NONE;
	}
	if (!norm) {
		diag_error(d, c->path, line, col,
			   "%s '%s' points outside content/", what, url);
		free(frag);
		return SITE_NONE;
	}
	why = fs_refused_find(s->refused, s->n_refused, norm);
	if (why) {
		struct buf text = BUF_INIT;
		site_refusal_message(s, what, norm, why, &text);
		diag_error(d, c->path, line, col, "%s", text.ptr);
		diag_attach_source(d, c->source.ptr, c->source.len, line);
		buf_release(&text);
		free(norm);
		free(frag);
		return SITE_NONE;
	}
	if (!image && !strcmp(path_ext(norm), "html") &&
	    !site_has_file(s, norm)) {
		/* mdBook's habit: a link to the page a chapter becomes,
		 * "ownership.html" for ownership.md */
		size_t l = strlen(norm);

		norm = xrealloc(norm, l);
		memcpy(norm + l - 4, "md", 3);
	}
	if (!image && !strcmp(path_ext(norm), "md")) {
		/* resolved once every chapter is known */
		xform_links_add(c, node, SITE_NONE, frag, norm, heading, line,
				col);
		return c->n_links - 1;
	}
	free(frag);
	/* s->files is what the writers publish */
	if (!site_has_file(s, norm)) {
		xform_links_missing(s, c, norm, image, line, col, d);
		free(norm);
		return SITE_NONE;
	}
	if (image) {
		c->images = xgrow(c->images, sizeof(*c->images),
				  c->n_images + 1, &c->cap_images);
		c->images[c->n_images++] = xstrdup(norm);
	}
	xform_links_add(c, node, SITE_NONE, NULL, norm, heading, line, col);
	return c->n_links - 1;
}

int xform_links_run(const struct site *s, struct chapter *c, struct diag *d)
{
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;
	size_t heading = SITE_NONE, errors = d->errors, k;
	struct xform_links_pos pos = { NULL, 0, 0, 0 };

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		void *tag = cmark_node_get_user_data(node);
		const char *url;
		int line;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_CUSTOM_BLOCK &&
		    XFORM_KIND(tag) == XFORM_HEADING) {
			heading = XFORM_INDEX(tag);
			continue;
		}
		if (type == CMARK_NODE_CUSTOM_BLOCK &&
		    XFORM_KIND(tag) == XFORM_QUIZ &&
		    XFORM_INDEX(tag) < c->quizzes.n) {
			/* the quiz's text was parsed on its own: its links
			 * are listed with where they are written */
			struct quiz *q = &c->quizzes.v[XFORM_INDEX(tag)];
			for (k = 0; k < q->n_links; k++)
				q->links[k].index = xform_links_take(
					s, c, NULL, q->links[k].url,
					q->links[k].image, heading,
					q->links[k].line, q->links[k].col, d);
			continue;
		}
		if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE)
			continue;
		url = cmark_node_get_url(node);
		if (!url || !*url || path_is_external(url))
			continue;
		line = cmark_node_get_start_line(node) + c->fm.body_line;
		xform_links_take(s, c, node, url, type == CMARK_NODE_IMAGE,
				 heading, line,
				 xform_links_column(c, &pos, line,
						    cmark_node_get_start_column(
							    node)),
				 d);
	}
	cmark_iter_free(it);
	return d->errors > errors ? -1 : 0;
}

/* The existing name closest to `want` among chapter files or heading ids,
 * or NULL when none is close. */
static const char *xform_links_closest(const char *want, const char **names,
				       size_t n)
{
	return slug_closest(want, names, n, strlen(want) / 2 + 2);
}

/* Adds a backlink to chapter `to` unless `seen` (the backlinks made so
 * far, as "to from heading") has it; with `target` NULL only records it. */
static void xform_links_backlink(struct strset *seen, struct chapter *target,
				 size_t to, size_t from, size_t heading)
{
	char key[3 * 24];

	snprintf(key, sizeof(key), "%zu %zu %zu", to, from, heading);
	if (!strset_add(seen, key, 0) || !target)
		return;
	target->backlinks = xgrow(target->backlinks, sizeof(*target->backlinks),
				  target->n_backlinks + 1,
				  &target->cap_backlinks);
	target->backlinks[target->n_backlinks].chapter = from;
	target->backlinks[target->n_backlinks].heading = heading;
	target->n_backlinks++;
}

/* Finds the chapter that link `l` of chapter `c`, to the Markdown file
 * l->file, leads to. Returns 0, or -1 after reporting why there is
 * none. */
static int xform_links_find_chapter(const struct site *s, struct chapter *c,
				    struct link *l, struct diag *d)
{
	const char **names;
	const char *near;
	size_t k;

	l->chapter = site_find_chapter(s, l->file);
	if (l->chapter != SITE_NONE) {
		free(l->file);
		l->file = NULL;
		return 0;
	}
	if (site_is_unlisted(s, l->file)) {
		/* the file is there: its absence from the book is the
		 * mistake, reported once where the list is wrong */
		if (s->list_errors)
			return -1;
		diag_error(d, c->path, l->line, l->col,
			   "'%s' is not a chapter of the book: add it to "
			   "'chapters:' in book.yml",
			   l->file);
		if (!chapter_load_source(s, c))
			diag_attach_source(d, c->source.ptr, c->source.len,
					   l->line);
		return -1;
	}
	if (strset_has(&s->drafts, l->file)) {
		diag_error(d, c->path, l->line, l->col,
			   "'%s' is a draft (draft: true in its front matter), "
			   "left out of the book: build with --drafts to "
			   "include it, or publish it",
			   l->file);
		chapter_load_source(s, c);
		diag_attach_source(d, c->source.ptr, c->source.len, l->line);
		return -1;
	}
	names = xcalloc(s->n_chapters, sizeof(*names));
	for (k = 0; k < s->n_chapters; k++)
		names[k] = s->chapters[k].file;
	near = xform_links_closest(l->file, names, s->n_chapters);
	diag_error(d, c->path, l->line, l->col, "no chapter '%s'%s%s%s",
		   l->file, near ? "; did you mean '" : "", near ? near : "",
		   near ? "'?" : "");
	chapter_load_source(s, c);
	diag_attach_source(d, c->source.ptr, c->source.len, l->line);
	free(names);
	return -1;
}

/* Checks that the heading link `l` of chapter `c` names is in chapter
 * `t` (a footnote's ids are cmark's, not headings). Returns 0, or -1
 * after reporting it. */
static int xform_links_check_fragment(const struct site *s, struct chapter *c,
				      const struct chapter *t,
				      const struct link *l, struct diag *d)
{
	const char **names;
	const char *near;
	size_t k;

	if (!l->fragment || !*l->fragment ||
	    chapter_find_heading(t, l->fragment) != SITE_NONE ||
	    !strncmp(l->fragment, "fn-", 3) ||
	    !strncmp(l->fragment, "fnref-", 6))
		return 0;
	names = xcalloc(t->n_headings + 1, sizeof(*names));
	for (k = 0; k < t->n_headings; k++)
		names[k] = t->headings[k].id;
	near = xform_links_closest(l->fragment, names, t->n_headings);
	diag_error(d, c->path, l->line, l->col, "no heading '%s' in '%s'%s%s%s",
		   l->fragment, t->file, near ? "; did you mean '" : "",
		   near ? near : "", near ? "'?" : "");
	chapter_load_source(s, c);
	diag_attach_source(d, c->source.ptr, c->source.len, l->line);
	free(names);
	return -1;
}

int xform_links_resolve(struct site *s, struct diag *d)
{
	size_t ci, li, errors = d->errors;
	struct strset seen = STRSET_INIT;

	for (ci = 0; ci < s->n_chapters; ci++)
		for (li = 0; li < s->chapters[ci].n_backlinks; li++)
			xform_links_backlink(
				&seen, NULL, ci,
				s->chapters[ci].backlinks[li].chapter,
				s->chapters[ci].backlinks[li].heading);
	for (ci = 0; ci < s->n_chapters; ci++) {
		struct chapter *c = &s->chapters[ci];
		for (li = 0; li < c->n_links; li++) {
			struct link *l = &c->links[li];
			struct chapter *t;
			int is_md = l->file && !strcmp(path_ext(l->file), "md");

			if (l->chapter == SITE_NONE && !is_md)
				continue;
			if (l->chapter == SITE_NONE &&
			    xform_links_find_chapter(s, c, l, d) < 0)
				continue;
			t = &s->chapters[l->chapter];
			if (!t->parsed)
				continue;
			if (xform_links_check_fragment(s, c, t, l, d) < 0)
				continue;
			if (l->chapter != ci)
				xform_links_backlink(&seen, t, l->chapter, ci,
						     l->from_heading);
		}
	}
	strset_release(&seen);
	return d->errors > errors ? -1 : 0;
}

void xform_links_href(const struct site *s, const struct link *l,
		      enum xform_links_mode mode, const char *page,
		      struct buf *out)
{
	if (l->chapter == SITE_NONE) {
		site_add_relative_url(out, page, l->file);
		return;
	}
	if (mode == XFORM_LINKS_PRINT) {
		buf_addch(out, '#');
		buf_adds(out, s->chapters[l->chapter].slug);
		if (l->fragment && *l->fragment) {
			buf_adds(out, "--");
			buf_adds(out, l->fragment);
		}
		return;
	}
	site_add_relative_url(out, page,
			      mode == XFORM_LINKS_EPUB
				      ? s->chapters[l->chapter].xhtml_name
				      : s->chapters[l->chapter].html_name);
	if (l->fragment && *l->fragment) {
		buf_addch(out, '#');
		buf_adds(out, l->fragment);
	}
}
