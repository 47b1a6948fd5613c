/* site: the site model: the book, its chapters and what the passes found
 * in them, with the lookups on it and its release.
 *
 * The model is the bottom of the layers that know the book: the loader
 * (site_load.h) fills it, running the AST passes (xform_*.h), which read
 * and fill only the model. Only a model loaded without errors is handed
 * to the writers, which do not change it (apart from setting output
 * markup on the custom nodes while rendering, see render.h). What is made
 * of it for the writers (each chapter's rendered texts) and what a build
 * takes from the last one are incremental.h's, not the model's. */
#ifndef STEPBOOK_SITE_H
#define STEPBOOK_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "i18n.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "quiz.h"
#include "strset.h"

struct cmark_node;
struct diag;

#define SITE_NONE ((size_t)-1)

struct heading {
	int level;  /* 2..6; the chapter title is the only h1 */
	char *id;   /* unique in its chapter */
	char *text; /* plain text */
	int line;
};

struct task {
	char *id;       /* "<chapter slug>-<slug of text>[-n]", stable */
	char *text;     /* plain text */
	char *html;     /* the text, HTML-escaped */
	size_t heading; /* index of the heading it sits under, or SITE_NONE */
	int checked;    /* written as [x] in the source */
	int line;
};

/* A link from a chapter to a chapter (itself included) or a file. */
struct link {
	struct cmark_node *node;
	size_t chapter;      /* target chapter, or SITE_NONE for a file */
	char *fragment;      /* heading id, or NULL for the chapter's top */
	char *file;          /* for links to files: path within content/ */
	size_t from_heading; /* heading the link sits under, or SITE_NONE */
	int line, col;
};

struct backlink {
	size_t chapter; /* the linking chapter */
	size_t heading; /* heading in it, or SITE_NONE for its top */
};

struct callout {
	char *kind; /* "note", "tip", "important", "warning", "caution" */
};

struct chapter {
	char *file;       /* name within content/: "02-accept.md",
			   * "guides/01-intro.md" */
	char *path;       /* as shown in diagnostics: "content/02-accept.md" */
	char *slug;       /* "02-accept", "guides-01-intro": unique in the
			   * book, safe in ids (see chapter_set_names()) */
	char *html_name;  /* "02-accept.html", "guides/01-intro.html" */
	char *xhtml_name; /* "02-accept.xhtml", "guides-01-intro.xhtml" */
	size_t part;      /* its part in cfg.parts, or CONFIG_NO_PART */
	int depth;     /* its nesting in the list (SUMMARY.md); 0 at the top */
	int separator; /* the list puts a separator before it */
	struct frontmatter fm;
	char *list_title; /* its title in the chapter list, or NULL */
	struct buf source;
	struct cmark_node *doc;
	struct cmark_node **detached; /* nodes kept alive for their text */
	size_t n_detached, cap_detached;
	struct buf code; /* its code blocks' markup (xform_code.h) */
	struct heading *headings;
	size_t n_headings, cap_headings;
	struct strset heading_ids; /* id -> index of its first heading */
	struct task *tasks;
	size_t n_tasks, cap_tasks;
	struct quiz_list quizzes;
	struct link *links;
	size_t n_links, cap_links;
	struct backlink *backlinks;
	size_t n_backlinks, cap_backlinks;
	struct callout *callouts;
	size_t n_callouts, cap_callouts;
	char **images; /* paths within content/ of the images it shows */
	size_t n_images, cap_images;
	size_t words;
	int minutes;   /* reading time, at least 1 */
	int *line_map; /* after directives: the source line of each line
			   * of the text parsed (1-based, from the body's
			   * start), or NULL when the text is the source */
	size_t n_line_map;
	char *head_title; /* mdBook's {{#title}}: the page's <title>, or
			   * NULL */
	int reparse;      /* parsed on every build, since the cache cannot
			   * see what it is made from: its text includes
			   * other files (directives.h), or its title is
			   * the chapter list's */
	int parsed;       /* read and parsed: its headings can be trusted */
	int warned;       /* parsing it gave warnings: the cache does not
			   * keep it, so that they are given again */
	/* the source file as read (by the loader, or as the cache saw it):
	 * what the cache decides on next time */
	long long src_size, src_mtime_ns, src_ctime_ns;
	uint64_t src_hash;
};

/* A page kept at an old address (book.yml's `redirects:`), as checked
 * (site_redirects.h): `path`, the old page within the site
 * ("format/config.html"); `target`, a page of the site with its
 * "#fragment" (within the site, not yet relative to `path`), or an
 * absolute URL when `external`. */
struct site_redirect {
	char *path, *target;
	int external;
};

/* One language of a book with translations (book.yml's `translations:`):
 * its tag, its name in itself, the folder of the published site it is
 * in ("" for the book's own language, else "<tag>/") and its model. */
struct site_language {
	const char *tag, *name, *dir;
	const struct site *site;
};

