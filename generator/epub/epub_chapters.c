/* epub_chapters: a document per chapter, made on every core (pool.h):
 * its rendered body made part of it (epub_xhtml.c), its title and its
 * "Referenced from" list, deflated on the thread that made it; or the
 * previous EPUB's entry when the cache knows it was made from the same
 * inputs. Also the keys of the whole-book documents. */
#include "epub.h"
#include "i18n.h"
#include "langtag.h"
#include "write_epub.h"

#include <json.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "hash.h"
#include "jobj.h"
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

/* ---- what a chapter's documents are made of ----
 *
 * A chapter's document and its section of answers.xhtml are made from
 * one context, built by epub_chapter_context() alone (context.h): hashed
 * for the key that decides whether the previous EPUB's document can be
 * copied, and built as JSON for the functions below, which read nothing
 * of the chapter or the book but it (and the book's documents and files,
 * whose key is in it). A value added to it is in the key by
 * construction. */

/* What the lazy body and answers are made from. */
struct epub_texts {
	const struct epub *e;
	size_t idx;
	struct buf html, answers;
	int made;
};

static void epub_texts_make(struct epub_texts *t)
{
	if (!t->made)
		incr_body(t->e->inc, t->e->s, t->idx, RENDER_EPUB, &t->html,
			  &t->answers);
	t->made = 1;
}

static void epub_texts_body(void *arg, struct buf *out)
{
	struct epub_texts *t = arg;

	epub_texts_make(t);
	buf_add(out, t->html.ptr, t->html.len);
}

static void epub_texts_answers(void *arg, struct buf *out)
{
	struct epub_texts *t = arg;

	epub_texts_make(t);
	buf_add(out, t->answers.ptr, t->answers.len);
}

static void epub_chapter_context(struct ctx *x, struct epub_texts *t)
{
	const struct epub *e = t->e;
	const struct site *s = e->s;
	const struct chapter *c = &s->chapters[t->idx];
	uint64_t body = incr_body_key(e->inc, s, t->idx, RENDER_EPUB);
	char tag[64];
	size_t i;

	/* the book's documents and files, which links and images find */
	ctx_int(x, "book", (int64_t)e->book_key);
	ctx_str(x, "title", c->fm.title);
	ctx_str(x, "slug", c->slug);
	/* a chapter in a language of its own (front matter `language:`)
	 * says so, and which way it is written */
	if (chapter_language(c, e->lang, tag, sizeof(tag))) {
		ctx_str(x, "lang", tag);
		ctx_str(x, "dir", langtag_is_rtl(tag) ? "rtl" : "ltr");
	} else {
		ctx_str(x, "lang", e->lang);
		ctx_str(x, "dir", i18n_is_rtl(&s->i18n) ? "rtl" : "");
	}
	ctx_str(x, "page", c->html_name);
	ctx_str(x, "base_url", s->cfg.base_url);
	ctx_bool(x, "unsafe_html", s->cfg.unsafe_html);
	ctx_str(x, "notes", i18n_str(&s->i18n, "notes"));
	ctx_str(x, "referenced_from", i18n_str(&s->i18n, "referenced_from"));
	ctx_str(x, "quiz_answers", i18n_str(&s->i18n, "quiz_answers"));
	/* the "Referenced from" list at the end */
	ctx_array(x, "backlinks");
	for (i = 0; i < c->n_backlinks; i++) {
		const struct backlink *bl = &c->backlinks[i];
		const struct chapter *from = &s->chapters[bl->chapter];
		struct buf href = BUF_INIT, text = BUF_INIT;

		epub_add_href(&href, from->xhtml_name);
		buf_adds(&text, from->fm.title);
		if (bl->heading != SITE_NONE) {
			buf_addch(&href, '#');
			buf_adds(&href, from->headings[bl->heading].id);
			buf_adds(&text, ": ");
			buf_adds(&text, from->headings[bl->heading].text);
		}
		ctx_object(x, NULL);
		ctx_str(x, "href", href.ptr);
		ctx_str(x, "text", text.ptr);
		ctx_close(x);
		buf_release(&href);
		buf_release(&text);
	}
	ctx_close(x);
	/* the rendered body and quiz answers, keyed by what they are made
	 * from (incr_body_key()) */
	ctx_lazy(x, "body", body, epub_texts_body, t);
	ctx_lazy(x, "answers", body, epub_texts_answers, t);
}

