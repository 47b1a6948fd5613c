/* epub_xhtml: a chapter's rendering made part of its EPUB document.
 *
 * Without raw HTML (unsafe_html off), the rendering is XHTML already,
 * made from the chapter's tree by markdown_xhtml.c; what depends on the
 * rest of the book is marked in it (see markdown_xhtml.h) and is decided
 * here: whether a link leads to a document of the EPUB (else its text
 * stays, without the link), whether an image is carried (else a link to
 * it, or its description), and which ids the document already uses. No
 * parser reads it: the marked tags are in one known form.
 *
 * With raw HTML, only an HTML parser can read the rendering: libxml2's,
 * with the same rules (epub_conv.c). */
#include "epub.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "markdown_xhtml.h"
#include "path.h"
#include "xalloc.h"

/* The attributes a marked tag holds: href or src, alt, title. */
#define XV_MAX_ATTRS 3

struct xv_attr {
	char name[8];
	struct buf value; /* decoded */
	int set;
};

/* Decodes an attribute value as markdown_xhtml.c and render_links()
 * write them: XML's escapes, the character references of white space
 * and of the marks, and houdini's &#x27;. */
static void xv_decode(const char *p, const char *end, struct buf *out)
{
	static const char *const ent[][2] = {
		{ "&amp;", "&" },
		{ "&lt;", "<" },
		{ "&gt;", ">" },
		{ "&quot;", "\"" },
		{ "&#10;", "\n" },
		{ "&#9;", "\t" },
		{ "&#13;", "\r" },
		{ "&#x27;", "'" },
		{ "&#39;", "'" },
		{ MARKDOWN_XHTML_MARK_REF, MARKDOWN_XHTML_MARK },
		{ MARKDOWN_XHTML_END_REF, MARKDOWN_XHTML_END },
	};

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t k;

		if (!amp) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(amp - p));
		p = amp;
		for (k = 0; k < sizeof(ent) / sizeof(*ent); k++) {
			size_t n = strlen(ent[k][0]);
			if ((size_t)(end - p) >= n &&
			    !memcmp(p, ent[k][0], n)) {
				buf_adds(out, ent[k][1]);
				p += n;
				break;
			}
		}
		if (k == sizeof(ent) / sizeof(*ent))
			buf_addch(out, *p++);
	}
}

static void xv_attr_out(struct buf *out, const char *name, const char *value)
{
	char *clean = epub_clean(value);

	buf_addch(out, ' ');
	buf_adds(out, name);
	buf_adds(out, "=\"");
	markdown_xhtml_escape(out, clean, strlen(clean), 1);
	buf_addch(out, '"');
	free(clean);
}

/* Reads the marked tag at `p` (<a ...> or <img .../>) into `a`: sets
 * *img, returns the end of the tag, or NULL when it is not of the form
 * markdown_xhtml.c writes. */
static const char *xv_tag(const char *p, const char *end, struct xv_attr *a,
			  int *img)
{
	size_t n = 0;

	if (end - p >= 3 && !memcmp(p, "<a ", 3)) {
		*img = 0;
		p += 2;
	} else if (end - p >= 5 && !memcmp(p, "<img ", 5)) {
		*img = 1;
		p += 4;
	} else {
		return NULL;
	}
	for (;;) {
		const char *name, *eq, *q;
		if (p < end && *p == '>' && !*img)
			return p + 1;
		if (end - p >= 2 && !memcmp(p, "/>", 2) && *img)
			return p + 2;
		if (p >= end || *p != ' ' || n == XV_MAX_ATTRS)
			return NULL;
		name = ++p;
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq || (size_t)(eq - name) >= sizeof(a[n].name) ||
		    end - eq < 2 || eq[1] != '"')
			return NULL;
		q = memchr(eq + 2, '"', (size_t)(end - eq - 2));
		if (!q)
			return NULL;
		memcpy(a[n].name, name, (size_t)(eq - name));
		a[n].name[eq - name] = '\0';
		xv_decode(eq + 2, q, &a[n].value);
		a[n].set = 1;
		n++;
		p = q + 1;
	}
}

