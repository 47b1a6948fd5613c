#include "incremental.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "build_id.h"
#include "fsutil.h"
#include "hash.h"
#include "output.h"
#include "site.h"
#include "site_load.h"
#include "theme.h"
#include "xalloc.h"

/* The cache stores the texts render_prepare() makes, in its order. */
_Static_assert(CACHE_TEXTS == RENDER_TEXTS &&
		       CACHE_TEXT_ANSWERS == RENDER_TEXT_ANSWERS &&
		       CACHE_TEXT_SEARCH == RENDER_TEXT_SEARCH &&
		       CACHE_TEXT_CODE == RENDER_TEXT_CODE,
	       "the cache's texts are render's");

void incr_open(struct incr *inc, const char *cache_path, int use)
{
	memset(inc, 0, sizeof(*inc));
	if (use)
		cache_load(&inc->cache, cache_path);
	pthread_mutex_init(&inc->lock, NULL);
}

void incr_release(struct incr *inc)
{
	size_t i;

	for (i = 0; i < inc->n_ch; i++)
		cache_chapter_release(&inc->ch[i]);
	free(inc->ch);
	cache_cover_release(&inc->epub.cover);
	cache_release(&inc->cache);
	pthread_mutex_destroy(&inc->lock);
	memset(inc, 0, sizeof(*inc));
}

/* The entry of chapter `c`, the table made the first time (the loader's
 * threads call the hooks once the chapters are listed). */
static struct cache_chapter *incr_entry(struct incr *inc, const struct site *s,
					const struct chapter *c)
{
	pthread_mutex_lock(&inc->lock);
	if (!inc->ch) {
		inc->n_ch = s->n_chapters;
		inc->ch = xcalloc(inc->n_ch + 1, sizeof(*inc->ch));
	}
	pthread_mutex_unlock(&inc->lock);
	return &inc->ch[c - s->chapters];
}

/* The hooks of site_load_with(), thread-safe for different chapters:
 * take() fills chapter `c` from the cache when its file did not change;
 * parsed() makes the texts of a chapter parsed now. */
static int incr_take(void *ctx, struct site *s, struct chapter *c,
		     const char *full)
{
	struct incr *inc = ctx;
	struct cache_chapter *cc = incr_entry(inc, s, c);
	int r = cache_take_chapter(&inc->cache, s, c, full, cc);

	if (r < 0)
		cache_chapter_release(cc); /* the chapter is parsed */
	return r;
}

static void incr_parsed(void *ctx, struct site *s, struct chapter *c)
{
	struct incr *inc = ctx;
	struct cache_chapter *cc = incr_entry(inc, s, c);
	char *texts[RENDER_TEXTS];
	int t;

	if (cc->taken || !c->doc)
		return;
	render_prepare(s, c, texts);
	for (t = 0; t < RENDER_TEXTS; t++) {
		cc->text[t].ptr = texts[t];
		cc->text[t].len = strlen(texts[t]);
		cc->text[t].hash = hash_mix(HASH_SEED, texts[t],
					    (size_t)cc->text[t].len + 1);
	}
}

/* The drafts left out: the table follows the chapters. */
static void incr_kept(void *ctx, const size_t *from, size_t n, size_t before)
{
	struct incr *inc = ctx;
	size_t i, k = 0;

	if (!inc->ch)
		return;
	for (i = 0; i < before; i++) {
		if (k < n && from[k] == i) {
			if (k != i)
				inc->ch[k] = inc->ch[i];
			k++;
		} else {
			cache_chapter_release(&inc->ch[i]);
		}
	}
	inc->n_ch = n;
}

static void incr_configured(void *ctx, const struct site *s)
{
	struct incr *inc = ctx;

	if (inc->configured)
		inc->configured(inc->configured_ctx, s);
}

int incr_load(struct incr *inc, struct site *s, const char *content_dir,
	      const char *shown_dir, int drafts, struct diag *d)
{
	struct site_hooks hooks;

	memset(&hooks, 0, sizeof(hooks));
	hooks.take = incr_take;
	hooks.parsed = incr_parsed;
	hooks.kept = incr_kept;
	hooks.configured = incr_configured;
	hooks.drafts = drafts;
	hooks.ctx = inc;
	return site_load_with(s, content_dir, shown_dir, &hooks, d);
}

