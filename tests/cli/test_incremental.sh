#!/bin/sh
# Incremental builds: after an edit only the outputs that depend on it are
# rewritten (compared by content and mtime), the result always equals a
# clean build byte for byte (site and EPUB), and the cache is a speed-up
# only: deleted, damaged or foreign, it changes nothing in the output.
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200

# the book in its own language: its translation's build is tested in
# test_translations.sh
cp -r content "$T/content"
rm -r "$T/content/es"
sed -i '/^translations:/d' "$T/content/book.yml"
cd "$T" || exit 1

# path mtime-in-ns md5, for every output file but the cache itself and
# the staging folder (where the build before the last left its site)
snapshot() {
	(cd output && find . -path ./.stepbook-stage -prune -o -type f \
		! -name '.stepbook-cache*' -printf '%p %T@ ' -exec md5sum {} \; |
		awk '{print $1, $2, $3}' | sort)
}
# the files whose mtime or bytes differ between two snapshots
changed() {
	printf '%s\n' "$1" >"$T/s1"
	printf '%s\n' "$2" >"$T/s2"
	diff "$T/s1" "$T/s2" | sed -n 's/^> \([^ ]*\) .*/\1/p' | sort -u | tr '\n' ' '
}
# builds a fresh copy of content/ elsewhere and compares it with output/
same_as_clean() {
	rm -rf "$T/clean"
	mkdir -p "$T/clean"
	cp -r content "$T/clean/content"
	(cd "$T/clean" && "$SB" build -q) &&
		diff -r -x '.stepbook-cache*' -x .stepbook-stage output "$T/clean/output" >"$T/diff" 2>&1
}

"$SB" build -q
[ -f output/.stepbook-cache ] && [ -f output/.stepbook-cache.pack ] && pass "the cache is written in output/" || fail "cache written" "no output/.stepbook-cache"
s0=$(snapshot)
sleep 1.1
"$SB" build -q
s1=$(snapshot)
got=$(changed "$s0" "$s1")
[ -z "$got" ] && pass "a rebuild with no change touches nothing" || fail "no-change rebuild" "changed: $got"

sleep 1.1
cp output/*.epub "$T/before-edit.epub"
sed -i 's/^It is normal to feel that everything is collapsing\./It is normal, at first, to feel that everything is collapsing./' content/02-accept.md
out=$("$SB" build -v 2>&1)
s2=$(snapshot)
printf '%s' "$out" | grep -q '^stepbook: EPUB: 5 of 6 chapter documents taken from the last one$' &&
	pass "a text edit converts only that chapter for the EPUB" ||
	fail "EPUB reuse" "$(printf '%s' "$out" | grep EPUB)"
# one stretch before the chapter and one after it, each copied in one go
printf '%s' "$out" | grep -q '^  patched output/site/print.html, 2 stretches copied$' &&
	printf '%s' "$out" | grep -q '^  patched output/site/search-index.js, 2 stretches copied$' &&
	pass "a text edit patches print.html and search-index.js" ||
	fail "patched files" "$(printf '%s' "$out" | grep -E 'print|search')"
got=$(changed "$s1" "$s2")
want="./four-steps-to-get-your-ex-back.epub ./site/02-accept.html ./site/four-steps-to-get-your-ex-back.epub ./site/print.html ./site/search-index.js ./site/sw.js "
[ "$got" = "$want" ] && pass "a text edit rewrites only its page, print, search, sw.js and the EPUB" ||
	fail "text edit" "changed: [$got] expected: [$want]"
same_as_clean && pass "after a text edit: identical to a clean build" || fail "text edit vs clean" "$(head -n 20 "$T/diff")"
# print.html changed behind the cache's back is made whole again
printf '<!-- by hand -->' >>output/site/print.html
sed -i 's/^It is normal, at first, to feel/It is normal, early on, to feel/' content/02-accept.md
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^  wrote output/site/print.html$' && same_as_clean &&
	pass "a print.html edited by hand is written whole" ||
	fail "print.html by hand" "$(printf '%s' "$out" | grep print) $(head -n 20 "$T/diff")"
sed -i 's/^It is normal, early on, to feel/It is normal, at first, to feel/' content/02-accept.md
"$SB" build -q

# an EPUB that is not the one the cache describes (here: the one from
# before the edit, put back) is not taken from
cp "$T/before-edit.epub" output/four-steps-to-get-your-ex-back.epub
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: EPUB: 0 of 6 chapter' && same_as_clean &&
	pass "an EPUB replaced behind the cache's back is converted afresh" ||
	fail "replaced EPUB" "$(printf '%s' "$out" | grep EPUB) $(head -n 20 "$T/diff")"
s2=$(snapshot)

sleep 1.1
sed -i 's/^title: .*/title: "Step 3: Radio silence, renamed"/' content/04-radio-silence.md
"$SB" build -q
s3=$(snapshot)
got=$(changed "$s2" "$s3")
missing=""
for f in 01-introduction 02-accept 03-avoid 04-radio-silence 05-reconnect 06-after; do
	case "$got" in *"./site/$f.html "*) ;; *) missing="$missing $f" ;; esac
