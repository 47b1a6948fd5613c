#include "pages.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fsutil.h"
#include "i18n.h"
#include "incremental.h"
#include "langtag.h"
#include "pool.h"
#include "site.h"
#include "theme.h"
#include "write_extras.h"
#include "xalloc.h"

/* The interface string `key` of the book's language for the number `n`
 * (i18n_format()), as `name`. */
static void pages_text(struct ctx *x, const struct site *s, const char *name,
		       const char *key, unsigned long long n)
{
	struct buf text = BUF_INIT;

	i18n_format(&s->i18n, key, n, s->cfg.title, &text);
	ctx_strn(x, name, text.ptr, text.len);
	buf_release(&text);
}

/* "1 action", "5 actions", in the book's language. */
static void pages_actions(struct ctx *x, const struct site *s, const char *name,
			  size_t n)
{
	struct buf text = BUF_INIT;

	i18n_format(&s->i18n, "actions", n, NULL, &text);
	ctx_strn(x, name, text.ptr, text.len);
	buf_release(&text);
}

/* Each of a chapter's strings with a number: its name in the contexts,
 * its interface string, and whether the book's title goes in. */
static const struct {
	const char *name, *key;
	int titled;
} pages_text_kinds[PAGES_N_TEXTS] = {
	{ "step_text", "step_n", 1 },
	{ "step_of_guide", "step_of_guide", 1 },
	{ "minutes_read", "min_read", 1 },
	{ "minutes_short", "min_short", 1 },
	{ "tasks_text", "actions", 0 },
};

/* The strings made for a block of entries, by kind and number: most
 * chapters share their reading time and their number of tasks with
 * others, so each such string is made once a block, the others are new
 * references to it. */
#define PAGES_MEMO 64

struct pages_memo {
	size_t n;
	struct {
		int kind;
		unsigned long long num;
		const struct ctx_value *v;
	} v[PAGES_MEMO];
};

/* Makes `v` the string of `kind` for the number `num`, or takes it from
 * `memo`. */
static void pages_text_value(const struct pages *p, struct pages_memo *memo,
			     int kind, unsigned long long num,
			     struct ctx_value *v)
{
	const struct site *s = p->s;
	struct buf text = BUF_INIT;
	size_t i;

	for (i = 0; i < memo->n; i++)
		if (memo->v[i].kind == kind && memo->v[i].num == num) {
			*v = *memo->v[i].v;
			if (v->json)
				json_object_get(v->json);
			return;
		}
	i18n_format(&s->i18n, pages_text_kinds[kind].key, num,
		    pages_text_kinds[kind].titled ? s->cfg.title : NULL, &text);
	ctx_value_strn(v, p->mode, text.ptr, text.len);
	buf_release(&text);
	if (memo->n < PAGES_MEMO) {
		memo->v[memo->n].kind = kind;
		memo->v[memo->n].num = num;
		memo->v[memo->n++].v = v;
	}
}

/* Chapter `i`'s strings (struct pages_texts). */
static void pages_texts_make(const struct pages *p, struct pages_memo *memo,
			     size_t i, struct pages_texts *t)
{
	const struct chapter *c = &p->s->chapters[i];

	if (chapter_step_label(p->s, c)) {
		pages_text_value(p, memo, PAGES_STEP_TEXT,
				 (unsigned long long)c->fm.step,
				 &t->v[PAGES_STEP_TEXT]);
		pages_text_value(p, memo, PAGES_STEP_OF_GUIDE,
				 (unsigned long long)c->fm.step,
				 &t->v[PAGES_STEP_OF_GUIDE]);
	}
	pages_text_value(p, memo, PAGES_MINUTES_READ,
			 (unsigned long long)c->minutes,
			 &t->v[PAGES_MINUTES_READ]);
	pages_text_value(p, memo, PAGES_MINUTES_SHORT,
			 (unsigned long long)c->minutes,
			 &t->v[PAGES_MINUTES_SHORT]);
	pages_text_value(p, memo, PAGES_TASKS_TEXT,
			 (unsigned long long)c->n_tasks,
			 &t->v[PAGES_TASKS_TEXT]);
}

