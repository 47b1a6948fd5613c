/* Unit tests for render: raw HTML in chapters comes out escaped (and
 * unsafe URLs dropped) unless book.yml sets unsafe_html: true; footnotes
 * get a titled section on the site. Books are loaded with site_load()
 * from content folders written into a temporary directory. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "site_load.h"

static char tmproot[] = "/tmp/stepbook-test-render-XXXXXX";

static const char chapter[] =
	"---\n"
	"title: Raw\n"
	"---\n"
	"<div class=\"box\">\n"
	"Inside\n"
	"</div>\n"
	"\n"
	"Text with <b>bold</b>, <script>alert(1)</script> & <!-- note -->.\n"
	"\n"
	"[bad](javascript:alert(1)) ![img](data:text/html;base64,AAAA)\n";

/* Loads a book whose book.yml is `yml` and whose only chapter is
 * `chapter`, and renders it for `target` into `out`. */
static void render(const char *yml, const char *md, enum render_target target,
		   struct buf *out)
{
	static int n;
	char dir[600], path[900];
	struct site s;
	struct diag d;

	diag_init(&d);
	snprintf(dir, sizeof(dir), "%s/book%d", tmproot, ++n);
	snprintf(path, sizeof(path), "%s/book.yml", dir);
	CHECK_INT(fs_write_atomic(path, yml, strlen(yml), NULL, &d), 0);
	snprintf(path, sizeof(path), "%s/raw.md", dir);
	CHECK_INT(fs_write_atomic(path, md, strlen(md), NULL, &d), 0);
	CHECK_INT(site_load(&s, dir, "content", &d), 0);
	CHECK_INT(d.errors, 0);
	diag_print(&d, stderr);
	if (s.n_chapters == 1)
		render_chapter(&s, &s.chapters[0], target, "answers.xhtml", out,
			       NULL);
	site_release(&s);
	diag_release(&d);
}

