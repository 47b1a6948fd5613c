#include "write_site.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "incremental.h"
#include "output.h"
#include "pages.h"
#include "pool.h"
#include "search_index.h"
#include "site.h"
#include "site_files.h"
#include "theme.h"
#include "tmpl.h"
#include "site_redirects.h"
#include "write_extras.h"
#include "xalloc.h"

/* The templates of the pages, each with its key (incr_template_key()). */
enum { TMPL_INDEX, TMPL_CHAPTER, TMPL_CHECKLIST, TMPL_PRINT, TMPL_404, N_TMPL };
static const char *const tmpl_names[N_TMPL] = {
	"index", "chapter", "checklist", "print", "404",
};

struct site_writer {
	const struct site *s;
	const struct theme *t;
	struct output *o;
	const struct incr *inc;
	struct incr_made *made;
	struct pages pages;
	struct site_files files;
	uint64_t tmpl_key[N_TMPL];
	struct diag *d;
};

/* Builds the context of a page into `x`: `arg` is the chapter of a
 * chapter's page. */
typedef void (*page_builder)(const struct pages *p, size_t arg, struct ctx *x);

static void build_index(const struct pages *p, size_t arg, struct ctx *x)
{
	(void)arg;
	pages_index(p, x);
}

static void build_chapter(const struct pages *p, size_t arg, struct ctx *x)
{
	pages_chapter(p, arg, x);
}

static void build_checklist(const struct pages *p, size_t arg, struct ctx *x)
{
	(void)arg;
	pages_checklist(p, x);
}

static void build_404(const struct pages *p, size_t arg, struct ctx *x)
{
	(void)arg;
	pages_404(p, x);
}

/* The key of the page at `path` made by template `tmpl` from the context
 * build() makes: made for the key alone. */
static uint64_t page_key(const struct site_writer *w, const struct pages *pages,
			 int tmpl, const char *path, page_builder build,
			 size_t arg)
{
	struct ctx x;

	ctx_begin(&x, CTX_KEY, 0);
	build(pages, arg, &x);
	return incr_page_key(w->tmpl_key[tmpl], path, ctx_end(&x, NULL));
}

/* Renders template `tmpl` with the context build() makes into `out`;
 * returns the context's key (with `key` 0 on failure... see below). */
static int page_render(const struct site_writer *w, const struct pages *pages,
		       int tmpl, page_builder build, size_t arg,
		       struct buf *out, struct diag *d)
{
	struct json_object *json;
	struct ctx x;
	int r;

	ctx_begin(&x, CTX_JSON, 0);
	build(pages, arg, &x);
	ctx_end(&x, &json);
	r = tmpl_render(w->t->templates, tmpl_names[tmpl], json, out, d);
	json_object_put(json);
	return r;
}

/* The shared values a thread renders pages with. Keys need none of their
 * own (keying reads only the shared values' hashes), but rendering does:
 * json-c counts references without atomics, so a worker thread other
 * than the caller makes its own copy, at its first page to render. */
struct render_pages {
	const struct pages *ready; /* the caller's */
	struct pages *own;         /* else a worker's, made when first used */
	const struct site_writer *w;
	const char *epub;
};

static const struct pages *render_pages(struct render_pages *rp)
{
	if (rp->ready)
		return rp->ready;
	if (!rp->own->s)
		pages_init(rp->own, rp->w->s, rp->w->t, rp->w->inc, rp->epub,
			   CTX_JSON);
	return rp->own;
}

/* A page on its way to the site: keyed, then kept or made. */
enum page_state { PAGE_TO_RENDER, PAGE_KEPT, PAGE_MADE, PAGE_FAILED };

struct made_page {
	uint64_t key, content;
	char *data;
	size_t len;
	/* an enum page_state; once made, published with compat_store_int()
	 * after the rest, for page_jobs_add() reads it while other threads
	 * still make pages */
	int state;
	struct diag d; /* its problems, once rendered */
};

/* Keys the page at `path`: kept when the last build made it from the
 * same key and it is published, else to be rendered. Touches nothing
 * shared: runs on any thread. */
