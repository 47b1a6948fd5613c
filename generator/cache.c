#include "cache.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "site.h"
#include "slug.h"
#include "xalloc.h"

#define CACHE_MAGIC "stepbook cache 12\n"
#define PACK_MAGIC "stepbook pack 1\n"
#define PACK_HEAD (sizeof(PACK_MAGIC) - 1 + 8)
#define N_TEXTS 5     /* body x 3, answers, search */

uint64_t cache_world(int unsafe_html)
{
	uint64_t h = hash_str(HASH_SEED, "stepbook " STEPBOOK_VERSION);
	return hash_u64(h, (uint64_t)unsafe_html);
}

/* ---- writing ---- */

static void put_u64(struct buf *b, uint64_t v)
{
	unsigned char x[8];
	int k;

	for (k = 0; k < 8; k++)
		x[k] = (unsigned char)(v >> (8 * k));
	buf_add(b, x, 8);
}

static void put_str(struct buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	put_u64(b, s ? (uint64_t)len : UINT64_MAX);
	buf_add(b, s ? s : "", len);
}

/* ---- reading: every read is bounds-checked; a short or damaged file
 * sets `bad` and yields zeroes ---- */

struct reader {
	const char *p, *end;
	int bad;
};

static uint64_t get_u64(struct reader *r)
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

/* Returns a copy (NULL for a NULL string, or when damaged). */
static char *get_str(struct reader *r)
{
	uint64_t len = get_u64(r);
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

static void skip_str(struct reader *r)
{
	uint64_t len = get_u64(r);

	if (r->bad || len == UINT64_MAX)
		return;
	if ((uint64_t)(r->end - r->p) < len)
		r->bad = 1;
	else
		r->p += len;
}

static size_t get_size(struct reader *r)
{
	uint64_t v = get_u64(r);
	return v == UINT64_MAX ? SITE_NONE : (size_t)v;
}

static void put_size(struct buf *b, size_t v)
{
	put_u64(b, v == SITE_NONE ? UINT64_MAX : (uint64_t)v);
}

/* ---- chapters ---- */

static void put_chapter(struct buf *b, const struct site *s,
			const struct chapter *c, const struct chapter_kept *kept)
{
	size_t i;
	int t;

	put_str(b, c->file);
	/* a chapter that gave warnings gets a size no file has, so that
	 * the next build parses it again and gives them again */
	put_u64(b, c->warned ? UINT64_MAX : (uint64_t)c->src_size);
	put_u64(b, (uint64_t)c->src_mtime_ns);
	put_u64(b, (uint64_t)c->src_ctime_ns);
	put_u64(b, c->src_hash);
	put_str(b, c->fm.title);
	put_str(b, c->fm.summary);
	put_str(b, c->fm.slug);
	put_u64(b, (uint64_t)c->fm.step);
	put_str(b, c->fm.params_json ? c->fm.params_json : "{}");
	put_u64(b, (uint64_t)c->fm.body_line);
	put_str(b, c->slug);
	put_u64(b, (uint64_t)c->words);
	put_u64(b, (uint64_t)c->minutes);
	put_u64(b, c->toc_hash);
	put_u64(b, c->tasks_hash);
	put_u64(b, c->n_headings);
	for (i = 0; i < c->n_headings; i++) {
		put_u64(b, (uint64_t)c->headings[i].level);
		put_str(b, c->headings[i].id);
		put_str(b, c->headings[i].text);
		put_u64(b, (uint64_t)c->headings[i].line);
	}
	put_u64(b, c->n_tasks);
	for (i = 0; i < c->n_tasks; i++) {
		put_str(b, c->tasks[i].id);
		put_str(b, c->tasks[i].text);
		put_str(b, c->tasks[i].html);
		put_size(b, c->tasks[i].heading);
		put_u64(b, (uint64_t)c->tasks[i].checked);
		put_u64(b, (uint64_t)c->tasks[i].line);
	}
	put_u64(b, c->n_links);
	for (i = 0; i < c->n_links; i++) {
		const struct link *l = &c->links[i];
		/* as before resolution: a chapter link names its file */
		put_str(b, l->chapter != SITE_NONE ? s->chapters[l->chapter].file
						   : l->file);
		put_u64(b, l->chapter != SITE_NONE);
		put_str(b, l->fragment);
		put_size(b, l->from_heading);
		put_u64(b, (uint64_t)l->line);
		put_u64(b, (uint64_t)l->col);
	}
	put_u64(b, c->n_images);
	for (i = 0; i < c->n_images; i++)
		put_str(b, c->images[i]);
	for (t = 0; t < N_TEXTS; t++) {
		put_u64(b, kept[t].off);
		put_u64(b, kept[t].len);
		put_u64(b, kept[t].hash);
	}
}

/* What the last EPUB made of a chapter: in the index's last part, which
 * is written once the EPUB is. */
static void put_chapter_epub(struct buf *b, const struct chapter *c)
{
	put_u64(b, c->epub.key);
	put_u64(b, (uint64_t)c->epub.flags);
	put_str(b, c->epub.answers);
	put_str(b, c->epub.images);
}

/* The index's checksum: of the part after the chapters' records (which
 * holds each record's own hash, checked when the record is read), and of
 * the size of theirs. */
static uint64_t cache_sum(const char *tail, size_t len, uint64_t part)
{
	return hash_u64(hash_mix(HASH_SEED, tail, len), part);
}

static char *pack_path(const char *path)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, path);
	buf_adds(&b, CACHE_PACK_SUFFIX);
	return buf_detach(&b, NULL);
}

