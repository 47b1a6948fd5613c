#!/bin/sh
# The sizes the code keeps to (issue 16): no C file of generator/ over
# MAX_FILE lines, no function over MAX_FUNC lines, so that a file keeps
# to one job and a function can be read whole. The grammars' generated
# sources (generator/grammars/) are not ours and are left out. Prints
# each file or function over, then "N passed, N failed".
#
#   sh tests/sizes.sh [FOLDER]     default generator/
set -u
dir=${1:-generator}
MAX_FILE=${MAX_FILE:-800}
MAX_FUNC=${MAX_FUNC:-100}
passed=0
failed=0

for f in $(find "$dir" -path "$dir/grammars" -prune -o \
	-name '*.[ch]' -type f -print | LC_ALL=C sort); do
	n=$(wc -l <"$f")
	if [ "$n" -gt "$MAX_FILE" ]; then
		failed=$((failed + 1))
		echo "sizes: $f has $n lines (at most $MAX_FILE)"
	else
		passed=$((passed + 1))
	fi
	case $f in *.h) continue ;; esac
	# a function starts at a line that names it at the left margin,
	# not a declaration (";") nor a macro, and ends at its "}" there
	over=$(awk -v max="$MAX_FUNC" -v f="$f" '
		/^[A-Za-z_].*\(/ && !/;[ \t]*$/ && !/^#/ && !start {
			name = $0; start = NR; next }
		start && /^}/ {
			if (NR - start > max)
				printf "sizes: %s:%d: a function of %d lines (at most %d): %s\n", f, start, NR - start, max, name
			start = 0 }' "$f")
	if [ -n "$over" ]; then
		failed=$((failed + 1))
		echo "$over"
	else
		passed=$((passed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
