/* Unit tests for theme: loading a shipped theme, a book's own files over
 * it, and the `parent` file: missing files come from the parent (and its
 * parent), the child's files win, the book's overrides of a parent count,
 * unknown parents and loops are errors. Book folders are written into a
 * temporary directory. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "fixture.h"
#include "harness.h"
#include "highlight_class.h"
#include "theme.h"
#include "tmpl.h"

static void put(const char *root, const char *rel, const char *text)
{
	char path[900];
	struct diag d;

	diag_init(&d);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	CHECK_INT(fs_write_atomic(path, text, strlen(text), NULL, &d), 0);
	diag_release(&d);
}

/* A fresh book folder (one at a time: see fixture_write_book()). */
static const char *book(void)
{
	static const char *const nothing[] = { NULL };

	return fixture_write_book(nothing);
}

static const char *data(const struct theme *t, const char *path)
{
	const struct theme_file *f = theme_get(t, path);

	return f ? f->data : NULL;
}

static void test_shipped(void)
{
	struct theme t;
	struct diag d;

	diag_init(&d);
	CHECK_INT(theme_load(&t, "default", book(), &d), 0);
	CHECK(theme_get(&t, "templates/base.mustache") != NULL);
	CHECK(theme_get(&t, "assets/site.css") != NULL);
	CHECK(tmpl_set_has(t.templates, "chapter"));
	CHECK(tmpl_set_has(t.templates, "print"));
	theme_release(&t);
	CHECK_INT(theme_load(&t, "nosuch", book(), &d), -1);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "unknown theme 'nosuch'"));
	theme_release(&t);
	diag_release(&d);
}

/* The shipped paper theme: its own style sheets, the default's scripts
 * and templates. */
static void test_paper(void)
{
	struct theme def, paper;
	struct diag d;
	const char *dir = book();

	diag_init(&d);
	CHECK_INT(theme_load(&def, "default", dir, &d), 0);
	CHECK_INT(theme_load(&paper, "paper", dir, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK(data(&paper, "assets/site.css") &&
	      strcmp(data(&paper, "assets/site.css"),
		     data(&def, "assets/site.css")));
	CHECK(data(&paper, "epub.css") &&
	      strcmp(data(&paper, "epub.css"), data(&def, "epub.css")));
	CHECK(data(&paper, "assets/site.js") &&
	      !strcmp(data(&paper, "assets/site.js"),
		      data(&def, "assets/site.js")));
	CHECK(data(&paper, "assets/sw.js") != NULL);
	CHECK(tmpl_set_has(paper.templates, "base"));
	CHECK(tmpl_set_has(paper.templates, "chapter"));
	CHECK(tmpl_set_has(paper.templates, "print"));
	/* still sorted: theme_get() finds every file */
	{
		size_t i;
		for (i = 0; i < paper.n_files; i++)
			CHECK(theme_get(&paper, paper.files[i].path) ==
			      &paper.files[i]);
		for (i = 1; i < paper.n_files; i++)
			CHECK(strcmp(paper.files[i - 1].path,
				     paper.files[i].path) < 0);
	}
	theme_release(&def);
	theme_release(&paper);
	diag_release(&d);
}

/* A book's own theme that names a shipped parent, and a book's override
 * of that parent, which its child sees too. */
static void test_own_child(void)
{
	struct theme t;
	struct diag d;
	const char *dir = book();

	diag_init(&d);
	put(dir, "themes/kid/parent", "  paper\n");
	put(dir, "themes/kid/assets/extra.css", "p{}");
	put(dir, "themes/kid/templates/index.mustache", "kid {{book.title}}");
	put(dir, "themes/default/assets/site.js", "/* mine */");
	CHECK_INT(theme_load(&t, "kid", dir, &d), 0);
	diag_print(&d, stderr);
	CHECK_STR(data(&t, "assets/extra.css"), "p{}");
	CHECK_STR(data(&t, "templates/index.mustache"), "kid {{book.title}}");
	/* from paper, the parent */
	CHECK(data(&t, "assets/site.css") &&
	      strstr(data(&t, "assets/site.css"), "paper"));
	/* from default, the grandparent, as the book changed it */
	CHECK_STR(data(&t, "assets/site.js"), "/* mine */");
	CHECK(tmpl_set_has(t.templates, "chapter"));
	/* the child's own parent file stays */
	CHECK_STR(data(&t, "parent"), "  paper\n");
	theme_release(&t);
	diag_release(&d);
}

/* A theme with no cover template and no parent gets the default
 * theme's, as the book has it; one with its own keeps it. */
static void test_cover_template(void)
{
	struct theme t, def;
	struct diag d;
	const char *dir = book();

	diag_init(&d);
	put(dir, "themes/bare/epub.css", "body{}");
	CHECK_INT(theme_load(&t, "bare", dir, &d), 0);
	CHECK_INT(theme_load(&def, "default", dir, &d), 0);
	CHECK(data(&t, THEME_COVER) && data(&def, THEME_COVER) &&
	      !strcmp(data(&t, THEME_COVER), data(&def, THEME_COVER)));
	CHECK(tmpl_set_has(t.templates, "cover.svg"));
	/* (and no other file of the default theme) */
	CHECK(!theme_get(&t, "assets/site.css"));
	theme_release(&t);
	theme_release(&def);

	put(dir, "themes/default/" THEME_COVER, "<svg>{{title}}</svg>");
	CHECK_INT(theme_load(&t, "bare", dir, &d), 0);
	CHECK_STR(data(&t, THEME_COVER), "<svg>{{title}}</svg>");
	theme_release(&t);

	/* a child of a theme with one (paper) keeps the parent's */
	put(dir, "themes/kid/parent", "paper\n");
	CHECK_INT(theme_load(&t, "kid", dir, &d), 0);
	CHECK(data(&t, THEME_COVER) &&
	      strstr(data(&t, THEME_COVER), "cloth-bound"));
	theme_release(&t);
	CHECK_INT(theme_load(&t, "paper", dir, &d), 0);
	CHECK(data(&t, THEME_COVER) &&
	      strstr(data(&t, THEME_COVER), "cloth-bound"));
	theme_release(&t);

	put(dir, "themes/own/" THEME_COVER, "<svg>own</svg>");
	CHECK_INT(theme_load(&t, "own", dir, &d), 0);
	CHECK_STR(data(&t, THEME_COVER), "<svg>own</svg>");
	theme_release(&t);
	CHECK_INT(d.n, 0);
	diag_release(&d);
}

static void test_bad_parents(void)
{
	struct theme t;
	struct diag d;
	const char *dir = book();

	diag_init(&d);
	put(dir, "themes/orphan/parent", "nosuch");
	put(dir, "themes/orphan/assets/a.css", "");
	CHECK_INT(theme_load(&t, "orphan", dir, &d), -1);
	CHECK(d.n == 1 &&
	      strstr(d.v[0].msg, "unknown theme 'nosuch', parent of 'orphan'"));
	theme_release(&t);
	diag_release(&d);

	diag_init(&d);
	put(dir, "themes/a/parent", "b");
	put(dir, "themes/b/parent", "c");
	put(dir, "themes/c/parent", "a");
	CHECK_INT(theme_load(&t, "a", dir, &d), -1);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "inherits from itself"));
	theme_release(&t);
	diag_release(&d);

	diag_init(&d);
	put(dir, "themes/self/parent", "self");
	CHECK_INT(theme_load(&t, "self", dir, &d), -1);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "inherits from itself"));
	theme_release(&t);
	diag_release(&d);

	/* an empty parent file names no parent */
	diag_init(&d);
	put(dir, "themes/lone/parent", " \n");
	put(dir, "themes/lone/templates/x.mustache", "x");
	CHECK_INT(theme_load(&t, "lone", dir, &d), 0);
	CHECK(theme_get(&t, "assets/site.css") == NULL);
	theme_release(&t);
	diag_release(&d);
}

