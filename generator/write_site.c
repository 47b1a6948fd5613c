#include "write_site.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/stat.h>

#include "buf.h"
#include "cache.h"
#include "hash.h"
#include "diag.h"
#include "fsutil.h"
#include "output.h"
#include "pool.h"
#include "render.h"
#include "search_index.h"
#include "site.h"
#include "strset.h"
#include "theme.h"
#include "tmpl.h"
#include "write_extras.h"
#include "xalloc.h"

struct out_file {
	char *path;          /* relative to the site folder */
	char *data;          /* owned, unless `borrowed` */
	size_t len;
	int borrowed;
	int kept;            /* unchanged since the last build: not rendered */
	int streamed;        /* already written to the staging folder: 1, or
			      * -1 when that failed */
	uint64_t content;    /* for a kept or streamed file: the hash of its
			      * bytes (the data is gone) */
	int hashed;          /* `content` is the file's content key as it
			      * is (see out_add_segmented) */
	/* a file patched from its previous version (no `data`): */
	struct fs_piece *pieces;
	size_t n_pieces;
	struct cache_segs *segs; /* its segments, stamped once written */
};

/* A file on its way to the staging folder. */
struct out_job {
	struct out_job *next;
	char *path;          /* where it goes, in the site */
	char *data;          /* freed once written, unless borrowed */
	size_t len, idx;
	int borrowed, status;
};

/* Writes files to the staging folder on a thread of its own while the
 * pages are still being rendered: creating a thousand files is the
 * kernel's work, which then overlaps with the rendering. At most
 * STREAM_MAX_BYTES wait at any time. */
#define STREAM_MAX_BYTES (4u << 20)

struct out_stream {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct out_job *head, *tail, *done;
	size_t pending;      /* bytes queued, not yet written */
	int closing;
	struct output *o;
	struct diag d;       /* the writer's problems */
};

struct out_list {
	struct out_file *v;
	size_t n, cap;
	/* a site made from nothing: each file is handed to `stream` for the
	 * staging folder as soon as it is made, so that the site is never in
	 * memory whole */
	struct out_stream *stream;
};

static void *out_stream_run(void *arg)
{
	struct out_stream *st = arg;

	pthread_mutex_lock(&st->lock);
	for (;;) {
		struct out_job *j = st->head;
		if (!j) {
			if (st->closing)
				break;
			pthread_cond_wait(&st->cond, &st->lock);
			continue;
		}
		st->head = j->next;
		if (!st->head)
			st->tail = NULL;
		pthread_mutex_unlock(&st->lock);
		j->status = output_site_write(st->o, j->path, j->data, j->len,
					      NULL, &st->d) == 0 ? 1 : -1;
		if (!j->borrowed)
			free(j->data);
		j->data = NULL;
		pthread_mutex_lock(&st->lock);
		st->pending -= j->len;
		j->next = st->done;
		st->done = j;
		pthread_cond_broadcast(&st->cond);
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

static void out_stream_push(struct out_stream *st, struct out_job *j)
{
	pthread_mutex_lock(&st->lock);
	while (st->pending && st->pending + j->len > STREAM_MAX_BYTES)
		pthread_cond_wait(&st->cond, &st->lock);
	j->next = NULL;
	if (st->tail)
		st->tail->next = j;
	else
		st->head = j;
	st->tail = j;
	st->pending += j->len;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

static struct out_stream *out_stream_start(struct output *o)
{
	struct out_stream *st = xcalloc(1, sizeof(*st));

	st->o = o;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cond, NULL);
	diag_init(&st->d);
	if (pthread_create(&st->thread, NULL, out_stream_run, st) != 0) {
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->cond);
		diag_release(&st->d);
		free(st);
		return NULL;
	}
	return st;
}

/* Waits for every file to be written; notes how each went in `l`. */
static void out_stream_finish(struct out_list *l, struct diag *d)
{
	struct out_stream *st = l->stream;
	struct out_job *j;

	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->closing = 1;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->thread, NULL);
	while ((j = st->done)) {
		st->done = j->next;
		l->v[j->idx].streamed = j->status;
		free(j->path);
		free(j);
	}
	diag_append(d, &st->d);
	diag_release(&st->d);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->cond);
	free(st);
	l->stream = NULL;
}

static void out_add(struct out_list *l, const char *path, char *data,
		    size_t len, int borrowed)
{
	struct out_file *f;

	l->v = xgrow(l->v, sizeof(*l->v), l->n + 1, &l->cap);
	f = &l->v[l->n++];
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->borrowed = borrowed;
	f->kept = 0;
	f->streamed = 0;
	f->content = 0;
	f->hashed = 0;
	f->pieces = NULL;
	f->n_pieces = 0;
	f->segs = NULL;
	if (l->stream && data) {
		struct out_job *j = xcalloc(1, sizeof(*j));
		f->content = hash_mix(HASH_SEED, data, len);
		f->streamed = 1;    /* until the writer says otherwise */
		f->data = NULL;
		j->path = xstrdup(path);
		j->data = data;
		j->len = len;
		j->idx = l->n - 1;
		j->borrowed = borrowed;
		out_stream_push(l->stream, j);
	}
}

/* The hash of the bytes of a file of the list. */
static uint64_t out_content(const struct out_file *f)
{
	return f->kept || f->streamed || f->hashed
		       ? f->content
		       : hash_mix(HASH_SEED, f->data, f->len);
}

/* write_extras_finish() hands its files over through this. */
static void out_emit(void *l, const char *path, char *data, size_t len)
{
	out_add(l, path, data, len, 0);
}

