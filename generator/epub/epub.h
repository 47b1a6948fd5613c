/* epub: what the files of the EPUB writer share (see write_epub.h, the
 * one interface the rest of stepbook uses). Not for other modules.
 *
 * struct epub is the state of one build of the EPUB, owned by
 * write_epub(); the parts of the chapters are made on worker threads,
 * each touching only its own part and its chapter. */
#ifndef STEPBOOK_EPUB_H
#define STEPBOOK_EPUB_H

#include <pthread.h>
#include <libxml/tree.h>
#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "buf.h"
#include "diag.h"
#include "epub_name.h"
#include "pool.h"
#include "render.h"
#include "site.h"
#include "strset.h"

struct epub_last;
struct json_object;
struct epub_made;
struct incr;

#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_EPUB "http://www.idpf.org/2007/ops"
#define NS_SVG "http://www.w3.org/2000/svg"
#define NS_XLINK "http://www.w3.org/1999/xlink"
#define NS_MATHML "http://www.w3.org/1998/Math/MathML"
#define NS_OPF "http://www.idpf.org/2007/opf"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_NCX "http://www.daisy.org/z3986/2005/ncx/"
#define NS_CONTAINER "urn:oasis:names:tc:opendocument:xmlns:container"

#define X(s) ((const xmlChar *)(s))

/* Names of the generated documents, all beside the chapters in EPUB/. */
#define EPUB_NAV "nav.xhtml"
#define EPUB_NCX "toc.ncx"
#define EPUB_CSS "epub.css"
#define EPUB_COVER "cover.xhtml"
#define EPUB_TITLE "title.xhtml"
#define EPUB_CHECKLIST "checklist.xhtml"
#define EPUB_ANSWERS RENDER_EPUB_ANSWERS

/* An entry's data deflated as ZIP stores it (a raw DEFLATE stream), made
 * on any thread; epub_zip() copies the bytes. */
struct epub_deflated {
	unsigned char *bytes;
	size_t len;   /* of bytes */
	size_t size;  /* of the data */
	uint32_t crc; /* of the data */
};

/* One file in EPUB/, in the order it goes into the container. */
struct epub_file {
	char *href; /* path within EPUB/, not percent-encoded */
	char *id;   /* manifest id */
	const char *media_type;
	const char *properties; /* manifest properties, or NULL */
	int spine;              /* 0: not in the spine, 1: linear, 2: not */
	struct buf data;
	zip_int64_t reuse;              /* or the entry of e->prev holding it */
	struct epub_deflated *deflated; /* or it deflated */
};

struct epub {
	const struct site *s;
	const struct incr *inc; /* the chapters' texts */
	const struct theme *t;
	struct diag *d;
	const char *lang;
	char *identifier;
	char modified[32];
	struct epub_file *files;
	size_t n_files, cap_files;
	char **images; /* paths within content/ to carry, sorted */
	size_t n_images, cap_images;
	struct epub_file cover; /* the cover image, made before the chapters
				 * (see epub_cover()), added to files after */
	char *cover_href;       /* ... its path within EPUB/ */
	char *cover_src;        /* ... book.yml's cover as it is, within
				 * content/, or NULL for a rendered one */
	unsigned cover_width, cover_height; /* ... its size in pixels */
	int content_images;                 /* the chapters show images */
	int all_alt; /* ... and each has a text alternative */
	int has_tasks, has_quizzes;
	struct strset documents; /* the names of the EPUB's documents */
	zip_t *prev;             /* the EPUB at the path, or NULL */
	void *prev_map;          /* ... read from this mapping of it */
	size_t prev_len;
	int prev_trusted;  /* ... and it is the one the cache knows */
	uint64_t book_key; /* what every chapter document depends on */
	const struct epub_last *last; /* what the EPUB at the path holds */
	struct epub_made *made;       /* what this one is made of */
	/* one per worker of a pool (see pool.h), made when first used */
	struct libdeflate_compressor *deflaters[POOL_MAX_THREADS];
	struct buf deflate_out[POOL_MAX_THREADS];
	/* the table of contents of the nav and the NCX, made once by
	 * whichever job first needs it (epub_nav.c) */
	struct epub_toc *toc;
	pthread_mutex_t toc_lock;
};

