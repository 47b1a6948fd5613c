/* ts_query_image.h's functions. Part of the runtime's unit
 * (ts_runtime.c), after the runtime's lib.c: they read its private
 * structures. */
#include "ts_query_image.h"

#include "buf.h"

/* Bumped when the bytes are laid out otherwise. */
#define TSQI_FORMAT 1

/* The layout the bytes depend on: the format, then the size of each
 * structure stored whole. */
static const uint32_t tsqi_head[] = {
	0x49515354u, /* "TSQI" */
	TSQI_FORMAT,
	sizeof(Slice),
	sizeof(QueryStep),
	sizeof(PatternEntry),
	sizeof(TSQueryPredicateStep),
	sizeof(QueryPattern),
	sizeof(StepOffset),
	sizeof(TSFieldId),
	sizeof(TSSymbol),
};

/* An array: its element count, then its elements. */
static void tsqi_put_array(struct buf *o, const void *array, size_t elem)
{
	const Array *a = array;

	buf_add(o, &a->size, sizeof(a->size));
	buf_add(o, a->contents, (size_t)a->size * elem);
}

#define TSQI_PUT(o, a) tsqi_put_array(o, a, array_elem_size(a))

/* The structures with padding (or unused bits) are written a field at a
 * time into zeroed copies, so that equal queries give equal bytes. */
#define TSQI_PUT_EACH(o, a, copy)                          \
	do {                                               \
		uint32_t i_;                               \
		buf_add(o, &(a)->size, sizeof((a)->size)); \
		for (i_ = 0; i_ < (a)->size; i_++) {       \
			__typeof__((a)->contents[0]) t_;   \
			memset(&t_, 0, sizeof(t_));        \
			copy(&t_, &(a)->contents[i_]);     \
			buf_add(o, &t_, sizeof(t_));       \
		}                                          \
	} while (0)

static void tsqi_step(QueryStep *t, const QueryStep *s)
{
	t->symbol = s->symbol;
	t->supertype_symbol = s->supertype_symbol;
	t->field = s->field;
	memcpy(t->capture_ids, s->capture_ids, sizeof(t->capture_ids));
	t->depth = s->depth;
	t->alternative_index = s->alternative_index;
	t->negated_field_list_id = s->negated_field_list_id;
	t->is_named = s->is_named;
	t->is_immediate = s->is_immediate;
	t->is_last_child = s->is_last_child;
	t->is_pass_through = s->is_pass_through;
	t->is_dead_end = s->is_dead_end;
	t->alternative_is_immediate = s->alternative_is_immediate;
	t->contains_captures = s->contains_captures;
	t->root_pattern_guaranteed = s->root_pattern_guaranteed;
	t->parent_pattern_guaranteed = s->parent_pattern_guaranteed;
	t->is_missing = s->is_missing;
}

static void tsqi_entry(PatternEntry *t, const PatternEntry *s)
{
	t->step_index = s->step_index;
	t->pattern_index = s->pattern_index;
	t->is_rooted = s->is_rooted;
}

static void tsqi_pattern(QueryPattern *t, const QueryPattern *s)
{
	t->steps = s->steps;
	t->predicate_steps = s->predicate_steps;
	t->start_byte = s->start_byte;
	t->end_byte = s->end_byte;
	t->is_non_local = s->is_non_local;
}

static void tsqi_offset(StepOffset *t, const StepOffset *s)
{
	t->byte_offset = s->byte_offset;
	t->step_index = s->step_index;
}

static void tsqi_pred(TSQueryPredicateStep *t, const TSQueryPredicateStep *s)
{
	t->type = s->type;
	t->value_id = s->value_id;
}

size_t ts_query_image(const TSQuery *q, unsigned char **out)
{
	struct buf o = BUF_INIT;
	uint32_t i, wildcards = q->wildcard_root_pattern_count;
	size_t len;

	buf_add(&o, tsqi_head, sizeof(tsqi_head));
	buf_add(&o, &wildcards, sizeof(wildcards));
	TSQI_PUT(&o, &q->captures.characters);
	TSQI_PUT(&o, &q->captures.slices);
	TSQI_PUT(&o, &q->predicate_values.characters);
	TSQI_PUT(&o, &q->predicate_values.slices);
	TSQI_PUT_EACH(&o, &q->steps, tsqi_step);
	TSQI_PUT_EACH(&o, &q->pattern_map, tsqi_entry);
	TSQI_PUT_EACH(&o, &q->predicate_steps, tsqi_pred);
	TSQI_PUT_EACH(&o, &q->patterns, tsqi_pattern);
	TSQI_PUT_EACH(&o, &q->step_offsets, tsqi_offset);
	TSQI_PUT(&o, &q->negated_fields);
	TSQI_PUT(&o, &q->repeat_symbols_with_rootless_patterns);
	buf_add(&o, &q->capture_quantifiers.size,
		sizeof(q->capture_quantifiers.size));
	for (i = 0; i < q->capture_quantifiers.size; i++)
		TSQI_PUT(&o, &q->capture_quantifiers.contents[i]);
	*out = (unsigned char *)buf_detach(&o, &len);
	return len;
}

