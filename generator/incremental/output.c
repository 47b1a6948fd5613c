#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "outdir.h"
#include "output_internal.h"
#include "strset.h"
#include "xalloc.h"

/* ---- reading a folder's tree ---- */

static void tree_add(struct tree *t, const char *path, uint64_t ino, int dir)
{
	struct tree_entry *e;

	t->v = xgrow(t->v, sizeof(*t->v), t->n + 1, &t->cap);
	e = &t->v[t->n];
	e->path = xstrdup(path);
	e->ino = ino;
	e->dir = dir;
	e->placed = 0;
	strset_put(&t->index, path, t->n);
	t->n++;
}

/* Adds every entry under the folder open as `fd` (taken), named `prefix`
 * ("" at the top). */
static void tree_scan_into(struct tree *t, int fd, const char *prefix)
{
	DIR *dh = fdopendir(fd);
	struct dirent *e;
	struct buf path = BUF_INIT;

	if (!dh) {
		close(fd);
		return;
	}
	while ((e = readdir(dh))) {
		int dir;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		buf_reset(&path);
		if (*prefix)
			buf_addf(&path, "%s/", prefix);
		buf_adds(&path, e->d_name);
		dir = compat_dirent_type(e) == COMPAT_DT_DIR;
		if (compat_dirent_type(e) == COMPAT_DT_UNKNOWN) {
			struct stat st;
			dir = fstatat(dirfd(dh), e->d_name, &st,
				      AT_SYMLINK_NOFOLLOW) == 0 &&
			      S_ISDIR(st.st_mode);
		}
		tree_add(t, path.ptr, (uint64_t)e->d_ino, dir);
		if (dir) {
			int sub = openat(dirfd(dh), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						 O_CLOEXEC);
			if (sub >= 0)
				tree_scan_into(t, sub, path.ptr);
		}
	}
	closedir(dh);
	buf_release(&path);
}

static void tree_scan(struct tree *t, const char *root)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		tree_scan_into(t, fd, "");
}

static void tree_release(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].path);
	free(t->v);
	strset_release(&t->index);
	memset(t, 0, sizeof(*t));
}

static struct tree_entry *tree_get(struct tree *t, const char *path)
{
	size_t i;

	return strset_get(&t->index, path, &i) ? &t->v[i] : NULL;
}

/* ---- opening and closing ---- */

static const char *shown_dir(const char *dir, struct buf *b)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	buf_add(b, dir, len);
	buf_addch(b, '/');
	return b->ptr;
}

/* Takes the lock of `o->dir`. Returns 0, or -1 after recording why. */
static int output_lock(struct output *o, struct diag *d)
{
	struct flock fl;
	struct buf shown = BUF_INIT;

	o->lock_fd = open(o->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (o->lock_fd < 0) {
		diag_error(d, NULL, 0, 0, "cannot write to '%s': %s",
			   shown_dir(o->dir, &shown), strerror(errno));
		buf_release(&shown);
		return -1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(o->lock_fd, F_SETLK, &fl) == 0)
		return 0;
	if (errno == EACCES || errno == EAGAIN) {
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(o->lock_fd, F_GETLK, &fl) == 0 &&
		    fl.l_type != F_UNLCK && fl.l_pid > 0)
			diag_error(d, NULL, 0, 0,
				   "another stepbook (pid %ld) "
				   "is writing %s",
				   (long)fl.l_pid, shown_dir(o->dir, &shown));
		else
			diag_error(d, NULL, 0, 0,
				   "another stepbook is "
				   "writing %s",
				   shown_dir(o->dir, &shown));
	} else {
		diag_error(d, NULL, 0, 0, "cannot lock '%s': %s", o->lock_path,
			   strerror(errno));
	}
	buf_release(&shown);
	close(o->lock_fd);
	o->lock_fd = -1;
	return -1;
}

static struct output *output_new(const char *dir)
{
	struct output *o = xcalloc(1, sizeof(*o));

	o->dir = xstrdup(dir);
	o->stage = path_join(dir, OUTPUT_STAGE);
	o->site = path_join(dir, OUTPUT_SITE);
	o->stage_site = path_join(o->stage, OUTPUT_SITE);
	o->lock_path = path_join(dir, OUTPUT_LOCK);
	o->lock_fd = -1;
	pthread_mutex_init(&o->lock, NULL);
	return o;
}

