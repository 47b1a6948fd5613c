#!/bin/sh
# Ace by DAISY (from tests/node_modules) on each EPUB; any violation fails.
#
#   sh tests/tools/ace.sh [--outdir DIR] FILE.epub...
#
# Runs `ace -E` (exit 2 on violations) with Debian's Chromium through
# tests/tools/chromium.sh (PUPPETEER_EXECUTABLE_PATH; Ace itself passes
# --no-sandbox). Reports go to a temp dir that is removed, or to
# DIR/<name>/ (report.json, report.html) with --outdir. Prints each
# violation and "ace: FILE: N violations (...)". Exit 0 clean, 1 on
# violations or an Ace failure, 2 on a usage/setup problem.
# ACE_TIMEOUT (ms per document, default 120000) bounds a hung browser.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ace="$here/../node_modules/@daisy/ace-cli/bin/ace.js"
outdir=""
while [ $# -gt 0 ]; do
	case $1 in
	--outdir) outdir=$2; shift 2 ;;
	--outdir=*) outdir=${1#--outdir=}; shift ;;
	-h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) echo "ace.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: ace.sh [--outdir DIR] FILE.epub..." >&2; exit 2; }
[ -f "$ace" ] || { echo "ace.sh: $ace missing; run: sh .ci/deps test (or npm ci in tests/)" >&2; exit 2; }
[ -x "${CHROMIUM:-/usr/lib/chromium/chromium}" ] || { echo "ace.sh: Chromium not found; apt-get install chromium" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ace.XXXXXX")
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

export PUPPETEER_EXECUTABLE_PATH="$here/chromium.sh"
export PUPPETEER_SKIP_DOWNLOAD=true
status=0
for epub in "$@"; do
	if [ ! -f "$epub" ]; then
		echo "ace: $epub: no such file"
		status=1
		continue
	fi
	name=$(basename "$epub" .epub)
	if [ -n "$outdir" ]; then
		rep="$outdir/$name"
		mkdir -p "$rep"
	else
		rep="$tmp/$name"
	fi
	rm -rf "$tmp/work"
	mkdir -p "$tmp/work"
	rc=0
	node "$ace" --exiterror2 --force --verbose --timeout "${ACE_TIMEOUT:-120000}" \
		--tempdir "$tmp/work" --outdir "$rep" "$epub" > "$tmp/log" 2>&1 || rc=$?
	if [ ! -s "$rep/report.json" ] || { [ $rc -ne 0 ] && [ $rc -ne 2 ]; }; then
		tail -n 40 "$tmp/log"
		echo "ace: $epub: Ace failed (exit $rc), no usable report"
		status=1
		continue
	fi
	node "$here/report.mjs" ace "$rep/report.json" "$epub" || status=1
done
exit $status
