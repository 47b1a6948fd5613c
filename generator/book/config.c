#include "config.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "jobj.h"
#include "langtag.h"
#include "path.h"
#include "slug.h"
#include "summary.h"
#include "xalloc.h"
#include "yamljson.h"
#include "yamlpos.h"

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
	yamlpos_value(text, "base_url", &at.line, &at.col);
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
					  control ? "a control character"
						  : "a blank",
					  i + 1);
	}
	if (!strncasecmp(u, "https://", 8))
		host = u + 8;
	else if (!strncasecmp(u, "http://", 7))
		host = u + 7;
	else
		return diag_error(d, cfg->path, at.line, at.col,
				  "invalid base_url '%s': it must be an "
				  "absolute http:// or https:// URL",
				  u);
	if (!*host || strchr("/?#", *host))
		return diag_error(d, cfg->path, at.line, at.col,
				  "invalid base_url '%s': no host after '//'",
				  u);
	return 0;
}

/* Checks `language`: a BCP 47 tag, for <html lang>, the EPUB's
 * dc:language and the choice of language pack; a language's name written
 * instead (`English`) gets the tag it probably meant. Returns 0, or -1
 * after recording why not. */
static int config_check_language(struct config *cfg, const char *text,
				 struct diag *d)
{
	const char *why, *near;
	char fixed[64];
	struct config_at at;

	if (langtag_valid(cfg->language, &why))
		return 0;
	yamlpos_value(text, "language", &at.line, &at.col);
	near = langtag_suggest(cfg->language, fixed, sizeof(fixed));
	if (near)
		diag_error(d, cfg->path, at.line, at.col,
			   "invalid language '%s': not a BCP 47 tag; did you "
			   "mean '%s'?",
			   cfg->language, near);
	else
		diag_error(d, cfg->path, at.line, at.col,
			   "invalid language '%s': not a BCP 47 tag (%s), "
			   "such as 'en', 'pt-BR' or 'zh-Hans'",
			   cfg->language, why);
	diag_attach_source(d, text, strlen(text), at.line);
	return -1;
}

/* The settings that are text, with their defaults. */
static const struct config_setting {
	const char *key, *fallback;
	size_t field; /* offsetof(struct config, ...), a char * */
} config_settings[] = {
	{ "title", "", offsetof(struct config, title) },
	{ "subtitle", "", offsetof(struct config, subtitle) },
	{ "author", "", offsetof(struct config, author) },
	{ "language", "en", offsetof(struct config, language) },
	{ "identifier", "", offsetof(struct config, identifier) },
	{ "description", "", offsetof(struct config, description) },
	{ "base_url", "", offsetof(struct config, base_url) },
	{ "theme", "default", offsetof(struct config, theme) },
	{ "cover", "", offsetof(struct config, cover) },
	{ "edit_url", "", offsetof(struct config, edit_url) },
};

/* The keys book.yml gives a meaning to besides those. */
static const char *const config_other_keys[] = {
	"unsafe_html", "chapters", "strict",    "extra_css",
	"extra_js",    "summary",  "redirects", "translations",
};

/* Warns of each top-level key of `root` that is no setting but is a
 * near miss of one (`langauge`); other keys are the author's own, which
 * templates read as book.params. */
static void config_check_keys(struct config *cfg, struct json_object *root,
			      const char *text, struct diag *d)
{
	size_t n_set = sizeof(config_settings) / sizeof(*config_settings);
	size_t n_other = sizeof(config_other_keys) / sizeof(*config_other_keys);
	const char *keys[sizeof(config_settings) / sizeof(*config_settings) +
			 sizeof(config_other_keys) / sizeof(*config_other_keys)];
	size_t i, n = 0;

	for (i = 0; i < n_set; i++)
		keys[n++] = config_settings[i].key;
	for (i = 0; i < n_other; i++)
		keys[n++] = config_other_keys[i];
	json_object_object_foreach(root, key, val)
	{
		const char *near;
		int line, col;

		(void)val;
		for (i = 0; i < n; i++)
			if (!strcmp(key, keys[i]))
				break;
		if (i < n || !(near = slug_closest_key(key, keys, n)))
			continue;
		yamlpos_locate(text, key, &line, &col);
		diag_warning(d, cfg->path, line, col,
			     "unknown key '%s' in book.yml; did you mean '%s'?",
			     key, near);
		diag_attach_source(d, text, strlen(text), line);
	}
}

