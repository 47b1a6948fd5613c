#include "write_epub.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <libxml/xmlsave.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "buf.h"
#include "compat.h"
#include "cover.h"
#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "pool.h"
#include "render.h"
#include "site.h"
#include "strset.h"
#include "theme.h"
#include "xalloc.h"
#include "xform_links.h"

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
#define EPUB_ANSWERS "answers.xhtml"

/* Deflate level for every entry but mimetype, with libdeflate: fixed, so
 * that the bytes do not depend on a library's default. At 4 the book's
 * prose comes out 4% larger than with zlib at 6, in a sixth of the time. */
#define EPUB_DEFLATE_LEVEL 4

/* An entry's data deflated as ZIP stores it (a raw DEFLATE stream), made
 * on any thread; epub_zip() copies the bytes. */
struct epub_deflated {
	unsigned char *bytes;
	size_t len;             /* of bytes */
	size_t size;            /* of the data */
	uint32_t crc;           /* of the data */
};

/* Used when the theme has no epub.css. */
static const char epub_fallback_css[] =
	"body { font-family: serif; line-height: 1.5; }\n"
	"h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }\n"
	".callout { border: 1px solid #666; padding: 0.5em 1em; "
	"margin: 1em 0; }\n"
	"ul.task-list, ul.checklist { list-style-type: none; }\n"
	"ul.checklist a, section.backlinks a, nav ol a { color: inherit; "
	"text-decoration: none; }\n"
	"html.cover, body.cover, section.cover { height: 100%; margin: 0; "
	"padding: 0; overflow: hidden; }\n"
	"section.cover svg { display: block; width: 100%; height: 100%; }\n"
	".align-left { text-align: left; }\n"
	".align-center { text-align: center; }\n"
	".align-right { text-align: right; }\n";

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
	uint64_t old_doc_keys[SITE_EPUB_DOCS]; /* the cache's, see site.h */
	/* one per worker of a pool (see pool.h), made when first used */
	struct libdeflate_compressor *deflaters[POOL_MAX_THREADS];
	struct buf deflate_out[POOL_MAX_THREADS];
};

static struct epub_deflated *epub_deflate(struct epub *e, size_t worker,
					  const struct buf *data);
static void epub_deflated_free(struct epub_deflated *z);

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

#define CONV_FAST_MARK "stepbook-fast-"

/* ---- time ---- */

void write_epub_civil_time(long long epoch, int *year, int *month, int *day,
			   int *hour, int *min, int *sec)
{
	long long days = epoch / 86400, rem = epoch % 86400, era, y;
	unsigned doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* H. Hinnant's civil_from_days */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
	*hour = (int)(rem / 3600);
	*min = (int)(rem / 60 % 60);
	*sec = (int)(rem % 60);
}

/* The DOS date and time of `epoch` in UTC, clamped to what they can say
 * (1980-01-01 to 2107-12-31). */
static void epub_dos_time(long long epoch, zip_uint16_t *dtime,
			  zip_uint16_t *ddate)
{
	int y, mo, d, h, mi, s;

	write_epub_civil_time(epoch, &y, &mo, &d, &h, &mi, &s);
	if (y < 1980) {
		y = 1980;
		mo = d = 1;
		h = mi = s = 0;
	} else if (y > 2107) {
		y = 2107;
		mo = 12;
		d = 31;
		h = 23;
		mi = s = 59;
	}
	*dtime = (zip_uint16_t)((h << 11) | (mi << 5) | (s / 2));
	*ddate = (zip_uint16_t)(((y - 1980) << 9) | (mo << 5) | d);
}

/* ---- small helpers ---- */

/* Appends `s` without the control characters XML 1.0 cannot hold. */
static void epub_add_clean(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
			buf_add(b, run, (size_t)(s - run));
			run = s + 1;
		}
	}
	buf_add(b, run, (size_t)(s - run));
}

static int epub_has_control(const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
			return 1;
	}
	return 0;
}

/* A copy of `s` safe for XML text (the caller's). */
static char *epub_clean(const char *s)
{
	struct buf b = BUF_INIT;

	epub_add_clean(&b, s ? s : "");
	return buf_detach(&b, NULL);
}

static xmlNodePtr epub_text_child(xmlNodePtr parent, const char *name,
				  const char *text)
{
	char *clean;
	xmlNodePtr n;

	if (!epub_has_control(text ? text : ""))
		return xmlNewTextChild(parent, NULL, X(name),
				       X(text ? text : ""));
	clean = epub_clean(text);
	n = xmlNewTextChild(parent, NULL, X(name), X(clean));
	free(clean);
	return n;
}

static void epub_prop(xmlNodePtr node, const char *name, const char *value)
{
	char *clean;

	if (!epub_has_control(value ? value : "")) {
		xmlSetProp(node, X(name), X(value ? value : ""));
		return;
	}
	clean = epub_clean(value);
	xmlSetProp(node, X(name), X(clean));
	free(clean);
}

static void epub_add_text(xmlNodePtr parent, const char *text)
{
	char *clean;

	if (!epub_has_control(text ? text : "")) {
		xmlAddChild(parent, xmlNewText(X(text ? text : "")));
		return;
	}
	clean = epub_clean(text);
	xmlAddChild(parent, xmlNewText(X(clean)));
	free(clean);
}

/* The media type EPUB knows for `path`, or NULL. */
static const char *epub_media_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "png", "image/png" },   { "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" }, { "gif", "image/gif" },
		{ "svg", "image/svg+xml" }, { "webp", "image/webp" },
	};
	const char *ext = path_ext(path);
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(ext, types[i].ext))
			return types[i].type;
	return NULL;
}

/* Appends `path` percent-encoded for an href: ASCII outside the URL path
 * characters is escaped, other UTF-8 is kept (IRIs are allowed). */
static void epub_add_href(struct buf *b, const char *path)
{
	path_add_url(b, path, 1);
}

/* Length of the character at `p` that an OCF file name may not hold (a
 * control character, one of " * : < > ? \, a private-use or special
 * character), or of a space or '#', which readers (and epubcheck, which
 * takes "%23" for a fragment) handle badly; 0 for any other character. */
static size_t epub_bad_char(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f || strchr("\"*:<>?\\ #", *p))
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;                               /* C1 */
	if (p[0] == 0xee || (p[0] == 0xef && p[1] >= 0x80 && p[1] <= 0xa3))
		return 3;                               /* U+E000..U+F8FF */
	if (p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xb0)
		return 3;                               /* U+FFF0..U+FFFF */
	if ((p[0] == 0xf3 && p[1] >= 0xa0) || p[0] == 0xf4)
		return 4;                  /* tags, planes 15 and 16 */
	return 0;
}

/* The name a file of content/ has in the EPUB (the caller's): its path,
 * unless a part of it holds a character epub_bad_char() refuses or ends
 * in '.'; each such character is then '_', and the name gets '-' and a
 * hash of the path before its extension, so that two names that differ
 * only there stay apart. Links to it are written from this name. */
static char *epub_file_name(const char *path)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)path;
	const char *slash, *dot;
	int changed = 0;

	while (*p) {
		size_t bad = epub_bad_char(p);
		if (bad) {
			buf_addch(&b, '_');
			p += bad;
			changed = 1;
		} else if (*p == '.' && (p[1] == '/' || !p[1])) {
			buf_addch(&b, '_');
			p++;
			changed = 1;
		} else {
			buf_addch(&b, (char)*p++);
		}
	}
	if (!changed)
		return buf_detach(&b, NULL);
	slash = strrchr(b.ptr, '/');
	dot = strrchr(slash ? slash : b.ptr, '.');
	{
		struct buf out = BUF_INIT;
		size_t at = dot && dot != (slash ? slash + 1 : b.ptr) ?
				    (size_t)(dot - b.ptr) : b.len;
		buf_add(&out, b.ptr, at);
		buf_addf(&out, "-%08x", (unsigned)(hash_str(HASH_SEED, path) &
						   0xffffffffu));
		buf_adds(&out, b.ptr + at);
		buf_release(&b);
		return buf_detach(&out, NULL);
	}
}

static char *epub_href(const char *path)
{
	struct buf b = BUF_INIT;

	epub_add_href(&b, path);
	return buf_detach(&b, NULL);
}

/* Resolves the path part of a relative URL in rendered chapter HTML to a
 * normalised path within content/ (the caller's), or NULL when it climbs
 * out. Rendered URLs are relative to content/ whatever folder the chapter
 * sits in, as every page of both outputs sits at the top (xform_links
 * writes them so). Drops a query string and the fragment. */
static char *epub_resolve(const char *url)
{
	char *path = path_unescape(url, strcspn(url, "?#"));
	char *norm = path_normalize(path);

	free(path);
	return norm;
}

static int epub_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether `path` is one of the files under content/. */
static int epub_is_content_file(const struct site *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n_files; i++)
		if (!strcmp(s->files[i], path))
			return 1;
	return 0;
}

static void epub_want_image(struct epub *e, const char *path)
{
	size_t i;

	for (i = 0; i < e->n_images; i++)
		if (!strcmp(e->images[i], path))
			return;
	e->images = xgrow(e->images, sizeof(*e->images), e->n_images + 1,
			  &e->cap_images);
	e->images[e->n_images++] = xstrdup(path);
}

static struct epub_file *epub_add_file(struct epub *e, const char *href,
				       const char *id, const char *media_type,
				       const char *properties, int spine)
{
	struct epub_file *f;

	e->files = xgrow(e->files, sizeof(*e->files), e->n_files + 1,
			 &e->cap_files);
	f = &e->files[e->n_files++];
	f->href = xstrdup(href);
	f->id = xstrdup(id);
	f->media_type = media_type;
	f->properties = properties;
	f->spine = spine;
	buf_init(&f->data);
	f->reuse = -1;
	f->deflated = NULL;
	return f;
}

/* Whether `name` is a document of the EPUB (chapter or generated). */
static const char *const epub_generated[] = {
	EPUB_NAV, EPUB_COVER, EPUB_TITLE, EPUB_CHECKLIST, EPUB_ANSWERS,
};
#define EPUB_N_GENERATED (sizeof(epub_generated) / sizeof(epub_generated[0]))

static int epub_is_document(const struct epub *e, const char *name)
{
	return strset_has(&e->documents, name);
}

/* Fills e->documents, and e->book_key from what every chapter's document
 * depends on besides the chapter itself. */
static void epub_documents(struct epub *e)
{
	uint64_t h = hash_str(HASH_SEED, "stepbook " STEPBOOK_VERSION);
	size_t i;

	h = hash_str(h, e->lang);
	for (i = 0; i < EPUB_N_GENERATED; i++) {
		strset_add(&e->documents, epub_generated[i], 0);
		h = hash_str(h, epub_generated[i]);
	}
	for (i = 0; i < e->s->n_chapters; i++) {
		strset_add(&e->documents, e->s->chapters[i].xhtml_name, 0);
		h = hash_str(h, e->s->chapters[i].xhtml_name);
	}
	for (i = 0; i < e->s->n_files; i++)
		h = hash_str(h, e->s->files[i]);
	e->book_key = h ? h : 1;
}

/* ---- XML documents ---- */

static void epub_dump(xmlDocPtr doc, int format, struct buf *out)
{
	xmlChar *mem = NULL;
	int size = 0;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", format);
	if (!mem) {
		fputs("stepbook: out of memory\n", stderr);
		exit(3);
	}
	buf_add(out, mem, (size_t)size);
	xmlFree(mem);
}

static int epub_is_void(const xmlChar *name)
{
	static const char *const v[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input",
		"link", "meta", "param", "source", "track", "wbr",
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!xmlStrcmp(name, X(v[i])))
			return 1;
	return 0;
}

/* Gives every empty non-void XHTML element an empty text child, so that
 * it is written <p></p> and not <p/>, which HTML parsers in some
 * reading systems misread. */
static void epub_no_self_closing(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!n->children) {
			if (n->ns && !xmlStrcmp(n->ns->href, X(NS_XHTML)) &&
			    !epub_is_void(n->name))
				xmlAddChild(n, xmlNewText(X("")));
			continue;
		}
		epub_no_self_closing(n->children);
	}
}

static void epub_xhtml_dump(xmlDocPtr doc, int format, struct buf *out)
{
	epub_no_self_closing(xmlDocGetRootElement(doc));
	epub_dump(doc, format, out);
}

/* A new XHTML content document with `title`; *body is its body. */
static xmlDocPtr epub_xhtml_new(struct epub *e, const char *title,
				xmlNodePtr *body)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr html, head, link;

	xmlCreateIntSubset(doc, X("html"), NULL, NULL);
	html = xmlNewDocNode(doc, NULL, X("html"), NULL);
	xmlDocSetRootElement(doc, html);
	xmlSetNs(html, xmlNewNs(html, X(NS_XHTML), NULL));
	xmlNewNs(html, X(NS_EPUB), X("epub"));
	epub_prop(html, "lang", e->lang);
	xmlNodeSetLang(html, X(e->lang));
	head = xmlNewChild(html, NULL, X("head"), NULL);
	epub_text_child(head, "title", title);
	link = xmlNewChild(head, NULL, X("link"), NULL);
	xmlSetProp(link, X("rel"), X("stylesheet"));
	xmlSetProp(link, X("type"), X("text/css"));
	xmlSetProp(link, X("href"), X(EPUB_CSS));
	*body = xmlNewChild(html, NULL, X("body"), NULL);
	return doc;
}

static void epub_epub_type(xmlNodePtr node, const char *type)
{
	xmlNsPtr ns = xmlSearchNsByHref(node->doc, node, X(NS_EPUB));

	xmlSetNsProp(node, ns, X("type"), X(type));
}

/* ---- HTML fragments to XHTML ---- */

static const char *const svg_names[] = {
	"altGlyph", "altGlyphDef", "altGlyphItem", "animateColor",
	"animateMotion", "animateTransform", "clipPath", "feBlend",
	"feColorMatrix", "feComponentTransfer", "feComposite",
	"feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
	"feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB",
	"feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
	"feMergeNode", "feMorphology", "feOffset", "fePointLight",
	"feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
	"foreignObject", "glyphRef", "linearGradient", "radialGradient",
	"textPath",
	/* attributes */
	"attributeName", "attributeType", "baseFrequency", "baseProfile",
	"calcMode", "clipPathUnits", "diffuseConstant", "edgeMode",
	"filterUnits", "gradientTransform", "gradientUnits", "kernelMatrix",
	"kernelUnitLength", "keyPoints", "keySplines", "keyTimes",
	"lengthAdjust", "limitingConeAngle", "markerHeight", "markerUnits",
	"markerWidth", "maskContentUnits", "maskUnits", "numOctaves",
	"pathLength", "patternContentUnits", "patternTransform",
	"patternUnits", "pointsAtX", "pointsAtY", "pointsAtZ",
	"preserveAlpha", "preserveAspectRatio", "primitiveUnits", "refX",
	"refY", "repeatCount", "repeatDur", "requiredExtensions",
	"requiredFeatures", "specularConstant", "specularExponent",
	"spreadMethod", "startOffset", "stdDeviation", "stitchTiles",
	"surfaceScale", "systemLanguage", "tableValues", "targetX",
	"targetY", "textLength", "viewBox", "viewTarget", "xChannelSelector",
	"yChannelSelector", "zoomAndPan",
};

/* SVG's mixed-case name for `name`, which the HTML parser lowercased. */
static const char *conv_svg_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(svg_names) / sizeof(svg_names[0]); i++)
		if (!strcasecmp(name, svg_names[i]))
			return svg_names[i];
	return name;
}

