/* epub_pages: the documents of the whole book that are not about
 * navigation: the title page, the checklist of task items, and the quiz
 * answers gathered from the chapters. */
#include "epub.h"
#include "hash.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPUB_ANSWERS_MARK "stepbook-answers"

void epub_answers(struct epub *e, const struct epub_part *parts,
		  struct buf *out)
{
	xmlNodePtr body, sec, h1;
	xmlDocPtr doc = epub_xhtml_new(e, i18n_str(&e->s->i18n, "quiz_answers"),
				       &body);
	struct buf page = BUF_INIT;
	const char *mark;
	size_t i;

	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "appendix");
	xmlSetProp(sec, X("role"), X("doc-appendix"));
	xmlSetProp(sec, X("aria-labelledby"), X("answers-title"));
	h1 = epub_text_child(sec, "h1", i18n_str(&e->s->i18n, "quiz_answers"));
	xmlSetProp(h1, X("id"), X("answers-title"));
	xmlAddChild(sec, xmlNewComment(X(EPUB_ANSWERS_MARK)));
	epub_xhtml_dump(doc, 0, &page);
	xmlFreeDoc(doc);
	mark = strstr(page.ptr, "<!--" EPUB_ANSWERS_MARK "-->");
	if (!mark) {
		fputs("stepbook: cannot lay out the answers\n", stderr);
		exit(3);
	}
	buf_add(out, page.ptr, (size_t)(mark - page.ptr));
	for (i = 0; i < e->s->n_chapters; i++)
		if (parts[i].answers.len)
			buf_add(out, parts[i].answers.ptr,
				parts[i].answers.len);
	buf_adds(out, mark + strlen("<!--" EPUB_ANSWERS_MARK "-->"));
	buf_release(&page);
}

void epub_title_page(struct epub *e, struct buf *out)
{
	const struct config *cfg = &e->s->cfg;
	xmlNodePtr body, sec, p;
	xmlDocPtr doc = epub_xhtml_new(e, cfg->title, &body);

	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "titlepage");
	xmlSetProp(sec, X("class"), X("titlepage"));
	xmlSetProp(sec, X("aria-labelledby"), X("book-title"));
	p = epub_text_child(sec, "h1", cfg->title);
	xmlSetProp(p, X("id"), X("book-title"));
	if (*cfg->subtitle) {
		p = epub_text_child(sec, "p", cfg->subtitle);
		xmlSetProp(p, X("class"), X("subtitle"));
	}
	if (*cfg->author) {
		p = epub_text_child(sec, "p", cfg->author);
		xmlSetProp(p, X("class"), X("author"));
	}
	if (*cfg->description) {
		p = epub_text_child(sec, "p", cfg->description);
		xmlSetProp(p, X("class"), X("description"));
	}
	epub_xhtml_dump(doc, 1, out);
	xmlFreeDoc(doc);
}

/* What the checklist's entries are made of, for its key: each chapter
 * with tasks (its slug, title and document) and each task (whether it is
 * checked, the heading it sits under, its text). Hashing these costs far
 * less than writing the entries, which a rebuild then does only when the
 * key has changed. */
static uint64_t epub_checklist_hash(const struct epub *e)
{
	uint64_t h = HASH_SEED;
	size_t i, j;

	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		if (!c->n_tasks)
			continue;
		h = hash_u64(h, i);
		h = hash_str(h, c->slug);
		h = hash_str(h, c->fm.title ? c->fm.title : "");
		h = hash_str(h, c->xhtml_name);
		for (j = 0; j < c->n_tasks; j++) {
			const struct task *t = &c->tasks[j];
			h = hash_u64(h, (uint64_t)t->checked);
			h = hash_str(h, t->heading != SITE_NONE
						? c->headings[t->heading].id
						: "");
			h = hash_str(h, t->text ? t->text : "");
		}
	}
	return h;
}

/* The checklist's entries: a section for each chapter with tasks, an
 * item for each task. */
static void epub_checklist_entries(struct epub *e, struct epub_xw *w)
{
	struct buf *out = w->out;
	const char *const ul[] = { "class", "checklist", NULL };
	struct buf id = BUF_INIT, href = BUF_INIT;
	size_t i, j;

	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		const char *part[] = { "aria-labelledby", NULL, NULL };
		const char *h2[] = { "id", NULL, NULL };

		if (!c->n_tasks)
			continue;
		buf_reset(&id);
		buf_addf(&id, "checklist-%s", c->slug);
		part[1] = h2[1] = id.ptr;
		epub_xw_open(w, "section", part);
		epub_xw_leaf(w, "h2", h2, c->fm.title);
		epub_xw_open(w, "ul", ul);
		for (j = 0; j < c->n_tasks; j++) {
			const struct task *t = &c->tasks[j];

			buf_reset(&href);
			epub_add_href(&href, c->xhtml_name);
			if (t->heading != SITE_NONE) {
				buf_addch(&href, '#');
				buf_adds(&href, c->headings[t->heading].id);
			}
			/* mixed content: one line, as libxml2 writes it */
			epub_xw_indent(w);
			buf_addf(out,
				 "<li><span class=\"task-box\" aria-hidden="
				 "\"true\">%s</span> <a href=\"",
				 t->checked ? "\xE2\x98\x91" : "\xE2\x98\x90");
			epub_xw_escape(out, href.ptr, 1);
			buf_adds(out, "\">");
			epub_xw_escape(out, t->text, 0);
			buf_adds(out, "</a></li>\n");
			epub_xw_flush(w);
		}
		epub_xw_close(w, "ul");
		epub_xw_close(w, "section");
	}
	buf_release(&id);
	buf_release(&href);
}

void epub_checklist(struct epub *e, struct epub_xw *w)
{
	const char *const sec[] = {
		"epub:type",       "appendix",        "role",
		"doc-appendix",    "class",           "checklist",
		"aria-labelledby", "checklist-title", NULL
	};
	const char *const h1[] = { "id", "checklist-title", NULL };

	/* written as text (epub_xw_*), as the nav is: one entry a task,
	 * the entries keyed as one value */
	epub_xw_xhtml_begin(w, e, i18n_str(&e->s->i18n, "checklist"));
	epub_xw_open(w, "section", sec);
	epub_xw_leaf(w, "h1", h1, i18n_str(&e->s->i18n, "checklist"));
	epub_xw_leaf(w, "p", NULL, i18n_str(&e->s->i18n, "checklist_intro"));
	if (epub_xw_value_begin(w, "checklist", epub_checklist_hash(e)))
		epub_checklist_entries(e, w);
	epub_xw_value_end(w);
	epub_xw_close(w, "section");
	epub_xw_xhtml_end(w);
}
