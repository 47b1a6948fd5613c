#include "xform_callouts.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "site.h"
#include "xalloc.h"
#include "xform.h"

struct callout_kind {
	const char *name, *label, *svg;
};

/* Icons for the site: simple 24x24 strokes, drawn for this project. */
static const struct callout_kind callout_kinds[] = {
	{ "note", "Note",
	  "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 11v6M12 7h.01\"/>" },
	{ "tip", "Tip",
	  "<path d=\"M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.6.6 1 1.4 1 2.5h6c0-1.1.4-1.9 1-2.5A6 6 0 0 0 12 3z\"/>" },
	{ "important", "Important",
	  "<path d=\"M4 4h16v12H8l-4 4z\"/><path d=\"M12 7v4M12 14h.01\"/>" },
	{ "warning", "Warning",
	  "<path d=\"M12 3l10 18H2z\"/><path d=\"M12 10v5M12 18h.01\"/>" },
	{ "caution", "Caution",
	  "<path d=\"M8 3h8l5 5v8l-5 5H8l-5-5V8z\"/><path d=\"M12 8v5M12 16h.01\"/>" },
};

static const struct callout_kind *xform_callouts_find(const char *name,
						       size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(callout_kinds) / sizeof(*callout_kinds); i++)
		if (strlen(callout_kinds[i].name) == len &&
		    !strncasecmp(callout_kinds[i].name, name, len))
			return &callout_kinds[i];
	return NULL;
}

const char *xform_callouts_label(const char *kind)
{
	const struct callout_kind *k = xform_callouts_find(kind, strlen(kind));
	return k ? k->label : "Note";
}

void xform_callouts_open(const char *kind, int xhtml, struct buf *out)
{
	const struct callout_kind *k = xform_callouts_find(kind, strlen(kind));

	if (!k)
		k = &callout_kinds[0];
	buf_addf(out, "<div class=\"callout callout-%s\" role=\"note\" "
		 "aria-label=\"%s\">\n<p class=\"callout-title\">", k->name,
		 k->label);
	/* the EPUB gets the label alone: the symbols that could stand for
	 * the icon (U+2139, U+2736, U+2757...) are blank boxes in the fonts
	 * of e-ink readers and calibre */
	if (!xhtml)
		buf_addf(out, "<svg class=\"callout-icon\" aria-hidden=\"true\" "
			 "viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" "
			 "fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" "
			 "stroke-linecap=\"round\" stroke-linejoin=\"round\">%s"
			 "</svg>", k->svg);
	buf_addf(out, "%s</p>\n", k->label);
}

void xform_callouts_close(struct buf *out)
{
	buf_adds(out, "</div>\n");
}

/* If `quote` opens with an alert marker, returns its kind and removes the
 * marker (and the line break after it). */
static const struct callout_kind *xform_callouts_marker(cmark_node *quote)
{
	cmark_node *para = cmark_node_first_child(quote), *text, *next;
	const struct callout_kind *k;
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
		const struct callout_kind *k = xform_callouts_marker(q);
		if (!k)
			continue;
		cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		while ((child = cmark_node_first_child(q))) {
			cmark_node_unlink(child);
			cmark_node_append_child(cb, child);
		}
		c->callouts = xgrow(c->callouts, sizeof(*c->callouts),
				    c->n_callouts + 1, &c->cap_callouts);
		c->callouts[c->n_callouts].kind = xstrdup(k->name);
		cmark_node_set_user_data(cb, XFORM_TAG(XFORM_CALLOUT,
						       c->n_callouts));
		c->n_callouts++;
		cmark_node_replace(q, cb);
		chapter_detach(c, q);
	}
	free(found);
	return 0;
}
