#include "highlight_pred.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

/* Sets the bit of byte `ch` in `set`. */
static void pred_set(unsigned char set[32], unsigned char ch)
{
	set[ch >> 3] |= (unsigned char)(1u << (ch & 7));
}

/* The bytes `set` may start with a match of the POSIX extended regular
 * expression `re` (as regcomp() reads it, in the C locale): when `re`
 * is anchored (^), has no alternative (|), and starts with one byte or
 * one bracket expression of bytes and ranges that no ?, * or {
 * makes optional, those bytes; else all of them. */
static void pred_first_bytes(const char *re, unsigned char set[32])
{
	unsigned char got[32] = { 0 };
	const char *p = re + 1;
	unsigned ch;

	memset(set, 0xff, 32);
	if (re[0] != '^' || strchr(re, '|'))
		return;
	if (*p == '[') {
		if (*++p == '^')
			return;
		/* a ] first is a member; a backslash is one in POSIX */
		do {
			unsigned lo = (unsigned char)*p, hi = lo;
			if (!*p || (*p == '[' && strchr(":=.", p[1])))
				return;
			if (p[1] == '-' && p[2] && p[2] != ']') {
				hi = (unsigned char)p[2];
				p += 2;
			}
			for (ch = lo; ch <= hi; ch++)
				pred_set(got, (unsigned char)ch);
		} while (*++p != ']');
	} else if (*p == '\\' && p[1] && strchr("\\.[](){}*+?|^$-", p[1])) {
		pred_set(got, (unsigned char)*++p);
	} else if (*p && !strchr("\\.[](){}*+?|^$", *p)) {
		pred_set(got, (unsigned char)*p);
	} else {
		return;
	}
	if (p[1] && strchr("?*{", p[1]))
		return;
	memcpy(set, got, 32);
}

/* The grammars' regular expressions are Rust's; the few forms they use
 * that POSIX lacks (\d) are rewritten. `first` gets the bytes a match
 * can start with (pred_first_bytes()). */
static int pred_regcomp(regex_t *re, unsigned char first[32], const char *src,
			uint32_t len)
{
	struct buf b = BUF_INIT;
	int in_set = 0, rc;
	uint32_t i;

	for (i = 0; i < len; i++) {
		char ch = src[i];
		if (ch == '\\' && i + 1 < len && src[i + 1] == 'd') {
			buf_adds(&b, in_set ? "0-9" : "[0-9]");
			i++;
			continue;
		}
		if (ch == '\\' && i + 1 < len) {
			buf_addch(&b, ch);
			buf_addch(&b, src[++i]);
			continue;
		}
		if (ch == '[' && !in_set) {
			in_set = 1;
			buf_addch(&b, ch);
			if (i + 1 < len && src[i + 1] == '^')
				buf_addch(&b, src[++i]);
			if (i + 1 < len && src[i + 1] == ']')
				buf_addch(&b, src[++i]);
			continue;
		}
		if (ch == ']' && in_set)
			in_set = 0;
		buf_addch(&b, ch);
	}
	rc = regcomp(re, b.ptr, REG_EXTENDED | REG_NOSUB);
	if (!rc)
		pred_first_bytes(b.ptr, first);
	buf_release(&b);
	return rc ? -1 : 0;
}

int highlight_preds_read(const TSQuery *q, uint32_t p,
			 struct highlight_pred **preds, size_t *n)
{
	uint32_t n_steps, i = 0;
	const TSQueryPredicateStep *st =
		ts_query_predicates_for_pattern(q, p, &n_steps);
	size_t cap = 0;

