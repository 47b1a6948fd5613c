/* Unit tests for xform_callouts: GitHub alert quotes (> [!NOTE] and the
 * other four kinds, any case) become callouts, other quotes stay quotes,
 * and their markup for the site (SVG icon) and the EPUB (the label alone,
 * no symbol character that e-reader fonts lack). The pass runs on
 * chapters made in memory. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "xform_callouts.h"
#include "xform_tasks.h"

/* Makes chapter "a.md" of a new book `s` from `text`, in memory, and
 * runs the callout pass alone on it. Returns the pass's result, or -1
 * when the text makes no chapter. */
static int callouts(struct site *s, struct diag *d, const char *text)
{
	struct chapter *c;

	fixture_site(s);
	c = fixture_chapter(s, "a.md", text, d);
	return c ? xform_callouts_run(c, d) : -1;
}

/* Renders chapter 0 of `s` for `target` into `out` (reset first). */
static void render(struct site *s, enum render_target target, struct buf *out)
{
	buf_reset(out);
	if (s->n_chapters)
		render_chapter(s, &s->chapters[0], target, NULL, out, NULL);
}

#define OPEN_SITE(kind, label, svg)                                          \
	"<div class=\"callout callout-" kind "\" role=\"note\" aria-label=\"" \
	label "\">\n<p class=\"callout-title\"><svg class=\"callout-icon\" "  \
	"aria-hidden=\"true\" viewBox=\"0 0 24 24\" width=\"20\" "           \
	"height=\"20\" fill=\"none\" stroke=\"currentColor\" "               \
	"stroke-width=\"2\" stroke-linecap=\"round\" "                       \
	"stroke-linejoin=\"round\">" svg "</svg>" label "</p>\n"

#define OPEN_EPUB(kind, label)                                               \
	"<div class=\"callout callout-" kind "\" role=\"note\" aria-label=\"" \
	label "\">\n<p class=\"callout-title\">" label "</p>\n"

#define NOTE_SVG                                                             \
	"<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 11v6M12 7h.01\"/>"

static void test_kinds(void)
{
	static const char *const kinds[] = { "note", "tip", "important",
					     "warning", "caution" };
	struct site s;
	struct diag d;
	const struct chapter *c;
	size_t i;

	diag_init(&d);
	CHECK_INT(callouts(&s, &d,
			"---\ntitle: A\n---\n"
			"> [!NOTE]\n> A note.\n\n"
			"> [!tip]\n> A tip.\n\n"
			"> [!Important]\n> Important.\n\n"
			"> [!WARNING]  \n> A warning.\n\n"
			"> [!cAuTiOn]\n> Careful.\n"),
		  0);
	CHECK_INT(d.n, 0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_callouts == 5);
	for (i = 0; c && i < 5 && i < c->n_callouts; i++)
		CHECK_STR(c->callouts[i].kind, kinds[i]);
	site_release(&s);
	diag_release(&d);
}

