/* Unit tests for xform_links: links between chapters and to headings,
 * links and images to files, every error with its file:line:col and "did
 * you mean" suggestion, backlinks, and the hrefs written for the site and
 * the EPUB. The passes run on books made in memory (that a hidden file
 * is not published is the loader's to test: see test_site_load). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "markdown.h"
#include "markdown_xhtml.h"
#include "render.h"
#include "site.h"
#include "xform_headings.h"

#define M MARKDOWN_XHTML_MARK
#define E MARKDOWN_XHTML_END
#include "xform_links.h"
#include "xform_quiz.h"

/* Makes a book in memory from `files` (see fixture_book()), runs on
 * each chapter the passes the link pass needs (headings, quizzes) and
 * the link pass, then resolves the links between chapters, as the
 * loader does. Returns 0, or -1 when anything was reported. */
static int links(struct site *s, struct diag *d, const char *const *files)
{
	size_t i, errors = d->errors;

	fixture_site(s);
	fixture_book(s, files, d);
	for (i = 0; i < s->n_chapters; i++) {
		struct chapter *c = &s->chapters[i];
		if (!c->doc)
			continue;
		xform_headings_run(c, d);
		xform_quiz_run(c->doc, c->path, c->fm.body_line, c->slug,
			       &c->quizzes, d);
		xform_links_run(s, c, d);
		c->parsed = 1;
	}
	xform_links_resolve(s, d);
	return d->errors > errors ? -1 : 0;
}

/* Whether link `i` of `c` points at chapter `chapter` (SITE_NONE for a
 * file), fragment and file as given, from under heading `from`, at
 * line:col. */
static int link_is(const struct chapter *c, size_t i, size_t chapter,
		   const char *fragment, const char *file, size_t from,
		   int line, int col)
{
	const struct link *l;

	if (i >= c->n_links) {
		fprintf(stderr, "  no link %zu (have %zu)\n", i, c->n_links);
		return 0;
	}
	l = &c->links[i];
	if (l->chapter != chapter || l->from_heading != from ||
	    l->line != line || l->col != col ||
	    (fragment ? !l->fragment || strcmp(l->fragment, fragment)
		      : l->fragment != NULL) ||
	    (file ? !l->file || strcmp(l->file, file) : l->file != NULL)) {
		fprintf(stderr,
			"  link %zu: got ch=%zu #%s file=%s from=%zu "
			"%d:%d\n",
			i, l->chapter, l->fragment ? l->fragment : "(null)",
			l->file ? l->file : "(null)", l->from_heading, l->line,
			l->col);
		return 0;
	}
	return 1;
}

static const char *const good_book[] = {
	"01-intro.md",
	"---\n"
	"title: Intro\n"
	"---\n"
	"Top [to accept](02-accept.md) and [steps](02-accept.md#setup-steps).\n"
	"\n"
	"## Getting started\n"
	"\n"
	"See [below](#getting-started), [more](part/03-more.md#deep), "
	"[space](my%20chapter.md).\n"
	"\n"
	"External [web](https://example.org/a.md), [mail](mailto:x@y.z), "
	"[proto](//cdn.example.org/x.md), [ftp](ftp://h/x.md).\n"
	"\n"
	"![pic](img/a%20b.png) [pdf](files/doc.pdf) "
	"[again](02-accept.md#setup-steps) [query](02-accept.md?x=1#setup-steps) "
	"[top](02-accept.md#)\n",
	"02-accept.md",
	"---\n"
	"title: Accept\n"
	"---\n"
	"## Setup steps\n"
	"\n"
	"Back to [intro](01-intro.md#getting-started), "
	"[self](02-accept.md#setup-steps), [self2](#setup-steps), "
	"[note](#fn-1).\n",
	"part/03-more.md",
	"---\n"
	"title: More\n"
	"---\n"
	"## Deep\n"
	"\n"
	"![up](../img/a%20b.png) [accept](../02-accept.md) "
	"[sibling](./03-more.md#deep)\n",
	"my chapter.md",
	"---\ntitle: Space\n---\nHello.\n",
	"img/a b.png",
	"PNG",
	"files/doc.pdf",
	"PDF",
	NULL
};

