/* Unit tests for site_load: loading a book (chapter order, slugs, output
 * names, reading time, task count, other files, the book's slug) and
 * every error site_load() reports with its position. Books are written
 * into a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "fsutil.h"
#include "harness.h"
#include "markdown.h"
#include "site.h"
#include "site_load.h"

/* The folder of the book last written. */
static const char *lastdir;

/* Writes the book and loads it into `s`. Returns site_load()'s result. */
static int load(struct site *s, struct diag *d, const char *const *files)
{
	lastdir = fixture_write_book(files);
	return site_load(s, lastdir, "content", d);
}

#define FM(title) "---\ntitle: " title "\n---\n"

static void test_order_listed(void)
{
	const char *const files[] = {
		"book.yml",
		"title: \"After the Breakup: A Guide\"\n"
		"chapters:\n"
		"  - 10-last.md\n"
		"  - ./part/02-middle.md\n"
		"  - 01-first.md\n"
		/* names that listing content/ skips are looked up alone */
		"  - .drafts/03-draft.md\n"
		"  - .04-hidden.md\n",
		"01-first.md",
		FM("First") "Hello.\n",
		"10-last.md",
		FM("Last") "Bye.\n",
		"part/02-middle.md",
		FM("Middle") "Mid.\n",
		"99-unlisted.md",
		FM("Unlisted") "Not in the book.\n",
		".drafts/03-draft.md",
		FM("Draft") "Soon.\n",
		".04-hidden.md",
		FM("Hidden") "Shh.\n",
		NULL
	};
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), 0);
	/* the one file left out is a warning, not an error */
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 1);
	CHECK_INT(s.n_unlisted, 1);
	CHECK(site_is_unlisted(&s, "99-unlisted.md"));
	CHECK(!site_is_unlisted(&s, "01-first.md"));
	CHECK_STR(s.slug, "after-the-breakup-a-guide");
	CHECK_STR(s.cfg.title, "After the Breakup: A Guide");
	CHECK_STR(s.content_dir, lastdir);
	CHECK_STR(s.shown_dir, "content");
	CHECK_INT(s.n_chapters, 5);
	if (s.n_chapters == 5) {
		CHECK_STR(s.chapters[0].file, "10-last.md");
		CHECK_STR(s.chapters[0].path, "content/10-last.md");
		CHECK_STR(s.chapters[0].slug, "10-last");
		CHECK_STR(s.chapters[0].html_name, "10-last.html");
		CHECK_STR(s.chapters[0].xhtml_name, "10-last.xhtml");
		CHECK_STR(s.chapters[0].fm.title, "Last");
		CHECK_STR(s.chapters[1].file, "part/02-middle.md");
		CHECK_STR(s.chapters[1].path, "content/part/02-middle.md");
		/* a chapter in a folder keeps its place on the site; its
		 * slug (its ids) and EPUB document name the folder */
		CHECK_STR(s.chapters[1].slug, "part-02-middle");
		CHECK_STR(s.chapters[1].html_name, "part/02-middle.html");
		CHECK_STR(s.chapters[1].xhtml_name, "part-02-middle.xhtml");
		CHECK_STR(s.chapters[2].file, "01-first.md");
		CHECK_INT(s.chapters[2].parsed, 1);
		CHECK(s.chapters[2].doc != NULL);
		CHECK_STR(s.chapters[2].source.ptr, FM("First") "Hello.\n");
		CHECK_STR(s.chapters[3].fm.title, "Draft");
		CHECK_STR(s.chapters[4].fm.title, "Hidden");
	}
	CHECK_INT(site_find_chapter(&s, "01-first.md"), 2);
	CHECK_INT(site_find_chapter(&s, "part/02-middle.md"), 1);
	CHECK_INT(site_find_chapter(&s, "99-unlisted.md"), SITE_NONE);
	site_release(&s);
	diag_release(&d);
}

