/* Unit tests for search_index: sections per h2/h3 with the chapter's
 * introduction first, hrefs and ids, the text of every kind of block
 * (quiz questions in, their answers out; footnotes at the end of the
 * section that cites them), the text limit with the `more` words, escaping
 * for a <script> context, and byte-identical output across builds. Books
 * are written into a temporary folder and loaded with site_load(). */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "diag.h"
#include "utf8.h"
#include "fixture.h"
#include "harness.h"
#include "markdown.h"
#include "search_index.h"
#include "site.h"
#include "site_load.h"

/* Chapter i's entry, made from its tree as the build makes it (the
 * caller's). */
static char *entry(const struct site *s, size_t i)
{
	struct buf b = BUF_INIT;

	search_index_chapter(&s->chapters[i], &b);
	return buf_detach(&b, NULL);
}

struct part_entries {
	const struct site *s;
	size_t first;
};

static void put_entry(void *arg, size_t i, struct buf *out)
{
	const struct part_entries *pe = arg;
	char *e = entry(pe->s, pe->first + i);

	buf_adds(out, e);
	free(e);
}

/* File `part` of the index of `s`, as the site writer makes it. */
static void build_part(const struct site *s, size_t part, struct buf *out,
		       uint64_t *at)
{
	struct part_entries pe;

	pe.s = s;
	search_index_part_chapters(s, part, &pe.first);
	search_index_build_part(s, part, put_entry, &pe, 0, out, at);
}

static void build(const struct site *s, struct buf *out, uint64_t *at)
{
	build_part(s, 0, out, at);
}

/* Writes a content folder from NULL-terminated (name, text) pairs and
 * loads it into `s`. */
static int load(struct site *s, const char *const *files)
{
	struct diag d;
	int r;

	diag_init(&d);
	r = fixture_load(s, &d, files);
	if (r < 0)
		diag_print(&d, stderr);
	diag_release(&d);
	return r;
}

/* Parses the JSON inside search-index.js; NULL (and a failed check) when
 * the script does not have the expected shape. */
static struct json_object *parse(const struct buf *js)
{
	size_t pre = strlen(SEARCH_INDEX_PREFIX);
	struct json_object *root;
	char *json;

	CHECK(js->len > pre + 2);
	if (js->len <= pre + 2)
		return NULL;
	CHECK(!strncmp(js->ptr, SEARCH_INDEX_PREFIX, pre));
	CHECK(!strcmp(js->ptr + js->len - 2, ";\n"));
	json = strndup(js->ptr + pre, js->len - pre - 2);
	root = json_tokener_parse(json);
	free(json);
	CHECK(root != NULL);
	return root;
}

static struct json_object *chapter_at(struct json_object *root, size_t ci)
{
	struct json_object *chapters = NULL;

	if (!root || !json_object_object_get_ex(root, "chapters", &chapters))
		return NULL;
	return json_object_array_get_idx(chapters, ci);
}

static size_t n_sections(struct json_object *root, size_t ci)
{
	struct json_object *ch = chapter_at(root, ci);

	return ch ? json_object_array_length(json_object_array_get_idx(ch, 2))
		  : 0;
}

static struct json_object *section_at(struct json_object *root, size_t ci,
				      size_t si)
{
	struct json_object *ch = chapter_at(root, ci);

	return ch ? json_object_array_get_idx(json_object_array_get_idx(ch, 2),
					      si)
		  : NULL;
}

/* Field `f` of section `si` of chapter `ci` (0 id, 1 heading, 2 text,
 * 3 more), or NULL. */
static const char *field(struct json_object *root, size_t ci, size_t si,
			 size_t f)
{
	struct json_object *e = json_object_array_get_idx(section_at(root, ci,
								     si),
							  f);

	return e ? json_object_get_string(e) : NULL;
}

static const char *chapter_field(struct json_object *root, size_t ci, size_t f)
{
	struct json_object *e = json_object_array_get_idx(chapter_at(root, ci),
							  f);

	return e ? json_object_get_string(e) : NULL;
}

static const char book_yml[] = "title: T\nchapters: [a.md, b.md]\n";

