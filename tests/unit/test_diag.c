/* Unit tests for diag: recording errors and attaching source lines, in
 * order (where the search resumes from the last line found), out of
 * order, past the end, and across different texts. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "harness.h"

static const char *attach(struct diag *d, const char *text, int line)
{
	diag_error(d, "f.md", line, 1, "problem on line %d", line);
	diag_attach_source(d, text, strlen(text), line);
	return d->v[d->n - 1].source;
}

static void test_attach_source(void)
{
	struct diag d;
	const char *text = "one\ntwo\r\nthree\n\nfive";
	const char *other = "alpha\nbeta\n";

	diag_init(&d);
	CHECK_STR(attach(&d, text, 1), "one");
	CHECK_STR(attach(&d, text, 2), "two");
	CHECK_STR(attach(&d, text, 3), "three");
	CHECK_STR(attach(&d, text, 3), "three");
	CHECK_STR(attach(&d, text, 5), "five");
	CHECK_STR(attach(&d, text, 4), ""); /* backwards */
	CHECK_STR(attach(&d, text, 1), "one");
	CHECK(attach(&d, text, 6) == NULL); /* past the end */
	CHECK_STR(attach(&d, text, 5), "five");
	CHECK_STR(attach(&d, other, 2), "beta"); /* another text */
	CHECK_STR(attach(&d, text, 2), "two");
	CHECK_STR(attach(&d, other, 3), ""); /* after the last \n */
	CHECK_STR(attach(&d, other, 1), "alpha");
	CHECK_INT(d.errors, 13);
	diag_release(&d);
}

static void test_many_in_order(void)
{
	struct diag d;
	size_t n = 20000, i, bad = 0;
	char *text = malloc(n * 4 + 1), *p = text;

	for (i = 0; i < n; i++) {
		memcpy(p, i % 2 ? "odd\n" : "evn\n", 4);
		p += 4;
	}
	*p = '\0';
	diag_init(&d);
	for (i = 1; i <= n; i++) {
		const char *s = attach(&d, text, (int)i);
		if (!s || strcmp(s, i % 2 ? "evn" : "odd"))
			bad++;
	}
	CHECK_INT(bad, 0);
	diag_release(&d);
	free(text);
}

int main(void)
{
	RUN(test_attach_source);
	RUN(test_many_in_order);
	return harness_done();
}
