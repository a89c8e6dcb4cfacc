#!/usr/bin/env bash
# Memory of idle live-update watchers: a release build serving the demo
# site on SQLite, its resident memory before and after WATCHERS article
# pages hold their event streams open (spread over the demo's articles).
#
#   bench/watchers.sh [WATCHERS, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
watchers=${1:-1000}
ulimit -n $(( watchers * 2 + 256 ))
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
RUST_LOG=warn ./target/release/newsroom serve --demo --addr 127.0.0.1:0 --media-dir "$work/media" \
  --database-url "sqlite://$work/site.db?mode=rwc" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 100); do grep -q "running at" "$work/out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's|^Newsroom is running at http://\([^/]*\)/$|\1|p' "$work/out")
slugs=$(curl -s "http://$addr/" | grep -o 'href="/articles/[^"#]*"' | sed 's|href="/articles/||; s|"||' | sort -u)
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
# Warm the server with the pages first, so the difference is the streams.
for slug in $slugs; do curl -s -o /dev/null "http://$addr/articles/$slug"; done
before=$(rss)
python3 - "$addr" "$watchers" $slugs <<'PY' &
import asyncio, sys
host, port = sys.argv[1].split(":")
count, slugs = int(sys.argv[2]), sys.argv[3:]
async def watch(i, ready):
    reader, writer = await asyncio.open_connection(host, int(port))
    slug = slugs[i % len(slugs)]
    writer.write(f"GET /articles/{slug}/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    while b"event: counts" not in await reader.read(4096):
        pass
    ready.append(i)
    await asyncio.sleep(3600)
async def main():
    ready = []
    tasks = [asyncio.create_task(watch(i, ready)) for i in range(count)]
    while len(ready) < count:
        await asyncio.sleep(0.1)
    print("open", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
PY
client=$!
for _ in $(seq 300); do
  open=$(ss -tn state established "( sport = :${addr##*:} )" | tail -n +2 | wc -l)
  [ "$open" -ge "$watchers" ] && break
  sleep 0.2
done
sleep 2
after=$(rss)
kill $client
echo "| watchers | articles | RSS before | RSS with them open | per watcher |"
echo "| --- | --- | --- | --- | --- |"
echo "| $watchers | $(wc -w <<<"$slugs") | $(( before / 1024 )) MiB | $(( after / 1024 )) MiB | $(( (after - before) / watchers )) KiB |"
