/* xform_tasks: GFM task items become checklist entries.
 *
 * Each `- [ ] text` item is collected with a stable id (the chapter's slug
 * and the slug of the text, so it survives other items moving; a repeated
 * text gets "-2", "-3") and the heading it sits under. The item's text is
 * wrapped in a custom inline tagged XFORM_TASK (a checkbox and label on
 * the site, a ☐ glyph in the EPUB: see render_markup.h). */
#ifndef STEPBOOK_XFORM_TASKS_H
#define STEPBOOK_XFORM_TASKS_H

struct chapter;
struct diag;

/* Longest part of a task's id made from its text, in bytes (after the
 * chapter's slug, before "-n"). */
#define XFORM_TASKS_ID_MAX 60

/* Fills c->tasks from c->doc (after xform_headings_run). Returns 0. */
int xform_tasks_run(struct chapter *c, struct diag *d);

#endif
