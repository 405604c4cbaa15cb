#!/usr/bin/env bash
# Reviews at scale (DESIGN.md "Targets"): seeds a data directory with
# `vocdesk demo --reviews N` (default one million, timed), serves it from a release build
# pinned to core 0 and drives wrk from core 1: the first page of an app's public reviews,
# its rating summary (R13), a deep page by cursor 10,000 reviews in, and writing a review
# (PUT .../reviews/mine, durable, by a few hundred generated customers whose tokens and
# apps a wrk script rotates), each as a ratio of the fixed-body rate (/static/app.css) in
# the same run, the median of three. The two list pages are measured again with the
# server's cache off (--cache-ttl-ms 0), so that the rows also show what the store costs.
#
#   scripts/bench-reviews.sh [seconds-per-run] [connections] [reviews] [writers]
#   (needs: apt-get install wrk curl jq)
#
# For A/B runs of one change: BENCH_SEED=DIR seeds DIR once and measures a fresh copy of
# it each time (so every run starts from the same store), and BENCH_ROWS=write measures
# only the fixed body and the review edit.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${2:-32}"
reviews="${3:-1000000}"
writers="${4:-300}"
port=18193
for tool in wrk curl jq taskset; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed: apt-get install wrk curl jq" >&2; exit 1; }
done
cargo build --release -q
data=$(mktemp -d)
lua=$(mktemp --suffix=.lua)
server=""
stop_server() { [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }; server=""; }
trap 'stop_server; rm -rf "$data" "$lua"' EXIT

started=$(date +%s.%N)
if [ -n "${BENCH_SEED:-}" ]; then
  [ -d "$BENCH_SEED" ] || RUST_LOG=warn target/release/vocdesk demo --data "$BENCH_SEED" --reviews "$reviews" >/dev/null
  rm -rf "$data" && cp -a "$BENCH_SEED" "$data"
else
  RUST_LOG=warn target/release/vocdesk demo --data "$data" --reviews "$reviews" >/dev/null
fi
seeded=$(date +%s.%N)
# The seed leaves about 1.5 GB of dirty pages: let the kernel write them back before
# measuring, or the first runs measure the writeback.
sync
printf '%s the demo with %s generated reviews in %.1f s (%s on disk)\n' "$([ -n "${BENCH_SEED:-}" ] && echo "copied" || echo "seeded")" \
  "$reviews" "$(awk -v a="$started" -v b="$seeded" 'BEGIN{print b - a}')" "$(du -sh "$data" | cut -f1)"

base_url="http://127.0.0.1:$port"
start_server() { # extra serve flags...
  VOCDESK_DATA="$data" RUST_LOG=warn taskset -c 0 target/release/vocdesk serve --listen "127.0.0.1:$port" "$@" \
    >/dev/null &
  server=$!
  for _ in $(seq 1 400); do curl -sf "$base_url/healthz" >/dev/null && return; sleep 0.05; done
  echo "the server did not start" >&2
  exit 1
}

median_run() { # wrk arguments... -> "rps p99" of the median-rps run out of three ("ERRORS n" on non-2xx)
  for _ in 1 2 3; do
    taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@" |
      awk '/Requests\/sec/{r=$2} /^ *99%/{p=$2} /^non2xx/{e=$2} END{if (e > 0) print "ERRORS", e; else print r, p}'
  done | sort -n | sed -n 2p
}
ratio() { awk -v a="$1" -v b="$base" 'BEGIN{printf "%.2f", a / b}'; }
row() { printf '%-58s %10s %10s %7s\n' "$1" "$2" "$3" "$4"; }

