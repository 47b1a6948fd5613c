#include "highlight.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "buf.h"
#include "embedded.h"
#include "hash.h"
#include "highlight_class.h"
#include "highlight_pred.h"
#include "markdown_xhtml.h"
#include "ts_match.h"
#include "ts_query_image.h"
#include "xalloc.h"

/* The grammars (generator/grammars/node_modules/.../src/parser.c) and
 * their queries (build/highlight_queries.c, made by embed_themes). */
const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_css(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_html(void);
const TSLanguage *tree_sitter_java(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_json(void);
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_rust(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_yaml(void);
extern const struct embedded_file highlight_queries[];
extern const size_t highlight_queries_count;

#define HL_MAX_QUERIES 2

/* A grammar and the query files that colour it, in order: where two
 * patterns capture the same node, the later one wins (most grammars'
 * files start with general patterns, `(identifier) @variable`, that
 * later ones refine), or the earlier one for a grammar whose file is
 * written the other way round (`first_wins`: Go's ends with them). */
struct hl_grammar {
	const char *name;
	const TSLanguage *(*language)(void);
	const char *queries[HL_MAX_QUERIES];
	int first_wins;
};

#define HL_Q(pkg, file) "/" pkg "/queries/" file

static const struct hl_grammar hl_grammars[] = {
	{ "bash",
	  tree_sitter_bash,
	  { HL_Q("tree-sitter-bash", "highlights.scm") },
	  0 },
	{ "c", tree_sitter_c, { HL_Q("tree-sitter-c", "highlights.scm") }, 0 },
	{ "cpp",
	  tree_sitter_cpp,
	  { HL_Q("tree-sitter-c", "highlights.scm"),
	    HL_Q("tree-sitter-cpp", "highlights.scm") },
	  0 },
	{ "css",
	  tree_sitter_css,
	  { HL_Q("tree-sitter-css", "highlights.scm") },
	  0 },
	{ "go",
	  tree_sitter_go,
	  { HL_Q("tree-sitter-go", "highlights.scm") },
	  1 },
	{ "html",
	  tree_sitter_html,
	  { HL_Q("tree-sitter-html", "highlights.scm") },
	  0 },
	{ "java",
	  tree_sitter_java,
	  { HL_Q("tree-sitter-java", "highlights.scm") },
	  0 },
	{ "javascript",
	  tree_sitter_javascript,
	  { HL_Q("tree-sitter-javascript", "highlights.scm"),
	    HL_Q("tree-sitter-javascript", "highlights-jsx.scm") },
	  0 },
	{ "json",
	  tree_sitter_json,
	  { HL_Q("tree-sitter-json", "highlights.scm") },
	  0 },
	{ "python",
	  tree_sitter_python,
	  { HL_Q("tree-sitter-python", "highlights.scm") },
	  0 },
	{ "rust",
	  tree_sitter_rust,
	  { HL_Q("tree-sitter-rust", "highlights.scm") },
	  0 },
	{ "typescript",
	  tree_sitter_typescript,
	  { HL_Q("tree-sitter-javascript", "highlights.scm"),
	    HL_Q("tree-sitter-typescript", "highlights.scm") },
	  0 },
	{ "yaml",
	  tree_sitter_yaml,
	  { HL_Q("tree-sitter-yaml", "highlights.scm") },
	  0 },
};

#define HL_N_GRAMMARS (sizeof(hl_grammars) / sizeof(*hl_grammars))

/* The names an info string may use, and the language each means. */
static const struct {
	const char *alias, *name;
} hl_aliases[] = {
	{ "bash", "bash" },
	{ "sh", "bash" },
	{ "shell", "bash" },
	{ "c", "c" },
	{ "h", "c" },
	{ "cpp", "cpp" },
	{ "c++", "cpp" },
	{ "cc", "cpp" },
	{ "hpp", "cpp" },
	{ "css", "css" },
	{ "go", "go" },
	{ "golang", "go" },
	{ "html", "html" },
	{ "java", "java" },
	{ "javascript", "javascript" },
	{ "js", "javascript" },
	{ "jsx", "javascript" },
	{ "mjs", "javascript" },
	{ "json", "json" },
	{ "python", "python" },
	{ "py", "python" },
	{ "python3", "python" },
	{ "rust", "rust" },
	{ "rs", "rust" },
	{ "typescript", "typescript" },
	{ "ts", "typescript" },
	{ "yaml", "yaml" },
	{ "yml", "yaml" },
	{ "console", "console" },
	{ "shell-session", "console" },
};

struct hl_query {
	int state; /* 0 not compiled yet, 1 compiled, -1 failed */
	int ahead; /* taken from its image (highlight_images) */
	unsigned err_at;
	TSQuery *q;
	unsigned char *class_of; /* by capture id: an enum highlight_class */
	struct highlight_pred **preds; /* by pattern */
	size_t *n_preds;
	struct ts_match_plan *plan; /* NULL: the query cursor matches */
};

/* One lock a grammar: compiling a query takes up to tens of ms (the
 * runtime analyses every pattern), and two threads may compile two. */
static pthread_mutex_t hl_locks[HL_N_GRAMMARS];
static pthread_once_t hl_locks_once = PTHREAD_ONCE_INIT;
static struct hl_query hl_queries[HL_N_GRAMMARS];

static void hl_locks_init(void)
{
	size_t i;

	for (i = 0; i < HL_N_GRAMMARS; i++)
		pthread_mutex_init(&hl_locks[i], NULL);
}

struct hl_span {
	uint32_t start, end;
	uint32_t pattern;
	unsigned char cls;
};

struct highlighter {
	TSParser *parser;
	TSQueryCursor *cursor;
	struct ts_matcher *matcher;
	int use_cursor; /* highlighter_use_cursor() */
	struct hl_span *spans;
	size_t n_spans, cap_spans;
	struct highlight_capture *caps;
	size_t cap_caps;
	unsigned char *cls;
	size_t cap_cls;
	/* the block being coloured */
	const struct hl_query *hq;
	int first_wins;
	const char *code;
};

const char *highlight_language(const char *info)
{
	char word[16];
	size_t n = 0, i;

	if (!info)
		return NULL;
	while (info[n] && !strchr(" \t\r\n\f\v{,", info[n])) {
		if (n + 1 >= sizeof(word))
			return NULL;
		word[n] = info[n] >= 'A' && info[n] <= 'Z'
				  ? (char)(info[n] - 'A' + 'a')
				  : info[n];
		n++;
	}
	word[n] = '\0';
	for (i = 0; i < sizeof(hl_aliases) / sizeof(*hl_aliases); i++)
		if (!strcmp(word, hl_aliases[i].alias))
			return hl_aliases[i].name;
	return NULL;
}

/* Grammar i's query source: its query files, in order. Returns -1 when
 * one is not compiled in, with the length read so far in *err_at. */
static int hl_query_source(size_t i, struct buf *src, unsigned *err_at)
{
	const struct hl_grammar *g = &hl_grammars[i];
	size_t k, f;

	for (k = 0; k < HL_MAX_QUERIES && g->queries[k]; k++) {
		size_t want = strlen(g->queries[k]);
		for (f = 0; f < highlight_queries_count; f++) {
			const char *path = highlight_queries[f].path;
			size_t len = strlen(path);
			if (len >= want &&
			    !strcmp(path + len - want, g->queries[k]))
				break;
		}
		if (f == highlight_queries_count) {
			*err_at = (unsigned)src->len;
			return -1;
		}
		buf_add(src, highlight_queries[f].data,
			highlight_queries[f].len);
		buf_addch(src, '\n');
	}
	return 0;
}

/* What a compiled query is made from: its source and its grammar. */
static uint64_t hl_image_key(size_t i, const struct buf *src)
{
	const TSLanguage *l = hl_grammars[i].language();
	uint64_t h = hash_str(HASH_SEED, hl_grammars[i].name);

	h = hash_u64(h, TREE_SITTER_LANGUAGE_VERSION);
	h = hash_u64(h, ts_language_abi_version(l));
	h = hash_u64(h, ts_language_symbol_count(l));
	h = hash_u64(h, ts_language_state_count(l));
	h = hash_u64(h, ts_language_field_count(l));
	h = hash_mix(h, src->ptr, src->len);
	return hash_u64(h, src->len);
}

/* Grammar i's query as compiled ahead (highlight_images), when it was
 * compiled from the same source and grammar, or NULL. */
static TSQuery *hl_query_ahead(size_t i, uint64_t key)
{
	size_t k;

	for (k = 0; k < highlight_images_count; k++)
		if (!strcmp(highlight_images[k].name, hl_grammars[i].name))
			return highlight_images[k].key == key
				       ? ts_query_from_image(
						 hl_grammars[i].language(),
						 highlight_images[k].data,
						 highlight_images[k].len)
				       : NULL;
	return NULL;
}

int highlight_query_image(size_t i, uint64_t *key, unsigned char **image,
			  size_t *len)
{
	struct buf src = BUF_INIT;
	uint32_t err_at = 0;
	unsigned missing;
	TSQueryError err;
	TSQuery *q = NULL;

	*image = NULL;
	*len = 0;
	if (i < HL_N_GRAMMARS && hl_query_source(i, &src, &missing) == 0) {
		*key = hl_image_key(i, &src);
		q = ts_query_new(hl_grammars[i].language(), src.ptr,
				 (uint32_t)src.len, &err_at, &err);
	}
	buf_release(&src);
	if (q)
		*len = ts_query_image(q, image);
	ts_query_delete(q);
	return *image ? 0 : -1;
}

/* Compiles grammar i's query; called under hl_locks[i]. */
static void hl_compile(size_t i)
{
	const struct hl_grammar *g = &hl_grammars[i];
	struct hl_query *hq = &hl_queries[i];
	struct buf src = BUF_INIT;
	uint32_t err_at = 0, n, p;
	TSQueryError err;
	size_t k;

	hq->state = -1;
	if (hl_query_source(i, &src, &hq->err_at) < 0) {
		buf_release(&src);
		return;
	}
	hq->q = hl_query_ahead(i, hl_image_key(i, &src));
	hq->ahead = hq->q != NULL;
	if (!hq->q)
		hq->q = ts_query_new(g->language(), src.ptr, (uint32_t)src.len,
				     &err_at, &err);
	buf_release(&src);
	if (!hq->q) {
		hq->err_at = err_at;
		return;
	}
	n = ts_query_capture_count(hq->q);
	hq->class_of = xcalloc(n ? n : 1, 1);
	for (k = 0; k < n; k++) {
		uint32_t len;
		const char *name = ts_query_capture_name_for_id(hq->q,
								(uint32_t)k,
								&len);
		hq->class_of[k] = (unsigned char)highlight_class_of(name, len);
	}
	n = ts_query_pattern_count(hq->q);
	hq->preds = xcalloc(n ? n : 1, sizeof(*hq->preds));
	hq->n_preds = xcalloc(n ? n : 1, sizeof(*hq->n_preds));
	for (p = 0; p < n; p++)
		if (highlight_preds_read(hq->q, p, &hq->preds[p],
					 &hq->n_preds[p])) {
			/* a pattern we cannot test never colours */
			ts_query_disable_pattern(hq->q, p);
		}
	hq->plan = ts_match_plan_new(hq->q);
	hq->state = 1;
}

static struct hl_query *hl_query(size_t i)
{
	struct hl_query *hq = &hl_queries[i];

	pthread_once(&hl_locks_once, hl_locks_init);
	pthread_mutex_lock(&hl_locks[i]);
	if (!hq->state)
		hl_compile(i);
	pthread_mutex_unlock(&hl_locks[i]);
	return hq->state == 1 ? hq : NULL;
}

static size_t hl_grammar_index(const char *name)
{
	size_t i;

	for (i = 0; i < HL_N_GRAMMARS; i++)
		if (!strcmp(hl_grammars[i].name, name))
			return i;
	return HL_N_GRAMMARS;
}

struct highlighter *highlighter_new(void)
{
	struct highlighter *h = xcalloc(1, sizeof(*h));

	h->parser = ts_parser_new();
	h->cursor = ts_query_cursor_new();
	/* bounds the matches in progress at once on deep input */
	ts_query_cursor_set_match_limit(h->cursor, 256);
	h->matcher = ts_matcher_new();
	return h;
}

void highlighter_use_cursor(struct highlighter *h, int on)
{
	h->use_cursor = on;
}

void highlighter_free(struct highlighter *h)
{
	if (!h)
		return;
	ts_parser_delete(h->parser);
	ts_query_cursor_delete(h->cursor);
	ts_matcher_free(h->matcher);
	free(h->spans);
	free(h->caps);
	free(h->cls);
	free(h);
}

static int hl_span_cmp(const void *a, const void *b)
{
	const struct hl_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1; /* outer first */
	if (x->pattern != y->pattern)
		return x->pattern < y->pattern ? -1 : 1;
	return 0;
}

/* Sorts spans[0..n) by hl_span_cmp(). The matcher walks the tree in
 * order, so a few spans are out of place, most often by one or two: up
 * to HL_INSERTION_MAX spans, an insertion sort moves only those. */
#define HL_INSERTION_MAX 256

static void hl_sort_spans(struct hl_span *spans, size_t n)
{
	size_t i, j;

	if (n > HL_INSERTION_MAX) {
		qsort(spans, n, sizeof(*spans), hl_span_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		struct hl_span sp = spans[i];
		for (j = i; j > 0 && hl_span_cmp(&spans[j - 1], &sp) > 0; j--)
			spans[j] = spans[j - 1];
		spans[j] = sp;
	}
}

/* Leaves the regions of the syntax errors in `root` uncoloured. */
static void hl_clear_errors(TSNode root, unsigned char *cls)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		int descend = 0;

		if (ts_node_is_error(n) || ts_node_is_missing(n)) {
			uint32_t s = ts_node_start_byte(n);
			memset(cls + s, HIGHLIGHT_CLASS_NONE,
			       ts_node_end_byte(n) - s);
		} else if (ts_node_has_error(n)) {
			descend = 1;
		}
		if (descend && ts_tree_cursor_goto_first_child(&cur))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cur))
			if (!ts_tree_cursor_goto_parent(&cur))
				goto done;
	}
done:
	ts_tree_cursor_delete(&cur);
}

