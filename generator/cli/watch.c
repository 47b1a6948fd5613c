#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "fsutil.h"
#include "hash.h"
#include "xalloc.h"

/* Without notification, how often the folders are looked at, in ms. */
#define WATCH_POLL_MS 250

struct watch_dir {
	int wd;
	char *path;
};

struct watch {
	int fd;                 /* notification, or -1: looked for */
	struct watch_dir *dirs; /* with notification: the watches; else
				    * the folders asked for */
	size_t n, cap;
	uint64_t seen; /* looked for: what the folders held */
	int changes;   /* notification: counted by the reader */
};

/* Whether an entry called `name` is left out: hidden, the temporary
 * files of stepbook's own writes and of editors' saves. */
static int watch_skip(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || strstr(name, ".tmp-") ||
	       (n && name[n - 1] == '~');
}

static void watch_add_dir(struct watch *w, int wd, const char *path)
{
	w->dirs = xgrow(w->dirs, sizeof(*w->dirs), w->n + 1, &w->cap);
	w->dirs[w->n].wd = wd;
	w->dirs[w->n].path = xstrdup(path);
	w->n++;
}

/* Watches `path` and every folder under it. */
static void watch_add_tree(struct watch *w, const char *path)
{
	DIR *dh;
	struct dirent *e;
	int wd = compat_notify_add(w->fd, path);

	if (wd < 0)
		return;
	watch_add_dir(w, wd, path);
	dh = opendir(path);
	if (!dh)
		return;
	while ((e = readdir(dh))) {
		char *sub;
		if (e->d_name[0] == '.')
			continue;
		sub = path_join(path, e->d_name);
		if (fs_is_dir(sub))
			watch_add_tree(w, sub);
		free(sub);
	}
	closedir(dh);
}

/* Hashes what the folder `path` holds, recursively: each entry's name,
 * kind, size and time (what a change changes). */
static uint64_t watch_scan(const char *path, uint64_t h)
{
	DIR *dh = opendir(path);
	struct dirent *e;

	if (!dh)
		return hash_u64(h, 0);
	while ((e = readdir(dh))) {
		struct timespec t;
		struct stat st;
		char *sub;
		if (watch_skip(e->d_name))
			continue;
		sub = path_join(path, e->d_name);
		if (stat(sub, &st) == 0) {
			t = compat_mtime(&st);
			h = hash_str(h, sub);
			h = hash_u64(h, (uint64_t)st.st_mode);
			h = hash_u64(h, (uint64_t)st.st_size);
			h = hash_u64(h, (uint64_t)t.tv_sec);
			h = hash_u64(h, (uint64_t)t.tv_nsec);
			if (S_ISDIR(st.st_mode))
				h = watch_scan(sub, h);
		}
		free(sub);
	}
	closedir(dh);
	return h;
}

/* Looked for: what all the folders hold, hashed. The order readdir()
 * gives is stable while nothing changes, which is all this needs. */
static uint64_t watch_snapshot(const struct watch *w)
{
	uint64_t h = HASH_SEED;
	size_t i;

	for (i = 0; i < w->n; i++)
		h = watch_scan(w->dirs[i].path, hash_str(h, w->dirs[i].path));
	return h;
}

struct watch *watch_new(const char *const *dirs, int n)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	int i;

	w->fd = compat_notify_open();
	for (i = 0; i < n; i++) {
		if (!fs_is_dir(dirs[i]))
			continue;
		if (w->fd >= 0)
			watch_add_tree(w, dirs[i]);
		else
			watch_add_dir(w, -1, dirs[i]);
	}
	if (w->fd < 0)
		w->seen = watch_snapshot(w);
	return w;
}

void watch_free(struct watch *w)
{
	size_t i;

	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (i = 0; i < w->n; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	free(w);
}

static void watch_event(void *ctx, int wd, const char *name, unsigned what)
{
	struct watch *w = ctx;
	size_t i;

	if (name && watch_skip(name))
		return;
	if (what & COMPAT_NOTIFY_NEW_DIR) {
		for (i = 0; i < w->n; i++)
			if (w->dirs[i].wd == wd) {
				char *sub = path_join(w->dirs[i].path, name);
				watch_add_tree(w, sub);
				free(sub);
				break;
			}
	}
	if (what & COMPAT_NOTIFY_LOST)
		w->changes++;
	if (what & COMPAT_NOTIFY_CHANGE)
		w->changes++;
}

/* Reads the pending events; returns how many concern files (not our
 * own temporary files), adding watches for new folders. */
static int watch_drain(struct watch *w)
{
	w->changes = 0;
	compat_notify_read(w->fd, watch_event, w);
	return w->changes;
}

static int watch_wait_notified(struct watch *w, int timeout_ms, int quiet_ms)
{
	struct pollfd p;
	int r, changed = 0;

	p.fd = w->fd;
	p.events = POLLIN;
	r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? -1 : 0;
	if (r == 0)
		return 0;
	changed = watch_drain(w) > 0;
	for (;;) {
		r = poll(&p, 1, quiet_ms);
		if (r < 0)
			return errno == EINTR ? -1 : changed;
		if (r == 0)
			break;
		if (watch_drain(w) > 0)
			changed = 1;
	}
	return changed;
}

/* Sleeps `ms`. Returns -1 when a signal came, else 0. */
static int watch_sleep(int ms)
{
	return poll(NULL, 0, ms) < 0 && errno == EINTR ? -1 : 0;
}

/* Without notification: the folders are looked at every WATCH_POLL_MS
 * until they changed or the timeout, then until they stay the same for
 * `quiet_ms`. */
static int watch_wait_looking(struct watch *w, int timeout_ms, int quiet_ms)
{
	int waited = 0, quiet = 0, step;
	uint64_t now;

	for (;;) {
		if (waited >= timeout_ms)
			return 0;
		step = timeout_ms - waited < WATCH_POLL_MS ? timeout_ms - waited
							   : WATCH_POLL_MS;
		if (watch_sleep(step) < 0)
			return -1;
		waited += step;
		now = watch_snapshot(w);
		if (now != w->seen)
			break;
	}
	w->seen = now;
	step = quiet_ms < WATCH_POLL_MS ? quiet_ms : WATCH_POLL_MS;
	while (quiet < quiet_ms) {
		if (watch_sleep(step) < 0)
			return -1;
		now = watch_snapshot(w);
		quiet = now == w->seen ? quiet + step : 0;
		w->seen = now;
	}
	return 1;
}

int watch_wait(struct watch *w, int timeout_ms, int quiet_ms)
{
	return w->fd >= 0 ? watch_wait_notified(w, timeout_ms, quiet_ms)
			  : watch_wait_looking(w, timeout_ms, quiet_ms);
}