static void page_keyed(const struct site_writer *w, int tmpl, const char *path,
		       page_builder build, size_t arg, struct made_page *p)
{
	p->key = page_key(w, &w->pages, tmpl, path, build, arg);
	p->state = output_site_has(w->o, path) &&
				   incr_same(w->inc, path, p->key, &p->content)
			   ? PAGE_KEPT
			   : PAGE_TO_RENDER;
}

/* Renders the page page_keyed() found to be rendered, with `rp`. Touches
 * nothing shared: runs on any thread. */
static void page_made(const struct site_writer *w, struct render_pages *rp,
		      int tmpl, page_builder build, size_t arg,
		      struct made_page *p)
{
	struct buf b = BUF_INIT;

	diag_init(&p->d);
	if (page_render(w, render_pages(rp), tmpl, build, arg, &b, &p->d) < 0) {
		buf_release(&b);
		compat_store_int(&p->state, PAGE_FAILED);
		return;
	}
	p->data = buf_detach(&b, &p->len);
	p->content = hash_mix(HASH_SEED, p->data, p->len);
	compat_store_int(&p->state, PAGE_MADE);
}

/* Adds the page page_keyed() kept or page_made() made to the site. Returns 0 or -1. */
static int page_add(struct site_writer *w, const char *path,
		    struct made_page *p)
{
	if (p->state == PAGE_MADE || p->state == PAGE_FAILED) {
		diag_append(w->d, &p->d);
		diag_release(&p->d);
	}
	if (p->state == PAGE_FAILED)
		return -1;
	if (p->state == PAGE_KEPT) {
		site_files_add(&w->files, path, NULL, 0, 1);
		w->files.v[w->files.n - 1].kept = 1;
		w->files.v[w->files.n - 1].content = p->content;
	} else {
		site_files_add_hashed(&w->files, path, p->data, p->len,
				      p->content);
		p->data = NULL;
	}
	incr_note(w->made, path, p->key, p->content, NULL);
	return 0;
}

/* Adds the page at `path`, made on this thread. Returns 0 or -1. */
static int write_page(struct site_writer *w, int tmpl, const char *path,
		      page_builder build, size_t arg)
{
	struct render_pages rp = { &w->pages, NULL, w, NULL };
	struct made_page p;

	memset(&p, 0, sizeof(p));
	page_keyed(w, tmpl, path, build, arg, &p);
	if (p.state == PAGE_TO_RENDER)
		page_made(w, &rp, tmpl, build, arg, &p);
	return page_add(w, path, &p);
}

/* ---- segmented files ---- */

/* Decides how the segmented file `path` is made (see incr_segmented()),
 * and makes it into `f`, its key into *key. Touches nothing shared. */
static int segmented_make(const struct site_writer *w, const char *path,
			  uint64_t frame, size_t n, const uint64_t *seg_keys,
			  const struct incr_seg_maker *mk, uint64_t *key,
			  struct incr_file *f)
{
	size_t i;

	*key = frame;
	for (i = 0; i < n; i++)
		*key = hash_u64(*key, seg_keys[i]);
	return incr_segmented(w->inc, w->o, !w->files.stream, path, *key, frame,
			      n, seg_keys, mk, f);
}

/* Adds the segmented file segmented_make() made. */
static void segmented_add(struct site_writer *w, const char *path, uint64_t key,
			  struct incr_file *f)
{
	struct site_file *sf;

	site_files_add(&w->files, path, f->pieces || f->kept ? NULL : f->data,
		       f->pieces || f->kept ? 0 : f->len, f->kept);
	sf = &w->files.v[w->files.n - 1];
	if (f->kept) {
		sf->kept = 1;
	} else if (f->pieces) {
		/* the pieces point into the new segments' bytes */
		sf->data = f->data;
		sf->pieces = f->pieces;
		sf->n_pieces = f->n_pieces;
	}
	sf->content = f->content;
	sf->hashed = 1;
	/* stamped once written: the segments are the cache's from now */
	if (f->segs && !f->kept)
		sf->segs = f->segs;
	incr_note(w->made, path, key, f->content, f->segs);
}

