#include "frontmatter.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jobj.h"
#include "langtag.h"
#include "slug.h"
#include "xalloc.h"
#include "yamljson.h"

/* Whether the line starting at text[i] is exactly `mark` (3 chars) with
 * optional trailing blanks; sets *next to the start of the next line. */
static int frontmatter_is_fence(const char *text, size_t len, size_t i,
				const char *mark, size_t *next)
{
	size_t j;

	if (len - i < 3 || memcmp(text + i, mark, 3) != 0)
		return 0;
	j = i + 3;
	while (j < len && (text[j] == ' ' || text[j] == '\t'))
		j++;
	if (j < len && text[j] == '\r')
		j++;
	if (j < len && text[j] != '\n')
		return 0;
	*next = j < len ? j + 1 : j;
	return 1;
}

static char *frontmatter_str(struct json_object *o, const char *key)
{
	struct json_object *v = jobj_get(o, key);

	if (!v || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return NULL;
	return xstrdup(json_object_get_string(v));
}

static int frontmatter_key_line(const char *text, size_t end, const char *key)
{
	size_t kl = strlen(key), i = 0;
	int line = 1;

	while (i < end) {
		if ((i == 0 || text[i - 1] == '\n') && end - i > kl &&
		    !memcmp(text + i, key, kl) && text[i + kl] == ':')
			return line;
		if (text[i] == '\n')
			line++;
		i++;
	}
	return 1;
}

/* The keys the front matter gives a meaning to. */
static const char *const frontmatter_keys[] = {
	"title", "summary", "slug", "step", "draft", "language",
};

/* Warns of each key of `root` that is a near miss of a known one
 * (`summery:`); others reach templates as page.params silently. `block`
 * is the front matter's text (its first line is file line 2), `end` its
 * length. */
static void frontmatter_check_keys(struct json_object *root, const char *block,
				   size_t end, const char *text, size_t len,
				   const char *file, struct diag *d)
{
	size_t n = sizeof(frontmatter_keys) / sizeof(*frontmatter_keys);

	json_object_object_foreach(root, key, val)
	{
		const char *near;
		size_t i;
		int line;

		(void)val;
		for (i = 0; i < n; i++)
			if (!strcmp(key, frontmatter_keys[i]))
				break;
		if (i < n ||
		    !(near = slug_closest_key(key, frontmatter_keys, n)))
			continue;
		line = 1 + frontmatter_key_line(block, end, key);
		diag_warning(d, file, line, 1,
			     "unknown front matter key '%s'; "
			     "did you mean '%s'?",
			     key, near);
		diag_attach_source(d, text, len, line);
	}
}

/* Checks the chapter's `language:`, a BCP 47 tag like book.yml's (see
 * config.c). `block` is the front matter's text, `end` its length.
 * Returns 0, or -1 after recording why not. */
static int frontmatter_check_language(struct json_object *root,
				      const char *block, size_t end,
				      const char *text, size_t len,
				      const char *file, struct diag *d)
{
	struct json_object *v = jobj_get(root, "language");
	const char *tag, *why, *near, *p;
	char fixed[64];
	int line, col = 1, l;

	if (!v)
		return 0;
	tag = json_object_is_type(v, json_type_string)
		      ? json_object_get_string(v)
		      : "";
	if (json_object_is_type(v, json_type_string) &&
	    langtag_valid(tag, &why))
		return 0;
	/* the block's first line is the file's line 2 */
	line = 1 + frontmatter_key_line(block, end, "language");
	for (p = block, l = 2; l < line && p < block + end; p++)
		if (*p == '\n')
			l++;
	if (p + 8 < block + end && !strncmp(p, "language", 8)) {
		/* the value's column, on the key's line */
		const char *q = p + 8;
		while (q < block + end &&
		       (*q == ' ' || *q == '\t' || *q == ':'))
			q++;
		if (q < block + end && *q != '\n' && *q != '\r')
			col = 1 + (int)(q - p);
	}
	if (!json_object_is_type(v, json_type_string))
		diag_error(d, file, line, col,
			   "'language' must be a BCP 47 tag such as 'en'");
	else if ((near = langtag_suggest(tag, fixed, sizeof(fixed))))
		diag_error(d, file, line, col,
			   "invalid language '%s': not a BCP 47 tag; did you "
			   "mean '%s'?",
			   tag, near);
	else
		diag_error(d, file, line, col,
			   "invalid language '%s': not a BCP 47 tag (%s), "
			   "such as 'en', 'pt-BR' or 'zh-Hans'",
			   tag, why);
	diag_attach_source(d, text, len, line);
	return -1;
}

int frontmatter_parse(struct frontmatter *fm, const char *text, size_t len,
		      const char *file, struct diag *d)
{
	size_t i, start, next;
	int line = 1, lang_ok;
	struct json_object *root = NULL, *v;

	memset(fm, 0, sizeof(*fm));
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		return diag_error(d, file, 1, 1,
				  "byte order mark before front matter; "
				  "save the file as UTF-8 without BOM");
	if (!frontmatter_is_fence(text, len, 0, "---", &start)) {
		/* front matter is optional: mdBook's chapters have none */
		fm->summary = xstrdup("");
		fm->params = json_object_new_object();
		fm->params_json = xstrdup("{}");
		return 0;
	}
	i = start;
	line = 2;
	for (;;) {
		if (i >= len) {
			diag_error(d, file, 1, 1,
				   "unterminated front matter: "
				   "no closing '---' line");
			return -1;
		}
		if (frontmatter_is_fence(text, len, i, "---", &next) ||
		    frontmatter_is_fence(text, len, i, "...", &next))
			break;
		while (i < len && text[i] != '\n')
			i++;
		if (i < len)
			i++;
		line++;
	}
	fm->body_offset = next;
	fm->body_line = line;
	if (yamljson_parse(text + start, i - start, file, 1, &root, d) < 0)
		return -1;
	if (root && !json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return diag_error(
			d, file, 2, 1,
			"front matter must be a mapping of keys to values");
	}
	if (!root)
		root = json_object_new_object();
	frontmatter_check_keys(root, text + start, i - start, text, len, file,
			       d);
	lang_ok = frontmatter_check_language(root, text + start, i - start,
					     text, len, file, d);
	fm->params = root;
	/* as the cache records it: written from a thread of its own, which
	 * must not touch the object the templates read */
	fm->params_json = xstrdup(
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	fm->title = frontmatter_str(root, "title");
	if (fm->title && !*fm->title) {
		free(fm->title);
		fm->title = NULL;
	}
	fm->summary = frontmatter_str(root, "summary");
	if (!fm->summary)
		fm->summary = xstrdup("");
	fm->slug = frontmatter_str(root, "slug");
	v = jobj_get(root, "step");
	if (v) {
		int64_t s = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || s < 1 ||
		    s > FRONTMATTER_MAX_STEP)
			return diag_error(
				d, file,
				1 + frontmatter_key_line(text + start,
							 i - start, "step"),
				1, "'step' must be a positive whole number");
		fm->step = (int)s;
	}
	v = jobj_get(root, "draft");
	if (v) {
		if (!json_object_is_type(v, json_type_boolean))
			return diag_error(d, file,
					  1 + frontmatter_key_line(text + start,
								   i - start,
								   "draft"),
					  1, "'draft' must be true or false");
		fm->draft = json_object_get_boolean(v);
	}
	return lang_ok;
}

struct json_object *frontmatter_params(struct frontmatter *fm)
{
	if (!fm->params && fm->params_json)
		fm->params = json_tokener_parse(fm->params_json);
	if (!fm->params)
		fm->params = json_object_new_object();
	return fm->params;
}

void frontmatter_release(struct frontmatter *fm)
{
	free(fm->title);
	free(fm->summary);
	free(fm->slug);
	free(fm->params_json);
	json_object_put(fm->params);
	memset(fm, 0, sizeof(*fm));
}