/* What a chapter's document holds (struct epub_part's and struct
 * epub_chapter_facts' flags) */
#define EPUB_CHAPTER_SVG 1
#define EPUB_CHAPTER_MATHML 2
#define EPUB_CHAPTER_IMAGES 4 /* shows content images */
#define EPUB_CHAPTER_NO_ALT 8 /* ... and one has no text alternative */

/* What one chapter gives the EPUB, made on any thread. */
struct epub_part {
	struct buf xhtml;               /* its document, unless reused */
	struct epub_deflated *deflated; /* ... which is then deflated right
				 * away and kept only compressed */
	zip_int64_t reuse;  /* else the entry of e->prev to copy, or -1 */
	struct buf answers; /* its section of answers.xhtml, or empty */
	struct buf images;  /* the images its documents show, a line
				 * each */
	int flags;          /* EPUB_CHAPTER_* */
	size_t parsed;      /* renderings libxml2 parsed (conv_fragment()) */
	uint64_t key;
	struct diag d;
};

/* An entry of the container, in the order they are zipped. */
struct epub_entry {
	const char *name;
	const struct buf *data;
	int store;
	zip_int64_t reuse; /* the entry of the old EPUB that holds it as
				 * it is, or -1 */
	struct epub_deflated *deflated; /* or it deflated, made on a worker
				 * thread */
};

/* The whole-book documents that are reused from the previous EPUB when
 * made from the same inputs (the index in epub_last.doc_keys and
 * epub_made.doc_keys). */
enum { DOC_NAV, DOC_NCX, DOC_CHECKLIST, DOC_ANSWERS, DOC_COVER };

/* What converting a chapter's rendering reads besides the rendering: for
 * a chapter's document, taken from the context its key is the hash of
 * (epub_chapters.c), so that nothing the document is made of is missing
 * from its key. */
struct conv_env {
	const char *base_url; /* book.yml's, or "": links out of the book */
	const char *page;     /* ... made absolute from this site page */
	int unsafe_html;      /* raw HTML: renderings parsed by libxml2 */
	const char *notes;    /* the label of the endnotes */
	/* for messages only, which leave the document as it is */
	const char *where;         /* the source file, or NULL */
	const char *const *images; /* the chapter's Markdown images */
	size_t n_images;
};

/* State while one HTML fragment is rebuilt as XHTML. */
struct conv {
	struct epub *e;
	struct epub_part *part; /* what the conversion finds goes here */
	const struct conv_env *env;
	xmlDocPtr doc;
	xmlNsPtr xhtml, epub;
	int has_svg, has_mathml;
	int in_footnotes;
	char **ids;
	size_t n_ids, cap_ids;
	/* fragments made without the tree (epub_xhtml.c), each standing in
	 * it as a comment until conv_splice() */
	struct buf *ready;
	size_t n_ready, cap_ready;
	size_t parsed; /* fragments read by libxml2's HTML parser */
};

/* epub_zip.c: deflating, and the container (see epub_zip()). */
/* `data` deflated with worker `worker`'s compressor, or NULL (then the
 * entry is left to libzip). */
struct epub_deflated *epub_deflate(struct epub *e, size_t worker,
				   const struct buf *data);
/* Frees `z` (may be NULL). */
void epub_deflated_free(struct epub_deflated *z);
/* Frees what was deflated for `entries`. */
void epub_entries_free(struct epub_entry *entries, size_t n);
/* Zips `entries` in order into `out`. Entries that `old` (the previous
 * EPUB, or NULL) holds unchanged are copied compressed. Returns 0 or -1
 * (error recorded). Frees what was deflated for them. */
int epub_zip(struct epub *e, const char *path, zip_t *old,
	     struct epub_entry *entries, size_t n, long long epoch,
	     struct buf *out);

/* epub_xml.c: building and writing XML documents with libxml2. */
/* Whether `s` holds a control character XML 1.0 cannot hold. */
int epub_has_control(const char *s);
/* A copy of `s` safe for XML text (the caller's). */
char *epub_clean(const char *s);
/* Adds element `name` holding `text` (may be NULL: empty) to `parent`,
 * without the characters XML cannot hold; returns it. */
