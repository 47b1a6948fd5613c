#include "pool.h"

#include <pthread.h>
#include <unistd.h>

struct pool {
	size_t n, next;
	void (*job)(void *ctx, size_t i, size_t worker);
	void *ctx;
	pthread_mutex_t lock;
};

struct pool_worker {
	struct pool *p;
	size_t index;
};

static void *pool_worker_run(void *arg)
{
	struct pool_worker *w = arg;
	struct pool *p = w->p;

	for (;;) {
		size_t i;
		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		p->job(p->ctx, i, w->index);
	}
}

size_t pool_workers(size_t n, size_t max)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = cores > 1 ? (size_t)cores : 1;

	if (max && k > max)
		k = max;
	if (k > POOL_MAX_THREADS)
		k = POOL_MAX_THREADS;
	if (k > n)
		k = n;
	return k ? k : 1;
}

void pool_run(size_t n, size_t max,
	      void (*job)(void *ctx, size_t i, size_t worker), void *ctx)
{
	struct pool p;
	struct pool_worker workers[POOL_MAX_THREADS];
	pthread_t threads[POOL_MAX_THREADS];
	size_t k = pool_workers(n, max), i, started = 0;

	p.n = n;
	p.next = 0;
	p.job = job;
	p.ctx = ctx;
	pthread_mutex_init(&p.lock, NULL);
	for (i = 0; i < k; i++) {
		workers[i].p = &p;
		workers[i].index = i;
	}
	for (i = 1; i < k; i++)
		if (pthread_create(&threads[started], NULL, pool_worker_run,
				   &workers[i]) == 0)
			started++;
	pool_worker_run(&workers[0]);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&p.lock);
}
