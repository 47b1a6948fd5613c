/* write_epub: the book as one EPUB 3 file.
 *
 * Layout of the container (entries in this order, always):
 *
 *     mimetype                 stored, first, "application/epub+zip"
 *     META-INF/container.xml   points at EPUB/package.opf
 *     EPUB/package.opf         metadata (with EPUB Accessibility 1.1),
 *                              manifest, spine, and the EPUB 2 guide
 *                              (cover page, contents, start of the text)
 *     EPUB/nav.xhtml           toc (chapters and their h2 headings) and
 *                              landmarks
 *     EPUB/toc.ncx             the same table of contents for EPUB 2
 *                              readers
 *     EPUB/epub.css            the theme's epub.css
 *     EPUB/cover.xhtml         the cover page: the cover image scaled to
 *                              the screen (an SVG of its proportions)
 *     EPUB/title.xhtml         title, subtitle, author, description
 *     EPUB/<slug>.xhtml        one per chapter, in book order
 *     EPUB/checklist.xhtml     every task item, linked to its section
 *                              (only when the book has task items)
 *     EPUB/answers.xhtml       quiz answer notes, linear="no" (only when
 *                              the book has quizzes)
 *     EPUB/<cover image>       the cover-image: cfg.cover when it is a
 *                              PNG, JPEG or GIF; else cover.png, the
 *                              raster of the SVG cover (cfg.cover, or the
 *                              theme's cover.svg.mustache), see cover.h
 *     EPUB/<images>            the images the chapters show, at their
 *                              path within content/, sorted
 *
 * The XML files are built with libxml2's tree API. Chapter bodies come
 * from incr_body() (`inc` holds each chapter's texts). Without raw HTML
 * they are XHTML already, made from the chapter's tree
 * (markdown_xhtml.h), and only finished here: links to files that are
 * not in the EPUB keep only their text, images are carried or become
 * links. A book with unsafe_html has cmark-gfm's HTML parsed by libxml2
 * and rebuilt with the same rules, to the same bytes: cmark-gfm
 * footnotes become EPUB endnotes with noteref links, forms, scripts and
 * data-* attributes are dropped. Each chapter ends with "Referenced from"
 * backlinks.
 *
 * Reproducible: every zip entry carries `epoch` as its time (converted to
 * UTC without the C library), no entry has zip extra fields, entries come
 * in a fixed order, and dcterms:modified is `epoch` too, so two builds of
 * the same input are byte-identical. */
#ifndef STEPBOOK_WRITE_EPUB_H
#define STEPBOOK_WRITE_EPUB_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct diag;
struct incr;
struct site;
struct theme;

/* The whole-book documents whose keys the caller keeps: nav.xhtml,
 * toc.ncx, checklist.xhtml, answers.xhtml, the cover's raster image. */
#define WRITE_EPUB_DOCS 5

/* What one chapter's document in an EPUB was made from and what it
 * shows, for the next build to reuse it without making it again. */
struct epub_chapter_facts {
	uint64_t key;  /* of everything its document was made from;
			   * 0: not to be reused */
	int flags;     /* what it holds, EPUB_CHAPTER_* (epub.h): kept
			* as it is by the caller */
	char *answers; /* its section of the answers document */
	char *images;  /* images its document shows, one a line */
};

/* What the EPUB at `prev` is known to hold, as the caller kept it from
 * the build that made it (see struct epub_made). */
struct epub_last {
	uint64_t stamp; /* fs_stamp() of that file; 0: nothing known, and
			   * no chapter document is taken from it */
	uint64_t doc_keys[WRITE_EPUB_DOCS]; /* 0 each: not to be reused */
	const struct epub_chapter_facts *chapters; /* one per chapter of
			   * the site, in book order, or NULL */
	/* the raster of an SVG cover, kept by the caller (of that EPUB or
	 * another, or drawn ahead by write_epub_cover()), taken instead of
	 * drawing one made from the same SVG */
	uint64_t cover_key; /* 0: none */
	const char *cover;
	size_t cover_len;
};

