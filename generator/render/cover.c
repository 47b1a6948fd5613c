#include "cover.h"

#include <cairo.h>
#include <dlfcn.h>
#include <json-c/json.h>
#include <libdeflate.h>
#include <librsvg/rsvg.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "build_id.h"
#include "compat.h"
#include "diag.h"
#include "hash.h"
#include "theme.h"
#include "tmpl.h"
#include "xalloc.h"

#define X(s) ((const xmlChar *)(s))
#define NS_SVG "http://www.w3.org/2000/svg"

/* ---- the SVG, from the theme's template ---- */

static void cover_line(struct json_object *arr, const char *text, int y)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "text", json_object_new_string(text));
	json_object_object_add(o, "y", json_object_new_int(y));
	json_object_array_add(arr, o);
}

/* Splits `text` into lines of at most `width` characters (UTF-8 code
 * points), at spaces; appends each line to `arr` as {text, y}, y starting
 * at y0 and stepping by `step`. Returns the y after the last line. */
static int cover_wrap(const char *text, int width, int y0, int step,
		      struct json_object *arr)
{
	struct buf line = BUF_INIT;
	int count = 0, y = y0;
	const char *p = text;

	while (*p) {
		const char *w;
		int wlen = 0;

		while (*p == ' ')
			p++;
		w = p;
		while (*p && *p != ' ') {
			if (((unsigned char)*p & 0xC0) != 0x80)
				wlen++;
			p++;
		}
		if (p == w)
			break;
		if (line.len && count + 1 + wlen > width) {
			cover_line(arr, line.ptr, y);
			y += step;
			buf_reset(&line);
			count = 0;
		}
		if (line.len) {
			buf_addch(&line, ' ');
			count++;
		}
		buf_add(&line, w, (size_t)(p - w));
		count += wlen;
	}
	if (line.len) {
		cover_line(arr, line.ptr, y);
		y += step;
	}
	buf_release(&line);
	return y;
}

/* Whether `svg` is a well-formed SVG document; else records why at
 * `shown` and returns -1. */
static int cover_check_svg(const struct buf *svg, const char *shown,
			   struct diag *d)
{
	const xmlError *err;
	struct buf why = BUF_INIT;
	xmlNodePtr root;
	xmlDocPtr doc;

	xmlResetLastError();
	doc = xmlReadMemory(svg->ptr, (int)svg->len, "cover.svg", "UTF-8",
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root && !xmlStrcmp(root->name, X("svg")) && root->ns &&
	    !xmlStrcmp(root->ns->href, X(NS_SVG))) {
		xmlFreeDoc(doc);
		return 0;
	}
	err = xmlGetLastError();
	if (!doc && err && err->message) {
		buf_addf(&why, ": line %d of the output: ", err->line);
		buf_adds(&why, err->message);
		while (why.len && why.ptr[why.len - 1] == '\n')
			buf_truncate(&why, why.len - 1);
	} else {
		buf_adds(&why, ": the root must be <svg> in the SVG namespace");
	}
	diag_error(d, shown, 0, 0,
		   "the cover template does not give a well-formed SVG "
		   "document%s",
		   why.ptr);
	buf_release(&why);
	if (doc)
		xmlFreeDoc(doc);
	return -1;
}

int cover_svg(const struct theme *t, const char *title, const char *subtitle,
	      const char *author, const char *language, struct buf *out,
	      struct diag *d)
{
	const struct theme_file *f = theme_get(t, THEME_COVER);
	struct json_object *ctx, *lines;
	size_t start = out->len;
	int y, r;

	if (!f || !t->templates || !tmpl_set_has(t->templates, "cover.svg"))
		return diag_error(d, NULL, 0, 0,
				  "theme '%s' has no " THEME_COVER, t->name);
	ctx = json_object_new_object();
	json_object_object_add(ctx, "title", json_object_new_string(title));
	json_object_object_add(ctx, "subtitle",
			       json_object_new_string(subtitle));
	json_object_object_add(ctx, "author", json_object_new_string(author));
	json_object_object_add(ctx, "language",
			       json_object_new_string(language));
	lines = json_object_new_array();
	y = cover_wrap(title, 16, 800, 180, lines);
	json_object_object_add(ctx, "title_lines", lines);
	lines = json_object_new_array();
	cover_wrap(subtitle, 36, y + 80, 96, lines);
	json_object_object_add(ctx, "subtitle_lines", lines);
	json_object_object_add(ctx, "author_y", json_object_new_int(2240));
	r = tmpl_render(t->templates, "cover.svg", ctx, out, d);
	json_object_put(ctx);
	if (r == 0) {
		struct buf svg = BUF_INIT;
		buf_add(&svg, out->ptr + start, out->len - start);
		r = cover_check_svg(&svg, f->shown, d);
		buf_release(&svg);
	}
	if (r < 0)
		buf_truncate(out, start);
	return r;
}

