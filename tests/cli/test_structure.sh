#!/bin/sh
# The book's structure (issue 18 section 4): parts (`- part: Title` with
# their own `chapters:`) in the sidebar, the index, the print page, the
# EPUB's nav and NCX; drafts left out of the book unless built with
# --drafts, and links to them errors that say why.
# STEPBOOK names the binary (default build/stepbook).
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200

# drafts DIR: a book of three chapters, the second a draft.
drafts() {
	rm -rf "$1"
	mkdir -p "$1/content"
	printf 'title: Tea\n' >"$1/content/book.yml"
	cat >"$1/content/01-leaves.md" <<'MD'
---
title: Leaves
---

## Pick

Pick the top two leaves, then read [on](#pick).
MD
	cat >"$1/content/02-wither.md" <<'MD'
---
title: Wither
draft: true
---

## Spread

Spread them thin. Unfinished: [roll](04-roll.md) is not written yet.
MD
	cat >"$1/content/03-dry.md" <<'MD'
---
title: Dry
---

Dry what you [picked](01-leaves.md#pick).
MD
}

# run DIR ARGS...: runs stepbook in DIR; $out (stderr and stdout), $rc.
run() {
	d=$1
	shift
	out=$("$SB" -C "$d" "$@" 2>&1)
	rc=$?
}

# --- a draft is left out, and its problems with it --------------------------
drafts "$T/d"
run "$T/d" build
site=$T/d/output/site
[ "$rc" = 0 ] && [ -f "$site/01-leaves.html" ] && [ -f "$site/03-dry.html" ] &&
	[ ! -e "$site/02-wither.html" ] &&
	printf '%s\n' "$out" | grep -q '^stepbook: 2 chapters' &&
	pass "build: the draft is left out" || fail "draft left out" "rc=$rc: $out"
if grep -l 'Wither\|02-wither' "$site"/*.html "$site"/*.js "$site"/*.xml 2>/dev/null | grep -q .; then
	fail "draft named nowhere" "$(grep -l 'Wither\|02-wither' "$site"/*.html "$site"/*.js "$site"/*.xml)"
else
	pass "the site names the draft nowhere (pages, search index, sitemap)"
fi
unzip -l "$T/d/output/tea.epub" | grep -q 'wither' &&
	fail "EPUB without the draft" "$(unzip -l "$T/d/output/tea.epub")" ||
	pass "the EPUB leaves the draft out"
# 03-dry.html links to #pick of chapter 1 across the draft's place
grep -q 'href="01-leaves.html#pick"' "$site/03-dry.html" &&
	grep -q 'href="#pick"' "$site/01-leaves.html" &&
	pass "links around the draft still resolve" || fail "links around the draft" "$(grep -o 'href="[^"]*pick"' "$site"/*.html)"

# --- --drafts publishes it, and checks it -----------------------------------
run "$T/d" check --drafts
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "content/02-wither.md:8:31: error: no chapter '04-roll.md'" &&
	pass "check --drafts: the draft's own errors are reported" || fail "check --drafts" "rc=$rc: $out"
sed -i 's/ Unfinished:.*$//' "$T/d/content/02-wither.md"
run "$T/d" build --drafts
[ "$rc" = 0 ] && [ -f "$site/02-wither.html" ] &&
	printf '%s\n' "$out" | grep -q '^stepbook: 3 chapters' &&
	unzip -l "$T/d/output/tea.epub" | grep -q '02-wither.xhtml' &&
	grep -q 'href="02-wither.html"' "$site/index.html" &&
	pass "build --drafts: the draft is a chapter, on the site and in the EPUB" ||
	fail "build --drafts" "rc=$rc: $out"
# the next build without --drafts takes the page away again
run "$T/d" build
[ "$rc" = 0 ] && [ ! -e "$site/02-wither.html" ] &&
	pass "a build without --drafts removes the draft's page" || fail "draft page removed" "rc=$rc: $out"
# ... and its output is that of a clean build, cache or not
drafts "$T/clean"
sed -i 's/ Unfinished:.*$//' "$T/clean/content/02-wither.md"
run "$T/clean" build -q
diff -r -x '.stepbook-cache*' -x .stepbook-stage "$T/d/output" "$T/clean/output" >"$T/diff" 2>&1 &&
	pass "after builds with and without --drafts: identical to a clean build" ||
	fail "drafts vs clean" "$(head -n 20 "$T/diff")"
# an edit to a chapter after the draft, built from the cache
printf '\nMore.\n' >>"$T/d/content/03-dry.md"
printf '\nMore.\n' >>"$T/clean/content/03-dry.md"
run "$T/d" build -q
rm -rf "$T/clean/output"
run "$T/clean" build -q
diff -r -x '.stepbook-cache*' -x .stepbook-stage "$T/d/output" "$T/clean/output" >"$T/diff" 2>&1 &&
	pass "an edit after the draft, from the cache: identical to a clean build" ||
	fail "edit after draft vs clean" "$(head -n 20 "$T/diff")"

# --- a link to a draft says why it is missing --------------------------------
drafts "$T/l"
printf '\nNext, [wither them](02-wither.md#spread).\n' >>"$T/l/content/01-leaves.md"
run "$T/l" build
[ "$rc" = 1 ] && [ ! -e "$T/l/output" ] &&
	printf '%s\n' "$out" | grep -qF "content/01-leaves.md:9:7: error: '02-wither.md' is a draft (draft: true in its front matter), left out of the book: build with --drafts to include it, or publish it" &&
	printf '%s\n' "$out" | grep -A2 -F "is a draft" | grep -qF '      ^' &&
	pass "a link to a draft: one error, with its caret" || fail "link to a draft" "rc=$rc: $out"
n=$(printf '%s\n' "$out" | grep -c 'error:')
[ "$n" = 1 ] && pass "a link to a draft: the draft's own error is not reported" || fail "one error" "$n errors: $out"
run "$T/l" build --drafts
[ "$rc" = 1 ] && ! printf '%s\n' "$out" | grep -q 'is a draft' &&
	printf '%s\n' "$out" | grep -qF "no chapter '04-roll.md'" &&
	pass "with --drafts the link resolves (and the draft is checked)" || fail "link with --drafts" "rc=$rc: $out"

# --- parts ------------------------------------------------------------------
# parts DIR: an introduction, two parts, a closing chapter in no part.
parts() {
	rm -rf "$1"
	mkdir -p "$1/content"
	cat >"$1/content/book.yml" <<'YML'
title: Bread
chapters:
  - 00-why.md
  - part: The dough
    chapters:
      - 01-mix.md
      - 02-knead.md
  - part: "The oven: heat"
    chapters: [03-bake.md]
  - 04-eat.md
YML
	for f in 00-why:Why 01-mix:Mix 02-knead:Knead 03-bake:Bake 04-eat:Eat; do
		printf -- '---\ntitle: %s\n---\n\n## About %s\n\nWords.\n' \
			"${f#*:}" "${f#*:}" >"$1/content/${f%%:*}.md"
	done
}
parts "$T/p"
run "$T/p" build --strict
site=$T/p/output/site
[ "$rc" = 0 ] && pass "a book in parts builds, --strict" || fail "parts build" "rc=$rc: $out"
# the sidebar: each part's title before its first chapter, once
got=$(grep -o '<li class="nav-part">[^<]*</li>\|<a href="0[0-9]-[a-z]*.html"' "$site/01-mix.html" | tr '\n' ' ')
want='<a href="00-why.html" <li class="nav-part">The dough</li> <a href="01-mix.html" <a href="02-knead.html" <li class="nav-part">The oven: heat</li> <a href="03-bake.html" <a href="04-eat.html" '
[ "$got" = "$want" ] && pass "sidebar: part titles before their chapters" || fail "sidebar parts" "$got"
# the index: a heading and a list per part, the chapters in no part in lists of their own
got=$(sed -n '/<section class="steps"/,/<\/section>/p' "$site/index.html" |
	grep -o '<h3 class="part-title">[^<]*</h3>\|<ol class="cards">\|<a href="0[0-9]-[a-z]*.html"' | tr '\n' ' ')
want='<ol class="cards"> <a href="00-why.html" <h3 class="part-title">The dough</h3> <ol class="cards"> <a href="01-mix.html" <a href="02-knead.html" <h3 class="part-title">The oven: heat</h3> <ol class="cards"> <a href="03-bake.html" <ol class="cards"> <a href="04-eat.html" '
[ "$got" = "$want" ] && pass "index: each part a heading and its list" || fail "index parts" "$got"
# the print page: in its contents and over its first chapter
got=$(grep -o '<li class="toc-part">[^<]*</li>\|<h2 class="print-part">[^<]*</h2>' "$site/print.html" | tr '\n' ' ')
want='<li class="toc-part">The dough</li> <li class="toc-part">The oven: heat</li> <h2 class="print-part">The dough</h2> <h2 class="print-part">The oven: heat</h2> '
[ "$got" = "$want" ] && pass "print page: parts in the contents and over their chapters" || fail "print parts" "$got"
# the EPUB: nested in the nav and in the NCX
nav=$(unzip -p "$T/p/output/bread.epub" EPUB/nav.xhtml | tr -d ' \n')
case $nav in
*'<li><span>Thedough</span><ol><li><ahref="01-mix.xhtml">Mix</a><ol><li><ahref="01-mix.xhtml#about-mix">AboutMix</a></li></ol></li><li><ahref="02-knead.xhtml">Knead</a>'*'</ol></li><li><span>Theoven:heat</span><ol><li><ahref="03-bake.xhtml">Bake</a>'*'</ol></li></ol></li><li><ahref="04-eat.xhtml">Eat</a>'*)
	pass "EPUB nav: each part an entry holding its chapters" ;;
*) fail "EPUB nav parts" "$nav" ;;
esac
ncx=$(unzip -p "$T/p/output/bread.epub" EPUB/toc.ncx | tr -d ' \n')
case $ncx in
*'<metaname="dtb:depth"content="3"/>'*'<navPointid="part-1"playOrder="3"><navLabel><text>Thedough</text></navLabel><contentsrc="01-mix.xhtml"/><navPointid="np-3"playOrder="3"><navLabel><text>Mix</text>'*'<navPointid="part-2"'*'<contentsrc="03-bake.xhtml"/><navPointid="np-'*)
	pass "EPUB NCX: parts hold their chapters' navPoints" ;;
*) fail "EPUB NCX parts" "$ncx" ;;
esac
sh tests/tools/epubcheck.sh "$T/p/output/bread.epub" >"$T/ec" 2>&1 &&
	pass "epubcheck: a book in parts, 0 errors, 0 warnings" || fail "epubcheck parts" "$(tail -n 5 "$T/ec")"
sh tests/tools/vnu.sh --werror "$site/index.html" "$site/print.html" "$site/01-mix.html" >"$T/vnu" 2>&1 &&
	pass "vnu: index, print and chapter pages of a book in parts" || fail "vnu parts" "$(tail -n 5 "$T/vnu")"
# a part renamed, built from the cache: the same as a clean build
sed -i 's/part: The dough/part: The wet dough/' "$T/p/content/book.yml"
run "$T/p" build -q
parts "$T/pc"
sed -i 's/part: The dough/part: The wet dough/' "$T/pc/content/book.yml"
run "$T/pc" build -q
diff -r -x '.stepbook-cache*' -x .stepbook-stage "$T/p/output" "$T/pc/output" >"$T/diff" 2>&1 &&
	unzip -p "$T/p/output/bread.epub" EPUB/nav.xhtml | grep -q 'The wet dough' &&
	pass "a part renamed, from the cache: identical to a clean build" ||
	fail "part renamed vs clean" "$(head -n 20 "$T/diff")"
# a part whose chapters are all drafts is not shown
sed -i 's/^title: Bake$/title: Bake\ndraft: true/' "$T/p/content/03-bake.md"
run "$T/p" build
! grep -q 'The oven' "$site/index.html" "$site/01-mix.html" "$site/print.html" &&
	! unzip -p "$T/p/output/bread.epub" EPUB/nav.xhtml | grep -q 'The oven' &&
	pass "a part of drafts only is left out with them" || fail "part of drafts" "$(grep -l 'The oven' "$site"/*.html)"

# --- mistakes ---------------------------------------------------------------
parts "$T/m"
printf 'title: Bread\nchapters:\n  - part: The dough\n  - 00-why.md\n' >"$T/m/content/book.yml"
run "$T/m" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "content/book.yml:3:5: error: part 'The dough' needs a 'chapters:' list of its files, indented under 'part:'" &&
	[ "$(printf '%s\n' "$out" | grep -c ': error: \|: warning: ')" = 1 ] &&
	pass "a part without chapters: one error at it" || fail "part without chapters" "rc=$rc: $out"
drafts "$T/m"
sed -i 's/^draft: true$/draft: maybe/' "$T/m/content/02-wither.md"
run "$T/m" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "content/02-wither.md:3:1: error: 'draft' must be true or false" &&
	pass "draft: maybe is an error at its line" || fail "draft: maybe" "rc=$rc: $out"
drafts "$T/m"
sed -i 's/^draft: true$/draf: true/' "$T/m/content/02-wither.md"
sed -i 's/ Unfinished:.*$//' "$T/m/content/02-wither.md"
run "$T/m" check
[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -qF "content/02-wither.md:3:1: warning: unknown front matter key 'draf'; did you mean 'draft'?" &&
	pass "draf: true suggests draft" || fail "draf" "rc=$rc: $out"
drafts "$T/m"
for f in 01-leaves 03-dry; do sed -i 's/^title: \(.*\)$/title: \1\ndraft: true/' "$T/m/content/$f.md"; done
run "$T/m" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "every chapter is a draft (draft: true): build with --drafts to see them" &&
	pass "a book of drafts only: one clear error" || fail "all drafts" "rc=$rc: $out"
run "$T/m" --help
printf '%s\n' "$out" | grep -q -- '--drafts' && pass "--help lists --drafts" || fail "--help" "$out"

finish
