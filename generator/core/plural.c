#include "plural.h"

#include <string.h>

#include "langtag.h"

/* Each rule takes the number and returns its category. The names follow
 * CLDR's rule sets, shared by several languages. */

/* English, German, Dutch, Turkish...: 1 is "one". */
static const char *plural_one_is_1(unsigned long long n)
{
	return n == 1 ? "one" : "other";
}

/* Spanish and Italian: 1 is "one"; whole millions are "many" ("1 millón
 * de acciones"). */
static const char *plural_es(unsigned long long n)
{
	if (n == 1)
		return "one";
	if (n != 0 && n % 1000000 == 0)
		return "many";
	return "other";
}

/* French and Portuguese: 0 and 1 are "one"; whole millions "many". */
static const char *plural_fr(unsigned long long n)
{
	if (n <= 1)
		return "one";
	if (n % 1000000 == 0)
		return "many";
	return "other";
}

/* Hindi and Persian: 0 and 1 are "one". */
static const char *plural_zero_one(unsigned long long n)
{
	return n <= 1 ? "one" : "other";
}

/* Polish: 1 "one"; 2-4, 22-24... (not 12-14) "few"; the rest "many". */
static const char *plural_pl(unsigned long long n)
{
	unsigned long long d = n % 10, h = n % 100;

	if (n == 1)
		return "one";
	if (d >= 2 && d <= 4 && !(h >= 12 && h <= 14))
		return "few";
	return "many";
}

/* Russian and Ukrainian: 1, 21, 31... (not 11) "one"; 2-4, 22-24... (not
 * 12-14) "few"; the rest "many". */
static const char *plural_ru(unsigned long long n)
{
	unsigned long long d = n % 10, h = n % 100;

	if (d == 1 && h != 11)
		return "one";
	if (d >= 2 && d <= 4 && !(h >= 12 && h <= 14))
		return "few";
	return "many";
}

/* Arabic: 0 "zero", 1 "one", 2 "two", 3-10 (of each hundred) "few",
 * 11-99 (of each hundred) "many", the rest (100, 101, 102...) "other". */
static const char *plural_ar(unsigned long long n)
{
	unsigned long long h = n % 100;

	if (n == 0)
		return "zero";
	if (n == 1)
		return "one";
	if (n == 2)
		return "two";
	if (h >= 3 && h <= 10)
		return "few";
	if (h >= 11)
		return "many";
	return "other";
}

/* Hebrew: 1 "one", 2 "two", the rest "other". */
static const char *plural_he(unsigned long long n)
{
	if (n == 1)
		return "one";
	if (n == 2)
		return "two";
	return "other";
}

/* Japanese, Chinese, Korean: no plural forms. */
static const char *plural_none(unsigned long long n)
{
	(void)n;
	return "other";
}

static const struct plural_rule {
	const char *lang;
	const char *(*rule)(unsigned long long n);
} plural_rules[] = {
	{ "ar", plural_ar },       { "de", plural_one_is_1 },
	{ "en", plural_one_is_1 }, { "es", plural_es },
	{ "fa", plural_zero_one }, { "fr", plural_fr },
	{ "he", plural_he },       { "hi", plural_zero_one },
	{ "it", plural_es },       { "ja", plural_none },
	{ "ko", plural_none },     { "nl", plural_one_is_1 },
	{ "pl", plural_pl },       { "pt", plural_fr },
	{ "ru", plural_ru },       { "tr", plural_one_is_1 },
	{ "uk", plural_ru },       { "ur", plural_one_is_1 },
	{ "zh", plural_none },
};

const char *plural_category(const char *tag, unsigned long long n)
{
	char lang[16];
	size_t i;

	langtag_language(tag, lang, sizeof(lang));
	for (i = 0; i < sizeof(plural_rules) / sizeof(*plural_rules); i++)
		if (!strcmp(plural_rules[i].lang, lang))
			return plural_rules[i].rule(n);
	return plural_one_is_1(n);
}
