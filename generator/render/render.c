#include "render.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "hash.h"
#include "highlight_class.h"
#include "markdown.h"
#include "markdown_xhtml.h"
#include "render_markup.h"
#include "render_quiz.h"
#include "site.h"
#include "xform.h"
#include "xform_code.h"
#include "xform_links.h"
#include "xform_quiz.h"
#include "search_index.h"

#include <cmark-gfm/buffer.h>
#include <cmark-gfm/houdini.h>

/* A link placeholder as set on the node (private-use U+E000 and U+E001
 * around the index) and as cmark writes it, percent-encoded. */
#define RENDER_LINK_OPEN_RAW "\xEE\x80\x80"
#define RENDER_LINK_CLOSE_RAW "\xEE\x80\x81"
#define RENDER_LINK_OPEN "%EE%80%80"
#define RENDER_LINK_CLOSE "%EE%80%81"

/* cmark-gfm writes the footnotes as a <section> without a heading; give
 * it one, so that the section is labelled for readers and screen readers.
 * `level` is 2, or 3 on the print page, where chapter titles are h2. */
static void render_footnotes_title(struct buf *out, size_t from, int level,
				   const char *label)
{
	static const char open[] =
		"<section class=\"footnotes\" data-footnotes>\n";
	struct buf title = BUF_INIT;
	char *at = strstr(out->ptr + from, open);
	size_t pos, tail;

	if (!at)
		return;
	buf_addf(&title, "<h%d class=\"footnotes-title\">", level);
	buf_adds_html(&title, label);
	buf_addf(&title, "</h%d>\n", level);
	pos = (size_t)(at - out->ptr) + sizeof(open) - 1;
	tail = out->len - pos;
	buf_grow(out, title.len);
	memmove(out->ptr + pos + title.len, out->ptr + pos, tail + 1);
	memcpy(out->ptr + pos, title.ptr, title.len);
	out->len += title.len;
	buf_release(&title);
}

/* cmark-gfm labels each footnote's back link in English: the label in
 * the book's language instead, in out->ptr[from..]. */
static void render_backlink_labels(struct buf *out, size_t from,
				   const char *label)
{
	static const char english[] = "aria-label=\"Back to content\"";
	struct buf b = BUF_INIT;
	const char *p = out->ptr + from, *at;

	if (!strstr(p, english))
		return;
	while ((at = strstr(p, english))) {
		buf_add(&b, p, (size_t)(at - p));
		buf_adds(&b, "aria-label=\"");
		buf_adds_html(&b, label);
		buf_addch(&b, '"');
		p = at + sizeof(english) - 1;
	}
	buf_adds(&b, p);
	out->len = from;
	buf_add(out, b.ptr, b.len);
	buf_release(&b);
}

/* For the print page: prefixes the ids cmark-gfm gives footnotes and
 * their references ("fn-1", "fnref-1") in out->ptr[from..] with `prefix`,
 * so that they stay unique in a document holding every chapter. Each
 * "fn" is looked at, and prefixed when the markup before it is one that
 * holds such an id. */
static void render_prefix_footnotes(struct buf *out, size_t from,
				    const char *prefix)
{
	static const char *const marks[][2] = {
		{ "<sup class=\"footnote-ref\"><a href=\"#", "fn-" },
		{ "\" id=\"", "fnref-" },
		{ "<li id=\"", "fn-" },
		{ "<a href=\"#", "fnref-" },
	};
	struct buf b = BUF_INIT;
	const char *p, *done, *start = out->ptr + from;
	const char *end = out->ptr + out->len;
	size_t k;

	if (!strstr(start, "data-footnote"))
		return;
	buf_grow(&b, out->len + out->len / 16);
	buf_add(&b, out->ptr, from);
	for (p = done = start;
	     (p = compat_memmem(p, (size_t)(end - p), "fn", 2)); p += 2) {
		for (k = 0; k < sizeof(marks) / sizeof(*marks); k++) {
			size_t lead = strlen(marks[k][0]);
			size_t tail = strlen(marks[k][1]);
			if ((size_t)(p - start) >= lead &&
			    (size_t)(end - p) > tail &&
			    !memcmp(p, marks[k][1], tail) &&
			    !memcmp(p - lead, marks[k][0], lead)) {
				buf_add(&b, done, (size_t)(p - done));
				buf_adds(&b, prefix);
				done = p;
				break;
			}
		}
	}
	buf_add(&b, done, (size_t)(end - done));
	buf_release(out);
	*out = b;
}

