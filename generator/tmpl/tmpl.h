/* tmpl: a Mustache template engine.
 *
 * Implements the Mustache specification (core modules: comments,
 * delimiters, interpolation, inverted, partials, sections; plus the
 * optional inheritance module: {{<parent}} with {{$block}} overrides).
 * Lambdas and dynamic names are not supported. Data is json-c objects.
 *
 * A tmpl_set holds named templates; partials ({{>name}}) and parents
 * ({{<name}}) are looked up by name in the same set. Templates are parsed
 * when added, so syntax errors surface before any rendering, with the
 * template's file:line:col. Rendering only reads the set, so one set can
 * be used from several threads at once. */
#ifndef STEPBOOK_TMPL_H
#define STEPBOOK_TMPL_H

#include <stddef.h>

struct buf;
struct diag;
struct json_object;
struct tmpl_set;

/* Maximum depth of nested partials and parents; deeper (for example a
 * partial that includes itself) is a render error. */
#define TMPL_MAX_DEPTH 64

/* Maximum depth of sections, parents and blocks nested inside one
 * template; deeper is a syntax error. With TMPL_MAX_DEPTH it bounds the
 * recursion of a render. */
#define TMPL_MAX_NESTING 64

/* Creates an empty set; free it with tmpl_set_free(). */
struct tmpl_set *tmpl_set_new(void);
/* Frees the set and every template in it. NULL is allowed. */
void tmpl_set_free(struct tmpl_set *set);

/* Parses `src` (len bytes) and stores it under `name`, replacing any
 * template of that name. `file` names the source in diagnostics (may be
 * NULL: then `name` is used). The set keeps its own copies. Returns 0, or
 * -1 after recording a syntax error (unclosed tag, unbalanced section,
 * bad delimiter change, invalid tag name, nesting deeper than
 * TMPL_MAX_NESTING) at its file:line:col in `d`; the set is then left as
 * it was.
 *
 * Whitespace: a line holding only whitespace and tags that print nothing
 * (sections, inverted sections, comments, partials, parents, blocks,
 * delimiter changes), one or several, is left out of the output, as the
 * spec requires of a line with one such tag. A standalone partial or
 * parent indents every non-empty line it includes by the whitespace
 * before its tag. */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *file,
		 const char *src, size_t len, struct diag *d);

/* Whether a template called `name` is in the set. */
int tmpl_set_has(const struct tmpl_set *set, const char *name);

/* Calls `fn` for each variable, section and inverted section tag of
 * template `name` (nothing when there is none), in the order written:
 * `tag` is the name as written ("page.title", "."), `depth` the number
 * of sections around it in that template (0: it is looked up in the
 * context the template is rendered with), `file`, `line` and `col`
 * where it is. */
void tmpl_each_name(const struct tmpl_set *set, const char *name,
		    void (*fn)(void *arg, const char *file, const char *tag,
			       int depth, int line, int col),
		    void *arg);

/* Renders template `name` against `ctx` and appends the result to `out`.
 * {{x}} is HTML-escaped, {{{x}}} and {{&x}} are not. A missing partial
 * renders as nothing (as the spec requires). Returns 0, or -1 after
 * recording an error in `d` (no such template, nesting deeper than
 * TMPL_MAX_DEPTH); `out` is then as it was before the call.
 *
 * Values: strings as they are, integers in decimal, other numbers in the
 * shortest form that reads back the same (1.21, not 1.2100000000000000),
 * booleans as true and false; null, objects and arrays print nothing.
 * Sections skip (and inverted sections show) a missing name, null, false,
 * 0, "" and the empty array, as in JavaScript; an array repeats the
 * section once per element, any other value is pushed once.
 *
 * Only reads `set` and `ctx` (json-c lookups that change nothing), so
 * several threads may render from one set and one context at once. */
int tmpl_render(const struct tmpl_set *set, const char *name,
		struct json_object *ctx, struct buf *out, struct diag *d);

#endif
