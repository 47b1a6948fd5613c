/* Unit tests for markdown_xhtml: cmark-gfm's tree written as the EPUB's
 * XHTML, the rules of the EPUB applied on the way (entities and escaping,
 * characters XML cannot hold, footnotes as endnotes, table alignment as
 * classes, task lists, void elements), what depends on the book marked
 * (links into it, images), and any nesting written well-formed. The
 * EPUB writer's side is in test_write_epub.c (test_paths_agree). */
#include <cmark-gfm.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "markdown.h"
#include "markdown_xhtml.h"

#define M MARKDOWN_XHTML_MARK
#define E MARKDOWN_XHTML_END

/* `md` rendered as XHTML into `out` (reset first). */
static void xhtml(const char *md, struct buf *out)
{
	cmark_node *doc = markdown_parse(md, strlen(md), 0);

	buf_reset(out);
	markdown_xhtml(doc, "Notes", "Back to content", 0, out);
	cmark_node_free(doc);
}

/* Whether `frag` is well-formed XML inside a root that declares the
 * epub: prefix, as the chapter documents do. */
static int well_formed(const char *frag)
{
	struct buf b = BUF_INIT;
	xmlDocPtr doc;

	buf_adds(&b, "<r xmlns=\"http://www.w3.org/1999/xhtml\" "
		     "xmlns:epub=\"http://www.idpf.org/2007/ops\">");
	buf_adds(&b, frag);
	buf_adds(&b, "</r>");
	doc = xmlReadMemory(b.ptr, (int)b.len, NULL, "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	buf_release(&b);
	if (!doc)
		return 0;
	xmlFreeDoc(doc);
	return 1;
}

/* Text: only &, < and > escaped (as libxml2 writes text), raw HTML shown
 * as written, control characters and U+FFFE, U+FFFF left out (no XML
 * characters), the marks as references. */
static void test_text(void)
{
	struct buf out = BUF_INIT;

	xhtml("A & <b>bold</b> \"q\" it's \x01x \xEE\x80\x90 \xEE\x80\x91 "
	      "&copy; &#x2014; \xEF\xBF\xBEy\xEF\xBF\xBF \xEF\xBF\xBD\n",
	      &out);
	CHECK_STR(out.ptr, "<p>A &amp; &lt;b&gt;bold&lt;/b&gt; \xE2\x80\x9Cq"
			   "\xE2\x80\x9D it\xE2\x80\x99s x &#xE010; &#xE011; "
			   "\xC2\xA9 \xE2\x80\x94 y \xEF\xBF\xBD</p>\n");
	CHECK(well_formed(out.ptr));
	buf_release(&out);
}

/* Void elements closed the XML way; code, lists, breaks. */
static void test_blocks(void)
{
	struct buf out = BUF_INIT;

	xhtml("2. two  \n   next\n3. three\n\n***\n\n```sh x\na<b\n```\n\n"
	      "> quote\n",
	      &out);
	CHECK_STR(out.ptr, "<ol start=\"2\">\n<li>two<br/>\nnext</li>\n"
			   "<li>three</li>\n</ol>\n<hr/>\n<pre><code class=\""
			   "language-sh\">a&lt;b\n</code></pre>\n"
			   "<blockquote>\n<p>quote</p>\n</blockquote>\n");
	CHECK(well_formed(out.ptr));
	buf_release(&out);
}

/* Alignment as the classes of epub.css, not HTML5's obsolete align. */
static void test_table(void)
{
	struct buf out = BUF_INIT;

	xhtml("| l | c | r | n |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n",
	      &out);
	CHECK(strstr(out.ptr, "<thead>\n<tr>\n<th class=\"align-left\">l</th>"
			      "\n<th class=\"align-center\">c</th>\n<th class="
			      "\"align-right\">r</th>\n<th>n</th>\n</tr>\n"
			      "</thead>\n<tbody>\n<tr>\n<td class=\"align-"
			      "left\">1</td>\n"));
	CHECK(strstr(out.ptr, "<td>4</td>\n</tr>\n</tbody>\n</table>\n"));
	CHECK(!strstr(out.ptr, "align=\""));
	CHECK(well_formed(out.ptr));
	xhtml("| h |\n|---|\n", &out);
	CHECK_STR(out.ptr, "<table>\n<thead>\n<tr>\n<th>h</th>\n</tr>\n"
			   "</thead>\n</table>\n");
	buf_release(&out);
}

/* Links into the book and images are marked for the EPUB writer; links
 * out of it or within the document are final; a dangerous URL has no
 * destination, as cmark-gfm writes it. */
static void test_links_images(void)
{
	struct buf out = BUF_INIT;

	xhtml("[in](other.md \"T\") [out](https://e.org/?a=1&b=2) [top](#top) "
	      "[bad](javascript:x) [sp](my file.txt)\n"
	      "![a *b* `c`](img/p.png \"t\") ![](https://e.org/r.png)\n",
	      &out);
	CHECK_STR(out.ptr,
		  "<p>" M "<a href=\"other.md\" title=\"T\">in" E "</a> "
		  "<a href=\"https://e.org/?a=1&amp;b=2\">out</a> "
		  "<a href=\"#top\">top</a> <a href=\"\">bad</a> [sp](my "
		  "file.txt)\n" M "<img src=\"img/p.png\" alt=\"a b c\" "
		  "title=\"t\"/> " M "<img src=\"https://e.org/r.png\" "
		  "alt=\"\"/></p>\n");
	xhtml("[sp](<my file.txt>)\n", &out);
	CHECK_STR(out.ptr,
		  "<p>" M "<a href=\"my%20file.txt\">sp" E "</a></p>\n");
	buf_release(&out);
}

/* Footnotes are EPUB endnotes: the references noterefs, the section and
 * its items with their roles, one back link per reference (the arrow as
 * text), after a last paragraph or on a line of their own. */
static void test_footnotes(void)
{
	struct buf out = BUF_INIT;

	xhtml("A[^n] again[^n] and[^c].\n\n[^n]: Note.\n[^c]:\n"
	      "    ```\n    code\n    ```\n",
	      &out);
	CHECK(strstr(out.ptr, "<sup class=\"footnote-ref\"><a href=\"#fn-n\" "
			      "id=\"fnref-n-2\" epub:type=\"noteref\" role=\""
			      "doc-noteref\">1</a></sup>"));
	CHECK(strstr(out.ptr,
		     "<section class=\"footnotes\" epub:type=\"endnotes\" "
		     "role=\"doc-endnotes\" aria-label=\"Notes\">\n<ol>\n"
		     "<li id=\"fn-n\" epub:type=\"endnote\">\n<p>Note. "
		     "<a href=\"#fnref-n\" class=\"footnote-backref\" "
		     "aria-label=\"Back to content\" role=\"doc-backlink\">"
		     "\xE2\x86\xA9\xEF\xB8\x8E</a> <a href=\"#fnref-n-2\" "
		     "class=\"footnote-backref\" aria-label=\"Back to content"
		     "\" role=\"doc-backlink\">\xE2\x86\xA9<sup class=\""
		     "footnote-ref\">2</sup></a></p>\n</li>\n"));
	CHECK(strstr(out.ptr, "<pre><code>code\n</code></pre>\n<a href=\"#"
			      "fnref-c\" class=\"footnote-backref\" aria-"
			      "label=\"Back to content\" role=\"doc-backlink"
			      "\">\xE2\x86\xA9\xEF\xB8\x8E</a>\n</li>\n</ol>\n"
			      "</section>\n"));
	CHECK(!strstr(out.ptr, "data-"));
	CHECK(well_formed(out.ptr));
	buf_release(&out);
}

/* An item that opens with a task box (the markup render_task_open()
 * writes) is marked for epub.css, and so is its list. */
static void test_task_items(void)
{
	struct buf out = BUF_INIT;
	cmark_node *doc = markdown_parse("- a\n- b\n", 4 + 4, 0);
	cmark_node *item = cmark_node_first_child(cmark_node_first_child(doc));
	cmark_node *para = cmark_node_first_child(item);
	cmark_node *box = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);

	cmark_node_set_on_enter(box, "<span class=\"task-box\">x</span> ");
	cmark_node_prepend_child(para, box);
	markdown_xhtml(doc, "Notes", "Back to content", 0, &out);
	CHECK_STR(out.ptr, "<ul class=\"task-list\">\n<li class=\"task-item\">"
			   "<span class=\"task-box\">x</span> a</li>\n<li>b"
			   "</li>\n</ul>\n");
	cmark_node_free(doc);
	buf_release(&out);
}

