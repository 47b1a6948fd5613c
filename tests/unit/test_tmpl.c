/* Tests for tmpl: every case of the Mustache spec, then syntax errors,
 * the recursion limit and a small site.
 *
 * The spec files are found in the directory given as the first argument,
 * else $STEPBOOK_SPEC_DIR, else tests/spec/mustache, the copy the
 * repository ships (relative to its root, where the tests run). A missing
 * directory or file is a failure, not a skip. */
#include <dirent.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "tmpl.h"
#include "xalloc.h"

/* The spec files that must be there; any other *.json file in the
 * directory runs too. */
static const char *const spec_required[] = {
	"comments.json",     "delimiters.json", "interpolation.json",
	"inverted.json",     "partials.json",   "sections.json",
	"~inheritance.json",
};

#define SPEC_NREQUIRED (sizeof(spec_required) / sizeof(spec_required[0]))
#define SPEC_MAIN "\x01spec"

static int spec_total, spec_passed;

/* Prints s[0, len) with newlines, tabs and other control bytes escaped. */
static void print_escaped(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static const char *spec_str(struct json_object *o, const char *key, size_t *len)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string)) {
		*len = 0;
		return NULL;
	}
	*len = (size_t)json_object_get_string_len(v);
	return json_object_get_string(v);
}

/* Runs one case; returns whether it passed. */
static int spec_case(const char *file, struct json_object *tc)
{
	struct tmpl_set *set = tmpl_set_new();
	struct json_object *data = NULL, *partials = NULL;
	struct buf out = BUF_INIT;
	struct diag d;
	const char *name, *src, *want;
	size_t name_len, src_len, want_len;
	int ok = 1;

	diag_init(&d);
	name = spec_str(tc, "name", &name_len);
	src = spec_str(tc, "template", &src_len);
	want = spec_str(tc, "expected", &want_len);
	json_object_object_get_ex(tc, "data", &data);
	if (!name || !src || !want) {
		fprintf(stderr, "FAIL %s: malformed case %s\n", file,
			name ? name : "(unnamed)");
		ok = 0;
		goto out;
	}
	if (json_object_object_get_ex(tc, "partials", &partials)) {
		struct json_object_iterator it = json_object_iter_begin(
			partials);
		struct json_object_iterator end = json_object_iter_end(
			partials);

		for (; !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it)) {
			struct json_object *p = json_object_iter_peek_value(
				&it);

			if (tmpl_set_add(set, json_object_iter_peek_name(&it),
					 NULL, json_object_get_string(p),
					 (size_t)json_object_get_string_len(p),
					 &d))
				ok = 0;
		}
	}
	if (tmpl_set_add(set, SPEC_MAIN, "template", src, src_len, &d) ||
	    tmpl_render(set, SPEC_MAIN, data, &out, &d))
		ok = 0;
	if (ok && (out.len != want_len || memcmp(out.ptr, want, want_len)))
		ok = 0;
	if (!ok) {
		fprintf(stderr, "FAIL %s: %s\n  got:      [", file, name);
		print_escaped(stderr, out.ptr, out.len);
		fputs("]\n  expected: [", stderr);
		print_escaped(stderr, want, want_len);
		fputs("]\n", stderr);
		diag_print(&d, stderr);
	}
out:
	buf_release(&out);
	diag_release(&d);
	tmpl_set_free(set);
	return ok;
}

static void spec_file(const char *dir, const char *file)
{
	struct buf path = BUF_INIT;
	struct json_object *root, *tests;
	size_t i, n = 0;
	int passed = 0;

	buf_addf(&path, "%s/%s", dir, file);
	root = json_object_from_file(path.ptr);
	if (!root || !json_object_object_get_ex(root, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_array) ||
	    !json_object_array_length(tests)) {
		fprintf(stderr, "FAIL %s: cannot read the spec cases\n",
			path.ptr);
		harness_count(0);
	} else {
		n = json_object_array_length(tests);
		for (i = 0; i < n; i++) {
			int ok = spec_case(file,
					   json_object_array_get_idx(tests, i));

			harness_count(ok);
			passed += ok;
		}
	}
	printf("spec %-20s %d/%zu passed\n", file, passed, n);
	spec_total += (int)n;
	spec_passed += passed;
	json_object_put(root);
	buf_release(&path);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_spec(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i, k;

	if (!dh) {
		fprintf(stderr,
			"FAIL: no Mustache spec at %s (pass the directory as "
			"the first argument or set STEPBOOK_SPEC_DIR)\n",
			dir);
		harness_count(0);
		return;
	}
	while ((e = readdir(dh))) {
		size_t len = strlen(e->d_name);

		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		names = xgrow(names, sizeof(*names), n + 1, &cap);
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), cmp_names);
	for (k = 0; k < SPEC_NREQUIRED; k++) {
		for (i = 0; i < n; i++)
			if (!strcmp(names[i], spec_required[k]))
				break;
		if (i == n) {
			fprintf(stderr, "FAIL: spec file %s/%s is missing\n",
				dir, spec_required[k]);
			harness_count(0);
		}
	}
	for (i = 0; i < n; i++) {
		spec_file(dir, names[i]);
		free(names[i]);
	}
	free(names);
	printf("spec total %d/%d passed\n", spec_passed, spec_total);
}

