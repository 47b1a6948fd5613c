#include "harness.h"

int harness_passed, harness_failed, harness_current_failed;
const char *harness_current = "";

void harness_run(const char *name, void (*fn)(void))
{
	harness_current = name;
	harness_current_failed = 0;
	fn();
	harness_count(!harness_current_failed);
}

void harness_count(int ok)
{
	if (ok)
		harness_passed++;
	else
		harness_failed++;
}

int harness_done(void)
{
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}
