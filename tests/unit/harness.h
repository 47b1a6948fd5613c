/* A small unit-test harness shared by every tests/unit/test_*.c.
 *
 * A test file defines test functions and lists them in main() with
 * RUN(fn). CHECK(cond) records a failure with file:line and goes on;
 * CHECK_STR(a, b) compares strings and prints both on a mismatch. The run
 * ends with `N passed, N failed` on its own line, and main returns
 * harness_done(), which is non-zero when anything failed. */
#ifndef STEPBOOK_HARNESS_H
#define STEPBOOK_HARNESS_H

#include <stdio.h>
#include <string.h>

extern int harness_passed, harness_failed, harness_current_failed;
extern const char *harness_current;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			harness_current_failed = 1;                          \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n",     \
				__FILE__, __LINE__, harness_current, #cond); \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *ha_ = (a), *hb_ = (b);                           \
		if (!ha_ || !hb_ || strcmp(ha_, hb_) != 0) {                 \
			harness_current_failed = 1;                          \
			fprintf(stderr,                                      \
				"%s:%d: %s: %s != %s\n  got:      [%s]\n"    \
				"  expected: [%s]\n",                        \
				__FILE__, __LINE__, harness_current, #a, #b, \
				ha_ ? ha_ : "(null)", hb_ ? hb_ : "(null)"); \
		}                                                            \
	} while (0)

#define CHECK_INT(a, b)                                                       \
	do {                                                                  \
		long ha_ = (long)(a), hb_ = (long)(b);                        \
		if (ha_ != hb_) {                                             \
			harness_current_failed = 1;                           \
			fprintf(stderr,                                       \
				"%s:%d: %s: %s is %ld, expected %ld\n",       \
				__FILE__, __LINE__, harness_current, #a, ha_, \
				hb_);                                         \
		}                                                             \
	} while (0)

#define RUN(fn) harness_run(#fn, fn)

void harness_run(const char *name, void (*fn)(void));
/* Counts one passed or failed case directly (for table-driven suites). */
void harness_count(int ok);
int harness_done(void);

#endif