static void test_too_deep(void)
{
	struct theme t;
	struct diag d;
	const char *dir = book();
	char rel[64], name[16];
	int i;

	diag_init(&d);
	for (i = 0; i <= THEME_MAX_PARENTS + 1; i++) {
		snprintf(rel, sizeof(rel), "themes/t%d/parent", i);
		snprintf(name, sizeof(name), "t%d", i + 1);
		put(dir, rel, name);
	}
	CHECK_INT(theme_load(&t, "t0", dir, &d), -1);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "too many parents"));
	theme_release(&t);
	diag_release(&d);
}

/* How many times `needle` stands in `hay`. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	while (hay && (hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Every class the highlighter writes is coloured on the site by the
 * default theme's code.css, which both themes load, from a custom
 * property each theme's site.css sets for light, system dark and chosen
 * dark; and in the EPUB by epub-base.css, which both themes share, but
 * for the text's own colour. */
static void test_code_colours(void)
{
	static const char *const names[] = { "default", "paper" };
	/* the custom property of each class, in enum highlight_class's
	 * order */
	static const char *const props[] = {
		"keyword",  "string",    "comment",  "number",
		"function", "type",      "variable", "operator",
		"constant", "attribute", "tag",      "property",
	};
	struct theme t;
	struct diag d;
	const char *dir = book();
	size_t i, k;

	diag_init(&d);
	for (k = 0; k < 2; k++) {
		CHECK_INT(theme_load(&t, names[k], dir, &d), 0);
		for (i = HIGHLIGHT_CLASS_NONE + 1;
		     i <= HIGHLIGHT_CLASS_PROPERTY; i++) {
			const char *open = highlight_class_open[i];
			const char *cls = strstr(open, "class=\"") + 7;
			const char *prop = props[i - 1];
			char rule[128], var[64];
			int n = (int)strcspn(cls, "\"");

			snprintf(rule, sizeof(rule),
				 "code .%.*s { color: var(--hl-%s); }", n, cls,
				 prop);
			snprintf(var, sizeof(var), "--hl-%s:", prop);
			CHECK(count(data(&t, "assets/code.css"), rule) == 1);
			CHECK(count(data(&t, "assets/site.css"), var) == 3);
			snprintf(rule, sizeof(rule), "code .%.*s {", n, cls);
			/* e-readers set the text's colour (night, sepia):
			 * variables keep it */
			if (i != HIGHLIGHT_CLASS_VARIABLE)
				CHECK(count(data(&t, "epub-base.css"), rule) >=
				      1);
			CHECK(count(data(&t, "assets/site.css"), rule) == 0);
		}
		theme_release(&t);
	}
	CHECK_INT(d.n, 0);
	diag_release(&d);
}

int main(void)
{
	RUN(test_shipped);
	RUN(test_paper);
	RUN(test_code_colours);
	RUN(test_own_child);
	RUN(test_cover_template);
	RUN(test_bad_parents);
	RUN(test_too_deep);
	return harness_done();
}