/* Spaces and tabs between two runs of one class join them: one span
 * instead of two (the markup is several times the code's size). */
static void hl_join_runs(const char *code, size_t len, unsigned char *cls)
{
	size_t i = 1, j;

	while (i < len) {
		if (cls[i] != HIGHLIGHT_CLASS_NONE ||
		    cls[i - 1] == HIGHLIGHT_CLASS_NONE ||
		    (code[i] != ' ' && code[i] != '\t')) {
			i++;
			continue;
		}
		for (j = i; j < len && cls[j] == HIGHLIGHT_CLASS_NONE &&
			    (code[j] == ' ' || code[j] == '\t');
		     j++)
			;
		if (j < len && cls[j] == cls[i - 1])
			memset(cls + i, cls[j], j - i);
		i = j;
	}
}

static void hl_emit(struct buf *out, const char *code, size_t len,
		    const unsigned char *cls)
{
	size_t i = 0, j;

	/* room for the usual markup, about twice the code, at once */
	if (cls)
		buf_grow(out, 2 * len + 64);
	while (i < len) {
		unsigned char c = cls ? cls[i] : HIGHLIGHT_CLASS_NONE;
		for (j = i + 1;
		     j < len && (cls ? cls[j] : HIGHLIGHT_CLASS_NONE) == c; j++)
			;
		if (c != HIGHLIGHT_CLASS_NONE)
			buf_adds(out, highlight_class_open[c]);
		markdown_xhtml_escape(out, code + i, j - i, 0);
		if (c != HIGHLIGHT_CLASS_NONE)
			buf_adds(out, "</span>");
		i = j;
	}
}

