/* Unit tests for the EPUB's XML written as text (epub_xw_*, epub_xml.c):
 * the layout and escaping libxml2's indented dump gives the same tree,
 * and the key of a document, the same whether it is only hashed or
 * written; a hashing writer holds none of it. */
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "epub.h"
#include "harness.h"

/* The text a test tree is made of: markup characters, quotes, a tab and
 * a control character XML cannot hold, and non-ASCII letters. */
#define TRICKY "Fish & chips <b> \"q\" \t caf\xC3\xA9\x01 \xE2\x98\x95"

/* One <li> of a nav list, written both ways, as epub_nav writes it. */
static void test_same_as_libxml2(void)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "ol", NULL);
	xmlNodePtr li, a;
	struct buf tree = BUF_INIT, text = BUF_INIT;
	struct epub_xw w;
	const char *const href[] = { "href", "a.xhtml#" TRICKY, NULL };

	xmlDocSetRootElement(doc, root);
	li = xmlNewChild(root, NULL, BAD_CAST "li", NULL);
	a = epub_text_child(li, "a", TRICKY);
	epub_prop(a, "href", "a.xhtml#" TRICKY);
	xmlNewChild(li, NULL, BAD_CAST "ol", NULL);
	epub_text_child(xmlGetLastChild(li), "span", "");
	epub_dump(doc, 1, &tree);
	xmlFreeDoc(doc);

	epub_xw_init(&w, &text, 0);
	buf_adds(&text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	epub_xw_open(&w, "ol", NULL);
	epub_xw_open(&w, "li", NULL);
	epub_xw_leaf(&w, "a", href, TRICKY);
	epub_xw_open(&w, "ol", NULL);
	epub_xw_leaf(&w, "span", NULL, "");
	epub_xw_close(&w, "ol");
	epub_xw_close(&w, "li");
	epub_xw_close(&w, "ol");
	CHECK_STR(text.ptr, tree.ptr);
	buf_release(&tree);
	buf_release(&text);
}

/* Writes `n` entries, as a long table of contents has them; entry n/2
 * says `changed` instead, when given; after it, a line the caller
 * writes itself (`own`), as the checklist writes its mixed content. */