/* Adds the segmented file `path`, made on this thread. */
static int write_segmented(struct site_writer *w, const char *path,
			   uint64_t frame, size_t n, const uint64_t *seg_keys,
			   const struct incr_seg_maker *mk)
{
	struct incr_file f;
	uint64_t key;

	if (segmented_make(w, path, frame, n, seg_keys, mk, &key, &f) < 0)
		return -1;
	segmented_add(w, path, key, &f);
	return 0;
}

/* ---- print.html ---- */

/* What print_full() and print_body() make the page with. */
struct print_maker {
	const struct site_writer *w;
	struct render_pages *rp;
	struct diag *d;
};

/* print.html as print_make() made it. */
struct made_print {
	int r; /* incr_segmented()'s */
	uint64_t key;
	struct incr_file f;
	struct diag d;
};

static void print_body(void *arg, size_t i, struct buf *out)
{
	const struct print_maker *pm = arg;

	incr_body(pm->w->inc, pm->w->s, i, RENDER_PRINT, out, NULL);
}

static void build_print(const struct pages *p, size_t arg, struct ctx *x)
{
	(void)arg;
	pages_print(p, x);
}

static int print_full(void *arg, struct buf *out, uint64_t *at)
{
	const struct print_maker *pm = arg;
	const struct site_writer *w = pm->w;
	struct buf page = BUF_INIT;
	size_t i, total = 0;
	int r;

	r = page_render(w, render_pages(pm->rp), TMPL_PRINT, build_print, 0,
			&page, pm->d);
	for (i = 0; i < w->s->n_chapters; i++)
		total += incr_text_len(w->inc, i, RENDER_PRINT);
	if (r == 0)
		r = write_extras_print_fill(w->s, page.ptr, page.len, total,
					    print_body, (void *)pm, out, at);
	buf_release(&page);
	return r;
}

/* print.html: its frame is the page rendered from its context (where
 * each chapter's body is a marker), its segments the chapters' bodies.
 * Touches nothing shared: runs on any thread. */
static void print_make(const struct site_writer *w, struct render_pages *rp,
		       struct made_print *mp)
{
	const struct site *s = w->s;
	uint64_t *seg_keys = xcalloc(s->n_chapters + 1, sizeof(*seg_keys));
	struct print_maker pm;
	struct incr_seg_maker mk;
	uint64_t frame;
	size_t i;

	diag_init(&mp->d);
	pm.w = w;
	pm.rp = rp;
	pm.d = &mp->d;
	frame = page_key(w, &w->pages, TMPL_PRINT, WRITE_EXTRAS_PRINT,
			 build_print, 0);
	for (i = 0; i < s->n_chapters; i++)
		seg_keys[i] = incr_body_key(w->inc, s, i, RENDER_PRINT);
	mk.full = print_full;
	mk.seg = print_body;
	mk.ctx = &pm;
	mp->r = segmented_make(w, WRITE_EXTRAS_PRINT, frame, s->n_chapters,
			       seg_keys, &mk, &mp->key, &mp->f);
	free(seg_keys);
}

static void print_add(struct site_writer *w, struct made_print *mp)
{
	diag_append(w->d, &mp->d);
	diag_release(&mp->d);
	if (mp->r == 0)
		segmented_add(w, WRITE_EXTRAS_PRINT, mp->key, &mp->f);
}

/* ---- the pages made on every core ---- */

/* The chapters' pages are made on every core, and beside them the two
 * pages that gather every chapter (the checklist and print.html), which
 * would otherwise be made alone after them. First every page is keyed;
 * then those to be rendered are rendered, each chapter's added to the
 * site as soon as it and every one before it are made, so that a site
 * made from nothing is still handed to the writer page by page. */
enum { JOB_PRINT, JOB_CHECKLIST, N_SIDE_JOBS };

/* A worker thread other than the caller renders with values of its own,
 * which cost about as much to make as a page in every sixteen of the
 * book's; a few pages are rendered on the caller alone. */
#define PAGES_ALONE(n_chapters) (8 + (n_chapters) / 16)

