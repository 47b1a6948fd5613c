/* xform_quiz: the ```quiz blocks of a chapter, parsed and checked (their
 * markup for the website and the EPUB is render_quiz's).
 *
 * Authoring syntax (the content of a fenced code block whose info string
 * is `quiz`):
 *
 *     ? Question text (inline Markdown)
 *     - [ ] a wrong choice            (also `* [ ]`, `+ [ ]`)
 *     - [x] a right choice            (also `[X]`)
 *     > explanation, optional; several `>` lines join into one paragraph,
 *     > and an empty `>` line makes a line break
 *
 * Blank lines are ignored; each `?` starts a new question. One correct
 * choice makes a single-answer question (radio buttons), two or more make
 * a pick-all question (checkboxes). Leading spaces on a line are allowed.
 *
 * Text is rendered as inline Markdown with cmark-gfm (smart punctuation,
 * strikethrough, autolinks): block syntax (`# `, `1. `, ...) stays literal
 * text, raw HTML comes out escaped, unsafe link schemes are dropped. The
 * HTML produced is both valid HTML5 and well-formed XML, so the same
 * strings serve the website and the EPUB. Invalid UTF-8 and control
 * characters become U+FFFD. A link or image in quiz text whose URL is
 * local (a file, a chapter, an #id) is checked and rewritten as links in
 * prose are: its URL is listed in quiz.links, with where it is written,
 * and the HTML holds a placeholder in its place (see QUIZ_LINK_OPEN),
 * which the renderer replaces with the chapter link the cross-link pass
 * made of it.
 *
 * Parsing registers cmark-gfm's core extensions on first use
 * (cmark_gfm_core_extensions_ensure_registered(), which is not
 * thread-safe): a program that parses quizzes from several threads calls
 * it once before starting them.
 *
 * Ownership: every `char *` in these structs belongs to the struct, which
 * is released with quiz_release() (or quiz_list_release() for a list). */
#ifndef STEPBOOK_XFORM_QUIZ_H
#define STEPBOOK_XFORM_QUIZ_H

#include <stddef.h>

#include <cmark-gfm.h>

struct buf;
struct diag;

struct quiz_choice {
	char *html;        /* inline HTML of the choice text */
	int correct;       /* 1 when marked [x] */
};

struct quiz_question {
	char *id;          /* "<quiz id>-q<n>", n 1-based */
	char *html;        /* inline HTML of the question text */
	struct quiz_choice *choices;
	size_t n_choices;  /* always >= 2 in a quiz that parsed */
	int multi;         /* 1 when two or more choices are correct */
	char *explanation_html; /* inline HTML, or NULL when there is none
				 * (no `>` line, or only empty ones) */
	int line;          /* file line of the `?` */
};

/* A local link or image in quiz text. */
struct quiz_link {
	char *url;         /* as written (entities decoded) */
	int image;         /* an image, not a link */
	int line, col;     /* where it starts in the file */
	size_t index;      /* the chapter's link made of it (chapter.links),
			    * or (size_t)-1 when none was */
};

/* The placeholder of quiz link k in the HTML: QUIZ_LINK_OPEN, k in
 * decimal, QUIZ_LINK_CLOSE (private-use U+E006 and U+E007, as the URL is
 * written: percent-encoded). */
#define QUIZ_LINK_OPEN_RAW "\xEE\x80\x86"
#define QUIZ_LINK_CLOSE_RAW "\xEE\x80\x87"
#define QUIZ_LINK_OPEN "%EE%80%86"
#define QUIZ_LINK_CLOSE "%EE%80%87"

struct quiz {
	char *id;          /* "<chapter slug>-quiz-<n>", n 1-based */
	struct quiz_question *questions;
	size_t n_questions; /* always >= 1 in a quiz that parsed */
	int line;          /* file line of the opening fence */
	struct quiz_link *links; /* in the order written */
	size_t n_links;
};

/* The quizzes of one chapter, in document order. Starts zeroed
 * (`struct quiz_list l = { 0 };`). */
struct quiz_list {
	struct quiz *v;
	size_t n, cap;
};

/* Frees everything `q` holds and zeroes it. Safe on a zeroed quiz. */
void quiz_release(struct quiz *q);
/* Releases every quiz in `l`, the array, and zeroes `l`. */
void quiz_list_release(struct quiz_list *l);

/* Parses the content of one quiz block: `text` (len bytes, not
 * necessarily NUL-terminated) is the code block's literal, without the
 * fences. `file` names the source in diagnostics (may be NULL); `line` is
 * the file line of the first content line and `col` the file column
 * (1-based, in characters) where the block's content starts, so that an
 * error inside it is reported at its exact place. An empty block is
 * reported on the opening fence, at line - 1 and `col`. `id` is the quiz
 * id; questions get "<id>-q<n>".
 *
 * Returns 0 and fills `q` (the caller's, to free with quiz_release()), or
 * -1 after recording every error of the block in `d`; `q` is then left
 * zeroed and holds nothing. `q->line` is set to line - 1. */
int xform_quiz_parse(const char *text, size_t len, const char *file,
		     int line, int col, const char *id, struct quiz *q,
		     struct diag *d);

/* Finds each fenced code block of `doc` whose info string is `quiz` (or
 * starts with the word `quiz`), parses it, appends the quiz to `out` and
 * replaces the code block with a CMARK_NODE_CUSTOM_BLOCK whose user_data is
 * XFORM_TAG(XFORM_QUIZ, i), i being the quiz's index in out->v. The new
 * node has no on_enter/on_exit markup yet: the renderer sets it (see
 * render_quiz.h).
 *
 * `line_offset` is the number of file lines before the Markdown body (the
 * front matter), added to cmark's lines for diagnostics. Quiz ids are
 * "<chapter_slug>-quiz-<n>", n counting every quiz block of the chapter
 * from 1, so an id does not depend on whether an earlier block parsed.
 *
 * Returns 0, or -1 when any error was recorded in `d`; it goes on through
 * every block so all are reported. A block that fails is left in the tree
 * unchanged and is not added to `out`. What was appended to `out` is the
 * caller's either way (quiz_list_release()). */
int xform_quiz_run(cmark_node *doc, const char *file, int line_offset,
		   const char *chapter_slug, struct quiz_list *out,
		   struct diag *d);

#endif
