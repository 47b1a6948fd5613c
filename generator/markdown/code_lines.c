#include "code_lines.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* Spans open at once in highlighted code: a console command's, a
 * coloured run's in it. More are written but not carried over lines. */
#define CODE_LINES_DEPTH 8

const char *code_lines_attrs(const char *info)
{
	return info ? strchr(info, '{') : NULL;
}

void code_lines_release(struct code_lines *cl)
{
	free(cl->marked);
	memset(cl, 0, sizeof(*cl));
}

static int cl_fail(struct buf *err, size_t *at, size_t off, const char *msg,
		   const char *word, size_t n)
{
	buf_adds(err, msg);
	if (word) {
		buf_adds(err, " '");
		buf_add(err, word, n);
		buf_adds(err, "'");
	}
	*at = off;
	return -1;
}

/* Reads a line number at *p; moves *p past it. Returns 0 when none. */
static long cl_number(const char **p)
{
	long n = 0;

	if (**p < '0' || **p > '9')
		return 0;
	while (**p >= '0' && **p <= '9') {
		if (n <= CODE_LINES_MAX)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n;
}

/* hl_lines's value `v` (`n` bytes, quotes and brackets included). */
static int cl_marks(struct code_lines *cl, const char *v, size_t n,
		    const char *attrs, struct buf *err, size_t *at)
{
	char *s = xstrndup(v, n), *q;
	const char *p;
	int rc = 0;

	for (q = s; *q; q++)
		if (strchr("[]\"',", *q))
			*q = ' ';
	p = s;
	while (*p && !rc) {
		const char *tok;
		long first, last;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		tok = p;
		first = last = cl_number(&p);
		if (*p == '-') {
			p++;
			last = cl_number(&p);
		}
		if (!first || !last || last < first || last > CODE_LINES_MAX ||
		    (*p && *p != ' ')) {
			while (*p && *p != ' ')
				p++;
			rc = cl_fail(err, at,
				     (size_t)(v - attrs) + (size_t)(tok - s),
				     "hl_lines: not a line or a range of lines "
				     "(such as 3 or 2-5):",
				     tok, (size_t)(p - tok));
			break;
		}
		if ((size_t)last > cl->n_marked) {
			cl->marked = xrealloc(cl->marked, (size_t)last);
			memset(cl->marked + cl->n_marked, 0,
			       (size_t)last - cl->n_marked);
			cl->n_marked = (size_t)last;
		}
		memset(cl->marked + first - 1, 1, (size_t)(last - first + 1));
	}
	free(s);
	return rc;
}

static int cl_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !strncmp(s, word, n);
}

