#include "render_markup.h"

#include <string.h>
#include <strings.h>

#include "buf.h"
#include "i18n.h"
#include "site.h"

struct render_callout {
	const char *name, *label, *svg; /* label: its key in the packs */
};

/* Icons for the site: simple 24x24 strokes, drawn for this project. */
static const struct render_callout render_callouts[] = {
	{ "note", "callout_note",
	  "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 11v6M12 7h.01\"/>" },
	{ "tip", "callout_tip",
	  "<path d=\"M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.6.6 1 1.4 1 2.5h6c0-1.1.4-1.9 1-2.5A6 6 0 0 0 12 3z\"/>" },
	{ "important", "callout_important",
	  "<path d=\"M4 4h16v12H8l-4 4z\"/><path d=\"M12 7v4M12 14h.01\"/>" },
	{ "warning", "callout_warning",
	  "<path d=\"M12 3l10 18H2z\"/><path d=\"M12 10v5M12 18h.01\"/>" },
	{ "caution", "callout_caution",
	  "<path d=\"M8 3h8l5 5v8l-5 5H8l-5-5V8z\"/><path d=\"M12 8v5M12 16h.01\"/>" },
};

/* The callout of `kind`, the first (a note) for one it does not know. */
static const struct render_callout *render_callout_find(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(render_callouts) / sizeof(*render_callouts); i++)
		if (!strcasecmp(render_callouts[i].name, kind))
			return &render_callouts[i];
	return &render_callouts[0];
}

const char *render_callout_label(const struct i18n *t, const char *kind)
{
	return i18n_str(t, render_callout_find(kind)->label);
}

void render_callout_open(const struct i18n *t, const char *kind, int xhtml,
			 struct buf *out)
{
	const struct render_callout *k = render_callout_find(kind);
	const char *label = i18n_str(t, k->label);

	buf_addf(out,
		 "<div class=\"callout callout-%s\" role=\"note\" "
		 "aria-label=\"",
		 k->name);
	buf_adds_html(out, label);
	buf_adds(out, "\">\n<p class=\"callout-title\">");
	/* the EPUB gets the label alone: the symbols that could stand for
	 * the icon (U+2139, U+2736, U+2757...) are blank boxes in the fonts
	 * of e-ink readers and calibre */
	if (!xhtml)
		buf_addf(out,
			 "<svg class=\"callout-icon\" aria-hidden=\"true\" "
			 "viewBox=\"0 0 24 24\" width=\"20\" height=\"20\" "
			 "fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" "
			 "stroke-linecap=\"round\" stroke-linejoin=\"round\">%s"
			 "</svg>",
			 k->svg);
	buf_adds_html(out, label);
	buf_adds(out, "</p>\n");
}

void render_callout_close(struct buf *out)
{
	buf_adds(out, "</div>\n");
}

void render_task_open(const struct task *t, int xhtml, struct buf *out)
{
	if (xhtml) {
		buf_adds(out, "<span class=\"task-box\" aria-hidden=\"true\">");
		buf_adds(out, t->checked ? "\xE2\x98\x91" : "\xE2\x98\x90");
		buf_adds(out, "</span> <span class=\"task-text\">");
		return;
	}
	buf_adds(out,
		 "<input type=\"checkbox\" class=\"task-check\" id=\"task-");
	buf_adds_html(out, t->id);
	buf_adds(out, "\" data-task=\"");
	buf_adds_html(out, t->id);
	buf_adds(out, "\"");
	if (t->checked)
		buf_adds(out, " checked");
	buf_adds(out, "><label for=\"task-");
	buf_adds_html(out, t->id);
	buf_adds(out, "\">");
}

void render_task_close(int xhtml, struct buf *out)
{
	buf_adds(out, xhtml ? "</span>" : "</label>");
}
