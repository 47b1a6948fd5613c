#!/bin/sh
# Nu HTML Checker over stepbook's HTML output, in one JVM run.
#
#   sh tests/tools/vnu.sh [--werror] [--] DIR_OR_FILE...
#
# Directories are searched recursively for *.html and *.htm; files are
# checked whatever their name. Errors (and the checker's own I/O errors) fail
# the run; warnings are printed but pass, unless --werror is given.
# Info messages are not shown. Extra checker options may be passed in
# VNU_OPTS (word-split), e.g. VNU_OPTS='--filterpattern .*lang.*'.
# Last line: "vnu: N files, N errors, N warnings". Exit 0 clean, 1 errors
# (or warnings with --werror), 2 usage/setup problem.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../node_modules/vnu-jar/build/dist/vnu.jar"
werror=0

while [ $# -gt 0 ]; do
	case $1 in
	--werror) werror=1; shift ;;
	--) shift; break ;;
	-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "vnu.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: vnu.sh [--werror] DIR_OR_FILE..." >&2; exit 2; }
[ -f "$jar" ] || { echo "vnu.sh: $jar missing; run: sh .ci/deps test (or npm ci in tests/)" >&2; exit 2; }
command -v java >/dev/null 2>&1 || { echo "vnu.sh: java not found" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vnu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# Collect the files, one per line, in a stable order.
: > "$tmp/list"
for a in "$@"; do
	if [ -d "$a" ]; then
		find "$a" -type f \( -name '*.html' -o -name '*.htm' \) | LC_ALL=C sort >> "$tmp/list"
	elif [ -f "$a" ]; then
		printf '%s\n' "$a" >> "$tmp/list"
	else
		echo "vnu.sh: no such file or directory: $a" >&2
		exit 2
	fi
done
nfiles=$(wc -l < "$tmp/list" | tr -d ' ')
if [ "$nfiles" -eq 0 ]; then
	echo "vnu: 0 files (no .html files under: $*)" >&2
	echo "vnu: 0 files, 0 errors, 0 warnings"
	exit 2
fi

# Rebuild the argument list from the file list (names with newlines unsupported).
set --
while IFS= read -r f; do set -- "$@" "$f"; done < "$tmp/list"

# shellcheck disable=SC2086 # VNU_OPTS is meant to be word-split
if ! java -Xss1m -jar "$jar" --format json --stdout --exit-zero-always \
	--skip-info-messages ${VNU_OPTS:-} "$@" > "$tmp/out.json" 2> "$tmp/err"; then
	cat "$tmp/err" >&2
	echo "vnu.sh: the checker itself failed" >&2
	exit 2
fi
[ -s "$tmp/err" ] && cat "$tmp/err" >&2

node "$here/report.mjs" vnu "$tmp/out.json" "$nfiles" "$werror"
