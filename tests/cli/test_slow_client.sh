#!/bin/sh
# `stepbook serve` survives slow clients: 2,000 half-open connections from
# one address are mostly refused (a limit per address), 2,000 spread over
# 40 addresses are all held (no FD_SETSIZE limit, no thread each), and in
# both cases a normal page still comes in under a second; idle connections
# are closed after a short timeout, while a reload-event stream stays open
# (and gets its ping); Ctrl-C stops the server cleanly with a stream open.
set -u
. "$(dirname "$0")/lib.sh"
TOP=$(pwd)
SB=${STEPBOOK:-$TOP/build/stepbook}
T=$(mktemp -d)
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
C() { curl --noproxy '*' -s --max-time 10 "$@"; }

# 2,000 sockets here, as many in the server (which starts from this limit)
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cp -r content "$T/content"
cd "$T" || exit 1
serve_start
[ -n "$port" ] || { fail "serve starts" "$(cat serve.err)"; finish; exit 1; }

# normal NAME: a normal page, whole, in under a second
normal() {
	got=$(C -o page.html -w '%{http_code} %{time_total}' "$U/02-accept.html")
	code=${got% *}
	secs=${got#* }
	if [ "$code" = 200 ] && tail -n 2 page.html | grep -q '</html>' &&
		awk "BEGIN { exit !($secs < 1) }"; then
		pass "$1 ($secs s)"
	else
		fail "$1" "status $code in $secs s"
	fi
}

# hold COUNT HOLD SOURCE...: starts the slow client, waits until it holds
hold() {
	node "$TOP/tests/tools/slowloris.mjs" "$port" "$@" >slow.out 2>&1 &
	SLOW=$!
	for _ in $(seq 1 200); do
		grep -q '^ready' slow.out && break
		sleep 0.1
	done
	ready=$(grep '^ready' slow.out)
}

normal "a normal page before"

# one address: past its limit, its connections are refused
hold 2000 3 127.0.0.2
open=$(printf '%s' "$ready" | sed -n 's/.*open=\([0-9]*\).*/\1/p')
[ -n "$open" ] && [ "$open" -le 64 ] &&
	pass "2,000 half-open connections from one address: $open held, the rest refused" ||
	fail "per-address limit" "${ready:-no report}: $(cat slow.out)"
normal "... and a normal page from another address comes in under a second"
wait "$SLOW"

# 40 addresses, 50 each: all held, and the server still answers
sources=""
for i in $(seq 1 40); do sources="$sources 127.0.1.$i"; done
# shellcheck disable=SC2086
hold 2000 14 $sources
open=$(printf '%s' "$ready" | sed -n 's/.*open=\([0-9]*\).*/\1/p')
[ "${open:-0}" = 2000 ] && pass "2,000 half-open connections from 40 addresses are all held" ||
	fail "2,000 held" "${ready:-no report}: $(cat slow.out)"
C -N --max-time 17 "$U/__stepbook/events" >events.txt &
EV=$!
normal "... and a normal page still comes in under a second"
wait "$SLOW"
end=$(sed -n 's/^end open=//p' slow.out)
[ "${end:-x}" = 0 ] && pass "idle connections are closed after a short timeout" ||
	fail "idle timeout" "$(cat slow.out)"
wait "$EV"
grep -q '^: ping' events.txt && pass "a reload-event stream stays open past it, with a ping" ||
	fail "event stream kept" "$(cat events.txt)"
normal "a normal page after"

# Ctrl-C with an event stream open (suspended in the server)
C -N --max-time 10 "$U/__stepbook/events" >/dev/null &
EV=$!
sleep 0.5
interrupt "Ctrl-C stops the server cleanly with a stream open"
kill "$EV" 2>/dev/null
wait "$EV" 2>/dev/null
finish
