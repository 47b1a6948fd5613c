/* ts_match: what a highlights query captures in a syntax tree, found in
 * one walk over the runtime's subtrees.
 *
 * tree-sitter's query cursor (TSQueryCursor) pays at every node it
 * visits, whatever the patterns: it asks the node's field and siblings
 * through its tree cursor and moves every state in progress. Highlighting
 * spent a third of its time there. The patterns of highlights queries
 * have a few shapes: a node, or alternatives of nodes (`["if" "else"]`),
 * with named children, fields, wildcards, `.` anchors, and predicates
 * on one capture each. For those, this matcher lists the children of
 * each node once and tests each pattern rooted at the node's symbol.
 *
 * It reports each capture that some match of its pattern makes: the
 * set of (pattern, capture, node) that the cursor's matches hold, not
 * the matches one by one. That is what highlighting needs, where the
 * order of the spans comes from the nodes and the pattern numbers.
 * ts_match_plan_new() declines a query with another shape (quantifiers,
 * nested alternatives, top-level sequences, negated fields, supertypes,
 * a `.` after the last child, predicates across two captures): the
 * cursor then does the work.
 *
 * ts_match.c is part of the runtime's unit (ts_runtime.c): it reads the
 * runtime's private structures. */
#ifndef STEPBOOK_TS_MATCH_H
#define STEPBOOK_TS_MATCH_H

#include <stdint.h>
#include <tree_sitter/api.h>

struct ts_match_plan;
struct ts_matcher;

struct ts_match_hooks {
	void *ctx;
	/* Whether the predicates of pattern `pattern` hold for the node
	 * [start, end) captured as caps[0..n): asked only of nodes with a
	 * capture that one of them tests. */
	int (*holds)(void *ctx, uint32_t pattern, const uint16_t *caps,
		     unsigned n, uint32_t start, uint32_t end);
	/* A capture that a match of pattern `pattern` makes. */
	void (*capture)(void *ctx, uint32_t pattern, uint16_t capture,
			uint32_t start, uint32_t end);
};

/* The plan that matches the patterns `q` has enabled, or NULL when one
 * of them has a shape the matcher does not take. */
struct ts_match_plan *ts_match_plan_new(const TSQuery *q);
void ts_match_plan_free(struct ts_match_plan *plan);

/* A matcher's memory, kept from one tree to the next. */
struct ts_matcher *ts_matcher_new(void);
void ts_matcher_free(struct ts_matcher *m);

/* Reports what `plan`'s patterns capture in `tree` through `hooks`.
 * Returns -1, reporting nothing, when the tree is of another language
 * than the plan's query. */
int ts_matcher_run(struct ts_matcher *m, const struct ts_match_plan *plan,
		   const TSTree *tree, const struct ts_match_hooks *hooks);

#endif
