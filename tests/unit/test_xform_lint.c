/* Unit tests for xform_lint: each kind of Markdown that renders silently
 * but wrongly gives one warning at its file:line:col with the source
 * line, and correct Markdown gives none. The headings pass runs first
 * (the lint reads its headings), then the lint, on chapters made in
 * memory. */
#include <string.h>

#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "site.h"
#include "xform_headings.h"
#include "xform_lint.h"

/* Makes chapter "a.md" of a new book `s` from `text`, runs the headings
 * pass and the lint. Returns the number of warnings, or -1 when the text
 * makes no chapter. */
static int lint(struct site *s, struct diag *d, const char *text)
{
	struct chapter *c;

	fixture_site(s);
	c = fixture_chapter(s, "a.md", text, d);
	if (!c)
		return -1;
	xform_headings_run(c, d);
	xform_lint_run(c, d);
	return (int)d->warnings;
}

/* Whether warning `i` of `d` is at line:col, starts with `msg` and shows
 * the source line `src`. */
static int warning_is(const struct diag *d, size_t i, int line, int col,
		      const char *msg, const char *src)
{
	const struct diag_entry *e = i < d->n ? &d->v[i] : NULL;

	return e && e->level == DIAG_WARNING && e->line == line &&
	       e->col == col && !strncmp(e->msg, msg, strlen(msg)) &&
	       e->source && !strcmp(e->source, src);
}

#define FM "---\ntitle: A\n---\n"

static void test_clean(void)
{
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(lint(&s, &d,
		       FM
		       "## One\n\n### Two\n\n## Three\n\n"
		       "Text[^n] and ![a cup](c.png).\n\n"
		       "[^n]: A note.\n\n```quiz\n? Q\n- [x] a\n- [ ] b\n```\n"
		       "```python\nx = 1\n```\n"),
		  0);
	site_release(&s);
	diag_release(&d);
}

static void test_each(void)
{
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(lint(&s, &d, FM "\nBeans[^burrr] matter.\n"), 1);
	CHECK(warning_is(&d, 0, 5, 6, "footnote '[^burrr]' is not defined",
			 "Beans[^burrr] matter."));
	site_release(&s);
	diag_release(&d);

	diag_init(&d);
	CHECK_INT(lint(&s, &d, FM "\n```Quiz\n? Q\n```\n"), 1);
	CHECK(warning_is(&d, 0, 5, 1, "code block 'Quiz' is not a quiz",
			 "```Quiz"));
	site_release(&s);
	diag_release(&d);

	diag_init(&d);
	CHECK_INT(lint(&s, &d, FM "\nSee ![](a.png) and ![ ](b.png).\n"), 2);
	CHECK(warning_is(&d, 0, 5, 5, "image without alt text",
			 "See ![](a.png) and ![ ](b.png)."));
	CHECK(warning_is(&d, 1, 5, 20, "image without alt text",
			 "See ![](a.png) and ![ ](b.png)."));
	site_release(&s);
	diag_release(&d);

	/* the title is level 1: a first heading at level 3 skips one; in a
	 * list item the column is the '#' */
	diag_init(&d);
	CHECK_INT(lint(&s, &d, FM "### Deep\n\n## Back\n\n- #### In a list\n"),
		  2);
	CHECK(warning_is(&d, 0, 4, 1, "heading level 3 after level 1",
			 "### Deep"));
	CHECK(warning_is(&d, 1, 8, 3, "heading level 4 after level 2",
			 "- #### In a list"));
	site_release(&s);
	diag_release(&d);

	diag_init(&d);
	CHECK_INT(lint(&s, &d, FM "\n\n"), 1);
	CHECK(warning_is(&d, 0, 3, 1, "empty chapter", "---"));
	site_release(&s);
	diag_release(&d);
}

int main(void)
{
	RUN(test_clean);
	RUN(test_each);
	return harness_done();
}
