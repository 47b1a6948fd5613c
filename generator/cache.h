/* cache: what an earlier build learned, kept in the output folder so that
 * the next build redoes only what changed.
 *
 * For every chapter it keeps the file's size, times (modification and
 * change: see cache_take_chapter()) and content hash, and
 * everything the writers need of the chapter (front matter, headings,
 * task items, links, images, reading time, and the texts made of it,
 * struct cache_chapter), so an unchanged chapter is not read or parsed
 * again; and what the EPUB made of it, with the stamp of that EPUB
 * (struct chapter_epub), so that its document is not converted again.
 * For every output written it keeps the key it was made from and a hash
 * of its bytes (struct cache_output; the keys are incremental.h's), so
 * that an output whose inputs did not change is not made again.
 *
 * This module is the file format: reading, writing and the pack. What is
 * taken from it, and when, is decided by incremental.h.
 *
 * The cache is a speed-up only: a missing, damaged or foreign cache (other
 * version of stepbook, other unsafe_html) is ignored and the build gives
 * exactly the output of a clean build. */
#ifndef STEPBOOK_CACHE_H
#define STEPBOOK_CACHE_H

#include <stddef.h>
#include <stdint.h>

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
#define CACHE_PACK_SUFFIX ".pack"

/* A file made of a frame and one segment per chapter (print.html,
 * search-index.js): where each segment lies, so that the next build can
 * rewrite only the segments that changed (see fs_write_pieces()). */
struct cache_seg {
	uint64_t key;          /* what the segment was made from */
	uint64_t hash;         /* of its bytes */
	uint64_t off, len;     /* in the file */
};

struct cache_segs {
	uint64_t frame;        /* what the rest of the file was made from */
	uint64_t frame_hash;   /* ... and the hash of its bytes */
	uint64_t stamp;        /* the file's size, time and inode, hashed */
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
#define CACHE_TEXTS 5

struct cache_text {
	const char *ptr;       /* NUL-terminated; owned unless borrowed */
	uint64_t len, hash;    /* its length and hash_str() */
	uint64_t off;          /* where the pack holds it, when borrowed */
	int checked;           /* borrowed: 0 not read yet, 1 good, -1
				* damaged (see cache_chapter_text()) */
};

/* What this build has of a chapter besides the model: its texts, either
 * made now or borrowed from the pack (the cache's mapping, not to be
 * freed), and, when taken from the cache, its record there. */
struct cache_chapter {
	struct cache_text text[CACHE_TEXTS];
	int borrowed;
	int taken;             /* filled from the cache, not parsed */
	/* its record in the index, to be written again as it is (see
	 * index_write_chapters()), or NULL when it would not be the same */
	const char *rec;
	size_t rec_len;
	uint64_t rec_hash;
};

/* Text `t` of `cc` (NULL when not made). A borrowed text is checked
 * against its recorded hash the first time it is read, on whichever
 * thread: a damaged one reads as "". */
const char *cache_chapter_text(const struct cache_chapter *cc, int t);
/* Whether a borrowed text of `cc` was read and found damaged. */
int cache_chapter_damaged(const struct cache_chapter *cc);
/* Frees the texts `cc` owns. */
void cache_chapter_release(struct cache_chapter *cc);

struct cache {
	uint64_t world;            /* the world the file was made in */
	uint64_t epub_stamp;       /* the EPUB its chapters' facts are of */
	uint64_t epub_doc_keys[SITE_EPUB_DOCS];
	char *data;                /* the index file's bytes */
	int data_mapped;           /* ... mapped (else allocated) */
	size_t len;
	uint64_t pack_id;          /* the pack the index goes with */
	const char *pack;          /* the pack, mapped, or NULL */
	size_t pack_len;           /* the bytes of it the index describes */
	size_t *chapter_at;        /* offset of each chapter record */
	size_t *rec_len;           /* ... its size */
	uint64_t *rec_hash;        /* ... and its hash */
	size_t *epub_at;           /* ... and of what the EPUB made of it */
	struct strset chapters;    /* chapter file -> record index */
	/* the outputs the last build made */
	struct cache_output *outputs;
	size_t n_outputs, cap_outputs;
	struct strset output_index;    /* path -> index in outputs */
};

/* The world key: stepbook's version and the settings every rendered body
 * depends on. */
uint64_t cache_world(int unsafe_html);

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

/* Writing the cache for the loaded site `s`, the texts `ch` of each of
 * its chapters, and this build's output keys takes two
 * steps, which write only to the output's staging folder and to the end
 * of the published pack (past what its index describes).
 * cache_save_pack() only reads the chapters, so it may run on a thread
 * of its own beside the writers: it appends the new texts to the
 * published pack (`path` names the published index, the pack is beside
 * it), or writes a new pack with only the texts in use beside the staged
 * index `staged` when most of the old one is unused, writes the
 * chapters' records into the staged index, and fills `out`.
 * cache_save_index() then ends the index with what the EPUB and the
 * output keys (`made`) are, once they are known. The caller then has the output
 * publish the new pack (when out->new_pack) and the index. Each
 * returns 0, or -1 with errno set (cache_save_pack() then undoes what it
 * did, as cache_pack_discard()). */
struct cache_packed {
	size_t n_chapters;
	uint64_t pack_id;           /* the pack the index goes with */
	uint64_t pack_len;          /* ... the bytes of it the index
				     * describes */
	char *new_pack;             /* a new pack, staged, or NULL; */
	char *pack;                 /* else the published pack, appended
				     * to after */
	uint64_t old_len;           /* ... this many bytes */
	/* the staged index, its chapters' records written, still open */
	char *idx;
	int idx_fd;                 /* or -1 */
	long idx_step;              /* its step (fs_step_begin()) */
	uint64_t idx_part;          /* the records' size */
	uint64_t *recs;             /* each one's offset, size and hash */
};
int cache_save_pack(const struct cache *k, const struct site *s,
		    const struct cache_chapter *ch, const char *path,
		    const char *staged, struct cache_packed *out);
int cache_save_index(const struct site *s, const struct cache_output *made,
		     size_t n_made, struct cache_packed *packed);
/* Undoes cache_save_pack() when the build does not commit: the staged
 * files are removed, and an appended pack is cut back to the bytes its
 * index describes. Frees what `packed` holds. */
void cache_pack_discard(struct cache_packed *packed);
/* Frees what `packed` holds once the output has published it. */
void cache_packed_release(struct cache_packed *packed);

#endif
