/* The incremental engine and the template contexts its keys come from:
 * a key is the hash of the context the template receives, so that a
 * field added to a context makes its pages render again with no change
 * to any key code; the same calls build the context for the key and for
 * the template, and the key is the hash of that JSON. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "context.h"
#include "diag.h"
#include "fixture.h"
#include "harness.h"
#include "incremental.h"
#include "markdown.h"
#include "pages.h"
#include "site.h"
#include "strset.h"
#include "theme.h"
#include "xalloc.h"

/* ---- two builders of one page's context: the second adds a field ---- */

static void page_v1(struct ctx *x)
{
	ctx_str(x, "title", "Radio silence");
	ctx_object(x, "page");
	ctx_str(x, "href", "04-radio-silence.html");
	ctx_int(x, "minutes", 4);
	ctx_close(x);
}

static void page_v2(struct ctx *x)
{
	page_v1(x);
	ctx_bool(x, "has_audio", 1); /* a field a new feature adds */
}

static uint64_t key_of(void (*build)(struct ctx *), struct json_object **json)
{
	struct ctx x;

	ctx_begin(&x, json ? CTX_JSON : CTX_KEY, 0);
	build(&x);
	return ctx_end(&x, json);
}

/* An engine whose last build recorded `path` as made from `key`. */
static void engine_with(struct incr *inc, const char *path, uint64_t key)
{
	incr_open(inc, "/nonexistent", 0);
	inc->cache.outputs = xcalloc(1, sizeof(*inc->cache.outputs));
	inc->cache.outputs[0].path = xstrdup(path);
	inc->cache.outputs[0].key = key;
	inc->cache.outputs[0].content = 42;
	inc->cache.n_outputs = inc->cache.cap_outputs = 1;
	strset_add(&inc->cache.output_index, path, 0);
}

static void test_added_field_renders_again(void)
{
	const char *path = "04-radio-silence.html";
	uint64_t tmpl = 7, content = 0, k1, k2;
	struct json_object *j1, *j2;
	struct incr inc;

	k1 = incr_page_key(tmpl, path, key_of(page_v1, NULL));
	k2 = incr_page_key(tmpl, path, key_of(page_v2, NULL));
	engine_with(&inc, path, k1);
	/* the same context: kept, with the bytes' hash the cache knew */
	CHECK(incr_same(&inc, path, k1, &content));
	CHECK(content == 42);
	/* one field more, and no key code touched: rendered again */
	CHECK(!incr_same(&inc, path, k2, &content));
	/* ... and the template's identity is in the key too */
	CHECK(!incr_same(&inc, path,
			 incr_page_key(tmpl + 1, path, key_of(page_v1, NULL)),
			 &content));
	incr_release(&inc);

	/* the key is the hash of the JSON the template receives, and the
	 * JSON holds the new field */
	CHECK(key_of(page_v1, &j1) == ctx_json_hash(j1));
	CHECK(key_of(page_v2, &j2) == ctx_json_hash(j2));
	CHECK(json_object_object_get_ex(j2, "has_audio", NULL));
	CHECK(key_of(page_v2, NULL) == ctx_json_hash(j2));
	json_object_put(j1);
	json_object_put(j2);
}

/* Values of every kind hash apart, and shared values hash as if they
 * were written in place. */
static void test_hash(void)
{
	struct ctx x;
	struct ctx_value v;
	struct json_object *j;
	uint64_t a, b, c, d;

	ctx_begin(&x, CTX_KEY, 0);
	ctx_str(&x, "n", "1");
	a = ctx_end(&x, NULL);
	ctx_begin(&x, CTX_KEY, 0);
	ctx_int(&x, "n", 1);
	b = ctx_end(&x, NULL);
	ctx_begin(&x, CTX_KEY, 0);
	ctx_bool(&x, "n", 1);
	c = ctx_end(&x, NULL);
	ctx_begin(&x, CTX_KEY, 0);
	ctx_str(&x, "m", "1");
	d = ctx_end(&x, NULL);
	CHECK(a != b && a != c && b != c && a != d);

	ctx_begin(&x, CTX_JSON, 0);
	ctx_str(&x, "title", "T");
	ctx_int(&x, "number", 3);
	ctx_end_value(&x, &v);
	ctx_begin(&x, CTX_JSON, 1);
	ctx_value(&x, NULL, &v);
	ctx_object(&x, NULL);
	ctx_str(&x, "title", "T");
	ctx_int(&x, "number", 3);
	ctx_close(&x);
	a = ctx_end(&x, &j);
	CHECK(a == ctx_json_hash(j));
	CHECK(ctx_json_hash(json_object_array_get_idx(j, 0)) ==
	      ctx_json_hash(json_object_array_get_idx(j, 1)));
	json_object_put(j);

	/* an object made from a shared one, with a member more: keyed and
	 * built as if written whole */
	ctx_begin(&x, CTX_JSON, 0);
	ctx_object_from(&x, "entry", &v);
	ctx_bool(&x, "current", 1);
	ctx_close(&x);
	a = ctx_end(&x, &j);
	ctx_begin(&x, CTX_KEY, 0);
	ctx_object_from(&x, "entry", &v);
	ctx_bool(&x, "current", 1);
	ctx_close(&x);
	b = ctx_end(&x, NULL);
	ctx_begin(&x, CTX_KEY, 0);
	ctx_object(&x, "entry");
	ctx_str(&x, "title", "T");
	ctx_int(&x, "number", 3);
	ctx_bool(&x, "current", 1);
	ctx_close(&x);
	c = ctx_end(&x, NULL);
	CHECK(a == b && a == c && a == ctx_json_hash(j));
	CHECK(json_object_object_length(json_object_object_get(j, "entry")) ==
	      3);
	CHECK(!strcmp(json_object_get_string(json_object_object_get(
			      json_object_object_get(j, "entry"), "title")),
		      "T"));
	/* the shared value itself is left as it was */
	CHECK(json_object_object_length(v.json) == 2);
	json_object_put(j);
	ctx_value_release(&v);
}

