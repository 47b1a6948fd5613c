/* write_epub: the EPUB of the book (see write_epub.h): the list of its
 * files in container order, what the previous EPUB may give back, and
 * the order in which the parts are made (epub.h lists the files that
 * make them). */
#include "write_epub.h"
#include "epub.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_id.h"
#include "fsutil.h"
#include "hash.h"
#include "incremental.h"
#include "path.h"
#include "render.h"
#include "theme.h"
#include "xalloc.h"

/* Used when the theme has neither epub-base.css nor epub.css. */
static const char epub_fallback_css[] =
	"body { font-family: serif; line-height: 1.5; }\n"
	"h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }\n"
	".callout { border: 1px solid #666; padding: 0.5em 1em; "
	"margin: 1em 0; }\n"
	"ul.task-list, ul.checklist { list-style-type: none; }\n"
	"ul.checklist a, section.backlinks a, nav ol a { color: inherit; "
	"text-decoration: none; }\n"
	"html.cover, body.cover, section.cover { height: 100%; margin: 0; "
	"padding: 0; overflow: hidden; }\n"
	"section.cover svg { display: block; width: 100%; height: 100%; }\n"
	".align-left { text-align: left; }\n"
	".align-center { text-align: center; }\n"
	".align-right { text-align: right; }\n";

static int epub_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int epub_is_content_file(const struct site *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->n_files; i++)
		if (!strcmp(s->files[i], path))
			return 1;
	return 0;
}

void epub_want_image(struct epub *e, const char *path)
{
	size_t i;

	for (i = 0; i < e->n_images; i++)
		if (!strcmp(e->images[i], path))
			return;
	e->images = xgrow(e->images, sizeof(*e->images), e->n_images + 1,
			  &e->cap_images);
	e->images[e->n_images++] = xstrdup(path);
}

static struct epub_file *epub_add_file(struct epub *e, const char *href,
				       const char *id, const char *media_type,
				       const char *properties, int spine)
{
	struct epub_file *f;

	e->files = xgrow(e->files, sizeof(*e->files), e->n_files + 1,
			 &e->cap_files);
	f = &e->files[e->n_files++];
	f->href = xstrdup(href);
	f->id = xstrdup(id);
	f->media_type = media_type;
	f->properties = properties;
	f->spine = spine;
	buf_init(&f->data);
	f->reuse = -1;
	f->deflated = NULL;
	return f;
}

/* The documents the EPUB writer makes, beside the chapters'. */
static const char *const epub_generated[] = {
	EPUB_NAV, EPUB_COVER, EPUB_TITLE, EPUB_CHECKLIST, EPUB_ANSWERS,
};
#define EPUB_N_GENERATED (sizeof(epub_generated) / sizeof(epub_generated[0]))

int epub_is_document(const struct epub *e, const char *name)
{
	return strset_has(&e->documents, name);
}

/* Fills e->documents, and e->book_key from what every chapter's document
 * depends on besides the chapter itself. */
static void epub_documents(struct epub *e)
{
	uint64_t h = build_id_hash();
	size_t i;

	h = hash_str(h, e->lang);
	for (i = 0; i < EPUB_N_GENERATED; i++) {
		strset_add(&e->documents, epub_generated[i], 0);
		h = hash_str(h, epub_generated[i]);
	}
	for (i = 0; i < e->s->n_chapters; i++) {
		strset_add(&e->documents, e->s->chapters[i].xhtml_name, 0);
		h = hash_str(h, e->s->chapters[i].xhtml_name);
	}
	for (i = 0; i < e->s->n_files; i++)
		h = hash_str(h, e->s->files[i]);
	e->book_key = h ? h : 1;
}

/* Reports image `path` (within content/), of a kind EPUB cannot carry,
 * at the first place that shows it. Returns -1. */
