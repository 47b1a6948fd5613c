/* ts_match.h's matcher. Part of the runtime's unit (ts_runtime.c), after
 * the runtime's lib.c: QueryStep, Subtree and TSLanguage are its
 * private structures. The semantics followed are those of query.c's
 * ts_query_cursor__advance() and tree_cursor.c's
 * ts_tree_cursor_current_status(), for the shapes the plan takes. */
#include "ts_match.h"

#include "xalloc.h"

#define TM_MAX_KIDS 32 /* child steps of one pattern node */

/* A node of a pattern: a step of the query, or alternatives of one
 * step each. */
struct tm_node {
	uint32_t syms, n_syms; /* in plan->syms; none: a wildcard */
	uint32_t kids, n_kids; /* its child nodes, in plan->kids */
	uint32_t pattern;
	TSFieldId field;
	uint16_t caps[MAX_STEP_CAPTURE_COUNT];
	uint8_t n_caps;
	bool named;     /* a wildcard for named nodes: (_) */
	bool immediate; /* `.` before it: no named sibling between */
	bool tested;    /* a predicate tests one of its captures */
};

struct ts_match_plan {
	const TSLanguage *lang;
	struct tm_node *nodes;
	size_t n_nodes, cap_nodes;
	TSSymbol *syms;
	size_t n_syms, cap_syms;
	uint32_t *kids;
	size_t n_kids, cap_kids;
	/* the pattern roots by symbol: roots[by_sym[s] .. by_sym[s + 1]),
	 * the error symbol's after the others; then the wildcard roots */
	uint32_t *by_sym;
	uint32_t *roots;
	size_t n_roots, cap_roots;
	uint32_t *wild;
	size_t n_wild, cap_wild;
};

/* ---- the plan ---- */

/* A step that is neither a branch of the step sequence nor something
 * the matcher does not test. */
static bool tm_plain_step(const QueryStep *s)
{
	return s->depth != PATTERN_DONE_MARKER && !s->supertype_symbol &&
	       !s->negated_field_list_id && !s->is_missing &&
	       !s->is_last_child && !s->is_pass_through && !s->is_dead_end &&
	       !s->alternative_is_immediate;
}

/* Whether alternative `b` is written like `a`, bar its symbol. */
static bool tm_same_but_symbol(const QueryStep *a, const QueryStep *b)
{
	return a->field == b->field && a->depth == b->depth &&
	       a->is_immediate == b->is_immediate &&
	       !memcmp(a->capture_ids, b->capture_ids, sizeof(a->capture_ids));
}

static void tm_add_sym(struct ts_match_plan *pl, TSSymbol s)
{
	pl->syms = xgrow(pl->syms, sizeof(*pl->syms), pl->n_syms + 1,
			 &pl->cap_syms);
	pl->syms[pl->n_syms++] = s;
}

/* The symbols of the step at steps[*i]: one, none for a wildcard, or
 * the alternatives `[(a) (b)]` of one step each that start there (each
 * but the last followed by a dead end to the alternation's end). Moves
 * *i past them; false for another shape. */
static bool tm_read_syms(struct ts_match_plan *pl, const QueryStep *steps,
			 uint32_t n_steps, uint32_t *i)
{
	const QueryStep *first = &steps[*i];
	uint32_t a = *i, k;

	if (first->alternative_index == NONE) {
		if (first->symbol != WILDCARD_SYMBOL)
			tm_add_sym(pl, first->symbol);
		*i += 1;
		return true;
	}
	for (;;) {
		const QueryStep *s = &steps[a];
		if (!tm_plain_step(s) || s->symbol == WILDCARD_SYMBOL ||
		    !tm_same_but_symbol(first, s))
			return false;
		tm_add_sym(pl, s->symbol);
		if (s->alternative_index == NONE)
			break;
		if (s->alternative_index != a + 2 || a + 2 >= n_steps ||
		    !steps[a + 1].is_dead_end)
			return false;
		a += 2;
	}
	for (k = *i + 1; k < a; k += 2)
		if (steps[k].alternative_index != a + 1)
			return false;
	*i = a + 1;
	return true;
}