static void out_release(struct out_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		if (!l->v[i].borrowed)
			free(l->v[i].data);
		free(l->v[i].pieces);
	}
	free(l->v);
}

static struct json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static void jset(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *chapter_link(const struct chapter *c)
{
	struct json_object *o = json_object_new_object();

	jset(o, "title", jstr(c->fm.title));
	jset(o, "href", jstr(c->html_name));
	return o;
}

/* The chapters a page's sidebar lists. A book of up to NAV_FULL chapters
 * lists them all; a longer one lists the first chapter, the NAV_AROUND
 * chapters either side of the current one and the last, with "gap"
 * entries linking to the index's full list, so that a page costs the
 * same whatever the size of the book (1,000 pages each listing 1,000
 * chapters would be quadratic). `current` is SITE_NONE on pages that are
 * no chapter. */
#define NAV_FULL 150
#define NAV_AROUND 12

static struct json_object *nav_gap(void)
{
	struct json_object *g = json_object_new_object();

	jset(g, "gap", json_object_new_boolean(1));
	return g;
}

static struct json_object *nav_window(struct json_object *chapters,
				      size_t current)
{
	struct json_object *nav = json_object_new_array();
	size_t n = json_object_array_length(chapters), i, lo, hi;

	if (n <= NAV_FULL) {
		for (i = 0; i < n; i++)
			json_object_array_add(nav, json_object_get(
				json_object_array_get_idx(chapters, i)));
		return nav;
	}
	if (current == SITE_NONE) {
		lo = 0;
		hi = 2 * NAV_AROUND;
	} else {
		lo = current > NAV_AROUND ? current - NAV_AROUND : 0;
		hi = current + NAV_AROUND;
	}
	if (hi >= n)
		hi = n - 1;
	if (lo > 0) {
		json_object_array_add(nav, json_object_get(
			json_object_array_get_idx(chapters, 0)));
		if (lo > 1)
			json_object_array_add(nav, nav_gap());
	}
	for (i = lo; i <= hi; i++)
		json_object_array_add(nav, json_object_get(
			json_object_array_get_idx(chapters, i)));
	if (hi + 1 < n) {
		if (hi + 2 < n)
			json_object_array_add(nav, nav_gap());
		json_object_array_add(nav, json_object_get(
			json_object_array_get_idx(chapters, n - 1)));
	}
	return nav;
}

/* "1 action", "5 actions". */
static struct json_object *actions_text(size_t n)
{
	char text[48];

	snprintf(text, sizeof(text), "%zu action%s", n, n == 1 ? "" : "s");
	return json_object_new_string(text);
}

/* What every page shares: the book and the list of chapters. `epub` is
 * the name of the EPUB in the site, or NULL. */
/* The files of `f` as a list of URLs relative to the site. */
static struct json_object *url_list(const struct config_files *f)
{
	struct json_object *a = json_object_new_array();
	struct buf url = BUF_INIT;
	size_t i;

	for (i = 0; i < f->n; i++) {
		buf_reset(&url);
		path_add_url(&url, f->v[i], 0);
		json_object_array_add(a, jstr(url.ptr));
	}
	buf_release(&url);
	return a;
}

static struct json_object *site_context(const struct site *s,
					const char *epub)
{
	struct json_object *root = json_object_new_object();
	struct json_object *book = json_object_new_object();
	struct json_object *chapters = json_object_new_array();
	size_t i;

	jset(book, "title", jstr(s->cfg.title));
	jset(book, "slug", jstr(s->slug));
	jset(book, "subtitle", jstr(s->cfg.subtitle));
	jset(book, "author", jstr(s->cfg.author));
	jset(book, "description", jstr(s->cfg.description));
	jset(book, "language", jstr(s->cfg.language));
	jset(book, "base_url", jstr(s->cfg.base_url));
	if (s->cfg.cover) {
		/* a URL relative to the site: a name with '#' or a space
		 * works */
		struct buf url = BUF_INIT;
		path_add_url(&url, s->cfg.cover, 0);
		jset(book, "cover", jstr(url.ptr));
		buf_release(&url);
	}
	if (epub)
		jset(book, "epub", jstr(epub));
	jset(book, "tasks", json_object_new_int64((int64_t)s->n_tasks));
	jset(book, "tasks_text", actions_text(s->n_tasks));
	jset(book, "params", json_object_get(s->cfg.params));
	jset(book, "extra_css", url_list(&s->cfg.extra_css));
	jset(book, "extra_js", url_list(&s->cfg.extra_js));
	jset(root, "book", book);
	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		struct json_object *ch = json_object_new_object();
		jset(ch, "title", jstr(c->fm.title));
		jset(ch, "summary", jstr(c->fm.summary));
		jset(ch, "href", jstr(c->html_name));
		jset(ch, "slug", jstr(c->slug));
		jset(ch, "number", json_object_new_int64((int64_t)i + 1));
		if (c->fm.step)
			jset(ch, "step", json_object_new_int(c->fm.step));
		if (chapter_step_label(c))
			jset(ch, "step_label", json_object_new_boolean(1));
		jset(ch, "minutes", json_object_new_int(c->minutes));
		jset(ch, "tasks", json_object_new_int64((int64_t)c->n_tasks));
		jset(ch, "tasks_text", actions_text(c->n_tasks));
		json_object_array_add(chapters, ch);
	}
	jset(root, "chapters", chapters);
	jset(root, "nav", nav_window(chapters, SITE_NONE));
	if (s->n_chapters)
		jset(root, "start", chapter_link(&s->chapters[0]));
	jset(root, "generator", jstr("stepbook " STEPBOOK_VERSION));
	return root;
}