/* Pattern p's capture `id` of the bytes [start, end), as a span. */
static void hl_capture(void *ctx, uint32_t p, uint16_t id, uint32_t start,
		       uint32_t end)
{
	struct highlighter *h = ctx;
	unsigned char cl = h->hq->class_of[id];
	struct hl_span *sp;

	if (cl == HIGHLIGHT_CLASS_NONE)
		return;
	h->spans = xgrow(h->spans, sizeof(*h->spans), h->n_spans + 1,
			 &h->cap_spans);
	sp = &h->spans[h->n_spans++];
	sp->start = start;
	sp->end = end;
	/* painted in pattern order: the last painted wins */
	sp->pattern = h->first_wins ? UINT32_MAX - p : p;
	/* plain over an outer capture's colour, with no span */
	sp->cls = cl == HIGHLIGHT_CLASS_PLAIN ? HIGHLIGHT_CLASS_NONE : cl;
}

/* Whether pattern p's predicates hold for a node captured as caps[0..n)
 * (ts_match.h's hook). */
static int hl_holds(void *ctx, uint32_t p, const uint16_t *caps, unsigned n,
		    uint32_t start, uint32_t end)
{
	struct highlighter *h = ctx;
	unsigned k;

	h->caps = xgrow(h->caps, sizeof(*h->caps), n, &h->cap_caps);
	for (k = 0; k < n; k++)
		h->caps[k] = (struct highlight_capture){ caps[k], start, end };
	return highlight_preds_hold(h->hq->preds[p], h->hq->n_preds[p], h->caps,
				    n, h->code);
}

