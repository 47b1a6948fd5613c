/* markdown_xhtml: cmark-gfm's tree written as the EPUB's XHTML (see
 * markdown_xhtml.h). The markup follows cmark-gfm's HTML renderer line
 * for line, so that the EPUB says what the site says. */
#include "markdown_xhtml.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm/buffer.h>
#include <cmark-gfm/houdini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "path.h"

/* cmark-gfm's node, for what its API does not give of footnotes: the
 * definition a reference points to, and the number of references. */
#include <cmark-gfm/node.h>

/* The text of a footnote's back links, and the variation selector that
 * asks for the arrow as text, not emoji (U+21A9 U+FE0E). */
#define XHTML_BACKREF "\xE2\x86\xA9\xEF\xB8\x8E"
#define XHTML_BACKREF_ARROW "\xE2\x86\xA9"

struct xhtml {
	struct buf *out;
	size_t start;     /* where this rendering began in out */
	int footnotes;    /* definitions written so far */
	int backref_done; /* the current definition's back links written */
	const char *notes_label;    /* the footnotes' aria-label */
	const char *backlink_label; /* each back link's */
	int rtl; /* a right-to-left book: code blocks say they are not */
};

void markdown_xhtml_escape(struct buf *out, const char *s, size_t len, int attr)
{
	const char *end = s + len, *run = s;

	for (; s < end; s++) {
		unsigned char ch = (unsigned char)*s;
		const char *rep = NULL;
		switch (ch) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		case '\r':
			rep = "&#13;";
			break;
		case 0xEF:
			/* U+FFFE and U+FFFF, no XML characters: left out */
			if (end - s >= 3 && (unsigned char)s[1] == 0xBF &&
			    ((unsigned char)s[2] == 0xBE ||
			     (unsigned char)s[2] == 0xBF)) {
				buf_add(out, run, (size_t)(s - run));
				s += 2;
				run = s + 1;
			}
			continue;
		case 0xEE:
			if (end - s >= 3 && (unsigned char)s[1] == 0x80 &&
			    ((unsigned char)s[2] == 0x90 ||
			     (unsigned char)s[2] == 0x91)) {
				buf_add(out, run, (size_t)(s - run));
				buf_adds(out, (unsigned char)s[2] == 0x90
						      ? MARKDOWN_XHTML_MARK_REF
						      : MARKDOWN_XHTML_END_REF);
				s += 2;
				run = s + 1;
			}
			continue;
		default:
			if (ch < 0x20) {
				/* a character XML cannot hold: left out */
				buf_add(out, run, (size_t)(s - run));
				run = s + 1;
			}
			continue;
		}
		if (rep) {
			buf_add(out, run, (size_t)(s - run));
			buf_adds(out, rep);
			run = s + 1;
		}
	}
	buf_add(out, run, (size_t)(end - run));
}

static void xhtml_text(struct xhtml *x, const char *s)
{
	if (s)
		markdown_xhtml_escape(x->out, s, strlen(s), 0);
}

static void xhtml_attr(struct xhtml *x, const char *s)
{
	if (s)
		markdown_xhtml_escape(x->out, s, strlen(s), 1);
}

/* cmark-gfm's: a new line unless the output is empty or ends with one. */
static void xhtml_cr(struct xhtml *x)
{
	if (x->out->len > x->start && x->out->ptr[x->out->len - 1] != '\n')
		buf_addch(x->out, '\n');
}

/* Whether cmark-gfm writes no destination for `url` (its
 * scan_dangerous_url()): javascript:, vbscript:, file: and data: but for
 * PNG, GIF, JPEG and WebP images. */
static int xhtml_dangerous(const char *url)
{
	static const char *const images[] = { "png", "gif", "jpeg", "webp" };
	size_t i;

	if (!strncasecmp(url, "data:image/", 11))
		for (i = 0; i < sizeof(images) / sizeof(*images); i++)
			if (!strncasecmp(url + 11, images[i],
					 strlen(images[i])))
				return 0;
	return !strncasecmp(url, "javascript:", 11) ||
	       !strncasecmp(url, "vbscript:", 9) ||
	       !strncasecmp(url, "file:", 5) || !strncasecmp(url, "data:", 5);
}

