/* yamljson: YAML (libyaml) to json-c, for book.yml and front matter.
 *
 * Plain scalars become null, booleans, integers or doubles when they read
 * as such (YAML 1.2 core schema); quoted scalars stay strings. */
#ifndef STEPBOOK_YAMLJSON_H
#define STEPBOOK_YAMLJSON_H

#include <stddef.h>

struct diag;
struct json_object;

/* Most nodes one document may expand to (aliases included). */
#define YAMLJSON_MAX_NODES 100000
/* Deepest nesting of sequences and mappings; deeper is an error (checked
 * before the document is loaded: libyaml is quadratic in the depth). */
#define YAMLJSON_MAX_DEPTH 64

/* Parses the single YAML document in `text`. Diagnostics name `file`, and
 * `line_offset` is added to libyaml's line numbers (so a block that starts
 * on line 2 of the file reports file lines). On success stores the value in
 * *out (the caller's, release with json_object_put; NULL for an empty
 * document) and returns 0; on a syntax error records it at its
 * file:line:col and returns -1. */
int yamljson_parse(const char *text, size_t len, const char *file,
		   int line_offset, struct json_object **out, struct diag *d);

#endif
