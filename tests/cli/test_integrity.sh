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
