/* Unit tests for write_extras: the web manifest, robots.txt, sitemap.xml
 * (parsed back with libxml2), the service worker's build line (its file
 * list, and a version that is the same for the same input and changes
 * with any byte), the template values for sharing (canonical URL, Open
 * Graph) and the print page's context (RENDER_PRINT: prefixed ids,
 * same-document cross-links, headings one level down). Books are written
 * into a temporary folder and loaded with site_load(). */
#include <json-c/json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "context.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "markdown.h"
#include "render.h"
#include "site.h"
#include "site_load.h"
#include "theme.h"
#include "write_extras.h"
#include "xalloc.h"

static char tmproot[] = "/tmp/stepbook-test-extras-XXXXXX";

static const char ch1[] =
	"---\n"
	"title: First steps\n"
	"summary: Where it starts.\n"
	"---\n"
	"## Why it works\n"
	"\n"
	"See [the second](02-second.md#how-to-do-it), [its top](02-second.md)"
	" and [here](#why-it-works).[^a]\n"
	"\n"
	"- [ ] Write it down\n"
	"\n"
	"[^a]: A note.\n";

static const char ch2[] = "---\n"
			  "title: Second\n"
			  "step: 2\n"
			  "---\n"
			  "## How to do it\n"
			  "\n"
			  "Back to [the first](01-first.md#why-it-works).[^a]\n"
			  "\n"
			  "### Details\n"
			  "\n"
			  "Text.\n"
			  "\n"
			  "[^a]: Another note with the same label.\n";

struct book {
	struct site s;
	struct theme t;
	struct diag d;
	char dir[600];
};

static void put(const char *dir, const char *name, const char *text)
{
	char path[900];
	struct diag d;

	diag_init(&d);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK_INT(fs_write_atomic(path, text, strlen(text), NULL, &d), 0);
	diag_release(&d);
}

/* Writes and loads a book with book.yml `yml`, the two chapters and, when
 * `image` is not NULL, an SVG image of that name. */
static int book_load_with(struct book *b, const char *yml, const char *image)
{
	static int n;
	char content[700];

	diag_init(&b->d);
	snprintf(b->dir, sizeof(b->dir), "%s/book%d", tmproot, ++n);
	snprintf(content, sizeof(content), "%s/content", b->dir);
	put(content, "book.yml", yml);
	put(content, "01-first.md", ch1);
	put(content, "02-second.md", ch2);
	if (image)
		put(content, image,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
	CHECK_INT(site_load(&b->s, content, "content", &b->d), 0);
	CHECK_INT(theme_load(&b->t, "default", b->dir, &b->d), 0);
	diag_print(&b->d, stderr);
	return b->d.errors ? -1 : 0;
}

static int book_load(struct book *b, const char *yml)
{
	return book_load_with(b, yml, NULL);
}

static void book_release(struct book *b)
{
	theme_release(&b->t);
	site_release(&b->s);
	diag_release(&b->d);
}

/* What write_extras_finish() hands over. */
struct made {
	char *path[8];
	char *data[8];
	size_t len[8];
	size_t n;
};

static void collect(void *arg, const char *path, char *data, size_t len)
{
	struct made *m = arg;

	CHECK(m->n < 8);
	if (m->n >= 8) {
		free(data);
		return;
	}
	m->path[m->n] = xstrdup(path);
	m->data[m->n] = data;
	m->len[m->n++] = len;
	CHECK_INT(strlen(data), len);
}

static void made_release(struct made *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->path[i]);
		free(m->data[i]);
	}
	memset(m, 0, sizeof(*m));
}

static const char *made_get(const struct made *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->path[i], path))
			return m->data[i];
	return NULL;
}

/* The site's pages and a few assets, as write_site notes them. */
static const char *const pages[][2] = {
	{ "index.html", "<p>index</p>" },   { "01-first.html", "<p>one</p>" },
	{ "02-second.html", "<p>two</p>" }, { "checklist.html", "<p>list</p>" },
	{ "print.html", "<p>all</p>" },     { "404.html", "<p>lost</p>" },
	{ "assets/site.css", "body{}" },    { "images/a b.png", "PNG" },
};

