/* site_load: the loader, which makes the site model (site.h) from
 * content/.
 *
 * site_load() reads book.yml and every chapter, parses the Markdown, runs
 * the AST passes in order (heading ids, callouts, task items, quizzes,
 * links; see xform.h) and validates the whole book, collecting every
 * problem. The passes know only the model; the loader is what knows the
 * passes. Only a model loaded without errors is handed to the writers. */
#ifndef STEPBOOK_SITE_LOAD_H
#define STEPBOOK_SITE_LOAD_H

#include "site.h"

struct diag;

/* Most threads that read and parse chapters at once. */
#define SITE_MAX_THREADS 16
/* Most chapters one book may have. */
#define SITE_MAX_CHAPTERS 100000
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
	void *ctx;
	/* Keep the chapters whose front matter says `draft: true` (the
	 * --drafts option); without it they are left out of the model,
	 * and their diagnostics with them. */
	int drafts;
};

/* Loads and validates the book in `content_dir` (named `shown_dir` in
 * diagnostics), drafts left out. Returns 0, or -1 after recording every
 * problem. Release with site_release() either way. */
int site_load(struct site *s, const char *content_dir, const char *shown_dir,
	      struct diag *d);
/* The same with `hooks` (may be NULL). */
int site_load_with(struct site *s, const char *content_dir,
		   const char *shown_dir, const struct site_hooks *hooks,
		   struct diag *d);

/* Makes the model of chapter `c` from its text, c->source (already read;
 * c->file and c->path set by chapter_init()): checks that it is UTF-8
 * without NUL bytes, reads the front matter, names the chapter (slug,
 * output names), counts its words and parses its Markdown into c->doc.
 * No pass is run: this is what each pass starts from, which lets a test
 * run one pass alone on a chapter made in memory. Reads only s->cfg.
 * Returns 0, or -1 after recording the problem. */
int site_load_parse(const struct site *s, struct chapter *c, struct diag *d);

#endif
