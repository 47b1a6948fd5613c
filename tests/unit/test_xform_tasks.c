/* Unit tests for xform_tasks: task items collected with stable ids, the
 * heading they sit under, checked state, line and text, and their markup
 * on the site (checkbox + label) and in the EPUB (a glyph). The pass
 * runs on chapters made in memory, after the heading pass it needs (the
 * book's count of tasks is the loader's: see test_site). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "xform_headings.h"
#include "xform_tasks.h"

/* Makes chapter "steps.md" of a new book `s` from `text`, in memory,
 * and runs the passes the task pass needs (headings), then the task
 * pass. Returns its result, or -1 when the text makes no chapter or has
 * a bad heading. */
static int tasks(struct site *s, struct diag *d, const char *text)
{
	struct chapter *c;

	fixture_site(s);
	c = fixture_chapter(s, "steps.md", text, d);
	if (!c || xform_headings_run(c, d) < 0)
		return -1;
	return xform_tasks_run(c, d);
}

/* The task of chapter 0 whose text is `text`, or NULL. */
static const struct task *find(const struct site *s, const char *text)
{
	size_t i;

	if (!s->n_chapters)
		return NULL;
	for (i = 0; i < s->chapters[0].n_tasks; i++)
		if (!strcmp(s->chapters[0].tasks[i].text, text))
			return &s->chapters[0].tasks[i];
	fprintf(stderr, "  no task [%s]\n", text);
	return NULL;
}

static int task_is(const struct task *t, const char *id, const char *text,
		   size_t heading, int checked, int line)
{
	if (!t)
		return 0;
	if (strcmp(t->id, id) || strcmp(t->text, text) ||
	    t->heading != heading || t->checked != checked || t->line != line) {
		fprintf(stderr,
			"  got %s [%s] h=%zu checked=%d line %d\n"
			"  expected %s [%s] h=%zu checked=%d line %d\n",
			t->id, t->text, t->heading, t->checked, t->line, id,
			text, heading, checked, line);
		return 0;
	}
	return 1;
}

static const char example[] = "---\n"
			      "title: Steps\n"
			      "---\n"
			      "- [ ] Before any heading\n"
			      "\n"
			      "## First week\n"
			      "\n"
			      "- [ ] Delete the *old* photos\n"
			      "- [x] Call a friend\n"
			      "- [X] Tom & <Jerry>\n"
			      "- plain item\n"
			      "\n"
			      "## Second week {#week-2}\n"
			      "\n"
			      "1. [ ] Numbered\n"
			      "   - [ ] Nested `code`\n"
			      "\n"
			      "- [ ] Call a friend\n"
			      "- [ ] Call a friend\n";

static void test_collect(void)
{
	struct site s;
	struct diag d;
	const struct chapter *c;

	diag_init(&d);
	CHECK_INT(tasks(&s, &d, example), 0);
	CHECK_INT(d.n, 0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_tasks == 8);
	if (!c || c->n_tasks != 8)
		goto out;
	CHECK(task_is(&c->tasks[0], "steps-before-any-heading",
		      "Before any heading", SITE_NONE, 0, 4));
	CHECK(task_is(&c->tasks[1], "steps-delete-the-old-photos",
		      "Delete the old photos", 0, 0, 8));
	CHECK(task_is(&c->tasks[2], "steps-call-a-friend", "Call a friend", 0,
		      1, 9));
	CHECK(task_is(&c->tasks[3], "steps-tom--jerry", "Tom & <Jerry>", 0, 1,
		      10));
	CHECK_STR(c->tasks[3].html, "Tom &amp; &lt;Jerry&gt;");
	CHECK(task_is(&c->tasks[4], "steps-numbered", "Numbered", 1, 0, 15));
	CHECK(task_is(&c->tasks[5], "steps-nested-code", "Nested code", 1, 0,
		      16));
	/* repeated texts: -2, -3 */
	CHECK(task_is(&c->tasks[6], "steps-call-a-friend-2", "Call a friend", 1,
		      0, 18));
	CHECK(task_is(&c->tasks[7], "steps-call-a-friend-3", "Call a friend", 1,
		      0, 19));
out:
	site_release(&s);
	diag_release(&d);
}

/* Ids follow the text, not the position: adding, removing and reordering
 * items keeps every other item's id. */
