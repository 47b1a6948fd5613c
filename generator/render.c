#include "render.h"

#include <cmark-gfm.h>
#include <stdlib.h>

#include "buf.h"
#include "markdown.h"
#include "site.h"
#include "xform.h"
#include "xform_callouts.h"
#include "xform_links.h"
#include "xform_quiz.h"
#include "xform_tasks.h"

void render_chapter(const struct site *s, struct chapter *c,
		    enum render_target target, const char *answers_href,
		    struct buf *out, struct buf *answers)
{
	int xhtml = target == RENDER_EPUB;
	struct buf open = BUF_INIT, close = BUF_INIT;
	cmark_iter *it;
	cmark_event_type ev;
	size_t i;

	for (i = 0; i < c->n_links; i++) {
		buf_reset(&open);
		xform_links_href(s, &c->links[i], xhtml, &open);
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
			buf_addf(&open, "<h%d id=\"", h->level);
			buf_adds_html(&open, h->id);
			buf_adds(&open, "\">");
			buf_addf(&close, "</h%d>\n", h->level);
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
	markdown_render(c->doc, s->cfg.unsafe_html, out);
}