/* Own tests. */

/* Adds a template, expecting success. */
static void add(struct tmpl_set *set, const char *name, const char *src)
{
	struct diag d;

	diag_init(&d);
	CHECK_INT(tmpl_set_add(set, name, NULL, src, strlen(src), &d), 0);
	if (d.n)
		diag_print(&d, stderr);
	diag_release(&d);
}

/* Renders `name` from `set` with the JSON text `json`, expecting `want`. */
static void expect(const struct tmpl_set *set, const char *name,
		   const char *json, const char *want)
{
	struct json_object *data = json_tokener_parse(json);
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	CHECK(data != NULL);
	CHECK_INT(tmpl_render(set, name, data, &out, &d), 0);
	CHECK_STR(out.ptr, want);
	if (d.n)
		diag_print(&d, stderr);
	diag_release(&d);
	buf_release(&out);
	json_object_put(data);
}

/* Renders one template `src` with `json`, expecting `want`. */
static void expect1(const char *src, const char *json, const char *want)
{
	struct tmpl_set *set = tmpl_set_new();

	add(set, "t", src);
	expect(set, "t", json, want);
	tmpl_set_free(set);
}

struct syntax_case {
	const char *src;
	int line, col;
	const char *msg;
};

static const struct syntax_case syntax_cases[] = {
	{ "a\n  b {{name", 2, 5, "unclosed tag, missing '}}'" },
	{ "{{{raw}}", 1, 1, "unclosed tag, missing '}}'" },
	{ "{{=<% %>=}}\n<%x}}", 2, 1, "unclosed tag, missing '%>'" },
	{ "x\n{{#items}}\n  {{name}}\n", 2, 1, "unclosed section 'items'" },
	{ "{{#a}}{{^b}}\n", 1, 7, "unclosed section 'b'" },
	{ "{{<layout}}\n  {{$title}}x{{/title}}\n", 1, 1,
	  "unclosed parent 'layout'" },
	{ "{{$title}}x\n", 1, 1, "unclosed block 'title'" },
	{ "{{#a}}\n  {{#b}}x\n  {{/a}}\n{{/b}}\n", 3, 3,
	  "closing tag 'a' does not match open section 'b'" },
	{ "{{<p}}{{$a}}\n{{/p}}", 2, 1,
	  "closing tag 'p' does not match open block 'a'" },
	{ "ok\n{{/x}}", 2, 1, "closing tag 'x' without open section" },
	{ "{{=<%=}}", 1, 1, "invalid delimiter change '{{=<%=}}'" },
	{ "x {{= a b c =}}", 1, 3, "invalid delimiter change '{{= a b c =}}'" },
	{ "{{=<% %>=}}<%= {{ }} x =%>", 1, 12,
	  "invalid delimiter change '<%= {{ }} x =%>'" },
	{ "{{ }}", 1, 1, "missing name in tag '{{ }}'" },
	{ "{{#}}{{/}}", 1, 1, "missing name in tag '{{#}}'" },
	{ "  {{page title}}", 1, 3, "invalid tag name 'page title'" },
	{ "{{a..b}}", 1, 1, "invalid tag name 'a..b'" },
	{ "{{#a.}}{{/a.}}", 1, 1, "invalid tag name 'a.'" },
	/* Columns count characters, not bytes. */
	{ "h\xc3\xa9llo w\xc3\xb6rld {{x", 1, 13,
	  "unclosed tag, missing '}}'" },
};