/* Reads `key`, a file name or a list of them, into `out`. */
static void config_files(struct config *cfg, struct json_object *root,
			 const char *key, struct config_files *out,
			 const char *text, struct diag *d)
{
	struct json_object *v = jobj_get(root, key);
	int list = v && json_object_is_type(v, json_type_array);
	size_t i, n;

	yamlpos_locate(text, key, &out->line, &out->col);
	if (!v)
		return;
	n = list ? json_object_array_length(v) : 1;
	out->v = xcalloc(n, sizeof(*out->v));
	for (i = 0; i < n; i++) {
		struct json_object *e = list ? json_object_array_get_idx(v, i)
					     : v;
		char *norm;
		if (!e || !json_object_is_type(e, json_type_string) ||
		    !(norm = path_normalize(json_object_get_string(e)))) {
			diag_error(d, cfg->path, out->line, out->col,
				   "'%s' must be a file inside content/, or a "
				   "list of them",
				   key);
			continue;
		}
		out->v[out->n++] = norm;
	}
}

/* `translations:`, a list of language tags (one tag alone is a list of
 * one): each well formed, listed once, not the book's own language. */
static void config_translations(struct config *cfg, struct json_object *root,
				const char *text, struct diag *d)
{
	struct json_object *v = jobj_get(root, "translations");
	int list = v && json_object_is_type(v, json_type_array);
	struct config_at *at = &cfg->translations_at;
	struct buf why = BUF_INIT;
	size_t i, j, n;

	yamlpos_value(text, "translations", &at->line, &at->col);
	if (!v)
		return;
	n = list ? json_object_array_length(v) : 1;
	cfg->translations = xcalloc(n + 1, sizeof(*cfg->translations));
	for (i = 0; i < n; i++) {
		struct json_object *e = list ? json_object_array_get_idx(v, i)
					     : v;
		const char *tag = e && json_object_is_type(e, json_type_string)
					  ? json_object_get_string(e)
					  : NULL;
		const char *bad, *near;
		char fixed[64];

		buf_reset(&why);
		if (!tag) {
			buf_adds(&why, "'translations' must be a list of "
				       "language tags, such as [fr, es]");
		} else if (!langtag_valid(tag, &bad)) {
			near = langtag_suggest(tag, fixed, sizeof(fixed));
			buf_addf(&why,
				 "invalid translation '%s': not a BCP 47 "
				 "tag (%s)",
				 tag, bad);
			if (near)
				buf_addf(&why, "; did you mean '%s'?", near);
		} else if (!strcasecmp(tag, cfg->language)) {
			buf_addf(&why,
				 "translation '%s' is the book's own "
				 "language",
				 tag);
		} else {
			for (j = 0; j < cfg->n_translations; j++)
				if (!strcasecmp(cfg->translations[j], tag))
					break;
			if (j < cfg->n_translations)
				buf_addf(&why, "translation '%s' listed twice",
					 tag);
		}
		if (why.len) {
			diag_error(d, cfg->path, at->line, at->col, "%s",
				   why.ptr);
			diag_attach_source(d, text, strlen(text), at->line);
			continue;
		}
		cfg->translations[cfg->n_translations++] = xstrdup(tag);
	}
	buf_release(&why);
}