/* What write_epub() made: to keep, with the stamp of the file the bytes
 * are written to, as the next build's struct epub_last. */
struct epub_made {
	uint64_t doc_keys[WRITE_EPUB_DOCS];  /* 0 each unless it succeeded */
	struct epub_chapter_facts *chapters; /* one per chapter, or NULL
			   * when it failed before making them */
	size_t n_chapters;
	size_t reused;      /* chapter documents copied from `prev` */
	size_t docs_reused; /* ... and whole-book documents (nav, NCX,
			     * checklist, answers) */
	size_t parsed;      /* renderings read by libxml2's HTML parser: only
			* those of a book with raw HTML (unsafe_html); the
			* others are XHTML made from the tree */
	/* the raster of the SVG cover, for the caller to keep: its key
	 * (0: none, or it failed) and, when this build had them (drawn, or
	 * taken from `last`; not when copied from `prev`), its bytes */
	uint64_t cover_key;
	char *cover;
	size_t cover_len;
	int cover_drawn; /* ... drawn by this build */
};

void epub_made_release(struct epub_made *m);

/* Makes the EPUB of `s` styled by `t` (its epub.css and cover.svg
 * template) in memory and appends its bytes to `out`. Entries
 * that the EPUB at `prev` (the previous one; may be NULL, or missing)
 * holds unchanged are copied compressed instead of being deflated again
 * (same bytes as a fresh build); its chapter documents only when its
 * stamp (fs_stamp()) is last->stamp, and then those whose key is the
 * one `last` gives. `shown` names the EPUB in messages. `epoch` is the
 * build time in seconds since 1970 (the caller passes SOURCE_DATE_EPOCH,
 * or the newest input's mtime); times before 1980 are written as
 * 1980-01-01 in the zip, as DOS dates cannot say less.
 *
 * Reads the chapters' texts from `inc`, the cover and the images from
 * s->content_dir; nothing of `s` is changed. An SVG cover is rendered
 * (cover_render()) unless the EPUB at `prev`, or last->cover, holds its
 * raster made from the same SVG. `made` is filled (release it with epub_made_release())
 * whatever the result.
 *
 * Returns 0, or -1 after recording each problem in `d` (an image or cover
 * of a type EPUB cannot carry, a file that cannot be read, a chapter slug
 * that clashes with a generated page, a cover template that is not valid
 * SVG, an SVG cover that cannot be rendered). Warnings (a WebP image, which EPUB 3.2 readers may not show; a
 * raw HTML <img> of a file not in content/, left out) do not fail the
 * build. */
int write_epub(const struct site *s, const struct incr *inc,
	       const struct theme *t, const struct epub_last *last,
	       const char *prev, const char *shown, long long epoch,
	       struct epub_made *made, struct buf *out, struct diag *d);

/* Draws the raster of the SVG cover of `s` styled by `t`, as
 * write_epub() would, appending the PNG to `png` and setting *key to what
 * write_epub() knows it by (epub_last.cover_key): for a caller to draw it
 * ahead, beside other work. Returns 1 when drawn, 0 when the book's cover
 * is no SVG, -1 after recording in `d` why it cannot be drawn. Reads `s`
 * and `t` only; safe beside any other reader. */
int write_epub_cover(const struct site *s, const struct theme *t, uint64_t *key,
		     struct buf *png, struct diag *d);

/* Reports, before anything is written, the problems of `s` that would
 * make write_epub() fail: an image of a kind EPUB cannot carry (at the
 * first place that shows it), a chapter slug that clashes with one of
 * the EPUB's own documents, a cover EPUB cannot use. Returns 0 or -1. */
int write_epub_check(const struct site *s, struct diag *d);

/* Splits `epoch` (seconds since 1970, UTC) into a civil date and time,
 * with the proleptic Gregorian calendar; negative values count back from
 * 1970. Exposed for the tests. */
void write_epub_civil_time(long long epoch, int *year, int *month, int *day,
			   int *hour, int *min, int *sec);

#endif