/* Reads the pattern node at steps[*i], at depth `depth`, with its child
 * nodes; returns its index, or -1 for a shape the matcher does not take.
 * Recursion is bounded by the query's nesting. */
static int64_t tm_read_node(struct ts_match_plan *pl, const QueryStep *steps,
			    uint32_t n_steps, uint32_t *i, uint16_t depth,
			    uint32_t pattern)
{
	const QueryStep *st = &steps[*i];
	uint32_t kids[TM_MAX_KIDS], n_kids = 0, k;
	struct tm_node n;
	size_t at;

	if (st->depth != depth || !tm_plain_step(st))
		return -1;
	memset(&n, 0, sizeof(n));
	n.pattern = pattern;
	n.field = st->field;
	for (k = 0; k < MAX_STEP_CAPTURE_COUNT && st->capture_ids[k] != NONE;
	     k++)
		n.caps[n.n_caps++] = st->capture_ids[k];
	n.named = st->is_named;
	n.immediate = st->is_immediate;
	n.syms = (uint32_t)pl->n_syms;
	if (!tm_read_syms(pl, steps, n_steps, i))
		return -1;
	n.n_syms = (uint32_t)(pl->n_syms - n.syms);
	/* children after alternatives would be the last one's alone */
	if (st->alternative_index != NONE && *i < n_steps &&
	    steps[*i].depth == depth + 1)
		return -1;
	at = pl->n_nodes;
	pl->nodes = xgrow(pl->nodes, sizeof(*pl->nodes), at + 1,
			  &pl->cap_nodes);
	pl->n_nodes++;
	while (*i < n_steps && steps[*i].depth == depth + 1) {
		int64_t kid = tm_read_node(pl, steps, n_steps, i, depth + 1,
					   pattern);
		const struct tm_node *prev =
			n_kids ? &pl->nodes[kids[n_kids - 1]] : NULL;
		if (kid < 0 || n_kids == TM_MAX_KIDS)
			return -1;
		/* `_ . (x)`: the cursor's seeking_immediate_match, not taken */
		if (prev && !prev->n_syms && !prev->named &&
		    pl->nodes[kid].immediate)
			return -1;
		kids[n_kids++] = (uint32_t)kid;
	}
	n.kids = (uint32_t)pl->n_kids;
	n.n_kids = n_kids;
	if (n_kids) {
		pl->kids = xgrow(pl->kids, sizeof(*pl->kids),
				 pl->n_kids + n_kids, &pl->cap_kids);
		memcpy(pl->kids + pl->n_kids, kids, n_kids * sizeof(*kids));
		pl->n_kids += n_kids;
	}
	pl->nodes[at] = n;
	return (int64_t)at;
}

static bool tm_enabled(const TSQuery *q, uint32_t p)
{
	uint32_t i;

	for (i = 0; i < q->pattern_map.size; i++)
		if (q->pattern_map.contents[i].pattern_index == p)
			return true;
	return false;
}

/* Marks the nodes of pattern p (nodes[from..]) whose captures its
 * predicates test. False when a predicate tests two captures, or a
 * capture that two nodes make: those need whole matches. */
static bool tm_mark_tested(struct ts_match_plan *pl, const TSQuery *q,
			   uint32_t p, size_t from)
{
	uint32_t n, i, start = 0;
	const TSQueryPredicateStep *st = ts_query_predicates_for_pattern(q, p,
									 &n);

	for (i = 0; i < n; i++) {
		uint32_t cap = NONE, j, k;
		size_t x, on = 0;
		if (st[i].type != TSQueryPredicateStepTypeDone)
			continue;
		for (j = start; j < i; j++) {
			if (st[j].type != TSQueryPredicateStepTypeCapture)
				continue;
			if (cap != NONE && cap != st[j].value_id)
				return false;
			cap = st[j].value_id;
		}
		start = i + 1;
		if (cap == NONE)
			continue;
		for (x = from; x < pl->n_nodes; x++)
			for (k = 0; k < pl->nodes[x].n_caps; k++)
				if (pl->nodes[x].caps[k] == cap) {
					pl->nodes[x].tested = true;
					on++;
				}
		if (on > 1)
			return false;
	}
	return true;
}