static void test_syntax_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof(syntax_cases) / sizeof(syntax_cases[0]); i++) {
		const struct syntax_case *c = &syntax_cases[i];
		struct tmpl_set *set = tmpl_set_new();
		struct diag d;

		diag_init(&d);
		CHECK_INT(tmpl_set_add(set, "t", "layouts/t.html", c->src,
				       strlen(c->src), &d),
			  -1);
		CHECK_INT(d.n, 1);
		CHECK_INT(d.errors, 1);
		if (d.n == 1) {
			CHECK_STR(d.v[0].file, "layouts/t.html");
			CHECK_INT(d.v[0].line, c->line);
			CHECK_INT(d.v[0].col, c->col);
			CHECK_STR(d.v[0].msg, c->msg);
		}
		CHECK(!tmpl_set_has(set, "t"));
		diag_release(&d);
		tmpl_set_free(set);
	}
}

static void test_error_keeps_set(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct diag d;

	diag_init(&d);
	add(set, "page", "old {{x}}");
	/* Without a file name, diagnostics name the template. */
	CHECK_INT(tmpl_set_add(set, "page", NULL, "{{#x}}", 6, &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1)
		CHECK_STR(d.v[0].file, "page");
	CHECK(tmpl_set_has(set, "page"));
	expect(set, "page", "{\"x\": 1}", "old 1");
	/* A valid template replaces the old one. */
	add(set, "page", "new {{x}}");
	expect(set, "page", "{\"x\": 2}", "new 2");
	diag_release(&d);
	tmpl_set_free(set);
}

static void test_nesting_limit(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf src = BUF_INIT;
	struct diag d;
	int i;

	diag_init(&d);
	for (i = 0; i < TMPL_MAX_NESTING; i++)
		buf_adds(&src, "{{#a}}");
	for (i = 0; i < TMPL_MAX_NESTING; i++)
		buf_adds(&src, "{{/a}}");
	CHECK_INT(tmpl_set_add(set, "ok", NULL, src.ptr, src.len, &d), 0);
	buf_reset(&src);
	for (i = 0; i <= TMPL_MAX_NESTING; i++)
		buf_adds(&src, "{{#a}}\n");
	CHECK_INT(tmpl_set_add(set, "deep", NULL, src.ptr, src.len, &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_INT(d.v[0].line, TMPL_MAX_NESTING + 1);
		CHECK_INT(d.v[0].col, 1);
		CHECK_STR(d.v[0].msg,
			  "section 'a' nested deeper than 64 levels");
	}
	buf_release(&src);
	diag_release(&d);
	tmpl_set_free(set);
}

/* Renders `name`, expecting failure with one error `msg` at line:col of
 * `file`, and `out` left as it was. */
static void expect_render_error(const struct tmpl_set *set, const char *name,
				const char *file, int line, int col,
				const char *msg)
{
	struct json_object *data = json_tokener_parse("{\"a\": [1, 2]}");
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	buf_adds(&out, "before");
	CHECK_INT(tmpl_render(set, name, data, &out, &d), -1);
	CHECK_STR(out.ptr, "before");
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].file, file);
		CHECK_INT(d.v[0].line, line);
		CHECK_INT(d.v[0].col, col);
		CHECK_STR(d.v[0].msg, msg);
	}
	diag_release(&d);
	buf_release(&out);
	json_object_put(data);
}

static void test_recursion_limit(void)
{
	struct tmpl_set *set = tmpl_set_new();

	add(set, "self", "x\n  {{>self}}\n");
	expect_render_error(set, "self", "self", 2, 3,
			    "partial 'self' nested deeper than 64 levels");
	/* Two partials that include each other, inside a section. */
	add(set, "ping", "{{#a}}{{>pong}}{{/a}}");
	add(set, "pong", "{{>ping}}");
	expect_render_error(set, "ping", "ping", 1, 7,
			    "partial 'pong' nested deeper than 64 levels");
	/* A parent that is its own parent. */
	add(set, "loop", "{{<loop}}{{$b}}x{{/b}}{{/loop}}");
	expect_render_error(set, "loop", "loop", 1, 1,
			    "parent 'loop' nested deeper than 64 levels");
	/* An override that contains the block it overrides. */
	add(set, "base", "[{{$b}}{{/b}}]");
	add(set, "block", "{{<base}}{{$b}}({{$b}}{{/b}}){{/b}}{{/base}}");
	expect_render_error(set, "block", "block", 1, 17,
			    "block 'b' nested deeper than 64 levels");
	/* Recursion that ends is fine. */
	add(set, "node", "{{n}}{{#kids}}<{{>node}}>{{/kids}}");
	expect(set, "node",
	       "{\"n\": 1, \"kids\": [{\"n\": 2, \"kids\": [{\"n\": 3,"
	       " \"kids\": []}]}, {\"n\": 4, \"kids\": []}]}",
	       "1<2<3>><4>");
	/* A leaf without "kids" finds its parent's through the context
	 * stack, so this one never ends. */
	{
		struct json_object *data = json_tokener_parse(
			"{\"n\": 1, \"kids\": [{\"n\": 2}]}");
		struct buf out = BUF_INIT;
		struct diag d;

		diag_init(&d);
		CHECK_INT(tmpl_render(set, "node", data, &out, &d), -1);
		CHECK_INT(out.len, 0);
		CHECK_INT(d.n, 1);
		if (d.n == 1)
			CHECK_STR(d.v[0].msg,
				  "partial 'node' nested deeper than 64 levels");
		diag_release(&d);
		buf_release(&out);
		json_object_put(data);
	}
	tmpl_set_free(set);
}

