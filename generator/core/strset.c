#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* FNV-1a, 64 bits. */
static uint64_t strset_hash(const char *key)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *key; key++) {
		h ^= (unsigned char)*key;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* The slot holding `key`, or the empty slot where it would go. The table
 * must have at least one empty slot. */
static struct strset_entry *strset_slot(const struct strset *s, const char *key)
{
	size_t mask = s->cap - 1, i = (size_t)strset_hash(key) & mask;

	while (s->v[i].key && strcmp(s->v[i].key, key))
		i = (i + 1) & mask;
	return &s->v[i];
}

static void strset_grow(struct strset *s)
{
	struct strset_entry *old = s->v;
	size_t old_cap = s->cap, i;

	s->cap = old_cap ? old_cap * 2 : 16;
	s->v = xcalloc(s->cap, sizeof(*s->v));
	for (i = 0; i < old_cap; i++)
		if (old[i].key)
			*strset_slot(s, old[i].key) = old[i];
	free(old);
}

void strset_init(struct strset *s)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

void strset_release(struct strset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->v[i].key);
	free(s->v);
	strset_init(s);
}

/* The slot of `key`, added with value `val` when absent; *added tells. */
static struct strset_entry *strset_insert(struct strset *s, const char *key,
					  size_t val, int *added)
{
	struct strset_entry *e;

	if ((s->n + 1) * 2 > s->cap)
		strset_grow(s);
	e = strset_slot(s, key);
	*added = !e->key;
	if (!e->key) {
		e->key = xstrdup(key);
		e->val = val;
		s->n++;
	}
	return e;
}

int strset_add(struct strset *s, const char *key, size_t val)
{
	int added;

	strset_insert(s, key, val, &added);
	return added;
}

void strset_put(struct strset *s, const char *key, size_t val)
{
	int added;

	strset_insert(s, key, val, &added)->val = val;
}

int strset_get(const struct strset *s, const char *key, size_t *val)
{
	const struct strset_entry *e;

	if (!s->n)
		return 0;
	e = strset_slot(s, key);
	if (!e->key)
		return 0;
	if (val)
		*val = e->val;
	return 1;
}

int strset_has(const struct strset *s, const char *key)
{
	return strset_get(s, key, NULL);
}