done
[ -z "$missing" ] && pass "a title change rewrites every page whose sidebar shows it" ||
	fail "title change" "not rewritten:$missing"
same_as_clean && pass "after a title change: identical to a clean build" || fail "title vs clean" "$(head -n 20 "$T/diff")"

# the EPUB's whole-book documents follow what they list: a task item
# (checklist.xhtml) and a quiz explanation (answers.xhtml)
sleep 1.1
sed -i 's/^- \[ \] Decide today to stop pleading, calling and messaging$/- [ ] Decide today to stop pleading, calling and texting/' content/03-avoid.md
sed -i 's/^> A block is an answer\./> A block is their answer./' content/03-avoid.md
"$SB" build -q && same_as_clean && unzip -p output/*.epub EPUB/checklist.xhtml | grep -q 'calling and texting' &&
	unzip -p output/*.epub EPUB/answers.xhtml | grep -q 'A block is their answer' &&
	pass "a task and a quiz edit reach the EPUB's checklist and answers" ||
	fail "task and quiz edit" "$(head -n 20 "$T/diff")"
s3=$(snapshot)

# renaming a heading another chapter links to breaks that link: an error
# at the link, nothing written
sleep 1.1
sed -i 's/^## Why silence helps$/## Why the silence helps/' content/04-radio-silence.md
out=$("$SB" build 2>&1); rc=$?
s4=$(snapshot)
[ $rc = 1 ] && printf '%s' "$out" | grep -q "content/03-avoid.md:[0-9]*:[0-9]*: error: no heading 'why-silence-helps' in '04-radio-silence.md'; did you mean 'why-the-silence-helps'?" &&
	[ -z "$(changed "$s3" "$s4")" ] &&
	pass "renaming a linked heading fails the linking chapter, writes nothing" ||
	fail "renamed heading" "rc=$rc $out"
sed -i 's/^## Why the silence helps$/## Why silence helps {#why-silence-helps}/' content/04-radio-silence.md
"$SB" build -q && same_as_clean && pass "fixed with an explicit id: identical to a clean build" ||
	fail "explicit id" "$(head -n 20 "$T/diff")"

# a page lists the sections that link to it: renaming the heading above
# a link rewrites the pages it points to, though no sidebar changes
sleep 1.1
s4=$(snapshot)
sed -i 's/^## The four steps at a glance$/## The four steps, at a glance/' content/01-introduction.md
"$SB" build -q
s5=$(snapshot)
got=$(changed "$s4" "$s5")
missing=""
for f in 02-accept 03-avoid 04-radio-silence 05-reconnect 06-after; do
	case "$got" in *"./site/$f.html "*) ;; *) missing="$missing $f" ;; esac
done
[ -z "$missing" ] && same_as_clean && grep -q 'The four steps, at a glance' output/site/02-accept.html &&
	pass "a renamed heading above a link rewrites the pages it links to" ||
	fail "heading above a link" "not rewritten:$missing $(head -n 20 "$T/diff")"

# a page deleted by hand is made again, though its key did not change
rm output/site/03-avoid.html output/site/checklist.html
"$SB" build -q && same_as_clean && pass "pages deleted by hand are written again" ||
	fail "deleted page" "$(head -n 20 "$T/diff")"

# the cover image follows its SVG, and its name: a content file named
# cover.png that a chapter shows moves it to cover-2.png, and back
sleep 1.1
unzip -p output/*.epub EPUB/cover.png >"$T/cover-before.png"
sed -i 's/#1c2048/#2c3058/' content/images/cover.svg
"$SB" build -q && same_as_clean && unzip -p output/*.epub EPUB/cover.png >"$T/cover-after.png" &&
	! cmp -s "$T/cover-before.png" "$T/cover-after.png" &&
	pass "an edited SVG cover is rendered again; same as a clean build" ||
	fail "edited SVG cover" "$(head -n 20 "$T/diff")"
cp "$T/cover-before.png" content/cover.png
printf '\n![An old cover](cover.png)\n' >>content/06-after.md
"$SB" build -q && same_as_clean && unzip -p output/*.epub EPUB/package.opf |
	grep -q '<item id="cover-image" href="cover-2.png"' &&
	pass "a content file named cover.png moves the cover image to cover-2.png" ||
	fail "cover image named apart" "$(head -n 20 "$T/diff")"
rm content/cover.png
sed -i '/^!\[An old cover\](cover.png)$/d' content/06-after.md
"$SB" build -q && same_as_clean && unzip -p output/*.epub EPUB/cover.png | cmp -s - "$T/cover-after.png" &&
	pass "... and back to cover.png, the rendered cover, not the file that had that name" ||
	fail "cover image named back" "$(head -n 20 "$T/diff")"
# the cover's raster is kept in the cache: a build whose EPUB is gone
# takes it from there instead of drawing it again, unless it is damaged
rm output/*.epub
out=$("$SB" build -v 2>&1)
! printf '%s' "$out" | grep -q 'the cover image drawn' && same_as_clean &&
	pass "the EPUB deleted: the cover's raster is taken from the cache; same as a clean build" ||
	fail "cover from the cache" "$(printf '%s' "$out" | grep EPUB) $(head -n 20 "$T/diff")"
for at in $(LC_ALL=C grep -obUaP '\x89PNG' output/.stepbook-cache.pack | cut -d: -f1); do
	printf 'X' | dd of=output/.stepbook-cache.pack bs=1 seek=$((at + 200)) conv=notrunc 2>/dev/null
done
rm output/*.epub
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: EPUB: the cover image drawn from its SVG$' && same_as_clean &&
	pass "... and drawn again when the cache's copy is damaged; same as a clean build" ||
	fail "damaged cover in the cache" "$(printf '%s' "$out" | grep EPUB) $(head -n 20 "$T/diff")"
rm output/*.epub
out=$("$SB" build -v 2>&1)
! printf '%s' "$out" | grep -q 'the cover image drawn' && same_as_clean &&
	pass "... and the cache holds the new one after that" ||
	fail "cover kept again" "$(printf '%s' "$out" | grep EPUB) $(head -n 20 "$T/diff")"
# with no raster in the cache (a first build), it is drawn ahead, from
# the moment book.yml is read, beside the loading of the chapters
rm -rf output
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: EPUB: the cover image drawn from its SVG, beside the loading and the site$' &&
	same_as_clean &&
	pass "a first build draws the cover beside the loading and the site; same as a clean build" ||
	fail "cover drawn ahead" "$(printf '%s' "$out" | grep EPUB) $(head -n 20 "$T/diff")"
# a cache made for another world (here unsafe_html) holds a raster, which
# is only known not to be this build's after the loading: drawn ahead
# then, beside the site
printf 'unsafe_html: true\n' >>content/book.yml
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: EPUB: the cover image drawn from its SVG, beside the site$' &&
	same_as_clean &&
	pass "a cache of another world: the cover drawn ahead after the loading; same as a clean build" ||
	fail "cover drawn ahead after the loading" "$(printf '%s' "$out" | grep EPUB) $(head -n 20 "$T/diff")"
sed -i '/^unsafe_html: true$/d' content/book.yml
"$SB" build -q && same_as_clean && pass "... and back; same as a clean build" ||
	fail "unsafe_html back" "$(head -n 20 "$T/diff")"

# the pack grows by what each edit adds, and is rewritten with only the
# texts in use once most of it is stale: same output either way
shrunk=0 prev=$(stat -c %s output/.stepbook-cache.pack) i=0
while [ $i -lt 120 ] && [ $shrunk = 0 ]; do
	i=$((i + 1))
	printf '\nA line added by edit %s.\n' "$i" >>content/05-reconnect.md
	"$SB" build -q || break
	now=$(stat -c %s output/.stepbook-cache.pack)
	[ "$now" -lt "$prev" ] && shrunk=$i
	prev=$now
done
[ "$shrunk" != 0 ] && same_as_clean &&
	pass "the pack is rewritten when mostly stale (after $shrunk edits); same output" ||
	fail "pack compaction" "not after $i edits, size $prev; $(head -n 5 "$T/diff")"
printf '\nOne more line.\n' >>content/05-reconnect.md
"$SB" build -q && [ "$(stat -c %s output/.stepbook-cache.pack)" -gt "$prev" ] && same_as_clean &&
	pass "after a rewrite the pack is appended to again" ||
	fail "pack after rewrite" "$(head -n 5 "$T/diff")"

# the cache is only a speed-up
rm output/.stepbook-cache
"$SB" build -q && same_as_clean && pass "without the cache: same output" || fail "no cache" "$(head "$T/diff")"
head -c 200 output/.stepbook-cache >"$T/short" && cp "$T/short" output/.stepbook-cache
"$SB" build -q && same_as_clean && pass "with a truncated cache: same output" || fail "truncated cache" "$(head "$T/diff")"
size=$(stat -c %s output/.stepbook-cache)
dd if=/dev/urandom of=output/.stepbook-cache bs=1 count=64 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$SB" build -q && same_as_clean && pass "with a damaged cache: same output" || fail "damaged cache" "$(head "$T/diff")"
# one chapter's record damaged: that chapter alone is parsed again
at=$(grep -boa '03-avoid.md' output/.stepbook-cache | head -n 1 | cut -d: -f1)
printf 'ZZZZZZZZ' | dd of=output/.stepbook-cache bs=1 seek=$((at + 100)) conv=notrunc 2>/dev/null
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: EPUB: 5 of 6 chapter documents taken from the last one$' &&
	same_as_clean && pass "a damaged chapter record: that chapter parsed again; same output" ||
	fail "damaged record" "$(printf '%s' "$out" | grep EPUB:) $(head "$T/diff")"
# ... damaged in its last part (the EPUB's facts and the page keys), which
# is written after the chapters' records
size=$(stat -c %s output/.stepbook-cache)
dd if=/dev/urandom of=output/.stepbook-cache bs=1 count=16 seek=$((size - 40)) conv=notrunc 2>/dev/null
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: EPUB: 0 of 6 chapter documents taken from the last one$' &&
	same_as_clean && pass "a cache damaged at its end is not used; same output" ||
	fail "cache damaged at its end" "$(printf '%s' "$out" | grep EPUB:) $(head "$T/diff")"
size=$(stat -c %s output/.stepbook-cache.pack)
dd if=/dev/urandom of=output/.stepbook-cache.pack bs=1 count=64 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$SB" build -q && same_as_clean && pass "with a damaged pack: same output" || fail "damaged pack" "$(head "$T/diff")"
rm output/.stepbook-cache.pack
"$SB" build -q && same_as_clean && pass "without the pack: same output" || fail "no pack" "$(head "$T/diff")"
sed -i '1s/^stepbook cache [0-9]*/stepbook cache 0/' output/.stepbook-cache
grep -aq '^stepbook cache 0$' output/.stepbook-cache || fail "foreign cache" "the format line was not changed"
"$SB" build -q && same_as_clean && pass "with a cache of another format: same output" || fail "foreign cache" "$(head "$T/diff")"
printf 'unsafe_html: true\n' >>content/book.yml
"$SB" build -q && same_as_clean && pass "after changing unsafe_html: same as a clean build" || fail "unsafe_html change" "$(head "$T/diff")"

