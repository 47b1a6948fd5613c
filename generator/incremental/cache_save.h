/* cache_save: writing the cache (cache.h) that the next build reads:
 * the chapters' texts into the pack, and a new index with their records
 * and this build's output keys.
 *
 * It takes two steps, which write only to the output's staging folder
 * and to the end of the published pack (past what its index describes).
 * cache_save_pack() only reads the chapters, so it may run on a thread of
 * its own beside the writers: it appends the new texts to the published
 * pack (`path` names the published index, the pack is beside it), or
 * writes a new pack with only the texts in use beside the staged index
 * `staged` when most of the old one is unused, writes the chapters'
 * records into the staged index, and fills `out`. cache_save_index()
 * then ends the index with what the EPUB and the output keys (`made`)
 * are, once they are known, after adding the SVG cover's raster to the
 * pack unless it is there already. The caller then has the output publish the
 * new pack (when out->new_pack) and the index. Each returns 0, or -1 with
 * errno set (cache_save_pack() then undoes what it did, as
 * cache_save_discard()). */
#ifndef STEPBOOK_CACHE_SAVE_H
#define STEPBOOK_CACHE_SAVE_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"

struct site;

struct cache_save {
	size_t n_chapters;
	uint64_t pack_id;  /* the pack the index goes with */
	uint64_t pack_len; /* ... the bytes of it the index describes */
	char *new_pack;    /* a new pack, staged, or NULL; */
	char *pack;        /* else the published pack, appended to after */
	uint64_t old_len;  /* ... this many bytes */
	/* the staged index, its chapters' records written, still open */
	char *idx;
	int idx_fd;        /* or -1 */
	long idx_step;     /* its step (fs_step_begin()) */
	uint64_t idx_part; /* the records' size */
	uint64_t *recs;    /* each one's offset, size and hash */
};

int cache_save_pack(const struct cache *k, const struct site *s,
		    const struct cache_chapter *ch, const char *path,
		    const char *staged, struct cache_save *out);
/* Writes the rest of the staged index: the world, what is known of the
 * EPUB (`epub`, and each chapter's facts in `ch`, one per chapter of
 * `s`), and the outputs `made`; then closes it. Returns 0 or -1. */
int cache_save_index(const struct site *s, const struct cache_epub_book *epub,
		     const struct cache_chapter *ch,
		     const struct cache_output *made, size_t n_made,
		     struct cache_save *packed);
/* Undoes cache_save_pack() when the build does not commit: the staged
 * files are removed, and an appended pack is cut back to the bytes its
 * index describes. Frees what `packed` holds. */
void cache_save_discard(struct cache_save *packed);
/* Frees what `packed` holds once the output has published it. */
void cache_save_release(struct cache_save *packed);

#endif
