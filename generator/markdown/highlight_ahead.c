#include "highlight_ahead.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "highlight.h"
#include "pool.h"
#include "xalloc.h"

/* Blocks one pool job highlights, one after another. */
#define AHEAD_JOB_BLOCKS 32

struct ahead_block {
	const char *lang; /* highlight_language()'s, static */
	char *code;       /* NUL-terminated */
	size_t len;
	uint64_t hash; /* ahead_hash()'s */
	char *markup;
	size_t markup_len;
};

struct highlight_ahead {
	pthread_mutex_t lock; /* for the blocks, while scanning */
	/* an open-addressing index of the blocks: 1 + a block's index, or
	 * 0 for an empty slot; never more than half full */
	size_t *slots;
	size_t cap_slots;
	struct ahead_block *blocks;
	size_t n, cap;
	struct ahead_block **order; /* highlight_ahead_run()'s, by language */
	struct highlighter *h[POOL_MAX_THREADS];
};

struct highlight_ahead *highlight_ahead_new(void)
{
	struct highlight_ahead *a = xcalloc(1, sizeof(*a));

	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void highlight_ahead_free(struct highlight_ahead *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->blocks[i].code);
		free(a->blocks[i].markup);
	}
	for (i = 0; i < POOL_MAX_THREADS; i++)
		highlighter_free(a->h[i]);
	free(a->slots);
	free(a->blocks);
	free(a->order);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

/* The hash of `code` (`len` bytes) in `lang`. */
static uint64_t ahead_hash(const char *lang, const char *code, size_t len)
{
	return hash_mix(hash_str(HASH_SEED, lang), code, len);
}

/* The slot of the block of `code` in `lang`, whose hash is `h`, or the
 * empty slot where it would go. */
static size_t ahead_slot(const struct highlight_ahead *a, uint64_t h,
			 const char *lang, const char *code, size_t len)
{
	size_t mask = a->cap_slots - 1, i = (size_t)h & mask;

	for (; a->slots[i]; i = (i + 1) & mask) {
		const struct ahead_block *b = &a->blocks[a->slots[i] - 1];
		if (b->hash == h && b->len == len && !strcmp(b->lang, lang) &&
		    !memcmp(b->code, code, len))
			break;
	}
	return i;
}

/* Doubles the index (a->lock held). */
static void ahead_grow_index(struct highlight_ahead *a)
{
	size_t i;

	free(a->slots);
	a->cap_slots = a->cap_slots ? 2 * a->cap_slots : 64;
	a->slots = xcalloc(a->cap_slots, sizeof(*a->slots));
	for (i = 0; i < a->n; i++) {
		size_t mask = a->cap_slots - 1, k = (size_t)a->blocks[i].hash;
		while (a->slots[k & mask])
			k++;
		a->slots[k & mask] = i + 1;
	}
}

/* Adds `code` in `lang`, unless it is there. */
static void ahead_add(struct highlight_ahead *a, const char *lang,
		      const struct buf *code)
{
	const char *text = code->ptr ? code->ptr : "";
	uint64_t h = ahead_hash(lang, text, code->len);
	size_t slot;

	pthread_mutex_lock(&a->lock);
	if ((a->n + 1) * 2 > a->cap_slots)
		ahead_grow_index(a);
	slot = ahead_slot(a, h, lang, text, code->len);
	if (!a->slots[slot]) {
		struct ahead_block *b;
		a->blocks = xgrow(a->blocks, sizeof(*a->blocks), a->n + 1,
				  &a->cap);
		b = &a->blocks[a->n++];
		b->lang = lang;
		b->code = xmalloc(code->len + 1);
		memcpy(b->code, text, code->len);
		b->code[code->len] = '\0';
		b->len = code->len;
		b->hash = h;
		b->markup = NULL;
		b->markup_len = 0;
		a->slots[slot] = a->n;
	}
	pthread_mutex_unlock(&a->lock);
}