/* Renders page `tname` of the theme, for `path`, into `b`. */
static int render_page_buf(const struct theme *t, const char *tname,
			   struct json_object *ctx, const char *path,
			   struct buf *b, struct diag *d)
{
	write_extras_page(ctx, path);
	return tmpl_render(t->templates, tname, ctx, b, d);
}

static int render_page(const struct theme *t, const char *tname,
		       struct json_object *ctx, const char *path,
		       struct out_list *out, struct diag *d)
{
	struct buf b = BUF_INIT;
	char *data;
	size_t len;

	if (render_page_buf(t, tname, ctx, path, &b, d) < 0) {
		buf_release(&b);
		return -1;
	}
	data = buf_detach(&b, &len);
	out_add(out, path, data, len, 0);
	return 0;
}

/* What decides whether a page must be rendered again (see cache.h). */
struct page_keys {
	struct cache *cache;   /* NULL: render everything */
	struct output *o;      /* the published site, and the staged one */
	uint64_t global;       /* theme, book.yml, the list of chapters */
	uint64_t *link;        /* each chapter's title and page, hashed once
				* for the pages of its neighbours and of the
				* chapters it links to (chapter_link_key()) */
};

/* A hash of the value `o`, walked rather than written out as text: the
 * type of each value goes in with it, so that "1" and 1 differ. */
static uint64_t json_hash(uint64_t h, struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return hash_u64(h, 'n');
	case json_type_boolean:
		return hash_u64(hash_u64(h, 'b'),
				(uint64_t)json_object_get_boolean(o));
	case json_type_int:
		return hash_u64(hash_u64(h, 'i'),
				(uint64_t)json_object_get_int64(o));
	case json_type_double: {
		double v = json_object_get_double(o);
		uint64_t bits;
		memcpy(&bits, &v, sizeof(bits));
		return hash_u64(hash_u64(h, 'd'), bits);
	}
	case json_type_string: {
		size_t len = (size_t)json_object_get_string_len(o);
		return hash_mix(hash_u64(hash_u64(h, 's'), len),
				json_object_get_string(o), len);
	}
	case json_type_array: {
		size_t i, n = json_object_array_length(o);
		h = hash_u64(hash_u64(h, 'a'), n);
		for (i = 0; i < n; i++)
			h = json_hash(h, json_object_array_get_idx(o, i));
		return h;
	}
	case json_type_object: {
		struct json_object_iterator it = json_object_iter_begin(o);
		struct json_object_iterator end = json_object_iter_end(o);
		h = hash_u64(hash_u64(h, 'o'),
			     (uint64_t)json_object_object_length(o));
		for (; !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it)) {
			h = hash_str(h, json_object_iter_peek_name(&it));
			h = json_hash(h, json_object_iter_peek_value(&it));
		}
		return h;
	}
	}
	return h;
}

/* Notes in the cache that the page just added to `out` was made from
 * `key`. */
static void page_note(const struct page_keys *keys, const char *path,
		      uint64_t key, const struct out_list *out)
{
	const struct out_file *f = &out->v[out->n - 1];

	if (keys->cache)
		cache_output_note(keys->cache, path, key, out_content(f));
}

/* Whether the cache says the last build made the file at `path` from
 * the same `key`, and the file is still there: it is then kept as it is
 * (added to `out` and noted). */
static int page_keep(const struct page_keys *keys, const char *path,
		     uint64_t key, struct out_list *out)
{
	uint64_t content;

	if (!keys->cache || !cache_output_same(keys->cache, path, key,
					       &content) ||
	    !output_site_has(keys->o, path))
		return 0;
	out_add(out, path, NULL, 0, 1);
	out->v[out->n - 1].kept = 1;
	out->v[out->n - 1].content = content;
	page_note(keys, path, key, out);
	return 1;
}

/* Renders page `name` of the theme to `path`, unless page_keep(). */
static int render_page_keyed(const struct theme *t, const char *name,
			     struct json_object *ctx, const char *path,
			     uint64_t key, const struct page_keys *keys,
			     struct out_list *out, struct diag *d)
{
	int r;

	if (page_keep(keys, path, key, out))
		return 0;
	r = render_page(t, name, ctx, path, out, d);
	if (r == 0)
		page_note(keys, path, key, out);
	return r;
}

/* Renders chapter `c`'s page, whose context `page` lacks only the body. */
static int render_chapter_page_now(struct site *s, const struct theme *t,
				   struct json_object *ctx, struct chapter *c,
				   struct json_object *page,
				   struct out_list *out, struct diag *d)
{
	struct buf body = BUF_INIT;

	render_chapter(s, c, RENDER_SITE, NULL, &body, NULL);
	jset(page, "body", json_object_new_string_len(body.ptr, (int)body.len));
	buf_release(&body);
	return render_page(t, "chapter", ctx, c->html_name, out, d);
}

/* What a chapter shows of another (its neighbour, or one linking to it):
 * its title and page. */
static uint64_t chapter_link_key(const struct chapter *c)
{
	uint64_t h = hash_str(HASH_SEED, c->fm.title ? c->fm.title : "");
	return hash_str(h, c->html_name);
}

/* The key of chapter `ci`'s page, from what its context is made of
 * rather than from the context itself, which is then built only for the
 * pages that are rendered: the global key (the book, the list of
 * chapters, the theme), the page's position (its sidebar window), its
 * rendered body with its links, its own file and source (title, front
 * matter, headings, words), the titles and pages of its neighbours, and
 * for each chapter linking to it, its title and page and the heading it
 * links from. */
