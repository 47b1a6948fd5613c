#!/bin/sh
# EPUBCheck (Debian's 4.2.6) on each EPUB; any error OR warning fails.
#
#   sh tests/tools/epubcheck.sh FILE.epub...
#
# Uses `java -jar /usr/share/java/epubcheck.jar FILE --json REPORT` (the
# /usr/bin/epubcheck wrapper is the bare jar and needs binfmt_misc, which is
# absent here). Counts come from the JSON report; fatal errors count as
# errors, usage/info messages are ignored. EPUBCHECK_JAR overrides the jar.
# One summary line per file: "epubcheck: FILE: N errors, N warnings".
# Exit 0 when every file is clean, 1 otherwise, 2 on a usage/setup problem.
set -eu

jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
case ${1:-} in -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -gt 0 ] || { echo "usage: epubcheck.sh FILE.epub..." >&2; exit 2; }
[ -f "$jar" ] || { echo "epubcheck.sh: $jar missing; apt-get install epubcheck" >&2; exit 2; }
command -v java >/dev/null 2>&1 || { echo "epubcheck.sh: java not found" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/epubcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

status=0
for epub in "$@"; do
	if [ ! -f "$epub" ]; then
		echo "epubcheck: $epub: no such file"
		status=1
		continue
	fi
	rm -f "$tmp/report.json"
	# Exit status is 1 on errors; the JSON report is what we read.
	java -jar "$jar" "$epub" --json "$tmp/report.json" > "$tmp/out" 2>&1 || true
	if [ ! -s "$tmp/report.json" ]; then
		cat "$tmp/out"
		echo "epubcheck: $epub: no report (checker failed)"
		status=1
		continue
	fi
	node "$here/report.mjs" epubcheck "$tmp/report.json" "$epub" || status=1
done
exit $status
