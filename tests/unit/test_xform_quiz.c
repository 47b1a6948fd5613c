#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <libxml/parser.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "xform.h"
#include "xform_quiz.h"

/* Parses `text` as the content of a block whose first line is file line
 * 10, column 1. */
static int parse(const char *text, struct quiz *q, struct diag *d)
{
	return xform_quiz_parse(text, strlen(text), "ch.md", 10, 1, "c-quiz-1",
				q, d);
}

/* Whether diagnostic `i` of `d` is exactly line:col: msg in ch.md. */
#define diag_is(d, i, line, col, msg) \
	fixture_diag_is(d, i, "ch.md", line, col, msg)

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

static void test_parse_example(void)
{
	struct quiz q = { 0 };
	struct diag d;
	struct quiz_question *a, *b;

	diag_init(&d);
	CHECK_INT(parse(example, &q, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(q.id, "c-quiz-1");
	CHECK_INT(q.line, 9);
	CHECK_INT(q.n_questions, 2);
	if (q.n_questions == 2) {
		a = &q.questions[0];
		b = &q.questions[1];
		CHECK_STR(a->id, "c-quiz-1-q1");
		CHECK_STR(a->html, "Why keep a period of radio silence?");
		CHECK_INT(a->line, 10);
		CHECK_INT(a->n_choices, 3);
		CHECK_INT(a->multi, 0);
		CHECK_STR(a->choices[0].html, "To make them jealous");
		CHECK_INT(a->choices[0].correct, 0);
		CHECK_INT(a->choices[1].correct, 1);
		CHECK_INT(a->choices[2].correct, 0);
		CHECK_STR(a->explanation_html,
			  "Silence is for you, not against them.");

		CHECK_STR(b->id, "c-quiz-1-q2");
		CHECK_STR(b->html,
			  "Second question <em>with inline markdown</em>");
		CHECK_INT(b->line, 16);
		CHECK_INT(b->n_choices, 3);
		CHECK_INT(b->multi, 1);
		CHECK_INT(b->choices[0].correct, 1);
		CHECK_INT(b->choices[1].correct, 1);
		CHECK_INT(b->choices[2].correct, 0);
		CHECK_STR(b->explanation_html,
			  "explanation over\nseveral <code>lines</code>");
	}
	quiz_release(&q);
	CHECK(q.questions == NULL && q.n_questions == 0 && q.id == NULL);
	quiz_release(&q);  /* safe twice */
	diag_release(&d);
}

static void test_parse_no_explanation_crlf(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("  ? One\r\n  - [x] yes\r\n  + [ ] no  \r\n>\r\n\r\n",
			&q, &d),
		  0);
	CHECK_INT(d.n, 0);
	CHECK_INT(q.n_questions, 1);
	if (q.n_questions == 1) {
		CHECK(q.questions[0].explanation_html == NULL);
		CHECK_STR(q.questions[0].html, "One");
		CHECK_STR(q.questions[0].choices[1].html, "no");
	}
	quiz_release(&q);
	diag_release(&d);
}

static void test_parse_inline_markdown(void)
{
	struct quiz q = { 0 };
	struct diag d;
	const char *text =
		"? Is \"this\" **bold** -- or ~~struck~~? See [docs](https://x.org/a?b=1&c=2)\n"
		"- [x] `code <b>`\n"
		"- [ ] www.example.com\n"
		"> one\n"
		">\n"
		"> two\n";

	diag_init(&d);
	CHECK_INT(parse(text, &q, &d), 0);
	if (q.n_questions == 1) {
		const struct quiz_question *qq = &q.questions[0];

		CHECK_STR(qq->html,
			  "Is \xe2\x80\x9cthis\xe2\x80\x9d <strong>bold</strong> "
			  "\xe2\x80\x93 or <del>struck</del>? See <a href=\""
			  "https://x.org/a?b=1&amp;c=2\">docs</a>");
		CHECK_STR(qq->choices[0].html, "<code>code &lt;b&gt;</code>");
		CHECK_STR(qq->choices[1].html,
			  "<a href=\"http://www.example.com\">www.example.com</a>");
		CHECK_STR(qq->explanation_html, "one<br />\ntwo");
	}
	quiz_release(&q);
	diag_release(&d);
}

/* Local links and images are listed, with where each is written, and
 * their URLs hold placeholders; remote ones stay as they are. */
static void test_parse_links(void)
{
	struct quiz q = { 0 };
	struct diag d;
	const char *text =
		"? See [b](b.md#x) and ![\xc3\xa9](img/a%20b.png)\n"
		"  - [x] 1. [here](#top) \x01 [there](<my file.png>)\n"
		"- [ ] [web](https://x.org/) and [bad](javascript:alert(1))\n"
		"> # one [c](c.md)\n"
		">\n"
		">  two [d](d.md)\n";

	diag_init(&d);
	/* the block's content starts at file line 10, column 3 */
	CHECK_INT(xform_quiz_parse(text, strlen(text), "ch.md", 10, 3, "q",
				   &q, &d), 0);
	CHECK_INT(q.n_links, 6);
	if (q.n_links == 6) {
		static const struct {
			const char *url;
			int image, line, col;
		} want[] = {
			{ "b.md#x", 0, 10, 9 },
			{ "img/a%20b.png", 1, 10, 25 },
			{ "#top", 0, 11, 14 },
			{ "my file.png", 0, 11, 29 },
			{ "c.md", 0, 13, 11 },
			{ "d.md", 0, 15, 10 },
		};
		size_t i;
		for (i = 0; i < 6; i++) {
			CHECK_STR(q.links[i].url, want[i].url);
			CHECK_INT(q.links[i].image, want[i].image);
			CHECK_INT(q.links[i].line, want[i].line);
			CHECK_INT(q.links[i].col, want[i].col);
			CHECK(q.links[i].index == (size_t)-1);
		}
	}
	if (q.n_questions == 1) {
		const struct quiz_question *qq = &q.questions[0];
		CHECK_STR(qq->html, "See <a href=\"" QUIZ_LINK_OPEN "0"
			  QUIZ_LINK_CLOSE "\">b</a> and <img src=\""
			  QUIZ_LINK_OPEN "1" QUIZ_LINK_CLOSE "\" alt=\""
			  "\xc3\xa9\" />");
		CHECK(strstr(qq->choices[0].html, "href=\"" QUIZ_LINK_OPEN "2"
			     QUIZ_LINK_CLOSE "\"") != NULL);
		CHECK_STR(qq->choices[1].html,
			  "<a href=\"https://x.org/\">web</a> and "
			  "<a href=\"\">bad</a>");
		CHECK(strstr(qq->explanation_html, QUIZ_LINK_OPEN "5"
			     QUIZ_LINK_CLOSE) != NULL);
	}
	quiz_release(&q);
	diag_release(&d);
}

static void test_parse_escaping(void)
{
	struct quiz q = { 0 };
	struct diag d;
	const char *text =
		"? <script>alert(1)</script> & <b>bold</b>\n"
		"- [x] # not a heading\n"
		"- [ ] 1. not a list\n"
		"- [ ] <div>not a block</div>\n"
		"- [ ] [label]: /not-a-definition\n"
		"- [ ] ***\n"
		"- [ ] <https://auto.link>\n"
		"- [ ] [a link](javascript:alert(1))\n"
		"> - not a list\n"
		"> ===\n"
		"> > not a quote\n"
		"> ```\n";

	diag_init(&d);
	CHECK_INT(parse(text, &q, &d), 0);
	CHECK_INT(d.n, 0);
	if (q.n_questions == 1) {
		const struct quiz_question *qq = &q.questions[0];

		CHECK_STR(qq->html, "&lt;script&gt;alert(1)&lt;/script&gt; "
				    "&amp; &lt;b&gt;bold&lt;/b&gt;");
		CHECK_INT(qq->n_choices, 7);
		CHECK_STR(qq->choices[0].html, "# not a heading");
		CHECK_STR(qq->choices[1].html, "1. not a list");
		CHECK_STR(qq->choices[2].html,
			  "&lt;div&gt;not a block&lt;/div&gt;");
		CHECK_STR(qq->choices[3].html, "[label]: /not-a-definition");
		CHECK_STR(qq->choices[4].html, "***");
		CHECK_STR(qq->choices[5].html,
			  "<a href=\"https://auto.link\">https://auto.link</a>");
		CHECK_STR(qq->choices[6].html, "<a href=\"\">a link</a>");
		CHECK_STR(qq->explanation_html,
			  "- not a list\n===\n&gt; not a quote\n```");
	}
	quiz_release(&q);
	diag_release(&d);
}

static void test_error_no_correct(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("? Q\n- [ ] a\n- [ ] b\n", &q, &d), -1);
	CHECK_INT(d.n, 1);
	CHECK(diag_is(&d, 0, 10, 1, "quiz question has no correct choice"));
	CHECK(d.n == 1 && d.v[0].source && !strcmp(d.v[0].source, "? Q"));
	CHECK(q.questions == NULL && q.id == NULL && q.n_questions == 0);
	diag_release(&d);
}