/* ---- the website's pages, on a small book ---- */

/* Checks that page `build` builds the same key either way, and, when
 * `exact`, that the key is the hash of the JSON it builds. */
static void check_page(const struct pages *kp, const struct pages *jp,
		       void (*build)(const struct pages *, struct ctx *),
		       int exact)
{
	struct json_object *json;
	struct ctx x;
	uint64_t key, again;

	ctx_begin(&x, CTX_KEY, 0);
	build(kp, &x);
	key = ctx_end(&x, NULL);
	ctx_begin(&x, CTX_JSON, 0);
	build(jp, &x);
	again = ctx_end(&x, &json);
	CHECK(key == again);
	if (exact)
		CHECK(key == ctx_json_hash(json));
	json_object_put(json);
}

static void chapter_0(const struct pages *p, struct ctx *x)
{
	pages_chapter(p, 0, x);
}

static void test_pages(void)
{
	static const char *const book[] = {
		"book.yml",
		"title: A book\nbase_url: https://e.org/\n"
		"chapters:\n  - a.md\n  - b.md\n",
		"a.md",
		"---\ntitle: First\nmood: calm\n---\n\n"
		"## Start\n\n- [ ] Do it\n\nSee [the next](b.md#end).\n",
		"b.md",
		"---\ntitle: Second\nstep: 2\n---\n\n## End\n\n"
		"Text.\n",
		NULL
	};
	const char *content = fixture_write_book(book);
	struct site s;
	struct theme t;
	struct incr inc;
	struct pages kp, jp;
	struct diag d;
	struct json_object *json, *page, *nav;
	struct ctx x;
	uint64_t before, after;

	diag_init(&d);
	incr_open(&inc, "/nonexistent", 0);
	CHECK_INT(incr_load(&inc, &s, content, "content", 0, &d), 0);
	CHECK_INT(theme_load(&t, "default", fixture_tmp(), &d), 0);
	diag_print(&d, stderr);
	if (d.errors) {
		diag_release(&d);
		return;
	}
	pages_init(&kp, &s, &t, &inc, "a-book.epub", CTX_KEY);
	pages_init(&jp, &s, &t, &inc, "a-book.epub", CTX_JSON);
	CHECK(kp.book.hash == jp.book.hash);
	check_page(&kp, &jp, pages_index, 1);
	check_page(&kp, &jp, pages_checklist, 1);
	check_page(&kp, &jp, pages_print, 1);
	check_page(&kp, &jp, pages_404, 1);
	/* a chapter's page holds its body (made only for the template) and
	 * its front matter (parsed only for it) */
	check_page(&kp, &jp, chapter_0, 0);

	/* what the template gets of a chapter */
	ctx_begin(&x, CTX_JSON, 0);
	pages_chapter(&jp, 0, &x);
	ctx_end(&x, &json);
	page = json_object_object_get(json, "page");
	CHECK(strstr(json_object_get_string(
			     json_object_object_get(page, "body")),
		     "href=\"b.html#end\"") != NULL);
	CHECK_STR(json_object_get_string(json_object_object_get(
			  json_object_object_get(page, "params"), "mood")),
		  "calm");
	CHECK_STR(json_object_get_string(json_object_object_get(json, "url")),
		  "https://e.org/a.html");
	nav = json_object_object_get(json, "nav");
	CHECK(json_object_object_get_ex(json_object_array_get_idx(nav, 0),
					"current", NULL));
	CHECK(!json_object_object_get_ex(json_object_array_get_idx(nav, 1),
					 "current", NULL));
	json_object_put(json);

	/* a chapter's title is in the pages that show it: its neighbour's
	 * page (prev), the index (the list of chapters) */
	ctx_begin(&x, CTX_KEY, 0);
	pages_chapter(&kp, 1, &x);
	before = ctx_end(&x, NULL);
	pages_release(&kp);
	free(s.chapters[0].fm.title);
	s.chapters[0].fm.title = xstrdup("First, renamed");
	pages_init(&kp, &s, &t, &inc, "a-book.epub", CTX_KEY);
	ctx_begin(&x, CTX_KEY, 0);
	pages_chapter(&kp, 1, &x);
	after = ctx_end(&x, NULL);
	CHECK(before != after);

	pages_release(&kp);
	pages_release(&jp);
	theme_release(&t);
	site_release(&s);
	incr_release(&inc);
	diag_release(&d);
}

