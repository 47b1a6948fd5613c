#include "cache.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "build_id.h"
#include "cachefmt.h"
#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "site.h"
#include "slug.h"
#include "xalloc.h"

uint64_t cache_world(const struct site *s)
{
	uint64_t h = build_id_hash();

	h = hash_u64(h, (uint64_t)s->cfg.unsafe_html);
	/* the callouts' and quizzes' labels, in the book's language */
	return hash_u64(h, i18n_hash(&s->i18n));
}

const char *cache_chapter_text(const struct cache_chapter *cc, int t)
{
	const struct cache_text *x = &cc->text[t];
	int *checked = (int *)&x->checked; /* set once, atomically */
	int state;

	if (!cc->borrowed || !x->ptr)
		return x->ptr;
	state = compat_load_int(checked);
	if (!state) {
		/* (the cache made sure the text and its NUL are mapped) */
		state = !x->ptr[x->len] &&
					hash_mix(HASH_SEED, x->ptr,
						 (size_t)x->len + 1) == x->hash
				? 1
				: -1;
		compat_store_int(checked, state);
	}
	return state > 0 ? x->ptr : "";
}

int cache_chapter_damaged(const struct cache_chapter *cc)
{
	int t;

	for (t = 0; t < CACHE_TEXTS; t++)
		if (compat_load_int(&cc->text[t].checked) < 0)
			return 1;
	return 0;
}

void cache_chapter_release(struct cache_chapter *cc)
{
	int t;

	if (!cc->borrowed)
		for (t = 0; t < CACHE_TEXTS; t++)
			free((char *)cc->text[t].ptr);
	free(cc->epub.answers);
	free(cc->epub.images);
	memset(cc, 0, sizeof(*cc));
}

/* Maps the first k->pack_len bytes of the pack that goes with the loaded
 * index: the bytes it describes. Anything after them is what a build
 * that did not commit appended (see cache_save_pack()). Returns 0 or
 * -1. */
static int cache_map_pack(struct cache *k, const char *path)
{
	char *pp = cachefmt_pack_path(path);
	struct stat st;
	void *map;
	int fd = open(pp, O_RDONLY | O_CLOEXEC);

	free(pp);
	if (fd < 0)
		return -1;
	if (k->pack_len < CACHEFMT_PACK_HEAD || fstat(fd, &st) < 0 ||
	    (uint64_t)st.st_size < (uint64_t)k->pack_len) {
		close(fd);
		return -1;
	}
	map = mmap(NULL, k->pack_len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	k->pack = map;
	{
		struct cachefmt_reader r;
		size_t magic = sizeof(CACHEFMT_PACK_MAGIC) - 1;
		cachefmt_reader_init(&r, k->pack + magic, k->pack_len - magic);
		if (memcmp(k->pack, CACHEFMT_PACK_MAGIC,
			   sizeof(CACHEFMT_PACK_MAGIC) - 1) ||
		    cachefmt_get_u64(&r) != k->pack_id || !k->pack_id)
			return -1;
	}
	return 0;
}

/* Maps the index file at `path` into k->data. Mapped, not read: most of
 * it is only looked at, or copied once into the next index (see
 * index_write_chapters()). Returns 0 or -1. */
static int cache_map_index(struct cache *k, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *map = MAP_FAILED;

	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size >= (off_t)sizeof(CACHEFMT_INDEX_MAGIC) - 1)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ,
			   MAP_PRIVATE | COMPAT_MAP_POPULATE, fd, 0);
	if (fd >= 0)
		close(fd);
	if (map == MAP_FAILED)
		return -1;
	k->data = map;
	k->len = (size_t)st.st_size;
	k->data_mapped = 1;
	return 0;
}

/* Reads each chapter's entry: where its record lies (whole in the
 * records' part, from `recs` to `end`), its hash, and where what the last
 * EPUB made of it is. Returns -1 when there cannot be that many entries;
 * a damaged one sets r->bad. */
