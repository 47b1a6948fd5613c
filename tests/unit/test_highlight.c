#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "code_lines.h"
#include "highlight.h"
#include "highlight_class.h"
#include "ts_query_image.h"
#include "xalloc.h"

const TSLanguage *tree_sitter_c(void);

/* Highlights `code` in `lang` into a string of the caller's; *errors
 * gets highlight_code()'s result. */
static char *hl(const char *lang, const char *code, int *errors)
{
	struct highlighter *h = highlighter_new();
	struct buf b = BUF_INIT;
	int e = highlight_code(h, lang, code, strlen(code), &b);

	if (errors)
		*errors = e;
	highlighter_free(h);
	return buf_detach(&b, NULL);
}

/* Whether `s` holds `what`. */
static int has(const char *s, const char *what)
{
	return strstr(s, what) != NULL;
}

/* `markup` without its tags, entities as they are. */
static char *strip_tags(const char *markup)
{
	struct buf b = BUF_INIT;
	int in_tag = 0;

	for (; *markup; markup++) {
		if (*markup == '<')
			in_tag = 1;
		else if (*markup == '>' && in_tag)
			in_tag = 0;
		else if (!in_tag)
			buf_addch(&b, *markup);
	}
	return buf_detach(&b, NULL);
}

static void test_languages_and_aliases(void)
{
	CHECK_STR(highlight_language("python"), "python");
	CHECK_STR(highlight_language("py"), "python");
	CHECK_STR(highlight_language("Python {hl_lines=\"2\"}"), "python");
	CHECK_STR(highlight_language("js"), "javascript");
	CHECK_STR(highlight_language("ts"), "typescript");
	CHECK_STR(highlight_language("sh"), "bash");
	CHECK_STR(highlight_language("shell"), "bash");
	CHECK_STR(highlight_language("console"), "console");
	CHECK_STR(highlight_language("yml"), "yaml");
	CHECK_STR(highlight_language("c++"), "cpp");
	CHECK(highlight_language("quiz") == NULL);
	CHECK(highlight_language("brainfuck") == NULL);
	CHECK(highlight_language("") == NULL);
	CHECK(highlight_language(NULL) == NULL);
	CHECK(highlight_language("averyveryverylongname") == NULL);
}

/* Every grammar's ABI is one the runtime accepts, and its queries
 * compile against it. */
static void test_grammars_abi_and_queries(void)
{
	unsigned min, max;
	size_t i;

	highlight_abi_range(&min, &max);
	CHECK(min <= max);
	CHECK_INT(highlight_n_grammars(), 13);
	for (i = 0; i < highlight_n_grammars(); i++) {
		unsigned abi = highlight_grammar_abi(i), at;
		const char *name = highlight_grammar_name(i);
		if (abi < min || abi > max)
			fprintf(stderr, "grammar %s: ABI %u not in %u-%u\n",
				name, abi, min, max);
		CHECK(abi >= min && abi <= max);
		if (highlight_grammar_check(i, &at))
			fprintf(stderr, "grammar %s: query error at %u\n", name,
				at);
		CHECK_INT(highlight_grammar_check(i, &at), 0);
		CHECK_STR(highlight_language(name), name);
	}
}

/* The queries compiled in ahead are what this build's runtime compiles
 * from this build's query files, and a build takes them: a query file
 * changed without its image made again would fail here. */
static void test_query_images(void)
{
	size_t i, k;

	CHECK_INT(highlight_images_count, highlight_n_grammars());
	for (i = 0; i < highlight_n_grammars(); i++) {
		const char *name = highlight_grammar_name(i);
		unsigned char *image = NULL;
		uint64_t key = 0;
		size_t len = 0;
		CHECK_INT(highlight_query_image(i, &key, &image, &len), 0);
		for (k = 0; k < highlight_images_count; k++)
			if (!strcmp(highlight_images[k].name, name))
				break;
		CHECK(k < highlight_images_count);
		if (k < highlight_images_count) {
			CHECK(highlight_images[k].key == key);
			CHECK_INT(highlight_images[k].len, len);
			CHECK(highlight_images[k].len == len &&
			      !memcmp(highlight_images[k].data, image, len));
		}
		if (!highlight_grammar_ahead(i))
			fprintf(stderr, "grammar %s: query compiled again\n",
				name);
		CHECK(highlight_grammar_ahead(i));
		free(image);
	}
	CHECK(!highlight_grammar_ahead(highlight_n_grammars()));
}

