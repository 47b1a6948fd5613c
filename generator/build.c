#include "build.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "buf.h"
#include "cache.h"
#include "diag.h"
#include "fsutil.h"
#include "markdown.h"
#include "outdir.h"
#include "outnames.h"
#include "render.h"
#include "site.h"
#include "theme.h"
#include "write_epub.h"
#include "write_site.h"

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

/* What a build of a process that then ends leaves (build_opts.exiting):
 * not static, so that the compiler keeps the stores to it, through which
 * leak checkers find the blocks it holds. */
struct build_left {
	struct site s;
	struct theme t;
	struct cache cache;
};
struct build_left build_left;

/* The cache's pack is written on a thread of its own while the site and
 * the EPUB are: it only reads the chapters' texts, ready once the book
 * is loaded (see cache_save_pack()). */
struct build_pack {
	struct cache *cache;
	const struct site *s;
	const char *out, *path;
	struct cache_packed packed;
	int r;
};

static void *build_pack_run(void *arg)
{
	struct build_pack *b = arg;

	b->r = fs_mkdirs(b->out) == 0 ?
		       cache_save_pack(b->cache, b->s, b->path, &b->packed) : -1;
	return NULL;
}

/* In a rebuild, the EPUB is written on a thread of its own while the site
 * is: both then mostly copy what the last build made, and each takes one
 * core. A clean build writes them one after the other: its site and its
 * EPUB each fill both cores already, and together they would hold both
 * sets of pages in memory at once. */
struct build_epub {
	const struct build_opts *o;
	struct site *s;
	const struct theme *t;
	struct diag d;          /* its own: added to the build's after */
	int written;
	double ms;
};

/* Chapters parsed again, at most, for the EPUB to be written beside the
 * site: a tenth of the book, and any book of up to 16 chapters. */
static int build_side_by_side(const struct site *s)
{
	size_t i, parsed = 0;

	for (i = 0; i < s->n_chapters; i++)
		parsed += !s->chapters[i].from_cache;
	return parsed <= 16 || parsed <= s->n_chapters / 10;
}

static void *build_epub_run(void *arg)
{
	struct build_epub *b = arg;
	struct buf name = BUF_INIT;
	char *path;
	double t0 = build_now_ms();

	buf_addf(&name, "%s.epub", b->s->slug);
	path = path_join(b->o->out, name.ptr);
	if (write_epub(b->s, b->t, path, build_epoch(b->s, b->t), &b->d) == 0) {
		b->written = 1;
		if (b->o->verbose)
			fprintf(stderr, "  wrote %s\n", path);
	}
	free(path);
	buf_release(&name);
	b->ms = build_now_ms() - t0;
	return NULL;
}

static int build_take(void *ctx, struct site *s, struct chapter *c,
		      const char *full)
{
	return cache_take_chapter(ctx, s, c, full);
}

/* A chapter is rendered as soon as it is parsed, and its tree freed, so
 * that the book never has every tree in memory at once. */
static void build_parsed(void *ctx, struct site *s, struct chapter *c)
{
	(void)ctx;
	render_prepare(s, c);
}

int build_book(const struct build_opts *o, struct build_report *r,
	       struct diag *d)
{
	struct site s;
	struct theme t;
	struct cache cache;
	struct site_hooks hooks;
	struct build_pack pack;
	struct build_epub epub;
	pthread_t pack_thread, epub_thread;
	int packing = 0;
	char *cache_path = path_join(o->out, CACHE_FILE);
	double start = build_now_ms();
	size_t errors = d->errors, i;

