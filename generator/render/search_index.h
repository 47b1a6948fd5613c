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
 * A book of more than SEARCH_PART_CHAPTERS chapters has its index in
 * parts of that many chapters, so that an edit rewrites one part, not
 * the whole index: search-index.js holds the first and names the others,
 * which the theme's script then loads, each in a file of its own:
 *
 *     window.STEPBOOK_SEARCH = {"v":1,"parts":["search-index-2.js", ...],
 *                               "chapters":[CHAPTER, ...]};
 *     (window.STEPBOOK_SEARCH_PARTS = window.STEPBOOK_SEARCH_PARTS || {})
 *         ["search-index-2.js"] = {"v":1,"chapters":[CHAPTER, ...]};
 *
 * The chapters of the parts, in order, are the book's.
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
/* Chapters in each part of the index, and the names of the parts after
 * the first (numbered from 2), and what each of them starts with. */
#define SEARCH_PART_CHAPTERS 100
#define SEARCH_PART_FORMAT "search-index-%zu.js"
#define SEARCH_PARTS_PREFIX \
	"(window.STEPBOOK_SEARCH_PARTS = window.STEPBOOK_SEARCH_PARTS || {})"

/* Appends chapter `c`'s entry of the index (CHAPTER above, as script-safe
 * JSON text) to `out`, from its tree. Cannot fail. */
void search_index_chapter(const struct chapter *c, struct buf *out);

/* The number of files of the index of `s` (1 for a book of up to
 * SEARCH_PART_CHAPTERS chapters), and the name of file `part` (0 is
 * SEARCH_INDEX_FILE), appended to `out`. */
size_t search_index_parts(const struct site *s);
void search_index_part_name(size_t part, struct buf *out);
/* The number of chapters in file `part`; *first is set to the first. */
size_t search_index_part_chapters(const struct site *s, size_t part,
				  size_t *first);

/* Appends file `part` of the index of `s` (a model that loaded without
 * errors; part 0 is SEARCH_INDEX_FILE, the whole index of a book of up
 * to SEARCH_PART_CHAPTERS chapters) to `out`, with entry(arg, i, out)
 * appending the entry (search_index_chapter()) of the part's chapter i
 * (counted from the part's first). `total` is about how many bytes the
 * entries take. When `at` is not NULL, at[2i] and at[2i+1] are set to
 * where entry i starts and ends in `out` (the entries follow one
 * another with a comma between). Cannot fail. */
void search_index_build_part(const struct site *s, size_t part,
			     void (*entry)(void *arg, size_t i,
					   struct buf *out),
			     void *arg, size_t total, struct buf *out,
			     uint64_t *at);

#endif