static void test_stable_ids(void)
{
	static const char *const texts[] = { "Delete the photos",
					     "Call a friend", "Go for a walk" };
	struct site a, b;
	struct diag d;
	char *ids[3] = { NULL, NULL, NULL };
	size_t i;

	diag_init(&d);
	CHECK_INT(tasks(&a, &d,
			"---\ntitle: S\n---\n"
			"## One\n"
			"- [ ] Delete the photos\n"
			"- [ ] Call a friend\n"
			"- [ ] Go for a walk\n"),
		  0);
	for (i = 0; i < 3; i++) {
		const struct task *t = find(&a, texts[i]);
		ids[i] = t ? t->id : NULL;
	}
	CHECK_STR(ids[0], "steps-delete-the-photos");
	CHECK_STR(ids[1], "steps-call-a-friend");
	CHECK_STR(ids[2], "steps-go-for-a-walk");
	CHECK_INT(tasks(&b, &d,
			"---\ntitle: S\n---\n"
			"- [ ] A new first step\n"
			"\n"
			"## Moved around\n"
			"- [x] Go for a walk\n"
			"- [ ] Drink water\n"
			"- [ ] Delete the photos\n"
			"\n"
			"Some text.\n"
			"\n"
			"- [ ] Call a friend\n"),
		  0);
	CHECK_INT(d.n, 0);
	for (i = 0; i < 3; i++) {
		const struct task *t = find(&b, texts[i]);
		CHECK(t != NULL);
		if (t && ids[i])
			CHECK_STR(t->id, ids[i]);
	}
	site_release(&a);
	site_release(&b);
	diag_release(&d);
}

static void test_long_text(void)
{
	struct site s;
	struct diag d;
	const struct task *t;
	struct buf md = BUF_INIT;
	int i;

	buf_adds(&md, "---\ntitle: S\n---\n- [ ] ");
	for (i = 0; i < 20; i++)
		buf_adds(&md, "step ");
	buf_adds(&md, "\n- [ ] Ends with punctuation!?\n");
	diag_init(&d);
	CHECK_INT(tasks(&s, &d, md.ptr), 0);
	CHECK(s.n_chapters == 1 && s.chapters[0].n_tasks == 2);
	if (s.n_chapters == 1 && s.chapters[0].n_tasks == 2) {
		/* "steps-" + 60 bytes of slug, without the trailing '-' */
		t = &s.chapters[0].tasks[0];
		CHECK_STR(t->id,
			  "steps-step-step-step-step-step-step-step-step-"
			  "step-step-step-step");
		t = &s.chapters[0].tasks[1];
		CHECK_STR(t->id, "steps-ends-with-punctuation");
	}
	site_release(&s);
	diag_release(&d);
	buf_release(&md);
}

static void test_render(void)
{
	struct site s;
	struct diag d;
	struct buf out = BUF_INIT;

	diag_init(&d);
	CHECK_INT(tasks(&s, &d, example), 0);
	if (s.n_chapters != 1)
		goto out;
	render_chapter(&s, &s.chapters[0], RENDER_SITE, NULL, &out, NULL);
	CHECK(strstr(out.ptr,
		     "<li><input type=\"checkbox\" class=\"task-check\" "
		     "id=\"task-steps-delete-the-old-photos\" "
		     "data-task=\"steps-delete-the-old-photos\"><label "
		     "for=\"task-steps-delete-the-old-photos\">Delete the "
		     "<em>old</em> photos</label></li>\n"));
	CHECK(strstr(out.ptr,
		     "<li><input type=\"checkbox\" class=\"task-check\" "
		     "id=\"task-steps-call-a-friend\" "
		     "data-task=\"steps-call-a-friend\" checked><label "
		     "for=\"task-steps-call-a-friend\">Call a friend</label>"
		     "</li>\n"));
	CHECK(strstr(out.ptr, "<label for=\"task-steps-tom--jerry\">Tom &amp; "
			      "&lt;Jerry&gt;</label>"));
	/* cmark-gfm's own disabled checkbox is gone */
	CHECK(!strstr(out.ptr, "disabled"));
	CHECK(strstr(out.ptr, "<li>plain item</li>"));

	buf_reset(&out);
	render_chapter(&s, &s.chapters[0], RENDER_EPUB, NULL, &out, NULL);
	/* marked for epub.css, which drops the bullets */
	CHECK(strstr(out.ptr, "<ul class=\"task-list\">\n"));
	CHECK(strstr(out.ptr,
		     "<li class=\"task-item\"><span class=\"task-box\" "
		     "aria-hidden=\"true\">"
		     "\xe2\x98\x90</span> <span class=\"task-text\">Delete the "
		     "<em>old</em> photos</span></li>\n"));
	CHECK(strstr(out.ptr,
		     "<li class=\"task-item\"><span class=\"task-box\" "
		     "aria-hidden=\"true\">"
		     "\xe2\x98\x91</span> <span class=\"task-text\">Call a "
		     "friend</span></li>\n"));
	CHECK(!strstr(out.ptr, "<input"));
	CHECK(!strstr(out.ptr, "<label"));
out:
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

int main(void)
{
	markdown_init();
	RUN(test_collect);
	RUN(test_stable_ids);
	RUN(test_long_text);
	RUN(test_render);
	return harness_done();
}