static void test_order_sorted(void)
{
	const char *const files[] = { "book.yml",
				      "title: Sorted\n",
				      "b.md",
				      FM("B") "b\n",
				      "10-c.md",
				      FM("C") "c\n",
				      "9-d.md",
				      FM("D") "d\n",
				      "A.md",
				      FM("A") "a\n",
				      ".hidden.md",
				      FM("H") "h\n",
				      "sub/nested.md",
				      FM("N") "n\n",
				      "notes.txt",
				      "not a chapter\n",
				      NULL };
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), 0);
	CHECK_INT(d.n, 0);
	/* bytewise: digits, then capitals, then small letters; only .md
	 * files directly in content/, without dotfiles */
	CHECK_INT(s.n_chapters, 4);
	if (s.n_chapters == 4) {
		CHECK_STR(s.chapters[0].file, "10-c.md");
		CHECK_STR(s.chapters[1].file, "9-d.md");
		CHECK_STR(s.chapters[2].file, "A.md");
		CHECK_STR(s.chapters[2].slug, "a");
		CHECK_STR(s.chapters[3].file, "b.md");
	}
	CHECK_STR(s.slug, "sorted");
	site_release(&s);
	diag_release(&d);
}

static void test_slugs(void)
{
	const char *const files[] = { "book.yml",
				      "title: \"!!!\"\n",
				      "01 Why Silence Helps.md",
				      FM("W") "x\n",
				      "02-b.md",
				      "---\ntitle: B\nslug: step_two\n---\nx\n",
				      "\xc3\x89"
				      "clair.md",
				      FM("E") "x\n",
				      "!!!.md",
				      FM("Bang") "x\n",
				      NULL };
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(s.slug, "book");
	CHECK_INT(s.n_chapters, 4);
	if (s.n_chapters == 4) {
		CHECK_STR(s.chapters[0].slug, "chapter");
		CHECK_STR(s.chapters[0].html_name, "chapter.html");
		CHECK_STR(s.chapters[1].slug, "01-why-silence-helps");
		CHECK_STR(s.chapters[1].html_name, "01-why-silence-helps.html");
		CHECK_STR(s.chapters[2].slug, "step_two");
		CHECK_STR(s.chapters[2].html_name, "step_two.html");
		CHECK_STR(s.chapters[2].xhtml_name, "step_two.xhtml");
		CHECK_STR(s.chapters[3].slug, "\xc3\xa9"
					      "clair");
		CHECK_STR(s.chapters[3].html_name, "\xc3\xa9"
						   "clair.html");
	}
	site_release(&s);
	diag_release(&d);
}

static void test_slug_errors(void)
{
	const char *const files[] = {
		"book.yml", "title: T\n",
		"a.md",     "---\ntitle: A\nslug: Not Valid\n---\n",
		"b.md",     "---\ntitle: B\nslug: c\n---\nText.\n",
		"c.md",     FM("C") "Text.\n",
		"d.md",     "---\ntitle: D\nslug: \"\"\n---\n",
		NULL
	};
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), -1);
	CHECK_INT(d.n, 3);
	CHECK(fixture_diag_is(
		&d, 0, "content/a.md", 1, 1,
		"invalid slug 'Not Valid': use lowercase letters, digits, "
		"'-' and '_'"));
	CHECK(fixture_diag_is(
		&d, 1, "content/d.md", 1, 1,
		"invalid slug '': use lowercase letters, digits, '-' and "
		"'_'"));
	CHECK(fixture_diag_is(&d, 2, "content/c.md", 1, 1,
			      "duplicate slug 'c': 'content/b.md' has it too"));
	site_release(&s);
	diag_release(&d);
}

static void test_chapter_list_errors(void)
{
	const char *const files[] = { "book.yml",
				      "title: T\n"
				      "chapters:\n"
				      "  - a.md\n"
				      "  - notes.txt\n"
				      "  - ../outside.md\n"
				      "  - gone.md\n"
				      "  - ./a.md\n"
				      "  - /etc/a.md\n",
				      "a.md",
				      FM("A") "x\n",
				      "notes.txt",
				      "x\n",
				      NULL };
	struct site s;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), -1);
	CHECK_INT(d.n, 5);
	CHECK(fixture_diag_is(
		&d, 0, "content/book.yml", 4, 5,
		"chapter 'notes.txt' must be a .md file inside content/"));
	CHECK(fixture_diag_is(&d, 1, "content/book.yml", 5, 5,
			      "chapter '../outside.md' must be a .md file inside "
			      "content/"));
	CHECK(fixture_diag_is(&d, 2, "content/book.yml", 6, 5,
			      "no chapter file 'gone.md' in content/"));
	CHECK(fixture_diag_is(&d, 3, "content/book.yml", 7, 5,
			      "chapter 'a.md' listed twice"));
	CHECK(fixture_diag_is(
		&d, 4, "content/book.yml", 8, 5,
		"chapter '/etc/a.md' must be a .md file inside content/"));
	/* the good entry still loads */
	CHECK_INT(s.n_chapters, 1);
	site_release(&s);
	diag_release(&d);
}

