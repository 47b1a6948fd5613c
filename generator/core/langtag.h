/* langtag: BCP 47 language tags (RFC 5646), as book.yml's and a
 * chapter's `language:` give them.
 *
 * Only what the tool needs: whether a tag is well formed, a suggestion
 * when an author wrote a language's name instead of its tag, the
 * direction its script is written in, and its language and script
 * subtags for choosing a language pack. */
#ifndef STEPBOOK_LANGTAG_H
#define STEPBOOK_LANGTAG_H

#include <stddef.h>

/* Whether `tag` is a well-formed BCP 47 tag: language (2 or 3 letters,
 * optionally with extended language subtags), then optionally script (4
 * letters), region (2 letters or 3 digits), variants, extensions and a
 * private use part; or a private use tag alone ("x-..."). Language
 * subtags of 4 to 8 letters, which RFC 5646 reserves and the registry
 * never assigned, are refused, so that `english` is no tag. Irregular
 * grandfathered tags are refused. Case does not matter. Returns 1 or 0;
 * when 0 and `why` is not NULL, sets *why to a static phrase saying what
 * is wrong ("a language subtag has 2 or 3 letters"). */
int langtag_valid(const char *tag, const char **why);

/* The tag an author probably meant by `text` when it is not a tag: the
 * name of a language in English or in that language (`English`,
 * `français`, `Deutsch`), a near miss of one (`englsh`), or a tag written
 * with '_' (`pt_BR` -> "pt-BR", written into `out` of `size` bytes).
 * Returns a borrowed string (static or `out`), or NULL when none. */
const char *langtag_suggest(const char *text, char *out, size_t size);

/* Copies the primary language subtag of `tag`, lowercased, into `out`
 * (size bytes; "" when it does not fit). */
void langtag_language(const char *tag, char *out, size_t size);

/* Copies the script subtag of `tag` ("Arab", "Hans"), in title case, into
 * `out`; "" when the tag has none. */
void langtag_script(const char *tag, char *out, size_t size);

/* Whether text in `tag` is written right to left: its script subtag is
 * one of the right-to-left scripts (Arab, Hebr, Syrc, Thaa, Nkoo, Adlm,
 * ...), or it has no script subtag and its language is usually written
 * in one (ar, he, fa, ur, ps, sd, ug, yi, dv, ckb, ...). */
int langtag_is_rtl(const char *tag);

/* The name of the language of `tag` in that language ("Español",
 * "日本語", "简体中文" for zh-Hans), for a list of the languages a book
 * is in; `tag` itself when the language is not one stepbook names. */
const char *langtag_endonym(const char *tag);

#endif
