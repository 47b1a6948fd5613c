/* frontmatter: the YAML block between `---` lines that opens a chapter. */
#ifndef STEPBOOK_FRONTMATTER_H
#define STEPBOOK_FRONTMATTER_H

#include <stddef.h>

struct diag;
struct json_object;

/* The largest `step:` a chapter may give. */
#define FRONTMATTER_MAX_STEP 1000000

struct frontmatter {
	char *title;                /* NULL when it gives none: the loader
				     * then takes the chapter list's or the
				     * first heading's */
	char *summary;              /* "" when absent */
	char *slug;                 /* NULL when absent */
	int step;                   /* 0 when absent */
	int draft;                  /* `draft: true`: left out of the book
				      * unless built with --drafts */
	struct json_object *params; /* every key, for templates; from the
				      * cache, NULL until frontmatter_params() */
	char *params_json;          /* ... which parses this (or NULL) */
	size_t body_offset;         /* byte where the Markdown body starts */
	int body_line;              /* lines before the body (0-based offset) */
};

/* Splits `text` into front matter and body and parses the front matter.
 * The block must open the file with a line `---` and close with a line
 * `---` (or `...`); a file that does not open with `---` has none (the
 * whole file is the body). Diagnostics name `file` with file lines.
 * Returns 0, or -1 after recording each problem (unterminated, invalid
 * YAML, not a mapping, step not a positive integer, draft not true or
 * false). Release with frontmatter_release() either way. */
int frontmatter_parse(struct frontmatter *fm, const char *text, size_t len,
		      const char *file, struct diag *d);
void frontmatter_release(struct frontmatter *fm);

/* fm->params, parsed from fm->params_json first when it was taken from
 * the cache as text (never NULL). */
struct json_object *frontmatter_params(struct frontmatter *fm);

#endif