start_server
apps=$(curl -sf "$base_url/api/v1/apps" | jq -r '.items[].id')
app=$(echo "$apps" | head -n1)
count=$(curl -sf "$base_url/api/v1/apps/$app/rating-summary" | jq -r '.count')
# The cursor 10,000 reviews into the newest-first list: a hundred pages of a hundred
# (no page for BENCH_ROWS=write, which measures no list).
cursor=""
for _ in $(seq 1 "$([ "${BENCH_ROWS:-all}" = write ] && echo 0 || echo 100)"); do
  cursor=$(curl -sf "$base_url/api/v1/apps/$app/reviews?limit=100${cursor:+&cursor=$cursor}" | jq -r '.next_cursor')
done
# Sign in generated customers (each reviewed every app). The sign-in throttle allows a
# burst of 30 per client address, so every 30 come from their own loopback address.
tokens=()
for i in $(seq 0 $((writers - 1))); do
  token=$(curl -sf --interface "127.0.0.$((2 + i / 30))" -H 'Content-Type: application/json' \
    -d "{\"email\":\"reviewer$((1001 + i))@example.com\",\"password\":\"demo-password\"}" \
    "$base_url/api/v1/auth/login" | jq -r '.token')
  tokens+=("\"$token\"")
done
{
  echo "local tokens = { $(IFS=,; echo "${tokens[*]}") }"
  echo "local apps = { $(echo "$apps" | sed 's/.*/"&"/' | paste -sd,) }"
  cat <<'LUA'
-- Every request edits one customer's review of one app with a new text (so that each
-- one writes), rotating through the customers first, then the apps; a new run starts
-- from a new number, so that it does not write what the last run wrote.
local n = os.time() * 1000
request = function()
  n = n + 1
  local token = tokens[n % #tokens + 1]
  local app = apps[math.floor(n / #tokens) % #apps + 1]
  local body = string.format('{"rating":%d,"text":"업데이트 %d 이후 훨씬 좋아졌어요. Much better since update %d."}', n % 5 + 1, n, n)
  return wrk.format("PUT", "/api/v1/apps/" .. app .. "/reviews/mine",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
LUA
} >"$lua"

echo "app $app: $count visible reviews; $writers writers signed in"
row request "req/s" p99 ratio
read -r base base_p99 < <(median_run "$base_url/static/app.css")
row "GET /static/app.css (fixed body)" "$base" "$base_p99" "1.00"
measure_edits() {
  read -r rps p99 < <(median_run -s "$lua" "$base_url/api/v1/apps/$app/reviews/mine")
  row "PUT /api/v1/apps/{id}/reviews/mine (durable edit)" "$rps" "$p99" "$(ratio "$rps")"
}
if [ "${BENCH_ROWS:-all}" = write ]; then
  measure_edits
  exit 0
fi
read -r rps p99 < <(median_run "$base_url/api/v1/apps/$app/reviews")
row "GET /api/v1/apps/{id}/reviews (first page)" "$rps" "$p99" "$(ratio "$rps")"
read -r rps p99 < <(median_run "$base_url/api/v1/apps/$app/rating-summary")
row "GET /api/v1/apps/{id}/rating-summary" "$rps" "$p99" "$(ratio "$rps")"
read -r rps p99 < <(median_run "$base_url/api/v1/apps/$app/reviews?cursor=$cursor")
row "GET /api/v1/apps/{id}/reviews?cursor= (10,000 in)" "$rps" "$p99" "$(ratio "$rps")"
measure_edits
stop_server

start_server --cache-ttl-ms 0
read -r base base_p99 < <(median_run "$base_url/static/app.css")
row "GET /static/app.css (fixed body), cache off" "$base" "$base_p99" "1.00"
read -r rps p99 < <(median_run "$base_url/api/v1/apps/$app/reviews")
row "GET /api/v1/apps/{id}/reviews (first page), cache off" "$rps" "$p99" "$(ratio "$rps")"
read -r rps p99 < <(median_run "$base_url/api/v1/apps/$app/reviews?cursor=$cursor")
row "GET .../reviews?cursor= (10,000 in), cache off" "$rps" "$p99" "$(ratio "$rps")"
stop_server
