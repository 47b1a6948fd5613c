#!/bin/sh
# The template variables are one interface written three times: the table
# of generator/book/theme_vars.c (which the build's warnings use), the README's
# "Template variables" section, and the keys that pages.c and
# write_extras.c put into the pages' contexts. Fails when any of the three
# has a variable the others lack. Run from the top of the repository.
set -u
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the table's paths (an entry's text may be on the next line)
sed -n 's/^	{ "\([^"]*\)",.*/\1/p' generator/book/theme_vars.c | sort -u >"$T/table"
# the README's list, between its heading and the next one
awk '/^### Template variables$/ { on = 1; next } /^##/ { on = 0 }
	on && /^- `[^`]*`: / { sub(/^- `/, ""); sub(/`: .*/, ""); print }' README.md |
	sort -u >"$T/readme"
# code_keys FILE...: the keys the code sets in the pages' contexts: the
# name given to every ctx_*() call (context.h), and to the helpers of
# pages.c that put a named member (the first string they are given)
code_keys() {
	grep -ho -E '(ctx_[a-z_]+|pages_actions|pages_link|pages_urls|pages_text)\(([^,()"]+, )+"[a-z_0-9]+"' "$@" |
		sed 's/.*"\(.*\)"$/\1/' | sort -u
}
# ... and the names in pages.c's table of a chapter's strings
# (pages_text_kinds: { "name", "interface string", titled })
{
	code_keys generator/site/pages.c generator/site/write_extras.c
	sed -n 's/^	{ "\([a-z_0-9]*\)", "[a-z_0-9]*", [01] },$/\1/p' generator/site/pages.c
} | sort -u >"$T/code"
# every part of the table's paths ("page.toc[].id" -> page, toc, id), and
# the last parts alone ("book.params.*" -> params)
sed 's/\.\*$//; s/\[\]//g' "$T/table" | tr '.' '\n' | sort -u >"$T/table_parts"
sed 's/\.\*$//; s/\[\]//g; s/.*\.//' "$T/table" | sort -u >"$T/table_keys"

[ -s "$T/table" ] && [ -s "$T/readme" ] && [ -s "$T/code" ] &&
	pass "the three lists were read" || fail "reading the lists" "one is empty"
d=$(diff "$T/table" "$T/readme")
[ -z "$d" ] && pass "README lists exactly the variables of theme_vars.c" ||
	fail "README vs theme_vars.c" "$(printf '%s\n' "$d" | grep '^[<>]' | tr '\n' ' ')"
missing=$(comm -23 "$T/code" "$T/table_parts" | tr '\n' ' ')
[ -z "$missing" ] && pass "every key the code gives templates is documented" ||
	fail "undocumented keys" "set by the code, in no table path: $missing"
extra=$(comm -13 "$T/code" "$T/table_keys" | tr '\n' ' ')
[ -z "$extra" ] && pass "every documented variable is set by the code" ||
	fail "documented but not set" "$extra"
# and the check itself: a key added to the code without documentation
sed 's/ctx_int(x, "words"/ctx_int(x, "wordz"/' generator/site/pages.c >"$T/pages.c"
code_keys "$T/pages.c" generator/site/write_extras.c >"$T/code2"
[ -n "$(comm -23 "$T/code2" "$T/table_parts")" ] && [ -n "$(comm -13 "$T/code2" "$T/table_keys")" ] &&
	pass "a key renamed in the code would be caught both ways" || fail "self-check" "not caught"
finish
