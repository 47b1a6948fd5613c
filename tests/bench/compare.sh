#!/bin/sh
# Two stepbook binaries on the same generated book, run by run in turn, so
# that a change in the machine's load falls on both: the way to measure a
# change meant to be faster (make bench measures one binary).
#
#   sh tests/bench/compare.sh OLD NEW [SIZES] [RUNS]   defaults: "100 1000" 7
#
# Rows as in make bench: a clean build, a warm cache (the site and the
# EPUB gone, the cache kept), the site only from nothing, and a rebuild
# after one chapter is edited. Prints each row's median for both and the
# change. BENCH_DIR (default /dev/shm/sb-compare) holds the books.
set -eu
[ $# -ge 2 ] || { echo "usage: sh tests/bench/compare.sh OLD NEW [SIZES] [RUNS]" >&2; exit 2; }
A=$(realpath "$1"); B=$(realpath "$2")
SIZES=${3:-100 1000}
RUNS=${4:-7}
W=${BENCH_DIR:-/dev/shm/sb-compare}
export SOURCE_DATE_EPOCH=1764115200
mkdir -p "$W"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# stamp CMD...: runs CMD, appends its wall seconds to $W/t
stamp() {
	t0=$(date +%s%N)
	"$@" >/dev/null 2>"$W/err" || { echo "compare: failed: $*" >&2; cat "$W/err" >&2; exit 1; }
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{print ($2 - $1) / 1e9}' >>"$W/t"
}

printf '%-8s %-10s %9s %9s %8s\n' chapters row old new change
for n in $SIZES; do
	gen="$W/gen$n"
	[ -f "$gen/content/book.yml" ] || node tests/bench/gen.mjs "$n" "$gen"
	for side in a b; do
		rm -rf "$W/$side$n"
		cp -r "$gen" "$W/$side$n"
		: >"$W/$side-clean"; : >"$W/$side-warm"; : >"$W/$side-site"; : >"$W/$side-rebuild"
	done
	mid=$(printf 'ch%05d.md' $((n / 2)))
	i=0
	while [ $i -lt "$RUNS" ]; do
		for side in a b; do
			[ $side = a ] && sb=$A || sb=$B
			d="$W/$side$n"
			rm -rf "$d/output"
			: >"$W/t"; stamp "$sb" -C "$d" build -q; cat "$W/t" >>"$W/$side-clean"
			rm -rf "$d/output/site" "$d"/output/*.epub
			: >"$W/t"; stamp "$sb" -C "$d" build -q; cat "$W/t" >>"$W/$side-warm"
			# make bench times rebuilds that follow a rebuild, not
			# the first one after a build from nothing: that one
			# also replaces the staged copy of a site made anew
			printf '\nAn edit, number %s.\n' "$i" >>"$d/content/$mid"
			"$sb" -C "$d" build -q
			printf '\nAn edit, number %s again.\n' "$i" >>"$d/content/$mid"
			: >"$W/t"; stamp "$sb" -C "$d" build -q; cat "$W/t" >>"$W/$side-rebuild"
			rm -rf "$d/output"
			: >"$W/t"; stamp "$sb" -C "$d" build -q --no-epub; cat "$W/t" >>"$W/$side-site"
		done
		i=$((i + 1))
	done
	for row in clean warm site rebuild; do
		a=$(median <"$W/a-$row"); b=$(median <"$W/b-$row")
		echo "$n $row $a $b" | awk '{printf "%-8s %-10s %9.4f %9.4f %+7.1f%%\n", $1, $2, $3, $4, ($3 > 0) ? 100 * ($4 / $3 - 1) : 0}'
	done
done
