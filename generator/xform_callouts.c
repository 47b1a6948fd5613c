#include "xform_callouts.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "site.h"
#include "xalloc.h"
#include "xform.h"

/* The kinds of GitHub's alerts, as stored in struct callout (their
 * labels and icons are render_markup's). */
static const char *const xform_callouts_kinds[] = {
	"note", "tip", "important", "warning", "caution",
};

/* The kind named by the `len` bytes at `name` (any case), or NULL. */
static const char *xform_callouts_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0;
	     i < sizeof(xform_callouts_kinds) / sizeof(*xform_callouts_kinds);
	     i++)
		if (strlen(xform_callouts_kinds[i]) == len &&
		    !strncasecmp(xform_callouts_kinds[i], name, len))
			return xform_callouts_kinds[i];
	return NULL;
}

/* If `quote` opens with an alert marker, returns its kind and removes the
 * marker (and the line break after it). */
static const char *xform_callouts_marker(cmark_node *quote)
{
	cmark_node *para = cmark_node_first_child(quote), *text, *next;
	const char *k;
	const char *lit;
	size_t len;

	if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return NULL;
	text = cmark_node_first_child(para);
	if (!text || cmark_node_get_type(text) != CMARK_NODE_TEXT)
		return NULL;
	lit = cmark_node_get_literal(text);
	len = strlen(lit);
	while (len && lit[len - 1] == ' ')
		len--;
	if (len < 4 || lit[0] != '[' || lit[1] != '!' || lit[len - 1] != ']')
		return NULL;
	next = cmark_node_next(text);
	if (next && cmark_node_get_type(next) != CMARK_NODE_SOFTBREAK &&
	    cmark_node_get_type(next) != CMARK_NODE_LINEBREAK)
		return NULL;
	k = xform_callouts_find(lit + 2, len - 3);
	if (!k)
		return NULL;
	cmark_node_free(text);
	if (next)
		cmark_node_free(next);
	if (!cmark_node_first_child(para))
		cmark_node_free(para);
	return k;
}

int xform_callouts_run(struct chapter *c, struct diag *d)
{
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;
	cmark_node **found = NULL;
	size_t n = 0, cap = 0, i;

	(void)d;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE) {
			found = xgrow(found, sizeof(*found), n + 1, &cap);
			found[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		cmark_node *q = found[i], *cb, *child;
		const char *k = xform_callouts_marker(q);
		if (!k)
			continue;
		cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		while ((child = cmark_node_first_child(q))) {
			cmark_node_unlink(child);
			cmark_node_append_child(cb, child);
		}
		c->callouts = xgrow(c->callouts, sizeof(*c->callouts),
				    c->n_callouts + 1, &c->cap_callouts);
		c->callouts[c->n_callouts].kind = xstrdup(k);
		cmark_node_set_user_data(cb, XFORM_TAG(XFORM_CALLOUT,
						       c->n_callouts));
		c->n_callouts++;
		cmark_node_replace(q, cb);
		chapter_detach(c, q);
	}
	free(found);
	return 0;
}