/* Appends `text` (len bytes) to `out` with each placeholder `open`,
 * index (decimal, below `n`), `close` replaced by what put(ctx, index,
 * out) appends. */
static void render_replace(const char *text, size_t len, const char *open,
			   const char *close, size_t n,
			   void (*put)(void *ctx, size_t i, struct buf *out),
			   void *ctx, struct buf *out)
{
	size_t ol = strlen(open), cl = strlen(close);
	const char *p, *done, *end = text + len;

	for (p = done = text;
	     (p = compat_memfind(p, (size_t)(end - p), open, ol));) {
		char *stop;
		unsigned long i = strtoul(p + ol, &stop, 10);
		if (stop == p + ol || strncmp(stop, close, cl) || i >= n) {
			p += ol;
			continue;
		}
		buf_add(out, done, (size_t)(p - done));
		put(ctx, (size_t)i, out);
		p = done = stop + cl;
	}
	buf_add(out, done, (size_t)(end - done));
}

/* The chapter link placeholder of quiz link `i`; nothing for a link that
 * became none (the chapter has errors then). */
static void render_put_quiz_link(void *ctx, size_t i, struct buf *out)
{
	const struct quiz *q = ctx;

	if (q->links[i].index != (size_t)-1)
		buf_addf(out, "%s%zu%s", RENDER_LINK_OPEN, q->links[i].index,
			 RENDER_LINK_CLOSE);
}

/* Replaces each quiz link placeholder in out->ptr[from..] with the
 * placeholder of the chapter link made of it (see xform_quiz.h). */
static void render_quiz_links(const struct quiz *q, struct buf *out,
			      size_t from)
{
	struct buf b = BUF_INIT;

	if (!q->n_links)
		return;
	buf_add(&b, out->ptr, from);
	render_replace(out->ptr + from, out->len - from, QUIZ_LINK_OPEN,
		       QUIZ_LINK_CLOSE, q->n_links, render_put_quiz_link,
		       (void *)q, &b);
	buf_release(out);
	*out = b;
}

/* Marks in a rendering made for both the site and the print page (see
 * render_both()): RENDER_MARK_LEVEL before a heading's level digit, in
 * its start and end tags, and RENDER_MARK_ID before its id. */
#define RENDER_MARK_LEVEL "\xEE\x80\x84" /* U+E004 */
#define RENDER_MARK_ID "\xEE\x80\x85"    /* U+E005 */
#define RENDER_MARK_LEN 3

/* Sets the URL of each checked link of chapter `c` to its placeholder
 * (RENDER_LINK_OPEN_RAW, the link's index, RENDER_LINK_CLOSE_RAW): where
 * a link points depends on the other chapters, the rest of the body only
 * on this one. */
static void render_mark_links(struct chapter *c)
{
	struct buf ph = BUF_INIT;
	size_t i;

	for (i = 0; i < c->n_links; i++) {
		if (!c->links[i].node)
			continue; /* in a quiz's text */
		buf_reset(&ph);
		buf_addf(&ph, "%s%zu%s", RENDER_LINK_OPEN_RAW, i,
			 RENDER_LINK_CLOSE_RAW);
		cmark_node_set_url(c->links[i].node, ph.ptr);
	}
	buf_release(&ph);
}

/* Sets the tags of heading `idx` of chapter `c` (its custom block
 * `node`): on the inline inside the block (see xform_headings.c). */
