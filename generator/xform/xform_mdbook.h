/* xform_mdbook: what is left of mdBook's directives once the chapter is
 * Markdown (directives.h expands the rest in its text), and mdBook's
 * hidden lines in Rust code.
 *
 * Run on a chapter after xform_headings (it reads the heading ids) and
 * before xform_links (which then checks the links it adds):
 *   - a paragraph that is only `{{#toc}}` becomes the chapter's contents,
 *     a list of links to its level-2 headings with their level-3 ones
 *     nested;
 *   - any other `{{#name ...}}` in the text (not in code) is a warning at
 *     file:line:col and is left out of the page;
 *   - in a code block whose language is `rust`, a line that is `#` or
 *     starts with `# ` (after its indent) is hidden, and `##` at its start
 *     is shown as `#`, as mdBook and rustdoc do. */
#ifndef STEPBOOK_XFORM_MDBOOK_H
#define STEPBOOK_XFORM_MDBOOK_H

struct chapter;
struct diag;

void xform_mdbook_run(struct chapter *c, struct diag *d);

#endif