static int conv_name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return 1;
	return 0;
}

static void conv_note_id(struct conv *cv, const char *id)
{
	cv->ids = xgrow(cv->ids, sizeof(*cv->ids), cv->n_ids + 1,
			&cv->cap_ids);
	cv->ids[cv->n_ids++] = xstrdup(id);
}

static int conv_has_id(const struct conv *cv, const char *id)
{
	size_t i;

	for (i = 0; i < cv->n_ids; i++)
		if (!strcmp(cv->ids[i], id))
			return 1;
	return 0;
}

/* An id built from `base` that the document does not use yet (the
 * caller's); it is recorded as used. */
static char *conv_unique_id(struct conv *cv, const char *base)
{
	struct buf b = BUF_INIT;
	int n = 1;

	buf_adds(&b, base);
	while (conv_has_id(cv, b.ptr)) {
		buf_reset(&b);
		buf_addf(&b, "%s-%d", base, ++n);
	}
	conv_note_id(cv, b.ptr);
	return buf_detach(&b, NULL);
}

static void conv_release(struct conv *cv)
{
	size_t i;

	for (i = 0; i < cv->n_ids; i++)
		free(cv->ids[i]);
	free(cv->ids);
	cv->ids = NULL;
	cv->n_ids = cv->cap_ids = 0;
	for (i = 0; i < cv->n_fast; i++)
		buf_release(&cv->fast[i]);
	free(cv->fast);
	cv->fast = NULL;
	cv->n_fast = cv->cap_fast = 0;
}

/* The value of attribute `name` of `src` (the caller's, xmlFree), or NULL
 * when absent. A boolean attribute gives "". */
static xmlChar *conv_get(xmlNodePtr src, const char *name)
{
	xmlAttrPtr a = xmlHasProp(src, X(name));

	if (!a)
		return NULL;
	if (!a->children)
		return xmlStrdup(X(""));
	return xmlNodeGetContent((xmlNodePtr)a);
}

static int conv_has(xmlNodePtr src, const char *name)
{
	return xmlHasProp(src, X(name)) != NULL;
}

static void conv_children(struct conv *cv, xmlNodePtr dst, xmlNodePtr src,
			  xmlNsPtr ns, int in_svg);

/* Adds `cls` to the class attribute of `el`. */
static void conv_add_class(xmlNodePtr el, const char *cls)
{
	xmlChar *old = xmlGetProp(el, X("class"));

	if (old && *old) {
		struct buf b = BUF_INIT;
		buf_adds(&b, (const char *)old);
		buf_addch(&b, ' ');
		buf_adds(&b, cls);
		xmlSetProp(el, X("class"), X(b.ptr));
		buf_release(&b);
	} else {
		xmlSetProp(el, X("class"), X(cls));
	}
	xmlFree(old);
}

/* The first element child of `n`, skipping text. */
static xmlNodePtr conv_first_element(xmlNodePtr n)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

/* Whether `li` (in the HTML tree) is a task item: it opens with the
 * task box xform_tasks writes, directly or in its first paragraph. */
static int conv_is_task_item(xmlNodePtr li)
{
	xmlNodePtr first = conv_first_element(li);
	xmlChar *cls;
	int yes;

	if (first && !xmlStrcmp(first->name, X("p")))
		first = conv_first_element(first);
	if (!first || xmlStrcmp(first->name, X("span")))
		return 0;
	cls = xmlGetProp(first, X("class"));
	yes = cls && !xmlStrcmp(cls, X("task-box"));
	xmlFree(cls);
	return yes;
}

/* Whether attribute `name` of element `el` is the align cmark-gfm writes
 * on table cells, obsolete in HTML5: a class of epub.css is then added
 * to `cls` instead ("align-left", "align-center", "align-right"). */
static int conv_align(const char *el, const char *name, const char *value,
		      struct buf *cls)
{
	if (strcmp(name, "align") || (strcmp(el, "td") && strcmp(el, "th")))
		return 0;
	if (!strcmp(value, "left") || !strcmp(value, "right") ||
	    !strcmp(value, "center"))
		buf_addf(cls, "align-%s", value);
	return 1;
}

/* Copies the attributes of `src` to `el`, fixing what XHTML needs. */
static void conv_attrs(struct conv *cv, xmlNodePtr el, xmlNodePtr src,
		       int in_svg)
{
	static const char *const boolean[] = {
		"allowfullscreen", "async", "autofocus", "autoplay", "checked",
		"controls", "default", "defer", "disabled", "formnovalidate",
		"hidden", "ismap", "loop", "multiple", "muted", "nomodule",
		"novalidate", "open", "playsinline", "readonly", "required",
		"reversed", "selected", NULL,
	};
	xmlAttrPtr a;
	struct buf cls = BUF_INIT;

	for (a = src->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const char *colon;
		xmlChar *raw = a->children ? xmlNodeGetContent((xmlNodePtr)a)
					   : NULL;
		char *value;

		colon = strchr(name, ':');

		if (!raw)
			raw = xmlStrdup(X(conv_name_in(name, boolean) ? name
								       : ""));
		value = epub_clean((const char *)raw);
		xmlFree(raw);
		if (!strncmp(name, "data-", 5) || !strncasecmp(name, "on", 2) ||
		    !strncmp(name, "xmlns", 5) ||
		    xmlValidateName(X(name), 0) != 0) {
			free(value);
			continue;
		}
		if (colon) {
			size_t plen = (size_t)(colon - name);
			const char *local = colon + 1;
			if (plen == 4 && !strncmp(name, "epub", 4))
				xmlSetNsProp(el, cv->epub, X(local), X(value));
			else if (plen == 3 && !strncmp(name, "xml", 3) &&
				 (!strcmp(local, "lang") ||
				  !strcmp(local, "space")))
				xmlSetNsProp(el, xmlSearchNs(cv->doc, el,
							     X("xml")),
					     X(local), X(value));
			else if (in_svg && plen == 5 &&
				 !strncmp(name, "xlink", 5)) {
				xmlNsPtr xl = xmlSearchNsByHref(cv->doc, el,
								X(NS_XLINK));
				if (!xl)
					xl = xmlNewNs(el, X(NS_XLINK),
						      X("xlink"));
				xmlSetNsProp(el, xl, X(local), X(value));
			}
			free(value);
			continue;
		}
		if (in_svg) {
			xmlSetProp(el, X(conv_svg_name(name)), X(value));
		} else if (conv_align((const char *)src->name, name, value,
				      &cls)) {
			/* a class instead (see conv_align) */
		} else if (!strcmp(name, "class")) {
			if (*value)
				conv_add_class(el, value);
		} else {
			xmlSetProp(el, X(name), X(value));
		}
		if (!strcmp(name, "id"))
			conv_note_id(cv, value);
		free(value);
	}
	if (cls.len)
		conv_add_class(el, cls.ptr);
	buf_release(&cls);
}

/* Whether `path` (or NULL) is one of the chapter's Markdown images, each
 * of which the EPUB carries or reports as an error (see epub_images()):
 * then leaving it out needs no warning of its own. */
static int conv_image_of_chapter(const struct conv *cv, const char *path)
{
	size_t i;

	for (i = 0; path && cv->c && i < cv->c->n_images; i++)
		if (!strcmp(cv->c->images[i], path))
			return 1;
	return 0;
}

/* An <img> in an XHTML context. Local images are carried into the EPUB
 * at their path within content/; remote ones cannot be (EPUB forbids
 * remote images) and become links. */
static void conv_img(struct conv *cv, xmlNodePtr dst, xmlNodePtr src,
		     xmlNsPtr ns)
{
	xmlChar *srcattr = conv_get(src, "src"), *alt = conv_get(src, "alt");
	const char *url = srcattr ? (const char *)srcattr : "";
	char *path = NULL;
	xmlNodePtr el;

	if (*url && !path_is_external(url) && url[0] != '#' && url[0] != '/')
		path = epub_resolve(url);
	if (path && epub_is_content_file(cv->e->s, path) &&
	    epub_media_type(path)) {
		char *name = epub_file_name(path), *href = epub_href(name);
		free(name);
		el = xmlNewNode(ns, X("img"));
		xmlAddChild(dst, el);
		conv_attrs(cv, el, src, 0);
		xmlSetProp(el, X("src"), X(href));
		if (!alt)
			xmlSetProp(el, X("alt"), X(""));
		buf_adds(&cv->part->images, path);
		buf_addch(&cv->part->images, '\n');
		cv->part->flags |= CHAPTER_EPUB_IMAGES;
		if (!alt || !*alt)
			cv->part->flags |= CHAPTER_EPUB_NO_ALT;
		free(href);
	} else {
		const char *text = alt && *alt ? (const char *)alt : url;
		if (*url && path_is_external(url) &&
		    strncasecmp(url, "data:", 5)) {
			el = xmlNewNode(ns, X("a"));
			xmlAddChild(dst, el);
			epub_prop(el, "href", url);
			epub_add_text(el, text);
		} else {
			const char *where = cv->c ? cv->c->path : NULL;
			if (*url && !conv_image_of_chapter(cv, path))
				diag_warning(&cv->part->d, where, 0, 0,
					     "image '%s' left out of the "
					     "EPUB: not a PNG, JPEG, GIF, SVG "
					     "or WebP file in content/", url);
			if (alt && *alt)
				epub_add_text(dst, (const char *)alt);
		}
	}
	free(path);
	xmlFree(srcattr);
	xmlFree(alt);
}

/* Whether a link to `href` leads to a document of the EPUB; sets *fixed
 * to the href to write (the caller's). */
static int conv_link_ok(struct conv *cv, const char *href, char **fixed)
{
	const char *hash = strchr(href, '#');
	char *path;
	int ok;

	*fixed = NULL;
	if (!*href || href[0] == '#' || path_is_external(href)) {
		*fixed = xstrdup(href);
		return 1;
	}
	path = epub_resolve(href);
	ok = path && epub_is_document(cv->e, path);
	if (ok) {
		struct buf b = BUF_INIT;
		epub_add_href(&b, path);
		if (hash)
			buf_adds(&b, hash);
		*fixed = buf_detach(&b, NULL);
	}
	free(path);
	return ok;
}

/* Elements left out of the EPUB with what they hold, and elements left
 * out with their content kept (both ways of converting use them). */
static const char *const conv_dropped[] = {
	"script", "noscript", "style", "input", "button", "select",
	"textarea", "option", "iframe", "object", "embed", "template",
	"link", "meta", "base", "title", "head", "frame", "frameset",
	"applet", NULL,
};
static const char *const conv_unwrapped[] = {
	"html", "body", "form", "font", "center", NULL,
};

static void conv_element(struct conv *cv, xmlNodePtr dst, xmlNodePtr src,
			 xmlNsPtr ns, int in_svg)
{
	const char *name = (const char *)src->name;
	xmlNodePtr el;
	int footnotes = 0;

	if (!in_svg) {
		if (conv_name_in(name, conv_dropped))
			return;
		if (conv_name_in(name, conv_unwrapped) ||
		    xmlValidateNCName(X(name), 0) != 0) {
			conv_children(cv, dst, src->children, ns, in_svg);
			return;
		}
		if (!strcmp(name, "img")) {
			conv_img(cv, dst, src, ns);
			return;
		}
		if (!strcmp(name, "a") && conv_has(src, "href")) {
			xmlChar *href = conv_get(src, "href");
			char *fixed;
			int ok = conv_link_ok(cv, (const char *)href, &fixed);
			xmlFree(href);
			if (!ok) {
				/* a file the EPUB does not carry: keep the
				 * text */
				conv_children(cv, dst, src->children, ns, 0);
				return;
			}
			el = xmlNewNode(ns, X("a"));
			xmlAddChild(dst, el);
			conv_attrs(cv, el, src, 0);
			epub_prop(el, "href", fixed);
			free(fixed);
			if (conv_has(src, "data-footnote-ref")) {
				xmlSetNsProp(el, cv->epub, X("type"),
					     X("noteref"));
				xmlSetProp(el, X("role"), X("doc-noteref"));
			}
			conv_children(cv, el, src->children, ns, 0);
			if (conv_has(src, "data-footnote-backref")) {
				xmlSetProp(el, X("role"), X("doc-backlink"));
				/* U+FE0E: the arrow as text, not emoji */
				if (el->children && !el->children->next &&
				    el->children->type == XML_TEXT_NODE &&
				    !xmlStrcmp(el->children->content,
					       X("\xE2\x86\xA9")))
					xmlNodeSetContent(el->children,
							  X("\xE2\x86\xA9"
							    "\xEF\xB8\x8E"));
			}
			return;
		}
	}
	if (!in_svg && !strcmp(name, "svg")) {
		el = xmlNewNode(NULL, X("svg"));
		xmlAddChild(dst, el);
		ns = xmlNewNs(el, X(NS_SVG), NULL);
		xmlSetNs(el, ns);
		cv->has_svg = 1;
		in_svg = 1;
	} else if (!in_svg && !strcmp(name, "math")) {
		el = xmlNewNode(NULL, X("math"));
		xmlAddChild(dst, el);
		ns = xmlNewNs(el, X(NS_MATHML), NULL);
		xmlSetNs(el, ns);
		cv->has_mathml = 1;
	} else {
		el = xmlNewNode(ns, X(in_svg ? conv_svg_name(name) : name));
		xmlAddChild(dst, el);
	}
	conv_attrs(cv, el, src, in_svg);
	if (!in_svg && !strcmp(name, "li") && conv_is_task_item(src)) {
		/* so that epub.css can drop the bullets */
		conv_add_class(el, "task-item");
	} else if (!in_svg && (!strcmp(name, "ul") || !strcmp(name, "ol"))) {
		xmlNodePtr li;
		for (li = src->children; li; li = li->next)
			if (li->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(li->name, X("li")) &&
			    conv_is_task_item(li))
				break;
		if (li)
			conv_add_class(el, "task-list");
	}
	if (!in_svg && !strcmp(name, "section") &&
	    conv_has(src, "data-footnotes")) {
		/* cmark-gfm's footnotes: EPUB endnotes */
		xmlSetNsProp(el, cv->epub, X("type"), X("endnotes"));
		xmlSetProp(el, X("role"), X("doc-endnotes"));
		xmlSetProp(el, X("aria-label"), X("Notes"));
		footnotes = 1;
		cv->in_footnotes++;
	} else if (!in_svg && cv->in_footnotes && !strcmp(name, "li") &&
		   conv_has(src, "id")) {
		xmlSetNsProp(el, cv->epub, X("type"), X("endnote"));
	}
	if (in_svg && !strcmp(name, "foreignobject")) {
		conv_children(cv, el, src->children, cv->xhtml, 0);
	} else {
		conv_children(cv, el, src->children, ns, in_svg);
	}
	if (footnotes)
		cv->in_footnotes--;
}

static void conv_children(struct conv *cv, xmlNodePtr dst, xmlNodePtr src,
			  xmlNsPtr ns, int in_svg)
{
	for (; src; src = src->next) {
		switch (src->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (src->content)
				epub_add_text(dst, (const char *)src->content);
			break;
		case XML_ELEMENT_NODE:
			conv_element(cv, dst, src, ns, in_svg);
			break;
		default:
			break;
		}
	}
}

