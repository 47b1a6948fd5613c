/* epub: what the files of the EPUB writer share (see write_epub.h, the
 * one interface the rest of stepbook uses). Not for other modules.
 *
 * struct epub is the state of one build of the EPUB, owned by
 * write_epub(); the parts of the chapters are made on worker threads,
 * each touching only its own part and its chapter. */
#ifndef STEPBOOK_EPUB_H
#define STEPBOOK_EPUB_H

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
#include "write_epub.h"

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
	size_t len;             /* of bytes */
	size_t size;            /* of the data */
	uint32_t crc;           /* of the data */
};

/* One file in EPUB/, in the order it goes into the container. */
struct epub_file {
	char *href;             /* path within EPUB/, not percent-encoded */
	char *id;               /* manifest id */
	const char *media_type;
	const char *properties; /* manifest properties, or NULL */
	int spine;              /* 0: not in the spine, 1: linear, 2: not */
	struct buf data;
	zip_int64_t reuse;      /* or the entry of e->prev holding it */
	struct epub_deflated *deflated; /* or it deflated */
};

struct epub {
	struct site *s;
	const struct theme *t;
	struct diag *d;
	const char *lang;
	char *identifier;
	char modified[32];
	struct epub_file *files;
	size_t n_files, cap_files;
	char **images;          /* paths within content/ to carry, sorted */
	size_t n_images, cap_images;
	struct epub_file cover; /* the cover image, made before the chapters
				 * (see epub_cover()), added to files after */
	char *cover_href;       /* ... its path within EPUB/ */
	char *cover_src;        /* ... book.yml's cover as it is, within
				 * content/, or NULL for a rendered one */
	unsigned cover_width, cover_height; /* ... its size in pixels */
	int content_images;     /* the chapters show images */
	int all_alt;            /* ... and each has a text alternative */
	int has_tasks, has_quizzes;
	struct strset documents; /* the names of the EPUB's documents */
	zip_t *prev;            /* the EPUB at the path, or NULL */
	void *prev_map;         /* ... read from this mapping of it */
	size_t prev_len;
	int prev_trusted;       /* ... and it is the one the cache knows */
	uint64_t book_key;      /* what every chapter document depends on */
	const struct epub_last *last; /* what the EPUB at the path holds */
	struct epub_made *made; /* what this one is made of */
	/* one per worker of a pool (see pool.h), made when first used */
	struct libdeflate_compressor *deflaters[POOL_MAX_THREADS];
	struct buf deflate_out[POOL_MAX_THREADS];
};

/* What one chapter gives the EPUB, made on any thread. */
struct epub_part {
	struct buf xhtml;       /* its document, unless reused */
	struct epub_deflated *deflated; /* ... which is then deflated right
				 * away and kept only compressed */
	zip_int64_t reuse;      /* else the entry of e->prev to copy, or -1 */
	struct buf answers;     /* its section of answers.xhtml, or empty */
	struct buf images;      /* the images its documents show, a line
				 * each */
	int flags;              /* CHAPTER_EPUB_* */
	uint64_t key;
	struct diag d;
};

/* An entry of the container, in the order they are zipped. */
struct epub_entry {
	const char *name;
	const struct buf *data;
	int store;
	zip_int64_t reuse;      /* the entry of the old EPUB that holds it as
				 * it is, or -1 */
	struct epub_deflated *deflated; /* or it deflated, made on a worker
				 * thread */
};

/* The whole-book documents that are reused from the previous EPUB when
 * made from the same inputs (the index in site.epub_doc_keys). */
enum { DOC_NAV, DOC_NCX, DOC_CHECKLIST, DOC_ANSWERS, DOC_COVER };

/* State while one HTML fragment is rebuilt as XHTML. */
struct conv {
	struct epub *e;
	struct epub_part *part; /* what the conversion finds goes here */
	const struct chapter *c;
	xmlDocPtr doc;
	xmlNsPtr xhtml, epub;
	int has_svg, has_mathml;
	int in_footnotes;
	char **ids;
	size_t n_ids, cap_ids;
	/* fragments made by conv_fast(), each standing in the tree as the
	 * comment CONV_FAST_MARK and its number until conv_splice() */
	struct buf *fast;
	size_t n_fast, cap_fast;
};

