/* pool: one job run over the numbers 0 to n-1 on every core.
 *
 * Each worker thread takes the next number until none is left; the
 * calling thread is one of them. The jobs must not care in which order,
 * or on which thread, they run: whatever they make goes to a place of
 * their own (a slot per number, or per worker), gathered in order
 * afterwards, so that the result does not depend on the threads. */
#ifndef STEPBOOK_POOL_H
#define STEPBOOK_POOL_H

#include <stddef.h>

/* Most threads a pool runs at once. */
#define POOL_MAX_THREADS 16

/* How many workers pool_run() uses for `n` jobs: one per core, at most
 * `max` (0: no limit of the caller's) and POOL_MAX_THREADS, at most `n`,
 * at least 1. */
size_t pool_workers(size_t n, size_t max);

/* Runs job(ctx, i, worker) once for every i below n; `worker` is the
 * index of the thread running it, below pool_workers(n, max). Returns
 * when every job is done. When a thread cannot be started, the others
 * (at least the caller) do its share. */
void pool_run(size_t n, size_t max,
	      void (*job)(void *ctx, size_t i, size_t worker), void *ctx);

#endif
