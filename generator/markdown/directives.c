#include "directives.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "path.h"
#include "utf8.h"
#include "xalloc.h"

/* One file being expanded: the chapter, or a file it includes. */
struct dx {
	const char *root;
	const char *file;  /* within root */
	const char *shown; /* in diagnostics */
	const char *text;
	size_t len;
	int line_offset;
	int depth;
	struct directives *res; /* its `lines` kept at depth 0 only */
	int src_line;           /* the source line reached (depth 0) */
	struct diag *d;
};

/* A directive as written: `{{#name args}}` from `start` to `end`. */
struct dx_dir {
	size_t start, end;
	const char *name, *args;
	size_t name_len, args_len;
};

enum dx_range { DX_ALL, DX_LINES, DX_ANCHOR };

struct dx_sel {
	enum dx_range kind;
	size_t from, to; /* DX_LINES: 0-based, `to` exclusive, SIZE_MAX: end */
	char *anchor;
};

int directives_present(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while ((p = memchr(p, '{', (size_t)(end - p))) && end - p >= 2) {
		if (p[1] == '{')
			return 1;
		p++;
	}
	return 0;
}

static int dx_error(struct dx *x, size_t at, const char *fmt, ...)
	COMPAT_PRINTF(3, 4);

static int dx_error(struct dx *x, size_t at, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	int line, col;

	diag_position(x->text, at, &line, &col);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(x->d, x->shown, line + x->line_offset, col, "%s", msg.ptr);
	diag_attach_source(x->d, x->text, x->len, line);
	buf_release(&msg);
	return -1;
}

static int dx_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int dx_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Reads `{{ #name args }}` at `at` (which starts "{{"), as mdBook's
 * pattern does: space may follow the braces, a name, then space and
 * arguments up to the first '}' that is followed by another. Returns 1
 * when it is one. `{{#name}}` (no arguments) is one too. */
static int dx_match(const struct dx *x, size_t at, struct dx_dir *dir)
{
	size_t i = at + 2;

	while (i < x->len && dx_space(x->text[i]))
		i++;
	if (i >= x->len || x->text[i] != '#')
		return 0;
	dir->name = x->text + ++i;
	while (i < x->len && dx_word(x->text[i]))
		i++;
	dir->name_len = (size_t)(x->text + i - dir->name);
	if (!dir->name_len)
		return 0;
	dir->args = x->text + i;
	dir->args_len = 0;
	if (i + 1 < x->len && x->text[i] == '}' && x->text[i + 1] == '}') {
		dir->start = at;
		dir->end = i + 2;
		return 1;
	}
	if (i >= x->len || !dx_space(x->text[i]))
		return 0;
	while (i < x->len && dx_space(x->text[i]))
		i++;
	dir->args = x->text + i;
	while (i < x->len && x->text[i] != '}')
		i++;
	if (i + 1 >= x->len || x->text[i + 1] != '}' ||
	    x->text + i == dir->args)
		return 0;
	dir->args_len = (size_t)(x->text + i - dir->args);
	while (dir->args_len && dx_space(dir->args[dir->args_len - 1]))
		dir->args_len--;
	dir->start = at;
	dir->end = i + 2;
	return 1;
}

static int dx_is(const struct dx_dir *dir, const char *name)
{
	return strlen(name) == dir->name_len &&
	       !memcmp(dir->name, name, dir->name_len);
}

/* Reads "N", "N:M", "N:", ":M" or an anchor name after the path's ':'. */
static void dx_parse_sel(const char *s, struct dx_sel *sel)
{
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long n;

	sel->kind = DX_LINES;
	sel->from = 0;
	sel->to = SIZE_MAX;
	if (*s && *s != ':') {
		errno = 0;
		n = strtoul(s, &end, 10);
		if (end == s || (*end && *end != ':') || errno || *s == '-' ||
		    *s == '+') {
			sel->kind = DX_ANCHOR;
			sel->anchor = xstrdup(s);
			return;
		}
		sel->from = n ? n - 1 : 0;
		if (!colon) {
			sel->to = sel->from + 1;
			return;
		}
	}
	if (colon) {
		errno = 0;
		n = strtoul(colon + 1, &end, 10);
		if (end != colon + 1 && !*end && !errno && colon[1] != '-' &&
		    colon[1] != '+')
			sel->to = n;
	}
}

