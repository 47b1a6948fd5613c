/* yamlpos: where things are in a YAML file's text, for diagnostics at
 * line:col. libyaml's parse (yamljson.h) gives values, not their places;
 * these find a top-level key, its value, or the entries of a list one
 * after the other, in the text as the author wrote it. Lines and columns
 * count from 1, columns in characters. */
#ifndef STEPBOOK_YAMLPOS_H
#define STEPBOOK_YAMLPOS_H

#include <stddef.h>

/* Where the top-level key `key` starts in `text` (at the start of a
 * line, followed by ':'), or NULL. */
const char *yamlpos_key(const char *text, const char *key);

/* The line and column of the top-level key `key`; 1:1 when it is not
 * there. */
void yamlpos_locate(const char *text, const char *key, int *line, int *col);

/* Where the value of the top-level key `key` starts: after the ':' and
 * its blanks when it is on the key's line, else the key itself; 1:1 when
 * the key is not there. */
void yamlpos_value(const char *text, const char *key, int *line, int *col);

/* A place in `text` that moves forward only: each entry of a long list is
 * searched for after the previous one, and lines are counted from there
 * (counting from the top for each of 10,000 entries would be quadratic).
 * Start it with `text`, `from` where to search first, and `at` (an offset
 * in text at or before from) with its line:col: 0 and 1:1 will do. */
struct yamlpos_cursor {
	const char *text, *from;
	size_t at;
	int line, col;
};

/* Finds `s` after the cursor and moves past it: *line and *col are where
 * it starts (where the top-level key `key` is, when it is not found). */
void yamlpos_cursor_find(struct yamlpos_cursor *cur, const char *s,
			 const char *key, int *line, int *col);

#endif
