#include "yamljson.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"

struct yamljson {
	yaml_document_t *doc;
	size_t budget;
	int depth;
};

static int yamljson_is_int(const char *s, long long *v)
{
	char *end;

	if (!*s)
		return 0;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return !*end && !errno &&
	       (isdigit((unsigned char)s[0]) ||
		((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])));
}

static int yamljson_is_float(const char *s, double *v)
{
	char *end;
	const char *p = s;

	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p) && *p != '.')
		return 0;
	errno = 0;
	*v = strtod(s, &end);
	return !*end && !errno && strpbrk(s, "xXnN") == NULL;
}

/* Whether `s` is written as JSON writes numbers: -?(0|[1-9][0-9]*),
 * then optionally .[0-9]+ and [eE][-+]?[0-9]+. */
static int yamljson_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return 0;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return !*s;
}

static struct json_object *yamljson_scalar(yaml_node_t *node)
{
	const char *s = (const char *)node->data.scalar.value, *digits;
	long long iv;
	double dv;

	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_object_new_string_len(s,
						  (int)node->data.scalar.length);
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL"))
		return NULL;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_object_new_boolean(1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_object_new_boolean(0);
	/* "007" stays text: numbers are not written with a leading zero */
	digits = s + (s[0] == '-' || s[0] == '+');
	if (digits[0] == '0' && isdigit((unsigned char)digits[1]))
		return json_object_new_string_len(s,
						  (int)node->data.scalar.length);
	if (yamljson_is_int(s, &iv))
		return json_object_new_int64(iv);
	/* a double keeps its text when that is a valid JSON number, so that
	 * "3.10" reads back as "3.10", not "3.1000000000000001" */
	if (yamljson_is_float(s, &dv))
		return yamljson_json_number(s) ? json_object_new_double_s(dv, s)
					       : json_object_new_double(dv);
	return json_object_new_string_len(s, (int)node->data.scalar.length);
}

static int yamljson_node(struct yamljson *y, yaml_node_t *node,
			 struct json_object **out)
{
	*out = NULL;
	if (!node)
		return 0;
	if (!y->budget || y->depth > YAMLJSON_MAX_DEPTH)
		return -1;
	y->budget--;
	switch (node->type) {
	case YAML_SCALAR_NODE:
		*out = yamljson_scalar(node);
		return 0;
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it;
		struct json_object *arr = json_object_new_array();
		y->depth++;
		for (it = node->data.sequence.items.start;
		     it < node->data.sequence.items.top; it++) {
			struct json_object *v;
			if (yamljson_node(y,
					  yaml_document_get_node(y->doc, *it),
					  &v) < 0) {
				json_object_put(arr);
				return -1;
			}
			json_object_array_add(arr, v);
		}
		y->depth--;
		*out = arr;
		return 0;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p;
		struct json_object *obj = json_object_new_object();
		y->depth++;
		for (p = node->data.mapping.pairs.start;
		     p < node->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
			struct json_object *v;
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			if (yamljson_node(y,
					  yaml_document_get_node(y->doc,
								 p->value),
					  &v) < 0) {
				json_object_put(obj);
				return -1;
			}
			json_object_object_add(obj,
					       (const char *)
						       k->data.scalar.value,
					       v);
		}
		y->depth--;
		*out = obj;
		return 0;
	}
	default:
		return 0;
	}
}

/* libyaml's scanner spends time in proportion to the flow nesting depth
 * on every token, so loading "[[[[..." 50,000 deep takes minutes. The
 * event parser, run first, stops at the first node nested deeper than
 * YAMLJSON_MAX_DEPTH: returns its 0-based line, or -1 when there is none
 * (a syntax error is left for the loader to report). */
static long yamljson_too_deep(const char *text, size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, done = 0;
	long deep = -1;

	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && deep < 0 && yaml_parser_parse(&p, &ev)) {
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YAMLJSON_MAX_DEPTH)
				deep = (long)ev.start_mark.line;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return deep;
}

/* Whether `text` has enough indicators to nest deeper than
 * YAMLJSON_MAX_DEPTH: each level needs one of its own ('-' or '[' for a
 * sequence, ':', '?' or '{' for a mapping). Front matter never has, and
 * is then spared the first pass. */
static int yamljson_may_be_deep(const char *text, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n <= YAMLJSON_MAX_DEPTH; i++)
		if (text[i] == '-' || text[i] == '[' || text[i] == ':' ||
		    text[i] == '?' || text[i] == '{')
			n++;
	return n > YAMLJSON_MAX_DEPTH;
}

/* Whether the line holding byte `at` of `text` has a ': ' before it: the
 * ': ' at `at` is then a second one in a plain value. */
static int yamljson_second_colon(const char *text, size_t at)
{
	size_t start = at, i;

	while (start && text[start - 1] != '\n')
		start--;
	for (i = start; i + 1 < at; i++)
		if (text[i] == ':' && text[i + 1] == ' ')
			return 1;
	return 0;
}

int yamljson_parse(const char *text, size_t len, const char *file,
		   int line_offset, struct json_object **out, struct diag *d)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yamljson y;
	long deep;
	int r;

	*out = NULL;
	deep = yamljson_may_be_deep(text, len) ? yamljson_too_deep(text, len)
					       : -1;
	if (deep >= 0)
		return diag_error(d, file, (int)deep + 1 + line_offset, 1,
				  "YAML nested deeper than %d levels",
				  YAMLJSON_MAX_DEPTH);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_mark_t m = parser.problem_mark;
		const char *problem = parser.problem ? parser.problem : "";
		const char *context = parser.context ? parser.context : "";
		if (strstr(context, "quoted scalar") &&
		    strstr(problem, "end of stream")) {
			/* found at the end of the file: where the quote
			 * opens is where to look */
			m = parser.context_mark;
			diag_error(d, file, (int)m.line + 1 + line_offset,
				   (int)m.column + 1,
				   "invalid YAML: the quote that opens here is "
				   "never closed");
		} else if (strstr(problem, "mapping values are not allowed") &&
			   yamljson_second_colon(text, m.index)) {
			/* `title: Step 2: Grind` */
			diag_error(d, file, (int)m.line + 1 + line_offset,
				   (int)m.column + 1,
				   "invalid YAML: a value with ': ' in it must "
				   "be quoted, as in title: \"Step 2: Grind\"");
		} else {
			diag_error(d, file, (int)m.line + 1 + line_offset,
				   (int)m.column + 1, "invalid YAML: %s%s%s",
				   *problem ? problem : "syntax error",
				   *context ? " " : "", context);
		}
		diag_attach_source(d, text, len, (int)m.line + 1);
		yaml_parser_delete(&parser);
		return -1;
	}
	y.doc = &doc;
	y.budget = YAMLJSON_MAX_NODES;
	y.depth = 0;
	r = yamljson_node(&y, yaml_document_get_root_node(&doc), out);
	if (r < 0)
		diag_error(
			d, file, line_offset + 1, 1,
			"YAML too large or too deeply nested (limit %d nodes)",
			YAMLJSON_MAX_NODES);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return r;
}