struct page_jobs {
	struct site_writer *w;
	const char *epub;
	struct made_page *chapter;
	struct made_page checklist;
	struct made_print print;
	int with_print;
	struct pages *own;        /* worker k's at own[k - 1], made at its first
			    * page to render */
	size_t *render, n_render; /* the pages to render: the chapters', and
			       * n_chapters for the checklist */
	pthread_mutex_t lock;
	size_t next; /* the first chapter's page not yet added */
};

static void page_jobs_rp(struct page_jobs *pj, size_t worker,
			 struct render_pages *rp)
{
	rp->ready = worker ? NULL : &pj->w->pages;
	rp->own = worker ? &pj->own[worker - 1] : NULL;
	rp->w = pj->w;
	rp->epub = pj->epub;
}

static void page_key_job(void *arg, size_t job, size_t worker)
{
	struct page_jobs *pj = arg;
	const struct site_writer *w = pj->w;
	struct render_pages rp;

	if (job == JOB_PRINT) {
		/* made whole here: a patch needs no rendering, and a full
		 * page is worth a worker's own values */
		page_jobs_rp(pj, worker, &rp);
		if (pj->with_print)
			print_make(w, &rp, &pj->print);
	} else if (job == JOB_CHECKLIST) {
		page_keyed(w, TMPL_CHECKLIST, "checklist.html", build_checklist,
			   0, &pj->checklist);
	} else {
		job -= N_SIDE_JOBS;
		page_keyed(w, TMPL_CHAPTER, w->s->chapters[job].html_name,
			   build_chapter, job, &pj->chapter[job]);
	}
}

/* Adds the chapters' pages from `pj->next` on, up to the first one not
 * yet made. */
static void page_jobs_add(struct page_jobs *pj)
{
	struct site_writer *w = pj->w;

	for (; pj->next < w->s->n_chapters; pj->next++) {
		if (compat_load_int(&pj->chapter[pj->next].state) ==
		    PAGE_TO_RENDER)
			return;
		page_add(w, w->s->chapters[pj->next].html_name,
			 &pj->chapter[pj->next]);
	}
}

static void page_render_job(void *arg, size_t job, size_t worker)
{
	struct page_jobs *pj = arg;
	const struct site_writer *w = pj->w;
	size_t ci = pj->render[job];
	struct render_pages rp;

	page_jobs_rp(pj, worker, &rp);
	if (ci == w->s->n_chapters) {
		page_made(w, &rp, TMPL_CHECKLIST, build_checklist, 0,
			  &pj->checklist);
		return;
	}
	page_made(w, &rp, TMPL_CHAPTER, build_chapter, ci, &pj->chapter[ci]);
	pthread_mutex_lock(&pj->lock);
	page_jobs_add(pj);
	pthread_mutex_unlock(&pj->lock);
}

/* Adds the chapters' pages, the checklist and print.html (when the theme
 * has its template), in that order. */
static void write_gathered_pages(struct site_writer *w, const char *epub)
{
	size_t n = w->s->n_chapters, workers, i;
	struct page_jobs pj;

	memset(&pj, 0, sizeof(pj));
	workers = pool_workers(n + N_SIDE_JOBS, 0);
	pj.w = w;
	pj.epub = epub;
	pj.chapter = xcalloc(n + 1, sizeof(*pj.chapter));
	pj.with_print = tmpl_set_has(w->t->templates, "print");
	pj.own = xcalloc(workers, sizeof(*pj.own));
	pool_run(n + N_SIDE_JOBS, 0, page_key_job, &pj);
	pj.render = xcalloc(n + 2, sizeof(*pj.render));
	if (pj.checklist.state == PAGE_TO_RENDER)
		pj.render[pj.n_render++] = n;
	for (i = 0; i < n; i++)
		if (pj.chapter[i].state == PAGE_TO_RENDER)
			pj.render[pj.n_render++] = i;
	pthread_mutex_init(&pj.lock, NULL);
	page_jobs_add(&pj); /* the kept pages before the first to render */
	pool_run(pj.n_render, pj.n_render > PAGES_ALONE(n) ? 0 : 1,
		 page_render_job, &pj);
	pthread_mutex_destroy(&pj.lock);
	page_jobs_add(&pj); /* the kept pages after the last rendered */
	page_add(w, "checklist.html", &pj.checklist);
	if (pj.with_print)
		print_add(w, &pj.print);
	for (i = 0; i + 1 < workers; i++)
		if (pj.own[i].s)
			pages_release(&pj.own[i]);
	free(pj.own);
	free(pj.render);
	free(pj.chapter);
}

