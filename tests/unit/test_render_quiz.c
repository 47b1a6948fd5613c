/* Tests for render_quiz: a quiz's markup on the website (a form that
 * works without script) and in the EPUB (well-formed XHTML, answers as
 * linked notes). */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "i18n.h"
#include "render_quiz.h"
#include "xform_quiz.h"

/* Parses `text` as the content of a block whose first line is file line
 * 10, column 1. */
/* The English strings, loaded in main(). */
static struct i18n en;

static int parse(const char *text, struct quiz *q, struct diag *d)
{
	return xform_quiz_parse(text, strlen(text), "ch.md", 10, 1, "c-quiz-1",
				q, d);
}

/* Whether `xml` parses as well-formed XML inside an XHTML element that
 * declares the epub: prefix. */
static int well_formed(const char *xml)
{
	struct buf b = BUF_INIT;
	xmlDocPtr doc;

	buf_adds(&b, "<div xmlns=\"http://www.w3.org/1999/xhtml\" "
		     "xmlns:epub=\"http://www.idpf.org/2007/ops\">");
	buf_adds(&b, xml);
	buf_adds(&b, "</div>");
	doc = xmlReadMemory(b.ptr, (int)b.len, "quiz.xhtml", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	buf_release(&b);
	if (!doc)
		return 0;
	xmlFreeDoc(doc);
	return 1;
}

static const char example[] =
	"? Why keep a period of radio silence?\n"
	"- [ ] To make them jealous\n"
	"- [x] To let the urge to reach out fade and see clearly again\n"
	"- [ ] To punish them\n"
	"> Silence is for you, not against them.\n"
	"\n"
	"? Second question *with inline markdown*\n"
	"- [x] a\n"
	"* [X] b\n"
	"- [ ] c\n"
	"> explanation over\n"
	"> several `lines`\n";

static void parse_ok(const char *text, struct quiz *q)
{
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse(text, q, &d), 0);
	diag_release(&d);
}

static void test_render_site(void)
{
	struct quiz q = { 0 };
	struct buf out = BUF_INIT;

	parse_ok(example, &q);
	render_quiz_site(&q, &en, &out);
	CHECK(!strncmp(out.ptr,
		       "<form class=\"quiz\" id=\"c-quiz-1\" "
		       "data-quiz=\"c-quiz-1\">\n",
		       55));
	CHECK(strstr(out.ptr,
		     "<fieldset class=\"quiz-question\" "
		     "id=\"c-quiz-1-q1\" data-correct=\"1\">\n"
		     "<legend><span class=\"quiz-number\">1.</span> "
		     "Why keep a period of radio silence?</legend>\n"));
	CHECK(strstr(out.ptr,
		     "<li><label class=\"quiz-choice\"><input "
		     "type=\"radio\" name=\"c-quiz-1-q1\" value=\"0\"> "
		     "<span class=\"quiz-choice-text\">To make them "
		     "jealous</span></label></li>\n"));
	CHECK(strstr(out.ptr, "data-correct=\"0 1\""));
	CHECK(strstr(out.ptr, "<input type=\"checkbox\" name=\"c-quiz-1-q2\" "
			      "value=\"2\">"));
	CHECK(strstr(out.ptr, "(Choose all that apply.)</span></legend>"));
	CHECK(strstr(out.ptr, "<div class=\"quiz-feedback\" "
			      "id=\"c-quiz-1-q1-feedback\" role=\"status\" "
			      "aria-live=\"polite\"></div>\n"));
	CHECK(strstr(out.ptr,
		     "<details class=\"quiz-answer\"><summary>Show "
		     "answer</summary>\n<p class=\"quiz-key\"><span "
		     "class=\"quiz-key-label\">Answer:</span> To let "
		     "the urge to reach out fade and see clearly "
		     "again</p>\n<p class=\"quiz-explanation\">Silence "
		     "is for you, not against them.</p>\n</details>\n"));
	CHECK(strstr(out.ptr, "<ul class=\"quiz-key-list\">\n<li>a</li>\n"
			      "<li>b</li>\n</ul>\n"));
	CHECK(strstr(out.ptr, "<button type=\"submit\" class=\"quiz-check\" "
			      "hidden>Check answers</button>"));
	CHECK(strstr(out.ptr, "<button type=\"button\" class=\"quiz-retry\" "
			      "hidden>Retry missed questions</button>"));
	CHECK(strstr(out.ptr, "<div class=\"quiz-score\" id=\"c-quiz-1-score\" "
			      "role=\"status\" aria-live=\"polite\"></div>\n"
			      "</form>\n"));
	/* three fieldsets opened and closed: two questions */
	CHECK(strstr(strstr(out.ptr, "</fieldset>") + 1, "</fieldset>"));
	buf_release(&out);
	quiz_release(&q);
}

static void test_render_site_escapes_ids(void)
{
	struct quiz q = { 0 };
	struct buf out = BUF_INIT;
	struct diag d;
	const char *text = "? Q\n- [x] a\n- [ ] b\n";

	diag_init(&d);
	CHECK_INT(xform_quiz_parse(text, strlen(text), "ch.md", 1, 1, "a\"b<c",
				   &q, &d),
		  0);
	render_quiz_site(&q, &en, &out);
	CHECK(strstr(out.ptr, "id=\"a&quot;b&lt;c\""));
	CHECK(strstr(out.ptr, "name=\"a&quot;b&lt;c-q1\""));
	CHECK(!strstr(out.ptr, "a\"b"));
	buf_release(&out);
	quiz_release(&q);
	diag_release(&d);
}

