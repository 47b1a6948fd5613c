#include "mdbook.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fsutil.h"
#include "jobj.h"
#include "path.h"
#include "summary.h"
#include "toml.h"
#include "xalloc.h"

/* The keys of book.toml that mean something here; a table on the way to
 * one (book, output, output.html) is no warning either. */
static const char *const mdbook_known[] = {
	"book.title",
	"book.authors",
	"book.description",
	"book.language",
	"book.src",
	"output.html.additional-css",
	"output.html.additional-js",
	"output.html.edit-url-template",
	"output.html.site-url",
	"output.html.redirect",
};

/* Keys that change nothing a reader sees here, taken without a word:
 * mdBook's own switches for its own build. */
static const char *const mdbook_quiet[] = {
	"book.multilingual",              /* no-op in mdBook itself */
	"output.html.git-repository-url", /* kept in book.params */
};

static int mdbook_listed(const char *path, const char *const *list, size_t n,
			 int prefix)
{
	size_t i, l = strlen(path);

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], path) ||
		    (prefix && !strncmp(list[i], path, l) && list[i][l] == '.'))
			return 1;
	return 0;
}

/* Warns once for each key (or table) of book.toml nothing here reads. */
static void mdbook_warn_unknown(struct json_object *where, const char *shown,
				const struct buf *text, struct diag *d)
{
	struct buf last = BUF_INIT;

	json_object_object_foreach(where, path, pos)
	{
		int line = json_object_get_int(
			json_object_array_get_idx(pos, 0));
		int col = json_object_get_int(
			json_object_array_get_idx(pos, 1));

		/* inside a table already warned about, or one read whole */
		if ((last.len && !strncmp(path, last.ptr, last.len) &&
		     path[last.len] == '.') ||
		    !strncmp(path, "output.html.redirect.", 21))
			continue;
		if (mdbook_listed(path, mdbook_known,
				  sizeof(mdbook_known) / sizeof(*mdbook_known),
				  1) ||
		    mdbook_listed(path, mdbook_quiet,
				  sizeof(mdbook_quiet) / sizeof(*mdbook_quiet),
				  0))
			continue;
		diag_warning(d, shown, line, col,
			     "'%s' is not supported by stepbook and is ignored",
			     path);
		diag_attach_source(d, text->ptr, text->len, line);
		buf_reset(&last);
		buf_adds(&last, path);
	}
	buf_release(&last);
}

/* Reads and parses book.toml; `text` keeps the file. */
static int mdbook_read(const char *toml, const char *shown, struct buf *text,
		       struct json_object **root, struct json_object **where,
		       struct diag *d)
{
	*root = *where = NULL;
	if (fs_read_file(toml, shown, text, d) < 0)
		return -1;
	return toml_parse(text->ptr, text->len, shown, root, where, d);
}

/* The string at dotted `path` of `root`, or NULL. */
static struct json_object *mdbook_get(struct json_object *root, const char *a,
				      const char *b, const char *c)
{
	struct json_object *v = jobj_get(root, a);

	if (v && b)
		v = jobj_get(v, b);
	if (v && c)
		v = jobj_get(v, c);
	return v;
}

/* The position of `path` in book.toml, 1:1 when unknown. */
static void mdbook_at(struct json_object *where, const char *path, int *line,
		      int *col)
{
	struct json_object *pos = jobj_get(where, path);

	*line = pos ? json_object_get_int(json_object_array_get_idx(pos, 0))
		    : 1;
	*col = pos ? json_object_get_int(json_object_array_get_idx(pos, 1)) : 1;
}

static int mdbook_src_of(struct json_object *root, struct json_object *where,
			 const char *shown, char **src, struct diag *d)
{
	struct json_object *v = mdbook_get(root, "book", "src", NULL);
	int line, col;

	*src = NULL;
	if (!v) {
		*src = xstrdup("src");
		return 0;
	}
	mdbook_at(where, "book.src", &line, &col);
	if (json_object_is_type(v, json_type_string))
		*src = path_normalize(json_object_get_string(v));
	if (!*src || !**src) {
		free(*src);
		*src = NULL;
		return diag_error(d, shown, line, col,
				  "'book.src' must name a folder inside the "
				  "book's folder");
	}
	return 0;
}