/* ---- the fast way: cmark-gfm's own markup, rewritten as it is read ----
 *
 * A chapter without raw HTML is cmark-gfm's markup and stepbook's, which
 * is well-formed XML of a known shape. conv_fast() reads it as tokens and
 * writes the XHTML that the tree above would serialise to, with the same
 * rules (conv_attrs(), conv_img(), the links, the task items and the
 * footnotes), without building a tree. Anything outside that shape (an
 * entity it does not know, a name outside ASCII, SVG, a character XML
 * cannot hold) makes it give up, and the tree does the work.
 * test_parsers_agree in tests/unit/test_write_epub.c holds the two to
 * the same bytes. */

enum { FT_TEXT, FT_OPEN, FT_EMPTY, FT_CLOSE, FT_COMMENT };

/* Elements nested deeper than this are left to the tree (conv_fast()
 * recurses once per level; libxml2's parsers have limits of their own). */
#define FAST_MAX_DEPTH 256

struct ftok {
	int kind;
	const char *p;          /* text, or the element's name */
	size_t len;
	const char *attrs;      /* an element's attributes, as written */
	size_t attrs_len;
	size_t end;             /* FT_OPEN: the index of its FT_CLOSE */
};

/* One attribute: `value` is NULL for one written without a value. */
struct fattr {
	char *name;
	char *value;
};

struct fattrs {
	struct fattr *v;
	size_t n, cap;
};

struct fast {
	struct conv *cv;
	struct ftok *t;
	size_t n, cap;
	struct buf images;      /* what it finds, taken only if it succeeds */
	int flags;
	struct diag d;
};

static int fast_name_char(char ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == ':' ||
	       (!first && ((ch >= '0' && ch <= '9') || ch == '-' || ch == '.'));
}

/* Decodes the character reference at *p ("&#39;", "&#x2014;") into
 * `out` as UTF-8 and moves past it; -1 unless it is one XML allows. */
static int fast_char_ref(const char **p, const char *end, struct buf *out)
{
	const char *q = *p + 2;
	unsigned long cp = 0;
	int hex = 0, digits = 0;
	char u[4];
	size_t n;

	if (end - *p < 4 || (*p)[1] != '#')
		return -1;
	if (*q == 'x') {
		hex = 1;
		q++;
	}
	for (; q < end && digits < 8; q++, digits++) {
		int v;
		if (*q >= '0' && *q <= '9')
			v = *q - '0';
		else if (hex && *q >= 'a' && *q <= 'f')
			v = *q - 'a' + 10;
		else if (hex && *q >= 'A' && *q <= 'F')
			v = *q - 'A' + 10;
		else
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
	}
	if (!digits || q >= end || *q != ';' ||
	    !(cp == 0x9 || cp == 0xA || cp == 0xD ||
	      (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	      (cp >= 0x10000 && cp <= 0x10FFFF)))
		return -1;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(out, u, n);
	*p = q + 1;
	return 0;
}

/* Decodes the entities of text or an attribute value into `out`; -1 for
 * one that is not XML's five or a character reference. White space in
 * attributes is kept, as the HTML parser keeps it (an XML parser would
 * make it spaces). */
static int fast_decode(const char *p, size_t len, struct buf *out)
{
	const char *end = p + len;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *q = amp ? amp : end;
		buf_add(out, p, (size_t)(q - p));
		p = q;
		if (p == end)
			break;
		if (!strncmp(p, "&amp;", 5))
			buf_addch(out, '&'), p += 5;
		else if (!strncmp(p, "&lt;", 4))
			buf_addch(out, '<'), p += 4;
		else if (!strncmp(p, "&gt;", 4))
			buf_addch(out, '>'), p += 4;
		else if (!strncmp(p, "&quot;", 6))
			buf_addch(out, '"'), p += 6;
		else if (!strncmp(p, "&apos;", 6))
			buf_addch(out, '\''), p += 6;
		else if (fast_char_ref(&p, end, out) < 0)
			return -1;
	}
	return 0;
}

/* Splits `html` into tokens; -1 when it is not of the known shape. */
static int fast_tokens(struct fast *f, const char *html, size_t len)
{
	const char *p = html, *end = html + len;
	size_t *open = NULL, n_open = 0, cap_open = 0;
	int r = 0;

	/* characters XML cannot hold, and CR, which it would rewrite */
	for (p = html; p < end; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch < 0x20 && ch != '\t' && ch != '\n') ||
		    (ch == 0xEF && end - p >= 3 && (unsigned char)p[1] == 0xBF &&
		     ((unsigned char)p[2] == 0xBE ||
		      (unsigned char)p[2] == 0xBF)))
			return -1;
	}
	for (p = html; p < end && r == 0;) {
		struct ftok tk;
		memset(&tk, 0, sizeof(tk));
		if (*p != '<') {
			const char *q = memchr(p, '<', (size_t)(end - p));
			if (!q)
				q = end;
			tk.kind = FT_TEXT;
			tk.p = p;
			tk.len = (size_t)(q - p);
			p = q;
		} else if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *q = compat_memmem(
				p + 4, (size_t)(end - p - 4), "-->", 3);
			if (!q)
				r = -1;
			tk.kind = FT_COMMENT;
			p = q ? q + 3 : end;
		} else if (end - p >= 2 && p[1] == '/') {
			const char *q = p + 2;
			while (q < end && fast_name_char(*q, q == p + 2))
				q++;
			tk.kind = FT_CLOSE;
			tk.p = p + 2;
			tk.len = (size_t)(q - p - 2);
			if (!tk.len || q >= end || *q != '>')
				r = -1;
			p = q + 1;
		} else {
			const char *q = p + 1, *a;
			int quote = 0;
			while (q < end && fast_name_char(*q, q == p + 1) &&
			       *q != ':')
				q++;
			tk.p = p + 1;
			tk.len = (size_t)(q - p - 1);
			a = q;
			for (; q < end; q++) {
				if (*q == '"')
					quote = !quote;
				else if (!quote && (*q == '>' || *q == '<'))
					break;
			}
			if (!tk.len || q >= end || *q != '>') {
				r = -1;
				break;
			}
			tk.kind = q[-1] == '/' && q - 1 >= a ? FT_EMPTY : FT_OPEN;
			tk.attrs = a;
			tk.attrs_len = (size_t)(q - a) - (tk.kind == FT_EMPTY);
			p = q + 1;
		}
		if (r)
			break;
		if (tk.kind == FT_OPEN) {
			if (n_open >= FAST_MAX_DEPTH) {
				r = -1;
				break;
			}
			open = xgrow(open, sizeof(*open), n_open + 1, &cap_open);
			open[n_open++] = f->n;
		} else if (tk.kind == FT_CLOSE) {
			struct ftok *o;
			if (!n_open) {
				r = -1;
				break;
			}
			o = &f->t[open[--n_open]];
			if (o->len != tk.len || memcmp(o->p, tk.p, tk.len)) {
				r = -1;
				break;
			}
			o->end = f->n;
		}
		f->t = xgrow(f->t, sizeof(*f->t), f->n + 1, &f->cap);
		f->t[f->n++] = tk;
	}
	if (n_open)
		r = -1;
	free(open);
	return r;
}

static void fattrs_release(struct fattrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].value);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

static struct fattr *fattrs_find(const struct fattrs *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (!strcmp(a->v[i].name, name))
			return &a->v[i];
	return NULL;
}

/* Sets `name` to `value`: in place when it is there (as xmlSetProp()
 * does), else last. */
static void fattrs_set(struct fattrs *a, const char *name, const char *value)
{
	struct fattr *at = fattrs_find(a, name);

	if (at) {
		free(at->value);
		at->value = xstrdup(value);
		return;
	}
	a->v = xgrow(a->v, sizeof(*a->v), a->n + 1, &a->cap);
	a->v[a->n].name = xstrdup(name);
	a->v[a->n++].value = xstrdup(value);
}

/* conv_add_class() */
static void fattrs_add_class(struct fattrs *a, const char *cls)
{
	struct fattr *at = fattrs_find(a, "class");

	if (at && *at->value) {
		struct buf b = BUF_INIT;
		buf_adds(&b, at->value);
		buf_addch(&b, ' ');
		buf_adds(&b, cls);
		free(at->value);
		at->value = buf_detach(&b, NULL);
	} else {
		fattrs_set(a, "class", cls);
	}
}

/* The attributes of token `tk` as written, values decoded. */
static int fast_attrs(const struct ftok *tk, struct fattrs *out)
{
	const char *p = tk->attrs, *end = tk->attrs + tk->attrs_len;
	struct buf b = BUF_INIT;

	while (p < end) {
		const char *name;
		size_t nlen;
		if (*p == ' ' || *p == '\n' || *p == '\t') {
			p++;
			continue;
		}
		name = p;
		while (p < end && fast_name_char(*p, p == name))
			p++;
		nlen = (size_t)(p - name);
		if (!nlen)
			goto bad;
		out->v = xgrow(out->v, sizeof(*out->v), out->n + 1, &out->cap);
		out->v[out->n].name = xstrndup(name, nlen);
		out->v[out->n].value = NULL;
		out->n++;
		if (p < end && *p == '=') {
			const char *q;
			if (++p >= end || *p != '"')
				goto bad;
			q = memchr(p + 1, '"', (size_t)(end - p - 1));
			if (!q || memchr(p + 1, '<', (size_t)(q - p - 1)))
				goto bad;
			buf_reset(&b);
			if (fast_decode(p + 1, (size_t)(q - p - 1), &b) < 0)
				goto bad;
			out->v[out->n - 1].value = xstrdup(b.ptr);
			p = q + 1;
			if (p < end && *p != ' ' && *p != '\n' && *p != '\t')
				goto bad;
		} else if (strncmp(out->v[out->n - 1].name, "data-", 5)) {
			/* only cmark-gfm's footnote marks go without a
			 * value (data-footnote-ref and the like) */
			goto bad;
		}
	}
	buf_release(&b);
	return 0;
bad:
	buf_release(&b);
	return -1;
}

/* The value of source attribute `name`: "" when written without one,
 * NULL when absent (conv_get()). */
static const char *fast_get(const struct fattrs *src, const char *name)
{
	const struct fattr *a = fattrs_find(src, name);

	return !a ? NULL : a->value ? a->value : "";
}

/* conv_attrs(): the attributes of the XHTML element made from `src`,
 * named `el`. -1 for a prefix the tree would not know either. */
static int fast_conv_attrs(struct fast *f, const char *el,
			   const struct fattrs *src, struct fattrs *out)
{
	struct buf cls = BUF_INIT;
	size_t i;

	for (i = 0; i < src->n; i++) {
		const char *name = src->v[i].name;
		const char *colon = strchr(name, ':');
		char *value = epub_clean(src->v[i].value ? src->v[i].value : "");

		if (!strncmp(name, "data-", 5) || !strncasecmp(name, "on", 2) ||
		    !strncmp(name, "xmlns", 5)) {
			free(value);
			continue;
		}
		if (colon) {
			if (!strncmp(name, "epub:", 5) ||
			    !strcmp(name, "xml:lang") ||
			    !strcmp(name, "xml:space")) {
				fattrs_set(out, name, value);
				free(value);
				continue;
			}
			free(value);
			buf_release(&cls);
			return -1;
		}
		if (conv_align(el, name, value, &cls)) {
			/* a class instead (see conv_align) */
		} else if (!strcmp(name, "class")) {
			if (*value)
				fattrs_add_class(out, value);
		} else {
			fattrs_set(out, name, value);
		}
		if (!strcmp(name, "id"))
			conv_note_id(f->cv, value);
		free(value);
	}
	if (cls.len)
		fattrs_add_class(out, cls.ptr);
	buf_release(&cls);
	return 0;
}

/* Escapes as libxml2 writes text (attr 0) or attribute values. */
static void fast_escape(struct buf *out, const char *s, size_t len, int attr)
{
	const char *end = s + len, *run = s;

	for (; s < end; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		default: rep = NULL; break;
		}
		if (rep) {
			buf_add(out, run, (size_t)(s - run));
			buf_adds(out, rep);
			run = s + 1;
		}
	}
	buf_add(out, run, (size_t)(end - run));
}

static void fast_open_tag(struct buf *out, const char *name,
			  const struct fattrs *a)
{
	size_t i;

	buf_addch(out, '<');
	buf_adds(out, name);
	for (i = 0; i < a->n; i++) {
		buf_addch(out, ' ');
		buf_adds(out, a->v[i].name);
		buf_adds(out, "=\"");
		fast_escape(out, a->v[i].value, strlen(a->v[i].value), 1);
		buf_addch(out, '"');
	}
}

/* Writes element token `i` named `name` with attributes `a` and its
 * children converted: a void element (without children, as cmark-gfm
 * writes them) as <name/>. `backref`: cmark-gfm's footnote back link,
 * whose arrow gets U+FE0E (text, not emoji). */
static int fast_children(struct fast *f, size_t from, size_t to,
			 struct buf *out);

static int fast_element_out(struct fast *f, size_t i, const char *name,
			    const struct fattrs *a, int backref,
			    struct buf *out)
{
	const struct ftok *tk = &f->t[i];
	size_t start, k;
	int r = 0;

	fast_open_tag(out, name, a);
	if (epub_is_void(X(name))) {
		if (tk->kind != FT_EMPTY)
			return -1;      /* left to the tree */
		buf_adds(out, "/>");
		return 0;
	}
	buf_addch(out, '>');
	start = out->len;
	if (tk->kind == FT_OPEN)
		r = fast_children(f, i + 1, tk->end, out);
	if (backref && out->len - start == 3 &&
	    !memcmp(out->ptr + start, "\xE2\x86\xA9", 3)) {
		int only_text = 1;
		for (k = i + 1; tk->kind == FT_OPEN && k < tk->end; k++)
			if (f->t[k].kind != FT_TEXT &&
			    f->t[k].kind != FT_COMMENT)
				only_text = 0;
		if (only_text)
			buf_adds(out, "\xEF\xB8\x8E");
	}
	buf_adds(out, "</");
	buf_adds(out, name);
	buf_addch(out, '>');
	return r;
}

/* The index just past token `i` and what it holds. */
static size_t fast_skip(const struct fast *f, size_t i)
{
	return f->t[i].kind == FT_OPEN ? f->t[i].end + 1 : i + 1;
}

/* The first element among the children of token `i` (text and comments
 * skipped), or 0 when there is none. */
static size_t fast_first_element(const struct fast *f, size_t i)
{
	size_t k;

	if (f->t[i].kind != FT_OPEN)
		return 0;
	for (k = i + 1; k < f->t[i].end; k = fast_skip(f, k))
		if (f->t[k].kind == FT_OPEN || f->t[k].kind == FT_EMPTY)
			return k;
	return 0;
}

static int fast_is(const struct ftok *tk, const char *name)
{
	return tk->len == strlen(name) && !memcmp(tk->p, name, tk->len);
}

/* conv_is_task_item() */
static int fast_is_task_item(const struct fast *f, size_t li)
{
	size_t first = fast_first_element(f, li);
	struct fattrs a = { 0 };
	const char *cls;
	int yes;

	if (first && fast_is(&f->t[first], "p"))
		first = fast_first_element(f, first);
	if (!first || !fast_is(&f->t[first], "span"))
		return 0;
	if (fast_attrs(&f->t[first], &a) < 0) {
		fattrs_release(&a);
		return 0;
	}
	cls = fast_get(&a, "class");
	yes = cls && !strcmp(cls, "task-box");
	fattrs_release(&a);
	return yes;
}

