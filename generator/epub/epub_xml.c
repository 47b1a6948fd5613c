/* epub_xml: XML documents of the EPUB, built with libxml2's tree API and
 * written as libxml2 serialises them; text written into them loses the
 * control characters XML cannot hold. */
#include "epub.h"
#include "hash.h"
#include "i18n.h"
#include "markdown_xhtml.h"

#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int epub_has_control(const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
			return 1;
	}
	return 0;
}

char *epub_clean(const char *s)
{
	struct buf b = BUF_INIT;

	epub_add_clean(&b, s ? s : "");
	return buf_detach(&b, NULL);
}

xmlNodePtr epub_text_child(xmlNodePtr parent, const char *name,
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

void epub_prop(xmlNodePtr node, const char *name, const char *value)
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

void epub_add_text(xmlNodePtr parent, const char *text)
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

/* ---- XML documents ---- */

void epub_dump(xmlDocPtr doc, int format, struct buf *out)
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

int epub_is_void(const xmlChar *name)
{
	static const char *const v[] = {
		"area",  "base", "br",   "col",   "embed",  "hr",    "img",
		"input", "link", "meta", "param", "source", "track", "wbr",
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

void epub_xhtml_dump(xmlDocPtr doc, int format, struct buf *out)
{
	epub_no_self_closing(xmlDocGetRootElement(doc));
	epub_dump(doc, format, out);
}

xmlDocPtr epub_xhtml_new(struct epub *e, const char *title, xmlNodePtr *body)
{
	return epub_xhtml_new_in(e->lang,
				 i18n_is_rtl(&e->s->i18n) ? "rtl" : NULL, title,
				 body);
}

xmlDocPtr epub_xhtml_new_in(const char *lang, const char *dir,
			    const char *title, xmlNodePtr *body)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlNodePtr html, head, link;

	xmlCreateIntSubset(doc, X("html"), NULL, NULL);
	html = xmlNewDocNode(doc, NULL, X("html"), NULL);
	xmlDocSetRootElement(doc, html);
	xmlSetNs(html, xmlNewNs(html, X(NS_XHTML), NULL));
	xmlNewNs(html, X(NS_EPUB), X("epub"));
	epub_prop(html, "lang", lang);
	xmlNodeSetLang(html, X(lang));
	if (dir)
		xmlSetProp(html, X("dir"), X(dir));
	head = xmlNewChild(html, NULL, X("head"), NULL);
	epub_text_child(head, "title", title);
	link = xmlNewChild(head, NULL, X("link"), NULL);
	xmlSetProp(link, X("rel"), X("stylesheet"));
	xmlSetProp(link, X("type"), X("text/css"));
	xmlSetProp(link, X("href"), X(EPUB_CSS));
	*body = xmlNewChild(html, NULL, X("body"), NULL);
	return doc;
}

void epub_epub_type(xmlNodePtr node, const char *type)
{
	xmlNsPtr ns = xmlSearchNsByHref(node->doc, node, X(NS_EPUB));

	xmlSetNsProp(node, ns, X("type"), X(type));
}

void epub_node_dump(xmlDocPtr doc, xmlNodePtr node, struct buf *out)
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

/* ---- XML written as text (see epub.h) ---- */

void epub_xw_init(struct epub_xw *w, struct buf *out, int hashing)
{
	w->out = out;
	w->depth = 0;
	w->hashing = hashing;
	w->hash = HASH_SEED;
	w->mark = out->len;
	w->ev_len = 0;
	w->in_value = 0;
}

void epub_xw_flush(struct epub_xw *w)
{
	/* what the caller wrote itself since the last element: hashed as
	 * it is, and dropped when only hashing; inside a value, keyed by
	 * the value */
	if (w->in_value)
		return;
	if (w->out->len > w->mark)
		w->hash = hash_mix(w->hash, w->out->ptr + w->mark,
				   w->out->len - w->mark);
	if (w->hashing)
		buf_truncate(w->out, w->mark);
	w->mark = w->out->len;
}

uint64_t epub_xw_key(struct epub_xw *w)
{
	epub_xw_flush(w);
	return w->hash;
}

/* Adds `n` bytes to the element being keyed, hashing the gathered bytes
 * whenever they fill ev[]: one hash for most elements, not one a piece. */
static void epub_xw_ev(struct epub_xw *w, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		size_t room = sizeof(w->ev) - w->ev_len,
		       k = n < room ? n : room;
		if (!room) {
			w->hash = hash_mix(w->hash, w->ev, w->ev_len);
			w->ev_len = 0;
			continue;
		}
		memcpy(w->ev + w->ev_len, c, k);
		w->ev_len += k;
		c += k;
		n -= k;
	}
}

/* ... a string, with its terminator (NULL is ""). */
static void epub_xw_ev_str(struct epub_xw *w, const char *s)
{
	if (!s)
		s = "";
	epub_xw_ev(w, s, strlen(s) + 1);
}

/* Starts an element of `kind` (EPUB_XW_*): ends the caller's own bytes
 * before it, and hashes what makes the element's bytes, as they are
 * given, not as they are written. Returns whether to write it. */
static int epub_xw_event(struct epub_xw *w, int kind, const char *name,
			 const char *const *attrs, const char *text)
{
	unsigned char head[5];

	if (w->in_value)
		return !w->hashing; /* keyed by the value */
	epub_xw_flush(w);
	head[0] = (unsigned char)kind;
	head[1] = (unsigned char)(w->depth >> 24);
	head[2] = (unsigned char)(w->depth >> 16);
	head[3] = (unsigned char)(w->depth >> 8);
	head[4] = (unsigned char)w->depth;
	w->ev_len = 0;
	epub_xw_ev(w, head, sizeof(head));
	epub_xw_ev_str(w, name);
	for (; attrs && *attrs; attrs += 2) {
		epub_xw_ev_str(w, attrs[0]);
		epub_xw_ev_str(w, attrs[1]);
	}
	epub_xw_ev(w, "", 1); /* the end of the attributes */
	if (kind == EPUB_XW_LEAF)
		epub_xw_ev_str(w, text);
	w->hash = hash_mix(w->hash, w->ev, w->ev_len);
	return !w->hashing;
}

int epub_xw_value_begin(struct epub_xw *w, const char *what, uint64_t h)
{
	unsigned char v[8];
	int k;

	for (k = 0; k < 8; k++)
		v[k] = (unsigned char)(h >> (8 * k));
	epub_xw_event(w, EPUB_XW_VALUE, what, NULL, NULL);
	w->ev_len = 0;
	epub_xw_ev(w, v, sizeof(v));
	w->hash = hash_mix(w->hash, w->ev, w->ev_len);
	w->in_value = 1;
	return !w->hashing;
}

void epub_xw_value_end(struct epub_xw *w)
{
	w->in_value = 0;
	w->mark = w->out->len;
}

void epub_xw_escape(struct buf *out, const char *s, int attr)
{
	/* as the chapters' XHTML is escaped: as libxml2 escapes */
	if (s)
		markdown_xhtml_escape(out, s, strlen(s), attr);
}

void epub_xw_indent(const struct epub_xw *w)
{
	int i;

	for (i = 0; i < w->depth; i++)
		buf_adds(w->out, "  ");
}

static void epub_xw_start(struct epub_xw *w, const char *name,
			  const char *const *attrs)
{
	epub_xw_indent(w);
	buf_addch(w->out, '<');
	buf_adds(w->out, name);
	for (; attrs && *attrs; attrs += 2) {
		buf_addch(w->out, ' ');
		buf_adds(w->out, attrs[0]);
		buf_adds(w->out, "=\"");
		epub_xw_escape(w->out, attrs[1], 1);
		buf_addch(w->out, '"');
	}
}

void epub_xw_open(struct epub_xw *w, const char *name, const char *const *attrs)
{
	if (epub_xw_event(w, EPUB_XW_OPEN, name, attrs, NULL)) {
		epub_xw_start(w, name, attrs);
		buf_adds(w->out, ">\n");
	}
	w->depth++;
	w->mark = w->out->len;
}

void epub_xw_close(struct epub_xw *w, const char *name)
{
	w->depth--;
	if (epub_xw_event(w, EPUB_XW_CLOSE, name, NULL, NULL)) {
		epub_xw_indent(w);
		buf_adds(w->out, "</");
		buf_adds(w->out, name);
		buf_adds(w->out, ">\n");
	}
	w->mark = w->out->len;
}

void epub_xw_leaf(struct epub_xw *w, const char *name, const char *const *attrs,
		  const char *text)
{
	if (epub_xw_event(w, EPUB_XW_LEAF, name, attrs, text)) {
		epub_xw_start(w, name, attrs);
		buf_addch(w->out, '>');
		epub_xw_escape(w->out, text, 0);
		buf_adds(w->out, "</");
		buf_adds(w->out, name);
		buf_adds(w->out, ">\n");
	}
	w->mark = w->out->len;
}

void epub_xw_empty(struct epub_xw *w, const char *name,
		   const char *const *attrs)
{
	if (epub_xw_event(w, EPUB_XW_EMPTY, name, attrs, NULL)) {
		epub_xw_start(w, name, attrs);
		buf_adds(w->out, "/>\n");
	}
	w->mark = w->out->len;
}

void epub_xw_xhtml_begin(struct epub_xw *w, struct epub *e, const char *title)
{
	const char *const html[] = { "xmlns", NS_XHTML, "xmlns:epub", NS_EPUB,
				     "lang",  e->lang,  "xml:lang",   e->lang,
				     "dir",   "rtl",    NULL };
	const char *const link[] = { "rel",  "stylesheet", "type", "text/css",
				     "href", EPUB_CSS,     NULL };

	buf_adds(w->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<!DOCTYPE html>\n");
	w->depth = 0;
	if (!i18n_is_rtl(&e->s->i18n)) {
		/* no dir: the pairs end before it */
		const char *const ltr[] = { html[0], html[1], html[2],
					    html[3], html[4], html[5],
					    html[6], html[7], NULL };
		epub_xw_open(w, "html", ltr);
	} else {
		epub_xw_open(w, "html", html);
	}
	epub_xw_open(w, "head", NULL);
	epub_xw_leaf(w, "title", NULL, title);
	epub_xw_empty(w, "link", link);
	epub_xw_close(w, "head");
	epub_xw_open(w, "body", NULL);
}

void epub_xw_xhtml_end(struct epub_xw *w)
{
	epub_xw_close(w, "body");
	epub_xw_close(w, "html");
}