static int epub_bad_image(const struct site *s, const char *path,
			  struct diag *d)
{
	const char *where = s->shown_dir;
	int line = 0, col = 0;
	size_t ci, li;

	for (ci = 0; ci < s->n_chapters && !line; ci++) {
		const struct chapter *c = &s->chapters[ci];
		for (li = 0; li < c->n_links && !line; li++)
			if (c->links[li].file &&
			    !strcmp(c->links[li].file, path)) {
				where = c->path;
				line = c->links[li].line;
				col = c->links[li].col;
			}
	}
	return diag_error(d, where, line, col,
			  "image '%s' cannot go into the EPUB: use PNG, JPEG, "
			  "GIF, SVG or WebP",
			  path);
}

static int epub_images(struct epub *e)
{
	size_t i;
	int r = 0;

	if (e->n_images)
		qsort(e->images, e->n_images, sizeof(*e->images), epub_str_cmp);
	for (i = 0; i < e->n_images; i++) {
		const char *type = epub_media_type(e->images[i]);
		struct buf id = BUF_INIT;
		struct epub_file *f;
		char *full, *name;

		if (!type) {
			r = epub_bad_image(e->s, e->images[i], e->d);
			continue;
		}
		if (!strcmp(type, "image/webp"))
			diag_warning(e->d, e->s->shown_dir, 0, 0,
				     "image '%s' is WebP, which EPUB 3.2 "
				     "readers may not show; PNG or JPEG works "
				     "everywhere",
				     e->images[i]);
		buf_addf(&id, "img-%zu", i + 1);
		name = epub_file_name(e->images[i]);
		f = epub_add_file(e, name, id.ptr, type, NULL, 0);
		free(name);
		buf_reset(&id);
		buf_addf(&id, "%s/%s", e->s->shown_dir, e->images[i]);
		full = path_join(e->s->content_dir, e->images[i]);
		if (fs_read_file(full, id.ptr, &f->data, e->d) < 0)
			r = -1;
		buf_release(&id);
		free(full);
	}
	return r;
}

/* A chapter whose file name is one of the generated pages. */
static int epub_check_names(const struct site *s, struct diag *d)
{
	size_t i, j;
	int r = 0;

	for (i = 0; i < s->n_chapters; i++)
		for (j = 0; j < EPUB_N_GENERATED; j++)
			if (s->chapters[i].xhtml_name &&
			    !strcmp(s->chapters[i].xhtml_name,
				    epub_generated[j]))
				r = diag_error(d, s->chapters[i].path, 1, 1,
					       "slug '%s' is taken by the "
					       "EPUB's own '%s': set another "
					       "slug in the front matter",
					       s->chapters[i].slug,
					       epub_generated[j]);
	return r;
}

int write_epub_check(const struct site *s, struct diag *d)
{
	size_t errors = d->errors, i, k;
	struct strset seen = STRSET_INIT;

	epub_check_names(s, d);
	for (i = 0; i < s->n_chapters; i++) {
		const struct chapter *c = &s->chapters[i];
		for (k = 0; k < c->n_images; k++)
			if (!epub_media_type(c->images[k]) &&
			    strset_add(&seen, c->images[k], 0))
				epub_bad_image(s, c->images[k], d);
	}
	strset_release(&seen);
	if (s->cfg.cover && *s->cfg.cover)
		epub_cover_type(&s->cfg, d);
	return d->errors > errors ? -1 : 0;
}

/* Opens the EPUB at `path` as e->prev, mapped: libzip then copies its
 * entries from memory, not with a seek and a read of the file each. */
static void epub_open_prev(struct epub *e, const char *path)
{
	struct stat st;
	zip_error_t ze;
	zip_source_t *src;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		return;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	zip_error_init(&ze);
	src = zip_source_buffer_create(map, (zip_uint64_t)st.st_size, 0, &ze);
	if (src) {
		e->prev = zip_open_from_source(src, ZIP_RDONLY, &ze);
		if (!e->prev)
			zip_source_free(src);
	}
	zip_error_fini(&ze);
	if (!e->prev) {
		munmap(map, (size_t)st.st_size);
		return;
	}
	e->prev_map = map;
	e->prev_len = (size_t)st.st_size;
}