static const char *xv_get(const struct xv_attr *a, const char *name)
{
	size_t i;

	for (i = 0; i < XV_MAX_ATTRS; i++)
		if (a[i].set && !strcmp(a[i].name, name))
			return a[i].value.ptr;
	return NULL;
}

/* A marked image: carried when it is a file of content/ of a type EPUB
 * knows, else a link to it when it is remote, else its description (see
 * conv_img(), the same for images in raw HTML). */
static void xv_img(struct conv *cv, const struct xv_attr *a, struct buf *out)
{
	const char *url = xv_get(a, "src"), *alt = xv_get(a, "alt");
	const char *title = xv_get(a, "title");
	char *path = NULL;

	url = url ? url : "";
	alt = alt ? alt : "";
	if (*url && !path_is_external(url) && url[0] != '#' && url[0] != '/')
		path = epub_resolve(url);
	if (path && epub_is_content_file(cv->e->s, path) &&
	    epub_media_type(path)) {
		char *name = epub_file_name(path), *href = epub_href(name);
		free(name);
		buf_adds(out, "<img");
		xv_attr_out(out, "src", href);
		xv_attr_out(out, "alt", alt);
		if (title)
			xv_attr_out(out, "title", title);
		buf_adds(out, "/>");
		buf_adds(&cv->part->images, path);
		buf_addch(&cv->part->images, '\n');
		cv->part->flags |= EPUB_CHAPTER_IMAGES;
		if (!*alt)
			cv->part->flags |= EPUB_CHAPTER_NO_ALT;
		free(href);
	} else if (*url && path_is_external(url) &&
		   strncasecmp(url, "data:", 5)) {
		char *clean = epub_clean(*alt ? alt : url);
		buf_adds(out, "<a");
		xv_attr_out(out, "href", url);
		buf_addch(out, '>');
		markdown_xhtml_escape(out, clean, strlen(clean), 0);
		buf_adds(out, "</a>");
		free(clean);
	} else {
		if (*url && !conv_image_of_chapter(cv, path))
			diag_warning(&cv->part->d, cv->env->where, 0, 0,
				     "image '%s' left out of the EPUB: not a "
				     "PNG, JPEG, GIF, SVG or WebP file in "
				     "content/",
				     url);
		if (*alt) {
			char *clean = epub_clean(alt);
			markdown_xhtml_escape(out, clean, strlen(clean), 0);
			free(clean);
		}
	}
	free(path);
}

/* A marked link: kept when it leads to a document of the EPUB, else its
 * text stays alone. Returns whether it is kept. */
static int xv_link(struct conv *cv, const struct xv_attr *a, struct buf *out)
{
	const char *href = xv_get(a, "href"), *title = xv_get(a, "title");
	char *fixed;

	if (!conv_link_ok(cv, href ? href : "", &fixed))
		return 0;
	buf_adds(out, "<a");
	xv_attr_out(out, "href", fixed);
	if (title)
		xv_attr_out(out, "title", title);
	buf_addch(out, '>');
	free(fixed);
	return 1;
}

/* Notes each id in the tags of out->ptr[from..]: in this XHTML, '<' and
 * '>' stand only for tags, and an attribute value holds no '"'. */
static void xv_note_ids(struct conv *cv, const struct buf *out, size_t from)
{
	const char *p = out->ptr + from, *end = out->ptr + out->len;
	struct buf id = BUF_INIT;

	while ((p = compat_memmem(p, (size_t)(end - p), " id=\"", 5))) {
		const char *q = p, *v = p + 5, *stop;
		while (q > out->ptr + from && *q != '<' && *q != '>')
			q--;
		p = v;
		if (*q != '<')
			continue;
		stop = memchr(v, '"', (size_t)(end - v));
		if (!stop)
			break;
		buf_reset(&id);
		xv_decode(v, stop, &id);
		conv_note_id(cv, id.ptr);
		p = stop;
	}
	buf_release(&id);
}

