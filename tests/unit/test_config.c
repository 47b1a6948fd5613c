/* Unit tests for config: reading book.yml, the defaults, the chapters list
 * with the position of each entry, and every error with its position.
 * Writes its book.yml files into a temporary folder. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "fsutil.h"
#include "fixture.h"
#include "harness.h"

static char yml[600];

/* Writes `text` as the book.yml and loads it into `cfg`. */
static int load(const char *text, struct config *cfg, struct diag *d)
{
	struct diag wd;

	diag_init(&wd);
	CHECK_INT(fs_write_atomic(yml, text, strlen(text), NULL, &wd), 0);
	diag_release(&wd);
	return config_load(cfg, yml, "content/book.yml", d);
}

/* Whether diagnostic `i` is exactly line:col: msg in content/book.yml. */
#define diag_is(d, i, line, col, msg) \
	fixture_diag_is(d, i, "content/book.yml", line, col, msg)

/* Every string field is set to its default. */
static void check_defaults(const struct config *cfg)
{
	CHECK_STR(cfg->subtitle, "");
	CHECK_STR(cfg->author, "");
	CHECK_STR(cfg->language, "en");
	CHECK_STR(cfg->identifier, "");
	CHECK_STR(cfg->description, "");
	CHECK_STR(cfg->base_url, "");
	CHECK_STR(cfg->theme, "default");
	CHECK_STR(cfg->cover, "");
	CHECK_INT(cfg->unsafe_html, 0);
	CHECK(cfg->params != NULL);
}

static void test_all_keys(void)
{
	struct config cfg;
	struct diag d;
	struct json_object *v;

	diag_init(&d);
	CHECK_INT(load("title: After the Breakup\n"
		       "subtitle: A step-by-step guide\n"
		       "author: Sam Writer\n"
		       "language: fr\n"
		       "identifier: urn:uuid:1234\n"
		       "description: How to get through it\n"
		       "base_url: https://example.org/book/\n"
		       "theme: quiet\n"
		       "cover: images/cover.png\n"
		       "unsafe_html: true\n"
		       "extra: 7\n"
		       "chapters:\n"
		       "  - 01-intro.md\n"
		       "  - \"part 2/02-accept.md\"\n"
		       "  -   03-move-on.md\n",
		       &cfg, &d),
		  0);
	CHECK_INT(d.n, 0);
	CHECK_STR(cfg.title, "After the Breakup");
	CHECK_STR(cfg.subtitle, "A step-by-step guide");
	CHECK_STR(cfg.author, "Sam Writer");
	CHECK_STR(cfg.language, "fr");
	CHECK_STR(cfg.identifier, "urn:uuid:1234");
	CHECK_STR(cfg.description, "How to get through it");
	CHECK_STR(cfg.base_url, "https://example.org/book/");
	CHECK_STR(cfg.theme, "quiet");
	CHECK_STR(cfg.cover, "images/cover.png");
	CHECK_INT(cfg.unsafe_html, 1);
	CHECK_STR(cfg.path, "content/book.yml");
	CHECK_INT(cfg.n_chapters, 3);
	if (cfg.n_chapters == 3) {
		CHECK_STR(cfg.chapters[0].file, "01-intro.md");
		CHECK_INT(cfg.chapters[0].line, 13);
		CHECK_INT(cfg.chapters[0].col, 5);
		CHECK_STR(cfg.chapters[1].file, "part 2/02-accept.md");
		CHECK_INT(cfg.chapters[1].line, 14);
		CHECK_INT(cfg.chapters[1].col, 6);
		CHECK_STR(cfg.chapters[2].file, "03-move-on.md");
		CHECK_INT(cfg.chapters[2].line, 15);
		CHECK_INT(cfg.chapters[2].col, 7);
	}
	/* the whole file is kept for templates */
	CHECK(json_object_object_get_ex(cfg.params, "extra", &v) &&
	      json_object_get_int(v) == 7);
	config_release(&cfg);
	CHECK(cfg.title == NULL && cfg.chapters == NULL && cfg.params == NULL);
	diag_release(&d);
}

