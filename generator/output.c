#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "outdir.h"
#include "strset.h"
#include "xalloc.h"

#define JOURNAL_MAGIC "stepbook journal 1\n"
/* where the fallback of a file system that cannot swap two names puts
 * the old site for a moment (see step_make()) */
#define STAGE_OLD_SITE "site.old"

/* A folder's entries, read once: path (relative) -> entry. */
struct tree_entry {
	char *path;
	uint64_t ino;
	int dir;
	int placed;             /* the staged site holds this path */
};

struct tree {
	struct strset index;
	struct tree_entry *v;   /* folders before what they hold */
	size_t n, cap;
};

/* A step of the commit (see the journal). */
enum step_op {
	STEP_SITE = 'x',        /* swap the staged site with the published */
	STEP_RENAME = 'r',      /* rename a staged file over the published */
	STEP_REMOVE = 'u'       /* remove a published file */
};

struct step {
	int op;
	char *name;
	uint64_t ino;           /* of what is to be published */
};

struct output {
	char *dir, *stage, *site, *stage_site, *lock_path;
	int lock_fd;
	int pending;            /* committed, a step failed: the staged
				 * files are the journal's */
	int created;            /* the folder was made by output_open() */
	int unknown;            /* a journal did not fit the folder */
	int committed;          /* a commit was made */
	int site_staged, fresh;
	struct tree cur, old;   /* the published site, the staged one as found */
	pthread_t scanner;      /* reads them while the book loads */
	int scanning, scanned;
	pthread_mutex_t lock;   /* over making folders in the staged site */
	struct strset made_dirs; /* ... those made, not found there */
	char **replace;         /* staged top-level files, in commit order */
	size_t n_replace, cap_replace;
	int twins;              /* a file put in the site as well */
};

/* ---- each change, a step of the test hook (fs_step_begin()) ---- */

static int step_done(long step, int r)
{
	if (r == 0)
		fs_step_end(step);
	return r;
}

static int step_link(const char *from, const char *to)
{
	long step = fs_step_begin();

	return step < 0 ? -1 : step_done(step, link(from, to));
}

static int step_unlink(const char *path)
{
	long step = fs_step_begin();

	return step < 0 ? -1 : step_done(step, unlink(path));
}

static int step_remove_tree(const char *path)
{
	long step = fs_step_begin();

	return step < 0 ? -1 : step_done(step, fs_remove_tree(path));
}

static int step_rename(const char *from, const char *to, unsigned flags)
{
	long step = fs_step_begin();

	if (step < 0)
		return -1;
	return step_done(step, flags ? compat_exchange(from, to)
				     : rename(from, to));
}

static uint64_t ino_of(const char *path, int *dir)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (dir)
		*dir = S_ISDIR(st.st_mode);
	return (uint64_t)st.st_ino;
}

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

/* ---- the journal ---- */

static void journal_encode(const struct step *v, size_t n, struct buf *out)
{
	size_t i;

	buf_adds(out, JOURNAL_MAGIC);
	for (i = 0; i < n; i++) {
		buf_addf(out, "%c%016llx", v[i].op, (unsigned long long)v[i].ino);
		buf_adds(out, v[i].name);
		buf_addch(out, '\0');
	}
	buf_addf(out, "\n%016llx\n",
		 (unsigned long long)hash_mix(HASH_SEED, out->ptr, out->len));
}

