#!/bin/sh
# Languages (issue 17): `language:` in book.yml and in a chapter's front
# matter is a BCP 47 tag; a language's name written instead is an error at
# its place with the tag it probably meant.
# STEPBOOK names the binary (default build/stepbook).
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# book DIR LANGUAGE [CHAPTER-LANGUAGE]: a book of one chapter in DIR.
book() {
	rm -rf "$1"
	mkdir -p "$1/content"
	printf 'title: Caf\303\251\nlanguage: %s\n' "$2" >"$1/content/book.yml"
	{
		printf -- '---\ntitle: Grains\n'
		[ $# -ge 3 ] && printf 'language: %s\n' "$3"
		printf -- '---\n\n## Choisir\n\nDes grains frais.\n'
	} >"$1/content/01-grains.md"
}

# run DIR ARGS...: runs stepbook in DIR; $out (stderr and stdout), $rc.
run() {
	d=$1
	shift
	out=$("$SB" -C "$d" "$@" 2>&1)
	rc=$?
}

# refuses NAME EXPECTED-LINE: `check` of $T/b exits 1 with EXPECTED-LINE
# and a caret line, and `build` writes nothing.
refuses() {
	run "$T/b" check
	if [ "$rc" != 1 ]; then
		fail "$1" "exit status $rc: $out"
	elif ! printf '%s\n' "$out" | grep -qxF -- "$2"; then
		fail "$1" "no '$2' in: $out"
	elif ! printf '%s\n' "$out" | grep -A2 -xF -- "$2" | grep -q '^ *\^$'; then
		fail "$1" "no caret under: $out"
	else
		run "$T/b" build
		[ "$rc" = 1 ] && [ ! -e "$T/b/output/site" ] && pass "$1" ||
			fail "$1" "build: rc=$rc, output written: $out"
	fi
}

book "$T/b" English
refuses "book.yml: a language's name" \
	"content/book.yml:2:11: error: invalid language 'English': not a BCP 47 tag; did you mean 'en'?"
book "$T/b" french
refuses "book.yml: a name in lowercase" \
	"content/book.yml:2:11: error: invalid language 'french': not a BCP 47 tag; did you mean 'fr'?"
book "$T/b" "$(printf 'fran\303\247ais')"
refuses "book.yml: a name in the language itself" \
	"content/book.yml:2:11: error: invalid language 'français': not a BCP 47 tag; did you mean 'fr'?"
book "$T/b" pt_BR
refuses "book.yml: '_' for '-'" \
	"content/book.yml:2:11: error: invalid language 'pt_BR': not a BCP 47 tag; did you mean 'pt-BR'?"
book "$T/b" 'en-'
refuses "book.yml: no name, the reason" \
	"content/book.yml:2:11: error: invalid language 'en-': not a BCP 47 tag (it has an empty subtag), such as 'en', 'pt-BR' or 'zh-Hans'"
book "$T/b" fr English
refuses "front matter: a language's name" \
	"content/01-grains.md:3:11: error: invalid language 'English': not a BCP 47 tag; did you mean 'en'?"

for tag in en fr pt-BR zh-Hans sr-Latn-RS es-419 de-CH-1901; do
	book "$T/b" "$tag" ar
	run "$T/b" check
	[ "$rc" = 0 ] && pass "a well-formed tag: $tag" ||
		fail "a well-formed tag: $tag" "rc=$rc: $out"
done

book "$T/b" fr
printf -- '---\ntitle: Grains\nlangauge: fr\n---\n\nDes grains.\n' \
	>"$T/b/content/01-grains.md"
run "$T/b" check
printf '%s\n' "$out" | grep -qF "content/01-grains.md:3:1: warning: unknown front matter key 'langauge'; did you mean 'language'?" &&
	pass "front matter: language is a known key" ||
	fail "front matter: language is a known key" "$out"

finish
