#!/bin/sh
# Integrity: nothing from outside the book is published (symlinks leading
# out of content/ or a theme, /proc, FIFOs, loops), a book file never takes
# the name of a file stepbook writes, every name is checked before anything
# is written (and by `check`), `clean` and `--out` cannot touch the
# sources, and everything in a chapter (quizzes too) is checked.
#
# STEPBOOK=path/to/stepbook runs it against another binary (its unit test
# binaries are looked for in tests/ beside it).
set -u
. "$(dirname "$0")/lib.sh"
TOP=$(pwd)
SB=${STEPBOOK:-$TOP/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200
B=$T/book

# book DIR: a small valid book (two chapters, an image) in DIR
book() {
	rm -rf "$1"
	mkdir -p "$1/content/images"
	printf 'title: P\nchapters:\n  - a.md\n  - b.md\n' >"$1/content/book.yml"
	printf -- '---\ntitle: A\n---\n\n## Start\n\n![x](images/x.png)\n' >"$1/content/a.md"
	printf -- '---\ntitle: B\n---\n\n## Real\n\nSee [A](a.md#start).\n' >"$1/content/b.md"
	printf 'PNG' >"$1/content/images/x.png"
}

# run NAME CMD...: runs CMD (at most 20 s), sets $rc and $out
run() {
	out=$(timeout 20 "$@" 2>&1)
	rc=$?
}

# snap DIR: every file under DIR/output with its checksum
snap() {
	(cd "$1" && find output -type f -exec md5sum {} + 2>/dev/null | sort)
}

# expect NAME STATUS LINE: the last run exited STATUS and printed LINE
expect() {
	if [ "$rc" != "$2" ]; then
		fail "$1" "exit status $rc, expected $2: $out"
	elif [ -n "$3" ] && ! printf '%s\n' "$out" | grep -qF -- "$3"; then
		fail "$1" "no line '$3' in: $out"
	else
		pass "$1"
	fi
}

# --- everything in a chapter is checked ----------------------------------------
# base_url: an absolute http(s) URL, nothing that ends a line of robots.txt
book "$B"
printf 'base_url: "https://example.org/\\nDisallow: /"\n' >>"$B/content/book.yml"
run "$SB" -C "$B" build
expect "a newline in base_url is an error at book.yml:line:col" 1 \
	"content/book.yml:5:11: error: invalid base_url: a control character at byte 21; a URL holds none"
grep -rqs Disallow "$B/output" && fail "... and reaches no robots.txt" "$(cat "$B/output/site/robots.txt")" ||
	pass "... and reaches no robots.txt"
for bad in 'ftp://example.org/' 'example.org/book/' '/book/' 'javascript:alert(1)'; do
	book "$B"
	printf 'base_url: %s\n' "$bad" >>"$B/content/book.yml"
	run "$SB" -C "$B" check
	expect "base_url '$bad' is refused" 1 \
		"content/book.yml:5:11: error: invalid base_url '$bad': it must be an absolute http:// or https:// URL"
done
book "$B"
printf 'base_url: "https://example.org/a b/"\n' >>"$B/content/book.yml"
run "$SB" -C "$B" check
expect "a space in base_url is refused" 1 "content/book.yml:5:11: error: invalid base_url: a blank at byte 22"
book "$B"
printf 'base_url: https:///book/\n' >>"$B/content/book.yml"
run "$SB" -C "$B" check
expect "base_url without a host is refused" 1 "invalid base_url 'https:///book/': no host after '//'"
book "$B"
printf 'base_url: HTTPS://example.org/book/\n' >>"$B/content/book.yml"
run "$SB" -C "$B" build -q
expect "a good base_url builds" 0 ""
grep -q '^Sitemap: HTTPS://example.org/book/sitemap.xml' "$B/output/site/robots.txt" &&
	pass "... and is named in robots.txt" || fail "good base_url" "$(cat "$B/output/site/robots.txt")"

# --- the Mustache spec ships with the tests -------------------------------------
TMPL=$(dirname "$SB")/tests/test_tmpl
if [ -x "$TMPL" ]; then
	mkdir -p "$T/clone/tests"
	cp -r "$TOP/tests/spec" "$T/clone/tests/"
	run sh -c "cd '$T/clone' && '$TMPL'"
	expect "test_tmpl reads the Mustache spec from tests/, with nothing beside the repository" 0 \
		"spec total 163/163 passed"
	[ -f "$TOP/tests/spec/mustache/LICENSE" ] && pass "... with its licence" || fail "spec licence" "missing"
else
	fail "test_tmpl" "no $TMPL (make unit)"
fi
finish
