/* build: one build of the book, as `build`, `check` and `serve` run it.
 *
 * Loads and validates content/ and the theme, then (unless only checking)
 * opens the output folder (output.h: its lock, and what a stopped build
 * left), stages the site, the EPUB and the cache, and commits them. When
 * anything is wrong, before or while writing, nothing is committed: the
 * output stays as it was. When a text the cache's pack vouched for
 * turns out damaged, the build is made again without the cache. Used
 * once by `stepbook build` and again after every change by `stepbook
 * serve`. */
#ifndef STEPBOOK_BUILD_H
#define STEPBOOK_BUILD_H

#include <stddef.h>

struct diag;

struct build_opts {
	const char *out;     /* output folder ("output") */
	const char *content; /* the book's sources: "content", or an
			      * mdBook book's source folder ("src") */
	const char *theme;   /* theme override, or NULL for book.yml's */
	int no_epub, no_site, verbose;
	int drafts;     /* --drafts: publish `draft: true` chapters */
	int check_only; /* validate, write nothing */
	int strict;     /* warnings are errors (also book.yml's
			      * `strict: true`) */
	int exiting;    /* the process ends after this build: its
			      * model is left to the exit to free */
};

/* How the EPUB's SVG cover was drawn: as one of its jobs; ahead, on a
 * thread beside the site (a build whose cache held the raster of another
 * cover); or ahead from the moment the configuration was read, beside
 * the loading of the chapters too (a build whose cache held none). */
#define BUILD_COVER_DRAWN 1
#define BUILD_COVER_AHEAD 2
#define BUILD_COVER_EARLY 3

struct build_report {
	size_t chapters;
	size_t warnings; /* warnings printed (0 under --strict) */
	size_t written, unchanged, removed;
	int epub_made;      /* the EPUB was made ... */
	int epub_written;   /* ... and it changed */
	int committed;      /* the output is this build's */
	int unfinished;     /* committed, but a step failed: the next
			       * run finishes it */
	size_t epub_reused; /* chapter documents copied from the last EPUB */
	int cover_drawn;    /* the SVG cover was drawn (BUILD_COVER_*), not
			     * taken */
	/* code blocks highlighted in this build, and of those, the ones
	 * highlighted ahead of their chapters (highlight_ahead.h) */
	size_t code_blocks, code_ahead;
	double ms;
	/* where the time went: loading and parsing the book and theme,
	 * writing the site, writing the EPUB, saving the cache */
	double ms_load, ms_site, ms_epub, ms_cache;
	double ms_pack_wait; /* for the cache's pack, after the writers */
	int side_by_side;    /* the EPUB was written beside the site */
	double cpu_load, cpu_site, cpu_epub, cpu_cache; /* CPU, all threads */
	double mb_load, mb_site, mb_epub, mb_cache; /* peak memory after each */
};

/* Builds the book in the current folder. Returns 0, or -1 with every
 * problem recorded in `d`. */
int build_book(const struct build_opts *o, struct build_report *r,
	       struct diag *d);

/* Prints the one-line summary of a build on stderr. */
void build_print_summary(const struct build_opts *o,
			 const struct build_report *r);

#endif
