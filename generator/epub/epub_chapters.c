/* epub_chapters: a document per chapter, made on every core (pool.h):
 * its rendered body made part of it (epub_xhtml.c), its title and its
 * "Referenced from" list, deflated on the thread that made it; or the
 * previous EPUB's entry when the cache knows it was made from the same
 * inputs. Also the keys of the whole-book documents. */
#include "epub.h"
#include "i18n.h"
#include "langtag.h"
#include "write_epub.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "incremental.h"
#include "render.h"
#include "xalloc.h"

/* ---- the documents ---- */

char *epub_chapter_id(const struct chapter *c, size_t i)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "ch-%s", c->slug);
	if (xmlValidateNCName(X(b.ptr), 0) != 0) {
		buf_reset(&b);
		buf_addf(&b, "ch-%zu", i + 1);
	}
	return buf_detach(&b, NULL);
}

/* A chapter in a language of its own (front matter `language:`): its
 * document says so, and which way it is written. */
static void epub_chapter_language(struct epub *e, const struct chapter *c,
				  xmlDocPtr doc)
{
	xmlNodePtr html = xmlDocGetRootElement(doc);
	char tag[64];

	if (!chapter_language(c, e->lang, tag, sizeof(tag)))
		return;
	xmlSetProp(html, X("lang"), X(tag));
	xmlNodeSetLang(html, X(tag));
	xmlSetProp(html, X("dir"), X(langtag_is_rtl(tag) ? "rtl" : "ltr"));
}

/* The "Referenced from" list at the end of a chapter. */
static void epub_backlinks(struct epub *e, struct conv *cv,
			   const struct chapter *c, xmlNodePtr parent)
{
	xmlNodePtr sec, h, ul;
	char *hid;
	size_t i;

	if (!c->n_backlinks)
		return;
	sec = xmlNewChild(parent, NULL, X("section"), NULL);
	xmlSetProp(sec, X("class"), X("backlinks"));
	hid = conv_unique_id(cv, "referenced-from");
	xmlSetProp(sec, X("aria-labelledby"), X(hid));
	h = epub_text_child(sec, "h2",
			    i18n_str(&e->s->i18n, "referenced_from"));
	xmlSetProp(h, X("id"), X(hid));
	free(hid);
	ul = xmlNewChild(sec, NULL, X("ul"), NULL);
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &e->s->chapters[bl->chapter];
		struct buf href = BUF_INIT, text = BUF_INIT;
		xmlNodePtr li = xmlNewChild(ul, NULL, X("li"), NULL), a;

		epub_add_href(&href, from->xhtml_name);
		buf_adds(&text, from->fm.title);
		if (bl->heading != SITE_NONE) {
			buf_addch(&href, '#');
			buf_adds(&href, from->headings[bl->heading].id);
			buf_adds(&text, ": ");
			buf_adds(&text, from->headings[bl->heading].text);
		}
		a = epub_text_child(li, "a", text.ptr);
		epub_prop(a, "href", href.ptr);
		buf_release(&href);
		buf_release(&text);
	}
}

/* The answers of chapter `c`, under its title: its section of
 * answers.xhtml, into p->answers. */
static int epub_answers_part(struct epub *e, const struct chapter *c,
			     struct epub_part *p, const struct buf *answers)
{
	struct conv cv;
	xmlDocPtr doc;
	xmlNodePtr body, sec, h;
	struct buf id = BUF_INIT;
	int r;

	doc = epub_xhtml_new(e, i18n_str(&e->s->i18n, "quiz_answers"), &body);
	conv_init(&cv, e, p, c, doc);
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	buf_addf(&id, "answers-for-%s", c->slug);
	xmlSetProp(sec, X("aria-labelledby"), X(id.ptr));
	h = epub_text_child(sec, "h2", c->fm.title);
	xmlSetProp(h, X("id"), X(id.ptr));
	buf_release(&id);
	r = epub_fragment(&cv, sec, answers->ptr, answers->len);
	{
		size_t from = p->answers.len;
		epub_node_dump(doc, sec, &p->answers);
		conv_splice(&cv, &p->answers, from);
	}
	p->parsed += cv.parsed;
	conv_release(&cv);
	xmlFreeDoc(doc);
	return r;
}

