/* Tests for write_epub: a small book built twice must give the same
 * bytes, with the container layout, package document, nav and XHTML that
 * EPUB readers and epubcheck expect.
 *
 * Set STEPBOOK_EPUB_KEEP=DIR to keep the test books there (for
 * tests/epub/check.sh). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <json-c/json.h>
#include <zip.h>

#include "buf.h"
#include "cover.h"
#include "diag.h"
#include "epub.h"
#include "fsutil.h"
#include "incremental.h"
#include "harness.h"
#include "markdown.h"
#include "site.h"
#include "site_load.h"
#include "theme.h"
#include "write_epub.h"

/* 2023-11-14T22:13:20Z */
#define EPOCH 1700000000LL

static const unsigned char dot_png[] =
	"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
	"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53"
	"\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\xda\x63\xf8\xcf\xc0\x00"
	"\x00\x03\x01\x01\x00\xf7\x03\x41\x43\x00\x00\x00\x00\x49\x45\x4e"
	"\x44\xae\x42\x60\x82";

static const char book_yml[] =
	"title: \"Tests & <Trials>\"\n"
	"subtitle: A book about \"testing\"\n"
	"author: Jane Q. Tester\n"
	"language: en\n"
	"description: A tiny book that exercises every part of the EPUB "
	"writer.\n"
	"chapters:\n"
	"  - 01-first.md\n"
	"  - 02-second.md\n"
	"  - 03-third.md\n";

static const char first_md[] =
	"---\n"
	"title: \"Step 1: First steps\"\n"
	"step: 1\n"
	"summary: Where it starts.\n"
	"---\n"
	"\n"
	"## Getting started\n"
	"\n"
	"Some text with a note.[^why] See [the details](02-second.md#details)"
	" and [the third chapter](03-third.md).\n"
	"\n"
	"![A red dot](images/dot.png)\n"
	"\n"
	"- [ ] Do the first thing\n"
	"- [x] A thing already done\n"
	"\n"
	"> [!TIP]\n"
	"> A helpful tip with *emphasis*.\n"
	"\n"
	"| left | right |\n"
	"|:-----|------:|\n"
	"| 1    | 2     |\n"
	"\n"
	"### A smaller heading\n"
	"\n"
	"Code: `x < y && y > z`, and a [link out](https://example.org/).\n"
	"\n"
	"```c\n"
	"int main(void) { return 0; }\n"
	"```\n"
	"\n"
	"[^why]: Because notes matter.\n"
	"\n"
	"## Check your understanding\n"
	"\n"
	"```quiz\n"
	"? What is one plus one?\n"
	"- [ ] One\n"
	"- [x] Two\n"
	"> Basic *arithmetic*.\n"
	"```\n";

static const char second_md[] =
	"---\n"
	"title: Second chapter\n"
	"---\n"
	"\n"
	"## Details\n"
	"\n"
	"Back to [the start](01-first.md#getting-started).\n"
	"\n"
	"- [ ] Another task\n"
	"\n"
	"```quiz\n"
	"? Pick every even number\n"
	"- [x] 2\n"
	"- [x] 4\n"
	"- [ ] 5\n"
	"```\n";

static const char third_md[] =
	"---\n"
	"title: Third chapter\n"
	"---\n"
	"\n"
	"Text before any heading, linking [back](02-second.md).\n"
	"\n"
	"> [!WARNING]\n"
	"> Careful now.\n";

static char tmpdir[64];

static void write_file(const char *rel, const void *data, size_t len)
{
	char *path = path_join(tmpdir, rel);
	struct diag d;

	diag_init(&d);
	if (fs_write_atomic(path, data, len, NULL, &d) < 0)
		diag_print(&d, stderr);
	diag_release(&d);
	free(path);
}

static void write_str(const char *rel, const char *s)
{
	write_file(rel, s, strlen(s));
}

static void remove_file(const char *rel)
{
	char *path = path_join(tmpdir, rel);

	unlink(path);
	free(path);
}

static void make_book(void)
{
	write_str("content/book.yml", book_yml);
	write_str("content/01-first.md", first_md);
	write_str("content/02-second.md", second_md);
	write_str("content/03-third.md", third_md);
	write_file("content/images/dot.png", dot_png, sizeof(dot_png) - 1);
}

/* The theme write_epub gets: the shipped default unless a test sets
 * another (a theme folder under tmpdir/themes/). */
static const char *theme_name = "default";
static const char *theme_root = "/nonexistent";

/* The chapters' texts, as the build makes them (no cache): of the book
 * load() loaded last. */
static struct incr inc;
static int inc_open;

/* Loads the book in tmpdir/content and the theme; 0 on success. */
static int load(struct site *s, struct theme *t)
{
	struct diag d;
	char *content = path_join(tmpdir, "content");
	int r;

	if (inc_open)
		incr_release(&inc);
	incr_open(&inc, NULL, 0);
	inc_open = 1;
	diag_init(&d);
	r = incr_load(&inc, s, content, "content", 0, &d);
	if (theme_load(t, theme_name, theme_root, &d) < 0)
		r = -1;
	if (r < 0)
		diag_print(&d, stderr);
	diag_release(&d);
	free(content);
	return r;
}

/* write_epub() into the file `path`, as the build stages it: the bytes
 * made from the EPUB there before (its entries reused when they hold the
 * same bytes; nothing known of it beyond). */
/* The renderings the last epub_to() had libxml2 parse. */
static size_t last_parsed;

static int epub_to(struct site *s, const struct theme *t, const char *path,
		   long long epoch, struct diag *d)
{
	struct buf b = BUF_INIT;
	struct epub_last last;
	struct epub_made made;
	int r;

	memset(&last, 0, sizeof(last));
	r = write_epub(s, &inc, t, &last, path, path, epoch, &made, &b, d);
	last_parsed = made.parsed;
	if (r == 0)
		r = fs_write_atomic(path, b.ptr, b.len, NULL, d);
	epub_made_release(&made);
	buf_release(&b);
	return r;
}

static int build(const char *name, long long epoch)
{
	struct site s;
	struct theme t;
	struct diag d;
	char *path = path_join(tmpdir, name);
	int r;

	diag_init(&d);
	r = load(&s, &t);
	if (r == 0) {
		r = epub_to(&s, &t, path, epoch, &d);
		if (r < 0 || d.n)
			diag_print(&d, stderr);
	}
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	free(path);
	return r;
}

static int read_all(const char *name, struct buf *out)
{
	char *path = path_join(tmpdir, name);
	struct diag d;
	int r;

	diag_init(&d);
	r = fs_read_file(path, NULL, out, &d);
	diag_release(&d);
	free(path);
	return r;
}

static zip_t *open_zip(const char *name)
{
	char *path = path_join(tmpdir, name);
	int err;
	zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);

	free(path);
	return z;
}

/* The uncompressed bytes of entry `name`, or -1. */
static int zip_read_entry(zip_t *z, const char *name, struct buf *out)
{
	zip_stat_t st;
	zip_file_t *f;
	zip_int64_t n;

	if (zip_stat(z, name, 0, &st) < 0)
		return -1;
	f = zip_fopen(z, name, 0);
	if (!f)
		return -1;
	buf_grow(out, (size_t)st.size);
	n = zip_fread(f, out->ptr + out->len, st.size);
	zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != st.size)
		return -1;
	out->len += (size_t)n;
	out->ptr[out->len] = '\0';
	return 0;
}

static xmlDocPtr zip_xml(zip_t *z, const char *name)
{
	struct buf b = BUF_INIT;
	xmlDocPtr doc = NULL;

	if (zip_read_entry(z, name, &b) == 0)
		doc = xmlReadMemory(b.ptr, (int)b.len, name, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
					    XML_PARSE_NOWARNING);
	if (!doc)
		fprintf(stderr, "  %s does not parse as XML\n", name);
	buf_release(&b);
	return doc;
}