static const char chapter_a[] = "---\n"
				"title: Caf\xC3\xA9 & \"Cr\xC3\xA8me\"\n"
				"summary: The summary.\n"
				"---\n"
				"\n"
				"Intro *text* with `code`.\n"
				"\n"
				"## First part\n"
				"\n"
				"Para\none.\n"
				"\n"
				"- item one\n"
				"- [ ] a task to do\n"
				"\n"
				"| H1 | H2 |\n"
				"|----|----|\n"
				"| cell a | cell b |\n"
				"\n"
				"> [!TIP]\n"
				"> A tip here.\n"
				"\n"
				"#### Deep heading\n"
				"\n"
				"Deep text ![an image](pic.png).\n"
				"\n"
				"### Sub part {#sub}\n"
				"\n"
				"Sub text.[^n]\n"
				"\n"
				"```quiz\n"
				"? What is **this** question & more?\n"
				"- [x] Right answer secret\n"
				"- [ ] Wrong choice\n"
				"> Explanation secret\n"
				"```\n"
				"\n"
				"## Code\n"
				"\n"
				"```sh\n"
				"make   all\n"
				"  run\n"
				"```\n"
				"\n"
				"Bad </script><!-- x --> text <b>.\n"
				"\n"
				"[^n]: The note text.\n";

static const char chapter_b[] = "---\n"
				"title: B\n"
				"---\n"
				"\n"
				"## Straight in\n"
				"\n"
				"Only text.\n";

static const char *const book[] = {
	"book.yml", book_yml,  "a.md", chapter_a, "b.md",
	chapter_b,  "pic.png", "png",  NULL,
};

static void test_sections(void)
{
	struct site s;
	struct buf js = BUF_INIT;
	struct json_object *root, *v = NULL;

	CHECK_INT(load(&s, book), 0);
	build(&s, &js, NULL);
	root = parse(&js);
	CHECK(root && json_object_object_get_ex(root, "v", &v) &&
	      json_object_get_int(v) == SEARCH_INDEX_VERSION);
	CHECK_INT(json_object_array_length(
			  json_object_array_get_idx(chapter_at(root, 0), 2)),
		  4);
	CHECK_STR(chapter_field(root, 0, 0), "Caf\xC3\xA9 & \"Cr\xC3\xA8me\"");
	CHECK_STR(chapter_field(root, 0, 1), "a.html");

	/* the introduction: summary, then the text before the first h2 */
	CHECK_STR(field(root, 0, 0, 0), "");
	CHECK_STR(field(root, 0, 0, 1), "");
	CHECK_STR(field(root, 0, 0, 2), "The summary. Intro text with code.");
	CHECK(field(root, 0, 0, 3) == NULL);

	/* paragraphs, list and task items, table cells, a callout (without
	 * its label), an h4 and an image's description stay in the h2 */
	CHECK_STR(field(root, 0, 1, 0), "first-part");
	CHECK_STR(field(root, 0, 1, 1), "First part");
	CHECK_STR(field(root, 0, 1, 2),
		  "Para one. item one a task to do H1 H2 cell a cell b "
		  "A tip here. Deep heading Deep text an image.");

	/* an h3 with an explicit id; the quiz's question but not its answers;
	 * the footnote at the end of the section that cites it */
	CHECK_STR(field(root, 0, 2, 0), "sub");
	CHECK_STR(field(root, 0, 2, 1), "Sub part");
	CHECK_STR(field(root, 0, 2, 2),
		  "Sub text. What is this question & more? The note text.");

	/* code blocks with their white space made single spaces (the sh
	 * block is highlighted: its text, not the spans); raw HTML (not
	 * allowed by this book) is text */
	CHECK_STR(field(root, 0, 3, 0), "code");
	CHECK_STR(field(root, 0, 3, 2),
		  "make all run Bad </script><!-- x --> text <b>.");

	/* a chapter that starts with a heading has an empty introduction */
	CHECK_INT(n_sections(root, 1), 2);
	CHECK_STR(chapter_field(root, 1, 0), "B");
	CHECK_STR(chapter_field(root, 1, 1), "b.html");
	CHECK_STR(field(root, 1, 0, 0), "");
	CHECK_STR(field(root, 1, 0, 2), "");
	CHECK_STR(field(root, 1, 1, 0), "straight-in");
	CHECK_STR(field(root, 1, 1, 1), "Straight in");
	CHECK_STR(field(root, 1, 1, 2), "Only text.");

	CHECK(!strstr(js.ptr, "secret"));
	json_object_put(root);
	buf_release(&js);
	site_release(&s);
}