/* epub_zip.c: deflating, and the container (see epub_zip()). */
struct epub_deflated *epub_deflate(struct epub *e, size_t worker,
				   const struct buf *data);
void epub_deflated_free(struct epub_deflated *z);
void epub_entries_free(struct epub_entry *entries, size_t n);
int epub_zip(struct epub *e, const char *path, zip_t *old,
	     struct epub_entry *entries, size_t n,
	     long long epoch, struct buf *out);

/* epub_xml.c: building and writing XML documents with libxml2. */
int epub_has_control(const char *s);
char *epub_clean(const char *s);
xmlNodePtr epub_text_child(xmlNodePtr parent, const char *name,
			   const char *text);
void epub_prop(xmlNodePtr node, const char *name, const char *value);
void epub_add_text(xmlNodePtr parent, const char *text);
void epub_dump(xmlDocPtr doc, int format, struct buf *out);
int epub_is_void(const xmlChar *name);
void epub_xhtml_dump(xmlDocPtr doc, int format, struct buf *out);
xmlDocPtr epub_xhtml_new(struct epub *e, const char *title,
			 xmlNodePtr *body);
void epub_epub_type(xmlNodePtr node, const char *type);
void epub_node_dump(xmlDocPtr doc, xmlNodePtr node, struct buf *out);

/* epub_conv.c: HTML fragments rebuilt as XHTML through libxml2's HTML
 * parser and a tree. */
/* Elements dropped with what they hold, and elements dropped leaving what
 * they hold (NULL-terminated). */
extern const char *const conv_dropped[];
extern const char *const conv_unwrapped[];
int conv_name_in(const char *name, const char *const *list);
void conv_note_id(struct conv *cv, const char *id);
char *conv_unique_id(struct conv *cv, const char *base);
void conv_release(struct conv *cv);
int conv_align(const char *el, const char *name, const char *value,
	       struct buf *cls);
int conv_image_of_chapter(const struct conv *cv, const char *path);
int conv_link_ok(struct conv *cv, const char *href, char **fixed);
void conv_splice(struct conv *cv, struct buf *out, size_t from);
int conv_fragment(struct conv *cv, xmlNodePtr dst, const char *html,
		  size_t len);
void conv_init(struct conv *cv, struct epub *e, struct epub_part *p,
	       const struct chapter *c, xmlDocPtr doc);

/* epub_fast.c: cmark-gfm's own markup rewritten as XHTML as it is read
 * (the rules of the tree, without one). */
int conv_fast(struct conv *cv, const char *html, size_t len,
	      struct buf *out);

/* epub_chapters.c: the chapters' documents, made on every core, and the
 * keys of what they are made from. */
char *epub_chapter_id(const struct chapter *c, size_t i);
void epub_chapters(struct epub *e, struct epub_part *parts,
		   void (*side)(void *, size_t), void *side_arg);
void epub_take_parts(struct epub *e, struct epub_part *parts,
		     size_t f_first);
void epub_doc_keys(const struct epub *e, const struct epub_part *parts,
		   uint64_t keys[WRITE_EPUB_DOCS]);
int epub_doc_reuse(const struct epub *e, int doc, uint64_t key,
		   const char *href, zip_int64_t *reuse);

/* epub_pages.c: the title page, the checklist and the answers. */
void epub_answers(struct epub *e, const struct epub_part *parts,
		  struct buf *out);
void epub_title_page(struct epub *e, struct buf *out);
void epub_checklist(struct epub *e, struct buf *out);

/* epub_cover.c: the cover image and the cover page. */
void epub_cover_page(struct epub *e, struct buf *out);
const char *epub_cover_type(const struct config *cfg, struct diag *d);
int epub_cover(struct epub *e, uint64_t *key);
void epub_take_cover(struct epub *e);

/* epub_package.c: navigation (nav, NCX), the package document, the
 * container file and the identifier. */
void epub_nav(struct epub *e, struct buf *out);
void epub_ncx(struct epub *e, struct buf *out);
void epub_opf(struct epub *e, struct buf *out);
void epub_container(struct buf *out);
char *epub_identifier(const struct config *cfg);

/* write_epub.c: the files of the book. */
int epub_is_content_file(const struct site *s, const char *path);
void epub_want_image(struct epub *e, const char *path);
int epub_is_document(const struct epub *e, const char *name);
#endif
