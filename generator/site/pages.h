/* pages: the template context of every page of the website.
 *
 * Each page's whole context is made by one function here, through
 * context.h: write_site calls it once to key the page (CTX_KEY) and, when
 * the key is not the one the last build recorded, once more to render it
 * (CTX_JSON). There is no other list of what a page is made of.
 *
 * What every page shares (the book, the list of chapters, the theme) is
 * made once per build (struct pages) and put in each context as a shared
 * value. The values:
 *   every page  book (title, slug, subtitle, author, description,
 *               language, base_url, cover, epub, tasks, tasks_text,
 *               params, url, image), chapters[] (title, summary, href,
 *               slug, number, step, step_label, minutes, tasks,
 *               tasks_text), nav (the chapters the sidebar lists: all of
 *               a book of up to PAGES_NAV_FULL chapters, else a window
 *               with "gap" entries; on a chapter's page its entry has
 *               `current`), start (the first chapter's title and href),
 *               generator, theme, url, og_type (write_extras.h);
 *   index.html  is_index;
 *   a chapter   page (title, summary, slug, href, step, step_label,
 *               minutes, words, tasks, tasks_text, params, toc[] and
 *               has_toc, backlinks[] and has_backlinks, prev, next, body),
 *               is_chapter;
 *   checklist   groups[] (a chapter's tasks), is_checklist;
 *   print.html  print, is_print (write_extras_print_context());
 *   404.html    is_404. */
#ifndef STEPBOOK_PAGES_H
#define STEPBOOK_PAGES_H

#include <stddef.h>

#include "context.h"

struct incr;
struct site;
struct theme;

/* A book of up to PAGES_NAV_FULL chapters lists them all in every
 * page's sidebar; a longer one lists the first chapter, the
 * PAGES_NAV_AROUND chapters either side of the current one and the last,
 * with "gap" entries linking to the index's full list, so that a page
 * costs the same whatever the size of the book (1,000 pages each listing
 * 1,000 chapters would be quadratic). */
#define PAGES_NAV_FULL 150
#define PAGES_NAV_AROUND 12

/* A chapter's interface strings with a number in them, which its entry
 * and its page both show (see pages.c). */
enum pages_text_kind {
	PAGES_STEP_TEXT,
	PAGES_STEP_OF_GUIDE,
	PAGES_MINUTES_READ,
	PAGES_MINUTES_SHORT,
	PAGES_TASKS_TEXT,
	PAGES_N_TEXTS
};

struct pages_texts {
	struct ctx_value v[PAGES_N_TEXTS];
};

struct pages {
	const struct site *s;
	const struct theme *t;
	const struct incr *inc; /* the chapters' texts */
	char *base;             /* book.url, or NULL */
	enum ctx_mode mode;     /* what the shared values were made for */
	struct ctx_value book, chapters, start, theme;
	struct ctx_value strings;  /* `t`: the interface strings */
	struct ctx_value *entry;   /* each chapter's entry in `chapters` */
	struct pages_texts *texts; /* each chapter's strings */
};

/* Makes what the pages of `s` share, for keys only (CTX_KEY) or for
 * rendering too (CTX_JSON). `epub` is the name of the EPUB in the site,
 * or NULL. Release with pages_release(). */
void pages_init(struct pages *p, const struct site *s, const struct theme *t,
		const struct incr *inc, const char *epub, enum ctx_mode mode);
void pages_release(struct pages *p);

/* Each builds the whole context of its page into `x`, begun (ctx_begin())
 * in the mode `p` was made for, or CTX_KEY. */
void pages_index(const struct pages *p, struct ctx *x);
void pages_chapter(const struct pages *p, size_t ci, struct ctx *x);
void pages_checklist(const struct pages *p, struct ctx *x);
void pages_print(const struct pages *p, struct ctx *x);
void pages_404(const struct pages *p, struct ctx *x);

#endif
