/* Unit tests for yamljson: YAML scalars typed by the core schema, nested
 * maps and lists, error positions with a line offset, and the node limit
 * that stops alias bombs. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "yamljson.h"

static struct json_object *parse_ok(const char *text)
{
	struct json_object *o = (struct json_object *)1;
	struct diag d;

	diag_init(&d);
	CHECK_INT(yamljson_parse(text, strlen(text), "t.yml", 0, &o, &d), 0);
	CHECK_INT(d.n, 0);
	diag_print(&d, stderr);
	diag_release(&d);
	return o;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v)) {
		fprintf(stderr, "  no key '%s'\n", key);
		harness_current_failed = 1;
		return NULL;
	}
	return v;
}

static int is(struct json_object *v, enum json_type t)
{
	return v && json_object_is_type(v, t);
}

static void test_types(void)
{
	struct json_object *o = parse_ok("int: 42\n"
					 "neg: -7\n"
					 "plus: +3\n"
					 "big: 9007199254740993\n"
					 "float: 3.5\n"
					 "exp: 1e3\n"
					 "dot: .5\n"
					 "t: true\n"
					 "f: False\n"
					 "n1: null\n"
					 "n2: ~\n"
					 "n3:\n"
					 "q1: \"42\"\n"
					 "q2: 'true'\n"
					 "q3: \"null\"\n"
					 "lit: |\n  line one\n  line two\n"
					 "str: hello world\n"
					 "hex: 0x1F\n"
					 "ver: 1.2.3\n"
					 "yes: yes\n"
					 "dash: -x\n"
					 "colon: \"a: b\"\n");
	struct json_object *v;

	CHECK(is(o, json_type_object));
	v = get(o, "int");
	CHECK(is(v, json_type_int) && json_object_get_int64(v) == 42);
	v = get(o, "neg");
	CHECK(is(v, json_type_int) && json_object_get_int64(v) == -7);
	v = get(o, "plus");
	CHECK(is(v, json_type_int) && json_object_get_int64(v) == 3);
	v = get(o, "big");
	CHECK(is(v, json_type_int) &&
	      json_object_get_int64(v) == 9007199254740993LL);
	v = get(o, "float");
	CHECK(is(v, json_type_double) && json_object_get_double(v) == 3.5);
	v = get(o, "exp");
	CHECK(is(v, json_type_double) && json_object_get_double(v) == 1000.0);
	v = get(o, "dot");
	CHECK(is(v, json_type_double) && json_object_get_double(v) == 0.5);
	v = get(o, "t");
	CHECK(is(v, json_type_boolean) && json_object_get_boolean(v) == 1);
	v = get(o, "f");
	CHECK(is(v, json_type_boolean) && json_object_get_boolean(v) == 0);
	CHECK(get(o, "n1") == NULL);
	CHECK(get(o, "n2") == NULL);
	CHECK(get(o, "n3") == NULL);
	v = get(o, "q1");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "42");
	v = get(o, "q2");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "true");
	v = get(o, "q3");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "null");
	v = get(o, "lit");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "line one\nline two\n");
	CHECK_STR(json_object_get_string(get(o, "str")), "hello world");
	/* not numbers in the core schema's sense: strings */
	v = get(o, "hex");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "0x1F");
	v = get(o, "ver");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "1.2.3");
	/* YAML 1.2: yes is not a boolean */
	v = get(o, "yes");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "yes");
	v = get(o, "dash");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "-x");
	CHECK_STR(json_object_get_string(get(o, "colon")), "a: b");
	json_object_put(o);
}

/* A number read back as text is the text as written: a title "3.10" is
 * not "3.1000000000000001", an identifier "007" is not "7". The value
 * stays a number for templates that compare it. */
static void test_number_text(void)
{
	struct json_object *o = parse_ok("ver: 3.10\n"
					 "tenth: 0.1\n"
					 "exp: 1e3\n"
					 "id: 007\n"
					 "neg: -0012\n");
	struct json_object *v;

	v = get(o, "ver");
	CHECK(is(v, json_type_double) && json_object_get_double(v) == 3.1);
	CHECK_STR(json_object_get_string(v), "3.10");
	v = get(o, "tenth");
	CHECK(is(v, json_type_double));
	CHECK_STR(json_object_get_string(v), "0.1");
	CHECK_STR(json_object_get_string(get(o, "exp")), "1e3");
	v = get(o, "id");
	CHECK(is(v, json_type_string));
	CHECK_STR(json_object_get_string(v), "007");
	CHECK_STR(json_object_get_string(get(o, "neg")), "-0012");
	/* and the document still serialises as valid JSON */
	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  "{\"ver\":3.10,\"tenth\":0.1,\"exp\":1e3,\"id\":\"007\","
		  "\"neg\":\"-0012\"}");
	json_object_put(o);

	/* texts that are numbers but not JSON ones keep the plain double */
	o = parse_ok("dot: .5\nplus: +1.5\n");
	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  "{\"dot\":0.5,\"plus\":1.5}");
	json_object_put(o);
}

