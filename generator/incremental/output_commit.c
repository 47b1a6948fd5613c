/* output_commit: the second half of the output transaction (output.h):
 * the journal, the steps that publish what a build staged, and the
 * recovery of a build that stopped after its commit point. */
#include "output.h"

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
#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "output_internal.h"
#include "xalloc.h"

/* ---- each change, a step of the test hook (fs_step_begin()) ---- */

static int step_done(long step, int r)
{
	if (r == 0)
		fs_step_end(step);
	return r;
}

int output_step_link(const char *from, const char *to)
{
	long step = fs_step_begin();

	return step < 0 ? -1 : step_done(step, link(from, to));
}

int output_step_unlink(const char *path)
{
	long step = fs_step_begin();

	return step < 0 ? -1 : step_done(step, unlink(path));
}

int output_step_remove_tree(const char *path)
{
	long step = fs_step_begin();

	return step < 0 ? -1 : step_done(step, fs_remove_tree(path));
}

static int step_rename(const char *from, const char *to, unsigned flags)
{
	long step = fs_step_begin();

	if (step < 0)
		return -1;
	return step_done(step,
			 flags ? compat_exchange(from, to) : rename(from, to));
}

uint64_t output_ino(const char *path, int *dir)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return 0;
	if (dir)
		*dir = S_ISDIR(st.st_mode);
	return (uint64_t)st.st_ino;
}

/* ---- the journal ---- */

static void journal_encode(const struct step *v, size_t n, struct buf *out)
{
	size_t i;

	buf_adds(out, JOURNAL_MAGIC);
	for (i = 0; i < n; i++) {
		buf_addf(out, "%c%016llx", v[i].op,
			 (unsigned long long)v[i].ino);
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
		if (!nul || nul - q < 18 ||
		    (q[0] != STEP_SITE && q[0] != STEP_RENAME &&
		     q[0] != STEP_REMOVE))
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
	char *pub = output_path(o, s->name),
	     *staged = output_staged(o, s->name);
	int r = -1;
	uint64_t now = output_ino(pub, NULL);

	if (s->op == STEP_REMOVE) {
		r = now ? output_step_unlink(pub) : 0;
		goto out;
	}
	if (now == s->ino) {
		r = 0; /* done */
		goto out;
	}
	if (output_ino(staged, NULL) != s->ino) {
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
int output_stage_tidy(const struct output *o)
{
	DIR *dh = opendir(o->stage);
	struct dirent *e;
	int r = 0, has_site = 0, has_old = 0;

	if (!dh) {
		if (errno == ENOENT)
			return 0;
		/* not a folder: nothing of a build, in a build's place */
		return errno == ENOTDIR ? output_step_unlink(o->stage) : -1;
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
		if (output_step_remove_tree(p) < 0)
			r = -1;
		free(p);
	}
	closedir(dh);
	if (has_old) {
		char *old = output_staged(o, STAGE_OLD_SITE);
		if (has_site ? output_step_remove_tree(old) < 0
			     : step_rename(old, o->stage_site, 0) < 0)
			r = -1;
		free(old);
	}
	return r;
}

/* Finishes the commit of a build that stopped after its commit point. */
int output_recover(struct output *o, struct diag *d)
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
		diag_warning(d, journal, 0, 0,
			     "the last build's commit "
			     "cannot be finished (the folder was changed); "
			     "building everything again");
		o->unknown = 1;
		r = 0;
	}
	if (r == 0 && output_step_unlink(journal) < 0)
		r = -1;
	if (r < 0)
		diag_error(d, journal, 0, 0,
			   "cannot finish the last build's "
			   "commit: %s",
			   strerror(errno));
	steps_free(steps, n);
	buf_release(&b);
	diag_release(&quiet);
	free(journal);
	return r;
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
		uint64_t ino = output_ino(o->stage_site, NULL);
		if (!ino)
			return -1;
		plan_add(v, n, &cap, STEP_SITE, OUTPUT_SITE, ino);
	}
	for (i = 0; i < o->n_replace; i++) {
		char *staged = output_staged(o, o->replace[i]);
		char *pub = output_path(o, o->replace[i]);
		uint64_t ino = output_ino(staged, NULL);
		int same = ino && ino == output_ino(pub, NULL);
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
			if (output_ino(pub, NULL) == e->ino)
				plan_add(v, n, &cap, STEP_REMOVE, e->path, 0);
			free(pub);
		}
	return 0;
}

/* Whether the process may change what `path` holds (a folder a file
 * is renamed in or out of, or a folder moved to another: its ".."). */
static int can_change(const char *path, struct diag *d)
{
	if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 || errno == ENOENT)
		return 1;
	diag_error(d, path, 0, 0, "cannot publish the build: %s",
		   strerror(errno));
	return 0;
}

/* Checks, before the commit point, that each step can be made: a step
 * that fails after it leaves the commit to the next run. */
static int plan_check(const struct output *o, const struct step *v, size_t n,
		      struct diag *d)
{
	size_t i;
	int ok = can_change(o->dir, d);

	for (i = 0; ok && i < n; i++) {
		if (v[i].op != STEP_REMOVE)
			ok = can_change(o->stage, d);
		if (ok && v[i].op == STEP_SITE)
			ok = can_change(o->stage_site, d) &&
			     can_change(o->site, d);
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
	if (output_site_prune(o, d) < 0)
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
		uint64_t before = output_ino(name, NULL);
		if (step_make(o, &steps[i]) < 0) {
			int err = errno;
			diag_error(d, name, 0, 0, "cannot publish: %s",
				   strerror(err));
			/* the first step changed nothing: no commit then */
			if (i == 0 && output_ino(name, NULL) == before &&
			    output_step_unlink(journal) == 0)
				*committed = o->pending = 0;
			free(name);
			goto out;
		}
		free(name);
	}
	if (output_step_unlink(journal) < 0) {
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
	output_stage_tidy(o);
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