/* Nothing in the file can close a <script> element or open a comment. */
static void test_script_safe(void)
{
	static const char *const files[] = {
		"book.yml",
		"title: T\n",
		"a.md",
		"---\ntitle: \"</script><script>alert(1)</script>\"\n---\n\n"
		"## A <!-- b --> c\n\n"
		"x </SCRIPT > y \xE2\x80\xA8 z \xE2\x80\xA9 w \\ / `\"q\"`\n",
		NULL,
	};
	struct site s;
	struct buf js = BUF_INIT;
	struct json_object *root;

	CHECK_INT(load(&s, files), 0);
	{
		/* where the entry is said to start, it starts */
		uint64_t at[2] = { 0, 0 };
		struct buf again = BUF_INIT;
		char *e0 = entry(&s, 0);
		build(&s, &again, at);
		CHECK(at[0] > 0 && at[1] < again.len &&
		      at[1] - at[0] == strlen(e0) &&
		      !strncmp(again.ptr + at[0], e0, strlen(e0)));
		free(e0);
		buf_release(&again);
	}
	build(&s, &js, NULL);
	CHECK(!memchr(js.ptr, '<', js.len));
	CHECK(!strstr(js.ptr, "\xE2\x80\xA8"));
	CHECK(!strstr(js.ptr, "\xE2\x80\xA9"));
	CHECK(strstr(js.ptr, "\\u003c/script>\\u003cscript>") != NULL);
	CHECK(strstr(js.ptr, "\\u2028") && strstr(js.ptr, "\\u2029"));
	root = parse(&js);
	CHECK_STR(chapter_field(root, 0, 0),
		  "</script><script>alert(1)</script>");
	CHECK_STR(field(root, 0, 1, 1), "A <!-- b --> c");
	CHECK_STR(field(root, 0, 1, 2),
		  "x </SCRIPT > y \xE2\x80\xA8 z \xE2\x80\xA9 w \\ / \"q\"");
	json_object_put(root);
	buf_release(&js);
	site_release(&s);
}

/* A section longer than SEARCH_TEXT_MAX: the text is cut at a word, the
 * rest's new words are kept in `more`. */
static void test_long_section(void)
{
	struct buf md = BUF_INIT, js = BUF_INIT;
	const char *files[] = { "book.yml", "title: T\n", "a.md", NULL, NULL };
	struct site s;
	struct json_object *root;
	const char *text, *more;
	size_t i, len;

	buf_adds(&md, "---\ntitle: A\n---\n\n## Long\n\n");
	for (i = 0; md.len < 2 * SEARCH_TEXT_MAX; i++)
		buf_addf(&md, "alpha%zu beta ", i % 50);
	buf_adds(&md, "zebra Zebra quokka\n\nalpha7 BETA the-end.\n\n");
	/* one word longer than the limit, made of 2-byte characters */
	buf_adds(&md, "## Word\n\n");
	for (i = 0; i < SEARCH_TEXT_MAX; i++)
		buf_adds(&md, "\xC3\xA9");
	buf_adds(&md, "\n");
	files[3] = md.ptr;
	CHECK_INT(load(&s, files), 0);
	build(&s, &js, NULL);
	root = parse(&js);

	text = field(root, 0, 1, 2);
	more = field(root, 0, 1, 3);
	CHECK(text && strlen(text) <= SEARCH_TEXT_MAX);
	CHECK(text && strlen(text) > SEARCH_TEXT_MAX - 20);
	CHECK(text && !strncmp(text, "alpha0 beta alpha1 beta ", 24));
	CHECK(text && text[strlen(text) - 1] != ' ');
	CHECK(text &&
	      !strncmp(md.ptr + strlen("---\ntitle: A\n---\n\n## Long\n\n") +
			       strlen(text),
		       " ", 1));
	CHECK_STR(more, "zebra quokka the end");

	text = field(root, 0, 2, 2);
	len = text ? strlen(text) : 0;
	CHECK(len <= SEARCH_TEXT_MAX && len >= SEARCH_TEXT_MAX - 1);
	CHECK(text && utf8_valid(text, len, NULL));
	CHECK_STR(field(root, 0, 2, 3), "");

	json_object_put(root);
	buf_release(&js);
	buf_release(&md);
	site_release(&s);
}

