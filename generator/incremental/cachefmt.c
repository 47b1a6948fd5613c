#include "cachefmt.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "site.h"
#include "strset.h"
#include "xalloc.h"

void cachefmt_put_u64(struct buf *b, uint64_t v)
{
	unsigned char x[8];
	int k;

	for (k = 0; k < 8; k++)
		x[k] = (unsigned char)(v >> (8 * k));
	buf_add(b, x, 8);
}

void cachefmt_put_str(struct buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	cachefmt_put_u64(b, s ? (uint64_t)len : UINT64_MAX);
	buf_add(b, s ? s : "", len);
}

void cachefmt_reader_init(struct cachefmt_reader *r, const char *p, size_t len)
{
	r->p = p;
	r->end = p + len;
	r->bad = 0;
}

uint64_t cachefmt_get_u64(struct cachefmt_reader *r)
{
	uint64_t v = 0;
	int k;

	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	for (k = 0; k < 8; k++)
		v |= (uint64_t)(unsigned char)r->p[k] << (8 * k);
	r->p += 8;
	return v;
}

char *cachefmt_get_str(struct cachefmt_reader *r)
{
	uint64_t len = cachefmt_get_u64(r);
	char *s;

	if (r->bad || len == UINT64_MAX)
		return NULL;
	if ((uint64_t)(r->end - r->p) < len) {
		r->bad = 1;
		return NULL;
	}
	s = xstrndup(r->p, (size_t)len);
	r->p += len;
	return s;
}

void cachefmt_skip_str(struct cachefmt_reader *r)
{
	uint64_t len = cachefmt_get_u64(r);

	if (r->bad || len == UINT64_MAX)
		return;
	if ((uint64_t)(r->end - r->p) < len)
		r->bad = 1;
	else
		r->p += len;
}

static size_t get_size(struct cachefmt_reader *r)
{
	uint64_t v = cachefmt_get_u64(r);
	return v == UINT64_MAX ? SITE_NONE : (size_t)v;
}

static void put_size(struct buf *b, size_t v)
{
	cachefmt_put_u64(b, v == SITE_NONE ? UINT64_MAX : (uint64_t)v);
}

/* ---- chapters: one table of fields for writing and reading ---- */

enum field_kind {
	FIELD_STR,   /* char *, NULL allowed */
	FIELD_NEED,  /* char *, never NULL */
	FIELD_INT,   /* int */
	FIELD_SIZE,  /* size_t */
	FIELD_INDEX, /* size_t, SITE_NONE allowed */
	FIELD_U64    /* uint64_t */
};

struct field {
	enum field_kind kind;
	size_t off;
};

#define FIELD(kind, type, member)            \
	{                                    \
		kind, offsetof(type, member) \
	}

/* A chapter record: the source's file, size, times and hash (written by
 * cachefmt_put_chapter() itself: they decide whether the rest is taken), then
 * these fields, then its headings, tasks, links and images, then where
 * the pack holds each of its texts. */
static const struct field chapter_fields[] = {
	FIELD(FIELD_NEED, struct chapter, fm.title),
	FIELD(FIELD_NEED, struct chapter, fm.summary),
	FIELD(FIELD_STR, struct chapter, fm.slug),
	FIELD(FIELD_INT, struct chapter, fm.step),
	FIELD(FIELD_INT, struct chapter, fm.draft),
	/* parsed only for a page that is rendered (frontmatter_params()) */
	FIELD(FIELD_STR, struct chapter, fm.params_json),
	FIELD(FIELD_INT, struct chapter, fm.body_line),
	FIELD(FIELD_NEED, struct chapter, slug),
	FIELD(FIELD_SIZE, struct chapter, words),
	FIELD(FIELD_INT, struct chapter, minutes),
};

static const struct field heading_fields[] = {
	FIELD(FIELD_INT, struct heading, level),
	FIELD(FIELD_NEED, struct heading, id),
	FIELD(FIELD_NEED, struct heading, text),
	FIELD(FIELD_INT, struct heading, line),
};

