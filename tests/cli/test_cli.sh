#!/bin/sh
# Command-line behaviour: usage and exit codes, -C/--out/--theme, check and
# clean, and every kind of bad input: one diagnostic at file:line:col per
# problem, exit status 1, and the previous output left exactly as it was.
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A small valid book in $1.
mkbook() {
	mkdir -p "$1/content/images"
	cat >"$1/content/book.yml" <<'YML'
title: Test Book
author: Tester
language: en
identifier: urn:uuid:00000000-0000-4000-8000-000000000001
chapters:
  - a.md
  - b.md
YML
	cat >"$1/content/a.md" <<'MD'
---
title: Chapter A
step: 1
summary: The first one.
---

## Start here

Read [the other one](b.md#the-end) first.

- [ ] Do a thing
- [x] Done thing
MD
	cat >"$1/content/b.md" <<'MD'
---
title: Chapter B
---

## The end

Back to [A](a.md#start-here). <b>bold?</b>
MD
}

# expect_error NAME EXPECTED-LINE: builds $T/bad and expects status 1, the
# line among the diagnostics, and output/ unchanged.
expect_error() {
	name=$1
	want=$2
	snap_before=$(cd "$T/bad" && find output -type f -exec md5sum {} + 2>/dev/null | sort)
	out=$("$SB" -C "$T/bad" build 2>&1)
	rc=$?
	snap_after=$(cd "$T/bad" && find output -type f -exec md5sum {} + 2>/dev/null | sort)
	if [ "$rc" != 1 ]; then
		fail "$name" "exit status $rc, expected 1; output: $out"
	elif ! printf '%s\n' "$out" | grep -qF -- "$want"; then
		fail "$name" "no line '$want' in: $out"
	elif [ "$snap_before" != "$snap_after" ]; then
		fail "$name" "output/ changed after a failed build"
	else
		pass "$name"
	fi
}

# fresh: a good book built once in $T/bad, so there is output to protect.
fresh() {
	rm -rf "$T/bad"
	mkbook "$T/bad"
	"$SB" -C "$T/bad" build -q --no-epub >/dev/null 2>&1
}

# --- usage -----------------------------------------------------------------
out=$("$SB" --help 2>&1); rc=$?
[ $rc = 0 ] && printf '%s' "$out" | grep -q 'usage: stepbook' && pass "--help" || fail "--help" "rc=$rc"
out=$("$SB" --version 2>&1)
[ "$out" = "stepbook $(cat VERSION)" ] && pass "--version" || fail "--version" "$out"
# libmicrohttpd and its TLS libraries are loaded by `serve` alone
# (test_serve.sh serves pages through it), not at every start
needed=$(readelf -d "$SB" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case $needed in
*libcmark-gfm*) case $needed in
	*microhttpd*) fail "libmicrohttpd not linked" "$needed" ;;
	*) pass "libmicrohttpd is not linked: serve opens it" ;;
	esac ;;
*) fail "libmicrohttpd not linked" "cannot read the libraries: $needed" ;;
esac
"$SB" frobnicate >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "unknown command exits 2" || fail "unknown command exits 2" "rc=$rc"
"$SB" build --frob >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "unknown option exits 2" || fail "unknown option exits 2" "rc=$rc"
"$SB" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "no command exits 2" || fail "no command exits 2" "rc=$rc"
"$SB" build --out >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && pass "option without value exits 2" || fail "option without value exits 2" "rc=$rc"

# the man page documents every command and option of --help, and only those
help=$("$SB" --help)
man=$(sed 's/\\-/-/g' generator/stepbook.1)
missing=""
for word in $(printf '%s\n' "$help" | grep -oE '^  (-[a-zA-Z]|--[a-z-]+|[a-z]+)[ ,]' | tr -d ' ,'); do
	printf '%s\n' "$man" | grep -qE -- "^\.(B|BI|BR) \"?$word" ||
		printf '%s\n' "$man" | grep -qE -- "^\.(B|BI|BR) .*[ \"]$word" ||
		missing="$missing $word"
done
[ -z "$missing" ] && pass "man page covers every command and option of --help" ||
	fail "man page covers --help" "missing:$missing"
extra=""
for word in $(printf '%s\n' "$man" | grep -oE '^\.(B|BI|BR) (--?[a-z-]+|[a-z]+)' | awk '{print $2}'); do
	printf '%s\n' "$help" | grep -qE -- "(^| )$word( |,|$)" || extra="$extra $word"
done
[ -z "$extra" ] && pass "--help covers every command and option of the man page" ||
	fail "--help covers the man page" "only in the man page:$extra"