/* In a right-to-left book a code block says it reads left to right;
 * footnote back links carry the label given (the book's language). */
static void test_rtl_labels(void)
{
	struct buf out = BUF_INIT;
	const char *md = "```sh\nls -l\n```\n\nNote[^1].\n\n[^1]: Here.\n";
	cmark_node *doc = markdown_parse(md, strlen(md), 0);

	markdown_xhtml(doc, "ملاحظات", "العودة إلى النص", 1, &out);
	CHECK(strstr(out.ptr, "<pre dir=\"ltr\"><code class=\"language-sh\">"
			      "ls -l\n</code></pre>") != NULL);
	CHECK(strstr(out.ptr, "aria-label=\"العودة إلى النص\"") != NULL);
	CHECK(strstr(out.ptr, "Back to content") == NULL);
	CHECK(well_formed(out.ptr));
	buf_reset(&out);
	markdown_xhtml(doc, "Notes", "Back", 0, &out);
	CHECK(strstr(out.ptr, "<pre><code class=\"language-sh\">") != NULL);
	cmark_node_free(doc);
	buf_release(&out);
}

/* Deep nesting comes out whole and well-formed (the renderer walks the
 * tree with cmark's iterator, not by recursion). */
static void test_deep(void)
{
	struct buf md = BUF_INIT, out = BUF_INIT;
	const char *p;
	size_t i, n = 0;

	for (i = 0; i < 2000; i++)
		buf_addch(&md, '>');
	buf_adds(&md, " deep *a **b [c](d.md)** e*\n");
	xhtml(md.ptr, &out);
	for (p = out.ptr; (p = strstr(p, "<blockquote>")); p++)
		n++;
	CHECK_INT(n, 2000);
	CHECK(well_formed(out.ptr));
	buf_release(&md);
	buf_release(&out);
}

int main(void)
{
	markdown_init();
	RUN(test_text);
	RUN(test_blocks);
	RUN(test_table);
	RUN(test_links_images);
	RUN(test_footnotes);
	RUN(test_task_items);
	RUN(test_rtl_labels);
	RUN(test_deep);
	xmlCleanupParser();
	return harness_done();
}
