/* hash: a fast 64-bit hash of bytes, for cache keys and build versions.
 * The same value on every machine. Not for security. */
#ifndef STEPBOOK_HASH_H
#define STEPBOOK_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The starting value of a hash. */
#define HASH_SEED 0xcbf29ce484222325ULL

/* Mixes `len` bytes of `data` into the hash `h` and returns the result;
 * chain calls to hash several pieces. */
uint64_t hash_mix(uint64_t h, const void *data, size_t len);

/* Mixes a NUL-terminated string (with its terminator, so that "ab","c"
 * and "a","bc" differ); NULL counts as "". */
uint64_t hash_str(uint64_t h, const char *s);

/* Mixes a number. */
uint64_t hash_u64(uint64_t h, uint64_t v);

#endif
