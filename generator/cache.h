/* cache: what an earlier build learned, kept in the output folder so that
 * the next build redoes only what changed.
 *
 * For every chapter it keeps the file's size, times (modification and
 * change: see cache_take_chapter()) and content hash, and
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
 * it is no longer used. The index says how many bytes of the pack it
 * describes, and never reads past them: a build appends its texts after
 * them, in place, and the index still describes the pack until that
 * build commits a new index (see output.h). Each text is checked against
 * its hash when it is read (chapter_text()). */
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
	const char *pack;          /* the pack, mapped, or NULL */
	size_t pack_len;           /* the bytes of it the index describes */
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
 * file `full` is the one the cache saw: same size, modification time and
 * change time (ctime, which no program can set back), or else the same
 * bytes. Returns 1 when filled, 0 when the chapter must be read and
 * parsed, -1 when the record gave up half-way. */
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
 * rendered, see render_prepare) and this build's page keys takes two
 * steps, which write only to the output's staging folder and to the end
 * of the published pack (past what its index describes).
 * cache_save_pack() only reads the chapters, so it may run on a thread
 * of its own beside the writers: it appends the new texts to the
 * published pack (`path` names the published index, the pack is beside
 * it), or writes a new pack with only the texts in use beside the staged
 * index `staged` when most of the old one is unused, writes the
 * chapters' records into the staged index, and fills `out`.
 * cache_save_index() then ends the index with what the EPUB and the
 * page keys are, once they are known. The caller then has the output
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
int cache_save_pack(struct cache *k, struct site *s, const char *path,
		    const char *staged, struct cache_packed *out);
int cache_save_index(struct cache *k, const struct site *s,
		     struct cache_packed *packed);
/* Undoes cache_save_pack() when the build does not commit: the staged
 * files are removed, and an appended pack is cut back to the bytes its
 * index describes. Frees what `packed` holds. */
void cache_pack_discard(struct cache_packed *packed);
/* Frees what `packed` holds once the output has published it. */
void cache_packed_release(struct cache_packed *packed);

#endif