static void render_heading_tags(const struct chapter *c, size_t idx,
				cmark_node *node, int print, int xhtml,
				int marked, size_t *n_marked)
{
	const struct heading *h = &c->headings[idx];
	/* one level down on the print page, under the chapter titles */
	int level = print && h->level < 6 ? h->level + 1 : h->level;
	struct buf open = BUF_INIT, close = BUF_INIT;

	if (marked) {
		buf_addf(&open,
			 "<h" RENDER_MARK_LEVEL "%d id=\"" RENDER_MARK_ID,
			 level);
		buf_addf(&close, "</h" RENDER_MARK_LEVEL "%d>", level);
		(*n_marked)++;
	} else {
		buf_addf(&open, "<h%d id=\"", level);
		buf_addf(&close, "</h%d>", level);
	}
	if (print) {
		buf_adds_html(&open, c->slug);
		buf_adds(&open, "--");
	}
	if (xhtml) /* as libxml2 writes it (see markdown_xhtml.h) */
		markdown_xhtml_escape(&open, h->id, strlen(h->id), 1);
	else
		buf_adds_html(&open, h->id);
	buf_adds(&open, "\">");
	cmark_node_set_on_enter(cmark_node_first_child(node), open.ptr);
	cmark_node_set_on_exit(cmark_node_first_child(node), close.ptr);
	buf_release(&open);
	buf_release(&close);
}

/* The markup of quiz `idx` of chapter `c` into `open`: for the EPUB, its
 * answer notes go to `answers` (may be NULL), linking to `answers_href`. */
static void render_quiz_markup(const struct site *s, const struct chapter *c,
			       size_t idx, int xhtml, const char *answers_href,
			       struct buf *answers, struct buf *open)
{
	const struct quiz *q = &c->quizzes.v[idx];

	if (xhtml) {
		struct buf dummy = BUF_INIT, *to = answers ? answers : &dummy;
		size_t from = to->len;
		render_quiz_epub(q, c->xhtml_name,
				 answers_href ? answers_href : "",
				 !s->cfg.unsafe_html, &s->i18n, open, to);
		render_quiz_links(q, to, from);
		buf_release(&dummy);
	} else {
		render_quiz_site(q, &s->i18n, open);
	}
	render_quiz_links(q, open, 0);
}

/* Sets the markup of every custom node of chapter `c` for `target` (see
 * render_body_marked()). */
static void render_set_markup(const struct site *s, struct chapter *c,
			      enum render_target target,
			      const char *answers_href, struct buf *answers,
			      int marked, size_t *n_marked)
{
	int xhtml = target == RENDER_EPUB;
	int print = target == RENDER_PRINT;
	struct buf open = BUF_INIT, close = BUF_INIT;
	cmark_iter *it = cmark_iter_new(c->doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		void *tag = cmark_node_get_user_data(node);
		cmark_node_type type = cmark_node_get_type(node);
		size_t idx = XFORM_INDEX(tag);

		if (ev != CMARK_EVENT_ENTER ||
		    (type != CMARK_NODE_CUSTOM_BLOCK &&
		     type != CMARK_NODE_CUSTOM_INLINE))
			continue;
		buf_reset(&open);
		buf_reset(&close);
		switch (XFORM_KIND(tag)) {
		case XFORM_HEADING:
			/* the block itself writes nothing */
			render_heading_tags(c, idx, node, print, xhtml, marked,
					    n_marked);
			break;
		case XFORM_CALLOUT:
			render_callout_open(&s->i18n, c->callouts[idx].kind,
					    xhtml, &open);
			render_callout_close(&close);
			break;
		case XFORM_TASK:
			render_task_open(&c->tasks[idx], xhtml, &open);
			render_task_close(xhtml, &close);
			break;
		case XFORM_QUIZ:
			render_quiz_markup(s, c, idx, xhtml, answers_href,
					   answers, &open);
			break;
		default:
			continue;
		}
		cmark_node_set_on_enter(node, open.ptr);
		cmark_node_set_on_exit(node, close.ptr);
	}
	cmark_iter_free(it);
	buf_release(&open);
	buf_release(&close);
}