/* The same book gives the same bytes, built twice or loaded twice. */
static void test_deterministic(void)
{
	struct site s1, s2;
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;

	CHECK_INT(load(&s1, book), 0);
	CHECK_INT(load(&s2, book), 0);
	build(&s1, &a, NULL);
	build(&s1, &b, NULL);
	build(&s2, &c, NULL);
	CHECK(a.len > 0 && a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	CHECK(a.len == c.len && !memcmp(a.ptr, c.ptr, a.len));
	CHECK(utf8_valid(a.ptr, a.len, NULL));
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	site_release(&s1);
	site_release(&s2);
}

/* A book of 250 chapters has its index in three files, of 100, 100 and
 * 50 chapters: the first names the others, each is a script of its own,
 * and their chapters in order are the book's, each built as in a book of
 * one file. */
static void test_parts(void)
{
	enum { N = 250 };
	const char **files = calloc(2 * N + 3, sizeof(*files));
	char *texts[N + 1];
	struct site s;
	struct buf yml = BUF_INIT, js = BUF_INIT, one = BUF_INIT;
	struct json_object *root, *parts;
	size_t i, k = 0, seen = 0;

	buf_adds(&yml, "title: Many\nchapters:\n");
	for (i = 0; i < N; i++)
		buf_addf(&yml, "  - c%03zu.md\n", i);
	files[k++] = "book.yml";
	files[k++] = yml.ptr;
	for (i = 0; i < N; i++) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "c%03zu.md", i);
		texts[i] = buf_detach(&b, NULL);
		buf_addf(&b,
			 "---\ntitle: Chapter %zu\n---\n\n## Part %zu\n\n"
			 "Word%zu here.\n",
			 i, i, i);
		files[k++] = texts[i];
		files[k++] = buf_detach(&b, NULL);
	}
	files[k] = NULL;
	CHECK_INT(load(&s, files), 0);
	CHECK_INT(search_index_parts(&s), 3);
	search_index_part_name(2, &one);
	CHECK_STR(one.ptr, "search-index-3.js");
	buf_reset(&one);

	build_part(&s, 0, &js, NULL);
	root = parse(&js);
	parts = root ? json_object_object_get(root, "parts") : NULL;
	CHECK(parts && json_object_array_length(parts) == 2);
	if (parts && json_object_array_length(parts) == 2) {
		CHECK_STR(json_object_get_string(
				  json_object_array_get_idx(parts, 0)),
			  "search-index-2.js");
		CHECK_STR(json_object_get_string(
				  json_object_array_get_idx(parts, 1)),
			  "search-index-3.js");
	}
	CHECK_INT(json_object_array_length(
			  json_object_object_get(root, "chapters")),
		  100);
	json_object_put(root);
	for (k = 0; k < 3; k++) {
		size_t pre;
		struct json_object *part, *chapters;
		char *json, *want;
		buf_reset(&js);
		buf_reset(&one);
		build_part(&s, k, &js, NULL);
		if (k == 0) {
			pre = strlen(SEARCH_INDEX_PREFIX);
		} else {
			/* the prefix, then ["its name"] = */
			search_index_part_name(k, &one);
			pre = strlen(SEARCH_PARTS_PREFIX) + one.len + 7;
			buf_reset(&one);
			buf_adds(&one, SEARCH_PARTS_PREFIX "[\"");
			search_index_part_name(k, &one);
			buf_adds(&one, "\"] = ");
			CHECK(!strncmp(js.ptr, one.ptr, one.len));
			CHECK_INT(pre, one.len);
		}
		json = strndup(js.ptr + pre, js.len - pre - 2);
		part = json_tokener_parse(json);
		free(json);
		CHECK(part != NULL);
		chapters = json_object_object_get(part, "chapters");
		CHECK_INT(json_object_array_length(chapters), k < 2 ? 100 : 50);
		for (i = 0; i < json_object_array_length(chapters); i++) {
			struct json_object *ch =
				json_object_array_get_idx(chapters, i);
			struct buf title = BUF_INIT;
			buf_addf(&title, "Chapter %zu", seen);
			CHECK_STR(json_object_get_string(
					  json_object_array_get_idx(ch, 0)),
				  title.ptr);
			buf_release(&title);
			/* the same entry as the chapter's own */
			want = entry(&s, seen);
			CHECK(want && strstr(js.ptr, want) != NULL);
			free(want);
			seen++;
		}
		json_object_put(part);
	}
	CHECK_INT(seen, N);
	buf_release(&js);
	buf_release(&one);
	buf_release(&yml);
	for (i = 2; files[i]; i++)
		free((char *)files[i]);
	free(files);
	site_release(&s);
}

/* A book with no chapters still gives a valid, empty index. */
static void test_empty(void)
{
	struct site s;
	struct buf js = BUF_INIT;
	struct json_object *root;

	memset(&s, 0, sizeof(s));
	build(&s, &js, NULL);
	CHECK_STR(js.ptr, SEARCH_INDEX_PREFIX "{\"v\":1,\"chapters\":[]};\n");
	root = parse(&js);
	json_object_put(root);
	buf_release(&js);
}

int main(void)
{
	markdown_init();
	RUN(test_sections);
	RUN(test_script_safe);
	RUN(test_long_section);
	RUN(test_deterministic);
	RUN(test_empty);
	RUN(test_parts);
	return harness_done();
}
