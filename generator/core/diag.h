/* diag: compiler-style diagnostics, collected so a build reports every
 * problem at once.
 *
 * A message reads `file:line:col: error: text`, optionally followed by the
 * source line and a caret under the column. Text is lowercase, problem
 * first, subject quoted, no full stop. Lines and columns are 1-based; 0
 * means "unknown" and is left out of the location. */
#ifndef STEPBOOK_DIAG_H
#define STEPBOOK_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "compat.h"

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_entry {
	enum diag_level level;
	char *file; /* may be NULL */
	int line, col;
	char *msg;
	char *source; /* the offending source line, or NULL */
};

struct diag {
	struct diag_entry *v;
	size_t n, cap;
	size_t errors, warnings;
	/* where diag_attach_source() last found a line (the start of file
	 * line `seen_line` of `seen_text`), so that many errors reported
	 * in order through one file cost linear time, not quadratic */
	const char *seen_text;
	size_t seen_len, seen_offset;
	int seen_line;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* Records a problem. `file` may be NULL. Returns -1, so that callers can
 * write `return diag_error(...)`. */
int diag_error(struct diag *d, const char *file, int line, int col,
	       const char *fmt, ...) COMPAT_PRINTF(5, 6);
void diag_warning(struct diag *d, const char *file, int line, int col,
		  const char *fmt, ...) COMPAT_PRINTF(5, 6);

/* Makes every warning from entry `from` on an error (`--strict`), its
 * text ending in " [--strict]" so the reader knows why. */
void diag_promote(struct diag *d, size_t from);

/* Attaches the source line containing byte `offset` of `text` to the most
 * recent entry, to be printed with a caret. */
void diag_attach_source(struct diag *d, const char *text, size_t len, int line);

/* Adds copies of every entry of `src` to `d`, in order. */
void diag_append(struct diag *d, const struct diag *src);

/* Prints every entry in the order recorded. */
void diag_print(const struct diag *d, FILE *out);

/* Helpers for positions: the 1-based line and column (in characters, not
 * bytes) of byte `offset` in `text`. */
void diag_position(const char *text, size_t offset, int *line, int *col);

#endif
