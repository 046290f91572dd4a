#!/usr/bin/env bash
# memory-crawl.sh — the peak memory (RSS) of `tambon serve` for a district.
#
# It serves a demo database (amphoe Ban Pong, 7005: about 34,500 generated
# households in each of two rounds, Ratchaburi's published figures, plans,
# programmes, village surveys) and views, 16 at a time: every area of the
# amphoe (its page in both rounds, the results API, the poverty page; the
# printable report and the Excel export of the amphoe and its tambons), every
# village's household list, and 400 household pages — twice signed in as the
# district office, once anonymously. GNU time reports the server's peak RSS.
#
# From the repository root:
#   go run ./cmd/tambon demo --db /tmp/demo.db      # stop it once it serves
#   bench/memory-crawl.sh /tmp/demo.db gz           # gz: as browsers ask; plain: no gzip
#
# Needs /usr/bin/time (GNU time), curl, grep and pkill. docs/BENCHMARKS.md, Memory.
set -eu
db=${1:?usage: memory-crawl.sh DEMO.db [gz|plain]}
enc=${2:-gz}
port=${PORT:-18765}
base=http://127.0.0.1:$port
work=$(mktemp -d)
trap 'pkill -INT -P "${timer:-0}" 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/tambon" ./cmd/tambon

/usr/bin/time -v "$work/tambon" serve --db "$db" --addr "127.0.0.1:$port" >"$work/serve.out" 2>"$work/time.out" &
timer=$!
for _ in $(seq 50); do curl -sf -o /dev/null "$base/healthz" && break; sleep 0.2; done
z=""
[ "$enc" = gz ] && z=--compressed
curl -s -c "$work/jar" -b "$work/jar" -o /dev/null -H "Origin: $base" \
	-d "username=banpong&password=tambon-demo&next=/" "$base/login"

codes() { curl -s "$base/api/v1/areas/$1/children" | grep -o '"code":"[0-9]*"' | grep -o '[0-9]\{6,8\}'; }
tambons=$(codes 7005)
villages=$(for t in $tambons; do codes "$t"; done)
{
	for c in 7005 $tambons $villages; do
		for r in bmn-2561 bmn-2562; do
			echo "/areas/$c?round=$r" "/api/v1/areas/$c/results?round=$r" "/areas/$c/poverty?round=$r"
		done
	done
	for c in 7005 $tambons; do echo "/areas/$c/report?round=bmn-2562" "/areas/$c/export.xlsx?round=bmn-2562"; done
	for v in $villages; do echo "/rounds/bmn-2562/areas/$v/households"; done
	for v in $(echo "$villages" | head -40); do
		curl -s -b "$work/jar" "$base/rounds/bmn-2562/areas/$v/households" |
			grep -o 'href="/households/[0-9]*"' | grep -o '/households/[0-9]*' | head -10
	done
} | tr ' ' '\n' | grep . >"$work/urls"

view() { sed "s#^#$base#" "$work/urls" | xargs -P 16 -I{} curl -s $z "$@" -o /dev/null -w '%{http_code}\n' {}; }
{ view -b "$work/jar"; view -b "$work/jar"; view; } | sort | uniq -c | tr '\n' ' '
echo "($(wc -l <"$work/urls") addresses, 3 passes, $enc)"
pkill -INT -P "$timer" # the server, which GNU time is waiting for
wait "$timer" || true
grep 'Maximum resident' "$work/time.out"
