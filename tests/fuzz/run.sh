#!/bin/sh
# The libFuzzer targets of tests/fuzz/: build them and run them.
#
#   sh tests/fuzz/run.sh SECONDS [TARGET...]   fuzz each target for SECONDS
#   sh tests/fuzz/run.sh --replay [TARGET...]  run each target once over
#                                              its corpus (quick, no fuzzing)
#   sh tests/fuzz/run.sh --build               only build the targets
#
# Targets: frontmatter config quiz tmpl pipeline highlight (all when none
# is named).
# The library is compiled with clang and -fsanitize=fuzzer-no-link,address,
# undefined into build-fuzz/ (FUZZ_B to change it), warnings as errors as
# in the developer build; a target links it with
# -fsanitize=fuzzer. The seed corpus of target T is tests/fuzz/corpus/T/;
# what a run discovers goes to build-fuzz/fuzz/work/T/, a crashing input
# to build-fuzz/fuzz/crashes/. Commit a crashing input (once fixed) into
# tests/fuzz/corpus/T/ as regress-NAME so --replay keeps it fixed; a
# replayed input that takes over 10 s fails too, so the regress-* inputs
# of the fixed quadratic cases guard them as well. Ends with the line
# "N passed, N failed" (one per target); the exit status is non-zero when
# any target crashed, leaked, timed out or failed to build.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
B=${FUZZ_B:-build-fuzz}
ALL="frontmatter config quiz tmpl pipeline highlight"
PKGS="libcmark-gfm libxml-2.0 libzip libdeflate yaml-0.1 json-c libmicrohttpd librsvg-2.0 cairo"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
FLAGS="-O1 -g -fno-omit-frame-pointer $SAN"
WARN="-std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes
-Wshadow -Wformat=2 -Wwrite-strings -Wvla -Werror"

mode=${1:---replay}
[ $# -gt 0 ] && shift
targets=${*:-$ALL}
case $mode in
--replay|--build) ;;
''|*[!0-9]*)
	echo "usage: sh tests/fuzz/run.sh SECONDS|--replay|--build [TARGET...]" >&2
	exit 2 ;;
esac

# clang and its libFuzzer runtime (Debian: clang, libclang-rt-14-dev)
have_fuzzer() {
	command -v clang >/dev/null 2>&1 || return 1
	t=$(mktemp -d) || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; (void)n; return 0; }' >"$t/t.c"
	clang -fsanitize=fuzzer "$t/t.c" -o "$t/t" >/dev/null 2>&1
	r=$?
	rm -rf "$t"
	return $r
}
if ! have_fuzzer; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "fuzz: installing clang and libclang-rt-14-dev" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y --no-install-recommends clang libclang-rt-14-dev >&2 ||
			{ apt-get update >&2 && apt-get install -y --no-install-recommends \
				clang libclang-rt-14-dev >&2; }
	fi
	if ! have_fuzzer; then
		echo "fuzz: clang with libFuzzer is needed:" \
			"apt-get install clang libclang-rt-14-dev" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
fi
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer ||
	ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -n 1)}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# the library, with the Makefile's own rules, in $B
echo "fuzz: building the library in $B" >&2
mkdir -p "$B/fuzz"
if ! make -s B="$B" CC=clang \
	CFLAGS="$FLAGS -fsanitize=fuzzer-no-link" LDFLAGS="$SAN" \
	"$B/libstepbook.a" >"$B/fuzz/build.log" 2>&1; then
	cat "$B/fuzz/build.log" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$B/fuzz/work" "$B/fuzz/crashes"
passed=0
failed=0
# shellcheck disable=SC2086
for t in $targets; do
	if ! clang $WARN $FLAGS -fsanitize=fuzzer -D_POSIX_C_SOURCE=200809L \
		-D_DEFAULT_SOURCE $(make -s print-includes) \
		$(pkg-config --cflags $PKGS) \
		"tests/fuzz/fuzz_$t.c" "$B/libstepbook.a" \
		$(pkg-config --libs $PKGS) -lpthread -o "$B/fuzz/fuzz_$t"; then
		echo "FAIL fuzz_$t: does not build"
		failed=$((failed + 1))
	fi
done
[ "$mode" = --build ] && { echo "$passed passed, $failed failed"; [ $failed = 0 ]; exit; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in $targets; do
	bin=$B/fuzz/fuzz_$t
	corpus=tests/fuzz/corpus/$t
	[ -x "$bin" ] || continue
	dict=
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	if [ "$mode" = --replay ]; then
		# each input of the corpus once, as a regression test
		n=$(find "$corpus" -type f | wc -l)
		start=$(date +%s)
		find "$corpus" -type f | LC_ALL=C sort |
			xargs "$bin" -timeout=10 -rss_limit_mb=4096 >"$log" 2>&1
		rc=$?
		secs=$(($(date +%s) - start))
		if [ $rc = 0 ]; then
			echo "ok   fuzz_$t: $n corpus inputs replayed in ${secs}s"
			passed=$((passed + 1))
		else
			grep -E '^Running:|ERROR|SUMMARY|runtime error' "$log" | tail -n 20
			echo "FAIL fuzz_$t: replay failed (exit $rc); see above"
			failed=$((failed + 1))
		fi
		continue
	fi
	mkdir -p "$B/fuzz/work/$t"
	# inputs up to a real chapter's size (the regress-* seeds are larger:
	# they are cut to this while fuzzing, replayed whole)
	case $t in
	pipeline) max=32768 ;;
	*) max=8192 ;;
	esac
	# shellcheck disable=SC2086
	"$bin" "$B/fuzz/work/$t" "$corpus" $dict -max_len=$max \
		-max_total_time="$mode" \
		-timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$B/fuzz/crashes/$t-" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	persec=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	if [ $rc = 0 ]; then
		echo "ok   fuzz_$t: ${execs:-?} executions in ${mode}s" \
			"(${persec:-?}/s, coverage ${cov:-?}), no crash"
		passed=$((passed + 1))
	else
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|#[0-9]+ +(NEW|REDUCE)' "$log" |
			grep -v -E 'NEW|REDUCE' | tail -n 20
		sed -n '/^==[0-9]*==ERROR/,/^SUMMARY/p' "$log" | head -n 60
		echo "FAIL fuzz_$t: crashed after ${execs:-?} executions (exit $rc);" \
			"input in $B/fuzz/crashes/"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