/* `redirects:`, a mapping of an old page's path to where it moved. */
static void config_redirects(struct config *cfg, struct json_object *root,
			     const char *text, struct diag *d)
{
	struct json_object *v = jobj_get(root, "redirects");

	yamlpos_locate(text, "redirects", &cfg->redirects_at.line,
		       &cfg->redirects_at.col);
	if (!v)
		return;
	if (!json_object_is_type(v, json_type_object)) {
		diag_error(d, cfg->path, cfg->redirects_at.line,
			   cfg->redirects_at.col,
			   "'redirects' must map each old page to where it "
			   "moved, as in 'old.html: new.html'");
		return;
	}
	cfg->redirects = xcalloc((size_t)json_object_object_length(v) + 1,
				 sizeof(*cfg->redirects));
	json_object_object_foreach(v, from, to)
	{
		if (!to || !json_object_is_type(to, json_type_string)) {
			diag_error(d, cfg->path, cfg->redirects_at.line,
				   cfg->redirects_at.col,
				   "redirect '%s' must name the page it moved "
				   "to",
				   from);
			continue;
		}
		cfg->redirects[cfg->n_redirects].from = xstrdup(from);
		cfg->redirects[cfg->n_redirects++].to = xstrdup(
			json_object_get_string(to));
	}
}

/* Reads the true-or-false `key` into `out` (left as it is when absent). */
static void config_bool(struct config *cfg, struct json_object *root,
			const char *key, int *out, const char *text,
			struct diag *d)
{
	struct json_object *v = jobj_get(root, key);
	int line, col;

	if (v && json_object_is_type(v, json_type_boolean)) {
		*out = json_object_get_boolean(v);
	} else if (v) {
		yamlpos_locate(text, key, &line, &col);
		diag_error(d, cfg->path, line, col,
			   "'%s' must be true or false in book.yml", key);
	}
}

static char **config_field(struct config *cfg, const struct config_setting *k)
{
	return (char **)(void *)((char *)cfg + k->field);
}

/* Sets the setting `k` from `root`: a string or a number, as written;
 * the default when it is missing. Returns 0, or -1 after recording that
 * it is something else (the default is then set). */
static int config_string(struct config *cfg, struct json_object *root,
			 const struct config_setting *k, const char *text,
			 struct diag *d)
{
	struct json_object *v = jobj_get(root, k->key);
	char **out = config_field(cfg, k);
	int line, col;

	if (v && (json_object_is_type(v, json_type_string) ||
		  json_object_is_type(v, json_type_int) ||
		  json_object_is_type(v, json_type_double))) {
		*out = xstrdup(json_object_get_string(v));
		return 0;
	}
	*out = xstrdup(k->fallback);
	if (!v)
		return 0;
	yamlpos_locate(text, k->key, &line, &col);
	return diag_error(d, cfg->path, line, col,
			  "'%s' must be a string in book.yml", k->key);
}

/* Sets every setting to its default: book.yml could not be read. */
static void config_defaults(struct config *cfg)
{
	size_t i;

	for (i = 0; i < sizeof(config_settings) / sizeof(*config_settings);
	     i++) {
		char **field = config_field(cfg, &config_settings[i]);
		free(*field);
		*field = xstrdup(config_settings[i].fallback);
	}
	cfg->params = json_object_new_object();
}

static void config_add_chapter(struct config *cfg, const char *file,
			       size_t part, int line, int col)
{
	struct config_chapter *c;

	cfg->chapters = xrealloc(cfg->chapters, (cfg->n_chapters + 1) *
							sizeof(*cfg->chapters));
	c = &cfg->chapters[cfg->n_chapters++];
	memset(c, 0, sizeof(*c));
	c->file = xstrdup(file);
	c->title = NULL; /* book.yml gives none: front matter or heading */
	c->part = part;
	c->line = line;
	c->col = col;
}

static void config_part(struct config *cfg, struct json_object *e,
			struct yamlpos_cursor *cur, struct diag *d);

