/* Unit tests for site, the model: the lookups (a chapter by file, a
 * heading by id, with the index the loader and the passes keep and
 * without it, a published file), the "Step N" label, the refusal
 * messages, and releasing a book made by hand. All in memory. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "fsutil.h"
#include "harness.h"
#include "i18n.h"
#include "site.h"
#include "xalloc.h"

/* A book of three chapters and two files, made by hand as a writer's
 * test might: no index of chapters or headings. */
static void make(struct site *s)
{
	static const char *const files[] = { "a.png", "img/b c.png" };
	size_t i;

	memset(s, 0, sizeof(*s));
	s->shown_dir = xstrdup("content");
	s->n_chapters = 3;
	s->chapters = xcalloc(3, sizeof(*s->chapters));
	chapter_init(&s->chapters[0], "01-a.md", "content");
	chapter_init(&s->chapters[1], "part/02-b.md", "content");
	chapter_init(&s->chapters[2], "03-c.md", "content");
	s->chapters[1].n_headings = 2;
	s->chapters[1].headings = xcalloc(2, sizeof(struct heading));
	s->chapters[1].headings[0].id = xstrdup("why");
	s->chapters[1].headings[1].id = xstrdup("how");
	s->n_files = 2;
	s->files = xcalloc(2, sizeof(*s->files));
	for (i = 0; i < 2; i++)
		s->files[i] = xstrdup(files[i]);
}

static void test_lookups(void)
{
	struct site s;

	make(&s);
	CHECK_STR(s.chapters[1].path, "content/part/02-b.md");
	CHECK_INT(site_find_chapter(&s, "03-c.md"), 2);
	CHECK_INT(site_find_chapter(&s, "part/02-b.md"), 1);
	CHECK_INT(site_find_chapter(&s, "02-b.md"), SITE_NONE);
	CHECK_INT(chapter_find_heading(&s.chapters[1], "how"), 1);
	CHECK_INT(chapter_find_heading(&s.chapters[1], "what"), SITE_NONE);
	CHECK_INT(chapter_find_heading(&s.chapters[0], "how"), SITE_NONE);
	CHECK(site_has_file(&s, "img/b c.png"));
	CHECK(site_has_file(&s, "a.png"));
	CHECK(!site_has_file(&s, "img/b"));
	/* with the indexes the loader keeps, the same answers */
	strset_add(&s.chapter_files, "01-a.md", 0);
	strset_add(&s.chapter_files, "part/02-b.md", 1);
	strset_add(&s.chapter_files, "03-c.md", 2);
	strset_add(&s.chapters[1].heading_ids, "why", 0);
	strset_add(&s.chapters[1].heading_ids, "how", 1);
	CHECK_INT(site_find_chapter(&s, "03-c.md"), 2);
	CHECK_INT(site_find_chapter(&s, "02-b.md"), SITE_NONE);
	CHECK_INT(chapter_find_heading(&s.chapters[1], "how"), 1);
	CHECK_INT(chapter_find_heading(&s.chapters[1], "what"), SITE_NONE);
	site_release(&s);
	CHECK_INT(s.n_chapters, 0);
	CHECK(s.chapters == NULL);
}

static void test_step_label(void)
{
	struct site s;
	struct diag d;
	struct chapter *c;

	diag_init(&d);
	fixture_site(&s);
	c = fixture_chapter(&s, "a.md", "---\ntitle: Go\nstep: 2\n---\n", &d);
	CHECK(c && chapter_step_label(&s, c));
	c = fixture_chapter(&s, "b.md",
			    "---\ntitle: \"Step 2: Go\"\nstep: 2\n---\n", &d);
	CHECK(c && !chapter_step_label(&s, c));
	c = fixture_chapter(&s, "c.md", "---\ntitle: Go\n---\n", &d);
	CHECK(c && !chapter_step_label(&s, c));
	/* in a Spanish book, a title that starts with "Paso 2" has its
	 * label already; "Paso 3" for step 2 does not */
	i18n_release(&s.i18n);
	CHECK_INT(i18n_load(&s.i18n, "es", NULL, NULL, NULL, NULL, &d), 0);
	c = fixture_chapter(&s, "d.md",
			    "---\ntitle: \"Paso 2: Ir\"\nstep: 2\n---\n", &d);
	CHECK(c && !chapter_step_label(&s, c));
	c = fixture_chapter(&s, "e.md",
			    "---\ntitle: \"Paso 3: Ir\"\nstep: 2\n---\n", &d);
	CHECK(c && chapter_step_label(&s, c));
	CHECK_INT(d.n, 0);
	site_release(&s);
	diag_release(&d);
}

static void test_refusal_message(void)
{
	struct site s;
	struct fs_refused r = { (char *)"drafts", FS_OUTSIDE,
				(char *)"/home/me/drafts" };
	struct buf b = BUF_INIT;

	make(&s);
	site_refusal_message(&s, "image", "drafts", &r, &b);
	CHECK(!strncmp(b.ptr, "image 'drafts' is a symlink", 27));
	buf_reset(&b);
	/* a file inside the refused folder says so */
	site_refusal_message(&s, "image", "drafts/x.png", &r, &b);
	CHECK(!strncmp(b.ptr,
		       "image 'drafts/x.png' is in 'drafts', which is "
		       "a symlink",
		       55));
	buf_release(&b);
	site_release(&s);
}

int main(void)
{
	RUN(test_lookups);
	RUN(test_step_label);
	RUN(test_refusal_message);
	return harness_done();
}