void markdown_xhtml_href(struct buf *out, const char *url)
{
	cmark_strbuf sb;
	const char *p, *q;

	if (!url || xhtml_dangerous(url))
		return;
	cmark_strbuf_init(cmark_get_default_mem_allocator(), &sb, 0);
	houdini_escape_href(&sb, (const uint8_t *)url, (bufsize_t)strlen(url));
	/* houdini writes '&' and '\'' as entities, which an HTML parser
	 * reads back as the characters */
	for (p = cmark_strbuf_cstr(&sb); (q = strchr(p, '&')); p = q) {
		buf_add(out, p, (size_t)(q - p));
		if (!strncmp(q, "&amp;", 5)) {
			buf_addch(out, '&');
			q += 5;
		} else if (!strncmp(q, "&#x27;", 6)) {
			buf_addch(out, '\'');
			q += 6;
		} else {
			buf_addch(out, '&');
			q++;
		}
	}
	buf_adds(out, p);
	cmark_strbuf_free(&sb);
}

/* The plain text of an image's description, as cmark-gfm writes it into
 * alt: text and code as they are, breaks as spaces, markup dropped. */
static void xhtml_plain(cmark_node *node, struct buf *out)
{
	cmark_node *c;

	for (c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			buf_adds(out, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_SOFTBREAK:
			buf_addch(out, ' ');
			break;
		default:
			xhtml_plain(c, out);
		}
	}
}

/* Whether custom node markup `s` opens with the box of a task item
 * (render_task_open()). */
static int xhtml_is_task_box(const char *s)
{
	static const char box[] = "<span class=\"task-box\"";

	return s && !strncmp(s, box, sizeof(box) - 1) &&
	       (s[sizeof(box) - 1] == ' ' || s[sizeof(box) - 1] == '>');
}

/* Whether an item opens with a task box: its first element, or the first
 * element of its first paragraph, is the task's (as epub.css expects the
 * class "task-item"). Text before it does not count, as it is no
 * element. */
static int xhtml_is_task_item(cmark_node *item)
{
	cmark_node *n = cmark_node_first_child(item);

	if (n && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
		n = cmark_node_first_child(n);
		while (n && (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
			     cmark_node_get_type(n) == CMARK_NODE_SOFTBREAK))
			n = cmark_node_next(n);
		return n &&
		       cmark_node_get_type(n) == CMARK_NODE_CUSTOM_INLINE &&
		       xhtml_is_task_box(cmark_node_get_on_enter(n));
	}
	return n && cmark_node_get_type(n) == CMARK_NODE_CUSTOM_BLOCK &&
	       xhtml_is_task_box(cmark_node_get_on_enter(n));
}

static int xhtml_is_task_list(cmark_node *list)
{
	cmark_node *li;

	for (li = cmark_node_first_child(list); li; li = cmark_node_next(li))
		if (xhtml_is_task_item(li))
			return 1;
	return 0;
}

/* The label of footnote definition `def`, as cmark-gfm writes it into
 * ids (markdown_parse() made it one it writes as it is). */
static void xhtml_label(struct xhtml *x, cmark_node *def)
{
	struct buf b = BUF_INIT;

	buf_add(&b, (const char *)def->as.literal.data,
		(size_t)def->as.literal.len);
	markdown_xhtml_href(x->out, b.ptr);
	buf_release(&b);
}

/* The back links of footnote definition `def`: one per reference. */
static void xhtml_backrefs(struct xhtml *x, cmark_node *def)
{
	int i;

	if (x->backref_done)
		return;
	x->backref_done = 1;
	for (i = 1; i <= def->footnote.def_count || i == 1; i++) {
		if (i > 1)
			buf_addch(x->out, ' ');
		buf_adds(x->out, "<a href=\"#fnref-");
		xhtml_label(x, def);
		if (i > 1)
			buf_addf(x->out, "-%d", i);
		buf_adds(x->out, "\" class=\"footnote-backref\" aria-label=\"");
		markdown_xhtml_escape(x->out, x->backlink_label,
				      strlen(x->backlink_label), 1);
		buf_adds(x->out, "\" role=\"doc-backlink\">");
		if (i > 1)
			buf_addf(x->out,
				 XHTML_BACKREF_ARROW
				 "<sup class=\"footnote-ref\">%d</sup>",
				 i);
		else
			buf_adds(x->out, XHTML_BACKREF);
		buf_adds(x->out, "</a>");
	}
}

/* A link: written as it is when it leads outside the book or within the
 * document, else marked for the EPUB writer. */
