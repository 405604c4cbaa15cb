#!/usr/bin/env bash
# Load baseline against a local demo server: the server pinned to core 0, wrk to core 1,
# loopback only, bounded runs. Prints the median requests/s and p99 of three runs per
# path, and each path's rate as a ratio of the fixed-body baseline (/static/app.css).
#
#   scripts/bench-http.sh [seconds-per-run]        (needs: apt-get install wrk curl)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
cargo build --release -q
data=$(mktemp -d)
port=18181
VOCDESK_DATA="$data" RUST_LOG=warn taskset -c 0 target/release/vocdesk serve --demo --listen "127.0.0.1:$port" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
app=$(curl -sf "http://127.0.0.1:$port/api/v1/apps" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"])')

median_run() { # path -> "rps p99" of the median-rps run out of three
  for _ in 1 2 3; do
    taskset -c 1 wrk -t1 -c32 -d"${seconds}s" --latency "http://127.0.0.1:$port$1" |
      awk '/Requests\/sec/{r=$2} /^ *99%/{p=$2} END{print r, p}'
  done | sort -n | sed -n 2p
}

printf '%-40s %12s %10s %8s\n' path "req/s" p99 ratio
read -r base base_p99 < <(median_run /static/app.css)
printf '%-40s %12s %10s %8s\n' "/static/app.css (fixed body)" "$base" "$base_p99" "1.00"
for path in /healthz /api/v1/apps "/api/v1/apps/$app" "/apps/$app"; do
  read -r rps p99 < <(median_run "$path")
  printf '%-40s %12s %10s %8s\n' "$path" "$rps" "$p99" "$(awk -v a="$rps" -v b="$base" 'BEGIN{printf "%.2f", a / b}')"
done