	memset(r, 0, sizeof(*r));
	memset(&pack, 0, sizeof(pack));
	markdown_init();
	cache_load(&cache, cache_path);
	hooks.take = build_take;
	hooks.parsed = build_parsed;
	hooks.ctx = &cache;
	site_load_with(&s, "content", "content", &hooks, d);
	theme_load(&t, o->theme ? o->theme : s.cfg.theme, ".", d);
	r->chapters = s.n_chapters;
	if (cache.world == cache_world(s.cfg.unsafe_html)) {
		s.epub_stamp = cache.epub_stamp;
		memcpy(s.epub_doc_keys, cache.epub_doc_keys,
		       sizeof(s.epub_doc_keys));
	}
	/* what would fail the EPUB stops the build before anything is
	 * written, and `check` reports it too */
	if (d->errors == errors && !o->no_epub)
		write_epub_check(&s, d);
	/* and so does a name the outputs cannot have */
	outnames_check(&s, &t, o->out, o->no_site, o->no_epub, d);
	/* the chapters' sources were needed to parse them and to point
	 * at their lines; the writers read what was made of them */
	for (i = 0; i < s.n_chapters; i++)
		buf_release(&s.chapters[i].source);
	r->ms_load = build_now_ms() - start;
	r->cpu_load = build_cpu_ms();
	r->mb_load = build_peak_mb();
	/* the folder is marked as stepbook's before anything goes in */
	if (d->errors == errors && !o->check_only)
		outdir_mark(o->out, d);
	if (d->errors == errors && !o->check_only) {
		struct write_stats st = { 0, 0, 0 };
		char *site_dir = path_join(o->out, "site");
		double t0 = build_now_ms(), c0 = build_cpu_ms();
		pack.cache = &cache;
		pack.s = &s;
		pack.out = o->out;
		pack.path = cache_path;
		packing = pthread_create(&pack_thread, NULL, build_pack_run,
					 &pack) == 0;
		memset(&epub, 0, sizeof(epub));
		epub.o = o;
		epub.s = &s;
		epub.t = &t;
		diag_init(&epub.d);
		if (!o->no_epub && !o->no_site && build_side_by_side(&s))
			r->side_by_side = pthread_create(&epub_thread, NULL,
							 build_epub_run,
							 &epub) == 0;
		if (!o->no_site &&
		    write_site_cached(&s, &t, site_dir, &cache, o->verbose, &st,
				      d) == 0) {
			r->written = st.written;
			r->unchanged = st.unchanged;
			r->removed = st.removed;
		}
		free(site_dir);
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
				build_epub_run(&epub);
			r->cpu_epub = build_cpu_ms() - c0;
		}
		diag_append(d, &epub.d);
		diag_release(&epub.d);
		r->epub_written = epub.written;
		r->epub_reused = epub.written ? s.epub_reused : 0;
		r->ms_epub = epub.ms;
		r->mb_epub = build_peak_mb();
	}
	if (packing) {
		double t0 = build_now_ms();
		pthread_join(pack_thread, NULL);
		r->ms_pack_wait = build_now_ms() - t0;
	}
	if (d->errors == errors && !o->check_only) {
		double t0 = build_now_ms(), c0 = build_cpu_ms();
		if (o->no_site)
			/* the pages were not written: keep their old keys */
			for (i = 0; i < cache.n_outputs; i++) {
				cache_output_note(&cache, cache.outputs[i].path,
						  cache.outputs[i].key,
						  cache.outputs[i].content);
				cache_output_note_segs(&cache, cache_segs_copy(
						cache.outputs[i].segs));
			}
		if (!packing)
			build_pack_run(&pack);
		if (pack.r == 0)
			cache_save_index(&cache, &s, cache_path, &pack.packed);
		r->ms_cache = build_now_ms() - t0;
		r->cpu_cache = build_cpu_ms() - c0;
		r->mb_cache = build_peak_mb();
	}
	/* a failed build leaves the cache as it was */
	if (pack.packed.pack)
		cache_pack_discard(&pack.packed);
	free(cache_path);
	if (o->exiting) {
		/* tens of thousands of blocks and two mappings that the
		 * process's end frees at once: kept reachable (so that leak
		 * checkers see no leak), not freed one by one */
		build_left.s = s;
		build_left.t = t;
		build_left.cache = cache;
	} else {
		cache_release(&cache);
		site_release(&s);
		theme_release(&t);
	}
	r->ms = build_now_ms() - start;
	return d->errors > errors ? -1 : 0;
}

void build_print_summary(const struct build_opts *o,
			 const struct build_report *r)
{
	if (o->check_only) {
		fprintf(stderr, "stepbook: %zu chapters checked, no errors\n",
			r->chapters);
		return;
	}
	fprintf(stderr, "stepbook: %zu chapters; %zu pages written, %zu "
		"unchanged%s; EPUB %s; %.0f ms\n", r->chapters, r->written,
		r->unchanged, r->removed ? " (and stale ones removed)" : "",
		o->no_epub ? "skipped" : r->epub_written ? "written" : "unchanged",
		r->ms);
	if (o->verbose && !o->check_only) {
		if (r->epub_written)
			fprintf(stderr, "stepbook: EPUB: %zu of %zu chapter "
				"documents taken from the last one\n",
				r->epub_reused, r->chapters);
		fprintf(stderr, "stepbook: %.0f ms loading, %.0f ms site, "
			"%.0f ms EPUB%s, %.0f ms cache (and %.0f ms waiting "
			"for its pack, written beside the rest)\n", r->ms_load,
			r->ms_site, r->ms_epub,
			r->side_by_side ? " (beside the site)" : "",
			r->ms_cache, r->ms_pack_wait);
		if (r->side_by_side)
			fprintf(stderr, "stepbook: CPU time, all threads: "
				"%.0f ms loading, %.0f ms site and EPUB, "
				"%.0f ms cache\n", r->cpu_load, r->cpu_site,
				r->cpu_cache);
		else
			fprintf(stderr, "stepbook: CPU time, all threads: "
				"%.0f ms loading, %.0f ms site, %.0f ms EPUB, "
				"%.0f ms cache\n", r->cpu_load, r->cpu_site,
				r->cpu_epub, r->cpu_cache);
		fprintf(stderr, "stepbook: peak memory %.0f MB after "
			"loading, %.0f after the site, %.0f after the EPUB, "
			"%.0f after the cache\n", r->mb_load, r->mb_site,
			r->mb_epub, r->mb_cache);
	}
}