/* Maps the first k->pack_len bytes of the pack that goes with the loaded
 * index: the bytes it describes. Anything after them is what a build
 * that did not commit appended (see cache_save_pack()). Returns 0 or
 * -1. */
static int cache_map_pack(struct cache *k, const char *path)
{
	char *pp = pack_path(path);
	struct stat st;
	void *map;
	int fd = open(pp, O_RDONLY | O_CLOEXEC);

	free(pp);
	if (fd < 0)
		return -1;
	if (k->pack_len < PACK_HEAD || fstat(fd, &st) < 0 ||
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
		struct reader r;
		r.p = k->pack + sizeof(PACK_MAGIC) - 1;
		r.end = k->pack + k->pack_len;
		r.bad = 0;
		if (memcmp(k->pack, PACK_MAGIC, sizeof(PACK_MAGIC) - 1) ||
		    get_u64(&r) != k->pack_id || !k->pack_id)
			return -1;
	}
	return 0;
}

void cache_load(struct cache *k, const char *path)
{
	struct diag quiet;
	struct reader r;
	size_t n, i;

	memset(k, 0, sizeof(*k));
	diag_init(&quiet);
	/* mapped, not read: most of it is only looked at, or copied once
	 * into the next index (see index_write_chapters()) */
	{
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		void *map = MAP_FAILED;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size >= (off_t)sizeof(CACHE_MAGIC) - 1)
			map = mmap(NULL, (size_t)st.st_size, PROT_READ,
				   MAP_PRIVATE | COMPAT_MAP_POPULATE, fd, 0);
		if (fd >= 0)
			close(fd);
		if (map == MAP_FAILED)
			goto empty;
		k->data = map;
		k->len = (size_t)st.st_size;
		k->data_mapped = 1;
	}
	if (memcmp(k->data, CACHE_MAGIC, sizeof(CACHE_MAGIC) - 1))
		goto empty;
	r.p = k->data + sizeof(CACHE_MAGIC) - 1;
	r.end = k->data + k->len;
	r.bad = 0;
	/* the checksum (see cache_sum()), the size of the chapters' part;
	 * then, after that part, what indexes it */
	{
		uint64_t sum = get_u64(&r), part = get_u64(&r);
		size_t recs, end;
		if (r.bad || part > (uint64_t)(r.end - r.p))
			goto empty;
		recs = (size_t)(r.p - k->data);
		end = recs + (size_t)part;
		r.p += part;
		if (cache_sum(r.p, (size_t)(r.end - r.p), part) != sum)
			goto empty;
		k->world = get_u64(&r);
		k->epub_stamp = get_u64(&r);
		for (i = 0; i < SITE_EPUB_DOCS; i++)
			k->epub_doc_keys[i] = get_u64(&r);
		k->pack_id = get_u64(&r);
		k->pack_len = (size_t)get_u64(&r);
		n = (size_t)get_u64(&r);
		/* each chapter's entry takes 56 bytes at least */
		if (r.bad || n > (size_t)(r.end - r.p) / 56)
			goto empty;
		k->chapter_at = xcalloc(n + 1, sizeof(*k->chapter_at));
		k->rec_len = xcalloc(n + 1, sizeof(*k->rec_len));
		k->rec_hash = xcalloc(n + 1, sizeof(*k->rec_hash));
		k->epub_at = xcalloc(n + 1, sizeof(*k->epub_at));
		for (i = 0; i < n && !r.bad; i++) {
			uint64_t off = get_u64(&r), len = get_u64(&r);
			struct reader peek;
			char *file;
			k->rec_hash[i] = get_u64(&r);
			/* where its record lies: whole in the records' part */
			if (off < recs || off > end || len > end - off) {
				r.bad = 1;
				break;
			}
			k->chapter_at[i] = (size_t)off;
			k->rec_len[i] = (size_t)len;
			/* what the last EPUB made of it */
			k->epub_at[i] = (size_t)(r.p - k->data);
			get_u64(&r);
			get_u64(&r);
			skip_str(&r);
			skip_str(&r);
			peek.p = k->data + off;
			peek.end = peek.p + len;
			peek.bad = 0;
			file = get_str(&peek);
			if (file)
				strset_add(&k->chapters, file, i);
			free(file);
		}
	}
	n = (size_t)get_u64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		char *p = get_str(&r);
		uint64_t key = get_u64(&r), content = get_u64(&r);
		size_t ns = (size_t)get_u64(&r), j;
		struct cache_segs *segs = NULL;
		if (!p || r.bad ||
		    (ns && ns - 1 > (size_t)(r.end - r.p) / 32)) {
			free(p);
			r.bad = 1;
			break;
		}
		if (ns) {
			segs = xcalloc(1, sizeof(*segs));
			segs->frame = get_u64(&r);
			segs->stamp = get_u64(&r);
			segs->n = ns - 1;
			segs->v = xcalloc(ns, sizeof(*segs->v));
			for (j = 0; j < segs->n; j++) {
				segs->v[j].key = get_u64(&r);
				segs->v[j].hash = get_u64(&r);
				segs->v[j].off = get_u64(&r);
				segs->v[j].len = get_u64(&r);
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
	if (!r.bad && cache_map_pack(k, path) == 0)
		goto done;
	cache_release(k);
	memset(k, 0, sizeof(*k));
	goto done;
empty:
	if (k->data_mapped)
		munmap(k->data, k->len);
	memset(k, 0, sizeof(*k));
done:
	diag_release(&quiet);
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

static void cache_outputs_free(struct cache_output *v, size_t n)
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
	cache_outputs_free(k->fresh, k->n_fresh);
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

int cache_take_chapter(struct cache *k, struct site *s, struct chapter *c,
		       const char *full)
{
	struct reader r;
	struct stat st;
	size_t idx, i, n;
	uint64_t size, mtime, ctime, hash;
	char *file, *params;
	const char *rec;
	int t, same_rec = 1;

	if (!k->data || k->world != cache_world(s->cfg.unsafe_html) ||
	    !strset_get(&k->chapters, c->file, &idx) || stat(full, &st) < 0)
		return 0;
	rec = r.p = k->data + k->chapter_at[idx];
	r.end = rec + k->rec_len[idx];
	r.bad = 0;
	/* a damaged record: that chapter is parsed again */
	if (hash_mix(HASH_SEED, rec, k->rec_len[idx]) != k->rec_hash[idx])
		return 0;
	file = get_str(&r);
	free(file);
	size = get_u64(&r);
	mtime = get_u64(&r);
	ctime = get_u64(&r);
	hash = get_u64(&r);
	if (r.bad || size != (uint64_t)st.st_size)
		return 0;
	c->src_size = (long long)st.st_size;
	c->src_mtime_ns = (long long)compat_mtime(&st).tv_sec * 1000000000LL +
			  compat_mtime(&st).tv_nsec;
	c->src_ctime_ns = (long long)compat_ctime(&st).tv_sec * 1000000000LL +
			  compat_ctime(&st).tv_nsec;
	c->src_hash = hash;
	/* unchanged when its size and both its times are, as git decides
	 * (an edit can keep the size and put the mtime back, not the
	 * ctime); else its bytes tell */
	if (mtime != (uint64_t)c->src_mtime_ns ||
	    ctime != (uint64_t)c->src_ctime_ns) {
		int ok;
		if (cache_hash_file(full, &ok) != hash || !ok)
			return 0;
		same_rec = 0;   /* it holds the old time */
	}

	c->fm.title = get_str(&r);
	c->fm.summary = get_str(&r);
	c->fm.slug = get_str(&r);
	c->fm.step = (int)get_u64(&r);
	/* parsed only for a page that is rendered (frontmatter_params()) */
	params = get_str(&r);
	c->fm.params = NULL;
	c->fm.params_json = params;
	c->fm.body_line = (int)get_u64(&r);
	c->slug = get_str(&r);
	c->words = (size_t)get_u64(&r);
	c->minutes = (int)get_u64(&r);
	c->toc_hash = get_u64(&r);
	c->tasks_hash = get_u64(&r);
	n = (size_t)get_u64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		struct heading *h;
		c->headings = xgrow(c->headings, sizeof(*c->headings),
				    c->n_headings + 1, &c->cap_headings);
		h = &c->headings[c->n_headings++];
		h->level = (int)get_u64(&r);
		h->id = get_str(&r);
		h->text = get_str(&r);
		h->line = (int)get_u64(&r);
		if (!h->id || !h->text)
			r.bad = 1;
		else
			strset_add(&c->heading_ids, h->id, c->n_headings - 1);
	}
	n = (size_t)get_u64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		struct task *tk;
		c->tasks = xgrow(c->tasks, sizeof(*c->tasks), c->n_tasks + 1,
				 &c->cap_tasks);
		tk = &c->tasks[c->n_tasks++];
		tk->id = get_str(&r);
		tk->text = get_str(&r);
		tk->html = get_str(&r);
		tk->heading = get_size(&r);
		tk->checked = (int)get_u64(&r);
		tk->line = (int)get_u64(&r);
		if (!tk->id || !tk->text || !tk->html)
			r.bad = 1;
	}
	n = (size_t)get_u64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		struct link *l;
		c->links = xgrow(c->links, sizeof(*c->links), c->n_links + 1,
				 &c->cap_links);
		l = &c->links[c->n_links++];
		memset(l, 0, sizeof(*l));
		l->chapter = SITE_NONE;
		l->file = get_str(&r);
		get_u64(&r);
		l->fragment = get_str(&r);
		l->from_heading = get_size(&r);
		l->line = (int)get_u64(&r);
		l->col = (int)get_u64(&r);
		if (!l->file)
			r.bad = 1;
	}
	n = (size_t)get_u64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		char *img = get_str(&r);
		if (!img) {
			r.bad = 1;
			break;
		}
		c->images = xgrow(c->images, sizeof(*c->images),
				  c->n_images + 1, &c->cap_images);
		c->images[c->n_images++] = img;
	}
	c->borrowed = 1;
	for (t = 0; t < N_TEXTS && !r.bad; t++) {
		struct chapter_kept *kp = &c->kept[t];
		const char *text;
		kp->off = get_u64(&r);
		kp->len = get_u64(&r);
		kp->hash = get_u64(&r);
		/* in the part of the pack the index describes, whole with
		 * its NUL; checked against its hash when it is read (see
		 * chapter_text()), so that the pages of a text no writer
		 * needs are not even touched */
		if (r.bad || kp->off < PACK_HEAD || kp->off > k->pack_len ||
		    kp->len >= k->pack_len - kp->off) {
			r.bad = 1;
			break;
		}
		text = k->pack + kp->off;
		if (t < 3) {
			c->body[t] = (char *)text;
			c->body_hash[t] = kp->hash;
		} else if (t == 3) {
			c->answers = (char *)text;
			c->answers_hash = kp->hash;
		} else {
			c->search = (char *)text;
		}
	}
	if (same_rec && !r.bad && r.p == r.end) {
		c->cache_rec = rec;
		c->cache_rec_len = k->rec_len[idx];
		c->cache_rec_hash = k->rec_hash[idx];
	}
	if (!r.bad) {
		struct reader e;
		e.p = k->data + k->epub_at[idx];
		e.end = k->data + k->len;
		e.bad = 0;
		c->epub.key = get_u64(&e);
		c->epub.flags = (int)get_u64(&e);
		c->epub.answers = get_str(&e);
		c->epub.images = get_str(&e);
		if (e.bad)
			c->epub.key = 0;
	}
	if (!c->epub.answers || !c->epub.images)
		c->epub.key = 0;
	if (r.bad || !c->fm.title || !c->fm.summary || !c->slug ||
	    !c->body[0] || !c->body[1] || !c->body[2] || !c->answers ||
	    !c->search)
		return -1;
	{
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s.html", c->slug);
		c->html_name = buf_detach(&b, NULL);
		buf_addf(&b, "%s.xhtml", c->slug);
		c->xhtml_name = buf_detach(&b, NULL);
	}
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
	c->from_cache = 1;
	return 1;
}

