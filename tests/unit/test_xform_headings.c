/* Unit tests for xform_headings: heading ids (slugs, duplicates, explicit
 * {#id}), text, level and file line, the errors with their positions, and
 * the <hN id> markup. The pass runs alone on chapters made in memory. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "xform_headings.h"

/* Makes chapter "a.md" of a new book `s` from `text`, in memory, and
 * runs the heading pass alone on it. Returns the pass's result, or -1
 * when the text makes no chapter. */
static int headings(struct site *s, struct diag *d, const char *text)
{
	struct chapter *c;

	fixture_site(s);
	c = fixture_chapter(s, "a.md", text, d);
	return c ? xform_headings_run(c, d) : -1;
}

/* Whether heading `i` of `c` has this level, id, text and line. */
static int heading_is(const struct chapter *c, size_t i, int level,
		      const char *id, const char *text, int line)
{
	const struct heading *h;

	if (i >= c->n_headings) {
		fprintf(stderr, "  no heading %zu (have %zu)\n", i,
			c->n_headings);
		return 0;
	}
	h = &c->headings[i];
	if (h->level != level || strcmp(h->id, id) || strcmp(h->text, text) ||
	    h->line != line) {
		fprintf(stderr,
			"  got h%d #%s [%s] line %d\n  expected h%d #%s "
			"[%s] line %d\n",
			h->level, h->id, h->text, h->line, level, id, text,
			line);
		return 0;
	}
	return 1;
}

static void test_ids(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(headings(&s, &d,
			   "---\n"
			   "title: A\n"
			   "summary: S\n"
			   "---\n"
			   "## Why silence helps\n"
			   "\n"
			   "Text.\n"
			   "\n"
			   "### Step 3: Radio *silence*\n"
			   "## Why silence helps\n"
			   "## Why silence helps\n"
			   "#### `code` and [a link](https://x.org)\n"
			   "\n"
			   "Setext heading\n"
			   "--------------\n"
			   "\n"
			   "> ## In a quote\n"
			   "\n"
			   "- ###### In a list\n"
			   "## \xc3\x89"
			   "clair caf\xc3\xa9\n"
			   "## !!!\n"
			   "## \n"),
		  0);
	CHECK_INT(d.n, 0);
	diag_print(&d, stderr);
	CHECK_INT(s.n_chapters, 1);
	if (s.n_chapters != 1)
		goto out;
	c = &s.chapters[0];
	CHECK_INT(c->n_headings, 11);
	CHECK(heading_is(c, 0, 2, "why-silence-helps", "Why silence helps", 5));
	CHECK(heading_is(c, 1, 3, "step-3-radio-silence",
			 "Step 3: Radio silence", 9));
	CHECK(heading_is(c, 2, 2, "why-silence-helps-1", "Why silence helps",
			 10));
	CHECK(heading_is(c, 3, 2, "why-silence-helps-2", "Why silence helps",
			 11));
	CHECK(heading_is(c, 4, 4, "code-and-a-link", "code and a link", 12));
	CHECK(heading_is(c, 5, 2, "setext-heading", "Setext heading", 14));
	CHECK(heading_is(c, 6, 2, "in-a-quote", "In a quote", 17));
	CHECK(heading_is(c, 7, 6, "in-a-list", "In a list", 19));
	CHECK(heading_is(c, 8, 2,
			 "\xc3\xa9"
			 "clair-caf\xc3\xa9",
			 "\xc3\x89"
			 "clair caf\xc3\xa9",
			 20));
	/* nothing left to slug: "section", made unique like the rest */
	CHECK(heading_is(c, 9, 2, "section", "!!!", 21));
	CHECK(heading_is(c, 10, 2, "section-1", "", 22));
out:
	site_release(&s);
	diag_release(&d);
}

static void test_long_and_clashing(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;
	struct buf md = BUF_INIT, want = BUF_INIT;
	int i;

	buf_adds(&md, "---\ntitle: A\n---\n## ");
	for (i = 0; i < 30; i++)
		buf_adds(&md, "word ");
	buf_adds(&md, "\n## Intro\n## Intro 1\n## Intro\n");
	diag_init(&d);
	CHECK_INT(headings(&s, &d, md.ptr), 0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_headings == 4);
	if (c && c->n_headings == 4) {
		/* cut at 80 bytes: 16 "word-" */
		for (i = 0; i < 16; i++)
			buf_adds(&want, "word-");
		CHECK_STR(c->headings[0].id, want.ptr);
		CHECK_INT(strlen(c->headings[0].id), 80);
		CHECK_STR(c->headings[1].id, "intro");
		CHECK_STR(c->headings[2].id, "intro-1");
		/* "intro-1" is taken by a real heading: the next free one */
		CHECK_STR(c->headings[3].id, "intro-2");
	}
	site_release(&s);
	diag_release(&d);
	buf_release(&md);
	buf_release(&want);
}