/* The spans of `root`'s captures by tree-sitter's query cursor. */
static void hl_cursor_spans(struct highlighter *h, TSNode root)
{
	const struct hl_query *hq = h->hq;
	TSQueryMatch m;

	ts_query_cursor_exec(h->cursor, hq->q, root);
	while (ts_query_cursor_next_match(h->cursor, &m)) {
		uint16_t c;

		h->caps = xgrow(h->caps, sizeof(*h->caps), m.capture_count,
				&h->cap_caps);
		for (c = 0; c < m.capture_count; c++)
			h->caps[c] = (struct highlight_capture){
				m.captures[c].index,
				ts_node_start_byte(m.captures[c].node),
				ts_node_end_byte(m.captures[c].node)
			};
		if (!highlight_preds_hold(hq->preds[m.pattern_index],
					  hq->n_preds[m.pattern_index], h->caps,
					  m.capture_count, h->code))
			continue;
		for (c = 0; c < m.capture_count; c++)
			hl_capture(h, m.pattern_index, m.captures[c].index,
				   h->caps[c].start, h->caps[c].end);
	}
}

/* Colours `code` with grammar `gi`: h->cls gets each byte's class.
 * Returns 1 on syntax errors, 0 without, -1 when the code stays plain
 * (too long, or a grammar or query that cannot be used). */
