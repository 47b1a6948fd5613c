#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "code_lines.h"
#include "harness.h"

/* Parses `attrs`; returns code_lines_parse()'s result, its message in
 * `err` (the caller's to release) and the offset in *at. */
static int parse(const char *attrs, struct code_lines *cl, struct buf *err,
		 size_t *at)
{
	*at = 0;
	buf_reset(err);
	return code_lines_parse(attrs, cl, err, at);
}

/* Whether line n (from 1) is marked. */
static int marked(const struct code_lines *cl, size_t n)
{
	return n <= cl->n_marked && cl->marked[n - 1];
}

static void test_attrs_found(void)
{
	CHECK_STR(code_lines_attrs("python {hl_lines=2}"), "{hl_lines=2}");
	CHECK(code_lines_attrs("python") == NULL);
	CHECK(code_lines_attrs(NULL) == NULL);
}

static void test_forms_of_marks(void)
{
	static const char *const forms[] = {
		"{hl_lines=\"2-3 5\"}",         "{hl_lines=\"2-3,5\"}",
		"{hl_lines=[\"2-3\",5]}",       "{hl_lines='2-3 5'}",
		"{ hl_lines=[2, 3, \"5-5\"] }",
	};
	struct buf err = BUF_INIT;
	size_t i, at;

	for (i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		struct code_lines cl;
		CHECK_INT(parse(forms[i], &cl, &err, &at), 0);
		CHECK(!marked(&cl, 1) && marked(&cl, 2) && marked(&cl, 3));
		CHECK(!marked(&cl, 4) && marked(&cl, 5) && !marked(&cl, 6));
		CHECK_INT(cl.n_marked, 5);
		CHECK_INT(cl.numbers, 0);
		CHECK_INT(cl.start, 1);
		code_lines_release(&cl);
	}
	buf_release(&err);
}

static void test_numbers(void)
{
	struct buf err = BUF_INIT;
	struct code_lines cl;
	size_t at;

	CHECK_INT(parse("{linenos=true linenostart=199}", &cl, &err, &at), 0);
	CHECK_INT(cl.numbers, 1);
	CHECK_INT(cl.start, 199);
	code_lines_release(&cl);
	CHECK_INT(parse("{linenos=table}", &cl, &err, &at), 0);
	CHECK_INT(cl.numbers, 1);
	code_lines_release(&cl);
	CHECK_INT(parse("{linenos=\"false\", hl_lines=1}", &cl, &err, &at), 0);
	CHECK_INT(cl.numbers, 0);
	CHECK(marked(&cl, 1));
	code_lines_release(&cl);
	buf_release(&err);
}

/* Each mistake: its message, and the offset it points at. */
static void test_mistakes(void)
{
	static const struct {
		const char *attrs, *says;
		size_t at;
	} cases[] = {
		{ "{colour=red}", "unknown code block attribute", 1 },
		{ "{hl_lines=\"3-1\"}", "'3-1'", 11 },
		{ "{hl_lines=0}", "'0'", 10 },
		{ "{hl_lines=\"2-x\"}", "'2-x'", 11 },
		{ "{hl_lines=\"2}", "without its closing", 10 },
		{ "{linenos=maybe}", "linenos: expected true or false", 9 },
		{ "{linenostart=-4}", "linenostart: expected", 13 },
		{ "{hl_lines=2", "'{' without its '}'", 0 },
		{ "{=2}", "expected a name", 1 },
	};
	struct buf err = BUF_INIT;
	size_t i, at;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct code_lines cl;
		CHECK_INT(parse(cases[i].attrs, &cl, &err, &at), -1);
		if (!strstr(err.ptr, cases[i].says))
			CHECK_STR(err.ptr, cases[i].says);
		CHECK_INT(at, cases[i].at);
		code_lines_release(&cl);
	}
	buf_release(&err);
}

static char *wrap(const char *html, const char *attrs)
{
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct code_lines cl;
	size_t at;

	CHECK_INT(parse(attrs, &cl, &err, &at), 0);
	code_lines_wrap(html, strlen(html), &cl, &out);
	code_lines_release(&cl);
	buf_release(&err);
	return buf_detach(&out, NULL);
}

static void test_wrap(void)
{
	char *got;

	/* a span open across a newline is closed before it and opened
	 * again after, so each line holds whole elements */
	got = wrap("a <span class=\"s\">\"x\ny\"</span>;\n", "{hl_lines=2}");
	CHECK_STR(got, "<span class=\"line\">a <span class=\"s\">\"x</span>\n"
		       "</span><span class=\"line hl-mark\"><span "
		       "class=\"s\">y\"</span>;\n</span>");
	free(got);
	/* numbered from linenostart; the last line without its newline */
	got = wrap("one\ntwo", "{linenos=true linenostart=9}");
	CHECK_STR(got, "<span class=\"line\"><span class=\"ln\" data-ln=\"9\" "
		       "aria-hidden=\"true\"></span>one\n</span>"
		       "<span class=\"line\"><span class=\"ln\" "
		       "data-ln=\"10\" aria-hidden=\"true\"></span>two</span>");
	free(got);
	/* nested spans, as a console command holds, carried over */
	got = wrap("<span class=\"c\"><span class=\"k\">a\nb</span></span>\n",
		   "{hl_lines=1}");
	CHECK_STR(got, "<span class=\"line hl-mark\"><span class=\"c\"><span "
		       "class=\"k\">a</span></span>\n</span><span "
		       "class=\"line\"><span class=\"c\"><span "
		       "class=\"k\">b</span></span>\n</span>");
	free(got);
	got = wrap("", "{linenos=true}");
	CHECK_STR(got, "");
	free(got);
}

int main(void)
{
	RUN(test_attrs_found);
	RUN(test_forms_of_marks);
	RUN(test_numbers);
	RUN(test_mistakes);
	RUN(test_wrap);
	return harness_done();
}