static void test_nested(void)
{
	struct json_object *o = parse_ok("book:\n"
					 "  title: T\n"
					 "  tags: [a, 2, {k: v}]\n"
					 "chapters:\n"
					 "  - a.md\n"
					 "  - - nested\n"
					 "    - 3\n"
					 "  -\n"
					 "empty_map: {}\n"
					 "empty_list: []\n");
	struct json_object *book, *tags, *ch, *v;

	book = get(o, "book");
	CHECK(is(book, json_type_object));
	CHECK_STR(json_object_get_string(get(book, "title")), "T");
	tags = get(book, "tags");
	CHECK(is(tags, json_type_array) && json_object_array_length(tags) == 3);
	if (is(tags, json_type_array) && json_object_array_length(tags) == 3) {
		CHECK_STR(json_object_get_string(
				  json_object_array_get_idx(tags, 0)),
			  "a");
		CHECK(is(json_object_array_get_idx(tags, 1), json_type_int));
		v = json_object_array_get_idx(tags, 2);
		CHECK(is(v, json_type_object));
		CHECK_STR(json_object_get_string(get(v, "k")), "v");
	}
	ch = get(o, "chapters");
	CHECK(is(ch, json_type_array) && json_object_array_length(ch) == 3);
	if (is(ch, json_type_array) && json_object_array_length(ch) == 3) {
		v = json_object_array_get_idx(ch, 1);
		CHECK(is(v, json_type_array) &&
		      json_object_array_length(v) == 2);
		CHECK(json_object_array_get_idx(ch, 2) == NULL);
	}
	v = get(o, "empty_map");
	CHECK(is(v, json_type_object) && json_object_object_length(v) == 0);
	v = get(o, "empty_list");
	CHECK(is(v, json_type_array) && json_object_array_length(v) == 0);
	json_object_put(o);

	/* the root need not be a mapping */
	o = parse_ok("- 1\n- two\n");
	CHECK(is(o, json_type_array) && json_object_array_length(o) == 2);
	json_object_put(o);
	o = parse_ok("just text\n");
	CHECK(is(o, json_type_string));
	CHECK_STR(json_object_get_string(o), "just text");
	json_object_put(o);
	/* an empty document is NULL, not an error */
	o = parse_ok("");
	CHECK(o == NULL);
	o = parse_ok("# only a comment\n");
	CHECK(o == NULL);
}

static void test_aliases(void)
{
	struct json_object *o = parse_ok("base: &b {x: 1}\n"
					 "copy: *b\n");
	struct json_object *v = get(o, "copy");

	CHECK(is(v, json_type_object));
	v = v ? get(v, "x") : NULL;
	CHECK(is(v, json_type_int) && json_object_get_int64(v) == 1);
	json_object_put(o);
}

static void test_errors(void)
{
	struct json_object *o = (struct json_object *)1;
	struct diag d;
	const char *bad = "title: ok\nlist: [a, b\nnext: x\n";
	const char *tab = "a: 1\n\tb: 2\n";

	diag_init(&d);
	/* line_offset shifts libyaml's lines to file lines */
	CHECK_INT(yamljson_parse(bad, strlen(bad), "ch.md", 1, &o, &d), -1);
	CHECK(o == NULL);
	CHECK_INT(yamljson_parse(bad, strlen(bad), "book.yml", 0, &o, &d), -1);
	CHECK_INT(yamljson_parse(tab, strlen(tab), "x.yml", 10, &o, &d), -1);
	CHECK_INT(d.n, 3);
	if (d.n == 3) {
		CHECK_STR(d.v[0].file, "ch.md");
		CHECK_INT(d.v[0].line, 4);
		CHECK_INT(d.v[0].col, 5);
		CHECK_STR(d.v[0].msg, "invalid YAML: did not find expected ',' "
				      "or ']' while parsing a flow sequence");
		CHECK_STR(d.v[1].file, "book.yml");
		CHECK_INT(d.v[1].line, 3);
		CHECK_INT(d.v[1].col, 5);
		CHECK_STR(d.v[2].file, "x.yml");
		CHECK_INT(d.v[2].line, 12);
		CHECK_INT(d.v[2].col, 1);
		CHECK_STR(d.v[2].msg, "invalid YAML: found a tab character "
				      "that violates indentation while "
				      "scanning a plain scalar");
		CHECK_INT(d.v[2].level, DIAG_ERROR);
	}
	diag_release(&d);
}

