/* cache: what an earlier build learned, kept in the output folder so that
 * the next build redoes only what changed.
 *
 * For every chapter it keeps the file's size, times (modification and
 * change: see cache_take_chapter()) and content hash, and
 * everything the writers need of the chapter (front matter, headings,
 * task items, links, images, reading time, and the texts made of it,
 * struct cache_chapter), so an unchanged chapter is not read or parsed
 * again; and what the EPUB made of it, with the stamp of that EPUB
 * (struct cache_epub), so that its document is not converted again.
 * For every output written it keeps the key it was made from and a hash
 * of its bytes (struct cache_output; the keys are incremental.h's), so
 * that an output whose inputs did not change is not made again.
 *
 * This module reads the cache and holds what was read; cache_save.h
 * writes it, cachefmt.h is the bytes of both files. What is taken from
 * it, and when, is decided by incremental.h.
 *
 * The cache is a speed-up only: a missing, damaged or foreign cache (other
 * version of stepbook, other unsafe_html) is ignored and the build gives
 * exactly the output of a clean build. */
#ifndef STEPBOOK_CACHE_H
#define STEPBOOK_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "cachefmt.h"
#include "site.h"
#include "strset.h"

struct chapter;
struct site;

#define CACHE_FILE ".stepbook-cache"
/* The chapters' rendered texts live beside it, appended to a pack file
 * that is mapped, not read, and rewritten only when more than half of
 * it is no longer used. The index says how many bytes of the pack it
 * describes, and never reads past them: a build appends its texts after
 * them, in place, and the index still describes the pack until that
 * build commits a new index (see output.h). Each text is checked against
 * its hash when it is read (cache_chapter_text()). */
#define CACHE_PACK_SUFFIX CACHEFMT_PACK_SUFFIX

/* A file made of a frame and one segment per chapter (print.html,
 * search-index.js): where each segment lies, so that the next build can
 * rewrite only the segments that changed (see fs_write_pieces()). */
struct cache_seg {
	uint64_t key;      /* what the segment was made from */
	uint64_t hash;     /* of its bytes */
	uint64_t off, len; /* in the file */
};

struct cache_segs {
	uint64_t frame;      /* what the rest of the file was made from */
	uint64_t frame_hash; /* ... and the hash of its bytes */
	uint64_t stamp;      /* the file's size, time and inode, hashed */
	size_t n;
	struct cache_seg *v;
};

/* An output of the site, and the key it was made from. */
struct cache_output {
	char *path;
	uint64_t key, content;
	struct cache_segs *segs; /* or NULL */
};

/* The texts the writers read of a chapter (see incremental.h): its body
 * for each render target (RENDER_SITE, RENDER_EPUB, RENDER_PRINT), then
 * these. */
#define CACHE_TEXT_ANSWERS 3
#define CACHE_TEXT_SEARCH 4
#define CACHE_TEXT_CODE 5
#define CACHE_TEXTS 6

struct cache_text {
	const char *ptr;    /* NUL-terminated; owned unless borrowed */
	uint64_t len, hash; /* its length and hash_str() */
	uint64_t off;       /* where the pack holds it, when borrowed */
	int checked;        /* borrowed: 0 not read yet, 1 good, -1
				* damaged (see cache_chapter_text()) */
};

/* What this build has of a chapter besides the model: its texts, either
 * made now or borrowed from the pack (the cache's mapping, not to be
 * freed), and, when taken from the cache, its record there. */
struct cache_chapter {
	struct cache_text text[CACHE_TEXTS];
	int borrowed;
	int taken; /* filled from the cache, not parsed */
	/* its record in the index, to be written again as it is (see
	 * index_write_chapters()), or NULL when it would not be the same */
	const char *rec;
	size_t rec_len;
	uint64_t rec_hash;
	struct cache_epub epub; /* what the last EPUB made of it */
};

/* The whole-book documents of an EPUB whose keys are kept (write_epub.h's
 * WRITE_EPUB_DOCS). */
#define CACHE_EPUB_DOCS 5