static const struct field task_fields[] = {
	FIELD(FIELD_NEED, struct task, id),
	FIELD(FIELD_NEED, struct task, text),
	FIELD(FIELD_NEED, struct task, html),
	FIELD(FIELD_INDEX, struct task, heading),
	FIELD(FIELD_INT, struct task, checked),
	FIELD(FIELD_INT, struct task, line),
};

/* (a link's target file comes first, written as before resolution: a
 * chapter link names the chapter's file) */
static const struct field link_fields[] = {
	FIELD(FIELD_STR, struct link, fragment),
	FIELD(FIELD_INDEX, struct link, from_heading),
	FIELD(FIELD_INT, struct link, line),
	FIELD(FIELD_INT, struct link, col),
};

#define N_FIELDS(v) (sizeof(v) / sizeof(*(v)))

static void put_fields(struct buf *b, const void *base, const struct field *f,
		       size_t n)
{
	const char *p = base;
	size_t i;

	for (i = 0; i < n; i++) {
		const void *at = p + f[i].off;
		switch (f[i].kind) {
		case FIELD_STR:
		case FIELD_NEED:
			cachefmt_put_str(b, *(char *const *)at);
			break;
		case FIELD_INT:
			cachefmt_put_u64(b, (uint64_t) * (const int *)at);
			break;
		case FIELD_SIZE:
			cachefmt_put_u64(b, (uint64_t) * (const size_t *)at);
			break;
		case FIELD_INDEX:
			put_size(b, *(const size_t *)at);
			break;
		case FIELD_U64:
			cachefmt_put_u64(b, *(const uint64_t *)at);
			break;
		}
	}
}

/* Reads what put_fields() wrote into `base` (whose strings are NULL);
 * a missing string that must be there makes the record bad. */
static void get_fields(struct cachefmt_reader *r, void *base,
		       const struct field *f, size_t n)
{
	char *p = base;
	size_t i;

	for (i = 0; i < n && !r->bad; i++) {
		void *at = p + f[i].off;
		switch (f[i].kind) {
		case FIELD_STR:
		case FIELD_NEED:
			*(char **)at = cachefmt_get_str(r);
			if (f[i].kind == FIELD_NEED && !*(char **)at)
				r->bad = 1;
			break;
		case FIELD_INT:
			*(int *)at = (int)cachefmt_get_u64(r);
			break;
		case FIELD_SIZE:
			*(size_t *)at = (size_t)cachefmt_get_u64(r);
			break;
		case FIELD_INDEX:
			*(size_t *)at = get_size(r);
			break;
		case FIELD_U64:
			*(uint64_t *)at = cachefmt_get_u64(r);
			break;
		}
	}
}

void cachefmt_put_chapter(struct buf *b, const struct site *s,
			  const struct chapter *c,
			  const struct cachefmt_text_at *at, size_t n_texts)
{
	size_t i;

	cachefmt_put_str(b, c->file);
	/* a chapter that gave warnings gets a size no file has, so that
	 * the next build parses it again and gives them again; so does one
	 * that includes files, whose changes the cache does not see */
	cachefmt_put_u64(b, c->warned || c->reparse ? UINT64_MAX
						    : (uint64_t)c->src_size);
	cachefmt_put_u64(b, (uint64_t)c->src_mtime_ns);
	cachefmt_put_u64(b, (uint64_t)c->src_ctime_ns);
	cachefmt_put_u64(b, c->src_hash);
	put_fields(b, c, chapter_fields, N_FIELDS(chapter_fields));
	cachefmt_put_u64(b, c->n_headings);
	for (i = 0; i < c->n_headings; i++)
		put_fields(b, &c->headings[i], heading_fields,
			   N_FIELDS(heading_fields));
	cachefmt_put_u64(b, c->n_tasks);
	for (i = 0; i < c->n_tasks; i++)
		put_fields(b, &c->tasks[i], task_fields, N_FIELDS(task_fields));
	cachefmt_put_u64(b, c->n_links);
	for (i = 0; i < c->n_links; i++) {
		const struct link *l = &c->links[i];
		cachefmt_put_str(b, l->chapter != SITE_NONE
					    ? s->chapters[l->chapter].file
					    : l->file);
		put_fields(b, l, link_fields, N_FIELDS(link_fields));
	}
	cachefmt_put_u64(b, c->n_images);
	for (i = 0; i < c->n_images; i++)
		cachefmt_put_str(b, c->images[i]);
	for (i = 0; i < n_texts; i++) {
		cachefmt_put_u64(b, at[i].off);
		cachefmt_put_u64(b, at[i].len);
		cachefmt_put_u64(b, at[i].hash);
	}
}

