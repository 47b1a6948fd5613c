#!/bin/sh
# The output folder as one transaction (generator/incremental/output.h): wherever a
# build stops (killed at any step, a write failing at any step, a full
# disk, a folder it may not write), output/ is the previous build or the
# new one, never a mix; a second build into the same output fails at once;
# and after any of it, the next build equals a clean build byte for byte.
#
# The kill points use the test hook STEPBOOK_TEST_KILL_AFTER=N (SIGKILL
# after the Nth change to the output folder), the failures
# STEPBOOK_TEST_FAIL_AT=N (the Nth change fails with ENOSPC), two builds
# at once STEPBOOK_TEST_STOP_AFTER=N (SIGSTOP, the lock held).
# OUTPUT_SCENARIOS picks the rebuilds killed at every step (default all
# six: text title rename clean newpack image). Ends with the figures:
# kill points tried, mixes found.
set -u
. "$(dirname "$0")/lib.sh"
SB=${STEPBOOK:-$(pwd)/build/stepbook}
T=$(mktemp -d)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1764115200
# the book in its own language (a translation's pages are staged and
# committed the same way: test_translations.sh kills a build of a book in
# three languages at each of its steps)
cp -r content "$T/content0"
rm -r "$T/content0/es"
sed -i '/^translations:/d' "$T/content0/book.yml"
cd "$T" || exit 1
EPUB=four-steps-to-get-your-ex-back.epub

# fp DIR [cache]: what the output folder DIR publishes: the names at its
# top (not its lock and staging folder), every file of its site and its
# EPUBs with their md5; with "cache", the cache's index too.
fp() {
	(cd "$1" 2>/dev/null && {
		ls -A | grep -v -e '^\.stepbook-lock$' -e '^\.stepbook-stage$' -e '^\.stepbook-output$'
		[ -d site ] && find site -print0 | sort -z | xargs -0 md5sum 2>&1 |
			sed 's/^md5sum: \(.*\): Is a directory$/dir \1/'
		for e in ./*.epub; do [ -f "$e" ] && md5sum "$e"; done
		[ "${2:-}" = cache ] && [ -f .stepbook-cache ] && md5sum .stepbook-cache
		true
	})
}
# pack_md5 DIR [BYTES]: md5 of the pack (its first BYTES bytes)
pack_md5() {
	if [ -f "$1/.stepbook-cache.pack" ]; then
		head -c "${2:-999999999}" "$1/.stepbook-cache.pack" | md5sum
	else
		echo none
	fi
}
pack_size() { stat -c %s "$1/.stepbook-cache.pack" 2>/dev/null || echo 0; }
epubs_ok() {
	for e in "$1"/*.epub; do
		[ -f "$e" ] || continue
		unzip -tq "$e" >/dev/null 2>&1 || return 1
	done
}

# The edits the scenarios make. Each scenario starts from a book built
# twice (with a first edit between, so that the staging folder holds the
# site before last, as in an author's loop).
edit_first() { sed -i 's/^It is normal to feel that everything is collapsing\./It is normal, at first, to feel that everything is collapsing./' content/02-accept.md; }
edit_text() { sed -i 's/^It is normal, at first, to feel/It is normal, early on, to feel/' content/02-accept.md; }
edit_title() { sed -i 's/^title: .*/title: "Step 3: Radio silence, renamed"/' content/04-radio-silence.md; }
edit_rename() { sed -i 's/^title: .*/title: A Renamed Book/' content/book.yml; }
edit_image() {
	yes 'not really a PNG' | head -c 20000 >content/images/noise.png
	printf '\n![noise](images/noise.png)\n' >>content/05-reconnect.md
}

# old_state SCENARIO: builds book/ up to the state before SCENARIO's build
old_state() {
	rm -rf "$T/book"
	mkdir -p "$T/book"
	cp -r "$T/content0" "$T/book/content"
	cd "$T/book" || exit 1
	case $1 in
	clean) ;;
	*)
		"$SB" build -q && edit_first && "$SB" build -q || exit 1
		[ "$1" = newpack ] && rm output/.stepbook-cache.pack
		;;
	esac
	case $1 in
	text|newpack) edit_text ;;
	title) edit_title ;;
	rename) edit_rename ;;
	clean) edit_first ;;
	image) edit_image ;;
	esac
}

