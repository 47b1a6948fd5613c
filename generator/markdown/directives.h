/* directives: mdBook's `{{#...}}` directives in a chapter's text, expanded
 * before the Markdown is parsed, as mdBook's "links" preprocessor does.
 *
 * - `{{#include path}}` puts the file's text in place; `path:N` takes
 *   line N only, `path:N:M` lines N to M, `path:N:` from N on, `path::M`
 *   up to M, and `path:name` the lines between `ANCHOR: name` and
 *   `ANCHOR_END: name` (lines naming any anchor are left out of them).
 * - `{{#rustdoc_include path}}` takes the whole file, the lines outside
 *   the range or anchor starting with "# " (which Rust code blocks hide).
 * - `{{#playground path attrs}}` (and its old name `playpen`) puts the
 *   file in a ```rust code block.
 * - `{{#title Text}}` sets the page's title and is removed.
 * - `\{{#...}}` is written without the backslash, not expanded.
 *
 * When a directive stands after other text on its line, every line it
 * adds after the first gets that text in front (so an include inside a
 * list item or a quote stays inside it). Included files are expanded in
 * turn, paths relative to them, to a depth of DIRECTIVES_MAX_DEPTH. A
 * path is relative to the including file and may not leave `root`, the
 * book's source folder. `{{#toc}}` and other names are left as written:
 * xform_mdbook.h deals with them once the text is Markdown. */
#ifndef STEPBOOK_DIRECTIVES_H
#define STEPBOOK_DIRECTIVES_H

#include <stddef.h>

struct buf;
struct diag;

#define DIRECTIVES_MAX_DEPTH 10

struct directives {
	char *title;  /* from {{#title}}, or NULL */
	char **files; /* the files included, within root, in order */
	size_t n_files;
	/* lines[k]: the line of the text (1-based) that line k + 1 of the
	 * expansion comes from; an included line counts as its directive's,
	 * so that what the Markdown's passes report points at the source */
	int *lines;
	size_t n_lines;
};

/* Whether `text` may hold a directive at all (a quick test, so that a
 * chapter without one is not copied). */
int directives_present(const char *text, size_t len);

/* Expands the directives of `text` (`len` bytes), the text of the file
 * `file` (within `root`, '/'-separated), into `out`. Diagnostics name
 * the file `shown` and add `line_offset` to its lines (the lines of
 * front matter before the text). A missing file, anchor or line range,
 * or a path leaving `root`, is an error at the directive. Fills `res`
 * (release with directives_release() either way). Returns 0, or -1 after
 * recording the problems. */
int directives_expand(const char *text, size_t len, const char *root,
		      const char *file, const char *shown, int line_offset,
		      struct buf *out, struct directives *res, struct diag *d);

void directives_release(struct directives *res);

#endif
