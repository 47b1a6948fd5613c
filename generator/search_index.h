/* search_index: the website's search index, `search-index.js`.
 *
 * The index lists the book section by section: for each chapter, its
 * introduction (what comes before the first h2 or h3, with the chapter's
 * summary) and then one entry per h2 and h3 section. Deeper headings, the
 * text of paragraphs, list and task items, table cells, callouts, code
 * blocks, footnotes and image descriptions go into the section they sit
 * in. Quiz questions are included, their choices and explanations are not
 * (a snippet would give the answer away). Raw HTML is left out.
 *
 * It is written as a script, so that the theme can load it with a
 * <script> tag from file:// as well as over HTTP (browsers refuse to
 * fetch a file:// URL):
 *
 *     window.STEPBOOK_SEARCH = {"v":1,"chapters":[CHAPTER, ...]};
 *
 *     CHAPTER = [title, href, [SECTION, ...]]
 *     SECTION = [id, heading, text]  or  [id, heading, text, more]
 *
 * `href` is the chapter's page ("02-accept.html"); `id` is the heading's
 * id, so a section's URL is href + "#" + id. The first section of every
 * chapter is its introduction, with id "" and heading "" (it links to the
 * page itself and shows the chapter title). `text` is the section's plain
 * text with runs of white space made one space, cut at a word boundary
 * after SEARCH_TEXT_MAX bytes; when it was cut, `more` lists the words of
 * the rest that `text` does not already hold (compared without ASCII
 * case), separated by spaces, so that every word stays searchable while
 * the index stays small.
 *
 * The JSON is written plain, strings escaped as json-c escapes them but
 * without escaping slashes; every '<' is written \u003c (so "</script>"
 * or "<!--" in a text can never end a script element) and U+2028 and
 * U+2029 as \u2028 and \u2029. The
 * output depends only on the site model: two builds of the same book are
 * byte-identical. */
#ifndef STEPBOOK_SEARCH_INDEX_H
#define STEPBOOK_SEARCH_INDEX_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct chapter;
struct site;

/* The format version, the "v" member. */
#define SEARCH_INDEX_VERSION 1
/* Bytes of a section's text kept verbatim (for result snippets). */
#define SEARCH_TEXT_MAX 1500
/* What the script assigns before the JSON. */
#define SEARCH_INDEX_PREFIX "window.STEPBOOK_SEARCH = "
/* The file name the site writer gives it. */
#define SEARCH_INDEX_FILE "search-index.js"

/* Appends chapter `c`'s entry of the index (CHAPTER above, as script-safe
 * JSON text) to `out`, from its tree. Cannot fail. */
void search_index_chapter(const struct chapter *c, struct buf *out);

/* Appends the whole of search-index.js for site `s` (a model that loaded
 * without errors) to `out`, from each chapter's entry (made now for a
 * chapter that has none yet). When `at` is not NULL, at[2i] and at[2i+1]
 * are set to where chapter i's entry starts and ends in `out` (the
 * entries follow one another with a comma between). Cannot fail (out of memory is fatal). */
void search_index_build(struct site *s, struct buf *out, uint64_t *at);

#endif
