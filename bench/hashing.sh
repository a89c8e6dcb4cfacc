#!/usr/bin/env bash
# Memory under a burst of password checks, no account needed: N failed API
# logins, C at a time, spread over many loopback addresses so the login
# throttle does not stop them before they hash. Prints the answers by status
# and resident memory before, at the peak and after the burst.
#
#   bench/hashing.sh [logins, default 400] [at once, default 32] [extra serve flags…]
set -euo pipefail
cd "$(dirname "$0")/.."
logins=${1:-400}
at_once=${2:-32}
shift $(( $# > 2 ? 2 : $# ))

cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
RUST_LOG=warn ./target/release/newsroom serve --addr 127.0.0.1:0 --media-dir "$work/media" \
  --database-url "sqlite://$work/bench.db?mode=rwc" "$@" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 50); do grep -q "running at" "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^Newsroom is running at \(http[^ ]*\)\/$/\1/p' "$work/out")
[ -n "$base" ] || { echo "bench/hashing.sh: the server did not start" >&2; cat "$work/err" >&2; exit 1; }
curl -s -o /dev/null "$base/healthz"
rss() { awk "/$1/{print \$2}" /proc/$server/status; }
before=$(rss VmRSS)

started=$(date +%s.%N)
seq "$logins" | xargs -P "$at_once" -I{} sh -c '
  n={}; host=$(( n % 250 + 2 ))
  curl -s -o /dev/null -w "%{http_code}\n" --interface 127.0.0.$host \
    -H "Content-Type: application/json" \
    -d "{\"user\":{\"email\":\"nobody$n@example.org\",\"password\":\"wrong password\"}}" \
    '"$base"'/api/users/login' >"$work/codes"
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
sleep 2
after=$(rss VmRSS)
peak=$(rss VmHWM)

echo "$logins failed logins, $at_once at a time, in ${elapsed%??????} s; answers: $(sort "$work/codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
echo "resident memory: before $((before / 1024)) MiB, peak $((peak / 1024)) MiB, 2 s after $((after / 1024)) MiB"