/* Renders chapter `c`'s tree for `target` into `out`, each checked
 * link's URL written as a placeholder (RENDER_LINK_OPEN, the link's index,
 * RENDER_LINK_CLOSE) that render_chapter() replaces: where a link points
 * depends on the other chapters, the rest of the body only on this one.
 * `marked`: for RENDER_SITE, with the heading marks render_both() turns
 * into the site's body and the print page's; *n_marked is set to the
 * number of headings marked. */
static void render_body_marked(const struct site *s, struct chapter *c,
			       enum render_target target,
			       const char *answers_href, struct buf *out,
			       struct buf *answers, int marked,
			       size_t *n_marked)
{
	int print = target == RENDER_PRINT;
	size_t start;

	render_mark_links(c);
	render_set_markup(s, c, target, answers_href, answers, marked,
			  n_marked);
	start = out->len;
	if (target == RENDER_EPUB && !s->cfg.unsafe_html)
		/* the EPUB's XHTML, made from the tree (without raw HTML,
		 * which only libxml2 can read: see markdown_xhtml.h) */
		markdown_xhtml(c->doc, i18n_str(&s->i18n, "notes"),
			       i18n_str(&s->i18n, "back_to_content"),
			       i18n_is_rtl(&s->i18n), out);
	else
		markdown_render(c->doc, s->cfg.unsafe_html, out);
	render_backlink_labels(out, start,
			       i18n_str(&s->i18n, "back_to_content"));
	if (marked)
		return; /* render_both() finishes it */
	if (target != RENDER_EPUB)
		render_footnotes_title(out, start, print ? 3 : 2,
				       i18n_str(&s->i18n, "notes"));
	if (print) {
		struct buf prefix = BUF_INIT;
		buf_add_html(&prefix, c->slug, strlen(c->slug));
		buf_adds(&prefix, "--");
		render_prefix_footnotes(out, start, prefix.ptr);
		buf_release(&prefix);
	}
}

static void render_body(const struct site *s, struct chapter *c,
			enum render_target target, const char *answers_href,
			struct buf *out, struct buf *answers)
{
	render_body_marked(s, c, target, answers_href, out, answers, 0, NULL);
}

/* Counts the occurrences of `mark` in `text`. */
static size_t render_count(const char *text, size_t len, const char *mark)
{
	const char *p = text, *end = text + len;
	size_t n = 0;

	while ((p = compat_memfind(p, (size_t)(end - p), mark,
				   RENDER_MARK_LEN))) {
		n++;
		p += RENDER_MARK_LEN;
	}
	return n;
}

/* The site's body and the print page's differ only in their headings
 * (one level down on the print page, their ids prefixed with the
 * chapter's slug) and footnotes: both are made from one rendering, with
 * the headings marked. Returns -1, having made nothing, when the text
 * itself holds one of the marks (then each is rendered on its own). */
static int render_both(const struct site *s, struct chapter *c,
		       struct buf *site, struct buf *print)
{
	struct buf marked = BUF_INIT, prefix = BUF_INIT;
	const char *p, *end, *run;
	size_t n = 0;

	render_body_marked(s, c, RENDER_SITE, NULL, &marked, NULL, 1, &n);
	if (render_count(marked.ptr, marked.len, RENDER_MARK_LEVEL) != 2 * n ||
	    render_count(marked.ptr, marked.len, RENDER_MARK_ID) != n) {
		buf_release(&marked);
		return -1;
	}
	buf_add_html(&prefix, c->slug, strlen(c->slug));
	buf_adds(&prefix, "--");
	buf_grow(site, marked.len);
	buf_grow(print, marked.len + n * prefix.len);
	end = marked.ptr + marked.len;
	for (p = run = marked.ptr;
	     (p = compat_memfind(p, (size_t)(end - p), "\xEE\x80", 2));) {
		int level = !memcmp(p, RENDER_MARK_LEVEL, RENDER_MARK_LEN);
		if (!level && memcmp(p, RENDER_MARK_ID, RENDER_MARK_LEN)) {
			p += 2;
			continue;
		}
		buf_add(site, run, (size_t)(p - run));
		buf_add(print, run, (size_t)(p - run));
		p += RENDER_MARK_LEN;
		if (level) {
			/* the level's digit: one more on the print page */
			buf_addch(site, *p);
			buf_addch(print, *p < '6' ? (char)(*p + 1) : *p);
			p++;
		} else {
			buf_add(print, prefix.ptr, prefix.len);
		}
		run = p;
	}
	buf_add(site, run, (size_t)(end - run));
	buf_add(print, run, (size_t)(end - run));
	render_footnotes_title(site, 0, 2, i18n_str(&s->i18n, "notes"));
	render_footnotes_title(print, 0, 3, i18n_str(&s->i18n, "notes"));
	render_prefix_footnotes(print, 0, prefix.ptr);
	buf_release(&marked);
	buf_release(&prefix);
	return 0;
}

