#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "i18n.h"
#include "site.h"
#include "site_load.h"
#include "strset.h"
#include "xalloc.h"

static char fixture_dir[] = "/tmp/stepbook-test-XXXXXX";
static int fixture_made;

static void fixture_cleanup(void)
{
	fs_remove_tree(fixture_dir);
}

const char *fixture_tmp(void)
{
	if (!fixture_made) {
		if (!mkdtemp(fixture_dir)) {
			perror("fixture: mkdtemp");
			exit(1);
		}
		fixture_made = 1;
		atexit(fixture_cleanup);
	}
	return fixture_dir;
}

void fixture_site(struct site *s)
{
	struct diag quiet;

	memset(s, 0, sizeof(*s));
	s->content_dir = xstrdup("content");
	s->shown_dir = xstrdup("content");
	s->slug = xstrdup("book");
	/* the settings of a book.yml that says nothing */
	diag_init(&quiet);
	config_load(&s->cfg, "/nonexistent", "content/book.yml", &quiet);
	/* and the interface strings of its language, as site_load() */
	i18n_load(&s->i18n, s->cfg.language, NULL, NULL, NULL, NULL, &quiet);
	diag_release(&quiet);
}

struct chapter *fixture_chapter(struct site *s, const char *file,
				const char *text, struct diag *d)
{
	struct chapter *c;

	s->chapters = xrealloc(s->chapters,
			       (s->n_chapters + 1) * sizeof(*s->chapters));
	c = &s->chapters[s->n_chapters];
	chapter_init(c, file, s->shown_dir);
	strset_add(&s->chapter_files, file, s->n_chapters);
	s->n_chapters++;
	buf_adds(&c->source, text);
	return site_load_parse(s, c, d) < 0 ? NULL : c;
}

static int fixture_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t fixture_book(struct site *s, const char *const *files, struct diag *d)
{
	size_t i, failed = 0, n;

	for (i = 0; files[i]; i += 2) {
		n = strlen(files[i]);
		if (!strcmp(files[i], "book.yml")) {
			/* in memory the settings are the defaults */
			fprintf(stderr,
				"fixture_book: no book.yml in memory\n");
			abort();
		}
		if (n > 3 && !strcmp(files[i] + n - 3, ".md")) {
			failed += !fixture_chapter(s, files[i], files[i + 1],
						   d);
			continue;
		}
		s->files = xrealloc(s->files,
				    (s->n_files + 1) * sizeof(*s->files));
		s->files[s->n_files++] = xstrdup(files[i]);
	}
	if (s->n_files) /* qsort() wants a pointer even for no element */
		qsort(s->files, s->n_files, sizeof(*s->files), fixture_cmp);
	return failed;
}

const char *fixture_write_book(const char *const *files)
{
	static int n;
	static struct buf dir = BUF_INIT;
	struct buf path = BUF_INIT;
	struct diag d;
	size_t i;

	buf_reset(&dir);
	buf_addf(&dir, "%s/book%d", fixture_tmp(), ++n);
	diag_init(&d);
	for (i = 0; files[i]; i += 2) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", dir.ptr, files[i]);
		CHECK_INT(fs_write_atomic(path.ptr, files[i + 1],
					  strlen(files[i + 1]), NULL, &d),
			  0);
	}
	if (!files[0])
		CHECK_INT(fs_mkdirs(dir.ptr), 0);
	diag_print(&d, stderr);
	diag_release(&d);
	buf_release(&path);
	return dir.ptr;
}

int fixture_load(struct site *s, struct diag *d, const char *const *files)
{
	return site_load(s, fixture_write_book(files), "content", d);
}

int fixture_diag_is(const struct diag *d, size_t i, const char *file, int line,
		    int col, const char *msg)
{
	if (i >= d->n) {
		fprintf(stderr, "  no diagnostic %zu (have %zu)\n", i, d->n);
		return 0;
	}
	if (d->v[i].line != line || d->v[i].col != col ||
	    strcmp(d->v[i].msg, msg) != 0 || d->v[i].level != DIAG_ERROR ||
	    !d->v[i].file || strcmp(d->v[i].file, file) != 0) {
		fprintf(stderr, "  got %s:%d:%d: %s\n  expected %s:%d:%d: %s\n",
			d->v[i].file ? d->v[i].file : "(null)", d->v[i].line,
			d->v[i].col, d->v[i].msg, file, line, col, msg);
		return 0;
	}
	return 1;
}