D=$(mktemp -d)
make -s install DESTDIR="$D" PREFIX=/usr >/dev/null 2>&1
[ -x "$D/usr/bin/stepbook" ] && [ -f "$D/usr/share/man/man1/stepbook.1" ] &&
	head -n 1 "$D/usr/share/man/man1/stepbook.1" | grep -q '^.TH STEPBOOK 1' &&
	pass "make install honours PREFIX and DESTDIR" || fail "make install" "files missing under $D"
rm -rf "$D"

# --- a good build, -C, --out, check, clean -----------------------------------
mkbook "$T/good"
(cd / && "$SB" -C "$T/good" build -q --no-epub); rc=$?
[ $rc = 0 ] && [ -f "$T/good/output/site/index.html" ] && [ -f "$T/good/output/site/a.html" ] &&
	[ -f "$T/good/output/site/checklist.html" ] && [ -f "$T/good/output/site/404.html" ] &&
	[ -f "$T/good/output/site/assets/site.css" ] &&
	pass "-C builds the book in DIR from any folder" || fail "-C builds" "rc=$rc"
grep -q 'href="b.html#the-end"' "$T/good/output/site/a.html" &&
	pass "cross-link rewritten to the page" || fail "cross-link rewritten" "$(grep -o 'href="b[^"]*"' "$T/good/output/site/a.html")"
grep -q '&lt;b&gt;bold?&lt;/b&gt;' "$T/good/output/site/b.html" &&
	pass "raw HTML escaped by default" || fail "raw HTML escaped" "$(grep bold "$T/good/output/site/b.html")"
# a step chapter's page and print section say "Step N" once: as a label
# above a title that does not say it, or in the title alone
eyebrow='<p class="eyebrow">Step 1 of the guide</p>'
grep -qF "$eyebrow" "$T/good/output/site/a.html" && grep -qF "$eyebrow" "$T/good/output/site/print.html" &&
	pass "a step shows as a label above a title without it" || fail "step label" "$(grep -c eyebrow "$T/good/output/site/a.html")"
mkbook "$T/steps"
sed -i 's/^title: Chapter A$/title: "Step 1: Chapter A"/' "$T/steps/content/a.md"
"$SB" -C "$T/steps" build -q --no-epub
grep -qF '<h1>Step 1: Chapter A</h1>' "$T/steps/output/site/a.html" &&
	! grep -q 'class="eyebrow"' "$T/steps/output/site/a.html" "$T/steps/output/site/print.html" &&
	pass "no step label above a title that starts with it" || fail "no step label" "$(grep -h eyebrow "$T/steps/output/site/a.html" "$T/steps/output/site/print.html")"
printf 'unsafe_html: true\n' >>"$T/good/content/book.yml"
"$SB" -C "$T/good" build -q --no-epub
grep -q '<b>bold?</b>' "$T/good/output/site/b.html" &&
	pass "unsafe_html passes raw HTML" || fail "unsafe_html" "$(grep bold "$T/good/output/site/b.html")"
"$SB" -C "$T/good" build -q --no-epub --out "$T/elsewhere"
[ -f "$T/elsewhere/site/index.html" ] && pass "--out DIR" || fail "--out DIR" "no $T/elsewhere/site/index.html"
rm -rf "$T/good/output"
"$SB" -C "$T/good" check >/dev/null 2>&1; rc=$?
[ $rc = 0 ] && [ ! -e "$T/good/output" ] && pass "check writes nothing" || fail "check writes nothing" "rc=$rc"
"$SB" -C "$T/good" build -q --no-epub
m1=$(stat -c %Y "$T/good/output/site/a.html")
sleep 1
"$SB" -C "$T/good" build -q --no-epub
m2=$(stat -c %Y "$T/good/output/site/a.html")
[ "$m1" = "$m2" ] && pass "unchanged pages keep their mtime" || fail "unchanged pages keep their mtime" "$m1 != $m2"
rm "$T/good/content/b.md"
sed -i 's/  - b.md//; s/Read \[the other one\](b.md#the-end) first.//' "$T/good/content/book.yml" "$T/good/content/a.md"
"$SB" -C "$T/good" build -q --no-epub
[ ! -e "$T/good/output/site/b.html" ] && pass "a deleted chapter's page is removed" || fail "deleted chapter" "b.html still there"
"$SB" -C "$T/good" clean -q
[ ! -e "$T/good/output" ] && pass "clean removes output/" || fail "clean" "output/ still there"

# chapters parse on several threads: cmark-gfm's extension characters are
# process-wide, so without the parse lock some chapters lose autolinks
mkdir -p "$T/many/content"
printf 'title: Many\n' >"$T/many/content/book.yml"
for i in $(seq 10 69); do
	{
		printf -- '---\ntitle: C%s\n---\n\n' "$i"
		for k in $(seq 1 150); do
			printf 'Line %s with *some* text, `code` and more words here.\n\n' "$k"
		done
		printf 'See https://example.org/%s and ~~old~~ new.\n' "$i"
	} >"$T/many/content/c$i.md"
done
ok=1
for round in 1 2 3; do
	rm -rf "$T/many/output"
	"$SB" -C "$T/many" build -q --no-epub || ok=0
	for i in $(seq 10 69); do
		grep -q "<a href=\"https://example.org/$i\">" "$T/many/output/site/c$i.html" &&
			grep -q '<del>old</del>' "$T/many/output/site/c$i.html" || { ok=0; bad=c$i; }
	done
done
[ $ok = 1 ] && pass "autolinks and strikethrough in every chapter parsed in parallel" ||
	fail "parallel parsing" "lost extension syntax in ${bad:-a build}"

# a book's own theme overrides one file of the shipped theme
mkbook "$T/themed"
mkdir -p "$T/themed/themes/default/templates"
printf '{{<base}}{{$main}}<p>own 404 of {{book.title}}</p>{{/main}}{{/base}}\n' \
	>"$T/themed/themes/default/templates/404.mustache"
"$SB" -C "$T/themed" build -q --no-epub
grep -q 'own 404 of Test Book' "$T/themed/output/site/404.html" &&
	grep -q 'assets/site.css' "$T/themed/output/site/404.html" &&
	pass "book's themes/NAME overrides a shipped file" || fail "theme override" "404 not overridden"

# a first build that fails while the pages are being written (a partial
# that includes itself, found when 404.html is rendered, after the
# chapter pages) leaves no site and no staging folder behind
mkbook "$T/loop"
mkdir -p "$T/loop/themes/default/templates"
printf '{{>404}}\n' >"$T/loop/themes/default/templates/404.mustache"
out=$("$SB" -C "$T/loop" build --no-epub 2>&1); rc=$?
[ $rc = 1 ] && [ ! -e "$T/loop/output/site" ] &&
	[ -z "$(ls -A "$T/loop/output" 2>/dev/null | grep tmp)" ] &&
	pass "a first build failing mid-site leaves no site and no staging folder" ||
	fail "failed first build" "rc=$rc $(ls -A "$T/loop/output" 2>&1) $out"
rm -rf "$T/loop/themes"
"$SB" -C "$T/loop" build -q --no-epub && [ -f "$T/loop/output/site/a.html" ] &&
	[ -z "$(ls -A "$T/loop/output" | grep tmp)" ] &&
	pass "a first build stages the site and leaves only site/" ||
	fail "staged build" "$(ls -A "$T/loop/output")"

# --- bad input ---------------------------------------------------------------
fresh; rm "$T/bad/content/book.yml"
expect_error "missing book.yml" "content/book.yml: error: missing book.yml"

fresh; printf 'title: [oops\n' >"$T/bad/content/book.yml"
expect_error "malformed book.yml" "content/book.yml:2:1: error: invalid YAML"

fresh; printf 'author: x\nchapters:\n  - a.md\n  - b.md\n' >"$T/bad/content/book.yml"
expect_error "book.yml without title" "content/book.yml:1:1: error: missing 'title' in book.yml"

fresh; printf 'Just text\n' >"$T/bad/content/a.md"
# front matter is optional (issue 21): without it, a chapter needs a title
# from the list or a first-line '# ' heading
expect_error "chapter without front matter or title" "content/a.md:1:1: error: missing title: no 'title:' in front matter, no title in the chapter list and no '# ' heading on the first line"

fresh; printf -- '---\ntitle: A\nno end\n' >"$T/bad/content/a.md"
expect_error "unterminated front matter" "content/a.md:1:1: error: unterminated front matter"

fresh; printf -- '---\ntitle: A\nstep: [1\n---\nx\n' >"$T/bad/content/a.md"
expect_error "invalid YAML in front matter" "content/a.md:4:1: error: invalid YAML"

fresh; printf -- '---\ntitle: A\n  bad: indent\n---\nx\n' >"$T/bad/content/a.md"
expect_error "YAML error position" "content/a.md:3:6: error: invalid YAML"

fresh; printf -- '---\nsummary: no title\n---\nx\n' >"$T/bad/content/a.md"
expect_error "front matter without title" "content/a.md:1:1: error: missing title: no 'title:' in front matter, no title in the chapter list and no '# ' heading on the first line"

fresh; printf -- '---\ntitle: A\nstep: two\n---\nx\n' >"$T/bad/content/a.md"
expect_error "step not a number" "content/a.md:3:1: error: 'step' must be a positive whole number"

fresh; printf '  - missing.md\n' >>"$T/bad/content/book.yml"
expect_error "listed chapter missing" "content/book.yml:8:5: error: no chapter file 'missing.md' in content/"

fresh; printf -- '---\ntitle: A\nslug: same\n---\nx\n' >"$T/bad/content/a.md"
printf -- '---\ntitle: B\nslug: same\n---\nx\n' >"$T/bad/content/b.md"
expect_error "duplicate slug" "content/b.md:1:1: error: duplicate slug 'same'"

fresh; printf -- '---\ntitle: A\n---\n\nok line\nbad \377 byte\n' >"$T/bad/content/a.md"
expect_error "invalid UTF-8" "content/a.md:6:5: error: invalid UTF-8 (byte 0xFF)"

fresh; printf 'theme: nope\n' >>"$T/bad/content/book.yml"
expect_error "unknown theme" "stepbook: error: unknown theme 'nope'; available: default"

fresh; "$SB" -C "$T/bad" build --theme nope >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && pass "--theme unknown exits 1" || fail "--theme unknown" "rc=$rc"

fresh; mkdir -p "$T/bad/themes/default/templates"
printf '<p>\n  {{#page}}\n{{title}}\n' >"$T/bad/themes/default/templates/404.mustache"
expect_error "template syntax error" "themes/default/templates/404.mustache:2:3: error:"

fresh; sed -i 's/(b.md#the-end)/(b.md#the-edn)/' "$T/bad/content/a.md"
printf '\nAnd [gone](nope.md) and [here](#strat-here).\n' >>"$T/bad/content/a.md"
out=$("$SB" -C "$T/bad" build 2>&1)
printf '%s\n' "$out" | grep -qF "content/a.md:9:6: error: no heading 'the-edn' in 'b.md'; did you mean 'the-end'?" &&
	printf '%s\n' "$out" | grep -qF "content/a.md:14:5: error: no chapter 'nope.md'" &&
	printf '%s\n' "$out" | grep -qF "content/a.md:14:25: error: no heading 'strat-here' in 'a.md'; did you mean 'start-here'?" &&
	pass "broken links all reported at once with suggestions" || fail "broken links" "$out"

fresh; printf '\n![pic](images/none.png)\n' >>"$T/bad/content/b.md"
expect_error "missing image" "content/b.md:9:1: error: missing image 'images/none.png'"

# an image of a kind EPUB cannot carry: one error where it is shown, and
# no warning besides
fresh; printf '%%PDF-1.4\n' >"$T/bad/content/images/sheet.pdf"
printf '\n![sheet](images/sheet.pdf)\n' >>"$T/bad/content/b.md"
expect_error "image EPUB cannot carry" "content/b.md:9:1: error: image 'images/sheet.pdf' cannot go into the EPUB: use PNG, JPEG, GIF, SVG or WebP"
[ "$(printf '%s\n' "$out" | grep -c 'sheet.pdf')" = 1 ] && pass "... and nothing else about it" ||
	fail "image EPUB cannot carry, once" "$out"

fresh; printf '\n[up](../secret.txt)\n' >>"$T/bad/content/b.md"
expect_error "link outside content" "content/b.md:9:1: error: link '../secret.txt' points outside content/"

fresh; printf '\n```quiz\n? Which?\n- [ ] a\n- [ ] b\n```\n' >>"$T/bad/content/b.md"
expect_error "quiz without correct choice" "content/b.md:10:1: error: quiz question has no correct choice"

fresh; printf '\n## Dup {#x}\n\n## Again {#x}\n' >>"$T/bad/content/b.md"
expect_error "duplicate explicit heading id" "content/b.md:11:1: error: duplicate heading id 'x'"

# The EPUB's entries carry SOURCE_DATE_EPOCH's time in UTC, whatever the
# machine's zone: 2026-03-08 02:30 UTC is an hour that daylight saving
# skips in EST5EDT, where libzip's mktime() round trip made it 03:30
mkbook "$T/tz"
for tz in UTC0 EST5EDT,M3.2.0,M11.1.0; do
	(cd "$T/tz" && rm -rf output &&
		SOURCE_DATE_EPOCH=1772937000 TZ=$tz "$SB" build -q &&
		cp output/*.epub "$T/tz-${tz%%[0-9,]*}.epub")
done
if cmp -s "$T/tz-UTC.epub" "$T/tz-EST.epub" &&
	zipinfo -T "$T/tz-EST.epub" mimetype | grep -q ' 20260308\.023000 '; then
	pass "the EPUB is the same in any time zone, with UTC entry times"
else
	fail "EPUB and time zone" "$(zipinfo -T "$T/tz-EST.epub" mimetype 2>&1)"
fi
finish
