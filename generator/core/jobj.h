/* jobj: the few helpers over json-c values that the rest of stepbook
 * shares, so that reading a setting and building a template context are
 * written one way: a missing key and a JSON null read the same, and a
 * NULL string is written as "". */
#ifndef STEPBOOK_JOBJ_H
#define STEPBOOK_JOBJ_H

struct json_object;

/* The value of `key` in the object `o`, or NULL when `o` is NULL, is no
 * object, has no such key, or holds null there. Borrowed from `o`. */
struct json_object *jobj_get(struct json_object *o, const char *key);

/* The string at `key` of `o`, or NULL when it is missing or no string.
 * Borrowed from `o`. */
const char *jobj_get_str(struct json_object *o, const char *key);

/* A new JSON string holding `s`, "" for NULL (the caller's, or the
 * object's it is set in). */
struct json_object *jobj_str(const char *s);

/* Sets `key` of the object `o` to `v`, which `o` then owns, replacing
 * (and releasing) any value it had. */
void jobj_set(struct json_object *o, const char *key, struct json_object *v);

#endif
