#!/bin/sh
# The build cache (cache.h) trusts only what this very build of stepbook
# wrote: its keys start from build_id.h's hash of the version and of the
# files the tool was made from (the Makefile's build_sources.h). A cache
# written by another build of the same version is not taken, and the
# output is that of a clean build. The other build is this one linked
# again with another STEPBOOK_SOURCES.
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
B=$(dirname "$SB")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200

grep -Eq '^#define STEPBOOK_SOURCES "[0-9a-f]{8,}"$' "$B/build_sources.h" &&
	pass "the build names the hash of its sources" ||
	fail "sources hash" "$(cat "$B/build_sources.h" 2>&1)"

mkdir -p "$T/other"
printf '#define STEPBOOK_SOURCES "another build"\n' >"$T/other/build_sources.h"
if ! ${CC:-cc} -c -I"$T/other" $(make -s --no-print-directory print-includes) \
	-DSTEPBOOK_VERSION="\"$(cat VERSION)\"" generator/core/build_id.c \
	-o "$T/other/build_id.o" ||
	! ${CC:-cc} "$B/obj/cli/main.o" "$T/other/build_id.o" "$B/libstepbook.a" \
		$(make -s --no-print-directory print-libs) -o "$T/other/stepbook"; then
	fail "another build" "could not link stepbook with another build_id.o"
	finish
	exit
fi

cd "$T" || exit 1
mkdir book && (cd book && "$SB" init . >/dev/null 2>&1) || fail "init" "no book"
cp -r book clean
(cd clean && "$SB" build -q) || fail "clean build" "failed"

# the other build writes the output and its cache; this one takes none
# of it, and writes what a clean build writes
(cd book && "$T/other/stepbook" build -q) || fail "other build" "failed"
out=$(cd book && "$SB" build -v 2>&1)
printf '%s\n' "$out" | grep -q '^stepbook: EPUB: 0 of 3 chapter documents taken from the last one$' &&
	pass "another build's EPUB documents are not taken" ||
	fail "another build's EPUB" "$(printf '%s\n' "$out" | grep -v '^  ')"
diff -r -x '.stepbook-cache*' -x .stepbook-stage book/output clean/output >diff.txt 2>&1 &&
	pass "after another build's cache: the output of a clean build" ||
	fail "another build's cache" "$(head diff.txt)"
# and its own cache, it takes
out=$(cd book && "$SB" build -v 2>&1)
printf '%s\n' "$out" | grep -q '^stepbook: EPUB: 3 of 3 chapter documents taken from the last one$' &&
	pass "its own cache is taken" ||
	fail "own cache" "$(printf '%s\n' "$out" | grep -v '^  ')"
finish
