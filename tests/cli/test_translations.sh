#!/bin/sh
# Books in several languages (issue 17, section 4): book.yml's
# `translations:` makes each content/<tag>/ a book of its own, published in
# site/<tag>/ with its own search index and EPUB; every page links to
# itself in each language (switcher and hreflang), the sitemap names the
# alternates, a chapter missing in one language is a warning, each
# language's cross-links are checked on their own, and a mistake in a
# translation fails the build with the previous output left as it was.
# STEPBOOK names the binary (default build/stepbook).
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
TOP=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200

# garden DIR: an English book translated into French (both chapters) and
# Arabic (the first only).
garden() {
	rm -rf "$1"
	mkdir -p "$1/content/fr" "$1/content/ar"
	cat >"$1/content/book.yml" <<'EOF'
title: Garden Basics
language: en
base_url: https://example.org/garden/
translations: [fr, ar]
chapters:
  - 01-soil.md
  - 02-water.md
EOF
	printf -- '---\nstep: 1\n---\n# Soil\n\nGood loam matters. See [water](02-water.md#how-much).\n\n- [ ] Test the soil\n' >"$1/content/01-soil.md"
	printf -- '---\nstep: 2\n---\n# Water\n\n## How much\n\nWater deeply, not often.\n' >"$1/content/02-water.md"
	cat >"$1/content/fr/book.yml" <<'EOF'
title: Les bases du jardin
language: fr
chapters:
  - 01-soil.md
  - 02-water.md
EOF
	printf -- '---\nstep: 1\n---\n# Le sol\n\nUn bon terreau compte. Voir [l’eau](02-water.md#combien).\n\n- [ ] Tester le sol\n' >"$1/content/fr/01-soil.md"
	printf -- '---\nstep: 2\n---\n# L’eau\n\n## Combien\n\nArrosez en profondeur, rarement.\n' >"$1/content/fr/02-water.md"
	cat >"$1/content/ar/book.yml" <<'EOF'
title: أساسيات الحديقة
language: ar
chapters:
  - 01-soil.md
EOF
	printf -- '---\nstep: 1\n---\n# التربة\n\nالتربة الجيدة مهمة.\n\n- [ ] افحص التربة\n' >"$1/content/ar/01-soil.md"
}

# run DIR ARGS...: stepbook in DIR; $out (both streams), $rc.
run() {
	d=$1
	shift
	out=$(cd "$d" && "$SB" "$@" 2>&1)
	rc=$?
}

has() { grep -qF -- "$2" "$1"; }

garden "$T/g"
run "$T/g" build
S=$T/g/output/site
[ $rc = 0 ] && pass "a book with two translations builds" || fail "builds" "$out"
printf '%s\n' "$out" | grep -qF "content/ar/book.yml:3:1: warning: chapter '02-water.md' of content/ is missing in 'ar'" &&
	pass "a chapter missing in a language is a warning at its book.yml, naming it" ||
	fail "missing chapter warning" "$out"
[ -f "$S/fr/01-soil.html" ] && [ -f "$S/fr/02-water.html" ] && [ -f "$S/ar/01-soil.html" ] &&
	[ ! -e "$S/ar/02-water.html" ] && [ -f "$S/fr/index.html" ] && [ -f "$S/fr/checklist.html" ] &&
	pass "each translation in site/<tag>/" || fail "site/<tag>/" "$(cd "$S" && find . | sort)"
[ -f "$T/g/output/les-bases-du-jardin.epub" ] && cmp -s "$T/g/output/les-bases-du-jardin.epub" "$S/fr/les-bases-du-jardin.epub" &&
	[ -f "$T/g/output/garden-basics.epub" ] && [ -f "$S/garden-basics.epub" ] &&
	pass "one EPUB per language, beside the site and in its folder" || fail "EPUBs" "$(ls "$T/g/output" "$S/fr")"
unzip -p "$T/g/output/les-bases-du-jardin.epub" EPUB/package.opf | grep -q '<dc:language>fr</dc:language>' &&
	pass "the French EPUB is in French" || fail "French EPUB language" "$(unzip -p "$T/g/output/les-bases-du-jardin.epub" EPUB/package.opf | head -20)"
