#!/bin/sh
# Debian's Chromium with the flags this closed-network, root machine needs,
# for tools that only take an executable path (Ace's puppeteer reads
# PUPPETEER_EXECUTABLE_PATH). Launchers already add --headless,
# --no-sandbox and a fresh --user-data-dir; the rest stop Chromium from
# reaching for Google's hosts (refused here) and from using a GPU.
# CHROMIUM overrides the binary (default /usr/lib/chromium/chromium).
exec "${CHROMIUM:-/usr/lib/chromium/chromium}" \
	--no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	"$@"