/* The key of everything chapter `c`'s documents are made from: its
 * rendered body and answers (see incr_body_key), its title, the
 * backlinks that end it, and what the whole book shares. */
static uint64_t epub_chapter_key(const struct epub *e, struct chapter *c)
{
	uint64_t h = hash_u64(e->book_key, 0x65707562);
	size_t i;

	h = hash_str(h, c->slug);
	h = hash_str(h, c->fm.title);
	h = hash_u64(h,
		     incr_body_key(e->inc, e->s, (size_t)(c - e->s->chapters),
				   RENDER_EPUB));
	h = hash_u64(h, c->n_backlinks);
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &e->s->chapters[bl->chapter];
		h = hash_str(h, from->xhtml_name);
		h = hash_str(h, from->fm.title);
		if (bl->heading != SITE_NONE) {
			h = hash_str(h, from->headings[bl->heading].id);
			h = hash_str(h, from->headings[bl->heading].text);
		} else {
			h = hash_u64(h, 0);
		}
	}
	return h ? h : 1;
}

/* Makes chapter `idx`'s part: its document (or the entry of the previous
 * EPUB that holds it, when the cache knows it was made from the same
 * inputs), its answers and what it shows. Touches nothing shared but
 * the chapter's own rendering: runs on any thread. */
static void epub_chapter(struct epub *e, size_t worker, size_t idx,
			 zip_int64_t prev, struct epub_part *p)
{
	struct chapter *c = &e->s->chapters[idx];
	struct buf html = BUF_INIT, answers = BUF_INIT, base = BUF_INIT;
	struct conv cv;
	xmlDocPtr doc;
	xmlNodePtr body, sec, h1;
	char *hid;
	int r;

	p->key = epub_chapter_key(e, c);
	if (prev >= 0 && p->key == e->last->chapters[idx].key) {
		/* made from the same inputs: the same document */
		const struct epub_chapter_facts *was = &e->last->chapters[idx];
		p->reuse = prev;
		p->flags = was->flags;
		if (was->answers)
			buf_adds(&p->answers, was->answers);
		if (was->images)
			buf_adds(&p->images, was->images);
		goto out;
	}
	incr_body(e->inc, e->s, idx, RENDER_EPUB, &html, &answers);
	doc = epub_xhtml_new(e, c->fm.title, &body);
	epub_chapter_language(e, c, doc);
	conv_init(&cv, e, p, c, doc);
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "chapter");
	xmlSetProp(sec, X("role"), X("doc-chapter"));
	h1 = epub_text_child(sec, "h1", c->fm.title);
	r = epub_fragment(&cv, sec, html.ptr, html.len);
	epub_backlinks(e, &cv, c, sec);
	buf_addf(&base, "%s-title", c->slug);
	hid = conv_unique_id(&cv, base.ptr);
	xmlSetProp(h1, X("id"), X(hid));
	xmlSetProp(sec, X("aria-labelledby"), X(hid));
	free(hid);
	if (cv.has_svg)
		p->flags |= EPUB_CHAPTER_SVG;
	if (cv.has_mathml)
		p->flags |= EPUB_CHAPTER_MATHML;
	epub_xhtml_dump(doc, 0, &p->xhtml);
	conv_splice(&cv, &p->xhtml, 0);
	p->parsed += cv.parsed;
	conv_release(&cv);
	xmlFreeDoc(doc);
	/* compressed now, on this thread: the book's documents are never
	 * all in memory at once */
	p->deflated = epub_deflate(e, worker, &p->xhtml);
	if (p->deflated)
		buf_release(&p->xhtml);
	if (r == 0 && answers.len)
		epub_answers_part(e, c, p, &answers);
	/* a chapter with something to say is converted, and says it, each
	 * time */
	if (p->d.errors || p->d.warnings)
		p->key = 0;
out:
	buf_release(&base);
	buf_release(&html);
	buf_release(&answers);
}

