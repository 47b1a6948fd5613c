/* Unit tests for pool: every job runs once, on a worker whose index is in
 * range, for no jobs, one job and many; the caller's limit is kept. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pool.h"

struct count {
	int *runs;      /* per job */
	size_t *worker; /* per job: who ran it */
	int used[POOL_MAX_THREADS];
	pthread_mutex_t lock;
};

static void count_job(void *ctx, size_t i, size_t worker)
{
	struct count *c = ctx;

	pthread_mutex_lock(&c->lock);
	c->runs[i]++;
	c->worker[i] = worker;
	if (worker < POOL_MAX_THREADS)
		c->used[worker] = 1;
	pthread_mutex_unlock(&c->lock);
}

static void run(size_t n, size_t max)
{
	struct count c;
	size_t i, bad = 0, k = pool_workers(n, max);

	memset(&c, 0, sizeof(c));
	c.runs = calloc(n + 1, sizeof(*c.runs));
	c.worker = calloc(n + 1, sizeof(*c.worker));
	pthread_mutex_init(&c.lock, NULL);
	pool_run(n, max, count_job, &c);
	for (i = 0; i < n; i++)
		if (c.runs[i] != 1 || c.worker[i] >= k)
			bad++;
	CHECK_INT(bad, 0);
	CHECK(k >= 1 && k <= POOL_MAX_THREADS);
	if (n)
		CHECK(k <= n);
	if (max)
		CHECK(k <= max);
	if (n)
		CHECK(c.used[0] || k > 1); /* someone ran the jobs */
	pthread_mutex_destroy(&c.lock);
	free(c.runs);
	free(c.worker);
}

static void test_counts(void)
{
	run(0, 0);
	run(1, 0);
	run(3, 0);
	run(1000, 0);
	run(1000, 1);
	run(1000, 2);
	run(100000, 0);
}

static void test_workers(void)
{
	CHECK_INT(pool_workers(0, 0), 1);
	CHECK_INT(pool_workers(1, 0), 1);
	CHECK_INT(pool_workers(1000, 1), 1);
	CHECK(pool_workers(1000, 0) <= POOL_MAX_THREADS);
	CHECK(pool_workers(1000, 100) <= POOL_MAX_THREADS);
}

int main(void)
{
	RUN(test_counts);
	RUN(test_workers);
	return harness_done();
}