static void test_resolve(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(links(&s, &d, good_book), 0);
	CHECK_INT(d.n, 0);
	diag_print(&d, stderr);
	CHECK_INT(s.n_chapters, 4);
	if (s.n_chapters != 4)
		goto out;
	c = &s.chapters[0];
	CHECK_INT(c->n_links, 10);
	CHECK(link_is(c, 0, 1, NULL, NULL, SITE_NONE, 4, 5));
	CHECK(link_is(c, 1, 1, "setup-steps", NULL, SITE_NONE, 4, 35));
	CHECK(link_is(c, 2, 0, "getting-started", NULL, 0, 8, 5));
	CHECK(link_is(c, 3, 2, "deep", NULL, 0, 8, 32));
	CHECK(link_is(c, 4, 3, NULL, NULL, 0, 8, 62));
	CHECK(link_is(c, 5, SITE_NONE, NULL, "img/a b.png", 0, 12, 1));
	CHECK(link_is(c, 6, SITE_NONE, NULL, "files/doc.pdf", 0, 12, 23));
	CHECK(link_is(c, 7, 1, "setup-steps", NULL, 0, 12, 44));
	CHECK(link_is(c, 8, 1, "setup-steps", NULL, 0, 12, 78));
	CHECK(link_is(c, 9, 1, "", NULL, 0, 12, 116));
	CHECK_INT(c->n_images, 1);
	if (c->n_images == 1)
		CHECK_STR(c->images[0], "img/a b.png");

	c = &s.chapters[1];
	CHECK_INT(c->n_links, 4);
	CHECK(link_is(c, 0, 0, "getting-started", NULL, 0, 6, 9));
	CHECK(link_is(c, 1, 1, "setup-steps", NULL, 0, 6, 47));
	CHECK(link_is(c, 2, 1, "setup-steps", NULL, 0, 6, 81));
	/* footnote ids are not headings but are fine */
	CHECK(link_is(c, 3, 1, "fn-1", NULL, 0, 6, 104));
	CHECK_INT(c->n_images, 0);

	c = &s.chapters[2];
	CHECK_INT(c->n_links, 3);
	CHECK(link_is(c, 0, SITE_NONE, NULL, "img/a b.png", 0, 6, 1));
	CHECK(link_is(c, 1, 1, NULL, NULL, 0, 6, 25));
	CHECK(link_is(c, 2, 2, "deep", NULL, 0, 6, 51));
	CHECK_INT(c->n_images, 1);
	if (c->n_images == 1)
		CHECK_STR(c->images[0], "img/a b.png");
	CHECK_INT(s.chapters[3].n_links, 0);
out:
	site_release(&s);
	diag_release(&d);
}

static void test_backlinks(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(links(&s, &d, good_book), 0);
	if (s.n_chapters != 4)
		goto out;
	/* 02-accept is linked from intro's top (twice: one entry), from
	 * intro's "Getting started" (three times) and from 03-more's
	 * "Deep"; its links to itself do not count */
	c = &s.chapters[1];
	CHECK_INT(c->n_backlinks, 3);
	if (c->n_backlinks == 3) {
		CHECK_INT(c->backlinks[0].chapter, 0);
		CHECK_INT(c->backlinks[0].heading, SITE_NONE);
		CHECK_INT(c->backlinks[1].chapter, 0);
		CHECK_INT(c->backlinks[1].heading, 0);
		CHECK_INT(c->backlinks[2].chapter, 2);
		CHECK_INT(c->backlinks[2].heading, 0);
	}
	c = &s.chapters[0];
	CHECK_INT(c->n_backlinks, 1);
	if (c->n_backlinks == 1) {
		CHECK_INT(c->backlinks[0].chapter, 1);
		CHECK_INT(c->backlinks[0].heading, 0);
	}
	c = &s.chapters[2];
	CHECK_INT(c->n_backlinks, 1);
	if (c->n_backlinks == 1) {
		CHECK_INT(c->backlinks[0].chapter, 0);
		CHECK_INT(c->backlinks[0].heading, 0);
	}
	CHECK_INT(s.chapters[3].n_backlinks, 1);
out:
	site_release(&s);
	diag_release(&d);
}