static void pages_put_text(struct ctx *x, const struct pages_texts *t, int kind)
{
	ctx_value(x, pages_text_kinds[kind].name, &t->v[kind]);
}

/* What a chapter's entry and page say of its step and reading time. */
static void pages_step_time(struct ctx *x, const struct pages *p, size_t i)
{
	const struct pages_texts *t = &p->texts[i];

	if (chapter_step_label(p->s, &p->s->chapters[i])) {
		pages_put_text(x, t, PAGES_STEP_TEXT);
		pages_put_text(x, t, PAGES_STEP_OF_GUIDE);
	}
	pages_put_text(x, t, PAGES_MINUTES_READ);
	pages_put_text(x, t, PAGES_MINUTES_SHORT);
}

/* A chapter in a language of its own: its `lang` and `dir`. */
static void pages_language(struct ctx *x, const struct site *s,
			   const struct chapter *c)
{
	char tag[64];

	if (!chapter_language(c, s->cfg.language, tag, sizeof(tag)))
		return;
	ctx_str(x, "lang", tag);
	ctx_str(x, "dir", langtag_is_rtl(tag) ? "rtl" : "ltr");
}

/* Every interface string that takes no number, by its key, with the
 * book's title put in: the pages' `t`. */
static void pages_strings(struct ctx *x, const struct site *s)
{
	json_object_object_foreach(s->i18n.strings, key, v)
	{
		if (json_object_is_type(v, json_type_string) &&
		    !strstr(json_object_get_string(v), "{n}"))
			pages_text(x, s, key, key, 0);
	}
}

/* A chapter's entry in the list of chapters (on its own page, the
 * sidebar's entry has `current` after these: pages_nav()). */
static void pages_entry(struct ctx *x, const struct pages *p, size_t i)
{
	const struct site *s = p->s;
	const struct chapter *c = &s->chapters[i];
	const char *part = site_part_opened(s, i);

	ctx_str(x, "title", c->fm.title);
	ctx_str(x, "summary", c->fm.summary);
	ctx_str(x, "href", c->html_name);
	ctx_str(x, "slug", c->slug);
	ctx_int(x, "number", (int64_t)i + 1);
	if (part)
		ctx_str(x, "part", part);
	if (c->depth) {
		/* a nested chapter (SUMMARY.md): its level in the tree, for
		 * aria-level, 2 under a top-level one */
		ctx_bool(x, "nested", 1);
		ctx_int(x, "level", c->depth + 1);
	}
	if (c->separator)
		ctx_bool(x, "separator", 1);
	if (c->fm.step)
		ctx_int(x, "step", c->fm.step);
	if (chapter_step_label(s, c))
		ctx_bool(x, "step_label", 1);
	ctx_int(x, "minutes", c->minutes);
	pages_step_time(x, p, i);
	ctx_int(x, "tasks", (int64_t)c->n_tasks);
	pages_put_text(x, &p->texts[i], PAGES_TASKS_TEXT);
}

/* A chapter as another page links to it: its title and page. */
static void pages_link(struct ctx *x, const char *name, const struct chapter *c)
{
	ctx_object(x, name);
	ctx_str(x, "title", c->fm.title);
	ctx_str(x, "href", c->html_name);
	ctx_close(x);
}

/* The files of `f` as an array `name` of URLs relative to the site. */
static void pages_urls(struct ctx *x, const char *name,
		       const struct config_files *f)
{
	struct buf url = BUF_INIT;
	size_t i;

	ctx_array(x, name);
	for (i = 0; i < f->n; i++) {
		buf_reset(&url);
		path_add_url(&url, f->v[i], 0);
		ctx_str(x, NULL, url.ptr);
	}
	ctx_close(x);
	buf_release(&url);
}

