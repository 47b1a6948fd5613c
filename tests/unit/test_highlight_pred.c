#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <tree_sitter/api.h>

#include "buf.h"
#include "harness.h"
#include "highlight_pred.h"

const TSLanguage *tree_sitter_javascript(void);

/* The predicates of the query `(identifier) @x` with #match? @x `re`
 * (as a highlights.scm writes it), read by highlight_preds_read(). */
static TSQuery *pred_query(const char *re, struct highlight_pred **preds,
			   size_t *n)
{
	struct buf src = BUF_INIT;
	uint32_t err_at;
	TSQueryError err;
	TSQuery *q;

	buf_adds(&src, "((identifier) @x (#match? @x \"");
	buf_adds(&src, re);
	buf_adds(&src, "\"))");
	q = ts_query_new(tree_sitter_javascript(), src.ptr, (uint32_t)src.len,
			 &err_at, &err);
	buf_release(&src);
	*preds = NULL;
	*n = 0;
	if (q && highlight_preds_read(q, 0, preds, n) < 0) {
		ts_query_delete(q);
		return NULL;
	}
	return q;
}

static void pred_free(TSQuery *q, struct highlight_pred *preds, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		regfree(&preds[k].re);
		free(preds[k].strings);
		free(preds[k].lens);
	}
	free(preds);
	ts_query_delete(q);
}

/* Whether the #match? of `preds` holds for the capture of all of `text`. */
static int pred_matches(const struct highlight_pred *preds, size_t n,
			const char *text)
{
	struct highlight_capture c = { 0, 0, (uint32_t)strlen(text) };

	return highlight_preds_hold(preds, n, &c, 1, text);
}

/* Whether byte `ch` may start a match, by preds[0].first. */
static int pred_first(const struct highlight_pred *preds, unsigned char ch)
{
	return (preds[0].first[ch >> 3] >> (ch & 7)) & 1;
}

/* The bytes a match can start with spare regexec() the texts that start
 * otherwise, and never change an answer: each expression (as the
 * grammars write them, and the forms the first-byte reading declines)
 * answers every text as regexec() with its POSIX form does. */
static void test_match_first_bytes(void)
{
	static const struct {
		const char *scm, *posix;
	} res[] = {
		{ "^[A-Z]", "^[A-Z]" },
		{ "^--", "^--" },
		{ "^-", "^-" },
		{ "^_*[A-Z][A-Z\\\\d_]+$", "^_*[A-Z][A-Z0-9_]+$" },
		{ "^[A-Z_][A-Z\\\\d_]+$", "^[A-Z_][A-Z0-9_]+$" },
		{ "^[A-Z][A-Z_]*$", "^[A-Z][A-Z_]*$" },
		{ "^(len|make)$", "^(len|make)$" },
		{ "^\\\\.x", "^\\.x" },
		{ "^[]a]b", "^[]a]b" },
		{ "^[a-]", "^[a-]" },
		{ "^[^a-z]", "^[^a-z]" },
		{ "^[[:upper:]]", "^[[:upper:]]" },
		{ "^a?b", "^a?b" },
		{ "^a{0,2}b", "^a{0,2}b" },
		{ "x|^y", "x|^y" },
		{ "^y|x", "^y|x" },
		{ "[A-Z]", "[A-Z]" },
		{ "^\\\\d", "^[0-9]" },
	};
	static const char *const texts[] = {
		"",    "A",  "Ab",  "a",    "-",   "--x", "_AB",      "AB_1",
		"ABC", "A_", "len", "make", ".x",  "]b",  "ab",       "b",
		"-a",  "x",  "y",   "zy",   "aab", "9",   "\xc3\xa9", "Z9",
	};
	size_t i, j;

	for (i = 0; i < sizeof(res) / sizeof(*res); i++) {
		struct highlight_pred *preds;
		size_t n;
		TSQuery *q = pred_query(res[i].scm, &preds, &n);
		regex_t want;

		CHECK(q != NULL);
		if (!q)
			continue;
		CHECK_INT((int)n, 1);
		CHECK_INT(regcomp(&want, res[i].posix,
				  REG_EXTENDED | REG_NOSUB),
			  0);
		for (j = 0; j < sizeof(texts) / sizeof(*texts); j++) {
			int got = pred_matches(preds, n, texts[j]);
			int expect = !regexec(&want, texts[j], 0, NULL, 0);
			if (got != expect)
				fprintf(stderr,
					"  /%s/ on \"%s\": %d, not %d\n",
					res[i].posix, texts[j], got, expect);
			CHECK(got == expect);
		}
		regfree(&want);
		pred_free(q, preds, n);
	}
}

/* Which bytes are taken as the only ones a match can start with. */
static void test_first_byte_sets(void)
{
	struct highlight_pred *preds;
	size_t n;
	unsigned ch, count;
	TSQuery *q = pred_query("^[A-Z_][A-Z\\\\d_]+$", &preds, &n);

	CHECK(q != NULL);
	if (!q)
		return;
	for (ch = count = 0; ch < 256; ch++)
		count += (unsigned)pred_first(preds, (unsigned char)ch);
	CHECK_INT((int)count, 27);
	CHECK(pred_first(preds, 'A') && pred_first(preds, 'Z') &&
	      pred_first(preds, '_'));
	CHECK(!pred_first(preds, 'a') && !pred_first(preds, '0') &&
	      !pred_first(preds, 0));
	pred_free(q, preds, n);
	/* "^--": only '-' */
	q = pred_query("^--", &preds, &n);
	CHECK(pred_first(preds, '-') && !pred_first(preds, 'x'));
	pred_free(q, preds, n);
	/* declined: every byte may start a match */
	q = pred_query("^_*[A-Z]", &preds, &n);
	CHECK(pred_first(preds, 'a') && pred_first(preds, 0));
	pred_free(q, preds, n);
	q = pred_query("x|^y", &preds, &n);
	CHECK(pred_first(preds, 'q'));
	pred_free(q, preds, n);
	q = pred_query("^[^a]", &preds, &n);
	CHECK(pred_first(preds, 'a'));
	pred_free(q, preds, n);
}

int main(void)
{
	RUN(test_match_first_bytes);
	RUN(test_first_byte_sets);
	return harness_done();
}
