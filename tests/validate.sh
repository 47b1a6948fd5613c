#!/bin/sh
# The real book in content/ built as a reader gets it, in both its
# languages, then checked by the real validators: the Nu HTML Checker on
# every page, epubcheck (0 errors, 0 warnings) and Ace by DAISY on each
# EPUB, epub.js opening each in Chromium with the table of contents in book
# order, and two builds byte-identical.
set -u
. "$(dirname "$0")/cli/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200

out=$("$SB" build --out "$T/a" 2>&1); rc=$?
[ $rc = 0 ] && pass "the book builds" || fail "the book builds" "$out"

out=$(sh tests/tools/vnu.sh "$T/a/site" 2>&1); rc=$?
printf '%s\n' "$out" | tail -n 1
[ $rc = 0 ] && pass "vnu: every page valid" || fail "vnu" "$out"

# the paper theme, with base_url (canonical links, Open Graph, sitemap)
mkdir -p "$T/paper"
cp -r content "$T/paper/content"
printf 'base_url: https://example.org/four-steps/\n' >>"$T/paper/content/book.yml"
out=$("$SB" -C "$T/paper" build -q --theme paper 2>&1) &&
	out=$(sh tests/tools/vnu.sh "$T/paper/output/site" 2>&1); rc=$?
printf '%s\n' "$out" | tail -n 1
[ $rc = 0 ] && [ -f "$T/paper/output/site/sitemap.xml" ] &&
	pass "vnu: every page valid in the paper theme with base_url" || fail "vnu paper" "$out"
out=$(sh tests/tools/epubcheck.sh "$T/paper/output"/*.epub 2>&1); rc=$?
[ $rc = 0 ] && pass "epubcheck: the paper theme's EPUB" || fail "epubcheck paper" "$out"

# highlighted code in every language (the golden book of issue 19), in
# both themes: the pages valid, the EPUB's XHTML too, no Ace violation
mkdir -p "$T/code"
cp -r tests/golden/code/content "$T/code/content"
for theme in default paper; do
	out=$("$SB" -C "$T/code" build -q --theme "$theme" --out "$T/code/$theme" 2>&1) &&
		out=$(sh tests/tools/vnu.sh "$T/code/$theme/site" 2>&1); rc=$?
	[ $rc = 0 ] && pass "vnu: highlighted code, $theme theme" || fail "vnu code $theme" "$out"
	out=$(sh tests/tools/epubcheck.sh "$T/code/$theme"/*.epub 2>&1); rc=$?
	[ $rc = 0 ] && pass "epubcheck: highlighted code, $theme theme" || fail "epubcheck code $theme" "$out"
	out=$(sh tests/tools/ace.sh "$T/code/$theme"/*.epub 2>&1); rc=$?
	[ $rc = 0 ] && pass "ace: highlighted code, $theme theme" || fail "ace code $theme" "$out"
done

# each language's EPUB (the book's and its Spanish edition's): epubcheck,
# Ace, byte-identical rebuilds, the zip's layout, and epub.js listing its
# chapters in its book.yml's order
"$SB" build -q --out "$T/b" 2>/dev/null
if diff -r "$T/a/site" "$T/b/site" >/dev/null; then
	pass "two builds give identical sites"
else
	fail "reproducible site" "$(diff -rq "$T/a/site" "$T/b/site")"
fi
n=0
for epub in "$T"/a/*.epub; do
	[ -f "$epub" ] || continue
	n=$((n + 1))
	name=$(basename "$epub")
	lang=$(unzip -p "$epub" EPUB/package.opf | sed -n 's/.*<dc:language>\([^<]*\)<.*/\1/p')
	yml=content/book.yml
	[ -f "content/$lang/book.yml" ] && yml=content/$lang/book.yml
	out=$(sh tests/tools/epubcheck.sh "$epub" 2>&1); rc=$?
	printf '%s\n' "$out" | tail -n 1
	[ $rc = 0 ] && pass "$lang: epubcheck: 0 errors, 0 warnings" || fail "$lang: epubcheck" "$out"

	out=$(sh tests/tools/ace.sh "$epub" 2>&1); rc=$?
	printf '%s\n' "$out" | tail -n 1
	[ $rc = 0 ] && pass "$lang: ace: no violations" || fail "$lang: ace" "$out"

	if cmp -s "$epub" "$T/b/$name"; then
		pass "$lang: two builds give byte-identical EPUBs ($(sha256sum "$epub" | cut -c1-16))"
	else
		fail "$lang: reproducible EPUB" "$(sha256sum "$epub" "$T/b/$name")"
	fi

	first=$(unzip -Z1 "$epub" | head -n 1)
	method=$(unzip -Zv "$epub" mimetype 2>/dev/null | grep -i 'compression method' | head -n 1)
	[ "$first" = mimetype ] && printf '%s' "$method" | grep -qi 'none (stored)' &&
		pass "$lang: mimetype first and stored" || fail "$lang: mimetype first and stored" "$first / $method"

	out=$(node tests/browser/epubjs.mjs "$epub" --chapter 3 --shot "${SHOTS:-$T}/epubjs-chapter-$lang.png" 2>&1); rc=$?
	if [ $rc = 0 ]; then
		want=$(grep -E '^  - ' "$yml" | sed 's/^  - //; s/\.md$//' | tr '\n' ' ')
		got=$(printf '%s' "$out" | node -e '
			let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
				const j = JSON.parse(s.slice(s.indexOf("{")));
				const seen = [];
				for (const t of j.toc) {
					const m = /([^/]+)\.xhtml/.exec(t.href);
					if (m && t.depth === 0 && !seen.includes(m[1])) seen.push(m[1]);
				}
				console.log(seen.join(" "));
			});')
		case " $got " in
		*" $(echo $want) "*) pass "$lang: epub.js lists the chapters in order" ;;
		*) fail "$lang: epub.js toc order" "want [$want] got [$got]" ;;
		esac
	else
		fail "$lang: epub.js opens the EPUB" "$out"
	fi
done
[ "$n" = 2 ] && pass "an EPUB for each language of the book" || fail "EPUBs" "$(ls "$T/a")"

# the Spanish edition shows no English: not in its pages, its scripts or
# its EPUB (the book's own words aside)
es_epub=$(ls "$T"/a/cuatro-pasos*.epub 2>/dev/null | head -n 1)
mkdir -p "$T/es-epub" && (cd "$T/es-epub" && unzip -q "$es_epub")
out=$(node tests/tools/english_check.mjs i18n es content/es "$T/a/site/es" "$T/es-epub" 2>&1) &&
	pass "es: no English in the Spanish edition's site, scripts or EPUB" || fail "es: English left" "$out"
finish
