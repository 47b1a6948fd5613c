#!/bin/sh
# The EPUB through calibre's ebook-convert, the converter readers use for
# Kindle (AZW3) and for print (PDF):
#
#   sh tests/epub/calibre.sh
#
# Builds content/ with both themes, as it is (its own SVG cover) and without
# `cover:` (the theme's cover template), and for each EPUB:
#   - converts it to AZW3 and to PDF, with no error;
#   - page 1 of the PDF is the cover: mostly non-white, and the EPUB's own
#     cover image (tests/tools/pixels.mjs: the same picture at 40 x 64, and
#     far from the other EPUB's cover, so that the comparison tells covers
#     apart). The cover image is a raster: its title is pixels, not text
#     pdftotext could find (test_cover shows the title is drawn in it);
#   - page 2 is the title page (it holds the book's description): the
#     cover took one page, with nothing split or blank after it;
#   - the AZW3's cover (ebook-meta --get-cover) is the EPUB's cover image.
# Page 1 of each PDF goes to ${SHOTS:-/tmp/stepbook-shots} as a PNG, to
# look at. Ends with "N passed, N failed".
set -u
. "$(dirname "$0")/../cli/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SHOTS=${SHOTS:-/tmp/stepbook-shots}
mkdir -p "$SHOTS"
export SOURCE_DATE_EPOCH=1764115200
# calibre draws PDF pages with Qt WebEngine: no display here, and no
# sandbox for root
export QT_QPA_PLATFORM=offscreen
[ "$(id -u)" = 0 ] && export QTWEBENGINE_DISABLE_SANDBOX=1

for tool in ebook-convert ebook-meta pdftotext pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ fail "$tool is installed" "run: sh .ci/deps test"; finish; }
done
# (the title page alone shows the description)
description=$(sed -n 's/^description: *//p' content/book.yml | cut -c1-40)
[ -n "$description" ] || { fail "content/book.yml has a description" ""; finish; }

# pixels IMAGE REFERENCE KEY: a number of pixels.mjs's answer ("none"
# when an image cannot be read)
pixels() {
	node tests/tools/pixels.mjs "$1" "$2" 2>/dev/null |
		node -e 'let s = ""; process.stdin.on("data", (d) => s += d)
			.on("end", () => { try { console.log(JSON.parse(s)[process.argv[1]]); }
				catch { console.log("none"); } })' "$3"
}
# below X LIMIT: whether X < LIMIT
below() {
	node -e 'const [a, b] = process.argv.slice(1).map(Number);
		process.exit(a < b ? 0 : 1)' "$1" "$2"
}

for theme in default paper; do
	for kind in own template; do
		name=$theme-$kind
		dir=$T/$name
		mkdir -p "$dir"
		cp -r content "$dir/content"
		# the book in its own language: one EPUB
		rm -r "$dir/content/es"
		sed -i '/^translations:/d' "$dir/content/book.yml"
		[ $kind = template ] && sed -i '/^cover:/d' "$dir/content/book.yml"
		if ! out=$("$SB" -C "$dir" build -q --no-site --theme $theme 2>&1); then
			fail "$name: the book builds" "$out"
			continue
		fi
		epub=$(ls "$dir"/output/*.epub)
		mkdir -p "$dir/epub"
		(cd "$dir/epub" && unzip -q "$epub")
		# the cover image, as the package names it
		cover=$dir/epub/EPUB/$(sed -n 's/.*<item id="cover-image" href="\([^"]*\)".*/\1/p' \
			"$dir/epub/EPUB/package.opf")

		if out=$(ebook-convert "$epub" "$dir/book.azw3" 2>&1) && [ -s "$dir/book.azw3" ]; then
			pass "$name: calibre converts it to AZW3"
		else
			fail "$name: ebook-convert to AZW3" "$(printf '%s\n' "$out" | tail -n 15)"
		fi
		if ebook-meta "$dir/book.azw3" --get-cover="$dir/azw3-cover.jpg" >/dev/null 2>&1 &&
			d=$(pixels "$dir/azw3-cover.jpg" "$cover" difference) && below "$d" 0.05; then
			pass "$name: the AZW3's cover is the EPUB's cover image (difference $d)"
		else
			fail "$name: the AZW3's cover" "difference ${d:-none}"
		fi

		if out=$(ebook-convert "$epub" "$dir/book.pdf" 2>&1) && [ -s "$dir/book.pdf" ]; then
			pass "$name: calibre converts it to PDF ($(pdfinfo "$dir/book.pdf" | sed -n 's/^Pages: *//p') pages)"
		else
			fail "$name: ebook-convert to PDF" "$(printf '%s\n' "$out" | tail -n 15)"
			continue
		fi
		pdftoppm -f 1 -l 1 -r 50 -png -singlefile "$dir/book.pdf" "$dir/page1"
		cp "$dir/page1.png" "$SHOTS/calibre-$name-page1.png"
		ink=$(pixels "$dir/page1.png" "$cover" nonwhite)
		d=$(pixels "$dir/page1.png" "$cover" difference)
		if below 0.5 "$ink" && below "$d" 0.05; then
			pass "$name: page 1 is the cover ($ink non-white, difference $d)"
		else
			fail "$name: page 1 is the cover" "non-white $ink, difference from the cover image $d"
		fi
		eval "cover_$theme$kind=\$cover page1_$theme$kind=\$dir/page1.png"
		page2=$(pdftotext -f 2 -l 2 "$dir/book.pdf" - | tr '\n' ' ' | tr -s ' ')
		case $page2 in
		*"$description"*) pass "$name: page 2 is the title page" ;;
		*) fail "$name: page 2 is the title page" "page 2: $(printf '%s' "$page2" | cut -c1-200)" ;;
		esac
	done
	# the comparison tells covers apart: page 1 of one is far from the
	# other's cover image
	eval "a=\${page1_${theme}own:-} b=\${cover_${theme}template:-}"
	if [ -n "$a" ] && [ -n "$b" ]; then
		d=$(pixels "$a" "$b" difference)
		below 0.1 "$d" && pass "$theme: another cover does not pass for this one (difference $d)" ||
			fail "$theme: covers told apart" "difference $d"
	fi
done
finish
