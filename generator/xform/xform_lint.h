/* xform_lint: warnings for Markdown that renders without complaint but is
 * almost surely not what the author meant.
 *
 * Run on a chapter after the other passes (it reads the headings they
 * found and the tree they left). It changes nothing; each finding is a
 * warning at file:line:col with the source line:
 *   - a footnote reference with no definition (`[^burrr]` printed as is);
 *   - a fence that names a quiz in the wrong case or spelling (```Quiz),
 *     which stays a code block;
 *   - an image without alt text;
 *   - a heading that skips a level (## then ####; the title is the h1);
 *   - a chapter with nothing after its front matter. */
#ifndef STEPBOOK_XFORM_LINT_H
#define STEPBOOK_XFORM_LINT_H

struct chapter;
struct diag;

/* Records the warnings for chapter `c` (parsed; c->source still held). */
void xform_lint_run(struct chapter *c, struct diag *d);

#endif
