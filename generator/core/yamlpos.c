#include "yamlpos.h"

#include <string.h>

#include "diag.h"
#include "utf8.h"

/* Finds the top-level key `key` of `text`: at the start of a line and
 * followed by ':' (so "title" is not found inside "subtitle:" or in a
 * value). Returns where it starts, or NULL. */
const char *yamlpos_key(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p) {
		if (!strncmp(p, key, kl)) {
			const char *q = p + kl;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == ':')
				return p;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The 1-based line and column of the top-level key `key` in `text`; 1:1
 * when it is not found. */
void yamlpos_locate(const char *text, const char *key, int *line, int *col)
{
	const char *p = yamlpos_key(text, key);

	*line = 1;
	*col = 1;
	if (p)
		diag_position(text, (size_t)(p - text), line, col);
}

/* Where the value of the top-level key `key` starts in `text`: after the
 * ':' and its blanks when it is on the key's line, else the key itself;
 * 1:1 when the key is not there. */
void yamlpos_value(const char *text, const char *key, int *line, int *col)
{
	const char *p = yamlpos_key(text, key);

	*line = 1;
	*col = 1;
	if (!p)
		return;
	p = strchr(p, ':') + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\n' || *p == '\r' || *p == '#' || !*p)
		p = yamlpos_key(text, key);
	diag_position(text, (size_t)(p - text), line, col);
}

/* Moves the cursor to `p` (at or after it), which is then at line:col. */
static void yamlpos_cursor_to(struct yamlpos_cursor *cur, const char *p)
{
	size_t k, to = (size_t)(p - cur->text);

	for (k = cur->at; k < to; k++) {
		if (cur->text[k] == '\n') {
			cur->line++;
			cur->col = 1;
		} else if (!UTF8_IS_CONT(cur->text[k])) {
			cur->col++;
		}
	}
	cur->at = to;
}

/* Finds `s` after the cursor and moves there, past it: *line and *col
 * are where it starts (where `key` is, when it is not found). */
void yamlpos_cursor_find(struct yamlpos_cursor *cur, const char *s,
			 const char *key, int *line, int *col)
{
	const char *p = strstr(cur->from, s);

	if (!p) {
		yamlpos_locate(cur->text, key, line, col);
		return;
	}
	yamlpos_cursor_to(cur, p);
	*line = cur->line;
	*col = cur->col;
	cur->from = p + strlen(s);
}