/* An image read back gives the same bytes; bytes that are not an image
 * give no query. */
static void test_query_image_bytes(void)
{
	unsigned char *image, *again, *bad;
	uint64_t key;
	size_t len, again_len, c = 0;
	TSQuery *q;

	while (strcmp(highlight_grammar_name(c), "c"))
		c++;
	CHECK_INT(highlight_query_image(c, &key, &image, &len), 0);
	q = ts_query_from_image(tree_sitter_c(), image, len);
	CHECK(q != NULL);
	if (!q)
		return;
	CHECK(ts_query_pattern_count(q) > 10);
	again_len = ts_query_image(q, &again);
	CHECK_INT(again_len, len);
	CHECK(again_len == len && !memcmp(again, image, len));
	ts_query_delete(q);
	free(again);

	CHECK(ts_query_from_image(tree_sitter_c(), image, len - 1) == NULL);
	CHECK(ts_query_from_image(tree_sitter_c(), image, 0) == NULL);
	CHECK(ts_query_from_image(NULL, image, len) == NULL);
	bad = malloc(len + 1);
	memcpy(bad, image, len);
	bad[len] = 0;
	CHECK(ts_query_from_image(tree_sitter_c(), bad, len + 1) == NULL);
	bad[0] ^= 1; /* another layout */
	CHECK(ts_query_from_image(tree_sitter_c(), bad, len) == NULL);
	bad[0] ^= 1;
	/* every 7th byte damaged in turn: no image read back may crash
	 * (ASan and valgrind check the reads in CI) */
	for (size_t i = 0; i < len; i += 7) {
		TSQuery *r;
		bad[i] ^= 0x5a;
		r = ts_query_from_image(tree_sitter_c(), bad, len);
		ts_query_delete(r);
		bad[i] ^= 0x5a;
	}
	free(bad);
	free(image);
}

/* One sample per language and the classes it must give: the markup's
 * text is the code, escaped, and the span named is there. */
static const struct {
	const char *lang, *code, *want;
} samples[] = {
	{ "bash", "echo \"hi\" # x\n", "<span class=\"s\">\"hi\"" },
	{ "bash", "if true; then :; fi\n", "<span class=\"k\">if" },
	{ "c", "int main(void) { return 0; }\n", "<span class=\"k\">return" },
	{ "c", "/* note */ int x;\n", "<span class=\"c\">/* note */" },
	{ "cpp", "class A { public: int x; };\n", "<span class=\"k\">class" },
	{ "css", "a { color: red; }\n", "<span class=\"py\">color" },
	{ "go", "package main\nfunc main() {}\n", "<span class=\"k\">func" },
	/* Go's file puts its general patterns last: they must not win */
	{ "go", "package main\nfunc main() {}\n", "<span class=\"nf\">main" },
	{ "html", "<p class=\"x\">hi</p>\n", "<span class=\"nt\">p" },
	{ "html", "<p class=\"x\">hi</p>\n", "<span class=\"na\">class" },
	{ "java", "class A { void f() { return; } }\n",
	  "<span class=\"k\">class" },
	{ "javascript", "const x = 42; // c\n", "<span class=\"m\">42" },
	{ "javascript", "const x = 42; // c\n", "<span class=\"c\">// c" },
	{ "json", "{\"a\": [1, true, null]}\n", "<span class=\"m\">1" },
	{ "json", "{\"a\": [1, true, null]}\n", "<span class=\"kc\">true" },
	{ "python", "def f(x):\n    return \"s\"\n", "<span class=\"nf\">f" },
	{ "python", "def f(x):\n    return \"s\"\n",
	  "<span class=\"s\">\"s\"" },
	{ "python", "MAX = 1\n", "<span class=\"kc\">MAX" },
	{ "rust", "fn main() { let s = \"x\"; }\n", "<span class=\"k\">fn" },
	{ "typescript", "let n: number = 1;\n", "<span class=\"kt\">number" },
	{ "typescript", "interface A { b: string }\n",
	  "<span class=\"k\">interface" },
	{ "yaml", "key: value # c\n", "<span class=\"py\">key" },
	{ "yaml", "key: value # c\n", "<span class=\"c\"># c" },
};