struct site {
	struct config cfg;
	struct i18n i18n;  /* the interface strings, in the book's language */
	char *content_dir; /* where content/ is read from */
	char *shown_dir;   /* how it is named in diagnostics */
	char *slug;        /* the book's slug, for "<slug>.epub" */
	struct chapter *chapters;
	size_t n_chapters;
	struct strset chapter_files; /* chapter file -> index */
	char **files; /* every other file under content/ (relative),
			      * sorted: what the site publishes */
	size_t n_files;
	/* the .md files under content/ that book.yml's `chapters:` leaves
	 * out, sorted; `list_errors`: that list had mistakes, of which
	 * links to these files are only a consequence */
	char **unlisted;
	size_t n_unlisted;
	int list_errors;
	struct site_redirect *redirects; /* sorted by path */
	size_t n_redirects;
	/* the chapters left out as drafts (`draft: true`, no --drafts),
	 * by file: a link to one says why it is missing */
	struct strset drafts;
	/* what under content/ is not read (see fs_walk()): a symlink
	 * leading out of it, a loop, a FIFO...; sorted by path */
	struct fs_refused *refused;
	size_t n_refused;
	char *content_real; /* the real path of content/ */
	/* every language of a book with translations, the book's own
	 * first, shared by the models of them all, and which one this
	 * model is; NULL (and 0) for a book in one language. Set by the
	 * build once every language is loaded. */
	const struct site_language *languages;
	size_t n_languages, language;
	size_t n_tasks; /* task items in the whole book */
	/* the code blocks highlighted as the chapters were parsed now, and
	 * of those, the ones highlighted ahead (highlight_ahead.h) */
	size_t code_blocks, code_ahead;
	long long newest; /* newest mtime among the inputs */
};

/* Starts chapter `c` of the file `file` (within content/), shown as
 * "<shown_dir>/<file>" in diagnostics; everything else empty. */
void chapter_init(struct chapter *c, const char *file, const char *shown_dir);
/* Frees everything `c` holds (not `c`). */
void chapter_release(struct chapter *c);
/* Frees every chapter and everything `s` holds, and zeroes it. */
void site_release(struct site *s);

/* Appends "<what> '<path>' <what is wrong>" for a file `path` (within
 * content/) that is `why`, or inside the folder `why` is. */
void site_refusal_message(const struct site *s, const char *what,
			  const char *path, const struct fs_refused *why,
			  struct buf *out);

/* Whether `path` (within content/) is a .md file left out of the
 * chapters (s->unlisted). */
int site_is_unlisted(const struct site *s, const char *path);

/* Reads chapter `c`'s source again when it was taken from the cache
 * without it, so that a diagnostic can show its line. Returns 0, or -1
 * when it cannot be read (nothing recorded). */
int chapter_load_source(const struct site *s, struct chapter *c);

/* Whether `path` (within content/) is one of s->files. */
int site_has_file(const struct site *s, const char *path);

/* Index of the chapter whose file is `file` (within content/), or
 * SITE_NONE. */
/* The title of the part chapter `i` opens (the first chapter of its part
 * in the book as published), or NULL. */
const char *site_part_opened(const struct site *s, size_t i);
size_t site_find_chapter(const struct site *s, const char *file);
/* Index of the heading `id` in chapter `c`, or SITE_NONE. */
size_t chapter_find_heading(const struct chapter *c, const char *id);
/* Sets c->slug, c->html_name and c->xhtml_name (freeing the old ones)
 * from c->file and the front matter's `slug:` (already checked: see
 * site_load.c), else the file's name. A chapter in a folder keeps its
 * place on the site: "guides/01-intro.md" is "guides/01-intro.html", each
 * folder's name made a slug, so that its URL needs no escaping. Its slug,
 * which makes its ids, is the folders' and its own joined with '-'
 * ("guides-01-intro"), so that two "01-intro.md" in different folders do
 * not clash. A folder's README.md (or index.md) is its page, as mdBook
 * makes it: "guides/README.md" is "guides/index.html", slug
 * "guides-index". In the EPUB every chapter's document sits beside the
 * others ("guides-01-intro.xhtml"), so that each one's links to the
 * stylesheet, the answers and the images are the same. */
void chapter_set_names(struct chapter *c);
/* Whether the file name `name` (no folder) makes its folder's page:
 * README.md (in any case) or index.md. */
int chapter_is_folder_page(const char *name);

/* Appends to `out` the URL of the site's file `to` (a path within the
 * site) as written in the page `from` (also within the site; NULL for a
 * page at the top): "../" for each folder `from` is in that `to` is not,
 * then the rest of `to`, percent-encoded. */
void site_add_relative_url(struct buf *out, const char *from, const char *to);

/* "../" for each folder the page `page` (within the site) is in: what
 * makes a URL relative to the site's top one relative to the page. */
void site_add_root(struct buf *out, const char *page);

/* The page of language `l` that is the page `page` of `s` (chapter
 * `ci`, or SITE_NONE for a page that is no chapter): the same chapter,
 * by its file in content/ or content/<tag>/, else that language's
 * index; a page that is no chapter has the same name in each. Borrowed. */
const char *site_language_page(const struct site *s, size_t ci,
			       const char *page, const struct site_language *l);
/* Whether language `l` has the page `page` of `s` (chapter `ci`) as a
 * page of its own, not its index standing in for it. */
int site_language_has(const struct site *s, size_t ci,
		      const struct site_language *l);

/* Whether pages show a "Step N" label beside the chapter's title: it has a
 * step, and its title does not already start with "Step " or with that
 * label in the book's language ("Paso 2" for step 2 in Spanish). */
int chapter_step_label(const struct site *s, const struct chapter *c);

/* Copies the chapter's own `language:` (front matter) into `out` (size
 * bytes), "" when it has none or it is the same as `book` (book.yml's).
 * Returns whether it copied one. */
int chapter_language(const struct chapter *c, const char *book, char *out,
		     size_t size);

/* Keeps `node` (already unlinked) alive until the chapter is released:
 * inline text may point into a block's memory. */
void chapter_detach(struct chapter *c, struct cmark_node *node);

#endif
