/* theme_vars: the variables the site's page templates are given, the
 * interface between stepbook and a theme.
 *
 * One table lists every variable by its path: "book.title", a list's
 * elements as "chapters[].title", and "book.params.*" for the keys of
 * book.yml (the front matter's for "page.params.*"). The README's
 * "Template variables" section documents the same list, and
 * tests/cli/test_theme_vars.sh checks both against each other and
 * against the keys write_site.c and write_extras.c set. The cover
 * template (cover.h) has a context of its own, not listed here. */
#ifndef STEPBOOK_THEME_VARS_H
#define STEPBOOK_THEME_VARS_H

#include <stddef.h>

struct diag;
struct theme;

struct theme_var {
	const char *path;
	const char *doc;
};

extern const struct theme_var theme_vars[];
extern const size_t theme_vars_count;

/* Warns of each tag in the theme's page templates whose name no page is
 * given: a dotted name under a known root (`{{page.minutez}}`), or a
 * plain name outside any section (`{{generatr}}`), with the nearest known
 * name as "did you mean". Names inside sections are the section's own
 * and not checked. */
void theme_vars_check(const struct theme *t, struct diag *d);

#endif
