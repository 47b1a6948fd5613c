/* cache: what an earlier build learned, kept in the output folder so that
 * the next build redoes only what changed.
 *
 * For every chapter it keeps the file's size, time and content hash, and
 * everything the writers need of the chapter (front matter, headings,
 * task items, links, images, reading time, and its rendered bodies with
 * link placeholders, see render.h), so an unchanged chapter is not read or
 * parsed again; and what the EPUB made of it, with the stamp of that EPUB
 * (struct chapter_epub), so that its document is not converted again. For every page written it keeps a key of what the page
 * was made from and a hash of its bytes, so a page whose inputs did not
 * change is not rendered again.
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
 * it is no longer used. */
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
	uint64_t stamp;        /* the file's size, time and inode, hashed */
	size_t n;
	struct cache_seg *v;
};

struct cache_output {
	char *path;
	uint64_t key, content;
	struct cache_segs *segs; /* or NULL */
};

struct cache {
	uint64_t world;            /* the world the file was made in */
	uint64_t epub_stamp;       /* the EPUB its chapters' facts are of */
	uint64_t epub_doc_keys[SITE_EPUB_DOCS];
	char *data;                /* the index file's bytes */
	int data_mapped;           /* ... mapped (else allocated) */
	size_t len;
	uint64_t pack_id;          /* the pack the index goes with */
	uint64_t pack_stamp;       /* its size, time and inode, hashed */
	int pack_trusted;          /* it still has that stamp */
	const char *pack;          /* the pack, mapped, or NULL */
	size_t pack_len;
	size_t *chapter_at;        /* offset of each chapter record */
	size_t *rec_len;           /* ... its size */
	uint64_t *rec_hash;        /* ... and its hash */
	size_t *epub_at;           /* ... and of what the EPUB made of it */
	struct strset chapters;    /* chapter file -> record index */
	struct cache_output *outputs;
	size_t n_outputs, cap_outputs;
	struct strset output_index;    /* path -> index in outputs */
	/* the keys of this build's pages, written by cache_save_index() */
	struct cache_output *fresh;
	size_t n_fresh, cap_fresh;
};

/* The world key: stepbook's version and the settings every rendered body
 * depends on. */
uint64_t cache_world(int unsafe_html);

/* Reads the cache file at `path`. Anything wrong leaves an empty cache;
 * a cache made under another world is not used (cache_take_chapter()
 * checks it against the loaded book). Release with cache_release(). */
void cache_load(struct cache *k, const char *path);
void cache_release(struct cache *k);

/* Fills chapter `c` (whose file and path are set) from the cache when the
 * file `full` is the one the cache saw: same size and time, or same
 * content. Returns 1 when filled, 0 when the chapter must be read and
 * parsed. */
int cache_take_chapter(struct cache *k, struct site *s, struct chapter *c,
		       const char *full);

/* Whether the page at `path` was made from `key` by the last build; if so
 * its content hash is stored in *content. */
int cache_output_same(const struct cache *k, const char *path, uint64_t key,
		      uint64_t *content);
/* Notes that this build made `path` from `key`, with bytes hashing to
 * `content`. */
void cache_output_note(struct cache *k, const char *path, uint64_t key,
		       uint64_t content);

/* The segments of `path` the last build noted (NULL when none). */
const struct cache_segs *cache_output_segs(const struct cache *k,
					   const char *path);
/* Adds segments to the output this build noted last (takes `segs`). */
void cache_output_note_segs(struct cache *k, struct cache_segs *segs);
struct cache_segs *cache_segs_copy(const struct cache_segs *segs);
void cache_segs_free(struct cache_segs *segs);

/* Writing the cache for the loaded, prepared site `s` (every chapter
 * rendered, see render_prepare) and this build's page keys to `path`
 * takes two steps. cache_save_pack() only reads the chapters, so it may
 * run on a thread of its own beside the writers: it appends the new texts
 * to the pack (or writes a new pack, under a temporary name, with only
 * the texts in use), writes the chapters' records into a new index under
 * a temporary name, and fills `out`. cache_save_index() then takes (and
 * frees) `out` once the EPUB and the page keys are known: it ends the
 * index with them, names the new pack and replaces the index. A build
 * that stops half-way leaves the old index, which still describes the
 * pack. Each returns 0 or -1 (the cache is then just not written). */
struct cache_packed {
	size_t n_chapters;
	uint64_t pack_id, pack_stamp;
	char *tmp;                  /* a new pack, not yet named, or */
	char *pack;                 /* ... the pack, appended to after */
	uint64_t old_len;           /* ... this many bytes */
	/* the index, its chapters' records written, still open */
	char *idx_tmp;
	int idx_fd;                 /* or -1 */
	uint64_t idx_part;          /* their size */
	uint64_t *recs;             /* each one's offset, size and hash */
};
int cache_save_pack(struct cache *k, const struct site *s, const char *path,
		    struct cache_packed *out);
int cache_save_index(struct cache *k, const struct site *s, const char *path,
		     struct cache_packed *packed);
/* Undoes cache_save_pack() when the build fails: a new pack is removed,
 * an appended one cut back to its old bytes (its stamp changes, so the
 * next build checks its texts). Frees what `packed` holds. */
void cache_pack_discard(struct cache_packed *packed);

#endif
