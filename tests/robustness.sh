#!/bin/sh
# Runs the test suite under the sanitizers or the book build under
# valgrind; `make asan` and `make valgrind` call it after building.
#
#   sh tests/robustness.sh asan DIR       DIR holds a build made with
#                                         -fsanitize=address,undefined
#   sh tests/robustness.sh valgrind DIR   DIR/stepbook, a normal build
#   sh tests/robustness.sh tsan DIR       DIR/stepbook built with
#                                         -fsanitize=thread
#
# asan: every unit test of DIR/tests/, tests/cli/test_cli.sh,
# tests/cli/test_author.sh, tests/cli/test_structure.sh (parts, and drafts
# taken out of the model and the cache's table), tests/cli/test_folders.sh,
# tests/cli/test_mdbook.sh (book.toml, SUMMARY.md, directives, redirects),
# tests/cli/test_incremental.sh (the cache, its pack, patched files and
# reused EPUB entries), tests/cli/test_output.sh (two of its rebuilds
# killed and failing at every step, recovery), tests/golden/run.sh,
# tests/cli/test_integrity.sh and tests/cli/test_slow_client.sh with
# STEPBOOK=DIR/stepbook,
# and full, incremental and
# check runs over the book in content/. A suite passes when it passes and
# the sanitizers wrote no report (they log to files, so a report cannot
# hide behind an expected exit status).
# tsan: tests/cli/test_incremental.sh and tests/cli/test_translations.sh
# (rebuilds whose EPUBs are made beside the site, the cover drawn ahead
# while the book loads) and the book runs, with ThreadSanitizer's report
# of any data race; tests/tsan.supp leaves out the libraries not built
# with it.
# valgrind: memcheck with --leak-check=full over the same book runs; any
# memory error or definitely lost block fails (blocks only "possibly"
# lost, which GLib's and librsvg's pointers into their allocations look
# like, are not shown).
# Ends with "N passed, N failed".
set -u
mode=${1:-}
dir=${2:-}
case $mode in asan|tsan|valgrind) ;; *)
	echo "usage: sh tests/robustness.sh asan|tsan|valgrind BUILD_DIR" >&2
	exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
case $dir in /*) ;; *) dir=$top/$dir ;; esac
SB=$dir/stepbook
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

# suite NAME CMD...: runs CMD, counts its "N passed, N failed" line (or
# its exit status), then fails it when a sanitizer report appeared.
suite() {
	name=$1
	shift
	rm -rf "$T/reports"
	mkdir -p "$T/reports"
	"$@" >"$T/out" 2>&1
	rc=$?
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$T/out" | tail -n 1)
	p=0
	f=0
	if [ -n "$line" ]; then
		p=$(printf '%s\n' "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/')
		f=$(printf '%s\n' "$line" | sed -E 's/^([A-Za-z-]+: )?[0-9]+ passed, ([0-9]+) failed.*/\2/')
	elif [ $rc = 0 ]; then
		p=1
	fi
	[ $rc != 0 ] && [ "$f" = 0 ] && f=1
	if [ -n "$(ls "$T/reports")" ]; then
		echo "FAIL $name: sanitizer or valgrind report:"
		cat "$T/reports"/* | head -n 80
		f=$((f + 1))
	fi
	if [ "$f" != 0 ]; then
		grep -E '^(FAIL|not ok)|error' "$T/out" | head -n 30
		echo "FAIL $name ($p passed, $f failed)"
	else
		echo "ok   $name ($p passed)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

# book RUNNER...: full, unchanged and check runs over the real book
book() {
	out=$T/book-out
	rm -rf "$out"
	"$@" build -q --out "$out" && "$@" build -q --out "$out" &&
		"$@" check -q
}

if [ ! -x "$SB" ]; then
	echo "no $SB: build it first"
	echo "0 passed, 1 failed"
	exit 1
fi

if [ "$mode" = asan ]; then
	sym=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -n 1)
	[ -n "$sym" ] && export ASAN_SYMBOLIZER_PATH="$sym"
	export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$T/reports/asan"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$T/reports/ubsan"
	export LSAN_OPTIONS="log_path=$T/reports/lsan:suppressions=$top/tests/lsan.supp:print_suppressions=0"
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		case $t in *.d|*.o) continue ;; esac
		suite "asan unit: $(basename "$t")" "$t"
	done
	export STEPBOOK="$SB"
	suite "asan: command line" sh tests/cli/test_cli.sh
	suite "asan: author (warnings, init, theme export)" sh tests/cli/test_author.sh
	suite "asan: book structure (parts, drafts)" sh tests/cli/test_structure.sh
	suite "asan: folders" sh tests/cli/test_folders.sh
	suite "asan: mdBook books" sh tests/cli/test_mdbook.sh
	suite "asan: incremental builds" sh tests/cli/test_incremental.sh
	suite "asan: output transaction (killed, failing)" env OUTPUT_SCENARIOS="text rename" sh tests/cli/test_output.sh
	suite "asan: golden" sh tests/golden/run.sh
	suite "asan: integrity" sh tests/cli/test_integrity.sh
	suite "asan: slow clients" sh tests/cli/test_slow_client.sh
	suite "asan: the book (full, unchanged, check)" book "$SB" -C "$top"
elif [ "$mode" = tsan ]; then
	export TSAN_OPTIONS="log_path=$T/reports/tsan:suppressions=$top/tests/tsan.supp:halt_on_error=0"
	export STEPBOOK="$SB"
	suite "tsan: incremental builds" sh tests/cli/test_incremental.sh
	suite "tsan: translations" sh tests/cli/test_translations.sh
	suite "tsan: the book (full, unchanged, check)" book "$SB" -C "$top"
else
	if ! command -v valgrind >/dev/null 2>&1; then
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
			echo "valgrind: installing valgrind" >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y \
				--no-install-recommends valgrind >&2 ||
				{ apt-get update >&2 && DEBIAN_FRONTEND=noninteractive \
					apt-get install -y --no-install-recommends valgrind >&2; }
		fi
		if ! command -v valgrind >/dev/null 2>&1; then
			echo "valgrind is needed: apt-get install valgrind"
			echo "0 passed, 1 failed"
			exit 1
		fi
	fi
	# memcheck writes its report to a file only when it found something
	vg() {
		log=$T/vg.log
		valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
			--suppressions="$top/tests/valgrind.supp" \
			--error-exitcode=99 --log-file="$log" "$@"
		rc=$?
		if [ -s "$log" ]; then
			cp "$log" "$T/reports/valgrind.$$.$(date +%s%N)"
		fi
		return $rc
	}
	suite "valgrind: the book (full, unchanged, check)" book vg "$SB" -C "$top"
	suite "valgrind: a book with errors" sh -c '
		mkdir -p "$1/bad/content" &&
		printf "title: Bad\nchapters: [a.md, missing.md]\n" >"$1/bad/content/book.yml" &&
		printf -- "---\ntitle: A\n---\n[x](missing.md) [y](a.md#nope)\n\n\`\`\`quiz\n? q\n- [ ] a\n\`\`\`\n" >"$1/bad/content/a.md" &&
		valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
			--suppressions="$3/tests/valgrind.supp" \
			--error-exitcode=99 --log-file="$1/reports/valgrind-bad" \
			"$2" -C "$1/bad" build -q --out "$1/bad/out"
		rc=$?
		[ -s "$1/reports/valgrind-bad" ] || rm -f "$1/reports/valgrind-bad"
		[ $rc = 1 ]' sh "$T" "$SB" "$top"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