static void test_no_book(void)
{
	const char *const empty[] = { "book.yml", "title: Empty\n", NULL };
	struct site s;
	struct diag d;
	char missing[700];

	diag_init(&d);
	CHECK_INT(load(&s, &d, empty), -1);
	CHECK_INT(d.n, 1);
	CHECK(fixture_diag_is(&d, 0, "content/book.yml", 0, 0,
			      "the book has no chapters"));
	site_release(&s);
	diag_release(&d);

	diag_init(&d);
	snprintf(missing, sizeof(missing), "%s/nothing-here", fixture_tmp());
	CHECK_INT(site_load(&s, missing, "books/none", &d), -1);
	CHECK_INT(d.n, 1);
	CHECK(fixture_diag_is(&d, 0, "books/none", 0, 0,
			      "no book here: missing folder 'books/none'"));
	CHECK_STR(s.slug, "book");
	CHECK_INT(s.n_chapters, 0);
	CHECK_STR(s.cfg.language, "en");
	site_release(&s);
	diag_release(&d);
}

/* Chapter errors are reported for every chapter; the others still load. */
static void test_chapter_errors(void)
{
	static const char with_nul[] = "---\ntitle: C\n---\nNUL\n\nat \0 here\n";
	const char *const files[] = {
		"book.yml", "title: T\n",
		"a.md",     FM("A") "Caf\xc3\xa9 ok\nand \xc3\xa9\xff here\n",
		"b.md",     FM("B") "fine\n",
		"d.md",     "no front matter\n",
		"e.md",     "\xc3(\n",
		NULL
	};
	struct site s;
	struct diag d;
	char path[900];

	diag_init(&d);
	lastdir = fixture_write_book(files);
	snprintf(path, sizeof(path), "%s/c.md", lastdir);
	CHECK_INT(fs_write_atomic(path, with_nul, sizeof(with_nul) - 1, NULL,
				  &d),
		  0);
	CHECK_INT(site_load(&s, lastdir, "content", &d), -1);
	CHECK_INT(d.n, 4);
	CHECK(fixture_diag_is(
		&d, 0, "content/a.md", 5, 6,
		"invalid UTF-8 (byte 0xFF): save the file as UTF-8"));
	CHECK(fixture_diag_is(&d, 1, "content/c.md", 6, 4,
			      "NUL byte in chapter"));
	CHECK(fixture_diag_is(
		&d, 2, "content/d.md", 1, 1,
		"missing title: no 'title:' in front matter, no title in "
		"the chapter list and no '# ' heading on the first line"));
	CHECK(fixture_diag_is(
		&d, 3, "content/e.md", 1, 1,
		"invalid UTF-8 (byte 0xC3): save the file as UTF-8"));
	CHECK_INT(s.n_chapters, 5);
	if (s.n_chapters == 5) {
		CHECK_INT(s.chapters[0].parsed, 0);
		CHECK_INT(s.chapters[1].parsed, 1);
		CHECK_STR(s.chapters[1].slug, "b");
		CHECK_INT(s.chapters[2].parsed, 0);
	}
	site_release(&s);
	diag_release(&d);
}

