#!/usr/bin/env bash
# Page and action latency at a given archive size, on one backend, against a
# release build on loopback. Seeds the database the first time (kept under
# bench/.data, or a PostgreSQL schema bench_N) and reuses it after.
#
#   bench/scale.sh sqlite|postgres ARTICLES [SECONDS per case, default 8]
#
# CASES (a grep -E pattern, default every case) picks cases by name;
# CONNECTIONS (default 16) sets how many requests are in flight at once.
#
# Needs wrk, curl, and sqlite3 or psql (for the page-1,000 cursor).
# PostgreSQL: NEWSROOM_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test).
# Prints one markdown table row per case: backend, articles, case, p50, p99, requests/s.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:?usage: bench/scale.sh sqlite|postgres ARTICLES [SECONDS]}
articles=${2:?usage: bench/scale.sh sqlite|postgres ARTICLES [SECONDS]}
seconds=${3:-8}
users=$(( articles / 10 < 1000 ? 1000 : articles / 10 ))
likes=$(( articles * 10 ))
comments=$(( articles * 2 ))
for tool in wrk curl; do command -v $tool >/dev/null || { echo "bench/scale.sh: $tool is not installed" >&2; exit 1; }; done

data=bench/.data
mkdir -p "$data"
case $backend in
  sqlite)
    file="$PWD/$data/bench-$articles.db"
    url="sqlite://$file?mode=rwc"
    seeded() { [ -f "$file" ]; }
    sql() { sqlite3 "$file" "$1"; }
    ;;
  postgres)
    base=${NEWSROOM_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
    schema="bench_$articles"
    url="$base?options=-c%20search_path%3D$schema"
    seeded() { [ "$(psql "$base" -Atc "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '$schema'")" = 1 ]; }
    sql() { psql "$base" -Atc "SET search_path = $schema; $1" | tail -1; }
    ;;
  *) echo "bench/scale.sh: backend is sqlite or postgres" >&2; exit 1 ;;
esac

cargo build --release --quiet
bin=./target/release/newsroom
if ! seeded; then
  [ "$backend" = postgres ] && psql "$base" -qc "CREATE SCHEMA $schema"
  "$bin" seed-bench --articles "$articles" --users "$users" --likes "$likes" --comments "$comments" \
    --database-url "$url" >&2
fi

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
RUST_LOG=warn "$bin" serve --addr 127.0.0.1:0 --database-url "$url" --media-dir "$work/media" >"$work/out" 2>"$work/err" &
server=$!
for _ in $(seq 600); do grep -q "running at" "$work/out" 2>/dev/null && break; sleep 0.1; done
site=$(sed -n 's/^Newsroom is running at \(http[^ ]*\)\/$/\1/p' "$work/out")
[ -n "$site" ] || { echo "bench/scale.sh: the server did not start" >&2; cat "$work/err" >&2; exit 1; }

# A reader of our own for liking and commenting.
jar="$work/jar"
token() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="\(.*\)"/\1/'; }
csrf=$(curl -s -c "$jar" -b "$jar" "$site/register" | token)
name="bench$RANDOM$RANDOM"
curl -s -o /dev/null -c "$jar" -b "$jar" --data "csrf=$csrf&username=$name&email=$name@bench.example&password=bench-password" "$site/register"
cookie="nr_session=$(awk '$6 == "nr_session" {print $7}' "$jar")"
csrf=$(curl -s -H "Cookie: $cookie" "$site/" | token)

# A deep front page: page 1,000 (after the 19,980th newest article), or the
# last full page where the archive is smaller than that.
page=$(( articles / 20 < 1000 ? articles / 20 : 1000 ))
cursor=$(sql "SELECT published_at || '.' || id FROM articles WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET $(( (page - 1) * 20 - 1 ))")

run() {
  local case=$1; shift
  grep -Eq "${CASES:-.}" <<<"$case" || return 0
  local connections=${CONNECTIONS:-16}
  [ "$connections" = 16 ] || case="$case, $connections at a time"
  local out
  out=$(ARTICLES=$articles COOKIE=$cookie CSRF=$csrf ACTION=${ACTION:-} PREFIX=${PREFIX:-} \
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${seconds}s" --latency "$@")
  local p50 p99 rps errors
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr -s ' ' || true)
  echo "| $backend | $articles | $case | $p50 | $p99 | $rps |${errors:+ $errors}"
}

run "article page" -s bench/lua/article.lua "$site"
run "front page" "$site/"
run "front page $page" "$site/?before=$cursor"
run "tag page" "$site/tags/topic-7"
ACTION=like run "like" -s bench/lua/write.lua "$site"
ACTION=comment run "comment" -s bench/lua/write.lua "$site"
# Search: two-word queries by how often their words occur. seed-bench
# writes articles from generated words whose frequency falls with their
# rank (see seed_word in src/store/bulk.rs); the same rule names them here.
word() {
  local n=$(( $1 + 15 )) w="" s=(ka lo mi nu re sa ti vo ba de fi go hu je po zu)
  while (( n > 0 )); do w="${s[n % 16]}$w"; n=$(( n / 16 )); done
  echo "$w"
}
matches() {
  case $backend in
    sqlite) sql "SELECT count(*) FROM article_search WHERE article_search MATCH '\"$1\" \"$2\"'" ;;
    postgres) sql "SELECT count(*) FROM article_search WHERE document @@ plainto_tsquery('english', '$1 $2')" ;;
  esac
}
for pair in "typical 200 300" "common 20 40" "rare 2000 2500"; do
  set -- $pair
  a=$(word "$2"); b=$(word "$3")
  grep -Eq "${CASES:-.}" <<<"search $1" &&
    echo "bench/scale.sh: search $1 is \"$a $b\", matching $(matches "$a" "$b") articles" >&2
  run "search $1" "$site/search?q=$a+$b"
  [ "$1" = typical ] && run "api search $1" "$site/api/search?q=$a+$b"
done
# The JSON API: one article, and the spec's offset lists with articlesCount.
PREFIX=/api run "api article" -s bench/lua/article.lua "$site"
run "api list" "$site/api/articles"
run "api tag list" "$site/api/articles?tag=topic-7"
