#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "xalloc.h"
#include "yamljson.h"

/* Finds the top-level key `key` of `text`: at the start of a line and
 * followed by ':' (so "title" is not found inside "subtitle:" or in a
 * value). Returns where it starts, or NULL. */
static const char *config_find_key(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (p) {
		if (!strncmp(p, key, kl)) {
			const char *q = p + kl;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == ':')
				return p;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The 1-based line and column of the top-level key `key` in `text`; 1:1
 * when it is not found. */
static void config_locate(const char *text, const char *key, int *line,
			  int *col)
{
	const char *p = config_find_key(text, key);

	*line = 1;
	*col = 1;
	if (p)
		diag_position(text, (size_t)(p - text), line, col);
}

/* Where the value of the top-level key `key` starts in `text`: after the
 * ':' and its blanks when it is on the key's line, else the key itself;
 * 1:1 when the key is not there. */
static void config_locate_value(const char *text, const char *key,
				struct config_at *at)
{
	const char *p = config_find_key(text, key);

	at->line = 1;
	at->col = 1;
	if (!p)
		return;
	p = strchr(p, ':') + 1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\n' || *p == '\r' || *p == '#' || !*p)
		p = config_find_key(text, key);
	diag_position(text, (size_t)(p - text), &at->line, &at->col);
}

/* Checks `base_url`: an absolute http(s) URL with a host, and nothing in
 * it that would end a line of robots.txt or an attribute (control
 * characters, blanks). Returns 0, or -1 after recording why not. */
static int config_check_base_url(struct config *cfg, const char *text,
				 struct diag *d)
{
	const char *u = cfg->base_url, *host;
	struct config_at at;
	size_t i;

	if (!*u)
		return 0;
	config_locate_value(text, "base_url", &at);
	for (i = 0; u[i]; i++) {
		const unsigned char *c = (const unsigned char *)u + i;
		/* C0, DEL, C1 (U+0080..U+009F) */
		int control = c[0] < 0x20 || c[0] == 0x7f ||
			      (c[0] == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f);
		/* U+0020, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029,
		 * U+202F, U+205F, U+3000, U+FEFF */
		int blank = c[0] == ' ' || (c[0] == 0xc2 && c[1] == 0xa0) ||
			    (c[0] == 0xe1 && c[1] == 0x9a && c[2] == 0x80) ||
			    (c[0] == 0xe2 && c[1] == 0x80 &&
			     ((c[2] >= 0x80 && c[2] <= 0x8a) || c[2] == 0xa8 ||
			      c[2] == 0xa9 || c[2] == 0xaf)) ||
			    (c[0] == 0xe2 && c[1] == 0x81 && c[2] == 0x9f) ||
			    (c[0] == 0xe3 && c[1] == 0x80 && c[2] == 0x80) ||
			    (c[0] == 0xef && c[1] == 0xbb && c[2] == 0xbf);
		if (control || blank)
			return diag_error(d, cfg->path, at.line, at.col,
					  "invalid base_url: %s at byte %zu; "
					  "a URL holds none",
					  control ? "a control character" :
					  "a blank", i + 1);
	}
	if (!strncasecmp(u, "https://", 8))
		host = u + 8;
	else if (!strncasecmp(u, "http://", 7))
		host = u + 7;
	else
		return diag_error(d, cfg->path, at.line, at.col,
				  "invalid base_url '%s': it must be an "
				  "absolute http:// or https:// URL", u);
	if (!*host || strchr("/?#", *host))
		return diag_error(d, cfg->path, at.line, at.col,
				  "invalid base_url '%s': no host after '//'",
				  u);
	return 0;
}

static int config_string(struct config *cfg, struct json_object *root,
			 const char *key, const char *fallback, char **out,
			 const char *text, struct diag *d)
{
	struct json_object *v;
	int line, col;

	*out = NULL;
	if (!json_object_object_get_ex(root, key, &v) || !v) {
		*out = xstrdup(fallback);
		return 0;
	}
	if (json_object_is_type(v, json_type_string) ||
	    json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) {
		*out = xstrdup(json_object_get_string(v));
		return 0;
	}
	*out = xstrdup(fallback);
	config_locate(text, key, &line, &col);
	return diag_error(d, cfg->path, line, col,
			  "'%s' must be a string in book.yml", key);
}

int config_load(struct config *cfg, const char *path, const char *shown,
		struct diag *d)
{
	struct buf text = BUF_INIT;
	struct json_object *root = NULL, *v;
	size_t errors = d->errors;
	int line, col;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(shown ? shown : path);
	if (!fs_is_file(path)) {
		diag_error(d, cfg->path, 0, 0, "missing book.yml: a book "
			   "needs a book.yml with at least a title");
		goto defaults;
	}
	if (fs_read_file(path, cfg->path, &text, d) < 0)
		goto defaults;
	if (yamljson_parse(text.ptr, text.len, cfg->path, 0, &root, d) < 0)
		goto defaults;
	if (!root || !json_object_is_type(root, json_type_object)) {
		diag_error(d, cfg->path, 1, 1,
			   "book.yml must be a mapping of keys to values");
		goto defaults;
	}
	config_string(cfg, root, "title", "", &cfg->title, text.ptr, d);
	config_string(cfg, root, "subtitle", "", &cfg->subtitle, text.ptr, d);
	config_string(cfg, root, "author", "", &cfg->author, text.ptr, d);
	config_string(cfg, root, "language", "en", &cfg->language, text.ptr, d);
	config_string(cfg, root, "identifier", "", &cfg->identifier, text.ptr, d);
	config_string(cfg, root, "description", "", &cfg->description,
		      text.ptr, d);
	config_string(cfg, root, "base_url", "", &cfg->base_url, text.ptr, d);
	config_string(cfg, root, "theme", "default", &cfg->theme, text.ptr, d);
	config_string(cfg, root, "cover", "", &cfg->cover, text.ptr, d);
	if (!*cfg->title)
		diag_error(d, cfg->path, 1, 1, "missing 'title' in book.yml");
	config_locate_value(text.ptr, "title", &cfg->title_at);
	config_locate_value(text.ptr, "cover", &cfg->cover_at);
	config_check_base_url(cfg, text.ptr, d);
	if (json_object_object_get_ex(root, "unsafe_html", &v) && v) {
		if (json_object_is_type(v, json_type_boolean)) {
			cfg->unsafe_html = json_object_get_boolean(v);
		} else {
			config_locate(text.ptr, "unsafe_html", &line, &col);
			diag_error(d, cfg->path, line, col,
				   "'unsafe_html' must be true or false in "
				   "book.yml");
		}
	}
	if (json_object_object_get_ex(root, "chapters", &v) && v) {
		size_t i, n;
		if (!json_object_is_type(v, json_type_array)) {
			config_locate(text.ptr, "chapters", &line, &col);
			diag_error(d, cfg->path, line, col,
				   "'chapters' must be a list of file names");
		} else {
			/* each entry is searched for after the previous one */
			const char *from = config_find_key(text.ptr, "chapters");
			/* where the last entry was, to count lines from there
			 * (counting from the top for each of 10,000 entries
			 * would be quadratic) */
			size_t at = 0;
			int at_line = 1, at_col = 1;
			if (!from)
				from = text.ptr;
			n = json_object_array_length(v);
			cfg->chapters = xcalloc(n, sizeof(*cfg->chapters));
			for (i = 0; i < n; i++) {
				struct json_object *e =
					json_object_array_get_idx(v, i);
				struct config_chapter *c =
					&cfg->chapters[cfg->n_chapters];
				const char *s = e ? json_object_get_string(e) : "";
				const char *p = *s ? strstr(from, s) : NULL;
				if (p) {
					size_t k, to = (size_t)(p - text.ptr);
					for (k = at; k < to; k++) {
						if (text.ptr[k] == '\n') {
							at_line++;
							at_col = 1;
						} else if (((unsigned char)text.ptr[k] &
							    0xC0) != 0x80) {
							at_col++;
						}
					}
					at = to;
					c->line = at_line;
					c->col = at_col;
					from = p + strlen(s);
				} else {
					config_locate(text.ptr, "chapters",
						      &c->line, &c->col);
				}
				if (!e || !json_object_is_type(e, json_type_string) ||
				    !*s) {
					diag_error(d, cfg->path, c->line, c->col,
						   "chapter entry must be a file name");
					continue;
				}
				c->file = xstrdup(s);
				cfg->n_chapters++;
			}
		}
	}
	cfg->params = root;
	buf_release(&text);
	return d->errors > errors ? -1 : 0;

defaults:
	json_object_put(root);
	buf_release(&text);
	free(cfg->title);
	cfg->title = xstrdup("");
	cfg->subtitle = xstrdup("");
	cfg->author = xstrdup("");
	cfg->language = xstrdup("en");
	cfg->identifier = xstrdup("");
	cfg->description = xstrdup("");
	cfg->base_url = xstrdup("");
	cfg->theme = xstrdup("default");
	cfg->cover = xstrdup("");
	cfg->params = json_object_new_object();
	return -1;
}

void config_release(struct config *cfg)
{
	size_t i;

	free(cfg->title);
	free(cfg->subtitle);
	free(cfg->author);
	free(cfg->language);
	free(cfg->identifier);
	free(cfg->description);
	free(cfg->base_url);
	free(cfg->theme);
	free(cfg->cover);
	for (i = 0; i < cfg->n_chapters; i++)
		free(cfg->chapters[i].file);
	free(cfg->chapters);
	json_object_put(cfg->params);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}