/* The cover's raster the cache keeps: given its bytes, kept for the
 * same key, dropped for another, and not handed out once damaged. */
static void test_cover(void)
{
	struct cache_cover cv;
	const char *p;
	size_t len;

	memset(&cv, 0, sizeof(cv));
	CHECK(cache_cover_bytes(&cv, &len) == NULL && len == 0);
	cache_cover_set(&cv, 7, xstrdup("first png"), 9);
	p = cache_cover_bytes(&cv, &len);
	CHECK(p && len == 9 && !memcmp(p, "first png", 9));
	/* the same key without bytes (copied from the last EPUB): kept */
	cache_cover_set(&cv, 7, NULL, 0);
	p = cache_cover_bytes(&cv, &len);
	CHECK(p && len == 9 && !memcmp(p, "first png", 9));
	/* the same key with other bytes: those */
	cache_cover_set(&cv, 7, xstrdup("other png"), 9);
	p = cache_cover_bytes(&cv, &len);
	CHECK(p && !memcmp(p, "other png", 9));
	/* another key without bytes: nothing to hand out */
	cache_cover_set(&cv, 8, NULL, 0);
	CHECK(cv.key == 8 && cache_cover_bytes(&cv, &len) == NULL);
	cache_cover_set(&cv, 9, xstrdup("third png"), 9);
	cv.own[2] = 'X'; /* damaged: its hash no longer holds */
	CHECK(cache_cover_bytes(&cv, &len) == NULL && len == 0);
	cache_cover_set(&cv, 0, xstrdup("no key"), 6);
	CHECK(cv.key == 0 && cv.ptr == NULL);
	cache_cover_release(&cv);
}

/* A book of more chapters than one block of entries (pages.c makes them
 * in blocks, on every core): every entry is there, in its place, and
 * hashes the same made for keys or for the template. */
static void test_pages_many(void)
{
	enum { N = 300 };
	const char *files[2 * N + 3];
	char *owned[2 * N + 1];
	struct buf yml = BUF_INIT;
	struct site s;
	struct theme t;
	struct incr inc;
	struct pages kp, jp;
	struct diag d;
	const char *content;
	size_t i, bad = 0;

	buf_adds(&yml, "title: Many\nchapters:\n");
	for (i = 0; i < N; i++) {
		char name[32], text[64];
		snprintf(name, sizeof(name), "c%03zu.md", i);
		snprintf(text, sizeof(text), "# Chapter %zu\n\nText.\n", i);
		buf_addf(&yml, "  - %s\n", name);
		owned[2 * i] = xstrdup(name);
		owned[2 * i + 1] = xstrdup(text);
		files[2 + 2 * i] = owned[2 * i];
		files[3 + 2 * i] = owned[2 * i + 1];
	}
	files[0] = "book.yml";
	files[1] = yml.ptr;
	files[2 * N + 2] = NULL;
	content = fixture_write_book(files);
	diag_init(&d);
	incr_open(&inc, "/nonexistent", 0);
	CHECK_INT(incr_load(&inc, &s, content, "content", 0, &d), 0);
	CHECK_INT(theme_load(&t, "default", fixture_tmp(), &d), 0);
	if (!d.errors) {
		pages_init(&kp, &s, &t, &inc, NULL, CTX_KEY);
		pages_init(&jp, &s, &t, &inc, NULL, CTX_JSON);
		for (i = 0; i < N; i++) {
			struct json_object *e = jp.entry[i].json;
			char title[32];
			snprintf(title, sizeof(title), "Chapter %zu", i);
			if (!e || kp.entry[i].hash != jp.entry[i].hash ||
			    json_object_get_int(
				    json_object_object_get(e, "number")) !=
				    (int)i + 1 ||
			    strcmp(json_object_get_string(
					   json_object_object_get(e, "title")),
				   title))
				bad++;
		}
		CHECK(bad == 0);
		CHECK(json_object_array_length(jp.chapters.json) == N);
		pages_release(&kp);
		pages_release(&jp);
		theme_release(&t);
		site_release(&s);
	}
	diag_print(&d, stderr);
	incr_release(&inc);
	diag_release(&d);
	for (i = 0; i < 2 * N; i++)
		free(owned[i]);
	buf_release(&yml);
}

int main(void)
{
	markdown_init();
	RUN(test_cover);
	RUN(test_added_field_renders_again);
	RUN(test_hash);
	RUN(test_pages);
	RUN(test_pages_many);
	return harness_done();
}
