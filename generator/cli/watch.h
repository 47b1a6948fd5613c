/* watch: notices changes to the book's folders: told by the system
 * (inotify, see compat.h) where it can, else by looking at the folders
 * every quarter of a second (a hash of every entry's name, size and
 * time), which also serves when the system has no watches left to give.
 *
 * Watches a list of folders recursively (new subfolders are added as they
 * appear). Editors that save by writing a temporary file and renaming it
 * over the original are seen as a change too; hidden files, editors'
 * backups (name~) and stepbook's own temporary files are not. */
#ifndef STEPBOOK_WATCH_H
#define STEPBOOK_WATCH_H

struct watch;

/* Starts watching `dirs` (n of them; missing ones are skipped). Returns
 * the watcher (the caller's, free with watch_free()). */
struct watch *watch_new(const char *const *dirs, int n);
void watch_free(struct watch *w);

/* Waits up to `timeout_ms` for a change, then keeps draining events until
 * `quiet_ms` pass without one (debouncing a burst of saves). Returns 1 when
 * something changed, 0 on timeout, -1 when interrupted by a signal. */
int watch_wait(struct watch *w, int timeout_ms, int quiet_ms);

#endif
