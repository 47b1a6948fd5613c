#include "search_index.h"

#include <cmark-gfm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "site.h"
#include "utf8.h"
#include "xalloc.h"
#include "xform.h"
#include "xform_quiz.h"

/* ---- text of a section ---- */

static int si_is_space(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	       ch == '\f' || ch == '\v';
}

/* Appends `len` bytes of `s`, each run of white space made one space, and
 * no space at the start of `b`. */
static void si_add(struct buf *b, const char *s, size_t len)
{
	size_t i = 0, run;

	while (i < len) {
		for (run = i; run < len && !si_is_space((unsigned char)s[run]);
		     run++)
			;
		buf_add(b, s + i, run - i);
		if (run == len)
			break;
		if (b->len && b->ptr[b->len - 1] != ' ')
			buf_addch(b, ' ');
		i = run + 1;
	}
}

static void si_adds(struct buf *b, const char *s)
{
	if (s)
		si_add(b, s, strlen(s));
}

/* Separates what comes next from what came before (blocks, breaks). */
static void si_sep(struct buf *b)
{
	if (b->len && b->ptr[b->len - 1] != ' ')
		buf_addch(b, ' ');
}

/* Appends the text of inline HTML as cmark writes it (quiz questions):
 * tags dropped, the entities it writes decoded. */
static void si_add_html_text(struct buf *b, const char *html)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {
		{ "amp;", "&" },   { "lt;", "<" },   { "gt;", ">" },
		{ "quot;", "\"" }, { "apos;", "'" }, { "nbsp;", " " },
	};
	const char *p = html;

	while (p && *p) {
		if (*p == '<') {
			const char *end = strchr(p, '>');
			if (!end)
				break;
			p = end + 1;
		} else if (*p == '&') {
			size_t i, n = sizeof(named) / sizeof(*named);
			for (i = 0; i < n; i++) {
				size_t len = strlen(named[i].name);
				if (!strncmp(p + 1, named[i].name, len)) {
					si_adds(b, named[i].text);
					p += 1 + len;
					break;
				}
			}
			if (i < n)
				continue;
			if (p[1] == '#') {
				char *end;
				unsigned long cp;
				if (p[2] == 'x' || p[2] == 'X')
					cp = strtoul(p + 3, &end, 16);
				else
					cp = strtoul(p + 2, &end, 10);
				if (*end == ';' && end > p + 2) {
					utf8_add(b, cp);
					p = end + 1;
					continue;
				}
			}
			buf_addch(b, '&');
			p++;
		} else {
			si_add(b, p, 1);
			p++;
		}
	}
}

/* ---- words, for the `more` part of a long section ---- */

/* Length of the separator at `p` (0 when it starts a word character):
 * ASCII other than letters and digits, no-break space, « » ¡ ¿ ·, and
 * the General Punctuation block (dashes, curly quotes, ellipsis...). */
static size_t si_separator(const unsigned char *p, const unsigned char *end)
{
	if (*p < 0x80)
		return ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			(*p >= 'A' && *p <= 'Z'))
			       ? 0
			       : 1;
	if (*p == 0xC2 && p + 1 < end &&
	    (p[1] == 0xA0 || p[1] == 0xAB || p[1] == 0xBB || p[1] == 0xA1 ||
	     p[1] == 0xBF || p[1] == 0xB7))
		return 2;
	if (*p == 0xE2 && p + 2 < end && (p[1] == 0x80 || p[1] == 0x81))
		return 3;
	return 0;
}

/* Finds the next word in [*pos, end): sets *start and returns its length,
 * or 0 at the end. */
static size_t si_next_word(const char *text, size_t *pos, size_t end,
			   size_t *start)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = *pos, n;

	while (i < end && (n = si_separator(u + i, u + end)) > 0)
		i += n;
	*start = i;
	while (i < end && si_separator(u + i, u + end) == 0)
		i++;
	*pos = i;
	return i - *start;
}

struct si_word {
	const char *p;
	size_t len;
};

/* A set of words compared without ASCII case, open addressing. */
struct si_set {
	struct si_word *v;
	size_t n, cap; /* cap: 0 or a power of two */
};

static unsigned char si_lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
}

static uint32_t si_hash(const char *p, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= si_lower((unsigned char)p[i]);
		h *= 16777619u;
	}
	return h;
}

