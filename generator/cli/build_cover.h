/* build_cover: what a build starts ahead, beside the rest: its theme as
 * soon as book.yml is read, and the SVG cover's raster, drawn on a thread
 * of its own. A build whose cache holds no raster (a first or a clean
 * one) would otherwise draw it as one of the EPUB's jobs, with librsvg
 * and its libraries to load first, on one core while the other has
 * little left to do. */
#ifndef STEPBOOK_BUILD_COVER_H
#define STEPBOOK_BUILD_COVER_H

#include <pthread.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "site.h"
#include "theme.h"

struct build_cover {
	const struct site *s;
	const struct theme *t;
	pthread_t thread;
	int running;          /* on `thread`, not joined yet */
	pthread_mutex_t lock; /* for `running`: the EPUB's thread and the
			       * build's may both wait for it */
	uint64_t key;         /* what it was drawn from (0: not drawn) */
	struct buf png;
	int early; /* started once the configuration was read, not after
		    * the chapters were loaded */
};

void build_cover_init(struct build_cover *b);
/* Starts drawing the cover of `s` with theme `t`, which stay as they are
 * until build_cover_join(). */
void build_cover_start(struct build_cover *b, const struct site *s,
		       const struct theme *t);
/* Waits for the cover drawn ahead, if any: the first caller joins its
 * thread, any other waits for that. */
void build_cover_join(struct build_cover *b);
/* Joins it, and frees it. */
void build_cover_release(struct build_cover *b);

/* What a build starts as soon as the book's configuration is read,
 * while its chapters are still being read and parsed (incr.configured):
 * its theme loaded, and, when `want_cover`, the cover, which then has
 * the whole loading to run beside. */
struct build_early {
	const char *theme; /* --theme, or NULL for book.yml's */
	struct theme *t;
	struct build_cover *cover;
	int want_cover; /* an EPUB is to be made, and the cache has no raster */
	int loaded;     /* the theme was loaded here */
	int theme_ok;   /* ... and theme_load() gave 0 */
	struct diag d;  /* the theme's, added to the build's after the load,
			 * where they were before the theme was loaded early */
};

void build_early_init(struct build_early *e, const char *theme, struct theme *t,
		      struct build_cover *cover, int want_cover);
/* The loader's hook: `ctx` is the struct build_early. */
void build_configured(void *ctx, const struct site *s);
/* After the loading: loads the theme of `s` when the hook did not (the
 * configuration had errors), and adds the theme's messages to `d`.
 * Returns whether the theme was loaded without errors. */
int build_early_finish(struct build_early *e, const struct site *s,
		       struct diag *d);

#endif
