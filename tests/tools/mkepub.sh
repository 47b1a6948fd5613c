#!/bin/sh
# Zips an unpacked EPUB directory the way the spec wants: "mimetype" first,
# stored (not compressed), no extra fields; then everything else.
#
#   sh tests/tools/mkepub.sh SRC_DIR OUT.epub [OVERLAY_DIR...]
#
# Each OVERLAY_DIR is copied over SRC_DIR first (in a temp copy), so a broken
# variant of a fixture only holds the files that differ. A file named
# .delete in an overlay lists paths (one a line) to remove from the copy.
set -eu
[ $# -ge 2 ] || { echo "usage: mkepub.sh SRC_DIR OUT.epub [OVERLAY_DIR...]" >&2; exit 2; }
command -v zip >/dev/null 2>&1 || { echo "mkepub.sh: zip not found; apt-get install zip" >&2; exit 2; }
src=$1 out=$2
shift 2
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkepub.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cp -R "$src/." "$tmp/book"
for o in "$@"; do
	cp -R "$o/." "$tmp/book"
	if [ -f "$tmp/book/.delete" ]; then
		while IFS= read -r p; do
			[ -n "$p" ] && rm -rf "$tmp/book/$p"
		done < "$tmp/book/.delete"
		rm -f "$tmp/book/.delete"
	fi
done

rm -f "$out"
cd "$tmp/book"
[ -f mimetype ] || { echo "mkepub.sh: $src has no mimetype file" >&2; exit 2; }
zip -q -X0 "$out" mimetype
# Everything but mimetype, in a stable order, without directory entries.
find . -type f ! -path ./mimetype | sed 's|^\./||' | LC_ALL=C sort | zip -q -X9D "$out" -@
