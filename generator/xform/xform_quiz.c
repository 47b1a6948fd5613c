#include "xform_quiz.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "buf.h"
#include "diag.h"
#include "markdown.h"
#include "markdown_xhtml.h"
#include "path.h"
#include "xalloc.h"
#include "xform.h"

#define QUIZ_OPTS \
	(CMARK_OPT_DEFAULT | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8)

/* CommonMark's limits: an autolink's scheme has 2 to 32 characters, an
 * ordered list marker at most 9 digits. */
#define CM_SCHEME_MIN 2
#define CM_SCHEME_MAX 32
#define CM_LIST_DIGITS 9

/* ---- inline Markdown ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether a line starting with '<' is an autolink (<scheme:...> or
 * <user@host>), which must stay as it is; any other '<' is escaped so that
 * it cannot open an HTML block. */
static int is_autolink(const char *s, size_t len)
{
	size_t i = 1;

	if (i < len && is_ascii_alpha(s[i])) {
		while (i < len &&
		       (is_ascii_alpha(s[i]) || is_ascii_digit(s[i]) ||
			s[i] == '+' || s[i] == '.' || s[i] == '-'))
			i++;
		if (i < len && s[i] == ':' && i - 1 >= CM_SCHEME_MIN &&
		    i - 1 <= CM_SCHEME_MAX)
			return 1;
	}
	for (i = 1; i < len && s[i] != '>'; i++) {
		if (s[i] == '@')
			return 1;
		if (is_blank(s[i]) || s[i] == '<')
			return 0;
	}
	return 0;
}

/* Whether the line looks like a link reference definition, `[label]:`,
 * which cmark would swallow instead of showing. */
static int is_definition(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == ']')
			return i + 1 < len && s[i + 1] == ':';
	}
	return 0;
}

/* Whether the line is made of one of - * _ = and blanks only: a thematic
 * break or a setext underline. */
static int is_rule(const char *s, size_t len)
{
	size_t i;
	char c = s[0];

	if (c != '-' && c != '*' && c != '_' && c != '=')
		return 0;
	for (i = 1; i < len; i++)
		if (s[i] != c && !is_blank(s[i]))
			return 0;
	return 1;
}

/* Appends `s` with each control character but tab replaced by U+FFFD: a
 * stray carriage return would otherwise end the line for cmark, and the
 * others are not allowed in XML. */
static void add_text(struct buf *md, const char *s, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && c != '\t') {
			buf_add(md, s + from, i - from);
			buf_adds(md, "\xef\xbf\xbd");
			from = i + 1;
		}
	}
	buf_add(md, s + from, len - from);
}

/* Appends one line of inline Markdown (no leading or trailing blanks) to
 * `md`, with a backslash before a block-level marker at its start, so that
 * cmark reads the line as paragraph text whatever it begins with. Returns
 * the offset in `s` before which the backslash went, or -1. */
static long add_inline_line(struct buf *md, const char *s, size_t len)
{
	size_t i;
	int esc = 0;

	if (!len)
		return -1;
	switch (s[0]) {
	case '#':
	case '>':
		esc = 1;
		break;
	case '-':
	case '+':
	case '*':
		esc = len == 1 || is_blank(s[1]);
		break;
	case '`':
	case '~':
		esc = len >= 3 && s[1] == s[0] && s[2] == s[0];
		break;
	case '<':
		esc = !is_autolink(s, len);
		break;
	case '[':
		esc = is_definition(s, len);
		break;
	default:
		break;
	}
	if (!esc && is_rule(s, len))
		esc = 1;
	if (esc) {
		buf_addch(md, '\\');
		add_text(md, s, len);
		return 0;
	}
	/* An ordered list marker: digits, then '.' or ')'. */
	for (i = 0; i < len && i <= CM_LIST_DIGITS && is_ascii_digit(s[i]); i++)
		;
	if (i > 0 && i <= CM_LIST_DIGITS && i < len &&
	    (s[i] == '.' || s[i] == ')') &&
	    (i + 1 == len || is_blank(s[i + 1]))) {
		buf_add(md, s, i);
		buf_addch(md, '\\');
		add_text(md, s + i, len - i);
		return (long)i;
	}
	add_text(md, s, len);
	return -1;
}

static void attach_extension(cmark_parser *p, const char *name)
{
	cmark_syntax_extension *ext = cmark_find_syntax_extension(name);

	if (ext)
		cmark_parser_attach_syntax_extension(p, ext);
}

