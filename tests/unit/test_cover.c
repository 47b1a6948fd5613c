/* Unit tests for cover: the SVG a theme's cover template makes (escaped,
 * the title wrapped, checked to be SVG), its raster (the size from the
 * SVG's shape, the pixels librsvg draws, text included, files loaded from
 * the SVG's folder only, the same bytes every time, a PNG of IHDR, IDAT
 * and IEND alone), and the sizes read from PNG, GIF and JPEG headers.
 * PNGs are read back with a decoder of their own here (every filter, the
 * CRC of every chunk). */
#include <libdeflate.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cover.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "theme.h"

static char tmproot[] = "/tmp/stepbook-test-cover-XXXXXX";

struct image {
	unsigned w, h;
	unsigned char *rgb; /* 3 bytes a pixel, row after row */
	char chunks[256];   /* the chunk types, in order */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Decodes an 8-bit RGB or RGBA PNG, not interlaced. 0 or -1. */
static int decode(const struct buf *png, struct image *img)
{
	const unsigned char *p = (const unsigned char *)png->ptr;
	size_t at = 8, n = 0, stride, i, y;
	struct buf idat = BUF_INIT;
	unsigned char *raw = NULL;
	unsigned bpp = 0;
	int r = -1;

	memset(img, 0, sizeof(*img));
	if (png->len < 8 || memcmp(p, "\x89PNG\r\n\x1A\n", 8))
		return -1;
	while (at + 12 <= png->len) {
		uint32_t len = be32(p + at);
		if (at + 12 + len > png->len ||
		    libdeflate_crc32(0, p + at + 4, len + 4) !=
			    be32(p + at + 8 + len))
			goto out;
		{
			size_t cl = strlen(img->chunks);
			snprintf(img->chunks + cl, sizeof(img->chunks) - cl,
				 "%s%.4s", cl ? " " : "",
				 (const char *)p + at + 4);
		}
		if (!memcmp(p + at + 4, "IHDR", 4) && len == 13) {
			img->w = be32(p + at + 8);
			img->h = be32(p + at + 12);
			if (p[at + 16] != 8 || p[at + 20] != 0)
				goto out;
			bpp = p[at + 17] == 2 ? 3 : p[at + 17] == 6 ? 4 : 0;
		} else if (!memcmp(p + at + 4, "IDAT", 4)) {
			buf_add(&idat, p + at + 8, len);
		}
		at += 12 + len;
	}
	if (!bpp || !img->w || !img->h)
		goto out;
	stride = (size_t)img->w * bpp;
	raw = malloc((stride + 1) * img->h);
	{
		struct libdeflate_decompressor *z =
			libdeflate_alloc_decompressor();
		enum libdeflate_result res =
			libdeflate_zlib_decompress(z, idat.ptr, idat.len, raw,
						   (stride + 1) * img->h, &n);
		libdeflate_free_decompressor(z);
		if (res != LIBDEFLATE_SUCCESS || n != (stride + 1) * img->h)
			goto out;
	}
	for (y = 0; y < img->h; y++) {
		unsigned char *line = raw + y * (stride + 1) + 1;
		unsigned char *up = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
		for (i = 0; i < stride; i++) {
			int a = i >= bpp ? line[i - bpp] : 0;
			int b = up ? up[i] : 0;
			int c = up && i >= bpp ? up[i - bpp] : 0;
			int pred;
			switch (line[-1]) {
			case 0:
				pred = 0;
				break;
			case 1:
				pred = a;
				break;
			case 2:
				pred = b;
				break;
			case 3:
				pred = (a + b) / 2;
				break;
			case 4:
				pred = paeth(a, b, c);
				break;
			default:
				goto out;
			}
			line[i] = (unsigned char)(line[i] + pred);
		}
	}
	img->rgb = malloc(3 * (size_t)img->w * img->h);
	for (y = 0; y < img->h; y++)
		for (i = 0; i < img->w; i++)
			memcpy(img->rgb + 3 * (y * img->w + i),
			       raw + y * (stride + 1) + 1 + i * bpp, 3);
	r = 0;
out:
	free(raw);
	buf_release(&idat);
	return r;
}

/* The pixel at x, y as 0xRRGGBB. */
static unsigned long pixel(const struct image *img, unsigned x, unsigned y)
{
	const unsigned char *p = img->rgb + 3 * ((size_t)y * img->w + x);

	return (unsigned long)p[0] << 16 | (unsigned long)p[1] << 8 | p[2];
}

/* Pixels of rows y0 to y1 that differ between a and b. */
static size_t differ(const struct image *a, const struct image *b, unsigned y0,
		     unsigned y1)
{
	size_t n = 0, x, y;

	for (y = y0; y < y1 && y < a->h && y < b->h; y++)
		for (x = 0; x < a->w && x < b->w; x++)
			n += pixel(a, (unsigned)x, (unsigned)y) !=
			     pixel(b, (unsigned)x, (unsigned)y);
	return n;
}

/* Renders `svg` and decodes it into `img`; the PNG goes to `png` when not
 * NULL. Returns cover_render()'s result. */
static int render(const char *svg, const char *file, struct image *img,
		  struct buf *png)
{
	struct buf out = BUF_INIT;
	struct diag d;
	int r;

