#!/bin/sh
# `stepbook serve`: starts on a free loopback port, serves pages with the
# reload script injected, the right types and no-cache, refuses paths that
# lead out of the site (.., encoded %2e%2e, symlinks), 404s with the 404
# page, rebuilds on an edit and sends a reload event, reports a broken build
# as an event while serving the last good site, and stops cleanly on SIGINT.
# Then a bounded wrk run against it while the book is being rebuilt.
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
PID=""
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
C() { curl --noproxy '*' -s --max-time 10 "$@"; }

cp -r content "$T/content"
cd "$T" || exit 1
serve_start
[ -n "$port" ] && pass "serve starts on a free loopback port ($port)" || { fail "serve starts" "$(cat serve.err)"; finish; exit 1; }

got=$(C -o /dev/null -w '%{http_code} %{content_type}' "$U/")
[ "$got" = "200 text/html; charset=utf-8" ] && pass "GET / serves index.html" || fail "GET /" "$got"
C "$U/02-accept.html" | grep -q '<script src="/__stepbook/reload.js"></script>' &&
	pass "pages get the reload script when served" || fail "reload script injected" "missing"
grep -q '__stepbook' output/site/02-accept.html &&
	fail "built site stays clean" "reload script written into output/" ||
	pass "the built site has no reload script"
got=$(C -I "$U/assets/site.css" | tr -d '\r' | grep -iE '^(content-type|cache-control):' | sort | tr '\n' ' ')
[ "$got" = "Cache-Control: no-cache Content-Type: text/css; charset=utf-8 " ] &&
	pass "HEAD: content type and no-cache" || fail "HEAD headers" "$got"
got=$(C -o /dev/null -w '%{http_code}' "$U/no-such-page.html")
C "$U/no-such-page.html" | grep -q 'Page not found' && [ "$got" = 404 ] &&
	pass "missing page: 404 with the 404 page" || fail "404" "$got"
got=$(C -o /dev/null -w '%{http_code}' --path-as-is "$U/../../../../etc/passwd")
[ "$got" = 403 ] || [ "$got" = 404 ] && pass "'..' refused ($got)" || fail "'..' refused" "$got"
got=$(C -o /dev/null -w '%{http_code}' --path-as-is "$U/%2e%2e/%2e%2e/%2e%2e/etc/passwd")
[ "$got" = 403 ] || [ "$got" = 404 ] && pass "encoded '%2e%2e' refused ($got)" || fail "%2e%2e refused" "$got"
got=$(C -o /dev/null -w '%{http_code}' --path-as-is "$U//etc/passwd")
[ "$got" = 404 ] && pass "absolute path refused" || fail "absolute path" "$got"
ln -s /etc output/site/outside
got=$(C -o /dev/null -w '%{http_code}' "$U/outside/passwd")
[ "$got" = 403 ] && pass "symlink leading out refused" || fail "symlink out" "$got"
rm output/site/outside
got=$(C -o /dev/null -w '%{http_code}' -X POST "$U/")
[ "$got" = 405 ] && pass "POST refused with 405" || fail "POST" "$got"

C -N --max-time 6 "$U/__stepbook/events" >events.txt &
EV=$!
sleep 0.5
sed -i 's/^title: .*/title: "Step 1: Accept it, edited"/' content/02-accept.md
for _ in $(seq 1 40); do
	grep -q 'Accept it, edited' output/site/02-accept.html 2>/dev/null && break
	sleep 0.1
done
sleep 0.3
C "$U/02-accept.html" | grep -q '<h1>Step 1: Accept it, edited</h1>' &&
	pass "an edit is rebuilt and served" || fail "edit rebuilt" "$(cat serve.err)"
grep -q '^event: reload' events.txt && pass "a reload event is sent" || fail "reload event" "$(cat events.txt)"

mv content/02-accept.md content/02-accept.md.bak
printf -- '---\ntitle: broken\n' >content/02-accept.md.new && mv content/02-accept.md.new content/02-accept.md
sleep 1.2
grep -q '^event: failed' events.txt && grep -q 'unterminated front matter' events.txt &&
	pass "a failed build is sent to the page" || fail "failed event" "$(cat events.txt)"
C "$U/02-accept.html" | grep -q 'Accept it, edited' &&
	pass "the last good site keeps being served" || fail "last good site" "not served"
grep -q "unterminated front matter" serve.err && pass "the error is shown in the terminal" || fail "terminal error" "$(cat serve.err)"
mv content/02-accept.md.bak content/02-accept.md
wait $EV 2>/dev/null

if command -v wrk >/dev/null 2>&1; then
	( for i in 1 2 3 4 5; do
		sed -i "s/^summary: .*/summary: Load run edit $i./" content/03-avoid.md
		sleep 0.4
	done ) &
	EDITS=$!
	out=$(wrk -t2 -c16 -d3s --timeout 2s "$U/03-avoid.html" 2>&1)
	wait $EDITS
	printf '%s\n' "$out" | sed -n '/Requests\/sec/p;/requests in/p;/Non-2xx/p;/Socket errors/p'
	if printf '%s\n' "$out" | grep -qE 'Non-2xx|Socket errors'; then
		fail "load run: no failed requests" "$out"
	elif printf '%s\n' "$out" | grep -q 'requests in'; then
		pass "load run during rebuilds: no failed requests"
	else
		fail "load run" "$out"
	fi
	# every page served during the edits was complete
	bad=0
	for _ in $(seq 1 200); do
		C "$U/03-avoid.html" | tail -n 3 | grep -q '</html>' || bad=$((bad + 1))
	done
	[ "$bad" = 0 ] && pass "no half-written page served (200 fetches)" || fail "half-written pages" "$bad incomplete"
fi

interrupt "Ctrl-C stops the server cleanly"
finish