static void test_escaped(void)
{
	struct buf out = BUF_INIT;

	render("title: T\n", chapter, RENDER_SITE, &out);
	CHECK_STR(out.ptr,
		  "<p>&lt;div class=&quot;box&quot;&gt;\n"
		  "Inside\n"
		  "&lt;/div&gt;</p>\n"
		  "<p>Text with &lt;b&gt;bold&lt;/b&gt;, "
		  "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
		  "&lt;!-- note --&gt;.</p>\n"
		  "<p><a href=\"\">bad</a> <img src=\"\" alt=\"img\" /></p>\n");
	buf_reset(&out);
	/* the same for the EPUB */
	render("title: T\nunsafe_html: false\n", chapter, RENDER_EPUB, &out);
	CHECK(strstr(out.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	CHECK(!strstr(out.ptr, "<script"));
	CHECK(!strstr(out.ptr, "<div"));
	CHECK(!strstr(out.ptr, "javascript:"));
	buf_release(&out);
}

static void test_unsafe(void)
{
	struct buf out = BUF_INIT;

	render("title: T\nunsafe_html: true\n", chapter, RENDER_SITE, &out);
	CHECK_STR(out.ptr,
		  "<div class=\"box\">\n"
		  "Inside\n"
		  "</div>\n"
		  "<p>Text with <b>bold</b>, <script>alert(1)</script> &amp; "
		  "<!-- note -->.</p>\n"
		  "<p><a href=\"javascript:alert(1)\">bad</a> <img "
		  "src=\"data:text/html;base64,AAAA\" alt=\"img\" /></p>\n");
	buf_release(&out);
}

/* Other markup the passes produce is not affected by the escaping. */
static void test_mixed(void)
{
	struct buf out = BUF_INIT;

	render("title: T\n",
	       "---\ntitle: M\n---\n"
	       "## Head <i>x</i>\n"
	       "\n"
	       "> [!TIP]\n"
	       "> <em>raw</em> and *md*\n",
	       RENDER_SITE, &out);
	CHECK(strstr(out.ptr, "<h2 id=\"head-ixi\">Head &lt;i&gt;x&lt;/i&gt;"
			      "</h2>\n"));
	CHECK(strstr(out.ptr,
		     "<p>&lt;em&gt;raw&lt;/em&gt; and <em>md</em></p>\n"
		     "</div>\n"));
	buf_release(&out);
}

static void test_footnotes(void)
{
	static const char md[] =
		"---\ntitle: F\n---\nClaim.[^1]\n\n[^1]: Source.\n";
	struct buf out = BUF_INIT;

	render("title: T\n", md, RENDER_SITE, &out);
	CHECK(strstr(out.ptr,
		     "<section class=\"footnotes\" data-footnotes>\n"
		     "<h2 class=\"footnotes-title\">Notes</h2>\n<ol>\n"));
	CHECK_INT(strlen(out.ptr), out.len);
	buf_reset(&out);
	render("title: T\n", md, RENDER_EPUB, &out);
	/* the EPUB's endnotes, made from the tree (markdown_xhtml.c) */
	CHECK(strstr(out.ptr, "<section class=\"footnotes\" epub:type=\""
			      "endnotes\" role=\"doc-endnotes\" aria-label=\""
			      "Notes\">\n<ol>\n<li id=\"fn-1\" epub:type=\""
			      "endnote\">\n"));
	CHECK(!strstr(out.ptr, "footnotes-title"));
	buf_release(&out);
}

/* A footnote label cmark-gfm would percent-encode ("\u00e9", "a|b") gets
 * one it writes as it is, so the id and the links to it agree (the id
 * was "fn-%C3%A9", the links named "fn-\u00e9"); a label that is already
 * fine stays, and one that would clash with it gets "-2". */
static void test_footnote_ids(void)
{
	static const char md[] = "---\ntitle: F\n---\n"
				 "One[^\xC3\xA9], two[^a|b], three[^_C3_A9], "
				 "four[^ok-1].\n\n"
				 "[^\xC3\xA9]: E.\n[^a|b]: Space.\n"
				 "[^_C3_A9]: Taken.\n[^ok-1]: Fine.\n";
	enum render_target t[] = { RENDER_SITE, RENDER_EPUB, RENDER_PRINT };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct buf out = BUF_INIT;
		const char *p = t[i] == RENDER_PRINT ? "raw--" : "";
		char want[200];

		render("title: T\n", md, t[i], &out);
		CHECK(!strstr(out.ptr, "%C3"));
		CHECK(!strstr(out.ptr, "%7C"));
		snprintf(want, sizeof(want), "<li id=\"%sfn-_C3_A9-2\"", p);
		CHECK(strstr(out.ptr, want));
		snprintf(want, sizeof(want),
			 "href=\"#%sfn-_C3_A9-2\" id=\"%sfnref-_C3_A9-2\"", p,
			 p);
		CHECK(strstr(out.ptr, want));
		snprintf(want, sizeof(want), "<li id=\"%sfn-a_7Cb\"", p);
		CHECK(strstr(out.ptr, want));
		snprintf(want, sizeof(want), "<li id=\"%sfn-_C3_A9\"", p);
		CHECK(strstr(out.ptr, want));
		snprintf(want, sizeof(want), "<li id=\"%sfn-ok-1\"", p);
		CHECK(strstr(out.ptr, want));
		buf_release(&out);
	}
}

/* Rendering appends: what the buffer held stays in front. */
static void test_appends(void)
{
	struct buf out = BUF_INIT;

	buf_adds(&out, "<main>\n");
	render("title: T\n", "---\ntitle: A\n---\nHi.\n", RENDER_SITE, &out);
	CHECK_STR(out.ptr, "<main>\n<p>Hi.</p>\n");
	buf_release(&out);
}

/* The site's body and the print page's come from one rendering with the
 * headings marked (U+E004, U+E005): on the print page headings go one
 * level down (h6 stays) with the chapter's slug before their ids, and so
 * do the footnotes. A chapter whose own text holds those marks is
 * rendered for each on its own, to the same effect. */
static void test_site_and_print(void)
{
	static const char md[] =
		"---\ntitle: Two\n---\n## Intro\n\nText.[^n]\n\n"
		"###### Deep\n\n[^n]: A note.\n";
	static const char marks[] =
		"---\ntitle: Two\n---\n## Intro \xEE\x80\x84 \xEE\x80\x85\n\n"
		"Text \xEE\x80\x84.[^n]\n\n###### Deep\n\n[^n]: A note.\n";
	struct buf site = BUF_INIT, print = BUF_INIT;
	int k;

	for (k = 0; k < 2; k++) {
		buf_reset(&site);
		buf_reset(&print);
		render("title: T\n", k ? marks : md, RENDER_SITE, &site);
		render("title: T\n", k ? marks : md, RENDER_PRINT, &print);
		CHECK(strstr(site.ptr, "<h2 id=\"intro") != NULL);
		CHECK(strstr(print.ptr, "<h3 id=\"raw--intro") != NULL);
		CHECK(strstr(site.ptr, "<h6 id=\"deep\">Deep</h6>") != NULL);
		CHECK(strstr(print.ptr, "<h6 id=\"raw--deep\">Deep</h6>") !=
		      NULL);
		CHECK(strstr(site.ptr,
			     "<h2 class=\"footnotes-title\">Notes</h2>"));
		CHECK(strstr(print.ptr,
			     "<h3 class=\"footnotes-title\">Notes</h3>"));
		CHECK(strstr(site.ptr, "href=\"#fn-n\"") != NULL);
		CHECK(strstr(print.ptr, "href=\"#raw--fn-n\"") != NULL);
		if (k) {
			/* the author's marks stay as they are */
			CHECK(strstr(site.ptr,
				     "Intro \xEE\x80\x84 \xEE\x80\x85</h2>"));
			CHECK(strstr(print.ptr,
				     "Intro \xEE\x80\x84 \xEE\x80\x85</h3>"));
			CHECK(strstr(print.ptr, "Text \xEE\x80\x84.") != NULL);
		} else {
			CHECK(!strstr(site.ptr, "\xEE\x80\x84") &&
			      !strstr(print.ptr, "\xEE\x80\x84") &&
			      !strstr(print.ptr, "\xEE\x80\x85"));
		}
	}
	buf_release(&site);
	buf_release(&print);
}

int main(void)
{
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 1;
	}
	markdown_init();
	RUN(test_escaped);
	RUN(test_unsafe);
	RUN(test_mixed);
	RUN(test_footnotes);
	RUN(test_footnote_ids);
	RUN(test_appends);
	RUN(test_site_and_print);
	fs_remove_tree(tmproot);
	return harness_done();
}
