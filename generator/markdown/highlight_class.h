/* highlight_class: the few classes highlighted code is coloured with, and
 * which of them each tree-sitter capture name ("keyword",
 * "string.special", "function.method"...) stands for. A coloured run is a
 * span, <span class="k"> for a keyword: short names, after Pygments' (k,
 * s, c, m, nf, kt, nv, o, kc, na, nt, py), as a block's markup holds one
 * every few bytes. The themes' code.css colours each of them;
 * epub-base.css each but the variable's (highlight_markup_epub()).
 * Punctuation has no span in either output: it keeps the code's own text
 * colour, as on GitHub and in highlight.js. */
#ifndef STEPBOOK_HIGHLIGHT_CLASS_H
#define STEPBOOK_HIGHLIGHT_CLASS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum highlight_class {
	HIGHLIGHT_CLASS_NONE,
	HIGHLIGHT_CLASS_KEYWORD,
	HIGHLIGHT_CLASS_STRING,
	HIGHLIGHT_CLASS_COMMENT,
	HIGHLIGHT_CLASS_NUMBER,
	HIGHLIGHT_CLASS_FUNCTION,
	HIGHLIGHT_CLASS_TYPE,
	HIGHLIGHT_CLASS_VARIABLE,
	HIGHLIGHT_CLASS_OPERATOR,
	HIGHLIGHT_CLASS_CONSTANT,
	HIGHLIGHT_CLASS_ATTRIBUTE,
	HIGHLIGHT_CLASS_TAG,
	HIGHLIGHT_CLASS_PROPERTY,
	/* punctuation: a run in the text's own colour, over what a capture
	 * of an outer node coloured (a string's "${"); no span */
	HIGHLIGHT_CLASS_PLAIN
};

/* The opening tag of each class's span, by enum highlight_class (NULL for
 * HIGHLIGHT_CLASS_NONE and HIGHLIGHT_CLASS_PLAIN). */
extern const char *const highlight_class_open[];

/* The class of capture name `name` (`len` bytes, not NUL-terminated), by
 * its dotted prefix; HIGHLIGHT_CLASS_NONE for a name that colours
 * nothing. */
enum highlight_class highlight_class_of(const char *name, uint32_t len);

/* Appends highlighted markup `html` (`len` bytes: whole blocks, as
 * highlight_code() and code_lines_wrap() make them) to `out` as the EPUB
 * has it: without the variables' spans, as variables keep the reader's
 * own text colour there (night mode, sepia), and an e-reader lays out a
 * fifth fewer elements. A coloured run's span holds text alone, so the
 * first </span> after its opening tag is its own. */
void highlight_markup_epub(const char *html, size_t len, struct buf *out);

#endif
