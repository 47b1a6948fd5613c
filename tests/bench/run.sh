#!/bin/sh
# make bench: stepbook against the floor (cmark-gfm parsing and rendering
# the same Markdown alone) and, when installed, Hugo and Pandoc, on
# generated books of 100, 1,000 and 10,000 chapters. Prints medians of
# several runs, the ratio to the floor, peak memory, time per chapter, and
# the rebuild time after editing one chapter.
#
#   sh tests/bench/run.sh [SIZES] [RUNS]     defaults: "100 1000 10000" 5
#
# The cost of highlighting: on books of up to BENCH_CODE_MAX chapters
# (1000), the same book with a code block in every other section (about
# 6,000 at 1,000 chapters, gen.mjs code) built clean with the blocks
# highlighted, and with the same blocks in a language no highlighter
# knows (gen.mjs plain); the highlighted row's ratio is to the plain one.
#
# Hugo and Pandoc run on books of up to BENCH_REF_MAX chapters (1000), and
# Pandoc only BENCH_REF_RUNS times (1): it takes half a minute and 1.7 GB
# on 1,000 chapters, and would take most of the machine on 10,000.
# BENCH_DIR (default tests/bench/work) holds the books and every output;
# BENCH_DIR=/dev/shm/bench takes the disk out of the measure.
#
# A build "from nothing" starts with no output folder: the previous one
# is moved aside (a rename) into BENCH_DIR/trash, deleted once the bench
# is done. Deleting it instead, just before each timed build, would time
# the deletion too, and on ext4 without a journal (as here) every file
# made in the next minute would cost a scan past the inodes just freed.
set -u
SB=${STEPBOOK:-$(pwd)/build/stepbook}
SIZES=${1:-100 1000 10000}
RUNS=${2:-5}
REF_MAX=${BENCH_REF_MAX:-1000}
REF_RUNS=${BENCH_REF_RUNS:-1}
CODE_MAX=${BENCH_CODE_MAX:-1000}
W=${BENCH_DIR:-$(pwd)/tests/bench/work}
mkdir -p "$W/trash"
export SOURCE_DATE_EPOCH=1764115200
# the command that moves $1 (if there) aside, for the timed shell commands
aside() { printf '[ ! -e "%s" ] || mv "%s" "%s/trash/$(date +%%s%%N)"' "$1" "$1" "$W"; }

# median of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# run LABEL CMD...: RUNS timed runs; prints "seconds peak_kb" medians
run() {
	: >"$W/t" ; : >"$W/m"
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$W/one" "$@" >/dev/null 2>"$W/err" || {
			echo "bench: failed: $*" >&2; cat "$W/err" >&2; return 1; }
		t1=$(date +%s%N)
		echo "$t0 $t1" | awk '{print ($2 - $1) / 1e9}' >>"$W/t"
		cat "$W/one" >>"$W/m"
		i=$((i + 1))
	done
	echo "$(median <"$W/t") $(median <"$W/m")"
}

