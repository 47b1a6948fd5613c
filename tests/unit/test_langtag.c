/* Unit tests for langtag: BCP 47 well-formedness (RFC 5646, section
 * 2.1), suggestions for language names written instead of tags, the
 * subtags a language pack is chosen by, and right-to-left scripts. */
#include <string.h>

#include "harness.h"
#include "langtag.h"

static void test_valid(void)
{
	static const char *const good[] = {
		"en",
		"EN",
		"pt-BR",
		"zh-Hans",
		"zh-Hant-TW",
		"sr-Latn-RS",
		"es-419",
		"de-CH-1901",
		"sl-rozaj-biske",
		"ar",
		"fa-IR",
		"zh-yue-HK",
		"en-US-x-twain",
		"x-whatever",
		"de-DE-u-co-phonebk",
		"en-a-bbb-x-a-ccc",
		"hy-Latn-IT-arevela",
		"fil",
		"az-Arab-IR",
		"ca-valencia",
	};
	static const char *const bad[] = {
		"",
		"english",
		"English",
		"french",
		"e",
		"en-",
		"-en",
		"en--US",
		"en_US",
		"pt-BR-",
		"x",
		"en-x",
		"en-a",
		"12",
		"en-US-toolongvariant",
		"en-a-bb-a-cc",
		"fr FR",
		"de-ü",
		"en-Latn-Latn-US",
		"toolongla",
	};
	size_t i;
	const char *why;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		int ok = langtag_valid(good[i], NULL);
		if (!ok)
			fprintf(stderr, "  refused: %s\n", good[i]);
		harness_count(ok);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		why = NULL;
		int ok = !langtag_valid(bad[i], &why) && why && *why;
		if (!ok)
			fprintf(stderr, "  accepted: %s\n", bad[i]);
		harness_count(ok);
	}
}

static void test_suggest(void)
{
	char out[32];

	CHECK_STR(langtag_suggest("english", out, sizeof(out)), "en");
	CHECK_STR(langtag_suggest("English", out, sizeof(out)), "en");
	CHECK_STR(langtag_suggest("FRENCH", out, sizeof(out)), "fr");
	CHECK_STR(langtag_suggest("fran\xc3\xa7"
				  "ais",
				  out, sizeof(out)),
		  "fr");
	CHECK_STR(langtag_suggest("Deutsch", out, sizeof(out)), "de");
	CHECK_STR(langtag_suggest("englsh", out, sizeof(out)), "en");
	CHECK_STR(langtag_suggest("Arabic", out, sizeof(out)), "ar");
	CHECK_STR(langtag_suggest("pt_BR", out, sizeof(out)), "pt-BR");
	CHECK_STR(langtag_suggest("zh_Hans_CN", out, sizeof(out)),
		  "zh-Hans-CN");
	/* nothing close: no guess */
	CHECK(langtag_suggest("klingonese", out, sizeof(out)) == NULL);
	CHECK(langtag_suggest("frn", out, sizeof(out)) == NULL);
	CHECK(langtag_suggest("a_b", out, sizeof(out)) == NULL);
}

static void test_subtags(void)
{
	char s[16];

	langtag_language("PT-br", s, sizeof(s));
	CHECK_STR(s, "pt");
	langtag_language("fil-PH", s, sizeof(s));
	CHECK_STR(s, "fil");
	langtag_script("zh-hant-TW", s, sizeof(s));
	CHECK_STR(s, "Hant");
	langtag_script("zh-yue-Hans", s, sizeof(s));
	CHECK_STR(s, "Hans");
	langtag_script("pt-BR", s, sizeof(s));
	CHECK_STR(s, "");
	langtag_script("en", s, sizeof(s));
	CHECK_STR(s, "");
	/* a variant of 4 characters is no script */
	langtag_script("de-1996", s, sizeof(s));
	CHECK_STR(s, "");
}

static void test_rtl(void)
{
	CHECK(langtag_is_rtl("ar"));
	CHECK(langtag_is_rtl("ar-EG"));
	CHECK(langtag_is_rtl("he"));
	CHECK(langtag_is_rtl("HE-il"));
	CHECK(langtag_is_rtl("fa"));
	CHECK(langtag_is_rtl("ur-PK"));
	CHECK(langtag_is_rtl("az-Arab"));
	CHECK(langtag_is_rtl("yi"));
	CHECK(langtag_is_rtl("pa-Arab-PK"));
	CHECK(!langtag_is_rtl("en"));
	CHECK(!langtag_is_rtl("fr-CA"));
	CHECK(!langtag_is_rtl("az-Latn"));
	/* a script subtag wins over the language's usual script */
	CHECK(!langtag_is_rtl("ar-Latn"));
	CHECK(!langtag_is_rtl("ja"));
	CHECK(!langtag_is_rtl("x-private"));
}

int main(void)
{
	RUN(test_valid);
	RUN(test_suggest);
	RUN(test_subtags);
	RUN(test_rtl);
	return harness_done();
}
