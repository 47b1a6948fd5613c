/* utf8: decoding, encoding and checking UTF-8, for every module that
 * looks inside text (slugs, the search index, the EPUB's entities).
 *
 * Text read from the book is checked once with utf8_valid() where it is
 * read; the functions that walk it afterwards may then trust it. */
#ifndef STEPBOOK_UTF8_H
#define STEPBOOK_UTF8_H

#include <stddef.h>

struct buf;

/* The code point written in place of one that cannot be. */
#define UTF8_REPLACEMENT 0xFFFDu
/* The last code point. */
#define UTF8_MAX 0x10FFFFu

/* Whether byte `c` continues a sequence (10xxxxxx) rather than starting
 * a character: what counting characters, not bytes, skips. */
#define UTF8_IS_CONT(c) (((unsigned char)(c)&0xC0) == 0x80)

/* Checks that the `len` bytes of `s` are valid UTF-8: no overlong form,
 * no surrogate, nothing past UTF8_MAX, no sequence cut short. Returns 1,
 * or 0 with *bad (when not NULL) set to the byte offset of the first
 * invalid sequence. */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* Decodes the character at `s`, in NUL-terminated text already checked
 * with utf8_valid(). Returns its length in bytes and sets *cp; a byte
 * that starts no sequence (or one cut short by the NUL) gives
 * UTF8_REPLACEMENT and length 1. */
size_t utf8_decode(const char *s, unsigned long *cp);

/* Appends code point `cp` to `out` in UTF-8. NUL, a surrogate or a value
 * past UTF8_MAX is written as UTF8_REPLACEMENT, so that what is appended
 * is always valid text. */
void utf8_add(struct buf *out, unsigned long cp);

#endif
