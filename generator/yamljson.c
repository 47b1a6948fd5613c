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
	return !*end && !errno && (isdigit((unsigned char)s[0]) ||
				   ((s[0] == '-' || s[0] == '+') &&
				    isdigit((unsigned char)s[1])));
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

static struct json_object *yamljson_scalar(yaml_node_t *node)
{
	const char *s = (const char *)node->data.scalar.value;
	long long iv;
	double dv;

	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_object_new_string_len(s, (int)node->data.scalar.length);
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL"))
		return NULL;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_object_new_boolean(1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_object_new_boolean(0);
	if (yamljson_is_int(s, &iv))
		return json_object_new_int64(iv);
	if (yamljson_is_float(s, &dv))
		return json_object_new_double(dv);
	return json_object_new_string_len(s, (int)node->data.scalar.length);
}

static int yamljson_node(struct yamljson *y, yaml_node_t *node,
			 struct json_object **out)
{
	*out = NULL;
	if (!node)
		return 0;
	if (!y->budget || y->depth > 64)
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
			if (yamljson_node(y, yaml_document_get_node(y->doc, *it),
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
			if (yamljson_node(y, yaml_document_get_node(y->doc,
								    p->value),
					  &v) < 0) {
				json_object_put(obj);
				return -1;
			}
			json_object_object_add(obj,
					       (const char *)k->data.scalar.value,
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

int yamljson_parse(const char *text, size_t len, const char *file,
		   int line_offset, struct json_object **out, struct diag *d)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct yamljson y;
	int r;

	*out = NULL;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_mark_t m = parser.problem_mark;
		diag_error(d, file, (int)m.line + 1 + line_offset,
			   (int)m.column + 1, "invalid YAML: %s%s%s",
			   parser.problem ? parser.problem : "syntax error",
			   parser.context ? " " : "",
			   parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	y.doc = &doc;
	y.budget = YAMLJSON_MAX_NODES;
	y.depth = 0;
	r = yamljson_node(&y, yaml_document_get_root_node(&doc), out);
	if (r < 0)
		diag_error(d, file, line_offset + 1, 1,
			   "YAML too large or too deeply nested (limit %d nodes)",
			   YAMLJSON_MAX_NODES);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return r;
}