/* The chapters are converted on every core (see pool.h). */
struct epub_workers {
	struct epub *e;
	struct epub_part *parts;
	const zip_int64_t *prev;
	void (*side)(void *, size_t worker); /* one more job, taken first,
				 * or NULL */
	void *side_arg;
};

static void epub_worker_job(void *arg, size_t i, size_t worker)
{
	struct epub_workers *w = arg;

	if (w->side) {
		if (i == 0) {
			w->side(w->side_arg, worker);
			return;
		}
		i--;
	}
	epub_chapter(w->e, worker, i, w->prev[i], &w->parts[i]);
}

void epub_chapters(struct epub *e, struct epub_part *parts,
		   void (*side)(void *, size_t), void *side_arg)
{
	struct epub_workers w;
	size_t i;
	zip_int64_t *prev = xcalloc(e->s->n_chapters + 1, sizeof(*prev));

	/* which chapters the previous EPUB may hold as they are */
	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		prev[i] = -1;
		if (e->prev_trusted && e->last->chapters &&
		    e->last->chapters[i].key) {
			struct buf name = BUF_INIT;
			buf_addf(&name, "EPUB/%s", c->xhtml_name);
			prev[i] = zip_name_locate(e->prev, name.ptr, 0);
			buf_release(&name);
		}
	}
	w.e = e;
	w.parts = parts;
	w.prev = prev;
	w.side = side;
	w.side_arg = side_arg;
	pool_run(e->s->n_chapters + (side ? 1 : 0), 0, epub_worker_job, &w);
	free(prev);
}

void epub_take_parts(struct epub *e, struct epub_part *parts, size_t f_first)
{
	size_t i, k;

	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		struct epub_part *p = &parts[i];
		struct epub_chapter_facts *made = &e->made->chapters[i];
		int fl = p->flags;
		const char *line, *nl;

		diag_append(e->d, &p->d);
		for (k = 0; k < c->n_images; k++)
			epub_want_image(e, c->images[k]);
		for (line = p->images.ptr; line && *line; line = nl + 1) {
			char *img;
			nl = strchr(line, '\n');
			if (!nl)
				break;
			img = xstrndup(line, (size_t)(nl - line));
			epub_want_image(e, img);
			free(img);
		}
		if (fl & EPUB_CHAPTER_IMAGES)
			e->content_images = 1;
		if (fl & EPUB_CHAPTER_NO_ALT)
			e->all_alt = 0;
		e->files[f_first + i].properties =
			(fl & EPUB_CHAPTER_SVG) && (fl & EPUB_CHAPTER_MATHML)
				? "mathml svg"
			: fl & EPUB_CHAPTER_SVG    ? "svg"
			: fl & EPUB_CHAPTER_MATHML ? "mathml"
						   : NULL;
		if (p->reuse >= 0) {
			e->files[f_first + i].reuse = p->reuse;
			e->made->reused++;
		} else if (p->deflated) {
			e->files[f_first + i].deflated = p->deflated;
			p->deflated = NULL;
		} else {
			struct buf tmp = e->files[f_first + i].data;
			e->files[f_first + i].data = p->xhtml;
			p->xhtml = tmp;
		}
		if (p->answers.len)
			e->has_quizzes = 1;
		if (c->n_tasks)
			e->has_tasks = 1;
		e->made->parsed += p->parsed;
		made->key = p->key;
		made->flags = fl;
		made->answers = xstrdup(p->answers.ptr ? p->answers.ptr : "");
		made->images = xstrdup(p->images.ptr ? p->images.ptr : "");
	}
}

zip_int64_t epub_doc_at(const struct epub *e, const char *href)
{
	struct buf name = BUF_INIT;
	zip_int64_t at;

	if (!e->prev_trusted)
		return -1;
	buf_addf(&name, "EPUB/%s", href);
	at = zip_name_locate(e->prev, name.ptr, 0);
	buf_release(&name);
	return at;
}

int epub_doc_reuse(const struct epub *e, int doc, uint64_t key,
		   const char *href, zip_int64_t *reuse)
{
	*reuse = -1;
	if (e->last->doc_keys[doc] != key)
		return 0;
	*reuse = epub_doc_at(e, href);
	return *reuse >= 0;
}