static void test_defaults(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\n", &cfg, &d), 0);
	CHECK_INT(d.n, 0);
	CHECK_STR(cfg.title, "T");
	check_defaults(&cfg);
	CHECK(cfg.chapters == NULL);
	CHECK_INT(cfg.n_chapters, 0);
	config_release(&cfg);

	/* null values count as absent; numbers read as strings */
	CHECK_INT(load("title: 2024\nlanguage:\ntheme: ~\nauthor: 3.5\n", &cfg,
		       &d),
		  0);
	CHECK_INT(d.n, 0);
	CHECK_STR(cfg.title, "2024");
	CHECK_STR(cfg.language, "en");
	CHECK_STR(cfg.theme, "default");
	CHECK_STR(cfg.author, "3.5");
	config_release(&cfg);

	CHECK_INT(load("title: T\nunsafe_html: false\n", &cfg, &d), 0);
	CHECK_INT(cfg.unsafe_html, 0);
	config_release(&cfg);
	/* an empty list is "no chapters listed", not "sort by name" */
	CHECK_INT(load("title: T\nchapters: []\n", &cfg, &d), 0);
	CHECK_INT(cfg.n_chapters, 0);
	config_release(&cfg);
	diag_release(&d);
}

static void test_missing(void)
{
	struct config cfg;
	struct diag d;
	char path[700];

	diag_init(&d);
	snprintf(path, sizeof(path), "%s/nope.yml", fixture_tmp());
	CHECK_INT(config_load(&cfg, path, NULL, &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].file, path);
		CHECK_INT(d.v[0].line, 0);
		CHECK_INT(d.v[0].col, 0);
		CHECK_STR(d.v[0].msg, "missing book.yml: a book needs a "
				      "book.yml with at least a title");
	}
	CHECK_STR(cfg.title, "");
	check_defaults(&cfg);
	config_release(&cfg);
	diag_release(&d);
}

static void test_invalid_yaml(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\nchapters: [a.md\n", &cfg, &d), -1);
	CHECK_INT(d.n, 1);
	CHECK(diag_is(&d, 0, 3, 1,
		      "invalid YAML: did not find expected ',' or ']' while "
		      "parsing a flow sequence"));
	CHECK_STR(cfg.title, "");
	check_defaults(&cfg);
	config_release(&cfg);
	diag_release(&d);
}

static void test_not_mapping(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("- title\n- T\n", &cfg, &d), -1);
	config_release(&cfg);
	CHECK_INT(load("", &cfg, &d), -1);
	CHECK_INT(d.n, 2);
	CHECK(diag_is(&d, 0, 1, 1,
		      "book.yml must be a mapping of keys to values"));
	CHECK(diag_is(&d, 1, 1, 1,
		      "book.yml must be a mapping of keys to values"));
	check_defaults(&cfg);
	config_release(&cfg);
	diag_release(&d);
}

static void test_missing_title(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("author: A\n", &cfg, &d), -1);
	config_release(&cfg);
	CHECK_INT(load("title: \"\"\n", &cfg, &d), -1);
	CHECK_INT(d.n, 2);
	CHECK(diag_is(&d, 0, 1, 1, "missing 'title' in book.yml"));
	CHECK(diag_is(&d, 1, 1, 1, "missing 'title' in book.yml"));
	config_release(&cfg);
	diag_release(&d);
}

static void test_wrong_types(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\n"
		       "author:\n"
		       "  name: A\n"
		       "language: [en, fr]\n"
		       "theme: true\n"
		       "chapters: a.md\n",
		       &cfg, &d),
		  -1);
	CHECK_INT(d.n, 4);
	CHECK(diag_is(&d, 0, 2, 1, "'author' must be a string in book.yml"));
	CHECK(diag_is(&d, 1, 4, 1, "'language' must be a string in book.yml"));
	CHECK(diag_is(&d, 2, 5, 1, "'theme' must be a string in book.yml"));
	CHECK(diag_is(&d, 3, 6, 1, "'chapters' must be a list of file names"));
	/* the fields still hold their defaults */
	CHECK_STR(cfg.author, "");
	CHECK_STR(cfg.language, "en");
	CHECK_STR(cfg.theme, "default");
	CHECK(cfg.chapters == NULL);
	config_release(&cfg);
	diag_release(&d);
}

