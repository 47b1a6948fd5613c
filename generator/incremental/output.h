/* output: the output folder, changed as one transaction.
 *
 * What a build publishes lives in its output folder (`output/`): site/,
 * the website; <slug>.epub, which is also site/<slug>.epub (one file, two
 * names); and the cache, .stepbook-cache and its .pack. A build changes
 * them all, or none, wherever it stops (an error, a full disk, SIGKILL):
 *
 *   - output_open() takes the folder's lock, .stepbook-lock (an fcntl()
 *     write lock, which the kernel drops when the process ends, however
 *     it ends): a second stepbook fails at once with "another stepbook
 *     (pid N) is writing output/". It then finishes, or clears, what a
 *     stopped build left (below).
 *   - The writers make every new file in the staging folder,
 *     .stepbook-stage/: the new site in .stepbook-stage/site/ (a file
 *     that did not change is a hard link to the published one), the new
 *     EPUB and cache files beside it. Nothing published changes.
 *   - output_commit() writes a journal naming the steps that publish
 *     what was staged, and renames it to .stepbook-journal: that rename
 *     is the commit point. Then it makes the steps in order: the staged
 *     site and the published one swap names in one
 *     renameat2(RENAME_EXCHANGE); the EPUB and the cache files are
 *     renamed over the old ones; a renamed book's old EPUB is removed.
 *     Then it removes the journal. A step can be made again without
 *     harm: the inode the journal recorded tells whether it is done.
 *   - The next output_open() that finds a journal makes its steps first;
 *     one that finds none removes what a build stopped before its
 *     commit point staged.
 *
 * So at any moment: with no journal, the published files are exactly
 * those of the last build that committed; with one, some of its steps
 * are done, and the next stepbook run (build, serve or clean) does the
 * rest before anything else. site/ never holds a temporary file. (The
 * files are not flushed to the disk with fsync(): this holds when the
 * process stops, not when the machine loses power.)
 *
 * The site swapped out by the commit stays in .stepbook-stage/site/: the
 * next build makes its staged site from it, comparing each entry's inode
 * with the published file it must be, so that a build that changes a
 * few pages links, writes and removes only those few, not every file of
 * a 1,000-page site twice.
 *
 * The output's paths are relative to the current folder, as given. One
 * `struct output` serves one build; the site functions may be called
 * from several threads at once (each with its own `d`). */
#ifndef STEPBOOK_OUTPUT_H
#define STEPBOOK_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct fs_piece;
struct output;

/* The folder's entries stepbook owns. */
#define OUTPUT_SITE "site"
#define OUTPUT_LOCK ".stepbook-lock"
#define OUTPUT_JOURNAL ".stepbook-journal"
#define OUTPUT_STAGE ".stepbook-stage"

/* Opens the output folder `dir` for a build: makes it if needed, takes
 * its lock, finishes the commit of a build that stopped after its commit
 * point, and clears what one that stopped before it staged. Returns the
 * output (free with output_close()), or NULL after recording the error
 * in `d` (the folder cannot be made or locked, another stepbook holds
 * the lock, a journal's step cannot be made). */
struct output *output_open(const char *dir, struct diag *d);

/* Forgets what was staged and not committed (the staged files are
 * removed; the staged site is kept for the next build to start from),
 * releases the lock and frees `o`. NULL is allowed. */
void output_close(struct output *o);
/* Forgets what was staged and not committed, as output_close() does,
 * but keeps `o` open (and locked) for a build made again. */
void output_discard(struct output *o);

/* Whether what the folder holds is unknown: output_open() found a journal
 * that does not fit it (something else changed the folder). The cache
 * must not vouch for it then: the build makes every file again. */
int output_unknown(const struct output *o);

/* "DIR/name", where `name` is published, and where it is staged; the
 * caller's. */
char *output_path(const struct output *o, const char *name);
char *output_staged(const struct output *o, const char *name);

/* Starts staging a new site. Returns 0, or -1 after recording the
 * error. Until then, and when it is never called (a build without a
 * site), the commit leaves the published site as it is. Called again
 * (a build made again), it starts over. */
int output_site_begin(struct output *o, struct diag *d);
/* Whether there is no published site to start from: every file is
 * then written, without comparing it with the old one. */
int output_site_fresh(const struct output *o);
/* The published site folder ("DIR/site"); borrowed. */
const char *output_site_dir(const struct output *o);
/* Whether the published site holds the regular file `path` (relative
 * to the site), as it was when output_site_begin() looked. */
int output_site_has(const struct output *o, const char *path);

/* Makes the paths the site functions below take relative to the folder
 * `dir` of the site ("es/": a translation's pages), or (NULL or "") to
 * the site itself again. The staged site is one for every language: what
 * none of them put there is removed at the commit. Not to be called
 * while a site function runs on another thread. */
void output_site_prefix(struct output *o, const char *dir);

/* Put file `path` (relative to the site) in the staged site, which
 * holds exactly the files these calls put there:
 *   keep:  the published file, unchanged (a hard link to it);
 *   write: these bytes (when the published file holds them already, it
 *          is kept instead, and *changed, unless NULL, is set to 0;
 *          else to 1);
 *   patch: a new file made of `pieces`, whose old bytes are the
 *          published file's (see fs_write_pieces()).
 * Each returns 0, or -1 after recording the error in `d`. */
int output_site_keep(struct output *o, const char *path, struct diag *d);
int output_site_write(struct output *o, const char *path, const void *data,
		      size_t len, int *changed, struct diag *d);
int output_site_patch(struct output *o, const char *path,
		      const struct fs_piece *pieces, size_t n, struct diag *d);
/* The stamp (fs_stamp()) of the staged file `path`: the one the
 * published file has once committed. */
uint64_t output_site_stamp(const struct output *o, const char *path);
/* How many files of the published site the staged one does not hold
 * (a deleted chapter's page): the commit removes them. */
size_t output_site_dropped(const struct output *o);

/* Stages the file `name` (at the top of the output folder) with these
 * bytes, to replace the published one at the commit; when the published
 * file holds them already, it stays as it is, and *changed (unless NULL)
 * is set to 0, else to 1. May run beside the site functions, and beside
 * another output_put(), on other threads. Returns 0, or -1 after
 * recording the error. */
int output_put(struct output *o, const char *name, const void *data, size_t len,
	       int *changed, struct diag *d);
/* Puts the file `name` staged by output_put() in the staged site too, as
 * the same file; then the commit also removes a file of the published
 * site that is at the top of the output folder too (a renamed book's
 * EPUB) and that the staged site does not hold, from both places.
 * Returns 0, or -1 after recording the error. */
int output_site_add(struct output *o, const char *name, struct diag *d);
/* Notes that the caller staged the file `name` itself (at
 * output_staged()): it replaces the published one at the commit, after
 * the site and the files put or noted before it. Thread-safe, as is
 * output_put(). */
void output_replace(struct output *o, const char *name);

/* Publishes what was staged (see above). Returns 0; or -1 after
 * recording the error, with *committed set to 0 when nothing was
 * published (the output is as it was), or to 1 when the commit point
 * was passed and a step failed (the next stepbook run makes it). */
int output_commit(struct output *o, int *committed, struct diag *d);

/* Removes the output folder `dir` (if there) under its lock. Returns 0,
 * or -1 after recording the error (another stepbook holds the lock, a
 * file cannot be removed). */
int output_clean(const char *dir, struct diag *d);

#endif
