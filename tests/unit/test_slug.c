/* Unit tests for slug: GitHub-style identifiers from text (Unicode letters
 * kept and lowercased, punctuation dropped), the length cap, and the edit
 * distance used for "did you mean" suggestions. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "slug.h"

static void test_make(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Why silence helps", "why-silence-helps" },
		{ "Step 3: Radio silence", "step-3-radio-silence" },
		{ "\xc3\x89"
		  "clair caf\xc3\xa9",
		  "\xc3\xa9"
		  "clair-caf\xc3\xa9" },
		/* Привет Мир -> привет-мир */
		{ "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 "
		  "\xd0\x9c\xd0\xb8\xd1\x80",
		  "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82-"
		  "\xd0\xbc\xd0\xb8\xd1\x80" },
		/* “Quoted” — dash */
		{ "\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x94 dash",
		  "quoted--dash" },
		/* Ωmega, ΣΑ -> ωmega-σα; Ёж -> ёж (U+0401 -> U+0451) */
		{ "\xce\xa9mega \xce\xa3\xce\x91",
		  "\xcf\x89mega-\xcf\x83\xce\xb1" },
		{ "\xd0\x81\xd0\xb6", "\xd1\x91\xd0\xb6" },
		/* Łódź -> łódź: Ł U+0141 is an odd capital, ź U+017A an even
		 * small letter that must stay as it is */
		{ "\xc5\x81\xc3\xb3"
		  "d\xc5\xba",
		  "\xc5\x82\xc3\xb3"
		  "d\xc5\xba" },
		/* Žluť kůň ĸ ſ Ÿ -> žluť-kůň-ĸ-ſ-ÿ */
		{ "\xc5\xbdlu\xc5\xa5 k\xc5\xaf\xc5\x88 \xc4\xb8 \xc5\xbf \xc5\xb8",
		  "\xc5\xbelu\xc5\xa5-k\xc5\xaf\xc5\x88-\xc4\xb8-\xc5\xbf-\xc3\xbf" },
		/* Ąę Ŋ İ -> ąę-ŋ-İ (no single-character lowercase for İ) */
		{ "\xc4\x84\xc4\x99 \xc5\x8a \xc4\xb0",
		  "\xc4\x85\xc4\x99-\xc5\x8b-\xc4\xb0" },
		/* Έλα Ώρα Άλφα Όμ Ύψ Ί Ή -> έλα-ώρα-άλφα-όμ-ύψ-ί-ή */
		{ "\xce\x88\xce\xbb\xce\xb1 \xce\x8f\xcf\x81\xce\xb1 "
		  "\xce\x86\xce\xbb\xcf\x86\xce\xb1 \xce\x8c\xce\xbc "
		  "\xce\x8e\xcf\x88 \xce\x8a \xce\x89",
		  "\xce\xad\xce\xbb\xce\xb1-\xcf\x8e\xcf\x81\xce\xb1-"
		  "\xce\xac\xce\xbb\xcf\x86\xce\xb1-\xcf\x8c\xce\xbc-"
		  "\xcf\x8d\xcf\x88-\xce\xaf-\xce\xae" },
		{ "snake_case and-dash", "snake_case-and-dash" },
		{ "  two  spaces ", "--two--spaces-" },
		{ "C++ & C#!", "c--c" },
		{ "It's (really) 100%", "its-really-100" },
		{ "\xe4\xb8\xad\xe6\x96\x87 text",
		  "\xe4\xb8\xad\xe6\x96\x87-text" },
		{ "emoji \xf0\x9f\x98\x80 here", "emoji--here" },
		{ "\xc2\xbfQu\xc3\xa9?", "qu\xc3\xa9" },
		{ "a\xc3\x97"
		  "b\xc3\xb7"
		  "c",
		  "abc" },
		{ "", "" },
		{ "!!!", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = slug_make(cases[i].in);
		CHECK_STR(got, cases[i].out);
		free(got);
	}
}

static void test_add_appends(void)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "ch-");
	slug_add(&b, "Do It", 0);
	CHECK_STR(b.ptr, "ch-do-it");
	buf_release(&b);
}

static void test_max(void)
{
	struct buf b = BUF_INIT;

	slug_add(&b, "abcdef", 4);
	CHECK_STR(b.ptr, "abcd");
	buf_reset(&b);
	slug_add(&b, "abcd", 4);
	CHECK_STR(b.ptr, "abcd");
	buf_reset(&b);
	/* the limit counts only what this call appends */
	buf_adds(&b, "xxxxxx-");
	slug_add(&b, "abcdef", 3);
	CHECK_STR(b.ptr, "xxxxxx-abc");
	buf_reset(&b);
	/* "aéé": a(1) é(2) é(2); 4 bytes would split the second é */
	slug_add(&b, "a\xc3\xa9\xc3\xa9", 4);
	CHECK_STR(b.ptr, "a\xc3\xa9");
	CHECK_INT(b.len, 3);
	buf_reset(&b);
	slug_add(&b, "a\xc3\xa9\xc3\xa9", 5);
	CHECK_STR(b.ptr, "a\xc3\xa9\xc3\xa9");
	buf_reset(&b);
	/* 3-byte characters: 7 bytes hold two of them */
	slug_add(&b, "\xe4\xb8\xad\xe6\x96\x87\xe4\xb8\xad", 7);
	CHECK_STR(b.ptr, "\xe4\xb8\xad\xe6\x96\x87");
	buf_reset(&b);
	/* dropped characters do not count */
	slug_add(&b, "a!!!!!!b", 2);
	CHECK_STR(b.ptr, "ab");
	buf_release(&b);
}

static void test_distance(void)
{
	CHECK_INT(slug_distance("intro", "intro", 10), 0);
	CHECK_INT(slug_distance("intro", "intor", 10), 2);
	CHECK_INT(slug_distance("kitten", "sitting", 10), 3);
	CHECK_INT(slug_distance("", "abc", 10), 3);
	CHECK_INT(slug_distance("abc", "", 10), 3);
	CHECK_INT(slug_distance("02-accept.md", "02-acept.md", 10), 1);
	CHECK_INT(slug_distance("why-silence", "why-silence-helps", 10), 6);
	/* capped */
	CHECK_INT(slug_distance("abcdefgh", "zyxwvuts", 3), 3);
	CHECK_INT(slug_distance("kitten", "sitting", 3), 3);
	CHECK_INT(slug_distance("kitten", "sitting", 4), 3);
	CHECK_INT(slug_distance("a", "bcdefghij", 5), 5);
}

int main(void)
{
	RUN(test_make);
	RUN(test_add_appends);
	RUN(test_max);
	RUN(test_distance);
	return harness_done();
}
