/* incremental: what a build takes from the last one, decided in one
 * place.
 *
 * The engine holds what the last build left (the cache, cache.h) and
 * what this build makes of each chapter: the texts the writers read
 * (struct cache_chapter: the chapter's body for each render target with
 * link placeholders, its EPUB quiz answers, its search-index entry),
 * made by render_prepare() for a chapter parsed now or borrowed from the
 * cache's pack for one that did not change. Nothing of it lives in the
 * site model, which the writers only read.
 *
 * Every output is kept, patched or made again by its key, and every key
 * is computed from exactly what the output is made of:
 *   - a page: the hash of the whole template context it receives (built
 *     through context.h by the one function that builds it for the
 *     template, so that no list of its inputs is kept by hand), the
 *     identity of the theme's templates, and its path (incr_page_key());
 *   - a chapter's body in a page: the hash of its stored text and where
 *     each of its links points (incr_body_key());
 *   - a file made of a frame and one segment per chapter (print.html,
 *     the search index): the key of its frame and of each segment; only
 *     the segments whose key changed are made again, the rest is copied
 *     from the published file (incr_segmented()).
 * The writers ask incr_same() whether an output's key is the one the
 * last build recorded, and record theirs in a struct incr_made, which the
 * caller hands to the cache (cache_save_index()). */
#ifndef STEPBOOK_INCREMENTAL_H
#define STEPBOOK_INCREMENTAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "render.h"

struct buf;
struct chapter;
struct diag;
struct fs_piece;
struct output;
struct site;
struct theme;

/* The texts of a chapter (CACHE_TEXT_*: RENDER_SITE, RENDER_EPUB and
 * RENDER_PRINT are its bodies). */
#define INCR_TEXT_ANSWERS CACHE_TEXT_ANSWERS
#define INCR_TEXT_SEARCH CACHE_TEXT_SEARCH
#define INCR_TEXT_CODE CACHE_TEXT_CODE

struct incr {
	struct cache cache;       /* the last build's */
	struct cache_chapter *ch; /* this build's, one per chapter, with
				   * what the EPUB made of each */
	size_t n_ch;
	/* what is known of the EPUB on disk: the cache's when its world is
	 * this build's; once this build's EPUB is made, of that one (its
	 * stamp 0 until it is staged) */
	struct cache_epub_book epub;
	pthread_mutex_t lock; /* for making `ch` */
	/* called by incr_load() once the book's configuration is read, as
	 * site_hooks.configured (site_chapters.h) is; set by the caller
	 * after incr_open(), or NULL */
	void (*configured)(void *ctx, const struct site *s);
	void *configured_ctx;
};

/* Opens the engine on the cache at `cache_path` (ignored unless `use`).
 * Release with incr_release(). */
void incr_open(struct incr *inc, const char *cache_path, int use);
void incr_release(struct incr *inc);

/* Loads the book in `content_dir` (shown as `shown_dir`) with
 * site_load_with() (site_load.h), the engine taking part: a chapter whose
 * file did not change is filled from the cache; any other has its texts
 * made as soon as it is parsed (render_prepare()), and its tree freed,
 * so that the book never has every tree in memory at once. `drafts`
 * keeps the chapters marked `draft: true` (--drafts). Returns
 * site_load_with()'s result. */
int incr_load(struct incr *inc, struct site *s, const char *content_dir,
	      const char *shown_dir, int drafts, struct diag *d);
/* Whether chapter `ci` was taken from the cache. */
int incr_taken(const struct incr *inc, size_t ci);

/* Text `t` (CACHE_TEXT_*) of chapter `ci`. A text borrowed from the
 * cache's pack is checked against the hash the cache recorded the first
 * time it is read, on whichever thread: a damaged one reads as "", and
 * incr_damaged() then says so, for the build to be made again without
 * the cache. */
