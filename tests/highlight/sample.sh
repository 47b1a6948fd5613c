#!/bin/sh
# keep the short notes
set -eu
limit=${1:-100}
readonly DIR="$HOME/notes"

count() {
	local n=0
	for f in "$DIR"/*.md; do
		size=$(wc -c < "$f")
		if [ "$size" -lt "$limit" ] && [ -r "$f" ]; then
			n=$((n + 1))
			echo "short: $f" >> /tmp/log 2>&1
		fi
	done
	printf '%s\n' "$n"
}

case "$2" in
	-v|--verbose) set -x ;;
	*) ;;
esac
while read -r line; do echo "${line%%:*}"; done < <(ls -la)
cat <<END
a heredoc with $limit
END
export PATH=/usr/bin:$PATH
count | grep -q 3 || exit 1