/* ---- librsvg and cairo, opened on first use ---- */

#ifndef STEPBOOK_RSVG_SONAME
#define STEPBOOK_RSVG_SONAME "librsvg-2.so.2"
#endif

/* The functions used, from librsvg and the libraries it depends on
 * (dlsym() on its handle searches those too). */
static struct {
	__typeof__(rsvg_handle_new_from_stream_sync) *new_from_stream;
	__typeof__(rsvg_handle_get_intrinsic_size_in_pixels) *size_in_pixels;
	__typeof__(rsvg_handle_get_intrinsic_dimensions) *dimensions;
	__typeof__(rsvg_handle_render_document) *render_document;
	__typeof__(g_memory_input_stream_new_from_data) *memory_stream;
	__typeof__(g_file_new_for_path) *file_for_path;
	__typeof__(g_object_unref) *object_unref;
	__typeof__(g_error_free) *error_free;
	__typeof__(cairo_image_surface_create_for_data) *surface_for_data;
	__typeof__(cairo_format_stride_for_width) *stride_for_width;
	__typeof__(cairo_surface_status) *surface_status;
	__typeof__(cairo_surface_flush) *surface_flush;
	__typeof__(cairo_surface_destroy) *surface_destroy;
	__typeof__(cairo_create) *create;
	__typeof__(cairo_status) *status;
	__typeof__(cairo_set_source_rgb) *set_source_rgb;
	__typeof__(cairo_paint) *paint;
	__typeof__(cairo_destroy) *destroy;
} rsvg;

static char rsvg_error[256]; /* why rsvg could not be opened, or "" */
static pthread_once_t rsvg_once = PTHREAD_ONCE_INIT;

static void cover_open_rsvg(void)
{
	static const struct {
		const char *name;
		void *slot;
	} syms[] = {
		{ "rsvg_handle_new_from_stream_sync", &rsvg.new_from_stream },
		{ "rsvg_handle_get_intrinsic_size_in_pixels",
		  &rsvg.size_in_pixels },
		{ "rsvg_handle_get_intrinsic_dimensions", &rsvg.dimensions },
		{ "rsvg_handle_render_document", &rsvg.render_document },
		{ "g_memory_input_stream_new_from_data", &rsvg.memory_stream },
		{ "g_file_new_for_path", &rsvg.file_for_path },
		{ "g_object_unref", &rsvg.object_unref },
		{ "g_error_free", &rsvg.error_free },
		{ "cairo_image_surface_create_for_data",
		  &rsvg.surface_for_data },
		{ "cairo_format_stride_for_width", &rsvg.stride_for_width },
		{ "cairo_surface_status", &rsvg.surface_status },
		{ "cairo_surface_flush", &rsvg.surface_flush },
		{ "cairo_surface_destroy", &rsvg.surface_destroy },
		{ "cairo_create", &rsvg.create },
		{ "cairo_status", &rsvg.status },
		{ "cairo_set_source_rgb", &rsvg.set_source_rgb },
		{ "cairo_paint", &rsvg.paint },
		{ "cairo_destroy", &rsvg.destroy },
	};
	void *lib = dlopen(STEPBOOK_RSVG_SONAME, RTLD_NOW | RTLD_LOCAL);
	void *fc_init;
	size_t i;

	if (!lib) {
		snprintf(rsvg_error, sizeof(rsvg_error), "%s", dlerror());
		return;
	}
	/* fontconfig's configuration, loaded here, once: left to Pango, it
	 * is also loaded on a thread Pango starts, and LeakSanitizer then
	 * finds some 90 KB of fontconfig's never freed */
	fc_init = dlsym(lib, "FcInit");
	if (fc_init) {
		int (*init)(void);
		memcpy(&init, &fc_init, sizeof(init));
		init();
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *sym = dlsym(lib, syms[i].name);
		if (!sym) {
			snprintf(rsvg_error, sizeof(rsvg_error), "%s",
				 dlerror());
			memset(&rsvg, 0, sizeof(rsvg));
			return;
		}
		/* a data pointer to a function pointer, as POSIX allows */
		memcpy(syms[i].slot, &sym, sizeof(sym));
	}
}

