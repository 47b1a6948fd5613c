/* fixture: what the unit tests share besides the harness: books in
 * memory for the passes, books written to a temporary folder for the
 * loader and the writers, and a check of one diagnostic.
 *
 * In memory, fixture_site() starts an empty book and fixture_chapter()
 * adds a chapter made from its text as the loader makes it
 * (site_load_parse(): front matter, slug, Markdown tree) with no pass
 * run, so that a test runs the passes it is about, alone or in order.
 * On disk, fixture_write_book() writes a content folder under a
 * temporary folder made on first use and removed when the test program
 * exits, and fixture_load() loads it with site_load().
 *
 * Release what these make with site_release() and diag_release(), as for
 * any book. */
#ifndef STEPBOOK_FIXTURE_H
#define STEPBOOK_FIXTURE_H

#include <stddef.h>

struct chapter;
struct diag;
struct site;

/* Starts an empty book in memory: its folder is "content" (shown so in
 * diagnostics, though never read) and its settings are the defaults. */
void fixture_site(struct site *s);

/* Adds chapter `file` (within content/) made from `text`, or NULL when
 * its text does not make a chapter (the problem is then in `d`; the
 * chapter is still added, unparsed, as the loader leaves it). A pointer
 * to an earlier chapter may move: index s->chapters after adding. */
struct chapter *fixture_chapter(struct site *s, const char *file,
				const char *text, struct diag *d);

/* Adds each chapter of `files`, NULL-terminated (name, text) pairs, in
 * order; a name not ending in ".md" is an other file of the book (its
 * text unused), kept in s->files as the loader keeps them. Returns how
 * many chapters did not parse. */
size_t fixture_book(struct site *s, const char *const *files, struct diag *d);

/* Writes the NULL-terminated (name, text) pairs of `files` as a new
 * content folder (folders made as needed). Returns its path, valid until
 * the next call. */
const char *fixture_write_book(const char *const *files);

/* Writes `files` as a content folder and loads it into `s` with
 * site_load() (shown as "content"). Returns site_load()'s result. */
int fixture_load(struct site *s, struct diag *d, const char *const *files);

/* The temporary folder of this test program, made on first use and
 * removed at exit (see fixture_write_book()). */
const char *fixture_tmp(void);

/* Whether diagnostic `i` of `d` is exactly the error
 * "file:line:col: msg"; prints what it got when not. */
int fixture_diag_is(const struct diag *d, size_t i, const char *file, int line,
		    int col, const char *msg);

#endif
