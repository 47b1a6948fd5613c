#include "cache_save.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "cachefmt.h"
#include "fsutil.h"
#include "hash.h"
#include "site.h"
#include "xalloc.h"

/* Appends `len` bytes to the pack being written. */
struct pack_out {
	int fd;
	uint64_t size; /* bytes in the pack, with those buffered */
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
		     struct cachefmt_text_at *kp)
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

/* Whether the texts of `cc` are where `kp` says (then its old record
 * says it too). */
static int texts_where(const struct cache_chapter *cc,
		       const struct cachefmt_text_at *kp)
{
	int t;

	if (!cc->borrowed)
		return 0;
	for (t = 0; t < CACHE_TEXTS; t++)
		if (cc->text[t].off != kp[t].off ||
		    cc->text[t].len != kp[t].len ||
		    cc->text[t].hash != kp[t].hash)
			return 0;
	return 1;
}

/* The index's first part, written beside the pack: the header, with
 * room for the checksum and the part's size, then the chapters'
 * records. A record that would be written as it was read is written
 * from the old index's mapping, with the old records next to it, in one
 * go, and keeps its hash. The file (`out->idx`, a staged one) is left
 * open for cache_save_index(), and where each record lies, and its hash,
 * in out->recs. Returns 0 or -1. */
static int index_write_chapters(const struct site *s,
				const struct cache_chapter *ch,
				const struct cachefmt_text_at *kept,
				struct cache_save *out)
{
	struct pack_out io;
	struct buf rec = BUF_INIT;
	const char *run = NULL;
	size_t run_len = 0, i;
	uint64_t part = 0, at = sizeof(CACHEFMT_INDEX_MAGIC) - 1 + 16;

