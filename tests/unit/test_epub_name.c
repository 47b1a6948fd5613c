/* Unit tests for epub_name: the media types the EPUB knows, the names
 * files of content/ get in it (characters OCF or readers refuse, a part
 * ending in '.', two names that would clash), their hrefs, and relative
 * URLs resolved within content/. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "epub_name.h"
#include "harness.h"

static void test_media_type(void)
{
	CHECK_STR(epub_media_type("a/b.png"), "image/png");
	CHECK_STR(epub_media_type("b.JPG"), "image/jpeg");
	CHECK_STR(epub_media_type("b.jpeg"), "image/jpeg");
	CHECK_STR(epub_media_type("b.gif"), "image/gif");
	CHECK_STR(epub_media_type("b.svg"), "image/svg+xml");
	CHECK_STR(epub_media_type("b.webp"), "image/webp");
	CHECK(epub_media_type("b.bmp") == NULL);
	CHECK(epub_media_type("png") == NULL);
	CHECK(epub_media_type("notes.md") == NULL);
}

/* Whether `name` is `base`, '-', eight hex digits, then `ext`. */
static int hashed(const char *name, const char *base, const char *ext)
{
	size_t bl = strlen(base), i;

	if (strncmp(name, base, bl) || name[bl] != '-')
		return 0;
	for (i = bl + 1; i < bl + 9; i++)
		if (!strchr("0123456789abcdef", name[i]))
			return 0;
	return !strcmp(name + bl + 9, ext);
}

static void test_file_name(void)
{
	char *a, *b;

	/* a name OCF and readers take stays as it is */
	a = epub_file_name("img/caf\xC3\xA9.png");
	CHECK_STR(a, "img/caf\xC3\xA9.png");
	free(a);
	/* a space, which readers handle badly */
	a = epub_file_name("img/dia gram.png");
	CHECK(hashed(a, "img/dia_gram", ".png"));
	free(a);
	/* characters OCF refuses, '#', a private-use character */
	a = epub_file_name("a:b*c?.png");
	CHECK(hashed(a, "a_b_c_", ".png"));
	free(a);
	a = epub_file_name("x#1.png");
	CHECK(hashed(a, "x_1", ".png"));
	free(a);
	a = epub_file_name("p\xEE\x80\x80q.gif");
	CHECK(hashed(a, "p_q", ".gif"));
	free(a);
	/* a part that ends in '.' */
	a = epub_file_name("dir./x.png");
	CHECK(hashed(a, "dir_/x", ".png"));
	free(a);
	/* two paths that differ only where they are changed stay apart */
	a = epub_file_name("a b.png");
	b = epub_file_name("a#b.png");
	CHECK(hashed(a, "a_b", ".png"));
	CHECK(hashed(b, "a_b", ".png"));
	CHECK(strcmp(a, b) != 0);
	free(a);
	free(b);
	/* no extension: the hash goes at the end */
	a = epub_file_name("read me");
	CHECK(hashed(a, "read_me", ""));
	free(a);
}

static void test_href(void)
{
	char *h = epub_href("img/a b%.png");

	CHECK_STR(h, "img/a%20b%25.png");
	free(h);
	h = epub_href("caf\xC3\xA9.xhtml");
	CHECK_STR(h, "caf\xC3\xA9.xhtml"); /* an IRI keeps its UTF-8 */
	free(h);
}

static void test_resolve(void)
{
	char *p = epub_resolve("img/a%20b.png?x=1#top");

	CHECK_STR(p, "img/a b.png");
	free(p);
	p = epub_resolve("a/../b/./c.png");
	CHECK_STR(p, "b/c.png");
	free(p);
	CHECK(epub_resolve("../outside.png") == NULL);
}

int main(void)
{
	RUN(test_media_type);
	RUN(test_file_name);
	RUN(test_href);
	RUN(test_resolve);
	return harness_done();
}