# the translations' folders are theirs alone: not published again by the
# book, nor "not listed" to it
[ ! -e "$S/fr/book.yml" ] && ! printf '%s\n' "$out" | grep -q "not listed" &&
	pass "content/<tag>/ is not part of the book's own files" || fail "translation files leak" "$out"

# the switcher: the same chapter in each language, the index where a
# language lacks it, the page's own marked
has "$S/fr/01-soil.html" '<a href="../01-soil.html" hreflang="en" lang="en">English</a>' &&
	has "$S/fr/01-soil.html" '<a href="../fr/01-soil.html" hreflang="fr" lang="fr" aria-current="page">Français</a>' &&
	has "$S/fr/01-soil.html" '<a href="../ar/01-soil.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>' &&
	pass "the switcher links to the same chapter in each language" || fail "switcher" "$(grep -n hreflang "$S/fr/01-soil.html")"
has "$S/02-water.html" '<a href="ar/index.html" hreflang="ar"' &&
	pass "a language without the chapter: its index" || fail "switcher to index" "$(grep -n hreflang "$S/02-water.html")"
has "$S/fr/checklist.html" '<a href="../checklist.html" hreflang="en"' &&
	pass "other pages: the same page in each language" || fail "switcher checklist" "$(grep -n hreflang "$S/fr/checklist.html")"
grep -q 'class="language-list" aria-label="Langues"' "$S/fr/index.html" &&
	grep -q 'aria-label="Languages"' "$S/index.html" &&
	pass "the switcher is labelled in the page's language" || fail "switcher label" "$(grep -n language-list "$S/fr/index.html")"
# hreflang: absolute with base_url, none to a language lacking the page
has "$S/fr/01-soil.html" '<link rel="alternate" hreflang="ar" href="https://example.org/garden/ar/01-soil.html">' &&
	has "$S/fr/01-soil.html" '<link rel="canonical" href="https://example.org/garden/fr/01-soil.html">' &&
	! grep -q '<link rel="alternate" hreflang="ar"' "$S/02-water.html" &&
	pass "hreflang alternates, absolute, only where the page exists" || fail "hreflang" "$(grep -n 'rel=' "$S/02-water.html")"
grep -q 'data-language-home' "$S/index.html" && ! grep -q 'data-language-home' "$S/fr/index.html" &&
	pass "only the book's own index may send readers to their language" || fail "language home" ""
# the sitemap's alternates, and robots.txt naming each sitemap
xmllint --noout "$S/sitemap.xml" "$S/fr/sitemap.xml" 2>/dev/null &&
	has "$S/sitemap.xml" '<xhtml:link rel="alternate" hreflang="fr" href="https://example.org/garden/fr/02-water.html"/>' &&
	[ "$(grep -c 'hreflang="ar"' "$S/sitemap.xml")" = 3 ] &&
	pass "sitemap alternates (none to a missing page)" || fail "sitemap" "$(cat "$S/sitemap.xml")"
has "$S/robots.txt" 'Sitemap: https://example.org/garden/fr/sitemap.xml' && [ ! -e "$S/fr/robots.txt" ] &&
	pass "robots.txt at the top names each language's sitemap" || fail "robots" "$(cat "$S/robots.txt")"
# one search index per language, each of its own words
grep -q 'terreau' "$S/fr/search-index.js" && ! grep -q 'loam' "$S/fr/search-index.js" &&
	grep -q 'loam' "$S/search-index.js" && ! grep -q 'terreau' "$S/search-index.js" &&
	pass "each language has its own search index" || fail "search index" ""
has "$S/fr/strings.js" '"lang":"fr"' || has "$S/fr/strings.js" '"lang": "fr"'
[ $? = 0 ] && pass "each language's scripts speak it" || fail "strings.js" "$(head -c 200 "$S/fr/strings.js")"

