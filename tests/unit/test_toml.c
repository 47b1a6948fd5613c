/* Unit tests for toml: the cases of the official toml-test suite for the
 * subset book.toml uses (tests/spec/toml-test/, listed in its `files`),
 * valid ones compared with their expected JSON and invalid ones refused;
 * then what the suite does not look at: where errors point, the
 * positions of keys, and what is refused on purpose (floats, dates).
 *
 *   test_toml [SUITE-FOLDER]    default tests/spec/toml-test */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "toml.h"

static const char *suite = "tests/spec/toml-test";

/* toml-test's JSON: every scalar as {"type": ..., "value": string}. */
static struct json_object *tagged(struct json_object *v)
{
	struct json_object *o;
	const char *type;
	char num[32];
	size_t i;

	switch (json_object_get_type(v)) {
	case json_type_object:
		o = json_object_new_object();
		json_object_object_foreach(v, key, val)
			json_object_object_add(o, key, tagged(val));
		return o;
	case json_type_array:
		o = json_object_new_array();
		for (i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(
				o, tagged(json_object_array_get_idx(v, i)));
		return o;
	case json_type_int:
		type = "integer";
		snprintf(num, sizeof(num), "%lld",
			 (long long)json_object_get_int64(v));
		break;
	case json_type_boolean:
		type = "bool";
		snprintf(num, sizeof(num), "%s",
			 json_object_get_boolean(v) ? "true" : "false");
		break;
	default:
		o = json_object_new_object();
		json_object_object_add(o, "type",
				       json_object_new_string("string"));
		json_object_object_add(o, "value",
				       json_object_new_string_len(
					       json_object_get_string(v),
					       json_object_get_string_len(v)));
		return o;
	}
	o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "value", json_object_new_string(num));
	return o;
}

static int read_text(const char *path, struct buf *out)
{
	struct diag d;
	int r;

	diag_init(&d);
	r = fs_read_file(path, path, out, &d);
	if (r < 0)
		diag_print(&d, stderr);
	diag_release(&d);
	return r;
}

static void run_case(const char *name)
{
	struct buf path = BUF_INIT, text = BUF_INIT, want = BUF_INIT;
	struct json_object *got = NULL, *exp = NULL, *tag = NULL;
	struct diag d;
	int valid = !strncmp(name, "valid/", 6), ok, r;

	diag_init(&d);
	buf_addf(&path, "%s/%s", suite, name);
	if (read_text(path.ptr, &text) < 0) {
		harness_count(0);
		goto out;
	}
	r = toml_parse(text.ptr, text.len, name, &got, NULL, &d);
	if (!valid) {
		ok = r < 0 && d.errors == 1 && d.v[0].line > 0;
		if (!ok)
			fprintf(stderr, "%s: accepted, or no line\n", name);
		harness_count(ok);
		goto out;
	}
	if (r < 0) {
		diag_print(&d, stderr);
		harness_count(0);
		goto out;
	}
	buf_truncate(&path, path.len - 4);
	buf_adds(&path, "json");
	if (read_text(path.ptr, &want) < 0) {
		harness_count(0);
		goto out;
	}
	exp = json_tokener_parse(want.ptr);
	tag = tagged(got);
	ok = exp && json_object_equal(tag, exp);
	if (!ok)
		fprintf(stderr, "%s: got %s\n", name,
			json_object_to_json_string(tag));
	harness_count(ok);
out:
	json_object_put(got);
	json_object_put(exp);
	json_object_put(tag);
	diag_release(&d);
	buf_release(&path);
	buf_release(&text);
	buf_release(&want);
}

static void test_suite(void)
{
	struct buf list = BUF_INIT, path = BUF_INIT;
	char *line, *next;
	int n = 0;

	buf_addf(&path, "%s/files", suite);
	CHECK(read_text(path.ptr, &list) == 0);
	for (line = list.ptr; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (!*line || *line == '#' ||
		    strcmp(line + strlen(line) - 5, ".toml") != 0)
			continue;
		run_case(line);
		n++;
	}
	/* the list is read at all: a wrong folder is no silent pass */
	CHECK(n > 300);
	buf_release(&list);
	buf_release(&path);
}

/* Parses `text`, which must fail with one error whose location and
 * message start as given. */