static void write_entries(struct epub_xw *w, int n, const char *changed,
			  const char *own)
{
	char href[32];
	int i;

	buf_adds(w->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	epub_xw_open(w, "ol", NULL);
	for (i = 0; i < n; i++) {
		const char *const a[] = { "href", href, NULL };
		snprintf(href, sizeof(href), "c%04d.xhtml", i);
		epub_xw_open(w, "li", NULL);
		epub_xw_leaf(w, "a", a,
			     i == n / 2 && changed ? changed : TRICKY);
		if (i == n / 2) {
			epub_xw_indent(w);
			buf_adds(w->out, own);
			epub_xw_flush(w);
		}
		epub_xw_close(w, "li");
	}
	epub_xw_close(w, "ol");
}

/* A writer that only hashes gives the key of the one that writes, and
 * holds no element's bytes; a change to an entry, or to the caller's own
 * bytes, gives another key. */
static void test_key(void)
{
	struct buf whole = BUF_INIT, hashed = BUF_INIT, again = BUF_INIT;
	struct epub_xw w;
	uint64_t key;

	epub_xw_init(&w, &whole, 0);
	write_entries(&w, 5000, NULL, "<li>own</li>\n");
	key = epub_xw_key(&w);
	CHECK(whole.len > 400000);
	CHECK(strstr(whole.ptr, "    <li>own</li>\n") != NULL);
	CHECK(strstr(whole.ptr, "<?xml") == whole.ptr);

	epub_xw_init(&w, &hashed, 1);
	write_entries(&w, 5000, NULL, "<li>own</li>\n");
	CHECK(epub_xw_key(&w) == key);
	CHECK_INT((int)hashed.len, 0);

	/* the same bytes written again: the same key */
	epub_xw_init(&w, &again, 0);
	write_entries(&w, 5000, NULL, "<li>own</li>\n");
	CHECK(epub_xw_key(&w) == key);
	CHECK(again.len == whole.len &&
	      !memcmp(again.ptr, whole.ptr, whole.len));

	/* an entry longer than the writer gathers at once: one key in both
	 * modes, and another than the short one's */
	{
		char long_title[700];
		uint64_t written;
		memset(long_title, 'x', sizeof(long_title) - 1);
		long_title[sizeof(long_title) - 1] = '\0';
		buf_reset(&again);
		epub_xw_init(&w, &again, 0);
		write_entries(&w, 10, long_title, "<li>own</li>\n");
		written = epub_xw_key(&w);
		CHECK(strstr(again.ptr, long_title) != NULL);
		epub_xw_init(&w, &hashed, 1);
		write_entries(&w, 10, long_title, "<li>own</li>\n");
		CHECK(epub_xw_key(&w) == written);
		long_title[600] = 'y';
		epub_xw_init(&w, &hashed, 1);
		write_entries(&w, 10, long_title, "<li>own</li>\n");
		CHECK(epub_xw_key(&w) != written);
	}

	/* one entry changed in the middle: another key */
	epub_xw_init(&w, &hashed, 1);
	write_entries(&w, 5000, "Another title", "<li>own</li>\n");
	CHECK(epub_xw_key(&w) != key);
	/* only the caller's own bytes changed: another key */
	epub_xw_init(&w, &hashed, 1);
	write_entries(&w, 5000, NULL, "<li>own!</li>\n");
	CHECK(epub_xw_key(&w) != key);
	/* a level deeper, the same names and texts: another key */
	epub_xw_init(&w, &hashed, 1);
	epub_xw_open(&w, "div", NULL);
	write_entries(&w, 5000, NULL, "<li>own</li>\n");
	epub_xw_close(&w, "div");
	CHECK(epub_xw_key(&w) != key);
	buf_release(&whole);
	buf_release(&hashed);
	buf_release(&again);
}

/* A list keyed as one value: `n` entries written inside it when the
 * writer writes, keyed by `h` alone. */
static uint64_t value_list(struct buf *out, int hashing, uint64_t h, int n,
			   const char *what)
{
	struct epub_xw w;
	int i;

	epub_xw_init(&w, out, hashing);
	epub_xw_open(&w, "nav", NULL);
	epub_xw_open(&w, "ol", NULL);
	if (epub_xw_value_begin(&w, what, h))
		for (i = 0; i < n; i++)
			epub_xw_leaf(&w, "li", NULL, "an entry");
	epub_xw_value_end(&w);
	epub_xw_close(&w, "ol");
	epub_xw_leaf(&w, "p", NULL, "after");
	epub_xw_close(&w, "nav");
	return epub_xw_key(&w);
}

static void test_value(void)
{
	struct buf whole = BUF_INIT, hashed = BUF_INIT;
	uint64_t key = value_list(&whole, 0, 42, 3, "toc");

	/* written: the elements inside are there, laid out as any */
	CHECK(strstr(whole.ptr,
		     "    <li>an entry</li>\n    <li>an entry"
		     "</li>\n    <li>an entry</li>\n  </ol>\n") != NULL);
	CHECK(strstr(whole.ptr, "  <p>after</p>\n</nav>\n") != NULL);
	/* only hashed: nothing walked or written, the same key */
	CHECK(value_list(&hashed, 1, 42, 0, "toc") == key);
	CHECK_INT((int)hashed.len, 0);
	/* what stands for the elements is the value, not the elements */
	CHECK(value_list(&hashed, 1, 43, 0, "toc") != key);
	CHECK(value_list(&hashed, 1, 42, 0, "ncx") != key);
	buf_reset(&whole);
	CHECK(value_list(&whole, 0, 42, 5, "toc") == key);
	buf_release(&whole);
	buf_release(&hashed);
}

int main(void)
{
	RUN(test_same_as_libxml2);
	RUN(test_key);
	RUN(test_value);
	return harness_done();
}
