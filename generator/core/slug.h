/* slug: identifiers made from text, for heading ids, task ids and file
 * names. */
#ifndef STEPBOOK_SLUG_H
#define STEPBOOK_SLUG_H

#include <stddef.h>

struct buf;

/* Appends the slug of `text` to `out`, GitHub style: lowercase; letters
 * (Unicode letters kept, Latin, Greek and Cyrillic capitals lowered),
 * digits, '-' and '_' kept; spaces become '-'; everything else dropped.
 * At most `max` bytes are appended (0: no limit), cut at a character
 * boundary. */
void slug_add(struct buf *out, const char *text, size_t max);

/* Returns the slug of `text` (the caller's). */
char *slug_make(const char *text);

/* Longest string slug_distance() compares: a longer name is no typo of
 * another, and its cost grows with the product of the lengths. */
#define SLUG_DISTANCE_MAX 200

/* Edit distance between two strings (bytes), capped at `cap`, for
 * "did you mean" suggestions; `cap` when either is longer than
 * SLUG_DISTANCE_MAX. */
size_t slug_distance(const char *a, const char *b, size_t cap);

/* The name among `names[0..n)` closest to `want` by slug_distance(), at
 * most `max` edits away, or NULL when none is (the first of equals wins).
 * Borrowed from `names`. */
const char *slug_closest(const char *want, const char *const *names, size_t n,
			 size_t max);

/* The same for a misspelt key (front matter, book.yml, a template file
 * name): at most 2 edits, and fewer than half of `want`'s length, so
 * that a short key of the author's own is not taken for a typo. */
const char *slug_closest_key(const char *want, const char *const *names,
			     size_t n);

#endif
