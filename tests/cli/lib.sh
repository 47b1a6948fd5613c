# Shared helpers for the shell test suites: ok/fail counting and a final
# "N passed, N failed" line. Source it, call `check NAME CMD...` or
# `pass NAME` / `fail NAME WHY`, and end with `finish`.
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }
# check NAME CMD...: passes when CMD exits 0.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}
