#!/usr/bin/env bash
# Write-path load: customers opening inquiries over the API against a local demo
# server (each one commits the inquiry, its first message, the developers' outbox mail
# and an audit entry in one durable transaction). The server is pinned to core 0, wrk
# to core 1; prints the median of three runs and, for scale, the fixed-body rate.
#
#   scripts/bench-inquiries.sh [seconds-per-run] [connections]   (needs: apt-get install wrk curl)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${2:-32}"
port=18182
lua=$(mktemp --suffix=.lua)
cleanup_extra="$lua"
. scripts/bench-common.sh
token=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"email":"customer1@example.com","password":"demo-password"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
app=$(curl -sf "http://127.0.0.1:$port/api/v1/apps" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"])')
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"category":"question","subject":"레벨 12에서 앱이 종료됩니다","body":"업데이트 후 레벨 12에 들어가면 앱이 꺼집니다. 확인 부탁드립니다."}'
done = function(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
LUA

printf '%-44s %12s %10s\n' request "req/s" p99
read -r base base_p99 < <(median_run "http://127.0.0.1:$port/static/app.css")
printf '%-44s %12s %10s\n' "GET /static/app.css (fixed body)" "$base" "$base_p99"
read -r rps p99 < <(median_run -s "$lua" "http://127.0.0.1:$port/api/v1/apps/$app/inquiries")
printf '%-44s %12s %10s\n' "POST /api/v1/apps/{id}/inquiries (durable)" "$rps" "$p99"