static uint64_t chapter_page_key(struct site *s, size_t ci,
				 const struct page_keys *keys)
{
	struct chapter *c = &s->chapters[ci];
	uint64_t h = hash_u64(hash_str(keys->global, "chapter page"), ci);
	size_t i;

	h = hash_u64(h, render_chapter_key(s, c, RENDER_SITE));
	h = hash_str(h, c->file);
	h = hash_str(h, c->html_name);
	h = hash_u64(h, c->src_hash);
	h = hash_u64(h, ci > 0);
	if (ci > 0)
		h = hash_u64(h, keys->link[ci - 1]);
	h = hash_u64(h, ci + 1 < s->n_chapters);
	if (ci + 1 < s->n_chapters)
		h = hash_u64(h, keys->link[ci + 1]);
	h = hash_u64(h, c->n_backlinks);
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &s->chapters[bl->chapter];
		h = hash_u64(h, keys->link[bl->chapter]);
		h = hash_u64(h, bl->heading != SITE_NONE);
		if (bl->heading != SITE_NONE) {
			h = hash_str(h, from->headings[bl->heading].id);
			h = hash_str(h, from->headings[bl->heading].text);
		}
	}
	return h;
}

static int render_chapter_page(struct site *s, const struct theme *t,
			       struct json_object *ctx, size_t ci,
			       const struct page_keys *keys,
			       struct out_list *out, struct diag *d)
{
	struct chapter *c = &s->chapters[ci];
	struct json_object *page, *toc, *back, *chapters, *cur, *nav;
	uint64_t key = chapter_page_key(s, ci, keys);
	size_t i;
	int r;

	if (page_keep(keys, c->html_name, key, out))
		return 0;
	page = json_object_new_object();
	toc = json_object_new_array();
	back = json_object_new_array();
	jset(page, "title", jstr(c->fm.title));
	jset(page, "summary", jstr(c->fm.summary));
	jset(page, "slug", jstr(c->slug));
	jset(page, "href", jstr(c->html_name));
	if (c->fm.step)
		jset(page, "step", json_object_new_int(c->fm.step));
	if (chapter_step_label(c))
		jset(page, "step_label", json_object_new_boolean(1));
	jset(page, "minutes", json_object_new_int(c->minutes));
	jset(page, "words", json_object_new_int64((int64_t)c->words));
	jset(page, "tasks", json_object_new_int64((int64_t)c->n_tasks));
	jset(page, "tasks_text", actions_text(c->n_tasks));
	jset(page, "params", json_object_get(frontmatter_params(&c->fm)));
	if (*s->cfg.edit_url) {
		/* "{path}": the chapter's file within content/ */
		const char *u = s->cfg.edit_url, *at;
		struct buf url = BUF_INIT;
		while ((at = strstr(u, "{path}"))) {
			buf_add(&url, u, (size_t)(at - u));
			path_add_url(&url, c->file, 0);
			u = at + 6;
		}
		buf_adds(&url, u);
		jset(page, "edit_url", json_object_new_string_len(
					       url.ptr, (int)url.len));
		buf_release(&url);
	}
	for (i = 0; i < c->n_headings; i++) {
		const struct heading *h = &c->headings[i];
		struct json_object *e;
		if (h->level > 3)
			continue;
		e = json_object_new_object();
		jset(e, "id", jstr(h->id));
		jset(e, "text", jstr(h->text));
		jset(e, "level", json_object_new_int(h->level));
		if (h->level == 3)
			jset(e, "sub", json_object_new_boolean(1));
		json_object_array_add(toc, e);
	}
	if (json_object_array_length(toc)) {
		jset(page, "toc", toc);
		jset(page, "has_toc", json_object_new_boolean(1));
	}
	else
		json_object_put(toc);
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &s->chapters[bl->chapter];
		struct json_object *e = json_object_new_object();
		struct buf href = BUF_INIT;
		buf_adds(&href, from->html_name);
		jset(e, "chapter", jstr(from->fm.title));
		if (bl->heading != SITE_NONE) {
			buf_addf(&href, "#%s", from->headings[bl->heading].id);
			jset(e, "section", jstr(from->headings[bl->heading].text));
		}
		jset(e, "href", jstr(href.ptr));
		buf_release(&href);
		json_object_array_add(back, e);
	}
	if (json_object_array_length(back)) {
		jset(page, "backlinks", back);
		jset(page, "has_backlinks", json_object_new_boolean(1));
	}
	else
		json_object_put(back);
	if (ci > 0)
		jset(page, "prev", chapter_link(&s->chapters[ci - 1]));
	if (ci + 1 < s->n_chapters)
		jset(page, "next", chapter_link(&s->chapters[ci + 1]));
	json_object_object_get_ex(ctx, "chapters", &chapters);
	cur = json_object_array_get_idx(chapters, ci);
	jset(cur, "current", json_object_new_boolean(1));
	jset(ctx, "page", page);
	jset(ctx, "is_chapter", json_object_new_boolean(1));
	nav = nav_window(chapters, ci);
	jset(ctx, "nav", nav);
	r = render_chapter_page_now(s, t, ctx, c, page, out, d);
	jset(ctx, "nav", nav_window(chapters, SITE_NONE));
	if (r == 0)
		page_note(keys, c->html_name, key, out);
	json_object_object_del(cur, "current");
	json_object_object_del(ctx, "page");
	json_object_object_del(ctx, "is_chapter");
	return r;
}

/* The key of the checklist page: the global key and every task item
 * with what the page shows of it. */
