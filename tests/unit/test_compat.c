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

int main(void)
{
	RUN(test_advise_huge);
	return harness_done();
}