/* Reads the published site and the staged one (o->scanned), or finds
 * there is no published site (o->fresh). */
static void site_scan(struct output *o)
{
	o->fresh = !fs_is_dir(o->site);
	if (!o->fresh) {
		tree_scan(&o->cur, o->site);
		if (fs_is_dir(o->stage_site))
			tree_scan(&o->old, o->stage_site);
	}
	o->scanned = 1;
}

static void *site_scan_run(void *arg)
{
	site_scan(arg);
	return NULL;
}

static void site_scan_wait(struct output *o)
{
	if (o->scanning)
		pthread_join(o->scanner, NULL);
	o->scanning = 0;
}

void output_site_reset(struct output *o)
{
	site_scan_wait(o);
	o->scanned = 0;
	tree_release(&o->cur);
	tree_release(&o->old);
	strset_release(&o->made_dirs);
	o->site_staged = 0;
	o->fresh = 0;
	o->twins = 0;
}

static void output_free(struct output *o)
{
	size_t i;

	output_site_reset(o);
	for (i = 0; i < o->n_replace; i++)
		free(o->replace[i]);
	free(o->replace);
	if (o->lock_fd >= 0)
		close(o->lock_fd); /* releases the lock */
	pthread_mutex_destroy(&o->lock);
	free(o->dir);
	free(o->stage);
	free(o->site);
	free(o->stage_site);
	free(o->prefix);
	free(o->lock_path);
	free(o);
}

/* Whether `name` ends in ".tmp-N" or ".tmp-N-N": a temporary of an older
 * stepbook, which wrote beside the output's files. */
static int legacy_temporary(const char *name)
{
	const char *t = strstr(name, ".tmp-");
	int dashes = 0;

	if (!t)
		return 0;
	for (t += 5; *t; t++) {
		if (*t == '-' && t[-1] != '-' && dashes++ == 0)
			continue;
		if (*t < '0' || *t > '9')
			return 0;
	}
	return t[-1] != '-';
}

/* Removes the temporaries an older stepbook, killed, left at the top of
 * the output folder (site.tmp-PID/, .stepbook-cache.tmp-PID...). */
static void clear_legacy(const struct output *o)
{
	DIR *dh = opendir(o->dir);
	struct dirent *e;

	while (dh && (e = readdir(dh))) {
		char *p;
		if (!legacy_temporary(e->d_name))
			continue;
		p = path_join(o->dir, e->d_name);
		output_step_remove_tree(p);
		free(p);
	}
	if (dh)
		closedir(dh);
}

struct output *output_open(const char *dir, struct diag *d)
{
	struct output *o = output_new(dir);

	o->created = !fs_is_dir(dir);
	if (fs_mkdirs(dir) < 0) {
		diag_error(d, NULL, 0, 0,
			   "cannot create output folder '%s': %s", dir,
			   strerror(errno));
		output_free(o);
		return NULL;
	}
	if (output_lock(o, d) < 0 || output_recover(o, d) < 0 ||
	    outdir_mark(dir, d) < 0)
		goto fail;
	if (output_stage_tidy(o) < 0 ||
	    (mkdir(o->stage, 0755) < 0 && errno != EEXIST)) {
		diag_error(d, o->stage, 0, 0,
			   "cannot clear the staging folder: "
			   "%s",
			   strerror(errno));
		goto fail;
	}
	clear_legacy(o);
	/* the folders are read beside the loading of the book: a build
	 * that stages its site wants them (output_site_begin()) */
	o->scanning = pthread_create(&o->scanner, NULL, site_scan_run, o) == 0;
	return o;
fail:
	output_free(o);
	return NULL;
}

void output_discard(struct output *o)
{
	size_t i;

	site_scan_wait(o);
	if (o->pending)
		return;
	output_stage_tidy(o);
	for (i = 0; i < o->n_replace; i++)
		free(o->replace[i]);
	o->n_replace = 0;
	output_site_reset(o);
}