/* The end of the line at `p` (its newline, or `end`). */
static const char *ahead_eol(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* The length of the run of fence character `ch` at `p` (before `eol`). */
static size_t ahead_run(const char *p, const char *eol, char ch)
{
	size_t n = 0;

	while (p + n < eol && p[n] == ch)
		n++;
	return n;
}

/* Whether the line [p, eol) closes a fence of `n` `ch`s: up to three
 * spaces past the fence's indent `indent`, at least `n` of them, then
 * only blanks. */
static int ahead_closes(const char *p, const char *eol, size_t indent, char ch,
			size_t n)
{
	size_t sp = 0, run;

	while (p + sp < eol && p[sp] == ' ')
		sp++;
	if (sp > indent + 3)
		return 0;
	p += sp;
	run = ahead_run(p, eol, ch);
	if (run < n)
		return 0;
	for (p += run; p < eol; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

/* Appends the code line [p, eol) to `code` as cmark-gfm gives it: up to
 * `indent` spaces taken off its start (the fence's indent), without the
 * carriage return of a CRLF. */
static void ahead_code_line(const char *p, const char *eol, size_t indent,
			    struct buf *code)
{
	size_t sp = 0;

	while (sp < indent && p + sp < eol && p[sp] == ' ')
		sp++;
	p += sp;
	if (eol > p && eol[-1] == '\r')
		eol--;
	buf_add(code, p, (size_t)(eol - p));
	buf_addch(code, '\n');
}

size_t highlight_ahead_scan(struct highlight_ahead *a, const char *text,
			    size_t len)
{
	const char *p = text, *end = text + len;
	struct buf code = BUF_INIT;
	size_t found = 0;

	while (p < end) {
		const char *eol = ahead_eol(p, end), *q = p, *lang;
		size_t indent, n;
		char ch;

		while (q < eol && *q == ' ')
			q++;
		indent = (size_t)(q - p);
		ch = q < eol ? *q : '\0';
		n = ch == '`' || ch == '~' ? ahead_run(q, eol, ch) : 0;
		if (n < 3 ||
		    (ch == '`' && memchr(q + n, '`', (size_t)(eol - q - n)))) {
			p = eol < end ? eol + 1 : end;
			continue;
		}
		q += n;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		{
			/* highlight_language() reads up to a blank */
			char info[32];
			size_t k = (size_t)(eol - q);
			if (k >= sizeof(info))
				k = sizeof(info) - 1;
			memcpy(info, q, k);
			info[k] = '\0';
			lang = highlight_language(info);
		}
		buf_reset(&code);
		for (p = eol < end ? eol + 1 : end; p < end;) {
			eol = ahead_eol(p, end);
			if (ahead_closes(p, eol, indent, ch, n))
				break;
			ahead_code_line(p, eol, indent, &code);
			p = eol < end ? eol + 1 : end;
		}
		p = eol < end ? eol + 1 : end;
		if (lang) {
			ahead_add(a, lang, &code);
			found++;
		}
	}
	buf_release(&code);
	return found;
}

size_t highlight_ahead_count(const struct highlight_ahead *a)
{
	return a->n;
}

static int ahead_cmp(const void *x, const void *y)
{
	const struct ahead_block *a = *(struct ahead_block *const *)x;
	const struct ahead_block *b = *(struct ahead_block *const *)y;
	int c = strcmp(a->lang, b->lang);

	return c ? c : (a > b) - (a < b);
}

static void ahead_job(void *ctx, size_t i, size_t worker)
{
	struct highlight_ahead *a = ctx;
	size_t k, last = (i + 1) * AHEAD_JOB_BLOCKS;
	struct buf out = BUF_INIT;

	if (!a->h[worker])
		a->h[worker] = highlighter_new();
	for (k = i * AHEAD_JOB_BLOCKS; k < last && k < a->n; k++) {
		struct ahead_block *b = a->order[k];
		buf_reset(&out);
		highlight_code(a->h[worker], b->lang, b->code, b->len, &out);
		/* a copy of the size it is: `out`, grown once, serves every
		 * block of the job */
		b->markup = xstrndup(out.ptr ? out.ptr : "", out.len);
		b->markup_len = out.len;
	}
	buf_release(&out);
}

void highlight_ahead_run(struct highlight_ahead *a)
{
	size_t i;

	if (!a->n)
		return;
	/* one language after another: its tables stay in the cache */
	a->order = xcalloc(a->n, sizeof(*a->order));
	for (i = 0; i < a->n; i++)
		a->order[i] = &a->blocks[i];
	qsort(a->order, a->n, sizeof(*a->order), ahead_cmp);
	pool_run((a->n + AHEAD_JOB_BLOCKS - 1) / AHEAD_JOB_BLOCKS, 0, ahead_job,
		 a);
}

const char *highlight_ahead_find(const struct highlight_ahead *a,
				 const char *lang, const char *code, size_t len,
				 size_t *out_len)
{
	const struct ahead_block *b;
	size_t slot;

	if (!a || !a->n)
		return NULL;
	slot = ahead_slot(a, ahead_hash(lang, code, len), lang, code, len);
	if (!a->slots[slot])
		return NULL;
	b = &a->blocks[a->slots[slot] - 1];
	if (!b->markup)
		return NULL;
	*out_len = b->markup_len;
	return b->markup;
}