static void xhtml_link(struct xhtml *x, cmark_node *node)
{
	const char *url = cmark_node_get_url(node);
	const char *title = cmark_node_get_title(node);
	struct buf href = BUF_INIT;

	markdown_xhtml_href(&href, url);
	if (href.len && href.ptr[0] != '#' && !path_is_external(href.ptr))
		buf_adds(x->out, MARKDOWN_XHTML_MARK);
	buf_adds(x->out, "<a href=\"");
	xhtml_attr(x, href.ptr);
	if (title && *title) {
		buf_adds(x->out, "\" title=\"");
		xhtml_attr(x, title);
	}
	buf_adds(x->out, "\">");
	buf_release(&href);
}

static void xhtml_link_end(struct xhtml *x, cmark_node *node)
{
	struct buf href = BUF_INIT;

	markdown_xhtml_href(&href, cmark_node_get_url(node));
	if (href.len && href.ptr[0] != '#' && !path_is_external(href.ptr))
		buf_adds(x->out, MARKDOWN_XHTML_END);
	buf_adds(x->out, "</a>");
	buf_release(&href);
}

/* An image: always marked, the EPUB writer decides what it becomes. */
static void xhtml_image(struct xhtml *x, cmark_node *node)
{
	const char *title = cmark_node_get_title(node);
	struct buf b = BUF_INIT;

	markdown_xhtml_href(&b, cmark_node_get_url(node));
	buf_adds(x->out, MARKDOWN_XHTML_MARK "<img src=\"");
	xhtml_attr(x, b.ptr);
	buf_reset(&b);
	xhtml_plain(node, &b);
	buf_adds(x->out, "\" alt=\"");
	xhtml_attr(x, b.ptr);
	if (title && *title) {
		buf_adds(x->out, "\" title=\"");
		xhtml_attr(x, title);
	}
	buf_adds(x->out, "\"/>");
	buf_release(&b);
}

static void xhtml_code_block(struct xhtml *x, cmark_node *node)
{
	const char *info = cmark_node_get_fence_info(node);

	xhtml_cr(x);
	/* code reads left to right in a right-to-left book too: said in
	 * the markup, as EPUB style sheets may not set `direction` */
	buf_adds(x->out, x->rtl ? "<pre dir=\"ltr\">" : "<pre>");
	if (!info || !*info) {
		buf_adds(x->out, "<code>");
	} else {
		size_t n = 0;
		while (info[n] && info[n] != ' ' && info[n] != '\t' &&
		       info[n] != '\n' && info[n] != '\r' && info[n] != '\f' &&
		       info[n] != '\v')
			n++;
		buf_adds(x->out, "<code class=\"language-");
		markdown_xhtml_escape(x->out, info, n, 1);
		buf_adds(x->out, "\">");
	}
	xhtml_text(x, cmark_node_get_literal(node));
	buf_adds(x->out, "</code></pre>\n");
}

/* The nodes of cmark-gfm's extensions: tables, strikethrough, task list
 * items stepbook did not take. Returns 0 when `node` is none of them. */
static int xhtml_extension(struct xhtml *x, cmark_node *node, int entering,
			   int *in_header)
{
	const char *type = cmark_node_get_type_string(node);

	if (!strcmp(type, "table")) {
		xhtml_cr(x);
		if (entering) {
			buf_adds(x->out, "<table>");
		} else {
			cmark_node *last = cmark_node_last_child(node);
			if (last && last != cmark_node_first_child(node) &&
			    !cmark_gfm_extensions_get_table_row_is_header(
				    last)) {
				buf_adds(x->out, "</tbody>");
				xhtml_cr(x);
			}
			buf_adds(x->out, "</table>");
			xhtml_cr(x);
		}
	} else if (!strcmp(type, "table_header") ||
		   !strcmp(type, "table_row")) {
		int header = cmark_gfm_extensions_get_table_row_is_header(node);
		if (entering) {
			xhtml_cr(x);
			if (header) {
				*in_header = 1;
				buf_adds(x->out, "<thead>");
				xhtml_cr(x);
			} else if (cmark_node_previous(node) &&
				   cmark_gfm_extensions_get_table_row_is_header(
					   cmark_node_previous(node))) {
				buf_adds(x->out, "<tbody>");
				xhtml_cr(x);
			}
			buf_adds(x->out, "<tr>");
		} else {
			xhtml_cr(x);
			buf_adds(x->out, "</tr>");
			if (header) {
				xhtml_cr(x);
				buf_adds(x->out, "</thead>");
				*in_header = 0;
			}
		}
	} else if (!strcmp(type, "table_cell")) {
		if (entering) {
			cmark_node *row = cmark_node_parent(node);
			uint8_t *align =
				cmark_gfm_extensions_get_table_alignments(
					cmark_node_parent(row));
			cmark_node *n = cmark_node_first_child(row);
			int i = 0;
			for (; n && n != node; n = cmark_node_next(n))
				i++;
			xhtml_cr(x);
			buf_adds(x->out, *in_header ? "<th" : "<td");
			switch (align ? align[i] : 0) {
			case 'l':
				buf_adds(x->out, " class=\"align-left\"");
				break;
			case 'c':
				buf_adds(x->out, " class=\"align-center\"");
				break;
			case 'r':
				buf_adds(x->out, " class=\"align-right\"");
				break;
			default:
				break;
			}
			buf_addch(x->out, '>');
		} else {
			buf_adds(x->out, *in_header ? "</th>" : "</td>");
		}
	} else if (!strcmp(type, "strikethrough")) {
		buf_adds(x->out, entering ? "<del>" : "</del>");
	} else if (!strcmp(type, "tasklist")) {
		/* its checkbox is a form control, which the EPUB leaves out,
		 * keeping the space after it */
		if (entering) {
			xhtml_cr(x);
			buf_adds(x->out, "<li> ");
		} else {
			buf_adds(x->out, "</li>\n");
		}
	} else {
		return 0;
	}
	return 1;
}