static void pages_book(struct ctx *x, const struct site *s, const char *epub,
		       const char *base)
{
	ctx_str(x, "title", s->cfg.title);
	ctx_str(x, "slug", s->slug);
	ctx_str(x, "subtitle", s->cfg.subtitle);
	ctx_str(x, "author", s->cfg.author);
	ctx_str(x, "description", s->cfg.description);
	ctx_str(x, "language", s->cfg.language);
	ctx_str(x, "base_url", s->cfg.base_url);
	if (s->cfg.cover) {
		/* a URL relative to the site: a name with '#' or a space
		 * works */
		struct buf url = BUF_INIT;
		path_add_url(&url, s->cfg.cover, 0);
		ctx_str(x, "cover", url.ptr);
		buf_release(&url);
	}
	if (epub)
		ctx_str(x, "epub", epub);
	ctx_int(x, "tasks", (int64_t)s->n_tasks);
	pages_actions(x, s, "tasks_text", s->n_tasks);
	if (i18n_is_rtl(&s->i18n))
		ctx_str(x, "dir", "rtl");
	ctx_json(x, "params", s->cfg.params);
	pages_urls(x, "extra_css", &s->cfg.extra_css);
	pages_urls(x, "extra_js", &s->cfg.extra_js);
	write_extras_book(x, s, base);
}

/* The chapters' entries are made in blocks of this many, on every core:
 * each is a context of its own, and in a book of thousands of chapters
 * making them, with a json-c table apiece, is most of pages_init(). */
#define PAGES_ENTRY_BLOCK 128

static void pages_entries_job(void *ctx, size_t job, size_t worker)
{
	struct pages *p = ctx;
	size_t i = job * PAGES_ENTRY_BLOCK, end = i + PAGES_ENTRY_BLOCK;
	struct pages_memo memo;
	struct ctx x;

	(void)worker;
	memo.n = 0;
	if (end > p->s->n_chapters)
		end = p->s->n_chapters;
	for (; i < end; i++) {
		pages_texts_make(p, &memo, i, &p->texts[i]);
		ctx_begin(&x, p->mode, 0);
		pages_entry(&x, p, i);
		ctx_end_value(&x, &p->entry[i]);
	}
}

void pages_init(struct pages *p, const struct site *s, const struct theme *t,
		const struct incr *inc, const char *epub, enum ctx_mode mode)
{
	struct ctx x;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->s = s;
	p->t = t;
	p->inc = inc;
	p->mode = mode;
	p->base = write_extras_base(s);
	ctx_begin(&x, mode, 0);
	pages_book(&x, s, epub, p->base);
	ctx_end_value(&x, &p->book);
	p->entry = xcalloc(s->n_chapters + 1, sizeof(*p->entry));
	p->texts = xcalloc(s->n_chapters + 1, sizeof(*p->texts));
	pool_run((s->n_chapters + PAGES_ENTRY_BLOCK - 1) / PAGES_ENTRY_BLOCK, 0,
		 pages_entries_job, p);
	ctx_begin(&x, mode, 1);
	for (i = 0; i < s->n_chapters; i++)
		ctx_value(&x, NULL, &p->entry[i]);
	ctx_end_value(&x, &p->chapters);
	if (s->n_chapters) {
		ctx_begin(&x, mode, 0);
		ctx_str(&x, "title", s->chapters[0].fm.title);
		ctx_str(&x, "href", s->chapters[0].html_name);
		ctx_end_value(&x, &p->start);
	}
	ctx_begin(&x, mode, 0);
	write_extras_theme(&x, t);
	ctx_end_value(&x, &p->theme);
	ctx_begin(&x, mode, 0);
	pages_strings(&x, s);
	ctx_end_value(&x, &p->strings);
}

void pages_release(struct pages *p)
{
	size_t i;

	ctx_value_release(&p->book);
	ctx_value_release(&p->chapters);
	ctx_value_release(&p->start);
	ctx_value_release(&p->theme);
	ctx_value_release(&p->strings);
	for (i = 0; p->entry && i < p->s->n_chapters; i++)
		ctx_value_release(&p->entry[i]);
	free(p->entry);
	for (i = 0; p->texts && i < p->s->n_chapters; i++) {
		int k;
		for (k = 0; k < PAGES_N_TEXTS; k++)
			ctx_value_release(&p->texts[i].v[k]);
	}
	free(p->texts);
	free(p->base);
	memset(p, 0, sizeof(*p));
}

