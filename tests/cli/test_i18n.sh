#!/bin/sh
# Languages (issue 17): `language:` in book.yml and in a chapter's front
# matter is a BCP 47 tag; a language's name written instead is an error at
# its place with the tag it probably meant. The interface comes from the
# language's pack (plural forms included), a book's overrides win, a
# language without a pack is English with a warning naming the strings,
# and a right-to-left language gets dir="rtl".
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

# Language packs: the interface of a book is in its language.
# built NAME DIR: builds DIR (rc 0 expected, $out kept) or fails NAME.
built() {
	run "$2" build
	[ "$rc" = 0 ] || fail "$1" "build: rc=$rc: $out"
	[ "$rc" = 0 ]
}
# has NAME FILE TEXT: passes when FILE holds TEXT.
has() {
	grep -qF -- "$3" "$2" && pass "$1" || fail "$1" "no '$3' in $2"
}
tasks() {
	printf -- '---\ntitle: Grains\nstep: 2\n---\n\n## Choisir\n\n' >"$1/content/01-grains.md"
	i=0
	while [ $i -lt "$2" ]; do
		i=$((i + 1))
		printf -- '- [ ] Action %s\n' "$i" >>"$1/content/01-grains.md"
	done
}
book "$T/b" fr
tasks "$T/b" 5
if built "fr: builds" "$T/b"; then
	has "fr: the sidebar" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">Sommaire</h2>'
	has "fr: Step N of the guide" "$T/b/output/site/01-grains.html" '<p class="eyebrow">Étape 2 du guide</p>'
	has "fr: plural" "$T/b/output/site/01-grains.html" '>5 actions</span>'
	has "fr: 404" "$T/b/output/site/404.html" '<h1>Page introuvable</h1>'
	has "fr: the title in a string" "$T/b/output/site/checklist.html" 'content="Toutes les actions de Café en une liste, avec votre progression."'
	printf '%s\n' "$out" | grep -q 'warning' &&
		fail "fr: a full pack, no warning" "$out" || pass "fr: a full pack, no warning"
fi
for n in 1 2 5 22 25; do
	book "$T/b" pl
	tasks "$T/b" $n
	case $n in 1) want="$n zadanie" ;; 2 | 22) want="$n zadania" ;; *) want="$n zadań" ;; esac
	built "pl: builds" "$T/b" &&
		has "pl: $n actions" "$T/b/output/site/01-grains.html" ">$want</span>"
done
for n in 1 2 3 11 100; do
	book "$T/b" ar-EG
	tasks "$T/b" $n
	case $n in 1) want="مهمة واحدة" ;; 2) want="مهمتان" ;; 3) want="3 مهام" ;; *) want="$n مهمة" ;; esac
	built "ar: builds" "$T/b" &&
		has "ar: $n actions" "$T/b/output/site/01-grains.html" ">$want</span>"
done

# every shipped pack has every string: a book in its language builds
# without the fallback's warning
for f in i18n/*.yml; do
	tag=$(basename "$f" .yml)
	[ "$tag" = en ] && continue
	book "$T/b" "$tag"
	built "$tag: builds" "$T/b" || continue
	printf '%s\n' "$out" | grep -q 'warning' &&
		fail "$tag: the pack is whole" "$out" || pass "$tag: the pack is whole"
done

# the pack chosen: exact tag, then language and script, then language
book "$T/b" pt-BR
built "pt-BR: builds" "$T/b" &&
	has "pt-BR reads the pt pack" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">Sumário</h2>'
book "$T/b" zh-Hans-SG
built "zh-Hans-SG: builds" "$T/b" &&
	has "zh-Hans-SG reads zh-Hans" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">目录</h2>'
book "$T/b" zh-CN
built "zh-CN: builds" "$T/b" &&
	has "zh-CN reads zh-Hans" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">目录</h2>'
book "$T/b" zh-TW
if built "zh-TW: builds" "$T/b"; then
	has "zh-TW does not read zh-Hans" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">Contents</h2>'
	printf '%s\n' "$out" | grep -q "warning: no 'zh-TW' text for [0-9][0-9] interface strings ('skip_to_content', 'contents'," &&
		pass "zh-TW: the fallback is a warning" || fail "zh-TW: the fallback is a warning" "$out"
fi

# a language without a pack: English, and a warning naming the strings
book "$T/b" sw
if built "sw: builds" "$T/b"; then
	has "sw: English" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">Contents</h2>'
	printf '%s\n' "$out" | grep -q "^content/book.yml: warning: no 'sw' text for [0-9][0-9] interface strings ('skip_to_content', 'contents', 'search', .* and [0-9]* more): shown in English" &&
		pass "sw: a warning names the strings" || fail "sw: a warning names the strings" "$out"
fi
run "$T/b" build --strict
[ "$rc" = 1 ] && pass "sw: --strict fails" || fail "sw: --strict fails" "rc=$rc"

# overrides: content/i18n/<lang>.yml, then book.yml's strings:
book "$T/b" sw
mkdir -p "$T/b/content/i18n"
sed -n '/^actions:/d; s/^\([a-z0-9_]*\):.*/\1: "sw \1"/p' i18n/en.yml >"$T/b/content/i18n/sw.yml"
printf 'actions:\n  one: "kitendo {n}"\n  other: "vitendo {n}"\n' >>"$T/b/content/i18n/sw.yml"
tasks "$T/b" 3
if built "sw with i18n/sw.yml: builds" "$T/b"; then
	printf '%s\n' "$out" | grep -q 'warning' &&
		fail "sw with a whole override file: no warning" "$out" ||
		pass "sw with a whole override file: no warning"
	has "sw: the file's string" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">sw contents</h2>'
	has "sw: the file's plural" "$T/b/output/site/01-grains.html" '>vitendo 3</span>'
