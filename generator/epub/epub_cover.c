/* epub_cover: the cover image (book.yml's, or the raster of the SVG
 * cover, see cover.h) and the cover page that shows it. */
#include "epub.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cover.h"
#include "hash.h"
#include "path.h"
#include "theme.h"
#include "write_epub.h"
#include "xalloc.h"

/* Puts `author` in the place of "{author}" in `alt`. */
static void epub_cover_author(struct buf *alt, const char *author)
{
	char *at = strstr(alt->ptr, "{author}");
	struct buf rest = BUF_INIT;

	if (!at)
		return;
	buf_adds(&rest, at + strlen("{author}"));
	buf_truncate(alt, (size_t)(at - alt->ptr));
	buf_adds(alt, author);
	buf_add(alt, rest.ptr, rest.len);
	buf_release(&rest);
}

void epub_cover_page(struct epub *e, struct buf *out)
{
	const struct config *cfg = &e->s->cfg;
	struct buf alt = BUF_INIT;
	xmlNodePtr html, body, sec, svg, n;
	xmlNsPtr xlink;
	xmlDocPtr doc = epub_xhtml_new(e, i18n_str(&e->s->i18n, "cover"),
				       &body);
	char *href = epub_href(e->cover_href);
	char box[64];

	html = xmlDocGetRootElement(doc);
	xmlSetProp(html, X("class"), X("cover"));
	xmlSetProp(body, X("class"), X("cover"));
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "cover");
	xmlSetProp(sec, X("class"), X("cover"));
	i18n_format(&e->s->i18n,
		    *cfg->author ? "cover_alt_author" : "cover_alt", 0,
		    cfg->title, &alt);
	epub_cover_author(&alt, cfg->author);
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

/* ---- cover image ---- */

const char *epub_cover_type(const struct config *cfg, struct diag *d)
{
	const char *type = epub_media_type(cfg->cover);

	if (!type || !strcmp(type, "image/webp")) {
		diag_error(d, cfg->path, 0, 0,
			   "cover '%s' cannot go into the EPUB: use a PNG, "
			   "JPEG, GIF or SVG image",
			   cfg->cover);
		return NULL;
	}
	return type;
}

/* Reads the width and height of the image of `f` into the cover's: from
 * its data, or from the start of the previous EPUB's entry it reuses.
 * Returns 0, or -1 after recording that `shown` is no image it knows. */