/* The sidebar's list, around chapter `current` (SITE_NONE on pages that
 * are no chapter). */
static void pages_nav(const struct pages *p, struct ctx *x, size_t current)
{
	size_t n = p->s->n_chapters, i, lo, hi;

	ctx_array(x, "nav");
	if (n <= PAGES_NAV_FULL) {
		lo = 0;
		hi = n ? n - 1 : 0;
	} else if (current == SITE_NONE) {
		lo = 0;
		hi = 2 * PAGES_NAV_AROUND;
	} else {
		lo = current > PAGES_NAV_AROUND ? current - PAGES_NAV_AROUND
						: 0;
		hi = current + PAGES_NAV_AROUND;
	}
	if (hi >= n)
		hi = n ? n - 1 : 0;
	if (lo > 0) {
		ctx_value(x, NULL, &p->entry[0]);
		if (lo > 1) {
			ctx_object(x, NULL);
			ctx_bool(x, "gap", 1);
			ctx_close(x);
		}
	}
	for (i = lo; n && i <= hi; i++) {
		if (i != current) {
			ctx_value(x, NULL, &p->entry[i]);
			continue;
		}
		/* the chapter's entry, and `current` last, as
		 * pages_entry() puts it */
		ctx_object_from(x, NULL, &p->entry[i]);
		ctx_bool(x, "current", 1);
		ctx_close(x);
	}
	if (hi + 1 < n) {
		if (hi + 2 < n) {
			ctx_object(x, NULL);
			ctx_bool(x, "gap", 1);
			ctx_close(x);
		}
		ctx_value(x, NULL, &p->entry[n - 1]);
	}
	ctx_close(x);
}

/* In a book with translations, `languages`: each language's version of
 * the page `page` (chapter `ci`, or SITE_NONE), for the language switcher
 * and the hreflang links: its tag, its name, its URL relative to this
 * page, its absolute URL when its book has a base_url, and `current`
 * for this page's own. */
static void pages_languages(const struct pages *p, struct ctx *x, size_t ci,
			    const char *page)
{
	const struct site *s = p->s;
	struct buf href = BUF_INIT;
	size_t i;

	if (s->n_languages < 2)
		return;
	ctx_bool(x, "multilingual", 1);
	ctx_array(x, "languages");
	for (i = 0; i < s->n_languages; i++) {
		const struct site_language *l = &s->languages[i];
		const char *to = site_language_page(s, ci, page, l);
		char *base = write_extras_base(l->site);

		ctx_object(x, NULL);
		ctx_str(x, "tag", l->tag);
		ctx_str(x, "name", l->name);
		buf_reset(&href);
		site_add_root(&href, page);
		if (*s->languages[s->language].dir)
			buf_adds(&href, "../");
		buf_adds(&href, l->dir);
		path_add_url(&href, to, 0);
		ctx_strn(x, "href", href.ptr, href.len);
		if (!site_language_has(s, ci, l)) {
			/* its index stands in: no alternate of this page */
		} else if (base) {
			/* hreflang links are best absolute */
			buf_reset(&href);
			buf_adds(&href, base);
			if (strcmp(to, "index.html"))
				path_add_url(&href, to, 0);
			ctx_strn(x, "alternate", href.ptr, href.len);
		} else {
			ctx_strn(x, "alternate", href.ptr, href.len);
		}
		if (i == s->language)
			ctx_bool(x, "current", 1);
		if (langtag_is_rtl(l->tag))
			ctx_str(x, "dir", "rtl");
		ctx_close(x);
		free(base);
	}
	ctx_close(x);
	buf_release(&href);
}

/* What every page's context holds. */
static void pages_common(const struct pages *p, struct ctx *x, size_t current)
{
	ctx_value(x, "book", &p->book);
	ctx_value(x, "chapters", &p->chapters);
	pages_nav(p, x, current);
	if (p->s->n_chapters)
		ctx_value(x, "start", &p->start);
	ctx_str(x, "generator", "stepbook " STEPBOOK_VERSION);
	ctx_value(x, "theme", &p->theme);
	ctx_value(x, "t", &p->strings);
}