	memset(&io, 0, sizeof(io));
	out->idx_step = fs_step_begin();
	if (out->idx_step < 0)
		return -1;
	io.fd = open(out->idx, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (io.fd < 0)
		return -1;
	buf_init(&io.pending);
	buf_grow(&io.pending, (1u << 18) + 4096);
	buf_adds(&io.pending, CACHEFMT_INDEX_MAGIC);
	cachefmt_put_u64(&io.pending, 0); /* the checksum */
	cachefmt_put_u64(&io.pending, 0); /* the size of this part */
	out->recs = xcalloc(3 * s->n_chapters + 1, sizeof(*out->recs));
	for (i = 0; i < s->n_chapters && !io.bad; i++) {
		const struct chapter *c = &s->chapters[i];
		const struct cache_chapter *cc = &ch[i];
		const struct cachefmt_text_at *kp = &kept[i * CACHE_TEXTS];
		uint64_t *rc = &out->recs[3 * i];
		if (cc->rec && texts_where(cc, kp)) {
			rc[0] = at + part;
			rc[1] = cc->rec_len;
			rc[2] = cc->rec_hash;
			part += cc->rec_len;
			if (run && run + run_len == cc->rec) {
				run_len += cc->rec_len;
				continue;
			}
			index_put_run(&io, &run, &run_len);
			run = cc->rec;
			run_len = cc->rec_len;
			continue;
		}
		index_put_run(&io, &run, &run_len);
		buf_reset(&rec);
		cachefmt_put_chapter(&rec, s, c, kp, CACHE_TEXTS);
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

int cache_save_pack(const struct cache *k, const struct site *s,
		    const struct cache_chapter *ch, const char *path,
		    const char *staged, struct cache_save *out)
{
	struct pack_out po;
	struct cachefmt_text_at *kept;
	char *pp = cachefmt_pack_path(path);
	uint64_t live = 0, pack_id = k->pack_id;
	size_t i;
	long step;
	int t, append;

	memset(out, 0, sizeof(*out));
	out->idx_fd = -1;
	for (i = 0; i < s->n_chapters; i++)
		for (t = 0; t < CACHE_TEXTS; t++)
			if (!ch[i].text[t].ptr) {
				free(pp);
				return -1;
			}
	/* append to the mapped pack, unless it is gone or mostly unused */
	for (i = 0; i < s->n_chapters; i++)
		for (t = 0; t < CACHE_TEXTS; t++)
			live += ch[i].text[t].len + 1;
	live += k->epub.cover.len;
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
		out->new_pack = cachefmt_pack_path(staged);
		po.fd = open(out->new_pack,
			     O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (po.fd < 0) {
			free(out->new_pack);
			out->new_pack = NULL;
			free(pp);
			return -1;
		}
		buf_adds(&po.pending, CACHEFMT_PACK_MAGIC);
		cachefmt_put_u64(&po.pending, pack_id);
		po.size = CACHEFMT_PACK_HEAD;
	} else {
		out->pack = pp;
		out->old_len = k->pack_len;
		pp = NULL;
	}
	free(pp);
	kept = xcalloc(s->n_chapters * CACHE_TEXTS + 1, sizeof(*kept));
	for (i = 0; i < s->n_chapters; i++) {
		const struct cache_chapter *cc = &ch[i];
		for (t = 0; t < CACHE_TEXTS; t++) {
			struct cachefmt_text_at *kp = &kept[i * CACHE_TEXTS + t];
			if (append && cc->borrowed) {
				/* already there */
				kp->off = cc->text[t].off;
				kp->len = cc->text[t].len;
				kp->hash = cc->text[t].hash;
			} else {
				pack_add(&po, cache_chapter_text(cc, t), kp);
			}
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
	if (po.bad || index_write_chapters(s, ch, kept, out) < 0) {
		int err = errno;
		free(kept);
		cache_save_discard(out);
		errno = err;
		return -1;
	}
	free(kept);
	return 0;
}

void cache_save_discard(struct cache_save *packed)
{
	/* the bytes appended go: the pack is as the published index
	 * describes it, byte for byte */
	if (packed->pack && truncate(packed->pack, (off_t)packed->old_len) < 0)
		unlink(packed->pack); /* the next build parses again */
	if (packed->new_pack)
		unlink(packed->new_pack);
	if (packed->idx)
		unlink(packed->idx);
	cache_save_release(packed);
}

void cache_save_release(struct cache_save *packed)
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

/* Puts the cover's raster `cv` in the pack the index goes with: where
 * it is, when that pack is the one it was read from, else appended to
 * it (one step). Sets *off to where it lies (0: no raster). Returns 0 or
 * -1. */
static int pack_put_cover(struct cache_save *packed,
			  const struct cache_cover *cv, uint64_t *off)
{
	struct pack_out po;
	long step;

	*off = 0;
	if (!cv->key || !cv->ptr)
		return 0;
	if (!cv->own && packed->pack && cv->off &&
	    cv->off + cv->len <= packed->old_len) {
		*off = cv->off;
		return 0;
	}
	memset(&po, 0, sizeof(po));
	step = fs_step_begin();
	if (step < 0)
		return -1;
	po.fd = open(packed->new_pack ? packed->new_pack : packed->pack,
		     O_WRONLY | O_CLOEXEC);
	if (po.fd < 0 || lseek(po.fd, (off_t)packed->pack_len, SEEK_SET) < 0)
		po.bad = 1;
	pack_write(&po, cv->ptr, (size_t)cv->len);
	if (po.fd >= 0 && close(po.fd) < 0)
		po.bad = 1;
	if (po.bad)
		return -1;
	fs_step_end(step);
	*off = packed->pack_len;
	packed->pack_len += cv->len;
	return 0;
}

int cache_save_index(const struct site *s, const struct cache_epub_book *epub,
		     const struct cache_chapter *ch,
		     const struct cache_output *made, size_t n_made,
		     struct cache_save *packed)
{
	struct pack_out io;
	uint64_t cover_off;
	size_t i;

	if (packed->idx_fd < 0 || packed->n_chapters != s->n_chapters ||
	    pack_put_cover(packed, &epub->cover, &cover_off) < 0)
		return -1;
	/* the part after the chapters' records, which the pack's thread
	 * wrote: what this build's EPUB and pages were made from */
	memset(&io, 0, sizeof(io));
	io.fd = packed->idx_fd;
	buf_init(&io.pending);
	cachefmt_put_u64(&io.pending, cache_world(s));
	cachefmt_put_u64(&io.pending, epub->stamp);
	for (i = 0; i < CACHE_EPUB_DOCS; i++)
		cachefmt_put_u64(&io.pending, epub->doc_keys[i]);
	cachefmt_put_u64(&io.pending, cover_off ? epub->cover.key : 0);
	cachefmt_put_u64(&io.pending, cover_off ? epub->cover.len : 0);
	cachefmt_put_u64(&io.pending, cover_off ? epub->cover.hash : 0);
	cachefmt_put_u64(&io.pending, cover_off);
	cachefmt_put_u64(&io.pending, packed->pack_id);
	cachefmt_put_u64(&io.pending, packed->pack_len);
	cachefmt_put_u64(&io.pending, s->n_chapters);
	for (i = 0; i < s->n_chapters; i++) {
		cachefmt_put_u64(&io.pending, packed->recs[3 * i]);
		cachefmt_put_u64(&io.pending, packed->recs[3 * i + 1]);
		cachefmt_put_u64(&io.pending, packed->recs[3 * i + 2]);
		cachefmt_put_chapter_epub(&io.pending, &ch[i].epub);
	}
	cachefmt_put_u64(&io.pending, n_made);
	for (i = 0; i < n_made; i++) {
		cachefmt_put_str(&io.pending, made[i].path);
		cachefmt_put_u64(&io.pending, made[i].key);
		cachefmt_put_u64(&io.pending, made[i].content);
		if (!made[i].segs) {
			cachefmt_put_u64(&io.pending, 0);
		} else {
			const struct cache_segs *sg = made[i].segs;
			size_t j;
			cachefmt_put_u64(&io.pending, sg->n + 1);
			cachefmt_put_u64(&io.pending, sg->frame);
			cachefmt_put_u64(&io.pending, sg->frame_hash);
			cachefmt_put_u64(&io.pending, sg->stamp);
			for (j = 0; j < sg->n; j++) {
				cachefmt_put_u64(&io.pending, sg->v[j].key);
				cachefmt_put_u64(&io.pending, sg->v[j].hash);
				cachefmt_put_u64(&io.pending, sg->v[j].off);
				cachefmt_put_u64(&io.pending, sg->v[j].len);
			}
		}
	}
	{
		struct buf head = BUF_INIT;
		cachefmt_put_u64(&head,
				 cachefmt_sum(io.pending.ptr, io.pending.len,
					      packed->idx_part));
		cachefmt_put_u64(&head, packed->idx_part);
		pack_flush(&io);
		if (!io.bad && pwrite(io.fd, head.ptr, head.len,
				      (off_t)(sizeof(CACHEFMT_INDEX_MAGIC) -
					      1)) != (ssize_t)head.len)
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