static void epub_close_prev(struct epub *e)
{
	if (e->prev)
		zip_discard(e->prev);
	if (e->prev_map)
		munmap(e->prev_map, e->prev_len);
	e->prev = NULL;
	e->prev_map = NULL;
}

static void epub_release(struct epub *e)
{
	size_t i;

	for (i = 0; i < e->n_files; i++) {
		free(e->files[i].href);
		free(e->files[i].id);
		buf_release(&e->files[i].data);
		epub_deflated_free(e->files[i].deflated);
	}
	free(e->files);
	for (i = 0; i < e->n_images; i++)
		free(e->images[i]);
	free(e->images);
	free(e->identifier);
	free(e->cover.href);
	free(e->cover.id);
	buf_release(&e->cover.data);
	free(e->cover_href);
	free(e->cover_src);
	strset_release(&e->documents);
	epub_toc_free(e->toc);
	pthread_mutex_destroy(&e->toc_lock);
	epub_close_prev(e);
	for (i = 0; i < POOL_MAX_THREADS; i++) {
		if (e->deflaters[i])
			libdeflate_free_compressor(e->deflaters[i]);
		buf_release(&e->deflate_out[i]);
	}
}

/* The whole-book documents made from the chapters' facts alone (nav,
 * NCX, checklist) are made, and deflated, as one more job of the chapter
 * workers (not on a thread of their own, whose memory would add to
 * theirs). The key of each is the hash of its bytes: no list of what it
 * is made from is kept by hand. A first pass writes it only to hash it
 * (epub_xw_*, hashing: no more than a block in memory); when the last
 * build recorded that key, the previous EPUB's entry is taken, else it
 * is written again, kept, and deflated. Where the previous EPUB holds
 * each is looked up before (libzip's archives are not for two threads
 * at once). */
struct epub_book_docs {
	struct epub *e;
	uint64_t *keys; /* WRITE_EPUB_DOCS: the made documents' are set */
	struct buf nav, ncx, checklist;
	zip_int64_t nav_at, ncx_at, checklist_at; /* in the previous EPUB
				 * (when trusted), or -1 */
	zip_int64_t nav_reuse, ncx_reuse, checklist_reuse;
	struct epub_deflated *nav_z, *ncx_z, *checklist_z;
	struct diag cover_d; /* the cover's problems, merged after the jobs */
	int cover_r;         /* what epub_cover() returned */
};

/* Makes document `doc` with `make` and keys it by what its writer is
 * given (epub_xw: the same key, the same bytes); takes the entry `at` of
 * the previous EPUB for it when the last build recorded that key, found
 * by a writer that only hashes, else makes it into `data` and deflates
 * it. With no previous entry to take, it is made once, and keyed as it
 * is written. */
static void epub_book_doc(struct epub_book_docs *b, size_t worker, int doc,
			  void (*make)(struct epub *, struct epub_xw *),
			  struct buf *data, zip_int64_t at, zip_int64_t *reuse,
			  struct epub_deflated **z)
{
	struct epub_xw w;
	uint64_t key;

	*reuse = -1;
	if (at >= 0 && b->e->last->doc_keys[doc]) {
		epub_xw_init(&w, data, 1);
		make(b->e, &w);
		key = epub_xw_key(&w) | 1;
		buf_reset(data);
		b->keys[doc] = key;
		if (b->e->last->doc_keys[doc] == key) {
			*reuse = at;
			return;
		}
	}
	epub_xw_init(&w, data, 0);
	make(b->e, &w);
	b->keys[doc] = epub_xw_key(&w) | 1;
	*z = epub_deflate(b->e, worker, data);
}

