/* tmpl_render: rendering a template of a set (see tmpl.h).
 *
 * Rendering walks the node array. Everything it changes lives in a
 * struct tmpl_render on the caller's stack: the context stack and the
 * chain of block overrides are linked lists of stack frames, and the
 * current indentation is a region of a buffer owned by the call.
 *
 * Indentation. A standalone partial or parent prefixes every line of the
 * included template with the whitespace before the tag. A block whose
 * opening tag is standalone is re-indented: the whitespace common to its
 * lines is removed (the node's `ws`) and the indentation of the block it
 * replaces (that node's `text`: its own common whitespace, or, when it
 * has no lines, the whitespace before its tag) is put in front instead.
 * While rendering, struct tmpl_state says what goes at the start of each
 * line: the indentation to add and how many bytes of the line's own
 * leading whitespace to drop. */
#include "tmpl.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tmpl_tree.h"

/* One entry of the context stack. */
struct tmpl_ctx {
	struct json_object *v;
	const struct tmpl_ctx *up;
};

/* One parent being rendered: its block children override the blocks of
 * the templates it includes. The outermost override wins. */
struct tmpl_args {
	const struct tmpl *t;
	size_t node;
	const struct tmpl_args *up;
};

/* What goes at each line start: ind.ptr[from, to) is added, and up to
 * `strip` bytes of the line's own leading whitespace are dropped. While a
 * state is in use, ind.len == to. */
struct tmpl_state {
	size_t from, to, strip;
};

struct tmpl_render {
	const struct tmpl_set *set;
	struct buf *out;
	struct diag *d;
	struct buf ind;
	int depth;
};

static int tmpl_render_range(struct tmpl_render *r, const struct tmpl *t,
			     size_t i, size_t end, const struct tmpl_ctx *ctx,
			     const struct tmpl_args *args,
			     const struct tmpl_state *st);

/* Looks up a variable or section name. Returns whether it was found; a
 * JSON null is found, with *v set to NULL. */
static int tmpl_lookup(const struct tmpl_ctx *ctx, const struct tmpl_node *n,
		       struct json_object **v)
{
	const char *part = n->path;
	unsigned i;

	if (!n->nparts) {
		*v = ctx->v;
		return 1;
	}
	for (; ctx; ctx = ctx->up)
		if (json_object_is_type(ctx->v, json_type_object) &&
		    json_object_object_get_ex(ctx->v, part, v))
			break;
	if (!ctx)
		return 0;
	for (i = 1; i < n->nparts; i++) {
		part += strlen(part) + 1;
		if (!json_object_is_type(*v, json_type_object) ||
		    !json_object_object_get_ex(*v, part, v))
			return 0;
	}
	return 1;
}

static int tmpl_truthy(struct json_object *v)
{
	double x;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_int:
		return json_object_get_int64(v) != 0;
	case json_type_double:
		x = json_object_get_double(v);
		return x != 0 && !isnan(x);
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_object:
		return 1;
	}
	return 1;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as x. */
static void tmpl_add_double(struct buf *out, double x)
{
	char s[40], *c;
	int prec;

	if (isnan(x)) {
		buf_adds(out, "NaN");
		return;
	}
	if (isinf(x)) {
		buf_adds(out, x < 0 ? "-Infinity" : "Infinity");
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, x);
		if (strtod(s, NULL) == x)
			break;
	}
	if (prec == 17)
		snprintf(s, sizeof(s), "%.17g", x);
	/* Whatever the locale, the decimal separator is a point. */
	for (c = s; *c; c++)
		if (!strchr("0123456789+-eE", *c))
			*c = '.';
	buf_adds(out, s);
}