static void test_bad_chapter_entries(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\n"
		       "chapters:\n"
		       "  - a.md\n"
		       "  - \"\"\n"
		       "  - [x.md]\n"
		       "  - 42\n"
		       "  - b.md\n",
		       &cfg, &d),
		  -1);
	CHECK_INT(d.n, 3);
	/* each at its own entry's dash */
	CHECK(diag_is(
		&d, 0, 4, 3,
		"chapter entry must be a file name, or a part: '- part: Title' with its own 'chapters:' list"));
	CHECK(diag_is(
		&d, 1, 5, 3,
		"chapter entry must be a file name, or a part: '- part: Title' with its own 'chapters:' list"));
	CHECK(diag_is(
		&d, 2, 6, 3,
		"chapter entry must be a file name, or a part: '- part: Title' with its own 'chapters:' list"));
	/* the good entries are kept, in order */
	CHECK_INT(cfg.n_chapters, 2);
	if (cfg.n_chapters == 2) {
		CHECK_STR(cfg.chapters[0].file, "a.md");
		CHECK_STR(cfg.chapters[1].file, "b.md");
		CHECK_INT(cfg.chapters[1].line, 7);
		CHECK_INT(cfg.chapters[1].col, 5);
	}
	config_release(&cfg);
	diag_release(&d);
}

/* Parts: `- part: Title` with their own `chapters:`, in order, each
 * chapter knowing its part; chapters before and after are in none. */
static void test_parts(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\n"
		       "chapters:\n"
		       "  - intro.md\n"
		       "  - part: First steps\n"
		       "    chapters:\n"
		       "      - a.md\n"
		       "      - b.md\n"
		       "  - part: \"Then: more\"\n"
		       "    chapters: [c.md]\n"
		       "  - end.md\n",
		       &cfg, &d),
		  0);
	CHECK_INT(d.n, 0);
	CHECK_INT(cfg.n_parts, 2);
	CHECK_INT(cfg.n_chapters, 5);
	if (cfg.n_parts == 2 && cfg.n_chapters == 5) {
		CHECK_STR(cfg.parts[0].title, "First steps");
		CHECK_INT(cfg.parts[0].line, 4);
		CHECK_INT(cfg.parts[0].col, 5);
		CHECK_STR(cfg.parts[1].title, "Then: more");
		CHECK(cfg.chapters[0].part == CONFIG_NO_PART);
		CHECK_STR(cfg.chapters[1].file, "a.md");
		CHECK_INT((int)cfg.chapters[1].part, 0);
		CHECK_INT(cfg.chapters[1].line, 6);
		CHECK_INT(cfg.chapters[1].col, 9);
		CHECK_INT((int)cfg.chapters[2].part, 0);
		CHECK_STR(cfg.chapters[3].file, "c.md");
		CHECK_INT((int)cfg.chapters[3].part, 1);
		CHECK_INT(cfg.chapters[3].line, 9);
		CHECK(cfg.chapters[4].part == CONFIG_NO_PART);
		CHECK_INT(cfg.chapters[4].line, 10);
	}
	config_release(&cfg);
	diag_release(&d);

	/* one error per mistake, at the part */
	diag_init(&d);
	CHECK_INT(load("title: T\n"
		       "chapters:\n"
		       "  - part: Empty\n"
		       "  - part: \"\"\n"
		       "    chapters: [a.md]\n"
		       "  - part: Outer\n"
		       "    chapters:\n"
		       "      - part: Inner\n"
		       "        chapters: [b.md]\n"
		       "  - part: Odd\n"
		       "    title: Odd\n"
		       "    chapters: [c.md]\n"
		       "  - part: None\n"
		       "    chapters: []\n",
		       &cfg, &d),
		  -1);
	CHECK_INT(d.n, 5);
	CHECK(diag_is(&d, 0, 3, 5,
		      "part 'Empty' needs a 'chapters:' list of its files, "
		      "indented under 'part:'"));
	CHECK(diag_is(&d, 1, 4, 5, "a part needs a title: '- part: Title'"));
	CHECK(diag_is(&d, 2, 8, 9,
		      "a part cannot hold another part: list its chapters' "
		      "files"));
	CHECK(diag_is(&d, 3, 10, 5,
		      "unknown key 'title' in part 'Odd': a part has 'part:' "
		      "and 'chapters:'"));
	CHECK(diag_is(&d, 4, 13, 5, "part 'None' has no chapters"));
	CHECK(cfg.chapter_errors > 0);
	config_release(&cfg);
	diag_release(&d);
}