static int si_same(const struct si_word *w, const char *p, size_t len)
{
	size_t i;

	if (w->len != len)
		return 0;
	for (i = 0; i < len; i++)
		if (si_lower((unsigned char)w->p[i]) !=
		    si_lower((unsigned char)p[i]))
			return 0;
	return 1;
}

/* Adds the word; returns 1 when it was new. */
static int si_set_add(struct si_set *s, const char *p, size_t len)
{
	size_t i, mask;

	if ((s->n + 1) * 2 > s->cap) {
		struct si_set bigger = { 0 };
		bigger.cap = s->cap ? s->cap * 2 : 64;
		bigger.v = xcalloc(bigger.cap, sizeof(*bigger.v));
		for (i = 0; i < s->cap; i++)
			if (s->v[i].p)
				si_set_add(&bigger, s->v[i].p, s->v[i].len);
		free(s->v);
		*s = bigger;
	}
	mask = s->cap - 1;
	for (i = si_hash(p, len) & mask; s->v[i].p; i = (i + 1) & mask)
		if (si_same(&s->v[i], p, len))
			return 0;
	s->v[i].p = p;
	s->v[i].len = len;
	s->n++;
	return 1;
}

/* ---- sections and chapters ---- */

/* Appends `s` as a JSON string, escaped as json-c escapes it (without
 * escaping '/') and safe inside a script: '<', U+2028 and U+2029 as
 * \u escapes. */
static void si_json_str(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len, *from = p;

	buf_addch(out, '"');
	for (; p < end; p++) {
		const char *rep = NULL;
		char u[7];
		switch (*p) {
		case '\b':
			rep = "\\b";
			break;
		case '\n':
			rep = "\\n";
			break;
		case '\r':
			rep = "\\r";
			break;
		case '\t':
			rep = "\\t";
			break;
		case '\f':
			rep = "\\f";
			break;
		case '"':
			rep = "\\\"";
			break;
		case '\\':
			rep = "\\\\";
			break;
		case '<':
			rep = "\\u003c";
			break;
		default:
			if (*p < ' ') {
				memcpy(u, "\\u00", 4);
				u[4] = hex[*p >> 4];
				u[5] = hex[*p & 15];
				u[6] = '\0';
				rep = u;
			} else if (*p == 0xE2 && end - p >= 3 && p[1] == 0x80 &&
				   (p[2] == 0xA8 || p[2] == 0xA9)) {
				buf_add(out, from, (size_t)(p - from));
				buf_adds(out,
					 p[2] == 0xA8 ? "\\u2028" : "\\u2029");
				p += 2;
				from = p + 1;
			}
			break;
		}
		if (rep) {
			buf_add(out, from, (size_t)(p - from));
			buf_adds(out, rep);
			from = p + 1;
		}
	}
	buf_add(out, from, (size_t)(end - from));
	buf_addch(out, '"');
}

/* Adds [id, heading, text(, more)] to `sections` (JSON text, the
 * entries so far) for the text in `b`. */
static void si_section(struct buf *sections, const char *id,
		       const char *heading, const struct buf *b)
{
	size_t len = b->len, cut, pos, start, n;

	while (len && b->ptr[len - 1] == ' ')
		len--;
	cut = len;
	if (len > SEARCH_TEXT_MAX) {
		cut = SEARCH_TEXT_MAX;
		while (cut > 0 && b->ptr[cut] != ' ')
			cut--;
		if (cut == 0) {
			cut = SEARCH_TEXT_MAX;
			while (cut > 0 &&
			       ((unsigned char)b->ptr[cut] & 0xC0) == 0x80)
				cut--;
		}
	}
	buf_adds(sections, sections->len ? ",[" : "[");
	si_json_str(sections, id, strlen(id));
	buf_addch(sections, ',');
	si_json_str(sections, heading, strlen(heading));
	buf_addch(sections, ',');
	si_json_str(sections, b->ptr, cut);
	if (cut < len) {
		struct si_set seen = { 0 };
		struct buf more = BUF_INIT;
		pos = 0;
		while ((n = si_next_word(b->ptr, &pos, cut, &start)) > 0)
			si_set_add(&seen, b->ptr + start, n);
		pos = cut;
		while ((n = si_next_word(b->ptr, &pos, len, &start)) > 0) {
			if (!si_set_add(&seen, b->ptr + start, n))
				continue;
			if (more.len)
				buf_addch(&more, ' ');
			buf_add(&more, b->ptr + start, n);
		}
		buf_addch(sections, ',');
		si_json_str(sections, more.ptr, more.len);
		buf_release(&more);
		free(seen.v);
	}
	buf_addch(sections, ']');
}

