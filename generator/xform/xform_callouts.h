/* xform_callouts: GitHub alert syntax.
 *
 * A block quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
 * `[!WARNING]` or `[!CAUTION]` (any case) becomes a custom block tagged
 * XFORM_CALLOUT holding the quote's content (rendered as a labelled note
 * in both outputs, see render_markup.h). */
#ifndef STEPBOOK_XFORM_CALLOUTS_H
#define STEPBOOK_XFORM_CALLOUTS_H

struct chapter;
struct diag;

/* Fills c->callouts from c->doc. Returns 0. An unknown kind like
 * `[!DANGER]`, or text after the kind on its line (`[!TIP] A title`),
 * leaves an ordinary quote and a warning. */
int xform_callouts_run(struct chapter *c, struct diag *d);

#endif
