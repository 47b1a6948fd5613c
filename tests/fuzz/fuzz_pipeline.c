/* libFuzzer target: the whole pipeline on one chapter.
 *
 * The input is written as content/a.md of a small book in a temporary
 * folder (a fixed book.yml, a second chapter b.md to link to, an image,
 * which is the cover too: a PNG goes in as it is, where an SVG cover would
 * be rendered by librsvg at every run);
 * incr_load() reads and checks the book and renders its chapters (no
 * cache), and when it loads without errors every chapter's body is put
 * together for the site, the EPUB and the print page, as the writers do,
 * and the EPUB is written (its conversion of the chapters to XHTML
 * included). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "incremental.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "theme.h"
#include "write_epub.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];
static char *content, *epub;
static struct theme theme;

static const char book_yml[] =
	"title: Fuzz book\n"
	"author: Fuzzer\n"
	"language: en\n"
	"identifier: urn:uuid:00000000-0000-4000-8000-000000000000\n"
	"cover: images/x.png\n"
	"chapters:\n"
	"  - a.md\n"
	"  - b.md\n";

static const char b_md[] =
	"---\ntitle: Second\nstep: 2\n---\n\n"
	"## Why it works {#why}\n\nText with a [link back](a.md).\n\n"
	"## Same\n\n## Same\n\n- [ ] A task\n- [x] Done task\n\n"
	"> [!NOTE]\n> A note.\n\n"
	"```quiz\n? Question?\n- [ ] no\n- [x] yes\n> Because.\n```\n";

static void fuzz_write(const char *rel, const char *data, size_t len)
{
	char *path = path_join(root, rel);
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	free(path);
}

static void fuzz_cleanup(void)
{
	fs_remove_tree(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *images;

	(void)argc;
	(void)argv;
	snprintf(root, sizeof(root), "/tmp/stepbook-fuzz-XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(fuzz_cleanup);
	content = path_join(root, "content");
	images = path_join(content, "images");
	if (fs_mkdirs(images) < 0) {
		perror(images);
		exit(1);
	}
	free(images);
	fuzz_write("content/book.yml", book_yml, sizeof(book_yml) - 1);
	fuzz_write("content/b.md", b_md, sizeof(b_md) - 1);
	/* a PNG of 1 x 1 pixel */
	fuzz_write("content/images/x.png",
		   "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01"
		   "\x08\x02\0\0\0\x90\x77\x53\xde\0\0\0\x0cIDAT\x78\xda"
		   "\x63\xf8\xcf\xc0\0\0\x03\x01\x01\0\xf7\x03\x41\x43\0\0"
		   "\0\0IEND\xae\x42\x60\x82",
		   69);
	markdown_init();
	{
		struct diag d;
		diag_init(&d);
		if (theme_load(&theme, "default", root, &d) < 0) {
			diag_print(&d, stderr);
			exit(1);
		}
		diag_release(&d);
	}
	epub = path_join(root, "book.epub");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct site s;
	struct incr inc;
	struct diag d;
	size_t i;

	fuzz_write("content/a.md", (const char *)data, size);
	diag_init(&d);
	incr_open(&inc, NULL, 0);
	if (incr_load(&inc, &s, content, "content", 0, &d) == 0) {
		for (i = 0; i < s.n_chapters; i++) {
			struct buf out = BUF_INIT, answers = BUF_INIT;
			incr_body(&inc, &s, i, RENDER_SITE, &out, NULL);
			buf_reset(&out);
			incr_body(&inc, &s, i, RENDER_EPUB, &out, &answers);
			buf_reset(&out);
			incr_body(&inc, &s, i, RENDER_PRINT, &out, NULL);
			buf_release(&out);
			buf_release(&answers);
		}
		/* problems (an image EPUB cannot carry) are fine; a crash, a
		 * leak or undefined behaviour is not */
		{
			struct diag e;
			struct buf bytes = BUF_INIT;
			struct epub_last last;
			struct epub_made made;
			memset(&last, 0, sizeof(last));
			diag_init(&e);
			write_epub(&s, &inc, &theme, &last, NULL, epub, 0,
				   &made, &bytes, &e);
			epub_made_release(&made);
			buf_release(&bytes);
			diag_release(&e);
		}
	} else if (!d.errors) {
		abort(); /* a failed load must say why */
	}
	incr_release(&inc);
	site_release(&s);
	diag_release(&d);
	return 0;
}
