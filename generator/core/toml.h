/* toml: a strict reader for the TOML that mdBook's book.toml is written
 * in, to json-c values.
 *
 * What it reads (TOML 1.0): comments; key/value pairs with bare, quoted
 * and dotted keys; [tables] and [[arrays of tables]]; basic and literal
 * strings, single- and multi-line, with every escape; decimal, hex,
 * octal and binary integers; booleans; arrays (nested, multi-line, with a
 * trailing comma); inline tables. Floating-point numbers and dates are
 * not read: no book.toml setting takes one, so they are an error like
 * anything else that is not TOML, and so are a key or table defined
 * twice. A table becomes a JSON object (keys in the order written), an
 * array a JSON array, an integer an int64.
 *
 * Nothing here is shared between calls; it is safe from any thread. */
#ifndef STEPBOOK_TOML_H
#define STEPBOOK_TOML_H

#include <stddef.h>

struct diag;
struct json_object;

/* Largest document read, in bytes, and the deepest nesting of arrays and
 * inline tables: a book.toml is a few hundred bytes. */
#define TOML_MAX_SIZE ((size_t)1 << 20)
#define TOML_MAX_DEPTH 64

/* Parses the TOML document `text` (`len` bytes; it need not end in NUL).
 * On success stores the top-level table in *out (the caller's, release
 * with json_object_put) and returns 0. When `where` is not NULL it
 * receives an object (the caller's too) mapping each key's dotted path
 * ("output.html.site-url") to the [line, column] it is written at, for
 * messages about settings. On the first mistake records it at
 * `file`:line:col with the source line and returns -1, storing nothing. */
int toml_parse(const char *text, size_t len, const char *file,
	       struct json_object **out, struct json_object **where,
	       struct diag *d);

#endif