/* The cover and the whole-book documents made beside the chapters, each
 * a job of its own: on a small book the cover's raster costs more than
 * all the chapters, and on a large one each document as much as many
 * chapters. The cover is the first job, taken first. */
#define EPUB_BOOK_DOC_JOBS 4

static void epub_book_docs_run(void *arg, size_t job, size_t worker)
{
	struct epub_book_docs *b = arg;

	if (job == 0)
		b->cover_r = epub_cover(b->e, &b->keys[DOC_COVER], &b->cover_d);
	else if (job == 1)
		epub_book_doc(b, worker, DOC_NAV, epub_nav, &b->nav, b->nav_at,
			      &b->nav_reuse, &b->nav_z);
	else if (job == 2)
		epub_book_doc(b, worker, DOC_NCX, epub_ncx, &b->ncx, b->ncx_at,
			      &b->ncx_reuse, &b->ncx_z);
	else if (b->e->has_tasks)
		epub_book_doc(b, worker, DOC_CHECKLIST, epub_checklist,
			      &b->checklist, b->checklist_at,
			      &b->checklist_reuse, &b->checklist_z);
}

static void epub_book_docs_init(struct epub_book_docs *b, struct epub *e,
				uint64_t *keys)
{
	memset(b, 0, sizeof(*b));
	b->e = e;
	b->keys = keys;
	b->nav_at = epub_doc_at(e, EPUB_NAV);
	b->ncx_at = epub_doc_at(e, EPUB_NCX);
	b->checklist_at = epub_doc_at(e, EPUB_CHECKLIST);
	b->checklist_reuse = -1;
	diag_init(&b->cover_d);
}

static void epub_book_docs_release(struct epub_book_docs *b)
{
	buf_release(&b->nav);
	buf_release(&b->ncx);
	buf_release(&b->checklist);
	epub_deflated_free(b->nav_z);
	epub_deflated_free(b->ncx_z);
	epub_deflated_free(b->checklist_z);
	diag_release(&b->cover_d);
}

/* Where the documents made last go in e->files. */
struct epub_slots {
	size_t cover, title, nav, first_chapter;
};

/* Sets up `e` for a build of `s` styled by `t` at `epoch`. */
static void epub_start(struct epub *e, const struct site *s,
		       const struct theme *t, long long epoch, struct diag *d)
{
	int y, mo, dd, h, mi, sec;
	size_t i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < POOL_MAX_THREADS; i++)
		buf_init(&e->deflate_out[i]);
	buf_init(&e->cover.data);
	pthread_mutex_init(&e->toc_lock, NULL);
	e->s = s;
	e->t = t;
	e->d = d;
	e->lang = epub_language(s);
	e->all_alt = 1;
	e->identifier = epub_identifier(&s->cfg);
	write_epub_civil_time(epoch < 0 ? 0 : epoch, &y, &mo, &dd, &h, &mi,
			      &sec);
	snprintf(e->modified, sizeof(e->modified),
		 "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, dd, h, mi, sec);
}

/* Lists e->files in container order up to the chapters; the pages that
 * depend on the whole book are filled in last. */
static void epub_list_files(struct epub *e, struct epub_slots *at)
{
	size_t i;

	at->cover = e->n_files;
	epub_add_file(e, EPUB_COVER, "cover", "application/xhtml+xml", NULL, 1);
	at->title = e->n_files;
	epub_add_file(e, EPUB_TITLE, "titlepage", "application/xhtml+xml", NULL,
		      1);
	at->nav = e->n_files;
	epub_add_file(e, EPUB_NAV, "nav", "application/xhtml+xml", "nav", 1);
	at->first_chapter = e->n_files;
	for (i = 0; i < e->s->n_chapters; i++) {
		char *id = epub_chapter_id(&e->s->chapters[i], i);
		epub_add_file(e, e->s->chapters[i].xhtml_name, id,
			      "application/xhtml+xml", NULL, 1);
		free(id);
	}
}

