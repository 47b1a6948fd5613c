/* xform_headings: stable heading ids.
 *
 * Each heading gets the slug of its text, made unique in its chapter by
 * "-1", "-2"...; a trailing `{#id}` sets the id explicitly (and is removed
 * from the text). Headings are replaced by custom blocks tagged
 * XFORM_HEADING so that the renderer can write `<hN id="...">`. */
#ifndef STEPBOOK_XFORM_HEADINGS_H
#define STEPBOOK_XFORM_HEADINGS_H

struct chapter;
struct diag;

/* Longest id made from a heading's text, in bytes (before "-n"). */
#define XFORM_HEADINGS_ID_MAX 80

/* Fills c->headings from c->doc. Returns 0, or -1 after recording each
 * problem (a duplicate or malformed explicit id). */
int xform_headings_run(struct chapter *c, struct diag *d);

#endif
