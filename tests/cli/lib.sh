# Shared helpers for the shell test suites: ok/fail counting and a final
# "N passed, N failed" line. Source it, call `check NAME CMD...` or
# `pass NAME` / `fail NAME WHY`, and end with `finish`. `interrupt NAME`
# stops a server started in the background as $PID.
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
# interrupt NAME: sends SIGINT to the server $PID, as Ctrl-C does, and
# passes when it ends within 5 s with exit status 0 ($PID is then "").
interrupt() {
	kill -INT "$PID"
	for _ in $(seq 1 50); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$PID" 2>/dev/null; then
		fail "$1" "still running"
		return
	fi
	wait "$PID"
	irc=$?
	PID=""
	[ "$irc" = 0 ] && pass "$1" || fail "$1" "exit status $irc"
}
finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}