fi
grep -v '^contents:' "$T/b/content/i18n/sw.yml" >"$T/x" && mv "$T/x" "$T/b/content/i18n/sw.yml"
printf 'strings:\n  search: Tafuta\n  serach: x\n' >>"$T/b/content/book.yml"
if built "sw with a partial file: builds" "$T/b"; then
	printf '%s\n' "$out" | grep -q "warning: no 'sw' text for 1 interface string ('contents')" &&
		pass "a partial override file: the missing string named" || fail "a partial override file: the missing string named" "$out"
	printf '%s\n' "$out" | grep -q "^content/book.yml: warning: unknown string 'serach'" &&
		pass "an unknown string is a warning" || fail "an unknown string is a warning" "$out"
	has "book.yml's strings: win" "$T/b/output/site/01-grains.html" '<span>Tafuta</span>'
fi
book "$T/b" fr
printf 'strings:\n  contents: Table des matières\n' >>"$T/b/content/book.yml"
built "fr with strings: builds" "$T/b" &&
	has "fr: book.yml overrides the pack" "$T/b/output/site/01-grains.html" '<h2 class="sidebar-title">Table des matières</h2>'

# right to left
for tag in ar he fa ur az-Arab; do
	book "$T/b" "$tag"
	built "$tag: builds" "$T/b" &&
		has "$tag: dir=rtl" "$T/b/output/site/01-grains.html" "<html lang=\"$tag\" dir=\"rtl\""
done
# the EPUB of a right-to-left book: every document and the spine
book "$T/b" ar
printf -- '---\ntitle: Beans\nlanguage: en\n---\n\n> [!TIP]\n> Fresh.\n\n```quiz\n? Which?\n- [x] Fresh\n- [ ] Old\n```\n' >"$T/b/content/02-beans.md"
printf -- '\n```sh\nls -l\n```\n\nA note[^1].\n\n[^1]: Here.\n' >>"$T/b/content/01-grains.md"
if built "ar with an English chapter: builds" "$T/b"; then
	rm -rf "$T/x" && mkdir "$T/x" && (cd "$T/x" && unzip -q "$T"/b/output/*.epub)
	grep -q '<spine toc="ncx" page-progression-direction="rtl">' "$T"/x/EPUB/package.opf &&
		pass "ar EPUB: the spine is rtl" || fail "ar EPUB: the spine is rtl" "$(grep -o '<spine[^>]*>' "$T"/x/EPUB/package.opf)"
	n=0
	for f in "$T"/x/EPUB/*.xhtml; do
		case $f in */02-beans.xhtml) continue ;; esac
		grep -q '<html [^>]*lang="ar" xml:lang="ar" dir="rtl"' "$f" || { n=$((n + 1)); echo "not rtl: $f"; }
	done
	[ $n = 0 ] && pass "ar EPUB: every document is dir=rtl" || fail "ar EPUB: every document is dir=rtl" "$n documents"
	grep -q '<html [^>]*lang="en" xml:lang="en" dir="ltr"' "$T"/x/EPUB/02-beans.xhtml &&
		pass "ar EPUB: a chapter's own language" || fail "ar EPUB: a chapter's own language" "$(grep -o '<html[^>]*>' "$T"/x/EPUB/02-beans.xhtml)"
	has "ar site: a chapter's own language" "$T/b/output/site/02-beans.html" '<article class="chapter" lang="en" dir="ltr"'
	has "ar: the callout label" "$T/b/output/site/02-beans.html" 'aria-label="نصيحة"'
	has "ar: the quiz button" "$T/b/output/site/02-beans.html" '>تحقّق من الإجابات</button>'
	has "ar EPUB: the answers' title" "$T/x/EPUB/answers.xhtml" '<title>إجابات الاختبار</title>'
	has "ar EPUB: the landmarks" "$T/x/EPUB/nav.xhtml" '>معالم الكتاب</h2>'
	has "ar EPUB: code left to right" "$T/x/EPUB/01-grains.xhtml" '<pre dir="ltr"><code class="language-sh">'
	has "ar EPUB: a footnote's back link labelled in Arabic" "$T/x/EPUB/01-grains.xhtml" 'aria-label="العودة إلى النص"'
	has "ar site: a footnote's back link labelled in Arabic" "$T/b/output/site/01-grains.html" 'aria-label="العودة إلى النص"'
