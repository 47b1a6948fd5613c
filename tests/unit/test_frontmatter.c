/* Unit tests for frontmatter: splitting a chapter into its YAML block and
 * Markdown body, the fields read from it, and every error with its file
 * position. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "frontmatter.h"
#include "harness.h"

static int parse(const char *text, struct frontmatter *fm, struct diag *d)
{
	return frontmatter_parse(fm, text, strlen(text), "content/ch.md", d);
}

/* Whether the only diagnostic in `d` is exactly line:col: msg. */
static int only_error(const struct diag *d, int line, int col, const char *msg)
{
	if (d->n != 1) {
		fprintf(stderr, "  %zu diagnostics, expected 1\n", d->n);
		diag_print(d, stderr);
		return 0;
	}
	if (d->v[0].line != line || d->v[0].col != col ||
	    strcmp(d->v[0].msg, msg) != 0 || d->v[0].level != DIAG_ERROR ||
	    !d->v[0].file || strcmp(d->v[0].file, "content/ch.md") != 0) {
		fprintf(stderr, "  got %s:%d:%d: %s\n  expected %d:%d: %s\n",
			d->v[0].file ? d->v[0].file : "(null)", d->v[0].line,
			d->v[0].col, d->v[0].msg, line, col, msg);
		return 0;
	}
	return 1;
}

/* Parses `text` expecting one error at line:col with `msg`. */
static void expect_error(const char *text, int line, int col, const char *msg)
{
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse(text, &fm, &d), -1);
	CHECK(only_error(&d, line, col, msg));
	frontmatter_release(&fm);
	CHECK(fm.title == NULL && fm.params == NULL);
	diag_release(&d);
}

static void test_ok(void)
{
	const char *text = "---\n"
			   "title: Radio silence\n"
			   "step: 3\n"
			   "---\n"
			   "# Body\n";
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse(text, &fm, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(fm.title, "Radio silence");
	CHECK_STR(fm.summary, "");
	CHECK(fm.slug == NULL);
	CHECK_INT(fm.step, 3);
	CHECK_INT(fm.body_offset, 37);
	CHECK_STR(text + fm.body_offset, "# Body\n");
	CHECK_INT(fm.body_line, 4);
	CHECK(fm.params && json_object_object_length(fm.params) == 2);
	frontmatter_release(&fm);
	CHECK(fm.title == NULL && fm.summary == NULL && fm.params == NULL);
	diag_release(&d);
}

static void test_fields(void)
{
	const char *text = "---   \n"
			   "title: \"Accept: what happened\"\n"
			   "summary: Why it matters\n"
			   "slug: accept\n"
			   "mood: calm\n"
			   "tags: [a, b]\n"
			   "---\n";
	struct frontmatter fm;
	struct diag d;
	struct json_object *v;

	diag_init(&d);
	CHECK_INT(parse(text, &fm, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(fm.title, "Accept: what happened");
	CHECK_STR(fm.summary, "Why it matters");
	CHECK_STR(fm.slug, "accept");
	CHECK_INT(fm.step, 0);
	/* the body may be empty: the file ends after the closing line */
	CHECK_INT(fm.body_offset, strlen(text));
	CHECK_INT(fm.body_line, 7);
	/* every key stays available to templates */
	CHECK(json_object_object_get_ex(fm.params, "mood", &v) &&
	      !strcmp(json_object_get_string(v), "calm"));
	CHECK(json_object_object_get_ex(fm.params, "tags", &v) &&
	      json_object_is_type(v, json_type_array) &&
	      json_object_array_length(v) == 2);
	CHECK(json_object_object_get_ex(fm.params, "title", &v));
	frontmatter_release(&fm);
	diag_release(&d);
}

static void test_crlf(void)
{
	const char *text = "---\r\n"
			   "title: Windows\r\n"
			   "summary: line ends\r\n"
			   "---\r\n"
			   "Body\r\n";
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse(text, &fm, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(fm.title, "Windows");
	CHECK_STR(fm.summary, "line ends");
	CHECK_STR(text + fm.body_offset, "Body\r\n");
	CHECK_INT(fm.body_line, 4);
	frontmatter_release(&fm);
	diag_release(&d);
}

static void test_dots_closer(void)
{
	const char *text = "---\ntitle: T\n...\nafter\n";
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse(text, &fm, &d), 0);
	CHECK_STR(fm.title, "T");
	CHECK_STR(text + fm.body_offset, "after\n");
	CHECK_INT(fm.body_line, 3);
	frontmatter_release(&fm);

	/* a line that only starts with --- does not close the block */
	text = "---\ntitle: T\n----\n---\nbody\n";
	CHECK_INT(parse(text, &fm, &d), -1);
	frontmatter_release(&fm);
	CHECK_INT(d.n, 1);
	diag_release(&d);
}

static void test_scalar_title(void)
{
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("---\ntitle: 1984\n---\n", &fm, &d), 0);
	CHECK_STR(fm.title, "1984");
	frontmatter_release(&fm);
	CHECK_INT(d.n, 0);
	diag_release(&d);
}

/* A title that YAML reads as a number keeps its text. */
static void test_number_title(void)
{
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("---\ntitle: 3.10\nsummary: 0.1\n---\n", &fm, &d), 0);
	CHECK_STR(fm.title, "3.10");
	CHECK_STR(fm.summary, "0.1");
	frontmatter_release(&fm);
	CHECK_INT(parse("---\ntitle: 007\n---\n", &fm, &d), 0);
	CHECK_STR(fm.title, "007");
	frontmatter_release(&fm);
	CHECK_INT(d.n, 0);
	diag_release(&d);
}

/* Front matter is optional (mdBook's chapters have none) and so is its
 * title: the loader then takes the list's or the first heading's. */
static void test_optional(void)
{
	static const char *const texts[] = { "# Just Markdown\n", "",
					     "\n---\ntitle: T\n---\n" };
	struct frontmatter fm;
	struct diag d;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		diag_init(&d);
		CHECK_INT(parse(texts[i], &fm, &d), 0);
		CHECK_INT(d.n, 0);
		CHECK(fm.title == NULL);
		CHECK_INT(fm.body_offset, 0);
		CHECK_INT(fm.body_line, 0);
		CHECK_STR(fm.summary, "");
		frontmatter_release(&fm);
		diag_release(&d);
	}
	diag_init(&d);
	CHECK_INT(parse("---\nsummary: S\n---\nbody\n", &fm, &d), 0);
	CHECK(fm.title == NULL);
	CHECK_STR(fm.summary, "S");
	frontmatter_release(&fm);
	diag_release(&d);
}