/* The symbols of `l`, its aliases' included. */
static uint32_t tm_n_symbols(const TSLanguage *l)
{
	return l->symbol_count + l->alias_count;
}

/* The slot of public symbol `s` in by_sym, or -1 for none. */
static int64_t tm_slot(const TSLanguage *l, TSSymbol s)
{
	if (s == ts_builtin_sym_error)
		return tm_n_symbols(l);
	return s < tm_n_symbols(l) ? s : -1;
}

/* Indexes the pattern roots by symbol (counting sort, in pattern
 * order). */
static bool tm_index_roots(struct ts_match_plan *pl, const uint32_t *root,
			   size_t n_root)
{
	size_t n_slots = (size_t)tm_n_symbols(pl->lang) + 1, r, k;
	uint32_t *fill;

	pl->by_sym = xcalloc(n_slots + 1, sizeof(*pl->by_sym));
	for (r = 0; r < n_root; r++) {
		const struct tm_node *n = &pl->nodes[root[r]];
		for (k = 0; k < n->n_syms; k++) {
			int64_t s = tm_slot(pl->lang, pl->syms[n->syms + k]);
			if (s < 0)
				return false;
			pl->by_sym[s + 1]++;
		}
	}
	for (k = 0; k < n_slots; k++)
		pl->by_sym[k + 1] += pl->by_sym[k];
	pl->n_roots = pl->by_sym[n_slots];
	pl->roots = xmalloc((pl->n_roots ? pl->n_roots : 1) *
			    sizeof(*pl->roots));
	fill = xmalloc(n_slots * sizeof(*fill));
	memcpy(fill, pl->by_sym, n_slots * sizeof(*fill));
	for (r = 0; r < n_root; r++) {
		const struct tm_node *n = &pl->nodes[root[r]];
		if (!n->n_syms) {
			pl->wild = xgrow(pl->wild, sizeof(*pl->wild),
					 pl->n_wild + 1, &pl->cap_wild);
			pl->wild[pl->n_wild++] = root[r];
		}
		for (k = 0; k < n->n_syms; k++)
			pl->roots[fill[tm_slot(pl->lang,
					       pl->syms[n->syms + k])]++] =
				root[r];
	}
	free(fill);
	return true;
}

struct ts_match_plan *ts_match_plan_new(const TSQuery *q)
{
	struct ts_match_plan *pl = xcalloc(1, sizeof(*pl));
	uint32_t *root = NULL, p;
	size_t n_root = 0, cap_root = 0;
	bool ok = true;

	pl->lang = q->language;
	for (p = 0; ok && p < q->patterns.size; p++) {
		const QueryPattern *pat = &q->patterns.contents[p];
		/* steps' indices (alternative_index) are the query's */
		const QueryStep *steps = q->steps.contents;
		uint32_t i = pat->steps.offset,
			 n = pat->steps.offset + pat->steps.length;
		size_t from = pl->n_nodes;
		int64_t r;
		if (!tm_enabled(q, p))
			continue;
		r = tm_read_node(pl, steps, n, &i, 0, p);
		/* one root, then the pattern's end; a wildcard root with
		 * children is matched otherwise by the cursor */
		ok = r >= 0 && i + 1 == n &&
		     steps[i].depth == PATTERN_DONE_MARKER &&
		     !pl->nodes[r].immediate &&
		     (pl->nodes[r].n_syms || !pl->nodes[r].n_kids) &&
		     tm_mark_tested(pl, q, p, from);
		if (ok) {
			root = xgrow(root, sizeof(*root), n_root + 1,
				     &cap_root);
			root[n_root++] = (uint32_t)r;
		}
	}
	if (ok)
		ok = tm_index_roots(pl, root, n_root);
	free(root);
	if (!ok) {
		ts_match_plan_free(pl);
		return NULL;
	}
	return pl;
}

void ts_match_plan_free(struct ts_match_plan *pl)
{
	if (!pl)
		return;
	free(pl->nodes);
	free(pl->syms);
	free(pl->kids);
	free(pl->by_sym);
	free(pl->roots);
	free(pl->wild);
	free(pl);
}

/* ---- the matcher ---- */