static void steps_free(struct step *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Reads the journal's steps. Returns 0, or -1 when it is damaged. */
static int journal_decode(const char *p, size_t len, struct step **steps,
			  size_t *n)
{
	size_t ml = strlen(JOURNAL_MAGIC), body, cap = 0;
	const char *q, *end;
	char hex[17];

	*steps = NULL;
	*n = 0;
	if (len < ml + 18 || memcmp(p, JOURNAL_MAGIC, ml) ||
	    p[len - 18] != '\n' || p[len - 1] != '\n')
		return -1;
	body = len - 18;
	snprintf(hex, sizeof(hex), "%016llx",
		 (unsigned long long)hash_mix(HASH_SEED, p, body));
	if (memcmp(hex, p + body + 1, 16))
		return -1;
	for (q = p + ml, end = p + body; q < end;) {
		const char *nul = memchr(q, '\0', (size_t)(end - q));
		struct step *s;
		char *e;
		if (!nul || nul - q < 18 || (q[0] != STEP_SITE &&
		    q[0] != STEP_RENAME && q[0] != STEP_REMOVE))
			goto bad;
		memcpy(hex, q + 1, 16);
		hex[16] = '\0';
		*steps = xgrow(*steps, sizeof(**steps), *n + 1, &cap);
		s = &(*steps)[(*n)++];
		s->op = q[0];
		s->ino = strtoull(hex, &e, 16);
		s->name = xstrndup(q + 17, (size_t)(nul - q - 17));
		if (*e || !*s->name || strchr(s->name, '/') ||
		    !strcmp(s->name, ".") || !strcmp(s->name, ".."))
			goto bad;
		q = nul + 1;
	}
	return 0;
bad:
	steps_free(*steps, *n);
	*steps = NULL;
	*n = 0;
	return -1;
}

/* ---- the steps ---- */

/* Makes step `s` unless it is done. Returns 0, or -1 with errno set
 * (EINVAL: what it names is not what the journal recorded). */
static int step_make(const struct output *o, const struct step *s)
{
	char *pub = output_path(o, s->name), *staged = output_staged(o, s->name);
	int r = -1;
	uint64_t now = ino_of(pub, NULL);

	if (s->op == STEP_REMOVE) {
		r = now ? step_unlink(pub) : 0;
		goto out;
	}
	if (now == s->ino) {
		r = 0;           /* done */
		goto out;
	}
	if (ino_of(staged, NULL) != s->ino) {
		errno = EINVAL;
		goto out;
	}
	if (!now) {
		r = step_rename(staged, pub, 0);
	} else if (s->op == STEP_RENAME) {
		/* swapped, the old file then removed with the staged ones:
		 * when a rename replaces a file, ext4 starts writing the new
		 * one out at once (auto_da_alloc), some ms for an EPUB */
		r = step_rename(staged, pub, COMPAT_EXCHANGE);
		if (r < 0 && (errno == EINVAL || errno == ENOSYS))
			r = step_rename(staged, pub, 0);
	} else {
		r = step_rename(staged, pub, COMPAT_EXCHANGE);
		if (r < 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* a file system that cannot swap: two renames, the
			 * journal covering the moment between them */
			char *old = output_staged(o, STAGE_OLD_SITE);
			fs_remove_tree(old);
			r = step_rename(pub, old, 0);
			if (r == 0)
				r = step_rename(staged, pub, 0);
			free(old);
		}
	}
out:
	free(pub);
	free(staged);
	return r;
}

/* Removes what the staging folder holds but the site kept for the next
 * build (or the old site a file system that cannot swap left). */
static int stage_tidy(const struct output *o)
{
	DIR *dh = opendir(o->stage);
	struct dirent *e;
	int r = 0, has_site = 0, has_old = 0;

	if (!dh) {
		if (errno == ENOENT)
			return 0;
		/* not a folder: nothing of a build, in a build's place */
		return errno == ENOTDIR ? step_unlink(o->stage) : -1;
	}
	while ((e = readdir(dh))) {
		char *p;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strcmp(e->d_name, OUTPUT_SITE)) {
			has_site = 1;
			continue;
		}
		if (!strcmp(e->d_name, STAGE_OLD_SITE)) {
			has_old = 1;
			continue;
		}
		p = path_join(o->stage, e->d_name);
		if (step_remove_tree(p) < 0)
			r = -1;
		free(p);
	}
	closedir(dh);
	if (has_old) {
		char *old = output_staged(o, STAGE_OLD_SITE);
		if (has_site ? step_remove_tree(old) < 0
			     : step_rename(old, o->stage_site, 0) < 0)
			r = -1;
		free(old);
	}
	return r;
}