static int hl_classify(struct highlighter *h, size_t gi, const char *code,
		       size_t len)
{
	struct hl_query *hq = hl_query(gi);
	const struct ts_match_hooks hooks = { h, hl_holds, hl_capture };
	TSTree *tree;
	TSNode root;
	size_t i;
	int errors;

	if (!hq || len > HIGHLIGHT_MAX_BYTES ||
	    !ts_parser_set_language(h->parser, hl_grammars[gi].language()) ||
	    !(tree = ts_parser_parse_string(h->parser, NULL, code,
					    (uint32_t)len)))
		return -1;
	root = ts_tree_root_node(tree);
	h->n_spans = 0;
	h->hq = hq;
	h->first_wins = hl_grammars[gi].first_wins;
	h->code = code;
	if (h->use_cursor || !hq->plan ||
	    ts_matcher_run(h->matcher, hq->plan, tree, &hooks) < 0)
		hl_cursor_spans(h, root);
	hl_sort_spans(h->spans, h->n_spans);
	h->cls = xgrow(h->cls, 1, len + 1, &h->cap_cls);
	memset(h->cls, HIGHLIGHT_CLASS_NONE, len);
	/* outer nodes first, then inner ones over them; of two captures of
	 * one node, the later pattern last */
	for (i = 0; i < h->n_spans; i++) {
		const struct hl_span *sp = &h->spans[i];
		if (sp->end <= len && sp->start < sp->end)
			memset(h->cls + sp->start, sp->cls,
			       sp->end - sp->start);
	}
	errors = ts_node_has_error(root);
	if (errors)
		hl_clear_errors(root, h->cls);
	hl_join_runs(code, len, h->cls);
	ts_tree_delete(tree);
	return errors;
}