void cachefmt_get_chapter(struct cachefmt_reader *r, struct chapter *c,
			  struct cachefmt_text_at *at, size_t n_texts)
{
	size_t i, n;

	get_fields(r, c, chapter_fields, N_FIELDS(chapter_fields));
	n = (size_t)cachefmt_get_u64(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct heading *h;
		c->headings = xgrow(c->headings, sizeof(*c->headings),
				    c->n_headings + 1, &c->cap_headings);
		h = &c->headings[c->n_headings++];
		memset(h, 0, sizeof(*h));
		get_fields(r, h, heading_fields, N_FIELDS(heading_fields));
		if (!r->bad)
			strset_add(&c->heading_ids, h->id, c->n_headings - 1);
	}
	n = (size_t)cachefmt_get_u64(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct task *tk;
		c->tasks = xgrow(c->tasks, sizeof(*c->tasks), c->n_tasks + 1,
				 &c->cap_tasks);
		tk = &c->tasks[c->n_tasks++];
		memset(tk, 0, sizeof(*tk));
		get_fields(r, tk, task_fields, N_FIELDS(task_fields));
	}
	n = (size_t)cachefmt_get_u64(r);
	for (i = 0; i < n && !r->bad; i++) {
		struct link *l;
		c->links = xgrow(c->links, sizeof(*c->links), c->n_links + 1,
				 &c->cap_links);
		l = &c->links[c->n_links++];
		memset(l, 0, sizeof(*l));
		l->chapter = SITE_NONE;
		l->file = cachefmt_get_str(r);
		if (!l->file)
			r->bad = 1;
		get_fields(r, l, link_fields, N_FIELDS(link_fields));
	}
	n = (size_t)cachefmt_get_u64(r);
	for (i = 0; i < n && !r->bad; i++) {
		char *img = cachefmt_get_str(r);
		if (!img) {
			r->bad = 1;
			break;
		}
		c->images = xgrow(c->images, sizeof(*c->images),
				  c->n_images + 1, &c->cap_images);
		c->images[c->n_images++] = img;
	}
	for (i = 0; i < n_texts && !r->bad; i++) {
		at[i].off = cachefmt_get_u64(r);
		at[i].len = cachefmt_get_u64(r);
		at[i].hash = cachefmt_get_u64(r);
	}
}

void cachefmt_put_chapter_epub(struct buf *b, const struct cache_epub *e)
{
	cachefmt_put_u64(b, e->key);
	cachefmt_put_u64(b, (uint64_t)e->flags);
	cachefmt_put_str(b, e->answers);
	cachefmt_put_str(b, e->images);
}

void cachefmt_get_chapter_epub(struct cachefmt_reader *r, struct cache_epub *e)
{
	e->key = cachefmt_get_u64(r);
	e->flags = (int)cachefmt_get_u64(r);
	e->answers = cachefmt_get_str(r);
	e->images = cachefmt_get_str(r);
	if (r->bad || !e->answers || !e->images)
		e->key = 0;
}

void cachefmt_skip_chapter_epub(struct cachefmt_reader *r)
{
	cachefmt_get_u64(r);
	cachefmt_get_u64(r);
	cachefmt_skip_str(r);
	cachefmt_skip_str(r);
}

uint64_t cachefmt_sum(const char *tail, size_t len, uint64_t part)
{
	return hash_u64(hash_mix(HASH_SEED, tail, len), part);
}

char *cachefmt_pack_path(const char *path)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, path);
	buf_adds(&b, CACHEFMT_PACK_SUFFIX);
	return buf_detach(&b, NULL);
}
