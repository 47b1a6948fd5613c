#include "build.h"

#include <errno.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "buf.h"
#include "build_cover.h"
#include "cache_save.h"
#include "incremental.h"
#include "diag.h"
#include "languages.h"
#include "fsutil.h"
#include "markdown.h"
#include "output.h"
#include "outnames.h"
#include "site.h"
#include "site_load.h"
#include "theme.h"
#include "theme_vars.h"
#include "write_epub.h"
#include "write_site.h"
#include "xalloc.h"

static long long build_epoch(const struct site *s, const struct theme *t)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	long long e = s->newest;

	if (env && *env) {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(env, &end, 10);
		if (!*end && !errno && v >= 0)
			return v;
	}
	if (t->newest > e)
		e = t->newest;
	return e;
}

/* The process's peak resident memory so far, in MB. */
static double build_peak_mb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)ru.ru_maxrss / 1024.0;
}

/* CPU time of every thread so far, user and system. */
static double build_cpu_ms(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static double build_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* write_site()'s flags for a build with options `o`. */
static unsigned build_site_flags(const struct build_opts *o)
{
	return (o->verbose ? WRITE_SITE_VERBOSE : 0) |
	       (o->exiting ? WRITE_SITE_EXITING : 0);
}

/* What a build of a process that then ends leaves (build_opts.exiting):
 * not static, so that the compiler keeps the stores to it, through which
 * leak checkers find the blocks it holds. */
struct build_left {
	struct site s;
	struct theme t;
	struct incr inc;
};
struct build_left build_left;

/* The cache's pack is written on a thread of its own while the site and
 * the EPUB are: it only reads the chapters' texts, ready once the book
 * is loaded (see cache_save_pack()). */
struct build_pack {
	const struct incr *inc;
	const struct site *s;
	const char *path, *staged;
	struct cache_save packed;
	int r, err;
	pthread_t thread;
	int running; /* on `thread` */
};

static void *build_pack_run(void *arg)
{
	struct build_pack *b = arg;

	b->r = cache_save_pack(&b->inc->cache, b->s, b->inc->ch, b->path,
			       b->staged, &b->packed);
	b->err = errno;
	return NULL;
}

/* Starts packing the chapters' texts for the cache beside the writers. */
static void build_pack_start(struct build_pack *b)
{
	b->running = pthread_create(&b->thread, NULL, build_pack_run, b) == 0;
}

/* Waits for the pack; when the writers went well (`ok`), makes it here
 * if it could not start beside them, and records an error when it could
 * not be written. */
static void build_pack_finish(struct build_pack *b, int ok,
			      struct build_report *r, struct diag *d)
{
	if (b->running) {
		double t0 = build_now_ms();
		pthread_join(b->thread, NULL);
		r->ms_pack_wait = build_now_ms() - t0;
	} else if (ok) {
		build_pack_run(b);
	}
	if (b->r < 0 && ok)
		diag_error(d, b->staged, 0, 0, "cannot write the cache: %s",
			   strerror(b->err));
}

/* In a rebuild, the EPUB is made on a thread of its own while the site
 * is: both then mostly copy what the last build made, and each takes one
 * core. A clean build makes them one after the other: its site and its
 * EPUB each fill both cores already, and together they would hold both
 * sets of pages in memory at once. */
struct build_epub {
	const struct site *s;
	struct incr *inc; /* keeps what the EPUB made, for the cache */
	const struct theme *t;
	struct output *o;
	const char *name; /* "<slug>.epub" */
	struct buf bytes;
	struct diag d;             /* its own: added to the build's after */
	int made, changed;         /* made and staged; it changed */
	size_t reused;             /* chapter documents copied from the last */
	int cover_drawn;           /* how the SVG cover was drawn, if it was:
			    * BUILD_COVER_* (build.h) */
	struct build_cover *cover; /* drawn ahead, or NULL */
	double ms;
};

/* Chapters parsed again, at most, for the EPUB to be written beside the
 * site: a share of the book (one chapter in BUILD_SIDE_SHARE), and any
 * number up to BUILD_SIDE_FEW. Beyond that, converting the chapters for
 * the EPUB would take the cores the site's writers use. */
#define BUILD_SIDE_FEW 16
#define BUILD_SIDE_SHARE 10

static int build_side_by_side(const struct site *s, const struct incr *inc)
{
	size_t i, parsed = 0;

	for (i = 0; i < s->n_chapters; i++)
		parsed += !incr_taken(inc, i);
	return parsed <= BUILD_SIDE_FEW ||
	       parsed <= s->n_chapters / BUILD_SIDE_SHARE;
}

/* What the engine knows of the last EPUB, for write_epub(), and the
 * cover drawn ahead (`early`, when not NULL), once it is. */
static void build_epub_last(const struct incr *inc, struct build_cover *early,
			    struct epub_last *last,
			    struct epub_chapter_facts **facts)
{
	size_t i;

	memset(last, 0, sizeof(*last));
	last->stamp = inc->epub.stamp;
	memcpy(last->doc_keys, inc->epub.doc_keys, sizeof(last->doc_keys));
	last->cover = cache_cover_bytes(&inc->epub.cover, &last->cover_len);
	last->cover_key = last->cover ? inc->epub.cover.key : 0;
	if (early) {
		build_cover_join(early);
		if (early->key) {
			last->cover = early->png.ptr;
			last->cover_len = early->png.len;
			last->cover_key = early->key;
		}
	}
	*facts = xcalloc(inc->n_ch + 1, sizeof(**facts));
	for (i = 0; i < inc->n_ch; i++) {
		const struct cache_epub *was = &inc->ch[i].epub;
		(*facts)[i].key = was->key;
		(*facts)[i].flags = was->flags;
		(*facts)[i].answers = was->answers;
		(*facts)[i].images = was->images;
	}
	last->chapters = *facts;
}

/* Hands what write_epub() made to the cache: from here the facts are of
 * the new EPUB, not of the one on disk, until it is written (its stamp
 * is then set). */
static void build_epub_keep(struct incr *inc, struct epub_made *made)
{
	size_t i;

	inc->epub.stamp = 0;
	memcpy(inc->epub.doc_keys, made->doc_keys, sizeof(inc->epub.doc_keys));
	cache_cover_set(&inc->epub.cover, made->cover_key,
			made->cover_key ? made->cover : NULL, made->cover_len);
	if (made->cover_key)
		made->cover = NULL;
	for (i = 0; made->chapters && i < made->n_chapters && i < inc->n_ch;
	     i++) {
		struct cache_epub *c = &inc->ch[i].epub;
		free(c->answers);
		free(c->images);
		c->key = made->chapters[i].key;
		c->flags = made->chapters[i].flags;
		c->answers = made->chapters[i].answers;
		c->images = made->chapters[i].images;
		made->chapters[i].answers = made->chapters[i].images = NULL;
	}
}

static void *build_epub_run(void *arg)
{
	struct build_epub *b = arg;
	char *prev = output_path(b->o, b->name);
	double t0 = build_now_ms();
	struct epub_last last;
	struct epub_chapter_facts *facts;
	struct epub_made made;
	int r;

	build_epub_last(b->inc, b->cover, &last, &facts);
	r = write_epub(b->s, b->inc, b->t, &last, prev, prev,
		       build_epoch(b->s, b->t), &made, &b->bytes, &b->d);
	free(facts);
	b->reused = made.reused;
	if (made.cover_drawn)
		b->cover_drawn = BUILD_COVER_DRAWN;
	else if (b->cover && b->cover->key && made.cover_key == b->cover->key)
		b->cover_drawn = b->cover->early ? BUILD_COVER_EARLY
						 : BUILD_COVER_AHEAD;
	build_epub_keep(b->inc, &made);
	epub_made_release(&made);
	if (r == 0 && output_put(b->o, b->name, b->bytes.ptr, b->bytes.len,
				 &b->changed, &b->d) == 0) {
		char *staged = output_staged(b->o, b->name);
		b->made = 1;
		b->inc->epub.stamp = fs_stamp(staged);
		free(staged);
	}
	buf_release(&b->bytes);
	free(prev);
	b->ms = build_now_ms() - t0;
	return NULL;
}

/* Stages the EPUB made by `epub` and, with the site, its copy in the
 * site; then the cache; then commits. Returns 0 or -1. */
static int build_commit(const struct build_opts *o, struct output *out,
			const struct site *s, const struct incr *inc,
			struct incr_made *made, struct build_epub *epub,
			struct build_pack *pack, struct build_report *r,
			struct diag *d)
{
	int committed = 0;

	if (epub->made) {
		if (!o->no_site && output_site_add(out, epub->name, d) < 0)
			return -1;
		r->epub_written = epub->changed;
		if (o->verbose && epub->changed)
			fprintf(stderr, "  wrote %s/%s\n", o->out, epub->name);
	}
	if (o->no_site)
		/* the pages were not written: keep their old keys */
		incr_note_all_again(inc, made);
	else
		r->removed = output_site_dropped(out);
	if (cache_save_index(s, &inc->epub, inc->ch, made->v, made->n,
			     &pack->packed) < 0) {
		diag_error(d, pack->packed.idx, 0, 0,
			   "cannot write the cache: %s", strerror(errno));
		return -1;
	}
	if (pack->packed.new_pack)
		output_replace(out, CACHE_FILE CACHE_PACK_SUFFIX);
	output_replace(out, CACHE_FILE);
	if (output_commit(out, &committed, d) < 0) {
		r->unfinished = committed;
		return -1;
	}
	r->committed = 1;
	return 0;
}

/* Writes a translation into `out`: its pages in site/<tag>/, its EPUB at
 * the top of the output folder and in site/<tag>/ too, and its cache
 * beside the book's, as the book's are made (build_write(),
 * build_epub_run(), build_commit()) but one after the other. The cache
 * is staged with the rest, and published or dropped with the output
 * (build_translations_end()). */
static void build_translation(const struct build_opts *o, struct output *out,
			      struct language_book *b, const char *dir,
			      struct build_report *r, struct diag *d)
{
	struct incr_made made = { 0 };
	struct write_stats st = { 0, 0 };
	size_t errors = d->errors;
	char *cache = output_path(out, b->cache);
	char *staged = output_staged(out, b->cache);

	if (cache_save_pack(&b->inc.cache, &b->s, b->inc.ch, cache, staged,
			    &b->packed) < 0) {
		diag_error(d, staged, 0, 0, "cannot write the cache: %s",
			   strerror(errno));
		goto out;
	}
	output_site_prefix(out, dir);
	if (!o->no_site &&
	    write_site(&b->s, &b->t, out, &b->inc, o->no_epub ? NULL : b->epub,
		       build_site_flags(o), &made, &st, d) == 0) {
		r->written += st.written;
		r->unchanged += st.unchanged;
	}
	if (!o->no_epub && d->errors == errors) {
		struct epub_last last;
		struct epub_chapter_facts *facts;
		struct epub_made em;
		struct buf bytes = BUF_INIT;
		char *prev = output_path(out, b->epub);
		int changed = 0, ok;

		build_epub_last(&b->inc, NULL, &last, &facts);
		ok = write_epub(&b->s, &b->inc, &b->t, &last, prev, prev,
				build_epoch(&b->s, &b->t), &em, &bytes, d) == 0;
		free(facts);
		build_epub_keep(&b->inc, &em);
		if (ok && output_put(out, b->epub, bytes.ptr, bytes.len,
				     &changed, d) == 0) {
			char *at = output_staged(out, b->epub);
			b->inc.epub.stamp = fs_stamp(at);
			free(at);
			if (!o->no_site)
				output_site_add(out, b->epub, d);
		}
		if (o->verbose && changed)
			fprintf(stderr, "  wrote %s/%s\n", o->out, b->epub);
		if (o->verbose && ok)
			fprintf(stderr,
				"stepbook: EPUB %s: %zu of %zu chapter "
				"documents taken from the last one\n",
				b->epub, em.reused, b->s.n_chapters);
		epub_made_release(&em);
		buf_release(&bytes);
		free(prev);
	}
	output_site_prefix(out, NULL);
	if (o->no_site)
		/* the pages were not written: keep their old keys */
		incr_note_all_again(&b->inc, &made);
	if (d->errors == errors) {
		struct buf name = BUF_INIT;
		if (cache_save_index(&b->s, &b->inc.epub, b->inc.ch, made.v,
				     made.n, &b->packed) < 0) {
			diag_error(d, b->packed.idx, 0, 0,
				   "cannot write the cache: %s",
				   strerror(errno));
		} else {
			buf_addf(&name, "%s%s", b->cache, CACHE_PACK_SUFFIX);
			if (b->packed.new_pack)
				output_replace(out, name.ptr);
			output_replace(out, b->cache);
		}
		buf_release(&name);
	}
	incr_made_release(&made);
out:
	free(cache);
	free(staged);
}

/* After the output's commit (`committed`) or without it: publishes or
 * drops what each translation's cache staged. */
static void build_translations_end(struct languages *langs, int committed)
{
	size_t i;

	for (i = 0; i + 1 < langs->n; i++) {
		if (committed)
			cache_save_release(&langs->books[i].packed);
		else
			cache_save_discard(&langs->books[i].packed);
	}
}

/* Writes the site and the EPUB of the loaded book `s` into `out`: one
 * beside the other when the build is small enough (see
 * build_side_by_side()), else one after the other. */
static void build_write(const struct build_opts *o, struct output *out,
			const struct site *s, const struct theme *t,
			struct incr *inc, struct incr_made *made,
			struct build_epub *epub, struct languages *langs,
			struct build_report *r, struct diag *d)
{
	struct write_stats st = { 0, 0 };
	struct buf name = BUF_INIT;
	double t0 = build_now_ms(), c0 = build_cpu_ms();
	size_t errors = d->errors, i;
	pthread_t epub_thread;

	buf_addf(&name, "%s.epub", s->slug);
	epub->name = buf_detach(&name, NULL);
	epub->o = out;
	epub->s = s;
	epub->inc = inc;
	epub->t = t;
	if (!o->no_site && output_site_begin(out, d) < 0)
		return;
	if (!o->no_epub && !o->no_site && build_side_by_side(s, inc))
		r->side_by_side = pthread_create(&epub_thread, NULL,
						 build_epub_run, epub) == 0;
	if (!o->no_site &&
	    write_site(s, t, out, inc, o->no_epub ? NULL : epub->name,
		       build_site_flags(o), made, &st, d) == 0) {
		r->written = st.written;
		r->unchanged = st.unchanged;
	}
	/* a translation draws its own cover: not while the book's is drawn
	 * ahead, one librsvg drawing at a time */
	if (langs->n > 1 && epub->cover)
		build_cover_join(epub->cover);
	for (i = 1; i < langs->n && d->errors == errors; i++)
		build_translation(o, out, &langs->books[i - 1], langs->v[i].dir,
				  r, d);
	r->ms_site = build_now_ms() - t0;
	if (r->side_by_side) {
		/* its CPU time is counted with the site's */
		pthread_join(epub_thread, NULL);
		r->cpu_site = build_cpu_ms() - c0;
		r->mb_site = build_peak_mb();
	} else {
		r->cpu_site = build_cpu_ms() - c0;
		r->mb_site = build_peak_mb();
		c0 = build_cpu_ms();
		if (d->errors == errors && !o->no_epub)
			build_epub_run(epub);
		r->cpu_epub = build_cpu_ms() - c0;
	}
	diag_append(d, &epub->d);
	r->epub_made = epub->made;
	r->epub_reused = epub->made ? epub->reused : 0;
	r->cover_drawn = epub->made ? epub->cover_drawn : 0;
	r->ms_epub = epub->ms;
	r->mb_epub = build_peak_mb();
}

/* The EPUB the cache describes is the last one of the book (and of each
 * translation) when the cache was made in the same world (cache_world()):
 * its chapter documents can then be taken again. */
static void build_last_epubs(struct incr *inc, const struct site *s,
			     struct languages *langs)
{
	size_t i;

	if (inc->cache.world == cache_world(s))
		inc->epub = inc->cache.epub;
	for (i = 0; i + 1 < langs->n; i++) {
		struct language_book *b = &langs->books[i];
		if (b->inc.cache.world == cache_world(&b->s))
			b->inc.epub = b->inc.cache.epub;
	}
}

/* The checks that stop a build before anything is written, and that
 * `check` reports too: what would fail the EPUB, names the outputs
 * cannot have, and under --strict (or `strict: true`) the warnings from
 * diagnostic `first` on, made errors. The EPUB is checked when the build
 * had no error yet (`errors` were there before it). Returns whether the
 * build is strict. */
static int build_checks(const struct build_opts *o, const struct site *s,
			const struct theme *t, const struct languages *langs,
			size_t errors, size_t first, struct diag *d)
{
	size_t i;
	int strict = o->strict || s->cfg.strict;

	if (!o->no_epub && d->errors == errors) {
		write_epub_check(s, d);
		for (i = 0; i + 1 < langs->n; i++)
			write_epub_check(&langs->books[i].s, d);
	}
	outnames_check(s, t, o->out, o->no_site, o->no_epub, d);
	for (i = 0; i + 1 < langs->n; i++)
		outnames_check(&langs->books[i].s, &langs->books[i].t, o->out,
			       o->no_site, o->no_epub, d);
	if (strict)
		diag_promote(d, first);
	return strict;
}

/* The model, theme and cache of a build that ended with `result`: freed,
 * or, when the process is about to end, left to its end. */
static void build_leave(const struct build_opts *o, int result, struct site *s,
			struct theme *t, struct incr *inc)
{
	if (o->exiting && result != 1) {
		/* tens of thousands of blocks and two mappings that the
		 * process's end frees at once: kept reachable (so that leak
		 * checkers see no leak), not freed one by one */
		build_left.s = *s;
		build_left.t = *t;
		build_left.inc = *inc;
	} else {
		incr_release(inc);
		site_release(s);
		theme_release(t);
	}
}

/* Loads the book into `s` and its theme into `t`, with the engine
 * `inc`; when `want_cover`, the cover is drawn ahead from the moment
 * book.yml is read (build_cover.h). */
static void build_load(const struct build_opts *o, struct incr *inc,
		       struct site *s, struct theme *t,
		       struct build_cover *cover, int want_cover,
		       struct diag *d)
{
	struct build_early early;

	markdown_init();
	/* libxml2's global state, set up here, on this thread, before the
	 * cover drawn ahead and the EPUB's threads use it */
	xmlInitParser();
	build_early_init(&early, o->theme, t, cover, want_cover);
	inc->configured = build_configured;
	inc->configured_ctx = &early;
	incr_load(inc, s, o->content, o->content, o->drafts, d);
	inc->configured = NULL;
	if (build_early_finish(&early, s, d))
		theme_vars_check(t, d);
}

/* One build into `out` (NULL when only checking); `use_cache` 0 makes
 * it as if there were no cache. Returns 0, -1 after recording errors, or
 * 1 when a text read from the cache's pack was damaged: nothing is then
 * committed, and the build is to be made again without the cache. */
static int build_once(const struct build_opts *o, struct output *out,
		      int use_cache, struct build_report *r, struct diag *d)
{
	struct site s;
	struct theme t;
	struct incr inc;
	struct incr_made made = { 0 };
	struct build_pack pack;
	struct build_epub epub;
	struct build_cover cover;
	struct languages langs;
	int result, damaged = 0;
	char *cache_path = path_join(o->out, CACHE_FILE);
	char *staged_index = out ? output_staged(out, CACHE_FILE) : NULL;
	double start = build_now_ms();
	size_t errors = d->errors, first = d->n, i;
	int strict;

	memset(r, 0, sizeof(*r));
	memset(&pack, 0, sizeof(pack));
	pack.packed.idx_fd = -1;
	memset(&epub, 0, sizeof(epub));
	diag_init(&epub.d);
	build_cover_init(&cover);
	incr_open(&inc, cache_path, use_cache);
	build_load(o, &inc, &s, &t, &cover,
		   out && !o->no_epub && !inc.cache.epub.cover.ptr, d);
	r->chapters = s.n_chapters;
	r->code_blocks = s.code_blocks;
	r->code_ahead = s.code_ahead;
	if (d->errors == errors)
		languages_load(&langs, &s, o->theme, o->content, o->out,
			       use_cache, o->drafts, d);
	else
		memset(&langs, 0, sizeof(langs));
	build_last_epubs(&inc, &s, &langs);
	strict = build_checks(o, &s, &t, &langs, errors, first, d);
	if (d->errors == errors && out && !o->no_epub && !inc.epub.cover.ptr) {
		/* drawn ahead since the configuration was read, or not: the
		 * cache had a raster, of another cover */
		if (!cover.running)
			build_cover_start(&cover, &s, &t);
		epub.cover = &cover;
	}
	/* the chapters' sources were needed to parse them and to point
	 * at their lines; the writers read what was made of them */
	for (i = 0; i < s.n_chapters; i++)
		buf_release(&s.chapters[i].source);
	r->ms_load = build_now_ms() - start;
	r->cpu_load = build_cpu_ms();
	r->mb_load = build_peak_mb();
	if (d->errors == errors && out) {
		pack.inc = &inc;
		pack.s = &s;
		pack.path = cache_path;
		pack.staged = staged_index;
		build_pack_start(&pack);
		build_write(o, out, &s, &t, &inc, &made, &epub, &langs, r, d);
		build_pack_finish(&pack, d->errors == errors, r, d);
	}
	build_cover_release(&cover);
	if (strict)
		diag_promote(d, first);
	result = d->errors > errors ? -1 : 0;
	for (i = 0; i + 1 < langs.n && !damaged; i++)
		damaged = incr_damaged(&langs.books[i].inc);
	if (out && (incr_damaged(&inc) || damaged)) {
		/* the cache vouched for a text that is not what it wrote:
		 * nothing of this build is used */
		result = 1;
	} else if (result == 0 && out) {
		double t0 = build_now_ms(), c0 = build_cpu_ms();
		if (build_commit(o, out, &s, &inc, &made, &epub, &pack, r, d) <
		    0)
			result = -1;
		r->ms_cache = build_now_ms() - t0;
		r->cpu_cache = build_cpu_ms() - c0;
		r->mb_cache = build_peak_mb();
	}
	/* a build that did not commit leaves the pack as it was */
	if (r->committed || r->unfinished)
		cache_save_release(&pack.packed);
	else
		cache_save_discard(&pack.packed);
	build_translations_end(&langs, r->committed || r->unfinished);
	incr_made_release(&made);
	languages_release(&langs);
	diag_release(&epub.d);
	buf_release(&epub.bytes);
	free((char *)epub.name);
	free(cache_path);
	free(staged_index);
	build_leave(o, result, &s, &t, &inc);
	r->ms = build_now_ms() - start;
	return result;
}

int build_book(const struct build_opts *o, struct build_report *r,
	       struct diag *d)
{
	struct output *out = NULL;
	struct diag first;
	int result;

	if (!o->check_only) {
		out = output_open(o->out, d);
		if (!out) {
			memset(r, 0, sizeof(*r));
			return -1;
		}
	}
	diag_init(&first);
	result = build_once(o, out, !out || !output_unknown(out), r, &first);
	if (result == 1) {
		/* a damaged cache: made again from the sources alone (its
		 * messages were those of this build too) */
		if (o->verbose)
			fprintf(stderr,
				"stepbook: the cache's pack is damaged; "
				"building without it\n");
		output_discard(out);
		result = build_once(o, out, 0, r, d);
	} else {
		diag_append(d, &first);
	}
	diag_release(&first);
	output_close(out);
	r->warnings = d->warnings;
	return result < 0 ? -1 : 0;
}

void build_print_summary(const struct build_opts *o,
			 const struct build_report *r)
{
	struct buf warns = BUF_INIT;

	if (r->warnings)
		buf_addf(&warns, "; %zu warning%s (--strict makes them errors)",
			 r->warnings, r->warnings == 1 ? "" : "s");
	if (o->check_only) {
		fprintf(stderr, "stepbook: %zu chapters checked, no errors%s\n",
			r->chapters, warns.ptr);
		buf_release(&warns);
		return;
	}
	fprintf(stderr,
		"stepbook: %zu chapters; %zu pages written, %zu "
		"unchanged%s; EPUB %s%s; %.0f ms\n",
		r->chapters, r->written, r->unchanged,
		r->removed ? " (and stale ones removed)" : "",
		o->no_epub        ? "skipped"
		: r->epub_written ? "written"
				  : "unchanged",
		warns.ptr, r->ms);
	buf_release(&warns);
	if (o->verbose && !o->check_only) {
		if (r->epub_made)
			fprintf(stderr,
				"stepbook: EPUB: %zu of %zu chapter "
				"documents taken from the last one\n",
				r->epub_reused, r->chapters);
		if (r->cover_drawn)
			fprintf(stderr,
				"stepbook: EPUB: the cover image drawn from "
				"its SVG%s\n",
				r->cover_drawn == BUILD_COVER_EARLY
					? ", beside the loading and the site"
				: r->cover_drawn == BUILD_COVER_AHEAD
					? ", beside the site"
					: "");
		if (r->code_blocks)
			fprintf(stderr,
				"stepbook: code blocks highlighted: %zu (%zu "
				"ahead of their chapters)\n",
				r->code_blocks, r->code_ahead);
		fprintf(stderr,
			"stepbook: %.0f ms loading, %.0f ms site, "
			"%.0f ms EPUB%s, %.0f ms cache (and %.0f ms waiting "
			"for its pack, written beside the rest)\n",
			r->ms_load, r->ms_site, r->ms_epub,
			r->side_by_side ? " (beside the site)" : "",
			r->ms_cache, r->ms_pack_wait);
		if (r->side_by_side)
			fprintf(stderr,
				"stepbook: CPU time, all threads: "
				"%.0f ms loading, %.0f ms site and EPUB, "
				"%.0f ms cache\n",
				r->cpu_load, r->cpu_site, r->cpu_cache);
		else
			fprintf(stderr,
				"stepbook: CPU time, all threads: "
				"%.0f ms loading, %.0f ms site, %.0f ms EPUB, "
				"%.0f ms cache\n",
				r->cpu_load, r->cpu_site, r->cpu_epub,
				r->cpu_cache);
		fprintf(stderr,
			"stepbook: peak memory %.0f MB after "
			"loading, %.0f after the site, %.0f after the EPUB, "
			"%.0f after the cache\n",
			r->mb_load, r->mb_site, r->mb_epub, r->mb_cache);
	}
}
