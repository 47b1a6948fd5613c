# Shared helpers for the shell test suites: ok/fail counting and a final
# "N passed, N failed" line. Source it, call `check NAME CMD...` or
# `pass NAME` / `fail NAME WHY`, and end with `finish`. `serve_start`
# starts a server in the background ($PID), `interrupt NAME` stops it.
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
# serve_start: starts `$SB serve --port 0 --no-epub` in the current folder
# in the background ($PID; its output in serve.out and serve.err) and
# waits up to 10 s for it to listen: $port and $U are then set, else
# $port is empty.
serve_start() {
	"$SB" serve --port 0 --no-epub >serve.out 2>serve.err &
	PID=$!
	port=""
	for _ in $(seq 1 100); do
		port=$(sed -n 's/.*http:\/\/127.0.0.1:\([0-9][0-9]*\)\/.*/\1/p' serve.out)
		[ -n "$port" ] && break
		sleep 0.1
	done
	U="http://127.0.0.1:$port"
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