# a deleted chapter's outputs are removed
sed -i '/06-after.md/d' content/book.yml
sed -i 's/(06-after.md#[^)]*)/(05-reconnect.md)/g' content/*.md
rm content/06-after.md
"$SB" build -q
[ ! -e output/site/06-after.html ] && same_as_clean &&
	pass "a deleted chapter's page is removed; same as a clean build" ||
	fail "deleted chapter" "$(ls output/site | tr '\n' ' ') $(head "$T/diff")"

# a pack damaged in place with its times put back (a disk, or a tool
# that writes without changing the size or mtime): every text read from
# the pack is checked against its hash, and a damaged one makes the build
# start over without the cache. Here every copy of a sentence of 03-avoid
# is damaged, and a title changed elsewhere has every page made again
# from the pack's bodies.
"$SB" build -q
pack=output/.stepbook-cache.pack
mt=$(stat -c %.9Y "$pack")
for at in $(grep -boa 'The most common mistake is emotional overflow' "$pack" | cut -d: -f1); do
	printf 'XX' | dd of="$pack" bs=1 seek=$((at + 1)) conv=notrunc 2>/dev/null
done
touch -d "@$mt" "$pack"
grep -aq 'TXX most common' "$pack" || fail "damaged pack, time restored" "the sentence is not in the pack"
sed -i 's/^title: .*/title: "Step 1: Accept the breakup, first"/' content/02-accept.md
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q "^stepbook: the cache's pack is damaged; building without it$" &&
	same_as_clean && grep -q 'The most common mistake is emotional overflow' output/site/03-avoid.html &&
	pass "a pack damaged in place, its time put back: the damage is found, the build is a clean build's" ||
	fail "pack damaged in place" "$(printf '%s' "$out" | grep -i damaged) $(head "$T/diff")"

