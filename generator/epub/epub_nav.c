/* epub_nav: the navigation document and the EPUB 2 NCX. Both show one
 * table of contents, first made as a small tree of entries (the chapters
 * in their parts, nested as SUMMARY.md nests them, each with its level-2
 * headings), then written as text (epub_xw_*): they are made at every
 * build, and a tree of libxml2 nodes for a book of a thousand chapters
 * cost more than the rest of a one-chapter rebuild. */
#include "epub.h"
#include "i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

#define EPUB_TOC_NEST 8
#define EPUB_TOC_NONE ((size_t)-1)
/* The bytes of the entries gathered before each step of their hash. */
#define EPUB_TOC_HASH_STEP 4096

/* An entry of the table of contents: a part (a title over its chapters)
 * or a link (a chapter, a heading, an appendix). */
struct epub_toc_entry {
	int is_part;
	size_t part;      /* a part's number, from 0 */
	int order;        /* its playOrder in the NCX */
	char *href;       /* owned, or NULL for a heading's ... */
	const char *frag; /* ... which links to its chapter's href#frag */
	const char *text;
	size_t first, last, next; /* children, and the next sibling */
	size_t parent;
};

struct epub_toc {
	struct epub_toc_entry *v; /* v[0] is the root */
	size_t n, cap;
	int depth;     /* of the tree, for the NCX's dtb:depth */
	uint64_t hash; /* of every entry: what the nav and the NCX show of
			* it, keyed as one value (epub_xw_value_begin()) */
};

static size_t epub_toc_add(struct epub_toc *t, size_t parent, int is_part,
			   char *href, const char *text, int order)
{
	struct epub_toc_entry *en;
	size_t i;

	if (t->n == t->cap) /* the count of epub_toc_size() was short */
		t->v = xgrow(t->v, sizeof(*t->v), t->n + 1, &t->cap);
	i = t->n++;
	en = &t->v[i];
	memset(en, 0, sizeof(*en));
	en->is_part = is_part;
	en->order = order;
	en->href = href;
	en->text = text;
	en->first = en->last = en->next = EPUB_TOC_NONE;
	en->parent = parent;
	if (parent != EPUB_TOC_NONE) {
		if (t->v[parent].last == EPUB_TOC_NONE)
			t->v[parent].first = i;
		else
			t->v[t->v[parent].last].next = i;
		t->v[parent].last = i;
	}
	return i;
}

/* The entries epub_toc_make() adds, at most: the root, a part and a
 * chapter per chapter, their level-2 headings, the two appendices. */
static size_t epub_toc_size(const struct epub *e)
{
	size_t i, j, n = 3;

	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		n += 2;
		for (j = 0; j < c->n_headings; j++)
			n += c->headings[j].level == 2;
	}
	return n;
}

/* The target of entry `en` of `t`: a heading's is made only here, when
 * the nav or the NCX is written, not for every entry at every build. */
static const char *epub_toc_href(const struct epub_toc *t,
				 const struct epub_toc_entry *en,
				 struct buf *tmp)
{
	if (!en->frag)
		return en->href;
	buf_reset(tmp);
	buf_adds(tmp, t->v[en->parent].href);
	buf_addch(tmp, '#');
	buf_adds(tmp, en->frag);
	return tmp->ptr;
}

/* The book's table of contents: the chapters, in their parts, nested as
 * SUMMARY.md nests them, each with its level-2 headings; then the
 * checklist and the answers. */
static void epub_toc_make(struct epub *e, struct epub_toc *t)
{
	int order = 1, top = -1, d, level;
	size_t i, j, part_entry = EPUB_TOC_NONE, base = EPUB_TOC_NONE;
	/* the last chapter at each nesting under `base` */
	size_t items[EPUB_TOC_NEST];

	memset(t, 0, sizeof(*t));
	t->cap = epub_toc_size(e);
	t->v = xmalloc(t->cap * sizeof(*t->v));
	t->depth = 1;
	epub_toc_add(t, EPUB_TOC_NONE, 0, NULL, "", 0);
	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		const char *part = site_part_opened(e->s, i);
		char *href = epub_href(c->xhtml_name);
		size_t parent = 0, item;

		if (part) {
			part_entry = epub_toc_add(t, 0, 1, xstrdup(href), part,
						  order);
			t->v[part_entry].part = c->part;
		}
		if (c->part != CONFIG_NO_PART && part_entry != EPUB_TOC_NONE)
			parent = part_entry;
		if (parent != base) {
			base = parent;
			top = -1;
		}
		/* a chapter nests under the last one a level up; the list
		 * cannot skip a level */
		d = c->depth;
		if (d < 0)
			d = 0;
		if (d > top + 1)
			d = top + 1;
		if (d >= EPUB_TOC_NEST)
			d = EPUB_TOC_NEST - 1;
		if (d > 0)
			parent = items[d - 1];
		item = epub_toc_add(t, parent, 0, href, c->fm.title, order++);
		items[d] = item;
		top = d;
		level = 1 + (base != 0) + d;
		for (j = 0; j < c->n_headings; j++) {
			size_t h;
			if (c->headings[j].level != 2)
				continue;
			h = epub_toc_add(t, item, 0, NULL, c->headings[j].text,
					 order++);
			t->v[h].frag = c->headings[j].id;
			if (t->depth < level + 1)
				t->depth = level + 1;
		}
		if (t->depth < level)
			t->depth = level;
	}
	if (e->has_tasks)
		epub_toc_add(t, 0, 0, xstrdup(EPUB_CHECKLIST),
			     i18n_str(&e->s->i18n, "checklist"), order++);
	if (e->has_quizzes)
		epub_toc_add(t, 0, 0, xstrdup(EPUB_ANSWERS),
			     i18n_str(&e->s->i18n, "quiz_answers"), order++);
}