static void test_render_epub(void)
{
	struct quiz q = { 0 };
	struct buf out = BUF_INIT, ans = BUF_INIT;

	parse_ok(example, &q);
	render_quiz_epub(&q, "ch.xhtml", "answers.xhtml", 0, &en, &out, &ans);
	CHECK(well_formed(out.ptr));
	CHECK(well_formed(ans.ptr));
	CHECK(!strstr(out.ptr, "<form") && !strstr(out.ptr, "<input") &&
	      !strstr(out.ptr, "<script"));
	CHECK(strstr(out.ptr, "<div class=\"quiz\" id=\"c-quiz-1\">\n"
			      "<div class=\"quiz-question\">\n<p class=\"quiz-"
			      "prompt\"><span class=\"quiz-number\">1.</span> "
			      "Why keep a period of radio silence?</p>\n<ol "
			      "class=\"quiz-choices\" type=\"a\">\n<li>To make "
			      "them jealous</li>\n"));
	CHECK(strstr(out.ptr,
		     "<p class=\"quiz-answer-link\"><a epub:type="
		     "\"noteref\" role=\"doc-noteref\" href=\"answers."
		     "xhtml#c-quiz-1-q1\" id=\"c-quiz-1-q1-ref\">Answer"
		     "</a></p>\n"));
	CHECK(strstr(ans.ptr,
		     "<aside epub:type=\"footnote\" role=\"doc-"
		     "footnote\" id=\"c-quiz-1-q1\">\n<p class=\"quiz-"
		     "key-question\"><span class=\"quiz-number\">1."
		     "</span> Why keep a period of radio silence?</p>\n"
		     "<p class=\"quiz-key\"><span class=\"quiz-key-"
		     "label\">Answer:</span> b. To let the urge to "
		     "reach out fade and see clearly again</p>\n<p "
		     "class=\"quiz-explanation\">Silence is for you, "
		     "not against them.</p>\n<p class=\"quiz-backlink"
		     "\"><a href=\"ch.xhtml#c-quiz-1-q1-ref\" role=\""
		     "doc-backlink\">Back to question</a></p>\n"
		     "</aside>\n"));
	CHECK(strstr(ans.ptr, "<li>a. a</li>\n<li>b. b</li>\n"));
	buf_release(&out);
	buf_release(&ans);

	/* the notes may live in the chapter page itself */
	render_quiz_epub(&q, "", "", 0, &en, &out, &ans);
	CHECK(strstr(out.ptr, "href=\"#c-quiz-1-q2\" id=\"c-quiz-1-q2-ref\""));
	CHECK(strstr(ans.ptr, "href=\"#c-quiz-1-q2-ref\""));
	buf_release(&out);
	buf_release(&ans);
	quiz_release(&q);
}

/* Everything inline Markdown can produce stays well-formed XML. */
static void test_render_epub_xml_safe(void)
{
	struct quiz q = { 0 };
	struct buf out = BUF_INIT, ans = BUF_INIT, text = BUF_INIT;
	size_t i;

	buf_adds(&text,
		 "? <p>Tom & \"Jerry\" 'x' &nbsp; &copy; <br> ![img](a.png \"t\")"
		 " [l](/a?b&c) <x@y.z>\n- [x] a  \n");
	for (i = 1; i < 28; i++)
		buf_addf(&text, "- [%c] choice %zu\n", i == 27 ? 'x' : ' ', i);
	buf_adds(&text,
		 "> line one\\\n> line two\n>\n> <!-- c --> <?pi?>\n"
		 "> bad \xff\xfe utf-8, control \x01\x0c, cr\r# not a heading\n");
	parse_ok(text.ptr, &q);
	render_quiz_epub(&q, "c&h.xhtml", "a.xhtml", 0, &en, &out, &ans);
	CHECK(well_formed(out.ptr));
	CHECK(well_formed(ans.ptr));
	CHECK(!strstr(out.ptr, "&nbsp;") && !strstr(out.ptr, "&copy;"));
	CHECK(strstr(ans.ptr, "<li>ab. choice 27</li>"));
	CHECK(strstr(ans.ptr, "\xef\xbf\xbd# not a heading"));
	CHECK(!strstr(ans.ptr, "<h1>"));
	CHECK(strstr(ans.ptr, "href=\"c&amp;h.xhtml#c-quiz-1-q1-ref\""));
	buf_release(&out);
	buf_release(&ans);
	buf_release(&text);
	quiz_release(&q);
}

int main(void)
{
	struct diag d;

	diag_init(&d);
	i18n_load(&en, "en", NULL, NULL, NULL, NULL, &d);
	diag_release(&d);
	RUN(test_render_site);
	RUN(test_render_site_escapes_ids);
	RUN(test_render_epub);
	RUN(test_render_epub_xml_safe);
	xmlCleanupParser();
	i18n_release(&en);
	return harness_done();
}