int incr_taken(const struct incr *inc, size_t ci)
{
	return ci < inc->n_ch && inc->ch[ci].taken;
}

const char *incr_text(const struct incr *inc, size_t ci, int t)
{
	return cache_chapter_text(&inc->ch[ci], t);
}

uint64_t incr_text_hash(const struct incr *inc, size_t ci, int t)
{
	return inc->ch[ci].text[t].hash;
}

size_t incr_text_len(const struct incr *inc, size_t ci, int t)
{
	return (size_t)inc->ch[ci].text[t].len;
}

int incr_damaged(const struct incr *inc)
{
	size_t i;

	for (i = 0; i < inc->n_ch; i++)
		if (cache_chapter_damaged(&inc->ch[i]))
			return 1;
	return 0;
}

void incr_body(const struct incr *inc, const struct site *s, size_t ci,
	       enum render_target target, struct buf *out, struct buf *answers)
{
	const struct chapter *c = &s->chapters[ci];
	const char *code = incr_text(inc, ci, INCR_TEXT_CODE);

	render_links(s, c, target, incr_text(inc, ci, (int)target), code, out);
	if (target == RENDER_EPUB && answers)
		render_links(s, c, target,
			     incr_text(inc, ci, INCR_TEXT_ANSWERS), code,
			     answers);
}

uint64_t incr_body_key(const struct incr *inc, const struct site *s, size_t ci,
		       enum render_target target)
{
	/* by the texts' hashes: a text taken from the cache is not even
	 * read */
	uint64_t h = hash_u64(HASH_SEED, incr_text_hash(inc, ci, (int)target));

	if (target == RENDER_EPUB)
		h = hash_u64(h, incr_text_hash(inc, ci, INCR_TEXT_ANSWERS));
	h = hash_u64(h, incr_text_hash(inc, ci, INCR_TEXT_CODE));
	return render_links_key(s, &s->chapters[ci], target, h);
}

uint64_t incr_template_key(const struct theme *t, const char *name)
{
	uint64_t h = build_id_hash();
	size_t i;

	h = hash_str(h, t->name);
	for (i = 0; i < t->n_files; i++) {
		h = hash_str(h, t->files[i].path);
		h = hash_mix(h, t->files[i].data, t->files[i].len);
	}
	return hash_str(h, name);
}

uint64_t incr_page_key(uint64_t tmpl, const char *path, uint64_t ctx)
{
	return hash_u64(hash_str(tmpl, path), ctx);
}

/* ---- the outputs' keys ---- */

int incr_same(const struct incr *inc, const char *path, uint64_t key,
	      uint64_t *content)
{
	const struct cache *k = &inc->cache;
	size_t i;

	if (!strset_get(&k->output_index, path, &i) || k->outputs[i].key != key)
		return 0;
	*content = k->outputs[i].content;
	return 1;
}

/* The segments of `path` the last build noted (NULL when none). */
static const struct cache_segs *incr_segs(const struct incr *inc,
					  const char *path)
{
	size_t i;

	if (!strset_get(&inc->cache.output_index, path, &i))
		return NULL;
	return inc->cache.outputs[i].segs;
}

void incr_note(struct incr_made *m, const char *path, uint64_t key,
	       uint64_t content, struct cache_segs *segs)
{
	struct cache_output *o;

	m->v = xgrow(m->v, sizeof(*m->v), m->n + 1, &m->cap);
	o = &m->v[m->n++];
	o->path = xstrdup(path);
	o->key = key;
	o->content = content;
	o->segs = segs;
}

void incr_note_all_again(const struct incr *inc, struct incr_made *m)
{
	const struct cache *k = &inc->cache;
	size_t i;

	for (i = 0; i < k->n_outputs; i++)
		incr_note(m, k->outputs[i].path, k->outputs[i].key,
			  k->outputs[i].content,
			  cache_segs_copy(k->outputs[i].segs));
}

void incr_made_release(struct incr_made *m)
{
	cache_outputs_free(m->v, m->n);
	memset(m, 0, sizeof(*m));
}

