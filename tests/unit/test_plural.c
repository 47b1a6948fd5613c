/* Unit tests for plural: each shipped language's CLDR plural rule, on
 * the integer examples CLDR lists for its categories. */
#include "harness.h"
#include "plural.h"

/* Checks that each number in `ns` (ended by -1) is `cat` in `tag`. */
static void plural_expect(const char *tag, const char *cat, const long *ns)
{
	for (; *ns >= 0; ns++)
		CHECK_STR(plural_category(tag, (unsigned long long)*ns), cat);
}

static void test_one_other(void)
{
	static const char *const tags[] = { "en", "de",    "nl",
					    "tr", "en-GB", "ur" };
	static const long one[] = { 1, -1 };
	static const long other[] = { 0, 2, 5, 11, 21, 100, 1000000, -1 };
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(*tags); i++) {
		plural_expect(tags[i], "one", one);
		plural_expect(tags[i], "other", other);
	}
}

static void test_romance(void)
{
	static const long es_one[] = { 1, -1 };
	static const long es_many[] = { 1000000, 2000000, -1 };
	static const long es_other[] = { 0, 2, 16, 100, 1000, 1000001, -1 };
	static const long fr_one[] = { 0, 1, -1 };
	static const long fr_other[] = { 2, 17, 100, 1000, 1000001, -1 };

	plural_expect("es", "one", es_one);
	plural_expect("es", "many", es_many);
	plural_expect("es", "other", es_other);
	plural_expect("it", "one", es_one);
	plural_expect("it", "many", es_many);
	plural_expect("it", "other", es_other);
	plural_expect("fr", "one", fr_one);
	plural_expect("fr", "many", es_many);
	plural_expect("fr", "other", fr_other);
	plural_expect("pt-BR", "one", fr_one);
	plural_expect("pt", "many", es_many);
	plural_expect("pt", "other", fr_other);
}

static void test_slavic(void)
{
	static const long pl_one[] = { 1, -1 };
	static const long pl_few[] = { 2, 3, 4, 22, 23, 24, 32, 102, 1004, -1 };
	static const long pl_many[] = { 0, 5, 11, 12, 13, 14, 21, 25, 112, -1 };
	static const long ru_one[] = { 1, 21, 31, 101, 1001, -1 };
	static const long ru_few[] = { 2, 3, 4, 22, 24, 102, -1 };
	static const long ru_many[] = { 0, 5, 11, 12, 14, 19, 20, 25, 111, -1 };

	plural_expect("pl", "one", pl_one);
	plural_expect("pl", "few", pl_few);
	plural_expect("pl", "many", pl_many);
	plural_expect("ru", "one", ru_one);
	plural_expect("ru", "few", ru_few);
	plural_expect("ru", "many", ru_many);
	plural_expect("uk-UA", "one", ru_one);
	plural_expect("uk", "few", ru_few);
	plural_expect("uk", "many", ru_many);
}

static void test_semitic(void)
{
	static const long zero[] = { 0, -1 };
	static const long one[] = { 1, -1 };
	static const long two[] = { 2, -1 };
	static const long ar_few[] = { 3, 7, 10, 103, 110, 1003, -1 };
	static const long ar_many[] = { 11, 26, 99, 111, 1011, -1 };
	static const long ar_other[] = { 100, 101, 102, 200, 1000, -1 };
	static const long he_other[] = { 0, 3, 10, 17, 20, 100, -1 };

	plural_expect("ar", "zero", zero);
	plural_expect("ar", "one", one);
	plural_expect("ar", "two", two);
	plural_expect("ar-EG", "few", ar_few);
	plural_expect("ar", "many", ar_many);
	plural_expect("ar", "other", ar_other);
	plural_expect("he", "one", one);
	plural_expect("he", "two", two);
	plural_expect("he", "other", he_other);
}

static void test_asian(void)
{
	static const long hi_one[] = { 0, 1, -1 };
	static const long hi_other[] = { 2, 5, 17, 100, -1 };
	static const long all[] = { 0, 1, 2, 5, 21, 100, -1 };

	plural_expect("hi", "one", hi_one);
	plural_expect("hi", "other", hi_other);
	plural_expect("fa", "one", hi_one);
	plural_expect("fa-IR", "other", hi_other);
	plural_expect("ja", "other", all);
	plural_expect("zh-Hans", "other", all);
	plural_expect("ko", "other", all);
}

int main(void)
{
	RUN(test_one_other);
	RUN(test_romance);
	RUN(test_slavic);
	RUN(test_semitic);
	RUN(test_asian);
	return harness_done();
}