static void epub_toc_put(struct buf *b, uint64_t v)
{
	unsigned char w[8];
	int k;

	for (k = 0; k < 8; k++)
		w[k] = (unsigned char)(v >> (8 * k));
	buf_add(b, w, sizeof(w));
}

/* The hash of everything of `t` the nav and the NCX show: each entry's
 * kind, numbers, place in the tree, target and text. */
static uint64_t epub_toc_hash(const struct epub_toc *t)
{
	struct buf b = BUF_INIT;
	uint64_t h = HASH_SEED;
	size_t i;

	epub_toc_put(&b, t->n);
	epub_toc_put(&b, (uint64_t)t->depth);
	for (i = 0; i < t->n; i++) {
		const struct epub_toc_entry *en = &t->v[i];
		epub_toc_put(&b, (uint64_t)en->is_part);
		epub_toc_put(&b, en->part);
		epub_toc_put(&b, (uint64_t)en->order);
		epub_toc_put(&b, en->first);
		epub_toc_put(&b, en->next);
		if (en->frag) {
			buf_adds(&b, t->v[en->parent].href);
			buf_addch(&b, '#');
			buf_adds(&b, en->frag);
		} else if (en->href) {
			buf_adds(&b, en->href);
		}
		buf_addch(&b, '\0');
		buf_adds(&b, en->text ? en->text : "");
		buf_addch(&b, '\0');
		if (b.len >=
		    EPUB_TOC_HASH_STEP) { /* hashed a piece at a time */
			h = hash_mix(h, b.ptr, b.len);
			buf_reset(&b);
		}
	}
	h = hash_mix(h, b.ptr, b.len);
	buf_release(&b);
	return h;
}

void epub_toc_free(struct epub_toc *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i].href);
	free(t->v);
	free(t);
}

/* The table of contents, made by the first of the nav's and the NCX's
 * jobs that asks for it, while the other waits: the same for both, and
 * on a large book it costs as much as writing either. */
static const struct epub_toc *epub_toc_get(struct epub *e)
{
	pthread_mutex_lock(&e->toc_lock);
	if (!e->toc) {
		struct epub_toc *t = xmalloc(sizeof(*t));
		epub_toc_make(e, t);
		t->hash = epub_toc_hash(t);
		e->toc = t;
	}
	pthread_mutex_unlock(&e->toc_lock);
	return e->toc;
}

/* The entries under `at` as the nav's <li>s: a part holds its chapters
 * in an <ol> after its title; a chapter holds its headings and the
 * chapters nested in it in an <ol> after its link. */
static void epub_toc_nav(struct epub_xw *w, const struct epub_toc *t, size_t at)
{
	struct buf tmp = BUF_INIT;
	size_t i;

	for (i = t->v[at].first; i != EPUB_TOC_NONE; i = t->v[i].next) {
		const struct epub_toc_entry *en = &t->v[i];
		const char *const a[] = { "href", epub_toc_href(t, en, &tmp),
					  NULL };

		epub_xw_open(w, "li", NULL);
		if (en->is_part)
			epub_xw_leaf(w, "span", NULL, en->text);
		else
			epub_xw_leaf(w, "a", a, en->text);
		if (en->first != EPUB_TOC_NONE || en->is_part) {
			epub_xw_open(w, "ol", NULL);
			epub_toc_nav(w, t, i);
			epub_xw_close(w, "ol");
		}
		epub_xw_close(w, "li");
	}
	buf_release(&tmp);
}

/* The entries under `at` as the NCX's navPoints, nested. A part points at
 * its first chapter, with that chapter's playOrder (two entries with one
 * target share it). */