struct tsqi_in {
	const unsigned char *p, *end;
};

static int tsqi_get(struct tsqi_in *in, void *data, size_t len)
{
	if ((size_t)(in->end - in->p) < len)
		return -1;
	memcpy(data, in->p, len);
	in->p += len;
	return 0;
}

/* Fills the empty array `array` of `elem`-byte elements. */
static int tsqi_get_array(struct tsqi_in *in, void *array, size_t elem)
{
	Array *a = array;
	uint32_t n;

	if (tsqi_get(in, &n, sizeof(n)) < 0 ||
	    (size_t)(in->end - in->p) / elem < n)
		return -1;
	if (n) {
		_array__reserve(a, elem, n);
		memcpy(a->contents, in->p, (size_t)n * elem);
		a->size = n;
		in->p += (size_t)n * elem;
	}
	return 0;
}

#define TSQI_GET(in, a) tsqi_get_array(in, a, array_elem_size(a))

static int tsqi_slice_in(Slice s, uint32_t size)
{
	return s.offset <= size && s.length <= size - s.offset;
}

/* Whether the slices and indexes that tie the arrays of `q` to one
 * another stay within them, and the steps end as a query's do. The
 * steps' own fields are taken as written: the bytes are this build's,
 * found by a key, not input. */
static int tsqi_sound(const TSQuery *q)
{
	uint32_t i;

	for (i = 0; i < q->captures.slices.size; i++)
		if (!tsqi_slice_in(q->captures.slices.contents[i],
				   q->captures.characters.size))
			return 0;
	for (i = 0; i < q->predicate_values.slices.size; i++)
		if (!tsqi_slice_in(q->predicate_values.slices.contents[i],
				   q->predicate_values.characters.size))
			return 0;
	for (i = 0; i < q->patterns.size; i++)
		if (!tsqi_slice_in(q->patterns.contents[i].steps,
				   q->steps.size) ||
		    !tsqi_slice_in(q->patterns.contents[i].predicate_steps,
				   q->predicate_steps.size))
			return 0;
	for (i = 0; i < q->pattern_map.size; i++)
		if (q->pattern_map.contents[i].step_index >= q->steps.size ||
		    q->pattern_map.contents[i].pattern_index >=
			    q->patterns.size)
			return 0;
	for (i = 0; i < q->step_offsets.size; i++)
		if (q->step_offsets.contents[i].step_index >= q->steps.size)
			return 0;
	/* every pattern ends with its done marker */
	return q->steps.size && q->steps.contents[q->steps.size - 1].depth ==
					PATTERN_DONE_MARKER;
}

TSQuery *ts_query_from_image(const TSLanguage *language,
			     const unsigned char *image, size_t len)
{
	struct tsqi_in in = { image, image + len };
	uint32_t head[sizeof(tsqi_head) / sizeof(*tsqi_head)], wildcards, n, i;
	TSQuery *q;

	if (!language || language->abi_version > TREE_SITTER_LANGUAGE_VERSION ||
	    language->abi_version <
		    TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION ||
	    tsqi_get(&in, head, sizeof(head)) < 0 ||
	    memcmp(head, tsqi_head, sizeof(head)) ||
	    tsqi_get(&in, &wildcards, sizeof(wildcards)) < 0 ||
	    wildcards > UINT16_MAX)
		return NULL;
	q = ts_calloc(1, sizeof(*q));
	q->language = ts_language_copy(language);
	q->wildcard_root_pattern_count = (uint16_t)wildcards;
	if (TSQI_GET(&in, &q->captures.characters) < 0 ||
	    TSQI_GET(&in, &q->captures.slices) < 0 ||
	    TSQI_GET(&in, &q->predicate_values.characters) < 0 ||
	    TSQI_GET(&in, &q->predicate_values.slices) < 0 ||
	    TSQI_GET(&in, &q->steps) < 0 ||
	    TSQI_GET(&in, &q->pattern_map) < 0 ||
	    TSQI_GET(&in, &q->predicate_steps) < 0 ||
	    TSQI_GET(&in, &q->patterns) < 0 ||
	    TSQI_GET(&in, &q->step_offsets) < 0 ||
	    TSQI_GET(&in, &q->negated_fields) < 0 ||
	    TSQI_GET(&in, &q->repeat_symbols_with_rootless_patterns) < 0 ||
	    tsqi_get(&in, &n, sizeof(n)) < 0 || n != q->patterns.size)
		goto bad;
	_array__reserve((Array *)&q->capture_quantifiers,
			array_elem_size(&q->capture_quantifiers), n ? n : 1);
	for (i = 0; i < n; i++) {
		CaptureQuantifiers cq = capture_quantifiers_new();
		int r = TSQI_GET(&in, &cq);
		array_push(&q->capture_quantifiers, cq);
		if (r < 0)
			goto bad;
	}
	if (in.p != in.end || !tsqi_sound(q))
		goto bad;
	return q;
bad:
	ts_query_delete(q);
	return NULL;
}