/* The chapters in their parts, for the index: a run of chapters in no
 * part is a part without a title. */
static void pages_parts(const struct pages *p, struct ctx *x)
{
	const struct site *s = p->s;
	size_t i;

	ctx_array(x, "parts");
	for (i = 0; i < s->n_chapters; i++) {
		const char *title = site_part_opened(s, i);
		if (i == 0 || title ||
		    s->chapters[i].part != s->chapters[i - 1].part) {
			if (i > 0) {
				ctx_close(x); /* chapters */
				ctx_close(x); /* the part */
			}
			ctx_object(x, NULL);
			ctx_str(x, "title", title ? title : "");
			ctx_array(x, "chapters");
		}
		ctx_value(x, NULL, &p->entry[i]);
	}
	if (s->n_chapters) {
		ctx_close(x);
		ctx_close(x);
	}
	ctx_close(x);
}

void pages_index(const struct pages *p, struct ctx *x)
{
	pages_common(p, x, SITE_NONE);
	pages_parts(p, x);
	pages_languages(p, x, SITE_NONE, "index.html");
	ctx_bool(x, "is_index", 1);
	if (p->s->n_languages > 1 && p->s->language == 0)
		/* the page readers arrive at: it may send them on to
		 * their own language */
		ctx_bool(x, "language_home", 1);
	write_extras_page(x, p->base, "index.html", 0);
}

void pages_404(const struct pages *p, struct ctx *x)
{
	pages_common(p, x, SITE_NONE);
	pages_languages(p, x, SITE_NONE, "404.html");
	ctx_bool(x, "is_404", 1);
	write_extras_page(x, p->base, "404.html", 0);
}

void pages_print(const struct pages *p, struct ctx *x)
{
	pages_common(p, x, SITE_NONE);
	write_extras_print_context(x, p->s);
	pages_languages(p, x, SITE_NONE, "print.html");
	write_extras_page(x, p->base, WRITE_EXTRAS_PRINT, 0);
}

/* Makes a chapter page's body, for ctx_lazy(). */
struct pages_body {
	const struct pages *p;
	size_t ci;
};

static void pages_body(void *arg, struct buf *out)
{
	const struct pages_body *b = arg;

	incr_body(b->p->inc, b->p->s, b->ci, RENDER_SITE, out, NULL);
}

static void pages_toc(struct ctx *x, const struct chapter *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->n_headings; i++)
		n += c->headings[i].level <= 3;
	if (!n)
		return;
	ctx_array(x, "toc");
	for (i = 0; i < c->n_headings; i++) {
		const struct heading *h = &c->headings[i];
		if (h->level > 3)
			continue;
		ctx_object(x, NULL);
		ctx_str(x, "id", h->id);
		ctx_str(x, "text", h->text);
		ctx_int(x, "level", h->level);
		if (h->level == 3)
			ctx_bool(x, "sub", 1);
		ctx_close(x);
	}
	ctx_close(x);
	ctx_bool(x, "has_toc", 1);
}

static void pages_backlinks(struct ctx *x, const struct site *s,
			    const struct chapter *c)
{
	struct buf href = BUF_INIT;
	size_t i;

	if (!c->n_backlinks)
		return;
	ctx_array(x, "backlinks");
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &s->chapters[bl->chapter];
		ctx_object(x, NULL);
		buf_reset(&href);
		buf_adds(&href, from->html_name);
		ctx_str(x, "chapter", from->fm.title);
		if (bl->heading != SITE_NONE) {
			buf_addch(&href, '#');
			buf_adds(&href, from->headings[bl->heading].id);
			ctx_str(x, "section", from->headings[bl->heading].text);
		}
		ctx_strn(x, "href", href.ptr, href.len);
		ctx_close(x);
	}
	ctx_close(x);
	ctx_bool(x, "has_backlinks", 1);
	buf_release(&href);
}

/* book.yml's edit_url with "{path}" replaced by the chapter's file
 * within content/. */