static const char *epub_ctx_str(struct json_object *ctx, const char *name)
{
	const char *v = jobj_get_str(ctx, name);

	return v ? v : "";
}

static size_t epub_ctx_len(struct json_object *ctx, const char *name)
{
	struct json_object *v = jobj_get(ctx, name);

	return v ? (size_t)json_object_get_string_len(v) : 0;
}

/* What conversion reads, from the context `ctx`; the chapter for
 * messages. */
static void epub_chapter_env(struct json_object *ctx, const struct chapter *c,
			     struct conv_env *env)
{
	struct json_object *unsafe = jobj_get(ctx, "unsafe_html");

	env->base_url = epub_ctx_str(ctx, "base_url");
	env->page = epub_ctx_str(ctx, "page");
	env->unsafe_html = unsafe && json_object_get_boolean(unsafe);
	env->notes = epub_ctx_str(ctx, "notes");
	env->where = c->path;
	env->images = (const char *const *)c->images;
	env->n_images = c->n_images;
}

/* The "Referenced from" list at the end of a chapter. */
static void epub_backlinks(struct conv *cv, struct json_object *ctx,
			   xmlNodePtr parent)
{
	struct json_object *list = jobj_get(ctx, "backlinks");
	size_t i, n = list ? json_object_array_length(list) : 0;
	xmlNodePtr sec, h, ul;
	char *hid;

	if (!n)
		return;
	sec = xmlNewChild(parent, NULL, X("section"), NULL);
	xmlSetProp(sec, X("class"), X("backlinks"));
	hid = conv_unique_id(cv, "referenced-from");
	xmlSetProp(sec, X("aria-labelledby"), X(hid));
	h = epub_text_child(sec, "h2", epub_ctx_str(ctx, "referenced_from"));
	xmlSetProp(h, X("id"), X(hid));
	free(hid);
	ul = xmlNewChild(sec, NULL, X("ul"), NULL);
	for (i = 0; i < n; i++) {
		struct json_object *bl = json_object_array_get_idx(list, i);
		xmlNodePtr li = xmlNewChild(ul, NULL, X("li"), NULL), a;

		a = epub_text_child(li, "a", epub_ctx_str(bl, "text"));
		epub_prop(a, "href", epub_ctx_str(bl, "href"));
	}
}

/* The answers of the chapter, under its title: its section of
 * answers.xhtml, into p->answers. */
static int epub_answers_part(struct epub *e, struct json_object *ctx,
			     const struct conv_env *env, struct epub_part *p)
{
	struct conv cv;
	xmlDocPtr doc;
	xmlNodePtr body, sec, h;
	struct buf id = BUF_INIT;
	size_t from;
	int r;

	doc = epub_xhtml_new(e, epub_ctx_str(ctx, "quiz_answers"), &body);
	conv_init(&cv, e, env, p, doc);
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	buf_addf(&id, "answers-for-%s", epub_ctx_str(ctx, "slug"));
	xmlSetProp(sec, X("aria-labelledby"), X(id.ptr));
	h = epub_text_child(sec, "h2", epub_ctx_str(ctx, "title"));
	xmlSetProp(h, X("id"), X(id.ptr));
	buf_release(&id);
	r = epub_fragment(&cv, sec, epub_ctx_str(ctx, "answers"),
			  epub_ctx_len(ctx, "answers"));
	from = p->answers.len;
	epub_node_dump(doc, sec, &p->answers);
	conv_splice(&cv, &p->answers, from);
	p->parsed += cv.parsed;
	conv_release(&cv);
	xmlFreeDoc(doc);
	return r;
}

/* The chapter's document, made from the context `ctx` into p->xhtml.
 * Returns what converting its body returned. */
