#!/usr/bin/env bash
# signin-rss.sh — the peak memory (RSS) of `tambon serve` under 100 wrong
# sign-ins sent at once, on each door.
#
# Each scenario starts a fresh server on a small database (the country's
# areas, two accounts) and reads its peak RSS (VmHWM in /proc) after the
# burst; the answers' status codes are counted. Scenarios:
#   web      100 wrong passwords for "admin" on the login form, at once
#   basic    100 wrong OpenRosa Basic passwords for "admin", at once
#   spray    100 OpenRosa Basic sign-ins, each for another unknown name, at once
#   botnet   as spray, but each from another client address (X-Forwarded-For
#            believed from 127.0.0.1 with --trusted-proxies; skipped by a
#            binary without the flag): only the hashing cap stands in the way
#
# From the repository root:
#   bench/signin-rss.sh                 # builds ./cmd/tambon
#   bench/signin-rss.sh /path/to/tambon # an older build, for comparison
#
# Needs curl, xargs and Linux /proc. Traffic goes to 127.0.0.1 only.
# docs/BENCHMARKS.md, Sign-in memory.
set -eu
port=${PORT:-18766}
base=http://127.0.0.1:$port
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
bin=${1:-}
if [ -z "$bin" ]; then
	go build -o "$work/tambon" ./cmd/tambon
	bin=$work/tambon
fi
db=$work/signin.db
"$bin" migrate --db "$db" >/dev/null
echo 'khao-khlung-bench-2567' | "$bin" user create --db "$db" --username admin --role admin --area TH >/dev/null
proxies=
if "$bin" serve --help 2>&1 | grep -q trusted-proxies; then proxies=yes; fi

start() {
	if [ -n "$proxies" ]; then
		"$bin" serve --db "$db" --addr "127.0.0.1:$port" --trusted-proxies 127.0.0.1 >"$work/serve.out" 2>&1 &
	else
		"$bin" serve --db "$db" --addr "127.0.0.1:$port" >"$work/serve.out" 2>&1 &
	fi
	pid=$!
	for _ in $(seq 100); do curl -sf -o /dev/null "$base/healthz" && break; sleep 0.1; done
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }

burst() {
	case $1 in
	web) seq 100 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H "Origin: $base" \
		-d 'username=admin&password=wrong-guess-{}' "$base/login" ;;
	basic) seq 100 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
		-u 'admin:wrong-guess-{}' "$base/openrosa/formList" ;;
	spray) seq 100 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
		-u 'nobody{}:wrong-guess' "$base/openrosa/formList" ;;
	botnet) seq 100 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
		-H 'X-Forwarded-For: 198.51.100.{}' -u 'nobody{}:wrong-guess' "$base/openrosa/formList" ;;
	esac
}

printf '%-8s %10s %10s  %s\n' scenario idle_MB peak_MB answers
for s in web basic spray botnet; do
	[ "$s" = botnet ] && [ -z "$proxies" ] && continue
	start
	idle=$(kb VmRSS)
	t0=$(date +%s.%N)
	answers=$(burst "$s" | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
	t1=$(date +%s.%N)
	peak=$(kb VmHWM)
	printf '%-8s %10d %10d  %s(%.1f s)\n' "$s" $((idle / 1024)) $((peak / 1024)) "$answers" "$(echo "$t1 - $t0" | bc)"
	stop
done
