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
 * The quizzes themselves are model types: see quiz.h. */
#ifndef STEPBOOK_XFORM_QUIZ_H
#define STEPBOOK_XFORM_QUIZ_H

#include <stddef.h>

#include <cmark-gfm.h>

#include "quiz.h"

struct buf;
struct diag;

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
int xform_quiz_parse(const char *text, size_t len, const char *file, int line,
		     int col, const char *id, struct quiz *q, struct diag *d);

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
