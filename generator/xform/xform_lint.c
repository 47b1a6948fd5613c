#include "xform_lint.h"

#include <cmark-gfm.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "site.h"
#include "slug.h"

/* A place in c->source that only moves forward: the blocks are met in
 * the order of their lines, so finding each one's line costs linear time
 * over the chapter. */
struct lint_cursor {
	size_t off; /* start of line `line` */
	int line;
};

/* Moves `cur` to the start of file line `line` (or the end of the
 * source) unless it is past it already; returns its offset. */
static size_t lint_seek(const struct chapter *c, struct lint_cursor *cur,
			int line)
{
	while (cur->off < c->source.len && cur->line < line) {
		if (c->source.ptr[cur->off] == '\n')
			cur->line++;
		cur->off++;
	}
	return cur->off;
}

/* Records warning `msg` at byte `off` of the source, with its line. */
static void lint_warn_at(const struct chapter *c, size_t off, const char *msg,
			 struct diag *d)
{
	int line, col;

	diag_position(c->source.ptr, off, &line, &col);
	diag_warning(d, c->path, line, col, "%s", msg);
	diag_attach_source(d, c->source.ptr, c->source.len, line);
}

/* Warns of each `[^label]` left as text in `lit`: a footnote reference
 * whose definition is missing (cmark-gfm keeps it literally). `*from`
 * is where in the source to look for it, moved past each one found. */
static void lint_footnotes(const struct chapter *c, const char *lit,
			   size_t *from, struct diag *d)
{
	const char *p = lit;

	while ((p = strstr(p, "[^"))) {
		const char *q = p + 2;
		const char *at;
		struct buf msg = BUF_INIT, ref = BUF_INIT;

		while (*q && *q != ']' && *q != ' ' && *q != '\t' && *q != '[')
			q++;
		if (*q != ']' || q == p + 2) {
			p += 2;
			continue;
		}
		buf_add(&ref, p, (size_t)(q - p + 1));
		at = strstr(c->source.ptr + *from, ref.ptr);
		buf_addf(&msg,
			 "footnote '%s' is not defined: add a line "
			 "'%s: ...' (it is printed as it is)",
			 ref.ptr, ref.ptr);
		if (at) {
			*from = (size_t)(at - c->source.ptr) + ref.len;
			lint_warn_at(c, (size_t)(at - c->source.ptr), msg.ptr,
				     d);
		}
		buf_release(&msg);
		buf_release(&ref);
		p = q + 1;
	}
}

/* Warns of an image with no alt text; `*from` as for lint_footnotes(). */
static void lint_image(const struct chapter *c, cmark_node *img, size_t *from,
		       struct diag *d)
{
	struct buf alt = BUF_INIT;
	size_t i, at = SITE_NONE;

	markdown_plain_text(img, &alt);
	for (i = 0; i < alt.len; i++)
		if (alt.ptr[i] != ' ' && alt.ptr[i] != '\t')
			break;
	if (i < alt.len) {
		buf_release(&alt);
		return;
	}
	buf_release(&alt);
	/* the next "![" with nothing but blanks before its "]" */
	for (i = *from; i + 1 < c->source.len; i++) {
		size_t j = i + 2;
		if (c->source.ptr[i] != '!' || c->source.ptr[i + 1] != '[')
			continue;
		while (j < c->source.len &&
		       (c->source.ptr[j] == ' ' || c->source.ptr[j] == '\t'))
			j++;
		if (j < c->source.len && c->source.ptr[j] == ']') {
			at = i;
			break;
		}
	}
	if (at == SITE_NONE)
		return;
	*from = at + 2;
	lint_warn_at(c, at,
		     "image without alt text: describe it between "
		     "'![' and ']' for readers who cannot see it",
		     d);
}

/* Warns of a fenced code block whose info string is a near miss of
 * "quiz" (```Quiz, ```quizz): it stays a code block. */
static void lint_fence(const struct chapter *c, cmark_node *node,
		       struct diag *d)
{
	static const char *const quiz[] = { "quiz" };
	const char *info = cmark_node_get_fence_info(node);
	struct buf word = BUF_INIT;
	int length, offset, line;
	char ch;
	size_t i;

	if (!cmark_node_get_fenced(node, &length, &offset, &ch) || !info)
		return;
	for (i = 0; info[i] && info[i] != ' ' && info[i] != '\t'; i++)
		buf_addch(&word, (char)(info[i] >= 'A' && info[i] <= 'Z'
						? info[i] | 0x20
						: info[i]));
	if ((i != 4 || strncmp(info, "quiz", 4)) &&
	    (!strcmp(word.ptr, "quiz") ||
	     slug_closest_key(word.ptr, quiz, 1))) {
		line = cmark_node_get_start_line(node) + c->fm.body_line;
		diag_warning(d, c->path, line,
			     cmark_node_get_start_column(node),
			     "code block '%.*s' is not a quiz: a quiz opens "
			     "with ```quiz, in lowercase",
			     (int)i, info);
		diag_attach_source(d, c->source.ptr, c->source.len, line);
	}
	buf_release(&word);
}

void xform_lint_run(struct chapter *c, struct diag *d)
{
	cmark_iter *it;
	cmark_event_type ev;
	size_t i, from_fn, from_img;
	struct lint_cursor cur = { 0, 1 };
	int prev = 1;

	if (!cmark_node_first_child(c->doc)) {
		int line = c->fm.body_line > 0 ? c->fm.body_line : 1;
		diag_warning(d, c->path, line, 1,
			     "empty chapter: nothing "
			     "after the front matter");
		diag_attach_source(d, c->source.ptr, c->source.len, line);
		return;
	}
	from_fn = from_img = c->fm.body_offset;
	it = cmark_iter_new(c->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_PARAGRAPH) {
			size_t at = lint_seek(c, &cur,
					      cmark_node_get_start_line(node) +
						      c->fm.body_line);
			if (at > from_fn)
				from_fn = at;
			if (at > from_img)
				from_img = at;
		} else if (type == CMARK_NODE_TEXT) {
			lint_footnotes(c, cmark_node_get_literal(node),
				       &from_fn, d);
		} else if (type == CMARK_NODE_IMAGE) {
			lint_image(c, node, &from_img, d);
		} else if (type == CMARK_NODE_CODE_BLOCK) {
			lint_fence(c, node, d);
		}
	}
	cmark_iter_free(it);
	cur.off = 0;
	cur.line = 1;
	for (i = 0; i < c->n_headings; i++) {
		const struct heading *h = &c->headings[i];
		if (h->level > prev + 1) {
			/* at its first '#' (an ATX heading may sit in a list
			 * item or a quote), else at the line's start */
			size_t at = lint_seek(c, &cur, h->line), k = at;
			int col = 1;
			while (k < c->source.len && c->source.ptr[k] != '\n' &&
			       c->source.ptr[k] != '#')
				k++;
			if (k < c->source.len && c->source.ptr[k] == '#') {
				int l;
				diag_position(c->source.ptr + at, k - at, &l,
					      &col);
			}
			diag_warning(d, c->path, h->line, col,
				     "heading level %d after level %d skips "
				     "%s: use level %d%s",
				     h->level, prev,
				     h->level - prev > 2 ? "levels" : "a level",
				     prev + 1,
				     prev == 1 ? " (the title is "
						 "level 1)"
					       : "");
			diag_attach_source(d, c->source.ptr, c->source.len,
					   h->line);
		}
		prev = h->level;
	}
}