	while (i < n_steps) {
		uint32_t start = i, len, k;
		const char *op;
		struct highlight_pred pr;

		while (i < n_steps &&
		       st[i].type != TSQueryPredicateStepTypeDone)
			i++;
		i++; /* past Done */
		if (st[start].type != TSQueryPredicateStepTypeString)
			continue;
		op = ts_query_string_value_for_id(q, st[start].value_id, &len);
		memset(&pr, 0, sizeof(pr));
		pr.other = -1;
		if (!strcmp(op, "eq?") || !strcmp(op, "not-eq?")) {
			pr.op = HIGHLIGHT_EQ;
		} else if (!strcmp(op, "match?") || !strcmp(op, "not-match?")) {
			pr.op = HIGHLIGHT_MATCH;
		} else if (!strcmp(op, "any-of?") ||
			   !strcmp(op, "not-any-of?")) {
			pr.op = HIGHLIGHT_ANY_OF;
		} else {
			continue;
		}
		pr.negate = !strncmp(op, "not-", 4);
		if (i - start < 4 ||
		    st[start + 1].type != TSQueryPredicateStepTypeCapture)
			return -1;
		pr.capture = st[start + 1].value_id;
		if (pr.op == HIGHLIGHT_EQ &&
		    st[start + 2].type == TSQueryPredicateStepTypeCapture) {
			pr.other = st[start + 2].value_id;
		} else {
			pr.n_strings = i - 1 - (start + 2);
			pr.strings = xmalloc(pr.n_strings *
					     sizeof(*pr.strings));
			pr.lens = xmalloc(pr.n_strings * sizeof(*pr.lens));
			for (k = 0; k < pr.n_strings; k++) {
				const TSQueryPredicateStep *s =
					&st[start + 2 + k];
				if (s->type != TSQueryPredicateStepTypeString)
					break;
				pr.strings[k] = ts_query_string_value_for_id(
					q, s->value_id, &pr.lens[k]);
			}
			if (k < pr.n_strings || !pr.n_strings ||
			    (pr.op == HIGHLIGHT_MATCH &&
			     pred_regcomp(&pr.re, pr.first, pr.strings[0],
					  pr.lens[0]))) {
				free(pr.strings);
				free(pr.lens);
				return -1;
			}
		}
		*preds = xgrow(*preds, sizeof(**preds), *n + 1, &cap);
		(*preds)[(*n)++] = pr;
	}
	return 0;
}

/* The text of capture `c` in `code`. */
static const char *pred_text(const struct highlight_capture *c,
			     const char *code, uint32_t *len)
{
	*len = c->end - c->start;
	return code + c->start;
}

static const struct highlight_capture *pred_capture(
	const struct highlight_capture *caps, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (caps[i].id == id)
			return &caps[i];
	return NULL;
}

static int pred_holds(const struct highlight_pred *pr,
		      const struct highlight_capture *caps, size_t n_caps,
		      const char *code)
{
	const struct highlight_capture *node = pred_capture(caps, n_caps,
							    pr->capture);
	const char *t;
	uint32_t len;
	int ok = 0;
	size_t k;

	if (!node)
		return 1; /* a capture absent from this match: nothing to test */
	t = pred_text(node, code, &len);
	switch (pr->op) {
	case HIGHLIGHT_EQ:
		if (pr->other >= 0) {
			const struct highlight_capture *o =
				pred_capture(caps, n_caps, (uint32_t)pr->other);
			uint32_t olen;
			const char *ot = o ? pred_text(o, code, &olen) : NULL;
			ok = ot && olen == len && !memcmp(ot, t, len);
		} else {
			ok = pr->n_strings && pr->lens[0] == len &&
			     !memcmp(pr->strings[0], t, len);
		}
		break;
	case HIGHLIGHT_MATCH: {
		/* regexec reads a NUL-terminated string: node texts are
		 * short (identifiers), copied when they are not at the end */
		char small[256];
		char *s;
		unsigned char c0 = len ? (unsigned char)t[0] : 0;
		if (!(pr->first[c0 >> 3] & (1u << (c0 & 7))))
			break; /* no match can start so (an empty text
				* starts with the NUL regexec() would see) */
		s = len < sizeof(small) ? small : xmalloc(len + 1);
		memcpy(s, t, len);
		s[len] = '\0';
		ok = !regexec(&pr->re, s, 0, NULL, 0);
		if (s != small)
			free(s);
		break;
	}
	case HIGHLIGHT_ANY_OF:
		for (k = 0; k < pr->n_strings && !ok; k++)
			ok = pr->lens[k] == len &&
			     !memcmp(pr->strings[k], t, len);
		break;
	}
	return pr->negate ? !ok : ok;
}

int highlight_preds_hold(const struct highlight_pred *preds, size_t n,
			 const struct highlight_capture *caps, size_t n_caps,
			 const char *code)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!pred_holds(&preds[k], caps, n_caps, code))
			return 0;
	return 1;
}
