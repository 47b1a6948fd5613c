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
# change, and the same for each row's peak memory (resident set, as
# /usr/bin/time gives it). BENCH_DIR (default /dev/shm/sb-compare) holds
# the books; a book already at BENCH_DIR/genN is used as it is, so a
# variant of the generated book (another cover, another theme) can be
# compared.
set -eu
[ $# -ge 2 ] || { echo "usage: sh tests/bench/compare.sh OLD NEW [SIZES] [RUNS]" >&2; exit 2; }
A=$(realpath "$1"); B=$(realpath "$2")
SIZES=${3:-100 1000}
RUNS=${4:-7}
W=${BENCH_DIR:-/dev/shm/sb-compare}
export SOURCE_DATE_EPOCH=1764115200
mkdir -p "$W"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# stamp ROW CMD...: runs CMD, appends its wall seconds to $W/$side-ROW and
# its peak resident set in MB to $W/$side-ROW.mem
stamp() {
	row=$1
	shift
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$W/kb" "$@" >/dev/null 2>"$W/err" || { echo "compare: failed: $*" >&2; cat "$W/err" >&2; exit 1; }
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{print ($2 - $1) / 1e9}' >>"$W/$side-$row"
	awk '{print $1 / 1024}' "$W/kb" >>"$W/$side-$row.mem"
}

printf '%-8s %-11s %9s %9s %8s\n' chapters row old new change
echo "(rows in seconds; .mem rows in MB of peak resident memory)"
for n in $SIZES; do
	gen="$W/gen$n"
	[ -f "$gen/content/book.yml" ] || node tests/bench/gen.mjs "$n" "$gen"
	for side in a b; do
		rm -rf "$W/$side$n"
		cp -r "$gen" "$W/$side$n"
		for row in clean warm site rebuild; do
			: >"$W/$side-$row"; : >"$W/$side-$row.mem"
		done
	done
	mid=$(printf 'ch%05d.md' $((n / 2)))
	i=0
	while [ $i -lt "$RUNS" ]; do
		for side in a b; do
			[ $side = a ] && sb=$A || sb=$B
			d="$W/$side$n"
			rm -rf "$d/output"
			stamp clean "$sb" -C "$d" build -q
			rm -rf "$d/output/site" "$d"/output/*.epub
			stamp warm "$sb" -C "$d" build -q
			# make bench times rebuilds that follow a rebuild, not
			# the first one after a build from nothing: that one
			# also replaces the staged copy of a site made anew
			printf '\nAn edit, number %s.\n' "$i" >>"$d/content/$mid"
			"$sb" -C "$d" build -q
			printf '\nAn edit, number %s again.\n' "$i" >>"$d/content/$mid"
			stamp rebuild "$sb" -C "$d" build -q
			rm -rf "$d/output"
			stamp site "$sb" -C "$d" build -q --no-epub
		done
		i=$((i + 1))
	done
	for row in clean warm site rebuild clean.mem warm.mem site.mem rebuild.mem; do
		a=$(median <"$W/a-$row"); b=$(median <"$W/b-$row")
		echo "$n $row $a $b" | awk '{printf "%-8s %-11s %9.4f %9.4f %+7.1f%%\n", $1, $2, $3, $4, ($3 > 0) ? 100 * ($4 / $3 - 1) : 0}'
	done
done