void output_close(struct output *o)
{
	if (!o)
		return;
	output_discard(o);
	/* a first build that did not commit leaves no folder either */
	if (o->created && !o->committed && !o->pending) {
		char *dir = xstrdup(o->dir);
		char *mark = path_join(dir, OUTDIR_MARKER);
		fs_remove_tree(o->stage);
		unlink(mark);
		free(mark);
		unlink(o->lock_path);
		output_free(o);
		rmdir(dir);
		free(dir);
		return;
	}
	output_free(o);
}

int output_unknown(const struct output *o)
{
	return o->unknown;
}

char *output_path(const struct output *o, const char *name)
{
	return path_join(o->dir, name);
}

char *output_staged(const struct output *o, const char *name)
{
	return path_join(o->stage, name);
}

/* ---- the staged site ---- */

int output_site_begin(struct output *o, struct diag *d)
{
	site_scan_wait(o);
	if (o->site_staged || !o->scanned) {
		/* (again, for a build made again) */
		output_site_reset(o);
		site_scan(o);
	}
	o->site_staged = 1;
	if (o->fresh) {
		/* nothing to start from: written from nothing, the folder
		 * emptied first */
		if (output_step_remove_tree(o->stage_site) < 0 ||
		    mkdir(o->stage_site, 0755) < 0)
			return diag_error(d, o->stage_site, 0, 0,
					  "cannot "
					  "create the staging folder: %s",
					  strerror(errno));
		return 0;
	}
	if (fs_is_dir(o->stage_site))
		return 0;
	if (output_step_remove_tree(o->stage_site) < 0 ||
	    mkdir(o->stage_site, 0755) < 0)
		return diag_error(d, o->stage_site, 0, 0,
				  "cannot create the "
				  "staging folder: %s",
				  strerror(errno));
	return 0;
}

int output_site_fresh(const struct output *o)
{
	return o->fresh;
}

const char *output_site_dir(const struct output *o)
{
	return o->site;
}

static int site_has(const struct output *o, const char *path)
{
	size_t i;

	return strset_get(&o->cur.index, path, &i) && !o->cur.v[i].dir;
}

/* Makes the folders of `path` in the staged site, once each. Returns 0
 * or -1 (errno set). */
static int site_dirs(struct output *o, const char *path)
{
	const char *slash = strchr(path, '/');
	struct buf dir = BUF_INIT;
	int r = 0;

	if (!slash)
		return 0; /* at the top: nothing to make */
	pthread_mutex_lock(&o->lock);
	for (; slash; slash = strchr(slash + 1, '/')) {
		struct tree_entry *e;
		char *full;
		buf_reset(&dir);
		buf_add(&dir, path, (size_t)(slash - path));
		e = tree_get(&o->old, dir.ptr);
		if ((e && e->dir && e->placed) ||
		    strset_has(&o->made_dirs, dir.ptr))
			continue;
		if (e && e->dir) {
			e->placed = 1;
			continue;
		}
		full = path_join(o->stage_site, dir.ptr);
		if (e)
			r = output_step_unlink(full); /* a file, once */
		if (r == 0 && mkdir(full, 0755) < 0 && errno != EEXIST)
			r = -1;
		free(full);
		if (r < 0)
			break;
		if (e)
			e->placed = 1;
		strset_add(&o->made_dirs, dir.ptr, 0);
	}
	pthread_mutex_unlock(&o->lock);
	buf_release(&dir);
	return r;
}

/* Readies the staged site to take `path` (marking it in both trees).
 * Returns 1 when it holds the file of inode `want` there already (0:
 * none), 0 when the caller is to make the file, -1 after recording the
 * error. */
static int site_ready(struct output *o, const char *path, uint64_t want,
		      struct diag *d)
{
	struct tree_entry *e = tree_get(&o->old, path), *c;
	int r;

	c = tree_get(&o->cur, path);
	if (c)
		c->placed = 1;
	if (e)
		e->placed = 1;
	r = site_dirs(o, path);
	if (r == 0 && e) {
		char *full;
		if (!e->dir && want && e->ino == want)
			return 1;
		full = path_join(o->stage_site, path);
		r = e->dir ? output_step_remove_tree(full)
			   : output_step_unlink(full);
		if (r < 0 && errno == ENOENT)
			r = 0;
		free(full);
	}
	if (r < 0)
		return diag_error(d, path, 0, 0, "cannot stage the site: %s",
				  strerror(errno));
	return 0;
}

