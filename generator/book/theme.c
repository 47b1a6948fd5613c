#include "theme.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "fsutil.h"
#include "slug.h"
#include "tmpl.h"
#include "xalloc.h"

static struct theme_file *theme_slot(struct theme *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->n_files; i++)
		if (!strcmp(t->files[i].path, path)) {
			free(t->files[i].data);
			free(t->files[i].shown);
			return &t->files[i];
		}
	t->files = xrealloc(t->files, (t->n_files + 1) * sizeof(*t->files));
	t->files[t->n_files].path = xstrdup(path);
	return &t->files[t->n_files++];
}

static int theme_cmp(const void *a, const void *b)
{
	return strcmp(((const struct theme_file *)a)->path,
		      ((const struct theme_file *)b)->path);
}

void theme_list_shipped(struct buf *out)
{
	size_t i, start = out->len;
	const char *last = "";
	size_t last_len = 0;

	for (i = 0; i < embedded_count; i++) {
		const char *p = embedded_files[i].path + strlen("themes/");
		const char *slash = strchr(p, '/');
		if (strncmp(embedded_files[i].path, "themes/", 7))
			continue;
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == last_len && !strncmp(p, last, len))
			continue;
		if (out->len > start)
			buf_adds(out, ", ");
		buf_add(out, p, len);
		last = p;
		last_len = len;
	}
}

/* Adds theme `name`'s files to `t`: the shipped ones, then the book's own
 * themes/`name`/ files, which replace shipped files of the same path. */
static void theme_gather(struct theme *t, const char *name,
			 const char *book_root, struct diag *d)
{
	struct buf prefix = BUF_INIT;
	char *own_dir, *themes_dir;
	struct fs_tree tree;
	size_t i;

	buf_addf(&prefix, "themes/%s/", name);
	for (i = 0; i < embedded_count; i++) {
		const struct embedded_file *e = &embedded_files[i];
		struct theme_file *f;
		if (strncmp(e->path, prefix.ptr, prefix.len))
			continue;
		f = theme_slot(t, e->path + prefix.len);
		f->data = xstrndup(e->data, e->len);
		f->len = e->len;
		f->shown = xstrdup(e->path);
	}
	themes_dir = path_join(book_root, "themes");
	own_dir = path_join(themes_dir, name);
	free(themes_dir);
	/* the book's own files: only what lies inside the theme's folder
	 * (a symlink leading out of it is an error), each folder once */
	if (strchr(name, '/') || name[0] == '.' || !*name ||
	    fs_walk(own_dir, &tree) < 0)
		memset(&tree, 0, sizeof(tree));
	for (i = 0; i < tree.n_refused; i++) {
		const struct fs_refused *r = &tree.refused[i];
		struct buf why = BUF_INIT;
		char *shown;
		if (r->why == FS_SPECIAL)
			continue;
		shown = path_join(own_dir, r->path);
		fs_refusal_text(r, own_dir, &why);
		diag_error(d, shown, 0, 0, "'%s' %s", r->path, why.ptr);
		buf_release(&why);
		free(shown);
	}
	for (i = 0; i < tree.n_files; i++) {
		char *full = path_join(own_dir, tree.files[i]);
		struct buf data = BUF_INIT;
		long long mt = (long long)fs_mtime(full);
		if (fs_read_file(full, NULL, &data, d) == 0) {
			struct theme_file *f = theme_slot(t, tree.files[i]);
			f->len = data.len;
			f->data = buf_detach(&data, NULL);
			f->shown = full;
			full = NULL;
			if (mt > t->newest)
				t->newest = mt;
		}
		buf_release(&data);
		free(full);
	}
	fs_tree_release(&tree);
	free(own_dir);
	buf_release(&prefix);
}

/* The theme named by the first line of `t`'s file `parent` (surrounding
 * blanks dropped), or NULL when there is none. The caller's. */
static char *theme_parent_name(const struct theme *t)
{
	size_t i, start = 0, end;

	for (i = 0; i < t->n_files; i++) {
		const struct theme_file *f = &t->files[i];
		if (strcmp(f->path, "parent"))
			continue;
		while (start < f->len && strchr(" \t\r\n", f->data[start]))
			start++;
		end = start;
		while (end < f->len && !strchr(" \t\r\n", f->data[end]))
			end++;
		return end > start ? xstrndup(f->data + start, end - start)
				   : NULL;
	}
	return NULL;
}

/* Adds the files of `name`'s parents that `t` lacks, nearest parent first.
 * Returns 0, or -1 after recording an unknown parent or a loop. */
