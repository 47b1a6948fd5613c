/* epub_name: how a file of content/ is named and typed in the EPUB, and
 * how a link to it is written there. Shared by the files of the EPUB
 * writer (see epub.h), so that a file is linked under the name it is
 * stored as. */
#ifndef STEPBOOK_EPUB_NAME_H
#define STEPBOOK_EPUB_NAME_H

struct buf;

/* The media type EPUB knows for `path` (by its extension: PNG, JPEG,
 * GIF, SVG, WebP), or NULL. */
const char *epub_media_type(const char *path);

/* Appends `path` (a name in the EPUB) percent-encoded for an href: ASCII
 * outside the URL path characters is escaped, other UTF-8 is kept (IRIs
 * are allowed). */
void epub_add_href(struct buf *b, const char *path);
/* The same, as a new string (the caller's). */
char *epub_href(const char *path);

/* The name a file of content/ has in the EPUB (the caller's): its path,
 * unless a part of it holds a character an OCF file name may not (a
 * control character, one of " * : < > ? \, a private-use or special
 * character) or one readers handle badly (a space, '#'), or ends in '.';
 * each such character is then '_', and the name gets '-' and a hash of
 * the path before its extension, so that two names that differ only
 * there stay apart. */
char *epub_file_name(const char *path);

/* Resolves the path part of a relative URL in rendered chapter HTML to a
 * normalised path within content/ (the caller's), or NULL when it climbs
 * out. Drops a query string and the fragment. */
char *epub_resolve(const char *url);

#endif