KILLS=0
JOURNALED=0
MIXES=0
mix() { MIXES=$((MIXES + 1)); fail "$1" "$2"; }

# kill_scenario NAME: kills the build of scenario NAME after each of its
# steps in turn, until it ends by itself
kill_scenario() {
	name=$1
	# the new output, and a clean build of the same content
	old_state "$name"
	"$SB" build -q || { fail "$name" "the build fails"; return; }
	new=$(fp output)
	rm -rf "$T/clean"
	mkdir -p "$T/clean"
	cp -r content "$T/clean/content"
	(cd "$T/clean" && "$SB" build -q) || return
	clean=$(fp "$T/clean/output")
	[ "$new" = "$clean" ] || fail "$name: reference" "a build from the old output differs from a clean one"
	n=1 points=0 bad=0
	while :; do
		old_state "$name"
		old=$(fp output cache)
		osize=$(pack_size output)
		opack=$(pack_md5 output)
		STEPBOOK_TEST_KILL_AFTER=$n "$SB" build -q >/dev/null 2>&1
		rc=$?
		[ $rc = 0 ] && break
		points=$((points + 1))
		if [ $rc != 137 ]; then
			mix "$name: kill $n" "exit $rc, not killed"
			bad=1
			break
		fi
		epubs_ok output || { mix "$name: kill $n" "an EPUB fails unzip -t"; bad=1; }
		if [ -e output/.stepbook-journal ]; then
			JOURNALED=$((JOURNALED + 1))
			# killed after its commit point: the next run finishes
			# the commit, even when it is killed in turn
			STEPBOOK_TEST_KILL_AFTER=1 "$SB" build -q >/dev/null 2>&1
			STEPBOOK_TEST_KILL_AFTER=2 "$SB" build -q >/dev/null 2>&1
			out=$("$SB" build -v 2>&1)
			case $out in
			*"; 0 pages written, "*"; EPUB unchanged;"*) ;;
			*) mix "$name: kill $n" "the commit was not finished before the build: $(printf '%s' "$out" | grep '^stepbook: [0-9]')"; bad=1 ;;
			esac
			[ "$(fp output)" = "$new" ] || { mix "$name: kill $n" "after the commit was finished: not the new output"; bad=1; }
		else
			# killed before its commit point: exactly the old output,
			# cache included (its pack may have grown past what the
			# index describes); or, once the journal is gone, the new
			[ "$(fp output)" = "$new" ] || {
				[ "$(fp output cache)" = "$old" ] &&
					[ "$(pack_md5 output "$osize")" = "$opack" ]
			} || { mix "$name: kill $n" "neither the old output nor the new: $(printf '%s\n' "$old" >"$T/o"; fp output cache | diff "$T/o" - | head -n 5)"; bad=1; }
			"$SB" build -q >/dev/null 2>&1 || { fail "$name: kill $n" "the next build fails"; bad=1; }
		fi
		[ "$(fp output)" = "$clean" ] || { mix "$name: kill $n" "the next build is not a clean build's"; bad=1; }
		[ -z "$(ls output/.stepbook-stage | grep -v '^site$')" ] ||
			{ fail "$name: kill $n" "staged files left: $(ls output/.stepbook-stage)"; bad=1; }
		n=$((n + 1))
	done
	KILLS=$((KILLS + points))
	[ $points -ge 5 ] && [ $bad = 0 ] &&
		pass "$name: killed at each of its $points steps, the old output or the new one, and then a clean build's" ||
		fail "$name" "$points kill points, problems above"
}

for s in ${OUTPUT_SCENARIOS:-text title rename clean newpack image}; do
	kill_scenario "$s"
done

