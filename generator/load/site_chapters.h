/* site_chapters: the loader's work on each chapter (the loader's two
 * halves: the book in site_load.c, each chapter here), and the hooks
 * through which a caller of site_load_with() takes part. Included through
 * site_load.h. */
#ifndef STEPBOOK_SITE_CHAPTERS_H
#define STEPBOOK_SITE_CHAPTERS_H

#include <stddef.h>

#include "site.h"

struct diag;

/* Most threads that read and parse chapters at once. */
#define SITE_MAX_THREADS 16
/* Reading speed for a chapter's reading time, in words a minute. */
#define SITE_WORDS_PER_MINUTE 200

/* Ways for the caller to take part in loading, without the model knowing
 * the layers above it. */
struct site_hooks {
	/* Fills chapter `c` (file and path set) from elsewhere, such as the
	 * cache; `full` is its file. Returns 1 when filled, 0 to read and
	 * parse it, -1 when it gave up half-way (the chapter is then reset
	 * and parsed). */
	int (*take)(void *ctx, struct site *s, struct chapter *c,
		    const char *full);
	/* Called after each chapter that was loaded without errors,
	 * whether parsed or filled by take(). */
	void (*parsed)(void *ctx, struct site *s, struct chapter *c);
	/* Called when drafts were left out, before site_load_with()
	 * returns: chapter i is now the one that was chapter from[i], of
	 * `before` chapters loaded. May be NULL. */
	void (*kept)(void *ctx, const size_t *from, size_t n, size_t before);
	/* Called once the book's configuration was read without errors,
	 * before its chapters are read: for work that needs only s->cfg
	 * to start, beside the loading. The title, subtitle, author,
	 * language, theme and cover of s->cfg, and s->content_dir and
	 * s->shown_dir, do not change after it. May be NULL. */
	void (*configured)(void *ctx, const struct site *s);
	void *ctx;
	/* Keep the chapters whose front matter says `draft: true` (the
	 * --drafts option); without it they are left out of the model,
	 * and their diagnostics with them. */
	int drafts;
};

/* Makes the model of chapter `c` from its text, c->source (already read;
 * c->file and c->path set by chapter_init()): checks that it is UTF-8
 * without NUL bytes, reads the front matter, names the chapter (slug,
 * output names), counts its words and parses its Markdown into c->doc.
 * No pass is run: this is what each pass starts from, which lets a test
 * run one pass alone on a chapter made in memory. Reads only s->cfg.
 * Returns 0, or -1 after recording the problem. */
int site_load_parse(const struct site *s, struct chapter *c, struct diag *d);

/* Adds the chapter of the file `file` (within content/) to `s`, with its
 * title in the list of chapters (or NULL); `cap` is the array's room. */
void site_add_chapter(struct site *s, const char *file, const char *title,
		      size_t *cap);
/* Reads, checks and parses every chapter of `s` (the hooks taking part),
 * on a pool of threads; their problems are added to `d` in book order. */
void site_load_chapters(struct site *s, const struct site_hooks *hooks,
			struct diag *d);
/* Takes the drafts out of the model, unless the hooks keep them. */
void site_drop_drafts(struct site *s, const struct site_hooks *hooks);

#endif