static int epub_cover_size(struct epub *e, const struct epub_file *f,
			   const char *shown, struct diag *d)
{
	unsigned char head[64];
	const unsigned char *p = (const unsigned char *)f->data.ptr;
	zip_int64_t n = (zip_int64_t)f->data.len;

	if (f->reuse >= 0) {
		zip_file_t *zf = zip_fopen_index(e->prev,
						 (zip_uint64_t)f->reuse, 0);
		n = zf ? zip_fread(zf, head, sizeof(head)) : -1;
		if (zf)
			zip_fclose(zf);
		p = head;
	}
	if (n < 0 || cover_image_size(p, (size_t)n, &e->cover_width,
				      &e->cover_height) < 0)
		return diag_error(d, shown, 0, 0,
				  "cover '%s' is not a PNG, JPEG or GIF image "
				  "stepbook can read",
				  f->href);
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

/* Where the cover comes from: book.yml's `cover:` or, without one, the
 * theme's template made for the book. */
struct epub_cover_src {
	char *norm;       /* book.yml's cover within content/, or NULL */
	char *full;       /* ... its path */
	const char *type; /* ... its media type */
	struct buf svg;   /* the SVG, when the cover is one */
	struct buf shown; /* what names the cover in messages */
};

static void epub_cover_src_release(struct epub_cover_src *src)
{
	free(src->norm);
	free(src->full);
	buf_release(&src->svg);
	buf_release(&src->shown);
}

/* Fills `src` (to be released whatever the result) with the cover of
 * `s` styled by `t`. Returns 1 for an SVG cover (its text in src->svg),
 * 0 for a raster one used as it is, or -1 after recording why there is
 * none. */
static int epub_cover_src(const struct site *s, const struct theme *t,
			  struct epub_cover_src *src, struct diag *d)
{
	const struct config *cfg = &s->cfg;

	memset(src, 0, sizeof(*src));
	buf_init(&src->svg);
	buf_init(&src->shown);
	if (cfg->cover && *cfg->cover) {
		src->norm = path_normalize(cfg->cover);
		if (!src->norm)
			return diag_error(d, cfg->path, 0, 0,
					  "cover '%s' points outside content/",
					  cfg->cover);
		src->type = epub_cover_type(cfg, d);
		if (!src->type)
			return -1;
		src->full = path_join(s->content_dir, src->norm);
		buf_addf(&src->shown, "%s/%s", s->shown_dir, src->norm);
		if (strcmp(src->type, "image/svg+xml"))
			return 0;
		return fs_read_file(src->full, cfg->cover, &src->svg, d) < 0
			       ? -1
			       : 1;
	} else {
		const struct theme_file *tf = theme_get(t, THEME_COVER);
		char *title = epub_clean(cfg->title);
		char *subtitle = epub_clean(cfg->subtitle);
		char *author = epub_clean(cfg->author);
		int ok = cover_svg(t, title, subtitle, author, epub_language(s),
				   &src->svg, d);
		free(title);
		free(subtitle);
		free(author);
		buf_adds(&src->shown, tf ? tf->shown : THEME_COVER);
		return ok < 0 ? -1 : 1;
	}
}

int write_epub_cover(const struct site *s, const struct theme *t, uint64_t *key,
		     struct buf *png, struct diag *d)
{
	struct epub_cover_src src;
	int r = epub_cover_src(s, t, &src, d);

	*key = 0;
	if (r == 1) {
		if (cover_render(src.svg.ptr, src.svg.len, src.full,
				 src.shown.ptr, png, d) < 0)
			r = -1;
		else
			*key = cover_render_key(src.svg.ptr, src.svg.len);
	}
	epub_cover_src_release(&src);
	return r;
}

int epub_cover(struct epub *e, uint64_t *key, struct diag *d)
{
	struct epub_cover_src src;
	struct buf name = BUF_INIT;
	struct epub_file *f;
	uint64_t drawn;
	int n = 1, r = -1, kind = epub_cover_src(e->s, e->t, &src, d);

	*key = 0;
	if (kind < 0)
		goto out;
	if (kind == 0) {
		/* a raster cover, as it is, under a name OCF allows */
		char *href = epub_file_name(src.norm);
		f = epub_cover_file(e, href, src.type);
		free(href);
		e->cover_src = xstrdup(src.norm);
		if (fs_read_file(src.full, e->s->cfg.cover, &f->data, d) == 0 &&
		    epub_cover_size(e, f, src.shown.ptr, d) == 0)
			r = 0;
		goto out;
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
	drawn = cover_render_key(src.svg.ptr, src.svg.len);
	*key = hash_str(drawn, name.ptr) | 1;
	if (epub_doc_reuse(e, DOC_COVER, *key, name.ptr, &f->reuse)) {
		/* copied from the last EPUB: no bytes to keep */
	} else if (e->last->cover && e->last->cover_key == drawn) {
		buf_add(&f->data, e->last->cover, e->last->cover_len);
	} else if (cover_render(src.svg.ptr, src.svg.len, src.full,
				src.shown.ptr, &f->data, d) < 0) {
		goto out;
	} else {
		e->made->cover_drawn = 1;
	}
	if (epub_cover_size(e, f, src.shown.ptr, d) < 0)
		goto out;
	e->made->cover_key = drawn;
	if (f->reuse < 0) {
		e->made->cover = xmalloc(f->data.len + 1);
		memcpy(e->made->cover, f->data.ptr, f->data.len);
		e->made->cover_len = f->data.len;
	}
	r = 0;
out:
	epub_cover_src_release(&src);
	buf_release(&name);
	return r;
}

void epub_take_cover(struct epub *e)
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