/* A visible node as its parent's child: the cursor's view of it. */
struct tm_kid {
	Subtree t;
	uint32_t start;
	TSSymbol sym; /* public, after its alias */
	TSFieldId field;
	bool named, error;
};

/* A node being gone through for its visible children: the parent, or
 * a hidden node between them. */
struct tm_hidden {
	Subtree t;
	uint32_t i, structural, pos;
	TSFieldId field; /* its own, or the one it inherits */
	const TSFieldMapEntry *map, *map_end; /* its production's fields */
};

/* A visible node whose children are being visited. */
struct tm_level {
	size_t first, n, next;
};

struct ts_matcher {
	const struct ts_match_plan *plan;
	const TSLanguage *lang;
	const struct ts_match_hooks *hooks;
	struct tm_kid *kids; /* a stack of children lists */
	size_t n_kids, cap_kids;
	struct tm_hidden *hidden;
	size_t cap_hidden;
	struct tm_level *levels;
	size_t cap_levels;
	unsigned char *dp; /* a stack of placement tables */
	size_t n_dp, cap_dp;
};

struct ts_matcher *ts_matcher_new(void)
{
	return xcalloc(1, sizeof(struct ts_matcher));
}

void ts_matcher_free(struct ts_matcher *m)
{
	if (!m)
		return;
	free(m->kids);
	free(m->hidden);
	free(m->levels);
	free(m->dp);
	free(m);
}

/* The field of h's child `structural` in h's production (its own, not
 * by inheritance), or 0. */
static TSFieldId tm_field(const struct tm_hidden *h, uint32_t structural)
{
	const TSFieldMapEntry *map;

	for (map = h->map; map < h->map_end; map++)
		if (!map->inherited && map->child_index == structural)
			return map->field_id;
	return 0;
}

/* Starts going through node `t`, at byte `pos`, inheriting `field`. */
static void tm_enter(struct ts_matcher *m, size_t top, Subtree t, uint32_t pos,
		     TSFieldId field)
{
	struct tm_hidden *h;

	if (top + 1 > m->cap_hidden)
		m->hidden = xgrow(m->hidden, sizeof(*m->hidden), top + 1,
				  &m->cap_hidden);
	h = &m->hidden[top];
	h->t = t;
	h->i = h->structural = 0;
	h->pos = pos;
	h->field = field;
	ts_language_field_map(m->lang, t.ptr->production_id, &h->map,
			      &h->map_end);
}

static void tm_push_kid(struct ts_matcher *m, Subtree c, uint32_t pos,
			TSSymbol alias, TSFieldId field)
{
	const TSLanguage *l = m->lang;
	TSSymbol s = alias ? alias : ts_subtree_symbol(c);
	struct tm_kid *k;

	if (m->n_kids + 1 > m->cap_kids)
		m->kids = xgrow(m->kids, sizeof(*m->kids), m->n_kids + 1,
				&m->cap_kids);
	k = &m->kids[m->n_kids++];
	k->t = c;
	k->start = pos;
	k->error = s == ts_builtin_sym_error;
	k->sym = k->error ? s : l->public_symbol_map[s];
	k->named = alias ? ts_language_symbol_metadata(l, alias).named
			 : ts_subtree_named(c);
	k->field = field;
}

/* Appends the visible children of `parent` (starting at byte `start`)
 * to m->kids, going through its hidden descendants as the cursor does:
 * a child's field is its own, or else the nearest hidden ancestor's.
 * Returns the index of the first. */
static size_t tm_kids(struct ts_matcher *m, Subtree parent, uint32_t start)
{
	const TSLanguage *l = m->lang;
	size_t first = m->n_kids, top = 0;

	if (!ts_subtree_child_count(parent))
		return first;
	tm_enter(m, top++, parent, start, 0);
	while (top) {
		struct tm_hidden *h = &m->hidden[top - 1];
		Subtree c;
		TSSymbol alias = 0;
		TSFieldId field = 0;
		uint32_t pos;
		if (h->i == ts_subtree_child_count(h->t)) {
			top--;
			continue;
		}
		c = ts_subtree_children(h->t)[h->i];
		if (h->i++ > 0)
			h->pos += ts_subtree_padding(c).bytes;
		pos = h->pos;
		h->pos += ts_subtree_size(c).bytes;
		if (!ts_subtree_extra(c)) {
			alias = ts_language_alias_at(l, h->t.ptr->production_id,
						     h->structural);
			field = tm_field(h, h->structural);
			h->structural++;
		}
		if (!field)
			field = h->field;
		if (alias || ts_subtree_visible(c)) {
			tm_push_kid(m, c, pos, alias, field);
		} else if (ts_subtree_child_count(c) > 0) {
			tm_enter(m, top++, c, pos, field);
		}
	}
	return first;
}

