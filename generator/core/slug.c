#include "slug.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"
#include "xalloc.h"

/* Whether a non-ASCII code point is punctuation or a symbol to drop. */
static int slug_is_punct(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) ||
	       (cp >= 0xFF00 && cp <= 0xFF0F) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFFFD ||
	       (cp >= 0xE000 && cp <= 0xF8FF);
}

static unsigned long slug_lower(unsigned long cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	/* Latin Extended-A pairs capital/small: even/odd in 0x100-0x137
	 * and 0x14A-0x177, odd/even in 0x139-0x148 and 0x179-0x17E; 0x130
	 * (dotted I), 0x138, 0x149 and 0x17F have no pair here. */
	if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) &&
	    !(cp & 1) && cp != 0x130)
		return cp + 1;
	if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) &&
	    (cp & 1))
		return cp + 1;
	if (cp == 0x178)
		return 0xFF;
	if (cp == 0x386)
		return 0x3AC;
	if (cp >= 0x388 && cp <= 0x38A)
		return cp + 37;
	if (cp == 0x38C)
		return 0x3CC;
	if (cp == 0x38E || cp == 0x38F)
		return cp + 63;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	return cp;
}

void slug_add(struct buf *out, const char *text, size_t max)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t start = out->len;

	while (*s) {
		unsigned long cp;
		size_t n = utf8_decode((const char *)s, &cp), before = out->len;

		s += n;
		if (cp < 0x80) {
			if ((cp >= 'a' && cp <= 'z') ||
			    (cp >= '0' && cp <= '9') || cp == '-' || cp == '_')
				buf_addch(out, (char)cp);
			else if (cp >= 'A' && cp <= 'Z')
				buf_addch(out, (char)(cp + 32));
			else if (cp == ' ')
				buf_addch(out, '-');
			else
				continue;
		} else if (slug_is_punct(cp)) {
			continue;
		} else {
			utf8_add(out, slug_lower(cp));
		}
		if (max && out->len - start > max) {
			buf_truncate(out, before);
			break;
		}
	}
}

char *slug_make(const char *text)
{
	struct buf b = BUF_INIT;

	slug_add(&b, text, 0);
	return buf_detach(&b, NULL);
}

size_t slug_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, best;

	if (la > SLUG_DISTANCE_MAX || lb > SLUG_DISTANCE_MAX)
		return cap;
	row = xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], v;
			v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best >= cap) {
			free(row);
			return cap;
		}
	}
	best = row[lb];
	free(row);
	return best < cap ? best : cap;
}

const char *slug_closest(const char *want, const char *const *names, size_t n,
			 size_t max)
{
	size_t i, best = max + 1;
	const char *found = NULL;

	for (i = 0; i < n; i++) {
		size_t dist = slug_distance(want, names[i], max + 1);
		if (dist <= max && dist < best) {
			best = dist;
			found = names[i];
		}
	}
	return found;
}

const char *slug_closest_key(const char *want, const char *const *names,
			     size_t n)
{
	size_t len = strlen(want), max = (len - 1) / 2;

	if (!len)
		return NULL;
	return slug_closest(want, names, n, max < 2 ? max : 2);
}
