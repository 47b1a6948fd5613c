/* ts_match.h's matcher against tree-sitter's query cursor on patterns
 * of every shape it takes, beyond those the grammars' highlights.scm
 * use: child nodes in order, `.` anchors, named and anonymous
 * wildcards, alternatives with a field, captures at several levels. Both
 * must find the same set of (pattern, capture, node), on C code whole,
 * cut, and with bytes taken out. Shapes it does not take are declined. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "harness.h"
#include "ts_match.h"

const TSLanguage *tree_sitter_c(void);

static const char query[] =
	"(translation_unit (function_definition) @a (declaration) @b)\n"
	"(compound_statement . (declaration) @first)\n"
	"(compound_statement (expression_statement) @x . "
	"(return_statement) @y)\n"
	"(argument_list (_) @arg)\n"
	"(argument_list _ @any)\n"
	"(call_expression function: (identifier) @fn arguments: "
	"(argument_list (number_literal) @num)) @call\n"
	"(binary_expression left: [(identifier) (number_literal)] @l "
	"right: (_) @r) @bin\n"
	"[(if_statement) (for_statement) \"return\"] @stmt\n"
	"(ERROR) @err\n"
	"(_) @named\n"
	"(field_expression field: (field_identifier) @f)\n"
	"(binary_expression right: (identifier) @ri)\n"
	"(init_declarator (identifier) @v (number_literal) @n)\n"
	"((identifier) @upper (#match? @upper \"^[A-Z]\"))\n";

static const char code[] = "#include <stdio.h>\n"
			   "int A = 1, b = 2;\n"
			   "struct s { int x; };\n"
			   "static int f(int a, struct s *p)\n"
			   "{\n"
			   "\tint k = 3; int j = a + 4;\n"
			   "\tp->x = k * 2 + a;\n"
			   "\tif (a > 1) { g(1, a, \"s\", 2); }\n"
			   "\tfor (int i = 0; i < 9; i++) Call(i, 5);\n"
			   "\tputs(\"x\");\n"
			   "\treturn p->x + B;\n"
			   "}\n"
			   "long c = 7;\n"
			   "int main(void) { return f(1, 0) ) ; }\n";

/* The captures found, as sorted (pattern, capture, start, end). */
struct found {
	uint32_t (*t)[4];
	size_t n, cap;
};

static void found_add(struct found *f, uint32_t p, uint32_t c, uint32_t s,
		      uint32_t e)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->t = realloc(f->t, f->cap * sizeof(*f->t));
	}
	f->t[f->n][0] = p;
	f->t[f->n][1] = c;
	f->t[f->n][2] = s;
	f->t[f->n][3] = e;
	f->n++;
}

static int tuple_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(uint32_t[4]));
}

/* Sorts and drops repeats. */
static void found_settle(struct found *f)
{
	size_t i, k = 0;

	if (f->n)
		qsort(f->t, f->n, sizeof(*f->t), tuple_cmp);
	for (i = 0; i < f->n; i++)
		if (!k || tuple_cmp(f->t[k - 1], f->t[i]))
			memcpy(f->t[k++], f->t[i], sizeof(*f->t));
	f->n = k;
}

static const char *text; /* of the tree being matched */
static uint32_t upper_capture;

/* The one predicate of the query: an identifier that starts upper case. */
static int starts_upper(uint32_t start, uint32_t end)
{
	return end > start && text[start] >= 'A' && text[start] <= 'Z';
}

static int hook_holds(void *ctx, uint32_t p, const uint16_t *caps, unsigned n,
		      uint32_t start, uint32_t end)
{
	unsigned k;

	(void)ctx;
	(void)p;
	for (k = 0; k < n; k++)
		if (caps[k] == upper_capture && !starts_upper(start, end))
			return 0;
	return 1;
}

static void hook_capture(void *ctx, uint32_t p, uint16_t c, uint32_t s,
			 uint32_t e)
{
	found_add(ctx, p, c, s, e);
}

static void by_cursor(const TSQuery *q, TSTree *tree, struct found *f)
{
	TSQueryCursor *cur = ts_query_cursor_new();
	TSQueryMatch m;
	uint16_t c;

	ts_query_cursor_exec(cur, q, ts_tree_root_node(tree));
	while (ts_query_cursor_next_match(cur, &m)) {
		int ok = 1;
		for (c = 0; c < m.capture_count; c++)
			if (m.captures[c].index == upper_capture &&
			    !starts_upper(ts_node_start_byte(m.captures[c].node),
					  ts_node_end_byte(m.captures[c].node)))
				ok = 0;
		for (c = 0; ok && c < m.capture_count; c++)
			found_add(f, m.pattern_index, m.captures[c].index,
				  ts_node_start_byte(m.captures[c].node),
				  ts_node_end_byte(m.captures[c].node));
	}
	ts_query_cursor_delete(cur);
	found_settle(f);
}

/* Whether matcher and cursor find the same captures in `src`; adds to
 * *total how many there were. */
