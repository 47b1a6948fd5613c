/* render_quiz: the markup of a quiz (see xform_quiz.h) in each output.
 *
 * The question, choice and explanation texts are the quiz's inline HTML,
 * with its link placeholders (QUIZ_LINK_OPEN...) as they are: the caller
 * replaces them (see render.c). */
#ifndef STEPBOOK_RENDER_QUIZ_H
#define STEPBOOK_RENDER_QUIZ_H

struct buf;
struct i18n;
struct quiz;

/* Appends the website markup of `q` to `out`: a <form class="quiz"> that
 * works without script (choices to pick, a <details> per question with the
 * answer) and that themes/default/assets/quiz.js enhances (checking,
 * score, retry, saved results). The "Check answers" button is rendered
 * `hidden` and shown by the script, since without script it could do
 * nothing useful. Its labels are the strings of `t`. Valid HTML5 flow
 * content. Cannot fail. */
void render_quiz_site(const struct quiz *q, const struct i18n *t,
		      struct buf *out);

/* Appends the EPUB markup of `q` to `out` and its answer notes to
 * `answers`. Both are XHTML fragments (well-formed XML, no named entities
 * but the XML ones, no forms, no script) that use the epub: prefix, so the
 * pages they go into must declare xmlns:epub on their root.
 *
 * Each question links to "<answers_href>#<question id>"; each note in
 * `answers` is an <aside epub:type="footnote"> with that id and links back
 * to "<chapter_href>#<question id>-ref". Either href may be "" when the
 * notes go into the same page as the questions. The hrefs are written as
 * given (escaped for XML, not percent-encoded). The texts of the quiz
 * are its XHTML (markdown_xhtml.h, for the EPUB's own path) when `xhtml`,
 * else its HTML (which libxml2 reads for a book with unsafe_html). Its
 * labels are the strings of `t`. Cannot fail. */
void render_quiz_epub(const struct quiz *q, const char *chapter_href,
		      const char *answers_href, int xhtml, const struct i18n *t,
		      struct buf *out, struct buf *answers);

#endif
