#!/bin/sh
# Browser tests of the website stepbook writes, in headless Chromium
# (Debian's, through playwright-core; see lib.mjs).
#
#   sh tests/browser/run.sh [NAME...]
#
# Builds three sites into a temporary folder with ${STEPBOOK:-build/stepbook}:
#   - the golden test book, tests/golden/features/content  -> $GOLDEN_SITE
#   - the real book, content/                              -> $BOOK_SITE
#   - the real book with the second theme (--theme paper)   -> $PAPER_SITE
# then runs every tests/browser/*.test.mjs with node, BROWSER_JOBS (default
# 2) at a time, or only those whose name contains one of the NAMEs (e.g.
# `run.sh quiz theme`). Each file prints "ok - ..." / "FAIL - ..." lines and
# its own "N passed, N failed"; this script ends with one line adding them
# all up and exits non-zero when anything failed. Screenshots for people to
# look at go to ${SHOTS:-/tmp/stepbook-shots} (never into the repository).
# The books are built with --no-epub: the EPUB is tested elsewhere.
#
# Run from anywhere; paths are taken from the top of the repository.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 2

stepbook=${STEPBOOK:-build/stepbook}
case $stepbook in
/*) ;;
*/*) stepbook=$top/$stepbook ;;
*) stepbook=$(command -v "$stepbook" || echo "$stepbook") ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/stepbook-browser.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0

bail() {
	echo "browser: $*"
	echo "$passed passed, $((failed + 1)) failed"
	exit 1
}

[ -x "$stepbook" ] || bail "no stepbook binary at $stepbook (run make tool, or set STEPBOOK)"
[ -d tests/node_modules/playwright-core ] || bail "playwright-core is not installed (run npm ci in tests/)"

# build NAME CONTENT_DIR [OPTION...]: copies the book (so the build writes
# nothing into the repository) and builds its site into $work/NAME/out/site.
build() {
	name=$1
	src=$2
	shift 2
	mkdir -p "$work/$name" || return 1
	cp -R "$src" "$work/$name/content" || return 1
	if ! "$stepbook" -C "$work/$name" build --no-epub -q --out "$work/$name/out" "$@" \
		>"$work/$name/build.log" 2>&1; then
		cat "$work/$name/build.log"
		return 1
	fi
	[ -f "$work/$name/out/site/index.html" ] || {
		echo "no index.html in $work/$name/out/site"
		return 1
	}
}

build golden tests/golden/features/content || bail "building the golden book failed"
build book content || bail "building content/ failed"
build paper content --theme paper || bail "building content/ with --theme paper failed"

GOLDEN_SITE=$work/golden/out/site
BOOK_SITE=$work/book/out/site
PAPER_SITE=$work/paper/out/site
SHOTS=${SHOTS:-/tmp/stepbook-shots}
STEPBOOK=$stepbook
export GOLDEN_SITE BOOK_SITE PAPER_SITE SHOTS STEPBOOK

# selected NAME [PATTERN...]: no patterns select every test file.
selected() {
	want=$1
	shift
	[ $# -eq 0 ] && return 0
	for pat in "$@"; do
		case $want in *"$pat"*) return 0 ;; esac
	done
	return 1
}

# The test files to run, in name order.
files=""
for t in "$here"/*.test.mjs; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .test.mjs)
	selected "$name" "$@" || continue
	files="$files $name"
done
[ -n "$files" ] || bail "no test file matches: $*"

# Runs the files $jobs at a time (BROWSER_JOBS, default 2: each file drives
# its own Chromium, and most of a test's time is spent waiting on it). A
# worker takes the next file nobody has claimed; mkdir makes the claim
# atomic. Each file's output goes to $work/NAME.out, its status to
# $work/NAME.rc; both are shown in name order once all are done.
worker() {
	for name in $files; do
		mkdir "$work/$name.claim" 2>/dev/null || continue
		t0=$(date +%s)
		node "$here/$name.test.mjs" >"$work/$name.out" 2>&1
		echo $? >"$work/$name.rc"
		echo $(($(date +%s) - t0)) >"$work/$name.time"
	done
}

jobs=${BROWSER_JOBS:-2}
start=$(date +%s)
pids=""
i=0
while [ "$i" -lt "$jobs" ]; do
	worker &
	pids="$pids $!"
	i=$((i + 1))
done
trap 'kill $pids 2>/dev/null; exit 130' INT TERM
for pid in $pids; do
	wait "$pid"
done
trap 'exit 130' INT TERM

for name in $files; do
	echo "== $name ($(cat "$work/$name.time" 2>/dev/null || echo '?') s)"
	cat "$work/$name.out" 2>/dev/null
	rc=$(cat "$work/$name.rc" 2>/dev/null || echo 1)
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/$name.out" 2>/dev/null | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
	else
		p=0
		f=0
	fi
	# A crash before or after the summary still counts as a failure.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "browser: $name exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "browser: $(($(date +%s) - start)) s with $jobs jobs, screenshots in $SHOTS"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
