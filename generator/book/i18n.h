/* i18n: the strings stepbook shows a reader, from the language pack of
 * the book's language.
 *
 * Packs ship inside the binary (i18n/<tag>.yml, embedded beside the
 * themes). Each maps a key to a string, or, for a string that counts, to
 * a mapping of CLDR plural categories (one, few, many, other...; see
 * plural.h). In a string "{n}" stands for the number and "{title}" for
 * the book's title. The English pack has every key; any other pack, and
 * a book's overrides, are laid over it. */
#ifndef STEPBOOK_I18N_H
#define STEPBOOK_I18N_H

struct buf;
struct diag;
struct json_object;

struct i18n {
	struct json_object *strings; /* key -> string or plural mapping */
	char *tag;                   /* the book's language, for plurals */
	char *pack;                  /* the pack chosen ("pt"), or NULL */
	int rtl;                     /* the language is written right to left */
	unsigned long long hash;     /* of tag and strings: see i18n_hash() */
};

/* Fills `t` with the strings for the BCP 47 `tag`: the English pack,
 * then the pack matching `tag` (the exact tag, else its language and
 * script, else its language: pt-BR reads pt, zh-Hant-TW reads zh-Hant),
 * then `file_strings` (a book's i18n/<lang>.yml, may be NULL, named
 * `file_shown` in diagnostics), then `book_strings` (book.yml's
 * `strings:`, may be NULL, named `book_shown`). An unknown key or a value
 * that is no string is a warning; so is, for a language other than
 * English, every key still read from the English pack (named in one
 * warning). Returns 0, or -1 when a shipped pack is broken (an error).
 * Release with i18n_release(). */
int i18n_load(struct i18n *t, const char *tag, struct json_object *file_strings,
	      const char *file_shown, struct json_object *book_strings,
	      const char *book_shown, struct diag *d);

/* Frees what `t` holds; `t` may then be loaded again. */
void i18n_release(struct i18n *t);

/* The string `key` (for a plural string, its "other" form), borrowed from
 * `t`; "" when there is none. */
const char *i18n_str(const struct i18n *t, const char *key);

/* Appends the string `key` to `out` in the plural form `n` takes in the
 * book's language, with "{n}" replaced by `n` and "{title}" by `title`
 * (NULL: left as written). */
void i18n_format(const struct i18n *t, const char *key, unsigned long long n,
		 const char *title, struct buf *out);

/* The embedded pack best matching `tag` (as above), as its file name
 * without ".yml" (static), or NULL when none does. */
const char *i18n_pack_for(const char *tag);

/* A hash of the strings of `t` and its language: what a text made with
 * them depends on. */
unsigned long long i18n_hash(const struct i18n *t);

/* Whether `t`'s language is written right to left. */
int i18n_is_rtl(const struct i18n *t);

#endif