static void test_error_two_choices(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("? Q\n- [x] a\n\n  ? R\n", &q, &d), -1);
	CHECK_INT(d.n, 2);
	CHECK(diag_is(&d, 0, 10, 1,
		      "quiz question needs at least two choices"));
	CHECK(diag_is(&d, 1, 13, 3,
		      "quiz question needs at least two choices"));
	diag_release(&d);
}

static void test_error_stray_line(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("? Q\n- [x] a\n   continued text\n- [ ] b\n-x\n", &q,
			&d),
		  -1);
	CHECK_INT(d.n, 2);
	CHECK(diag_is(&d, 0, 12, 4,
		      "unexpected line in quiz: expected '?', '- [ ]', "
		      "'- [x]' or '>'"));
	CHECK(diag_is(&d, 1, 14, 1,
		      "unexpected line in quiz: expected '?', '- [ ]', "
		      "'- [x]' or '>'"));
	CHECK(d.n >= 1 && d.v[0].source &&
	      !strcmp(d.v[0].source, "   continued text"));
	diag_release(&d);
}

static void test_error_empty(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("", &q, &d), -1);
	CHECK_INT(parse("\n  \n\t\n", &q, &d), -1);
	CHECK_INT(xform_quiz_parse("", 0, "ch.md", 10, 5, "x", &q, &d), -1);
	CHECK_INT(d.n, 3);
	CHECK(diag_is(&d, 0, 9, 1, "empty quiz block"));
	CHECK(diag_is(&d, 1, 9, 1, "empty quiz block"));
	CHECK(diag_is(&d, 2, 9, 5, "empty quiz block"));
	diag_release(&d);
}