static xmlXPathContextPtr xpath_ctx(xmlDocPtr doc)
{
	static const char *const ns[][2] = {
		{ "opf", "http://www.idpf.org/2007/opf" },
		{ "dc", "http://purl.org/dc/elements/1.1/" },
		{ "h", "http://www.w3.org/1999/xhtml" },
		{ "epub", "http://www.idpf.org/2007/ops" },
		{ "ncx", "http://www.daisy.org/z3986/2005/ncx/" },
		{ "svg", "http://www.w3.org/2000/svg" },
		{ "xlink", "http://www.w3.org/1999/xlink" },
	};
	xmlXPathContextPtr x = xmlXPathNewContext(doc);
	size_t i;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		xmlXPathRegisterNs(x, BAD_CAST ns[i][0], BAD_CAST ns[i][1]);
	return x;
}

/* The string value of XPath `expr` (the caller's), "" when empty. */
static char *xp_str(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr x = xpath_ctx(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, x);
	xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
	char *r = strdup(s ? (const char *)s : "");

	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	return r;
}

/* The values of the nodes `expr` selects, joined with spaces. */
static char *xp_join(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr x = xpath_ctx(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, x);
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
		xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		if (b.len)
			buf_addch(&b, ' ');
		buf_adds(&b, s ? (const char *)s : "");
		xmlFree(s);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(x);
	return buf_detach(&b, NULL);
}

static void check_xp(xmlDocPtr doc, const char *expr, const char *want,
		     const char *file, int line)
{
	char *got = xp_str(doc, expr);

	if (strcmp(got, want)) {
		harness_current_failed = 1;
		fprintf(stderr,
			"%s:%d: %s: %s\n  got:      [%s]\n"
			"  expected: [%s]\n",
			file, line, harness_current, expr, got, want);
	}
	free(got);
}
#define CHECK_XP(doc, expr, want) check_xp(doc, expr, want, __FILE__, __LINE__)

static void check_join(xmlDocPtr doc, const char *expr, const char *want,
		       const char *file, int line)
{
	char *got = xp_join(doc, expr);

	if (strcmp(got, want)) {
		harness_current_failed = 1;
		fprintf(stderr,
			"%s:%d: %s: %s\n  got:      [%s]\n"
			"  expected: [%s]\n",
			file, line, harness_current, expr, got, want);
	}
	free(got);
}
#define CHECK_JOIN(doc, expr, want) \
	check_join(doc, expr, want, __FILE__, __LINE__)

static void test_civil_time(void)
{
	int y, mo, d, h, mi, s;

	write_epub_civil_time(0, &y, &mo, &d, &h, &mi, &s);
	CHECK(y == 1970 && mo == 1 && d == 1 && h == 0 && mi == 0 && s == 0);
	write_epub_civil_time(EPOCH, &y, &mo, &d, &h, &mi, &s);
	CHECK(y == 2023 && mo == 11 && d == 14 && h == 22 && mi == 13 &&
	      s == 20);
	write_epub_civil_time(951782400, &y, &mo, &d, &h, &mi, &s);
	CHECK(y == 2000 && mo == 2 && d == 29 && h == 0);
	write_epub_civil_time(-1, &y, &mo, &d, &h, &mi, &s);
	CHECK(y == 1969 && mo == 12 && d == 31 && h == 23 && mi == 59 &&
	      s == 59);
	write_epub_civil_time(4102444799LL, &y, &mo, &d, &h, &mi, &s);
	CHECK(y == 2099 && mo == 12 && d == 31 && h == 23 && mi == 59 &&
	      s == 59);
}

