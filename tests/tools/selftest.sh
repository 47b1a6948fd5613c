#!/bin/sh
# Self-test of the validator and browser tooling: runs each tool on its good
# and its broken fixtures (tests/tools/fixtures/) and checks the exit codes
# and summary lines. EPUB fixtures are unpacked trees, zipped here by
# mkepub.sh (broken variants are overlays on epub-good/).
#
#   sh tests/tools/selftest.sh [-v]
#
# -v (or SELFTEST_VERBOSE=1) prints every tool's output, not only failures'.
# Last line: "selftest: N passed, N failed"; exit 1 if any check failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
tests=$(cd "$here/.." && pwd)
fx="$here/fixtures"
verbose=${SELFTEST_VERBOSE:-0}
[ "${1:-}" = -v ] && verbose=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/selftest.XXXXXX")
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

passed=0
failed=0

# check NAME WANT_RC PATTERN CMD...: runs CMD, wants exit status WANT_RC
# ("nonzero" for any failure) and, unless PATTERN is empty, a line of its
# output matching the grep -E PATTERN.
check() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" > "$tmp/log" 2>&1
	rc=$?
	why=""
	case $want in
	nonzero) [ $rc -ne 0 ] || why="wanted a non-zero exit, got 0" ;;
	*) [ $rc -eq "$want" ] || why="wanted exit $want, got $rc" ;;
	esac
	if [ -z "$why" ] && [ -n "$pat" ] && ! grep -Eq -- "$pat" "$tmp/log"; then
		why="no output line matches: $pat"
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "ok - $name (exit $rc)"
		[ "$verbose" = 1 ] && sed 's/^/    | /' "$tmp/log"
	else
		failed=$((failed + 1))
		echo "FAIL - $name: $why"
		tail -n 30 "$tmp/log" | sed 's/^/    | /'
	fi
}

cd "$tests/.." || exit 1

# ---- fixtures ----
mk() { sh "$here/mkepub.sh" "$fx/epub-good" "$tmp/$1.epub" ${2:+"$fx/$2"}; }
if ! { mk good && mk error epub-error && mk warning epub-warning &&
	mk a11y epub-a11y && mk notoc epub-notoc; }; then
	echo "selftest: cannot build the EPUB fixtures"
	exit 1
fi
printf 'this is not a zip file\n' > "$tmp/junk.epub"
check "mkepub: mimetype first and stored" 0 '^ +20 +Stored +20 .* mimetype$' \
	sh -c "unzip -v '$tmp/good.epub' | sed -n 4p"

# ---- Nu HTML Checker ----
H="$fx/html"
check "vnu: valid page passes" 0 '^vnu: 1 files, 0 errors, 0 warnings$' sh "$here/vnu.sh" "$H/good.html"
check "vnu: warnings are printed but pass" 0 '^vnu: 1 files, 0 errors, 1 warnings$' sh "$here/vnu.sh" "$H/warn.html"
check "vnu: --werror fails on warnings" 1 '^vnu: 1 files, 0 errors, 1 warnings$' sh "$here/vnu.sh" --werror "$H/warn.html"
check "vnu: broken page fails" 1 '^vnu: 1 files, 5 errors, 1 warnings$' sh "$here/vnu.sh" "$H/bad.html"
check "vnu: directory searched, one JVM" 1 '^vnu: 4 files, 5 errors, 2 warnings$' sh "$here/vnu.sh" "$H"
mkdir "$tmp/empty"
check "vnu: empty directory is an error" 2 '^vnu: 0 files' sh "$here/vnu.sh" "$tmp/empty"

# ---- EPUBCheck ----
check "epubcheck: valid EPUB 3 passes" 0 'good.epub: 0 errors, 0 warnings$' sh "$here/epubcheck.sh" "$tmp/good.epub"
check "epubcheck: missing chapter fails" 1 'error.epub: 1 errors, 0 warnings$' sh "$here/epubcheck.sh" "$tmp/error.epub"
check "epubcheck: a warning alone fails" 1 'warning.epub: 0 errors, 1 warnings$' sh "$here/epubcheck.sh" "$tmp/warning.epub"
check "epubcheck: not a zip fails" 1 'junk.epub: [1-9][0-9]* errors' sh "$here/epubcheck.sh" "$tmp/junk.epub"
check "epubcheck: a11y fixture is valid EPUB" 0 'a11y.epub: 0 errors, 0 warnings$' sh "$here/epubcheck.sh" "$tmp/a11y.epub"

