#!/bin/sh
# Folders (issue 18, section 4): chapters in sub-folders
# keep their place on the site with every URL made relative to it; a
# rebuild after a chapter moves leaves no stale page; links across folders
# are checked. Built from tests/golden/folders (see its expected/ for the
# whole output). STEPBOOK names the binary (default build/stepbook).
set -u
. "$(dirname "$0")/lib.sh"
TOP=$(pwd)
SB=${STEPBOOK:-$TOP/build/stepbook}
T=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
C() { curl --noproxy '*' -s --max-time 10 "$@"; }

# run DIR ARGS...: runs stepbook in DIR; $out (stderr and stdout), $rc.
run() {
	d=$1
	shift
	out=$("$SB" -C "$d" "$@" 2>&1)
	rc=$?
}

# has NAME FILE TEXT: passes when FILE holds TEXT (fixed string).
has() {
	if [ -f "$2" ] && grep -qF -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1" "no '$3' in $2"
	fi
}

# folders DIR: a copy of the golden book with chapters in folders.
folders() {
	rm -rf "$1"
	mkdir -p "$1"
	cp -r "$TOP/tests/golden/folders/content" "$1/content"
}

# --- folders: each chapter's page where its file is -------------------------
folders "$T/f"
run "$T/f" build
S=$T/f/output/site
[ "$rc" = 0 ] && pass "a book with chapters in folders builds" ||
	fail "folders build" "rc=$rc: $out"
[ -f "$S/guides/01-intro.html" ] && [ -f "$S/recipes/01-intro.html" ] &&
	[ -f "$S/01-intro.html" ] &&
	pass "two 01-intro.md in different folders: each its own page" ||
	fail "nested pages" "$(cd "$S" 2>/dev/null && find . -name '*.html')"
G=$S/guides/01-intro.html
has "a nested page's stylesheet is ../assets/" "$G" 'href="../assets/site.css"'
has "a nested page's scripts are ../assets/" "$G" 'src="../assets/search.js"'
has "a nested page finds the search index above it" "$G" \
	'data-index="../search-index.js"'
has "a nested page's sidebar links go up" "$G" 'href="../recipes/01-intro.html"'
has "an image beside the chapter stays beside it" "$G" 'src="map.png"'
has "an image in another folder goes up" "$G" 'src="../images/dot.png"'
has "a link to a chapter in the same folder" "$G" 'href="02-route.html"'
has "a link up to a heading of a top chapter" "$G" \
	'href="../01-intro.html#where-to-go"'
has "a top page links down into the folder" "$S/01-intro.html" \
	'href="guides/02-route.html#the-route"'
has "the index lists the nested page" "$S/index.html" \
	'href="guides/01-intro.html"'
has "the checklist links the nested page" "$S/checklist.html" \
	'href="recipes/01-intro.html'
has "the print page shows a nested chapter's own image" "$S/print.html" \
	'src="guides/map.png"'
has "the print page's ids tell the folders apart" "$S/print.html" \
	'id="recipes-01-intro"'
has "the search index names the nested page" "$S/search-index.js" \
	'"guides/01-intro.html"'
epub=$(ls "$T/f/output"/*.epub 2>/dev/null | head -n 1)
if [ -n "$epub" ] && unzip -Z1 "$epub" | grep -qx 'EPUB/guides-01-intro.xhtml' &&
	unzip -Z1 "$epub" | grep -qx 'EPUB/recipes-01-intro.xhtml' &&
	unzip -p "$epub" EPUB/toc.ncx | grep -qF 'src="guides-01-intro.xhtml"'; then
	pass "the EPUB has a document per chapter, named after its folders"
else
	fail "EPUB names" "$(unzip -Z1 "$epub" 2>&1)"
fi
if [ -f /usr/share/java/epubcheck.jar ] && command -v java >/dev/null; then
	eout=$(sh "$TOP/tests/tools/epubcheck.sh" "$epub" 2>&1) &&
		pass "epubcheck: the folders book, 0 errors, 0 warnings" ||
		fail "epubcheck folders" "$eout"
fi

# --- a base_url: the canonical URL and the sitemap keep the folders ---------
printf 'base_url: https://example.org/b\n' >>"$T/f/content/book.yml"
run "$T/f" build
has "the canonical URL of a nested page" "$G" \
	'<link rel="canonical" href="https://example.org/b/guides/01-intro.html">'
has "the sitemap lists the nested page" "$S/sitemap.xml" \
	'<loc>https://example.org/b/recipes/01-intro.html</loc>'

# --- a rebuild after a chapter moves: no stale page or folder ---------------
mkdir -p "$T/f/content/kitchen"
mv "$T/f/content/recipes/01-intro.md" "$T/f/content/kitchen/01-intro.md"
sed -i 's#recipes/01-intro.md#kitchen/01-intro.md#' "$T/f/content/book.yml" \
	"$T/f/content/01-intro.md" "$T/f/content/guides/01-intro.md"
run "$T/f" build
[ "$rc" = 0 ] && [ -f "$S/kitchen/01-intro.html" ] &&
	[ ! -e "$S/recipes/01-intro.html" ] && [ ! -e "$S/recipes" ] &&
	pass "a moved chapter: its old page and folder are gone" ||
	fail "stale nested page" "rc=$rc: $out; $(cd "$S" && find . -name '*.html')"
run "$T/f" build --out "$T/clean"
d=$(diff -r -x '.stepbook*' "$T/f/output" "$T/clean" 2>&1)
[ -z "$d" ] && pass "the rebuild is the same as a clean build" ||
	fail "rebuild vs clean" "$d"

# --- links across folders are checked ---------------------------------------
folders "$T/f"
sed -i 's/#where-to-go/#where-to-goo/' "$T/f/content/guides/01-intro.md"
run "$T/f" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF \
	"content/guides/01-intro.md:8:9: error: no heading 'where-to-goo' in '01-intro.md'; did you mean 'where-to-go'?" &&
	pass "a link up a folder to a missing heading: file:line:col, did you mean" ||
	fail "cross-folder heading" "rc=$rc: $out"
folders "$T/f"
sed -i 's#../recipes/01-intro.md#../recipe/01-intro.md#' "$T/f/content/guides/01-intro.md"
run "$T/f" check
[ "$rc" = 1 ] && printf '%s\n' "$out" | grep -qF \
	"error: no chapter 'recipe/01-intro.md'; did you mean 'recipes/01-intro.md'?" &&
	pass "a link to a missing chapter in another folder" ||
	fail "cross-folder chapter" "rc=$rc: $out"

# --- serve: the nested pages over HTTP --------------------------------------
folders "$T/s"
cd "$T/s" || exit 2
serve_start
if [ -n "$port" ]; then
	code=$(C -o "$T/page" -w '%{http_code}' "$U/guides/01-intro.html")
	[ "$code" = 200 ] && grep -qF 'href="../assets/site.css"' "$T/page" &&
		pass "serve: a nested page" || fail "serve nested" "HTTP $code"
	code=$(C -o /dev/null -w '%{http_code}' "$U/guides/map.png")
	[ "$code" = 200 ] && pass "serve: a file beside a nested chapter" ||
		fail "serve nested file" "HTTP $code"
	interrupt "serve stops"
else
	fail "serve" "did not start: $(cat serve.err)"
fi
cd "$TOP" || exit 2

finish