fi

# No English left: a book in French, Arabic and Japanese with every kind
# of thing stepbook adds (steps, actions, a quiz of both kinds, callouts,
# a footnote, cross-links and their backlinks) shows none of the English
# pack's strings in its site, its scripts or its EPUB.
full_book() {
	rm -rf "$1"
	mkdir -p "$1/content"
	printf 'title: Caf\303\251\nauthor: Anne\nlanguage: %s\nchapters:\n  - a.md\n  - b.md\n' "$2" >"$1/content/book.yml"
	printf -- '---\ntitle: Grains\nstep: 1\n---\n\n## Choisir\n\n- [ ] Moudre[^1]\n\n[^1]: Une note.\n\n> [!TIP]\n> Astuce.\n\n> [!NOTE]\n> Note.\n\n> [!IMPORTANT]\n> Important.\n\n> [!WARNING]\n> Chaud.\n\n> [!CAUTION]\n> Attention.\n\nVoir [la suite](b.md#verser).\n' >"$1/content/a.md"
	printf -- '---\ntitle: Eau\nstep: 2\n---\n\n## Verser\n\n- [x] Chauffer\n\n```quiz\n? Quelle eau ?\n- [x] Chaude\n- [ ] Froide\n\n? Et encore ?\n- [x] Oui\n- [x] Si\n- [ ] Non\n```\n\nRetour \303\240 [Grains](a.md).\n' >"$1/content/b.md"
}
for tag in fr ar ja; do
	full_book "$T/b" "$tag"
	if built "$tag: the whole book builds" "$T/b"; then
		rm -rf "$T/x" && mkdir "$T/x" && (cd "$T/x" && unzip -q "$T"/b/output/*.epub)
		found=$(node tests/tools/english_check.mjs i18n "$tag" "$T/b/content" "$T/b/output/site" "$T/x" 2>&1) &&
			pass "$tag: no English in the site, its scripts or the EPUB" ||
			fail "$tag: no English in the site, its scripts or the EPUB" "$found"
		# and the validators pass it: the Nu HTML checker, epubcheck
		[ "$tag" = fr ] && continue
		found=$(sh tests/tools/vnu.sh --werror "$T/b/output/site" 2>&1) &&
			pass "$tag: vnu, no error or warning" || fail "$tag: vnu, no error or warning" "$found"
		found=$(sh tests/tools/epubcheck.sh "$T"/b/output/*.epub 2>&1) &&
			pass "$tag: epubcheck, no error or warning" || fail "$tag: epubcheck, no error or warning" "$found"
	fi
done
# and the check finds what it looks for: the same book in English, checked
# as French, is full of it
full_book "$T/b" en
if built "en: the whole book builds" "$T/b"; then
	rm -rf "$T/x" && mkdir "$T/x" && (cd "$T/x" && unzip -q "$T"/b/output/*.epub)
	found=$(node tests/tools/english_check.mjs i18n fr "$T/b/content" "$T/b/output/site" "$T/x" 2>&1)
	for want in 'strings.js: "Not quite"' 'sw.js: "You are offline"' 'nav.xhtml: "Landmarks"' \
		'package.opf: "This publication' 'a.xhtml: "Referenced from"' 'b.html: "Check answers"' \
		'a.html: "Back to content"' 'a.xhtml: "Back to content"'; do
		printf '%s\n' "$found" | grep -qF -- "$want" &&
			pass "the English check finds $want" || fail "the English check finds $want" "$found"
	done
fi

book "$T/b" ar-Latn
built "ar-Latn: builds" "$T/b" && ! grep -q 'dir="rtl"' "$T/b/output/site/01-grains.html" &&
	pass "ar-Latn: left to right" || fail "ar-Latn: left to right" "dir=rtl"
book "$T/b" en
built "en: builds" "$T/b" && ! grep -q 'dir=' "$T/b/output/site/index.html" &&
	pass "en: no dir" || fail "en: no dir" "dir set"

finish
