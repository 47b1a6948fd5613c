/* Unit tests for utf8: what utf8_valid() accepts and where it stops,
 * decoding one character, and encoding a code point (with the
 * replacement of what cannot be written). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"
#include "utf8.h"

static void test_valid(void)
{
	static const struct {
		const char *s;
		int ok;
		size_t bad;
	} cases[] = {
		{ "plain ascii", 1, 0 },
		{ "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d \xf0\x9f\x98\x80", 1,
		  0 },
		{ "\xf4\x8f\xbf\xbf", 1, 0 }, /* U+10FFFF */
		{ "\xed\x9f\xbf", 1, 0 },     /* U+D7FF */
		{ "", 1, 0 },
		{ "ab\xc0\xaf", 0, 2 },         /* overlong '/' */
		{ "ab\xc1\xbf", 0, 2 },         /* overlong */
		{ "x\xe0\x80\xaf", 0, 1 },      /* overlong 3 */
		{ "x\xe0\x9f\xbf", 0, 1 },      /* overlong 3 */
		{ "xy\xf0\x8f\xbf\xbf", 0, 2 }, /* overlong 4 */
		{ "\xed\xa0\x80", 0, 0 },       /* U+D800 */
		{ "ok\xed\xbf\xbf", 0, 2 },     /* U+DFFF */
		{ "\xf4\x90\x80\x80", 0, 0 },   /* > U+10FFFF */
		{ "\xf5\x80\x80\x80", 0, 0 },
		{ "abc\xc3", 0, 3 },      /* truncated */
		{ "abc\xe2\x80", 0, 3 },  /* truncated */
		{ "\xe2\x80 x", 0, 0 },   /* cut short */
		{ "\xc3\xa9\x80", 0, 2 }, /* stray cont. */
		{ "\xff", 0, 0 },
		{ "a\xfe", 0, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t bad = 12345;
		int ok = utf8_valid(cases[i].s, strlen(cases[i].s), &bad);
		if (ok != cases[i].ok || (!ok && bad != cases[i].bad) ||
		    (ok && bad != 12345)) {
			fprintf(stderr, "  utf8 case %zu: got %d at %zu\n", i,
				ok, bad);
			harness_current_failed = 1;
		}
	}
	/* the length bounds the check: a valid prefix of a bad string */
	CHECK_INT(utf8_valid("ab\xff", 2, NULL), 1);
	CHECK_INT(utf8_valid("ab\xff", 3, NULL), 0);
}

static void test_decode(void)
{
	static const struct {
		const char *s;
		unsigned long cp;
		size_t len;
	} cases[] = {
		{ "a", 'a', 1 },
		{ "\xc3\xa9x", 0xE9, 2 },
		{ "\xe2\x80\x9c", 0x201C, 3 },
		{ "\xf0\x9f\x98\x80", 0x1F600, 4 },
		{ "\xf4\x8f\xbf\xbf", 0x10FFFF, 4 },
		/* a stray byte, or a sequence the NUL cuts short */
		{ "\x80", 0xFFFD, 1 },
		{ "\xe2\x80", 0xFFFD, 1 },
		{ "\xf0\x9f\x98", 0xFFFD, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned long cp = 0;
		size_t n = utf8_decode(cases[i].s, &cp);
		if (cp != cases[i].cp || n != cases[i].len) {
			fprintf(stderr, "  decode case %zu: got U+%04lX, %zu\n",
				i, cp, n);
			harness_current_failed = 1;
		}
	}
}

static void test_add(void)
{
	struct buf b = BUF_INIT;
	size_t bad;

	utf8_add(&b, 'a');
	utf8_add(&b, 0xE9);
	utf8_add(&b, 0x201C);
	utf8_add(&b, 0x1F600);
	utf8_add(&b, 0x10FFFF);
	CHECK_STR(b.ptr,
		  "a\xc3\xa9\xe2\x80\x9c\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	/* what no valid text holds comes out as U+FFFD */
	buf_reset(&b);
	utf8_add(&b, 0);
	utf8_add(&b, 0xD800);
	utf8_add(&b, 0xDFFF);
	utf8_add(&b, 0x110000);
	CHECK_STR(b.ptr, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_INT(b.len, 12);
	/* and decoding gives back each code point */
	buf_reset(&b);
	utf8_add(&b, 0x7FF);
	utf8_add(&b, 0x800);
	utf8_add(&b, 0xFFFF);
	utf8_add(&b, 0x10000);
	CHECK(utf8_valid(b.ptr, b.len, &bad));
	{
		const char *p = b.ptr;
		unsigned long cp;
		p += utf8_decode(p, &cp);
		CHECK_INT(cp, 0x7FF);
		p += utf8_decode(p, &cp);
		CHECK_INT(cp, 0x800);
		p += utf8_decode(p, &cp);
		CHECK_INT(cp, 0xFFFF);
		p += utf8_decode(p, &cp);
		CHECK_INT(cp, 0x10000);
		CHECK(!*p);
	}
	buf_release(&b);
}

int main(void)
{
	RUN(test_valid);
	RUN(test_decode);
	RUN(test_add);
	return harness_done();
}