/* Turns raw HTML inside `para` into plain text, so that it is rendered
 * escaped rather than passed through or omitted. */
static void html_to_text(cmark_node *para)
{
	cmark_iter *it = cmark_iter_new(para);
	cmark_node **found = NULL;
	size_t n = 0, cap = 0, i;
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);

		if (ev == CMARK_EVENT_ENTER &&
		    cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE) {
			found = xgrow(found, sizeof(*found), n + 1, &cap);
			found[n++] = node;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < n; i++) {
		cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
		const char *lit = cmark_node_get_literal(found[i]);

		cmark_node_set_literal(text, lit ? lit : "");
		cmark_node_replace(found[i], text);
		cmark_node_free(found[i]);
	}
	free(found);
}

/* One line of quiz text to render: `len` bytes at `text`, which start at
 * file line `line`, column `col`. */
struct inline_line {
	const char *text;
	size_t len;
	int line, col;
	int brk;  /* a hard line break follows */
	long esc; /* where add_inline_line() put a backslash */
};

/* The file column of byte `off` (0-based) of the line as cmark read it
 * (after add_inline_line()) in the line as written. */
static int inline_column(const struct inline_line *l, size_t off)
{
	size_t i, at = 0;
	int col = l->col;

	for (i = 0; i < l->len; i++) {
		unsigned char c = (unsigned char)l->text[i];
		if ((long)i == l->esc)
			at++;
		if (at >= off)
			break;
		at += c < 0x20 && c != '\t' ? 3 : 1; /* see add_text() */
		if ((c & 0xC0) != 0x80)
			col++;
	}
	return col;
}

/* Records each link and image of `para` whose URL is local (a file or an
 * #id, which the cross-link pass checks and rewrites) in q->links, and
 * puts a placeholder (QUIZ_LINK_OPEN, its index, QUIZ_LINK_CLOSE) in
 * place of its URL. `lines` are the paragraph's source lines. */
static void take_links(cmark_node *para, const struct inline_line *lines,
		       size_t n_lines, struct quiz *q, size_t *cap)
{
	cmark_iter *it = cmark_iter_new(para);
	cmark_event_type ev;
	struct buf ph = BUF_INIT;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		const char *url;
		struct quiz_link *l;
		int line;

		if (ev != CMARK_EVENT_ENTER ||
		    (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE))
			continue;
		url = cmark_node_get_url(node);
		if (!url || !*url || path_is_external(url))
			continue;
		q->links = xgrow(q->links, sizeof(*q->links), q->n_links + 1,
				 cap);
		l = &q->links[q->n_links];
		l->url = xstrdup(url);
		l->image = type == CMARK_NODE_IMAGE;
		l->index = (size_t)-1;
		line = cmark_node_get_start_line(node);
		if (line >= 1 && (size_t)line <= n_lines) {
			l->line = lines[line - 1].line;
			l->col = inline_column(
				&lines[line - 1],
				(size_t)cmark_node_get_start_column(node) - 1);
		} else {
			l->line = lines[0].line;
			l->col = lines[0].col;
		}
		buf_reset(&ph);
		buf_addf(&ph, QUIZ_LINK_OPEN_RAW "%zu" QUIZ_LINK_CLOSE_RAW,
			 q->n_links++);
		cmark_node_set_url(node, ph.ptr);
	}
	cmark_iter_free(it);
	buf_release(&ph);
}

/* Renders `lines` (the text as written) as inline HTML: one paragraph's
 * content without the <p>. Its local links go to q->links (see
 * take_links()). Returns the caller's string. */
static char *render_inline(struct inline_line *lines, size_t n_lines,
			   struct quiz *q, size_t *cap_links, char **xhtml)
{
	struct buf src = BUF_INIT, out = BUF_INIT, xout = BUF_INIT;
	cmark_parser *p;
	cmark_node *doc, *para;
	size_t i;

	for (i = 0; i < n_lines; i++) {
		if (i)
			buf_addch(&src, '\n');
		lines[i].esc = add_inline_line(&src, lines[i].text,
					       lines[i].len);
		/* two spaces, not a backslash: cmark-gfm counts the lines
		 * after a backslash break one short */
		if (lines[i].brk)
			buf_adds(&src, "  ");
	}