static uint64_t checklist_key(const struct site *s, uint64_t global)
{
	uint64_t h = hash_str(global, "checklist");
	size_t ci, i;

	for (ci = 0; ci < s->n_chapters; ci++) {
		const struct chapter *c = &s->chapters[ci];
		if (!c->n_tasks)
			continue;
		h = hash_u64(h, ci);
		h = hash_u64(h, c->n_tasks);
		for (i = 0; i < c->n_tasks; i++) {
			const struct task *tk = &c->tasks[i];
			h = hash_str(h, tk->id);
			h = hash_str(h, tk->text);
			h = hash_u64(h, (uint64_t)tk->checked);
			if (tk->heading != SITE_NONE) {
				h = hash_str(h, c->headings[tk->heading].id);
				h = hash_str(h, c->headings[tk->heading].text);
			} else {
				h = hash_u64(h, 0);
			}
		}
	}
	return h;
}

static int render_checklist(const struct site *s, const struct theme *t,
			    struct json_object *ctx,
			    const struct page_keys *keys, struct out_list *out,
			    struct diag *d)
{
	struct json_object *groups;
	uint64_t key = checklist_key(s, keys->global);
	size_t ci, i;
	int r;

	/* the chapters' titles, files and steps are in the global key */
	if (page_keep(keys, "checklist.html", key, out))
		return 0;
	groups = json_object_new_array();
	for (ci = 0; ci < s->n_chapters; ci++) {
		const struct chapter *c = &s->chapters[ci];
		struct json_object *g, *items;
		if (!c->n_tasks)
			continue;
		g = json_object_new_object();
		items = json_object_new_array();
		jset(g, "title", jstr(c->fm.title));
		jset(g, "href", jstr(c->html_name));
		jset(g, "slug", jstr(c->slug));
		if (c->fm.step)
			jset(g, "step", json_object_new_int(c->fm.step));
		jset(g, "count", json_object_new_int64((int64_t)c->n_tasks));
		jset(g, "count_text", actions_text(c->n_tasks));
		for (i = 0; i < c->n_tasks; i++) {
			const struct task *tk = &c->tasks[i];
			struct json_object *e = json_object_new_object();
			struct buf href = BUF_INIT;
			buf_adds(&href, c->html_name);
			if (tk->heading != SITE_NONE) {
				buf_addf(&href, "#%s", c->headings[tk->heading].id);
				jset(e, "section",
				     jstr(c->headings[tk->heading].text));
			}
			jset(e, "id", jstr(tk->id));
			jset(e, "text", jstr(tk->text));
			jset(e, "href", jstr(href.ptr));
			if (tk->checked)
				jset(e, "checked", json_object_new_boolean(1));
			buf_release(&href);
			json_object_array_add(items, e);
		}
		jset(g, "items", items);
		json_object_array_add(groups, g);
	}
	jset(ctx, "groups", groups);
	jset(ctx, "is_checklist", json_object_new_boolean(1));
	r = render_page(t, "checklist", ctx, "checklist.html", out, d);
	if (r == 0)
		page_note(keys, "checklist.html", key, out);
	json_object_object_del(ctx, "groups");
	json_object_object_del(ctx, "is_checklist");
	return r;
}

/* The part of every page's key that all pages share: stepbook, the theme
 * and the whole context the pages are rendered from. */
static uint64_t page_keys_global(const struct site *s, const struct theme *t,
				 struct json_object *ctx)
{
	uint64_t h = hash_str(HASH_SEED, "stepbook " STEPBOOK_VERSION);
	size_t i;

	h = hash_str(h, t->name);
	for (i = 0; i < t->n_files; i++) {
		h = hash_str(h, t->files[i].path);
		h = hash_mix(h, t->files[i].data, t->files[i].len);
	}
	h = json_hash(h, s->cfg.params);
	return json_hash(h, ctx);
}

/* Writing many small files is mostly the kernel's work, which runs on
 * every core: the files are shared out between threads (see pool.h). */
#define MAX_WRITERS 4

struct file_writer {
	const struct out_list *out;
	struct output *o;
	int *status;           /* per file: 2 patched, 1 written, 0 unchanged,
				* -1 error */
	struct diag diags[MAX_WRITERS]; /* per thread */
};

static void file_writer_job(void *arg, size_t i, size_t worker)
{
	struct file_writer *w = arg;
	const struct out_file *f = &w->out->v[i];
	struct diag *d = &w->diags[worker];
	int changed;

	if (f->kept)
		w->status[i] = output_site_keep(w->o, f->path, d) == 0 ? 0 : -1;
	else if (f->streamed)
		w->status[i] = f->streamed;
	else if (f->pieces)
		w->status[i] = output_site_patch(w->o, f->path, f->pieces,
						 f->n_pieces, d) == 0 ? 2 : -1;
	else if (output_site_write(w->o, f->path, f->data, f->len, &changed,
				   d) == 0)
		w->status[i] = changed;
	else
		w->status[i] = -1;
}

/* Puts every file of `out` in the staged site. Returns the status of
 * each (the caller's: 2 patched, 1 written, 0 unchanged, -1 failed);
 * problems go to `d`. */
static int *write_files(const struct out_list *out, struct output *o,
			struct diag *d)
{
	struct file_writer w;
	size_t i;

	w.out = out;
	w.o = o;
	w.status = xcalloc(out->n + 1, sizeof(*w.status));
	for (i = 0; i < MAX_WRITERS; i++)
		diag_init(&w.diags[i]);
	pool_run(out->n, MAX_WRITERS, file_writer_job, &w);
	for (i = 0; i < MAX_WRITERS; i++) {
		diag_append(d, &w.diags[i]);
		diag_release(&w.diags[i]);
	}
	return w.status;
}

