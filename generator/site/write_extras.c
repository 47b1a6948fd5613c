#include "write_extras.h"

#include <json-c/json.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "hash.h"
#include "i18n.h"
#include "jobj.h"
#include "context.h"
#include "site_redirects.h"
#include "site.h"
#include "theme.h"
#include "utf8.h"
#include "xalloc.h"

#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define SHORT_NAME_MAX 12

/* ---- hashing: the cache version of the service worker ---- */

/* ---- URLs ---- */

/* The book's base URL ending in '/', or NULL when it has none. */
static char *extras_base(const struct site *s)
{
	const char *b = s->cfg.base_url ? s->cfg.base_url : "";
	size_t len;
	struct buf out = BUF_INIT;

	while (*b == ' ' || *b == '\t')
		b++;
	len = strlen(b);
	while (len && (b[len - 1] == ' ' || b[len - 1] == '\t'))
		len--;
	if (!len)
		return NULL;
	buf_add(&out, b, len);
	if (b[len - 1] != '/')
		buf_addch(&out, '/');
	return buf_detach(&out, NULL);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* ---- the theme's part of the manifest ---- */

/* The theme's manifest.json as an object (the caller's), or NULL when
 * there is none or it is not valid (recorded in `d` unless NULL). */
static struct json_object *theme_manifest(const struct theme *t, struct diag *d)
{
	const struct theme_file *f = theme_get(t, "manifest.json");
	struct json_tokener *tok;
	struct json_object *o;

	if (!f)
		return NULL;
	tok = json_tokener_new();
	o = json_tokener_parse_ex(tok, f->data, (int)f->len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(o, json_type_object)) {
		if (d)
			diag_error(d, f->shown, 0, 0,
				   "invalid manifest.json: a JSON object is "
				   "expected");
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/* ---- template context ---- */

char *write_extras_base(const struct site *s)
{
	return extras_base(s);
}

void write_extras_book(struct ctx *x, const struct site *s, const char *base)
{
	if (!base)
		return;
	ctx_str(x, "url", base);
	if (s->cfg.cover && *s->cfg.cover) {
		struct buf img = BUF_INIT;
		buf_adds(&img, base);
		path_add_url(&img, s->cfg.cover, 0);
		ctx_str(x, "image", img.ptr);
		buf_release(&img);
	}
}

void write_extras_theme(struct ctx *x, const struct theme *t)
{
	struct json_object *tm = theme_manifest(t, NULL);
	const char *v;

	ctx_str(x, "name", t->name);
	if ((v = jobj_get_str(tm, "theme_color")))
		ctx_str(x, "color", v);
	if ((v = jobj_get_str(tm, "theme_color_dark")))
		ctx_str(x, "color_dark", v);
	json_object_put(tm);
}

void write_extras_page(struct ctx *x, const char *base, const char *path,
		       int chapter)
{
	if (base) {
		struct buf b = BUF_INIT;
		buf_adds(&b, base);
		if (strcmp(path, "index.html"))
			path_add_url(&b, path, 0);
		ctx_strn(x, "url", b.ptr, b.len);
		buf_release(&b);
	}
	{
		/* a chapter in a folder: its URLs within the site go up
		 * first */
		struct buf root = BUF_INIT;
		site_add_root(&root, path);
		ctx_strn(x, "root", root.ptr, root.len);
		buf_release(&root);
	}
	ctx_str(x, "og_type", chapter ? "article" : "website");
}

void write_extras_print_context(struct ctx *x, const struct site *s)
{
	struct buf body = BUF_INIT, href = BUF_INIT;
	size_t i, k, n;

	ctx_object(x, "print");
	ctx_array(x, "chapters");
	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];

		ctx_object(x, NULL);
		buf_reset(&body);
		buf_addf(&body,
			 WRITE_EXTRAS_BODY_OPEN "%zu" WRITE_EXTRAS_BODY_CLOSE,
			 i);
		const char *part = site_part_opened(s, i);

		ctx_str(x, "title", c->fm.title);
		if (part)
			ctx_str(x, "part", part);
		if (c->fm.summary && *c->fm.summary)
			ctx_str(x, "summary", c->fm.summary);
		if (c->fm.step)
			ctx_int(x, "step", c->fm.step);
		if (chapter_step_label(s, c)) {
			struct buf label = BUF_INIT;
			ctx_bool(x, "step_label", 1);
			i18n_format(&s->i18n, "step_of_guide",
				    (unsigned long long)c->fm.step, NULL,
				    &label);
			ctx_strn(x, "step_of_guide", label.ptr, label.len);
			buf_release(&label);
		}
		ctx_int(x, "number", (int64_t)i + 1);
		ctx_str(x, "slug", c->slug);
		ctx_int(x, "minutes", c->minutes);
		ctx_strn(x, "body", body.ptr, body.len);
		for (k = n = 0; k < c->n_headings; k++)
			n += c->headings[k].level == 2;
		if (n) {
			ctx_array(x, "sections");
			for (k = 0; k < c->n_headings; k++) {
				const struct heading *h = &c->headings[k];
				if (h->level != 2)
					continue;
				buf_reset(&href);
				buf_addf(&href, "#%s--%s", c->slug, h->id);
				ctx_object(x, NULL);
				ctx_str(x, "title", h->text);
				ctx_strn(x, "href", href.ptr, href.len);
				ctx_close(x);
			}
			ctx_close(x);
			ctx_bool(x, "has_sections", 1);
		}
		ctx_close(x);
	}
	ctx_close(x);
	ctx_close(x);
	ctx_bool(x, "is_print", 1);
	buf_release(&body);
	buf_release(&href);
}

int write_extras_print_fill(const struct site *s, const char *page, size_t len,
			    size_t total,
			    void (*body)(void *arg, size_t i, struct buf *out),
			    void *arg, struct buf *out, uint64_t *at)
{
	size_t ol = strlen(WRITE_EXTRAS_BODY_OPEN);
	size_t cl = strlen(WRITE_EXTRAS_BODY_CLOSE);
	const char *p = page, *done = page, *end = page + len;
	size_t next = 0;
	int in_order = 1;

	total += len;
	buf_grow(out, total + total / 16);
	while ((p = compat_memmem(p, (size_t)(end - p), WRITE_EXTRAS_BODY_OPEN,
				  ol))) {
		char *stop;
		unsigned long k = strtoul(p + ol, &stop, 10);
		if (stop == p + ol || (size_t)(end - stop) < cl ||
		    memcmp(stop, WRITE_EXTRAS_BODY_CLOSE, cl) ||
		    k >= s->n_chapters) {
			p += ol;
			continue;
		}
		buf_add(out, done, (size_t)(p - done));
		if (k != next++)
			in_order = 0;
		else if (at)
			at[2 * k] = out->len;
		body(arg, (size_t)k, out);
		if (at && in_order)
			at[2 * k + 1] = out->len;
		p = done = stop + cl;
	}
	buf_add(out, done, (size_t)(end - done));
	return in_order && next == s->n_chapters;
}

/* ---- the files ---- */

void write_extras_init(struct write_extras *x)
{
	memset(x, 0, sizeof(*x));
	x->hash = HASH_SEED;
}

void write_extras_release(struct write_extras *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		free(x->paths[i]);
	free(x->paths);
	memset(x, 0, sizeof(*x));
}

void write_extras_add(struct write_extras *x, const char *path,
		      const char *data, size_t len)
{
	write_extras_add_hashed(x, path, hash_mix(HASH_SEED, data, len));
}

void write_extras_add_hashed(struct write_extras *x, const char *path,
			     uint64_t content)
{
	x->paths = xgrow(x->paths, sizeof(*x->paths), x->n + 1, &x->cap);
	x->paths[x->n++] = xstrdup(path);
	x->hash = hash_str(x->hash, path);
	x->hash = hash_u64(x->hash, content);
}

/* Notes the file and hands it over. */
static void extras_emit(struct write_extras *x,
			void (*emit)(void *, const char *, char *, size_t),
			void *arg, const char *path, struct buf *b)
{
	size_t len;
	char *data;

	write_extras_add(x, path, b->ptr, b->len);
	data = buf_detach(b, &len);
	emit(arg, path, data, len);
}

/* Characters (not bytes) in the UTF-8 text from `p` to `end`. */
static size_t extras_chars(const char *p, const char *end)
{
	size_t n = 0;

	for (; p < end; p++)
		if (!UTF8_IS_CONT(*p))
			n++;
	return n;
}

char *write_extras_short_name(const struct site *s)
{
	struct json_object *v;
	const char *p = s->cfg.title ? s->cfg.title : "", *title, *end;

	if (s->cfg.params &&
	    json_object_object_get_ex(s->cfg.params, "short_title", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    *json_object_get_string(v))
		return xstrdup(json_object_get_string(v));
	while (*p == ' ')
		p++;
	title = end = p;
	while (*p) {
		const char *word_end;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		for (word_end = p; *word_end && *word_end != ' '; word_end++)
			;
		if (end > title &&
		    extras_chars(title, word_end) > SHORT_NAME_MAX)
			break;
		end = p = word_end;
	}
	if (extras_chars(title, end) > SHORT_NAME_MAX) {
		/* one long first word: cut it after SHORT_NAME_MAX characters */
		size_t n = 0;
		for (p = title; p < end; p++)
			if (((unsigned char)*p & 0xC0) != 0x80 &&
			    ++n > SHORT_NAME_MAX)
				break;
		end = p;
	}
	return xstrndup(title, (size_t)(end - title));
}

static void extras_manifest(const struct site *s, const struct theme *t,
			    struct json_object *tm, struct buf *out)
{
	static const char *const own[] = {
		"name",      "short_name", "description", "lang",
		"start_url", "scope",      "display",     "theme_color_dark",
	};
	struct json_object *m = json_object_new_object();
	char *short_name = write_extras_short_name(s);
	const char *display = jobj_get_str(tm, "display");
	size_t i;

	json_object_object_add(m, "name", json_object_new_string(s->cfg.title));
	json_object_object_add(m, "short_name",
			       json_object_new_string(short_name));
	free(short_name);
	if (s->cfg.description && *s->cfg.description)
		json_object_object_add(m, "description",
				       json_object_new_string(
					       s->cfg.description));
	json_object_object_add(m, "lang",
			       json_object_new_string(s->cfg.language));
	json_object_object_add(m, "start_url", json_object_new_string("./"));
	json_object_object_add(m, "scope", json_object_new_string("./"));
	json_object_object_add(m, "display",
			       json_object_new_string(display ? display
							      : "standalone"));
	if (tm) {
		json_object_object_foreach(tm, key, val)
		{
			for (i = 0; i < sizeof(own) / sizeof(*own); i++)
				if (!strcmp(key, own[i]))
					break;
			if (i == sizeof(own) / sizeof(*own))
				json_object_object_add(m, key,
						       json_object_get(val));
		}
	}
	if (!json_object_object_get_ex(m, "icons", NULL) &&
	    theme_get(t, "assets/icon.svg")) {
		struct json_object *icons = json_object_new_array();
		struct json_object *icon = json_object_new_object();
		json_object_object_add(icon, "src",
				       json_object_new_string(
					       "assets/icon.svg"));
		json_object_object_add(icon, "sizes",
				       json_object_new_string("any"));
		json_object_object_add(icon, "type",
				       json_object_new_string("image/svg+xml"));
		json_object_array_add(icons, icon);
		json_object_object_add(m, "icons", icons);
	}
	buf_adds(out,
		 json_object_to_json_string_ext(
			 m, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				    JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_addch(out, '\n');
	json_object_put(m);
}

/* In a book with translations, the page `p` in each language, as the
 * sitemap's alternates: xhtml:link elements under `url`. */
static void extras_sitemap_alternates(const struct site *s, const char *p,
				      xmlNodePtr url, xmlNsPtr xh)
{
	struct buf href = BUF_INIT;
	size_t ci = SITE_NONE, i;

	for (i = 0; i < s->n_chapters && ci == SITE_NONE; i++)
		if (!strcmp(s->chapters[i].html_name, p))
			ci = i;
	for (i = 0; i < s->n_languages; i++) {
		const struct site_language *l = &s->languages[i];
		const char *to = site_language_page(s, ci, p, l);
		char *base = extras_base(l->site);
		xmlNodePtr link;

		if (!base || !site_language_has(s, ci, l)) {
			free(base);
			continue;
		}
		buf_reset(&href);
		buf_adds(&href, base);
		if (strcmp(to, "index.html"))
			path_add_url(&href, to, 0);
		link = xmlNewChild(url, xh, BAD_CAST "link", NULL);
		xmlSetProp(link, BAD_CAST "rel", BAD_CAST "alternate");
		xmlSetProp(link, BAD_CAST "hreflang", BAD_CAST l->tag);
		xmlSetProp(link, BAD_CAST "href", BAD_CAST href.ptr);
		free(base);
	}
	buf_release(&href);
}

static int extras_sitemap(const struct write_extras *x, const struct site *s,
			  const char *base, struct buf *out, struct diag *d)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "urlset");
	xmlNsPtr ns = xmlNewNs(root, BAD_CAST SITEMAP_NS, NULL);
	xmlNsPtr xh = s->n_languages > 1 ? xmlNewNs(root, BAD_CAST XHTML_NS,
						    BAD_CAST "xhtml")
					 : NULL;
	xmlChar *mem = NULL;
	struct buf loc = BUF_INIT;
	size_t i;
	int size = 0;

	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	for (i = 0; i < x->n; i++) {
		const char *p = x->paths[i];
		xmlNodePtr url;
		if (!has_suffix(p, ".html") || !strcmp(p, "404.html") ||
		    !strcmp(p, WRITE_EXTRAS_PRINT) || site_redirects_has(s, p))
			continue;
		buf_reset(&loc);
		buf_adds(&loc, base);
		if (strcmp(p, "index.html"))
			path_add_url(&loc, p, 0);
		url = xmlNewChild(root, ns, BAD_CAST "url", NULL);
		xmlNewTextChild(url, ns, BAD_CAST "loc", BAD_CAST loc.ptr);
		if (xh)
			extras_sitemap_alternates(s, p, url, xh);
	}
	buf_release(&loc);
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!mem || size <= 0) {
		xmlFree(mem);
		return diag_error(d, "sitemap.xml", 0, 0,
				  "cannot write sitemap.xml");
	}
	buf_add(out, mem, (size_t)size);
	xmlFree(mem);
	return 0;
}

/* Whether the service worker caches `path` when it installs: the
 * theme's assets, the index and the cover, and the generated files at
 * the top (manifest, search index) but the ones only robots read. */
static int extras_core(const struct site *s, const char *path)
{
	if (!strcmp(path, "index.html") || !strncmp(path, "assets/", 7))
		return 1;
	if (s->cfg.cover && !strcmp(path, s->cfg.cover))
		return 1;
	return !strchr(path, '/') && !has_suffix(path, ".html") &&
	       strcmp(path, "robots.txt") && strcmp(path, "sitemap.xml");
}

/* The pack's strings that the theme's scripts show (the rest are in
 * the pages). */
static const char *const extras_script_strings[] = {
	"quiz_correct",  "quiz_not_quite", "quiz_no_answer",
	"quiz_score",    "actions_done",   "checklist_progress",
	"clear_confirm", "search_loading", "search_unavailable",
	"search_none",   "search_found",   "search_found_first",
	"offline_saved", "offline_saving", "offline_progress",
	"offline_done",  "offline_failed", "copy_code",
	"copied",        "copy_failed",
};

/* and those of the page the service worker shows offline */
static const char *const extras_offline_strings[] = {
	"offline_title", "offline_heading", "offline_text",
	"offline_start", "offline_tip",
};

/* {"lang": the book's language, "dir": its direction, "strings": the
 * `n` strings `keys` of the pack (a plural one as its mapping)}. */
static struct json_object *extras_text(const struct site *s,
				       const char *const *keys, size_t n)
{
	struct json_object *text = json_object_new_object();
	struct json_object *strings = json_object_new_object();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *v = jobj_get(s->i18n.strings, keys[i]);
		if (v)
			json_object_object_add(strings, keys[i],
					       json_object_get(v));
	}
	json_object_object_add(text, "lang",
			       json_object_new_string(s->cfg.language));
	json_object_object_add(text, "dir",
			       json_object_new_string(
				       i18n_is_rtl(&s->i18n) ? "rtl" : "ltr"));
	json_object_object_add(text, "strings", strings);
	return text;
}