	markdown_lock(); /* see markdown.h */
	cmark_gfm_core_extensions_ensure_registered();
	markdown_unlock();
	p = cmark_parser_new(QUIZ_OPTS);
	attach_extension(p, "strikethrough");
	attach_extension(p, "autolink");
	cmark_parser_feed(p, src.ptr, src.len);
	markdown_lock();
	doc = cmark_parser_finish(p);
	markdown_unlock();
	para = cmark_node_first_child(doc);
	if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH &&
	    !cmark_node_next(para)) {
		char *html;
		size_t hl;

		html_to_text(para);
		take_links(para, lines, n_lines, q, cap_links);
		html = cmark_render_html(para, QUIZ_OPTS,
					 cmark_parser_get_syntax_extensions(p));
		hl = strlen(html);
		while (hl && (html[hl - 1] == '\n' || html[hl - 1] == ' '))
			hl--;
		if (hl >= 7 && !strncmp(html, "<p>", 3) &&
		    !strncmp(html + hl - 4, "</p>", 4))
			buf_add(&out, html + 3, hl - 7);
		else
			buf_add(&out, html, hl);
		cmark_get_default_mem_allocator()->free(html);
		markdown_xhtml_inlines(para, &xout);
	} else if (para) {
		/* Cannot happen with the escaping above; plain text is the
		 * safe answer if it ever does. */
		for (i = 0; i < n_lines; i++) {
			buf_add_html(&out, lines[i].text, lines[i].len);
			markdown_xhtml_escape(&xout, lines[i].text,
					      lines[i].len, 0);
		}
	}
	cmark_node_free(doc);
	cmark_parser_free(p);
	buf_release(&src);
	*xhtml = buf_detach(&xout, NULL);
	return buf_detach(&out, NULL);
}

/* ---- parsing ---- */

struct parse {
	const char *file;
	const char *id;
	int col0; /* file column of the content's first byte */
	struct diag *d;
	int failed;
	struct quiz q;
	size_t cap_questions;

	/* the question being read */
	int open; /* a `?` has been seen */
	int q_line, q_col;
	const char *q_src; /* the `?` line, for the diagnostics */
	size_t q_src_len;
	struct quiz_question cur;
	size_t cap_choices;
	struct inline_line *expl; /* the explanation's lines */
	size_t n_expl, cap_expl;
	size_t cap_links;
	int has_expl;
	int pending_break; /* an empty `>` line since the last text */
};