/* Whether line [p, e) names an anchor start or end ("ANCHOR: name",
 * "ANCHOR_END: name"); stores the name. */
static int dx_anchor_line(const char *p, const char *e, int want_end,
			  const char **name, size_t *name_len)
{
	const char *tag = want_end ? "ANCHOR_END:" : "ANCHOR:";
	size_t tl = strlen(tag);
	const char *q;

	for (q = p; q + tl <= e; q++) {
		const char *n;

		if (memcmp(q, tag, tl) != 0)
			continue;
		/* "ANCHOR:" inside "ANCHOR_END:" does not start one */
		n = q + tl;
		while (n < e && dx_space(*n))
			n++;
		*name = n;
		while (n < e && (dx_word(*n) || *n == '-'))
			n++;
		*name_len = (size_t)(n - *name);
		if (*name_len)
			return 1;
	}
	return 0;
}

static int dx_is_anchor(const char *p, const char *e, const char *want,
			int want_end)
{
	const char *n;
	size_t l;

	return dx_anchor_line(p, e, want_end, &n, &l) &&
	       (!want || (strlen(want) == l && !memcmp(n, want, l)));
}

/* Takes the selected lines of `s` into `out` (lines joined by '\n', no
 * newline after the last, as mdBook does). With `hide`, lines outside
 * the selection are kept but start with "# " (rustdoc_include). Returns
 * the number of lines selected, or -1 when the anchor is not there. */
static long dx_take(const char *s, size_t len, const struct dx_sel *sel,
		    int hide, struct buf *out)
{
	size_t line = 0, pos = 0;
	long taken = 0;
	int inside = 0, found = 0, first = 1;

	while (pos < len) {
		const char *p = s + pos, *nl = memchr(p, '\n', len - pos);
		const char *e = nl ? nl : s + len;
		size_t ll = (size_t)(e - p);
		int keep = 0, show = 0;

		if (ll && p[ll - 1] == '\r')
			ll--;
		if (sel->kind == DX_ALL) {
			keep = show = 1;
		} else if (sel->kind == DX_LINES) {
			show = line >= sel->from && line < sel->to;
			keep = show || hide;
		} else if (inside) {
			if (dx_is_anchor(p, e, sel->anchor, 1)) {
				inside = 0;
				if (!hide)
					break;
			} else if (!dx_is_anchor(p, e, NULL, 0) &&
				   !dx_is_anchor(p, e, NULL, 1)) {
				keep = show = 1;
			}
		} else if (dx_is_anchor(p, e, sel->anchor, 0)) {
			inside = found = 1;
		} else {
			keep = hide && !dx_is_anchor(p, e, NULL, 1);
		}
		if (keep) {
			if (!first)
				buf_addch(out, '\n');
			first = 0;
			if (!show)
				buf_adds(out, "# ");
			buf_add(out, p, ll);
			taken += show;
		}
		pos = nl ? (size_t)(nl - s) + 1 : len;
		line++;
	}
	if (sel->kind == DX_ANCHOR && !found)
		return -1;
	return taken;
}

static int dx_expand(struct dx *x, struct buf *out);

/* The line map (struct directives' `lines`): each output line is
 * recorded, as it ends, with the source line it comes from. */
static void dx_line(struct dx *x, int src)
{
	struct directives *r = x->res;

	if (x->depth)
		return;
	r->lines = xrealloc(r->lines, (r->n_lines + 1) * sizeof(*r->lines));
	r->lines[r->n_lines++] = src;
}

/* Copies source text [from, to) to the output. */
static void dx_src(struct dx *x, struct buf *out, size_t from, size_t to)
{
	size_t k;

	buf_add(out, x->text + from, to - from);
	for (k = from; k < to; k++)
		if (x->text[k] == '\n')
			dx_line(x, x->src_line++);
}

/* Skips source text [from, to) (a directive). */
static void dx_skip(struct dx *x, size_t from, size_t to)
{
	for (; from < to; from++)
		if (x->text[from] == '\n')
			x->src_line++;
}

/* Adds text made by a directive on the current source line. */
static void dx_ins(struct dx *x, struct buf *out, const char *s, size_t len)
{
	size_t k;

	buf_add(out, s, len);
	for (k = 0; k < len; k++)
		if (s[k] == '\n')
			dx_line(x, x->src_line);
}