/* "Billion laughs": each level refers to the one before ten times. The
 * expansion hits YAMLJSON_MAX_NODES and fails instead of running for
 * ever or eating all memory. */
static void test_alias_bomb(void)
{
	struct buf b = BUF_INIT;
	struct json_object *o = (struct json_object *)1;
	struct diag d;
	int i, j;

	buf_adds(&b,
		 "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (i = 1; i < 12; i++) {
		buf_addf(&b, "a%d: &a%d [", i, i);
		for (j = 0; j < 10; j++)
			buf_addf(&b, "%s*a%d", j ? ", " : "", i - 1);
		buf_adds(&b, "]\n");
	}
	diag_init(&d);
	CHECK_INT(yamljson_parse(b.ptr, b.len, "bomb.yml", 2, &o, &d), -1);
	CHECK(o == NULL);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].file, "bomb.yml");
		CHECK_INT(d.v[0].line, 3);
		CHECK_INT(d.v[0].col, 1);
		CHECK_STR(d.v[0].msg, "YAML too large or too deeply nested "
				      "(limit 100000 nodes)");
	}
	diag_release(&d);
	buf_release(&b);
}

/* Nesting deeper than the limit is refused too. */
static void test_deep(void)
{
	struct buf b = BUF_INIT;
	struct json_object *o = (struct json_object *)1;
	struct diag d;
	int i;

	for (i = 0; i < 200; i++)
		buf_addch(&b, '[');
	for (i = 0; i < 200; i++)
		buf_addch(&b, ']');
	diag_init(&d);
	CHECK_INT(yamljson_parse(b.ptr, b.len, "deep.yml", 0, &o, &d), -1);
	CHECK(o == NULL);
	CHECK_INT(d.n, 1);
	diag_release(&d);
	buf_release(&b);

	/* 60 levels are fine */
	for (i = 0; i < 60; i++)
		buf_addch(&b, '[');
	for (i = 0; i < 60; i++)
		buf_addch(&b, ']');
	o = parse_ok(b.ptr);
	CHECK(is(o, json_type_array));
	json_object_put(o);
	buf_release(&b);

	/* block collections too, one indicator per level: a mapping 65
	 * deep is refused at the line of its 65th level, 64 are fine */
	for (i = 0; i < 65; i++)
		buf_addf(&b, "%*sk%d:\n", i, "", i);
	buf_addf(&b, "%*sx\n", 65, "");
	diag_init(&d);
	CHECK_INT(yamljson_parse(b.ptr, b.len, "deep.yml", 0, &o, &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_INT(d.v[0].line, 65);
		CHECK_STR(d.v[0].msg, "YAML nested deeper than 64 levels");
	}
	diag_release(&d);
	buf_release(&b);
	for (i = 0; i < 64; i++)
		buf_addf(&b, "%*sk%d:\n", i, "", i);
	buf_addf(&b, "%*sx\n", 64, "");
	o = parse_ok(b.ptr);
	CHECK(is(o, json_type_object));
	json_object_put(o);
	buf_release(&b);

	/* and sequences in sequences on one line */
	for (i = 0; i < 65; i++)
		buf_adds(&b, "- ");
	buf_adds(&b, "x\n");
	diag_init(&d);
	CHECK_INT(yamljson_parse(b.ptr, b.len, "deep.yml", 0, &o, &d), -1);
	CHECK_INT(d.n, 1);
	diag_release(&d);
	buf_release(&b);
}

int main(void)
{
	RUN(test_types);
	RUN(test_number_text);
	RUN(test_nested);
	RUN(test_aliases);
	RUN(test_errors);
	RUN(test_alias_bomb);
	RUN(test_deep);
	return harness_done();
}