/* Walking one chapter. */
struct si_walk {
	const struct chapter *c;
	struct buf sections;       /* the JSON of those made */
	struct buf text;           /* the current section's text */
	const char *id, *heading;  /* the current section's heading */
	cmark_node **notes;        /* footnote definitions, by number */
	unsigned char *note_state; /* 0 unseen, 1 waiting, 2 written */
	size_t n_notes, cap_notes;
	size_t *waiting; /* notes referenced in this section */
	size_t n_waiting, cap_waiting;
};

static void si_walk_tree(struct si_walk *w, cmark_node *root, int in_note);

/* Ends the current section: the footnotes it references go at its end. */
static void si_walk_flush(struct si_walk *w)
{
	size_t i;

	for (i = 0; i < w->n_waiting; i++) {
		si_sep(&w->text);
		si_walk_tree(w, w->notes[w->waiting[i]], 1);
		w->note_state[w->waiting[i]] = 2;
	}
	w->n_waiting = 0;
	si_section(&w->sections, w->id, w->heading, &w->text);
	buf_reset(&w->text);
}

static void si_walk_note(struct si_walk *w, const char *label)
{
	char *end;
	unsigned long k;

	if (!label || !*label)
		return;
	k = strtoul(label, &end, 10);
	if (*end || k < 1 || k > w->n_notes || w->note_state[k - 1])
		return;
	w->note_state[k - 1] = 1;
	w->waiting = xgrow(w->waiting, sizeof(*w->waiting), w->n_waiting + 1,
			   &w->cap_waiting);
	w->waiting[w->n_waiting++] = k - 1;
}

/* Adds the text of `root`'s subtree; outside notes, an h2 or h3 starts a
 * new section. */