static void test_each_language(void)
{
	size_t i;

	for (i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		int errors = -1;
		char *got = hl(samples[i].lang, samples[i].code, &errors);
		char *text = strip_tags(got);
		int ok = has(got, samples[i].want) && errors == 0;
		if (!ok)
			fprintf(stderr, "%s: %s\n  got: %s\n  want: %s\n",
				samples[i].lang, samples[i].code, got,
				samples[i].want);
		CHECK(ok);
		/* the text is the code, escaped: nothing added or lost */
		CHECK(!has(text, "<") && !has(text, ">"));
		free(text);
		free(got);
	}
}

static void test_escaping(void)
{
	char *got = hl("html", "<a href=\"x&amp;y\">a < b & c</a>\n", NULL);
	char *text = strip_tags(got);

	CHECK_STR(text,
		  "&lt;a href=\"x&amp;amp;y\"&gt;a &lt; b &amp; c&lt;/a&gt;\n");
	free(text);
	free(got);
	/* the EPUB's marks and characters XML cannot hold */
	got = hl("c", "int x; // \xEE\x80\x90 \x01\n", NULL);
	CHECK(has(got, "&#xE010;"));
	CHECK(!has(got, "\x01"));
	free(got);
}

/* A syntax error: the code is all there, the error's region plain, the
 * rest still coloured. */
static void test_parse_error(void)
{
	int errors = 0;
	char *got = hl("python", "def broken(:\n    pass\nx = 1\n", &errors);
	char *text = strip_tags(got);

	CHECK_INT(errors, 1);
	CHECK_STR(text, "def broken(:\n    pass\nx = 1\n");
	CHECK(has(got, "<span class=\"m\">1</span>"));
	CHECK(has(got, "broken</span>(:\n"));
	free(text);
	free(got);
}

static void test_console(void)
{
	char *got = hl("console",
		       "$ ls -la \\\n  /tmp\ntotal 0\n$ echo \"hi\"\nhi\n",
		       NULL);
	char *text = strip_tags(got);

	CHECK_STR(text, "$ ls -la \\\n  /tmp\ntotal 0\n$ echo \"hi\"\nhi\n");
	/* two prompts, each command (with its continuation) in hl-cmd */
	CHECK(has(got, "<span class=\"hl-prompt\">$ </span>"
		       "<span class=\"hl-cmd\"><span class=\"nf\">ls"));
	CHECK(has(got, "/tmp</span>\ntotal 0\n"));
	CHECK(has(got, "<span class=\"hl-prompt\">$ </span>"
		       "<span class=\"hl-cmd\"><span class=\"nf\">"
		       "echo</span> <span class=\"s\">\"hi\"</span>"
		       "</span>\nhi\n"));
	free(text);
	free(got);
	/* output only, and a "$" not followed by a space */
	got = hl("console", "$HOME\nplain\n", NULL);
	CHECK_STR(got, "$HOME\nplain\n");
	free(got);
}

/* The EPUB's markup of `html` (highlight_markup_epub()), a string of the
 * caller's. */
static char *epub_markup(const char *html)
{
	struct buf b = BUF_INIT;

	highlight_markup_epub(html, strlen(html), &b);
	return buf_detach(&b, NULL);
}

/* Whether `s` holds the opening tag of class `cls`'s span. */
static int has_span(const char *s, enum highlight_class cls)
{
	return has(s, highlight_class_open[cls]);
}

