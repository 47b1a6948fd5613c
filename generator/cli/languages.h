/* languages: a book in several languages.
 *
 * A book lists the languages it is translated into in book.yml's
 * `translations: [es, fr]`. Each translation is a book of its own in
 * content/<tag>/: its book.yml (its title, description and `chapters:`,
 * with `language:` the folder's tag), its chapters, images and strings.
 * What its book.yml does not set of `theme` and `base_url` it takes from
 * the book's (base_url with "<tag>/" added). The book's own language is
 * published at the top of the site, each translation in site/<tag>/
 * with its own search index, checklist and EPUB.
 *
 * A chapter is the same chapter in every language when its file has the
 * same name (content/03-avoid.md and content/es/03-avoid.md): the
 * language switcher of each page and its hreflang links lead there, and
 * to a language's index where that language lacks the chapter, which is
 * a warning naming it. Cross-links are checked within each language. */
#ifndef STEPBOOK_LANGUAGES_H
#define STEPBOOK_LANGUAGES_H

#include <stddef.h>

#include "cache_save.h"
#include "incremental.h"
#include "site.h"
#include "theme.h"

struct diag;

/* A translation, loaded: its model, theme and texts, and the name of its
 * EPUB. Each has a cache of its own beside the book's (CACHE_FILE-<tag>
 * in the output folder), so that a rebuild renders again only what
 * changed in it, as the book's does. */
struct language_book {
	struct site s;
	struct theme t;
	struct incr inc;
	char *epub;  /* "<slug>.epub", or "<slug>-<tag>.epub" when the
		      * book's own has that name */
	char *cache; /* its cache's name in the output folder */
	struct cache_save packed; /* its cache as the build writes it */
};

struct languages {
	struct site_language *v; /* every language, the book's own first */
	size_t n;
	struct language_book *books; /* n - 1 translations, in order */
};

/* Loads and checks each translation of `root` (loaded; its `theme` the
 * one the build uses, `theme`), from `content`/<tag>/, and links every
 * language's model to the others (site.languages). Each reads its cache
 * from the output folder `out` unless `use_cache` is 0. `drafts` is
 * --drafts. Returns 0 (nothing to do for a book without translations),
 * or -1 after recording every problem. Release with languages_release()
 * either way, after `root`'s last use of the table. */
int languages_load(struct languages *l, struct site *root, const char *theme,
		   const char *content, const char *out, int use_cache,
		   int drafts, struct diag *d);
void languages_release(struct languages *l);

#endif