xmlNodePtr epub_text_child(xmlNodePtr parent, const char *name,
			   const char *text);
/* Sets attribute `name` of `node` to `value` (may be NULL: empty),
 * without the characters XML cannot hold. */
void epub_prop(xmlNodePtr node, const char *name, const char *value);
/* Adds `text` (may be NULL) to `parent`, as epub_text_child() does. */
void epub_add_text(xmlNodePtr parent, const char *text);
/* Appends `doc` serialised in UTF-8 (indented when `format`) to `out`. */
void epub_dump(xmlDocPtr doc, int format, struct buf *out);
/* Whether `name` is an HTML void element (br, img...). */
int epub_is_void(const xmlChar *name);
/* epub_dump() of an XHTML document, each empty element that is not void
 * written <p></p>, not <p/>, which some readers' HTML parsers misread. */
void epub_xhtml_dump(xmlDocPtr doc, int format, struct buf *out);
/* A new XHTML content document with `title` in the book's language;
 * *body is its body. */
xmlDocPtr epub_xhtml_new(struct epub *e, const char *title, xmlNodePtr *body);
/* The same in language `lang`, written in direction `dir` ("rtl", "ltr",
 * or NULL to say nothing). */
xmlDocPtr epub_xhtml_new_in(const char *lang, const char *dir,
			    const char *title, xmlNodePtr *body);
/* Sets epub:type on `node` (the document declares the prefix). */
void epub_epub_type(xmlNodePtr node, const char *type);
/* Appends the XHTML of `node` (of `doc`) to `out`, as epub_dump() would
 * write it within its document. */
void epub_node_dump(xmlDocPtr doc, xmlNodePtr node, struct buf *out);

/* epub_conv.c: HTML fragments (a book with raw HTML) rebuilt as XHTML
 * through libxml2's HTML parser and a tree, and the helpers the EPUB's
 * rules share. */
/* Records that the document uses `id`. */
void conv_note_id(struct conv *cv, const char *id);
/* An id built from `base` that the document does not use yet (the
 * caller's); it is recorded as used. */
char *conv_unique_id(struct conv *cv, const char *base);
/* Frees what `cv` holds; it may then be used again. */
void conv_release(struct conv *cv);
/* Whether `path` (or NULL) is one of the chapter's Markdown images, each
 * of which the EPUB carries or reports as an error (see epub_images()):
 * then leaving it out needs no warning of its own. */
int conv_image_of_chapter(const struct conv *cv, const char *path);
/* Whether a link to `href` leads to a document of the EPUB; sets *fixed
 * to the href to write (the caller's). */
int conv_link_ok(struct conv *cv, const char *href, char **fixed);
/* Adds `fragment` (XHTML, taken: `fragment` is left empty) to `dst` as a
 * mark that conv_splice() replaces with it. */
void conv_add_ready(struct conv *cv, xmlNodePtr dst, struct buf *fragment);
/* Puts the fragments of conv_add_ready() into `out` (from offset
 * `from`), in place of the marks the tree wrote for them. */
void conv_splice(struct conv *cv, struct buf *out, size_t from);
/* Parses the HTML fragment `html` and appends it to `dst` as XHTML.
 * Returns 0, or -1 after recording an error. */
int conv_fragment(struct conv *cv, xmlNodePtr dst, const char *html,
		  size_t len);
/* Starts converting into document `doc`, reading `env` (kept: it must
 * outlive the conversion); what is found goes to part `p`. */
void conv_init(struct conv *cv, struct epub *e, const struct conv_env *env,
	       struct epub_part *p, xmlDocPtr doc);

/* epub_xhtml.c: a chapter's rendering made part of its document. */
/* Appends the rendering `text` of chapter cv->c (its body or its
 * answers, links placed by render_links()) to `dst`: without raw HTML,
 * the XHTML markdown_xhtml.c made, finished (links, images, ids); with
 * it (unsafe_html), through conv_fragment(). Returns 0, or -1 after
 * recording an error. */
int epub_fragment(struct conv *cv, xmlNodePtr dst, const char *text,
		  size_t len);

/* epub_chapters.c: the chapters' documents, made on every core, and
 * what decides whether a document of the previous EPUB is taken. */
