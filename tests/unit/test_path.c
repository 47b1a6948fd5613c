/* Unit tests for path: joining, extensions, lexical normalising, what
 * is inside a folder, file paths as URLs and back, and what is a link
 * out of the book. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "path.h"

static void test_path_normalize(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a/./b/../c", "a/c" }, { "a/b/c", "a/b/c" },
		{ "./a", "a" },          { "a//b/", "a/b" },
		{ "a/b/../../c", "c" },  { "x.md", "x.md" },
		{ "../x", NULL },        { "a/../../x", NULL },
		{ "/abs", NULL },        { "", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = path_normalize(cases[i].in);
		if (cases[i].out)
			CHECK_STR(got, cases[i].out);
		else if (got)
			CHECK_STR(got, "(null)");
		free(got);
	}
}

static void test_path_join_ext(void)
{
	char *p;

	p = path_join("a", "b.md");
	CHECK_STR(p, "a/b.md");
	free(p);
	p = path_join("a/", "b");
	CHECK_STR(p, "a/b");
	free(p);
	p = path_join("", "b");
	CHECK_STR(p, "b");
	free(p);
	p = path_join(".", "b");
	CHECK_STR(p, "b");
	free(p);

	CHECK_STR(path_ext("a/b.md"), "md");
	CHECK_STR(path_ext("a.tar.gz"), "gz");
	CHECK_STR(path_ext("README"), "");
	CHECK_STR(path_ext("dir.d/file"), "");
	CHECK_STR(path_ext(".hidden"), "");
	CHECK_STR(path_ext("dir/.hidden"), "");
	CHECK_STR(path_ext("img.PNG"), "PNG");
	CHECK_STR(path_ext("trailing."), "");
}

static void test_path_add_url(void)
{
	struct buf b = BUF_INIT;

	path_add_url(&b, "img/my file#1?%.png", 0);
	CHECK_STR(b.ptr, "img/my%20file%231%3F%25.png");
	buf_reset(&b);
	/* sub-delimiters, ':' and '@' are path characters */
	path_add_url(&b, "a(1)!$&'*+,;=:@~.png", 0);
	CHECK_STR(b.ptr, "a(1)!$&'*+,;=:@~.png");
	buf_reset(&b);
	path_add_url(&b, "\xc3\xa9 \"<>\\^`{|}\x7f", 0);
	CHECK_STR(b.ptr, "%C3%A9%20%22%3C%3E%5C%5E%60%7B%7C%7D%7F");
	buf_reset(&b);
	path_add_url(&b, "\xc3\xa9 x", 1);
	CHECK_STR(b.ptr, "\xc3\xa9%20x");
	buf_release(&b);
}

static void test_within(void)
{
	CHECK(path_within("/a/b", "/a"));
	CHECK(path_within("/a", "/a"));
	CHECK(path_within("/a", "/a/"));
	CHECK(!path_within("/ab", "/a"));
	CHECK(!path_within("/", "/a"));
	CHECK(path_within("/x/y", "/"));
}

static void test_external_unescape(void)
{
	static const struct {
		const char *url;
		int external;
	} cases[] = {
		{ "https://example.org/", 1 },
		{ "mailto:a@b.c", 1 },
		{ "//host/x", 1 },
		{ "svn+ssh:x", 1 },
		{ "a.b-c:rest", 1 },
		{ "02-accept.md", 0 },
		{ "02-accept.md#why", 0 },
		{ "#top", 0 },
		{ "img/a:b.png", 0 },
		{ "1http:x", 0 },
		{ ":x", 0 },
		{ "/abs", 0 },
		{ "", 0 },
	};
	size_t i;
	char *p;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (path_is_external(cases[i].url) != cases[i].external) {
			fprintf(stderr, "  external: '%s'\n", cases[i].url);
			harness_current_failed = 1;
		}
	p = path_unescape("my%20notes%2Fx.pdf#z", 18);
	CHECK_STR(p, "my notes/x.pdf");
	free(p);
	/* not an escape, a NUL, or one cut short by the length: as written */
	p = path_unescape("100%zz%00%4", 11);
	CHECK_STR(p, "100%zz%00%4");
	free(p);
	p = path_unescape("%41%42", 5);
	CHECK_STR(p, "A%4");
	free(p);
}

int main(void)
{
	RUN(test_path_normalize);
	RUN(test_path_join_ext);
	RUN(test_within);
	RUN(test_path_add_url);
	RUN(test_external_unescape);
	return harness_done();
}