/* ---- the search index ---- */

struct search_part {
	struct site_writer *w;
	size_t part, first; /* the file, and its first chapter */
};

static void search_entry(void *arg, size_t i, struct buf *out)
{
	const struct search_part *sp = arg;

	buf_adds(out, incr_text(sp->w->inc, sp->first + i, INCR_TEXT_SEARCH));
}

static void search_none(void *arg, size_t i, struct buf *out)
{
	(void)arg;
	(void)i;
	(void)out;
}

static int search_full(void *arg, struct buf *out, uint64_t *at)
{
	struct search_part *sp = arg;
	size_t i, n, first, total = 0;

	n = search_index_part_chapters(sp->w->s, sp->part, &first);
	for (i = 0; i < n; i++)
		total += incr_text_len(sp->w->inc, first + i, INCR_TEXT_SEARCH);
	search_index_build_part(sp->w->s, sp->part, search_entry, sp, total,
				out, at);
	return 1;
}

/* Each file of the search index: its frame is what the file holds
 * around the chapters' entries, its segments the entries. */
static int write_search(struct site_writer *w)
{
	const struct site *s = w->s;
	size_t parts = search_index_parts(s), p, i, n;
	uint64_t *seg_keys = xcalloc(s->n_chapters + 1, sizeof(*seg_keys));
	int r = 0;

	for (i = 0; i < s->n_chapters; i++)
		seg_keys[i] = incr_text_hash(w->inc, i, INCR_TEXT_SEARCH);
	for (p = 0; p < parts && r == 0; p++) {
		struct search_part sp;
		struct incr_seg_maker mk;
		struct buf name = BUF_INIT, frame = BUF_INIT;
		sp.w = w;
		sp.part = p;
		n = search_index_part_chapters(s, p, &sp.first);
		search_index_build_part(s, p, search_none, NULL, 0, &frame,
					NULL);
		mk.full = search_full;
		mk.seg = search_entry;
		mk.ctx = &sp;
		search_index_part_name(p, &name);
		r = write_segmented(w, name.ptr,
				    hash_mix(HASH_SEED, frame.ptr, frame.len),
				    n, seg_keys + sp.first, &mk);
		buf_release(&name);
		buf_release(&frame);
	}
	free(seg_keys);
	return r;
}

/* ---- copied files, and the ones made from the whole site ---- */

static void write_copies(struct site_writer *w)
{
	const struct site *s = w->s;
	const struct theme *t = w->t;
	size_t i;

	for (i = 0; i < t->n_files; i++) {
		const struct theme_file *f = &t->files[i];
		if (!strncmp(f->path, "assets/", 7) &&
		    strcmp(f->path, WRITE_EXTRAS_SW_SOURCE))
			site_files_add(&w->files, f->path, f->data, f->len, 1);
	}
	for (i = 0; i < s->n_files; i++) {
		char *full = path_join(s->content_dir, s->files[i]);
		struct buf data = BUF_INIT;
		if (fs_read_file(full, NULL, &data, w->d) == 0) {
			size_t len;
			char *bytes = buf_detach(&data, &len);
			site_files_add(&w->files, s->files[i], bytes, len, 0);
		}
		buf_release(&data);
		free(full);
	}
}

/* The pages kept at old addresses (site_redirects.h). */
static void write_redirects(struct site_writer *w)
{
	size_t i, len;

	for (i = 0; i < w->s->n_redirects; i++) {
		struct buf page = BUF_INIT;
		char *data;

		site_redirects_page(w->s, &w->s->redirects[i], &page);
		data = buf_detach(&page, &len);
		site_files_add(&w->files, w->s->redirects[i].path, data, len,
			       0);
	}
}

/* write_extras_finish() hands its files over through this. */
static void extras_emit(void *l, const char *path, char *data, size_t len)
{
	site_files_add(l, path, data, len, 0);
}

