/* highlight_ahead: the code of a whole book highlighted in one go, before
 * its chapters are parsed, language by language.
 *
 * Highlighting a block as its chapter is parsed (xform_code.c) runs each
 * language's parser on a block or two, between the Markdown parser and
 * the renderer, which push the grammar's tables (0.4 to 3.4 MB) out of the
 * core's cache: a clean build of a book with a block in every other
 * section spent about half as long again in tree-sitter as the same blocks
 * highlighted one language after another.
 *
 * So the loader first finds the fenced blocks in the text of every
 * chapter it is to parse (highlight_ahead_scan(), a reading of fences
 * alone, not a Markdown parser), then highlights them all, grouped by
 * language, on every core (highlight_ahead_run()); the chapters, parsed
 * after, take each block's markup from here (highlight_ahead_find()),
 * found by the language and the exact text cmark-gfm gives the block.
 * The scan is only a guess of those texts: a block it reads otherwise
 * (in a block quote, after an {{#include}}, with tabs in its indent) is
 * not found, and is highlighted with its chapter as before; a fence that
 * is not one (in raw HTML) costs its highlighting and nothing else. The
 * markup is highlight_code()'s, whichever way it was made.
 *
 * Identical blocks are highlighted once. */
#ifndef STEPBOOK_HIGHLIGHT_AHEAD_H
#define STEPBOOK_HIGHLIGHT_AHEAD_H

#include <stddef.h>

struct highlight_ahead;

struct highlight_ahead *highlight_ahead_new(void);
void highlight_ahead_free(struct highlight_ahead *a);

/* Adds the fenced blocks of Markdown `text` (`len` bytes) whose info
 * string names a language highlight_language() knows, and returns how
 * many it found. Thread-safe: the loader's threads scan their chapters
 * at once. */
size_t highlight_ahead_scan(struct highlight_ahead *a, const char *text,
			    size_t len);

/* The number of different blocks added. */
size_t highlight_ahead_count(const struct highlight_ahead *a);

/* Highlights every block added, grouped by language, on every core. */
void highlight_ahead_run(struct highlight_ahead *a);

/* The markup highlight_code() gives `code` (`len` bytes) in `lang` (a
 * name highlight_language() returned), when it was made ahead, with its
 * length in *out_len; else NULL. `a` may be NULL. Thread-safe once
 * highlight_ahead_run() returned. */
const char *highlight_ahead_find(const struct highlight_ahead *a,
				 const char *lang, const char *code, size_t len,
				 size_t *out_len);

#endif