static void epub_toc_ncx(struct epub_xw *w, const struct epub_toc *t, size_t at)
{
	struct buf tmp = BUF_INIT;
	size_t i;

	for (i = t->v[at].first; i != EPUB_TOC_NONE; i = t->v[i].next) {
		const struct epub_toc_entry *en = &t->v[i];
		char id[32], order[16];
		const char *const np[] = { "id", id, "playOrder", order, NULL };
		const char *const src[] = { "src", epub_toc_href(t, en, &tmp),
					    NULL };

		if (en->is_part)
			snprintf(id, sizeof(id), "part-%zu", en->part + 1);
		else
			snprintf(id, sizeof(id), "np-%d", en->order);
		snprintf(order, sizeof(order), "%d", en->order);
		epub_xw_open(w, "navPoint", np);
		epub_xw_open(w, "navLabel", NULL);
		epub_xw_leaf(w, "text", NULL, en->text);
		epub_xw_close(w, "navLabel");
		epub_xw_empty(w, "content", src);
		epub_toc_ncx(w, t, i);
		epub_xw_close(w, "navPoint");
	}
	buf_release(&tmp);
}

void epub_nav(struct epub *e, struct epub_xw *w)
{
	const struct i18n *tr = &e->s->i18n;
	char *first = epub_href(e->s->chapters[0].xhtml_name);
	const char *const toc[] = { "epub:type",       "toc",       "role",
				    "doc-toc",         "id",        "toc",
				    "aria-labelledby", "toc-title", NULL };
	const char *const toc_h[] = { "id", "toc-title", NULL };
	const char *const marks[] = {
		"epub:type", "landmarks",       "id",
		"landmarks", "aria-labelledby", "landmarks-title",
		"hidden",    "hidden",          NULL
	};
	const char *const marks_h[] = { "id", "landmarks-title", NULL };
	/* the landmarks: type, href, text */
	const char *const landmarks[][3] = {
		{ "cover", EPUB_COVER, i18n_str(tr, "cover") },
		{ "titlepage", EPUB_TITLE, i18n_str(tr, "title_page") },
		{ "toc", EPUB_NAV "#toc", i18n_str(tr, "contents") },
		{ "bodymatter", first, i18n_str(tr, "start_reading") },
		{ "appendix", EPUB_CHECKLIST, i18n_str(tr, "checklist") },
	};
	size_t i, n = e->has_tasks ? 5 : 4;
	const struct epub_toc *t = epub_toc_get(e);

	epub_xw_xhtml_begin(w, e, i18n_str(tr, "contents"));
	epub_xw_open(w, "nav", toc);
	epub_xw_leaf(w, "h1", toc_h, i18n_str(tr, "contents"));
	epub_xw_open(w, "ol", NULL);
	if (epub_xw_value_begin(w, "nav toc", t->hash))
		epub_toc_nav(w, t, 0);
	epub_xw_value_end(w);
	epub_xw_close(w, "ol");
	epub_xw_close(w, "nav");
	epub_xw_open(w, "nav", marks);
	epub_xw_leaf(w, "h2", marks_h, i18n_str(tr, "landmarks"));
	epub_xw_open(w, "ol", NULL);
	for (i = 0; i < n; i++) {
		const char *const a[] = { "epub:type", landmarks[i][0], "href",
					  landmarks[i][1], NULL };
		epub_xw_open(w, "li", NULL);
		epub_xw_leaf(w, "a", a, landmarks[i][2]);
		epub_xw_close(w, "li");
	}
	epub_xw_close(w, "ol");
	epub_xw_close(w, "nav");
	epub_xw_xhtml_end(w);
	free(first);
}

void epub_ncx(struct epub *e, struct epub_xw *w)
{
	const struct config *cfg = &e->s->cfg;
	char depth[16];
	const char *const ncx[] = { "xmlns",    NS_NCX,  "version", "2005-1",
				    "xml:lang", e->lang, NULL };
	const char *const uid[] = { "name", "dtb:uid", "content", e->identifier,
				    NULL };
	const char *const dep[] = { "name", "dtb:depth", "content", depth,
				    NULL };
	const char *const pages[] = { "name", "dtb:totalPageCount", "content",
				      "0", NULL };
	const char *const max[] = { "name", "dtb:maxPageNumber", "content", "0",
				    NULL };

	const struct epub_toc *t = epub_toc_get(e);

	snprintf(depth, sizeof(depth), "%d", t->depth);
	buf_adds(w->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	epub_xw_open(w, "ncx", ncx);
	epub_xw_open(w, "head", NULL);
	epub_xw_empty(w, "meta", uid);
	epub_xw_empty(w, "meta", dep);
	epub_xw_empty(w, "meta", pages);
	epub_xw_empty(w, "meta", max);
	epub_xw_close(w, "head");
	epub_xw_open(w, "docTitle", NULL);
	epub_xw_leaf(w, "text", NULL, cfg->title);
	epub_xw_close(w, "docTitle");
	if (*cfg->author) {
		epub_xw_open(w, "docAuthor", NULL);
		epub_xw_leaf(w, "text", NULL, cfg->author);
		epub_xw_close(w, "docAuthor");
	}
	epub_xw_open(w, "navMap", NULL);
	if (epub_xw_value_begin(w, "ncx navMap", t->hash))
		epub_toc_ncx(w, t, 0);
	epub_xw_value_end(w);
	epub_xw_close(w, "navMap");
	epub_xw_close(w, "ncx");
}
