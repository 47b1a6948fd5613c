/* site_files: the files of the site a build stages, and their writing.
 *
 * write_site lists every file of the new site here: rendered (its
 * bytes), kept (unchanged since the last build: the published file),
 * patched (pieces of the published file and new bytes), or copied.
 * site_files_write() then puts them all in the output's staged site on
 * several threads. A site made from nothing (no published site to start
 * from) is instead handed, file by file as it is made, to a writer
 * thread, so that it is never whole in memory and the kernel's work of
 * creating files overlaps with the rendering. */
#ifndef STEPBOOK_SITE_FILES_H
#define STEPBOOK_SITE_FILES_H

#include <stddef.h>
#include <stdint.h>

struct cache_segs;
struct diag;
struct fs_piece;
struct output;
struct site_stream;

struct site_file {
	char *path; /* relative to the site folder */
	char *data; /* owned, unless `borrowed` */
	size_t len;
	int borrowed;
	int kept;         /* unchanged since the last build: not rendered */
	int streamed;     /* already written to the staging folder: 1, or
			      * -1 when that failed */
	uint64_t content; /* for a kept or streamed file: the hash of its
			      * bytes (the data is gone) */
	int hashed;       /* `content` is the file's content key as it
			      * is (a segmented file: see
			      * incr_segmented()) */
	/* a file patched from its previous version (no `data`): */
	struct fs_piece *pieces;
	size_t n_pieces;
	struct cache_segs *segs; /* its segments, stamped once written */
};

struct site_files {
	struct site_file *v;
	size_t n, cap;
	/* a site made from nothing: each file is handed to `stream` for the
	 * staging folder as soon as it is made, so that the site is never in
	 * memory whole */
	struct site_stream *stream;
};

/* Starts an empty list of the files staged in `o`; with `stream`, each
 * file with bytes is written as soon as it is added. */
void site_files_init(struct site_files *l, struct output *o, int stream);
/* Adds file `path` with `len` bytes of `data` (owned by the list unless
 * `borrowed`; NULL for a file that is kept or patched: the caller then
 * sets the site_file's fields). */
void site_files_add(struct site_files *l, const char *path, char *data,
		    size_t len, int borrowed);
/* The same for owned bytes whose hash (hash_mix() from HASH_SEED) the
 * caller has: `content`. */
void site_files_add_hashed(struct site_files *l, const char *path, char *data,
			   size_t len, uint64_t content);
/* The hash of the bytes (or the content key) of file `f`. */
uint64_t site_file_content(const struct site_file *f);
/* Waits for the streamed files to be written; their problems go to
 * `d`. */
void site_files_finish(struct site_files *l, struct diag *d);
/* Puts every file of `l` in the staged site. Returns the status of
 * each (the caller's: 2 patched, 1 written, 0 unchanged, -1 failed);
 * problems go to `d`. */
int *site_files_write(const struct site_files *l, struct output *o,
		      struct diag *d);
void site_files_release(struct site_files *l);

#endif
