/* Unit tests for xform_tasks: task items collected with stable ids, the
 * heading they sit under, checked state, line and text, and their markup
 * on the site (checkbox + label) and in the EPUB (a glyph). Chapters are
 * loaded with site_load() from a content folder written into a temporary
 * directory. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "xform_tasks.h"

static char tmproot[] = "/tmp/stepbook-test-tasks-XXXXXX";

/* Writes a content folder from NULL-terminated (name, text) pairs and
 * loads it into `s`. Returns site_load()'s result. */
static int load(struct site *s, struct diag *d, const char *const *files)
{
	static int n;
	char dir[600], path[900];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/book%d", tmproot, ++n);
	for (i = 0; files[i]; i += 2) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		CHECK_INT(fs_write_atomic(path, files[i + 1],
					  strlen(files[i + 1]), NULL, d),
			  0);
	}
	return site_load(s, dir, "content", d);
}

/* Loads one chapter "steps.md" with `text`. */
static int load1(struct site *s, struct diag *d, const char *text)
{
	const char *files[] = { "book.yml", "title: T\n", "steps.md", text,
				NULL };

	return load(s, d, files);
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
	if (strcmp(t->id, id) || strcmp(t->text, text) || t->heading != heading ||
	    t->checked != checked || t->line != line) {
		fprintf(stderr, "  got %s [%s] h=%zu checked=%d line %d\n"
				"  expected %s [%s] h=%zu checked=%d line %d\n",
			t->id, t->text, t->heading, t->checked, t->line, id, text,
			heading, checked, line);
		return 0;
	}
	return 1;
}

static const char example[] =
	"---\n"
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
	CHECK_INT(load1(&s, &d, example), 0);
	CHECK_INT(d.n, 0);
	c = s.n_chapters ? &s.chapters[0] : NULL;
	CHECK(c && c->n_tasks == 8);
	CHECK_INT(s.n_tasks, 8);
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
	static const char *const texts[] = { "Delete the photos", "Call a friend",
					     "Go for a walk" };
	struct site a, b;
	struct diag d;
	char *ids[3] = { NULL, NULL, NULL };
	size_t i;

	diag_init(&d);
	CHECK_INT(load1(&a, &d,
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
	CHECK_INT(load1(&b, &d,
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
	CHECK_INT(load1(&s, &d, md.ptr), 0);
	CHECK(s.n_chapters == 1 && s.chapters[0].n_tasks == 2);
	if (s.n_chapters == 1 && s.chapters[0].n_tasks == 2) {
		/* "steps-" + 60 bytes of slug, without the trailing '-' */
		t = &s.chapters[0].tasks[0];
		CHECK_STR(t->id, "steps-step-step-step-step-step-step-step-step-"
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
	CHECK_INT(load1(&s, &d, example), 0);
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
	CHECK(strstr(out.ptr,
		     "<li><span class=\"task-box\" aria-hidden=\"true\">"
		     "\xe2\x98\x90</span> <span class=\"task-text\">Delete the "
		     "<em>old</em> photos</span></li>\n"));
	CHECK(strstr(out.ptr,
		     "<li><span class=\"task-box\" aria-hidden=\"true\">"
		     "\xe2\x98\x91</span> <span class=\"task-text\">Call a "
		     "friend</span></li>\n"));
	CHECK(!strstr(out.ptr, "<input"));
	CHECK(!strstr(out.ptr, "<label"));
out:
	buf_release(&out);
	site_release(&s);
	diag_release(&d);
}

/* The book's count adds up every chapter's tasks; ids carry each
 * chapter's slug, so equal texts in two chapters do not clash. */
static void test_book_count(void)
{
	const char *files[] = {
		"book.yml", "title: T\n",
		"01-a.md", "---\ntitle: A\n---\n- [ ] Same\n- [ ] Other\n",
		"02-b.md", "---\ntitle: B\nslug: bee\n---\n- [ ] Same\n",
		"03-c.md", "---\ntitle: C\n---\nNo tasks.\n",
		NULL
	};
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), 0);
	CHECK_INT(s.n_tasks, 3);
	CHECK_INT(s.n_chapters, 3);
	if (s.n_chapters == 3) {
		CHECK_INT(s.chapters[0].n_tasks, 2);
		CHECK_INT(s.chapters[1].n_tasks, 1);
		CHECK_INT(s.chapters[2].n_tasks, 0);
		if (s.chapters[1].n_tasks == 1)
			CHECK_STR(s.chapters[1].tasks[0].id, "bee-same");
		if (s.chapters[0].n_tasks == 2)
			CHECK_STR(s.chapters[0].tasks[0].id, "01-a-same");
	}
	site_release(&s);
	diag_release(&d);
}

int main(void)
{
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 1;
	}
	markdown_init();
	RUN(test_collect);
	RUN(test_stable_ids);
	RUN(test_long_text);
	RUN(test_render);
	RUN(test_book_count);
	fs_remove_tree(tmproot);
	return harness_done();
}
