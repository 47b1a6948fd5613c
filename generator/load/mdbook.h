/* mdbook: an mdBook book's settings, book.toml and src/SUMMARY.md, read
 * as stepbook's own (config.h), so that such a book builds as it is.
 *
 * What maps (the README's "Coming from mdBook" has the table):
 *   [book] title, authors, description, language, src;
 *   [output.html] additional-css, additional-js (files inside src/),
 *   edit-url-template ({path} is the file's path from the book's folder),
 *   site-url (when it is an absolute http(s) address: base_url);
 *   SUMMARY.md: the chapters in order, with their titles.
 * Raw HTML is allowed, as mdBook allows it. Every other key is a warning
 * that names it, once per table. */
#ifndef STEPBOOK_MDBOOK_H
#define STEPBOOK_MDBOOK_H

struct config;
struct diag;
struct summary;

/* Reads the book.toml at `toml` (shown as `toml_shown`) and stores its
 * source folder (`[book] src`, default "src", normalised) in *src (the
 * caller's). Returns 0, or -1 after recording why (the file unreadable,
 * bad TOML, a src leaving the book). */
int mdbook_src(const char *toml, const char *toml_shown, char **src,
	       struct diag *d);

/* Fills `cfg` (zeroed here; release with config_release() either way)
 * from book.toml at `toml` and the SUMMARY.md of `content_dir` (both
 * named with `*_shown` in diagnostics); `sum` receives SUMMARY.md as
 * read (release with summary_release()). Returns 0, or -1 after
 * recording every problem. */
int mdbook_config_load(struct config *cfg, const char *toml,
		       const char *toml_shown, const char *content_dir,
		       const char *shown_dir, struct summary *sum,
		       struct diag *d);

#endif
