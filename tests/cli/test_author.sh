#!/bin/sh
# The author's day (issue 18): warnings for mistakes that build silently,
# --strict and `strict: true`, one error per mistake. Each check builds a
# small book with one mistake and looks for the one line it must give.
# STEPBOOK names the binary (default build/stepbook).
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# book DIR: a valid book of two chapters with no warnings, in DIR.
book() {
	rm -rf "$1"
	mkdir -p "$1/content/images"
	cat >"$1/content/book.yml" <<'YML'
title: Coffee
chapters:
  - 01-beans.md
  - 02-grind.md
YML
	cat >"$1/content/01-beans.md" <<'MD'
---
title: Beans
step: 1
---

## Choose

Pick fresh beans, then [grind them](02-grind.md).
MD
	cat >"$1/content/02-grind.md" <<'MD'
---
title: Grind
step: 2
---

## Burrs

Grind just before brewing.
MD
}

# run DIR ARGS...: runs stepbook in DIR; $out (stderr and stdout), $rc.
run() {
	d=$1
	shift
	out=$("$SB" -C "$d" "$@" 2>&1)
	rc=$?
}

# has NAME TEXT: passes when $out has a line holding TEXT (fixed string).
has() {
	if printf '%s\n' "$out" | grep -qF -- "$2"; then
		pass "$1"
	else
		fail "$1" "no '$2' in: $out"
	fi
}

# count NAME PATTERN N: passes when N lines of $out match PATTERN (ERE).
count() {
	n=$(printf '%s\n' "$out" | grep -cE -- "$2")
	[ "$n" = "$3" ] && pass "$1" || fail "$1" "$n lines match '$2', want $3: $out"
}