static void test_hrefs(void)
{
	struct site s;
	struct diag d;
	struct buf out = BUF_INIT;

	diag_init(&d);
	CHECK_INT(links(&s, &d, good_book), 0);
	if (s.n_chapters != 4)
		goto out;
	render_chapter(&s, &s.chapters[0], RENDER_SITE, NULL, &out, NULL);
	CHECK(strstr(out.ptr,
		     "Top <a href=\"02-accept.html\">to accept</a> and "
		     "<a href=\"02-accept.html#setup-steps\">steps</a>"));
	CHECK(strstr(out.ptr,
		     "See <a href=\"01-intro.html#getting-started\">"
		     "below</a>, <a href=\"part/03-more.html#deep\">more"
		     "</a>, <a href=\"my-chapter.html\">space</a>."));
	/* external links are left as written */
	CHECK(strstr(out.ptr, "<a href=\"https://example.org/a.md\">web</a>, "
			      "<a href=\"mailto:x@y.z\">mail</a>, <a "
			      "href=\"//cdn.example.org/x.md\">proto</a>, <a "
			      "href=\"ftp://h/x.md\">ftp</a>"));
	/* files: their path within content/ (escaped for the URL) */
	CHECK(strstr(out.ptr, "<img src=\"img/a%20b.png\" alt=\"pic\" />"));
	CHECK(strstr(out.ptr, "<a href=\"files/doc.pdf\">pdf</a>"));
	CHECK(strstr(out.ptr,
		     "<a href=\"02-accept.html#setup-steps\">query</a>"));
	CHECK(strstr(out.ptr, "<a href=\"02-accept.html\">top</a>"));
	CHECK(!strstr(out.ptr, "02-accept.md") &&
	      !strstr(out.ptr, "%20chapter"));

	buf_reset(&out);
	render_chapter(&s, &s.chapters[0], RENDER_EPUB, NULL, &out, NULL);
	/* XHTML, each link into the book and each image marked for the
	 * EPUB writer, which decides what they become (markdown_xhtml.h) */
	CHECK(strstr(out.ptr, "Top " M "<a href=\"02-accept.xhtml\">to accept" E
			      "</a> and " M "<a href=\"02-accept.xhtml#setup-"
			      "steps\">steps" E "</a>"));
	CHECK(strstr(out.ptr,
		     M "<a href=\"part-03-more.xhtml#deep\">more" E "</a>"));
	CHECK(strstr(out.ptr, M "<a href=\"01-intro.xhtml#getting-started\">"));
	CHECK(strstr(out.ptr, " <a href=\"https://example.org/a.md\">web</a>"));
	CHECK(strstr(out.ptr, M "<img src=\"img/a%20b.png\" alt=\"pic\"/>"));

	/* and back for the site: rendering again resets every href */
	buf_reset(&out);
	render_chapter(&s, &s.chapters[2], RENDER_SITE, NULL, &out, NULL);
	/* from its page in part/: up for the others, not for itself */
	CHECK(strstr(out.ptr, "<img src=\"../img/a%20b.png\" alt=\"up\" /> "
			      "<a href=\"../02-accept.html\">accept</a> <a "
			      "href=\"03-more.html#deep\">sibling</a>"));
	buf_reset(&out);
	render_chapter(&s, &s.chapters[1], RENDER_SITE, NULL, &out, NULL);
	CHECK(strstr(out.ptr,
		     "<a href=\"02-accept.html#setup-steps\">self</a>"));
	CHECK(strstr(out.ptr,
		     "<a href=\"02-accept.html#setup-steps\">self2</a>"));
out:
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

/* Every broken link of the book is reported in one build, each at the
 * `[` of its link (in characters, not bytes) with the source line. */
static void test_errors(void)
{
	const char *const files[] = {
		"a.md",
		"---\n"
		"title: A\n"
		"---\n"
		"## Setup steps\n"
		"\n"
		"[one](b.md#setpu-steps) and [two](c.md).\n"
		"Caf\xc3\xa9 [three](../outside.md) [four](/abs.md)\n"
		"![five](img/missing.png) [six](missing.pdf)\n"
		"[seven](#nope) [eight](zzzzzzzzzz.md) [nine](#setup-step)\n",
		"b.md",
		"---\n"
		"title: B\n"
		"---\n"
		"## Setup steps\n"
		"\xc3\xa9\xc3\xa9 [ten](a.md#setup-step)\n",
		NULL
	};
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(links(&s, &d, files), -1);
	CHECK_INT(d.n, 10);
	CHECK(fixture_diag_is(&d, 0, "content/a.md", 7, 6,
			      "link '../outside.md' points outside content/"));
	CHECK(fixture_diag_is(
		&d, 1, "content/a.md", 7, 29,
		"absolute path '/abs.md' in a link: link to files in "
		"content/ with relative paths"));
	CHECK(fixture_diag_is(&d, 2, "content/a.md", 8, 1,
			      "missing image 'img/missing.png'"));
	CHECK(fixture_diag_is(&d, 3, "content/a.md", 8, 26,
			      "missing file 'missing.pdf'"));
	CHECK(fixture_diag_is(&d, 4, "content/a.md", 6, 1,
			      "no heading 'setpu-steps' in 'b.md'; did you mean "
			      "'setup-steps'?"));
	CHECK(fixture_diag_is(&d, 5, "content/a.md", 6, 29,
			      "no chapter 'c.md'; did you mean 'a.md'?"));
	CHECK(fixture_diag_is(&d, 6, "content/a.md", 9, 1,
			      "no heading 'nope' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 7, "content/a.md", 9, 16,
			      "no chapter 'zzzzzzzzzz.md'"));
	CHECK(fixture_diag_is(&d, 8, "content/a.md", 9, 39,
			      "no heading 'setup-step' in 'a.md'; did you mean "
			      "'setup-steps'?"));
	CHECK(fixture_diag_is(&d, 9, "content/b.md", 5, 4,
			      "no heading 'setup-step' in 'a.md'; did you mean "
			      "'setup-steps'?"));
	/* the broken link's source line comes with it, for the caret */
	CHECK(d.n > 4 && d.v[4].source &&
	      !strcmp(d.v[4].source,
		      "[one](b.md#setpu-steps) and [two](c.md)."));
	CHECK(d.n > 9 && d.v[9].source &&
	      !strcmp(d.v[9].source,
		      "\xc3\xa9\xc3\xa9 [ten](a.md#setup-step)"));
	site_release(&s);
	diag_release(&d);
}

/* Links in other blocks and on continuation lines get their own line and
 * column. */
static void test_positions(void)
{
	const char *const files[] = {
		"a.md",
		"---\ntitle: A\n---\n"
		"> see [q1](#x1) ok\n"
		"> and \xc3\xa9\xc3\xa9\xc3\xa9 [q2](#x2)\n"
		"\n"
		"- item [q3](#x3)\n"
		"  more \xc3\xa9 [q4](#x4)\n"
		"\n"
		"| h | \xc3\xa9 |\n"
		"|---|---|\n"
		"| a | \xc3\xa9 [q5](#x5) |\n"
		"\n"
		"*emph [q6](#x6)* and **[q7](#x7)**\n",
		NULL
	};
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(links(&s, &d, files), -1);
	CHECK_INT(d.n, 7);
	CHECK(fixture_diag_is(&d, 0, "content/a.md", 4, 7,
			      "no heading 'x1' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 1, "content/a.md", 5, 11,
			      "no heading 'x2' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 2, "content/a.md", 7, 8,
			      "no heading 'x3' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 3, "content/a.md", 8, 10,
			      "no heading 'x4' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 4, "content/a.md", 12, 9,
			      "no heading 'x5' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 5, "content/a.md", 14, 7,
			      "no heading 'x6' in 'a.md'"));
	CHECK(fixture_diag_is(&d, 6, "content/a.md", 14, 24,
			      "no heading 'x7' in 'a.md'"));
	site_release(&s);
	diag_release(&d);
}

/* A link into a chapter that failed to load is not reported again. */
static void test_broken_target(void)
{
	const char *const files[] = {
		"a.md", "---\ntitle: A\n---\n[b](b.md#anything)\n", "b.md",
		"no title\n", NULL
	};
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(links(&s, &d, files), -1);
	CHECK_INT(d.n, 1);
	CHECK(fixture_diag_is(
		&d, 0, "content/b.md", 1, 1,
		"missing title: no 'title:' in front matter, no title in "
		"the chapter list and no '# ' heading on the first line"));
	site_release(&s);
	diag_release(&d);
}

/* Links and images in a quiz's text are checked where they are written
 * and rewritten for each output, its EPUB answers included. */
static void test_quiz_links(void)
{
	const char *const files[] = {
		"a.md",
		"---\ntitle: A\n---\n"
		"## Top\n"
		"\n"
		"```quiz\n"
		"? Where is [b](b.md#real) and ![pic](img/x.png)?\n"
		"- [x] [here](#top)\n"
		"- [ ] <https://example.org/>\n"
		"> See [the file](my%20file.txt).\n"
		"```\n",
		"b.md",
		"---\ntitle: B\n---\n## Real\n",
		"img/x.png",
		"PNG",
		"my file.txt",
		"text",
		NULL
	};
	const char *const bad[] = {
		"a.md",
		"---\ntitle: A\n---\n"
		"```quiz\n"
		"? Where is [it](nope.md) and ![pic](none.png)?\n"
		"- [x] In [b](b.md#nope)\n"
		"- [ ] At [nowhere](#nowhere)\n"
		"> [up](../x.txt)\n"
		"```\n",
		"b.md", "---\ntitle: B\n---\n## Real\n", NULL
	};
	struct site s;
	struct diag d;
	struct buf out = BUF_INIT, answers = BUF_INIT;

	diag_init(&d);
	CHECK_INT(links(&s, &d, files), 0);
	if (s.n_chapters != 2)
		goto bad;
	CHECK_INT(s.chapters[0].n_links, 4);
	CHECK_INT(s.chapters[0].n_images, 1);
	if (s.chapters[0].n_links == 4) {
		CHECK(link_is(&s.chapters[0], 0, 1, "real", NULL, 0, 7, 12));
		CHECK(link_is(&s.chapters[0], 2, 0, "top", NULL, 0, 8, 7));
		CHECK(link_is(&s.chapters[0], 3, SITE_NONE, NULL, "my file.txt",
			      0, 10, 7));
	}
	CHECK_INT(s.chapters[1].n_backlinks, 1);
	render_chapter(&s, &s.chapters[0], RENDER_SITE, NULL, &out, NULL);
	CHECK(strstr(out.ptr, "Where is <a href=\"b.html#real\">b</a> and "
			      "<img src=\"img/x.png\" alt=\"pic\" />?"));
	CHECK(strstr(out.ptr, "<a href=\"a.html#top\">here</a>"));
	CHECK(strstr(out.ptr, "<a href=\"https://example.org/\">"));
	CHECK(strstr(out.ptr, "<a href=\"my%20file.txt\">the file</a>"));
	CHECK(!strstr(out.ptr, "%EE%80"));
	buf_reset(&out);
	render_chapter(&s, &s.chapters[0], RENDER_EPUB, "answers.xhtml", &out,
		       &answers);
	CHECK(strstr(out.ptr,
		     "Where is " M "<a href=\"b.xhtml#real\">b" E "</a>"));
	CHECK(strstr(out.ptr, M "<a href=\"a.xhtml#top\">here" E "</a>"));
	CHECK(strstr(answers.ptr,
		     "Where is " M "<a href=\"b.xhtml#real\">b" E "</a>"));
	CHECK(strstr(answers.ptr,
		     M "<a href=\"my%20file.txt\">the file" E "</a>"));
	CHECK(!strstr(out.ptr, "%EE%80") && !strstr(answers.ptr, "%EE%80"));
	buf_reset(&out);
	render_chapter(&s, &s.chapters[0], RENDER_PRINT, NULL, &out, NULL);
	CHECK(strstr(out.ptr, "<a href=\"#b--real\">b</a>"));
bad:
	site_release(&s);
	diag_release(&d);

	/* each mistake at its place in the block */
	diag_init(&d);
	CHECK_INT(links(&s, &d, bad), -1);
	CHECK_INT(d.n, 5);
	CHECK(fixture_diag_is(&d, 0, "content/a.md", 5, 30,
			      "missing image 'none.png'"));
	CHECK(fixture_diag_is(&d, 1, "content/a.md", 8, 3,
			      "link '../x.txt' points outside content/"));
	CHECK(fixture_diag_is(&d, 2, "content/a.md", 5, 12,
			      "no chapter 'nope.md'; did you mean 'a.md'?"));
	CHECK(fixture_diag_is(
		&d, 3, "content/a.md", 6, 10,
		"no heading 'nope' in 'b.md'; did you mean 'real'?"));
	CHECK(fixture_diag_is(&d, 4, "content/a.md", 7, 10,
			      "no heading 'nowhere' in 'a.md'"));
	site_release(&s);
	diag_release(&d);
	buf_release(&out);
	buf_release(&answers);
}

int main(void)
{
	markdown_init();
	RUN(test_resolve);
	RUN(test_backlinks);
	RUN(test_hrefs);
	RUN(test_errors);
	RUN(test_positions);
	RUN(test_broken_target);
	RUN(test_quiz_links);
	return harness_done();
}
