/* context: the value a template is rendered with, built by one function
 * for two uses.
 *
 * A page must be rendered again whenever what its template receives
 * changes. Its key is therefore not written next to the code that makes
 * its context (two lists kept in step by hand, which drift apart
 * silently): each page's context is made by one function through the
 * calls below, and the same calls either only hash (CTX_KEY: nothing is
 * allocated, so every page of a book can be keyed at each build) or
 * also build the json-c tree handed to the template (CTX_JSON). A field
 * added to a context is in its key by construction.
 *
 * The hash of a value depends on the value alone (its type, its
 * members' names and values in order), not on where it sits: a value
 * built once and shared by many contexts (struct ctx_value: the book,
 * each chapter's entry in the list of chapters) is hashed once, and its
 * hash is folded in wherever it is used. ctx_json_hash() computes the
 * same hash over a json-c tree, so that a test can check that a context
 * as built for the template hashes to its key.
 *
 * Two kinds of values stand for what would be costly to make for every
 * page: ctx_lazy(), a string made only when the context is built for the
 * template (a chapter's body), whose key is what it is made from; and
 * ctx_json_text(), a JSON value given as its text (a chapter's front
 * matter), keyed by that text and parsed only for the template.
 *
 * Not thread-safe: one struct ctx per thread. */
#ifndef STEPBOOK_CONTEXT_H
#define STEPBOOK_CONTEXT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct json_object;

enum ctx_mode {
	CTX_KEY, /* the key only */
	CTX_JSON /* the key and the JSON */
};

/* Deepest nesting of objects and arrays in one context. */
#define CTX_MAX_DEPTH 16

struct ctx_level {
	struct json_object *json; /* CTX_JSON: the object or array */
	uint64_t h;               /* its hash so far */
	uint64_t n;               /* members or elements so far */
	int array;
	const char *name; /* its name in its parent (borrowed) */
};

struct ctx {
	enum ctx_mode mode;
	size_t depth; /* open levels, the root's included */
	struct ctx_level level[CTX_MAX_DEPTH];
	int overflow; /* nested too deep: a programming error */
};

/* A value made once and put in many contexts. */
struct ctx_value {
	struct json_object *json; /* NULL when made for keys only */
	uint64_t hash;
	/* an object's hash before it was closed, and its members: for
	 * ctx_object_from() */
	uint64_t open_hash, members;
};

/* Starts a context whose root is an object (or, with `array`, an
 * array). */
void ctx_begin(struct ctx *x, enum ctx_mode mode, int array);
/* Ends it: returns its hash, and for CTX_JSON sets *json (the caller's
 * reference; may be NULL to drop it). */
uint64_t ctx_end(struct ctx *x, struct json_object **json);
/* Ends it as a shared value (`v` is then the caller's: ctx_value_release()). */
void ctx_end_value(struct ctx *x, struct ctx_value *v);
void ctx_value_release(struct ctx_value *v);
/* Makes `v` the string `s` (len bytes), for a string many contexts put:
 * keyed as ctx_strn() keys it. */
void ctx_value_strn(struct ctx_value *v, enum ctx_mode mode, const char *s,
		    size_t len);

/* Members of the open object (`name` given) or elements of the open
 * array (`name` NULL). A name must live as long as the process (a string
 * literal): its hash is kept by its address. A NULL string is written
 * as "". */
void ctx_str(struct ctx *x, const char *name, const char *v);
void ctx_strn(struct ctx *x, const char *name, const char *v, size_t len);
void ctx_int(struct ctx *x, const char *name, int64_t v);
void ctx_bool(struct ctx *x, const char *name, int v);
/* Opens an object or array member; ctx_close() closes the last opened. */
void ctx_object(struct ctx *x, const char *name);
void ctx_array(struct ctx *x, const char *name);
void ctx_close(struct ctx *x);
/* Opens an object member holding the members of the shared object `v`,
 * for more to be put after them (then ctx_close()): keyed as if each of
 * v's members were put again, at the cost of one; in the JSON, a new
 * object with new references to v's members. */
void ctx_object_from(struct ctx *x, const char *name,
		     const struct ctx_value *v);
/* Puts the shared value `v` (a new reference in the JSON). */
void ctx_value(struct ctx *x, const char *name, const struct ctx_value *v);
/* Puts a copy of the JSON value `v` (a new reference in the JSON),
 * hashed as ctx_json_hash() does: for small values given as JSON (the
 * book's params). */
void ctx_json(struct ctx *x, const char *name, struct json_object *v);
/* Puts a string that make(arg, out) appends to `out`, called only for
 * CTX_JSON; `key` must change whenever the string would. */
void ctx_lazy(struct ctx *x, const char *name, uint64_t key,
	      void (*make)(void *arg, struct buf *out), void *arg);
/* Puts the JSON value whose text is `text` ("{}" when NULL): for
 * CTX_JSON, `parsed` (a new reference is taken) when not NULL, else the
 * text parsed (an empty object when it is not JSON). */
void ctx_json_text(struct ctx *x, const char *name, const char *text,
		   struct json_object *parsed);

/* The hash ctx_end() gives for a context built as `o`, a json-c tree
 * (with no lazy or JSON-text values, which hash as what they stand
 * for). */
uint64_t ctx_json_hash(struct json_object *o);

#endif