int cache_output_same(const struct cache *k, const char *path, uint64_t key,
		      uint64_t *content)
{
	size_t i;

	if (!strset_get(&k->output_index, path, &i) || k->outputs[i].key != key)
		return 0;
	*content = k->outputs[i].content;
	return 1;
}

void cache_output_note(struct cache *k, const char *path, uint64_t key,
		       uint64_t content)
{
	k->fresh = xgrow(k->fresh, sizeof(*k->fresh), k->n_fresh + 1,
			 &k->cap_fresh);
	k->fresh[k->n_fresh].path = xstrdup(path);
	k->fresh[k->n_fresh].key = key;
	k->fresh[k->n_fresh].content = content;
	k->fresh[k->n_fresh].segs = NULL;
	k->n_fresh++;
}

const struct cache_segs *cache_output_segs(const struct cache *k,
					   const char *path)
{
	size_t i;

	if (!strset_get(&k->output_index, path, &i))
		return NULL;
	return k->outputs[i].segs;
}

void cache_output_note_segs(struct cache *k, struct cache_segs *segs)
{
	if (!k->n_fresh) {
		cache_segs_free(segs);
		return;
	}
	cache_segs_free(k->fresh[k->n_fresh - 1].segs);
	k->fresh[k->n_fresh - 1].segs = segs;
}

