#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "slug.h"
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

/* The keys book.yml gives a meaning to. */
static const char *const config_keys[] = {
	"title", "subtitle", "author", "language", "identifier",
	"description", "base_url", "theme", "cover", "unsafe_html",
	"chapters", "strict", "edit_url", "extra_css", "extra_js",
};

/* Warns of each top-level key of `root` that is not one of config_keys
 * but is a near miss of one. */
static void config_check_keys(struct config *cfg, struct json_object *root,
			      const char *text, struct diag *d)
{
	size_t n = sizeof(config_keys) / sizeof(*config_keys);

	json_object_object_foreach(root, key, val) {
		const char *near;
		int line, col;
		size_t i;

		(void)val;
		for (i = 0; i < n; i++)
			if (!strcmp(key, config_keys[i]))
				break;
		if (i < n)
			continue;
		near = slug_closest_key(key, config_keys, n);
		if (!near)
			continue;
		config_locate(text, key, &line, &col);
		diag_warning(d, cfg->path, line, col, "unknown key '%s' in "
			     "book.yml; did you mean '%s'?", key, near);
		diag_attach_source(d, text, strlen(text), line);
	}
}

/* Reads `key`, a file name or a list of them, into `out`. */
static void config_files(struct config *cfg, struct json_object *root,
			 const char *key, struct config_files *out,
			 const char *text, struct diag *d)
{
	struct json_object *v;
	size_t i, n;

	config_locate(text, key, &out->line, &out->col);
	if (!json_object_object_get_ex(root, key, &v) || !v)
		return;
	n = json_object_is_type(v, json_type_array) ?
		    json_object_array_length(v) : 1;
	out->v = xcalloc(n, sizeof(*out->v));
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_is_type(v, json_type_array) ?
						json_object_array_get_idx(v, i) : v;
		char *norm;
		if (!e || !json_object_is_type(e, json_type_string) ||
		    !(norm = path_normalize(json_object_get_string(e)))) {
			diag_error(d, cfg->path, out->line, out->col,
				   "'%s' must be a file inside content/, or a "
				   "list of them", key);
			continue;
		}
		out->v[out->n++] = norm;
	}
}

/* Reads the true-or-false `key` into `out` (left as it is when absent). */
static void config_bool(struct config *cfg, struct json_object *root,
			const char *key, int *out, const char *text,
			struct diag *d)
{
	struct json_object *v;
	int line, col;

	if (!json_object_object_get_ex(root, key, &v) || !v)
		return;
	if (json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
		return;
	}
	config_locate(text, key, &line, &col);
	diag_error(d, cfg->path, line, col,
		   "'%s' must be true or false in book.yml", key);
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
	config_string(cfg, root, "edit_url", "", &cfg->edit_url, text.ptr, d);
	if (*cfg->edit_url && strncasecmp(cfg->edit_url, "https://", 8) &&
	    strncasecmp(cfg->edit_url, "http://", 7)) {
		struct config_at at;
		config_locate_value(text.ptr, "edit_url", &at);
		diag_error(d, cfg->path, at.line, at.col, "invalid edit_url "
			   "'%s': it must be an absolute http:// or https:// "
			   "URL, with {path} where the chapter's file goes",
			   cfg->edit_url);
	}
	config_files(cfg, root, "extra_css", &cfg->extra_css, text.ptr, d);
	config_files(cfg, root, "extra_js", &cfg->extra_js, text.ptr, d);
	if (!*cfg->title)
		diag_error(d, cfg->path, 1, 1, "missing 'title' in book.yml");
	config_locate_value(text.ptr, "title", &cfg->title_at);
	config_locate_value(text.ptr, "cover", &cfg->cover_at);
	config_locate(text.ptr, "chapters", &cfg->chapters_at.line,
		      &cfg->chapters_at.col);
	config_check_base_url(cfg, text.ptr, d);
	config_bool(cfg, root, "unsafe_html", &cfg->unsafe_html, text.ptr, d);
	config_bool(cfg, root, "strict", &cfg->strict, text.ptr, d);
	config_check_keys(cfg, root, text.ptr, d);
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
				int is_str = e && json_object_is_type(
					e, json_type_string);
				const char *s = is_str ? json_object_get_string(e)
						       : "";
				/* a file name where it is written; anything
				 * else at the next item's dash */
				const char *p = *s ? strstr(from, s)
						   : strstr(from, "- ");
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
					from = p + (*s ? strlen(s) : 2);
				} else {
					config_locate(text.ptr, "chapters",
						      &c->line, &c->col);
				}
				if (!is_str || !*s) {
					struct json_object *part;
					cfg->chapter_errors++;
					if (e && json_object_is_type(
						    e, json_type_object) &&
					    json_object_object_get_ex(e, "part",
								      &part))
						diag_error(d, cfg->path, c->line,
							   c->col, "parts are not "
							   "supported: list the "
							   "chapters' files alone");
					else
						diag_error(d, cfg->path, c->line,
							   c->col, "chapter entry "
							   "must be a file name");
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
	cfg->unread = 1;
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
	cfg->edit_url = xstrdup("");
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
	free(cfg->edit_url);
	for (i = 0; i < cfg->extra_css.n; i++)
		free(cfg->extra_css.v[i]);
	free(cfg->extra_css.v);
	for (i = 0; i < cfg->extra_js.n; i++)
		free(cfg->extra_js.v[i]);
	free(cfg->extra_js.v);
	for (i = 0; i < cfg->n_chapters; i++)
		free(cfg->chapters[i].file);
	free(cfg->chapters);
	json_object_put(cfg->params);
	free(cfg->path);
	memset(cfg, 0, sizeof(*cfg));
}