/* ---- the PNG ---- */

/* Deflate level of the PNG's pixels: fixed, so that the bytes do not
 * depend on a library's default. */
#define COVER_DEFLATE_LEVEL 6
/* Bumped when this module writes other bytes for the same pixels. */
#define COVER_PNG_FORMAT 1

static void cover_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a chunk of `type` holding out->ptr[at + 8 .. out->len) (the
 * data already in place after 8 bytes left for its length and type). */
static void cover_chunk_end(struct buf *out, size_t at, const char *type)
{
	unsigned char crc[4];
	size_t len = out->len - at - 8;

	cover_be32((unsigned char *)out->ptr + at, (uint32_t)len);
	memcpy(out->ptr + at + 4, type, 4);
	cover_be32(crc, libdeflate_crc32(0, out->ptr + at + 4, len + 4));
	buf_add(out, crc, 4);
}

/* Writes the RGB24 image `px` (cairo's: a 32-bit 0xXXRRGGBB per pixel,
 * rows `stride` bytes apart) as an 8-bit RGB PNG appended to `out`. The
 * rows are filtered (PNG filter "Up") in place, over `px`: the filtered
 * row y (1 + 3w bytes) ends before row y + 1 starts. */
static void cover_png(unsigned char *px, int stride, int w, int h,
		      struct buf *out)
{
	static const unsigned char sig[8] = { 0x89, 'P',  'N',  'G',
					      '\r', '\n', 0x1A, '\n' };
	size_t rgb = 3 * (size_t)w, row = rgb + 1, raw = row * (size_t)h;
	unsigned char *prev = xcalloc(rgb, 1), *cur = xmalloc(rgb), *tmp;
	struct libdeflate_compressor *z;
	size_t at, cap, n;
	int x, y;

