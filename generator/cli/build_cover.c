#include "build_cover.h"

#include <string.h>

#include "write_epub.h"

static void *build_cover_run(void *arg)
{
	struct build_cover *b = arg;
	struct diag d;

	/* its problems are the EPUB's to report, drawing it again */
	diag_init(&d);
	if (write_epub_cover(b->s, b->t, &b->key, &b->png, &d) != 1)
		b->key = 0;
	diag_release(&d);
	return NULL;
}

void build_cover_init(struct build_cover *b)
{
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->lock, NULL);
	buf_init(&b->png);
}

void build_cover_start(struct build_cover *b, const struct site *s,
		       const struct theme *t)
{
	b->s = s;
	b->t = t;
	b->running = pthread_create(&b->thread, NULL, build_cover_run, b) == 0;
}

void build_cover_join(struct build_cover *b)
{
	pthread_mutex_lock(&b->lock);
	if (b->running)
		pthread_join(b->thread, NULL);
	b->running = 0;
	pthread_mutex_unlock(&b->lock);
}

void build_cover_release(struct build_cover *b)
{
	build_cover_join(b);
	pthread_mutex_destroy(&b->lock);
	buf_release(&b->png);
}

void build_early_init(struct build_early *e, const char *theme, struct theme *t,
		      struct build_cover *cover, int want_cover)
{
	memset(e, 0, sizeof(*e));
	e->theme = theme;
	e->t = t;
	e->cover = cover;
	e->want_cover = want_cover;
	diag_init(&e->d);
}

static int build_early_theme(struct build_early *e, const struct site *s,
			     struct diag *d)
{
	return theme_load(e->t, e->theme ? e->theme : s->cfg.theme, ".", d) ==
	       0;
}

void build_configured(void *ctx, const struct site *s)
{
	struct build_early *e = ctx;

	e->loaded = 1;
	e->theme_ok = build_early_theme(e, s, &e->d);
	if (e->theme_ok && !e->d.errors && e->want_cover) {
		e->cover->early = 1;
		build_cover_start(e->cover, s, e->t);
	}
}

int build_early_finish(struct build_early *e, const struct site *s,
		       struct diag *d)
{
	if (!e->loaded)
		e->theme_ok = build_early_theme(e, s, d);
	diag_append(d, &e->d);
	diag_release(&e->d);
	return e->theme_ok;
}
