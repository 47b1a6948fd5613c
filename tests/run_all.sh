#!/bin/sh
# The whole test suite, as `make test` runs it. Each suite prints its own
# "N passed, N failed" line; this adds them up and ends with the total.
# Run from the top of the repository, after `make tool` and the unit tests
# are built.
set -u
top=$(pwd)
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
passed=0
failed=0
failed_suites=""

suite() {
	name=$1
	shift
	printf '== %s\n' "$name"
	"$@" >"$log/out" 2>&1
	rc=$?
	cat "$log/out"
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log/out" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(printf '%s\n' "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/')
		f=$(printf '%s\n' "$line" | sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/')
	else
		p=0
		f=0
		[ "$rc" = 0 ] && p=1
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" != 0 ]; then
		failed_suites="$failed_suites $name"
	fi
}

suite "layers" sh tests/layers.sh
suite "sizes" sh tests/sizes.sh
for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	suite "unit: $(basename "$t")" "$t"
done
suite "command line" sh tests/cli/test_cli.sh
suite "author" sh tests/cli/test_author.sh
suite "folders" sh tests/cli/test_folders.sh
suite "book structure" sh tests/cli/test_structure.sh
suite "template variables" sh tests/cli/test_theme_vars.sh
suite "languages" sh tests/cli/test_i18n.sh
suite "translations" sh tests/cli/test_translations.sh
suite "mdbook" sh tests/cli/test_mdbook.sh
suite "incremental" sh tests/cli/test_incremental.sh
suite "another build's cache" sh tests/cli/test_build_id.sh
suite "output transaction" sh tests/cli/test_output.sh
suite "published site" node tests/cli/test_published.mjs
suite "serve" sh tests/cli/test_serve.sh
suite "slow clients" sh tests/cli/test_slow_client.sh
suite "integrity" sh tests/cli/test_integrity.sh
suite "golden" sh tests/golden/run.sh
suite "epub" sh tests/epub/check.sh
suite "calibre" sh tests/epub/calibre.sh
suite "book content" node tests/tools/content_check.mjs content --source-optional ../shared/seed/000_ba29f06ed541fa43.txt
suite "book build and validators" sh tests/validate.sh
if [ -d tests/browser ] && [ -f tests/browser/run.sh ]; then
	suite "browser" sh tests/browser/run.sh
fi

echo
if [ -n "$failed_suites" ]; then
	echo "failed suites:$failed_suites"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ -z "$failed_suites" ]
