/* libFuzzer target: a code block in one of the grammars (the first
 * byte picks which), coloured by stepbook's matcher (ts_match.h) and by
 * tree-sitter's query cursor: the markup must be the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "highlight.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct highlighter *ours, *cursor;
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *lang;
	int ea, eb;

	if (!size)
		return 0;
	if (!ours) {
		ours = highlighter_new();
		cursor = highlighter_new();
		highlighter_use_cursor(cursor, 1);
	}
	lang = highlight_grammar_name(data[0] % highlight_n_grammars());
	ea = highlight_code(ours, lang, (const char *)data + 1, size - 1, &a);
	eb = highlight_code(cursor, lang, (const char *)data + 1, size - 1, &b);
	if (ea != eb || a.len != b.len || memcmp(a.ptr, b.ptr, a.len))
		abort();
	buf_release(&a);
	buf_release(&b);
	return 0;
}