static void tmpl_add_value(struct buf *out, struct json_object *v, int escape)
{
	int64_t i;

	switch (json_object_get_type(v)) {
	case json_type_null:
	case json_type_object:
	case json_type_array:
		break;
	case json_type_boolean:
		buf_adds(out, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		i = json_object_get_int64(v);
		if (i == INT64_MAX)
			buf_addf(out, "%" PRIu64, json_object_get_uint64(v));
		else
			buf_addf(out, "%" PRId64, i);
		break;
	case json_type_double:
		tmpl_add_double(out, json_object_get_double(v));
		break;
	case json_type_string:
		if (escape)
			buf_add_html(out, json_object_get_string(v),
				     (size_t)json_object_get_string_len(v));
		else
			buf_add(out, json_object_get_string(v),
				(size_t)json_object_get_string_len(v));
		break;
	}
}

static int tmpl_too_deep(struct tmpl_render *r, const struct tmpl *t,
			 const struct tmpl_node *n)
{
	return diag_error(r->d, t->file, n->line, n->col,
			  "%s '%s' nested deeper than %d levels",
			  n->kind == TMPL_PARTIAL  ? "partial"
			  : n->kind == TMPL_PARENT ? "parent"
						   : "block",
			  n->name, TMPL_MAX_DEPTH);
}

/* Sets *ns for content included by tag n under state st: a standalone
 * tag adds the indentation of its line (less what st strips) to the
 * current one, any other tag starts from none. */
static void tmpl_indent(struct tmpl_render *r, const struct tmpl_node *n,
			const struct tmpl_state *st, size_t strip,
			struct tmpl_state *ns)
{
	if (n->flags & TMPL_STANDALONE) {
		size_t s = st->strip < n->len ? st->strip : n->len;

		buf_add(&r->ind, n->text + s, n->len - s);
		ns->from = st->from;
	} else {
		ns->from = r->ind.len;
	}
	ns->to = r->ind.len;
	ns->strip = strip;
}

/* {{>name}} and {{<name}}...{{/name}}. */
static int tmpl_render_include(struct tmpl_render *r, const struct tmpl *t,
			       size_t i, const struct tmpl_ctx *ctx,
			       const struct tmpl_args *args,
			       const struct tmpl_state *st)
{
	const struct tmpl_node *n = &t->nodes[i];
	const struct tmpl *inc = tmpl_set_find(r->set, n->name, n->hash);
	struct tmpl_args a;
	struct tmpl_state ns;
	int rc;

	if (!inc)
		return 0;
	if (r->depth >= TMPL_MAX_DEPTH)
		return tmpl_too_deep(r, t, n);
	if (n->kind == TMPL_PARENT) {
		a.t = t;
		a.node = i;
		a.up = args;
		args = &a;
	}
	tmpl_indent(r, n, st, 0, &ns);
	r->depth++;
	rc = tmpl_render_range(r, inc, 0, inc->n, ctx, args, &ns);
	r->depth--;
	buf_truncate(&r->ind, st->to);
	return rc;
}

/* {{$name}}...{{/name}} outside a parent: the outermost override, else
 * the default content. */
static int tmpl_render_block(struct tmpl_render *r, const struct tmpl *t,
			     size_t i, const struct tmpl_ctx *ctx,
			     const struct tmpl_args *args,
			     const struct tmpl_state *st)
{
	const struct tmpl_node *n = &t->nodes[i], *o = NULL;
	const struct tmpl *ot = NULL;
	const struct tmpl_args *a;
	struct tmpl_state ns;
	size_t oi = 0;
	int rc;

	for (a = args; a; a = a->up) {
		const struct tmpl_node *nodes = a->t->nodes;
		size_t k, end = nodes[a->node].next;

		for (k = a->node + 1; k < end; k = nodes[k].next) {
			if (nodes[k].kind == TMPL_BLOCK &&
			    nodes[k].hash == n->hash &&
			    !strcmp(nodes[k].name, n->name)) {
				ot = a->t;
				oi = k;
				break;
			}
		}
	}
	if (!ot)
		return tmpl_render_range(r, t, i + 1, n->next, ctx, args, st);
	if (r->depth >= TMPL_MAX_DEPTH)
		return tmpl_too_deep(r, t, n);
	o = &ot->nodes[oi];
	tmpl_indent(r, n, st, o->ws, &ns);
	/* Inline content in place of a standalone block starts a line. */
	if ((n->flags & TMPL_STANDALONE) && !(o->flags & TMPL_STANDALONE) &&
	    oi + 1 < o->next)
		buf_add(r->out, r->ind.ptr + ns.from, ns.to - ns.from);
	r->depth++;
	rc = tmpl_render_range(r, ot, oi + 1, o->next, ctx, args, &ns);
	r->depth--;
	buf_truncate(&r->ind, st->to);
	return rc;
}

static int tmpl_render_section(struct tmpl_render *r, const struct tmpl *t,
			       size_t i, const struct tmpl_ctx *ctx,
			       const struct tmpl_args *args,
			       const struct tmpl_state *st)
{
	const struct tmpl_node *n = &t->nodes[i];
	struct json_object *v = NULL;
	struct tmpl_ctx top;
	int on = tmpl_lookup(ctx, n, &v) && tmpl_truthy(v);
	size_t k, len;

	if (n->kind == TMPL_INVERTED)
		return on ? 0
			  : tmpl_render_range(r, t, i + 1, n->next, ctx, args,
					      st);
	if (!on)
		return 0;
	top.up = ctx;
	if (!json_object_is_type(v, json_type_array)) {
		top.v = v;
		return tmpl_render_range(r, t, i + 1, n->next, &top, args, st);
	}
	len = json_object_array_length(v);
	for (k = 0; k < len; k++) {
		top.v = json_object_array_get_idx(v, k);
		if (tmpl_render_range(r, t, i + 1, n->next, &top, args, st))
			return -1;
	}
	return 0;
}

static int tmpl_render_range(struct tmpl_render *r, const struct tmpl *t,
			     size_t i, size_t end, const struct tmpl_ctx *ctx,
			     const struct tmpl_args *args,
			     const struct tmpl_state *st)
{
	while (i < end) {
		const struct tmpl_node *n = &t->nodes[i];
		struct json_object *v;
		size_t s;

		switch (n->kind) {
		case TMPL_TEXT:
			if (!(n->flags & TMPL_BOL)) {
				buf_add(r->out, n->text, n->len);
				break;
			}
			if (!(n->flags & TMPL_EMPTY_LINE))
				buf_add(r->out, r->ind.ptr + st->from,
					st->to - st->from);
			s = st->strip < n->ws ? st->strip : n->ws;
			buf_add(r->out, n->text + s, n->len - s);
			break;
		case TMPL_VAR:
		case TMPL_RAW:
			if (tmpl_lookup(ctx, n, &v))
				tmpl_add_value(r->out, v, n->kind == TMPL_VAR);
			break;
		case TMPL_SECTION:
		case TMPL_INVERTED:
			if (tmpl_render_section(r, t, i, ctx, args, st))
				return -1;
			break;
		case TMPL_PARTIAL:
		case TMPL_PARENT:
			if (tmpl_render_include(r, t, i, ctx, args, st))
				return -1;
			break;
		case TMPL_BLOCK:
			if (tmpl_render_block(r, t, i, ctx, args, st))
				return -1;
			break;
		}
		i = n->next;
	}
	return 0;
}

int tmpl_render(const struct tmpl_set *set, const char *name,
		struct json_object *ctx, struct buf *out, struct diag *d)
{
	const struct tmpl *t = tmpl_set_find(set, name, tmpl_hash(name));
	struct tmpl_render r;
	struct tmpl_ctx root;
	struct tmpl_state st = { 0, 0, 0 };
	size_t mark = out->len;
	int rc;

	if (!t)
		return diag_error(d, NULL, 0, 0, "unknown template '%s'", name);
	r.set = set;
	r.out = out;
	r.d = d;
	buf_init(&r.ind);
	r.depth = 0;
	root.v = ctx;
	root.up = NULL;
	rc = tmpl_render_range(&r, t, 0, t->n, &root, NULL, &st);
	buf_release(&r.ind);
	if (rc)
		buf_truncate(out, mark);
	return rc;
}