/* Reads the file a directive names, relative to the file being
 * expanded, into `text`; `*inner` gets its path within root. */
static int dx_read(struct dx *x, const struct dx_dir *dir, const char *rel,
		   char **inner, struct buf *text)
{
	char *base = xstrdup(x->file), *slash = strrchr(base, '/');
	char *joined, *full, *real_root = NULL, *real = NULL;
	struct diag quiet;
	struct stat st;
	int r = -1;

	if (slash)
		*slash = '\0';
	else
		*base = '\0';
	joined = path_join(base, rel);
	*inner = rel[0] == '/' ? NULL : path_normalize(joined);
	free(joined);
	free(base);
	if (!*inner)
		return dx_error(x, dir->start,
				"'%s' is outside the book's source folder",
				rel);
	full = path_join(x->root, *inner);
	/* a symlink may not lead out either */
	real_root = fs_resolve(x->root);
	real = stat(full, &st) == 0 ? fs_resolve(full) : NULL;
	if (!real) {
		dx_error(x, dir->start, "cannot include '%s': no such file",
			 rel);
	} else if (!real_root || !path_within(real, real_root)) {
		dx_error(x, dir->start,
			 "'%s' is outside the book's source folder", rel);
	} else {
		diag_init(&quiet);
		if (fs_read_file(full, rel, text, &quiet) < 0)
			dx_error(x, dir->start, "cannot include '%s': %s", rel,
				 quiet.n ? quiet.v[0].msg : "unreadable");
		else if (!utf8_valid(text->ptr, text->len, NULL) ||
			 strlen(text->ptr) != text->len)
			dx_error(x, dir->start,
				 "cannot include '%s': it is not UTF-8 text",
				 rel);
		else
			r = 0;
		diag_release(&quiet);
	}
	free(full);
	free(real);
	free(real_root);
	if (r < 0) {
		free(*inner);
		*inner = NULL;
	}
	return r;
}

static void dx_add_file(struct directives *res, const char *file)
{
	size_t i;

	for (i = 0; i < res->n_files; i++)
		if (!strcmp(res->files[i], file))
			return;
	res->files = xrealloc(res->files,
			      (res->n_files + 1) * sizeof(*res->files));
	res->files[res->n_files++] = xstrdup(file);
}

/* The text of an include, rustdoc_include or playground, expanded in
 * turn, into `out`. */
static int dx_file(struct dx *x, const struct dx_dir *dir, struct buf *out)
{
	char *args = xstrndup(dir->args, dir->args_len);
	char *path = args, *attrs, *colon = NULL, *inner = NULL;
	struct buf text = BUF_INIT, taken = BUF_INIT;
	struct dx_sel sel = { DX_ALL, 0, SIZE_MAX, NULL };
	int play = dx_is(dir, "playground") || dx_is(dir, "playpen");
	int rustdoc = dx_is(dir, "rustdoc_include");
	int r = -1;
	long n;
	struct dx sub;

	attrs = path + strcspn(path, " \t\r\n");
	if (*attrs) {
		*attrs++ = '\0';
		while (dx_space(*attrs))
			attrs++;
	}
	if (!play && (colon = strchr(path, ':'))) {
		*colon = '\0';
		dx_parse_sel(colon + 1, &sel);
	}
	if (!*path) {
		dx_error(x, dir->start, "'{{#%.*s}}' names no file",
			 (int)dir->name_len, dir->name);
		goto out;
	}
	if (x->depth >= DIRECTIVES_MAX_DEPTH) {
		dx_error(x, dir->start,
			 "includes nested more than %d deep (does a file "
			 "include itself?)",
			 DIRECTIVES_MAX_DEPTH);
		goto out;
	}
	if (dx_read(x, dir, path, &inner, &text) < 0)
		goto out;
	dx_add_file(x->res, inner);
	n = dx_take(text.ptr, text.len, &sel, rustdoc, &taken);
	if (n < 0) {
		dx_error(x, dir->start, "no anchor '%s' in '%s'", sel.anchor,
			 path);
		goto out;
	}
	if (sel.kind == DX_LINES && n == 0 && sel.to > sel.from) {
		dx_error(x, dir->start,
			 "'%s' has no line %zu (the range is past its end)",
			 path, sel.from + 1);
		goto out;
	}
	if (play) {
		/* mdBook's playground: the file as a Rust code block, the
		 * directive's words as the block's attributes */
		char *a;

		buf_adds(out, "```rust");
		for (a = attrs; *a;) {
			size_t l = strcspn(a, " \t\r\n");

			buf_addch(out, ',');
			buf_add(out, a, l);
			a += l;
			while (dx_space(*a))
				a++;
		}
		buf_addch(out, '\n');
		buf_add(out, taken.ptr, taken.len);
		if (taken.len && taken.ptr[taken.len - 1] != '\n')
			buf_addch(out, '\n');
		buf_adds(out, "```\n");
		r = 0;
		goto out;
	}
	sub = *x;
	sub.file = inner;
	sub.shown = inner;
	sub.text = taken.ptr;
	sub.len = taken.len;
	sub.line_offset = 0;
	sub.depth = x->depth + 1;
	r = dx_expand(&sub, out);
out:
	free(args);
	free(sel.anchor);
	free(inner);
	buf_release(&text);
	buf_release(&taken);
	return r;
}

