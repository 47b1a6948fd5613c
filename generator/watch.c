#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
		    IN_DELETE | IN_DELETE_SELF | IN_MODIFY | IN_ATTRIB)

struct watch_dir {
	int wd;
	char *path;
};

struct watch {
	int fd;
	struct watch_dir *dirs;
	size_t n, cap;
};

static void watch_add_tree(struct watch *w, const char *path)
{
	DIR *dh;
	struct dirent *e;
	int wd = inotify_add_watch(w->fd, path, WATCH_MASK | IN_ONLYDIR);

	if (wd < 0)
		return;
	w->dirs = xgrow(w->dirs, sizeof(*w->dirs), w->n + 1, &w->cap);
	w->dirs[w->n].wd = wd;
	w->dirs[w->n].path = xstrdup(path);
	w->n++;
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

struct watch *watch_new(const char *const *dirs, int n)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	int i;

	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		free(w);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (fs_is_dir(dirs[i]))
			watch_add_tree(w, dirs[i]);
	return w;
}

void watch_free(struct watch *w)
{
	size_t i;

	if (!w)
		return;
	close(w->fd);
	for (i = 0; i < w->n; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	free(w);
}

/* Reads pending events; returns how many concern files (not our own
 * temporary files), adding watches for new folders. */
static int watch_drain(struct watch *w)
{
	char ev[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changes = 0;

	for (;;) {
		ssize_t len = read(w->fd, ev, sizeof(ev));
		char *p;
		if (len <= 0)
			break;
		for (p = ev; p < ev + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			p += sizeof(*e) + e->len;
			if (e->len && e->name[0] == '.')
				continue;
			if (e->len && strstr(e->name, ".tmp-"))
				continue;
			if (e->len && e->name[strlen(e->name) - 1] == '~')
				continue;
			if ((e->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    (e->mask & IN_ISDIR)) {
				size_t i;
				for (i = 0; i < w->n; i++)
					if (w->dirs[i].wd == e->wd) {
						char *sub = path_join(w->dirs[i].path,
								      e->name);
						watch_add_tree(w, sub);
						free(sub);
						break;
					}
			}
			if (e->mask & IN_Q_OVERFLOW)
				changes++;
			if (e->mask & WATCH_MASK)
				changes++;
		}
	}
	return changes;
}

int watch_wait(struct watch *w, int timeout_ms, int quiet_ms)
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
