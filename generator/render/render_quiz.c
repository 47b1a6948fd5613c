#include "render_quiz.h"

#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "markdown_xhtml.h"
#include "xform_quiz.h"

/* The text of choice `i` of `qq`: its XHTML or its HTML. */
#define CHOICE(qq, i, xhtml) \
	((xhtml) ? (qq)->choices[i].xhtml : (qq)->choices[i].html)

/* Appends the lower-alpha list label of 0-based index i: a, b, ..., z,
 * aa, ab, ... as CSS and <ol type="a"> count. */
static void add_letter(struct buf *out, size_t i)
{
	char tmp[16];
	size_t n = 0;

	i++;
	while (i && n < sizeof(tmp)) {
		i--;
		tmp[n++] = (char)('a' + i % 26);
		i /= 26;
	}
	while (n)
		buf_addch(out, tmp[--n]);
}

static size_t count_correct(const struct quiz_question *qq)
{
	size_t i, n = 0;

	for (i = 0; i < qq->n_choices; i++)
		n += qq->choices[i].correct != 0;
	return n;
}

/* Appends the interface string `key` of `t`, escaped. */
static void add_text(struct buf *out, const struct i18n *t, const char *key)
{
	buf_adds_html(out, i18n_str(t, key));
}

/* " (Choose all that apply.)" after a pick-all question. */
static void add_hint(struct buf *out, const struct i18n *t, int multi)
{
	if (!multi)
		return;
	buf_adds(out, " <span class=\"quiz-hint\">");
	add_text(out, t, "choose_all");
	buf_adds(out, "</span>");
}

static void site_answer(const struct quiz_question *qq, const struct i18n *t,
			struct buf *out)
{
	size_t i;

	buf_adds(out, "<details class=\"quiz-answer\"><summary>");
	add_text(out, t, "show_answer");
	buf_adds(out, "</summary>\n");
	if (count_correct(qq) == 1) {
		for (i = 0; i < qq->n_choices; i++) {
			if (!qq->choices[i].correct)
				continue;
			buf_adds(out, "<p class=\"quiz-key\"><span class=\""
				      "quiz-key-label\">");
			add_text(out, t, "answer_label");
			buf_addf(out, "</span> %s</p>\n", qq->choices[i].html);
		}
	} else {
		buf_adds(out, "<p class=\"quiz-key\"><span class=\"quiz-key-"
			      "label\">");
		add_text(out, t, "answers_label");
		buf_adds(out, "</span></p>\n<ul class=\"quiz-key-list\">\n");
		for (i = 0; i < qq->n_choices; i++)
			if (qq->choices[i].correct)
				buf_addf(out, "<li>%s</li>\n",
					 qq->choices[i].html);
		buf_adds(out, "</ul>\n");
	}
	if (qq->explanation_html && *qq->explanation_html)
		buf_addf(out, "<p class=\"quiz-explanation\">%s</p>\n",
			 qq->explanation_html);
	buf_adds(out, "</details>\n");
}

void render_quiz_site(const struct quiz *q, const struct i18n *t,
		      struct buf *out)
{
	size_t i, j;

	buf_adds(out, "<form class=\"quiz\" id=\"");
	buf_adds_html(out, q->id);
	buf_adds(out, "\" data-quiz=\"");
	buf_adds_html(out, q->id);
	buf_adds(out, "\">\n");
	for (i = 0; i < q->n_questions; i++) {
		const struct quiz_question *qq = &q->questions[i];
		const char *sep = "";

		buf_adds(out, "<fieldset class=\"quiz-question\" id=\"");
		buf_adds_html(out, qq->id);
		buf_adds(out, "\" data-correct=\"");
		for (j = 0; j < qq->n_choices; j++) {
			if (qq->choices[j].correct) {
				buf_addf(out, "%s%zu", sep, j);
				sep = " ";
			}
		}
		buf_addf(out,
			 "\">\n<legend><span class=\"quiz-number\">%zu."
			 "</span> %s",
			 i + 1, qq->html);
		add_hint(out, t, qq->multi);
		buf_adds(out, "</legend>\n<ul class=\"quiz-choices\">\n");
		for (j = 0; j < qq->n_choices; j++) {
			buf_addf(out,
				 "<li><label class=\"quiz-choice\"><input "
				 "type=\"%s\" name=\"",
				 qq->multi ? "checkbox" : "radio");
			buf_adds_html(out, qq->id);
			buf_addf(out,
				 "\" value=\"%zu\"> <span class=\"quiz-"
				 "choice-text\">%s</span></label></li>\n",
				 j, qq->choices[j].html);
		}
		buf_adds(out, "</ul>\n<div class=\"quiz-feedback\" id=\"");
		buf_adds_html(out, qq->id);
		buf_adds(out,
			 "-feedback\" role=\"status\" aria-live=\"polite\">"
			 "</div>\n");
		site_answer(qq, t, out);
		buf_adds(out, "</fieldset>\n");
	}
	buf_adds(out, "<div class=\"quiz-actions\"><button type=\"submit\" "
		      "class=\"quiz-check\" hidden>");
	add_text(out, t, "check_answers");
	buf_adds(out, "</button> <button type=\"button\" class=\"quiz-retry\" "
		      "hidden>");
	add_text(out, t, "retry_missed");
	buf_adds(out, "</button></div>\n<div class=\"quiz-score\" id=\"");
	buf_adds_html(out, q->id);
	buf_adds(out, "-score\" role=\"status\" aria-live=\"polite\"></div>\n"
		      "</form>\n");
}

