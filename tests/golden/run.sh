#!/bin/sh
# Golden tests: each tests/golden/CASE/content (or, for an mdBook book,
# CASE/book.toml and CASE/src) is built (with a fixed
# SOURCE_DATE_EPOCH) and the pages and the EPUB's text files are compared
# byte for byte with tests/golden/CASE/expected/. After an intended change,
# UPDATE_GOLDEN=1 sh tests/golden/run.sh rewrites the expected files; review
# the diff before committing it.
set -u
. "$(dirname "$0")/../cli/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200

for dir in tests/golden/*/; do
	case=$(basename "$dir")
	[ -d "$dir/content" ] || [ -f "$dir/book.toml" ] || continue
	rm -rf "$T/$case"
	mkdir -p "$T/$case/got"
	if [ -f "$dir/book.toml" ]; then
		cp "$dir/book.toml" "$T/$case/book.toml"
		cp -r "$dir/src" "$T/$case/src"
	else
		cp -r "$dir/content" "$T/$case/content"
	fi
	if ! out=$("$SB" -C "$T/$case" build -q --out "$T/$case/out" 2>&1); then
		fail "$case builds" "$out"
		continue
	fi
	# what is compared: the pages (not the theme's assets) and the EPUB's
	# XML and CSS, unpacked
	(cd "$T/$case/out/site" && find . -name '*.html' | while read -r f; do
		mkdir -p "$T/$case/got/site/$(dirname "$f")"
		cp "$f" "$T/$case/got/site/$f"
	done)
	for e in "$T/$case/out"/*.epub; do
		[ -f "$e" ] || continue
		mkdir -p "$T/$case/got/epub"
		(cd "$T/$case/got/epub" && unzip -q "$e" &&
			find . -type f ! -name '*.xhtml' ! -name '*.opf' ! -name '*.ncx' \
				! -name '*.css' ! -name '*.xml' ! -name mimetype -delete &&
			find . -type d -empty -delete)
		unzip -Z1 "$e" >"$T/$case/got/epub-entries.txt"
	done
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		rm -rf "$dir/expected"
		cp -r "$T/$case/got" "$dir/expected"
		pass "$case (expected files rewritten)"
		continue
	fi
	if d=$(diff -ru "$dir/expected" "$T/$case/got" 2>&1); then
		pass "$case: site and EPUB match the expected files"
	else
		fail "$case" "output differs from expected:
$(printf '%s\n' "$d" | head -n 60)"
	fi
done
finish
