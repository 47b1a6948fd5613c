/* build_id: which build of stepbook this is, for the keys of the build
 * cache (cache.h): its version and a hash of the files it was made from
 * (the Makefile's STEPBOOK_SOURCES: every source, theme, language pack,
 * and the pinned grammars). A cache written by another build, even of the
 * same version, then holds no key this one makes, and the build gives the
 * output of a clean one. */
#ifndef STEPBOOK_BUILD_ID_H
#define STEPBOOK_BUILD_ID_H

#include <stdint.h>

/* The hash every cache key starts from, in place of HASH_SEED. */
uint64_t build_id_hash(void);

#endif
