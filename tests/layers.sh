#!/bin/sh
# The layers of generator/: its modules (foo.c with foo.h) and the
# modules each includes must form no cycle, and the AST passes must
# include only the model and what lies below it, never the loader that
# runs them, another pass or a writer. Prints each problem, then
# "N passed, N failed".
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

# "module included-module", one a line, for every quoted include of a
# header that is one of the folder's own
for f in "$dir"/*.c "$dir"/*.h; do
	m=$(basename "$f"); m=${m%.*}
	sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)\.h".*/\1/p' "$f" |
	while read -r h; do
		[ "$h" != "$m" ] && [ -f "$dir/$h.h" ] && echo "$m $h"
	done
done | sort -u >"$T/edges"
[ -s "$T/edges" ] && ok || bad "no includes found in $dir"

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
