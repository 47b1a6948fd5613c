#include "xform_mdbook.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "site.h"
#include "xalloc.h"

static int mdbook_is_rust(const char *info)
{
	size_t n = info ? strcspn(info, " \t,{") : 0;

	return n == 4 && !memcmp(info, "rust", 4);
}

/* Rewrites a Rust code block without its hidden lines. */
static void mdbook_hide_rust(cmark_node *code)
{
	const char *s = cmark_node_get_literal(code), *p;
	struct buf out = BUF_INIT;
	int changed = 0;

	for (p = s; p && *p;) {
		const char *nl = strchr(p, '\n'), *q = p;
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);

		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		if (*q == '#' && (q[1] == ' ' || q[1] == '\n' || q[1] == '\0' ||
				  q + 1 == p + len)) {
			changed = 1;
		} else if (q[0] == '#' && q[1] == '#') {
			buf_add(&out, p, (size_t)(q - p));
			buf_add(&out, q + 1, len - (size_t)(q + 1 - p));
			changed = 1;
		} else {
			buf_add(&out, p, len);
		}
		p += len;
	}
	if (changed)
		cmark_node_set_literal(code, out.ptr);
	buf_release(&out);
}

static cmark_node *mdbook_link(const struct heading *h)
{
	cmark_node *item = cmark_node_new(CMARK_NODE_ITEM);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
	cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
	struct buf url = BUF_INIT;

	buf_addf(&url, "#%s", h->id);
	cmark_node_set_url(link, url.ptr);
	cmark_node_set_literal(text, h->text);
	cmark_node_append_child(link, text);
	cmark_node_append_child(para, link);
	cmark_node_append_child(item, para);
	buf_release(&url);
	return item;
}

static cmark_node *mdbook_list(void)
{
	cmark_node *list = cmark_node_new(CMARK_NODE_LIST);

	cmark_node_set_list_type(list, CMARK_BULLET_LIST);
	cmark_node_set_list_tight(list, 1);
	return list;
}

/* The chapter's contents in place of the paragraph `para`. */
static void mdbook_toc(const struct chapter *c, cmark_node *para)
{
	cmark_node *list = mdbook_list(), *last = NULL, *sub = NULL;
	size_t i;

	for (i = 0; i < c->n_headings; i++) {
		const struct heading *h = &c->headings[i];

		if (h->level == 2) {
			last = mdbook_link(h);
			cmark_node_append_child(list, last);
			sub = NULL;
		} else if (h->level == 3) {
			if (!last) {
				cmark_node_append_child(list, mdbook_link(h));
				continue;
			}
			if (!sub) {
				sub = mdbook_list();
				cmark_node_append_child(last, sub);
			}
			cmark_node_append_child(sub, mdbook_link(h));
		}
	}
	if (cmark_node_first_child(list)) {
		cmark_node_insert_before(para, list);
	} else {
		cmark_node_free(list);
	}
	cmark_node_unlink(para);
	cmark_node_free(para);
}

/* Whether `name` is a directive directives.h expands: found in the
 * text, it was escaped. */
static int mdbook_known(const char *name, size_t len)
{
	static const char *const known[] = { "include",    "rustdoc_include",
					     "playground", "playpen",
					     "title",      "toc" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strlen(known[i]) == len && !memcmp(known[i], name, len))
			return 1;
	return 0;
}

/* Warns about and cuts every `{{#name ...}}` of a text node. */
static void mdbook_unknown(const struct chapter *c, cmark_node *text,
			   struct diag *d)
{
	const char *s = cmark_node_get_literal(text), *p = s, *open;
	struct buf out = BUF_INIT;
	int line = cmark_node_get_start_line(text) + c->fm.body_line;
	int found = 0;

	while ((open = strstr(p, "{{"))) {
		const char *q = open + 2, *name, *close;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '#' || !(close = strstr(q, "}}"))) {
			buf_add(&out, p, (size_t)(open + 2 - p));
			p = open + 2;
			continue;
		}
		name = ++q;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		       (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		if (q == name) {
			buf_add(&out, p, (size_t)(open + 2 - p));
			p = open + 2;
			continue;
		}
		if (mdbook_known(name, (size_t)(q - name))) {
			/* escaped as \\{{#include ...}}: written as is */
			buf_add(&out, p, (size_t)(close + 2 - p));
			p = close + 2;
			continue;
		}
		diag_warning(d, c->path, line,
			     cmark_node_get_start_column(text) +
				     (int)(open - s),
			     "unknown directive '{{#%.*s}}' is left out",
			     (int)(q - name), name);
		diag_attach_source(d, c->source.ptr, c->source.len, line);
		buf_add(&out, p, (size_t)(open - p));
		p = close + 2;
		found = 1;
	}
	if (found) {
		buf_adds(&out, p);
		cmark_node_set_literal(text, out.ptr);
	}
	buf_release(&out);
}

static int mdbook_is_toc(cmark_node *para)
{
	cmark_node *t = cmark_node_first_child(para);
	const char *s;

	if (!t || cmark_node_next(t) ||
	    cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return 0;
	s = cmark_node_get_literal(t);
	while (*s == ' ')
		s++;
	return !strncmp(s, "{{#toc}}", 8) &&
	       strspn(s + 8, " ") == strlen(s + 8);
}

void xform_mdbook_run(struct chapter *c, struct diag *d)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node **tocs = NULL;
	size_t n_tocs = 0, i;

	it = cmark_iter_new(c->doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_CODE_BLOCK &&
		    mdbook_is_rust(cmark_node_get_fence_info(node))) {
			mdbook_hide_rust(node);
		} else if (type == CMARK_NODE_PARAGRAPH &&
			   mdbook_is_toc(node)) {
			tocs = xrealloc(tocs, (n_tocs + 1) * sizeof(*tocs));
			tocs[n_tocs++] = node;
		} else if (type == CMARK_NODE_TEXT &&
			   strstr(cmark_node_get_literal(node), "{{")) {
			cmark_node *parent = cmark_node_parent(node);

			if (!(parent && mdbook_is_toc(parent)))
				mdbook_unknown(c, node, d);
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n_tocs; i++)
		mdbook_toc(c, tocs[i]);
	free(tocs);
}