static uint32_t tm_end(const struct tm_kid *x)
{
	return x->start + ts_subtree_size(x->t).bytes;
}

/* tm_eval()'s flags */
#define TM_EMIT 1   /* report the captures */
#define TM_SYM_OK 2 /* the symbol is known to match (a root by symbol) */

/* Whether node `x` passes the tests of pattern node `n` on itself:
 * symbol (unless `flags` has TM_SYM_OK), field, predicates. */
static bool tm_node_ok(const struct ts_matcher *m, const struct tm_node *n,
		       const struct tm_kid *x, int flags)
{
	const struct ts_match_plan *pl = m->plan;
	uint32_t k;

	if (flags & TM_SYM_OK) {
		/* tm_match_at() found n by x's symbol */
	} else if (!n->n_syms) {
		if (x->error || (n->named && !x->named))
			return false;
	} else {
		for (k = 0; k < n->n_syms; k++)
			if (pl->syms[n->syms + k] == x->sym)
				break;
		if (k == n->n_syms)
			return false;
	}
	if (n->field && x->field != n->field)
		return false;
	return !n->tested || m->hooks->holds(m->hooks->ctx, n->pattern, n->caps,
					     n->n_caps, x->start, tm_end(x));
}

static int tm_eval(struct ts_matcher *m, uint32_t ni, struct tm_kid x,
		   size_t kf, size_t kn, int flags);

/* Whether the child nodes of pattern node `n` can be placed, in order,
 * on the children kids[kf .. kf + kn): a child node is placed on a
 * later child than the one before it, and one after a `.` with no named
 * child between. With `emit`, reports the captures of every placement
 * that is part of a whole one: a table `ok` of which child each child
 * node matches, `fw` of which can end a placement of the nodes before
 * and `bw` of which can start one of the nodes after. */
static int tm_place(struct ts_matcher *m, const struct tm_node *n, size_t kf,
		    size_t kn, int emit)
{
	const uint32_t *kid = m->plan->kids + n->kids;
	size_t k = n->n_kids, mark = m->n_dp, i, j, cells = k * kn;
	unsigned char *ok, *fw, *bw;
	int found = 0;

	if (kn < k)
		return 0; /* fewer children than child nodes */
	m->dp = xgrow(m->dp, 1, mark + 3 * cells, &m->cap_dp);
	m->n_dp = mark + 3 * cells;
	for (i = 0; i < k; i++)
		for (j = 0; j < kn; j++)
			m->dp[mark + i * kn + j] = (unsigned char)
				tm_eval(m, kid[i], m->kids[kf + j], SIZE_MAX, 0,
					0);
	ok = m->dp + mark;
	fw = ok + cells;
	bw = fw + cells;
	for (i = 0; i < k; i++) {
		bool imm = m->plan->nodes[kid[i]].immediate;
		int64_t last = i ? -2 : -1, named = -1; /* -2: none yet */
		for (j = 0; j < kn; j++) {
			fw[i * kn + j] = ok[i * kn + j] && last > -2 &&
					 (!imm || last >= named);
			if (i && fw[(i - 1) * kn + j])
				last = (int64_t)j;
			if (m->kids[kf + j].named)
				named = (int64_t)j;
		}
	}
	for (j = 0; j < kn; j++)
		found |= fw[(k - 1) * kn + j];
	if (!found || !emit) {
		m->n_dp = mark;
		return found;
	}
	for (i = k; i-- > 0;) {
		bool imm = i + 1 < k && m->plan->nodes[kid[i + 1]].immediate;
		size_t next = i + 1 < k ? SIZE_MAX : kn, named = kn;
		for (j = kn; j-- > 0;) {
			bw[i * kn + j] = ok[i * kn + j] && next != SIZE_MAX &&
					 (!imm || named >= next);
			if (i + 1 < k && bw[(i + 1) * kn + j])
				next = j;
			if (m->kids[kf + j].named)
				named = j;
		}
	}
	for (i = 0; i < k; i++)
		for (j = 0; j < kn; j++)
			if (m->dp[mark + cells + i * kn + j] &&
			    m->dp[mark + 2 * cells + i * kn + j])
				tm_eval(m, kid[i], m->kids[kf + j], SIZE_MAX, 0,
					TM_EMIT);
	m->n_dp = mark;
	return 1;
}

