/* strset: a set of strings, each with a size_t value (a small hash map).
 *
 * Used wherever a name must be checked for uniqueness or looked up among
 * many (heading ids, task ids, chapter files, output paths), so that a
 * chapter of 10,000 headings stays linear. Open addressing with linear
 * probing; the table doubles when half full, so adding and looking up
 * take constant time on average.
 *
 * A set starts zeroed (STRSET_INIT or strset_init()) and ends with
 * strset_release(). It keeps its own copy of every key. Keys are C
 * strings: bytes up to the first NUL. Out of memory is fatal (xalloc.h),
 * so nothing here fails. */
#ifndef STEPBOOK_STRSET_H
#define STEPBOOK_STRSET_H

#include <stddef.h>

struct strset_entry {
	char *key; /* NULL: an empty slot */
	size_t val;
};

struct strset {
	struct strset_entry *v; /* cap slots; NULL while cap is 0 */
	size_t n, cap;          /* keys held; slots (0 or a power of 2) */
};

#define STRSET_INIT        \
	{                  \
		NULL, 0, 0 \
	}

void strset_init(struct strset *s);
/* Frees every key and the table, and leaves `s` empty and reusable. */
void strset_release(struct strset *s);

/* Adds `key` with value `val` unless it is already there. Returns 1 when
 * it was added, 0 when it was present (its value is then unchanged). */
int strset_add(struct strset *s, const char *key, size_t val);

/* Sets the value of `key`, adding the key when it is absent. */
void strset_put(struct strset *s, const char *key, size_t val);

/* Returns 1 and stores its value in *val (when val is not NULL) if `key`
 * is in the set, 0 otherwise. */
int strset_get(const struct strset *s, const char *key, size_t *val);

/* Whether `key` is in the set. */
int strset_has(const struct strset *s, const char *key);

#endif