	diag_init(&d);
	r = cover_render(svg, strlen(svg), file, "test.svg", &out, &d);
	diag_print(&d, stderr);
	diag_release(&d);
	memset(img, 0, sizeof(*img));
	if (r == 0)
		CHECK_INT(decode(&out, img), 0);
	if (png)
		buf_add(png, out.ptr, out.len);
	buf_release(&out);
	return r;
}

static void put(const char *rel, const void *data, size_t len)
{
	char path[600];
	struct diag d;

	diag_init(&d);
	snprintf(path, sizeof(path), "%s/%s", tmproot, rel);
	CHECK_INT(fs_write_atomic(path, data, len, NULL, &d), 0);
	diag_release(&d);
}

#define SVG "<svg xmlns=\"http://www.w3.org/2000/svg\" "

static const char blocks[] = SVG
	"width=\"160\" height=\"256\">"
	"<rect width=\"160\" height=\"256\" fill=\"#204080\"/>"
	"<rect x=\"40\" y=\"64\" width=\"80\" height=\"128\" fill=\"#ff8000\"/>"
	"</svg>";

/* An SVG of the usual shape fills the cover's box, drawn as it says; the
 * PNG has no chunk but IHDR, IDAT and IEND, and comes out the same. */
static void test_render(void)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct image img, again;
	unsigned w, h;

