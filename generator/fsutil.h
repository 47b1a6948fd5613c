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

/* Why fs_walk() left an entry out. */
enum fs_refusal {
	FS_OUTSIDE = 1, /* a symlink whose real path is outside the folder */
	FS_LOOP,        /* a folder inside the folder it is (a symlink loop) */
	FS_TWICE,       /* a second name (a symlink) for a folder walked */
	FS_SPECIAL      /* neither a file nor a folder: a FIFO, a socket, a
			 * device */
};

struct fs_refused {
	char *path; /* relative to the folder walked */
	enum fs_refusal why;
	char *target; /* FS_OUTSIDE: the real path it leads to; FS_LOOP,
			 * FS_TWICE: the folder (relative, "" for the top)
			 * it is the same as; else NULL */
};

/* What fs_walk() found under a folder. */
struct fs_tree {
	char *root;   /* the folder's real path */
	char **files; /* relative to it, sorted bytewise */
	size_t n_files;
	struct fs_refused *refused; /* sorted by path */
	size_t n_refused;
};

/* Lists every regular file under `dir` recursively, as paths relative to
 * it, skipping names that start with '.'. Symlinks are followed when
 * their real path is inside `dir`; a symlink leading out of it, a second
 * way into a folder already walked (a loop, `ln -s . loop`, or a second
 * name for it) and an entry that is neither a file nor a folder are
 * listed in t->refused instead, and nothing under them is read: each
 * folder is walked once, whatever its links. Every file and folder is
 * looked at without being opened, but for the folders. Returns 0 (free
 * `t` with fs_tree_release()), or -1 (errno set; `t` empty) when `dir`
 * is no folder. */
int fs_walk(const char *dir, struct fs_tree *t);
void fs_tree_release(struct fs_tree *t);

/* Frees the n entries of `v` (as fs_tree.refused, when taken from a
 * tree) and the array. */
void fs_refused_free(struct fs_refused *v, size_t n);

/* The entry of `v` (n entries, as in fs_tree.refused) that is `path` or
 * a folder holding it, or NULL. Borrowed. */
const struct fs_refused *fs_refused_find(const struct fs_refused *v, size_t n,
					 const char *path);

/* Appends what is wrong with `r`, as the end of a sentence whose subject
 * is its path ("is a symlink that leads outside content/ (to
 * '/etc/passwd'): ..."); `top` names the folder walked ("content"). */
void fs_refusal_text(const struct fs_refused *r, const char *top,
		     struct buf *out);

/* The absolute path of `path` with every symlink resolved, also when its
 * last components do not exist yet (they are then added as written, "."
 * and ".." taken lexically). Returns a new string, or NULL (errno set). */
char *fs_resolve(const char *path);

#endif