/* conv_img() */
static int fast_img(struct fast *f, const struct fattrs *src, struct buf *out)
{
	struct conv *cv = f->cv;
	const char *srcattr = fast_get(src, "src"), *alt = fast_get(src, "alt");
	const char *url = srcattr ? srcattr : "";
	char *path = NULL;
	int r = 0;

	if (*url && !path_is_external(url) && url[0] != '#' &&
	    url[0] != '/')
		path = epub_resolve(url);
	if (path && epub_is_content_file(cv->e->s, path) &&
	    epub_media_type(path)) {
		struct fattrs a = { 0 };
		char *name = epub_file_name(path), *href = epub_href(name);
		free(name);
		r = fast_conv_attrs(f, "img", src, &a);
		fattrs_set(&a, "src", href);
		if (!alt)
			fattrs_set(&a, "alt", "");
		fast_open_tag(out, "img", &a);
		buf_adds(out, "/>");
		fattrs_release(&a);
		buf_adds(&f->images, path);
		buf_addch(&f->images, '\n');
		f->flags |= CHAPTER_EPUB_IMAGES;
		if (!alt || !*alt)
			f->flags |= CHAPTER_EPUB_NO_ALT;
		free(href);
	} else {
		const char *text = alt && *alt ? alt : url;
		char *clean = epub_clean(text);
		if (*url && path_is_external(url) &&
		    strncasecmp(url, "data:", 5)) {
			struct fattrs a = { 0 };
			char *u = epub_clean(url);
			fattrs_set(&a, "href", u);
			fast_open_tag(out, "a", &a);
			buf_addch(out, '>');
			fast_escape(out, clean, strlen(clean), 0);
			buf_adds(out, "</a>");
			fattrs_release(&a);
			free(u);
		} else {
			const char *where = cv->c ? cv->c->path : NULL;
			if (*url && !conv_image_of_chapter(cv, path))
				diag_warning(&f->d, where, 0, 0,
					     "image '%s' left out of the "
					     "EPUB: not a PNG, JPEG, GIF, SVG "
					     "or WebP file in content/", url);
			if (alt && *alt)
				fast_escape(out, clean, strlen(clean), 0);
		}
		free(clean);
	}
	free(path);
	return r;
}

/* Converts element token `i` into `out`. */
static int fast_element(struct fast *f, size_t i, struct buf *out)
{
	const struct ftok *tk = &f->t[i];
	size_t from = i + 1, to = tk->kind == FT_OPEN ? tk->end : i + 1;
	struct fattrs src = { 0 }, a = { 0 };
	char name[16];
	int footnotes = 0, r = 0;

	if (tk->len >= sizeof(name))
		return -1;
	memcpy(name, tk->p, tk->len);
	name[tk->len] = '\0';
	/* the names of both lists are four letters or more */
	if (tk->len >= 4 && conv_name_in(name, conv_dropped))
		goto out;
	if (fast_attrs(tk, &src) < 0 || !strcmp(name, "svg") ||
	    !strcmp(name, "math") || strchr(name, ':')) {
		r = -1;
		goto out;
	}
	if (tk->len >= 4 && conv_name_in(name, conv_unwrapped)) {
		r = fast_children(f, from, to, out);
		goto out;
	}
	if (!strcmp(name, "img")) {
		r = fast_img(f, &src, out);
		goto out;
	}
	if (!strcmp(name, "a") && fast_get(&src, "href")) {
		char *fixed, *clean;
		if (!conv_link_ok(f->cv, fast_get(&src, "href"), &fixed)) {
			/* a file the EPUB does not carry: keep the text */
			r = fast_children(f, from, to, out);
			goto out;
		}
		if (fast_conv_attrs(f, "a", &src, &a) < 0) {
			free(fixed);
			r = -1;
			goto out;
		}
		clean = epub_clean(fixed);
		fattrs_set(&a, "href", clean);
		free(clean);
		free(fixed);
		if (fast_get(&src, "data-footnote-ref")) {
			fattrs_set(&a, "epub:type", "noteref");
			fattrs_set(&a, "role", "doc-noteref");
		}
		/* set after its children by the tree, but attributes come
		 * first all the same */
		if (fast_get(&src, "data-footnote-backref"))
			fattrs_set(&a, "role", "doc-backlink");
		r = fast_element_out(f, i, "a", &a,
				     fast_get(&src, "data-footnote-backref") !=
					     NULL, out);
		goto out;
	}
	if (fast_conv_attrs(f, name, &src, &a) < 0) {
		r = -1;
		goto out;
	}
	if (!strcmp(name, "li") && fast_is_task_item(f, i)) {
		/* so that epub.css can drop the bullets */
		fattrs_add_class(&a, "task-item");
	} else if ((!strcmp(name, "ul") || !strcmp(name, "ol")) &&
		   tk->kind == FT_OPEN) {
		size_t k;
		for (k = from; k < to; k = fast_skip(f, k))
			if ((f->t[k].kind == FT_OPEN ||
			     f->t[k].kind == FT_EMPTY) &&
			    fast_is(&f->t[k], "li") && fast_is_task_item(f, k))
				break;
		if (k < to)
			fattrs_add_class(&a, "task-list");
	}
	if (!strcmp(name, "section") && fast_get(&src, "data-footnotes")) {
		/* cmark-gfm's footnotes: EPUB endnotes */
		fattrs_set(&a, "epub:type", "endnotes");
		fattrs_set(&a, "role", "doc-endnotes");
		fattrs_set(&a, "aria-label", "Notes");
		footnotes = 1;
		f->cv->in_footnotes++;
	} else if (f->cv->in_footnotes && !strcmp(name, "li") &&
		   fast_get(&src, "id")) {
		fattrs_set(&a, "epub:type", "endnote");
	}
	r = fast_element_out(f, i, name, &a, 0, out);
	if (footnotes)
		f->cv->in_footnotes--;
out:
	fattrs_release(&src);
	fattrs_release(&a);
	return r;
}

static int fast_children(struct fast *f, size_t from, size_t to,
			 struct buf *out)
{
	struct buf text = BUF_INIT;
	size_t k;
	int r = 0;

	for (k = from; k < to && r == 0; k = fast_skip(f, k)) {
		const struct ftok *tk = &f->t[k];
		switch (tk->kind) {
		case FT_TEXT:
			buf_reset(&text);
			if (fast_decode(tk->p, tk->len, &text) < 0)
				r = -1;
			else
				fast_escape(out, text.ptr, text.len, 0);
			break;
		case FT_OPEN:
		case FT_EMPTY:
			r = fast_element(f, k, out);
			break;
		default:
			break;
		}
	}
	buf_release(&text);
	return r;
}

/* Converts `html` into `out` the fast way; -1 (nothing noted) when it
 * must go the way of the tree. */
static int conv_fast(struct conv *cv, const char *html, size_t len,
		     struct buf *out)
{
	struct fast f;
	size_t ids = cv->n_ids, at = out->len;
	int r;

	memset(&f, 0, sizeof(f));
	f.cv = cv;
	buf_init(&f.images);
	diag_init(&f.d);
	r = fast_tokens(&f, html, len);
	if (r == 0)
		r = fast_children(&f, 0, f.n, out);
	if (r == 0) {
		buf_add(&cv->part->images, f.images.ptr, f.images.len);
		cv->part->flags |= f.flags;
		diag_append(&cv->part->d, &f.d);
	} else {
		while (cv->n_ids > ids)
			free(cv->ids[--cv->n_ids]);
		out->len = at;
		out->ptr[at] = '\0';
	}
	free(f.t);
	buf_release(&f.images);
	diag_release(&f.d);
	return r;
}

/* Puts the fragments conv_fast() made into `out` (from offset `from`), in
 * place of their marks, which the tree wrote as comments. */
static void conv_splice(struct conv *cv, struct buf *out, size_t from)
{
	size_t k;

	for (k = 0; k < cv->n_fast; k++) {
		struct buf mark = BUF_INIT;
		char *at;
		buf_addf(&mark, "<!--" CONV_FAST_MARK "%zu-->", k);
		at = compat_memmem(out->ptr + from, out->len - from, mark.ptr,
				   mark.len);
		if (at) {
			size_t pos = (size_t)(at - out->ptr);
			size_t tail = out->len - pos - mark.len;
			const struct buf *f = &cv->fast[k];
			buf_grow(out, f->len);
			memmove(out->ptr + pos + f->len, out->ptr + pos + mark.len,
				tail + 1);
			memcpy(out->ptr + pos, f->ptr, f->len);
			out->len = out->len - mark.len + f->len;
		}
		buf_release(&mark);
	}
}

/* Parses the HTML fragment `html` and appends it to `dst` as XHTML.
 * Returns 0, or -1 after recording an error. */
static int conv_fragment(struct conv *cv, xmlNodePtr dst, const char *html,
			 size_t len)
{
	struct buf wrapped = BUF_INIT;
	xmlDocPtr hdoc = NULL;
	xmlNodePtr root, n;

	if (!cv->e->s->cfg.unsafe_html) {
		struct buf fast = BUF_INIT;
		if (conv_fast(cv, html, len, &fast) == 0) {
			struct buf mark = BUF_INIT;
			buf_addf(&mark, CONV_FAST_MARK "%zu", cv->n_fast);
			xmlAddChild(dst, xmlNewComment(X(mark.ptr)));
			buf_release(&mark);
			cv->fast = xgrow(cv->fast, sizeof(*cv->fast),
					 cv->n_fast + 1, &cv->cap_fast);
			cv->fast[cv->n_fast++] = fast;
			return 0;
		}
		buf_release(&fast);
	}
	buf_adds(&wrapped, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
			   "</head><body>");
	buf_add(&wrapped, html, len);
	buf_adds(&wrapped, "</body></html>");
	hdoc = htmlReadMemory(wrapped.ptr, (int)wrapped.len, NULL, "UTF-8",
			      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				      HTML_PARSE_NONET);
	buf_release(&wrapped);
	if (!hdoc)
		return diag_error(&cv->part->d, cv->c ? cv->c->path : NULL, 0,
				  0, "cannot parse the rendered chapter for the "
				  "EPUB");
	root = xmlDocGetRootElement(hdoc);
	for (n = root ? root->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(n->name, X("body")))
			conv_children(cv, dst, n->children, cv->xhtml, 0);
	xmlFreeDoc(hdoc);
	return 0;
}

static void conv_init(struct conv *cv, struct epub *e, struct epub_part *p,
		      const struct chapter *c, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	memset(cv, 0, sizeof(*cv));
	cv->e = e;
	cv->part = p;
	cv->c = c;
	cv->doc = doc;
	cv->xhtml = xmlSearchNsByHref(doc, root, X(NS_XHTML));
	cv->epub = xmlSearchNsByHref(doc, root, X(NS_EPUB));
}

/* ---- the documents ---- */

static char *epub_chapter_id(const struct chapter *c, size_t i)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "ch-%s", c->slug);
	if (xmlValidateNCName(X(b.ptr), 0) != 0) {
		buf_reset(&b);
		buf_addf(&b, "ch-%zu", i + 1);
	}
	return buf_detach(&b, NULL);
}

/* The "Referenced from" list at the end of a chapter. */
static void epub_backlinks(struct epub *e, struct conv *cv,
			   const struct chapter *c, xmlNodePtr parent)
{
	xmlNodePtr sec, h, ul;
	char *hid;
	size_t i;

	if (!c->n_backlinks)
		return;
	sec = xmlNewChild(parent, NULL, X("section"), NULL);
	xmlSetProp(sec, X("class"), X("backlinks"));
	hid = conv_unique_id(cv, "referenced-from");
	xmlSetProp(sec, X("aria-labelledby"), X(hid));
	h = epub_text_child(sec, "h2", "Referenced from");
	xmlSetProp(h, X("id"), X(hid));
	free(hid);
	ul = xmlNewChild(sec, NULL, X("ul"), NULL);
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &e->s->chapters[bl->chapter];
		struct buf href = BUF_INIT, text = BUF_INIT;
		xmlNodePtr li = xmlNewChild(ul, NULL, X("li"), NULL), a;

		epub_add_href(&href, from->xhtml_name);
		buf_adds(&text, from->fm.title);
		if (bl->heading != SITE_NONE) {
			buf_addch(&href, '#');
			buf_adds(&href, from->headings[bl->heading].id);
			buf_adds(&text, ": ");
			buf_adds(&text, from->headings[bl->heading].text);
		}
		a = epub_text_child(li, "a", text.ptr);
		epub_prop(a, "href", href.ptr);
		buf_release(&href);
		buf_release(&text);
	}
}

/* Appends the XHTML of `node` (of `doc`) to `out`, as epub_dump() would
 * write it within its document. */
static void epub_node_dump(xmlDocPtr doc, xmlNodePtr node, struct buf *out)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlSaveCtxtPtr save;

	if (!xb) {
		fputs("stepbook: out of memory\n", stderr);
		exit(3);
	}
	save = xmlSaveToBuffer(xb, "UTF-8", 0);
	if (!save) {
		fputs("stepbook: out of memory\n", stderr);
		exit(3);
	}
	epub_no_self_closing(node);
	(void)doc;
	xmlSaveTree(save, node);
	xmlSaveClose(save);
	buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
}

/* The answers of chapter `c`, under its title: its section of
 * answers.xhtml, into p->answers. */
static int epub_answers_part(struct epub *e, const struct chapter *c,
			     struct epub_part *p, const struct buf *answers)
{
	struct conv cv;
	xmlDocPtr doc;
	xmlNodePtr body, sec, h;
	struct buf id = BUF_INIT;
	int r;

	doc = epub_xhtml_new(e, "Quiz answers", &body);
	conv_init(&cv, e, p, c, doc);
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	buf_addf(&id, "answers-for-%s", c->slug);
	xmlSetProp(sec, X("aria-labelledby"), X(id.ptr));
	h = epub_text_child(sec, "h2", c->fm.title);
	xmlSetProp(h, X("id"), X(id.ptr));
	buf_release(&id);
	r = conv_fragment(&cv, sec, answers->ptr, answers->len);
	{
		size_t from = p->answers.len;
		epub_node_dump(doc, sec, &p->answers);
		conv_splice(&cv, &p->answers, from);
	}
	conv_release(&cv);
	xmlFreeDoc(doc);
	return r;
}

/* The key of everything chapter `c`'s documents are made from: its
 * rendered body and answers (see render_chapter_key), its title, the
 * backlinks that end it, and what the whole book shares. */
static uint64_t epub_chapter_key(const struct epub *e, struct chapter *c)
{
	uint64_t h = hash_u64(e->book_key, 0x65707562);
	size_t i;

	h = hash_str(h, c->slug);
	h = hash_str(h, c->fm.title);
	h = hash_u64(h, render_chapter_key(e->s, c, RENDER_EPUB));
	h = hash_u64(h, c->n_backlinks);
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &e->s->chapters[bl->chapter];
		h = hash_str(h, from->xhtml_name);
		h = hash_str(h, from->fm.title);
		if (bl->heading != SITE_NONE) {
			h = hash_str(h, from->headings[bl->heading].id);
			h = hash_str(h, from->headings[bl->heading].text);
		} else {
			h = hash_u64(h, 0);
		}
	}
	return h ? h : 1;
}

/* Makes chapter `idx`'s part: its document (or the entry of the previous
 * EPUB that holds it, when the cache knows it was made from the same
 * inputs), its answers and what it shows. Touches nothing shared but
 * the chapter's own rendering: runs on any thread. */
