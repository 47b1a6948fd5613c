#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "highlight.h"
#include "highlight_ahead.h"
#include "markdown.h"

/* What highlight_code() makes of `code` in `lang`. */
static char *made_now(const char *lang, const char *code)
{
	struct highlighter *h = highlighter_new();
	struct buf b = BUF_INIT;

	highlight_code(h, lang, code, strlen(code), &b);
	highlighter_free(h);
	return buf_detach(&b, NULL);
}

/* Scans `md`, highlights ahead, then looks up each fenced block of a
 * known language as cmark-gfm parses it: *found of them *blocks were
 * there, every one with highlight_code()'s markup. */
static void scan_and_find(const char *md, int *blocks, int *found)
{
	struct highlight_ahead *a = highlight_ahead_new();
	cmark_node *doc = markdown_parse(md, strlen(md), 0);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	*blocks = *found = 0;
	highlight_ahead_scan(a, md, strlen(md));
	highlight_ahead_run(a);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *lang, *code, *markup;
		size_t len = 0;

		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_CODE_BLOCK ||
		    !(lang = highlight_language(cmark_node_get_fence_info(n))))
			continue;
		(*blocks)++;
		code = cmark_node_get_literal(n);
		markup = highlight_ahead_find(a, lang, code, strlen(code),
					      &len);
		if (markup) {
			char *now = made_now(lang, code);
			(*found)++;
			CHECK(len == strlen(markup));
			CHECK_STR(markup, now);
			free(now);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	highlight_ahead_free(a);
}

static void test_blocks_as_cmark_reads_them(void)
{
	int blocks, found;

	scan_and_find("# Title\n\n```python\ndef f(x):\n    return x\n```\n"
		      "\ntext\n\n~~~~ js {hl_lines=\"1\"}\nconst a = 1;\n"
		      "```\nstill code\n~~~~\n\n"
		      "```sh\r\necho hi\r\n```\r\n",
		      &blocks, &found);
	CHECK_INT(blocks, 3);
	CHECK_INT(found, 3);
	/* in list items, their indent taken off; a closing fence indented
	 * less; a block the document's end closes */
	scan_and_find("1. Install it:\n\n   ```bash\n   apt install x\n"
		      "     indented more\n   ```\n\n"
		      "   - then:\n\n     ```go\n     package main\n"
		      "    ```\n\n```c\nint x;\n",
		      &blocks, &found);
	CHECK_INT(blocks, 3);
	CHECK_INT(found, 3);
	/* an empty block, and one of only blank lines */
	scan_and_find("```json\n```\n\n```yaml\n\n\n```\n", &blocks, &found);
	CHECK_INT(blocks, 2);
	CHECK_INT(found, 2);
}

static void test_what_it_leaves_to_the_chapter(void)
{
	struct highlight_ahead *a = highlight_ahead_new();
	const char *md = "```text\nplain\n```\n\n```quiz\n? q\n```\n\n"
			 "``` py `x`\nnot a fence: backticks in the info\n```\n";
	int blocks, found;
	size_t len;

	/* languages stepbook does not know, and a fence that is none */
	CHECK_INT(highlight_ahead_scan(a, md, strlen(md)), 0);
	CHECK_INT(highlight_ahead_count(a), 0);
	highlight_ahead_run(a);
	CHECK(highlight_ahead_find(a, "python", "plain\n", 6, &len) == NULL);
	CHECK(highlight_ahead_find(NULL, "python", "x\n", 2, &len) == NULL);
	highlight_ahead_free(a);
	/* in a block quote the scan does not read the block as cmark does:
	 * not found, highlighted with its chapter */
	scan_and_find("> ```python\n> x = 1\n> ```\n", &blocks, &found);
	CHECK_INT(blocks, 1);
	CHECK_INT(found, 0);
}

static void test_same_block_once(void)
{
	struct highlight_ahead *a = highlight_ahead_new();
	const char *md = "```py\nx = 1\n```\n\n```python\nx = 1\n```\n\n"
			 "```js\nx = 1\n```\n";
	const char *m1, *m2;
	size_t l1 = 0, l2 = 0;

	CHECK_INT(highlight_ahead_scan(a, md, strlen(md)), 3);
	CHECK_INT(highlight_ahead_scan(a, md, strlen(md)), 3);
	/* py and python are one language; js another */
	CHECK_INT(highlight_ahead_count(a), 2);
	highlight_ahead_run(a);
	m1 = highlight_ahead_find(a, "python", "x = 1\n", 6, &l1);
	m2 = highlight_ahead_find(a, "javascript", "x = 1\n", 6, &l2);
	CHECK(m1 && m2 && m1 != m2);
	CHECK(highlight_ahead_find(a, "python", "x = 1", 5, &l1) == NULL);
	highlight_ahead_free(a);
}

static void test_many_blocks_on_the_pool(void)
{
	static const char *const langs[] = { "python", "c", "rust", "json" };
	struct highlight_ahead *a = highlight_ahead_new();
	struct buf md = BUF_INIT, code = BUF_INIT;
	int i, ok = 1;

	/* more blocks than one job takes, in turn, and the table grown */
	for (i = 0; i < 600; i++)
		buf_addf(&md, "```%s\nx%d = %d\n```\n\n", langs[i % 4], i, i);
	highlight_ahead_scan(a, md.ptr, md.len);
	CHECK_INT(highlight_ahead_count(a), 600);
	highlight_ahead_run(a);
	for (i = 0; i < 600; i++) {
		const char *lang = highlight_language(langs[i % 4]), *m;
		size_t len = 0;
		char *now;
		buf_reset(&code);
		buf_addf(&code, "x%d = %d\n", i, i);
		m = highlight_ahead_find(a, lang, code.ptr, code.len, &len);
		now = made_now(lang, code.ptr);
		if (!m || strcmp(m, now))
			ok = 0;
		free(now);
	}
	CHECK(ok);
	highlight_ahead_free(a);
	buf_release(&md);
	buf_release(&code);
}

int main(void)
{
	markdown_init();
	RUN(test_blocks_as_cmark_reads_them);
	RUN(test_what_it_leaves_to_the_chapter);
	RUN(test_same_block_once);
	RUN(test_many_blocks_on_the_pool);
	return harness_done();
}