static void test_reading_time_and_tasks(void)
{
	struct buf long_md = BUF_INIT;
	const char *files[] = {
		"book.yml",
		"title: T\n",
		"a.md",
		NULL,
		"b.md",
		FM("B") "- [ ] one\n- [x] two\n",
		"c.md",
		"---\ntitle: C\nsummary: many words in the front "
		"matter do not count\n---\n",
		NULL
	};
	struct site s;
	struct diag d;
	int i;

	buf_adds(&long_md, FM("A") "- [ ] task\n");
	/* "-", "[", "]" and "task" are 4 words; 397 more make 401 */
	for (i = 0; i < 397; i++)
		buf_adds(&long_md, i % 10 ? "word " : "word\n");
	files[3] = long_md.ptr;
	diag_init(&d);
	CHECK_INT(load(&s, &d, files), 0);
	CHECK_INT(s.n_chapters, 3);
	if (s.n_chapters == 3) {
		CHECK_INT(s.chapters[0].words, 401);
		CHECK_INT(s.chapters[0].minutes, 3);
		CHECK_INT(s.chapters[1].words, 7);
		CHECK_INT(s.chapters[1].minutes, 1);
		CHECK_INT(s.chapters[2].words, 0);
		CHECK_INT(s.chapters[2].minutes, 1);
	}
	CHECK_INT(s.n_tasks, 3);
	site_release(&s);
	diag_release(&d);
	buf_release(&long_md);
}

static void test_files_and_newest(void)
{
	const char *const files[] = { "book.yml",
				      "title: T\n",
				      "a.md",
				      FM("A") "![x](img/x.png)\n",
				      "img/x.png",
				      "png",
				      "img/.DS_Store",
				      "junk",
				      "downloads/sheet.pdf",
				      "pdf",
				      "part/b.md",
				      "not a chapter, not a file either",
				      "part/book.yml",
				      "only the top book.yml is skipped",
				      "style.css",
				      "css",
				      NULL };
	struct site s;
	struct diag d;
	struct timeval t[2] = { { 1500000000, 0 }, { 1500000000, 0 } };
	char path[900];

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), 0);
	CHECK_INT(s.n_files, 4);
	if (s.n_files == 4) {
		CHECK_STR(s.files[0], "downloads/sheet.pdf");
		CHECK_STR(s.files[1], "img/x.png");
		CHECK_STR(s.files[2], "part/book.yml");
		CHECK_STR(s.files[3], "style.css");
	}
	site_release(&s);

	/* newest: the latest mtime among book.yml, chapters and files */
	snprintf(path, sizeof(path), "%s/book.yml", lastdir);
	utimes(path, t);
	snprintf(path, sizeof(path), "%s/a.md", lastdir);
	t[0].tv_sec = t[1].tv_sec = 1500000300;
	utimes(path, t);
	snprintf(path, sizeof(path), "%s/img/x.png", lastdir);
	t[0].tv_sec = t[1].tv_sec = 1500000200;
	utimes(path, t);
	snprintf(path, sizeof(path), "%s/downloads/sheet.pdf", lastdir);
	utimes(path, t);
	snprintf(path, sizeof(path), "%s/style.css", lastdir);
	utimes(path, t);
	snprintf(path, sizeof(path), "%s/part/book.yml", lastdir);
	utimes(path, t);
	CHECK_INT(site_load(&s, lastdir, "content", &d), 0);
	CHECK_INT(s.newest, 1500000300);
	site_release(&s);
	snprintf(path, sizeof(path), "%s/style.css", lastdir);
	t[0].tv_sec = t[1].tv_sec = 1600000000;
	utimes(path, t);
	CHECK_INT(site_load(&s, lastdir, "content", &d), 0);
	CHECK_INT(s.newest, 1600000000);
	site_release(&s);
	CHECK_INT(d.n, 0);
	diag_release(&d);
}

/* The book's count adds up every chapter's tasks; ids carry each
 * chapter's slug, so equal texts in two chapters do not clash. */