static void epub_chapter(struct epub *e, size_t worker, size_t idx,
			 zip_int64_t prev, struct epub_part *p)
{
	struct chapter *c = &e->s->chapters[idx];
	struct buf html = BUF_INIT, answers = BUF_INIT, base = BUF_INIT;
	struct conv cv;
	xmlDocPtr doc;
	xmlNodePtr body, sec, h1;
	char *hid;
	int r;

	p->key = epub_chapter_key(e, c);
	if (prev >= 0 && p->key == c->epub.key) {
		/* made from the same inputs: the same document */
		p->reuse = prev;
		p->flags = c->epub.flags;
		if (c->epub.answers)
			buf_adds(&p->answers, c->epub.answers);
		if (c->epub.images)
			buf_adds(&p->images, c->epub.images);
		goto out;
	}
	render_chapter(e->s, c, RENDER_EPUB, EPUB_ANSWERS, &html, &answers);
	doc = epub_xhtml_new(e, c->fm.title, &body);
	conv_init(&cv, e, p, c, doc);
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "chapter");
	xmlSetProp(sec, X("role"), X("doc-chapter"));
	h1 = epub_text_child(sec, "h1", c->fm.title);
	r = conv_fragment(&cv, sec, html.ptr, html.len);
	epub_backlinks(e, &cv, c, sec);
	buf_addf(&base, "%s-title", c->slug);
	hid = conv_unique_id(&cv, base.ptr);
	xmlSetProp(h1, X("id"), X(hid));
	xmlSetProp(sec, X("aria-labelledby"), X(hid));
	free(hid);
	if (cv.has_svg)
		p->flags |= CHAPTER_EPUB_SVG;
	if (cv.has_mathml)
		p->flags |= CHAPTER_EPUB_MATHML;
	epub_xhtml_dump(doc, 0, &p->xhtml);
	conv_splice(&cv, &p->xhtml, 0);
	conv_release(&cv);
	xmlFreeDoc(doc);
	/* compressed now, on this thread: the book's documents are never
	 * all in memory at once */
	p->deflated = epub_deflate(e, worker, &p->xhtml);
	if (p->deflated)
		buf_release(&p->xhtml);
	if (r == 0 && answers.len)
		epub_answers_part(e, c, p, &answers);
	/* a chapter with something to say is converted, and says it, each
	 * time */
	if (p->d.errors || p->d.warnings)
		p->key = 0;
out:
	buf_release(&base);
	buf_release(&html);
	buf_release(&answers);
}

/* The chapters are converted on every core (see pool.h). */
struct epub_workers {
	struct epub *e;
	struct epub_part *parts;
	const zip_int64_t *prev;
	void (*side)(void *, size_t worker); /* one more job, taken first,
				 * or NULL */
	void *side_arg;
};

static void epub_worker_job(void *arg, size_t i, size_t worker)
{
	struct epub_workers *w = arg;

	if (w->side) {
		if (i == 0) {
			w->side(w->side_arg, worker);
			return;
		}
		i--;
	}
	epub_chapter(w->e, worker, i, w->prev[i], &w->parts[i]);
}

/* Converts every chapter into `parts`, and runs side(side_arg, worker)
 * (may be NULL) beside them. */
static void epub_chapters(struct epub *e, struct epub_part *parts,
			  void (*side)(void *, size_t), void *side_arg)
{
	struct epub_workers w;
	size_t i;
	zip_int64_t *prev = xcalloc(e->s->n_chapters + 1, sizeof(*prev));

	/* which chapters the previous EPUB may hold as they are */
	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		prev[i] = -1;
		if (e->prev_trusted && c->epub.key) {
			struct buf name = BUF_INIT;
			buf_addf(&name, "EPUB/%s", c->xhtml_name);
			prev[i] = zip_name_locate(e->prev, name.ptr, 0);
			buf_release(&name);
		}
	}
	w.e = e;
	w.parts = parts;
	w.prev = prev;
	w.side = side;
	w.side_arg = side_arg;
	pool_run(e->s->n_chapters + (side ? 1 : 0), 0, epub_worker_job, &w);
	free(prev);
}

/* Takes the parts into the book, in book order: problems, images, what
 * the package says of each document; and notes in each chapter what the
 * next build may reuse. */
static void epub_take_parts(struct epub *e, struct epub_part *parts,
			    size_t f_first)
{
	size_t i, k;

	for (i = 0; i < e->s->n_chapters; i++) {
		struct chapter *c = &e->s->chapters[i];
		struct epub_part *p = &parts[i];
		int fl = p->flags;
		const char *line, *nl;

		diag_append(e->d, &p->d);
		for (k = 0; k < c->n_images; k++)
			epub_want_image(e, c->images[k]);
		for (line = p->images.ptr; line && *line; line = nl + 1) {
			char *img;
			nl = strchr(line, '\n');
			if (!nl)
				break;
			img = xstrndup(line, (size_t)(nl - line));
			epub_want_image(e, img);
			free(img);
		}
		if (fl & CHAPTER_EPUB_IMAGES)
			e->content_images = 1;
		if (fl & CHAPTER_EPUB_NO_ALT)
			e->all_alt = 0;
		e->files[f_first + i].properties =
			(fl & CHAPTER_EPUB_SVG) && (fl & CHAPTER_EPUB_MATHML) ?
				"mathml svg" :
			fl & CHAPTER_EPUB_SVG	 ? "svg" :
			fl & CHAPTER_EPUB_MATHML ? "mathml" :
						   NULL;
		if (p->reuse >= 0) {
			e->files[f_first + i].reuse = p->reuse;
			e->s->epub_reused++;
		} else if (p->deflated) {
			e->files[f_first + i].deflated = p->deflated;
			p->deflated = NULL;
		} else {
			struct buf tmp = e->files[f_first + i].data;
			e->files[f_first + i].data = p->xhtml;
			p->xhtml = tmp;
		}
		if (p->answers.len)
			e->has_quizzes = 1;
		if (c->n_tasks)
			e->has_tasks = 1;
		c->epub.key = p->key;
		c->epub.flags = fl;
		free(c->epub.answers);
		c->epub.answers = xstrdup(p->answers.ptr ? p->answers.ptr : "");
		free(c->epub.images);
		c->epub.images = xstrdup(p->images.ptr ? p->images.ptr : "");
	}
}

/* The whole-book documents that are reused from the previous EPUB when
 * made from the same inputs (the index in site.epub_doc_keys). */
enum { DOC_NAV, DOC_NCX, DOC_CHECKLIST, DOC_ANSWERS, DOC_COVER };

/* The keys of the whole-book documents: without `parts`, those made from
 * the chapters' facts (nav, NCX, checklist); with them, the answers'
 * (the other keys are then left as they come out, not to be used). */
static void epub_doc_keys(const struct epub *e, const struct epub_part *parts,
			  uint64_t keys[SITE_EPUB_DOCS])
{
	const struct config *cfg = &e->s->cfg;
	uint64_t toc = hash_u64(e->book_key, 0x746f63), tasks, answers;
	size_t i;

	toc = hash_str(toc, cfg->title);
	toc = hash_str(toc, cfg->author);
	toc = hash_str(toc, e->identifier);
	toc = hash_u64(toc, (uint64_t)(e->has_tasks * 2 + e->has_quizzes));
	tasks = hash_u64(e->book_key, 0x7461736b);
	answers = hash_u64(e->book_key, 0x616e73);
	/* each chapter's part, hashed once when it was parsed and kept in
	 * the cache since (chapter.toc_hash, tasks_hash) */
	for (i = 0; !parts && i < e->s->n_chapters; i++) {
		toc = hash_u64(toc, e->s->chapters[i].toc_hash);
		tasks = hash_u64(tasks, e->s->chapters[i].tasks_hash);
	}
	for (i = 0; parts && i < e->s->n_chapters; i++) {
		answers = hash_str(answers, e->s->chapters[i].slug);
		answers = hash_mix(answers, parts[i].answers.ptr,
				   parts[i].answers.len);
		answers = hash_u64(answers, parts[i].answers.len);
	}
	keys[DOC_NAV] = hash_u64(toc, 1) | 1;
	keys[DOC_NCX] = hash_u64(toc, 2) | 1;
	keys[DOC_CHECKLIST] = tasks | 1;
	keys[DOC_ANSWERS] = answers | 1;
	keys[DOC_COVER] = 0;    /* the cover's raster: see epub_cover() */
}

/* Whether the previous EPUB holds whole-book document `doc` (named
 * `href` in EPUB/) made from `key`: then *reuse is its entry. */
static int epub_doc_reuse(const struct epub *e, int doc, uint64_t key,
			  const char *href, zip_int64_t *reuse)
{
	struct buf name = BUF_INIT;

	*reuse = -1;
	if (!e->prev_trusted || e->old_doc_keys[doc] != key)
		return 0;
	buf_addf(&name, "EPUB/%s", href);
	*reuse = zip_name_locate(e->prev, name.ptr, 0);
	buf_release(&name);
	return *reuse >= 0;
}

#define EPUB_ANSWERS_MARK "stepbook-answers"

/* answers.xhtml: the title, then each chapter's section in book order. */
static void epub_answers(struct epub *e, const struct epub_part *parts,
			 struct buf *out)
{
	xmlNodePtr body, sec, h1;
	xmlDocPtr doc = epub_xhtml_new(e, "Quiz answers", &body);
	struct buf page = BUF_INIT;
	const char *mark;
	size_t i;

	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "appendix");
	xmlSetProp(sec, X("role"), X("doc-appendix"));
	xmlSetProp(sec, X("aria-labelledby"), X("answers-title"));
	h1 = epub_text_child(sec, "h1", "Quiz answers");
	xmlSetProp(h1, X("id"), X("answers-title"));
	xmlAddChild(sec, xmlNewComment(X(EPUB_ANSWERS_MARK)));
	epub_xhtml_dump(doc, 0, &page);
	xmlFreeDoc(doc);
	mark = strstr(page.ptr, "<!--" EPUB_ANSWERS_MARK "-->");
	if (!mark) {
		fputs("stepbook: cannot lay out the answers\n", stderr);
		exit(3);
	}
	buf_add(out, page.ptr, (size_t)(mark - page.ptr));
	for (i = 0; i < e->s->n_chapters; i++)
		if (parts[i].answers.len)
			buf_add(out, parts[i].answers.ptr, parts[i].answers.len);
	buf_adds(out, mark + strlen("<!--" EPUB_ANSWERS_MARK "-->"));
	buf_release(&page);
}

static void epub_title_page(struct epub *e, struct buf *out)
{
	const struct config *cfg = &e->s->cfg;
	xmlNodePtr body, sec, p;
	xmlDocPtr doc = epub_xhtml_new(e, cfg->title, &body);

	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "titlepage");
	xmlSetProp(sec, X("class"), X("titlepage"));
	xmlSetProp(sec, X("aria-labelledby"), X("book-title"));
	p = epub_text_child(sec, "h1", cfg->title);
	xmlSetProp(p, X("id"), X("book-title"));
	if (*cfg->subtitle) {
		p = epub_text_child(sec, "p", cfg->subtitle);
		xmlSetProp(p, X("class"), X("subtitle"));
	}
	if (*cfg->author) {
		p = epub_text_child(sec, "p", cfg->author);
		xmlSetProp(p, X("class"), X("author"));
	}
	if (*cfg->description) {
		p = epub_text_child(sec, "p", cfg->description);
		xmlSetProp(p, X("class"), X("description"));
	}
	epub_xhtml_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

/* The cover page: the cover image scaled to the page, whole, the way
 * EPUB 3 cover pages do it (an SVG of the image's proportions, as large
 * as the viewport, holding the image): one screen in any reading
 * system, never a page of its own split in two. */
static void epub_cover_page(struct epub *e, struct buf *out)
{
	const struct config *cfg = &e->s->cfg;
	struct buf alt = BUF_INIT;
	xmlNodePtr html, body, sec, svg, n;
	xmlNsPtr xlink;
	xmlDocPtr doc = epub_xhtml_new(e, "Cover", &body);
	char *href = epub_href(e->cover_href);
	char box[64];

	html = xmlDocGetRootElement(doc);
	xmlSetProp(html, X("class"), X("cover"));
	xmlSetProp(body, X("class"), X("cover"));
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "cover");
	xmlSetProp(sec, X("class"), X("cover"));
	buf_addf(&alt, "Cover: %s", cfg->title);
	if (*cfg->author)
		buf_addf(&alt, ", by %s", cfg->author);
	svg = xmlNewChild(sec, NULL, X("svg"), NULL);
	xmlSetNs(svg, xmlNewNs(svg, X(NS_SVG), NULL));
	xlink = xmlNewNs(svg, X(NS_XLINK), X("xlink"));
	xmlSetProp(svg, X("version"), X("1.1"));
	xmlSetProp(svg, X("width"), X("100%"));
	xmlSetProp(svg, X("height"), X("100%"));
	snprintf(box, sizeof(box), "0 0 %u %u", e->cover_width,
		 e->cover_height);
	xmlSetProp(svg, X("viewBox"), X(box));
	xmlSetProp(svg, X("preserveAspectRatio"), X("xMidYMid meet"));
	xmlSetProp(svg, X("role"), X("img"));
	epub_prop(svg, "aria-label", alt.ptr);
	epub_text_child(svg, "title", alt.ptr);
	n = xmlNewChild(svg, NULL, X("image"), NULL);
	snprintf(box, sizeof(box), "%u", e->cover_width);
	xmlSetProp(n, X("width"), X(box));
	snprintf(box, sizeof(box), "%u", e->cover_height);
	xmlSetProp(n, X("height"), X(box));
	xmlSetNsProp(n, xlink, X("href"), X(href));
	epub_xhtml_dump(doc, 1, out);
	xmlFreeDoc(doc);
	buf_release(&alt);
	free(href);
}

static void epub_checklist(struct epub *e, struct buf *out)
{
	xmlNodePtr body, sec, h;
	xmlDocPtr doc = epub_xhtml_new(e, "Checklist", &body);
	size_t i, j;

	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "appendix");
	xmlSetProp(sec, X("role"), X("doc-appendix"));
	xmlSetProp(sec, X("class"), X("checklist"));
	xmlSetProp(sec, X("aria-labelledby"), X("checklist-title"));
	h = epub_text_child(sec, "h1", "Checklist");
	xmlSetProp(h, X("id"), X("checklist-title"));
	epub_text_child(sec, "p", "Every action in the book, chapter by "
				  "chapter. Each one links to the section "
				  "that explains it.");
	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		xmlNodePtr part, ul;
		struct buf id = BUF_INIT;

		if (!c->n_tasks)
			continue;
		part = xmlNewChild(sec, NULL, X("section"), NULL);
		buf_addf(&id, "checklist-%s", c->slug);
		xmlSetProp(part, X("aria-labelledby"), X(id.ptr));
		h = epub_text_child(part, "h2", c->fm.title);
		xmlSetProp(h, X("id"), X(id.ptr));
		buf_release(&id);
		ul = xmlNewChild(part, NULL, X("ul"), NULL);
		xmlSetProp(ul, X("class"), X("checklist"));
		for (j = 0; j < c->n_tasks; j++) {
			const struct task *t = &c->tasks[j];
			struct buf href = BUF_INIT;
			xmlNodePtr li = xmlNewChild(ul, NULL, X("li"), NULL);
			xmlNodePtr box, a;

			box = epub_text_child(li, "span",
					      t->checked ? "\xE2\x98\x91"
							 : "\xE2\x98\x90");
			xmlSetProp(box, X("class"), X("task-box"));
			xmlSetProp(box, X("aria-hidden"), X("true"));
			xmlAddChild(li, xmlNewText(X(" ")));
			epub_add_href(&href, c->xhtml_name);
			if (t->heading != SITE_NONE) {
				buf_addch(&href, '#');
				buf_adds(&href, c->headings[t->heading].id);
			}
			a = epub_text_child(li, "a", t->text);
			epub_prop(a, "href", href.ptr);
			buf_release(&href);
		}
	}
	epub_xhtml_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