static int same_captures(const TSQuery *q, const struct ts_match_plan *plan,
			 struct ts_matcher *m, const char *src, size_t len,
			 size_t *total)
{
	TSParser *parser = ts_parser_new();
	struct found a = { 0 }, b = { 0 };
	const struct ts_match_hooks hooks = { &a, hook_holds, hook_capture };
	TSTree *tree;
	int same;

	ts_parser_set_language(parser, tree_sitter_c());
	tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
	text = src;
	CHECK(ts_matcher_run(m, plan, tree, &hooks) == 0);
	found_settle(&a);
	by_cursor(q, tree, &b);
	same = a.n == b.n && (!a.n || !memcmp(a.t, b.t, a.n * sizeof(*a.t)));
	if (!same) {
		size_t i = 0;
		while (i < a.n && i < b.n && !tuple_cmp(a.t[i], b.t[i]))
			i++;
		fprintf(stderr,
			"  %zu bytes: matcher %zu captures, cursor %zu; "
			"first apart: pattern %u capture %u [%u, %u) vs "
			"pattern %u capture %u [%u, %u)\n",
			len, a.n, b.n, i < a.n ? a.t[i][0] : 0,
			i < a.n ? a.t[i][1] : 0, i < a.n ? a.t[i][2] : 0,
			i < a.n ? a.t[i][3] : 0, i < b.n ? b.t[i][0] : 0,
			i < b.n ? b.t[i][1] : 0, i < b.n ? b.t[i][2] : 0,
			i < b.n ? b.t[i][3] : 0);
	}
	if (total)
		*total += a.n;
	free(a.t);
	free(b.t);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return same;
}

static TSQuery *compile(const char *src)
{
	uint32_t at;
	TSQueryError err;

	return ts_query_new(tree_sitter_c(), src, (uint32_t)strlen(src), &at,
			    &err);
}

static void test_shapes_match_the_cursor(void)
{
	TSQuery *q = compile(query);
	struct ts_match_plan *plan;
	struct ts_matcher *m = ts_matcher_new();
	size_t len = strlen(code), cut, k, total = 0, differ = 0;
	uint32_t seed = 777, i, n;
	char copy[sizeof(code)];

	CHECK(q != NULL);
	if (!q)
		return;
	for (i = 0, n = ts_query_capture_count(q); i < n; i++) {
		uint32_t l;
		if (!strcmp(ts_query_capture_name_for_id(q, i, &l), "upper"))
			upper_capture = i;
	}
	plan = ts_match_plan_new(q);
	CHECK(plan != NULL);
	if (!plan) {
		ts_query_delete(q);
		ts_matcher_free(m);
		return;
	}
	CHECK(same_captures(q, plan, m, code, len, &total));
	CHECK(total > 60);
	for (cut = 0; cut < len; cut++)
		differ += !same_captures(q, plan, m, code, cut, NULL);
	for (k = 0; k < 300; k++) {
		size_t at, out;
		seed = seed * 1103515245u + 12345u;
		at = (seed >> 8) % (len - 6);
		out = 1 + (seed >> 4) % 6;
		memcpy(copy, code, at);
		memcpy(copy + at, code + at + out, len - at - out);
		differ += !same_captures(q, plan, m, copy, len - out, NULL);
	}
	CHECK_INT(differ, 0);
	ts_match_plan_free(plan);
	ts_matcher_free(m);
	ts_query_delete(q);
}

static void test_other_shapes_declined(void)
{
	static const char *const other[] = {
		"(argument_list (identifier)* @x)",
		"(argument_list (identifier)+ @x)",
		"(argument_list (identifier)? @x)",
		"((comment) @c . (function_definition))",
		"(function_definition !declarator)",
		"(argument_list [(identifier) (call_expression (identifier))])",
		"(_ (identifier) @x)",
		"(argument_list (identifier) @a (identifier) @b "
		"(#eq? @a @b))",
		"(compound_statement (declaration) @d .)",
		"(argument_list _ . (identifier) @x)",
	};
	size_t i;

	for (i = 0; i < sizeof(other) / sizeof(*other); i++) {
		TSQuery *q = compile(other[i]);
		struct ts_match_plan *plan = q ? ts_match_plan_new(q) : NULL;
		CHECK(q != NULL);
		if (plan)
			fprintf(stderr, "  taken: %s\n", other[i]);
		CHECK(plan == NULL);
		ts_match_plan_free(plan);
		ts_query_delete(q);
	}
}

static void test_other_language_refused(void)
{
	TSQuery *q = compile("(identifier) @x");
	struct ts_match_plan *plan = ts_match_plan_new(q);
	struct ts_matcher *m = ts_matcher_new();
	TSParser *parser = ts_parser_new();
	const TSLanguage *tree_sitter_json(void);
	struct found f = { 0 };
	const struct ts_match_hooks hooks = { &f, hook_holds, hook_capture };
	TSTree *tree;

	ts_parser_set_language(parser, tree_sitter_json());
	tree = ts_parser_parse_string(parser, NULL, "[1]", 3);
	CHECK(ts_matcher_run(m, plan, tree, &hooks) == -1);
	CHECK(f.n == 0);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	ts_matcher_free(m);
	ts_match_plan_free(plan);
	ts_query_delete(q);
}

int main(void)
{
	RUN(test_shapes_match_the_cursor);
	RUN(test_other_shapes_declined);
	RUN(test_other_language_refused);
	return harness_done();
}
