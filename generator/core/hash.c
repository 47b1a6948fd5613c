#include "hash.h"

#include <string.h>

#define HASH_PRIME 0x100000001b3ULL

/* The little-endian 64-bit word at `p`, whatever the host. */
static uint64_t hash_word(const unsigned char *p)
{
	uint64_t w;
	const union {
		uint16_t u;
		unsigned char c;
	} one = { 1 };

	memcpy(&w, p, 8);
	if (!one.c) { /* a big-endian host */
		int k;
		w = 0;
		for (k = 7; k >= 0; k--)
			w = (w << 8) | p[k];
	}
	return w;
}

static uint64_t hash_step(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_PRIME;
	return h ^ (h >> 29);
}

/* FNV-1a over 64-bit words in four lanes (so that the multiplications
 * overlap), with a shift to carry high bits down: fast, and the same on
 * every machine. Not for security: a cache version. */
uint64_t hash_mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t l[4];
	size_t i = 0;
	int k;

	for (k = 0; k < 4; k++)
		l[k] = h + (uint64_t)k * 0x9e3779b97f4a7c15ULL;
	for (; i + 32 <= len; i += 32)
		for (k = 0; k < 4; k++)
			l[k] = hash_step(l[k],
					 hash_word(p + i + 8 * (size_t)k));
	for (; i + 8 <= len; i += 8)
		l[0] = hash_step(l[0], hash_word(p + i));
	for (; i < len; i++)
		l[1] = hash_step(l[1], p[i]);
	h = (uint64_t)len;
	for (k = 0; k < 4; k++)
		h = hash_step(h, l[k]);
	return h ^ (h >> 32);
}

uint64_t hash_str(uint64_t h, const char *s)
{
	if (!s)
		s = "";
	return hash_mix(h, s, strlen(s) + 1);
}

uint64_t hash_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];
	int k;

	for (k = 0; k < 8; k++)
		b[k] = (unsigned char)(v >> (8 * k));
	return hash_mix(h, b, 8);
}
