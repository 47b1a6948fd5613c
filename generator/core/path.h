/* path: paths and URLs as text. Nothing here touches the file system
 * (fs_resolve() in fsutil does): these only read and build strings, so
 * the passes and the writers can use them on any thread. */
#ifndef STEPBOOK_PATH_H
#define STEPBOOK_PATH_H

#include <stddef.h>

struct buf;

/* Returns a newly allocated "a/b" (the caller's). An empty or "." `a`
 * gives a copy of `b`. */
char *path_join(const char *a, const char *b);

/* The extension of `path` without its dot ("" when none); borrowed. */
const char *path_ext(const char *path);

/* Whether the absolute, resolved `path` is `dir` or inside it. */
int path_within(const char *path, const char *dir);

/* Normalises a relative path lexically ("a/./b/../c" -> "a/c"). Returns a
 * newly allocated string, or NULL when it climbs above its start or is
 * absolute. */
char *path_normalize(const char *rel);

/* Appends `path` (a file's path, '/'-separated) as the path of a URL:
 * each byte that is not an unreserved character, a sub-delimiter, ':',
 * '@' or '/' is percent-encoded, so that a name with '#', '?', '%' or a
 * space links to that file. With `iri`, UTF-8 beyond ASCII is kept as it
 * is (an IRI, as EPUB allows), else encoded too. */
void path_add_url(struct buf *out, const char *path, int iri);

/* Whether `url` names a scheme ("https:", "mailto:") or is "//host":
 * a link out of the book, which is neither checked nor rewritten. */
int path_is_external(const char *url);

/* Decodes the %XX escapes of the first `len` bytes of `s` (the path of a
 * link to a file, "my%20notes.pdf"). Returns a new string (the
 * caller's). */
char *path_unescape(const char *s, size_t len);

#endif
