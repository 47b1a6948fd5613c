#include "site.h"
#include "jobj.h"

#include <cmark-gfm.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "path.h"
#include "hash.h"
#include "slug.h"
#include "strset.h"
#include "xalloc.h"

void chapter_detach(struct chapter *c, struct cmark_node *node)
{
	c->detached = xgrow(c->detached, sizeof(*c->detached),
			    c->n_detached + 1, &c->cap_detached);
	c->detached[c->n_detached++] = node;
}

const char *site_part_opened(const struct site *s, size_t i)
{
	size_t part = s->chapters[i].part;

	if (part == CONFIG_NO_PART || part >= s->cfg.n_parts ||
	    (i > 0 && s->chapters[i - 1].part == part))
		return NULL;
	return s->cfg.parts[part].title;
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

/* Appends the slug of `text[0..len)`, or `fallback` when it has none. */
static void site_add_slug(struct buf *out, const char *text, size_t len,
			  const char *fallback)
{
	char *part = xstrndup(text, len);
	size_t at = out->len;

	slug_add(out, part, 0);
	if (out->len == at)
		buf_adds(out, fallback);
	free(part);
}

int chapter_is_folder_page(const char *name)
{
	return !strcasecmp(name, "README.md") || !strcmp(name, "index.md");
}

void chapter_set_names(struct chapter *c)
{
	struct buf dir = BUF_INIT, b = BUF_INIT, leaf = BUF_INIT;
	const char *p = c->file, *slash = strrchr(c->file, '/'), *name;
	size_t i;

	/* each folder's name a slug: "My Guides/" is "my-guides/" */
	while (slash && p < slash) {
		const char *e = memchr(p, '/', (size_t)(slash - p));
		if (!e)
			e = slash;
		site_add_slug(&dir, p, (size_t)(e - p), "folder");
		buf_addch(&dir, '/');
		p = e + 1;
	}
	name = slash ? slash + 1 : c->file;
	if (c->fm.slug) {
		buf_adds(&leaf, c->fm.slug);
	} else if (dir.len && chapter_is_folder_page(name)) {
		/* as mdBook makes it: the folder's own page */
		buf_adds(&leaf, "index");
	} else {
		site_add_slug(&leaf, name, strlen(name) - strlen(".md"),
			      "chapter");
	}
	for (i = 0; i < dir.len; i++)
		buf_addch(&b, dir.ptr[i] == '/' ? '-' : dir.ptr[i]);
	buf_add(&b, leaf.ptr, leaf.len);
	free(c->slug);
	c->slug = buf_detach(&b, NULL);
	free(c->html_name);
	buf_addf(&b, "%s%s.html", dir.ptr, leaf.ptr);
	c->html_name = buf_detach(&b, NULL);
	free(c->xhtml_name);
	buf_addf(&b, "%s.xhtml", c->slug);
	c->xhtml_name = buf_detach(&b, NULL);
	buf_release(&dir);
	buf_release(&leaf);
}

void site_add_root(struct buf *out, const char *page)
{
	for (; page && *page; page++)
		if (*page == '/')
			buf_adds(out, "../");
}

void site_add_relative_url(struct buf *out, const char *from, const char *to)
{
	size_t common = 0, i;

	/* the folders both are in */
	for (i = 0; from && from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	site_add_root(out, from ? from + common : NULL);
	path_add_url(out, to + common, 0);
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

int chapter_language(const struct chapter *c, const char *book, char *out,
		     size_t size)
{
	struct json_object *fm;
	const char *tag;

	*out = '\0';
	if (!c->fm.params_json || !strstr(c->fm.params_json, "\"language\""))
		return 0;
	/* parsed here rather than through frontmatter_params(), which
	 * caches: the writers read chapters from several threads */
	fm = json_tokener_parse(c->fm.params_json);
	tag = jobj_get_str(fm, "language");
	if (tag && strcasecmp(tag, book ? book : "") && strlen(tag) < size)
		snprintf(out, size, "%s", tag);
	json_object_put(fm);
	return *out != '\0';
}

int chapter_step_label(const struct site *s, const struct chapter *c)
{
	struct buf own = BUF_INIT;
	int label;

	if (!c->fm.step || !strncmp(c->fm.title, "Step ", 5))
		return 0;
	/* "Paso 2", "Étape 2": the label in the book's language */
	i18n_format(&s->i18n, "step_n", (unsigned long long)c->fm.step, NULL,
		    &own);
	label = !own.len || strncmp(c->fm.title, own.ptr, own.len) != 0;
	buf_release(&own);
	return label;
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

void chapter_init(struct chapter *c, const char *file, const char *shown_dir)
{
	struct buf b = BUF_INIT;

	memset(c, 0, sizeof(*c));
	buf_init(&c->source);
	c->part = CONFIG_NO_PART;
	c->file = xstrdup(file);
	buf_addf(&b, "%s/%s", shown_dir, file);
	c->path = buf_detach(&b, NULL);
}

void chapter_release(struct chapter *c)
{
	size_t i;

	free(c->file);
	free(c->path);
	free(c->slug);
	free(c->html_name);
	free(c->xhtml_name);
	free(c->head_title);
	free(c->line_map);
	free(c->list_title);
	frontmatter_release(&c->fm);
	buf_release(&c->source);
	if (c->doc)
		cmark_node_free(c->doc);
	for (i = 0; i < c->n_detached; i++)
		cmark_node_free(c->detached[i]);
	free(c->detached);
	buf_release(&c->code);
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
}

void site_release(struct site *s)
{
	size_t i;

	for (i = 0; i < s->n_chapters; i++)
		chapter_release(&s->chapters[i]);
	free(s->chapters);
	strset_release(&s->chapter_files);
	strset_release(&s->drafts);
	i18n_release(&s->i18n);
	for (i = 0; i < s->n_unlisted; i++)
		free(s->unlisted[i]);
	free(s->unlisted);
	for (i = 0; i < s->n_redirects; i++) {
		free(s->redirects[i].path);
		free(s->redirects[i].target);
	}
	free(s->redirects);
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

const char *site_language_page(const struct site *s, size_t ci,
			       const char *page, const struct site_language *l)
{
	size_t j;

	if (ci == SITE_NONE)
		return page;
	j = site_find_chapter(l->site, s->chapters[ci].file);
	return j == SITE_NONE ? "index.html" : l->site->chapters[j].html_name;
}

int site_language_has(const struct site *s, size_t ci,
		      const struct site_language *l)
{
	return ci == SITE_NONE ||
	       site_find_chapter(l->site, s->chapters[ci].file) != SITE_NONE;
}