static void test_error_before_question(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("- [x] a\n > why\n", &q, &d), -1);
	CHECK_INT(d.n, 2);
	CHECK(diag_is(&d, 0, 10, 1,
		      "quiz choice before any question: expected '?' first"));
	CHECK(diag_is(&d, 1, 11, 2,
		      "quiz explanation before any question: expected '?' "
		      "first"));
	diag_release(&d);
}

static void test_error_choice_shapes(void)
{
	struct quiz q = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("?\n- [x] a\n- [y] b\n-  [x]\n- [ ]c\n- [ ] d\n"
			"> why\n- [ ] e\n",
			&q, &d),
		  -1);
	CHECK_INT(d.n, 5);
	CHECK(diag_is(&d, 0, 10, 1, "quiz question has no text"));
	CHECK(diag_is(&d, 1, 12, 3,
		      "quiz choice has no checkbox: expected '- [ ]' or "
		      "'- [x]'"));
	CHECK(diag_is(&d, 2, 13, 1, "quiz choice has no text"));
	CHECK(diag_is(&d, 3, 14, 3,
		      "quiz choice has no checkbox: expected '- [ ]' or "
		      "'- [x]'"));
	CHECK(diag_is(&d, 4, 17, 1,
		      "quiz choice after the explanation: start the next "
		      "question with '?'"));
	diag_release(&d);
}