/* Appends `s` escaped for an XML attribute, as libxml2 writes it. */
static void add_attr(struct buf *out, const char *s)
{
	markdown_xhtml_escape(out, s ? s : "", s ? strlen(s) : 0, 1);
}

static void add_href(struct buf *out, const char *page, const char *id,
		     const char *suffix)
{
	add_attr(out, page ? page : "");
	buf_addch(out, '#');
	add_attr(out, id);
	buf_adds(out, suffix);
}

static void epub_answer(const struct quiz_question *qq, size_t num,
			const char *chapter_href, int xhtml,
			const struct i18n *t, struct buf *out)
{
	const char *text = xhtml ? qq->xhtml : qq->html;
	const char *expl = xhtml ? qq->explanation_xhtml : qq->explanation_html;
	size_t i;

	buf_adds(out, "<aside epub:type=\"footnote\" role=\"doc-footnote\" "
		      "id=\"");
	add_attr(out, qq->id);
	buf_addf(out,
		 "\">\n<p class=\"quiz-key-question\"><span class=\""
		 "quiz-number\">%zu.</span> %s</p>\n",
		 num, text);
	if (count_correct(qq) == 1) {
		for (i = 0; i < qq->n_choices; i++) {
			if (!qq->choices[i].correct)
				continue;
			buf_adds(out, "<p class=\"quiz-key\"><span class=\""
				      "quiz-key-label\">");
			add_text(out, t, "answer_label");
			buf_adds(out, "</span> ");
			add_letter(out, i);
			buf_addf(out, ". %s</p>\n", CHOICE(qq, i, xhtml));
		}
	} else {
		buf_adds(out, "<p class=\"quiz-key\"><span class=\"quiz-key-"
			      "label\">");
		add_text(out, t, "answers_label");
		buf_adds(out, "</span></p>\n<ul class=\"quiz-key-list\">\n");
		for (i = 0; i < qq->n_choices; i++) {
			if (!qq->choices[i].correct)
				continue;
			buf_adds(out, "<li>");
			add_letter(out, i);
			buf_addf(out, ". %s</li>\n", CHOICE(qq, i, xhtml));
		}
		buf_adds(out, "</ul>\n");
	}
	if (expl && *expl)
		buf_addf(out, "<p class=\"quiz-explanation\">%s</p>\n", expl);
	buf_adds(out, "<p class=\"quiz-backlink\"><a href=\"");
	add_href(out, chapter_href, qq->id, "-ref");
	buf_adds(out, "\" role=\"doc-backlink\">");
	add_text(out, t, "back_to_question");
	buf_adds(out, "</a></p>\n</aside>\n");
}

void render_quiz_epub(const struct quiz *q, const char *chapter_href,
		      const char *answers_href, int xhtml, const struct i18n *t,
		      struct buf *out, struct buf *answers)
{
	size_t i, j;

	buf_adds(out, "<div class=\"quiz\" id=\"");
	add_attr(out, q->id);
	buf_adds(out, "\">\n");
	for (i = 0; i < q->n_questions; i++) {
		const struct quiz_question *qq = &q->questions[i];

		buf_addf(out,
			 "<div class=\"quiz-question\">\n<p class=\"quiz-"
			 "prompt\"><span class=\"quiz-number\">%zu.</span> "
			 "%s",
			 i + 1, xhtml ? qq->xhtml : qq->html);
		add_hint(out, t, qq->multi);
		buf_adds(out, "</p>\n<ol class=\"quiz-choices\" type=\"a\">\n");
		for (j = 0; j < qq->n_choices; j++)
			buf_addf(out, "<li>%s</li>\n", CHOICE(qq, j, xhtml));
		buf_adds(out,
			 "</ol>\n<p class=\"quiz-answer-link\"><a epub:type"
			 "=\"noteref\" role=\"doc-noteref\" href=\"");
		add_href(out, answers_href, qq->id, "");
		buf_adds(out, "\" id=\"");
		add_attr(out, qq->id);
		buf_adds(out, "-ref\">");
		add_text(out, t, "answer_link");
		buf_adds(out, "</a></p>\n</div>\n");
		epub_answer(qq, i + 1, chapter_href, xhtml, t, answers);
	}
	buf_adds(out, "</div>\n");
}
