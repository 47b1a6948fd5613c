/* Unit tests for strset: adding, looking up and updating keys, growth
 * past many keys, keys that differ only late or are empty, and reuse after
 * release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "strset.h"

static void test_add_get(void)
{
	struct strset s = STRSET_INIT;
	size_t v = 99;

	CHECK(!strset_has(&s, "a"));
	CHECK(!strset_get(&s, "a", &v));
	CHECK_INT(v, 99);
	CHECK_INT(strset_add(&s, "a", 1), 1);
	CHECK_INT(strset_add(&s, "b", 2), 1);
	CHECK_INT(strset_add(&s, "a", 3), 0); /* present: value kept */
	CHECK(strset_get(&s, "a", &v));
	CHECK_INT(v, 1);
	CHECK(strset_get(&s, "b", NULL));
	CHECK(!strset_has(&s, "c"));
	CHECK(!strset_has(&s, "A"));
	CHECK_INT(s.n, 2);
	strset_release(&s);
	CHECK_INT(s.n, 0);
	CHECK(!strset_has(&s, "a"));
}

static void test_put(void)
{
	struct strset s = STRSET_INIT;
	size_t v = 0;

	strset_put(&s, "k", 5);
	CHECK(strset_get(&s, "k", &v));
	CHECK_INT(v, 5);
	strset_put(&s, "k", 7);
	CHECK(strset_get(&s, "k", &v));
	CHECK_INT(v, 7);
	CHECK_INT(s.n, 1);
	strset_release(&s);
}

static void test_keys_copied(void)
{
	struct strset s = STRSET_INIT;
	char key[8];

	memcpy(key, "abc", 4);
	strset_add(&s, key, 0);
	key[0] = 'x';
	CHECK(strset_has(&s, "abc"));
	CHECK(!strset_has(&s, "xbc"));
	CHECK_INT(strset_add(&s, "", 3), 1); /* the empty string is a key */
	CHECK(strset_has(&s, ""));
	strset_release(&s);
}

static void test_many(void)
{
	struct strset s;
	char key[64];
	size_t i, v, bad = 0;

	strset_init(&s);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "same-long-prefix-heading-%zu", i);
		if (strset_add(&s, key, i) != 1)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(s.n, 100000);
	CHECK(s.cap >= 2 * s.n);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "same-long-prefix-heading-%zu", i);
		if (!strset_get(&s, key, &v) || v != i)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(!strset_has(&s, "same-long-prefix-heading-100000"));
	strset_release(&s);
	/* reusable after release */
	CHECK_INT(strset_add(&s, "again", 1), 1);
	strset_release(&s);
}

int main(void)
{
	RUN(test_add_get);
	RUN(test_put);
	RUN(test_keys_copied);
	RUN(test_many);
	return harness_done();
}