static void test_not_callouts(void)
{
	struct site s;
	struct diag d;
	struct buf out = BUF_INIT;

	diag_init(&d);
	CHECK_INT(callouts(&s, &d,
			"---\ntitle: A\n---\n"
			"> [!FOO]\n> Unknown kind.\n\n"
			"> [!NOTE] Text on the marker line.\n\n"
			"> Plain quote.\n> [!NOTE]\n\n"
			"> [NOTE]\n> No bang.\n\n"
			"> [!]\n> Empty.\n\n"
			"[!NOTE]\nNot in a quote.\n"),
		  0);
	CHECK(s.n_chapters == 1 && s.chapters[0].n_callouts == 0);
	render(&s, RENDER_SITE, &out);
	CHECK(strstr(out.ptr, "<blockquote>\n<p>[!FOO]\nUnknown kind.</p>\n"
			      "</blockquote>\n"));
	CHECK(strstr(out.ptr, "<blockquote>\n<p>[!NOTE] Text on the marker "
			      "line.</p>\n</blockquote>\n"));
	CHECK(strstr(out.ptr, "<blockquote>\n<p>Plain quote.\n[!NOTE]</p>\n"
			      "</blockquote>\n"));
	CHECK(strstr(out.ptr, "<p>[!NOTE]\nNot in a quote.</p>\n"));
	CHECK(!strstr(out.ptr, "callout"));
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

static void test_render_site(void)
{
	struct site s;
	struct diag d;
	struct buf out = BUF_INIT;

	diag_init(&d);
	CHECK_INT(callouts(&s, &d,
			"---\ntitle: A\n---\n"
			"> [!NOTE]\n"
			"> Take a *breath*.\n"
			">\n"
			"> - one\n"
			"\n"
			"> [!WARNING]\n"),
		  0);
	render(&s, RENDER_SITE, &out);
	CHECK_STR(out.ptr,
		  OPEN_SITE("note", "Note", NOTE_SVG)
		  "<p>Take a <em>breath</em>.</p>\n"
		  "<ul>\n<li>one</li>\n</ul>\n"
		  "</div>\n"
		  OPEN_SITE("warning", "Warning",
			    "<path d=\"M12 3l10 18H2z\"/><path d=\"M12 10v5M12 "
			    "18h.01\"/>")
		  "</div>\n");
	render(&s, RENDER_EPUB, &out);
	CHECK_STR(out.ptr,
		  OPEN_EPUB("note", "Note")
		  "<p>Take a <em>breath</em>.</p>\n"
		  "<ul>\n<li>one</li>\n</ul>\n"
		  "</div>\n"
		  OPEN_EPUB("warning", "Warning")
		  "</div>\n");
	CHECK(!strstr(out.ptr, "<svg"));
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

/* A callout keeps working inside other blocks and around other passes. */
static void test_nested(void)
{
	struct site s;
	struct diag d;
	struct buf out = BUF_INIT;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(callouts(&s, &d,
			"---\ntitle: A\n---\n"
			"- item\n"
			"\n"
			"  > [!TIP]\n"
			"  > - [ ] A task in a tip\n"
			"\n"
			"> > [!CAUTION]\n"
			"> > Inner.\n"),
		  0);
	/* the task pass after it, as the loader runs them */
	CHECK(s.n_chapters && xform_tasks_run(&s.chapters[0], &d) == 0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_callouts == 2);
	if (c && c->n_callouts == 2) {
		CHECK_STR(c->callouts[0].kind, "tip");
		CHECK_STR(c->callouts[1].kind, "caution");
	}
	render(&s, RENDER_EPUB, &out);
	CHECK(strstr(out.ptr, OPEN_EPUB("tip", "Tip")));
	CHECK(strstr(out.ptr, "<blockquote>\n" OPEN_EPUB("caution", "Caution")
			      "<p>Inner.</p>\n</div>\n</blockquote>\n"));
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

static void test_labels_and_markup(void)
{
	struct buf b = BUF_INIT;

	CHECK_STR(xform_callouts_label("note"), "Note");
	CHECK_STR(xform_callouts_label("tip"), "Tip");
	CHECK_STR(xform_callouts_label("important"), "Important");
	CHECK_STR(xform_callouts_label("warning"), "Warning");
	CHECK_STR(xform_callouts_label("caution"), "Caution");
	CHECK_STR(xform_callouts_label("WARNING"), "Warning");
	CHECK_STR(xform_callouts_label("bogus"), "Note");
	xform_callouts_open("important", 1, &b);
	xform_callouts_close(&b);
	CHECK_STR(b.ptr, OPEN_EPUB("important", "Important")
		  "</div>\n");
	buf_reset(&b);
	xform_callouts_open("tip", 0, &b);
	CHECK(strstr(b.ptr, "aria-label=\"Tip\""));
	CHECK(strstr(b.ptr, "</svg>Tip</p>\n"));
	buf_release(&b);
}

int main(void)
{
	markdown_init();
	RUN(test_kinds);
	RUN(test_not_callouts);
	RUN(test_render_site);
	RUN(test_nested);
	RUN(test_labels_and_markup);
	return harness_done();
}