/* The manifest id of chapter `c`, the `i`th (the caller's). */
char *epub_chapter_id(const struct chapter *c, size_t i);
/* The key of chapter `idx`'s documents: the hash of the context they are
 * made from (context.h), which epub_chapter_json() builds as JSON into
 * *json (the caller's reference), returning its hash, the same key. */
uint64_t epub_chapter_key(const struct epub *e, size_t idx);
uint64_t epub_chapter_json(const struct epub *e, size_t idx,
			   struct json_object **json);
/* Converts every chapter into `parts`, and runs side(side_arg, job,
 * worker) (may be NULL) for each job from 0 to n_side - 1 beside them,
 * those first. */
void epub_chapters(struct epub *e, struct epub_part *parts,
		   void (*side)(void *, size_t, size_t), size_t n_side,
		   void *side_arg);
/* Takes the parts into the book, in book order: problems, images, what
 * the package says of each document; and notes in e->made what the next
 * build may reuse of each chapter's. */
void epub_take_parts(struct epub *e, struct epub_part *parts, size_t f_first);
/* The entry of the previous EPUB that holds the document `href` (in
 * EPUB/), when that EPUB is the one the last build made (its stamp is
 * known), else -1. */
zip_int64_t epub_doc_at(const struct epub *e, const char *href);
/* Whether the previous EPUB holds whole-book document `doc` (named
 * `href` in EPUB/) made from `key`: then *reuse is its entry. */
int epub_doc_reuse(const struct epub *e, int doc, uint64_t key,
		   const char *href, zip_int64_t *reuse);

/* epub_xml.c, XML written as text: the documents made of many small
 * entries (nav, NCX, checklist), written straight into a buffer laid out
 * byte for byte as libxml2's indented dump lays out a tree (two spaces a
 * level; an element holding text on one line), with text escaped as it
 * escapes it. Much cheaper than a tree: a rebuild makes them every time.
 *
 * A writer keys what it writes, in either of two modes that give the
 * same key: writing, or only hashing, which writes no element (nor
 * escapes its text) and drops the caller's own bytes once hashed. The
 * key is the hash of the elements as given (kind, depth, name,
 * attributes, text) and of the bytes the caller writes itself between
 * them, which together make every byte of the document: the same key,
 * the same bytes. */
struct epub_xw {
	struct buf *out;
	int depth;
	int hashing; /* only hashing: out holds the caller's bytes alone */
	uint64_t hash;
	size_t mark;  /* out's length after the last element */
	char ev[256]; /* an element's bytes for the key, gathered */
	size_t ev_len;
	int in_value; /* between epub_xw_value_begin() and _end() */
};
/* The kinds of element, for the key; and a value standing for some. */
enum {
	EPUB_XW_OPEN = 1,
	EPUB_XW_CLOSE,
	EPUB_XW_LEAF,
	EPUB_XW_EMPTY,
	EPUB_XW_VALUE
};
/* A writer into `out`, or one that only hashes (see above). */
void epub_xw_init(struct epub_xw *w, struct buf *out, int hashing);
/* The key of what `w` was given so far. */
uint64_t epub_xw_key(struct epub_xw *w);
/* Hashes the bytes the caller wrote itself since the last element (and
 * drops them when only hashing): call it after writing some. */
void epub_xw_flush(struct epub_xw *w);
/* Keys `h` (with `what`, and the depth) in place of the elements that
 * follow until epub_xw_value_end(): elements made by fixed code from
 * data whose hash is `h` (the table of contents, made once and shown by
 * two documents), which need not be walked to be keyed. Returns whether
 * to write them: not when only hashing. Between the two calls elements
 * are written, when writing, but not keyed, and the caller writes no
 * bytes of its own. */
int epub_xw_value_begin(struct epub_xw *w, const char *what, uint64_t h);
void epub_xw_value_end(struct epub_xw *w);
/* Appends `s` (may be NULL) escaped for XML text, or for an attribute
 * value when `attr`, without the characters XML cannot hold. */
void epub_xw_escape(struct buf *out, const char *s, int attr);
/* <name a="v"...>, then a new line a level deeper. `attrs`: name, value
 * pairs, NULL-terminated (may be NULL). */