/* ---- cover image ---- */

/* The media type of the cover book.yml names, or NULL after recording
 * that the EPUB cannot use it. */
static const char *epub_cover_type(const struct config *cfg, struct diag *d)
{
	const char *type = epub_media_type(cfg->cover);

	if (!type || !strcmp(type, "image/webp")) {
		diag_error(d, cfg->path, 0, 0,
			   "cover '%s' cannot go into the EPUB: use a PNG, "
			   "JPEG, GIF or SVG image", cfg->cover);
		return NULL;
	}
	return type;
}

/* Reads the width and height of the image of `f` into the cover's: from
 * its data, or from the start of the previous EPUB's entry it reuses.
 * Returns 0, or -1 after recording that `shown` is no image it knows. */
static int epub_cover_size(struct epub *e, const struct epub_file *f,
			   const char *shown)
{
	unsigned char head[64];
	const unsigned char *p = (const unsigned char *)f->data.ptr;
	zip_int64_t n = (zip_int64_t)f->data.len;

	if (f->reuse >= 0) {
		zip_file_t *zf = zip_fopen_index(e->prev, (zip_uint64_t)f->reuse,
						 0);
		n = zf ? zip_fread(zf, head, sizeof(head)) : -1;
		if (zf)
			zip_fclose(zf);
		p = head;
	}
	if (n < 0 || cover_image_size(p, (size_t)n, &e->cover_width,
				      &e->cover_height) < 0)
		return diag_error(e->d, shown, 0, 0,
				  "cover '%s' is not a PNG, JPEG or GIF image "
				  "stepbook can read", f->href);
	return 0;
}

/* Sets e->cover to the file of the cover image, named `href`. */
static struct epub_file *epub_cover_file(struct epub *e, const char *href,
					 const char *media_type)
{
	struct epub_file *f = &e->cover;

	f->href = xstrdup(href);
	f->id = xstrdup("cover-image");
	f->media_type = media_type;
	f->properties = "cover-image";
	f->spine = 0;
	buf_init(&f->data);
	f->reuse = -1;
	f->deflated = NULL;
	free(e->cover_href);
	e->cover_href = xstrdup(href);
	return f;
}

/* The cover image, in e->cover: book.yml's `cover:` as it is when it is a
 * PNG, JPEG or GIF; else the PNG of the SVG cover (the book's, or the
 * theme's template's), rendered by cover_render() unless the previous
 * EPUB holds it made from the same SVG. Made before the chapters, whose
 * documents then fill the memory it takes to render it. Sets *key to
 * what the PNG is made from, for the cache (0 for a cover used as it
 * is). */
static int epub_cover(struct epub *e, uint64_t *key)
{
	const struct config *cfg = &e->s->cfg;
	struct buf svg = BUF_INIT, name = BUF_INIT, shown = BUF_INIT;
	char *norm = NULL, *full = NULL;
	struct epub_file *f;
	int n = 1, r = -1;

	*key = 0;
	if (cfg->cover && *cfg->cover) {
		const char *type;

		norm = path_normalize(cfg->cover);
		if (!norm)
			return diag_error(e->d, cfg->path, 0, 0,
					  "cover '%s' points outside content/",
					  cfg->cover);
		type = epub_cover_type(cfg, e->d);
		if (!type)
			goto out;
		full = path_join(e->s->content_dir, norm);
		buf_addf(&shown, "%s/%s", e->s->shown_dir, norm);
		if (strcmp(type, "image/svg+xml")) {
			/* a raster cover, as it is, under a name OCF
			 * allows */
			char *href = epub_file_name(norm);
			f = epub_cover_file(e, href, type);
			free(href);
			e->cover_src = xstrdup(norm);
			if (fs_read_file(full, cfg->cover, &f->data, e->d) == 0 &&
			    epub_cover_size(e, f, shown.ptr) == 0)
				r = 0;
			goto out;
		}
		if (fs_read_file(full, cfg->cover, &svg, e->d) < 0)
			goto out;
	} else {
		const struct theme_file *tf =
			theme_get(e->t, THEME_COVER);
		char *title = epub_clean(cfg->title);
		char *subtitle = epub_clean(cfg->subtitle);
		char *author = epub_clean(cfg->author);
		int ok = cover_svg(e->t, title, subtitle, author, e->lang, &svg,
				   e->d);
		free(title);
		free(subtitle);
		free(author);
		if (ok < 0)
			goto out;
		buf_adds(&shown, tf ? tf->shown : THEME_COVER);
	}
	/* the SVG's raster, named apart from every file of content/ (each
	 * may be an image the EPUB carries); the name is part of the key,
	 * so that what the last EPUB holds under it is that raster */
	buf_adds(&name, "cover.png");
	while (epub_is_content_file(e->s, name.ptr)) {
		buf_reset(&name);
		buf_addf(&name, "cover-%d.png", ++n);
	}
	f = epub_cover_file(e, name.ptr, "image/png");
	*key = hash_str(cover_render_key(svg.ptr, svg.len), name.ptr) | 1;
	if (!epub_doc_reuse(e, DOC_COVER, *key, name.ptr, &f->reuse) &&
	    cover_render(svg.ptr, svg.len, full, shown.ptr, &f->data,
			 e->d) < 0)
		goto out;
	if (epub_cover_size(e, f, shown.ptr) < 0)
		goto out;
	r = 0;
out:
	free(norm);
	free(full);
	buf_release(&svg);
	buf_release(&name);
	buf_release(&shown);
	return r;
}

/* Adds e->cover to the files, after the chapters' documents; a cover
 * image a chapter shows too is carried once. */
static void epub_take_cover(struct epub *e)
{
	size_t i;

	for (i = 0; e->cover_src && i < e->n_images; i++) {
		if (!strcmp(e->images[i], e->cover_src)) {
			free(e->images[i]);
			memmove(&e->images[i], &e->images[i + 1],
				(e->n_images - i - 1) * sizeof(*e->images));
			e->n_images--;
			break;
		}
	}
	e->files = xgrow(e->files, sizeof(*e->files), e->n_files + 1,
			 &e->cap_files);
	e->files[e->n_files++] = e->cover;
	memset(&e->cover, 0, sizeof(e->cover));
	buf_init(&e->cover.data);
}

/* Reports image `path` (within content/), of a kind EPUB cannot carry,
 * at the first place that shows it. Returns -1. */
static int epub_bad_image(const struct site *s, const char *path,
			  struct diag *d)
{
	const char *where = s->shown_dir;
	int line = 0, col = 0;
	size_t ci, li;

	for (ci = 0; ci < s->n_chapters && !line; ci++) {
		const struct chapter *c = &s->chapters[ci];
		for (li = 0; li < c->n_links && !line; li++)
			if (c->links[li].file &&
			    !strcmp(c->links[li].file, path)) {
				where = c->path;
				line = c->links[li].line;
				col = c->links[li].col;
			}
	}
	return diag_error(d, where, line, col,
			  "image '%s' cannot go into the EPUB: use PNG, JPEG, "
			  "GIF, SVG or WebP", path);
}

static int epub_images(struct epub *e)
{
	size_t i;
	int r = 0;

	if (e->n_images)
		qsort(e->images, e->n_images, sizeof(*e->images),
		      epub_str_cmp);
	for (i = 0; i < e->n_images; i++) {
		const char *type = epub_media_type(e->images[i]);
		struct buf id = BUF_INIT;
		struct epub_file *f;
		char *full, *name;

		if (!type) {
			r = epub_bad_image(e->s, e->images[i], e->d);
			continue;
		}
		if (!strcmp(type, "image/webp"))
			diag_warning(e->d, e->s->shown_dir, 0, 0,
				     "image '%s' is WebP, which EPUB 3.2 "
				     "readers may not show; PNG or JPEG works "
				     "everywhere", e->images[i]);
		buf_addf(&id, "img-%zu", i + 1);
		name = epub_file_name(e->images[i]);
		f = epub_add_file(e, name, id.ptr, type, NULL, 0);
		free(name);
		buf_reset(&id);
		buf_addf(&id, "%s/%s", e->s->shown_dir, e->images[i]);
		full = path_join(e->s->content_dir, e->images[i]);
		if (fs_read_file(full, id.ptr, &f->data, e->d) < 0)
			r = -1;
		buf_release(&id);
		free(full);
	}
	return r;
}

/* ---- navigation ---- */

/* Adds the table of contents to `ol` (nav) or `navmap` (NCX). */
static void epub_nav_entry(xmlNodePtr ol, const char *href, const char *text,
			   int ncx, int *order)
{
	if (ncx) {
		/* ol is the parent navMap/navPoint */
		xmlNodePtr np = xmlNewChild(ol, NULL, X("navPoint"), NULL), lab;
		char num[32];
		snprintf(num, sizeof(num), "np-%d", *order);
		xmlSetProp(np, X("id"), X(num));
		snprintf(num, sizeof(num), "%d", *order);
		xmlSetProp(np, X("playOrder"), X(num));
		lab = xmlNewChild(np, NULL, X("navLabel"), NULL);
		epub_text_child(lab, "text", text);
		lab = xmlNewChild(np, NULL, X("content"), NULL);
		epub_prop(lab, "src", href);
	} else {
		xmlNodePtr li = xmlNewChild(ol, NULL, X("li"), NULL), a;
		a = epub_text_child(li, "a", text);
		epub_prop(a, "href", href);
	}
	(*order)++;
}

/* Builds the toc under `list` (an <ol> of the nav, or the NCX navMap). */
static int epub_toc(struct epub *e, xmlNodePtr list, int ncx)
{
	int order = 1, depth = 1;
	size_t i, j;

	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		xmlNodePtr item, sub = NULL;
		char *href = epub_href(c->xhtml_name);

		epub_nav_entry(list, href, c->fm.title, ncx, &order);
		item = xmlGetLastChild(list);
		for (j = 0; j < c->n_headings; j++) {
			struct buf h = BUF_INIT;
			if (c->headings[j].level != 2)
				continue;
			if (!sub)
				sub = ncx ? item
					  : xmlNewChild(item, NULL, X("ol"),
							NULL);
			buf_adds(&h, href);
			buf_addch(&h, '#');
			buf_adds(&h, c->headings[j].id);
			epub_nav_entry(sub, h.ptr, c->headings[j].text, ncx,
				       &order);
			buf_release(&h);
			depth = 2;
		}
		free(href);
	}
	if (e->has_tasks)
		epub_nav_entry(list, EPUB_CHECKLIST, "Checklist", ncx, &order);
	if (e->has_quizzes)
		epub_nav_entry(list, EPUB_ANSWERS, "Quiz answers", ncx, &order);
	return depth;
}