/* ---- files made of a frame and one segment per chapter ----
 *
 * print.html and search-index.js hold every chapter: after a one-chapter
 * edit, the cache knows where each chapter's part lies in the file, and
 * the new file is put together from the old one (copied by the kernel)
 * and the parts that changed. */

/* The content key of a segmented file: of its bytes alone (the frame's
 * and each segment's), however it was made. */
static uint64_t segs_content(const struct cache_segs *sg)
{
	uint64_t h = hash_u64(hash_u64(HASH_SEED, sg->frame_hash), sg->n);
	size_t i;

	for (i = 0; i < sg->n; i++)
		h = hash_u64(h, sg->v[i].hash);
	return h;
}

/* The hash of the bytes of `data` (`len`) outside the segments of
 * `sg`. */
static uint64_t segs_frame_hash(const struct cache_segs *sg, const char *data,
				uint64_t len)
{
	uint64_t h = HASH_SEED, prev = 0;
	size_t i;

	for (i = 0; i < sg->n; i++) {
		h = hash_mix(h, data + prev, (size_t)(sg->v[i].off - prev));
		prev = sg->v[i].off + sg->v[i].len;
	}
	return hash_mix(h, data + prev, (size_t)(len - prev));
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
			 struct cache_segs *sg, const struct incr_seg_maker *mk,
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

/* Patches the published file at `path` (laid out as `old`) into `out`,
 * when it is as the last build left it. Returns 1 when patched. */
static int incr_patch(struct output *o, const char *path,
		      const struct cache_segs *old, struct cache_segs *sg,
		      const struct incr_seg_maker *mk, struct incr_file *out)
{
	char *full = path_join(output_site_dir(o), path);
	struct buf data = BUF_INIT;
	struct fs_piece *pc = NULL;
	struct stat st;
	size_t np, i;
	char *bytes;

	if (stat(full, &st) < 0 || fs_stamp_of(&st) != old->stamp) {
		free(full);
		return 0;
	}
	free(full);
	np = segs_patch(old, (uint64_t)st.st_size, sg, mk, &data, &pc);
	if (!np) {
		buf_release(&data);
		return 0;
	}
	/* the pieces point into `data`, kept as the file's */
	bytes = data.ptr;
	out->data = buf_detach(&data, NULL);
	for (i = 0; i < np; i++)
		if (pc[i].data)
			pc[i].data = out->data + (pc[i].data - bytes);
	out->len = 0;
	out->pieces = pc;
	out->n_pieces = np;
	return 1;
}

int incr_segmented(const struct incr *inc, struct output *o, int patch,
		   const char *path, uint64_t key, uint64_t frame, size_t n,
		   const uint64_t *seg_keys, const struct incr_seg_maker *mk,
		   struct incr_file *out)
{
	const struct cache_segs *old = incr_segs(inc, path);
	int published = output_site_has(o, path);
	struct cache_segs *sg;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (published && incr_same(inc, path, key, &out->content)) {
		out->kept = 1;
		out->segs = cache_segs_copy(old);
		return 0;
	}
	sg = xcalloc(1, sizeof(*sg));
	sg->frame = frame;
	sg->n = n;
	sg->v = xcalloc(n + 1, sizeof(*sg->v));
	for (i = 0; i < n; i++)
		sg->v[i].key = seg_keys[i];
	/* a frame made from the same key holds the same bytes */
	sg->frame_hash = old ? old->frame_hash : 0;
	if (!(patch && old && n && published && old->frame == frame &&
	      old->n == n && incr_patch(o, path, old, sg, mk, out))) {
		struct buf b = BUF_INIT;
		uint64_t *at = xcalloc(2 * n + 2, sizeof(*at));
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
		if (r == 1)
			sg->frame_hash = segs_frame_hash(sg, b.ptr, b.len);
		free(at);
		if (r != 1) {
			cache_segs_free(sg);
			sg = NULL;
		}
		out->data = buf_detach(&b, &out->len);
	}
	out->content = sg ? segs_content(sg)
			  : hash_mix(HASH_SEED, out->data, out->len);
	out->segs = sg;
	return 0;
}
