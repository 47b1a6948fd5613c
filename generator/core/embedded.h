/* embedded: the shipped theme files (themes/...) and the starter book
 * (starter/...) compiled into the binary (generated at build time by
 * embed_themes into build/themes_data.c). */
#ifndef STEPBOOK_EMBEDDED_H
#define STEPBOOK_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *path; /* "themes/default/templates/base.mustache" */
	const char *data; /* NUL-terminated */
	size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_count;

#endif