# fail_scenario NAME: each step of the build fails in turn (ENOSPC)
fail_scenario() {
	name=$1
	n=1 points=0 bad=0
	while :; do
		old_state "$name"
		old=$(fp output cache)
		opack=$(pack_md5 output)
		out=$(STEPBOOK_TEST_FAIL_AT=$n "$SB" build 2>&1)
		rc=$?
		[ $rc = 0 ] && break
		points=$((points + 1))
		if [ -e output/.stepbook-journal ]; then
			case $out in
			*"No space left on device"*"the next stepbook run finishes writing output"*) ;;
			*) fail "$name: fail $n" "after the commit point: $out"; bad=1 ;;
			esac
		else
			case $out in
			*"No space left on device"*"; output left as it was"*) ;;
			*) fail "$name: fail $n" "rc $rc: $out"; bad=1 ;;
			esac
			[ "$(fp output cache)" = "$old" ] && [ "$(pack_md5 output)" = "$opack" ] ||
				{ mix "$name: fail $n" "not exactly the old output"; bad=1; }
		fi
		"$SB" build -q >/dev/null 2>&1 && [ "$(fp output)" = "$clean" ] ||
			{ mix "$name: fail $n" "the next build is not a clean build's"; bad=1; }
		n=$((n + 1))
	done
	[ $points -ge 5 ] && [ $bad = 0 ] &&
		pass "$name: each of its $points steps failing leaves the output as it was (or finished by the next run)" ||
		fail "$name: failures" "$points failure points, problems above"
}
for s in text rename; do
	old_state "$s"
	mkdir -p "$T/clean2"
	rm -rf "$T/clean2/content" "$T/clean2/output"
	cp -r content "$T/clean2/content"
	(cd "$T/clean2" && "$SB" build -q)
	clean=$(fp "$T/clean2/output")
	fail_scenario "$s"
done

# a real full disk: a small tmpfs that takes the old output but not a
# new one with a large image
mnt=$T/mnt
mkdir -p "$mnt"
if mount -t tmpfs -o size=8m tmpfs "$mnt" 2>/dev/null; then
	old_state text
	"$SB" build -q --out "$mnt/out" || fail "full disk" "first build"
	old=$(fp "$mnt/out" cache)
	opack=$(pack_md5 "$mnt/out")
	head -c 1500000 /dev/urandom >content/images/big.png
	printf '\n![big](images/big.png)\n' >>content/05-reconnect.md
	avail=$(df -k --output=avail "$mnt" | tail -n 1)
	head -c $(((avail - 1200) * 1024)) /dev/zero >"$mnt/filler" 2>/dev/null
	out=$("$SB" build --out "$mnt/out" 2>&1)
	rc=$?
	case $out in
	*"No space left on device"*"; $mnt/out left as it was"*) ok=1 ;;
	*) ok=0 ;;
	esac
	[ $rc = 1 ] && [ $ok = 1 ] && [ "$(fp "$mnt/out" cache)" = "$old" ] &&
		[ "$(pack_md5 "$mnt/out")" = "$opack" ] &&
		[ -z "$(ls "$mnt/out/.stepbook-stage" | grep -v '^site$')" ] &&
		pass "a full disk: says so, and the output (cache included) is as it was" ||
		fail "full disk" "rc $rc: $out"
	rm -f "$mnt/filler"
	rm -rf "$T/clean3"
	mkdir -p "$T/clean3"
	cp -r content "$T/clean3/content"
	(cd "$T/clean3" && "$SB" build -q)
	"$SB" build -q --out "$mnt/out" && [ "$(fp "$mnt/out")" = "$(fp "$T/clean3/output")" ] &&
		pass "a full disk: once there is room, the next build is a clean build's" ||
		fail "full disk, then room" "not a clean build's output"
	umount "$mnt"
else
	echo "skip a full disk: cannot mount a tmpfs here (needs root)"
fi

# a folder the build may not write: the staging folder read-only (as a
# user that is not root: root writes anyway)
as_user() {
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || return 2
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}
old_state text
cd "$T" || exit 1
[ "$(id -u)" = 0 ] && chown -R 65534:65534 book
cd "$T/book" || exit 1
if as_user true; then
	as_user "$SB" build -q
	edit_text
	old=$(fp output cache)
	chmod a-w output/.stepbook-stage
	out=$(as_user "$SB" build 2>&1)
	rc=$?
	chmod u+w output/.stepbook-stage
	[ $rc = 1 ] && case $out in *"Permission denied"*"; output left as it was"*) true ;; *) false ;; esac &&
		[ "$(fp output cache)" = "$old" ] &&
		pass "a staging folder it may not write: says so, output as it was" ||
		fail "read-only staging folder" "rc $rc: $out"
	# a read-only site/: it would be replaced whole, not written into,
	# but a folder moved to another needs to be writable (its "..")
	as_user "$SB" build -q
	edit_title
	old=$(fp output cache)
	chmod a-w output/site
	out=$(as_user "$SB" build 2>&1)
	rc=$?
	chmod u+w output/site
	[ $rc = 1 ] && case $out in *"output/site: error: cannot publish the build: Permission denied"*"; output left as it was"*) true ;; *) false ;; esac &&
		[ "$(fp output cache)" = "$old" ] &&
		pass "a read-only site/: says so before its commit point, output as it was" ||
		fail "read-only site/" "rc $rc: $out"
	rm -rf "$T/clean6"
	mkdir -p "$T/clean6"
	cp -r content "$T/clean6/content"
	(cd "$T/clean6" && "$SB" build -q)
	as_user "$SB" build -q && [ "$(fp output)" = "$(fp "$T/clean6/output")" ] &&
		pass "a read-only site/: once writable, the next build is a clean build's" ||
		fail "read-only site/, then writable" "not a clean build's output"