/* Reads the `chapters:` list `v` (of the book, or of part `part`), each
 * entry with the line and column where it is written. */
static void config_chapter_list(struct config *cfg, struct json_object *v,
				size_t part, struct yamlpos_cursor *cur,
				struct diag *d)
{
	size_t i, n = json_object_array_length(v);

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);
		int is_str = e && json_object_is_type(e, json_type_string);
		const char *s = is_str ? json_object_get_string(e) : "";
		int line, col;

		if (e && json_object_is_type(e, json_type_object) &&
		    jobj_get(e, "part")) {
			if (part == CONFIG_NO_PART) {
				config_part(cfg, e, cur, d);
				continue;
			}
			yamlpos_cursor_find(cur, "part", "chapters", &line,
					    &col);
			cfg->chapter_errors++;
			diag_error(d, cfg->path, line, col,
				   "a part cannot hold another part: list "
				   "its chapters' files");
			continue;
		}
		/* a file name where it is written; anything else at the
		 * next item's dash */
		yamlpos_cursor_find(cur, *s ? s : "- ", "chapters", &line,
				    &col);
		if (!is_str || !*s) {
			cfg->chapter_errors++;
			diag_error(d, cfg->path, line, col,
				   "chapter entry must be a file name, or a "
				   "part: '- part: Title' with its own "
				   "'chapters:' list");
			continue;
		}
		config_add_chapter(cfg, s, part, line, col);
	}
}

/* Reads the part `e`: `part: Title` and its `chapters:` list. */
static void config_part(struct config *cfg, struct json_object *e,
			struct yamlpos_cursor *cur, struct diag *d)
{
	struct json_object *title = jobj_get(e, "part"),
			   *list = jobj_get(e, "chapters");
	const char *t = json_object_is_type(title, json_type_string)
				? json_object_get_string(title)
				: "";
	size_t errors = d->errors;
	struct config_part *p;
	int line, col;

	yamlpos_cursor_find(cur, "part", "chapters", &line, &col);
	if (!*t)
		diag_error(d, cfg->path, line, col,
			   "a part needs a title: '- part: Title'");
	else if (!list || !json_object_is_type(list, json_type_array))
		diag_error(d, cfg->path, line, col,
			   "part '%s' needs a 'chapters:' list of its files, "
			   "indented under 'part:'",
			   t);
	else if (!json_object_array_length(list))
		diag_error(d, cfg->path, line, col, "part '%s' has no chapters",
			   t);
	json_object_object_foreach(e, key, val)
	{
		(void)val;
		if (d->errors == errors && strcmp(key, "part") &&
		    strcmp(key, "chapters"))
			diag_error(d, cfg->path, line, col,
				   "unknown key '%s' in part '%s': a part has "
				   "'part:' and 'chapters:'",
				   key, t);
	}
	if (d->errors > errors) {
		cfg->chapter_errors++;
		return;
	}
	cfg->parts = xrealloc(cfg->parts,
			      (cfg->n_parts + 1) * sizeof(*cfg->parts));
	p = &cfg->parts[cfg->n_parts++];
	p->title = xstrdup(t);
	p->line = line;
	p->col = col;
	config_chapter_list(cfg, list, cfg->n_parts - 1, cur, d);
}

/* Reads the book's `chapters:` list `v`. */
static void config_chapters(struct config *cfg, struct json_object *v,
			    const char *text, struct diag *d)
{
	struct yamlpos_cursor cur;

	cur.text = text;
	cur.from = yamlpos_key(text, "chapters");
	if (!cur.from)
		cur.from = text;
	cur.at = 0;
	cur.line = 1;
	cur.col = 1;
	/* an empty list is still a list: the book's chapters are these */
	cfg->chapters = xcalloc(1, sizeof(*cfg->chapters));
	config_chapter_list(cfg, v, CONFIG_NO_PART, &cur, d);
}