/* A key's error points at the key itself, not at a longer key that
 * contains it ("title" inside "subtitle") or at a mention in a value. */
static void test_wrong_type_position(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("subtitle: about the theme of titles\n"
		       "title: [a, b]\n"
		       "theme: {x: 1}\n",
		       &cfg, &d),
		  -1);
	CHECK(diag_is(&d, 0, 2, 1, "'title' must be a string in book.yml"));
	CHECK(diag_is(&d, 1, 3, 1, "'theme' must be a string in book.yml"));
	config_release(&cfg);
	diag_release(&d);
}

/* Each chapter entry's position is its own, even when its name also
 * occurs earlier in the file (inside another entry or a value). */
static void test_chapter_position_substring(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\n"
		       "description: the chapters start with intro-a.md\n"
		       "chapters:\n"
		       "  - intro-a.md\n"
		       "  - a.md\n",
		       &cfg, &d),
		  0);
	CHECK_INT(cfg.n_chapters, 2);
	if (cfg.n_chapters == 2) {
		CHECK_INT(cfg.chapters[0].line, 4);
		CHECK_INT(cfg.chapters[0].col, 5);
		CHECK_INT(cfg.chapters[1].line, 5);
		CHECK_INT(cfg.chapters[1].col, 5);
	}
	config_release(&cfg);

	/* flow style: both on the key's line */
	CHECK_INT(load("title: T\nchapters: [b.md, \"a b.md\"]\n", &cfg, &d),
		  0);
	CHECK_INT(cfg.n_chapters, 2);
	if (cfg.n_chapters == 2) {
		CHECK_INT(cfg.chapters[0].line, 2);
		CHECK_INT(cfg.chapters[0].col, 12);
		CHECK_INT(cfg.chapters[1].line, 2);
		CHECK_INT(cfg.chapters[1].col, 19);
	}
	config_release(&cfg);
	diag_release(&d);
}

/* unsafe_html turns off HTML escaping: only a real boolean may do that. */
static void test_unsafe_html_type(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\nunsafe_html: \"no\"\n", &cfg, &d), -1);
	CHECK_INT(cfg.unsafe_html, 0);
	CHECK_INT(d.n, 1);
	CHECK(diag_is(&d, 0, 2, 1,
		      "'unsafe_html' must be true or false in book.yml"));
	config_release(&cfg);
	diag_release(&d);
}

/* language: a BCP 47 tag; a name gets the tag it meant, at the value */
static void test_language(void)
{
	struct config cfg;
	struct diag d;

	diag_init(&d);
	CHECK_INT(load("title: T\nlanguage: zh-Hant-TW\n", &cfg, &d), 0);
	CHECK_INT(d.n, 0);
	config_release(&cfg);
	CHECK_INT(load("title: T\nlanguage:   English # the book's\n", &cfg,
		       &d),
		  -1);
	CHECK_INT(d.n, 1);
	CHECK(diag_is(&d, 0, 2, 13,
		      "invalid language 'English': not a BCP 47 tag; did you "
		      "mean 'en'?"));
	config_release(&cfg);
	diag_release(&d);
	diag_init(&d);
	CHECK_INT(load("title: T\nlanguage: 42\n", &cfg, &d), -1);
	CHECK(diag_is(&d, 0, 2, 11,
		      "invalid language '42': not a BCP 47 tag (the language "
		      "subtag has letters only), such as 'en', 'pt-BR' or "
		      "'zh-Hans'"));
	config_release(&cfg);
	diag_release(&d);
}

int main(void)
{
	snprintf(yml, sizeof(yml), "%s/book.yml", fixture_tmp());
	RUN(test_all_keys);
	RUN(test_defaults);
	RUN(test_missing);
	RUN(test_invalid_yaml);
	RUN(test_not_mapping);
	RUN(test_missing_title);
	RUN(test_wrong_types);
	RUN(test_bad_chapter_entries);
	RUN(test_parts);
	RUN(test_wrong_type_position);
	RUN(test_chapter_position_substring);
	RUN(test_unsafe_html_type);
	RUN(test_language);
	return harness_done();
}