/* What the documents of the whole book list, known from the chapters'
 * facts before their documents are made (epub_take_parts() comes to the
 * same). */
static void epub_book_facts(struct epub *e)
{
	const struct site *s = e->s;
	size_t i;

	for (i = 0; i < s->n_chapters; i++) {
		if (s->chapters[i].n_tasks)
			e->has_tasks = 1;
		/* (the length of a text in the cache's pack, so that its
		 * page is not read) */
		if (incr_text_len(e->inc, i, INCR_TEXT_ANSWERS))
			e->has_quizzes = 1;
	}
}

/* Moves a document made by the book's job (`data`, or `z` deflated, or
 * the previous EPUB's entry `reuse`) into file `f`. */
static void epub_take_doc(struct epub_file *f, zip_int64_t reuse,
			  struct buf *data, struct epub_deflated **z)
{
	f->reuse = reuse;
	f->deflated = *z;
	*z = NULL;
	if (!f->deflated) {
		f->data = *data;
		buf_init(data);
	}
}

/* Adds the checklist and the answers, which follow the chapters. The
 * answers are made from what the chapters gave, and keyed by their bytes
 * as the other whole-book documents are (epub_book_doc()). */
static void epub_closing_docs(struct epub *e, struct epub_book_docs *docs,
			      const struct epub_part *parts,
			      uint64_t doc_keys[WRITE_EPUB_DOCS])
{
	if (e->has_tasks)
		epub_take_doc(epub_add_file(e, EPUB_CHECKLIST, "checklist",
					    "application/xhtml+xml", NULL, 1),
			      docs->checklist_reuse, &docs->checklist,
			      &docs->checklist_z);
	if (e->has_quizzes) {
		struct epub_file *f = epub_add_file(e, EPUB_ANSWERS, "answers",
						    "application/xhtml+xml",
						    NULL, 2);
		epub_answers(e, parts, &f->data);
		doc_keys[DOC_ANSWERS] = hash_mix(HASH_SEED, f->data.ptr,
						 f->data.len) |
					1;
		e->made->docs_reused += epub_doc_reuse(e, DOC_ANSWERS,
						       doc_keys[DOC_ANSWERS],
						       EPUB_ANSWERS, &f->reuse);
	}
}

/* The entries of the container in order, and what they are made of. */
struct epub_pack {
	struct buf mimetype, container, opf, ncx, css;
	struct buf *names; /* "EPUB/<href>" of each of e->files */
	struct epub_entry *entries;
	size_t n;
};

static struct epub_entry *epub_pack_add(struct epub_pack *k, const char *name,
					const struct buf *data)
{
	struct epub_entry *en = &k->entries[k->n++];

	en->name = name;
	en->data = data;
	return en;
}

/* The book's style sheet: the theme's epub-base.css (the rules every
 * theme shares, which a theme inherits from the default one) followed by
 * its own epub.css, whose rules then win a tie; the fallback when the
 * theme has neither. */
static void epub_css(const struct theme *t, struct buf *css)
{
	static const char *const files[] = { "epub-base.css", "epub.css" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(*files); i++) {
		const struct theme_file *f = t ? theme_get(t, files[i]) : NULL;
		if (!f)
			continue;
		if (css->len && css->ptr[css->len - 1] != '\n')
			buf_addch(css, '\n');
		if (css->len)
			buf_addch(css, '\n');
		buf_add(css, f->data, f->len);
	}
	if (!css->len)
		buf_adds(css, epub_fallback_css);
}

/* Lays out the container: mimetype first and stored; then the package,
 * nav and NCX, so that readers which look at the start of the file find
 * them; then the CSS and e->files. */
static void epub_pack_entries(struct epub *e, struct epub_pack *k,
			      const struct epub_slots *at,
			      struct epub_book_docs *docs)
{
	struct epub_entry *en;
	size_t i;

