/* outdir: where the output folder may be, and what marks it as one.
 *
 * The output folder is written and, by `stepbook clean`, removed whole:
 * it must never be a folder of the book's sources. outdir_check() refuses
 * an output folder that is content/ or a theme folder or lies inside one,
 * or that is (or holds) the book's own folder. Every build marks the
 * folder it writes with OUTDIR_MARKER (outdir_mark()), and `clean`
 * removes only a folder so marked (outdir_is_ours()), or one that holds
 * the cache of a build made before the marker was written. Paths are
 * taken relative to the current folder, the book's (see `-C`). */
#ifndef STEPBOOK_OUTDIR_H
#define STEPBOOK_OUTDIR_H

struct buf;
struct diag;

/* The marker file every build writes at the top of its output folder. */
#define OUTDIR_MARKER ".stepbook-output"

/* Checks that the output folder `out` is not content/, themes/ or a
 * folder inside them, nor the book's folder or one holding it, with
 * symlinks resolved and whether or not `out` exists yet. Returns 0, or
 * -1 with the reason appended to `why` (a sentence for "stepbook: ..."). */
int outdir_check(const char *out, const char *content, struct buf *why);

/* Makes the folder `out` if needed and writes the marker in it unless it
 * is there. Returns 0, or -1 after recording the error. */
int outdir_mark(const char *out, struct diag *d);

/* Whether `out` is a folder a build of stepbook wrote: it holds the
 * marker, or the cache (.stepbook-cache) as a regular file. */
int outdir_is_ours(const char *out);

#endif