/* The raster of an SVG cover (cover.h), kept in the pack so that a
 * build whose EPUB is gone takes it instead of drawing it again. */
struct cache_cover {
	uint64_t key;       /* what it was made from (write_epub.h's
			     * epub_made.cover_key); 0: none */
	uint64_t len, hash; /* its size and hash_mix() */
	uint64_t off;       /* where the pack holds it; 0: not there yet */
	const char *ptr;    /* its bytes: in the pack's mapping, or `own` */
	char *own;          /* made by this build, to be added to the pack */
};

/* What is known of an EPUB besides its chapters' documents. */
struct cache_epub_book {
	uint64_t stamp; /* fs_stamp() of the file its chapters' facts are
			 * of; 0: nothing known */
	uint64_t doc_keys[CACHE_EPUB_DOCS]; /* 0 each: not to be reused */
	struct cache_cover cover;
};

/* The bytes of `cv`, or NULL when it has none or they are not the ones
 * it recorded (a damaged pack); their size in *len. */
const char *cache_cover_bytes(const struct cache_cover *cv, size_t *len);
/* Makes `cv` the raster made from `key`: `png` (taken, may be NULL when
 * this build did not have its bytes), or kept as it is when it holds
 * that key's bytes already. Key 0: no raster. */
void cache_cover_set(struct cache_cover *cv, uint64_t key, char *png,
		     size_t len);
void cache_cover_release(struct cache_cover *cv);

/* Text `t` of `cc` (NULL when not made). A borrowed text is checked
 * against its recorded hash the first time it is read, on whichever
 * thread: a damaged one reads as "". */
const char *cache_chapter_text(const struct cache_chapter *cc, int t);
/* Whether a borrowed text of `cc` was read and found damaged. */
int cache_chapter_damaged(const struct cache_chapter *cc);
/* Frees the texts `cc` owns, and its EPUB facts. */
void cache_chapter_release(struct cache_chapter *cc);

struct cache {
	uint64_t world;              /* the world the file was made in */
	struct cache_epub_book epub; /* the last EPUB */
	char *data;                  /* the index file's bytes */
	int data_mapped;             /* ... mapped (else allocated) */
	size_t len;
	uint64_t pack_id;       /* the pack the index goes with */
	const char *pack;       /* the pack, mapped, or NULL */
	size_t pack_len;        /* the bytes of it the index describes */
	size_t *chapter_at;     /* offset of each chapter record */
	size_t *rec_len;        /* ... its size */
	uint64_t *rec_hash;     /* ... and its hash */
	size_t *epub_at;        /* ... and of what the EPUB made of it */
	struct strset chapters; /* chapter file -> record index */
	/* the outputs the last build made */
	struct cache_output *outputs;
	size_t n_outputs, cap_outputs;
	struct strset output_index; /* path -> index in outputs */
};

/* The world key: stepbook's version and the settings every rendered body
 * depends on (unsafe_html, the interface strings). */
uint64_t cache_world(const struct site *s);

/* Reads the cache file at `path`. Anything wrong leaves an empty cache;
 * a cache made under another world is not used (cache_take_chapter()
 * checks it against the loaded book). Release with cache_release(). */
void cache_load(struct cache *k, const char *path);
void cache_release(struct cache *k);

/* Fills chapter `c` (whose file and path are set), and its texts in
 * `cc`, from the cache when the file `full` is the one the cache saw:
 * same size, modification time and change time (ctime, which no program
 * can set back), or else the same bytes. Returns 1 when filled, 0 when
 * the chapter must be read and parsed, -1 when the record gave up
 * half-way. */
int cache_take_chapter(struct cache *k, struct site *s, struct chapter *c,
		       const char *full, struct cache_chapter *cc);

struct cache_segs *cache_segs_copy(const struct cache_segs *segs);
void cache_segs_free(struct cache_segs *segs);
/* Frees `n` outputs (their paths and segments) and the array. */
void cache_outputs_free(struct cache_output *v, size_t n);

#endif