static void epub_nav(struct epub *e, struct buf *out)
{
	xmlNodePtr body, nav, h, ol, li, a;
	xmlDocPtr doc = epub_xhtml_new(e, "Contents", &body);
	char *first = epub_href(e->s->chapters[0].xhtml_name);

	nav = xmlNewChild(body, NULL, X("nav"), NULL);
	epub_epub_type(nav, "toc");
	xmlSetProp(nav, X("role"), X("doc-toc"));
	xmlSetProp(nav, X("id"), X("toc"));
	xmlSetProp(nav, X("aria-labelledby"), X("toc-title"));
	h = epub_text_child(nav, "h1", "Contents");
	xmlSetProp(h, X("id"), X("toc-title"));
	ol = xmlNewChild(nav, NULL, X("ol"), NULL);
	epub_toc(e, ol, 0);

	nav = xmlNewChild(body, NULL, X("nav"), NULL);
	epub_epub_type(nav, "landmarks");
	xmlSetProp(nav, X("id"), X("landmarks"));
	xmlSetProp(nav, X("aria-labelledby"), X("landmarks-title"));
	xmlSetProp(nav, X("hidden"), X("hidden"));
	h = epub_text_child(nav, "h2", "Landmarks");
	xmlSetProp(h, X("id"), X("landmarks-title"));
	ol = xmlNewChild(nav, NULL, X("ol"), NULL);
#define LANDMARK(type, href, text)                                          \
	do {                                                                \
		li = xmlNewChild(ol, NULL, X("li"), NULL);                  \
		a = epub_text_child(li, "a", text);                         \
		epub_epub_type(a, type);                                    \
		epub_prop(a, "href", href);                                 \
	} while (0)
	LANDMARK("cover", EPUB_COVER, "Cover");
	LANDMARK("titlepage", EPUB_TITLE, "Title page");
	LANDMARK("toc", EPUB_NAV "#toc", "Contents");
	LANDMARK("bodymatter", first, "Start reading");
	if (e->has_tasks)
		LANDMARK("appendix", EPUB_CHECKLIST, "Checklist");
#undef LANDMARK
	free(first);
	epub_xhtml_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

static void epub_ncx(struct epub *e, struct buf *out)
{
	const struct config *cfg = &e->s->cfg;
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr ncx = xmlNewDocNode(doc, NULL, X("ncx"), NULL), head, n,
		   depth_meta, navmap;
	char num[16];
	int depth;

	xmlDocSetRootElement(doc, ncx);
	xmlSetNs(ncx, xmlNewNs(ncx, X(NS_NCX), NULL));
	xmlSetProp(ncx, X("version"), X("2005-1"));
	xmlNodeSetLang(ncx, X(e->lang));
	head = xmlNewChild(ncx, NULL, X("head"), NULL);
	n = xmlNewChild(head, NULL, X("meta"), NULL);
	xmlSetProp(n, X("name"), X("dtb:uid"));
	epub_prop(n, "content", e->identifier);
	depth_meta = xmlNewChild(head, NULL, X("meta"), NULL);
	xmlSetProp(depth_meta, X("name"), X("dtb:depth"));
	n = xmlNewChild(head, NULL, X("meta"), NULL);
	xmlSetProp(n, X("name"), X("dtb:totalPageCount"));
	xmlSetProp(n, X("content"), X("0"));
	n = xmlNewChild(head, NULL, X("meta"), NULL);
	xmlSetProp(n, X("name"), X("dtb:maxPageNumber"));
	xmlSetProp(n, X("content"), X("0"));
	n = xmlNewChild(ncx, NULL, X("docTitle"), NULL);
	epub_text_child(n, "text", cfg->title);
	if (*cfg->author) {
		n = xmlNewChild(ncx, NULL, X("docAuthor"), NULL);
		epub_text_child(n, "text", cfg->author);
	}
	navmap = xmlNewChild(ncx, NULL, X("navMap"), NULL);
	depth = epub_toc(e, navmap, 1);
	snprintf(num, sizeof(num), "%d", depth);
	xmlSetProp(depth_meta, X("content"), X(num));
	epub_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

/* ---- package document ---- */

static xmlNodePtr epub_meta(xmlNodePtr md, const char *property,
			    const char *value)
{
	xmlNodePtr m = epub_text_child(md, "meta", value);

	xmlSetProp(m, X("property"), X(property));
	return m;
}

static void epub_guide(xmlNodePtr guide, const char *type,
		       const char *title, const char *href)
{
	xmlNodePtr n = xmlNewChild(guide, NULL, X("reference"), NULL);

	xmlSetProp(n, X("type"), X(type));
	xmlSetProp(n, X("title"), X(title));
	epub_prop(n, "href", href);
}

static void epub_opf(struct epub *e, struct buf *out)
{
	const struct config *cfg = &e->s->cfg;
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr pkg = xmlNewDocNode(doc, NULL, X("package"), NULL);
	xmlNodePtr md, man, spine, n;
	xmlNsPtr dc;
	struct buf summary = BUF_INIT;
	size_t i;

	xmlDocSetRootElement(doc, pkg);
	xmlSetNs(pkg, xmlNewNs(pkg, X(NS_OPF), NULL));
	xmlSetProp(pkg, X("version"), X("3.0"));
	xmlSetProp(pkg, X("unique-identifier"), X("pub-id"));
	xmlNodeSetLang(pkg, X(e->lang));

	md = xmlNewChild(pkg, NULL, X("metadata"), NULL);
	dc = xmlNewNs(md, X(NS_DC), X("dc"));
	n = xmlNewTextChild(md, dc, X("identifier"), NULL);
	epub_add_text(n, e->identifier);
	xmlSetProp(n, X("id"), X("pub-id"));
	n = xmlNewTextChild(md, dc, X("title"), NULL);
	epub_add_text(n, cfg->title);
	xmlSetProp(n, X("id"), X("title"));
	if (*cfg->subtitle) {
		n = xmlNewTextChild(md, dc, X("title"), NULL);
		epub_add_text(n, cfg->subtitle);
		xmlSetProp(n, X("id"), X("subtitle"));
		n = epub_meta(md, "title-type", "main");
		xmlSetProp(n, X("refines"), X("#title"));
		n = epub_meta(md, "title-type", "subtitle");
		xmlSetProp(n, X("refines"), X("#subtitle"));
	}
	n = xmlNewTextChild(md, dc, X("language"), NULL);
	epub_add_text(n, e->lang);
	if (*cfg->author) {
		n = xmlNewTextChild(md, dc, X("creator"), NULL);
		epub_add_text(n, cfg->author);
		xmlSetProp(n, X("id"), X("creator"));
		n = epub_meta(md, "role", "aut");
		xmlSetProp(n, X("refines"), X("#creator"));
		xmlSetProp(n, X("scheme"), X("marc:relators"));
	}
	if (*cfg->description) {
		n = xmlNewTextChild(md, dc, X("description"), NULL);
		epub_add_text(n, cfg->description);
	}
	epub_meta(md, "dcterms:modified", e->modified);
	n = xmlNewChild(md, NULL, X("meta"), NULL);
	xmlSetProp(n, X("name"), X("cover"));
	xmlSetProp(n, X("content"), X("cover-image"));

	/* EPUB Accessibility 1.1 */
	epub_meta(md, "dcterms:conformsTo",
		  "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
	epub_meta(md, "schema:accessMode", "textual");
	epub_meta(md, "schema:accessMode", "visual");
	epub_meta(md, "schema:accessModeSufficient", "textual");
	epub_meta(md, "schema:accessibilityFeature", "structuralNavigation");
	epub_meta(md, "schema:accessibilityFeature", "tableOfContents");
	epub_meta(md, "schema:accessibilityFeature", "readingOrder");
	if (e->all_alt)
		epub_meta(md, "schema:accessibilityFeature",
			  "alternativeText");
	epub_meta(md, "schema:accessibilityHazard", "none");
	buf_adds(&summary,
		 "This publication meets WCAG 2.1 Level AA. It has a table "
		 "of contents, a heading for every section, and a logical "
		 "reading order. Notes and quiz answers are linked both "
		 "ways, the actions of every chapter are gathered in a "
		 "linked checklist, and nothing depends on colour, sound or "
		 "motion.");
	if (e->all_alt)
		buf_adds(&summary, " Every image has a text alternative.");
	epub_meta(md, "schema:accessibilitySummary", summary.ptr);
	buf_release(&summary);

	man = xmlNewChild(pkg, NULL, X("manifest"), NULL);
	spine = xmlNewChild(pkg, NULL, X("spine"), NULL);
	xmlSetProp(spine, X("toc"), X("ncx"));
	n = xmlNewChild(man, NULL, X("item"), NULL);
	xmlSetProp(n, X("id"), X("ncx"));
	xmlSetProp(n, X("href"), X(EPUB_NCX));
	xmlSetProp(n, X("media-type"), X("application/x-dtbncx+xml"));
	n = xmlNewChild(man, NULL, X("item"), NULL);
	xmlSetProp(n, X("id"), X("css"));
	xmlSetProp(n, X("href"), X(EPUB_CSS));
	xmlSetProp(n, X("media-type"), X("text/css"));
	for (i = 0; i < e->n_files; i++) {
		const struct epub_file *f = &e->files[i];
		char *href = epub_href(f->href);
		n = xmlNewChild(man, NULL, X("item"), NULL);
		xmlSetProp(n, X("id"), X(f->id));
		epub_prop(n, "href", href);
		xmlSetProp(n, X("media-type"), X(f->media_type));
		if (f->properties)
			xmlSetProp(n, X("properties"), X(f->properties));
		free(href);
		if (f->spine) {
			n = xmlNewChild(spine, NULL, X("itemref"), NULL);
			xmlSetProp(n, X("idref"), X(f->id));
			if (f->spine == 2)
				xmlSetProp(n, X("linear"), X("no"));
		}
	}
	/* the spine comes after the manifest */
	xmlUnlinkNode(spine);
	xmlAddNextSibling(man, spine);
	/* the EPUB 2 guide, which EPUB 3 keeps for older readers: Kindle's
	 * conversion and calibre find the cover page there, and show the
	 * cover image in its place rather than that page after it */
	{
		xmlNodePtr guide = xmlNewChild(pkg, NULL, X("guide"), NULL);
		char *first = epub_href(e->s->chapters[0].xhtml_name);
		epub_guide(guide, "cover", "Cover", EPUB_COVER);
		epub_guide(guide, "toc", "Contents", EPUB_NAV);
		epub_guide(guide, "text", "Start reading", first);
		free(first);
	}
	epub_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

static void epub_container(struct buf *out)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr c = xmlNewDocNode(doc, NULL, X("container"), NULL), r;

	xmlDocSetRootElement(doc, c);
	xmlSetNs(c, xmlNewNs(c, X(NS_CONTAINER), NULL));
	xmlSetProp(c, X("version"), X("1.0"));
	r = xmlNewChild(c, NULL, X("rootfiles"), NULL);
	r = xmlNewChild(r, NULL, X("rootfile"), NULL);
	xmlSetProp(r, X("full-path"), X("EPUB/package.opf"));
	xmlSetProp(r, X("media-type"), X("application/oebps-package+xml"));
	epub_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

/* ---- identifier ---- */

static uint64_t epub_fnv(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* cfg.identifier, or a urn:uuid: derived from the title alone, so that
 * it stays the same from build to build. */
static char *epub_identifier(const struct config *cfg)
{
	unsigned char b[16];
	uint64_t h1, h2;
	struct buf out = BUF_INIT;
	int i;

	if (cfg->identifier && *cfg->identifier)
		return epub_clean(cfg->identifier);
	h1 = epub_fnv(cfg->title, 0xcbf29ce484222325ULL);
	h2 = epub_fnv(cfg->title, h1 ^ 0x9e3779b97f4a7c15ULL);
	for (i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h1 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x80); /* version 8 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
	buf_adds(&out, "urn:uuid:");
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf_addch(&out, '-');
		buf_addf(&out, "%02x", b[i]);
	}
	return buf_detach(&out, NULL);
}

/* ---- the container ---- */

struct epub_entry {
	const char *name;
	const struct buf *data;
	int store;
	zip_int64_t reuse;      /* the entry of the old EPUB that holds it as
				 * it is, or -1 */
	struct epub_deflated *deflated; /* or it deflated, made on a worker
				 * thread */
};

/* `data` deflated with worker `worker`'s compressor, or NULL (then the
 * entry is left to libzip). */
static struct epub_deflated *epub_deflate(struct epub *e, size_t worker,
					  const struct buf *data)
{
	struct libdeflate_compressor *c;
	struct epub_deflated *z;
	struct buf *out;
	size_t bound, len;

	if (worker >= POOL_MAX_THREADS || !data->len)
		return NULL;
	if (!e->deflaters[worker])
		e->deflaters[worker] =
			libdeflate_alloc_compressor(EPUB_DEFLATE_LEVEL);
	c = e->deflaters[worker];
	if (!c)
		return NULL;
	/* into the worker's buffer, then a block of the exact size: kept
	 * for the whole build, it takes no more than it needs */
	bound = libdeflate_deflate_compress_bound(c, data->len);
	out = &e->deflate_out[worker];
	buf_reset(out);
	buf_grow(out, bound);
	len = libdeflate_deflate_compress(c, data->ptr, data->len, out->ptr,
					  bound);
	if (!len)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	z->bytes = xmalloc(len);
	memcpy(z->bytes, out->ptr, len);
	z->len = len;
	z->size = data->len;
	z->crc = libdeflate_crc32(0, data->ptr, data->len);
	return z;
}

static void epub_deflated_free(struct epub_deflated *z)
{
	if (z) {
		free(z->bytes);
		free(z);
	}
}

/* A libzip source giving deflated bytes as they are: its stat says they
 * are deflated, with their size and CRC, so that libzip copies them. */
struct epub_raw {
	const struct epub_deflated *z;
	size_t off;
	zip_error_t error;
};

static zip_int64_t epub_raw_cb(void *arg, void *data, zip_uint64_t len,
			       zip_source_cmd_t cmd)
{
	struct epub_raw *r = arg;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		r->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		size_t n = r->z->len - r->off;
		if (n > len)
			n = (size_t)len;
		memcpy(data, r->z->bytes + r->off, n);
		r->off += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		if (len < sizeof(*st))
			return -1;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
			    ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
			    ZIP_STAT_ENCRYPTION_METHOD;
		st->size = r->z->size;
		st->comp_size = r->z->len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->encryption_method = ZIP_EM_NONE;
		st->crc = r->z->crc;
		return (zip_int64_t)sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&r->error);
		free(r);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(
			ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
			ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&r->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static zip_source_t *epub_raw_source(zip_t *z, const struct epub_deflated *d)
{
	struct epub_raw *r = xcalloc(1, sizeof(*r));
	zip_source_t *src;

	r->z = d;
	zip_error_init(&r->error);
	src = zip_source_function(z, epub_raw_cb, r);
	if (!src) {
		zip_error_fini(&r->error);
		free(r);
	}
	return src;
}

/* Deflating is most of an EPUB's time: the entries are deflated on
 * every core (see pool.h), and the archive copies the bytes. */
struct epub_deflate_jobs {
	struct epub *e;
	struct epub_entry *entries;
};

static void epub_deflate_job(void *arg, size_t i, size_t worker)
{
	struct epub_deflate_jobs *j = arg;
	struct epub_entry *en = &j->entries[i];

	if (!en->store && en->reuse < 0 && !en->deflated && en->data->len)
		en->deflated = epub_deflate(j->e, worker, en->data);
}

static void epub_deflate_all(struct epub *e, struct epub_entry *entries,
			     size_t n)
{
	struct epub_deflate_jobs j;

	j.e = e;
	j.entries = entries;
	pool_run(n, 0, epub_deflate_job, &j);
}

/* Whether entry `idx` of the previous EPUB is deflated and holds exactly
 * `data`: then its compressed bytes can be copied as they are. Reading it
 * back (inflating) costs a fraction of deflating the new data. */
static int epub_same_entry(zip_t *old, zip_uint64_t idx,
			   const struct buf *data)
{
	char chunk[65536];
	zip_stat_t st;
	zip_file_t *f;
	size_t off = 0;
	int same = 1;

	if (zip_stat_index(old, idx, 0, &st) < 0 ||
	    (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD)) !=
		    (ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD) ||
	    st.size != data->len || st.comp_method != ZIP_CM_DEFLATE ||
	    ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	     st.encryption_method != ZIP_EM_NONE))
		return 0;
	f = zip_fopen_index(old, idx, 0);
	if (!f)
		return 0;
	while (same) {
		zip_int64_t got = zip_fread(f, chunk, sizeof(chunk));
		if (got < 0 || (size_t)got > data->len - off) {
			same = 0;
		} else if (got == 0) {
			same = off == data->len;
			break;
		} else {
			same = !memcmp(chunk, data->ptr + off, (size_t)got);
			off += (size_t)got;
		}
	}
	zip_fclose(f);
	return same;
}

/* Zips `entries` in order into `out`. Entries that `old` (the previous
 * EPUB, or NULL) holds unchanged are copied compressed. Returns 0 or -1
 * (error recorded). */
static void epub_entries_free(struct epub_entry *entries, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		epub_deflated_free(entries[i].deflated);
		entries[i].deflated = NULL;
	}
}

static int epub_zip(struct epub *e, const char *path, zip_t *old,
		    struct epub_entry *entries, size_t n,
		    long long epoch, struct buf *out)
{
	zip_error_t ze;
	zip_source_t *mem;
	zip_t *z;
	zip_uint16_t dtime, ddate;
	zip_int64_t size;
	size_t i;

	epub_dos_time(epoch, &dtime, &ddate);
	/* what the old EPUB holds as it is, then the rest deflated */
	for (i = 0; old && i < n; i++) {
		struct epub_entry *en = &entries[i];
		zip_int64_t oi;
		if (en->store || en->reuse >= 0 || en->deflated)
			continue;
		oi = zip_name_locate(old, en->name, 0);
		if (oi >= 0 && epub_same_entry(old, (zip_uint64_t)oi, en->data))
			en->reuse = oi;
	}
	epub_deflate_all(e, entries, n);
	zip_error_init(&ze);
	mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!mem)
		goto fail;
	zip_source_keep(mem);
	z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	if (!z) {
		zip_source_free(mem);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		const struct epub_entry *en = &entries[i];
		zip_int32_t method = en->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
		zip_uint32_t level = en->store ? 0 : EPUB_DEFLATE_LEVEL;
		const zip_flags_t both = ZIP_FL_LOCAL | ZIP_FL_CENTRAL;
		zip_int64_t idx, oi = -1;
		zip_source_t *src = NULL;

		if (old && en->reuse >= 0) {
			/* the old EPUB holds it as it is */
			oi = en->reuse;
			src = zip_source_zip(z, old, (zip_uint64_t)oi, 0, 0,
					     -1);
		} else if (en->deflated) {
			oi = 0;
			src = epub_raw_source(z, en->deflated);
		} else {
			src = zip_source_buffer(z, en->data->ptr,
						en->data->len, 0);
		}
		if (!src)
			goto fail_zip;
		idx = zip_file_add(z, en->name, src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(src);
			goto fail_zip;
		}
		if (oi < 0 &&
		    zip_set_file_compression(z, (zip_uint64_t)idx, method,
					     level) < 0)
			goto fail_zip;
		if (zip_file_set_dostime(z, (zip_uint64_t)idx, dtime, ddate,
					 0) < 0)
			goto fail_zip;
		/* no extra fields (libzip adds none for buffers; make sure) */
		if (zip_file_extra_fields_count(z, (zip_uint64_t)idx, both) > 0)
			zip_file_extra_field_delete(z, (zip_uint64_t)idx,
						    ZIP_EXTRA_FIELD_ALL, both);
	}
	if (zip_close(z) < 0)
		goto fail_zip;
	epub_entries_free(entries, n);
	if (zip_source_open(mem) < 0 || zip_source_seek(mem, 0, SEEK_END) < 0 ||
	    (size = zip_source_tell(mem)) < 0 ||
	    zip_source_seek(mem, 0, SEEK_SET) < 0) {
		zip_error_set(&ze, ZIP_ER_INTERNAL, 0);
		zip_source_free(mem);
		goto fail;
	}
	buf_grow(out, (size_t)size);
	if (zip_source_read(mem, out->ptr + out->len, (zip_uint64_t)size) !=
	    size) {
		zip_source_close(mem);
		zip_source_free(mem);
		zip_error_set(&ze, ZIP_ER_READ, 0);
		goto fail;
	}
	out->len += (size_t)size;
	out->ptr[out->len] = '\0';
	zip_source_close(mem);
	zip_source_free(mem);
	zip_error_fini(&ze);
	return 0;
fail_zip:
	zip_error_set(&ze, zip_error_code_zip(zip_get_error(z)),
		      zip_error_code_system(zip_get_error(z)));
	zip_discard(z);
	zip_source_free(mem);
fail:
	epub_entries_free(entries, n);
	diag_error(e->d, path, 0, 0, "cannot build the EPUB: %s",
		   zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return -1;
}

/* A chapter whose file name is one of the generated pages. */
static int epub_check_names(const struct site *s, struct diag *d)
{
	size_t i, j;
	int r = 0;

	for (i = 0; i < s->n_chapters; i++)
		for (j = 0; j < EPUB_N_GENERATED; j++)
			if (s->chapters[i].xhtml_name &&
			    !strcmp(s->chapters[i].xhtml_name,
				    epub_generated[j]))
				r = diag_error(d, s->chapters[i].path, 1, 1,
					       "slug '%s' is taken by the "
					       "EPUB's own '%s': set another "
					       "slug in the front matter",
					       s->chapters[i].slug,
					       epub_generated[j]);
	return r;
}

int write_epub_check(const struct site *s, struct diag *d)
{
	size_t errors = d->errors, i, k;
	struct strset seen = STRSET_INIT;

	epub_check_names(s, d);
	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		for (k = 0; k < c->n_images; k++)
			if (!epub_media_type(c->images[k]) &&
			    strset_add(&seen, c->images[k], 0))
				epub_bad_image(s, c->images[k], d);
	}
	strset_release(&seen);
	if (s->cfg.cover && *s->cfg.cover)
		epub_cover_type(&s->cfg, d);
	return d->errors > errors ? -1 : 0;
}

/* Opens the EPUB at `path` as e->prev, mapped: libzip then copies its
 * entries from memory, not with a seek and a read of the file each. */
static void epub_open_prev(struct epub *e, const char *path)
{
	struct stat st;
	zip_error_t ze;
	zip_source_t *src;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		return;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	zip_error_init(&ze);
	src = zip_source_buffer_create(map, (zip_uint64_t)st.st_size, 0, &ze);
	if (src) {
		e->prev = zip_open_from_source(src, ZIP_RDONLY, &ze);
		if (!e->prev)
			zip_source_free(src);
	}
	zip_error_fini(&ze);
	if (!e->prev) {
		munmap(map, (size_t)st.st_size);
		return;
	}
	e->prev_map = map;
	e->prev_len = (size_t)st.st_size;
}

static void epub_close_prev(struct epub *e)
{
	if (e->prev)
		zip_discard(e->prev);
	if (e->prev_map)
		munmap(e->prev_map, e->prev_len);
	e->prev = NULL;
	e->prev_map = NULL;
}

static void epub_release(struct epub *e)
{
	size_t i;

	for (i = 0; i < e->n_files; i++) {
		free(e->files[i].href);
		free(e->files[i].id);
		buf_release(&e->files[i].data);
		epub_deflated_free(e->files[i].deflated);
	}
	free(e->files);
	for (i = 0; i < e->n_images; i++)
		free(e->images[i]);
	free(e->images);
	free(e->identifier);
	free(e->cover.href);
	free(e->cover.id);
	buf_release(&e->cover.data);
	free(e->cover_href);
	free(e->cover_src);
	strset_release(&e->documents);
	epub_close_prev(e);
	for (i = 0; i < POOL_MAX_THREADS; i++) {
		if (e->deflaters[i])
			libdeflate_free_compressor(e->deflaters[i]);
		buf_release(&e->deflate_out[i]);
	}
}

/* The whole-book documents made from the chapters' facts alone (nav,
 * NCX, checklist) are made, and deflated, as one more job of the chapter
 * workers (not on a thread of their own, whose memory would add to
 * theirs). Which of them the previous EPUB holds is decided before
 * (libzip's archives are not for two threads at once). */
struct epub_book_docs {
	struct epub *e;
	struct buf nav, ncx, checklist;
	zip_int64_t nav_reuse, ncx_reuse, checklist_reuse;
	struct epub_deflated *nav_z, *ncx_z, *checklist_z;
};

static void epub_book_docs_run(void *arg, size_t worker)
{
	struct epub_book_docs *b = arg;

	if (b->nav_reuse < 0) {
		epub_nav(b->e, &b->nav);
		b->nav_z = epub_deflate(b->e, worker, &b->nav);
	}
	if (b->ncx_reuse < 0) {
		epub_ncx(b->e, &b->ncx);
		b->ncx_z = epub_deflate(b->e, worker, &b->ncx);
	}
	if (b->e->has_tasks && b->checklist_reuse < 0) {
		epub_checklist(b->e, &b->checklist);
		b->checklist_z = epub_deflate(b->e, worker, &b->checklist);
	}
}

static void epub_book_docs_init(struct epub_book_docs *b, struct epub *e,
				const uint64_t *keys)
{
	memset(b, 0, sizeof(*b));
	b->e = e;
	epub_doc_reuse(e, DOC_NAV, keys[DOC_NAV], EPUB_NAV, &b->nav_reuse);
	epub_doc_reuse(e, DOC_NCX, keys[DOC_NCX], EPUB_NCX, &b->ncx_reuse);
	b->checklist_reuse = -1;
	if (e->has_tasks)
		epub_doc_reuse(e, DOC_CHECKLIST, keys[DOC_CHECKLIST],
			       EPUB_CHECKLIST, &b->checklist_reuse);
}

static void epub_book_docs_release(struct epub_book_docs *b)
{
	buf_release(&b->nav);
	buf_release(&b->ncx);
	buf_release(&b->checklist);
	epub_deflated_free(b->nav_z);
	epub_deflated_free(b->ncx_z);
	epub_deflated_free(b->checklist_z);
}

int write_epub(struct site *s, const struct theme *t, const char *prev,
	       const char *shown, long long epoch, struct buf *out,
	       struct diag *d)
{
	struct epub_part *parts = NULL;
	uint64_t stamp = s->epub_stamp, doc_keys[SITE_EPUB_DOCS];
	zip_int64_t ncx_reuse = -1;
	struct epub_deflated *ncx_z = NULL;
	struct epub_book_docs docs;
	struct epub e;
	struct buf mimetype = BUF_INIT, container = BUF_INIT, opf = BUF_INIT;
	struct buf ncx = BUF_INIT, css = BUF_INIT;
	struct buf *names = NULL;
	const struct theme_file *cssf = t ? theme_get(t, "epub.css") : NULL;
	struct epub_entry *entries = NULL;
	size_t i, n = 0, errors = d->errors;
	size_t f_cover, f_title, f_nav, f_first;
	int y, mo, dd, h, mi, sec, r = -1;

	xmlInitParser();    /* before any thread parses */
	memset(&e, 0, sizeof(e));
	memset(&docs, 0, sizeof(docs));
	for (i = 0; i < POOL_MAX_THREADS; i++)
		buf_init(&e.deflate_out[i]);
	buf_init(&e.cover.data);
	e.s = s;
	e.t = t;
	e.d = d;
	e.lang = s->cfg.language && *s->cfg.language ? s->cfg.language : "en";
	if (epub_has_control(e.lang) || xmlStrchr(X(e.lang), ' '))
		e.lang = "en";
	e.all_alt = 1;
	e.identifier = epub_identifier(&s->cfg);
	write_epub_civil_time(epoch < 0 ? 0 : epoch, &y, &mo, &dd, &h, &mi,
			      &sec);
	snprintf(e.modified, sizeof(e.modified),
		 "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, dd, h, mi, sec);
	if (!s->n_chapters) {
		diag_error(d, s->cfg.path, 0, 0, "the book has no chapters");
		goto out;
	}
	if (epub_check_names(s, d) < 0)
		goto out;
	/* the previous EPUB, to reuse what did not change: its chapter
	 * documents when the cache knows what they were made from, its other
	 * entries when they hold the same bytes */
	if (prev) {
		epub_open_prev(&e, prev);
		e.prev_trusted = e.prev && stamp && fs_stamp(prev) == stamp;
	}
	/* from here the chapters' facts describe this EPUB, not the one on
	 * disk, until it is written */
	s->epub_stamp = 0;
	s->epub_reused = 0;
	memcpy(e.old_doc_keys, s->epub_doc_keys, sizeof(e.old_doc_keys));
	memset(s->epub_doc_keys, 0, sizeof(s->epub_doc_keys));
	epub_documents(&e);

	/* e.files in container order; the pages that depend on the whole
	 * book are filled in last */
	f_cover = e.n_files;
	epub_add_file(&e, EPUB_COVER, "cover", "application/xhtml+xml",
		      NULL, 1);
	f_title = e.n_files;
	epub_add_file(&e, EPUB_TITLE, "titlepage", "application/xhtml+xml",
		      NULL, 1);
	f_nav = e.n_files;
	epub_add_file(&e, EPUB_NAV, "nav", "application/xhtml+xml", "nav", 1);
	f_first = e.n_files;
	for (i = 0; i < s->n_chapters; i++) {
		char *id = epub_chapter_id(&s->chapters[i], i);
		epub_add_file(&e, s->chapters[i].xhtml_name, id,
			      "application/xhtml+xml", NULL, 1);
		free(id);
	}
	/* what the documents of the whole book list, known from the facts
	 * (epub_take_parts() comes to the same) */
	for (i = 0; i < s->n_chapters; i++) {
		render_prepare(s, &s->chapters[i]);
		if (s->chapters[i].n_tasks)
			e.has_tasks = 1;
		/* (the length of a text in the cache's pack, so that its
		 * page is not read) */
		if (s->chapters[i].borrowed ?
			    s->chapters[i].kept[CHAPTER_TEXT_ANSWERS].len != 0 :
			    s->chapters[i].answers && *s->chapters[i].answers)
			e.has_quizzes = 1;
	}
	epub_doc_keys(&e, NULL, doc_keys);
	if (epub_cover(&e, &doc_keys[DOC_COVER]) < 0)
		goto out;
	epub_book_docs_init(&docs, &e, doc_keys);
	parts = xcalloc(s->n_chapters, sizeof(*parts));
	for (i = 0; i < s->n_chapters; i++) {
		parts[i].reuse = -1;
		diag_init(&parts[i].d);
	}
	epub_chapters(&e, parts, epub_book_docs_run, &docs);
	epub_take_parts(&e, parts, f_first);
	if (d->errors > errors)
		goto out;
	{
		uint64_t with_answers[SITE_EPUB_DOCS];
		epub_doc_keys(&e, parts, with_answers);
		doc_keys[DOC_ANSWERS] = with_answers[DOC_ANSWERS];
	}
	if (e.has_tasks) {
		struct epub_file *f = epub_add_file(
			&e, EPUB_CHECKLIST, "checklist", "application/xhtml+xml",
			NULL, 1);
		f->reuse = docs.checklist_reuse;
		f->deflated = docs.checklist_z;
		docs.checklist_z = NULL;
		if (!f->deflated) {
			f->data = docs.checklist;
			buf_init(&docs.checklist);
		}
	}
	if (e.has_quizzes) {
		struct epub_file *f = epub_add_file(
			&e, EPUB_ANSWERS, "answers", "application/xhtml+xml",
			NULL, 2);
		if (!epub_doc_reuse(&e, DOC_ANSWERS, doc_keys[DOC_ANSWERS],
				    EPUB_ANSWERS, &f->reuse))
			epub_answers(&e, parts, &f->data);
	}
	epub_take_cover(&e);
	if (epub_images(&e) < 0 || d->errors > errors)
		goto out;
	if (!e.content_images)
		e.all_alt = 0;
	epub_cover_page(&e, &e.files[f_cover].data);
	e.files[f_cover].properties = "svg";
	epub_title_page(&e, &e.files[f_title].data);
	e.files[f_nav].reuse = docs.nav_reuse;
	e.files[f_nav].deflated = docs.nav_z;
	docs.nav_z = NULL;
	if (!e.files[f_nav].deflated) {
		e.files[f_nav].data = docs.nav;
		buf_init(&docs.nav);
	}

	buf_adds(&mimetype, "application/epub+zip");
	epub_container(&container);
	epub_opf(&e, &opf);
	ncx_reuse = docs.ncx_reuse;
	ncx_z = docs.ncx_z;
	docs.ncx_z = NULL;
	if (!ncx_z) {
		ncx = docs.ncx;
		buf_init(&docs.ncx);
	}
	if (cssf)
		buf_add(&css, cssf->data, cssf->len);
	else
		buf_adds(&css, epub_fallback_css);

	/* mimetype first and stored; then the package, nav and NCX, so
	 * that readers which look at the start of the file find them */
	entries = xcalloc(e.n_files + 6, sizeof(*entries));
	for (i = 0; i < e.n_files + 6; i++)
		entries[i].reuse = -1;
	names = xcalloc(e.n_files, sizeof(*names));
	entries[n].name = "mimetype";
	entries[n].data = &mimetype;
	entries[n++].store = 1;
	entries[n].name = "META-INF/container.xml";
	entries[n++].data = &container;
	entries[n].name = "EPUB/package.opf";
	entries[n++].data = &opf;
	entries[n].name = "EPUB/" EPUB_NAV;
	entries[n].reuse = e.files[f_nav].reuse;
	entries[n].deflated = e.files[f_nav].deflated;
	e.files[f_nav].deflated = NULL;
	entries[n++].data = &e.files[f_nav].data;
	entries[n].name = "EPUB/" EPUB_NCX;
	entries[n].reuse = ncx_reuse;
	entries[n].deflated = ncx_z;
	ncx_z = NULL;
	entries[n++].data = &ncx;
	entries[n].name = "EPUB/" EPUB_CSS;
	entries[n++].data = &css;
	for (i = 0; i < e.n_files; i++) {
		buf_init(&names[i]);
		if (i == f_nav)
			continue;
		buf_addf(&names[i], "EPUB/%s", e.files[i].href);
		entries[n].name = names[i].ptr;
		entries[n].reuse = e.files[i].reuse;
		entries[n].deflated = e.files[i].deflated;
		e.files[i].deflated = NULL;     /* the entry's now */
		entries[n++].data = &e.files[i].data;
	}
	r = epub_zip(&e, shown, e.prev, entries, n, epoch, out);
	epub_close_prev(&e);
	if (r == 0)
		memcpy(s->epub_doc_keys, doc_keys, sizeof(doc_keys));
out:
	epub_book_docs_release(&docs);
	epub_deflated_free(ncx_z);
	if (parts) {
		for (i = 0; i < s->n_chapters; i++) {
			buf_release(&parts[i].xhtml);
			epub_deflated_free(parts[i].deflated);
			buf_release(&parts[i].answers);
			buf_release(&parts[i].images);
			diag_release(&parts[i].d);
		}
		free(parts);
	}
	if (names)
		for (i = 0; i < e.n_files; i++)
			buf_release(&names[i]);
	free(names);
	free(entries);
	buf_release(&mimetype);
	buf_release(&container);
	buf_release(&opf);
	buf_release(&ncx);
	buf_release(&css);
	epub_release(&e);
	return d->errors > errors ? -1 : r;
}