static void test_unknown_template(void)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	struct diag d;

	diag_init(&d);
	CHECK_INT(tmpl_render(set, "nope", NULL, &out, &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK(d.v[0].file == NULL);
		CHECK_STR(d.v[0].msg, "unknown template 'nope'");
	}
	CHECK(!tmpl_set_has(set, "nope"));
	CHECK_INT(out.len, 0);
	diag_release(&d);
	buf_release(&out);
	tmpl_set_free(set);
}

static void test_site(void)
{
	struct tmpl_set *set = tmpl_set_new();
	char name[32];
	int i;

	add(set, "base",
	    "<!doctype html>\n"
	    "<html lang=\"{{site.lang}}\">\n"
	    "<head>\n"
	    "  <title>{{$title}}{{site.title}}{{/title}}</title>\n"
	    "  {{>head}}\n"
	    "</head>\n"
	    "<body>\n"
	    "  {{>nav}}\n"
	    "  <main>\n"
	    "    {{$main}}\n"
	    "    <p>Nothing here.</p>\n"
	    "    {{/main}}\n"
	    "  </main>\n"
	    "</body>\n"
	    "</html>\n");
	add(set, "head",
	    "<meta charset=\"utf-8\">\n"
	    "{{#css}}\n"
	    "<link rel=\"stylesheet\" href=\"{{.}}\">\n"
	    "{{/css}}\n");
	add(set, "nav",
	    "<nav>\n"
	    "{{#chapters}}\n"
	    "  <a href=\"{{href}}\"{{#current}} aria-current=\"page\"{{/current}}>"
	    "{{title}}</a>\n"
	    "{{/chapters}}\n"
	    "{{^chapters}}\n"
	    "  <p>No chapters.</p>\n"
	    "{{/chapters}}\n"
	    "</nav>\n");
	add(set, "chapter",
	    "{{<base}}\n"
	    "{{$title}}{{page.title}} | {{site.title}}{{/title}}\n"
	    "{{$main}}\n"
	    "<h1>{{page.title}}</h1>\n"
	    "{{{page.html}}}\n"
	    "{{/main}}\n"
	    "{{/base}}\n");
	/* Templates that fill the hash table's first slots. */
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "extra%d", i);
		add(set, name, "{{>nav}}");
	}
	expect(set, "chapter",
	       "{\"site\": {\"lang\": \"en\", \"title\": \"Step & Book\"},"
	       " \"css\": [\"a.css\", \"b.css\"],"
	       " \"chapters\": [{\"href\": \"one.html\", \"title\": \"One\","
	       " \"current\": true}, {\"href\": \"two.html\","
	       " \"title\": \"<Two>\"}],"
	       " \"page\": {\"title\": \"One\","
	       " \"html\": \"<p>Hi.</p>\\n<p>Bye.</p>\"}}",
	       "<!doctype html>\n"
	       "<html lang=\"en\">\n"
	       "<head>\n"
	       "  <title>One | Step &amp; Book</title>\n"
	       "  <meta charset=\"utf-8\">\n"
	       "  <link rel=\"stylesheet\" href=\"a.css\">\n"
	       "  <link rel=\"stylesheet\" href=\"b.css\">\n"
	       "</head>\n"
	       "<body>\n"
	       "  <nav>\n"
	       "    <a href=\"one.html\" aria-current=\"page\">One</a>\n"
	       "    <a href=\"two.html\">&lt;Two&gt;</a>\n"
	       "  </nav>\n"
	       "  <main>\n"
	       "    <h1>One</h1>\n"
	       "    <p>Hi.</p>\n"
	       "<p>Bye.</p>\n"
	       "  </main>\n"
	       "</body>\n"
	       "</html>\n");
	/* The parent alone: defaults, and the inverted section. */
	expect(set, "base", "{\"site\": {\"lang\": \"fr\", \"title\": \"T\"}}",
	       "<!doctype html>\n"
	       "<html lang=\"fr\">\n"
	       "<head>\n"
	       "  <title>T</title>\n"
	       "  <meta charset=\"utf-8\">\n"
	       "</head>\n"
	       "<body>\n"
	       "  <nav>\n"
	       "    <p>No chapters.</p>\n"
	       "  </nav>\n"
	       "  <main>\n"
	       "    <p>Nothing here.</p>\n"
	       "  </main>\n"
	       "</body>\n"
	       "</html>\n");
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "extra%d", i);
		CHECK(tmpl_set_has(set, name));
	}
	expect(set, "extra39", "{\"chapters\": []}",
	       "<nav>\n  <p>No chapters.</p>\n</nav>\n");
	tmpl_set_free(set);
}

