#include "build_id.h"

#include "build_sources.h"
#include "hash.h"

uint64_t build_id_hash(void)
{
	return hash_str(HASH_SEED,
			"stepbook " STEPBOOK_VERSION " " STEPBOOK_SOURCES);
}