	for (y = 0; y < h; y++) {
		const unsigned char *src = px + (size_t)y * (size_t)stride;
		unsigned char *dst = px + (size_t)y * row;
		/* most rows of a cover are the one above again: all zero
		 * once filtered, found without unpacking them (the row
		 * above is still there when the filtered rows end before
		 * it) */
		if (y > 0 && (size_t)y * row <= (size_t)(y - 1) * stride &&
		    !memcmp(src, src - stride, 4 * (size_t)w)) {
			dst[0] = 2;
			memset(dst + 1, 0, rgb);
			continue;
		}
		for (x = 0; x < w; x++) {
			uint32_t p;
			memcpy(&p, src + 4 * (size_t)x, 4);
			cur[3 * x] = (unsigned char)(p >> 16);
			cur[3 * x + 1] = (unsigned char)(p >> 8);
			cur[3 * x + 2] = (unsigned char)p;
		}
		dst[0] = 2; /* Up: each byte less the one above */
		for (x = 0; x < (int)rgb; x++)
			dst[1 + x] = (unsigned char)(cur[x] - prev[x]);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	free(prev);
	free(cur);

	buf_add(out, sig, sizeof(sig));
	at = out->len;
	buf_add(out, "12345678", 8);
	{
		unsigned char ihdr[13];
		cover_be32(ihdr, (uint32_t)w);
		cover_be32(ihdr + 4, (uint32_t)h);
		ihdr[8] = 8;  /* bits per sample */
		ihdr[9] = 2;  /* RGB */
		ihdr[10] = 0; /* deflate */
		ihdr[11] = 0; /* adaptive filtering */
		ihdr[12] = 0; /* not interlaced */
		buf_add(out, ihdr, sizeof(ihdr));
	}
	cover_chunk_end(out, at, "IHDR");
	at = out->len;
	buf_add(out, "12345678", 8);
	z = libdeflate_alloc_compressor(COVER_DEFLATE_LEVEL);
	if (!z) {
		fputs("stepbook: out of memory\n", stderr);
		exit(3);
	}
	/* a cover deflates to a few percent: try small before the bound */
	cap = raw / 8 + 1024;
	buf_grow(out, cap);
	n = libdeflate_zlib_compress(z, px, raw, out->ptr + out->len, cap);
	if (!n) {
		cap = libdeflate_zlib_compress_bound(z, raw);
		buf_grow(out, cap);
		n = libdeflate_zlib_compress(z, px, raw, out->ptr + out->len,
					     cap);
	}
	libdeflate_free_compressor(z);
	out->len += n;
	out->ptr[out->len] = '\0';
	cover_chunk_end(out, at, "IDAT");
	at = out->len;
	buf_add(out, "12345678", 8);
	cover_chunk_end(out, at, "IEND");
}

/* ---- rendering ---- */

uint64_t cover_render_key(const char *svg, size_t len)
{
	uint64_t h = hash_str(build_id_hash(), "stepbook cover");

	h = hash_u64(h, COVER_WIDTH);
	h = hash_u64(h, COVER_HEIGHT);
	h = hash_u64(h, COVER_PNG_FORMAT);
	h = hash_u64(h, COVER_DEFLATE_LEVEL);
	h = hash_str(h, LIBRSVG_VERSION);
	h = hash_str(h, CAIRO_VERSION_STRING);
	h = hash_mix(h, svg, len);
	h = hash_u64(h, len);
	return h ? h : 1;
}

/* The size of the raster of `handle`: the largest that fits the cover's
 * box with the SVG's proportions. */
static void cover_size(RsvgHandle *handle, int *w, int *h)
{
	gdouble sw = 0, sh = 0;

	if (!rsvg.size_in_pixels(handle, &sw, &sh) || !(sw > 0) || !(sh > 0)) {
		gboolean has_w, has_h, has_box;
		RsvgLength lw, lh;
		RsvgRectangle box;
		rsvg.dimensions(handle, &has_w, &lw, &has_h, &lh, &has_box,
				&box);
		if (has_box && box.width > 0 && box.height > 0) {
			sw = box.width;
			sh = box.height;
		} else {
			sw = COVER_WIDTH;
			sh = COVER_HEIGHT;
		}
	}
	if (sw * COVER_HEIGHT >= sh * COVER_WIDTH) {
		*w = COVER_WIDTH;
		*h = (int)lround(COVER_WIDTH * sh / sw);
	} else {
		*h = COVER_HEIGHT;
		*w = (int)lround(COVER_HEIGHT * sw / sh);
	}
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
}

/* Records that the SVG `shown` could not be read. librsvg passes on
 * libxml2's message, which says where: "... on line 3 column 7 of
 * data: Opening and ending tag mismatch..."; that place becomes the
 * diagnostic's position, shown in `svg`, and the message is the part
 * after it. Frees `err`. */
static void cover_parse_error(struct diag *d, const char *shown,
			      const char *svg, size_t svg_len, GError *err)
{
	const char *msg = err ? err->message : "not an SVG document";
	const char *at = strstr(msg, " on line ");
	int line = 0, col = 0, used = 0;
	size_t len;

	if (at &&
	    sscanf(at, " on line %d column %d of data: %n", &line, &col,
		   &used) == 2 &&
	    used > 0 && line > 0 && col > 0)
		msg = at + used;
	else
		line = col = 0;
	len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	diag_error(d, shown, line, col, "cannot render the cover: %.*s",
		   (int)len, msg);
	if (line)
		diag_attach_source(d, svg, svg_len, line);
	if (err)
		rsvg.error_free(err);
}

int cover_render(const char *svg, size_t len, const char *file,
		 const char *shown, struct buf *out, struct diag *d)
{
	GInputStream *in;
	GFile *base = NULL;
	GError *err = NULL;
	RsvgHandle *handle;
	cairo_surface_t *surface;
	cairo_t *cr;
	RsvgRectangle viewport;
	unsigned char *px;
	size_t px_len;
	int w, h, stride, r = 0;

	pthread_once(&rsvg_once, cover_open_rsvg);
	if (!rsvg.new_from_stream)
		return diag_error(d, shown, 0, 0,
				  "cannot render the cover: librsvg cannot "
				  "be opened: %s",
				  rsvg_error);
	in = rsvg.memory_stream(svg, (gssize)len, NULL);
	if (file)
		base = rsvg.file_for_path(file);
	handle = rsvg.new_from_stream(in, base, RSVG_HANDLE_FLAGS_NONE, NULL,
				      &err);
	rsvg.object_unref(in);
	if (base)
		rsvg.object_unref(base);
	if (!handle) {
		cover_parse_error(d, shown, svg, len, err);
		return -1;
	}
	cover_size(handle, &w, &h);
	/* the pixels in pages of our own: cairo's malloc()ed ones would be
	 * faulted in 4 KiB at a time, which costs more than the drawing */
	stride = rsvg.stride_for_width(CAIRO_FORMAT_RGB24, w);
	px_len = (size_t)stride * (size_t)h;
	px = compat_alloc_pages(px_len);
	if (!px) {
		fputs("stepbook: out of memory\n", stderr);
		exit(3);
	}
	surface = rsvg.surface_for_data(px, CAIRO_FORMAT_RGB24, w, h, stride);
	cr = rsvg.create(surface);
	rsvg.set_source_rgb(cr, 1, 1, 1);
	rsvg.paint(cr);
	viewport.x = 0;
	viewport.y = 0;
	viewport.width = w;
	viewport.height = h;
	if (!rsvg.render_document(handle, cr, &viewport, &err)) {
		r = diag_error(d, shown, 0, 0, "cannot render the cover: %s",
			       err ? err->message : "librsvg failed");
		if (err)
			rsvg.error_free(err);
	} else if (rsvg.status(cr) != CAIRO_STATUS_SUCCESS ||
		   rsvg.surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		r = diag_error(d, shown, 0, 0,
			       "cannot render the cover: cairo failed");
	}
	rsvg.destroy(cr);
	rsvg.object_unref(handle);
	if (r == 0) {
		rsvg.surface_flush(surface);
		cover_png(px, stride, w, h, out);
	}
	rsvg.surface_destroy(surface);
	compat_free_pages(px, px_len);
	return r;
}

/* ---- the size of a raster image ---- */

static unsigned cover_be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static int cover_jpeg_size(const unsigned char *p, size_t len, unsigned *w,
			   unsigned *h)
{
	size_t i = 2;

	while (i + 4 <= len) {
		unsigned m;
		if (p[i] != 0xFF)
			return -1;
		m = p[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) {
			i += 2; /* a marker without data */
			continue;
		}
		if (m == 0xD9 || m == 0xDA) /* the end, or a scan first */
			return -1;
		/* a start of frame: SOF0-SOF15 but DHT, JPG and DAC */
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			if (i + 9 > len)
				return -1;
			*h = cover_be16(p + i + 5);
			*w = cover_be16(p + i + 7);
			return *w && *h ? 0 : -1;
		}
		if (cover_be16(p + i + 2) < 2)
			return -1;
		i += 2 + cover_be16(p + i + 2);
	}
	return -1;
}

int cover_image_size(const unsigned char *data, size_t len, unsigned *width,
		     unsigned *height)
{
	if (len >= 24 && !memcmp(data, "\x89PNG\r\n\x1A\n", 8) &&
	    !memcmp(data + 12, "IHDR", 4)) {
		*width = (unsigned)data[16] << 24 | (unsigned)data[17] << 16 |
			 (unsigned)data[18] << 8 | data[19];
		*height = (unsigned)data[20] << 24 | (unsigned)data[21] << 16 |
			  (unsigned)data[22] << 8 | data[23];
		return *width && *height ? 0 : -1;
	}
	if (len >= 10 &&
	    (!memcmp(data, "GIF87a", 6) || !memcmp(data, "GIF89a", 6))) {
		*width = data[6] | (unsigned)data[7] << 8;
		*height = data[8] | (unsigned)data[9] << 8;
		return *width && *height ? 0 : -1;
	}
	if (len >= 4 && data[0] == 0xFF && data[1] == 0xD8)
		return cover_jpeg_size(data, len, width, height);
	return -1;
}
