/* epub_pages: the documents of the whole book that are not about
 * navigation: the title page, the checklist of task items, and the quiz
 * answers gathered from the chapters. */
#include "epub.h"
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

void epub_checklist(struct epub *e, struct buf *out)
{
	xmlNodePtr body, sec, h;
	xmlDocPtr doc = epub_xhtml_new(e, i18n_str(&e->s->i18n, "checklist"),
				       &body);
	size_t i, j;

	sec = xmlNewChild(body, NULL, X("section"), NULL);
	epub_epub_type(sec, "appendix");
	xmlSetProp(sec, X("role"), X("doc-appendix"));
	xmlSetProp(sec, X("class"), X("checklist"));
	xmlSetProp(sec, X("aria-labelledby"), X("checklist-title"));
	h = epub_text_child(sec, "h1", i18n_str(&e->s->i18n, "checklist"));
	xmlSetProp(h, X("id"), X("checklist-title"));
	epub_text_child(sec, "p", i18n_str(&e->s->i18n, "checklist_intro"));
	for (i = 0; i < e->s->n_chapters; i++) {
		const struct chapter *c = &e->s->chapters[i];
		xmlNodePtr part, ul;
		struct buf id = BUF_INIT;

		if (!c->n_tasks)
			continue;
		part = xmlNewChild(sec, NULL, X("section"), NULL);
		buf_addf(&id, "checklist-%s", c->slug);
		xmlSetProp(part, X("aria-labelledby"), X(id.ptr));
		h = epub_text_child(part, "h2", c->fm.title);
		xmlSetProp(h, X("id"), X(id.ptr));
		buf_release(&id);
		ul = xmlNewChild(part, NULL, X("ul"), NULL);
		xmlSetProp(ul, X("class"), X("checklist"));
		for (j = 0; j < c->n_tasks; j++) {
			const struct task *t = &c->tasks[j];
			struct buf href = BUF_INIT;
			xmlNodePtr li = xmlNewChild(ul, NULL, X("li"), NULL);
			xmlNodePtr box, a;

			box = epub_text_child(li, "span",
					      t->checked ? "\xE2\x98\x91"
							 : "\xE2\x98\x90");
			xmlSetProp(box, X("class"), X("task-box"));
			xmlSetProp(box, X("aria-hidden"), X("true"));
			xmlAddChild(li, xmlNewText(X(" ")));
			epub_add_href(&href, c->xhtml_name);
			if (t->heading != SITE_NONE) {
				buf_addch(&href, '#');
				buf_adds(&href, c->headings[t->heading].id);
			}
			a = epub_text_child(li, "a", t->text);
			epub_prop(a, "href", href.ptr);
			buf_release(&href);
		}
	}
	epub_xhtml_dump(doc, 1, out);
	xmlFreeDoc(doc);
}