/* Finishes the commit of a build that stopped after its commit point. */
static int output_recover(struct output *o, struct diag *d)
{
	char *journal = output_path(o, OUTPUT_JOURNAL);
	struct buf b = BUF_INIT;
	struct diag quiet;
	struct step *steps = NULL;
	size_t n = 0, i;
	int r = 0;

	diag_init(&quiet);
	if (!fs_is_file(journal)) {
		free(journal);
		diag_release(&quiet);
		return 0;
	}
	if (fs_read_file(journal, NULL, &b, &quiet) < 0 ||
	    journal_decode(b.ptr, b.len, &steps, &n) < 0) {
		errno = EINVAL;
		r = -1;
	}
	for (i = 0; r == 0 && i < n; i++)
		r = step_make(o, &steps[i]);
	if (r < 0 && errno == EINVAL) {
		/* a journal that does not fit what is there: something else
		 * changed the folder. Nothing is known of the output then,
		 * and the cache must not vouch for it: the build makes every
		 * file again and compares it (output_unknown()). */
		diag_warning(d, journal, 0, 0, "the last build's commit "
			     "cannot be finished (the folder was changed); "
			     "building everything again");
		o->unknown = 1;
		r = 0;
	}
	if (r == 0 && step_unlink(journal) < 0)
		r = -1;
	if (r < 0)
		diag_error(d, journal, 0, 0, "cannot finish the last build's "
			   "commit: %s", strerror(errno));
	steps_free(steps, n);
	buf_release(&b);
	diag_release(&quiet);
	free(journal);
	return r;
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
			diag_error(d, NULL, 0, 0, "another stepbook (pid %ld) "
				   "is writing %s", (long)fl.l_pid,
				   shown_dir(o->dir, &shown));
		else
			diag_error(d, NULL, 0, 0, "another stepbook is "
				   "writing %s", shown_dir(o->dir, &shown));
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

static void output_site_reset(struct output *o)
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
		close(o->lock_fd);   /* releases the lock */
	pthread_mutex_destroy(&o->lock);
	free(o->dir);
	free(o->stage);
	free(o->site);
	free(o->stage_site);
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
		step_remove_tree(p);
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
		diag_error(d, NULL, 0, 0, "cannot create output folder '%s': %s",
			   dir, strerror(errno));
		output_free(o);
		return NULL;
	}
	if (output_lock(o, d) < 0 || output_recover(o, d) < 0 ||
	    outdir_mark(dir, d) < 0)
		goto fail;
	if (stage_tidy(o) < 0 || (mkdir(o->stage, 0755) < 0 && errno != EEXIST)) {
		diag_error(d, o->stage, 0, 0, "cannot clear the staging folder: "
			   "%s", strerror(errno));
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
	stage_tidy(o);
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
		if (step_remove_tree(o->stage_site) < 0 ||
		    mkdir(o->stage_site, 0755) < 0)
			return diag_error(d, o->stage_site, 0, 0, "cannot "
					  "create the staging folder: %s",
					  strerror(errno));
		return 0;
	}
	if (fs_is_dir(o->stage_site))
		return 0;
	if (step_remove_tree(o->stage_site) < 0 ||
	    mkdir(o->stage_site, 0755) < 0)
		return diag_error(d, o->stage_site, 0, 0, "cannot create the "
				  "staging folder: %s", strerror(errno));
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

int output_site_has(const struct output *o, const char *path)
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
		return 0;        /* at the top: nothing to make */
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
			r = step_unlink(full);    /* a file, once */
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
		r = e->dir ? step_remove_tree(full) : step_unlink(full);
		if (r < 0 && errno == ENOENT)
			r = 0;
		free(full);
	}
	if (r < 0)
		return diag_error(d, path, 0, 0, "cannot stage the site: %s",
				  strerror(errno));
	return 0;
}

int output_site_keep(struct output *o, const char *path, struct diag *d)
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
	r = step_link(from, to);
	if (r < 0)
		diag_error(d, to, 0, 0, "cannot write file: %s", strerror(errno));
	free(from);
	free(to);
	return r;
}

