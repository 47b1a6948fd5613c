#!/bin/sh
# The layers of generator/: its folders, from the bottom up in the order
# the Makefile's GEN_DIRS gives, and the modules in them (foo.c with
# foo.h). A module includes the headers of its own folder and of the
# folders below, never of one above; the modules and the includes among
# them form no cycle; and the AST passes include only the model and what
# lies below it, never the loader that runs them, another pass or a
# writer. Prints each problem, then "N passed, N failed".
#
#   sh tests/layers.sh [FOLDER]     default generator/
set -u
dir=${1:-generator}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); printf 'layers: %s\n' "$*"; }

# the folders, bottom first: "rank folder", one a line
make -s --no-print-directory print-includes | tr ' ' '\n' |
	sed -n 's|^-I'"$dir"'/||p' | awk '{print NR, $0}' >"$T/ranks"
[ -s "$T/ranks" ] && ok || bad "no folders in the Makefile's GEN_DIRS"
# every folder of C files is one of them
for d in "$dir"/*/; do
	d=${d%/}; d=${d##*/}
	ls "$dir/$d"/*.[ch] >/dev/null 2>&1 || continue
	if awk -v d="$d" '$2 == d {f = 1} END {exit !f}' "$T/ranks"; then
		ok
	else
		bad "$dir/$d holds C files but is not in the Makefile's GEN_DIRS"
	fi
done
# "module folder", one a line; a module's name is its file's, in every
# folder (headers are included by name alone)
for f in "$dir"/*/*.c "$dir"/*/*.h; do
	[ -e "$f" ] || continue
	m=${f##*/}; m=${m%.*}
	d=${f%/*}; d=${d##*/}
	echo "$m $d"
done | sort -u >"$T/folder"
if [ "$(cut -d' ' -f1 "$T/folder" | uniq -d)" ]; then
	bad "one name in two folders: $(cut -d' ' -f1 "$T/folder" | uniq -d | tr '\n' ' ')"
else
	ok
fi

# "module included-module", one a line, for every quoted include of a
# header that is one of the folder's own
for f in "$dir"/*/*.c "$dir"/*/*.h; do
	[ -e "$f" ] || continue
	m=${f##*/}; m=${m%.*}
	sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)\.h".*/\1/p' "$f" |
	while read -r h; do
		[ "$h" != "$m" ] && grep -q "^$h " "$T/folder" && echo "$m $h"
	done
done | sort -u >"$T/edges"
[ -s "$T/edges" ] && ok || bad "no includes found in $dir"

# no include reaches up: the including module's folder ranks at least as
# high as the included one's
awk 'FILENAME == ARGV[1] {rank[$2] = $1; next}
	FILENAME == ARGV[2] {in_dir[$1] = $2; next}
	{
		a = in_dir[$1]; b = in_dir[$2]
		if (rank[a] < rank[b])
			printf "%s (%s/) includes %s (%s/), a folder above its own\n", $1, a, $2, b
		else
			print "ok"
	}' "$T/ranks" "$T/folder" "$T/edges" >"$T/up"
n=$(grep -c '^ok$' "$T/up")
passed=$((passed + n))
grep -v '^ok$' "$T/up" | while read -r line; do printf 'layers: %s\n' "$line"; done
up=$(grep -vc '^ok$' "$T/up")
failed=$((failed + up))

# a cycle: tsort names the modules on it
if tsort "$T/edges" >/dev/null 2>"$T/loop"; then
	ok
else
	bad "include cycle among: $(sed -n 's/^tsort: \([a-z_0-9]*\)$/\1/p' "$T/loop" | sort -u | tr '\n' ' ')"
fi

# the passes: xform_NAME may include xform (the tags they share), the
# model (site, quiz) and the foundations: nothing that includes the
# model in turn, however far down (the loader, the writers, the commands)
awk '
{ inc[$1] = inc[$1] " " $2 }
END {
	above["site"] = 1
	do {
		grew = 0
		for (m in inc) {
			if (m in above) continue
			n = split(inc[m], h, " ")
			for (i = 1; i <= n; i++)
				if (h[i] in above) { above[m] = 1; grew = 1; break }
		}
	} while (grew)
	for (m in above) if (m != "site") print m
}' "$T/edges" | sort >"$T/above"
while read -r m h; do
	case $m in xform_*) ;; *) continue ;; esac
	case $h in
	xform) ok ;;
	xform_*) bad "pass $m includes another pass, $h" ;;
	*)
		if grep -qx "$h" "$T/above"; then
			bad "pass $m includes $h, which is above the model"
		else
			ok
		fi
		;;
	esac
done <"$T/edges"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
