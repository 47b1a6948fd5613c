#include "xform_callouts.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "site.h"
#include "slug.h"
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

/* Warns of a first line that looks like an alert marker but is not one:
 * an unknown type (`[!DANGER]`) or text after the type (`[!TIP] Grinder
 * tip`), both of which leave an ordinary quote. `lit` is the first text
 * of `para`, which opens the quote. */
static void xform_callouts_lint(struct chapter *c, cmark_node *para,
				const char *lit, struct diag *d)
{
	const char *close = strchr(lit, ']');
	size_t n = sizeof(xform_callouts_kinds) / sizeof(*xform_callouts_kinds),
	       i, len;
	const char *names[sizeof(xform_callouts_kinds) /
			  sizeof(*xform_callouts_kinds)];
	int line = cmark_node_get_start_line(para) + c->fm.body_line;
	int col = cmark_node_get_start_column(para);
	char *type;
	const char *after;

	if (!close || close == lit + 2)
		return;
	len = (size_t)(close - lit - 2);
	for (i = 0; i < len; i++)
		if (!((lit[2 + i] >= 'A' && lit[2 + i] <= 'Z') ||
		      (lit[2 + i] >= 'a' && lit[2 + i] <= 'z')))
			return;
	type = xstrndup(lit + 2, len);
	after = close + 1;
	while (*after == ' ')
		after++;
	if (!xform_callouts_find(type, len)) {
		struct buf lower = BUF_INIT, upper = BUF_INIT;
		const char *near;
		for (i = 0; i < n; i++)
			names[i] = xform_callouts_kinds[i];
		for (i = 0; i < len; i++)
			buf_addch(&lower, (char)(type[i] | 0x20));
		near = slug_closest_key(lower.ptr, names, n);
		for (i = 0; near && near[i]; i++)
			buf_addch(&upper, (char)(near[i] & ~0x20));
		diag_warning(d, c->path, line, col,
			     "unknown alert type '[!%s]', shown as a plain "
			     "quote%s%s%s; the types are NOTE, TIP, IMPORTANT, "
			     "WARNING and CAUTION",
			     type, near ? "; did you mean '[!" : "",
			     near ? upper.ptr : "", near ? "]'?" : "");
		buf_release(&lower);
		buf_release(&upper);
	} else if (*after) {
		diag_warning(d, c->path, line, col,
			     "text after '[!%s]' makes it a plain quote: an "
			     "alert has no title, so start the text on the "
			     "next line",
			     type);
	} else {
		free(type);
		return;
	}
	diag_attach_source(d, c->source.ptr, c->source.len, line);
	free(type);
}

/* If `quote` opens with an alert marker, returns its kind and removes the
 * marker (and the line break after it); else warns of a near miss. */
static const char *xform_callouts_marker(struct chapter *c, cmark_node *quote,
					 struct diag *d)
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
	if (strncmp(lit, "[!", 2))
		return NULL;
	len = strlen(lit);
	while (len && lit[len - 1] == ' ')
		len--;
	next = cmark_node_next(text);
	if (len < 4 || lit[len - 1] != ']' ||
	    (next && cmark_node_get_type(next) != CMARK_NODE_SOFTBREAK &&
	     cmark_node_get_type(next) != CMARK_NODE_LINEBREAK) ||
	    !(k = xform_callouts_find(lit + 2, len - 3))) {
		xform_callouts_lint(c, para, lit, d);
		return NULL;
	}
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
		const char *k = xform_callouts_marker(c, q, d);
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