static void test_epub_markup(void)
{
	static const char js[] = "const total = items.reduce((a, b) => a + b);\n"
				 "/* a comment\n   on two lines */\n";
	char *site = hl("javascript", js, NULL), *epub = epub_markup(site);
	char *text = strip_tags(epub);
	struct code_lines cl = { 1, 1, NULL, 0 };
	struct buf lines = BUF_INIT;

	/* variables lose their spans, and nothing else */
	CHECK(has_span(site, HIGHLIGHT_CLASS_VARIABLE));
	CHECK(!has_span(epub, HIGHLIGHT_CLASS_VARIABLE));
	CHECK_STR(text, "const total = items.reduce((a, b) =&gt; a + b);\n"
			"/* a comment\n   on two lines */\n");
	CHECK(has(epub, "<span class=\"k\">const</span> total "
			"<span class=\"o\">=</span> items."
			"<span class=\"nf\">reduce</span>((a, b) "));
	CHECK(has(epub, "<span class=\"c\">/* a comment\n   on two lines "
			"*/</span>"));
	free(text);
	free(epub);
	/* a span cut at each line end by numbered lines: every piece goes,
	 * and the lines' own spans stay */
	free(site);
	site = xstrdup("<span class=\"nv\">a\nb</span> <span class=\"k\">"
		       "if</span>\n");
	code_lines_wrap(site, strlen(site), &cl, &lines);
	epub = epub_markup(lines.ptr);
	CHECK(has(lines.ptr, "<span class=\"nv\">a</span>\n</span>"
			     "<span class=\"line\"><span class=\"ln\" "
			     "data-ln=\"2\" aria-hidden=\"true\"></span>"
			     "<span class=\"nv\">b</span>"));
	CHECK_STR(epub, "<span class=\"line\"><span class=\"ln\" "
			"data-ln=\"1\" aria-hidden=\"true\"></span>a\n"
			"</span><span class=\"line\"><span class=\"ln\" "
			"data-ln=\"2\" aria-hidden=\"true\"></span>b "
			"<span class=\"k\">if</span>\n</span>");
	free(epub);
	buf_release(&lines);
	/* a console's prompts and commands keep their spans */
	free(site);
	site = hl("console", "$ echo \"$HOME\"\nhi\n", NULL);
	epub = epub_markup(site);
	CHECK(has(epub,
		  "<span class=\"hl-prompt\">$ </span>"
		  "<span class=\"hl-cmd\"><span class=\"nf\">echo</span>"));
	text = strip_tags(epub);
	CHECK_STR(text, "$ echo \"$HOME\"\nhi\n");
	free(text);
	free(epub);
	/* markup it did not make (an opening tag with no </span>) stays */
	epub = epub_markup("<span class=\"nv\">(");
	CHECK_STR(epub, "<span class=\"nv\">(");
	free(epub);
	free(site);
}

/* Punctuation has no span in either output: it keeps the text's colour,
 * also inside a node an outer capture colours (a template string's ${). */
static void test_punctuation_plain(void)
{
	char *got = hl("javascript", "const s = `a${b}c`;\nf(x, [1, 2]);\n",
		       NULL);

	CHECK(!has(got, "class=\"p\""));
	CHECK(has(got, "<span class=\"s\">`a</span>${<span class=\"nv\">b"
		       "</span>}<span class=\"s\">c`</span>;\n"));
	CHECK(has(got, "<span class=\"nf\">f</span>(<span class=\"nv\">x"
		       "</span>, [<span class=\"m\">1</span>, "
		       "<span class=\"m\">2</span>]);\n"));
	free(got);
}

/* A block of more spans than the insertion sort takes (highlight.c's
 * HL_INSERTION_MAX) is coloured as each of its lines alone: the spans of
 * one node (f, a function and an identifier) still painted in pattern
 * order. */
static void test_many_spans(void)
{
	struct buf code = BUF_INIT, want = BUF_INIT;
	char *one = hl("javascript", "f(a);\n", NULL), *got;
	int i;

	CHECK_STR(one, "<span class=\"nf\">f</span>(<span class=\"nv\">a"
		       "</span>);\n");
	for (i = 0; i < 300; i++) {
		buf_adds(&code, "f(a);\n");
		buf_adds(&want, one);
	}
	got = hl("javascript", code.ptr, NULL);
	CHECK_STR(got, want.ptr);
	free(got);
	free(one);
	buf_release(&code);
	buf_release(&want);
}

static void test_plain_when_too_long_or_empty(void)
{
	size_t n = HIGHLIGHT_MAX_BYTES + 1;
	char *big = malloc(n + 1), *got;

	memset(big, 'x', n);
	big[n] = '\0';
	got = hl("python", big, NULL);
	CHECK(!has(got, "<span"));
	CHECK_INT(strlen(got), n);
	free(got);
	free(big);
	got = hl("python", "", NULL);
	CHECK_STR(got, "");
	free(got);
}

int main(void)
{
	RUN(test_languages_and_aliases);
	RUN(test_grammars_abi_and_queries);
	RUN(test_query_images);
	RUN(test_query_image_bytes);
	RUN(test_each_language);
	RUN(test_escaping);
	RUN(test_parse_error);
	RUN(test_console);
	RUN(test_epub_markup);
	RUN(test_punctuation_plain);
	RUN(test_many_spans);
	RUN(test_plain_when_too_long_or_empty);
	return harness_done();
}
