/* compat: the hints on memory behave as they say. Where the machine
 * offers transparent huge pages on request, a block advised with
 * compat_advise_huge() is backed by them once touched, and only its
 * whole huge pages are; elsewhere (and in the portable build) the tests
 * only check that the calls are harmless. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "harness.h"

#define HUGE_2M ((size_t)2 << 20)

/* Whether transparent huge pages are given to advised memory. */
static int thp_on_request(void)
{
	char line[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return 0;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return strstr(line, "[madvise]") || strstr(line, "[always]");
}

/* The kB of huge pages backing the mapping that holds `p`. */
static long huge_kb_at(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	int in = 0;
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, ' ') == line + strcspn(line, " ")) {
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return in ? kb : -1;
}

static void test_advise_huge(void)
{
	size_t len = 5 * HUGE_2M;
	unsigned char *p = malloc(len);

	CHECK(p != NULL);
	if (!p)
		return;
	/* nothing to do, or a range with no whole huge page: harmless */
	compat_advise_huge(p, 0);
	compat_advise_huge(p + 1, 4096);
	compat_advise_huge(p, len);
	memset(p, 1, len);
	/* the portable build gives no hint at all */
	if (COMPAT_LINUX && thp_on_request()) {
		long kb = huge_kb_at(p + len / 2);
		/* the four whole 2 MiB pages inside the block, at least
		 * some of them: the kernel may lack free huge pages */
		CHECK(kb > 0);
		CHECK(kb <= (long)(4 * HUGE_2M / 1024));
	}
	CHECK(p[0] == 1 && p[len - 1] == 1);
	free(p);
}

/* Whether malloc() is glibc's own, not a checker's (AddressSanitizer's,
 * or valgrind's, preloaded). */
static int glibc_malloc(void)
{
	const char *preload = getenv("LD_PRELOAD");

	if (preload && strstr(preload, "vgpreload"))
		return 0;
#if defined(__SANITIZE_ADDRESS__)
	return 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	return 0;
#endif
#endif
#ifdef __GLIBC__
	return 1;
#else
	return 0;
#endif
}

/* After compat_malloc_for_one_build(), a block of some MiB comes from
 * the heap, not a mapping of its own, and the heap's first stretch is
 * in huge pages once touched. Run last: it changes malloc's settings
 * for the rest of the process. */
static void test_malloc_for_one_build(void)
{
	size_t len = 8 * HUGE_2M;
	unsigned char *p;

	compat_malloc_for_one_build();
	p = malloc(len);
	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, 2, len);
	if (COMPAT_LINUX && glibc_malloc()) {
		long kb = huge_kb_at(p + len / 2);
		CHECK(kb >= 0);
		if (thp_on_request()) {
			if (kb <= 0)
				fprintf(stderr, "no huge pages in the heap\n");
			CHECK(kb > 0);
		}
	}
	CHECK(p[0] == 2 && p[len - 1] == 2);
	free(p);
}

int main(void)
{
	RUN(test_advise_huge);
	RUN(test_malloc_for_one_build);
	return harness_done();
}