/* Finishes `text` (markdown_xhtml.c's, links placed by render_links())
 * into `out`. Returns 0, or -1 after recording an error. */
static int xv_finish(struct conv *cv, const char *text, size_t len,
		     struct buf *out)
{
	const char *p = text, *end = text + len;
	char *kept = NULL; /* per open marked link: whether it is kept */
	size_t n_open = 0, cap_open = 0, from = out->len;
	struct xv_attr a[XV_MAX_ATTRS];
	int r = 0;
	size_t i;

	memset(a, 0, sizeof(a));
	while (p < end && r == 0) {
		const char *q = p;
		while (q < end && *q != '\xEE' && *q != '&')
			q++;
		buf_add(out, p, (size_t)(q - p));
		p = q;
		if (p >= end)
			break;
		if (end - p >= MARKDOWN_XHTML_MARK_LEN &&
		    !memcmp(p, MARKDOWN_XHTML_MARK, MARKDOWN_XHTML_MARK_LEN)) {
			const char *stop;
			int img = 0;
			for (i = 0; i < XV_MAX_ATTRS; i++) {
				buf_reset(&a[i].value);
				a[i].set = 0;
			}
			stop = xv_tag(p + MARKDOWN_XHTML_MARK_LEN, end, a,
				      &img);
			if (!stop) {
				r = -1;
				break;
			}
			if (img) {
				xv_img(cv, a, out);
			} else {
				kept = xgrow(kept, 1, n_open + 1, &cap_open);
				kept[n_open++] = (char)xv_link(cv, a, out);
			}
			p = stop;
		} else if (end - p >= MARKDOWN_XHTML_MARK_LEN + 4 &&
			   !memcmp(p, MARKDOWN_XHTML_END,
				   MARKDOWN_XHTML_MARK_LEN) &&
			   !memcmp(p + MARKDOWN_XHTML_MARK_LEN, "</a>", 4) &&
			   n_open) {
			if (kept[--n_open])
				buf_adds(out, "</a>");
			p += MARKDOWN_XHTML_MARK_LEN + 4;
		} else if (*p == '&' &&
			   (size_t)(end - p) >=
				   strlen(MARKDOWN_XHTML_MARK_REF) &&
			   !memcmp(p, MARKDOWN_XHTML_MARK_REF,
				   strlen(MARKDOWN_XHTML_MARK_REF))) {
			buf_adds(out, MARKDOWN_XHTML_MARK);
			p += strlen(MARKDOWN_XHTML_MARK_REF);
		} else if (*p == '&' &&
			   (size_t)(end - p) >=
				   strlen(MARKDOWN_XHTML_END_REF) &&
			   !memcmp(p, MARKDOWN_XHTML_END_REF,
				   strlen(MARKDOWN_XHTML_END_REF))) {
			buf_adds(out, MARKDOWN_XHTML_END);
			p += strlen(MARKDOWN_XHTML_END_REF);
		} else {
			buf_addch(out, *p++);
		}
	}
	if (r == 0 && n_open)
		r = -1;
	for (i = 0; i < XV_MAX_ATTRS; i++)
		buf_release(&a[i].value);
	free(kept);
	if (r < 0) {
		out->len = from;
		out->ptr[from] = '\0';
		return diag_error(&cv->part->d, cv->env->where, 0, 0,
				  "cannot make the EPUB's XHTML of the "
				  "rendered chapter");
	}
	xv_note_ids(cv, out, from);
	return 0;
}

int epub_fragment(struct conv *cv, xmlNodePtr dst, const char *text, size_t len)
{
	struct buf made = BUF_INIT;

	if (cv->env->unsafe_html)
		return conv_fragment(cv, dst, text, len);
	if (xv_finish(cv, text, len, &made) < 0) {
		buf_release(&made);
		return -1;
	}
	conv_add_ready(cv, dst, &made);
	return 0;
}
