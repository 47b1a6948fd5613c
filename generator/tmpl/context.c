#include "context.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"

/* Each type of value starts from a seed of its own, so that 1, "1" and
 * true differ. */
#define CTX_SEED(tag) (HASH_SEED ^ ((uint64_t)(unsigned char)(tag) << 56))

/* Every page of a book is keyed at each build, a few hundred values a
 * page: short values and names are mixed a word at a time here rather
 * than through hash_mix(), whose set-up costs more than they do. */
#define CTX_SHORT 32

static uint64_t ctx_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static uint64_t ctx_bytes(uint64_t h, const char *p, size_t len)
{
	size_t i;

	if (len > CTX_SHORT)
		return hash_mix(h, p, len);
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = ctx_mix(h, w);
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, p + i, len - i);
		h = ctx_mix(h, w);
	}
	return ctx_mix(h, (uint64_t)len);
}

static uint64_t ctx_hash_str(const char *v, size_t len)
{
	return ctx_bytes(CTX_SEED('s'), v, len);
}

static uint64_t ctx_hash_int(int64_t v)
{
	return ctx_mix(CTX_SEED('i'), (uint64_t)v);
}

static uint64_t ctx_hash_bool(int v)
{
	return ctx_mix(CTX_SEED('b'), (uint64_t)(v != 0));
}

static uint64_t ctx_hash_name(const char *name)
{
	return ctx_bytes(CTX_SEED('k'), name, strlen(name));
}

/* The members' names are the builders' string literals, the same few
 * for every page: their hashes are kept by address, per thread. */
#define CTX_NAMES 256

static _Thread_local struct ctx_name {
	const char *name;
	uint64_t hash;
} ctx_names[CTX_NAMES];

static uint64_t ctx_name_hash(const char *name)
{
	struct ctx_name *n = &ctx_names[((uintptr_t)name >> 3) % CTX_NAMES];

	if (n->name != name) {
		n->name = name;
		n->hash = ctx_hash_name(name);
	}
	return n->hash;
}

/* Folds a member (its name's hash and its value's) or, with `name_h` 0,
 * an element into the hash `h` of its object or array. */
static uint64_t ctx_fold(uint64_t h, uint64_t name_h, uint64_t vh)
{
	if (name_h)
		h = ctx_mix(h, name_h);
	return ctx_mix(h, vh);
}

static uint64_t ctx_finish(uint64_t h, uint64_t n)
{
	return ctx_mix(h, n);
}

static struct ctx_level *ctx_top(struct ctx *x)
{
	return &x->level[x->depth - 1];
}

static void ctx_push(struct ctx *x, const char *name, int array)
{
	struct ctx_level *l;

	if (x->depth == CTX_MAX_DEPTH) {
		/* the pages' contexts are a few levels deep: a bug */
		fprintf(stderr, "stepbook: template context nested too deep\n");
		abort();
	}
	l = &x->level[x->depth++];
	l->array = array;
	l->name = name;
	l->n = 0;
	l->h = array ? CTX_SEED('a') : CTX_SEED('o');
	l->json = NULL;
	if (x->mode == CTX_JSON)
		l->json = array ? json_object_new_array()
				: json_object_new_object();
}

/* Adds a value of hash `vh` (and JSON `j`, taken over) to the open level. */
static void ctx_put(struct ctx *x, const char *name, uint64_t vh,
		    struct json_object *j)
{
	struct ctx_level *l = ctx_top(x);

	l->h = ctx_fold(l->h, l->array ? 0 : ctx_name_hash(name), vh);
	l->n++;
	if (x->mode != CTX_JSON)
		return;
	if (l->array)
		json_object_array_add(l->json, j);
	else
		json_object_object_add(l->json, name, j);
}

void ctx_begin(struct ctx *x, enum ctx_mode mode, int array)
{
	x->mode = mode;
	x->depth = 0;
	x->overflow = 0;
	ctx_push(x, NULL, array);
}

/* Ends the context: its root level into *root, its JSON as ctx_end(). */
static void ctx_end_level(struct ctx *x, struct ctx_level *root,
			  struct json_object **json)
{
	while (x->depth > 1)
		ctx_close(x);
	*root = *ctx_top(x);
	x->depth = 0;
	if (json)
		*json = root->json;
	else if (root->json)
		json_object_put(root->json);
}

uint64_t ctx_end(struct ctx *x, struct json_object **json)
{
	struct ctx_level root;

	ctx_end_level(x, &root, json);
	return ctx_finish(root.h, root.n);
}

void ctx_end_value(struct ctx *x, struct ctx_value *v)
{
	struct ctx_level root;

	ctx_end_level(x, &root, &v->json);
	v->hash = ctx_finish(root.h, root.n);
	v->open_hash = root.h;
	v->members = root.n;
}

void ctx_value_strn(struct ctx_value *v, enum ctx_mode mode, const char *s,
		    size_t len)
{
	v->hash = ctx_hash_str(s, len);
	v->json = mode == CTX_JSON ? json_object_new_string_len(s, (int)len)
				   : NULL;
	v->open_hash = 0;
	v->members = 0;
}