static int theme_inherit(struct theme *t, const char *name,
			 const char *book_root, struct diag *d)
{
	char *seen[THEME_MAX_PARENTS + 1];
	size_t n_seen = 0, i, j;
	char *parent = theme_parent_name(t);
	int r = 0;

	seen[n_seen++] = xstrdup(name);
	while (parent) {
		struct theme p;
		for (i = 0; i < n_seen && strcmp(seen[i], parent); i++)
			;
		if (i < n_seen || n_seen > THEME_MAX_PARENTS) {
			r = diag_error(
				d, NULL, 0, 0,
				i < n_seen ? "theme '%s' inherits from itself "
					     "through '%s'"
					   : "theme '%s' has too many parents "
					     "(at '%s')",
				name, parent);
			free(parent);
			break;
		}
		memset(&p, 0, sizeof(p));
		theme_gather(&p, parent, book_root, d);
		if (!p.n_files) {
			r = diag_error(d, NULL, 0, 0,
				       "unknown theme '%s', parent of '%s'",
				       parent, seen[n_seen - 1]);
			free(parent);
			break;
		}
		seen[n_seen++] = parent;
		parent = theme_parent_name(&p);
		for (i = 0; i < p.n_files; i++) {
			struct theme_file *f = &p.files[i];
			for (j = 0; j < t->n_files; j++)
				if (!strcmp(t->files[j].path, f->path))
					break;
			if (j < t->n_files) {
				free(f->path);
				free(f->data);
				free(f->shown);
				continue;
			}
			t->files = xrealloc(t->files, (t->n_files +
						       1) * sizeof(*t->files));
			t->files[t->n_files++] = *f;
		}
		if (p.newest > t->newest)
			t->newest = p.newest;
		free(p.files);
	}
	for (i = 0; i < n_seen; i++)
		free(seen[i]);
	return r;
}

/* Gives `t`, when neither it nor a parent has one, the default theme's
 * cover template (the book's own themes/default/ one if it has it): the
 * EPUB's cover is always made from a template. */
static void theme_default_cover(struct theme *t, const char *book_root,
				struct diag *d)
{
	struct theme def;
	size_t i;

	/* (t->files is not sorted yet: no theme_get()) */
	for (i = 0; i < t->n_files; i++)
		if (!strcmp(t->files[i].path, THEME_COVER))
			return;
	if (!strcmp(t->name, "default"))
		return;
	memset(&def, 0, sizeof(def));
	theme_gather(&def, "default", book_root, d);
	for (i = 0; i < def.n_files; i++) {
		struct theme_file *f = &def.files[i], *to;
		if (strcmp(f->path, THEME_COVER))
			continue;
		to = theme_slot(t, THEME_COVER);
		to->data = f->data;
		to->len = f->len;
		to->shown = f->shown;
		f->data = NULL;
		f->shown = NULL;
		if (def.newest > t->newest)
			t->newest = def.newest;
	}
	theme_release(&def);
}

/* Warns of a template whose name is no shipped template's but a near
 * miss of one (`chaptr.mustache`): a misnamed override, which nothing
 * renders. Other names are the theme's own partials. */
static void theme_check_names(const struct theme *t, struct diag *d)
{
	const char **names = xcalloc(embedded_count + 1, sizeof(*names));
	size_t i, j, n = 0;

	for (i = 0; i < embedded_count; i++) {
		const char *p = embedded_files[i].path, *dir;
		if (strncmp(p, "themes/", 7) ||
		    !(dir = strstr(p, "/templates/")) || strchr(dir + 11, '/'))
			continue;
		names[n++] = dir + 11;
	}
	for (i = 0; i < t->n_files; i++) {
		const char *p = t->files[i].path, *near;
		if (strncmp(p, "templates/", 10) || strchr(p + 10, '/'))
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(p + 10, names[j]))
				break;
		if (j < n || !(near = slug_closest_key(p + 10, names, n)))
			continue;
		diag_warning(d, t->files[i].shown, 0, 0,
			     "template '%s' is no "
			     "template of the theme, so nothing uses it; did you "
			     "mean '%s'?",
			     p + 10, near);
	}
	free(names);
}

int theme_load(struct theme *t, const char *name, const char *book_root,
	       struct diag *d)
{
	size_t i, errors = d->errors;

	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->templates = tmpl_set_new();
	theme_gather(t, name, book_root, d);
	if (!t->n_files) {
		struct buf list = BUF_INIT;
		theme_list_shipped(&list);
		diag_error(d, NULL, 0, 0, "unknown theme '%s'; available: %s",
			   name, list.ptr);
		buf_release(&list);
		return -1;
	}
	if (theme_inherit(t, name, book_root, d) < 0)
		return -1;
	theme_default_cover(t, book_root, d);
	qsort(t->files, t->n_files, sizeof(*t->files), theme_cmp);
	for (i = 0; i < t->n_files; i++) {
		const struct theme_file *f = &t->files[i];
		const char *base;
		size_t len = strlen(f->path);
		char *tname;
		if (len < 9 || strcmp(f->path + len - 9, ".mustache"))
			continue;
		base = strrchr(f->path, '/');
		base = base ? base + 1 : f->path;
		tname = xstrndup(base, strlen(base) - 9);
		tmpl_set_add(t->templates, tname, f->shown, f->data, f->len, d);
		free(tname);
	}
	theme_check_names(t, d);
	return d->errors > errors ? -1 : 0;
}

void theme_release(struct theme *t)
{
	size_t i;

	for (i = 0; i < t->n_files; i++) {
		free(t->files[i].path);
		free(t->files[i].data);
		free(t->files[i].shown);
	}
	free(t->files);
	if (t->templates)
		tmpl_set_free(t->templates);
	free(t->name);
	memset(t, 0, sizeof(*t));
}

const struct theme_file *theme_get(const struct theme *t, const char *path)
{
	size_t lo = 0, hi = t->n_files;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(path, t->files[mid].path);
		if (!c)
			return &t->files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