/* Appends `len` bytes to the pack being written. */
struct pack_out {
	int fd;
	uint64_t size;      /* bytes in the pack, with those buffered */
	struct buf pending;
	int bad;
};

static void pack_write(struct pack_out *po, const char *p, size_t len)
{
	size_t off = 0;

	while (!po->bad && off < len) {
		ssize_t n = write(po->fd, p + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			po->bad = 1;
		else
			off += (size_t)n;
	}
}

static void pack_flush(struct pack_out *po)
{
	pack_write(po, po->pending.ptr, po->pending.len);
	buf_reset(&po->pending);
}

/* Adds text `t` (NUL included) to the pack; fills *kp. */
static void pack_add(struct pack_out *po, const char *t,
		     struct chapter_kept *kp)
{
	size_t len = strlen(t);

	kp->off = po->size;
	kp->len = len;
	kp->hash = hash_mix(HASH_SEED, t, len + 1);
	buf_add(&po->pending, t, len + 1);
	po->size += len + 1;
	if (po->pending.len >= (1u << 20))
		pack_flush(po);
}

/* Writes what is buffered, then the run of old records at *run. */
static void index_put_run(struct pack_out *io, const char **run,
			  size_t *run_len)
{
	if (!*run)
		return;
	pack_flush(io);
	pack_write(io, *run, *run_len);
	*run = NULL;
	*run_len = 0;
}

/* The index's first part, written beside the pack: the header, with
 * room for the checksum and the part's size, then the chapters'
 * records. A record that would be written as it was read is written
 * from the old index's mapping, with the old records next to it, in one
 * go, and keeps its hash. The file (`out->idx`, a staged one) is left
 * open for cache_save_index(), and where each record lies, and its hash,
 * in out->recs. Returns 0 or -1. */
static int index_write_chapters(const struct site *s,
				const struct chapter_kept *kept,
				struct cache_packed *out)
{
	struct pack_out io;
	struct buf rec = BUF_INIT;
	const char *run = NULL;
	size_t run_len = 0, i;
	uint64_t part = 0, at = sizeof(CACHE_MAGIC) - 1 + 16;

	memset(&io, 0, sizeof(io));
	out->idx_step = fs_step_begin();
	if (out->idx_step < 0)
		return -1;
	io.fd = open(out->idx, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (io.fd < 0)
		return -1;
	buf_init(&io.pending);
	buf_grow(&io.pending, (1u << 18) + 4096);
	buf_adds(&io.pending, CACHE_MAGIC);
	put_u64(&io.pending, 0);           /* the checksum */
	put_u64(&io.pending, 0);           /* the size of this part */
	out->recs = xcalloc(3 * s->n_chapters + 1, sizeof(*out->recs));
	for (i = 0; i < s->n_chapters && !io.bad; i++) {
		const struct chapter *c = &s->chapters[i];
		const struct chapter_kept *kp = &kept[i * N_TEXTS];
		uint64_t *rc = &out->recs[3 * i];
		if (c->cache_rec && !memcmp(kp, c->kept, sizeof(c->kept))) {
			rc[0] = at + part;
			rc[1] = c->cache_rec_len;
			rc[2] = c->cache_rec_hash;
			part += c->cache_rec_len;
			if (run && run + run_len == c->cache_rec) {
				run_len += c->cache_rec_len;
				continue;
			}
			index_put_run(&io, &run, &run_len);
			run = c->cache_rec;
			run_len = c->cache_rec_len;
			continue;
		}
		index_put_run(&io, &run, &run_len);
		buf_reset(&rec);
		put_chapter(&rec, s, c, kp);
		rc[0] = at + part;
		rc[1] = rec.len;
		rc[2] = hash_mix(HASH_SEED, rec.ptr, rec.len);
		part += rec.len;
		buf_add(&io.pending, rec.ptr, rec.len);
		if (io.pending.len >= (1u << 18))
			pack_flush(&io);
	}
	index_put_run(&io, &run, &run_len);
	pack_flush(&io);
	buf_release(&io.pending);
	buf_release(&rec);
	if (io.bad) {
		close(io.fd);
		free(out->recs);
		out->recs = NULL;
		return -1;
	}
	out->idx_fd = io.fd;
	out->idx_part = part;
	return 0;
}

/* Opens the published pack to append to it after the k->pack_len bytes
 * the index describes, cutting off what a build that did not commit
 * appended after them. Returns the descriptor, or -1. */
static int pack_open_append(const struct cache *k, const char *pp)
{
	struct stat st;
	int fd = open(pp, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size < k->pack_len ||
	    ((uint64_t)st.st_size > k->pack_len &&
	     ftruncate(fd, (off_t)k->pack_len) < 0) ||
	    lseek(fd, (off_t)k->pack_len, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int cache_save_pack(struct cache *k, struct site *s, const char *path,
		    const char *staged, struct cache_packed *out)
{
	struct pack_out po;
	struct chapter_kept *kept;
	char *pp = pack_path(path);
	uint64_t live = 0, pack_id = k->pack_id;
	size_t i;
	long step;
	int t, append;

	memset(out, 0, sizeof(*out));
	out->idx_fd = -1;
	for (i = 0; i < s->n_chapters; i++)
		if (!s->chapters[i].body[0] || !s->chapters[i].search) {
			free(pp);
			return -1;
		}
	/* append to the mapped pack, unless it is gone or mostly unused */
	for (i = 0; i < s->n_chapters; i++)
		for (t = 0; t < N_TEXTS; t++)
			live += s->chapters[i].borrowed ?
					s->chapters[i].kept[t].len + 1 :
					strlen(chapter_text(&s->chapters[i], t)) + 1;
	append = k->pack && k->pack_len <= 2 * live + (4u << 20);
	memset(&po, 0, sizeof(po));
	buf_init(&po.pending);
	step = fs_step_begin();
	if (step < 0) {
		free(pp);
		return -1;
	}
	if (append) {
		po.fd = pack_open_append(k, pp);
		po.size = k->pack_len;
		if (po.fd < 0)
			append = 0;
	}
	if (!append) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		pack_id = hash_u64(hash_u64(HASH_SEED, (uint64_t)ts.tv_sec),
				   (uint64_t)ts.tv_nsec ^
					   ((uint64_t)getpid() << 32));
		pack_id = hash_u64(pack_id, k->pack_id);
		if (!pack_id)
			pack_id = 1;
		out->new_pack = pack_path(staged);
		po.fd = open(out->new_pack, O_WRONLY | O_CREAT | O_EXCL |
						    O_CLOEXEC, 0644);
		if (po.fd < 0) {
			free(out->new_pack);
			out->new_pack = NULL;
			free(pp);
			return -1;
		}
		buf_adds(&po.pending, PACK_MAGIC);
		put_u64(&po.pending, pack_id);
		po.size = PACK_HEAD;
	} else {
		out->pack = pp;
		out->old_len = k->pack_len;
		pp = NULL;
	}
	free(pp);
	kept = xcalloc(s->n_chapters * N_TEXTS + 1, sizeof(*kept));
	for (i = 0; i < s->n_chapters; i++) {
		struct chapter *c = &s->chapters[i];
		for (t = 0; t < N_TEXTS; t++) {
			struct chapter_kept *kp = &kept[i * N_TEXTS + t];
			if (append && c->borrowed)
				*kp = c->kept[t];   /* already there */
			else
				pack_add(&po, chapter_text(c, t), kp);
		}
	}
	pack_flush(&po);
	buf_release(&po.pending);
	if (close(po.fd) < 0)
		po.bad = 1;
	if (!po.bad)
		fs_step_end(step);
	out->pack_id = pack_id;
	out->pack_len = po.size;
	out->n_chapters = s->n_chapters;
	out->idx = xstrdup(staged);
	if (po.bad || index_write_chapters(s, kept, out) < 0) {
		int err = errno;
		free(kept);
		cache_pack_discard(out);
		errno = err;
		return -1;
	}
	free(kept);
	return 0;
}

void cache_pack_discard(struct cache_packed *packed)
{
	/* the bytes appended go: the pack is as the published index
	 * describes it, byte for byte */
	if (packed->pack && truncate(packed->pack, (off_t)packed->old_len) < 0)
		unlink(packed->pack);   /* the next build parses again */
	if (packed->new_pack)
		unlink(packed->new_pack);
	if (packed->idx)
		unlink(packed->idx);
	cache_packed_release(packed);
}

void cache_packed_release(struct cache_packed *packed)
{
	if (packed->idx_fd >= 0)
		close(packed->idx_fd);
	free(packed->pack);
	free(packed->new_pack);
	free(packed->idx);
	free(packed->recs);
	memset(packed, 0, sizeof(*packed));
	packed->idx_fd = -1;
}

int cache_save_index(struct cache *k, const struct site *s,
		     struct cache_packed *packed)
{
	struct pack_out io;
	size_t i;

	if (packed->idx_fd < 0 || packed->n_chapters != s->n_chapters)
		return -1;
	/* the part after the chapters' records, which the pack's thread
	 * wrote: what this build's EPUB and pages were made from */
	memset(&io, 0, sizeof(io));
	io.fd = packed->idx_fd;
	buf_init(&io.pending);
	put_u64(&io.pending, cache_world(s->cfg.unsafe_html));
	put_u64(&io.pending, s->epub_stamp);
	for (i = 0; i < SITE_EPUB_DOCS; i++)
		put_u64(&io.pending, s->epub_doc_keys[i]);
	put_u64(&io.pending, packed->pack_id);
	put_u64(&io.pending, packed->pack_len);
	put_u64(&io.pending, s->n_chapters);
	for (i = 0; i < s->n_chapters; i++) {
		put_u64(&io.pending, packed->recs[3 * i]);
		put_u64(&io.pending, packed->recs[3 * i + 1]);
		put_u64(&io.pending, packed->recs[3 * i + 2]);
		put_chapter_epub(&io.pending, &s->chapters[i]);
	}
	put_u64(&io.pending, k->n_fresh);
	for (i = 0; i < k->n_fresh; i++) {
		put_str(&io.pending, k->fresh[i].path);
		put_u64(&io.pending, k->fresh[i].key);
		put_u64(&io.pending, k->fresh[i].content);
		if (!k->fresh[i].segs) {
			put_u64(&io.pending, 0);
		} else {
			const struct cache_segs *sg = k->fresh[i].segs;
			size_t j;
			put_u64(&io.pending, sg->n + 1);
			put_u64(&io.pending, sg->frame);
			put_u64(&io.pending, sg->stamp);
			for (j = 0; j < sg->n; j++) {
				put_u64(&io.pending, sg->v[j].key);
				put_u64(&io.pending, sg->v[j].hash);
				put_u64(&io.pending, sg->v[j].off);
				put_u64(&io.pending, sg->v[j].len);
			}
		}
	}
	{
		struct buf head = BUF_INIT;
		put_u64(&head, cache_sum(io.pending.ptr, io.pending.len,
					 packed->idx_part));
		put_u64(&head, packed->idx_part);
		pack_flush(&io);
		if (!io.bad &&
		    pwrite(io.fd, head.ptr, head.len,
			   (off_t)(sizeof(CACHE_MAGIC) - 1)) != (ssize_t)head.len)
			io.bad = 1;
		buf_release(&head);
	}
	buf_release(&io.pending);
	packed->idx_fd = -1;
	if (close(io.fd) < 0 || io.bad)
		return -1;
	fs_step_end(packed->idx_step);
	return 0;
}