	CHECK_INT(render(blocks, NULL, &img, &a), 0);
	CHECK(img.w == COVER_WIDTH && img.h == COVER_HEIGHT);
	CHECK_STR(img.chunks, "IHDR IDAT IEND");
	if (img.rgb) {
		CHECK_INT(pixel(&img, 5, 5), 0x204080);
		CHECK_INT(pixel(&img, 1595, 2555), 0x204080);
		CHECK_INT(pixel(&img, 405, 645), 0xff8000);
		CHECK_INT(pixel(&img, 800, 1280), 0xff8000);
		CHECK_INT(pixel(&img, 395, 1280), 0x204080);
		CHECK_INT(pixel(&img, 1205, 1280), 0x204080);
	}
	CHECK_INT(cover_image_size((const unsigned char *)a.ptr, a.len, &w, &h),
		  0);
	CHECK(w == COVER_WIDTH && h == COVER_HEIGHT);
	/* (a cover of 1600 x 2560 blocks deflates to little) */
	CHECK(a.len > 100 && a.len < 100000);
	CHECK_INT(render(blocks, NULL, &again, &b), 0);
	CHECK(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	CHECK(cover_render_key(blocks, strlen(blocks)) ==
	      cover_render_key(blocks, strlen(blocks)));
	CHECK(cover_render_key(blocks, strlen(blocks)) !=
	      cover_render_key(blocks, strlen(blocks) - 1));
	free(img.rgb);
	free(again.rgb);
	buf_release(&a);
	buf_release(&b);
}

/* Other shapes keep theirs, as large as fits the box. */
static void test_shapes(void)
{
	static const struct {
		const char *svg;
		unsigned w, h;
	} cases[] = {
		{ SVG "width=\"300\" height=\"300\"><rect width=\"300\" "
		      "height=\"300\" fill=\"#c03030\"/></svg>",
		  1600, 1600 },
		{ SVG "viewBox=\"0 0 400 100\"><rect width=\"400\" "
		      "height=\"100\"/></svg>",
		  1600, 400 },
		{ SVG "viewBox=\"0 0 100 1000\"><rect width=\"100\" "
		      "height=\"1000\"/></svg>",
		  256, 2560 },
		{ SVG "><rect width=\"10\" height=\"10\"/></svg>", 1600, 2560 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image img;
		CHECK_INT(render(cases[i].svg, NULL, &img, NULL), 0);
		if (img.w != cases[i].w || img.h != cases[i].h) {
			harness_current_failed = 1;
			fprintf(stderr, "  case %zu: %ux%u, expected %ux%u\n",
				i, img.w, img.h, cases[i].w, cases[i].h);
		}
		free(img.rgb);
	}
}

/* Text is drawn: the fonts are there and librsvg sets it. */
static void test_text(void)
{
	struct image with, without;

	CHECK_INT(render(SVG
			 "width=\"160\" height=\"256\"><text x=\"80\" "
			 "y=\"128\" font-family=\"DejaVu Sans, sans-serif\" "
			 "font-size=\"30\" text-anchor=\"middle\">Title"
			 "</text></svg>",
			 NULL, &with, NULL),
		  0);
	CHECK_INT(render(SVG "width=\"160\" height=\"256\"></svg>", NULL,
			 &without, NULL),
		  0);
	if (with.rgb && without.rgb) {
		size_t inked = differ(&with, &without, 0, COVER_HEIGHT);
		CHECK(inked > 5000);
		/* all of it around the line of text */
		CHECK_INT(differ(&with, &without, 0, 900) +
				  differ(&with, &without, 1400, COVER_HEIGHT),
			  0);
	}
	free(with.rgb);
	free(without.rgb);
}

/* The files an SVG refers to load from its folder (and below) alone. */
static void test_files(void)
{
	struct buf red = BUF_INIT, blue = BUF_INIT;
	struct image img;
	char file[600];
	static const char refs[] = SVG
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		"width=\"160\" height=\"256\">"
		"<rect width=\"160\" height=\"256\" fill=\"#ffffff\"/>"
		"<image x=\"0\" y=\"0\" width=\"160\" height=\"100\" "
		"xlink:href=\"pic.png\" preserveAspectRatio=\"none\"/>"
		"<image x=\"0\" y=\"150\" width=\"160\" height=\"100\" "
		"xlink:href=\"../secret.png\" preserveAspectRatio=\"none\"/>"
		"</svg>";

	CHECK_INT(render(SVG "width=\"10\" height=\"10\"><rect width=\"10\" "
			     "height=\"10\" fill=\"#ff0000\"/></svg>",
			 NULL, &img, &red),
		  0);
	free(img.rgb);
	CHECK_INT(render(SVG "width=\"10\" height=\"10\"><rect width=\"10\" "
			     "height=\"10\" fill=\"#0000ff\"/></svg>",
			 NULL, &img, &blue),
		  0);
	free(img.rgb);
	put("book/images/pic.png", red.ptr, red.len);
	put("book/secret.png", blue.ptr, blue.len);
	snprintf(file, sizeof(file), "%s/book/images/cover.svg", tmproot);
	CHECK_INT(render(refs, file, &img, NULL), 0);
	if (img.rgb) {
		CHECK_INT(pixel(&img, 800, 500), 0xff0000);
		CHECK_INT(pixel(&img, 800, 2000), 0xffffff);
	}
	free(img.rgb);
	/* without a file, nothing is loaded */
	CHECK_INT(render(refs, NULL, &img, NULL), 0);
	if (img.rgb)
		CHECK_INT(pixel(&img, 800, 500), 0xffffff);
	free(img.rgb);
	buf_release(&red);
	buf_release(&blue);
}

static void test_errors(void)
{
	static const char *const bad[] = {
		"",
		"not svg at all",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf out = BUF_INIT;
		struct diag d;
		diag_init(&d);
		CHECK_INT(cover_render(bad[i], strlen(bad[i]), NULL,
				       "content/images/cover.svg", &out, &d),
			  -1);
		CHECK(d.n == 1 && d.v[0].file &&
		      !strcmp(d.v[0].file, "content/images/cover.svg") &&
		      strstr(d.v[0].msg, "cannot render the cover"));
		CHECK_INT(out.len, 0);
		diag_release(&d);
		buf_release(&out);
	}
}

static void test_image_size(void)
{
	static const unsigned char gif[] = "GIF89a\x20\x01\x40\x00\x80";
	/* SOI, an APP0 segment, a DQT-like segment, then SOF2 (progressive):
	 * 48 wide, 32 high */
	static const unsigned char jpeg[] =
		"\xFF\xD8\xFF\xE0\x00\x06JFIF\xFF\xFF\xDB\x00\x03\x01"
		"\xFF\xC2\x00\x0B\x08\x00\x20\x00\x30\x01\x01\x11\x00";
	struct buf png = BUF_INIT;
	struct image img;
	unsigned w = 0, h = 0;

	CHECK_INT(cover_image_size(gif, sizeof(gif) - 1, &w, &h), 0);
	CHECK(w == 288 && h == 64);
	CHECK_INT(cover_image_size(jpeg, sizeof(jpeg) - 1, &w, &h), 0);
	CHECK(w == 48 && h == 32);
	CHECK_INT(cover_image_size(jpeg, 16, &w, &h), -1);
	CHECK_INT(cover_image_size(gif, 8, &w, &h), -1);
	CHECK_INT(cover_image_size((const unsigned char *)"BM\0\0\0\0", 6, &w,
				   &h),
		  -1);
	CHECK_INT(render(blocks, NULL, &img, &png), 0);
	free(img.rgb);
	CHECK_INT(cover_image_size((const unsigned char *)png.ptr, 24, &w, &h),
		  0);
	CHECK(w == COVER_WIDTH && h == COVER_HEIGHT);
	CHECK_INT(cover_image_size((const unsigned char *)png.ptr, 23, &w, &h),
		  -1);
	buf_release(&png);
}

/* The string value of the first element `name` of `svg` (its text). */
static char *svg_text(const struct buf *svg, const char *name, int nth)
{
	xmlDocPtr doc = xmlReadMemory(svg->ptr, (int)svg->len, "c.svg", NULL,
				      XML_PARSE_NONET);
	xmlNodePtr n = doc ? xmlDocGetRootElement(doc)->children : NULL;
	char *r = NULL;

	for (; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(n->name, (const xmlChar *)"g"))
			n = n->children;
		if (!n)
			break;
		if (n->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(n->name, (const xmlChar *)name) && !nth--) {
			xmlChar *s = xmlNodeGetContent(n);
			r = strdup((const char *)s);
			xmlFree(s);
			break;
		}
	}
	if (doc)
		xmlFreeDoc(doc);
	return r;
}

/* The shipped template: escaped values, the title wrapped, drawn. */
static void test_template(void)
{
	struct theme t;
	struct diag d;
	struct buf svg = BUF_INIT, untitled = BUF_INIT;
	struct image with, without;
	char *s;

	diag_init(&d);
	CHECK_INT(theme_load(&t, "default", tmproot, &d), 0);
	CHECK_INT(cover_svg(&t,
			    "Tests & <Trials> of a title long enough to "
			    "wrap",
			    "A subtitle", "Jane Q. Tester", "en", &svg, &d),
		  0);
	s = svg_text(&svg, "title", 0);
	CHECK_STR(s, "Tests & <Trials> of a title long enough to wrap, by "
		     "Jane Q. Tester");
	free(s);
	s = svg_text(&svg, "text", 0);
	CHECK_STR(s, "Tests & <Trials>");
	free(s);
	s = svg_text(&svg, "text", 1);
	CHECK_STR(s, "of a title long");
	free(s);
	/* the title shows: the same cover without it differs where it is */
	CHECK_INT(cover_svg(&t, "", "A subtitle", "Jane Q. Tester", "en",
			    &untitled, &d),
		  0);
	CHECK_INT(d.n, 0);
	CHECK_INT(render(svg.ptr, NULL, &with, NULL), 0);
	CHECK_INT(render(untitled.ptr, NULL, &without, NULL), 0);
	if (with.rgb && without.rgb)
		CHECK(differ(&with, &without, 600, 1500) > 20000);
	free(with.rgb);
	free(without.rgb);
	theme_release(&t);

	/* a template that does not give SVG: an error at it */
	put("themes/default/cover.svg.mustache", "<html>{{title}}</html>", 22);
	buf_reset(&svg);
	CHECK_INT(theme_load(&t, "default", tmproot, &d), 0);
	CHECK_INT(cover_svg(&t, "T", "", "", "en", &svg, &d), -1);
	CHECK(d.n == 1 && d.v[0].file &&
	      strstr(d.v[0].file, "themes/default/cover.svg.mustache") &&
	      strstr(d.v[0].msg, "root must be <svg>"));
	CHECK_INT(svg.len, 0);
	theme_release(&t);
	diag_release(&d);
	buf_release(&svg);
	buf_release(&untitled);
}

int main(void)
{
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_render);
	RUN(test_shapes);
	RUN(test_text);
	RUN(test_files);
	RUN(test_errors);
	RUN(test_image_size);
	RUN(test_template);
	fs_remove_tree(tmproot);
	xmlCleanupParser();
	return harness_done();
}