static void test_reproducible(void)
{
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	struct stat st1, st2;
	char *pa = path_join(tmpdir, "a.epub");

	CHECK_INT(build("a.epub", EPOCH), 0);
	CHECK_INT(build("b.epub", EPOCH), 0);
	CHECK_INT(read_all("a.epub", &a), 0);
	CHECK_INT(read_all("b.epub", &b), 0);
	CHECK(a.len > 1000);
	CHECK(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	/* rebuilt over itself: unchanged, and not even rewritten */
	CHECK_INT(stat(pa, &st1), 0);
	CHECK_INT(build("a.epub", EPOCH), 0);
	CHECK_INT(stat(pa, &st2), 0);
	CHECK(st1.st_ino == st2.st_ino);
	CHECK_INT(read_all("a.epub", &c), 0);
	CHECK(a.len == c.len && !memcmp(a.ptr, c.ptr, a.len));
	/* an edited chapter, built over the old file (reusing the entries
	 * that did not change) and afresh: the same bytes */
	write_str("content/03-third.md",
		  "---\ntitle: Third chapter\n---\n\n"
		  "Edited, and linking [back](02-second.md).\n");
	CHECK_INT(build("a.epub", EPOCH), 0);
	CHECK_INT(build("d.epub", EPOCH), 0);
	buf_reset(&b);
	buf_reset(&c);
	CHECK_INT(read_all("a.epub", &b), 0);
	CHECK_INT(read_all("d.epub", &c), 0);
	CHECK(b.len == c.len && !memcmp(b.ptr, c.ptr, b.len));
	CHECK(a.len != b.len || memcmp(a.ptr, b.ptr, a.len));
	write_str("content/03-third.md", third_md);
	CHECK_INT(build("a.epub", EPOCH), 0);
	buf_reset(&b);
	CHECK_INT(read_all("a.epub", &b), 0);
	CHECK(a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
	/* another time gives other bytes */
	CHECK_INT(build("c.epub", EPOCH + 2), 0);
	buf_reset(&c);
	CHECK_INT(read_all("c.epub", &c), 0);
	CHECK(a.len == c.len && memcmp(a.ptr, c.ptr, a.len));
	buf_release(&a);
	buf_release(&b);
	buf_release(&c);
	free(pa);
}

static void test_container(void)
{
	zip_t *z = open_zip("a.epub");
	struct buf b = BUF_INIT, raw = BUF_INIT;
	zip_int64_t i, n;
	zip_stat_t st;

	CHECK(z != NULL);
	if (!z)
		return;
	n = zip_get_num_entries(z, 0);
	CHECK(n > 10);
	CHECK_STR(zip_get_name(z, 0, 0), "mimetype");
	CHECK_INT(zip_stat_index(z, 0, 0, &st), 0);
	CHECK_INT(st.comp_method, ZIP_CM_STORE);
	CHECK_INT(zip_read_entry(z, "mimetype", &b), 0);
	CHECK_STR(b.ptr, "application/epub+zip");
	CHECK_STR(zip_get_name(z, 1, 0), "META-INF/container.xml");
	CHECK_STR(zip_get_name(z, 2, 0), "EPUB/package.opf");
	for (i = 0; i < n; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		CHECK_INT(zip_file_extra_fields_count(z, (zip_uint64_t)i,
						      ZIP_FL_LOCAL),
			  0);
		CHECK_INT(zip_file_extra_fields_count(z, (zip_uint64_t)i,
						      ZIP_FL_CENTRAL),
			  0);
		CHECK_INT(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
		if (i > 0 && st.comp_method != ZIP_CM_DEFLATE) {
			harness_current_failed = 1;
			fprintf(stderr, "  %s is not deflated\n", name);
		}
		CHECK(name[strlen(name) - 1] != '/');
	}
	CHECK(zip_name_locate(z, "EPUB/images/dot.png", 0) > 0);
	CHECK(zip_name_locate(z, "EPUB/cover.png", 0) > 0);
	CHECK(zip_name_locate(z, "EPUB/cover.svg", 0) < 0);
	CHECK(zip_name_locate(z, "EPUB/epub.css", 0) > 0);
	zip_close(z);

	/* raw local header of mimetype: no data descriptor, DOS time and
	 * date of EPOCH in UTC, no extra field, name right after */
	CHECK_INT(read_all("a.epub", &raw), 0);
	CHECK(raw.len > 60 && !memcmp(raw.ptr, "PK\x03\x04", 4));
	if (raw.len > 60) {
		const unsigned char *p = (const unsigned char *)raw.ptr;
		unsigned flags = p[6] | (p[7] << 8);
		unsigned method = p[8] | (p[9] << 8);
		unsigned tm = p[10] | (p[11] << 8), dt = p[12] | (p[13] << 8);
		unsigned namelen = p[26] | (p[27] << 8);
		unsigned extra = p[28] | (p[29] << 8);
		CHECK_INT(flags & 0x8, 0);
		CHECK_INT(method, 0);
		CHECK_INT(tm, (22u << 11) | (13u << 5) | 10u);
		CHECK_INT(dt, ((2023u - 1980u) << 9) | (11u << 5) | 14u);
		CHECK_INT(namelen, 8);
		CHECK_INT(extra, 0);
		CHECK(!memcmp(p + 30, "mimetypeapplication/epub+zip", 28));
	}
	buf_release(&b);
	buf_release(&raw);
}

static void test_package(void)
{
	zip_t *z = open_zip("a.epub");
	xmlDocPtr opf, ncx, container;
	char *id;

	CHECK(z != NULL);
	if (!z)
		return;
	container = zip_xml(z, "META-INF/container.xml");
	opf = zip_xml(z, "EPUB/package.opf");
	ncx = zip_xml(z, "EPUB/toc.ncx");
	CHECK(container && opf && ncx);
	if (!container || !opf || !ncx)
		goto out;
	CHECK_XP(container,
		 "string(/*[local-name()='container']/*/*"
		 "/@full-path)",
		 "EPUB/package.opf");
	CHECK_XP(opf, "string(/opf:package/@version)", "3.0");
	CHECK_XP(opf, "string(/opf:package/@unique-identifier)", "pub-id");
	CHECK_XP(opf, "string(/opf:package/@xml:lang)", "en");
	id = xp_str(opf, "string(//dc:identifier[@id='pub-id'])");
	CHECK(!strncmp(id, "urn:uuid:", 9) && strlen(id) == 45);
	/* the NCX names the same book */
	CHECK_XP(ncx, "string(//ncx:meta[@name='dtb:uid']/@content)", id);
	free(id);
	CHECK_XP(opf, "string(//dc:title[@id='title'])", "Tests & <Trials>");
	CHECK_XP(opf, "string(//dc:language)", "en");
	CHECK_XP(opf, "string(//dc:creator)", "Jane Q. Tester");
	CHECK_XP(opf, "string(//opf:meta[@property='dcterms:modified'])",
		 "2023-11-14T22:13:20Z");
	CHECK_XP(opf, "string(//opf:meta[@name='cover']/@content)",
		 "cover-image");
	CHECK_XP(opf, "string(//opf:item[@id='cover-image']/@properties)",
		 "cover-image");
	CHECK_XP(opf, "string(//opf:item[@id='cover-image']/@href)",
		 "cover.png");
	CHECK_XP(opf, "string(//opf:item[@id='cover-image']/@media-type)",
		 "image/png");
	CHECK_XP(opf, "string(//opf:item[@id='cover']/@properties)", "svg");
	/* the EPUB 2 guide, where older readers and converters look */
	CHECK_JOIN(opf, "/opf:package/opf:guide/opf:reference/@type",
		   "cover toc text");
	CHECK_JOIN(opf, "/opf:package/opf:guide/opf:reference/@href",
		   "cover.xhtml nav.xhtml 01-first.xhtml");
	CHECK_XP(opf, "string(//opf:item[@properties='nav']/@href)",
		 "nav.xhtml");
	CHECK_XP(opf, "string(//opf:item[@href='images/dot.png']/@media-type)",
		 "image/png");
	CHECK_XP(opf, "string(//opf:item[@href='toc.ncx']/@media-type)",
		 "application/x-dtbncx+xml");
	CHECK_XP(opf, "string(/opf:package/opf:spine/@toc)", "ncx");
	CHECK_JOIN(opf, "/opf:package/opf:spine/opf:itemref/@idref",
		   "cover titlepage nav ch-01-first ch-02-second ch-03-third "
		   "checklist answers");
	CHECK_JOIN(opf, "//opf:itemref[@linear='no']/@idref", "answers");
	CHECK_JOIN(opf, "//opf:meta[@property='schema:accessMode']",
		   "textual visual");
	CHECK_JOIN(opf, "//opf:meta[@property='schema:accessibilityFeature']",
		   "structuralNavigation tableOfContents readingOrder "
		   "alternativeText");
	CHECK_XP(opf,
		 "string(//opf:meta[@property='schema:accessibilityHazard'])",
		 "none");
	CHECK_XP(opf, "string(//opf:meta[@property='dcterms:conformsTo'])",
		 "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
	/* every manifest item is in the container, and every spine item in
	 * the manifest */
	{
		char *hrefs = xp_join(opf, "//opf:item/@href"), *tok, *sp;
		for (tok = hrefs; *tok; tok = sp + (*sp == ' ')) {
			struct buf name = BUF_INIT;
			sp = tok + strcspn(tok, " ");
			buf_adds(&name, "EPUB/");
			buf_add(&name, tok, (size_t)(sp - tok));
			if (zip_name_locate(z, name.ptr, 0) < 0) {
				harness_current_failed = 1;
				fprintf(stderr, "  %s missing\n", name.ptr);
			}
			buf_release(&name);
		}
		free(hrefs);
	}
	CHECK_XP(ncx, "string(count(//ncx:navPoint))", "8");
	CHECK_XP(ncx, "string(//ncx:navPoint[1]/ncx:content/@src)",
		 "01-first.xhtml");
out:
	if (container)
		xmlFreeDoc(container);
	if (opf)
		xmlFreeDoc(opf);
	if (ncx)
		xmlFreeDoc(ncx);
	zip_close(z);
}

static void test_nav(void)
{
	zip_t *z = open_zip("a.epub");
	xmlDocPtr nav;

	CHECK(z != NULL);
	if (!z)
		return;
	nav = zip_xml(z, "EPUB/nav.xhtml");
	CHECK(nav != NULL);
	if (nav) {
		CHECK_JOIN(nav, "//h:nav[@epub:type='toc']/h:ol/h:li/h:a/@href",
			   "01-first.xhtml 02-second.xhtml 03-third.xhtml "
			   "checklist.xhtml answers.xhtml");
		CHECK_JOIN(nav,
			   "//h:nav[@epub:type='toc']/h:ol/h:li[1]/h:ol"
			   "/h:li/h:a/@href",
			   "01-first.xhtml#getting-started "
			   "01-first.xhtml#check-your-understanding");
		CHECK_JOIN(nav, "//h:nav[@epub:type='toc']/h:ol/h:li[1]/h:a",
			   "Step 1: First steps");
		CHECK_XP(nav, "string(//h:nav[@epub:type='toc']/@role)",
			 "doc-toc");
		CHECK_JOIN(nav,
			   "//h:nav[@epub:type='landmarks']//h:a/@epub:type",
			   "cover titlepage toc bodymatter appendix");
		xmlFreeDoc(nav);
	}
	zip_close(z);
}

static void test_documents(void)
{
	zip_t *z = open_zip("a.epub");
	zip_int64_t i, n;

	CHECK(z != NULL);
	if (!z)
		return;
	n = zip_get_num_entries(z, 0);
	for (i = 0; i < n; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		size_t len = strlen(name);
		struct buf b = BUF_INIT;
		xmlDocPtr doc;

		if (len < 6 || strcmp(name + len - 6, ".xhtml"))
			continue;
		doc = zip_xml(z, name);
		CHECK(doc != NULL);
		if (!doc)
			continue;
		CHECK_XP(doc, "string(/h:html/@xml:lang)", "en");
		CHECK_XP(doc, "string(/h:html/@lang)", "en");
		CHECK_XP(doc, "string(/h:html/h:head/h:link/@href)",
			 "epub.css");
		CHECK_XP(doc, "string(count(//h:input|//h:script|//h:form))",
			 "0");
		CHECK_XP(doc,
			 "string(count(//@*[starts-with(local-name(), "
			 "'data-')]))",
			 "0");
		/* no <p/>-style empty elements */
		zip_read_entry(z, name, &b);
		CHECK(!strstr(b.ptr, "<p/>") && !strstr(b.ptr, "<a/>") &&
		      !strstr(b.ptr, "<span/>") && !strstr(b.ptr, "<td/>"));
		buf_release(&b);
		xmlFreeDoc(doc);
	}
	zip_close(z);
}

static void test_chapters(void)
{
	zip_t *z = open_zip("a.epub");
	xmlDocPtr c1, c2, c3, ans, check;

	CHECK(z != NULL);
	if (!z)
		return;
	c1 = zip_xml(z, "EPUB/01-first.xhtml");
	c2 = zip_xml(z, "EPUB/02-second.xhtml");
	c3 = zip_xml(z, "EPUB/03-third.xhtml");
	ans = zip_xml(z, "EPUB/answers.xhtml");
	check = zip_xml(z, "EPUB/checklist.xhtml");
	CHECK(c1 && c2 && c3 && ans && check);
	if (!c1 || !c2 || !c3 || !ans || !check)
		goto out;
	CHECK_XP(c1, "string(/h:html/h:head/h:title)", "Step 1: First steps");
	CHECK_XP(c1, "string(/h:html/h:body/h:section/@epub:type)", "chapter");
	CHECK_XP(c1, "string(/h:html/h:body/h:section/@role)", "doc-chapter");
	CHECK_XP(c1, "string(/h:html/h:body/h:section/h:h1)",
		 "Step 1: First steps");
	CHECK_XP(c1, "string(//h:h2[1]/@id)", "getting-started");
	/* the footnote: noteref and endnote, linked both ways */
	CHECK_XP(c1,
		 "string(//h:a[@epub:type='noteref' and "
		 "@role='doc-noteref' and starts-with(@href, '#fn-')]"
		 "/@href)",
		 "#fn-why");
	CHECK_XP(c1, "string(//h:section[@epub:type='endnotes']/@role)",
		 "doc-endnotes");
	CHECK_XP(c1, "string(//h:li[@epub:type='endnote']/@id)", "fn-why");
	CHECK_XP(c1,
		 "string(count(//h:li[@epub:type='endnote']"
		 "//h:a[@role='doc-backlink']))",
		 "1");
	/* cross-link, image, task items, callout, quiz, table */
	CHECK_XP(c1, "string(//h:a[contains(., 'the details')]/@href)",
		 "02-second.xhtml#details");
	CHECK_XP(c1, "string(//h:img/@src)", "images/dot.png");
	CHECK_XP(c1, "string(//h:img/@alt)", "A red dot");
	CHECK_XP(c1, "string(count(//h:span[@class='task-box']))", "2");
	CHECK_XP(c1, "string(count(//h:div[contains(@class, 'callout')]))",
		 "1");
	/* its label alone, in words: no symbol e-reader fonts lack */
	CHECK_XP(c1,
		 "string(//h:div[contains(@class, 'callout')]"
		 "/h:p[@class='callout-title'])",
		 "Tip");
	CHECK_XP(c3,
		 "string(//h:div[contains(@class, 'callout')]"
		 "/h:p[@class='callout-title'])",
		 "Warning");
	CHECK_XP(c1,
		 "string(//h:a[@epub:type='noteref' and "
		 "starts-with(@href, 'answers.xhtml#')]/@href)",
		 "answers.xhtml#01-first-quiz-1-q1");
	CHECK_XP(c1, "string(count(//h:td[@align]|//h:th[@align]))", "0");
	CHECK_XP(c1, "string(//h:th[2]/@class)", "align-right");
	CHECK_XP(c1, "string(count(//@style))", "0");
	CHECK_XP(c1, "string(//h:ul[h:li/h:span[@class='task-box']]/@class)",
		 "task-list");
	CHECK_XP(c1, "string(count(//h:li[@class='task-item']))", "2");
	CHECK_XP(c1, "string(//h:a[contains(., 'link out')]/@href)",
		 "https://example.org/");
	/* backlinks: chapter 2 links to a heading of chapter 1 */
	CHECK_XP(c1, "string(//h:section[@class='backlinks']/h:h2)",
		 "Referenced from");
	CHECK_XP(c1, "string(//h:section[@class='backlinks']//h:a/@href)",
		 "02-second.xhtml#details");
	CHECK_XP(c1, "string(//h:section[@class='backlinks']//h:a)",
		 "Second chapter: Details");
	/* chapter 3 is linked from chapter 1 (under a heading) and from
	 * nowhere else; chapter 3 links to chapter 2 without a heading */
	CHECK_XP(c3, "string(//h:section[@class='backlinks']//h:a/@href)",
		 "01-first.xhtml#getting-started");
	CHECK_XP(c2, "string(count(//h:section[@class='backlinks']//h:a))",
		 "2");
	CHECK_JOIN(c2, "//h:section[@class='backlinks']//h:a/@href",
		   "01-first.xhtml#getting-started 03-third.xhtml");
	/* answers */
	CHECK_XP(ans, "string(//h:h1)", "Quiz answers");
	CHECK_XP(ans, "string(count(//h:aside[@epub:type='footnote']))", "2");
	CHECK_XP(ans, "string(//h:aside[@epub:type='footnote'][1]/@id)",
		 "01-first-quiz-1-q1");
	CHECK_JOIN(ans, "//h:h2", "Step 1: First steps Second chapter");
	/* checklist */
	CHECK_JOIN(check, "//h:ul[@class='checklist']/h:li/h:a/@href",
		   "01-first.xhtml#getting-started "
		   "01-first.xhtml#getting-started 02-second.xhtml#details");
	CHECK_JOIN(check, "//h:h2", "Step 1: First steps Second chapter");
out:
	if (c1)
		xmlFreeDoc(c1);
	if (c2)
		xmlFreeDoc(c2);
	if (c3)
		xmlFreeDoc(c3);
	if (ans)
		xmlFreeDoc(ans);
	if (check)
		xmlFreeDoc(check);
	zip_close(z);
}

static void test_cover_image(void)
{
	static const char yml[] = "title: Covered\n"
				  "author: A. Author\n"
				  "identifier: urn:isbn:9780000000002\n"
				  "cover: images/dot.png\n"
				  "chapters:\n"
				  "  - 04-plain.md\n"
				  "  - part/05-sub.md\n";
	zip_t *z;
	xmlDocPtr opf, cover, sub;

	write_str("content/book.yml", yml);
	write_str("content/04-plain.md",
		  "---\ntitle: Plain\n---\n\nJust text.\n");
	/* a chapter in a folder, showing an image beside it and the cover */
	write_str("content/part/05-sub.md",
		  "---\ntitle: Sub\n---\n\n![Dot](pic.png) ![Cover](../images/"
		  "dot.png) [Plain](../04-plain.md)\n");
	write_file("content/part/pic.png", dot_png, sizeof(dot_png) - 1);
	CHECK_INT(build("covered.epub", 0), 0);
	z = open_zip("covered.epub");
	CHECK(z != NULL);
	if (!z)
		goto out;
	opf = zip_xml(z, "EPUB/package.opf");
	cover = zip_xml(z, "EPUB/cover.xhtml");
	CHECK(opf && cover);
	if (opf) {
		CHECK_XP(opf, "string(//dc:identifier)",
			 "urn:isbn:9780000000002");
		CHECK_XP(opf, "string(//opf:item[@id='cover-image']/@href)",
			 "images/dot.png");
		CHECK_XP(opf,
			 "string(//opf:item[@id='cover-image']/@media-type)",
			 "image/png");
		CHECK_XP(opf,
			 "string(//opf:meta[@property='dcterms:modified'])",
			 "1970-01-01T00:00:00Z");
		/* no quizzes, no tasks: no answers, no checklist */
		CHECK_JOIN(opf, "/opf:package/opf:spine/opf:itemref/@idref",
			   "cover titlepage nav ch-04-plain ch-part-05-sub");
		CHECK_JOIN(opf,
			   "//opf:item[starts-with(@media-type, 'image/')]"
			   "/@href",
			   "images/dot.png part/pic.png");
		xmlFreeDoc(opf);
	}
	sub = zip_xml(z, "EPUB/part-05-sub.xhtml");
	CHECK(sub != NULL);
	if (sub) {
		CHECK_JOIN(sub, "//h:img/@src", "part/pic.png images/dot.png");
		CHECK_XP(sub, "string(//h:a/@href)", "04-plain.xhtml");
		xmlFreeDoc(sub);
	}
	if (cover) {
		/* the image scaled to the page: an SVG of its proportions */
		CHECK_XP(cover,
			 "string(//h:section[@epub:type='cover']"
			 "/svg:svg/svg:image/@xlink:href)",
			 "images/dot.png");
		CHECK_XP(cover, "string(//svg:svg/@viewBox)", "0 0 1 1");
		CHECK_XP(cover, "string(//svg:svg/@preserveAspectRatio)",
			 "xMidYMid meet");
		CHECK_XP(cover, "string(//svg:svg/@width)", "100%");
		CHECK_XP(cover, "string(//svg:svg/@height)", "100%");
		CHECK_XP(cover, "string(//svg:svg/@aria-label)",
			 "Cover: Covered, by A. Author");
		CHECK_XP(cover, "string(//svg:svg/svg:title)",
			 "Cover: Covered, by A. Author");
		CHECK_XP(cover, "string(/h:html/@class)", "cover");
		xmlFreeDoc(cover);
	}
	CHECK(zip_name_locate(z, "EPUB/cover.svg", 0) < 0);
	zip_close(z);
out:
	write_str("content/book.yml", book_yml);
	remove_file("content/04-plain.md");
	remove_file("content/part/05-sub.md");
	remove_file("content/part/pic.png");
}

/* An SVG `cover:` is rendered into the cover image, cover.png (named
 * apart from a content image of that name), and stays an SVG where a
 * chapter shows it; one librsvg cannot read is an error at its file. */
static void test_cover_svg(void)
{
	static const char yml[] = "title: Drawn\n"
				  "cover: images/cover.svg\n"
				  "chapters:\n"
				  "  - 04-plain.md\n";
	struct buf png = BUF_INIT;
	unsigned w = 0, h = 0;
	struct site s;
	struct theme t;
	struct diag d;
	char *path = path_join(tmpdir, "drawn.epub");
	zip_t *z;
	xmlDocPtr opf;

	write_str("content/book.yml", yml);
	write_str("content/images/cover.svg",
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50\" "
		  "height=\"80\"><rect width=\"50\" height=\"80\" "
		  "fill=\"#336699\"/></svg>\n");
	write_file("content/cover.png", dot_png, sizeof(dot_png) - 1);
	write_str("content/04-plain.md",
		  "---\ntitle: Plain\n---\n\n![The cover](images/cover.svg) "
		  "![A dot](cover.png)\n");
	CHECK_INT(build("drawn.epub", EPOCH), 0);
	z = open_zip("drawn.epub");
	CHECK(z != NULL);
	if (z) {
		opf = zip_xml(z, "EPUB/package.opf");
		if (opf) {
			CHECK_XP(opf,
				 "string(//opf:item[@id='cover-image']"
				 "/@href)",
				 "cover-2.png");
			CHECK_JOIN(opf,
				   "//opf:item[starts-with(@media-type, "
				   "'image/')]/@href",
				   "cover-2.png cover.png images/cover.svg");
			xmlFreeDoc(opf);
		}
		CHECK_INT(zip_read_entry(z, "EPUB/cover-2.png", &png), 0);
		CHECK_INT(cover_image_size((const unsigned char *)png.ptr,
					   png.len, &w, &h),
			  0);
		CHECK(w == COVER_WIDTH && h == COVER_HEIGHT);
		zip_close(z);
	}

	write_str("content/images/cover.svg", "<svg>not closed");
	diag_init(&d);
	CHECK_INT(load(&s, &t), 0);
	CHECK_INT(epub_to(&s, &t, path, EPOCH, &d), -1);
	CHECK(d.n == 1 && d.v[0].file &&
	      !strcmp(d.v[0].file, "content/images/cover.svg") &&
	      strstr(d.v[0].msg, "cannot render the cover"));
	site_release(&s);
	theme_release(&t);
	diag_release(&d);

	write_str("content/book.yml", book_yml);
	remove_file("content/images/cover.svg");
	remove_file("content/cover.png");
	remove_file("content/04-plain.md");
	buf_release(&png);
	free(path);
}

/* Raw HTML (unsafe_html): HTML5 elements that libxml2 2.9's HTML parser
 * does not know survive, inline SVG keeps its mixed-case names and marks
 * the page "svg", forms and scripts go, links to files the EPUB does not
 * carry keep their text, remote images become links. */
static void test_raw_html(void)
{
	static const char yml[] = "title: Raw\n"
				  "unsafe_html: true\n"
				  "chapters:\n"
				  "  - 05-raw.md\n";
	static const char md[] =
		"---\ntitle: Raw HTML\n---\n\n"
		"## Parts\n\n"
		"<details><summary>More</summary><p>Hidden text</p></details>\n\n"
		"<svg viewBox=\"0 0 10 10\" width=\"10\" height=\"10\" "
		"role=\"img\" aria-label=\"A square\"><defs><linearGradient "
		"id=\"g\" gradientUnits=\"userSpaceOnUse\"><stop offset=\"0\" "
		"stop-color=\"#000\"/></linearGradient></defs><rect "
		"width=\"10\" height=\"10\" fill=\"url(#g)\"/></svg>\n\n"
		"<form action=\"x\"><label>kept label</label> <input "
		"type=\"text\" name=\"q\"><button>Go</button></form>\n\n"
		"<script>alert(1)</script>\n\n"
		"<p onclick=\"x()\" data-x=\"1\" hidden>hidden para</p>\n\n"
		"<aside><p>An aside</p></aside>\n\n"
		"Get [the worksheet](files/sheet.pdf) and see "
		"![a remote picture](https://example.org/x.png).\n";
	zip_t *z;
	xmlDocPtr opf, ch;

	write_str("content/book.yml", yml);
	write_str("content/05-raw.md", md);
	write_str("content/files/sheet.pdf", "%PDF-1.4\n");
	CHECK_INT(build("raw.epub", EPOCH), 0);
	z = open_zip("raw.epub");
	CHECK(z != NULL);
	if (!z)
		goto out;
	opf = zip_xml(z, "EPUB/package.opf");
	ch = zip_xml(z, "EPUB/05-raw.xhtml");
	CHECK(opf && ch);
	if (opf) {
		CHECK_XP(opf,
			 "string(//opf:item[@href='05-raw.xhtml']"
			 "/@properties)",
			 "svg");
		CHECK_XP(opf,
			 "string(count(//opf:item[contains(@href, "
			 "'.pdf')]))",
			 "0");
		xmlFreeDoc(opf);
	}
	if (ch) {
		CHECK_XP(ch, "string(//h:details/h:summary)", "More");
		CHECK_XP(ch, "string(//h:details/h:p)", "Hidden text");
		CHECK_XP(ch,
			 "string(//*[local-name()='svg' and namespace-uri()="
			 "'http://www.w3.org/2000/svg']/@viewBox)",
			 "0 0 10 10");
		CHECK_XP(ch,
			 "string(count(//*[local-name()='linearGradient' "
			 "and @gradientUnits]))",
			 "1");
		CHECK_XP(ch,
			 "string(count(//h:form|//h:input|//h:button|"
			 "//h:script))",
			 "0");
		CHECK_XP(ch, "string(//h:label)", "kept label");
		CHECK_XP(ch, "string(count(//@onclick|//@data-x))", "0");
		CHECK_XP(ch, "string(//h:p[. = 'hidden para']/@hidden)",
			 "hidden");
		CHECK_XP(ch, "string(//h:aside/h:p)", "An aside");
		CHECK_XP(ch, "string(count(//h:a[contains(@href, 'pdf')]))",
			 "0");
		CHECK_XP(ch, "string(//h:p[contains(., 'worksheet')])",
			 "Get the worksheet and see a remote picture.");
		CHECK_XP(ch, "string(//h:a[. = 'a remote picture']/@href)",
			 "https://example.org/x.png");
		CHECK_XP(ch, "string(count(//h:img))", "0");
		xmlFreeDoc(ch);
	}
	zip_close(z);
out:
	write_str("content/book.yml", book_yml);
	remove_file("content/05-raw.md");
	remove_file("content/files/sheet.pdf");
}

/* Markup of every kind the fast conversion (conv_fast) reads: entities
 * and character references, attributes with quotes, line breaks and
 * non-ASCII, local and remote images, links to files the EPUB
 * does not carry, task lists in lists, aligned and empty table cells,
 * footnotes referenced twice, an ordered list's start. */
static const char tricky_md[] =
	"---\n"
	"title: Third chapter\n"
	"---\n"
	"\n"
	"## It's \"quoted\" & &lt;odd&gt;\n"
	"\n"
	"Text before, linking [back](02-second.md \"A \\\"titled\\\"\n"
	"link \u00e9\u2014here\"), &copy; &#x2014; &#39; caf\u00e9, "
	"~~struck~~, <https://example.org/a?b=1&c=2> and www.example.com.  \n"
	"A hard break above, a note[^n] and the same note again[^n].\n"
	"\n"
	"![Un point \u00e9 \"rouge\"](images/dot.png \"Dot\ttab\")\n"
	"![remote](https://example.org/r.png) "
	"![](https://example.org/no-alt.png)\n"
	"\n"
	"A [link to a picture](images/dot.png) keeps its text.\n"
	"\n"
	"3. third\n"
	"4. fourth\n"
	"   - [ ] nested task\n"
	"   - [x] nested done\n"
	"\n"
	"- [ ] loose task\n"
	"\n"
	"  with a second paragraph\n"
	"\n"
	"- plain item\n"
	"\n"
	"| a | b | c |\n"
	"|:-:|---|--:|\n"
	"|   | x |   |\n"
	"\n"
	"***\n"
	"\n"
	"```sh\n"
	"echo \"<tag>\" && echo 'it' \t# tab\n"
	"```\n"
	"\n"
	"```quiz\n"
	"? Isn't it \"so\"?\n"
	"- [x] It's &lt;yes&gt;\n"
	"- [ ] No & never\n"
	"> Because it's so.\n"
	"```\n"
	"\n"
	"[^n]: A note with *emphasis* and a [link](01-first.md).\n";

/* One path to XHTML per book: without raw HTML, the chapters' XHTML is
 * made from their trees (markdown_xhtml.c) and no parser reads it; with
 * unsafe_html, libxml2 parses cmark-gfm's HTML. Both follow the same
 * rules, so the same chapters (none holds raw HTML) give the same
 * documents either way, byte for byte: links to files the EPUB does not
 * carry lose the link, images are carried or become links, footnotes
 * are endnotes, task lists are marked, quiz answers are notes. A
 * character XML cannot hold is left out on the tree's way too. */
static void test_paths_agree(void)
{
	static const char *const docs[] = {
		"EPUB/01-first.xhtml",  "EPUB/02-second.xhtml",
		"EPUB/03-third.xhtml",  "EPUB/answers.xhtml",
		"EPUB/checklist.xhtml",
	};
	struct buf a = BUF_INIT, b = BUF_INIT;
	zip_t *xml, *html;
	size_t i;

	write_str("content/book.yml", book_yml);
	write_str("content/03-third.md", tricky_md);
	CHECK_INT(build("xml.epub", EPOCH), 0);
	CHECK_INT(last_parsed, 0);
	write_str("content/book.yml",
		  "title: \"Tests & <Trials>\"\n"
		  "subtitle: A book about \"testing\"\n"
		  "author: Jane Q. Tester\nlanguage: en\n"
		  "description: A tiny book that exercises every part of the "
		  "EPUB writer.\nunsafe_html: true\n"
		  "chapters:\n  - 01-first.md\n  - 02-second.md\n"
		  "  - 03-third.md\n");
	CHECK_INT(build("html.epub", EPOCH), 0);
	/* the three chapters' bodies and their quiz answers */
	CHECK_INT(last_parsed, 6);
	xml = open_zip("xml.epub");
	html = open_zip("html.epub");
	CHECK(xml && html);
	for (i = 0; xml && html && i < sizeof(docs) / sizeof(docs[0]); i++) {
		buf_reset(&a);
		buf_reset(&b);
		CHECK_INT(zip_read_entry(xml, docs[i], &a), 0);
		CHECK_INT(zip_read_entry(html, docs[i], &b), 0);
		CHECK(a.len > 0 && a.len == b.len &&
		      !memcmp(a.ptr, b.ptr, a.len));
	}
	if (xml)
		zip_close(xml);
	if (html)
		zip_close(html);
	write_str("content/book.yml", book_yml);

	/* U+000B is no XML character: left out, still without a parser */
	write_str("content/03-third.md",
		  "---\ntitle: Third chapter\n---\n\n"
		  "Text with a \x0b vertical tab, linking [back](02-second.md)."
		  "[^n]\n\n[^n]: A note.\n");
	CHECK_INT(build("ctl.epub", EPOCH), 0);
	CHECK_INT(last_parsed, 0);
	xml = open_zip("ctl.epub");
	CHECK(xml != NULL);
	if (xml) {
		xmlDocPtr ch = zip_xml(xml, "EPUB/03-third.xhtml");
		CHECK(ch != NULL);
		if (ch) {
			CHECK_XP(ch,
				 "string(count(//h:p[contains(., "
				 "'vertical tab')]))",
				 "1");
			CHECK_XP(ch,
				 "string(count(//h:section[@epub:type="
				 "'endnotes']))",
				 "1");
			xmlFreeDoc(ch);
		}
		zip_close(xml);
	}
	write_str("content/03-third.md", third_md);
	buf_release(&a);
	buf_release(&b);
}

/* The cover image of a book without `cover:` is the PNG of its theme's
 * cover.svg.mustache: a template of another shape gives a PNG of that
 * shape; one that does not give SVG is an error naming it; a theme
 * without one gets the default theme's (a.epub's very PNG). */
static void test_cover_template(void)
{
	struct site s;
	struct theme t;
	struct diag d;
	char *path = path_join(tmpdir, "tpl.epub");
	struct buf a = BUF_INIT, b = BUF_INIT;
	unsigned w = 0, h = 0;
	zip_t *z = open_zip("a.epub");

	CHECK(z != NULL);
	if (z) {
		CHECK_INT(zip_read_entry(z, "EPUB/cover.png", &a), 0);
		CHECK_INT(cover_image_size((const unsigned char *)a.ptr, a.len,
					   &w, &h),
			  0);
		CHECK(w == COVER_WIDTH && h == COVER_HEIGHT);
		zip_close(z);
	}

	theme_root = tmpdir;
	write_str("themes/default/cover.svg.mustache",
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" "
		  "height=\"300\"><title>{{title}}</title><rect width=\"300\" "
		  "height=\"300\" fill=\"#c03030\"/></svg>\n");
	CHECK_INT(build("tpl.epub", EPOCH), 0);
	z = open_zip("tpl.epub");
	CHECK(z != NULL);
	if (z) {
		CHECK_INT(zip_read_entry(z, "EPUB/cover.png", &b), 0);
		CHECK_INT(cover_image_size((const unsigned char *)b.ptr, b.len,
					   &w, &h),
			  0);
		CHECK(w == COVER_WIDTH && h == COVER_WIDTH);
		zip_close(z);
	}

	write_str("themes/default/cover.svg.mustache",
		  "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{{title}}"
		  "</svg>\n");
	diag_init(&d);
	CHECK_INT(load(&s, &t), 0);
	CHECK_INT(epub_to(&s, &t, path, EPOCH, &d), -1);
	CHECK(d.n && strstr(d.v[0].msg, "cover template") != NULL);
	CHECK(d.n && d.v[0].file &&
	      strstr(d.v[0].file, "cover.svg.mustache") != NULL);
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	remove_file("themes/default/cover.svg.mustache");

	theme_name = "plain";
	write_str("themes/plain/epub.css", "body { margin: 0; }\n");
	diag_init(&d);
	CHECK_INT(load(&s, &t), 0);
	CHECK_INT(epub_to(&s, &t, path, EPOCH, &d), 0);
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	z = open_zip("tpl.epub");
	CHECK(z != NULL);
	if (z) {
		struct buf css = BUF_INIT;
		buf_reset(&b);
		CHECK_INT(zip_read_entry(z, "EPUB/cover.png", &b), 0);
		CHECK(a.len && a.len == b.len && !memcmp(a.ptr, b.ptr, a.len));
		CHECK_INT(zip_read_entry(z, "EPUB/epub.css", &css), 0);
		CHECK_STR(css.ptr, "body { margin: 0; }\n");
		buf_release(&css);
		zip_close(z);
	}

	/* a child of the default theme: the shared rules, then its own */
	theme_name = "child";
	write_str("themes/child/parent", "default\n");
	write_str("themes/child/epub.css", "body { margin: 0; }\n");
	diag_init(&d);
	CHECK_INT(load(&s, &t), 0);
	CHECK_INT(epub_to(&s, &t, path, EPOCH, &d), 0);
	{
		const struct theme_file *shared = theme_get(&t,
							    "epub-base.css");
		struct buf css = BUF_INIT;
		CHECK(shared != NULL);
		z = open_zip("tpl.epub");
		CHECK(z != NULL);
		if (z && shared) {
			CHECK_INT(zip_read_entry(z, "EPUB/epub.css", &css), 0);
			CHECK(css.len > shared->len &&
			      !memcmp(css.ptr, shared->data, shared->len));
			CHECK(strstr(css.ptr, "span.quiz-hint") != NULL);
			CHECK_STR(css.ptr + css.len - 21,
				  "\nbody { margin: 0; }\n");
		}
		if (z)
			zip_close(z);
		buf_release(&css);
	}
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	theme_name = "default";
	theme_root = "/nonexistent";
	buf_release(&a);
	buf_release(&b);
	free(path);
}

static void test_errors(void)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct site s;
	struct theme t;
	struct diag d;
	char *path = path_join(tmpdir, "a.epub");

	/* an image EPUB cannot carry: error, and the old file stays */
	write_file("content/images/pic.bmp", "BM", 2);
	write_str(
		"content/03-third.md",
		"---\ntitle: Third chapter\n---\n\n![bitmap](images/pic.bmp)\n");
	CHECK_INT(read_all("a.epub", &before), 0);
	diag_init(&d);
	CHECK_INT(load(&s, &t), 0);
	CHECK_INT(epub_to(&s, &t, path, EPOCH + 100, &d), -1);
	CHECK(d.errors >= 1);
	CHECK(d.n && strstr(d.v[0].msg, "images/pic.bmp") != NULL);
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	CHECK_INT(read_all("a.epub", &after), 0);
	CHECK(before.len == after.len &&
	      !memcmp(before.ptr, after.ptr, before.len));

	/* a chapter slug that clashes with a generated page is refused when
	 * the book is loaded, before any writer runs */
	write_str("content/03-third.md", third_md);
	write_str("content/book.yml", "title: Clash\nchapters:\n  - nav.md\n");
	write_str("content/nav.md", "---\ntitle: Nav\n---\n\nText.\n");
	diag_init(&d);
	CHECK_INT(load(&s, &t), -1);
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	buf_reset(&after);
	CHECK_INT(read_all("a.epub", &after), 0);
	CHECK(before.len == after.len &&
	      !memcmp(before.ptr, after.ptr, before.len));
	write_str("content/book.yml", book_yml);
	buf_release(&before);
	buf_release(&after);
	free(path);
}

/* Builds "chain.epub" over the one the last call made, knowing of it
 * what that call made (`made`, replaced by what this one makes), as a
 * build knows from its cache. Returns write_epub()'s result. */
static int chain_build(struct epub_made *made)
{
	struct site s;
	struct theme t;
	struct diag d;
	struct buf b = BUF_INIT;
	struct epub_last last;
	struct epub_made now;
	char *path = path_join(tmpdir, "chain.epub");
	int r;

	memset(&last, 0, sizeof(last));
	memset(&now, 0, sizeof(now));
	if (made->chapters)
		last.stamp = fs_stamp(path);
	memcpy(last.doc_keys, made->doc_keys, sizeof(last.doc_keys));
	last.chapters = made->chapters;
	diag_init(&d);
	r = load(&s, &t);
	if (r == 0)
		r = write_epub(&s, &inc, &t, &last, path, path, EPOCH, &now, &b,
			       &d);
	if (r == 0)
		r = fs_write_atomic(path, b.ptr, b.len, NULL, &d);
	if (r < 0)
		diag_print(&d, stderr);
	epub_made_release(made);
	*made = now;
	site_release(&s);
	theme_release(&t);
	diag_release(&d);
	buf_release(&b);
	free(path);
	return r;
}

/* Checks that chain.epub, built over the previous one, has the bytes of
 * a build that knows nothing. */
static void check_chain_is_fresh(void)
{
	struct buf chained = BUF_INIT, fresh = BUF_INIT;

	CHECK_INT(build("fresh.epub", EPOCH), 0);
	CHECK_INT(read_all("chain.epub", &chained), 0);
	CHECK_INT(read_all("fresh.epub", &fresh), 0);
	CHECK(chained.len == fresh.len &&
	      !memcmp(chained.ptr, fresh.ptr, chained.len));
	buf_release(&chained);
	buf_release(&fresh);
}

/* The whole-book documents (nav, NCX, checklist, answers) are copied
 * from the previous EPUB when their bytes would be the same, and made
 * again when anything they show changed: their keys are made by the code
 * that writes them (what their writer is given, or their bytes), not by
 * a list of what they are made from. */
/* Whether entry `name` of the chained EPUB holds `needle`. */
static int chain_has(const char *name, const char *needle)
{
	struct buf b = BUF_INIT;
	zip_t *z = open_zip("chain.epub");
	int found = 0;

	if (z) {
		found = zip_read_entry(z, name, &b) == 0 && b.ptr &&
			strstr(b.ptr, needle) != NULL;
		zip_close(z);
	}
	buf_release(&b);
	return found;
}

static void test_doc_reuse(void)
{
	struct epub_made m;
	struct buf nav = BUF_INIT;
	zip_t *z;

	memset(&m, 0, sizeof(m));
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT((int)m.docs_reused, 0);
	CHECK_INT((int)m.reused, 0);
	/* nothing changed: all four, and every chapter, taken */
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT((int)m.docs_reused, 4);
	CHECK_INT((int)m.reused, 3);
	/* a title the nav and the NCX show, not the checklist or the
	 * answers (its chapter has no task and no quiz) */
	write_str("content/03-third.md",
		  "---\ntitle: Third chapter, renamed\n---\n\n"
		  "Text before any heading, linking [back](02-second.md).\n");
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT((int)m.docs_reused, 2);
	z = open_zip("chain.epub");
	CHECK(z != NULL);
	if (z) {
		CHECK_INT(zip_read_entry(z, "EPUB/nav.xhtml", &nav), 0);
		CHECK(strstr(nav.ptr ? nav.ptr : "",
			     "Third chapter, renamed") != NULL);
		buf_reset(&nav);
		CHECK_INT(zip_read_entry(z, "EPUB/toc.ncx", &nav), 0);
		CHECK(strstr(nav.ptr ? nav.ptr : "",
			     "Third chapter, renamed") != NULL);
		zip_close(z);
	}
	/* and the same bytes as a build that knows nothing */
	check_chain_is_fresh();
	/* a level-2 heading: in the nav's and the NCX's table of contents
	 * (keyed as one value), not in the checklist or the answers */
	write_str("content/03-third.md",
		  "---\ntitle: Third chapter, renamed\n---\n\n"
		  "Text before any heading, linking [back](02-second.md).\n\n"
		  "## A heading of its own\n\nMore text.\n");
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT((int)m.docs_reused, 2);
	CHECK(chain_has("EPUB/toc.ncx", "A heading of its own"));
	CHECK(chain_has("EPUB/nav.xhtml", "A heading of its own"));
	check_chain_is_fresh();
	write_str("content/03-third.md", third_md);
	CHECK_INT(chain_build(&m), 0);
	/* a task's text: the checklist (its entries keyed as one value) is
	 * made again, the nav, the NCX and the answers are taken */
	{
		char *first = strdup(first_md), *at;
		at = strstr(first, "Do the first thing");
		CHECK(at != NULL);
		if (at)
			memcpy(at, "Do the FIRST thing", 18);
		write_str("content/01-first.md", first);
		CHECK_INT(chain_build(&m), 0);
		CHECK_INT((int)m.docs_reused, 3);
		CHECK(chain_has("EPUB/checklist.xhtml", "Do the FIRST thing"));
		check_chain_is_fresh();
		/* ... and taken when nothing changed */
		CHECK_INT(chain_build(&m), 0);
		CHECK_INT((int)m.docs_reused, 4);
		check_chain_is_fresh();
		write_str("content/01-first.md", first_md);
		free(first);
	}
	epub_made_release(&m);
	buf_release(&nav);
}

/* The package's items are written as text: the same bytes libxml2 gives
 * for them, with names that need escaping or cleaning. */
static void test_opf_items(void)
{
	static const char *const hrefs[] = {
		"a&b.xhtml",       "q\"uo'te <x>.png",    "tab\there.png",
		"ctl\x01here.png", "caf\xC3\xA9 #1%.png",
	};
	struct site s;
	struct theme t;
	struct epub e;
	struct epub_file files[5];
	struct buf out = BUF_INIT, ref = BUF_INIT;
	xmlDocPtr doc;
	xmlNodePtr root, man;
	size_t i;

	CHECK_INT(load(&s, &t), 0);
	memset(&e, 0, sizeof(e));
	memset(files, 0, sizeof(files));
	e.s = &s;
	e.lang = "en";
	e.identifier = (char *)"urn:uuid:0";
	snprintf(e.modified, sizeof(e.modified), "2026-01-01T00:00:00Z");
	for (i = 0; i < 5; i++) {
		files[i].href = (char *)hrefs[i];
		files[i].id = (char *)(i == 1 ? "i&d\"1" : "id");
		files[i].media_type = "image/png";
		files[i].properties = i == 2 ? "svg <p>" : NULL;
		files[i].spine = (int)(i % 3);
	}
	e.files = files;
	e.n_files = 5;
	epub_opf(&e, &out);
	/* the reference: the same items as a libxml2 tree */
	doc = xmlNewDoc(X("1.0"));
	root = xmlNewDocNode(doc, NULL, X("r"), NULL);
	xmlDocSetRootElement(doc, root);
	man = xmlNewChild(root, NULL, X("manifest"), NULL);
	for (i = 0; i < 5; i++) {
		char *href = epub_href(files[i].href);
		xmlNodePtr n = xmlNewChild(man, NULL, X("item"), NULL);
		xmlSetProp(n, X("id"), X(files[i].id));
		epub_prop(n, "href", href);
		xmlSetProp(n, X("media-type"), X(files[i].media_type));
		if (files[i].properties)
			xmlSetProp(n, X("properties"), X(files[i].properties));
		if (files[i].spine) {
			n = xmlNewChild(root, NULL, X("itemref"), NULL);
			xmlSetProp(n, X("idref"), X(files[i].id));
			if (files[i].spine == 2)
				xmlSetProp(n, X("linear"), X("no"));
		}
		free(href);
	}
	epub_dump(doc, 1, &ref);
	xmlFreeDoc(doc);
	/* each reference line is in the package, as it is */
	{
		char *lines = strdup(ref.ptr ? ref.ptr : ""), *line,
		     *save = NULL;
		size_t items = 0;
		for (line = strtok_r(lines, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			const char *l = line;
			while (*l == ' ')
				l++;
			if (strncmp(l, "<item", 5))
				continue;
			items++;
			if (!strstr(out.ptr, l)) {
				fprintf(stderr, "  not in the package: %s\n",
					l);
				CHECK(0);
			}
		}
		CHECK_INT((int)items, 5 + 3);
		free(lines);
	}
	/* and the package is well-formed, the itemrefs in the spine */
	doc = xmlReadMemory(out.ptr, (int)out.len, "package.opf", NULL,
			    XML_PARSE_NONET);
	CHECK(doc != NULL);
	xmlFreeDoc(doc);
	CHECK(strstr(out.ptr, "stepbook-item") == NULL);
	CHECK(strstr(out.ptr, "<spine toc=\"ncx\">\n    <itemref") != NULL);
	buf_release(&out);
	buf_release(&ref);
	site_release(&s);
	theme_release(&t);
}

/* A chapter's documents are made from one context (epub_chapters.c):
 * its key is that context's hash, the same whether only hashed or built
 * as the JSON the document is made from; and a
 * change that only the context shows (a chapter's language, given in its
 * front matter, which its body does not hold) has the chapter's
 * document made again, and only it. */
static void test_chapter_keys(void)
{
	struct epub_made m;
	struct site s;
	struct theme t;
	struct epub e;
	struct buf doc = BUF_INIT;
	size_t i;
	zip_t *z;

	CHECK_INT(load(&s, &t), 0);
	memset(&e, 0, sizeof(e));
	e.s = &s;
	e.inc = &inc;
	e.lang = "en";
	e.book_key = 42;
	for (i = 0; i < s.n_chapters; i++) {
		struct json_object *j;
		uint64_t key = epub_chapter_key(&e, i);
		CHECK(epub_chapter_json(&e, i, &j) == key);
		/* what the document is made of is in it, its body too */
		CHECK(strstr(json_object_get_string(
				     json_object_object_get(j, "body")),
			     "<p") != NULL);
		CHECK_STR(json_object_get_string(
				  json_object_object_get(j, "title")),
			  s.chapters[i].fm.title);
		json_object_put(j);
		/* the book's documents and files are in the key */
		e.book_key = 43;
		CHECK(epub_chapter_key(&e, i) != key);
		e.book_key = 42;
	}
	site_release(&s);
	theme_release(&t);

	memset(&m, 0, sizeof(m));
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT((int)m.reused, 3);
	write_str("content/03-third.md",
		  "---\ntitle: Third chapter\nlanguage: fr\n---\n\n"
		  "Text before any heading, linking [back](02-second.md).\n"
		  "\n> [!WARNING]\n> Careful now.\n");
	CHECK_INT(chain_build(&m), 0);
	CHECK_INT((int)m.reused, 2);
	z = open_zip("chain.epub");
	CHECK(z != NULL);
	if (z) {
		CHECK_INT(zip_read_entry(z, "EPUB/03-third.xhtml", &doc), 0);
		CHECK(strstr(doc.ptr ? doc.ptr : "",
			     "lang=\"fr\" xml:lang=\"fr\" dir=\"ltr\"") !=
		      NULL);
		zip_close(z);
	}
	check_chain_is_fresh();
	write_str("content/03-third.md", third_md);
	epub_made_release(&m);
	buf_release(&doc);
}

static void keep_books(void)
{
	const char *keep = getenv("STEPBOOK_EPUB_KEEP");
	const char *names[] = { "a.epub", "covered.epub", "drawn.epub",
				"raw.epub" };
	size_t i;

	if (!keep || !*keep)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct buf b = BUF_INIT;
		char *to = path_join(keep, names[i]);
		struct diag d;
		diag_init(&d);
		if (read_all(names[i], &b) == 0)
			fs_write_atomic(to, b.ptr, b.len, NULL, &d);
		diag_release(&d);
		buf_release(&b);
		free(to);
	}
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_write_epub.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	markdown_init();
	make_book();
	RUN(test_civil_time);
	RUN(test_reproducible);
	RUN(test_container);
	RUN(test_package);
	RUN(test_nav);
	RUN(test_documents);
	RUN(test_chapters);
	RUN(test_cover_image);
	RUN(test_cover_svg);
	RUN(test_raw_html);
	RUN(test_paths_agree);
	RUN(test_cover_template);
	RUN(test_doc_reuse);
	RUN(test_opf_items);
	RUN(test_chapter_keys);
	keep_books();
	RUN(test_errors);
	fs_remove_tree(tmpdir);
	xmlCleanupParser();
	if (inc_open)
		incr_release(&inc);
	return harness_done();
}