void ctx_value_release(struct ctx_value *v)
{
	if (v->json)
		json_object_put(v->json);
	v->json = NULL;
}

void ctx_strn(struct ctx *x, const char *name, const char *v, size_t len)
{
	if (!v) {
		v = "";
		len = 0;
	}
	ctx_put(x, name, ctx_hash_str(v, len),
		x->mode == CTX_JSON ? json_object_new_string_len(v, (int)len)
				    : NULL);
}

void ctx_str(struct ctx *x, const char *name, const char *v)
{
	ctx_strn(x, name, v, v ? strlen(v) : 0);
}

void ctx_int(struct ctx *x, const char *name, int64_t v)
{
	ctx_put(x, name, ctx_hash_int(v),
		x->mode == CTX_JSON ? json_object_new_int64(v) : NULL);
}

void ctx_bool(struct ctx *x, const char *name, int v)
{
	ctx_put(x, name, ctx_hash_bool(v),
		x->mode == CTX_JSON ? json_object_new_boolean(v != 0) : NULL);
}

void ctx_object(struct ctx *x, const char *name)
{
	ctx_push(x, name, 0);
}

void ctx_array(struct ctx *x, const char *name)
{
	ctx_push(x, name, 1);
}

void ctx_close(struct ctx *x)
{
	struct ctx_level l;

	if (x->depth < 2)
		return;
	l = *ctx_top(x);
	x->depth--;
	ctx_put(x, l.name, ctx_finish(l.h, l.n), l.json);
}

void ctx_object_from(struct ctx *x, const char *name, const struct ctx_value *v)
{
	struct ctx_level *l;

	ctx_push(x, name, 0);
	l = ctx_top(x);
	l->h = v->open_hash;
	l->n = v->members;
	if (x->mode != CTX_JSON || !v->json)
		return;
	json_object_object_foreach(v->json, key, member)
	{
		json_object_object_add(l->json, key, json_object_get(member));
	}
}

void ctx_value(struct ctx *x, const char *name, const struct ctx_value *v)
{
	ctx_put(x, name, v->hash,
		x->mode == CTX_JSON ? json_object_get(v->json) : NULL);
}

void ctx_json(struct ctx *x, const char *name, struct json_object *v)
{
	ctx_put(x, name, ctx_json_hash(v),
		x->mode == CTX_JSON ? json_object_get(v) : NULL);
}

void ctx_lazy(struct ctx *x, const char *name, uint64_t key,
	      void (*make)(void *arg, struct buf *out), void *arg)
{
	struct json_object *j = NULL;

	if (x->mode == CTX_JSON) {
		struct buf b = BUF_INIT;
		make(arg, &b);
		j = json_object_new_string_len(b.ptr, (int)b.len);
		buf_release(&b);
	}
	ctx_put(x, name, ctx_mix(CTX_SEED('L'), key), j);
}

void ctx_json_text(struct ctx *x, const char *name, const char *text,
		   struct json_object *parsed)
{
	struct json_object *j = NULL;

	if (!text)
		text = "{}";
	if (x->mode == CTX_JSON)
		j = parsed ? json_object_get(parsed) : json_tokener_parse(text);
	if (x->mode == CTX_JSON && !j)
		j = json_object_new_object();
	ctx_put(x, name, ctx_bytes(CTX_SEED('j'), text, strlen(text)), j);
}

uint64_t ctx_json_hash(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return CTX_SEED('n');
	case json_type_boolean:
		return ctx_hash_bool(json_object_get_boolean(o));
	case json_type_int:
		return ctx_hash_int(json_object_get_int64(o));
	case json_type_double: {
		double v = json_object_get_double(o);
		uint64_t bits;
		memcpy(&bits, &v, sizeof(bits));
		return ctx_mix(CTX_SEED('d'), bits);
	}
	case json_type_string:
		return ctx_hash_str(json_object_get_string(o),
				    (size_t)json_object_get_string_len(o));
	case json_type_array: {
		size_t i, n = json_object_array_length(o);
		uint64_t h = CTX_SEED('a');
		for (i = 0; i < n; i++)
			h = ctx_fold(h, 0,
				     ctx_json_hash(
					     json_object_array_get_idx(o, i)));
		return ctx_finish(h, n);
	}
	case json_type_object: {
		struct json_object_iterator it = json_object_iter_begin(o);
		struct json_object_iterator end = json_object_iter_end(o);
		uint64_t h = CTX_SEED('o'), n = 0;
		for (; !json_object_iter_equal(&it, &end);
		     json_object_iter_next(&it), n++)
			h = ctx_fold(h,
				     ctx_hash_name(
					     json_object_iter_peek_name(&it)),
				     ctx_json_hash(
					     json_object_iter_peek_value(&it)));
		return ctx_finish(h, n);
	}
	}
	return CTX_SEED('?');
}