/* Reads the settings from `root`, the mapping book.yml holds, whose text
 * is `text`. */
static void config_read(struct config *cfg, struct json_object *root,
			const char *text, struct diag *d)
{
	struct json_object *v;
	int line, col;
	size_t i;

	for (i = 0; i < sizeof(config_settings) / sizeof(*config_settings); i++)
		config_string(cfg, root, &config_settings[i], text, d);
	if (!*cfg->title)
		diag_error(d, cfg->path, 1, 1, "missing 'title' in book.yml");
	yamlpos_value(text, "title", &cfg->title_at.line, &cfg->title_at.col);
	yamlpos_value(text, "cover", &cfg->cover_at.line, &cfg->cover_at.col);
	yamlpos_value(text, "language", &cfg->language_at.line,
		      &cfg->language_at.col);
	yamlpos_locate(text, "chapters", &cfg->chapters_at.line,
		       &cfg->chapters_at.col);
	config_check_base_url(cfg, text, d);
	config_check_language(cfg, text, d);
	if (*cfg->edit_url && strncasecmp(cfg->edit_url, "https://", 8) &&
	    strncasecmp(cfg->edit_url, "http://", 7)) {
		struct config_at at;
		yamlpos_value(text, "edit_url", &at.line, &at.col);
		diag_error(d, cfg->path, at.line, at.col,
			   "invalid edit_url '%s': it must be an absolute "
			   "http:// or https:// URL, with {path} where the "
			   "chapter's file goes",
			   cfg->edit_url);
	}
	config_files(cfg, root, "extra_css", &cfg->extra_css, text, d);
	config_files(cfg, root, "extra_js", &cfg->extra_js, text, d);
	config_redirects(cfg, root, text, d);
	config_translations(cfg, root, text, d);
	config_bool(cfg, root, "unsafe_html", &cfg->unsafe_html, text, d);
	config_bool(cfg, root, "strict", &cfg->strict, text, d);
	config_check_keys(cfg, root, text, d);
	v = jobj_get(root, "chapters");
	if (v && json_object_is_type(v, json_type_array)) {
		config_chapters(cfg, v, text, d);
	} else if (v) {
		yamlpos_locate(text, "chapters", &line, &col);
		diag_error(d, cfg->path, line, col,
			   "'chapters' must be a list of file names");
	}
}

void config_chapters_from(struct config *cfg, const struct summary *sum,
			  const char *list_shown)
{
	size_t i, n = 0, part = CONFIG_NO_PART;
	int separator = 0;

	free(cfg->list_path);
	cfg->list_path = xstrdup(list_shown);
	for (i = 0; i < sum->n; i++)
		if (sum->v[i].kind == SUMMARY_CHAPTER && sum->v[i].path)
			n++;
	cfg->chapters = xcalloc(n + 1, sizeof(*cfg->chapters));
	for (i = 0; i < sum->n; i++) {
		const struct summary_item *it = &sum->v[i];
		struct config_chapter *cc;

		if (it->kind == SUMMARY_PART) {
			/* `# Part`: a part over the numbered chapters that
			 * follow, as book.yml's `- part:` */
			struct config_part *p;

			cfg->parts = xrealloc(cfg->parts,
					      (cfg->n_parts + 1) *
						      sizeof(*cfg->parts));
			p = &cfg->parts[cfg->n_parts];
			p->title = xstrdup(it->title);
			p->line = it->line;
			p->col = it->col;
			part = cfg->n_parts++;
			continue;
		}
		if (it->kind == SUMMARY_SEPARATOR)
			separator = 1;
		/* a draft has no file: listed in SUMMARY.md, not a page */
		if (it->kind != SUMMARY_CHAPTER || !it->path)
			continue;
		cc = &cfg->chapters[cfg->n_chapters++];
		cc->file = xstrdup(it->path);
		cc->title = xstrdup(it->title);
		/* prefix and suffix chapters stand outside the parts */
		cc->part = it->section == SUMMARY_NUMBERED ? part
							   : CONFIG_NO_PART;
		cc->depth = it->depth;
		cc->separator = separator;
		separator = 0;
		cc->line = it->line;
		cc->col = it->col;
	}
}