static void test_book_count(void)
{
	const char *files[] = {
		"book.yml", "title: T\n",
		"01-a.md",  "---\ntitle: A\n---\n- [ ] Same\n- [ ] Other\n",
		"02-b.md",  "---\ntitle: B\nslug: bee\n---\n- [ ] Same\n",
		"03-c.md",  "---\ntitle: C\n---\nNo tasks.\n",
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

/* A file the writers do not publish (hidden, or book.yml) is not a valid
 * target of a link even though it exists: the published link would be
 * broken. The link pass looks on disk to say which it is. */
static void test_unpublished_file(void)
{
	const char *const files[] = {
		"book.yml",
		"title: T\n",
		"a.md",
		"---\ntitle: A\n---\n"
		"![x](.hidden/a.png) [cfg](book.yml) ![ok](img/b.png)\n",
		".hidden/a.png",
		"png",
		"img/b.png",
		"png",
		NULL
	};
	struct site s;
	struct diag d;
	size_t i;

	diag_init(&d);
	CHECK_INT(load(&s, &d, files), -1);
	for (i = 0; i < s.n_files; i++)
		CHECK(strcmp(s.files[i], ".hidden/a.png") != 0);
	CHECK_INT(d.n, 2);
	CHECK(fixture_diag_is(
		&d, 0, "content/a.md", 4, 1,
		"image '.hidden/a.png' is not published (hidden files "
		"and book.yml are left out)"));
	CHECK(fixture_diag_is(
		&d, 1, "content/a.md", 4, 21,
		"file 'book.yml' is not published (hidden files and "
		"book.yml are left out)"));
	site_release(&s);
	diag_release(&d);
}

/* What the hooks saw: the calls of configured(), and the chapters
 * parsed before and after the first. */
struct seen {
	int configured, parsed_before, parsed_after;
	char title[32];
};

static void seen_configured(void *ctx, const struct site *s)
{
	struct seen *w = ctx;

	w->configured++;
	snprintf(w->title, sizeof(w->title), "%s",
		 s->cfg.title ? s->cfg.title : "");
}

static void seen_parsed(void *ctx, struct site *s, struct chapter *c)
{
	struct seen *w = ctx;

	(void)s;
	(void)c;
	if (w->configured)
		__atomic_add_fetch(&w->parsed_after, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&w->parsed_before, 1, __ATOMIC_RELAXED);
}

/* configured() is called once, with the book's configuration read and
 * before any chapter is; not when book.yml has errors, nor with no
 * book. */
static void test_configured_hook(void)
{
	const char *const good[] = { "book.yml", "title: Early\n",
				     "a.md",     FM("A") "Text.\n",
				     "b.md",     FM("B") "More.\n",
				     NULL };
	const char *const bad[] = { "book.yml", "title: [unclosed\n", "a.md",
				    FM("A") "Text.\n", NULL };
	struct site_hooks hooks;
	struct seen w;
	struct site s;
	struct diag d;

	memset(&hooks, 0, sizeof(hooks));
	hooks.configured = seen_configured;
	hooks.parsed = seen_parsed;
	hooks.ctx = &w;

	memset(&w, 0, sizeof(w));
	diag_init(&d);
	CHECK_INT(site_load_with(&s, fixture_write_book(good), "content",
				 &hooks, &d),
		  0);
	CHECK_INT(w.configured, 1);
	CHECK(!strcmp(w.title, "Early"));
	CHECK_INT(w.parsed_before, 0);
	CHECK_INT(w.parsed_after, 2);
	site_release(&s);
	diag_release(&d);

	memset(&w, 0, sizeof(w));
	diag_init(&d);
	CHECK_INT(site_load_with(&s, fixture_write_book(bad), "content", &hooks,
				 &d),
		  -1);
	CHECK_INT(w.configured, 0);
	site_release(&s);
	diag_release(&d);

	memset(&w, 0, sizeof(w));
	diag_init(&d);
	CHECK_INT(site_load_with(&s, "/nonexistent/stepbook-book", "content",
				 &hooks, &d),
		  -1);
	CHECK_INT(w.configured, 0);
	site_release(&s);
	diag_release(&d);
}

int main(void)
{
	markdown_init();
	RUN(test_order_listed);
	RUN(test_order_sorted);
	RUN(test_slugs);
	RUN(test_slug_errors);
	RUN(test_chapter_list_errors);
	RUN(test_no_book);
	RUN(test_chapter_errors);
	RUN(test_reading_time_and_tasks);
	RUN(test_files_and_newest);
	RUN(test_book_count);
	RUN(test_unpublished_file);
	RUN(test_configured_hook);
	return harness_done();
}
