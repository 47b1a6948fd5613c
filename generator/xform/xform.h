/* xform: what the AST passes (xform_*.c) leave in cmark's tree.
 *
 * A pass that needs output-specific markup replaces or wraps nodes with
 * CMARK_NODE_CUSTOM_BLOCK / CMARK_NODE_CUSTOM_INLINE nodes and tags them
 * through cmark's user_data with XFORM_TAG(kind, index): `index` points
 * into the chapter's list of that kind (quizzes, tasks, headings, ...).
 * Before rendering for one output, the renderer reads each tag and sets
 * the node's on_enter / on_exit markup for that output. */
#ifndef STEPBOOK_XFORM_H
#define STEPBOOK_XFORM_H

#include <stddef.h>
#include <stdint.h>

enum xform_kind {
	XFORM_NONE = 0,
	XFORM_QUIZ,    /* custom block replacing a ```quiz block */
	XFORM_TASK,    /* custom inline wrapping a task item's text */
	XFORM_HEADING, /* custom block replacing a heading */
	XFORM_CALLOUT, /* custom block replacing a > [!NOTE] quote */
	XFORM_RAW,     /* custom node carrying fixed markup */
	XFORM_CODE     /* custom block of fixed markup replacing a code
			* block, index: the block in chapter.detached */
};

/* The low bits of a tag hold the kind, the others the index. */
#define XFORM_KIND_BITS 4
#define XFORM_KIND_MASK (((uintptr_t)1 << XFORM_KIND_BITS) - 1)

#define XFORM_TAG(kind, index)                                           \
	((void *)(uintptr_t)((((uintptr_t)(index)) << XFORM_KIND_BITS) | \
			     (uintptr_t)(kind)))
#define XFORM_KIND(tag) ((enum xform_kind)((uintptr_t)(tag)&XFORM_KIND_MASK))
#define XFORM_INDEX(tag) ((size_t)((uintptr_t)(tag) >> XFORM_KIND_BITS))

#endif
