#include "utf8.h"

#include "buf.h"

int utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = u[i];
		size_t n, k;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			goto invalid;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || !UTF8_IS_CONT(u[i + k]))
				goto invalid;
			cp = (cp << 6) | (u[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > UTF8_MAX || (cp >= 0xD800 && cp <= 0xDFFF))
			goto invalid;
		i += n + 1;
	}
	return 1;
invalid:
	if (bad)
		*bad = i;
	return 0;
}

size_t utf8_decode(const char *text, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)text;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && s[1]) {
		*cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
		*cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) |
		      (s[2] & 0x3Fu);
		return 3;
	}
	if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
		*cp = ((s[0] & 0x07ul) << 18) | ((s[1] & 0x3Fu) << 12) |
		      ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
		return 4;
	}
	*cp = UTF8_REPLACEMENT;
	return 1;
}

void utf8_add(struct buf *out, unsigned long cp)
{
	char u[4];

	if (cp == 0 || cp > UTF8_MAX || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		buf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, u, 4);
	}
}