/* Makes texts[] (see render_prepare()) from chapter `c`'s tree. */
static void render_texts(const struct site *s, struct chapter *c,
			 char *texts[RENDER_TEXTS])
{
	struct buf b = BUF_INIT, answers = BUF_INIT;
	int t;

	memset(texts, 0, RENDER_TEXTS * sizeof(*texts));
	{
		struct buf site = BUF_INIT, print = BUF_INIT;
		if (render_both(s, c, &site, &print) == 0) {
			texts[RENDER_SITE] = buf_detach(&site, NULL);
			texts[RENDER_PRINT] = buf_detach(&print, NULL);
		}
		buf_release(&site);
		buf_release(&print);
	}
	for (t = 0; t < RENDER_TARGETS; t++) {
		if (texts[t])
			continue;
		render_body(s, c, (enum render_target)t, RENDER_EPUB_ANSWERS,
			    &b, t == RENDER_EPUB ? &answers : NULL);
		texts[t] = buf_detach(&b, NULL);
		if (t == RENDER_EPUB)
			texts[RENDER_TEXT_ANSWERS] = buf_detach(&answers, NULL);
	}
	search_index_chapter(c, &b);
	texts[RENDER_TEXT_SEARCH] = buf_detach(&b, NULL);
}

void render_prepare(const struct site *s, struct chapter *c,
		    char *texts[RENDER_TEXTS])
{
	size_t i;

	render_texts(s, c, texts);
	texts[RENDER_TEXT_CODE] = buf_detach(&c->code, NULL);
	/* the tree is no longer needed: the writers read the texts */
	cmark_node_free(c->doc);
	c->doc = NULL;
	for (i = 0; i < c->n_detached; i++)
		cmark_node_free(c->detached[i]);
	c->n_detached = 0;
	for (i = 0; i < c->n_links; i++)
		c->links[i].node = NULL;
}

/* Appends `href` escaped as cmark-gfm escapes link destinations. */
static void render_add_href(struct buf *out, const char *href)
{
	cmark_strbuf sb;

	cmark_strbuf_init(cmark_get_default_mem_allocator(), &sb, 0);
	houdini_escape_href(&sb, (const uint8_t *)href,
			    (bufsize_t)strlen(href));
	buf_add(out, cmark_strbuf_cstr(&sb), (size_t)sb.size);
	cmark_strbuf_free(&sb);
}

uint64_t render_links_key(const struct site *s, const struct chapter *c,
			  enum render_target target, uint64_t h)
{
	enum xform_links_mode mode = target == RENDER_EPUB ? XFORM_LINKS_EPUB
				     : target == RENDER_PRINT
					     ? XFORM_LINKS_PRINT
					     : XFORM_LINKS_SITE;
	struct buf href = BUF_INIT;
	size_t i;

	for (i = 0; i < c->n_links; i++) {
		buf_reset(&href);
		xform_links_href(s, &c->links[i], mode,
				 mode == XFORM_LINKS_SITE ? c->html_name : NULL,
				 &href);
		h = hash_mix(h, href.ptr ? href.ptr : "", href.len + 1);
	}
	buf_release(&href);
	return h;
}

/* Where render_put_href() writes links to. */
struct render_hrefs {
	const struct site *s;
	const struct chapter *c;
	enum xform_links_mode mode;
	struct buf href;
};