else
	echo "skip a read-only staging folder: no way to run as another user"
fi
cd "$T" || exit 1
[ "$(id -u)" = 0 ] && chown -R 0:0 book

# two builds at once: the second fails at once, naming the first
old_state text
old=$(fp output cache)
rm -rf "$T/clean5"
mkdir -p "$T/clean5"
cp -r content "$T/clean5/content"
(cd "$T/clean5" && "$SB" build -q)
clean=$(fp "$T/clean5/output")
STEPBOOK_TEST_STOP_AFTER=3 "$SB" build -q &
pid=$!
i=0
while [ $i -lt 100 ] && [ "$(cut -d' ' -f3 /proc/$pid/stat 2>/dev/null)" != T ]; do
	sleep 0.05
	i=$((i + 1))
done
t0=$(date +%s%N)
out=$("$SB" build 2>&1)
rc=$?
t1=$(date +%s%N)
out2=$("$SB" clean 2>&1)
rc2=$?
kill -CONT $pid
wait $pid
rc3=$?
[ $rc = 1 ] && [ $(((t1 - t0) / 1000000)) -lt 2000 ] &&
	case $out in *"error: another stepbook (pid $pid) is writing output/"*"; output left as it was"*) true ;; *) false ;; esac &&
	[ $rc2 = 1 ] && case $out2 in *"another stepbook (pid $pid) is writing output/"*) true ;; *) false ;; esac &&
	[ $rc3 = 0 ] && [ "$(fp output)" = "$clean" ] &&
	pass "a second build (or clean) into the same output fails at once, naming the first; the first ends well" ||
	fail "two builds at once" "rc $rc, $out; clean: rc $rc2, $out2; first: rc $rc3"
# ... started together, again and again: each either builds or fails at
# once, and the output is a clean build's
i=0 bad=0
while [ $i -lt 8 ]; do
	printf '\nLine %s.\n' $i >>content/06-after.md
	"$SB" build -q 2>"$T/e1" &
	p1=$!
	"$SB" build -q 2>"$T/e2" &
	p2=$!
	wait $p1
	r1=$?
	wait $p2
	r2=$?
	for r in "$r1:$T/e1" "$r2:$T/e2"; do
		case $r in
		0:*) ;;
		1:*) grep -q 'another stepbook (pid [0-9]*) is writing output/' "${r#1:}" || bad=1 ;;
		*) bad=1 ;;
		esac
	done
	i=$((i + 1))
done
rm -rf "$T/clean4"
mkdir -p "$T/clean4"
cp -r content "$T/clean4/content"
(cd "$T/clean4" && "$SB" build -q)
"$SB" build -q && [ $bad = 0 ] && [ "$(fp output)" = "$(fp "$T/clean4/output")" ] &&
	[ ! -e output/.stepbook-journal ] &&
	pass "builds started together: each builds or fails at once; the output is a clean build's" ||
	fail "builds started together" "$(cat "$T/e1" "$T/e2")"

# killed from outside at random moments (no test hook: any stepbook),
# in a rebuild of a 200-chapter book that rewrites every page
mkdir -p "$T/big/content"
cd "$T/big" || exit 1
printf 'title: Two hundred chapters\nauthor: Test\nlanguage: en\n' >content/book.yml
printf 'identifier: urn:uuid:5d1b8f7e-3c1a-4b6e-9f3e-2a7c9d0e4b11\n' >>content/book.yml
i=1
while [ $i -le 200 ]; do
	n=$(printf '%03d' $i)
	printf -- '---\ntitle: Chapter %s\n---\n\n## Part %s\n\n- [ ] Task %s\n\n%s\n' \
		"$n" "$n" "$n" "$(yes "Some words of chapter $n to fill the page." | head -n 40 | tr '\n' ' ')" \
		>"content/c$n.md"
	i=$((i + 1))