# a chapter edited in place, its size and mtime put back: its ctime
# changed, so its bytes are read again
f=content/05-reconnect.md
mt=$(stat -c %.9Y "$f")
at=$(grep -bo 'Reconnect' "$f" | head -n 1 | cut -d: -f1)
printf 'REC' | dd of="$f" bs=1 seek="$at" conv=notrunc 2>/dev/null
touch -d "@$mt" "$f"
"$SB" build -q && same_as_clean && grep -q 'REConnect' output/site/05-reconnect.html &&
	pass "an edit that keeps a chapter's size and mtime is seen (ctime)" ||
	fail "edit keeping size and mtime" "$(head "$T/diff")"

# the EPUB is in the site too, the same file; a renamed book's old EPUB
# goes from both places
epub=four-steps-to-get-your-ex-back.epub
[ output/site/$epub -ef output/$epub ] && pass "the EPUB is in the site, the same file as output/$epub" ||
	fail "EPUB in the site" "$(ls -i output/$epub output/site/$epub 2>&1)"
sed -i 's/^title: .*/title: A Book Renamed/' content/book.yml
"$SB" build -q && [ ! -e output/$epub ] && [ ! -e output/site/$epub ] &&
	[ output/site/a-book-renamed.epub -ef output/a-book-renamed.epub ] && same_as_clean &&
	pass "a renamed book's old EPUB is removed, from output/ and the site" ||
	fail "renamed book" "$(ls output output/site | tr '\n' ' ') $(head "$T/diff")"
