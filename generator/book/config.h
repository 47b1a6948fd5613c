/* config: the book's settings, read from content/book.yml. */
#ifndef STEPBOOK_CONFIG_H
#define STEPBOOK_CONFIG_H

#include <stddef.h>

struct diag;
struct json_object;
struct summary;

/* One entry of the `chapters:` list, with where it was written. */
/* config_chapter.part of a chapter in no part. */
#define CONFIG_NO_PART ((size_t)-1)

struct config_chapter {
	char *file;
	char *title;   /* its title in the list (SUMMARY.md), or NULL */
	size_t part;   /* index in config.parts, or CONFIG_NO_PART */
	int depth;     /* its nesting in SUMMARY.md; 0 at the top */
	int separator; /* a `---` comes before it in SUMMARY.md */
	int line, col;
};

/* A part of the book: `- part: Title` with its own `chapters:` list. */
struct config_part {
	char *title;
	int line, col;
};

struct config {
	char *title, *subtitle, *author, *language, *identifier;
	char *description, *base_url, *theme, *cover;
	char *edit_url; /* "" or a URL where "{path}" stands for a
			   * chapter's file within content/ */
	/* `extra_css:` and `extra_js:`: files within content/ the site's
	 * pages load after the theme's own (normalised; checked against
	 * the book's files by the site) */
	struct config_files {
		char **v;
		size_t n;
		int line, col; /* where the key is written */
	} extra_css, extra_js;
	/* `redirects:` (book.toml's [output.html.redirect]): each old page
	 * of the site and where it moved, as written; the site checks both
	 * (site_load.h) */
	struct config_redirect {
		char *from, *to;
	} * redirects;
	size_t n_redirects;
	/* `translations:`, the languages the book is translated into,
	 * each a BCP 47 tag (checked, none twice, none the book's own
	 * language) whose book is in content/<tag>/ (see site_load.h) */
	char **translations;
	size_t n_translations;
	int unsafe_html;
	int mdbook; /* read from an mdBook book's book.toml */
	int strict; /* `strict: true`: warnings fail */
	struct config_chapter *chapters; /* NULL: sort the .md files by name */
	size_t n_chapters;
	struct config_part *parts; /* in order; their chapters follow */
	size_t n_parts;
	int chapter_errors;         /* entries of it that were wrong */
	struct json_object *params; /* the whole file, for templates */
	char *path;                 /* as shown in diagnostics */
	char *list_path; /* the file `chapters` is written in, when not
			  * `path` (an mdBook book's SUMMARY.md), or NULL */
	/* where the values of `title` and `cover` are written (1:1 when
	 * they are not) */
	struct config_at {
		int line, col;
	} title_at, cover_at, chapters_at, redirects_at, translations_at,
		language_at;
	int unread; /* the file could not be read as settings at all
		       * (missing, bad YAML, not a mapping): what it would
		       * list is unknown */
};

/* Reads and checks `path` (shown as `shown` in diagnostics). Every string
 * field is set (empty when absent; language defaults to "en", theme to
 * "default"). Returns 0, or -1 after recording every problem found
 * (missing file, invalid YAML, not a mapping, missing title, wrong types).
 * A key it does not know that is a near miss of one it does (`langauge`)
 * is a warning; other keys reach templates as `book.params` silently.
 * Release with config_release() either way. */
int config_load(struct config *cfg, const char *path, const char *shown,
		struct diag *d);
void config_release(struct config *cfg);

/* Takes the chapters (and their titles) of the SUMMARY.md read as `sum`,
 * named `list_shown` in diagnostics, as cfg's chapter list; drafts, which
 * have no file, are left out. */
void config_chapters_from(struct config *cfg, const struct summary *sum,
			  const char *list_shown);

/* Reads the settings of `root` (an object of book.yml's keys, made from
 * another file: an mdBook book's book.toml; taken, released with cfg),
 * named `shown` in diagnostics, as config_load() reads book.yml's. A NULL
 * `root` gives the defaults with cfg->unread set. Returns 0 or -1. */
int config_from_json(struct config *cfg, struct json_object *root,
		     const char *shown, struct diag *d);

#endif
