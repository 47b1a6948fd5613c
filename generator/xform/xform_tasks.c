#include "xform_tasks.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"
#include "site.h"
#include "slug.h"
#include "strset.h"
#include "xalloc.h"
#include "xform.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

static int xform_tasks_is_task(cmark_node *node)
{
	const char *type;

	if (cmark_node_get_type(node) != CMARK_NODE_ITEM)
		return 0;
	type = cmark_node_get_type_string(node);
	return type && !strcmp(type, "tasklist");
}

int xform_tasks_run(struct chapter *c, struct diag *d)
{
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;
	cmark_node **found = NULL;
	size_t *under = NULL, n = 0, cap = 0, ucap = 0, i;
	size_t heading = SITE_NONE;
	/* the ids taken, and for each id's base the last suffix tried (the
	 * ones below are taken, so the search resumes there) */
	struct strset ids = STRSET_INIT, last = STRSET_INIT;

	(void)d;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		void *tag = cmark_node_get_user_data(node);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(node) == CMARK_NODE_CUSTOM_BLOCK &&
		    XFORM_KIND(tag) == XFORM_HEADING)
			heading = XFORM_INDEX(tag);
		if (xform_tasks_is_task(node)) {
			found = xgrow(found, sizeof(*found), n + 1, &cap);
			under = xgrow(under, sizeof(*under), n + 1, &ucap);
			under[n] = heading;
			found[n++] = node;
		}
	}
	cmark_iter_free(it);

	for (i = 0; i < n; i++) {
		cmark_node *item = found[i], *para, *wrap, *child;
		struct task *t;
		struct buf text = BUF_INIT, id = BUF_INIT, html = BUF_INIT;
		size_t base, k = 1;

		para = cmark_node_first_child(item);
		if (!para ||
		    cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) {
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_prepend_child(item, para);
		}
		markdown_plain_text(para, &text);
		buf_adds(&id, c->slug);
		buf_addch(&id, '-');
		slug_add(&id, text.ptr, XFORM_TASKS_ID_MAX);
		while (id.len && id.ptr[id.len - 1] == '-')
			buf_truncate(&id, id.len - 1);
		base = id.len;
		if (strset_has(&ids, id.ptr)) {
			char *stem = xstrdup(id.ptr);
			strset_get(&last, stem, &k);
			do {
				buf_truncate(&id, base);
				buf_addf(&id, "-%zu", ++k);
			} while (strset_has(&ids, id.ptr));
			strset_put(&last, stem, k);
			free(stem);
		}
		strset_add(&ids, id.ptr, c->n_tasks);
		buf_add_html(&html, text.ptr, text.len);

		c->tasks = xgrow(c->tasks, sizeof(*c->tasks), c->n_tasks + 1,
				 &c->cap_tasks);
		t = &c->tasks[c->n_tasks];
		t->id = buf_detach(&id, NULL);
		t->text = buf_detach(&text, NULL);
		t->html = buf_detach(&html, NULL);
		t->heading = under[i];
		t->checked = cmark_gfm_extensions_get_tasklist_item_checked(
			item);
		t->line = cmark_node_get_start_line(item) + c->fm.body_line;

		wrap = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
		while ((child = cmark_node_first_child(para))) {
			cmark_node_unlink(child);
			cmark_node_append_child(wrap, child);
		}
		cmark_node_append_child(para, wrap);
		cmark_node_set_user_data(wrap,
					 XFORM_TAG(XFORM_TASK, c->n_tasks));
		cmark_node_set_syntax_extension(item, NULL);
		c->n_tasks++;
	}
	free(found);
	free(under);
	strset_release(&ids);
	strset_release(&last);
	return 0;
}