static void render_put_href(void *ctx, size_t i, struct buf *out)
{
	struct render_hrefs *h = ctx;

	buf_reset(&h->href);
	xform_links_href(h->s, &h->c->links[i], h->mode,
			 h->mode == XFORM_LINKS_SITE ? h->c->html_name : NULL,
			 &h->href);
	render_add_href(out, h->href.ptr);
}

/* Whether `code` (len bytes) holds a block's markup from `at`, `n` bytes
 * long: one or more whole blocks, each starting with its <pre> (a "<pre"
 * within a block's code is escaped). A placeholder the book's text
 * forges cannot take a piece of a block, which would leave a tag open. */
static int render_code_whole(const char *code, size_t len,
			     unsigned long long at, unsigned long long n)
{
	return at < len && n <= len - at && n >= 4 &&
	       !memcmp(code + at, "<pre", 4) &&
	       (at + n == len ||
		(len - at - n >= 4 && !memcmp(code + at + n, "<pre", 4)));
}

/* Appends `text` (len bytes) to `out` with each code placeholder
 * (xform_code.h) replaced by the markup it points to in `code`, as
 * `target` has it. */
static void render_code(const char *text, size_t len, const char *code,
			enum render_target target, struct buf *out)
{
	static const char open[] = XFORM_CODE_OPEN, close[] = XFORM_CODE_CLOSE;
	size_t ol = sizeof(open) - 1, cl = sizeof(close) - 1;
	size_t code_len = strlen(code);
	const char *p, *done, *end = text + len;

	for (p = done = text;
	     (p = compat_memfind(p, (size_t)(end - p), open, ol));) {
		char *dot, *stop;
		unsigned long long at = strtoull(p + ol, &dot, 10), n;
		if (dot == p + ol || *dot != '.') {
			p += ol;
			continue;
		}
		n = strtoull(dot + 1, &stop, 10);
		if (stop == dot + 1 || strncmp(stop, close, cl) ||
		    !render_code_whole(code, code_len, at, n)) {
			p += ol;
			continue;
		}
		buf_add(out, done, (size_t)(p - done));
		if (target == RENDER_EPUB)
			highlight_markup_epub(code + at, (size_t)n, out);
		else
			buf_add(out, code + at, (size_t)n);
		p = done = stop + cl;
	}
	buf_add(out, done, (size_t)(end - done));
}

void render_links(const struct site *s, const struct chapter *c,
		  enum render_target target, const char *text, const char *code,
		  struct buf *out)
{
	struct render_hrefs h;
	struct buf linked = BUF_INIT;

	h.s = s;
	h.c = c;
	h.mode = target == RENDER_EPUB    ? XFORM_LINKS_EPUB
		 : target == RENDER_PRINT ? XFORM_LINKS_PRINT
					  : XFORM_LINKS_SITE;
	buf_init(&h.href);
	if (!code || !*code) {
		render_replace(text, strlen(text), RENDER_LINK_OPEN,
			       RENDER_LINK_CLOSE, c->n_links, render_put_href,
			       &h, out);
		buf_release(&h.href);
		return;
	}
	/* the links first, in the text without the code's markup */
	render_replace(text, strlen(text), RENDER_LINK_OPEN, RENDER_LINK_CLOSE,
		       c->n_links, render_put_href, &h, &linked);
	buf_release(&h.href);
	render_code(linked.ptr, linked.len, code, target, out);
	buf_release(&linked);
}

void render_chapter(const struct site *s, struct chapter *c,
		    enum render_target target, const char *answers_href,
		    struct buf *out, struct buf *answers)
{
	char *texts[RENDER_TEXTS];
	int t;

	(void)answers_href;
	render_texts(s, c, texts);
	render_links(s, c, target, texts[target], c->code.ptr, out);
	if (target == RENDER_EPUB && answers)
		render_links(s, c, target, texts[RENDER_TEXT_ANSWERS],
			     c->code.ptr, answers);
	for (t = 0; t < RENDER_TEXTS; t++)
		free(texts[t]);
}