	buf_adds(&k->mimetype, "application/epub+zip");
	epub_container(&k->container);
	epub_opf(e, &k->opf);
	epub_css(e->t, &k->css);
	k->entries = xcalloc(e->n_files + 6, sizeof(*k->entries));
	for (i = 0; i < e->n_files + 6; i++)
		k->entries[i].reuse = -1;
	k->names = xcalloc(e->n_files, sizeof(*k->names));
	epub_pack_add(k, "mimetype", &k->mimetype)->store = 1;
	epub_pack_add(k, "META-INF/container.xml", &k->container);
	epub_pack_add(k, "EPUB/package.opf", &k->opf);
	en = epub_pack_add(k, "EPUB/" EPUB_NAV, &e->files[at->nav].data);
	en->reuse = e->files[at->nav].reuse;
	en->deflated = e->files[at->nav].deflated;
	e->files[at->nav].deflated = NULL;
	en = epub_pack_add(k, "EPUB/" EPUB_NCX, &k->ncx);
	en->reuse = docs->ncx_reuse;
	en->deflated = docs->ncx_z;
	docs->ncx_z = NULL;
	if (!en->deflated) {
		k->ncx = docs->ncx;
		buf_init(&docs->ncx);
	}
	epub_pack_add(k, "EPUB/" EPUB_CSS, &k->css);
	for (i = 0; i < e->n_files; i++) {
		buf_init(&k->names[i]);
		if (i == at->nav)
			continue;
		buf_addf(&k->names[i], "EPUB/%s", e->files[i].href);
		en = epub_pack_add(k, k->names[i].ptr, &e->files[i].data);
		en->reuse = e->files[i].reuse;
		en->deflated = e->files[i].deflated;
		e->files[i].deflated = NULL; /* the entry's now */
	}
}

static void epub_pack_release(struct epub_pack *k, size_t n_files)
{
	size_t i;

	if (k->names)
		for (i = 0; i < n_files; i++)
			buf_release(&k->names[i]);
	free(k->names);
	if (k->entries)
		epub_entries_free(k->entries, k->n);
	free(k->entries);
	buf_release(&k->mimetype);
	buf_release(&k->container);
	buf_release(&k->opf);
	buf_release(&k->ncx);
	buf_release(&k->css);
}

static struct epub_part *epub_parts_new(size_t n)
{
	struct epub_part *parts = xcalloc(n, sizeof(*parts));
	size_t i;

	for (i = 0; i < n; i++) {
		parts[i].reuse = -1;
		diag_init(&parts[i].d);
	}
	return parts;
}

static void epub_parts_free(struct epub_part *parts, size_t n)
{
	size_t i;

	if (!parts)
		return;
	for (i = 0; i < n; i++) {
		buf_release(&parts[i].xhtml);
		epub_deflated_free(parts[i].deflated);
		buf_release(&parts[i].answers);
		buf_release(&parts[i].images);
		diag_release(&parts[i].d);
	}
	free(parts);
}

/* Opens the previous EPUB at `prev`, to reuse what did not change: its
 * chapter documents when `last` (what the caller knows of it) is of this
 * very file, its other entries when they hold the same bytes. */
static void epub_take_prev(struct epub *e, const char *prev)
{
	uint64_t stamp = e->last->stamp;

	if (prev) {
		epub_open_prev(e, prev);
		e->prev_trusted = e->prev && stamp && fs_stamp(prev) == stamp;
	}
}

/* Makes every document and file of the EPUB into e->files. Returns 0, or
 * -1 after recording the problems. */
