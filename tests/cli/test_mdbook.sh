#!/bin/sh
# mdBook books (issue 21): its directives in any book's chapters, and an
# mdBook book (book.toml, src/SUMMARY.md) built as it is, end to end. Each
# check builds a small book and looks at the page, the EPUB or the one
# diagnostic it must give; the golden mdBook book (tests/golden/mdbook)
# goes through epubcheck, Ace, the Nu checker and a check of every link.
# STEPBOOK names the binary (default build/stepbook).
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
TOP=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# book DIR: a book whose chapter uses every directive, in DIR.
book() {
	rm -rf "$1"
	mkdir -p "$1/content/code"
	cat >"$1/content/book.yml" <<'YML'
title: Crabs
chapters:
  - intro.md
YML
	cat >"$1/content/intro.md" <<'MD'
---
title: Intro
---
{{#title Crabs, the whole story}}

{{#toc}}

## Shells

```rust
{{#include code/main.rs:body}}
```

```rust
{{#rustdoc_include code/main.rs:body}}
```

{{#playground code/small.rs editable}}

### Claws

Escaped: \{{#include code/main.rs}}
MD
	cat >"$1/content/code/main.rs" <<'RS'
fn main() {
    // ANCHOR: body
    let shell = 1;
    # let hidden = 2;
    ## [attribute]
    // ANCHOR_END: body
}
RS
	printf 'fn small() {}\n' >"$1/content/code/small.rs"
}

cd "$T" || exit 1
book b
"$SB" -C b build -q >out 2>err
rc=$?
[ "$rc" = 0 ] && [ ! -s err ] && pass "a book with directives builds with no word" ||
	fail "build" "exit $rc: $(cat err)"
P=b/output/site/intro.html
# the page's text, without the highlighter's spans in the code
strip() { sed 's/<[^>]*>//g' "$1" >"$1.txt"; }
strip "$P"
grep -q '<title>Crabs, the whole story</title>' "$P" &&
	pass "{{#title}} sets the page title" || fail "title" "$(grep '<title>' "$P")"
grep -q 'let shell = 1;' "$P.txt" && ! grep -q 'ANCHOR' "$P.txt" &&
	pass "{{#include file:anchor}} takes the anchor's lines only" ||
	fail "include" "$(grep -c ANCHOR "$P.txt") ANCHOR lines"
! grep -q 'let hidden' "$P.txt" && grep -q '^    # \[attribute\]' "$P.txt" &&
	pass "rust blocks hide '# ' lines and show '##' as '#'" ||
	fail "hidden lines" "$(grep -n 'hidden\|attribute' "$P.txt")"
[ "$(grep -c 'let shell = 1;' "$P.txt")" = 2 ] && ! grep -q 'fn main' "$P.txt" && grep -q 'fn small' "$P.txt" &&
	pass "{{#rustdoc_include}} and {{#playground}} give rust code" ||
	fail "rustdoc/playground" "no fn main or no rust block"
grep -q 'href="#shells"' "$P" && grep -q 'href="#claws"' "$P" &&
	pass "{{#toc}} lists the headings" || fail "toc" "no links to #shells, #claws"
grep -q '{{#include code/main.rs}}' "$P" && ! grep -q '{{#toc}}' "$P" &&
	pass "an escaped directive is written as it is" || fail "escape" "not found"
unzip -p b/output/crabs.epub EPUB/intro.xhtml >x 2>/dev/null
strip x
grep -q 'let shell = 1;' x.txt && ! grep -q 'let hidden' x.txt &&
	pass "the EPUB gets the same text" || fail "epub" "$(wc -c <x.txt) bytes"

# an included file is a dependency: a rebuild sees its change
sed -i 's/let shell = 1;/let shell = 42;/' b/content/code/main.rs
"$SB" -C b build >out 2>err
strip "$P"
grep -q 'let shell = 42;' "$P.txt" && pass "a rebuild sees an included file change" ||
	fail "incremental" "old text kept"

# the mistakes, one error each, at the directive
book c
printf '\nText {{#include code/gone.rs}}\n' >>c/content/intro.md
"$SB" -C c build >out 2>err
rc=$?
[ "$rc" = 1 ] && grep -q "^content/intro.md:24:6: error: cannot include 'code/gone.rs': no such file" err &&
	[ "$(grep -c error: err)" = 1 ] && [ ! -d c/output ] &&
	pass "a missing file is one error at the directive, nothing written" ||
	fail "missing file" "exit $rc: $(cat err)"
book c
printf '\n{{#include code/main.rs:nope}}\n{{#include ../../etc/passwd}}\n{{#include code/main.rs:99}}\n' >>c/content/intro.md
"$SB" -C c build >out 2>err
grep -q "24:1: error: no anchor 'nope' in 'code/main.rs'" err &&
	grep -q "25:1: error: '../../etc/passwd' is outside the book's source folder" err &&
	grep -q "26:1: error: 'code/main.rs' has no line 99" err &&
	pass "a missing anchor, a path out of the book, a line past the end" ||
	fail "errors" "$(cat err)"
book c
printf '\nSee {{#unknown thing}} here.\n' >>c/content/intro.md
"$SB" -C c build >out 2>err
rc=$?
[ "$rc" = 0 ] && grep -q "content/intro.md:24:5: warning: unknown directive '{{#unknown}}' is left out" err &&
	[ "$(grep -c warning: err)" = 1 ] && ! grep -q 'unknown' c/output/site/intro.html &&
	pass "an unknown directive is a warning at its line (past includes), left out" ||
	fail "unknown" "exit $rc: $(cat err)"

# an mdBook book as it is: book.toml and src/, found with and without -C
mkdir m
cp "$TOP/tests/golden/mdbook/book.toml" m/
cp -r "$TOP/tests/golden/mdbook/src" m/src
"$SB" -C m build -q >out 2>err
rc=$?
[ "$rc" = 0 ] && [ ! -s err ] && [ -f m/output/site/gear.html ] &&
	pass "an mdBook book builds with -C, with no word" || fail "mdbook -C" "exit $rc: $(cat err)"
(cd m && "$SB" check -q) >out 2>err
rc=$?
[ "$rc" = 0 ] && [ ! -s err ] && pass "stepbook check in the book's folder" ||
	fail "mdbook check" "exit $rc: $(cat err)"
grep -q '<title>Brewing by Hand</title>' m/output/site/index.html &&
	grep -q 'Ada Kettle, Ben Filter' m/output/site/index.html &&
	grep -q 'href="extra.css"' m/output/site/gear.html &&
	grep -q 'https://example.org/brew/edit/main/src/gear.md' m/output/site/gear.html &&
	grep -q 'https://example.org/brew/gear.html' m/output/site/sitemap.xml &&
	pass "book.toml's title, authors, css, edit url and site-url are used" ||
	fail "mapping" "$(grep -o '<title>[^<]*' m/output/site/index.html)"
grep -q '<h1>Gear</h1>' m/output/site/gear.html && [ "$(grep -c '<h1' m/output/site/gear.html)" = 1 ] &&
	pass "a chapter without front matter takes SUMMARY.md's title, once" ||
	fail "titles" "$(grep '<h1' m/output/site/gear.html)"
grep -q '<div class="aside">' m/output/site/kettles.html &&
	pass "raw HTML passes through, as in mdBook" || fail "raw html" "escaped"
if [ -x /work/ref/stepbook-0ceb05f ]; then
	/work/ref/stepbook-0ceb05f -C m build -q >/dev/null 2>&1 &&
		fail "reference" "the old binary built it too" ||
		pass "the reference binary cannot build it (new behaviour)"
fi
out=$(sh "$TOP/tests/tools/epubcheck.sh" m/output/*.epub 2>&1) &&
	pass "epubcheck: the mdBook book's EPUB" || fail "epubcheck" "$out"
out=$(sh "$TOP/tests/tools/ace.sh" m/output/*.epub 2>&1) &&
	pass "Ace: the mdBook book's EPUB, no violation" || fail "ace" "$out"
out=$(sh "$TOP/tests/tools/vnu.sh" m/output/site 2>&1) &&
	pass "vnu: every page of the mdBook book" || fail "vnu" "$out"
# every link between pages resolves, fragments included
# (pages in folders too, each link from the page's own folder)
bad=""
for f in $(find m/output/site -name '*.html'); do
	d=$(dirname "$f")
	for h in $(grep -o 'href="[^"#:]*\.html[^"]*"' "$f" | sed 's/^href="//; s/"$//'); do
		page=${h%%#*}
		[ -f "$d/$page" ] || { bad="$bad $f:$h"; continue; }
		case $h in *'#'*) grep -q "id=\"${h#*#}\"" "$d/$page" || bad="$bad $f:$h" ;; esac
	done
done
[ -z "$bad" ] && pass "every link between the mdBook book's pages resolves" || fail "links" "$bad"

# a folder's README.md is its index.html, and mdBook's links to it (the
# folder, index.html) reach it, on the site and in the EPUB
[ -f m/output/site/methods/index.html ] && [ -f m/output/site/methods/press.html ] &&
	grep -q '<a href="methods/index.html">methods</a>' m/output/site/pouring.html &&
	grep -q '<a href="index.html">methods</a>' m/output/site/methods/press.html &&
	grep -q '<a href="index.html">by name</a>' m/output/site/methods/press.html &&
	unzip -p m/output/brewing-by-hand.epub EPUB/pouring.xhtml | grep -q 'href="methods-index.xhtml"' &&
	pass "a folder's README.md is its index.html; links to folder/ and index.html reach it" ||
	fail "folder pages" "$(ls m/output/site/methods 2>&1)"
# [output.html.redirect]: each old page sends the reader on, and is no
# page of the sitemap
grep -q '<meta http-equiv="refresh" content="0; url=press.html">' m/output/site/methods/french-press.html &&
	grep -q '<link rel="canonical" href="https://example.org/brew/pouring.html">' m/output/site/brewing.html &&
	! grep -q 'brewing.html' m/output/site/sitemap.xml &&
	pass "book.toml's redirects are pages that send the reader on" ||
	fail "redirects" "$(cat m/output/site/brewing.html 2>&1)"
cp -r m r
printf '"gone.html" = "nowhere.html"\n"gear.html" = "water.html"\n' >>r/book.toml
"$SB" -C r build -q >out 2>err
rc=$?
at=$(grep -n 'output.html.redirect' r/book.toml | cut -d: -f1)
[ "$rc" = 1 ] &&
	grep -q "^book.toml:$at:14: error: redirect 'gone.html' leads to 'nowhere.html', which is no page of the book" err &&
	grep -q "^book.toml:$at:14: error: redirect 'gear.html': 'gear.html' is a page of the book, which the redirect would replace" err &&
	[ "$(grep -c 'error:' err)" = 2 ] &&
	pass "a redirect to no page, or over a page, is an error at the table" ||
	fail "redirect errors" "exit $rc: $(cat err)"
# book.yml's redirects: the same for a stepbook book
book yr
printf 'redirects:\n  old/intro.html: ../intro.html\n' >>yr/content/book.yml
"$SB" -C yr build -q >out 2>err
rc=$?
[ "$rc" = 0 ] && grep -q 'url=../intro.html' yr/output/site/old/intro.html &&
	pass "book.yml's redirects: an old page in a folder that no longer is" ||
	fail "book.yml redirects" "exit $rc: $(cat err)"

# SUMMARY.md's nesting: in the sidebar (aria-level) and the EPUB's nav
unzip -p m/output/brewing-by-hand.epub EPUB/nav.xhtml | tr -d ' \n' >nav
grep -q '<li aria-level="2"><a href="kettles.html"><bdi>Kettles</bdi></a>' m/output/site/gear.html &&
	grep -q '<ahref="gear.xhtml">Gear</a><ol><li><ahref="kettles.xhtml">Kettles</a>' nav &&
	grep -q '<ahref="methods-index.xhtml">Methods</a><ol><li><ahref="methods-press.xhtml">Thepress</a>' nav &&
	grep -q '<li class="nav-sep" aria-hidden="true"></li>' m/output/site/gear.html &&
	unzip -p m/output/brewing-by-hand.epub EPUB/toc.ncx | grep -q 'dtb:depth" content="3"' &&
	pass "nested chapters nest in the sidebar, the nav and the NCX; separators show" ||
	fail "nesting" "$(cat nav)"

# a relative link out of the book: a warning; on the site as written, in
# the EPUB absolute through site-url, or its text alone without it
cp -r m o
at=$(($(wc -l <o/src/pouring.md) + 2))
printf '\nSee [the std docs](../std/index.html).\n' >>o/src/pouring.md
"$SB" -C o build -q >out 2>err
rc=$?
[ "$rc" = 0 ] && grep -q "^src/pouring.md:$at:5: warning: link '../std/index.html' leaves the book: it cannot be checked" err &&
	grep -q 'href="../std/index.html"' o/output/site/pouring.html &&
	unzip -p o/output/brewing-by-hand.epub EPUB/pouring.xhtml | grep -q 'href="https://example.org/std/index.html"' &&
	pass "a link out of the book warns, stays on the site, is absolute in the EPUB" ||
	fail "leaving link" "exit $rc: $(cat err)"
sed -i '/site-url/d' o/book.toml
"$SB" -C o build -q >out 2>err
unzip -p o/output/brewing-by-hand.epub EPUB/pouring.xhtml >x
grep -q 'the std docs' x && ! grep -q 'std/index.html' x &&
	out=$(sh "$TOP/tests/tools/epubcheck.sh" o/output/*.epub 2>&1) &&
	pass "... and without site-url, its text alone; epubcheck passes" || fail "leaving link, no url" "$out"

# book.yml may take its chapters from a SUMMARY.md
mkdir -p y/content
printf 'title: Listed\nsummary: SUMMARY.md\n' >y/content/book.yml
printf '# Summary\n\n- [One](one.md)\n    - [Two](two.md)\n- [Later]()\n' >y/content/SUMMARY.md
printf 'First.\n' >y/content/one.md
printf '# Second\n\nText.\n' >y/content/two.md
"$SB" -C y build -q >out 2>err
rc=$?
[ "$rc" = 0 ] && [ ! -s err ] && grep -q '<h1>One</h1>' y/output/site/one.html &&
	grep -q '<h1>Two</h1>' y/output/site/two.html &&
	pass "book.yml's 'summary: SUMMARY.md' lists the chapters, with their titles" ||
	fail "summary in book.yml" "exit $rc: $(cat err)"

# what book.toml has that stepbook does not read: a warning naming it
cp -r m w
at=$(($(wc -l <w/book.toml) + 1))
cat >>w/book.toml <<'TOML'
[output.html.fold]
enable = true
level = 1

[preprocessor.mermaid]
command = "mdbook-mermaid"
TOML
"$SB" -C w build -q >out 2>err
grep -q "^book.toml:$at:14: warning: 'output.html.fold' is not supported by stepbook and is ignored" err &&
	grep -q "^book.toml:$((at + 4)):2: warning: 'preprocessor' is not supported" err &&
	[ "$(grep -c warning: err)" = 2 ] &&
	pass "unsupported book.toml keys are warnings that name them" || fail "unknown keys" "$(cat err)"
# mistakes in book.toml and SUMMARY.md: errors at their line and column
cp -r m e
printf '[book]\ntitle = "A"\ntitle = "B"\n' >e/book.toml
"$SB" -C e build -q >out 2>err
rc=$?
[ "$rc" = 1 ] && grep -q "^book.toml:3:1: error: duplicate key 'title'" err &&
	pass "a duplicate key in book.toml is an error at its place" || fail "toml error" "exit $rc: $(cat err)"
cp m/book.toml e/book.toml
printf -- '- [Gear](gear.md)\n- Kettles\n' >e/src/SUMMARY.md
"$SB" -C e build -q >out 2>err
rc=$?
[ "$rc" = 1 ] && grep -q "^src/SUMMARY.md:2:3: error: a numbered chapter must be a link" err &&
	pass "a malformed SUMMARY.md is an error at its place" || fail "summary error" "exit $rc: $(cat err)"
printf -- '- [Gear](gear.md)\n- [Gone](gone.md)\n' >e/src/SUMMARY.md
"$SB" -C e build -q >out 2>err
grep -q "^src/SUMMARY.md:2:3: error: no chapter file 'gone.md' in src/" err &&
	pass "a missing chapter is an error in SUMMARY.md" || fail "missing chapter" "$(cat err)"
finish