static void pages_edit_url(struct ctx *x, const struct site *s,
			   const struct chapter *c)
{
	const char *u = s->cfg.edit_url, *at;
	struct buf url = BUF_INIT;

	while ((at = strstr(u, "{path}"))) {
		buf_add(&url, u, (size_t)(at - u));
		path_add_url(&url, c->file, 0);
		u = at + 6;
	}
	buf_adds(&url, u);
	ctx_strn(x, "edit_url", url.ptr, url.len);
	buf_release(&url);
}

void pages_chapter(const struct pages *p, size_t ci, struct ctx *x)
{
	const struct site *s = p->s;
	const struct chapter *c = &s->chapters[ci];
	struct pages_body body;

	pages_common(p, x, ci);
	ctx_object(x, "page");
	ctx_str(x, "title", c->fm.title);
	if (c->head_title)
		ctx_str(x, "head_title", c->head_title);
	ctx_str(x, "summary", c->fm.summary);
	ctx_str(x, "slug", c->slug);
	ctx_str(x, "href", c->html_name);
	if (c->fm.step)
		ctx_int(x, "step", c->fm.step);
	if (chapter_step_label(s, c))
		ctx_bool(x, "step_label", 1);
	ctx_int(x, "minutes", c->minutes);
	pages_step_time(x, p, ci);
	pages_language(x, s, c);
	ctx_int(x, "words", (int64_t)c->words);
	ctx_int(x, "tasks", (int64_t)c->n_tasks);
	pages_put_text(x, &p->texts[ci], PAGES_TASKS_TEXT);
	ctx_json_text(x, "params", c->fm.params_json, c->fm.params);
	if (*s->cfg.edit_url)
		pages_edit_url(x, s, c);
	pages_toc(x, c);
	pages_backlinks(x, s, c);
	if (ci > 0)
		pages_link(x, "prev", &s->chapters[ci - 1]);
	if (ci + 1 < s->n_chapters)
		pages_link(x, "next", &s->chapters[ci + 1]);
	body.p = p;
	body.ci = ci;
	ctx_lazy(x, "body", incr_body_key(p->inc, s, ci, RENDER_SITE),
		 pages_body, &body);
	ctx_close(x);
	ctx_bool(x, "is_chapter", 1);
	pages_languages(p, x, ci, c->html_name);
	write_extras_page(x, p->base, c->html_name, 1);
}

void pages_checklist(const struct pages *p, struct ctx *x)
{
	const struct site *s = p->s;
	struct buf href = BUF_INIT;
	size_t ci, i;

	pages_common(p, x, SITE_NONE);
	ctx_array(x, "groups");
	for (ci = 0; ci < s->n_chapters; ci++) {
		const struct chapter *c = &s->chapters[ci];
		if (!c->n_tasks)
			continue;
		ctx_object(x, NULL);
		ctx_str(x, "title", c->fm.title);
		ctx_str(x, "href", c->html_name);
		ctx_str(x, "slug", c->slug);
		if (c->fm.step)
			ctx_int(x, "step", c->fm.step);
		ctx_int(x, "count", (int64_t)c->n_tasks);
		pages_actions(x, s, "count_text", c->n_tasks);
		ctx_array(x, "items");
		for (i = 0; i < c->n_tasks; i++) {
			const struct task *tk = &c->tasks[i];
			ctx_object(x, NULL);
			buf_reset(&href);
			buf_adds(&href, c->html_name);
			if (tk->heading != SITE_NONE) {
				buf_addch(&href, '#');
				buf_adds(&href, c->headings[tk->heading].id);
				ctx_str(x, "section",
					c->headings[tk->heading].text);
			}
			ctx_str(x, "id", tk->id);
			ctx_str(x, "text", tk->text);
			ctx_strn(x, "href", href.ptr, href.len);
			if (tk->checked)
				ctx_bool(x, "checked", 1);
			ctx_close(x);
		}
		ctx_close(x);
		ctx_close(x);
	}
	ctx_close(x);
	ctx_bool(x, "is_checklist", 1);
	pages_languages(p, x, SITE_NONE, "checklist.html");
	write_extras_page(x, p->base, "checklist.html", 0);
	buf_release(&href);
}
