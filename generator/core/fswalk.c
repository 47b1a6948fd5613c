#include "fswalk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "path.h"
#include "strset.h"
#include "xalloc.h"

static int fs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- walking a folder ---- */

/* A walk under way: what it found so far, the real path of its top, the
 * folders it went through (by device and inode, each with its path
 * relative to the top, "" for the top), and the symlinks it met but has
 * not followed yet. */
struct fs_walker {
	struct fs_tree *t;
	char *root; /* the real path of the folder walked */
	size_t root_len;
	struct strset seen; /* "dev:ino" -> index in `folders` */
	char **folders;
	size_t n_folders, cap_folders;
	char **links;
	size_t n_links, cap_links;
	size_t cap_files, cap_refused;
};

static void fs_walk_file(struct fs_walker *w, char *path)
{
	w->t->files = xgrow(w->t->files, sizeof(*w->t->files),
			    w->t->n_files + 1, &w->cap_files);
	w->t->files[w->t->n_files++] = path;
}

static void fs_walk_refuse(struct fs_walker *w, char *path, enum fs_refusal why,
			   char *target)
{
	struct fs_refused *r;

	w->t->refused = xgrow(w->t->refused, sizeof(*w->t->refused),
			      w->t->n_refused + 1, &w->cap_refused);
	r = &w->t->refused[w->t->n_refused++];
	r->path = path;
	r->why = why;
	r->target = target;
}

/* Notes the folder `rel` as walked. Returns 1, or 0 when the same folder
 * (device and inode) was walked already: `rel` is then refused as a loop
 * when it lies inside that folder, else as a second name for it. */
