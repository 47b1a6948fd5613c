/* starter: the small book `stepbook init` writes, and the shipped themes
 * `stepbook theme export` copies out.
 *
 * The starter book lives in the source tree as starter/content/ and is
 * compiled into the binary beside the themes (embedded.h). It shows the
 * format in three chapters: an introduction, two steps with task items, a
 * quiz, callouts, cross-links and an image; it builds with no warning. */
#ifndef STEPBOOK_STARTER_H
#define STEPBOOK_STARTER_H

#include <stddef.h>

struct diag;

/* Writes the starter book into `dir`/content/ (making `dir` when
 * missing), with a fresh random `identifier:`. Refuses, writing nothing,
 * when `dir`/content exists and is not an empty folder. Sets *n_files to
 * the number of files written. Returns 0, or -1 after recording the
 * problem. */
int starter_write(const char *dir, size_t *n_files, struct diag *d);

/* Copies the files of shipped theme `name` (as compiled in, its `parent`
 * file included) into `dir`, which must not exist or be empty. Sets
 * *n_files. Returns 0, or -1 after recording the problem (an unknown
 * theme, with the list of the shipped ones). */
int starter_export_theme(const char *name, const char *dir, size_t *n_files,
			 struct diag *d);

#endif
