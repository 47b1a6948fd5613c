/* highlight_pred: the text predicates of a highlights query, which the
 * tree-sitter runtime parses but leaves to its caller to test: #eq?,
 * #match?, #any-of? and their #not- forms. Predicates that need what
 * stepbook does not track (#is-not? local) are taken as true. */
#ifndef STEPBOOK_HIGHLIGHT_PRED_H
#define STEPBOOK_HIGHLIGHT_PRED_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>

enum highlight_pred_op { HIGHLIGHT_EQ, HIGHLIGHT_MATCH, HIGHLIGHT_ANY_OF };

struct highlight_pred {
	enum highlight_pred_op op;
	int negate;
	uint32_t capture;
	int64_t other;        /* HIGHLIGHT_EQ with a capture: its id, else -1 */
	const char **strings; /* borrowed from the query */
	uint32_t *lens;
	size_t n_strings;
	regex_t re; /* HIGHLIGHT_MATCH */
	/* HIGHLIGHT_MATCH: a bit for each byte a text that matches can
	 * start with; an expression like "^[A-Z]" sets few, and a text
	 * starting with another byte is not given to regexec() */
	unsigned char first[32];
};

/* Reads the predicates of pattern `p` of `q` into *preds (a malloc()ed
 * array of *n, NULL when there are none; borrowing q's strings). Returns
 * -1 on one it cannot test as written (a regular expression POSIX cannot
 * read): the pattern is then not to be used. */
int highlight_preds_read(const TSQuery *q, uint32_t p,
			 struct highlight_pred **preds, size_t *n);

/* A capture of a match: its id in the query, and its node's bytes. */
struct highlight_capture {
	uint32_t id, start, end;
};

/* Whether the `n` predicates `preds` hold for the match that makes the
 * captures caps[0..n_caps) in `code`. A predicate on a capture the
 * match does not make holds. */
int highlight_preds_hold(const struct highlight_pred *preds, size_t n,
			 const struct highlight_capture *caps, size_t n_caps,
			 const char *code);

#endif