const char *incr_text(const struct incr *inc, size_t ci, int t);
/* Its hash (hash_str()) and length, without reading it. */
uint64_t incr_text_hash(const struct incr *inc, size_t ci, int t);
size_t incr_text_len(const struct incr *inc, size_t ci, int t);
/* Whether a text read from the cache was damaged. */
int incr_damaged(const struct incr *inc);

/* Appends chapter `ci`'s body for `target` to `out`, its links pointing
 * where they should (render_links()); for RENDER_EPUB, its quiz answer
 * notes go to `answers` (may be NULL). */
void incr_body(const struct incr *inc, const struct site *s, size_t ci,
	       enum render_target target, struct buf *out, struct buf *answers);
/* The key of what incr_body() appends for `target` (with the answers
 * for RENDER_EPUB): the stored texts' hashes and where each link
 * points. */
uint64_t incr_body_key(const struct incr *inc, const struct site *s, size_t ci,
		       enum render_target target);

/* The identity of theme `t`'s template `name`: stepbook's version, the
 * theme and every file of it (a template may include any other). */
uint64_t incr_template_key(const struct theme *t, const char *name);
/* The key of the page at `path` rendered by the template of key `tmpl`
 * from a context of hash `ctx` (ctx_end()). */
uint64_t incr_page_key(uint64_t tmpl, const char *path, uint64_t ctx);

/* The keys of the outputs this build made, for the cache. */
struct incr_made {
	struct cache_output *v;
	size_t n, cap;
};

/* Whether the last build made `path` from `key`; if so *content is the
 * hash of its bytes. */
int incr_same(const struct incr *inc, const char *path, uint64_t key,
	      uint64_t *content);
/* Notes that this build made `path` from `key`, with bytes hashing to
 * `content` and, for a segmented file, the segments `segs` (taken
 * over; may be NULL). */
void incr_note(struct incr_made *m, const char *path, uint64_t key,
	       uint64_t content, struct cache_segs *segs);
/* Notes again every output the last build noted (a build that did not
 * write the site keeps its keys). */
void incr_note_all_again(const struct incr *inc, struct incr_made *m);
void incr_made_release(struct incr_made *m);

/* ---- files made of a frame and one segment per chapter ---- */

struct incr_seg_maker {
	/* Appends the whole file to `out`; sets at[2i], at[2i+1] to where
	 * segment i starts and ends. Returns 1 when the file is one segment
	 * per chapter in order, 0 when it is not (then it is not patched
	 * later), -1 on error (recorded). */
	int (*full)(void *ctx, struct buf *out, uint64_t *at);
	/* Appends segment i alone to `out`. */
	void (*seg)(void *ctx, size_t i, struct buf *out);
	void *ctx;
};

/* What incr_segmented() decided for a file. */
struct incr_file {
	int kept;   /* the published file as it is */
	char *data; /* else its new bytes (the caller's) ... */
	size_t len;
	struct fs_piece *pieces; /* ... or, with pieces, the new segments
				  * that the pieces point into */
	size_t n_pieces;
	uint64_t content;        /* the file's content key */
	struct cache_segs *segs; /* its segments (the caller's: to note),
				  * or NULL */
};

/* Decides how to make the file `path` of the site staged in `o`, of
 * `key` (the whole file's), whose frame has the key `frame` and whose
 * `n` segments have `seg_keys`: kept when the last build made it from
 * `key` and it is published; patched from the published file when only
 * some segments changed and the file is as the last build left it
 * (`patch` allows it); else made whole by `mk`. The content key is made
 * from the frame's key and the segments' hashes, whichever way, so that
 * both ways give the same sw.js. Returns 0, or -1 after `mk` failed. */
int incr_segmented(const struct incr *inc, struct output *o, int patch,
		   const char *path, uint64_t key, uint64_t frame, size_t n,
		   const uint64_t *seg_keys, const struct incr_seg_maker *mk,
		   struct incr_file *out);

#endif
