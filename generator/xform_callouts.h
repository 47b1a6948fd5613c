/* xform_callouts: GitHub alert syntax.
 *
 * A block quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
 * `[!WARNING]` or `[!CAUTION]` (any case) becomes a custom block tagged
 * XFORM_CALLOUT holding the quote's content, rendered as a labelled note
 * in both outputs, with an icon on the site. */
#ifndef STEPBOOK_XFORM_CALLOUTS_H
#define STEPBOOK_XFORM_CALLOUTS_H

struct buf;
struct chapter;
struct diag;

/* Fills c->callouts from c->doc. Returns 0. An unknown kind like
 * `[!DANGER]`, or text after the kind on its line (`[!TIP] A title`),
 * leaves an ordinary quote and a warning. */
int xform_callouts_run(struct chapter *c, struct diag *d);

/* The label shown for a kind ("Note", "Tip", ...). */
const char *xform_callouts_label(const char *kind);

/* Appends the opening and closing markup of a callout of `kind`; `xhtml`
 * selects the EPUB form (the text label alone) over the site's (an
 * inline SVG icon before the label). */
void xform_callouts_open(const char *kind, int xhtml, struct buf *out);
void xform_callouts_close(struct buf *out);

#endif