static int site_keep(struct output *o, const char *path, struct diag *d)
{
	struct tree_entry *e = tree_get(&o->cur, path);
	char *from, *to;
	int r;

	if (!e || e->dir) {
		char *full = path_join(o->site, path);
		diag_error(d, full, 0, 0, "cannot keep the file: it is gone");
		free(full);
		return -1;
	}
	r = site_ready(o, path, e->ino, d);
	if (r != 0)
		return r < 0 ? -1 : 0;
	from = path_join(o->site, path);
	to = path_join(o->stage_site, path);
	r = output_step_link(from, to);
	if (r < 0)
		diag_error(d, to, 0, 0, "cannot write file: %s",
			   strerror(errno));
	free(from);
	free(to);
	return r;
}

static int site_write(struct output *o, const char *path, const void *data,
		      size_t len, int *changed, struct diag *d)
{
	char *full;
	int r;

	if (changed)
		*changed = 1;
	if (!o->fresh) {
		if (site_has(o, path)) {
			char *pub = path_join(o->site, path);
			int same = fs_same_content(pub, data, len);
			free(pub);
			if (same) {
				if (changed)
					*changed = 0;
				return site_keep(o, path, d);
			}
		}
		r = site_ready(o, path, 0, d);
		if (r < 0)
			return -1;
	}
	full = path_join(o->stage_site, path);
	r = fs_write_new(full, data, len, d);
	free(full);
	return r;
}

static int site_patch(struct output *o, const char *path,
		      const struct fs_piece *pieces, size_t n, struct diag *d)
{
	char *full, *pub;
	int r = o->fresh ? 0 : site_ready(o, path, 0, d);

	if (r < 0)
		return -1;
	full = path_join(o->stage_site, path);
	pub = path_join(o->site, path);
	r = fs_write_pieces(full, pub, pieces, n, d);
	free(full);
	free(pub);
	return r;
}

static uint64_t site_stamp(const struct output *o, const char *path)
{
	char *full = path_join(o->stage_site, path);
	uint64_t stamp = fs_stamp(full);

	free(full);
	return stamp;
}

size_t output_site_dropped(const struct output *o)
{
	size_t i, n = 0;

	for (i = 0; i < o->cur.n; i++)
		n += !o->cur.v[i].dir && !o->cur.v[i].placed;
	return n;
}

/* Removes from the staged site what no call put there. */
int output_site_prune(struct output *o, struct diag *d)
{
	const char *gone = NULL;
	size_t i, gl = 0;
	int r = 0;

	if (o->fresh)
		return 0;
	for (i = 0; i < o->old.n; i++) {
		const struct tree_entry *e = &o->old.v[i];
		char *full;
		int bad;
		if (gone && !strncmp(e->path, gone, gl) && e->path[gl] == '/')
			continue; /* inside a folder removed */
		/* (a folder's name may now be a file's, and the reverse) */
		if (e->placed)
			continue;
		full = path_join(o->stage_site, e->path);
		bad = (e->dir ? output_step_remove_tree(full)
			      : output_step_unlink(full)) < 0 &&
		      errno != ENOENT;
		if (bad)
			r = diag_error(d, full, 0, 0, "cannot remove file: %s",
				       strerror(errno));
		free(full);
		if (e->dir) {
			gone = e->path;
			gl = strlen(gone);
		}
	}
	return r;
}

/* ---- the top-level files ---- */

void output_replace(struct output *o, const char *name)
{
	char *copy = xstrdup(name);

	pthread_mutex_lock(&o->lock);
	o->replace = xgrow(o->replace, sizeof(*o->replace), o->n_replace + 1,
			   &o->cap_replace);
	o->replace[o->n_replace++] = copy;
	pthread_mutex_unlock(&o->lock);
}

