#include "langtag.h"

#include <string.h>

#include "slug.h"

static int langtag_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int langtag_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char langtag_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether s[0..n) is all letters, all digits or all letters and digits. */
static int langtag_all(const char *s, size_t n, int (*is)(char))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is(s[i]))
			return 0;
	return 1;
}

static int langtag_alnum(char c)
{
	return langtag_alpha(c) || langtag_digit(c);
}

/* The subtags of a tag, split at '-'. */
#define LANGTAG_MAX_SUBTAGS 32

struct langtag_parts {
	const char *s[LANGTAG_MAX_SUBTAGS];
	size_t n[LANGTAG_MAX_SUBTAGS];
	size_t count;
};

/* Splits `tag` at '-'. Returns -1 on an empty subtag, one longer than 8
 * characters, a character that is no ASCII letter or digit, or too many
 * subtags. */
static int langtag_split(const char *tag, struct langtag_parts *p,
			 const char **why)
{
	const char *s = tag;

	p->count = 0;
	for (;;) {
		size_t n = strcspn(s, "-");
		if (n == 0) {
			*why = "it has an empty subtag";
			return -1;
		}
		if (n > 8) {
			*why = "a subtag has at most 8 letters or digits";
			return -1;
		}
		if (!langtag_all(s, n, langtag_alnum)) {
			*why = "a tag holds only ASCII letters and digits "
			       "between '-'";
			return -1;
		}
		if (p->count == LANGTAG_MAX_SUBTAGS) {
			*why = "it has too many subtags";
			return -1;
		}
		p->s[p->count] = s;
		p->n[p->count++] = n;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

/* Checks subtags [i, count) from the private use singleton 'x' at i. */
static int langtag_private(const struct langtag_parts *p, size_t i,
			   const char **why)
{
	if (i + 1 >= p->count) {
		*why = "'x' must be followed by a private use subtag";
		return 0;
	}
	return 1;
}

int langtag_valid(const char *tag, const char **why)
{
	struct langtag_parts p;
	const char *dummy;
	size_t i = 1, ext;
	char seen[36] = { 0 };

	if (!why)
		why = &dummy;
	if (!tag || !*tag) {
		*why = "it is empty";
		return 0;
	}
	if (langtag_split(tag, &p, why) < 0)
		return 0;
	if (p.n[0] == 1 && langtag_lower(p.s[0][0]) == 'x')
		return langtag_private(&p, 0, why);
	if (!langtag_all(p.s[0], p.n[0], langtag_alpha)) {
		*why = "the language subtag has letters only";
		return 0;
	}
	if (p.n[0] < 2 || p.n[0] > 3) {
		*why = "the language subtag has 2 or 3 letters";
		return 0;
	}
	/* extlang: up to three subtags of 3 letters */
	while (i < p.count && i <= 3 && p.n[i] == 3 &&
	       langtag_all(p.s[i], 3, langtag_alpha))
		i++;
	if (i < p.count && p.n[i] == 4 && langtag_all(p.s[i], 4, langtag_alpha))
		i++; /* script */
	if (i < p.count &&
	    ((p.n[i] == 2 && langtag_all(p.s[i], 2, langtag_alpha)) ||
	     (p.n[i] == 3 && langtag_all(p.s[i], 3, langtag_digit))))
		i++; /* region */
	/* variants: 5 to 8 letters or digits, or a digit and 3 more */
	while (i < p.count &&
	       (p.n[i] >= 5 || (p.n[i] == 4 && langtag_digit(p.s[i][0]))))
		i++;
	/* extensions: a singleton, then subtags of 2 to 8 characters */
	while (i < p.count && p.n[i] == 1) {
		char c = langtag_lower(p.s[i][0]);
		int slot = langtag_digit(c) ? c - '0' : 10 + (c - 'a');
		if (c == 'x')
			return langtag_private(&p, i, why);
		if (seen[slot]) {
			*why = "an extension singleton appears twice";
			return 0;
		}
		seen[slot] = 1;
		ext = ++i;
		while (i < p.count && p.n[i] >= 2)
			i++;
		if (i == ext) {
			*why = "an extension singleton must be followed by "
			       "subtags of 2 to 8 characters";
			return 0;
		}
	}
	if (i < p.count) {
		*why = "a subtag is in the wrong place: the order is "
		       "language-script-region-variant";
		return 0;
	}
	return 1;
}

/* Language names as authors write them instead of tags: in English and
 * in the language itself, lowercase. */
static const struct langtag_name {
	const char *name, *tag;
} langtag_names[] = {
	{ "english", "en" },    { "french", "fr" },
	{ "français", "fr" },   { "francais", "fr" },
	{ "spanish", "es" },    { "español", "es" },
	{ "espanol", "es" },    { "castellano", "es" },
	{ "german", "de" },     { "deutsch", "de" },
	{ "italian", "it" },    { "italiano", "it" },
	{ "portuguese", "pt" }, { "português", "pt" },
	{ "portugues", "pt" },  { "dutch", "nl" },
	{ "nederlands", "nl" }, { "polish", "pl" },
	{ "polski", "pl" },     { "russian", "ru" },
	{ "русский", "ru" },    { "ukrainian", "uk" },
	{ "українська", "uk" }, { "turkish", "tr" },
	{ "türkçe", "tr" },     { "turkce", "tr" },
	{ "arabic", "ar" },     { "العربية", "ar" },
	{ "hebrew", "he" },     { "עברית", "he" },
	{ "persian", "fa" },    { "farsi", "fa" },
	{ "فارسی", "fa" },      { "hindi", "hi" },
	{ "हिन्दी", "hi" },      { "हिंदी", "hi" },
	{ "japanese", "ja" },   { "日本語", "ja" },
	{ "chinese", "zh" },    { "中文", "zh" },
	{ "korean", "ko" },     { "한국어", "ko" },
	{ "urdu", "ur" },       { "اردو", "ur" },
	{ "swedish", "sv" },    { "svenska", "sv" },
	{ "norwegian", "nb" },  { "norsk", "nb" },
	{ "danish", "da" },     { "dansk", "da" },
	{ "finnish", "fi" },    { "suomi", "fi" },
	{ "greek", "el" },      { "ελληνικά", "el" },
	{ "czech", "cs" },      { "čeština", "cs" },
	{ "slovak", "sk" },     { "slovenčina", "sk" },
	{ "hungarian", "hu" },  { "magyar", "hu" },
	{ "romanian", "ro" },   { "română", "ro" },
	{ "bulgarian", "bg" },  { "български", "bg" },
	{ "croatian", "hr" },   { "hrvatski", "hr" },
	{ "serbian", "sr" },    { "српски", "sr" },
	{ "slovenian", "sl" },  { "slovenščina", "sl" },
	{ "catalan", "ca" },    { "català", "ca" },
	{ "basque", "eu" },     { "euskara", "eu" },
	{ "galician", "gl" },   { "galego", "gl" },
	{ "irish", "ga" },      { "gaeilge", "ga" },
	{ "welsh", "cy" },      { "cymraeg", "cy" },
	{ "icelandic", "is" },  { "íslenska", "is" },
	{ "estonian", "et" },   { "eesti", "et" },
	{ "latvian", "lv" },    { "latviešu", "lv" },
	{ "lithuanian", "lt" }, { "lietuvių", "lt" },
	{ "indonesian", "id" }, { "bahasa indonesia", "id" },
	{ "malay", "ms" },      { "bahasa melayu", "ms" },
	{ "vietnamese", "vi" }, { "tiếng việt", "vi" },
	{ "thai", "th" },       { "ไทย", "th" },
	{ "bengali", "bn" },    { "bangla", "bn" },
	{ "বাংলা", "bn" },      { "tamil", "ta" },
	{ "தமிழ்", "ta" },       { "telugu", "te" },
	{ "marathi", "mr" },    { "gujarati", "gu" },
	{ "punjabi", "pa" },    { "swahili", "sw" },
	{ "kiswahili", "sw" },  { "afrikaans", "af" },
	{ "filipino", "fil" },  { "tagalog", "tl" },
	{ "esperanto", "eo" },  { "latin", "la" },
	{ "kurdish", "ku" },    { "pashto", "ps" },
	{ "amharic", "am" },    { "yiddish", "yi" },
};

#define LANGTAG_N_NAMES (sizeof(langtag_names) / sizeof(*langtag_names))

/* Compares `a` with the lowercase `name`, ASCII letters of `a` in either
 * case. */
static int langtag_name_is(const char *a, const char *name)
{
	while (*a && *name && langtag_lower(*a) == *name) {
		a++;
		name++;
	}
	return !*a && !*name;
}

const char *langtag_suggest(const char *text, char *out, size_t size)
{
	const char *names[LANGTAG_N_NAMES];
	char low[64];
	const char *near;
	size_t i, n;

	if (!text)
		return NULL;
	for (i = 0; i < LANGTAG_N_NAMES; i++) {
		if (langtag_name_is(text, langtag_names[i].name))
			return langtag_names[i].tag;
		names[i] = langtag_names[i].name;
	}
	n = strlen(text);
	if (strchr(text, '_') && n < size) {
		for (i = 0; i < n; i++)
			out[i] = text[i] == '_' ? '-' : text[i];
		out[n] = '\0';
		if (langtag_valid(out, NULL))
			return out;
	}
	if (n >= sizeof(low))
		return NULL;
	for (i = 0; i <= n; i++)
		low[i] = langtag_lower(text[i]);
	/* a misspelt name, not a short one: "frn" is no French */
	if (n < 5 || !(near = slug_closest(low, names, LANGTAG_N_NAMES, 2)))
		return NULL;
	for (i = 0; i < LANGTAG_N_NAMES; i++)
		if (names[i] == near)
			return langtag_names[i].tag;
	return NULL;
}

void langtag_language(const char *tag, char *out, size_t size)
{
	size_t n = strcspn(tag, "-"), i;

	if (n >= size) {
		if (size)
			out[0] = '\0';
		return;
	}
	for (i = 0; i < n; i++)
		out[i] = langtag_lower(tag[i]);
	out[n] = '\0';
}

void langtag_script(const char *tag, char *out, size_t size)
{
	struct langtag_parts p;
	const char *why;
	size_t i;

	if (size)
		out[0] = '\0';
	if (size < 5 || langtag_split(tag, &p, &why) < 0)
		return;
	/* the first 4-letter subtag after the language and extlangs */
	for (i = 1; i < p.count && i <= 4; i++) {
		if (p.n[i] == 4 && langtag_all(p.s[i], 4, langtag_alpha)) {
			out[0] = (char)(langtag_lower(p.s[i][0]) - 'a' + 'A');
			out[1] = langtag_lower(p.s[i][1]);
			out[2] = langtag_lower(p.s[i][2]);
			out[3] = langtag_lower(p.s[i][3]);
			out[4] = '\0';
			return;
		}
		if (p.n[i] != 3)
			return;
	}
}

int langtag_is_rtl(const char *tag)
{
	/* scripts written right to left (ISO 15924) */
	static const char *const rtl_scripts[] = {
		"Adlm", "Arab", "Aran", "Armi", "Avst", "Cprt", "Hebr", "Khar",
		"Lydi", "Mand", "Mani", "Mend", "Narb", "Nbat", "Nkoo", "Orkh",
		"Palm", "Phli", "Phlp", "Phnx", "Prti", "Rohg", "Samr", "Sarb",
		"Sogd", "Sogo", "Syrc", "Thaa", "Yezi",
	};
	/* languages whose usual script is one of those */
	static const char *const rtl_languages[] = {
		"ar",  "arc", "ckb", "dv",  "fa",  "glk", "he",  "ks",
		"lrc", "mzn", "nqo", "pnb", "ps",  "sd",  "syr", "ug",
		"ur",  "yi",  "iw",  "ji",  "prs", "azb", "bal",
	};
	char script[5], lang[9];
	size_t i;

	langtag_script(tag, script, sizeof(script));
	if (*script) {
		for (i = 0; i < sizeof(rtl_scripts) / sizeof(*rtl_scripts); i++)
			if (!strcmp(script, rtl_scripts[i]))
				return 1;
		return 0;
	}
	langtag_language(tag, lang, sizeof(lang));
	for (i = 0; i < sizeof(rtl_languages) / sizeof(*rtl_languages); i++)
		if (!strcmp(lang, rtl_languages[i]))
			return 1;
	return 0;
}

/* Each language's name in itself, as a reader looks for it in a list of
 * languages. */
static const struct langtag_name langtag_endonyms[] = {
	{ "Afrikaans", "af" },     { "العربية", "ar" },
	{ "Български", "bg" },     { "বাংলা", "bn" },
	{ "Català", "ca" },        { "Čeština", "cs" },
	{ "Cymraeg", "cy" },       { "Dansk", "da" },
	{ "Deutsch", "de" },       { "Ελληνικά", "el" },
	{ "English", "en" },       { "Esperanto", "eo" },
	{ "Español", "es" },       { "Eesti", "et" },
	{ "Euskara", "eu" },       { "فارسی", "fa" },
	{ "Suomi", "fi" },         { "Filipino", "fil" },
	{ "Français", "fr" },      { "Gaeilge", "ga" },
	{ "Galego", "gl" },        { "עברית", "he" },
	{ "हिन्दी", "hi" },         { "Hrvatski", "hr" },
	{ "Magyar", "hu" },        { "Bahasa Indonesia", "id" },
	{ "Íslenska", "is" },      { "Italiano", "it" },
	{ "日本語", "ja" },        { "한국어", "ko" },
	{ "Lietuvių", "lt" },      { "Latviešu", "lv" },
	{ "Bahasa Melayu", "ms" }, { "Norsk bokmål", "nb" },
	{ "Nederlands", "nl" },    { "Polski", "pl" },
	{ "Português", "pt" },     { "Română", "ro" },
	{ "Русский", "ru" },       { "Slovenčina", "sk" },
	{ "Slovenščina", "sl" },   { "Српски", "sr" },
	{ "Svenska", "sv" },       { "Kiswahili", "sw" },
	{ "தமிழ்", "ta" },          { "ไทย", "th" },
	{ "Türkçe", "tr" },        { "Українська", "uk" },
	{ "اردو", "ur" },          { "Tiếng Việt", "vi" },
	{ "中文", "zh" },
};

const char *langtag_endonym(const char *tag)
{
	char lang[16], script[8];
	size_t i;

	langtag_language(tag, lang, sizeof(lang));
	if (!strcmp(lang, "zh")) {
		langtag_script(tag, script, sizeof(script));
		if (!strcmp(script, "Hans"))
			return "简体中文";
		if (!strcmp(script, "Hant"))
			return "繁體中文";
	}
	for (i = 0; i < sizeof(langtag_endonyms) / sizeof(*langtag_endonyms);
	     i++)
		if (!strcmp(lang, langtag_endonyms[i].tag))
			return langtag_endonyms[i].name;
	return tag;
}