/* ---- files made of a frame and one segment per chapter ----
 *
 * print.html and search-index.js hold every chapter: after a one-chapter
 * edit, the cache knows where each chapter's part lies in the file, and
 * the new file is put together from the old one (copied by the kernel)
 * and the parts that changed. The content key of such a file is made from
 * its frame's key and its segments' hashes, whichever way it was made, so
 * that both ways give the same sw.js. */

struct seg_maker {
	/* Appends the whole file to `out`; sets at[2i], at[2i+1] to where
	 * segment i starts and ends. Returns 1 when the file is one segment
	 * per chapter in order, 0 when it is not (then it is not patched
	 * later), -1 on error (recorded). */
	int (*full)(void *ctx, struct buf *out, uint64_t *at);
	/* Appends segment i alone to `out`. */
	void (*seg)(void *ctx, size_t i, struct buf *out);
	void *ctx;
};

static uint64_t segs_content(const struct cache_segs *sg)
{
	uint64_t h = hash_u64(hash_u64(HASH_SEED, sg->frame), sg->n);
	size_t i;

	for (i = 0; i < sg->n; i++)
		h = hash_u64(h, sg->v[i].hash);
	return h;
}

/* Adds to the `np` pieces in `pc` the old file's `len` bytes at `off`,
 * run on from the last piece when that one ends there: one copy for every
 * unchanged stretch, not one per chapter. Returns the new count. */
static size_t segs_piece(struct fs_piece *pc, size_t np, uint64_t off,
			 uint64_t len)
{
	if (np && !pc[np - 1].data && pc[np - 1].off + pc[np - 1].len == off) {
		pc[np - 1].len += len;
		return np;
	}
	pc[np].off = off;
	pc[np].len = len;
	return np + 1;
}

/* Pieces that turn the old file (`size` bytes, laid out as `old`) into the
 * new one, with the changed segments made into `data`; fills `sg` (whose
 * keys are set). Returns the number of pieces, 0 when `old` does not fit
 * the file. */
static size_t segs_patch(const struct cache_segs *old, uint64_t size,
			 struct cache_segs *sg, const struct seg_maker *mk,
			 struct buf *data, struct fs_piece **pieces)
{
	struct fs_piece *pc;
	uint64_t *at = xcalloc(sg->n + 1, sizeof(*at));
	uint64_t pos = 0, prev = 0;
	size_t i, np = 0;

	for (i = 0; i < old->n; i++) {
		if (old->v[i].off < prev || old->v[i].len > size ||
		    old->v[i].off > size - old->v[i].len) {
			free(at);
			return 0;
		}
		prev = old->v[i].off + old->v[i].len;
	}
	for (i = 0; i < sg->n; i++) {
		if (sg->v[i].key == old->v[i].key) {
			sg->v[i].hash = old->v[i].hash;
			sg->v[i].len = old->v[i].len;
			continue;
		}
		at[i] = data->len;
		mk->seg(mk->ctx, i, data);
		sg->v[i].len = data->len - at[i];
		sg->v[i].hash = hash_mix(HASH_SEED, data->ptr + at[i],
					 (size_t)sg->v[i].len);
	}
	pc = xcalloc(2 * sg->n + 2, sizeof(*pc));
	prev = 0;
	for (i = 0; i < sg->n; i++) {
		if (old->v[i].off > prev) {
			np = segs_piece(pc, np, prev, old->v[i].off - prev);
			pos += old->v[i].off - prev;
		}
		sg->v[i].off = pos;
		if (sg->v[i].key == old->v[i].key) {
			np = segs_piece(pc, np, old->v[i].off, sg->v[i].len);
		} else {
			pc[np].data = data->ptr + at[i];
			pc[np++].len = sg->v[i].len;
		}
		pos += sg->v[i].len;
		prev = old->v[i].off + old->v[i].len;
	}
	if (size > prev)
		np = segs_piece(pc, np, prev, size - prev);
	free(at);
	*pieces = pc;
	return np;
}

/* Adds the file `path` made by `mk`: kept when the cache says it was made
 * from `key`, patched when only some segments changed (their keys in
 * seg_keys, the frame's in `frame`), else made whole. Returns 0 or -1. */
