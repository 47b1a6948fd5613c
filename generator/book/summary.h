/* summary: mdBook's SUMMARY.md, the list of a book's chapters, read as
 * mdBook documents it (guide/src/format/summary.md of rust-lang/mdBook).
 *
 * In order: an optional title heading (`# Summary`); prefix chapters
 * (links in paragraphs, unnumbered, not nested); then the numbered
 * chapters, lists of links nested to any depth, which `# Part` headings
 * split into parts; then suffix chapters (links in paragraphs again).
 * `---` is a separator anywhere. A link with no target (`[Title]()`) is a
 * draft chapter: listed, not linked. HTML comments are skipped.
 *
 * The result is one flat list in book order; `depth` gives the nesting
 * (0 for a top-level chapter), so that a sidebar, the EPUB nav and its
 * NCX can each rebuild the tree. */
#ifndef STEPBOOK_SUMMARY_H
#define STEPBOOK_SUMMARY_H

#include <stddef.h>

struct diag;

enum summary_kind {
	SUMMARY_CHAPTER,   /* title, path (NULL for a draft) */
	SUMMARY_PART,      /* title only */
	SUMMARY_SEPARATOR, /* neither */
};

enum summary_section { SUMMARY_PREFIX, SUMMARY_NUMBERED, SUMMARY_SUFFIX };

struct summary_item {
	enum summary_kind kind;
	enum summary_section section;
	char *title;   /* plain text; NULL for a separator */
	char *path;    /* as written, "%20" read as a space; NULL: a draft */
	char *number;  /* numbered chapters: "1.2."; NULL otherwise */
	int depth;     /* 0 at the top level; nested numbered chapters more */
	int line, col; /* where the entry is written in SUMMARY.md */
};

struct summary {
	char *title; /* the title heading, or NULL */
	struct summary_item *v;
	size_t n, cap;
};

/* Reads the SUMMARY.md text `text` (`len` bytes), naming `file` in
 * diagnostics. Fills `s` (release with summary_release() either way) and
 * returns 0, or records every problem at file:line:col and returns -1:
 * a list item that is not just a link, a list or part title after the
 * suffix chapters, a link to a web address or an absolute path, the same
 * file listed twice. Text outside links, which mdBook ignores, is a
 * warning. Parses with cmark-gfm: call markdown_init() first. */
int summary_parse(const char *text, size_t len, const char *file,
		  struct summary *s, struct diag *d);

void summary_release(struct summary *s);

#endif
