#include <stdio.h>
#include "steps.h"

#define MAX_STEPS 16
#define SQUARE(x) ((x) * (x))

typedef struct step {
	const char *name;
	size_t size;
	unsigned done : 1;
} step_t;

enum mood { CALM, BUSY = 2 };
static int counter;

/* Keeps the steps under the limit. */
static size_t keep(const step_t *v, size_t n, size_t limit)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].size < limit && !v[i].done)
			kept++;
		else
			continue;
	}
	printf("%zu kept\n", kept);
	return kept ? kept : SQUARE(0);
}

int main(int argc, char **argv)
{
	step_t s = { .name = "walk", .size = 3 };
	void (*fn)(int) = NULL;
	char c = 'x';
#ifdef DEBUG
	fprintf(stderr, "debug %d\n", argc);
#endif
	switch (argc) { case 1: break; default: goto out; }
out:
	return (int)keep(&s, 1, MAX_STEPS) + sizeof(long) + true;
}