static int cache_read_chapters(struct cache *k, struct cachefmt_reader *r,
			       size_t recs, size_t end)
{
	size_t n = (size_t)cachefmt_get_u64(r), i;

	/* each chapter's entry takes 56 bytes at least */
	if (r->bad || n > (size_t)(r->end - r->p) / 56)
		return -1;
	k->chapter_at = xcalloc(n + 1, sizeof(*k->chapter_at));
	k->rec_len = xcalloc(n + 1, sizeof(*k->rec_len));
	k->rec_hash = xcalloc(n + 1, sizeof(*k->rec_hash));
	k->epub_at = xcalloc(n + 1, sizeof(*k->epub_at));
	for (i = 0; i < n && !r->bad; i++) {
		uint64_t off = cachefmt_get_u64(r), len = cachefmt_get_u64(r);
		struct cachefmt_reader peek;
		char *file;
		k->rec_hash[i] = cachefmt_get_u64(r);
		if (off < recs || off > end || len > end - off) {
			r->bad = 1;
			break;
		}
		k->chapter_at[i] = (size_t)off;
		k->rec_len[i] = (size_t)len;
		k->epub_at[i] = (size_t)(r->p - k->data);
		cachefmt_skip_chapter_epub(r);
		cachefmt_reader_init(&peek, k->data + off, (size_t)len);
		file = cachefmt_get_str(&peek);
		if (file)
			strset_add(&k->chapters, file, i);
		free(file);
	}
	return 0;
}

/* Reads the outputs the last build made, with their keys and segments. A
 * damaged entry sets r->bad. */
static void cache_read_outputs(struct cache *k, struct cachefmt_reader *r)
{
	size_t n = (size_t)cachefmt_get_u64(r), i, j;

	for (i = 0; i < n && !r->bad; i++) {
		char *p = cachefmt_get_str(r);
		uint64_t key = cachefmt_get_u64(r),
			 content = cachefmt_get_u64(r);
		size_t ns = (size_t)cachefmt_get_u64(r);
		struct cache_segs *segs = NULL;
		if (!p || r->bad ||
		    (ns && ns - 1 > (size_t)(r->end - r->p) / 32)) {
			free(p);
			r->bad = 1;
			break;
		}
		if (ns) {
			segs = xcalloc(1, sizeof(*segs));
			segs->frame = cachefmt_get_u64(r);
			segs->frame_hash = cachefmt_get_u64(r);
			segs->stamp = cachefmt_get_u64(r);
			segs->n = ns - 1;
			segs->v = xcalloc(ns, sizeof(*segs->v));
			for (j = 0; j < segs->n; j++) {
				segs->v[j].key = cachefmt_get_u64(r);
				segs->v[j].hash = cachefmt_get_u64(r);
				segs->v[j].off = cachefmt_get_u64(r);
				segs->v[j].len = cachefmt_get_u64(r);
			}
		}
		k->outputs = xgrow(k->outputs, sizeof(*k->outputs),
				   k->n_outputs + 1, &k->cap_outputs);
		k->outputs[k->n_outputs].path = p;
		k->outputs[k->n_outputs].key = key;
		k->outputs[k->n_outputs].content = content;
		k->outputs[k->n_outputs].segs = segs;
		strset_add(&k->output_index, p, k->n_outputs);
		k->n_outputs++;
	}
}