/* Appends `js_name` = the JSON of `v` (released), as a statement. */
static void extras_js_value(struct buf *out, const char *js_name,
			    struct json_object *v)
{
	buf_addf(out, "self.%s = ", js_name);
	buf_adds(out, json_object_to_json_string_ext(
			      v, JSON_C_TO_STRING_PLAIN |
					 JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_adds(out, ";\n");
	json_object_put(v);
}

static void extras_strings(const struct site *s, struct buf *out)
{
	buf_adds(out, "/* stepbook: what the scripts show, in the book's "
		      "language */\n");
	extras_js_value(out, "STEPBOOK_TEXT",
			extras_text(s, extras_script_strings,
				    sizeof(extras_script_strings) /
					    sizeof(*extras_script_strings)));
}

static void extras_sw(struct write_extras *x, const struct site *s,
		      const struct theme_file *code, struct buf *out)
{
	struct json_object *build = json_object_new_object();
	struct json_object *core = json_object_new_array();
	struct json_object *files = json_object_new_array();
	char version[17];
	uint64_t h = hash_mix(x->hash, code->data, code->len);
	size_t i;

	/* as URLs relative to the site, which the worker resolves: a
	 * name with '#' or '?' is percent-encoded */
	for (i = 0; i < x->n; i++) {
		struct buf url = BUF_INIT;
		path_add_url(&url, x->paths[i], 0);
		json_object_array_add(files, json_object_new_string(url.ptr));
		if (extras_core(s, x->paths[i]))
			json_object_array_add(core,
					      json_object_new_string(url.ptr));
		buf_release(&url);
	}
	for (i = 0; i < 16; i++)
		version[i] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 15];
	version[16] = '\0';
	json_object_object_add(build, "book", json_object_new_string(s->slug));
	json_object_object_add(build, "version",
			       json_object_new_string(version));
	json_object_object_add(build, "core", core);
	json_object_object_add(build, "files", files);
	json_object_object_add(
		build, "text",
		extras_text(s, extras_offline_strings,
			    sizeof(extras_offline_strings) /
				    sizeof(*extras_offline_strings)));
	extras_js_value(out, "STEPBOOK_BUILD", build);
	buf_add(out, code->data, code->len);
}

int write_extras_finish(struct write_extras *x, const struct site *s,
			const struct theme *t,
			void (*emit)(void *arg, const char *path, char *data,
				     size_t len),
			void *arg, struct diag *d)
{
	struct json_object *tm = theme_manifest(t, d);
	const struct theme_file *code = theme_get(t, WRITE_EXTRAS_SW_SOURCE);
	char *base = extras_base(s);
	struct buf b = BUF_INIT;
	size_t errors = d->errors;

	extras_manifest(s, t, tm, &b);
	json_object_put(tm);
	extras_emit(x, emit, arg, "manifest.webmanifest", &b);

	if (!s->language) {
		/* robots read it at the top of the site only: it names the
		 * sitemap of each language */
		size_t i;
		buf_adds(&b, "User-agent: *\nDisallow:\n");
		if (base)
			buf_addf(&b, "\nSitemap: %ssitemap.xml\n", base);
		for (i = 1; base && i < s->n_languages; i++) {
			char *lb = extras_base(s->languages[i].site);
			if (lb)
				buf_addf(&b, "Sitemap: %ssitemap.xml\n", lb);
			free(lb);
		}
		extras_emit(x, emit, arg, "robots.txt", &b);
	}

	if (base && extras_sitemap(x, s, base, &b, d) == 0)
		extras_emit(x, emit, arg, "sitemap.xml", &b);
	buf_release(&b);

	extras_strings(s, &b);
	extras_emit(x, emit, arg, WRITE_EXTRAS_STRINGS, &b);

	if (code) {
		extras_sw(x, s, code, &b);
		extras_emit(x, emit, arg, WRITE_EXTRAS_SW, &b);
	}
	free(base);
	return d->errors > errors ? -1 : 0;
}