static int fs_walk_enter(struct fs_walker *w, const struct stat *st,
			 const char *rel)
{
	char key[64];
	size_t at;

	snprintf(key, sizeof(key), "%llx:%llx", (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino);
	if (strset_get(&w->seen, key, &at)) {
		const char *first = w->folders[at];
		size_t fl = strlen(first);
		int inside = !fl ||
			     (!strncmp(rel, first, fl) && rel[fl] == '/');
		fs_walk_refuse(w, xstrdup(rel), inside ? FS_LOOP : FS_TWICE,
			       xstrdup(first));
		return 0;
	}
	w->folders = xgrow(w->folders, sizeof(*w->folders), w->n_folders + 1,
			   &w->cap_folders);
	w->folders[w->n_folders] = xstrdup(rel);
	strset_add(&w->seen, key, w->n_folders++);
	return 1;
}

/* What the entry `name` of the folder open as `dfd` is, looked up
 * without following a link. */
static enum compat_dirent_type fs_entry_type(int dfd, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return COMPAT_DT_UNKNOWN;
	return S_ISDIR(st.st_mode)   ? COMPAT_DT_DIR
	       : S_ISREG(st.st_mode) ? COMPAT_DT_REG
	       : S_ISLNK(st.st_mode) ? COMPAT_DT_LNK
				     : COMPAT_DT_OTHER;
}

/* Lists the folder `rel` ("" for the top), whose descriptor is `fd`
 * (taken), and the folders in it; symlinks are set aside for
 * fs_walk_links(), other entries that are neither files nor folders are
 * refused. Names starting with '.' are skipped. */
static void fs_walk_folder(struct fs_walker *w, int fd, const char *rel)
{
	DIR *dh = fdopendir(fd);
	struct dirent *e;

	if (!dh) {
		close(fd);
		return;
	}
	while ((e = readdir(dh))) {
		struct stat st;
		char *sub;
		enum compat_dirent_type type = compat_dirent_type(e);

		if (e->d_name[0] == '.')
			continue;
		sub = *rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
		if (type == COMPAT_DT_UNKNOWN) {
			/* a file system that does not say: looked up */
			type = fs_entry_type(dirfd(dh), e->d_name);
			if (type == COMPAT_DT_UNKNOWN) {
				free(sub);
				continue;
			}
		}
		if (type == COMPAT_DT_REG) {
			fs_walk_file(w, sub);
		} else if (type == COMPAT_DT_LNK) {
			w->links = xgrow(w->links, sizeof(*w->links),
					 w->n_links + 1, &w->cap_links);
			w->links[w->n_links++] = sub;
		} else if (type == COMPAT_DT_DIR) {
			int sfd = openat(dirfd(dh), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						 O_CLOEXEC);
			if (sfd >= 0 && fstat(sfd, &st) == 0 &&
			    fs_walk_enter(w, &st, sub)) {
				fs_walk_folder(w, sfd, sub);
			} else if (sfd >= 0) {
				close(sfd);
			}
			free(sub);
		} else {
			/* a FIFO, a socket, a device: never read */
			fs_walk_refuse(w, sub, FS_SPECIAL, NULL);
		}
	}
	closedir(dh);
}

/* Follows the symlinks set aside, in name order, a round at a time (a
 * folder reached through one may hold more): each must lead inside the
 * folder walked, to a file or to a folder not walked yet. A broken link
 * is left out, as a missing file would be. */
static void fs_walk_links(struct fs_walker *w)
{
	while (w->n_links) {
		char **round = w->links;
		size_t n = w->n_links, i;

		w->links = NULL;
		w->n_links = w->cap_links = 0;
		qsort(round, n, sizeof(*round), fs_cmp);
		for (i = 0; i < n; i++) {
			char *full = path_join(w->root, round[i]);
			char *real = realpath(full, NULL);
			struct stat st;
			int fd;

			free(full);
			if (!real) {
				free(round[i]);
				continue;
			}
			if (strncmp(real, w->root, w->root_len) ||
			    (real[w->root_len] && real[w->root_len] != '/')) {
				fs_walk_refuse(w, round[i], FS_OUTSIDE, real);
				continue;
			}
			/* looked up first, opened only when a folder: a
			 * device is not even opened */
			if (stat(real, &st) < 0) {
				free(real);
				free(round[i]);
				continue;
			}
			if (S_ISREG(st.st_mode)) {
				free(real);
				fs_walk_file(w, round[i]);
			} else if (S_ISDIR(st.st_mode)) {
				struct stat again;
				fd = open(real,
					  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				free(real);
				if (fd >= 0 && fstat(fd, &again) == 0 &&
				    again.st_dev == st.st_dev &&
				    again.st_ino == st.st_ino &&
				    fs_walk_enter(w, &again, round[i]))
					fs_walk_folder(w, fd, round[i]);
				else if (fd >= 0)
					close(fd);
				free(round[i]);
			} else {
				free(real);
				fs_walk_refuse(w, round[i], FS_SPECIAL, NULL);
			}
		}
		free(round);
	}
}

static int fs_refused_cmp(const void *a, const void *b)
{
	return strcmp(((const struct fs_refused *)a)->path,
		      ((const struct fs_refused *)b)->path);
}

int fs_walk(const char *dir, struct fs_tree *t)
{
	struct fs_walker w;
	struct stat st;
	size_t i;
	int fd;

	memset(t, 0, sizeof(*t));
	memset(&w, 0, sizeof(w));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	w.root = realpath(dir, NULL);
	if (!w.root || fstat(fd, &st) < 0) {
		free(w.root);
		close(fd);
		return -1;
	}
	t->root = w.root;
	w.t = t;
	w.root_len = strlen(w.root);
	if (w.root_len == 1)
		w.root_len = 0; /* "/": every path is inside */
	fs_walk_enter(&w, &st, "");
	fs_walk_folder(&w, fd, "");
	fs_walk_links(&w);
	for (i = 0; i < w.n_folders; i++)
		free(w.folders[i]);
	free(w.folders);
	strset_release(&w.seen);
	if (t->n_files)
		qsort(t->files, t->n_files, sizeof(*t->files), fs_cmp);
	if (t->n_refused)
		qsort(t->refused, t->n_refused, sizeof(*t->refused),
		      fs_refused_cmp);
	return 0;
}

void fs_tree_release(struct fs_tree *t)
{
	size_t i;

	for (i = 0; i < t->n_files; i++)
		free(t->files[i]);
	free(t->files);
	fs_refused_free(t->refused, t->n_refused);
	free(t->root);
	memset(t, 0, sizeof(*t));
}

void fs_refused_free(struct fs_refused *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].target);
	}
	free(v);
}

const struct fs_refused *fs_refused_find(const struct fs_refused *v, size_t n,
					 const char *path)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(v[i].path);
		if (!strncmp(path, v[i].path, l) &&
		    (path[l] == '\0' || path[l] == '/'))
			return &v[i];
	}
	return NULL;
}

void fs_refusal_text(const struct fs_refused *r, const char *top,
		     struct buf *out)
{
	switch (r->why) {
	case FS_OUTSIDE:
		buf_addf(out,
			 "is a symlink that leads outside %s/ (to '%s'): "
			 "nothing outside the book is published",
			 top, r->target);
		break;
	case FS_LOOP:
		buf_addf(out, "is a symlink loop: it leads back to '%s/%s%s'",
			 top, r->target, *r->target ? "/" : "");
		break;
	case FS_TWICE:
		buf_addf(out,
			 "is a symlink to the folder '%s/%s/', which is "
			 "published under that name already",
			 top, r->target);
		break;
	default:
		buf_adds(out, "is not a regular file (a FIFO, a socket or a "
			      "device)");
		break;
	}
}
