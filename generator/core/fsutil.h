/* fsutil: files and folders (the paths they take are path.h's, included
 * here for its users).
 *
 * Reading is bounded (FS_MAX_FILE); writing is atomic: data goes to a
 * temporary file beside the target, which is then renamed over it, so a
 * reader never sees a half-written file. */
#ifndef STEPBOOK_FSUTIL_H
#define STEPBOOK_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "path.h"

#include "fswalk.h"

struct buf;
struct diag;

/* Largest input file read, in bytes. */
#define FS_MAX_FILE ((size_t)64 << 20)

/* Reads the whole file into `out` (appending). Returns 0, or -1 after
 * recording an error in `d` (missing, unreadable, larger than
 * FS_MAX_FILE, not a regular file). `shown` is the name used in the
 * message (may be NULL: then `path`). What is read is checked after it
 * is opened, and opening does not wait: a FIFO, a socket or a device is
 * refused before a byte is read, and so is a file of /proc or /sys,
 * whose contents are the machine's, not the book's. */
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
/* A file's modification and change times, in nanoseconds since 1970. */
void fs_times(const struct stat *st, long long *mtime_ns, long long *ctime_ns);

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

/* The absolute path of `path` with every symlink resolved, also when its
 * last components do not exist yet (they are then added as written, "."
 * and ".." taken lexically). Returns a new string, or NULL (errno set). */
char *fs_resolve(const char *path);

#endif
