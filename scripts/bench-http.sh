#!/usr/bin/env bash
# Load baseline against a local demo server: the server pinned to core 0, wrk to core 1,
# loopback only, bounded runs. Prints the median requests/s and p99 of three runs per
# path, and each path's rate as a ratio of the fixed-body baseline (/static/app.css).
#
#   scripts/bench-http.sh [seconds-per-run]        (needs: apt-get install wrk curl)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections=32
port=18181
. scripts/bench-common.sh
app=$(curl -sf "http://127.0.0.1:$port/api/v1/apps" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"])')

printf '%-40s %12s %10s %8s\n' path "req/s" p99 ratio
read -r base base_p99 < <(median_run "http://127.0.0.1:$port/static/app.css")
printf '%-40s %12s %10s %8s\n' "/static/app.css (fixed body)" "$base" "$base_p99" "1.00"
for path in /healthz /api/v1/apps "/api/v1/apps/$app" "/apps/$app"; do
  read -r rps p99 < <(median_run "http://127.0.0.1:$port$path")
  printf '%-40s %12s %10s %8s\n' "$path" "$rps" "$p99" "$(awk -v a="$rps" -v b="$base" 'BEGIN{printf "%.2f", a / b}')"
done
