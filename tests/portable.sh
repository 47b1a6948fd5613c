#!/bin/sh
# The build of `make portable` (PORTABLE=1, in DIR): it calls none of the
# Linux or glibc functions compat.c keeps for Linux (their names must not
# be among the symbols the binary and the library need), and it passes
# the unit tests, the command-line, incremental and serve tests (the
# serve test then finds changes by looking, not by inotify). With a
# second folder, a normal build, also checks that that one does use
# them, so that the check is known to see them.
#
#   sh tests/portable.sh DIR [LINUX_DIR]      default DIR build-portable
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
dir=${1:-build-portable}
linux=${2:-}
case $dir in /*) ;; *) dir=$top/$dir ;; esac
. tests/cli/lib.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# what compat.c calls on Linux only
only_linux="renameat2 copy_file_range inotify_init inotify_init1
inotify_add_watch inotify_rm_watch epoll_create epoll_create1 epoll_ctl
epoll_wait mallopt memmem statfs statfs64 fstatfs fstatfs64"

# the undefined symbols of a binary or library, names only
needs() { nm -u "$@" 2>/dev/null | awk '{ print $NF }' | sed 's/@.*//' | sort -u; }

needs "$dir/stepbook" "$dir/libstepbook.a" >"$T/needs"
if [ -s "$T/needs" ]; then
	found=""
	for f in $only_linux; do
		grep -qx "$f" "$T/needs" && found="$found $f"
	done
	[ -z "$found" ] && pass "the portable build calls no Linux-only function" ||
		fail "no Linux-only call" "still called:$found"
else
	fail "no Linux-only call" "nm found nothing in $dir"
fi
if [ -n "$linux" ]; then
	needs "$linux/stepbook" "$linux/libstepbook.a" >"$T/linux"
	seen=0
	for f in renameat2 copy_file_range inotify_init1 memmem; do
		grep -qx "$f" "$T/linux" && seen=$((seen + 1))
	done
	[ "$seen" = 4 ] && pass "the Linux build's calls are seen" ||
		fail "the check sees Linux calls" "$seen of 4 in $linux"
fi

# suite NAME CMD...: runs CMD and adds its "N passed, N failed"
suite() {
	name=$1
	shift
	"$@" >"$T/out" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$T/out" | tail -n 1)
	if [ "$rc" = 0 ] && [ -n "$line" ]; then
		pass "$name: $line"
	else
		cat "$T/out"
		fail "$name" "exit $rc${line:+, $line}"
	fi
}
for t in "$dir"/tests/test_*; do
	[ -x "$t" ] || continue
	suite "unit $(basename "$t")" "$t"
done
export STEPBOOK="$dir/stepbook"
suite "command line" sh tests/cli/test_cli.sh
suite "incremental" sh tests/cli/test_incremental.sh
suite "serve" sh tests/cli/test_serve.sh
finish
