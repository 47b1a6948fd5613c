/* config: the book's settings, read from content/book.yml. */
#ifndef STEPBOOK_CONFIG_H
#define STEPBOOK_CONFIG_H

#include <stddef.h>

struct diag;
struct json_object;

/* One entry of the `chapters:` list, with where it was written. */
struct config_chapter {
	char *file;
	int line, col;
};

struct config {
	char *title, *subtitle, *author, *language, *identifier;
	char *description, *base_url, *theme, *cover;
	int unsafe_html;
	struct config_chapter *chapters; /* NULL: sort the .md files by name */
	size_t n_chapters;
	struct json_object *params; /* the whole file, for templates */
	char *path;                 /* as shown in diagnostics */
	/* where the values of `title` and `cover` are written (1:1 when
	 * they are not) */
	struct config_at {
		int line, col;
	} title_at, cover_at;
};

/* Reads and checks `path` (shown as `shown` in diagnostics). Every string
 * field is set (empty when absent; language defaults to "en", theme to
 * "default"). Returns 0, or -1 after recording every problem found
 * (missing file, invalid YAML, not a mapping, missing title, wrong types).
 * Release with config_release() either way. */
int config_load(struct config *cfg, const char *path, const char *shown,
		struct diag *d);
void config_release(struct config *cfg);

#endif