static int dx_expand(struct dx *x, struct buf *out)
{
	size_t i = 0, done = 0;
	int r = 0;

	while (i < x->len) {
		struct dx_dir dir;

		if (x->text[i] == '\\' && i + 3 < x->len &&
		    !memcmp(x->text + i + 1, "{{#", 3)) {
			/* mdBook: "\{{#...}}" up to the last "}}" of the line
			 * is written as it is, without the backslash */
			const char *e = memchr(x->text + i, '\n', x->len - i);
			size_t end = e ? (size_t)(e - x->text) : x->len, k;

			for (k = end; k >= i + 5; k--)
				if (!memcmp(x->text + k - 2, "}}", 2))
					break;
			if (k >= i + 5) {
				dx_src(x, out, done, i);
				dx_src(x, out, i + 1, k);
				i = done = k;
				continue;
			}
		}
		if (x->text[i] != '{' || i + 1 >= x->len ||
		    x->text[i + 1] != '{' || !dx_match(x, i, &dir)) {
			i++;
			continue;
		}
		if (dx_is(&dir, "title") && dir.args_len) {
			free(x->res->title);
			x->res->title = xstrndup(dir.args, dir.args_len);
			dx_src(x, out, done, dir.start);
		} else if ((dx_is(&dir, "include") ||
			    dx_is(&dir, "rustdoc_include") ||
			    dx_is(&dir, "playground") ||
			    dx_is(&dir, "playpen")) &&
			   dir.args_len) {
			struct buf inc = BUF_INIT;
			size_t line_start = dir.start, k;

			while (line_start > 0 &&
			       x->text[line_start - 1] != '\n')
				line_start--;
			dx_src(x, out, done, dir.start);
			if (dx_file(x, &dir, &inc) < 0) {
				r = -1;
			} else {
				/* as mdBook, which joins the lines */
				if (inc.len && inc.ptr[inc.len - 1] == '\n')
					buf_truncate(&inc, inc.len - 1);
				/* lines after the first get the text that
				 * stands before the directive on its line */
				for (k = 0; k < inc.len; k++) {
					dx_ins(x, out, inc.ptr + k, 1);
					if (inc.ptr[k] == '\n' &&
					    k + 1 < inc.len)
						dx_ins(x, out,
						       x->text + line_start,
						       dir.start - line_start);
				}
			}
			buf_release(&inc);
		} else {
			i = dir.end;
			continue; /* left for the Markdown pass */
		}
		dx_skip(x, dir.start, dir.end);
		i = done = dir.end;
	}
	dx_src(x, out, done, x->len);
	dx_line(x, x->src_line);
	return r;
}

int directives_expand(const char *text, size_t len, const char *root,
		      const char *file, const char *shown, int line_offset,
		      struct buf *out, struct directives *res, struct diag *d)
{
	struct dx x;

	memset(res, 0, sizeof(*res));
	x.root = root;
	x.file = file;
	x.shown = shown;
	x.text = text;
	x.len = len;
	x.line_offset = line_offset;
	x.depth = 0;
	x.src_line = 1;
	x.res = res;
	x.d = d;
	return dx_expand(&x, out);
}

void directives_release(struct directives *res)
{
	size_t i;

	for (i = 0; i < res->n_files; i++)
		free(res->files[i]);
	free(res->files);
	free(res->title);
	free(res->lines);
	memset(res, 0, sizeof(*res));
}
