/* code_lines: a code block's lines numbered or marked, as an info
 * string's attributes ask, in the form Hugo's authors know:
 *
 *     ```python {hl_lines="2-3 5" linenos=true linenostart=10}
 *
 * hl_lines marks lines, counted from the block's first line as 1 (not
 * from linenostart): single lines and ranges, apart by spaces or commas,
 * quoted or not, or as a list (hl_lines=[2,"4-5"]). linenos=true (or
 * table, inline) numbers the lines, from linenostart (1 unless given).
 *
 * The block's markup then has one <span class="line"> per line (with
 * " hl-mark" when marked), each ending with its newline, and, when
 * numbered, an empty <span class="ln" data-ln="N" aria-hidden="true">
 * at its start: the themes show N with CSS generated content, so it is
 * neither read aloud nor copied with the code. */
#ifndef STEPBOOK_CODE_LINES_H
#define STEPBOOK_CODE_LINES_H

#include <stddef.h>

struct buf;

/* Marks of more lines than this are refused. */
#define CODE_LINES_MAX 100000

struct code_lines {
	int numbers;           /* linenos */
	long start;            /* linenostart */
	unsigned char *marked; /* marked[i]: line i + 1 is marked */
	size_t n_marked;       /* the length of marked[] */
};

/* Where the attributes start in info string `info` (at its "{"), or
 * NULL when it has none. */
const char *code_lines_attrs(const char *info);

/* Reads attributes `attrs` (from "{" to "}") into `cl`, which the caller
 * releases with code_lines_release() whatever this returns. Returns 0, or
 * -1 with a message in `err` and the offset in `attrs` it is about in
 * *at (what was read until then stays). */
int code_lines_parse(const char *attrs, struct code_lines *cl, struct buf *err,
		     size_t *at);
void code_lines_release(struct code_lines *cl);

/* Writes code markup `html` (`len` bytes: escaped text and <span ...>
 * ... </span>, as highlight_code() writes it) to `out` a line at a time:
 * the spans open at a newline are closed before it and opened again
 * after, so each line's span holds whole elements. */
void code_lines_wrap(const char *html, size_t len, const struct code_lines *cl,
		     struct buf *out);

#endif
