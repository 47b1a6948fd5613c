/* fsutil: files and paths.
 *
 * Reading is bounded (FS_MAX_FILE); writing is atomic: data goes to a
 * temporary file beside the target, which is then renamed over it, so a
 * reader never sees a half-written file. */
#ifndef STEPBOOK_FSUTIL_H
#define STEPBOOK_FSUTIL_H

#include <stddef.h>
#include <time.h>

struct buf;
struct diag;

/* Largest input file read, in bytes. */
#define FS_MAX_FILE ((size_t)64 << 20)

/* Reads the whole file into `out` (appending). Returns 0, or -1 after
 * recording an error in `d` (missing, unreadable, larger than
 * FS_MAX_FILE). `shown` is the name used in the message (may be NULL: then
 * `path`). */
int fs_read_file(const char *path, const char *shown, struct buf *out,
		 struct diag *d);

/* Writes `len` bytes to `path` atomically, creating parent folders.
 * When the file already holds exactly these bytes it is left untouched
 * (its mtime too) and *changed is set to 0; otherwise 1. `changed` may be
 * NULL. Returns 0, or -1 after recording an error. */
int fs_write_atomic(const char *path, const void *data, size_t len,
		    int *changed, struct diag *d);

/* Creates `path` and its missing parents. Returns 0 or -1 (errno set). */
int fs_mkdirs(const char *path);
/* Writes a file that must not exist yet (in a folder only this process
 * writes, such as a staging folder), making its folder if needed; no
 * temporary name. Returns 0, or -1 after recording the error. */
int fs_write_new(const char *path, const void *data, size_t len,
		 struct diag *d);

/* Removes a file or a whole folder tree. Missing is not an error. Returns
 * 0 or -1 (errno set). */
int fs_remove_tree(const char *path);

int fs_is_dir(const char *path);
int fs_is_file(const char *path);
/* Modification time of `path` in seconds, or 0 when it cannot be read. */
time_t fs_mtime(const char *path);

/* Returns a newly allocated "a/b" (the caller's). An empty or "." `a`
 * gives a copy of `b`. */
char *path_join(const char *a, const char *b);

/* The extension of `path` without its dot ("" when none); borrowed. */
const char *path_ext(const char *path);

/* Lists the regular files directly in `dir` whose names end in `suffix`
 * (NULL for all), sorted bytewise. *names is the caller's: free each and
 * the array. Returns the count, or -1 (errno set). */
long fs_list(const char *dir, const char *suffix, char ***names);

/* Lists every regular file under `dir` recursively as paths relative to
 * it, sorted bytewise, skipping names starting with '.'. Returns the
 * count, or -1. */
long fs_walk(const char *dir, char ***paths);

/* Normalises a relative path lexically ("a/./b/../c" -> "a/c"). Returns a
 * newly allocated string, or NULL when it climbs above its start or is
 * absolute. */
char *path_normalize(const char *rel);

/* Checks that `s` is valid UTF-8. Returns 1, or 0 with *bad set to the
 * byte offset of the first invalid sequence. */
int utf8_valid(const char *s, size_t len, size_t *bad);

#endif