static void si_walk_tree(struct si_walk *w, cmark_node *root, int in_note)
{
	const struct chapter *c = w->c;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		void *tag = cmark_node_get_user_data(node);
		size_t idx = XFORM_INDEX(tag);

		if (((unsigned)type & CMARK_NODE_TYPE_MASK) ==
		    CMARK_NODE_TYPE_BLOCK) {
			si_sep(&w->text);
			if (ev != CMARK_EVENT_ENTER)
				continue;
			if (type == CMARK_NODE_FOOTNOTE_DEFINITION &&
			    node != root) {
				/* written where it is referenced */
				cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			} else if (type == CMARK_NODE_CODE_BLOCK) {
				si_adds(&w->text, cmark_node_get_literal(node));
				si_sep(&w->text);
			} else if (type == CMARK_NODE_CUSTOM_BLOCK &&
				   XFORM_KIND(tag) == XFORM_CODE &&
				   idx < c->n_detached) {
				/* highlighted: the text, not the markup */
				si_adds(&w->text, cmark_node_get_literal(
							  c->detached[idx]));
				si_sep(&w->text);
			} else if (type == CMARK_NODE_CUSTOM_BLOCK &&
				   XFORM_KIND(tag) == XFORM_HEADING &&
				   idx < c->n_headings) {
				const struct heading *h = &c->headings[idx];
				if (h->level <= 3 && !in_note) {
					si_walk_flush(w);
					w->id = h->id;
					w->heading = h->text;
				} else {
					si_adds(&w->text, h->text);
					si_sep(&w->text);
				}
				cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			} else if (type == CMARK_NODE_CUSTOM_BLOCK &&
				   XFORM_KIND(tag) == XFORM_QUIZ &&
				   idx < c->quizzes.n) {
				const struct quiz *q = &c->quizzes.v[idx];
				size_t i;
				for (i = 0; i < q->n_questions; i++) {
					si_add_html_text(&w->text,
							 q->questions[i].html);
					si_sep(&w->text);
				}
				cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			}
			continue;
		}
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (type) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			si_adds(&w->text, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			si_sep(&w->text);
			break;
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			si_walk_note(w, cmark_node_get_literal(node));
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/* Appends chapter `c`'s entry: [title, href, [SECTION, ...]]. */
static void si_chapter(const struct chapter *c, struct buf *out)
{
	struct si_walk w;
	cmark_node *node;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.c = c;
	buf_init(&w.sections);
	buf_init(&w.text);
	w.id = w.heading = "";
	/* cmark-gfm moves the definitions that are referenced to the end of
	 * the document, numbered in order; a reference's literal is that
	 * number. */
	for (node = cmark_node_first_child(c->doc); node;
	     node = cmark_node_next(node)) {
		if (cmark_node_get_type(node) != CMARK_NODE_FOOTNOTE_DEFINITION)
			continue;
		w.notes = xgrow(w.notes, sizeof(*w.notes), w.n_notes + 1,
				&w.cap_notes);
		w.notes[w.n_notes++] = node;
	}
	w.note_state = xcalloc(w.n_notes + 1, 1);

	si_adds(&w.text, c->fm.summary);
	si_walk_tree(&w, c->doc, 0);
	/* notes no reference was matched with stay in the last section */
	for (i = 0; i < w.n_notes; i++)
		if (!w.note_state[i]) {
			char label[32];
			snprintf(label, sizeof(label), "%zu", i + 1);
			si_walk_note(&w, label);
		}
	si_walk_flush(&w);
	buf_release(&w.text);
	free(w.notes);
	free(w.note_state);
	free(w.waiting);

	buf_addch(out, '[');
	si_json_str(out, c->fm.title ? c->fm.title : "",
		    c->fm.title ? strlen(c->fm.title) : 0);
	buf_addch(out, ',');
	si_json_str(out, c->html_name, strlen(c->html_name));
	buf_addch(out, ',');
	buf_addch(out, '[');
	buf_add(out, w.sections.ptr, w.sections.len);
	buf_adds(out, "]]");
	buf_release(&w.sections);
}

void search_index_chapter(const struct chapter *c, struct buf *out)
{
	si_chapter(c, out);
}

size_t search_index_parts(const struct site *s)
{
	size_t n = (s->n_chapters + SEARCH_PART_CHAPTERS - 1) /
		   SEARCH_PART_CHAPTERS;

	return n ? n : 1;
}

size_t search_index_part_chapters(const struct site *s, size_t part,
				  size_t *first)
{
	*first = part * SEARCH_PART_CHAPTERS;
	if (*first >= s->n_chapters) {
		*first = s->n_chapters;
		return 0;
	}
	return s->n_chapters - *first < SEARCH_PART_CHAPTERS
		       ? s->n_chapters - *first
		       : SEARCH_PART_CHAPTERS;
}

void search_index_part_name(size_t part, struct buf *out)
{
	if (part == 0)
		buf_adds(out, SEARCH_INDEX_FILE);
	else
		buf_addf(out, SEARCH_PART_FORMAT, part + 1);
}

void search_index_build_part(const struct site *s, size_t part,
			     void (*entry)(void *arg, size_t i,
					   struct buf *out),
			     void *arg, size_t total, struct buf *out,
			     uint64_t *at)
{
	size_t first, n, i, k;
	size_t parts = search_index_parts(s);

	n = search_index_part_chapters(s, part, &first);
	/* one allocation for the entries, not twenty */
	buf_grow(out,
		 total + n + 64 + strlen(SEARCH_INDEX_PREFIX) + 32 * parts);
	if (part == 0) {
		buf_adds(out, SEARCH_INDEX_PREFIX);
		buf_addf(out, "{\"v\":%d,", SEARCH_INDEX_VERSION);
		if (parts > 1) {
			buf_adds(out, "\"parts\":[");
			for (k = 1; k < parts; k++) {
				if (k > 1)
					buf_addch(out, ',');
				buf_addch(out, '"');
				search_index_part_name(k, out);
				buf_addch(out, '"');
			}
			buf_adds(out, "],");
		}
	} else {
		buf_adds(out, SEARCH_PARTS_PREFIX "[\"");
		search_index_part_name(part, out);
		buf_addf(out, "\"] = {\"v\":%d,", SEARCH_INDEX_VERSION);
	}
	buf_adds(out, "\"chapters\":[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addch(out, ',');
		if (at)
			at[2 * i] = out->len;
		entry(arg, i, out);
		if (at)
			at[2 * i + 1] = out->len;
	}
	buf_adds(out, "]};\n");
}