# --no-epub: no page offers an EPUB, and the site holds none (the one
# beside it stays); then built with it again, as a clean build
"$SB" build -q --no-epub && ! grep -l '\.epub"' output/site/*.html >/dev/null &&
	[ -z "$(ls output/site | grep '\.epub$')" ] && [ -f output/a-book-renamed.epub ] &&
	pass "--no-epub: no page links an EPUB, the site holds none" ||
	fail "--no-epub" "$(grep -l '\.epub"' output/site/*.html) $(ls output/site | grep epub)"
"$SB" build -q && grep -q 'href="a-book-renamed.epub" download' output/site/index.html && same_as_clean &&
	pass "built with the EPUB again: same as a clean build" || fail "EPUB again" "$(head "$T/diff")"

# a stale file whose name holds a newline goes like any other
nl=$(printf 'new\nline.txt')
printf 'x\n' >"content/$nl"
"$SB" build -q && [ -f "output/site/$nl" ] && rm "content/$nl" && "$SB" build -q &&
	[ ! -e "output/site/$nl" ] && [ -z "$(ls output/site | grep -e '^new$' -e '^line.txt$')" ] && same_as_clean &&
	pass "a file whose name holds a newline is removed once gone from content/" ||
	fail "newline in a name" "$(ls output/site | tr '\n' '|') $(head "$T/diff")"

# A rebuild that parses a tenth of the chapters or fewer writes the EPUB
# beside the site, on a thread of its own; a clean build of more than 16
# chapters writes one after the other. Both give a clean build's bytes.
# With more than 100 chapters, the search index comes in parts of 100:
# an edit patches the part that holds the chapter, not the others.
mkdir -p "$T/many/content"
{
	printf 'title: Many chapters\nauthor: Test\nlanguage: en\n'
	printf 'identifier: urn:uuid:0b5f0d1c-8a43-4f55-9d53-3f5b7c1d2e40\n'
	printf 'chapters:\n'
} >"$T/many/content/book.yml"
i=1
while [ $i -le 130 ]; do
	n=$(printf '%03d' $i)
	printf '  - c%s.md\n' "$n" >>"$T/many/content/book.yml"
	printf -- '---\ntitle: Chapter %s\n---\n\n## Part %s\n\n- [ ] Task %s\n\nSee [the first](c001.md#part-001).\n' \
		"$n" "$n" "$n" >"$T/many/content/c$n.md"
	i=$((i + 1))
done
cd "$T/many" || exit 1
out=$("$SB" build -v 2>&1)
case $out in
*"(beside the site)"*) fail "clean build of 130 chapters" "EPUB beside the site" ;;
*"EPUB written"*) pass "a clean build of 130 chapters writes the site, then the EPUB" ;;
*) fail "clean build of 130 chapters" "$out" ;;
esac
[ -f output/site/search-index-2.js ] && [ ! -e output/site/search-index-3.js ] &&
	grep -q '"parts":\["search-index-2.js"\]' output/site/search-index.js &&
	pass "130 chapters: the search index in two parts" ||
	fail "search index parts" "$(ls output/site | grep search)"
printf '\nOne more line.\n' >>content/c017.md
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q ' ms EPUB (beside the site), ' &&
	printf '%s' "$out" | grep -q '^stepbook: EPUB: 129 of 130 chapter documents taken from the last one$' &&
	same_as_clean &&
	pass "a one-chapter rebuild writes the EPUB beside the site; same as a clean build" ||
	fail "EPUB beside the site" "$(printf '%s' "$out" | grep EPUB) $(head "$T/diff")"
printf '%s' "$out" | grep -q '^  patched output/site/search-index.js, 2 stretches copied$' &&
	! printf '%s' "$out" | grep -q 'search-index-2.js' &&
	pass "an edit in the first 100 chapters patches the first part of the index" ||
	fail "first part" "$(printf '%s' "$out" | grep search)"
printf '\nOne more line.\n' >>content/c120.md
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^  patched output/site/search-index-2.js, 2 stretches copied$' &&
	! printf '%s' "$out" | grep -q 'search-index.js' && same_as_clean &&
	pass "an edit in chapter 120 patches the second part only; same as a clean build" ||
	fail "second part" "$(printf '%s' "$out" | grep search) $(head "$T/diff")"
# code is highlighted ahead of the chapters' parsing, language by
# language (highlight_ahead.h), but only the code of the chapters parsed
# now: a rebuild highlights the edited chapter's blocks alone
mkdir -p "$T/code/content"
cd "$T/code" || exit 1
printf 'title: Code\nchapters:\n  - a.md\n  - b.md\n  - c.md\n' >content/book.yml
printf '# A\n\n```python\nx = 1\n```\n\n1. Then:\n\n   ```sh\n   echo hi\n   ```\n' >content/a.md
printf '# B\n\n```c\nint x;\n```\n\n> ```js\n> let y = 2;\n> ```\n\n```text\nplain\n```\n' >content/b.md
# no code the scan finds: parsed without waiting for the others'
printf '# C\n\n> ```py\n> z = 3\n> ```\n' >content/c.md
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: code blocks highlighted: 5 (3 ahead of their chapters)$' &&
	grep -q '<span class="k">let</span>' output/site/b.html &&
	grep -q '<span class="nv">z</span>' output/site/c.html && same_as_clean &&
	pass "a first build highlights the code ahead, the block quotes' with their chapters; same as a clean build" ||
	fail "code ahead" "$(printf '%s' "$out" | grep code) $(head "$T/diff")"
printf '\n```go\npackage main\n```\n' >>content/a.md
out=$("$SB" build -v 2>&1)
printf '%s' "$out" | grep -q '^stepbook: code blocks highlighted: 3 (3 ahead of their chapters)$' &&
	same_as_clean &&
	pass "a rebuild highlights the edited chapter's code alone; same as a clean build" ||
	fail "code ahead, rebuild" "$(printf '%s' "$out" | grep code) $(head "$T/diff")"
# a block's markup is kept apart from its chapter's texts, which hold a
# placeholder of it (xform_code.h): an edit that keeps the markup's
# length changes the markup alone, and each output follows
sed -i 's/^x = 1$/x = 7/' content/a.md
"$SB" build -q &&
	grep -q '<span class="m">7</span>' output/site/a.html &&
	grep -q '<span class="m">7</span>' output/site/print.html &&
	unzip -p output/code.epub EPUB/a.xhtml | grep -q '<span class="m">7</span>' &&
	same_as_clean &&
	pass "an edit of code alone, the markup as long, reaches the page, the print page and the EPUB" ||
	fail "code edit" "$(grep -o 'class="m">[0-9]*' output/site/a.html) $(head "$T/diff")"
finish