static void test_values(void)
{
	expect1("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} [{{h}}] [{{i}}]",
		"{\"a\": 1.5, \"b\": 3.0, \"c\": -7, \"d\": 0.1,"
		" \"e\": 18446744073709551615, \"f\": true, \"g\": false,"
		" \"h\": {\"x\": 1}, \"i\": [1]}",
		"1.5 3 -7 0.1 18446744073709551615 true false [] []");
	expect1("{{q}}|{{{q}}}", "{\"q\": \"'<&>\\\"\"}",
		"&#39;&lt;&amp;&gt;&quot;|'<&>\"");
	/* Falsey values. */
	expect1("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}"
		"{{#e}}E{{/e}}{{#f}}F{{/f}}{{^a}}a{{/a}}{{^b}}b{{/b}}",
		"{\"a\": 0, \"b\": \"\", \"c\": null, \"d\": [], \"e\": {},"
		" \"f\": \"0\"}",
		"EFab");
	/* A context that is not an object. */
	expect1("[{{x}}]", "[1]", "[]");
	/* The output is appended. */
	{
		struct tmpl_set *set = tmpl_set_new();
		struct buf out = BUF_INIT;
		struct diag d;

		diag_init(&d);
		add(set, "t", "b");
		buf_adds(&out, "a");
		CHECK_INT(tmpl_render(set, "t", NULL, &out, &d), 0);
		CHECK_STR(out.ptr, "ab");
		diag_release(&d);
		buf_release(&out);
		tmpl_set_free(set);
	}
}

static void test_whitespace(void)
{
	struct tmpl_set *set = tmpl_set_new();

	/* Several tags that print nothing make a standalone line. */
	add(set, "item", "<li>{{.}}</li>\n");
	add(set, "list",
	    "<ul>\n"
	    "  {{#items}}{{>item}}{{/items}}\n"
	    "</ul>\n");
	expect(set, "list", "{\"items\": [\"a\", \"b\"]}",
	       "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	/* A line with a variable is never standalone. */
	expect1("  {{#a}}{{b}}{{/a}}\n", "{\"a\": true, \"b\": \"\"}", "  \n");
	/* Empty lines of an indented partial stay empty; \r\n is kept. */
	add(set, "p", "a\r\n\r\nb\n\n");
	add(set, "outer", "x\r\n    {{>p}}\r\ny");
	expect(set, "outer", "{}", "x\r\n    a\r\n\r\n    b\n\ny");
	/* Nested standalone partials add up their indentation; an inline
	 * partial starts from none. */
	add(set, "in1", "1\n  {{>in2}}\n");
	add(set, "in2", "2\n{{>in3}} end\n");
	add(set, "in3", "3\n3\n");
	add(set, "top", "  {{>in1}}");
	expect(set, "top", "{}", "  1\n    2\n    3\n3\n end\n");
	tmpl_set_free(set);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("STEPBOOK_SPEC_DIR");

	if (!dir || !*dir)
		dir = "tests/spec/mustache";
	run_spec(dir);
	RUN(test_syntax_errors);
	RUN(test_error_keeps_set);
	RUN(test_nesting_limit);
	RUN(test_recursion_limit);
	RUN(test_unknown_template);
	RUN(test_site);
	RUN(test_values);
	RUN(test_whitespace);
	return harness_done();
}
