# Robustness checks, included from the Makefile.
#
#   make asan          unit, command-line and golden tests and a build of
#                      the book, all built with AddressSanitizer and
#                      UndefinedBehaviorSanitizer in $(ASAN_B)/
#   make tsan          the incremental, translation and book builds with
#                      ThreadSanitizer, built in $(TSAN_B)/: no data race
#                      among the threads of a build
#   make valgrind      memcheck over full and incremental builds of the
#                      book with $(B)/stepbook: no error, no definite leak
#   make fuzz          the libFuzzer targets of tests/fuzz/ (clang), each
#                      for FUZZ_SECONDS (default 60)
#   make fuzz-replay   each fuzz target once over its corpus (regressions)
#   make pathological  huge and deeply nested inputs under a timeout, each
#                      timed at two sizes to catch quadratic behaviour
#
# Each prints "N passed, N failed" last and fails when anything failed.

ASAN_B ?= build-asan
TSAN_B ?= build-tsan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(ASAN_B)/tests/%)
FUZZ_SECONDS ?= 60

.PHONY: asan tsan valgrind fuzz fuzz-replay pathological

asan:
	@$(MAKE) --no-print-directory B=$(ASAN_B) \
		CFLAGS='-O1 -g -fno-omit-frame-pointer $(SAN_FLAGS)' \
		LDFLAGS='$(SAN_FLAGS)' $(ASAN_B)/stepbook $(ASAN_UNIT_BINS)
	@sh tests/robustness.sh asan $(ASAN_B)

tsan:
	@$(MAKE) --no-print-directory B=$(TSAN_B) \
		CFLAGS='-O1 -g -fsanitize=thread' \
		LDFLAGS='-fsanitize=thread' $(TSAN_B)/stepbook
	@sh tests/robustness.sh tsan $(TSAN_B)

valgrind: $(B)/stepbook
	@sh tests/robustness.sh valgrind $(B)

fuzz:
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-replay:
	@sh tests/fuzz/run.sh --replay

pathological: $(B)/stepbook
	@STEPBOOK=$(abspath $(B)/stepbook) sh tests/pathological/run.sh
