#!/bin/sh
# EPUB checks: the container layout EPUB readers need, then epubcheck.
#
#   sh tests/epub/check.sh [FILE.epub...]
#
# With no file, builds the unit test's books (build/tests/test_write_epub
# with STEPBOOK_EPUB_KEEP: a book with every feature, one with a PNG cover,
# one with an SVG cover, one with raw HTML) and checks those. For each EPUB:
#   - mimetype is the first entry, stored, and holds application/epub+zip
#   - no entry has zip extra fields; every other entry is deflated
#   - every entry has the same timestamp (SOURCE_DATE_EPOCH or the newest
#     input), and there are no directory entries
#   - META-INF/container.xml and the package document are present
#   - epubcheck (tests/tools/epubcheck.sh): 0 errors, 0 warnings
# Ends with "N passed, N failed"; exit 0 when all passed, 1 otherwise,
# 2 on a usage/setup problem.
set -u

case ${1:-} in -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
command -v zipinfo >/dev/null 2>&1 || { echo "check.sh: zipinfo not found; apt-get install unzip" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/epubcheck-books.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

if [ $# -eq 0 ]; then
	unit="$top/build/tests/test_write_epub"
	[ -x "$unit" ] || { echo "check.sh: $unit missing; run: make build/tests/test_write_epub" >&2; exit 2; }
	if ! STEPBOOK_EPUB_KEEP="$tmp" "$unit" >"$tmp/unit.log" 2>&1; then
		cat "$tmp/unit.log"
		echo "check.sh: the unit test failed; its books are not checked"
		echo "0 passed, 1 failed"
		exit 1
	fi
	set -- "$tmp"/*.epub
fi

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok: %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }

for epub in "$@"; do
	name=$(basename "$epub")
	if [ ! -f "$epub" ]; then
		bad "$name: no such file"
		continue
	fi
	zipinfo -v "$epub" >"$tmp/info" 2>&1 || { bad "$name: zipinfo cannot read it" "$(tail -n 5 "$tmp/info")"; continue; }
	zipinfo -1 "$epub" >"$tmp/names" 2>/dev/null

	first=$(head -n 1 "$tmp/names")
	[ "$first" = mimetype ] && ok "$name: mimetype first" || bad "$name: mimetype first" "first entry: $first"

	# one "method" line per entry, in order
	grep -E '^  compression method:' "$tmp/info" | sed 's/^  compression method: *//' >"$tmp/methods"
	m1=$(head -n 1 "$tmp/methods")
	others=$(sed 1d "$tmp/methods" | grep -vc '^deflated$')
	if [ "$m1" = "none (stored)" ] && [ "$others" = 0 ]; then
		ok "$name: mimetype stored, $(sed 1d "$tmp/methods" | wc -l) entries deflated"
	else
		bad "$name: mimetype stored, the rest deflated" "$(paste -d' ' "$tmp/names" "$tmp/methods")"
	fi

	content=$(unzip -p "$epub" mimetype 2>/dev/null)
	[ "$content" = "application/epub+zip" ] && ok "$name: mimetype content" || bad "$name: mimetype content" "[$content]"

	extra=$(grep -E '^  length of extra field:' "$tmp/info" | grep -vc ' 0 bytes')
	[ "$extra" = 0 ] && ok "$name: no extra fields" || bad "$name: no extra fields" "$(grep -E 'extra field' "$tmp/info" | sort | uniq -c)"

	times=$(grep -E '^  file last modified on \(DOS date/time\):' "$tmp/info" | sort -u | wc -l)
	[ "$times" = 1 ] && ok "$name: one timestamp for all entries" || bad "$name: one timestamp" "$(grep -E 'file last modified on \(DOS' "$tmp/info" | sort | uniq -c)"

	dirs=$(grep -c '/$' "$tmp/names")
	[ "$dirs" = 0 ] && ok "$name: no directory entries" || bad "$name: no directory entries" "$(grep '/$' "$tmp/names")"

	if grep -qx 'META-INF/container.xml' "$tmp/names" && grep -qx 'EPUB/package.opf' "$tmp/names"; then
		ok "$name: container.xml and package.opf"
	else
		bad "$name: container.xml and package.opf"
	fi

	out=$(sh "$top/tests/tools/epubcheck.sh" "$epub" 2>&1); rc=$?
	if [ $rc = 0 ]; then
		ok "$(printf '%s' "$out" | tail -n 1)"
	elif [ $rc = 2 ]; then
		bad "$name: epubcheck could not run" "$out"
	else
		bad "$name: epubcheck" "$out"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