static int out_add_segmented(struct out_list *out,
			     const struct page_keys *keys, const char *path,
			     uint64_t key, uint64_t frame, size_t n,
			     const uint64_t *seg_keys,
			     const struct seg_maker *mk)
{
	const struct cache_segs *old =
		keys->cache ? cache_output_segs(keys->cache, path) : NULL;
	struct cache_segs *sg;
	struct out_file *f;
	struct stat st;
	char *full;
	size_t i;
	int patched = 0;

	if (page_keep(keys, path, key, out)) {
		if (old)
			cache_output_note_segs(keys->cache,
					       cache_segs_copy(old));
		return 0;
	}
	sg = xcalloc(1, sizeof(*sg));
	sg->frame = frame;
	sg->n = n;
	sg->v = xcalloc(n + 1, sizeof(*sg->v));
	for (i = 0; i < n; i++)
		sg->v[i].key = seg_keys[i];
	full = path_join(output_site_dir(keys->o), path);
	if (old && n && !out->stream && output_site_has(keys->o, path) &&
	    old->frame == frame &&
	    old->n == n && stat(full, &st) == 0 &&
	    fs_stamp_of(&st) == old->stamp) {
		struct buf data = BUF_INIT;
		struct fs_piece *pc = NULL;
		size_t np = segs_patch(old, (uint64_t)st.st_size, sg, mk,
				       &data, &pc);
		if (np) {
			/* the pieces point into `data`, kept as the file's */
			size_t len;
			char *bytes = data.ptr;
			char *kept = buf_detach(&data, &len);
			for (i = 0; i < np; i++)
				if (pc[i].data)
					pc[i].data = kept + (pc[i].data - bytes);
			out_add(out, path, NULL, 0, 0);
			f = &out->v[out->n - 1];
			f->data = kept;
			f->len = 0;
			f->pieces = pc;
			f->n_pieces = np;
			patched = 1;
		} else {
			buf_release(&data);
		}
	}
	free(full);
	if (!patched) {
		struct buf b = BUF_INIT;
		uint64_t *at = xcalloc(2 * n + 2, sizeof(*at));
		size_t len;
		char *data;
		int r = mk->full(mk->ctx, &b, at);
		if (r < 0) {
			free(at);
			buf_release(&b);
			cache_segs_free(sg);
			return -1;
		}
		for (i = 0; r == 1 && i < n; i++) {
			sg->v[i].off = at[2 * i];
			sg->v[i].len = at[2 * i + 1] - at[2 * i];
			sg->v[i].hash = hash_mix(HASH_SEED, b.ptr + at[2 * i],
						 (size_t)sg->v[i].len);
		}
		free(at);
		if (r != 1) {
			cache_segs_free(sg);
			sg = NULL;
		}
		data = buf_detach(&b, &len);
		out_add(out, path, data, len, 0);
	}
	f = &out->v[out->n - 1];
	if (sg) {
		f->content = segs_content(sg);
		f->hashed = 1;
	}
	if (keys->cache) {
		page_note(keys, path, key, out);
		if (sg) {
			cache_output_note_segs(keys->cache, sg);
			f->segs = sg;   /* stamped once written */
		}
	} else {
		cache_segs_free(sg);
	}
	return 0;
}

/* print.html as a segmented file. */
struct print_maker {
	struct site *s;
	const struct theme *t;
	struct json_object *ctx;
	struct diag *d;
};

static int print_full(void *arg, struct buf *out, uint64_t *at)
{
	struct print_maker *pm = arg;
	struct buf page = BUF_INIT;
	int r;

	write_extras_print_context(pm->s, pm->ctx);
	r = render_page_buf(pm->t, "print", pm->ctx, WRITE_EXTRAS_PRINT,
			    &page, pm->d);
	if (r == 0)
		r = write_extras_print_fill(pm->s, page.ptr, page.len, out, at);
	buf_release(&page);
	write_extras_print_done(pm->ctx);
	return r;
}

static void print_seg(void *arg, size_t i, struct buf *out)
{
	struct print_maker *pm = arg;

	render_chapter(pm->s, &pm->s->chapters[i], RENDER_PRINT, NULL, out,
		       NULL);
}

/* The key of what print.html shows besides the chapters' bodies. */
static uint64_t print_frame_key(const struct site *s, uint64_t global)
{
	uint64_t h = hash_str(global, "print frame");
	size_t i, k;

	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		h = hash_str(h, c->fm.title);
		h = hash_str(h, c->fm.summary);
		h = hash_u64(h, (uint64_t)c->fm.step);
		h = hash_str(h, c->slug);
		h = hash_u64(h, (uint64_t)c->minutes);
		for (k = 0; k < c->n_headings; k++) {
			if (c->headings[k].level != 2)
				continue;
			h = hash_str(h, c->headings[k].id);
			h = hash_str(h, c->headings[k].text);
		}
		h = hash_u64(h, 0);
	}
	return h;
}

/* Each file of the search index as a segmented file. */
struct search_maker {
	struct site *s;
	size_t part, first;   /* the file, and its first chapter */
};

static int search_full(void *arg, struct buf *out, uint64_t *at)
{
	struct search_maker *sm = arg;

	search_index_build_part(sm->s, sm->part, out, at);
	return 1;
}

static void search_seg(void *arg, size_t i, struct buf *out)
{
	struct search_maker *sm = arg;

	buf_adds(out, chapter_text(&sm->s->chapters[sm->first + i],
				   CHAPTER_TEXT_SEARCH));
}

static uint64_t search_key(const struct chapter *c)
{
	return c->borrowed ? c->kept[CHAPTER_TEXT_SEARCH].hash
			   : hash_str(HASH_SEED, c->search);
}

int write_site(struct site *s, const struct theme *t, struct output *o,
	       struct cache *cache, const char *epub, int verbose,
	       struct write_stats *stats, struct diag *d)
{
	struct page_keys keys;
	int *status;
	struct out_list out = { 0 };
	struct json_object *ctx = site_context(s, epub);
	struct write_extras extras;
	const char *dir = output_site_dir(o);
	size_t i, errors = d->errors;