/* Every error of a block is reported, in order, with the column shifted
 * by where the block's content starts. */
static void test_error_all_reported(void)
{
	struct quiz q = { 0 };
	struct diag d;
	const char *text = "? A\n- [ ] a\n- [ ] b\nstray\n? B\n- [x] \xc3\xa9\n";

	diag_init(&d);
	CHECK_INT(xform_quiz_parse(text, strlen(text), "ch.md", 4, 3, "x", &q,
				   &d),
		  -1);
	CHECK_INT(d.n, 3);
	CHECK(diag_is(&d, 0, 7, 3,
		      "unexpected line in quiz: expected '?', '- [ ]', "
		      "'- [x]' or '>'"));
	CHECK(diag_is(&d, 1, 4, 3, "quiz question has no correct choice"));
	CHECK(diag_is(&d, 2, 8, 3,
		      "quiz question needs at least two choices"));
	/* the shown line is padded to the column so the caret lines up */
	CHECK(d.n >= 1 && d.v[0].source && !strcmp(d.v[0].source, "  stray"));
	diag_release(&d);
}

static cmark_node *parse_md(const char *md)
{
	return cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
}

static void test_run(void)
{
	const char *md =
		"# Title\n"
		"\n"
		"```quiz\n"
		"? One\n"
		"- [x] a\n"
		"- [ ] b\n"
		"```\n"
		"\n"
		"```c\n"
		"? not a quiz\n"
		"```\n"
		"\n"
		"> ```quiz extra words\n"
		"> ? Two\n"
		"> - [x] a\n"
		"> - [x] b\n"
		"> ```\n"
		"\n"
		"```quizzes\n"
		"x\n"
		"```\n";
	cmark_node *doc = parse_md(md), *n, *quote;
	struct quiz_list l = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(xform_quiz_run(doc, "ch.md", 4, "ch", &l, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(l.v[0].id, "ch-quiz-1");
		CHECK_INT(l.v[0].line, 7);
		CHECK_STR(l.v[0].questions[0].id, "ch-quiz-1-q1");
		CHECK_INT(l.v[0].questions[0].line, 8);
		CHECK_STR(l.v[1].id, "ch-quiz-2");
		CHECK_INT(l.v[1].line, 17);
		CHECK_STR(l.v[1].questions[0].id, "ch-quiz-2-q1");
		CHECK_INT(l.v[1].questions[0].line, 18);
		CHECK_INT(l.v[1].questions[0].multi, 1);
	}
	n = cmark_node_next(cmark_node_first_child(doc));
	CHECK(n && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK);
	CHECK(n && XFORM_KIND(cmark_node_get_user_data(n)) == XFORM_QUIZ);
	CHECK(n && XFORM_INDEX(cmark_node_get_user_data(n)) == 0);
	n = n ? cmark_node_next(n) : NULL;
	CHECK(n && cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK);
	quote = n ? cmark_node_next(n) : NULL;
	CHECK(quote && cmark_node_get_type(quote) == CMARK_NODE_BLOCK_QUOTE);
	n = quote ? cmark_node_first_child(quote) : NULL;
	CHECK(n && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK);
	CHECK(n && cmark_node_get_user_data(n) == XFORM_TAG(XFORM_QUIZ, 1));
	n = quote ? cmark_node_next(quote) : NULL;
	CHECK(n && cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK);
	quiz_list_release(&l);
	CHECK(l.v == NULL && l.n == 0);
	cmark_node_free(doc);
	diag_release(&d);
}

static void test_run_errors(void)
{
	const char *md =
		"Text\n"
		"\n"
		"```quiz\n"
		"```\n"
		"\n"
		"- item\n"
		"\n"
		"  ```quiz\n"
		"  ? Q\n"
		"  - [ ] a\n"
		"  oops\n"
		"  ```\n"
		"\n"
		"```quiz\n"
		"? Fine\n"
		"- [ ] a\n"
		"- [x] b\n"
		"```\n";
	cmark_node *doc = parse_md(md);
	struct quiz_list l = { 0 };
	struct diag d;

	diag_init(&d);
	CHECK_INT(xform_quiz_run(doc, "ch.md", 3, "ch", &l, &d), -1);
	CHECK_INT(d.n, 4);
	CHECK(diag_is(&d, 0, 6, 1, "empty quiz block"));
	CHECK(diag_is(&d, 1, 14, 3,
		      "unexpected line in quiz: expected '?', '- [ ]', "
		      "'- [x]' or '>'"));
	CHECK(diag_is(&d, 2, 12, 3,
		      "quiz question needs at least two choices"));
	CHECK(diag_is(&d, 3, 12, 3, "quiz question has no correct choice"));
	/* the good block still parses, keeps its place-based id */
	CHECK_INT(l.n, 1);
	if (l.n == 1)
		CHECK_STR(l.v[0].id, "ch-quiz-3");
	quiz_list_release(&l);
	cmark_node_free(doc);
	diag_release(&d);
}

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
	xform_quiz_render_site(&q, &out);
	CHECK(!strncmp(out.ptr, "<form class=\"quiz\" id=\"c-quiz-1\" "
				"data-quiz=\"c-quiz-1\">\n", 55));
	CHECK(strstr(out.ptr, "<fieldset class=\"quiz-question\" "
			      "id=\"c-quiz-1-q1\" data-correct=\"1\">\n"
			      "<legend><span class=\"quiz-number\">1.</span> "
			      "Why keep a period of radio silence?</legend>\n"));
	CHECK(strstr(out.ptr, "<li><label class=\"quiz-choice\"><input "
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
	CHECK(strstr(out.ptr, "<details class=\"quiz-answer\"><summary>Show "
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
	CHECK_INT(xform_quiz_parse(text, strlen(text), "ch.md", 1, 1,
				   "a\"b<c", &q, &d),
		  0);
	xform_quiz_render_site(&q, &out);
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
	xform_quiz_render_epub(&q, "ch.xhtml", "answers.xhtml", &out, &ans);
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
	CHECK(strstr(out.ptr, "<p class=\"quiz-answer-link\"><a epub:type="
			      "\"noteref\" role=\"doc-noteref\" href=\"answers."
			      "xhtml#c-quiz-1-q1\" id=\"c-quiz-1-q1-ref\">Answer"
			      "</a></p>\n"));
	CHECK(strstr(ans.ptr, "<aside epub:type=\"footnote\" role=\"doc-"
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
	xform_quiz_render_epub(&q, "", "", &out, &ans);
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

	buf_adds(&text, "? <p>Tom & \"Jerry\" 'x' &nbsp; &copy; <br> ![img](a.png \"t\")"
			" [l](/a?b&c) <x@y.z>\n- [x] a  \n");
	for (i = 1; i < 28; i++)
		buf_addf(&text, "- [%c] choice %zu\n", i == 27 ? 'x' : ' ', i);
	buf_adds(&text, "> line one\\\n> line two\n>\n> <!-- c --> <?pi?>\n"
			"> bad \xff\xfe utf-8, control \x01\x0c, cr\r# not a heading\n");
	parse_ok(text.ptr, &q);
	xform_quiz_render_epub(&q, "c&h.xhtml", "a.xhtml", &out, &ans);
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
	RUN(test_parse_example);
	RUN(test_parse_no_explanation_crlf);
	RUN(test_parse_inline_markdown);
	RUN(test_parse_links);
	RUN(test_parse_escaping);
	RUN(test_error_no_correct);
	RUN(test_error_two_choices);
	RUN(test_error_stray_line);
	RUN(test_error_empty);
	RUN(test_error_before_question);
	RUN(test_error_choice_shapes);
	RUN(test_error_all_reported);
	RUN(test_run);
	RUN(test_run_errors);
	RUN(test_render_site);
	RUN(test_render_site_escapes_ids);
	RUN(test_render_epub);
	RUN(test_render_epub_xml_safe);
	xmlCleanupParser();
	return harness_done();
}
