/* cover: the book's cover, as an SVG document and as a raster image.
 *
 * The EPUB's cover (see write_epub.h) is the image book.yml names as
 * `cover:`, or, without one, the SVG the theme's cover.svg.mustache makes
 * for the book. Readers, converters and stores want a raster cover
 * (Kindle's conversion, calibre's thumbnails and PDF pages, shop
 * listings), and an SVG's text is set in whatever fonts a reader has: an
 * SVG cover is rendered at build time with librsvg and cairo into a PNG
 * that fits COVER_WIDTH x COVER_HEIGHT (exactly that for an SVG of the
 * usual 5:8 e-book shape).
 *
 * librsvg and cairo, with what they bring (GLib, Pango, fontconfig,
 * HarfBuzz, gdk-pixbuf), are opened when a cover is first rendered, not
 * linked: loading them takes some 40 ms, more than a one-chapter rebuild,
 * which reuses the last build's rendered cover (see write_epub.c).
 *
 * The PNG is written here, not by cairo: one IDAT deflated by libdeflate
 * at a fixed level, no ancillary chunk (no time, no gamma, no text), so
 * that its bytes depend on the pixels alone. The same SVG rendered by the
 * same librsvg, cairo and fonts gives the same file. */
#ifndef STEPBOOK_COVER_H
#define STEPBOOK_COVER_H

#include <stddef.h>
#include <stdint.h>

#define COVER_WIDTH 1600
#define COVER_HEIGHT 2560

struct buf;
struct diag;
struct theme;

/* Fills `out` with the SVG cover that theme `t`'s cover.svg.mustache
 * (theme.h: every loaded theme has one) makes for a book of this title,
 * subtitle, author and language, each a string XML can hold (the caller
 * leaves out control characters). The template gets them HTML-escaped,
 * with the title wrapped into title_lines and the subtitle into
 * subtitle_lines (each {text, y}: a line and its baseline) and author_y.
 * Returns 0, or -1 after recording the problem at the template's file: a
 * template error, an output that is not a well-formed SVG document. */
int cover_svg(const struct theme *t, const char *title, const char *subtitle,
	      const char *author, const char *language, struct buf *out,
	      struct diag *d);

/* What a PNG that cover_render() makes of `svg` (`len` bytes) depends on
 * besides the SVG: the sizes, this module's PNG writer and the librsvg
 * and cairo it was built with. Equal keys, equal PNGs (as long as the
 * fonts stay the same). Never 0. */
uint64_t cover_render_key(const char *svg, size_t len);

/* Renders the SVG document `svg` (`len` bytes) over white into a PNG
 * appended to `out`, as large as fits COVER_WIDTH x COVER_HEIGHT with the
 * SVG's own proportions (its width and height, else its viewBox, else
 * 5:8). `file` is the path the SVG was read from: the images and styles
 * it refers to load from its folder and below, nowhere else; NULL loads
 * none. `shown` names the SVG in diagnostics. Thread-safe; the libraries
 * are opened on first use.
 * Returns 0, or -1 after recording why it cannot be rendered at `shown`
 * (librsvg cannot be opened, the SVG is not one it can read or draw). */
int cover_render(const char *svg, size_t len, const char *file,
		 const char *shown, struct buf *out, struct diag *d);

/* Reads the width and height of the PNG, JPEG or GIF image whose first
 * `len` bytes are `data` (a PNG needs 24, a GIF 10, a JPEG up to its
 * frame header). Returns 0, or -1 when it is none of these or is cut
 * short. */
int cover_image_size(const unsigned char *data, size_t len, unsigned *width,
		     unsigned *height);

#endif