# ---- Ace by DAISY ----
check "ace: accessible EPUB passes" 0 'good.epub: 0 violations' sh "$here/ace.sh" "$tmp/good.epub"
check "ace: contrast and link-name fail" 1 'a11y.epub: 2 violations \(2 serious\)' sh "$here/ace.sh" "$tmp/a11y.epub"
check "ace: --outdir keeps the report" 0 '' sh -c "sh '$here/ace.sh' --outdir '$tmp/ace' '$tmp/good.epub' && test -s '$tmp/ace/good/report.json' && test -s '$tmp/ace/good/report.html'"

# ---- epub.js ----
check "epubjs: book opens, chapter renders, shot taken" 0 '2 TOC entries, 3 spine items, rendered spine item 1' \
	node "$tests/browser/epubjs.mjs" "$tmp/good.epub" --chapter 1 --shot "$tmp/ch1.png"
check "epubjs: screenshot is a PNG" 0 '' sh -c "head -c 8 '$tmp/ch1.png' | od -An -c | grep -q 'P   N   G'"
check "epubjs: TOC in spine order, nav not linear" 0 '^order ok$' sh -c "
	node '$tests/browser/epubjs.mjs' '$tmp/good.epub' > '$tmp/book.json' &&
	node -e '
		const b = JSON.parse(require(\"fs\").readFileSync(process.argv[1], \"utf8\"));
		const labels = b.toc.map((t) => t.label).join(\"|\");
		const idx = b.toc.map((t) => t.spineIndex).join(\",\");
		const lin = b.spine.map((s) => s.linear).join(\",\");
		if (labels !== \"First steps|Second steps\" || idx !== \"1,2\" || lin !== \"false,true,true\")
			{ console.log(labels, idx, lin); process.exit(1); }
		console.log(\"order ok\");' '$tmp/book.json'"
check "epubjs: empty TOC fails" 1 'table of contents is empty' node "$tests/browser/epubjs.mjs" "$tmp/notoc.epub"
check "epubjs: not a zip fails" 1 'could not open the book' node "$tests/browser/epubjs.mjs" "$tmp/junk.epub"
check "epubjs: chapter out of range fails" 1 'the spine has 3 items' node "$tests/browser/epubjs.mjs" "$tmp/good.epub" --chapter 9

# ---- axe-core ----
A="$fx/axe"
check "axe: clean page passes, light and dark" 0 '^axe: 1 pages, 2 checks, 0 violations$' node "$tests/browser/axe.mjs" "$A/good.html"
check "axe: low contrast fails in both schemes" 1 '^axe: 1 pages, 2 checks, 2 violations$' node "$tests/browser/axe.mjs" "$A/contrast.html"
check "axe: dark-only contrast bug found by default" 1 'dark-only.html \[dark\]: serious color-contrast' node "$tests/browser/axe.mjs" "$A/dark-only.html"
check "axe: dark-only bug passes --light" 0 '^axe: 1 pages, 1 checks, 0 violations$' node "$tests/browser/axe.mjs" --light "$A/dark-only.html"
check "axe: --dark alone fails it" 1 '^axe: 1 pages, 1 checks, 1 violations$' node "$tests/browser/axe.mjs" --dark "$A/dark-only.html"

# ---- screenshots, file:// and http:// ----
check "shoot: file path, phone size, dark" 0 'shoot: .*dark\.png 390x844 dark' \
	node "$here/shoot.mjs" "$H/scheme.html" "$tmp/dark.png" --width 390 --height 844 --dark
check "shoot: missing page fails" 1 'ERR_FILE_NOT_FOUND' node "$here/shoot.mjs" "file://$tmp/nope.html" "$tmp/nope.png"
node "$here/serve.mjs" "$H" --port-file "$tmp/url" > "$tmp/serve.log" 2>&1 &
server_pid=$!
i=0
while [ ! -s "$tmp/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(cat "$tmp/url" 2>/dev/null)
check "serve: base URL on 127.0.0.1" 0 '^http://127\.0\.0\.1:[0-9]+/$' cat "$tmp/url"
check "shoot: http URL, full page" 0 'shoot: .*http\.png 1280x[0-9]+ \(http://127' \
	node "$here/shoot.mjs" "${url}good.html" "$tmp/http.png" --full
check "shoot: HTTP 404 fails" 1 'HTTP 404' node "$here/shoot.mjs" "${url}missing.html" "$tmp/404.png"
kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=""

# ---- the test runner in lib.mjs ----
check "runner: passing tests (launch, serve, newPage)" 0 '^4 passed, 0 failed$' node "$fx/runner/pass.mjs"
check "runner: failing and timed-out tests" 1 '^1 passed, 2 failed$' node "$fx/runner/fail.mjs"

echo "selftest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
