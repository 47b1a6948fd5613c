/* xform_code: fenced code blocks coloured at build time.
 *
 * A fenced block whose info string names a language highlight.h knows
 * (```python, ```console, ```JS {hl_lines=2}) becomes a custom block
 * tagged XFORM_CODE whose markup, the same for the site and the EPUB, is
 * the block as cmark-gfm writes it (<pre><code class="language-...">)
 * with the code coloured by highlight_code(). Each block is parsed once:
 * ahead of its chapter, with the book's other code (highlight_ahead.h),
 * or here when it was not found there; the original node is kept in
 * c->detached, at the tag's index, for its text (the search index reads
 * it). Other code blocks, without attributes, are left as they are:
 * plain text.
 *
 * The markup is not in the tree: the custom block holds a placeholder,
 * XFORM_CODE_OPEN, the offset and length of the block's markup in
 * c->code (decimal, with a '.' between), XFORM_CODE_CLOSE, and a newline.
 * The markup is several times the code's size, and the passes over a
 * chapter's rendered text (render.h) read none of it: the chapter's
 * texts hold the placeholders, and render_links() puts the markup in
 * their place as it writes each output. */
#ifndef STEPBOOK_XFORM_CODE_H
#define STEPBOOK_XFORM_CODE_H

#include <stddef.h>

/* private-use U+E008 and U+E009 (cmark-gfm writes a custom block's markup
 * as it is). A book's own text may hold them too: render_links() puts in
 * place only a placeholder that points to whole blocks. */
#define XFORM_CODE_OPEN "\xEE\x80\x88"
#define XFORM_CODE_CLOSE "\xEE\x80\x89"

struct chapter;
struct diag;
struct highlight_ahead;

/* Highlights the code blocks of c->doc, and numbers or marks their lines
 * as their info strings' attributes ask (code_lines.h), in a known
 * language or not; a block's markup made ahead, in `ahead` (may be NULL:
 * see highlight_ahead.h), is taken from there. Each block's markup goes
 * to c->code, which the call starts again. A mistake in the
 * attributes is a warning in `d`. Returns the number of blocks in a
 * known language, with in *from_ahead how many were made ahead.
 * `rtl`: the book is right to left, and each <pre> says dir="ltr" (code
 * reads left to right; EPUB's CSS may not set the direction). */
size_t xform_code_run(struct chapter *c, int rtl,
		      const struct highlight_ahead *ahead, size_t *from_ahead,
		      struct diag *d);

#endif