void epub_xw_open(struct epub_xw *w, const char *name,
		  const char *const *attrs);
/* </name> a level up. */
void epub_xw_close(struct epub_xw *w, const char *name);
/* <name a="v"...>text</name> on one line. */
void epub_xw_leaf(struct epub_xw *w, const char *name, const char *const *attrs,
		  const char *text);
/* <name a="v".../> on one line. */
void epub_xw_empty(struct epub_xw *w, const char *name,
		   const char *const *attrs);
/* The indentation of a line of the current level, for a line of mixed
 * content the caller then writes. */
void epub_xw_indent(const struct epub_xw *w);
/* The start of an XHTML content document titled `title`, as
 * epub_xhtml_new() makes it, up to <body>; and its end. */
void epub_xw_xhtml_begin(struct epub_xw *w, struct epub *e, const char *title);
void epub_xw_xhtml_end(struct epub_xw *w);

/* epub_pages.c: the title page, the checklist and the answers. */
/* answers.xhtml: the title, then each chapter's section in book order. */
void epub_answers(struct epub *e, const struct epub_part *parts,
		  struct buf *out);
/* title.xhtml: title, subtitle, author, description. */
void epub_title_page(struct epub *e, struct buf *out);
/* checklist.xhtml: every task item, linked to its section. */
void epub_checklist(struct epub *e, struct epub_xw *w);

/* epub_cover.c: the cover image and the cover page. */
/* The cover page: the cover image scaled to the page, whole, the way
 * EPUB 3 cover pages do it (an SVG of the image's proportions, as large
 * as the viewport, holding the image): one screen in any reading
 * system, never a page of its own split in two. */
void epub_cover_page(struct epub *e, struct buf *out);
/* The media type of the cover book.yml names, or NULL after recording
 * that the EPUB cannot use it. */
const char *epub_cover_type(const struct config *cfg, struct diag *d);
/* The cover image, in e->cover: book.yml's `cover:` as it is when it is a
 * PNG, JPEG or GIF; else the PNG of the SVG cover (the book's, or the
 * theme's template's), rendered by cover_render() unless the previous
 * EPUB holds it made from the same SVG. Made as a job beside the
 * chapters': it reads the model, the theme and the previous EPUB, which
 * no other job reads from, and writes only e->cover*, *key and `d`.
 * Sets *key to what the PNG is made from, for the cache (0 for a cover
 * used as it is). Returns 0, or -1 after recording the problems in `d`. */
int epub_cover(struct epub *e, uint64_t *key, struct diag *d);
/* Adds e->cover to the files, after the chapters' documents; a cover
 * image a chapter shows too is carried once. */
void epub_take_cover(struct epub *e);

/* epub_nav.c: navigation. */
/* nav.xhtml: the table of contents (chapters and their h2 headings)
 * and the landmarks. */
void epub_nav(struct epub *e, struct epub_xw *w);
/* toc.ncx: the same table of contents for EPUB 2 readers. */
void epub_ncx(struct epub *e, struct epub_xw *w);
/* Frees e->toc (NULL is nothing). */
void epub_toc_free(struct epub_toc *t);

/* epub_package.c: the package document, the container file and the
 * identifier. */
/* package.opf: metadata (with EPUB Accessibility 1.1), manifest and
 * spine of e->files, and the EPUB 2 guide. */
void epub_opf(struct epub *e, struct buf *out);
/* META-INF/container.xml, which points at EPUB/package.opf. */
void epub_container(struct buf *out);
/* cfg.identifier, or a urn:uuid: derived from the title alone, so that
 * it stays the same from build to build. */
char *epub_identifier(const struct config *cfg);

/* write_epub.c: the files of the book. */
/* Whether `path` is one of the files under content/. */
int epub_is_content_file(const struct site *s, const char *path);
/* The language of the EPUB of `s`: book.yml's, or "en" when it has none
 * or one no XML attribute can hold. */
const char *epub_language(const struct site *s);
/* Adds image `path` (within content/) to those the EPUB carries. */
void epub_want_image(struct epub *e, const char *path);
/* Whether `name` is a document of the EPUB (chapter or generated). */
int epub_is_document(const struct epub *e, const char *name);

#endif