	memset(stats, 0, sizeof(*stats));
	if (output_site_begin(o, d) < 0) {
		json_object_put(ctx);
		return -1;
	}
	/* A site made from nothing is written file by file as it is made,
	 * so that it is never whole in memory. */
	if (output_site_fresh(o))
		out.stream = out_stream_start(o);
	write_extras_context(s, t, ctx);
	keys.cache = cache;
	keys.o = o;
	keys.global = page_keys_global(s, t, ctx);
	keys.link = xcalloc(s->n_chapters + 1, sizeof(*keys.link));
	for (i = 0; i < s->n_chapters; i++)
		keys.link[i] = chapter_link_key(&s->chapters[i]);
	jset(ctx, "is_index", json_object_new_boolean(1));
	render_page_keyed(t, "index", ctx, "index.html",
			  hash_str(keys.global, "index"), &keys, &out, d);
	json_object_object_del(ctx, "is_index");
	for (i = 0; i < s->n_chapters; i++)
		render_chapter_page(s, t, ctx, i, &keys, &out, d);
	render_checklist(s, t, ctx, &keys, &out, d);
	if (tmpl_set_has(t->templates, "print")) {
		uint64_t key = hash_str(keys.global, "print");
		uint64_t *seg_keys = xcalloc(s->n_chapters + 1,
					     sizeof(*seg_keys));
		struct print_maker pm;
		struct seg_maker mk;
		for (i = 0; i < s->n_chapters; i++) {
			seg_keys[i] = render_chapter_key(s, &s->chapters[i],
							 RENDER_PRINT);
			key = hash_u64(key, seg_keys[i]);
		}
		pm.s = s;
		pm.t = t;
		pm.ctx = ctx;
		pm.d = d;
		mk.full = print_full;
		mk.seg = print_seg;
		mk.ctx = &pm;
		out_add_segmented(&out, &keys, WRITE_EXTRAS_PRINT, key,
				  print_frame_key(s, keys.global),
				  s->n_chapters, seg_keys, &mk);
		free(seg_keys);
	}
	jset(ctx, "is_404", json_object_new_boolean(1));
	render_page_keyed(t, "404", ctx, "404.html",
			  hash_str(keys.global, "404"), &keys, &out, d);
	json_object_put(ctx);
	/* the search index, in parts of SEARCH_PART_CHAPTERS chapters */
	{
		size_t parts = search_index_parts(s), p;
		uint64_t *seg_keys = xcalloc(s->n_chapters + 1,
					     sizeof(*seg_keys));
		for (i = 0; i < s->n_chapters; i++) {
			render_prepare(s, &s->chapters[i]);
			seg_keys[i] = search_key(&s->chapters[i]);
		}
		for (p = 0; p < parts; p++) {
			struct search_maker sm;
			struct seg_maker mk;
			struct buf name = BUF_INIT;
			size_t n = search_index_part_chapters(s, p, &sm.first);
			uint64_t key = hash_str(HASH_SEED,
						"search " STEPBOOK_VERSION);
			/* what the frame shows: the part, and the others */
			uint64_t frame = hash_str(HASH_SEED, "search frame "
						  STEPBOOK_VERSION);
			frame = hash_u64(hash_u64(hash_u64(frame, p), parts), n);
			key = hash_u64(key, frame);
			for (i = 0; i < n; i++)
				key = hash_u64(key, seg_keys[sm.first + i]);
			sm.s = s;
			sm.part = p;
			mk.full = search_full;
			mk.seg = search_seg;
			mk.ctx = &sm;
			search_index_part_name(p, &name);
			out_add_segmented(&out, &keys, name.ptr, key, frame, n,
					  seg_keys + sm.first, &mk);
			buf_release(&name);
		}
		free(seg_keys);
	}

	for (i = 0; i < t->n_files; i++) {
		const struct theme_file *f = &t->files[i];
		if (!strncmp(f->path, "assets/", 7) &&
		    strcmp(f->path, WRITE_EXTRAS_SW_SOURCE))
			out_add(&out, f->path, f->data, f->len, 1);
	}
	for (i = 0; i < s->n_files; i++) {
		char *full = path_join(s->content_dir, s->files[i]);
		struct buf data = BUF_INIT;
		if (fs_read_file(full, NULL, &data, d) == 0) {
			size_t len;
			char *bytes = buf_detach(&data, &len);
			out_add(&out, s->files[i], bytes, len, 0);
		}
		buf_release(&data);
		free(full);
	}
	write_extras_init(&extras);
	for (i = 0; i < out.n; i++) {
		if (out.v[i].kept || out.v[i].streamed || out.v[i].hashed)
			write_extras_add_hashed(&extras, out.v[i].path,
						out_content(&out.v[i]));
		else
			write_extras_add(&extras, out.v[i].path,
					 out.v[i].data, out.v[i].len);
	}
	write_extras_finish(&extras, s, t, out_emit, &out, d);
	write_extras_release(&extras);
	out_stream_finish(&out, d);
	if (d->errors > errors) {
		out_release(&out);
		free(keys.link);
		return -1;
	}
	status = write_files(&out, o, d);
	for (i = 0; i < out.n; i++) {
		if (status[i] == 2) {
			/* the unchanged stretches of the old file, each
			 * copied in one go */
			size_t j, copies = 0;
			for (j = 0; j < out.v[i].n_pieces; j++)
				copies += !out.v[i].pieces[j].data;
			stats->written++;
			if (verbose)
				fprintf(stderr, "  patched %s/%s, %zu stretch%s "
					"copied\n", dir, out.v[i].path, copies,
					copies == 1 ? "" : "es");
		} else if (status[i] == 1) {
			stats->written++;
			if (verbose)
				fprintf(stderr, "  wrote %s/%s\n", dir,
					out.v[i].path);
		} else if (status[i] == 0) {
			stats->unchanged++;
		}
	}
	free(status);
	/* the stamps of the segmented files, as they now are on disk */
	for (i = 0; i < out.n; i++)
		if (out.v[i].segs)
			out.v[i].segs->stamp = output_site_stamp(o, out.v[i].path);
	out_release(&out);
	free(keys.link);
	return d->errors > errors ? -1 : 0;
}
