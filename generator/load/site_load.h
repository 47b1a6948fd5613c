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
#include "site_chapters.h"

struct diag;

/* Most chapters one book may have. */
#define SITE_MAX_CHAPTERS 100000

/* Loads and validates the book in `content_dir` (named `shown_dir` in
 * diagnostics), drafts left out. Returns 0, or -1 after recording every
 * problem. Release with site_release() either way. */
int site_load(struct site *s, const char *content_dir, const char *shown_dir,
	      struct diag *d);
/* The same with `hooks` (may be NULL). */
int site_load_with(struct site *s, const char *content_dir,
		   const char *shown_dir, const struct site_hooks *hooks,
		   struct diag *d);

#endif