int code_lines_parse(const char *attrs, struct code_lines *cl, struct buf *err,
		     size_t *at)
{
	const char *p = attrs + 1;

	memset(cl, 0, sizeof(*cl));
	cl->start = 1;
	for (;;) {
		const char *key, *val;
		size_t klen, vlen;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '}')
			return 0;
		if (!*p)
			return cl_fail(err, at, 0,
				       "code block attributes: '{' without "
				       "its '}'",
				       NULL, 0);
		key = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       *p == '_' || *p == '-')
			p++;
		klen = (size_t)(p - key);
		if (!klen)
			return cl_fail(err, at, (size_t)(p - attrs),
				       "code block attributes: expected a "
				       "name such as hl_lines, not",
				       p, 1);
		val = "true";
		vlen = 4;
		if (*p == '=') {
			char close = 0;
			val = ++p;
			if (*p == '"' || *p == '\'')
				close = *p;
			else if (*p == '[')
				close = ']';
			if (close) {
				const char *e = strchr(p + 1, close);
				if (!e)
					return cl_fail(err, at,
						       (size_t)(p - attrs),
						       "code block attributes: "
						       "a value without its "
						       "closing",
						       &close, 1);
				p = e + 1;
			} else {
				while (*p && !strchr(" \t,}", *p))
					p++;
			}
			vlen = (size_t)(p - val);
		}
		if (cl_is(key, klen, "hl_lines")) {
			if (cl_marks(cl, val, vlen, attrs, err, at))
				return -1;
		} else if (cl_is(key, klen, "linenos")) {
			size_t o = (*val == '"' || *val == '\'') ? 1 : 0;
			const char *w = val + o;
			size_t n = vlen - 2 * o;
			if (cl_is(w, n, "true") || cl_is(w, n, "table") ||
			    cl_is(w, n, "inline"))
				cl->numbers = 1;
			else if (cl_is(w, n, "false"))
				cl->numbers = 0;
			else
				return cl_fail(err, at, (size_t)(val - attrs),
					       "linenos: expected true or "
					       "false, not",
					       val, vlen);
		} else if (cl_is(key, klen, "linenostart")) {
			const char *q = val;
			long n = cl_number(&q);
			if (q == val || q != val + vlen ||
			    n > CODE_LINES_MAX * 1000L)
				return cl_fail(err, at, (size_t)(val - attrs),
					       "linenostart: expected a "
					       "line number, not",
					       val, vlen);
			cl->start = n;
		} else {
			return cl_fail(err, at, (size_t)(key - attrs),
				       "unknown code block attribute (they "
				       "are hl_lines, linenos and "
				       "linenostart):",
				       key, klen);
		}
	}
}

/* Opens line `k` (0 for the first) and the spans `open` carries over. */
static void cl_open_line(const struct code_lines *cl, size_t k,
			 const char *html, const size_t *open,
			 const size_t *open_len, size_t depth, struct buf *out)
{
	size_t i;

	buf_adds(out, k < cl->n_marked && cl->marked[k]
			      ? "<span class=\"line hl-mark\">"
			      : "<span class=\"line\">");
	if (cl->numbers)
		buf_addf(out,
			 "<span class=\"ln\" data-ln=\"%ld\" "
			 "aria-hidden=\"true\"></span>",
			 cl->start + (long)k);
	for (i = 0; i < depth && i < CODE_LINES_DEPTH; i++)
		buf_add(out, html + open[i], open_len[i]);
}

static void cl_close_spans(size_t depth, struct buf *out)
{
	size_t i;

	for (i = 0; i < depth && i < CODE_LINES_DEPTH; i++)
		buf_adds(out, "</span>");
}

void code_lines_wrap(const char *html, size_t len, const struct code_lines *cl,
		     struct buf *out)
{
	size_t open[CODE_LINES_DEPTH], open_len[CODE_LINES_DEPTH];
	size_t depth = 0, i = 0, line = 0;
	int in_line = 0;

	while (i < len) {
		if (!in_line) {
			cl_open_line(cl, line, html, open, open_len, depth,
				     out);
			in_line = 1;
		}
		if (html[i] == '<') {
			const char *e = memchr(html + i, '>', len - i);
			size_t n = e ? (size_t)(e - html - i) + 1 : len - i;
			if (html[i + 1] == '/') {
				depth -= depth > 0;
			} else {
				if (depth < CODE_LINES_DEPTH) {
					open[depth] = i;
					open_len[depth] = n;
				}
				depth++;
			}
			buf_add(out, html + i, n);
			i += n;
		} else if (html[i] == '\n') {
			cl_close_spans(depth, out);
			buf_adds(out, "\n</span>");
			in_line = 0;
			line++;
			i++;
		} else {
			const char *nl = memchr(html + i, '\n', len - i);
			const char *lt = memchr(html + i, '<', len - i);
			size_t end = len;
			if (nl)
				end = (size_t)(nl - html);
			if (lt && (size_t)(lt - html) < end)
				end = (size_t)(lt - html);
			buf_add(out, html + i, end - i);
			i = end;
		}
	}
	if (in_line) {
		cl_close_spans(depth, out);
		buf_adds(out, "</span>");
	}
}