static void test_errors(void)
{
	expect_error("\xEF\xBB\xBF---\ntitle: T\n---\n", 1, 1,
		     "byte order mark before front matter; save the file as "
		     "UTF-8 without BOM");
	expect_error("---\ntitle: T\nbody without a closing line\n", 1, 1,
		     "unterminated front matter: no closing '---' line");
	expect_error("---", 1, 1,
		     "unterminated front matter: no closing '---' line");
	/* YAML errors are reported at their file line */
	expect_error("---\ntitle: T\nlist: [a, b\nmore: x\n---\n", 4, 5,
		     "invalid YAML: did not find expected ',' or ']' while "
		     "parsing a flow sequence");
	expect_error("---\ntitle: T\n  bad: indent\n---\n", 3, 6,
		     "invalid YAML: mapping values are not allowed in this "
		     "context");
	expect_error("---\n- a\n- b\n---\n", 2, 1,
		     "front matter must be a mapping of keys to values");
	expect_error("---\njust words\n---\n", 2, 1,
		     "front matter must be a mapping of keys to values");
	expect_error("---\ntitle: T\nsummary: S\nstep: 0\n---\n", 4, 1,
		     "'step' must be a positive whole number");
	expect_error("---\ntitle: T\nstep: -2\n---\n", 3, 1,
		     "'step' must be a positive whole number");
	expect_error("---\ntitle: T\nstep: 2.5\n---\n", 3, 1,
		     "'step' must be a positive whole number");
	expect_error("---\nstep: two\ntitle: T\n---\n", 2, 1,
		     "'step' must be a positive whole number");
	expect_error("---\ntitle: T\nstep: \"3\"\n---\n", 3, 1,
		     "'step' must be a positive whole number");
	expect_error("---\ntitle: T\n\n\nstep: 1000001\n---\n", 5, 1,
		     "'step' must be a positive whole number");
}

static void test_step_bounds(void)
{
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("---\ntitle: T\nstep: 1000000\n---\n", &fm, &d), 0);
	CHECK_INT(fm.step, 1000000);
	frontmatter_release(&fm);
	CHECK_INT(parse("---\ntitle: T\nstep: 1\n---\n", &fm, &d), 0);
	CHECK_INT(fm.step, 1);
	frontmatter_release(&fm);
	CHECK_INT(parse("---\ntitle: T\nstep:\n---\n", &fm, &d), 0);
	CHECK_INT(fm.step, 0);
	frontmatter_release(&fm);
	CHECK_INT(d.n, 0);
	diag_release(&d);
}

/* language: a BCP 47 tag, its error at the value */
static void test_language(void)
{
	struct frontmatter fm;
	struct diag d;

	diag_init(&d);
	CHECK_INT(parse("---\ntitle: A\nlanguage: ar-EG\n---\nx\n", &fm, &d),
		  0);
	CHECK_INT(d.n, 0);
	frontmatter_release(&fm);
	diag_release(&d);
	expect_error("---\ntitle: A\nstep: 2\nlanguage:  Hebrew\n---\nx\n", 4,
		     12,
		     "invalid language 'Hebrew': not a BCP 47 tag; did you "
		     "mean 'he'?");
	expect_error("---\ntitle: A\nlanguage: [fr]\n---\nx\n", 3, 11,
		     "'language' must be a BCP 47 tag such as 'en'");
}

int main(void)
{
	RUN(test_ok);
	RUN(test_fields);
	RUN(test_crlf);
	RUN(test_dots_closer);
	RUN(test_scalar_title);
	RUN(test_number_title);
	RUN(test_optional);
	RUN(test_errors);
	RUN(test_step_bounds);
	RUN(test_language);
	return harness_done();
}
