/* stepbook's matcher (ts_match.h) against tree-sitter's query cursor:
 * the same markup for every grammar, on the samples of tests/highlight/,
 * on every cut of them and on copies with bytes taken out (code with
 * syntax errors, as an author's half-written block is). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "harness.h"
#include "highlight.h"

static const struct {
	const char *lang, *file;
} samples[] = {
	{ "bash", "sample.sh" },   { "c", "sample.c" },
	{ "cpp", "sample.cpp" },   { "css", "sample.css" },
	{ "go", "sample.go" },     { "html", "sample.html" },
	{ "java", "sample.java" }, { "javascript", "sample.js" },
	{ "json", "sample.json" }, { "python", "sample.py" },
	{ "rust", "sample.rs" },   { "typescript", "sample.ts" },
	{ "yaml", "sample.yaml" },
};

#define N_SAMPLES (sizeof(samples) / sizeof(*samples))

static struct highlighter *ours, *cursor;

static void test_every_grammar_matched(void)
{
	size_t i;

	for (i = 0; i < highlight_n_grammars(); i++) {
		if (!highlight_grammar_matched(i))
			fprintf(stderr, "  %s: left to the query cursor\n",
				highlight_grammar_name(i));
		CHECK(highlight_grammar_matched(i));
	}
	CHECK(!highlight_grammar_matched(highlight_n_grammars()));
}

/* Whether both highlighters give `lang`'s code the same markup; says
 * where they part on the first few that do not. */
static int same_markup(const char *lang, const char *code, size_t len,
		       const char *what, size_t *spans)
{
	static int told;
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *s;
	size_t d = 0;
	int same;

	highlight_code(ours, lang, code, len, &a);
	highlight_code(cursor, lang, code, len, &b);
	same = a.len == b.len && !memcmp(a.ptr, b.ptr, a.len);
	for (s = a.ptr; spans && (s = strstr(s, "<span")); s++)
		(*spans)++;
	if (!same && told++ < 3) {
		while (d < a.len && d < b.len && a.ptr[d] == b.ptr[d])
			d++;
		d = d > 40 ? d - 40 : 0;
		fprintf(stderr,
			"  %s, %s: the markups part:\n    matcher: %.120s\n"
			"    cursor:  %.120s\n",
			lang, what, a.ptr + d, b.ptr + d);
	}
	buf_release(&a);
	buf_release(&b);
	return same;
}

static int read_sample(size_t i, struct buf *code)
{
	char path[256];
	struct diag d;

	snprintf(path, sizeof(path), "tests/highlight/%s", samples[i].file);
	diag_init(&d);
	if (fs_read_file(path, NULL, code, &d) < 0) {
		fprintf(stderr, "  cannot read %s\n", path);
		diag_release(&d);
		return -1;
	}
	diag_release(&d);
	return 0;
}

static void test_samples_whole_and_cut(void)
{
	size_t i;

	for (i = 0; i < N_SAMPLES; i++) {
		struct buf code = BUF_INIT;
		size_t cut, step, spans = 0, differ = 0;
		if (read_sample(i, &code) < 0) {
			CHECK(0);
			continue;
		}
		CHECK(same_markup(samples[i].lang, code.ptr, code.len, "whole",
				  &spans));
		/* the markup is coloured, by the patterns of many shapes */
		CHECK(spans > code.len / 40);
		step = code.len / 200 + 1;
		for (cut = 0; cut < code.len; cut += step)
			differ += !same_markup(samples[i].lang, code.ptr, cut,
					       "cut", NULL);
		if (differ)
			fprintf(stderr, "  %s: %zu cuts differ\n",
				samples[i].lang, differ);
		CHECK(differ == 0);
		buf_release(&code);
	}
}

/* Copies of each sample with 1 to 8 bytes taken out here and there (a
 * fixed sequence of places). */
static void test_samples_with_bytes_out(void)
{
	uint32_t seed = 12345;
	size_t i, k;

	for (i = 0; i < N_SAMPLES; i++) {
		struct buf code = BUF_INIT;
		char *copy;
		size_t differ = 0;
		if (read_sample(i, &code) < 0 || code.len < 16) {
			CHECK(0);
			buf_release(&code);
			continue;
		}
		copy = malloc(code.len);
		for (k = 0; k < 150; k++) {
			size_t at, out;
			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % (code.len - 8);
			out = 1 + (seed >> 4) % 8;
			memcpy(copy, code.ptr, at);
			memcpy(copy + at, code.ptr + at + out,
			       code.len - at - out);
			differ += !same_markup(samples[i].lang, copy,
					       code.len - out, "bytes out",
					       NULL);
		}
		if (differ)
			fprintf(stderr, "  %s: %zu copies differ\n",
				samples[i].lang, differ);
		CHECK(differ == 0);
		free(copy);
		buf_release(&code);
	}
}

int main(void)
{
	ours = highlighter_new();
	cursor = highlighter_new();
	highlighter_use_cursor(cursor, 1);
	RUN(test_every_grammar_matched);
	RUN(test_samples_whole_and_cut);
	RUN(test_samples_with_bytes_out);
	highlighter_free(ours);
	highlighter_free(cursor);
	return harness_done();
}
