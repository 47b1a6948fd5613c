/* toml_lex: the lexical layer of toml.c's parser: blanks, comments and
 * line ends, basic and literal strings (one line or many) with their
 * escapes, bare, quoted and dotted keys, and integers. Each function reads
 * from p->pos and leaves it after what it read; each mistake is an error
 * at its own place (toml_lex_error()), then -1. Used by toml.c only. */
#ifndef STEPBOOK_TOML_LEX_H
#define STEPBOOK_TOML_LEX_H

#include <stddef.h>

#include "compat.h"

struct buf;
struct diag;

/* The parser's state: the text, where it is, and where diagnostics go. */
struct tp {
	const char *s;
	size_t len, pos;
	const char *file;
	struct diag *d;
	int depth;
	/* tnode_where(): the line and offset reached so far, so that
	 * positions of keys in order cost one pass over the text */
	size_t seen;
	int seen_line, seen_col;
};

/* The most parts a dotted key may have (a.b.c...). */
#define TOML_MAX_KEY_PARTS 64

/* Records an error at byte `at` of the text (with its source line) and
 * returns -1. */
int toml_lex_error(struct tp *p, size_t at, const char *fmt, ...)
	COMPAT_PRINTF(3, 4);
/* The byte `ahead` bytes after the current one, or -1 past the end. */
int toml_lex_peek(const struct tp *p, size_t ahead);
/* Skips spaces and tabs. */
void toml_lex_skip_ws(struct tp *p);
/* After a value or header: spaces, a comment, then the end of the line or
 * of the document. */
int toml_lex_end_of_line(struct tp *p);
/* Skips spaces, newlines and comments, as allowed inside an array. */
int toml_lex_skip_blank(struct tp *p);
/* Reads a string starting at its opening quote into `out`: basic ("...")
 * or literal ('...'), each also as a multi-line string (three quotes);
 * literal ones have no escapes. */
int toml_lex_string(struct tp *p, struct buf *out);
/* Whether `c` may be part of a bare key (A-Z a-z 0-9 - _). */
int toml_lex_is_bare(int c);
/* Frees the first `n` of `parts`. */
void toml_lex_free_parts(char **parts, size_t n);
/* Reads a (possibly dotted) key into parts[]; *n gets their count and
 * at[] where each starts. The caller frees the parts. */
int toml_lex_key(struct tp *p, char **parts, size_t *at, size_t *n);
/* Whether the `len` bytes at `s` parse as a TOML integer (decimal, or
 * 0x, 0o, 0b; underscores between digits), storing it: 1, 0 when they
 * do not, -1 when it does not fit a long long. */
int toml_lex_parse_int(const char *s, size_t len, long long *out);

#endif
