/* Unit tests for buf: appending, formatted growth, HTML escaping, handing
 * the string over, truncation. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "harness.h"

static void test_init_empty(void)
{
	struct buf a = BUF_INIT, b;

	buf_init(&b);
	CHECK(a.ptr != NULL && b.ptr != NULL);
	CHECK_STR(a.ptr, "");
	CHECK_STR(b.ptr, "");
	CHECK_INT(a.len, 0);
	CHECK_INT(b.cap, 0);
	buf_release(&a);
	buf_release(&b);
	CHECK_STR(a.ptr, "");
}

static void test_add(void)
{
	struct buf b = BUF_INIT;

	buf_add(&b, "abc", 2);
	CHECK_STR(b.ptr, "ab");
	CHECK_INT(b.len, 2);
	buf_adds(&b, "cd");
	buf_addch(&b, 'e');
	buf_add(&b, "zzz", 0);
	CHECK_STR(b.ptr, "abcde");
	CHECK_INT(b.len, 5);
	CHECK(b.cap > b.len);
	CHECK_INT(b.ptr[b.len], '\0');
	/* embedded NUL bytes are kept, the string stays terminated */
	buf_add(&b, "x\0y", 3);
	CHECK_INT(b.len, 8);
	CHECK(!memcmp(b.ptr, "abcdex\0y", 9));
	buf_release(&b);
	CHECK_INT(b.len, 0);
	CHECK_INT(b.cap, 0);
}

static void test_add_many(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < 10000; i++)
		buf_addch(&b, (char)('a' + i % 26));
	CHECK_INT(b.len, 10000);
	CHECK_INT(strlen(b.ptr), 10000);
	CHECK_INT(b.ptr[0], 'a');
	CHECK_INT(b.ptr[9999], 'a' + 9999 % 26);
	buf_release(&b);
}

static void test_printf_growth(void)
{
	struct buf b = BUF_INIT;
	char big[300];
	size_t cap;

	buf_addf(&b, "%d-%s", 42, "x");
	CHECK_STR(b.ptr, "42-x");
	CHECK_INT(b.len, 4);
	cap = b.cap;
	CHECK(cap >= 5);
	/* a format result larger than what is left must grow the buffer */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_addf(&b, "[%s]", big);
	CHECK(b.cap > cap);
	CHECK_INT(b.len, 4 + 2 + 299);
	CHECK_INT(strlen(b.ptr), b.len);
	CHECK(!strncmp(b.ptr, "42-x[qqq", 8));
	CHECK_INT(b.ptr[b.len - 1], ']');
	/* and one that fits exactly in the remaining room */
	buf_reset(&b);
	while (b.len + 1 < b.cap - 1)
		buf_addch(&b, '.');
	cap = b.cap;
	buf_addf(&b, "%c", 'Z');
	CHECK_INT(b.cap, cap);
	CHECK_INT(b.ptr[b.len - 1], 'Z');
	CHECK_INT(strlen(b.ptr), b.len);
	buf_addf(&b, "%s", "two");
	CHECK(b.cap > cap);
	CHECK(!strcmp(b.ptr + b.len - 4, "Ztwo"));
	CHECK_INT(strlen(b.ptr), b.len);
	/* an empty result leaves the buffer as it was */
	buf_release(&b);
	buf_addf(&b, "%s", "");
	CHECK_STR(b.ptr, "");
	CHECK_INT(b.len, 0);
	buf_release(&b);
}

static void test_html(void)
{
	struct buf b = BUF_INIT;

	buf_adds_html(&b, "a & b < c > d \"e\" 'f' \xc3\xa9");
	CHECK_STR(b.ptr, "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; "
			 "\xc3\xa9");
	buf_reset(&b);
	buf_add_html(&b, "<<x>>", 3);
	CHECK_STR(b.ptr, "&lt;&lt;x");
	buf_reset(&b);
	buf_adds_html(&b, "");
	CHECK_STR(b.ptr, "");
	CHECK_INT(b.len, 0);
	buf_adds_html(&b, "plain");
	CHECK_STR(b.ptr, "plain");
	buf_release(&b);
}

static void test_detach(void)
{
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *s;

	/* an empty buf still hands over a string of its own */
	s = buf_detach(&b, &len);
	CHECK_STR(s, "");
	CHECK_INT(len, 0);
	CHECK(s != buf_empty);
	free(s);

	buf_adds(&b, "hello");
	s = buf_detach(&b, &len);
	CHECK_STR(s, "hello");
	CHECK_INT(len, 5);
	CHECK_STR(b.ptr, "");
	CHECK_INT(b.len, 0);
	CHECK_INT(b.cap, 0);
	free(s);
	/* the buf is reusable afterwards */
	buf_adds(&b, "again");
	s = buf_detach(&b, NULL);
	CHECK_STR(s, "again");
	free(s);
	CHECK_STR(buf_empty, "");
}

static void test_truncate(void)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "abcdef");
	buf_truncate(&b, 3);
	CHECK_STR(b.ptr, "abc");
	CHECK_INT(b.len, 3);
	/* longer than the content: nothing changes */
	buf_truncate(&b, 10);
	CHECK_STR(b.ptr, "abc");
	CHECK_INT(b.len, 3);
	buf_adds(&b, "X");
	CHECK_STR(b.ptr, "abcX");
	buf_reset(&b);
	CHECK_STR(b.ptr, "");
	CHECK_INT(b.len, 0);
	CHECK(b.cap > 0);
	buf_release(&b);
	/* truncating an empty buf must not write into buf_empty */
	buf_truncate(&b, 0);
	buf_reset(&b);
	CHECK_STR(b.ptr, "");
	CHECK_STR(buf_empty, "");
}

static void test_grow(void)
{
	struct buf b = BUF_INIT;

	buf_grow(&b, 1000);
	CHECK(b.cap >= 1001);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.ptr, "");
	buf_grow(&b, 0);
	CHECK(b.cap >= 1001);
	buf_release(&b);
}

int main(void)
{
	RUN(test_init_empty);
	RUN(test_add);
	RUN(test_add_many);
	RUN(test_printf_growth);
	RUN(test_html);
	RUN(test_detach);
	RUN(test_truncate);
	RUN(test_grow);
	return harness_done();
}