static void write_extras(struct site_writer *w)
{
	struct write_extras extras;
	size_t i;

	write_extras_init(&extras);
	for (i = 0; i < w->files.n; i++) {
		const struct site_file *f = &w->files.v[i];
		if (f->kept || f->streamed || f->hashed)
			write_extras_add_hashed(&extras, f->path,
						site_file_content(f));
		else
			write_extras_add(&extras, f->path, f->data, f->len);
	}
	write_extras_finish(&extras, w->s, w->t, extras_emit, &w->files, w->d);
	write_extras_release(&extras);
}

/* Puts the files in the staged site; counts and lists what was done. */
static void write_staged(struct site_writer *w, int verbose,
			 struct write_stats *stats)
{
	const char *dir = output_site_dir(w->o);
	int *status = site_files_write(&w->files, w->o, w->d);
	size_t i;

	for (i = 0; i < w->files.n; i++) {
		const struct site_file *f = &w->files.v[i];
		if (status[i] == 2) {
			/* the unchanged stretches of the old file, each
			 * copied in one go */
			size_t j, copies = 0;
			for (j = 0; j < f->n_pieces; j++)
				copies += !f->pieces[j].data;
			stats->written++;
			if (verbose)
				fprintf(stderr,
					"  patched %s/%s, %zu stretch%s "
					"copied\n",
					dir, f->path, copies,
					copies == 1 ? "" : "es");
		} else if (status[i] == 1) {
			stats->written++;
			if (verbose)
				fprintf(stderr, "  wrote %s/%s\n", dir,
					f->path);
		} else if (status[i] == 0) {
			stats->unchanged++;
		}
	}
	free(status);
	/* the stamps of the segmented files, as they now are on disk */
	for (i = 0; i < w->files.n; i++)
		if (w->files.v[i].segs)
			w->files.v[i].segs->stamp =
				output_site_stamp(w->o, w->files.v[i].path);
}

/* What write_site() leaves to the process's end (WRITE_SITE_EXITING), a
 * site after another (a book and its translations): not static, so that
 * the compiler keeps the stores through which leak checkers find it. */
struct write_site_left {
	struct pages pages;
	struct write_site_left *next;
};
struct write_site_left *write_site_left;
static pthread_mutex_t write_site_left_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_site_leave(struct pages *p)
{
	struct write_site_left *l = xmalloc(sizeof(*l));

	l->pages = *p;
	pthread_mutex_lock(&write_site_left_lock);
	l->next = write_site_left;
	write_site_left = l;
	pthread_mutex_unlock(&write_site_left_lock);
}

int write_site(const struct site *s, const struct theme *t, struct output *o,
	       const struct incr *inc, const char *epub, unsigned flags,
	       struct incr_made *made, struct write_stats *stats,
	       struct diag *d)
{
	struct site_writer w;
	size_t errors = d->errors;
	int k;

	memset(stats, 0, sizeof(*stats));
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.t = t;
	w.o = o;
	w.inc = inc;
	w.made = made;
	w.d = d;
	for (k = 0; k < N_TMPL; k++)
		w.tmpl_key[k] = incr_template_key(t, tmpl_names[k]);
	pages_init(&w.pages, s, t, inc, epub, CTX_JSON);
	/* A site made from nothing is written file by file as it is made,
	 * so that it is never whole in memory. */
	site_files_init(&w.files, o, output_site_fresh(o));
	write_page(&w, TMPL_INDEX, "index.html", build_index, 0);
	write_gathered_pages(&w, epub);
	write_page(&w, TMPL_404, "404.html", build_404, 0);
	write_redirects(&w);
	if (flags & WRITE_SITE_EXITING)
		write_site_leave(&w.pages);
	else
		pages_release(&w.pages);
	write_search(&w);
	write_copies(&w);
	write_extras(&w);
	site_files_finish(&w.files, d);
	if (d->errors == errors)
		write_staged(&w, (flags & WRITE_SITE_VERBOSE) != 0, stats);
	site_files_release(&w.files);
	return d->errors > errors ? -1 : 0;
}