static void check_error(const char *text, const char *want)
{
	struct json_object *o = NULL;
	struct diag d;
	struct buf got = BUF_INIT;

	diag_init(&d);
	CHECK_INT(toml_parse(text, strlen(text), "book.toml", &o, NULL, &d),
		  -1);
	CHECK(o == NULL);
	CHECK_INT(d.errors, 1);
	if (d.n)
		buf_addf(&got, "%d:%d: %s", d.v[0].line, d.v[0].col,
			 d.v[0].msg);
	CHECK_STR(got.ptr, want);
	CHECK(d.n && d.v[0].source != NULL);
	buf_release(&got);
	diag_release(&d);
}

static void test_errors(void)
{
	check_error("[book]\ntitle = \"A\"\ntitle = \"B\"\n",
		    "3:1: duplicate key 'title'");
	check_error("[book]\n[output.html]\n[book]\n",
		    "3:2: table 'book' is defined twice");
	check_error("[book]\nx = 1.5\n",
		    "2:5: floating-point numbers and dates are not supported "
		    "here");
	check_error("d = 1979-05-27\n",
		    "1:5: floating-point numbers and dates are not supported "
		    "here");
	check_error("title = Book\n",
		    "1:9: invalid value 'Book' (strings need quotes)");
	check_error("t = \"a\\qb\"\n", "1:7: invalid escape '\\q' in string");
	check_error("t = \"abc\n", "1:5: unterminated string (a newline needs "
				   "a \"\"\" or ''' string)");
	check_error("a = [1, 2\n", "2:1: unterminated array");
	check_error("a = { b = 1, }\n", "1:14: trailing ',' in inline table");
	check_error("a.b = 1\n[a]\n", "2:2: table 'a' is defined twice");
	check_error("a = 1 b = 2\n",
		    "1:7: expected the end of the line, found 'b'");
	check_error("# \xc3\xa9t\xc3\xa9\nk = \"\xc3\xa9\" x\n",
		    "2:9: expected the end of the line, found 'x'");
	check_error("n = 9223372036854775808\n", "1:5: integer out of range");
}

static void test_values(void)
{
	const char *text = "# book\n"
			   "[book]\n"
			   "title = \"T\\u00e9\"\n"
			   "authors = [\n  'A',\n  \"B\", # two\n]\n"
			   "multilingual = false\n"
			   "[output.html]\n"
			   "site-url = '''\n/x/'''\n"
			   "fold = { enable = true, level = 0x10 }\n"
			   "\"quoted.key\" = -1_000\n";
	struct json_object *o = NULL, *where = NULL;
	struct diag d;

	diag_init(&d);
	CHECK_INT(toml_parse(text, strlen(text), "book.toml", &o, &where, &d),
		  0);
	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  "{\"book\":{\"title\":\"T\xc3\xa9\",\"authors\":[\"A\","
		  "\"B\"],\"multilingual\":false},\"output\":{\"html\":{"
		  "\"site-url\":\"\\/x\\/\",\"fold\":{\"enable\":true,"
		  "\"level\":16},\"quoted.key\":-1000}}}");
	CHECK_STR(json_object_to_json_string_ext(
			  json_object_object_get(where, "book.authors"),
			  JSON_C_TO_STRING_PLAIN),
		  "[4,1]");
	CHECK_STR(json_object_to_json_string_ext(
			  json_object_object_get(where, "output.html.fold"),
			  JSON_C_TO_STRING_PLAIN),
		  "[12,1]");
	CHECK_STR(json_object_to_json_string_ext(
			  json_object_object_get(where,
						 "output.html.fold.level"),
			  JSON_C_TO_STRING_PLAIN),
		  "[12,25]");
	CHECK_INT(d.n, 0);
	json_object_put(o);
	json_object_put(where);
	diag_release(&d);
}

static void test_deep(void)
{
	struct buf b = BUF_INIT;
	struct json_object *o = NULL;
	struct diag d;
	int i;

	diag_init(&d);
	buf_adds(&b, "a = ");
	for (i = 0; i < 10000; i++)
		buf_addch(&b, '[');
	CHECK_INT(toml_parse(b.ptr, b.len, "book.toml", &o, NULL, &d), -1);
	CHECK(d.n == 1 && strstr(d.v[0].msg, "nested too deeply"));
	buf_release(&b);
	diag_release(&d);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		suite = argv[1];
	RUN(test_suite);
	RUN(test_errors);
	RUN(test_values);
	RUN(test_deep);
	return harness_done();
}