# the validators, on every language
found=$(sh "$TOP/tests/tools/vnu.sh" --werror "$S" 2>&1) &&
	pass "vnu: every page of every language valid" || fail "vnu" "$found"
found=$(sh "$TOP/tests/tools/epubcheck.sh" "$T"/g/output/*.epub 2>&1) &&
	pass "epubcheck: every language's EPUB" || fail "epubcheck" "$found"

# a rebuild changes nothing; a clean build is byte for byte the same
run "$T/g" build
printf '%s\n' "$out" | grep -q '0 pages written' &&
	pass "a rebuild writes nothing" || fail "rebuild" "$out"
(cd "$T/g/output" && find . -path './.stepbook-*' -prune -o -type f -print | sort | xargs md5sum) >"$T/sum1"
rm -rf "$T/g/output"
run "$T/g" build
(cd "$T/g/output" && find . -path './.stepbook-*' -prune -o -type f -print | sort | xargs md5sum) >"$T/sum2"
cmp -s "$T/sum1" "$T/sum2" && pass "byte-identical rebuilds" || fail "identical" "$(diff "$T/sum1" "$T/sum2" | head)"
# each translation has its cache: a rebuild takes its EPUB's documents
# from the last one
run "$T/g" build -v
fr_epub=$(cd "$T/g/output" && for e in *.epub; do
	unzip -p "$e" EPUB/package.opf | grep -q '<dc:language>fr<' && echo "$e"; done)
[ -f "$T/g/output/.stepbook-cache-fr" ] && [ -n "$fr_epub" ] &&
	printf '%s\n' "$out" | grep -q "EPUB $fr_epub: 2 of 2 chapter documents taken from the last one" &&
	pass "a translation's rebuild uses its own cache" || fail "translation cache" "$fr_epub: $out"
# an edit in a translation reaches its pages, and only that chapter is
# made again: the same output as a clean build
printf '\nArrosez le soir.\n' >>"$T/g/content/fr/02-water.md"
run "$T/g" build -v
grep -q 'Arrosez le soir' "$S/fr/02-water.html" && ! grep -q 'Arrosez le soir' "$S/02-water.html" &&
	printf '%s\n' "$out" | grep -q "EPUB $fr_epub: 1 of 2 chapter documents taken from the last one" &&
	pass "an edited translation is rebuilt, that chapter alone" || fail "translation edit" "$out"
(cd "$T/g/output" && find . -path './.stepbook-*' -prune -o -type f -print | sort | xargs md5sum) >"$T/sum1"
mv "$T/g/output" "$T/g/output.inc"
run "$T/g" build
(cd "$T/g/output" && find . -path './.stepbook-*' -prune -o -type f -print | sort | xargs md5sum) >"$T/sum2"
cmp -s "$T/sum1" "$T/sum2" && pass "after an edit in a translation, the same output as a clean build" ||
	fail "same as clean" "$(diff "$T/sum1" "$T/sum2" | head)"
rm -rf "$T/g/output.inc"

# under --strict, the missing chapter fails the build
run "$T/g" build --strict
[ $rc != 0 ] && printf '%s\n' "$out" | grep -q "missing in 'ar'.*\[--strict\]" &&
	pass "--strict: a missing chapter is an error" || fail "strict" "$out"

# a broken cross-link in a translation: an error at its place, and the
# published output stays as it was
cp "$S/fr/01-soil.html" "$T/before.html"
printf -- '---\nstep: 1\n---\n# Le sol\n\nVoir [l’eau](02-water.md#nulle-part).\n' >"$T/g/content/fr/01-soil.md"
run "$T/g" build
[ $rc = 1 ] && printf '%s\n' "$out" | grep -q '^content/fr/01-soil.md:6:6: error' &&
	cmp -s "$T/before.html" "$S/fr/01-soil.html" &&
	pass "a translation's broken link: error at file:line:col, output intact" || fail "broken link" "$out"
run "$T/g" check
[ $rc = 1 ] && printf '%s\n' "$out" | grep -q '^content/fr/01-soil.md:6:6: error' &&
	pass "check finds it too" || fail "check" "$out"

# mistakes in the list of translations
garden "$T/e"
sed -i 's/^translations: .*/translations: [francais, de, en, fr, fr]/' "$T/e/content/book.yml"
run "$T/e" build
printf '%s\n' "$out" | grep -q "content/book.yml:4:15: error: invalid translation 'francais': not a BCP 47 tag.*did you mean 'fr'?" &&
	printf '%s\n' "$out" | grep -q "error: translation 'de' has no book: content/de/ needs a book.yml" &&
	printf '%s\n' "$out" | grep -q "error: translation 'en' is the book's own language" &&
	printf '%s\n' "$out" | grep -q "error: translation 'fr' listed twice" && [ $rc = 1 ] && [ ! -e "$T/e/output/site" ] &&
	pass "bad translations: each an error at book.yml's line, nothing written" || fail "bad list" "$out"
garden "$T/e"
sed -i 's/^language: fr/language: es/' "$T/e/content/fr/book.yml"
run "$T/e" build
printf '%s\n' "$out" | grep -q "content/fr/book.yml:2:11: error: this translation is in content/fr/, so its language must be 'fr', not 'es'" &&
	pass "a translation in the wrong language: error at its language line" || fail "wrong language" "$out"

# a translation dropped from the list: its folder leaves the site
garden "$T/d"
run "$T/d" build
sed -i 's/^translations: .*/translations: [fr]/' "$T/d/content/book.yml"
mv "$T/d/content/ar" "$T/ar-aside"
run "$T/d" build --strict
[ $rc = 0 ] && [ ! -e "$T/d/output/site/ar" ] && ! grep -q 'hreflang="ar"' "$T/d/output/site/01-soil.html" &&
	pass "a translation removed: its pages and links go" || fail "removed translation" "$out"

# killed after each step of its build, a book in three languages leaves
# either its old output or (past the commit point, once the next run has
# finished the commit) the new one: never a mix of languages
fp() { (cd "$1" && find . -path './.stepbook-*' -prune -o -type f -print | sort | xargs md5sum); }
garden "$T/k"
run "$T/k" build
printf '\nArrosez le soir.\n' >>"$T/k/content/fr/02-water.md"
sed -i 's/^# Water/# Watering/' "$T/k/content/02-water.md"
cp -r "$T/k" "$T/k-new" && run "$T/k-new" build && new=$(fp "$T/k-new/output")
cp -r "$T/k" "$T/k-old" && old=$(fp "$T/k-old/output")
n=1 points=0 bad=""
while [ $n -lt 400 ]; do
	rm -rf "$T/k" && cp -r "$T/k-old" "$T/k"
	(cd "$T/k" && STEPBOOK_TEST_KILL_AFTER=$n "$SB" build -q >/dev/null 2>&1)
	krc=$?
	[ $krc = 0 ] && break
	[ $krc = 137 ] || { bad="kill $n: exit $krc"; break; }
	points=$((points + 1))
	now=$(fp "$T/k/output")
	if [ "$now" != "$old" ] && [ "$now" != "$new" ]; then
		[ -e "$T/k/output/.stepbook-journal" ] || { bad="kill $n: a mix, and no journal"; break; }
	fi
	run "$T/k" build
	[ "$(fp "$T/k/output")" = "$new" ] || { bad="kill $n: the next build is not the new output"; break; }
	n=$((n + 1))
done
[ -z "$bad" ] && [ $points -gt 20 ] &&
	pass "killed at each of $points steps: old or new output, never a mix" || fail "kill" "${bad:-only $points kill points}"

# a book without translations has no switcher
rm -rf "$T/one" && mkdir -p "$T/one/content" && cp "$T/g/content/01-soil.md" "$T/g/content/02-water.md" "$T/one/content/" &&
	printf 'title: One\n' >"$T/one/content/book.yml"
run "$T/one" build
[ $rc = 0 ] && ! grep -q 'language-switch\|hreflang\|languages.css' "$T/one/output/site/01-soil.html" &&
	pass "one language: no switcher, no alternates" || fail "one language" "$out"

finish