static int finish(struct book *b, struct made *m, const char *change)
{
	struct write_extras x;
	size_t i;
	int r;

	write_extras_init(&x);
	for (i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		const char *data = pages[i][1];
		if (change && !strcmp(pages[i][0], "01-first.html"))
			data = change;
		write_extras_add(&x, pages[i][0], data, strlen(data));
	}
	r = write_extras_finish(&x, &b->s, &b->t, collect, m, &b->d);
	write_extras_release(&x);
	return r;
}

/* The JSON object of sw.js's first line (the caller's). */
/* The JSON of the statement "self.NAME = {...};" that starts `js`, or
 * NULL (a failed check). */
static struct json_object *js_value(const char *js, const char *lead)
{
	const char *end;
	char *json;
	struct json_object *o;

	CHECK(js && !strncmp(js, lead, strlen(lead)));
	if (!js || strncmp(js, lead, strlen(lead)))
		return NULL;
	end = strstr(js, ";\n");
	CHECK(end != NULL);
	if (!end)
		return NULL;
	json = xstrndup(js + strlen(lead), (size_t)(end - js) - strlen(lead));
	o = json_tokener_parse(json);
	free(json);
	CHECK(o != NULL);
	return o;
}

static struct json_object *sw_build(const char *sw)
{
	return js_value(sw, "self.STEPBOOK_BUILD = ");
}

/* The string at `path` (keys, NULL-terminated) in `o`, or "". */
static const char *jpath(struct json_object *o, const char *const *path)
{
	for (; *path; path++)
		if (!json_object_object_get_ex(o, *path, &o))
			return "";
	return json_object_get_string(o);
}

static int jarray_has(struct json_object *arr, const char *s)
{
	size_t i;

	for (i = 0; arr && i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(arr, i)),
			    s))
			return 1;
	return 0;
}

