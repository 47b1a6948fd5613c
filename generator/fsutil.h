/* fsutil: files and paths.
 *
 * Reading is bounded (FS_MAX_FILE); writing is atomic: data goes to a
 * temporary file beside the target, which is then renamed over it, so a
 * reader never sees a half-written file. */
#ifndef STEPBOOK_FSUTIL_H
#define STEPBOOK_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
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

/* Puts the file `tmp` in the place of `path`, in one step (a reader
 * sees the old file or the new one), as rename() does, and removes the
 * old one. Returns 0 or -1 (errno set; `tmp` then stays). */
int fs_replace(const char *tmp, const char *path);

/* Writes `len` bytes to `path` atomically, creating parent folders.
 * When the file already holds exactly these bytes it is left untouched
 * (its mtime too) and *changed is set to 0; otherwise 1. `changed` may be
 * NULL. Returns 0, or -1 after recording an error. */
int fs_write_atomic(const char *path, const void *data, size_t len,
		    int *changed, struct diag *d);

/* Whether the regular file at `path` holds exactly these `len` bytes. */
int fs_same_content(const char *path, const void *data, size_t len);

/* Creates `path` and its missing parents. Returns 0 or -1 (errno set). */
int fs_mkdirs(const char *path);
/* Writes a file that must not exist yet (in a folder only this process
 * writes, such as a staging folder), making its folder if needed; no
 * temporary name. One step (see fs_step_begin()). Returns 0, or -1 after
 * recording the error. */
int fs_write_new(const char *path, const void *data, size_t len,
		 struct diag *d);

/* The test hook over the changes made to the output folder: each file
 * written, linked, renamed or removed there is one step, numbered from 1
 * in the order the steps begin (on any thread). Inert unless the
 * environment sets STEPBOOK_TEST_KILL_AFTER=N, where the process kills
 * itself with SIGKILL as soon as step N is done,
 * STEPBOOK_TEST_STOP_AFTER=N, where it stops itself with SIGSTOP then
 * (holding the output's lock, until SIGCONT), or
 * STEPBOOK_TEST_FAIL_AT=N, where step N fails with ENOSPC instead of
 * being made. fs_step_begin() returns the step's number, or -1 with
 * errno set when the step is to fail; fs_step_end() is called once the
 * step is made. */
long fs_step_begin(void);
void fs_step_end(long step);

struct stat;
/* A file's size, time and inode, hashed: it changes when the file is
 * written or replaced. 0 when `path` is no regular file. */
uint64_t fs_stamp(const char *path);
uint64_t fs_stamp_of(const struct stat *st);

/* A piece of a file written by fs_write_pieces(): `len` bytes, either
 * `data` or, when `data` is NULL, the bytes at `off` of the old file. */
struct fs_piece {
	const char *data;
	uint64_t off, len;
};

/* Writes the new file `path` (which must not exist, as fs_write_new())
 * from `pieces` in order, taking the old bytes from the file `old` with
 * copy_file_range(), so that unchanged parts of a large file are copied
 * by the kernel. One step. Returns 0, or -1 after recording the error
 * (a half-written `path` is then removed). */
int fs_write_pieces(const char *path, const char *old,
		    const struct fs_piece *pieces, size_t n, struct diag *d);

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