int output_site_write(struct output *o, const char *path, const void *data,
		      size_t len, int *changed, struct diag *d)
{
	char *full;
	int r;

	if (changed)
		*changed = 1;
	if (!o->fresh) {
		if (output_site_has(o, path)) {
			char *pub = path_join(o->site, path);
			int same = fs_same_content(pub, data, len);
			free(pub);
			if (same) {
				if (changed)
					*changed = 0;
				return output_site_keep(o, path, d);
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

int output_site_patch(struct output *o, const char *path,
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

uint64_t output_site_stamp(const struct output *o, const char *path)
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
static int site_prune(struct output *o, struct diag *d)
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
			continue;          /* inside a folder removed */
		/* (a folder's name may now be a file's, and the reverse) */
		if (e->placed)
			continue;
		full = path_join(o->stage_site, e->path);
		bad = (e->dir ? step_remove_tree(full) : step_unlink(full)) < 0 &&
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
	o->replace = xgrow(o->replace, sizeof(*o->replace), o->n_replace + 1,
			   &o->cap_replace);
	o->replace[o->n_replace++] = xstrdup(name);
}

int output_put(struct output *o, const char *name, const void *data,
	       size_t len, int *changed, struct diag *d)
{
	char *pub = output_path(o, name), *staged = output_staged(o, name);
	int same = fs_same_content(pub, data, len), r;

	if (changed)
		*changed = !same;
	if (same) {
		r = step_link(pub, staged);
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

int output_site_add(struct output *o, const char *name, struct diag *d)
{
	char *staged = output_staged(o, name);
	char *in = path_join(o->stage_site, name);
	int r = o->fresh ? 0 : site_ready(o, name, ino_of(staged, NULL), d);

	o->twins = 1;
	if (r == 0 && step_link(staged, in) < 0)
		r = diag_error(d, in, 0, 0, "cannot write file: %s",
			       strerror(errno));
	free(staged);
	free(in);
	return r < 0 ? -1 : 0;
}

/* ---- the commit ---- */

static void plan_add(struct step **v, size_t *n, size_t *cap, int op,
		     const char *name, uint64_t ino)
{
	*v = xgrow(*v, sizeof(**v), *n + 1, cap);
	(*v)[*n].op = op;
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].ino = ino;
	(*n)++;
}

/* The steps that publish what was staged. Returns 0, or -1 with errno
 * set (a staged file is gone). */
static int plan(const struct output *o, struct step **v, size_t *n)
{
	size_t cap = 0, i;

	*v = NULL;
	*n = 0;
	if (o->site_staged) {
		uint64_t ino = ino_of(o->stage_site, NULL);
		if (!ino)
			return -1;
		plan_add(v, n, &cap, STEP_SITE, OUTPUT_SITE, ino);
	}
	for (i = 0; i < o->n_replace; i++) {
		char *staged = output_staged(o, o->replace[i]);
		char *pub = output_path(o, o->replace[i]);
		uint64_t ino = ino_of(staged, NULL);
		int same = ino && ino == ino_of(pub, NULL);
		free(staged);
		free(pub);
		if (!ino)
			return -1;
		if (!same)
			plan_add(v, n, &cap, STEP_RENAME, o->replace[i], ino);
	}
	/* a file of the old site that was at the top of the output folder
	 * too, and that this build does not publish: a renamed book's EPUB */
	if (o->twins && !o->fresh)
		for (i = 0; i < o->cur.n; i++) {
			const struct tree_entry *e = &o->cur.v[i];
			char *pub;
			if (e->dir || strchr(e->path, '/') || e->placed)
				continue;
			pub = output_path(o, e->path);
			if (ino_of(pub, NULL) == e->ino)
				plan_add(v, n, &cap, STEP_REMOVE, e->path, 0);
			free(pub);
		}
	return 0;
}

/* Whether the process may change what `path` holds (a folder a file
 * is renamed in or out of, or a folder moved to another: its ".."). */
static int can_change(const char *path, struct diag *d)
{
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 ||
	    errno == ENOENT)
		return 1;
	diag_error(d, path, 0, 0, "cannot publish the build: %s",
		   strerror(errno));
	return 0;
}

/* Checks, before the commit point, that each step can be made: a step
 * that fails after it leaves the commit to the next run. */
static int plan_check(const struct output *o, const struct step *v,
		      size_t n, struct diag *d)
{
	size_t i;
	int ok = can_change(o->dir, d);

	for (i = 0; ok && i < n; i++) {
		if (v[i].op != STEP_REMOVE)
			ok = can_change(o->stage, d);
		if (ok && v[i].op == STEP_SITE)
			ok = can_change(o->stage_site, d) && can_change(o->site, d);
	}
	return ok ? 0 : -1;
}

int output_commit(struct output *o, int *committed, struct diag *d)
{
	struct buf j = BUF_INIT;
	struct step *steps = NULL;
	char *staged_journal = output_staged(o, "journal");
	char *journal = output_path(o, OUTPUT_JOURNAL);
	size_t n = 0, i, errors = d->errors;
	int r = -1;

	*committed = 0;
	if (site_prune(o, d) < 0)
		goto out;
	if (plan(o, &steps, &n) < 0) {
		diag_error(d, o->stage, 0, 0, "a staged file is gone: %s",
			   strerror(errno));
		goto out;
	}
	if (plan_check(o, steps, n, d) < 0)
		goto out;
	journal_encode(steps, n, &j);
	if (fs_write_new(staged_journal, j.ptr, j.len, d) < 0)
		goto out;
	if (step_rename(staged_journal, journal, 0) < 0) {
		diag_error(d, journal, 0, 0, "cannot write file: %s",
			   strerror(errno));
		goto out;
	}
	/* committed: from here the next run finishes what this one cannot */
	*committed = o->pending = 1;
	for (i = 0; i < n; i++) {
		char *name = output_path(o, steps[i].name);
		uint64_t before = ino_of(name, NULL);
		if (step_make(o, &steps[i]) < 0) {
			int err = errno;
			diag_error(d, name, 0, 0, "cannot publish: %s",
				   strerror(err));
			/* the first step changed nothing: no commit then */
			if (i == 0 && ino_of(name, NULL) == before &&
			    step_unlink(journal) == 0)
				*committed = o->pending = 0;
			free(name);
			goto out;
		}
		free(name);
	}
	if (step_unlink(journal) < 0) {
		diag_error(d, journal, 0, 0, "cannot remove file: %s",
			   strerror(errno));
		goto out;
	}
	*committed = o->pending = 0;
	o->committed = 1;
	for (i = 0; i < o->n_replace; i++)
		free(o->replace[i]);
	o->n_replace = 0;
	output_site_reset(o);
	stage_tidy(o);
	r = 0;
out:
	if (r < 0 && d->errors == errors)
		diag_error(d, o->dir, 0, 0, "cannot publish the build");
	steps_free(steps, n);
	buf_release(&j);
	free(staged_journal);
	free(journal);
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
