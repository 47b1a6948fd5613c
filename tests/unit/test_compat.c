/* compat: searching memory finds what memmem() finds, and the hints on
 * memory behave as they say. Where the machine
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

/* The system's setting for transparent huge pages ("[madvise]" when
 * only advised memory gets them), or "". */
static const char *thp_mode(void)
{
	static char line[128];
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	line[0] = '\0';
	if (!f)
		return line;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	return line;
}

/* Whether transparent huge pages are given to advised memory. */
static int thp_on_request(void)
{
	return strstr(thp_mode(), "[madvise]") ||
	       strstr(thp_mode(), "[always]");
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

/* The start of the mapping (as the kernel splits them by advice) that
 * holds `p`, or 0. */
static uintptr_t mapping_start(const void *p)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	uintptr_t start = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    (uintptr_t)p >= lo && (uintptr_t)p < hi) {
			start = lo;
			break;
		}
	}
	fclose(f);
	return start;
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

/* After compat_malloc_for_one_build(), blocks of some MiB come from the
 * heap, not mappings of their own. The heap's first stretch is in huge
 * pages once touched, except its first COMPAT_HEAP_SMALL, where a small
 * book's whole heap is. Run last: it changes malloc's settings for the rest of
 * the process. */
static void test_malloc_for_one_build(void)
{
	size_t len = COMPAT_HEAP_SMALL + 4 * HUGE_2M, small_len = HUGE_2M / 2;
	size_t at = len - 2 * HUGE_2M; /* past COMPAT_HEAP_SMALL */
	unsigned char *small, *p;

	compat_malloc_for_one_build();
	small = malloc(small_len);
	p = malloc(len);
	CHECK(small != NULL && p != NULL);
	if (!small || !p) {
		free(small);
		free(p);
		return;
	}
	memset(small, 3, small_len);
	memset(p, 2, len);
	if (COMPAT_LINUX && glibc_malloc()) {
		long kb = huge_kb_at(p + at);
		CHECK(kb >= 0);
		if (thp_on_request()) {
			if (kb <= 0)
				fprintf(stderr, "no huge pages in the heap\n");
			CHECK(kb > 0);
			/* the advised stretch starts COMPAT_HEAP_SMALL past
			 * the first block, where the heap's stretch began */
			CHECK(mapping_start(p + at) >=
			      (uintptr_t)small + COMPAT_HEAP_SMALL);
		}
		/* where only advised memory gets them, no huge page backs
		 * that block */
		if (strstr(thp_mode(), "[madvise]")) {
			kb = huge_kb_at(small);
			if (kb != 0)
				fprintf(stderr,
					"%ld kB of huge pages at the "
					"heap's start\n",
					kb);
			CHECK(kb == 0);
		}
	}
	CHECK(small[0] == 3 && small[small_len - 1] == 3);
	CHECK(p[0] == 2 && p[len - 1] == 2);
	free(p);
	free(small);
}

/* compat_memfind() and compat_memmem() agree with a naive search on
 * needles whose first byte recurs, at the ends of the haystack, across
 * a NUL, longer than it, and empty. */
static void test_memfind(void)
{
	static const char hay[] = "ab\xEE\x80\xEE\x80\x88x\0\xEE\x80\x89"
				  "\xEE\x80\x88";
	static const char *const needles[] = {
		"\xEE\x80\x88", "\xEE\x80\x89", "ab", "\x88",
		"x\0\xEE",      "\xEE\x80\x8A", "zz",
	};
	static const size_t lens[] = { 3, 3, 2, 1, 3, 3, 2 };
	size_t hl = sizeof(hay) - 1, k, i, from;

	for (k = 0; k < sizeof(needles) / sizeof(*needles); k++)
		for (from = 0; from <= hl; from++) {
			const char *want = NULL;
			for (i = from; !want && i + lens[k] <= hl; i++)
				if (!memcmp(hay + i, needles[k], lens[k]))
					want = hay + i;
			CHECK(compat_memfind(hay + from, hl - from, needles[k],
					     lens[k]) == want);
			CHECK(compat_memmem(hay + from, hl - from, needles[k],
					    lens[k]) == want);
		}
	/* a false start one byte before the match */
	{
		static const char run[] = "\xEE\xEE\xEE\x80";
		CHECK(compat_memfind(run, 4, "\xEE\xEE\x80", 3) == run + 1);
	}
	CHECK(compat_memfind(hay, 2, "abc", 3) == NULL);
	CHECK(compat_memfind(hay, hl, "", 0) == hay);
}

int main(void)
{
	RUN(test_memfind);
	RUN(test_advise_huge);
	RUN(test_malloc_for_one_build);
	return harness_done();
}