# warns NAME EXPECTED-LINE [CARET-LINE]: `check` of $T/b exits 0 and
# prints EXPECTED-LINE (and the source line under it, when given).
warns() {
	run "$T/b" check
	if [ "$rc" != 0 ]; then
		fail "$1" "exit status $rc: $out"
	elif ! printf '%s\n' "$out" | grep -qF -- "$2"; then
		fail "$1" "no '$2' in: $out"
	elif [ $# -ge 3 ] && ! printf '%s\n' "$out" | grep -A1 -F -- "$2" |
		tail -n 1 | grep -qF -- "$3"; then
		fail "$1" "no source line '$3' under the warning: $out"
	else
		pass "$1"
	fi
}

# --- a clean book gives no warning ------------------------------------------
book "$T/b"
run "$T/b" check --strict
[ "$rc" = 0 ] && ! printf '%s\n' "$out" | grep -q 'warning' &&
	pass "a clean book: no warning, --strict passes" || fail "clean book" "rc=$rc: $out"

# --- each silent mistake is a warning ---------------------------------------
book "$T/b"
printf 'langauge: fr\n' >>"$T/b/content/book.yml"
warns "unknown book.yml key" \
	"content/book.yml:5:1: warning: unknown key 'langauge' in book.yml; did you mean 'language'?" \
	"langauge: fr"

book "$T/b"
printf -- '---\ntitle: Brew\n---\n\nBrew it.\n' >"$T/b/content/03-brew.md"
warns "chapter file not listed" \
	"content/book.yml:2:1: warning: '03-brew.md' is not listed in 'chapters:', so it is left out of the book"

book "$T/b"
sed -i 's/^step: 1$/step: 1\nsummery: Pick them/' "$T/b/content/01-beans.md"
warns "near-miss front matter key" \
	"content/01-beans.md:4:1: warning: unknown front matter key 'summery'; did you mean 'summary'?" \
	"summery: Pick them"
book "$T/b"
sed -i 's/^step: 1$/step: 1\nroast: dark/' "$T/b/content/01-beans.md"
run "$T/b" check
[ "$rc" = 0 ] && ! printf '%s\n' "$out" | grep -q warning &&
	pass "other front matter keys stay silent (page.params)" || fail "params key" "$out"

book "$T/b"
printf '\nBeans[^burrr] matter.\n' >>"$T/b/content/01-beans.md"
warns "undefined footnote" \
	"content/01-beans.md:10:6: warning: footnote '[^burrr]' is not defined" \
	"Beans[^burrr] matter."

book "$T/b"
printf '\n> [!DANGER]\n> Hot water.\n' >>"$T/b/content/01-beans.md"
warns "unknown alert type" \
	"content/01-beans.md:10:3: warning: unknown alert type '[!DANGER]'" \
	"> [!DANGER]"

book "$T/b"
printf '\n> [!TIP] Grinder tip\n> Use burrs.\n' >>"$T/b/content/01-beans.md"
warns "title after the alert type" \
	"content/01-beans.md:10:3: warning: text after '[!TIP]' makes it a plain quote" \
	"> [!TIP] Grinder tip"

book "$T/b"
printf '\n```python {hl_lines="2-x"}\nprint(1)\n```\n' >>"$T/b/content/01-beans.md"
warns "a code block's line marks that are not lines" \
	"content/01-beans.md:10:22: warning: hl_lines: not a line or a range of lines (such as 3 or 2-5): '2-x'" \
	'```python {hl_lines="2-x"}'
book "$T/b"
printf '\n```sh {hl_lines=4}\nls\n```\n' >>"$T/b/content/01-beans.md"
warns "a code block's line mark past its end" \
	"content/01-beans.md:10:7: warning: hl_lines marks line 4, but the block has 1 line" \
	'```sh {hl_lines=4}'

book "$T/b"
printf '\n```Quiz\n? Why?\n- [x] Taste\n- [ ] Colour\n```\n' >>"$T/b/content/01-beans.md"
warns "a Quiz fence" \
	"content/01-beans.md:10:1: warning: code block 'Quiz' is not a quiz" \
	'```Quiz'
book "$T/b"
printf '\n```quizz\n? Why?\n- [x] Taste\n- [ ] Colour\n```\n' >>"$T/b/content/01-beans.md"
warns "a quizz fence" "content/01-beans.md:10:1: warning: code block 'quizz' is not a quiz"
book "$T/b"
printf '\n``` quiz\n? Why?\n- [x] Taste\n- [ ] Colour\n```\n' >>"$T/b/content/01-beans.md"
run "$T/b" build --no-epub
[ "$rc" = 0 ] && grep -q 'class="quiz' "$T/b/output/site/01-beans.html" &&
	pass "a '\`\`\` quiz' fence is a quiz" || fail "spaced quiz fence" "rc=$rc: $out"

book "$T/b"
printf 'x' >"$T/b/content/images/cup.png"
printf '\n![](images/cup.png)\n' >>"$T/b/content/01-beans.md"
warns "image without alt text" \
	"content/01-beans.md:10:1: warning: image without alt text" \
	"![](images/cup.png)"

book "$T/b"
printf '\n#### Deep\n' >>"$T/b/content/01-beans.md"
warns "skipped heading level" \
	"content/01-beans.md:10:1: warning: heading level 4 after level 2 skips a level: use level 3" \
	"#### Deep"

book "$T/b"
printf -- '---\ntitle: Grind\nstep: 2\n---\n' >"$T/b/content/02-grind.md"
warns "empty chapter" "content/02-grind.md:4:1: warning: empty chapter"

book "$T/b"
sed -i 's/^step: 2$/step: 1/' "$T/b/content/02-grind.md"
warns "duplicate step numbers" \
	"content/02-grind.md:3:1: warning: duplicate step 1: 'content/01-beans.md' is step 1 too" \
	"step: 1"

book "$T/b"
mkdir -p "$T/b/themes/default/templates"
cp themes/default/templates/chapter.mustache "$T/b/themes/default/templates/chaptr.mustache"
cp themes/default/templates/chapter.mustache "$T/b/themes/default/templates/my-footer.mustache"
warns "a misnamed template override" \
	"themes/default/templates/chaptr.mustache: warning: template 'chaptr.mustache' is no template of the theme, so nothing uses it; did you mean 'chapter.mustache'?"
count "... but a partial of the theme's own is not one" "my-footer" 0

book "$T/b"
mkdir -p "$T/b/themes/default/templates"
sed 's/{{page.minutes_read}}/{{page.minutez}}/; s|</article>|{{#page.toc}}{{texte}}{{/page.toc}}</article>|' \
	themes/default/templates/chapter.mustache >"$T/b/themes/default/templates/chapter.mustache"
warns "an unknown template variable" \
	"themes/default/templates/chapter.mustache:11:23: warning: no template variable 'page.minutez': it renders as nothing; did you mean 'page.minutes'?" \
	'<p class="meta"><span>{{page.minutez}}</span>'
count "... but not a section's own names" "texte" 0
grep -q '{{#page.toc}}{{texte}}' "$T/b/themes/default/templates/chapter.mustache" &&
	pass "... (which the template has)" || fail "texte" "sed did not apply"

# A template that fails on some pages only, in a book of 20 chapters: the
# pages are then rendered on every core, and each failing page's error is
# reported (once), the build fails and no output is made. Then the same
# book built whole, and the same failure in a rebuild: the output stays.
rm -rf "$T/many"
mkdir -p "$T/many/content" "$T/many/themes/default/templates"
{
	printf 'title: Many\nchapters:\n'
	for i in $(seq 1 20); do printf '  - c%02d.md\n' "$i"; done
} >"$T/many/content/book.yml"
for i in $(seq 1 20); do
	s=""
	[ $((i % 3)) = 0 ] && s="step: $((i / 3))"
	printf -- '---\ntitle: Chapter %s\n%s\n---\n\nText %s.\n' "$i" "$s" "$i" >"$T/many/content/c$(printf %02d "$i").md"
done
sed 's|</article>|{{#page.step}}{{>loop}}{{/page.step}}</article>|' \
	themes/default/templates/chapter.mustache >"$T/many/themes/default/templates/chapter.mustache"
printf '{{>loop}}' >"$T/many/themes/default/templates/loop.mustache"
run "$T/many" build
count "a template failing on 6 pages of 20: 6 errors" \
	"^themes/default/templates/loop.mustache:1:1: error: partial 'loop' nested deeper than 64 levels$" 6
[ "$rc" = 1 ] && [ ! -e "$T/many/output" ] && pass "... the build fails, with no output" ||
	fail "template failing on some pages" "rc=$rc: $(ls "$T/many")"
printf '{{page.title}}' >"$T/many/themes/default/templates/loop.mustache"
run "$T/many" build
[ "$rc" = 0 ] && [ "$(grep -c '<h1' "$T/many/output/site/c06.html")" -ge 1 ] &&
	grep -q '</h1>' "$T/many/output/site/c20.html" &&
	pass "... fixed: every page is made" || fail "fixed template" "rc=$rc: $out"
before=$(cd "$T/many/output" && find site -type f | sort | xargs md5sum)
printf '{{>loop}}' >"$T/many/themes/default/templates/loop.mustache"
run "$T/many" build
after=$(cd "$T/many/output" && find site -type f | sort | xargs md5sum)
[ "$rc" = 1 ] && [ "$before" = "$after" ] &&
	pass "... broken again: the rebuild fails, the site as it was" ||
	fail "template failing in a rebuild" "rc=$rc: $out"

# --- the summary, the cache, --strict ---------------------------------------
book "$T/b"
printf '\n#### Deep\n\n![](images/cup.png)\n' >>"$T/b/content/01-beans.md"
printf 'x' >"$T/b/content/images/cup.png"
run "$T/b" build --no-epub
[ "$rc" = 0 ] && pass "warnings: exit status 0" || fail "warnings exit 0" "rc=$rc: $out"
has "the summary counts the warnings" "2 warnings (--strict makes them errors)"
run "$T/b" build --no-epub
count "a rebuild from the cache warns again" ': warning: ' 2
count "... with the same source lines" '^  #### Deep$' 1
before=$(cd "$T/b" && find output -type f -exec md5sum {} + | sort)
run "$T/b" build --no-epub --strict
after=$(cd "$T/b" && find output -type f -exec md5sum {} + | sort)
[ "$rc" = 1 ] && [ "$before" = "$after" ] && pass "--strict: exit 1, output unchanged" ||
	fail "--strict" "rc=$rc: $out"
count "--strict: the warnings are errors" 'error: .*\[--strict\]$' 2
has "--strict: the error count" "stepbook: 2 errors;"
printf 'strict: true\n' >>"$T/b/content/book.yml"
run "$T/b" check
[ "$rc" = 1 ] && pass "strict: true in book.yml" || fail "strict: true" "rc=$rc: $out"
count "strict: true: the warnings are errors" 'error: .*\[--strict\]$' 2

# --- one mistake, one error -------------------------------------------------
book "$T/b"
mkdir -p "$T/b/content/serving"
printf -- '---\ntitle: Taste\n---\n\nSip.\n' >"$T/b/content/serving/04-taste.md"
printf '  - serving/04-taste.md\nauthor: "unclosed\n' >>"$T/b/content/book.yml"
printf '\nThen [taste](serving/04-taste.md).\n' >>"$T/b/content/02-grind.md"
run "$T/b" check
count "bad YAML in book.yml: one error" ': error: ' 1
has "... the YAML error, where the quote opens" "content/book.yml:6:9: error: invalid YAML: the quote that opens here is never closed"

book "$T/b"
sed -i 's/^title: Grind$/title: Step 2: Grind/' "$T/b/content/02-grind.md"
run "$T/b" check
count "title: Step 2: Grind: one error" ': error: ' 1
has "... that says to quote the value" "content/02-grind.md:2:14: error: invalid YAML: a value with ': ' in it must be quoted"

book "$T/b"
printf -- '---\ntitle: Brew\n---\n\nBrew it.\n' >"$T/b/content/03-brew.md"
printf '  - 03-brw.md\n' >>"$T/b/content/book.yml"
printf '\nThen [brew](03-brew.md).\n' >>"$T/b/content/02-grind.md"
run "$T/b" check
count "a typo in chapters: one error" ': error: ' 1
has "... suggesting the file not listed" \
	"content/book.yml:5:5: error: no chapter file '03-brw.md' in content/; did you mean '03-brew.md'?"
count "... and no warning for the file it suggests" ': warning: ' 0

book "$T/b"
printf -- '---\ntitle: Brew\n---\n\nBrew it.\n' >"$T/b/content/03-brew.md"
printf '\nThen [brew](03-brew.md).\n' >>"$T/b/content/02-grind.md"
run "$T/b" check
has "a link to a file left out of the book says why" \
	"content/02-grind.md:10:6: error: '03-brew.md' is not a chapter of the book: add it to 'chapters:' in book.yml"

book "$T/b"
cat >"$T/b/content/book.yml" <<'YML'
title: Coffee
chapters:
  - part: Basics
    chapters:
      - 01-beans.md
  - 02-grind.md
YML
run "$T/b" check --strict
[ "$rc" = 0 ] && pass "a Quarto-style part is a part (test_structure.sh)" || fail "Quarto-style part" "rc=$rc: $out"
count "... with no error or warning" ': (error|warning): ' 0

book "$T/b"
printf '
```quiz
Which bean?
- [x] Arabica
- [ ] Gravel
> Gravel is no bean.
```
' >>"$T/b/content/01-beans.md"
run "$T/b" check
count "a quiz question missing its '?': one error" ': error: ' 1
has "... at the question" "content/01-beans.md:11:1: error: quiz question without '?'"

book "$T/b"
printf 'x' >"$T/b/content/images/cup.png"
printf '\n![A cup](images/cpu.png)\n' >>"$T/b/content/01-beans.md"
run "$T/b" check
has "a missing image: did you mean" "content/01-beans.md:10:1: error: missing image 'images/cpu.png'; did you mean 'images/cup.png'?"
printf '%s\n' "$out" | grep -A1 -F "missing image" | grep -qF '![A cup](images/cpu.png)' &&
	pass "... with its source line" || fail "missing image source line" "$out"

# the cover: a missing one as a missing image, a broken one at its line
book "$T/b"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="90"/>\n' >"$T/b/content/images/cover.svg"
printf 'cover: images/covr.svg\n' >>"$T/b/content/book.yml"
run "$T/b" build
has "a missing cover: did you mean" "content/book.yml:5:8: error: missing cover 'images/covr.svg'; did you mean 'images/cover.svg'?"
printf '%s\n' "$out" | grep -A1 -F "missing cover" | grep -qF 'cover: images/covr.svg' &&
	pass "... with book.yml's line" || fail "missing cover source line" "$out"
printf '<svg xmlns="http://www.w3.org/2000/svg">\n  <rect></circle>\n</svg>\n' >"$T/b/content/images/cover.svg"
sed -i 's#images/covr.svg#images/cover.svg#' "$T/b/content/book.yml"
run "$T/b" build
[ "$rc" = 1 ] && pass "a cover that is no SVG fails the build" || fail "broken cover exit" "rc=$rc: $out"
has "... at its line and column" "content/images/cover.svg:2:18: error: cannot render the cover: Opening and ending tag mismatch"
printf '%s\n' "$out" | grep -A1 -F "cannot render the cover" | grep -qF '<rect></circle>' &&
	pass "... with the SVG's line" || fail "broken cover source line" "$out"
# drawn ahead, beside the site, and failing there too: said once
[ "$(printf '%s\n' "$out" | grep -c -F "cannot render the cover")" = 1 ] &&
	pass "... said once" || fail "broken cover said once" "$out"

# an error found in a chapter taken from the cache shows its line too
book "$T/b"
run "$T/b" build --no-epub
mv "$T/b/content/02-grind.md" "$T/b/content/02-mill.md"
sed -i 's/02-grind.md/02-mill.md/' "$T/b/content/book.yml"
run "$T/b" build --no-epub
has "a cached chapter's link error: the location" \
	"content/01-beans.md:8:24: error: no chapter '02-grind.md'; did you mean '02-mill.md'?"
printf '%s\n' "$out" | grep -A2 -F "no chapter '02-grind.md'" |
	grep -qF 'Pick fresh beans, then [grind them](02-grind.md).' &&
	pass "... and its source line" || fail "cached chapter source line" "$out"

# --- init, theme list, theme export -----------------------------------------
rm -rf "$T/new"
out=$("$SB" init "$T/new" 2>&1); rc=$?
[ "$rc" = 0 ] && [ -f "$T/new/content/book.yml" ] && pass "init writes a book" ||
	fail "init" "rc=$rc: $out"
for f in 01-introduction.md 02-first-step.md 03-second-step.md images/cup.svg; do
	[ -f "$T/new/content/$f" ] || fail "init: $f" "missing"
done
grep -q '^```quiz' "$T/new/content/02-first-step.md" &&
	grep -q '^- \[ \]' "$T/new/content/02-first-step.md" &&
	grep -q '^> \[!TIP\]' "$T/new/content/01-introduction.md" &&
	grep -q '](02-first-step.md)' "$T/new/content/01-introduction.md" &&
	grep -q '!\[A cup' "$T/new/content/01-introduction.md" &&
	pass "init: a quiz, task items, a callout, a cross-link, an image" ||
	fail "init: the format" "something is missing"
run "$T/new" build
[ "$rc" = 0 ] && ! printf '%s\n' "$out" | grep -q 'warning' &&
	[ -f "$T/new/output/site/02-first-step.html" ] &&
	[ -f "$T/new/output/my-first-guide.epub" ] &&
	pass "init then build: no warning" || fail "init then build" "rc=$rc: $out"
run "$T/new" check --strict
[ "$rc" = 0 ] && pass "init then check --strict" || fail "init then check --strict" "rc=$rc: $out"
id1=$(grep '^identifier:' "$T/new/content/book.yml")
"$SB" init "$T/new2" >/dev/null 2>&1
id2=$(grep '^identifier:' "$T/new2/content/book.yml")
printf '%s\n' "$id1" | grep -qE '^identifier: urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' &&
	[ "$id1" != "$id2" ] && pass "init: a fresh identifier for each book" ||
	fail "init identifier" "$id1 / $id2"
before=$(cd "$T/new" && find content -type f -exec md5sum {} + | sort)
out=$("$SB" init "$T/new" 2>&1); rc=$?
after=$(cd "$T/new" && find content -type f -exec md5sum {} + | sort)
[ "$rc" = 1 ] && [ "$before" = "$after" ] &&
	printf '%s\n' "$out" | grep -q 'content: error: not writing a new book here: it is not empty' &&
	pass "init refuses a non-empty content/" || fail "init refuses" "rc=$rc: $out"
out=$(cd "$T" && mkdir -p here && cd here && "$SB" init 2>&1); rc=$?
[ "$rc" = 0 ] && [ -f "$T/here/content/book.yml" ] && pass "init with no folder: the current one" ||
	fail "init ." "rc=$rc: $out"

out=$("$SB" theme list 2>&1); rc=$?
[ "$rc" = 0 ] && [ "$out" = "$(printf 'default\npaper')" ] && pass "theme list" ||
	fail "theme list" "rc=$rc: $out"
out=$("$SB" theme export default "$T/new/themes/mine" 2>&1); rc=$?
[ "$rc" = 0 ] && [ -f "$T/new/themes/mine/templates/chapter.mustache" ] &&
	cmp -s "$T/new/themes/mine/assets/site.css" themes/default/assets/site.css &&
	pass "theme export copies the theme's files" || fail "theme export" "rc=$rc: $out"
printf 'theme: mine\n' >>"$T/new/content/book.yml"
printf '\n/* mine */\n' >>"$T/new/themes/mine/assets/site.css"
run "$T/new" build --no-epub
[ "$rc" = 0 ] && grep -q '/\* mine \*/' "$T/new/output/site/assets/site.css" &&
	pass "an exported theme builds, with the author's edits" || fail "exported theme" "rc=$rc: $out"
out=$("$SB" theme export paper "$T/paper" 2>&1); rc=$?
[ "$rc" = 0 ] && [ "$(cat "$T/paper/parent")" = default ] &&
	pass "theme export keeps the parent file" || fail "export paper" "rc=$rc: $out"
out=$("$SB" theme export nope "$T/nope" 2>&1); rc=$?
[ "$rc" = 1 ] && [ ! -e "$T/nope" ] &&
	printf '%s\n' "$out" | grep -qF "no shipped theme 'nope' (the shipped themes: default, paper)" &&
	pass "theme export of an unknown theme" || fail "export nope" "rc=$rc: $out"
out=$("$SB" theme export default "$T/new/content" 2>&1); rc=$?
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q 'it is not empty' &&
	pass "theme export refuses a non-empty folder" || fail "export into non-empty" "rc=$rc: $out"

# --- extra_css, extra_js, edit_url -----------------------------------------
book "$T/b"
mkdir -p "$T/b/content/css"
printf 'body { color: red }\n' >"$T/b/content/css/mine.css"
printf 'void 0;\n' >"$T/b/content/mine.js"
cat >>"$T/b/content/book.yml" <<'YML'
edit_url: https://example.org/u/r/edit/main/content/{path}
extra_css: css/mine.css
extra_js:
  - mine.js
YML
run "$T/b" build --no-epub
p="$T/b/output/site/01-beans.html"
css_theme=$(grep -n 'href="assets/site.css"' "$p" | cut -d: -f1)
css_mine=$(grep -n 'href="css/mine.css"' "$p" | cut -d: -f1)
js_theme=$(grep -n 'src="assets/search.js"' "$p" | cut -d: -f1)
js_mine=$(grep -n 'src="mine.js"' "$p" | cut -d: -f1)
[ "$rc" = 0 ] && [ -n "$css_mine" ] && [ -n "$css_theme" ] && [ "$css_mine" -gt "$css_theme" ] &&
	[ -n "$js_mine" ] && [ -n "$js_theme" ] && [ "$js_mine" -gt "$js_theme" ] &&
	grep -q 'href="css/mine.css"' "$T/b/output/site/index.html" &&
	pass "extra_css and extra_js load after the theme's files" ||
	fail "extra_css/js" "rc=$rc css $css_theme<$css_mine js $js_theme<$js_mine: $out"
grep -qF '<a href="https://example.org/u/r/edit/main/content/01-beans.md" rel="nofollow">Edit this page</a>' "$p" &&
	grep -qF 'content/02-grind.md"' "$T/b/output/site/02-grind.html" &&
	! grep -q 'Edit this page' "$T/b/output/site/index.html" &&
	pass "edit_url: an 'Edit this page' link on every chapter" || fail "edit_url" "no link in $p"
sed -i 's|^extra_css: css/mine.css$|extra_css: css/mien.css|' "$T/b/content/book.yml"
run "$T/b" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "content/book.yml:6:1: error: no file 'css/mien.css' in content/ for 'extra_css'; did you mean 'css/mine.css'?" &&
	pass "extra_css naming a missing file" || fail "extra_css missing" "rc=$rc: $out"
book "$T/b"
printf 'edit_url: github.com/u/r/{path}\n' >>"$T/b/content/book.yml"
run "$T/b" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF "content/book.yml:5:11: error: invalid edit_url 'github.com/u/r/{path}'" &&
	pass "edit_url without a scheme" || fail "edit_url scheme" "rc=$rc: $out"

# --- the command line -------------------------------------------------------
out=$(cd "$T" && "$SB" build new 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF "did you mean 'stepbook -C new build'?" &&
	pass "build DIR: did you mean -C DIR" || fail "build DIR" "rc=$rc: $out"
out=$("$SB" -C "$T/new/content" check 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$out" | grep -qF "the book is the folder above it: stepbook -C $T/new/content/.. check" &&
	pass "-C book/content: the book is the folder above" || fail "-C content" "rc=$rc: $out"

# a busy port is found before anything is built, with a free one named
book "$T/s1"
book "$T/s2"
cd "$T/s1" || exit 1
serve_start
if [ -n "$port" ]; then
	out=$(cd "$T/s2" && "$SB" serve --port "$port" --no-epub 2>&1); rc=$?
	[ "$rc" = 1 ] && [ ! -e "$T/s2/output" ] &&
		printf '%s\n' "$out" | grep -qE "port $port on 127.0.0.1 is in use .*use --port [0-9]+, which is free, or --port 0" &&
		pass "serve on a busy port: said before building" || fail "busy port" "rc=$rc: $out"
	# clients that leave an event stream: no libmicrohttpd noise
	for _ in 1 2 3 4 5 6; do
		timeout 1 curl -sN "$U/__stepbook/events" >/dev/null 2>&1
	done
	touch "$T/s1/content/01-beans.md"
	sleep 3
	interrupt "the first server stops"
	n=$(grep -c 'Failed to send\|MHD_OPTION' serve.err)
	[ "$n" = 0 ] && pass "closed event streams leave the terminal quiet" ||
		fail "libmicrohttpd noise" "$(cat serve.err)"
else
	fail "busy port" "the first server did not start: $(cat serve.err)"
	kill "$PID" 2>/dev/null
fi
cd - >/dev/null || exit 1

finish