done
"$SB" build -q || fail "200 chapters" "first build"
cp -a output "$T/big-old"
bold=$(fp output cache)
sed -i 's/^title: Chapter 001$/title: The first chapter/' content/c001.md
rm -rf output
cp -a "$T/big-old" output
t0=$(date +%s%N)
"$SB" build -q
dur=$((($(date +%s%N) - t0) / 1000000))
bnew=$(fp output)
tries=0 bmix=0
while [ $tries -lt 20 ]; do
	rm -rf output
	cp -a "$T/big-old" output
	ms=$(($(od -An -N2 -tu2 /dev/urandom) % (dur + 1)))
	"$SB" build -q >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' "$ms")"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	tries=$((tries + 1))
	epubs_ok output || { bmix=$((bmix + 1)); continue; }
	if [ -e output/.stepbook-journal ]; then
		"$SB" build -q >/dev/null 2>&1
		[ "$(fp output)" = "$bnew" ] || bmix=$((bmix + 1))
	elif [ "$(fp output)" != "$bnew" ] && [ "$(fp output cache)" != "$bold" ]; then
		bmix=$((bmix + 1))
	fi
done
KILLS=$((KILLS + tries))
MIXES=$((MIXES + bmix))
[ $bmix = 0 ] && pass "200 chapters, killed at random $tries times within its $dur ms: the old output or the new" ||
	fail "200 chapters killed at random" "$bmix of $tries left neither the old output nor the new"
cd "$T" || exit 1

# a journal that does not fit the folder (something else moved the
# staged site): the next build says so and makes every file again
n=1
while :; do
	old_state text
	STEPBOOK_TEST_KILL_AFTER=$n "$SB" build -q >/dev/null 2>&1
	[ $? = 137 ] || break
	[ -e output/.stepbook-journal ] && [ -d output/.stepbook-stage/site ] &&
		[ "$(fp output)" != "$new" ] && break
	n=$((n + 1))
done
if [ -e output/.stepbook-journal ]; then
	cp -a output/.stepbook-stage/site "$T/moved"
	rm -rf output/.stepbook-stage/site
	mv "$T/moved" output/.stepbook-stage/site
	out=$("$SB" build -v 2>&1)
	rc=$?
	rm -rf "$T/clean7"
	mkdir -p "$T/clean7"
	cp -r content "$T/clean7/content"
	(cd "$T/clean7" && "$SB" build -q)
	[ $rc = 0 ] && case $out in *"output/.stepbook-journal: warning: the last build's commit cannot be finished (the folder was changed); building everything again"*"EPUB: 0 of 6 chapter documents taken"*) true ;; *) false ;; esac &&
		[ ! -e output/.stepbook-journal ] && [ "$(fp output)" = "$(fp "$T/clean7/output")" ] &&
		pass "a journal that does not fit the folder: said, everything made again, a clean build's output" ||
		fail "journal not fitting" "rc $rc: $out"
else
	fail "journal not fitting" "no kill point left a journal"
fi

# what an older stepbook, killed, left at the top of the output folder
# goes; a build with errors into a folder that was not there leaves none
old_state text
mkdir -p output/site.tmp-4242/sub
: >output/.stepbook-cache.tmp-4242
: >output/$EPUB.tmp-4242-140737488
: >output/notes.tmp-12a
"$SB" build -q && [ -z "$(ls -A output | grep -v notes.tmp-12a | grep tmp-)" ] && [ -f output/notes.tmp-12a ] &&
	pass "an older stepbook's temporaries in output/ are removed" ||
	fail "older temporaries" "$(ls -A output)"
cp content/06-after.md "$T/06-after.md"
printf '\n[x](nope.md)\n' >>content/06-after.md
out=$("$SB" build --out "$T/never" 2>&1)
[ $? = 1 ] && [ ! -e "$T/never" ] && pass "a first build with errors leaves no output folder" ||
	fail "first build with errors" "$(ls -A "$T/never" 2>&1) $out"
cp "$T/06-after.md" content/06-after.md

echo "kill points tried: $KILLS ($JOURNALED after the commit point); mixes found: $MIXES"
finish