static void test_explicit(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;
	struct buf out = BUF_INIT;

	diag_init(&d);
	CHECK_INT(headings(&s, &d,
			   "---\ntitle: A\n---\n"
			   "## Radio silence {#silence}\n"
			   "## Radio silence\n"
			   "### Under_score {#my_id-2}   \n"
			   "## Closing hashes {#closed} ##\n"
			   "## Not at the end {#x} here\n"
			   "## Radio silence\n"
			   "\n"
			   "Two line\n"
			   "setext {#two-lines}\n"
			   "===\n"),
		  0);
	CHECK_INT(d.n, 0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_headings == 7);
	if (c && c->n_headings == 7) {
		CHECK(heading_is(c, 0, 2, "silence", "Radio silence", 4));
		CHECK(heading_is(c, 1, 2, "radio-silence", "Radio silence", 5));
		CHECK(heading_is(c, 2, 3, "my_id-2", "Under_score", 6));
		CHECK(heading_is(c, 3, 2, "closed", "Closing hashes", 7));
		CHECK(heading_is(c, 4, 2, "not-at-the-end-x-here",
				 "Not at the end {#x} here", 8));
		CHECK(heading_is(c, 5, 2, "radio-silence-1", "Radio silence",
				 9));
		CHECK(heading_is(c, 6, 1, "two-lines", "Two line setext", 11));
		render_chapter(&s, &s.chapters[0], RENDER_SITE, NULL, &out,
			       NULL);
		/* the {#id} is gone from the output, the id is on the tag */
		CHECK(strstr(out.ptr,
			     "<h2 id=\"silence\">Radio silence</h2>\n"));
		CHECK(strstr(out.ptr, "<h3 id=\"my_id-2\">Under_score</h3>\n"));
		CHECK(!strstr(out.ptr, "{#silence}"));
		CHECK(strstr(out.ptr, "Not at the end {#x} here"));
		buf_reset(&out);
		render_chapter(&s, &s.chapters[0], RENDER_EPUB, NULL, &out,
			       NULL);
		CHECK(strstr(out.ptr,
			     "<h2 id=\"closed\">Closing hashes</h2>\n"));
	}
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

/* Smart punctuation must not change an explicit id: `{#a--b}` is the id
 * "a--b" that links write, not "a\xe2\x80\x93b" (en dash), and a `"` is
 * refused like any quote even though the text shows a curly one. */
static void test_explicit_raw(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(headings(&s, &d,
			   "---\ntitle: A\n---\n"
			   "## Step two {#step--two}\n"
			   "\n"
			   "See [it](#step--two).\n"),
		  0);
	CHECK_INT(d.n, 0);
	diag_print(&d, stderr);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_headings == 1);
	if (c && c->n_headings == 1)
		CHECK(heading_is(c, 0, 2, "step--two", "Step two", 4));
	site_release(&s);
	diag_release(&d);

	diag_init(&d);
	CHECK_INT(headings(&s, &d, "---\ntitle: A\n---\n## Quote {#a\"b}\n"),
		  -1);
	CHECK_INT(d.n, 1);
	CHECK(fixture_diag_is(
		&d, 0, "content/a.md", 4, 1,
		"invalid heading id '{#a\"b}': use letters, digits, '-' "
		"and '_'"));
	site_release(&s);
	diag_release(&d);
}

static void test_errors(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(headings(&s, &d,
			   "---\ntitle: A\nsummary: S\n---\n"
			   "## Empty {#}\n"
			   "\n"
			   "> ## Spaces {#a b}\n"
			   "## Greater {#a>b}\n"
			   "## First {#same}\n"
			   "## Second {#same}\n"
			   "## Hash {#a#b}\n"
			   "## Brace {#a{b}\n"),
		  -1);
	CHECK_INT(d.n, 6);
	CHECK(fixture_diag_is(
		&d, 0, "content/a.md", 5, 1,
		"invalid heading id '{#}': use letters, digits, '-' and "
		"'_'"));
	CHECK(fixture_diag_is(
		&d, 1, "content/a.md", 7, 3,
		"invalid heading id '{#a b}': use letters, digits, '-' "
		"and '_'"));
	CHECK(fixture_diag_is(
		&d, 2, "content/a.md", 8, 1,
		"invalid heading id '{#a>b}': use letters, digits, '-' "
		"and '_'"));
	CHECK(fixture_diag_is(&d, 3, "content/a.md", 10, 1,
			      "duplicate heading id 'same'"));
	CHECK(fixture_diag_is(
		&d, 4, "content/a.md", 11, 1,
		"invalid heading id '{#a#b}': use letters, digits, '-' "
		"and '_'"));
	CHECK(fixture_diag_is(
		&d, 5, "content/a.md", 12, 1,
		"invalid heading id '{#a{b}': use letters, digits, '-' "
		"and '_'"));
	/* a bad explicit id falls back to the slug, without the braces */
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_headings == 7);
	if (c && c->n_headings == 7) {
		CHECK(heading_is(c, 0, 2, "empty", "Empty", 5));
		CHECK(heading_is(c, 1, 2, "spaces", "Spaces", 7));
	}
	site_release(&s);
	diag_release(&d);
}

/* CRLF line ends and a longer front matter shift the lines. */
static void test_lines_crlf(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(headings(&s, &d,
			   "---\r\ntitle: A\r\nsummary: S\r\nstep: 2\r\n---\r\n"
			   "\r\n"
			   "Intro.\r\n"
			   "\r\n"
			   "## One {#one}\r\n"
			   "## Two\r\n"),
		  0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_headings == 2);
	if (c && c->n_headings == 2) {
		CHECK(heading_is(c, 0, 2, "one", "One", 9));
		CHECK(heading_is(c, 1, 2, "two", "Two", 10));
	}
	CHECK(c && chapter_find_heading(c, "two") == 1);
	CHECK(c && chapter_find_heading(c, "three") == SITE_NONE);
	site_release(&s);
	diag_release(&d);
}

int main(void)
{
	markdown_init();
	RUN(test_ids);
	RUN(test_long_and_clashing);
	RUN(test_explicit);
	RUN(test_explicit_raw);
	RUN(test_errors);
	RUN(test_lines_crlf);
	return harness_done();
}
