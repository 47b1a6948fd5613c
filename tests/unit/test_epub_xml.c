/* Unit tests for the EPUB's XML written as text (epub_xw_*, epub_xml.c):
 * the layout and escaping libxml2's indented dump gives the same tree,
 * and the key of a document, the same whether it is only hashed, a block
 * at a time, or written whole; a hashing writer never holds a whole
 * document. */
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

/* Writes `n` entries, as a long table of contents has them. */
static void write_entries(struct epub_xw *w, int n, const char *changed)
{
	char href[32];
	int i;

	epub_xw_open(w, "ol", NULL);
	for (i = 0; i < n; i++) {
		const char *const a[] = { "href", href, NULL };
		snprintf(href, sizeof(href), "c%04d.xhtml", i);
		epub_xw_open(w, "li", NULL);
		epub_xw_leaf(w, "a", a,
			     i == n / 2 && changed ? changed : TRICKY);
		epub_xw_close(w, "li");
	}
	epub_xw_close(w, "ol");
}

static void test_key(void)
{
	struct buf whole = BUF_INIT, hashed = BUF_INIT;
	struct epub_xw w;
	uint64_t key;
	size_t most = 0;
	int i;

	/* about 400 KB: several blocks */
	epub_xw_init(&w, &whole, 0);
	write_entries(&w, 5000, NULL);
	CHECK(whole.len > 4 * EPUB_XW_BLOCK);

	epub_xw_init(&w, &hashed, 1);
	epub_xw_open(&w, "ol", NULL);
	for (i = 0; i < 5000; i++) {
		char href[32];
		const char *const a[] = { "href", href, NULL };
		snprintf(href, sizeof(href), "c%04d.xhtml", i);
		epub_xw_open(&w, "li", NULL);
		epub_xw_leaf(&w, "a", a, TRICKY);
		epub_xw_close(&w, "li");
		if (hashed.len > most)
			most = hashed.len;
	}
	epub_xw_close(&w, "ol");
	key = epub_xw_key(&w);
	/* the same key, from a writer that never held a block */
	CHECK(key == epub_xw_bytes_key(whole.ptr, whole.len));
	CHECK(most < EPUB_XW_BLOCK);
	CHECK(hashed.len < EPUB_XW_BLOCK);

	/* one entry changed in the middle: another key */
	buf_reset(&hashed);
	epub_xw_init(&w, &hashed, 1);
	write_entries(&w, 5000, "Another title");
	CHECK(epub_xw_key(&w) != key);
	buf_release(&whole);
	buf_release(&hashed);
}

int main(void)
{
	RUN(test_same_as_libxml2);
	RUN(test_key);
	return harness_done();
}