int mdbook_src(const char *toml, const char *toml_shown, char **src,
	       struct diag *d)
{
	struct json_object *root, *where;
	struct buf text = BUF_INIT;
	int r;

	*src = NULL;
	r = mdbook_read(toml, toml_shown, &text, &root, &where, d);
	buf_release(&text);
	if (r < 0)
		return -1;
	r = mdbook_src_of(root, where, toml_shown, src, d);
	json_object_put(root);
	json_object_put(where);
	return r;
}

/* Sets `key` of `out` to the string at `v` when it is one; an error at
 * `path` when it is something else. */
static void mdbook_string(struct json_object *out, const char *key,
			  struct json_object *v, struct json_object *where,
			  const char *path, const char *shown, struct diag *d)
{
	int line, col;

	if (!v)
		return;
	if (json_object_is_type(v, json_type_string)) {
		jobj_set(out, key, jobj_str(json_object_get_string(v)));
		return;
	}
	mdbook_at(where, path, &line, &col);
	diag_error(d, shown, line, col, "'%s' must be a string", path);
}

/* additional-css and additional-js: paths from the book's folder, which
 * must lie inside the source folder, where the site's files are. */
static void mdbook_files(struct json_object *out, const char *key,
			 struct json_object *v, const char *src,
			 struct json_object *where, const char *path,
			 const char *shown, struct diag *d)
{
	struct json_object *list = json_object_new_array();
	size_t i, n, sl = strlen(src);
	int line, col;

	mdbook_at(where, path, &line, &col);
	if (!json_object_is_type(v, json_type_array)) {
		diag_error(d, shown, line, col, "'%s' must be a list of files",
			   path);
		json_object_put(list);
		return;
	}
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(v, i);
		char *norm = json_object_is_type(f, json_type_string)
				     ? path_normalize(json_object_get_string(f))
				     : NULL;

		if (norm && !strncmp(norm, src, sl) && norm[sl] == '/')
			json_object_array_add(list, jobj_str(norm + sl + 1));
		else
			diag_warning(d, shown, line, col,
				     "'%s' lists '%s', which is not inside "
				     "%s/: only the source folder is "
				     "published, so it is left out",
				     path,
				     json_object_is_type(f, json_type_string)
					     ? json_object_get_string(f)
					     : "?",
				     src);
		free(norm);
	}
	jobj_set(out, key, list);
}

/* The settings book.yml would hold, made from book.toml. */
static struct json_object *mdbook_settings(struct json_object *root,
					   struct json_object *where,
					   const char *src, const char *shown,
					   const struct summary *sum,
					   struct diag *d)
{
	struct json_object *out = json_object_new_object(), *v;
	int line, col;

