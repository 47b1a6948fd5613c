/* epub_name: names and media types of the files of content/ in the EPUB
 * (see epub_name.h). */
#include "epub_name.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "hash.h"
#include "path.h"

/* The media type EPUB knows for `path`, or NULL. */
const char *epub_media_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "png", "image/png" },     { "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },   { "gif", "image/gif" },
		{ "svg", "image/svg+xml" }, { "webp", "image/webp" },
	};
	const char *ext = path_ext(path);
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(ext, types[i].ext))
			return types[i].type;
	return NULL;
}

/* Appends `path` percent-encoded for an href: ASCII outside the URL path
 * characters is escaped, other UTF-8 is kept (IRIs are allowed). */
void epub_add_href(struct buf *b, const char *path)
{
	path_add_url(b, path, 1);
}

/* Length of the character at `p` that an OCF file name may not hold (a
 * control character, one of " * : < > ? \, a private-use or special
 * character), or of a space or '#', which readers (and epubcheck, which
 * takes "%23" for a fragment) handle badly; 0 for any other character. */
static size_t epub_bad_char(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f || strchr("\"*:<>?\\ #", *p))
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2; /* C1 */
	if (p[0] == 0xee || (p[0] == 0xef && p[1] >= 0x80 && p[1] <= 0xa3))
		return 3; /* U+E000..U+F8FF */
	if (p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xb0)
		return 3; /* U+FFF0..U+FFFF */
	if ((p[0] == 0xf3 && p[1] >= 0xa0) || p[0] == 0xf4)
		return 4; /* tags, planes 15 and 16 */
	return 0;
}

/* The name a file of content/ has in the EPUB (the caller's): its path,
 * unless a part of it holds a character epub_bad_char() refuses or ends
 * in '.'; each such character is then '_', and the name gets '-' and a
 * hash of the path before its extension, so that two names that differ
 * only there stay apart. Links to it are written from this name. */
char *epub_file_name(const char *path)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)path;
	const char *slash, *dot;
	int changed = 0;

	while (*p) {
		size_t bad = epub_bad_char(p);
		if (bad) {
			buf_addch(&b, '_');
			p += bad;
			changed = 1;
		} else if (*p == '.' && (p[1] == '/' || !p[1])) {
			buf_addch(&b, '_');
			p++;
			changed = 1;
		} else {
			buf_addch(&b, (char)*p++);
		}
	}
	if (!changed)
		return buf_detach(&b, NULL);
	slash = strrchr(b.ptr, '/');
	dot = strrchr(slash ? slash : b.ptr, '.');
	{
		struct buf out = BUF_INIT;
		size_t at = dot && dot != (slash ? slash + 1 : b.ptr)
				    ? (size_t)(dot - b.ptr)
				    : b.len;
		buf_add(&out, b.ptr, at);
		buf_addf(&out, "-%08x",
			 (unsigned)(hash_str(HASH_SEED, path) & 0xffffffffu));
		buf_adds(&out, b.ptr + at);
		buf_release(&b);
		return buf_detach(&out, NULL);
	}
}

char *epub_href(const char *path)
{
	struct buf b = BUF_INIT;

	epub_add_href(&b, path);
	return buf_detach(&b, NULL);
}

/* Resolves the path part of a relative URL in rendered chapter HTML to a
 * normalised path within content/ (the caller's), or NULL when it climbs
 * out. Rendered URLs are relative to content/ whatever folder the chapter
 * sits in, as every page of both outputs sits at the top (xform_links
 * writes them so). Drops a query string and the fragment. */
char *epub_resolve(const char *url)
{
	char *path = path_unescape(url, strcspn(url, "?#"));
	char *norm = path_normalize(path);

	free(path);
	return norm;
}
