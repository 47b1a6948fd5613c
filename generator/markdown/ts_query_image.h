/* ts_query_image: a compiled tree-sitter query as bytes, and back.
 *
 * ts_query_new() spends most of its time analysing every pattern
 * against the grammar's parse table: from a few to over 40 ms a
 * grammar, paid again by every process that highlights a language,
 * rebuilds included. What it produces is plain arrays, the same for the
 * same query source and grammar, so the build of stepbook compiles each
 * grammar's query once and compiles the result in (see highlight.c and
 * highlight_image_gen.c); at run time the query is copied from there.
 *
 * The bytes are this build's: they hold the runtime's own structures, so
 * they are only read by the binary built from the same runtime sources
 * (the Makefile makes them in each build folder), and only for the query
 * source and grammar they were made from (highlight.c keys them).
 *
 * ts_query_image.c is the runtime's unit (it includes its lib.c): the
 * only place its private structures are visible. */
#ifndef STEPBOOK_TS_QUERY_IMAGE_H
#define STEPBOOK_TS_QUERY_IMAGE_H

#include <stddef.h>
#include <tree_sitter/api.h>

/* The bytes of `q` in a malloc()ed block, at *out; returns their
 * length. */
size_t ts_query_image(const TSQuery *q, unsigned char **out);

/* A query for `language` made from bytes ts_query_image() wrote, or
 * NULL when they are not such bytes (another runtime's layout, cut
 * short, sizes that do not add up). Free it with ts_query_delete(). */
TSQuery *ts_query_from_image(const TSLanguage *language,
			     const unsigned char *image, size_t len);

#endif
