/* render_markup: the markup of stepbook's own block and inline nodes
 * (callouts, task items; quizzes are render_quiz's) in each output.
 *
 * `xhtml` selects the EPUB's form over the website's. */
#ifndef STEPBOOK_RENDER_MARKUP_H
#define STEPBOOK_RENDER_MARKUP_H

struct buf;
struct i18n;
struct task;

/* The label shown for a callout kind ("Note", "Tip", ...; any case) in
 * the strings of `t` (borrowed from it); a note's for a kind it does not
 * know. */
const char *render_callout_label(const struct i18n *t, const char *kind);

/* Appends the opening and closing markup of a callout of `kind`: a
 * labelled note (its label from `t`), with an inline SVG icon before the
 * label on the site and the label alone in the EPUB. */
void render_callout_open(const struct i18n *t, const char *kind, int xhtml,
			 struct buf *out);
void render_callout_close(struct buf *out);

/* The markup put before and after a task item's text: a checkbox and its
 * label on the site, a ☐ or ☑ glyph in the EPUB. */
void render_task_open(const struct task *t, int xhtml, struct buf *out);
void render_task_close(int xhtml, struct buf *out);

#endif
