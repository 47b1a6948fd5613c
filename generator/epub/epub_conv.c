/* epub_conv: an HTML fragment made XHTML through libxml2's HTML parser,
 * as a tree copied node by node with the EPUB's rules: the way of
 * chapters with raw HTML (unsafe_html). The rules are those
 * markdown_xhtml.c follows for the chapters without; epub_xhtml.c
 * finishes those, and their XHTML is spliced into the document where
 * the tree marks it (conv_add_ready(), conv_splice()). */
#include "epub.h"
#include "i18n.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "xalloc.h"
#include "path.h"

/* ---- HTML fragments to XHTML ---- */

/* What stands for a fragment made without the tree until conv_splice(). */
#define CONV_READY_MARK "stepbook-ready-"

static const char *const svg_names[] = {
	"altGlyph",
	"altGlyphDef",
	"altGlyphItem",
	"animateColor",
	"animateMotion",
	"animateTransform",
	"clipPath",
	"feBlend",
	"feColorMatrix",
	"feComponentTransfer",
	"feComposite",
	"feConvolveMatrix",
	"feDiffuseLighting",
	"feDisplacementMap",
	"feDistantLight",
	"feDropShadow",
	"feFlood",
	"feFuncA",
	"feFuncB",
	"feFuncG",
	"feFuncR",
	"feGaussianBlur",
	"feImage",
	"feMerge",
	"feMergeNode",
	"feMorphology",
	"feOffset",
	"fePointLight",
	"feSpecularLighting",
	"feSpotLight",
	"feTile",
	"feTurbulence",
	"foreignObject",
	"glyphRef",
	"linearGradient",
	"radialGradient",
	"textPath",
	/* attributes */
	"attributeName",
	"attributeType",
	"baseFrequency",
	"baseProfile",
	"calcMode",
	"clipPathUnits",
	"diffuseConstant",
	"edgeMode",
	"filterUnits",
	"gradientTransform",
	"gradientUnits",
	"kernelMatrix",
	"kernelUnitLength",
	"keyPoints",
	"keySplines",
	"keyTimes",
	"lengthAdjust",
	"limitingConeAngle",
	"markerHeight",
	"markerUnits",
	"markerWidth",
	"maskContentUnits",
	"maskUnits",
	"numOctaves",
	"pathLength",
	"patternContentUnits",
	"patternTransform",
	"patternUnits",
	"pointsAtX",
	"pointsAtY",
	"pointsAtZ",
	"preserveAlpha",
	"preserveAspectRatio",
	"primitiveUnits",
	"refX",
	"refY",
	"repeatCount",
	"repeatDur",
	"requiredExtensions",
	"requiredFeatures",
	"specularConstant",
	"specularExponent",
	"spreadMethod",
	"startOffset",
	"stdDeviation",
	"stitchTiles",
	"surfaceScale",
	"systemLanguage",
	"tableValues",
	"targetX",
	"targetY",
	"textLength",
	"viewBox",
	"viewTarget",
	"xChannelSelector",
	"yChannelSelector",
	"zoomAndPan",
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

void conv_note_id(struct conv *cv, const char *id)
{
	cv->ids = xgrow(cv->ids, sizeof(*cv->ids), cv->n_ids + 1, &cv->cap_ids);
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

char *conv_unique_id(struct conv *cv, const char *base)
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

void conv_release(struct conv *cv)
{
	size_t i;

	for (i = 0; i < cv->n_ids; i++)
		free(cv->ids[i]);
	free(cv->ids);
	cv->ids = NULL;
	cv->n_ids = cv->cap_ids = 0;
	for (i = 0; i < cv->n_ready; i++)
		buf_release(&cv->ready[i]);
	free(cv->ready);
	cv->ready = NULL;
	cv->n_ready = cv->cap_ready = 0;
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
		"allowfullscreen",
		"async",
		"autofocus",
		"autoplay",
		"checked",
		"controls",
		"default",
		"defer",
		"disabled",
		"formnovalidate",
		"hidden",
		"ismap",
		"loop",
		"multiple",
		"muted",
		"nomodule",
		"novalidate",
		"open",
		"playsinline",
		"readonly",
		"required",
		"reversed",
		"selected",
		NULL,
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
			raw = xmlStrdup(
				X(conv_name_in(name, boolean) ? name : ""));
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
				xmlSetNsProp(el,
					     xmlSearchNs(cv->doc, el, X("xml")),
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

int conv_image_of_chapter(const struct conv *cv, const char *path)
{
	size_t i;

	for (i = 0; path && i < cv->env->n_images; i++)
		if (!strcmp(cv->env->images[i], path))
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
		cv->part->flags |= EPUB_CHAPTER_IMAGES;
		if (!alt || !*alt)
			cv->part->flags |= EPUB_CHAPTER_NO_ALT;
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
			if (*url && !conv_image_of_chapter(cv, path))
				diag_warning(&cv->part->d, cv->env->where, 0, 0,
					     "image '%s' left out of the "
					     "EPUB: not a PNG, JPEG, GIF, SVG "
					     "or WebP file in content/",
					     url);
			if (alt && *alt)
				epub_add_text(dst, (const char *)alt);
		}
	}
	free(path);
	xmlFree(srcattr);
	xmlFree(alt);
}

/* The absolute address of `href`, a relative link that leaves the book,
 * written on the page `page` of a site published at `base` (an absolute
 * http(s) URL); NULL when it climbs above the host. */
static char *conv_absolute(const char *base, const char *page, const char *href)
{
	const char *host = strstr(base, "://"), *p, *q;
	struct buf out = BUF_INIT, path = BUF_INIT;
	size_t root;

	if (!host)
		return NULL;
	p = strchr(host + 3, '/');
	if (!p)
		p = base + strlen(base);
	buf_add(&out, base, (size_t)(p - base));
	root = out.len; /* ".." stops at the host */
	/* the site's folder, the page's folder within it, then the link */
	buf_adds(&path, p);
	if (!path.len || path.ptr[path.len - 1] != '/')
		buf_addch(&path, '/');
	if ((q = strrchr(page, '/')))
		buf_add(&path, page, (size_t)(q - page) + 1);
	buf_adds(&path, href);
	for (p = path.ptr; *p;) {
		size_t l = strcspn(p, "/");

		if (l == 2 && p[0] == '.' && p[1] == '.') {
			while (out.len > root && out.ptr[out.len - 1] != '/')
				out.len--;
			if (out.len <= root) {
				buf_release(&out);
				buf_release(&path);
				return NULL;
			}
			buf_truncate(&out, out.len - 1);
		} else if (l && !(l == 1 && *p == '.')) {
			buf_addch(&out, '/');
			buf_add(&out, p, l);
		}
		p += l;
		if (*p == '/' && !*++p)
			buf_addch(&out, '/');
	}
	buf_release(&path);
	return buf_detach(&out, NULL);
}

int conv_link_ok(struct conv *cv, const char *href, char **fixed)
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
	if (!path && href[0] != '/' && cv->env->page && cv->env->base_url &&
	    *cv->env->base_url) {
		/* a link out of the book (an mdBook book's "../std/"): on
		 * the web beside the site, so absolute through base_url;
		 * without it, the link's text alone */
		*fixed = conv_absolute(cv->env->base_url, cv->env->page, href);
		return *fixed != NULL;
	}
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
 * out with their content kept. */
static const char *const conv_dropped[] = {
	"script",   "noscript", "style",  "input",  "button", "select",
	"textarea", "option",   "iframe", "object", "embed",  "template",
	"link",     "meta",     "base",   "title",  "head",   "frame",
	"frameset", "applet",   NULL,
};
static const char *const conv_unwrapped[] = {
	"html", "body", "form", "font", "center", NULL,
};

/* A link: to a document of the EPUB, with the roles of cmark-gfm's
 * footnote links; to a file the EPUB does not carry, its text alone. */
static void conv_link(struct conv *cv, xmlNodePtr dst, xmlNodePtr src,
		      xmlNsPtr ns)
{
	xmlChar *href = conv_get(src, "href");
	char *fixed;
	int ok = conv_link_ok(cv, (const char *)href, &fixed);
	xmlNodePtr el;

	xmlFree(href);
	if (!ok) {
		/* a file the EPUB does not carry: keep the text */
		conv_children(cv, dst, src->children, ns, 0);
		return;
	}
	el = xmlNewNode(ns, X("a"));
	xmlAddChild(dst, el);
	conv_attrs(cv, el, src, 0);
	epub_prop(el, "href", fixed);
	free(fixed);
	if (conv_has(src, "data-footnote-ref")) {
		xmlSetNsProp(el, cv->epub, X("type"), X("noteref"));
		xmlSetProp(el, X("role"), X("doc-noteref"));
	}
	conv_children(cv, el, src->children, ns, 0);
	if (conv_has(src, "data-footnote-backref")) {
		xmlSetProp(el, X("role"), X("doc-backlink"));
		/* U+FE0E: the arrow as text, not emoji */
		if (el->children && !el->children->next &&
		    el->children->type == XML_TEXT_NODE &&
		    !xmlStrcmp(el->children->content, X("\xE2\x86\xA9")))
			xmlNodeSetContent(el->children,
					  X("\xE2\x86\xA9\xEF\xB8\x8E"));
	}
}

/* Marks element `el` made of HTML element `src`: task lists and their
 * items for epub.css, cmark-gfm's footnotes as EPUB endnotes. Returns
 * whether `el` is the section of the footnotes (cv->in_footnotes is then
 * one more). */
static int conv_marks(struct conv *cv, xmlNodePtr el, xmlNodePtr src,
		      const char *name)
{
	int footnotes = 0;

	if (!strcmp(name, "li") && conv_is_task_item(src)) {
		/* so that epub.css can drop the bullets */
		conv_add_class(el, "task-item");
	} else if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
		xmlNodePtr li;
		for (li = src->children; li; li = li->next)
			if (li->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(li->name, X("li")) &&
			    conv_is_task_item(li))
				break;
		if (li)
			conv_add_class(el, "task-list");
	}
	if (!strcmp(name, "section") && conv_has(src, "data-footnotes")) {
		/* cmark-gfm's footnotes: EPUB endnotes */
		xmlSetNsProp(el, cv->epub, X("type"), X("endnotes"));
		xmlSetProp(el, X("role"), X("doc-endnotes"));
		epub_prop(el, "aria-label", cv->env->notes);
		footnotes = 1;
		cv->in_footnotes++;
	} else if (cv->in_footnotes && !strcmp(name, "li") &&
		   conv_has(src, "id")) {
		xmlSetNsProp(el, cv->epub, X("type"), X("endnote"));
	}
	return footnotes;
}

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
			conv_link(cv, dst, src, ns);
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
	if (!in_svg)
		footnotes = conv_marks(cv, el, src, name);
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

void conv_add_ready(struct conv *cv, xmlNodePtr dst, struct buf *fragment)
{
	struct buf mark = BUF_INIT;

	buf_addf(&mark, CONV_READY_MARK "%zu", cv->n_ready);
	xmlAddChild(dst, xmlNewComment(X(mark.ptr)));
	buf_release(&mark);
	cv->ready = xgrow(cv->ready, sizeof(*cv->ready), cv->n_ready + 1,
			  &cv->cap_ready);
	cv->ready[cv->n_ready++] = *fragment;
	buf_init(fragment);
}

void conv_splice(struct conv *cv, struct buf *out, size_t from)
{
	size_t k;

	for (k = 0; k < cv->n_ready; k++) {
		struct buf mark = BUF_INIT;
		char *at;
		buf_addf(&mark, "<!--" CONV_READY_MARK "%zu-->", k);
		at = compat_memmem(out->ptr + from, out->len - from, mark.ptr,
				   mark.len);
		if (at) {
			size_t pos = (size_t)(at - out->ptr);
			size_t tail = out->len - pos - mark.len;
			const struct buf *f = &cv->ready[k];
			buf_grow(out, f->len);
			memmove(out->ptr + pos + f->len,
				out->ptr + pos + mark.len, tail + 1);
			memcpy(out->ptr + pos, f->ptr, f->len);
			out->len = out->len - mark.len + f->len;
		}
		buf_release(&mark);
	}
}

int conv_fragment(struct conv *cv, xmlNodePtr dst, const char *html, size_t len)
{
	struct buf wrapped = BUF_INIT;
	xmlDocPtr hdoc = NULL;
	xmlNodePtr root, n;

	cv->parsed++;
	buf_adds(&wrapped, "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
			   "</head><body>");
	buf_add(&wrapped, html, len);
	buf_adds(&wrapped, "</body></html>");
	hdoc = htmlReadMemory(wrapped.ptr, (int)wrapped.len, NULL, "UTF-8",
			      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				      HTML_PARSE_NONET);
	buf_release(&wrapped);
	if (!hdoc)
		return diag_error(&cv->part->d, cv->env->where, 0, 0,
				  "cannot parse the rendered chapter for the "
				  "EPUB");
	root = xmlDocGetRootElement(hdoc);
	for (n = root ? root->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(n->name, X("body")))
			conv_children(cv, dst, n->children, cv->xhtml, 0);
	xmlFreeDoc(hdoc);
	return 0;
}

void conv_init(struct conv *cv, struct epub *e, const struct conv_env *env,
	       struct epub_part *p, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	memset(cv, 0, sizeof(*cv));
	cv->e = e;
	cv->part = p;
	cv->env = env;
	cv->doc = doc;
	cv->xhtml = xmlSearchNsByHref(doc, root, X(NS_XHTML));
	cv->epub = xmlSearchNsByHref(doc, root, X(NS_EPUB));
}
