#include "render.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "site.h"
#include "xform.h"
#include "xform_callouts.h"
#include "xform_links.h"
#include "xform_quiz.h"
#include "xform_tasks.h"

/* cmark-gfm writes the footnotes as a <section> without a heading; give
 * it one, so that the section is labelled for readers and screen readers.
 * `level` is 2, or 3 on the print page, where chapter titles are h2. */
static void render_footnotes_title(struct buf *out, size_t from, int level)
{
	static const char open[] = "<section class=\"footnotes\" data-footnotes>\n";
	char title[] = "<h2 class=\"footnotes-title\">Notes</h2>\n";
	char *at = strstr(out->ptr + from, open);
	size_t pos, tail;

	if (!at)
		return;
	title[2] = title[sizeof(title) - 4] = (char)('0' + level);
	pos = (size_t)(at - out->ptr) + sizeof(open) - 1;
	tail = out->len - pos;
	buf_grow(out, sizeof(title) - 1);
	memmove(out->ptr + pos + sizeof(title) - 1, out->ptr + pos, tail + 1);
	memcpy(out->ptr + pos, title, sizeof(title) - 1);
	out->len += sizeof(title) - 1;
}

/* For the print page: prefixes the ids cmark-gfm gives footnotes and
 * their references ("fn-1", "fnref-1") in out->ptr[from..] with `prefix`,
 * so that they stay unique in a document holding every chapter. */
static void render_prefix_footnotes(struct buf *out, size_t from,
				    const char *prefix)
{
	static const char *const marks[][2] = {
		{ "<sup class=\"footnote-ref\"><a href=\"#", "fn-" },
		{ "\" id=\"", "fnref-" },
		{ "<li id=\"", "fn-" },
		{ "<a href=\"#", "fnref-" },
	};
	struct buf b = BUF_INIT;
	const char *p, *done, *end = out->ptr + out->len;
	size_t k;

	if (!strstr(out->ptr + from, "data-footnote"))
		return;
	buf_grow(&b, out->len + out->len / 16);
	buf_add(&b, out->ptr, from);
	for (p = done = out->ptr + from; (p = strpbrk(p, "<\"")); p++) {
		for (k = 0; k < sizeof(marks) / sizeof(*marks); k++) {
			size_t lead = strlen(marks[k][0]);
			size_t tail = strlen(marks[k][1]);
			if (*p == marks[k][0][0] && (size_t)(end - p) > lead + tail &&
			    !memcmp(p, marks[k][0], lead) &&
			    !memcmp(p + lead, marks[k][1], tail)) {
				buf_add(&b, done, (size_t)(p - done) + lead);
				buf_adds(&b, prefix);
				done = p + lead;
				p = done - 1;
				break;
			}
		}
	}
	buf_add(&b, done, (size_t)(end - done));
	buf_release(out);
	*out = b;
}

void render_chapter(const struct site *s, struct chapter *c,
		    enum render_target target, const char *answers_href,
		    struct buf *out, struct buf *answers)
{
	int xhtml = target == RENDER_EPUB;
	int print = target == RENDER_PRINT;
	size_t start;
	struct buf open = BUF_INIT, close = BUF_INIT;
	cmark_iter *it;
	cmark_event_type ev;
	size_t i;

	for (i = 0; i < c->n_links; i++) {
		buf_reset(&open);
		xform_links_href(s, &c->links[i],
				 xhtml ? XFORM_LINKS_EPUB
				       : print ? XFORM_LINKS_PRINT
					       : XFORM_LINKS_SITE,
				 &open);
		cmark_node_set_url(c->links[i].node, open.ptr);
	}
	it = cmark_iter_new(c->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		void *tag = cmark_node_get_user_data(node);
		cmark_node_type type = cmark_node_get_type(node);
		size_t idx = XFORM_INDEX(tag);

		if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_CUSTOM_BLOCK &&
						type != CMARK_NODE_CUSTOM_INLINE))
			continue;
		buf_reset(&open);
		buf_reset(&close);
		switch (XFORM_KIND(tag)) {
		case XFORM_HEADING: {
			const struct heading *h = &c->headings[idx];
			/* one level down on the print page, under the
			 * chapter titles */
			int level = print && h->level < 6 ? h->level + 1
							  : h->level;
			buf_addf(&open, "<h%d id=\"", level);
			if (print) {
				buf_adds_html(&open, c->slug);
				buf_adds(&open, "--");
			}
			buf_adds_html(&open, h->id);
			buf_adds(&open, "\">");
			buf_addf(&close, "</h%d>", level);
			/* the tags go on the inline inside the block (see
			 * xform_headings.c) */
			cmark_node_set_on_enter(cmark_node_first_child(node),
						open.ptr);
			cmark_node_set_on_exit(cmark_node_first_child(node),
					       close.ptr);
			buf_reset(&open);
			buf_reset(&close);
			break;
		}
		case XFORM_CALLOUT:
			xform_callouts_open(c->callouts[idx].kind, xhtml, &open);
			xform_callouts_close(&close);
			break;
		case XFORM_TASK:
			xform_tasks_open(&c->tasks[idx], xhtml, &open);
			xform_tasks_close(&c->tasks[idx], xhtml, &close);
			break;
		case XFORM_QUIZ:
			if (xhtml) {
				struct buf dummy = BUF_INIT;
				xform_quiz_render_epub(&c->quizzes.v[idx],
						       c->xhtml_name,
						       answers_href ? answers_href
								    : "",
						       &open,
						       answers ? answers : &dummy);
				buf_release(&dummy);
			} else {
				xform_quiz_render_site(&c->quizzes.v[idx], &open);
			}
			break;
		default:
			continue;
		}
		cmark_node_set_on_enter(node, open.ptr);
		cmark_node_set_on_exit(node, close.ptr);
	}
	cmark_iter_free(it);
	buf_release(&open);
	buf_release(&close);
	start = out->len;
	markdown_render(c->doc, s->cfg.unsafe_html, out);
	if (!xhtml)
		render_footnotes_title(out, start, print ? 3 : 2);
	if (print) {
		struct buf prefix = BUF_INIT;
		buf_add_html(&prefix, c->slug, strlen(c->slug));
		buf_adds(&prefix, "--");
		render_prefix_footnotes(out, start, prefix.ptr);
		buf_release(&prefix);
	}
}
