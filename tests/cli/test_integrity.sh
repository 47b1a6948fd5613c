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

# run CMD...: runs CMD (at most 20 s: a build that loops or waits on a
# FIFO is stopped), sets $rc and $out
run() {
	out=$(timeout 20 "$@" 2>&1)
	rc=$?
}
# run_validator CMD...: the same for a validator (Java's start alone can
# take more than 20 s on a loaded machine)
run_validator() {
	out=$(timeout 600 "$@" 2>&1)
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

# --- nothing from outside the book is published ------------------------------
mkdir -p "$T/secret"
printf 'root:x:0:0:the secret\n' >"$T/secret/passwd"
printf 'host-secret\n' >"$T/secret/hostname"
printf 'dir-secret\n' >"$T/secret/inside.txt"

book "$B"
rm "$B/content/images/x.png"
ln -s "$T/secret/passwd" "$B/content/images/x.png"
ln -s "$T/secret/hostname" "$B/content/h.txt"
ln -s "$T/secret" "$B/content/outdir"
run "$SB" -C "$B" build
expect "a symlinked image leading out of content/ is an error at the link" 1 \
	"content/images/x.png: error: 'images/x.png' is a symlink that leads outside content/ (to '$T/secret/passwd')"
expect "... and at the reference, with the source line" 1 \
	"content/a.md:7:1: error: image 'images/x.png' is a symlink that leads outside content/"
expect "an unreferenced symlinked file leading out is an error" 1 \
	"content/h.txt: error: 'h.txt' is a symlink that leads outside content/"
expect "a symlinked folder leading out is an error" 1 \
	"content/outdir: error: 'outdir' is a symlink that leads outside content/"
if grep -rqs -e 'the secret' -e host-secret -e dir-secret "$B/output"; then
	fail "no secret in the output" "$(grep -rl -e secret "$B/output")"
else
	pass "no secret in the output"
fi
run "$SB" -C "$B" check
expect "check reports it too" 1 "'images/x.png' is a symlink that leads outside content/"

# a reference into a folder that leads out
book "$B"
ln -s "$T/secret" "$B/content/outdir"
printf '\n[read](outdir/inside.txt)\n' >>"$B/content/b.md"
run "$SB" -C "$B" build
expect "a link into a symlinked folder leading out names the folder" 1 \
	"content/b.md:9:1: error: link 'outdir/inside.txt' is in 'outdir', which is a symlink that leads outside content/"

# the build's own environment, through /proc
book "$B"
ln -s /proc/self/environ "$B/content/env.txt"
printf '\n[env](env.txt)\n' >>"$B/content/b.md"
STEPBOOK_TEST_SECRET=env-secret-value run "$SB" -C "$B" build
expect "/proc/self/environ through a symlink is refused" 1 \
	"content/env.txt: error: 'env.txt' is a symlink that leads outside content/"
grep -rqs env-secret-value "$B/output" && fail "the environment stays out" "published" ||
	pass "the environment stays out"

# a symlink that stays inside content/ is fine, and published
book "$B"
ln -s images/x.png "$B/content/logo.png"
printf '\n![logo](logo.png)\n' >>"$B/content/b.md"
run "$SB" -C "$B" build -q
expect "a symlink inside content/ builds" 0 ""
cmp -s "$B/output/site/logo.png" "$B/content/images/x.png" &&
	pass "... and is published with its target's bytes" || fail "inside symlink published" "$(ls -l "$B/output/site")"

# a book's theme: a symlink leading out of the theme folder
book "$B"
mkdir -p "$B/themes/default/assets"
ln -s "$T/secret/passwd" "$B/themes/default/assets/extra.css"
run "$SB" -C "$B" build
expect "a theme file leading out of the theme folder is an error" 1 \
	"themes/default/assets/extra.css: error: 'assets/extra.css' is a symlink that leads outside themes/default/"
grep -rqs 'the secret' "$B/output" && fail "no theme secret in the output" "published" ||
	pass "no theme secret in the output"

# FIFOs are never opened for reading: as the cover, as a linked file
book "$B"
mkfifo "$B/content/cover.png"
printf 'cover: cover.png\n' >>"$B/content/book.yml"
run "$SB" -C "$B" build
expect "a FIFO as the cover is an error, at once" 1 \
	"content/book.yml:5:8: error: cover 'cover.png' is not a regular file"
book "$B"
mkfifo "$B/content/pipe.txt"
printf '\n[pipe](pipe.txt)\n' >>"$B/content/b.md"
run "$SB" -C "$B" build
expect "a link to a FIFO is an error, at once" 1 \
	"content/b.md:9:1: error: link 'pipe.txt' is not a regular file"

# loops: each folder is walked once
book "$B"
ln -s . "$B/content/loop"
ln -s ../content "$B/content/up"
run "$SB" -C "$B" build
expect "'ln -s . content/loop' is an error" 1 \
	"content/loop: error: 'loop' is a symlink loop: it leads back to 'content/'"
expect "'ln -s ../content content/up' is an error" 1 \
	"content/up: error: 'up' is a symlink loop: it leads back to 'content/'"
[ ! -e "$B/output/site/loop" ] && pass "no nested copies" || fail "no nested copies" "$(find "$B/output" | wc -l) files"
book "$B"
i=0
while [ $i -lt 24 ]; do
	d=$(printf 'd%02d' $i)
	n=$(printf 'd%02d' $((i + 1)))
	mkdir -p "$B/content/$d"
	printf '%s' "$i" >"$B/content/$d/f.txt"
	if [ $i -lt 23 ]; then
		ln -s "../$n" "$B/content/$d/l1"
		ln -s "../$n" "$B/content/$d/l2"
	fi
	i=$((i + 1))
done
start=$(date +%s)
run "$SB" -C "$B" check
end=$(date +%s)
expect "two links to each of 24 nested folders: an error, not 2^24 paths" 1 \
	"content/d00/l1: error: 'd00/l1' is a symlink to the folder 'content/d01/', which is published under that name already"
[ $((end - start)) -lt 5 ] && pass "... found in $((end - start)) s" || fail "linked folders walked once" "$((end - start)) s"

# --- a book file with the name of a file stepbook writes --------------------
collide() {
	name=$1
	file=$2
	want=$3
	book "$B"
	printf 'base_url: https://example.org/\n' >>"$B/content/book.yml"
	run "$SB" -C "$B" build -q
	before=$(snap "$B")
	mkdir -p "$(dirname "$B/content/$file")"
	printf 'mine\n' >"$B/content/$file"
	run "$SB" -C "$B" build
	after=$(snap "$B")
	if [ "$before" != "$after" ]; then
		fail "$name: a rebuild" "output/ changed"
	else
		expect "$name: an error in a rebuild" 1 "content/$file: error: $want"
	fi
	rm -rf "$B/output"
	run "$SB" -C "$B" build
	expect "$name: the same error in a clean build" 1 "content/$file: error: $want"
	[ ! -e "$B/output/site" ] || fail "$name: a clean build writes nothing" "$(ls "$B/output")"
	run "$SB" -C "$B" check
	expect "$name: the same error in check" 1 "content/$file: error: $want"
}
collide "content/index.html" index.html "file 'index.html' has the name of a page stepbook writes: rename it"
collide "content/a.html beside a.md" a.html "file 'a.html' has the name of the page of chapter 'content/a.md': rename it"
collide "content/assets/site.js" assets/site.js "file 'assets/site.js' has the name of the theme's 'themes/default/assets/site.js': rename it"
collide "the EPUB's name" p.epub "file 'p.epub' has the name of the book's EPUB: rename it"
collide "sitemap.xml" sitemap.xml "file 'sitemap.xml' has the name of the sitemap stepbook writes: rename it"
collide "sw.js" sw.js "file 'sw.js' has the name of the service worker stepbook writes: rename it"
collide "404.html" 404.html "file '404.html' has the name of a page stepbook writes: rename it"
collide "a folder named like a page" checklist.html/x.png "folder 'checklist.html' has the name of a page stepbook writes: rename it"
collide "a file named like the assets folder" assets "file 'assets' has the name of a folder of the site"

# --- everything that can be known before writing is checked before writing --
book "$B"
run "$SB" -C "$B" build -q
before=$(snap "$B")
title=$(printf 'Word %.0s' $(seq 1 60))
sed -i "s/^title: .*/title: $title/" "$B/content/book.yml"
run "$SB" -C "$B" check
expect "a title too long for the EPUB's name: check finds it" 1 \
	"content/book.yml:1:8: error: title too long for the EPUB's file name"
run "$SB" -C "$B" build
expect "... and build, before writing" 1 "content/book.yml:1:8: error: title too long for the EPUB's file name"
[ "$before" = "$(snap "$B")" ] && pass "... which writes nothing" || fail "too long EPUB name writes nothing" "output/ changed"

book "$B"
long=$(printf 'x%.0s' $(seq 1 230))
printf 'PNG' >"$B/content/images/$long.png"
run "$SB" -C "$B" check
expect "a file name too long for the site (with room for temporaries)" 1 \
	"content/images/$long.png: error: file name too long for the site"
book "$B"
slug=$(printf 's%.0s' $(seq 1 240))
printf -- "---\ntitle: B\nslug: $slug\n---\n\nx\n" >"$B/content/b.md"
run "$SB" -C "$B" check
expect "a slug too long for a page name" 1 "content/b.md:1:1: error: page name '"
book "$B"
# 20 folders of 200 bytes, then the output folder: 4,030 bytes from the
# book's folder, which fits PATH_MAX, but its site's files do not
deep=$(printf "%0200d/" 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
(cd "$B" && mkdir -p "$deep")
run "$SB" -C "$B" check --out "${deep}outputxyz"
expect "an output folder too deep for PATH_MAX" 1 "error: output folder too deep: '"

# --- clean and --out cannot destroy sources ----------------------------------
book "$B"
mkdir -p "$B/themes/default/templates"
printf '{{<base}}{{$main}}own{{/main}}{{/base}}\n' >"$B/themes/default/templates/404.mustache"
sources() { (cd "$B" && find content themes -type f -exec md5sum {} + | sort); }
src=$(sources)
run "$SB" -C "$B" clean --out content
expect "clean --out content: a usage error" 2 "output folder 'content' is inside content/, the book's sources"
[ "$src" = "$(sources)" ] && pass "... and content/ is intact" || fail "clean --out content" "sources changed"
run "$SB" -C "$B" clean --out .
expect "clean --out .: a usage error" 2 "output folder '.' is the book's own folder"
[ "$src" = "$(sources)" ] && pass "... and the book is intact" || fail "clean --out ." "sources changed"
run "$SB" -C "$B" build --out content
expect "build --out content: a usage error" 2 "output folder 'content' is inside content/"
run "$SB" -C "$B" build --out content/images/out
expect "build --out inside content/" 2 "is inside content/, the book's sources"
run "$SB" -C "$B" build --out themes/default/out
expect "build --out inside a theme folder" 2 "is inside themes/, the book's themes"
run "$SB" -C "$B" serve --port 0 --out themes
expect "serve --out themes" 2 "output folder 'themes' is inside themes/"
run "$SB" -C "$B" build --out ..
expect "build --out holding the book" 2 "output folder '..' holds the book's sources"
ln -s content "$B/src"
run "$SB" -C "$B" build --out src/out
expect "build --out into content/ through a symlink" 2 "output folder 'src/out' is inside content/"
[ "$src" = "$(sources)" ] && [ ! -e "$B/output" ] && [ ! -e "$B/content/site" ] &&
	pass "nothing written by any of them" || fail "refused --out writes nothing" "$(ls "$B" "$B/content")"
mkdir "$B/notes"
printf 'my notes\n' >"$B/notes/todo.txt"
run "$SB" -C "$B" clean --out notes
expect "clean of a folder stepbook did not write: exit 2" 2 \
	"'notes' is not an output folder of stepbook (it has no .stepbook-output): nothing removed"
[ -f "$B/notes/todo.txt" ] && pass "... and nothing is removed" || fail "clean of notes" "removed"
run "$SB" -C "$B" build -q
[ -f "$B/output/.stepbook-output" ] && pass "a build marks its output folder" || fail "output marker" "$(ls -A "$B/output")"
run "$SB" -C "$B" clean
expect "clean removes a folder a build wrote" 0 ""
[ ! -e "$B/output" ] && pass "... all of it" || fail "clean" "$(ls -A "$B/output")"
run "$SB" -C "$B" build -q
rm "$B/output/.stepbook-output"
run "$SB" -C "$B" clean -q
[ "$rc" = 0 ] && [ ! -e "$B/output" ] && pass "clean removes an older build's folder (its cache marks it)" ||
	fail "clean of an older output" "rc=$rc $out"

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


# links and images in a quiz: checked and rewritten as in prose
book "$B"
cp "$TOP/tests/golden/features/content/images/dot.png" "$B/content/images/x.png"
cat >>"$B/content/a.md" <<'MD'

```quiz
? Where is [it](nope.md) and ![pic](images/none.png)?
- [x] In [b](b.md#nope)
- [ ] At [nowhere](#nowhere)
> See [there](b.md#real).
```
MD
run "$SB" -C "$B" build
expect "quiz: a link to a missing chapter" 1 "content/a.md:10:12: error: no chapter 'nope.md'"
expect "quiz: a missing image" 1 "content/a.md:10:30: error: missing image 'images/none.png'"
expect "quiz: a missing heading" 1 "content/a.md:11:10: error: no heading 'nope' in 'b.md'; did you mean 'real'?"
expect "quiz: a missing #id" 1 "content/a.md:12:10: error: no heading 'nowhere' in 'a.md'"
sed -i 's/(nope.md)/(b.md)/; s/none.png/x.png/; s/#nope)/#real)/; s/#nowhere/#start/' "$B/content/a.md"
run "$SB" -C "$B" build -q
expect "quiz: good links build" 0 ""
page=$(cat "$B/output/site/a.html")
for want in 'href="b.html"' 'src="images/x.png"' 'href="b.html#real"' 'href="a.html#start"'; do
	printf '%s' "$page" | grep -qF "$want" || fail "quiz links on the site" "no $want"
done
printf '%s' "$page" | grep -q 'href="[^"]*\.md' && fail "quiz links on the site" "a .md href left" ||
	pass "quiz links are rewritten on the site"
unzip -p "$B/output/p.epub" EPUB/a.xhtml EPUB/answers.xhtml >"$T/x.xhtml"
grep -qF 'href="b.xhtml#real"' "$T/x.xhtml" && grep -qF 'href="a.xhtml#start"' "$T/x.xhtml" &&
	grep -qF 'src="images/x.png"' "$T/x.xhtml" && ! grep -q 'href="[^"]*\.md' "$T/x.xhtml" &&
	pass "quiz links are rewritten in the EPUB, answers included" ||
	fail "quiz links in the EPUB" "$(grep -o 'href="[^"]*"' "$T/x.xhtml")"
run_validator sh "$TOP/tests/tools/epubcheck.sh" "$B/output/p.epub"
expect "quiz links: epubcheck passes" 0 "0 errors, 0 warnings"

# file names that need escaping in a URL: linkable, encoded in both outputs
book "$B"
for n in x 'my file' 'a#b' 'c%d' 'q?x' 'p(1)'; do
	cp "$TOP/tests/golden/features/content/images/dot.png" "$B/content/images/$n.png"
done
printf 'text\n' >"$B/content/my notes.txt"
cat >>"$B/content/b.md" <<'MD'

![s](images/my%20file.png) ![s2](<images/my file.png>) ![h](images/a%23b.png)
![p](images/c%25d.png) ![q](images/q%3Fx.png) ![r](images/p(1).png)
[notes](<my notes.txt>) [again](my%20notes.txt#top)
MD
run "$SB" -C "$B" build -q
expect "file names with ' ', '#', '%', '?' are linkable" 0 ""
page=$(cat "$B/output/site/b.html")
ok=1
for want in 'src="images/my%20file.png" alt="s"' 'src="images/my%20file.png" alt="s2"' \
	'src="images/a%23b.png"' 'src="images/c%25d.png"' 'src="images/q%3Fx.png"' \
	'src="images/p(1).png"' 'href="my%20notes.txt">notes' 'href="my%20notes.txt">again'; do
	printf '%s' "$page" | grep -qF "$want" || { ok=0; fail "percent-encoded hrefs on the site" "no $want"; }
done
[ $ok = 1 ] && pass "percent-encoded hrefs on the site"
[ -f "$B/output/site/images/a#b.png" ] && [ -f "$B/output/site/images/q?x.png" ] &&
	pass "... to the files under their own names" || fail "files published" "$(ls "$B/output/site/images")"
grep -qF '"images/a%23b.png"' "$B/output/site/sw.js" && grep -qF '"my%20notes.txt"' "$B/output/site/sw.js" &&
	pass "the service worker lists them as URLs" || fail "sw.js names" "$(head -c 900 "$B/output/site/sw.js")"
srcs=$(unzip -p "$B/output/p.epub" EPUB/b.xhtml | grep -o 'src="images/[^"]*"' | tr '\n' ' ')
names=$(unzip -Z1 "$B/output/p.epub" | grep '^EPUB/images/' | tr '\n' ' ')
missing=""
for src in $srcs; do
	f=$(printf '%s' "$src" | sed 's/^src="//; s/"$//' | sed 's/%25/%/g; s/%20/ /g')
	printf '%s' "$names" | grep -qF "EPUB/$f" || missing="$missing $f"
done
[ -n "$srcs" ] && [ -z "$missing" ] && ! unzip -Z1 "$B/output/p.epub" | grep -q '[ ?#]' &&
	pass "the EPUB carries them under names OCF allows, and links to them" ||
	fail "EPUB file names" "srcs: $srcs names: $names missing:$missing"
run_validator sh "$TOP/tests/tools/epubcheck.sh" "$B/output/p.epub"
expect "such names: epubcheck passes" 0 "0 errors, 0 warnings"
# --- a chapter's text cannot take a piece of a code block's markup -------------
# the texts hold a placeholder of each block's markup (xform_code.h):
# U+E008, its offset and length in the chapter's markup, U+E009
book "$B"
o=$(printf '\356\200\210') c=$(printf '\356\200\211')
printf -- '---\ntitle: A\n---\n\n## Start\n\n```python\nx = 1\n```\n\nForged: %s0.7%s, %s5.9%s.\n' \
	"$o" "$c" "$o" "$c" >"$B/content/a.md"
run "$SB" -C "$B" build -q
forged="Forged: ${o}0.7${c}, ${o}5.9${c}."
[ "$rc" = 0 ] && grep -qF "$forged" "$B/output/site/a.html" &&
	[ "$(grep -c '<pre' "$B/output/site/a.html")" = 1 ] &&
	unzip -p "$B/output/p.epub" EPUB/a.xhtml | grep -qF "$forged" &&
	unzip -p "$B/output/p.epub" EPUB/a.xhtml | xmllint --noout - &&
	pass "placeholders forged in the text stay text, in both outputs" ||
	fail "forged code placeholders" "$out $(grep -F 'Forged' "$B/output/site/a.html")"
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