static int epub_chapter_doc(struct epub *e, struct json_object *ctx,
			    const struct conv_env *env, struct epub_part *p)
{
	const char *dir = epub_ctx_str(ctx, "dir");
	struct buf base = BUF_INIT;
	struct conv cv;
	xmlDocPtr doc;
	xmlNodePtr body, sec, h1;
	char *hid;
	int r;

	doc = epub_xhtml_new_in(epub_ctx_str(ctx, "lang"), *dir ? dir : NULL,
				epub_ctx_str(ctx, "title"), &body);
	conv_init(&cv, e, env, p, doc);
	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "chapter");
	xmlSetProp(sec, X("role"), X("doc-chapter"));
	h1 = epub_text_child(sec, "h1", epub_ctx_str(ctx, "title"));
	r = epub_fragment(&cv, sec, epub_ctx_str(ctx, "body"),
			  epub_ctx_len(ctx, "body"));
	epub_backlinks(&cv, ctx, sec);
	buf_addf(&base, "%s-title", epub_ctx_str(ctx, "slug"));
	hid = conv_unique_id(&cv, base.ptr);
	buf_release(&base);
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
	return r;
}

/* The chapter's context built in `mode`, the JSON into *json (CTX_JSON);
 * returns its hash. */
static uint64_t epub_chapter_build(const struct epub *e, size_t idx,
				   enum ctx_mode mode,
				   struct json_object **json)
{
	struct epub_texts t = { e, idx, BUF_INIT, BUF_INIT, 0 };
	struct ctx x;
	uint64_t h;

	ctx_begin(&x, mode, 0);
	epub_chapter_context(&x, &t);
	h = ctx_end(&x, json);
	buf_release(&t.html);
	buf_release(&t.answers);
	return h ? h : 1;
}

uint64_t epub_chapter_key(const struct epub *e, size_t idx)
{
	return epub_chapter_build(e, idx, CTX_KEY, NULL);
}

uint64_t epub_chapter_json(const struct epub *e, size_t idx,
			   struct json_object **json)
{
	return epub_chapter_build(e, idx, CTX_JSON, json);
}

/* Makes chapter `idx`'s part: its document (or the entry of the previous
 * EPUB that holds it, when its key is the one the previous EPUB's was
 * made from), its answers and what it shows. Touches nothing shared:
 * runs on any thread. */
static void epub_chapter(struct epub *e, size_t worker, size_t idx,
			 zip_int64_t prev, struct epub_part *p)
{
	const struct chapter *c = &e->s->chapters[idx];
	struct json_object *ctx;
	struct conv_env env;
	int r;

	p->key = epub_chapter_key(e, idx);
	if (prev >= 0 && p->key == e->last->chapters[idx].key) {
		/* made from the same context: the same document */
		const struct epub_chapter_facts *was = &e->last->chapters[idx];
		p->reuse = prev;
		p->flags = was->flags;
		if (was->answers)
			buf_adds(&p->answers, was->answers);
		if (was->images)
			buf_adds(&p->images, was->images);
		return;
	}
	epub_chapter_json(e, idx, &ctx);
	epub_chapter_env(ctx, c, &env);
	r = epub_chapter_doc(e, ctx, &env, p);
	/* compressed now, on this thread: the book's documents are never
	 * all in memory at once */
	p->deflated = epub_deflate(e, worker, &p->xhtml);
	if (p->deflated)
		buf_release(&p->xhtml);
	if (r == 0 && epub_ctx_len(ctx, "answers"))
		epub_answers_part(e, ctx, &env, p);
	json_object_put(ctx);
	/* a chapter with something to say is converted, and says it, each
	 * time */
	if (p->d.errors || p->d.warnings)
		p->key = 0;
}

/* The chapters are converted on every core (see pool.h). */
struct epub_workers {
	struct epub *e;
	struct epub_part *parts;
	const zip_int64_t *prev;
	/* more jobs, taken first: side(side_arg, job, worker) for job 0 to
	 * n_side - 1 */
	void (*side)(void *, size_t job, size_t worker);
	size_t n_side;
	void *side_arg;
};

static void epub_worker_job(void *arg, size_t i, size_t worker)
{
	struct epub_workers *w = arg;

	if (i < w->n_side) {
		w->side(w->side_arg, i, worker);
		return;
	}
	i -= w->n_side;
	epub_chapter(w->e, worker, i, w->prev[i], &w->parts[i]);
}

void epub_chapters(struct epub *e, struct epub_part *parts,
		   void (*side)(void *, size_t, size_t), size_t n_side,
		   void *side_arg)
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
	w.n_side = side ? n_side : 0;
	w.side_arg = side_arg;
	pool_run(e->s->n_chapters + w.n_side, 0, epub_worker_job, &w);
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