/* Whether pattern node `ni` matches node `x` (whose children are
 * m->kids[kf .. kf + kn), or not listed yet: kf SIZE_MAX); with TM_EMIT
 * in `flags`, reports the captures of the matches. */
static int tm_eval(struct ts_matcher *m, uint32_t ni, struct tm_kid x,
		   size_t kf, size_t kn, int flags)
{
	const struct tm_node *n = &m->plan->nodes[ni];
	size_t mark = m->n_kids;
	int emit = flags & TM_EMIT;
	uint8_t c;

	if (!tm_node_ok(m, n, &x, flags))
		return 0;
	if (n->n_kids) {
		int found;
		if (kf == SIZE_MAX) {
			kf = tm_kids(m, x.t, x.start);
			kn = m->n_kids - kf;
		}
		found = tm_place(m, n, kf, kn, emit);
		m->n_kids = mark;
		if (!found)
			return 0;
	}
	for (c = 0; emit && c < n->n_caps; c++)
		m->hooks->capture(m->hooks->ctx, n->pattern, n->caps[c],
				  x.start, tm_end(&x));
	return 1;
}

/* Reports the matches of the patterns rooted at node `x`, whose
 * children are m->kids[kf .. kf + kn). */
static void tm_match_at(struct ts_matcher *m, const struct tm_kid *x, size_t kf,
			size_t kn)
{
	const struct ts_match_plan *pl = m->plan;
	int64_t s = tm_slot(m->lang, x->sym);
	uint32_t r;

	if (s >= 0)
		for (r = pl->by_sym[s]; r < pl->by_sym[s + 1]; r++)
			tm_eval(m, pl->roots[r], *x, kf, kn,
				TM_EMIT | TM_SYM_OK);
	for (r = 0; r < pl->n_wild; r++)
		tm_eval(m, pl->wild[r], *x, kf, kn, TM_EMIT);
}

int ts_matcher_run(struct ts_matcher *m, const struct ts_match_plan *plan,
		   const TSTree *tree, const struct ts_match_hooks *hooks)
{
	struct tm_kid root;
	size_t top = 0;

	if (tree->language != plan->lang)
		return -1;
	m->plan = plan;
	m->lang = plan->lang;
	m->hooks = hooks;
	m->n_kids = 0;
	m->n_dp = 0;
	tm_push_kid(m, tree->root, ts_subtree_padding(tree->root).bytes, 0, 0);
	root = m->kids[0];
	m->n_kids = 0;
	m->levels = xgrow(m->levels, sizeof(*m->levels), 1, &m->cap_levels);
	m->levels[top].first = tm_kids(m, root.t, root.start);
	m->levels[top].n = m->n_kids - m->levels[top].first;
	m->levels[top++].next = 0;
	tm_match_at(m, &root, 0, m->n_kids);
	while (top) {
		struct tm_level *lv = &m->levels[top - 1];
		struct tm_kid x;
		size_t kf;
		if (lv->next == lv->n) {
			m->n_kids = lv->first;
			top--;
			continue;
		}
		x = m->kids[lv->first + lv->next++];
		kf = tm_kids(m, x.t, x.start);
		tm_match_at(m, &x, kf, m->n_kids - kf);
		if (m->n_kids == kf)
			continue; /* a leaf */
		if (top + 1 > m->cap_levels)
			m->levels = xgrow(m->levels, sizeof(*m->levels),
					  top + 1, &m->cap_levels);
		m->levels[top++] = (struct tm_level){ kf, m->n_kids - kf, 0 };
	}
	return 0;
}
