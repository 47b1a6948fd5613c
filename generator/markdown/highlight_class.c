#include "highlight_class.h"

#include <stddef.h>
#include <string.h>

#include "buf.h"

const char *const highlight_class_open[] = {
	NULL,
	"<span class=\"k\">",  /* keyword */
	"<span class=\"s\">",  /* string */
	"<span class=\"c\">",  /* comment */
	"<span class=\"m\">",  /* number */
	"<span class=\"nf\">", /* function */
	"<span class=\"kt\">", /* type */
	"<span class=\"nv\">", /* variable */
	"<span class=\"o\">",  /* operator */
	"<span class=\"kc\">", /* constant */
	"<span class=\"na\">", /* attribute */
	"<span class=\"nt\">", /* tag */
	"<span class=\"py\">", /* property */
	NULL,                  /* plain */
};

/* Capture names, by their dotted prefix: the first entry that `name` is
 * or that `name` starts with followed by '.' gives the class. More
 * specific names come first. Names not listed (embedded, none, and
 * those starting with '_', which only predicates read) colour nothing. */
static const struct {
	const char *name;
	enum highlight_class cls;
} highlight_class_captures[] = {
	{ "string.special.key", HIGHLIGHT_CLASS_PROPERTY },
	{ "variable.builtin", HIGHLIGHT_CLASS_CONSTANT },
	{ "keyword", HIGHLIGHT_CLASS_KEYWORD },
	{ "conditional", HIGHLIGHT_CLASS_KEYWORD },
	{ "repeat", HIGHLIGHT_CLASS_KEYWORD },
	{ "include", HIGHLIGHT_CLASS_KEYWORD },
	{ "exception", HIGHLIGHT_CLASS_KEYWORD },
	/* CSS at-rules */
	{ "import", HIGHLIGHT_CLASS_KEYWORD },
	{ "charset", HIGHLIGHT_CLASS_KEYWORD },
	{ "media", HIGHLIGHT_CLASS_KEYWORD },
	{ "keyframes", HIGHLIGHT_CLASS_KEYWORD },
	{ "supports", HIGHLIGHT_CLASS_KEYWORD },
	{ "string", HIGHLIGHT_CLASS_STRING },
	{ "character", HIGHLIGHT_CLASS_STRING },
	{ "escape", HIGHLIGHT_CLASS_STRING },
	{ "comment", HIGHLIGHT_CLASS_COMMENT },
	{ "number", HIGHLIGHT_CLASS_NUMBER },
	{ "float", HIGHLIGHT_CLASS_NUMBER },
	{ "function", HIGHLIGHT_CLASS_FUNCTION },
	{ "method", HIGHLIGHT_CLASS_FUNCTION },
	{ "constructor", HIGHLIGHT_CLASS_TYPE },
	{ "type", HIGHLIGHT_CLASS_TYPE },
	{ "namespace", HIGHLIGHT_CLASS_TYPE },
	{ "module", HIGHLIGHT_CLASS_TYPE },
	{ "variable", HIGHLIGHT_CLASS_VARIABLE },
	{ "parameter", HIGHLIGHT_CLASS_VARIABLE },
	{ "operator", HIGHLIGHT_CLASS_OPERATOR },
	{ "punctuation", HIGHLIGHT_CLASS_PLAIN },
	{ "delimiter", HIGHLIGHT_CLASS_PLAIN },
	{ "constant", HIGHLIGHT_CLASS_CONSTANT },
	{ "boolean", HIGHLIGHT_CLASS_CONSTANT },
	{ "label", HIGHLIGHT_CLASS_CONSTANT },
	{ "attribute", HIGHLIGHT_CLASS_ATTRIBUTE },
	{ "tag", HIGHLIGHT_CLASS_TAG },
	{ "property", HIGHLIGHT_CLASS_PROPERTY },
	{ "field", HIGHLIGHT_CLASS_PROPERTY },
};

enum highlight_class highlight_class_of(const char *name, uint32_t len)
{
	size_t i;

	for (i = 0; i < sizeof(highlight_class_captures) /
				sizeof(*highlight_class_captures);
	     i++) {
		size_t k = strlen(highlight_class_captures[i].name);
		if (len >= k &&
		    !memcmp(name, highlight_class_captures[i].name, k) &&
		    (len == k || name[k] == '.'))
			return highlight_class_captures[i].cls;
	}
	return HIGHLIGHT_CLASS_NONE;
}

/* The length of the opening tag at `p` (`n` bytes left) of a span that
 * the EPUB leaves out (a variable's), or 0. */
static size_t highlight_epub_unmarked(const char *p, size_t n)
{
	const char *tag = highlight_class_open[HIGHLIGHT_CLASS_VARIABLE];
	size_t len = strlen(tag);

	return n >= len && !memcmp(p, tag, len) ? len : 0;
}

void highlight_markup_epub(const char *html, size_t len, struct buf *out)
{
	static const char close[] = "</span>";
	const char *p = html, *done = html, *end = html + len;

	while ((p = memchr(p, '<', (size_t)(end - p)))) {
		size_t open = highlight_epub_unmarked(p, (size_t)(end - p));
		const char *c;
		if (!open) {
			p++;
			continue;
		}
		c = p + open;
		while ((c = memchr(c, '<', (size_t)(end - c))) &&
		       ((size_t)(end - c) < sizeof(close) - 1 ||
			memcmp(c, close, sizeof(close) - 1)))
			c++;
		if (!c)
			break; /* not highlight_code()'s: left as it is */
		buf_add(out, done, (size_t)(p - done));
		buf_add(out, p + open, (size_t)(c - p - open));
		p = done = c + sizeof(close) - 1;
	}
	buf_add(out, done, (size_t)(end - done));
}
