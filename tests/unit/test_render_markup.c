/* Tests for render_markup: callouts and task items on the website and
 * in the EPUB. */
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "i18n.h"
#include "render_markup.h"
#include "site.h"

#define OPEN_EPUB(kind, label)                 \
	"<div class=\"callout callout-" kind   \
	"\" role=\"note\" aria-label=\"" label \
	"\">\n<p class=\"callout-title\">" label "</p>\n"

/* The English and French strings, loaded in main(). */
static struct i18n en, fr;
static size_t load_problems; /* warnings and errors loading them */

static void test_callouts(void)
{
	struct buf b = BUF_INIT;

	CHECK_STR(render_callout_label(&en, "note"), "Note");
	CHECK_STR(render_callout_label(&en, "tip"), "Tip");
	CHECK_STR(render_callout_label(&en, "important"), "Important");
	CHECK_STR(render_callout_label(&en, "warning"), "Warning");
	CHECK_STR(render_callout_label(&en, "caution"), "Caution");
	CHECK_STR(render_callout_label(&en, "WARNING"), "Warning");
	CHECK_STR(render_callout_label(&en, "bogus"), "Note");
	render_callout_open(&en, "important", 1, &b);
	render_callout_close(&b);
	CHECK_STR(b.ptr, OPEN_EPUB("important", "Important") "</div>\n");
	buf_reset(&b);
	render_callout_open(&en, "tip", 0, &b);
	CHECK(strstr(b.ptr, "aria-label=\"Tip\""));
	CHECK(strstr(b.ptr, "</svg>Tip</p>\n"));
	/* in the book's language: fr-CA reads the whole fr pack */
	CHECK(load_problems == 0);
	CHECK_STR(render_callout_label(&fr, "tip"), "Astuce");
	CHECK_STR(render_callout_label(&fr, "caution"), "Prudence");
	buf_reset(&b);
	render_callout_open(&fr, "warning", 1, &b);
	CHECK(strstr(b.ptr, "aria-label=\"Attention\""));
	buf_release(&b);
}

static void test_tasks(void)
{
	struct task t = { 0 };
	struct buf b = BUF_INIT;

	t.id = (char *)"c-a\"b";
	t.checked = 0;
	render_task_open(&t, 0, &b);
	render_task_close(0, &b);
	CHECK_STR(b.ptr, "<input type=\"checkbox\" class=\"task-check\" "
			 "id=\"task-c-a&quot;b\" data-task=\"c-a&quot;b\">"
			 "<label for=\"task-c-a&quot;b\"></label>");
	buf_reset(&b);
	t.checked = 1;
	render_task_open(&t, 1, &b);
	render_task_close(1, &b);
	CHECK_STR(b.ptr,
		  "<span class=\"task-box\" aria-hidden=\"true\">"
		  "\xe2\x98\x91</span> <span class=\"task-text\"></span>");
	buf_release(&b);
}

int main(void)
{
	struct diag d;

	diag_init(&d);
	i18n_load(&en, "en", NULL, NULL, NULL, NULL, &d);
	i18n_load(&fr, "fr-CA", NULL, NULL, NULL, NULL, &d);
	load_problems = d.warnings + d.errors;
	diag_release(&d);
	RUN(test_callouts);
	RUN(test_tasks);
	i18n_release(&en);
	i18n_release(&fr);
	return harness_done();
}
