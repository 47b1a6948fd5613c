#include "path.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

char *path_join(const char *a, const char *b)
{
	struct buf out = BUF_INIT;
	size_t la = strlen(a);

	if (!la || !strcmp(a, "."))
		return xstrdup(b);
	buf_add(&out, a, la);
	if (a[la - 1] != '/')
		buf_addch(&out, '/');
	buf_adds(&out, b);
	return buf_detach(&out, NULL);
}

const char *path_ext(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash : path, '.');
	return dot && dot != (slash ? slash + 1 : path) ? dot + 1 : "";
}

int path_within(const char *path, const char *dir)
{
	size_t l = strlen(dir);

	while (l > 1 && dir[l - 1] == '/')
		l--;
	if (l == 1 && dir[0] == '/')
		return path[0] == '/';
	return !strncmp(path, dir, l) && (path[l] == '\0' || path[l] == '/');
}

char *path_normalize(const char *rel)
{
	struct buf out = BUF_INIT;
	size_t *marks = NULL, nm = 0, cap = 0;
	const char *p = rel;

	if (!*rel || *rel == '/')
		return NULL;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == 0 || (l == 1 && p[0] == '.')) {
			/* skip */
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (!nm) {
				buf_release(&out);
				free(marks);
				return NULL;
			}
			buf_truncate(&out, marks[--nm]);
		} else {
			marks = xgrow(marks, sizeof(*marks), nm + 1, &cap);
			marks[nm++] = out.len;
			if (out.len)
				buf_addch(&out, '/');
			buf_add(&out, p, l);
		}
		p += l;
		if (*p == '/')
			p++;
	}
	free(marks);
	if (!out.len) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

void path_add_url(struct buf *out, const char *path, int iri)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') ||
		    strchr("-._~!$&'()*+,;=:@/", *p) || (iri && *p >= 0x80)) {
			buf_addch(out, (char)*p);
		} else {
			buf_addch(out, '%');
			buf_addch(out, hex[*p >> 4]);
			buf_addch(out, hex[*p & 15]);
		}
	}
}

int path_is_external(const char *url)
{
	const char *p = url;

	if (url[0] == '/' && url[1] == '/')
		return 1;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (p > url && ((*p >= '0' && *p <= '9') || *p == '+' ||
			    *p == '-' || *p == '.')))
		p++;
	return p > url && *p == ':';
}

char *path_unescape(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };
			char *end;
			long v = strtol(hex, &end, 16);
			if (!*end && v > 0) {
				buf_addch(&b, (char)v);
				i += 2;
				continue;
			}
		}
		buf_addch(&b, s[i]);
	}
	return buf_detach(&b, NULL);
}
