/* quiz: the quizzes of a chapter, as the model holds them (see
 * xform_quiz.h for the syntax they are parsed from and the markup they
 * are rendered as).
 *
 * Ownership: every `char *` in these structs belongs to the struct, which
 * is released with quiz_release() (or quiz_list_release() for a list). */
#ifndef STEPBOOK_QUIZ_H
#define STEPBOOK_QUIZ_H

#include <stddef.h>

struct quiz_choice {
	char *html;  /* inline HTML of the choice text */
	char *xhtml; /* ... and its XHTML for the EPUB (markdown_xhtml.h) */
	int correct; /* 1 when marked [x] */
};

struct quiz_question {
	char *id;    /* "<quiz id>-q<n>", n 1-based */
	char *html;  /* inline HTML of the question text */
	char *xhtml; /* ... and its XHTML for the EPUB (markdown_xhtml.h) */
	struct quiz_choice *choices;
	size_t n_choices;        /* always >= 2 in a quiz that parsed */
	int multi;               /* 1 when two or more choices are correct */
	char *explanation_html;  /* inline HTML, or NULL when there is none
				 * (no `>` line, or only empty ones) */
	char *explanation_xhtml; /* ... and its XHTML, or NULL with it */
	int line;                /* file line of the `?` */
};

/* A local link or image in quiz text. */
struct quiz_link {
	char *url;     /* as written (entities decoded) */
	int image;     /* an image, not a link */
	int line, col; /* where it starts in the file */
	size_t index;  /* the chapter's link made of it (chapter.links),
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
	char *id; /* "<chapter slug>-quiz-<n>", n 1-based */
	struct quiz_question *questions;
	size_t n_questions;      /* always >= 1 in a quiz that parsed */
	int line;                /* file line of the opening fence */
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

#endif
