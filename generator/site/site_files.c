#include "site_files.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsutil.h"
#include "hash.h"
#include "output.h"
#include "pool.h"
#include "xalloc.h"

/* A file on its way to the staging folder. */
struct site_job {
	struct site_job *next;
	char *path; /* where it goes, in the site */
	char *data; /* freed once written, unless borrowed */
	size_t len, idx;
	int borrowed, status;
};

/* Writes files to the staging folder on a thread of its own while the
 * pages are still being rendered: creating a thousand files is the
 * kernel's work, which then overlaps with the rendering. At most
 * STREAM_MAX_BYTES wait at any time. */
#define STREAM_MAX_BYTES (4u << 20)

struct site_stream {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct site_job *head, *tail, *done;
	size_t pending; /* bytes queued, not yet written */
	int closing;
	struct output *o;
	struct diag d; /* the writer's problems */
};

static void *stream_run(void *arg)
{
	struct site_stream *st = arg;

	pthread_mutex_lock(&st->lock);
	for (;;) {
		struct site_job *j = st->head;
		if (!j) {
			if (st->closing)
				break;
			pthread_cond_wait(&st->cond, &st->lock);
			continue;
		}
		st->head = j->next;
		if (!st->head)
			st->tail = NULL;
		pthread_mutex_unlock(&st->lock);
		j->status = output_site_write(st->o, j->path, j->data, j->len,
					      NULL, &st->d) == 0
				    ? 1
				    : -1;
		if (!j->borrowed)
			free(j->data);
		j->data = NULL;
		pthread_mutex_lock(&st->lock);
		st->pending -= j->len;
		j->next = st->done;
		st->done = j;
		pthread_cond_broadcast(&st->cond);
	}
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

static void stream_push(struct site_stream *st, struct site_job *j)
{
	pthread_mutex_lock(&st->lock);
	while (st->pending && st->pending + j->len > STREAM_MAX_BYTES)
		pthread_cond_wait(&st->cond, &st->lock);
	j->next = NULL;
	if (st->tail)
		st->tail->next = j;
	else
		st->head = j;
	st->tail = j;
	st->pending += j->len;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

static struct site_stream *stream_start(struct output *o)
{
	struct site_stream *st = xcalloc(1, sizeof(*st));

	st->o = o;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cond, NULL);
	diag_init(&st->d);
	if (pthread_create(&st->thread, NULL, stream_run, st) != 0) {
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->cond);
		diag_release(&st->d);
		free(st);
		return NULL;
	}
	return st;
}

/* Waits for every file to be written; notes how each went in `l`. */
void site_files_finish(struct site_files *l, struct diag *d)
{
	struct site_stream *st = l->stream;
	struct site_job *j;

	if (!st)
		return;
	pthread_mutex_lock(&st->lock);
	st->closing = 1;
	pthread_cond_broadcast(&st->cond);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->thread, NULL);
	while ((j = st->done)) {
		st->done = j->next;
		l->v[j->idx].streamed = j->status;
		free(j->path);
		free(j);
	}
	diag_append(d, &st->d);
	diag_release(&st->d);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->cond);
	free(st);
	l->stream = NULL;
}

/* Adds the file; `content` is the hash of its bytes when `hashed`. */
static void files_add(struct site_files *l, const char *path, char *data,
		      size_t len, int borrowed, int hashed, uint64_t content)
{
	struct site_file *f;

	l->v = xgrow(l->v, sizeof(*l->v), l->n + 1, &l->cap);
	f = &l->v[l->n++];
	f->path = xstrdup(path);
	f->data = data;
	f->len = len;
	f->borrowed = borrowed;
	f->kept = 0;
	f->streamed = 0;
	f->content = hashed ? content : 0;
	f->hashed = hashed;
	f->pieces = NULL;
	f->n_pieces = 0;
	f->segs = NULL;
	if (l->stream && data) {
		struct site_job *j = xcalloc(1, sizeof(*j));
		if (!hashed)
			f->content = hash_mix(HASH_SEED, data, len);
		f->streamed = 1; /* until the writer says otherwise */
		f->data = NULL;
		j->path = xstrdup(path);
		j->data = data;
		j->len = len;
		j->idx = l->n - 1;
		j->borrowed = borrowed;
		stream_push(l->stream, j);
	}
}

void site_files_add(struct site_files *l, const char *path, char *data,
		    size_t len, int borrowed)
{
	files_add(l, path, data, len, borrowed, 0, 0);
}

void site_files_add_hashed(struct site_files *l, const char *path, char *data,
			   size_t len, uint64_t content)
{
	files_add(l, path, data, len, 0, 1, content);
}

/* The hash of the bytes of a file of the list. */
uint64_t site_file_content(const struct site_file *f)
{
	return f->kept || f->streamed || f->hashed
		       ? f->content
		       : hash_mix(HASH_SEED, f->data, f->len);
}

void site_files_release(struct site_files *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		if (!l->v[i].borrowed)
			free(l->v[i].data);
		free(l->v[i].pieces);
	}
	free(l->v);
}

void site_files_init(struct site_files *l, struct output *o, int stream)
{
	memset(l, 0, sizeof(*l));
	if (stream)
		l->stream = stream_start(o);
}

/* Writing many small files is mostly the kernel's work, which runs on
 * every core: the files are shared out between threads (see pool.h). */
#define MAX_WRITERS 4

struct file_writer {
	const struct site_files *out;
	struct output *o;
	int *status; /* per file: 2 patched, 1 written, 0 unchanged,
				* -1 error */
	struct diag diags[MAX_WRITERS]; /* per thread */
};

static void file_writer_job(void *arg, size_t i, size_t worker)
{
	struct file_writer *w = arg;
	const struct site_file *f = &w->out->v[i];
	struct diag *d = &w->diags[worker];
	int changed;

	if (f->kept)
		w->status[i] = output_site_keep(w->o, f->path, d) == 0 ? 0 : -1;
	else if (f->streamed)
		w->status[i] = f->streamed;
	else if (f->pieces)
		w->status[i] = output_site_patch(w->o, f->path, f->pieces,
						 f->n_pieces, d) == 0
				       ? 2
				       : -1;
	else if (output_site_write(w->o, f->path, f->data, f->len, &changed,
				   d) == 0)
		w->status[i] = changed;
	else
		w->status[i] = -1;
}

/* Puts every file of `out` in the staged site. Returns the status of
 * each (the caller's: 2 patched, 1 written, 0 unchanged, -1 failed);
 * problems go to `d`. */
int *site_files_write(const struct site_files *out, struct output *o,
		      struct diag *d)
{
	struct file_writer w;
	size_t i;

	w.out = out;
	w.o = o;
	w.status = xcalloc(out->n + 1, sizeof(*w.status));
	for (i = 0; i < MAX_WRITERS; i++)
		diag_init(&w.diags[i]);
	pool_run(out->n, MAX_WRITERS, file_writer_job, &w);
	for (i = 0; i < MAX_WRITERS; i++) {
		diag_append(d, &w.diags[i]);
		diag_release(&w.diags[i]);
	}
	return w.status;
}