/* The file column of byte `off` of a line starting at `s`. */
static int column(const struct parse *ps, const char *s, size_t off)
{
	size_t i;
	int c = ps->col0;

	for (i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Records an error at file column `col` of the line `s` (len bytes, file
 * line `line`), showing the line with a caret under the column. */
static void error_at(struct parse *ps, int line, const char *s, size_t len,
		     int col, const char *msg)
{
	struct buf src = BUF_INIT;
	int i;

	diag_error(ps->d, ps->file, line, col, "%s", msg);
	/* Pad the shown line to its file column so the caret lines up even
	 * when the block is indented or inside a container. */
	for (i = 1; i < ps->col0; i++)
		buf_addch(&src, ' ');
	buf_add(&src, s, len);
	diag_attach_source(ps->d, src.ptr, src.len, 1);
	buf_release(&src);
	ps->failed = 1;
}

/* Records an error at byte `off` of the line `s`. */
static void parse_error(struct parse *ps, int line, const char *s, size_t len,
			size_t off, const char *msg)
{
	error_at(ps, line, s, len, column(ps, s, off), msg);
}

/* Renders the text at byte `t` of the line `s` (file line `line`). */
static char *render_line(struct parse *ps, int line, const char *s, size_t len,
			 size_t t, char **xhtml)
{
	struct inline_line l;

	l.text = s + t;
	l.len = len - t;
	l.line = line;
	l.col = column(ps, s, t);
	l.brk = 0;
	l.esc = -1;
	return render_inline(&l, 1, &ps->q, &ps->cap_links, xhtml);
}

/* Adds a line of explanation text. */
static void add_expl_line(struct parse *ps, const char *text, size_t len,
			  int line, int col)
{
	struct inline_line *l;

	ps->expl = xgrow(ps->expl, sizeof(*ps->expl), ps->n_expl + 1,
			 &ps->cap_expl);
	l = &ps->expl[ps->n_expl++];
	l->text = text;
	l->len = len;
	l->line = line;
	l->col = col;
	l->brk = 0;
	l->esc = -1;
}

static void finish_question(struct parse *ps)
{
	struct quiz_question *qq = &ps->cur;
	size_t i, correct = 0;

	if (!ps->open)
		return;
	ps->open = 0;
	for (i = 0; i < qq->n_choices; i++)
		correct += qq->choices[i].correct != 0;
	if (qq->n_choices < 2)
		error_at(ps, ps->q_line, ps->q_src, ps->q_src_len, ps->q_col,
			 "quiz question needs at least two choices");
	if (qq->n_choices > 0 && !correct)
		error_at(ps, ps->q_line, ps->q_src, ps->q_src_len, ps->q_col,
			 "quiz question has no correct choice");
	qq->multi = correct >= 2;
	if (ps->n_expl)
		qq->explanation_html = render_inline(ps->expl, ps->n_expl,
						     &ps->q, &ps->cap_links,
						     &qq->explanation_xhtml);
	ps->n_expl = 0;
	ps->has_expl = 0;
	ps->pending_break = 0;

	ps->q.questions = xgrow(ps->q.questions, sizeof(*ps->q.questions),
				ps->q.n_questions + 1, &ps->cap_questions);
	ps->q.questions[ps->q.n_questions++] = *qq;
	memset(qq, 0, sizeof(*qq));
	ps->cap_choices = 0;
}

/* Starts a question whose mark is at byte `mark` of the line and whose
 * text starts at or after byte `t`. */
static void start_question(struct parse *ps, int line, const char *s,
			   size_t len, size_t mark, size_t t)
{
	struct buf id = BUF_INIT;

	finish_question(ps);
	while (t < len && is_blank(s[t]))
		t++;
	if (t == len)
		parse_error(ps, line, s, len, mark,
			    "quiz question has no text");
	ps->open = 1;
	ps->q_line = line;
	ps->q_col = column(ps, s, mark);
	ps->q_src = s;
	ps->q_src_len = len;
	buf_addf(&id, "%s-q%zu", ps->id, ps->q.n_questions + 1);
	ps->cur.id = buf_detach(&id, NULL);
	ps->cur.html = render_line(ps, line, s, len, t, &ps->cur.xhtml);
	ps->cur.line = line;
}

/* A line that starts with a list marker at `mark`: a choice. */
static void add_choice(struct parse *ps, int line, const char *s, size_t len,
		       size_t mark)
{
	struct quiz_choice *ch;
	size_t b = mark + 1, t;
	int correct;

	while (b < len && is_blank(s[b]))
		b++;
	if (!ps->open) {
		parse_error(
			ps, line, s, len, mark,
			"quiz choice before any question: expected '?' first");
		return;
	}
	if (ps->has_expl) {
		parse_error(ps, line, s, len, mark,
			    "quiz choice after the explanation: start the next "
			    "question with '?'");
		return;
	}
	if (b + 3 > len || s[b] != '[' ||
	    (s[b + 1] != ' ' && s[b + 1] != 'x' && s[b + 1] != 'X') ||
	    s[b + 2] != ']' || (b + 3 < len && !is_blank(s[b + 3]))) {
		parse_error(ps, line, s, len, b,
			    "quiz choice has no checkbox: expected '- [ ]' or "
			    "'- [x]'");
		return;
	}
	correct = s[b + 1] != ' ';
	t = b + 3;
	while (t < len && is_blank(s[t]))
		t++;
	if (t == len) {
		parse_error(ps, line, s, len, mark, "quiz choice has no text");
		return;
	}
	ps->cur.choices = xgrow(ps->cur.choices, sizeof(*ps->cur.choices),
				ps->cur.n_choices + 1, &ps->cap_choices);
	ch = &ps->cur.choices[ps->cur.n_choices++];
	ch->html = render_line(ps, line, s, len, t, &ch->xhtml);
	ch->correct = correct;
}

static void add_explanation(struct parse *ps, int line, const char *s,
			    size_t len, size_t mark)
{
	size_t t = mark + 1;

	if (!ps->open) {
		parse_error(ps, line, s, len, mark,
			    "quiz explanation before any question: expected "
			    "'?' first");
		return;
	}
	while (t < len && is_blank(s[t]))
		t++;
	if (t == len) {
		if (ps->n_expl)
			ps->pending_break = 1;
		ps->has_expl = 1;
		return;
	}
	if (ps->n_expl && ps->pending_break)
		ps->expl[ps->n_expl - 1].brk = 1;
	ps->pending_break = 0;
	add_expl_line(ps, s + t, len - t, line, column(ps, s, t));
	ps->has_expl = 1;
}

static void parse_line(struct parse *ps, int line, const char *s, size_t len)
{
	size_t p = 0;

	while (len && (is_blank(s[len - 1]) || s[len - 1] == '\r'))
		len--;
	while (p < len && is_blank(s[p]))
		p++;
	if (p == len)
		return;
	switch (s[p]) {
	case '?':
		start_question(ps, line, s, len, p, p + 1);
		return;
	case '>':
		add_explanation(ps, line, s, len, p);
		return;
	case '-':
	case '*':
	case '+':
		if (p + 1 == len || is_blank(s[p + 1])) {
			add_choice(ps, line, s, len, p);
			return;
		}
		break;
	default:
		break;
	}
	if (!ps->open || ps->has_expl) {
		/* where a question is due, text is one without its '?': one
		 * error, and the choices after it are read as its own */
		parse_error(ps, line, s, len, p,
			    "quiz question without '?': write '? ' before "
			    "the question");
		start_question(ps, line, s, len, p, p);
		return;
	}
	parse_error(ps, line, s, len, p,
		    "unexpected line in quiz: expected '?', '- [ ]', '- [x]' "
		    "or '>'");
}

int xform_quiz_parse(const char *text, size_t len, const char *file, int line,
		     int col, const char *id, struct quiz *q, struct diag *d)
{
	struct parse ps;
	size_t pos = 0;
	int l = line;

	memset(&ps, 0, sizeof(ps));
	ps.file = file;
	ps.id = id;
	ps.col0 = col > 0 ? col : 1;
	ps.d = d;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		parse_line(&ps, l++, text + pos, end - pos);
		pos = end + 1;
	}
	finish_question(&ps);
	free(ps.expl);

	if (!ps.q.n_questions && !ps.failed) {
		diag_error(d, file, line - 1, col, "empty quiz block");
		ps.failed = 1;
	}
	if (ps.failed) {
		quiz_release(&ps.q);
		memset(q, 0, sizeof(*q));
		return -1;
	}
	ps.q.id = xstrdup(id);
	ps.q.line = line - 1;
	*q = ps.q;
	return 0;
}

/* ---- the AST pass ---- */

static int is_quiz_block(cmark_node *node)
{
	const char *info;
	int length, offset;
	char ch;

	if (cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK ||
	    !cmark_node_get_fenced(node, &length, &offset, &ch))
		return 0;
	info = cmark_node_get_fence_info(node);
	return info && !strncmp(info, "quiz", 4) &&
	       (info[4] == '\0' || is_blank(info[4]));
}

int xform_quiz_run(cmark_node *doc, const char *file, int line_offset,
		   const char *chapter_slug, struct quiz_list *out,
		   struct diag *d)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node **blocks = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);

		if (ev == CMARK_EVENT_ENTER && is_quiz_block(node)) {
			blocks = xgrow(blocks, sizeof(*blocks), n + 1, &cap);
			blocks[n++] = node;
		}
	}
	cmark_iter_free(it);

	for (i = 0; i < n; i++) {
		struct buf id = BUF_INIT;
		struct quiz q;
		const char *lit = cmark_node_get_literal(blocks[i]);
		int fence = cmark_node_get_start_line(blocks[i]) + line_offset;
		int col = cmark_node_get_start_column(blocks[i]);
		cmark_node *custom;

		if (!lit)
			lit = "";
		buf_addf(&id, "%s-quiz-%zu", chapter_slug, i + 1);
		if (xform_quiz_parse(lit, strlen(lit), file, fence + 1, col,
				     id.ptr, &q, d) < 0) {
			buf_release(&id);
			rc = -1;
			continue;
		}
		buf_release(&id);
		out->v = xgrow(out->v, sizeof(*out->v), out->n + 1, &out->cap);
		out->v[out->n] = q;
		custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
		cmark_node_set_user_data(custom, XFORM_TAG(XFORM_QUIZ, out->n));
		out->n++;
		cmark_node_replace(blocks[i], custom);
		cmark_node_free(blocks[i]);
	}
	free(blocks);
	return rc;
}
