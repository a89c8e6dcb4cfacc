#!/usr/bin/env bash
# Page throughput and latency of a release build with the demo content, on
# loopback only. Needs wrk (apt-get install wrk). Prints one line per page:
# median and p99 latency and requests per second, all from one run.
#
#   bench/pages.sh [seconds per page, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk >/dev/null || { echo "bench/pages.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }

cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
RUST_LOG=warn ./target/release/newsroom serve --demo --addr 127.0.0.1:0 --media-dir "$work/media" \
  --database-url "sqlite://$work/bench.db?mode=rwc" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 50); do grep -q "running at" "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^Newsroom is running at \(http[^ ]*\)\/$/\1/p' "$work/out")
[ -n "$base" ] || { echo "bench/pages.sh: the server did not start" >&2; cat "$work/err" >&2; exit 1; }
article=$(curl -s "$base/" | grep -o 'href="/articles/[^"#]*"' | head -1 | cut -d'"' -f2)

echo "page | median | p99 | requests/s  (wrk -t2 -c32 -d${seconds}s, $(nproc) cores)"
for path in / "$article" /tags/transport /authors/mara; do
  out=$(wrk -t2 -c32 -d"${seconds}s" --latency "$base$path")
  median=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
  echo "$path | $median | $p99 | $rps ${errors:+($errors)}"
done
echo "resident memory after the run: $(awk '/VmRSS/{print $2, $3}' /proc/$server/status)"