static void test_files_with_base_url(void)
{
	struct book b;
	struct made m = { 0 };
	struct json_object *man, *v, *icons, *build, *files, *core;
	xmlDocPtr doc;
	xmlNodePtr root, url;
	const char *sitemap;
	int n = 0;

	if (book_load(&b, "title: Four Steps to Get Your Ex Back\n"
			  "language: en-GB\n"
			  "description: A guide.\n"
			  "base_url: https://example.org/book\n") < 0) {
		book_release(&b);
		return;
	}
	CHECK_INT(finish(&b, &m, NULL), 0);
	CHECK_INT(m.n, 5);
	CHECK_STR(m.path[0], "manifest.webmanifest");
	CHECK_STR(m.path[1], "robots.txt");
	CHECK_STR(m.path[2], "sitemap.xml");
	CHECK_STR(m.path[3], "strings.js");
	CHECK_STR(m.path[4], "sw.js");

	/* the manifest */
	man = json_tokener_parse(made_get(&m, "manifest.webmanifest"));
	CHECK(man && json_object_is_type(man, json_type_object));
	CHECK(json_object_object_get_ex(man, "name", &v));
	CHECK_STR(json_object_get_string(v), "Four Steps to Get Your Ex Back");
	CHECK(json_object_object_get_ex(man, "short_name", &v));
	CHECK_STR(json_object_get_string(v), "Four Steps");
	CHECK(json_object_object_get_ex(man, "lang", &v));
	CHECK_STR(json_object_get_string(v), "en-GB");
	CHECK(json_object_object_get_ex(man, "start_url", &v));
	CHECK_STR(json_object_get_string(v), "./");
	CHECK(json_object_object_get_ex(man, "display", &v));
	CHECK_STR(json_object_get_string(v), "standalone");
	CHECK(json_object_object_get_ex(man, "theme_color", &v));
	CHECK(json_object_object_get_ex(man, "background_color", &v));
	CHECK(!json_object_object_get_ex(man, "theme_color_dark", &v));
	CHECK(json_object_object_get_ex(man, "icons", &icons));
	CHECK(icons && json_object_array_length(icons) >= 1);
	if (icons && json_object_array_length(icons) >= 1) {
		struct json_object *icon = json_object_array_get_idx(icons, 0);
		CHECK(json_object_object_get_ex(icon, "src", &v));
		CHECK_STR(json_object_get_string(v), "assets/icon.svg");
		CHECK(theme_get(&b.t, "assets/icon.svg") != NULL);
	}
	json_object_put(man);

	/* robots.txt names the sitemap */
	CHECK(strstr(made_get(&m, "robots.txt"), "User-agent: *\n"));
	CHECK(strstr(made_get(&m, "robots.txt"),
		     "\nSitemap: https://example.org/book/sitemap.xml\n"));

	/* sitemap.xml: every page but 404 and print, the index as the
	 * folder's URL */
	sitemap = made_get(&m, "sitemap.xml");
	doc = xmlReadMemory(sitemap, (int)strlen(sitemap), "sitemap.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR);
	CHECK(doc != NULL);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	CHECK(root && !xmlStrcmp(root->name, BAD_CAST "urlset"));
	CHECK(root && root->ns &&
	      !xmlStrcmp(root->ns->href, BAD_CAST
			 "http://www.sitemaps.org/schemas/sitemap/0.9"));
	for (url = root ? root->children : NULL; url; url = url->next) {
		xmlChar *loc;
		static const char *const want[] = {
			"https://example.org/book/",
			"https://example.org/book/01-first.html",
			"https://example.org/book/02-second.html",
			"https://example.org/book/checklist.html",
		};
		if (url->type != XML_ELEMENT_NODE)
			continue;
		CHECK(!xmlStrcmp(url->name, BAD_CAST "url"));
		CHECK(xmlFirstElementChild(url) &&
		      !xmlStrcmp(xmlFirstElementChild(url)->name,
				 BAD_CAST "loc"));
		loc = xmlNodeGetContent(xmlFirstElementChild(url));
		CHECK(n < 4);
		if (n < 4)
			CHECK_STR((const char *)loc, want[n]);
		n++;
		xmlFree(loc);
	}
	CHECK_INT(n, 4);
	xmlFreeDoc(doc);
	CHECK(!strstr(sitemap, "404.html"));
	CHECK(!strstr(sitemap, "print.html"));

	/* sw.js: the build line, then the theme's code */
	build = sw_build(made_get(&m, "sw.js"));
	CHECK(build != NULL);
	if (build) {
		CHECK(json_object_object_get_ex(build, "version", &v));
		CHECK_INT(strlen(json_object_get_string(v)), 16);
		CHECK(json_object_object_get_ex(build, "book", &v));
		CHECK_STR(json_object_get_string(v), b.s.slug);
		CHECK(json_object_object_get_ex(build, "files", &files));
		CHECK_INT(json_object_array_length(files),
			  sizeof(pages) / sizeof(*pages) + 4);
		CHECK(jarray_has(files, "index.html"));
		CHECK(jarray_has(files, "print.html"));
		/* as URLs: a name with '#' or '?' must not end the path */
		CHECK(jarray_has(files, "images/a%20b.png"));
		CHECK(jarray_has(files, "manifest.webmanifest"));
		CHECK(jarray_has(files, "sitemap.xml"));
		CHECK(!jarray_has(files, "sw.js"));
		CHECK(json_object_object_get_ex(build, "core", &core));
		CHECK(jarray_has(core, "index.html"));
		CHECK(jarray_has(core, "assets/site.css"));
		CHECK(jarray_has(core, "manifest.webmanifest"));
		CHECK(!jarray_has(core, "01-first.html"));
		CHECK(!jarray_has(core, "robots.txt"));
		CHECK(jarray_has(core, "strings.js"));
		/* the offline page's strings, in the book's language */
		{
			static const char *const lang[] = { "text", "lang",
							    NULL };
			static const char *const heading[] = {
				"text", "strings", "offline_heading", NULL
			};
			CHECK_STR(jpath(build, lang), b.s.cfg.language);
			CHECK_STR(jpath(build, heading), "You are offline");
		}
		json_object_put(build);
	}
	/* strings.js: the strings the scripts show, plural forms whole */
	build = js_value(strstr(made_get(&m, "strings.js"), "self."),
			 "self.STEPBOOK_TEXT = ");
	if (build) {
		static const char *const correct[] = { "strings",
						       "quiz_correct", NULL };
		static const char *const one[] = { "strings", "search_found",
						   "one", NULL };
		static const char *const dir[] = { "dir", NULL };
		CHECK_STR(jpath(build, correct), "Correct.");
		CHECK_STR(jpath(build, one), "{n} result for {query}.");
		CHECK_STR(jpath(build, dir), "ltr");
		json_object_put(build);
	}
	CHECK(strstr(made_get(&m, "sw.js"), "addEventListener('fetch'"));
	made_release(&m);
	book_release(&b);
}

static void test_files_without_base_url(void)
{
	struct book b;
	struct made m = { 0 };

	if (book_load(&b, "title: T\n") < 0) {
		book_release(&b);
		return;
	}
	CHECK_INT(finish(&b, &m, NULL), 0);
	CHECK_INT(m.n, 4);
	CHECK(made_get(&m, "sitemap.xml") == NULL);
	CHECK_STR(made_get(&m, "robots.txt"), "User-agent: *\nDisallow:\n");
	CHECK(made_get(&m, "sw.js") != NULL);
	made_release(&m);
	book_release(&b);
}

/* The same input gives the same bytes; any change gives a new version. */
static void test_version(void)
{
	struct book b;
	struct made m1 = { 0 }, m2 = { 0 }, m3 = { 0 };
	struct json_object *b1, *b3, *v1, *v3;
	size_t i;

	if (book_load(&b, "title: T\nbase_url: https://e.org/\n") < 0) {
		book_release(&b);
		return;
	}
	finish(&b, &m1, NULL);
	finish(&b, &m2, NULL);
	finish(&b, &m3, "<p>onE</p>");
	CHECK_INT(m1.n, m2.n);
	for (i = 0; i < m1.n && i < m2.n; i++) {
		CHECK_STR(m1.path[i], m2.path[i]);
		CHECK_INT(m1.len[i], m2.len[i]);
		CHECK(m1.len[i] == m2.len[i] &&
		      !memcmp(m1.data[i], m2.data[i], m1.len[i]));
	}
	b1 = sw_build(made_get(&m1, "sw.js"));
	b3 = sw_build(made_get(&m3, "sw.js"));
	if (b1 && b3) {
		json_object_object_get_ex(b1, "version", &v1);
		json_object_object_get_ex(b3, "version", &v3);
		CHECK(strcmp(json_object_get_string(v1),
			     json_object_get_string(v3)) != 0);
	}
	json_object_put(b1);
	json_object_put(b3);
	made_release(&m1);
	made_release(&m2);
	made_release(&m3);
	book_release(&b);
}

static void test_short_name(void)
{
	static const char *const cases[][2] = {
		{ "title: Four Steps to Get Your Ex Back\n", "Four Steps" },
		{ "title: Short\n", "Short" },
		{ "title: Exactly twelv and more\n", "Exactly" },
		{ "title: Supercalifragilistic\n", "Supercalifra" },
		{ "title: \"Éléphants à la mer\"\n", "Éléphants à" },
		{ "title: Long Title Here\nshort_title: LTH\n", "LTH" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct book b;
		if (book_load(&b, cases[i][0]) == 0) {
			char *name = write_extras_short_name(&b.s);
			CHECK_STR(name, cases[i][1]);
			free(name);
		}
		book_release(&b);
	}
}

static const char *jstr_at(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

/* The context write_extras adds to a page at `path`, built for the
 * template (the caller's). */
static struct json_object *page_ctx(const struct book *b, const char *path,
				    int chapter)
{
	struct json_object *ctx;
	struct ctx x;
	char *base = write_extras_base(&b->s);

	ctx_begin(&x, CTX_JSON, 0);
	ctx_object(&x, "book");
	write_extras_book(&x, &b->s, base);
	ctx_close(&x);
	ctx_object(&x, "theme");
	write_extras_theme(&x, &b->t);
	ctx_close(&x);
	write_extras_page(&x, base, path, chapter);
	ctx_end(&x, &ctx);
	free(base);
	return ctx;
}

static void test_page_context(void)
{
	struct book b;
	struct json_object *ctx, *book;

	if (book_load_with(&b,
			   "title: T\nbase_url: \"https://e.org/a%20b\"\n"
			   "cover: images/c.svg\n",
			   "images/c.svg") < 0) {
		book_release(&b);
		return;
	}
	ctx = page_ctx(&b, "index.html", 0);
	book = json_object_object_get(ctx, "book");
	CHECK_STR(jstr_at(book, "url"), "https://e.org/a%20b/");
	CHECK_STR(jstr_at(book, "image"), "https://e.org/a%20b/images/c.svg");
	CHECK(json_object_object_get(ctx, "theme") != NULL);
	CHECK_STR(jstr_at(json_object_object_get(ctx, "theme"), "name"),
		  "default");
	CHECK_STR(jstr_at(ctx, "url"), "https://e.org/a%20b/");
	CHECK_STR(jstr_at(ctx, "og_type"), "website");
	json_object_put(ctx);
	ctx = page_ctx(&b, "01-first.html", 1);
	CHECK_STR(jstr_at(ctx, "url"), "https://e.org/a%20b/01-first.html");
	CHECK_STR(jstr_at(ctx, "og_type"), "article");
	json_object_put(ctx);
	book_release(&b);

	/* without a base_url: no URL at all */
	if (book_load_with(&b, "title: T\ncover: images/c.svg\n",
			   "images/c.svg") == 0) {
		ctx = page_ctx(&b, "01-first.html", 1);
		book = json_object_object_get(ctx, "book");
		CHECK(jstr_at(book, "url") == NULL);
		CHECK(jstr_at(book, "image") == NULL);
		CHECK(jstr_at(ctx, "url") == NULL);
		json_object_put(ctx);
	}
	book_release(&b);
}

/* A chapter's print body, made from its tree. */
static void print_body(void *arg, size_t i, struct buf *out)
{
	struct site *s = arg;

	render_chapter(s, &s->chapters[i], RENDER_PRINT, NULL, out, NULL);
}

static void test_print_context(void)
{
	struct book b;
	struct json_object *ctx, *print, *chapters, *c1, *c2, *secs;
	const char *body1, *body2, *m1, *m2;
	struct buf f1 = BUF_INIT, f2 = BUF_INIT, page = BUF_INIT;

	if (book_load(&b, "title: T\n") < 0) {
		book_release(&b);
		return;
	}
	{
		struct ctx x;
		ctx_begin(&x, CTX_JSON, 0);
		write_extras_print_context(&x, &b.s);
		ctx_end(&x, &ctx);
	}
	CHECK(json_object_object_get_ex(ctx, "is_print", NULL));
	CHECK(json_object_object_get_ex(ctx, "print", &print));
	CHECK(json_object_object_get_ex(print, "chapters", &chapters));
	CHECK_INT(json_object_array_length(chapters), 2);
	c1 = json_object_array_get_idx(chapters, 0);
	c2 = json_object_array_get_idx(chapters, 1);
	CHECK_STR(jstr_at(c1, "slug"), "01-first");
	CHECK_STR(jstr_at(c1, "title"), "First steps");
	CHECK_STR(jstr_at(c2, "step"), "2");
	/* the bodies are markers, filled in the rendered page */
	m1 = jstr_at(c1, "body");
	m2 = jstr_at(c2, "body");
	CHECK_STR(m1, WRITE_EXTRAS_BODY_OPEN "0" WRITE_EXTRAS_BODY_CLOSE);
	CHECK_STR(m2, WRITE_EXTRAS_BODY_OPEN "1" WRITE_EXTRAS_BODY_CLOSE);
	if (m1)
		write_extras_print_fill(&b.s, m1, strlen(m1), 0, print_body,
					&b.s, &f1, NULL);
	if (m2)
		write_extras_print_fill(&b.s, m2, strlen(m2), 0, print_body,
					&b.s, &f2, NULL);
	body1 = f1.ptr;
	body2 = f2.ptr;
	CHECK(body1 && body2);
	if (body1 && body2) {
		/* every marker of the page is filled, in place; what only
		 * looks like one stays as it is */
		struct buf got = BUF_INIT, want = BUF_INIT;
		buf_addf(&page,
			 "<a>%s</a>%s|" WRITE_EXTRAS_BODY_OPEN
			 "9" WRITE_EXTRAS_BODY_CLOSE "|" WRITE_EXTRAS_BODY_OPEN
			 "x|%s",
			 m2, m1, m1);
		CHECK_INT(write_extras_print_fill(&b.s, page.ptr, page.len, 0,
						  print_body, &b.s, &got, NULL),
			  0);
		buf_addf(&want,
			 "<a>%s</a>%s|" WRITE_EXTRAS_BODY_OPEN
			 "9" WRITE_EXTRAS_BODY_CLOSE "|" WRITE_EXTRAS_BODY_OPEN
			 "x|%s",
			 body2, body1, body1);
		CHECK(got.len == want.len &&
		      !memcmp(got.ptr, want.ptr, want.len));
		buf_release(&got);
		buf_release(&want);
		/* headings: prefixed ids, one level down */
		CHECK(strstr(body1, "<h3 id=\"01-first--why-it-works\">"));
		CHECK(strstr(body2, "<h3 id=\"02-second--how-to-do-it\">"));
		CHECK(strstr(body2, "<h4 id=\"02-second--details\">"));
		/* cross-links point inside the page */
		CHECK(strstr(body1, "href=\"#02-second--how-to-do-it\""));
		CHECK(strstr(body1, "href=\"#02-second\""));
		CHECK(strstr(body1, "href=\"#01-first--why-it-works\""));
		CHECK(strstr(body2, "href=\"#01-first--why-it-works\""));
		CHECK(!strstr(body1, ".html"));
		/* footnotes with the same label stay apart */
		CHECK(strstr(body1, "<li id=\"01-first--fn-a\">"));
		CHECK(strstr(body2, "<li id=\"02-second--fn-a\">"));
		CHECK(strstr(
			body1,
			"href=\"#01-first--fn-a\" id=\"01-first--fnref-a\""));
		CHECK(strstr(body2, "href=\"#02-second--fnref-a\""));
		CHECK(strstr(body1,
			     "<h3 class=\"footnotes-title\">Notes</h3>"));
		/* task ids carry the chapter's slug already */
		CHECK(strstr(body1, "id=\"task-01-first-write-it-down\""));
	}
	buf_release(&f1);
	buf_release(&f2);
	buf_release(&page);
	CHECK(json_object_object_get_ex(c2, "sections", &secs));
	CHECK_INT(json_object_array_length(secs), 1);
	CHECK_STR(jstr_at(json_object_array_get_idx(secs, 0), "href"),
		  "#02-second--how-to-do-it");
	json_object_put(ctx);
	book_release(&b);
}

int main(void)
{
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 1;
	}
	markdown_init();
	RUN(test_files_with_base_url);
	RUN(test_files_without_base_url);
	RUN(test_version);
	RUN(test_short_name);
	RUN(test_page_context);
	RUN(test_print_context);
	fs_remove_tree(tmproot);
	xmlCleanupParser();
	return harness_done();
}
