/* cachefmt: the bytes of the cache's two files, shared by its reading
 * (cache.c) and its writing (cache_save.c).
 *
 * A number is 8 bytes, least significant first; a string is its length
 * (UINT64_MAX for NULL) and then its bytes. Every read is bounds-checked:
 * a short or damaged file sets the reader's `bad` and yields zeroes and
 * NULLs. A chapter's record is written and read from one table of its
 * fields, so that writing and reading cannot disagree. */
#ifndef STEPBOOK_CACHEFMT_H
#define STEPBOOK_CACHEFMT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct chapter;
struct site;

/* The index file starts with this; a pack file with the other and the
 * pack's id (8 bytes), which the index names. The number goes up when
 * what the cache holds changes meaning (15: the EPUB's texts are the
 * XHTML markdown_xhtml.c makes, no longer cmark-gfm's HTML; 17: the
 * SVG cover's raster is in the pack). */
#define CACHEFMT_INDEX_MAGIC "stepbook cache 18\n"
#define CACHEFMT_PACK_MAGIC "stepbook pack 1\n"
#define CACHEFMT_PACK_HEAD (sizeof(CACHEFMT_PACK_MAGIC) - 1 + 8)
/* The pack is the index's path with this added. */
#define CACHEFMT_PACK_SUFFIX ".pack"

void cachefmt_put_u64(struct buf *b, uint64_t v);
void cachefmt_put_str(struct buf *b, const char *s);

struct cachefmt_reader {
	const char *p, *end;
	int bad;
};

/* Starts reading the `len` bytes at `p`. */
void cachefmt_reader_init(struct cachefmt_reader *r, const char *p, size_t len);
uint64_t cachefmt_get_u64(struct cachefmt_reader *r);
/* Returns a copy (NULL for a NULL string, or when damaged). */
char *cachefmt_get_str(struct cachefmt_reader *r);
void cachefmt_skip_str(struct cachefmt_reader *r);

/* Where the pack holds a text, as a record says: its offset, its length
 * (without the NUL that follows it) and the hash of both. */
struct cachefmt_text_at {
	uint64_t off, len, hash;
};

/* A chapter's record: its file, the source's size, times and hash
 * (written first: they decide whether the rest is read), the model's
 * fields, headings, tasks, links and images, then where the pack holds
 * each of its `n_texts` texts (`at`). */
void cachefmt_put_chapter(struct buf *b, const struct site *s,
			  const struct chapter *c,
			  const struct cachefmt_text_at *at, size_t n_texts);
/* Reads the part of a record cachefmt_put_chapter() wrote after the
 * source's facts into `c` (whose lists are empty) and `at`. Sets r->bad
 * when it does not hold together. */
void cachefmt_get_chapter(struct cachefmt_reader *r, struct chapter *c,
			  struct cachefmt_text_at *at, size_t n_texts);

/* What the last EPUB made of a chapter (write_epub.h's struct
 * epub_chapter_facts, as the cache keeps it), so that an unchanged
 * chapter is not converted again. */
struct cache_epub {
	uint64_t key;  /* of everything its document was made from;
			* 0: not to be reused */
	int flags;     /* EPUB_CHAPTER_* (write_epub.h) */
	char *answers; /* its section of the answers document */
	char *images;  /* images its document shows, one a line */
};

/* A struct cache_epub, in the index's last part, written once the EPUB
 * is. cachefmt_get_chapter_epub() sets e->key to 0 when the entry is
 * damaged or incomplete. */
void cachefmt_put_chapter_epub(struct buf *b, const struct cache_epub *e);
void cachefmt_get_chapter_epub(struct cachefmt_reader *r, struct cache_epub *e);
/* Skips such an entry. */
void cachefmt_skip_chapter_epub(struct cachefmt_reader *r);

/* The index's checksum: of the part after the chapters' records (which
 * holds each record's own hash, checked when the record is read), and of
 * the size of theirs, `part`. */
uint64_t cachefmt_sum(const char *tail, size_t len, uint64_t part);

/* The pack's path beside the index at `path`. */
char *cachefmt_pack_path(const char *path);

#endif
