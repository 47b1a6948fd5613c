/* epub_package: the package document (metadata, manifest, spine,
 * guide), META-INF/container.xml, and the book's identifier. */
#include "epub.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- package document ---- */

static xmlNodePtr epub_meta(xmlNodePtr md, const char *property,
			    const char *value)
{
	xmlNodePtr m = epub_text_child(md, "meta", value);

	xmlSetProp(m, X("property"), X(property));
	return m;
}

static void epub_guide(xmlNodePtr guide, const char *type, const char *title,
		       const char *href)
{
	xmlNodePtr n = xmlNewChild(guide, NULL, X("reference"), NULL);

	xmlSetProp(n, X("type"), X(type));
	xmlSetProp(n, X("title"), X(title));
	epub_prop(n, "href", href);
}

/* The package's metadata: Dublin Core, and the cover's. */
static xmlNodePtr epub_opf_metadata(struct epub *e, xmlNodePtr pkg)
{
	const struct config *cfg = &e->s->cfg;
	xmlNodePtr md, n;
	xmlNsPtr dc;

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
	return md;
}

/* The metadata of EPUB Accessibility 1.1. */
static void epub_opf_a11y(struct epub *e, xmlNodePtr md)
{
	struct buf summary = BUF_INIT;

	epub_meta(md, "dcterms:conformsTo",
		  "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
	epub_meta(md, "schema:accessMode", "textual");
	epub_meta(md, "schema:accessMode", "visual");
	epub_meta(md, "schema:accessModeSufficient", "textual");
	epub_meta(md, "schema:accessibilityFeature", "structuralNavigation");
	epub_meta(md, "schema:accessibilityFeature", "tableOfContents");
	epub_meta(md, "schema:accessibilityFeature", "readingOrder");
	if (e->all_alt)
		epub_meta(md, "schema:accessibilityFeature", "alternativeText");
	epub_meta(md, "schema:accessibilityHazard", "none");
	buf_adds(&summary, i18n_str(&e->s->i18n, "a11y_summary"));
	if (e->all_alt) {
		buf_addch(&summary, ' ');
		buf_adds(&summary, i18n_str(&e->s->i18n, "a11y_alt"));
	}
	epub_meta(md, "schema:accessibilitySummary", summary.ptr);
	buf_release(&summary);
}

/* Marks where the files' items go in the package as libxml2 writes it:
 * a comment in the manifest and one in the spine, each on a line of its
 * own, replaced by epub_opf_splice(). */
#define EPUB_OPF_ITEMS "stepbook-items"
#define EPUB_OPF_REFS "stepbook-itemrefs"
/* The items' indentation: two levels in, as libxml2 indents. */
#define EPUB_OPF_INDENT "    "

/* The manifest and the spine, which follows it: the two fixed items, and
 * a mark in each for the files' items. */
static void epub_opf_manifest(struct epub *e, xmlNodePtr pkg)
{
	xmlNodePtr man, spine, n;

	man = xmlNewChild(pkg, NULL, X("manifest"), NULL);
	spine = xmlNewChild(pkg, NULL, X("spine"), NULL);
	xmlSetProp(spine, X("toc"), X("ncx"));
	if (i18n_is_rtl(&e->s->i18n))
		xmlSetProp(spine, X("page-progression-direction"), X("rtl"));
	n = xmlNewChild(man, NULL, X("item"), NULL);
	xmlSetProp(n, X("id"), X("ncx"));
	xmlSetProp(n, X("href"), X(EPUB_NCX));
	xmlSetProp(n, X("media-type"), X("application/x-dtbncx+xml"));
	n = xmlNewChild(man, NULL, X("item"), NULL);
	xmlSetProp(n, X("id"), X("css"));
	xmlSetProp(n, X("href"), X(EPUB_CSS));
	xmlSetProp(n, X("media-type"), X("text/css"));
	xmlAddChild(man, xmlNewComment(X(EPUB_OPF_ITEMS)));
	xmlAddChild(spine, xmlNewComment(X(EPUB_OPF_REFS)));
	/* the spine comes after the manifest */
	xmlUnlinkNode(spine);
	xmlAddNextSibling(man, spine);
}

/* ` name="value"`, escaped as libxml2 escapes an attribute. */
static void epub_opf_attr(struct buf *out, const char *name, const char *value)
{
	buf_addch(out, ' ');
	buf_adds(out, name);
	buf_adds(out, "=\"");
	epub_xw_escape(out, value, 1);
	buf_addch(out, '"');
}

/* The files' items and itemrefs, written as text: a book has one of each
 * per chapter, and a libxml2 tree of them cost more than the rest of the
 * package. The same bytes as the tree would give (see the tests). */
static void epub_opf_items(struct epub *e, struct buf *items, struct buf *refs)
{
	size_t i;

	for (i = 0; i < e->n_files; i++) {
		const struct epub_file *f = &e->files[i];
		/* percent-encoded: no control character is left for
		 * epub_prop() to clean */
		char *href = epub_href(f->href);
		buf_adds(items, EPUB_OPF_INDENT "<item");
		epub_opf_attr(items, "id", f->id);
		epub_opf_attr(items, "href", href);
		epub_opf_attr(items, "media-type", f->media_type);
		if (f->properties)
			epub_opf_attr(items, "properties", f->properties);
		buf_adds(items, "/>\n");
		free(href);
		if (f->spine) {
			buf_adds(refs, EPUB_OPF_INDENT "<itemref");
			epub_opf_attr(refs, "idref", f->id);
			if (f->spine == 2)
				epub_opf_attr(refs, "linear", "no");
			buf_adds(refs, "/>\n");
		}
	}
}

/* Appends `doc` to `out` with the line of each mark replaced by its
 * text. */
static void epub_opf_splice(const struct buf *doc, const struct buf *items,
			    const struct buf *refs, struct buf *out)
{
	const char *const marks[] = { EPUB_OPF_INDENT "<!--" EPUB_OPF_ITEMS
						      "-->\n",
				      EPUB_OPF_INDENT "<!--" EPUB_OPF_REFS
						      "-->\n" };
	const struct buf *const texts[] = { items, refs };
	const char *p = doc->ptr;
	size_t k;

	for (k = 0; k < 2; k++) {
		const char *at = strstr(p, marks[k]);
		if (!at) {
			fputs("stepbook: cannot lay out the package\n", stderr);
			exit(3);
		}
		buf_add(out, p, (size_t)(at - p));
		buf_add(out, texts[k]->ptr, texts[k]->len);
		p = at + strlen(marks[k]);
	}
	buf_adds(out, p);
}

void epub_opf(struct epub *e, struct buf *out)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr pkg = xmlNewDocNode(doc, NULL, X("package"), NULL);
	struct buf tree = BUF_INIT, items = BUF_INIT, refs = BUF_INIT;

	xmlDocSetRootElement(doc, pkg);
	xmlSetNs(pkg, xmlNewNs(pkg, X(NS_OPF), NULL));
	xmlSetProp(pkg, X("version"), X("3.0"));
	xmlSetProp(pkg, X("unique-identifier"), X("pub-id"));
	xmlNodeSetLang(pkg, X(e->lang));
	epub_opf_a11y(e, epub_opf_metadata(e, pkg));
	epub_opf_manifest(e, pkg);
	/* the EPUB 2 guide, which EPUB 3 keeps for older readers: Kindle's
	 * conversion and calibre find the cover page there, and show the
	 * cover image in its place rather than that page after it */
	{
		xmlNodePtr guide = xmlNewChild(pkg, NULL, X("guide"), NULL);
		char *first = epub_href(e->s->chapters[0].xhtml_name);
		epub_guide(guide, "cover", i18n_str(&e->s->i18n, "cover"),
			   EPUB_COVER);
		epub_guide(guide, "toc", i18n_str(&e->s->i18n, "contents"),
			   EPUB_NAV);
		epub_guide(guide, "text",
			   i18n_str(&e->s->i18n, "start_reading"), first);
		free(first);
	}
	epub_dump(doc, 1, &tree);
	xmlFreeDoc(doc);
	epub_opf_items(e, &items, &refs);
	epub_opf_splice(&tree, &items, &refs, out);
	buf_release(&tree);
	buf_release(&items);
	buf_release(&refs);
}

void epub_container(struct buf *out)
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

char *epub_identifier(const struct config *cfg)
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