void cache_load(struct cache *k, const char *path)
{
	const size_t magic = sizeof(CACHEFMT_INDEX_MAGIC) - 1;
	struct cachefmt_reader r;
	uint64_t sum, part;
	size_t recs, i;

	memset(k, 0, sizeof(*k));
	if (cache_map_index(k, path) < 0)
		return;
	if (memcmp(k->data, CACHEFMT_INDEX_MAGIC, magic))
		goto empty;
	cachefmt_reader_init(&r, k->data + magic, k->len - magic);
	/* the checksum (see cachefmt_sum()), the size of the chapters' part;
	 * then, after that part, what indexes it */
	sum = cachefmt_get_u64(&r);
	part = cachefmt_get_u64(&r);
	if (r.bad || part > (uint64_t)(r.end - r.p))
		goto empty;
	recs = (size_t)(r.p - k->data);
	r.p += part;
	if (cachefmt_sum(r.p, (size_t)(r.end - r.p), part) != sum)
		goto empty;
	k->world = cachefmt_get_u64(&r);
	k->epub.stamp = cachefmt_get_u64(&r);
	for (i = 0; i < CACHE_EPUB_DOCS; i++)
		k->epub.doc_keys[i] = cachefmt_get_u64(&r);
	k->epub.cover.key = cachefmt_get_u64(&r);
	k->epub.cover.len = cachefmt_get_u64(&r);
	k->epub.cover.hash = cachefmt_get_u64(&r);
	k->epub.cover.off = cachefmt_get_u64(&r);
	k->pack_id = cachefmt_get_u64(&r);
	k->pack_len = (size_t)cachefmt_get_u64(&r);
	if (cache_read_chapters(k, &r, recs, recs + (size_t)part) < 0)
		goto empty;
	cache_read_outputs(k, &r);
	if (!r.bad && cache_map_pack(k, path) == 0) {
		struct cache_cover *cv = &k->epub.cover;
		if (cv->off >= CACHEFMT_PACK_HEAD && cv->off <= k->pack_len &&
		    cv->len <= k->pack_len - cv->off)
			cv->ptr = k->pack + cv->off;
		else
			memset(cv, 0, sizeof(*cv));
		return;
	}
	cache_release(k);
	return;
empty:
	munmap(k->data, k->len);
	memset(k, 0, sizeof(*k));
}

const char *cache_cover_bytes(const struct cache_cover *cv, size_t *len)
{
	*len = 0;
	if (!cv->key || !cv->ptr ||
	    hash_mix(HASH_SEED, cv->ptr, (size_t)cv->len) != cv->hash)
		return NULL;
	*len = (size_t)cv->len;
	return cv->ptr;
}

void cache_cover_set(struct cache_cover *cv, uint64_t key, char *png,
		     size_t len)
{
	if (key && key == cv->key && cv->ptr &&
	    (!png || (cv->len == len && !memcmp(cv->ptr, png, len)))) {
		free(png); /* the same bytes, kept where they are */
		return;
	}
	cache_cover_release(cv);
	cv->key = key;
	if (key && png) {
		cv->own = png;
		cv->ptr = png;
		cv->len = len;
		cv->hash = hash_mix(HASH_SEED, png, len);
	} else {
		free(png);
	}
}

void cache_cover_release(struct cache_cover *cv)
{
	free(cv->own);
	memset(cv, 0, sizeof(*cv));
}

void cache_segs_free(struct cache_segs *segs)
{
	if (segs) {
		free(segs->v);
		free(segs);
	}
}

struct cache_segs *cache_segs_copy(const struct cache_segs *segs)
{
	struct cache_segs *c;

	if (!segs)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	*c = *segs;
	c->v = xcalloc(segs->n + 1, sizeof(*c->v));
	if (segs->n)
		memcpy(c->v, segs->v, segs->n * sizeof(*c->v));
	return c;
}

void cache_outputs_free(struct cache_output *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		cache_segs_free(v[i].segs);
	}
	free(v);
}

void cache_release(struct cache *k)
{
	if (k->pack)
		munmap((void *)k->pack, k->pack_len);
	if (k->data_mapped)
		munmap(k->data, k->len);
	else
		free(k->data);
	free(k->chapter_at);
	free(k->rec_len);
	free(k->rec_hash);
	free(k->epub_at);
	strset_release(&k->chapters);
	cache_outputs_free(k->outputs, k->n_outputs);
	strset_release(&k->output_index);
	memset(k, 0, sizeof(*k));
}

/* Hashes a file's bytes; 0 with *ok 0 when it cannot be read. */
static uint64_t cache_hash_file(const char *full, int *ok)
{
	struct buf b = BUF_INIT;
	struct diag quiet;
	uint64_t h = 0;

	diag_init(&quiet);
	*ok = fs_read_file(full, NULL, &b, &quiet) == 0;
	if (*ok)
		h = hash_mix(HASH_SEED, b.ptr, b.len);
	diag_release(&quiet);
	buf_release(&b);
	return h;
}

