#!/bin/sh
# Pathological inputs: huge, deeply nested and repetitive books, built
# under a timeout. Each must build, or fail with a clear error (exit 1 and
# an "error:" line), never crash or hang; and building 4 times the input
# must take less than RATIO (6) times as long, which catches quadratic
# behaviour (a run under MIN_MS, 250 ms, is too short to judge). Times
# are processor time in user space (see run below). The
# limits (file size, template nesting, chapter count, YAML nesting) must
# give their error.
#
#   sh tests/pathological/run.sh [CASE...]     (all cases when none named)
#
# STEPBOOK names the binary (default build/stepbook); PATHO_TIMEOUT the
# seconds one build may take (default 60). tests/pathological/gen.c writes
# the books. Prints a table of timings and ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
SB=${STEPBOOK:-$top/build/stepbook}
TIMEOUT=${PATHO_TIMEOUT:-60}
RATIO=6
MIN_MS=250
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
only=" $* "

if [ ! -x "$SB" ]; then
	echo "no $SB: run make tool first"
	echo "0 passed, 1 failed"
	exit 1
fi
if ! ${CC:-cc} -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	"$top/tests/pathological/gen.c" -o "$T/gen"; then
	echo "0 passed, 1 failed"
	exit 1
fi

want() {
	[ "$only" = "  " ] && return 0
	case $only in *" $1 "*) return 0 ;; esac
	return 1
}

# run KIND N MODE: builds a fresh book; sets $rc, $ms (processor time in
# user space: the program's own work, steadier than the wall clock or the
# kernel's time for files on a shared machine), $sys, $wall and $T/err
run() {
	rm -rf "$T/book"
	if ! "$T/gen" "$1" "$2" "$T/book"; then
		rc=99
		ms=0
		sys=0
		wall=0
		echo "generator failed" >"$T/err"
		return
	fi
	case $3 in
	site) set -- build -q --no-epub --out "$T/book/out" ;;
	epub) set -- build -q --out "$T/book/out" ;;
	check) set -- check -q ;;
	esac
	# shellcheck disable=SC2046
	set -- $("$T/gen" --time "$TIMEOUT" "$T/err" "$SB" -C "$T/book" "$@")
	rc=${1:-99}
	ms=${2:-0}
	sys=${3:-0}
	wall=${4:-0}
	rm -rf "$T/book"
}

# outcome EXPECT: whether the last run ended as expected: "ok" (exit 0) or
# an error whose message matches EXPECT (exit 1). Sets $why otherwise.
outcome() {
	why=
	if [ "$rc" = 124 ]; then
		why="timed out after ${TIMEOUT}s"
	elif [ "$1" = ok ] && [ "$rc" != 0 ]; then
		why="exit $rc: $(head -c 300 "$T/err")"
	elif [ "$1" != ok ] && [ "$rc" != 1 ]; then
		why="exit $rc, wanted 1 and '$1': $(head -c 300 "$T/err")"
	elif [ "$1" != ok ] && ! grep -q "error: .*$1" "$T/err"; then
		why="no error matching '$1': $(head -c 300 "$T/err")"
	fi
	[ -z "$why" ]
}

# superlinear: whether $ms4 is RATIO times $ms1 or more (and long enough
# to judge); sets $ratio
superlinear() {
	[ "$ms1" -lt 1 ] && ms1=1
	ratio=$(awk "BEGIN { printf \"%.1f\", $ms4 / $ms1 }")
	[ "$ms4" -ge "$MIN_MS" ] &&
		awk "BEGIN { exit !($ms4 >= $RATIO * $ms1) }"
}

# timed NAME KIND N MODE EXPECT: runs at N and 4N, compares the times
timed() {
	name=$1 kind=$2 n=$3 mode=$4 expect=$5
	want "$name" || return 0
	run "$kind" "$n" "$mode"
	ms1=$ms
	if ! outcome "$expect"; then
		printf '%-24s %9s %7s ms  FAIL %s\n' "$name" "$n" "$ms1" "$why"
		failed=$((failed + 1))
		return
	fi
	n4=$((n * 4))
	run "$kind" "$n4" "$mode"
	ms4=$ms
	verdict=ok
	if ! outcome "$expect"; then
		verdict="FAIL $why"
	elif superlinear; then
		# measure both again and keep the faster of each, in case
		# the machine was busy
		run "$kind" "$n" "$mode"
		[ "$ms" -lt "$ms1" ] && ms1=$ms
		run "$kind" "$n4" "$mode"
		[ "$ms" -lt "$ms4" ] && ms4=$ms
		superlinear &&
			verdict="FAIL not linear: 4x the input took ${ratio}x the time"
	fi
	printf '%-24s %9s %7s ms %9s %7s ms %6s  %s\n' "$name" "$n" "$ms1" \
		"$n4" "$ms4" "$ratio" "$verdict"
	if [ "$verdict" = ok ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

# limit NAME KIND N MODE EXPECT: runs once, must end as EXPECT says
limit() {
	name=$1 kind=$2 n=$3 mode=$4 expect=$5
	want "$name" || return 0
	run "$kind" "$n" "$mode"
	if outcome "$expect"; then
		msg=$(grep -m 1 'error:' "$T/err" | cut -c 1-70)
		printf '%-24s %9s %7s ms  ok: %s\n' "$name" "$n" "$ms" "${msg:-built}"
		passed=$((passed + 1))
	else
		printf '%-24s %9s %7s ms  FAIL %s\n' "$name" "$n" "$ms" "$why"
		failed=$((failed + 1))
	fi
}

printf '%-24s %9s %10s %9s %10s %6s\n' case N user 4N user ratio
# nesting
timed nested-lists          nested-lists          12500 site ok
timed nested-indented-lists nested-indented-lists 12500 site ok
timed nested-quotes         nested-quotes         12500 site ok
timed nested-brackets       nested-brackets       12500 site ok
# (cmark-gfm's emphasis is superlinear below about 50,000 levels, linear
# above: measured where it is linear)
timed nested-emphasis       nested-emphasis       50000 site ok
# size
timed big-chapter           big                   5000000 epub ok
timed long-line             long-line             2500000 site ok
timed long-heading          long-heading          250000 site ok
# repetition: the ids, links and backlinks kept unique
timed tasks                 tasks                 50000 site ok
timed tasks-same-text       tasks-same            50000 site ok
timed headings-same-text    headings-same         2500 epub ok
timed headings-explicit-ids headings-explicit   20000 site ok
timed headings-and-links    headings-many         10000 site ok
timed links-to-one-heading  links-one             10000 epub ok
timed links-broken          links-broken          2500 site 'no heading'
timed chapters-check        chapters              5000 check ok
timed chapters-build        chapters              500 epub ok
# deep nesting in the EPUB too (converted without recursion limits it
# would overflow the stack)
limit nested-lists-epub     nested-lists          50000 epub ok
limit nested-quotes-epub    nested-quotes         50000 epub ok
# limits: a clear error, quickly
limit file-too-large        too-big               65 site 'file too large'
limit partial-includes-itself partial-loop        1 site 'nested deeper than'
limit too-many-chapters     chapters-empty        100001 check 'too many chapters'
limit yaml-nested-deep      deep-yaml             50000 site 'nested deeper than'
limit yaml-alias-bomb       yaml-aliases          7 site 'YAML too large'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