/* Highlights `code` with grammar `gi`. Returns 1 on syntax errors. */
static int hl_grammar_code(struct highlighter *h, size_t gi, const char *code,
			   size_t len, struct buf *out)
{
	int errors = hl_classify(h, gi, code, len);

	hl_emit(out, code, len, errors < 0 ? NULL : h->cls);
	return errors > 0;
}

/* A terminal session: see highlight.h. */
static int hl_console(struct highlighter *h, const char *code, size_t len,
		      struct buf *out)
{
	size_t bash = hl_grammar_index("bash"), i = 0;
	int errors = 0;

	while (i < len) {
		const char *nl = memchr(code + i, '\n', len - i);
		size_t eol = nl ? (size_t)(nl - code) : len;

		if (eol - i >= 2 && code[i] == '$' && code[i + 1] == ' ') {
			size_t s = i + 2, e = eol;
			/* a trailing backslash continues the command */
			while (e < len && e > s && code[e - 1] == '\\') {
				nl = memchr(code + e + 1, '\n', len - e - 1);
				e = nl ? (size_t)(nl - code) : len;
			}
			buf_adds(out, "<span class=\"hl-prompt\">$ </span>"
				      "<span class=\"hl-cmd\">");
			errors |= hl_grammar_code(h, bash, code + s, e - s,
						  out);
			buf_adds(out, "</span>");
			i = e;
		} else {
			markdown_xhtml_escape(out, code + i, eol - i, 0);
			i = eol;
		}
		if (i < len) {
			buf_addch(out, '\n');
			i++;
		}
	}
	return errors;
}

int highlight_code(struct highlighter *h, const char *lang, const char *code,
		   size_t len, struct buf *out)
{
	size_t gi;

	if (!strcmp(lang, "console"))
		return hl_console(h, code, len, out);
	gi = hl_grammar_index(lang);
	if (gi == HL_N_GRAMMARS) {
		hl_emit(out, code, len, NULL);
		return 0;
	}
	return hl_grammar_code(h, gi, code, len, out);
}

size_t highlight_n_grammars(void)
{
	return HL_N_GRAMMARS;
}

const char *highlight_grammar_name(size_t i)
{
	return i < HL_N_GRAMMARS ? hl_grammars[i].name : NULL;
}

unsigned highlight_grammar_abi(size_t i)
{
	return i < HL_N_GRAMMARS
		       ? ts_language_abi_version(hl_grammars[i].language())
		       : 0;
}

void highlight_abi_range(unsigned *min, unsigned *max)
{
	*min = TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION;
	*max = TREE_SITTER_LANGUAGE_VERSION;
}

int highlight_grammar_ahead(size_t i)
{
	struct hl_query *hq = i < HL_N_GRAMMARS ? hl_query(i) : NULL;

	return hq && hq->ahead;
}

int highlight_grammar_matched(size_t i)
{
	struct hl_query *hq = i < HL_N_GRAMMARS ? hl_query(i) : NULL;

	return hq && hq->plan;
}

int highlight_grammar_check(size_t i, unsigned *err_at)
{
	struct hl_query *hq;

	*err_at = 0;
	if (i >= HL_N_GRAMMARS)
		return -1;
	hq = hl_query(i);
	if (hq)
		return 0;
	*err_at = hl_queries[i].err_at;
	return -1;
}
