/* fswalk: a folder's files listed once each, and what the walk refuses
 * (symlinks out of it, loops, second names for a folder, FIFOs and the
 * like): how the loader reads content/ without following anything out of
 * the book. Included through fsutil.h. */
#ifndef STEPBOOK_FSWALK_H
#define STEPBOOK_FSWALK_H

#include <stddef.h>

struct buf;

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

#endif