	mdbook_string(out, "title", mdbook_get(root, "book", "title", NULL),
		      where, "book.title", shown, d);
	if (!jobj_get_str(out, "title") && sum->title)
		jobj_set(out, "title", jobj_str(sum->title));
	if (!jobj_get_str(out, "title") || !*jobj_get_str(out, "title")) {
		/* mdBook allows a book with no title; ours is named by it */
		diag_warning(d, shown, 1, 1,
			     "no 'title' under [book]: the book is called "
			     "'Untitled'");
		jobj_set(out, "title", jobj_str("Untitled"));
	}
	v = mdbook_get(root, "book", "authors", NULL);
	if (v && json_object_is_type(v, json_type_array)) {
		struct buf a = BUF_INIT;
		size_t i;

		for (i = 0; i < json_object_array_length(v); i++) {
			const char *s = json_object_get_string(
				json_object_array_get_idx(v, i));
			if (a.len)
				buf_adds(&a, ", ");
			buf_adds(&a, s ? s : "");
		}
		jobj_set(out, "author", jobj_str(a.ptr));
		buf_release(&a);
	} else if (v) {
		mdbook_at(where, "book.authors", &line, &col);
		diag_error(d, shown, line, col,
			   "'book.authors' must be a list of names");
	}
	mdbook_string(out, "description",
		      mdbook_get(root, "book", "description", NULL), where,
		      "book.description", shown, d);
	mdbook_string(out, "language",
		      mdbook_get(root, "book", "language", NULL), where,
		      "book.language", shown, d);
	v = mdbook_get(root, "output", "html", "site-url");
	if (v && json_object_is_type(v, json_type_string)) {
		const char *u = json_object_get_string(v);

		/* mdBook's site-url is often only a path ("/book/"):
		 * base_url needs the whole address */
		if (!strncmp(u, "https://", 8) || !strncmp(u, "http://", 7)) {
			jobj_set(out, "base_url", jobj_str(u));
		} else {
			mdbook_at(where, "output.html.site-url", &line, &col);
			diag_warning(d, shown, line, col,
				     "'output.html.site-url' is '%s', not an "
				     "absolute http(s) address: the site gets "
				     "no base_url",
				     u);
		}
	}
	v = mdbook_get(root, "output", "html", "edit-url-template");
	if (v && json_object_is_type(v, json_type_string)) {
		/* mdBook's {path} starts at the book's folder, ours at
		 * the source folder */
		const char *t = json_object_get_string(v), *p;
		struct buf u = BUF_INIT;

		while ((p = strstr(t, "{path}"))) {
			buf_add(&u, t, (size_t)(p - t));
			buf_addf(&u, "%s/{path}", src);
			t = p + 6;
		}
		buf_adds(&u, t);
		jobj_set(out, "edit_url", jobj_str(u.ptr));
		buf_release(&u);
	}
	v = mdbook_get(root, "output", "html", "additional-css");
	if (v)
		mdbook_files(out, "extra_css", v, src, where,
			     "output.html.additional-css", shown, d);
	v = mdbook_get(root, "output", "html", "additional-js");
	if (v)
		mdbook_files(out, "extra_js", v, src, where,
			     "output.html.additional-js", shown, d);
	v = mdbook_get(root, "output", "html", "redirect");
	if (v)
		jobj_set(out, "redirects", json_object_get(v));
	/* mdBook passes raw HTML through */
	jobj_set(out, "unsafe_html", json_object_new_boolean(1));
	return out;
}

int mdbook_config_load(struct config *cfg, const char *toml,
		       const char *toml_shown, const char *content_dir,
		       const char *shown_dir, struct summary *sum,
		       struct diag *d)
{
	struct json_object *root = NULL, *where = NULL, *settings;
	struct buf text = BUF_INIT, spath = BUF_INIT, sshown = BUF_INIT;
	struct buf ttext = BUF_INIT;
	size_t errors = d->errors;
	char *src = NULL;

	memset(sum, 0, sizeof(*sum));
	buf_addf(&spath, "%s/SUMMARY.md", content_dir);
	buf_addf(&sshown, "%s/SUMMARY.md", shown_dir);
	if (mdbook_read(toml, toml_shown, &ttext, &root, &where, d) < 0 ||
	    mdbook_src_of(root, where, toml_shown, &src, d) < 0) {
		config_from_json(cfg, NULL, toml_shown, d);
		goto out;
	}
	mdbook_warn_unknown(where, toml_shown, &ttext, d);
	if (fs_read_file(spath.ptr, sshown.ptr, &text, d) == 0)
		summary_parse(text.ptr, text.len, sshown.ptr, sum, d);
	settings = mdbook_settings(root, where, src, toml_shown, sum, d);
	config_from_json(cfg, settings, toml_shown, d);
	mdbook_at(where, "output.html.redirect", &cfg->redirects_at.line,
		  &cfg->redirects_at.col);
	/* templates read book.toml's own keys as book.params */
	jobj_set(cfg->params, "mdbook", json_object_get(root));
	config_chapters_from(cfg, sum, sshown.ptr);
	cfg->mdbook = 1;
out:
	json_object_put(root);
	json_object_put(where);
	free(src);
	buf_release(&text);
	buf_release(&ttext);
	buf_release(&spath);
	buf_release(&sshown);
	return d->errors > errors ? -1 : 0;
}
