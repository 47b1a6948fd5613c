/* xform_code: fenced code blocks coloured at build time.
 *
 * A fenced block whose info string names a language highlight.h knows
 * (```python, ```console, ```JS {hl_lines=2}) becomes a custom block
 * tagged XFORM_CODE whose markup, the same for the site and the EPUB, is
 * the block as cmark-gfm writes it (<pre><code class="language-...">)
 * with the code coloured by highlight_code(). Each block is parsed once,
 * here, when the chapter is read; the original node is kept in
 * c->detached, at the tag's index, for its text (the search index reads
 * it). Other code blocks are left as they are: plain text. */
#ifndef STEPBOOK_XFORM_CODE_H
#define STEPBOOK_XFORM_CODE_H

struct chapter;

/* Highlights the code blocks of c->doc. */
void xform_code_run(struct chapter *c);

#endif