/* `summary: SUMMARY.md`: the chapters from an mdBook-style list, a .md
 * file beside book.yml, in place of `chapters:`. */
static void config_summary(struct config *cfg, struct json_object *root,
			   const char *path, const char *text, struct diag *d)
{
	struct json_object *v = jobj_get(root, "summary");
	struct buf file = BUF_INIT, shown = BUF_INIT, list = BUF_INIT;
	const char *slash;
	struct summary sum;
	int line, col;

	/* only a .md file: any other `summary:` is the author's own key,
	 * for templates (book.params.summary) */
	if (!v || !json_object_is_type(v, json_type_string) ||
	    strcmp(path_ext(json_object_get_string(v)), "md") != 0)
		return;
	yamlpos_locate(text, "summary", &line, &col);
	if (cfg->chapters) {
		diag_error(d, cfg->path, line, col,
			   "'summary' and 'chapters' both list the chapters: "
			   "keep one");
		return;
	}
	slash = strrchr(path, '/');
	if (slash)
		buf_add(&file, path, (size_t)(slash - path) + 1);
	buf_adds(&file, json_object_get_string(v));
	slash = strrchr(cfg->path, '/');
	if (slash)
		buf_add(&shown, cfg->path, (size_t)(slash - cfg->path) + 1);
	buf_adds(&shown, json_object_get_string(v));
	if (fs_read_file(file.ptr, shown.ptr, &list, d) == 0) {
		summary_parse(list.ptr, list.len, shown.ptr, &sum, d);
		config_chapters_from(cfg, &sum, shown.ptr);
		summary_release(&sum);
	}
	buf_release(&file);
	buf_release(&shown);
	buf_release(&list);
}

int config_load(struct config *cfg, const char *path, const char *shown,
		struct diag *d)
{
	struct buf text = BUF_INIT;
	struct json_object *root = NULL;
	size_t errors = d->errors;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(shown ? shown : path);
	if (!fs_is_file(path)) {
		diag_error(d, cfg->path, 0, 0,
			   "missing book.yml: a book "
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
	config_read(cfg, root, text.ptr, d);
	config_summary(cfg, root, path, text.ptr, d);
	cfg->params = root;
	buf_release(&text);
	return d->errors > errors ? -1 : 0;

defaults:
	cfg->unread = 1;
	json_object_put(root);
	buf_release(&text);
	config_defaults(cfg);
	return -1;
}

int config_from_json(struct config *cfg, struct json_object *root,
		     const char *shown, struct diag *d)
{
	size_t errors = d->errors;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup(shown);
	if (!root) {
		cfg->unread = 1;
		config_defaults(cfg);
		return -1;
	}
	/* no YAML text: positions are the file's first line */
	config_read(cfg, root, "", d);
	cfg->params = root;
	return d->errors > errors ? -1 : 0;
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
	for (i = 0; i < cfg->n_redirects; i++) {
		free(cfg->redirects[i].from);
		free(cfg->redirects[i].to);
	}
	free(cfg->redirects);
	for (i = 0; i < cfg->n_translations; i++)
		free(cfg->translations[i]);
	free(cfg->translations);
	for (i = 0; i < cfg->n_chapters; i++) {
		free(cfg->chapters[i].file);
		free(cfg->chapters[i].title);
	}
	free(cfg->chapters);
	for (i = 0; i < cfg->n_parts; i++)
		free(cfg->parts[i].title);
	free(cfg->parts);
	json_object_put(cfg->params);
	free(cfg->path);
	free(cfg->list_path);
	memset(cfg, 0, sizeof(*cfg));
}
