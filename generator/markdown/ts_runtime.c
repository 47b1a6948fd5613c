/* The tree-sitter runtime as one unit: its lib.c (from the pinned npm
 * package) included whole, then stepbook's two readers of its private
 * structures, which no header declares: ts_query_image.c (queries as
 * bytes) and ts_match.c (the highlights matcher). The Makefile compiles
 * this unit as the runtime, with the runtime's flags. */
#include "lib.c"

#include "ts_match.c"
#include "ts_query_image.c"