/* Points the texts of `cc` at the pack, where `at` says they are: in the
 * part of it the index describes, whole with their NUL. They are checked
 * against their hashes when they are read (see cache_chapter_text()), so
 * that the pages of a text no writer needs are not even touched. Sets
 * r->bad when one is not there. */
static void cache_borrow_texts(const struct cache *k,
			       const struct cachefmt_text_at *at,
			       struct cache_chapter *cc,
			       struct cachefmt_reader *r)
{
	int t;

	cc->borrowed = 1;
	for (t = 0; t < CACHE_TEXTS; t++) {
		struct cache_text *x = &cc->text[t];
		if (at[t].off < CACHEFMT_PACK_HEAD || at[t].off > k->pack_len ||
		    at[t].len >= k->pack_len - at[t].off) {
			r->bad = 1;
			return;
		}
		x->off = at[t].off;
		x->len = at[t].len;
		x->hash = at[t].hash;
		x->ptr = k->pack + x->off;
	}
}

int cache_take_chapter(struct cache *k, struct site *s, struct chapter *c,
		       const char *full, struct cache_chapter *cc)
{
	struct cachefmt_reader r;
	struct stat st;
	size_t idx, i;
	uint64_t size, mtime, ctime, hash;
	const char *rec;
	struct cachefmt_text_at at[CACHE_TEXTS];
	int same_rec = 1;

	if (!k->data || k->world != cache_world(s) ||
	    !strset_get(&k->chapters, c->file, &idx) || stat(full, &st) < 0)
		return 0;
	rec = k->data + k->chapter_at[idx];
	cachefmt_reader_init(&r, rec, k->rec_len[idx]);
	/* a damaged record: that chapter is parsed again */
	if (hash_mix(HASH_SEED, rec, k->rec_len[idx]) != k->rec_hash[idx])
		return 0;
	cachefmt_skip_str(&r);
	size = cachefmt_get_u64(&r);
	mtime = cachefmt_get_u64(&r);
	ctime = cachefmt_get_u64(&r);
	hash = cachefmt_get_u64(&r);
	if (r.bad || size != (uint64_t)st.st_size)
		return 0;
	c->src_size = (long long)st.st_size;
	fs_times(&st, &c->src_mtime_ns, &c->src_ctime_ns);
	c->src_hash = hash;
	/* unchanged when its size and both its times are, as git decides
	 * (an edit can keep the size and put the mtime back, not the
	 * ctime); else its bytes tell */
	if (mtime != (uint64_t)c->src_mtime_ns ||
	    ctime != (uint64_t)c->src_ctime_ns) {
		int ok;
		if (cache_hash_file(full, &ok) != hash || !ok)
			return 0;
		same_rec = 0; /* it holds the old time */
	}
	cachefmt_get_chapter(&r, c, at, CACHE_TEXTS);
	if (!r.bad)
		cache_borrow_texts(k, at, cc, &r);
	if (same_rec && !r.bad && r.p == r.end) {
		cc->rec = rec;
		cc->rec_len = k->rec_len[idx];
		cc->rec_hash = k->rec_hash[idx];
	}
	if (!r.bad) {
		struct cachefmt_reader e;
		cachefmt_reader_init(&e, k->data + k->epub_at[idx],
				     k->len - k->epub_at[idx]);
		cachefmt_get_chapter_epub(&e, &cc->epub);
	}
	if (r.bad)
		return -1;
	chapter_set_names(c);
	/* the files it links to and shows must still be there */
	for (i = 0; i < c->n_links; i++) {
		const struct link *l = &c->links[i];
		char *f;
		int there;
		if (!strcmp(path_ext(l->file), "md"))
			continue;
		f = path_join(s->content_dir, l->file);
		there = fs_is_file(f);
		free(f);
		if (!there)
			return -1;
	}
	c->parsed = 1;
	cc->taken = 1;
	return 1;
}