printf '%-8s %-28s %9s %8s %10s %12s\n' chapters tool seconds ratio peak_MB ms/chapter
for n in $SIZES; do
	book="$W/book$n"
	if [ ! -f "$book/content/book.yml" ] || [ "$(grep -c '^  - ' "$book/content/book.yml")" != "$n" ]; then
		node tests/bench/gen.mjs "$n" "$book" || exit 1
		rm -rf "$W/hugo$n"
	fi
	cat "$book"/content/ch*.md >"$book/all.md"
	mb=$(du -m "$book/all.md" | cut -f1)
	floor=$(run sh -c "cmark-gfm --smart -e table -e strikethrough -e autolink -e tasklist -e footnotes < '$book/all.md'")
	ft=${floor% *}
	row() {
		t=${2% *}; m=${2#* }
		printf '%-8s %-28s %9.3f %8.2f %10.1f %12.3f\n' "$n" "$1" "$t" \
			"$(echo "$t $ft" | awk '{print ($2 > 0) ? $1 / $2 : 0}')" \
			"$(echo "$m" | awk '{print $1 / 1024}')" \
			"$(echo "$t $n" | awk '{print 1000 * $1 / $2}')"
	}
	row "cmark-gfm (floor, ${mb} MB)" "$floor"
	r=$(run sh -c "$(aside "$book/output") && '$SB' -C '$book' build -q") && row "stepbook build (clean)" "$r"
	r=$(run sh -c "$(aside "$book/output/site") && for f in '$book/output'/*.epub; do [ ! -e \"\$f\" ] || mv \"\$f\" \"$W/trash/\$(date +%s%N).epub\"; done && '$SB' -C '$book' build -q") && row "stepbook build (warm cache)" "$r"
	r=$(run sh -c "$(aside "$book/output") && '$SB' -C '$book' build -q --no-epub") && row "stepbook site only" "$r"
	# one chapter edited between builds: the author's loop
	"$SB" -C "$book" build -q
	mid=$(printf 'ch%05d.md' $((n / 2)))
	: >"$W/t"; : >"$W/m"
	i=0
	while [ $i -lt "$RUNS" ]; do
		printf '\nAn edit, number %s.\n' "$i" >>"$book/content/$mid"
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$W/one" "$SB" -C "$book" build -q || exit 1
		t1=$(date +%s%N)
		echo "$t0 $t1" | awk '{print ($2 - $1) / 1e9}' >>"$W/t"
		cat "$W/one" >>"$W/m"
		i=$((i + 1))
	done
	row "stepbook one-chapter rebuild" "$(median <"$W/t") $(median <"$W/m")"
	: >"$W/t"; : >"$W/m"
	i=0
	while [ $i -lt "$RUNS" ]; do
		printf '\nAn edit, number %s.\n' "$i" >>"$book/content/$mid"
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$W/one" "$SB" -C "$book" build -q --no-epub || exit 1
		t1=$(date +%s%N)
		echo "$t0 $t1" | awk '{print ($2 - $1) / 1e9}' >>"$W/t"
		cat "$W/one" >>"$W/m"
		i=$((i + 1))
	done
	row "  the same, site only" "$(median <"$W/t") $(median <"$W/m")"
	if [ "$n" -le "$CODE_MAX" ]; then
		for kind in plain code; do
			cb="$W/book$n-$kind"
			[ -f "$cb/content/book.yml" ] && [ "$(grep -c '^  - ' "$cb/content/book.yml")" = "$n" ] ||
				node tests/bench/gen.mjs "$n" "$cb" "$kind" || exit 1
		done
		# the two alternate, run by run, so that a change in the
		# machine's load falls on both
		: >"$W/tp"; : >"$W/mp"; : >"$W/tc"; : >"$W/mc"
		i=0
		while [ $i -lt "$RUNS" ]; do
			for kind in plain code; do
				r=$(RUNS=1 run sh -c "$(aside "$W/book$n-$kind/output") && '$SB' -C '$W/book$n-$kind' build -q") || exit 1
				k=$(echo "$kind" | cut -c1)
				echo "${r% *}" >>"$W/t$k"
				echo "${r#* }" >>"$W/m$k"
			done
			i=$((i + 1))
		done
		tp=$(median <"$W/tp"); tc=$(median <"$W/tc")
		row "  code blocks, plain" "$tp $(median <"$W/mp")"
		row "  code blocks, highlighted" "$tc $(median <"$W/mc")"
		echo "$tc $tp" | awk '{printf "%-8s %-28s %+8.1f%%\n", "", "  highlighting costs", ($2 > 0) ? 100 * ($1 / $2 - 1) : 0}'
	fi
	[ "$n" -le "$REF_MAX" ] || continue
	if command -v pandoc >/dev/null 2>&1; then
		r=$(RUNS=$REF_RUNS run pandoc -f gfm -t epub3 -o "$W/pandoc.epub" "$book/all.md") &&
			row "pandoc (EPUB, $REF_RUNS run)" "$r"
	fi
	if command -v hugo >/dev/null 2>&1; then
		hs="$W/hugo$n"
		if [ ! -d "$hs/content" ]; then
			mkdir -p "$hs/content" "$hs/layouts/_default"
			cp "$book"/content/ch*.md "$hs/content/"
			printf 'baseURL = "http://example.org/"\ntitle = "bench"\n' >"$hs/hugo.toml"
			printf '<html><body>{{ .Content }}</body></html>\n' >"$hs/layouts/_default/single.html"
			printf '<html><body>{{ range .Pages }}<a href="{{ .Permalink }}">{{ .Title }}</a>{{ end }}</body></html>\n' >"$hs/layouts/_default/list.html"
		fi
		# from an empty output folder, as stepbook's clean build
		r=$(run sh -c "$(aside "$W/hugo-out$n") && hugo -s '$hs' --quiet -d '$W/hugo-out$n'") &&
			row "hugo (site, clean)" "$r"
	fi
done
rm -rf "$W/trash"