/* A custom node's markup, XHTML already (see markdown_xhtml.h). */
static void xhtml_markup(struct xhtml *x, cmark_node *node, int entering)
{
	const char *s = entering ? cmark_node_get_on_enter(node)
				 : cmark_node_get_on_exit(node);

	if (s)
		buf_adds(x->out, s);
}

static int xhtml_tight(cmark_node *para)
{
	cmark_node *item = cmark_node_parent(para);
	cmark_node *list = item ? cmark_node_parent(item) : NULL;

	return list && cmark_node_get_type(list) == CMARK_NODE_LIST &&
	       cmark_node_get_list_tight(list);
}

static void xhtml_list(struct xhtml *x, cmark_node *node, int entering)
{
	int bullet = cmark_node_get_list_type(node) == CMARK_BULLET_LIST;

	if (!entering) {
		buf_adds(x->out, bullet ? "</ul>\n" : "</ol>\n");
		return;
	}
	xhtml_cr(x);
	buf_adds(x->out, bullet ? "<ul" : "<ol");
	if (!bullet && cmark_node_get_list_start(node) != 1)
		buf_addf(x->out, " start=\"%d\"",
			 cmark_node_get_list_start(node));
	if (xhtml_is_task_list(node))
		buf_adds(x->out, " class=\"task-list\"");
	buf_adds(x->out, ">\n");
}

static void xhtml_item(struct xhtml *x, cmark_node *node, int entering)
{
	if (!entering) {
		buf_adds(x->out, "</li>\n");
		return;
	}
	xhtml_cr(x);
	buf_adds(x->out, xhtml_is_task_item(node) ? "<li class=\"task-item\">"
						  : "<li>");
}

/* A paragraph; the last of a footnote ends with its back-references. */
static void xhtml_paragraph(struct xhtml *x, cmark_node *node, int entering)
{
	cmark_node *parent;

	if (xhtml_tight(node))
		return;
	if (entering) {
		xhtml_cr(x);
		buf_adds(x->out, "<p>");
		return;
	}
	parent = cmark_node_parent(node);
	if (cmark_node_get_type(parent) == CMARK_NODE_FOOTNOTE_DEFINITION &&
	    !cmark_node_next(node)) {
		buf_addch(x->out, ' ');
		xhtml_backrefs(x, parent);
	}
	buf_adds(x->out, "</p>\n");
}

/* A footnote: an endnote, the first opening the endnotes section. */
static void xhtml_footnote(struct xhtml *x, cmark_node *node, int entering)
{
	if (entering) {
		if (!x->footnotes++) {
			buf_adds(x->out, "<section class=\"footnotes\" "
					 "epub:type=\"endnotes\" role=\"doc-"
					 "endnotes\" aria-label=\"");
			markdown_xhtml_escape(x->out, x->notes_label,
					      strlen(x->notes_label), 1);
			buf_adds(x->out, "\">\n<ol>\n");
		}
		x->backref_done = 0;
		buf_adds(x->out, "<li id=\"fn-");
		xhtml_label(x, node);
		buf_adds(x->out, "\" epub:type=\"endnote\">\n");
	} else {
		if (!x->backref_done) {
			xhtml_backrefs(x, node);
			buf_addch(x->out, '\n');
		}
		buf_adds(x->out, "</li>\n");
	}
}