static int epub_make_files(struct epub *e, struct epub_book_docs *docs,
			   struct epub_slots *at,
			   uint64_t doc_keys[WRITE_EPUB_DOCS])
{
	struct epub_part *parts;
	size_t errors = e->d->errors;
	int r = -1;

	epub_list_files(e, at);
	epub_book_facts(e);
	memset(doc_keys, 0, WRITE_EPUB_DOCS * sizeof(*doc_keys));
	epub_book_docs_init(docs, e, doc_keys);
	parts = epub_parts_new(e->s->n_chapters);
	epub_chapters(e, parts, epub_book_docs_run, EPUB_BOOK_DOC_JOBS, docs);
	/* the cover's problems first, and alone: a book with no cover has
	 * no EPUB, whatever its chapters say */
	diag_append(e->d, &docs->cover_d);
	if (docs->cover_r < 0)
		goto out;
	e->made->docs_reused += (docs->nav_reuse >= 0) +
				(docs->ncx_reuse >= 0) +
				(docs->checklist_reuse >= 0);
	epub_take_parts(e, parts, at->first_chapter);
	if (e->d->errors > errors)
		goto out;
	epub_closing_docs(e, docs, parts, doc_keys);
	epub_take_cover(e);
	if (epub_images(e) < 0 || e->d->errors > errors)
		goto out;
	if (!e->content_images)
		e->all_alt = 0;
	epub_cover_page(e, &e->files[at->cover].data);
	e->files[at->cover].properties = "svg";
	epub_title_page(e, &e->files[at->title].data);
	epub_take_doc(&e->files[at->nav], docs->nav_reuse, &docs->nav,
		      &docs->nav_z);
	r = 0;
out:
	epub_parts_free(parts, e->s->n_chapters);
	return r;
}

const char *epub_language(const struct site *s)
{
	const char *lang = s->cfg.language;

	if (!lang || !*lang || epub_has_control(lang) ||
	    xmlStrchr(X(lang), ' '))
		return "en";
	return lang;
}

void epub_made_release(struct epub_made *m)
{
	size_t i;

	for (i = 0; m->chapters && i < m->n_chapters; i++) {
		free(m->chapters[i].answers);
		free(m->chapters[i].images);
	}
	free(m->chapters);
	free(m->cover);
	memset(m, 0, sizeof(*m));
}

int write_epub(const struct site *s, const struct incr *inc,
	       const struct theme *t, const struct epub_last *last,
	       const char *prev, const char *shown, long long epoch,
	       struct epub_made *made, struct buf *out, struct diag *d)
{
	uint64_t doc_keys[WRITE_EPUB_DOCS];
	struct epub_book_docs docs;
	struct epub_slots at;
	struct epub_pack pack;
	struct epub e;
	size_t errors = d->errors;
	int r = -1;

	xmlInitParser(); /* before any thread parses */
	memset(&docs, 0, sizeof(docs));
	memset(&pack, 0, sizeof(pack));
	memset(made, 0, sizeof(*made));
	epub_start(&e, s, t, epoch, d);
	e.inc = inc;
	e.last = last;
	e.made = made;
	if (!s->n_chapters) {
		diag_error(d, s->cfg.path, 0, 0, "the book has no chapters");
		goto out;
	}
	if (epub_check_names(s, d) < 0)
		goto out;
	epub_take_prev(&e, prev);
	made->chapters = xcalloc(s->n_chapters, sizeof(*made->chapters));
	made->n_chapters = s->n_chapters;
	epub_documents(&e);
	if (epub_make_files(&e, &docs, &at, doc_keys) < 0)
		goto out;
	epub_pack_entries(&e, &pack, &at, &docs);
	r = epub_zip(&e, shown, e.prev, pack.entries, pack.n, epoch, out);
	epub_close_prev(&e);
	if (r == 0)
		memcpy(made->doc_keys, doc_keys, sizeof(doc_keys));
out:
	epub_book_docs_release(&docs);
	epub_pack_release(&pack, e.n_files);
	epub_release(&e);
	if (d->errors > errors || r < 0)
		made->cover_key = 0; /* nothing of it is kept */
	return d->errors > errors ? -1 : r;
}