int output_put(struct output *o, const char *name, const void *data, size_t len,
	       int *changed, struct diag *d)
{
	char *pub = output_path(o, name), *staged = output_staged(o, name);
	int same = fs_same_content(pub, data, len), r;

	if (changed)
		*changed = !same;
	if (same) {
		r = output_step_link(pub, staged);
		if (r < 0)
			diag_error(d, staged, 0, 0, "cannot write file: %s",
				   strerror(errno));
	} else {
		r = fs_write_new(staged, data, len, d);
	}
	if (r == 0)
		output_replace(o, name);
	free(pub);
	free(staged);
	return r;
}

static int site_add(struct output *o, const char *name, const char *path,
		    struct diag *d)
{
	char *staged = output_staged(o, name);
	char *in = path_join(o->stage_site, path);
	int r = o->fresh ? 0 : site_ready(o, path, output_ino(staged, NULL), d);

	o->twins = 1;
	if (r == 0 && output_step_link(staged, in) < 0)
		r = diag_error(d, in, 0, 0, "cannot write file: %s",
			       strerror(errno));
	free(staged);
	free(in);
	return r < 0 ? -1 : 0;
}

/* ---- the site's files, under the folder of the language written ---- */

void output_site_prefix(struct output *o, const char *dir)
{
	free(o->prefix);
	o->prefix = dir && *dir ? xstrdup(dir) : NULL;
}

/* `path` (within the language's folder) within the site. */
static const char *site_at(const struct output *o, const char *path,
			   struct buf *b)
{
	if (!o->prefix)
		return path;
	buf_reset(b);
	buf_adds(b, o->prefix);
	buf_adds(b, path);
	return b->ptr;
}

int output_site_has(const struct output *o, const char *path)
{
	struct buf b = BUF_INIT;
	int r = site_has(o, site_at(o, path, &b));

	buf_release(&b);
	return r;
}

int output_site_keep(struct output *o, const char *path, struct diag *d)
{
	struct buf b = BUF_INIT;
	int r = site_keep(o, site_at(o, path, &b), d);

	buf_release(&b);
	return r;
}

int output_site_write(struct output *o, const char *path, const void *data,
		      size_t len, int *changed, struct diag *d)
{
	struct buf b = BUF_INIT;
	int r = site_write(o, site_at(o, path, &b), data, len, changed, d);

	buf_release(&b);
	return r;
}

int output_site_patch(struct output *o, const char *path,
		      const struct fs_piece *pieces, size_t n, struct diag *d)
{
	struct buf b = BUF_INIT;
	int r = site_patch(o, site_at(o, path, &b), pieces, n, d);

	buf_release(&b);
	return r;
}

uint64_t output_site_stamp(const struct output *o, const char *path)
{
	struct buf b = BUF_INIT;
	uint64_t r = site_stamp(o, site_at(o, path, &b));

	buf_release(&b);
	return r;
}

int output_site_add(struct output *o, const char *name, struct diag *d)
{
	struct buf b = BUF_INIT;
	int r = site_add(o, name, site_at(o, name, &b), d);

	buf_release(&b);
	return r;
}

int output_clean(const char *dir, struct diag *d)
{
	struct output *o;
	DIR *dh;
	struct dirent *e;
	int r = 0;

	if (!fs_is_dir(dir))
		return 0;
	o = output_new(dir);
	if (output_lock(o, d) < 0) {
		output_free(o);
		return -1;
	}
	/* everything but the lock, then the lock, so that no other
	 * stepbook takes a new one while the folder is still there */
	dh = opendir(dir);
	while (dh && (e = readdir(dh))) {
		char *p;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, OUTPUT_LOCK))
			continue;
		p = path_join(dir, e->d_name);
		if (fs_remove_tree(p) < 0) {
			diag_error(d, p, 0, 0, "cannot remove: %s",
				   strerror(errno));
			r = -1;
		}
		free(p);
	}
	if (dh)
		closedir(dh);
	else
		r = diag_error(d, dir, 0, 0, "cannot read folder: %s",
			       strerror(errno));
	if (r == 0 && (unlink(o->lock_path) < 0 || rmdir(dir) < 0))
		r = diag_error(d, dir, 0, 0, "cannot remove: %s",
			       strerror(errno));
	output_free(o);
	return r;
}