static void xhtml_footnote_ref(struct xhtml *x, cmark_node *node)
{
	buf_adds(x->out, "<sup class=\"footnote-ref\"><a href=\"#fn-");
	xhtml_label(x, node->parent_footnote_def);
	buf_adds(x->out, "\" id=\"fnref-");
	xhtml_label(x, node->parent_footnote_def);
	if (node->footnote.ref_ix > 1)
		buf_addf(x->out, "-%d", node->footnote.ref_ix);
	buf_adds(x->out, "\" epub:type=\"noteref\" role=\"doc-noteref\">");
	xhtml_text(x, cmark_node_get_literal(node));
	buf_adds(x->out, "</a></sup>");
}

static void xhtml_node(struct xhtml *x, cmark_iter *it, cmark_node *node,
		       int entering, int *in_header)
{
	if (cmark_node_get_syntax_extension(node) &&
	    xhtml_extension(x, node, entering, in_header))
		return;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_BLOCK_QUOTE:
		xhtml_cr(x);
		buf_adds(x->out,
			 entering ? "<blockquote>\n" : "</blockquote>\n");
		break;
	case CMARK_NODE_LIST:
		xhtml_list(x, node, entering);
		break;
	case CMARK_NODE_ITEM:
		xhtml_item(x, node, entering);
		break;
	case CMARK_NODE_HEADING:
		if (entering) {
			xhtml_cr(x);
			buf_addf(x->out, "<h%d>",
				 cmark_node_get_heading_level(node));
		} else {
			buf_addf(x->out, "</h%d>\n",
				 cmark_node_get_heading_level(node));
		}
		break;
	case CMARK_NODE_CODE_BLOCK:
		xhtml_code_block(x, node);
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		/* raw HTML, which a tree markdown_parse() made without
		 * unsafe_html does not hold: shown as written */
		xhtml_text(x, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_CUSTOM_BLOCK:
		xhtml_cr(x);
		xhtml_markup(x, node, entering);
		xhtml_cr(x);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		xhtml_cr(x);
		buf_adds(x->out, "<hr/>\n");
		break;
	case CMARK_NODE_PARAGRAPH:
		xhtml_paragraph(x, node, entering);
		break;
	case CMARK_NODE_TEXT:
		xhtml_text(x, cmark_node_get_literal(node));
		break;
	case CMARK_NODE_LINEBREAK:
		buf_adds(x->out, "<br/>\n");
		break;
	case CMARK_NODE_SOFTBREAK:
		buf_addch(x->out, '\n');
		break;
	case CMARK_NODE_CODE:
		buf_adds(x->out, "<code>");
		xhtml_text(x, cmark_node_get_literal(node));
		buf_adds(x->out, "</code>");
		break;
	case CMARK_NODE_CUSTOM_INLINE:
		xhtml_markup(x, node, entering);
		break;
	case CMARK_NODE_STRONG:
		buf_adds(x->out, entering ? "<strong>" : "</strong>");
		break;
	case CMARK_NODE_EMPH:
		buf_adds(x->out, entering ? "<em>" : "</em>");
		break;
	case CMARK_NODE_LINK:
		if (entering)
			xhtml_link(x, node);
		else
			xhtml_link_end(x, node);
		break;
	case CMARK_NODE_IMAGE:
		xhtml_image(x, node);
		/* its description is in alt: not rendered again */
		cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
		break;
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		xhtml_footnote(x, node, entering);
		break;
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		if (entering)
			xhtml_footnote_ref(x, node);
		break;
	default:
		break;
	}
}

static void xhtml_run(cmark_node *root, int inlines_only,
		      const char *notes_label, const char *backlink_label,
		      int rtl, struct buf *out)
{
	struct xhtml x;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int in_header = 0;

	memset(&x, 0, sizeof(x));
	x.out = out;
	x.start = out->len;
	x.notes_label = notes_label;
	x.backlink_label = backlink_label;
	x.rtl = rtl;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (inlines_only && node == root)
			continue;
		xhtml_node(&x, it, node, ev == CMARK_EVENT_ENTER, &in_header);
	}
	cmark_iter_free(it);
	if (x.footnotes)
		buf_adds(out, "</ol>\n</section>\n");
}

void markdown_xhtml(cmark_node *node, const char *notes_label,
		    const char *backlink_label, int rtl, struct buf *out)
{
	xhtml_run(node, 0, notes_label, backlink_label, rtl, out);
}

void markdown_xhtml_inlines(cmark_node *node, struct buf *out)
{
	xhtml_run(node, 1, "", "", 0, out);
}
